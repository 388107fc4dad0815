#ifndef RT_HYBRID_H
#define RT_HYBRID_H
/* Two media at once: a friction grid for the way over land and a road graph
 * for the way along the roads, joined by access legs (docs/methods.md,
 * "Hybrid medium"). Pure arrays, no files: the study layer fills these
 * structs from its roads, grid and facilities.
 *
 * The graph is the reversed road graph of the mode (rt_graph_search from
 * the facilities gives each node its time *to* the nearest facility). */
#include <math.h>
#include <stdint.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_graph.h"
#include "reistijd/rt_search.h"

/* A facility's place on a road: edge, share of the edge's length from its
 * first node, and the time of its access leg. */
typedef struct rti_net_fac {
    int64_t edge;
    double frac, leg_s;
    int32_t facility;
    double leg_m; /* length of the leg */
} rti_net_fac;

/* The cells of a grid attached to the roads of a graph, and what the cell
 * labels need of the roads. Borrowed. */
typedef struct rti_net_cells {
    int64_t n_cells;
    const int64_t *cell_edge; /* per cell: edge of its access leg, -1 = none */
    const double *cell_frac;  /* per cell: where on the edge (share from the edge's first node) */
    const double *cell_leg_s; /* per cell: time of the access leg */
    const int32_t *edge_from, *edge_to; /* per edge: its graph nodes, along the geometry */
    /* per edge: the time to travel the whole edge along its geometry (from
     * -> to) and against it; NaN where the mode may not go that way */
    const double *w_along, *w_against;
    /* for route lengths (NULL: none): per edge its length; the legs' speed */
    const double *edge_len_m;
    double access_m_per_s;
    /* the facilities on the roads, sorted by (edge, facility) */
    const rti_net_fac *fa;
    int64_t fa_n;
} rti_net_cells;

/* The arithmetic every search over the roads shares, so that they give the
 * same bits (hybrid.c, edge_snap.c, measure/reach.c). */

/* The time from an attached place (frac of the way along its edge, leg_s
 * off it) to facility f on the same edge, straight along it with no node
 * between: INFINITY when the edge may not be travelled that way. */
static inline double rti_same_edge_time(double leg_s, double frac, double w_ab, double w_ba,
                                        const rti_net_fac *f)
{
    const double d = f->frac - frac;
    double best = INFINITY;
    if (d >= 0 && !isnan(w_ab))
        best = leg_s + d * w_ab + f->leg_s;
    if (d <= 0 && !isnan(w_ba))
        best = fmin(best, leg_s + -d * w_ba + f->leg_s);
    return best;
}

/* A node's time through an attached cell of time t: from the edge's first
 * node along the edge (share frac of w_ab) or from its second node against
 * it (share 1 - frac of w_ba), then the leg. */
static inline double rti_node_via_cell(double t, double leg_s, double share_w)
{
    return t + leg_s + share_w;
}

/* The best two distinct facilities of attached cell i, given the node
 * labels of a search over the reversed graph: leave the edge towards
 * either end node where allowed, or go straight along the edge to a
 * facility on the same edge (no node between them). INFINITY / -1 for a
 * cell without attachment. t2/f2 only when node has second labels and t2
 * is not NULL. l1 (may be NULL): the route length of (t1, f1) when node
 * has lengths and nc->edge_len_m is given, else NaN. */
void rti_net_cell_labels(const rti_net_cells *nc, const rt_labels *node, int64_t i, double *t1,
                         int32_t *f1, float *l1, double *t2, int32_t *f2);

/* rti_hybrid_search - nearest-facility labels over land and roads.
 * A route alternates between the grid (moves of rt_grid_search over
 * grid->friction) and the roads (arcs of g), switching at attached cells:
 * a cell joins the road at its attachment place by its access leg. The
 * labels are those of the shortest such route (times in double
 * precision, the tie rule of rt_search.h), computed by alternating a graph
 * search seeded from the cells and a grid search seeded from the roads
 * until neither changes (the number of rounds is one more than the largest
 * number of land-to-road changes on any nearest route; 2 to 5 in practice).
 * @grid_src: the facilities on the grid (passable cells), start at 0 or
 *            their start time.
 * @net_src:  the facilities on the roads: graph nodes and start times.
 * @opts:     neighbours and flags (RT_SEARCH_SECOND; RT_SEARCH_LENGTH is
 *            refused: lengths are not defined along access legs).
 * @out:      cell labels; @node: node labels (rt_graph_nodes(g)), both
 *            allocated for opts->flags.
 * @rounds:   NULL or the number of rounds taken.
 * Returns RT_OK, RT_E_ARG, RT_E_DATA (friction), RT_E_NOMEM or
 * RT_E_CANCELLED. */
rt_status rti_hybrid_search(rt_ctx *ctx, const rt_grid_medium *grid, const rt_graph *g,
                            const rti_net_cells *nc, const rt_source *grid_src, int64_t n_grid_src,
                            const rt_source *net_src, int64_t n_net_src, const rt_search_opts *opts,
                            rt_search_ws *ws, rt_labels *out, rt_labels *node, int *rounds);

#endif
