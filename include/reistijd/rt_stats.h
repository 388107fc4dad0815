#ifndef RT_STATS_H
#define RT_STATS_H
#include <stddef.h>
#include <stdint.h>

#include "rt_ctx.h"
#include "rt_export.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Population-weighted statistics of per-cell travel times per region.
 * Definitions (weighted median, p90, what "beyond a norm" means) are in
 * docs/methods.md. Sums run in cell order, so results are bit-identical
 * for any thread count. */

typedef enum rt_norm_kind {
    RT_NORM_TIME = 0,  /* limit in seconds, compared with the time */
    RT_NORM_LENGTH = 1 /* limit in metres, compared with the route length */
} rt_norm_kind;

typedef struct rt_norm {
    rt_norm_kind kind;
    union {
        double limit_s; /* RT_NORM_TIME: the limit in seconds */
        double limit_m; /* RT_NORM_LENGTH: the limit in metres */
    };
} rt_norm;

/* The limit of a norm in its own unit: seconds or metres. */
static inline double rt_norm_limit(const rt_norm *n)
{
    return n->kind == RT_NORM_LENGTH ? n->limit_m : n->limit_s;
}

/* The tolerance of every limit the library compares with (norms here, the
 * cutoffs and bands of the measures, the isochrones): a value at most
 * RT_LIMIT_REL times the limit above it counts as at the limit. Limits are
 * given in minutes or km and compared in seconds or metres; x * 60 and the
 * sums of a search round, and lengths are Float32, so a value at the limit
 * by arithmetic can come out a unit in the last place above it (0.41
 * minutes is 24.599999999999998 s, one step of 24.6 s is
 * 24.600000000000001 s, 24.6 m as a Float32 is 24.6000004 m). On a norm of
 * 30 minutes the tolerance is 0.18 ms, on one of 10 km 1 mm. */
#define RT_LIMIT_REL 1e-7

/* 1 when v (seconds or metres, as the norm) is within the norm: at most
 * its limit, with the tolerance RT_LIMIT_REL; 0 otherwise, also for NaN. */
static inline int rt_norm_within(const rt_norm *n, double v)
{
    const double limit = rt_norm_limit(n);
    return v <= limit + (limit < 0 ? -limit : limit) * RT_LIMIT_REL;
}

#define RT_STATS_MAX_NORMS 8

/* The per-cell arrays of rt_stats_regions. The struct may grow at its end;
 * struct_size tells the library which fields the caller has: leave it 0
 * when filling the struct with a designated initializer (the fields up to
 * n_norms), or set it up with rt_stats_input_init(). */
typedef struct rt_stats_input {
    size_t struct_size;
    int64_t n_cells;
    double cell_area_m2;
    const double *time_s;     /* INFINITY = unreachable */
    const float *length_m;    /* NULL if not computed */
    const float *pop_persons; /* NaN, infinite or <= 0 = nobody */
    const int32_t *region;    /* region index per cell, -1 = none */
    const rt_norm *norms;
    int n_norms; /* 0 .. RT_STATS_MAX_NORMS */
} rt_stats_input;

/* Zeroes *in and sets its struct_size. */
RT_API void rt_stats_input_init(rt_stats_input *in);

/* Statistics of one region. Quantities over "reached" population use only
 * the population of cells with a finite time (an infinite or NaN time is
 * unreachable); NaN where there is none. The length statistics also skip
 * reached cells whose length is not finite, and are all NaN when length_m
 * is NULL. time_max_s / length_max_m are over populated cells only. */
typedef struct rt_region_stats {
    int64_t n_cells;
    double area_m2;
    double pop_persons;
    double pop_reached_persons;
    double pop_unreachable_persons;
    double time_mean_s, time_median_s, time_p90_s, time_max_s;
    double length_mean_m, length_median_m, length_p90_m, length_max_m;
    /* population beyond each norm (unreachable counts as beyond), and that
     * as a share of pop_persons (NaN when the region has no population).
     * A cell is within a norm only when it is reached and its time (or
     * length) is known and <= limit. Entries k >= n_norms are NaN. */
    double pop_beyond_persons[RT_STATS_MAX_NORMS];
    double share_beyond[RT_STATS_MAX_NORMS];
} rt_region_stats;

/* rt_stats_regions - statistics per region for out[0 .. n_regions-1].
 * @ctx:  context; errors and progress (stage "regional statistics") go here.
 * @in:   borrowed; the per-cell arrays hold n_cells values each.
 * @out:  caller-owned array of n_regions structs, fully overwritten.
 * @pop_outside_persons: may be NULL; receives the population of cells whose
 *        region is -1.
 * Returns RT_OK; RT_E_ARG for a region index < -1 or >= n_regions (the
 * message names the cell), n_norms outside 0 .. RT_STATS_MAX_NORMS, a norm
 * of unknown kind or NaN limit, a length norm without length_m, missing
 * arrays, or a struct_size of *in this library does not know; RT_E_NOMEM, RT_E_BUDGET or
 * RT_E_CANCELLED. On error out and *pop_outside_persons are unspecified. Working memory: 8 bytes
 * per populated cell inside a region plus 8 bytes per region. Deterministic: bit-identical results
 * for any thread count. */
RT_API rt_status rt_stats_regions(rt_ctx *ctx, const rt_stats_input *in, int32_t n_regions,
                                  rt_region_stats *out, double *pop_outside_persons);

/* Weighted quantile (lower, "inverted CDF"): the smallest value v among the
 * n values such that the weights of values <= v sum to at least q times the
 * total weight. Pairs whose weight is <= 0, NaN or infinite, or whose value
 * is NaN, are ignored; infinite values take part as ordinary values. The
 * order of equal values does not matter. Returns NaN when no weight
 * remains, when the weights add up beyond the largest double, when q is
 * not in 0 < q <= 1, or when the O(n) index array it
 * sorts (O(n log n)) cannot be allocated. values/weights are not modified.
 * Thread-safe. */
RT_API double rt_weighted_quantile(const double *values, const double *weights, int64_t n,
                                   double q);

#ifdef __cplusplus
}
#endif
#endif
