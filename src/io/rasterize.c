/* Burning vector geometries onto the analysis grid. */
#define _POSIX_C_SOURCE 200809L
#include <cpl_string.h>
#include <gdal_alg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"

/* Rasterizes n geometries into band 1 of ds with one burn value each. */
static rt_status burn(rt_ctx *ctx, rti_gdal_err *e, GDALDatasetH ds, int64_t n, OGRGeometryH *geom,
                      const double *values, const char *const *opts, const char *what)
{
    int bands[1] = {1};
    if (n > 0x7fffffff)
        return rti_error(ctx, RT_E_ARG, "%s: %lld geometries are more than GDAL can burn at once",
                         what, (long long)n);
    rti_gdal_clear(e);
    CPLErr err = GDALRasterizeGeometries(ds, 1, bands, (int)n, geom, NULL, NULL, values,
                                         (CSLConstList)opts, NULL, NULL);
    if (err == CE_None)
        GDALFlushCache(ds);
    if (err != CE_None || e->n_fail)
        return rti_error(ctx, RT_E_IO, "%s: rasterizing failed: %s", what, rti_gdal_msg(e));
    return RT_OK;
}

/* ---- polygons ---- */

rt_status rti_rasterize_polygons(rt_ctx *ctx, const rti_polygons *polys, const rti_grid_spec *grid,
                                 int32_t *out, int64_t *n_overlap)
{
    rti_gdal_err e;
    GDALDatasetH ds = NULL, cds = NULL;
    double *values = NULL;
    uint8_t *count = NULL;
    rt_status st = rti_grid_check(ctx, grid);
    if (st != RT_OK)
        return st;
    if (!polys || !out || polys->n < 0)
        return rti_error(ctx, RT_E_ARG, "rasterize polygons: no polygons or output given");
    int64_t ncell = (int64_t)grid->nx * grid->ny;
    for (int64_t i = 0; i < ncell; i++)
        out[i] = -1;
    if (n_overlap)
        *n_overlap = 0;
    if (polys->n == 0)
        return RT_OK;
    if (polys->n > INT32_MAX)
        return rti_error(ctx, RT_E_ARG,
                         "rasterize polygons: %lld polygons do not fit an int32 "
                         "index",
                         (long long)polys->n);
    rti_gdal_push(&e, ctx, NULL);
    values = rti_malloc_array(ctx, polys->n, sizeof(double), "polygon burn values");
    if (!values) {
        st = RT_E_NOMEM;
        goto out;
    }
    for (int64_t i = 0; i < polys->n; i++)
        values[i] = (double)i;
    /* later polygons overwrite earlier ones: the later feature wins */
    st = rti_mem_dataset(ctx, &e, grid, GDT_Int32, out, &ds);
    if (st == RT_OK)
        st = burn(ctx, &e, ds, polys->n, (OGRGeometryH *)polys->geom, values, NULL, "polygons");
    if (st != RT_OK || !n_overlap)
        goto out;
    /* Overlaps: add 1 per polygon into a byte counter. GDAL clamps the sum
     * to 255 for a byte band, and only "more than one" matters here. */
    st = rti_budget_check(ctx, (uint64_t)ncell, "polygon overlap count");
    if (st != RT_OK)
        goto out;
    count = rti_malloc_array(ctx, ncell, 1, "polygon overlap count");
    if (!count) {
        st = RT_E_NOMEM;
        goto out;
    }
    for (int64_t i = 0; i < polys->n; i++)
        values[i] = 1.0;
    const char *add[] = {"MERGE_ALG=ADD", NULL};
    st = rti_mem_dataset(ctx, &e, grid, GDT_Byte, count, &cds);
    if (st == RT_OK)
        st = burn(ctx, &e, cds, polys->n, (OGRGeometryH *)polys->geom, values, add, "polygons");
    if (st != RT_OK)
        goto out;
    for (int64_t i = 0; i < ncell; i++)
        *n_overlap += count[i] > 1;
out:
    if (cds)
        GDALClose(cds);
    if (ds)
        GDALClose(ds);
    rti_gdal_pop(&e);
    free(count);
    free(values);
    if (st != RT_OK)
        for (int64_t i = 0; i < ncell; i++)
            out[i] = -1;
    return st;
}

/* ---- polygon cells outside the grid ---- */

/* Tiles of at most RTI_TILE x RTI_TILE cells (one byte each) are burned
 * at a time, so a large polygon needs no more than 4 MiB. */
#define RTI_TILE 2048

/* Counts the cells of the lattice rectangle rows r0..r1, cols c0..c1
 * (inclusive, in the grid's numbering, which may be negative or beyond the
 * grid) whose centre lies inside geometry g. */
static rt_status count_rect(rt_ctx *ctx, rti_gdal_err *e, const rti_grid_spec *grid, OGRGeometryH g,
                            int64_t r0, int64_t r1, int64_t c0, int64_t c1, uint8_t **buf,
                            int64_t *buf_n, int64_t *n)
{
    for (int64_t tr = r0; tr <= r1; tr += RTI_TILE) {
        for (int64_t tc = c0; tc <= c1; tc += RTI_TILE) {
            int64_t h = r1 - tr + 1 < RTI_TILE ? r1 - tr + 1 : RTI_TILE;
            int64_t w = c1 - tc + 1 < RTI_TILE ? c1 - tc + 1 : RTI_TILE;
            if (rt_ctx_cancel_requested(ctx))
                return rti_error(ctx, RT_E_CANCELLED, "polygons outside the grid: cancelled");
            if (w * h > *buf_n) {
                void *q = rti_realloc_array(ctx, *buf, w * h, 1, "polygon cells outside the grid");
                if (!q)
                    return RT_E_NOMEM;
                *buf = q;
                *buf_n = w * h;
            }
            memset(*buf, 0, (size_t)(w * h));
            rti_grid_spec t = *grid;
            t.x0 = grid->x0 + (double)tc * grid->cell_m;
            t.y1 = grid->y1 - (double)tr * grid->cell_m;
            t.nx = (int32_t)w;
            t.ny = (int32_t)h;
            GDALDatasetH ds = NULL;
            double one = 1.0;
            rt_status st = rti_mem_dataset(ctx, e, &t, GDT_Byte, *buf, &ds);
            if (st == RT_OK)
                st = burn(ctx, e, ds, 1, &g, &one, NULL, "polygons outside the grid");
            if (ds)
                GDALClose(ds);
            if (st != RT_OK)
                return st;
            for (int64_t i = 0; i < w * h; i++)
                *n += (*buf)[i];
        }
    }
    return RT_OK;
}

rt_status rti_polygons_count_off_grid(rt_ctx *ctx, const rti_polygons *polys,
                                      const rti_grid_spec *grid, int64_t *off)
{
    rt_status st = rti_grid_check(ctx, grid);
    if (st != RT_OK)
        return st;
    if (!polys || !off || polys->n < 0)
        return rti_error(ctx, RT_E_ARG, "count polygon cells: no polygons or output given");
    rti_gdal_err e;
    uint8_t *buf = NULL;
    int64_t buf_n = 0;
    const double s = grid->cell_m, eps = 1e-9;
    const double gx1 = grid->x0 + grid->nx * s, gy0 = grid->y1 - grid->ny * s;
    rti_gdal_push(&e, ctx, NULL);
    for (int64_t k = 0; k < polys->n && st == RT_OK; k++) {
        OGRGeometryH g = (OGRGeometryH)polys->geom[k];
        off[k] = 0;
        if (!g || OGR_G_IsEmpty(g))
            continue;
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        if (env.MaxX < grid->x0 || env.MinX > gx1 || env.MaxY < gy0 || env.MinY > grid->y1) {
            off[k] = -1; /* wholly outside the grid: not counted */
            continue;
        }
        /* the lattice cells whose centre lies within the envelope */
        double c0 = ceil((env.MinX - grid->x0) / s - 0.5 - eps);
        double c1 = floor((env.MaxX - grid->x0) / s - 0.5 + eps);
        double r0 = ceil((grid->y1 - env.MaxY) / s - 0.5 - eps);
        double r1 = floor((grid->y1 - env.MinY) / s - 0.5 + eps);
        if (c0 > c1 || r0 > r1 || (c0 >= 0 && c1 < grid->nx && r0 >= 0 && r1 < grid->ny))
            continue; /* no centre at all, or only centres of the grid */
        if (!(fabs(c0) < 9e15 && fabs(c1) < 9e15 && fabs(r0) < 9e15 && fabs(r1) < 9e15)) {
            st = rti_error(ctx, RT_E_DATA,
                           "polygon %lld: its extent is too far from the grid to count its cells",
                           (long long)k);
            break;
        }
        int64_t a0 = (int64_t)c0, a1 = (int64_t)c1, b0 = (int64_t)r0, b1 = (int64_t)r1;
        /* the rectangle minus the grid: rows above and below it, then the
         * columns left and right of it within the grid's rows */
        int64_t in0 = b0 > 0 ? b0 : 0, in1 = b1 < grid->ny - 1 ? b1 : grid->ny - 1;
        if (b0 < 0)
            st = count_rect(ctx, &e, grid, g, b0, b1 < -1 ? b1 : -1, a0, a1, &buf, &buf_n, &off[k]);
        if (st == RT_OK && b1 >= grid->ny)
            st = count_rect(ctx, &e, grid, g, b0 > grid->ny ? b0 : grid->ny, b1, a0, a1, &buf,
                            &buf_n, &off[k]);
        if (st == RT_OK && in0 <= in1 && a0 < 0)
            st = count_rect(ctx, &e, grid, g, in0, in1, a0, a1 < -1 ? a1 : -1, &buf, &buf_n,
                            &off[k]);
        if (st == RT_OK && in0 <= in1 && a1 >= grid->nx)
            st = count_rect(ctx, &e, grid, g, in0, in1, a0 > grid->nx ? a0 : grid->nx, a1, &buf,
                            &buf_n, &off[k]);
    }
    rti_gdal_pop(&e);
    free(buf);
    if (st != RT_OK)
        for (int64_t k = 0; k < polys->n; k++)
            off[k] = 0;
    return st;
}

/* ---- lines ---- */

typedef struct line_set {
    int64_t n, cap;
    OGRGeometryH *geom;
    double *value;
    int64_t *fid;
} line_set;

static void line_set_free(line_set *s)
{
    for (int64_t i = 0; i < s->n; i++)
        OGR_G_DestroyGeometry(s->geom[i]);
    free(s->geom);
    free(s->value);
    free(s->fid);
    memset(s, 0, sizeof(*s));
}

static rt_status line_set_add(rt_ctx *ctx, line_set *s, OGRFeatureH f, OGRGeometryH g, double value)
{
    if (s->n == s->cap) {
        int64_t cap = s->cap ? 2 * s->cap : 256;
        void *q = rti_realloc_array(ctx, s->geom, cap, sizeof(*s->geom), "road lines");
        if (!q)
            return RT_E_NOMEM;
        s->geom = q;
        q = rti_realloc_array(ctx, s->value, cap, sizeof(*s->value), "road lines");
        if (!q)
            return RT_E_NOMEM;
        s->value = q;
        q = rti_realloc_array(ctx, s->fid, cap, sizeof(*s->fid), "road lines");
        if (!q)
            return RT_E_NOMEM;
        s->fid = q;
        s->cap = cap;
    }
    s->geom[s->n] = g;
    s->value[s->n] = value;
    s->fid[s->n] = OGR_F_GetFID(f);
    s->n++;
    return RT_OK;
}

typedef struct line_rule {
    int value_idx, class_idx;
    const rti_class_value *classes;
    int n_classes;
    double default_value;
} line_rule;

static rt_status line_value(rt_ctx *ctx, const rti_vlayer *v, OGRFeatureH f, const line_rule *r,
                            const char *label, double *out)
{
    if (r->value_idx >= 0) {
        rt_status st = rti_field_number(ctx, v, f, r->value_idx, label, out);
        if (st == RT_OK && isnan(*out)) /* no speed given: the default, if any */
            *out = r->default_value;
        return st;
    }
    *out = r->default_value;
    if (r->class_idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, r->class_idx))
        return RT_OK;
    const char *cls = OGR_F_GetFieldAsString(f, r->class_idx);
    for (int k = 0; k < r->n_classes; k++) {
        if (r->classes[k].name && strcmp(r->classes[k].name, cls) == 0) {
            *out = r->classes[k].value;
            break;
        }
    }
    return RT_OK;
}

typedef struct line_read {
    const line_rule *r;
    line_set *s;
    int64_t *n_skipped;
    int keep_all; /* also the lines without a usable value (NaN) */
} line_read;

static rt_status add_line(rt_ctx *ctx, rti_vlayer *v, OGRFeatureH f, OGRGeometryH *g,
                          const char *label, void *user)
{
    line_read *lr = user;
    double value = NAN;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(*g));
    if (t != wkbLineString && t != wkbMultiLineString)
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: geometry type %s, expected LineString or "
                         "MultiLineString",
                         v->path, v->name, label, rti_geometry_type_name(t));
    rt_status st = line_value(ctx, v, f, lr->r, label, &value);
    if (st != RT_OK)
        return st;
    if (!isfinite(value) && !lr->keep_all) {
        (*lr->n_skipped)++;
        return RT_OK;
    }
    st = line_set_add(ctx, lr->s, f, *g, isfinite(value) ? value : NAN);
    if (st == RT_OK)
        *g = NULL; /* adopted */
    return st;
}

/* Reads the line features with a finite value into s (keep_all: every
 * line, NaN for those without). */
static rt_status read_lines(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, const line_rule *r,
                            int keep_all, line_set *s, int64_t *n_skipped)
{
    line_read lr = {r, s, n_skipped, keep_all};
    return rti_each_feature(ctx, e, v, add_line, &lr);
}

static int fid_cmp(const void *pa, const void *pb)
{
    const int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* The feature ids that filter `where` keeps, sorted, into *fid. */
static rt_status filter_fids(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, const char *where,
                             int64_t **fid, int64_t *n)
{
    *fid = NULL;
    *n = 0;
    rt_status st = rti_vlayer_filter(ctx, e, v, where);
    int64_t cap = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(v->lyr);
    while (st == RT_OK && (f = OGR_L_GetNextFeature(v->lyr)) != NULL) {
        if (*n == cap)
            st = rti_grow_field(ctx, (void **)fid, cap = cap ? 2 * cap : 256, sizeof(int64_t),
                                "road filter");
        if (st == RT_OK)
            (*fid)[(*n)++] = OGR_F_GetFID(f);
        OGR_F_Destroy(f);
    }
    if (st == RT_OK && e->n_fail)
        st = rti_error(ctx, RT_E_IO, "%s: layer '%s': reading with filter \"%s\" failed: %s",
                       v->path, v->name, where, rti_gdal_msg(e));
    if (st == RT_OK && *n)
        qsort(*fid, (size_t)*n, sizeof(int64_t), fid_cmp);
    return st;
}

/* Part p of line g: g itself for a LineString. */
static OGRGeometryH line_part(OGRGeometryH g, int p)
{
    return wkbFlatten(OGR_G_GetGeometryType(g)) == wkbLineString ? g : OGR_G_GetGeometryRef(g, p);
}

/* The point halfway along line g (a MultiLineString: its parts in order,
 * a gap between two parts counted as a straight line, as an NWB wegvak's
 * edge has it), found as on the edges of a road graph; NaN for a line
 * without length. */
static void line_middle(OGRGeometryH g, double *mx, double *my)
{
    const int np =
        wkbFlatten(OGR_G_GetGeometryType(g)) == wkbLineString ? 1 : OGR_G_GetGeometryCount(g);
    double half = INFINITY; /* the first pass measures, the second finds */
    *mx = *my = NAN;
    for (int pass = 0; pass < 2; pass++) {
        double done = 0, px = 0, py = 0;
        int have = 0;
        for (int p = 0; p < np; p++) {
            OGRGeometryH q = line_part(g, p);
            for (int i = 0; i < OGR_G_GetPointCount(q); i++) {
                const double x = OGR_G_GetX(q, i), y = OGR_G_GetY(q, i);
                const double d = have ? hypot(x - px, y - py) : 0.0;
                if (have && done + d >= half) {
                    const double t = d > 0 ? fmin(fmax((half - done) / d, 0.0), 1.0) : 0.0;
                    *mx = px + t * (x - px);
                    *my = py + t * (y - py);
                    return;
                }
                done += d;
                px = x, py = y, have = 1;
            }
        }
        if (pass == 1) { /* past the last vertex by rounding: its end */
            *mx = px, *my = py;
            return;
        }
        if (!(done > 0))
            return;
        half = 0.5 * done;
    }
}

/* The lines of s given their values by pick: the filters' matches and
 * the middles handed to it; the lines it leaves without a value dropped
 * (counted in *n_skipped when they had none before). */
static rt_status pick_lines(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, const rti_line_pick *pick,
                            line_set *s, int64_t *n_skipped)
{
    unsigned *match = rti_malloc_array(ctx, s->n, sizeof(unsigned), "road lines");
    double *mx = rti_malloc_array(ctx, s->n, sizeof(double), "road lines");
    double *my = rti_malloc_array(ctx, s->n, sizeof(double), "road lines");
    uint8_t *none = rti_malloc_array(ctx, s->n, 1, "road lines");
    rt_status st = match && mx && my && none ? RT_OK : RT_E_NOMEM;
    if (st == RT_OK && (pick->n_filters < 0 || pick->n_filters > 32))
        st = rti_error(ctx, RT_E_ARG, "burn lines: %d filters (at most 32)", pick->n_filters);
    for (int k = 0; st == RT_OK && k < pick->n_filters; k++) {
        int64_t *fid = NULL, n = 0;
        st = filter_fids(ctx, e, v, pick->filters[k], &fid, &n);
        for (int64_t i = 0; st == RT_OK && i < s->n; i++)
            if (n && bsearch(&s->fid[i], fid, (size_t)n, sizeof(int64_t), fid_cmp))
                match[i] |= 1u << k;
        free(fid);
    }
    for (int64_t i = 0; st == RT_OK && i < s->n; i++) {
        line_middle(s->geom[i], &mx[i], &my[i]);
        none[i] = isnan(s->value[i]);
    }
    if (st == RT_OK)
        st = pick->fn(ctx, pick->user, s->n, match, mx, my, s->value);
    int64_t kept = 0;
    for (int64_t i = 0; st == RT_OK && i < s->n; i++) {
        if (isfinite(s->value[i])) {
            s->geom[kept] = s->geom[i];
            s->value[kept] = s->value[i];
            s->fid[kept++] = s->fid[i];
            continue;
        }
        OGR_G_DestroyGeometry(s->geom[i]);
        *n_skipped += none[i];
    }
    if (st == RT_OK)
        s->n = kept;
    free(match);
    free(mx);
    free(my);
    free(none);
    return st;
}

typedef struct line_key {
    double value;
    int64_t index;
} line_key;

static int line_key_cmp(const void *a, const void *b)
{
    const line_key *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Sorts the lines by value, ascending; ties keep the feature order. */
static rt_status sort_lines(rt_ctx *ctx, line_set *s)
{
    line_key *k = rti_malloc_array(ctx, s->n, sizeof(*k), "sorting road lines");
    OGRGeometryH *g = rti_malloc_array(ctx, s->n, sizeof(*g), "sorting road lines");
    if (!k || !g) {
        free(k);
        free(g);
        return RT_E_NOMEM;
    }
    for (int64_t i = 0; i < s->n; i++) {
        k[i].value = s->value[i];
        k[i].index = i;
    }
    qsort(k, (size_t)s->n, sizeof(*k), line_key_cmp);
    for (int64_t i = 0; i < s->n; i++) {
        g[i] = s->geom[k[i].index];
        s->value[i] = k[i].value;
    }
    free(s->geom);
    s->geom = g;
    s->cap = s->n;
    free(k);
    return RT_OK;
}

rt_status rti_burn_lines_max(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                             const char *value_col, const char *class_col,
                             const rti_class_value *classes, int n_classes, double default_value,
                             float *grid_values, int64_t *n_burned, int64_t *n_skipped)
{
    return rti_burn_lines_pick(ctx, ref, grid, value_col, class_col, classes, n_classes,
                               default_value, NULL, grid_values, n_burned, n_skipped);
}

rt_status rti_burn_lines_pick(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                              const char *value_col, const char *class_col,
                              const rti_class_value *classes, int n_classes, double default_value,
                              const rti_line_pick *pick, float *grid_values, int64_t *n_burned,
                              int64_t *n_skipped)
{
    rti_gdal_err e;
    rti_vlayer v;
    line_set s = {0};
    line_rule r = {-1, -1, classes, n_classes, default_value};
    GDALDatasetH ds = NULL;
    float *burned = NULL;
    int64_t skipped = 0;
    if (n_burned)
        *n_burned = 0;
    if (n_skipped)
        *n_skipped = 0;
    rt_status st = rti_grid_check(ctx, grid);
    if (st != RT_OK)
        return st;
    if (!grid_values || !ref || (value_col && class_col) ||
        (!value_col && !class_col && !isfinite(default_value) && !pick) ||
        (class_col && (n_classes < 0 || (n_classes > 0 && !classes))))
        return rti_error(ctx, RT_E_ARG,
                         "burn lines: give a grid and at most one of a value column and a class "
                         "column (neither: a finite default value for every line)");
    int64_t ncell = (int64_t)grid->nx * grid->ny;
    rti_gdal_push(&e, ctx, ref->path);
    st = rti_vlayer_open(ctx, &e, ref, grid->crs, &v);
    if (st != RT_OK)
        goto out_pop;
    st = rti_vlayer_column(ctx, &v, value_col, &r.value_idx);
    if (st == RT_OK)
        st = rti_vlayer_text_column(ctx, &v, class_col, &r.class_idx);
    if (st == RT_OK)
        st = read_lines(ctx, &e, &v, &r, pick != NULL, &s, &skipped);
    if (st == RT_OK && pick && s.n)
        st = pick_lines(ctx, &e, &v, pick, &s, &skipped);
    if (st != RT_OK || s.n == 0)
        goto out;
    /* GDAL 3.6 has no MAX merge: burn in ascending value order so that
     * where lines cross, the last (highest) value is the one left. */
    st = sort_lines(ctx, &s);
    if (st == RT_OK)
        st = rti_budget_check(ctx, (uint64_t)ncell * sizeof(float), "burning lines");
    if (st != RT_OK)
        goto out;
    burned = rti_malloc_array(ctx, ncell, sizeof(float), "burned lines");
    if (!burned) {
        st = RT_E_NOMEM;
        goto out;
    }
    for (int64_t i = 0; i < ncell; i++)
        burned[i] = NAN;
    const char *opts[] = {"ALL_TOUCHED=TRUE", NULL};
    st = rti_mem_dataset(ctx, &e, grid, GDT_Float32, burned, &ds);
    if (st == RT_OK)
        st = burn(ctx, &e, ds, s.n, s.geom, s.value, opts, ref->path);
    if (st != RT_OK)
        goto out;
    for (int64_t i = 0; i < ncell; i++)
        if (isfinite(burned[i]) && !(grid_values[i] >= burned[i]))
            grid_values[i] = burned[i];
    if (n_burned)
        *n_burned = s.n;
out:
    if (ds)
        GDALClose(ds);
    rti_vlayer_close(&v);
out_pop:
    rti_gdal_pop(&e);
    if (st == RT_OK && n_skipped)
        *n_skipped = skipped;
    free(burned);
    line_set_free(&s);
    return st;
}
