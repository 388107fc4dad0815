/* The medium of a run: the one place that picks the implementation of a
 * medium kind (grid.c, network.c, hybrid.c); everything else goes through
 * the functions below. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"

/* The kinds of media: what each has, and its functions. */
static const rti_medium_ops GRID = {1,
                                    0,
                                    "moved to a passable cell",
                                    rti_grid_medium_build,
                                    rti_grid_medium_place,
                                    rti_grid_medium_search};
static const rti_medium_ops NETWORK = {
    0, 1, "off the roads, with an access leg", rti_net_build, rti_net_place, rti_net_search};
static const rti_medium_ops HYBRID = {1,
                                      1,
                                      "moved to a passable cell or off the roads",
                                      rti_hybrid_build,
                                      rti_hybrid_place,
                                      rti_net_search};

static const rti_medium_ops *ops_of(rti_medium_kind kind)
{
    switch (kind) {
    case RTI_MEDIUM_NETWORK:
        return &NETWORK;
    case RTI_MEDIUM_HYBRID:
        return &HYBRID;
    default: /* friction, speed, speed_model */
        return &GRID;
    }
}

uint64_t rti_medium_bytes_per_cell(const rt_study *s, int team, unsigned search_flags)
{
    const rti_medium_ops *ops = ops_of(s->medium.kind);
    const uint64_t k = search_flags & RT_SEARCH_SECOND ? 2 : 1;
    uint64_t per_cell = 0;
    if (ops->has_grid)
        per_cell += 4; /* friction */
    if (ops->has_graph)
        per_cell += 24;                  /* the cells' access legs: edge, share of it, time */
    if (ops->has_grid && ops->has_graph) /* up to k grid starts per cell and type */
        per_cell += (uint64_t)team * k * sizeof(rt_source);
    return per_cell;
}

rt_status rti_medium_build(rt_ctx *ctx, const rti_medium_env *env, rti_medium_run **out)
{
    *out = NULL;
    rti_medium_run *m = calloc(1, sizeof(*m));
    if (!m)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    m->env = *env;
    m->spec = &env->study->medium;
    m->ops = ops_of(m->spec->kind);
    rt_status st = m->ops->build(ctx, m);
    if (st != RT_OK) {
        rti_medium_free(m);
        return st;
    }
    *out = m;
    return RT_OK;
}

void rti_medium_free(rti_medium_run *m)
{
    if (!m)
        return;
    free(m->friction);
    if (!m->shares_net)
        rti_net_free(m->net);
    free(m);
}

int64_t rti_medium_passable(const rti_medium_run *m) { return m->n_passable; }

void rti_medium_facts_of(const rti_medium_run *m, rti_medium_facts *out)
{
    const rti_medium *land = m->spec->offroad;
    memset(out, 0, sizeof(*out));
    out->type = rti_medium_kind_name(m->spec->kind);
    out->has_grid = m->ops->has_grid;
    out->has_graph = m->ops->has_graph;
    out->moved = m->ops->moved;
    out->offroad_kmh = m->spec->kind == RTI_MEDIUM_SPEED_MODEL ? m->spec->offroad_kmh : NAN;
    out->land_type = land ? rti_medium_kind_name(land->kind) : NULL;
    out->land_offroad_kmh = land && land->kind == RTI_MEDIUM_SPEED_MODEL ? land->offroad_kmh : NAN;
    out->land_description = land ? land->description : NULL;
    out->roads_layer = m->ops->has_graph && m->env.study->outputs.geopackage;
    if (m->ops->has_graph) {
        out->profile_path = m->net->profile_path;
        out->road_nodes = m->net->roads.n_nodes;
        out->road_edges = m->net->roads.n_edges;
        out->road_edges_used = m->net->g.n_edges_used;
    }
}

void rti_medium_summary(const rti_medium_run *m, rti_sbuf *b)
{
    const rti_grid_spec *g = m->env.grid;
    const rt_study *s = m->env.study;
    if (m->ops->has_graph && m->ops->has_grid)
        rti_sb_printf(b,
                      "grid: %d x %d cells of %g m in %s (%lld passable over land or within %g m "
                      "of a road), %d neighbours\n",
                      g->nx, g->ny, g->cell_m, s->crs, (long long)m->n_passable,
                      s->medium.access_max_m, s->neighbours);
    else if (m->ops->has_graph)
        rti_sb_printf(b, "grid: %d x %d cells of %g m in %s (%lld within %g m of a road)\n", g->nx,
                      g->ny, g->cell_m, s->crs, (long long)m->n_passable, s->medium.access_max_m);
    else
        rti_sb_printf(b, "grid: %d x %d cells of %g m in %s (%lld passable), %d neighbours\n",
                      g->nx, g->ny, g->cell_m, s->crs, (long long)m->n_passable, s->neighbours);
    if (m->ops->has_graph)
        rti_sb_printf(b, "roads: %lld nodes, %lld edges, %lld used by the mode\n",
                      (long long)m->net->roads.n_nodes, (long long)m->net->roads.n_edges,
                      (long long)m->net->g.n_edges_used);
}

static void list_input(rti_input_file *out, int max, int *n, const char *role, const char *path,
                       const char *attribution)
{
    if (!path || *n >= max)
        return;
    rti_input_file *in = &out[(*n)++];
    memset(in, 0, sizeof(*in));
    snprintf(in->role, sizeof(in->role), "%s", role);
    in->path = path;
    in->attribution = attribution;
}

/* The files of medium m (the study's medium, or a hybrid's offroad, whose
 * roles start with `pre`), the profile after the raster. */
static void medium_files(const rti_medium *m, const char *pre, const char *profile_path,
                         rti_input_file *out, int max, int *n)
{
    char role[64];
    if (m->kind == RTI_MEDIUM_FRICTION || m->kind == RTI_MEDIUM_SPEED)
        list_input(out, max, n, pre, m->raster.path, m->raster.attribution);
    snprintf(role, sizeof(role), "%s.profile", pre);
    list_input(out, max, n, role, profile_path, NULL);
    snprintf(role, sizeof(role), "%s.land", pre);
    if (m->has_land)
        list_input(out, max, n, role, m->land.path, m->land.attribution);
    snprintf(role, sizeof(role), "%s.roads", pre);
    if (m->has_roads)
        list_input(out, max, n, role, m->roads.path, m->roads.attribution);
}

void rti_medium_inputs(const rt_study *s, const char *profile_path, rti_input_file *out, int max,
                       int *n)
{
    medium_files(&s->medium, "medium", profile_path, out, max, n);
    if (s->medium.offroad) /* hybrid: the grid medium over land */
        medium_files(s->medium.offroad, "medium.offroad", NULL, out, max, n);
}

rt_status rti_medium_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                           const rti_points *pts, rti_placement *out)
{
    memset(out, 0, sizeof(*out));
    out->starts = calloc(1, sizeof(*out->starts));
    if (!out->starts)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    char key[96];
    snprintf(key, sizeof(key), "facilities '%s'", def->type);
    return m->ops->place(ctx, m, def, pts, key, out);
}

void rti_placement_free(rti_placement *p)
{
    if (!p)
        return;
    free(p->snap_m);
    free(p->cell);
    rti_starts *s = p->starts;
    if (s) {
        free(s->src);
        free(s->nsrc);
        free(s->nsrc_m);
        free(s->fa);
        rt_labels_free(&s->nodes);
        free(s);
    }
    memset(p, 0, sizeof(*p));
}

rt_status rti_medium_search(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                            const rti_points *pts, unsigned search_flags, rt_search_ws *ws,
                            rt_labels *lab)
{
    return m->ops->search(ctx, m, p, pts, search_flags, ws, lab);
}

static int is_network(const rti_medium_run *m) { return m->ops->has_graph && !m->ops->has_grid; }

void rti_medium_keep_nodes(const rti_medium_run *m, rti_placement *p)
{
    if (is_network(m) && p->starts)
        p->starts->keep_nodes = 1;
}

const rt_labels *rti_medium_kept_nodes(const rti_placement *p)
{
    return p->starts && p->starts->nodes.time_s ? &p->starts->nodes : NULL;
}

int rti_medium_node_starts(const rti_medium_run *m, const rti_placement *p, const rt_source **src,
                           int64_t *n_src, const float **start_m)
{
    if (!is_network(m) || !p->starts)
        return 0;
    *src = p->starts->nsrc;
    *n_src = p->starts->n_nsrc;
    *start_m = p->starts->nsrc_m;
    return 1;
}

rt_status rti_medium_search_update(rt_ctx *ctx, const rti_medium_run *m, const rti_medium_run *m0,
                                   rti_placement *p, const rti_points *pts, unsigned search_flags,
                                   const rt_labels *base, const int32_t *map, int32_t n_map,
                                   rt_search_ws *ws, rt_labels *lab)
{
    if (!is_network(m) || !is_network(m0))
        return rti_error(ctx, RT_E_ARG, "search update: not a road network");
    return rti_net_search_update(ctx, m, m0, p, pts, search_flags, base, map, n_map, ws, lab);
}

int rti_medium_grid_starts(const rti_medium_run *m, const rti_placement *p, rt_grid_medium *grid,
                           const rt_source **src, int64_t *n_src)
{
    if (!m->ops->has_grid || m->ops->has_graph || !m->friction)
        return 0;
    const rti_grid_spec *g = m->env.grid;
    *grid = (rt_grid_medium){m->friction, g->nx, g->ny, g->cell_m};
    *src = p->starts ? p->starts->src : NULL;
    *n_src = p->starts ? p->starts->n_src : 0;
    return 1;
}

rt_status rti_medium_write_layers(rt_ctx *ctx, const rti_medium_run *m, const rti_placement *p,
                                  const rti_points *pts, const char *type, const char *gpkg)
{
    if (!m->ops->has_graph)
        return RT_OK;
    return rti_net_write_roads_layer(ctx, m, p->starts, pts, type, gpkg);
}

char *rti_where_and(rt_ctx *ctx, const char *a, const char *b)
{
    const size_t n = (a ? strlen(a) : 0) + strlen(b) + 16;
    char *w = rti_malloc_array(ctx, (int64_t)n, 1, "filter");
    if (!w)
        return NULL;
    if (a)
        snprintf(w, n, "(%s) AND (%s)", a, b);
    else
        snprintf(w, n, "%s", b);
    return w;
}
