/* run.json: what went in (files with sizes and SHA-256), the parameters,
 * the library versions, the time per stage and what came out. Written with
 * json-c. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

rt_status rti_run_hash_inputs(rt_ctx *ctx, rti_run *run)
{
    free(run->inputs);
    run->inputs = rti_run_input_files(ctx, run, &run->n_inputs);
    if (!run->inputs)
        return RT_E_NOMEM;
    for (int i = 0; i < run->n_inputs; i++) {
        rti_input_file *in = &run->inputs[i];
        /* a folder dataset (a .gdb, say), a database or a URL has no
         * single checksum (RT_E_IO); out of memory is not that */
        const rt_status st = rti_file_sha256(ctx, in->path, in->sha256, &in->size_bytes);
        in->has_sum = st == RT_OK;
        if (st != RT_OK && st != RT_E_IO)
            return st;
        if (!in->has_sum)
            rt_ctx_clear_error(ctx);
        /* the checksums are taken at the end: a file modified since the
         * start may not be what the run read, and gets none */
        struct stat sb;
        if (in->has_sum && stat(in->path, &sb) == 0 &&
            (sb.st_mtim.tv_sec > run->started.tv_sec ||
             (sb.st_mtim.tv_sec == run->started.tv_sec &&
              sb.st_mtim.tv_nsec > run->started.tv_nsec))) {
            in->has_sum = 0;
            in->changed = 1;
            rti_log(ctx, RT_LOG_WARNING,
                    "%s: %s was modified while the run read it: run.json gives no checksum for "
                    "it (compare cannot check it); run again for a record of what was read",
                    in->path, in->role);
        }
    }
    return RT_OK;
}

static json_object *inputs(const rti_run *run)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < run->n_inputs; i++) {
        const rti_input_file *in = &run->inputs[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "role", rti_jstr(in->role));
        json_object_object_add(o, "path", rti_jstr(in->path));
        if (in->has_sum) {
            json_object_object_add(o, "size_bytes", json_object_new_int64((int64_t)in->size_bytes));
            json_object_object_add(o, "sha256", rti_jstr(in->sha256));
        }
        if (in->changed)
            json_object_object_add(o, "changed_during_run", json_object_new_boolean(1));
        json_object *how = json_object_new_object(); /* what compare checks beside the file */
        if (in->layer)
            json_object_object_add(how, "layer", rti_jstr(in->layer));
        if (in->where)
            json_object_object_add(how, "where", rti_jstr(in->where));
        if (in->band)
            json_object_object_add(how, "band", json_object_new_int(in->band));
        if (in->column)
            json_object_object_add(how, "column", rti_jstr(in->column));
        json_object_object_add(o, "read_as", how);
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *parameters(const rti_run *run)
{
    const rt_study *s = run->study;
    json_object *p = json_object_new_object();
    json_object_object_add(p, "crs", rti_jstr(s->crs));
    json_object_object_add(p, "cell_size_m", rti_jnum(s->cell_m));
    json_object_object_add(p, "x_min", rti_jnum(run->in.grid.x0));
    json_object_object_add(p, "y_max", rti_jnum(run->in.grid.y1));
    json_object_object_add(p, "columns", json_object_new_int(run->in.grid.nx));
    json_object_object_add(p, "rows", json_object_new_int(run->in.grid.ny));
    json_object_object_add(p, "passable_cells",
                           json_object_new_int64(rti_medium_passable(run->medium)));
    json_object_object_add(p, "neighbours", json_object_new_int(s->neighbours));
    json_object_object_add(p, "snap_radius_m", rti_jnum(s->snap_radius_m));
    json_object *m = json_object_new_object();
    rti_medium_facts facts;
    rti_medium_facts_of(run->medium, &facts);
    json_object_object_add(m, "type", rti_jstr(facts.type));
    if (isfinite(facts.offroad_kmh))
        json_object_object_add(m, "offroad_kmh", rti_jnum(facts.offroad_kmh));
    if (facts.land_type) {
        json_object *om = json_object_new_object();
        json_object_object_add(om, "type", rti_jstr(facts.land_type));
        if (isfinite(facts.land_offroad_kmh))
            json_object_object_add(om, "offroad_kmh", rti_jnum(facts.land_offroad_kmh));
        json_object_object_add(om, "description", rti_jstr(facts.land_description));
        json_object_object_add(m, "offroad", om);
    }
    if (facts.has_graph) {
        json_object_object_add(m, "profile", rti_jstr(facts.profile_path));
        json_object_object_add(m, "access_kmh", rti_jnum(s->medium.access_kmh));
        json_object_object_add(m, "access_max_m", rti_jnum(s->medium.access_max_m));
        json_object_object_add(m, "road_nodes", json_object_new_int64(facts.road_nodes));
        json_object_object_add(m, "road_edges", json_object_new_int64(facts.road_edges));
        json_object_object_add(m, "road_edges_used", json_object_new_int64(facts.road_edges_used));
    }
    json_object_object_add(m, "description", rti_jstr(s->medium.description));
    json_object_object_add(p, "medium", m);
    json_object *pop = json_object_new_object();
    json_object_object_add(pop, "on_grid", rti_jnum(run->in.pop_on_grid));
    json_object_object_add(pop, "outside_extent", rti_jnum(run->in.pop_off_grid));
    json_object_object_add(p, "population", pop);
    return p;
}

static json_object *facilities(const rti_run *run)
{
    json_object *a = json_object_new_array();
    for (int t = 0; t < run->study->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "type", rti_jstr(tr->def->type));
        json_object_object_add(o, "read", json_object_new_int64(tr->pts.n));
        json_object_object_add(o, "moved", json_object_new_int64(tr->place.n_snapped));
        json_object_object_add(o, "left_out", json_object_new_int64(tr->place.n_dropped));
        json_object_object_add(o, "population_reached", rti_jnum(tr->res.pop_reached));
        json_object *outside = json_object_new_object();
        for (int r = 0; tr->res.pop_outside && r < run->study->n_regions; r++)
            json_object_object_add(outside, run->study->regions[r].name,
                                   rti_jnum(tr->res.pop_outside[r]));
        json_object_object_add(o, "population_outside_regions", outside);
        json_object_object_add(o, "seconds", rti_jnum(tr->res.seconds));
        json_object *norms = json_object_new_array();
        for (int k = 0; k < tr->def->n_norms; k++) {
            const rt_norm *n = &tr->def->norms[k];
            json_object *no = json_object_new_object();
            json_object_object_add(
                no, n->kind == RT_NORM_TIME ? "minutes" : "km",
                rti_jnum(n->kind == RT_NORM_TIME ? n->limit_s / 60 : n->limit_m / 1000));
            json_object_array_add(norms, no);
        }
        json_object_object_add(o, "norms", norms);
        json_object_array_add(a, o);
    }
    return a;
}

rt_status rti_run_write_manifest(rt_ctx *ctx, rti_run *run)
{
    const char *tmp = NULL;
    rt_status added = rti_run_add_output(ctx, run, "run.json", &tmp);
    if (added != RT_OK)
        return added;
    run->outs.manifest_last = 1;
    json_object *root = json_object_new_object();
    json_object *ver = json_object_new_object();
    json_object_object_add(ver, "reistijd", rti_jstr(rt_version()));
    json_object_object_add(ver, "gdal", rti_jstr(rti_io_gdal_version()));
    json_object_object_add(ver, "proj", rti_jstr(rti_io_proj_version()));
    json_object_object_add(ver, "geos", rti_jstr(rti_io_geos_version()));
    json_object_object_add(root, "versions", ver);
    json_object_object_add(root, "study", rti_jstr(run->study->name));
    char when[32];
    time_t now = time(NULL);
    struct tm tmv;
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
    json_object_object_add(root, "finished_utc", rti_jstr(when));
    json_object_object_add(root, "threads", json_object_new_int(run->threads));
    json_object_object_add(root, "inputs", inputs(run));
    json_object_object_add(root, "parameters", parameters(run));
    json_object_object_add(root, "facilities", facilities(run));
    if (run->scen)
        json_object_object_add(root, "scenarios", rti_scen_manifest(run));
    json_object *st = json_object_new_object();
    for (int i = 0; i < run->n_stages; i++)
        json_object_object_add(st, run->stages[i].name, rti_jnum(run->stages[i].seconds));
    json_object_object_add(root, "stage_seconds", st);
    json_object_object_add(root, "total_seconds", rti_jnum(rti_now_s() - run->t_start));
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        json_object_object_add(root, "peak_rss_bytes",
                               json_object_new_int64((int64_t)ru.ru_maxrss * 1024));
    json_object_object_add(root, "memory_estimate_bytes",
                           json_object_new_int64((int64_t)run->est_bytes));
    json_object *warn = json_object_new_array();
    for (int i = 0; i < run->n_warnings; i++)
        json_object_array_add(warn, rti_jstr(run->warnings[i]));
    json_object_object_add(root, "warnings", warn);
    json_object *outs = json_object_new_array();
    for (int i = 0; i < run->outs.n; i++) /* relative to the output folder */
        json_object_array_add(outs, rti_jstr(rti_run_output_name(run, run->outs.final[i])));
    json_object_object_add(root, "outputs", outs);
    int rc = json_object_to_file_ext(tmp, root,
                                     JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    json_object_put(root);
    if (rc != 0) {
        const char *why = json_util_get_last_err();
        size_t n = why ? strcspn(why, "\n") : 0; /* json-c ends its message with a newline */
        return rti_error(ctx, RT_E_IO, "%s: cannot write run.json: %.*s", run->opts->outdir, (int)n,
                         why ? why : "");
    }
    return RT_OK;
}
