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

/* The study's worst decile over every populated cell: the lower weighted
 * 10 % quantile of x, or for a cost (NaN: none within reach, taken as
 * infinite) the 90 % quantile. */
static double worst_decile(rt_ctx *ctx, const double *x, const float *pop, int64_t n, int cost_like,
                           int *ok)
{
    double *w = rti_alloc_array_uninit(ctx, n > 0 ? n : 1, sizeof(double), "measure weights");
    double *v = cost_like
                    ? rti_alloc_array_uninit(ctx, n > 0 ? n : 1, sizeof(double), "measure weights")
                    : NULL;
    *ok = w && (v || !cost_like);
    double q = NAN;
    if (*ok) {
        for (int64_t c = 0; c < n; c++) {
            w[c] = weight_of(pop, c);
            if (v)
                v[c] = isnan(x[c]) ? INFINITY : x[c];
        }
        *ok = rti_weighted_quantile(ctx, v ? v : x, w, n, cost_like ? 0.9 : 0.1, &q) == RT_OK;
    }
    free(w);
    free(v);
    return q;
}

/* The row of one region from its entries e[0 .. n-1], sorted by value
 * (a cost with none within reach is infinite and comes last). */
static void region_row(const entry *e, int64_t n, double q, int cost_like, rti_measure_region *r)
{
    double W = 0, Wx = 0, sx = 0, worst = 0, none = 0;
    int64_t nf = 0; /* entries with a finite value: the first nf */
    for (int64_t i = 0; i < n; i++) {
        W += e[i].p;
        worst += (cost_like ? e[i].x >= q : e[i].x <= q) ? e[i].p : 0.0;
        none += (cost_like ? e[i].x == INFINITY : e[i].x == 0) ? e[i].p : 0.0;
        if (e[i].x < INFINITY) {
            Wx += e[i].p;
            sx += e[i].p * e[i].x;
            nf++;
        }
    }
    r->pop_persons = W;
    r->pop_zero_persons = none;
    r->worst_decile_share = W > 0 ? worst / W : NAN;
    if (!(Wx > 0)) {
        r->mean = r->gini = NAN;
        return;
    }
    r->mean = sx / Wx;
    /* sum_i sum_k p_i p_k |x_i - x_k| = 2 sum_i p_i x_i (P_below_i - P_above_i),
     * with the entries sorted by x (ties add nothing either way) */
    double below = 0, pair = 0;
    for (int64_t i = 0; i < nf; i++) {
        const double above = Wx - below - e[i].p;
        pair += e[i].p * e[i].x * (below - above);
        below += e[i].p;
    }
    r->gini = sx > 0 ? pair / (Wx * sx) : NAN;
}

/* A cell of a region with people: an entry (a cost's NaN as infinite). */
static inline int counts(const double *x, const float *pop, const int32_t *region, int32_t nr,
                         int cost_like, int64_t c)
{
    return region[c] >= 0 && region[c] < nr && (cost_like || !isnan(x[c])) && weight_of(pop, c) > 0;
}

rt_status rti_measure_regions(rt_ctx *ctx, const double *x, const float *pop, const int32_t *region,
                              int64_t n_cells, int32_t n_regions, int cost_like,
                              rti_measure_region *out)
{
    if (!x || !region || n_cells < 0 || n_regions < 0)
        return rti_error(ctx, RT_E_ARG, "measure statistics: no cells or regions");
    int ok;
    const double q = worst_decile(ctx, x, pop, n_cells, cost_like, &ok);
    if (!ok)
        return RT_E_NOMEM;
    int64_t m = 0;
    for (int64_t c = 0; c < n_cells; c++)
        m += counts(x, pop, region, n_regions, cost_like, c);
    entry *e = rti_alloc_array_uninit(ctx, m > 0 ? m : 1, sizeof(entry), "measure statistics");
    if (!e)
        return RT_E_NOMEM;
    int64_t k = 0;
    for (int64_t c = 0; c < n_cells; c++)
        if (counts(x, pop, region, n_regions, cost_like, c))
            e[k++] = (entry){region[c], isnan(x[c]) ? INFINITY : x[c], weight_of(pop, c), c};
    qsort(e, (size_t)m, sizeof(entry), entry_cmp);
    int64_t i = 0;
    for (int32_t r = 0; r < n_regions; r++) {
        int64_t j = i;
        while (j < m && e[j].region == r)
            j++;
        region_row(e + i, j - i, q, cost_like, &out[r]);
        i = j;
    }
    free(e);
    return RT_OK;
}
