/* rt_study_run: the stages of a run. Inputs are read and checked first
 * (everything `validate` does), then every voorziening type is searched and
 * aggregated in parallel, then the tables and the manifest are written and
 * all outputs renamed into place. */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

static void stage_done(rti_run *run, const char *name, double t0)
{
    if (run->n_stages < RTI_MAX_STAGES) {
        run->stages[run->n_stages].name = name;
        run->stages[run->n_stages].seconds = rti_now_s() - t0;
        run->n_stages++;
    }
}

static rt_status make_dirs(rt_ctx *ctx, const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
        return rti_error(ctx, RT_E_ARG, "%s: output folder name too long", dir);
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c == '/' || c == '\0') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return rti_error(ctx, RT_E_IO, "%s: cannot create the output folder: %s", buf,
                                 strerror(errno));
            *p = c;
        }
        if (c == '\0')
            break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rti_error(ctx, RT_E_IO, "%s: not a folder", dir);
    return RT_OK;
}

/* ---- the parallel stage ---- */

typedef struct shared_progress {
    double *fraction; /* per type */
    int n;
    volatile int cancel;
    rt_ctx *parent;
} shared_progress;

typedef struct task_progress {
    shared_progress *sh;
    int type;
} task_progress;

static int task_progress_fn(double fraction, const char *stage, void *user)
{
    task_progress *tp = user;
    shared_progress *sh = tp->sh;
    if (strcmp(stage, "search") == 0) /* statistics and writing are short */
        sh->fraction[tp->type] = fraction;
    if (rt_ctx_cancel_requested(sh->parent)) /* any thread may see a request */
        sh->cancel = 1;
    /* only the calling thread talks to the caller's callback */
    if (omp_get_thread_num() == 0 && !sh->cancel) {
        double sum = 0;
        for (int i = 0; i < sh->n; i++)
            sum += sh->fraction[i];
        if (!rti_progress(sh->parent, sum / sh->n, "search"))
            sh->cancel = 1;
    }
    return !sh->cancel;
}

/* Messages of a parallel task are kept with its type and handed to the
 * caller's log callback afterwards, in type order, on the calling thread. */
static void task_log_fn(rt_log_level level, const char *message, void *user)
{
    rti_type_run *tr = user;
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

static void replay_logs(rt_ctx *ctx, rti_run *run)
{
    for (int t = 0; t < run->study->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        for (char *line = tr->log; line && *line;) {
            char *end = strchr(line, '\n');
            *end = '\0';
            rti_log(ctx, (rt_log_level)(line[0] - '0'), "%s: %s", tr->def->type, line + 1);
            line = end + 1;
        }
    }
}

static rt_status run_type(rt_ctx *ctx, rti_run *run, int t, rt_search_ws *ws)
{
    rti_type_run *tr = &run->types[t];
    rt_study *s = run->study;
    double t0 = rti_now_s();
    rt_labels lab;
    rt_status st = rt_labels_alloc(ctx, run->n_cells, run->search_flags, &lab);
    if (st != RT_OK)
        return st;
    rt_grid_medium med = {run->friction, run->grid.nx, run->grid.ny, run->grid.cell_m};
    rt_search_opts so;
    rt_search_opts_init(&so);
    so.neighbours = s->neighbours;
    so.flags = run->search_flags;
    if (run->net)
        st = rti_run_network_labels(ctx, run, t, ws, &lab);
    else
        st = rt_grid_search(ctx, &med, tr->src, tr->n_src, &so, ws, &lab);
    for (int r = 0; st == RT_OK && r < s->n_regions; r++) {
        rt_stats_input in = {.n_cells = run->n_cells,
                             .cell_area_m2 = run->grid.cell_m * run->grid.cell_m,
                             .time_s = lab.time_s,
                             .length_m = lab.length_m,
                             .pop_persons = run->pop,
                             .region = run->regions[r].index,
                             .norms = tr->def->norms,
                             .n_norms = tr->def->n_norms};
        st = rt_stats_regions(ctx, &in, (int32_t)run->regions[r].polys.n, tr->stats[r],
                              &tr->pop_outside[r]);
    }
    if (st == RT_OK) {
        /* population totals over the whole grid, in cell order */
        double tot = 0, reached = 0;
        for (int64_t i = 0; i < run->n_cells; i++) {
            float p = run->pop ? run->pop[i] : 1.0f;
            if (!(p > 0))
                continue;
            tot += p;
            if (lab.time_s[i] < INFINITY)
                reached += p;
        }
        tr->pop_total = tot;
        tr->pop_reached = reached;
        st = rti_run_write_type_grids(ctx, run, t, &lab);
    }
    if (st == RT_OK)
        rti_run_report_type(run, t, &lab);
    rt_labels_free(&lab);
    tr->seconds = rti_now_s() - t0;
    return st;
}

static rt_status run_types(rt_ctx *ctx, rti_run *run)
{
    const int n = run->study->n_facilities;
    int team = run->threads < n ? run->threads : n;
    shared_progress sh = {NULL, n, 0, ctx};
    sh.fraction = rti_malloc_array(ctx, n, sizeof(double), "progress");
    if (!sh.fraction)
        return RT_E_NOMEM;
#pragma omp parallel num_threads(team)
    {
        rt_ctx *tctx = rt_ctx_create();
        rt_search_ws *ws = rt_search_ws_create();
        if (tctx) {
            rt_ctx_set_threads(tctx, 1);
            rt_ctx_set_budget_bytes(tctx, rti_budget_effective(ctx));
        }
#pragma omp for schedule(dynamic, 1)
        for (int t = 0; t < n; t++) {
            rti_type_run *tr = &run->types[t];
            if (!tctx || !ws) {
                tr->status = RT_E_NOMEM;
                continue;
            }
            task_progress tp = {&sh, t};
            rt_ctx_clear_error(tctx);
            rt_ctx_set_progress(tctx, task_progress_fn, &tp);
            rt_ctx_set_log(tctx, task_log_fn, tr);
            tr->status = sh.cancel ? RT_E_CANCELLED : run_type(tctx, run, t, ws);
            if (tr->status != RT_OK) {
                tr->message = strdup(rt_ctx_errmsg(tctx));
                if (tr->status == RT_E_CANCELLED)
                    sh.cancel = 1;
            }
        }
        rt_search_ws_destroy(ws);
        rt_ctx_destroy(tctx);
    }
    free(sh.fraction);
    replay_logs(ctx, run);
    /* report the first failing type, so the message does not depend on timing */
    for (int t = 0; t < n; t++) {
        rti_type_run *tr = &run->types[t];
        if (tr->status == RT_E_CANCELLED || sh.cancel)
            return rti_error(ctx, RT_E_CANCELLED, "run cancelled");
        if (tr->status != RT_OK)
            return rti_error(ctx, tr->status, "%s: %s", tr->def->type,
                             tr->message ? tr->message : "out of memory");
    }
    return rti_progress(ctx, 1.0, "search") ? RT_OK
                                            : rti_error(ctx, RT_E_CANCELLED, "run cancelled");
}

static rt_status begin(rt_ctx *ctx, const char *stage)
{
    return rti_progress(ctx, 0.0, stage) ? RT_OK : rti_error(ctx, RT_E_CANCELLED, "run cancelled");
}

/* ---- memory ---- */

static rt_status check_memory(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    int n = s->n_facilities;
    int team = run->threads < n ? run->threads : n;
    const rti_medium_kind kind = s->medium.kind;
    const uint64_t k = run->search_flags & RT_SEARCH_SECOND ? 2 : 1;
    /* the medium: friction (4), attachments (24), or both */
    uint64_t per_cell = kind == RTI_MEDIUM_NETWORK ? 24 : kind == RTI_MEDIUM_HYBRID ? 28 : 4;
    if (kind == RTI_MEDIUM_HYBRID) /* up to k grid starts per cell and type */
        per_cell += (uint64_t)team * k * sizeof(rt_source);
    per_cell += 4                            /* population */
                + 4                          /* land mask or road grid while building */
                + 4 * (uint64_t)s->n_regions /* region index grids */
                + (uint64_t)team * rt_labels_bytes_per_cell(run->search_flags);
    run->est_bytes = per_cell * (uint64_t)run->n_cells;
    char what[160];
    snprintf(what, sizeof(what),
             "a grid of %d x %d cells of %g m (%llu bytes per cell, %d type%s at once)",
             run->grid.nx, run->grid.ny, run->grid.cell_m, (unsigned long long)per_cell, team,
             team == 1 ? "" : "s");
    return rti_budget_check(ctx, run->est_bytes, what);
}

/* ---- cleanup ---- */

static void run_free(rti_run *run)
{
    rt_study *s = run->study;
    free(run->friction);
    free(run->pop);
    rti_run_network_free(run);
    if (run->regions) {
        for (int r = 0; r < s->n_regions; r++) {
            rti_polygons_free(&run->regions[r].polys);
            free(run->regions[r].index);
        }
        free(run->regions);
    }
    if (run->types) {
        for (int t = 0; t < s->n_facilities; t++) {
            rti_type_run *tr = &run->types[t];
            rti_points_free(&tr->pts);
            free(tr->snap_m);
            free(tr->cell);
            free(tr->src);
            free(tr->nsrc);
            free(tr->nsrc_m);
            free(tr->fa);
            free(tr->node_time_s);
            free(tr->node_facility);
            if (tr->stats)
                for (int r = 0; r < s->n_regions; r++)
                    free(tr->stats[r]);
            free(tr->stats);
            free(tr->pop_outside);
            free(tr->message);
            free(tr->log);
            free(tr->map_class);
            free(tr->hist);
        }
        free(run->types);
    }
    free(run->inputs);
    rti_outset_free(&run->outs);
}

static rt_status alloc_run(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    run->regions = rti_malloc_array(ctx, s->n_regions, sizeof(*run->regions), "regions");
    run->types = rti_malloc_array(ctx, s->n_facilities, sizeof(*run->types), "facility types");
    if (!run->regions || !run->types)
        return RT_E_NOMEM;
    for (int r = 0; r < s->n_regions; r++)
        run->regions[r].def = &s->regions[r];
    for (int t = 0; t < s->n_facilities; t++)
        run->types[t].def = &s->facilities[t];
    return RT_OK;
}

static rt_status alloc_stats(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    for (int t = 0; t < s->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        tr->stats = rti_malloc_array(ctx, s->n_regions, sizeof(*tr->stats), "statistics");
        tr->pop_outside = rti_malloc_array(ctx, s->n_regions, sizeof(double), "statistics");
        if (!tr->stats || !tr->pop_outside)
            return RT_E_NOMEM;
        for (int r = 0; r < s->n_regions; r++) {
            tr->stats[r] = rti_malloc_array(ctx, run->regions[r].polys.n, sizeof(rt_region_stats),
                                            "statistics");
            if (!tr->stats[r])
                return RT_E_NOMEM;
        }
    }
    return RT_OK;
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
    run_free(run);
    for (int i = 0; i < run->n_warnings; i++)
        free(run->warnings[i]);
    free(run->warnings);
    rt_ctx_set_log(ctx, run->user_log, run->user_log_data);
    ctx->budget_bytes = caller_budget;
}

rt_status rt_study_run(rt_ctx *ctx, rt_study *study, const rt_run_opts *opts)
{
    rti_run run;
    memset(&run, 0, sizeof(run));
    run.study = study;
    run.opts = opts;
    run.t_start = rti_now_s();
    run.threads = rti_threads(ctx);
    if (!opts->validate_only && (!opts->outdir || !*opts->outdir))
        return rti_error(ctx, RT_E_ARG, "no output folder given");
    const uint64_t caller_budget = ctx->budget_bytes; /* restored at the end */
    if (study->memory_limit_bytes)
        rt_ctx_set_budget_bytes(ctx, study->memory_limit_bytes);
    run.budget_bytes = rti_budget_effective(ctx);
    run.user_log = ctx->log; /* warnings are kept for the JSON summary */
    run.user_log_data = ctx->log_user;
    rt_ctx_set_log(ctx, run_log_fn, &run);
    run.search_flags = (study->outputs.second && study->outputs.grids ? RT_SEARCH_SECOND : 0) |
                       (needs_length(study) ? RT_SEARCH_LENGTH : 0);
    free(study->summary);
    free(study->summary_json);
    study->summary = study->summary_json = NULL;
    rti_io_init();

    double t0 = rti_now_s();
    rt_status st = alloc_run(ctx, &run);
    if (st == RT_OK)
        st = rti_crs_check_metric(ctx, study->crs);
    if (st != RT_OK && st != RT_E_NOMEM)
        rti_error_prefix(ctx, "%s: study.crs '%s'", study->path, study->crs);
    if (st == RT_OK)
        st = begin(ctx, "regions");
    if (st == RT_OK)
        st = rti_run_read_regions(ctx, &run);
    if (st == RT_OK)
        st = rti_run_define_grid(ctx, &run);
    if (st == RT_OK)
        st = check_memory(ctx, &run);
    if (st == RT_OK)
        stage_done(&run, "regions", t0);
    if (st == RT_OK)
        st = begin(ctx, "population");
    if (st == RT_OK) {
        t0 = rti_now_s();
        st = rti_run_build_population(ctx, &run);
        stage_done(&run, "population", t0);
    }
    if (st == RT_OK)
        st = begin(ctx, "medium");
    if (st == RT_OK) {
        t0 = rti_now_s();
        st = rti_run_build_medium(ctx, &run);
        if (st == RT_OK)
            st = rti_run_rasterize_regions(ctx, &run);
        stage_done(&run, "medium", t0);
    }
    if (st == RT_OK)
        st = begin(ctx, "facilities");
    if (st == RT_OK) {
        t0 = rti_now_s();
        st = rti_run_read_facilities(ctx, &run);
        stage_done(&run, "facilities", t0);
    }
    if (st == RT_OK && opts->validate_only) {
        keep_summary(&run);
        run_end(ctx, &run, caller_budget);
        return RT_OK;
    }
    struct stat before;
    int created = st == RT_OK && stat(opts->outdir, &before) != 0;
    if (st == RT_OK)
        st = make_dirs(ctx, opts->outdir);
    if (st == RT_OK)
        st = alloc_stats(ctx, &run);
    if (st == RT_OK)
        st = rti_run_plan_outputs(ctx, &run);
    if (st == RT_OK)
        st = rti_run_plan_report(ctx, &run);
    if (st == RT_OK)
        st = begin(ctx, "search");
    if (st == RT_OK) {
        t0 = rti_now_s();
        st = run_types(ctx, &run);
        stage_done(&run, "search", t0);
    }
    if (st == RT_OK)
        st = begin(ctx, "write");
    if (st == RT_OK) {
        t0 = rti_now_s();
        st = rti_run_write_tables(ctx, &run);
        stage_done(&run, "tables", t0);
    }
    if (st == RT_OK)
        st = rti_run_hash_inputs(ctx, &run);
    if (st == RT_OK) {
        t0 = rti_now_s();
        st = rti_run_write_report(ctx, &run);
        stage_done(&run, "report", t0);
    }
    if (st == RT_OK)
        st = rti_run_write_manifest(ctx, &run);
    if (st == RT_OK && !rti_progress(ctx, 1.0, "write"))
        st = rti_error(ctx, RT_E_CANCELLED, "run cancelled");
    if (st == RT_OK)
        st = rti_outset_commit(ctx, &run.outs);
    if (st == RT_OK) {
        keep_summary(&run);
    } else {
        rti_outset_abort(&run.outs);
        if (created)
            rmdir(opts->outdir); /* only if empty: a failed run leaves nothing */
    }
    run_end(ctx, &run, caller_budget);
    return st;
}
