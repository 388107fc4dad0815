/* Road networks from edge tables: node ids of the file -> dense graph
 * nodes, rows -> arcs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "core/sort.h"
#include "study/medium/medium.h"

int64_t rti_network_node(const rti_network *net, int64_t id)
{
    /* ids 0 .. n-1 (a numbered table): the id is the index */
    if (net->n_nodes > 0 && net->node_id[0] == 0 &&
        net->node_id[net->n_nodes - 1] == net->n_nodes - 1)
        return id >= 0 && id < net->n_nodes ? id : -1;
    int64_t lo = 0, hi = net->n_nodes;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (net->node_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < net->n_nodes && net->node_id[lo] == id ? lo : -1;
}

void rti_network_free(rti_network *net)
{
    if (!net)
        return;
    free(net->node_id);
    rt_graph_destroy(net->graph);
    memset(net, 0, sizeof(*net));
}

static void put(int32_t *tail, int32_t *head, double *time, float *len, int64_t k, int32_t from,
                int32_t to, double time_s, double length_m)
{
    tail[k] = from;
    head[k] = to;
    time[k] = time_s;
    if (len)
        len[k] = (float)length_m;
}

rt_status rti_network_from_table(rt_ctx *ctx, const rti_edge_table *t, int toward_sources,
                                 rti_network *out)
{
    memset(out, 0, sizeof(*out));
    int64_t *ids = rti_alloc_array_uninit(ctx, 2 * t->n, sizeof(int64_t), "node ids");
    if (!ids)
        return RT_E_NOMEM;
    memcpy(ids, t->source, (size_t)t->n * sizeof(int64_t));
    memcpy(ids + t->n, t->target, (size_t)t->n * sizeof(int64_t));
    int64_t n = rti_sort_unique_i64(ctx, ids, 2 * t->n);
    if (n < 0) {
        free(ids);
        return RT_E_NOMEM;
    }
    if (n > INT32_MAX) {
        free(ids);
        return rti_error(ctx, RT_E_DATA, "road network: %lld nodes is more than one graph holds",
                         (long long)n);
    }
    int64_t *fit = realloc(ids, (size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    out->node_id = fit ? fit : ids;
    out->n_nodes = n;

    int64_t m = 0;
    for (int64_t i = 0; i < t->n; i++)
        m += 1 + !isnan(t->reverse_s[i]);
    int32_t *tail = rti_alloc_array_uninit(ctx, m, sizeof(int32_t), "arcs");
    int32_t *head = rti_alloc_array_uninit(ctx, m, sizeof(int32_t), "arcs");
    double *time = rti_alloc_array_uninit(ctx, m, sizeof(double), "arc times");
    float *len = t->length_m ? rti_alloc_array_uninit(ctx, m, sizeof(float), "arc lengths") : NULL;
    rt_status st = RT_E_NOMEM;
    if (tail && head && time && (len || !t->length_m)) {
        int64_t k = 0;
        for (int64_t i = 0; i < t->n; i++) {
            int32_t a = (int32_t)rti_network_node(out, t->source[i]);
            int32_t b = (int32_t)rti_network_node(out, t->target[i]);
            /* the arc a -> b (stored b -> a when searching toward sources),
             * and b -> a where the row has a reverse cost */
            double l = t->length_m ? t->length_m[i] : 0.0;
            put(tail, head, time, len, k++, toward_sources ? b : a, toward_sources ? a : b,
                t->cost_s[i], l);
            if (!isnan(t->reverse_s[i]))
                put(tail, head, time, len, k++, toward_sources ? a : b, toward_sources ? b : a,
                    t->reverse_s[i], l);
        }
        rt_arcs arcs = {m, tail, head, time, len};
        st = rt_graph_build(ctx, n, &arcs, &out->graph);
    }
    free(tail);
    free(head);
    free(time);
    free(len);
    if (st != RT_OK)
        rti_network_free(out);
    return st;
}
