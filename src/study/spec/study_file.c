/* Study file parser: YAML -> struct rt_study. This file reads the file,
 * its root and the section study:; the other sections are read by
 * medium_section.c, facilities.c, report_section.c and source.c, with the YAML reader of
 * yaml.c and yaml_get.c.
 *
 * The file is read into memory (a regular file of at most 1 MiB), checked
 * to be UTF-8, checked against the budgets of yaml_input.c (tokens,
 * nesting, nodes with aliases expanded), parsed into a libfyaml document
 * (syntax errors and duplicate keys are collected through a struct
 * fy_diag, never printed) and then walked section by section. Every
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "study/spec/spec.h"

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
    if (scale == 1.0 && v != floor(v)) {
        char num[RTI_YAML_SHOW_CHARS + 32];
        return rti_yaml_fail(y, at,
                             "memory_limit: %s is no whole number of bytes; give a unit, such as "
                             "'%s GB'",
                             rti_yaml_show(g, sizeof(g), s, len),
                             rti_yaml_show(num, sizeof(num), s, i));
    }
    v *= scale;
    if (!(v >= RTI_MEMORY_MIN_BYTES) || !(v <= RTI_MEMORY_MAX_BYTES))
        return rti_yaml_fail(y, at, "memory_limit must be from 1 byte to 1 PiB, got %s",
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
        rt_status rc = rti_yaml_num(y, e, rti_yaml_where(e, it.at), names[i], &RTI_RANGE_COORD,
                                    &st->extent[i]);
        rti_yaml_pop(y, k);
        RTI_TRY(rc);
    }
    if (!(st->extent[0] < st->extent[2]) || !(st->extent[1] < st->extent[3]))
        return rti_yaml_fail(y, it.at, "xmin must be < xmax and ymin < ymax, got [%g, %g, %g, %g]",
                             st->extent[0], st->extent[1], st->extent[2], st->extent[3]);
    st->has_extent = 1;
    return RT_OK;
}

static const char *const STUDY_KEYS[] = {
    "name",          "crs",        "cell_size_m",  "extent",           "extent_buffer_m",
    "snap_radius_m", "neighbours", "memory_limit", "invalid_polygons", "attribution",
    "allow_remote",  NULL};

static rt_status study_grid(rti_yaml *y, const rti_yaml_map *s, rt_study *st)
{
    RTI_TRY(rti_yaml_get_num(y, s, "cell_size_m", 1, &RTI_RANGE_CELL, &st->cell_m));
    size_t k = rti_yaml_push(y, "extent");
    rt_status rc = extent_value(y, s, st);
    rti_yaml_pop(y, k);
    RTI_TRY(rc);
    if (st->has_extent && rti_yaml_has(s, "extent_buffer_m"))
        return rti_yaml_fail_key(y, s, "extent_buffer_m",
                                 "has no effect when 'extent' is given; remove one of them");
    RTI_TRY(rti_yaml_get_num(y, s, "extent_buffer_m", 0, &RTI_RANGE_BUFFER, &st->buffer_m));
    st->snap_radius_m = 2.0 * st->cell_m;
    RTI_TRY(rti_yaml_get_num(y, s, "snap_radius_m", 0, &RTI_RANGE_REACH, &st->snap_radius_m));
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
    RTI_TRY(rti_yaml_get_bool(y, s, "allow_remote", &st->allow_remote));
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
/* Sections                                                         */

typedef rt_status (*map_fn)(rti_yaml *y, const rti_yaml_map *s, void *target);

static rt_status run_study(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return study_fields(y, s, t);
}
static rt_status run_medium(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return rti_spec_medium(y, s, t);
}
static rt_status run_population(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return rti_spec_population(y, s, t);
}
static rt_status run_outputs(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return rti_spec_outputs(y, s, t);
}
static rt_status run_report(rti_yaml *y, const rti_yaml_map *s, void *t)
{
    return rti_spec_report(y, s, t);
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

static const char *const ROOT_KEYS[] = {"study",   "medium", "facilities", "population", "regions",
                                        "outputs", "report", "scenarios",  NULL};

static rt_status read_root(rti_yaml *y, struct fy_node *root, rt_study *st)
{
    rti_yaml_map s = {root, rti_yaml_where(root, (rti_where){1, 1})};
    char g[RTI_YAML_SHOW_CHARS + 32];
    if (fy_node_get_type(root) != FYNT_MAPPING)
        return rti_yaml_fail(
            y, s.at,
            "the file must be a mapping with the keys study, medium, "
            "facilities, regions (and population, outputs, report, scenarios), got %s",
            rti_yaml_got(root, g, sizeof(g)));
    RTI_TRY(rti_yaml_check_keys(y, &s, ROOT_KEYS, NULL, NULL));
    st->buffer_m = 5000.0;
    st->neighbours = 16;
    RTI_TRY(section(y, &s, "study", 1, run_study, st, NULL));
    if (!st->crs && !(st->crs = rti_yaml_dup(y, "EPSG:28992", strlen("EPSG:28992"))))
        return RT_E_NOMEM;
    RTI_TRY(section(y, &s, "medium", 1, run_medium, &st->medium, NULL));
    RTI_TRY(rti_spec_facilities(y, &s, st));
    RTI_TRY(section(y, &s, "population", 0, run_population, &st->population, &st->has_population));
    RTI_TRY(rti_spec_regions(y, &s, st));
    st->outputs = (rti_outputs){1, 1, 1, 1, 1, 1, 0, 1, 1};
    RTI_TRY(section(y, &s, "outputs", 0, run_outputs, &st->outputs, NULL));
    RTI_TRY(section(y, &s, "report", 0, run_report, &st->report, NULL));
    RTI_TRY(rti_spec_scenarios(y, &s, st));
    RTI_TRY(rti_spec_output_names(y, st));
    return rti_spec_medium_rules(y, &s, st);
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
        st = rti_yaml_read_file(&y, "study file", &buf, &len);
    if (st == RT_OK)
        st = parse_yaml(&y, buf, len, study);
    if (st == RT_OK && !study->name)
        st = default_name(&y, study);
    free(buf);
    if (st != RT_OK)
        rti_study_clear(study);
    return st;
}
