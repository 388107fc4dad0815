/* Labels of attached cells, and the alternating search over land and roads
 * (hybrid.h). */
#include "core/hybrid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/edge_snap.h"
#include "core/search_internal.h"

/* Index of the first facility on edge e in the sorted list, or n. */
static int64_t first_on_edge(const rti_net_fac *fa, int64_t n, int64_t e)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (fa[mid].edge < e)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void rti_net_cell_labels(const rti_net_cells *nc, const rt_labels *node, int64_t i, double *t1,
                         int32_t *f1, float *l1, double *t2, int32_t *f2)
{
    double a1 = INFINITY, a2 = INFINITY;
    int32_t g1 = -1, g2 = -1;
    float m1 = NAN;
    const int64_t e = nc->cell_edge[i];
    const int with_len = l1 && nc->edge_len_m && node->length_m;
    if (e >= 0) {
        const double w_ab = nc->w_along[e], w_ba = nc->w_against[e];
        const double frac = nc->cell_frac[i], leg = nc->cell_leg_s[i];
        const float len = with_len ? (float)nc->edge_len_m[e] : 0.0f;
        const float leg_m = with_len ? (float)(leg * nc->access_m_per_s) : 0.0f;
        rti_attach a = {nc->edge_from[e], nc->edge_to[e], w_ab, w_ba, frac, leg, len, leg_m};
        rti_attach_labels(node, &a, &a1, &g1, with_len ? &m1 : NULL, &a2, &g2);
        /* facilities on the same edge: straight along it, no node between */
        for (int64_t k = first_on_edge(nc->fa, nc->fa_n, e); k < nc->fa_n && nc->fa[k].edge == e;
             k++) {
            const rti_net_fac *f = &nc->fa[k];
            const double d = f->frac - frac, best = rti_same_edge_time(leg, frac, w_ab, w_ba, f);
            if (with_len)
                rti_labels_offer2l(best, f->facility,
                                   leg_m + (float)(fabs(d) * len) + (float)f->leg_m, &a1, &g1, &m1,
                                   &a2, &g2);
            else
                rti_labels_offer2(best, f->facility, &a1, &g1, &a2, &g2);
        }
    }
    *t1 = a1;
    *f1 = g1;
    if (l1)
        *l1 = with_len && g1 >= 0 ? m1 : NAN;
    if (t2) {
        *t2 = a2;
        *f2 = g2;
    }
}

/* Node seeds are labels of the nodes (both slots, no lengths): per node
 * the best two distinct facilities reached over land through an attached
 * cell (time from the node along the edge to the attachment place, the
 * leg, then the cell's label). */
static void seed_offer(rt_labels *s, int32_t v, double t, int32_t f)
{
    rti_labels_offer2(t, f, &s->time_s[v], &s->facility[v], &s->time2_s[v], &s->facility2[v]);
}

/* New seeds from the cell labels; returns 1 when they differ from *old. */
static int seeds_from_cells(const rti_net_cells *nc, const rt_labels *cells, int second,
                            rt_labels *nw, const rt_labels *old, int64_t n_nodes)
{
    rti_labels_clear(nw, n_nodes, RT_SEARCH_SECOND, 1);
    for (int64_t i = 0; i < nc->n_cells; i++) {
        const int64_t e = nc->cell_edge[i];
        if (e < 0 || !(cells->time_s[i] < INFINITY))
            continue;
        const double leg = nc->cell_leg_s[i], frac = nc->cell_frac[i];
        const double w_ab = nc->w_along[e], w_ba = nc->w_against[e];
        for (int k = 0; k < 1 + second; k++) {
            const double t = k ? cells->time2_s[i] : cells->time_s[i];
            const int32_t f = k ? cells->facility2[i] : cells->facility[i];
            if (!(t < INFINITY))
                continue;
            /* from the first node along the edge to the cell's place, and
             * from the second node against it */
            const double from_a = rti_edge_share(frac, w_ab),
                         from_b = rti_edge_share(1.0 - frac, w_ba);
            if (!isnan(from_a))
                seed_offer(nw, nc->edge_from[e], rti_node_via_cell(t, leg, from_a), f);
            if (!isnan(from_b))
                seed_offer(nw, nc->edge_to[e], rti_node_via_cell(t, leg, from_b), f);
        }
    }
    for (int64_t v = 0; v < n_nodes; v++)
        if (nw->time_s[v] != old->time_s[v] || nw->facility[v] != old->facility[v] ||
            (second &&
             (nw->time2_s[v] != old->time2_s[v] || nw->facility2[v] != old->facility2[v])))
            return 1;
    return 0;
}

static int passable(float f) { return f > 0 && f < INFINITY; }

/* Progress of the whole hybrid search from that of its inner searches:
 * round r takes [1 - 2^-(r-1), 1 - 2^-r] of the way (the rounds shrink
 * as they go), its graph search the first quarter of that, its grid
 * search the rest; so the fraction never goes back. */
typedef struct round_progress {
    rt_progress_fn fn;
    void *user;
    double lo, hi;
} round_progress;

static int scaled_progress(double f, const char *stage, void *user)
{
    const round_progress *p = user;
    return p->fn(p->lo + f * (p->hi - p->lo), stage, p->user);
}

/* Points ctx's progress at the part `part` (0: graph, 1: grid) of round r;
 * a no-op without a callback. */
static void progress_part(rt_ctx *ctx, round_progress *rp, int r, int part)
{
    if (!rp->fn)
        return;
    const double lo = 1.0 - ldexp(1.0, -(r - 1)), hi = 1.0 - ldexp(1.0, -r);
    const double mid = lo + 0.25 * (hi - lo);
    rp->lo = part ? mid : lo;
    rp->hi = part ? hi : mid;
    rt_ctx_set_progress(ctx, scaled_progress, rp);
}

rt_status rti_hybrid_search(rt_ctx *ctx, const rt_grid_medium *grid, const rt_graph *g,
                            const rti_net_cells *nc, const rt_source *grid_src, int64_t n_grid_src,
                            const rt_source *net_src, int64_t n_net_src, const rt_search_opts *opts,
                            rt_search_ws *ws, rt_labels *out, rt_labels *node, int *rounds)
{
    if (!grid || !g || !nc || !opts || !out || !node || (n_grid_src > 0 && !grid_src) ||
        (n_net_src > 0 && !net_src) || n_grid_src < 0 || n_net_src < 0)
        return rti_error(ctx, RT_E_ARG, "hybrid search: missing argument");
    if (opts->flags & RT_SEARCH_LENGTH)
        return rti_error(ctx, RT_E_ARG,
                         "hybrid search: route lengths are not defined along access legs");
    const int64_t n_cells = (int64_t)grid->nx * grid->ny, n_nodes = rt_graph_nodes(g);
    if (nc->n_cells != n_cells || out->n_cells != n_cells || node->n_cells != n_nodes)
        return rti_error(ctx, RT_E_ARG, "hybrid search: label arrays do not match the media");
    if (n_grid_src + n_net_src < 1)
        return rti_error(ctx, RT_E_ARG, "hybrid search: no facility on the grid or the roads");
    const int second = (opts->flags & RT_SEARCH_SECOND) != 0;
    const int k = 1 + second;
    int64_t n_att = 0;
    for (int64_t i = 0; i < n_cells; i++)
        n_att += nc->cell_edge[i] >= 0 && passable(grid->friction_s_per_m[i]);
    rt_source *gs =
        rti_malloc_array(ctx, n_grid_src + k * n_att, sizeof(rt_source), "hybrid search starts");
    rt_source *ns =
        rti_malloc_array(ctx, n_net_src + k * n_nodes, sizeof(rt_source), "hybrid search starts");
    double *sd = rti_malloc_array(ctx, 4 * n_nodes, sizeof(double), "hybrid search seeds");
    int32_t *sf = rti_malloc_array(ctx, 4 * n_nodes, sizeof(int32_t), "hybrid search seeds");
    rt_status st = gs && ns && sd && sf ? RT_OK : RT_E_NOMEM;
    rt_labels cur = {n_nodes, sd, sf, sd + n_nodes, sf + n_nodes, NULL};
    rt_labels nxt = {n_nodes,          sd + 2 * n_nodes, sf + 2 * n_nodes,
                     sd + 3 * n_nodes, sf + 3 * n_nodes, NULL};
    if (st == RT_OK) {
        rti_labels_clear(&cur, n_nodes, RT_SEARCH_SECOND, 1);
        if (n_grid_src)
            memcpy(gs, grid_src, (size_t)n_grid_src * sizeof(rt_source));
        if (n_net_src)
            memcpy(ns, net_src, (size_t)n_net_src * sizeof(rt_source));
    }
    /* Round 1 searches both media from the facilities (and the land from
     * the roads); every later round adds only the new starts to the labels
     * it has (a warm start: the same labels as searching from everything
     * again, for a fraction of the work). */
    int r = 0;
    round_progress rp = {NULL, NULL, 0.0, 0.0};
    rti_ctx_get_progress(ctx, &rp.fn, &rp.user);
    while (st == RT_OK) {
        r++;
        const int warm = r > 1;
        progress_part(ctx, &rp, r, 0);
        /* the roads, from the facilities on them and from the seeds */
        int64_t m = n_net_src;
        for (int64_t v = 0; v < n_nodes; v++) {
            if (cur.time_s[v] < INFINITY)
                ns[m++] = (rt_source){v, cur.facility[v], cur.time_s[v]};
            if (second && cur.time2_s[v] < INFINITY)
                ns[m++] = (rt_source){v, cur.facility2[v], cur.time2_s[v]};
        }
        if (warm && m > n_net_src)
            st = rti_graph_search_warm(ctx, g, ns + n_net_src, m - n_net_src, opts, ws, node);
        else if (!warm && m > 0)
            st = rt_graph_search(ctx, g, ns, m, opts, ws, node);
        else if (!warm) /* nothing on the roads yet: every node unreached */
            rti_labels_clear(node, n_nodes, opts->flags, 1);
        if (st != RT_OK)
            break;
        /* the land, from the facilities on it and from the attached cells */
        progress_part(ctx, &rp, r, 1);
        m = n_grid_src;
        for (int64_t i = 0; i < n_cells; i++) {
            if (nc->cell_edge[i] < 0 || !passable(grid->friction_s_per_m[i]))
                continue;
            double t1, t2;
            int32_t f1, f2;
            rti_net_cell_labels(nc, node, i, &t1, &f1, NULL, &t2, &f2);
            if (t1 < INFINITY)
                gs[m++] = (rt_source){i, f1, t1};
            if (second && t2 < INFINITY)
                gs[m++] = (rt_source){i, f2, t2};
        }
        if (!warm && m == 0) { /* nothing reaches the land: only impassable attached cells */
            rti_labels_clear(out, n_cells, opts->flags, 1);
            break;
        }
        if (warm && m > n_grid_src)
            st = rti_grid_search_warm(ctx, grid, gs + n_grid_src, m - n_grid_src, opts, ws, out);
        else if (!warm)
            st = rt_grid_search(ctx, grid, gs, m, opts, ws, out);
        if (st != RT_OK || !seeds_from_cells(nc, out, second, &nxt, &cur, n_nodes))
            break;
        rt_labels tmp = cur;
        cur = nxt;
        nxt = tmp;
    }
    rt_ctx_set_progress(ctx, rp.fn, rp.user); /* the caller's callback again */
    /* attached cells the grid cannot enter keep their road labels */
    for (int64_t i = 0; st == RT_OK && i < n_cells; i++) {
        if (nc->cell_edge[i] < 0 || passable(grid->friction_s_per_m[i]))
            continue;
        double t1, t2;
        int32_t f1, f2;
        rti_net_cell_labels(nc, node, i, &t1, &f1, NULL, &t2, &f2);
        out->time_s[i] = t1;
        out->facility[i] = f1;
        if (second) {
            out->time2_s[i] = t2;
            out->facility2[i] = f2;
        }
    }
    if (rounds)
        *rounds = r;
    free(gs);
    free(ns);
    free(sd);
    free(sf);
    return st;
}
