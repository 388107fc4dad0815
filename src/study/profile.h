#ifndef RT_STUDY_PROFILE_H
#define RT_STUDY_PROFILE_H
/* Speed profiles: per travel mode, the speed on each road class and
 * whether the mode uses it, read from a versioned YAML file
 * (geodata/profiles/car.yaml, bike.yaml, walk.yaml; format in
 * docs/networks.md), and the road graph of a mode. */
#include <stdint.h>

#include "io/io.h"
#include "reistijd/rt_graph.h"

#define RTI_PROFILE_VERSION 1
#define RTI_PROFILE_MAX_CLASSES 32

struct fy_node;

typedef struct rti_profile {
    char *path;         /* the file read, for messages (owned) */
    int version;        /* RTI_PROFILE_VERSION */
    int mode;           /* RTI_MODE_CAR, RTI_MODE_BIKE or RTI_MODE_WALK */
    int use_maxspeed;   /* cap class speeds by the road's maxspeed */
    double default_kmh; /* roads a tag opens to the mode (bicycle=yes on a footway) whose
                           class the mode does not use; NaN: such roads stay closed */
    /* by index of rti_road_class_names(): km/h, or NaN when the mode does not use the class */
    double class_kmh[RTI_PROFILE_MAX_CLASSES];
    int n_classes;
} rti_profile;

/* rti_profile_load - reads a profile file. Errors are RT_E_PARSE as
 * "FILE:LINE:COLUMN: key 'classes.motorway': what" (an unknown class names
 * the known classes; a missing class, a speed <= 0 or not a number, a
 * wrong version or mode are errors), RT_E_IO for a file that cannot be
 * read. Every class of rti_road_class_names() but "line" must be listed.
 * On error *out is zeroed. Free with rti_profile_free(). */
rt_status rti_profile_load(rt_ctx *ctx, const char *path, rti_profile *out);
void rti_profile_free(rti_profile *p);

/* Sets the speed of one class: kmh > 0 (the mode uses the class), or 0
 * (it does not). Unknown class: RT_E_ARG naming the known classes; a
 * negative or non-finite speed: RT_E_ARG. */
rt_status rti_profile_override(rt_ctx *ctx, rti_profile *p, const char *cls, double kmh);

/* Applies a YAML mapping of overrides ({class: km/h or no}) from a study
 * file; errors as rti_profile_load() with the position in `file`. */
rt_status rti_profile_override_node(rt_ctx *ctx, rti_profile *p, struct fy_node *map,
                                    const char *file);

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

#endif
