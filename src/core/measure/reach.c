/* Per-facility searches bounded by a cutoff, and their accumulation in
 * facility order (measure.h). The grid and graph searches are Dijkstra from
 * one facility's sources with the cost model of rt_grid_search and
 * rt_graph_search (core/grid_stencil.h, the arcs of struct rt_graph): the
 * same sums, so the same bits. A workspace keeps a cost per cell, INFINITY
 * outside the current search, and resets only the cells a search touched:
 * a search costs what it reaches, not the grid. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/edge_snap.h"
#include "core/grid_stencil.h"
#include "core/limit.h"
#include "core/measure/measure.h"
#include "core/rheap.h"
#include "core/search_internal.h"

/* Cells with their costs, a growable pair of arrays. */
typedef struct reach_list {
    uint32_t *cells;
    double *cost;
    int64_t n, cap;
} reach_list;

/* Room for `need` entries; 0 when out of memory. */
static int list_reserve(rt_ctx *ctx, reach_list *l, int64_t need)
{
    if (need <= l->cap)
        return 1;
    int64_t cap = l->cap + l->cap / 2;
    cap = cap < need ? need : cap;
    cap = cap < 1024 ? 1024 : cap;
    uint32_t *cells = rti_realloc_array(ctx, l->cells, cap, sizeof(*cells), "measure reach");
    if (!cells)
        return 0;
    l->cells = cells;
    double *cost = rti_realloc_array(ctx, l->cost, cap, sizeof(*cost), "measure reach");
    if (!cost)
        return 0;
    l->cost = cost;
    l->cap = cap;
    return 1;
}

static void list_free(reach_list *l)
{
    free(l->cells);
    free(l->cost);
}

struct rti_reach_ws {
    int64_t n_cells;
    double *cost;     /* n_cells: INFINITY outside the current search */
    reach_list reach; /* the cells of the current search; their costs at its end */
    rti_rheap heap;
};

rti_reach_ws *rti_reach_ws_create(rt_ctx *ctx, int64_t n_cells)
{
    rti_reach_ws *w = calloc(1, sizeof(*w));
    if (!w) {
        rti_error(ctx, RT_E_NOMEM, "measures: out of memory for a search workspace");
        return NULL;
    }
    w->n_cells = n_cells;
    w->cost = rti_alloc_array_uninit(ctx, n_cells, sizeof(double), "measure search costs");
    if (!w->cost) {
        free(w);
        return NULL;
    }
    for (int64_t i = 0; i < n_cells; i++)
        w->cost[i] = INFINITY;
    return w;
}

void rti_reach_ws_destroy(rti_reach_ws *w)
{
    if (!w)
        return;
    free(w->cost);
    list_free(&w->reach);
    rti_rheap_release(&w->heap);
    free(w);
}

int64_t rti_reach_cells(const rti_reach_medium *m)
{
    if (m->kind == RTI_REACH_GRAPH)
        return m->graph ? rt_graph_nodes(m->graph) : 0;
    return m->grid ? (int64_t)m->grid->nx * m->grid->ny : 0;
}

/* ---- the roads of a network or hybrid medium ---- */

struct rti_reach_roads {
    const rt_graph *g;
    const rti_net_cells *nc;
    int64_t n_nodes, n_edges;
    int64_t *edge_first; /* n_edges + 1: the attached cells of edge e, */
    uint32_t *edge_cell; /* in cell order */
    int64_t *node_first; /* n_nodes + 1: the edges that end at node v (once each) */
    int64_t *node_edge;
};

void rti_reach_roads_free(rti_reach_roads *r)
{
    if (!r)
        return;
    free(r->edge_first);
    free(r->edge_cell);
    free(r->node_first);
    free(r->node_edge);
    free(r);
}

/* The number of edges: one more than the largest edge a cell is attached
 * to, or an end node names (edges without cells are never walked from a
 * node). */
static int64_t edges_of(const rti_net_cells *nc)
{
    int64_t n = 0;
    for (int64_t i = 0; i < nc->n_cells; i++)
        n = nc->cell_edge[i] >= n ? nc->cell_edge[i] + 1 : n;
    return n;
}

rt_status rti_reach_roads_build(rt_ctx *ctx, const rt_graph *g, const rti_net_cells *nc,
                                rti_reach_roads **out)
{
    *out = NULL;
    if (!g || !nc || nc->n_cells < 1 || nc->n_cells > (int64_t)UINT32_MAX)
        return rti_error(ctx, RT_E_ARG, "measures: no roads or no cells");
    rti_reach_roads *r = calloc(1, sizeof(*r));
    if (!r)
        return rti_error(ctx, RT_E_NOMEM, "measures: out of memory for the roads");
    r->g = g;
    r->nc = nc;
    r->n_nodes = rt_graph_nodes(g);
    r->n_edges = edges_of(nc);
    const int64_t ne = r->n_edges, nv = r->n_nodes;
    r->edge_first = rti_malloc_array(ctx, ne + 1, sizeof(int64_t), "measure roads index");
    r->node_first = rti_malloc_array(ctx, nv + 1, sizeof(int64_t), "measure roads index");
    if (!r->edge_first || !r->node_first) {
        rti_reach_roads_free(r);
        return RT_E_NOMEM;
    }
    for (int64_t i = 0; i < nc->n_cells; i++)
        if (nc->cell_edge[i] >= 0)
            r->edge_first[nc->cell_edge[i] + 1]++;
    for (int64_t e = 0; e < ne; e++) {
        const int32_t a = nc->edge_from[e], b = nc->edge_to[e];
        if (r->edge_first[e + 1] == 0)
            continue; /* no cell on it */
        if (a < 0 || a >= nv || b < 0 || b >= nv) {
            rti_reach_roads_free(r);
            return rti_error(ctx, RT_E_ARG, "measures: edge %lld names a node outside the graph",
                             (long long)e);
        }
        r->node_first[a + 1]++;
        if (b != a)
            r->node_first[b + 1]++;
    }
    for (int64_t e = 0; e < ne; e++)
        r->edge_first[e + 1] += r->edge_first[e];
    for (int64_t v = 0; v < nv; v++)
        r->node_first[v + 1] += r->node_first[v];
    r->edge_cell = rti_malloc_array(ctx, r->edge_first[ne] + 1, sizeof(uint32_t), "measure roads");
    r->node_edge = rti_malloc_array(ctx, r->node_first[nv] + 1, sizeof(int64_t), "measure roads");
    int64_t *pos = rti_alloc_array_uninit(ctx, (ne > nv ? ne : nv) + 1, sizeof(int64_t), "roads");
    if (!r->edge_cell || !r->node_edge || !pos) {
        free(pos);
        rti_reach_roads_free(r);
        return RT_E_NOMEM;
    }
    memcpy(pos, r->edge_first, (size_t)ne * sizeof(int64_t));
    for (int64_t i = 0; i < nc->n_cells; i++)
        if (nc->cell_edge[i] >= 0)
            r->edge_cell[pos[nc->cell_edge[i]]++] = (uint32_t)i;
    memcpy(pos, r->node_first, (size_t)nv * sizeof(int64_t));
    for (int64_t e = 0; e < ne; e++) {
        if (r->edge_first[e + 1] == r->edge_first[e])
            continue;
        const int32_t a = nc->edge_from[e], b = nc->edge_to[e];
        r->node_edge[pos[a]++] = e;
        if (b != a)
            r->node_edge[pos[b]++] = e;
    }
    free(pos);
    *out = r;
    return RT_OK;
}

int64_t rti_reach_ws_cells(const rti_reach_medium *m)
{
    const int64_t n = rti_reach_cells(m);
    return m->kind == RTI_REACH_ROADS && m->roads ? n + m->roads->n_nodes : n;
}

/* Appends cell c to the reach; 0 when out of memory. */
static int touch(rt_ctx *ctx, rti_reach_ws *w, uint32_t c)
{
    if (!list_reserve(ctx, &w->reach, w->reach.n + 1))
        return 0;
    w->reach.cells[w->reach.n++] = c;
    return 1;
}

/* Offers cost t to cell c: kept and queued when it improves on c's cost. */
static inline int offer(rt_ctx *ctx, rti_reach_ws *w, uint32_t c, double t)
{
    double old = w->cost[c];
    if (!(t < old))
        return 1;
    if (old == INFINITY && !touch(ctx, w, c))
        return 0;
    w->cost[c] = t;
    return rti_rheap_push(ctx, &w->heap, rti_key_of(t), c, 0);
}

/* Queues the sources that start within the cutoff; 0 when out of memory. */
static int start(rt_ctx *ctx, rti_reach_ws *w, const rt_source *src, int64_t ns, double cutoff)
{
    for (int64_t i = 0; i < ns; i++)
        if (src[i].start_s <= cutoff && !offer(ctx, w, (uint32_t)src[i].cell, src[i].start_s))
            return 0;
    return 1;
}

/* The next cell to settle, with its cost: 1, 0 when the queue is empty, -1
 * when out of memory. Entries of cells improved since their push are
 * skipped. */
static inline int next_cell(rt_ctx *ctx, rti_reach_ws *w, uint32_t *c, double *t)
{
    rti_hentry e;
    int r;
    while ((r = rti_rheap_pop(ctx, &w->heap, &e)) > 0)
        if (e.key == rti_key_of(w->cost[e.node])) {
            *c = e.node;
            *t = w->cost[e.node];
            return 1;
        }
    return r;
}

static int search_grid(rt_ctx *ctx, const rti_reach_medium *m, double cutoff, rti_reach_ws *w)
{
    const rt_grid_medium *g = m->grid;
    const float *fr = g->friction_s_per_m;
    const int32_t nx = g->nx, ny = g->ny;
    stencil s;
    stencil_init(&s, m->neighbours, nx, g->cell_m);
    uint32_t c;
    double t;
    int r;
    while ((r = next_cell(ctx, w, &c, &t)) > 0) {
        const float fa = fr[c];
        const int64_t row = row_of(&s, c), col = c - row * nx;
        const int interior =
            row >= s.margin && row < ny - s.margin && col >= s.margin && col < nx - s.margin;
        for (int k = 0; k < s.n; k++) {
            if (!interior && !inside(nx, ny, row, col, k))
                continue;
            const int64_t nb = c + s.off[k];
            const float fb = fr[nb];
            if (!passable(fb) || w->cost[nb] < t)
                continue;
            const double nt = t + move_cost(fr, &s, k, c, fa, fb);
            if (!(nt <= cutoff)) /* also a blocked knight move (NaN) */
                continue;
            if (!offer(ctx, w, (uint32_t)nb, nt))
                return 0;
        }
    }
    return r == 0;
}

static int search_graph(rt_ctx *ctx, const rti_reach_medium *m, double cutoff, rti_reach_ws *w)
{
    const rt_graph *g = m->graph;
    uint32_t c;
    double t;
    int r;
    while ((r = next_cell(ctx, w, &c, &t)) > 0) {
        const uint32_t end = g->first[c + 1];
        for (uint32_t a = g->first[c]; a < end; a++) {
            const int32_t nb = g->head[a];
            if (w->cost[nb] < t)
                continue;
            const double nt = t + g->time_s[a];
            if (!(nt <= cutoff))
                continue;
            if (!offer(ctx, w, (uint32_t)nb, nt))
                return 0;
        }
    }
    return r == 0;
}

/* A road node settled at time t: along the reversed arcs to other nodes,
 * and to the cells attached to its edges (leaving the edge towards this
 * node: rti_attach_labels' sums); 0 when out of memory. */
static int settle_node(rt_ctx *ctx, const rti_reach_medium *m, double cutoff, rti_reach_ws *w,
                       int64_t v, double t)
{
    const rti_reach_roads *r = m->roads;
    const rti_net_cells *nc = r->nc;
    const rt_graph *g = r->g;
    const uint32_t n_cells = (uint32_t)nc->n_cells;
    for (uint32_t a = g->first[v], end = g->first[v + 1]; a < end; a++) {
        const double nt = t + g->time_s[a];
        if (nt <= cutoff && !offer(ctx, w, n_cells + (uint32_t)g->head[a], nt))
            return 0;
    }
    for (int64_t k = r->node_first[v]; k < r->node_first[v + 1]; k++) {
        const int64_t e = r->node_edge[k];
        const double w_ab = nc->w_along[e], w_ba = nc->w_against[e];
        for (int64_t q = r->edge_first[e]; q < r->edge_first[e + 1]; q++) {
            const uint32_t c = r->edge_cell[q];
            const double frac = nc->cell_frac[c], leg = nc->cell_leg_s[c];
            /* towards b along a -> b, towards a along b -> a (both on a loop) */
            const double via_b = rti_edge_share(1.0 - frac, w_ab),
                         via_a = rti_edge_share(frac, w_ba);
            double nt = INFINITY;
            if (nc->edge_to[e] == v && !isnan(via_b))
                nt = rti_cell_via_node(leg, via_b, t);
            if (nc->edge_from[e] == v && !isnan(via_a))
                nt = fmin(nt, rti_cell_via_node(leg, via_a, t));
            if (nt <= cutoff && !offer(ctx, w, c, nt))
                return 0;
        }
    }
    return 1;
}

/* A cell settled at time t on a hybrid medium: over land to its passable
 * neighbours, and onto the roads at its attachment (seeds_from_cells'
 * sums); 0 when out of memory. */
static int settle_cell(rt_ctx *ctx, const rti_reach_medium *m, const stencil *s, double cutoff,
                       rti_reach_ws *w, uint32_t c, double t)
{
    const rt_grid_medium *g = m->grid;
    const float *fr = g->friction_s_per_m;
    const float fa = fr[c];
    if (!passable(fa))
        return 1; /* reached from the roads, not entered */
    const int32_t nx = g->nx, ny = g->ny;
    const int64_t row = row_of(s, c), col = c - row * nx;
    const int interior =
        row >= s->margin && row < ny - s->margin && col >= s->margin && col < nx - s->margin;
    for (int k = 0; k < s->n; k++) {
        if (!interior && !inside(nx, ny, row, col, k))
            continue;
        const int64_t nb = c + s->off[k];
        const float fb = fr[nb];
        if (!passable(fb) || w->cost[nb] < t)
            continue;
        const double nt = t + move_cost(fr, s, k, c, fa, fb);
        if (nt <= cutoff && !offer(ctx, w, (uint32_t)nb, nt)) /* NaN: a blocked knight move */
            return 0;
    }
    const rti_net_cells *nc = m->roads->nc;
    const int64_t e = nc->cell_edge[c];
    if (e < 0)
        return 1;
    const uint32_t n_cells = (uint32_t)nc->n_cells;
    const double leg = nc->cell_leg_s[c], frac = nc->cell_frac[c];
    const double w_ab = nc->w_along[e], w_ba = nc->w_against[e];
    double nt;
    const double from_a = rti_edge_share(frac, w_ab), from_b = rti_edge_share(1.0 - frac, w_ba);
    if (!isnan(from_a) && (nt = rti_node_via_cell(t, leg, from_a)) <= cutoff &&
        !offer(ctx, w, n_cells + (uint32_t)nc->edge_from[e], nt))
        return 0;
    if (!isnan(from_b) && (nt = rti_node_via_cell(t, leg, from_b)) <= cutoff &&
        !offer(ctx, w, n_cells + (uint32_t)nc->edge_to[e], nt))
        return 0;
    return 1;
}

/* Facility j's starts on the roads: its nodes, and the cells on the edges
 * it stands on (straight along the edge); 0 when out of memory. */
static int start_roads(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f, int32_t j,
                       double cutoff, rti_reach_ws *w)
{
    const rti_reach_roads *r = m->roads;
    const rti_net_cells *nc = r->nc;
    const uint32_t n_cells = (uint32_t)nc->n_cells;
    for (int64_t i = f->nfirst[j]; i < f->nfirst[j + 1]; i++)
        if (f->nsrc[i].start_s <= cutoff &&
            !offer(ctx, w, n_cells + (uint32_t)f->nsrc[i].cell, f->nsrc[i].start_s))
            return 0;
    for (int64_t k = f->fa_first[j]; k < f->fa_first[j + 1]; k++) {
        const rti_net_fac *p = &f->fa[k];
        if (p->edge >= r->n_edges)
            continue; /* no cell on it */
        const double w_ab = nc->w_along[p->edge], w_ba = nc->w_against[p->edge];
        for (int64_t q = r->edge_first[p->edge]; q < r->edge_first[p->edge + 1]; q++) {
            const uint32_t c = r->edge_cell[q];
            const double t = rti_same_edge_time(nc->cell_leg_s[c], nc->cell_frac[c], w_ab, w_ba, p);
            if (t <= cutoff && !offer(ctx, w, c, t))
                return 0;
        }
    }
    return 1;
}

/* One facility over roads and land: Dijkstra over the cells (0 ..
 * n_cells - 1) and the road nodes (n_cells + v) at once. Every move adds
 * what the nearest-facility searches add (rt_grid_search over land,
 * rt_graph_search along the roads, rti_hybrid_search and
 * rti_net_cell_labels between them), so each cell gets the time those
 * searches give it from j alone, bit for bit. */
static int search_roads(rt_ctx *ctx, const rti_reach_medium *m, double cutoff, rti_reach_ws *w)
{
    const int64_t n_cells = m->roads->nc->n_cells;
    const int land = m->grid && m->grid->friction_s_per_m;
    stencil s;
    memset(&s, 0, sizeof(s));
    if (land)
        stencil_init(&s, m->neighbours, m->grid->nx, m->grid->cell_m);
    uint32_t c;
    double t;
    int r;
    while ((r = next_cell(ctx, w, &c, &t)) > 0) {
        const int ok = c >= n_cells ? settle_node(ctx, m, cutoff, w, c - n_cells, t)
                                    : !land || settle_cell(ctx, m, &s, cutoff, w, c, t);
        if (!ok)
            return 0;
    }
    return r == 0;
}

/* The cells whose centres lie within cutoff metres of the point, row by
 * row; every cell of the grid counts, passable or not. */
static int search_crowfly(rt_ctx *ctx, const rti_reach_medium *m, double col_f, double row_f,
                          double cutoff, rti_reach_ws *w)
{
    const rt_grid_medium *g = m->grid;
    if (!isfinite(col_f) || !isfinite(row_f))
        return 1;
    const double cm = g->cell_m, rc = cutoff / cm + 1.0;
    const int64_t r0 = (int64_t)fmax(0.0, floor(row_f - rc)),
                  r1 = (int64_t)fmin((double)g->ny - 1, ceil(row_f + rc));
    const int64_t c0 = (int64_t)fmax(0.0, floor(col_f - rc)),
                  c1 = (int64_t)fmin((double)g->nx - 1, ceil(col_f + rc));
    for (int64_t r = r0; r <= r1; r++)
        for (int64_t c = c0; c <= c1; c++) {
            const double dx = ((double)c + 0.5 - col_f) * cm, dy = ((double)r + 0.5 - row_f) * cm;
            const double d = sqrt(dx * dx + dy * dy);
            if (d <= cutoff) {
                const uint32_t i = (uint32_t)(r * g->nx + c);
                if (!touch(ctx, w, i))
                    return 0;
                w->cost[i] = d;
            }
        }
    return 1;
}

rt_status rti_reach_one(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f, int32_t j,
                        double cutoff, rti_reach_ws *w, const uint32_t **cells, const double **cost,
                        int64_t *n)
{
    reach_list *l = &w->reach;
    l->n = 0;
    rti_rheap_reset(&w->heap);
    cutoff = rti_limit_up(cutoff); /* a cost at the cutoff by arithmetic is within */
    int ok;
    if (m->kind == RTI_REACH_CROWFLY) {
        ok = search_crowfly(ctx, m, f->col_f[j], f->row_f[j], cutoff, w);
    } else {
        const rt_source *src = f->src + f->first[j];
        const int64_t ns = f->first[j + 1] - f->first[j];
        ok = start(ctx, w, src, ns, cutoff);
        if (m->kind == RTI_REACH_ROADS)
            ok = ok && start_roads(ctx, m, f, j, cutoff, w) && search_roads(ctx, m, cutoff, w);
        else
            ok = ok && (m->kind == RTI_REACH_GRID ? search_grid(ctx, m, cutoff, w)
                                                  : search_graph(ctx, m, cutoff, w));
    }
    /* the reach with its final costs (cells only: the road nodes of ROADS
     * are left out, in order); the touched cells back to INFINITY */
    const uint32_t n_out = (uint32_t)(rti_reach_cells(m) - 1);
    int64_t kept = 0;
    for (int64_t i = 0; i < l->n; i++) {
        const uint32_t c = l->cells[i];
        const double cost_c = w->cost[c];
        w->cost[c] = INFINITY;
        if (c > n_out)
            continue;
        l->cells[kept] = c;
        l->cost[kept++] = cost_c;
    }
    l->n = kept;
    *cells = l->cells;
    *cost = l->cost;
    *n = ok ? l->n : 0;
    if (!ok)
        l->n = 0;
    return ok ? RT_OK : RT_E_NOMEM;
}

/* The starts of facility j on the roads (ROADS): nodes in the graph with
 * finite start times >= 0, places on edges >= 0. */
static rt_status check_roads_starts(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f,
                                    int32_t j)
{
    for (int64_t i = f->nfirst[j]; i < f->nfirst[j + 1]; i++) {
        const rt_source *s = &f->nsrc[i];
        if (s->cell < 0 || s->cell >= m->roads->n_nodes || !(s->start_s >= 0) ||
            !isfinite(s->start_s))
            return rti_error(ctx, RT_E_ARG,
                             "measures: facility %d: road start at node %lld, time %g s: outside "
                             "the graph or not a finite time >= 0",
                             j, (long long)s->cell, s->start_s);
    }
    for (int64_t k = f->fa_first[j]; k < f->fa_first[j + 1]; k++)
        if (f->fa[k].edge < 0 || !(f->fa[k].leg_s >= 0) || !isfinite(f->fa[k].leg_s))
            return rti_error(ctx, RT_E_ARG, "measures: facility %d: place on edge %lld is invalid",
                             j, (long long)f->fa[k].edge);
    return RT_OK;
}

rt_status rti_reach_check(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f)
{
    const int64_t n = rti_reach_cells(m);
    const int roads = m->kind == RTI_REACH_ROADS;
    if (n < 1 || (m->kind == RTI_REACH_GRID && !m->grid->friction_s_per_m) ||
        (roads && (!m->roads || m->roads->nc->n_cells != n)))
        return rti_error(ctx, RT_E_ARG, "measures: empty medium");
    if (rti_reach_ws_cells(m) > (int64_t)UINT32_MAX)
        return rti_error(ctx, RT_E_ARG, "measures: %lld cells is more than a search handles",
                         (long long)rti_reach_ws_cells(m));
    if (!f || f->n < 0 || (roads && f->n > 0 && (!f->nfirst || !f->fa_first)))
        return rti_error(ctx, RT_E_ARG, "measures: no facilities");
    if (m->kind == RTI_REACH_CROWFLY)
        return m->grid->cell_m > 0 ? RT_OK
                                   : rti_error(ctx, RT_E_ARG, "measures: cell size must be > 0");
    const int land = m->kind == RTI_REACH_GRID || (roads && m->grid->friction_s_per_m);
    if (land) {
        if (m->neighbours != 8 && m->neighbours != 16)
            return rti_error(ctx, RT_E_ARG, "measures: neighbours must be 8 or 16, got %d",
                             m->neighbours);
        const float *fr = m->grid->friction_s_per_m;
        for (int64_t i = 0; i < n; i++)
            if (fr[i] == -INFINITY || (passable(fr[i]) && !(fr[i] > 0)))
                return rti_error(ctx, RT_E_DATA,
                                 "friction grid: cell (row %lld, col %lld): friction %g s/m is "
                                 "not allowed (must be > 0; mark impassable cells as nodata)",
                                 (long long)(i / m->grid->nx), (long long)(i % m->grid->nx),
                                 (double)fr[i]);
    }
    for (int32_t j = 0; j < f->n; j++) {
        rt_status st = roads ? check_roads_starts(ctx, m, f, j) : RT_OK;
        if (st != RT_OK)
            return st;
        for (int64_t i = f->first[j]; i < f->first[j + 1]; i++) {
            const rt_source *s = &f->src[i];
            if (s->cell < 0 || s->cell >= n ||
                (m->kind == RTI_REACH_GRID && !passable(m->grid->friction_s_per_m[s->cell])))
                return rti_error(ctx, RT_E_ARG,
                                 "measures: facility %d: start %lld is outside the medium or "
                                 "impassable",
                                 j, (long long)s->cell);
            if (!(s->start_s >= 0) || !isfinite(s->start_s))
                return rti_error(ctx, RT_E_ARG,
                                 "measures: facility %d: start time %g s must be finite and >= 0",
                                 j, s->start_s);
        }
    }
    return RT_OK;
}

/* ---- the pass over all facilities ---- */

/* A copy of a reach into slot s (one facility of the current block). */
static int slot_fill(rt_ctx *ctx, reach_list *s, const uint32_t *cells, const double *cost,
                     int64_t n)
{
    if (!list_reserve(ctx, s, n))
        return 0;
    if (n > 0) {
        memcpy(s->cells, cells, (size_t)n * sizeof(*cells));
        memcpy(s->cost, cost, (size_t)n * sizeof(*cost));
    }
    s->n = n;
    return 1;
}

/* Hands the pairs of slots [0, nb) to cell_fn: every thread takes the
 * slots in order and the cells of its own band of the n_cells (contiguous,
 * so that a facility's reach mostly falls in one band). */
static void merge_block(const reach_list *slots, int nb, int32_t j0, int threads, int64_t n_cells,
                        rti_reach_cell_fn fn, void *user)
{
#pragma omp parallel num_threads(threads)
    {
        const int64_t me = omp_get_thread_num(), nt = omp_get_num_threads();
        /* [lo, hi): empty when there are fewer cells than threads */
        const int64_t lo = n_cells * me / nt, hi = n_cells * (me + 1) / nt;
        for (int b = 0; b < nb && lo < hi; b++) {
            const reach_list *s = &slots[b];
            for (int64_t i = 0; i < s->n; i++) {
                const int64_t c = s->cells[i];
                if (c >= lo && c < hi)
                    fn(user, j0 + b, (uint32_t)c, s->cost[i]);
            }
        }
    }
}

/* Facilities per block. One per thread at first: how far a facility
 * reaches is not known yet, and each of the block's reaches is held as a
 * copy until the block is merged. Then as many as hold about
 * RTI_REACH_BLOCK_PAIRS pairs at the mean reach so far (fewer blocks, fewer
 * waits for the slowest thread), at least one per thread, at most
 * RTI_REACH_MAX_BLOCK (the slots), and no more than `room` bytes of copies
 * hold at twice the mean reach (12 bytes a pair), down to one facility.
 * The results do not depend on it: every cell adds its facilities in
 * facility order whatever the blocks. */
#define RTI_REACH_BLOCK_PAIRS ((int64_t)1 << 22)
#define RTI_REACH_MAX_BLOCK 4096
#define RTI_REACH_PAIR_BYTES (sizeof(uint32_t) + sizeof(double))

static int block_size(int32_t done, int64_t pairs, int threads, uint64_t room)
{
    int64_t b = threads;
    if (done > 0) {
        const int64_t mean = pairs / done > 0 ? pairs / done : 1;
        const int64_t fit = (int64_t)(room / (2 * (uint64_t)mean * RTI_REACH_PAIR_BYTES));
        b = RTI_REACH_BLOCK_PAIRS / mean;
        b = b < threads ? threads : b;
        b = b > fit ? fit : b;
    }
    b = b < 1 ? 1 : b;
    return (int)(b > RTI_REACH_MAX_BLOCK ? RTI_REACH_MAX_BLOCK : b);
}

typedef struct thread_state {
    rt_ctx *ctx;
    rti_reach_ws *ws;
} thread_state;

/* One block of facilities [j0, j0 + nb), searched in parallel into slots;
 * the first failure's status and message go to ctx. */
static rt_status search_block(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f,
                              double cutoff, int32_t j0, int nb, reach_list *slots,
                              thread_state *ts, int threads, rti_reach_fac_fn fac_fn, void *user)
{
    rt_status first = RT_OK;
    int32_t first_j = INT32_MAX;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (int b = 0; b < nb; b++) {
        thread_state *t = &ts[omp_get_thread_num()];
        const uint32_t *cells;
        const double *cost;
        int64_t n;
        rt_status st = rti_reach_one(t->ctx, m, f, j0 + b, cutoff, t->ws, &cells, &cost, &n);
        if (st == RT_OK && !slot_fill(t->ctx, &slots[b], cells, cost, n))
            st = RT_E_NOMEM;
        if (st == RT_OK && fac_fn)
            fac_fn(user, j0 + b, slots[b].cells, slots[b].cost, slots[b].n);
        if (st != RT_OK) {
#pragma omp critical
            if (j0 + b < first_j) {
                first_j = j0 + b;
                first = st;
                rti_error(ctx, st, "measures: facility %d: %s", (int)first_j,
                          rt_ctx_errmsg(t->ctx));
            }
        }
    }
    return first;
}

rt_status rti_reach_pass(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f,
                         double cutoff, rti_reach_fac_fn fac_fn, rti_reach_cell_fn cell_fn,
                         void *user)
{
    const int64_t n_cells = rti_reach_cells(m), n_ws = rti_reach_ws_cells(m);
    int threads = rti_threads(ctx);
    if (threads > f->n)
        threads = f->n > 0 ? f->n : 1;
    const uint64_t ws_bytes = (uint64_t)threads * (uint64_t)n_ws * sizeof(double),
                   budget = rti_budget_effective(ctx);
    rt_status st = rti_budget_check(ctx, ws_bytes, "measure search workspaces");
    if (st != RT_OK)
        return st;
    thread_state *ts = rti_malloc_array(ctx, threads, sizeof(*ts), "measure threads");
    reach_list *slots = rti_malloc_array(ctx, RTI_REACH_MAX_BLOCK, sizeof(*slots), "measure reach");
    st = ts && slots ? RT_OK : RT_E_NOMEM;
    for (int t = 0; st == RT_OK && t < threads; t++) {
        ts[t].ctx = rt_ctx_create();
        if (!ts[t].ctx) {
            st = rti_error(ctx, RT_E_NOMEM, "measures: out of memory for a context");
            break;
        }
        rt_ctx_set_threads(ts[t].ctx, 1);
        rt_ctx_set_budget_bytes(ts[t].ctx, rti_budget_effective(ctx));
        ts[t].ws = rti_reach_ws_create(ctx, n_ws);
        if (!ts[t].ws)
            st = RT_E_NOMEM;
    }
    int64_t pairs = 0;
    for (int32_t j0 = 0, nb = 0; st == RT_OK && j0 < f->n; j0 += nb) {
        nb = block_size(j0, pairs, threads, budget - ws_bytes);
        nb = f->n - j0 < nb ? (int)(f->n - j0) : nb;
        st = search_block(ctx, m, f, cutoff, j0, nb, slots, ts, threads, fac_fn, user);
        if (st == RT_OK && cell_fn)
            merge_block(slots, nb, j0, threads, n_cells, cell_fn, user);
        for (int b = 0; b < nb; b++)
            pairs += slots[b].n;
        if (st == RT_OK && !rti_progress(ctx, (double)(j0 + nb) / (double)f->n, NULL))
            st = rti_error(ctx, RT_E_CANCELLED, "measures cancelled");
    }
    for (int t = 0; ts && t < threads; t++) {
        rti_reach_ws_destroy(ts[t].ws);
        rt_ctx_destroy(ts[t].ctx);
    }
    for (int b = 0; slots && b < RTI_REACH_MAX_BLOCK; b++)
        list_free(&slots[b]);
    free(ts);
    free(slots);
    return st;
}
