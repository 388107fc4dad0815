/* The YAML reader of spec/, part 2: unknown keys (with "did you mean"),
 * numbers and the typed values of keys. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "study/spec/spec.h"

/* ---------------------------------------------------------------- */
/* Keys                                                             */

const char *rti_yaml_join(char *buf, size_t size, const char *const *names)
{
    size_t n = 0;
    buf[0] = '\0';
    for (; *names && n < size; names++) {
        int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *names);
        n += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

/* The lenient check of the speed profiles: any key not allowed, named by
 * its text. */
static rt_status check_keys_lenient(rti_yaml *y, const rti_yaml_map *m, const char *const *allowed)
{
    void *iter = NULL;
    struct fy_node_pair *pair;
    char name[80], list[256];
    while ((pair = fy_node_mapping_iterate(m->map, &iter))) {
        const char *k = rti_yaml_text(fy_node_pair_key(pair), name, sizeof(name));
        if (rti_word_in(k, allowed))
            continue;
        size_t old = rti_yaml_push(y, k ? k : "?");
        rt_status st = rti_yaml_fail(y, rti_yaml_where(fy_node_pair_key(pair), m->at),
                                     "unknown key; valid keys: %s",
                                     rti_yaml_join(list, sizeof(list), allowed));
        rti_yaml_pop(y, old);
        return st;
    }
    return RT_OK;
}

rt_status rti_yaml_check_keys(rti_yaml *y, const rti_yaml_map *m, const char *const *allowed,
                              const char *const *misplaced, const char *why)
{
    void *iter = NULL;
    struct fy_node_pair *pair;
    if (y->lenient)
        return check_keys_lenient(y, m, allowed);
    while ((pair = fy_node_mapping_iterate(m->map, &iter))) {
        struct fy_node *k = fy_node_pair_key(pair);
        rti_where at = rti_yaml_where(k, m->at);
        char name[RTI_YAML_SHOW_CHARS + 8], list[512];
        size_t len;
        if (!k || fy_node_get_type(k) != FYNT_SCALAR || rti_yaml_is_null(k))
            return rti_yaml_fail(y, at, "keys must be plain names, got %s",
                                 rti_yaml_got(k, list, sizeof(list)));
        const char *t = fy_node_get_scalar(k, &len);
        rti_yaml_show(name, sizeof(name), t ? t : "", t ? len : 0);
        if (t && len == strlen(name) && rti_word_in(name, allowed))
            continue;
        size_t old = rti_yaml_push(y, name);
        const char *near = rti_suggest(name, allowed);
        rt_status st;
        if (rti_word_in(name, misplaced))
            st = rti_yaml_fail(y, at, "'%s' %s", name, why);
        else if (near)
            st = rti_yaml_fail(y, at, "unknown key; did you mean '%s'?", near);
        else
            st = rti_yaml_fail(y, at, "unknown key; valid keys here: %s",
                               rti_yaml_join(list, sizeof(list), allowed));
        rti_yaml_pop(y, old);
        return st;
    }
    return RT_OK;
}

/* ---------------------------------------------------------------- */
/* Values                                                           */

rt_status rti_yaml_scalar(rti_yaml *y, struct fy_node *n, rti_where at, const char *expected,
                          const char **txt, size_t *len)
{
    char g[RTI_YAML_SHOW_CHARS + 32];
    if (rti_yaml_is_null(n) || fy_node_get_type(n) != FYNT_SCALAR)
        return rti_yaml_fail(y, at, "expected %s, got %s", expected, rti_yaml_got(n, g, sizeof(g)));
    *txt = fy_node_get_scalar(n, len);
    if (!*txt) {
        *txt = "";
        *len = 0;
    }
    return RT_OK;
}

int rti_yaml_number(const char *s, size_t len, int underflow_ok, double *out)
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
    if (!digit || *end != '\0' || !isfinite(v) || (errno && !underflow_ok))
        return 0;
    *out = v;
    return 1;
}

/* The text and value of n, a plain number (whole: a whole number within
 * int, written without '.' and exponent); else "expected ..., got ...". */
static rt_status plain_number(rti_yaml *y, struct fy_node *n, rti_where at, int whole,
                              const char **s, size_t *len, double *v)
{
    const char *expected = whole ? "a whole number" : "a number";
    char g[RTI_YAML_SHOW_CHARS + 32];
    RTI_TRY(rti_yaml_scalar(y, n, at, expected, s, len));
    int ok = fy_node_get_style(n) == FYNS_PLAIN && rti_yaml_number(*s, *len, 1, v);
    if (ok && whole)
        ok = *v == floor(*v) && !memchr(*s, '.', *len) && !memchr(*s, 'e', *len) &&
             !memchr(*s, 'E', *len) && fabs(*v) <= INT_MAX;
    if (!ok)
        return rti_yaml_fail(y, at, "expected %s, got %s", expected, rti_yaml_got(n, g, sizeof(g)));
    return RT_OK;
}

/* ---------------------------------------------------------------- */
/* Ranges                                                           */

const rti_range RTI_RANGE_CELL = {0.01, 100000.0, 0, "m"};
const rti_range RTI_RANGE_COORD = {-1e8, 1e8, 0, "m"};
const rti_range RTI_RANGE_BUFFER = {0.0, 1e6, 0, "m"};
const rti_range RTI_RANGE_REACH = {0.0, 100000.0, 0, "m"};
const rti_range RTI_RANGE_TOLERANCE = {0.0, 1000.0, 0, "m"};
const rti_range RTI_RANGE_SPEED = {0.001, 1000.0, 0, "km/h"};
const rti_range RTI_RANGE_MINUTES = {0.0, 100000.0, 1, "minutes"};
const rti_range RTI_RANGE_KM = {0.0, 20000.0, 1, "km"};

int rti_in_range(const rti_range *r, double v)
{
    return (r->lo_open ? v > r->lo : v >= r->lo) && v <= r->hi;
}

const char *rti_range_text(const rti_range *r, char *buf, size_t size)
{
    const char *sp = r->unit && *r->unit ? " " : "", *unit = r->unit ? r->unit : "";
    if (r->lo_open)
        snprintf(buf, size, "> %.15g and at most %.15g%s%s", r->lo, r->hi, sp, unit);
    else
        snprintf(buf, size, "from %.15g to %.15g%s%s", r->lo, r->hi, sp, unit);
    return buf;
}

rt_status rti_yaml_num(rti_yaml *y, struct fy_node *n, rti_where at, const char *label,
                       const rti_range *r, double *out)
{
    const char *s = NULL;
    size_t len = 0;
    double v;
    char g[RTI_YAML_SHOW_CHARS + 32], range[96];
    RTI_TRY(plain_number(y, n, at, 0, &s, &len, &v));
    if (!rti_in_range(r, v)) {
        rti_range_text(r, range, sizeof(range));
        rti_yaml_show(g, sizeof(g), s, len);
        if (!(v > 0) && r->lo > 0)
            return rti_yaml_fail(y, at, "%s must be > 0 (%s), got %s", label, range, g);
        return rti_yaml_fail(y, at, "%s must be %s, got %s", label, range, g);
    }
    *out = v;
    return RT_OK;
}

rt_status rti_yaml_get_num(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                           const rti_range *r, double *out)
{
    rti_yaml_item it = rti_yaml_field(m, name);
    if (!it.present)
        return required ? rti_yaml_missing(y, m, name) : RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_num(y, it.val, it.at, name, r, out);
    rti_yaml_pop(y, k);
    return st;
}

static rt_status int_value(rti_yaml *y, struct fy_node *n, rti_where at, const char *label, int min,
                           int *out)
{
    const char *s = NULL;
    size_t len = 0;
    double v;
    char g[RTI_YAML_SHOW_CHARS + 32];
    RTI_TRY(plain_number(y, n, at, 1, &s, &len, &v));
    if (v < min)
        return rti_yaml_fail(y, at, "%s must be >= %d, got %s", label, min,
                             rti_yaml_show(g, sizeof(g), s, len));
    *out = (int)v;
    return RT_OK;
}

rt_status rti_yaml_get_int(rti_yaml *y, const rti_yaml_map *m, const char *name, int min, int *out)
{
    rti_yaml_item it = rti_yaml_field(m, name);
    if (!it.present)
        return RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = int_value(y, it.val, it.at, name, min, out);
    rti_yaml_pop(y, k);
    return st;
}

rt_status rti_yaml_get_bool(rti_yaml *y, const rti_yaml_map *m, const char *name, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", NULL};
    static const char *const no[] = {"false", "False", "FALSE", NULL};
    rti_yaml_item it = rti_yaml_field(m, name);
    const char *t = NULL;
    size_t len = 0;
    char g[RTI_YAML_SHOW_CHARS + 32], word[16];
    if (!it.present)
        return RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_scalar(y, it.val, it.at, "true or false", &t, &len);
    if (st == RT_OK) {
        rti_yaml_show(word, sizeof(word), t, len);
        int plain = fy_node_get_style(it.val) == FYNS_PLAIN && len == strlen(word);
        if (plain && rti_word_in(word, yes))
            *out = 1;
        else if (plain && rti_word_in(word, no))
            *out = 0;
        else
            st = rti_yaml_fail(y, it.at, "expected true or false, got %s",
                               rti_yaml_got(it.val, g, sizeof(g)));
    }
    rti_yaml_pop(y, k);
    return st;
}

rt_status rti_yaml_str(rti_yaml *y, struct fy_node *n, rti_where at, char **out)
{
    const char *s = NULL;
    size_t len = 0;
    RTI_TRY(rti_yaml_scalar(y, n, at, "a text", &s, &len));
    if (len == 0)
        return rti_yaml_fail(y, at, "must not be empty");
    if (memchr(s, '\0', len))
        return rti_yaml_fail(y, at, "must not contain a NUL character");
    *out = rti_yaml_dup(y, s, len);
    return *out ? RT_OK : RT_E_NOMEM;
}

rt_status rti_yaml_get_str(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                           char **out)
{
    rti_yaml_item it = rti_yaml_field(m, name);
    if (!it.present)
        return required ? rti_yaml_missing(y, m, name) : RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_str(y, it.val, it.at, out);
    rti_yaml_pop(y, k);
    return st;
}

rt_status rti_yaml_get_enum(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                            const char *const *values, int *index)
{
    rti_yaml_item it = rti_yaml_field(m, name);
    const char *t = NULL;
    size_t len = 0;
    char g[RTI_YAML_SHOW_CHARS + 32], list[256];
    if (!it.present)
        return required ? rti_yaml_missing(y, m, name) : RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_scalar(y, it.val, it.at, "a text", &t, &len);
    for (int i = 0; st == RT_OK && values[i]; i++) {
        if (len == strlen(values[i]) && memcmp(t, values[i], len) == 0) {
            *index = i;
            rti_yaml_pop(y, k);
            return RT_OK;
        }
    }
    if (st == RT_OK) {
        rti_yaml_show(g, sizeof(g), t, len);
        const char *near = len == strlen(g) ? rti_suggest(g, values) : NULL;
        st = rti_yaml_fail(y, it.at, "invalid value '%s'; valid values: %s%s%s%s", g,
                           rti_yaml_join(list, sizeof(list), values),
                           near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    rti_yaml_pop(y, k);
    return st;
}

rt_status rti_yaml_get_map(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                           rti_yaml_map *out)
{
    rti_yaml_item it = rti_yaml_field(m, name);
    char g[RTI_YAML_SHOW_CHARS + 32];
    out->map = NULL;
    out->at = it.at;
    if (!it.present)
        return required ? rti_yaml_missing(y, m, name) : RT_OK;
    if (!it.val || fy_node_get_type(it.val) != FYNT_MAPPING) {
        size_t k = rti_yaml_push(y, name);
        rt_status st = rti_yaml_fail(y, it.at, "expected a mapping, got %s",
                                     rti_yaml_got(it.val, g, sizeof(g)));
        rti_yaml_pop(y, k);
        return st;
    }
    out->map = it.val;
    return RT_OK;
}

rt_status rti_yaml_get_list(rti_yaml *y, const rti_yaml_map *m, const char *name, int min_items,
                            const char *what, rti_yaml_item *out)
{
    char g[RTI_YAML_SHOW_CHARS + 32];
    *out = rti_yaml_field(m, name);
    if (!out->present)
        return rti_yaml_missing(y, m, name);
    size_t k = rti_yaml_push(y, name);
    rt_status st = RT_OK;
    if (!out->val || fy_node_get_type(out->val) != FYNT_SEQUENCE)
        st = rti_yaml_fail(y, out->at, "expected a list, got %s",
                           rti_yaml_got(out->val, g, sizeof(g)));
    else if (fy_node_sequence_item_count(out->val) < min_items)
        st = rti_yaml_fail(y, out->at, "needs at least %d %s", min_items, what);
    rti_yaml_pop(y, k);
    return st;
}
