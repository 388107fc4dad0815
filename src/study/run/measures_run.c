/* The measures beyond the nearest facility of a run (docs/outputs.md,
 * "Measures"): per facility type and measure a GeoTIFF <type>_<name>.tif
 * and per region the population-weighted mean, Gini, worst-decile share
 * and population with nothing within reach as columns of the region
 * tables; and population.tif. The searches and sums are core/measure's,
 * one measure after the other, each over all threads. A study without
 * measures writes none of this and its run is what it was before. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

struct rti_meas_state {
    const char *tmp_pop; /* population.tif */
    int any;             /* some type has measures */
};

static int study_has_measures(const rt_study *s)
{
    for (int t = 0; t < s->n_facilities; t++)
        if (s->facilities[t].n_measures > 0)
            return 1;
    return 0;
}

/* 1 when measure d of type f uses the capacities: capacity, the balancing
 * cost and the catchments (the study file asks them of the type), and
 * gravity when the type has them. The others get none, so that an empty
 * capacity cannot stop a measure that does not read it. */
static int uses_capacity(const rti_facility_type *f, const rti_measure_def *d)
{
    return f->capacity_column &&
           (d->m.kind == RTI_MEASURE_CAPACITY || d->m.kind == RTI_MEASURE_BALANCING ||
            d->m.kind == RTI_MEASURE_GRAVITY || rti_measure_is_fca(d->m.kind));
}

/* Every facility of type run tr with a capacity that is a number >= 0. */
static rt_status check_capacity(rt_ctx *ctx, const rti_run *run, const rti_type_run *tr,
                                const rti_measure_def *d)
{
    const rti_facility_type *f = tr->def;
    for (int64_t i = 0; i < tr->pts.n; i++) {
        const double v = tr->pts.value[i];
        if (v >= 0 && isfinite(v))
            continue;
        char what[64];
        if (isnan(v))
            snprintf(what, sizeof(what), "is empty");
        else if (v < 0)
            snprintf(what, sizeof(what), "%g is negative", v);
        else
            snprintf(what, sizeof(what), "%g is not a finite number", v);
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: facility type '%s': key 'capacity_column': facility '%s' "
                         "(feature %lld of %s): capacity %s in column '%s'; measure '%s' needs "
                         "a number >= 0 for every facility",
                         run->study->path, f->at.line, f->at.column, f->type, tr->pts.id[i],
                         (long long)tr->pts.fid[i], f->src.path, what, f->capacity_column, d->name);
    }
    return RT_OK;
}

uint64_t rti_run_measures_bytes_per_cell(const rti_run *run)
{
    const rt_study *s = run->study;
    uint64_t most = 0; /* the measures run one at a time */
    for (int t = 0; t < s->n_facilities; t++)
        for (int k = 0; k < s->facilities[t].n_measures; k++) {
            const rti_measure *m = &s->facilities[t].measures[k].m;
            uint64_t b = 8 /* the values */ + 8 * (uint64_t)run->threads /* search costs */;
            if (m->kind == RTI_MEASURE_3SFCA || m->kind == RTI_MEASURE_BFCA)
                b += 8; /* the weights per cell */
            if (m->kind == RTI_MEASURE_KTH)
                b += 8 * (uint64_t)m->k;
            if (m->kind == RTI_MEASURE_BALANCING)
                b += 8; /* where each cell's pairs go (the pairs are checked when counted) */
            if (s->facilities[t].measures[k].route)
                b += 12; /* the medium in metres: grid and legs */
            most = b > most ? b : most;
        }
    return most;
}

rt_status rti_run_measures_check(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    if (!study_has_measures(s))
        return RT_OK;
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_facility_type *f = &s->facilities[t];
        for (int k = 0; k < f->n_measures; k++) {
            const rti_measure_def *d = &f->measures[k];
            rt_status st =
                uses_capacity(f, d) ? check_capacity(ctx, run, &run->types[t], d) : RT_OK;
            if (st != RT_OK)
                return st;
        }
    }
    return RT_OK;
}

rt_status rti_run_type_measures_alloc(rt_ctx *ctx, const rti_run *run, rti_type_run *tr)
{
    const rti_facility_type *f = tr->def;
    const rt_study *s = run->study;
    if (!f->n_measures)
        return RT_OK;
    tr->tmp_meas = rti_malloc_array(ctx, f->n_measures, sizeof(char *), "measures");
    tr->meas = rti_malloc_array(ctx, f->n_measures, sizeof(*tr->meas), "measures");
    if (!tr->tmp_meas || !tr->meas)
        return RT_E_NOMEM;
    for (int k = 0; k < f->n_measures; k++) {
        tr->meas[k] = rti_malloc_array(ctx, s->n_regions > 0 ? s->n_regions : 1,
                                       sizeof(rti_measure_region *), "measures");
        if (!tr->meas[k])
            return RT_E_NOMEM;
        for (int r = 0; r < s->n_regions; r++) {
            const int64_t nr = run->in.regions[r].polys.n;
            tr->meas[k][r] =
                rti_malloc_array(ctx, nr > 0 ? nr : 1, sizeof(rti_measure_region), "measures");
            if (!tr->meas[k][r])
                return RT_E_NOMEM;
        }
    }
    return RT_OK;
}

void rti_run_type_measures_free(const rti_run *run, rti_type_run *tr)
{
    for (int k = 0; tr->meas && k < tr->def->n_measures; k++) {
        for (int r = 0; tr->meas[k] && r < run->study->n_regions; r++)
            free(tr->meas[k][r]);
        free(tr->meas[k]);
    }
    free(tr->meas);
    free((void *)tr->tmp_meas);
    tr->meas = NULL;
    tr->tmp_meas = NULL;
}

rt_status rti_run_measures_plan(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    if (!study_has_measures(s))
        return RT_OK;
    struct rti_meas_state *ms = calloc(1, sizeof(*ms));
    if (!ms)
        return rti_error(ctx, RT_E_NOMEM, "measures: out of memory");
    run->meas = ms;
    ms->any = 1;
    char name[256];
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_facility_type *f = &s->facilities[t];
        rt_status st = rti_run_type_measures_alloc(ctx, run, &run->types[t]);
        for (int k = 0; st == RT_OK && s->outputs.grids && k < f->n_measures; k++) {
            rti_type_file(f->type, f->measures[k].name, "tif", name, sizeof(name));
            st = rti_run_add_output(ctx, run, name, &run->types[t].tmp_meas[k]);
        }
        if (st != RT_OK)
            return st;
    }
    return s->outputs.grids ? rti_run_add_output(ctx, run, "population.tif", &ms->tmp_pop) : RT_OK;
}

void rti_run_measures_free(rti_run *run)
{
    struct rti_meas_state *ms = run->meas;
    if (!ms)
        return;
    for (int t = 0; run->types && t < run->study->n_facilities; t++)
        rti_run_type_measures_free(run, &run->types[t]);
    free(ms);
    run->meas = NULL;
}

/* ---- computing ---- */

/* The facilities of type t as core/measure wants them: their starts on
 * the medium grouped by facility (point index), and the points in grid
 * units for the crow-fly measures. */
typedef struct facs_buf {
    rti_medium_reach r;  /* by time */
    rti_medium_reach rl; /* by length, for the route_km measures */
    double *col_f, *row_f;
} facs_buf;

static void facs_free(facs_buf *b)
{
    rti_medium_reach_free(&b->r);
    rti_medium_reach_free(&b->rl);
    free(b->col_f);
    free(b->row_f);
}

static rt_status facs_make(rt_ctx *ctx, const rti_run *run, const rti_type_run *tr,
                           const rti_medium_run *medium, facs_buf *b)
{
    const int64_t np = tr->pts.n;
    memset(b, 0, sizeof(*b));
    rt_status st = rti_medium_reach_make(ctx, medium, &tr->place, &tr->pts, 0, &b->r);
    int route = 0;
    for (int k = 0; k < tr->def->n_measures; k++)
        route |= tr->def->measures[k].route;
    if (st == RT_OK && route)
        st = rti_medium_reach_make(ctx, medium, &tr->place, &tr->pts, 1, &b->rl);
    b->col_f = rti_malloc_array(ctx, np > 0 ? np : 1, sizeof(double), "measure facilities");
    b->row_f = rti_malloc_array(ctx, np > 0 ? np : 1, sizeof(double), "measure facilities");
    if (st != RT_OK || !b->col_f || !b->row_f)
        return st != RT_OK ? st : RT_E_NOMEM;
    /* as the crow flies from the point as read, for every facility read:
     * also one the run left out (beyond the grid, far from any passable
     * cell or road), since a straight line needs no route and the nearest
     * facility may lie beyond the study's border */
    const rti_grid_spec *gs = &run->in.grid;
    for (int64_t j = 0; j < np; j++) {
        b->col_f[j] = (tr->pts.x[j] - gs->x0) / gs->cell_m;
        b->row_f[j] = (gs->y1 - tr->pts.y[j]) / gs->cell_m;
    }
    return RT_OK;
}

typedef struct grid_rows {
    const double *x;
    const float *f;
    int32_t nx;
} grid_rows;

static void grid_row(int32_t row, void *buf, void *user)
{
    const grid_rows *g = user;
    float *out = buf;
    const int64_t off = (int64_t)row * g->nx;
    for (int32_t c = 0; c < g->nx; c++)
        out[c] = g->x ? (float)g->x[off + c] : g->f[off + c];
}

/* The report's classes and map of measure k of type t, from its values x
 * while they exist. */
static rt_status to_report(rt_ctx *ctx, rti_run *run, int t, int k, const double *x)
{
    rti_report_view v;
    rti_run_report_view(run, &v);
    return rti_report_add_measure(ctx, run->report, &v, t, k, x);
}

/* Measure k of type run tr (type t): its grid and its rows per region
 * over population pop; to the report when `report` is set. */
static rt_status one_measure(rt_ctx *ctx, rti_run *run, const rti_type_run *tr, int t, int k,
                             const float *pop, int report, const facs_buf *fb, double *x)
{
    const rti_measure_def *d = &tr->def->measures[k];
    const rti_grid_spec *gs = &run->in.grid;
    const rti_reach_medium crowfly = {.kind = RTI_REACH_CROWFLY, .grid = &fb->r.grid};
    rti_reach_facs facs = d->route ? fb->rl.facs : fb->r.facs;
    facs.col_f = fb->col_f;
    facs.row_f = fb->row_f;
    rti_measure_input in = {.medium = d->crowfly ? &crowfly
                                      : d->route ? &fb->rl.med
                                                 : &fb->r.med,
                            .facs = &facs,
                            .capacity = uses_capacity(tr->def, d) ? tr->pts.value : NULL,
                            .pop = pop};
    rt_status st = rti_measure_compute(ctx, &in, &d->m, x);
    if (st != RT_OK) {
        rti_error_prefix(ctx, "facility type '%s': measure '%s'", tr->def->type, d->name);
        return st;
    }
    for (int r = 0; st == RT_OK && r < run->study->n_regions; r++)
        st = rti_measure_regions(ctx, x, pop, run->in.regions[r].index, run->in.n_cells,
                                 (int32_t)run->in.regions[r].polys.n,
                                 rti_measure_is_cost(d->m.kind), tr->meas[k][r]);
    if (st == RT_OK && report)
        st = to_report(ctx, run, t, k, x);
    if (st != RT_OK || !tr->tmp_meas[k])
        return st;
    char desc[160];
    snprintf(desc, sizeof(desc), "%s of facility type %s", d->name, tr->def->type);
    grid_rows gr = {x, NULL, gs->nx};
    const char *unit = !rti_measure_is_cost(d->m.kind) ? "" : d->crowfly || d->route ? "km" : "min";
    return rti_write_geotiff(ctx, tr->tmp_meas[k], gs, run->study->crs, RTI_FLOAT32, NAN, desc,
                             unit, grid_row, &gr);
}

rt_status rti_run_type_measures(rt_ctx *ctx, rti_run *run, rti_type_run *tr,
                                const rti_medium_run *medium, const float *pop, int report)
{
    if (!tr->meas)
        return RT_OK;
    const int t = (int)(tr->def - run->study->facilities);
    double *x = rti_alloc_array_uninit(ctx, run->in.n_cells, sizeof(double), "measure values");
    if (!x)
        return RT_E_NOMEM;
    facs_buf fb;
    rt_status st = facs_make(ctx, run, tr, medium, &fb);
    for (int k = 0; st == RT_OK && k < tr->def->n_measures; k++) {
        /* a scenario's added facilities bring their own capacities */
        const rti_measure_def *d = &tr->def->measures[k];
        st = uses_capacity(tr->def, d) ? check_capacity(ctx, run, tr, d) : RT_OK;
        if (st == RT_OK)
            st = one_measure(ctx, run, tr, t, k, pop, report, &fb, x);
    }
    facs_free(&fb);
    free(x);
    return st;
}

rt_status rti_run_measures(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    struct rti_meas_state *ms = run->meas;
    if (!ms)
        return RT_OK;
    const double t0 = rti_now_s();
    if (!rti_progress(ctx, 0.0, "measures"))
        return rti_error(ctx, RT_E_CANCELLED, "run cancelled");
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = rti_run_type_measures(ctx, run, &run->types[t], run->medium, run->in.pop, 1);
    if (st == RT_OK && ms->tmp_pop) {
        grid_rows gr = {NULL, run->in.pop, run->in.grid.nx};
        st = rti_write_geotiff(ctx, ms->tmp_pop, &run->in.grid, s->crs, RTI_FLOAT32, NAN,
                               "persons per cell on the analysis grid", "persons", grid_row, &gr);
    }
    if (st == RT_OK)
        rti_run_stage_done(run, "measures", t0);
    return st;
}

/* ---- the columns of the region tables ---- */

int rti_run_measure_names(const rt_study *s, const char **names, int max)
{
    int n = 0;
    for (int t = 0; t < s->n_facilities; t++)
        for (int k = 0; k < s->facilities[t].n_measures; k++) {
            const char *a = s->facilities[t].measures[k].name;
            int seen = 0;
            for (int j = 0; j < n; j++)
                seen |= strcmp(names[j], a) == 0;
            if (!seen && n < max)
                names[n++] = a;
        }
    return n;
}

#define MAX_NAMES 256
static const char *const COLS[] = {"mean", "gini", "worst_decile_share", "population_none"};

const char *rti_run_measure_column(int j) { return COLS[j]; }

const rti_measure_region *rti_run_measure_rows(const rti_run *run, int t, int k, int r)
{
    return run->types[t].meas[k][r];
}

rti_measure_region *const *const *rti_run_measure_table(const rti_run *run, int t)
{
    return run->meas ? (rti_measure_region *const *const *)run->types[t].meas : NULL;
}

void rti_run_measures_csv_head(const rti_run *run, FILE *f, FILE *ft)
{
    if (!run->meas)
        return;
    const char *names[MAX_NAMES];
    const int n = rti_run_measure_names(run->study, names, MAX_NAMES);
    for (int j = 0; j < n; j++)
        for (int c = 0; c < 4; c++) {
            fprintf(f, ",%s_%s", names[j], COLS[c]);
            fputs(",\"Real\"", ft);
        }
}

void rti_run_measures_csv_row(const rti_run *run, const rti_type_run *tr, int r, int64_t i, FILE *f)
{
    if (!run->meas)
        return;
    const char *names[MAX_NAMES];
    const int n = rti_run_measure_names(run->study, names, MAX_NAMES);
    for (int j = 0; j < n; j++) {
        const rti_measure_region *x = NULL;
        for (int k = 0; tr->meas && k < tr->def->n_measures; k++)
            if (strcmp(tr->def->measures[k].name, names[j]) == 0)
                x = &tr->meas[k][r][i];
        rti_csv_num(f, x ? x->mean : NAN, 1);
        rti_csv_num(f, x ? x->gini : NAN, 1);
        rti_csv_num(f, x ? x->worst_decile_share : NAN, 1);
        rti_csv_num(f, x ? x->pop_zero_persons : NAN, 1);
    }
}
