/* SVG pieces of the report: the overlay of a map image (scale bar, north
 * arrow), region outlines as shared paths, choropleths of them, and the
 * distribution of the population by travel time. Every SVG is inline in
 * report.html; nothing refers to another file. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "study/report/report.h"

static void hexcol(char *buf, rti_rgba c) { snprintf(buf, 8, "#%02x%02x%02x", c.r, c.g, c.b); }

/* 1, 2 or 5 times a power of ten, the largest not above v. */
static double nice_below(double v)
{
    double p = pow(10.0, floor(log10(v)));
    return v >= 5 * p ? 5 * p : v >= 2 * p ? 2 * p : p;
}

void rti_svg_map_overlay(rti_sbuf *b, const rti_map_frame *f, rti_language lang)
{
    double width_m = f->width * f->px_m;
    double bar_m = nice_below(width_m / 4.0);
    double bar_px = bar_m / f->px_m;
    double u = (f->width > f->height ? f->width : f->height) / 60.0; /* a text unit */
    double x = u, y = f->height - u;
    char label[48], num[32];
    if (bar_m >= 1000)
        snprintf(label, sizeof(label), "%s %s", rti_fmt_local(lang, "%g", bar_m / 1000, num, 32),
                 rti_label_text(lang, RTI_L_UNIT_KM));
    else
        snprintf(label, sizeof(label), "%s m", rti_fmt_local(lang, "%g", bar_m, num, 32));
    rti_sb_printf(b,
                  "<svg class=\"overlay\" viewBox=\"0 0 %d %d\" aria-hidden=\"true\">"
                  "<g class=\"scalebar\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\" fill=\"#fff\" fill-opacity=\"0.8\"/>",
                  f->width, f->height, x - 0.5 * u, y - 2.6 * u, bar_px + u, 3.1 * u);
    rti_sb_printf(b,
                  "<path d=\"M%.1f %.1fV%.1fH%.1fV%.1f\" fill=\"none\" stroke=\"#000\" "
                  "stroke-width=\"%.2f\"/>",
                  x, y - 0.6 * u, y, x + bar_px, y - 0.6 * u, 0.15 * u);
    rti_sb_printf(b,
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"middle\">%s</text>"
                  "</g>",
                  x + bar_px / 2, y - 1.0 * u, 1.3 * u, label);
    double nx = f->width - 2.0 * u, ny = 1.0 * u;
    rti_sb_printf(b,
                  "<g class=\"north\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#fff\" "
                  "fill-opacity=\"0.8\"/><path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" "
                  "fill=\"#000\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" "
                  "text-anchor=\"middle\">N</text></g></svg>",
                  nx, ny + 1.6 * u, 1.6 * u, nx, ny + 0.3 * u, nx + 0.6 * u, ny + 2.2 * u, nx,
                  ny + 1.7 * u, nx - 0.6 * u, ny + 2.2 * u, nx, ny + 3.0 * u, 0.9 * u);
}

/* ---- regions ---- */

typedef struct ring_ctx {
    rti_sbuf *b;
    const rti_svg_tf *tf;
} ring_ctx;

static rt_status one_ring(const double *x, const double *y, int n, void *user)
{
    ring_ctx *rc = user;
    rti_svg_ring(rc->b, x, y, n, rc->tf);
    return rc->b->failed ? RT_E_NOMEM : RT_OK;
}

rt_status rti_svg_region_defs(rt_ctx *ctx, rti_sbuf *b, const rti_polygons *p, const char *prefix,
                              const rti_svg_tf *tf)
{
    ring_ctx rc = {b, tf};
    rti_sb_put(b, "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>");
    for (int64_t i = 0; i < p->n; i++) {
        rti_sb_printf(b, "<path id=\"%s-%lld\" d=\"", prefix, (long long)i);
        rt_status st = rti_polygon_rings(ctx, p, i, one_ring, &rc);
        if (st != RT_OK)
            return st;
        rti_sb_put(b, "\"/>");
    }
    rti_sb_put(b, "</defs></svg>\n");
    return b->failed ? RT_E_NOMEM : RT_OK;
}

/* The viewBox transform of a layer: `width` pixels wide, at most
 * 1.25 x width high. */
void rti_svg_fit(const double bbox[4], double width, rti_svg_tf *tf, double *w, double *h)
{
    double dx = bbox[2] - bbox[0], dy = bbox[3] - bbox[1];
    double scale = dx > 0 ? width / dx : 1;
    if (dy * scale > 1.25 * width && dy > 0)
        scale = 1.25 * width / dy;
    tf->x0 = bbox[0];
    tf->y1 = bbox[3];
    tf->scale = scale;
    tf->min_px = 0.5;
    *w = ceil(dx * scale);
    *h = ceil(dy * scale);
}

void rti_svg_choropleth(rti_sbuf *b, const rti_choropleth *m)
{
    char col[8];
    rti_sb_printf(b, "<svg class=\"choro\" viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"", m->w,
                  m->h);
    rti_sb_escape(b, m->title);
    rti_sb_put(b, "\"><g stroke=\"#fff\" stroke-width=\"0.6\">");
    for (int64_t i = 0; i < m->n; i++) {
        double v = m->value[i];
        int k = rti_class_of(m->classes, v);
        if (k < 0)
            snprintf(col, sizeof(col), "#d9d9d9");
        else
            hexcol(col, m->classes->colour[k]);
        rti_sb_printf(b, "<use href=\"#%s-%lld\" fill=\"%s\"><title>", m->prefix, (long long)i,
                      col);
        rti_sb_escape(b, m->id[i]);
        if (m->name && m->name[i] && *m->name[i]) {
            rti_sb_put(b, " ");
            rti_sb_escape(b, m->name[i]);
        }
        char num[64];
        if (k < 0)
            rti_sb_printf(b, ": %s", rti_label_text(m->lang, RTI_L_NO_INHABITANTS));
        else if (strcmp(m->classes->unit, "%") == 0) /* a share: 0.9 %, <0.1 % */
            rti_sb_printf(b, ": %s", rti_fmt_share(m->lang, v, num, sizeof(num)));
        else
            rti_sb_printf(b, ": %s %s", rti_fmt_local(m->lang, "%.1f", v, num, sizeof(num)),
                          m->classes->unit);
        if (k >= 0 && m->count && !isnan(m->count[i]))
            rti_sb_printf(b, rti_label_text(m->lang, RTI_L_HOVER_BEYOND),
                          rti_fmt_count(m->lang, m->count[i], num, sizeof(num)), m->norm);
        rti_sb_put(b, "</title></use>");
    }
    rti_sb_put(b, "</g></svg>");
}

/* ---- population by travel time ---- */

void rti_svg_histogram(rti_sbuf *b, const rti_histogram *hg)
{
    const double W = 640, H = 280, L = 56, R = 56, T = 16, B = 44;
    const int nb = hg->n_bins;
    const int slots = nb + 3; /* the bins, a gap, beyond, unreachable */
    double total = 0, top = 0;
    for (int i = 0; i < nb + 2; i++) {
        total += hg->bins[i];
        top = hg->bins[i] > top ? hg->bins[i] : top;
    }
    if (!(total > 0))
        total = 1;
    double top_pct = 100.0 * top / total;
    double ymax = top_pct > 0 ? nice_below(top_pct) : 1;
    while (ymax < top_pct)
        ymax += nice_below(ymax);
    const double pw = W - L - R, ph = H - T - B, bw = pw / slots;
    const rti_language lang = hg->lang;
    char col[8], num[64], pc[80];
    rti_sb_printf(b, "<svg class=\"hist\" viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"", W, H);
    rti_sb_escape(b, hg->title);
    rti_sb_put(b, "\">");
    /* axes and grid */
    for (int g = 0; g <= 4; g++) {
        double y = T + ph - ph * g / 4.0;
        snprintf(pc, sizeof(pc), rti_label_text(lang, RTI_L_PERCENT),
                 rti_fmt_local(lang, "%.3g", ymax * g / 4.0, num, sizeof(num)));
        rti_sb_printf(b,
                      "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%g\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%s</text>"
                      "<text x=\"%g\" y=\"%.1f\" class=\"ax cum\">%d %%</text>",
                      L, y, W - R, y, L - 4, y + 4, pc, W - R + 4, y + 4, 25 * g);
    }
    for (int i = 0; i < nb + 2; i++) {
        int slot = i < nb ? i : i + 1;
        double pct = 100.0 * hg->bins[i] / total, h = ph * pct / ymax;
        if (pct > 0 && h < RTI_HIST_MIN_BAR) /* a small share is still seen */
            h = RTI_HIST_MIN_BAR;
        rti_rgba c = i < nb
                         ? hg->classes->colour[rti_class_of(hg->classes, (i + 0.5) * hg->width_min)]
                     : i == nb ? hg->classes->colour[hg->classes->n - 1]
                               : (rti_rgba){0x99, 0x99, 0x99, 255};
        hexcol(col, c);
        rti_sb_printf(b,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                      "<title>",
                      L + slot * bw + 1, T + ph - h, bw - 2, h, col);
        rti_sb_printf(b, rti_label_text(lang, RTI_L_HIST_BAR),
                      rti_fmt_share(lang, pct, pc, sizeof(pc)));
        rti_sb_put(b, "</title></rect>");
    }
    /* x labels every 5 bins, and the two extra bars */
    for (int i = 0; i <= nb; i += 5)
        rti_sb_printf(b, "<text x=\"%.1f\" y=\"%g\" class=\"ax\" text-anchor=\"middle\">%s</text>",
                      L + i * bw, T + ph + 14,
                      rti_fmt_local(lang, "%g", i * hg->width_min, num, sizeof(num)));
    rti_sb_printf(b,
                  "<text x=\"%.1f\" y=\"%g\" class=\"ax\" text-anchor=\"middle\">&gt;%s</text>"
                  "<text x=\"%.1f\" y=\"%g\" class=\"ax\" text-anchor=\"middle\">%s</text>"
                  "<text x=\"%.1f\" y=\"%g\" class=\"ax\" text-anchor=\"middle\">%s</text>",
                  L + (nb + 1.5) * bw, T + ph + 14,
                  rti_fmt_local(lang, "%g", nb * hg->width_min, num, sizeof(num)),
                  L + (nb + 2.5) * bw, T + ph + 14, rti_label_text(lang, RTI_L_NONE), L + pw / 2,
                  H - 8, rti_label_text(lang, RTI_L_HIST_AXIS));
    /* norms */
    for (int k = 0; k < hg->n_norms; k++) {
        double x = L + bw * hg->norm_min[k] / hg->width_min;
        if (x > L + nb * bw)
            continue;
        rti_sb_printf(b,
                      "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" class=\"norm\"/>"
                      "<text x=\"%.1f\" y=\"%g\" class=\"ax\">",
                      x, T, x, T + ph, x + 3, T + 10);
        rti_sb_printf(b, rti_label_text(lang, RTI_L_HIST_NORM),
                      rti_fmt_local(lang, "%g", hg->norm_min[k], num, sizeof(num)));
        rti_sb_put(b, "</text>");
    }
    /* cumulative share within each bin edge, 0 .. 100 % */
    rti_sb_printf(b, "<polyline class=\"cumline\" points=\"%g,%g", L, T + ph);
    double cum = 0;
    for (int i = 0; i < nb; i++) {
        cum += hg->bins[i];
        rti_sb_printf(b, " %.1f,%.1f", L + (i + 1) * bw, T + ph - ph * cum / total);
    }
    rti_sb_put(b, "\"/></svg>");
}
