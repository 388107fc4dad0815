#ifndef RT_CLOSURES_H
#define RT_CLOSURES_H
/* The N-1 table ("gevoelige voorzieningen"): what closing one facility
 * alone does to the population, from the k = 2 labels of one search.
 *
 * When the nearest facility f1 of a cell closes, the nearest of the rest
 * is the second-nearest distinct facility f2 of the same search, at its
 * time t2 (rt_search.h: the labels are the two best distinct facilities
 * by (time, facility index)). So one pass over the cells gives, for every
 * facility at once, the numbers that closing it alone would change,
 * without a search per closure. Definitions in docs/methods.md, "The N-1
 * table".
 *
 * Every sum runs over the cells in cell order on one thread, so the
 * results are bit-identical for any thread count. */
#include <stdint.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_stats.h"

/* The per-cell arrays of one facility type's search. Borrowed. */
typedef struct rti_closure_input {
    int64_t n_cells;
    const double *time_s;     /* nearest: time, INFINITY = unreached */
    const int32_t *facility;  /* nearest: facility index, -1 = unreached */
    const double *time2_s;    /* second-nearest distinct facility, INFINITY = none */
    const int32_t *facility2; /* its index, -1 = none */
    const float *pop_persons; /* NaN, infinite or <= 0 = nobody */
    int32_t n_facilities;     /* indices run 0 .. n_facilities - 1 */
    const rt_norm *norms;     /* time norms only (RT_NORM_TIME) */
    int n_norms;              /* 0 .. RT_STATS_MAX_NORMS */
} rti_closure_input;

/* What closing facility f alone does. The population served by f is the
 * population of the cells whose nearest facility is f; of it, the part
 * whose cells have a second facility moves there (pop_alternative), the
 * rest becomes unreachable (pop_no_alternative). */
typedef struct rti_closure_row {
    double pop_served_persons;
    double pop_alternative_persons;
    double pop_no_alternative_persons;
    /* sum of p (t2 - t1) over the served cells with a second facility, and
     * that divided by pop_alternative_persons (NaN when that is 0): cells
     * without an alternative are left out of the mean (they are counted
     * in pop_no_alternative_persons) */
    double time_added_sum_s;
    double time_added_mean_s;
    /* population within norm k now (t1 <= limit) and beyond it once f is
     * closed (no second facility, or t2 > limit); entries k >= n_norms are
     * NaN */
    double beyond_added_persons[RT_STATS_MAX_NORMS];
    /* the second facility that receives the largest population of f's
     * cells (ties: the smaller facility index), and that population; -1
     * and 0 when no served cell has a second facility */
    int32_t takeover;
    double takeover_persons;
} rti_closure_row;

/* The added counts of one (facility, region) pair: the population of the
 * cells of the region that closing the facility alone pushes beyond each
 * norm (as beyond_added_persons above). */
typedef struct rti_closure_region_row {
    int32_t facility;
    int32_t region;
    double beyond_added_persons[RT_STATS_MAX_NORMS];
} rti_closure_region_row;

/* The time norms among norms[0 .. n-1], in their order, into out (room
 * for RT_STATS_MAX_NORMS); returns how many. Norms in km have no place in
 * the table: the route length to the second facility is not known. */
static inline int rti_closure_norms(const rt_norm *norms, int n, rt_norm *out)
{
    int m = 0;
    for (int k = 0; k < n && m < RT_STATS_MAX_NORMS; k++)
        if (norms[k].kind == RT_NORM_TIME)
            out[m++] = norms[k];
    return m;
}

/* rti_closures_facilities - the row of every facility.
 * @out: caller-owned array of in->n_facilities rows, fully overwritten.
 * Returns RT_OK; RT_E_ARG for a facility index out of range, a second
 * facility equal to the first, a second facility without a first or a
 * second time below the first (naming the cell), missing arrays, a norm
 * that is not a time norm or has a NaN limit; RT_E_NOMEM or
 * RT_E_CANCELLED. Working memory: a table of the distinct (nearest,
 * second) pairs, 48 bytes each at most twice over (two slots of 16, the
 * pair's 8 and one sum's 8). */
rt_status rti_closures_facilities(rt_ctx *ctx, const rti_closure_input *in, rti_closure_row *out);

/* rti_closures_regions - the (facility, region) pairs with some
 * population pushed beyond a norm, for one region layer.
 * @region: region index per cell, -1 = none; n_regions regions.
 * @out:    on RT_OK a new array (caller frees; NULL when empty) of *n_out
 *          rows, sorted by facility, then region; only pairs with an added
 *          count > 0 for some norm.
 * Errors as rti_closures_facilities, and RT_E_ARG for a region index
 * outside -1 .. n_regions - 1. */
rt_status rti_closures_regions(rt_ctx *ctx, const rti_closure_input *in, const int32_t *region,
                               int32_t n_regions, rti_closure_region_row **out, int64_t *n_out);

#endif
