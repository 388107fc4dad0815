/* Study file parser: YAML (libfyaml) -> struct rt_study.
 *
 * The file is read into memory, checked to be UTF-8, parsed into a libfyaml
 * document (syntax errors and duplicate keys are collected through a
 * struct fy_diag, never printed) and then walked section by section. Every
 * mapping is checked for unknown keys first; every value is checked for its
 * type and range. Errors read "FILE:LINE:COLUMN: key 'a.b[2].c': what", with
 * the position of the key (or of the list element) in the file. On any
 * error the study is cleared, so the caller never sees a partial struct.
 * The format is described in docs/study-file.md. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "core/roadnet.h"
#include "study/spec/spec.h"

#define MAX_FILE_BYTES 16777216 /* a study file is small text */
#define MAX_NAME_CHARS 64       /* facility types and region names */

enum src_kind { SRC_RASTER, SRC_VECTOR, SRC_POINTS };

/* A name used in output file names: [a-z0-9_]+, at most 64 characters. */
static rt_status get_name(rti_yaml *y, const rti_yaml_map *s, const char *name, char **out)
{
    RTI_TRY(rti_yaml_get_str(y, s, name, 1, out));
    size_t n = strlen(*out);
    if (n > MAX_NAME_CHARS || strspn(*out, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        char g[RTI_YAML_SHOW_CHARS + 8];
        return rti_yaml_fail_key(y, s, name,
                                 "'%s' is not a valid name: use 1 to %d of a-z, 0-9 and _ "
                                 "(it is used in file names)",
                                 rti_yaml_show(g, sizeof(g), *out, n), MAX_NAME_CHARS);
    }
    return RT_OK;
}

/* ---------------------------------------------------------------- */
/* Paths and sources                                                */

/* Paths that are used as written: absolute paths (including GDAL's
 * /vsi... paths), URLs and driver-prefixed strings such as "PG:...". */
static int keep_path(const char *s)
{
    if (s[0] == '/' || strstr(s, "://"))
        return 1;
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return n >= 2 && s[n] == ':' && s[0] >= 'A' && s[0] <= 'Z';
}

/* Replaces *path by itself resolved against the study file's folder. */
static rt_status resolve_path(rti_yaml *y, char **path)
{
    const char *rel = *path;
    if (keep_path(rel))
        return RT_OK;
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    size_t nd = strlen(y->dir), nr = strlen(rel);
    int slash = nd && y->dir[nd - 1] != '/';
    char *full = rti_malloc_array(y->ctx, (int64_t)(nd + nr + 2), 1, "study file path");
    if (!full)
        return RT_E_NOMEM;
    memcpy(full, y->dir, nd);
    if (slash)
        full[nd] = '/';
    memcpy(full + nd + (size_t)slash, rel, nr);
    free(*path);
    *path = full;
    return RT_OK;
}

static const char *const SRC_KEYS_RASTER[] = {"path", "band", "crs", "attribution", NULL};
static const char *const SRC_KEYS_VECTOR[] = {"path", "layer", "where", "crs", "attribution", NULL};
static const char *const SRC_KEYS_POINTS[] = {"path",     "layer",    "where",       "crs",
                                              "x_column", "y_column", "attribution", NULL};
static const char *const SRC_KEYS_ALL[] = {"path",     "layer", "where",       "crs", "x_column",
                                           "y_column", "band",  "attribution", NULL};

static rt_status source_map(rti_yaml *y, const rti_yaml_map *m, int kind, rti_source *src)
{
    const char *const *allowed = kind == SRC_RASTER   ? SRC_KEYS_RASTER
                                 : kind == SRC_VECTOR ? SRC_KEYS_VECTOR
                                                      : SRC_KEYS_POINTS;
    RTI_TRY(rti_yaml_check_keys(y, m, SRC_KEYS_ALL, NULL, NULL));
    for (int i = 0; SRC_KEYS_ALL[i]; i++) {
        const char *key = SRC_KEYS_ALL[i];
        if (rti_word_in(key, allowed) || !rti_yaml_has(m, key))
            continue;
        if (strcmp(key, "band") == 0)
            return rti_yaml_fail_key(y, m, key, "'band' applies to raster sources only");
        if (kind == SRC_RASTER)
            return rti_yaml_fail_key(y, m, key,
                                     "'%s' does not apply to a raster source (only path, "
                                     "band, crs and attribution do)",
                                     key);
        return rti_yaml_fail_key(y, m, key,
                                 "'%s' applies to point sources only (facilities and "
                                 "population points)",
                                 key);
    }
    RTI_TRY(rti_yaml_get_str(y, m, "path", 1, &src->path));
    RTI_TRY(resolve_path(y, &src->path));
    RTI_TRY(rti_yaml_get_str(y, m, "layer", 0, &src->layer));
    RTI_TRY(rti_yaml_get_str(y, m, "where", 0, &src->where));
    RTI_TRY(rti_yaml_get_str(y, m, "crs", 0, &src->crs));
    RTI_TRY(rti_yaml_get_str(y, m, "x_column", 0, &src->x_column));
    RTI_TRY(rti_yaml_get_str(y, m, "y_column", 0, &src->y_column));
    RTI_TRY(rti_yaml_get_str(y, m, "attribution", 0, &src->attribution));
    if (!src->x_column != !src->y_column)
        return rti_yaml_fail_key(y, m, src->x_column ? "x_column" : "y_column",
                                 "x_column and y_column go together: give both or neither");
    return rti_yaml_get_int(y, m, "band", 1, &src->band);
}

/* Reads source key `name` of s: a path, or a mapping with a path. *given
 * (may be NULL) tells whether the key was there. */
static rt_status get_source(rti_yaml *y, const rti_yaml_map *s, const char *name, int required,
                            int kind, rti_source *src, int *given)
{
    rti_yaml_item it = rti_yaml_field(s, name);
    char g[RTI_YAML_SHOW_CHARS + 32];
    if (given)
        *given = it.present;
    if (!it.present)
        return required ? rti_yaml_missing(y, s, name) : RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st;
    src->band = 1;
    src->at = it.at;
    if (it.val && fy_node_get_type(it.val) == FYNT_MAPPING) {
        rti_yaml_map m = {it.val, it.at};
        st = source_map(y, &m, kind, src);
    } else if (it.val && fy_node_get_type(it.val) == FYNT_SCALAR && !rti_yaml_is_null(it.val)) {
        st = rti_yaml_str(y, it.val, it.at, &src->path);
        if (st == RT_OK)
            st = resolve_path(y, &src->path);
    } else {
        st = rti_yaml_fail(y, it.at, "expected a path or a mapping with a 'path' key, got %s",
                           rti_yaml_got(it.val, g, sizeof(g)));
    }
    rti_yaml_pop(y, k);
    return st;
}

/* ---------------------------------------------------------------- */
/* study:                                                           */

/* "8 GiB", "512 MB", 1073741824 -> bytes. */
static rt_status memory_value(rti_yaml *y, struct fy_node *n, rti_where at, uint64_t *out)
{
    static const struct {
        const char *unit;
        double bytes;
    } units[] = {{"B", 1.0},         {"KB", 1e3},           {"MB", 1e6},
                 {"GB", 1e9},        {"TB", 1e12},          {"KiB", 1024.0},
                 {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
    const char *s = NULL;
    size_t len, i, j;
    double v, scale = 1.0;
    char g[RTI_YAML_SHOW_CHARS + 32];
    RTI_TRY(rti_yaml_scalar(y, n, at, "a memory size", &s, &len));
    for (i = 0; i < len && strchr("0123456789+-.eE", s[i]) && s[i]; i++)
        ;
    for (j = i; j < len && s[j] == ' '; j++)
        ;
    int ok = rti_yaml_number(s, i, 1, &v);
    if (ok && j < len) {
        ok = 0;
        for (size_t u = 0; u < sizeof(units) / sizeof(units[0]) && !ok; u++) {
            if (len - j == strlen(units[u].unit) &&
                strncasecmp(s + j, units[u].unit, len - j) == 0) {
                scale = units[u].bytes;
                ok = 1;
            }
        }
    }
    if (!ok)
        return rti_yaml_fail(y, at,
                             "expected a number of bytes or a size like '8 GiB' (units B, KB, MB, "
                             "GB, TB, KiB, MiB, GiB, TiB), got %s",
                             rti_yaml_got(n, g, sizeof(g)));
    v *= scale;
    if (!(v >= 1) || v >= 18446744073709551615.0)
        return rti_yaml_fail(y, at, "memory_limit must be at least 1 byte and below 16 EiB, got %s",
                             rti_yaml_show(g, sizeof(g), s, len));
    *out = (uint64_t)v;
    return RT_OK;
}

static rt_status extent_value(rti_yaml *y, const rti_yaml_map *s, rt_study *st)
{
    rti_yaml_item it = rti_yaml_field(s, "extent");
    char g[RTI_YAML_SHOW_CHARS + 32];
    static const char *const names[4] = {"xmin", "ymin", "xmax", "ymax"};
    if (!it.present)
        return RT_OK;
    if (!it.val || fy_node_get_type(it.val) != FYNT_SEQUENCE)
        return rti_yaml_fail(y, it.at,
                             "expected a list of 4 numbers [xmin, ymin, xmax, ymax], got %s",
                             rti_yaml_got(it.val, g, sizeof(g)));
    if (fy_node_sequence_item_count(it.val) != 4)
        return rti_yaml_fail(y, it.at,
                             "expected a list of 4 numbers [xmin, ymin, xmax, ymax], got %d values",
                             fy_node_sequence_item_count(it.val));
    for (int i = 0; i < 4; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        size_t k = rti_yaml_push_index(y, i);
        rt_status rc =
            rti_yaml_num(y, e, rti_yaml_where(e, it.at), names[i], RTI_NUM_ANY, &st->extent[i]);
        rti_yaml_pop(y, k);
        RTI_TRY(rc);
    }
    if (!(st->extent[0] < st->extent[2]) || !(st->extent[1] < st->extent[3]))
        return rti_yaml_fail(y, it.at, "xmin must be < xmax and ymin < ymax, got [%g, %g, %g, %g]",
                             st->extent[0], st->extent[1], st->extent[2], st->extent[3]);
    st->has_extent = 1;
    return RT_OK;
}

static const char *const STUDY_KEYS[] = {"name",
                                         "crs",
                                         "cell_size_m",
                                         "extent",
                                         "extent_buffer_m",
                                         "snap_radius_m",
                                         "neighbours",
                                         "memory_limit",
                                         "invalid_polygons",
                                         "attribution",
                                         NULL};

static rt_status study_grid(rti_yaml *y, const rti_yaml_map *s, rt_study *st)
{
    RTI_TRY(rti_yaml_get_num(y, s, "cell_size_m", 1, RTI_NUM_POS, &st->cell_m));
    size_t k = rti_yaml_push(y, "extent");
    rt_status rc = extent_value(y, s, st);
    rti_yaml_pop(y, k);
    RTI_TRY(rc);
    if (st->has_extent && rti_yaml_has(s, "extent_buffer_m"))
        return rti_yaml_fail_key(y, s, "extent_buffer_m",
                                 "has no effect when 'extent' is given; remove one of them");
    RTI_TRY(rti_yaml_get_num(y, s, "extent_buffer_m", 0, RTI_NUM_NONNEG, &st->buffer_m));
    st->snap_radius_m = 2.0 * st->cell_m;
    RTI_TRY(rti_yaml_get_num(y, s, "snap_radius_m", 0, RTI_NUM_NONNEG, &st->snap_radius_m));
    RTI_TRY(rti_yaml_get_int(y, s, "neighbours", INT_MIN, &st->neighbours));
    if (st->neighbours != 8 && st->neighbours != 16)
        return rti_yaml_fail_key(y, s, "neighbours", "neighbours must be 8 or 16, got %d",
                                 st->neighbours);
    return RT_OK;
}

static rt_status study_fields(rti_yaml *y, const rti_yaml_map *s, rt_study *st)
{
    static const char *const polygons[] = {"repair", "error", NULL};
    int poly = 0;
    RTI_TRY(rti_yaml_check_keys(y, s, STUDY_KEYS, NULL, NULL));
    RTI_TRY(rti_yaml_get_str(y, s, "name", 0, &st->name));
    RTI_TRY(rti_yaml_get_str(y, s, "crs", 0, &st->crs));
    RTI_TRY(rti_yaml_get_str(y, s, "attribution", 0, &st->attribution));
    RTI_TRY(study_grid(y, s, st));
    rti_yaml_item mem = rti_yaml_field(s, "memory_limit");
    if (mem.present) {
        size_t k = rti_yaml_push(y, "memory_limit");
        rt_status rc = memory_value(y, mem.val, mem.at, &st->memory_limit_bytes);
        rti_yaml_pop(y, k);
        RTI_TRY(rc);
    }
    RTI_TRY(rti_yaml_get_enum(y, s, "invalid_polygons", 0, polygons, &poly));
    st->invalid_polygons = rti_yaml_dup(y, polygons[poly], strlen(polygons[poly]));
    return st->invalid_polygons ? RT_OK : RT_E_NOMEM;
}

/* ---------------------------------------------------------------- */
/* medium:                                                          */

static const char *const MEDIUM_TYPES[] = {"friction", "speed",  "speed_model",
                                           "network",  "hybrid", NULL};
static const char *const MEDIUM_KEYS_RASTER[] = {"type", "raster", "resampling", "description",
                                                 NULL};
static const char *const MEDIUM_KEYS_MODEL[] = {
    "type",    "offroad_kmh",      "land",        "roads", "speed_column", "class_column",
    "classes", "default_road_kmh", "description", NULL};
static const char *const MEDIUM_KEYS_NETWORK[] = {
    "type",        "roads",         "format",           "speed_column",
    "time_column", "oneway_column", "snap_tolerance_m", "mode",
    "profile",     "speeds",        "access",           "description",
    NULL};
static const char *const MEDIUM_KEYS_HYBRID[] = {
    "type", "roads",   "format", "speed_column", "time_column", "oneway_column", "snap_tolerance_m",
    "mode", "profile", "speeds", "access",       "offroad",     "description",   NULL};
static const char *const MEDIUM_KEYS_ALL[] = {
    "type",        "raster",       "resampling",   "offroad_kmh",   "land",
    "roads",       "speed_column", "class_column", "classes",       "default_road_kmh",
    "description", "format",       "time_column",  "oneway_column", "snap_tolerance_m",
    "mode",        "profile",      "speeds",       "access",        "offroad",
    NULL};
static const char *const MEDIUM_KEYS_GRID[] = {
    "type",         "raster",       "resampling", "offroad_kmh",      "land",        "roads",
    "speed_column", "class_column", "classes",    "default_road_kmh", "description", NULL};
static const char *const ROAD_FORMATS[] = {"auto", "osm", "nwb", "lines", NULL};
static const char *const NET_MODES[] = {"car", "bike", "walk", NULL};
static const char *const ACCESS_KEYS[] = {"speed_kmh", "max_distance_m", NULL};
static const char *const RESAMPLING[] = {"near",    "bilinear", "cubic", "cubicspline",
                                         "lanczos", "average",  "mode",  "min",
                                         "max",     "med",      NULL};

/* m, key `name` of its mapping, read as {class: km/h} (rules RTI_CLASS_*)
 * into *out and *n; nothing when m->map is NULL (the key is absent). */
static rt_status class_map(rti_yaml *y, const rti_yaml_map *m, const char *name, unsigned rules,
                           const char *what, rti_road_class **out, int *n)
{
    if (!m->map)
        return RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_class_speeds(y, m, rules, what, out, n);
    rti_yaml_pop(y, k);
    return st;
}

/* Cross-key rules of the speed model's road settings. */
static rt_status medium_road_rules(rti_yaml *y, const rti_yaml_map *s, const rti_medium *md)
{
    static const char *const need_roads[] = {"speed_column", "class_column", "classes",
                                             "default_road_kmh", NULL};
    if (md->speed_column && md->class_column)
        return rti_yaml_fail_key(y, s, "class_column",
                                 "give either speed_column or class_column, not both");
    for (int i = 0; !md->has_roads && need_roads[i]; i++)
        if (rti_yaml_has(s, need_roads[i]))
            return rti_yaml_fail_key(y, s, need_roads[i], "'%s' needs 'roads'", need_roads[i]);
    if (md->has_roads && !md->speed_column && !md->class_column)
        return rti_yaml_fail_key(y, s, "roads", "roads need 'speed_column' or 'class_column'");
    if (md->class_column && !md->classes)
        return rti_yaml_missing(y, s, "classes");
    if (md->classes && !md->class_column)
        return rti_yaml_fail_key(y, s, "classes", "'classes' needs 'class_column'");
    return RT_OK;
}

static rt_status medium_model(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    rti_yaml_map m;
    RTI_TRY(rti_yaml_get_num(y, s, "offroad_kmh", 1, RTI_NUM_POS, &md->offroad_kmh));
    RTI_TRY(get_source(y, s, "land", 0, SRC_VECTOR, &md->land, &md->has_land));
    RTI_TRY(get_source(y, s, "roads", 0, SRC_VECTOR, &md->roads, &md->has_roads));
    RTI_TRY(rti_yaml_get_str(y, s, "speed_column", 0, &md->speed_column));
    RTI_TRY(rti_yaml_get_str(y, s, "class_column", 0, &md->class_column));
    RTI_TRY(rti_yaml_get_map(y, s, "classes", 0, &m));
    if (m.map && fy_node_mapping_item_count(m.map) < 1)
        return rti_yaml_fail_key(y, s, "classes",
                                 "needs at least one class, such as {primary: 80}");
    RTI_TRY(class_map(y, &m, "classes", RTI_CLASS_UNIQUE | RTI_CLASS_AT_KEY, "road classes",
                      &md->classes, &md->n_classes));
    md->default_road_kmh = NAN;
    RTI_TRY(rti_yaml_get_num(y, s, "default_road_kmh", 0, RTI_NUM_POS, &md->default_road_kmh));
    return medium_road_rules(y, s, md);
}

static rt_status medium_network(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    static const char *const lines_only[] = {"speed_column", "time_column", "oneway_column",
                                             "snap_tolerance_m", NULL};
    rti_yaml_map m, a;
    md->mode = -1;
    md->snap_tolerance_m = NAN;
    md->access_kmh = 5.0;
    /* hybrid: the cell size, once the study section is read (network_rules) */
    md->access_max_m = md->kind == RTI_MEDIUM_HYBRID ? NAN : 500.0;
    RTI_TRY(get_source(y, s, "roads", 1, SRC_VECTOR, &md->roads, &md->has_roads));
    RTI_TRY(rti_yaml_get_enum(y, s, "format", 0, ROAD_FORMATS, &md->road_format));
    for (int i = 0; lines_only[i]; i++)
        if (rti_yaml_has(s, lines_only[i]) && (md->road_format == 1 || md->road_format == 2))
            return rti_yaml_fail_key(y, s, lines_only[i], "'%s' applies to format lines only",
                                     lines_only[i]);
    RTI_TRY(rti_yaml_get_str(y, s, "speed_column", 0, &md->speed_column));
    RTI_TRY(rti_yaml_get_str(y, s, "time_column", 0, &md->time_column));
    RTI_TRY(rti_yaml_get_str(y, s, "oneway_column", 0, &md->oneway_column));
    if (md->speed_column && md->time_column)
        return rti_yaml_fail_key(y, s, "time_column",
                                 "give either speed_column or time_column, not both");
    RTI_TRY(rti_yaml_get_num(y, s, "snap_tolerance_m", 0, RTI_NUM_NONNEG, &md->snap_tolerance_m));
    RTI_TRY(rti_yaml_get_enum(y, s, "mode", 0, NET_MODES, &md->mode));
    RTI_TRY(rti_yaml_get_str(y, s, "profile", 0, &md->profile));
    if (md->profile)
        RTI_TRY(resolve_path(y, &md->profile));
    if (md->mode < 0 && !md->profile)
        return rti_yaml_missing(y, s, "mode");
    /* speeds: overrides of the profile's class speeds */
    RTI_TRY(rti_yaml_get_map(y, s, "speeds", 0, &m));
    RTI_TRY(class_map(y, &m, "speeds", RTI_CLASS_KNOWN | RTI_CLASS_NO | RTI_CLASS_UNIQUE,
                      "road speeds", &md->speeds, &md->n_speeds));
    RTI_TRY(rti_yaml_get_map(y, s, "access", 0, &a));
    if (a.map) {
        size_t k = rti_yaml_push(y, "access");
        rt_status st = rti_yaml_check_keys(y, &a, ACCESS_KEYS, NULL, NULL);
        if (st == RT_OK)
            st = rti_yaml_get_num(y, &a, "speed_kmh", 0, RTI_NUM_POS, &md->access_kmh);
        if (st == RT_OK)
            st = rti_yaml_get_num(y, &a, "max_distance_m", 0, RTI_NUM_NONNEG, &md->access_max_m);
        rti_yaml_pop(y, k);
        RTI_TRY(st);
    }
    return RT_OK;
}

static rt_status medium_fields(rti_yaml *y, const rti_yaml_map *s, rti_medium *md);

/* offroad: the grid medium of a hybrid medium, with the keys of its type. */
static rt_status medium_offroad(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    rti_yaml_map o;
    RTI_TRY(rti_yaml_get_map(y, s, "offroad", 1, &o));
    md->offroad = calloc(1, sizeof(*md->offroad));
    if (!md->offroad)
        return rti_error(y->ctx, RT_E_NOMEM, "out of memory");
    size_t k = rti_yaml_push(y, "offroad");
    rt_status st = medium_fields(y, &o, md->offroad);
    if (st == RT_OK && rti_medium_has_roads_graph(md->offroad))
        st = rti_yaml_fail_key(
            y, &o, "type", "the medium over land must be a grid: friction, speed or speed_model");
    rti_yaml_pop(y, k);
    return st;
}

static rt_status medium_fields(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    int type = 0, res = 0;
    md->at = s->at;
    RTI_TRY(rti_yaml_get_enum(y, s, "type", 1, MEDIUM_TYPES, &type));
    md->kind = (rti_medium_kind)type;
    if (md->kind == RTI_MEDIUM_NETWORK) {
        RTI_TRY(rti_yaml_check_keys(y, s, MEDIUM_KEYS_NETWORK, MEDIUM_KEYS_ALL,
                                    "does not apply to medium type network"));
        RTI_TRY(medium_network(y, s, md));
    } else if (md->kind == RTI_MEDIUM_HYBRID) {
        RTI_TRY(rti_yaml_check_keys(
            y, s, MEDIUM_KEYS_HYBRID, MEDIUM_KEYS_ALL,
            "does not apply to medium type hybrid (the grid medium's keys go under "
            "'offroad')"));
        RTI_TRY(medium_network(y, s, md));
        RTI_TRY(medium_offroad(y, s, md));
    } else if (md->kind == RTI_MEDIUM_SPEED_MODEL) {
        RTI_TRY(rti_yaml_check_keys(y, s, MEDIUM_KEYS_MODEL, MEDIUM_KEYS_GRID,
                                    "applies to medium types friction and speed only"));
        RTI_TRY(medium_model(y, s, md));
    } else {
        RTI_TRY(rti_yaml_check_keys(y, s, MEDIUM_KEYS_RASTER, MEDIUM_KEYS_GRID,
                                    "applies to medium type speed_model only"));
        RTI_TRY(get_source(y, s, "raster", 1, SRC_RASTER, &md->raster, NULL));
        RTI_TRY(rti_yaml_get_enum(y, s, "resampling", 0, RESAMPLING, &res));
        if (!(md->resampling = rti_yaml_dup(y, RESAMPLING[res], strlen(RESAMPLING[res]))))
            return RT_E_NOMEM;
    }
    return rti_yaml_get_str(y, s, "description", 0, &md->description);
}

/* ---------------------------------------------------------------- */
/* facilities:                                                      */

static const char *const FACILITY_KEYS[] = {"type",        "label",           "source", "id_column",
                                            "name_column", "capacity_column", "norms",  NULL};
static const char *const NORM_KEYS[] = {"minutes", "km", NULL};

/* One norms entry: a number or a list of numbers, appended to f->norms. */
static rt_status norm_values(rti_yaml *y, struct fy_node *v, rti_where at, int is_km,
                             rti_facility_type *f)
{
    int list = v && fy_node_get_type(v) == FYNT_SEQUENCE;
    int n = list ? fy_node_sequence_item_count(v) : 1;
    const char *label = is_km ? "km" : "minutes";
    for (int i = 0; i < n; i++) {
        struct fy_node *e = list ? fy_node_sequence_get_by_index(v, i) : v;
        rti_where ew = list ? rti_yaml_where(e, at) : at;
        size_t k = list ? rti_yaml_push_index(y, i) : y->key_len;
        double x = 0;
        rt_status st = rti_yaml_num(y, e, ew, label, RTI_NUM_POS, &x);
        rt_norm norm = {is_km ? RT_NORM_LENGTH : RT_NORM_TIME, is_km ? x * 1000.0 : x * 60.0};
        for (int j = 0; st == RT_OK && j < f->n_norms; j++)
            if (f->norms[j].kind == norm.kind && f->norms[j].limit == norm.limit)
                st = rti_yaml_fail(y, ew, "the norm %g %s is given twice", x, label);
        if (st == RT_OK && f->n_norms == RT_STATS_MAX_NORMS)
            st = rti_yaml_fail(y, ew, "at most %d norms per facility type", RT_STATS_MAX_NORMS);
        rti_yaml_pop(y, k);
        RTI_TRY(st);
        f->norms[f->n_norms++] = norm;
    }
    return RT_OK;
}

static rt_status facility_norms(rti_yaml *y, const rti_yaml_map *s, rti_facility_type *f)
{
    rti_yaml_map m;
    RTI_TRY(rti_yaml_get_map(y, s, "norms", 0, &m));
    if (!m.map)
        return RT_OK;
    size_t k = rti_yaml_push(y, "norms");
    rt_status st = rti_yaml_check_keys(y, &m, NORM_KEYS, NULL, NULL);
    for (int i = 0; st == RT_OK && NORM_KEYS[i]; i++) {
        rti_yaml_item it = rti_yaml_field(&m, NORM_KEYS[i]);
        if (!it.present)
            continue;
        size_t kk = rti_yaml_push(y, NORM_KEYS[i]);
        st = norm_values(y, it.val, it.at, i == 1, f);
        rti_yaml_pop(y, kk);
    }
    rti_yaml_pop(y, k);
    return st;
}

static rt_status facility_fields(rti_yaml *y, const rti_yaml_map *s, rt_study *st, int i)
{
    rti_facility_type *f = &st->facilities[i];
    f->at = s->at;
    RTI_TRY(rti_yaml_check_keys(y, s, FACILITY_KEYS, NULL, NULL));
    RTI_TRY(get_name(y, s, "type", &f->type));
    for (int j = 0; j < i; j++)
        if (strcmp(st->facilities[j].type, f->type) == 0)
            return rti_yaml_fail_key(y, s, "type",
                                     "duplicate facility type '%s' (first given at line %d)",
                                     f->type, st->facilities[j].at.line);
    RTI_TRY(rti_yaml_get_str(y, s, "label", 0, &f->label));
    if (!f->label && !(f->label = rti_yaml_dup(y, f->type, strlen(f->type))))
        return RT_E_NOMEM;
    RTI_TRY(get_source(y, s, "source", 1, SRC_POINTS, &f->src, NULL));
    RTI_TRY(rti_yaml_get_str(y, s, "id_column", 0, &f->id_column));
    RTI_TRY(rti_yaml_get_str(y, s, "name_column", 0, &f->name_column));
    RTI_TRY(rti_yaml_get_str(y, s, "capacity_column", 0, &f->capacity_column));
    return facility_norms(y, s, f);
}

/* ---------------------------------------------------------------- */
/* population:, regions:, outputs:                                  */

static const char *const POP_KINDS[] = {"raster", "grid", "polygons", "points", NULL};
static const char *const POP_KEYS[] = {"kind", "source", "count_column", NULL};

static rt_status population_fields(rti_yaml *y, const rti_yaml_map *s, rti_population *pop)
{
    int kind = 0;
    RTI_TRY(rti_yaml_check_keys(y, s, POP_KEYS, NULL, NULL));
    RTI_TRY(rti_yaml_get_enum(y, s, "kind", 1, POP_KINDS, &kind));
    pop->kind = (rti_pop_kind)kind;
    pop->at = s->at;
    int src = kind == RTI_POP_RASTER   ? SRC_RASTER
              : kind == RTI_POP_POINTS ? SRC_POINTS
                                       : SRC_VECTOR;
    RTI_TRY(get_source(y, s, "source", 1, src, &pop->src, NULL));
    if (kind == RTI_POP_RASTER && rti_yaml_has(s, "count_column"))
        return rti_yaml_fail_key(y, s, "count_column",
                                 "does not apply to kind raster (cells hold counts)");
    return rti_yaml_get_str(y, s, "count_column", kind == RTI_POP_GRID || kind == RTI_POP_POLYGONS,
                            &pop->count_column);
}

static const char *const REGION_KEYS[] = {"name", "source", "id_column", "name_column", NULL};

static rt_status region_fields(rti_yaml *y, const rti_yaml_map *s, rt_study *st, int i)
{
    rti_region_layer *r = &st->regions[i];
    r->at = s->at;
    RTI_TRY(rti_yaml_check_keys(y, s, REGION_KEYS, NULL, NULL));
    RTI_TRY(get_name(y, s, "name", &r->name));
    for (int j = 0; j < i; j++)
        if (strcmp(st->regions[j].name, r->name) == 0)
            return rti_yaml_fail_key(y, s, "name",
                                     "duplicate region name '%s' (first given at line %d)", r->name,
                                     st->regions[j].at.line);
    RTI_TRY(get_source(y, s, "source", 1, SRC_VECTOR, &r->src, NULL));
    RTI_TRY(rti_yaml_get_str(y, s, "id_column", 1, &r->id_column));
    return rti_yaml_get_str(y, s, "name_column", 0, &r->name_column);
}

static const char *const OUTPUT_KEYS[] = {"grids", "second", "length", "geopackage",
                                          "csv",   "report", NULL};

static rt_status outputs_fields(rti_yaml *y, const rti_yaml_map *s, rti_outputs *o)
{
    RTI_TRY(rti_yaml_check_keys(y, s, OUTPUT_KEYS, NULL, NULL));
    RTI_TRY(rti_yaml_get_bool(y, s, "grids", &o->grids));
    RTI_TRY(rti_yaml_get_bool(y, s, "second", &o->second));
    RTI_TRY(rti_yaml_get_bool(y, s, "length", &o->length));
    RTI_TRY(rti_yaml_get_bool(y, s, "geopackage", &o->geopackage));
    RTI_TRY(rti_yaml_get_bool(y, s, "report", &o->report));
    return rti_yaml_get_bool(y, s, "csv", &o->csv);
}

/* ---------------------------------------------------------------- */
/* Sections                                                         */

typedef rt_status (*map_fn)(rti_yaml *y, const rti_yaml_map *s, void *target);

static rt_status run_study(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return study_fields(y, s, t);
}
static rt_status run_medium(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return medium_fields(y, s, t);
}
static rt_status run_population(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return population_fields(y, s, t);
}
static rt_status run_outputs(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return outputs_fields(y, s, t);
}

/* Reads mapping `name` of root with fn; *given (may be NULL) tells whether
 * it was there. */
static rt_status section(rti_yaml *y, const rti_yaml_map *root, const char *name, int required,
                         map_fn fn, void *target, int *given)
{
    rti_yaml_map s;
    RTI_TRY(rti_yaml_get_map(y, root, name, required, &s));
    if (given)
        *given = s.map != NULL;
    if (!s.map)
        return RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = fn(y, &s, target);
    rti_yaml_pop(y, k);
    return st;
}

typedef rt_status (*item_fn)(rti_yaml *y, const rti_yaml_map *s, rt_study *st, int i);

/* Reads list `name` of root: n entries, each a mapping read by fn. */
static rt_status list_section(rti_yaml *y, const rti_yaml_map *root, const char *name,
                              const char *what, item_fn fn, rt_study *study, int n)
{
    rti_yaml_item it = rti_yaml_field(root, name);
    char g[RTI_YAML_SHOW_CHARS + 32];
    size_t k = rti_yaml_push(y, name);
    rt_status st = RT_OK;
    for (int i = 0; i < n && st == RT_OK; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        rti_yaml_map s = {e, rti_yaml_where(e, it.at)};
        size_t ki = rti_yaml_push_index(y, i);
        if (!e || fy_node_get_type(e) != FYNT_MAPPING)
            st = rti_yaml_fail(y, s.at, "expected a mapping (one %s), got %s", what,
                               rti_yaml_got(e, g, sizeof(g)));
        else
            st = fn(y, &s, study, i);
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return st;
}

static rt_status read_facilities(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    rti_yaml_item it;
    RTI_TRY(rti_yaml_get_list(y, root, "facilities", 1, "facility type", &it));
    int n = fy_node_sequence_item_count(it.val);
    st->facilities = rti_malloc_array(y->ctx, n, sizeof(*st->facilities), "facility types");
    if (!st->facilities)
        return RT_E_NOMEM;
    st->n_facilities = n;
    return list_section(y, root, "facilities", "facility type", facility_fields, st, n);
}

static rt_status read_regions(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    rti_yaml_item it;
    RTI_TRY(rti_yaml_get_list(y, root, "regions", 1, "region layer", &it));
    int n = fy_node_sequence_item_count(it.val);
    st->regions = rti_malloc_array(y->ctx, n, sizeof(*st->regions), "region layers");
    if (!st->regions)
        return RT_E_NOMEM;
    st->n_regions = n;
    return list_section(y, root, "regions", "region layer", region_fields, st, n);
}

/* A hybrid medium computes no route lengths: no length grid (off by
 * default there) and no norms in km; its access distance defaults to the
 * cell size. */
static rt_status network_rules(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    if (!rti_medium_has_roads_graph(&st->medium))
        return RT_OK;
    if (isnan(st->medium.access_max_m))
        st->medium.access_max_m = st->cell_m;
    if (st->medium.kind == RTI_MEDIUM_NETWORK)
        return RT_OK; /* route lengths along the roads and the legs */
    rti_yaml_map o;
    RTI_TRY(rti_yaml_get_map(y, root, "outputs", 0, &o));
    if (o.map && rti_yaml_has(&o, "length") && st->outputs.length) {
        size_t k = rti_yaml_push(y, "outputs");
        rt_status r = rti_yaml_fail_key(y, &o, "length",
                                        "route lengths are not computed for medium type %s; "
                                        "leave 'length' out or set it to false",
                                        MEDIUM_TYPES[st->medium.kind]);
        rti_yaml_pop(y, k);
        return r;
    }
    st->outputs.length = 0;
    for (int i = 0; i < st->n_facilities; i++) {
        const rti_facility_type *f = &st->facilities[i];
        for (int j = 0; j < f->n_norms; j++)
            if (f->norms[j].kind == RT_NORM_LENGTH) {
                size_t k = rti_yaml_push(y, "facilities");
                rti_yaml_push_index(y, i);
                rti_yaml_push(y, "norms");
                rt_status r =
                    rti_yaml_fail(y, f->at,
                                  "norms in km need route lengths, which are not computed "
                                  "for medium type %s; use minutes",
                                  MEDIUM_TYPES[st->medium.kind]);
                rti_yaml_pop(y, k);
                return r;
            }
    }
    return RT_OK;
}

static const char *const ROOT_KEYS[] = {"study",   "medium",  "facilities", "population",
                                        "regions", "outputs", NULL};

static rt_status read_root(rti_yaml *y, struct fy_node *root, rt_study *st)
{
    rti_yaml_map s = {root, rti_yaml_where(root, (rti_where){1, 1})};
    char g[RTI_YAML_SHOW_CHARS + 32];
    if (fy_node_get_type(root) != FYNT_MAPPING)
        return rti_yaml_fail(y, s.at,
                             "the file must be a mapping with the keys study, medium, "
                             "facilities, regions (and population, outputs), got %s",
                             rti_yaml_got(root, g, sizeof(g)));
    RTI_TRY(rti_yaml_check_keys(y, &s, ROOT_KEYS, NULL, NULL));
    st->buffer_m = 5000.0;
    st->neighbours = 16;
    RTI_TRY(section(y, &s, "study", 1, run_study, st, NULL));
    if (!st->crs && !(st->crs = rti_yaml_dup(y, "EPSG:28992", strlen("EPSG:28992"))))
        return RT_E_NOMEM;
    RTI_TRY(section(y, &s, "medium", 1, run_medium, &st->medium, NULL));
    RTI_TRY(read_facilities(y, &s, st));
    RTI_TRY(section(y, &s, "population", 0, run_population, &st->population, &st->has_population));
    RTI_TRY(read_regions(y, &s, st));
    st->outputs = (rti_outputs){1, 1, 1, 1, 1, 1};
    RTI_TRY(section(y, &s, "outputs", 0, run_outputs, &st->outputs, NULL));
    return network_rules(y, &s, st);
}

/* ---------------------------------------------------------------- */
/* The file                                                         */

/* study->path (absolute), study->dir and the default name. */
static rt_status set_paths(rti_yaml *y, const char *path, rt_study *st)
{
    char cwd[PATH_MAX] = "", err[256] = "";
    const char *rel = path;
    if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
        return rti_error(y->ctx, RT_E_IO, "%s: cannot determine the current folder: %s", path,
                         strerror_r(errno, err, sizeof(err)) ? "error" : err);
    while (path[0] != '/' && rel[0] == '.' && rel[1] == '/')
        rel += 2;
    size_t nc = path[0] == '/' ? 0 : strlen(cwd), nr = strlen(rel);
    st->path = rti_malloc_array(y->ctx, (int64_t)(nc + nr + 2), 1, "study file path");
    if (!st->path)
        return RT_E_NOMEM;
    memcpy(st->path, cwd, nc);
    if (nc && cwd[nc - 1] != '/')
        st->path[nc++] = '/';
    memcpy(st->path + nc, rel, nr);
    char *slash = strrchr(st->path, '/');
    size_t nd = slash == st->path ? 1 : (size_t)(slash - st->path);
    if (!(st->dir = rti_yaml_dup(y, st->path, nd)))
        return RT_E_NOMEM;
    y->dir = st->dir;
    return RT_OK;
}

static rt_status default_name(rti_yaml *y, rt_study *st)
{
    const char *base = strrchr(st->path, '/') + 1;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    st->name = rti_yaml_dup(y, base, n ? n : strlen(base));
    return st->name ? RT_OK : RT_E_NOMEM;
}

static rt_status read_file(rti_yaml *y, char **buf, size_t *len)
{
    FILE *f = fopen(y->file, "rb");
    struct stat sb;
    char err[256] = "";
    if (!f)
        return rti_error(y->ctx, RT_E_IO, "%s: cannot open the study file: %s", y->file,
                         strerror_r(errno, err, sizeof(err)) ? "error" : err);
    rt_status st = RT_OK;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
        st = rti_error(y->ctx, RT_E_IO, "%s: the study file is not a regular file", y->file);
    else if (sb.st_size > MAX_FILE_BYTES)
        st = rti_error(y->ctx, RT_E_PARSE, "%s: the study file is %lld bytes; at most %d allowed",
                       y->file, (long long)sb.st_size, MAX_FILE_BYTES);
    else if (!(*buf = rti_malloc_array(y->ctx, (int64_t)sb.st_size + 1, 1, "study file")))
        st = RT_E_NOMEM;
    else if ((*len = fread(*buf, 1, (size_t)sb.st_size, f)) != (size_t)sb.st_size || ferror(f))
        st = rti_error(y->ctx, RT_E_IO, "%s: cannot read the study file", y->file);
    fclose(f);
    return st;
}

/* Offset of the first byte that is not valid UTF-8 (or a NUL), or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n; /* continuation bytes */
        if (c == 0)
            return i;
        if (c < 0x80)
            n = 0;
        else if (c >= 0xc2 && c <= 0xdf)
            n = 1;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3;
        else
            return i;
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
        i += n + 1;
    }
    return len;
}

static rt_status check_utf8(rti_yaml *y, const char *buf, size_t len)
{
    size_t bad = utf8_invalid_at((const unsigned char *)buf, len);
    if (bad == len)
        return RT_OK;
    rti_where at = {1, 1};
    for (size_t i = 0; i < bad; i++) {
        if (buf[i] == '\n')
            at.line++, at.column = 1;
        else if (((unsigned char)buf[i] & 0xc0) != 0x80)
            at.column++;
    }
    return rti_yaml_fail(y, at, "the file is not UTF-8 text (byte 0x%02x)",
                         (unsigned char)buf[bad]);
}

static rt_status parse_yaml(rti_yaml *y, const char *buf, size_t len, rt_study *st)
{
    rti_yaml_doc d;
    rt_status rc = rti_yaml_load(y, buf, len, &d);
    if (rc == RT_OK)
        rc = read_root(y, rti_yaml_root(&d), st);
    rti_yaml_doc_free(&d);
    return rc;
}

rt_status rti_study_parse_file(rt_ctx *ctx, const char *path, rt_study *study)
{
    rti_yaml y = {.ctx = ctx,
                  .file = path,
                  .dir = "",
                  .no_document = "the file holds no YAML document (it is empty)",
                  .more_documents =
                      "the file holds more than one YAML document; keep one study per file"};
    char *buf = NULL;
    size_t len = 0;
    memset(study, 0, sizeof(*study));
    rt_status st = set_paths(&y, path, study);
    if (st == RT_OK)
        st = read_file(&y, &buf, &len);
    if (st == RT_OK)
        st = check_utf8(&y, buf, len);
    if (st == RT_OK)
        st = parse_yaml(&y, buf, len, study);
    if (st == RT_OK && !study->name)
        st = default_name(&y, study);
    free(buf);
    if (st != RT_OK)
        rti_study_clear(study);
    return st;
}

/* ---------------------------------------------------------------- */
/* Freeing                                                          */

static void source_clear(rti_source *s)
{
    free(s->path);
    free(s->layer);
    free(s->where);
    free(s->crs);
    free(s->x_column);
    free(s->y_column);
    free(s->attribution);
}

static void medium_clear(rti_medium *m)
{
    source_clear(&m->raster);
    free(m->resampling);
    source_clear(&m->land);
    source_clear(&m->roads);
    free(m->speed_column);
    free(m->class_column);
    for (int i = 0; m->classes && i < m->n_classes; i++)
        free(m->classes[i].name);
    free(m->classes);
    free(m->description);
    free(m->time_column);
    free(m->oneway_column);
    free(m->profile);
    for (int i = 0; m->speeds && i < m->n_speeds; i++)
        free(m->speeds[i].name);
    free(m->speeds);
    if (m->offroad) {
        medium_clear(m->offroad);
        free(m->offroad);
    }
}

void rti_study_clear(rt_study *study)
{
    if (!study)
        return;
    free(study->path);
    free(study->dir);
    free(study->name);
    free(study->crs);
    free(study->invalid_polygons);
    free(study->attribution);
    medium_clear(&study->medium);
    for (int i = 0; study->facilities && i < study->n_facilities; i++) {
        rti_facility_type *f = &study->facilities[i];
        free(f->type);
        free(f->label);
        source_clear(&f->src);
        free(f->id_column);
        free(f->name_column);
        free(f->capacity_column);
    }
    free(study->facilities);
    source_clear(&study->population.src);
    free(study->population.count_column);
    for (int i = 0; study->regions && i < study->n_regions; i++) {
        rti_region_layer *r = &study->regions[i];
        free(r->name);
        source_clear(&r->src);
        free(r->id_column);
        free(r->name_column);
    }
    free(study->regions);
    free(study->summary);
    free(study->summary_json);
    memset(study, 0, sizeof(*study));
}
