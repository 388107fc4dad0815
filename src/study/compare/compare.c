/* `reistijd compare RUN_A RUN_B`: two finished runs on the same grid,
 * with the same facility types, norms and region layers, compared cell
 * by cell from their time grids (docs/cli.md, "compare"; the definitions
 * in docs/methods.md, "Scenarios and their comparison"). The population
 * and the regions are those of run A's study, read again and checked
 * against the checksums its run.json recorded. With that study's
 * outputs.report, report.html shows run B as a run's report shows a
 * scenario. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "core/sbuf.h"
#include "study/run/run.h"

#define MAX_TYPES 64

/* What a run.json says of its run. */
typedef struct run_info {
    const char *dir;
    json_object *root;
    const char *study_path, *study_sha;
    const char *crs;
    double cell, x_min, y_max;
    int64_t columns, rows;
    json_object *facilities; /* [{type, norms}] */
    json_object *inputs, *outputs;
} run_info;

/* The input of role `role` in an inputs array, NULL when none. */
static json_object *input_of(json_object *inputs, const char *role)
{
    for (size_t i = 0; inputs && i < json_object_array_length(inputs); i++) {
        json_object *o = json_object_array_get_idx(inputs, i);
        const char *r = rti_jget_str(o, "role");
        if (r && strcmp(r, role) == 0)
            return o;
    }
    return NULL;
}

static rt_status read_info(rt_ctx *ctx, const char *dir, run_info *ri)
{
    char path[4096];
    memset(ri, 0, sizeof(*ri));
    ri->dir = dir;
    snprintf(path, sizeof(path), "%s/run.json", dir);
    ri->root = json_object_from_file(path);
    if (!ri->root)
        return rti_error(ctx, RT_E_IO,
                         "%s: not the folder of a finished run (no readable run.json)", dir);
    json_object *par = rti_jget(ri->root, "parameters");
    ri->inputs = rti_jget(ri->root, "inputs");
    ri->outputs = rti_jget(ri->root, "outputs");
    ri->facilities = rti_jget(ri->root, "facilities");
    json_object *study = input_of(ri->inputs, "study");
    ri->study_path = rti_jget_str(study, "path");
    ri->study_sha = rti_jget_str(study, "sha256");
    ri->crs = rti_jget_str(par, "crs");
    ri->cell = json_object_get_double(rti_jget(par, "cell_size_m"));
    ri->x_min = json_object_get_double(rti_jget(par, "x_min"));
    ri->y_max = json_object_get_double(rti_jget(par, "y_max"));
    ri->columns = json_object_get_int64(rti_jget(par, "columns"));
    ri->rows = json_object_get_int64(rti_jget(par, "rows"));
    if (!par || !ri->study_path || !ri->crs || !ri->facilities || !ri->outputs ||
        !json_object_is_type(ri->facilities, json_type_array) ||
        !json_object_is_type(ri->outputs, json_type_array) || !(ri->cell > 0) || ri->columns <= 0 ||
        ri->rows <= 0)
        return rti_error(ctx, RT_E_DATA,
                         "%s: its run.json is not that of a finished study run (no study, grid, "
                         "facility types or outputs)",
                         path);
    const char *command = rti_jget_str(ri->root, "command");
    if (rti_jget(ri->root, "command") && (!command || strcmp(command, "run") != 0))
        return rti_error(ctx, RT_E_DATA, "%s: the folder of a '%s', not of a run", dir,
                         command ? command : "?");
    return RT_OK;
}

/* 1 when the run lists output `name`. */
static int has_output(const run_info *ri, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(ri->outputs); i++) {
        const char *o = json_object_get_string(json_object_array_get_idx(ri->outputs, i));
        if (o && strcmp(o, name) == 0)
            return 1;
    }
    return 0;
}

/* The same grid, types with the same norms, the same region layers. */
static rt_status same_runs(rt_ctx *ctx, const run_info *a, const run_info *b)
{
    if (strcmp(a->crs, b->crs) != 0 || a->cell != b->cell || a->x_min != b->x_min ||
        a->y_max != b->y_max || a->columns != b->columns || a->rows != b->rows)
        return rti_error(ctx, RT_E_DATA,
                         "the runs are on different grids: %s has %lld x %lld cells of %g m from "
                         "(%g, %g) in %s, %s %lld x %lld cells of %g m from (%g, %g) in %s; only "
                         "runs on the same grid can be compared cell by cell",
                         a->dir, (long long)a->columns, (long long)a->rows, a->cell, a->x_min,
                         a->y_max, a->crs, b->dir, (long long)b->columns, (long long)b->rows,
                         b->cell, b->x_min, b->y_max, b->crs);
    size_t na = json_object_array_length(a->facilities),
           nb = json_object_array_length(b->facilities);
    for (size_t i = 0; i < na || i < nb; i++) {
        json_object *fa = i < na ? json_object_array_get_idx(a->facilities, i) : NULL;
        json_object *fb = i < nb ? json_object_array_get_idx(b->facilities, i) : NULL;
        const char *ta = rti_jget_str(fa, "type"), *tb = rti_jget_str(fb, "type");
        if (!ta || !tb || strcmp(ta, tb) != 0)
            return rti_error(ctx, RT_E_DATA,
                             "the runs have different facility types: %s's type %zu is '%s', %s's "
                             "'%s'",
                             a->dir, i + 1, ta ? ta : "(none)", b->dir, tb ? tb : "(none)");
        const char *na_ =
            json_object_to_json_string_ext(rti_jget(fa, "norms"), JSON_C_TO_STRING_PLAIN);
        char norms_a[1024];
        snprintf(norms_a, sizeof(norms_a), "%s", na_ ? na_ : "null");
        const char *nb_ =
            json_object_to_json_string_ext(rti_jget(fb, "norms"), JSON_C_TO_STRING_PLAIN);
        if (strcmp(norms_a, nb_ ? nb_ : "null") != 0)
            return rti_error(ctx, RT_E_DATA,
                             "the runs have different norms for type '%s': %s in %s, %s in %s", ta,
                             norms_a, a->dir, nb_ ? nb_ : "none", b->dir);
    }
    for (int pass = 0; pass < 2; pass++) {
        const run_info *x = pass ? b : a, *y = pass ? a : b;
        for (size_t i = 0; i < json_object_array_length(x->inputs); i++) {
            const char *role = rti_jget_str(json_object_array_get_idx(x->inputs, i), "role");
            if (role && strncmp(role, "regions.", 8) == 0 && !input_of(y->inputs, role))
                return rti_error(ctx, RT_E_DATA,
                                 "the runs have different region layers: %s has '%s', %s has not",
                                 x->dir, role + 8, y->dir);
        }
    }
    return RT_OK;
}

/* The file at path is the one of role `role` that run ri read: its
 * checksum is the one in ri's run.json. An input that run.json lists
 * without one (a folder dataset, a database, a URL) cannot be checked: a
 * warning says so. */
static rt_status same_file(rt_ctx *ctx, const run_info *ri, const char *role, const char *path)
{
    json_object *rec = input_of(ri->inputs, role);
    const char *want = rti_jget_str(rec, "sha256");
    if (rec && !want) {
        rti_log(ctx, RT_LOG_WARNING,
                "%s (%s of %s): its run.json holds no checksum (a folder dataset, a database or "
                "a URL), so the comparison cannot check that it is what that run read",
                path, role, ri->dir);
        return RT_OK;
    }
    char sha[65], why[320];
    uint64_t size;
    const rt_status st = want ? rti_file_sha256(ctx, path, sha, &size) : RT_E_DATA;
    if (st == RT_E_NOMEM)
        return st;
    if (st == RT_OK && strcmp(sha, want) == 0)
        return RT_OK;
    if (!want)
        snprintf(why, sizeof(why), "its run.json does not list it");
    else if (st != RT_OK)
        snprintf(why, sizeof(why), "%s", rt_ctx_errmsg(ctx));
    else
        snprintf(why, sizeof(why), "its checksum differs from the one in run.json");
    rt_ctx_clear_error(ctx);
    return rti_error(ctx, RT_E_DATA,
                     "%s (%s of %s) is not the file that run read (%s); the comparison needs the "
                     "study, population and regions of run A as they were",
                     path, role, ri->dir, why);
}

/* Whether run B read role other than run A: another file (by checksum,
 * or by path where A's run.json has no checksum for it), or the same file
 * another way (its layer, attribute filter, column or band, as both
 * run.json record them in read_as; a run.json without it, of an earlier
 * version, is not checked for these); why gets a few words on what
 * differs. */
static int other_input(const run_info *a, const run_info *b, const char *role, char *why,
                       size_t size)
{
    json_object *ra = input_of(a->inputs, role), *rb = input_of(b->inputs, role);
    const char *sa = rti_jget_str(ra, "sha256"), *sb = rti_jget_str(rb, "sha256");
    const char *pa = rti_jget_str(ra, "path"), *pb = rti_jget_str(rb, "path");
    snprintf(why, size, "another file");
    if (!rb)
        return 1;
    if (sa ? !sb || strcmp(sa, sb) != 0 : sb || !pa || !pb || strcmp(pa, pb) != 0)
        return 1;
    json_object *ha = NULL, *hb = NULL;
    if (!json_object_object_get_ex(ra, "read_as", &ha) ||
        !json_object_object_get_ex(rb, "read_as", &hb))
        return 0;
    static const char *const how[] = {"layer", "where", "column", "band", NULL};
    for (int k = 0; how[k]; k++) {
        json_object *va = NULL, *vb = NULL;
        json_object_object_get_ex(ha, how[k], &va);
        json_object_object_get_ex(hb, how[k], &vb);
        const char *ta = va ? json_object_get_string(va) : NULL;
        const char *tb = vb ? json_object_get_string(vb) : NULL;
        if (ta || tb ? !ta || !tb || strcmp(ta, tb) != 0 : 0) {
            snprintf(why, size, "the same file with %s %s%s%s, run A's %s%s%s", how[k],
                     tb ? "'" : "", tb ? tb : "none", tb ? "'" : "", ta ? "'" : "",
                     ta ? ta : "none", ta ? "'" : "");
            return 1;
        }
    }
    return 0;
}

/* The population and region files of run A's study are those its run
 * read (the checksums of its run.json); B's population and regions are
 * A's, or a warning says that A's weigh the comparison (also when only B
 * has a population). */
static rt_status same_inputs(rt_ctx *ctx, const rt_study *s, const run_info *a, const run_info *b)
{
    const int max = rti_study_inputs_max(s);
    rti_input_file *in = rti_malloc_array(ctx, max, sizeof(*in), "input list");
    if (!in)
        return RT_E_NOMEM;
    const int n = rti_study_inputs(s, NULL, in, max);
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < n; i++) {
        int needed =
            strcmp(in[i].role, "population") == 0 || strncmp(in[i].role, "regions.", 8) == 0;
        if (!needed)
            continue;
        if ((st = same_file(ctx, a, in[i].role, in[i].path)) != RT_OK)
            break;
        char why[600];
        if (other_input(a, b, in[i].role, why, sizeof(why)))
            rti_log(ctx, RT_LOG_WARNING,
                    "%s: %s differs from run A's (%s: %s): the comparison weighs both by run "
                    "A's population and regions",
                    b->dir, in[i].role, in[i].path, why);
    }
    free(in);
    json_object *pb = input_of(b->inputs, "population");
    if (st == RT_OK && pb && !input_of(a->inputs, "population"))
        rti_log(ctx, RT_LOG_WARNING,
                "%s: run B has a population (%s), run A has none: the comparison weighs every "
                "cell as one person, as run A did",
                b->dir, rti_jget_str(pb, "path") ? rti_jget_str(pb, "path") : "?");
    return st;
}

/* ---- the grids ---- */

typedef struct times {
    double *t;  /* seconds, INFINITY = unreachable */
    float *len; /* metres, or NULL */
} times;

static rt_status read_grid(rt_ctx *ctx, const rti_run *run, const run_info *ri, const char *type,
                           const char *what, float *out)
{
    char name[300], path[4400];
    rti_type_file(type, what, "tif", name, sizeof(name));
    snprintf(path, sizeof(path), "%s/%s", ri->dir, name);
    if (!has_output(ri, name))
        return rti_error(
            ctx, RT_E_DATA, "%s: the run wrote no %s (outputs.grids%s was off): compare needs it",
            ri->dir, name,
            strcmp(what, rti_grid_suffix(RTI_GRID_LENGTH)) == 0 ? " or outputs.length" : "");
    /* the grid it declares, which run.json does not vouch for: a file
     * replaced since the run would be resampled into wrong numbers */
    const rti_grid_spec *g = &run->in.grid;
    rti_grid_spec own = {0};
    rt_status st = rti_raster_native_grid(ctx, path, &own);
    if (st == RT_OK && (own.nx != g->nx || own.ny != g->ny || own.x0 != g->x0 || own.y1 != g->y1 ||
                        own.cell_m != g->cell_m))
        st = rti_error(ctx, RT_E_DATA,
                       "%s: a grid of %d x %d cells of %.17g m from (%.17g, %.17g), not the %d x "
                       "%d of %.17g m from (%.17g, %.17g) of its run; the file changed since "
                       "the run",
                       path, own.nx, own.ny, own.cell_m, own.x0, own.y1, g->nx, g->ny, g->cell_m,
                       g->x0, g->y1);
    rti_layer_ref ref = {.path = path};
    return st == RT_OK ? rti_raster_warp(ctx, &ref, g, "near", out) : st;
}

static rt_status read_times(rt_ctx *ctx, const rti_run *run, const run_info *ri,
                            const rti_facility_type *def, times *tm)
{
    const int64_t n = run->in.n_cells;
    float *f = rti_malloc_array(ctx, n, sizeof(float), "compare grids");
    tm->t = rti_malloc_array(ctx, n, sizeof(double), "compare grids");
    if (!f || !tm->t) {
        free(f);
        return RT_E_NOMEM;
    }
    rt_status st = read_grid(ctx, run, ri, def->type, rti_grid_suffix(RTI_GRID_TIME), f);
    for (int64_t i = 0; st == RT_OK && i < n; i++)
        tm->t[i] = isfinite(f[i]) ? (double)f[i] * 60.0 : INFINITY;
    free(f);
    /* the lengths when a norm needs them (the run must have written them),
     * else when the run wrote them: its length statistics */
    int km = 0;
    for (int k = 0; k < def->n_norms; k++)
        km |= def->norms[k].kind == RT_NORM_LENGTH;
    char name[300];
    rti_type_file(def->type, rti_grid_suffix(RTI_GRID_LENGTH), "tif", name, sizeof(name));
    if (st == RT_OK && (km || has_output(ri, name))) {
        tm->len = rti_malloc_array(ctx, n, sizeof(float), "compare grids");
        st = tm->len ? read_grid(ctx, run, ri, def->type, rti_grid_suffix(RTI_GRID_LENGTH), tm->len)
                     : RT_E_NOMEM;
    }
    return st;
}

/* ---- the comparison ---- */

typedef struct compare {
    rti_run run;
    rt_run_opts ropts;
    const rt_compare_opts *opts;
    run_info a, b;
    rti_type_result *ra, *rb; /* per type */
    double **cmp;             /* per type */
    const char **tmp_delta;   /* per type */
    const char **tmp_csv;     /* per region layer: csv, csvt */
    const char *tmp_gpkg;
    const char *tmp_json;
    const char *tmp_report; /* NULL: no report */
    /* the report: run B as a scenario of run A, without facility marks */
    rti_report_state *rs;
    rti_report_view view;
    rti_report_type *rtypes;      /* per type: run A */
    rti_report_scen_type *stypes; /* per type: run B */
    const rti_polygons **regions; /* per region layer */
    rti_input_file *inputs;       /* run A's study's and run B's, for the maps' sources */
    rti_report_scenario scen;
    rti_scenario scen_def;
    char no_name[1];
    rti_points no_points;
} compare;

/* With outputs.report in run A's study and a region layer: the report's
 * view and its plan (the delta maps' images, filled per type while both
 * runs' times exist). The statistics come in as each type is compared. */
static rt_status plan_report(rt_ctx *ctx, compare *c)
{
    rti_run *run = &c->run;
    const rt_study *s = run->study;
    const int nt = s->n_facilities;
    c->rtypes = rti_malloc_array(ctx, nt, sizeof(*c->rtypes), "report");
    c->stypes = rti_malloc_array(ctx, nt, sizeof(*c->stypes), "report");
    c->regions = rti_malloc_array(ctx, s->n_regions, sizeof(*c->regions), "report");
    const int max = rti_study_inputs_max(s);
    const int n_b = (int)json_object_array_length(c->b.inputs);
    c->inputs = rti_malloc_array(ctx, (int64_t)max + n_b, sizeof(*c->inputs), "report");
    if (!c->rtypes || !c->stypes || !c->regions || !c->inputs)
        return RT_E_NOMEM;
    for (int r = 0; r < s->n_regions; r++)
        c->regions[r] = &run->in.regions[r].polys;
    for (int t = 0; t < nt; t++) {
        c->rtypes[t] = (rti_report_type){.def = &s->facilities[t], .pts = &c->no_points};
        c->stypes[t] = (rti_report_scen_type){.t = t, .pts = &c->no_points};
    }
    /* the maps' sources: run A's study's, then the files run B read (by
     * their names: run.json keeps no attribution) */
    int n_in = rti_study_inputs(s, NULL, c->inputs, max);
    for (int i = 0; i < n_b; i++) {
        json_object *rec = json_object_array_get_idx(c->b.inputs, i);
        const char *role = rti_jget_str(rec, "role"), *path = rti_jget_str(rec, "path");
        if (!role || !path)
            continue;
        c->inputs[n_in] = (rti_input_file){.path = path};
        snprintf(c->inputs[n_in].role, sizeof(c->inputs[n_in].role), "%s", role);
        n_in++;
    }
    c->scen_def =
        (rti_scenario){.name = c->no_name, .compare_threshold_s = c->opts->threshold_min * 60};
    c->scen = (rti_report_scenario){
        .def = &c->scen_def, .types = c->stypes, .n_types = nt, .compare_runs = 1};
    c->view = (rti_report_view){.study = s,
                                .grid = &run->in.grid,
                                .pop_on_grid = run->in.pop_on_grid,
                                .pop = s->has_population ? run->in.pop : NULL,
                                .regions = c->regions,
                                .types = c->rtypes,
                                .inputs = c->inputs,
                                .n_inputs = n_in,
                                .outdir = c->opts->outdir,
                                .outs = &run->outs,
                                .scenarios = &c->scen,
                                .n_scenarios = 1};
    return rti_report_plan(ctx, &c->view, &c->rs);
}

static void free_report(compare *c)
{
    rti_report_state_free(c->rs);
    free(c->rtypes);
    free(c->stypes);
    free(c->regions);
    free(c->inputs);
}

static rt_status plan(rt_ctx *ctx, compare *c)
{
    rti_run *run = &c->run;
    const rt_study *s = run->study;
    rt_status st = rti_run_lock_outdir(ctx, run);
    if (st == RT_OK)
        st = rti_run_protect_inputs(ctx, run);
    for (int k = 0; st == RT_OK && k < 2; k++) {
        const run_info *ri = k ? &c->b : &c->a;
        char path[4400], role[64];
        snprintf(role, sizeof(role), "run %c", k ? 'B' : 'A');
        for (size_t i = 0; st == RT_OK && i < json_object_array_length(ri->outputs); i++) {
            const char *o = json_object_get_string(json_object_array_get_idx(ri->outputs, i));
            if (!o)
                continue;
            snprintf(path, sizeof(path), "%s/%s", ri->dir, o);
            st = rti_outset_protect(ctx, &run->outs, path, role);
        }
        snprintf(path, sizeof(path), "%s/run.json", ri->dir);
        if (st == RT_OK)
            st = rti_outset_protect(ctx, &run->outs, path, role);
    }
    char name[300];
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        for (int k = 0; st == RT_OK && k < 4; k++) {
            rti_delta_output_name(s->facilities[t].type, k, name, sizeof(name));
            st = rti_run_add_output(ctx, run, name, &c->tmp_delta[4 * t + k]);
        }
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        for (int k = 0; st == RT_OK && k < 2; k++) {
            rti_region_table_name(s->regions[r].name, 1, k, name, sizeof(name));
            st = rti_run_add_output(ctx, run, name, &c->tmp_csv[2 * r + k]);
        }
    if (st == RT_OK && s->n_regions > 0)
        st = rti_run_add_output(ctx, run, "compare.gpkg", &c->tmp_gpkg);
    if (st == RT_OK && s->n_regions > 0 && s->outputs.report) {
        st = rti_run_add_output(ctx, run, "report.html", &c->tmp_report);
        if (st == RT_OK)
            st = plan_report(ctx, c);
    }
    if (st == RT_OK)
        st = rti_run_add_output(ctx, run, "run.json", &c->tmp_json);
    if (st == RT_OK)
        run->outs.manifest_last = 1;
    if (st == RT_OK)
        st = rti_run_check_foreign(ctx, run); /* its outputs are all registered */
    if (st == RT_OK)
        rti_run_clear_leftovers(ctx, run);
    return st == RT_OK ? rti_run_make_outdir(ctx, run) : st;
}

static rt_status compare_type(rt_ctx *ctx, compare *c, int t)
{
    rti_run *run = &c->run;
    const rti_facility_type *def = &run->study->facilities[t];
    times a = {0}, b = {0};
    rt_status st = read_times(ctx, run, &c->a, def, &a);
    if (st == RT_OK)
        st = read_times(ctx, run, &c->b, def, &b);
    if (st == RT_OK)
        st = rti_run_result_alloc(ctx, run, &c->ra[t]);
    if (st == RT_OK)
        st = rti_run_result_alloc(ctx, run, &c->rb[t]);
    rt_labels la = {.n_cells = run->in.n_cells, .time_s = a.t, .length_m = a.len};
    rt_labels lb = {.n_cells = run->in.n_cells, .time_s = b.t, .length_m = b.len};
    if (st == RT_OK)
        st = rti_run_region_stats(ctx, run, def, &la, NULL, &c->ra[t]);
    if (st == RT_OK)
        st = rti_run_region_stats(ctx, run, def, &lb, NULL, &c->rb[t]);
    if (st == RT_OK) {
        c->cmp[t] = rti_malloc_array(ctx, rti_cmp_at(run, def, run->study->n_regions, 0) + 1,
                                     sizeof(double), "comparison");
        st = c->cmp[t] ? RT_OK : RT_E_NOMEM;
    }
    if (st == RT_OK)
        rti_compare_cells(run, def, a.t, a.len, b.t, b.len, run->in.pop,
                          c->opts->threshold_min * 60, c->cmp[t]);
    if (st == RT_OK && c->rs) {
        c->rtypes[t].stats = c->ra[t].stats;
        c->rtypes[t].pop_total = c->ra[t].pop_total;
        c->stypes[t].stats = c->rb[t].stats;
        c->stypes[t].cmp = c->cmp[t];
        rti_report_add_delta(c->rs, &c->view, 0, t, a.t, b.t, run->in.pop,
                             run->in.regions[0].index);
    }
    if (st == RT_OK)
        st = rti_write_delta_outputs(ctx, run, c->tmp_delta + 4 * t, a.t, b.t, def->type,
                                     "run B minus run A");
    free(a.t);
    free(a.len);
    free(b.t);
    free(b.len);
    return st;
}

static rt_status write_manifest(rt_ctx *ctx, compare *c)
{
    rti_run *run = &c->run;
    json_object *root = json_object_new_object();
    json_object_object_add(root, "command", rti_jstr("compare"));
    json_object *versions = json_object_new_object();
    json_object_object_add(versions, "reistijd", rti_jstr(rt_version()));
    json_object_object_add(root, "versions", versions);
    for (int k = 0; k < 2; k++) {
        const run_info *ri = k ? &c->b : &c->a;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "folder", rti_jstr(ri->dir));
        json_object_object_add(o, "study", rti_jstr(ri->study_path));
        json_object_object_add(o, "study_sha256", rti_jstr(ri->study_sha));
        json_object_object_add(root, k ? "run_b" : "run_a", o);
    }
    json_object_object_add(root, "compare_threshold_min", rti_jnum(c->opts->threshold_min));
    json_object *outs = json_object_new_array();
    for (int i = 0; i < run->outs.n; i++)
        json_object_array_add(outs, rti_jstr(rti_run_output_name(run, run->outs.final[i])));
    json_object_object_add(root, "outputs", outs);
    int rc = json_object_to_file_ext(c->tmp_json, root,
                                     JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    json_object_put(root);
    return rc == 0 ? RT_OK : rti_error(ctx, RT_E_IO, "%s: cannot write run.json", c->opts->outdir);
}

/* The headline per type, summed over the first region layer. */
static char *summary(rt_ctx *ctx, const compare *c)
{
    const rti_run *run = &c->run;
    const rt_study *s = run->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_printf(&b, "compare %s (a) with %s (b): outputs in %s/", c->a.dir, c->b.dir,
                  c->opts->outdir);
    if (s->n_regions > 0)
        rti_sb_printf(&b, "; in the %s regions:", s->regions[0].name);
    rti_sb_put(&b, "\n");
    for (int t = 0; s->n_regions > 0 && t < s->n_facilities; t++) {
        rti_cmp_headline(&b, run, &s->facilities[t], s->facilities[t].type, c->cmp[t]);
        rti_sb_put(&b, "\n");
    }
    return rti_sb_take(&b);
}

/* The comparison of c->opts into its folder; with summary_out its
 * headlines, made before the outputs are moved into place (out of memory
 * there leaves nothing behind). */
static rt_status run_compare(rt_ctx *ctx, compare *c, rt_study **study, char **summary_out)
{
    const rt_compare_opts *o = c->opts;
    rt_status st = read_info(ctx, o->run_a, &c->a);
    if (st == RT_OK)
        st = read_info(ctx, o->run_b, &c->b);
    if (st == RT_OK)
        st = same_runs(ctx, &c->a, &c->b);
    if (st == RT_OK)
        st = same_file(ctx, &c->a, "study", c->a.study_path);
    if (st == RT_OK)
        st = rt_study_load(ctx, c->a.study_path, study);
    if (st == RT_OK && (*study)->memory_limit_bytes) /* as for its run; restored after */
        rt_ctx_set_budget_bytes(ctx, (*study)->memory_limit_bytes);
    if (st == RT_OK && (*study)->n_facilities > MAX_TYPES)
        st = rti_error(ctx, RT_E_DATA, "compare handles at most %d facility types", MAX_TYPES);
    if (st == RT_OK)
        st = same_inputs(ctx, *study, &c->a, &c->b);
    rt_run_opts_init(&c->ropts);
    c->ropts.outdir = o->outdir;
    c->ropts.overwrite = o->overwrite;
    if (st == RT_OK)
        st = rti_run_open_inputs(ctx, *study, &c->ropts, &c->run);
    const rti_grid_spec *g = &c->run.in.grid;
    if (st == RT_OK && (g->nx != c->a.columns || g->ny != c->a.rows || g->x0 != c->a.x_min ||
                        g->y1 != c->a.y_max || g->cell_m != c->a.cell))
        st = rti_error(ctx, RT_E_DATA,
                       "%s: its study now makes a grid of %d x %d cells of %.17g m from (%.17g, "
                       "%.17g), not the %lld x %lld of %.17g m from (%.17g, %.17g) of its run; the "
                       "study file or its inputs changed since",
                       c->a.dir, g->nx, g->ny, g->cell_m, g->x0, g->y1, (long long)c->a.columns,
                       (long long)c->a.rows, c->a.cell, c->a.x_min, c->a.y_max);
    const rt_study *s = *study;
    if (st == RT_OK) {
        c->ra = rti_malloc_array(ctx, s->n_facilities, sizeof(*c->ra), "comparison");
        c->rb = rti_malloc_array(ctx, s->n_facilities, sizeof(*c->rb), "comparison");
        c->cmp = rti_malloc_array(ctx, s->n_facilities, sizeof(*c->cmp), "comparison");
        c->tmp_delta =
            rti_malloc_array(ctx, 4 * (int64_t)s->n_facilities, sizeof(char *), "comparison");
        c->tmp_csv =
            rti_malloc_array(ctx, 2 * (int64_t)s->n_regions + 1, sizeof(char *), "comparison");
        st = c->ra && c->rb && c->cmp && c->tmp_delta && c->tmp_csv ? RT_OK : RT_E_NOMEM;
    }
    if (st == RT_OK)
        st = plan(ctx, c);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = compare_type(ctx, c, t);
    rti_cmp_type ct[MAX_TYPES];
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        ct[t] = (rti_cmp_type){&s->facilities[t], c->ra[t].stats, c->rb[t].stats,
                               c->cmp[t],         NULL,           NULL};
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        st = rti_write_compare_csv(ctx, &c->run, r, ct, s->n_facilities, c->tmp_csv[2 * r],
                                   c->tmp_csv[2 * r + 1]);
    if (st == RT_OK && c->tmp_gpkg)
        st = rti_write_compare_gpkg(ctx, &c->run, c->tmp_gpkg, ct, s->n_facilities);
    if (st == RT_OK && c->tmp_report) {
        const rti_report_runs runs = {c->a.dir, c->a.study_path, c->b.dir, c->b.study_path,
                                      o->threshold_min};
        st = rti_report_write_compare(ctx, c->rs, &c->view, &runs, c->tmp_report);
    }
    if (st == RT_OK)
        st = write_manifest(ctx, c);
    if (st == RT_OK && summary_out && !(*summary_out = summary(ctx, c)))
        st = RT_E_NOMEM;
    if (st == RT_OK)
        st = rti_outset_commit(ctx, &c->run.outs);
    return st;
}

void rt_compare_opts_init(rt_compare_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof(*o));
    o->struct_size = sizeof(*o);
    o->threshold_min = 1.0;
}

static rt_status compare_runs_in_c_locale(rt_ctx *ctx, const rt_compare_opts *caller_opts,
                                          char **summary_out)
{
    rt_compare_opts o;
    rt_compare_opts_init(&o);
    if (summary_out)
        *summary_out = NULL;
    if (!caller_opts)
        return rti_error(ctx, RT_E_ARG, "rt_compare_runs: no options given");
    rt_status st = rti_struct_in(ctx, caller_opts, RTI_V1_BYTES(rt_compare_opts, overwrite),
                                 sizeof(o), &o, "rt_compare_runs: rt_compare_opts");
    if (st != RT_OK)
        return st;
    if (!o.run_a || !*o.run_a || !o.run_b || !*o.run_b || !o.outdir || !*o.outdir)
        return rti_error(ctx, RT_E_ARG,
                         "rt_compare_runs: two run folders and an output folder "
                         "are needed");
    if (!(o.threshold_min >= 0 && o.threshold_min <= 100000))
        return rti_error(ctx, RT_E_ARG,
                         "the threshold of better and worse off must be from 0 to 100000 "
                         "minutes, got %g",
                         o.threshold_min);
    compare c;
    memset(&c, 0, sizeof(c));
    c.opts = &o;
    rt_study *study = NULL;
    const uint64_t caller_budget = rti_ctx_budget_requested(ctx);
    st = run_compare(ctx, &c, &study, summary_out);
    rt_ctx_set_budget_bytes(ctx, caller_budget);
    const int opened = c.run.study != NULL;
    if (st != RT_OK && summary_out) {
        free(*summary_out);
        *summary_out = NULL;
    }
    if (st != RT_OK && opened) {
        rti_outset_fail(ctx, &c.run.outs, st);
        rti_run_remove_outdir(&c.run);
    }
    rti_run_unlock_outdir(&c.run);
    for (int t = 0; opened && t < study->n_facilities; t++) {
        if (c.ra)
            rti_run_result_free(&c.run, &c.ra[t]);
        if (c.rb)
            rti_run_result_free(&c.run, &c.rb[t]);
        if (c.cmp)
            free(c.cmp[t]);
    }
    free_report(&c);
    free(c.ra);
    free(c.rb);
    free(c.cmp);
    free(c.tmp_delta);
    free(c.tmp_csv);
    if (opened)
        rti_run_close(&c.run);
    rt_study_destroy(study);
    json_object_put(c.a.root);
    json_object_put(c.b.root);
    return st;
}

rt_status rt_compare_runs(rt_ctx *ctx, const rt_compare_opts *caller_opts, char **summary_out)
{
    if (!ctx)
        return RT_E_ARG;
    RTI_IN_C_LOCALE(ctx, rt_status, compare_runs_in_c_locale(ctx, caller_opts, summary_out));
}
