/* Road graph in compressed sparse rows and the multi-source search over it,
 * k = 1 or k = 2 distinct-facility labels. The label updates and the queue
 * are those of the grid search (search_internal.h). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/search_internal.h"
#include "core/search_team.h"
#include "reistijd/rt_graph.h"

typedef struct arc_rec {
    double t;
    int32_t head;
    float len;
} arc_rec;

static int arc_less(const arc_rec *a, const arc_rec *b)
{
    if (a->head != b->head)
        return a->head < b->head;
    if (a->t != b->t)
        return a->t < b->t;
    return a->len < b->len;
}

static int arc_cmp(const void *pa, const void *pb)
{
    const arc_rec *a = pa, *b = pb;
    return arc_less(a, b) ? -1 : arc_less(b, a) ? 1 : 0;
}

static rt_status check_arcs(rt_ctx *ctx, int64_t n_nodes, const rt_arcs *a)
{
    if (n_nodes < 1 || n_nodes > INT32_MAX)
        return rti_error(ctx, RT_E_ARG, "graph: %lld nodes (must be 1 .. %d)", (long long)n_nodes,
                         INT32_MAX);
    if (!a || a->n < 0 || (a->n > 0 && (!a->tail || !a->head || !a->time_s)))
        return rti_error(ctx, RT_E_ARG, "graph: no arc arrays");
    if (a->n >= (int64_t)UINT32_MAX)
        return rti_error(ctx, RT_E_ARG, "graph: %lld arcs is more than one graph holds",
                         (long long)a->n);
    for (int64_t i = 0; i < a->n; i++) {
        int32_t u = a->tail[i], v = a->head[i];
        if (u < 0 || u >= n_nodes || v < 0 || v >= n_nodes)
            return rti_error(ctx, RT_E_DATA, "graph: arc %lld: node %d -> %d is outside 0 .. %lld",
                             (long long)i, u, v, (long long)n_nodes - 1);
        double t = a->time_s[i];
        if (!(t >= 0) || !isfinite(t))
            return rti_error(ctx, RT_E_DATA,
                             "graph: arc %lld (%d -> %d): time %g s is not a finite value >= 0",
                             (long long)i, u, v, t);
        if (a->length_m) {
            float l = a->length_m[i];
            if (!(l >= 0) || !isfinite(l))
                return rti_error(
                    ctx, RT_E_DATA,
                    "graph: arc %lld (%d -> %d): length %g m is not a finite value >= 0",
                    (long long)i, u, v, (double)l);
        }
    }
    return RT_OK;
}

void rt_graph_destroy(rt_graph *g)
{
    if (!g)
        return;
    free(g->first);
    free(g->head);
    free(g->time_s);
    free(g->length_m);
    free(g->w_in);
    free(g);
}

/* Sorts the arcs of every node by (head, time, length). */
static int sort_rows(rt_ctx *ctx, rt_graph *g)
{
    int64_t max_deg = 0;
    for (int64_t v = 0; v < g->n_nodes; v++) {
        int64_t d = (int64_t)g->first[v + 1] - g->first[v];
        max_deg = d > max_deg ? d : max_deg;
    }
    arc_rec *tmp = rti_malloc_array(ctx, max_deg > 0 ? max_deg : 1, sizeof(arc_rec), "graph sort");
    if (!tmp)
        return 0;
    for (int64_t v = 0; v < g->n_nodes; v++) {
        int64_t b = g->first[v], d = (int64_t)g->first[v + 1] - b;
        if (d < 2)
            continue;
        for (int64_t k = 0; k < d; k++)
            tmp[k] = (arc_rec){g->time_s[b + k], g->head[b + k],
                               g->length_m ? g->length_m[b + k] : 0.0f};
        if (d <= 16) {
            for (int64_t k = 1; k < d; k++) {
                arc_rec x = tmp[k];
                int64_t j = k;
                for (; j > 0 && arc_less(&x, &tmp[j - 1]); j--)
                    tmp[j] = tmp[j - 1];
                tmp[j] = x;
            }
        } else {
            qsort(tmp, (size_t)d, sizeof(arc_rec), arc_cmp);
        }
        for (int64_t k = 0; k < d; k++) {
            g->time_s[b + k] = tmp[k].t;
            g->head[b + k] = tmp[k].head;
            if (g->length_m)
                g->length_m[b + k] = tmp[k].len;
        }
    }
    free(tmp);
    return 1;
}

rt_status rt_graph_build(rt_ctx *ctx, int64_t n_nodes, const rt_arcs *arcs, rt_graph **out)
{
    if (!ctx || !out)
        return ctx ? rti_error(ctx, RT_E_ARG, "graph: no output given") : RT_E_ARG;
    *out = NULL;
    rt_status st = check_arcs(ctx, n_nodes, arcs);
    if (st != RT_OK)
        return st;
    int64_t m = 0;
    for (int64_t i = 0; i < arcs->n; i++)
        m += arcs->tail[i] != arcs->head[i];
    uint64_t bytes =
        (uint64_t)(n_nodes + 1) * sizeof(uint32_t) + (uint64_t)n_nodes * sizeof(float) +
        (uint64_t)m * (sizeof(int32_t) + sizeof(double) + (arcs->length_m ? sizeof(float) : 0));
    st = rti_budget_check(ctx, bytes, "road graph");
    if (st != RT_OK)
        return st;
    rt_graph *g = calloc(1, sizeof(*g));
    if (!g)
        return rti_error(ctx, RT_E_NOMEM, "graph: out of memory");
    g->n_nodes = n_nodes;
    g->n_arcs = m;
    g->first = rti_malloc_array(ctx, n_nodes + 1, sizeof(uint32_t), "graph offsets");
    g->head = rti_alloc_array_uninit(ctx, m > 0 ? m : 1, sizeof(int32_t), "graph arcs");
    g->time_s = rti_alloc_array_uninit(ctx, m > 0 ? m : 1, sizeof(double), "graph arc times");
    g->w_in = rti_alloc_array_uninit(ctx, n_nodes, sizeof(float), "graph nodes");
    if (g->first && g->head && g->time_s && g->w_in && arcs->length_m)
        g->length_m =
            rti_alloc_array_uninit(ctx, m > 0 ? m : 1, sizeof(float), "graph arc lengths");
    if (!g->first || !g->head || !g->time_s || !g->w_in || (arcs->length_m && !g->length_m)) {
        rt_graph_destroy(g);
        return RT_E_NOMEM;
    }
    /* counting sort on the tail, stable in input order */
    for (int64_t i = 0; i < arcs->n; i++)
        if (arcs->tail[i] != arcs->head[i])
            g->first[arcs->tail[i] + 1]++;
    for (int64_t v = 0; v < n_nodes; v++)
        g->first[v + 1] += g->first[v];
    uint32_t *pos = rti_alloc_array_uninit(ctx, n_nodes, sizeof(uint32_t), "graph build");
    if (!pos) {
        rt_graph_destroy(g);
        return RT_E_NOMEM;
    }
    memcpy(pos, g->first, (size_t)n_nodes * sizeof(uint32_t));
    for (int64_t v = 0; v < n_nodes; v++)
        g->w_in[v] = INFINITY;
    g->w_min = INFINITY;
    g->w_max = 0.0;
    for (int64_t i = 0; i < arcs->n; i++) {
        int32_t u = arcs->tail[i];
        if (u == arcs->head[i])
            continue;
        uint32_t k = pos[u]++;
        double t = arcs->time_s[i];
        g->head[k] = arcs->head[i];
        g->time_s[k] = t;
        if (g->length_m)
            g->length_m[k] = arcs->length_m[i];
        g->w_min = t < g->w_min ? t : g->w_min;
        g->w_max = t > g->w_max ? t : g->w_max;
        float tf = (float)t;
        if ((double)tf > t)
            tf = nextafterf(tf, 0.0f);
        const int32_t h = arcs->head[i];
        g->w_in[h] = tf < g->w_in[h] ? tf : g->w_in[h];
    }
    free(pos);
    g->w_in_max = 0.0;
    for (int64_t v = 0; v < n_nodes; v++)
        if (g->w_in[v] < INFINITY && g->w_in[v] > g->w_in_max)
            g->w_in_max = g->w_in[v];
    if (!sort_rows(ctx, g)) {
        rt_graph_destroy(g);
        return RT_E_NOMEM;
    }
    *out = g;
    return RT_OK;
}

int64_t rt_graph_nodes(const rt_graph *g) { return g ? g->n_nodes : 0; }
int64_t rt_graph_arcs(const rt_graph *g) { return g ? g->n_arcs : 0; }

uint64_t rt_graph_bytes(const rt_graph *g)
{
    if (!g)
        return 0;
    return sizeof(*g) + (uint64_t)(g->n_nodes + 1) * sizeof(uint32_t) +
           (uint64_t)g->n_nodes * sizeof(float) +
           (uint64_t)g->n_arcs *
               (sizeof(int32_t) + sizeof(double) + (g->length_m ? sizeof(float) : 0));
}

void rt_graph_out(const rt_graph *g, int32_t v, int64_t *first, int64_t *end)
{
    const int in = g && v >= 0 && v < g->n_nodes;
    *first = in ? g->first[v] : 0;
    *end = in ? g->first[v + 1] : 0;
}

void rt_graph_arc(const rt_graph *g, int64_t i, int32_t *head, double *time_s, double *length_m)
{
    const int in = g && i >= 0 && i < g->n_arcs;
    *head = in ? g->head[i] : -1;
    *time_s = in ? g->time_s[i] : NAN;
    *length_m = in && g->length_m ? (double)g->length_m[i] : NAN;
}

/* ---- updates ---- */

static inline arc_rec arc_at(const rt_graph *g, uint32_t a)
{
    return (arc_rec){g->time_s[a], g->head[a], g->length_m ? g->length_m[a] : 0.0f};
}

typedef struct graph_repair {
    const rt_graph *go; /* the graph of the earlier search */
    rt_labels *o;
    rti_marks m;         /* nodes whose labels go */
    rti_idx_list *seeds; /* nodes to queue with their labels */
} graph_repair;

/* The rows of u in the old and the new graph, both sorted by (head, time,
 * length), walked together: an arc that only the old row has marks its
 * head when it carried a label there; one that only the new row has (a new
 * or cheaper arc) queues u. */
static int compare_rows(rt_ctx *ctx, graph_repair *R, const rt_graph *gn, int32_t u)
{
    const rt_graph *go = R->go;
    uint32_t a = go->first[u], b = gn->first[u];
    const uint32_t ae = go->first[u + 1], be = gn->first[u + 1];
    if (ae - a == be - b && !memcmp(go->head + a, gn->head + b, (ae - a) * sizeof(int32_t)) &&
        !memcmp(go->time_s + a, gn->time_s + b, (ae - a) * sizeof(double)) &&
        (!go->length_m || !gn->length_m ||
         !memcmp(go->length_m + a, gn->length_m + b, (ae - a) * sizeof(float))))
        return 1;                               /* the same row (the most common case by far) */
    int seeded = !(R->o->time_s[u] < INFINITY); /* an unreached node offers nothing */
    while (a < ae || b < be) {
        const arc_rec x = a < ae ? arc_at(go, a) : (arc_rec){0};
        const arc_rec y = b < be ? arc_at(gn, b) : (arc_rec){0};
        if (b == be || (a < ae && arc_less(&x, &y))) { /* gone, or dearer */
            if (rti_label_tight(R->o, u, x.head, x.t) && !rti_mark(ctx, &R->m, x.head))
                return 0;
            a++;
        } else if (a == ae || arc_less(&y, &x)) { /* new, or cheaper */
            if (!seeded && !rti_list_add(ctx, R->seeds, u))
                return 0;
            seeded = 1;
            b++;
        } else {
            a++, b++;
        }
    }
    return 1;
}

/* The labels of o, computed on R->go, made fit for gn: every label that an
 * arc carried which gn lacks, and every label derived from such a label
 * along the old arcs, is cleared and its node added to *cleared; the nodes
 * with a new or cheaper arc go to *seeds. */
static int repair_graph(rt_ctx *ctx, const rt_graph *go, const rt_graph *gn, unsigned flags,
                        rt_labels *o, rti_idx_list *cleared, rti_idx_list *seeds)
{
    graph_repair R = {go, o, {NULL, {0}, cleared}, seeds};
    R.m.bit = rti_malloc_array(ctx, go->n_nodes / 8 + 1, 1, "graph update");
    int ok = R.m.bit != NULL;
    for (int64_t u = 0; ok && u < go->n_nodes; u++)
        ok = compare_rows(ctx, &R, gn, (int32_t)u);
    while (ok && R.m.todo.n > 0) { /* what the marked labels carried on, along the old arcs */
        const int64_t x = R.m.todo.a[--R.m.todo.n];
        for (uint32_t a = go->first[x]; ok && a < go->first[x + 1]; a++)
            if (rti_label_tight(o, x, go->head[a], go->time_s[a]))
                ok = rti_mark(ctx, &R.m, go->head[a]);
    }
    for (int64_t i = 0; ok && i < cleared->n; i++)
        label_clear(o, cleared->a[i], flags);
    free(R.m.bit);
    free(R.m.todo.a);
    return ok;
}

/* The reached nodes with an arc of g into a cleared node, added to
 * *border: they offer again to it. */
static int border_nodes(rt_ctx *ctx, const rt_graph *g, const rt_labels *o,
                        const rti_idx_list *cleared, rti_idx_list *border)
{
    if (cleared->n == 0)
        return 1;
    unsigned char *cut = rti_malloc_array(ctx, g->n_nodes / 8 + 1, 1, "graph update");
    if (!cut)
        return 0;
    for (int64_t i = 0; i < cleared->n; i++)
        cut[cleared->a[i] >> 3] |= (unsigned char)(1u << (cleared->a[i] & 7));
    int ok = 1;
    for (int64_t u = 0; ok && u < g->n_nodes; u++) {
        if (!(o->time_s[u] < INFINITY))
            continue;
        for (uint32_t a = g->first[u]; a < g->first[u + 1]; a++) {
            const int32_t v = g->head[a];
            if (cut[v >> 3] & (1u << (v & 7))) {
                ok = rti_list_add(ctx, border, u);
                break;
            }
        }
    }
    free(cut);
    return ok;
}

/* The labels of out made those of the earlier search with the facilities
 * renumbered (closed ones cleared) and, with go, the arcs changed; the
 * nodes to queue (the border of what was cleared, and the nodes with a new
 * or cheaper arc) in *queued. Returns 0 when out of memory. */
static int prepare_update(rt_ctx *ctx, const rt_graph *g, const rt_graph *go, const int32_t *map,
                          int32_t n_map, unsigned flags, rt_labels *out, rti_idx_list *queued)
{
    rti_idx_list cleared = {0};
    for (int64_t v = go ? go->n_nodes : g->n_nodes; v < g->n_nodes; v++)
        label_clear(out, v, flags); /* the nodes the new graph adds */
    /* the arcs first: which labels carried which is seen only while every
     * label is still there */
    int ok = (!go || repair_graph(ctx, go, g, flags, out, &cleared, queued)) &&
             rti_labels_renumber(ctx, map, n_map, flags, g->n_nodes, out, &cleared) &&
             border_nodes(ctx, g, out, &cleared, queued);
    free(cleared.a);
    return ok;
}

/* ---- search ---- */

static inline __attribute__((always_inline)) rt_status
graph_k1(rt_ctx *ctx, const rt_graph *g, double max_t, queue *h, rt_labels *o, const int with_len)
{
    const uint32_t *first = g->first;
    const int32_t *head = g->head;
    const double *w = g->time_s;
    const float *len = g->length_m;
    const int64_t total = g->n_nodes;
    int64_t pops = 0;
    rti_hentry e;
    int r;
    while ((r = q_pop(ctx, h, &e)) > 0) {
        const uint32_t c = e.node;
        const double t = o->time_s[c];
        if (!rti_same_time(e.key, t))
            continue; /* stale: the node was improved after this push */
        if (!search_tick(ctx, &pops, total))
            return RT_E_CANCELLED;
        const int32_t f = o->facility[c];
        const float l = with_len ? o->length_m[c] : 0.0f;
        const uint32_t end = first[c + 1];
        for (uint32_t a = first[c]; a < end; a++) {
            const int32_t nb = head[a];
            /* a neighbour below t cannot improve (arcs cost >= 0) */
            if (o->time_s[nb] < t)
                continue;
            const double nt = t + w[a];
            if (!(nt <= max_t))
                continue;
            if (!offer1(ctx, h, o, nb, nt, f, with_len ? l + len[a] : 0.0f, with_len))
                return RT_E_NOMEM;
        }
    }
    return r < 0 ? RT_E_NOMEM : RT_OK;
}

static inline __attribute__((always_inline)) rt_status
graph_k2(rt_ctx *ctx, const rt_graph *g, double max_t, queue *h, rt_labels *o, const int with_len)
{
    const uint32_t *first = g->first;
    const int64_t total = 2 * g->n_nodes;
    int64_t pops = 0;
    rti_hentry e;
    int r;
    while ((r = q_pop(ctx, h, &e)) > 0) {
        const uint32_t c = e.node;
        const int32_t fac = e.fac;
        double t;
        const int first_slot = entry_slot(o, c, &e, &t);
        if (first_slot < 0)
            continue; /* stale */
        if (!search_tick(ctx, &pops, total))
            return RT_E_CANCELLED;
        /* as in the grid search: a second-slot length is never read */
        const float l = with_len && first_slot ? o->length_m[c] : NAN;
        const uint32_t end = first[c + 1];
        for (uint32_t a = first[c]; a < end; a++) {
            const double nt = t + g->time_s[a];
            if (!(nt <= max_t))
                continue;
            if (!offer2(ctx, h, o, g->head[a], nt, fac, with_len ? l + g->length_m[a] : 0.0f,
                        with_len))
                return RT_E_NOMEM;
        }
    }
    return r < 0 ? RT_E_NOMEM : RT_OK;
}

/* Graphs smaller than this are searched on one thread: the team search pays
 * two barriers a round, which small graphs do not repay. */
#define RT_TEAM_MIN_NODES ((int64_t)1 << 16)

/* The team for a full search of g from starts no later than hi (team > 0:
 * asked for by a test; 0: the context's threads for a large graph, one
 * inside a parallel region that allows no nesting). One thread, too, when
 * the search runs on the radix heap or when a time could swallow the
 * cheapest arc in rounding (t + w == t), which the team's rule for final
 * labels needs never to happen. */
static int graph_team(rt_ctx *ctx, const rt_graph *g, const queue *h, const rt_search_opts *opts,
                      double hi, int team)
{
    if (team <= 0) {
        team = rti_threads(ctx);
        if (g->n_nodes < RT_TEAM_MIN_NODES || omp_get_active_level() >= omp_get_max_active_levels())
            team = 1;
    }
    double t_max =
        opts->max_time_s < INFINITY ? opts->max_time_s : hi + (double)g->n_nodes * g->w_max;
    if (!h->bq || !(g->w_min > 1e-30) || !(t_max * 0x1p-40 < g->w_min))
        team = 1;
    return team;
}

/* rt_graph_search, with warm = 1 rti_graph_search_warm, and with a map
 * rti_graph_search_update (go: the earlier graph, NULL when the same). */
static rt_status graph_search(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                              const rt_search_opts *opts, rt_search_ws *ws, rt_labels *out,
                              int warm, const int32_t *map, int32_t n_map, const rt_graph *go,
                              int team, int shift)
{
    rt_search_opts def;
    rt_status st_opts = rti_search_opts_in(ctx, opts, &def);
    if (st_opts != RT_OK)
        return st_opts;
    opts = &def;
    if (!g)
        return rti_error(ctx, RT_E_ARG, "search: no graph");
    rt_status st = rti_search_check(ctx, opts, out, g->n_nodes, "graph");
    if (st != RT_OK)
        return st;
    if ((opts->flags & RT_SEARCH_LENGTH) && !g->length_m)
        return rti_error(ctx, RT_E_ARG, "search: route lengths asked of a graph without lengths");
    if (!src || n_src < 1)
        return rti_error(ctx, RT_E_ARG, "search: no start nodes");
    for (int64_t i = 0; i < n_src; i++) {
        if (src[i].cell < 0 || src[i].cell >= g->n_nodes)
            return rti_error(
                ctx, RT_E_ARG, "search: start %lld (facility %d): node %lld is outside 0 .. %lld",
                (long long)i, src[i].facility, (long long)src[i].cell, (long long)g->n_nodes - 1);
    }
    double span;
    st = rti_search_check_starts(ctx, src, n_src, opts->start_m, &span);
    if (st != RT_OK)
        return st;
    if (!warm)
        rti_labels_clear(out, g->n_nodes, opts->flags, rti_threads(ctx));
    rti_idx_list queued = {0};
    if (map && !prepare_update(ctx, g, go, map, n_map, opts->flags, out, &queued)) {
        free(queued.a);
        return RT_E_NOMEM;
    }
    if (map)
        span = rti_update_span(src, n_src, out, &queued); /* it sizes the ring */

    rt_search_ws *tmp = NULL;
    if (!ws)
        tmp = ws = rt_search_ws_create();
    queue qu, *h = &qu;
    if (!ws ||
        !rti_search_queue(ctx, ws, g->w_min, g->w_max, span, 0,
                          (opts->flags & RT_SEARCH_SECOND) != 0, h) ||
        !rti_queue_labels(ctx, h, out, &queued)) {
        free(queued.a);
        rt_search_ws_destroy(tmp);
        return ws ? RT_E_NOMEM : rti_error(ctx, RT_E_NOMEM, "search: out of memory for the queue");
    }
    free(queued.a);
    const int second = (opts->flags & RT_SEARCH_SECOND) != 0;
    const int with_len = (opts->flags & RT_SEARCH_LENGTH) != 0;
    double hi = 0.0;
    for (int64_t i = 0; i < n_src; i++)
        hi = src[i].start_s > hi ? src[i].start_s : hi;
    team = warm || map ? 1 : graph_team(ctx, g, h, opts, hi, team);
    if (team > 1) {
        st = rti_progress(ctx, 0.0, "search")
                 ? rti_graph_team_run(ctx, g, src, n_src, opts, ws, h->bq, out, team,
                                      shift >= 0 ? shift : RT_TEAM_SHIFT)
                 : rti_error(ctx, RT_E_CANCELLED, "search cancelled");
        n_src = 0; /* offered by the team */
    }
    for (int64_t i = 0; i < n_src && st == RT_OK; i++) {
        const double t0 = src[i].start_s;
        if (!(t0 <= opts->max_time_s))
            continue; /* starts beyond the time limit: its node stays unreached */
        const float l0 = opts->start_m ? opts->start_m[i] : 0.0f;
        int ok = offer_k(ctx, h, out, src[i].cell, t0, src[i].facility, l0, with_len, second);
        if (!ok)
            st = RT_E_NOMEM;
    }
    if (st == RT_OK && team == 1 && !rti_progress(ctx, 0.0, "search"))
        st = rti_error(ctx, RT_E_CANCELLED, "search cancelled");
    if (st == RT_OK && team == 1) {
        if (second)
            st = with_len ? graph_k2(ctx, g, opts->max_time_s, h, out, 1)
                          : graph_k2(ctx, g, opts->max_time_s, h, out, 0);
        else
            st = with_len ? graph_k1(ctx, g, opts->max_time_s, h, out, 1)
                          : graph_k1(ctx, g, opts->max_time_s, h, out, 0);
    }
    if (st == RT_OK && !rti_progress(ctx, 1.0, "search"))
        st = rti_error(ctx, RT_E_CANCELLED, "search cancelled");
    rti_rheap_reset(&ws->heap);
    rt_search_ws_destroy(tmp);
    return st;
}

rt_status rt_graph_search(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                          const rt_search_opts *opts, rt_search_ws *ws, rt_labels *out)
{
    if (!ctx)
        return RT_E_ARG;
    return graph_search(ctx, g, src, n_src, opts, ws, out, 0, NULL, 0, NULL, 0, -1);
}

rt_status rti_graph_search_warm(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                                const rt_search_opts *opts, rt_search_ws *ws, rt_labels *out)
{
    return graph_search(ctx, g, src, n_src, opts, ws, out, 1, NULL, 0, NULL, 1, -1);
}

rt_status rti_graph_search_update(rt_ctx *ctx, const rt_graph *g, const rt_graph *old_g,
                                  const rt_source *src, int64_t n_src, const int32_t *map,
                                  int32_t n_map, const rt_search_opts *opts, rt_search_ws *ws,
                                  rt_labels *out)
{
    if (!map || n_map < 0)
        return rti_error(ctx, RT_E_ARG, "search update: no facility map");
    if (g && old_g && old_g->n_nodes > g->n_nodes)
        return rti_error(ctx, RT_E_ARG,
                         "search update: the graph has %lld nodes, fewer than the earlier %lld",
                         (long long)g->n_nodes, (long long)old_g->n_nodes);
    return graph_search(ctx, g, src, n_src, opts, ws, out, 1, map, n_map, old_g, 1, -1);
}

rt_status rti_graph_search_team(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                                const rt_search_opts *opts, rt_search_ws *ws, rt_labels *out,
                                int team, int shift)
{
    return graph_search(ctx, g, src, n_src, opts, ws, out, 0, NULL, 0, NULL, team > 0 ? team : 1,
                        shift);
}
