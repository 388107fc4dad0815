/* The graph of one travel mode over a road network: which edges the mode
 * uses, in which directions, and at what speed (rules in profile.h and
 * docs/networks.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "core/roadnet.h"
#include "study/medium/medium.h"

void rti_road_graph_free(rti_road_graph *g)
{
    if (!g)
        return;
    rt_graph_destroy(g->graph);
    free(g->tail), free(g->head), free(g->time_s), free(g->length_m);
    free(g->arc_along), free(g->arc_against);
    memset(g, 0, sizeof(*g));
}

/* Speed of edge e for the profile in km/h, or NaN when the mode does not
 * use it. class_kmh: the profile's speed per class of r. */
static double edge_kmh(const rti_roads *r, const rti_profile *p, const double *class_kmh, int64_t e)
{
    if (r->speed_kmh && !isnan(r->speed_kmh[e])) /* NaN: a road of the network a scenario's
                                                    new roads were added to */
        return r->speed_kmh[e];
    if (!(r->modes[e] & p->mode))
        return NAN;
    double kmh = class_kmh[r->cls[e]];
    if (isnan(kmh) && (r->modes_yes[e] & p->mode))
        kmh = p->default_kmh;
    double cap = r->maxspeed_kmh[e];
    if (p->use_maxspeed && cap > 0 && cap < kmh)
        kmh = cap;
    return kmh;
}

static int edge_dir(const rti_roads *r, const rti_profile *p, int64_t e)
{
    if (p->mode == RTI_MODE_CAR)
        return r->dir_car[e];
    if (p->mode == RTI_MODE_BIKE)
        return r->dir_bike[e];
    return RTI_DIR_BOTH;
}

/* The longest a road edge may take (about 31 years): far beyond any road,
 * and short enough that every route of a graph of at most 2^31 nodes stays
 * within the Float32 range of the outputs. A longer time is a unit mistake
 * or a speed near 0 in the data. */
#define RTI_MAX_EDGE_TIME_S 1e9

static void put_arc(rti_road_graph *g, int32_t a, int32_t b, double t, double len, int toward)
{
    int64_t k = g->n_arcs++;
    g->tail[k] = toward ? b : a;
    g->head[k] = toward ? a : b;
    g->time_s[k] = t;
    g->length_m[k] = (float)len;
}

static rt_status alloc_arcs(rt_ctx *ctx, rti_road_graph *g, int64_t n_edges)
{
    int64_t m = 2 * n_edges > 0 ? 2 * n_edges : 1;
    g->tail = rti_alloc_array_uninit(ctx, m, sizeof(int32_t), "road arcs");
    g->head = g->tail ? rti_alloc_array_uninit(ctx, m, sizeof(int32_t), "road arcs") : NULL;
    g->time_s = g->head ? rti_alloc_array_uninit(ctx, m, sizeof(double), "road arcs") : NULL;
    g->length_m = g->time_s ? rti_alloc_array_uninit(ctx, m, sizeof(float), "road arcs") : NULL;
    g->arc_along = g->length_m ? rti_alloc_array_uninit(ctx, n_edges ? n_edges : 1, sizeof(int64_t),
                                                        "road arcs")
                               : NULL;
    g->arc_against = g->arc_along ? rti_alloc_array_uninit(ctx, n_edges ? n_edges : 1,
                                                           sizeof(int64_t), "road arcs")
                                  : NULL;
    return g->arc_against ? RT_OK : RT_E_NOMEM;
}

/* The profile's speed for each class of r (NaN: not used). */
static rt_status class_speeds(rt_ctx *ctx, const rti_roads *r, const rti_profile *p, double *out)
{
    for (int c = 0; c < r->n_classes; c++) {
        int k = rti_road_class_index(r->classes[c]);
        if (k < 0 || k >= RTI_PROFILE_MAX_CLASSES)
            return rti_error(ctx, RT_E_ARG, "road network: unknown road class '%s'", r->classes[c]);
        out[c] = p->class_kmh[k];
    }
    return RT_OK;
}

rt_status rti_roads_graph(rt_ctx *ctx, const rti_roads *r, const rti_profile *p, int toward,
                          rti_road_graph *out)
{
    double class_kmh[RTI_PROFILE_MAX_CLASSES];
    memset(out, 0, sizeof(*out));
    if (r->n_classes > RTI_PROFILE_MAX_CLASSES)
        return rti_error(ctx, RT_E_ARG, "road network: %d classes", r->n_classes);
    rt_status st = class_speeds(ctx, r, p, class_kmh);
    st = st ? st : alloc_arcs(ctx, out, r->n_edges);
    for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++) {
        double kmh = edge_kmh(r, p, class_kmh, e), len = r->length_m[e];
        int dir = edge_dir(r, p, e);
        const int own_time = r->time_s && !isnan(r->time_s[e]);
        double t = own_time ? r->time_s[e] : len / (kmh / 3.6);
        int used = own_time || kmh > 0;
        if (used && !(t <= RTI_MAX_EDGE_TIME_S)) {
            st = rti_error(ctx, RT_E_DATA,
                           "road network: road %lld (edge %lld): a travel time of %g s (%g m at "
                           "%g km/h) is not allowed (at most %g s; a road that cannot be used "
                           "has no speed)",
                           (long long)r->source_fid[e], (long long)e, t, len,
                           own_time ? len / t * 3.6 : kmh, RTI_MAX_EDGE_TIME_S);
            break;
        }
        out->arc_along[e] = out->arc_against[e] = -1;
        if (used && dir != RTI_DIR_BACKWARD) {
            out->arc_along[e] = out->n_arcs;
            put_arc(out, r->from[e], r->to[e], t, len, toward);
        }
        if (used && dir != RTI_DIR_FORWARD) {
            out->arc_against[e] = out->n_arcs;
            put_arc(out, r->to[e], r->from[e], t, len, toward);
        }
        out->n_edges_used += used;
    }
    if (st == RT_OK) {
        rt_arcs arcs = {out->n_arcs, out->tail, out->head, out->time_s, out->length_m};
        st = rt_graph_build(ctx, r->n_nodes, &arcs, &out->graph);
    }
    if (st != RT_OK)
        rti_road_graph_free(out);
    return st;
}
