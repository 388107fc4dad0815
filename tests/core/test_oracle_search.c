/* Second methods for the grid search.
 *
 * 1. A label-correcting solver (Bellman-Ford sweeps to a fixed point) on
 *    random grids with random impassable cells and sources must give the
 *    same bits as the Dijkstra search: times, nearest facility, second
 *    facility and route lengths. It shares nothing with the search but the
 *    definition of the cost model and of the labels (rt_search.h):
 *      T(v)  = min over moves u->v of T(u) + w(u,v)  (starts: start time)
 *      F(v)  = min F(u) over moves with T(u) + w(u,v) == T(v)
 *      L(v)  = min L(u) + step over those moves with F(u) == F(v)
 *    computed one after the other, each to its fixed point.
 * 2. k = 2 labels against brute force: one label-correcting search per
 *    facility, then the two best distinct facilities per cell. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/search_internal.h"
#include "oracle_common.h"
#include "reistijd/rt_search.h"
#include "test_common.h"

/* Label-correcting solver on the stencil written out as arcs. */
static void bellman_ford(const float *fr, int nx, int ny, double cell, int nb, const rt_source *src,
                         const float *start_m, int n_src, double *T, int32_t *F, float *L)
{
    oracle_arcs a;
    oracle_grid_arcs(fr, nx, ny, cell, nb, &a);
    oracle_bellman_ford(&a, src, start_m, n_src, T, F, L);
    oracle_arcs_free(&a);
}

/* The times, facilities and lengths of a search's labels l equal those of
 * Bellman-Ford (T, F, L) bit for bit, in case case_no. */
static void equals_bellman_ford(const double *T, const int32_t *F, const float *L,
                                const rt_labels *l, int n, int case_no)
{
    for (int k = 0; k < n; k++) {
        if (memcmp(&T[k], &l->time_s[k], sizeof(double)) != 0 || F[k] != l->facility[k])
            fail_msg("case %d cell %d: BF %.17g/%d, search %.17g/%d", case_no, k, T[k], F[k],
                     l->time_s[k], l->facility[k]);
        if (!(isnan(L[k]) && isnan(l->length_m[k])) && L[k] != l->length_m[k])
            fail_msg("case %d cell %d: length BF %.9g, search %.9g", case_no, k, (double)L[k],
                     (double)l->length_m[k]);
    }
}

typedef struct rcase {
    int nx, ny, nb, n_src;
    double cell;
    float *fr;
    rt_source src[8];
    float start_m[8]; /* start lengths */
} rcase;

static void make_case(rt_test_rng *rng, rcase *c, int i)
{
    c->nx = rt_test_int(rng, 3, 16);
    c->ny = rt_test_int(rng, 3, 16);
    c->nb = i % 2 ? 16 : 8;
    c->cell = (double[]){1.0, 25.0, 100.0, 12.5}[i % 4];
    int n = c->nx * c->ny;
    double p_nodata = rt_test_unit(rng) * 0.35;
    c->fr = malloc((size_t)n * sizeof(float));
    /* every tenth grid has few distinct values, so equal-time ties occur:
     * whole frictions 1-3, or in every other of them 1-10 (more routes
     * through different frictions that tie, or differ in the last bit) */
    int coarse = i % 10 == 0 ? (i % 20 == 0 ? 2 : 9) : 0;
    for (int k = 0; k < n; k++) {
        double u = rt_test_unit(rng);
        c->fr[k] = rt_test_unit(rng) < p_nodata ? NAN
                   : coarse                     ? (float)(1 + rt_test_int(rng, 0, coarse))
                                                : (float)(0.01 + 2 * u);
    }
    /* every fifth grid has one nearly frictionless cell: the ratio of the
     * largest to the smallest edge cost then exceeds what the bucket queue
     * takes, and the search runs on its radix heap */
    if (i % 5 == 4) {
        int k = rt_test_int(rng, 0, n - 1);
        if (!isnan(c->fr[k]))
            c->fr[k] = 1e-7f;
    }
    c->n_src = rt_test_int(rng, 1, 8);
    for (int k = 0; k < c->n_src; k++) {
        int cell = rt_test_int(rng, 0, n - 1);
        if (isnan(c->fr[cell]))
            c->fr[cell] = 0.5f;
        c->src[k].cell = cell;
        c->src[k].facility = rt_test_int(rng, 0, 5);
        /* every third grid has start times; coarse ones whole seconds */
        c->src[k].start_s = i % 3 != 1 ? 0.0
                            : coarse   ? (double)rt_test_int(rng, 0, 4)
                                       : 200.0 * rt_test_unit(rng);
        /* and with them start lengths, whole metres in coarse ones */
        c->start_m[k] = i % 3 != 1 ? 0.0f
                        : coarse   ? (float)rt_test_int(rng, 0, 3)
                                   : (float)(100.0 * rt_test_unit(rng));
    }
}

static void dijkstra_equals_bellman_ford(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {20240601};
    int cells = 0;
    for (int i = 0; i < 600; i++) {
        rcase c;
        make_case(&rng, &c, i);
        int n = c.nx * c.ny;
        double *T = malloc(n * sizeof(double));
        int32_t *F = malloc(n * sizeof(int32_t));
        float *L = malloc(n * sizeof(float));
        bellman_ford(c.fr, c.nx, c.ny, c.cell, c.nb, c.src, c.start_m, c.n_src, T, F, L);

        rt_grid_medium g = {c.fr, c.nx, c.ny, c.cell};
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        o.flags = RT_SEARCH_LENGTH | (i % 3 ? RT_SEARCH_SECOND : 0);
        o.start_m = c.start_m;
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &l), RT_OK);
        assert_int_equal(rt_grid_search(ctx, &g, c.src, c.n_src, &o, NULL, &l), RT_OK);
        equals_bellman_ford(T, F, L, &l, n, i);
        cells += n;
        rt_labels_free(&l);
        free(T);
        free(F);
        free(L);
        free(c.fr);
    }
    assert_true(cells > 20000);
    rt_ctx_destroy(ctx);
}

/* Two grids where routes through different frictions tie down to the last
 * bit or one bit apart (found by widening the search's buckets, which then
 * settles such a cell from the wrong one): each against Bellman-Ford, with
 * lengths, 8 neighbours on 1 m cells. */
static void last_bit_ties_equal_bellman_ford(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    static const float a[12] = {2, 2, 6, 8, 1, 10, 2, 9, 6, 9, 3, 5};
    static const float b[30] = {10, 9,  3,   3, 8,  9, 3, 1, NAN, 1,   4, NAN, 1,   1, 6,
                                8,  10, NAN, 1, 10, 8, 9, 1, 6,   NAN, 6, 4,   NAN, 9, 3};
    const struct {
        const float *fr;
        int nx, ny;
        rt_source src[2];
    } cases[] = {{a, 4, 3, {{4, 0, 0.0}, {11, 1, 0.0}}}, {b, 5, 6, {{15, 0, 0.0}, {22, 1, 0.0}}}};
    const float start_m[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        const int n = cases[i].nx * cases[i].ny;
        double T[30];
        int32_t F[30];
        float L[30];
        bellman_ford(cases[i].fr, cases[i].nx, cases[i].ny, 1.0, 8, cases[i].src, start_m, 2, T, F,
                     L);
        rt_grid_medium g = {cases[i].fr, cases[i].nx, cases[i].ny, 1.0};
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = 8;
        o.flags = RT_SEARCH_LENGTH;
        o.start_m = start_m;
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &l), RT_OK);
        assert_int_equal(rt_grid_search(ctx, &g, cases[i].src, 2, &o, NULL, &l), RT_OK);
        equals_bellman_ford(T, F, L, &l, n, i);
        rt_labels_free(&l);
    }
    rt_ctx_destroy(ctx);
}

static void second_label_equals_brute_force(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {77};
    for (int i = 0; i < 300; i++) {
        rcase c;
        make_case(&rng, &c, i);
        int n = c.nx * c.ny;
        /* one search per facility */
        double *Tf = malloc((size_t)6 * n * sizeof(double));
        int32_t *Fd = malloc(n * sizeof(int32_t));
        float *Ld = malloc(n * sizeof(float));
        for (int f = 0; f < 6; f++) {
            rt_source mine[8];
            int m = 0;
            for (int k = 0; k < c.n_src; k++)
                if (c.src[k].facility == f)
                    mine[m++] = c.src[k];
            if (m)
                bellman_ford(c.fr, c.nx, c.ny, c.cell, c.nb, mine, NULL, m, Tf + f * n, Fd, Ld);
            else
                for (int k = 0; k < n; k++)
                    Tf[f * n + k] = INFINITY;
        }
        rt_grid_medium g = {c.fr, c.nx, c.ny, c.cell};
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        o.flags = RT_SEARCH_SECOND;
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &l), RT_OK);
        assert_int_equal(rt_grid_search(ctx, &g, c.src, c.n_src, &o, NULL, &l), RT_OK);
        oracle_check_best2(Tf, 6, n, &l, i);
        rt_labels_free(&l);
        free(Tf);
        free(Fd);
        free(Ld);
        free(c.fr);
    }
    rt_ctx_destroy(ctx);
}

/* A search from some of the sources, then a warm search adding the others,
 * gives the labels of one search from all of them, bit for bit. */
static void warm_start_equals_one_search(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {777};
    for (int i = 0; i < 400; i++) {
        rcase c;
        make_case(&rng, &c, i);
        const int n = c.nx * c.ny, a = oracle_split(c.n_src);
        rt_grid_medium g = {c.fr, c.nx, c.ny, c.cell};
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        o.flags = (i % 2 ? RT_SEARCH_LENGTH : 0) | (i % 3 ? RT_SEARCH_SECOND : 0);
        o.start_m = c.start_m;
        rt_labels one, two;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &one), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &two), RT_OK);
        assert_int_equal(rt_grid_search(ctx, &g, c.src, c.n_src, &o, NULL, &one), RT_OK);
        assert_int_equal(rt_grid_search(ctx, &g, c.src, a, &o, NULL, &two), RT_OK);
        if (a < c.n_src) {
            o.start_m = c.start_m + a;
            assert_int_equal(rti_grid_search_warm(ctx, &g, c.src + a, c.n_src - a, &o, NULL, &two),
                             RT_OK);
        }
        oracle_labels_identical(&one, &two, n, o.flags, i);
        rt_labels_free(&one);
        rt_labels_free(&two);
        free(c.fr);
    }
    rt_ctx_destroy(ctx);
}

/* The tiled search (search_tiles.c) on 2 to 4 threads, in bands of 1, 2,
 * 4 and 8 rows, against Bellman-Ford (time, facility, length) and against
 * the serial search bit for bit (every label array, second labels too):
 * with one-row bands a knight move reaches the band after next, and every
 * band boundary of these small grids carries offers between threads. */
static void tiled_search_equals_bellman_ford(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {4242};
    int tiled = 0;
    for (int i = 0; i < 600; i++) {
        rcase c;
        make_case(&rng, &c, i);
        const int n = c.nx * c.ny;
        double *T = malloc(n * sizeof(double));
        int32_t *F = malloc(n * sizeof(int32_t));
        float *L = malloc(n * sizeof(float));
        bellman_ford(c.fr, c.nx, c.ny, c.cell, c.nb, c.src, c.start_m, c.n_src, T, F, L);
        rt_grid_medium g = {c.fr, c.nx, c.ny, c.cell};
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        o.flags = RT_SEARCH_LENGTH | (i % 3 ? RT_SEARCH_SECOND : 0);
        o.start_m = c.start_m;
        rt_labels one, many;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &one), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &many), RT_OK);
        assert_int_equal(rti_grid_search_tiled(ctx, &g, c.src, c.n_src, &o, NULL, &one, 1, -1),
                         RT_OK);
        rt_search_ws *ws = rt_search_ws_create();
        assert_int_equal(
            rti_grid_search_tiled(ctx, &g, c.src, c.n_src, &o, ws, &many, 2 + i % 3, i % 4), RT_OK);
        tiled += ws->n_workers >= 2; /* else the radix heap, which is serial */
        rt_search_ws_destroy(ws);
        equals_bellman_ford(T, F, L, &many, n, i);
        oracle_labels_identical(&one, &many, n, o.flags, i);
        rt_labels_free(&one);
        rt_labels_free(&many);
        free(T);
        free(F);
        free(L);
        free(c.fr);
    }
    assert_true(tiled >= 450);
    rt_ctx_destroy(ctx);
}

/* An update after a change that makes one cell dearer beside one made
 * cheaper: 4 x 1 cells of 1 m, friction 1 everywhere, then 1, 3, 0.5, 1;
 * from cell 0 the moves cost (1 + 3) / 2, (3 + 0.5) / 2 and (0.5 + 1) / 2:
 * 0, 2, 3.75, 4.5 (cell 3's old label, 3, came through the dearer cell). */
static void update_after_dearer_beside_cheaper(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    const float before[4] = {1, 1, 1, 1}, after[4] = {1, 3, 0.5f, 1};
    rt_grid_medium g = {before, 4, 1, 1.0}, g2 = {after, 4, 1, 1.0};
    rt_source s = {0, 0, 0.0};
    const int32_t map[1] = {0};
    rt_search_opts o;
    rt_search_opts_init(&o);
    rt_labels l;
    assert_int_equal(rt_labels_alloc(ctx, 4, 0, &l), RT_OK);
    assert_int_equal(rt_grid_search(ctx, &g, &s, 1, &o, NULL, &l), RT_OK);
    assert_true(l.time_s[3] == 3);
    assert_int_equal(rti_grid_search_update(ctx, &g2, before, &s, 1, map, 1, &o, NULL, &l), RT_OK);
    const double want[4] = {0, 2, 3.75, 4.5};
    for (int k = 0; k < 4; k++)
        assert_true(l.time_s[k] == want[k] && l.facility[k] == 0);
    rt_labels_free(&l);
    rt_ctx_destroy(ctx);
}

/* Closures and openings applied to the labels of a search
 * (rti_grid_search_update) equal one search from the new sources, bit for
 * bit: the facilities 0-5 of a case, some closed (the closed ones'
 * sources dropped, the others renumbered in order), some new sources at
 * random cells with the next indices; in every other case also a block of
 * up to 4 x 4 cells made cheaper, dearer, impassable, opened, or some
 * cheaper and some dearer. */
static void update_equals_one_search(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {31337};
    int cleared = 0;
    for (int i = 0; i < 500; i++) {
        rcase c;
        make_case(&rng, &c, i);
        const int n = c.nx * c.ny;
        int32_t map[6];
        int open;
        rt_source nsrc[12];
        float nstart[12];
        int m = oracle_close_some(&rng, c.src, c.start_m, c.n_src, map, &open, nsrc, nstart);
        const int n_new = rt_test_int(&rng, 0, 3);
        for (int k = 0; k < n_new; k++) {
            int cell = rt_test_int(&rng, 0, n - 1);
            if (isnan(c.fr[cell]))
                continue;
            nsrc[m] = (rt_source){cell, open + rt_test_int(&rng, 0, 1), 0.0};
            nstart[m++] = 0.0f;
        }
        if (m == 0) {
            free(c.fr);
            continue;
        }
        /* every other case also changes a block of the grid: cheaper,
         * dearer, impassable or opened (never under a start cell) */
        float *fr2 = malloc((size_t)n * sizeof(float));
        memcpy(fr2, c.fr, (size_t)n * sizeof(float));
        if (i % 2 == 0) {
            const int r0 = rt_test_int(&rng, 0, c.ny - 1), c0 = rt_test_int(&rng, 0, c.nx - 1);
            const int r1 = r0 + rt_test_int(&rng, 0, 3), c1 = c0 + rt_test_int(&rng, 0, 3);
            const int how = rt_test_int(&rng, 0, 4);
            for (int r = r0; r <= r1 && r < c.ny; r++)
                for (int q = c0; q <= c1 && q < c.nx; q++) {
                    int cell = r * c.nx + q, start = 0;
                    for (int k = 0; k < m; k++)
                        start |= nsrc[k].cell == cell;
                    /* 4: dearer and cheaper cells side by side */
                    const int mixed = how == 4 ? rt_test_int(&rng, 0, 1) : how;
                    fr2[cell] = mixed == 0   ? fr2[cell] * 0.25f
                                : mixed == 1 ? fr2[cell] * 3.0f
                                : how == 2   ? (start ? fr2[cell] : NAN)
                                             : (isnan(fr2[cell]) ? 0.3f : fr2[cell]);
                }
        }
        rt_grid_medium g = {c.fr, c.nx, c.ny, c.cell}, g2 = {fr2, c.nx, c.ny, c.cell};
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.neighbours = c.nb;
        o.flags = (i % 2 ? RT_SEARCH_LENGTH : 0) | (i % 3 ? RT_SEARCH_SECOND : 0);
        if (i % 7 == 3)
            o.max_time_s = 50.0 * c.cell;
        rt_labels full, upd;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &full), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &upd), RT_OK);
        o.start_m = nstart;
        assert_int_equal(rt_grid_search(ctx, &g2, nsrc, m, &o, NULL, &full), RT_OK);
        o.start_m = c.start_m;
        assert_int_equal(rt_grid_search(ctx, &g, c.src, c.n_src, &o, NULL, &upd), RT_OK);
        for (int k = 0; k < n; k++)
            cleared += upd.facility[k] >= 0 && map[upd.facility[k]] < 0;
        o.start_m = nstart;
        assert_int_equal(rti_grid_search_update(ctx, &g2, i % 2 == 0 ? c.fr : NULL, nsrc, m, map, 6,
                                                &o, NULL, &upd),
                         RT_OK);
        oracle_labels_identical(&full, &upd, n, o.flags, i);
        rt_labels_free(&full);
        rt_labels_free(&upd);
        free(fr2);
        free(c.fr);
    }
    assert_true(cleared > 5000); /* closures cleared many labels */
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dijkstra_equals_bellman_ford),
        cmocka_unit_test(last_bit_ties_equal_bellman_ford),
        cmocka_unit_test(second_label_equals_brute_force),
        cmocka_unit_test(warm_start_equals_one_search),
        cmocka_unit_test(tiled_search_equals_bellman_ford),
        cmocka_unit_test(update_after_dearer_beside_cheaper),
        cmocka_unit_test(update_equals_one_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
