/* The roads of a scenario on a road graph (medium types network and
 * hybrid): new roads added as edges joined to the network at their ends,
 * roads selected by a filter or polygons given a new speed, a factor or
 * closed, then the mode's graph and the cells' attachments built again
 * (docs/study-file.md, "scenarios"; docs/methods.md, "Scenarios on a road
 * graph"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "core/edge_snap.h"
#include "core/roadnet.h"
#include "study/medium/medium.h"

/* ---- a road network built edge by edge ---- */

typedef struct road_buf {
    rti_roads r;
    int64_t cap_n, cap_e, cap_v;
    uint8_t *is_new; /* per edge: a scenario's new road */
    uint8_t *no_access;
} road_buf;

static int grow(rt_ctx *ctx, void **p, int64_t cap, size_t size)
{
    void *q = rti_realloc_array(ctx, *p, cap > 0 ? cap : 1, size, "scenario roads");
    if (!q)
        return 0;
    *p = q;
    return 1;
}

static int buf_node(rt_ctx *ctx, road_buf *b, double x, double y, int32_t *id)
{
    rti_roads *r = &b->r;
    if (r->n_nodes == b->cap_n) {
        b->cap_n = b->cap_n ? 2 * b->cap_n : 1024;
        if (!grow(ctx, (void **)&r->x, b->cap_n, sizeof(double)) ||
            !grow(ctx, (void **)&r->y, b->cap_n, sizeof(double)))
            return 0;
    }
    if (r->n_nodes >= INT32_MAX) {
        rti_error(ctx, RT_E_DATA, "scenario roads: more than 2^31 - 1 nodes");
        return 0;
    }
    r->x[r->n_nodes] = x;
    r->y[r->n_nodes] = y;
    *id = (int32_t)r->n_nodes++;
    return 1;
}

static int buf_edges(rt_ctx *ctx, road_buf *b)
{
    rti_roads *r = &b->r;
    if (r->n_edges + 1 < b->cap_e)
        return 1;
    const int64_t cap = b->cap_e ? 2 * b->cap_e : 1024;
#define G(f) grow(ctx, (void **)&r->f, cap, sizeof(*r->f))
    int ok = G(from) && G(to) && G(length_m) && G(cls) && G(maxspeed_kmh) && G(speed_kmh) &&
             G(time_s) && G(dir_car) && G(dir_bike) && G(modes) && G(modes_yes) && G(flags) &&
             G(source_fid) && grow(ctx, (void **)&r->geom_first, cap + 1, sizeof(int64_t)) &&
             grow(ctx, (void **)&b->is_new, cap, 1) && grow(ctx, (void **)&b->no_access, cap, 1);
#undef G
    if (ok)
        b->cap_e = cap;
    return ok;
}

static int buf_vertex(rt_ctx *ctx, road_buf *b, double x, double y)
{
    rti_roads *r = &b->r;
    const int64_t n = r->geom_first[r->n_edges + 1]; /* the open edge's end */
    if (n == b->cap_v) {
        b->cap_v = b->cap_v ? 2 * b->cap_v : 4096;
        if (!grow(ctx, (void **)&r->gx, b->cap_v, sizeof(double)) ||
            !grow(ctx, (void **)&r->gy, b->cap_v, sizeof(double)))
            return 0;
    }
    r->gx[n] = x;
    r->gy[n] = y;
    r->geom_first[r->n_edges + 1]++;
    return 1;
}

/* Starts edge e of src (its attributes) as the next edge of b, from node
 * `from`; its vertices follow with buf_vertex, then end_edge. */
static int begin_edge(rt_ctx *ctx, road_buf *b, const rti_roads *src, int64_t e, int32_t from)
{
    if (!buf_edges(ctx, b))
        return 0;
    rti_roads *r = &b->r;
    const int64_t k = r->n_edges;
    if (k == 0)
        r->geom_first[0] = 0;
    r->geom_first[k + 1] = r->geom_first[k];
    r->from[k] = from;
    r->maxspeed_kmh[k] = src->maxspeed_kmh ? src->maxspeed_kmh[e] : NAN;
    r->speed_kmh[k] = src->speed_kmh ? src->speed_kmh[e] : NAN;
    r->time_s[k] = src->time_s ? src->time_s[e] : NAN;
    r->dir_car[k] = src->dir_car[e];
    r->dir_bike[k] = src->dir_bike[e];
    r->modes[k] = src->modes[e];
    r->modes_yes[k] = src->modes_yes[e];
    r->flags[k] = src->flags[e];
    r->source_fid[k] = src->source_fid[e];
    b->is_new[k] = b->no_access[k] = 0;
    return 1;
}

static void end_edge(road_buf *b, int32_t to, double length_m, int32_t cls)
{
    rti_roads *r = &b->r;
    const int64_t k = r->n_edges++;
    r->to[k] = to;
    r->length_m[k] = length_m;
    r->cls[k] = cls;
}

static void buf_free(road_buf *b)
{
    rti_roads_free(&b->r);
    free(b->is_new);
    free(b->no_access);
}

/* ---- joining new roads to the network ---- */

/* Where an end of a new road joins the network: a base edge at frac, or
 * (edge -1) nowhere. */
typedef struct join {
    int64_t edge;
    double frac, px, py, dist_m;
    int32_t node; /* the node it joins, once made */
} join;

static int join_cmp(const void *pa, const void *pb)
{
    const join *a = *(const join *const *)pa, *b = *(const join *const *)pb;
    if (a->edge != b->edge)
        return a->edge < b->edge ? -1 : 1;
    return (a->frac > b->frac) - (a->frac < b->frac);
}

/* The point frac of the way along polyline [first, last] of (x, y). */
static void point_at(const double *x, const double *y, int64_t first, int64_t last, double len,
                     double frac, double *px, double *py, int64_t *seg)
{
    double want = frac * len, done = 0;
    for (int64_t i = first; i < last; i++) {
        const double d = hypot(x[i + 1] - x[i], y[i + 1] - y[i]);
        if (done + d >= want || i == last - 1) {
            const double t = d > 0 ? fmin(fmax((want - done) / d, 0.0), 1.0) : 0.0;
            *px = x[i] + t * (x[i + 1] - x[i]);
            *py = y[i] + t * (y[i + 1] - y[i]);
            *seg = i;
            return;
        }
        done += d;
    }
    *px = x[first], *py = y[first], *seg = first;
}

/* Piece p (0 .. nj) of base edge e of src cut at the joins js[0 .. nj -
 * 1] (on e, in increasing frac, each with its node): from the previous
 * cut (or the edge's start) to the next (or its end). Vertices: the
 * start, the edge's vertices between the two cuts, the end. */
static int emit_piece(rt_ctx *ctx, road_buf *b, const rti_roads *src, int64_t e, join *const *js,
                      int nj, int p)
{
    const double *x = src->gx, *y = src->gy;
    const int64_t first = src->geom_first[e], last = src->geom_first[e + 1] - 1;
    const double len = src->length_m[e];
    double ax = x[first], ay = y[first], bx = x[last], by = y[last];
    int64_t s0 = first, s1 = last - 1;
    if (p > 0)
        point_at(x, y, first, last, len, js[p - 1]->frac, &ax, &ay, &s0);
    if (p < nj)
        point_at(x, y, first, last, len, js[p]->frac, &bx, &by, &s1);
    const int32_t from = p > 0 ? js[p - 1]->node : src->from[e];
    const int32_t to = p < nj ? js[p]->node : src->to[e];
    if (!begin_edge(ctx, b, src, e, from) || !buf_vertex(ctx, b, ax, ay))
        return 0;
    double px = ax, py = ay, piece = 0;
    for (int64_t i = s0 + 1; i <= s1 + 1; i++) {
        const double vx = i <= s1 ? x[i] : bx, vy = i <= s1 ? y[i] : by;
        if (vx == px && vy == py && i <= s1)
            continue;
        if (!buf_vertex(ctx, b, vx, vy))
            return 0;
        piece += hypot(vx - px, vy - py);
        px = vx, py = vy;
    }
    /* a time of the whole line (time_column) goes to its pieces by length,
     * as the reader shares it out when it splits a line */
    if (len > 0 && isfinite(b->r.time_s[b->r.n_edges]))
        b->r.time_s[b->r.n_edges] = (float)(b->r.time_s[b->r.n_edges] * (piece / len));
    end_edge(b, to, piece, src->cls[e]);
    return 1;
}

/* Edge e of src into b as it is (its vertices and length), from and to
 * the nodes given. */
static int copy_edge(rt_ctx *ctx, road_buf *b, const rti_roads *src, int64_t e, int32_t from,
                     int32_t to, int32_t cls)
{
    if (!begin_edge(ctx, b, src, e, from))
        return 0;
    for (int64_t i = src->geom_first[e]; i < src->geom_first[e + 1]; i++)
        if (!buf_vertex(ctx, b, src->gx[i], src->gy[i]))
            return 0;
    end_edge(b, to, src->length_m[e], cls);
    return 1;
}

/* The new roads of change c, read as lines with their speed. */
static rt_status read_new(rt_ctx *ctx, const rti_medium_run *m, const rti_change *c, rti_roads *nr)
{
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.format = RTI_ROADS_LINES;
    o.speed_column = c->speed_column;
    o.speed_kmh = c->speed_column ? NAN : c->speed_kmh;
    if (!isnan(m->spec->snap_tolerance_m))
        o.snap_tolerance_m = m->spec->snap_tolerance_m;
    rti_layer_ref ref = rti_source_ref(&c->patch, m->env.allow_remote);
    return rti_read_roads(ctx, &ref, m->env.study->crs, &o, nr);
}

/* The ends of the new roads (nodes of one edge) and where each joins the
 * roads of the baseline: the nearest place on a road the mode may use
 * within connect_m, an end node of that road when the place lies within
 * the snap tolerance of it. */
typedef struct new_roads {
    int n;        /* changes of kind ROADS */
    rti_roads *r; /* their roads */
    const rti_change **c;
    join **end; /* per change and node: its join (edge -1: none, -2: a node) */
    int64_t n_ends, n_loose;
} new_roads;

static void new_roads_free(new_roads *nw)
{
    for (int k = 0; nw->r && k < nw->n; k++) {
        rti_roads_free(&nw->r[k]);
        free(nw->end ? nw->end[k] : NULL);
    }
    free(nw->r);
    free(nw->c);
    free(nw->end);
}

static rt_status find_joins(rt_ctx *ctx, const rti_medium_run *m, const rti_roads *base,
                            new_roads *nw)
{
    const double tol = isnan(m->spec->snap_tolerance_m) ? 0.5 : m->spec->snap_tolerance_m;
    /* every road the mode uses, motorways too (not only those the access
     * legs join): a new ramp joins a motorway */
    struct rti_edge_index *ix = NULL;
    rt_status st = rti_net_edge_index(ctx, m, m->net, 0, NULL, &ix, NULL);
    for (int k = 0; st == RT_OK && k < nw->n; k++) {
        const rti_roads *r = &nw->r[k];
        int32_t *deg = rti_malloc_array(ctx, r->n_nodes, sizeof(int32_t), "scenario roads");
        nw->end[k] = rti_malloc_array(ctx, r->n_nodes, sizeof(join), "scenario roads");
        if (!deg || !nw->end[k]) {
            free(deg);
            st = RT_E_NOMEM;
            break;
        }
        for (int64_t e = 0; e < r->n_edges; e++)
            deg[r->from[e]]++, deg[r->to[e]]++;
        for (int64_t v = 0; v < r->n_nodes; v++) {
            join *j = &nw->end[k][v];
            j->edge = -1;
            j->node = -1;
            if (deg[v] != 1)
                continue;
            nw->n_ends++;
            rti_edge_hit hit;
            rti_edge_index_nearest(ix, r->x[v], r->y[v], nw->c[k]->connect_m, &hit);
            if (hit.edge < 0) {
                nw->n_loose++;
                continue;
            }
            const double len = base->length_m[hit.edge];
            int64_t seg;
            j->edge = hit.edge;
            j->frac = hit.frac;
            j->dist_m = hit.dist_m;
            point_at(base->gx, base->gy, base->geom_first[hit.edge],
                     base->geom_first[hit.edge + 1] - 1, len, hit.frac, &j->px, &j->py, &seg);
            if (hit.frac * len <= tol || (1.0 - hit.frac) * len <= tol) {
                j->node = hit.frac * len <= tol ? base->from[hit.edge] : base->to[hit.edge];
                j->px = base->x[j->node], j->py = base->y[j->node];
                j->dist_m = hypot(j->px - r->x[v], j->py - r->y[v]);
                j->edge = -2;
            }
        }
        free(deg);
    }
    rti_edge_index_destroy(ix);
    return st;
}

/* The class "line" of the new roads in b's classes (added when absent). */
static int line_class(rt_ctx *ctx, road_buf *b, const rti_roads *base, int32_t *cls)
{
    rti_roads *r = &b->r;
    r->classes = rti_malloc_array(ctx, base->n_classes + 1, sizeof(char *), "road classes");
    if (!r->classes)
        return 0;
    *cls = -1;
    for (int i = 0; i < base->n_classes; i++) {
        if (!(r->classes[i] = rti_strdup(ctx, base->classes[i], "road classes")))
            return 0;
        r->n_classes++;
        if (strcmp(base->classes[i], "line") == 0)
            *cls = i;
    }
    if (*cls < 0) {
        if (!(r->classes[r->n_classes] = rti_strdup(ctx, "line", "road classes")))
            return 0;
        *cls = r->n_classes++;
    }
    return 1;
}

/* The baseline's roads with the new roads joined in: every base node and
 * edge keeps its index (a cut edge keeps its first piece there; the other
 * pieces, the nodes made at the cuts and the new roads follow). */
static rt_status merge(rt_ctx *ctx, const rti_roads *base, new_roads *nw, road_buf *b)
{
    int32_t line_cls;
    if (!line_class(ctx, b, base, &line_cls))
        return RT_E_NOMEM;
    for (int64_t v = 0; v < base->n_nodes; v++) {
        int32_t id;
        if (!buf_node(ctx, b, base->x[v], base->y[v], &id))
            return RT_E_NOMEM;
    }
    /* the cuts in (edge, frac) order, one node per place */
    join **cut = rti_malloc_array(ctx, nw->n_ends + 1, sizeof(join *), "scenario roads");
    if (!cut)
        return RT_E_NOMEM;
    int64_t nc = 0;
    for (int k = 0; k < nw->n; k++)
        for (int64_t v = 0; v < nw->r[k].n_nodes; v++)
            if (nw->end[k][v].edge >= 0)
                cut[nc++] = &nw->end[k][v];
    qsort(cut, (size_t)nc, sizeof(*cut), join_cmp);
    int ok = 1;
    for (int64_t i = 0; ok && i < nc; i++) {
        if (i > 0 && cut[i]->edge == cut[i - 1]->edge && cut[i]->frac == cut[i - 1]->frac)
            cut[i]->node = cut[i - 1]->node;
        else
            ok = buf_node(ctx, b, cut[i]->px, cut[i]->py, &cut[i]->node);
    }
    /* the base edges (first pieces), then the other pieces; distinct cuts only */
    int64_t *first_cut = rti_malloc_array(ctx, base->n_edges + 1, sizeof(int64_t), "roads");
    join **dist = rti_malloc_array(ctx, nc + 1, sizeof(join *), "scenario roads");
    ok = ok && first_cut && dist;
    int64_t nd = 0;
    for (int64_t i = 0; ok && i < nc; i++)
        if (nd == 0 || cut[i]->node != dist[nd - 1]->node)
            dist[nd++] = cut[i];
    for (int64_t i = 0, e = 0; ok && e <= base->n_edges; e++) {
        first_cut[e] = i;
        while (i < nd && dist[i]->edge == e)
            i++;
    }
    for (int64_t e = 0; ok && e < base->n_edges; e++) {
        const int nj = (int)(first_cut[e + 1] - first_cut[e]);
        ok = nj == 0 ? copy_edge(ctx, b, base, e, base->from[e], base->to[e], base->cls[e])
                     : emit_piece(ctx, b, base, e, dist + first_cut[e], nj, 0);
    }
    for (int64_t e = 0; ok && e < base->n_edges; e++) {
        const int nj = (int)(first_cut[e + 1] - first_cut[e]);
        for (int p = 1; ok && p <= nj; p++)
            ok = emit_piece(ctx, b, base, e, dist + first_cut[e], nj, p);
    }
    free(cut);
    free(first_cut);
    free(dist);
    /* the new roads, from their joins (a short way to the join point at
     * the road's speed) */
    for (int k = 0; ok && k < nw->n; k++) {
        const rti_roads *r = &nw->r[k];
        int32_t *map = rti_malloc_array(ctx, r->n_nodes, sizeof(int32_t), "scenario roads");
        ok = map != NULL;
        for (int64_t v = 0; ok && v < r->n_nodes; v++)
            ok = nw->end[k][v].node >= 0 ? (map[v] = nw->end[k][v].node, 1)
                                         : buf_node(ctx, b, r->x[v], r->y[v], &map[v]);
        for (int64_t e = 0; ok && e < r->n_edges; e++) {
            const join *ja = &nw->end[k][r->from[e]], *jb = &nw->end[k][r->to[e]];
            double len = r->length_m[e];
            ok = begin_edge(ctx, b, r, e, map[r->from[e]]);
            if (ok && ja->node >= 0 && ja->dist_m > 0) {
                ok = buf_vertex(ctx, b, ja->px, ja->py);
                len += ja->dist_m;
            }
            for (int64_t i = r->geom_first[e]; ok && i < r->geom_first[e + 1]; i++)
                ok = buf_vertex(ctx, b, r->gx[i], r->gy[i]);
            if (ok && jb->node >= 0 && jb->dist_m > 0) {
                ok = buf_vertex(ctx, b, jb->px, jb->py);
                len += jb->dist_m;
            }
            if (ok) {
                b->is_new[b->r.n_edges] = 1;
                b->no_access[b->r.n_edges] = (uint8_t)nw->c[k]->no_access;
                end_edge(b, map[r->to[e]], len, line_cls);
            }
        }
        free(map);
    }
    b->r.format = base->format;
    b->r.n_features = base->n_features;
    return ok ? RT_OK : RT_E_NOMEM;
}

/* ---- modifying roads ---- */

static int fid_cmp(const void *pa, const void *pb)
{
    const int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* sel[e] = 1 for the roads of the baseline that change c selects: those
 * whose features the filter keeps (by their feature id: OSM way, NWB
 * wegvak, OGR feature) and whose middle lies inside the polygons; *n
 * their count. */
static rt_status select_roads(rt_ctx *ctx, rti_medium_run *m, const rti_change *c,
                              const uint8_t *is_new, uint8_t *sel, int64_t *n)
{
    const rti_roads *r = &m->net->roads;
    for (int64_t e = 0; e < r->n_edges; e++)
        sel[e] = !is_new[e];
    rt_status st = RT_OK;
    if (c->road_where) {
        rti_roads w;
        st = rti_net_read_roads(ctx, m, m->net, c->road_where, &w);
        if (st != RT_OK)
            return st;
        qsort(w.source_fid, (size_t)w.n_edges, sizeof(int64_t), fid_cmp);
        for (int64_t e = 0; e < r->n_edges; e++)
            sel[e] = sel[e] && bsearch(&r->source_fid[e], w.source_fid, (size_t)w.n_edges,
                                       sizeof(int64_t), fid_cmp) != NULL;
        rti_roads_free(&w);
    }
    if (c->within.path) {
        const rt_study *s = m->env.study;
        rti_polygons poly = {0};
        rti_layer_ref ref = rti_source_ref(&c->within, m->env.allow_remote);
        const int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
        double *mx = rti_malloc_array(ctx, r->n_edges, sizeof(double), "scenario roads");
        double *my = rti_malloc_array(ctx, r->n_edges, sizeof(double), "scenario roads");
        uint8_t *in = rti_malloc_array(ctx, r->n_edges, 1, "scenario roads");
        st = mx && my && in ? rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, NULL, repair, &poly)
                            : RT_E_NOMEM;
        for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++) {
            int64_t seg;
            point_at(r->gx, r->gy, r->geom_first[e], r->geom_first[e + 1] - 1, r->length_m[e], 0.5,
                     &mx[e], &my[e], &seg);
        }
        if (st == RT_OK)
            st = rti_polygons_contain(ctx, &poly, r->n_edges, mx, my, in);
        for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++)
            sel[e] = sel[e] && in[e];
        rti_polygons_free(&poly);
        free(mx);
        free(my);
        free(in);
    }
    *n = 0;
    for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++)
        *n += sel[e];
    return st;
}

/* The arcs of the selected roads changed as c says (a speed, a factor,
 * closed: NaN, dropped when the graph is built again). */
static rt_status change_arcs(rt_ctx *ctx, rti_net *net, const rti_change *c, const uint8_t *sel)
{
    rti_road_graph *g = &net->g;
    for (int64_t e = 0; e < net->roads.n_edges; e++) {
        if (!sel[e])
            continue;
        const int64_t arcs[2] = {g->arc_along[e], g->arc_against[e]};
        for (int k = 0; k < 2; k++) {
            const int64_t a = arcs[k];
            if (a < 0 || isnan(g->time_s[a]))
                continue;
            const double t = c->closed          ? NAN
                             : isnan(c->factor) ? net->roads.length_m[e] / (c->speed_kmh / 3.6)
                                                : g->time_s[a] / c->factor;
            if (t > 1e9)
                return rti_error(ctx, RT_E_DATA,
                                 "road %lld (edge %lld) would take %g s (at most 1e9 s)",
                                 (long long)net->roads.source_fid[e], (long long)e, t);
            g->time_s[a] = t;
        }
    }
    return RT_OK;
}

/* The graph built again from its arcs without the closed ones. */
static rt_status rebuild_graph(rt_ctx *ctx, rti_net *net)
{
    rti_road_graph *g = &net->g;
    int64_t *keep = rti_malloc_array(ctx, g->n_arcs + 1, sizeof(int64_t), "scenario roads");
    if (!keep)
        return RT_E_NOMEM;
    int64_t m = 0;
    for (int64_t a = 0; a < g->n_arcs; a++) {
        keep[a] = isnan(g->time_s[a]) ? -1 : m;
        if (keep[a] < 0)
            continue;
        g->tail[m] = g->tail[a], g->head[m] = g->head[a];
        g->time_s[m] = g->time_s[a], g->length_m[m] = g->length_m[a];
        m++;
    }
    g->n_arcs = m;
    g->n_edges_used = 0;
    for (int64_t e = 0; e < net->roads.n_edges; e++) {
        int64_t *ab[2] = {&g->arc_along[e], &g->arc_against[e]};
        for (int k = 0; k < 2; k++)
            *ab[k] = *ab[k] >= 0 ? keep[*ab[k]] : -1;
        g->n_edges_used += g->arc_along[e] >= 0 || g->arc_against[e] >= 0;
    }
    free(keep);
    rt_graph_destroy(g->graph);
    g->graph = NULL;
    rt_arcs arcs = {g->n_arcs, g->tail, g->head, g->time_s, g->length_m};
    return rt_graph_build(ctx, net->roads.n_nodes, &arcs, &g->graph);
}

/* ---- the scenario's network ---- */

/* Error st at key 'scenarios[si].changes[j].<key>' of the study file. */
rt_status rti_net_scenario(rt_ctx *ctx, rti_medium_run *m, const rti_scenario *sc, int si)
{
    const rti_net *base_net = m->net;
    rti_net *net = calloc(1, sizeof(*net));
    new_roads nw = {0};
    road_buf b = {0};
    if (!net)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    rt_status st = rti_net_read(ctx, m, net);
    for (int j = 0; j < sc->n_changes; j++)
        nw.n += sc->changes[j].kind == RTI_CHANGE_ROADS;
    nw.r = calloc((size_t)nw.n + 1, sizeof(rti_roads));
    nw.c = calloc((size_t)nw.n + 1, sizeof(*nw.c));
    nw.end = calloc((size_t)nw.n + 1, sizeof(join *));
    if (st == RT_OK && (!nw.r || !nw.c || !nw.end))
        st = rti_error(ctx, RT_E_NOMEM, "out of memory");
    for (int j = 0, k = 0; st == RT_OK && j < sc->n_changes; j++) {
        if (sc->changes[j].kind != RTI_CHANGE_ROADS)
            continue;
        nw.c[k] = &sc->changes[j];
        st = read_new(ctx, m, &sc->changes[j], &nw.r[k++]);
        if (st != RT_OK)
            st = rti_change_at(ctx, st, m, sc, si, j, "roads");
    }
    if (st == RT_OK)
        st = find_joins(ctx, m, &net->roads, &nw);
    if (st == RT_OK)
        st = merge(ctx, &net->roads, &nw, &b);
    if (st == RT_OK) {
        rti_roads_free(&net->roads);
        net->roads = b.r;
        memset(&b.r, 0, sizeof(b.r));
        if (nw.n_loose)
            rti_log(ctx, RT_LOG_WARNING,
                    "scenario '%s': %lld of the %lld ends of its new roads lie farther than "
                    "connect_m from a road the mode uses: they join nothing",
                    sc->name, (long long)nw.n_loose, (long long)nw.n_ends);
    }
    new_roads_free(&nw);
    m->net = net;
    m->shares_net = 0;
    if (st == RT_OK)
        st = rti_net_graph(ctx, m);
    uint8_t *sel = st == RT_OK ? rti_malloc_array(ctx, net->roads.n_edges, 1, "roads") : NULL;
    if (st == RT_OK && !sel)
        st = RT_E_NOMEM;
    int changed = 0;
    for (int j = 0; st == RT_OK && j < sc->n_changes; j++) {
        const rti_change *c = &sc->changes[j];
        if (c->kind != RTI_CHANGE_MODIFY_ROADS)
            continue;
        int64_t n = 0;
        st = select_roads(ctx, m, c, b.is_new, sel, &n);
        if (st == RT_OK && n == 0)
            st = rti_error(ctx, RT_E_DATA, "selects none of the %lld roads of medium.roads",
                           (long long)base_net->roads.n_edges);
        if (st == RT_OK)
            st = change_arcs(ctx, net, c, sel);
        if (st != RT_OK)
            st = rti_change_at(ctx, st, m, sc, si, j, "modify_roads");
        else
            rti_log(ctx, RT_LOG_INFO, "scenario '%s': modify_roads %d changes %lld road edges",
                    sc->name, j, (long long)n);
        changed = 1;
    }
    free(sel);
    if (st == RT_OK && changed)
        st = rebuild_graph(ctx, net);
    if (st == RT_OK)
        st = rti_net_finish(ctx, m, b.no_access);
    buf_free(&b);
    return st;
}
