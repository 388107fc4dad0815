/* Writing GeoTIFF rasters and GeoPackage layers. */
#define _POSIX_C_SOURCE 200809L
#define _LARGEFILE64_SOURCE 1
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

static int path_exists(const char *path)
{
    VSIStatBufL st;
    return VSIStatExL(path, &st, VSI_STAT_EXISTS_FLAG) == 0;
}

/* Closes ds and reports whether the close (which writes the last blocks)
 * went through. */
static rt_status close_checked(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, const char *path)
{
    rti_gdal_clear(e);
    GDALClose(ds);
    if (e->n_fail || CPLGetLastErrorType() == CE_Failure)
        return rti_error(ctx, RT_E_IO, "%s: writing failed on close: %s", path, rti_gdal_msg(e));
    return RT_OK;
}

/* ---- GeoTIFF ---- */

static rt_status tiff_create(rt_ctx *ctx, rti_gdal_err *e, const char *path,
                             const rti_grid_spec *grid, GDALDataType t, GDALDatasetH *out)
{
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    if (!drv)
        return rti_error(ctx, RT_E_INTERNAL, "GDAL GTiff driver is not available");
    /* ZSTD at level 1: at 25 m (146 M cells) three times as fast as DEFLATE
     * at its default level 6, for files 12 % larger (bench/README.md). The
     * tiles are compressed on the run's threads; GDAL writes them in the
     * order of a single thread, so the file is the same for any count.
     * Tiles of 512 x 512 cells, or of the grid's size rounded up to 16
     * (TIFF's unit) when it is smaller: a small grid is not padded to
     * 512 x 512 cells and compressed on a pool of threads (a grid of 4 x 2
     * cells took 1 MB and a thread pool per file). */
    const int bx = grid->nx < 512 ? (grid->nx + 15) / 16 * 16 : 512,
              by = grid->ny < 512 ? (grid->ny + 15) / 16 * 16 : 512;
    char xsize[32], ysize[32], threads[32];
    snprintf(xsize, sizeof(xsize), "BLOCKXSIZE=%d", bx);
    snprintf(ysize, sizeof(ysize), "BLOCKYSIZE=%d", by);
    snprintf(threads, sizeof(threads), "NUM_THREADS=%d",
             grid->nx > bx || grid->ny > by ? rti_threads(ctx) : 1);
    const char *opts[] = {
        "TILED=YES",        xsize,          ysize,
        "COMPRESS=ZSTD",    "ZSTD_LEVEL=1", t == GDT_Float32 ? "PREDICTOR=3" : "PREDICTOR=2",
        "BIGTIFF=IF_SAFER", threads,        NULL};
    rti_gdal_clear(e);
    *out = GDALCreate(drv, path, grid->nx, grid->ny, 1, t, (CSLConstList)opts);
    if (!*out)
        return rti_error(ctx, RT_E_IO, "%s: cannot create: %s", path, rti_gdal_msg(e));
    return RT_OK;
}

static rt_status tiff_metadata(rt_ctx *ctx, rti_gdal_err *e, const char *path, GDALDatasetH ds,
                               const rti_grid_spec *grid, const char *crs, double nodata,
                               const char *description, const char *units)
{
    OGRSpatialReferenceH srs = NULL;
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    double gt[6] = {grid->x0, grid->cell_m, 0.0, grid->y1, 0.0, -grid->cell_m};
    rt_status st = RT_OK;
    if (crs && crs[0]) {
        st = rti_srs_from_user(ctx, e, crs, path, &srs);
        if (st != RT_OK)
            return st;
    }
    rti_gdal_clear(e);
    if (GDALSetGeoTransform(ds, gt) != CE_None || (srs && GDALSetSpatialRef(ds, srs) != CE_None) ||
        GDALSetRasterNoDataValue(b, nodata) != CE_None ||
        GDALSetRasterUnitType(b, units ? units : "") != CE_None || e->n_fail)
        st = rti_error(ctx, RT_E_IO, "%s: cannot set georeferencing: %s", path, rti_gdal_msg(e));
    if (st == RT_OK && description)
        GDALSetDescription(b, description);
    if (srs)
        OSRRelease(srs);
    return st;
}

static rt_status tiff_rows(rt_ctx *ctx, rti_gdal_err *e, const char *path, GDALDatasetH ds,
                           const rti_grid_spec *grid, GDALDataType t, rti_row_fn row_fn, void *user)
{
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    int bx = 0, by = 0;
    size_t cell = (size_t)GDALGetDataTypeSizeBytes(t);
    GDALGetBlockSize(b, &bx, &by);
    int32_t strip = by > 0 && by < grid->ny ? by : grid->ny;
    uint64_t bytes = (uint64_t)strip * (uint64_t)grid->nx * cell;
    rt_status st = rti_budget_check(ctx, bytes, "GeoTIFF row buffer");
    if (st != RT_OK)
        return st;
    unsigned char *buf = rti_malloc_array(ctx, (int64_t)strip * grid->nx, cell, "GeoTIFF rows");
    if (!buf)
        return RT_E_NOMEM;
    for (int32_t r0 = 0; r0 < grid->ny && st == RT_OK; r0 += strip) {
        int32_t nr = grid->ny - r0 < strip ? grid->ny - r0 : strip;
        if (!rti_progress(ctx, (double)r0 / grid->ny, "write")) {
            st = rti_error(ctx, RT_E_CANCELLED, "%s: writing cancelled", path);
            break;
        }
        for (int32_t r = 0; r < nr; r++)
            row_fn(r0 + r, buf + (size_t)r * (size_t)grid->nx * cell, user);
        rti_gdal_clear(e);
        if (GDALRasterIO(b, GF_Write, 0, r0, grid->nx, nr, buf, grid->nx, nr, t, 0, 0) != CE_None ||
            e->n_fail)
            st = rti_error(ctx, RT_E_IO, "%s: writing rows %d-%d failed: %s", path, r0, r0 + nr - 1,
                           rti_gdal_msg(e));
    }
    free(buf);
    return st;
}

rt_status rti_write_geotiff(rt_ctx *ctx, const char *path, const rti_grid_spec *grid,
                            const char *crs, rti_dtype type, double nodata, const char *description,
                            const char *units, rti_row_fn row_fn, void *user)
{
    rti_gdal_err e;
    GDALDatasetH ds = NULL;
    GDALDataType t = type == RTI_INT32 ? GDT_Int32 : GDT_Float32;
    if (!path || !row_fn || (type != RTI_INT32 && type != RTI_FLOAT32))
        return rti_error(ctx, RT_E_ARG, "write GeoTIFF: no path, row function or valid type");
    rt_status st = rti_grid_check(ctx, grid);
    if (st != RT_OK)
        return st;
    char shown[4096];
    rti_gdal_push(&e, ctx, rti_output_shown(path, shown, sizeof(shown)));
    if (path_exists(path)) {
        st = rti_error(ctx, RT_E_IO, "%s: already exists; will not overwrite it", path);
        goto out;
    }
    st = tiff_create(ctx, &e, path, grid, t, &ds);
    if (st != RT_OK)
        goto out;
    st = tiff_metadata(ctx, &e, path, ds, grid, crs ? crs : grid->crs, nodata, description, units);
    if (st == RT_OK)
        st = tiff_rows(ctx, &e, path, ds, grid, t, row_fn, user);
    if (st == RT_OK)
        st = close_checked(ctx, &e, ds, path);
    else
        GDALClose(ds);
    if (st != RT_OK)
        VSIUnlink(path); /* no half-written file */
out:
    rti_gdal_pop(&e);
    return rti_error_final_names(ctx, st);
}

/* ---- GeoPackage ---- */

typedef struct gpkg_job {
    const char *path, *layer;
    GDALDatasetH ds;
    OGRLayerH lyr;
    int created_file;
    int created_layer;
    int in_transaction;
} gpkg_job;

static rt_status gpkg_open(rt_ctx *ctx, rti_gdal_err *e, gpkg_job *j)
{
    rti_gdal_clear(e);
    if (path_exists(j->path)) {
        j->ds = GDALOpenEx(j->path, GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR, NULL,
                           NULL, NULL);
        if (!j->ds)
            return rti_error(ctx, RT_E_IO, "%s: cannot open for update: %s", j->path,
                             rti_gdal_msg(e));
        if (GDALDatasetGetLayerByName(j->ds, j->layer))
            return rti_error(ctx, RT_E_IO, "%s: already has a layer '%s'", j->path, j->layer);
        return RT_OK;
    }
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv)
        return rti_error(ctx, RT_E_INTERNAL, "GDAL GPKG driver is not available");
    j->ds = GDALCreate(drv, j->path, 0, 0, 0, GDT_Unknown, NULL);
    if (!j->ds)
        return rti_error(ctx, RT_E_IO, "%s: cannot create: %s", j->path, rti_gdal_msg(e));
    j->created_file = 1;
    return RT_OK;
}

static rt_status gpkg_layer(rt_ctx *ctx, rti_gdal_err *e, gpkg_job *j, const char *crs,
                            OGRwkbGeometryType gtype, const rti_column *cols, int n_cols)
{
    OGRSpatialReferenceH srs = NULL;
    rt_status st = rti_srs_from_user(ctx, e, crs, j->path, &srs);
    if (st != RT_OK)
        return st;
    rti_gdal_clear(e);
    j->lyr = GDALDatasetCreateLayer(j->ds, j->layer, srs, gtype, NULL);
    OSRRelease(srs);
    if (!j->lyr)
        return rti_error(ctx, RT_E_IO, "%s: cannot create layer '%s': %s", j->path, j->layer,
                         rti_gdal_msg(e));
    j->created_layer = 1;
    for (int c = 0; c < n_cols; c++) {
        OGRFieldType t = cols[c].type == RTI_COL_INT    ? OFTInteger64
                         : cols[c].type == RTI_COL_REAL ? OFTReal
                                                        : OFTString;
        OGRFieldDefnH fd = OGR_Fld_Create(cols[c].name, t);
        OGRErr err = OGR_L_CreateField(j->lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE)
            return rti_error(ctx, RT_E_IO, "%s: layer '%s': cannot create column '%s': %s", j->path,
                             j->layer, cols[c].name, rti_gdal_msg(e));
    }
    return RT_OK;
}

static void set_fields(OGRFeatureH f, const rti_column *cols, int n_cols, int64_t i)
{
    for (int c = 0; c < n_cols; c++) {
        const rti_column *col = &cols[c];
        if (col->type == RTI_COL_STR && col->s && col->s[i])
            OGR_F_SetFieldString(f, c, col->s[i]);
        else if (col->type == RTI_COL_INT && col->i)
            OGR_F_SetFieldInteger64(f, c, col->i[i]);
        else if (col->type == RTI_COL_REAL && col->r && !isnan(col->r[i]))
            OGR_F_SetFieldDouble(f, c, col->r[i]);
        else
            OGR_F_SetFieldNull(f, c);
    }
}

/* Lines for rti_write_gpkg_lines (NULL for polygons and points). */
typedef struct gpkg_lines {
    const int64_t *first;
    const double *gx, *gy;
} gpkg_lines;

static OGRGeometryH line_geometry(const gpkg_lines *l, int64_t i)
{
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    for (int64_t v = l->first[i]; g && v < l->first[i + 1]; v++)
        OGR_G_AddPoint_2D(g, l->gx[v], l->gy[v]);
    return g;
}

static OGRGeometryH feature_geometry(const rti_polygons *polys, const double *x, const double *y,
                                     int64_t i)
{
    if (polys) {
        OGRGeometryH g = OGR_G_Clone(polys->geom[i]);
        return g ? OGR_G_ForceToMultiPolygon(g) : NULL;
    }
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    if (g)
        OGR_G_SetPoint_2D(g, 0, x[i], y[i]);
    return g;
}

static rt_status gpkg_features(rt_ctx *ctx, rti_gdal_err *e, gpkg_job *j, const rti_polygons *polys,
                               const double *x, const double *y, const gpkg_lines *lines, int64_t n,
                               const rti_column *cols, int n_cols)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(j->lyr);
    rti_gdal_clear(e);
    if (OGR_L_StartTransaction(j->lyr) != OGRERR_NONE)
        return rti_error(ctx, RT_E_IO, "%s: layer '%s': cannot start a transaction: %s", j->path,
                         j->layer, rti_gdal_msg(e));
    j->in_transaction = 1;
    for (int64_t i = 0; i < n; i++) {
        OGRFeatureH f = OGR_F_Create(defn);
        OGRGeometryH g = !f      ? NULL
                         : lines ? line_geometry(lines, i)
                                 : feature_geometry(polys, x, y, i);
        if (!f || !g) {
            if (f)
                OGR_F_Destroy(f);
            return rti_error(ctx, RT_E_NOMEM, "%s: layer '%s': out of memory at feature %lld",
                             j->path, j->layer, (long long)i);
        }
        set_fields(f, cols, n_cols, i);
        OGRErr err = OGR_F_SetGeometryDirectly(f, g);
        if (err == OGRERR_NONE)
            err = OGR_L_CreateFeature(j->lyr, f);
        OGR_F_Destroy(f);
        if (err != OGRERR_NONE)
            return rti_error(ctx, RT_E_IO, "%s: layer '%s': cannot write feature %lld: %s", j->path,
                             j->layer, (long long)i, rti_gdal_msg(e));
    }
    j->in_transaction = 0;
    if (OGR_L_CommitTransaction(j->lyr) != OGRERR_NONE)
        return rti_error(ctx, RT_E_IO, "%s: layer '%s': cannot commit: %s", j->path, j->layer,
                         rti_gdal_msg(e));
    return RT_OK;
}

/* Undoes what a failed write added: the layer, or the whole new file. */
static void gpkg_undo(gpkg_job *j)
{
    if (j->in_transaction && OGR_L_RollbackTransaction(j->lyr) != OGRERR_NONE)
        CPLErrorReset();
    if (j->created_layer && !j->created_file) {
        int n = GDALDatasetGetLayerCount(j->ds);
        for (int i = 0; i < n; i++)
            if (GDALDatasetGetLayer(j->ds, i) == j->lyr) {
                GDALDatasetDeleteLayer(j->ds, i);
                break;
            }
    }
}

static rt_status gpkg_args(rt_ctx *ctx, const char *path, const char *layer,
                           const rti_polygons *polys, const double *x, const double *y, int64_t n,
                           const rti_column *cols, int n_cols)
{
    if (!path || !layer || n < 0 || n_cols < 0 || (n_cols > 0 && !cols))
        return rti_error(ctx, RT_E_ARG, "write GeoPackage: missing path, layer or columns");
    if (!polys == !x || (x && !y))
        return rti_error(ctx, RT_E_ARG, "%s: layer '%s': give either polygons or x/y points", path,
                         layer);
    if (polys && polys->n != n)
        return rti_error(ctx, RT_E_ARG, "%s: layer '%s': %lld rows but %lld polygons", path, layer,
                         (long long)n, (long long)polys->n);
    for (int c = 0; c < n_cols; c++)
        if (!cols[c].name)
            return rti_error(ctx, RT_E_ARG, "%s: layer '%s': column %d has no name", path, layer,
                             c);
    return RT_OK;
}

/* Opens or creates the GeoPackage, adds the layer and its features in one
 * transaction; on failure the layer is removed again and a file this call
 * created is deleted. */
static rt_status gpkg_write(rt_ctx *ctx, const char *path, const char *layer, const char *crs,
                            OGRwkbGeometryType gtype, const rti_polygons *polys, const double *x,
                            const double *y, const gpkg_lines *l, int64_t n, const rti_column *cols,
                            int n_cols)
{
    rti_gdal_err e;
    gpkg_job j = {path, layer, NULL, NULL, 0, 0, 0};
    char shown[4096];
    rti_gdal_push(&e, ctx, rti_output_shown(path, shown, sizeof(shown)));
    rt_status st = gpkg_open(ctx, &e, &j);
    if (st == RT_OK)
        st = gpkg_layer(ctx, &e, &j, crs, gtype, cols, n_cols);
    if (st == RT_OK)
        st = gpkg_features(ctx, &e, &j, polys, x, y, l, n, cols, n_cols);
    if (st != RT_OK && j.ds)
        gpkg_undo(&j);
    if (j.ds && st == RT_OK)
        st = close_checked(ctx, &e, j.ds, path);
    else if (j.ds)
        GDALClose(j.ds);
    if (st != RT_OK && j.created_file)
        VSIUnlink(path);
    rti_gdal_pop(&e);
    return rti_error_final_names(ctx, st);
}

rt_status rti_write_gpkg_layer(rt_ctx *ctx, const char *path, const char *layer, const char *crs,
                               const rti_polygons *polys, const double *x, const double *y,
                               int64_t n, const rti_column *cols, int n_cols)
{
    rt_status st = gpkg_args(ctx, path, layer, polys, x, y, n, cols, n_cols);
    if (st != RT_OK)
        return st;
    return gpkg_write(ctx, path, layer, crs, polys ? wkbMultiPolygon : wkbPoint, polys, x, y, NULL,
                      n, cols, n_cols);
}

rt_status rti_write_gpkg_lines(rt_ctx *ctx, const char *path, const char *layer, const char *crs,
                               const int64_t *first, const double *gx, const double *gy, int64_t n,
                               const rti_column *cols, int n_cols)
{
    if (!path || !layer || n < 0 || n_cols < 0 || (n_cols > 0 && !cols) || !first || !gx || !gy)
        return rti_error(ctx, RT_E_ARG, "write GeoPackage: missing path, layer, lines or columns");
    for (int64_t i = 0; i < n; i++)
        if (first[i + 1] - first[i] < 2)
            return rti_error(ctx, RT_E_ARG, "%s: layer '%s': line %lld has fewer than two vertices",
                             path, layer, (long long)i);
    gpkg_lines l = {first, gx, gy};
    return gpkg_write(ctx, path, layer, crs, wkbLineString, NULL, NULL, NULL, &l, n, cols, n_cols);
}

/* ---- QGIS styles ---- */

/* The columns of QGIS's layer_styles table, with their widths (0: none). */
static const struct {
    const char *name;
    OGRFieldType type;
    int width;
} style_cols[] = {{"f_table_catalog", OFTString, 256},
                  {"f_table_schema", OFTString, 256},
                  {"f_table_name", OFTString, 256},
                  {"f_geometry_column", OFTString, 256},
                  {"styleName", OFTString, 30},
                  {"styleQML", OFTString, 0},
                  {"styleSLD", OFTString, 0},
                  {"useAsDefault", OFTInteger, 0},
                  {"description", OFTString, 0},
                  {"owner", OFTString, 30},
                  {"ui", OFTString, 30},
                  {"update_time", OFTDateTime, 0}};
#define N_STYLE_COLS ((int)(sizeof(style_cols) / sizeof(style_cols[0])))

static rt_status styles_table(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, const char *path,
                              OGRLayerH *out)
{
    *out = GDALDatasetGetLayerByName(ds, "layer_styles");
    if (*out)
        return RT_OK;
    char *opts[] = {"FID=id", NULL};
    rti_gdal_clear(e);
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "layer_styles", NULL, wkbNone, opts);
    if (!lyr)
        return rti_error(ctx, RT_E_IO, "%s: cannot create table layer_styles: %s", path,
                         rti_gdal_msg(e));
    for (int c = 0; c < N_STYLE_COLS; c++) {
        OGRFieldDefnH fd = OGR_Fld_Create(style_cols[c].name, style_cols[c].type);
        if (style_cols[c].width)
            OGR_Fld_SetWidth(fd, style_cols[c].width);
        if (style_cols[c].type == OFTInteger)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        OGRErr err = OGR_L_CreateField(lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE)
            return rti_error(ctx, RT_E_IO, "%s: layer_styles: cannot create column '%s': %s", path,
                             style_cols[c].name, rti_gdal_msg(e));
    }
    *out = lyr;
    return RT_OK;
}

static rt_status style_row(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, OGRLayerH lyr,
                           const char *path, const rti_layer_style *s)
{
    OGRLayerH target = s->layer ? GDALDatasetGetLayerByName(ds, s->layer) : NULL;
    if (!target || !s->name || !s->qml)
        return rti_error(ctx, RT_E_ARG, "%s: style '%s' for a layer '%s' that does not exist", path,
                         s->name ? s->name : "", s->layer ? s->layer : "");
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    if (!f)
        return rti_error(ctx, RT_E_NOMEM, "%s: out of memory for style '%s'", path, s->name);
    const char *text[] = {"",
                          "",
                          s->layer,
                          OGR_L_GetGeometryColumn(target),
                          s->name,
                          s->qml,
                          NULL,
                          NULL,
                          s->description,
                          "",
                          NULL,
                          NULL};
    for (int c = 0; c < N_STYLE_COLS; c++) {
        if (style_cols[c].type == OFTInteger)
            OGR_F_SetFieldInteger(f, c, s->is_default ? 1 : 0);
        else if (text[c])
            OGR_F_SetFieldString(f, c, text[c]);
        else
            OGR_F_SetFieldNull(f, c);
    }
    rti_gdal_clear(e);
    OGRErr err = OGR_L_CreateFeature(lyr, f);
    OGR_F_Destroy(f);
    if (err != OGRERR_NONE)
        return rti_error(ctx, RT_E_IO, "%s: cannot store style '%s': %s", path, s->name,
                         rti_gdal_msg(e));
    return RT_OK;
}

rt_status rti_gpkg_write_styles(rt_ctx *ctx, const char *path, const rti_layer_style *styles, int n)
{
    if (!path || n < 0 || (n > 0 && !styles))
        return rti_error(ctx, RT_E_ARG, "write styles: missing path or styles");
    if (n == 0)
        return RT_OK;
    rti_io_init();
    rti_gdal_err e;
    char shown[4096];
    rti_gdal_push(&e, ctx, rti_output_shown(path, shown, sizeof(shown)));
    GDALDatasetH ds =
        GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
    OGRLayerH lyr = NULL;
    int in_tr = 0;
    rt_status st =
        ds ? RT_OK
           : rti_error(ctx, RT_E_IO, "%s: cannot open for update: %s", path, rti_gdal_msg(&e));
    if (st == RT_OK)
        st = styles_table(ctx, &e, ds, path, &lyr);
    if (st == RT_OK && OGR_L_StartTransaction(lyr) != OGRERR_NONE)
        st = rti_error(ctx, RT_E_IO, "%s: layer_styles: cannot start a transaction: %s", path,
                       rti_gdal_msg(&e));
    in_tr = st == RT_OK;
    for (int i = 0; st == RT_OK && i < n; i++)
        st = style_row(ctx, &e, ds, lyr, path, &styles[i]);
    if (st == RT_OK) {
        in_tr = 0;
        if (OGR_L_CommitTransaction(lyr) != OGRERR_NONE)
            st = rti_error(ctx, RT_E_IO, "%s: layer_styles: cannot commit: %s", path,
                           rti_gdal_msg(&e));
    }
    if (in_tr && OGR_L_RollbackTransaction(lyr) != OGRERR_NONE)
        CPLErrorReset();
    if (ds && st == RT_OK)
        st = close_checked(ctx, &e, ds, path);
    else if (ds)
        GDALClose(ds);
    rti_gdal_pop(&e);
    return rti_error_final_names(ctx, st);
}
