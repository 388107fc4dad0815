/* bench_closures - the N-1 table against one baseline search, on a
 * friction GeoTIFF and a facility layer (e.g. the bench-peers NL surface
 * with its 100 hospitals).
 *
 *   bench_closures FRICTION.tif FACILITIES.gpkg [reps] [8|16]
 *
 * Three cases, each timed `reps` times after a warm-up, one thread:
 *   nearest:      the baseline: a search for the nearest facility (k = 1);
 *   k2:           the search with the second-nearest facility (k = 2), what
 *                 a run with outputs.second (the default) does;
 *   k2+closures:  that search, then the N-1 table of every facility and of
 *                 every (facility, region) pair (rti_closures_facilities,
 *                 rti_closures_regions).
 * The population is synthetic and seeded (0 to 50 persons on every passable
 * cell), the regions are blocks of 10 x 10 km. Prints one tab-separated
 * line per case (min and median seconds, and the ratio of the medians to
 * the baseline), and the naive alternative: one search per closure, n x
 * the baseline. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/closures.h"
#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_search.h"
#include "study/medium/medium.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct bench {
    rt_ctx *ctx;
    rt_grid_medium med;
    rti_grid_spec g;
    rt_source *src;
    int64_t n_src, n_fac;
    float *pop;
    int32_t *region;
    int32_t n_regions;
    rt_search_ws *ws;
    int neighbours;
} bench;

/* One case: the search with flags, then the tables when `tables`;
 * *search_s and *tables_s get the seconds of each. */
static int run_case(bench *b, unsigned flags, int tables, double *search_s, double *tables_s)
{
    rt_labels lab;
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.neighbours = b->neighbours;
    o.flags = flags;
    if (rt_labels_alloc(b->ctx, (int64_t)b->g.nx * b->g.ny, flags, &lab) != RT_OK)
        return 1;
    double t0 = rti_now_s();
    rt_status st = rt_grid_search(b->ctx, &b->med, b->src, b->n_src, &o, b->ws, &lab);
    double t1 = rti_now_s();
    rti_closure_row *rows = NULL;
    rti_closure_region_row *rr = NULL;
    if (st == RT_OK && tables) {
        rt_norm norms[2] = {{.kind = RT_NORM_TIME, .limit_s = 1800},
                            {.kind = RT_NORM_TIME, .limit_s = 2700}};
        rti_closure_input in = {lab.n_cells,       lab.time_s,    lab.facility,
                                lab.time2_s,       lab.facility2, b->pop,
                                (int32_t)b->n_fac, norms,         2};
        int64_t n_rr = 0;
        rows = malloc((size_t)b->n_fac * sizeof(*rows));
        st = rti_closures_facilities(b->ctx, &in, rows);
        if (st == RT_OK)
            st = rti_closures_regions(b->ctx, &in, b->region, b->n_regions, &rr, &n_rr);
    }
    *search_s = t1 - t0;
    *tables_s = rti_now_s() - t1;
    free(rows);
    free(rr);
    rt_labels_free(&lab);
    return st != RT_OK;
}

static void synthetic_people(bench *b)
{
    int64_t n = (int64_t)b->g.nx * b->g.ny;
    int32_t bx = (int32_t)ceil(b->g.nx * b->g.cell_m / 10000.0);
    int32_t by = (int32_t)ceil(b->g.ny * b->g.cell_m / 10000.0);
    b->pop = malloc((size_t)n * sizeof(float));
    b->region = malloc((size_t)n * sizeof(int32_t));
    b->n_regions = bx * by;
    uint64_t s = 20261203;
    for (int64_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        float f = b->med.friction_s_per_m[i];
        b->pop[i] = f > 0 && f < INFINITY ? (float)((s >> 33) % 51) : 0.0f;
        int32_t row = (int32_t)(i / b->g.nx), col = (int32_t)(i % b->g.nx);
        b->region[i] =
            (int32_t)(row * b->g.cell_m / 10000.0) * bx + (int32_t)(col * b->g.cell_m / 10000.0);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FRICTION.tif FACILITIES [reps] [8|16]\n", argv[0]);
        return 2;
    }
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    bench b = {0};
    b.neighbours = argc > 4 ? atoi(argv[4]) : 16;
    if (reps < 1 || reps > 1000 || (b.neighbours != 8 && b.neighbours != 16)) {
        fprintf(stderr, "usage: %s FRICTION.tif FACILITIES [reps 1..1000] [8|16]\n", argv[0]);
        return 2;
    }
    b.ctx = rt_ctx_create();
    rt_ctx_set_threads(b.ctx, 1);
    rti_io_init();
    char *wkt = NULL;
    float *fr = NULL;
    rti_points pts = {0};
    if (rti_raster_read_native(b.ctx, argv[1], 1, &b.g, &wkt, &fr) != RT_OK ||
        rti_read_points(b.ctx, &(rti_layer_ref){.path = argv[2]}, wkt, NULL, NULL, NULL, &pts) !=
            RT_OK) {
        fprintf(stderr, "error: %s\n", rt_ctx_errmsg(b.ctx));
        return 1;
    }
    b.med = (rt_grid_medium){fr, b.g.nx, b.g.ny, b.g.cell_m};
    b.src = calloc((size_t)pts.n, sizeof(*b.src));
    b.n_fac = pts.n;
    int64_t moved, dropped;
    b.n_src = rti_snap_points(b.ctx, &b.med, &b.g, &pts, 2 * b.g.cell_m, "bench", b.src, &moved,
                              &dropped, NULL, NULL);
    synthetic_people(&b);
    b.ws = rt_search_ws_create();
    static const char *const names[3] = {"nearest", "k2", "k2+closures"};
    const unsigned flags[3] = {0, RT_SEARCH_SECOND, RT_SEARCH_SECOND};
    /* [case][rep]: the whole case, and the tables alone; the cases take
     * turns in every repetition, so that a slow spell of the machine hits
     * them alike; repetition 0 warms up */
    double *t[3], *tab = malloc((size_t)(reps + 1) * sizeof(double));
    for (int c = 0; c < 3; c++)
        t[c] = malloc((size_t)(reps + 1) * sizeof(double));
    for (int r = 0; r <= reps; r++)
        for (int c = 0; c < 3; c++) {
            double search_s, tables_s;
            if (run_case(&b, flags[c], c == 2, &search_s, &tables_s)) {
                fprintf(stderr, "error: %s\n", rt_ctx_errmsg(b.ctx));
                return 1;
            }
            t[c][r] = search_s + tables_s;
            if (c == 2)
                tab[r] = tables_s;
        }
    printf("case\tcells\tsources\tfacilities\tregions\tmin_s\tmedian_s\tratio_to_nearest\n");
    double med[3];
    for (int c = 0; c < 3; c++) {
        qsort(t[c] + 1, (size_t)reps, sizeof(double), cmp_double);
        med[c] = t[c][1 + reps / 2];
        printf("%s\t%lld\t%lld\t%lld\t%d\t%.3f\t%.3f\t%.3f\n", names[c], (long long)b.g.nx * b.g.ny,
               (long long)b.n_src, (long long)b.n_fac, (int)b.n_regions, t[c][1], med[c],
               med[c] / med[0]);
    }
    qsort(tab + 1, (size_t)reps, sizeof(double), cmp_double);
    printf("tables\t\t\t\t\t%.3f\t%.3f\t%.3f\n", tab[1], tab[1 + reps / 2],
           tab[1 + reps / 2] / med[0]);
    printf("naive\t\t\t\t\t\t%.3f\t%.3f\n", (double)b.n_fac * med[0], (double)b.n_fac);
    for (int c = 0; c < 3; c++)
        free(t[c]);
    free(tab);
    rt_search_ws_destroy(b.ws);
    free(b.src);
    free(b.pop);
    free(b.region);
    free(fr);
    free(wkt);
    rti_points_free(&pts);
    rt_ctx_destroy(b.ctx);
    return 0;
}
