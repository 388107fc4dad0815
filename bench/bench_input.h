#ifndef RT_BENCH_INPUT_H
#define RT_BENCH_INPUT_H
/* What the grid benchmarks read: a friction GeoTIFF on its own grid and a
 * facility layer, snapped onto it (within 2 cells) as start cells with the
 * point index as facility. */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_search.h"
#include "study/medium/medium.h"

typedef struct bench_input {
    rti_grid_spec g;
    char *wkt;
    float *fr;
    rti_points pts;
    rt_grid_medium med;
    rt_source *src;
    int64_t n_src;
} bench_input;

/* Returns 0 with the error on ctx when a file cannot be read. */
static inline int bench_input_read(rt_ctx *ctx, const char *friction, const char *facilities,
                                   bench_input *b)
{
    *b = (bench_input){0};
    rti_io_init();
    if (rti_raster_read_native(ctx, friction, 1, &b->g, &b->wkt, &b->fr) != RT_OK ||
        rti_read_points(ctx, &(rti_layer_ref){.path = facilities}, b->wkt, NULL, NULL, NULL,
                        &b->pts) != RT_OK)
        return 0;
    b->med = (rt_grid_medium){b->fr, b->g.nx, b->g.ny, b->g.cell_m};
    b->src = calloc((size_t)b->pts.n + 1, sizeof(*b->src));
    int64_t moved, dropped;
    b->n_src = rti_snap_points(ctx, &b->med, &b->g, &b->pts, 2 * b->g.cell_m, "bench", b->src,
                               &moved, &dropped, NULL, NULL);
    return 1;
}

static inline void bench_input_free(bench_input *b)
{
    free(b->src);
    free(b->fr);
    free(b->wkt);
    rti_points_free(&b->pts);
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* 1 when a and b hold the same n labels bit for bit; *changed: how many
 * times differ from base. */
static inline int same_labels(const rt_labels *a, const rt_labels *b, int64_t n, int64_t *changed,
                              const rt_labels *base)
{
    *changed = 0;
    for (int64_t i = 0; i < n; i++) {
        if (memcmp(&a->time_s[i], &b->time_s[i], 8) || a->facility[i] != b->facility[i])
            return 0;
        if (a->time2_s &&
            (memcmp(&a->time2_s[i], &b->time2_s[i], 8) || a->facility2[i] != b->facility2[i]))
            return 0;
        if (a->length_m && memcmp(&a->length_m[i], &b->length_m[i], 4))
            return 0;
        *changed += memcmp(&a->time_s[i], &base->time_s[i], 8) != 0;
    }
    return 1;
}

#endif
