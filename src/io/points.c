/* Reading point features: facilities and population points, with ids,
 * names and values, from any vector source (src/io/vector.c opens it). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

void rti_points_free(rti_points *p)
{
    if (!p)
        return;
    rti_free_texts(p->id, p->n);
    rti_free_texts(p->name, p->n);
    free(p->x);
    free(p->y);
    free(p->value);
    free(p->fid);
    memset(p, 0, sizeof(*p));
}

static rt_status points_grow(rt_ctx *ctx, rti_points *p, int64_t cap, int with_name)
{
#define RTI_GROW(field) rti_grow_field(ctx, (void **)&p->field, cap, sizeof(*p->field), "points")
    rt_status st = RTI_GROW(x);
    st = st ? st : RTI_GROW(y);
    st = st ? st : RTI_GROW(id);
    st = st ? st : RTI_GROW(value);
    st = st ? st : RTI_GROW(fid);
    st = st || !with_name ? st : RTI_GROW(name);
#undef RTI_GROW
    return st;
}

/* The representative point of a feature geometry (see io.h). */
static rt_status point_of(rt_ctx *ctx, const rti_vlayer *v, OGRGeometryH g, const char *label,
                          double *x, double *y)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    OGRGeometryH pt = NULL;
    if (t == wkbPoint) {
        *x = OGR_G_GetX(g, 0);
        *y = OGR_G_GetY(g, 0);
        return RT_OK;
    }
    if (t == wkbMultiPoint) {
        pt = OGR_G_CreateGeometry(wkbPoint);
        if (pt && OGR_G_Centroid(g, pt) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(pt);
            pt = NULL;
        }
    } else if (t == wkbPolygon || t == wkbMultiPolygon) {
        pt = OGR_G_PointOnSurface(g);
    } else {
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: geometry type %s, expected Point, MultiPoint, "
                         "Polygon or MultiPolygon",
                         v->path, v->name, label, rti_geometry_type_name(t));
    }
    if (!pt || OGR_G_IsEmpty(pt)) {
        if (pt)
            OGR_G_DestroyGeometry(pt);
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: cannot compute a point for the %s",
                         v->path, v->name, label, rti_geometry_type_name(t));
    }
    *x = OGR_G_GetX(pt, 0);
    *y = OGR_G_GetY(pt, 0);
    OGR_G_DestroyGeometry(pt);
    return RT_OK;
}

/* Reads id (required text when idx >= 0) into *id, owned by the caller. */
static rt_status feature_id(rt_ctx *ctx, const rti_vlayer *v, OGRFeatureH f, int idx, int64_t fid,
                            char **id)
{
    char buf[32];
    const char *s;
    if (idx < 0) {
        snprintf(buf, sizeof(buf), "%lld", (long long)fid);
        s = buf;
    } else if (rti_field_blank(f, idx)) {
        return rti_error(
            ctx, RT_E_DATA, "%s: layer '%s': feature %lld: id column '%s' is empty or blank",
            v->path, v->name, (long long)fid, OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, idx)));
    } else {
        s = OGR_F_GetFieldAsString(f, idx);
    }
    *id = rti_strdup(ctx, s, "feature id");
    return *id ? RT_OK : RT_E_NOMEM;
}

static rt_status feature_name(rt_ctx *ctx, OGRFeatureH f, int idx, char **name)
{
    const char *s = OGR_F_IsFieldSetAndNotNull(f, idx) ? OGR_F_GetFieldAsString(f, idx) : "";
    *name = rti_strdup(ctx, s, "feature name");
    return *name ? RT_OK : RT_E_NOMEM;
}

typedef struct point_cols {
    int id, name, value;
} point_cols;

/* Reads one feature with a geometry into slot p->n. */
static rt_status point_feature(rt_ctx *ctx, const rti_vlayer *v, OGRFeatureH f, OGRGeometryH g,
                               const point_cols *c, rti_points *p)
{
    char label[320];
    int64_t i = p->n, fid = OGR_F_GetFID(f);
    rt_status st = feature_id(ctx, v, f, c->id, fid, &p->id[i]);
    if (st != RT_OK)
        return st;
    p->fid[i] = fid;
    if (p->name)
        p->name[i] = NULL;
    p->n++;        /* from here on the slot is owned by p */
    if (p->name) { /* points_grow made names: a name column was given */
        st = feature_name(ctx, f, c->name, &p->name[i]);
        if (st != RT_OK)
            return st;
    }
    rti_feature_label(label, sizeof(label), fid, c->id >= 0 ? p->id[i] : NULL);
    st = rti_field_number(ctx, v, f, c->value, label, &p->value[i]);
    if (st != RT_OK)
        return st;
    return point_of(ctx, v, g, label, &p->x[i], &p->y[i]);
}

typedef struct point_read {
    const point_cols *c;
    rti_points *p;
    int64_t cap;
} point_read;

static rt_status add_point(rt_ctx *ctx, rti_vlayer *v, OGRFeatureH f, OGRGeometryH *g,
                           const char *label, void *user)
{
    (void)label;
    point_read *r = user;
    if (r->p->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        rt_status st = points_grow(ctx, r->p, r->cap, r->c->name >= 0);
        if (st != RT_OK)
            return st;
    }
    return point_feature(ctx, v, f, *g, r->c, r->p);
}

static rt_status read_point_features(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v,
                                     const point_cols *c, rti_points *p)
{
    point_read r = {c, p, 0};
    return rti_each_feature(ctx, e, v, add_point, &r);
}

rt_status rti_empty_layer_error(rt_ctx *ctx, const rti_vlayer *v)
{
    const char *filter = v->where && v->where[0] ? v->where : "none";
    if (v->n_nogeom)
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s' has no features with a geometry (%lld without; "
                         "filter: %s)%s",
                         v->path, v->name, (long long)v->n_nogeom, filter, rti_csv_xy_note(v));
    return rti_error(ctx, RT_E_DATA, "%s: layer '%s' has no features (filter: %s)", v->path,
                     v->name, filter);
}

rt_status rti_read_points(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                          const char *id_col, const char *name_col, const char *value_col,
                          rti_points *out)
{
    rti_gdal_err e;
    rti_vlayer v;
    point_cols c;
    memset(out, 0, sizeof(*out));
    rti_gdal_push(&e, ctx, ref ? ref->path : NULL);
    rt_status st = rti_vlayer_open(ctx, &e, ref, crs, &v);
    if (st != RT_OK)
        goto out_pop;
    st = rti_vlayer_text_column(ctx, &v, id_col, &c.id);
    if (st == RT_OK)
        st = rti_vlayer_text_column(ctx, &v, name_col, &c.name);
    if (st == RT_OK)
        st = rti_vlayer_column(ctx, &v, value_col, &c.value);
    if (st == RT_OK)
        st = read_point_features(ctx, &e, &v, &c, out);
    if (st == RT_OK && out->n == 0)
        st = rti_empty_layer_error(ctx, &v);
    rti_vlayer_close(&v);
out_pop:
    rti_gdal_pop(&e);
    if (st != RT_OK)
        rti_points_free(out);
    return st;
}
