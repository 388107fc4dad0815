#ifndef RT_STUDY_MEDIUM_H
#define RT_STUDY_MEDIUM_H
/* The travel media of a study behind one interface: a friction grid
 * (medium types friction, speed and speed_model), a road network searched
 * as a graph (network), or both joined by access legs (hybrid). The run
 * builds the medium once, places each facility type's points on it and
 * searches it; only the files of this folder know which kind it is
 * (medium.c holds the table of the kinds, grid.c, network.c and hybrid.c
 * one each). Methods: docs/methods.md. */
#include <stdint.h>

#include "core/measure/measure.h"
#include "core/sbuf.h"
#include "io/io.h"
#include "reistijd/rt_graph.h"
#include "reistijd/rt_search.h"
#include "study/spec/spec.h"

/* A source of the study file as the I/O layer reads it; allow_remote: the
 * study or the caller allows remote sources (/vsicurl/, URLs). */
static inline rti_layer_ref rti_source_ref(const rti_source *s, int allow_remote)
{
    rti_layer_ref r = {.path = s->path,
                       .layer = s->layer,
                       .where = s->where,
                       .crs = s->crs,
                       .x_column = s->x_column,
                       .y_column = s->y_column,
                       .band = s->band,
                       .allow_remote = allow_remote};
    return r;
}

/* "(a) AND (b)" of two OGR filters, or a copy of b when a is NULL, as
 * text the caller frees; NULL when out of memory (in ctx). */
char *rti_where_and(rt_ctx *ctx, const char *a, const char *b);

/* ---- the medium of a run (medium.c) ---- */

/* A built medium; opaque outside this folder. */
typedef struct rti_medium_run rti_medium_run;
/* Where one facility type starts on the medium; opaque outside this folder. */
typedef struct rti_starts rti_starts;

/* What a medium is built on, borrowed from the run for the medium's life. */
typedef struct rti_medium_env {
    const rt_study *study;
    const rti_grid_spec *grid;
    int64_t n_cells;
    const float *pop; /* persons per cell (study->has_population), else NULL or all 1 */
    int threads;      /* for the work on every cell */
    int team;         /* facility types searched at once (for memory estimates) */
    int allow_remote; /* remote sources may be read (the study's or the caller's choice) */
    /* the run's memory estimate in bytes: a road network adds its roads and
     * graph once they are read, and checks the sum against the budget */
    uint64_t *est_bytes;
} rti_medium_env;

/* Bytes per cell the medium of s holds during the searches (friction 4,
 * access legs 24, both 28; a hybrid also its grid starts per type searched
 * at once), for the run's estimate before anything is read. */
uint64_t rti_medium_bytes_per_cell(const rt_study *s, int team, unsigned search_flags);

/* rti_medium_build - reads the study's medium onto env->grid (rasters,
 * speed model, roads, profile; the cells attached to the roads). Messages
 * name the study file's keys. On RT_OK the caller owns *out and frees it
 * with rti_medium_free(); on error *out is NULL. */
rt_status rti_medium_build(rt_ctx *ctx, const rti_medium_env *env, rti_medium_run **out);
void rti_medium_free(rti_medium_run *m);

/* rti_medium_patched - the medium of scenario sc (index si in the study):
 * a copy of base whose grid over land has the scenario's patches applied
 * in the order written (the cells whose centre lies in a patch polygon get
 * its speed, or become impassable; on a grid medium new roads burned in
 * there too); on a road graph (network, hybrid) the scenario's new and
 * modified roads make a network of its own (rti_net_scenario), else the
 * roads and access legs are base's, shared: base must outlive the copy.
 * RT_E_DATA naming the change's key for a patch that covers no cell, or
 * when no passable cell is left. Free with rti_medium_free(). */
rt_status rti_medium_patched(rt_ctx *ctx, const rti_medium_run *base, const rti_scenario *sc,
                             int si, rti_medium_run **out);

/* Cells from which some route starts: passable over land or attached to a
 * road. */
int64_t rti_medium_passable(const rti_medium_run *m);

/* What the summaries, run.json and the report say of a built medium. */
typedef struct rti_medium_facts {
    const char *type;             /* "friction", "speed", "speed_model", "network", "hybrid" */
    int has_grid;                 /* a friction grid over land */
    int has_graph;                /* a road graph */
    double offroad_kmh;           /* a speed model: its speed off the roads, else NaN */
    const char *land_type;        /* hybrid: the type of the grid medium over land, else NULL */
    double land_offroad_kmh;      /* hybrid over a speed model: its speed off the roads, else NaN */
    const char *land_description; /* hybrid: the description of the medium over land */
    const char *profile_path;     /* the speed profile read (road graph), else NULL */
    int64_t road_nodes, road_edges, road_edges_used; /* road graph, else 0 */
    int roads_layer;   /* the GeoPackage gets a layer roads_<type> per type */
    const char *moved; /* what moving a facility means here */
} rti_medium_facts;
void rti_medium_facts_of(const rti_medium_run *m, rti_medium_facts *out);

/* The input files the medium of s reads, with their roles ("medium",
 * "medium.profile" when profile_path is given, "medium.land",
 * "medium.offroad.roads"...), in the order run.json lists them; appended
 * at out[*n] (at most max in all); size and checksum are not filled. */
void rti_medium_inputs(const rt_study *s, const char *profile_path, rti_input_file *out, int max,
                       int *n);

/* The lines of the text summary that describe the grid and the medium
 * ("grid: 771 x 605 cells of 50 m in EPSG:28992 (...)"). */
void rti_medium_summary(const rti_medium_run *m, rti_sbuf *b);

/* Where the facilities of one type start, filled by rti_medium_place. */
typedef struct rti_placement {
    double *snap_m; /* per point: distance moved to a passable cell or by the access
                       leg to the road (NaN = left out) */
    int64_t *cell;  /* per point: the cell it starts in (-1 = left out) */
    int64_t n_snapped, n_dropped;
    rti_starts *starts;
} rti_placement;

/* rti_medium_place - the points of facility type def onto the medium:
 * start cells, start nodes, counts of moved and left-out facilities, and
 * the warnings that name the first few left out. RT_E_DATA (naming the
 * type's place in the study file) when none of them can start. On error
 * *out may hold partial arrays: free it with rti_placement_free() either
 * way. */
rt_status rti_medium_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                           const rti_points *pts, rti_placement *out);
void rti_placement_free(rti_placement *p);

/* rti_medium_search - per-cell labels of one facility type (lab holds
 * env->n_cells cells, allocated for search_flags; facility = index into
 * the type's points). For a road network with study->outputs.geopackage,
 * the node labels are kept in p for rti_medium_write_layers(). Several
 * types may be searched at once from different threads, each with its
 * own ctx, ws, p and lab. */
rt_status rti_medium_search(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                            const rti_points *pts, unsigned search_flags, rt_search_ws *ws,
                            rt_labels *lab);

/* Updates on a road network (medium type network): rti_medium_keep_nodes
 * asks the next rti_medium_search of p to keep every label of the road
 * nodes, which rti_medium_kept_nodes then gives (NULL for other media or
 * before the search); rti_medium_node_starts gives p's start nodes and
 * their start lengths (returns 0 for other media). */
void rti_medium_keep_nodes(const rti_medium_run *m, rti_placement *p);
const rt_labels *rti_medium_kept_nodes(const rti_placement *p);
int rti_medium_node_starts(const rti_medium_run *m, const rti_placement *p, const rt_source **src,
                           int64_t *n_src, const float **start_m);

/* rti_medium_search_update - rti_medium_search of placement p on a road
 * network m as an update of base, the node labels kept by a search on m0
 * (m itself, or the network whose nodes m keeps in order and adds to);
 * map: per facility of that search its index among pts, -1 when closed.
 * The start nodes of the facilities kept must be those of that search, in
 * order. Bit for bit rti_medium_search, in time that grows with what
 * changed (plus one pass over the nodes and one over the cells). */
rt_status rti_medium_search_update(rt_ctx *ctx, const rti_medium_run *m, const rti_medium_run *m0,
                                   rti_placement *p, const rti_points *pts, unsigned search_flags,
                                   const rt_labels *base, const int32_t *map, int32_t n_map,
                                   rt_search_ws *ws, rt_labels *lab);

/* For a medium that is a friction grid alone (friction, speed,
 * speed_model): the grid and the start cells of a placed type (facility =
 * point index), borrowed from m and p; returns 1, or 0 for a medium with
 * roads (network, hybrid). */
int rti_medium_grid_starts(const rti_medium_run *m, const rti_placement *p, rt_grid_medium *grid,
                           const rt_source **src, int64_t *n_src);
/* ---- the medium of the measures (reach.c) ---- */

/* A placed type's facilities on the medium as core/measure's bounded
 * searches want them: kind GRID for a friction grid, ROADS for a network
 * (cells reached from the roads, and on foot near a facility) or a hybrid
 * medium (over land and roads), with every start grouped by facility
 * (facility = point index). By length, every cost is metres instead of
 * seconds: 1 s/m on every passable cell, each road arc's, edge's and
 * leg's length, the start lengths, so a search finds the shortest route
 * by length the medium allows (the roads the mode may use, in the
 * directions it may use them). med and facs point into the struct itself:
 * use it where rti_medium_reach_make filled it, do not copy it. */
typedef struct rti_medium_reach {
    rt_grid_medium grid;
    rti_reach_medium med;
    rti_reach_facs facs; /* without the crow-fly points */
    /* owned */
    rt_source *src, *nsrc;
    int64_t *first, *nfirst, *fa_first;
    rti_net_fac *fa;
    rti_net_cells nc;
    rti_reach_roads *roads;
    /* by length: the grid, the road graph, the legs and the edges in metres */
    float *len_fr;
    rt_graph *len_graph;
    double *leg_m, *len_along, *len_against;
} rti_medium_reach;

/* rti_medium_reach_make - fills *out (free it with rti_medium_reach_free()
 * whatever the result) for the points of a type placed by p, with costs
 * in seconds or (by_length) in metres. */
rt_status rti_medium_reach_make(rt_ctx *ctx, const rti_medium_run *m, const rti_placement *p,
                                const rti_points *pts, int by_length, rti_medium_reach *out);
void rti_medium_reach_free(rti_medium_reach *r);

/* The medium's own layers of a type in the GeoPackage at gpkg: for a road
 * network the layer roads_<type>, the roads the mode uses with the time
 * from either end to the nearest facility (after rti_medium_search kept
 * the node times). Nothing for a grid. */
rt_status rti_medium_write_layers(rt_ctx *ctx, const rti_medium_run *m, const rti_placement *p,
                                  const rti_points *pts, const char *type, const char *gpkg);

/* ---- road graphs (roadgraph.c) ---- */

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

/* rti_snap_points - facility points to start cells on the grid: the cell
 * under the point, or the nearest passable one within radius_m
 * (rt_grid_snap). Writes the start cells (facility index = point index)
 * to src and returns how many; points with no passable cell in reach are
 * left out and, when `what` is not NULL, listed in one warning naming
 * `what` and the first few ids (and the ones outside the extent in an
 * information message). *n_snapped counts the moved points, *n_dropped the
 * left-out ones. snap_m and cell_of_point (each may be NULL) get per point
 * the distance moved (NaN when left out) and the start cell (-1). */
int64_t rti_snap_points(rt_ctx *ctx, const rt_grid_medium *med, const rti_grid_spec *grid,
                        const rti_points *pts, double radius_m, const char *what, rt_source *src,
                        int64_t *n_snapped, int64_t *n_dropped, double *snap_m,
                        int64_t *cell_of_point);

/* The first few facilities of a warning: "'id' (x, y), 'id' (x, y)". */
#define RTI_IDLIST_SHOWN 5
typedef struct rti_idlist {
    char text[512];
    size_t used;
    int64_t n; /* added, shown or not */
} rti_idlist;
/* Adds facility i of pts (with its coordinates when with_xy). */
void rti_idlist_add(rti_idlist *l, const rti_points *pts, int64_t i, int with_xy);
/* ", ..." when more were added than shown, else "". */
const char *rti_idlist_more(const rti_idlist *l);

/* ---- for the files of medium/ only ---- */
#ifdef RTI_MEDIUM_INTERNAL
#include "core/hybrid.h"

/* Logs (information) that `outside` of the n facilities of `what` lie
 * outside the study extent; nothing when outside is 0. */
void rti_log_facilities_outside(rt_ctx *ctx, const char *what, int64_t outside, int64_t n);

/* The road network of a network or hybrid medium (network.c). */
typedef struct rti_net {
    rti_roads roads;
    rti_profile prof;
    rti_road_graph g;
    struct rti_edge_index *ix;
    char *profile_path;
    char *osm_config;
    int32_t *comp;      /* per node: its connected part of the mode's network, 0 = largest */
    int64_t *cell_edge; /* per cell: edge of its attachment, -1 = none */
    double *cell_frac, *cell_leg_s;
    double *w_along, *w_against; /* per edge: whole-edge times, NaN = not that way */
    int64_t n_attached;
    int64_t n_closed; /* edges of the profile's no_access classes, out of ix */
} rti_net;

typedef struct rti_medium_ops rti_medium_ops;

struct rti_medium_run {
    const rti_medium_ops *ops;
    rti_medium_env env;
    const rti_medium *spec; /* env.study->medium */
    float *friction;        /* grid over land: s/m, NaN = impassable; else NULL */
    rti_net *net;           /* road graph, else NULL */
    int shares_net;         /* a scenario's copy (patch.c): net is the baseline's */
    int64_t n_passable;
    const char *scen; /* a scenario's copy: its name, which the messages of its
                         network begin with; NULL for the baseline */
};

struct rti_starts {
    rt_source *src; /* on the grid: start cells */
    int64_t n_src;
    rt_source *nsrc; /* on the roads: start nodes, */
    float *nsrc_m;   /* their start lengths (the facility's way to the node) */
    int64_t n_nsrc;
    rti_net_fac *fa; /* the facilities' places on the roads, sorted by (edge, facility) */
    int64_t fa_n;
    int keep_nodes;  /* the search keeps every node label in nodes */
    rt_labels nodes; /* the labels of the road nodes, kept for the roads layer (with
                        outputs.geopackage) and for updates (rti_medium_keep_nodes) */
};

/* One kind of medium. */
struct rti_medium_ops {
    int has_grid, has_graph;
    const char *moved; /* rti_medium_facts.moved */
    rt_status (*build)(rt_ctx *ctx, rti_medium_run *m);
    rt_status (*place)(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                       const rti_points *pts, const char *key, rti_placement *p);
    rt_status (*search)(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                        const rti_points *pts, unsigned flags, rt_search_ws *ws, rt_labels *lab);
};

/* The functions of each kind (medium.c holds the table). */
rt_status rti_grid_medium_build(rt_ctx *ctx, rti_medium_run *m);
rt_status rti_grid_medium_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                                const rti_points *pts, const char *key, rti_placement *p);
rt_status rti_grid_medium_search(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                                 const rti_points *pts, unsigned flags, rt_search_ws *ws,
                                 rt_labels *lab);
rt_status rti_net_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                        const rti_points *pts, const char *key, rti_placement *p);
rt_status rti_hybrid_build(rt_ctx *ctx, rti_medium_run *m);
rt_status rti_hybrid_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                           const rti_points *pts, const char *key, rti_placement *p);

/* grid.c: m->friction from grid medium spec (the study's medium, or the
 * offroad medium of a hybrid one, whose keys are named under `pre`), and
 * m->n_passable. */
rt_status rti_grid_build_friction(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                                  const char *pre);
/* rti_grid_build_friction with the modify_roads changes of scenario sc
 * (index si) applied to a speed model's roads (at most
 * RTI_GRID_MAX_MODIFY): a road line is selected by a change when its
 * filter keeps it and its middle lies inside the change's polygons, as on
 * a road graph. */
#define RTI_GRID_MAX_MODIFY 8
rt_status rti_grid_build_friction_for(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                                      const char *pre, const rti_scenario *sc, int si);
/* patch.c: st with the place of change j of scenario sc (index si) and
 * its key ("patch", "modify_roads.within", ...) added to the message. */
rt_status rti_change_at(rt_ctx *ctx, rt_status st, const rti_medium_run *m, const rti_scenario *sc,
                        int si, int j, const char *key);
/* grid.c: the warning about population on cells no route starts from. */
void rti_grid_warn_stuck(rt_ctx *ctx, const rti_medium_run *m);
/* grid.c: the points on passable cells (p->snap_m, p->cell, the counts,
 * starts->src); `what` NULL: no messages. */
rt_status rti_grid_medium_snap(rt_ctx *ctx, rti_medium_run *m, const rti_points *pts,
                               const char *what, rti_placement *p);

/* network.c */
/* rti_net_build is rti_net_read (the profile and the roads into net),
 * rti_net_graph (the mode's graph into m->net->g) and rti_net_finish (edge
 * times, the edge index without the edges no_access marks (NULL: none),
 * the cells attached); a scenario changes the roads and the graph between
 * them (roads_change.c). */
rt_status rti_net_build(rt_ctx *ctx, rti_medium_run *m);
rt_status rti_net_read(rt_ctx *ctx, rti_medium_run *m, rti_net *net);
/* The roads of medium.roads as rti_net_read reads them, those the filter
 * `where` keeps too (NULL: all), into *out. */
rt_status rti_net_read_roads(rt_ctx *ctx, const rti_medium_run *m, const rti_net *net,
                             const char *where, rti_roads *out);
/* roads_change.c: the road network of scenario sc (index si) on m, a copy
 * of the baseline's medium whose net is the baseline's: medium.roads read
 * again, the scenario's new roads joined at their ends (within connect_m
 * of a road the mode uses, cutting it there), its modify_roads applied to
 * the mode's graph in the order written, the cells attached again; m->net
 * becomes the new network, owned by m. Errors name the change's key. */
rt_status rti_net_scenario(rt_ctx *ctx, rti_medium_run *m, const rti_scenario *sc, int si);
rt_status rti_net_graph(rt_ctx *ctx, rti_medium_run *m);
rt_status rti_net_finish(rt_ctx *ctx, rti_medium_run *m, const uint8_t *no_access);
/* What a message about roads out of reach adds when the profile's
 * no_access keeps some roads from the access legs: "" or
 * " (no access leg joins the roads of the profile's no_access classes:
 * motorway, motorway_link)", in buf. */
const char *rti_net_closed_note(const rti_net *net, char *buf, size_t n);
/* An index of the edges of net (its roads and graph) that the mode uses;
 * joinable: only those an access leg may join, not the edges no_access
 * marks (NULL: none) nor those of the profile's no_access classes, which
 * *n_closed counts (may be NULL). Free with rti_edge_index_destroy. */
rt_status rti_net_edge_index(rt_ctx *ctx, const rti_medium_run *m, const rti_net *net, int joinable,
                             const uint8_t *no_access, struct rti_edge_index **out,
                             int64_t *n_closed);
void rti_net_free(rti_net *net);
/* The points onto the roads: starts->nsrc, ->nsrc_m, ->fa; with
 * own_counts also p->snap_m, p->cell and the counts (network medium). */
rt_status rti_net_attach(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                         const rti_points *pts, const char *what, int own_counts, rti_placement *p);
/* The cells of the grid attached to the roads, for type s's facilities. */
rti_net_cells rti_net_cells_of(const rti_medium_run *mr, const rti_starts *s);
/* Calls fn for every cell whose centre lies within access.max_distance_m
 * of the point (px, py), with that distance: the cells that may walk
 * straight to a facility there (network medium). */
void rti_net_walk_cells(const rti_medium_run *mr, double px, double py,
                        void (*fn)(void *user, int64_t cell, double d_m), void *user);
/* The search of a network or hybrid medium (the search of rti_medium_ops). */
rt_status rti_net_search(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                         const rti_points *pts, unsigned flags, rt_search_ws *ws, rt_labels *lab);
/* rti_medium_search_update on a network medium. */
rt_status rti_net_search_update(rt_ctx *ctx, const rti_medium_run *m, const rti_medium_run *m0,
                                rti_placement *p, const rti_points *pts, unsigned flags,
                                const rt_labels *base, const int32_t *map, int32_t n_map,
                                rt_search_ws *ws, rt_labels *lab);
/* roads_layer.c */
rt_status rti_net_write_roads_layer(rt_ctx *ctx, const rti_medium_run *m, const rti_starts *s,
                                    const rti_points *pts, const char *type, const char *gpkg);
#endif

#endif
