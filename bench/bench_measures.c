/* bench_measures - the count of facilities within a cutoff for every cell,
 * from one bounded search per facility (core/measure), against the two
 * ways without it: one unbounded search per facility (rt_grid_search from
 * the facility alone, then the cells within the cutoff counted), and, for
 * scale, one multi-source nearest-facility search.
 *
 *   bench_measures FRICTION.tif FACILITIES [cutoff_min] [sample] [neighbours]
 *
 * The unbounded searches are timed on the first `sample` facilities (10)
 * and scaled to all of them: a whole run would take hours. The bounded
 * counts run with 1 and 2 threads and must agree bit for bit. Prints one
 * tab-separated line per case and the ratios; peak RSS over the cells. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_input.h"
#include "core/ctx_internal.h"
#include "core/measure/measure.h"
#include "io/io.h"
#include "reistijd/rt_search.h"

static int fail(rt_ctx *ctx)
{
    fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FRICTION.tif FACILITIES [cutoff_min] [sample] [8|16]\n",
                argv[0]);
        return 2;
    }
    const double cutoff_s = (argc > 3 ? atof(argv[3]) : 15.0) * 60.0;
    const int sample = argc > 4 ? atoi(argv[4]) : 10;
    const int nb = argc > 5 ? atoi(argv[5]) : 16;
    rt_ctx *ctx = rt_ctx_create();
    bench_input bi;
    if (!bench_input_read(ctx, argv[1], argv[2], &bi)) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    const int64_t n = (int64_t)bi.g.nx * bi.g.ny;
    /* one facility per start (the snapped points in order) */
    int64_t *first = malloc((size_t)(bi.n_src + 1) * sizeof(int64_t));
    for (int64_t j = 0; j <= bi.n_src; j++)
        first[j] = j;
    for (int64_t j = 0; j < bi.n_src; j++)
        bi.src[j].facility = (int32_t)j;
    rti_reach_medium rm = {.kind = RTI_REACH_GRID, .grid = &bi.med, .neighbours = nb};
    rti_reach_facs facs = {.n = (int32_t)bi.n_src, .first = first, .src = bi.src};
    rti_measure m = {.kind = RTI_MEASURE_COUNT, .cutoff = cutoff_s, .unit = 60};
    rti_measure_input in = {.medium = &rm, .facs = &facs};

    /* the nearest facility: one multi-source search (after a warm-up) */
    rt_labels lab;
    if (rt_labels_alloc(ctx, n, 0, &lab) != RT_OK)
        return fail(ctx);
    rt_search_ws *ws = rt_search_ws_create();
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.neighbours = nb;
    rt_ctx_set_threads(ctx, 1);
    double t_near = INFINITY;
    for (int r = 0; r < 3; r++) {
        const double t0 = rti_now_s();
        if (rt_grid_search(ctx, &bi.med, bi.src, bi.n_src, &o, ws, &lab) != RT_OK)
            return fail(ctx);
        const double dt = rti_now_s() - t0;
        if (r > 0 && dt < t_near) /* run 0 warms up */
            t_near = dt;
    }

    /* bounded counts, 1 and 2 threads */
    double *c1 = malloc((size_t)n * sizeof(double)), *c2 = malloc((size_t)n * sizeof(double));
    double t_b[3] = {0};
    for (int th = 1; th <= 2; th++) {
        rt_ctx_set_threads(ctx, th);
        const double t0 = rti_now_s();
        if (rti_measure_compute(ctx, &in, &m, th == 1 ? c1 : c2) != RT_OK)
            return fail(ctx);
        t_b[th] = rti_now_s() - t0;
    }
    const int same = memcmp(c1, c2, (size_t)n * sizeof(double)) == 0;

    /* unbounded: the first `sample` facilities, each searched alone over
     * the whole grid and its cells within the cutoff counted */
    rt_ctx_set_threads(ctx, 1);
    double *cu = calloc((size_t)n, sizeof(double));
    const int s = sample < bi.n_src ? sample : (int)bi.n_src;
    const double t0 = rti_now_s();
    for (int j = 0; j < s; j++) {
        if (rt_grid_search(ctx, &bi.med, &bi.src[j], 1, &o, ws, &lab) != RT_OK)
            return fail(ctx);
        for (int64_t i = 0; i < n; i++)
            cu[i] += lab.time_s[i] <= cutoff_s;
    }
    const double t_unb_sample = rti_now_s() - t0;
    const double t_unb = t_unb_sample / s * (double)bi.n_src;
    /* the same counts from the bounded searches of those facilities */
    double *cs = calloc((size_t)n, sizeof(double));
    facs.n = s;
    rt_ctx_set_threads(ctx, 1);
    if (rti_measure_compute(ctx, &in, &m, cs) != RT_OK)
        return fail(ctx);
    const int same_sample = memcmp(cu, cs, (size_t)n * sizeof(double)) == 0;
    double total = 0, reached = 0;
    for (int64_t i = 0; i < n; i++) {
        total += c1[i];
        reached += c1[i] > 0;
    }

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("cells\tfacilities\tcutoff_min\tneighbours\tnearest_1t_s\tbounded_1t_s\tbounded_2t_s\t"
           "unbounded_sample\tunbounded_sample_s\tunbounded_all_s_est\tpeak_rss_mb\t"
           "peak_bytes_per_cell\n");
    printf("%lld\t%lld\t%g\t%d\t%.3f\t%.3f\t%.3f\t%d\t%.3f\t%.1f\t%.0f\t%.1f\n", (long long)n,
           (long long)bi.n_src, cutoff_s / 60.0, nb, t_near, t_b[1], t_b[2], s, t_unb_sample, t_unb,
           ru.ru_maxrss / 1024.0, ru.ru_maxrss * 1024.0 / (double)n);
    printf("ratios: unbounded per facility / bounded (1 thread) %.1fx; bounded (1 thread) / "
           "nearest %.2fx; 1 thread / 2 threads %.2fx\n",
           t_unb / t_b[1], t_b[1] / t_near, t_b[1] / t_b[2]);
    printf("checks: 1 and 2 threads bit-identical: %s; sample counts equal to the unbounded "
           "searches': %s; facility-cell pairs %.0f, cells with one or more %.0f\n",
           same ? "yes" : "NO", same_sample ? "yes" : "NO", total, reached);
    rt_search_ws_destroy(ws);
    rt_labels_free(&lab);
    free(c1);
    free(c2);
    free(cu);
    free(cs);
    free(first);
    bench_input_free(&bi);
    rt_ctx_destroy(ctx);
    return 0;
}
