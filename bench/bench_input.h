#ifndef RT_BENCH_INPUT_H
#define RT_BENCH_INPUT_H
/* What the grid benchmarks read: a friction GeoTIFF on its own grid and a
 * facility layer, snapped onto it (within 2 cells) as start cells with the
 * point index as facility. */
#include <stdlib.h>

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

#endif
