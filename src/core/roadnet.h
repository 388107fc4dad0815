#ifndef RT_CORE_ROADNET_H
#define RT_CORE_ROADNET_H
/* Road network helpers without any library: the road classes reistijd
 * knows, OSM maxspeed values and connected components of an edge list.
 * Used by the io layer (reading roads) and the study layer (profiles).
 * The rules are described in docs/networks.md. */
#include <stdint.h>

#include "reistijd/rt_ctx.h"
#include "reistijd/rt_status.h"

/* The road classes a road reader produces and a speed profile may name:
 * the routable OSM highway values ("motorway" ... "steps"), "nwb:R",
 * "nwb:P", "nwb:G", "nwb:W", "nwb:T" (NWB road authority) and "line" (line
 * layers with their own speed or time column). NULL-terminated; *n (may be
 * NULL) gets the count. Static, never freed. */
const char *const *rti_road_class_names(int *n);
/* Index of name in rti_road_class_names(), or -1. Exact match. */
int rti_road_class_index(const char *name);

/* rti_parse_maxspeed - an OSM maxspeed value in km/h.
 * Accepts a number ("50", "50.5"), a number with a unit ("50 km/h",
 * "30 mph" x 1.609344, "10 knots" x 1.852), "none" (no limit: +INFINITY),
 * "walk" (15 km/h, a Dutch erf's "stapvoets") and the implicit limits
 * "NL:urban" 50, "NL:rural" 80, "NL:trunk" 100, "NL:motorway" 130,
 * "NL:zone30" 30, "NL:zone60" 60, "NL:living_street"/"NL:walk" 15, and the
 * same words for BE, BE-VLG, BE-WAL, BE-BRU and DE (docs/networks.md). Several
 * values separated by ';' give the lowest. Surrounding blanks are ignored.
 * Returns 1 with *kmh set, 0 for NULL or empty text (*kmh NaN), -1 for
 * text that is not a speed ("signals", "variable", "50 kph?"; *kmh NaN). */
int rti_parse_maxspeed(const char *s, double *kmh);

/* rti_road_components - weakly connected components of a graph given as
 * an edge list (direction ignored), by union-find.
 * @comp:   n_nodes ints, caller-owned: component of each node. Components
 *          are numbered 0, 1, ... by decreasing size; equal sizes by their
 *          lowest node.
 * @sizes:  *sizes gets n_comp node counts (caller frees with free()).
 * Edges with a node outside 0 .. n_nodes-1 are RT_E_ARG. */
rt_status rti_road_components(rt_ctx *ctx, int64_t n_nodes, int64_t n_edges, const int32_t *from,
                              const int32_t *to, int32_t *comp, int64_t **sizes, int32_t *n_comp);

#endif
