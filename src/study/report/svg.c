/* SVG pieces of the report: the overlay of a map image (scale bar, north
 * arrow), region outlines as shared paths, choropleths of them, and the
 * distribution of the population by travel time. Every SVG is inline in
 * report.html; nothing refers to another file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/report/report.h"

static void hexcol(char *buf, rti_rgba c) { snprintf(buf, 8, "#%02x%02x%02x", c.r, c.g, c.b); }

/* 1, 2 or 5 times a power of ten, the largest not above v. */
static double nice_below(double v)
{
    double p = pow(10.0, floor(log10(v)));
    return v >= 5 * p ? 5 * p : v >= 2 * p ? 2 * p : p;
}

void rti_svg_map_overlay(rti_sbuf *b, const rti_map_frame *f, rti_language lang, rti_placer *pl)
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
    /* the scale bar's box and the north arrow's are taken: no label on them */
    rti_box bar = {x - 0.5 * u, y - 2.6 * u, x + bar_px + 0.5 * u, y + 0.5 * u};
    rti_box north = {f->width - 3.6 * u, 0, f->width - 0.4 * u, 4.3 * u};
    rti_placer_keep(pl, &bar);
    rti_placer_keep(pl, &north);
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
                  "text-anchor=\"middle\">N</text></g>",
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

/* The sample points of a label's box that must lie inside its region:
 * along its top and bottom edges at most a box height apart, and the
 * middles of its sides; of the whole box, or (part 3) of its middle third
 * only. */
#define NAME_SAMPLES 64
typedef struct inside_test {
    const rti_svg_tf *tf;
    int n;
    double x[NAME_SAMPLES], y[NAME_SAMPLES];
    int odd[NAME_SAMPLES]; /* crossings of a ray to the right, mod 2 */
} inside_test;

static void box_samples(inside_test *it, const rti_box *whole, int part)
{
    rti_box bx = *whole;
    if (part == 3) {
        double third = (bx.x1 - bx.x0) / 3;
        bx.x0 += third;
        bx.x1 -= third;
    }
    double h = bx.y1 - bx.y0, w = bx.x1 - bx.x0;
    int steps = (int)ceil(w / h);
    steps = steps < 1 ? 1 : steps > (NAME_SAMPLES - 2) / 2 - 1 ? (NAME_SAMPLES - 2) / 2 - 1 : steps;
    it->n = 0;
    for (int k = 0; k <= steps; k++) {
        double x = bx.x0 + w * k / steps;
        it->x[it->n] = x, it->y[it->n++] = bx.y0;
        it->x[it->n] = x, it->y[it->n++] = bx.y1;
    }
    it->x[it->n] = bx.x0, it->y[it->n++] = (bx.y0 + bx.y1) / 2;
    it->x[it->n] = bx.x1, it->y[it->n++] = (bx.y0 + bx.y1) / 2;
    for (int k = 0; k < it->n; k++)
        it->odd[k] = 0;
}

static rt_status ring_crossings(const double *x, const double *y, int n, void *user)
{
    inside_test *it = user;
    const rti_svg_tf *tf = it->tf;
    for (int j = 0, i = n - 1; j < n; i = j++) {
        double xi = (x[i] - tf->x0) * tf->scale, yi = (tf->y1 - y[i]) * tf->scale;
        double xj = (x[j] - tf->x0) * tf->scale, yj = (tf->y1 - y[j]) * tf->scale;
        for (int k = 0; k < it->n; k++)
            if ((yi > it->y[k]) != (yj > it->y[k]) &&
                it->x[k] < xi + (it->y[k] - yi) * (xj - xi) / (yj - yi))
                it->odd[k] ^= 1;
    }
    return RT_OK;
}

/* The name of polygon i: at its point on the surface, or one or two lines
 * above or below it, or half its width to the left or right, where the box
 * of the text lies inside the polygon; else at the first of the points
 * above or below it where the middle third of the box does (the name of a
 * small region stands over its borders). Never where it meets a name
 * placed; nothing when it fits nowhere. */
static rt_status region_name(rt_ctx *ctx, rti_sbuf *b, const rti_polygons *p, int64_t i,
                             const rti_svg_tf *tf, double fs, rti_placer *pl)
{
    const char *name = p->name[i];
    if (!name || !*name || isnan(p->px[i]))
        return RT_OK;
    double x = (p->px[i] - tf->x0) * tf->scale, y = (tf->y1 - p->py[i]) * tf->scale + 0.3 * fs;
    const double w = rti_text_box(name, 0, 0, fs, 'm').x1;
    const double dy[5] = {0, -1.1 * fs, 1.1 * fs, -2.2 * fs, 2.2 * fs};
    const double dx[3] = {0, -w, w};
    for (int k = 0; k < 20; k++) {
        const int part = k < 15 ? 1 : 3;
        const double ax = x + (k < 15 ? dx[k / 5] : 0), ay = y + dy[k % 5];
        rti_box bx = rti_text_box(name, ax, ay, fs, 'm');
        inside_test it = {.tf = tf};
        box_samples(&it, &bx, part);
        rt_status st = rti_polygon_rings(ctx, p, i, ring_crossings, &it);
        if (st != RT_OK)
            return st;
        int inside = 1;
        for (int s = 0; s < it.n && inside; s++)
            inside = it.odd[s];
        if (!inside || !rti_placer_try(pl, &bx, NULL))
            continue;
        rti_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"middle\">",
                      ax, ay, fs);
        rti_sb_escape(b, name);
        rti_sb_put(b, "</text>");
        return RT_OK;
    }
    return RT_OK;
}

rt_status rti_svg_region_names(rt_ctx *ctx, rti_sbuf *b, const rti_polygons *p,
                               const rti_svg_tf *tf, double fs, rti_placer *pl)
{
    rt_status st = RT_OK;
    for (int64_t i = 0; p->name && st == RT_OK && i < p->n; i++)
        st = region_name(ctx, b, p, i, tf, fs, pl);
    return st;
}

rt_status rti_svg_region_defs(rt_ctx *ctx, rti_sbuf *b, const rti_polygons *p, const char *prefix,
                              const rti_svg_tf *tf, double name_size, int *names)
{
    ring_ctx rc = {b, tf};
    *names = 0;
    rti_sb_put(b, "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>");
    for (int64_t i = 0; i < p->n; i++) {
        rti_sb_printf(b, "<path id=\"%s-%lld\" d=\"", prefix, (long long)i);
        rt_status st = rti_polygon_rings(ctx, p, i, one_ring, &rc);
        if (st != RT_OK)
            return st;
        rti_sb_put(b, "\"/>");
    }
    if (p->name && name_size > 0) {
        rti_placer pl = {rti_malloc_array(ctx, p->n + 1, sizeof(rti_box), "region names"), 0,
                         (int)p->n};
        if (!pl.box)
            return RT_E_NOMEM;
        rti_sb_printf(b, "<g id=\"%s-names\" class=\"names\">", prefix);
        rt_status st = rti_svg_region_names(ctx, b, p, tf, name_size, &pl);
        free(pl.box);
        if (st != RT_OK)
            return st;
        rti_sb_put(b, "</g>");
        *names = 1;
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
        const int routeless = k < 0 && m->pop && m->pop[i] > 0;
        if (routeless)
            snprintf(col, sizeof(col), "%s", RTI_ROUTELESS_COLOUR);
        else if (k < 0)
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
            rti_sb_printf(
                b, ": %s",
                rti_label_text(m->lang, routeless ? RTI_L_NOBODY_ROUTE : RTI_L_NO_INHABITANTS));
        else if (strcmp(m->classes->unit, "%") == 0) /* a share: 0.9 %, <0.1 % */
            rti_sb_printf(b, ": %s", rti_fmt_share(m->lang, v, num, sizeof(num)));
        else
            rti_sb_printf(b, ": %s %s", rti_fmt_local(m->lang, "%.1f", v, num, sizeof(num)),
                          m->classes->unit);
        if (k >= 0 && m->count && !isnan(m->count[i]))
            rti_sb_printf(b, rti_label_text(m->lang, RTI_L_HOVER_BEYOND),
                          rti_fmt_persons(m->lang, m->count[i], num, sizeof(num)), m->norm);
        rti_sb_put(b, "</title></use>");
    }
    rti_sb_put(b, "</g>");
    if (m->names)
        rti_sb_printf(b, "<use href=\"#%s-names\"/>", m->prefix);
    rti_sb_put(b, "</svg>");
}

/* ---- population by travel time ---- */

/* The step of the time axis's labels: the first of 1, 2, 5, 10, 15, 20,
 * 30, 60, 120 ... minutes (below 1: 0.1, 0.2, 0.5 ...) that labels 0 to
 * top in at most 6 steps. */
static double tick_step(double top)
{
    static const double ladder[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60};
    if (!(top > 0) || !isfinite(top))
        return 1;
    for (size_t k = 0; k < sizeof(ladder) / sizeof(ladder[0]); k++)
        if (top / ladder[k] <= 6)
            return ladder[k];
    double step = 60;
    while (top / step > 6)
        step *= 2;
    return step;
}

/* An x-axis label centred at x: on the line at y, else one line lower,
 * where it meets no text placed; left out when neither is free. */
static void x_label(rti_sbuf *b, rti_placer *pl, const char *text, double x, double y)
{
    for (int line = 0; line < 2; line++) {
        double yy = y + line * 1.1 * RTI_HIST_FONT;
        rti_box box = rti_text_box(text, x, yy, RTI_HIST_FONT, 'm');
        if (rti_placer_try(pl, &box, NULL)) {
            rti_sb_printf(b,
                          "<text x=\"%.1f\" y=\"%g\" class=\"ax\" text-anchor=\"middle\">%s</text>",
                          x, yy, text);
            return;
        }
    }
}

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
    /* every text of the chart takes its box (font size RTI_HIST_FONT); an
     * x label that would meet one goes a line lower, a norm's label too */
    rti_box taken[64];
    rti_placer pl = {taken, 0, 64};
    const double fs = RTI_HIST_FONT;
    /* axes and grid */
    for (int g = 0; g <= 4; g++) {
        double y = T + ph - ph * g / 4.0;
        char cum[16];
        snprintf(pc, sizeof(pc), rti_label_text(lang, RTI_L_PERCENT),
                 rti_fmt_local(lang, "%.3g", ymax * g / 4.0, num, sizeof(num)));
        snprintf(cum, sizeof(cum), "%d %%", 25 * g);
        rti_sb_printf(b,
                      "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%g\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%s</text>"
                      "<text x=\"%g\" y=\"%.1f\" class=\"ax cum\">%s</text>",
                      L, y, W - R, y, L - 4, y + 4, pc, W - R + 4, y + 4, cum);
        rti_box a = rti_text_box(pc, L - 4, y + 4, fs, 'e');
        rti_box c = rti_text_box(cum, W - R + 4, y + 4, fs, 's');
        rti_placer_keep(&pl, &a);
        rti_placer_keep(&pl, &c);
    }
    rti_sb_printf(b, "<text x=\"%.1f\" y=\"%g\" class=\"ax\" text-anchor=\"middle\">%s</text>",
                  L + pw / 2, H - 6, rti_label_text(lang, RTI_L_HIST_AXIS));
    rti_box title = rti_text_box(rti_label_text(lang, RTI_L_HIST_AXIS), L + pw / 2, H - 6, fs, 'm');
    rti_placer_keep(&pl, &title);
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
    /* x labels: the beyond and unreachable bars first (they must be
     * read), then every 5 bins */
    char beyond[48];
    snprintf(beyond, sizeof(beyond), "&gt;%s",
             rti_fmt_local(lang, "%g", nb * hg->width_min, num, sizeof(num)));
    x_label(b, &pl, beyond, L + (nb + 1.5) * bw, T + ph + 14);
    x_label(b, &pl, rti_label_text(lang, RTI_L_NONE), L + (nb + 2.5) * bw, T + ph + 14);
    const double top_min = nb * hg->width_min, step = tick_step(top_min);
    for (int i = 0; i * step <= top_min * (1 + 1e-9); i++)
        x_label(b, &pl, rti_fmt_local(lang, "%g", i * step, num, sizeof(num)),
                L + bw * i * step / hg->width_min, T + ph + 14);
    /* norms */
    for (int k = 0; k < hg->n_norms; k++) {
        double x = L + bw * hg->norm_min[k] / hg->width_min;
        if (x > L + nb * bw)
            continue;
        rti_sb_printf(b, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" class=\"norm\"/>", x, T,
                      x, T + ph);
        snprintf(pc, sizeof(pc), rti_label_text(lang, RTI_L_HIST_NORM),
                 rti_fmt_local(lang, "%g", hg->norm_min[k], num, sizeof(num)));
        for (int line = 0; line < 4; line++) {
            double yy = T + 10 + line * 1.1 * fs;
            rti_box nb_ = rti_text_box(pc, x + 3, yy, fs, 's');
            if (rti_placer_try(&pl, &nb_, NULL)) {
                rti_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\">%s</text>", x + 3, yy,
                              pc);
                break;
            }
        }
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
