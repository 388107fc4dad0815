/* The bounded per-facility searches and the measures built on them,
 * against second methods (core/measure/measure.h):
 *
 * 1. On random grids (8 and 16 neighbours, impassable cells, several
 *    sources per facility with start times) and random road graphs, one
 *    bounded search per facility, in one reused workspace, gives exactly
 *    the cells that rt_grid_search (rt_graph_search) from the facility's
 *    sources alone reaches within the cutoff, with the same times bit for
 *    bit.
 * 2. On a uniform grid with 8 neighbours the count within T equals the
 *    facilities inside the octile radius, counted from the formula; binary
 *    gravity equals the count; as the crow flies the count equals the
 *    facilities whose point lies within D of the cell centre.
 * 3. 2SFCA, E2SFCA and 3SFCA conserve supply: sum of population x access
 *    equals the capacity of the facilities with somebody in reach.
 * 4. Every measure is bit-identical for 1, 2, 3 and 4 threads.
 * 5. The time to the k-th nearest facility equals the k-th smallest of the
 *    times of one unbounded search per facility, and for k = 1 and 2 the
 *    times of the nearest and second-nearest labels of one search.
 * 6. The balancing cost equals the first time at which the capacities of
 *    the facilities, taken by time (then index) from the same unbounded
 *    searches, add up to the cell's population. */
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

/* ---- 1. bounded searches against the full search ---- */

/* Checks the reach (cells, cost) of n cells against full labels: the
 * same cells as those at time <= cutoff, with the tolerance RT_LIMIT_REL
 * (reistijd/rt_stats.h: at most that fraction of the cutoff beyond it),
 * with the same times. */
static void check_reach(const rt_labels *lab, int64_t n_cells, double cutoff, const uint32_t *cells,
                        const double *cost, int64_t n, char *seen)
{
    memset(seen, 0, (size_t)n_cells);
    const double limit = cutoff + cutoff * RT_LIMIT_REL;
    for (int64_t i = 0; i < n; i++) {
        const uint32_t c = cells[i];
        assert_true(c < (uint64_t)n_cells);
        assert_false(seen[c]); /* each cell once */
        seen[c] = 1;
        if (!(cost[i] == lab->time_s[c]))
            fail_msg("cell %u: bounded %.17g, full %.17g", c, cost[i], lab->time_s[c]);
        if (!(cost[i] <= limit))
            fail_msg("cell %u at %.17g beyond the cutoff %.17g", c, cost[i], cutoff);
    }
    for (int64_t c = 0; c < n_cells; c++)
        if (!seen[c] && lab->time_s[c] < INFINITY && lab->time_s[c] <= limit)
            fail_msg("cell %lld at %.17g <= %.17g missing", (long long)c, lab->time_s[c], cutoff);
}

/* A cutoff that cuts the reach in the middle: the median finite time. */
static double median_time(const rt_labels *lab, int64_t n)
{
    double *t = malloc((size_t)n * sizeof(double));
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (lab->time_s[i] < INFINITY)
            t[m++] = lab->time_s[i];
    double best = 0;
    for (int64_t i = 0; i < m; i++) { /* the value with as many below as above */
        int64_t below = 0;
        for (int64_t k = 0; k < m; k++)
            below += t[k] < t[i];
        if (below <= m / 2)
            best = t[i] > best ? t[i] : best;
    }
    free(t);
    return best;
}

/* For every facility of facs: the full search from its sources alone,
 * then bounded searches at its median time, beyond everything and at 0,
 * all in one reused workspace, each checked against the full search. */
static void check_facilities(rt_ctx *ctx, const rti_reach_medium *med, const rti_reach_facs *facs)
{
    const int64_t n = rti_reach_cells(med);
    assert_int_equal(rti_reach_check(ctx, med, facs), RT_OK);
    rti_reach_ws *ws = rti_reach_ws_create(ctx, n);
    char *seen = malloc((size_t)n);
    rt_labels lab;
    assert_int_equal(rt_labels_alloc(ctx, n, 0, &lab), RT_OK);
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.neighbours = med->kind == RTI_REACH_GRID ? med->neighbours : 16;
    for (int32_t j = 0; j < facs->n; j++) {
        const rt_source *src = facs->src + facs->first[j];
        const int64_t ns = facs->first[j + 1] - facs->first[j];
        assert_int_equal(med->kind == RTI_REACH_GRID
                             ? rt_grid_search(ctx, med->grid, src, ns, &o, NULL, &lab)
                             : rt_graph_search(ctx, med->graph, src, ns, &o, NULL, &lab),
                         RT_OK);
        /* the median, and a cutoff just below it that holds it within the
         * tolerance */
        const double med_t = median_time(&lab, n);
        const double cuts[4] = {med_t, INFINITY, 0.0, med_t * (1 - 0.5 * RT_LIMIT_REL)};
        for (int q = 0; q < 4; q++) {
            const uint32_t *cells;
            const double *cost;
            int64_t m;
            assert_int_equal(rti_reach_one(ctx, med, facs, j, cuts[q], ws, &cells, &cost, &m),
                             RT_OK);
            check_reach(&lab, n, cuts[q], cells, cost, m, seen);
        }
    }
    rt_labels_free(&lab);
    rti_reach_ws_destroy(ws);
    free(seen);
}

static void test_grid_against_full(void **state)
{
    (void)state;
    rt_test_rng rng = {0xfeed};
    rt_ctx *ctx = rt_ctx_create();
    for (int round = 0; round < 40; round++) {
        const int nx = rt_test_int(&rng, 3, 40), ny = rt_test_int(&rng, 3, 40);
        const int64_t n = (int64_t)nx * ny;
        float *fr = malloc((size_t)n * sizeof(float));
        for (int64_t i = 0; i < n; i++)
            fr[i] = rt_test_unit(&rng) < 0.12 ? NAN : (float)(0.2 + 3.0 * rt_test_unit(&rng));
        rt_grid_medium g = {fr, nx, ny, rt_test_int(&rng, 1, 100) * 0.5};
        const int nb = round % 2 ? 16 : 8;
        /* three facilities of 1 to 3 sources each on passable cells */
        rt_source src[9];
        int64_t first[4] = {0};
        int ns = 0;
        for (int j = 0; j < 3; j++) {
            const int k = rt_test_int(&rng, 1, 3);
            for (int s = 0; s < k; s++) {
                int64_t c;
                do
                    c = rt_test_int(&rng, 0, (int)n - 1);
                while (isnan(fr[c]));
                src[ns++] = (rt_source){c, j, s == 0 ? 0.0 : 30.0 * rt_test_unit(&rng)};
            }
            first[j + 1] = ns;
        }
        rti_reach_medium med = {.kind = RTI_REACH_GRID, .grid = &g, .neighbours = nb};
        rti_reach_facs facs = {.n = 3, .first = first, .src = src};
        check_facilities(ctx, &med, &facs);
        free(fr);
    }
    rt_ctx_destroy(ctx);
}

static void test_graph_against_full(void **state)
{
    (void)state;
    rt_test_rng rng = {0xbeef};
    rt_ctx *ctx = rt_ctx_create();
    for (int round = 0; round < 40; round++) {
        const int n = rt_test_int(&rng, 2, 60), m = rt_test_int(&rng, 0, 4 * n);
        int32_t *tail = malloc((size_t)(m + 1) * sizeof(int32_t));
        int32_t *head = malloc((size_t)(m + 1) * sizeof(int32_t));
        double *ts = malloc((size_t)(m + 1) * sizeof(double));
        for (int a = 0; a < m; a++) {
            tail[a] = rt_test_int(&rng, 0, n - 1);
            head[a] = rt_test_int(&rng, 0, n - 1);
            ts[a] = rt_test_int(&rng, 0, 4) == 0 ? 0.0 : 100.0 * rt_test_unit(&rng);
        }
        rt_arcs arcs = {.n = m, .tail = tail, .head = head, .time_s = ts};
        rt_graph *g = NULL;
        assert_int_equal(rt_graph_build(ctx, n, &arcs, &g), RT_OK);
        rt_source src[4] = {{rt_test_int(&rng, 0, n - 1), 0, 0.0},
                            {rt_test_int(&rng, 0, n - 1), 0, 50.0 * rt_test_unit(&rng)},
                            {rt_test_int(&rng, 0, n - 1), 1, 10.0},
                            {rt_test_int(&rng, 0, n - 1), 2, 0.0}};
        int64_t first[4] = {0, 2, 3, 4};
        rti_reach_medium med = {.kind = RTI_REACH_GRAPH, .graph = g};
        rti_reach_facs facs = {.n = 3, .first = first, .src = src};
        check_facilities(ctx, &med, &facs);
        rt_graph_destroy(g);
        free(tail);
        free(head);
        free(ts);
    }
    rt_ctx_destroy(ctx);
}

/* ---- 2. counts on a uniform grid ---- */

enum { UX = 41, UY = 37, UF = 30 };

/* The octile distance in cells between (r0, c0) and (r1, c1): the
 * shortest 8-neighbour route, max + (sqrt 2 - 1) min. */
static double octile(int r0, int c0, int r1, int c1)
{
    const double dr = abs(r1 - r0), dc = abs(c1 - c0);
    const double lo = dr < dc ? dr : dc, hi = dr < dc ? dc : dr;
    return hi + (sqrt(2.0) - 1.0) * lo;
}

static void test_uniform_counts(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {42};
    static float fr[UX * UY];
    for (int i = 0; i < UX * UY; i++)
        fr[i] = 0.5f; /* 10 m cells: 5 s per cell along an axis */
    rt_grid_medium g = {fr, UX, UY, 10.0};
    rt_source src[UF];
    int64_t first[UF + 1];
    double col_f[UF], row_f[UF];
    int fr_row[UF], fr_col[UF];
    for (int j = 0; j < UF; j++) {
        fr_row[j] = rt_test_int(&rng, 0, UY - 1);
        fr_col[j] = rt_test_int(&rng, 0, UX - 1);
        src[j] = (rt_source){(int64_t)fr_row[j] * UX + fr_col[j], j, 0.0};
        first[j] = j;
        /* crow-fly points anywhere inside their cells */
        col_f[j] = fr_col[j] + rt_test_unit(&rng);
        row_f[j] = fr_row[j] + rt_test_unit(&rng);
    }
    first[UF] = UF;
    rti_reach_medium med = {.kind = RTI_REACH_GRID, .grid = &g, .neighbours = 8};
    rti_reach_facs facs = {.n = UF, .first = first, .src = src, .col_f = col_f, .row_f = row_f};
    rti_measure_input in = {.medium = &med, .facs = &facs};
    /* 5.5 cells of 5 s: no octile distance a + b sqrt 2 lies within 0.08
     * cells of 5.5, so rounding cannot move a facility across */
    rti_measure m = {.kind = RTI_MEASURE_COUNT, .cutoff = 27.5, .unit = 60};
    static double count[UX * UY], grav[UX * UY], crow[UX * UY];
    assert_int_equal(rti_measure_compute(ctx, &in, &m, count), RT_OK);
    m.kind = RTI_MEASURE_GRAVITY;
    m.decay = (rti_decay){.kind = RTI_DECAY_BINARY, .cutoff = 27.5 / 60.0};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, grav), RT_OK);
    /* as the crow flies within 55 m, from the points */
    rti_reach_medium crowfly = {.kind = RTI_REACH_CROWFLY, .grid = &g};
    in.medium = &crowfly;
    m = (rti_measure){.kind = RTI_MEASURE_COUNT, .cutoff = 55.0, .unit = 1000};
    assert_int_equal(rti_measure_compute(ctx, &in, &m, crow), RT_OK);
    int64_t total = 0;
    for (int r = 0; r < UY; r++)
        for (int c = 0; c < UX; c++) {
            int want = 0, want_crow = 0;
            for (int j = 0; j < UF; j++) {
                want += octile(r, c, fr_row[j], fr_col[j]) <= 5.5;
                const double dx = (c + 0.5 - col_f[j]) * 10.0, dy = (r + 0.5 - row_f[j]) * 10.0;
                want_crow += sqrt(dx * dx + dy * dy) <= 55.0;
            }
            const int64_t i = (int64_t)r * UX + c;
            if (count[i] != want || grav[i] != want || crow[i] != want_crow)
                fail_msg("cell (%d, %d): count %g gravity %g crow-fly %g, expected %d and %d", r, c,
                         count[i], grav[i], crow[i], want, want_crow);
            total += want;
        }
    assert_true(total > UX * UY / 2); /* the case is not empty */
    rt_ctx_destroy(ctx);
}

/* ---- 3. and 4.: a random study ---- */

typedef struct world {
    int nx, ny;
    float *fr, *pop;
    double *cap;
    rt_source *src;
    int64_t *first;
    int32_t nf;
    rt_grid_medium g;
} world;

static void world_make(world *w, uint64_t seed)
{
    rt_test_rng rng = {seed};
    w->nx = 57;
    w->ny = 45;
    const int64_t n = (int64_t)w->nx * w->ny;
    w->fr = malloc((size_t)n * sizeof(float));
    w->pop = malloc((size_t)n * sizeof(float));
    for (int64_t i = 0; i < n; i++) {
        w->fr[i] = rt_test_unit(&rng) < 0.1 ? NAN : (float)(0.3 + rt_test_unit(&rng));
        w->pop[i] = rt_test_unit(&rng) < 0.3 ? 0.0f : (float)rt_test_int(&rng, 1, 500);
    }
    w->nf = 70; /* more than one block of facilities for up to 4 threads */
    w->cap = malloc((size_t)w->nf * sizeof(double));
    w->src = malloc((size_t)w->nf * sizeof(rt_source));
    w->first = malloc((size_t)(w->nf + 1) * sizeof(int64_t));
    for (int32_t j = 0; j < w->nf; j++) {
        int64_t c;
        do
            c = rt_test_int(&rng, 0, (int)n - 1);
        while (isnan(w->fr[c]));
        w->src[j] = (rt_source){c, j, 0.0};
        w->first[j] = j;
        w->cap[j] = rt_test_int(&rng, 1, 40) * 0.25;
    }
    w->first[w->nf] = w->nf;
    w->g = (rt_grid_medium){w->fr, w->nx, w->ny, 25.0};
}

static void world_free(world *w)
{
    free(w->fr);
    free(w->pop);
    free(w->cap);
    free(w->src);
    free(w->first);
}

static void test_fca_conserves_supply(void **state)
{
    (void)state;
    world w;
    world_make(&w, 7);
    rt_ctx *ctx = rt_ctx_create();
    const int64_t n = (int64_t)w.nx * w.ny;
    rti_reach_medium med = {.kind = RTI_REACH_GRID, .grid = &w.g, .neighbours = 16};
    rti_reach_facs facs = {.n = w.nf, .first = w.first, .src = w.src};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = w.cap, .pop = w.pop};
    double *a = malloc((size_t)n * sizeof(double));
    const double cutoff = 180.0;
    /* the facilities with somebody within the cutoff, from one bounded
     * search each */
    rti_reach_ws *ws = rti_reach_ws_create(ctx, n);
    double supply = 0;
    for (int32_t j = 0; j < w.nf; j++) {
        const uint32_t *cells;
        const double *cost;
        int64_t k;
        assert_int_equal(rti_reach_one(ctx, &med, &facs, j, cutoff, ws, &cells, &cost, &k), RT_OK);
        int somebody = 0;
        for (int64_t i = 0; i < k; i++)
            somebody |= w.pop[cells[i]] > 0;
        supply += somebody ? w.cap[j] : 0.0;
    }
    rti_reach_ws_destroy(ws);
    const rti_measure_kind kinds[] = {RTI_MEASURE_2SFCA, RTI_MEASURE_E2SFCA, RTI_MEASURE_3SFCA};
    for (size_t q = 0; q < sizeof(kinds) / sizeof(kinds[0]); q++) {
        rti_measure m = {.kind = kinds[q], .cutoff = cutoff, .unit = 60};
        if (kinds[q] == RTI_MEASURE_2SFCA)
            m.decay = (rti_decay){.kind = RTI_DECAY_BINARY, .cutoff = 3.0};
        else if (kinds[q] == RTI_MEASURE_E2SFCA)
            m.decay = (rti_decay){.kind = RTI_DECAY_BANDS,
                                  .n_steps = 3,
                                  .steps = {1, 2, 3},
                                  .weights = {1, 0.68, 0.22}};
        else
            m.decay = (rti_decay){.kind = RTI_DECAY_GAUSSIAN, .value = 1.0};
        assert_int_equal(rti_measure_compute(ctx, &in, &m, a), RT_OK);
        double sum = 0;
        for (int64_t i = 0; i < n; i++)
            sum += w.pop[i] * a[i];
        if (!(fabs(sum - supply) <= 1e-9 * supply))
            fail_msg("%s: sum of population x access %.17g, supply %.17g",
                     RTI_MEASURE_NAMES[m.kind], sum, supply);
    }
    assert_true(supply > 0);
    free(a);
    world_free(&w);
    rt_ctx_destroy(ctx);
}

static void test_threads_identical(void **state)
{
    (void)state;
    world w;
    world_make(&w, 11);
    const int64_t n = (int64_t)w.nx * w.ny;
    rti_reach_medium med = {.kind = RTI_REACH_GRID, .grid = &w.g, .neighbours = 16};
    rti_reach_facs facs = {.n = w.nf, .first = w.first, .src = w.src};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = w.cap, .pop = w.pop};
    double *one = malloc((size_t)n * sizeof(double)), *more = malloc((size_t)n * sizeof(double));
    for (int kind = 0; kind < RTI_MEASURE_KINDS; kind++) {
        rti_measure m = {.kind = (rti_measure_kind)kind,
                         .cutoff = 240.0,
                         .decay = {.kind = RTI_DECAY_EXPONENTIAL, .value = 0.7},
                         .unit = 60,
                         .k = 2};
        if (kind == RTI_MEASURE_E2SFCA)
            rti_decay_e2sfca(&m.decay);
        for (int t = 1; t <= 4; t++) {
            rt_ctx *ctx = rt_ctx_create();
            rt_ctx_set_threads(ctx, t);
            assert_int_equal(rti_measure_compute(ctx, &in, &m, t == 1 ? one : more), RT_OK);
            if (t > 1 && memcmp(one, more, (size_t)n * sizeof(double)) != 0)
                fail_msg("%s: %d threads differ from 1", RTI_MEASURE_NAMES[kind], t);
            rt_ctx_destroy(ctx);
        }
    }
    free(one);
    free(more);
    world_free(&w);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_kth_nearest(void **state)
{
    (void)state;
    world w;
    world_make(&w, 13);
    rt_ctx *ctx = rt_ctx_create();
    const int64_t n = (int64_t)w.nx * w.ny;
    const double cutoff = 200.0;
    /* one unbounded search per facility: all its times */
    double *t = malloc((size_t)(n * w.nf) * sizeof(double));
    rt_labels lab;
    assert_int_equal(rt_labels_alloc(ctx, n, RT_SEARCH_SECOND, &lab), RT_OK);
    rt_search_opts o;
    rt_search_opts_init(&o);
    for (int32_t j = 0; j < w.nf; j++) {
        assert_int_equal(rt_grid_search(ctx, &w.g, &w.src[j], 1, &o, NULL, &lab), RT_OK);
        for (int64_t c = 0; c < n; c++)
            t[c * w.nf + j] = lab.time_s[c];
    }
    /* and one search of all with the second label */
    o.flags = RT_SEARCH_SECOND;
    assert_int_equal(rt_grid_search(ctx, &w.g, w.src, w.nf, &o, NULL, &lab), RT_OK);
    rti_reach_medium med = {.kind = RTI_REACH_GRID, .grid = &w.g, .neighbours = 16};
    rti_reach_facs facs = {.n = w.nf, .first = w.first, .src = w.src};
    rti_measure_input in = {.medium = &med, .facs = &facs};
    double *out = malloc((size_t)n * sizeof(double));
    double *row = malloc((size_t)w.nf * sizeof(double));
    for (int k = 1; k <= 3; k++) {
        rti_measure m = {.kind = RTI_MEASURE_KTH, .cutoff = cutoff, .unit = 60, .k = k};
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        int64_t with = 0;
        for (int64_t c = 0; c < n; c++) {
            memcpy(row, t + c * w.nf, (size_t)w.nf * sizeof(double));
            qsort(row, (size_t)w.nf, sizeof(double), cmp_double);
            const double want = row[k - 1] <= cutoff ? row[k - 1] / 60 : NAN;
            if (!(out[c] == want || (isnan(out[c]) && isnan(want))))
                fail_msg("k = %d, cell %lld: %.17g, expected %.17g", k, (long long)c, out[c], want);
            const double label = k == 1 ? lab.time_s[c] : lab.time2_s[c];
            if (k <= 2 && label <= cutoff)
                assert_same(out[c], label / 60);
            with += !isnan(out[c]);
        }
        assert_true(with > 0 && with < n); /* the cutoff cuts */
    }
    free(out);
    free(row);
    free(t);
    rt_labels_free(&lab);
    world_free(&w);
    rt_ctx_destroy(ctx);
}

typedef struct tj {
    double t;
    int32_t j;
} tj;

static int cmp_tj(const void *pa, const void *pb)
{
    const tj *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static void test_balancing_cost(void **state)
{
    (void)state;
    world w;
    world_make(&w, 17);
    for (int64_t i = 0; i < (int64_t)w.nx * w.ny; i++)
        w.pop[i] *= 0.02f; /* 0 to 10 persons against capacities of 0.25 to 10 */
    const int64_t n = (int64_t)w.nx * w.ny;
    const double cutoff = 300.0;
    double *t = malloc((size_t)(n * w.nf) * sizeof(double));
    rt_labels lab;
    rt_ctx *ctx = rt_ctx_create();
    assert_int_equal(rt_labels_alloc(ctx, n, 0, &lab), RT_OK);
    for (int32_t j = 0; j < w.nf; j++) {
        assert_int_equal(rt_grid_search(ctx, &w.g, &w.src[j], 1, NULL, NULL, &lab), RT_OK);
        for (int64_t c = 0; c < n; c++)
            t[c * w.nf + j] = lab.time_s[c];
    }
    rti_reach_medium med = {.kind = RTI_REACH_GRID, .grid = &w.g, .neighbours = 16};
    rti_reach_facs facs = {.n = w.nf, .first = w.first, .src = w.src};
    rti_measure_input in = {.medium = &med, .facs = &facs, .capacity = w.cap, .pop = w.pop};
    rti_measure m = {.kind = RTI_MEASURE_BALANCING, .cutoff = cutoff, .unit = 60};
    double *out = malloc((size_t)n * sizeof(double));
    tj *row = malloc((size_t)w.nf * sizeof(tj));
    int64_t got[3] = {0}; /* nobody, a cost, none within the cutoff */
    for (int threads = 1; threads <= 2; threads++) {
        rt_ctx_set_threads(ctx, threads);
        assert_int_equal(rti_measure_compute(ctx, &in, &m, out), RT_OK);
        for (int64_t c = 0; c < n; c++) {
            for (int32_t j = 0; j < w.nf; j++)
                row[j] = (tj){t[c * w.nf + j], j};
            qsort(row, (size_t)w.nf, sizeof(tj), cmp_tj);
            const double need = w.pop[c] > 0 ? w.pop[c] : 0.0;
            double want = need > 0 ? NAN : 0.0, sum = 0;
            for (int32_t j = 0; j < w.nf && isnan(want) && row[j].t <= cutoff; j++)
                if ((sum += w.cap[row[j].j]) >= need)
                    want = row[j].t / 60;
            if (!(out[c] == want || (isnan(out[c]) && isnan(want))))
                fail_msg("cell %lld: %.17g, expected %.17g", (long long)c, out[c], want);
            got[need > 0 ? isnan(want) ? 2 : 1 : 0] += threads == 1;
        }
    }
    assert_true(got[0] > 0 && got[1] > 0 && got[2] > 0); /* every case occurs */
    free(out);
    free(row);
    free(t);
    rt_labels_free(&lab);
    world_free(&w);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_against_full), cmocka_unit_test(test_graph_against_full),
        cmocka_unit_test(test_uniform_counts),    cmocka_unit_test(test_fca_conserves_supply),
        cmocka_unit_test(test_threads_identical), cmocka_unit_test(test_kth_nearest),
        cmocka_unit_test(test_balancing_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
