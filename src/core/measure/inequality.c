/* Per region statistics of a per-cell measure: the population-weighted
 * mean, Gini and share of the population in the study's worst decile
 * (measure.h). */
#include <math.h>
#include <stdlib.h>

#include "core/measure/measure.h"
#include "reistijd/rt_stats.h"

typedef struct entry {
    int32_t region;
    double x, p;
    int64_t cell;
} entry;

static int entry_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->cell < b->cell ? -1 : a->cell > b->cell;
}

static inline double weight_of(const float *pop, int64_t c)
{
    if (!pop)
        return 1.0;
    const float p = pop[c];
    return p > 0 && p < INFINITY ? (double)p : 0.0;
}

/* The lower weighted 10 % quantile of x over every populated cell. */
static double worst_decile(rt_ctx *ctx, const double *x, const float *pop, int64_t n, int *ok)
{
    double *w = rti_alloc_array_uninit(ctx, n > 0 ? n : 1, sizeof(double), "measure weights");
    *ok = w != NULL;
    if (!w)
        return NAN;
    for (int64_t c = 0; c < n; c++)
        w[c] = weight_of(pop, c);
    double q = rt_weighted_quantile(x, w, n, 0.1);
    free(w);
    return q;
}

/* The row of one region from its entries e[0 .. n-1], sorted by value. */
static void region_row(const entry *e, int64_t n, double q10, rti_measure_region *r)
{
    double W = 0, sx = 0, low = 0, zero = 0;
    for (int64_t i = 0; i < n; i++) {
        W += e[i].p;
        zero += e[i].x == 0 ? e[i].p : 0.0;
        sx += e[i].p * e[i].x;
        if (e[i].x <= q10)
            low += e[i].p;
    }
    r->pop_persons = W;
    r->pop_zero_persons = zero;
    if (!(W > 0)) {
        r->mean = r->gini = r->worst_decile_share = NAN;
        return;
    }
    r->mean = sx / W;
    r->worst_decile_share = low / W;
    /* sum_i sum_k p_i p_k |x_i - x_k| = 2 sum_i p_i x_i (P_below_i - P_above_i),
     * with the entries sorted by x (ties add nothing either way) */
    double below = 0, pair = 0;
    for (int64_t i = 0; i < n; i++) {
        const double above = W - below - e[i].p;
        pair += e[i].p * e[i].x * (below - above);
        below += e[i].p;
    }
    r->gini = sx > 0 ? pair / (W * sx) : NAN;
}

rt_status rti_measure_regions(rt_ctx *ctx, const double *x, const float *pop, const int32_t *region,
                              int64_t n_cells, int32_t n_regions, rti_measure_region *out)
{
    if (!x || !region || n_cells < 0 || n_regions < 0)
        return rti_error(ctx, RT_E_ARG, "measure statistics: no cells or regions");
    int ok;
    const double q10 = worst_decile(ctx, x, pop, n_cells, &ok);
    if (!ok)
        return RT_E_NOMEM;
    int64_t m = 0;
    for (int64_t c = 0; c < n_cells; c++)
        m += region[c] >= 0 && region[c] < n_regions && !isnan(x[c]) && weight_of(pop, c) > 0;
    entry *e = rti_alloc_array_uninit(ctx, m > 0 ? m : 1, sizeof(entry), "measure statistics");
    if (!e)
        return RT_E_NOMEM;
    int64_t k = 0;
    for (int64_t c = 0; c < n_cells; c++)
        if (region[c] >= 0 && region[c] < n_regions && !isnan(x[c]) && weight_of(pop, c) > 0)
            e[k++] = (entry){region[c], x[c], weight_of(pop, c), c};
    qsort(e, (size_t)m, sizeof(entry), entry_cmp);
    int64_t i = 0;
    for (int32_t r = 0; r < n_regions; r++) {
        int64_t j = i;
        while (j < m && e[j].region == r)
            j++;
        region_row(e + i, j - i, q10, &out[r]);
        i = j;
    }
    free(e);
    return RT_OK;
}
