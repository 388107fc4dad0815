/* The scenarios of a run, after the baseline's search: every changed
 * facility type of every scenario searched in full, in parallel, with its
 * statistics, grids and the per-cell comparison with the baseline; then
 * per region layer the scenario's region table and its compare table
 * (docs/outputs.md, "Scenarios"; the definitions in docs/methods.md). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "core/search_internal.h"
#include "study/run/run.h"

/* ---- the baseline kept ---- */

int rti_scen_uses_type(const rti_run *run, int t)
{
    const rti_scen_state *sr = run->scen;
    for (int i = 0; sr && i < sr->n; i++)
        for (int k = 0; k < sr->sc[i].n_types; k++)
            if (sr->sc[i].types[k].t == t)
                return 1;
    return 0;
}

rt_status rti_scen_keep_baseline(rt_ctx *ctx, rti_run *run, int t, const rt_labels *lab)
{
    rti_scen_state *sr = run->scen;
    if (!rti_scen_uses_type(run, t))
        return RT_OK;
    const int64_t n = run->in.n_cells;
    rt_grid_medium g;
    const rt_source *src;
    int64_t n_src;
    if (rti_medium_grid_starts(run->medium, &run->types[t].place, &g, &src, &n_src)) {
        rt_labels *b = &sr->base_lab[t];
        rt_status st = rt_labels_alloc(ctx, n, run->search_flags, b);
        if (st != RT_OK)
            return st;
        rti_labels_copy(b, lab, n);
        sr->base_time[t] = b->time_s;
        sr->base_length[t] = b->length_m;
        return RT_OK;
    }
    sr->base_time[t] = rti_alloc_array_uninit(ctx, n, sizeof(double), "baseline times");
    if (!sr->base_time[t])
        return RT_E_NOMEM;
    memcpy(sr->base_time[t], lab->time_s, (size_t)n * sizeof(double));
    if (!lab->length_m)
        return RT_OK;
    sr->base_length[t] = rti_alloc_array_uninit(ctx, n, sizeof(float), "baseline lengths");
    if (!sr->base_length[t])
        return RT_E_NOMEM;
    memcpy(sr->base_length[t], lab->length_m, (size_t)n * sizeof(float));
    return RT_OK;
}

/* ---- the comparison per cell ---- */

rt_status rti_scen_compare_alloc(rt_ctx *ctx, const rti_run *run, rti_scen_type *ty)
{
    int64_t n = rti_cmp_at(run, ty->run.def, run->study->n_regions, 0);
    ty->cmp = rti_malloc_array(ctx, n, sizeof(double), "scenario comparison");
    return ty->cmp ? RT_OK : RT_E_NOMEM;
}

/* Sums, in cell order, the comparison of the baseline's times and the
 * scenario's (lab) per region, weighed by the scenario's population. */
static void compare_cells(const rti_run *run, rti_scen_type *ty, double threshold_s,
                          const float *pop, const rt_labels *lab)
{
    rti_compare_cells(run, ty->run.def, run->scen->base_time[ty->t], run->scen->base_length[ty->t],
                      lab->time_s, lab->length_m, pop, threshold_s, ty->cmp);
}

/* The report's delta map of ty and the people who became unreachable or
 * reachable, while the baseline's times and the scenario's (lab) exist. */
static void report_delta(rti_run *run, const rti_scen_type *ty, const float *pop,
                         const rt_labels *lab)
{
    const rti_scen_state *sr = run->scen;
    const int32_t *region = run->study->n_regions ? run->in.regions[0].index : NULL;
    rti_report_view v;
    rti_run_report_view(run, &v);
    rti_report_add_delta(run->report, &v, (int)(ty->own - sr->sc), (int)(ty - ty->own->types),
                         sr->base_time[ty->t], lab->time_s, pop, region);
}

/* ---- the facility list of grids by row ---- */

/* facilities_<type>.csv: per row of the facility grids (1 = the first) the
 * facility's id, name and place. */
static rt_status write_list(rt_ctx *ctx, const rti_run *run, const rti_scen_type *ty)
{
    const rti_points *p = &ty->run.pts;
    FILE *f, *ft;
    if (rti_csv_open(ctx, run, ty->tmp_list, ty->tmp_list_t, &f, &ft) != RT_OK)
        return RT_E_IO;
    fputs("row,id,name,x,y\n", f);
    fputs("\"Integer\",\"String\",\"String\",\"Real\",\"Real\"\n", ft);
    for (int64_t i = 0; i < p->n; i++) {
        fprintf(f, "%lld,", (long long)i + 1);
        rti_csv_str(f, p->id[i]);
        fputc(',', f);
        rti_csv_str(f, p->name ? p->name[i] : NULL);
        rti_csv_num(f, p->x[i], 1);
        rti_csv_num(f, p->y[i], 1);
        fputc('\n', f);
    }
    return rti_csv_close(ctx, run, ty->tmp_list, f, ft);
}

/* ---- the tasks ---- */

/* What an update of the baseline's labels needs for a scenario's type. */
typedef struct scen_update {
    int32_t *map;         /* per baseline facility its index in the scenario, -1: closed */
    rt_grid_medium grid;  /* on a grid medium: the scenario's grid */
    const rt_source *src; /* and its start cells (or start nodes on a road network) */
    int64_t n_src;
    const float *old_fr;       /* the baseline's friction when the scenario patched it, else NULL */
    const rt_labels *base;     /* the baseline's labels: of the cells, or of the road nodes */
    const rti_medium_run *med; /* the scenario's medium */
} scen_update;

/* The start cells (grid medium) or start nodes (road network) of placement
 * p on m, with their start lengths (nodes only; else NULL); 0 for a medium
 * that has neither alone (hybrid). */
static int starts_of(const rti_medium_run *m, const rti_placement *p, rt_grid_medium *grid,
                     const rt_source **src, int64_t *n, const float **start_m)
{
    *start_m = NULL;
    return rti_medium_grid_starts(m, p, grid, src, n) ||
           rti_medium_node_starts(m, p, src, n, start_m);
}

/* Per baseline facility of a its index among b's points when it is found
 * again there (same id, fid and place, in order), else -1; kept[k] = 1
 * for b's points found. */
static void match_points(const rti_points *a, const rti_points *b, int32_t *m, unsigned char *kept)
{
    memset(kept, 0, (size_t)(b->n ? b->n : 1));
    for (int64_t i = 0, j = 0; i < a->n; i++) {
        int64_t k = j;
        while (k < b->n && (strcmp(a->id[i], b->id[k]) != 0 || a->fid[i] != b->fid[k] ||
                            a->x[i] != b->x[k] || a->y[i] != b->y[k]))
            k++;
        m[i] = k < b->n ? (int32_t)k : -1;
        if (k < b->n) {
            kept[k] = 1;
            j = k + 1;
        }
    }
}

/* 1 when the starts of the facilities found again (bs, and ss of the
 * scenario), in order, are the same: cells or nodes, start times and
 * start lengths. */
static int same_starts(const rt_source *bs, const float *bm, int64_t nbs, const rt_source *ss,
                       const float *sm, int64_t nss, const int32_t *m, const unsigned char *kept)
{
    int64_t i = 0, j = 0;
    for (;;) {
        while (i < nbs && m[bs[i].facility] < 0)
            i++;
        while (j < nss && !kept[ss[j].facility])
            j++;
        if (i == nbs || j == nss)
            return i == nbs && j == nss;
        if (bs[i].cell != ss[j].cell || bs[i].start_s != ss[j].start_s ||
            m[bs[i].facility] != ss[j].facility || (!bm) != (!sm) || (bm && bm[i] != sm[j]))
            return 0;
        i++, j++;
    }
}

/* 1 when the scenario's search of ty can be an update of the baseline's
 * labels, with *u filled (u->map has one entry per baseline facility): a
 * grid medium (patched or not by the scenario) or a road network (with its
 * own roads or not), the baseline's labels kept, every baseline facility
 * found again in order (same id, fid and place) and its starts unchanged.
 * Anything else is searched in full (0); -1 when out of memory. u->map is
 * NULL unless 1 is returned. */
static int update_map(rt_ctx *ctx, const rti_run *run, const rti_scen_type *ty, scen_update *u)
{
    const rti_scen_state *sr = run->scen;
    const rti_type_run *base = &run->types[ty->t];
    const rti_points *a = &base->pts, *b = &ty->run.pts;
    rt_grid_medium before = {0};
    const rt_source *bs;
    const float *bm, *sm;
    int64_t nbs;
    *u = (scen_update){0};
    u->med = ty->own->medium ? ty->own->medium : run->medium;
    u->base =
        sr->base_lab[ty->t].time_s ? &sr->base_lab[ty->t] : rti_medium_kept_nodes(&base->place);
    if (!u->base || a->n > INT32_MAX ||
        !starts_of(run->medium, &base->place, &before, &bs, &nbs, &bm) ||
        !starts_of(u->med, &ty->run.place, &u->grid, &u->src, &u->n_src, &sm))
        return 0;
    /* a patched grid: the update also repairs what the changed cells carried */
    u->old_fr = u->med != run->medium && u->grid.friction_s_per_m ? before.friction_s_per_m : NULL;
    int32_t *m = rti_malloc_array(ctx, a->n ? a->n : 1, sizeof(*m), "scenario update");
    unsigned char *kept = rti_malloc_array(ctx, b->n ? b->n : 1, 1, "scenario update");
    if (!m || !kept) {
        free(m);
        free(kept);
        return -1;
    }
    match_points(a, b, m, kept);
    const int ok = same_starts(bs, bm, nbs, u->src, sm, u->n_src, m, kept);
    free(kept);
    if (!ok) {
        free(m);
        return 0;
    }
    u->map = m;
    return 1;
}

/* The scenario's labels of ty in lab: an update of the baseline's when
 * update_map allows it (bit for bit the full search, in time that grows
 * with what the scenario changes), else a full search. */
static rt_status scen_search(rt_ctx *ctx, const rti_run *run, rti_scen_type *ty,
                             const rti_medium_run *medium, rt_search_ws *ws, rt_labels *lab)
{
    rti_type_run *tr = &ty->run;
    scen_update u;
    const int up = update_map(ctx, run, ty, &u);
    if (up < 0)
        return RT_E_NOMEM;
    if (up == 0)
        return rti_medium_search(ctx, medium, &tr->place, &tr->pts, run->search_flags, ws, lab);
    const int32_t n_map = (int32_t)run->types[ty->t].pts.n;
    /* (the task's context names the scenario and the type) */
    rti_log(ctx, RT_LOG_INFO, "searched as an update of the baseline's labels");
    rt_status st;
    if (u.base != &run->scen->base_lab[ty->t]) { /* a road network: its node labels */
        st = rti_medium_search_update(ctx, medium, run->medium, &tr->place, &tr->pts,
                                      run->search_flags, u.base, u.map, n_map, ws, lab);
    } else {
        rt_search_opts so;
        rt_search_opts_init(&so);
        so.neighbours = run->study->neighbours;
        so.flags = run->search_flags;
        rti_labels_copy(lab, u.base, run->in.n_cells);
        st = rti_grid_search_update(ctx, &u.grid, u.old_fr, u.src, u.n_src, u.map, n_map, &so, ws,
                                    lab);
    }
    free(u.map);
    return st;
}

static rt_status scen_task(rt_ctx *ctx, rti_run *run, int i, rt_search_ws *ws)
{
    rti_scen_state *sr = run->scen;
    rti_scen_type *ty = sr->task_type[i];
    rti_type_run *tr = &ty->run;
    const rti_scen *own = ty->own;
    const double threshold_s = own->def->compare_threshold_s;
    const rti_medium_run *medium = own->medium ? own->medium : run->medium;
    const float *pop = own->pop ? own->pop : run->in.pop;
    double t0 = rti_now_s();
    rt_labels lab;
    rt_status st = rt_labels_alloc(ctx, run->in.n_cells, run->search_flags, &lab);
    if (st != RT_OK)
        return st;
    st = scen_search(ctx, run, ty, medium, ws, &lab);
    if (st == RT_OK)
        st = rti_run_region_stats(ctx, run, tr->def, &lab, pop, &tr->res);
    if (st == RT_OK)
        st = rti_run_write_type_grids(ctx, run, tr, &lab);
    if (st == RT_OK)
        compare_cells(run, ty, threshold_s, pop, &lab);
    if (st == RT_OK)
        st = rti_run_type_measures(ctx, run, tr, medium, pop, 0);
    if (st == RT_OK && ty->tmp_list)
        st = write_list(ctx, run, ty);
    if (st == RT_OK)
        st = rti_write_delta_outputs(ctx, run, ty->tmp_delta, sr->base_time[ty->t], lab.time_s,
                                     tr->def->type, "scenario minus baseline");
    if (st == RT_OK)
        report_delta(run, ty, pop, &lab);
    rt_labels_free(&lab);
    tr->res.seconds = rti_now_s() - t0;
    return st;
}

static rt_status list_tasks(rt_ctx *ctx, rti_scen_state *sr)
{
    sr->task_type = rti_malloc_array(ctx, sr->n_tasks, sizeof(*sr->task_type), "scenarios");
    sr->tasks = rti_malloc_array(ctx, sr->n_tasks, sizeof(*sr->tasks), "scenarios");
    sr->names = rti_malloc_array(ctx, sr->n_tasks, sizeof(*sr->names), "scenarios");
    if (!sr->task_type || !sr->tasks || !sr->names)
        return RT_E_NOMEM;
    int n = 0;
    for (int i = 0; i < sr->n; i++)
        for (int k = 0; k < sr->sc[i].n_types; k++) {
            rti_scen_type *ty = &sr->sc[i].types[k];
            char name[200];
            snprintf(name, sizeof(name), "scenario '%s', %s", sr->sc[i].def->name,
                     ty->run.def->type);
            sr->task_type[n] = ty;
            sr->tasks[n] = &ty->run;
            if (!(sr->names[n++] = rti_strdup(ctx, name, "scenarios")))
                return RT_E_NOMEM;
        }
    return RT_OK;
}

/* ---- the tables ---- */

/* The scenario's types as the compare writers take them (caller frees). */
static rti_cmp_type *cmp_types(rt_ctx *ctx, const rti_run *run, const rti_scen *sc)
{
    rti_cmp_type *ct =
        rti_malloc_array(ctx, sc->n_types ? sc->n_types : 1, sizeof(*ct), "scenario comparison");
    for (int k = 0; ct && k < sc->n_types; k++)
        ct[k] = (rti_cmp_type){.def = sc->types[k].run.def,
                               .a = run->types[sc->types[k].t].res.stats,
                               .b = sc->types[k].run.res.stats,
                               .cmp = sc->types[k].cmp,
                               .meas_a = rti_run_measure_table(run, sc->types[k].t),
                               .meas_b = (rti_measure_region *const *const *)sc->types[k].run.meas};
    return ct;
}

static rt_status write_compare(rt_ctx *ctx, const rti_run *run, const rti_scen *sc, int r)
{
    rti_cmp_type *ct = cmp_types(ctx, run, sc);
    if (!ct)
        return RT_E_NOMEM;
    rt_status st = rti_write_compare_csv(ctx, run, r, ct, sc->n_types, sc->tmp_csv[4 * r + 2],
                                         sc->tmp_csv[4 * r + 3]);
    free(ct);
    return st;
}

static rt_status write_tables(rt_ctx *ctx, const rti_run *run, const rti_scen *sc)
{
    const rti_type_run **trs = rti_malloc_array(ctx, sc->n_types, sizeof(*trs), "scenario");
    if (!trs)
        return RT_E_NOMEM;
    for (int k = 0; k < sc->n_types; k++)
        trs[k] = &sc->types[k].run;
    rt_status st = RT_OK;
    for (int r = 0; st == RT_OK && run->study->outputs.csv && r < run->study->n_regions; r++) {
        st = rti_run_write_region_csv(ctx, run, r, trs, sc->n_types, sc->tmp_csv[4 * r],
                                      sc->tmp_csv[4 * r + 1]);
        if (st == RT_OK)
            st = write_compare(ctx, run, sc, r);
    }
    free(trs);
    if (st == RT_OK && sc->tmp_gpkg) {
        rti_cmp_type *ct = cmp_types(ctx, run, sc);
        st = ct ? rti_write_compare_gpkg(ctx, run, sc->tmp_gpkg, ct, sc->n_types) : RT_E_NOMEM;
        free(ct);
    }
    return st;
}

rt_status rti_scen_run(rt_ctx *ctx, rti_run *run)
{
    rti_scen_state *sr = run->scen;
    if (!sr)
        return RT_OK;
    double t0 = rti_now_s();
    if (!rti_progress(ctx, 0.0, "scenarios"))
        return rti_error(ctx, RT_E_CANCELLED, "run cancelled");
    rt_status st = list_tasks(ctx, sr);
    int team = rti_run_team_for(run, sr->n_tasks);
    if (st == RT_OK)
        st = rti_run_tasks(ctx, run, sr->tasks, (const char *const *)sr->names, sr->n_tasks, team,
                           scen_task, "scenarios");
    for (int i = 0; st == RT_OK && i < sr->n; i++)
        st = write_tables(ctx, run, &sr->sc[i]);
    if (st == RT_OK)
        rti_run_stage_done(run, "scenarios", t0);
    return st;
}

/* ---- run.json ---- */

static json_object *source_json(const rti_source *src)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "path", rti_jstr(src->path));
    json_object_object_add(o, "layer", rti_jstr(src->layer));
    json_object_object_add(o, "where", rti_jstr(src->where));
    return o;
}

static json_object *change_json(const rt_study *s, const rti_change *c)
{
    json_object *o = json_object_new_object();
    if (c->kind == RTI_CHANGE_PATCH) {
        json_object_object_add(o, "patch", source_json(&c->patch));
        if (isnan(c->speed_kmh))
            json_object_object_add(o, "impassable", json_object_new_boolean(1));
        else
            json_object_object_add(o, "speed_kmh", rti_jnum(c->speed_kmh));
        return o;
    }
    if (c->kind == RTI_CHANGE_ROADS) {
        json_object_object_add(o, "roads", source_json(&c->patch));
        if (c->speed_column)
            json_object_object_add(o, "speed_column", rti_jstr(c->speed_column));
        else
            json_object_object_add(o, "speed_kmh", rti_jnum(c->speed_kmh));
        if (s->medium.kind == RTI_MEDIUM_NETWORK || s->medium.kind == RTI_MEDIUM_HYBRID) {
            json_object_object_add(o, "access", json_object_new_boolean(!c->no_access));
            json_object_object_add(o, "connect_m", rti_jnum(c->connect_m));
        }
        return o;
    }
    if (c->kind == RTI_CHANGE_MODIFY_ROADS) {
        json_object *sel = json_object_new_object();
        if (c->road_where)
            json_object_object_add(sel, "where", rti_jstr(c->road_where));
        if (c->within.path)
            json_object_object_add(sel, "within", source_json(&c->within));
        json_object_object_add(o, "modify_roads", sel);
        if (c->closed)
            json_object_object_add(o, "closed", json_object_new_boolean(1));
        else if (!isnan(c->factor))
            json_object_object_add(o, "factor", rti_jnum(c->factor));
        else
            json_object_object_add(o, "speed_kmh", rti_jnum(c->speed_kmh));
        return o;
    }
    if (c->kind == RTI_CHANGE_POPULATION) {
        json_object_object_add(o, "population", source_json(&c->people));
        json_object_object_add(o, "kind", rti_jstr(c->people_polygons ? "polygons" : "points"));
        json_object_object_add(o, "count_column", rti_jstr(c->count_column));
        return o;
    }
    json_object_object_add(o, "facilities", rti_jstr(s->facilities[c->type].type));
    if (c->kind == RTI_CHANGE_CLOSE) {
        json_object *ids = json_object_new_array();
        for (int k = 0; k < c->n_ids; k++)
            json_object_array_add(ids, rti_jstr(c->ids[k]));
        json_object_object_add(o, "close", ids);
    } else if (c->kind == RTI_CHANGE_CLOSE_WHERE) {
        json_object_object_add(o, "close_where", rti_jstr(c->where));
    } else if (c->kind == RTI_CHANGE_CAPACITY) {
        json_object *cap = json_object_new_object();
        for (int k = 0; k < c->n_ids; k++)
            json_object_object_add(cap, c->ids[k], rti_jnum(c->capacity[k]));
        json_object_object_add(o, "capacity", cap);
    } else {
        json_object_object_add(o, "add", source_json(&c->add));
    }
    return o;
}

json_object *rti_scen_manifest(const rti_run *run)
{
    const rti_scen_state *sr = run->scen;
    if (!sr)
        return NULL;
    json_object *a = json_object_new_array();
    for (int i = 0; i < sr->n; i++) {
        const rti_scen *sc = &sr->sc[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", rti_jstr(sc->def->name));
        json_object_object_add(o, "label", rti_jstr(sc->def->label));
        json_object_object_add(o, "description", rti_jstr(sc->def->description));
        json_object_object_add(o, "compare_threshold_min",
                               rti_jnum(sc->def->compare_threshold_s / 60));
        json_object *ch = json_object_new_array();
        for (int j = 0; j < sc->def->n_changes; j++)
            json_object_array_add(ch, change_json(run->study, &sc->def->changes[j]));
        json_object_object_add(o, "changes", ch);
        if (sc->pop) {
            json_object_object_add(o, "population_added", rti_jnum(sc->pop_added));
            json_object_object_add(o, "population_removed", rti_jnum(sc->pop_removed));
        }
        json_object *types = json_object_new_array();
        for (int k = 0; k < sc->n_types; k++) {
            const rti_type_run *tr = &sc->types[k].run;
            json_object *t = json_object_new_object();
            json_object_object_add(t, "type", rti_jstr(tr->def->type));
            json_object_object_add(t, "facilities", rti_jint(tr->pts.n));
            json_object_object_add(t, "left_out", rti_jint(tr->place.n_dropped));
            json_object_object_add(t, "seconds", rti_jnum(tr->res.seconds));
            json_object_array_add(types, t);
        }
        json_object_object_add(o, "types", types);
        json_object_array_add(a, o);
    }
    return a;
}

/* ---- the report's view ---- */

rt_status rti_scen_report_view(rt_ctx *ctx, const rti_run *run, rti_report_scenario **out, int *n)
{
    const rti_scen_state *sr = run->scen;
    *out = NULL;
    *n = 0;
    if (!sr || run->study->n_regions == 0)
        return RT_OK;
    rti_report_scenario *v = rti_malloc_array(ctx, sr->n, sizeof(*v), "report scenarios");
    if (!v)
        return RT_E_NOMEM;
    for (int i = 0; i < sr->n; i++) {
        const rti_scen *sc = &sr->sc[i];
        rti_report_scen_type *ty =
            rti_malloc_array(ctx, sc->n_types ? sc->n_types : 1, sizeof(*ty), "report scenarios");
        if (!ty) {
            rti_scen_report_view_free(v, i);
            return RT_E_NOMEM;
        }
        for (int k = 0; k < sc->n_types; k++)
            ty[k] = (rti_report_scen_type){.t = sc->types[k].t,
                                           .pts = &sc->types[k].run.pts,
                                           .cell = sc->types[k].run.place.cell,
                                           .stats = sc->types[k].run.res.stats,
                                           .cmp = sc->types[k].cmp};
        v[i] = (rti_report_scenario){.def = sc->def,
                                     .types = ty,
                                     .n_types = sc->n_types,
                                     .population_changed = sc->pop != NULL,
                                     .pop_added = sc->pop_added,
                                     .pop_removed = sc->pop_removed};
    }
    *out = v;
    *n = sr->n;
    return RT_OK;
}

void rti_scen_report_view_free(rti_report_scenario *sc, int n)
{
    for (int i = 0; sc && i < n; i++)
        free((void *)sc[i].types);
    free(sc);
}
