/* bench_update - a scenario that closes one facility, or opens one, as an
 * update of the baseline's labels (rti_grid_search_update) against a full
 * search from the new sources, on a friction GeoTIFF and a facility layer
 * (e.g. the bench-peers NL surface and its 100 hospitals).
 *
 *   bench_update FRICTION.tif FACILITIES [closures] [8|16] [second]
 *
 * Closes facilities 0, n/closures, 2n/closures, ... one at a time; opens
 * one new facility at each of the same number of passable cells spread
 * over the grid; lays a new road there (a straight east-west line of 40
 * passable cells at 100 km/h); and makes a block of 20 x 20 cells there
 * impassable. Every update must equal its full search bit for bit
 * (checked, exit 1 otherwise). Prints one tab-separated line per case
 * (close, open, road, block): cases, the median seconds of the full search
 * and of the update (warm: the labels already allocated), their ratio, and
 * the median share of cells whose time changed. One thread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_input.h"
#include "core/ctx_internal.h"
#include "core/search_internal.h"
#include "reistijd/rt_search.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FRICTION.tif FACILITIES [closures] [8|16] [second]\n", argv[0]);
        return 2;
    }
    const int k = argc > 3 ? atoi(argv[3]) : 10;
    const int nb = argc > 4 ? atoi(argv[4]) : 16;
    const unsigned flags =
        argc > 5 && strcmp(argv[5], "second") == 0 ? RT_SEARCH_SECOND | RT_SEARCH_LENGTH : 0;
    rt_ctx *ctx = rt_ctx_create();
    rt_ctx_set_threads(ctx, 1);
    bench_input bi;
    if (k < 1 || !bench_input_read(ctx, argv[1], argv[2], &bi)) {
        fprintf(stderr, "error: %s\n", k < 1 ? "closures must be >= 1" : rt_ctx_errmsg(ctx));
        return 1;
    }
    const int64_t n = (int64_t)bi.g.nx * bi.g.ny;
    int32_t n_fac = 0;
    for (int64_t i = 0; i < bi.n_src; i++)
        n_fac = bi.src[i].facility + 1 > n_fac ? bi.src[i].facility + 1 : n_fac;
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.neighbours = nb;
    o.flags = flags;
    rt_labels base, full, upd;
    rt_search_ws *ws = rt_search_ws_create();
    rt_source *nsrc = malloc((size_t)(bi.n_src + 1) * sizeof(*nsrc));
    int32_t *map = malloc((size_t)n_fac * sizeof(*map));
    double *tf = malloc(2 * (size_t)k * sizeof(double)), *tu = tf + k, share[4][64];
    if (rt_labels_alloc(ctx, n, flags, &base) != RT_OK ||
        rt_labels_alloc(ctx, n, flags, &full) != RT_OK ||
        rt_labels_alloc(ctx, n, flags, &upd) != RT_OK || !nsrc || !map || !tf ||
        rt_grid_search(ctx, &bi.med, bi.src, bi.n_src, &o, ws, &base) != RT_OK) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
        return 1;
    }
    printf("case\tcases\tfull_s\tupdate_s\tfull/update\tchanged_cells\n");
    float *fr2 = malloc((size_t)n * sizeof(float));
    if (!fr2)
        return 1;
    const char *names[4] = {"close", "open", "road", "block"};
    for (int mode = 0; mode < 4; mode++) { /* close one, open one, a road, a block */
        int done = 0;
        for (int j = 0; j < k && j < 64; j++) {
            int64_t m = 0;
            memcpy(fr2, bi.fr, (size_t)n * sizeof(float));
            /* the place of case j: a passable cell, spread over the grid */
            int64_t at = (int64_t)((j + 0.5) / k * (double)n) + bi.g.nx / 2;
            while (at < n && !(bi.fr[at] > 0 && bi.fr[at] < INFINITY))
                at++;
            if (at >= n)
                continue;
            if (mode >= 2) { /* the sources as they are; the grid changes around `at` */
                for (int32_t f = 0; f < n_fac; f++)
                    map[f] = f;
                memcpy(nsrc, bi.src, (size_t)bi.n_src * sizeof(*nsrc));
                m = bi.n_src;
                const int64_t r0 = at / bi.g.nx, c0 = at % bi.g.nx;
                for (int64_t r = r0; r < r0 + (mode == 2 ? 1 : 20) && r < bi.g.ny; r++)
                    for (int64_t c = c0; c < c0 + (mode == 2 ? 40 : 20) && c < bi.g.nx; c++) {
                        const int64_t i = r * bi.g.nx + c;
                        int start = 0;
                        for (int64_t q = 0; q < m && mode == 3; q++)
                            start |= nsrc[q].cell == i;
                        if (mode == 2)
                            fr2[i] = 3.6f / 100.0f;
                        else if (!start)
                            fr2[i] = NAN;
                    }
            } else if (mode == 0) {
                const int32_t shut = (int32_t)((int64_t)j * n_fac / k);
                for (int32_t f = 0; f < n_fac; f++)
                    map[f] = f < shut ? f : f == shut ? -1 : f - 1;
                for (int64_t i = 0; i < bi.n_src; i++)
                    if (map[bi.src[i].facility] >= 0) {
                        nsrc[m] = bi.src[i];
                        nsrc[m++].facility = map[bi.src[i].facility];
                    }
            } else {
                for (int32_t f = 0; f < n_fac; f++)
                    map[f] = f;
                memcpy(nsrc, bi.src, (size_t)bi.n_src * sizeof(*nsrc));
                m = bi.n_src;
                nsrc[m++] = (rt_source){at, n_fac, 0.0};
            }
            rt_grid_medium med2 = bi.med;
            med2.friction_s_per_m = fr2;
            double t0 = rti_now_s();
            if (rt_grid_search(ctx, &med2, nsrc, m, &o, ws, &full) != RT_OK)
                return 1;
            tf[done] = rti_now_s() - t0;
            rti_labels_copy(&upd, &base, n);
            t0 = rti_now_s();
            if (rti_grid_search_update(ctx, &med2, mode >= 2 ? bi.fr : NULL, nsrc, m, map, n_fac,
                                       &o, ws, &upd) != RT_OK) {
                fprintf(stderr, "error: %s\n", rt_ctx_errmsg(ctx));
                return 1;
            }
            tu[done] = rti_now_s() - t0;
            int64_t changed;
            if (!same_labels(&full, &upd, n, &changed, &base)) {
                fprintf(stderr, "error: %s %d: the update differs from the full search\n",
                        names[mode], j);
                return 1;
            }
            share[mode][done++] = (double)changed / (double)n;
        }
        double mf = median(tf, done), mu = median(tu, done);
        printf("%s\t%d\t%.3f\t%.4f\t%.1f\t%.4f%%\n", names[mode], done, mf, mu, mf / mu,
               100.0 * median(share[mode], done));
    }
    rt_labels_free(&base);
    rt_labels_free(&full);
    rt_labels_free(&upd);
    rt_search_ws_destroy(ws);
    free(nsrc);
    free(fr2);
    free(map);
    free(tf);
    bench_input_free(&bi);
    rt_ctx_destroy(ctx);
    return 0;
}
