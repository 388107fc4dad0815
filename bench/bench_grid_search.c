/* bench_grid_search - times the grid search kernel alone on a friction
 * GeoTIFF and a facility layer (e.g. the bench-peers NL surface).
 *
 *   bench_grid_search FRICTION.tif FACILITIES.gpkg [reps] [neighbours] [flags]
 *
 * Prints one tab-separated line per case: case, cells, passable, threads,
 * min and median wall seconds of the search over `reps` runs after a warm-up,
 * passable cells per second, peak RSS, label bytes per cell and a checksum
 * of every label array (FNV-1a over the bits), so runs can be compared. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_input.h"
#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_search.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FRICTION.tif FACILITIES [reps] [8|16] [second]\n", argv[0]);
        return 2;
    }
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    int nb = argc > 4 ? atoi(argv[4]) : 16;
    unsigned flags =
        argc > 5 && strcmp(argv[5], "second") == 0 ? RT_SEARCH_SECOND | RT_SEARCH_LENGTH : 0;
    rt_ctx *ctx = rt_ctx_create();
    bench_input bi;
    if (!bench_input_read(ctx, argv[1], argv[2], &bi)) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    const rti_grid_spec g = bi.g;
    float *fr = bi.fr;
    rt_grid_medium med = bi.med;
    rt_source *src = bi.src;
    const int64_t n_src = bi.n_src;
    int64_t n = (int64_t)g.nx * g.ny, n_pass = 0;
    for (int64_t i = 0; i < n; i++)
        n_pass += fr[i] > 0 && fr[i] < INFINITY;
    rt_labels lab;
    if (rt_labels_alloc(ctx, n, flags, &lab) != RT_OK) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    rt_search_ws *ws = rt_search_ws_create();
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.neighbours = nb;
    o.flags = flags;
    double *t = malloc((size_t)(reps + 1) * sizeof(double));
    for (int r = 0; r <= reps; r++) { /* run 0 warms up (page faults, queue growth) */
        double t0 = rti_now_s();
        if (rt_grid_search(ctx, &med, src, n_src, &o, ws, &lab) != RT_OK) {
            fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
            return 1;
        }
        t[r] = rti_now_s() - t0;
    }
    qsort(t + 1, (size_t)reps, sizeof(double), cmp_double);
    /* FNV-1a over every label array the search filled, so that two builds
     * or thread counts that agree here agree bit for bit */
    uint64_t h = 1469598103934665603ULL;
    for (int64_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &lab.time_s[i], 8);
        h = (h ^ bits) * 1099511628211ULL;
        h = (h ^ (uint32_t)lab.facility[i]) * 1099511628211ULL;
        if (flags) {
            memcpy(&bits, &lab.time2_s[i], 8);
            h = (h ^ bits) * 1099511628211ULL;
            h = (h ^ (uint32_t)lab.facility2[i]) * 1099511628211ULL;
            uint32_t lb;
            memcpy(&lb, &lab.length_m[i], 4);
            h = (h ^ lb) * 1099511628211ULL;
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("case\tcells\tpassable\tsources\tneighbours\tthreads\tfirst_s\tmin_s\tmedian_s\t"
           "passable_per_s\tpeak_rss_mb\tlabel_bytes_per_cell\tqueue_mb\tchecksum\n");
    printf("%s\t%lld\t%lld\t%lld\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.0f\t%.0f\t%llu\t%.1f\t%016llx\n",
           flags ? "k2+length" : "nearest", (long long)n, (long long)n_pass, (long long)n_src, nb,
           rt_ctx_threads(ctx), t[0], t[1], t[1 + reps / 2], (double)n_pass / t[1],
           ru.ru_maxrss / 1024.0, (unsigned long long)rt_labels_bytes_per_cell(flags),
           rt_search_ws_bytes(ws) / 1048576.0, (unsigned long long)h);
    rt_search_ws_destroy(ws);
    rt_labels_free(&lab);
    free(t);
    bench_input_free(&bi);
    rt_ctx_destroy(ctx);
    return 0;
}
