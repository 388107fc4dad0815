#ifndef RT_STUDY_NETWORK_H
#define RT_STUDY_NETWORK_H
/* A road network read from a file, as a searchable graph with the node ids
 * of the file. */
#include <stdint.h>

#include "io/io.h"
#include "reistijd/rt_graph.h"

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

#endif
