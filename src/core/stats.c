/* Population-weighted statistics of per-cell travel times per region.
 *
 * Layout of the work (docs/methods.md, "Statistics per region"):
 *   1. one sequential pass validates the region index of every cell, counts
 *      cells per region and populated cells per region, and sums the
 *      population outside every region in cell order;
 *   2. a counting sort scatters the indices of populated cells so that each
 *      region's cells are contiguous and in cell order (8 bytes per
 *      populated cell, plus one int64 per region);
 *   3. regions are processed in parallel, one region per thread at a time.
 *      Every sum of a region is made by one thread in cell order, and the
 *      quantiles sort that region's indices by (value, cell index), a total
 *      order, so the output is bit-identical for any thread count.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_stats.h"

#define STAGE "regional statistics"
#define SORT_SMALL 16

/* A per-cell array of doubles or of floats (exactly one is non-NULL), used
 * both for sort keys and for weights. */
typedef struct key_src {
    const double *d;
    const float *f;
} key_src;

static inline double key_at(key_src k, int64_t i)
{
    /* exactly one of d and f is set */
    return k.d ? k.d[i] : (double)k.f[i]; // NOLINT(clang-analyzer-core.NullDereference)
}

/* Total order on cell indices: by key, then by index. Keys are never NaN. */
static inline int key_less(key_src k, int64_t a, int64_t b)
{
    double ka = key_at(k, a);
    double kb = key_at(k, b);
    return ka < kb || (ka == kb && a < b);
}

static inline void swap_idx(int64_t *v, int64_t a, int64_t b)
{
    int64_t t = v[a];
    v[a] = v[b];
    v[b] = t;
}

static inline int has_pop(float p) { return p > 0.0f && p <= FLT_MAX; }

static void insertion_sort(key_src k, int64_t *v, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        int64_t x = v[i];
        int64_t j = i;
        for (; j > 0 && key_less(k, x, v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static void sift_down(key_src k, int64_t *v, int64_t root, int64_t n)
{
    int64_t x = v[root];
    for (;;) {
        int64_t c = 2 * root + 1;
        if (c >= n)
            break;
        if (c + 1 < n && key_less(k, v[c], v[c + 1]))
            c++;
        if (!key_less(k, x, v[c]))
            break;
        v[root] = v[c];
        root = c;
    }
    v[root] = x;
}

static void heap_sort(key_src k, int64_t *v, int64_t n)
{
    for (int64_t i = n / 2; i-- > 0;)
        sift_down(k, v, i, n);
    for (int64_t end = n - 1; end > 0; end--) {
        swap_idx(v, 0, end);
        sift_down(k, v, 0, end);
    }
}

/* Hoare partition around the median of first, middle and last; returns j
 * such that v[0..j] <= pivot <= v[j+1..n-1], with 0 <= j < n - 1. */
static int64_t partition_median3(key_src k, int64_t *v, int64_t n)
{
    int64_t m = n / 2;
    if (key_less(k, v[m], v[0]))
        swap_idx(v, 0, m);
    if (key_less(k, v[n - 1], v[m])) {
        swap_idx(v, m, n - 1);
        if (key_less(k, v[m], v[0]))
            swap_idx(v, 0, m);
    }
    int64_t pivot = v[m];
    int64_t i = -1;
    int64_t j = n;
    for (;;) {
        do
            i++;
        while (key_less(k, v[i], pivot));
        do
            j--;
        while (key_less(k, pivot, v[j]));
        if (i >= j)
            return j;
        swap_idx(v, i, j);
    }
}

/* Introsort of cell indices by (key, index): O(n log n) worst case, no extra
 * memory beyond O(log n) stack. The order is total, so the result does not
 * depend on the algorithm. */
static void sort_by_key(key_src k, int64_t *v, int64_t n)
{
    int depth = 2;
    for (int64_t m = n; m > 1; m >>= 1)
        depth += 2;
    while (n > SORT_SMALL) {
        if (depth-- == 0) {
            heap_sort(k, v, n);
            return;
        }
        int64_t j = partition_median3(k, v, n) + 1;
        if (j < n - j) {
            sort_by_key(k, v, j);
            v += j;
            n -= j;
        } else {
            sort_by_key(k, v + j, n - j);
            n = j;
        }
    }
    insertion_sort(k, v, n);
}

/* Lower weighted quantiles of the keys of v[0..n-1], which is sorted by key
 * and has only positive weights, for ascending targets q[0..nq-1]. The total
 * is summed in the same order as the running sum, so the running sum ends
 * exactly at the total and q = 1 always finds the largest key. Equal keys
 * are added up before the test, so their order does not matter. */
static void sorted_quantiles(key_src key, key_src w, const int64_t *v, int64_t n, int nq,
                             const double *q, double *res)
{
    double total = 0.0;
    for (int64_t i = 0; i < n; i++)
        total += key_at(w, v[i]);
    for (int j = 0; j < nq; j++)
        res[j] = NAN;
    if (!(total > 0.0) || !(total < INFINITY)) /* weights whose total overflows: none */
        return;
    double cum = 0.0;
    int64_t i = 0;
    int j = 0;
    while (i < n && j < nq) {
        double x = key_at(key, v[i]);
        for (; i < n && key_at(key, v[i]) == x; i++)
            cum += key_at(w, v[i]);
        for (; j < nq && cum >= q[j] * total; j++)
            res[j] = x;
    }
}

/* Whether pair i counts: a value that is not NaN with a weight in (0,
 * DBL_MAX]. */
static int quantile_pair(const double *values, const double *weights, int64_t i)
{
    return !isnan(values[i]) && weights[i] > 0.0 && weights[i] <= DBL_MAX;
}

/* The pairs that count. */
static int64_t quantile_pairs(const double *values, const double *weights, int64_t n)
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        m += quantile_pair(values, weights, i);
    return m;
}

/* The quantile over the m pairs that count, with v room for m indices. */
static double quantile_of(const double *values, const double *weights, int64_t n, double q,
                          int64_t *v)
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (quantile_pair(values, weights, i))
            v[m++] = i;
    key_src key = {values, NULL};
    key_src w = {weights, NULL};
    sort_by_key(key, v, m);
    double res;
    sorted_quantiles(key, w, v, m, 1, &q, &res);
    return res;
}

double rt_weighted_quantile(const double *values, const double *weights, int64_t n, double q)
{
    if (!(q > 0.0 && q <= 1.0) || n <= 0 || !values || !weights)
        return NAN;
    const int64_t m = quantile_pairs(values, weights, n);
    if (m == 0 || (uint64_t)m > SIZE_MAX / sizeof(int64_t))
        return NAN;
    /* No context to report through: out of memory is reported as NaN
     * (rti_weighted_quantile tells it apart). */
    int64_t *v = malloc((size_t)m * sizeof(*v));
    if (!v)
        return NAN;
    const double res = quantile_of(values, weights, n, q, v);
    free(v);
    return res;
}

rt_status rti_weighted_quantile(rt_ctx *ctx, const double *values, const double *weights, int64_t n,
                                double q, double *out)
{
    *out = NAN;
    if (!(q > 0.0 && q <= 1.0) || n <= 0 || !values || !weights)
        return RT_OK;
    const int64_t m = quantile_pairs(values, weights, n);
    if (m == 0)
        return RT_OK;
    int64_t *v = rti_alloc_array_uninit(ctx, m, sizeof(*v), "quantile");
    if (!v)
        return RT_E_NOMEM;
    *out = quantile_of(values, weights, n, q, v);
    free(v);
    return RT_OK;
}

/* A populated cell is within a norm only when it is reached and its value
 * is known and at most the limit; every other populated cell is beyond. */
static int within_norm(const rt_stats_input *in, const rt_norm *norm, int64_t c)
{
    double t = in->time_s[c];
    if (!isfinite(t))
        return 0;
    if (norm->kind == RT_NORM_TIME)
        return rt_norm_within(norm, t);
    /* check_norms refused a length norm without length_m */
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
    return rt_norm_within(norm, (double)in->length_m[c]);
}

/* Moves the cells satisfying keep() to the front of v (order not kept; the
 * following sort restores a unique order) and returns their count. */
static int64_t partition_front(const rt_stats_input *in, int64_t *v, int64_t n,
                               int (*keep)(const rt_stats_input *, int64_t))
{
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (keep(in, v[i]))
            swap_idx(v, m++, i);
    return m;
}

static int is_reached(const rt_stats_input *in, int64_t c) { return isfinite(in->time_s[c]); }
static int has_length(const rt_stats_input *in, int64_t c) { return isfinite(in->length_m[c]); }

/* Sums over the populated cells v[0..n-1] of one region, in cell order. */
static void region_sums(const rt_stats_input *in, const int64_t *v, int64_t n, rt_region_stats *o)
{
    double pop = 0.0, reached = 0.0, unreached = 0.0, pt = 0.0, pl = 0.0, w_len = 0.0;
    double beyond[RT_STATS_MAX_NORMS] = {0.0};
    for (int64_t i = 0; i < n; i++) {
        int64_t c = v[i];
        double p = (double)in->pop_persons[c];
        double t = in->time_s[c];
        pop += p;
        if (isfinite(t)) {
            reached += p;
            pt += p * t;
            if (in->length_m && isfinite(in->length_m[c])) {
                w_len += p;
                pl += p * (double)in->length_m[c];
            }
        } else {
            unreached += p;
        }
        for (int k = 0; k < in->n_norms; k++)
            if (!within_norm(in, &in->norms[k], c))
                beyond[k] += p;
    }
    o->pop_persons = pop;
    o->pop_reached_persons = reached;
    o->pop_unreachable_persons = unreached;
    o->time_mean_s = reached > 0.0 ? pt / reached : NAN;
    o->length_mean_m = w_len > 0.0 ? pl / w_len : NAN;
    for (int k = 0; k < RT_STATS_MAX_NORMS; k++) {
        o->pop_beyond_persons[k] = k < in->n_norms ? beyond[k] : NAN;
        o->share_beyond[k] = k < in->n_norms && pop > 0.0 ? beyond[k] / pop : NAN;
    }
}

/* Median, p90 and max of the key over v[0..n-1], weighted by population;
 * sorts v. */
static void region_quantiles(key_src key, const float *pop, int64_t *v, int64_t n, double *median,
                             double *p90, double *max)
{
    static const double q[2] = {0.5, 0.9};
    double res[2];
    key_src w = {NULL, pop};
    sort_by_key(key, v, n);
    sorted_quantiles(key, w, v, n, 2, q, res);
    *median = res[0];
    *p90 = res[1];
    *max = n > 0 ? key_at(key, v[n - 1]) : NAN;
}

/* Fills o (whose n_cells is already counted) from the populated cells
 * v[0..n-1] of one region, given in cell order. Reorders v. */
static void region_compute(const rt_stats_input *in, int64_t *v, int64_t n, rt_region_stats *o)
{
    o->area_m2 = (double)o->n_cells * in->cell_area_m2;
    region_sums(in, v, n, o);
    int64_t n_reached = partition_front(in, v, n, is_reached);
    key_src time = {in->time_s, NULL};
    region_quantiles(time, in->pop_persons, v, n_reached, &o->time_median_s, &o->time_p90_s,
                     &o->time_max_s);
    if (!in->length_m) {
        o->length_median_m = o->length_p90_m = o->length_max_m = NAN;
        return;
    }
    int64_t n_len = partition_front(in, v, n_reached, has_length);
    key_src len = {NULL, in->length_m};
    region_quantiles(len, in->pop_persons, v, n_len, &o->length_median_m, &o->length_p90_m,
                     &o->length_max_m);
}

static rt_status check_norms(rt_ctx *ctx, const rt_stats_input *in)
{
    if (in->n_norms < 0 || in->n_norms > RT_STATS_MAX_NORMS)
        return rti_error(ctx, RT_E_ARG, STAGE ": %d norms given, at most %d are allowed",
                         in->n_norms, RT_STATS_MAX_NORMS);
    if (in->n_norms > 0 && !in->norms)
        return rti_error(ctx, RT_E_ARG, STAGE ": %d norms given but no norm array", in->n_norms);
    for (int k = 0; k < in->n_norms; k++) {
        const rt_norm *norm = &in->norms[k];
        if (norm->kind != RT_NORM_TIME && norm->kind != RT_NORM_LENGTH)
            return rti_error(ctx, RT_E_ARG, STAGE ": norm %d has unknown kind %d", k,
                             (int)norm->kind);
        if (isnan(rt_norm_limit(norm)))
            return rti_error(ctx, RT_E_ARG, STAGE ": norm %d has a NaN limit", k);
        if (norm->kind == RT_NORM_LENGTH && !in->length_m)
            return rti_error(ctx, RT_E_ARG,
                             STAGE ": norm %d is a route-length norm but no route lengths "
                                   "(length_m) were given",
                             k);
    }
    return RT_OK;
}

static rt_status check_input(rt_ctx *ctx, const rt_stats_input *in, int32_t n_regions,
                             const rt_region_stats *out)
{
    if (!in)
        return rti_error(ctx, RT_E_ARG, STAGE ": no input");
    if (n_regions < 0 || (n_regions > 0 && !out))
        return rti_error(ctx, RT_E_ARG, STAGE ": %d regions with %s output array", (int)n_regions,
                         out ? "an" : "no");
    if (in->n_cells < 0)
        return rti_error(ctx, RT_E_ARG, STAGE ": negative cell count %lld", (long long)in->n_cells);
    if (in->n_cells > 0 && (!in->time_s || !in->pop_persons || !in->region))
        return rti_error(ctx, RT_E_ARG, STAGE ": time_s, pop_persons and region are required");
    if (!(in->cell_area_m2 >= 0.0 && in->cell_area_m2 <= DBL_MAX))
        return rti_error(ctx, RT_E_ARG, STAGE ": cell area %g m2 is not a finite number >= 0",
                         in->cell_area_m2);
    return check_norms(ctx, in);
}

/* Pass 1: validates region indices, counts all cells per region into
 * out[r].n_cells and populated cells per region into count[r + 1], and sums
 * the population outside every region in cell order. */
static rt_status count_cells(rt_ctx *ctx, const rt_stats_input *in, int32_t n_regions,
                             rt_region_stats *out, int64_t *count, double *pop_outside)
{
    double outside = 0.0;
    for (int64_t i = 0; i < in->n_cells; i++) {
        int32_t r = in->region[i];
        float p = in->pop_persons[i];
        if (r < -1 || r >= n_regions)
            return rti_error(ctx, RT_E_ARG,
                             STAGE ": cell %lld: region index %d is neither -1 (none) nor in "
                                   "0 .. %d",
                             (long long)i, (int)r, (int)n_regions - 1);
        if (r == -1) {
            if (has_pop(p))
                outside += (double)p;
            continue;
        }
        out[r].n_cells++;
        count[r + 1] += has_pop(p);
    }
    *pop_outside = outside;
    return RT_OK;
}

/* Pass 2: turns counts into region starts and scatters the populated cells
 * so that region r owns idx[start[r] .. start[r + 1] - 1], in cell order. */
static void scatter_cells(const rt_stats_input *in, int32_t n_regions, int64_t *start, int64_t *idx)
{
    for (int32_t r = 0; r < n_regions; r++)
        start[r + 1] += start[r];
    for (int64_t i = 0; i < in->n_cells; i++) {
        int32_t r = in->region[i];
        if (r >= 0 && has_pop(in->pop_persons[i]))
            idx[start[r]++] = i;
    }
    /* start[r] now holds the end of region r, i.e. the start of r + 1 */
    for (int32_t r = n_regions; r > 0; r--)
        start[r] = start[r - 1];
    start[0] = 0;
}

void rt_stats_input_init(rt_stats_input *in)
{
    if (!in)
        return;
    memset(in, 0, sizeof(*in));
    in->struct_size = sizeof(*in);
}

rt_status rt_stats_regions(rt_ctx *ctx, const rt_stats_input *caller_in, int32_t n_regions,
                           rt_region_stats *out, double *pop_outside_persons)
{
    if (!ctx)
        return RT_E_ARG;
    rt_stats_input own;
    rt_stats_input_init(&own);
    const rt_stats_input *in = caller_in ? &own : NULL;
    rt_status st = caller_in ? rti_struct_in(ctx, caller_in, RTI_V1_BYTES(rt_stats_input, n_norms),
                                             sizeof(own), &own, STAGE ": rt_stats_input")
                             : RT_OK;
    if (st == RT_OK)
        st = check_input(ctx, in, n_regions, out);
    if (st != RT_OK)
        return st;
    if (!rti_progress(ctx, 0.0, STAGE))
        return rti_error(ctx, RT_E_CANCELLED, STAGE ": cancelled");
    uint64_t start_bytes = ((uint64_t)n_regions + 1) * sizeof(int64_t);
    st = rti_budget_check(ctx, start_bytes, STAGE);
    if (st != RT_OK)
        return st;
    int64_t *idx = NULL;
    int64_t *start =
        rti_malloc_array(ctx, (int64_t)n_regions + 1, sizeof(*start), STAGE ": region offsets");
    if (!start)
        return RT_E_NOMEM;
    if (n_regions > 0)
        memset(out, 0, (size_t)n_regions * sizeof(*out));
    double outside = 0.0;
    st = count_cells(ctx, in, n_regions, out, start, &outside);
    if (st != RT_OK)
        goto done;
    int64_t n_pop = 0;
    for (int32_t r = 0; r < n_regions; r++)
        n_pop += start[r + 1];
    st = rti_budget_check(ctx, start_bytes + (uint64_t)n_pop * sizeof(int64_t), STAGE);
    if (st != RT_OK)
        goto done;
    idx = rti_malloc_array(ctx, n_pop, sizeof(*idx), STAGE ": populated cells");
    if (!idx) {
        st = RT_E_NOMEM;
        goto done;
    }
    scatter_cells(in, n_regions, start, idx);
    if (!rti_progress(ctx, 0.5, STAGE)) {
        st = rti_error(ctx, RT_E_CANCELLED, STAGE ": cancelled");
        goto done;
    }
#pragma omp parallel for schedule(dynamic) num_threads(rti_threads(ctx))
    for (int32_t r = 0; r < n_regions; r++)
        region_compute(in, idx + start[r], start[r + 1] - start[r], &out[r]);
    if (pop_outside_persons)
        *pop_outside_persons = outside;
    if (!rti_progress(ctx, 1.0, STAGE))
        st = rti_error(ctx, RT_E_CANCELLED, STAGE ": cancelled");
done:
    free(idx);
    free(start);
    return st;
}
