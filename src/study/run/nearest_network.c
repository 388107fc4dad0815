/* `reistijd nearest --network`: an edge table and a list of source nodes
 * in, the time from every node to its nearest source out (CSV). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_graph.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

/* Source node ids -> graph nodes; the facility index of a source is its
 * graph node, so the `source` column can name it. */
static rt_status map_sources(rt_ctx *ctx, const rti_network *net, const char *path,
                             const int64_t *ids, int64_t n, rt_source *src)
{
    for (int64_t i = 0; i < n; i++) {
        int64_t v = rti_network_node(net, ids[i]);
        if (v < 0)
            return rti_error(ctx, RT_E_DATA,
                             "%s: row %lld: node %lld is not a node of the network (no edge "
                             "starts or ends there)",
                             path, (long long)i + 1, (long long)ids[i]);
        src[i].cell = v;
        src[i].facility = (int32_t)v;
    }
    return RT_OK;
}

static rt_status write_csv(rt_ctx *ctx, const char *tmp, const char *final_path,
                           const rti_network *net, const rt_labels *lab, int minutes,
                           int64_t *n_reached)
{
    FILE *f = fopen(tmp, "w");
    if (!f)
        return rti_error(ctx, RT_E_IO, "%s: cannot write: %s", final_path, strerror(errno));
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    const double scale = minutes ? 1.0 / 60.0 : 1.0;
    int ok = fprintf(f, "node,%s,source\n", minutes ? "time_min" : "time_s") > 0;
    int64_t reached = 0;
    for (int64_t v = 0; v < net->n_nodes && ok; v++) {
        if (isinf(lab->time_s[v]))
            continue;
        reached++;
        ok = fprintf(f, "%lld,%.6f,%lld\n", (long long)net->node_id[v], lab->time_s[v] * scale,
                     (long long)net->node_id[lab->facility[v]]) > 0;
        if ((v & 0xFFFF) == 0 && !rti_progress(ctx, (double)v / (double)net->n_nodes, "write")) {
            fclose(f);
            return rti_error(ctx, RT_E_CANCELLED, "writing %s cancelled", final_path);
        }
    }
    int err = ferror(f);
    if (fclose(f) != 0 || err || !ok)
        return rti_error(ctx, RT_E_IO, "%s: write failed: %s", final_path, strerror(errno));
    *n_reached = reached;
    return RT_OK;
}

rt_status rti_nearest_network(rt_ctx *ctx, const rt_nearest_opts *o, rt_nearest_result *r,
                              rti_outset *outs)
{
    rt_status st;
    rti_edge_table tab = {0};
    rti_network net = {0};
    int64_t *ids = NULL, n_ids = 0;
    rt_source *src = NULL;
    rt_labels lab = {0};
    rti_layer_ref ref = {
        .path = o->network_path, .layer = o->layer, .allow_remote = o->allow_remote};
    st = rti_read_edge_table(ctx, &ref, &tab);
    if (st != RT_OK)
        goto done;
    rti_log(ctx, RT_LOG_INFO, "%s: %lld edges, times from %s", o->network_path, (long long)tab.n,
            tab.cost_desc);
    double t0 = rti_now_s();
    st = rti_network_from_table(ctx, &tab, 1, &net);
    r->graph_s = rti_now_s() - t0;
    if (st != RT_OK) {
        rti_error_prefix(ctx, "%s", o->network_path);
        goto done;
    }
    rti_edge_table_free(&tab);
    r->n_nodes = net.n_nodes;
    r->n_arcs = rt_graph_arcs(net.graph);
    r->graph_bytes = rt_graph_bytes(net.graph);
    rti_layer_ref sref = {.path = o->sources_path, .allow_remote = o->allow_remote};
    st = rti_read_id_column(ctx, &sref, NULL, &ids, &n_ids);
    if (st != RT_OK)
        goto done;
    r->n_facilities = n_ids;
    src = rti_malloc_array(ctx, n_ids, sizeof(*src), "sources");
    if (!src) {
        st = RT_E_NOMEM;
        goto done;
    }
    st = map_sources(ctx, &net, o->sources_path, ids, n_ids, src);
    if (st != RT_OK)
        goto done;

    t0 = rti_now_s(); /* the compute step: allocating the labels and the search */
    st = rt_labels_alloc(ctx, net.n_nodes, 0, &lab);
    if (st == RT_OK)
        st = rt_graph_search(ctx, net.graph, src, n_ids, NULL, NULL, &lab);
    r->core_s = rti_now_s() - t0;
    if (st != RT_OK)
        goto done;
    const char *tmp = rti_outset_add(ctx, outs, o->out_path);
    if (!tmp) {
        st = rt_ctx_errcode(ctx);
        goto done;
    }
    st = write_csv(ctx, tmp, o->out_path, &net, &lab, o->minutes, &r->n_reached);
done:
    rt_labels_free(&lab);
    free(src);
    free(ids);
    rti_network_free(&net);
    rti_edge_table_free(&tab);
    return st;
}
