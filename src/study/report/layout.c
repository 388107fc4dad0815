/* Text boxes and label placement for the report's SVG: how much room a
 * text takes (estimated from its font size and number of characters, the
 * browser is not asked) and a first-fit placement of labels that never
 * lets two of them meet. Pure functions, no files. */
#include <math.h>
#include <string.h>

#include "study/report/report.h"

int rti_text_chars(const char *text)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '&') { /* an entity (&gt;, &ndash;, &#9673;) is one character */
            const char *semi = strchr((const char *)p, ';');
            if (semi && semi - (const char *)p <= 10)
                p = (const unsigned char *)semi;
            n++;
        } else if ((*p & 0xc0) != 0x80) { /* not a continuation byte of UTF-8 */
            n++;
        }
    }
    return n;
}

rti_box rti_text_box(const char *text, double x, double y, double size, char anchor)
{
    double w = RTI_EM_PER_CHAR * size * rti_text_chars(text);
    double x0 = anchor == 'm' ? x - w / 2 : anchor == 'e' ? x - w : x;
    return (rti_box){x0, y - 0.8 * size, x0 + w, y + 0.25 * size};
}

int rti_box_overlap(const rti_box *a, const rti_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

void rti_placer_keep(rti_placer *p, const rti_box *b)
{
    if (p->n < p->cap)
        p->box[p->n++] = *b;
}

int rti_placer_try(rti_placer *p, const rti_box *b, const rti_box *within)
{
    if (p->n >= p->cap)
        return 0;
    if (within &&
        (b->x0 < within->x0 || b->x1 > within->x1 || b->y0 < within->y0 || b->y1 > within->y1))
        return 0;
    for (int i = 0; i < p->n; i++)
        if (rti_box_overlap(b, &p->box[i]))
            return 0;
    p->box[p->n++] = *b;
    return 1;
}
