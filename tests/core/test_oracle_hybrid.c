/* The hybrid search (land and roads, src/core/hybrid.c) against two other
 * methods:
 *
 * 1. by hand: a row of cells with a road between its two ends;
 * 2. one graph of cells and road nodes together: the stencil's moves, the
 *    road arcs, and the access legs as arcs between a cell and the end
 *    nodes of its edge, searched per facility by a label-correcting solver
 *    (Bellman-Ford); the best two distinct facilities per cell must match
 *    the hybrid labels on random cases. The hybrid search alternates two
 *    searches instead, so sums are formed in another order: times agree to
 *    1e-9 relative, and a facility must be one whose own time is that
 *    minimum. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/hybrid.h"
#include "core/measure/measure.h"
#include "oracle_common.h"
#include "reistijd/rt_graph.h"
#include "test_common.h"

/* Times worked out by hand, up to rounding. */
#define assert_time(got, want)                                                                     \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (!(fabs(g_ - w_) <= 1e-12 * (1.0 + fabs(w_))))                                          \
            fail_msg("%s = %.17g, want %.17g", #got, g_, w_);                                      \
    } while (0)

/* A road graph, reversed for the search (a road a -> b of time w is the
 * arc b -> a), from per-edge times. */
static rt_graph *reversed_graph(rt_ctx *ctx, int n_nodes, int n_edges, const int32_t *from,
                                const int32_t *to, const double *w_ab, const double *w_ba)
{
    int32_t *tail = malloc(2 * (size_t)n_edges * sizeof(int32_t));
    int32_t *head = malloc(2 * (size_t)n_edges * sizeof(int32_t));
    double *t = malloc(2 * (size_t)n_edges * sizeof(double));
    int m = 0;
    for (int e = 0; e < n_edges; e++) {
        if (!isnan(w_ab[e])) {
            tail[m] = to[e];
            head[m] = from[e];
            t[m++] = w_ab[e];
        }
        if (!isnan(w_ba[e])) {
            tail[m] = from[e];
            head[m] = to[e];
            t[m++] = w_ba[e];
        }
    }
    rt_arcs arcs = {m, tail, head, t, NULL};
    rt_graph *g = NULL;
    assert_int_equal(rt_graph_build(ctx, n_nodes, &arcs, &g), RT_OK);
    free(tail);
    free(head);
    free(t);
    return g;
}

/* Records the fractions reported, and whether one ever went back. */
typedef struct progress_log {
    double last;
    int calls, back;
} progress_log;

static int log_progress(double f, const char *stage, void *user)
{
    progress_log *p = user;
    p->back += f < p->last || f < 0 || f > 1 || strcmp(stage, "search") != 0;
    p->last = f;
    p->calls++;
    return 1;
}

static void test_row_with_a_road(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    /* 1 x 7 cells of 10 m at 1 s/m: 10 s per step over land. A road joins
     * the places of cells 0 and 6 (edge from node 0 to node 1, 6 s either
     * way); both cells reach it by a leg of 1 s. The facility is cell 6. */
    float fr[7] = {1, 1, 1, 1, 1, 1, 1};
    rt_grid_medium grid = {fr, 7, 1, 10.0};
    int32_t from[1] = {0}, to[1] = {1};
    double w_ab[1] = {6}, w_ba[1] = {6};
    rt_graph *g = reversed_graph(ctx, 2, 1, from, to, w_ab, w_ba);
    int64_t edge[7] = {0, -1, -1, -1, -1, -1, 0};
    double frac[7] = {0, NAN, NAN, NAN, NAN, NAN, 1}, leg[7] = {1, NAN, NAN, NAN, NAN, NAN, 1};
    rti_net_cells nc = {7, edge, frac, leg, from, to, w_ab, w_ba, NULL, 0.0, NULL, 0};
    rt_source src[1] = {{6, 0, 0.0}};
    rt_labels out, node;
    assert_int_equal(rt_labels_alloc(ctx, 7, 0, &out), RT_OK);
    assert_int_equal(rt_labels_alloc(ctx, 2, 0, &node), RT_OK);
    rt_search_opts o;
    rt_search_opts_init(&o);
    int rounds = 0;
    progress_log pl = {0, 0, 0};
    rt_ctx_set_progress(ctx, log_progress, &pl);
    assert_int_equal(
        rti_hybrid_search(ctx, &grid, g, &nc, src, 1, NULL, 0, &o, NULL, &out, &node, &rounds),
        RT_OK);
    /* one fraction for the whole search, never going back, below 1 (the
     * caller reports the end) */
    assert_true(pl.calls >= 4 && pl.back == 0 && pl.last < 1.0);
    rt_ctx_set_progress(ctx, NULL, NULL);
    /* cell 0: leg 1 + road 6 + leg 1 = 8 s (over land 60 s); then over
     * land from cell 0 or from the facility, whichever is nearer */
    const double want[7] = {8, 18, 28, 30, 20, 10, 0};
    for (int i = 0; i < 7; i++) {
        assert_time(out.time_s[i], want[i]);
        assert_int_equal(out.facility[i], 0);
    }
    /* the roads' ends: node 1 beside the facility (1 s), node 0 via the road */
    assert_time(node.time_s[1], 1.0);
    assert_time(node.time_s[0], 7.0);
    /* round 1 over land alone, round 2 with the road, round 3 changes nothing */
    assert_int_equal(rounds, 2);

    /* an impassable cell beside the road keeps its road time; a one-way
     * road (only from node 1 to node 0) cannot take cell 0 to the facility */
    fr[2] = NAN;
    edge[2] = 0;
    frac[2] = 0.25;
    leg[2] = 2;
    assert_int_equal(
        rti_hybrid_search(ctx, &grid, g, &nc, src, 1, NULL, 0, &o, NULL, &out, &node, NULL), RT_OK);
    /* cell 2: leg 2 + 0.75 x 6 towards node 1 + 1 = 7.5; cell 1 can no
     * longer cross cell 2 by a straight step but cell 0 still uses the road */
    assert_time(out.time_s[2], 7.5);
    assert_time(out.time_s[0], 8.0);
    assert_time(out.time_s[1], 18.0);
    rt_graph_destroy(g);
    w_ab[0] = NAN;
    g = reversed_graph(ctx, 2, 1, from, to, w_ab, w_ba);
    fr[2] = 1;
    edge[2] = -1;
    assert_int_equal(
        rti_hybrid_search(ctx, &grid, g, &nc, src, 1, NULL, 0, &o, NULL, &out, &node, NULL), RT_OK);
    for (int i = 0; i < 7; i++)
        assert_time(out.time_s[i], 60.0 - 10.0 * i);

    /* lengths are refused */
    o.flags = RT_SEARCH_LENGTH;
    assert_int_equal(
        rti_hybrid_search(ctx, &grid, g, &nc, src, 1, NULL, 0, &o, NULL, &out, &node, NULL),
        RT_E_ARG);
    rt_graph_destroy(g);
    rt_labels_free(&out);
    rt_labels_free(&node);
    rt_ctx_destroy(ctx);
}

/* ---- random cases against one combined graph ---- */

typedef struct hcase {
    int nx, ny, nb, n_nodes, n_edges, n_fac;
    double cell;
    float *fr;
    int32_t *from, *to;
    double *w_ab, *w_ba;
    int64_t *edge;
    double *frac, *leg;
    rt_source gsrc[8], nsrc[16];
    int n_gsrc, n_nsrc;
    rti_net_fac fa[8];
    int fa_n;
} hcase;

static int fac_cmp(const void *pa, const void *pb)
{
    const rti_net_fac *a = pa, *b = pb;
    if (a->edge != b->edge)
        return a->edge < b->edge ? -1 : 1;
    return (a->facility > b->facility) - (a->facility < b->facility);
}

/* The route length of an attached cell counts its access leg at the
 * access speed: one edge 0 -> 1 of 100 m, 100 s either way; the cell sits
 * a quarter along it with a leg of 10 s at 2 m/s (20 m); node 0 is
 * facility 0's own (0 s, 0 m), node 1 unreached. Against the edge to
 * node 0: 10 + 0.25 x 100 = 35 s, 20 + 0.25 x 100 = 45 m. */
static void test_cell_length_counts_the_leg(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_labels node;
    assert_int_equal(rt_labels_alloc(ctx, 2, RT_SEARCH_LENGTH, &node), RT_OK);
    node.time_s[0] = 0, node.facility[0] = 0, node.length_m[0] = 0.0f;
    node.time_s[1] = INFINITY, node.facility[1] = -1, node.length_m[1] = NAN;
    const int64_t cell_edge[] = {0};
    const double frac[] = {0.25}, leg[] = {10.0}, w[] = {100.0}, len[] = {100.0};
    const int32_t from[] = {0}, to[] = {1};
    rti_net_cells nc = {.n_cells = 1,
                        .cell_edge = cell_edge,
                        .cell_frac = frac,
                        .cell_leg_s = leg,
                        .edge_from = from,
                        .edge_to = to,
                        .w_along = w,
                        .w_against = w,
                        .edge_len_m = len,
                        .access_m_per_s = 2.0};
    double t1;
    int32_t f1;
    float l1;
    rti_net_cell_labels(&nc, &node, 0, &t1, &f1, &l1, NULL, NULL);
    assert_true(t1 == 35.0 && f1 == 0 && l1 == 45.0f);
    rt_labels_free(&node);
    rt_ctx_destroy(ctx);
}

static void make_case(rt_test_rng *rng, hcase *c, int i)
{
    c->nx = rt_test_int(rng, 2, 9);
    c->ny = rt_test_int(rng, 2, 9);
    c->nb = i % 2 ? 16 : 8;
    c->cell = (double[]){1.0, 25.0, 100.0}[i % 3];
    int n = c->nx * c->ny;
    c->fr = malloc((size_t)n * sizeof(float));
    double p_nodata = 0.3 * rt_test_unit(rng);
    for (int k = 0; k < n; k++)
        c->fr[k] = rt_test_unit(rng) < p_nodata ? NAN : (float)(0.05 + 2 * rt_test_unit(rng));
    c->n_nodes = rt_test_int(rng, 2, 8);
    c->n_edges = rt_test_int(rng, 1, 10);
    c->from = malloc((size_t)c->n_edges * sizeof(int32_t));
    c->to = malloc((size_t)c->n_edges * sizeof(int32_t));
    c->w_ab = malloc((size_t)c->n_edges * sizeof(double));
    c->w_ba = malloc((size_t)c->n_edges * sizeof(double));
    /* road times a fraction of the land's: the roads are worth taking */
    const double scale = c->cell * 0.3;
    for (int e = 0; e < c->n_edges; e++) {
        c->from[e] = rt_test_int(rng, 0, c->n_nodes - 1);
        c->to[e] = rt_test_int(rng, 0, c->n_nodes - 1);
        int dir = rt_test_int(rng, 0, 3); /* both, along, against, both */
        double w = scale * (0.1 + 5 * rt_test_unit(rng));
        c->w_ab[e] = dir == 2 ? NAN : w;
        c->w_ba[e] = dir == 1 ? NAN : (i % 4 == 0 ? w * (0.5 + rt_test_unit(rng)) : w);
    }
    c->edge = malloc((size_t)n * sizeof(int64_t));
    c->frac = malloc((size_t)n * sizeof(double));
    c->leg = malloc((size_t)n * sizeof(double));
    double p_att = 0.1 + 0.5 * rt_test_unit(rng);
    for (int k = 0; k < n; k++) {
        int att = rt_test_unit(rng) < p_att;
        c->edge[k] = att ? rt_test_int(rng, 0, c->n_edges - 1) : -1;
        int end = rt_test_int(rng, 0, 5); /* at a node now and then */
        c->frac[k] = !att ? NAN : end == 0 ? 0.0 : end == 1 ? 1.0 : rt_test_unit(rng);
        c->leg[k] = att ? c->cell * rt_test_unit(rng) : NAN;
    }
    c->n_fac = rt_test_int(rng, 1, 5);
    c->n_gsrc = c->n_nsrc = c->fa_n = 0;
    for (int f = 0; f < c->n_fac; f++) {
        int where = rt_test_int(rng, 0, 2); /* grid, road, both */
        if (where != 1) {
            int cell = rt_test_int(rng, 0, n - 1);
            if (isnan(c->fr[cell]))
                c->fr[cell] = 0.5f;
            c->gsrc[c->n_gsrc++] = (rt_source){cell, f, 0.0};
        }
        if (where != 0) {
            int e = rt_test_int(rng, 0, c->n_edges - 1);
            double pos = rt_test_unit(rng), lg = c->cell * rt_test_unit(rng);
            c->fa[c->fa_n++] = (rti_net_fac){e, pos, lg, f, 0.0f};
            if (!isnan(c->w_ab[e]))
                c->nsrc[c->n_nsrc++] = (rt_source){c->from[e], f, lg + pos * c->w_ab[e]};
            if (!isnan(c->w_ba[e]))
                c->nsrc[c->n_nsrc++] = (rt_source){c->to[e], f, lg + (1.0 - pos) * c->w_ba[e]};
        }
    }
    qsort(c->fa, (size_t)c->fa_n, sizeof(c->fa[0]), fac_cmp);
}

static void free_case(hcase *c)
{
    free(c->fr);
    free(c->from);
    free(c->to);
    free(c->w_ab);
    free(c->w_ba);
    free(c->edge);
    free(c->frac);
    free(c->leg);
}

/* Per facility f, the time of every cell over the combined graph (cells
 * 0..n-1, road node v as n + v), searched from f's starts along arcs in the
 * reverse of the direction of travel. */
static void combined_times(const hcase *c, double *Tf)
{
    const int n = c->nx * c->ny, N = n + c->n_nodes;
    oracle_arcs grid;
    oracle_grid_arcs(c->fr, c->nx, c->ny, c->cell, c->nb, &grid);
    int cap = grid.m + 2 * c->n_edges + 4 * n;
    int32_t *tail = malloc((size_t)cap * sizeof(int32_t));
    int32_t *head = malloc((size_t)cap * sizeof(int32_t));
    double *w = malloc((size_t)cap * sizeof(double));
    float *len = calloc((size_t)cap, sizeof(float));
    int m = 0;
#define ARC(u, v, t)                                                                               \
    do {                                                                                           \
        tail[m] = (u);                                                                             \
        head[m] = (v);                                                                             \
        w[m++] = (t);                                                                              \
    } while (0)
    for (int k = 0; k < grid.m; k++) /* the stencil is symmetric */
        ARC(grid.tail[k], grid.head[k], grid.w[k]);
    for (int e = 0; e < c->n_edges; e++) {
        if (!isnan(c->w_ab[e])) /* travel from -> to */
            ARC(n + c->to[e], n + c->from[e], c->w_ab[e]);
        if (!isnan(c->w_ba[e]))
            ARC(n + c->from[e], n + c->to[e], c->w_ba[e]);
    }
    for (int i = 0; i < n; i++) {
        int e = (int)c->edge[i];
        if (e < 0)
            continue;
        int a = n + c->from[e], b = n + c->to[e];
        double fr = c->frac[i], lg = c->leg[i];
        /* travel from the cell onto the road and away: towards b along the
         * edge, towards a against it; a cell attached at a node (fraction
         * 0 or 1) reaches that node by its leg alone, whichever way the
         * edge runs */
        if (!isnan(c->w_ab[e]) || fr == 1.0)
            ARC(b, i, lg + (fr == 1.0 ? 0.0 : (1.0 - fr) * c->w_ab[e]));
        if (!isnan(c->w_ba[e]) || fr == 0.0)
            ARC(a, i, lg + (fr == 0.0 ? 0.0 : fr * c->w_ba[e]));
        /* travel from the road to the cell, then on over land (not from
         * a cell the grid cannot enter) */
        if (open_cell(c->fr[i]) && c->fr[i] > 0) {
            if (!isnan(c->w_ab[e]) || fr == 0.0)
                ARC(i, a, (fr == 0.0 ? 0.0 : fr * c->w_ab[e]) + lg);
            if (!isnan(c->w_ba[e]) || fr == 1.0)
                ARC(i, b, (fr == 1.0 ? 0.0 : (1.0 - fr) * c->w_ba[e]) + lg);
        }
    }
#undef ARC
    oracle_arcs all = {N, m, tail, head, w, len};
    double *T = malloc((size_t)N * sizeof(double));
    int32_t *F = malloc((size_t)N * sizeof(int32_t));
    float *L = malloc((size_t)N * sizeof(float));
    rt_source src[64];
    for (int f = 0; f < c->n_fac; f++) {
        int ns = 0;
        for (int k = 0; k < c->n_gsrc; k++)
            if (c->gsrc[k].facility == f)
                src[ns++] = c->gsrc[k];
        for (int k = 0; k < c->n_nsrc; k++)
            if (c->nsrc[k].facility == f)
                src[ns++] = (rt_source){n + c->nsrc[k].cell, f, c->nsrc[k].start_s};
        /* a facility on the cell's own edge, straight along it */
        for (int k = 0; k < c->fa_n; k++) {
            const rti_net_fac *q = &c->fa[k];
            for (int i = 0; q->facility == f && i < n; i++) {
                if (c->edge[i] != q->edge)
                    continue;
                double d = q->frac - c->frac[i], t = INFINITY;
                if (d >= 0 && !isnan(c->w_ab[q->edge]))
                    t = c->leg[i] + d * c->w_ab[q->edge] + q->leg_s;
                if (d <= 0 && !isnan(c->w_ba[q->edge]))
                    t = fmin(t, c->leg[i] - d * c->w_ba[q->edge] + q->leg_s);
                if (t < INFINITY && ns < 64)
                    src[ns++] = (rt_source){i, f, t};
            }
        }
        oracle_bellman_ford(&all, src, NULL, ns, T, F, L);
        for (int i = 0; i < n; i++)
            Tf[f * n + i] = T[i];
    }
    free(T);
    free(F);
    free(L);
    free(tail);
    free(head);
    free(w);
    free(len);
    oracle_arcs_free(&grid);
}

static int near(double a, double b)
{
    if (isinf(a) || isinf(b))
        return a == b;
    return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b));
}

static void test_random_against_combined_graph(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_search_ws *ws = rt_search_ws_create();
    rt_test_rng rng = {20261123u};
    int max_rounds = 0, cases = 600;
    for (int ci = 0; ci < cases; ci++) {
        hcase c;
        make_case(&rng, &c, ci);
        const int n = c.nx * c.ny;
        rt_graph *g = reversed_graph(ctx, c.n_nodes, c.n_edges, c.from, c.to, c.w_ab, c.w_ba);
        rti_net_cells nc = {n,      c.edge, c.frac, c.leg, c.from, c.to,
                            c.w_ab, c.w_ba, NULL,   0.0,   c.fa,   c.fa_n};
        rt_grid_medium grid = {c.fr, c.nx, c.ny, c.cell};
        rt_labels out, node;
        assert_int_equal(rt_labels_alloc(ctx, n, RT_SEARCH_SECOND, &out), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, c.n_nodes, RT_SEARCH_SECOND, &node), RT_OK);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        o.flags = RT_SEARCH_SECOND;
        int rounds = 0;
        rt_status st = rti_hybrid_search(ctx, &grid, g, &nc, c.gsrc, c.n_gsrc, c.nsrc, c.n_nsrc, &o,
                                         ws, &out, &node, &rounds);
        if (st != RT_OK)
            fail_msg("case %d: %s", ci, rt_ctx_errmsg(ctx));
        max_rounds = rounds > max_rounds ? rounds : max_rounds;
        double *Tf = malloc((size_t)c.n_fac * n * sizeof(double));
        combined_times(&c, Tf);
        for (int i = 0; i < n; i++) {
            double b1 = INFINITY, b2 = INFINITY; /* best two distinct facilities */
            for (int f = 0; f < c.n_fac; f++) {
                double t = Tf[f * n + i];
                if (t < b1) {
                    b2 = b1;
                    b1 = t;
                } else if (t < b2) {
                    b2 = t;
                }
            }
            int f1 = out.facility[i], f2 = out.facility2[i];
            if (!near(out.time_s[i], b1) || !near(out.time2_s[i], b2) ||
                (f1 >= 0 && !near(Tf[f1 * n + i], b1)) || (f2 >= 0 && !near(Tf[f2 * n + i], b2)) ||
                (f1 >= 0 && f1 == f2) || ((f1 < 0) != isinf(b1)) || ((f2 < 0) != isinf(b2)))
                fail_msg("case %d cell %d: combined graph %.17g %.17g, hybrid %.17g/%d %.17g/%d",
                         ci, i, b1, b2, out.time_s[i], f1, out.time2_s[i], f2);
        }
        /* k = 1 gives the nearest of k = 2 */
        rt_labels one, node1;
        assert_int_equal(rt_labels_alloc(ctx, n, 0, &one), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, c.n_nodes, 0, &node1), RT_OK);
        o.flags = 0;
        assert_int_equal(rti_hybrid_search(ctx, &grid, g, &nc, c.gsrc, c.n_gsrc, c.nsrc, c.n_nsrc,
                                           &o, ws, &one, &node1, NULL),
                         RT_OK);
        for (int i = 0; i < n; i++)
            if (!near(one.time_s[i], out.time_s[i]))
                fail_msg("case %d cell %d: k = 1 %.17g, k = 2 %.17g", ci, i, one.time_s[i],
                         out.time_s[i]);
        rt_labels_free(&one);
        rt_labels_free(&node1);
        free(Tf);
        rt_labels_free(&out);
        rt_labels_free(&node);
        rt_graph_destroy(g);
        free_case(&c);
    }
    print_message("hybrid: %d random cases, at most %d rounds\n", cases, max_rounds);
    assert_true(max_rounds >= 3); /* the cases do switch between land and roads */
    rt_search_ws_destroy(ws);
    rt_ctx_destroy(ctx);
}

/* ---- bounded searches per facility over the roads (measure/reach.c) ---- */

/* Facility f's own starts of case c: grid sources, road nodes and places
 * on edges (sorted by edge, as rti_net_cells wants them). */
typedef struct fac_starts {
    rt_source g[8], r[16];
    rti_net_fac fa[8];
    int ng, nr, nfa;
} fac_starts;

static void starts_of(const hcase *c, int f, fac_starts *s)
{
    s->ng = s->nr = s->nfa = 0;
    for (int k = 0; k < c->n_gsrc; k++)
        if (c->gsrc[k].facility == f)
            s->g[s->ng++] = c->gsrc[k];
    for (int k = 0; k < c->n_nsrc; k++)
        if (c->nsrc[k].facility == f)
            s->r[s->nr++] = c->nsrc[k];
    for (int k = 0; k < c->fa_n; k++)
        if (c->fa[k].facility == f)
            s->fa[s->nfa++] = c->fa[k];
}

/* The reach of one facility (cells and costs) against the labels of a full
 * search from that facility alone: the same cells within the cutoff, with
 * the same costs bit for bit. */
static void check_reach_equal(int ci, int f, double cutoff, const rt_labels *lab,
                              const uint32_t *cells, const double *cost, int64_t m, int n)
{
    int64_t want = 0;
    for (int i = 0; i < n; i++)
        want += lab->time_s[i] < INFINITY && lab->time_s[i] <= cutoff;
    if (m != want) {
        for (int i = 0; i < n; i++) {
            int in = 0;
            for (int64_t k = 0; k < m; k++)
                in |= (int)cells[k] == i;
            if (!in && lab->time_s[i] < INFINITY && lab->time_s[i] <= cutoff)
                print_message("missing cell %d time %g\n", i, lab->time_s[i]);
        }
        fail_msg("case %d facility %d cutoff %g: %lld cells reached, the full search %lld", ci, f,
                 cutoff, (long long)m, (long long)want);
    }
    for (int64_t k = 0; k < m; k++)
        if (memcmp(&cost[k], &lab->time_s[cells[k]], sizeof(double)) != 0)
            fail_msg("case %d facility %d cell %u: reach %.17g, full search %.17g", ci, f, cells[k],
                     cost[k], lab->time_s[cells[k]]);
}

/* Every facility of 600 random cases, on the hybrid medium and on the
 * roads alone (a network medium: friction NULL), bounded by no cutoff and
 * by one inside the reach: bit for bit rti_hybrid_search (network:
 * rt_graph_search and rti_net_cell_labels) from that facility alone. */
static void test_reach_roads_equals_search(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_search_ws *ws = rt_search_ws_create();
    rt_test_rng rng = {20261203u};
    int64_t compared = 0;
    for (int ci = 0; ci < 600; ci++) {
        hcase c;
        make_case(&rng, &c, ci);
        const int n = c.nx * c.ny, network = ci % 3 == 2;
        rt_graph *g = reversed_graph(ctx, c.n_nodes, c.n_edges, c.from, c.to, c.w_ab, c.w_ba);
        rti_net_cells nc = {n,      c.edge, c.frac, c.leg, c.from, c.to,
                            c.w_ab, c.w_ba, NULL,   0.0,   c.fa,   c.fa_n};
        rt_grid_medium grid = {network ? NULL : c.fr, c.nx, c.ny, c.cell};
        rti_reach_roads *roads = NULL;
        assert_int_equal(rti_reach_roads_build(ctx, g, &nc, &roads), RT_OK);
        /* the facilities grouped for the reach, in facility order */
        fac_starts all[8];
        rt_source gsrc[64], nsrc[128];
        rti_net_fac fa[64];
        int64_t first[9] = {0}, nfirst[9] = {0}, fa_first[9] = {0};
        for (int f = 0; f < c.n_fac; f++) {
            starts_of(&c, f, &all[f]);
            const fac_starts *s = &all[f];
            first[f + 1] = first[f] + (network ? 0 : s->ng);
            nfirst[f + 1] = nfirst[f] + s->nr;
            fa_first[f + 1] = fa_first[f] + s->nfa;
            if (!network)
                memcpy(gsrc + first[f], s->g, (size_t)s->ng * sizeof(rt_source));
            memcpy(nsrc + nfirst[f], s->r, (size_t)s->nr * sizeof(rt_source));
            memcpy(fa + fa_first[f], s->fa, (size_t)s->nfa * sizeof(rti_net_fac));
        }
        rti_reach_medium med = {
            .kind = RTI_REACH_ROADS, .grid = &grid, .neighbours = c.nb, .roads = roads};
        rti_reach_facs facs = {.n = c.n_fac,
                               .first = first,
                               .src = gsrc,
                               .nfirst = nfirst,
                               .nsrc = nsrc,
                               .fa_first = fa_first,
                               .fa = fa};
        assert_int_equal(rti_reach_check(ctx, &med, &facs), RT_OK);
        rti_reach_ws *rw = rti_reach_ws_create(ctx, rti_reach_ws_cells(&med));
        assert_non_null(rw);
        rt_labels lab, node;
        assert_int_equal(rt_labels_alloc(ctx, n, 0, &lab), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, c.n_nodes, 0, &node), RT_OK);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        for (int f = 0; f < c.n_fac; f++) {
            const fac_starts *s = &all[f];
            if ((network ? 0 : s->ng) + s->nr < 1)
                continue;
            rti_net_cells one = nc;
            one.fa = s->fa;
            one.fa_n = s->nfa;
            if (network) {
                assert_int_equal(rt_graph_search(ctx, g, s->r, s->nr, &o, ws, &node), RT_OK);
                for (int i = 0; i < n; i++) {
                    int32_t f1;
                    rti_net_cell_labels(&one, &node, i, &lab.time_s[i], &f1, NULL, NULL, NULL);
                }
            } else {
                assert_int_equal(rti_hybrid_search(ctx, &grid, g, &one, s->g, s->ng, s->r, s->nr,
                                                   &o, ws, &lab, &node, NULL),
                                 RT_OK);
            }
            double cut[2] = {INFINITY, 0.0};
            int reached = 0;
            for (int i = 0; i < n; i++)
                if (lab.time_s[i] < INFINITY)
                    cut[1] += lab.time_s[i], reached++;
            cut[1] = reached ? cut[1] / reached : 0.0; /* inside the reach */
            for (int q = 0; q < 2; q++) {
                const uint32_t *cells;
                const double *cost;
                int64_t m;
                assert_int_equal(rti_reach_one(ctx, &med, &facs, f, cut[q], rw, &cells, &cost, &m),
                                 RT_OK);
                check_reach_equal(ci, f, cut[q], &lab, cells, cost, m, n);
                compared += m;
            }
        }
        rt_labels_free(&lab);
        rt_labels_free(&node);
        rti_reach_ws_destroy(rw);
        rti_reach_roads_free(roads);
        rt_graph_destroy(g);
        free_case(&c);
    }
    print_message("reach over roads: %lld cell costs equal to the full searches'\n",
                  (long long)compared);
    assert_true(compared > 10000);
    rt_search_ws_destroy(ws);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_with_a_road),
        cmocka_unit_test(test_cell_length_counts_the_leg),
        cmocka_unit_test(test_random_against_combined_graph),
        cmocka_unit_test(test_reach_roads_equals_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
