#ifndef RT_SBUF_H
#define RT_SBUF_H
/* A growing text buffer (the report, the QGIS styles, the summaries).
 * Allocation goes through the context's helpers; after the first failure
 * every call does nothing and rti_sb_take() returns NULL (the context holds
 * the RT_E_NOMEM message). With a NULL context it allocates with realloc
 * and a failure sets no message (for text that may be lost, such as the
 * summary of a finished run). */
#include <stddef.h>

#include "core/ctx_internal.h"

typedef struct rti_sbuf {
    rt_ctx *ctx;
    char *p; /* NUL-terminated text, NULL while empty */
    size_t n, cap;
    int failed;
} rti_sbuf;

void rti_sb_init(rti_sbuf *b, rt_ctx *ctx);
void rti_sb_printf(rti_sbuf *b, const char *fmt, ...) RTI_PRINTF(2, 3);
void rti_sb_putn(rti_sbuf *b, const char *s, size_t n);
void rti_sb_put(rti_sbuf *b, const char *s);
/* s with & < > " ' written as character references (HTML and XML text and
 * attribute values); NULL writes nothing. */
void rti_sb_escape(rti_sbuf *b, const char *s);
/* s escaped as rti_sb_escape does into buf of size bytes (> 0), cut short
 * before a reference or a UTF-8 character that would not fit; returns
 * buf. */
char *rti_html_escape(const char *s, char *buf, size_t size);
/* The text (caller frees) and an empty buffer; NULL after a failure. An
 * empty buffer gives "". */
char *rti_sb_take(rti_sbuf *b);
void rti_sb_free(rti_sbuf *b);

/* Offset of the first byte of s[0..len) that is not valid UTF-8 (RFC 3629:
 * no overlong forms, surrogates or code points past U+10FFFF) or is a
 * NUL; len when there is none. */
size_t rti_utf8_invalid_at(const unsigned char *s, size_t len);
/* A copy of s (caller frees; NULL when out of memory) with each byte that
 * is not valid UTF-8 replaced by U+FFFD: a file name or a value of a
 * Latin-1 file, made fit for JSON. */
char *rti_utf8_valid_copy(const char *s);

#endif
