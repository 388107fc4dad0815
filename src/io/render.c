/* Map images for the run report: a class image coloured from a palette,
 * polygon outlines and point markers, rasterized into the RGBA bands of a
 * GDAL MEM dataset and written as PNG into memory (/vsimem/). Also the
 * ring walk that the report's SVG maps use. */
#define _POSIX_C_SOURCE 200809L
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_alg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

#define MAP_MAX_SIDE 16384

static rt_status frame_check(rt_ctx *ctx, const rti_map_frame *f, const rti_map_layers *l)
{
    if (!f || !l || !l->klass || (l->n_colours > 0 && !l->palette) || l->n_colours < 0)
        return rti_error(ctx, RT_E_ARG, "map: no frame, class image or palette given");
    if (f->width < 1 || f->height < 1 || f->width > MAP_MAX_SIDE || f->height > MAP_MAX_SIDE ||
        !(f->px_m > 0) || !isfinite(f->x0) || !isfinite(f->y1))
        return rti_error(ctx, RT_E_ARG, "map: bad frame of %d x %d pixels of %g m", f->width,
                         f->height, f->px_m);
    if (l->n_pts > 0 && (!l->pt_x || !l->pt_y))
        return rti_error(ctx, RT_E_ARG, "map: %lld markers without coordinates",
                         (long long)l->n_pts);
    return RT_OK;
}

/* The class image as interleaved RGBA bytes. */
static void fill_classes(const rti_map_frame *f, const rti_map_layers *l, uint8_t *rgba)
{
    int64_t n = (int64_t)f->width * f->height;
    for (int64_t i = 0; i < n; i++) {
        uint8_t k = l->klass[i];
        rti_rgba c = k < l->n_colours ? l->palette[k] : (rti_rgba){0, 0, 0, 0};
        rgba[4 * i] = c.r;
        rgba[4 * i + 1] = c.g;
        rgba[4 * i + 2] = c.b;
        rgba[4 * i + 3] = c.a;
    }
}

/* Burns n geometries into the four bands with one colour. */
static rt_status burn_rgba(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, int n, OGRGeometryH *g,
                           rti_rgba c, const char *what)
{
    if (n == 0)
        return RT_OK;
    int bands[4] = {1, 2, 3, 4};
    double *v = rti_malloc_array(ctx, (int64_t)n * 4, sizeof(double), "map burn values");
    if (!v)
        return RT_E_NOMEM;
    for (int i = 0; i < n; i++) {
        v[4 * i] = c.r;
        v[4 * i + 1] = c.g;
        v[4 * i + 2] = c.b;
        v[4 * i + 3] = c.a;
    }
    rti_gdal_clear(e);
    CPLErr err = GDALRasterizeGeometries(ds, 4, bands, n, g, NULL, NULL, v, NULL, NULL, NULL);
    free(v);
    if (err != CE_None || e->n_fail)
        return rti_error(ctx, RT_E_IO, "map: drawing %s failed: %s", what, rti_gdal_msg(e));
    return RT_OK;
}

static void destroy_all(OGRGeometryH *g, int64_t n)
{
    for (int64_t i = 0; g && i < n; i++)
        if (g[i])
            OGR_G_DestroyGeometry(g[i]);
    free(g);
}

/* Polygon rings as lines, so that only the outlines are burned. */
static rt_status draw_borders(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds,
                              const rti_map_layers *l)
{
    const rti_polygons *p = l->borders;
    if (!p || p->n == 0)
        return RT_OK;
    if (p->n > 0x7fffffff)
        return rti_error(ctx, RT_E_ARG, "map: too many polygons (%lld)", (long long)p->n);
    OGRGeometryH *g = rti_malloc_array(ctx, p->n, sizeof(OGRGeometryH), "map outlines");
    if (!g)
        return RT_E_NOMEM;
    rt_status st = RT_OK;
    for (int64_t i = 0; i < p->n && st == RT_OK; i++) {
        OGRGeometryH c = p->geom[i] ? OGR_G_Clone(p->geom[i]) : NULL;
        g[i] = c ? OGR_G_ForceToMultiLineString(c) : NULL;
        if (p->geom[i] && !g[i])
            st = rti_error(ctx, RT_E_NOMEM, "map: out of memory for the outline of region %lld",
                           (long long)i);
    }
    int64_t n = p->n;
    if (st == RT_OK) { /* skip regions without a geometry */
        n = 0;
        for (int64_t i = 0; i < p->n; i++)
            if (g[i])
                g[n++] = g[i];
        st = burn_rgba(ctx, e, ds, (int)n, g, l->border, "region outlines");
    }
    destroy_all(g, n);
    return st;
}

/* A regular octagon of radius r metres around (x, y). */
static OGRGeometryH octagon(double x, double y, double r)
{
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    if (!ring || !poly) {
        if (ring)
            OGR_G_DestroyGeometry(ring);
        if (poly)
            OGR_G_DestroyGeometry(poly);
        return NULL;
    }
    for (int k = 0; k <= 8; k++) {
        double a = (k % 8) * (M_PI / 4.0) + M_PI / 8.0;
        OGR_G_AddPoint_2D(ring, x + r * cos(a), y + r * sin(a));
    }
    OGR_G_AddGeometryDirectly(poly, ring);
    return poly;
}

static rt_status draw_markers(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, const rti_map_frame *f,
                              const rti_map_layers *l)
{
    if (l->n_pts <= 0)
        return RT_OK;
    if (l->n_pts > 0x3fffffff)
        return rti_error(ctx, RT_E_ARG, "map: too many markers (%lld)", (long long)l->n_pts);
    int n = (int)l->n_pts;
    OGRGeometryH *g = rti_malloc_array(ctx, n, sizeof(OGRGeometryH), "map markers");
    if (!g)
        return RT_E_NOMEM;
    rt_status st = RT_OK;
    static const double radius_px[2] = {4.0, 2.5};
    for (int pass = 0; pass < 2 && st == RT_OK; pass++) {
        for (int i = 0; i < n && st == RT_OK; i++) {
            if (g[i])
                OGR_G_DestroyGeometry(g[i]);
            g[i] = octagon(l->pt_x[i], l->pt_y[i], radius_px[pass] * f->px_m);
            if (!g[i])
                st = rti_error(ctx, RT_E_NOMEM, "map: out of memory for markers");
        }
        if (st == RT_OK)
            st = burn_rgba(ctx, e, ds, n, g, pass == 0 ? l->marker_ring : l->marker_fill,
                           "facility markers");
    }
    destroy_all(g, n);
    return st;
}

/* The PNG bytes of ds, through a unique /vsimem/ file. */
static rt_status encode_png(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, unsigned char **png,
                            size_t *png_bytes)
{
    GDALDriverH drv = GDALGetDriverByName("PNG");
    if (!drv)
        return rti_error(ctx, RT_E_INTERNAL, "GDAL PNG driver is not available");
    char name[96], aux[112];
    snprintf(name, sizeof(name), "/vsimem/reistijd-map-%p.png", (void *)ds);
    snprintf(aux, sizeof(aux), "%s.aux.xml", name);
    char *opts[] = {"ZLEVEL=9", "WORLDFILE=NO", NULL};
    rti_gdal_clear(e);
    GDALDatasetH out = GDALCreateCopy(drv, name, ds, FALSE, opts, NULL, NULL);
    rt_status st = RT_OK;
    if (out)
        GDALClose(out); /* returns void before GDAL 3.7: failures show in e */
    if (!out || e->n_fail)
        st = rti_error_rename(
            ctx, rti_error(ctx, RT_E_IO, "map: PNG encoding failed: %s", rti_gdal_msg(e)), name,
            "the map image");
    vsi_l_offset len = 0;
    GByte *buf = st == RT_OK ? VSIGetMemFileBuffer(name, &len, FALSE) : NULL;
    if (st == RT_OK && !buf)
        st = rti_error(ctx, RT_E_IO, "map: PNG encoding gave no data");
    if (st == RT_OK) {
        *png = rti_alloc_array_uninit(ctx, (int64_t)len, 1, "map image");
        if (*png) {
            memcpy(*png, buf, (size_t)len);
            *png_bytes = (size_t)len;
        } else {
            st = RT_E_NOMEM;
        }
    }
    VSIUnlink(name);
    VSIUnlink(aux); /* GDAL keeps the geotransform beside the PNG */
    return st;
}

rt_status rti_render_png(rt_ctx *ctx, const rti_map_frame *frame, const rti_map_layers *layers,
                         unsigned char **png, size_t *png_bytes)
{
    *png = NULL;
    *png_bytes = 0;
    rt_status st = frame_check(ctx, frame, layers);
    if (st != RT_OK)
        return st;
    rti_io_init();
    rti_gdal_err e;
    rti_gdal_push(&e, ctx, "map");
    int64_t n = (int64_t)frame->width * frame->height;
    uint8_t *rgba = rti_alloc_array_uninit(ctx, n, 4, "map image");
    GDALDatasetH ds = NULL;
    GDALDriverH mem = GDALGetDriverByName("MEM");
    if (!rgba)
        st = RT_E_NOMEM;
    else if (!mem)
        st = rti_error(ctx, RT_E_INTERNAL, "GDAL MEM driver is not available");
    if (st == RT_OK) {
        ds = GDALCreate(mem, "", frame->width, frame->height, 4, GDT_Byte, NULL);
        if (!ds)
            st = rti_error(ctx, RT_E_NOMEM, "map: cannot create an image of %d x %d: %s",
                           frame->width, frame->height, rti_gdal_msg(&e));
    }
    if (st == RT_OK) {
        double gt[6] = {frame->x0, frame->px_m, 0.0, frame->y1, 0.0, -frame->px_m};
        fill_classes(frame, layers, rgba);
        if (GDALSetGeoTransform(ds, gt) != CE_None ||
            GDALDatasetRasterIO(ds, GF_Write, 0, 0, frame->width, frame->height, rgba, frame->width,
                                frame->height, GDT_Byte, 4, NULL, 4, 4 * frame->width,
                                1) != CE_None)
            st = rti_error(ctx, RT_E_IO, "map: cannot fill the image: %s", rti_gdal_msg(&e));
    }
    if (st == RT_OK)
        st = draw_borders(ctx, &e, ds, layers);
    if (st == RT_OK)
        st = draw_markers(ctx, &e, ds, frame, layers);
    if (st == RT_OK)
        st = encode_png(ctx, &e, ds, png, png_bytes);
    if (ds)
        GDALClose(ds);
    free(rgba);
    rti_gdal_pop(&e);
    return st;
}

/* ---- rings ---- */

typedef struct ring_buf {
    double *x, *y;
    int cap;
} ring_buf;

static rt_status walk_ring(rt_ctx *ctx, OGRGeometryH ring, ring_buf *b, rti_ring_fn fn, void *user)
{
    int n = OGR_G_GetPointCount(ring);
    if (n > b->cap) {
        double *x = rti_realloc_array(ctx, b->x, n, sizeof(double), "polygon ring");
        if (!x)
            return RT_E_NOMEM;
        b->x = x;
        double *y = rti_realloc_array(ctx, b->y, n, sizeof(double), "polygon ring");
        if (!y)
            return RT_E_NOMEM;
        b->y = y;
        b->cap = n;
    }
    if (n > 0)
        OGR_G_GetPoints(ring, b->x, sizeof(double), b->y, sizeof(double), NULL, 0);
    return fn(b->x, b->y, n, user);
}

static rt_status walk_polygon(rt_ctx *ctx, OGRGeometryH g, ring_buf *b, rti_ring_fn fn, void *user)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int n = OGR_G_GetGeometryCount(g);
    rt_status st = RT_OK;
    for (int k = 0; k < n && st == RT_OK; k++) {
        OGRGeometryH sub = OGR_G_GetGeometryRef(g, k);
        st = t == wkbPolygon ? walk_ring(ctx, sub, b, fn, user)
                             : walk_polygon(ctx, sub, b, fn, user);
    }
    return st;
}

rt_status rti_polygon_rings(rt_ctx *ctx, const rti_polygons *p, int64_t i, rti_ring_fn fn,
                            void *user)
{
    if (!p || !fn || i < 0 || i >= p->n)
        return rti_error(ctx, RT_E_ARG, "polygon rings: polygon %lld does not exist", (long long)i);
    if (!p->geom[i])
        return RT_OK;
    ring_buf b = {NULL, NULL, 0};
    rt_status st = walk_polygon(ctx, p->geom[i], &b, fn, user);
    free(b.x);
    free(b.y);
    return st;
}
