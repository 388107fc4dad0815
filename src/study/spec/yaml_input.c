/* The YAML reader of spec/, part 0: reading a file within bounds. Only a
 * regular file is opened (checked before the open, so that a named pipe
 * or a device can never block), and only up to RTI_YAML_MAX_BYTES. Before
 * libfyaml builds a document, two passes bound what it may do:
 *
 * 1. A count of the tokens the text can hold at most (token_bound), in
 *    constant memory. libfyaml's scanner may queue every token of a flow
 *    collection before it hands out the first event (15 MB of '[' took
 *    5 GB), so this bound is what caps its memory.
 * 2. libfyaml's event stream (fy_parser_parse, memory in proportion to the
 *    nesting depth), with the nesting depth, the number of nodes (every
 *    alias counted as a copy of its anchor, the size the document will
 *    have once aliases are resolved), aliases and anchors counted as the
 *    events come, and refused past their budgets (alias_pass).
 *
 * The budgets are far beyond any study file or speed profile and are
 * listed in docs/study-file.md ("Limits"). Syntax errors are left to the
 * document load, which reports them as before. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sbuf.h"
#include "study/spec/spec.h"

/* ---------------------------------------------------------------- */
/* The file                                                         */

static rt_status io_error(rti_yaml *y, const char *what, const char *verb, int err)
{
    char msg[256] = "error";
    if (strerror_r(err, msg, sizeof(msg)) != 0)
        snprintf(msg, sizeof(msg), "error %d", err);
    return rti_error(y->ctx, RT_E_IO, "%s: cannot %s the %s: %s", y->file, verb, what, msg);
}

/* The file's type and size, checked without opening it: RT_OK for a
 * regular file of at most RTI_YAML_MAX_BYTES. */
static rt_status check_file(rti_yaml *y, const char *what, const struct stat *sb)
{
    if (!S_ISREG(sb->st_mode))
        return rti_error(y->ctx, RT_E_IO, "%s: the %s is %s, not a regular file", y->file, what,
                         rti_file_kind(sb->st_mode));
    if (sb->st_size > RTI_YAML_MAX_BYTES)
        return rti_error(y->ctx, RT_E_PARSE,
                         "%s: the %s is %lld bytes; at most %d bytes are allowed (it is small "
                         "text)",
                         y->file, what, (long long)sb->st_size, RTI_YAML_MAX_BYTES);
    return RT_OK;
}

/* Whether buf[i] starts a line: it follows one of YAML's line breaks,
 * '\n', '\r' and "\r\n", and the NEL, LS and PS that YAML 1.1 (and
 * libfyaml) also break lines on; a byte order mark at the start counts as
 * the start of a line. */
static int after_break(const char *buf, size_t i)
{
    const unsigned char *u = (const unsigned char *)buf;
    if (i == 0)
        return 1;
    if (u[i - 1] == '\n' || u[i - 1] == '\r')
        return 1;
    if (i >= 2 && u[i - 2] == 0xc2 && u[i - 1] == 0x85)
        return 1;
    if (i >= 3 && u[i - 3] == 0xe2 && u[i - 2] == 0x80 && (u[i - 1] == 0xa8 || u[i - 1] == 0xa9))
        return 1;
    return i == 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf;
}

/* The offset of a '?' that marks an explicit key on the line starting at
 * buf[i] (after the indentation and any "- " of sequence entries), or len.
 * No study file or profile needs one, and libfyaml 0.8 crashes cleaning up
 * after some errors inside one (a tab and ':' in its value). */
static size_t explicit_key_at(const char *buf, size_t len, size_t i)
{
    for (;;) {
        while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
            i++;
        if (i + 1 < len && buf[i] == '-' && (buf[i + 1] == ' ' || buf[i + 1] == '\t')) {
            i++;
            continue;
        }
        break;
    }
    if (i < len && buf[i] == '?' &&
        (i + 1 == len || buf[i + 1] == ' ' || buf[i + 1] == '\t' || buf[i + 1] == '\n' ||
         buf[i + 1] == '\r'))
        return i;
    return len;
}

/* The text is UTF-8 without NUL bytes, and no line starts with a YAML
 * directive ('%'): neither file needs one, and libfyaml 0.8 loops forever
 * on some (a '%' followed by a byte it does not expect); nor does one hold
 * an explicit key (explicit_key_at). Lines are counted
 * as YAML counts them ('\n', '\r' or "\r\n"). */
static rt_status check_text(rti_yaml *y, const char *buf, size_t len)
{
    size_t bad = rti_utf8_invalid_at((const unsigned char *)buf, len);
    rti_where at = {1, 1};
    for (size_t i = 0; i < bad; i++) {
        if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n')))
            at.line++, at.column = 1;
        else if (((unsigned char)buf[i] & 0xc0) != 0x80)
            at.column++;
    }
    if (bad < len)
        return rti_yaml_fail(y, at, "the file is not UTF-8 text (byte 0x%02x)",
                             (unsigned char)buf[bad]);
    rti_where line = {1, 1};
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '%' && after_break(buf, i))
            return rti_yaml_fail(y, line,
                                 "a YAML directive (a line starting with '%%') is not used in "
                                 "this file; remove the line");
        size_t k = after_break(buf, i) ? explicit_key_at(buf, len, i) : len;
        if (k < len) {
            rti_where key = {line.line, (int)(k - i) + 1};
            return rti_yaml_fail(y, key,
                                 "an explicit YAML key ('?' and a blank) is not used in this "
                                 "file; write the key as 'key: value'");
        }
        line.line += buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'));
    }
    return RT_OK;
}

rt_status rti_yaml_read_file(rti_yaml *y, const char *what, char **buf, size_t *len)
{
    struct stat sb;
    *buf = NULL;
    *len = 0;
    if (stat(y->file, &sb) != 0)
        return io_error(y, what, "open", errno);
    RTI_TRY(check_file(y, what, &sb));
    /* O_NONBLOCK: should the file be swapped for a pipe after the stat,
     * the open still returns, and fstat refuses it */
    int fd = open(y->file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return io_error(y, what, "open", errno);
    rt_status st =
        fstat(fd, &sb) != 0 ? io_error(y, what, "read", errno) : check_file(y, what, &sb);
    if (st == RT_OK && !(*buf = rti_malloc_array(y->ctx, (int64_t)sb.st_size + 1, 1, what)))
        st = RT_E_NOMEM;
    size_t n = 0;
    while (st == RT_OK && n < (size_t)sb.st_size) {
        ssize_t k = read(fd, *buf + n, (size_t)sb.st_size - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            st = k < 0 ? io_error(y, what, "read", errno)
                       : rti_error(y->ctx, RT_E_IO,
                                   "%s: cannot read the %s: it became shorter "
                                   "while it was read",
                                   y->file, what);
        else
            n += (size_t)k;
    }
    close(fd);
    if (st != RT_OK) {
        free(*buf);
        *buf = NULL;
        return st;
    }
    (*buf)[n] = '\0';
    *len = n;
    st = check_text(y, *buf, n);
    if (st != RT_OK) {
        free(*buf);
        *buf = NULL;
        *len = 0;
    }
    return st;
}

/* ---------------------------------------------------------------- */
/* Pass 1: the most tokens the text can hold                        */

/* A token starts at the start of a word (a run of non-blank bytes), at an
 * indicator or right after one; the tokens of no width (a key, the start
 * and end of a block collection) come at most three per indicator. So a
 * word counts 1 and each of [ ] { } , : ? - counts 6. */
static rt_status token_bound(rti_yaml *y, const char *buf, size_t len)
{
    int64_t count = 0;
    int in_word = 0;
    rti_where at = {1, 1};
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        int blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        count += !blank && !in_word;
        in_word = !blank;
        if (c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || c == ':' || c == '?' ||
            c == '-')
            count += 6;
        if (count > RTI_YAML_MAX_TOKENS)
            return rti_yaml_fail(y, at,
                                 "the file holds more than %d YAML tokens by here (a word counts "
                                 "1, each of [ ] { } , : ? - counts 6); no study file or speed "
                                 "profile needs that many",
                                 RTI_YAML_MAX_TOKENS);
        if (c == '\n')
            at.line++, at.column = 1;
        else if ((c & 0xc0) != 0x80)
            at.column++;
    }
    return RT_OK;
}

/* ---------------------------------------------------------------- */
/* Pass 2: depth, nodes, aliases and anchors of the event stream    */

typedef struct anchor_rec {
    char *name;
    size_t len;
    int64_t size; /* nodes of the anchored value, its aliases expanded */
    int height;   /* collections nested in it, itself included */
    int done;     /* its value has ended (an alias before that is a cycle) */
} anchor_rec;

typedef struct open_coll {
    int64_t nodes_before; /* the node count before this collection */
    int height;           /* of its deepest entry so far */
    int anchor;           /* index of its anchor, -1 = none */
} open_coll;

typedef struct events {
    rti_yaml *y;
    int64_t nodes;
    int n_aliases, n_anchors, depth;
    anchor_rec anchors[RTI_YAML_MAX_ANCHORS];
    open_coll open[RTI_YAML_MAX_DEPTH + 1];
} events;

static rti_where event_at(struct fy_event *e)
{
    const struct fy_mark *m = fy_event_start_mark(e);
    rti_where at = m ? (rti_where){m->line + 1, m->column + 1} : (rti_where){1, 1};
    if (e->type == FYET_ALIAS && at.column > 1)
        at.column--; /* the mark of an alias is its name, after the '*' */
    return at;
}

/* The latest anchor of that name (anchors may be defined again), or -1. */
static int find_anchor(const events *ev, const char *name, size_t len)
{
    for (int i = ev->n_anchors - 1; i >= 0; i--)
        if (ev->anchors[i].len == len && memcmp(ev->anchors[i].name, name, len) == 0)
            return i;
    return -1;
}

/* A node of `size` nodes and `height` collections has come at the
 * current depth. */
static rt_status add_node(events *ev, struct fy_event *e, int64_t size, int height)
{
    ev->nodes += size;
    if (ev->nodes > RTI_YAML_MAX_NODES)
        return rti_yaml_fail(ev->y, event_at(e),
                             "the file holds more than %d YAML nodes (values, keys, lists and "
                             "mappings, each alias counted as a copy of its anchor) by here",
                             RTI_YAML_MAX_NODES);
    if (ev->depth + height > RTI_YAML_MAX_DEPTH)
        return rti_yaml_fail(ev->y, event_at(e),
                             "lists and mappings are nested more than %d deep here (aliases "
                             "counted as copies of their anchors)",
                             RTI_YAML_MAX_DEPTH);
    if (ev->depth > 0 && ev->open[ev->depth - 1].height < height + 1)
        ev->open[ev->depth - 1].height = height + 1;
    return RT_OK;
}

/* Records the anchor of event e (a scalar or the start of a collection);
 * *index is its slot, -1 when e has none. */
static rt_status new_anchor(events *ev, struct fy_event *e, int *index)
{
    struct fy_token *t = fy_event_get_anchor_token(e);
    size_t len = 0;
    const char *name = t ? fy_token_get_text(t, &len) : NULL;
    *index = -1;
    if (!name)
        return RT_OK;
    if (ev->n_anchors == RTI_YAML_MAX_ANCHORS)
        return rti_yaml_fail(ev->y, event_at(e), "the file defines more than %d anchors (&name)",
                             RTI_YAML_MAX_ANCHORS);
    anchor_rec *a = &ev->anchors[ev->n_anchors];
    if (!(a->name = rti_yaml_dup(ev->y, name, len)))
        return RT_E_NOMEM;
    a->len = len;
    a->size = 1;
    a->height = 0;
    a->done = 0;
    *index = ev->n_anchors++;
    return RT_OK;
}

static rt_status alias_event(events *ev, struct fy_event *e)
{
    size_t len = 0;
    const char *name = fy_token_get_text(e->alias.anchor, &len);
    if (++ev->n_aliases > RTI_YAML_MAX_ALIASES)
        return rti_yaml_fail(ev->y, event_at(e), "the file uses more than %d aliases (*name)",
                             RTI_YAML_MAX_ALIASES);
    int i = name ? find_anchor(ev, name, len) : -1;
    /* an unknown anchor and a cycle are errors of the document load */
    if (i < 0 || !ev->anchors[i].done)
        return add_node(ev, e, 1, 0);
    return add_node(ev, e, ev->anchors[i].size, ev->anchors[i].height);
}

static rt_status start_event(events *ev, struct fy_event *e)
{
    int anchor;
    RTI_TRY(add_node(ev, e, 1, 1));
    RTI_TRY(new_anchor(ev, e, &anchor));
    ev->open[ev->depth++] = (open_coll){ev->nodes - 1, 1, anchor};
    return RT_OK;
}

static void end_event(events *ev)
{
    if (ev->depth == 0)
        return;
    open_coll c = ev->open[--ev->depth];
    if (c.anchor >= 0) {
        anchor_rec *a = &ev->anchors[c.anchor];
        a->size = ev->nodes - c.nodes_before;
        a->height = c.height;
        a->done = 1;
    }
    if (ev->depth > 0 && ev->open[ev->depth - 1].height < c.height + 1)
        ev->open[ev->depth - 1].height = c.height + 1;
}

/* An explicit tag (!!str 100, !foo) would make a number or a boolean of
 * a text, or mean nothing: the study file has none. A plain << is a merge
 * key, which libfyaml would apply: the keys of a study file are only
 * those its tables list. */
static rt_status plain_yaml(events *ev, struct fy_event *e)
{
    struct fy_token *tag = e->type == FYET_SCALAR           ? e->scalar.tag
                           : e->type == FYET_MAPPING_START  ? e->mapping_start.tag
                           : e->type == FYET_SEQUENCE_START ? e->sequence_start.tag
                                                            : NULL;
    if (tag) {
        const struct fy_mark *m = fy_token_start_mark(tag);
        return rti_yaml_fail(ev->y, m ? (rti_where){m->line + 1, m->column + 1} : event_at(e),
                             "an explicit YAML tag (!!str, !name): a study file has none; write "
                             "the value itself");
    }
    size_t len = 0;
    const char *v = e->type == FYET_SCALAR ? fy_token_get_text(e->scalar.value, &len) : NULL;
    if (v && len == 2 && memcmp(v, "<<", 2) == 0 &&
        fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN)
        return rti_yaml_fail(ev->y, event_at(e),
                             "a YAML merge key (<<): a study file has none; write the keys out, "
                             "or repeat a whole entry with an alias");
    return RT_OK;
}

static rt_status one_event(events *ev, struct fy_event *e)
{
    int anchor;
    RTI_TRY(plain_yaml(ev, e));
    switch (e->type) {
    case FYET_SCALAR:
        RTI_TRY(add_node(ev, e, 1, 0));
        RTI_TRY(new_anchor(ev, e, &anchor));
        if (anchor >= 0)
            ev->anchors[anchor].done = 1;
        return RT_OK;
    case FYET_ALIAS:
        return alias_event(ev, e);
    case FYET_SEQUENCE_START:
    case FYET_MAPPING_START:
        return start_event(ev, e);
    case FYET_SEQUENCE_END:
    case FYET_MAPPING_END:
        end_event(ev);
        return RT_OK;
    default:
        return RT_OK;
    }
}

static rt_status event_pass(rti_yaml *y, const char *buf, size_t len)
{
    struct fy_diag *diag = NULL;
    struct fy_parser *p = NULL;
    events *ev = NULL;
    rt_status st = rti_yaml_parser(y, buf, len, 0, &diag, &p);
    if (st == RT_OK && !(ev = rti_malloc_array(y->ctx, 1, sizeof(*ev), "YAML budgets")))
        st = RT_E_NOMEM;
    if (ev) {
        ev->y = y;
        ev->nodes = 0;
        ev->n_aliases = ev->n_anchors = ev->depth = 0;
    }
    struct fy_event *e;
    while (st == RT_OK && (e = fy_parser_parse(p)) != NULL) {
        st = one_event(ev, e);
        fy_parser_event_free(p, e);
    }
    for (int i = 0; ev && i < ev->n_anchors; i++)
        free(ev->anchors[i].name);
    free(ev);
    fy_parser_destroy(p);
    fy_diag_destroy(diag);
    return st;
}

rt_status rti_yaml_bounds(rti_yaml *y, const char *buf, size_t len)
{
    RTI_TRY(token_bound(y, buf, len));
    return event_pass(y, buf, len);
}
