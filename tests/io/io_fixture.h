#ifndef RT_TEST_IO_FIXTURE_H
#define RT_TEST_IO_FIXTURE_H
/* Small synthetic fixtures for the io tests, written with GDAL/OGR at run
 * time into a temporary folder. Include once per test file. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <gdal/cpl_conv.h>
#include <gdal/cpl_string.h>
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>

#include "core/ctx_internal.h"
#include "io/io.h"

/* not every test file uses every helper */
#define FX_UNUSED __attribute__((unused))

/* ---- per-test state: a context, a temp folder and captured log ---- */

typedef struct fx {
    rt_ctx *ctx;
    char dir[64];
    char log[8192];
    int n_warnings;
} fx;

FX_UNUSED static void fx_log(rt_log_level level, const char *msg, void *user)
{
    fx *f = user;
    if (level != RT_LOG_WARNING)
        return;
    f->n_warnings++;
    size_t len = strlen(f->log);
    snprintf(f->log + len, sizeof(f->log) - len, "%s\n", msg);
}

FX_UNUSED static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/rt_io_test_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->ctx = rt_ctx_create();
    if (!f->ctx)
        return -1;
    rt_ctx_set_log(f->ctx, fx_log, f);
    rti_io_init();
    *state = f;
    return 0;
}

FX_UNUSED static int fx_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

FX_UNUSED static int fx_teardown(void **state)
{
    fx *f = *state;
    nftw(f->dir, fx_rm, 16, FTW_DEPTH | FTW_PHYS);
    rt_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

/* path of `name` inside the fixture folder (static buffer rotation) */
FX_UNUSED static const char *fx_path(fx *f, const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", f->dir, name);
    return buf[k];
}

FX_UNUSED static void fx_write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        fprintf(stderr, "cannot write %s\n", path);
        abort();
    }
    fputs(text, fp);
    fclose(fp);
}

/* ---- rasters ---- */

/* Float32 GeoTIFF; crs NULL writes no CRS; has_nodata selects nodata. */
/* A one-band GeoTIFF of type `type` (Float32 or Float64) with the values
 * of data (Float32). */
FX_UNUSED static void fx_tiff_as(const char *path, GDALDataType type, int nx, int ny,
                                 const double gt[6], const char *crs, const float *data,
                                 int has_nodata, double nodata)
{
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    GDALDatasetH ds = GDALCreate(drv, path, nx, ny, 1, type, NULL);
    if (!ds)
        abort();
    if (gt) /* NULL: none (tests that set GCPs) */
        GDALSetGeoTransform(ds, (double *)gt);
    if (crs) {
        OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
        OSRSetFromUserInput(srs, crs);
        GDALSetSpatialRef(ds, srs);
        OSRDestroySpatialReference(srs);
    }
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (has_nodata)
        GDALSetRasterNoDataValue(b, nodata);
    if (GDALRasterIO(b, GF_Write, 0, 0, nx, ny, (void *)data, nx, ny, GDT_Float32, 0, 0) != CE_None)
        abort();
    GDALClose(ds);
}

FX_UNUSED static void fx_tiff(const char *path, int nx, int ny, const double gt[6], const char *crs,
                              const float *data, int has_nodata, double nodata)
{
    fx_tiff_as(path, GDT_Float32, nx, ny, gt, crs, data, has_nodata, nodata);
}

/* ---- vectors ---- */

/* Columns are text unless the name starts with "n:" (real), "i:" (integer)
 * or "l:" (64-bit integer); the prefix is not part of the column name. */
typedef struct fx_feature {
    const char *wkt; /* NULL: no geometry */
    const char *attr[6];
} fx_feature;

FX_UNUSED static void fx_vector(const char *driver, const char *path, const char *layer,
                                const char *crs, OGRwkbGeometryType type, const char *const *cols,
                                const fx_feature *feat, int n)
{
    GDALDriverH drv = GDALGetDriverByName(driver);
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        abort();
    OGRSpatialReferenceH srs = NULL;
    if (crs) {
        srs = OSRNewSpatialReference(NULL);
        OSRSetFromUserInput(srs, crs);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, layer, srs, type, NULL);
    if (!lyr)
        abort();
    int nc = 0;
    for (; cols && cols[nc]; nc++) {
        const char *c = cols[nc];
        OGRFieldType t = OFTString;
        if (strncmp(c, "n:", 2) == 0)
            t = OFTReal, c += 2;
        else if (strncmp(c, "i:", 2) == 0)
            t = OFTInteger, c += 2;
        else if (strncmp(c, "l:", 2) == 0)
            t = OFTInteger64, c += 2;
        OGRFieldDefnH fd = OGR_Fld_Create(c, t);
        OGR_L_CreateField(lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
    }
    for (int i = 0; i < n; i++) {
        OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        for (int c = 0; c < nc; c++)
            if (feat[i].attr[c])
                OGR_F_SetFieldString(ft, c, feat[i].attr[c]);
        if (feat[i].wkt) {
            OGRGeometryH g = NULL;
            char *w = (char *)feat[i].wkt;
            if (OGR_G_CreateFromWkt(&w, srs, &g) != OGRERR_NONE)
                abort();
            OGR_F_SetGeometryDirectly(ft, g);
        }
        if (OGR_L_CreateFeature(lyr, ft) != OGRERR_NONE)
            abort();
        OGR_F_Destroy(ft);
    }
    if (srs)
        OSRDestroySpatialReference(srs);
    GDALClose(ds);
}

FX_UNUSED static void fx_gpkg(const char *path, const char *layer, const char *crs,
                              OGRwkbGeometryType type, const char *const *cols,
                              const fx_feature *feat, int n)
{
    fx_vector("GPKG", path, layer, crs, type, cols, feat, n);
}

FX_UNUSED static rti_layer_ref fx_ref(const char *path, const char *layer)
{
    rti_layer_ref r;
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.layer = layer;
    return r;
}

/* A CSV file read for points from columns x_col and y_col in crs. */
FX_UNUSED static rti_layer_ref fx_csv_ref(const char *path, const char *x_col, const char *y_col,
                                          const char *crs)
{
    rti_layer_ref r = fx_ref(path, NULL);
    r.x_column = x_col;
    r.y_column = y_col;
    r.crs = crs;
    return r;
}

#define FX_ASSERT_MSG_HAS(ctx, s)                                                                  \
    do {                                                                                           \
        if (!strstr(rt_ctx_errmsg(ctx), (s))) {                                                    \
            print_error("message \"%s\" lacks \"%s\"\n", rt_ctx_errmsg(ctx), (s));                 \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

#define FX_ASSERT_STR_HAS(str, s)                                                                  \
    do {                                                                                           \
        if (!strstr((str), (s))) {                                                                 \
            print_error("\"%s\" lacks \"%s\"\n", (str), (s));                                      \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

#endif
