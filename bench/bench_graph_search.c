/* bench_graph_search - the road graph search on one thread and on a team,
 * on an edge table and a source list as `reistijd nearest --network` reads
 * them (the peers' network: ../shared/bench-peers/gen_network.py).
 *
 *   bench_graph_search EDGES SOURCES [reps] [second] [team] [shift...]
 *
 * For one thread and for `team` threads (default 2) in blocks of 2^shift
 * nodes (default: the library's), prints the minimum and median seconds of
 * reps warm searches (labels and workspace kept) and checks that every
 * label array equals the one-thread search bit for bit (exit 1 otherwise).
 * second = 1: with the second-nearest label and route lengths. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_input.h"
#include "core/ctx_internal.h"
#include "core/search_internal.h"
#include "core/search_team.h"
#include "io/io.h"
#include "study/medium/medium.h"

static double run(rt_ctx *ctx, const rti_network *net, const rt_source *src, int64_t n,
                  const rt_search_opts *o, rt_search_ws *ws, rt_labels *l, int team, int shift,
                  int reps, double *best)
{
    double t[64];
    reps = reps > 64 ? 64 : reps < 1 ? 1 : reps;
    *best = INFINITY;
    for (int r = 0; r < reps; r++) {
        double t0 = rti_now_s();
        if (rti_graph_search_team(ctx, net->graph, src, n, o, ws, l, team, shift) != RT_OK) {
            fprintf(stderr, "search: %s\n", rt_ctx_errmsg(ctx));
            exit(1);
        }
        t[r] = rti_now_s() - t0;
        *best = t[r] < *best ? t[r] : *best;
    }
    return median(t, reps);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s EDGES SOURCES [reps] [second] [team] [shift...]\n", argv[0]);
        return 2;
    }
    const int reps = argc > 3 ? atoi(argv[3]) : 9;
    const int second = argc > 4 && atoi(argv[4]) != 0;
    const int team = argc > 5 ? atoi(argv[5]) : 2;
    rt_ctx *ctx = rt_ctx_create();
    rti_edge_table tab = {0};
    rti_network net = {0};
    rti_layer_ref ref = {.path = argv[1]}, sref = {.path = argv[2]};
    int64_t *ids = NULL, n = 0;
    if (rti_read_edge_table(ctx, &ref, &tab) != RT_OK ||
        rti_network_from_table(ctx, &tab, 1, &net) != RT_OK ||
        rti_read_id_column(ctx, &sref, NULL, &ids, &n) != RT_OK) {
        fprintf(stderr, "%s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    rt_source *src = calloc((size_t)n, sizeof(*src));
    for (int64_t i = 0; i < n; i++) {
        int64_t v = rti_network_node(&net, ids[i]);
        if (v < 0) {
            fprintf(stderr, "%s: no node %lld\n", argv[2], (long long)ids[i]);
            return 1;
        }
        src[i] = (rt_source){v, (int32_t)i, 0.0};
    }
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = second ? RT_SEARCH_SECOND | RT_SEARCH_LENGTH : 0;
    if (second && !net.graph->length_m)
        o.flags = RT_SEARCH_SECOND;
    rt_labels one, many;
    if (rt_labels_alloc(ctx, net.n_nodes, o.flags, &one) != RT_OK ||
        rt_labels_alloc(ctx, net.n_nodes, o.flags, &many) != RT_OK) {
        fprintf(stderr, "%s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    rt_search_ws *ws = rt_search_ws_create();
    printf("graph: %lld nodes, %lld arcs, %lld sources; labels: %s\n", (long long)net.n_nodes,
           (long long)rt_graph_arcs(net.graph), (long long)n,
           second ? "nearest + second + length" : "nearest");
    double best1, med1 = run(ctx, &net, src, n, &o, ws, &one, 1, -1, reps, &best1);
    printf("threads 1: min %.4f s, median %.4f s\n", best1, med1);
    int status = 0;
    const int n_shift = argc > 6 ? argc - 6 : 1;
    for (int a = 0; a < n_shift; a++) {
        const int shift = argc > 6 ? atoi(argv[6 + a]) : RT_TEAM_SHIFT;
        double best, med = run(ctx, &net, src, n, &o, ws, &many, team, shift, reps, &best);
        int64_t changed = 0;
        const int same = same_labels(&one, &many, net.n_nodes, &changed, &one);
        printf("threads %d, blocks of 2^%d nodes: min %.4f s, median %.4f s; "
               "1 / %d threads %.2f (medians) %.2f (min); labels %s\n",
               team, shift, best, med, team, med1 / med, best1 / best,
               same ? "identical" : "DIFFER");
        status |= !same;
    }
    rt_search_ws_destroy(ws);
    rt_labels_free(&one);
    rt_labels_free(&many);
    free(src);
    free(ids);
    rti_network_free(&net);
    rti_edge_table_free(&tab);
    rt_ctx_destroy(ctx);
    return status;
}
