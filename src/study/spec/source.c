/* Data sources of the study file (a path, or a mapping with a path and
 * the keys of its kind) and the resolution of relative paths. */
#define _POSIX_C_SOURCE 200809L

#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "study/spec/spec.h"

/* Paths that are used as written: absolute paths (including GDAL's
 * /vsi... paths), URLs and driver-prefixed strings such as "PG:...". */
static int keep_path(const char *s)
{
    if (s[0] == '/' || strstr(s, "://"))
        return 1;
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return n >= 2 && s[n] == ':' && s[0] >= 'A' && s[0] <= 'Z';
}

/* An archive read through GDAL (/vsizip/, /vsigzip/, /vsitar/) whose
 * file is given relative ("/vsizip/kaart.zip/a.shp", "/vsizip/{kaart.zip}/
 * a.shp"): the length of the part before that file (its prefix, and the
 * brace), else 0. */
static size_t relative_archive(const char *s)
{
    static const char *const archive[] = {"/vsizip/", "/vsigzip/", "/vsitar/", NULL};
    for (const char *const *a = archive; *a; a++) {
        size_t n = strlen(*a);
        if (strncmp(s, *a, n) != 0)
            continue;
        n += s[n] == '{';
        return s[n] && s[n] != '/' ? n : 0;
    }
    return 0;
}

rt_status rti_spec_path(rti_yaml *y, char **path)
{
    /* the part before the file that goes by the study's folder: an
     * archive's prefix, or nothing for a plain relative path */
    const size_t pre = relative_archive(*path);
    if (!pre && keep_path(*path))
        return RT_OK;
    const char *rel = *path + pre;
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    size_t nd = strlen(y->dir), nr = strlen(rel);
    int slash = nd && y->dir[nd - 1] != '/';
    char *full = rti_malloc_array(y->ctx, (int64_t)(pre + nd + nr + 2), 1, "study file path");
    if (!full)
        return RT_E_NOMEM;
    memcpy(full, *path, pre);
    memcpy(full + pre, y->dir, nd);
    if (slash)
        full[pre + nd] = '/';
    memcpy(full + pre + nd + (size_t)slash, rel, nr + 1);
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
    const char *const *allowed = kind == RTI_SRC_RASTER   ? SRC_KEYS_RASTER
                                 : kind == RTI_SRC_VECTOR ? SRC_KEYS_VECTOR
                                                          : SRC_KEYS_POINTS;
    RTI_TRY(rti_yaml_check_keys(y, m, SRC_KEYS_ALL, NULL, NULL));
    for (int i = 0; SRC_KEYS_ALL[i]; i++) {
        const char *key = SRC_KEYS_ALL[i];
        if (rti_word_in(key, allowed) || !rti_yaml_has(m, key))
            continue;
        if (strcmp(key, "band") == 0)
            return rti_yaml_fail_key(y, m, key, "'band' applies to raster sources only");
        if (kind == RTI_SRC_RASTER)
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
    RTI_TRY(rti_spec_path(y, &src->path));
    RTI_TRY(rti_yaml_get_str(y, m, "layer", 0, &src->layer));
    RTI_TRY(rti_yaml_get_str(y, m, "where", 0, &src->where));
    if (src->where && strchr(src->where, ';')) {
        char g[RTI_YAML_SHOW_CHARS + 8];
        return rti_yaml_fail_key(y, m, "where",
                                 "a filter must not contain ';' (GDAL would silently drop what "
                                 "follows it), got '%s'",
                                 rti_yaml_show(g, sizeof(g), src->where, strlen(src->where)));
    }
    RTI_TRY(rti_yaml_get_str(y, m, "crs", 0, &src->crs));
    RTI_TRY(rti_yaml_get_str(y, m, "x_column", 0, &src->x_column));
    RTI_TRY(rti_yaml_get_str(y, m, "y_column", 0, &src->y_column));
    RTI_TRY(rti_yaml_get_str(y, m, "attribution", 0, &src->attribution));
    if (!src->x_column != !src->y_column)
        return rti_yaml_fail_key(y, m, src->x_column ? "x_column" : "y_column",
                                 "x_column and y_column go together: give both or neither");
    return rti_yaml_get_int(y, m, "band", 1, &src->band);
}

rt_status rti_spec_source(rti_yaml *y, const rti_yaml_map *s, const char *name, int required,
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
            st = rti_spec_path(y, &src->path);
    } else {
        st = rti_yaml_fail(y, it.at, "expected a path or a mapping with a 'path' key, got %s",
                           rti_yaml_got(it.val, g, sizeof(g)));
    }
    rti_yaml_pop(y, k);
    return st;
}
