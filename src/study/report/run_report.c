/* The report of a run: the report's state (classes, map images and
 * histograms per facility type), the QGIS styles beside the grids and in
 * reistijd.gpkg, and the sections of report.html. Everything is read from
 * a read-only view of the run (rti_report_view); the report holds nothing
 * that changes between two runs of the same study (no clock, no thread
 * count, no output folder), so it is identical byte for byte for any
 * number of threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/report/report.h"

void rti_norm_label(const rt_norm *n, char *buf, size_t len)
{
    if (n->kind == RT_NORM_TIME)
        snprintf(buf, len, "%gmin", n->limit_s / 60.0);
    else
        snprintf(buf, len, "%gkm", n->limit_m / 1000.0);
}

void rti_report_state_free(rti_report_state *r)
{
    if (!r)
        return;
    for (int t = 0; r->types && t < r->n_types; t++) {
        rti_report_type_state *ts = &r->types[t];
        free(ts->map_class);
        free(ts->hist);
        for (int k = 0; ts->measures && k < ts->n_measures; k++)
            free(ts->measures[k].map_class);
        free(ts->measures);
    }
    free(r->types);
    for (int j = 0; r->deltas && j < r->n_deltas; j++)
        free(r->deltas[j].map_class);
    free(r->deltas);
    free(r->delta_at);
    free(r);
}

/* ---- before and during the searches ---- */

int rti_report_own_maps(const rti_report_view *v)
{
    return v->study->outputs.report && !(v->n_scenarios == 1 && v->scenarios[0].compare_runs);
}

rt_status rti_report_plan(rt_ctx *ctx, const rti_report_view *v, rti_report_state **out)
{
    const rt_study *s = v->study;
    const rti_grid_spec *g = v->grid;
    *out = NULL;
    rti_report_state *r = calloc(1, sizeof(*r));
    if (!r)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    r->n_types = s->n_facilities;
    r->types = rti_malloc_array(ctx, s->n_facilities, sizeof(*r->types), "report");
    if (!r->types) {
        rti_report_state_free(r);
        return RT_E_NOMEM;
    }
    const int32_t side = g->nx > g->ny ? g->nx : g->ny;
    const int32_t target = 800;
    r->map_up = side <= target ? target / side : 1;
    r->map_down = side <= target ? 1 : (side + target - 1) / target;
    r->map.x0 = g->x0;
    r->map.y1 = g->y1;
    r->map.px_m = g->cell_m * r->map_down / r->map_up;
    r->map.width = (g->nx * r->map_up + r->map_down - 1) / r->map_down;
    r->map.height = (g->ny * r->map_up + r->map_down - 1) / r->map_down;
    for (int t = 0; t < s->n_facilities; t++) {
        rti_report_type_state *ts = &r->types[t];
        rti_time_classes(s, &s->facilities[t], &ts->classes);
        rti_length_classes(&s->facilities[t], &ts->length);
        if (rti_report_plan_measures(ctx, r, v, t) != RT_OK) {
            rti_report_state_free(r);
            return RT_E_NOMEM;
        }
        if (!rti_report_own_maps(v))
            continue;
        ts->map_class =
            rti_alloc_array_uninit(ctx, (int64_t)r->map.width * r->map.height, 1, "map image");
        ts->hist = rti_malloc_array(ctx, RTI_HIST_BINS + 2, sizeof(double), "histogram");
        if (!ts->map_class || !ts->hist) {
            rti_report_state_free(r);
            return RT_E_NOMEM;
        }
        /* 20 bins up to the largest break */
        ts->hist_width_s = 60.0 * ts->classes.upper[ts->classes.n - 2] / RTI_HIST_BINS;
    }
    if (rti_report_plan_deltas(ctx, r, v) != RT_OK) {
        rti_report_state_free(r);
        return RT_E_NOMEM;
    }
    *out = r;
    return RT_OK;
}

int64_t rti_report_frame_cell(const rti_report_state *r, const rti_grid_spec *g, int32_t x,
                              int32_t y)
{
    int64_t row = r->map_up > 1 ? y / r->map_up : (int64_t)y * r->map_down + r->map_down / 2;
    int64_t col = r->map_up > 1 ? x / r->map_up : (int64_t)x * r->map_down + r->map_down / 2;
    row = row < g->ny ? row : g->ny - 1;
    col = col < g->nx ? col : g->nx - 1;
    return row * g->nx + col;
}

void rti_report_add_labels(rti_report_state *r, const rti_report_view *v, int t,
                           const rt_labels *lab, const float *pop)
{
    rti_report_type_state *ts = &r->types[t];
    const rti_facility_type *def = &v->study->facilities[t];
    const rti_grid_spec *g = v->grid;
    const int64_t n_cells = (int64_t)g->nx * g->ny;
    if (!ts->map_class)
        return;
    const rti_map_frame *f = &r->map;
    for (int32_t y = 0; y < f->height; y++) {
        for (int32_t x = 0; x < f->width; x++) {
            double tm = lab->time_s[rti_report_frame_cell(r, g, x, y)];
            /* the same rounding as the GeoTIFF, so QGIS draws the same class */
            int k = isinf(tm) ? -1 : rti_class_of(&ts->classes, (float)(tm / 60.0));
            ts->map_class[(int64_t)y * f->width + x] = k < 0 ? 255 : (uint8_t)k;
        }
    }
    rti_hist_add(lab->time_s, pop, n_cells, ts->hist_width_s, RTI_HIST_BINS, ts->hist);
    for (int k = 0; k < def->n_norms; k++) {
        const rt_norm *nm = &def->norms[k];
        double within = 0;
        for (int64_t i = 0; i < n_cells; i++) {
            double p = pop ? (double)pop[i] : 1.0;
            double val = nm->kind == RT_NORM_TIME ? lab->time_s[i]
                         : lab->length_m          ? (double)lab->length_m[i]
                                                  : NAN;
            if (p > 0 && lab->time_s[i] < INFINITY && rt_norm_within(nm, val))
                within += p;
        }
        ts->pop_within[k] = within;
    }
}

/* ---- the sections of the run's report ---- */

void rti_report_legend(rti_sbuf *b, const rti_report_view *v, const rti_classes *c,
                       const char *extra)
{
    const rti_language lang = RTI_LANG(v);
    char col[8], a[32], z[32], lab[128];
    rti_sb_put(b, "<ul class=\"legend\">");
    for (int k = 0; c && k < c->n; k++) {
        rti_rgba x = c->colour[k];
        snprintf(col, sizeof(col), "#%02x%02x%02x", x.r, x.g, x.b);
        const double lo = k > 0 ? c->upper[k - 1] + 1 : 0; /* whole numbers: from lo */
        if (c->integer && k == c->n - 1)
            snprintf(lab, sizeof(lab), RTI_T(v, RTI_L_LEGEND_AT_LEAST),
                     rti_fmt_local(lang, "%.0f", lo, a, sizeof(a)));
        else if (c->integer && lo == c->upper[k])
            rti_fmt_local(lang, "%.0f", lo, lab, sizeof(lab));
        else if (c->integer)
            snprintf(lab, sizeof(lab), RTI_T(v, RTI_L_LEGEND_RANGE),
                     rti_fmt_local(lang, "%.0f", lo, a, sizeof(a)),
                     rti_fmt_local(lang, "%.0f", c->upper[k], z, sizeof(z)), c->unit);
        else if (k == 0 && c->upper[0] == 0)
            snprintf(lab, sizeof(lab), RTI_T(v, RTI_L_LEGEND_ZERO), c->unit);
        else if (k == 0)
            snprintf(lab, sizeof(lab), RTI_T(v, RTI_L_LEGEND_UP_TO),
                     rti_fmt_value(lang, c->upper[0], a, sizeof(a)), c->unit);
        else if (k == c->n - 1)
            snprintf(lab, sizeof(lab), RTI_T(v, RTI_L_LEGEND_OVER),
                     rti_fmt_value(lang, c->upper[k - 1], a, sizeof(a)), c->unit);
        else
            snprintf(lab, sizeof(lab), RTI_T(v, RTI_L_LEGEND_RANGE),
                     rti_fmt_value(lang, c->upper[k - 1], a, sizeof(a)),
                     rti_fmt_value(lang, c->upper[k], z, sizeof(z)), c->unit);
        size_t len = strlen(lab);
        if (!*c->unit && len > 0 && lab[len - 1] == ' ')
            lab[len - 1] = '\0'; /* no unit after the number */
        rti_sb_printf(b, "<li%s><span class=\"sw\" style=\"background:%s\"></span>",
                      c->is_norm[k] ? " class=\"norm\"" : "", col);
        rti_sb_put(b, lab);
        if (c->is_norm[k]) { /* upper[k] is the norm */
            snprintf(lab, sizeof(lab), "%s%s%s", rti_fmt_value(lang, c->upper[k], a, sizeof(a)),
                     *c->unit ? " " : "", c->unit);
            rti_sb_printf(b, RTI_T(v, RTI_L_LEGEND_NORM), lab);
        }
        rti_sb_put(b, "</li>");
    }
    if (extra)
        rti_sb_put(b, extra);
    rti_sb_put(b, "</ul>\n");
}

void rti_report_search_field(rti_sbuf *b, const char *table_id, const char *fmt, const char *arg)
{
    rti_sb_printf(b,
                  "<p class=\"find\"><input type=\"search\" class=\"filter\" data-table=\"%s\" "
                  "aria-label=\"",
                  table_id);
    rti_sb_label(b, fmt, arg);
    rti_sb_put(b, "\" placeholder=\"");
    rti_sb_label(b, fmt, arg);
    rti_sb_put(b, "\"></p>\n");
}

/* "CBS, © OpenStreetMap contributors": the study's attribution, else each
 * input's own, else its file name; each once. The maps show the baseline:
 * the files of scenario changes are not among their sources. */
static void attribution(rti_sbuf *b, const rti_report_view *v)
{
    if (v->study->attribution) {
        rti_sb_escape(b, v->study->attribution);
        return;
    }
    int shown = 0;
    for (int i = 0; i < v->n_inputs; i++) {
        const rti_input_file *in = &v->inputs[i];
        if (strcmp(in->role, "study") == 0 || strncmp(in->role, "scenarios.", 10) == 0)
            continue;
        const char *slash = strrchr(in->path, '/');
        const char *text = in->attribution ? in->attribution : slash ? slash + 1 : in->path;
        int dup = 0;
        for (int j = 0; j < i && !dup; j++) {
            const rti_input_file *o = &v->inputs[j];
            const char *os = strrchr(o->path, '/');
            const char *ot = o->attribution ? o->attribution : os ? os + 1 : o->path;
            dup = strcmp(o->role, "study") != 0 && strcmp(ot, text) == 0;
        }
        if (dup)
            continue;
        if (shown++)
            rti_sb_put(b, "; ");
        rti_sb_escape(b, text);
    }
}

/* <th scope="col">text</th>, left-aligned with t */
static void th(rti_sbuf *b, const rti_report_view *v, rti_label k, int t)
{
    rti_sb_printf(b, "<th%s scope=\"col\">%s</th>", t ? " class=\"t\"" : "", RTI_T(v, k));
}

static void overview_row(rti_sbuf *b, const rti_report_state *rs, const rti_report_view *v, int t)
{
    const rti_language lang = RTI_LANG(v);
    const rti_report_type *tr = &v->types[t];
    const double *pop_within = rs->types[t].pop_within;
    int rows = tr->def->n_norms > 0 ? tr->def->n_norms : 1;
    char a[64];
    for (int k = 0; k < rows; k++) {
        rti_sb_put(b, "<tr>");
        if (k == 0) {
            rti_sb_printf(b, "<td class=\"t\" rowspan=\"%d\">", rows);
            rti_sb_escape(b, rti_type_label(tr->def));
            rti_sb_printf(b, "</td><td rowspan=\"%d\">", rows);
            rti_sb_printf(b, RTI_T(v, RTI_L_N_OF_N), (long long)(tr->pts->n - tr->n_dropped),
                          (long long)tr->pts->n);
            rti_sb_printf(b, "</td><td rowspan=\"%d\">%lld</td><td rowspan=\"%d\">%lld</td>", rows,
                          (long long)tr->n_snapped, rows, (long long)tr->n_dropped);
        }
        if (tr->def->n_norms == 0) {
            rti_sb_printf(b, "<td class=\"t\">%s</td><td></td><td></td></tr>\n",
                          RTI_T(v, RTI_L_NONE));
            continue;
        }
        const rt_norm *nm = &tr->def->norms[k];
        int time = nm->kind == RT_NORM_TIME;
        double share = tr->pop_total > 0 ? 100.0 * pop_within[k] / tr->pop_total : NAN;
        double beyond = tr->pop_total > 0 ? tr->pop_total - pop_within[k] : NAN;
        rti_sb_printf(
            b, "<td class=\"t\">%s&nbsp;%s</td>",
            rti_fmt_local(lang, "%g", time ? nm->limit_s / 60 : nm->limit_m / 1000, a, sizeof(a)),
            RTI_T(v, time ? RTI_L_UNIT_MIN : RTI_L_UNIT_KM));
        rti_sb_printf(b, "<td>%s</td>", rti_fmt_share(lang, share, a, sizeof(a)));
        rti_sb_printf(b, "<td>%s</td></tr>\n", rti_fmt_count(lang, beyond, a, sizeof(a)));
    }
}

/* The first lines of the report, for a reader who reads no further: per
 * facility type with a norm, how many inhabitants of the grid live beyond
 * its first norm, and in which region of the first layer the most of them
 * live. Nothing without a population. */
static void key_findings(rti_sbuf *b, const rti_report_state *rs, const rti_report_view *v)
{
    const rt_study *s = v->study;
    if (!s->has_population)
        return;
    const rti_language lang = RTI_LANG(v);
    int any = 0;
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_report_type *tr = &v->types[t];
        if (tr->def->n_norms == 0 || !(tr->pop_total > 0))
            continue;
        char norm[48], n[48], share[48], line[1200];
        rti_norm_text(lang, &tr->def->norms[0], norm, sizeof(norm));
        const double beyond = tr->pop_total - rs->types[t].pop_within[0];
        if (!any)
            rti_sb_printf(b, "<p class=\"key\">%s</p>\n<ul class=\"key\">",
                          RTI_T(v, RTI_L_KEY_INTRO));
        rti_sb_put(b, "<li>");
        any = 1;
        if (beyond < 0.5) {
            snprintf(line, sizeof(line), RTI_T(v, RTI_L_KEY_NOBODY), "%s", norm);
            rti_sb_label(b, line, rti_type_label(tr->def));
            rti_sb_put(b, "</li>");
            continue;
        }
        snprintf(line, sizeof(line), RTI_T(v, RTI_L_KEY_BEYOND), "%s",
                 rti_fmt_persons(lang, beyond, n, sizeof(n)),
                 rti_fmt_share(lang, 100.0 * beyond / tr->pop_total, share, sizeof(share)), norm);
        rti_sb_label(b, line, rti_type_label(tr->def));
        /* the region of the first layer with the most of them */
        int64_t best = -1;
        for (int64_t r = 0; s->n_regions > 0 && r < v->regions[0]->n; r++) {
            const double x = tr->stats[0][r].pop_beyond_persons[0];
            if (x >= 0.5 && (best < 0 || x > tr->stats[0][best].pop_beyond_persons[0]))
                best = r;
        }
        if (best < 0) {
            rti_sb_put(b, ".</li>");
            continue;
        }
        const rti_polygons *rg = v->regions[0];
        const rt_region_stats *st = &tr->stats[0][best];
        snprintf(line, sizeof(line), RTI_T(v, RTI_L_KEY_MOST), "%s",
                 rti_fmt_count(lang, st->pop_beyond_persons[0], n, sizeof(n)),
                 rti_fmt_share(lang, 100.0 * st->share_beyond[0], share, sizeof(share)));
        rti_sb_label(b, line,
                     rg->name && rg->name[best] && *rg->name[best] ? rg->name[best] : rg->id[best]);
        rti_sb_put(b, "</li>");
    }
    if (any)
        rti_sb_put(b, "</ul>\n");
}

static rt_status overview(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                          rti_report *rep)
{
    const rt_study *s = v->study;
    const rti_language lang = RTI_LANG(v);
    char a[64];
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    key_findings(&b, rs, v);
    rti_sb_put(&b, "<p>");
    rti_sb_printf(&b, RTI_T(v, RTI_L_OVERVIEW_INTRO), v->grid->nx, v->grid->ny,
                  rti_fmt_local(lang, "%g", v->grid->cell_m, a, sizeof(a)));
    rti_sb_put(&b, "</p>\n");
    if (s->medium.description) {
        rti_sb_printf(&b, "<p>%s", RTI_T(v, RTI_L_MEDIUM_DESCRIPTION));
        rti_sb_escape(&b, s->medium.description);
        rti_sb_put(&b, "</p>\n");
    }
    rti_sb_put(&b, "<p>");
    if (s->has_population) {
        rti_sb_printf(&b, RTI_T(v, RTI_L_POP_ON_GRID),
                      rti_fmt_count(lang, v->pop_on_grid, a, sizeof(a)));
        /* the first region layer's inhabitants, when fewer than the grid's */
        const int layer = s->n_regions > 0 && s->n_facilities > 0;
        const double in = layer ? rti_report_layer_pop(v, 0) : 0;
        if (layer && in < v->pop_on_grid - 0.5) {
            char fmt[600]; /* the count in, the layer's label (escaped) to come */
            snprintf(fmt, sizeof(fmt), RTI_T(v, RTI_L_POP_IN_REGIONS),
                     rti_fmt_count(lang, in, a, sizeof(a)), "%s");
            rti_sb_label(&b, fmt, s->regions[0].label);
        }
    } else
        rti_sb_put(&b, RTI_T(v, RTI_L_NO_POPULATION));
    rti_sb_put(&b, "</p>\n<table><thead><tr>");
    th(&b, v, RTI_L_TH_FACILITY_TYPE, 1);
    th(&b, v, RTI_L_TH_FACILITIES_USED, 0);
    th(&b, v, RTI_L_TH_MOVED, 0);
    th(&b, v, RTI_L_TH_LEFT_OUT, 0);
    th(&b, v, RTI_L_TH_NORM, 1);
    th(&b, v, RTI_L_TH_WITHIN_NORM, 0);
    th(&b, v, RTI_L_TH_BEYOND_NORM, 0);
    rti_sb_put(&b, "</tr></thead><tbody>\n");
    for (int t = 0; t < s->n_facilities; t++)
        overview_row(&b, rs, v, t);
    int moved = 0; /* "moved" needs its note only when a facility was */
    for (int t = 0; t < s->n_facilities; t++)
        moved |= v->types[t].n_snapped > 0;
    rti_sb_printf(&b, "</tbody></table>\n<p class=\"note\">%s%s%s</p>\n",
                  moved ? RTI_T(v, RTI_L_OVERVIEW_MOVED) : "", moved ? " " : "",
                  RTI_T(v, RTI_L_OVERVIEW_NOTE));
    /* what the run said about its inputs, where readers look: read now, as
     * writing the styles before may have added one (and moved the list) */
    const int n_warn = v->n_warnings ? *v->n_warnings : 0;
    if (n_warn > 0) {
        rti_sb_put(&b, "<p class=\"warn\">");
        rti_sb_printf(&b, RTI_T(v, RTI_L_WARNINGS), n_warn);
        rti_sb_put(&b, "</p>\n<ul class=\"warn\">");
        for (int i = 0; i < n_warn; i++) {
            rti_sb_put(&b, "<li>");
            rti_sb_escape(&b, (*v->warnings)[i]);
            rti_sb_put(&b, "</li>");
        }
        rti_sb_put(&b, "</ul>\n");
    }
    return rti_report_add(rep, "overview", RTI_T(v, RTI_L_OVERVIEW), &b);
}

rt_status rti_report_map_figure(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                                int t, const rti_map_figure *m, rti_sbuf *b)
{
    const rti_report_type *tr = &v->types[t];
    rti_map_facilities fac = m->fac;
    if (!fac.pts) {
        fac.pts = tr->pts;
        fac.cell = tr->cell;
    }
    int64_t n = 0;
    double *x = rti_malloc_array(ctx, fac.pts->n + 1, sizeof(double), "map markers");
    double *y = rti_malloc_array(ctx, fac.pts->n + 1, sizeof(double), "map markers");
    unsigned char *png = NULL;
    size_t png_bytes = 0;
    rt_status st = x && y ? RT_OK : RT_E_NOMEM;
    for (int64_t i = 0; st == RT_OK && i < fac.pts->n; i++) {
        int64_t c = fac.cell[i];
        if (c < 0)
            continue;
        rti_grid_centre(v->grid, c, &x[n], &y[n]);
        n++;
    }
    rti_map_layers ml = {m->map_class,
                         m->colour,
                         m->n_colours,
                         v->regions[0],
                         {0x26, 0x26, 0x26, 255},
                         x,
                         y,
                         n,
                         {0, 0, 0, 255},
                         {255, 255, 255, 255}};
    if (st == RT_OK)
        st = rti_render_png(ctx, &rs->map, &ml, &png, &png_bytes);
    char *b64 = st == RT_OK ? rti_base64(ctx, png, png_bytes, NULL) : NULL;
    if (st == RT_OK && !b64)
        st = RT_E_NOMEM;
    if (st == RT_OK) {
        rti_sb_printf(b,
                      "<figure class=\"map\">\n<div class=\"mapbox\" style=\"max-width:%dpx\">"
                      "<img%s src=\"data:image/png;base64,",
                      rs->map.width, rs->map_up > 1 ? " class=\"px\"" : "");
        rti_sb_put(b, b64);
        rti_sb_printf(b, "\" width=\"%d\" height=\"%d\" alt=\"", rs->map.width, rs->map.height);
        rti_sb_put(b, m->alt);
        rti_sb_put(b, "\">");
        st = rti_report_map_marks(ctx, b, &rs->map, v, &fac);
    }
    char *extra = NULL; /* the legend's items after the classes */
    if (st == RT_OK) {
        rti_sbuf e;
        rti_sb_init(&e, ctx);
        rti_sb_printf(&e, "%s<li><span class=\"sw\" style=\"background:#fff\"></span>%s</li>",
                      m->extra ? m->extra : "", RTI_T(v, RTI_L_NO_ROUTE));
        if (fac.pts->n > 0) /* a comparison of two runs draws none */
            rti_sb_printf(&e, "<li>&#9673; %s</li>", RTI_T(v, RTI_L_FACILITY));
        extra = rti_sb_take(&e);
        st = extra ? RT_OK : RT_E_NOMEM;
    }
    if (st == RT_OK) {
        rti_sb_put(b, "</div>\n<figcaption>");
        rti_report_legend(b, v, m->classes, extra);
        rti_sb_put(b, "<p class=\"attr\">");
        rti_sb_put(b, m->caption);
        attribution(b, v);
        rti_sb_put(b, ".");
        if (m->file && v->study->outputs.grids)
            rti_sb_label(b, RTI_T(v, RTI_L_MAP_FILE), m->file);
        rti_sb_put(b, "</p></figcaption>\n</figure>\n");
    }
    free(extra);
    free(b64);
    free(png);
    free(x);
    free(y);
    return st;
}

/* The travel-time map of type t. */
static rt_status map_figure(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                            int t, rti_sbuf *b)
{
    const rti_report_type_state *ts = &rs->types[t];
    char caption[1200], cell[32], file[160];
    char layer[RTI_LABEL_HTML_BYTES];
    snprintf(caption, sizeof(caption), RTI_T(v, RTI_L_MAP_CAPTION),
             rti_fmt_local(RTI_LANG(v), "%g", v->grid->cell_m, cell, sizeof(cell)),
             rti_first_layer_html(v, layer));
    rti_type_file(v->types[t].def->type, rti_grid_suffix(RTI_GRID_TIME), "tif", file, sizeof(file));
    rti_sbuf alt;
    rti_sb_init(&alt, ctx);
    rti_sb_label(&alt, RTI_T(v, RTI_L_MAP_ALT), rti_type_label(v->types[t].def));
    char *alt_text = rti_sb_take(&alt);
    if (!alt_text)
        return RT_E_NOMEM;
    rti_map_figure m = {ts->map_class,
                        ts->classes.colour,
                        ts->classes.n,
                        &ts->classes,
                        alt_text,
                        NULL,
                        caption,
                        file,
                        {NULL, NULL, NULL, NULL}};
    rt_status st = rti_report_map_figure(ctx, rs, v, t, &m, b);
    free(alt_text);
    return st;
}

static rt_status type_section(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                              int t, rti_report *rep)
{
    const rti_report_type *tr = &v->types[t];
    const rti_report_type_state *ts = &rs->types[t];
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rt_status st = map_figure(ctx, rs, v, t, &b);
    if (st != RT_OK) {
        rti_sb_free(&b);
        return st;
    }
    double norms[RT_STATS_MAX_NORMS];
    int nn = 0;
    for (int k = 0; k < tr->def->n_norms; k++)
        if (tr->def->norms[k].kind == RT_NORM_TIME)
            norms[nn++] = tr->def->norms[k].limit_s / 60;
    char title[256];
    snprintf(title, sizeof(title), RTI_T(v, RTI_L_HIST_TITLE), rti_type_label(tr->def));
    rti_sb_printf(&b, "<h3>%s</h3>\n<figure>", RTI_T(v, RTI_L_HIST_HEADING));
    rti_histogram h = {title, ts->hist, RTI_HIST_BINS, ts->hist_width_s / 60, &ts->classes,
                       norms, nn,       RTI_LANG(v)};
    rti_svg_histogram(&b, &h);
    rti_sb_printf(&b, "<figcaption>%s</figcaption></figure>\n", RTI_T(v, RTI_L_HIST_CAPTION));
    rti_report_facilities(&b, v, t);
    char id[96];
    snprintf(id, sizeof(id), "type-%s", tr->def->type);
    snprintf(title, sizeof(title), RTI_T(v, RTI_L_TYPE_TITLE), rti_type_label(tr->def));
    return rti_report_add(rep, id, title, &b);
}

static void param_row(rti_sbuf *b, const rti_report_view *v, rti_label key, const char *value)
{
    rti_sb_put(b, "<tr><th class=\"t\" scope=\"row\">");
    rti_sb_put(b, RTI_T(v, key));
    rti_sb_put(b, "</th><td class=\"t\">");
    rti_sb_escape(b, value);
    rti_sb_put(b, "</td></tr>\n");
}

/* A medium's type in words and as the study file writes it: "speed model
 * (speed_model)"; the names are the study file's (rti_medium_kind_name). */
static const char *medium_words(const rti_report_view *v, const char *type, char *buf, size_t n)
{
    static const rti_label words[] = {[RTI_MEDIUM_FRICTION] = RTI_L_MEDIUM_FRICTION,
                                      [RTI_MEDIUM_SPEED] = RTI_L_MEDIUM_SPEED,
                                      [RTI_MEDIUM_SPEED_MODEL] = RTI_L_MEDIUM_SPEED_MODEL,
                                      [RTI_MEDIUM_NETWORK] = RTI_L_MEDIUM_NETWORK,
                                      [RTI_MEDIUM_HYBRID] = RTI_L_MEDIUM_HYBRID};
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (strcmp(type, rti_medium_kind_name((rti_medium_kind)k)) == 0) {
            snprintf(buf, n, "%s (%s)", RTI_T(v, words[k]), type);
            return buf;
        }
    return type;
}

static void parameters(rti_sbuf *b, const rti_report_view *v)
{
    const rt_study *s = v->study;
    const rti_language lang = RTI_LANG(v);
    char val[256], x[48], y[48];
    param_row(b, v, RTI_L_P_STUDY, s->name);
    param_row(b, v, RTI_L_P_CRS, s->crs);
    snprintf(val, sizeof(val), RTI_T(v, RTI_L_P_GRID_VALUE),
             rti_fmt_local(lang, "%g", s->cell_m, x, sizeof(x)), v->grid->nx, v->grid->ny);
    rti_sb_printf(b, "<tr><th class=\"t\" scope=\"row\">%s</th><td class=\"t\">%s</td></tr>\n",
                  RTI_T(v, RTI_L_P_GRID), val);
    snprintf(val, sizeof(val), RTI_T(v, RTI_L_P_CORNER_VALUE),
             rti_fmt_local(lang, "%.10g", v->grid->x0, x, sizeof(x)),
             rti_fmt_local(lang, "%.10g", v->grid->y1, y, sizeof(y)));
    param_row(b, v, RTI_L_P_CORNER, val);
    rti_fmt_count(lang, (double)v->n_passable, val, sizeof(val));
    param_row(b, v, RTI_L_P_PASSABLE, val);
    snprintf(val, sizeof(val), "%d", s->neighbours);
    param_row(b, v, RTI_L_P_NEIGHBOURS, val);
    snprintf(val, sizeof(val), "%s m", rti_fmt_local(lang, "%g", s->snap_radius_m, x, sizeof(x)));
    param_row(b, v, RTI_L_P_SNAP, val);
    param_row(b, v, RTI_L_P_MEDIUM, medium_words(v, v->medium_type, val, sizeof(val)));
    if (v->land_type)
        param_row(b, v, RTI_L_P_LAND, medium_words(v, v->land_type, val, sizeof(val)));
    if (isfinite(v->land_offroad_kmh)) {
        snprintf(val, sizeof(val), "%s %s",
                 rti_fmt_local(lang, "%g", v->land_offroad_kmh, x, sizeof(x)),
                 RTI_T(v, RTI_L_UNIT_KMH));
        param_row(b, v, RTI_L_P_OFFROAD, val);
    }
    if (v->profile_path) {
        param_row(b, v, RTI_L_P_PROFILE, v->profile_path);
        snprintf(val, sizeof(val), RTI_T(v, RTI_L_P_ACCESS_VALUE),
                 rti_fmt_local(lang, "%g", s->medium.access_kmh, x, sizeof(x)),
                 RTI_T(v, RTI_L_UNIT_KMH),
                 rti_fmt_local(lang, "%g", s->medium.access_max_m, y, sizeof(y)));
        param_row(b, v, RTI_L_P_ACCESS, val);
    }
    snprintf(val, sizeof(val), "reistijd %s, GDAL %s, PROJ %s, GEOS %s", rt_version(),
             rti_io_gdal_version(), rti_io_proj_version(), rti_io_geos_version());
    param_row(b, v, RTI_L_P_VERSIONS, val);
}

static rt_status inputs_section(rt_ctx *ctx, const rti_report_view *v, rti_report *rep)
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    char val[48];
    rti_sb_printf(&b, "<p>%s</p>\n<table><tbody>\n", RTI_T(v, RTI_L_INPUTS_INTRO));
    parameters(&b, v);
    rti_sb_put(&b, "</tbody></table>\n<table><thead><tr>");
    th(&b, v, RTI_L_TH_ROLE, 1);
    th(&b, v, RTI_L_TH_FILE, 1);
    th(&b, v, RTI_L_TH_BYTES, 0);
    rti_sb_put(&b, "<th class=\"t\" scope=\"col\">SHA-256</th></tr></thead><tbody>\n");
    for (int i = 0; i < v->n_inputs; i++) {
        const rti_input_file *in = &v->inputs[i];
        rti_sb_put(&b, "<tr><td class=\"t\">");
        rti_sb_escape(&b, in->role);
        rti_sb_put(&b, "</td><td class=\"t\"><code>");
        rti_sb_escape(&b, in->path);
        rti_sb_put(&b, "</code></td>");
        if (in->has_sum)
            rti_sb_printf(&b, "<td>%s</td><td class=\"t\"><code>%s</code></td></tr>\n",
                          rti_fmt_count(RTI_LANG(v), (double)in->size_bytes, val, sizeof(val)),
                          in->sha256);
        else
            rti_sb_printf(&b, "<td></td><td class=\"t\">%s</td></tr>\n",
                          RTI_T(v, RTI_L_NOT_A_FILE));
    }
    rti_sb_put(&b, "</tbody></table>\n");
    return rti_report_add(rep, "inputs", RTI_T(v, RTI_L_INPUTS), &b);
}

static rt_status write_html(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v)
{
    const rt_study *s = v->study;
    const char *tmp;
    rti_report rep;
    rt_status st = rti_report_init(&rep, ctx, s->name);
    rep.lang = RTI_LANG(v);
    if (st == RT_OK)
        st = rti_outset_add_in(ctx, v->outs, v->outdir, "report.html", &tmp);
    if (st == RT_OK)
        st = overview(ctx, rs, v, &rep);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        st = type_section(ctx, rs, v, t, &rep);
        if (st == RT_OK && s->facilities[t].n_measures > 0)
            st = rti_report_measures_section(ctx, rs, v, t, &rep);
    }
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        st = rti_report_region_section(ctx, rs, v, r, &rep);
    if (st == RT_OK && s->outputs.closures)
        st = rti_report_closures_section(ctx, v, &rep);
    if (st == RT_OK && v->n_scenarios > 0)
        st = rti_report_scenarios_section(ctx, rs, v, &rep);
    if (st == RT_OK)
        st = inputs_section(ctx, v, &rep);
    if (st == RT_OK)
        st = rti_report_write(ctx, &rep, tmp);
    rti_report_free(&rep);
    return st;
}

rt_status rti_report_write_run(rt_ctx *ctx, rti_report_state *rs, const rti_report_view *v)
{
    const rt_study *s = v->study;
    rt_status st = rti_report_styles(ctx, rs, v);
    if (st == RT_OK && s->outputs.report)
        st = write_html(ctx, rs, v);
    if (st != RT_OK && st != RT_E_NOMEM && st != RT_E_CANCELLED)
        rti_error_prefix(ctx, "%s", v->outdir);
    return st;
}
