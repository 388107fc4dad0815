/* Opening vector layers, reading their features and fields. */
#define _POSIX_C_SOURCE 200809L
#include <cpl_string.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/io_internal.h"

/* ---- opening ---- */

const char *rti_geometry_type_name(OGRwkbGeometryType t)
{
    switch (wkbFlatten(t)) {
    case wkbPoint:
        return "Point";
    case wkbLineString:
        return "LineString";
    case wkbPolygon:
        return "Polygon";
    case wkbMultiPoint:
        return "MultiPoint";
    case wkbMultiLineString:
        return "MultiLineString";
    case wkbMultiPolygon:
        return "MultiPolygon";
    case wkbGeometryCollection:
        return "GeometryCollection";
    default:
        return OGRGeometryTypeToName(t);
    }
}

static rt_status list_layers(rt_ctx *ctx, const rti_layer_ref *ref, GDALDatasetH ds)
{
    char names[768] = "";
    int n = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names);
        const char *nm = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
        snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "", nm ? nm : "?");
    }
    return rti_error(ctx, RT_E_DATA, "%s: no layer '%s' (layers: %s)", ref->path, ref->layer,
                     n ? names : "none");
}

/* GDAL before 3.7 does not open a CSV file with a single column (no
 * separator on its header line; OSGeo/gdal#7595). Such a file is given to
 * GDAL as an in-memory copy whose header line ends in a comma, GDAL's own
 * workaround; the CSV driver then reads it as usual (one more, empty
 * column). Returns 1 when v->vsimem names the copy. */
static int single_column_csv(rt_ctx *ctx, const char *path, rti_vlayer *v)
{
    if (GDALVersionInfo("VERSION_NUM") && atoi(GDALVersionInfo("VERSION_NUM")) >= 3070000)
        return 0;
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f)
        return 0;
    int ok = 0;
    char head[4096];
    size_t got = VSIFReadL(head, 1, sizeof(head), f);
    size_t eol = 0;
    while (eol < got && head[eol] != '\n' && head[eol] != '\r')
        eol++;
    if (eol > 0 && eol < got && !memchr(head, ',', eol) && !memchr(head, ';', eol) &&
        !memchr(head, '\t', eol) && !memchr(head, '|', eol) && VSIFSeekL(f, 0, SEEK_END) == 0) {
        vsi_l_offset size = VSIFTellL(f);
        GByte *buf = size < (vsi_l_offset)1 << 40
                         ? rti_malloc_array(ctx, (int64_t)size + 1, 1, "single-column CSV")
                         : NULL;
        if (buf && VSIFSeekL(f, 0, SEEK_SET) == 0 && VSIFReadL(buf, 1, eol, f) == eol &&
            VSIFReadL(buf + eol + 1, 1, size - eol, f) == size - eol) {
            buf[eol] = ',';
            /* the same file name in a folder of its own: GDAL names the
             * layer after the file, as it would the original */
            const char *slash = strrchr(path, '/');
            snprintf(v->vsimem, sizeof(v->vsimem), "/vsimem/reistijd-%p/%s", (void *)v,
                     slash ? slash + 1 : path);
            VSILFILE *m = VSIFileFromMemBuffer(v->vsimem, buf, size + 1, TRUE);
            if (m) {
                VSIFCloseL(m);
                ok = 1;
                buf = NULL; /* owned by the in-memory file */
            }
        }
        free(buf);
    }
    VSIFCloseL(f);
    if (!ok)
        v->vsimem[0] = '\0';
    return ok;
}

static rt_status csv_coordinate_columns(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref);

static rt_status open_dataset(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref,
                              const char *const *extra, rti_vlayer *v, GDALDatasetH *out)
{
    char xopt[160], yopt[160];
    const char *opts[12] = {NULL};
    int k = 0;
    for (; extra && *extra && k < 4; extra++)
        opts[k++] = *extra;
    int is_csv = rti_is_csv_path(ref->path);
    if (ref->x_column) {
        snprintf(xopt, sizeof(xopt), "X_POSSIBLE_NAMES=%s", ref->x_column);
        opts[k++] = xopt;
    }
    if (ref->y_column) {
        snprintf(yopt, sizeof(yopt), "Y_POSSIBLE_NAMES=%s", ref->y_column);
        opts[k++] = yopt;
    }
    if (ref->x_column || ref->y_column)
        opts[k++] = "KEEP_GEOM_COLUMNS=NO";
    /* numbers in CSV columns are numbers (so filters like "schools > 0"
     * work), unless the caller says otherwise; quoted values and columns
     * typed in a .csvt file stay text. A column typed so keeps a copy as
     * written (<name>_original), from which ids and names are read: an id
     * 0363010000000001 is not the number 363010000000001. */
    if (is_csv && !CSLFetchNameValue((CSLConstList)opts, "AUTODETECT_TYPE")) {
        opts[k++] = "AUTODETECT_TYPE=YES";
        opts[k++] = "QUOTED_FIELDS_AS_STRING=YES";
        opts[k++] = "KEEP_SOURCE_COLUMNS=YES";
        v->csv_typed = 1;
    }
    rt_status st = rti_input_open(ctx, e, ref->path, ref->allow_remote);
    if (st == RT_OK && is_csv && (ref->x_column || ref->y_column))
        st = csv_coordinate_columns(ctx, e, ref);
    if (st != RT_OK)
        return st;
    rti_gdal_clear(e);
    const char *open_path = ref->path;
    if (is_csv && single_column_csv(ctx, ref->path, v))
        open_path = v->vsimem;
    *out = GDALOpenEx(open_path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL,
                      k ? opts : NULL, NULL);
    if (!*out)
        return rti_error(ctx, RT_E_IO, "%s: cannot open as a vector source: %s%s", ref->path,
                         rti_gdal_msg(e), rti_remote_note(e));
    return RT_OK;
}

/* 1 when GDAL's CSV driver takes column `name` for the pattern list
 * `patterns` of X_POSSIBLE_NAMES/Y_POSSIBLE_NAMES: names separated by
 * commas, without regard to case, a '*' at either end matching anything. */
static int csv_name_matches(const char *name, const char *patterns)
{
    char pat[160];
    for (const char *p = patterns; *p;) {
        size_t n = strcspn(p, ",");
        snprintf(pat, sizeof(pat), "%.*s", (int)n, p);
        p += n + (p[n] == ',');
        size_t m = strlen(pat), len = strlen(name);
        int head = m > 0 && pat[0] == '*', tail = m > 1 && pat[m - 1] == '*';
        const char *core = pat + head;
        size_t nc = m - (size_t)head - (size_t)tail;
        int hit;
        if (head && tail) {
            hit = 0;
            for (size_t i = 0; !hit && i + nc <= len; i++)
                hit = strncasecmp(name + i, core, nc) == 0;
        } else if (tail)
            hit = strncasecmp(name, core, nc) == 0;
        else if (head)
            hit = len >= nc && strncasecmp(name + len - nc, core, nc) == 0;
        else
            hit = strcasecmp(name, core) == 0;
        if (hit)
            return 1;
    }
    return 0;
}

/* The CSV file opened without the coordinate options (and without typing
 * its columns: only the names are needed). */
static rt_status csv_open_plain(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref,
                                rti_vlayer *w, GDALDatasetH *ds, OGRFeatureDefnH *defn)
{
    static const char *const untyped[] = {"AUTODETECT_TYPE=NO", NULL};
    rti_layer_ref plain = *ref;
    plain.x_column = plain.y_column = NULL;
    memset(w, 0, sizeof(*w));
    *ds = NULL;
    rt_status st = open_dataset(ctx, e, &plain, untyped, w, ds);
    *defn = st == RT_OK ? OGR_L_GetLayerDefn(GDALDatasetGetLayer(*ds, 0)) : NULL;
    return st;
}

static void csv_close_plain(rti_vlayer *w, GDALDatasetH ds)
{
    if (ds)
        GDALClose(ds);
    if (w->vsimem[0])
        VSIUnlink(w->vsimem);
}

/* Each of x_column and y_column matches one column of the CSV file at
 * most: which would hold the coordinates is otherwise a guess, and GDAL
 * 3.6's CSV reader crashes on a row when two columns match the y
 * pattern before the x column. */
static rt_status csv_coordinate_columns(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref)
{
    rti_vlayer w;
    GDALDatasetH ds;
    OGRFeatureDefnH defn;
    rt_status st = csv_open_plain(ctx, e, ref, &w, &ds, &defn);
    int n = defn ? OGR_FD_GetFieldCount(defn) : 0;
    const char *key[2] = {"x_column", "y_column"}, *pat[2] = {ref->x_column, ref->y_column};
    for (int a = 0; st == RT_OK && a < 2; a++) {
        int first = -1;
        for (int i = 0; pat[a] && i < n && st == RT_OK; i++) {
            if (!csv_name_matches(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), pat[a]))
                continue;
            if (first < 0) {
                first = i;
                continue;
            }
            st = rti_error(ctx, RT_E_DATA,
                           "%s: columns %d ('%s') and %d ('%s') both match %s '%s'; the "
                           "coordinates must come from one column each",
                           ref->path, first + 1,
                           OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, first)), i + 1,
                           OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), key[a], pat[a]);
        }
    }
    csv_close_plain(&w, ds);
    return st;
}

/* A CSV file read for points whose layer has no geometry: x_column or
 * y_column is not a column of the file. The columns are listed from the
 * file opened again without the coordinate options. */
static rt_status csv_coordinates_missing(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref,
                                         const rti_vlayer *v)
{
    rti_vlayer w;
    GDALDatasetH ds;
    OGRFeatureDefnH defn;
    rt_status st = csv_open_plain(ctx, e, ref, &w, &ds, &defn);
    if (st != RT_OK)
        return st;
    char names[1024];
    int x_found = !ref->x_column, y_found = !ref->y_column;
    int n = defn ? OGR_FD_GetFieldCount(defn) : 0;
    rti_column_list(defn, 0, names, sizeof(names)); /* opened untyped */
    for (int i = 0; i < n; i++) {
        const char *nm = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        x_found |= ref->x_column && csv_name_matches(nm, ref->x_column);
        y_found |= ref->y_column && csv_name_matches(nm, ref->y_column);
    }
    csv_close_plain(&w, ds);
    char what[400];
    if (!x_found && !y_found)
        snprintf(what, sizeof(what), "no columns '%.150s' (x_column) and '%.150s' (y_column)",
                 ref->x_column, ref->y_column);
    else if (!x_found || !y_found)
        snprintf(what, sizeof(what), "no column '%.300s' (%s)",
                 !x_found ? ref->x_column : ref->y_column, !x_found ? "x_column" : "y_column");
    else
        snprintf(what, sizeof(what), "no points from the columns '%.150s' and '%.150s'",
                 ref->x_column ? ref->x_column : "", ref->y_column ? ref->y_column : "");
    return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s for the coordinates (columns: %s)",
                     ref->path, v->name, what, names);
}

/* The reason SQLite gives for a filter a GeoPackage or SQLite layer
 * refused, into buf ("no such column: soortx"): GDAL names only the SQL
 * that failed, but the same filter in a statement of its own brings the
 * database's message, after the statement. "" when there is none. */
static void database_reason(rti_gdal_err *e, const rti_vlayer *v, char *buf, size_t size)
{
    buf[0] = '\0';
    const char *drv = GDALGetDriverShortName(GDALGetDatasetDriver(v->ds));
    if (!drv || (strcmp(drv, "GPKG") != 0 && strcmp(drv, "SQLite") != 0))
        return;
    char layer[512], sql[2048];
    size_t k = 0;
    for (const char *p = OGR_L_GetName(v->lyr); *p && k + 2 < sizeof(layer); p++) {
        if (*p == '"')
            layer[k++] = '"';
        layer[k++] = *p;
    }
    layer[k] = '\0';
    /* the filter ends the statement, as in GDAL's own: "incomplete input"
     * for one cut short, not an error near a parenthesis of ours */
    int n = snprintf(sql, sizeof(sql), "SELECT 1 FROM \"%s\" WHERE %s", layer, v->where);
    if (n < 0 || (size_t)n >= sizeof(sql))
        return;
    rti_gdal_clear(e);
    OGRLayerH res = GDALDatasetExecuteSQL(v->ds, sql, NULL, "NATIVE");
    if (res)
        GDALDatasetReleaseResultSet(v->ds, res);
    const char *at = strstr(e->msg, sql);
    if (!at || strncmp(at + n, "):", 2) != 0)
        return;
    at += n + 2;
    while (*at == ' ')
        at++;
    snprintf(buf, size, "%s", at);
}

/* The column a refused filter names that the layer lacks, from SQLite's
 * "no such column: X" or OGR's "\"X\" not recognised as an available
 * field", into buf; "" when the reason is another. */
static void unknown_column(const char *reason, char *buf, size_t size)
{
    const char *p = strstr(reason, "no such column: ");
    const char *q = strstr(reason, "\" not recognised as an available field");
    buf[0] = '\0';
    if (p) {
        p += strlen("no such column: ");
        snprintf(buf, size, "%.*s", (int)strcspn(p, " ;"), p);
    } else if (q && reason[0] == '"') {
        snprintf(buf, size, "%.*s", (int)(q - reason - 1), reason + 1);
    }
}

/* Sets the attribute filter. Drivers that hand the filter to a database
 * (GeoPackage: SQLite) only complain when reading, so one feature is read
 * to surface a bad filter here. The message gives the database's reason
 * and, for a column the layer lacks, the nearest column. */
rt_status rti_vlayer_filter(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, const char *where)
{
    v->where = where;
    rti_gdal_clear(e);
    if (OGR_L_SetAttributeFilter(v->lyr, v->where) == OGRERR_NONE) {
        OGRFeatureH f = OGR_L_GetNextFeature(v->lyr);
        if (f)
            OGR_F_Destroy(f);
        OGR_L_ResetReading(v->lyr);
        if (!e->n_fail)
            return RT_OK;
    }
    char reason[RTI_GDAL_MSG_BYTES], db[RTI_GDAL_MSG_BYTES], col[256], names[1024];
    snprintf(reason, sizeof(reason), "%s", rti_gdal_msg(e));
    database_reason(e, v, db, sizeof(db));
    if (db[0])
        snprintf(reason, sizeof(reason), "%s", db);
    size_t len = strlen(reason);
    while (len > 0 && (reason[len - 1] == '.' || reason[len - 1] == ' '))
        reason[--len] = '\0'; /* OGR's sentence ends with a full stop */
    unknown_column(reason, col, sizeof(col));
    if (!col[0])
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': invalid filter \"%s\": %s", v->path,
                         v->name, v->where, reason);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(v->lyr);
    const char *near = rti_column_suggest(ctx, defn, v->csv_typed, col);
    rti_column_list(defn, v->csv_typed, names, sizeof(names));
    return rti_error(ctx, RT_E_DATA,
                     "%s: layer '%s': invalid filter \"%s\": %s%s%s%s (columns: %s)", v->path,
                     v->name, v->where, reason, near ? "; did you mean '" : "", near ? near : "",
                     near ? "'?" : "", names);
}

/* GeoPackages mark "no CRS" with these placeholder definitions. */
static int is_undefined_srs(OGRSpatialReferenceH srs)
{
    const char *name = OSRGetName(srs);
    return name && (strcmp(name, "Undefined geographic SRS") == 0 ||
                    strcmp(name, "Undefined Cartesian SRS") == 0);
}

static rt_status setup_transform(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref,
                                 const char *crs, rti_vlayer *v)
{
    char what[512];
    OGRSpatialReferenceH src = NULL;
    snprintf(what, sizeof(what), "%s: layer '%s'", v->path, v->name);
    rt_status st = rti_srs_from_user(ctx, e, crs, "analysis CRS", &v->dst_srs);
    if (st != RT_OK)
        return st;
    OGRSpatialReferenceH lsrs = OGR_L_GetSpatialRef(v->lyr);
    if (lsrs && !is_undefined_srs(lsrs)) {
        src = OSRClone(lsrs);
        if (!src)
            return rti_error(ctx, RT_E_NOMEM, "%s: out of memory copying the CRS", what);
        OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
        st = rti_srs_check(ctx, src, what);
        if (st != RT_OK) {
            OSRRelease(src);
            return st;
        }
    } else if (ref->crs) {
        st = rti_srs_from_user(ctx, e, ref->crs, what, &src);
        if (st != RT_OK)
            return st;
        rti_log(ctx, RT_LOG_INFO, "%s has no CRS; assuming %.200s", what, ref->crs);
    } else {
        return rti_error(ctx, RT_E_CRS,
                         "%s has no CRS; set `crs:` for this source in the study file, or give the "
                         "file one (ogr2ogr -a_srs EPSG:28992)",
                         what);
    }
    if (!OSRIsSame(src, v->dst_srs)) {
        const char *from = OSRGetName(src), *to = OSRGetName(v->dst_srs);
        rti_gdal_clear(e);
        v->ct = OCTNewCoordinateTransformation(src, v->dst_srs);
        if (!v->ct)
            st = rti_error(ctx, RT_E_CRS, "%s: cannot transform from %s to the analysis CRS %s: %s",
                           what, from ? from : "?", to ? to : "?", rti_gdal_msg(e));
        else
            rti_log(ctx, RT_LOG_INFO, "%s: transforming from %s to %s", what, from ? from : "?",
                    to ? to : "?");
    }
    OSRRelease(src);
    return st;
}

int rti_is_osm_path(const char *path)
{
    size_t len = strlen(path);
    return (len > 4 && strcasecmp(path + len - 4, ".osm") == 0) ||
           (len > 4 && strcasecmp(path + len - 4, ".pbf") == 0);
}

rt_status rti_vlayer_open(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref, const char *crs,
                          rti_vlayer *v)
{
    if (ref && ref->path && ref->osm_config && rti_is_osm_path(ref->path)) {
        char opt[1100];
        snprintf(opt, sizeof(opt), "CONFIG_FILE=%s", ref->osm_config);
        const char *const opts[] = {opt, NULL};
        return rti_vlayer_open_opts(ctx, e, ref, crs, opts, v);
    }
    return rti_vlayer_open_opts(ctx, e, ref, crs, NULL, v);
}

rt_status rti_vlayer_open_opts(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref,
                               const char *crs, const char *const *open_options, rti_vlayer *v)
{
    memset(v, 0, sizeof(*v));
    if (!ref || !ref->path)
        return rti_error(ctx, RT_E_ARG, "vector source: no path given");
    v->path = ref->path;
    v->where = ref->where;
    rt_status st = open_dataset(ctx, e, ref, open_options, v, &v->ds);
    if (st != RT_OK)
        goto fail;
    if (ref->layer) {
        v->lyr = GDALDatasetGetLayerByName(v->ds, ref->layer);
        if (!v->lyr) {
            st = list_layers(ctx, ref, v->ds);
            goto fail;
        }
    } else {
        if (GDALDatasetGetLayerCount(v->ds) < 1) {
            st = rti_error(ctx, RT_E_DATA, "%s: has no vector layers", ref->path);
            goto fail;
        }
        v->lyr = GDALDatasetGetLayer(v->ds, 0);
    }
    snprintf(v->name, sizeof(v->name), "%s", OGR_L_GetName(v->lyr));
    v->csv_xy = rti_is_csv_path(ref->path) && (ref->x_column || ref->y_column);
    if (v->csv_xy && OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(v->lyr)) == 0) {
        st = csv_coordinates_missing(ctx, e, ref, v);
        goto fail;
    }
    if (ref->where && ref->where[0]) {
        st = rti_vlayer_filter(ctx, e, v, ref->where);
        if (st != RT_OK)
            goto fail;
    }
    if (crs) {
        st = setup_transform(ctx, e, ref, crs, v);
        if (st != RT_OK)
            goto fail;
    }
    return RT_OK;
fail:
    st = rti_error_rename(ctx, st, v->vsimem, ref->path);
    rti_vlayer_close(v);
    return st;
}

void rti_vlayer_close(rti_vlayer *v)
{
    if (v->ct)
        OCTDestroyCoordinateTransformation(v->ct);
    if (v->dst_srs)
        OSRRelease(v->dst_srs);
    if (v->ds)
        GDALClose(v->ds);
    if (v->vsimem[0])
        VSIUnlink(v->vsimem);
    v->vsimem[0] = '\0';
    v->ct = NULL;
    v->dst_srs = NULL;
    v->ds = NULL;
    v->lyr = NULL;
}

rt_status rti_vlayer_column(rt_ctx *ctx, const rti_vlayer *v, const char *col, int *idx)
{
    *idx = -1;
    if (!col)
        return RT_OK;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(v->lyr);
    *idx = OGR_FD_GetFieldIndex(defn, col);
    if (*idx >= 0)
        return RT_OK;
    return rti_missing_column(ctx, v, col, NULL);
}

rt_status rti_vlayer_text_column(rt_ctx *ctx, const rti_vlayer *v, const char *col, int *idx)
{
    rt_status st = rti_vlayer_column(ctx, v, col, idx);
    if (st != RT_OK || *idx < 0 || !v->csv_typed)
        return st;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(v->lyr);
    if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, *idx)) == OFTString)
        return RT_OK; /* not typed: as written already */
    char copy[320];
    snprintf(copy, sizeof(copy), "%s_original", col);
    const int k = OGR_FD_GetFieldIndex(defn, copy);
    *idx = k >= 0 ? k : *idx;
    return RT_OK;
}

int rti_field_blank(OGRFeatureH f, int idx)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, idx))
        return 1;
    for (const char *s = OGR_F_GetFieldAsString(f, idx); *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

const char *rti_feature_label(char *buf, size_t n, int64_t fid, const char *id)
{
    if (id)
        snprintf(buf, n, "feature %lld (id '%s')", (long long)fid, id);
    else
        snprintf(buf, n, "feature %lld", (long long)fid);
    return buf;
}

rt_status rti_field_number(rt_ctx *ctx, const rti_vlayer *v, OGRFeatureH f, int idx,
                           const char *label, double *out)
{
    *out = NAN;
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return RT_OK;
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, idx);
    OGRFieldType t = OGR_Fld_GetType(fd);
    const char *col = OGR_Fld_GetNameRef(fd);
    if (OGR_Fld_GetSubType(fd) == OFSTBoolean) /* GeoJSON's true and false: 1 and 0 to GDAL */
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: column '%s' holds true or false, not a number",
                         v->path, v->name, label, col);
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        double d = OGR_F_GetFieldAsDouble(f, idx);
        if (!rti_number_in_range(d))
            return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': value %g %s",
                             v->path, v->name, label, col, d, rti_number_range_rule(d));
        *out = d;
        return RT_OK;
    }
    if (t != OFTString)
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': column '%s' is of type %s, not a number",
                         v->path, v->name, col, OGR_GetFieldTypeName(t));
    const char *s = OGR_F_GetFieldAsString(f, idx);
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return RT_OK;
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    while (end && isspace((unsigned char)*end))
        end++;
    if (end == s || (end && *end))
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': '%s' is not a number",
                         v->path, v->name, label, col, s);
    if (errno == ERANGE && d != 0.0)
        d = d > 0 ? HUGE_VAL : -HUGE_VAL; /* beyond the doubles: refused below */
    if (errno == ERANGE && d == 0.0)
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: column '%s': '%s' is too close to 0 to be held as "
                         "a number",
                         v->path, v->name, label, col, s);
    if (!rti_number_in_range(d))
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': '%s' %s", v->path,
                         v->name, label, col, s, rti_number_range_rule(d));
    *out = d;
    return RT_OK;
}

/* Curved geometries become linear ones; Z and M are dropped. */
static OGRGeometryH linear_2d(OGRGeometryH g)
{
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0.0, NULL);
        if (lin) {
            OGR_G_DestroyGeometry(g);
            g = lin;
        }
    }
    OGR_G_FlattenTo2D(g);
    return g;
}

rt_status rti_feature_geometry(rt_ctx *ctx, rti_gdal_err *e, const rti_vlayer *v, OGRFeatureH f,
                               const char *label, OGRGeometryH *out)
{
    *out = NULL;
    OGRGeometryH g = OGR_F_StealGeometry(f);
    if (!g)
        return RT_OK;
    if (OGR_G_IsEmpty(g)) {
        OGR_G_DestroyGeometry(g);
        return RT_OK;
    }
    g = linear_2d(g);
    rt_status st = rti_check_vertices(ctx, v, g, label, 0);
    if (st != RT_OK)
        return st;
    if (v->ct) {
        rti_gdal_clear(e);
        if (OGR_G_Transform(g, v->ct) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(g);
            return rti_error(ctx, RT_E_CRS,
                             "%s: layer '%s': %s: cannot transform to the analysis CRS: %s",
                             v->path, v->name, label, rti_gdal_msg(e));
        }
        st = rti_check_vertices(ctx, v, g, label, 1);
        if (st != RT_OK)
            return st;
    }
    OGR_G_AssignSpatialReference(g, v->dst_srs);
    *out = g;
    return RT_OK;
}

rt_status rti_each_feature(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, rti_feature_fn fn,
                           void *user)
{
    int64_t n_nogeom = 0, first_nogeom = -1;
    rt_status st = RT_OK;
    OGRFeatureH f;
    char label[64];
    OGR_L_ResetReading(v->lyr);
    rti_gdal_clear(e);
    while (st == RT_OK && (f = OGR_L_GetNextFeature(v->lyr)) != NULL) {
        OGRGeometryH g = NULL;
        int64_t fid = OGR_F_GetFID(f);
        rti_feature_label(label, sizeof(label), fid, NULL);
        st = rti_feature_geometry(ctx, e, v, f, label, &g);
        if (st == RT_OK && !g) {
            if (n_nogeom++ == 0)
                first_nogeom = fid;
        } else if (st == RT_OK) {
            st = fn(ctx, v, f, &g, label, user);
        }
        if (g)
            OGR_G_DestroyGeometry(g);
        OGR_F_Destroy(f);
    }
    if (st == RT_OK && e->n_fail)
        return rti_error_rename(ctx,
                                rti_error(ctx, RT_E_IO, "%s: layer '%s': reading failed: %s%s",
                                          v->path, v->name, rti_gdal_msg(e), rti_remote_note(e)),
                                v->vsimem, v->path);
    if (st == RT_OK)
        rti_warn_no_geometry(ctx, v, n_nogeom, first_nogeom);
    return st;
}

rt_status rti_grow_field(rt_ctx *ctx, void **field, int64_t cap, size_t size, const char *what)
{
    void *q = rti_realloc_array(ctx, *field, cap, size, what);
    if (!q)
        return RT_E_NOMEM;
    *field = q;
    return RT_OK;
}

void rti_free_texts(char **texts, int64_t n)
{
    for (int64_t i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
}

void rti_warn_no_geometry(rt_ctx *ctx, rti_vlayer *v, int64_t n, int64_t first_fid)
{
    v->n_nogeom = n;
    if (n > 0)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: layer '%s': skipped %lld feature%s without a geometry (first: feature %lld)%s",
                v->path, v->name, (long long)n, n == 1 ? "" : "s", (long long)first_fid,
                rti_csv_xy_note(v));
}
