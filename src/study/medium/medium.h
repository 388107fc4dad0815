#ifndef RT_STUDY_MEDIUM_H
#define RT_STUDY_MEDIUM_H
/* The travel media of a study: grids, road graphs and snapping. */
#include <stdint.h>

#include "io/io.h"
#include "reistijd/rt_graph.h"
#include "reistijd/rt_search.h"
#include "study/spec/spec.h"

/* The graph of one mode over a road network. */
typedef struct rti_road_graph {
    rt_graph *graph;
    /* the arcs as given to rt_graph_build (reversed when toward = 1) */
    int64_t n_arcs;
    int32_t *tail, *head;
    double *time_s;
    float *length_m;
    /* per road edge: the arc along its geometry (from -> to) and the one
     * against it, indices into the arrays above; -1 where the mode may not
     * travel that way */
    int64_t *arc_along, *arc_against;
    int64_t n_edges_used; /* edges with at least one arc */
} rti_road_graph;

/* rti_roads_graph - the arcs of the profile's mode over roads r:
 *  - an edge is used when the access tags allow the mode (r->modes) and the
 *    profile uses its class, or a tag opens it explicitly (r->modes_yes)
 *    and the profile has a default_kmh; LINES edges with their own speed
 *    or time are used by every mode;
 *  - directions: dir_car for cars, dir_bike for bicycles, both ways on foot;
 *  - speed: the LINES speed or time when given, else the class speed, for
 *    use_maxspeed capped by the road's maxspeed (+inf: no cap);
 *  - time = length / speed.
 * toward = 1 stores every arc reversed, so that a search from the
 * facilities gives each node's time *to* its nearest facility (as
 * rti_network_from_table). Free with rti_road_graph_free(). */
rt_status rti_roads_graph(rt_ctx *ctx, const rti_roads *r, const rti_profile *p, int toward,
                          rti_road_graph *out);
void rti_road_graph_free(rti_road_graph *g);

/* ---- road networks from edge tables (network_table.c) ---- */

typedef struct rti_network {
    int64_t n_nodes;
    int64_t *node_id; /* ascending ids of the file; graph node i is node_id[i] */
    rt_graph *graph;
} rti_network;

/* Builds the graph of an edge table. toward_sources = 1 stores every arc
 * reversed, so that a search from facility nodes gives the time from each
 * node *to* its nearest facility along the roads' directions (what a
 * resident drives); 0 gives the time *from* the facilities. */
rt_status rti_network_from_table(rt_ctx *ctx, const rti_edge_table *t, int toward_sources,
                                 rti_network *out);
/* Graph node of a file node id, or -1 when the network has no such node. */
int64_t rti_network_node(const rti_network *net, int64_t id);
void rti_network_free(rti_network *net);

/* ---- facilities onto the grid (snap.c) ---- */

/* Turns facility points into start cells on the grid: the cell under the
 * point, or the nearest passable one within radius_m (rt_grid_snap).
 * Writes the start cells (facility index = point index) to src and returns
 * how many; points with no passable cell in reach are left out and listed
 * in one warning naming `what` and the first few ids. *n_snapped counts the
 * moved points, *n_dropped the left-out ones. snap_m (may be NULL) gets the
 * distance moved per point (NaN when dropped). what NULL: no messages. */
/* Logs (information) that `outside` of the n facilities of `what` lie
 * outside the study extent; nothing when outside is 0. */
void rti_log_facilities_outside(rt_ctx *ctx, const char *what, int64_t outside, int64_t n);

int64_t rti_snap_points(rt_ctx *ctx, const rt_grid_medium *med, const rti_grid_spec *grid,
                        const rti_points *pts, double radius_m, const char *what, rt_source *src,
                        int64_t *n_snapped, int64_t *n_dropped);
int64_t rti_snap_points_ex(rt_ctx *ctx, const rt_grid_medium *med, const rti_grid_spec *grid,
                           const rti_points *pts, double radius_m, const char *what, rt_source *src,
                           int64_t *n_snapped, int64_t *n_dropped, double *snap_m,
                           int64_t *cell_of_point);

#endif
