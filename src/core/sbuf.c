#include "core/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rti_sb_init(rti_sbuf *b, rt_ctx *ctx)
{
    memset(b, 0, sizeof(*b));
    b->ctx = ctx;
}

/* Room for `more` bytes and a NUL. */
static int reserve(rti_sbuf *b, size_t more)
{
    if (b->failed)
        return 0;
    if (b->n + more + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *p = b->ctx ? rti_realloc_array(b->ctx, b->p, (int64_t)cap, 1, "report text")
                     : realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void rti_sb_putn(rti_sbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void rti_sb_put(rti_sbuf *b, const char *s)
{
    if (s)
        rti_sb_putn(b, s, strlen(s));
}

void rti_sb_printf(rti_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k < sizeof(small)) {
        rti_sb_putn(b, small, (size_t)k);
        return;
    }
    if (!reserve(b, (size_t)k))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* The character reference of c in HTML and XML text, NULL for none. */
static const char *html_ref(char c)
{
    return c == '&'    ? "&amp;"
           : c == '<'  ? "&lt;"
           : c == '>'  ? "&gt;"
           : c == '"'  ? "&quot;"
           : c == '\'' ? "&#39;"
                       : NULL;
}

void rti_sb_escape(rti_sbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *ref = html_ref(*s);
        if (!ref)
            continue;
        rti_sb_putn(b, run, (size_t)(s - run));
        rti_sb_put(b, ref);
        run = s + 1;
    }
    rti_sb_putn(b, run, (size_t)(s - run));
}

char *rti_html_escape(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (; s && *s; s++) {
        const char *ref = html_ref(*s);
        const size_t len = ref ? strlen(ref) : 1;
        if (n + len >= size) {
            if (((unsigned char)*s & 0xC0) == 0x80) { /* in a character: not half of it */
                while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
                    n--;
                n -= n > 0; /* its lead byte */
            }
            break;
        }
        memcpy(buf + n, ref ? ref : s, len);
        n += len;
    }
    if (size > 0)
        buf[n] = '\0';
    return buf;
}

char *rti_sb_take(rti_sbuf *b)
{
    if (b->failed) {
        rti_sb_free(b);
        return NULL;
    }
    if (!b->cap) { /* nothing written yet: p is NULL */
        if (!reserve(b, 0))
            return NULL;
        b->p[0] = '\0';
    }
    char *p = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void rti_sb_free(rti_sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Offset of the first byte that is not valid UTF-8 (or a NUL), or len. */
size_t rti_utf8_invalid_at(const unsigned char *s, size_t len)
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
        /* no overlong forms, no surrogates, nothing past U+10FFFF (RFC 3629) */
        unsigned c1 = s[i + 1];
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) ||
            (c == 0xf4 && c1 > 0x8f))
            return i;
        i += n + 1;
    }
    return len;
}

char *rti_utf8_valid_copy(const char *s)
{
    const size_t len = strlen(s);
    char *out = malloc(3 * len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        const size_t good = rti_utf8_invalid_at((const unsigned char *)s + i, len - i);
        memcpy(out + o, s + i, good);
        o += good;
        i += good;
        if (i < len) { /* U+FFFD for the byte that is not UTF-8 */
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}
