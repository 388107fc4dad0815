/* Speed profiles: YAML files read with the reader of spec/ in its lenient
 * form (format in docs/networks.md). Errors read
 * "FILE:LINE:COLUMN: key 'a.b': what", at the top of the file when the
 * value at fault has no position. */
#define _POSIX_C_SOURCE 200809L
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/roadnet.h"
#include "study/spec/spec.h"

static const char *const KEYS[] = {"version",     "mode",    "use_maxspeed",
                                   "default_kmh", "classes", "no_access",
                                   "description", "sources", NULL};
static const char *const MODES[] = {"car", "bike", "walk", NULL};
static const rti_where TOP = {1, 1};

static void set_class(rti_profile *p, int k, double kmh) { p->class_kmh[k] = kmh > 0 ? kmh : NAN; }

/* The text of the value it (NULL when it is not a scalar or too long) and
 * where an error about it points. */
static const char *text(rti_yaml_item it, char *buf, size_t size, rti_where *at)
{
    *at = rti_yaml_where(it.val, TOP);
    return rti_yaml_text(it.val, buf, size);
}

static rt_status header(rti_yaml *y, const rti_yaml_map *root, rti_profile *p)
{
    char buf[64], range[96];
    double v = 0;
    rti_where at;
    rti_yaml_item it = rti_yaml_field(root, "version");
    const char *s = text(it, buf, sizeof(buf), &at);
    if (!it.present)
        return rti_yaml_missing(y, root, "version");
    if (!s || !rti_yaml_number(s, strlen(s), 0, &v) || v != RTI_PROFILE_VERSION)
        return rti_yaml_fail_in(y, "version", at,
                                "this reistijd reads profile version %d, got '%s'",
                                RTI_PROFILE_VERSION, s ? s : "?");
    p->version = RTI_PROFILE_VERSION;
    s = text(it = rti_yaml_field(root, "mode"), buf, sizeof(buf), &at);
    if (!it.present)
        return rti_yaml_missing(y, root, "mode");
    if (!rti_word_in(s, MODES))
        return rti_yaml_fail_in(y, "mode", at, "expected car, bike or walk, got '%s'", s ? s : "?");
    p->mode = strcmp(s, "car") == 0    ? RTI_MODE_CAR
              : strcmp(s, "bike") == 0 ? RTI_MODE_BIKE
                                       : RTI_MODE_WALK;
    s = text(it = rti_yaml_field(root, "use_maxspeed"), buf, sizeof(buf), &at);
    if (it.present && !rti_word_in(s, rti_yes_words) && !rti_word_in(s, rti_no_words))
        return rti_yaml_fail_in(y, "use_maxspeed", at, "expected true or false, got '%s'",
                                s ? s : "?");
    p->use_maxspeed = it.present && rti_word_in(s, rti_yes_words);
    p->default_kmh = NAN;
    s = text(it = rti_yaml_field(root, "default_kmh"), buf, sizeof(buf), &at);
    if (it.present && (!s || !rti_yaml_number(s, strlen(s), 0, &p->default_kmh) ||
                       !rti_in_range(&RTI_RANGE_SPEED, p->default_kmh)))
        return rti_yaml_fail_in(y, "default_kmh", at, "expected a speed %s, got '%s'",
                                rti_range_text(&RTI_RANGE_SPEED, range, sizeof(range)),
                                s ? s : "?");
    return RT_OK;
}

/* classes: {class: km/h or no}, every class but "line" given. */
static rt_status classes(rti_yaml *y, struct fy_node *map, rti_profile *p)
{
    rti_where at = rti_yaml_where(map, TOP);
    int seen[RTI_PROFILE_MAX_CLASSES] = {0}, n_names, n = 0;
    const char *const *names = rti_road_class_names(&n_names);
    rti_road_class *c = NULL;
    if (!map || fy_node_get_type(map) != FYNT_MAPPING)
        return rti_yaml_fail(y, at, "expected a mapping of road classes to km/h");
    rti_yaml_map m = {map, TOP};
    rt_status st =
        rti_yaml_class_speeds(y, &m, RTI_CLASS_KNOWN | RTI_CLASS_NO, "road classes", &c, &n);
    for (int i = 0; st == RT_OK && i < n; i++) {
        int k = rti_road_class_index(c[i].name);
        set_class(p, k, c[i].speed_kmh);
        seen[k] = 1;
    }
    for (int i = 0; st == RT_OK && i < n_names; i++)
        if (!seen[i] && strcmp(names[i], "line") != 0)
            st = rti_yaml_fail(y, at, "class '%s' is missing: give every road class a speed or no",
                               names[i]);
    for (int i = 0; i < n; i++)
        free(c[i].name);
    free(c);
    return st;
}

/* no_access: [class, ...] (may be absent or empty): the classes whose
 * roads no cell or facility joins along their length. */
static rt_status no_access(rti_yaml *y, const rti_yaml_map *top, rti_profile *p)
{
    if (!rti_yaml_has(top, "no_access"))
        return RT_OK;
    rti_yaml_item it;
    RTI_TRY(rti_yaml_get_list(y, top, "no_access", 0, "road class", &it));
    const int n = fy_node_sequence_item_count(it.val);
    size_t k = rti_yaml_push(y, "no_access");
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < n; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        size_t ki = rti_yaml_push_index(y, i);
        char buf[64], got[RTI_YAML_SHOW_CHARS + 32], list[700];
        const rti_where at = rti_yaml_where(e, it.at);
        const char *s = rti_yaml_text(e, buf, sizeof(buf));
        const int c = s ? rti_road_class_index(s) : -1;
        if (!s)
            st = rti_yaml_fail(y, at, "expected a road class, got %s",
                               rti_yaml_got(e, got, sizeof(got)));
        else if (c < 0 || c >= RTI_PROFILE_MAX_CLASSES)
            st = rti_yaml_fail(y, at, "unknown road class '%s' (known classes: %s)", s,
                               rti_yaml_join(list, sizeof(list), rti_road_class_names(NULL)));
        else
            p->no_access[c] = 1;
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return st;
}

static rt_status read_profile(rti_yaml *y, struct fy_node *root, rti_profile *p)
{
    rti_yaml_map top = {root, rti_yaml_where(root, TOP)}, keys = {root, TOP};
    if (!root || fy_node_get_type(root) != FYNT_MAPPING)
        return rti_yaml_fail(y, top.at, "a profile is a mapping with version, mode and classes");
    RTI_TRY(rti_yaml_check_keys(y, &keys, KEYS, NULL, NULL));
    RTI_TRY(header(y, &top, p));
    rti_yaml_item cls = rti_yaml_field(&top, "classes");
    if (!cls.present)
        return rti_yaml_missing(y, &top, "classes");
    size_t k = rti_yaml_push(y, "classes");
    rt_status st = classes(y, cls.val, p);
    rti_yaml_pop(y, k);
    return st == RT_OK ? no_access(y, &top, p) : st;
}

rt_status rti_profile_load(rt_ctx *ctx, const char *path, rti_profile *out)
{
    memset(out, 0, sizeof(*out));
    int n;
    rti_road_class_names(&n);
    out->n_classes = n;
    for (int i = 0; i < RTI_PROFILE_MAX_CLASSES; i++)
        out->class_kmh[i] = NAN;
    if (!path)
        return rti_error(ctx, RT_E_IO, "profile: cannot open the speed profile: no path given");
    rti_yaml y = {
        .ctx = ctx, .file = path, .no_document = "the file holds no YAML document", .lenient = 1};
    rti_yaml_doc d = {0};
    char *buf = NULL;
    size_t len = 0;
    rt_status st = rti_yaml_read_file(&y, "speed profile", &buf, &len);
    if (st == RT_OK)
        st = rti_yaml_load(&y, buf, len, &d);
    if (st == RT_OK)
        st = read_profile(&y, rti_yaml_root(&d), out);
    rti_yaml_doc_free(&d);
    free(buf);
    if (st == RT_OK && !(out->path = rti_malloc_array(ctx, (int64_t)strlen(path) + 1, 1, "path")))
        st = RT_E_NOMEM;
    if (st == RT_OK)
        memcpy(out->path, path, strlen(path) + 1);
    if (st != RT_OK)
        rti_profile_free(out);
    return st;
}

void rti_profile_free(rti_profile *p)
{
    if (!p)
        return;
    free(p->path);
    memset(p, 0, sizeof(*p));
}

rt_status rti_profile_override(rt_ctx *ctx, rti_profile *p, const char *cls, double kmh)
{
    char list[700];
    int k = rti_road_class_index(cls);
    if (k < 0)
        return rti_error(ctx, RT_E_ARG,
                         "speed profile %s: unknown road class '%s' (known "
                         "classes: %s)",
                         p->path ? p->path : "", cls ? cls : "",
                         rti_yaml_join(list, sizeof(list), rti_road_class_names(NULL)));
    if (kmh != 0 && !rti_in_range(&RTI_RANGE_SPEED, kmh))
        return rti_error(ctx, RT_E_ARG,
                         "speed profile %s: class '%s': speed %g km/h (must be %s, or 0 for "
                         "not used)",
                         p->path ? p->path : "", cls, kmh,
                         rti_range_text(&RTI_RANGE_SPEED, list, sizeof(list)));
    set_class(p, k, kmh);
    return RT_OK;
}

/* ---- where the profiles are ---- */

#ifndef RT_PROFILES_INSTALL_DIR
#define RT_PROFILES_INSTALL_DIR "/usr/local/share/reistijd/profiles"
#endif
#ifndef RT_PROFILES_SOURCE_DIR
#define RT_PROFILES_SOURCE_DIR "geodata/profiles"
#endif

static char *join_path(rt_ctx *ctx, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = rti_malloc_array(ctx, (int64_t)n, 1, "file name");
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int rti_profile_dirs(const char *dirs[3])
{
    int n = 0;
    const char *env = getenv("REISTIJD_PROFILES");
    if (env && *env)
        dirs[n++] = env;
    dirs[n++] = RT_PROFILES_INSTALL_DIR;
    dirs[n++] = RT_PROFILES_SOURCE_DIR;
    return n;
}

char *rti_find_profile_file(rt_ctx *ctx, const char *name, rt_status *st)
{
    const char *dirs[3];
    int n = rti_profile_dirs(dirs);
    *st = RT_OK;
    for (int i = 0; i < n; i++) {
        char *p = join_path(ctx, dirs[i], name);
        if (!p) {
            *st = RT_E_NOMEM;
            return NULL;
        }
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}
