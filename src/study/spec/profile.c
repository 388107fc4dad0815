/* Speed profiles: YAML files read with libfyaml (format in
 * docs/networks.md). Errors read "FILE:LINE:COLUMN: key 'a.b': what". */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "core/roadnet.h"
#include "study/spec/spec.h"

typedef struct ploc {
    rt_ctx *ctx;
    const char *file;
} ploc;

static rt_status perr(const ploc *p, struct fy_node *at, const char *key, const char *fmt, ...)
    RTI_PRINTF(4, 5);
static rt_status perr(const ploc *p, struct fy_node *at, const char *key, const char *fmt, ...)
{
    char what[1024];
    int line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    rti_where w = rti_yaml_where(at, (rti_where){0, 0});
    line = w.line ? w.line : 1;
    col = w.line ? w.column : 1;
    if (key)
        return rti_error(p->ctx, RT_E_PARSE, "%s:%d:%d: key '%s': %s", p->file, line, col, key,
                         what);
    return rti_error(p->ctx, RT_E_PARSE, "%s:%d:%d: %s", p->file, line, col, what);
}

/* The scalar text of n (NUL-terminated copy in buf), or NULL. */
static const char *scalar(struct fy_node *n, char *buf, size_t size)
{
    size_t len = 0;
    const char *s = n && fy_node_get_type(n) == FYNT_SCALAR ? fy_node_get_scalar(n, &len) : NULL;
    if (!s || len >= size)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

/* A plain decimal number (no NaN, no infinity). */
static int number(const char *s, double *out)
{
    char *end = NULL;
    if (!s || !*s || strspn(s, "0123456789+-.eE") != strlen(s))
        return 0;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* A class speed: a number > 0, or no/false (0: not used). */
static rt_status speed_value(const ploc *p, struct fy_node *v, const char *key, double *kmh)
{
    char buf[64];
    const char *s = scalar(v, buf, sizeof(buf));
    if (rti_word_in(s, rti_no_words)) {
        *kmh = 0;
        return RT_OK;
    }
    if (!number(s, kmh) || !(*kmh > 0))
        return perr(p, v, key, "expected a speed in km/h (> 0) or no, got '%s'", s ? s : "?");
    return RT_OK;
}

static const char *known_classes(char *buf, size_t size)
{
    const char *const *names = rti_road_class_names(NULL);
    size_t n = 0;
    buf[0] = '\0';
    for (; *names && n < size; names++) {
        int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *names);
        n += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

static rt_status set_class(rt_ctx *ctx, rti_profile *p, int k, double kmh)
{
    (void)ctx;
    p->class_kmh[k] = kmh > 0 ? kmh : NAN;
    return RT_OK;
}

/* Reads the mapping {class: km/h or no}; seen[] marks the classes given. */
static rt_status class_map(const ploc *pl, struct fy_node *map, rti_profile *p, int *seen)
{
    char name[80], key[120], list[700];
    void *iter = NULL;
    struct fy_node_pair *pair;
    if (!map || fy_node_get_type(map) != FYNT_MAPPING)
        return perr(pl, map, "classes", "expected a mapping of road classes to km/h");
    while ((pair = fy_node_mapping_iterate(map, &iter))) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        const char *cls = scalar(k, name, sizeof(name));
        int idx = rti_road_class_index(cls);
        snprintf(key, sizeof(key), "classes.%s", cls ? cls : "?");
        if (idx < 0)
            return perr(pl, k, key, "unknown road class '%s' (known classes: %s)", cls ? cls : "?",
                        known_classes(list, sizeof(list)));
        double kmh = 0;
        rt_status st = speed_value(pl, v, key, &kmh);
        if (st != RT_OK)
            return st;
        set_class(pl->ctx, p, idx, kmh);
        if (seen)
            seen[idx] = 1;
    }
    return RT_OK;
}

static const char *const KEYS[] = {"version", "mode",        "use_maxspeed", "default_kmh",
                                   "classes", "description", "sources",      NULL};

static struct fy_node *get(struct fy_node *root, const char *key)
{
    return fy_node_mapping_lookup_by_string(root, key, FY_NT);
}

static rt_status check_keys(const ploc *pl, struct fy_node *root)
{
    void *iter = NULL;
    struct fy_node_pair *pair;
    char name[80], list[256] = "";
    for (int i = 0; KEYS[i]; i++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", KEYS[i]);
    while ((pair = fy_node_mapping_iterate(root, &iter))) {
        const char *k = scalar(fy_node_pair_key(pair), name, sizeof(name));
        if (!rti_word_in(k, KEYS))
            return perr(pl, fy_node_pair_key(pair), k ? k : "?", "unknown key; valid keys: %s",
                        list);
    }
    return RT_OK;
}

static rt_status header(const ploc *pl, struct fy_node *root, rti_profile *p)
{
    static const char *const modes[] = {"car", "bike", "walk", NULL};
    char buf[64];
    double v;
    struct fy_node *n = get(root, "version");
    if (!n)
        return perr(pl, root, "version", "required key is missing");
    if (!number(scalar(n, buf, sizeof(buf)), &v) || v != RTI_PROFILE_VERSION)
        return perr(pl, n, "version", "this reistijd reads profile version %d, got '%s'",
                    RTI_PROFILE_VERSION, scalar(n, buf, sizeof(buf)) ? buf : "?");
    p->version = RTI_PROFILE_VERSION;
    n = get(root, "mode");
    const char *m = scalar(n, buf, sizeof(buf));
    if (!n)
        return perr(pl, root, "mode", "required key is missing");
    if (!rti_word_in(m, modes))
        return perr(pl, n, "mode", "expected car, bike or walk, got '%s'", m ? m : "?");
    p->mode = strcmp(m, "car") == 0    ? RTI_MODE_CAR
              : strcmp(m, "bike") == 0 ? RTI_MODE_BIKE
                                       : RTI_MODE_WALK;
    n = get(root, "use_maxspeed");
    const char *u = scalar(n, buf, sizeof(buf));
    if (n && !rti_word_in(u, rti_yes_words) && !rti_word_in(u, rti_no_words))
        return perr(pl, n, "use_maxspeed", "expected true or false, got '%s'", u ? u : "?");
    p->use_maxspeed = n && rti_word_in(u, rti_yes_words);
    p->default_kmh = NAN;
    n = get(root, "default_kmh");
    if (n && (!number(scalar(n, buf, sizeof(buf)), &p->default_kmh) || !(p->default_kmh > 0)))
        return perr(pl, n, "default_kmh", "expected a speed in km/h (> 0), got '%s'",
                    scalar(n, buf, sizeof(buf)) ? buf : "?");
    return RT_OK;
}

static rt_status read_profile(const ploc *pl, struct fy_node *root, rti_profile *p)
{
    int seen[RTI_PROFILE_MAX_CLASSES] = {0}, n;
    const char *const *names = rti_road_class_names(&n);
    if (!root || fy_node_get_type(root) != FYNT_MAPPING)
        return perr(pl, root, NULL, "a profile is a mapping with version, mode and classes");
    rt_status st = check_keys(pl, root);
    st = st ? st : header(pl, root, p);
    struct fy_node *cls = get(root, "classes");
    if (st == RT_OK && !cls)
        return perr(pl, root, "classes", "required key is missing");
    st = st ? st : class_map(pl, cls, p, seen);
    for (int i = 0; st == RT_OK && i < n; i++)
        if (!seen[i] && strcmp(names[i], "line") != 0)
            st = perr(pl, cls, "classes",
                      "class '%s' is missing: give every road class a speed or no", names[i]);
    return st;
}

static void diag_quiet(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag, (void)user, (void)buf, (void)len;
}

static rt_status first_yaml_error(const ploc *pl, struct fy_diag *diag)
{
    void *iter = NULL;
    struct fy_diag_error *e;
    while ((e = fy_diag_errors_iterate(diag, &iter)))
        if (e->type >= FYET_ERROR)
            return rti_error(pl->ctx, RT_E_PARSE, "%s:%d:%d: YAML syntax error: %s", pl->file,
                             e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1,
                             e->msg ? e->msg : "invalid YAML");
    return rti_error(pl->ctx, RT_E_PARSE, "%s:1:1: the file holds no YAML document", pl->file);
}

static rt_status parse_file(const ploc *pl, rti_profile *p)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_quiet;
    dcfg.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag)
        return rti_error(pl->ctx, RT_E_NOMEM, "%s: out of memory starting the YAML parser",
                         pl->file);
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {NULL, FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT, NULL, diag};
    struct fy_document *doc = fy_document_build_from_file(&cfg, pl->file);
    rt_status st;
    if (!doc || fy_diag_got_error(diag) || !fy_document_root(doc))
        st = first_yaml_error(pl, diag);
    else
        st = read_profile(pl, fy_document_root(doc), p);
    fy_document_destroy(doc);
    fy_diag_destroy(diag);
    return st;
}

rt_status rti_profile_load(rt_ctx *ctx, const char *path, rti_profile *out)
{
    memset(out, 0, sizeof(*out));
    ploc pl = {ctx, path};
    int n;
    rti_road_class_names(&n);
    out->n_classes = n;
    for (int i = 0; i < RTI_PROFILE_MAX_CLASSES; i++)
        out->class_kmh[i] = NAN;
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        char err[256] = "no path given";
        if (path && strerror_r(errno, err, sizeof(err)) != 0)
            snprintf(err, sizeof(err), "error %d", errno);
        return rti_error(ctx, RT_E_IO, "%s: cannot read the speed profile: %s",
                         path ? path : "profile", err);
    }
    fclose(f);
    rt_status st = parse_file(&pl, out);
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
                         p->path ? p->path : "", cls ? cls : "", known_classes(list, sizeof(list)));
    if (!(kmh >= 0) || !isfinite(kmh))
        return rti_error(ctx, RT_E_ARG,
                         "speed profile %s: class '%s': speed %g km/h (must be > "
                         "0, or 0 for not used)",
                         p->path ? p->path : "", cls, kmh);
    return set_class(ctx, p, k, kmh);
}

rt_status rti_profile_override_node(rt_ctx *ctx, rti_profile *p, struct fy_node *map,
                                    const char *file)
{
    ploc pl = {ctx, file ? file : "study"};
    return class_map(&pl, map, p, NULL);
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
