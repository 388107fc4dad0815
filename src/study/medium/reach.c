/* The medium of the measures: a placed type's starts grouped by facility,
 * and for a medium with roads the index from road nodes to the cells
 * attached to them (medium.h, "the medium of the measures"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study/medium/medium.h"

void rti_medium_reach_free(rti_medium_reach *r)
{
    free(r->src);
    free(r->nsrc);
    free(r->first);
    free(r->nfirst);
    free(r->fa_first);
    free(r->fa);
    rti_reach_roads_free(r->roads);
    free(r->len_fr);
    rt_graph_destroy(r->len_graph);
    free(r->leg_m);
    free(r->len_along);
    free(r->len_against);
    memset(r, 0, sizeof(*r));
}

/* The n sources of src (facility in 0 .. np - 1) grouped by facility,
 * stable: into *out and the np + 1 offsets *first. */
static rt_status group(rt_ctx *ctx, const rt_source *src, int64_t n, int64_t np, rt_source **out,
                       int64_t **first)
{
    *first = rti_malloc_array(ctx, np + 1, sizeof(int64_t), "measure facilities");
    *out = rti_malloc_array(ctx, n > 0 ? n : 1, sizeof(rt_source), "measure facilities");
    int64_t *pos = rti_alloc_array_uninit(ctx, np > 0 ? np : 1, sizeof(int64_t), "measures");
    if (!*first || !*out || !pos) {
        free(pos);
        return RT_E_NOMEM;
    }
    int64_t *f = *first;
    for (int64_t i = 0; i < n; i++)
        f[src[i].facility + 1]++;
    for (int64_t j = 0; j < np; j++)
        f[j + 1] += f[j];
    memcpy(pos, f, (size_t)np * sizeof(int64_t));
    for (int64_t i = 0; i < n; i++)
        (*out)[pos[src[i].facility]++] = src[i];
    free(pos);
    return RT_OK;
}

/* The cells a facility reaches on foot, appended to a growing list. */
typedef struct walk_list {
    rt_ctx *ctx;
    rt_source *src;
    int64_t n, cap;
    int32_t f;
    double speed;
    int failed;
} walk_list;

static void add_walk(void *user, int64_t cell, double d)
{
    walk_list *w = user;
    if (w->failed)
        return;
    if (w->n == w->cap) {
        const int64_t cap = w->cap ? 2 * w->cap : 1024;
        rt_source *s = rti_realloc_array(w->ctx, w->src, cap, sizeof(rt_source), "measures");
        if (!s) {
            w->failed = 1;
            return;
        }
        w->src = s;
        w->cap = cap;
    }
    w->src[w->n++] = (rt_source){cell, w->f, w->speed > 0 ? d / w->speed : d};
}

/* Facility places on the roads, by facility, and on a network medium the
 * cells each reaches on foot (offer_direct_walks' times, once per
 * facility on the roads) as its cell starts. */
static rt_status roads_starts(rt_ctx *ctx, const rti_medium_run *m, const rti_starts *s,
                              const rti_points *pts, rti_medium_reach *r)
{
    const int64_t np = pts->n;
    r->fa_first = rti_malloc_array(ctx, np + 1, sizeof(int64_t), "measure facilities");
    r->fa = rti_malloc_array(ctx, s->fa_n > 0 ? s->fa_n : 1, sizeof(rti_net_fac), "measures");
    if (!r->fa_first || !r->fa)
        return RT_E_NOMEM;
    for (int64_t k = 0; k < s->fa_n; k++)
        r->fa_first[s->fa[k].facility + 1]++;
    for (int64_t j = 0; j < np; j++)
        r->fa_first[j + 1] += r->fa_first[j];
    /* s->fa is sorted by (edge, facility): a stable pass keeps each
     * facility's places in edge order */
    int64_t *pos = rti_alloc_array_uninit(ctx, np > 0 ? np : 1, sizeof(int64_t), "measures");
    if (!pos)
        return RT_E_NOMEM;
    memcpy(pos, r->fa_first, (size_t)np * sizeof(int64_t));
    for (int64_t k = 0; k < s->fa_n; k++)
        r->fa[pos[s->fa[k].facility]++] = s->fa[k];
    free(pos);
    walk_list w = {.ctx = ctx, .speed = r->len_graph ? 0.0 : m->spec->access_kmh / 3.6};
    if (!m->ops->has_grid)
        for (int32_t j = 0; j < (int32_t)np && !w.failed; j++)
            if (r->fa_first[j + 1] > r->fa_first[j]) {
                w.f = j;
                rti_net_walk_cells(m, pts->x[j], pts->y[j], add_walk, &w);
            }
    /* the cell starts: on the land (hybrid) or on foot (network) */
    rt_status st = w.failed ? RT_E_NOMEM : RT_OK;
    if (st == RT_OK)
        st = m->ops->has_grid ? group(ctx, s->src, s->n_src, np, &r->src, &r->first)
                              : group(ctx, w.src, w.n, np, &r->src, &r->first);
    free(w.src);
    if (st == RT_OK)
        st = group(ctx, s->nsrc, s->n_nsrc, np, &r->nsrc, &r->nfirst);
    if (st != RT_OK || !r->len_graph)
        return st;
    /* by length: the start lengths, the facilities' legs in metres */
    for (int64_t i = 0; m->ops->has_grid && i < r->first[np]; i++)
        r->src[i].start_s = 0.0;
    int64_t *at = rti_alloc_array_uninit(ctx, np > 0 ? np : 1, sizeof(int64_t), "measures");
    if (!at)
        return RT_E_NOMEM;
    memcpy(at, r->nfirst, (size_t)np * sizeof(int64_t));
    for (int64_t i = 0; i < s->n_nsrc; i++) /* group() is stable: the same order */
        r->nsrc[at[s->nsrc[i].facility]++].start_s = (double)s->nsrc_m[i];
    free(at);
    for (int64_t k = 0; k < s->fa_n; k++)
        r->fa[k].leg_s = r->fa[k].leg_m;
    return RT_OK;
}

/* The roads in metres: a graph of the mode's arcs weighted by their
 * lengths, and the attached cells' legs and the edges' lengths (NaN where
 * the mode may not go that way). */
static rt_status length_roads(rt_ctx *ctx, const rti_medium_run *m, rti_medium_reach *r)
{
    const rti_net *net = m->net;
    const rti_road_graph *g = &net->g;
    const int64_t n_cells = m->env.n_cells, ne = net->roads.n_edges;
    double *w = rti_alloc_array_uninit(ctx, g->n_arcs > 0 ? g->n_arcs : 1, sizeof(double), "roads");
    r->leg_m = rti_alloc_array_uninit(ctx, n_cells, sizeof(double), "measure legs");
    r->len_along = rti_alloc_array_uninit(ctx, ne > 0 ? ne : 1, sizeof(double), "measure roads");
    r->len_against = rti_alloc_array_uninit(ctx, ne > 0 ? ne : 1, sizeof(double), "measure roads");
    if (!w || !r->leg_m || !r->len_along || !r->len_against) {
        free(w);
        return RT_E_NOMEM;
    }
    for (int64_t a = 0; a < g->n_arcs; a++)
        w[a] = (double)g->length_m[a];
    const rt_arcs arcs = {g->n_arcs, g->tail, g->head, w, NULL};
    rt_status st = rt_graph_build(ctx, net->roads.n_nodes, &arcs, &r->len_graph);
    free(w);
    if (st != RT_OK)
        return st;
    const double speed = m->spec->access_kmh / 3.6;
    for (int64_t i = 0; i < n_cells; i++)
        r->leg_m[i] = net->cell_leg_s[i] * speed;
    for (int64_t e = 0; e < ne; e++) {
        r->len_along[e] = isnan(net->w_along[e]) ? NAN : net->roads.length_m[e];
        r->len_against[e] = isnan(net->w_against[e]) ? NAN : net->roads.length_m[e];
    }
    r->nc.cell_leg_s = r->leg_m;
    r->nc.w_along = r->len_along;
    r->nc.w_against = r->len_against;
    return RT_OK;
}

/* The grid in metres: 1 s/m on every passable cell. */
static rt_status length_grid(rt_ctx *ctx, const rti_medium_run *m, rti_medium_reach *r)
{
    const int64_t n = m->env.n_cells;
    r->len_fr = rti_alloc_array_uninit(ctx, n, sizeof(float), "measure grid");
    if (!r->len_fr)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < n; i++)
        r->len_fr[i] = m->friction[i] > 0 && m->friction[i] < INFINITY ? 1.0f : NAN;
    r->grid.friction_s_per_m = r->len_fr;
    return RT_OK;
}

rt_status rti_medium_reach_make(rt_ctx *ctx, const rti_medium_run *m, const rti_placement *p,
                                const rti_points *pts, int by_length, rti_medium_reach *out)
{
    memset(out, 0, sizeof(*out));
    const rti_grid_spec *g = m->env.grid;
    const rti_starts *s = p->starts;
    out->grid = (rt_grid_medium){m->friction, g->nx, g->ny, g->cell_m};
    out->med = (rti_reach_medium){.kind = m->ops->has_graph ? RTI_REACH_ROADS : RTI_REACH_GRID,
                                  .grid = &out->grid,
                                  .neighbours = m->env.study->neighbours};
    rt_status st = by_length && m->friction ? length_grid(ctx, m, out) : RT_OK;
    if (st == RT_OK && !m->ops->has_graph) {
        st = group(ctx, s->src, s->n_src, pts->n, &out->src, &out->first);
        for (int64_t i = 0; st == RT_OK && by_length && i < s->n_src; i++)
            out->src[i].start_s = 0.0;
    } else if (st == RT_OK) {
        out->nc = rti_net_cells_of(m, s);
        if (by_length)
            st = length_roads(ctx, m, out);
        if (st == RT_OK)
            st = rti_reach_roads_build(ctx, by_length ? out->len_graph : m->net->g.graph, &out->nc,
                                       &out->roads);
        if (st == RT_OK)
            st = roads_starts(ctx, m, s, pts, out);
        out->med.roads = out->roads;
    }
    out->facs = (rti_reach_facs){.n = (int32_t)pts->n,
                                 .first = out->first,
                                 .src = out->src,
                                 .nfirst = out->nfirst,
                                 .nsrc = out->nsrc,
                                 .fa_first = out->fa_first,
                                 .fa = out->fa};
    return st;
}
