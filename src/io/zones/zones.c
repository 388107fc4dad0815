/* The cells of a class grid as polygons: GDALPolygonize on an in-memory
 * raster over the caller's cells, the polygons of each class collected
 * into one MultiPolygon and checked with GEOS, and the sums of each class
 * (cells, population, mean time) in cell order. The isochrones and
 * catchments of a run (docs/outputs.md) are made of them. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <gdal_alg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limit.h"
#include "io/io_internal.h"

void rti_zones_free(rti_zones *z)
{
    if (!z)
        return;
    free(z->klass);
    free(z->cells);
    free(z->pop_persons);
    free(z->time_mean_s);
    rti_polygons_free(&z->polys);
    memset(z, 0, sizeof(*z));
}

/* n features, every geometry an empty MultiPolygon. */
static rt_status zones_alloc(rt_ctx *ctx, rti_zones *z, int64_t n)
{
    memset(z, 0, sizeof(*z));
    z->klass = rti_malloc_array(ctx, n, sizeof(*z->klass), "zones");
    z->cells = rti_malloc_array(ctx, n, sizeof(*z->cells), "zones");
    z->pop_persons = rti_malloc_array(ctx, n, sizeof(*z->pop_persons), "zones");
    z->time_mean_s = rti_malloc_array(ctx, n, sizeof(*z->time_mean_s), "zones");
    z->polys.geom = rti_malloc_array(ctx, n, sizeof(*z->polys.geom), "zones");
    if (!z->klass || !z->cells || !z->pop_persons || !z->time_mean_s || !z->polys.geom) {
        rti_zones_free(z);
        return RT_E_NOMEM;
    }
    z->n = z->polys.n = n;
    for (int64_t i = 0; i < n; i++)
        if (!(z->polys.geom[i] = OGR_G_CreateGeometry(wkbMultiPolygon))) {
            rti_zones_free(z);
            return rti_error(ctx, RT_E_NOMEM, "zones: out of memory for %lld polygons",
                             (long long)n);
        }
    return RT_OK;
}

/* ---- the sums of each class, in cell order ---- */

typedef struct class_sums {
    int64_t *cells;
    double *pop, *pop_time;
} class_sums;

static void sums_free(class_sums *s)
{
    free(s->cells);
    free(s->pop);
    free(s->pop_time);
}

static rt_status class_sums_of(rt_ctx *ctx, const rti_grid_spec *grid, const int32_t *klass,
                               int32_t n_classes, const float *pop, const double *time_s,
                               class_sums *s)
{
    int64_t n = (int64_t)grid->nx * grid->ny;
    s->cells = rti_malloc_array(ctx, n_classes, sizeof(*s->cells), "zone sums");
    s->pop = rti_malloc_array(ctx, n_classes, sizeof(*s->pop), "zone sums");
    s->pop_time = rti_malloc_array(ctx, n_classes, sizeof(*s->pop_time), "zone sums");
    if (!s->cells || !s->pop || !s->pop_time)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < n; i++) {
        int32_t c = klass[i];
        if (c == -1)
            continue;
        if (c < -1 || c >= n_classes)
            return rti_error(ctx, RT_E_ARG,
                             "zones: cell (%lld, %lld) has class %d; the classes are 0 to %d, "
                             "or -1 for none",
                             (long long)(i / grid->nx), (long long)(i % grid->nx), (int)c,
                             (int)n_classes - 1);
        s->cells[c]++;
        float p = pop ? pop[i] : 0.0f;
        if (p > 0.0f && p <= FLT_MAX) { /* populated, as in the region statistics */
            s->pop[c] += p;
            if (time_s)
                s->pop_time[c] += p * time_s[i];
        }
    }
    return RT_OK;
}

/* ---- polygonizing ---- */

typedef struct zone_job {
    rt_ctx *ctx;
    int cancelled;
} zone_job;

static int CPL_STDCALL zone_progress(double fraction, const char *message, void *user)
{
    (void)message;
    zone_job *j = user;
    if (!rti_progress(j->ctx, fraction, "write"))
        j->cancelled = 1;
    return !j->cancelled;
}

/* The outlines of the classes (4-connected: no 8CONNECTED option) into an
 * in-memory layer whose field 0 is the class. */
static rt_status outline(rt_ctx *ctx, rti_gdal_err *e, const rti_grid_spec *grid,
                         const int32_t *klass, GDALDatasetH *vec, OGRLayerH *lyr)
{
    GDALDatasetH ras = NULL;
    /* GDAL only reads the cells: the MEM band wraps them without a copy */
    rt_status st = rti_mem_dataset(ctx, e, grid, GDT_Int32, (void *)(uintptr_t)klass, &ras);
    if (st != RT_OK)
        return st;
    GDALRasterBandH band = GDALGetRasterBand(ras, 1);
    GDALDriverH drv = GDALGetDriverByName("Memory");
    rti_gdal_clear(e);
    *vec = drv ? GDALCreate(drv, "", 0, 0, 0, GDT_Unknown, NULL) : NULL;
    *lyr = *vec ? GDALDatasetCreateLayer(*vec, "zones", NULL, wkbPolygon, NULL) : NULL;
    OGRFieldDefnH fd = OGR_Fld_Create("class", OFTInteger);
    if (!*lyr || OGR_L_CreateField(*lyr, fd, TRUE) != OGRERR_NONE ||
        GDALSetRasterNoDataValue(band, -1) != CE_None)
        st =
            rti_error(ctx, RT_E_INTERNAL, "zones: cannot set up the polygons: %s", rti_gdal_msg(e));
    OGR_Fld_Destroy(fd);
    zone_job j = {ctx, 0};
    if (st == RT_OK) {
        rti_gdal_clear(e);
        CPLErr err = GDALPolygonize(band, GDALGetMaskBand(band), *lyr, 0, NULL, zone_progress, &j);
        if (j.cancelled)
            st = rti_error(ctx, RT_E_CANCELLED, "zones: cancelled");
        else if (err != CE_None || e->n_fail)
            st = rti_error(ctx, RT_E_INTERNAL, "zones: polygonizing failed: %s", rti_gdal_msg(e));
    }
    GDALClose(ras);
    return st;
}

/* Moves every polygon of the layer into the MultiPolygon of its class
 * (feature at[class]), in the order GDAL wrote them. */
static rt_status collect(rt_ctx *ctx, OGRLayerH lyr, const int64_t *at, int32_t n_classes,
                         rti_zones *z)
{
    OGRFeatureH f;
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        int c = OGR_F_GetFieldAsInteger(f, 0);
        OGRGeometryH g = OGR_F_StealGeometry(f);
        OGR_F_Destroy(f);
        if (c < 0 || c >= n_classes || at[c] < 0 || !g) {
            if (g)
                OGR_G_DestroyGeometry(g);
            return rti_error(ctx, RT_E_INTERNAL, "zones: a polygon of class %d, which has no cells",
                             c);
        }
        if (OGR_G_AddGeometryDirectly(z->polys.geom[at[c]], g) != OGRERR_NONE)
            return rti_error(ctx, RT_E_INTERNAL, "zones: cannot add a polygon to class %d", c);
    }
    return RT_OK;
}

/* Every MultiPolygon checked with GEOS, and repaired should it be invalid. */
static rt_status validate(rt_ctx *ctx, rti_zones *z)
{
    rti_geos *gs = NULL;
    rt_status st = rti_geos_open(ctx, &gs);
    for (int64_t i = 0; st == RT_OK && i < z->n; i++) {
        char where[64], reason[512];
        snprintf(where, sizeof(where), "zones: class %d", (int)z->klass[i]);
        st = rti_geos_validate(ctx, gs, (OGRGeometryH *)&z->polys.geom[i], where, 1, reason,
                               sizeof(reason));
        if (st == RT_OK && reason[0])
            rti_log(ctx, RT_LOG_DEBUG, "%s: outline repaired (%s)", where, reason);
    }
    rti_geos_close(gs);
    return st;
}

/* The features of the classes with cells, or with keep_empty of every
 * class. */
static rt_status polygonize(rt_ctx *ctx, const rti_grid_spec *grid, const int32_t *klass,
                            int32_t n_classes, const float *pop, const double *time_s,
                            int keep_empty, rti_zones *out)
{
    class_sums s = {NULL, NULL, NULL};
    int64_t *at = NULL;
    rti_gdal_err e;
    GDALDatasetH vec = NULL;
    OGRLayerH lyr = NULL;
    memset(out, 0, sizeof(*out));
    rt_status st = klass && n_classes >= 0 ? rti_grid_check(ctx, grid)
                                           : rti_error(ctx, RT_E_ARG, "zones: no class grid");
    if (st == RT_OK)
        st = class_sums_of(ctx, grid, klass, n_classes, pop, time_s, &s);
    if (st == RT_OK && !(at = rti_malloc_array(ctx, n_classes, sizeof(*at), "zones")))
        st = RT_E_NOMEM;
    int64_t n = 0;
    for (int32_t c = 0; st == RT_OK && c < n_classes; c++)
        at[c] = s.cells[c] > 0 || keep_empty ? n++ : -1;
    if (st == RT_OK)
        st = zones_alloc(ctx, out, n);
    for (int32_t c = 0; st == RT_OK && c < n_classes; c++) {
        if (at[c] < 0)
            continue;
        out->klass[at[c]] = c;
        out->cells[at[c]] = s.cells[c];
        out->pop_persons[at[c]] = s.pop[c];
        out->time_mean_s[at[c]] = time_s && s.pop[c] > 0 ? s.pop_time[c] / s.pop[c] : NAN;
    }
    rti_gdal_push(&e, ctx, NULL);
    if (st == RT_OK)
        st = outline(ctx, &e, grid, klass, &vec, &lyr);
    if (st == RT_OK)
        st = collect(ctx, lyr, at, n_classes, out);
    if (vec)
        GDALClose(vec);
    rti_gdal_pop(&e);
    if (st == RT_OK)
        st = validate(ctx, out);
    sums_free(&s);
    free(at);
    if (st != RT_OK)
        rti_zones_free(out);
    return st;
}

rt_status rti_zones_polygonize(rt_ctx *ctx, const rti_grid_spec *grid, const int32_t *klass,
                               int32_t n_classes, const float *pop, const double *time_s,
                               rti_zones *out)
{
    return polygonize(ctx, grid, klass, n_classes, pop, time_s, 0, out);
}

rt_status rti_zones_within(rt_ctx *ctx, const rti_grid_spec *grid, const double *time_s,
                           const double *limits_s, int n_limits, const float *pop, int32_t *scratch,
                           rti_zones *out)
{
    memset(out, 0, sizeof(*out));
    if (!time_s || !scratch || n_limits < 0 || (n_limits > 0 && !limits_s))
        return rti_error(ctx, RT_E_ARG, "zones: no times, limits or scratch grid");
    rt_status st = rti_grid_check(ctx, grid);
    if (st == RT_OK)
        st = zones_alloc(ctx, out, n_limits);
    int64_t n = (int64_t)grid->nx * grid->ny;
    for (int k = 0; st == RT_OK && k < n_limits; k++) {
        const double limit = rti_limit_up(limits_s[k]);
        for (int64_t i = 0; i < n; i++) /* NaN is within no limit */
            scratch[i] = time_s[i] <= limit ? 0 : -1;
        rti_zones one;
        st = polygonize(ctx, grid, scratch, 1, pop, time_s, 1, &one);
        if (st != RT_OK)
            break;
        out->klass[k] = k;
        out->cells[k] = one.cells[0];
        out->pop_persons[k] = one.pop_persons[0];
        out->time_mean_s[k] = one.time_mean_s[0];
        OGR_G_DestroyGeometry(out->polys.geom[k]);
        out->polys.geom[k] = one.polys.geom[0];
        one.polys.geom[0] = NULL;
        rti_zones_free(&one);
    }
    if (st != RT_OK)
        rti_zones_free(out);
    return st;
}
