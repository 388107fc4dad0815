/* The nearest place on a road network (access legs): hand-made cases and
 * the bucket index against a scan of every segment. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/edge_snap.h"
#include "reistijd/rt_ctx.h"
#include "reistijd/rt_graph.h"
#include "test_common.h"

/* edge 0: (0,0) -> (100,0) -> (100,100), 200 m long; edge 1: (200,0) -> (200,100) */
static const int64_t first[] = {0, 3, 5};
static const double X[] = {0, 100, 100, 200, 200};
static const double Y[] = {0, 0, 100, 0, 100};

static void hand_cases(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rti_polylines p = {2, first, X, Y};
    rti_edge_index *ix = NULL;
    assert_int_equal(rti_edge_index_build(ctx, &p, NULL, 30.0, &ix), RT_OK);
    rti_edge_hit h;
    /* above the first segment: 50 m along, 10 m away */
    rti_edge_index_nearest(ix, 50, 10, 100, &h);
    assert_int_equal(h.edge, 0);
    assert_true(fabs(h.frac - 0.25) < 1e-12 && fabs(h.dist_m - 10) < 1e-12);
    /* beside the second segment: 100 + 50 m along */
    rti_edge_index_nearest(ix, 110, 50, 100, &h);
    assert_int_equal(h.edge, 0);
    assert_true(fabs(h.frac - 0.75) < 1e-12 && fabs(h.dist_m - 10) < 1e-12);
    /* half-way between the edges: a tie, the lower edge index wins */
    rti_edge_index_nearest(ix, 150, 50, 100, &h);
    assert_int_equal(h.edge, 0);
    assert_true(fabs(h.dist_m - 50) < 1e-12);
    /* beyond the end of edge 1: its end vertex */
    rti_edge_index_nearest(ix, 200, 130, 100, &h);
    assert_int_equal(h.edge, 1);
    assert_true(h.frac == 1.0 && fabs(h.dist_m - 30) < 1e-12);
    /* inside the corner of edge 0, 50 m from both its segments: a tie
     * within one edge, the place nearer its start wins (50 of 200 m) */
    rti_edge_index_nearest(ix, 50, 50, 100, &h);
    assert_int_equal(h.edge, 0);
    assert_true(fabs(h.frac - 0.25) < 1e-12 && fabs(h.dist_m - 50) < 1e-12);
    /* on the road itself a limit of 0 m finds it */
    rti_edge_index_nearest(ix, 50, 0, 0, &h);
    assert_int_equal(h.edge, 0);
    assert_true(fabs(h.frac - 0.25) < 1e-12 && h.dist_m == 0);
    /* the limit is inclusive; beyond it nothing */
    rti_edge_index_nearest(ix, 50, 10, 10, &h);
    assert_int_equal(h.edge, 0);
    rti_edge_index_nearest(ix, 50, 10, 9.999, &h);
    assert_int_equal(h.edge, -1);
    assert_true(isinf(h.dist_m));
    rti_edge_index_destroy(ix);

    /* only edge 1 usable: the tie point goes to it */
    const uint8_t usable[] = {0, 1};
    assert_int_equal(rti_edge_index_build(ctx, &p, usable, 30.0, &ix), RT_OK);
    rti_edge_index_nearest(ix, 150, 50, 100, &h);
    assert_int_equal(h.edge, 1);
    assert_true(fabs(h.frac - 0.5) < 1e-12);
    rti_edge_index_destroy(ix);

    /* an edge of one vertex is refused */
    const int64_t bad_first[] = {0, 1};
    rti_polylines bad = {1, bad_first, X, Y};
    assert_int_equal(rti_edge_index_build(ctx, &bad, NULL, 30.0, &ix), RT_E_ARG);
    assert_null(ix);
    rt_ctx_destroy(ctx);
}

/* Random polylines; every query against a scan of all segments with the
 * same tie rule, for bucket sizes from much smaller to much larger than
 * the search radius. */
static void index_equals_full_scan(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {99};
    for (int round = 0; round < 20; round++) {
        int n = rt_test_int(&rng, 1, 60);
        int64_t *fi = malloc((size_t)(n + 1) * sizeof(int64_t));
        double *x = malloc((size_t)n * 6 * sizeof(double)),
               *y = malloc((size_t)n * 6 * sizeof(double));
        uint8_t *use = malloc((size_t)n);
        int64_t v = 0;
        for (int e = 0; e < n; e++) {
            fi[e] = v;
            int k = rt_test_int(&rng, 2, 6);
            /* whole metres on a small square, so equal distances occur */
            double cx = rt_test_int(&rng, 0, 1000), cy = rt_test_int(&rng, 0, 1000);
            for (int j = 0; j < k; j++, v++) {
                x[v] = cx + rt_test_int(&rng, -150, 150);
                y[v] = cy + rt_test_int(&rng, -150, 150);
            }
            use[e] = rt_test_unit(&rng) < 0.85;
        }
        fi[n] = v;
        rti_polylines p = {n, fi, x, y};
        const double buckets[] = {7.0, 60.0, 5000.0};
        for (int bi = 0; bi < 3; bi++) {
            rti_edge_index *ix = NULL;
            assert_int_equal(rti_edge_index_build(ctx, &p, use, buckets[bi], &ix), RT_OK);
            rt_test_rng q = {(uint64_t)round + 1};
            for (int t = 0; t < 300; t++) {
                double px = rt_test_int(&q, -200, 1200), py = rt_test_int(&q, -200, 1200);
                double maxd = t % 3 == 0 ? 1e9 : rt_test_int(&q, 0, 300);
                rti_edge_hit h;
                rti_edge_index_nearest(ix, px, py, maxd, &h);
                /* the scan */
                int64_t be = -1;
                double bd = INFINITY, bf = NAN;
                for (int e = 0; e < n; e++) {
                    if (!use[e])
                        continue;
                    double len = 0;
                    for (int64_t k = fi[e] + 1; k < fi[e + 1]; k++)
                        len += hypot(x[k] - x[k - 1], y[k] - y[k - 1]);
                    double cum = 0;
                    for (int64_t k = fi[e]; k + 1 < fi[e + 1]; k++) {
                        double dx = x[k + 1] - x[k], dy = y[k + 1] - y[k], l2 = dx * dx + dy * dy;
                        double s = l2 > 0 ? ((px - x[k]) * dx + (py - y[k]) * dy) / l2 : 0;
                        s = fmin(1, fmax(0, s));
                        double qx = x[k] + s * dx, qy = y[k] + s * dy;
                        double d = sqrt((px - qx) * (px - qx) + (py - qy) * (py - qy));
                        double f = len > 0 ? (cum + s * sqrt(l2)) / len : 0;
                        if (d <= maxd && (d < bd || (d == bd && (e < be || (e == be && f < bf))))) {
                            bd = d;
                            be = e;
                            bf = f;
                        }
                        cum += sqrt(l2);
                    }
                }
                if (h.edge != be)
                    fail_msg("round %d bucket %g point (%g, %g) max %g: index edge %lld (%g m), "
                             "scan %lld (%g m)",
                             round, buckets[bi], px, py, maxd, (long long)h.edge, h.dist_m,
                             (long long)be, bd);
                if (be >= 0) {
                    assert_true(fabs(h.dist_m - bd) <= 1e-9 * (1 + bd));
                    assert_true(fabs(h.frac - fmin(bf, 1.0)) <= 1e-9);
                }
            }
            rti_edge_index_destroy(ix);
        }
        free(fi);
        free(x);
        free(y);
        free(use);
    }
    rt_ctx_destroy(ctx);
}

/* Path 0 -10- 1 -8- 2 (two-way), facility 5 at node 0, facility 3 at node
 * 2: node 1 has 8 s (facility 3), second 10 s (facility 5). A point 2 s off
 * the edge 1 -> 2, a quarter of the way from 1: towards 2 it takes
 * 2 + 0.75 x 8 + 0 = 8 s (facility 3); towards 1 it takes 2 + 0.25 x 8 = 4
 * s more than node 1: 12 s (3) and 14 s (5). So 8 s / 3 first and 14 s / 5
 * second; when 1 -> 2 is closed, 12 s / 3 and 14 s / 5. */
static void attached_labels(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    const int32_t tail[] = {0, 1, 1, 2}, head[] = {1, 0, 2, 1};
    const double w[] = {10, 10, 8, 8};
    rt_arcs arcs = {4, tail, head, w, NULL};
    rt_graph *g = NULL;
    assert_int_equal(rt_graph_build(ctx, 3, &arcs, &g), RT_OK);
    rt_source src[2] = {{.cell = 0, .facility = 5}, {.cell = 2, .facility = 3}};
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = RT_SEARCH_SECOND;
    rt_labels l;
    assert_int_equal(rt_labels_alloc(ctx, 3, o.flags, &l), RT_OK);
    assert_int_equal(rt_graph_search(ctx, g, src, 2, &o, NULL, &l), RT_OK);
    rti_attach at = {.a = 1, .b = 2, .w_ab = 8, .w_ba = 8, .frac = 0.25, .leg_s = 2};
    double t1, t2;
    int32_t f1, f2;
    rti_attach_labels(&l, &at, &t1, &f1, NULL, &t2, &f2);
    assert_true(t1 == 8 && f1 == 3 && t2 == 14 && f2 == 5);
    at.w_ab = NAN;
    rti_attach_labels(&l, &at, &t1, &f1, NULL, &t2, &f2);
    assert_true(t1 == 12 && f1 == 3 && t2 == 14 && f2 == 5);
    rti_attach_labels(&l, &at, &t1, &f1, NULL, NULL, NULL);
    assert_true(t1 == 12 && f1 == 3);
    /* both directions closed: unreached */
    at.w_ba = NAN;
    rti_attach_labels(&l, &at, &t1, &f1, NULL, &t2, &f2);
    assert_true(isinf(t1) && f1 == -1 && isinf(t2) && f2 == -1);
    /* a point on a node leaves by it, whatever way the edge runs: at node 1
     * (frac 0) of 1 -> 2 open only that way, node 1's labels plus the leg,
     * 2 + 8 = 10 s (3) and 2 + 10 = 12 s (5), not only by node 2 (whose
     * second label, 18 s, gave 28 s); at node 2 (frac 1) of 1 -> 2 open only
     * the other way, 2 + 0 = 2 s (3), not 2 + 8 + 8 = 18 s by node 1 */
    at = (rti_attach){.a = 1, .b = 2, .w_ab = 8, .w_ba = NAN, .frac = 0, .leg_s = 2};
    rti_attach_labels(&l, &at, &t1, &f1, NULL, &t2, &f2);
    if (!(t1 == 10 && f1 == 3 && t2 == 12 && f2 == 5))
        fail_msg("at node 1: %g (%d), %g (%d); want 10 (3), 12 (5)", t1, f1, t2, f2);
    at = (rti_attach){.a = 1, .b = 2, .w_ab = NAN, .w_ba = 8, .frac = 1, .leg_s = 2};
    rti_attach_labels(&l, &at, &t1, &f1, NULL, &t2, &f2);
    if (!(t1 == 2 && f1 == 3))
        fail_msg("at node 2: %g (%d); want 2 (3)", t1, f1);
    rt_labels_free(&l);
    rt_graph_destroy(g);

    /* route lengths: the edges 100 m and 80 m long, the leg 2 m: towards 2
     * 2 + 0.75 x 80 + 0 = 62 m; with 1 -> 2 closed, towards 1
     * 2 + 0.25 x 80 + 80 (node 1 to node 2) = 102 m */
    const float len[] = {100, 100, 80, 80};
    rt_arcs arcs_l = {4, tail, head, w, len};
    assert_int_equal(rt_graph_build(ctx, 3, &arcs_l, &g), RT_OK);
    o.flags = RT_SEARCH_LENGTH;
    assert_int_equal(rt_labels_alloc(ctx, 3, o.flags, &l), RT_OK);
    assert_int_equal(rt_graph_search(ctx, g, src, 2, &o, NULL, &l), RT_OK);
    rti_attach al = {
        .a = 1, .b = 2, .w_ab = 8, .w_ba = 8, .frac = 0.25, .leg_s = 2, .len_m = 80, .leg_m = 2};
    float l1;
    rti_attach_labels(&l, &al, &t1, &f1, &l1, NULL, NULL);
    assert_true(t1 == 8 && f1 == 3 && l1 == 62.0f);
    al.w_ab = NAN;
    rti_attach_labels(&l, &al, &t1, &f1, &l1, NULL, NULL);
    assert_true(t1 == 12 && f1 == 3 && l1 == 102.0f);
    /* a tie in time to one facility keeps the shorter route */
    float m1 = 50;
    double u1 = 12, u2 = INFINITY;
    int32_t g1 = 3, g2 = -1;
    rti_labels_offer2l(12, 3, 40, &u1, &g1, &m1, &u2, &g2);
    assert_true(m1 == 40 && g1 == 3 && u1 == 12);
    rti_labels_offer2l(12, 3, 45, &u1, &g1, &m1, &u2, &g2);
    assert_true(m1 == 40);
    rti_labels_offer2l(11, 4, 90, &u1, &g1, &m1, &u2, &g2);
    assert_true(m1 == 90 && g1 == 4 && g2 == 3 && u2 == 12);
    rt_labels_free(&l);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* Offers to the two labels of a place: equal times go to the lower
 * facility, in the first label and in the second. */
static void offers_break_ties_by_facility(void **state)
{
    (void)state;
    double t1 = INFINITY, t2 = INFINITY;
    int32_t f1 = -1, f2 = -1;
    rti_labels_offer2(10, 5, &t1, &f1, &t2, &f2);
    rti_labels_offer2(10, 3, &t1, &f1, &t2, &f2);
    assert_true(t1 == 10 && f1 == 3 && t2 == 10 && f2 == 5);
    t1 = t2 = INFINITY, f1 = f2 = -1;
    rti_labels_offer2(10, 1, &t1, &f1, &t2, &f2);
    rti_labels_offer2(20, 5, &t1, &f1, &t2, &f2);
    rti_labels_offer2(20, 3, &t1, &f1, &t2, &f2);
    assert_true(t1 == 10 && f1 == 1 && t2 == 20 && f2 == 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_cases),
        cmocka_unit_test(index_equals_full_scan),
        cmocka_unit_test(attached_labels),
        cmocka_unit_test(offers_break_ties_by_facility),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
