/* bench_update_graph - scenarios on a road graph as updates of the
 * baseline's node labels (rti_graph_search_update) against a full search
 * of the changed graph, on a synthetic road network: a W x H lattice of
 * junctions (default 1000 x 850, 0.85 M nodes, as the peers' road network),
 * each joined to its east and south neighbours in both directions with
 * probability 0.8, roads 100-400 m long at 30-100 km/h, every tenth
 * junction row and column a 100 km/h main road; facilities at random
 * junctions (seeded: every run builds the same graph).
 *
 *   bench_update_graph [facilities] [cases] [second] [W H]
 *
 * Cases per kind: close one facility; open one; a new road (a bypass of
 * two new nodes joining junctions 20 apart at 100 km/h); every road in a
 * block of 10 x 10 junctions closed. Every update must equal its full
 * search bit for bit (checked, exit 1 otherwise). Prints per kind: cases,
 * the median seconds of the full search and of the update, their ratio,
 * and the median share of nodes whose time changed. One thread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_input.h"
#include "core/ctx_internal.h"
#include "core/search_internal.h"
#include "reistijd/rt_graph.h"

static uint64_t seed = 88172645463325252ull;
static double unit(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (double)(seed >> 11) * 0x1.0p-53;
}

typedef struct arcs_buf {
    int64_t n, cap;
    int32_t *tail, *head;
    double *t;
} arcs_buf;

static void put(arcs_buf *a, int32_t u, int32_t v, double t)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 1 << 20;
        a->tail = realloc(a->tail, (size_t)a->cap * sizeof(int32_t));
        a->head = realloc(a->head, (size_t)a->cap * sizeof(int32_t));
        a->t = realloc(a->t, (size_t)a->cap * sizeof(double));
        if (!a->tail || !a->head || !a->t)
            exit(1);
    }
    a->tail[a->n] = u, a->head[a->n] = v, a->t[a->n++] = t;
}

/* Both arcs of a road of len_m at kmh. */
static void road(arcs_buf *a, int32_t u, int32_t v, double len_m, double kmh)
{
    put(a, u, v, len_m / (kmh / 3.6));
    put(a, v, u, len_m / (kmh / 3.6));
}

static rt_graph *build(rt_ctx *ctx, int64_t n, const arcs_buf *a)
{
    rt_arcs arcs = {a->n, a->tail, a->head, a->t, NULL};
    rt_graph *g = NULL;
    if (rt_graph_build(ctx, n, &arcs, &g) != RT_OK) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
        exit(1);
    }
    return g;
}

/* The labels of l from node `at` on. */
static rt_labels view_from(const rt_labels *l, int64_t at)
{
    rt_labels v = *l;
    v.time_s += at;
    v.facility += at;
    if (v.time2_s) {
        v.time2_s += at;
        v.facility2 += at;
    }
    return v;
}

int main(int argc, char **argv)
{
    const int n_fac = argc > 1 ? atoi(argv[1]) : 100;
    const int k = argc > 2 ? atoi(argv[2]) : 10;
    const unsigned flags = argc > 3 && strcmp(argv[3], "second") == 0 ? RT_SEARCH_SECOND : 0;
    const int W = argc > 5 ? atoi(argv[4]) : 1000, H = argc > 5 ? atoi(argv[5]) : 850;
    if (n_fac < 2 || k < 1 || k > 64 || W < 30 || H < 30) {
        fprintf(stderr, "usage: %s [facilities >= 2] [cases 1..64] [second] [W H >= 30]\n",
                argv[0]);
        return 2;
    }
    rt_ctx *ctx = rt_ctx_create();
    rt_ctx_set_threads(ctx, 1);
    const int64_t n = (int64_t)W * H;
    arcs_buf base = {0};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const int32_t u = y * W + x;
            for (int d = 0; d < 2; d++) {
                const int x1 = x + !d, y1 = y + d;
                if (x1 >= W || y1 >= H || unit() >= 0.8)
                    continue;
                const int main_road = d ? x % 10 == 0 : y % 10 == 0;
                road(&base, u, y1 * W + x1, 100.0 + 300.0 * unit(),
                     main_road ? 100.0 : 30.0 + 70.0 * unit());
            }
        }
    rt_graph *g = build(ctx, n, &base);
    rt_source *src = malloc((size_t)(n_fac + 1) * sizeof(*src)),
              *nsrc = malloc((size_t)(n_fac + 1) * sizeof(*src));
    int32_t *map = malloc((size_t)n_fac * sizeof(*map));
    for (int f = 0; f < n_fac; f++)
        src[f] = (rt_source){(int64_t)(unit() * (double)n), f, 0.0};
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = flags;
    rt_labels lab0, full, upd;
    rt_search_ws *ws = rt_search_ws_create();
    const int64_t n2 = n + 2; /* room for a bypass's nodes */
    if (!src || !nsrc || !map || rt_labels_alloc(ctx, n, flags, &lab0) != RT_OK ||
        rt_labels_alloc(ctx, n2, flags, &full) != RT_OK ||
        rt_labels_alloc(ctx, n2, flags, &upd) != RT_OK ||
        rt_graph_search(ctx, g, src, n_fac, &o, ws, &lab0) != RT_OK) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    printf("graph: %lld nodes, %lld arcs, %d facilities%s\n", (long long)n,
           (long long)rt_graph_arcs(g), n_fac, flags ? ", second label" : "");
    printf("case\tcases\tfull_s\tupdate_s\tfull/update\tchanged_nodes\n");
    double tf[64], tu[64], share[64];
    const char *names[4] = {"close", "open", "road", "block"};
    arcs_buf ch = {0};
    for (int mode = 0; mode < 4; mode++) {
        for (int j = 0; j < k; j++) {
            /* the place of case j: a junction spread over the lattice */
            const int x0 = (int)((j + 0.5) / k * (W - 25)),
                      y0 = (int)((j * 7 % k + 0.5) / k * (H - 25));
            int64_t m = n_fac, nn = n;
            for (int32_t f = 0; f < n_fac; f++)
                map[f] = f;
            memcpy(nsrc, src, (size_t)n_fac * sizeof(*src));
            rt_graph *g2 = NULL;
            if (mode == 0) { /* close facility shut */
                const int32_t shut = (int32_t)((int64_t)j * n_fac / k);
                m = 0;
                for (int32_t f = 0; f < n_fac; f++) {
                    map[f] = f < shut ? f : f == shut ? -1 : f - 1;
                    if (map[f] >= 0)
                        nsrc[m++] = (rt_source){src[f].cell, map[f], 0.0};
                }
            } else if (mode == 1) {
                nsrc[m++] = (rt_source){(int64_t)y0 * W + x0, n_fac, 0.0};
            } else {
                ch.n = 0;
                for (int64_t i = 0; i < base.n; i++) {
                    const int32_t u = base.tail[i], v = base.head[i];
                    const int ux = u % W, uy = u / W, vx = v % W, vy = v / W;
                    const int in = mode == 3 && ux >= x0 && ux < x0 + 10 && uy >= y0 &&
                                   uy < y0 + 10 && vx >= x0 && vx < x0 + 10 && vy >= y0 &&
                                   vy < y0 + 10;
                    if (!in)
                        put(&ch, u, v, base.t[i]);
                }
                if (mode == 2) { /* a bypass: junction -> p -> q -> 20 junctions east */
                    const int32_t a = y0 * W + x0, b = y0 * W + x0 + 20;
                    road(&ch, a, (int32_t)n, 700.0, 100.0);
                    road(&ch, (int32_t)n, (int32_t)n + 1, 700.0, 100.0);
                    road(&ch, (int32_t)n + 1, b, 700.0, 100.0);
                    nn = n + 2;
                }
                g2 = build(ctx, nn, &ch);
            }
            const rt_graph *gs = g2 ? g2 : g;
            full.n_cells = upd.n_cells = nn;
            double t0 = rti_now_s();
            if (rt_graph_search(ctx, gs, nsrc, m, &o, ws, &full) != RT_OK)
                return 1;
            tf[j] = rti_now_s() - t0;
            rti_labels_copy(&upd, &lab0, n);
            t0 = rti_now_s();
            if (rti_graph_search_update(ctx, gs, g2 ? g : NULL, nsrc, m, map, n_fac, &o, ws,
                                        &upd) != RT_OK) {
                fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
                return 1;
            }
            tu[j] = rti_now_s() - t0;
            int64_t changed;
            const rt_labels fb = view_from(&full, n), ub = view_from(&upd, n);
            int64_t added;
            if (!same_labels(&full, &upd, n, &changed, &lab0) ||
                !same_labels(&fb, &ub, nn - n, &added, &ub)) {
                fprintf(stderr, "error: %s %d: the update differs from the full search\n",
                        names[mode], j);
                return 1;
            }
            share[j] = (double)changed / (double)n;
            rt_graph_destroy(g2);
        }
        const double mf = median(tf, k), mu = median(tu, k);
        printf("%s\t%d\t%.3f\t%.4f\t%.1f\t%.4f%%\n", names[mode], k, mf, mu, mf / mu,
               100.0 * median(share, k));
    }
    free(ch.tail), free(ch.head), free(ch.t);
    free(base.tail), free(base.head), free(base.t);
    rt_labels_free(&lab0);
    rt_labels_free(&full);
    rt_labels_free(&upd);
    rt_search_ws_destroy(ws);
    rt_graph_destroy(g);
    free(src);
    free(nsrc);
    free(map);
    rt_ctx_destroy(ctx);
    return 0;
}
