/* Tests of rt_weighted_quantile and rt_stats_regions. Expected values are
 * worked out by hand in the comments, or come from a naive second
 * implementation written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_stats.h"
#include "test_common.h"

static int setup_ctx(void **state)
{
    *state = rt_ctx_create();
    return *state ? 0 : -1;
}

static int teardown_ctx(void **state)
{
    rt_ctx_destroy(*state);
    return 0;
}

static uint64_t lcg_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* ---- rt_weighted_quantile ------------------------------------------------------------------ */

static void quantile_equal_weights(void **state)
{
    (void)state;
    const double v[4] = {10, 20, 30, 40};
    const double w[4] = {1, 1, 1, 1};
    /* total 4. q=0.5: target 2, cumulative 1, 2, 3, 4 -> 2 is reached at 20 */
    assert_same(rt_weighted_quantile(v, w, 4, 0.5), 20.0);
    /* q=0.9: target 3.6, first reached at 40 (cum 4) */
    assert_same(rt_weighted_quantile(v, w, 4, 0.9), 40.0);
    /* q=0.25: target 1, reached at 10 */
    assert_same(rt_weighted_quantile(v, w, 4, 0.25), 10.0);
    /* q=1: target 4, only at the largest value */
    assert_same(rt_weighted_quantile(v, w, 4, 1.0), 40.0);
    /* q just above 0.5: target 2.0000004, not reached at 20, reached at 30 */
    assert_same(rt_weighted_quantile(v, w, 4, 0.5000001), 30.0);
}

static void quantile_unequal_weights(void **state)
{
    (void)state;
    const double v[4] = {10, 20, 30, 40};
    const double w[4] = {1, 3, 0, 1};
    /* total 5 (30 has no weight). median target 2.5: cum 1 at 10, 4 at 20 -> 20 */
    assert_same(rt_weighted_quantile(v, w, 4, 0.5), 20.0);
    /* p90 target 4.5: cum 4 up to 30, 5 at 40 -> 40 */
    assert_same(rt_weighted_quantile(v, w, 4, 0.9), 40.0);
    /* q=0.8: target 4, reached at 20 (cum 4) */
    assert_same(rt_weighted_quantile(v, w, 4, 0.8), 20.0);
}

static void quantile_unsorted_and_ties(void **state)
{
    (void)state;
    /* order of the input does not matter: sorted 10 20 30 40, equal weights */
    const double v[4] = {40, 10, 30, 20};
    const double w[4] = {1, 1, 1, 1};
    assert_same(rt_weighted_quantile(v, w, 4, 0.5), 20.0);
    /* ties: 5 5 5 7, weights 1. q=0.75: target 3, cum at 5 is 3 -> 5;
     * q=0.76: target 3.04, only reached at 7 */
    const double t[4] = {5, 7, 5, 5};
    assert_same(rt_weighted_quantile(t, w, 4, 0.75), 5.0);
    assert_same(rt_weighted_quantile(t, w, 4, 0.76), 7.0);
    /* infinite values are ordinary values: 1 (w1), +inf (w3): median inf */
    const double iv[2] = {1.0, INFINITY};
    const double iw[2] = {1.0, 3.0};
    assert_same(rt_weighted_quantile(iv, iw, 2, 0.5), INFINITY);
    assert_same(rt_weighted_quantile(iv, iw, 2, 0.25), 1.0);
}

static void quantile_ignores_nan_and_nonpositive(void **state)
{
    (void)state;
    const double v[4] = {10, 20, 30, 40};
    /* only 20 and 30 carry weight: median target 1 -> 20; q=1 -> 30 */
    const double w_nan[4] = {NAN, 1, 1, NAN};
    assert_same(rt_weighted_quantile(v, w_nan, 4, 0.5), 20.0);
    assert_same(rt_weighted_quantile(v, w_nan, 4, 1.0), 30.0);
    /* negative and infinite weights are ignored the same way */
    const double w_neg[4] = {-5, 1, 1, INFINITY};
    assert_same(rt_weighted_quantile(v, w_neg, 4, 0.5), 20.0);
    assert_same(rt_weighted_quantile(v, w_neg, 4, 1.0), 30.0);
    /* a NaN value with a large weight is ignored: remaining 20 30 40 with
     * weight 1 each, median target 1.5 -> cum 1 at 20, 2 at 30 -> 30 */
    const double v_nan[4] = {NAN, 20, 30, 40};
    const double w_big[4] = {100, 1, 1, 1};
    assert_same(rt_weighted_quantile(v_nan, w_big, 4, 0.5), 30.0);
}

static void quantile_nan_cases(void **state)
{
    (void)state;
    const double v[3] = {1, 2, 3};
    const double zero[3] = {0, 0, 0};
    const double one[3] = {1, 1, 1};
    assert_true(isnan(rt_weighted_quantile(v, zero, 3, 0.5)));
    assert_true(isnan(rt_weighted_quantile(v, one, 0, 0.5)));
    assert_true(isnan(rt_weighted_quantile(v, one, 3, 0.0)));
    assert_true(isnan(rt_weighted_quantile(v, one, 3, 1.5)));
    assert_true(isnan(rt_weighted_quantile(v, one, 3, NAN)));
    assert_true(isnan(rt_weighted_quantile(NULL, one, 3, 0.5)));
    /* two finite weights whose total overflows: no answer rather than a
     * wrong one (the median of 1 and 2 at equal weight is 1) */
    const double huge[2] = {1e308, 1e308};
    assert_true(isnan(rt_weighted_quantile(v, huge, 2, 0.5)));
}

static void quantile_leaves_input_unchanged(void **state)
{
    (void)state;
    double v[6] = {3, NAN, 1, 2, 1, 9};
    double w[6] = {1, 2, NAN, 4, 0, 1};
    double v0[6], w0[6];
    memcpy(v0, v, sizeof(v));
    memcpy(w0, w, sizeof(w));
    /* weighted: 3 (1), 2 (4), 9 (1); total 6, median target 3: 2 (cum 4) */
    assert_same(rt_weighted_quantile(v, w, 6, 0.5), 2.0);
    assert_memory_equal(v, v0, sizeof(v));
    assert_memory_equal(w, w0, sizeof(w));
}

/* naive: the smallest value whose weight of values <= it reaches q total */
static double naive_quantile(const double *v, const double *w, int n, double q)
{
    double total = 0.0, best = NAN;
    for (int i = 0; i < n; i++)
        if (!isnan(v[i]) && w[i] > 0.0)
            total += w[i];
    for (int i = 0; i < n; i++) {
        if (isnan(v[i]) || !(w[i] > 0.0))
            continue;
        double cum = 0.0;
        for (int j = 0; j < n; j++)
            if (!isnan(v[j]) && w[j] > 0.0 && v[j] <= v[i])
                cum += w[j];
        if (cum >= q * total && (isnan(best) || v[i] < best))
            best = v[i];
    }
    return best;
}

static void quantile_matches_naive(void **state)
{
    (void)state;
    enum { N = 500 };
    static const double qs[] = {0.01, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.9, 0.99, 1.0};
    double v[N], w[N];
    uint64_t s = 12345;
    for (int round = 0; round < 20; round++) {
        int n = 1 + (int)(lcg_next(&s) % N);
        for (int i = 0; i < n; i++) {
            /* few distinct values (many ties), integer weights so that every
             * sum is exact whatever its order */
            v[i] = (double)(lcg_next(&s) % 37) - 10.0;
            uint64_t u = lcg_next(&s) % 10;
            w[i] = u == 0 ? NAN : (double)u - 2.0;
        }
        for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++)
            assert_same(rt_weighted_quantile(v, w, n, qs[k]), naive_quantile(v, w, n, qs[k]));
    }
}

/* ---- rt_stats_regions: a 4x3 grid by hand -------------------------------------------------- */

/* cell index = row * 4 + col, 25 m cells (625 m2).
 *
 *   region          pop            time_s              length_m
 *   0  0  1  1      10  20  5  0   100  300  200  900  1000 2500 1500 9000
 *   0  0  1 -1      50  20 15  7   600   80  inf   90  5000  800  nan  900
 *  -1  0  2  2       4  40 -3 nan   70  inf   20   30   700  nan  100  200
 *
 * region 0: cells 0 1 4 5 9, all populated: pop 10+20+50+20+40 = 140;
 *   reached (cells 0 1 4 5) 100, unreachable (cell 9) 40.
 *   time mean (10*100 + 20*300 + 50*600 + 20*80) / 100 = 38600 / 100 = 386.
 *   sorted: 80 (20), 100 (10), 300 (20), 600 (50); total 100.
 *   median target 50: cum 20, 30, 50 -> 300 (exactly at the target).
 *   p90 target 90: cum 50 at 300, 100 at 600 -> 600. max 600.
 *   length mean (10*1000 + 20*2500 + 50*5000 + 20*800) / 100 = 326000 / 100 = 3260;
 *   sorted 800 (20), 1000 (10), 2500 (20), 5000 (50): median 2500, p90 5000, max 5000.
 *   norm 0 (time 300 s): beyond = cell 4 (600 > 300) 50 + cell 9 (unreachable) 40 = 90;
 *     cell 1 with exactly 300 s is within. share 90 / 140.
 *   norm 1 (length 2000 m): beyond = cell 1 20 + cell 4 50 + cell 9 40 = 110; share 110 / 140.
 * region 1: cells 2 3 6. cell 3 has no population, so its 900 s does not
 *   count for the max. pop 5 + 15 = 20, reached 5 (cell 2), unreachable 15.
 *   time mean/median/p90/max all 200; length all 1500.
 *   norm 0: beyond 15 (cell 6), share 15 / 20; norm 1: beyond 15, share 15 / 20.
 * region 2: cells 10 (pop -3) and 11 (pop NaN): nobody. n_cells 2, area 1250,
 *   pops 0, beyond 0, everything else NaN.
 * outside (-1): cells 7 (7) and 8 (4): 11.
 */
#define GX 4
#define GY 3
#define GN (GX * GY)
static const int32_t g_region[GN] = {0, 0, 1, 1, 0, 0, 1, -1, -1, 0, 2, 2};
static const float g_pop[GN] = {10, 20, 5, 0, 50, 20, 15, 7, 4, 40, -3, NAN};
static const double g_time[GN] = {100, 300, 200, 900, 600, 80, INFINITY, 90, 70, INFINITY, 20, 30};
static const float g_len[GN] = {1000, 2500, 1500, 9000, 5000, 800, NAN, 900, 700, NAN, 100, 200};
static const rt_norm g_norms[2] = {{RT_NORM_TIME, .limit_s = 300.0},
                                   {RT_NORM_LENGTH, .limit_m = 2000.0}};

static rt_stats_input grid_input(void)
{
    rt_stats_input in = {
        .n_cells = GN,
        .cell_area_m2 = 625.0,
        .time_s = g_time,
        .length_m = g_len,
        .pop_persons = g_pop,
        .region = g_region,
        .norms = g_norms,
        .n_norms = 2,
    };
    return in;
}

static void check_grid_region0(const rt_region_stats *o)
{
    assert_int_equal(o->n_cells, 5);
    assert_same(o->area_m2, 3125.0);
    assert_same(o->pop_persons, 140.0);
    assert_same(o->pop_reached_persons, 100.0);
    assert_same(o->pop_unreachable_persons, 40.0);
    assert_same(o->time_mean_s, 386.0);
    assert_same(o->time_median_s, 300.0);
    assert_same(o->time_p90_s, 600.0);
    assert_same(o->time_max_s, 600.0);
    assert_same(o->length_mean_m, 3260.0);
    assert_same(o->length_median_m, 2500.0);
    assert_same(o->length_p90_m, 5000.0);
    assert_same(o->length_max_m, 5000.0);
    assert_same(o->pop_beyond_persons[0], 90.0);
    assert_same(o->share_beyond[0], 90.0 / 140.0);
    assert_same(o->pop_beyond_persons[1], 110.0);
    assert_same(o->share_beyond[1], 110.0 / 140.0);
    for (int k = 2; k < RT_STATS_MAX_NORMS; k++) {
        assert_true(isnan(o->pop_beyond_persons[k]));
        assert_true(isnan(o->share_beyond[k]));
    }
}

static void check_grid_region1(const rt_region_stats *o)
{
    assert_int_equal(o->n_cells, 3);
    assert_same(o->area_m2, 1875.0);
    assert_same(o->pop_persons, 20.0);
    assert_same(o->pop_reached_persons, 5.0);
    assert_same(o->pop_unreachable_persons, 15.0);
    assert_same(o->time_mean_s, 200.0);
    assert_same(o->time_median_s, 200.0);
    assert_same(o->time_p90_s, 200.0);
    assert_same(o->time_max_s, 200.0);
    assert_same(o->length_mean_m, 1500.0);
    assert_same(o->length_median_m, 1500.0);
    assert_same(o->length_p90_m, 1500.0);
    assert_same(o->length_max_m, 1500.0);
    assert_same(o->pop_beyond_persons[0], 15.0);
    assert_same(o->share_beyond[0], 0.75);
    assert_same(o->pop_beyond_persons[1], 15.0);
    assert_same(o->share_beyond[1], 0.75);
}

static void check_grid_region2(const rt_region_stats *o)
{
    assert_int_equal(o->n_cells, 2);
    assert_same(o->area_m2, 1250.0);
    assert_same(o->pop_persons, 0.0);
    assert_same(o->pop_reached_persons, 0.0);
    assert_same(o->pop_unreachable_persons, 0.0);
    assert_true(isnan(o->time_mean_s) && isnan(o->time_median_s) && isnan(o->time_p90_s));
    assert_true(isnan(o->time_max_s));
    assert_true(isnan(o->length_mean_m) && isnan(o->length_median_m) && isnan(o->length_p90_m));
    assert_true(isnan(o->length_max_m));
    assert_same(o->pop_beyond_persons[0], 0.0);
    assert_same(o->pop_beyond_persons[1], 0.0);
    assert_true(isnan(o->share_beyond[0]) && isnan(o->share_beyond[1]));
}

static void regions_grid_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    rt_stats_input in = grid_input();
    rt_region_stats out[3];
    double outside = -1.0;
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, &outside), RT_OK);
    check_grid_region0(&out[0]);
    check_grid_region1(&out[1]);
    check_grid_region2(&out[2]);
    assert_same(outside, 11.0);
}

static void regions_without_lengths(void **state)
{
    rt_ctx *ctx = *state;
    rt_stats_input in = grid_input();
    in.length_m = NULL;
    in.n_norms = 1; /* the time norm only */
    rt_region_stats out[3];
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_OK);
    /* time results as in the hand example, lengths all NaN */
    assert_same(out[0].time_mean_s, 386.0);
    assert_same(out[0].time_median_s, 300.0);
    assert_same(out[0].pop_beyond_persons[0], 90.0);
    assert_true(isnan(out[0].pop_beyond_persons[1]));
    for (int r = 0; r < 3; r++) {
        assert_true(isnan(out[r].length_mean_m) && isnan(out[r].length_median_m));
        assert_true(isnan(out[r].length_p90_m) && isnan(out[r].length_max_m));
    }
}

static void regions_extra_empty_region(void **state)
{
    rt_ctx *ctx = *state;
    rt_stats_input in = grid_input();
    in.n_norms = 0;
    /* region 3 has no cells at all: counts 0, the rest NaN */
    rt_region_stats out[4];
    assert_int_equal(rt_stats_regions(ctx, &in, 4, out, NULL), RT_OK);
    assert_int_equal(out[3].n_cells, 0);
    assert_same(out[3].area_m2, 0.0);
    assert_same(out[3].pop_persons, 0.0);
    assert_true(isnan(out[3].time_mean_s) && isnan(out[3].time_max_s));
    assert_same(out[0].time_p90_s, 600.0);
    for (int k = 0; k < RT_STATS_MAX_NORMS; k++)
        assert_true(isnan(out[0].pop_beyond_persons[k]) && isnan(out[0].share_beyond[k]));
}

/* ---- errors ------------------------------------------------------------------------------- */

static void regions_bad_region_index(void **state)
{
    rt_ctx *ctx = *state;
    int32_t region[GN];
    memcpy(region, g_region, sizeof(region));
    rt_stats_input in = grid_input();
    in.region = region;
    rt_region_stats out[3];

    region[10] = 3; /* n_regions is 3 */
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_ARG);
    assert_int_equal(rt_ctx_errcode(ctx), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "cell 10"));

    region[10] = 2;
    region[3] = -2; /* a cell without population is checked too */
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "cell 3"));
}

static void regions_bad_arguments(void **state)
{
    rt_ctx *ctx = *state;
    rt_stats_input in = grid_input();
    rt_region_stats out[3];

    in.length_m = NULL; /* norm 1 is a length norm */
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "norm 1"));

    in = grid_input();
    in.n_norms = RT_STATS_MAX_NORMS + 1;
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_ARG);
    in.n_norms = -1;
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_ARG);

    in = grid_input();
    assert_int_equal(rt_stats_regions(ctx, &in, -1, out, NULL), RT_E_ARG);
    assert_int_equal(rt_stats_regions(ctx, &in, 3, NULL, NULL), RT_E_ARG);
    assert_int_equal(rt_stats_regions(ctx, NULL, 3, out, NULL), RT_E_ARG);

    rt_norm nan_norm[1] = {{RT_NORM_TIME, .limit_s = NAN}};
    in.norms = nan_norm;
    in.n_norms = 1;
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_ARG);
}

static int cancel_now(double fraction, const char *stage, void *user)
{
    (void)fraction;
    (void)stage;
    (void)user;
    return 0;
}

/* goes on until the stage reports itself complete */
static int cancel_at_end(double fraction, const char *stage, void *user)
{
    (void)stage;
    (void)user;
    return fraction < 1.0;
}

static void regions_cancelled(void **state)
{
    rt_ctx *ctx = *state;
    rt_stats_input in = grid_input();
    rt_region_stats out[3];
    rt_ctx_set_progress(ctx, cancel_now, NULL);
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_CANCELLED);
    /* the last progress point counts too (rt_ctx.h: the call returns
     * RT_E_CANCELLED when the callback returns 0) */
    rt_ctx_set_progress(ctx, cancel_at_end, NULL);
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_E_CANCELLED);
    rt_ctx_set_progress(ctx, NULL, NULL);
    assert_int_equal(rt_stats_regions(ctx, &in, 3, out, NULL), RT_OK);
}

/* Norms of 0.41 and 0.82 minutes (24.6 and 49.2 s, which x * 60 rounds a
 * last bit below) and of 0.0246 km (x * 1000 a last bit below 24.6 m),
 * against a cell one step of 49.2 m at 0.5 s/m away (24.6 s as a search
 * sums it, a last bit above; 24.6 m as a Float32 length, 1.6e-8 above)
 * and one two steps away: at the limit by arithmetic, so within
 * (docs/methods.md). By hand, one person per cell: beyond 0.41 min 1 (the
 * second cell), beyond 0.82 min 0; beyond 0.0246 km 1 (49.2 m). 1e-6
 * above a limit is beyond it. */
static void regions_decimal_norms(void **state)
{
    rt_ctx *ctx = *state;
    const double step = 49.2 * 0.5;
    const double time[3] = {step, step + step, 0.41 * 60.0 * (1 + 1e-6)};
    const float len[3] = {24.6f, 49.2f, 0};
    const float pop[3] = {1, 1, 0};
    const int32_t region[3] = {0, 0, 0};
    assert_true(0.41 * 60.0 < time[0] && 0.82 * 60.0 < time[1]); /* the case */
    assert_true(0.0246 * 1000.0 < (double)len[0]);
    rt_norm norms[3] = {{RT_NORM_TIME, .limit_s = 0.41 * 60.0},
                        {RT_NORM_TIME, .limit_s = 0.82 * 60.0},
                        {RT_NORM_LENGTH, .limit_m = 0.0246 * 1000.0}};
    rt_stats_input in = {.n_cells = 3,
                         .cell_area_m2 = 1,
                         .time_s = time,
                         .length_m = len,
                         .pop_persons = pop,
                         .region = region,
                         .norms = norms,
                         .n_norms = 3};
    rt_region_stats out[1];
    assert_int_equal(rt_stats_regions(ctx, &in, 1, out, NULL), RT_OK);
    assert_true(out[0].pop_beyond_persons[0] == 1);
    assert_true(out[0].pop_beyond_persons[1] == 0);
    assert_true(out[0].pop_beyond_persons[2] == 1);
    assert_true(rt_norm_within(&norms[0], time[0]) && !rt_norm_within(&norms[0], time[2]));
}

static void regions_allocation_failures(void **state)
{
    rt_ctx *ctx = *state;
    rt_stats_input in = grid_input();
    rt_region_stats out[3];
    double outside = 0.0;
    int64_t k = 1;
    for (;; k++) {
        assert_true(k < 100);
        rti_ctx_fail_alloc_at(ctx, k);
        rt_status st = rt_stats_regions(ctx, &in, 3, out, &outside);
        if (st == RT_OK && rti_ctx_alloc_count(ctx) >= k)
            fail_msg("allocation %lld failed and the call succeeded all the same", (long long)k);
        if (st == RT_OK)
            break;
        assert_int_equal(st, RT_E_NOMEM);
        assert_true(rt_ctx_errmsg(ctx)[0] != '\0');
    }
    rti_ctx_fail_alloc_at(ctx, 0);
    assert_true(k > 1); /* at least one allocation was made to fail */
    check_grid_region0(&out[0]);
    check_grid_region1(&out[1]);
    check_grid_region2(&out[2]);
    assert_same(outside, 11.0);
}

/* ---- random cases ------------------------------------------------------------------------- */

typedef struct random_case {
    int64_t n;
    int32_t n_regions;
    double *time_s;
    float *length_m;
    float *pop;
    int32_t *region;
    rt_norm norms[3];
} random_case;

/* integral: populations and times are small integers, so every sum is exact */
static void random_case_make(random_case *rc, int64_t n, int32_t n_regions, uint64_t seed,
                             int integral)
{
    rc->n = n;
    rc->n_regions = n_regions;
    rc->time_s = malloc((size_t)n * sizeof(double));
    rc->length_m = malloc((size_t)n * sizeof(float));
    rc->pop = malloc((size_t)n * sizeof(float));
    rc->region = malloc((size_t)n * sizeof(int32_t));
    assert_true(rc->time_s && rc->length_m && rc->pop && rc->region);
    for (int64_t i = 0; i < n; i++) {
        uint64_t u = lcg_next(&seed);
        /* regions -1 .. n_regions - 2: the last region stays empty */
        rc->region[i] = (int32_t)(u % (uint64_t)n_regions) - 1;
        u = lcg_next(&seed);
        if (u % 50 == 0)
            rc->pop[i] = NAN;
        else if (u % 5 == 0)
            rc->pop[i] = 0.0f;
        else
            rc->pop[i] = integral ? (float)(u % 9 + 1) : (float)(u % 100000) / 37.0f;
        u = lcg_next(&seed);
        if (u % 10 == 0)
            rc->time_s[i] = INFINITY;
        else
            rc->time_s[i] = integral ? (double)(u % 60 * 30) : (double)(u % 1000000) / 7.0;
        u = lcg_next(&seed);
        rc->length_m[i] = u % 97 == 0 ? NAN : (float)(u % 400 * 25);
    }
    rc->norms[0] = (rt_norm){RT_NORM_TIME, .limit_s = 900.0};
    rc->norms[1] = (rt_norm){RT_NORM_LENGTH, .limit_m = 5000.0};
    rc->norms[2] = (rt_norm){RT_NORM_TIME, .limit_s = 30000.0};
}

static void random_case_free(random_case *rc)
{
    free(rc->time_s);
    free(rc->length_m);
    free(rc->pop);
    free(rc->region);
}

static rt_stats_input random_input(const random_case *rc)
{
    rt_stats_input in = {
        .n_cells = rc->n,
        .cell_area_m2 = 625.0,
        .time_s = rc->time_s,
        .length_m = rc->length_m,
        .pop_persons = rc->pop,
        .region = rc->region,
        .norms = rc->norms,
        .n_norms = 3,
    };
    return in;
}

static void regions_bit_identical_across_threads(void **state)
{
    rt_ctx *ctx = *state;
    enum { NR = 40 };
    random_case rc;
    random_case_make(&rc, 200000, NR, 2024, 0);
    rt_stats_input in = random_input(&rc);
    static const int threads[4] = {1, 2, 3, 8};
    rt_region_stats ref[NR], out[NR];
    double ref_outside = 0.0, outside = 0.0;
    for (int t = 0; t < 4; t++) {
        rt_ctx_set_threads(ctx, threads[t]);
        rt_region_stats *dst = t == 0 ? ref : out;
        assert_int_equal(rt_stats_regions(ctx, &in, NR, dst, t == 0 ? &ref_outside : &outside),
                         RT_OK);
        if (t > 0) {
            assert_memory_equal(out, ref, sizeof(ref));
            assert_memory_equal(&outside, &ref_outside, sizeof(outside));
        }
    }
    rt_ctx_set_threads(ctx, 0);
    /* the case is not degenerate: populated regions with both kinds of cells */
    assert_true(ref[0].pop_reached_persons > 0.0 && ref[0].pop_unreachable_persons > 0.0);
    assert_true(ref_outside > 0.0);
    assert_int_equal(ref[NR - 1].n_cells, 0);
    random_case_free(&rc);
}

/* naive statistics of region r: O(n^2) quantiles over the whole grid */
typedef struct naive_stats {
    int64_t n_cells;
    double pop, reached, unreached, mean, median, p90, max;
    double len_mean, len_median, len_p90, len_max;
    double beyond[3];
} naive_stats;

static int naive_pop(float p) { return p > 0.0f && isfinite(p); }

static double naive_region_quantile(const random_case *rc, int32_t r, int use_len, double q)
{
    double total = 0.0, best = NAN;
    for (int64_t j = 0; j < rc->n; j++)
        if (rc->region[j] == r && naive_pop(rc->pop[j]) && isfinite(rc->time_s[j]) &&
            (!use_len || isfinite(rc->length_m[j])))
            total += rc->pop[j];
    for (int64_t i = 0; i < rc->n; i++) {
        if (rc->region[i] != r || !naive_pop(rc->pop[i]) || !isfinite(rc->time_s[i]) ||
            (use_len && !isfinite(rc->length_m[i])))
            continue;
        double vi = use_len ? rc->length_m[i] : rc->time_s[i];
        double cum = 0.0;
        for (int64_t j = 0; j < rc->n; j++) {
            if (rc->region[j] != r || !naive_pop(rc->pop[j]) || !isfinite(rc->time_s[j]) ||
                (use_len && !isfinite(rc->length_m[j])))
                continue;
            double vj = use_len ? rc->length_m[j] : rc->time_s[j];
            if (vj <= vi)
                cum += rc->pop[j];
        }
        if (cum >= q * total && (isnan(best) || vi < best))
            best = vi;
    }
    return best;
}

static void naive_region(const random_case *rc, int32_t r, naive_stats *s)
{
    double pt = 0.0, pl = 0.0, wl = 0.0;
    memset(s, 0, sizeof(*s));
    s->max = s->len_max = -INFINITY;
    for (int64_t i = 0; i < rc->n; i++) {
        if (rc->region[i] != r)
            continue;
        s->n_cells++;
        if (!naive_pop(rc->pop[i]))
            continue;
        double p = rc->pop[i], t = rc->time_s[i], l = rc->length_m[i];
        s->pop += p;
        if (!isfinite(t)) {
            s->unreached += p;
            s->beyond[0] += p;
            s->beyond[1] += p;
            s->beyond[2] += p;
            continue;
        }
        s->reached += p;
        pt += p * t;
        s->max = t > s->max ? t : s->max;
        s->beyond[0] += t > 900.0 ? p : 0.0;
        s->beyond[1] += !(l <= 5000.0) ? p : 0.0;
        s->beyond[2] += t > 30000.0 ? p : 0.0;
        if (isfinite(l)) {
            wl += p;
            pl += p * l;
            s->len_max = l > s->len_max ? l : s->len_max;
        }
    }
    s->mean = s->reached > 0.0 ? pt / s->reached : NAN;
    s->len_mean = wl > 0.0 ? pl / wl : NAN;
    s->max = s->reached > 0.0 ? s->max : NAN;
    s->len_max = wl > 0.0 ? s->len_max : NAN;
    s->median = naive_region_quantile(rc, r, 0, 0.5);
    s->p90 = naive_region_quantile(rc, r, 0, 0.9);
    s->len_median = naive_region_quantile(rc, r, 1, 0.5);
    s->len_p90 = naive_region_quantile(rc, r, 1, 0.9);
}

static void regions_match_naive(void **state)
{
    rt_ctx *ctx = *state;
    enum { NR = 7 };
    random_case rc;
    random_case_make(&rc, 3000, NR, 77, 1);
    rt_stats_input in = random_input(&rc);
    rt_region_stats out[NR];
    assert_int_equal(rt_stats_regions(ctx, &in, NR, out, NULL), RT_OK);
    for (int32_t r = 0; r < NR; r++) {
        naive_stats s;
        naive_region(&rc, r, &s);
        const rt_region_stats *o = &out[r];
        assert_int_equal(o->n_cells, s.n_cells);
        assert_same(o->area_m2, 625.0 * (double)s.n_cells);
        assert_same(o->pop_persons, s.pop);
        assert_same(o->pop_reached_persons, s.reached);
        assert_same(o->pop_unreachable_persons, s.unreached);
        assert_same(o->time_mean_s, s.mean);
        assert_same(o->time_median_s, s.median);
        assert_same(o->time_p90_s, s.p90);
        assert_same(o->time_max_s, s.max);
        assert_same(o->length_mean_m, s.len_mean);
        assert_same(o->length_median_m, s.len_median);
        assert_same(o->length_p90_m, s.len_p90);
        assert_same(o->length_max_m, s.len_max);
        for (int k = 0; k < 3; k++) {
            assert_same(o->pop_beyond_persons[k], s.beyond[k]);
            assert_same(o->share_beyond[k], s.pop > 0.0 ? s.beyond[k] / s.pop : NAN);
        }
    }
    /* the last region gets no cells by construction */
    assert_int_equal(out[NR - 1].n_cells, 0);
    assert_true(out[0].pop_persons > 0.0);
    random_case_free(&rc);
}

/* Population that does not count: an infinite count inside a region
 * (cell 1, time 200 s) and outside (cell 4) and a negative one (cell 3)
 * are left out; the outside total is the one finite count outside (2). */
static void regions_leave_out_unusable_population(void **state)
{
    rt_ctx *ctx = *state;
    const int32_t reg[5] = {0, 0, -1, -1, -1};
    const float pop[5] = {2, INFINITY, 2, -1, INFINITY};
    const double t[5] = {100, 200, 10, 10, 10};
    rt_stats_input in;
    rt_stats_input_init(&in);
    in.n_cells = 5;
    in.time_s = t;
    in.pop_persons = pop;
    in.region = reg;
    in.cell_area_m2 = 1;
    rt_region_stats o[1];
    double outside = -1;
    assert_int_equal(rt_stats_regions(ctx, &in, 1, o, &outside), RT_OK);
    assert_true(outside == 2.0);
    assert_true(o[0].pop_persons == 2.0 && o[0].n_cells == 2);
    assert_true(o[0].time_mean_s == 100.0 && o[0].time_max_s == 100.0);
}

/* An order that defeats median-of-three pivots (McIlroy's adversary for
 * 48 values) sends the sort to its heap sort: unit weights on a
 * permutation of 1..48, so the quantile (k - 0.5) / 48 is k. */
static void quantile_of_an_adversarial_order(void **state)
{
    (void)state;
    static const double v[48] = {1,  48, 3,  46, 5,  47, 7,  45, 9,  44, 11, 43, 13, 42, 15, 41,
                                 17, 40, 19, 39, 24, 38, 23, 37, 2,  4,  6,  8,  10, 12, 14, 16,
                                 18, 20, 22, 21, 31, 35, 34, 33, 32, 36, 30, 29, 28, 27, 26, 25};
    double w[48];
    for (int i = 0; i < 48; i++)
        w[i] = 1;
    for (int k = 1; k <= 48; k++)
        assert_true(rt_weighted_quantile(v, w, 48, (k - 0.5) / 48) == k);
    assert_true(rt_weighted_quantile(v, w, 48, 1.0) == 48);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantile_equal_weights),
        cmocka_unit_test(quantile_unequal_weights),
        cmocka_unit_test(quantile_unsorted_and_ties),
        cmocka_unit_test(quantile_ignores_nan_and_nonpositive),
        cmocka_unit_test(quantile_nan_cases),
        cmocka_unit_test(quantile_leaves_input_unchanged),
        cmocka_unit_test(quantile_matches_naive),
        cmocka_unit_test(quantile_of_an_adversarial_order),
        cmocka_unit_test_setup_teardown(regions_leave_out_unusable_population, setup_ctx,
                                        teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_grid_by_hand, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_without_lengths, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_extra_empty_region, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_bad_region_index, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_bad_arguments, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_cancelled, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_decimal_norms, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_allocation_failures, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_bit_identical_across_threads, setup_ctx,
                                        teardown_ctx),
        cmocka_unit_test_setup_teardown(regions_match_naive, setup_ctx, teardown_ctx),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
