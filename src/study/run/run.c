/* rt_study_run: the stages of a run. Inputs are read and checked first
 * (everything `validate` does), then every voorziening type is searched and
 * aggregated in parallel, then the tables, the report and the manifest are
 * written and all outputs renamed into place. */
#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

void rti_run_stage_done(rti_run *run, const char *name, double t0)
{
    if (run->n_stages < RTI_MAX_STAGES) {
        run->stages[run->n_stages].name = name;
        run->stages[run->n_stages].seconds = rti_now_s() - t0;
        run->n_stages++;
    }
}

/* ---- the parallel stage ---- */

/* What the tasks of the parallel stage share: each task's search fraction
 * and a cancel flag, read and written atomically (the calling thread sums
 * the fractions while the others write theirs). */
typedef struct shared_progress {
    double *fraction; /* per task */
    int n;
    int cancel;
    rt_ctx *parent;
    const char *stage; /* the stage the caller hears of */
} shared_progress;

typedef struct task_progress {
    shared_progress *sh;
    int type;
} task_progress;

static int cancelled(const shared_progress *sh)
{
    return __atomic_load_n(&sh->cancel, __ATOMIC_RELAXED);
}

static void cancel(shared_progress *sh) { __atomic_store_n(&sh->cancel, 1, __ATOMIC_RELAXED); }

static int task_progress_fn(double fraction, const char *stage, void *user)
{
    task_progress *tp = user;
    shared_progress *sh = tp->sh;
    if (strcmp(stage, "search") == 0) /* statistics and writing are short */
        __atomic_store(&sh->fraction[tp->type], &fraction, __ATOMIC_RELAXED);
    if (rt_ctx_cancel_requested(sh->parent)) /* any thread may see a request */
        cancel(sh);
    /* only the calling thread talks to the caller's callback */
    if (omp_get_thread_num() == 0 && !cancelled(sh)) {
        double sum = 0;
        for (int i = 0; i < sh->n; i++) {
            double f;
            __atomic_load(&sh->fraction[i], &f, __ATOMIC_RELAXED);
            sum += f;
        }
        if (!rti_progress(sh->parent, sum / sh->n, sh->stage))
            cancel(sh);
    }
    return !cancelled(sh);
}

/* Messages of a parallel task are kept with its type and handed to the
 * caller's log callback afterwards, in type order, on the calling thread. */
static void task_log_fn(rt_log_level level, const char *message, void *user)
{
    rti_type_result *tr = user;
    size_t n = strlen(message);
    char *p = realloc(tr->log, tr->log_len + n + 3);
    if (!p)
        return; /* a lost message is not worth failing the run */
    tr->log = p;
    p[tr->log_len] = (char)('0' + level);
    memcpy(p + tr->log_len + 1, message, n);
    p[tr->log_len + 1 + n] = '\n';
    p[tr->log_len + 2 + n] = '\0';
    tr->log_len += n + 2;
}

static void replay_logs(rt_ctx *ctx, rti_type_run *const *trs, const char *const *names, int n)
{
    for (int t = 0; t < n; t++) {
        for (char *line = trs[t]->res.log; line && *line;) {
            char *end = strchr(line, '\n');
            *end = '\0';
            rti_log(ctx, (rt_log_level)(line[0] - '0'), "%s: %s",
                    names ? names[t] : trs[t]->def->type, line + 1);
            line = end + 1;
        }
    }
}

rt_status rti_run_region_stats(rt_ctx *ctx, const rti_run *run, const rti_facility_type *def,
                               const rt_labels *lab, const float *pop, rti_type_result *res)
{
    const rti_inputs *in = &run->in;
    rt_status st = RT_OK;
    for (int r = 0; st == RT_OK && r < run->study->n_regions; r++) {
        rt_stats_input si = {.n_cells = in->n_cells,
                             .cell_area_m2 = in->grid.cell_m * in->grid.cell_m,
                             .time_s = lab->time_s,
                             .length_m = lab->length_m,
                             .pop_persons = pop ? pop : in->pop,
                             .region = in->regions[r].index,
                             .norms = def->norms,
                             .n_norms = def->n_norms};
        st = rt_stats_regions(ctx, &si, (int32_t)in->regions[r].polys.n, res->stats[r],
                              &res->pop_outside[r]);
    }
    return st;
}

static rt_status run_type(rt_ctx *ctx, rti_run *run, int t, rt_search_ws *ws)
{
    rti_type_run *tr = &run->types[t];
    rti_type_result *res = &tr->res;
    const rti_inputs *in = &run->in;
    rt_study *s = run->study;
    double t0 = rti_now_s();
    rt_labels lab;
    rt_status st = rt_labels_alloc(ctx, in->n_cells, run->search_flags, &lab);
    if (st != RT_OK)
        return st;
    if (rti_scen_uses_type(run, t)) /* on a road network: the scenarios update its node labels */
        rti_medium_keep_nodes(run->medium, &tr->place);
    st = rti_medium_search(ctx, run->medium, &tr->place, &tr->pts, run->search_flags, ws, &lab);
    if (st == RT_OK)
        st = rti_run_region_stats(ctx, run, tr->def, &lab, NULL, res);
    if (st == RT_OK) {
        /* population totals over the whole grid, in cell order */
        double tot = 0, reached = 0;
        for (int64_t i = 0; i < in->n_cells; i++) {
            float p = in->pop ? in->pop[i] : 1.0f;
            if (!(p > 0))
                continue;
            tot += p;
            if (lab.time_s[i] < INFINITY)
                reached += p;
        }
        res->pop_total = tot;
        res->pop_reached = reached;
        run->report_types[t].pop_total = tot;
        st = rti_run_write_type_grids(ctx, run, tr, &lab);
    }
    if (st == RT_OK)
        st = rti_scen_keep_baseline(ctx, run, t, &lab);
    if (st == RT_OK && s->outputs.closures)
        st = rti_run_type_closures(ctx, run, t, &lab);
    if (st == RT_OK) {
        rti_report_view v;
        rti_run_report_view(run, &v);
        rti_report_add_labels(run->report, &v, t, &lab, in->pop);
    }
    if (st == RT_OK) /* last: it spends the facility labels */
        st = rti_run_type_zones(ctx, run, t, &lab);
    rt_labels_free(&lab);
    res->seconds = rti_now_s() - t0;
    return st;
}

rt_status rti_run_tasks(rt_ctx *ctx, rti_run *run, rti_type_run *const *trs,
                        const char *const *names, int n, int team, rti_run_task_fn fn,
                        const char *stage)
{
    shared_progress sh = {NULL, n, 0, ctx, stage};
    sh.fraction = rti_malloc_array(ctx, n, sizeof(double), "progress");
    if (!sh.fraction)
        return RT_E_NOMEM;
#pragma omp parallel num_threads(team)
    {
        rti_locale_state ls; /* a task writes files too */
        rti_locale_enter(NULL, &ls);
        rt_ctx *tctx = rt_ctx_create();
        rt_search_ws *ws = rt_search_ws_create();
        if (tctx) {
            /* a team of one lends all threads to its task's search */
            rt_ctx_set_threads(tctx, team == 1 ? rti_threads(ctx) : 1);
            rt_ctx_set_budget_bytes(tctx, rti_budget_effective(ctx));
        }
#pragma omp for schedule(dynamic, 1)
        for (int t = 0; t < n; t++) {
            rti_type_result *tr = &trs[t]->res;
            if (!tctx || !ws) {
                tr->status = RT_E_NOMEM;
                continue;
            }
            task_progress tp = {&sh, t};
            rt_ctx_clear_error(tctx);
            rt_ctx_set_progress(tctx, task_progress_fn, &tp);
            rt_ctx_set_log(tctx, task_log_fn, tr);
            tr->status = cancelled(&sh) ? RT_E_CANCELLED : fn(tctx, run, t, ws);
            if (tr->status != RT_OK) {
                tr->message = strdup(rt_ctx_errmsg(tctx));
                if (tr->status == RT_E_CANCELLED)
                    cancel(&sh);
            }
        }
        rt_search_ws_destroy(ws);
        rt_ctx_destroy(tctx);
        rti_locale_leave(&ls);
    }
    free(sh.fraction);
    replay_logs(ctx, trs, names, n);
    /* report the first failing task, so the message does not depend on timing */
    for (int t = 0; t < n; t++) {
        const rti_type_result *tr = &trs[t]->res;
        if (tr->status == RT_E_CANCELLED || sh.cancel)
            return rti_error(ctx, RT_E_CANCELLED, "run cancelled");
        if (tr->status != RT_OK)
            return rti_error(ctx, tr->status, "%s: %s", names ? names[t] : trs[t]->def->type,
                             tr->message ? tr->message : "out of memory");
    }
    return rti_progress(ctx, 1.0, stage) ? RT_OK : rti_error(ctx, RT_E_CANCELLED, "run cancelled");
}

/* ---- memory ---- */

int rti_run_team_for(const rti_run *run, int n_tasks)
{
    if (n_tasks < 1 || n_tasks >= run->threads)
        return run->threads;
    return run->study->medium.kind == RTI_MEDIUM_NETWORK ? n_tasks : 1;
}

int rti_run_team(const rti_run *run) { return rti_run_team_for(run, run->study->n_facilities); }

static rt_status run_types(rt_ctx *ctx, rti_run *run)
{
    const int n = run->study->n_facilities;
    rti_type_run **trs = rti_malloc_array(ctx, n, sizeof(*trs), "facility types");
    if (!trs)
        return RT_E_NOMEM;
    for (int t = 0; t < n; t++)
        trs[t] = &run->types[t];
    rt_status st = rti_run_tasks(ctx, run, trs, NULL, n, rti_run_team(run), run_type, "search");
    free(trs);
    return st;
}

static rt_status check_memory(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    const rti_grid_spec *g = &run->in.grid;
    const int team = rti_run_team(run);
    uint64_t per_cell = rti_medium_bytes_per_cell(s, team, run->search_flags) + 4 /* population */
                        + 4                            /* land mask or road grid while building */
                        + 4 * (uint64_t)s->n_regions   /* region index grids */
                        + rti_scen_bytes_per_cell(run) /* baseline labels kept for scenarios */
                        + rti_run_measures_bytes_per_cell(run) /* measures, after the search */
                        + (uint64_t)team * rt_labels_bytes_per_cell(run->search_flags);
    run->est_bytes = per_cell * (uint64_t)run->in.n_cells;
    char what[160];
    snprintf(what, sizeof(what),
             "a grid of %d x %d cells of %g m (%llu bytes per cell, %d type%s at once)", g->nx,
             g->ny, g->cell_m, (unsigned long long)per_cell, team, team == 1 ? "" : "s");
    return rti_budget_check(ctx, run->est_bytes, what);
}

/* ---- cleanup ---- */

static void run_free(rti_run *run)
{
    rt_study *s = run->study;
    free(run->in.pop);
    rti_medium_free(run->medium);
    if (run->in.regions) {
        for (int r = 0; r < s->n_regions; r++) {
            rti_polygons_free(&run->in.regions[r].polys);
            free(run->in.regions[r].index);
        }
        free(run->in.regions);
    }
    rti_run_closures_free(run);
    rti_scen_free(run);
    rti_run_measures_free(run);
    if (run->types) {
        for (int t = 0; t < s->n_facilities; t++) {
            rti_type_run *tr = &run->types[t];
            rti_points_free(&tr->pts);
            rti_placement_free(&tr->place);
            rti_run_result_free(run, &tr->res);
        }
        free(run->types);
    }
    rti_report_state_free(run->report);
    free(run->report_types);
    free(run->report_regions);
    rti_scen_report_view_free(run->report_scen, run->n_report_scen);
    free(run->inputs);
    free(run->made_path);
    free(run->made_len);
    rti_outset_free(&run->outs);
}

static rt_status alloc_run(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    run->in.regions = rti_malloc_array(ctx, s->n_regions, sizeof(*run->in.regions), "regions");
    run->types = rti_malloc_array(ctx, s->n_facilities, sizeof(*run->types), "facility types");
    if (!run->in.regions || !run->types)
        return RT_E_NOMEM;
    for (int r = 0; r < s->n_regions; r++)
        run->in.regions[r].def = &s->regions[r];
    for (int t = 0; t < s->n_facilities; t++)
        run->types[t].def = &s->facilities[t];
    return RT_OK;
}

rt_status rti_run_result_alloc(rt_ctx *ctx, const rti_run *run, rti_type_result *res)
{
    const rt_study *s = run->study;
    res->stats = rti_malloc_array(ctx, s->n_regions, sizeof(*res->stats), "statistics");
    res->pop_outside = rti_malloc_array(ctx, s->n_regions, sizeof(double), "statistics");
    if (!res->stats || !res->pop_outside)
        return RT_E_NOMEM;
    for (int r = 0; r < s->n_regions; r++) {
        res->stats[r] = rti_malloc_array(ctx, run->in.regions[r].polys.n, sizeof(rt_region_stats),
                                         "statistics");
        if (!res->stats[r])
            return RT_E_NOMEM;
    }
    return RT_OK;
}

void rti_run_result_free(const rti_run *run, rti_type_result *res)
{
    if (res->stats)
        for (int r = 0; r < run->study->n_regions; r++)
            free(res->stats[r]);
    free(res->stats);
    free(res->pop_outside);
    free(res->message);
    free(res->log);
    rti_zones_free(&res->isochrones);
    rti_zones_free(&res->catchments);
}

static rt_status alloc_stats(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = rti_run_result_alloc(ctx, run, &run->types[t].res);
    return st == RT_OK && s->outputs.closures ? rti_run_closures_alloc(ctx, run) : st;
}

/* ---- the report's view ---- */

/* The view's arrays of types, regions and scenarios, once the facilities
 * are placed and the scenarios planned. */
static rt_status alloc_report_view(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    run->report_types =
        rti_malloc_array(ctx, s->n_facilities, sizeof(*run->report_types), "report");
    run->report_regions =
        rti_malloc_array(ctx, s->n_regions, sizeof(*run->report_regions), "report");
    if (!run->report_types || !run->report_regions)
        return RT_E_NOMEM;
    for (int r = 0; r < s->n_regions; r++)
        run->report_regions[r] = &run->in.regions[r].polys;
    rti_medium_facts facts;
    rti_medium_facts_of(run->medium, &facts);
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        run->report_types[t] = (rti_report_type){
            .def = tr->def,
            .pts = &tr->pts,
            .cell = tr->place.cell,
            .snap_m = tr->place.snap_m,
            .n_snapped = tr->place.n_snapped,
            .n_dropped = tr->place.n_dropped,
            .grid_by_row = tr->grid_by_row,
            .roads_layer = facts.roads_layer,
            .stats = tr->res.stats,
            .pop_total = tr->res.pop_total,
            .closures = tr->res.closures,
            .closure_order = tr->res.closure_order,
            .measures = rti_run_measure_table(run, t),
        };
    }
    return rti_scen_report_view(ctx, run, &run->report_scen, &run->n_report_scen);
}

void rti_run_report_view(rti_run *run, rti_report_view *v)
{
    rti_medium_facts facts;
    rti_medium_facts_of(run->medium, &facts);
    /* the speed model over land: the medium itself, or a hybrid's offroad */
    const double land_kmh = facts.land_type ? facts.land_offroad_kmh : facts.offroad_kmh;
    *v = (rti_report_view){.study = run->study,
                           .grid = &run->in.grid,
                           .n_passable = rti_medium_passable(run->medium),
                           .pop_on_grid = run->in.pop_on_grid,
                           .pop = run->study->has_population ? run->in.pop : NULL,
                           .regions = run->report_regions,
                           .types = run->report_types,
                           .inputs = run->inputs,
                           .n_inputs = run->n_inputs,
                           .warnings = (char *const *const *)&run->warnings,
                           .n_warnings = &run->n_warnings,
                           .medium_type = facts.type,
                           .land_type = facts.land_type,
                           .land_offroad_kmh = land_kmh,
                           .profile_path = facts.profile_path,
                           .outdir = run->opts->outdir,
                           .outs = &run->outs,
                           .scenarios = run->report_scen,
                           .n_scenarios = run->n_report_scen};
}

static rt_status plan_report(rt_ctx *ctx, rti_run *run)
{
    rt_status st = alloc_report_view(ctx, run);
    rti_report_view v;
    rti_run_report_view(run, &v);
    return st == RT_OK ? rti_report_plan(ctx, &v, &run->report) : st;
}

static rt_status write_report(rt_ctx *ctx, rti_run *run)
{
    rti_report_view v;
    rti_run_report_view(run, &v);
    return rti_report_write_run(ctx, run->report, &v);
}

/* The second label: for its grids, or for the N-1 table. */
static int needs_second(const rt_study *s)
{
    return (s->outputs.second && s->outputs.grids) || s->outputs.closures;
}

static int needs_length(const rt_study *s)
{
    if (s->outputs.length)
        return 1;
    for (int t = 0; t < s->n_facilities; t++)
        for (int k = 0; k < s->facilities[t].n_norms; k++)
            if (s->facilities[t].norms[k].kind == RT_NORM_LENGTH)
                return 1;
    return 0;
}

/* ---- warnings for the JSON summary ---- */

static void run_log_fn(rt_log_level level, const char *message, void *user)
{
    rti_run *run = user;
    if (level == RT_LOG_WARNING) {
        char **w = realloc(run->warnings, (size_t)(run->n_warnings + 1) * sizeof(*w));
        char *copy = strdup(message);
        if (w)
            run->warnings = w;
        if (w && copy)
            run->warnings[run->n_warnings++] = copy;
        else
            free(copy); /* a lost copy is not worth failing the run */
    }
    if (run->user_log)
        run->user_log(level, message, run->user_log_data);
}

/* The text (and JSON) summary of a successful run or validation. Out of
 * memory here leaves it empty ("") rather than failing a finished run. */
static void keep_summary(rti_run *run)
{
    rt_study *s = run->study;
    s->summary = rti_run_summary(run);
    if (run->opts->json_summary)
        s->summary_json = rti_run_summary_json(run);
}

/* What every end of a run does: frees its state, gives the caller back its
 * log callback and memory budget. */
static void run_end(rt_ctx *ctx, rti_run *run, uint64_t caller_budget)
{
    rti_run_unlock_outdir(run);
    run_free(run);
    for (int i = 0; i < run->n_warnings; i++)
        free(run->warnings[i]);
    free(run->warnings);
    rt_ctx_set_log(ctx, run->user_log, run->user_log_data);
    rt_ctx_set_budget_bytes(ctx, caller_budget);
}

/* ---- the stages ---- */

static rt_status stage_regions(rt_ctx *ctx, rti_run *run)
{
    rt_status st = rti_run_read_regions(ctx, run);
    if (st == RT_OK)
        st = rti_run_define_grid(ctx, run);
    return st == RT_OK ? check_memory(ctx, run) : st;
}

static rt_status stage_medium(rt_ctx *ctx, rti_run *run)
{
    rt_status st = rti_run_build_medium(ctx, run);
    return st == RT_OK ? rti_run_rasterize_regions(ctx, run) : st;
}

/* The names of every output, checked before anything is written (no
 * input replaced, only regular files, no files of others), the output
 * folder and the statistics. */
static rt_status stage_prepare(rt_ctx *ctx, rti_run *run)
{
    rt_status st = rti_run_lock_outdir(ctx, run);
    if (st == RT_OK)
        st = rti_run_protect_inputs(ctx, run);
    if (st == RT_OK)
        st = rti_run_plan_outputs(ctx, run);
    if (st == RT_OK)
        st = rti_run_check_outdir(ctx, run);
    if (st == RT_OK)
        rti_run_clear_leftovers(ctx, run);
    if (st == RT_OK)
        st = rti_run_make_outdir(ctx, run);
    if (st == RT_OK)
        st = alloc_stats(ctx, run);
    if (st == RT_OK)
        st = rti_scen_plan(ctx, run);
    return st == RT_OK ? plan_report(ctx, run) : st;
}

static rt_status stage_done_writing(rt_ctx *ctx, rti_run *run)
{
    (void)run;
    return rti_progress(ctx, 1.0, "write") ? RT_OK
                                           : rti_error(ctx, RT_E_CANCELLED, "run cancelled");
}

/* A stage of a run: progress names the stage the progress callback hears
 * of from its start (NULL: the stage before goes on), timing its entry in
 * the stage timings (NULL: not timed; the time of the first stage also
 * counts the set-up before it). */
typedef struct stage {
    const char *progress;
    const char *timing;
    int validate; /* part of `reistijd validate` */
    rt_status (*fn)(rt_ctx *ctx, rti_run *run);
} stage;

static const stage STAGES[] = {
    {"regions", "regions", 1, stage_regions},
    {"population", "population", 1, rti_run_build_population},
    {"medium", "medium", 1, stage_medium},
    {"facilities", "facilities", 1, rti_run_read_facilities},
    {NULL, NULL, 1, rti_scen_read},
    {NULL, NULL, 1, rti_run_measures_check},
    {NULL, NULL, 0, stage_prepare},
    {"search", "search", 0, run_types},
    {NULL, NULL, 0, rti_run_measures}, /* before the scenarios: their compare tables use them */
    {NULL, NULL, 0, rti_scen_run},
    {"write", "tables", 0, rti_run_write_tables},
    {NULL, NULL, 0, rti_run_hash_inputs},
    {NULL, "report", 0, write_report},
    {NULL, NULL, 0, rti_run_write_manifest},
    {NULL, NULL, 0, stage_done_writing},
};

rt_status rti_run_open_inputs(rt_ctx *ctx, rt_study *study, const rt_run_opts *opts, rti_run *run)
{
    memset(run, 0, sizeof(*run));
    run->study = study;
    run->opts = opts;
    run->t_start = rti_now_s();
    run->threads = rti_threads(ctx);
    run->budget_bytes = rti_budget_effective(ctx);
    rti_io_init();
    rt_status st = alloc_run(ctx, run);
    if (st == RT_OK)
        st = rti_crs_check_metric(ctx, study->crs);
    if (st == RT_OK)
        st = rti_run_read_regions(ctx, run);
    if (st == RT_OK)
        st = rti_run_define_grid(ctx, run);
    if (st == RT_OK)
        st = rti_run_build_population(ctx, run);
    if (st == RT_OK)
        st = rti_run_rasterize_regions(ctx, run);
    return st;
}

void rti_run_close(rti_run *run)
{
    run_free(run);
    for (int i = 0; i < run->n_warnings; i++)
        free(run->warnings[i]);
    free(run->warnings);
}

static rt_status study_run_in_c_locale(rt_ctx *ctx, rt_study *study, const rt_run_opts *caller_opts)
{
    rt_run_opts o;
    rt_run_opts_init(&o);
    if (!study || !caller_opts)
        return rti_error(ctx, RT_E_ARG, "rt_study_run: no %s given", study ? "options" : "study");
    rt_status st = rti_struct_in(ctx, caller_opts, RTI_V1_BYTES(rt_run_opts, json_summary),
                                 sizeof(o), &o, "rt_study_run: rt_run_opts");
    if (st != RT_OK)
        return st;
    const rt_run_opts *opts = &o;
    rti_run run;
    memset(&run, 0, sizeof(run));
    run.study = study;
    run.opts = opts;
    run.t_start = rti_now_s();
    clock_gettime(CLOCK_REALTIME, &run.started);
    run.threads = rti_threads(ctx);
    if (!opts->validate_only && (!opts->outdir || !*opts->outdir))
        return rti_error(ctx, RT_E_ARG, "no output folder given");
    const uint64_t caller_budget = rti_ctx_budget_requested(ctx); /* restored at the end */
    /* one budget for the whole run (the machine's is read once) */
    if (study->memory_limit_bytes)
        rt_ctx_set_budget_bytes(ctx, study->memory_limit_bytes);
    run.budget_bytes = rti_budget_effective(ctx);
    rt_ctx_set_budget_bytes(ctx, run.budget_bytes);
    rti_ctx_get_log(ctx, &run.user_log,
                    &run.user_log_data); /* warnings are kept for the JSON summary */
    rt_ctx_set_log(ctx, run_log_fn, &run);
    run.search_flags =
        (needs_second(study) ? RT_SEARCH_SECOND : 0) | (needs_length(study) ? RT_SEARCH_LENGTH : 0);
    free(study->summary);
    free(study->summary_json);
    study->summary = study->summary_json = NULL;
    rti_io_init();

    double t0 = rti_now_s(); /* the first stage's time counts the set-up too */
    st = alloc_run(ctx, &run);
    if (st == RT_OK)
        st = rti_crs_check_metric(ctx, study->crs);
    if (st != RT_OK && st != RT_E_NOMEM)
        rti_error_prefix(ctx, "%s: study.crs '%s'", study->path, study->crs);
    for (size_t i = 0; st == RT_OK && i < sizeof(STAGES) / sizeof(STAGES[0]); i++) {
        const stage *sg = &STAGES[i];
        if (opts->validate_only && !sg->validate)
            break;
        if (sg->progress && !rti_progress(ctx, 0.0, sg->progress))
            st = rti_error(ctx, RT_E_CANCELLED, "run cancelled");
        if (sg->timing && i > 0)
            t0 = rti_now_s();
        if (st == RT_OK)
            st = sg->fn(ctx, &run);
        if (st == RT_OK && sg->timing)
            rti_run_stage_done(&run, sg->timing, t0);
    }
    if (st == RT_OK && !opts->validate_only)
        st = rti_outset_commit(ctx, &run.outs);
    if (st == RT_OK) {
        keep_summary(&run);
    } else {
        rti_outset_fail(ctx, &run.outs, st);
        rti_scen_remove_dirs(&run);
        rti_run_remove_outdir(&run); /* a failed run leaves no folder it made */
    }
    run_end(ctx, &run, caller_budget);
    return st;
}

rt_status rt_study_run(rt_ctx *ctx, rt_study *study, const rt_run_opts *caller_opts)
{
    if (!ctx)
        return RT_E_ARG;
    RTI_IN_C_LOCALE(ctx, rt_status, study_run_in_c_locale(ctx, study, caller_opts));
}
