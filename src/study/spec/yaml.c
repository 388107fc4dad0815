/* The YAML reader of spec/, part 1: documents (libfyaml, with its
 * diagnostics collected, never printed), positions, key paths, messages
 * and the text of nodes. Typed values are in yaml_get.c. */
#define _POSIX_C_SOURCE 200809L
#define RTI_YAML_DEFINES_FAIL /* spec.h: the functions themselves */

#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "study/spec/spec.h"

const char *rti_yaml_version(void) { return fy_library_version(); }

/* ---------------------------------------------------------------- */
/* Key paths and messages                                           */

static size_t key_end(rti_yaml *y, size_t old, int n)
{
    y->key_len = n < 0 || (size_t)n >= sizeof(y->key) - old ? sizeof(y->key) - 1 : old + (size_t)n;
    return old;
}

size_t rti_yaml_push(rti_yaml *y, const char *name)
{
    size_t old = y->key_len;
    return key_end(y, old, snprintf(y->key + old, sizeof(y->key) - old, old ? ".%s" : "%s", name));
}

size_t rti_yaml_push_index(rti_yaml *y, int64_t i)
{
    size_t old = y->key_len;
    return key_end(y, old, snprintf(y->key + old, sizeof(y->key) - old, "[%lld]", (long long)i));
}

void rti_yaml_pop(rti_yaml *y, size_t old)
{
    y->key_len = old;
    y->key[old] = '\0';
}

static rt_status vfail(rti_yaml *y, rti_where at, const char *fmt, va_list ap)
{
    char what[RTI_MSG_BYTES / 2];
    vsnprintf(what, sizeof(what), fmt, ap);
    if (y->key_len)
        return rti_error(y->ctx, RT_E_PARSE, "%s:%d:%d: key '%s': %s", y->file, at.line, at.column,
                         y->key, what);
    return rti_error(y->ctx, RT_E_PARSE, "%s:%d:%d: %s", y->file, at.line, at.column, what);
}

rt_status rti_yaml_fail(rti_yaml *y, rti_where at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_status st = vfail(y, at, fmt, ap);
    va_end(ap);
    return st;
}

static rt_status vfail_in(rti_yaml *y, const char *name, rti_where at, const char *fmt, va_list ap)
{
    size_t k = rti_yaml_push(y, name);
    rt_status st = vfail(y, at, fmt, ap);
    rti_yaml_pop(y, k);
    return st;
}

rt_status rti_yaml_fail_in(rti_yaml *y, const char *name, rti_where at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_status st = vfail_in(y, name, at, fmt, ap);
    va_end(ap);
    return st;
}

rt_status rti_yaml_fail_key(rti_yaml *y, const rti_yaml_map *m, const char *name, const char *fmt,
                            ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_status st = vfail_in(y, name, rti_yaml_field(m, name).at, fmt, ap);
    va_end(ap);
    return st;
}

rt_status rti_yaml_missing(rti_yaml *y, const rti_yaml_map *m, const char *name)
{
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_fail(y, m->at, "required key is missing");
    rti_yaml_pop(y, k);
    return st;
}

/* ---------------------------------------------------------------- */
/* Nodes                                                            */

rti_where rti_yaml_where(struct fy_node *n, rti_where fallback)
{
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
    return m ? (rti_where){m->line + 1, m->column + 1} : fallback;
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

int rti_yaml_is_null(struct fy_node *n)
{
    if (!n)
        return 1;
    if (fy_node_get_type(n) != FYNT_SCALAR || fy_node_get_style(n) != FYNS_PLAIN)
        return 0;
    size_t len = 0;
    const char *s = text_of(n, &len);
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (len == strlen(nulls[i]) && memcmp(s, nulls[i], len) == 0)
            return 1;
    return 0;
}

__attribute__((noinline)) const char *rti_yaml_show(char *buf, size_t size, const char *s,
                                                    size_t len)
{
    size_t n = len < size - 4 ? len : size - 4;
    if (n > RTI_YAML_SHOW_CHARS)
        n = RTI_YAML_SHOW_CHARS;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (n < len)
        memcpy(buf + n, "...", 3), n += 3;
    buf[n] = '\0';
    return buf;
}

const char *rti_yaml_got(struct fy_node *n, char *buf, size_t size)
{
    char t[RTI_YAML_SHOW_CHARS + 8];
    size_t len = 0;
    if (rti_yaml_is_null(n))
        return "an empty value";
    if (fy_node_get_type(n) == FYNT_MAPPING)
        return "a mapping";
    if (fy_node_get_type(n) == FYNT_SEQUENCE)
        return "a list";
    const char *s = text_of(n, &len);
    snprintf(buf, size, fy_node_get_style(n) == FYNS_PLAIN ? "'%s'" : "the quoted text '%s'",
             rti_yaml_show(t, sizeof(t), s, len));
    return buf;
}

const char *rti_yaml_text(struct fy_node *n, char *buf, size_t size)
{
    size_t len = 0;
    const char *s = n && fy_node_get_type(n) == FYNT_SCALAR ? fy_node_get_scalar(n, &len) : NULL;
    if (!s || len >= size)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

char *rti_yaml_dup(rti_yaml *y, const char *s, size_t n)
{
    char *d = rti_malloc_array(y->ctx, (int64_t)n + 1, 1, "study file text");
    if (d && n)
        memcpy(d, s, n);
    return d;
}

rti_yaml_item rti_yaml_field(const rti_yaml_map *m, const char *name)
{
    rti_yaml_item it = {NULL, m->at, 0};
    void *iter = NULL;
    struct fy_node_pair *pair;
    size_t n = strlen(name);
    while ((pair = fy_node_mapping_iterate(m->map, &iter))) {
        struct fy_node *k = fy_node_pair_key(pair);
        size_t len;
        if (!k || fy_node_get_type(k) != FYNT_SCALAR)
            continue;
        const char *t = text_of(k, &len);
        if (len == n && memcmp(t, name, n) == 0) {
            it.val = fy_node_pair_value(pair);
            it.at = rti_yaml_where(k, m->at);
            it.present = 1;
            return it;
        }
    }
    return it;
}

int rti_yaml_has(const rti_yaml_map *m, const char *name)
{
    return rti_yaml_field(m, name).present;
}

/* ---------------------------------------------------------------- */
/* Documents                                                        */

static void diag_quiet(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag, (void)user, (void)buf, (void)len;
}

/* The first error libfyaml collected, else "no document". */
static rt_status syntax_error(rti_yaml *y, struct fy_diag *diag)
{
    void *iter = NULL;
    struct fy_diag_error *e;
    while ((e = fy_diag_errors_iterate(diag, &iter))) {
        if (e->type < FYET_ERROR)
            continue;
        rti_where at = {e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1};
        return rti_yaml_fail(y, at, "YAML syntax error: %s", e->msg ? e->msg : "invalid YAML");
    }
    return rti_yaml_fail(y, (rti_where){1, 1}, "%s", y->no_document);
}

/* Reads the rest of the stream, for the syntax errors in it. */
static void drain(struct fy_parser *fyp)
{
    struct fy_event *e;
    while ((e = fy_parser_parse(fyp)))
        fy_parser_event_free(fyp, e);
}

rt_status rti_yaml_parser(rti_yaml *y, const char *buf, size_t len, int resolve,
                          struct fy_diag **diag, struct fy_parser **parser)
{
    struct fy_diag_cfg dcfg;
    *parser = NULL;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_quiet;
    dcfg.colorize = false;
    if (!(*diag = fy_diag_create(&dcfg)))
        return rti_error(y->ctx, RT_E_NOMEM, "%s: out of memory starting the YAML parser", y->file);
    fy_diag_set_collect_errors(*diag, true);
    /* the depth is bounded by rti_yaml_bounds, before any document is built */
    struct fy_parse_cfg cfg = {
        NULL, FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | (resolve ? FYPCF_RESOLVE_DOCUMENT : 0u),
        NULL, *diag};
    *parser = fy_parser_create(&cfg);
    if (!*parser || fy_parser_set_string(*parser, buf, len) != 0)
        return rti_error(y->ctx, RT_E_NOMEM, "%s: out of memory starting the YAML parser", y->file);
    return RT_OK;
}

rt_status rti_yaml_load(rti_yaml *y, const char *buf, size_t len, rti_yaml_doc *d)
{
    struct fy_document *next = NULL;
    memset(d, 0, sizeof(*d));
    RTI_TRY(rti_yaml_bounds(y, buf, len));
    RTI_TRY(rti_yaml_parser(y, buf, len, 1, &d->diag, &d->parser));
    d->doc = fy_parse_load_document(d->parser);
    if (d->doc && !y->more_documents)
        drain(d->parser);
    if (!d->doc || !fy_document_root(d->doc))
        return syntax_error(y, d->diag);
    if (y->more_documents && (next = fy_parse_load_document(d->parser))) {
        rti_where at = rti_yaml_where(fy_document_root(next), (rti_where){1, 1});
        fy_parse_document_destroy(d->parser, next);
        return rti_yaml_fail(y, at, "%s", y->more_documents);
    }
    return fy_diag_got_error(d->diag) ? syntax_error(y, d->diag) : RT_OK;
}

struct fy_node *rti_yaml_root(const rti_yaml_doc *d) { return fy_document_root(d->doc); }

void rti_yaml_doc_free(rti_yaml_doc *d)
{
    if (d->doc)
        fy_parse_document_destroy(d->parser, d->doc);
    fy_parser_destroy(d->parser);
    fy_diag_destroy(d->diag);
    memset(d, 0, sizeof(*d));
}
