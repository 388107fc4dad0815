/* The N-1 table of a run (outputs.closures): per facility type what
 * closing each facility alone does, computed in the type's task from its
 * k = 2 labels (core/closures.h), and written in the tables stage as
 * <type>_closures.csv and <type>_closures_<region>.csv, each with a .csvt.
 * docs/outputs.md describes the columns, docs/methods.md the numbers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

/* ---- names ---- */

/* Whether `name` is the file of another output: a table per region layer
 * or another closures file (t, r) before this one. */
static const char *clash(const rt_study *s, int t, int r, const char *name)
{
    static const char *const exts[2] = {"csv", "csvt"};
    char other[300];
    for (int q = 0; s->outputs.csv && q < s->n_regions; q++)
        for (int e = 0; e < 2; e++) {
            snprintf(other, sizeof(other), "%s.%s", s->regions[q].name, exts[e]);
            if (strcmp(other, name) == 0)
                return "the table of a region layer";
        }
    for (int u = 0; u <= t; u++)
        for (int q = -1; q < (u < t ? s->n_regions : r); q++)
            for (int e = 0; e < 2; e++) {
                rti_closures_file(s, u, q, exts[e], other, sizeof(other));
                if (strcmp(other, name) == 0)
                    return "another N-1 table";
            }
    return NULL;
}

rt_status rti_run_check_closures(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    static const char *const exts[2] = {"csv", "csvt"};
    char name[300];
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        for (int r = -1; st == RT_OK && r < s->n_regions; r++)
            for (int e = 0; st == RT_OK && e < 2; e++) {
                rti_closures_file(s, t, r, exts[e], name, sizeof(name));
                const char *other = clash(s, t, r, name);
                if (other)
                    return rti_error(ctx, RT_E_ARG,
                                     "%s: outputs.closures: %s would also be the name of %s; "
                                     "rename a facility type or region layer",
                                     s->path, name, other);
                st = rti_run_check_output(ctx, run, name);
            }
    return st;
}

/* ---- memory ---- */

rt_status rti_run_closures_alloc(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    for (int t = 0; t < s->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        rti_type_result *res = &tr->res;
        rt_norm norms[RT_STATS_MAX_NORMS];
        if (rti_closure_norms(tr->def->norms, tr->def->n_norms, norms) < tr->def->n_norms)
            rti_log(ctx, RT_LOG_WARNING,
                    "%s: outputs.closures: the norms in km of facility type '%s' are left out of "
                    "%s_closures.csv (the route length to the second-nearest facility is not "
                    "computed)",
                    s->path, tr->def->type, tr->def->type);
        res->closures = rti_malloc_array(ctx, tr->pts.n, sizeof(*res->closures), "N-1 table");
        res->closure_order =
            rti_malloc_array(ctx, tr->pts.n, sizeof(*res->closure_order), "N-1 table");
        res->closure_regions =
            rti_malloc_array(ctx, s->n_regions, sizeof(*res->closure_regions), "N-1 table");
        res->n_closure_regions =
            rti_malloc_array(ctx, s->n_regions, sizeof(*res->n_closure_regions), "N-1 table");
        if (!res->closures || !res->closure_order || !res->closure_regions ||
            !res->n_closure_regions)
            return RT_E_NOMEM;
    }
    return RT_OK;
}

void rti_run_closures_free(rti_run *run)
{
    for (int t = 0; run->types && t < run->study->n_facilities; t++) {
        rti_type_result *res = &run->types[t].res;
        for (int r = 0; res->closure_regions && r < run->study->n_regions; r++)
            free(res->closure_regions[r]);
        free(res->closures);
        free(res->closure_order);
        free(res->closure_regions);
        free(res->n_closure_regions);
    }
}

/* ---- the numbers, in the type's task ---- */

/* The order of the table: the largest added count beyond the first time
 * norm first, then the largest population served, then input order. */
typedef struct order_key {
    double beyond, served;
    int64_t i;
} order_key;

static int by_impact(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->beyond != b->beyond)
        return a->beyond > b->beyond ? -1 : 1;
    if (a->served != b->served)
        return a->served > b->served ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static rt_status sort_table(rt_ctx *ctx, rti_type_result *res, int64_t n, int n_norms)
{
    order_key *k = rti_malloc_array(ctx, n, sizeof(*k), "N-1 table");
    if (!k)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < n; i++)
        k[i] = (order_key){n_norms ? res->closures[i].beyond_added_persons[0] : 0.0,
                           res->closures[i].pop_served_persons, i};
    qsort(k, (size_t)n, sizeof(*k), by_impact);
    for (int64_t i = 0; i < n; i++)
        res->closure_order[i] = k[i].i;
    free(k);
    return RT_OK;
}

rt_status rti_run_type_closures(rt_ctx *ctx, rti_run *run, int t, const rt_labels *lab)
{
    const rti_type_run *tr = &run->types[t];
    rti_type_result *res = &run->types[t].res;
    rti_closure_input in = {.n_cells = lab->n_cells,
                            .time_s = lab->time_s,
                            .facility = lab->facility,
                            .time2_s = lab->time2_s,
                            .facility2 = lab->facility2,
                            .pop_persons = run->in.pop,
                            .n_facilities = (int32_t)tr->pts.n};
    rt_norm norms[RT_STATS_MAX_NORMS];
    in.n_norms = rti_closure_norms(tr->def->norms, tr->def->n_norms, norms);
    in.norms = norms;
    rt_status st = rti_closures_facilities(ctx, &in, res->closures);
    if (st == RT_OK)
        st = sort_table(ctx, res, tr->pts.n, in.n_norms);
    for (int r = 0; st == RT_OK && r < run->study->n_regions; r++) {
        const rti_region_run *rr = &run->in.regions[r];
        st = rti_closures_regions(ctx, &in, rr->index, (int32_t)rr->polys.n,
                                  &res->closure_regions[r], &res->n_closure_regions[r]);
    }
    return st;
}

/* ---- the files ---- */

/* Opens the temporary files of name (csv) and its csvt. */
static rt_status open_pair(rt_ctx *ctx, rti_run *run, int t, int r, FILE **f, FILE **ft,
                           const char **csv)
{
    char name[300];
    const char *csvt;
    rti_closures_file(run->study, t, r, "csv", name, sizeof(name));
    rt_status st = rti_run_add_output(ctx, run, name, csv);
    rti_closures_file(run->study, t, r, "csvt", name, sizeof(name));
    if (st == RT_OK)
        st = rti_run_add_output(ctx, run, name, &csvt);
    return st == RT_OK ? rti_csv_open(ctx, run, *csv, csvt, f, ft) : st;
}

/* ",beyond_<label>_added_population" per time norm, with its csvt type. */
static void added_heads(FILE *f, FILE *ft, const rt_norm *norms, int n)
{
    for (int k = 0; k < n; k++) {
        char lab[32];
        rti_norm_label(&norms[k], lab, sizeof(lab));
        fprintf(f, ",beyond_%s_added_population", lab);
        fputs(",\"Real\"", ft);
    }
}

static rt_status write_table(rt_ctx *ctx, rti_run *run, int t)
{
    const rti_type_run *tr = &run->types[t];
    rt_norm norms[RT_STATS_MAX_NORMS];
    int nn = rti_closure_norms(tr->def->norms, tr->def->n_norms, norms);
    FILE *f, *ft;
    const char *csv;
    rt_status st = open_pair(ctx, run, t, -1, &f, &ft, &csv);
    if (st != RT_OK)
        return st;
    const char *const *name = (const char *const *)tr->pts.name;
    fputs(name ? "facility_id,name" : "facility_id", f);
    fputs(name ? "\"String\",\"String\"" : "\"String\"", ft);
    fputs(",population_served,time_added_mean_min,no_alternative_population", f);
    fputs(",\"Real\",\"Real\",\"Real\"", ft);
    added_heads(f, ft, norms, nn);
    fputs(",takeover_facility_id\n", f);
    fputs(",\"String\"\n", ft);
    for (int64_t j = 0; j < tr->pts.n; j++) {
        int64_t i = tr->res.closure_order[j];
        const rti_closure_row *row = &tr->res.closures[i];
        rti_csv_str(f, tr->pts.id[i]);
        if (name) {
            fputc(',', f);
            rti_csv_str(f, name[i]);
        }
        rti_csv_num(f, row->pop_served_persons, 1);
        rti_csv_num(f, row->time_added_mean_s, 1 / 60.0);
        rti_csv_num(f, row->pop_no_alternative_persons, 1);
        for (int k = 0; k < nn; k++)
            rti_csv_num(f, row->beyond_added_persons[k], 1);
        fputc(',', f);
        rti_csv_str(f, row->takeover >= 0 ? tr->pts.id[row->takeover] : NULL);
        fputc('\n', f);
    }
    return rti_csv_close(ctx, run, csv, f, ft);
}

/* The rows of region layer r, facilities in the order of the table, then
 * regions in the order of the layer. */
static rt_status write_region_table(rt_ctx *ctx, rti_run *run, int t, int r)
{
    const rti_type_run *tr = &run->types[t];
    const rti_closure_region_row *rows = tr->res.closure_regions[r];
    const int64_t n_rows = tr->res.n_closure_regions[r];
    const rti_polygons *polys = &run->in.regions[r].polys;
    rt_norm norms[RT_STATS_MAX_NORMS];
    int nn = rti_closure_norms(tr->def->norms, tr->def->n_norms, norms);
    /* rows are sorted by facility: first[i] .. first[i + 1] are facility i's */
    int64_t *first = rti_malloc_array(ctx, tr->pts.n + 1, sizeof(*first), "N-1 table");
    if (!first)
        return RT_E_NOMEM;
    for (int64_t k = 0; k < n_rows; k++)
        first[rows[k].facility + 1]++;
    for (int64_t i = 0; i < tr->pts.n; i++)
        first[i + 1] += first[i];
    FILE *f, *ft;
    const char *csv;
    rt_status st = open_pair(ctx, run, t, r, &f, &ft, &csv);
    if (st != RT_OK) {
        free(first);
        return st;
    }
    fputs("facility_id,region_id", f);
    fputs("\"String\",\"String\"", ft);
    added_heads(f, ft, norms, nn);
    fputc('\n', f);
    fputc('\n', ft);
    for (int64_t j = 0; j < tr->pts.n; j++) {
        int64_t i = tr->res.closure_order[j];
        for (int64_t k = first[i]; k < first[i + 1]; k++) {
            rti_csv_str(f, tr->pts.id[i]);
            fputc(',', f);
            rti_csv_str(f, polys->id[rows[k].region]);
            for (int m = 0; m < nn; m++)
                rti_csv_num(f, rows[k].beyond_added_persons[m], 1);
            fputc('\n', f);
        }
    }
    free(first);
    return rti_csv_close(ctx, run, csv, f, ft);
}

rt_status rti_run_write_closures(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        st = write_table(ctx, run, t);
        for (int r = 0; st == RT_OK && r < s->n_regions; r++)
            st = write_region_table(ctx, run, t, r);
    }
    return st;
}
