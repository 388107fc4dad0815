/* The road-graph medium: building the CSR graph and searching it on small
 * hand-drawn networks whose answers are worked out in the comments. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/ctx_internal.h"
#include "core/search_internal.h"
#include "reistijd/rt_graph.h"
#include "test_common.h"

typedef struct net {
    int n_nodes, n;
    int32_t tail[64], head[64];
    double t[64];
    float len[64];
} net;

/* adds u -> v, and v -> u when two_way */
static void road(net *g, int u, int v, double t, float len, int two_way)
{
    g->tail[g->n] = u, g->head[g->n] = v, g->t[g->n] = t, g->len[g->n] = len, g->n++;
    if (two_way)
        g->tail[g->n] = v, g->head[g->n] = u, g->t[g->n] = t, g->len[g->n] = len, g->n++;
}

static rt_graph *build(rt_ctx *ctx, const net *g)
{
    rt_arcs a = {g->n, g->tail, g->head, g->t, g->len};
    rt_graph *gr = NULL;
    assert_int_equal(rt_graph_build(ctx, g->n_nodes, &a, &gr), RT_OK);
    return gr;
}

static void search(rt_ctx *ctx, const rt_graph *g, const rt_source *s, int ns, unsigned flags,
                   double max_t, rt_labels *l)
{
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = flags;
    o.max_time_s = max_t;
    assert_int_equal(rt_labels_alloc(ctx, rt_graph_nodes(g), flags, l), RT_OK);
    assert_int_equal(rt_graph_search(ctx, g, s, ns, &o, NULL, l), RT_OK);
}

/* A one-way loop 0 -> 1 -> 2 -> 3 -> 0 (10, 20, 30, 40 s) with a two-way
 * spur 2 - 4 (5 s). From node 0: 1 at 10, 2 at 30, 3 at 60, 4 at 35.
 * Against the loop's direction nothing is shorter: node 3 is not reached
 * through the 40 s arc 3 -> 0. */
static void one_way_loop(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 5};
    road(&g, 0, 1, 10, 100, 0);
    road(&g, 1, 2, 20, 200, 0);
    road(&g, 2, 3, 30, 300, 0);
    road(&g, 3, 0, 40, 400, 0);
    road(&g, 2, 4, 5, 50, 1);
    rt_graph *gr = build(ctx, &g);
    assert_int_equal(rt_graph_arcs(gr), 6);
    rt_source s = {0, 0, 0.0};
    rt_labels l;
    search(ctx, gr, &s, 1, RT_SEARCH_LENGTH, INFINITY, &l);
    const double want[5] = {0, 10, 30, 60, 35};
    const float want_len[5] = {0, 100, 300, 600, 350};
    for (int v = 0; v < 5; v++) {
        assert_true(l.time_s[v] == want[v]);
        assert_int_equal(l.facility[v], 0);
        assert_true(l.length_m[v] == want_len[v]);
    }
    rt_labels_free(&l);
    /* from node 3: 0 at 40, 1 at 50, 2 at 70, 4 at 75 */
    s.cell = 3;
    search(ctx, gr, &s, 1, 0, INFINITY, &l);
    const double want3[5] = {40, 50, 70, 0, 75};
    for (int v = 0; v < 5; v++)
        assert_true(l.time_s[v] == want3[v]);
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_ctx_destroy(ctx);
}

/* A roundabout: four one-way arcs 0 -> 1 -> 2 -> 3 -> 0 of 6 s each, with
 * two-way approach roads 4 - 0 (north), 5 - 1 (east), 6 - 2 (south),
 * 7 - 3 (west) of 20 s. A facility at the north approach (node 4): going
 * round, east (5) is at 20 + 6 + 20 = 46, south (6) at 52, west (7) at 58.
 * A facility at the west approach (7) with the reversed graph (times *to*
 * the facility): from north (4): 4 -> 0 -> 1 -> 2 -> 3 -> 7 = 20 + 18 + 20. */
static void roundabout(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 8}, rev = {.n_nodes = 8};
    for (int k = 0; k < 4; k++) {
        road(&g, k, (k + 1) % 4, 6, 30, 0);
        road(&g, 4 + k, k, 20, 100, 1);
    }
    for (int i = 0; i < g.n; i++)
        road(&rev, g.head[i], g.tail[i], g.t[i], g.len[i], 0);
    rt_graph *gr = build(ctx, &g), *gv = build(ctx, &rev);
    rt_source s = {4, 0, 0.0};
    rt_labels l;
    search(ctx, gr, &s, 1, 0, INFINITY, &l);
    assert_true(l.time_s[5] == 46 && l.time_s[6] == 52 && l.time_s[7] == 58);
    rt_labels_free(&l);
    s.cell = 7;
    search(ctx, gv, &s, 1, 0, INFINITY, &l);
    assert_true(l.time_s[4] == 58 && l.time_s[5] == 52 && l.time_s[6] == 46);
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_graph_destroy(gv);
    rt_ctx_destroy(ctx);
}

/* A river between west (0-2) and east (3-5) banks, crossed by one bridge
 * 1 - 4 (30 s). Along each bank 60 s between neighbours. A facility at 0:
 * 1 at 60, 2 at 120, 4 at 90, 3 and 5 at 150. Without the bridge the east
 * bank is unreached (INFINITY, facility -1, length NaN). */
static void bridge_over_river(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 6};
    road(&g, 0, 1, 60, 1000, 1);
    road(&g, 1, 2, 60, 1000, 1);
    road(&g, 3, 4, 60, 1000, 1);
    road(&g, 4, 5, 60, 1000, 1);
    net nobridge = g;
    road(&g, 1, 4, 30, 400, 1);
    rt_graph *gr = build(ctx, &g), *gn = build(ctx, &nobridge);
    rt_source s = {0, 0, 0.0};
    rt_labels l;
    search(ctx, gr, &s, 1, RT_SEARCH_LENGTH, INFINITY, &l);
    const double want[6] = {0, 60, 120, 150, 90, 150};
    for (int v = 0; v < 6; v++)
        assert_true(l.time_s[v] == want[v]);
    assert_true(l.length_m[5] == 2400.0f);
    rt_labels_free(&l);
    search(ctx, gn, &s, 1, RT_SEARCH_LENGTH, INFINITY, &l);
    for (int v = 3; v < 6; v++) {
        assert_true(isinf(l.time_s[v]) && l.facility[v] == -1 && isnan(l.length_m[v]));
    }
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_graph_destroy(gn);
    rt_ctx_destroy(ctx);
}

/* Two facilities at equal time from node 2 on a path 0 - 1 - 2 - 3 - 4 with
 * 10 s arcs: facility 7 at node 0, facility 3 at node 4. Node 2 ties at 20 s
 * and takes the lower facility index (3); with k = 2 the other one (7) is its
 * second, also at 20 s. Nodes 0 and 1 have facility 3 second, at 40 and
 * 30 s. */
static void equidistant_facilities(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 5};
    for (int k = 0; k < 4; k++)
        road(&g, k, k + 1, 10, 100, 1);
    rt_graph *gr = build(ctx, &g);
    rt_source s[2] = {{0, 7, 0.0}, {4, 3, 0.0}};
    rt_labels l;
    search(ctx, gr, s, 2, RT_SEARCH_SECOND | RT_SEARCH_LENGTH, INFINITY, &l);
    assert_true(l.time_s[2] == 20 && l.facility[2] == 3);
    assert_true(l.time2_s[2] == 20 && l.facility2[2] == 7);
    assert_true(l.time_s[1] == 10 && l.facility[1] == 7);
    assert_true(l.time2_s[1] == 30 && l.facility2[1] == 3);
    assert_true(l.time2_s[0] == 40 && l.facility2[0] == 3);
    assert_true(l.length_m[2] == 200.0f);
    rt_labels_free(&l);
    /* the sources in the other order give the same labels */
    rt_source r[2] = {{4, 3, 0.0}, {0, 7, 0.0}};
    search(ctx, gr, r, 2, RT_SEARCH_SECOND, INFINITY, &l);
    assert_true(l.facility[2] == 3 && l.facility2[2] == 7);
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_ctx_destroy(ctx);
}

/* Equal time, same facility, two routes: 0 -> 1 -> 3 (5 s + 5 s, 50 m +
 * 50 m) and 0 -> 2 -> 3 (5 s + 5 s, 80 m + 80 m). Node 3 keeps 100 m. */
static void length_breaks_time_ties(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 4};
    road(&g, 0, 2, 5, 80, 0);
    road(&g, 2, 3, 5, 80, 0);
    road(&g, 0, 1, 5, 50, 0);
    road(&g, 1, 3, 5, 50, 0);
    rt_graph *gr = build(ctx, &g);
    rt_source s = {0, 0, 0.0};
    rt_labels l;
    search(ctx, gr, &s, 1, RT_SEARCH_LENGTH, INFINITY, &l);
    assert_true(l.time_s[3] == 10 && l.length_m[3] == 100.0f);
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_ctx_destroy(ctx);
}

/* Parallel arcs (the cheaper one counts), self-loops dropped, zero-time
 * arcs (the search then runs on its radix heap) and max_time_s. */
static void parallel_zero_and_limits(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 4};
    road(&g, 0, 1, 9, 90, 0);
    road(&g, 0, 1, 4, 40, 0);
    road(&g, 1, 1, 1, 10, 0);
    road(&g, 1, 2, 0, 0, 1);
    road(&g, 2, 3, 7, 70, 0);
    rt_graph *gr = build(ctx, &g);
    assert_int_equal(rt_graph_arcs(gr), 5); /* self-loop dropped */
    rt_source s = {0, 0, 0.0};
    rt_labels l;
    search(ctx, gr, &s, 1, RT_SEARCH_LENGTH, INFINITY, &l);
    assert_true(l.time_s[1] == 4 && l.time_s[2] == 4 && l.time_s[3] == 11);
    assert_true(l.length_m[2] == 40.0f);
    rt_labels_free(&l);
    search(ctx, gr, &s, 1, 0, 10.0, &l);
    assert_true(l.time_s[2] == 4 && isinf(l.time_s[3]) && l.facility[3] == -1);
    rt_labels_free(&l);
    /* a node reached at exactly the limit counts (4 + 0 + 7 = 11, all
     * exact), with and without the second label; a start at exactly the
     * limit reaches its own node */
    for (unsigned flags = 0; flags <= RT_SEARCH_SECOND; flags += RT_SEARCH_SECOND) {
        search(ctx, gr, &s, 1, flags, 11.0, &l);
        assert_true(l.time_s[3] == 11 && l.facility[3] == 0);
        rt_labels_free(&l);
    }
    rt_source at_limit = {3, 0, 11.0};
    search(ctx, gr, &at_limit, 1, 0, 11.0, &l);
    assert_true(l.time_s[3] == 11 && l.facility[3] == 0);
    rt_labels_free(&l);
    /* a start later than the limit leaves its own node unreached */
    rt_source late = s;
    late.start_s = 10.5;
    search(ctx, gr, &late, 1, 0, 10.0, &l);
    for (int64_t v = 0; v < rt_graph_nodes(gr); v++)
        assert_true(isinf(l.time_s[v]) && l.facility[v] == -1);
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_ctx_destroy(ctx);
}

/* The stored graph is the same whatever order the arcs come in. */
static void arc_order_does_not_matter(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {5};
    net g = {.n_nodes = 12};
    while (g.n < 60)
        road(&g, rt_test_int(&rng, 0, 11), rt_test_int(&rng, 0, 11), rt_test_int(&rng, 0, 3),
             (float)rt_test_int(&rng, 0, 3), 0);
    net h = g;
    for (int i = h.n - 1; i > 0; i--) { /* Fisher-Yates */
        int j = rt_test_int(&rng, 0, i);
        int32_t a = h.tail[i], b = h.head[i];
        double t = h.t[i];
        float ln = h.len[i];
        h.tail[i] = h.tail[j], h.head[i] = h.head[j], h.t[i] = h.t[j], h.len[i] = h.len[j];
        h.tail[j] = a, h.head[j] = b, h.t[j] = t, h.len[j] = ln;
    }
    rt_graph *ga = build(ctx, &g), *gb = build(ctx, &h);
    assert_int_equal(rt_graph_arcs(ga), rt_graph_arcs(gb));
    for (int32_t v = 0; v < 12; v++) {
        int64_t a0, a1, b0, b1;
        rt_graph_out(ga, v, &a0, &a1);
        rt_graph_out(gb, v, &b0, &b1);
        assert_int_equal(a0, b0);
        assert_int_equal(a1, b1);
        for (int64_t i = a0; i < a1; i++) {
            int32_t ha, hb;
            double ta, tb, la, lb;
            rt_graph_arc(ga, i, &ha, &ta, &la);
            rt_graph_arc(gb, i, &hb, &tb, &lb);
            assert_int_equal(ha, hb);
            assert_true(ta == tb && la == lb);
            if (i > a0) { /* sorted by head, then time */
                int32_t hp;
                double tp, lp;
                rt_graph_arc(ga, i - 1, &hp, &tp, &lp);
                assert_true(hp < ha || (hp == ha && tp <= ta));
            }
        }
    }
    /* outside the graph: an empty range, no arc */
    const int32_t nodes_out[] = {-1, 12, INT32_MAX};
    for (size_t k = 0; k < sizeof(nodes_out) / sizeof(nodes_out[0]); k++) {
        int64_t a0 = 7, a1 = 7;
        rt_graph_out(k ? ga : NULL, nodes_out[k], &a0, &a1);
        assert_true(a0 == 0 && a1 == 0);
    }
    const int64_t arcs_out[] = {-1, rt_graph_arcs(ga), INT64_MAX};
    for (size_t k = 0; k < sizeof(arcs_out) / sizeof(arcs_out[0]); k++) {
        int32_t hd = 7;
        double t = 0, ln = 0;
        rt_graph_arc(k ? ga : NULL, arcs_out[k], &hd, &t, &ln);
        assert_true(hd == -1 && isnan(t) && isnan(ln));
    }
    rt_graph_destroy(ga);
    rt_graph_destroy(gb);
    rt_ctx_destroy(ctx);
}

static void bad_input(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 3};
    road(&g, 0, 1, 1, 1, 0);
    road(&g, 1, 5, 1, 1, 0);
    rt_arcs a = {g.n, g.tail, g.head, g.t, g.len};
    rt_graph *gr = (rt_graph *)&a;
    assert_int_equal(rt_graph_build(ctx, 3, &a, &gr), RT_E_DATA);
    assert_null(gr);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "arc 1"));
    g.head[1] = 2;
    g.t[1] = -1;
    assert_int_equal(rt_graph_build(ctx, 3, &a, &gr), RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "time -1"));
    g.t[1] = NAN;
    assert_int_equal(rt_graph_build(ctx, 3, &a, &gr), RT_E_DATA);
    g.t[1] = 1;
    g.len[0] = INFINITY;
    assert_int_equal(rt_graph_build(ctx, 3, &a, &gr), RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "length"));
    g.len[0] = 1;
    assert_int_equal(rt_graph_build(ctx, 0, &a, &gr), RT_E_ARG);
    assert_int_equal(rt_graph_build(ctx, 3, &a, &gr), RT_OK);

    rt_labels l;
    assert_int_equal(rt_labels_alloc(ctx, 3, 0, &l), RT_OK);
    rt_source s = {3, 0, 0.0};
    assert_int_equal(rt_graph_search(ctx, gr, &s, 1, NULL, NULL, &l), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "node 3"));
    s.cell = 0;
    s.facility = -2;
    assert_int_equal(rt_graph_search(ctx, gr, &s, 1, NULL, NULL, &l), RT_E_ARG);
    s.facility = 0;
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = RT_SEARCH_SECOND; /* labels were allocated without the second slot */
    assert_int_equal(rt_graph_search(ctx, gr, &s, 1, &o, NULL, &l), RT_E_ARG);
    rt_labels_free(&l);
    assert_int_equal(rt_labels_alloc(ctx, 2, 0, &l), RT_OK); /* wrong size */
    assert_int_equal(rt_graph_search(ctx, gr, &s, 1, NULL, NULL, &l), RT_E_ARG);
    rt_labels_free(&l);
    rt_graph_destroy(gr);

    /* a graph without lengths refuses RT_SEARCH_LENGTH */
    a.length_m = NULL;
    assert_int_equal(rt_graph_build(ctx, 3, &a, &gr), RT_OK);
    o.flags = RT_SEARCH_LENGTH;
    assert_int_equal(rt_labels_alloc(ctx, 3, o.flags, &l), RT_OK);
    assert_int_equal(rt_graph_search(ctx, gr, &s, 1, &o, NULL, &l), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "lengths"));
    rt_labels_free(&l);
    rt_graph_destroy(gr);
    rt_ctx_destroy(ctx);
}

/* Every allocation of building and searching may fail: the call then
 * returns RT_E_NOMEM, leaks nothing (ASan/valgrind) and a later call works. */
static void allocation_failures(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net g = {.n_nodes = 6};
    for (int k = 0; k < 5; k++)
        road(&g, k, k + 1, 1 + k, 10, 1);
    rt_arcs a = {g.n, g.tail, g.head, g.t, g.len};
    int failed = 0;
    for (int k = 1; k < 40; k++) {
        rt_graph *gr = NULL;
        rti_ctx_fail_alloc_at(ctx, k);
        rt_status st = rt_graph_build(ctx, 6, &a, &gr);
        rt_labels l = {0};
        if (st == RT_OK) {
            rt_source s = {0, 0, 0.0};
            rt_search_opts o;
            rt_search_opts_init(&o);
            o.flags = RT_SEARCH_SECOND | RT_SEARCH_LENGTH;
            st = rt_labels_alloc(ctx, 6, o.flags, &l);
            if (st == RT_OK)
                st = rt_graph_search(ctx, gr, &s, 1, &o, NULL, &l);
        }
        if (st == RT_OK && rti_ctx_alloc_count(ctx) >= k)
            fail_msg("allocation %lld failed and the call succeeded all the same", (long long)k);
        rti_ctx_fail_alloc_at(ctx, 0);
        if (st != RT_OK) {
            assert_int_equal(st, RT_E_NOMEM);
            failed++;
        } else {
            assert_true(l.time_s[5] == 1 + 2 + 3 + 4 + 5);
        }
        rt_labels_free(&l);
        rt_graph_destroy(gr);
    }
    assert_true(failed >= 5);
    rt_ctx_destroy(ctx);
}

/* The one-way loop of one_way_loop, with a bypass: the arc 1 -> 2 (20 s)
 * replaced by 1 -> 5 -> 2 over a new node 5 (8 s each), as a scenario cuts
 * a road. From node 0: 1 at 10, 5 at 18, 2 at 26, 3 at 56, 4 at 31. The
 * update of the old labels gives these times; a new graph with fewer
 * nodes, or no facility map, is refused. */
static void update_after_a_bypass(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    net a = {.n_nodes = 5}, b = {.n_nodes = 6};
    road(&a, 0, 1, 10, 100, 0);
    road(&a, 1, 2, 20, 200, 0);
    road(&a, 2, 3, 30, 300, 0);
    road(&a, 3, 0, 40, 400, 0);
    road(&a, 2, 4, 5, 50, 1);
    road(&b, 0, 1, 10, 100, 0);
    road(&b, 1, 5, 8, 80, 0);
    road(&b, 5, 2, 8, 80, 0);
    road(&b, 2, 3, 30, 300, 0);
    road(&b, 3, 0, 40, 400, 0);
    road(&b, 2, 4, 5, 50, 1);
    rt_graph *ga = build(ctx, &a), *gb = build(ctx, &b);
    rt_source s = {0, 0, 0.0};
    rt_labels old, l;
    search(ctx, ga, &s, 1, RT_SEARCH_LENGTH, INFINITY, &old);
    assert_int_equal(rt_labels_alloc(ctx, 6, RT_SEARCH_LENGTH, &l), RT_OK);
    rti_labels_copy(&l, &old, 5);
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = RT_SEARCH_LENGTH;
    const int32_t map[1] = {0};
    assert_int_equal(rti_graph_search_update(ctx, gb, ga, &s, 1, map, 1, &o, NULL, &l), RT_OK);
    const double want[6] = {0, 10, 26, 56, 31, 18};
    const float want_len[6] = {0, 100, 260, 560, 310, 180};
    for (int v = 0; v < 6; v++) {
        assert_true(l.time_s[v] == want[v]);
        assert_int_equal(l.facility[v], 0);
        assert_true(l.length_m[v] == want_len[v]);
    }
    net c = b;
    c.t[1] = c.t[2] = 15, c.len[1] = c.len[2] = 150; /* the bypass's arcs, slower */
    rt_graph *gc = build(ctx, &c);
    rti_labels_copy(&l, &old, 5);
    assert_int_equal(rti_graph_search_update(ctx, gc, ga, &s, 1, map, 1, &o, NULL, &l), RT_OK);
    const double slow[6] = {0, 10, 40, 70, 45, 25};
    const float slow_len[6] = {0, 100, 400, 700, 450, 250};
    for (int v = 0; v < 6; v++) {
        assert_true(l.time_s[v] == slow[v]);
        assert_true(l.length_m[v] == slow_len[v]);
    }
    rt_graph_destroy(gc);
    /* back from the bypass to the loop: fewer nodes than before */
    rt_labels five;
    assert_int_equal(rt_labels_alloc(ctx, 5, RT_SEARCH_LENGTH, &five), RT_OK);
    assert_int_equal(rti_graph_search_update(ctx, ga, gb, &s, 1, map, 1, &o, NULL, &five),
                     RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "5 nodes, fewer than the earlier 6"));
    assert_int_equal(rti_graph_search_update(ctx, gb, ga, &s, 1, NULL, 1, &o, NULL, &l), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "no facility map"));
    rt_labels_free(&five);
    rt_labels_free(&old);
    rt_labels_free(&l);
    rt_graph_destroy(ga);
    rt_graph_destroy(gb);
    rt_ctx_destroy(ctx);
}

/* A W x H lattice large enough for the search to run on a team of
 * threads: arcs east-west 1 s (100 m), north-south 2 s (200 m), both ways.
 * From a facility at (fx, fy) node (x, y) is |x - fx| + 2 |y - fy| s away,
 * whole seconds that add up exactly; the nearest is the least of those over
 * the facilities, the lower index on a tie, the second the next facility
 * in that order, and the route length 100 m a second. */
#define LW 320
#define LH 256

/* The graph of m arcs in the arrays given, which it frees (len may be
 * NULL). */
static rt_graph *build_owning(rt_ctx *ctx, int64_t n, int64_t m, int32_t *tail, int32_t *head,
                              double *t, float *len)
{
    rt_arcs a = {m, tail, head, t, len};
    rt_graph *g = NULL;
    assert_int_equal(rt_graph_build(ctx, n, &a, &g), RT_OK);
    free(tail);
    free(head);
    free(t);
    free(len);
    return g;
}

static rt_graph *lattice(rt_ctx *ctx)
{
    const int64_t n = (int64_t)LW * LH, m = 2 * ((int64_t)(LW - 1) * LH + (int64_t)LW * (LH - 1));
    int32_t *tail = malloc((size_t)m * sizeof(int32_t)),
            *head = malloc((size_t)m * sizeof(int32_t));
    double *t = malloc((size_t)m * sizeof(double));
    float *len = malloc((size_t)m * sizeof(float));
    assert_true(tail && head && t && len);
    int64_t k = 0;
    for (int y = 0; y < LH; y++)
        for (int x = 0; x < LW; x++) {
            const int32_t v = y * LW + x;
            if (x + 1 < LW) {
                tail[k] = v, head[k] = v + 1, t[k] = 1.0, len[k++] = 100.0f;
                tail[k] = v + 1, head[k] = v, t[k] = 1.0, len[k++] = 100.0f;
            }
            if (y + 1 < LH) {
                tail[k] = v, head[k] = v + LW, t[k] = 2.0, len[k++] = 200.0f;
                tail[k] = v + LW, head[k] = v, t[k] = 2.0, len[k++] = 200.0f;
            }
        }
    assert_int_equal(k, m);
    return build_owning(ctx, n, m, tail, head, t, len);
}

static const int lattice_fac[][2] = {{10, 10}, {300, 20}, {160, 128}, {40, 250}, {170, 128}};
#define N_LFAC 5

static void lattice_sources(rt_source *s)
{
    for (int f = 0; f < N_LFAC; f++)
        s[f] = (rt_source){(int64_t)lattice_fac[f][1] * LW + lattice_fac[f][0], f, 0.0};
}

static void team_on_a_lattice(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = lattice(ctx);
    rt_source s[N_LFAC];
    lattice_sources(s);
    for (int threads = 2; threads <= 3; threads++) {
        rt_ctx_set_threads(ctx, threads);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = RT_SEARCH_SECOND | (threads == 3 ? RT_SEARCH_LENGTH : 0);
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, rt_graph_nodes(g), o.flags, &l), RT_OK);
        rt_search_ws *ws = rt_search_ws_create();
        assert_int_equal(rt_graph_search(ctx, g, s, N_LFAC, &o, ws, &l), RT_OK);
        assert_int_equal(ws->n_workers, threads); /* it ran on the team */
        rt_search_ws_destroy(ws);
        for (int y = 0; y < LH; y++)
            for (int x = 0; x < LW; x++) {
                double best = INFINITY, next = INFINITY;
                int fb = -1, fn = -1;
                for (int f = 0; f < N_LFAC; f++) {
                    double d = abs(x - lattice_fac[f][0]) + 2.0 * abs(y - lattice_fac[f][1]);
                    if (d < best) {
                        next = best, fn = fb;
                        best = d, fb = f;
                    } else if (d < next) {
                        next = d, fn = f;
                    }
                }
                const int64_t v = (int64_t)y * LW + x;
                if (l.time_s[v] != best || l.facility[v] != fb || l.time2_s[v] != next ||
                    l.facility2[v] != fn)
                    fail_msg("%d threads, node (%d, %d): %g/%d %g/%d, expected %g/%d %g/%d",
                             threads, x, y, l.time_s[v], l.facility[v], l.time2_s[v],
                             l.facility2[v], best, fb, next, fn);
                if (l.length_m && l.length_m[v] != (float)(100.0 * best))
                    fail_msg("node (%d, %d): length %g, expected %g", x, y, (double)l.length_m[v],
                             100.0 * best);
            }
        rt_labels_free(&l);
    }
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* Whole-second times share their low 32 bits (all 0), the part of a time
 * a queue entry keeps. Node 100 is first offered 1000 s across the long
 * arc from node 0 and then 100 s along the chain; the entry of 1000 s
 * stays queued, matches the label of 100 s, and the team must not take it
 * for a pending label of 100 s (it did, and repeated one round for ever).
 * Pairs of nodes fill the graph up to the size the team searches. */
static void team_with_whole_seconds(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    const int32_t n = 1 << 16, chain = 200;
    const int64_t m = 2 * (int64_t)n;
    int32_t *tail = malloc((size_t)m * sizeof(int32_t)),
            *head = malloc((size_t)m * sizeof(int32_t));
    double *t = malloc((size_t)m * sizeof(double));
    assert_true(tail && head && t);
    int64_t k = 0;
    for (int32_t v = 0; v + 1 < chain; v++) {
        tail[k] = v, head[k] = v + 1, t[k++] = 1.0;
        tail[k] = v + 1, head[k] = v, t[k++] = 1.0;
    }
    tail[k] = 0, head[k] = 100, t[k++] = 1000.0;
    tail[k] = 100, head[k] = 0, t[k++] = 1000.0;
    for (int32_t v = chain; v + 1 < n; v += 2) {
        tail[k] = v, head[k] = v + 1, t[k++] = 1.0;
        tail[k] = v + 1, head[k] = v, t[k++] = 1.0;
    }
    rt_graph *g = build_owning(ctx, n, k, tail, head, t, NULL);
    rt_ctx_set_threads(ctx, 2);
    /* the third pass adds a start beyond the time limit, which the team
     * leaves unreached as the serial search does */
    const rt_source s0[2] = {{0, 0, 0.0}, {chain + 100, 1, 5000.0}};
    for (int pass = 0; pass < 3; pass++) {
        const int second = pass == 1;
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = second ? RT_SEARCH_SECOND : 0;
        o.max_time_s = pass == 2 ? 4000.0 : INFINITY;
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &l), RT_OK);
        rt_search_ws *ws = rt_search_ws_create();
        alarm(120); /* a search that never ends fails the test */
        assert_int_equal(rt_graph_search(ctx, g, s0, pass == 2 ? 2 : 1, &o, ws, &l), RT_OK);
        alarm(0);
        assert_int_equal(ws->n_workers, 2); /* it ran on the team */
        rt_search_ws_destroy(ws);
        for (int32_t v = 0; v < n; v++) {
            const double want = v < chain ? (double)v : INFINITY;
            if (l.time_s[v] != want || l.facility[v] != (v < chain ? 0 : -1))
                fail_msg("node %d: %g s, facility %d; expected %g s", v, l.time_s[v], l.facility[v],
                         want);
        }
        rt_labels_free(&l);
    }
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

static int stop_at_half(double fraction, const char *stage, void *user)
{
    (void)stage;
    (void)user;
    return fraction < 0.5;
}

/* The team search stops when the progress callback says so, and answers
 * out of memory at every allocation it makes, without a leak (ASan). */
static void team_cancel_and_allocation_failures(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = lattice(ctx);
    rt_source s[N_LFAC];
    lattice_sources(s);
    rt_ctx_set_threads(ctx, 2);
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = RT_SEARCH_SECOND;
    rt_labels l;
    assert_int_equal(rt_labels_alloc(ctx, rt_graph_nodes(g), o.flags, &l), RT_OK);
    rt_ctx_set_progress(ctx, stop_at_half, NULL);
    assert_int_equal(rt_graph_search(ctx, g, s, N_LFAC, &o, NULL, &l), RT_E_CANCELLED);
    rt_ctx_set_progress(ctx, NULL, NULL);
    int failed = 0, k = 1;
    for (;; k++) {
        rti_ctx_fail_alloc_at(ctx, k);
        rt_status st = rt_graph_search(ctx, g, s, N_LFAC, &o, NULL, &l);
        const int64_t made = rti_ctx_alloc_count(ctx);
        rti_ctx_fail_alloc_at(ctx, 0);
        if (st == RT_OK && made >= k)
            fail_msg("allocation %lld failed and the call succeeded all the same", (long long)k);
        if (st == RT_OK)
            break;
        assert_int_equal(st, RT_E_NOMEM);
        assert_non_null(strstr(rt_ctx_errmsg(ctx), "out of memory"));
        failed++;
    }
    assert_true(failed >= 5);
    assert_true(l.time_s[s[2].cell] == 0.0 && l.facility[s[2].cell] == 2);
    assert_true(l.time_s[0] == 30.0 && l.facility[0] == 0); /* (0, 0): 10 + 2 x 10 s */
    rt_labels_free(&l);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_way_loop),
        cmocka_unit_test(roundabout),
        cmocka_unit_test(bridge_over_river),
        cmocka_unit_test(equidistant_facilities),
        cmocka_unit_test(length_breaks_time_ties),
        cmocka_unit_test(parallel_zero_and_limits),
        cmocka_unit_test(arc_order_does_not_matter),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(update_after_a_bypass),
        cmocka_unit_test(team_on_a_lattice),
        cmocka_unit_test(team_with_whole_seconds),
        cmocka_unit_test(team_cancel_and_allocation_failures),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
