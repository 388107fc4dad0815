/* `reistijd nearest`: one friction GeoTIFF and one point layer in, one
 * travel-time GeoTIFF on the same grid out. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_search.h"
#include "reistijd/rt_study.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

void rt_nearest_opts_init(rt_nearest_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->struct_size = sizeof(*opts);
    opts->band = 1;
    opts->neighbours = 16;
    opts->snap_radius_m = NAN;
}

void rt_nearest_result_init(rt_nearest_result *result)
{
    if (!result)
        return;
    memset(result, 0, sizeof(*result));
    result->struct_size = sizeof(*result);
}

#define NEAREST_OPTS_V1 RTI_V1_BYTES(rt_nearest_opts, snap_radius_m)
#define NEAREST_RESULT_V1 RTI_V1_BYTES(rt_nearest_result, n_dropped)

rt_status rti_nearest_opts_in(rt_ctx *ctx, const rt_nearest_opts *opts, rt_nearest_opts *out)
{
    rt_nearest_opts_init(out);
    if (!opts)
        return ctx ? rti_error(ctx, RT_E_ARG, "nearest: no options given") : RT_E_ARG;
    return rti_struct_in(ctx, opts, NEAREST_OPTS_V1, sizeof(*out), out, "nearest: rt_nearest_opts");
}

rt_status rti_nearest_result_in(rt_ctx *ctx, const rt_nearest_result *result,
                                rt_nearest_result *out)
{
    rt_nearest_result_init(out);
    return rti_struct_in(ctx, result, NEAREST_RESULT_V1, sizeof(*out), out,
                         "nearest: rt_nearest_result");
}

/* Protects the job's inputs in outs and checks its output against them,
 * before anything is read: refused when it is an input (RT_E_ARG) or when
 * something other than a regular file is at its place (RT_E_IO). */
static rt_status guard_output(rt_ctx *ctx, const rt_nearest_opts *o, rti_outset *outs)
{
    const char *inputs[2] = {o->network_path ? o->network_path : o->friction_path,
                             o->network_path ? o->sources_path : o->facilities_path};
    const char *roles[2] = {o->network_path ? "network" : "friction raster",
                            o->network_path ? "sources table" : "facilities file"};
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < 2; i++)
        st = rti_outset_protect(ctx, outs, inputs[i], roles[i]);
    return st == RT_OK ? rti_outset_check(ctx, outs, o->out_path) : st;
}

typedef struct time_rows {
    const double *time_s;
    int32_t nx;
    double scale;      /* 1 or 1/60 */
    int64_t first_big; /* the first cell whose time exceeds Float32, or -1 */
} time_rows;

/* Converts one row, and notes the first finite time too large for the
 * Float32 output (rows come in order, so it is the first of the grid). */
static void time_row(int32_t row, void *buf, void *user)
{
    time_rows *t = user;
    float *out = buf;
    const double *in = t->time_s + (int64_t)row * t->nx;
    int big = 0;
    for (int32_t c = 0; c < t->nx; c++) {
        double v = in[c] * t->scale;
        big |= isfinite(v) && v > FLT_MAX;
        out[c] = isinf(in[c]) ? NAN : (float)v;
    }
    for (int32_t c = 0; big && t->first_big < 0 && c < t->nx; c++)
        if (isfinite(in[c]) && in[c] * t->scale > FLT_MAX)
            t->first_big = (int64_t)row * t->nx + c;
}

static rt_status nearest_grid(rt_ctx *ctx, const rt_nearest_opts *o, rt_nearest_result *r,
                              rti_outset *outs);

static rt_status nearest_run_in_c_locale(rt_ctx *ctx, const rt_nearest_opts *opts,
                                         rt_nearest_result *result)
{
    rt_nearest_opts oo;
    rt_nearest_result res;
    rt_status st = rti_nearest_opts_in(ctx, opts, &oo);
    rt_nearest_result_init(&res);
    if (st == RT_OK && result) /* the caller's struct must be one this library can fill */
        st = rti_struct_out(ctx, &res, NEAREST_RESULT_V1, sizeof(res), result,
                            "nearest: rt_nearest_result");
    if (st == RT_OK && oo.network_path && (!oo.sources_path || !oo.out_path))
        st = rti_error(ctx, RT_E_ARG, "nearest: network, sources and output are required");
    if (st == RT_OK && !oo.network_path &&
        (!oo.friction_path || !oo.facilities_path || !oo.out_path))
        st = rti_error(ctx, RT_E_ARG, "nearest: friction, facilities and output are required");
    rti_outset outs = {0};
    if (st == RT_OK)
        st = guard_output(ctx, &oo, &outs);
    if (st == RT_OK)
        st = oo.network_path ? rti_nearest_network(ctx, &oo, &res, &outs)
                             : nearest_grid(ctx, &oo, &res, &outs);
    st = rti_outset_end(ctx, &outs, st);
    if (st == RT_OK && result)
        st = rti_struct_out(ctx, &res, NEAREST_RESULT_V1, sizeof(res), result,
                            "nearest: rt_nearest_result");
    return st;
}

rt_status rt_nearest_run(rt_ctx *ctx, const rt_nearest_opts *opts, rt_nearest_result *result)
{
    if (!ctx)
        return RT_E_ARG;
    RTI_IN_C_LOCALE(ctx, rt_status, nearest_run_in_c_locale(ctx, opts, result));
}

/* Every time must fit the Float32 output: a finite time beyond it would be
 * written as infinite, which reads as "no route". Only a friction raster
 * with huge values (such as 1e38 s/m) gets there. The rows written note
 * the first such cell (time_row); the output is then refused. */
static rt_status check_float32(rt_ctx *ctx, const rt_nearest_opts *o, const rti_grid_spec *grid,
                               const time_rows *tr)
{
    const int64_t i = tr->first_big;
    if (i < 0)
        return RT_OK;
    return rti_error(ctx, RT_E_DATA,
                     "%s: cell (row %lld, col %lld): the travel time %g s does not fit "
                     "the Float32 output; the friction raster has values far beyond any "
                     "travel (mark impassable cells as nodata)",
                     o->friction_path, (long long)(i / grid->nx), (long long)(i % grid->nx),
                     tr->time_s[i]);
}

static rt_status nearest_grid(rt_ctx *ctx, const rt_nearest_opts *o, rt_nearest_result *r,
                              rti_outset *outs)
{
    rti_io_init();
    rti_grid_spec grid;
    char *wkt = NULL;
    float *fr = NULL;
    rti_points pts = {0};
    rt_source *src = NULL;
    rt_labels lab = {0};
    const rti_layer_ref fref = {
        .path = o->friction_path, .band = o->band, .allow_remote = o->allow_remote};
    rt_status st = rti_raster_read_native_ref(ctx, &fref, &grid, &wkt, &fr);
    if (st != RT_OK)
        goto done;
    grid.crs = wkt;
    if (!wkt || !*wkt) {
        st = rti_error(ctx, RT_E_CRS,
                       "%s: the raster has no CRS; assign its projected CRS in metres (for "
                       "example gdal_edit.py -a_srs EPSG:28992)",
                       o->friction_path);
        goto done;
    }
    st = rti_crs_check_metric(ctx, wkt);
    if (st != RT_OK) {
        rti_error_prefix(ctx,
                         "%s: the friction raster must be in a projected CRS in metres "
                         "(reproject it with gdalwarp -t_srs)",
                         o->friction_path);
        goto done;
    }
    rti_layer_ref ref = {
        .path = o->facilities_path, .layer = o->layer, .allow_remote = o->allow_remote};
    st = rti_read_points(ctx, &ref, wkt, NULL, NULL, NULL, &pts);
    if (st != RT_OK)
        goto done;
    r->n_facilities = pts.n;
    rt_grid_medium med = {fr, grid.nx, grid.ny, grid.cell_m};
    double radius = isnan(o->snap_radius_m) ? 2 * grid.cell_m : o->snap_radius_m;
    src = rti_malloc_array(ctx, pts.n, sizeof(*src), "start cells");
    if (!src) {
        st = RT_E_NOMEM;
        goto done;
    }
    int64_t n_src = rti_snap_points(ctx, &med, &grid, &pts, radius, o->facilities_path, src,
                                    &r->n_snapped, &r->n_dropped, NULL, NULL);
    if (n_src == 0) {
        st = rti_error(ctx, RT_E_DATA,
                       "%s: none of the %lld facilities lies on a passable cell of %s (or within "
                       "%g m of one)",
                       o->facilities_path, (long long)pts.n, o->friction_path, radius);
        goto done;
    }
    /* the compute step, as timed for --timings: allocating the labels and
     * the search */
    double t0 = rti_now_s();
    st = rt_labels_alloc(ctx, (int64_t)grid.nx * grid.ny, 0, &lab);
    if (st != RT_OK)
        goto done;
    rt_search_opts so;
    rt_search_opts_init(&so);
    so.neighbours = o->neighbours;
    st = rt_grid_search(ctx, &med, src, n_src, &so, NULL, &lab);
    r->core_s = rti_now_s() - t0;
    if (st == RT_E_DATA)
        rti_error_prefix(ctx, "%s", o->friction_path);
    if (st != RT_OK)
        goto done;
    free(fr); /* not needed any more: keep the peak low while writing */
    fr = NULL;
    const char *tmp = rti_outset_add(ctx, outs, o->out_path);
    if (!tmp) {
        st = rt_ctx_errcode(ctx);
        goto done;
    }
    time_rows tr = {lab.time_s, grid.nx, o->minutes ? 1.0 / 60.0 : 1.0, -1};
    st = rti_write_geotiff(ctx, tmp, &grid, wkt, RTI_FLOAT32, NAN,
                           "travel time to the nearest facility", o->minutes ? "min" : "s",
                           time_row, &tr);
    if (st == RT_OK)
        st = check_float32(ctx, o, &grid, &tr);
done:
    rt_labels_free(&lab);
    free(src);
    rti_points_free(&pts);
    free(fr);
    free(wkt);
    return st;
}
