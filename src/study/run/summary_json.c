/* The JSON texts behind --json (docs/cli.md, "JSON output"): the summary
 * of a run or a validation, the result of nearest, and a failure. Built
 * with json-c; the CLI only prints them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "core/ctx_internal.h"
#include "core/sbuf.h"
#include "study/run/run.h"

json_object *rti_jstr(const char *s)
{
    if (!s)
        return NULL;
    const size_t len = strlen(s);
    if (rti_utf8_invalid_at((const unsigned char *)s, len) == len)
        return json_object_new_string(s);
    char *valid = rti_utf8_valid_copy(s);
    json_object *j = valid ? json_object_new_string(valid) : NULL;
    free(valid);
    return j;
}

char *rti_json_text(json_object *root)
{
    if (!root)
        return NULL; /* out of memory creating it */
    const char *text = json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    memcpy(out, text, n);
    out[n] = '\n';
    out[n + 1] = '\0';
    return out;
}

static json_object *peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return NULL;
    return rti_jint((int64_t)ru.ru_maxrss * 1024); /* KiB on Linux */
}

/* {"minutes": 1.5} or {"km": 2} */
static json_object *norm_json(const rt_norm *n)
{
    json_object *o = json_object_new_object();
    if (n->kind == RT_NORM_TIME)
        json_object_object_add(o, "minutes", rti_jnum(n->limit_s / 60));
    else
        json_object_object_add(o, "km", rti_jnum(n->limit_m / 1000));
    return o;
}

/* The inputs as run.json names them, with their size but without the
 * checksum (a validation reads large files once already). A folder
 * dataset has no size. */
static json_object *inputs_json(const rt_study *s)
{
    json_object *a = json_object_new_array();
    const int max = rti_study_inputs_max(s);
    rti_input_file *in = calloc((size_t)max, sizeof(*in));
    int n = in ? rti_study_inputs(s, NULL, in, max) : 0;
    for (int i = 0; i < n; i++) {
        struct stat sb;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "role", rti_jstr(in[i].role));
        json_object_object_add(o, "path", rti_jstr(in[i].path));
        if (stat(in[i].path, &sb) == 0 && S_ISREG(sb.st_mode))
            json_object_object_add(o, "size_bytes", rti_jint((int64_t)sb.st_size));
        json_object_array_add(a, o);
    }
    free(in);
    return a;
}

static json_object *grid_json(const rti_run *run)
{
    const rt_study *s = run->study;
    json_object *g = json_object_new_object();
    json_object_object_add(g, "crs", rti_jstr(s->crs));
    json_object_object_add(g, "cell_size_m", rti_jnum(run->in.grid.cell_m));
    json_object_object_add(g, "columns", json_object_new_int(run->in.grid.nx));
    json_object_object_add(g, "rows", json_object_new_int(run->in.grid.ny));
    json_object_object_add(g, "cells", rti_jint(run->in.n_cells));
    json_object_object_add(g, "passable_cells", rti_jint(rti_medium_passable(run->medium)));
    json_object_object_add(g, "x_min", rti_jnum(run->in.grid.x0));
    json_object_object_add(g, "y_max", rti_jnum(run->in.grid.y1));
    json_object_object_add(g, "neighbours", json_object_new_int(s->neighbours));
    return g;
}

/* One row of the statistics of a region, in minutes and kilometres. */
static json_object *region_row(const rti_run *run, int t, int r, int64_t i)
{
    const rti_facility_type *f = run->types[t].def;
    const rti_polygons *p = &run->in.regions[r].polys;
    const rt_region_stats *x = &run->types[t].res.stats[r][i];
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", rti_jstr(p->id[i]));
    json_object_object_add(o, "name", p->name ? rti_jstr(p->name[i]) : NULL);
    json_object_object_add(o, "population", rti_jnum(x->pop_persons));
    json_object_object_add(o, "population_reached", rti_jnum(x->pop_reached_persons));
    json_object_object_add(o, "population_unreachable", rti_jnum(x->pop_unreachable_persons));
    json_object_object_add(o, "time_mean_min", rti_jnum(x->time_mean_s / 60));
    json_object_object_add(o, "time_median_min", rti_jnum(x->time_median_s / 60));
    json_object_object_add(o, "time_p90_min", rti_jnum(x->time_p90_s / 60));
    json_object_object_add(o, "time_max_min", rti_jnum(x->time_max_s / 60));
    json_object_object_add(o, "length_mean_km", rti_jnum(x->length_mean_m / 1000));
    json_object *beyond = json_object_new_array();
    for (int k = 0; k < f->n_norms; k++) {
        json_object *b = norm_json(&f->norms[k]);
        json_object_object_add(b, "population", rti_jnum(x->pop_beyond_persons[k]));
        json_object_object_add(b, "share", rti_jnum(x->share_beyond[k]));
        json_object_array_add(beyond, b);
    }
    json_object_object_add(o, "beyond", beyond);
    return o;
}

/* The statistics of type t per region layer (run only). */
static json_object *type_regions(const rti_run *run, int t)
{
    const rti_type_run *tr = &run->types[t];
    json_object *layers = json_object_new_array();
    for (int r = 0; r < run->study->n_regions; r++) {
        json_object *l = json_object_new_object();
        json_object_object_add(l, "layer", rti_jstr(run->study->regions[r].name));
        json_object_object_add(l, "population_outside", rti_jnum(tr->res.pop_outside[r]));
        json_object *rows = json_object_new_array();
        for (int64_t i = 0; i < run->in.regions[r].polys.n; i++)
            json_object_array_add(rows, region_row(run, t, r, i));
        json_object_object_add(l, "regions", rows);
        json_object_array_add(layers, l);
    }
    return layers;
}

/* The measures of type t (docs/cli.md): what each is and, after a run,
 * over the regions of the first layer its population-weighted mean and
 * the people with none within reach. */
static json_object *measures_json(const rti_run *run, int t)
{
    const rti_facility_type *f = run->types[t].def;
    json_object *a = json_object_new_array();
    for (int k = 0; k < f->n_measures; k++) {
        const rti_measure_def *d = &f->measures[k];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", rti_jstr(d->name));
        json_object_object_add(o, "kind", rti_jstr(RTI_MEASURE_NAMES[d->m.kind]));
        json_object_object_add(o, "crowfly", json_object_new_boolean(d->crowfly));
        json_object_object_add(o, "route", json_object_new_boolean(d->route));
        json_object_object_add(o, d->crowfly || d->route ? "cutoff_km" : "cutoff_min",
                               rti_jnum(d->m.cutoff / d->m.unit));
        const char *unit = rti_measure_unit(d);
        json_object_object_add(o, "unit", *unit ? rti_jstr(unit) : NULL);
        if (run->meas && !run->opts->validate_only) {
            rti_measure_region all;
            rti_measure_pooled(rti_run_measure_rows(run, t, k, 0), run->in.regions[0].polys.n,
                               rti_measure_is_cost(d->m.kind), &all);
            json_object_object_add(o, "region_layer", rti_jstr(run->study->regions[0].name));
            json_object_object_add(o, "population", rti_jnum(all.pop_persons));
            json_object_object_add(o, "mean", rti_jnum(all.mean));
            json_object_object_add(o, "population_none", rti_jnum(all.pop_zero_persons));
        }
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *types_json(const rti_run *run)
{
    int computed = !run->opts->validate_only;
    json_object *a = json_object_new_array();
    for (int t = 0; t < run->study->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "type", rti_jstr(tr->def->type));
        json_object_object_add(o, "label",
                               rti_jstr(tr->def->label ? tr->def->label : tr->def->type));
        json_object_object_add(o, "read", rti_jint(tr->pts.n));
        json_object_object_add(o, "used", rti_jint(tr->pts.n - tr->place.n_dropped));
        json_object_object_add(o, "moved", rti_jint(tr->place.n_snapped));
        json_object_object_add(o, "left_out", rti_jint(tr->place.n_dropped));
        json_object *norms = json_object_new_array();
        for (int k = 0; k < tr->def->n_norms; k++)
            json_object_array_add(norms, norm_json(&tr->def->norms[k]));
        json_object_object_add(o, "norms", norms);
        if (tr->def->n_measures > 0)
            json_object_object_add(o, "measures", measures_json(run, t));
        if (computed && tr->res.stats) {
            json_object_object_add(o, "population_reached", rti_jnum(tr->res.pop_reached));
            json_object_object_add(o, "seconds", rti_jnum(tr->res.seconds));
            json_object_object_add(o, "region_layers", type_regions(run, t));
        }
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *region_layers_json(const rti_run *run)
{
    json_object *a = json_object_new_array();
    for (int r = 0; r < run->study->n_regions; r++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "layer", rti_jstr(run->study->regions[r].name));
        json_object_object_add(o, "regions", rti_jint(run->in.regions[r].polys.n));
        json_object_object_add(o, "overlapping_cells", rti_jint(run->in.regions[r].n_overlap));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *outputs_json(const rti_run *run)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < run->outs.n; i++) /* by their path in the output folder */
        json_object_array_add(a, rti_jstr(rti_run_output_name(run, run->outs.final[i])));
    return a;
}

char *rti_run_summary_json(const rti_run *run)
{
    const rt_study *s = run->study;
    int validate = run->opts->validate_only;
    json_object *root = json_object_new_object();
    json_object_object_add(root, "status", rti_jstr("ok"));
    json_object_object_add(root, "command", rti_jstr(validate ? "validate" : "run"));
    json_object_object_add(root, "reistijd", rti_jstr(rt_version()));
    json_object_object_add(root, "study", rti_jstr(s->name));
    json_object_object_add(root, "study_file", rti_jstr(s->path));
    if (!validate) {
        json_object_object_add(root, "outdir", rti_jstr(run->opts->outdir));
        json_object_object_add(root, "outputs", outputs_json(run));
    }
    json_object_object_add(root, "inputs", inputs_json(s));
    json_object_object_add(root, "grid", grid_json(run));
    json_object *pop = NULL;
    if (s->has_population) {
        pop = json_object_new_object();
        json_object_object_add(pop, "on_grid", rti_jnum(run->in.pop_on_grid));
        json_object_object_add(pop, "outside_extent", rti_jnum(run->in.pop_off_grid));
    }
    json_object_object_add(root, "population", pop);
    json_object_object_add(root, "region_layers", region_layers_json(run));
    json_object_object_add(root, "facilities", types_json(run));
    json_object *w = json_object_new_array();
    for (int i = 0; i < run->n_warnings; i++)
        json_object_array_add(w, rti_jstr(run->warnings[i]));
    json_object_object_add(root, "warnings", w);
    json_object *st = json_object_new_object();
    for (int i = 0; i < run->n_stages; i++)
        json_object_object_add(st, run->stages[i].name, rti_jnum(run->stages[i].seconds));
    json_object_object_add(root, "stage_seconds", st);
    json_object_object_add(root, "total_seconds", rti_jnum(rti_now_s() - run->t_start));
    json_object_object_add(root, "threads", json_object_new_int(run->threads));
    json_object_object_add(root, "memory_estimate_bytes", rti_jbytes(run->est_bytes));
    json_object_object_add(root, "memory_budget_bytes", rti_jbytes(run->budget_bytes));
    json_object_object_add(root, "peak_rss_bytes", peak_rss());
    char *text = rti_json_text(root);
    json_object_put(root);
    return text;
}

/* The output file and units of a nearest job, and its layer. */
static void nearest_files(json_object *root, const rt_nearest_opts *o)
{
    json_object_object_add(root, "layer", rti_jstr(o->layer));
    json_object_object_add(root, "output", rti_jstr(o->out_path));
    json_object_object_add(root, "units", rti_jstr(o->minutes ? "min" : "s"));
}

static char *nearest_json_in_c_locale(const rt_ctx *ctx, const rt_nearest_opts *opts,
                                      const rt_nearest_result *result)
{
    rt_nearest_opts oo;
    rt_nearest_result rr;
    if (!result || rti_nearest_opts_in(NULL, opts, &oo) != RT_OK ||
        rti_nearest_result_in(NULL, result, &rr) != RT_OK)
        return NULL;
    const rt_nearest_opts *o = &oo;
    const rt_nearest_result *r = &rr;
    json_object *root = json_object_new_object();
    json_object_object_add(root, "status", rti_jstr("ok"));
    json_object_object_add(root, "command", rti_jstr("nearest"));
    json_object_object_add(root, "reistijd", rti_jstr(rt_version()));
    if (o->network_path) {
        json_object_object_add(root, "medium", rti_jstr("network"));
        json_object_object_add(root, "network", rti_jstr(o->network_path));
        json_object_object_add(root, "sources", rti_jstr(o->sources_path));
        nearest_files(root, o);
        json_object_object_add(root, "nodes", rti_jint(r->n_nodes));
        json_object_object_add(root, "arcs", rti_jint(r->n_arcs));
        json_object_object_add(root, "graph_bytes", rti_jint((int64_t)r->graph_bytes));
        json_object_object_add(root, "sources_read", rti_jint(r->n_facilities));
        json_object_object_add(root, "nodes_reached", rti_jint(r->n_reached));
        json_object_object_add(root, "graph_seconds", rti_jnum(r->graph_s));
    } else {
        json_object_object_add(root, "medium", rti_jstr("grid"));
        json_object_object_add(root, "friction", rti_jstr(o->friction_path));
        json_object_object_add(root, "band", json_object_new_int(o->band));
        json_object_object_add(root, "facilities", rti_jstr(o->facilities_path));
        nearest_files(root, o);
        json_object_object_add(root, "neighbours", json_object_new_int(o->neighbours));
        json_object_object_add(root, "facilities_read", rti_jint(r->n_facilities));
        json_object_object_add(root, "facilities_moved", rti_jint(r->n_snapped));
        json_object_object_add(root, "facilities_left_out", rti_jint(r->n_dropped));
    }
    json_object_object_add(root, "core_seconds", rti_jnum(r->core_s));
    json_object_object_add(root, "threads", ctx ? json_object_new_int(rt_ctx_threads(ctx)) : NULL);
    json_object_object_add(root, "peak_rss_bytes", peak_rss());
    char *text = rti_json_text(root);
    json_object_put(root);
    return text;
}

char *rt_nearest_json(const rt_ctx *ctx, const rt_nearest_opts *opts,
                      const rt_nearest_result *result)
{
    RTI_IN_C_LOCALE(NULL, char *, nearest_json_in_c_locale(ctx, opts, result));
}

static char *error_json_in_c_locale(const char *command, const char *code, const char *message,
                                    int exit_code)
{
    json_object *root = json_object_new_object();
    if (!root)
        return NULL;
    json_object_object_add(root, "status", rti_jstr("error"));
    json_object_object_add(root, "command", rti_jstr(command));
    json_object_object_add(root, "code", rti_jstr(code));
    json_object_object_add(root, "exit_code", json_object_new_int(exit_code));
    json_object_object_add(root, "message", rti_jstr(message));
    char *text = rti_json_text(root);
    json_object_put(root);
    return text;
}

char *rt_error_json(const char *command, const char *code, const char *message, int exit_code)
{
    RTI_IN_C_LOCALE(NULL, char *, error_json_in_c_locale(command, code, message, exit_code));
}
