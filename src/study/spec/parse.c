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

#define KEY_BYTES 256           /* longest key path kept for messages */
#define SHOW_CHARS 60           /* longest value quoted in a message */
#define MAX_FILE_BYTES 16777216 /* a study file is small text */
#define MAX_NAME_CHARS 64       /* facility types and region names */

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        rt_status try_st_ = (expr);                                                                \
        if (try_st_ != RT_OK)                                                                      \
            return try_st_;                                                                        \
    } while (0)

/* Parser state: the context, the file name for messages and the path of
 * the key being read ("facilities[1].norms.minutes"). */
typedef struct pctx {
    rt_ctx *ctx;
    const char *file; /* as given by the caller */
    const char *dir;  /* the study file's folder, for relative paths */
    char key[KEY_BYTES];
    size_t key_len;
} pctx;

/* A mapping being read and where it was introduced (the position of its
 * key, or of its first entry for list items and the root). */
typedef struct scope {
    struct fy_node *map;
    rti_where at;
} scope;

/* The value of one key of a mapping. */
typedef struct item {
    struct fy_node *val;
    rti_where at; /* position of the key */
    int present;
} item;

enum num_rule { NUM_ANY, NUM_POS, NUM_NONNEG };
enum src_kind { SRC_RASTER, SRC_VECTOR, SRC_POINTS };

/* ---------------------------------------------------------------- */
/* Key paths and messages                                           */

static size_t key_push(pctx *p, const char *name)
{
    size_t old = p->key_len;
    int n = snprintf(p->key + old, sizeof(p->key) - old, old ? ".%s" : "%s", name);
    p->key_len = n < 0 || (size_t)n >= sizeof(p->key) - old ? sizeof(p->key) - 1 : old + (size_t)n;
    return old;
}

static size_t key_push_index(pctx *p, int64_t i)
{
    size_t old = p->key_len;
    int n = snprintf(p->key + old, sizeof(p->key) - old, "[%lld]", (long long)i);
    p->key_len = n < 0 || (size_t)n >= sizeof(p->key) - old ? sizeof(p->key) - 1 : old + (size_t)n;
    return old;
}

static void key_pop(pctx *p, size_t old)
{
    p->key_len = old;
    p->key[old] = '\0';
}

/* Copies text from the file into buf for a message: at most SHOW_CHARS
 * bytes, control characters shown as '?'. */
__attribute__((noinline)) static const char *show(char *buf, size_t size, const char *s, size_t len)
{
    size_t n = len < size - 4 ? len : size - 4;
    if (n > SHOW_CHARS)
        n = SHOW_CHARS;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (n < len)
        memcpy(buf + n, "...", 3), n += 3;
    buf[n] = '\0';
    return buf;
}

static rt_status vfail(pctx *p, rti_where at, const char *fmt, va_list ap)
{
    char what[RTI_MSG_BYTES / 2];
    vsnprintf(what, sizeof(what), fmt, ap);
    if (p->key_len)
        return rti_error(p->ctx, RT_E_PARSE, "%s:%d:%d: key '%s': %s", p->file, at.line, at.column,
                         p->key, what);
    return rti_error(p->ctx, RT_E_PARSE, "%s:%d:%d: %s", p->file, at.line, at.column, what);
}

/* An RT_E_PARSE error at `at` about the current key path. */
static rt_status fail(pctx *p, rti_where at, const char *fmt, ...) RTI_PRINTF(3, 4);
static rt_status fail(pctx *p, rti_where at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_status st = vfail(p, at, fmt, ap);
    va_end(ap);
    return st;
}

/* ---------------------------------------------------------------- */
/* Nodes                                                            */

rti_where rti_node_where(struct fy_node *n)
{
    rti_where w = {0, 0};
    while (n && fy_node_get_type(n) != FYNT_SCALAR) {
        if (fy_node_get_type(n) == FYNT_MAPPING) {
            struct fy_node_pair *pair = fy_node_mapping_get_by_index(n, 0);
            n = pair ? fy_node_pair_key(pair) : NULL;
        } else {
            n = fy_node_sequence_get_by_index(n, 0);
        }
    }
    struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        w.line = m->line + 1;
        w.column = m->column + 1;
    }
    return w;
}

static rti_where where_or(struct fy_node *n, rti_where fallback)
{
    rti_where w = rti_node_where(n);
    return w.line ? w : fallback;
}

static const char *text_of(struct fy_node *n, size_t *len)
{
    const char *s = fy_node_get_scalar(n, len);
    if (!s) {
        *len = 0;
        s = "";
    }
    return s;
}

static int is_plain(struct fy_node *n) { return fy_node_get_style(n) == FYNS_PLAIN; }

/* An absent value, `key:` with nothing after it, `~` or `null`. */
static int is_null(struct fy_node *n)
{
    if (!n)
        return 1;
    if (fy_node_get_type(n) != FYNT_SCALAR || !is_plain(n))
        return 0;
    size_t len = 0;
    const char *s = text_of(n, &len);
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (len == strlen(nulls[i]) && memcmp(s, nulls[i], len) == 0)
            return 1;
    return 0;
}

/* What a node is, for "expected X, got Y". */
static const char *got(struct fy_node *n, char *buf, size_t size)
{
    char t[SHOW_CHARS + 8];
    size_t len = 0;
    if (is_null(n))
        return "an empty value";
    if (fy_node_get_type(n) == FYNT_MAPPING)
        return "a mapping";
    if (fy_node_get_type(n) == FYNT_SEQUENCE)
        return "a list";
    const char *s = text_of(n, &len);
    snprintf(buf, size, is_plain(n) ? "'%s'" : "the quoted text '%s'", show(t, sizeof(t), s, len));
    return buf;
}

/* Copies n bytes of file text into a new NUL-terminated string. */
static char *dup_n(pctx *p, const char *s, size_t n)
{
    char *d = rti_malloc_array(p->ctx, (int64_t)n + 1, 1, "study file text");
    if (d && n)
        memcpy(d, s, n);
    return d;
}

static char *dup_s(pctx *p, const char *s) { return dup_n(p, s, strlen(s)); }

/* ---------------------------------------------------------------- */
/* Mappings and keys                                                */

static item field(const scope *s, const char *name)
{
    item it = {NULL, s->at, 0};
    void *iter = NULL;
    struct fy_node_pair *pair;
    size_t n = strlen(name);
    while ((pair = fy_node_mapping_iterate(s->map, &iter))) {
        struct fy_node *k = fy_node_pair_key(pair);
        size_t len;
        if (!k || fy_node_get_type(k) != FYNT_SCALAR)
            continue;
        const char *t = text_of(k, &len);
        if (len == n && memcmp(t, name, n) == 0) {
            it.val = fy_node_pair_value(pair);
            it.at = where_or(k, s->at);
            it.present = 1;
            return it;
        }
    }
    return it;
}

static int has(const scope *s, const char *name) { return field(s, name).present; }

/* An error about key `name` of s, at the key (or at s when absent). */
static rt_status fail_key(pctx *p, const scope *s, const char *name, const char *fmt, ...)
    RTI_PRINTF(4, 5);
static rt_status fail_key(pctx *p, const scope *s, const char *name, const char *fmt, ...)
{
    va_list ap;
    size_t k = key_push(p, name);
    va_start(ap, fmt);
    rt_status st = vfail(p, field(s, name).at, fmt, ap);
    va_end(ap);
    key_pop(p, k);
    return st;
}

static rt_status missing(pctx *p, const scope *s, const char *name)
{
    size_t k = key_push(p, name);
    rt_status st = fail(p, s->at, "required key is missing");
    key_pop(p, k);
    return st;
}

/* Optimal string alignment distance, ASCII case-insensitive. Returns a
 * large value for names longer than 63 bytes. */
static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    int d[64][64];
    if (n > 63 || m > 63)
        return 1000;
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = a[i - 1] >= 'A' && a[i - 1] <= 'Z' ? a[i - 1] + 32 : a[i - 1];
            int cb = b[j - 1] >= 'A' && b[j - 1] <= 'Z' ? b[j - 1] + 32 : b[j - 1];
            int v = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

/* The closest of names (NULL-terminated) to word, if it is close enough
 * to be a likely typo; NULL otherwise. */
static const char *suggest(const char *word, const char *const *names)
{
    const char *best = NULL;
    int best_d = INT_MAX;
    for (; names && *names; names++) {
        size_t len = strlen(*names);
        int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
        int d = edit_distance(word, *names);
        if (d <= limit && d < best_d) {
            best = *names;
            best_d = d;
        }
    }
    return best;
}

static const char *join(char *buf, size_t size, const char *const *names)
{
    size_t n = 0;
    buf[0] = '\0';
    for (; *names && n < size; names++) {
        int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *names);
        n += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

/* Rejects keys of s that are not in allowed. Keys in misplaced are valid
 * elsewhere; their message is "<key> <why>". */
static rt_status check_keys(pctx *p, const scope *s, const char *const *allowed,
                            const char *const *misplaced, const char *why)
{
    void *iter = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(s->map, &iter))) {
        struct fy_node *k = fy_node_pair_key(pair);
        rti_where at = where_or(k, s->at);
        char name[SHOW_CHARS + 8], list[512];
        size_t len;
        if (!k || fy_node_get_type(k) != FYNT_SCALAR || is_null(k))
            return fail(p, at, "keys must be plain names, got %s", got(k, list, sizeof(list)));
        const char *t = text_of(k, &len);
        show(name, sizeof(name), t, len);
        if (len == strlen(name) && rti_word_in(name, allowed))
            continue;
        size_t old = key_push(p, name);
        const char *near = suggest(name, allowed);
        rt_status st;
        if (rti_word_in(name, misplaced))
            st = fail(p, at, "'%s' %s", name, why);
        else if (near)
            st = fail(p, at, "unknown key; did you mean '%s'?", near);
        else
            st = fail(p, at, "unknown key; valid keys here: %s", join(list, sizeof(list), allowed));
        key_pop(p, old);
        return st;
    }
    return RT_OK;
}

/* ---------------------------------------------------------------- */
/* Typed values                                                     */

/* The text of a scalar value; an error naming `expected` otherwise. */
static rt_status scalar_text(pctx *p, struct fy_node *n, rti_where at, const char *expected,
                             const char **txt, size_t *len)
{
    char g[SHOW_CHARS + 32];
    if (is_null(n) || fy_node_get_type(n) != FYNT_SCALAR)
        return fail(p, at, "expected %s, got %s", expected, got(n, g, sizeof(g)));
    *txt = text_of(n, len);
    return RT_OK;
}

/* Parses a plain decimal number ("100", "-2.5", "1e3"); 0 if it is not
 * one. NaN and infinities are not numbers here. */
static int parse_number(const char *s, size_t len, double *out)
{
    char buf[64];
    int digit = 0;
    if (len == 0 || len >= sizeof(buf))
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!strchr("0123456789+-.eE", s[i]) || s[i] == '\0')
            return 0;
        digit |= s[i] >= '0' && s[i] <= '9';
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (!digit || *end != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static rt_status num_value(pctx *p, struct fy_node *n, rti_where at, const char *label, int rule,
                           double *out)
{
    const char *s = NULL;
    size_t len = 0;
    double v;
    char g[SHOW_CHARS + 32];
    TRY(scalar_text(p, n, at, "a number", &s, &len));
    if (!is_plain(n) || !parse_number(s, len, &v))
        return fail(p, at, "expected a number, got %s", got(n, g, sizeof(g)));
    if (rule == NUM_POS && !(v > 0))
        return fail(p, at, "%s must be > 0, got %s", label, show(g, sizeof(g), s, len));
    if (rule == NUM_NONNEG && !(v >= 0))
        return fail(p, at, "%s must be >= 0, got %s", label, show(g, sizeof(g), s, len));
    *out = v;
    return RT_OK;
}

/* Reads number key `name` of s into *out; leaves *out (the default) when
 * the key is absent and not required. */
static rt_status get_num(pctx *p, const scope *s, const char *name, int required, int rule,
                         double *out)
{
    item it = field(s, name);
    if (!it.present)
        return required ? missing(p, s, name) : RT_OK;
    size_t k = key_push(p, name);
    rt_status st = num_value(p, it.val, it.at, name, rule, out);
    key_pop(p, k);
    return st;
}

static rt_status int_value(pctx *p, struct fy_node *n, rti_where at, const char *label, int min,
                           int *out)
{
    const char *s = NULL;
    size_t len = 0;
    double v;
    char g[SHOW_CHARS + 32];
    TRY(scalar_text(p, n, at, "a whole number", &s, &len));
    if (!is_plain(n) || !parse_number(s, len, &v) || v != floor(v) || memchr(s, '.', len) ||
        memchr(s, 'e', len) || memchr(s, 'E', len) || fabs(v) > INT_MAX)
        return fail(p, at, "expected a whole number, got %s", got(n, g, sizeof(g)));
    if (v < min)
        return fail(p, at, "%s must be >= %d, got %s", label, min, show(g, sizeof(g), s, len));
    *out = (int)v;
    return RT_OK;
}

static rt_status get_int(pctx *p, const scope *s, const char *name, int min, int *out)
{
    item it = field(s, name);
    if (!it.present)
        return RT_OK;
    size_t k = key_push(p, name);
    rt_status st = int_value(p, it.val, it.at, name, min, out);
    key_pop(p, k);
    return st;
}

static rt_status get_bool(pctx *p, const scope *s, const char *name, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", NULL};
    static const char *const no[] = {"false", "False", "FALSE", NULL};
    item it = field(s, name);
    const char *t = NULL;
    size_t len = 0;
    char g[SHOW_CHARS + 32], word[16];
    if (!it.present)
        return RT_OK;
    size_t k = key_push(p, name);
    rt_status st = scalar_text(p, it.val, it.at, "true or false", &t, &len);
    if (st == RT_OK) {
        show(word, sizeof(word), t, len);
        int plain = is_plain(it.val) && len == strlen(word);
        if (plain && rti_word_in(word, yes))
            *out = 1;
        else if (plain && rti_word_in(word, no))
            *out = 0;
        else
            st = fail(p, it.at, "expected true or false, got %s", got(it.val, g, sizeof(g)));
    }
    key_pop(p, k);
    return st;
}

/* A non-empty text without NUL bytes, copied into *out. */
static rt_status str_value(pctx *p, struct fy_node *n, rti_where at, char **out)
{
    const char *s = NULL;
    size_t len = 0;
    TRY(scalar_text(p, n, at, "a text", &s, &len));
    if (len == 0)
        return fail(p, at, "must not be empty");
    if (memchr(s, '\0', len))
        return fail(p, at, "must not contain a NUL character");
    *out = dup_n(p, s, len);
    return *out ? RT_OK : RT_E_NOMEM;
}

/* Reads text key `name` of s; *out stays NULL when it is absent. */
static rt_status get_str(pctx *p, const scope *s, const char *name, int required, char **out)
{
    item it = field(s, name);
    if (!it.present)
        return required ? missing(p, s, name) : RT_OK;
    size_t k = key_push(p, name);
    rt_status st = str_value(p, it.val, it.at, out);
    key_pop(p, k);
    return st;
}

/* A name used in output file names: [a-z0-9_]+, at most 64 characters. */
static rt_status get_name(pctx *p, const scope *s, const char *name, char **out)
{
    TRY(get_str(p, s, name, 1, out));
    size_t n = strlen(*out);
    if (n > MAX_NAME_CHARS || strspn(*out, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        char g[SHOW_CHARS + 8];
        return fail_key(p, s, name,
                        "'%s' is not a valid name: use 1 to %d of a-z, 0-9 and _ "
                        "(it is used in file names)",
                        show(g, sizeof(g), *out, n), MAX_NAME_CHARS);
    }
    return RT_OK;
}

/* Reads key `name` of s as one of values (NULL-terminated) into *index;
 * leaves *index when absent and not required. */
static rt_status get_enum(pctx *p, const scope *s, const char *name, int required,
                          const char *const *values, int *index)
{
    item it = field(s, name);
    const char *t = NULL;
    size_t len = 0;
    char g[SHOW_CHARS + 32], list[256];
    if (!it.present)
        return required ? missing(p, s, name) : RT_OK;
    size_t k = key_push(p, name);
    rt_status st = scalar_text(p, it.val, it.at, "a text", &t, &len);
    for (int i = 0; st == RT_OK && values[i]; i++) {
        if (len == strlen(values[i]) && memcmp(t, values[i], len) == 0) {
            *index = i;
            key_pop(p, k);
            return RT_OK;
        }
    }
    if (st == RT_OK) {
        show(g, sizeof(g), t, len);
        const char *near = len == strlen(g) ? suggest(g, values) : NULL;
        st = fail(p, it.at, "invalid value '%s'; valid values: %s%s%s%s", g,
                  join(list, sizeof(list), values), near ? " (did you mean '" : "",
                  near ? near : "", near ? "'?)" : "");
    }
    key_pop(p, k);
    return st;
}

/* Key `name` of s must be a mapping; out->map is NULL when absent. */
static rt_status get_map(pctx *p, const scope *s, const char *name, int required, scope *out)
{
    item it = field(s, name);
    char g[SHOW_CHARS + 32];
    out->map = NULL;
    out->at = it.at;
    if (!it.present)
        return required ? missing(p, s, name) : RT_OK;
    if (!it.val || fy_node_get_type(it.val) != FYNT_MAPPING) {
        size_t k = key_push(p, name);
        rt_status st = fail(p, it.at, "expected a mapping, got %s", got(it.val, g, sizeof(g)));
        key_pop(p, k);
        return st;
    }
    out->map = it.val;
    return RT_OK;
}

/* Key `name` of s must be a list with at least min_items entries. */
static rt_status get_list(pctx *p, const scope *s, const char *name, int min_items,
                          const char *what, item *out)
{
    char g[SHOW_CHARS + 32];
    *out = field(s, name);
    if (!out->present)
        return missing(p, s, name);
    size_t k = key_push(p, name);
    rt_status st = RT_OK;
    if (!out->val || fy_node_get_type(out->val) != FYNT_SEQUENCE)
        st = fail(p, out->at, "expected a list, got %s", got(out->val, g, sizeof(g)));
    else if (fy_node_sequence_item_count(out->val) < min_items)
        st = fail(p, out->at, "needs at least %d %s", min_items, what);
    key_pop(p, k);
    return st;
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
static rt_status resolve_path(pctx *p, char **path)
{
    const char *rel = *path;
    if (keep_path(rel))
        return RT_OK;
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    size_t nd = strlen(p->dir), nr = strlen(rel);
    int slash = nd && p->dir[nd - 1] != '/';
    char *full = rti_malloc_array(p->ctx, (int64_t)(nd + nr + 2), 1, "study file path");
    if (!full)
        return RT_E_NOMEM;
    memcpy(full, p->dir, nd);
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

static rt_status source_map(pctx *p, const scope *m, int kind, rti_source *src)
{
    const char *const *allowed = kind == SRC_RASTER   ? SRC_KEYS_RASTER
                                 : kind == SRC_VECTOR ? SRC_KEYS_VECTOR
                                                      : SRC_KEYS_POINTS;
    TRY(check_keys(p, m, SRC_KEYS_ALL, NULL, NULL));
    for (int i = 0; SRC_KEYS_ALL[i]; i++) {
        const char *key = SRC_KEYS_ALL[i];
        if (rti_word_in(key, allowed) || !has(m, key))
            continue;
        if (strcmp(key, "band") == 0)
            return fail_key(p, m, key, "'band' applies to raster sources only");
        if (kind == SRC_RASTER)
            return fail_key(p, m, key,
                            "'%s' does not apply to a raster source (only path, "
                            "band, crs and attribution do)",
                            key);
        return fail_key(p, m, key,
                        "'%s' applies to point sources only (facilities and "
                        "population points)",
                        key);
    }
    TRY(get_str(p, m, "path", 1, &src->path));
    TRY(resolve_path(p, &src->path));
    TRY(get_str(p, m, "layer", 0, &src->layer));
    TRY(get_str(p, m, "where", 0, &src->where));
    TRY(get_str(p, m, "crs", 0, &src->crs));
    TRY(get_str(p, m, "x_column", 0, &src->x_column));
    TRY(get_str(p, m, "y_column", 0, &src->y_column));
    TRY(get_str(p, m, "attribution", 0, &src->attribution));
    if (!src->x_column != !src->y_column)
        return fail_key(p, m, src->x_column ? "x_column" : "y_column",
                        "x_column and y_column go together: give both or neither");
    return get_int(p, m, "band", 1, &src->band);
}

/* Reads source key `name` of s: a path, or a mapping with a path. *given
 * (may be NULL) tells whether the key was there. */
static rt_status get_source(pctx *p, const scope *s, const char *name, int required, int kind,
                            rti_source *src, int *given)
{
    item it = field(s, name);
    char g[SHOW_CHARS + 32];
    if (given)
        *given = it.present;
    if (!it.present)
        return required ? missing(p, s, name) : RT_OK;
    size_t k = key_push(p, name);
    rt_status st;
    src->band = 1;
    src->at = it.at;
    if (it.val && fy_node_get_type(it.val) == FYNT_MAPPING) {
        scope m = {it.val, it.at};
        st = source_map(p, &m, kind, src);
    } else if (it.val && fy_node_get_type(it.val) == FYNT_SCALAR && !is_null(it.val)) {
        st = str_value(p, it.val, it.at, &src->path);
        if (st == RT_OK)
            st = resolve_path(p, &src->path);
    } else {
        st = fail(p, it.at, "expected a path or a mapping with a 'path' key, got %s",
                  got(it.val, g, sizeof(g)));
    }
    key_pop(p, k);
    return st;
}

/* ---------------------------------------------------------------- */
/* study:                                                           */

/* "8 GiB", "512 MB", 1073741824 -> bytes. */
static rt_status memory_value(pctx *p, struct fy_node *n, rti_where at, uint64_t *out)
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
    char g[SHOW_CHARS + 32];
    TRY(scalar_text(p, n, at, "a memory size", &s, &len));
    for (i = 0; i < len && strchr("0123456789+-.eE", s[i]) && s[i]; i++)
        ;
    for (j = i; j < len && s[j] == ' '; j++)
        ;
    int ok = parse_number(s, i, &v);
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
        return fail(p, at,
                    "expected a number of bytes or a size like '8 GiB' (units B, KB, MB, "
                    "GB, TB, KiB, MiB, GiB, TiB), got %s",
                    got(n, g, sizeof(g)));
    v *= scale;
    if (!(v >= 1) || v >= 18446744073709551615.0)
        return fail(p, at, "memory_limit must be at least 1 byte and below 16 EiB, got %s",
                    show(g, sizeof(g), s, len));
    *out = (uint64_t)v;
    return RT_OK;
}

static rt_status extent_value(pctx *p, const scope *s, rt_study *st)
{
    item it = field(s, "extent");
    char g[SHOW_CHARS + 32];
    static const char *const names[4] = {"xmin", "ymin", "xmax", "ymax"};
    if (!it.present)
        return RT_OK;
    if (!it.val || fy_node_get_type(it.val) != FYNT_SEQUENCE)
        return fail(p, it.at, "expected a list of 4 numbers [xmin, ymin, xmax, ymax], got %s",
                    got(it.val, g, sizeof(g)));
    if (fy_node_sequence_item_count(it.val) != 4)
        return fail(p, it.at,
                    "expected a list of 4 numbers [xmin, ymin, xmax, ymax], got %d values",
                    fy_node_sequence_item_count(it.val));
    for (int i = 0; i < 4; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        size_t k = key_push_index(p, i);
        rt_status rc = num_value(p, e, where_or(e, it.at), names[i], NUM_ANY, &st->extent[i]);
        key_pop(p, k);
        TRY(rc);
    }
    if (!(st->extent[0] < st->extent[2]) || !(st->extent[1] < st->extent[3]))
        return fail(p, it.at, "xmin must be < xmax and ymin < ymax, got [%g, %g, %g, %g]",
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

static rt_status study_grid(pctx *p, const scope *s, rt_study *st)
{
    TRY(get_num(p, s, "cell_size_m", 1, NUM_POS, &st->cell_m));
    size_t k = key_push(p, "extent");
    rt_status rc = extent_value(p, s, st);
    key_pop(p, k);
    TRY(rc);
    if (st->has_extent && has(s, "extent_buffer_m"))
        return fail_key(p, s, "extent_buffer_m",
                        "has no effect when 'extent' is given; remove one of them");
    TRY(get_num(p, s, "extent_buffer_m", 0, NUM_NONNEG, &st->buffer_m));
    st->snap_radius_m = 2.0 * st->cell_m;
    TRY(get_num(p, s, "snap_radius_m", 0, NUM_NONNEG, &st->snap_radius_m));
    TRY(get_int(p, s, "neighbours", INT_MIN, &st->neighbours));
    if (st->neighbours != 8 && st->neighbours != 16)
        return fail_key(p, s, "neighbours", "neighbours must be 8 or 16, got %d", st->neighbours);
    return RT_OK;
}

static rt_status study_fields(pctx *p, const scope *s, rt_study *st)
{
    static const char *const polygons[] = {"repair", "error", NULL};
    int poly = 0;
    TRY(check_keys(p, s, STUDY_KEYS, NULL, NULL));
    TRY(get_str(p, s, "name", 0, &st->name));
    TRY(get_str(p, s, "crs", 0, &st->crs));
    TRY(get_str(p, s, "attribution", 0, &st->attribution));
    TRY(study_grid(p, s, st));
    item mem = field(s, "memory_limit");
    if (mem.present) {
        size_t k = key_push(p, "memory_limit");
        rt_status rc = memory_value(p, mem.val, mem.at, &st->memory_limit_bytes);
        key_pop(p, k);
        TRY(rc);
    }
    TRY(get_enum(p, s, "invalid_polygons", 0, polygons, &poly));
    st->invalid_polygons = dup_s(p, polygons[poly]);
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

static rt_status medium_classes(pctx *p, const scope *s, rti_medium *md)
{
    scope m;
    TRY(get_map(p, s, "classes", 0, &m));
    if (!m.map)
        return RT_OK;
    int n = fy_node_mapping_item_count(m.map);
    if (n < 1)
        return fail_key(p, s, "classes", "needs at least one class, such as {primary: 80}");
    md->classes = rti_malloc_array(p->ctx, n, sizeof(*md->classes), "road classes");
    if (!md->classes)
        return RT_E_NOMEM;
    md->n_classes = n;
    size_t k = key_push(p, "classes");
    rt_status st = RT_OK;
    for (int i = 0; i < n && st == RT_OK; i++) {
        struct fy_node_pair *pair = fy_node_mapping_get_by_index(m.map, i);
        struct fy_node *key = fy_node_pair_key(pair);
        rti_where at = where_or(key, m.at);
        rti_road_class *c = &md->classes[i];
        st = str_value(p, key, at, &c->name);
        for (int j = 0; st == RT_OK && j < i; j++)
            if (strcmp(md->classes[j].name, c->name) == 0)
                st = fail(p, at, "road class '%s' is given twice", c->name);
        if (st == RT_OK) {
            size_t kc = key_push(p, c->name);
            st = num_value(p, fy_node_pair_value(pair), at, c->name, NUM_POS, &c->speed_kmh);
            key_pop(p, kc);
        }
    }
    key_pop(p, k);
    return st;
}

/* Cross-key rules of the speed model's road settings. */
static rt_status medium_road_rules(pctx *p, const scope *s, const rti_medium *md)
{
    static const char *const need_roads[] = {"speed_column", "class_column", "classes",
                                             "default_road_kmh", NULL};
    if (md->speed_column && md->class_column)
        return fail_key(p, s, "class_column", "give either speed_column or class_column, not both");
    for (int i = 0; !md->has_roads && need_roads[i]; i++)
        if (has(s, need_roads[i]))
            return fail_key(p, s, need_roads[i], "'%s' needs 'roads'", need_roads[i]);
    if (md->has_roads && !md->speed_column && !md->class_column)
        return fail_key(p, s, "roads", "roads need 'speed_column' or 'class_column'");
    if (md->class_column && !md->classes)
        return missing(p, s, "classes");
    if (md->classes && !md->class_column)
        return fail_key(p, s, "classes", "'classes' needs 'class_column'");
    return RT_OK;
}

static rt_status medium_model(pctx *p, const scope *s, rti_medium *md)
{
    TRY(get_num(p, s, "offroad_kmh", 1, NUM_POS, &md->offroad_kmh));
    TRY(get_source(p, s, "land", 0, SRC_VECTOR, &md->land, &md->has_land));
    TRY(get_source(p, s, "roads", 0, SRC_VECTOR, &md->roads, &md->has_roads));
    TRY(get_str(p, s, "speed_column", 0, &md->speed_column));
    TRY(get_str(p, s, "class_column", 0, &md->class_column));
    TRY(medium_classes(p, s, md));
    md->default_road_kmh = NAN;
    TRY(get_num(p, s, "default_road_kmh", 0, NUM_POS, &md->default_road_kmh));
    return medium_road_rules(p, s, md);
}

/* speeds: {class: km/h or no}: overrides of the profile's class speeds. */
static rt_status medium_speeds(pctx *p, const scope *s, rti_medium *md)
{
    scope m;
    TRY(get_map(p, s, "speeds", 0, &m));
    if (!m.map)
        return RT_OK;
    int n = fy_node_mapping_item_count(m.map);
    md->speeds = rti_malloc_array(p->ctx, n > 0 ? n : 1, sizeof(*md->speeds), "road speeds");
    if (!md->speeds)
        return RT_E_NOMEM;
    size_t k = key_push(p, "speeds");
    rt_status st = RT_OK;
    for (int i = 0; i < n && st == RT_OK; i++) {
        struct fy_node_pair *pair = fy_node_mapping_get_by_index(m.map, i);
        struct fy_node *key = fy_node_pair_key(pair), *val = fy_node_pair_value(pair);
        rti_where at = where_or(key, m.at);
        rti_road_class *c = &md->speeds[i];
        char list[700];
        st = str_value(p, key, at, &c->name);
        if (st != RT_OK)
            break;
        md->n_speeds = i + 1;
        size_t kc = key_push(p, c->name);
        int known = rti_road_class_index(c->name) >= 0;
        if (!known) {
            const char *near = suggest(c->name, rti_road_class_names(NULL));
            st = near ? fail(p, at, "unknown road class; did you mean '%s'?", near)
                      : fail(p, at, "unknown road class; known classes: %s",
                             join(list, sizeof(list), rti_road_class_names(NULL)));
        }
        for (int j = 0; st == RT_OK && j < i; j++)
            if (strcmp(md->speeds[j].name, c->name) == 0)
                st = fail(p, at, "road class '%s' is given twice", c->name);
        size_t len = 0;
        const char *t = st == RT_OK && val && fy_node_get_type(val) == FYNT_SCALAR && is_plain(val)
                            ? text_of(val, &len)
                            : NULL;
        char word[16];
        if (t && len < sizeof(word) && rti_word_in(show(word, sizeof(word), t, len), rti_no_words))
            c->speed_kmh = 0; /* the mode does not use the class */
        else if (st == RT_OK)
            st = num_value(p, val, where_or(val, at), c->name, NUM_POS, &c->speed_kmh);
        key_pop(p, kc);
    }
    key_pop(p, k);
    return st;
}

static rt_status medium_network(pctx *p, const scope *s, rti_medium *md)
{
    static const char *const lines_only[] = {"speed_column", "time_column", "oneway_column",
                                             "snap_tolerance_m", NULL};
    scope a;
    md->mode = -1;
    md->snap_tolerance_m = NAN;
    md->access_kmh = 5.0;
    /* hybrid: the cell size, once the study section is read (network_rules) */
    md->access_max_m = md->kind == RTI_MEDIUM_HYBRID ? NAN : 500.0;
    TRY(get_source(p, s, "roads", 1, SRC_VECTOR, &md->roads, &md->has_roads));
    TRY(get_enum(p, s, "format", 0, ROAD_FORMATS, &md->road_format));
    for (int i = 0; lines_only[i]; i++)
        if (has(s, lines_only[i]) && (md->road_format == 1 || md->road_format == 2))
            return fail_key(p, s, lines_only[i], "'%s' applies to format lines only",
                            lines_only[i]);
    TRY(get_str(p, s, "speed_column", 0, &md->speed_column));
    TRY(get_str(p, s, "time_column", 0, &md->time_column));
    TRY(get_str(p, s, "oneway_column", 0, &md->oneway_column));
    if (md->speed_column && md->time_column)
        return fail_key(p, s, "time_column", "give either speed_column or time_column, not both");
    TRY(get_num(p, s, "snap_tolerance_m", 0, NUM_NONNEG, &md->snap_tolerance_m));
    TRY(get_enum(p, s, "mode", 0, NET_MODES, &md->mode));
    TRY(get_str(p, s, "profile", 0, &md->profile));
    if (md->profile)
        TRY(resolve_path(p, &md->profile));
    if (md->mode < 0 && !md->profile)
        return missing(p, s, "mode");
    TRY(medium_speeds(p, s, md));
    TRY(get_map(p, s, "access", 0, &a));
    if (a.map) {
        size_t k = key_push(p, "access");
        rt_status st = check_keys(p, &a, ACCESS_KEYS, NULL, NULL);
        if (st == RT_OK)
            st = get_num(p, &a, "speed_kmh", 0, NUM_POS, &md->access_kmh);
        if (st == RT_OK)
            st = get_num(p, &a, "max_distance_m", 0, NUM_NONNEG, &md->access_max_m);
        key_pop(p, k);
        TRY(st);
    }
    return RT_OK;
}

static rt_status medium_fields(pctx *p, const scope *s, rti_medium *md);

/* offroad: the grid medium of a hybrid medium, with the keys of its type. */
static rt_status medium_offroad(pctx *p, const scope *s, rti_medium *md)
{
    scope o;
    TRY(get_map(p, s, "offroad", 1, &o));
    md->offroad = calloc(1, sizeof(*md->offroad));
    if (!md->offroad)
        return rti_error(p->ctx, RT_E_NOMEM, "out of memory");
    size_t k = key_push(p, "offroad");
    rt_status st = medium_fields(p, &o, md->offroad);
    if (st == RT_OK && rti_medium_has_roads_graph(md->offroad))
        st = fail_key(p, &o, "type",
                      "the medium over land must be a grid: friction, speed or speed_model");
    key_pop(p, k);
    return st;
}

static rt_status medium_fields(pctx *p, const scope *s, rti_medium *md)
{
    int type = 0, res = 0;
    md->at = s->at;
    TRY(get_enum(p, s, "type", 1, MEDIUM_TYPES, &type));
    md->kind = (rti_medium_kind)type;
    if (md->kind == RTI_MEDIUM_NETWORK) {
        TRY(check_keys(p, s, MEDIUM_KEYS_NETWORK, MEDIUM_KEYS_ALL,
                       "does not apply to medium type network"));
        TRY(medium_network(p, s, md));
    } else if (md->kind == RTI_MEDIUM_HYBRID) {
        TRY(check_keys(p, s, MEDIUM_KEYS_HYBRID, MEDIUM_KEYS_ALL,
                       "does not apply to medium type hybrid (the grid medium's keys go under "
                       "'offroad')"));
        TRY(medium_network(p, s, md));
        TRY(medium_offroad(p, s, md));
    } else if (md->kind == RTI_MEDIUM_SPEED_MODEL) {
        TRY(check_keys(p, s, MEDIUM_KEYS_MODEL, MEDIUM_KEYS_GRID,
                       "applies to medium types friction and speed only"));
        TRY(medium_model(p, s, md));
    } else {
        TRY(check_keys(p, s, MEDIUM_KEYS_RASTER, MEDIUM_KEYS_GRID,
                       "applies to medium type speed_model only"));
        TRY(get_source(p, s, "raster", 1, SRC_RASTER, &md->raster, NULL));
        TRY(get_enum(p, s, "resampling", 0, RESAMPLING, &res));
        if (!(md->resampling = dup_s(p, RESAMPLING[res])))
            return RT_E_NOMEM;
    }
    return get_str(p, s, "description", 0, &md->description);
}

/* ---------------------------------------------------------------- */
/* facilities:                                                      */

static const char *const FACILITY_KEYS[] = {"type",        "label",           "source", "id_column",
                                            "name_column", "capacity_column", "norms",  NULL};
static const char *const NORM_KEYS[] = {"minutes", "km", NULL};

/* One norms entry: a number or a list of numbers, appended to f->norms. */
static rt_status norm_values(pctx *p, struct fy_node *v, rti_where at, int is_km,
                             rti_facility_type *f)
{
    int list = v && fy_node_get_type(v) == FYNT_SEQUENCE;
    int n = list ? fy_node_sequence_item_count(v) : 1;
    const char *label = is_km ? "km" : "minutes";
    for (int i = 0; i < n; i++) {
        struct fy_node *e = list ? fy_node_sequence_get_by_index(v, i) : v;
        rti_where ew = list ? where_or(e, at) : at;
        size_t k = list ? key_push_index(p, i) : p->key_len;
        double x = 0;
        rt_status st = num_value(p, e, ew, label, NUM_POS, &x);
        rt_norm norm = {is_km ? RT_NORM_LENGTH : RT_NORM_TIME, is_km ? x * 1000.0 : x * 60.0};
        for (int j = 0; st == RT_OK && j < f->n_norms; j++)
            if (f->norms[j].kind == norm.kind && f->norms[j].limit == norm.limit)
                st = fail(p, ew, "the norm %g %s is given twice", x, label);
        if (st == RT_OK && f->n_norms == RT_STATS_MAX_NORMS)
            st = fail(p, ew, "at most %d norms per facility type", RT_STATS_MAX_NORMS);
        key_pop(p, k);
        TRY(st);
        f->norms[f->n_norms++] = norm;
    }
    return RT_OK;
}

static rt_status facility_norms(pctx *p, const scope *s, rti_facility_type *f)
{
    scope m;
    TRY(get_map(p, s, "norms", 0, &m));
    if (!m.map)
        return RT_OK;
    size_t k = key_push(p, "norms");
    rt_status st = check_keys(p, &m, NORM_KEYS, NULL, NULL);
    for (int i = 0; st == RT_OK && NORM_KEYS[i]; i++) {
        item it = field(&m, NORM_KEYS[i]);
        if (!it.present)
            continue;
        size_t kk = key_push(p, NORM_KEYS[i]);
        st = norm_values(p, it.val, it.at, i == 1, f);
        key_pop(p, kk);
    }
    key_pop(p, k);
    return st;
}

static rt_status facility_fields(pctx *p, const scope *s, rt_study *st, int i)
{
    rti_facility_type *f = &st->facilities[i];
    f->at = s->at;
    TRY(check_keys(p, s, FACILITY_KEYS, NULL, NULL));
    TRY(get_name(p, s, "type", &f->type));
    for (int j = 0; j < i; j++)
        if (strcmp(st->facilities[j].type, f->type) == 0)
            return fail_key(p, s, "type", "duplicate facility type '%s' (first given at line %d)",
                            f->type, st->facilities[j].at.line);
    TRY(get_str(p, s, "label", 0, &f->label));
    if (!f->label && !(f->label = dup_s(p, f->type)))
        return RT_E_NOMEM;
    TRY(get_source(p, s, "source", 1, SRC_POINTS, &f->src, NULL));
    TRY(get_str(p, s, "id_column", 0, &f->id_column));
    TRY(get_str(p, s, "name_column", 0, &f->name_column));
    TRY(get_str(p, s, "capacity_column", 0, &f->capacity_column));
    return facility_norms(p, s, f);
}

/* ---------------------------------------------------------------- */
/* population:, regions:, outputs:                                  */

static const char *const POP_KINDS[] = {"raster", "grid", "polygons", "points", NULL};
static const char *const POP_KEYS[] = {"kind", "source", "count_column", NULL};

static rt_status population_fields(pctx *p, const scope *s, rti_population *pop)
{
    int kind = 0;
    TRY(check_keys(p, s, POP_KEYS, NULL, NULL));
    TRY(get_enum(p, s, "kind", 1, POP_KINDS, &kind));
    pop->kind = (rti_pop_kind)kind;
    pop->at = s->at;
    int src = kind == RTI_POP_RASTER   ? SRC_RASTER
              : kind == RTI_POP_POINTS ? SRC_POINTS
                                       : SRC_VECTOR;
    TRY(get_source(p, s, "source", 1, src, &pop->src, NULL));
    if (kind == RTI_POP_RASTER && has(s, "count_column"))
        return fail_key(p, s, "count_column", "does not apply to kind raster (cells hold counts)");
    return get_str(p, s, "count_column", kind == RTI_POP_GRID || kind == RTI_POP_POLYGONS,
                   &pop->count_column);
}

static const char *const REGION_KEYS[] = {"name", "source", "id_column", "name_column", NULL};

static rt_status region_fields(pctx *p, const scope *s, rt_study *st, int i)
{
    rti_region_layer *r = &st->regions[i];
    r->at = s->at;
    TRY(check_keys(p, s, REGION_KEYS, NULL, NULL));
    TRY(get_name(p, s, "name", &r->name));
    for (int j = 0; j < i; j++)
        if (strcmp(st->regions[j].name, r->name) == 0)
            return fail_key(p, s, "name", "duplicate region name '%s' (first given at line %d)",
                            r->name, st->regions[j].at.line);
    TRY(get_source(p, s, "source", 1, SRC_VECTOR, &r->src, NULL));
    TRY(get_str(p, s, "id_column", 1, &r->id_column));
    return get_str(p, s, "name_column", 0, &r->name_column);
}

static const char *const OUTPUT_KEYS[] = {"grids", "second", "length", "geopackage",
                                          "csv",   "report", NULL};

static rt_status outputs_fields(pctx *p, const scope *s, rti_outputs *o)
{
    TRY(check_keys(p, s, OUTPUT_KEYS, NULL, NULL));
    TRY(get_bool(p, s, "grids", &o->grids));
    TRY(get_bool(p, s, "second", &o->second));
    TRY(get_bool(p, s, "length", &o->length));
    TRY(get_bool(p, s, "geopackage", &o->geopackage));
    TRY(get_bool(p, s, "report", &o->report));
    return get_bool(p, s, "csv", &o->csv);
}

/* ---------------------------------------------------------------- */
/* Sections                                                         */

typedef rt_status (*map_fn)(pctx *p, const scope *s, void *target);

static rt_status run_study(pctx *p, const scope *s, void *t) { return study_fields(p, s, t); }
static rt_status run_medium(pctx *p, const scope *s, void *t) { return medium_fields(p, s, t); }
static rt_status run_population(pctx *p, const scope *s, void *t)
{
    return population_fields(p, s, t);
}
static rt_status run_outputs(pctx *p, const scope *s, void *t) { return outputs_fields(p, s, t); }

/* Reads mapping `name` of root with fn; *given (may be NULL) tells whether
 * it was there. */
static rt_status section(pctx *p, const scope *root, const char *name, int required, map_fn fn,
                         void *target, int *given)
{
    scope s;
    TRY(get_map(p, root, name, required, &s));
    if (given)
        *given = s.map != NULL;
    if (!s.map)
        return RT_OK;
    size_t k = key_push(p, name);
    rt_status st = fn(p, &s, target);
    key_pop(p, k);
    return st;
}

typedef rt_status (*item_fn)(pctx *p, const scope *s, rt_study *st, int i);

/* Reads list `name` of root: n entries, each a mapping read by fn. */
static rt_status list_section(pctx *p, const scope *root, const char *name, const char *what,
                              item_fn fn, rt_study *study, int n)
{
    item it = field(root, name);
    char g[SHOW_CHARS + 32];
    size_t k = key_push(p, name);
    rt_status st = RT_OK;
    for (int i = 0; i < n && st == RT_OK; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        scope s = {e, where_or(e, it.at)};
        size_t ki = key_push_index(p, i);
        if (!e || fy_node_get_type(e) != FYNT_MAPPING)
            st = fail(p, s.at, "expected a mapping (one %s), got %s", what, got(e, g, sizeof(g)));
        else
            st = fn(p, &s, study, i);
        key_pop(p, ki);
    }
    key_pop(p, k);
    return st;
}

static rt_status read_facilities(pctx *p, const scope *root, rt_study *st)
{
    item it;
    TRY(get_list(p, root, "facilities", 1, "facility type", &it));
    int n = fy_node_sequence_item_count(it.val);
    st->facilities = rti_malloc_array(p->ctx, n, sizeof(*st->facilities), "facility types");
    if (!st->facilities)
        return RT_E_NOMEM;
    st->n_facilities = n;
    return list_section(p, root, "facilities", "facility type", facility_fields, st, n);
}

static rt_status read_regions(pctx *p, const scope *root, rt_study *st)
{
    item it;
    TRY(get_list(p, root, "regions", 1, "region layer", &it));
    int n = fy_node_sequence_item_count(it.val);
    st->regions = rti_malloc_array(p->ctx, n, sizeof(*st->regions), "region layers");
    if (!st->regions)
        return RT_E_NOMEM;
    st->n_regions = n;
    return list_section(p, root, "regions", "region layer", region_fields, st, n);
}

/* A hybrid medium computes no route lengths: no length grid (off by
 * default there) and no norms in km; its access distance defaults to the
 * cell size. */
static rt_status network_rules(pctx *p, const scope *root, rt_study *st)
{
    if (!rti_medium_has_roads_graph(&st->medium))
        return RT_OK;
    if (isnan(st->medium.access_max_m))
        st->medium.access_max_m = st->cell_m;
    if (st->medium.kind == RTI_MEDIUM_NETWORK)
        return RT_OK; /* route lengths along the roads and the legs */
    scope o;
    TRY(get_map(p, root, "outputs", 0, &o));
    if (o.map && has(&o, "length") && st->outputs.length) {
        size_t k = key_push(p, "outputs");
        rt_status r = fail_key(p, &o, "length",
                               "route lengths are not computed for medium type %s; "
                               "leave 'length' out or set it to false",
                               MEDIUM_TYPES[st->medium.kind]);
        key_pop(p, k);
        return r;
    }
    st->outputs.length = 0;
    for (int i = 0; i < st->n_facilities; i++) {
        const rti_facility_type *f = &st->facilities[i];
        for (int j = 0; j < f->n_norms; j++)
            if (f->norms[j].kind == RT_NORM_LENGTH) {
                size_t k = key_push(p, "facilities");
                key_push_index(p, i);
                key_push(p, "norms");
                rt_status r = fail(p, f->at,
                                   "norms in km need route lengths, which are not computed "
                                   "for medium type %s; use minutes",
                                   MEDIUM_TYPES[st->medium.kind]);
                key_pop(p, k);
                return r;
            }
    }
    return RT_OK;
}

static const char *const ROOT_KEYS[] = {"study",   "medium",  "facilities", "population",
                                        "regions", "outputs", NULL};

static rt_status read_root(pctx *p, struct fy_node *root, rt_study *st)
{
    scope s = {root, where_or(root, (rti_where){1, 1})};
    char g[SHOW_CHARS + 32];
    if (fy_node_get_type(root) != FYNT_MAPPING)
        return fail(p, s.at,
                    "the file must be a mapping with the keys study, medium, "
                    "facilities, regions (and population, outputs), got %s",
                    got(root, g, sizeof(g)));
    TRY(check_keys(p, &s, ROOT_KEYS, NULL, NULL));
    st->buffer_m = 5000.0;
    st->neighbours = 16;
    TRY(section(p, &s, "study", 1, run_study, st, NULL));
    if (!st->crs && !(st->crs = dup_s(p, "EPSG:28992")))
        return RT_E_NOMEM;
    TRY(section(p, &s, "medium", 1, run_medium, &st->medium, NULL));
    TRY(read_facilities(p, &s, st));
    TRY(section(p, &s, "population", 0, run_population, &st->population, &st->has_population));
    TRY(read_regions(p, &s, st));
    st->outputs = (rti_outputs){1, 1, 1, 1, 1, 1};
    TRY(section(p, &s, "outputs", 0, run_outputs, &st->outputs, NULL));
    return network_rules(p, &s, st);
}

/* ---------------------------------------------------------------- */
/* The file                                                         */

/* study->path (absolute), study->dir and the default name. */
static rt_status set_paths(pctx *p, const char *path, rt_study *st)
{
    char cwd[PATH_MAX] = "", err[256] = "";
    const char *rel = path;
    if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
        return rti_error(p->ctx, RT_E_IO, "%s: cannot determine the current folder: %s", path,
                         strerror_r(errno, err, sizeof(err)) ? "error" : err);
    while (path[0] != '/' && rel[0] == '.' && rel[1] == '/')
        rel += 2;
    size_t nc = path[0] == '/' ? 0 : strlen(cwd), nr = strlen(rel);
    st->path = rti_malloc_array(p->ctx, (int64_t)(nc + nr + 2), 1, "study file path");
    if (!st->path)
        return RT_E_NOMEM;
    memcpy(st->path, cwd, nc);
    if (nc && cwd[nc - 1] != '/')
        st->path[nc++] = '/';
    memcpy(st->path + nc, rel, nr);
    char *slash = strrchr(st->path, '/');
    size_t nd = slash == st->path ? 1 : (size_t)(slash - st->path);
    if (!(st->dir = dup_n(p, st->path, nd)))
        return RT_E_NOMEM;
    p->dir = st->dir;
    return RT_OK;
}

static rt_status default_name(pctx *p, rt_study *st)
{
    const char *base = strrchr(st->path, '/') + 1;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    st->name = dup_n(p, base, n ? n : strlen(base));
    return st->name ? RT_OK : RT_E_NOMEM;
}

static rt_status read_file(pctx *p, char **buf, size_t *len)
{
    FILE *f = fopen(p->file, "rb");
    struct stat sb;
    char err[256] = "";
    if (!f)
        return rti_error(p->ctx, RT_E_IO, "%s: cannot open the study file: %s", p->file,
                         strerror_r(errno, err, sizeof(err)) ? "error" : err);
    rt_status st = RT_OK;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
        st = rti_error(p->ctx, RT_E_IO, "%s: the study file is not a regular file", p->file);
    else if (sb.st_size > MAX_FILE_BYTES)
        st = rti_error(p->ctx, RT_E_PARSE, "%s: the study file is %lld bytes; at most %d allowed",
                       p->file, (long long)sb.st_size, MAX_FILE_BYTES);
    else if (!(*buf = rti_malloc_array(p->ctx, (int64_t)sb.st_size + 1, 1, "study file")))
        st = RT_E_NOMEM;
    else if ((*len = fread(*buf, 1, (size_t)sb.st_size, f)) != (size_t)sb.st_size || ferror(f))
        st = rti_error(p->ctx, RT_E_IO, "%s: cannot read the study file", p->file);
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

static rt_status check_utf8(pctx *p, const char *buf, size_t len)
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
    return fail(p, at, "the file is not UTF-8 text (byte 0x%02x)", (unsigned char)buf[bad]);
}

static void diag_quiet(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag, (void)user, (void)buf, (void)len;
}

/* The first error libfyaml collected, as a parse error. */
static rt_status yaml_error(pctx *p, struct fy_diag *diag)
{
    void *iter = NULL;
    struct fy_diag_error *e;
    while ((e = fy_diag_errors_iterate(diag, &iter))) {
        if (e->type < FYET_ERROR)
            continue;
        rti_where at = {e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1};
        return fail(p, at, "YAML syntax error: %s", e->msg ? e->msg : "invalid YAML");
    }
    return fail(p, (rti_where){1, 1}, "the file holds no YAML document (it is empty)");
}

static rt_status parse_yaml(pctx *p, const char *buf, size_t len, rt_study *st)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_quiet;
    dcfg.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag)
        return rti_error(p->ctx, RT_E_NOMEM, "%s: out of memory starting the YAML parser", p->file);
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {NULL, FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT, NULL, diag};
    struct fy_parser *fyp = fy_parser_create(&cfg);
    struct fy_document *doc = NULL, *next = NULL;
    rt_status rc;
    if (!fyp || fy_parser_set_string(fyp, buf, len) != 0)
        rc = rti_error(p->ctx, RT_E_NOMEM, "%s: out of memory starting the YAML parser", p->file);
    else if (!(doc = fy_parse_load_document(fyp)) || !fy_document_root(doc))
        rc = yaml_error(p, diag);
    else if ((next = fy_parse_load_document(fyp)) || fy_diag_got_error(diag))
        rc = next ? fail(p, where_or(fy_document_root(next), (rti_where){1, 1}),
                         "the file holds more than one YAML document; keep one study per file")
                  : yaml_error(p, diag);
    else
        rc = read_root(p, fy_document_root(doc), st);
    if (next)
        fy_parse_document_destroy(fyp, next);
    if (doc)
        fy_parse_document_destroy(fyp, doc);
    fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    return rc;
}

rt_status rti_study_parse_file(rt_ctx *ctx, const char *path, rt_study *study)
{
    pctx p = {ctx, path, "", "", 0};
    char *buf = NULL;
    size_t len = 0;
    memset(study, 0, sizeof(*study));
    rt_status st = set_paths(&p, path, study);
    if (st == RT_OK)
        st = read_file(&p, &buf, &len);
    if (st == RT_OK)
        st = check_utf8(&p, buf, len);
    if (st == RT_OK)
        st = parse_yaml(&p, buf, len, study);
    if (st == RT_OK && !study->name)
        st = default_name(&p, study);
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
