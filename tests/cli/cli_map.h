#ifndef RT_CLI_MAP_H
#define RT_CLI_MAP_H
/* The map images of report.html in the CLI tests (and the study tests):
 * the first PNG after a text of the page, decoded through GDAL, and the
 * colour of one of its pixels. Include after cmocka.h, stdlib.h and
 * string.h (cli/cli_util.h includes both). */
#include <stdint.h>

#include "png_rgba.h"

/* Decodes base64 text up to the closing quote (caller frees). */
static inline unsigned char *cli_unbase64(const char *s, size_t *n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = strcspn(s, "\"");
    unsigned char *o = malloc(len);
    assert_non_null(o);
    size_t k = 0;
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < len && s[i] != '='; i++) {
        const char *c = strchr(abc, s[i]);
        assert_non_null(c);
        v = (v << 6) | (unsigned)(c - abc);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[k++] = (unsigned char)((v >> bits) & 0xff);
        }
    }
    *n = k;
    return o;
}

/* The RGBA pixels (caller frees) of the first map image after the text
 * `after` of html; *w and *h get its size. */
static inline uint8_t *cli_report_map(const char *html, const char *after, int *w, int *h)
{
    const char *img = strstr(html, after);
    if (!img)
        fail_msg("not in the report: %s", after);
    img = strstr(img, "base64,");
    assert_non_null(img);
    size_t n;
    unsigned char *png = cli_unbase64(img + 7, &n);
    uint8_t *rgba = rt_test_png_rgba(png, n, w, h);
    free(png);
    return rgba;
}

/* Pixel (row, col) of an image w pixels wide is opaque and within 1 of
 * (r, g, b). */
static inline void cli_px_near(const uint8_t *rgba, int w, int row, int col, int r, int g, int b,
                               const char *what)
{
    const uint8_t *p = rgba + 4 * ((size_t)row * w + col);
    if (abs(p[0] - r) > 1 || abs(p[1] - g) > 1 || abs(p[2] - b) > 1 || p[3] != 255)
        fail_msg("%s: pixel (%d, %d) is %d,%d,%d,%d, expected %d,%d,%d", what, row, col, p[0], p[1],
                 p[2], p[3], r, g, b);
}

#endif
