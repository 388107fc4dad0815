/* Reading rasters: resampled onto the analysis grid, or as they are. */
#define _POSIX_C_SOURCE 200809L
#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal_alg.h>
#include <gdal_vrt.h>
#include <gdalwarper.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

static const struct {
    const char *name;
    GDALResampleAlg alg;
} resamplings[] = {
    {"near", GRA_NearestNeighbour},
    {"bilinear", GRA_Bilinear},
    {"cubic", GRA_Cubic},
    {"cubicspline", GRA_CubicSpline},
    {"lanczos", GRA_Lanczos},
    {"average", GRA_Average},
    {"rms", GRA_RMS},
    {"mode", GRA_Mode},
    {"max", GRA_Max},
    {"min", GRA_Min},
    {"med", GRA_Med},
    {"q1", GRA_Q1},
    {"q3", GRA_Q3},
    {"sum", GRA_Sum},
};
#define N_RESAMPLINGS (sizeof(resamplings) / sizeof(resamplings[0]))

static rt_status parse_resampling(rt_ctx *ctx, const char *name, GDALResampleAlg *alg)
{
    char list[256] = "";
    if (!name) {
        *alg = GRA_NearestNeighbour;
        return RT_OK;
    }
    for (size_t i = 0; i < N_RESAMPLINGS; i++) {
        if (strcmp(name, resamplings[i].name) == 0) {
            *alg = resamplings[i].alg;
            return RT_OK;
        }
        size_t len = strlen(list);
        snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", resamplings[i].name);
    }
    return rti_error(ctx, RT_E_ARG, "unknown resampling '%s' (valid: %s)", name, list);
}

/* Reading one cell makes GDAL decode the whole block that holds it, and in
 * a file stored pixel by pixel (INTERLEAVE=PIXEL) the block of every band:
 * a few hundred bytes of header can ask for gigabytes that the budget check
 * of the cells read never sees. */
static rt_status block_budget(rt_ctx *ctx, const char *path, GDALDatasetH ds, GDALRasterBandH b,
                              int n_bands)
{
    int bx = 0, by = 0;
    GDALGetBlockSize(b, &bx, &by);
    const char *il = GDALGetMetadataItem(ds, "INTERLEAVE", "IMAGE_STRUCTURE");
    int by_pixel = il && EQUAL(il, "PIXEL") && n_bands > 1;
    uint64_t bytes = (uint64_t)(bx > 0 ? bx : 1) * (uint64_t)(by > 0 ? by : 1) *
                     (uint64_t)GDALGetDataTypeSizeBytes(GDALGetRasterDataType(b)) *
                     (uint64_t)(by_pixel ? n_bands : 1);
    char what[600];
    if (by_pixel)
        snprintf(what, sizeof(what),
                 "%s: decoding one block (%d x %d cells, %d bands stored pixel by pixel)", path, bx,
                 by, n_bands);
    else
        snprintf(what, sizeof(what), "%s: decoding one block (%d x %d cells)", path, bx, by);
    return rti_budget_check(ctx, bytes, what);
}

static rt_status open_raster(rt_ctx *ctx, rti_gdal_err *e, const char *path, int band,
                             int allow_remote, GDALDatasetH *ds, GDALRasterBandH *b)
{
    *b = NULL;
    if (!path)
        return rti_error(ctx, RT_E_ARG, "raster source: no path given");
    rt_status st = rti_input_open(ctx, e, path, allow_remote);
    if (st != RT_OK)
        return st;
    rti_gdal_clear(e);
    *ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL,
                     NULL);
    if (!*ds)
        return rti_error(ctx, RT_E_IO, "%s: cannot open as a raster: %s%s", path, rti_gdal_msg(e),
                         rti_remote_note(e));
    int n = GDALGetRasterCount(*ds);
    if (band < 1 || band > n)
        return rti_error(ctx, RT_E_DATA, "%s: has %d band%s, band %d was asked for", path, n,
                         n == 1 ? "" : "s", band);
    *b = GDALGetRasterBand(*ds, band);
    /* values stored scaled (a UInt16 speed with scale 0.1) would be read
     * as stored: refused rather than read ten times too high */
    int has_scale = 0, has_offset = 0;
    const double scale = GDALGetRasterScale(*b, &has_scale);
    const double offset = GDALGetRasterOffset(*b, &has_offset);
    if ((has_scale && scale != 1.0) || (has_offset && offset != 0.0))
        return rti_error(ctx, RT_E_DATA,
                         "%s: band %d stores its values scaled (scale %g, offset %g), which "
                         "reistijd does not apply; write the raster unscaled first (gdal_translate "
                         "-unscale -ot Float32)",
                         path, band, has_scale ? scale : 1.0, has_offset ? offset : 0.0);
    return block_budget(ctx, path, *ds, *b, n);
}

/* ---- warping onto the analysis grid ---- */

typedef struct warp_job {
    GDALDatasetH src, dst;
    GDALDatasetH orig; /* the file's dataset when src is a VRT over it */
    int band;          /* the band of src that is read */
    void *transform;   /* approximate transformer owning the exact one */
    GDALWarpOptions *wo;
    GDALWarpOperationH op;
    OGRSpatialReferenceH dst_srs;
    char *src_wkt; /* CPL-allocated WKT of an assumed source CRS */
} warp_job;

static void warp_job_free(warp_job *w)
{
    if (w->op)
        GDALDestroyWarpOperation(w->op);
    if (w->wo)
        GDALDestroyWarpOptions(w->wo);
    if (w->transform)
        GDALDestroyApproxTransformer(w->transform);
    if (w->dst)
        GDALClose(w->dst);
    if (w->src)
        GDALClose(w->src); /* a VRT releases its reference to orig */
    if (w->orig)
        GDALClose(w->orig);
    if (w->dst_srs)
        OSRRelease(w->dst_srs);
    CPLFree(w->src_wkt);
}

/* Source CRS: the raster's own, else ref->crs (as WKT in w->src_wkt). */
static rt_status source_crs(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref, warp_job *w)
{
    double gt[6];
    if (GDALGetGeoTransform(w->src, gt) != CE_None && GDALGetGCPCount(w->src) == 0)
        return rti_error(ctx, RT_E_DATA, "%s: has no georeferencing (no geotransform or GCPs)",
                         ref->path);
    OGRSpatialReferenceH own = GDALGetSpatialRef(w->src), gcp = GDALGetGCPSpatialRef(w->src);
    if (own || gcp) {
        rt_status st = own ? rti_srs_check(ctx, own, ref->path) : RT_OK;
        return st == RT_OK && gcp ? rti_srs_check(ctx, gcp, ref->path) : st;
    }
    if (!ref->crs)
        return rti_error(ctx, RT_E_CRS,
                         "%s has no CRS; set `crs:` for this source in the study file, or give the "
                         "file one (gdal_edit.py -a_srs EPSG:28992)",
                         ref->path);
    OGRSpatialReferenceH srs = NULL;
    rt_status st = rti_srs_from_user(ctx, e, ref->crs, ref->path, &srs);
    if (st != RT_OK)
        return st;
    rti_log(ctx, RT_LOG_INFO, "%s has no CRS; assuming %.200s", ref->path, ref->crs);
    if (OSRExportToWkt(srs, &w->src_wkt) != OGRERR_NONE)
        st = rti_error(ctx, RT_E_CRS, "%s: cannot use CRS '%s': %s", ref->path, ref->crs,
                       rti_gdal_msg(e));
    OSRRelease(srs);
    return st;
}

/* GDAL 3.6's warper masks a band's declared nodata or NaN, not both: a
 * float band whose nodata is a number but which holds NaN as well would
 * make every grid cell that takes in a NaN pixel NaN (its people or its
 * friction lost with the pixel's). Such a band is read through a virtual
 * band that turns NaN into the declared nodata, which the warper masks.
 *
 * The pixel function of that band (registered once with the drivers,
 * rti_raster_register): its one source is read in the band's own type
 * (Float32 or Float64), and GDAL passes the virtual band's nodata as the
 * argument NoData. */
#define NAN_TO_NODATA "reistijd_nan_to_nodata"

static CPLErr nan_to_nodata(void **src, int n_src, void *out, int nx, int ny, GDALDataType src_type,
                            GDALDataType out_type, int pixel_space, int line_space,
                            CSLConstList args)
{
    const char *nd_text = CSLFetchNameValue(args, "NoData");
    if (n_src != 1 || (src_type != GDT_Float32 && src_type != GDT_Float64) || !nd_text) {
        CPLError(CE_Failure, CPLE_AppDefined,
                 NAN_TO_NODATA ": wants one Float32 or Float64 source and the band's nodata");
        return CE_Failure;
    }
    const double nd = CPLAtof(nd_text);
    const float nd32 = (float)nd; /* a Float32 band's nodata is a float */
    const size_t size = src_type == GDT_Float32 ? sizeof(float) : sizeof(double);
    void *line = VSIMalloc2((size_t)nx, size);
    if (!line) {
        CPLError(CE_Failure, CPLE_OutOfMemory, NAN_TO_NODATA ": out of memory");
        return CE_Failure;
    }
    for (int r = 0; r < ny; r++) {
        const size_t at = (size_t)r * (size_t)nx;
        if (src_type == GDT_Float32) {
            const float *in = (const float *)src[0] + at;
            float *l = line;
            for (int c = 0; c < nx; c++)
                l[c] = isnan(in[c]) ? nd32 : in[c];
        } else {
            const double *in = (const double *)src[0] + at;
            double *l = line;
            for (int c = 0; c < nx; c++)
                l[c] = isnan(in[c]) ? nd : in[c];
        }
        GDALCopyWords(line, src_type, (int)size, (GByte *)out + (GSpacing)line_space * r, out_type,
                      pixel_space, nx);
    }
    VSIFree(line);
    return CE_None;
}

void rti_raster_register(void)
{
    GDALAddDerivedBandPixelFuncWithArgs(NAN_TO_NODATA, nan_to_nodata,
                                        "<PixelFunctionArgumentsList>"
                                        "<Argument type='builtin' value='NoData' />"
                                        "</PixelFunctionArgumentsList>");
}

/* Puts that virtual band in front of w's band when it has a numeric
 * nodata and is of a float type. The VRT holds a reference to the file's
 * dataset (w->orig). */
static rt_status nan_as_nodata(rt_ctx *ctx, rti_gdal_err *e, const char *path, warp_job *w)
{
    GDALRasterBandH b = GDALGetRasterBand(w->src, w->band);
    int has_nd = 0;
    const double nd = GDALGetRasterNoDataValue(b, &has_nd);
    const GDALDataType t = GDALGetRasterDataType(b);
    if (!has_nd || isnan(nd) || !GDALDataTypeIsFloating(t) || GDALDataTypeIsComplex(t))
        return RT_OK;
    const int nx = GDALGetRasterXSize(w->src), ny = GDALGetRasterYSize(w->src);
    char *opts[] = {"subClass=VRTDerivedRasterBand", "PixelFunctionType=" NAN_TO_NODATA,
                    t == GDT_Float32 ? "SourceTransferType=Float32" : "SourceTransferType=Float64",
                    NULL};
    double gt[6];
    rti_gdal_clear(e);
    VRTDatasetH vrt = VRTCreate(nx, ny);
    int ok = vrt && GDALAddBand(vrt, t, opts) == CE_None;
    VRTSourcedRasterBandH vb = ok ? (VRTSourcedRasterBandH)GDALGetRasterBand(vrt, 1) : NULL;
    ok = ok && GDALSetRasterNoDataValue(vb, nd) == CE_None &&
         VRTAddSimpleSource(vb, b, 0, 0, nx, ny, 0, 0, nx, ny, "near", VRT_NODATA_UNSET) == CE_None;
    if (ok && GDALGetGeoTransform(w->src, gt) == CE_None)
        ok = GDALSetGeoTransform(vrt, gt) == CE_None &&
             (!GDALGetSpatialRef(w->src) ||
              GDALSetSpatialRef(vrt, GDALGetSpatialRef(w->src)) == CE_None);
    else if (ok)
        ok = GDALSetGCPs2(vrt, GDALGetGCPCount(w->src), GDALGetGCPs(w->src),
                          GDALGetGCPSpatialRef(w->src)) == CE_None;
    if (!ok) {
        if (vrt)
            GDALClose(vrt);
        return rti_error(ctx, RT_E_IO, "%s: band %d: cannot set up NaN as nodata: %s", path,
                         w->band, rti_gdal_msg(e));
    }
    w->orig = w->src;
    w->src = vrt;
    w->band = 1;
    return RT_OK;
}

static rt_status make_transformer(rt_ctx *ctx, rti_gdal_err *e, const char *path, warp_job *w)
{
    char **opts = NULL;
    if (w->src_wkt)
        opts = CSLSetNameValue(opts, "SRC_SRS", w->src_wkt);
    rti_gdal_clear(e);
    void *exact = GDALCreateGenImgProjTransformer2(w->src, w->dst, opts);
    CSLDestroy(opts);
    if (!exact)
        return rti_error(ctx, RT_E_CRS, "%s: cannot transform to the analysis CRS: %s", path,
                         rti_gdal_msg(e));
    /* the same 1/8 cell tolerance as gdalwarp */
    w->transform = GDALCreateApproxTransformer(GDALGenImgProjTransform, exact, 0.125);
    if (!w->transform) {
        GDALDestroyGenImgProjTransformer(exact);
        return rti_error(ctx, RT_E_NOMEM, "%s: cannot create a transformer: %s", path,
                         rti_gdal_msg(e));
    }
    GDALApproxTransformerOwnsSubtransformer(w->transform, TRUE);
    return RT_OK;
}

/* GDAL's progress polarity is ours: 0 stops the warp. The fraction is
 * reported under the caller's current stage ("population", "medium"). */
static int CPL_STDCALL warp_progress(double fraction, const char *msg, void *user)
{
    (void)msg;
    return rti_progress(user, fraction, NULL);
}

static rt_status warp_options(rt_ctx *ctx, GDALResampleAlg alg, warp_job *w)
{
    GDALRasterBandH b = GDALGetRasterBand(w->src, w->band);
    int has_nd = 0;
    double nd = GDALGetRasterNoDataValue(b, &has_nd);
    GDALDataType t = GDALGetRasterDataType(b);
    GDALWarpOptions *wo = GDALCreateWarpOptions();
    if (!wo)
        return rti_error(ctx, RT_E_NOMEM, "out of memory creating warp options");
    w->wo = wo;
    wo->hSrcDS = w->src;
    wo->hDstDS = w->dst;
    wo->eResampleAlg = alg;
    wo->nBandCount = 1;
    wo->panSrcBands = CPLMalloc(sizeof(int));
    wo->panDstBands = CPLMalloc(sizeof(int));
    wo->panSrcBands[0] = w->band;
    wo->panDstBands[0] = 1;
    if (has_nd || GDALDataTypeIsFloating(t)) {
        /* a float band without nodata still marks gaps with NaN */
        wo->padfSrcNoDataReal = CPLMalloc(sizeof(double));
        wo->padfSrcNoDataReal[0] = has_nd ? nd : NAN;
    }
    wo->padfDstNoDataReal = CPLMalloc(sizeof(double));
    wo->padfDstNoDataReal[0] = NAN;
    wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "NO_DATA");
    wo->pfnTransformer = GDALApproxTransform;
    wo->pTransformerArg = w->transform;
    wo->pfnProgress = warp_progress;
    wo->pProgressArg = ctx;
    return RT_OK;
}

/* GDAL before 3.7 (OSGeo/gdal#7733): the methods that take every pixel a
 * cell covers (average, rms, mode, min, max, med, q1, q3) give a value to
 * cells just beyond the raster's top and left edges too, up to a pixel
 * away, which cover none of it (a 100 m raster onto 25 m cells: a 100 m
 * strip of made-up friction). */
static int edge_bug(GDALResampleAlg alg)
{
    if (atoi(GDALVersionInfo("VERSION_NUM")) >= 3070000)
        return 0;
    return alg == GRA_Average || alg == GRA_RMS || alg == GRA_Mode || alg == GRA_Min ||
           alg == GRA_Max || alg == GRA_Med || alg == GRA_Q1 || alg == GRA_Q3;
}

/* Empties every cell of out that covers none of the raster: its corners,
 * taken to the raster's pixels and lines by the warp's transformer, span
 * a box that does not overlap the raster's [0, width] x [0, height] by
 * more than a millionth of a pixel (a cell whose corners cannot be
 * transformed is left as it is; the box of a rotated raster's cell is
 * larger than the cell, so a cell just beyond its corner may keep a
 * value). Two rows of corners at a time. */
static rt_status edge_mask(rt_ctx *ctx, const rti_grid_spec *grid, warp_job *w, float *out)
{
    const int nx = grid->nx, n = nx + 1;
    const double sw = GDALGetRasterXSize(w->src), sh = GDALGetRasterYSize(w->src);
    double *buf = rti_malloc_array(ctx, 5 * (int64_t)n, sizeof(double), "raster edge mask");
    int *ok = rti_malloc_array(ctx, 2 * (int64_t)n, sizeof(int), "raster edge mask");
    if (!buf || !ok) {
        free(buf);
        free(ok);
        return RT_E_NOMEM;
    }
    double *x[2] = {buf, buf + n}, *y[2] = {buf + 2 * n, buf + 3 * n}, *z = buf + 4 * n;
    int *good[2] = {ok, ok + n};
    for (int j = 0; j <= grid->ny; j++) {
        const int k = j & 1; /* row j of corners; row j - 1 in 1 - k */
        for (int i = 0; i < n; i++)
            x[k][i] = i, y[k][i] = j, z[i] = 0;
        GDALApproxTransform(w->transform, TRUE, n, x[k], y[k], z, good[k]);
        for (int i = 0; j > 0 && i < nx; i++) {
            double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
            int all = 1;
            for (int c = 0; c < 4; c++) {
                const int r = c < 2 ? k : 1 - k, col = i + (c & 1);
                all = all && good[r][col];
                x0 = fmin(x0, x[r][col]), x1 = fmax(x1, x[r][col]);
                y0 = fmin(y0, y[r][col]), y1 = fmax(y1, y[r][col]);
            }
            /* a corner on the raster's edge comes back a rounding away
             * from it: overlaps below a millionth of a pixel are none */
            const double tol = 1e-6;
            if (all && !(x1 > tol && x0 < sw - tol && y1 > tol && y0 < sh - tol))
                out[(int64_t)(j - 1) * nx + i] = NAN;
        }
    }
    free(buf);
    free(ok);
    return RT_OK;
}

/* ---- sum on the raster's own axes ---- */

/* 1 when the raster lies in the grid's CRS, north up without rotation:
 * then sum is worked out here (sum_on_axes) instead of by GDAL 3.6's
 * warper, whose sum onto cells larger than the pixels (GWKSumPreserving)
 * took 30 s and 1.45 GB for 36 M pixels where its average took 2 s. */
static int sum_on_axes_applies(const warp_job *w, double gt[6])
{
    if (GDALGetGeoTransform(w->src, gt) != CE_None || gt[2] != 0 || gt[4] != 0 || !(gt[1] > 0) ||
        !(gt[5] < 0) || !isfinite(gt[0] + GDALGetRasterXSize(w->src) * gt[1]) ||
        !isfinite(gt[3] + GDALGetRasterYSize(w->src) * gt[5]))
        return 0; /* the warper judges a raster whose extent is beyond a double */
    /* a mask of its own (an alpha band, a .msk file) or an integer band
     * whose nodata is not a whole number: the warper knows what to skip */
    GDALRasterBandH b = GDALGetRasterBand(w->src, w->band);
    const int flags = GDALGetMaskFlags(b);
    int has_nd = 0;
    const double nd = GDALGetRasterNoDataValue(b, &has_nd);
    if (!(flags & (GMF_ALL_VALID | GMF_NODATA)) ||
        (has_nd && !GDALDataTypeIsFloating(GDALGetRasterDataType(b)) && nd != floor(nd)))
        return 0;
    OGRSpatialReferenceH own = NULL;
    OGRSpatialReferenceH src = GDALGetSpatialRef(w->src);
    if (!src && w->src_wkt) {
        own = OSRNewSpatialReference(w->src_wkt);
        if (own) /* as the analysis CRS (rti_srs_from_user) */
            OSRSetAxisMappingStrategy(own, OAMS_TRADITIONAL_GIS_ORDER);
        src = own;
    }
    const int same = src && OSRIsSame(src, w->dst_srs);
    if (own)
        OSRRelease(own);
    return same;
}

/* 1 when v is the band's missing value: NaN, or its nodata compared in
 * the band's type (a Float32 nodata read back as a double). */
static int missing(double v, int has_nd, double nd, GDALDataType t)
{
    if (isnan(v))
        return 1;
    if (!has_nd)
        return 0;
    return t == GDT_Float32 ? (float)v == (float)nd : v == nd;
}

/* Adds the pixel [px0, px1] x [py0, py1] of value v to the cells it
 * overlaps, each by the share of the pixel's area that lies in it. */
static void add_pixel(const rti_grid_spec *g, double px0, double px1, double py0, double py1,
                      double v, double *acc, unsigned char *hit)
{
    const double area = (px1 - px0) * (py1 - py0);
    const double gy1 = g->y1, gx0 = g->x0, cell = g->cell_m;
    /* the cells under the pixel, clamped to the grid before the
     * conversion (a pixel may be far larger than the grid) */
    const double last_c = g->nx - 1, last_r = g->ny - 1;
    const int64_t c0 = (int64_t)fmin(fmax(floor((px0 - gx0) / cell), 0), last_c);
    const int64_t c1 = (int64_t)fmax(fmin(floor((px1 - gx0) / cell), last_c), 0);
    const int64_t r0 = (int64_t)fmin(fmax(floor((gy1 - py1) / cell), 0), last_r);
    const int64_t r1 = (int64_t)fmax(fmin(floor((gy1 - py0) / cell), last_r), 0);
    for (int64_t r = r0; r <= r1; r++) {
        const double top = gy1 - (double)r * cell;
        const double oy = fmin(py1, top) - fmax(py0, top - cell);
        for (int64_t c = c0; oy > 1e-9 * cell && c <= c1; c++) {
            const double left = gx0 + (double)c * cell;
            const double ox = fmin(px1, left + cell) - fmax(px0, left);
            if (ox > 1e-9 * cell) { /* not a rounding's sliver */
                acc[r * g->nx + c] += v * (ox * oy / area);
                hit[r * g->nx + c] = 1;
            }
        }
    }
}

/* Sum resampling on the raster's own axes (sum_on_axes_applies): every
 * valid pixel's value split among the cells it overlaps by area, which is
 * what a sum resampling means; a cell that no valid pixel overlaps stays
 * NaN. Reads the rows over the grid only, a band of them at a time. */
static rt_status sum_on_axes(rt_ctx *ctx, rti_gdal_err *e, const char *path, const warp_job *w,
                             const double gt[6], const rti_grid_spec *g, float *out)
{
    GDALRasterBandH b = GDALGetRasterBand(w->src, w->band);
    int has_nd = 0;
    const double nd = GDALGetRasterNoDataValue(b, &has_nd);
    const GDALDataType t = GDALGetRasterDataType(b);
    const int sx = GDALGetRasterXSize(w->src), sy = GDALGetRasterYSize(w->src);
    const double gx1 = g->x0 + g->nx * g->cell_m, gy0 = g->y1 - g->ny * g->cell_m;
    /* the pixels over the grid: columns [c0, c1), rows [r0, r1) */
    const double fc0 = floor((g->x0 - gt[0]) / gt[1]), fc1 = ceil((gx1 - gt[0]) / gt[1]);
    const double fr0 = floor((g->y1 - gt[3]) / gt[5]), fr1 = ceil((gy0 - gt[3]) / gt[5]);
    if (!isfinite(fc0) || !isfinite(fc1) || !isfinite(fr0) || !isfinite(fr1))
        return RT_OK; /* a grid out of any reach of the pixels: out stays NaN */
    const int c0 = (int)fmin(fmax(fc0, 0), sx), c1 = (int)fmax(fmin(fc1, sx), 0);
    const int r0 = (int)fmin(fmax(fr0, 0), sy), r1 = (int)fmax(fmin(fr1, sy), 0);
    const int64_t ncell = (int64_t)g->nx * g->ny;
    if (c0 >= c1 || r0 >= r1)
        return RT_OK; /* no pixel over the grid: out stays NaN */
    const int cols = c1 - c0, rows_at_once = (int)fmax(1, fmin(r1 - r0, (1 << 21) / cols));
    double *acc = rti_malloc_array(ctx, ncell, sizeof(double), "raster sum");
    unsigned char *hit = rti_malloc_array(ctx, ncell, 1, "raster sum");
    double *buf =
        rti_alloc_array_uninit(ctx, (int64_t)cols * rows_at_once, sizeof(double), "raster rows");
    rt_status st = acc && hit && buf ? RT_OK : RT_E_NOMEM;
    for (int r = r0; st == RT_OK && r < r1; r += rows_at_once) {
        const int n = r + rows_at_once > r1 ? r1 - r : rows_at_once;
        rti_gdal_clear(e);
        if (GDALRasterIO(b, GF_Read, c0, r, cols, n, buf, cols, n, GDT_Float64, 0, 0) != CE_None) {
            st = rti_error(ctx, RT_E_IO, "%s: cannot read rows %d to %d: %s%s", path, r, r + n - 1,
                           rti_gdal_msg(e), rti_remote_note(e));
            break;
        }
        for (int i = 0; st == RT_OK && i < n; i++) {
            const double py1 = gt[3] + (r + i) * gt[5], py0 = py1 + gt[5];
            for (int j = 0; j < cols; j++) {
                const double v = buf[(int64_t)i * cols + j];
                if (missing(v, has_nd, nd, t))
                    continue;
                /* a sum is of counts: a negative pixel would cancel others
                 * in its cell without a trace */
                if (!(v >= 0) || isinf(v)) {
                    st = rti_error(ctx, RT_E_DATA,
                                   "%s: pixel (column %d, row %d) holds %g; a raster summed onto "
                                   "the grid holds counts, 0 or more (or nodata)",
                                   path, c0 + j, r + i, v);
                    break;
                }
                const double px0 = gt[0] + (c0 + j) * gt[1];
                add_pixel(g, px0, px0 + gt[1], py0, py1, v, acc, hit);
            }
        }
        if (st != RT_OK)
            break;
        if (!rti_progress(ctx, (double)(r + n - r0) / (r1 - r0), NULL))
            st = rti_error(ctx, RT_E_CANCELLED, "%s: reading cancelled", path);
    }
    for (int64_t i = 0; st == RT_OK && i < ncell; i++)
        out[i] = hit[i] ? (float)acc[i] : NAN;
    free(acc);
    free(hit);
    free(buf);
    return st;
}

rt_status rti_raster_warp(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                          const char *resampling, float *out)
{
    rti_gdal_err e;
    warp_job w;
    GDALResampleAlg alg = GRA_NearestNeighbour;
    GDALRasterBandH b;
    memset(&w, 0, sizeof(w));
    if (!ref || !out)
        return rti_error(ctx, RT_E_ARG, "raster warp: no source or output given");
    rt_status st = rti_grid_check(ctx, grid);
    if (st == RT_OK)
        st = parse_resampling(ctx, resampling, &alg);
    if (st != RT_OK)
        return st;
    w.band = ref->band ? ref->band : 1;
    int64_t ncell = (int64_t)grid->nx * grid->ny;
    for (int64_t i = 0; i < ncell; i++)
        out[i] = NAN;
    rti_gdal_push(&e, ctx, ref->path);
    st = open_raster(ctx, &e, ref->path, w.band, ref->allow_remote, &w.src, &b);
    if (st == RT_OK)
        st = source_crs(ctx, &e, ref, &w);
    if (st == RT_OK)
        st = rti_srs_from_user(ctx, &e, grid->crs, "analysis CRS", &w.dst_srs);
    double gt[6];
    if (st == RT_OK && alg == GRA_Sum && sum_on_axes_applies(&w, gt)) {
        st = sum_on_axes(ctx, &e, ref->path, &w, gt, grid, out);
        goto done;
    }
    if (st == RT_OK)
        st = nan_as_nodata(ctx, &e, ref->path, &w);
    if (st == RT_OK)
        st = rti_mem_dataset(ctx, &e, grid, GDT_Float32, out, &w.dst);
    if (st == RT_OK && GDALSetSpatialRef(w.dst, w.dst_srs) != CE_None)
        st = rti_error(ctx, RT_E_CRS, "analysis CRS '%s': cannot be used: %s", grid->crs,
                       rti_gdal_msg(&e));
    if (st == RT_OK)
        st = make_transformer(ctx, &e, ref->path, &w);
    if (st == RT_OK)
        st = warp_options(ctx, alg, &w);
    if (st == RT_OK) {
        rti_gdal_clear(&e);
        w.op = GDALCreateWarpOperation(w.wo);
        if (!w.op)
            st = rti_error(ctx, RT_E_IO, "%s: cannot set up the warp: %s", ref->path,
                           rti_gdal_msg(&e));
    }
    if (st == RT_OK) {
        rti_gdal_clear(&e);
        CPLErr err = GDALChunkAndWarpImage(w.op, 0, 0, grid->nx, grid->ny);
        if (err == CE_None)
            GDALFlushCache(w.dst);
        if (rt_ctx_cancel_requested(ctx) || (err != CE_None && !rti_progress(ctx, 0, NULL)))
            st = rti_error(ctx, RT_E_CANCELLED, "%s: reading cancelled", ref->path);
        else if (err != CE_None || e.n_fail)
            st = rti_error(ctx, RT_E_IO, "%s: resampling onto the grid failed: %s%s", ref->path,
                           rti_gdal_msg(&e), rti_remote_note(&e));
    }
    if (st == RT_OK && edge_bug(alg))
        st = edge_mask(ctx, grid, &w, out);
done:
    warp_job_free(&w);
    rti_gdal_pop(&e);
    if (st != RT_OK)
        for (int64_t i = 0; i < ncell; i++)
            out[i] = NAN;
    return st;
}

/* ---- native grid ---- */

static rt_status native_grid(rt_ctx *ctx, const char *path, GDALDatasetH ds, rti_grid_spec *grid)
{
    double gt[6];
    if (GDALGetGeoTransform(ds, gt) != CE_None)
        return rti_error(ctx, RT_E_DATA, "%s: has no geotransform", path);
    double w = gt[1], h = -gt[5];
    if (gt[2] != 0.0 || gt[4] != 0.0)
        return rti_error(ctx, RT_E_DATA,
                         "%s: rotated grid (rotation terms %g, %g); north-up "
                         "square cells are required",
                         path, gt[2], gt[4]);
    if (!(w > 0.0) || !(h > 0.0) || fabs(w - h) > 1e-6 * w)
        return rti_error(ctx, RT_E_DATA,
                         "%s: pixel size %g x %g; north-up square cells are "
                         "required",
                         path, gt[1], gt[5]);
    grid->x0 = gt[0];
    grid->y1 = gt[3];
    grid->cell_m = w;
    grid->nx = GDALGetRasterXSize(ds);
    grid->ny = GDALGetRasterYSize(ds);
    grid->crs = NULL;
    return RT_OK;
}

static void nodata_to_nan(GDALRasterBandH b, float *data, int64_t n)
{
    int has = 0;
    double nd = GDALGetRasterNoDataValue(b, &has);
    if (!has || isnan(nd))
        return;
    float ndf;
    /* convert the way RasterIO converts the data (clamping to float) */
    GDALCopyWords(&nd, GDT_Float64, 0, &ndf, GDT_Float32, 0, 1);
    for (int64_t i = 0; i < n; i++)
        if (data[i] == ndf)
            data[i] = NAN;
}

/* Reads the whole band as Float32. A tiled or striped GeoTIFF compressed
 * in blocks is decoded on the run's threads (GDAL's GTiff driver does that
 * for a request that spans several blocks when GDAL_NUM_THREADS is set);
 * the option is set for this thread and this read only. */
static CPLErr read_whole(rt_ctx *ctx, GDALRasterBandH b, const rti_grid_spec *grid, float *buf)
{
    int threads = rti_threads(ctx);
    char *before = NULL;
    if (threads > 1) {
        const char *v = CPLGetThreadLocalConfigOption("GDAL_NUM_THREADS", NULL);
        before = v ? CPLStrdup(v) : NULL;
        char n[16];
        snprintf(n, sizeof(n), "%d", threads);
        CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", n);
    }
    CPLErr err = GDALRasterIO(b, GF_Read, 0, 0, grid->nx, grid->ny, buf, grid->nx, grid->ny,
                              GDT_Float32, 0, 0);
    if (threads > 1) {
        CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", before);
        CPLFree(before);
    }
    return err;
}

rt_status rti_raster_read_native(rt_ctx *ctx, const char *path, int band, rti_grid_spec *grid,
                                 char **crs_wkt, float **data)
{
    rti_layer_ref ref = {.path = path, .band = band};
    return rti_raster_read_native_ref(ctx, &ref, grid, crs_wkt, data);
}

rt_status rti_raster_read_native_ref(rt_ctx *ctx, const rti_layer_ref *ref, rti_grid_spec *grid,
                                     char **crs_wkt, float **data)
{
    const char *path = ref->path;
    int band = ref->band;
    rti_gdal_err e;
    GDALDatasetH ds = NULL;
    GDALRasterBandH b;
    float *buf = NULL;
    char *wkt = NULL;
    *data = NULL;
    if (crs_wkt)
        *crs_wkt = NULL;
    rti_gdal_push(&e, ctx, path);
    rt_status st = open_raster(ctx, &e, path, band ? band : 1, ref->allow_remote, &ds, &b);
    if (st == RT_OK)
        st = native_grid(ctx, path, ds, grid);
    if (st != RT_OK)
        goto out;
    int64_t n = (int64_t)grid->nx * grid->ny;
    char what[600];
    snprintf(what, sizeof(what), "%s: reading %d x %d cells", path, grid->nx, grid->ny);
    st = rti_budget_check(ctx, (uint64_t)n * sizeof(float), what);
    if (st != RT_OK)
        goto out;
    buf = rti_malloc_array(ctx, n, sizeof(float), what);
    if (!buf) {
        st = RT_E_NOMEM;
        goto out;
    }
    rti_gdal_clear(&e);
    if (read_whole(ctx, b, grid, buf) != CE_None) {
        st = rti_error(ctx, RT_E_IO, "%s: reading band %d failed: %s%s", path, band ? band : 1,
                       rti_gdal_msg(&e), rti_remote_note(&e));
        goto out;
    }
    nodata_to_nan(b, buf, n);
    if (crs_wkt) {
        const char *p = GDALGetProjectionRef(ds);
        wkt = rti_strdup(ctx, p ? p : "", "raster CRS");
        if (!wkt) {
            st = RT_E_NOMEM;
            goto out;
        }
        *crs_wkt = wkt;
        grid->crs = wkt[0] ? wkt : NULL;
    }
    *data = buf;
    buf = NULL;
out:
    free(buf);
    if (ds)
        GDALClose(ds);
    rti_gdal_pop(&e);
    return st;
}

rt_status rti_raster_native_grid(rt_ctx *ctx, const char *path, rti_grid_spec *grid)
{
    rti_gdal_err e;
    GDALDatasetH ds = NULL;
    GDALRasterBandH b;
    rti_gdal_push(&e, ctx, path);
    rt_status st = open_raster(ctx, &e, path, 1, 0, &ds, &b);
    if (st == RT_OK)
        st = native_grid(ctx, path, ds, grid);
    if (ds)
        GDALClose(ds);
    rti_gdal_pop(&e);
    return st;
}
