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
        free(r->types[t].map_class);
        free(r->types[t].hist);
    }
    free(r->types);
    free(r);
}

/* ---- before and during the searches ---- */

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
        if (!s->outputs.report)
            continue;
        ts->map_class =
            rti_alloc_array_uninit(ctx, (int64_t)r->map.width * r->map.height, 1, "map image");
        ts->hist = rti_malloc_array(ctx, RTI_HIST_BINS + 2, sizeof(double), "histogram");
        if (!ts->map_class || !ts->hist) {
            rti_report_state_free(r);
            return RT_E_NOMEM;
        }
        /* the largest break is twice the reference norm: 20 bins up to it */
        ts->hist_width_s = 60.0 * ts->classes.upper[ts->classes.n - 2] / RTI_HIST_BINS;
    }
    *out = r;
    return RT_OK;
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
        int64_t row = r->map_up > 1 ? y / r->map_up : (int64_t)y * r->map_down + r->map_down / 2;
        row = row < g->ny ? row : g->ny - 1;
        for (int32_t x = 0; x < f->width; x++) {
            int64_t col =
                r->map_up > 1 ? x / r->map_up : (int64_t)x * r->map_down + r->map_down / 2;
            col = col < g->nx ? col : g->nx - 1;
            double tm = lab->time_s[row * g->nx + col];
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
            if (p > 0 && lab->time_s[i] < INFINITY && val <= rt_norm_limit(nm))
                within += p;
        }
        ts->pop_within[k] = within;
    }
}

/* ---- the sections of the run's report ---- */

static const char *type_label(const rti_facility_type *f) { return f->label ? f->label : f->type; }

static void legend(rti_sbuf *b, const rti_classes *c, const char *extra)
{
    char col[8], a[32], lab[96];
    rti_sb_put(b, "<ul class=\"legend\">");
    for (int k = 0; k < c->n; k++) {
        rti_rgba x = c->colour[k];
        snprintf(col, sizeof(col), "#%02x%02x%02x", x.r, x.g, x.b);
        if (k == 0 && c->upper[0] == 0)
            snprintf(lab, sizeof(lab), "0 %s", c->unit);
        else if (k == 0)
            snprintf(lab, sizeof(lab), "up to %s %s", rti_fmt_num(c->upper[0], a, sizeof(a)),
                     c->unit);
        else if (k == c->n - 1)
            snprintf(lab, sizeof(lab), "over %s %s", rti_fmt_num(c->upper[k - 1], a, sizeof(a)),
                     c->unit);
        else {
            char z[32];
            snprintf(lab, sizeof(lab), "%s\xe2\x80\x93%s %s",
                     rti_fmt_num(c->upper[k - 1], a, sizeof(a)),
                     rti_fmt_num(c->upper[k], z, sizeof(z)), c->unit);
        }
        rti_sb_printf(b, "<li%s><span class=\"sw\" style=\"background:%s\"></span>",
                      c->is_norm[k] ? " class=\"norm\"" : "", col);
        rti_sb_put(b, lab);
        if (c->is_norm[k])
            rti_sb_put(b, " (up to the norm)");
        rti_sb_put(b, "</li>");
    }
    if (extra)
        rti_sb_put(b, extra);
    rti_sb_put(b, "</ul>\n");
}

/* "CBS, © OpenStreetMap contributors": the study's attribution, else each
 * input's own, else its file name; each once. */
static void attribution(rti_sbuf *b, const rti_report_view *v)
{
    if (v->study->attribution) {
        rti_sb_escape(b, v->study->attribution);
        return;
    }
    int shown = 0;
    for (int i = 0; i < v->n_inputs; i++) {
        const rti_input_file *in = &v->inputs[i];
        if (strcmp(in->role, "study") == 0)
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

static rt_status overview(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                          rti_report *rep)
{
    const rt_study *s = v->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_printf(&b,
                  "<p>Travel time from every cell of a grid of %d &times; %d cells of %g m to the "
                  "nearest facility of each type, and per region the population-weighted "
                  "statistics and the share of the population beyond the norms.</p>\n",
                  v->grid->nx, v->grid->ny, v->grid->cell_m);
    if (s->medium.description) {
        rti_sb_put(&b, "<p>Medium: ");
        rti_sb_escape(&b, s->medium.description);
        rti_sb_put(&b, "</p>\n");
    }
    if (s->has_population)
        rti_sb_printf(&b, "<p>Population on the grid: %.0f persons.</p>\n", v->pop_on_grid);
    else
        rti_sb_put(&b, "<p>No population was given: every statistic weighs every cell "
                       "equally, so &ldquo;population&rdquo; counts cells.</p>\n");
    rti_sb_put(&b, "<table><thead><tr><th class=\"t\" scope=\"col\">Facility type</th>"
                   "<th scope=\"col\">Facilities used</th><th scope=\"col\">Moved</th>"
                   "<th scope=\"col\">Left out</th><th class=\"t\" scope=\"col\">Norm</th>"
                   "<th scope=\"col\">Population within the norm</th></tr></thead><tbody>\n");
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_report_type *tr = &v->types[t];
        const double *pop_within = rs->types[t].pop_within;
        int rows = tr->def->n_norms > 0 ? tr->def->n_norms : 1;
        for (int k = 0; k < rows; k++) {
            rti_sb_put(&b, "<tr>");
            if (k == 0) {
                rti_sb_printf(&b, "<td class=\"t\" rowspan=\"%d\">", rows);
                rti_sb_escape(&b, type_label(tr->def));
                rti_sb_printf(&b,
                              "</td><td rowspan=\"%d\">%lld of %lld</td><td rowspan=\"%d\">"
                              "%lld</td><td rowspan=\"%d\">%lld</td>",
                              rows, (long long)(tr->pts->n - tr->n_dropped), (long long)tr->pts->n,
                              rows, (long long)tr->n_snapped, rows, (long long)tr->n_dropped);
            }
            if (tr->def->n_norms == 0) {
                rti_sb_put(&b, "<td class=\"t\">none</td><td></td></tr>\n");
                continue;
            }
            const rt_norm *nm = &tr->def->norms[k];
            double share = tr->pop_total > 0 ? 100.0 * pop_within[k] / tr->pop_total : NAN;
            rti_sb_printf(&b, "<td class=\"t\">%g %s</td><td>%.1f %%</td></tr>\n",
                          nm->kind == RT_NORM_TIME ? nm->limit_s / 60 : nm->limit_m / 1000,
                          nm->kind == RT_NORM_TIME ? "min" : "km", share);
        }
    }
    rti_sb_put(&b, "</tbody></table>\n<p class=\"note\">Map colours and classes follow from the "
                   "norms of each facility type, not from the data, so that runs of the same "
                   "study can be compared map by map. The .qml files beside the GeoTIFFs and "
                   "the styles in reistijd.gpkg use the same classes and colours in QGIS.</p>\n");
    return rti_report_add(rep, "overview", "Overview", &b);
}

static rt_status map_figure(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                            int t, rti_sbuf *b)
{
    const rti_report_type *tr = &v->types[t];
    const rti_report_type_state *ts = &rs->types[t];
    int64_t n = 0;
    double *x = rti_malloc_array(ctx, tr->pts->n + 1, sizeof(double), "map markers");
    double *y = rti_malloc_array(ctx, tr->pts->n + 1, sizeof(double), "map markers");
    unsigned char *png = NULL;
    size_t png_bytes = 0;
    rt_status st = x && y ? RT_OK : RT_E_NOMEM;
    for (int64_t i = 0; st == RT_OK && i < tr->pts->n; i++) {
        int64_t c = tr->cell[i];
        if (c < 0)
            continue;
        rti_grid_centre(v->grid, c, &x[n], &y[n]);
        n++;
    }
    rti_map_layers ml = {ts->map_class,
                         ts->classes.colour,
                         ts->classes.n,
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
        rti_sb_printf(b,
                      "\" width=\"%d\" height=\"%d\" alt=\"Map of the travel time to the "
                      "nearest ",
                      rs->map.width, rs->map.height);
        rti_sb_escape(b, type_label(tr->def));
        rti_sb_put(b, " in minutes, with the region borders and the facilities\">");
        rti_svg_map_overlay(b, &rs->map);
        rti_sb_put(b, "</div>\n<figcaption>");
        legend(b, &ts->classes,
               "<li><span class=\"sw\" style=\"background:#fff\"></span>no route (water, "
               "impassable)</li><li>&#9673; facility</li>");
        rti_sb_put(b, "<p class=\"attr\">Travel time in minutes on cells of ");
        rti_sb_printf(b, "%g m; borders: %s. Data: ", v->grid->cell_m, v->study->regions[0].name);
        attribution(b, v);
        rti_sb_put(b, ".</p></figcaption>\n</figure>\n");
    }
    free(b64);
    free(png);
    free(x);
    free(y);
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
    snprintf(title, sizeof(title), "Population by travel time to the nearest %s",
             type_label(tr->def));
    rti_sb_put(&b, "<h3>Population by travel time</h3>\n<figure>");
    rti_histogram h = {title, ts->hist, RTI_HIST_BINS, ts->hist_width_s / 60, &ts->classes,
                       norms, nn};
    rti_svg_histogram(&b, &h);
    rti_sb_put(&b, "<figcaption>Bars: share of the population per interval of travel time "
                   "(left axis), beyond the last interval, and without any route. Red line: "
                   "cumulative share within each travel time (right axis). Dashed: the "
                   "norms.</figcaption></figure>\n");
    char id[96];
    snprintf(id, sizeof(id), "type-%s", tr->def->type);
    snprintf(title, sizeof(title), "Travel time to the nearest %s", type_label(tr->def));
    return rti_report_add(rep, id, title, &b);
}

static void num_cell(rti_sbuf *b, double v, const char *fmt, const char *cls)
{
    if (isnan(v)) {
        rti_sb_put(b, "<td data-v=\"\">&ndash;</td>");
        return;
    }
    rti_sb_printf(b, "<td%s%s%s data-v=\"%.10g\">", cls ? " class=\"" : "", cls ? cls : "",
                  cls ? "\"" : "", v);
    rti_sb_printf(b, fmt, v);
    rti_sb_put(b, "</td>");
}

static void region_table(rti_sbuf *b, const rti_report_view *v, int r)
{
    const rt_study *s = v->study;
    const rti_polygons *polys = v->regions[r];
    const char *layer = s->regions[r].name;
    rti_sb_printf(b, "<div class=\"wide\"><table class=\"sortable\" id=\"table-%s\"><caption>",
                  layer);
    rti_sb_escape(b, layer);
    rti_sb_put(b, ": population-weighted travel times (minutes) and the share of the population "
                  "beyond each norm. Click a heading to sort.</caption>\n<thead><tr>"
                  "<th class=\"t\" scope=\"col\">Code</th>");
    if (polys->name)
        rti_sb_put(b, "<th class=\"t\" scope=\"col\">Name</th>");
    rti_sb_put(b, "<th scope=\"col\">Population</th>");
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_facility_type *f = &s->facilities[t];
        const char *cols[2] = {"mean", "p90"};
        for (int c = 0; c < 2; c++) {
            rti_sb_put(b, "<th scope=\"col\">");
            rti_sb_escape(b, f->type);
            rti_sb_printf(b, "<br>%s min</th>", cols[c]);
        }
        for (int k = 0; k < f->n_norms; k++) {
            char lab[32];
            rti_norm_label(&f->norms[k], lab, sizeof(lab));
            rti_sb_put(b, "<th scope=\"col\">");
            rti_sb_escape(b, f->type);
            rti_sb_printf(b, "<br>&gt;%s</th>", lab);
        }
    }
    rti_sb_put(b, "</tr></thead>\n<tbody>\n");
    for (int64_t i = 0; i < polys->n; i++) {
        rti_sb_put(b, "<tr><td class=\"t\">");
        rti_sb_escape(b, polys->id[i]);
        rti_sb_put(b, "</td>");
        if (polys->name) {
            rti_sb_put(b, "<td class=\"t\">");
            rti_sb_escape(b, polys->name[i]);
            rti_sb_put(b, "</td>");
        }
        num_cell(b, v->types[0].stats[r][i].pop_persons, "%.0f", NULL);
        for (int t = 0; t < s->n_facilities; t++) {
            const rt_region_stats *x = &v->types[t].stats[r][i];
            num_cell(b, x->time_mean_s / 60, "%.1f", NULL);
            num_cell(b, x->time_p90_s / 60, "%.1f", NULL);
            for (int k = 0; k < s->facilities[t].n_norms; k++) {
                double sh = 100 * x->share_beyond[k];
                /* a share that rounds to 0.0 % is still beyond: say so */
                num_cell(b, sh, sh > 0 && sh < 0.05 ? "&lt;0.1 %%" : "%.1f %%",
                         isnan(sh) ? NULL
                         : sh > 0  ? "beyond"
                                   : "within");
            }
        }
        rti_sb_put(b, "</tr>\n");
    }
    rti_sb_put(b,
               "</tbody></table></div>\n<p class=\"note\">Shaded red: some of the population lives "
               "beyond the norm (unreachable cells included); green: everybody is within "
               "it. &ndash;: no population.</p>\n");
}

static rt_status region_section(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                                int r, rti_report *rep)
{
    const rt_study *s = v->study;
    const rti_polygons *polys = v->regions[r];
    const char *layer = s->regions[r].name;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_svg_tf tf;
    double w, h;
    char prefix[16], title[320];
    snprintf(prefix, sizeof(prefix), "r%d", r);
    rti_svg_fit(polys->bbox, 400, &tf, &w, &h);
    rt_status st = rti_svg_region_defs(ctx, &b, polys, prefix, &tf);
    double *val = rti_malloc_array(ctx, polys->n + 1, sizeof(double), "choropleth");
    if (!val)
        st = RT_E_NOMEM;
    rti_classes share;
    rti_share_classes(&share);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const rti_report_type *tr = &v->types[t];
        const rti_classes *classes = &rs->types[t].classes;
        rti_sb_put(&b, "<h3>");
        rti_sb_escape(&b, type_label(tr->def));
        rti_sb_put(&b, "</h3>\n<div class=\"maps\">");
        for (int m = -1; m < tr->def->n_norms; m++) {
            char lab[32] = "";
            const rti_classes *c = m < 0 ? classes : &share;
            for (int64_t i = 0; i < polys->n; i++)
                val[i] = m < 0 ? tr->stats[r][i].time_mean_s / 60
                               : 100 * tr->stats[r][i].share_beyond[m];
            if (m >= 0)
                rti_norm_label(&tr->def->norms[m], lab, sizeof(lab));
            if (m < 0)
                snprintf(title, sizeof(title), "%s per %s: population-weighted mean travel time",
                         type_label(tr->def), layer);
            else
                snprintf(title, sizeof(title), "%s per %s: share of the population beyond %s",
                         type_label(tr->def), layer, lab);
            rti_choropleth ch = {title, prefix, w, h, polys->n, val, c, polys->id, polys->name};
            rti_sb_put(&b, "<figure>");
            rti_svg_choropleth(&b, &ch);
            rti_sb_put(&b, "<figcaption>");
            if (m < 0)
                rti_sb_put(&b, "Mean travel time (population-weighted)");
            else
                rti_sb_printf(&b, "Share of the population beyond %s", lab);
            legend(&b, c,
                   "<li><span class=\"sw\" style=\"background:#d9d9d9\"></span>no "
                   "population</li>");
            rti_sb_put(&b, "</figcaption></figure>\n");
        }
        rti_sb_put(&b, "</div>\n");
    }
    free(val);
    if (st == RT_OK) {
        region_table(&b, v, r);
        char id[96];
        snprintf(id, sizeof(id), "regions-%s", layer);
        snprintf(title, sizeof(title), "Per %s", layer);
        return rti_report_add(rep, id, title, &b);
    }
    rti_sb_free(&b);
    return st;
}

static void param_row(rti_sbuf *b, const char *key, const char *value)
{
    rti_sb_put(b, "<tr><th class=\"t\" scope=\"row\">");
    rti_sb_put(b, key);
    rti_sb_put(b, "</th><td class=\"t\">");
    rti_sb_escape(b, value);
    rti_sb_put(b, "</td></tr>\n");
}

static rt_status inputs_section(rt_ctx *ctx, const rti_report_view *v, rti_report *rep)
{
    const rt_study *s = v->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    char val[256];
    rti_sb_put(&b, "<p>As recorded in run.json, which also holds the timings.</p>\n"
                   "<table><tbody>\n");
    param_row(&b, "Study", s->name);
    param_row(&b, "CRS", s->crs);
    snprintf(val, sizeof(val), "%g m, %d columns &times; %d rows", s->cell_m, v->grid->nx,
             v->grid->ny);
    rti_sb_put(&b, "<tr><th class=\"t\" scope=\"row\">Grid</th><td class=\"t\">");
    rti_sb_put(&b, val);
    rti_sb_put(&b, "</td></tr>\n");
    snprintf(val, sizeof(val), "x from %.10g, y to %.10g (m)", v->grid->x0, v->grid->y1);
    param_row(&b, "Upper-left corner", val);
    snprintf(val, sizeof(val), "%lld", (long long)v->n_passable);
    param_row(&b, "Passable cells", val);
    snprintf(val, sizeof(val), "%d", s->neighbours);
    param_row(&b, "Neighbours", val);
    snprintf(val, sizeof(val), "%g m", s->snap_radius_m);
    param_row(&b, "Snap radius", val);
    param_row(&b, "Medium", v->medium_type);
    if (v->land_type)
        param_row(&b, "Medium over land", v->land_type);
    if (isfinite(v->land_offroad_kmh)) {
        snprintf(val, sizeof(val), "%g km/h", v->land_offroad_kmh);
        param_row(&b, "Off-road speed", val);
    }
    if (v->profile_path) {
        param_row(&b, "Speed profile", v->profile_path);
        snprintf(val, sizeof(val), "%g km/h, at most %g m", s->medium.access_kmh,
                 s->medium.access_max_m);
        param_row(&b, "Access legs", val);
    }
    snprintf(val, sizeof(val), "reistijd %s, GDAL %s, PROJ %s, GEOS %s", rt_version(),
             rti_io_gdal_version(), rti_io_proj_version(), rti_io_geos_version());
    param_row(&b, "Versions", val);
    rti_sb_put(&b, "</tbody></table>\n<table><thead><tr><th class=\"t\" scope=\"col\">Role</th>"
                   "<th class=\"t\" scope=\"col\">File</th><th scope=\"col\">Bytes</th>"
                   "<th class=\"t\" scope=\"col\">SHA-256</th></tr></thead><tbody>\n");
    for (int i = 0; i < v->n_inputs; i++) {
        const rti_input_file *in = &v->inputs[i];
        rti_sb_put(&b, "<tr><td class=\"t\">");
        rti_sb_escape(&b, in->role);
        rti_sb_put(&b, "</td><td class=\"t\"><code>");
        rti_sb_escape(&b, in->path);
        rti_sb_put(&b, "</code></td>");
        if (in->has_sum)
            rti_sb_printf(&b, "<td>%llu</td><td class=\"t\"><code>%s</code></td></tr>\n",
                          (unsigned long long)in->size_bytes, in->sha256);
        else
            rti_sb_put(&b, "<td></td><td class=\"t\">not a single file</td></tr>\n");
    }
    rti_sb_put(&b, "</tbody></table>\n");
    return rti_report_add(rep, "inputs", "Inputs and parameters", &b);
}

static rt_status write_html(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v)
{
    const rt_study *s = v->study;
    const char *tmp;
    rti_report rep;
    rt_status st = rti_report_init(&rep, ctx, s->name);
    if (st == RT_OK)
        st = rti_outset_add_in(ctx, v->outs, v->outdir, "report.html", &tmp);
    if (st == RT_OK)
        st = overview(ctx, rs, v, &rep);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = type_section(ctx, rs, v, t, &rep);
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        st = region_section(ctx, rs, v, r, &rep);
    if (st == RT_OK && s->outputs.closures)
        st = rti_report_closures_section(ctx, v, &rep);
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
