/* run.json: what went in (files with sizes and SHA-256), the parameters,
 * the library versions, the time per stage and what came out. Written with
 * json-c. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

static json_object *jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }
static json_object *jnum(double v) { return isfinite(v) ? json_object_new_double(v) : NULL; }

static void add_input(rt_ctx *ctx, rti_run *run, const char *role, const rti_source *src)
{
    if (!src->path)
        return;
    rti_run_input *in = &run->inputs[run->n_inputs++];
    snprintf(in->role, sizeof(in->role), "%s", role);
    in->path = src->path;
    in->attribution = src->attribution;
    /* a folder dataset (a .gdb, say) has no single checksum */
    in->has_sum = rti_file_sha256(ctx, src->path, in->sha256, &in->size_bytes) == RT_OK;
    if (!in->has_sum)
        rt_ctx_clear_error(ctx);
}

rt_status rti_run_hash_inputs(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    const rti_medium *m = &s->medium;
    char role[128];
    free(run->inputs);
    run->n_inputs = 0;
    run->inputs = rti_malloc_array(ctx, 8 + s->n_regions + s->n_facilities, sizeof(*run->inputs),
                                   "input list");
    if (!run->inputs)
        return RT_E_NOMEM;
    rti_source study = {.path = s->path};
    add_input(ctx, run, "study", &study);
    if (m->kind == RTI_MEDIUM_FRICTION || m->kind == RTI_MEDIUM_SPEED)
        add_input(ctx, run, "medium", &m->raster);
    if (run->net && run->net->profile_path) {
        rti_source prof = {.path = run->net->profile_path};
        add_input(ctx, run, "medium.profile", &prof);
    }
    if (m->has_land)
        add_input(ctx, run, "medium.land", &m->land);
    if (m->has_roads)
        add_input(ctx, run, "medium.roads", &m->roads);
    const rti_medium *o = m->offroad; /* hybrid: the medium over land */
    if (o && (o->kind == RTI_MEDIUM_FRICTION || o->kind == RTI_MEDIUM_SPEED))
        add_input(ctx, run, "medium.offroad", &o->raster);
    if (o && o->has_land)
        add_input(ctx, run, "medium.offroad.land", &o->land);
    if (o && o->has_roads)
        add_input(ctx, run, "medium.offroad.roads", &o->roads);
    if (s->has_population)
        add_input(ctx, run, "population", &s->population.src);
    for (int r = 0; r < s->n_regions; r++) {
        snprintf(role, sizeof(role), "regions.%s", s->regions[r].name);
        add_input(ctx, run, role, &s->regions[r].src);
    }
    for (int t = 0; t < s->n_facilities; t++) {
        snprintf(role, sizeof(role), "facilities.%s", s->facilities[t].type);
        add_input(ctx, run, role, &s->facilities[t].src);
    }
    return RT_OK;
}

static json_object *inputs(const rti_run *run)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < run->n_inputs; i++) {
        const rti_run_input *in = &run->inputs[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "role", jstr(in->role));
        json_object_object_add(o, "path", jstr(in->path));
        if (in->has_sum) {
            json_object_object_add(o, "size_bytes", json_object_new_int64((int64_t)in->size_bytes));
            json_object_object_add(o, "sha256", jstr(in->sha256));
        }
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *parameters(const rti_run *run)
{
    const rt_study *s = run->study;
    json_object *p = json_object_new_object();
    json_object_object_add(p, "crs", jstr(s->crs));
    json_object_object_add(p, "cell_size_m", jnum(s->cell_m));
    json_object_object_add(p, "x_min", jnum(run->grid.x0));
    json_object_object_add(p, "y_max", jnum(run->grid.y1));
    json_object_object_add(p, "columns", json_object_new_int(run->grid.nx));
    json_object_object_add(p, "rows", json_object_new_int(run->grid.ny));
    json_object_object_add(p, "passable_cells", json_object_new_int64(run->n_passable));
    json_object_object_add(p, "neighbours", json_object_new_int(s->neighbours));
    json_object_object_add(p, "snap_radius_m", jnum(s->snap_radius_m));
    json_object *m = json_object_new_object();
    json_object_object_add(m, "type", jstr(rti_medium_kind_name(s->medium.kind)));
    if (s->medium.kind == RTI_MEDIUM_SPEED_MODEL)
        json_object_object_add(m, "offroad_kmh", jnum(s->medium.offroad_kmh));
    if (s->medium.offroad) {
        const rti_medium *o = s->medium.offroad;
        json_object *om = json_object_new_object();
        json_object_object_add(om, "type", jstr(rti_medium_kind_name(o->kind)));
        if (o->kind == RTI_MEDIUM_SPEED_MODEL)
            json_object_object_add(om, "offroad_kmh", jnum(o->offroad_kmh));
        json_object_object_add(om, "description", jstr(o->description));
        json_object_object_add(m, "offroad", om);
    }
    if (run->net) {
        json_object_object_add(m, "profile", jstr(run->net->profile_path));
        json_object_object_add(m, "access_kmh", jnum(s->medium.access_kmh));
        json_object_object_add(m, "access_max_m", jnum(s->medium.access_max_m));
        json_object_object_add(m, "road_nodes", json_object_new_int64(run->net->roads.n_nodes));
        json_object_object_add(m, "road_edges", json_object_new_int64(run->net->roads.n_edges));
        json_object_object_add(m, "road_edges_used",
                               json_object_new_int64(run->net->g.n_edges_used));
    }
    json_object_object_add(m, "description", jstr(s->medium.description));
    json_object_object_add(p, "medium", m);
    json_object *pop = json_object_new_object();
    json_object_object_add(pop, "on_grid", jnum(run->pop_on_grid));
    json_object_object_add(pop, "outside_extent", jnum(run->pop_off_grid));
    json_object_object_add(p, "population", pop);
    return p;
}

static json_object *facilities(const rti_run *run)
{
    json_object *a = json_object_new_array();
    for (int t = 0; t < run->study->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "type", jstr(tr->def->type));
        json_object_object_add(o, "read", json_object_new_int64(tr->pts.n));
        json_object_object_add(o, "moved", json_object_new_int64(tr->n_snapped));
        json_object_object_add(o, "left_out", json_object_new_int64(tr->n_dropped));
        json_object_object_add(o, "population_reached", jnum(tr->pop_reached));
        json_object *outside = json_object_new_object();
        for (int r = 0; tr->pop_outside && r < run->study->n_regions; r++)
            json_object_object_add(outside, run->study->regions[r].name, jnum(tr->pop_outside[r]));
        json_object_object_add(o, "population_outside_regions", outside);
        json_object_object_add(o, "seconds", jnum(tr->seconds));
        json_object *norms = json_object_new_array();
        for (int k = 0; k < tr->def->n_norms; k++) {
            const rt_norm *n = &tr->def->norms[k];
            json_object *no = json_object_new_object();
            json_object_object_add(no, n->kind == RT_NORM_TIME ? "minutes" : "km",
                                   jnum(n->kind == RT_NORM_TIME ? n->limit / 60 : n->limit / 1000));
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
    char *path = rti_run_path(ctx, run, "run.json");
    if (!path)
        return RT_E_NOMEM;
    tmp = rti_outset_add(ctx, &run->outs, path);
    free(path);
    if (!tmp)
        return RT_E_NOMEM;
    json_object *root = json_object_new_object();
    json_object *ver = json_object_new_object();
    json_object_object_add(ver, "reistijd", jstr(rt_version()));
    json_object_object_add(ver, "gdal", jstr(rti_io_gdal_version()));
    json_object_object_add(ver, "proj", jstr(rti_io_proj_version()));
    json_object_object_add(ver, "geos", jstr(rti_io_geos_version()));
    json_object_object_add(root, "versions", ver);
    json_object_object_add(root, "study", jstr(run->study->name));
    char when[32];
    time_t now = time(NULL);
    struct tm tmv;
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
    json_object_object_add(root, "finished_utc", jstr(when));
    json_object_object_add(root, "threads", json_object_new_int(run->threads));
    json_object_object_add(root, "inputs", inputs(run));
    json_object_object_add(root, "parameters", parameters(run));
    json_object_object_add(root, "facilities", facilities(run));
    json_object *st = json_object_new_object();
    for (int i = 0; i < run->n_stages; i++)
        json_object_object_add(st, run->stages[i].name, jnum(run->stages[i].seconds));
    json_object_object_add(root, "stage_seconds", st);
    json_object_object_add(root, "total_seconds", jnum(rti_now_s() - run->t_start));
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        json_object_object_add(root, "peak_rss_bytes",
                               json_object_new_int64((int64_t)ru.ru_maxrss * 1024));
    json_object_object_add(root, "memory_estimate_bytes",
                           json_object_new_int64((int64_t)run->est_bytes));
    json_object *outs = json_object_new_array();
    for (int i = 0; i < run->outs.n; i++) {
        const char *f = strrchr(run->outs.final[i], '/');
        json_object_array_add(outs, jstr(f ? f + 1 : run->outs.final[i]));
    }
    json_object_object_add(root, "outputs", outs);
    int rc = json_object_to_file_ext(tmp, root,
                                     JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    json_object_put(root);
    if (rc != 0)
        return rti_error(ctx, RT_E_IO, "%s: cannot write run.json: %s", run->opts->outdir,
                         json_util_get_last_err());
    return RT_OK;
}
