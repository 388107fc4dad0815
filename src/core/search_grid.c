/* Multi-source Dijkstra over a friction grid with 8 or 16 neighbours,
 * k = 1 or k = 2 distinct-facility labels. See rt_search.h for the cost
 * model and the tie rule, docs/methods.md for the reasoning. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/grid_expand.h"

#define RT_PREPARE_CHUNK ((int64_t)1 << 20) /* cells between two progress points */

/* ---- k = 1 ---- */

static inline __attribute__((always_inline)) rt_status run_k1(rt_ctx *ctx, const rt_grid_medium *g,
                                                              const stencil *s, double max_t,
                                                              queue *h, rt_labels *o, int64_t total,
                                                              const int with_len, const int nbrs)
{
    const float *fr = g->friction_s_per_m;
    const int32_t nx = g->nx, ny = g->ny;
    int64_t pops = 0;
    rti_hentry e;
    int r;
    const int64_t n_cells = (int64_t)nx * ny;
    while ((r = q_pop(ctx, h, &e)) > 0) {
        prefetch_cell(h, o, fr, n_cells, nx, nbrs == 16 ? 2 : 1);
        const int64_t c = e.node;
        const double t = o->time_s[c];
        if (!rti_same_time(e.key, t))
            continue; /* stale: the cell was improved after this push */
        if (!search_tick(ctx, &pops, total))
            return RT_E_CANCELLED;
        const float l = with_len ? o->length_m[c] : 0.0f;
        if (!expand(ctx, h, o, fr, s, nx, ny, c, t, o->facility[c], l, max_t, with_len, nbrs, 0,
                    NULL))
            return RT_E_NOMEM;
    }
    return r < 0 ? RT_E_NOMEM : RT_OK;
}

/* ---- k = 2 ---- */

static inline __attribute__((always_inline)) rt_status run_k2(rt_ctx *ctx, const rt_grid_medium *g,
                                                              const stencil *s, double max_t,
                                                              queue *h, rt_labels *o, int64_t total,
                                                              const int with_len)
{
    const float *fr = g->friction_s_per_m;
    int64_t pops = 0;
    rti_hentry e;
    int r;
    while ((r = q_pop(ctx, h, &e)) > 0) {
        const int64_t c = e.node;
        double t;
        const int first = entry_slot(o, c, &e, &t);
        if (first < 0)
            continue; /* stale */
        if (!search_tick(ctx, &pops, total))
            return RT_E_CANCELLED;
        /* a second-slot entry never becomes anybody's nearest (its
         * nearest does better through the same cell), so its length is
         * never read; NaN keeps that visible if it ever were */
        const float l = with_len && first ? o->length_m[c] : NAN;
        if (!expand(ctx, h, o, fr, s, g->nx, g->ny, c, t, e.fac, l, max_t, with_len, s->n, 1, NULL))
            return RT_E_NOMEM;
    }
    return r < 0 ? RT_E_NOMEM : RT_OK;
}

/* ---- entry point ---- */

static rt_status check_args(rt_ctx *ctx, const rt_grid_medium *g, const rt_source *src,
                            int64_t n_src, const rt_search_opts *o, const rt_labels *out)
{
    if (!g || !g->friction_s_per_m || g->nx <= 0 || g->ny <= 0)
        return rti_error(ctx, RT_E_ARG, "search: empty friction grid");
    if (!(g->cell_m > 0) || !isfinite(g->cell_m))
        return rti_error(ctx, RT_E_ARG, "search: cell size %g m must be > 0", g->cell_m);
    int64_t n = (int64_t)g->nx * g->ny;
    if (n > (int64_t)UINT32_MAX)
        return rti_error(ctx, RT_E_ARG,
                         "search: %lld cells is more than the %lld one search handles",
                         (long long)n, (long long)UINT32_MAX);
    if (o->neighbours != 8 && o->neighbours != 16)
        return rti_error(ctx, RT_E_ARG, "search: neighbours must be 8 or 16, got %d",
                         o->neighbours);
    rt_status st = rti_search_check(ctx, o, out, n, "grid");
    if (st != RT_OK)
        return st;
    if (!src || n_src < 1)
        return rti_error(ctx, RT_E_ARG, "search: no start cells");
    for (int64_t i = 0; i < n_src; i++) {
        int64_t c = src[i].cell;
        if (c < 0 || c >= n)
            return rti_error(
                ctx, RT_E_ARG,
                "search: start %lld (facility %d): cell %lld is outside the %d x %d grid",
                (long long)i, src[i].facility, (long long)c, g->nx, g->ny);
        if (!passable(g->friction_s_per_m[c]))
            return rti_error(
                ctx, RT_E_ARG,
                "search: start %lld (facility %d): cell (row %lld, col %lld) is impassable",
                (long long)i, src[i].facility, (long long)(c / g->nx), (long long)(c % g->nx));
    }
    return RT_OK;
}

typedef struct prep_acc {
    int64_t n_pass;    /* passable cells */
    int64_t first_bad; /* first cell of a forbidden friction, n if none */
    float lo, hi;      /* smallest and largest passable friction */
} prep_acc;

/* One chunk [c0, c1) of prepare(), added to *acc. */
static void prepare_cells(const float *fr, unsigned flags, int clear, rt_labels *o, int64_t c0,
                          int64_t c1, int threads, prep_acc *acc)
{
    int64_t n_pass = acc->n_pass, first_bad = acc->first_bad;
    float lo = acc->lo, hi = acc->hi;
#pragma omp parallel for num_threads(threads) schedule(static) reduction(+ : n_pass)               \
    reduction(min : first_bad, lo) reduction(max : hi)
    for (int64_t i = c0; i < c1; i++) {
        float f = fr[i];
        if (passable(f)) {
            if (f > 0) {
                n_pass++;
                lo = f < lo ? f : lo;
                hi = f > hi ? f : hi;
            } else if (i < first_bad) {
                first_bad = i;
            }
        } else if (f == -INFINITY && i < first_bad) {
            first_bad = i;
        }
        if (clear)
            label_clear(o, i, flags);
    }
    acc->n_pass = n_pass;
    acc->first_bad = first_bad;
    acc->lo = lo;
    acc->hi = hi;
}

/* Validates the friction values and initialises the labels in one pass;
 * returns the number of passable cells (and their smallest and largest
 * friction), -1 with the error set, or -2 when cancelled. The pass goes in
 * chunks of RT_PREPARE_CHUNK cells with a progress point between two: on a
 * large grid it is also where the label pages are first touched, which
 * takes long enough to matter for a prompt stop. */
static int64_t prepare(rt_ctx *ctx, const rt_grid_medium *g, unsigned flags, int clear,
                       rt_labels *o, int threads, float *fmin, float *fmax)
{
    const float *fr = g->friction_s_per_m;
    const int64_t n = (int64_t)g->nx * g->ny;
    prep_acc acc = {0, n, INFINITY, 0.0f};
    for (int64_t c0 = 0; c0 < n && acc.first_bad == n; c0 += RT_PREPARE_CHUNK) {
        const int64_t c1 = n - c0 > RT_PREPARE_CHUNK ? c0 + RT_PREPARE_CHUNK : n;
        if (c0 > 0 && !rti_progress(ctx, 0.0, "search")) {
            rti_error(ctx, RT_E_CANCELLED, "search cancelled");
            return -2;
        }
        prepare_cells(fr, flags, clear, o, c0, c1, threads, &acc);
    }
    if (acc.first_bad < n) {
        rti_error(ctx, RT_E_DATA,
                  "friction grid: cell (row %lld, col %lld): friction %g s/m is not allowed "
                  "(must be > 0; mark impassable cells as nodata)",
                  (long long)(acc.first_bad / g->nx), (long long)(acc.first_bad % g->nx),
                  (double)fr[acc.first_bad]);
        return -1;
    }
    *fmin = acc.lo;
    *fmax = acc.hi;
    return acc.n_pass;
}

/* The bucket width: the cheapest edge is an axial step between two cells
 * of the lowest friction, computed as move_cost computes it; every other
 * edge costs at least as much (rounding is monotone). */
static int choose_queue(rt_ctx *ctx, rt_search_ws *ws, const rt_grid_medium *g, int neighbours,
                        float fmin, float fmax, double span, int second, queue *q)
{
    double w_min = ((double)fmin + (double)fmin) * (0.5 * g->cell_m);
    double w_max = (double)fmax * g->cell_m * (neighbours == 16 ? sqrt(5.0) : sqrt(2.0));
    return rti_search_queue(ctx, ws, w_min, w_max, span, 1, second, q);
}

/* The serial search: the sources offered, then the kernel for the flags. */
static rt_status run_serial(rt_ctx *ctx, const rt_grid_medium *grid, const stencil *s,
                            const rt_source *src, int64_t n_src, const rt_search_opts *opts,
                            queue *h, rt_labels *out, int64_t total)
{
    const int second = (opts->flags & RT_SEARCH_SECOND) != 0;
    const int with_len = (opts->flags & RT_SEARCH_LENGTH) != 0;
    for (int64_t i = 0; i < n_src; i++) {
        const double t0 = src[i].start_s;
        if (!(t0 <= opts->max_time_s))
            continue; /* starts beyond the time limit: its cell stays unreached */
        const float l0 = opts->start_m ? opts->start_m[i] : 0.0f;
        int ok = offer_k(ctx, h, out, src[i].cell, t0, src[i].facility, l0, with_len, second);
        if (!ok)
            return RT_E_NOMEM;
    }
    const double mt = opts->max_time_s;
    if (second)
        return with_len ? run_k2(ctx, grid, s, mt, h, out, total, 1)
                        : run_k2(ctx, grid, s, mt, h, out, total, 0);
    if (s->n == 8)
        return with_len ? run_k1(ctx, grid, s, mt, h, out, total, 1, 8)
                        : run_k1(ctx, grid, s, mt, h, out, total, 0, 8);
    return with_len ? run_k1(ctx, grid, s, mt, h, out, total, 1, 16)
                    : run_k1(ctx, grid, s, mt, h, out, total, 0, 16);
}

/* ---- updates: labels of an earlier search after closures ---- */

/* The cells that offer again to the cleared ones: every reached neighbour
 * of a cleared cell (a cell may be listed more than once), added to
 * *border. Returns 0 when out of memory. */
static int border_cells(rt_ctx *ctx, const rt_grid_medium *g, const stencil *s, const rt_labels *o,
                        const rti_idx_list *cleared, rti_idx_list *border)
{
    const int32_t nx = g->nx, ny = g->ny;
    for (int64_t i = 0; i < cleared->n; i++) {
        const int64_t c = cleared->a[i], row = row_of(s, c), col = c - row * nx;
        for (int k = 0; k < s->n; k++) {
            if (!inside(nx, ny, row, col, k))
                continue;
            const int64_t nb = c + s->off[k];
            if (!(o->time_s[nb] < INFINITY))
                continue;
            if (!rti_list_add(ctx, border, nb))
                return 0;
        }
    }
    return 1;
}

/* ---- updates: labels of an earlier search on a changed grid ---- */

/* The cost of move k from u on the friction fr; NaN when the move leaves
 * the grid or is blocked. */
static inline double cost_on(const float *fr, const stencil *s, int32_t nx, int32_t ny, int64_t u,
                             int k)
{
    const int64_t row = row_of(s, u), col = u - row * nx;
    if (!inside(nx, ny, row, col, k))
        return NAN;
    const int64_t v = u + s->off[k];
    if (!passable(fr[u]) || !passable(fr[v]))
        return NAN;
    return move_cost(fr, s, k, u, fr[u], fr[v]);
}

typedef struct repair {
    const float *fo, *fn; /* friction before and after */
    const stencil *s;
    int32_t nx, ny;
    rt_labels *o;
    rti_marks m;         /* cells whose labels go */
    rti_idx_list *seeds; /* cells to queue with their labels */
} repair;

/* The move k from u, whose cost may have changed: a cheaper (or newly
 * open) move queues u; a dearer (or newly blocked) one that carried a label
 * of v marks v. */
static int changed_move(rt_ctx *ctx, repair *R, int64_t u, int k)
{
    const double wo = cost_on(R->fo, R->s, R->nx, R->ny, u, k),
                 wn = cost_on(R->fn, R->s, R->nx, R->ny, u, k);
    if (isnan(wo) && isnan(wn))
        return 1;
    if (isnan(wo) || wn < wo)
        return !(R->o->time_s[u] < INFINITY) || rti_list_add(ctx, R->seeds, u);
    if ((isnan(wn) || wn > wo) && rti_label_tight(R->o, u, u + R->s->off[k], wo))
        return rti_mark(ctx, &R->m, u + R->s->off[k]);
    return 1;
}

/* Every move whose cost involves cell c (from it, into it, or across it
 * as the middle of a knight move). */
static int moves_at(rt_ctx *ctx, repair *R, int64_t c)
{
    const int64_t n = (int64_t)R->nx * R->ny;
    for (int k = 0; k < R->s->n; k++) {
        const int64_t from[4] = {c, c - R->s->off[k], k >= 8 ? c - R->s->mid1[k] : -1,
                                 k >= 8 ? c - R->s->mid2[k] : -1};
        for (int j = 0; j < 4; j++)
            if (from[j] >= 0 && from[j] < n && (j == 0 || from[j] != c) &&
                !changed_move(ctx, R, from[j], k))
                return 0;
    }
    return 1;
}

#define RT_COMPARE_CHUNK 1024 /* cells compared at once by repair_grid */

/* The labels of o, computed on friction fo, made fit for fn: every label
 * that a dearer or blocked move carried, and every label derived from such
 * a label (along moves that carried it), is cleared and its cell added to
 * *cleared; the cells from which a move became cheaper go to *seeds. */
static int repair_grid(rt_ctx *ctx, const float *fo, const rt_grid_medium *g, const stencil *s,
                       unsigned flags, rt_labels *o, rti_idx_list *cleared, rti_idx_list *seeds)
{
    const int64_t n = (int64_t)g->nx * g->ny;
    repair R = {fo, g->friction_s_per_m, s, g->nx, g->ny, o, {NULL, {0}, cleared}, seeds};
    R.m.bit = rti_malloc_array(ctx, n / 8 + 1, 1, "search update");
    int ok = R.m.bit != NULL;
    for (int64_t c0 = 0; ok && c0 < n; c0 += RT_COMPARE_CHUNK) {
        const int64_t c1 = n - c0 > RT_COMPARE_CHUNK ? c0 + RT_COMPARE_CHUNK : n;
        if (!memcmp(fo + c0, R.fn + c0, (size_t)(c1 - c0) * sizeof(float)))
            continue; /* the same bits: no cell changed (most of the grid) */
        for (int64_t c = c0; ok && c < c1; c++) {
            const float a = fo[c], b = R.fn[c];
            if (a == b || (!passable(a) && !passable(b)))
                continue;
            if (!passable(b) && o->time_s[c] < INFINITY)
                ok = rti_mark(ctx, &R.m, c);
            ok = ok && moves_at(ctx, &R, c);
        }
    }
    /* what the marked labels carried on, along the moves as they were */
    while (ok && R.m.todo.n > 0) {
        const int64_t x = R.m.todo.a[--R.m.todo.n];
        for (int k = 0; ok && k < s->n; k++) {
            const double w = cost_on(fo, s, g->nx, g->ny, x, k);
            const int64_t y = x + s->off[k];
            if (!isnan(w) && rti_label_tight(o, x, y, w))
                ok = rti_mark(ctx, &R.m, y);
        }
    }
    for (int64_t i = 0; ok && i < cleared->n; i++) /* the marked cells are listed there */
        label_clear(o, cleared->a[i], flags);
    free(R.m.bit);
    free(R.m.todo.a);
    return ok;
}

/* Threads for one search of n_pass passable cells: the tiled search pays
 * two barriers a bucket, which small grids do not repay; and inside an
 * active parallel region that allows no nesting it would get one thread. */
#define RT_TILES_MIN_CELLS ((int64_t)1 << 18)

static int search_team(rt_ctx *ctx, int64_t n_pass)
{
    int team = rti_threads(ctx);
    if (team < 2 || n_pass < RT_TILES_MIN_CELLS ||
        omp_get_active_level() >= omp_get_max_active_levels())
        return 1;
    return team;
}

/* rt_grid_search, and with warm = 1 rti_grid_search_warm; team threads
 * (0: chosen by search_team) in bands of 2^shift rows (-1: by the grid). */
static rt_status grid_search(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                             int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                             rt_labels *out, int warm, int team, int shift, const int32_t *map,
                             int32_t n_map, const float *old_fr)
{
    rt_search_opts def;
    rt_status st_opts = rti_search_opts_in(ctx, opts, &def);
    if (st_opts != RT_OK)
        return st_opts;
    opts = &def;
    rt_status st = check_args(ctx, grid, src, n_src, opts, out);
    double span = 0.0;
    if (st == RT_OK)
        st = rti_search_check_starts(ctx, src, n_src, opts->start_m, &span);
    if (st != RT_OK)
        return st;
    float fmin = 0, fmax = 0;
    int64_t n_pass = prepare(ctx, grid, opts->flags, !warm, out, rti_threads(ctx), &fmin, &fmax);
    if (n_pass < 0)
        return n_pass == -2 ? RT_E_CANCELLED : RT_E_DATA;

    rt_search_ws *tmp = NULL;
    if (!ws) {
        tmp = ws = rt_search_ws_create();
        if (!ws)
            return rti_error(ctx, RT_E_NOMEM, "search: out of memory for the queue");
    }
    stencil s;
    stencil_init(&s, opts->neighbours, grid->nx, grid->cell_m);
    rti_idx_list cleared = {0}, border = {0};
    if (map) { /* an update: the labels of the closed facilities cleared, their border queued */
        /* the grid first: which labels carried which is seen only while
         * every label is still there */
        if ((old_fr && !repair_grid(ctx, old_fr, grid, &s, opts->flags, out, &cleared, &border)) ||
            !rti_labels_renumber(ctx, map, n_map, opts->flags, (int64_t)grid->nx * grid->ny, out,
                                 &cleared) ||
            !border_cells(ctx, grid, &s, out, &cleared, &border))
            st = RT_E_NOMEM;
        span = rti_update_span(src, n_src, out, &border); /* it sizes the ring */
        team = 1;
    }
    queue qu, *h = &qu;
    if (st == RT_OK && !choose_queue(ctx, ws, grid, opts->neighbours, fmin, fmax, span,
                                     (opts->flags & RT_SEARCH_SECOND) != 0, h))
        st = RT_E_NOMEM;
    if (st == RT_OK && !rti_queue_labels(ctx, h, out, &border))
        st = RT_E_NOMEM;
    free(cleared.a);
    free(border.a);
    if (st != RT_OK) {
        rt_search_ws_destroy(tmp);
        return st;
    }

    const int64_t total = (opts->flags & RT_SEARCH_SECOND) ? 2 * n_pass : n_pass;
    team = team > 0 ? team : search_team(ctx, n_pass);
    st = rti_progress(ctx, 0.0, "search") ? RT_OK
                                          : rti_error(ctx, RT_E_CANCELLED, "search cancelled");
    if (st == RT_OK && h->bq && team > 1)
        st = rti_tiles_run(ctx, grid, &s, src, n_src, opts, ws, h->bq, out, total, team,
                           shift >= 0 ? shift : rti_tiles_shift(grid->ny));
    else if (st == RT_OK)
        st = run_serial(ctx, grid, &s, src, n_src, opts, h, out, total);
    if (st == RT_OK && !rti_progress(ctx, 1.0, "search"))
        st = rti_error(ctx, RT_E_CANCELLED, "search cancelled");
    rti_rheap_reset(&ws->heap);
    rt_search_ws_destroy(tmp);
    return st;
}

rt_status rt_grid_search(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                         int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                         rt_labels *out)
{
    if (!ctx)
        return RT_E_ARG;
    return grid_search(ctx, grid, src, n_src, opts, ws, out, 0, 0, -1, NULL, 0, NULL);
}

rt_status rti_grid_search_update(rt_ctx *ctx, const rt_grid_medium *grid, const float *old_fr,
                                 const rt_source *src, int64_t n_src, const int32_t *map,
                                 int32_t n_map, const rt_search_opts *opts, rt_search_ws *ws,
                                 rt_labels *out)
{
    if (!map || n_map < 0)
        return rti_error(ctx, RT_E_ARG, "search update: no facility map");
    return grid_search(ctx, grid, src, n_src, opts, ws, out, 1, 1, -1, map, n_map, old_fr);
}

rt_status rti_grid_search_tiled(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                                int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                                rt_labels *out, int team, int shift)
{
    return grid_search(ctx, grid, src, n_src, opts, ws, out, 0, team > 0 ? team : 1, shift, NULL, 0,
                       NULL);
}

rt_status rti_grid_search_warm(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                               int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                               rt_labels *out)
{
    return grid_search(ctx, grid, src, n_src, opts, ws, out, 1, 0, -1, NULL, 0, NULL);
}

int rt_grid_snap(const rt_grid_medium *grid, double col_f, double row_f, double radius_m,
                 int64_t *cell, double *snap_m)
{
    const double cm = grid->cell_m;
    const int64_t nx = grid->nx, ny = grid->ny;
    const float *fr = grid->friction_s_per_m;
    double c0 = floor(col_f), r0 = floor(row_f);
    if (c0 >= 0 && c0 < (double)nx && r0 >= 0 && r0 < (double)ny) {
        int64_t c = (int64_t)r0 * nx + (int64_t)c0;
        if (passable(fr[c]) && fr[c] > 0) {
            *cell = c;
            *snap_m = 0.0;
            return 1;
        }
    }
    if (!(radius_m > 0))
        return 0;
    if (!isfinite(col_f) || !isfinite(row_f))
        return 0;
    /* the window, clamped to the grid while still in double: a point far
     * outside (1e20 cells) gives an empty window, not an overflowing cast */
    const double rc = radius_m / cm + 1.0;
    const double rl = fmax(0.0, floor(row_f - rc)), rh = fmin((double)ny - 1, ceil(row_f + rc));
    const double cl = fmax(0.0, floor(col_f - rc)), ch = fmin((double)nx - 1, ceil(col_f + rc));
    if (!(rl <= rh && cl <= ch))
        return 0;
    const int64_t rlo = (int64_t)rl, rhi = (int64_t)rh, clo = (int64_t)cl, chi = (int64_t)ch;
    double best = INFINITY;
    int64_t best_c = -1;
    for (int64_t r = rlo; r <= rhi; r++)
        for (int64_t c = clo; c <= chi; c++) {
            float f = fr[r * nx + c];
            if (!passable(f) || !(f > 0))
                continue;
            double dx = ((double)c + 0.5 - col_f) * cm, dy = ((double)r + 0.5 - row_f) * cm;
            double d = sqrt(dx * dx + dy * dy);
            if (d < best) { /* scanning in cell order keeps the lowest index on ties */
                best = d;
                best_c = r * nx + c;
            }
        }
    if (best_c < 0 || best > radius_m)
        return 0;
    *cell = best_c;
    *snap_m = best;
    return 1;
}
