/* Tests of the measures beyond the nearest (core/measure/measure.h) whose
 * expected values come from documents or from hand:
 *
 * 1. The decay functions at the values IPEA's accessibility package and
 *    PySAL access document, and their parameter checks.
 * 2. The worked example of spatial availability (Soukhov et al. 2023) as a
 *    small directed road graph.
 * 3. A two-origin, two-facility case of 2SFCA, 3SFCA and BFCA worked out
 *    by hand in the comments.
 * 4. The Gini coefficient and the worst-decile share by hand and against
 *    the double sum over all pairs.
 * 5. Edge cases by hand: more threads than cells, decay weights below the
 *    smallest normal double, a facility at exactly a cutoff. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/measure/measure.h"
#include "reistijd/rt_stats.h"
#include "test_common.h"

/* A graph of n nodes without arcs: each node reaches only what starts
 * there (sources with start times stand for the travel times). */
static rt_graph *no_arcs(rt_ctx *ctx, int64_t n)
{
    rt_arcs arcs = {.n = 0};
    rt_graph *g = NULL;
    assert_int_equal(rt_graph_build(ctx, n, &arcs, &g), RT_OK);
    return g;
}

/* ---- 1. decay functions ---- */

static double weight(rti_decay d, double t) { return rti_decay_weight(&d, t, 1.0); }

static void test_decay_documented(void **state)
{
    (void)state;
    /* PySAL access's Gaussian, sigma = 20: exp(-t^2 / 800) at 20, 40, 60 min
     * is 0.60653, 0.13534, 0.01111 */
    rti_decay g = {.kind = RTI_DECAY_GAUSSIAN, .value = 20};
    assert_true(fabs(weight(g, 20) - 0.60653) < 5e-6);
    assert_true(fabs(weight(g, 40) - 0.13534) < 5e-6);
    assert_true(fabs(weight(g, 60) - 0.01111) < 5e-6);
    assert_same(weight(g, 0), 1.0);
    /* IPEA decay_exponential(0.1) at 20 and 30: e^-2 and e^-3 */
    rti_decay e = {.kind = RTI_DECAY_EXPONENTIAL, .value = 0.1};
    assert_true(fabs(weight(e, 20) - 0.1353353) < 5e-8);
    assert_true(fabs(weight(e, 30) - 0.0497871) < 5e-8);
    /* decay_linear(30) at 20 and 35: 1/3 and 0; 1 at 0 and 0 at the cutoff */
    rti_decay l = {.kind = RTI_DECAY_LINEAR, .cutoff = 30};
    assert_true(fabs(weight(l, 20) - 1.0 / 3.0) < 1e-15);
    assert_same(weight(l, 35), 0.0);
    assert_same(weight(l, 30), 0.0);
    assert_same(weight(l, 0), 1.0);
    /* decay_binary(30): the cutoff itself is within (t <= cutoff), also a
     * last bit above it (the tolerance RT_LIMIT_REL), not 1e-6 above */
    rti_decay b = {.kind = RTI_DECAY_BINARY, .cutoff = 30};
    assert_same(weight(b, 30), 1.0);
    assert_same(weight(b, nextafter(30, 31)), 1.0);
    assert_same(weight(b, 30 * (1 + 1e-6)), 0.0);
    /* decay_power(0.1) at 20 and 35: 20^-0.1 = 0.741134, 35^-0.1 = 0.700799;
     * 1 up to a cost of 1 */
    rti_decay p = {.kind = RTI_DECAY_POWER, .value = 0.1};
    assert_true(fabs(weight(p, 20) - 0.741134) < 5e-7);
    assert_true(fabs(weight(p, 35) - 0.700799) < 5e-7);
    assert_same(weight(p, 0), 1.0);
    assert_same(weight(p, 0.5), 1.0);
    /* decay_stepped(c(10, 20, 30, 40), c(0.75, 0.5, 0.25, 0)) at 5, 25, 35,
     * 45: 1, 0.5, 0.25, 0; "open on the right": 0.75 at exactly 10 */
    rti_decay s = {.kind = RTI_DECAY_STEPPED,
                   .n_steps = 4,
                   .steps = {10, 20, 30, 40},
                   .weights = {0.75, 0.5, 0.25, 0}};
    assert_same(weight(s, 5), 1.0);
    assert_same(weight(s, 25), 0.5);
    assert_same(weight(s, 35), 0.25);
    assert_same(weight(s, 45), 0.0);
    assert_same(weight(s, 10), 0.75);
    assert_same(weight(s, nextafter(10, 0)), 0.75);
    assert_same(weight(s, 10 * (1 - 1e-6)), 1.0);
    /* a step of 1.17 min reached at 1.17 x 60 s, as the search has a time
     * at the step (in seconds), whose minutes (/ 60) are a last bit below
     * 1.17: the step's weight, as binary decay and the bands compare */
    rti_decay s1 = {.kind = RTI_DECAY_STEPPED, .n_steps = 1, .steps = {1.17}, .weights = {0}};
    assert_true(1.17 * 60.0 / 60.0 < 1.17); /* the case */
    assert_same(rti_decay_weight(&s1, 1.17 * 60.0, 60.0), 0.0);
    assert_same(rti_decay_weight(&s1, 1.17 * 60.0 * (1 - 1e-6), 60.0), 1.0);
    /* decay_logistic(50, 10), Bauer & Groneberg: f(0) = 1; at the inflection
     * point (1 + e^-bc) / 2 with b = pi / (sd sqrt 3): 0.50005759; at 60 min
     * (1 + e^-9.069) / (1 + e^1.8138) = 0.14019571 */
    rti_decay lg = {.kind = RTI_DECAY_LOGISTIC, .cutoff = 50, .value = 10};
    assert_true(fabs(weight(lg, 0) - 1.0) < 1e-15);
    assert_true(fabs(weight(lg, 50) - 0.50005759) < 5e-9);
    assert_true(fabs(weight(lg, 60) - 0.14019571) < 5e-9);
    /* E2SFCA's bands: 1 up to 10 min, 0.68 up to 20, 0.22 up to 30, then 0 */
    rti_decay e2;
    rti_decay_e2sfca(&e2);
    assert_same(weight(e2, 0), 1.0);
    assert_same(weight(e2, 10), 1.0);
    assert_same(weight(e2, nextafter(10, 11)), 1.0);
    assert_same(weight(e2, 10 * (1 + 1e-6)), 0.68);
    assert_same(weight(e2, 20), 0.68);
    assert_same(weight(e2, 30), 0.22);
    assert_same(weight(e2, nextafter(30, 31)), 0.22);
    assert_same(weight(e2, 30 * (1 + 1e-6)), 0.0);
}

static void test_decay_check(void **state)
{
    (void)state;
    rti_decay d = {.kind = RTI_DECAY_EXPONENTIAL, .value = 0.1};
    assert_null(rti_decay_check(&d));
    d.value = 0;
    assert_non_null(rti_decay_check(&d));
    d.value = -1;
    assert_non_null(rti_decay_check(&d));
    d = (rti_decay){.kind = RTI_DECAY_GAUSSIAN, .value = NAN};
    assert_non_null(rti_decay_check(&d));
    d = (rti_decay){.kind = RTI_DECAY_LINEAR, .cutoff = 0};
    assert_non_null(rti_decay_check(&d));
    d = (rti_decay){.kind = RTI_DECAY_LOGISTIC, .cutoff = 30, .value = 0};
    assert_non_null(rti_decay_check(&d));
    d = (rti_decay){
        .kind = RTI_DECAY_STEPPED, .n_steps = 2, .steps = {20, 10}, .weights = {0.5, 0.2}};
    assert_non_null(strstr(rti_decay_check(&d), "increase"));
    d.steps[1] = 30;
    assert_null(rti_decay_check(&d));
    d.weights[1] = 1.5;
    assert_non_null(strstr(rti_decay_check(&d), "between 0 and 1"));
    d.n_steps = 0;
    assert_non_null(rti_decay_check(&d));
    rti_decay_e2sfca(&d);
    assert_null(rti_decay_check(&d));
}

/* ---- 2. spatial availability: Soukhov et al. (2023) ---- */

/* Origins A, B, C (nodes 0, 1, 2) with 50,000, 150,000 and 10,000 people;
 * destinations 1, 2, 3 (nodes 3, 4, 5, nobody lives there) with 100,000,
 * 100,000 and 10,000 jobs. The travel times in minutes, as arcs from each
 * destination to each origin (the search runs from the facilities):
 *        1    2    3
 *   A   15   30  100
 *   B   30   15  100
 *   C  100  100   15
 * Negative exponential decay 0.1. The paper's spatial availability:
 * A 66,833, B 133,203, C 9,963 (together the 210,000 jobs). */
static void test_soukhov_example(void **state)
{
    (void)state;
    const double tmin[3][3] = {{15, 30, 100}, {30, 15, 100}, {100, 100, 15}};
    int32_t tail[9], head[9];
    double ts[9];
    int k = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            tail[k] = 3 + j;
            head[k] = i;
            ts[k++] = tmin[i][j] * 60.0;
        }
    rt_ctx *ctx = rt_ctx_create();
    rt_arcs arcs = {.n = 9, .tail = tail, .head = head, .time_s = ts};
    rt_graph *g = NULL;
    assert_int_equal(rt_graph_build(ctx, 6, &arcs, &g), RT_OK);
    rt_source src[3] = {{3, 0, 0.0}, {4, 1, 0.0}, {5, 2, 0.0}};
    int64_t first[4] = {0, 1, 2, 3};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 3, .first = first, .src = src};
    const double jobs[3] = {100000, 100000, 10000};
    const float pop[6] = {50000, 150000, 10000, 0, 0, 0};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = jobs, .pop = pop};
    rti_measure m = {.kind = RTI_MEASURE_SPAVAIL,
                     .cutoff = 120 * 60.0,
                     .decay = {.kind = RTI_DECAY_EXPONENTIAL, .value = 0.1},
                     .unit = 60};
    double out[6];
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(fabs(out[0] - 66833) <= 0.5);
    assert_true(fabs(out[1] - 133203) <= 0.5);
    assert_true(fabs(out[2] - 9963) <= 0.5);
    assert_true(fabs(out[0] + out[1] + out[2] - 210000) < 1e-6);
    for (int i = 3; i < 6; i++)
        assert_same(out[i], 0.0); /* nobody there, nothing available */
    /* a cutoff below 100 minutes leaves out the long trips: C's only job
     * market is then destination 3, which it has to itself: 10,000 */
    m.cutoff = 99 * 60.0;
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(fabs(out[2] - 10000) < 1e-6);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* ---- 3. the catchment family by hand ---- */

/* Two origins (graph nodes 0, 1, no arcs) with 100 and 300 people and a
 * cell where nobody lives (node 2); two facilities with capacity 10 and
 * 20, which start at the nodes directly (start times): facility 0 reaches
 * all three in 1 minute, facility 1 only origin 1. Binary decay within 10
 * minutes, so every weight is 1. Node 2 gets what its weights give it but
 * adds no demand: 2SFCA R0, 3SFCA R0 (its only facility), BFCA R0 / 2
 * (facility 0 has two origins: node 2 is nobody's origin).
 *
 * 2SFCA: R0 = 10 / 400, R1 = 20 / 300; A0 = R0 = 0.025,
 *        A1 = R0 + R1 = 0.025 + 0.0666... = 0.091666...
 * 3SFCA: G = f / (sum over the origin's facilities): G00 = 1, G10 = G11 =
 *        1/2. R0 = 10 / (100 + 150) = 0.04, R1 = 20 / 150; A0 = G00 R0 =
 *        0.04, A1 = R0 / 2 + R1 / 2 = 0.02 + 0.0666... = 0.08666...
 * BFCA:  population served: fac 0: 100 x 1/1 + 300 x 1/2 = 250, fac 1:
 *        300 x 1/2 = 150; R0 = 0.04, R1 = 0.1333...; the supply split over
 *        each facility's origins: fac 0 has 2, fac 1 has 1; A0 = R0 / 2 =
 *        0.02, A1 = R0 / 2 + R1 = 0.15333...
 * count: 1 and 2; capacity: 10 and 30; gravity with binary decay: the
 * same as capacity. */
static void test_fca_by_hand(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 3);
    rt_source src[4] = {{0, 0, 60.0}, {1, 0, 60.0}, {2, 0, 60.0}, {1, 1, 60.0}};
    int64_t first[3] = {0, 3, 4};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 2, .first = first, .src = src};
    const double cap[2] = {10, 20};
    const float pop[3] = {100, 300, 0};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = cap, .pop = pop};
    rti_measure m = {.cutoff = 600, .decay = {.kind = RTI_DECAY_BINARY, .cutoff = 10}, .unit = 60};
    const struct {
        rti_measure_kind kind;
        double a0, a1, a2;
    } want[] = {
        {RTI_MEASURE_COUNT, 1, 2, 1},
        {RTI_MEASURE_CAPACITY, 10, 30, 10},
        {RTI_MEASURE_GRAVITY, 10, 30, 10},
        {RTI_MEASURE_2SFCA, 0.025, 0.025 + 20.0 / 300.0, 0.025},
        {RTI_MEASURE_3SFCA, 0.04, 0.02 + 10.0 / 150.0, 0.04},
        {RTI_MEASURE_BFCA, 0.02, 0.02 + 20.0 / 150.0, 0.02},
        {RTI_MEASURE_SPAVAIL, 100 * 0.025, 300 * (0.025 + 20.0 / 300.0), 0},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        double out[3];
        m.kind = want[i].kind;
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        if (fabs(out[0] - want[i].a0) > 1e-12 || fabs(out[1] - want[i].a1) > 1e-12 ||
            fabs(out[2] - want[i].a2) > 1e-12)
            fail_msg("%s: %.17g %.17g %.17g, expected %.17g %.17g %.17g", RTI_MEASURE_NAMES[m.kind],
                     out[0], out[1], out[2], want[i].a0, want[i].a1, want[i].a2);
    }
    /* a cutoff below the minute of the start: nothing within reach */
    m.kind = RTI_MEASURE_2SFCA;
    m.cutoff = 59;
    double out[3];
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_same(out[0], 0.0);
    assert_same(out[1], 0.0);
    /* bad capacity and decay are refused */
    const double bad[2] = {10, -1};
    in.capacity = bad;
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "capacity -1"));
    in.capacity = cap;
    m.decay = (rti_decay){.kind = RTI_DECAY_EXPONENTIAL, .value = -0.1};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "decay_value"));
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* The same two origins (100 and 300 people) with weights other than 1,
 * where applying the decay once or twice differs: linear decay over 10
 * minutes, facility 0 (capacity 10) starts at origin 0 at 0 minutes
 * (f = 1) and at origin 1 at 5 (f = 1/2), facility 1 (capacity 20) at
 * origin 1 at 0 (f = 1).
 *
 * gravity: A0 = 10, A1 = 10 x 1/2 + 20 = 25.
 * 2SFCA: R0 = 10 / (100 + 300 x 1/2) = 0.04, R1 = 20 / 300; A0 = 0.04,
 *        A1 = 0.04 x 1/2 + 20 / 300 = 0.08666...
 * 3SFCA: G00 = 1; origin 1's weights 1/2 and 1 sum to 3/2: G10 = 1/3,
 *        G11 = 2/3. R0 = 10 / (100 + 1/3 x 300 x 1/2) = 10 / 150, R1 =
 *        20 / (2/3 x 300) = 0.1; A0 = 10 / 150, A1 = 1/3 x 10/150 x 1/2 +
 *        2/3 x 0.1 = 1/90 + 1/15 = 0.0777... (the decay once, q = G: A0
 *        would be 0.05). Supply kept: 100 A0 + 300 A1 = 30.
 * BFCA:  served: fac 0: 100 x 1 + 300 x (1/2) / (3/2) = 200, fac 1: 300 x
 *        1 / (3/2) = 200; R0 = 0.05, R1 = 0.1. The supply over the origins:
 *        fac 0's weights sum to 3/2, fac 1's to 1; A0 = 0.05 / (3/2) =
 *        0.0333..., A1 = 0.05 x (1/2) / (3/2) + 0.1 = 0.11666...
 * spatial availability: P x 2SFCA = 4 and 26. */
static void test_fca_weights_by_hand(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 2);
    rt_source src[3] = {{0, 0, 0.0}, {1, 0, 300.0}, {1, 1, 0.0}};
    int64_t first[3] = {0, 2, 3};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 2, .first = first, .src = src};
    const double cap[2] = {10, 20};
    const float pop[2] = {100, 300};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = cap, .pop = pop};
    rti_measure m = {.cutoff = 600, .decay = {.kind = RTI_DECAY_LINEAR, .cutoff = 10}, .unit = 60};
    const struct {
        rti_measure_kind kind;
        double a0, a1;
    } want[] = {
        {RTI_MEASURE_GRAVITY, 10, 25},
        {RTI_MEASURE_2SFCA, 0.04, 0.02 + 20.0 / 300.0},
        {RTI_MEASURE_3SFCA, 10.0 / 150.0, 1.0 / 90.0 + 1.0 / 15.0},
        {RTI_MEASURE_BFCA, 0.05 / 1.5, 0.05 / 3.0 + 0.1},
        {RTI_MEASURE_SPAVAIL, 4, 26},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        double out[2];
        m.kind = want[i].kind;
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        if (fabs(out[0] - want[i].a0) > 1e-12 || fabs(out[1] - want[i].a1) > 1e-12)
            fail_msg("%s: %.17g %.17g, expected %.17g %.17g", RTI_MEASURE_NAMES[m.kind], out[0],
                     out[1], want[i].a0, want[i].a1);
    }
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* Every node of a graph without arcs reaches the facilities that start
 * there. Four facilities at each of three nodes: a count of 4 everywhere,
 * on 1 to 6 threads (more threads than cells: each thread takes its own
 * band of the cells, which may be empty). */
static void test_fewer_cells_than_threads(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 3);
    rt_source src[12];
    int64_t first[5];
    for (int j = 0; j < 4; j++) {
        first[j] = 3 * j;
        for (int v = 0; v < 3; v++)
            src[3 * j + v] = (rt_source){v, j, 0.0};
    }
    first[4] = 12;
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 4, .first = first, .src = src};
    rti_measure_input in = {.medium = &med, .facs = &facs};
    rti_measure m = {.kind = RTI_MEASURE_COUNT, .cutoff = 60, .unit = 60};
    for (int t = 1; t <= 6; t++) {
        double out[3];
        rt_ctx_set_threads(ctx, t);
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        if (out[0] != 4 || out[1] != 4 || out[2] != 4)
            fail_msg("%d threads: counts %g %g %g, expected 4 4 4", t, out[0], out[1], out[2]);
    }
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* More facilities than a block holds (4096), on more threads than its
 * first block may take (256 at 16 a thread) and under a budget that holds
 * about 160 reaches beside the workspaces: 5000 facilities, facility j at
 * node j % 3 of a graph without arcs, so node v counts the j < 5000 with
 * j % 3 == v: 1667, 1667 and 1666, whatever the blocks. */
static void test_many_facilities_and_threads(void **state)
{
    (void)state;
    enum { NF = 5000 };
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 3);
    rt_source *src = malloc(NF * sizeof(*src));
    int64_t *first = malloc((NF + 1) * sizeof(*first));
    assert_true(src && first);
    for (int j = 0; j < NF; j++) {
        first[j] = j;
        src[j] = (rt_source){j % 3, j, 0.0};
    }
    first[NF] = NF;
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = NF, .first = first, .src = src};
    rti_measure_input in = {.medium = &med, .facs = &facs};
    rti_measure m = {.kind = RTI_MEASURE_COUNT, .cutoff = 60, .unit = 60};
    static const int threads[] = {300, 4};
    static const uint64_t budget[] = {0, 4096};
    for (int k = 0; k < 2; k++) {
        double out[3];
        rt_ctx_set_threads(ctx, threads[k]);
        rt_ctx_set_budget_bytes(ctx, budget[k]);
        if (rti_measure_compute(ctx, &in, &m, out) != RT_OK)
            fail_msg("%d threads: %s", threads[k], rt_ctx_errmsg(ctx));
        if (out[0] != 1667 || out[1] != 1667 || out[2] != 1666)
            fail_msg("%d threads: counts %g %g %g, expected 1667 1667 1666", threads[k], out[0],
                     out[1], out[2]);
    }
    free(src);
    free(first);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* One facility of 100 at node 3 (nobody lives there) reaching node 1 (1
 * person) at 72 min and node 2 (2 persons) at 75 min, node 0 (5 persons)
 * not at all; exponential decay of 10 per minute: f(72) = e^-720, about
 * 1e-313 (a subnormal double), and f(75) = e^-750 rounds to 0. The
 * facility's whole supply goes to node 1: 2SFCA and 3SFCA give A = 100 /
 * 1 there and 0 at nodes 0 and 2, and spatial availability P A = 100.
 * Node 3 gets S f(0) / (P f(72)) = 1e315, beyond the largest double:
 * infinite (its spatial availability, with nobody there, 0). Worked out
 * in doubles the step S / (P f(72)) overflows, and A came out infinite at
 * node 1 and NaN (infinity times 0) at node 2. */
static void test_subnormal_weights(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 4);
    rt_source src[3] = {{1, 0, 72 * 60.0}, {2, 0, 75 * 60.0}, {3, 0, 0.0}};
    int64_t first[2] = {0, 3};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 1, .first = first, .src = src};
    const double cap[1] = {100};
    const float pop[4] = {5, 1, 2, 0};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = cap, .pop = pop};
    assert_true(exp(-720.0) > 0 && exp(-720.0) < DBL_MIN && exp(-750.0) == 0); /* the case */
    const rti_measure_kind kinds[] = {RTI_MEASURE_2SFCA, RTI_MEASURE_3SFCA, RTI_MEASURE_SPAVAIL};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        rti_measure m = {.kind = kinds[k],
                         .cutoff = 100 * 60.0,
                         .decay = {.kind = RTI_DECAY_EXPONENTIAL, .value = 10},
                         .unit = 60};
        double out[4];
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        const double at3 = kinds[k] == RTI_MEASURE_SPAVAIL ? 0 : INFINITY;
        if (out[0] != 0 || out[1] != 100 || out[2] != 0 || out[3] != at3)
            fail_msg("%s: %.17g %.17g %.17g %.17g, expected 0 100 0 %g",
                     RTI_MEASURE_NAMES[kinds[k]], out[0], out[1], out[2], out[3], at3);
    }
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* A facility without supply whose weights are rescaled: facility A (S =
 * 0) at node 0, where nobody lives, reaches node 1 (1 person) at 711 min;
 * facility B (S = 5) at node 1 reaches node 0 at 711 min. Exponential
 * decay of 1 per minute: f(711) = e^-711, about 1.6e-309, below DBL_MIN,
 * so A's weights are divided by that, and its f(0) = 1 at node 0 becomes
 * infinite. A adds nothing anywhere: 2SFCA gives node 0 5 e^-711 (B's 5
 * per person at weight e^-711) and node 1 5; 3SFCA the same at node 1 and
 * 0 at node 0 (B's weight there times its selection weight, e^-1422,
 * rounds to 0). A came out NaN at node 0 (0 times infinity). */
static void test_rescaled_facility_without_supply(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 2);
    rt_source src[4] = {{0, 0, 0.0}, {1, 0, 711 * 60.0}, {1, 1, 0.0}, {0, 1, 711 * 60.0}};
    int64_t first[3] = {0, 2, 4};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 2, .first = first, .src = src};
    const double cap[2] = {0, 5};
    const float pop[2] = {0, 1};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = cap, .pop = pop};
    assert_true(exp(-711.0) > 0 && exp(-711.0) < DBL_MIN); /* the case */
    const rti_measure_kind kinds[] = {RTI_MEASURE_2SFCA, RTI_MEASURE_3SFCA};
    const double at0[] = {5 * exp(-711.0), 0};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        rti_measure m = {.kind = kinds[k],
                         .cutoff = 720 * 60.0,
                         .decay = {.kind = RTI_DECAY_EXPONENTIAL, .value = 1},
                         .unit = 60};
        double out[2];
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        if (!(fabs(out[0] - at0[k]) <= 1e-3 * at0[k]) || out[1] != 5)
            fail_msg("%s: %.17g %.17g, expected %.17g 5", RTI_MEASURE_NAMES[kinds[k]], out[0],
                     out[1], at0[k]);
    }
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* A facility reached at exactly the cutoff of 0.27 minutes, as the search
 * has it (0.27 x 60 s, which over 60 is a last bit above 0.27): counted,
 * and weighing 1 under binary decay with that cutoff and in a band ending
 * there (weight 0.5), so gravity gives 1 and 0.5 (capacity 1 each). */
static void test_binary_at_cutoff(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 1);
    const double x = 0.27, t = x * 60.0;
    assert_true(t / 60.0 > x); /* the case */
    rt_source src[1] = {{0, 0, t}};
    int64_t first[2] = {0, 1};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 1, .first = first, .src = src};
    rti_measure_input in = {.medium = &med, .facs = &facs};
    rti_measure m = {.kind = RTI_MEASURE_COUNT, .cutoff = t, .unit = 60};
    double out[1];
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 1);
    m.kind = RTI_MEASURE_GRAVITY;
    m.decay = (rti_decay){.kind = RTI_DECAY_BINARY, .cutoff = x};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 1);
    m.decay = (rti_decay){.kind = RTI_DECAY_BANDS, .n_steps = 1, .steps = {x}, .weights = {0.5}};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 0.5);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* Limits of 0.41 and 0.82 minutes, whose seconds (x * 60) round a last
 * bit below 24.6 and 49.2 s, against the times of one and two steps of
 * 49.2 m at 0.5 s/m (24.6 and 49.2 s as a search sums them, a last bit
 * above): at the limit by arithmetic, so within it (docs/methods.md, "the
 * cutoff is inclusive"). By hand: counts 1 and 1 within 0.41 and 0.82;
 * binary gravity 1; E2SFCA bands 0.41/0.82 with weights 1/0.5 give 1 at
 * 24.6 s and 0.5 at 49.2 s; a stepped decay 0.5 from 0.41 on gives 0.5. */
static void test_decimal_limits(void **state)
{
    (void)state;
    const double step = 49.2 * 0.5, two = step + step;
    assert_true(0.41 * 60.0 < step && 0.82 * 60.0 < two); /* the case */
    rt_ctx *ctx = rt_ctx_create();
    rt_graph *g = no_arcs(ctx, 2);
    rt_source src[2] = {{0, 0, step}, {1, 1, two}};
    int64_t first[3] = {0, 1, 2};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 2, .first = first, .src = src};
    rti_measure_input in = {.medium = &med, .facs = &facs};
    double out[2];
    rti_measure m = {.kind = RTI_MEASURE_COUNT, .cutoff = 0.41 * 60.0, .unit = 60};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 1 && out[1] == 0);
    m.cutoff = 0.82 * 60.0;
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 1 && out[1] == 1);
    m.kind = RTI_MEASURE_GRAVITY;
    m.decay = (rti_decay){.kind = RTI_DECAY_BINARY, .cutoff = 0.41};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 1 && out[1] == 0);
    m.decay = (rti_decay){
        .kind = RTI_DECAY_BANDS, .n_steps = 2, .steps = {0.41, 0.82}, .weights = {1, 0.5}};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 1 && out[1] == 0.5);
    m.decay =
        (rti_decay){.kind = RTI_DECAY_STEPPED, .n_steps = 1, .steps = {0.41}, .weights = {0.5}};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 0.5 && out[1] == 0.5);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

/* ---- 4. inequality ---- */

/* Region row r against persons, mean, Gini (within 1e-15), worst-decile
 * share and persons with none; NaN expects NaN. */
static void check_row(const rti_measure_region *r, double persons, double mean, double gini,
                      double share, double none)
{
    assert_same(r->pop_persons, persons);
    assert_same(r->mean, mean);
    if (!(fabs(r->gini - gini) < 1e-15 || (isnan(r->gini) && isnan(gini))))
        fail_msg("Gini %.17g, expected %.17g", r->gini, gini);
    assert_same(r->worst_decile_share, share);
    assert_same(r->pop_zero_persons, none);
}

static void test_gini_by_hand(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    /* region 0: values 0 and 1, one person each: sum |x_i - x_k| over the
     * ordered pairs = 2, 2 W^2 mean = 2 x 4 x 0.5 = 4: Gini 0.5.
     * region 1: 0, 0, 0, 10: 60 / (2 x 16 x 2.5) = 0.75.
     * region 2: everybody the same: 0. region 3: nobody: NaN.
     * The worst decile over all 10 persons: the lower 10 % quantile is 0
     * (4 of the 10 have 0), so regions 0 and 1 have 1/2 and 3/4 there; the
     * persons with x = 0 (nothing within reach): 1, 3, 0. */
    const double x[10] = {0, 1, 0, 0, 0, 10, 4, 4, 7, NAN};
    const float pop[10] = {1, 1, 1, 1, 1, 1, 2, 2, 0, 5};
    const int32_t reg[10] = {0, 0, 1, 1, 1, 1, 2, 2, 3, 3};
    rti_measure_region r[4];
    assert_int_equal(rti_measure_regions(ctx, x, pop, reg, 10, 4, 0, r), RT_OK);
    check_row(&r[0], 2, 0.5, 0.5, 0.5, 1);
    check_row(&r[1], 4, 2.5, 0.75, 0.75, 3);
    check_row(&r[2], 4, 4.0, 0.0, 0.0, 0);
    check_row(&r[3], 0, NAN, NAN, NAN, 0);
    rt_ctx_destroy(ctx);
}

/* A cost (the k-th nearest, in minutes; NaN: none within reach):
 * region 0: 2 min (1 person), 4 min (3 persons), none (4 persons): mean
 * over those with a value (2 + 12) / 4 = 3.5, Gini 2 x 1 x 3 x 2 / (2 x
 * 16 x 3.5) = 12 / 112, 4 persons with none. Region 1: 1 min (2 persons).
 * The worst decile of the 10 persons: the 90 % quantile with none taken
 * as infinite is infinite (4 of 10 have none), so the worst decile is
 * exactly those: 4/8 in region 0, 0 in region 1. */
static void test_cost_regions_by_hand(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    const double x[5] = {2, 4, NAN, 1, NAN};
    const float pop[5] = {1, 3, 4, 2, 0};
    const int32_t reg[5] = {0, 0, 0, 1, 1};
    rti_measure_region r[2];
    assert_int_equal(rti_measure_regions(ctx, x, pop, reg, 5, 2, 1, r), RT_OK);
    check_row(&r[0], 8, 3.5, 12.0 / 112.0, 0.5, 4);
    check_row(&r[1], 2, 1.0, 0.0, 0.0, 0);
    rt_ctx_destroy(ctx);
}

static void test_gini_brute_force(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {0x5eed};
    enum { N = 300, R = 4 };
    double x[N];
    float pop[N];
    int32_t reg[N];
    for (int i = 0; i < N; i++) {
        x[i] = rt_test_int(&rng, 0, 20) * 0.5; /* ties on purpose */
        pop[i] = (float)rt_test_int(&rng, 0, 9);
        reg[i] = rt_test_int(&rng, -1, R - 1);
    }
    rti_measure_region r[R];
    assert_int_equal(rti_measure_regions(ctx, x, pop, reg, N, R, 0, r), RT_OK);
    for (int g = 0; g < R; g++) {
        double W = 0, sx = 0, pairs = 0;
        for (int i = 0; i < N; i++) {
            if (reg[i] != g)
                continue;
            W += pop[i];
            sx += pop[i] * x[i];
            for (int k = 0; k < N; k++)
                if (reg[k] == g)
                    pairs += (double)pop[i] * pop[k] * fabs(x[i] - x[k]);
        }
        const double gini = pairs / (2 * W * W * (sx / W));
        if (fabs(r[g].gini - gini) > 1e-12)
            fail_msg("region %d: Gini %.17g, brute force %.17g", g, r[g].gini, gini);
        assert_true(fabs(r[g].mean - sx / W) < 1e-12);
    }
    rt_ctx_destroy(ctx);
}

/* The worst decile and what does not count, by hand. Values 1..20, one
 * person each: the lower 10 % quantile (2 of 20 people) is 2, so x <= 2
 * holds 2/20; for a cost the 90 % quantile is 18 and x >= 18 holds 3/20.
 * A cell of infinite population is left out: x = {1, 2} with people
 * {1, inf} is the one person at 1. */
static void test_worst_decile_by_hand(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    double x[20];
    float pop[20];
    int32_t reg[20];
    for (int i = 0; i < 20; i++)
        x[i] = i + 1, pop[i] = 1, reg[i] = 0;
    rti_measure_region r[1];
    assert_int_equal(rti_measure_regions(ctx, x, pop, reg, 20, 1, 0, r), RT_OK);
    assert_true(r[0].worst_decile_share == 0.1 && r[0].mean == 10.5);
    assert_int_equal(rti_measure_regions(ctx, x, pop, reg, 20, 1, 1, r), RT_OK);
    assert_true(r[0].worst_decile_share == 3.0 / 20.0);
    const float inf_pop[2] = {1, INFINITY};
    assert_int_equal(rti_measure_regions(ctx, x, inf_pop, reg, 2, 1, 0, r), RT_OK);
    assert_true(r[0].pop_persons == 1.0 && r[0].mean == 1.0);
    assert_true(r[0].gini == 0.0 && r[0].worst_decile_share == 1.0);
    rt_ctx_destroy(ctx);
}

/* Thresholds at exactly their tolerance (RT_LIMIT_REL, as the search's
 * cutoff): binary 30 and the E2SFCA bands 10 and 30 still count there;
 * just below a step of 10 the stepped weight is the first; steps must
 * increase strictly. */
static void test_decay_at_the_tolerance(void **state)
{
    (void)state;
    rti_decay b = {.kind = RTI_DECAY_BINARY, .cutoff = 30};
    assert_true(rti_decay_weight(&b, 30 + 30 * RT_LIMIT_REL, 1.0) == 1.0);
    rti_decay e2;
    rti_decay_e2sfca(&e2);
    assert_true(rti_decay_weight(&e2, 10 + 10 * RT_LIMIT_REL, 1.0) == 1.0);
    assert_true(rti_decay_weight(&e2, 30 + 30 * RT_LIMIT_REL, 1.0) == 0.22);
    rti_decay s = {.kind = RTI_DECAY_STEPPED,
                   .n_steps = 4,
                   .steps = {10, 20, 30, 40},
                   .weights = {0.75, 0.5, 0.25, 0}};
    assert_true(rti_decay_weight(&s, 10 - 10 * RT_LIMIT_REL, 1.0) == 0.75);
    rti_decay d = {
        .kind = RTI_DECAY_STEPPED, .n_steps = 2, .steps = {10, 10}, .weights = {0.5, 0.2}};
    const char *why = rti_decay_check(&d);
    assert_non_null(why);
    assert_non_null(strstr(why, "increase"));
}

/* Two nodes without arcs, one facility of capacity 10 at both, starting
 * at 60 s (1 min), binary cutoff 10 min: 2SFCA over the 4 persons of node
 * 0 (node 1's infinite count is left out) gives 10 / 4 to both nodes. A
 * count with a cutoff of 0 counts a facility that starts at 0 s on its own
 * node and not the one that starts later. */
static void test_unusable_population_and_cutoff_zero(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_arcs arcs = {.n = 0};
    rt_graph *g = NULL;
    assert_int_equal(rt_graph_build(ctx, 2, &arcs, &g), RT_OK);
    rt_source src[2] = {{0, 0, 60.0}, {1, 0, 60.0}};
    int64_t first[2] = {0, 2};
    rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
    rti_reach_facs facs = {.n = 1, .first = first, .src = src};
    const double cap[1] = {10};
    const float pop[2] = {4, INFINITY};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = cap, .pop = pop};
    rti_measure m = {.kind = RTI_MEASURE_2SFCA,
                     .cutoff = 600,
                     .decay = {.kind = RTI_DECAY_BINARY, .cutoff = 10},
                     .unit = 60};
    double out[2];
    assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
    assert_true(out[0] == 2.5 && out[1] == 2.5);
    rt_source s0[2] = {{0, 0, 0.0}, {1, 0, 60.0}};
    facs.src = s0;
    rti_measure c = {.kind = RTI_MEASURE_COUNT, .cutoff = 0, .unit = 60};
    assert_int_equal(rti_measure_compute(ctx, &in, &c, out), RT_OK);
    assert_true(out[0] == 1 && out[1] == 0);
    rt_graph_destroy(g);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decay_documented),
        cmocka_unit_test(test_decay_check),
        cmocka_unit_test(test_soukhov_example),
        cmocka_unit_test(test_fca_by_hand),
        cmocka_unit_test(test_fca_weights_by_hand),
        cmocka_unit_test(test_gini_by_hand),
        cmocka_unit_test(test_cost_regions_by_hand),
        cmocka_unit_test(test_gini_brute_force),
        cmocka_unit_test(test_fewer_cells_than_threads),
        cmocka_unit_test(test_many_facilities_and_threads),
        cmocka_unit_test(test_rescaled_facility_without_supply),
        cmocka_unit_test(test_subnormal_weights),
        cmocka_unit_test(test_binary_at_cutoff),
        cmocka_unit_test(test_decimal_limits),
        cmocka_unit_test(test_worst_decile_by_hand),
        cmocka_unit_test(test_decay_at_the_tolerance),
        cmocka_unit_test(test_unusable_population_and_cutoff_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
