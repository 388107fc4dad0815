#ifndef RT_GRAPH_H
#define RT_GRAPH_H
#include <stdint.h>

#include "rt_ctx.h"
#include "rt_export.h"
#include "rt_search.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A road network as a directed graph in compressed sparse rows: the second
 * travel medium next to the friction grid. Nodes are 0 .. n_nodes-1; an arc
 * has a travel time in seconds (>= 0) and optionally a length in metres.
 * A two-way road is two arcs. The graph is immutable once built and may be
 * searched from several threads at once (one rt_search_ws and one
 * rt_labels per thread).
 *
 * The search is the one of rt_grid_search (rt_search.h) with nodes in place
 * of cells: multi-source Dijkstra, times in double precision, k = 2 distinct
 * facility labels, route lengths, and the same tie rule (time, facility
 * index, route length). Arcs are stored sorted by (tail, head, time,
 * length), so the graph, and hence every result, does not depend on the
 * order in which the arcs were given. */
typedef struct rt_graph rt_graph;

/* Arcs as parallel arrays, borrowed by rt_graph_build(). */
typedef struct rt_arcs {
    int64_t n;
    const int32_t *tail; /* from node */
    const int32_t *head; /* to node */
    const double *time_s;
    const float *length_m; /* NULL: no lengths (RT_SEARCH_LENGTH refused) */
} rt_arcs;

/* rt_graph_build - builds the graph from an arc list.
 * Every tail and head must be in 0 .. n_nodes-1, every time finite and
 * >= 0, every length finite and >= 0 (RT_E_DATA naming the arc otherwise).
 * Arcs from a node to itself are dropped (they never shorten a route);
 * parallel arcs are kept. On RT_OK the caller owns *out. */
RT_API rt_status rt_graph_build(rt_ctx *ctx, int64_t n_nodes, const rt_arcs *arcs, rt_graph **out);
RT_API void rt_graph_destroy(rt_graph *g);

RT_API int64_t rt_graph_nodes(const rt_graph *g);
/* Arcs stored (self-loops dropped). */
RT_API int64_t rt_graph_arcs(const rt_graph *g);
/* Bytes held by the graph (offsets, heads, times, lengths, and per node the
 * cheapest arc into it). */
RT_API uint64_t rt_graph_bytes(const rt_graph *g);
/* The arcs leaving node v: *first .. *end index into rt_graph_arc(); an
 * empty range (0, 0) for a NULL graph or a v outside 0 .. nodes - 1. */
RT_API void rt_graph_out(const rt_graph *g, int32_t v, int64_t *first, int64_t *end);
/* Arc i: head node, time and length (NaN without lengths); head -1 and
 * NaN times for a NULL graph or an i outside 0 .. arcs - 1. */
RT_API void rt_graph_arc(const rt_graph *g, int64_t i, int32_t *head, double *time_s,
                         double *length_m);

/* rt_graph_search - nearest-facility travel time over the graph.
 * @src:  start nodes (rt_source.cell is the node), n_src >= 1, each in
 *        range (RT_E_ARG otherwise, naming it).
 * @opts: NULL for defaults; opts->neighbours is ignored.
 * @out:  labels for rt_graph_nodes(g) nodes, matching opts->flags.
 * The time of node v is the shortest time along arcs *from* a source *to*
 * v; for the time from v to the nearest facility, search the graph built
 * with every arc reversed. A graph of 65,536 nodes or more is searched on
 * the threads of ctx (rt_ctx_set_threads), with the same result bit for
 * bit as on one. Returns RT_OK, RT_E_ARG, RT_E_NOMEM or RT_E_CANCELLED. */
RT_API rt_status rt_graph_search(rt_ctx *ctx, const rt_graph *g, const rt_source *src,
                                 int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                                 rt_labels *out);

#ifdef __cplusplus
}
#endif
#endif
