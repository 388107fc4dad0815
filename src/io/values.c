/* Checks of what is read from a layer: numbers from columns within the
 * range the grids and networks hold, finite vertices, and the message of a
 * column the layer lacks. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "io/io_internal.h"

/* At most this many columns are named in a message: a layer of CBS
 * statistics has about a hundred. */
#define COLUMNS_LISTED 12

int rti_column_is_source_copy(OGRFeatureDefnH defn, int copies, int i)
{
    if (!copies)
        return 0;
    const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    const size_t len = strlen(name), suf = strlen("_original");
    if (len <= suf || strcmp(name + len - suf, "_original") != 0 || len - suf >= 320)
        return 0;
    char base[320];
    memcpy(base, name, len - suf);
    base[len - suf] = '\0';
    return OGR_FD_GetFieldIndex(defn, base) >= 0;
}

void rti_column_list(OGRFeatureDefnH defn, int copies, char *buf, size_t size)
{
    int n = defn ? OGR_FD_GetFieldCount(defn) : 0, shown = 0, more = 0;
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (rti_column_is_source_copy(defn, copies, i))
            continue;
        if (shown == COLUMNS_LISTED || len >= size) {
            more++;
            continue;
        }
        int w = snprintf(buf + len, size - len, "%s%s", shown ? ", " : "",
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        len += w > 0 ? (size_t)w : 0;
        shown++;
    }
    if (more && len < size)
        snprintf(buf + len, size - len, " and %d more", more);
    if (shown == 0 && more == 0)
        snprintf(buf, size, "none");
}

const char *rti_column_suggest(rt_ctx *ctx, OGRFeatureDefnH defn, int copies, const char *col)
{
    int n = defn && col ? OGR_FD_GetFieldCount(defn) : 0;
    const char **names =
        n > 0 ? rti_malloc_array(ctx, (int64_t)n + 1, sizeof(*names), "column names") : NULL;
    if (!names)
        return NULL;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!rti_column_is_source_copy(defn, copies, i))
            names[m++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    names[m] = NULL;
    const char *near = rti_suggest(col, names);
    free(names);
    return near;
}

rt_status rti_missing_column(rt_ctx *ctx, const rti_vlayer *v, const char *col, const char *what)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(v->lyr);
    int n = OGR_FD_GetFieldCount(defn);
    /* a layer without features may have no columns either (GeoJSON): the
     * cause is the empty layer, not the column */
    GIntBig count = OGR_L_GetFeatureCount(v->lyr, TRUE);
    if (n == 0 && count == 0)
        return rti_empty_layer_error(ctx, v);
    char names[1024];
    rti_column_list(defn, v->csv_typed, names, sizeof(names));
    const char *empty = count == 0 ? "; the layer has no features" : "";
    if (what)
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s (columns: %s%s)", v->path, v->name,
                         what, names, empty);
    const char *near = rti_column_suggest(ctx, defn, v->csv_typed, col);
    return rti_error(ctx, RT_E_DATA, "%s: layer '%s': no column '%s'%s%s%s (columns: %s%s)",
                     v->path, v->name, col, near ? "; did you mean '" : "", near ? near : "",
                     near ? "'?" : "", names, empty);
}

int rti_number_in_range(double d) { return isfinite(d) && fabs(d) <= FLT_MAX; }

const char *rti_number_range_rule(double d)
{
    if (isnan(d))
        return "is not a number (NaN)";
    if (isinf(d))
        return "is infinite";
    return "lies beyond +-3.4e38, the largest magnitude read (grids, lengths and speeds are "
           "32-bit floats)";
}

/* 1 when every vertex of g is finite and within +-limit; else 0 with the
 * first other one in (*x, *y). */
static int vertices_within(OGRGeometryH g, double limit, double *x, double *y)
{
    int n = OGR_G_GetGeometryCount(g);
    for (int i = 0; i < n; i++)
        if (!vertices_within(OGR_G_GetGeometryRef(g, i), limit, x, y))
            return 0;
    int np = n > 0 ? 0 : OGR_G_GetPointCount(g);
    for (int i = 0; i < np; i++) {
        *x = OGR_G_GetX(g, i);
        *y = OGR_G_GetY(g, i);
        if (!isfinite(*x) || !isfinite(*y) || fabs(*x) > limit || fabs(*y) > limit)
            return 0;
    }
    return 1;
}

rt_status rti_check_vertices(rt_ctx *ctx, const rti_vlayer *v, OGRGeometryH g, const char *label,
                             int transformed)
{
    /* without a transformation g is in the analysis CRS already (or, for a
     * table opened without one, in its own, where 1e9 is no limit either) */
    const int analysis_crs = transformed || !v->ct;
    double x = 0, y = 0;
    if (vertices_within(g, analysis_crs ? RTI_MAX_COORD_M : INFINITY, &x, &y))
        return RT_OK;
    OGR_G_DestroyGeometry(g);
    const char *where = transformed ? "the geometry in the analysis CRS" : "the geometry";
    if (!isfinite(x) || !isfinite(y))
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: %s has a vertex (%g, %g) whose coordinates are not "
                         "finite numbers",
                         v->path, v->name, label, where, x, y);
    return rti_error(ctx, RT_E_DATA,
                     "%s: layer '%s': %s: %s has a vertex (%.10g, %.10g) that lies beyond %g m of "
                     "the origin of the analysis CRS; no position on Earth does",
                     v->path, v->name, label, where, x, y, RTI_MAX_COORD_M);
}

const char *rti_csv_xy_note(const rti_vlayer *v)
{
    return v->csv_xy ? "; a row of a CSV file has no point when its x_column or y_column value "
                       "is empty or not a finite number"
                     : "";
}
