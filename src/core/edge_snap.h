#ifndef RT_EDGE_SNAP_H
#define RT_EDGE_SNAP_H
/* Access legs: the nearest point on a road network to a point (a cell
 * centre, a facility), for the whole grid at once. A bucket grid over the
 * roads' segments answers "nearest edge within max_m" in time independent
 * of the network's size; the result is the exact Euclidean nearest point
 * (projection onto the segment), with a fixed tie rule, so it does not
 * depend on the bucket size or on the order of the edges. */
#include <stdint.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_search.h"

/* Edges as polylines in a metric CRS: edge e has the vertices
 * first[e] .. first[e+1]-1 of x/y (at least two). Borrowed. */
typedef struct rti_polylines {
    int64_t n;
    const int64_t *first; /* n + 1 offsets */
    const double *x, *y;
} rti_polylines;

typedef struct rti_edge_hit {
    int64_t edge;  /* -1: no usable edge within max_m */
    double frac;   /* where along the edge: share of its length from its first vertex, 0..1 */
    double dist_m; /* from the point to that place */
} rti_edge_hit;

typedef struct rti_edge_index rti_edge_index;

/* Indexes the usable edges (usable[e] != 0; usable NULL: all) in square
 * buckets of bucket_m metres (enlarged when the extent would need more
 * than 2^24 buckets). RT_E_ARG for an edge with fewer than two vertices or
 * a non-finite coordinate, naming the edge. */
rt_status rti_edge_index_build(rt_ctx *ctx, const rti_polylines *p, const uint8_t *usable,
                               double bucket_m, rti_edge_index **out);
void rti_edge_index_destroy(rti_edge_index *ix);

/* The nearest place on a usable edge to (px, py) within max_m (inclusive).
 * Ties in distance go to the lowest edge index, then the smallest frac.
 * Safe to call from several threads at once. */
void rti_edge_index_nearest(const rti_edge_index *ix, double px, double py, double max_m,
                            rti_edge_hit *hit);

#endif

/* ---- labels of attached points ---- */

/* A point attached to the edge between graph nodes a and b (the edge's
 * geometry runs from a to b), frac of the way from a, leg_s off the
 * network. w_ab / w_ba: the time to travel the whole edge from a to b / from
 * b to a, NaN when that direction is not allowed. */
typedef struct rti_attach {
    int32_t a, b;
    double w_ab, w_ba;
    double frac;
    double leg_s;
    float len_m, leg_m; /* the edge's length and the leg's (for route lengths) */
} rti_attach;

/* The labels of an attached point, from the node labels of a search that
 * gives each node's time to (or from) its nearest facility: leaving the
 * edge towards b costs leg + (1 - frac) w_ab + T(b), towards a leg + frac
 * w_ba + T(a). The best two distinct facilities in (time, facility) order
 * go to (t1, f1) and, when node has second labels and t2 is not NULL,
 * to (t2, f2); INFINITY and -1 when there is none. */
/* Offers the candidate (t, f) to the best two distinct facilities (t1, f1)
 * and (t2, f2), kept in (time, facility) order: a facility already held
 * keeps its better time. f < 0 or t not finite: ignored. */
void rti_labels_offer2(double t, int32_t f, double *t1, int32_t *f1, double *t2, int32_t *f2);

/* rti_labels_offer2 with the route length l of the candidate: *l1 is the
 * length of the route of slot 1 (the shortest among routes of equal time
 * to the same facility). */
void rti_labels_offer2l(double t, int32_t f, float l, double *t1, int32_t *f1, float *l1,
                        double *t2, int32_t *f2);

/* The time of share s (0 to 1) of an edge whose whole time that way is w
 * (NaN: the mode may not travel it that way): s w, but 0 at s = 0, where
 * the place is the node itself, whichever way the edge may be travelled
 * (0 x NaN is NaN). Every search over the roads takes an attached point's
 * share of its edge from here. */
static inline double rti_edge_share(double s, double w) { return s == 0.0 ? 0.0 : s * w; }

/* An attached point's time through node v of time t: the leg, then the
 * share share_w of the edge's time to v (every search over the roads adds
 * them in this order, so that they give the same bits). */
static inline double rti_cell_via_node(double leg_s, double share_w, double t)
{
    return leg_s + share_w + t;
}

/* l1 (may be NULL): the route length of (t1, f1), when node has lengths:
 * leg_m + the share of len_m + the node's length (NaN when none). */
void rti_attach_labels(const rt_labels *node, const rti_attach *at, double *t1, int32_t *f1,
                       float *l1, double *t2, int32_t *f2);
