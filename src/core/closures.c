/* The N-1 table from the k = 2 labels (closures.h, docs/methods.md).
 *
 * One sequential pass over the cells adds each populated, reached cell to
 * its nearest facility: to its served population, to the time it would
 * lose, to the norms it would leave, and to the (nearest, second) pair
 * whose population decides which facility takes over. Pairs are kept in
 * an open-addressing table keyed on the two indices; every value of it is
 * summed in cell order, so the table's layout does not reach the results. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/closures.h"

#define STAGE "closures"
#define CHUNK_CELLS ((int64_t)1 << 22) /* cells between cancel checks */

static inline int has_pop(float p) { return p > 0.0f && p <= FLT_MAX; }

/* ---- a table of (a, b) pairs, each with `width` doubles ---- */

typedef struct pair_map {
    uint64_t *key;  /* per slot: the pair, or EMPTY */
    int64_t *entry; /* per slot: its entry */
    int64_t cap;    /* slots, a power of 2 */
    int64_t n;      /* entries */
    int width;
    double *val;    /* per entry: width values */
    uint64_t *pair; /* per entry: its pair, in order of first use */
    uint64_t last_key;
    int64_t last_entry; /* the entry of last_key, -1 = none */
} pair_map;

#define EMPTY UINT64_MAX

static inline uint64_t pair_key(int32_t a, int32_t b)
{
    return (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
}

static void map_free(pair_map *m)
{
    free(m->key);
    free(m->entry);
    free(m->val);
    free(m->pair);
    memset(m, 0, sizeof(*m));
}

static void map_init(pair_map *m, int width)
{
    memset(m, 0, sizeof(*m));
    m->width = width;
    m->last_entry = -1;
}

static inline int64_t slot_of(uint64_t key, int64_t cap)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    return (int64_t)(h >> 17) & (cap - 1);
}

/* Doubles the slots (or makes the first 1024) and the entries. */
static rt_status map_grow(rt_ctx *ctx, pair_map *m)
{
    int64_t cap = m->cap ? 2 * m->cap : 1024;
    uint64_t *key = rti_alloc_array_uninit(ctx, cap, sizeof(*key), STAGE ": pair table");
    int64_t *entry = rti_alloc_array_uninit(ctx, cap, sizeof(*entry), STAGE ": pair table");
    double *val =
        rti_realloc_array(ctx, m->val, cap / 2 * m->width, sizeof(*val), STAGE ": pair values");
    if (val)
        m->val = val;
    uint64_t *pair =
        val ? rti_realloc_array(ctx, m->pair, cap / 2, sizeof(*pair), STAGE ": pair table") : NULL;
    if (pair)
        m->pair = pair;
    if (!key || !entry || !val || !pair) {
        free(key);
        free(entry);
        return RT_E_NOMEM;
    }
    for (int64_t i = 0; i < cap; i++)
        key[i] = EMPTY;
    for (int64_t e = 0; e < m->n; e++) {
        int64_t s = slot_of(m->pair[e], cap);
        while (key[s] != EMPTY)
            s = (s + 1) & (cap - 1);
        key[s] = m->pair[e];
        entry[s] = e;
    }
    free(m->key);
    free(m->entry);
    m->key = key;
    m->entry = entry;
    m->cap = cap;
    return RT_OK;
}

/* The values of pair (a, b), zeroed when new; NULL when out of memory. */
static double *map_at(rt_ctx *ctx, pair_map *m, int32_t a, int32_t b)
{
    uint64_t k = pair_key(a, b);
    if (m->last_entry >= 0 && m->last_key == k)
        return m->val + m->last_entry * m->width;
    if (2 * (m->n + 1) > m->cap && map_grow(ctx, m) != RT_OK)
        return NULL;
    int64_t s = slot_of(k, m->cap);
    while (m->key[s] != EMPTY && m->key[s] != k)
        s = (s + 1) & (m->cap - 1);
    if (m->key[s] == EMPTY) {
        m->key[s] = k;
        m->entry[s] = m->n;
        m->pair[m->n] = k;
        memset(m->val + m->n * m->width, 0, (size_t)m->width * sizeof(double));
        m->n++;
    }
    m->last_key = k;
    m->last_entry = m->entry[s];
    return m->val + m->last_entry * m->width;
}

/* ---- checks ---- */

static rt_status check_input(rt_ctx *ctx, const rti_closure_input *in)
{
    if (!in || in->n_cells < 0 || in->n_facilities < 0)
        return rti_error(ctx, RT_E_ARG, STAGE ": no input, or a negative count");
    if (in->n_cells > 0 &&
        (!in->time_s || !in->facility || !in->time2_s || !in->facility2 || !in->pop_persons))
        return rti_error(ctx, RT_E_ARG,
                         STAGE ": time_s, facility, time2_s, facility2 and pop_persons are "
                               "required (the search needs RT_SEARCH_SECOND)");
    if (in->n_norms < 0 || in->n_norms > RT_STATS_MAX_NORMS || (in->n_norms > 0 && !in->norms))
        return rti_error(ctx, RT_E_ARG, STAGE ": %d norms given, 0 to %d with an array",
                         in->n_norms, RT_STATS_MAX_NORMS);
    for (int k = 0; k < in->n_norms; k++)
        if (in->norms[k].kind != RT_NORM_TIME || isnan(in->norms[k].limit_s))
            return rti_error(ctx, RT_E_ARG,
                             STAGE ": norm %d is not a time norm with a limit (the route "
                                   "length to the second-nearest facility is not known)",
                             k);
    return RT_OK;
}

static rt_status check_cell(rt_ctx *ctx, const rti_closure_input *in, int64_t c)
{
    int32_t f1 = in->facility[c], f2 = in->facility2[c];
    const char *bad = NULL;
    if (f1 < -1 || f1 >= in->n_facilities || f2 < -1 || f2 >= in->n_facilities)
        bad = "a facility index out of range";
    else if (f1 < 0 && f2 >= 0)
        bad = "a second facility but no nearest";
    else if (f2 >= 0 && f2 == f1)
        bad = "the same facility twice";
    else if (f2 >= 0 && !(in->time2_s[c] >= in->time_s[c]))
        bad = "a second time below the first";
    else if (f1 >= 0 && !isfinite(in->time_s[c]))
        bad = "a nearest facility without a finite time";
    if (!bad)
        return RT_OK;
    return rti_error(ctx, RT_E_ARG,
                     STAGE ": cell %lld: labels (%.17g, %d), (%.17g, %d) have %s (of %d "
                           "facilities)",
                     (long long)c, in->time_s[c], (int)f1, in->time2_s[c], (int)f2, bad,
                     (int)in->n_facilities);
}

/* Whether cell c, within norm k now, would be beyond it once its nearest
 * facility closed. */
static inline int pushed_beyond(const rti_closure_input *in, int64_t c, int k)
{
    const rt_norm *n = &in->norms[k];
    return rt_norm_within(n, in->time_s[c]) &&
           !(in->facility2[c] >= 0 && rt_norm_within(n, in->time2_s[c]));
}

static int cancelled(rt_ctx *ctx, const rti_closure_input *in, int64_t c)
{
    if (c % CHUNK_CELLS != 0)
        return 0;
    return !rti_progress(ctx, in->n_cells ? (double)c / (double)in->n_cells : 0.0, STAGE);
}

/* ---- per facility ---- */

static void add_cell(const rti_closure_input *in, int64_t c, rti_closure_row *o, double *pair)
{
    double p = (double)in->pop_persons[c];
    o->pop_served_persons += p;
    if (in->facility2[c] >= 0) {
        o->pop_alternative_persons += p;
        o->time_added_sum_s += p * (in->time2_s[c] - in->time_s[c]);
        *pair += p;
    } else {
        o->pop_no_alternative_persons += p;
    }
    for (int k = 0; k < in->n_norms; k++)
        if (pushed_beyond(in, c, k))
            o->beyond_added_persons[k] += p;
}

/* Each facility's takeover: the pair with the most population, ties to
 * the smaller second facility (a total order, so the order of the
 * entries does not matter). */
static void pick_takeover(const pair_map *m, rti_closure_row *out)
{
    for (int64_t e = 0; e < m->n; e++) {
        int32_t a = (int32_t)(m->pair[e] >> 32), b = (int32_t)(uint32_t)m->pair[e];
        double p = m->val[e];
        rti_closure_row *o = &out[a];
        if (p > o->takeover_persons ||
            (p == o->takeover_persons && o->takeover >= 0 && b < o->takeover))
            o->takeover = b, o->takeover_persons = p;
    }
}

rt_status rti_closures_facilities(rt_ctx *ctx, const rti_closure_input *in, rti_closure_row *out)
{
    rt_status st = check_input(ctx, in);
    if (st != RT_OK)
        return st;
    for (int32_t f = 0; f < in->n_facilities; f++) {
        memset(&out[f], 0, sizeof(out[f]));
        out[f].takeover = -1;
    }
    pair_map m;
    map_init(&m, 1);
    for (int64_t c = 0; st == RT_OK && c < in->n_cells; c++) {
        if (cancelled(ctx, in, c)) {
            st = rti_error(ctx, RT_E_CANCELLED, STAGE ": cancelled");
            break;
        }
        if ((st = check_cell(ctx, in, c)) != RT_OK)
            break;
        int32_t f1 = in->facility[c];
        if (f1 < 0 || !has_pop(in->pop_persons[c]))
            continue;
        double scratch = 0.0;
        double *pair = in->facility2[c] >= 0 ? map_at(ctx, &m, f1, in->facility2[c]) : &scratch;
        if (!pair)
            st = RT_E_NOMEM;
        else
            add_cell(in, c, &out[f1], pair);
    }
    if (st == RT_OK) {
        pick_takeover(&m, out);
        for (int32_t f = 0; f < in->n_facilities; f++) {
            rti_closure_row *o = &out[f];
            o->time_added_mean_s = o->pop_alternative_persons > 0.0
                                       ? o->time_added_sum_s / o->pop_alternative_persons
                                       : NAN;
            for (int k = in->n_norms; k < RT_STATS_MAX_NORMS; k++)
                o->beyond_added_persons[k] = NAN;
        }
    }
    map_free(&m);
    return st;
}

/* ---- per (facility, region) ---- */

static int by_facility_region(const void *pa, const void *pb)
{
    const rti_closure_region_row *a = pa, *b = pb;
    if (a->facility != b->facility)
        return a->facility < b->facility ? -1 : 1;
    return (a->region > b->region) - (a->region < b->region);
}

/* The entries of m as rows, sorted; *out is NULL when there are none. */
static rt_status region_rows(rt_ctx *ctx, const pair_map *m, int n_norms,
                             rti_closure_region_row **out, int64_t *n_out)
{
    if (m->n == 0)
        return RT_OK;
    rti_closure_region_row *rows = rti_malloc_array(ctx, m->n, sizeof(*rows), STAGE ": rows");
    if (!rows)
        return RT_E_NOMEM;
    for (int64_t e = 0; e < m->n; e++) {
        rti_closure_region_row *r = &rows[e];
        r->facility = (int32_t)(m->pair[e] >> 32);
        r->region = (int32_t)(uint32_t)m->pair[e];
        for (int k = 0; k < RT_STATS_MAX_NORMS; k++)
            r->beyond_added_persons[k] = k < n_norms ? m->val[e * n_norms + k] : NAN;
    }
    qsort(rows, (size_t)m->n, sizeof(*rows), by_facility_region);
    *out = rows;
    *n_out = m->n;
    return RT_OK;
}

rt_status rti_closures_regions(rt_ctx *ctx, const rti_closure_input *in, const int32_t *region,
                               int32_t n_regions, rti_closure_region_row **out, int64_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    rt_status st = check_input(ctx, in);
    if (st == RT_OK && in->n_cells > 0 && !region)
        st = rti_error(ctx, RT_E_ARG, STAGE ": no region index per cell");
    if (st != RT_OK || in->n_norms == 0)
        return st;
    pair_map m;
    map_init(&m, in->n_norms);
    for (int64_t c = 0; st == RT_OK && c < in->n_cells; c++) {
        if (cancelled(ctx, in, c)) {
            st = rti_error(ctx, RT_E_CANCELLED, STAGE ": cancelled");
            break;
        }
        int32_t r = region[c];
        if (r < -1 || r >= n_regions) {
            st = rti_error(ctx, RT_E_ARG,
                           STAGE ": cell %lld: region index %d is neither -1 (none) nor in 0 .. "
                                 "%d",
                           (long long)c, (int)r, (int)n_regions - 1);
            break;
        }
        if ((st = check_cell(ctx, in, c)) != RT_OK)
            break;
        if (r < 0 || in->facility[c] < 0 || !has_pop(in->pop_persons[c]))
            continue;
        double p = (double)in->pop_persons[c];
        double *v = NULL;
        for (int k = 0; st == RT_OK && k < in->n_norms; k++) {
            if (!pushed_beyond(in, c, k))
                continue;
            if (!v && !(v = map_at(ctx, &m, in->facility[c], r)))
                st = RT_E_NOMEM;
            else
                v[k] += p;
        }
    }
    if (st == RT_OK)
        st = region_rows(ctx, &m, in->n_norms, out, n_out);
    map_free(&m);
    return st;
}
