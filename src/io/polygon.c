/* Reading polygon features, with GEOS validity checks and repair. */
#define _POSIX_C_SOURCE 200809L
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

/* One GEOS context per call; its messages land in msg / the log. */
struct rti_geos {
    rt_ctx *ctx;
    GEOSContextHandle_t h;
    GEOSWKBReader *reader;
    GEOSWKBWriter *writer;
    char msg[512];
};

static void geos_error(const char *message, void *user)
{
    rti_geos *gs = user;
    snprintf(gs->msg, sizeof(gs->msg), "%s", message);
}

static void geos_notice(const char *message, void *user)
{
    rti_geos *gs = user;
    rti_log(gs->ctx, RT_LOG_DEBUG, "GEOS: %s", message);
}

void rti_geos_close(rti_geos *gs)
{
    if (!gs)
        return;
    if (gs->reader)
        GEOSWKBReader_destroy_r(gs->h, gs->reader);
    if (gs->writer)
        GEOSWKBWriter_destroy_r(gs->h, gs->writer);
    if (gs->h)
        GEOS_finish_r(gs->h);
    free(gs);
}

rt_status rti_geos_open(rt_ctx *ctx, rti_geos **out)
{
    rti_geos *gs = calloc(1, sizeof(*gs));
    *out = NULL;
    if (!gs)
        return rti_error(ctx, RT_E_NOMEM, "cannot create a GEOS context");
    gs->ctx = ctx;
    gs->h = GEOS_init_r();
    if (!gs->h) {
        free(gs);
        return rti_error(ctx, RT_E_NOMEM, "cannot create a GEOS context");
    }
    GEOSContext_setErrorMessageHandler_r(gs->h, geos_error, gs);
    GEOSContext_setNoticeMessageHandler_r(gs->h, geos_notice, gs);
    gs->reader = GEOSWKBReader_create_r(gs->h);
    gs->writer = GEOSWKBWriter_create_r(gs->h);
    if (!gs->reader || !gs->writer) {
        rti_geos_close(gs);
        return rti_error(ctx, RT_E_NOMEM, "cannot create GEOS WKB reader/writer");
    }
    *out = gs;
    return RT_OK;
}

static const char *geos_msg(const rti_geos *gs)
{
    return gs->msg[0] ? gs->msg : "no further detail from GEOS";
}

/* ---- OGR <-> GEOS through WKB ---- */

static rt_status ogr_to_geos(rt_ctx *ctx, rti_geos *gs, OGRGeometryH g, const char *where,
                             GEOSGeometry **out)
{
    *out = NULL;
    size_t n = OGR_G_WkbSizeEx(g);
    unsigned char *wkb = rti_malloc_array(ctx, (int64_t)n, 1, "polygon WKB");
    if (!wkb)
        return RT_E_NOMEM;
    rt_status st = RT_OK;
    if (OGR_G_ExportToWkb(g, wkbNDR, wkb) != OGRERR_NONE)
        st = rti_error(ctx, RT_E_DATA, "%s: cannot encode the geometry as WKB", where);
    if (st == RT_OK) {
        gs->msg[0] = '\0';
        *out = GEOSWKBReader_read_r(gs->h, gs->reader, wkb, n);
        if (!*out)
            st = rti_error(ctx, RT_E_DATA, "%s: GEOS cannot read the geometry: %s", where,
                           geos_msg(gs));
    }
    free(wkb);
    return st;
}

static rt_status geos_to_ogr(rt_ctx *ctx, rti_geos *gs, const GEOSGeometry *gg,
                             OGRSpatialReferenceH srs, const char *where, OGRGeometryH *out)
{
    size_t n = 0;
    *out = NULL;
    gs->msg[0] = '\0';
    unsigned char *wkb = GEOSWKBWriter_write_r(gs->h, gs->writer, gg, &n);
    if (!wkb)
        return rti_error(ctx, RT_E_DATA, "%s: GEOS cannot write the repaired geometry: %s", where,
                         geos_msg(gs));
    rt_status st = RT_OK;
    if (OGR_G_CreateFromWkbEx(wkb, srs, out, n) != OGRERR_NONE || !*out)
        st = rti_error(ctx, RT_E_DATA, "%s: cannot decode the repaired geometry", where);
    GEOSFree_r(gs->h, wkb);
    return st;
}

/* ---- keeping the polygonal part of a GEOSMakeValid result ---- */

static int count_polygons(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON)
        return GEOSisEmpty_r(h, g) == 0;
    if (t != GEOS_MULTIPOLYGON && t != GEOS_GEOMETRYCOLLECTION)
        return 0;
    int n = 0, k = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < k; i++)
        n += count_polygons(h, GEOSGetGeometryN_r(h, g, i));
    return n;
}

static int collect_polygons(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry **parts,
                            int n)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g) == 0 && (parts[n] = GEOSGeom_clone_r(h, g)) != NULL)
            n++;
        return n;
    }
    if (t != GEOS_MULTIPOLYGON && t != GEOS_GEOMETRYCOLLECTION)
        return n;
    int k = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < k; i++)
        n = collect_polygons(h, GEOSGetGeometryN_r(h, g, i), parts, n);
    return n;
}

/* The Polygon/MultiPolygon part of g as a new geometry in *out, or NULL
 * when g has none. */
static rt_status polygonal_part(rt_ctx *ctx, GEOSContextHandle_t h, const GEOSGeometry *g,
                                GEOSGeometry **out)
{
    *out = NULL;
    int want = count_polygons(h, g);
    if (want == 0)
        return RT_OK;
    GEOSGeometry **parts = rti_malloc_array(ctx, want, sizeof(*parts), "polygon parts");
    if (!parts)
        return RT_E_NOMEM;
    int n = collect_polygons(h, g, parts, 0);
    if (n == 1) {
        *out = parts[0];
    } else if (n > 1) {
        *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)n);
        if (!*out)
            for (int i = 0; i < n; i++)
                GEOSGeom_destroy_r(h, parts[i]);
    }
    free(parts);
    return RT_OK;
}

rt_status rti_geos_validate(rt_ctx *ctx, rti_geos *gs, OGRGeometryH *g, const char *where,
                            int repair, char *reason, size_t reason_size)
{
    GEOSGeometry *gg = NULL, *fixed = NULL, *poly = NULL;
    OGRGeometryH og = NULL;
    reason[0] = '\0';
    rt_status st = ogr_to_geos(ctx, gs, *g, where, &gg);
    if (st != RT_OK)
        goto out;
    gs->msg[0] = '\0';
    char valid = GEOSisValid_r(gs->h, gg);
    if (valid == 1)
        goto out;
    if (valid != 0) {
        st =
            rti_error(ctx, RT_E_DATA, "%s: polygon validity check failed: %s", where, geos_msg(gs));
        goto out;
    }
    char *r = GEOSisValidReason_r(gs->h, gg);
    snprintf(reason, reason_size, "%s", r ? r : "reason unknown");
    if (r)
        GEOSFree_r(gs->h, r);
    if (!repair) {
        st = rti_error(ctx, RT_E_DATA, "%s: invalid polygon (%s); repair is off", where, reason);
        goto out;
    }
    gs->msg[0] = '\0';
    /* the "structure" method: overlapping parts of a multipolygon keep
     * their union (the default "linework" one drops the overlap, which
     * would turn land into water and leave cells of a region in none) */
    GEOSMakeValidParams *mp = GEOSMakeValidParams_create_r(gs->h);
    if (mp && GEOSMakeValidParams_setMethod_r(gs->h, mp, GEOS_MAKE_VALID_STRUCTURE) &&
        GEOSMakeValidParams_setKeepCollapsed_r(gs->h, mp, 0))
        fixed = GEOSMakeValidWithParams_r(gs->h, gg, mp);
    if (mp)
        GEOSMakeValidParams_destroy_r(gs->h, mp);
    if (!fixed) {
        st = rti_error(ctx, RT_E_DATA, "%s: invalid polygon (%s); repair failed: %s", where, reason,
                       geos_msg(gs));
        goto out;
    }
    st = polygonal_part(ctx, gs->h, fixed, &poly);
    if (st != RT_OK)
        goto out;
    if (!poly) {
        st = rti_error(ctx, RT_E_DATA, "%s: invalid polygon (%s); repair left no polygon", where,
                       reason);
        goto out;
    }
    st = geos_to_ogr(ctx, gs, poly, OGR_G_GetSpatialReference(*g), where, &og);
    if (st != RT_OK)
        goto out;
    OGR_G_DestroyGeometry(*g);
    *g = og;
out:
    if (poly)
        GEOSGeom_destroy_r(gs->h, poly);
    if (fixed)
        GEOSGeom_destroy_r(gs->h, fixed);
    if (gg)
        GEOSGeom_destroy_r(gs->h, gg);
    return st;
}

/* Checks *g with GEOS and, when invalid, repairs it in place (with a
 * warning) or fails. */
static rt_status check_polygon(rt_ctx *ctx, rti_geos *gs, OGRGeometryH *g, const char *where,
                               int repair, int *repaired)
{
    char reason[512];
    rt_status st = rti_geos_validate(ctx, gs, g, where, repair, reason, sizeof(reason));
    if (st == RT_OK && reason[0]) {
        (*repaired)++;
        rti_log(ctx, RT_LOG_WARNING, "%s: invalid polygon (%s); repaired", where, reason);
    }
    return st;
}

/* ---- the layer ---- */

void rti_polygons_free(rti_polygons *p)
{
    if (!p)
        return;
    for (int64_t i = 0; p->geom && i < p->n; i++)
        if (p->geom[i])
            OGR_G_DestroyGeometry(p->geom[i]);
    rti_free_texts(p->id, p->n);
    rti_free_texts(p->name, p->n);
    free(p->value);
    free(p->fid);
    free(p->geom);
    free(p->px);
    free(p->py);
    memset(p, 0, sizeof(*p));
}

static rt_status polygons_grow(rt_ctx *ctx, rti_polygons *p, int64_t cap, int with_name)
{
#define RTI_GROW(field) rti_grow_field(ctx, (void **)&p->field, cap, sizeof(*p->field), "polygons")
    rt_status st = RTI_GROW(id);
    st = st ? st : RTI_GROW(value);
    st = st ? st : RTI_GROW(fid);
    st = st ? st : RTI_GROW(geom);
    st = st ? st : RTI_GROW(px);
    st = st ? st : RTI_GROW(py);
    st = st || !with_name ? st : RTI_GROW(name);
#undef RTI_GROW
    return st;
}

typedef struct poly_read {
    rti_vlayer *v;
    rti_geos *gs;
    int id, name, value; /* column indices, -1 none */
    int repair;
} poly_read;

static rt_status text_field(rt_ctx *ctx, OGRFeatureH f, int idx, int64_t fid, char **out)
{
    char buf[32];
    const char *s = "";
    if (idx < 0) {
        snprintf(buf, sizeof(buf), "%lld", (long long)fid);
        s = buf;
    } else if (OGR_F_IsFieldSetAndNotNull(f, idx)) {
        s = OGR_F_GetFieldAsString(f, idx);
    }
    *out = rti_strdup(ctx, s, "feature attribute");
    return *out ? RT_OK : RT_E_NOMEM;
}

/* Reads one feature (geometry g, adopted) into slot p->n. */
static rt_status polygon_feature(rt_ctx *ctx, poly_read *pr, OGRFeatureH f, OGRGeometryH g,
                                 rti_polygons *p)
{
    char label[320], where[900];
    const rti_vlayer *v = pr->v;
    int64_t i = p->n, fid = OGR_F_GetFID(f);
    p->geom[i] = g;
    p->fid[i] = fid;
    p->id[i] = NULL;
    if (p->name)
        p->name[i] = NULL;
    p->n++; /* from here on the slot is owned by p */
    if (pr->id >= 0 && rti_field_blank(f, pr->id))
        return rti_error(
            ctx, RT_E_DATA, "%s: layer '%s': feature %lld: id column '%s' is empty or blank",
            v->path, v->name, (long long)fid, OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, pr->id)));
    rt_status st = text_field(ctx, f, pr->id, fid, &p->id[i]);
    if (st == RT_OK && p->name) /* polygons_grow made names: a name column was given */
        st = text_field(ctx, f, pr->name, fid, &p->name[i]);
    if (st != RT_OK)
        return st;
    rti_feature_label(label, sizeof(label), fid, pr->id >= 0 ? p->id[i] : NULL);
    snprintf(where, sizeof(where), "%s: layer '%s': %s", v->path, v->name, label);
    st = rti_field_number(ctx, v, f, pr->value, label, &p->value[i]);
    if (st != RT_OK)
        return st;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t != wkbPolygon && t != wkbMultiPolygon)
        return rti_error(ctx, RT_E_DATA, "%s: geometry type %s, expected Polygon or MultiPolygon",
                         where, rti_geometry_type_name(t));
    st = check_polygon(ctx, pr->gs, (OGRGeometryH *)&p->geom[i], where, pr->repair, &p->n_repaired);
    if (st != RT_OK)
        return st;
    OGRGeometryH pos = OGR_G_PointOnSurface(p->geom[i]);
    p->px[i] = pos && !OGR_G_IsEmpty(pos) ? OGR_G_GetX(pos, 0) : NAN;
    p->py[i] = pos && !OGR_G_IsEmpty(pos) ? OGR_G_GetY(pos, 0) : NAN;
    if (pos)
        OGR_G_DestroyGeometry(pos);
    OGREnvelope env;
    OGR_G_GetEnvelope(p->geom[i], &env);
    if (i == 0 || env.MinX < p->bbox[0])
        p->bbox[0] = env.MinX;
    if (i == 0 || env.MinY < p->bbox[1])
        p->bbox[1] = env.MinY;
    if (i == 0 || env.MaxX > p->bbox[2])
        p->bbox[2] = env.MaxX;
    if (i == 0 || env.MaxY > p->bbox[3])
        p->bbox[3] = env.MaxY;
    return RT_OK;
}

typedef struct poly_add {
    poly_read *pr;
    rti_polygons *p;
    int64_t cap;
} poly_add;

static rt_status add_polygon(rt_ctx *ctx, rti_vlayer *v, OGRFeatureH f, OGRGeometryH *g,
                             const char *label, void *user)
{
    (void)v;
    (void)label;
    poly_add *a = user;
    if (a->p->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        rt_status st = polygons_grow(ctx, a->p, a->cap, a->pr->name >= 0);
        if (st != RT_OK)
            return st;
    }
    rt_status st = polygon_feature(ctx, a->pr, f, *g, a->p);
    *g = NULL; /* adopted by the slot, even on error */
    return st;
}

static rt_status read_polygon_features(rt_ctx *ctx, rti_gdal_err *e, poly_read *pr, rti_polygons *p)
{
    poly_add a = {pr, p, 0};
    return rti_each_feature(ctx, e, pr->v, add_polygon, &a);
}

rt_status rti_read_polygons(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                            const char *id_col, const char *name_col, const char *value_col,
                            int repair, rti_polygons *out)
{
    rti_gdal_err e;
    rti_vlayer v;
    poly_read pr;
    memset(out, 0, sizeof(*out));
    memset(&pr, 0, sizeof(pr));
    rti_gdal_push(&e, ctx, ref ? ref->path : NULL);
    rt_status st = rti_vlayer_open(ctx, &e, ref, crs, &v);
    if (st != RT_OK)
        goto out_pop;
    pr.v = &v;
    pr.repair = repair;
    st = rti_vlayer_text_column(ctx, &v, id_col, &pr.id);
    if (st == RT_OK)
        st = rti_vlayer_text_column(ctx, &v, name_col, &pr.name);
    if (st == RT_OK)
        st = rti_vlayer_column(ctx, &v, value_col, &pr.value);
    if (st == RT_OK)
        st = rti_geos_open(ctx, &pr.gs);
    if (st == RT_OK)
        st = read_polygon_features(ctx, &e, &pr, out);
    if (st == RT_OK && out->n == 0)
        st = rti_empty_layer_error(ctx, &v);
    rti_geos_close(pr.gs);
    rti_vlayer_close(&v);
out_pop:
    rti_gdal_pop(&e);
    if (st != RT_OK)
        rti_polygons_free(out);
    return st;
}

rt_status rti_polygons_contain(rt_ctx *ctx, const rti_polygons *polys, int64_t n, const double *x,
                               const double *y, uint8_t *inside)
{
    memset(inside, 0, (size_t)n);
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    if (!pt)
        return rti_error(ctx, RT_E_NOMEM, "out of memory for a point");
    for (int64_t i = 0; i < polys->n; i++) {
        OGRGeometryH g = polys->geom[i];
        if (!g)
            continue;
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        for (int64_t k = 0; k < n; k++) {
            if (inside[k] || x[k] < env.MinX || x[k] > env.MaxX || y[k] < env.MinY ||
                y[k] > env.MaxY)
                continue;
            OGR_G_SetPoint_2D(pt, 0, x[k], y[k]);
            inside[k] = OGR_G_Contains(g, pt) ? 1 : 0;
        }
    }
    OGR_G_DestroyGeometry(pt);
    return RT_OK;
}
