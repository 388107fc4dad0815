/* bench_roads - times reading a road network and building the graph of one
 * travel mode: PBF (or NWB, line layer) -> rti_roads -> rt_graph.
 *
 *   bench_roads ROADS CRS PROFILE [reps]
 *
 * Prints one tab-separated line: nodes, edges, arcs, components, the size
 * of the largest, the best and median seconds of reading and of building
 * the graph over reps runs, and peak RSS. The osmconf.ini is taken from
 * the profile's folder. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/roadnet.h"
#include "reistijd/rt.h"
#include "study/medium/medium.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_roads ROADS CRS PROFILE [reps]\n");
        return 2;
    }
    int reps = argc > 4 ? atoi(argv[4]) : 5;
    if (reps < 1 || reps > 100)
        reps = 5;
    char conf[1024];
    snprintf(conf, sizeof(conf), "%s", argv[3]);
    char *slash = strrchr(conf, '/');
    snprintf(slash ? slash + 1 : conf, sizeof(conf) - (size_t)(slash ? slash + 1 - conf : 0),
             "osmconf.ini");
    rt_ctx *ctx = rt_ctx_create();
    rti_profile prof;
    if (rti_profile_load(ctx, argv[3], &prof) != RT_OK) {
        fprintf(stderr, "%s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    rti_layer_ref ref = {.path = argv[1]};
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.osm_config = conf;
    double t_read[100], t_graph[100];
    rti_roads r;
    rti_road_graph g;
    for (int i = 0; i < reps; i++) {
        double t0 = now_s();
        if (rti_read_roads(ctx, &ref, argv[2], &o, &r) != RT_OK) {
            fprintf(stderr, "%s\n", rt_ctx_errmsg(ctx));
            return 1;
        }
        double t1 = now_s();
        if (rti_roads_graph(ctx, &r, &prof, 1, &g) != RT_OK) {
            fprintf(stderr, "%s\n", rt_ctx_errmsg(ctx));
            return 1;
        }
        t_graph[i] = now_s() - t1;
        t_read[i] = t1 - t0;
        if (i + 1 < reps) {
            rti_road_graph_free(&g);
            rti_roads_free(&r);
        }
    }
    int32_t *comp = malloc(sizeof(int32_t) * (size_t)(r.n_nodes ? r.n_nodes : 1)), n_comp = 0;
    int64_t *sizes = NULL;
    if (!comp || rti_road_components(ctx, r.n_nodes, r.n_edges, r.from, r.to, comp, &sizes,
                                     &n_comp) != RT_OK)
        return 1;
    qsort(t_read, (size_t)reps, sizeof(double), cmp_d);
    qsort(t_graph, (size_t)reps, sizeof(double), cmp_d);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("nodes\tedges\tarcs\tcomponents\tlargest\tread_s_min\tread_s_median\tgraph_s_min\t"
           "graph_s_median\tpeak_rss_mb\n");
    printf("%lld\t%lld\t%lld\t%d\t%lld\t%.3f\t%.3f\t%.4f\t%.4f\t%.1f\n", (long long)r.n_nodes,
           (long long)r.n_edges, (long long)g.n_arcs, n_comp, (long long)(n_comp ? sizes[0] : 0),
           t_read[0], t_read[reps / 2], t_graph[0], t_graph[reps / 2], ru.ru_maxrss / 1024.0);
    free(comp);
    free(sizes);
    rti_road_graph_free(&g);
    rti_roads_free(&r);
    rti_profile_free(&prof);
    rt_ctx_destroy(ctx);
    return 0;
}
