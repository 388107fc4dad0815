/* QGIS style documents (QML) with the report's classes and colours: the
 * raster renderer "singlebandpseudocolor" with a DISCRETE colour ramp
 * shader (a value takes the colour of the first item whose value is >= it)
 * for the time and length grids, "paletted" for the facility grids, a
 * graduated fill for the region layers, a graduated line for the roads
 * layers and a categorized marker for the facility layers of the
 * GeoPackage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/report/report.h"

static const char qml_head[] = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                               "<qgis version=\"3.28.0\" styleCategories=\"Symbology\">\n";

/* "7.5–15 min" (en dash), "≤ 7.5 min", "> 60 min"; for shares "0 %"; for
 * whole numbers "0", "1", "3–4", "≥ 10"; the numbers as language lang
 * writes them ("7,5–15 min"). */
/* A class break: up to 4 significant digits, whole from 1000 (13000, not
 * 1.3e+04). */
static const char *break_text(rti_language lang, double v, char *buf, size_t n)
{
    return rti_fmt_local(lang, fabs(v) >= 1000 ? "%.0f" : "%.4g", v, buf, n);
}

static void class_label(const rti_classes *c, int k, rti_language lang, char *buf, size_t n)
{
    char a[32], b[32];
    const double lo = k > 0 ? c->upper[k - 1] + 1 : 0; /* whole numbers: from lo */
    if (c->delta) {
        rti_delta_class_label(lang, c, k, buf, n);
        return;
    }
    if (c->integer && k == c->n - 1)
        snprintf(buf, n, "\xe2\x89\xa5 %s", rti_fmt_local(lang, "%.0f", lo, a, sizeof(a)));
    else if (c->integer && lo == c->upper[k])
        rti_fmt_local(lang, "%.0f", lo, buf, n);
    else if (c->integer)
        snprintf(buf, n, "%s\xe2\x80\x93%s", rti_fmt_local(lang, "%.0f", lo, a, sizeof(a)),
                 rti_fmt_local(lang, "%.0f", c->upper[k], b, sizeof(b)));
    else if (k == 0 && c->upper[0] == 0)
        snprintf(buf, n, "0 %s", c->unit);
    else if (k == 0)
        snprintf(buf, n, "\xe2\x89\xa4 %s %s", break_text(lang, c->upper[0], a, sizeof(a)),
                 c->unit);
    else if (k == c->n - 1)
        snprintf(buf, n, "> %s %s", break_text(lang, c->upper[k - 1], a, sizeof(a)), c->unit);
    else
        snprintf(buf, n, "%s\xe2\x80\x93%s %s", break_text(lang, c->upper[k - 1], a, sizeof(a)),
                 break_text(lang, c->upper[k], b, sizeof(b)), c->unit);
    size_t len = strlen(buf);
    if (!*c->unit && len > 0 && buf[len - 1] == ' ')
        buf[len - 1] = '\0'; /* no unit after the number */
}

/* The shortest of "%.15g" and "%.17g" that reads back as v: 0.3, not
 * 0.29999999999999999. */
static const char *num(double v, char *buf, size_t n)
{
    snprintf(buf, n, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, n, "%.17g", v);
    return buf;
}

static void hex(char *buf, rti_rgba c) { snprintf(buf, 8, "#%02x%02x%02x", c.r, c.g, c.b); }

/* Ends a style with its layer title (NULL: none) and hands the text over. */
static char *end_qml(rti_sbuf *b, const char *title)
{
    if (title) {
        rti_sb_put(b, "  <layerTitle>");
        rti_sb_escape(b, title);
        rti_sb_put(b, "</layerTitle>\n");
    }
    rti_sb_put(b, "</qgis>\n");
    return rti_sb_take(b);
}

char *rti_qml_raster_classes(rt_ctx *ctx, const rti_classes *c, const char *title,
                             rti_language lang)
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    char top[32], lab[96], col[8], mx[32];
    double max = c->upper[c->n - 2] * c->scale;
    rti_sb_put(&b, qml_head);
    rti_sb_put(&b, "  <pipe>\n    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" "
                   "opacity=\"1\" alphaBand=\"-1\" nodataColor=\"\" classificationMin=\"0\" ");
    rti_sb_printf(&b, "classificationMax=\"%s\">\n", num(max, mx, sizeof(mx)));
    rti_sb_put(&b, "      <rasterTransparency/>\n"
                   "      <minMaxOrigin>\n        <limits>None</limits>\n"
                   "        <extent>WholeRaster</extent>\n"
                   "        <statAccuracy>Estimated</statAccuracy>\n"
                   "        <cumulativeCutLower>0.02</cumulativeCutLower>\n"
                   "        <cumulativeCutUpper>0.98</cumulativeCutUpper>\n"
                   "        <stdDevFactor>2</stdDevFactor>\n      </minMaxOrigin>\n"
                   "      <rastershader>\n");
    rti_sb_printf(&b,
                  "        <colorrampshader colorRampType=\"DISCRETE\" classificationMode=\"1\" "
                  "clip=\"0\" minimumValue=\"0\" maximumValue=\"%s\" labelPrecision=\"4\">\n",
                  mx);
    for (int k = 0; k < c->n; k++) {
        class_label(c, k, lang, lab, sizeof(lab));
        hex(col, c->colour[k]);
        if (k < c->n - 1)
            num(c->upper[k] * c->scale, top, sizeof(top));
        else
            snprintf(top, sizeof(top), "inf");
        rti_sb_printf(&b, "          <item alpha=\"255\" value=\"%s\" color=\"%s\" label=\"", top,
                      col);
        rti_sb_escape(&b, lab);
        rti_sb_put(&b, "\"/>\n");
    }
    rti_sb_put(&b, "        </colorrampshader>\n      </rastershader>\n    </rasterrenderer>\n"
                   "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n"
                   "    <huesaturation saturation=\"0\" grayscaleMode=\"0\" colorizeOn=\"0\" "
                   "colorizeRed=\"255\" colorizeGreen=\"128\" colorizeBlue=\"128\" "
                   "colorizeStrength=\"100\"/>\n"
                   "    <rasterresampler maxOversampling=\"2\"/>\n  </pipe>\n"
                   "  <blendMode>0</blendMode>\n");
    return end_qml(&b, title);
}

/* A well-spread colour per index: hue steps of the golden angle. */
static rti_rgba palette_colour(int64_t i)
{
    double h = fmod((double)i * 137.50776405, 360.0) / 60.0, s = 0.65, v = 0.85;
    double f = h - floor(h), p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double rgb[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
    const double *x = rgb[(int)floor(h) % 6];
    return (rti_rgba){(uint8_t)lround(255 * x[0]), (uint8_t)lround(255 * x[1]),
                      (uint8_t)lround(255 * x[2]), 255};
}

/* A paletted raster style of n values with their colours and labels
 * (NULL: the value), titled when title is not NULL. */
static char *palette(rt_ctx *ctx, const int64_t *values, const rti_rgba *colours,
                     const char *const *labels, int64_t n, const char *title)
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    char col[8];
    rti_sb_put(&b, qml_head);
    rti_sb_put(&b, "  <pipe>\n    <rasterrenderer type=\"paletted\" band=\"1\" opacity=\"1\" "
                   "alphaBand=\"-1\" nodataColor=\"\">\n      <rasterTransparency/>\n"
                   "      <colorPalette>\n");
    for (int64_t i = 0; i < n; i++) {
        hex(col, colours ? colours[i] : palette_colour(i));
        rti_sb_printf(&b,
                      "        <paletteEntry value=\"%lld\" color=\"%s\" alpha=\"255\" label=\"",
                      (long long)values[i], col);
        if (labels)
            rti_sb_escape(&b, labels[i]);
        else
            rti_sb_printf(&b, "%lld", (long long)values[i]);
        rti_sb_put(&b, "\"/>\n");
    }
    rti_sb_put(&b, "      </colorPalette>\n    </rasterrenderer>\n  </pipe>\n"
                   "  <blendMode>0</blendMode>\n");
    return end_qml(&b, title);
}

char *rti_qml_raster_palette(rt_ctx *ctx, const int64_t *values, int64_t n)
{
    return palette(ctx, values, NULL, NULL, n, NULL);
}

char *rti_qml_reach_change(rt_ctx *ctx, const char *title, rti_language lang)
{
    static const int64_t values[2] = {1, 2};
    const rti_rgba colours[2] = {RTI_REACH_GAINED, RTI_REACH_LOST};
    const char *labels[2] = {rti_label_text(lang, RTI_L_DELTA_GAINED),
                             rti_label_text(lang, RTI_L_DELTA_LOST)};
    return palette(ctx, values, colours, labels, 2, title);
}

/* One symbol layer property, in both forms QGIS reads (<Option> since
 * 3.26, <prop> before). */
static void props(rti_sbuf *b, const char *const *kv, int n)
{
    rti_sb_put(b, "          <Option type=\"Map\">\n");
    for (int i = 0; i < n; i++)
        rti_sb_printf(b, "            <Option name=\"%s\" type=\"QString\" value=\"%s\"/>\n",
                      kv[2 * i], kv[2 * i + 1]);
    rti_sb_put(b, "          </Option>\n");
    for (int i = 0; i < n; i++)
        rti_sb_printf(b, "          <prop k=\"%s\" v=\"%s\"/>\n", kv[2 * i], kv[2 * i + 1]);
}

static void rgba_text(char *buf, size_t n, rti_rgba c)
{
    snprintf(buf, n, "%d,%d,%d,%d", c.r, c.g, c.b, c.a);
}

static void fill_symbol(rti_sbuf *b, int k, rti_rgba c)
{
    char col[24];
    rgba_text(col, sizeof(col), c);
    const char *kv[] = {
        "color",         col,    "outline_color",      "35,35,35,255", "outline_style", "solid",
        "outline_width", "0.26", "outline_width_unit", "MM",           "style",         "solid",
        "joinstyle",     "bevel"};
    rti_sb_printf(b,
                  "      <symbol type=\"fill\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
                  "force_rhr=\"0\">\n        <layer class=\"SimpleFill\" enabled=\"1\" "
                  "locked=\"0\" pass=\"0\">\n",
                  k);
    props(b, kv, 7);
    rti_sb_put(b, "        </layer>\n      </symbol>\n");
}

/* A line of the class colour, 0.66 mm wide with round caps and joins. */
static void line_symbol(rti_sbuf *b, int k, rti_rgba c)
{
    char col[24];
    rgba_text(col, sizeof(col), c);
    const char *kv[] = {"line_color",      col,  "line_style", "solid", "line_width", "0.66",
                        "line_width_unit", "MM", "capstyle",   "round", "joinstyle",  "round"};
    rti_sb_printf(b,
                  "      <symbol type=\"line\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
                  "force_rhr=\"0\">\n        <layer class=\"SimpleLine\" enabled=\"1\" "
                  "locked=\"0\" pass=\"0\">\n",
                  k);
    props(b, kv, 6);
    rti_sb_put(b, "        </layer>\n      </symbol>\n");
}

static char *graduated(rt_ctx *ctx, const char *attr, const rti_classes *c, rti_language lang,
                       void (*symbol)(rti_sbuf *, int, rti_rgba))
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    char lab[96];
    rti_sb_put(&b, qml_head);
    rti_sb_put(&b, "  <renderer-v2 type=\"graduatedSymbol\" attr=\"");
    rti_sb_escape(&b, attr);
    rti_sb_put(&b, "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" forceraster=\"0\" "
                   "enableorderby=\"0\">\n    <ranges>\n");
    for (int k = 0; k < c->n; k++) {
        /* the first class from 0, or from any loss for the classes of a
         * change (their first holds -10 and less) */
        double lo = k > 0 ? c->upper[k - 1] * c->scale : c->delta ? -1e300 : 0;
        double hi = k == c->n - 1 ? 1e300 : c->upper[k] * c->scale;
        class_label(c, k, lang, lab, sizeof(lab));
        char l[32], h[32];
        rti_sb_printf(&b,
                      "      <range lower=\"%s\" upper=\"%s\" symbol=\"%d\" render=\"true\" "
                      "label=\"",
                      num(lo, l, sizeof(l)), num(hi, h, sizeof(h)), k);
        rti_sb_escape(&b, lab);
        rti_sb_put(&b, "\"/>\n");
    }
    rti_sb_put(&b, "    </ranges>\n    <symbols>\n");
    for (int k = 0; k < c->n; k++)
        symbol(&b, k, c->colour[k]);
    rti_sb_put(&b, "    </symbols>\n  </renderer-v2>\n  <blendMode>0</blendMode>\n</qgis>\n");
    return rti_sb_take(&b);
}

char *rti_qml_graduated(rt_ctx *ctx, const char *attr, const rti_classes *c, rti_language lang)
{
    return graduated(ctx, attr, c, lang, fill_symbol);
}

char *rti_qml_graduated_lines(rt_ctx *ctx, const char *attr, const rti_classes *c,
                              rti_language lang)
{
    return graduated(ctx, attr, c, lang, line_symbol);
}

char *rti_qml_facility_status(rt_ctx *ctx, rti_language lang)
{
    /* Okabe-Ito colours: black, orange, reddish purple */
    static const char *const cat[3] = {"ok", "moved", "left out"};
    const rti_label label[3] = {RTI_L_QML_OK, RTI_L_QML_MOVED, RTI_L_QML_LEFT_OUT};
    static const char *const colour[3] = {"0,0,0,255", "230,159,0,255", "204,121,167,255"};
    static const char *const shape[3] = {"circle", "diamond", "cross2"};
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_put(&b, qml_head);
    rti_sb_put(&b, "  <renderer-v2 type=\"categorizedSymbol\" attr=\"status\" symbollevels=\"0\" "
                   "forceraster=\"0\" enableorderby=\"0\">\n    <categories>\n");
    for (int k = 0; k < 3; k++)
        rti_sb_printf(&b,
                      "      <category value=\"%s\" symbol=\"%d\" label=\"%s\" render=\"true\"/>\n",
                      cat[k], k, rti_label_text(lang, label[k]));
    rti_sb_put(&b, "    </categories>\n    <symbols>\n");
    for (int k = 0; k < 3; k++) {
        const char *kv[] = {
            "name",          shape[k], "color", colour[k], "outline_color", "255,255,255,255",
            "outline_width", "0.4",    "size",  "3",       "size_unit",     "MM"};
        rti_sb_printf(&b,
                      "      <symbol type=\"marker\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
                      "force_rhr=\"0\">\n        <layer class=\"SimpleMarker\" enabled=\"1\" "
                      "locked=\"0\" pass=\"0\">\n",
                      k);
        props(&b, kv, 6);
        rti_sb_put(&b, "        </layer>\n      </symbol>\n");
    }
    rti_sb_put(&b, "    </symbols>\n  </renderer-v2>\n  <blendMode>0</blendMode>\n</qgis>\n");
    return rti_sb_take(&b);
}
