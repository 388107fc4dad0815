/* Checks that no two texts of an SVG in an HTML page meet: for every
 * <svg>...</svg> (the inline SVGs of report.html are not nested) the box
 * of each <text> is estimated from its x, y, text-anchor and font size and
 * the number of characters it shows, and every pair of boxes within one
 * SVG is compared.
 *
 * The estimate, independent of the report's own (report.h,
 * RTI_EM_PER_CHAR 0.65): a character is 0.6 x the font size wide (the
 * average advance of DejaVu Sans, the sans-serif of Debian's Chromium, over
 * digits, lower case and capitals), the box reaches 0.75 x the font size
 * above the baseline and 0.2 x below it (the ascent of capitals and digits
 * and the descent of g, p, y). An HTML entity and a UTF-8 sequence are one
 * character. The font size is the text's font-size attribute, else 11 for
 * the class "ax" (the axis labels, 11px in the report's CSS); a text with
 * neither fails the check, so that no text escapes it. */
#ifndef RT_TEST_SVG_TEXT_BOXES_H
#define RT_TEST_SVG_TEXT_BOXES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct svg_text_box {
    double x0, y0, x1, y1;
    char text[64];
} svg_text_box;

/* The value of attribute name (' name="') in the tag from tag to end, or
 * NULL. */
static const char *svg_attr(const char *tag, const char *end, const char *name, char *buf, size_t n)
{
    char key[48];
    snprintf(key, sizeof(key), " %s=\"", name);
    const char *a = strstr(tag, key);
    if (!a || a > end)
        return NULL;
    a += strlen(key);
    const char *q = strchr(a, '"');
    size_t len = (size_t)(q - a) < n - 1 ? (size_t)(q - a) : n - 1;
    memcpy(buf, a, len);
    buf[len] = '\0';
    return buf;
}

/* Characters shown between from and to (no tags inside a report's texts). */
static int svg_chars(const char *from, const char *to)
{
    int n = 0;
    for (const char *p = from; p < to; p++) {
        if (*p == '&') {
            const char *semi = strchr(p, ';');
            if (semi && semi < to)
                p = semi;
        } else if (((unsigned char)*p & 0xc0) == 0x80) {
            continue;
        }
        n++;
    }
    return n;
}

/* The number of texts in the SVGs of html; *overlaps gets the number of
 * pairs of them that meet, and the first few are printed. A text without a
 * font size counts as a pair that meets. */
static int svg_text_overlaps(const char *html, int *overlaps)
{
    int texts = 0;
    *overlaps = 0;
    for (const char *s = strstr(html, "<svg"); s; s = strstr(s, "<svg")) {
        const char *end = strstr(s, "</svg>");
        if (!end)
            break;
        int n = 0, cap = 64;
        svg_text_box *box = malloc(sizeof(*box) * (size_t)cap);
        for (const char *t = strstr(s, "<text"); t && t < end; t = strstr(t + 1, "<text")) {
            const char *gt = strchr(t, '>'), *close = strstr(t, "</text>");
            char v[64], cls[64], anchor[16] = "start";
            double x = atof(svg_attr(t, gt, "x", v, sizeof(v)) ? v : "0");
            double y = atof(svg_attr(t, gt, "y", v, sizeof(v)) ? v : "0");
            double fs = svg_attr(t, gt, "font-size", v, sizeof(v)) ? atof(v)
                        : svg_attr(t, gt, "class", cls, sizeof(cls)) &&
                                (strcmp(cls, "ax") == 0 || strncmp(cls, "ax ", 3) == 0)
                            ? 11
                            : 0;
            svg_attr(t, gt, "text-anchor", anchor, sizeof(anchor));
            if (fs <= 0) {
                fprintf(stderr, "a text without a font size: %.80s\n", t);
                (*overlaps)++;
                continue;
            }
            double w = 0.6 * fs * svg_chars(gt + 1, close);
            double x0 = strcmp(anchor, "middle") == 0 ? x - w / 2
                        : strcmp(anchor, "end") == 0  ? x - w
                                                      : x;
            if (n == cap)
                box = realloc(box, sizeof(*box) * (size_t)(cap *= 2));
            svg_text_box *b = &box[n++];
            *b = (svg_text_box){x0, y - 0.75 * fs, x0 + w, y + 0.2 * fs, ""};
            size_t len = (size_t)(close - gt - 1) < sizeof(b->text) - 1 ? (size_t)(close - gt - 1)
                                                                        : sizeof(b->text) - 1;
            memcpy(b->text, gt + 1, len);
            b->text[len] = '\0';
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (box[i].x0 < box[j].x1 && box[j].x0 < box[i].x1 && box[i].y0 < box[j].y1 &&
                    box[j].y0 < box[i].y1) {
                    if (++*overlaps <= 5)
                        fprintf(stderr, "texts meet: '%s' (%.1f %.1f %.1f %.1f) and '%s'\n",
                                box[i].text, box[i].x0, box[i].y0, box[i].x1, box[i].y1,
                                box[j].text);
                }
        texts += n;
        free(box);
        s = end;
    }
    return texts;
}

#endif
