/* The measures of measure.h over the passes of rti_reach_pass. Each pass
 * searches every facility once; a per-facility sum runs over the
 * facility's reach in its search order, a per-cell sum over the facilities
 * in their order. Formulas: docs/methods.md, "Measures beyond the
 * nearest". */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/measure/measure.h"

const char *const RTI_MEASURE_NAMES[] = {
    "count",       "capacity",       "gravity", "2sfca",
    "e2sfca",      "3sfca",          "bfca",    "spatial_availability",
    "kth_nearest", "balancing_cost", NULL};
_Static_assert(sizeof(RTI_MEASURE_NAMES) / sizeof(RTI_MEASURE_NAMES[0]) == RTI_MEASURE_KINDS + 1,
               "a name for every kind of measure");

int rti_measure_is_fca(rti_measure_kind k)
{
    return k == RTI_MEASURE_2SFCA || k == RTI_MEASURE_E2SFCA || k == RTI_MEASURE_3SFCA ||
           k == RTI_MEASURE_BFCA || k == RTI_MEASURE_SPAVAIL;
}

int rti_measure_is_cost(rti_measure_kind k)
{
    return k == RTI_MEASURE_KTH || k == RTI_MEASURE_BALANCING;
}

typedef struct mstate {
    const rti_measure *m;
    const double *cap; /* NULL: 1 each */
    const float *pop;  /* NULL: 1 each */
    double *out;       /* per cell */
    double *row;       /* per cell: sum over facilities of the weights (3SFCA, BFCA) */
    double *ratio;     /* per facility: supply per weighted person, over scale */
    double *scale;     /* per facility: what its weights are divided by (catchments) */
    double *col;       /* per facility: sum over cells of the weights (BFCA) */
    double *best;      /* per cell: the k smallest costs, ascending (k-th nearest) */
    int64_t *at;       /* per cell: where its pairs go (balancing cost) */
    struct pair *pairs;
} mstate;

static inline double cap_of(const mstate *s, int32_t j) { return s->cap ? s->cap[j] : 1.0; }

static inline double pop_of(const mstate *s, uint32_t c)
{
    if (!s->pop)
        return 1.0;
    const float p = s->pop[c];
    return p > 0 && p < INFINITY ? (double)p : 0.0;
}

static inline double weight(const mstate *s, double cost)
{
    return rti_decay_weight(&s->m->decay, cost, s->m->unit);
}

/* ---- cumulative and gravity ---- */

static void cell_count(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    (void)j;
    (void)cost;
    s->out[c] += 1.0;
}

static void cell_capacity(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    (void)cost;
    s->out[c] += cap_of(s, j);
}

static void cell_gravity(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    s->out[c] += cap_of(s, j) * weight(s, cost);
}

/* The k-th nearest: cost c goes into the cell's k smallest, kept in
 * ascending order (a cost equal to one kept goes after it). */
static void cell_kth(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    (void)j;
    const int k = s->m->k;
    double *b = s->best + (int64_t)c * k;
    if (!(cost < b[k - 1]))
        return;
    int i = k - 1;
    for (; i > 0 && cost < b[i - 1]; i--)
        b[i] = b[i - 1];
    b[i] = cost;
}

static rt_status kth_nearest(rt_ctx *ctx, const rti_measure_input *in, mstate *s, double *out)
{
    const int64_t n = rti_reach_cells(in->medium);
    const int k = s->m->k;
    s->best = rti_alloc_array_uninit(ctx, n * k, sizeof(double), "k nearest costs");
    if (!s->best)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < n * k; i++)
        s->best[i] = INFINITY;
    rt_status st = rti_reach_pass(ctx, in->medium, in->facs, s->m->cutoff, NULL, cell_kth, s);
    for (int64_t c = 0; st == RT_OK && c < n; c++) {
        const double b = s->best[c * k + k - 1];
        out[c] = b < INFINITY ? b / s->m->unit : NAN;
    }
    free(s->best);
    return st;
}

/* ---- the balancing cost ---- */

/* One (facility, cost) pair of a cell. */
typedef struct pair {
    double cost;
    int32_t j;
} pair;

static int pair_cmp(const void *pa, const void *pb)
{
    const pair *a = pa, *b = pb;
    if (a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static void cell_pair_count(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    (void)j;
    (void)cost;
    s->at[c + 1]++;
}

static void cell_pair_put(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    s->pairs[s->at[c]++] = (pair){cost, j};
}

/* Per cell: its pairs (two passes: count, then place them), sorted by
 * (cost, facility), and the first cost at which the capacity summed in that
 * order reaches the cell's population (0 for a cell without people). */
static rt_status balancing(rt_ctx *ctx, const rti_measure_input *in, mstate *s, double *out)
{
    const int64_t n = rti_reach_cells(in->medium);
    s->at = rti_malloc_array(ctx, n + 1, sizeof(int64_t), "balancing cost offsets");
    if (!s->at)
        return RT_E_NOMEM;
    rt_status st =
        rti_reach_pass(ctx, in->medium, in->facs, s->m->cutoff, NULL, cell_pair_count, s);
    for (int64_t c = 0; c < n; c++)
        s->at[c + 1] += s->at[c];
    const int64_t np = s->at[n];
    if (st == RT_OK)
        st = rti_budget_check(ctx, (uint64_t)np * sizeof(pair), "balancing cost pairs");
    if (st == RT_OK && !(s->pairs = rti_alloc_array_uninit(ctx, np > 0 ? np : 1, sizeof(pair),
                                                           "balancing cost pairs")))
        st = RT_E_NOMEM;
    if (st == RT_OK) /* at[c] moves from the cell's start to its end */
        st = rti_reach_pass(ctx, in->medium, in->facs, s->m->cutoff, NULL, cell_pair_put, s);
    if (st == RT_OK) {
#pragma omp parallel for num_threads(rti_threads(ctx)) schedule(dynamic, 4096)
        for (int64_t c = 0; c < n; c++) {
            const int64_t a = c > 0 ? s->at[c - 1] : 0, b = s->at[c];
            const double need = pop_of(s, (uint32_t)c);
            qsort(s->pairs + a, (size_t)(b - a), sizeof(pair), pair_cmp);
            double sum = 0.0, t = need > 0 ? NAN : 0.0;
            for (int64_t i = a; i < b && isnan(t); i++) {
                sum += cap_of(s, s->pairs[i].j);
                if (sum >= need)
                    t = s->pairs[i].cost / s->m->unit;
            }
            out[c] = t;
        }
    }
    free(s->pairs);
    free(s->at);
    return st;
}

/* ---- the floating catchments ---- */

/* The catchments share a facility's supply S_j among the cells of its
 * reach in proportion to a term q_ij of each pair (2SFCA: f(t_ij)):
 * A_i = sum_j S_j q_ij / D_j, D_j = sum_k P_k q_kj. With the decay's
 * weights far below 1 (exponential decay over a long time) D_j can be
 * subnormal, S_j / D_j overflow and A_i come out infinite (or NaN, times a
 * q of 0) where the true value is at most S_j / P_i. Then the q of facility
 * j are divided by their largest over the cells with people (scale[j]),
 * which leaves every A_i as it is in exact arithmetic; otherwise scale[j]
 * is 1 and the division exact. */
static void fac_ratio_of(mstate *s, int32_t j, const uint32_t *cells, const double *cost, int64_t n,
                         double (*q)(const mstate *, uint32_t, double))
{
    double d = 0.0, top = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const double p = pop_of(s, cells[i]), x = q(s, cells[i], cost[i]);
        d += p * x;
        top = p > 0 && x > top ? x : top;
    }
    s->scale[j] = 1.0;
    s->ratio[j] = d > 0 ? cap_of(s, j) / d : 0.0;
    if (d > 0 && (d < DBL_MIN || !(s->ratio[j] < INFINITY))) {
        d = 0.0;
        for (int64_t i = 0; i < n; i++) { /* q / top of a cell without people may overflow */
            const double p = pop_of(s, cells[i]);
            if (p > 0)
                d += p * (q(s, cells[i], cost[i]) / top);
        }
        s->scale[j] = top;
        s->ratio[j] = cap_of(s, j) / d;
    }
}

/* The last step: A_i += R_j q_ij over facility j's scale. A facility
 * without supply adds nothing: over a scale far below 1, q / scale may be
 * infinite in a cell without people, and 0 times that NaN. */
static inline void cell_add(mstate *s, int32_t j, uint32_t c, double q)
{
    if (q > 0 && s->ratio[j] > 0)
        s->out[c] += s->ratio[j] * (q / s->scale[j]);
}

/* 2SFCA (Luo & Wang), E2SFCA and spatial availability: q_ij = f(t_ij). */
static double q_2sfca(const mstate *s, uint32_t c, double cost)
{
    (void)c;
    return weight(s, cost);
}

static void fac_ratio_2sfca(void *u, int32_t j, const uint32_t *cells, const double *cost,
                            int64_t n)
{
    fac_ratio_of(u, j, cells, cost, n, q_2sfca);
}

static void cell_access_2sfca(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    cell_add(s, j, c, q_2sfca(s, c, cost));
}

/* 3SFCA and BFCA: the weights summed per cell over the facilities, and
 * (BFCA) per facility over the cells where people live (a cell without
 * people is nobody's origin). */
static void cell_rowsum(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    (void)j;
    s->row[c] += weight(s, cost);
}

static void fac_colsum(void *u, int32_t j, const uint32_t *cells, const double *cost, int64_t n)
{
    mstate *s = u;
    double d = 0.0;
    for (int64_t i = 0; i < n; i++) /* over the origins: cells where people live */
        if (pop_of(s, cells[i]) > 0)
            d += weight(s, cost[i]);
    s->col[j] = d;
}

/* 3SFCA (Wan et al.): q_ij = G_ij f(t_ij), G_ij = f(t_ij) / sum_k f(t_ik);
 * R_j = S_j / sum_i G_ij P_i f(t_ij), A_i = sum_j G_ij R_j f(t_ij). */
static double q_3sfca(const mstate *s, uint32_t c, double cost)
{
    const double w = weight(s, cost);
    return w > 0 ? w / s->row[c] * w : 0.0;
}

static void fac_ratio_3sfca(void *u, int32_t j, const uint32_t *cells, const double *cost,
                            int64_t n)
{
    fac_ratio_of(u, j, cells, cost, n, q_3sfca);
}

static void cell_access_3sfca(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    cell_add(s, j, c, q_3sfca(s, c, cost));
}

/* BFCA step 2: R_j = S_j / sum_i P_i f(t_ij) / sum_k f(t_ik). */
static void fac_ratio_bfca(void *u, int32_t j, const uint32_t *cells, const double *cost, int64_t n)
{
    mstate *s = u;
    double d = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const double w = weight(s, cost[i]);
        if (w > 0)
            d += pop_of(s, cells[i]) * (w / s->row[cells[i]]);
    }
    s->ratio[j] = d > 0 ? cap_of(s, j) / d : 0.0;
}

/* BFCA step 3: A_i = sum_j R_j f(t_ij) / sum_k f(t_kj). */
static void cell_access_bfca(void *u, int32_t j, uint32_t c, double cost)
{
    mstate *s = u;
    const double w = weight(s, cost);
    if (w > 0 && s->col[j] > 0)
        s->out[c] += s->ratio[j] * (w / s->col[j]);
}

/* ---- entry point ---- */

static rt_status check_measure(rt_ctx *ctx, const rti_measure_input *in, const rti_measure *m)
{
    if (m->kind < 0 || m->kind >= RTI_MEASURE_KINDS)
        return rti_error(ctx, RT_E_ARG, "measures: unknown measure %d", (int)m->kind);
    if (!(m->cutoff >= 0) || !isfinite(m->cutoff))
        return rti_error(ctx, RT_E_ARG, "measures: cutoff %g must be finite and >= 0", m->cutoff);
    if (!(m->unit > 0))
        return rti_error(ctx, RT_E_ARG, "measures: the cost unit must be > 0");
    if (m->kind == RTI_MEASURE_KTH && (m->k < 1 || m->k > RTI_MEASURE_MAX_K))
        return rti_error(ctx, RT_E_ARG, "measures: k %d must be from 1 to %d", m->k,
                         RTI_MEASURE_MAX_K);
    const char *why = m->kind == RTI_MEASURE_COUNT || m->kind == RTI_MEASURE_CAPACITY ||
                              rti_measure_is_cost(m->kind)
                          ? NULL
                          : rti_decay_check(&m->decay);
    if (why)
        return rti_error(ctx, RT_E_ARG, "measures: %s: %s", RTI_MEASURE_NAMES[m->kind], why);
    if (in->capacity)
        for (int32_t j = 0; j < in->facs->n; j++)
            if (!(in->capacity[j] >= 0) || !isfinite(in->capacity[j]))
                return rti_error(ctx, RT_E_DATA,
                                 "measures: facility %d: capacity %g must be finite and >= 0", j,
                                 in->capacity[j]);
    return rti_reach_check(ctx, in->medium, in->facs);
}

rt_status rti_measure_compute(rt_ctx *ctx, const rti_measure_input *in, const rti_measure *m,
                              double *out)
{
    rt_status st = check_measure(ctx, in, m);
    if (st != RT_OK)
        return st;
    const rti_reach_medium *med = in->medium;
    const rti_reach_facs *f = in->facs;
    const int64_t n_cells = rti_reach_cells(med);
    memset(out, 0, (size_t)n_cells * sizeof(*out));
    mstate s = {.m = m, .cap = in->capacity, .pop = in->pop, .out = out};
    const double cut = m->cutoff;
    switch (m->kind) {
    case RTI_MEASURE_COUNT:
        return rti_reach_pass(ctx, med, f, cut, NULL, cell_count, &s);
    case RTI_MEASURE_CAPACITY:
        return rti_reach_pass(ctx, med, f, cut, NULL, cell_capacity, &s);
    case RTI_MEASURE_GRAVITY:
        return rti_reach_pass(ctx, med, f, cut, NULL, cell_gravity, &s);
    case RTI_MEASURE_KTH:
        return kth_nearest(ctx, in, &s, out);
    case RTI_MEASURE_BALANCING:
        st = balancing(ctx, in, &s, out);
        if (st != RT_OK)
            memset(out, 0, (size_t)n_cells * sizeof(*out));
        return st;
    default:
        break;
    }
    const int fca3 = m->kind == RTI_MEASURE_3SFCA, bfca = m->kind == RTI_MEASURE_BFCA;
    s.ratio = rti_malloc_array(ctx, f->n > 0 ? f->n : 1, sizeof(double), "measure ratios");
    if (s.ratio && !bfca)
        s.scale = rti_malloc_array(ctx, f->n > 0 ? f->n : 1, sizeof(double), "measure scales");
    if (s.ratio && bfca)
        s.col = rti_malloc_array(ctx, f->n > 0 ? f->n : 1, sizeof(double), "measure ratios");
    if (s.ratio && (fca3 || bfca))
        s.row = rti_malloc_array(ctx, n_cells, sizeof(double), "measure weights");
    if (!s.ratio || (bfca ? !s.col : !s.scale) || ((fca3 || bfca) && !s.row))
        st = RT_E_NOMEM;
    else if (fca3 || bfca)
        st = rti_reach_pass(ctx, med, f, cut, bfca ? fac_colsum : NULL, cell_rowsum, &s);
    if (st == RT_OK)
        st = rti_reach_pass(ctx, med, f, cut,
                            fca3   ? fac_ratio_3sfca
                            : bfca ? fac_ratio_bfca
                                   : fac_ratio_2sfca,
                            NULL, &s);
    if (st == RT_OK)
        st = rti_reach_pass(ctx, med, f, cut, NULL,
                            fca3   ? cell_access_3sfca
                            : bfca ? cell_access_bfca
                                   : cell_access_2sfca,
                            &s);
    if (st == RT_OK && m->kind == RTI_MEASURE_SPAVAIL)
        for (int64_t c = 0; c < n_cells; c++) { /* a cell without people gets nothing */
            const double p = pop_of(&s, (uint32_t)c);
            out[c] = p > 0 ? out[c] * p : 0.0;
        }
    free(s.ratio);
    free(s.scale);
    free(s.col);
    free(s.row);
    if (st != RT_OK)
        memset(out, 0, (size_t)n_cells * sizeof(*out));
    return st;
}
