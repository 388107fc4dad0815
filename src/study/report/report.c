/* report.html and the QGIS styles of a run. The report is one
 * self-contained HTML file: the map images are embedded as data: URIs,
 * the charts are inline SVG, and the table sorting is a few lines of
 * inline script. It holds nothing that changes between two runs of the
 * same study (no clock, no thread count, no output folder), so it is
 * identical byte for byte for any number of threads. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/run/run.h"

/* ---- the document ---- */

rt_status rti_report_init(rti_report *r, rt_ctx *ctx, const char *title)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    r->title = rti_malloc_array(ctx, (int64_t)strlen(title) + 1, 1, "report title");
    if (!r->title)
        return RT_E_NOMEM;
    memcpy(r->title, title, strlen(title) + 1);
    return RT_OK;
}

static char *dup_text(rt_ctx *ctx, const char *s)
{
    char *p = rti_malloc_array(ctx, (int64_t)strlen(s) + 1, 1, "report text");
    if (p)
        memcpy(p, s, strlen(s) + 1);
    return p;
}

rt_status rti_report_add(rti_report *r, const char *id, const char *title, rti_sbuf *b)
{
    char *html = rti_sb_take(b);
    if (!html)
        return RT_E_NOMEM;
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 8;
        rti_report_section *s = rti_realloc_array(r->ctx, r->sec, cap, sizeof(*s), "report");
        if (!s) {
            free(html);
            return RT_E_NOMEM;
        }
        r->sec = s;
        r->cap = cap;
    }
    rti_report_section *s = &r->sec[r->n];
    s->id = dup_text(r->ctx, id);
    s->title = dup_text(r->ctx, title);
    s->html = html;
    if (!s->id || !s->title) {
        free(s->id);
        free(s->title);
        free(html);
        return RT_E_NOMEM;
    }
    r->n++;
    return RT_OK;
}

void rti_report_free(rti_report *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->sec[i].id);
        free(r->sec[i].title);
        free(r->sec[i].html);
    }
    free(r->sec);
    free(r->title);
    free(r->intro);
    memset(r, 0, sizeof(*r));
}

static const char report_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:0 auto;max-width:1100px;padding:0 1.2em 3em;color:#1a1a1a;line-height:1.45}"
    "h1{font-size:1.6em;margin:.8em 0 .2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;"
    "margin-top:2em}h3{margin:1.4em 0 .4em}nav ol{columns:2;padding-left:1.2em}"
    "table{border-collapse:collapse;font-size:.88em;margin:.6em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .45em;text-align:right;vertical-align:top}"
    "th{background:#f2f2f2}td.t,th.t{text-align:left}"
    "table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:' "
    "\\25B2'}"
    "table.sortable th[aria-sort=descending]::after{content:' \\25BC'}"
    "td.beyond{background:#fbd5c0;font-weight:600}td.within{background:#e6f2e6}"
    "code{font-size:.85em;word-break:break-all}.wide{overflow-x:auto}svg.defs{position:absolute}"
    ".mapbox{position:relative;max-width:100%}.mapbox img{display:block;width:100%;height:auto}"
    ".mapbox img.px{image-rendering:pixelated}"
    ".overlay{position:absolute;left:0;top:0;width:100%;height:100%}"
    ".overlay text{font-family:inherit}"
    "figure{margin:1em 0}figcaption{font-size:.9em;color:#333}"
    ".legend{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:.2em 1em}"
    ".legend li{display:flex;align-items:center;gap:.35em;font-size:.88em}"
    ".legend li.norm{font-weight:700}"
    ".sw{display:inline-block;width:1.4em;height:.95em;border:1px solid #888}"
    ".maps{display:flex;flex-wrap:wrap;gap:1em}.maps figure{flex:1 1 300px;max-width:420px;"
    "margin:0}svg.choro{width:100%;height:auto;background:#fafafa}"
    "svg.hist{width:100%;max-width:640px;height:auto}svg.hist .ax{font-size:11px;fill:#333}"
    "svg.hist .cum{fill:#b2182b}svg.hist .cumline{fill:none;stroke:#b2182b;stroke-width:2}"
    "svg.hist .norm{stroke:#000;stroke-dasharray:4 3}"
    ".attr{font-size:.8em;color:#555}.note{font-size:.9em;color:#444}";

/* Sorting of the tables: click (or Enter) on a column heading. */
static const char report_js[] =
    "(function(){'use strict';"
    "function key(td){var v=td.getAttribute('data-v');"
    "if(v===null)return td.textContent;return v===''?NaN:parseFloat(v);}"
    "function cmp(x,y){if(typeof x==='number'&&typeof y==='number'){"
    "if(isNaN(x))return isNaN(y)?0:1;if(isNaN(y))return -1;return x-y;}"
    "return String(x).localeCompare(String(y));}"
    "var tables=document.querySelectorAll('table.sortable');"
    "Array.prototype.forEach.call(tables,function(t){"
    "var ths=t.tHead.rows[0].cells;"
    "Array.prototype.forEach.call(ths,function(th,i){th.tabIndex=0;"
    "function sort(){var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;"
    "Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
    "var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);"
    "rows.sort(function(a,b){var c=cmp(key(a.cells[i]),key(b.cells[i]));"
    "return isNaN(key(a.cells[i]))||isNaN(key(b.cells[i]))?c:c*dir;});"
    "rows.forEach(function(r){body.appendChild(r);});}"
    "th.addEventListener('click',sort);"
    "th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){"
    "e.preventDefault();sort();}});});"
    "t.setAttribute('data-sortable','ready');});})();";

static rt_status write_text(rt_ctx *ctx, const char *path, const char *name, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return rti_error(ctx, RT_E_IO, "%s: cannot write: %s", name, strerror(errno));
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad) {
        rt_status st = rti_error(ctx, RT_E_IO, "%s: write failed: %s", name, strerror(errno));
        remove(path);
        return st;
    }
    return RT_OK;
}

rt_status rti_report_write(rt_ctx *ctx, const rti_report *r, const char *path)
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_put(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
    rti_sb_escape(&b, r->title);
    rti_sb_put(&b, "</title>\n<style>");
    rti_sb_put(&b, report_css);
    rti_sb_put(&b, "</style>\n</head>\n<body>\n<header>\n<h1>");
    rti_sb_escape(&b, r->title);
    rti_sb_put(&b, "</h1>\n");
    rti_sb_put(&b, r->intro);
    rti_sb_put(&b, "</header>\n<nav aria-label=\"Contents\">\n<ol>\n");
    for (int i = 0; i < r->n; i++) {
        rti_sb_printf(&b, "<li><a href=\"#%s\">", r->sec[i].id);
        rti_sb_escape(&b, r->sec[i].title);
        rti_sb_put(&b, "</a></li>\n");
    }
    rti_sb_put(&b, "</ol>\n</nav>\n<main>\n");
    for (int i = 0; i < r->n; i++) {
        rti_sb_printf(&b, "<section id=\"%s\" aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">",
                      r->sec[i].id, r->sec[i].id, r->sec[i].id);
        rti_sb_escape(&b, r->sec[i].title);
        rti_sb_put(&b, "</h2>\n");
        rti_sb_put(&b, r->sec[i].html);
        rti_sb_put(&b, "</section>\n");
    }
    rti_sb_printf(&b, "</main>\n<footer class=\"note\"><p>Made with reistijd %s.</p></footer>\n",
                  rt_version());
    rti_sb_put(&b, "<script>");
    rti_sb_put(&b, report_js);
    rti_sb_put(&b, "</script>\n</body>\n</html>\n");
    char *text = rti_sb_take(&b);
    if (!text)
        return RT_E_NOMEM;
    const char *slash = strrchr(path, '/');
    rt_status st = write_text(ctx, path, slash ? slash + 1 : path, text);
    free(text);
    return st;
}

/* ---- before and during the searches ---- */

rt_status rti_run_plan_report(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    const int32_t side = run->grid.nx > run->grid.ny ? run->grid.nx : run->grid.ny;
    const int32_t target = 800;
    run->map_up = side <= target ? target / side : 1;
    run->map_down = side <= target ? 1 : (side + target - 1) / target;
    run->map.x0 = run->grid.x0;
    run->map.y1 = run->grid.y1;
    run->map.px_m = run->grid.cell_m * run->map_down / run->map_up;
    run->map.width = (run->grid.nx * run->map_up + run->map_down - 1) / run->map_down;
    run->map.height = (run->grid.ny * run->map_up + run->map_down - 1) / run->map_down;
    for (int t = 0; t < s->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        rti_time_classes(s, tr->def, &tr->classes);
        if (!s->outputs.report)
            continue;
        tr->map_class =
            rti_alloc_array_uninit(ctx, (int64_t)run->map.width * run->map.height, 1, "map image");
        tr->hist = rti_malloc_array(ctx, RTI_HIST_BINS + 2, sizeof(double), "histogram");
        if (!tr->map_class || !tr->hist)
            return RT_E_NOMEM;
        /* the largest break is twice the reference norm: 20 bins up to it */
        tr->hist_width_s = 60.0 * tr->classes.upper[tr->classes.n - 2] / RTI_HIST_BINS;
    }
    return RT_OK;
}

void rti_run_report_type(rti_run *run, int t, const rt_labels *lab)
{
    rti_type_run *tr = &run->types[t];
    if (!tr->map_class)
        return;
    const rti_map_frame *f = &run->map;
    for (int32_t r = 0; r < f->height; r++) {
        int64_t row =
            run->map_up > 1 ? r / run->map_up : (int64_t)r * run->map_down + run->map_down / 2;
        row = row < run->grid.ny ? row : run->grid.ny - 1;
        for (int32_t c = 0; c < f->width; c++) {
            int64_t col =
                run->map_up > 1 ? c / run->map_up : (int64_t)c * run->map_down + run->map_down / 2;
            col = col < run->grid.nx ? col : run->grid.nx - 1;
            double ts = lab->time_s[row * run->grid.nx + col];
            /* the same rounding as the GeoTIFF, so QGIS draws the same class */
            int k = isinf(ts) ? -1 : rti_class_of(&tr->classes, (float)(ts / 60.0));
            tr->map_class[(int64_t)r * f->width + c] = k < 0 ? 255 : (uint8_t)k;
        }
    }
    rti_hist_add(lab->time_s, run->pop, run->n_cells, tr->hist_width_s, RTI_HIST_BINS, tr->hist);
    for (int k = 0; k < tr->def->n_norms; k++) {
        const rt_norm *nm = &tr->def->norms[k];
        double within = 0;
        for (int64_t i = 0; i < run->n_cells; i++) {
            double p = run->pop ? (double)run->pop[i] : 1.0;
            double v = nm->kind == RT_NORM_TIME ? lab->time_s[i]
                       : lab->length_m          ? (double)lab->length_m[i]
                                                : NAN;
            if (p > 0 && lab->time_s[i] < INFINITY && v <= nm->limit)
                within += p;
        }
        tr->pop_within[k] = within;
    }
}

/* ---- QGIS styles ---- */

static const char *tmp_of(const rti_run *run, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < run->outs.n; i++) {
        const char *f = run->outs.final[i];
        size_t m = strlen(f);
        if (m > n && f[m - n - 1] == '/' && strcmp(f + m - n, name) == 0)
            return run->outs.tmp[i];
    }
    return NULL;
}

static rt_status style_file(rt_ctx *ctx, rti_run *run, const char *type, const char *suffix,
                            char *qml)
{
    char name[256];
    const char *tmp;
    if (!qml)
        return RT_E_NOMEM;
    snprintf(name, sizeof(name), "%s_%s.qml", type, suffix);
    rt_status st = rti_run_add_output(ctx, run, name, &tmp);
    if (st == RT_OK)
        st = write_text(ctx, tmp, name, qml);
    free(qml);
    return st;
}

/* The facility ids that occur in the type's facility grids. */
static rt_status used_fids(rt_ctx *ctx, const rti_type_run *tr, int64_t **out, int64_t *n)
{
    *out = rti_malloc_array(ctx, tr->pts.n > 0 ? tr->pts.n : 1, sizeof(int64_t), "facility ids");
    if (!*out)
        return RT_E_NOMEM;
    *n = 0;
    for (int64_t i = 0; i < tr->pts.n; i++)
        if (tr->cell[i] >= 0)
            (*out)[(*n)++] = rti_facility_grid_value(tr, i);
    return RT_OK;
}

static rt_status grid_styles(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && s->outputs.grids && t < s->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        const char *ty = tr->def->type;
        char title[200];
        snprintf(title, sizeof(title), "%s: travel time (min)",
                 tr->def->label ? tr->def->label : ty);
        st = style_file(ctx, run, ty, "time_min", rti_qml_raster_classes(ctx, &tr->classes, title));
        if (st == RT_OK && s->outputs.second)
            st = style_file(ctx, run, ty, "second_time_min",
                            rti_qml_raster_classes(ctx, &tr->classes, title));
        if (st == RT_OK && s->outputs.length) {
            rti_classes len;
            rti_length_classes(tr->def, &len);
            st = style_file(ctx, run, ty, "length_m", rti_qml_raster_classes(ctx, &len, NULL));
        }
        int64_t *fids = NULL, nf = 0;
        if (st == RT_OK)
            st = used_fids(ctx, tr, &fids, &nf);
        if (st == RT_OK)
            st = style_file(ctx, run, ty, "facility", rti_qml_raster_palette(ctx, fids, nf));
        if (st == RT_OK && s->outputs.second)
            st = style_file(ctx, run, ty, "second_facility", rti_qml_raster_palette(ctx, fids, nf));
        free(fids);
    }
    return st;
}

typedef struct style_list {
    rti_layer_style *v;
    char **owned; /* texts to free: names, QML */
    int n, n_owned, cap;
} style_list;

static rt_status style_add(rt_ctx *ctx, style_list *l, const char *layer, const char *name,
                           char *qml, int is_default)
{
    char *nm = qml ? dup_text(ctx, name) : NULL;
    char *ly = nm ? dup_text(ctx, layer) : NULL;
    if (!ly) {
        free(qml);
        free(nm);
        return RT_E_NOMEM;
    }
    l->v[l->n++] = (rti_layer_style){ly, nm, qml, NULL, is_default};
    l->owned[l->n_owned++] = ly;
    l->owned[l->n_owned++] = nm;
    l->owned[l->n_owned++] = qml;
    return RT_OK;
}

static rt_status region_styles(rt_ctx *ctx, rti_run *run, int r, style_list *l)
{
    const rt_study *s = run->study;
    const char *layer = s->regions[r].name;
    rti_classes share;
    rti_share_classes(&share);
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const rti_facility_type *f = &s->facilities[t];
        char attr[160], name[64];
        snprintf(attr, sizeof(attr), "%s_mean_min", f->type);
        snprintf(name, sizeof(name), "%.20s mean", f->type);
        st = style_add(ctx, l, layer, name, rti_qml_graduated(ctx, attr, &run->types[t].classes),
                       t == 0);
        for (int k = 0; st == RT_OK && k < f->n_norms; k++) {
            char lab[32];
            rti_norm_label(&f->norms[k], lab, sizeof(lab));
            snprintf(attr, sizeof(attr), "%s_share_beyond_%s", f->type, lab);
            snprintf(name, sizeof(name), "%.16s >%s", f->type, lab);
            st = style_add(ctx, l, layer, name, rti_qml_graduated(ctx, attr, &share), 0);
        }
    }
    return st;
}

static rt_status gpkg_styles(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    const char *gpkg = tmp_of(run, "reistijd.gpkg");
    if (!gpkg)
        return RT_OK;
    /* per type: its facility layer, its roads layer, and per region layer
     * the mean and one style per norm */
    int cap = s->n_facilities * (2 + s->n_regions * (1 + RT_STATS_MAX_NORMS));
    style_list l = {NULL, NULL, 0, 0, cap};
    l.v = rti_malloc_array(ctx, cap, sizeof(*l.v), "styles");
    l.owned = rti_malloc_array(ctx, 3 * (int64_t)cap, sizeof(char *), "styles");
    rt_status st = l.v && l.owned ? RT_OK : RT_E_NOMEM;
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        st = region_styles(ctx, run, r, &l);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        char layer[96];
        snprintf(layer, sizeof(layer), "facilities_%s", s->facilities[t].type);
        st = style_add(ctx, &l, layer, "status", rti_qml_facility_status(ctx), 1);
    }
    /* a network run's roads layers (written when the node times were kept):
     * time_min in the classes of the type's travel-time maps */
    for (int t = 0; st == RT_OK && run->net && t < s->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        if (!tr->node_time_s)
            continue;
        char layer[96], name[64];
        snprintf(layer, sizeof(layer), "roads_%s", tr->def->type);
        snprintf(name, sizeof(name), "%.20s time", tr->def->type);
        st = style_add(ctx, &l, layer, name, rti_qml_graduated_lines(ctx, "time_min", &tr->classes),
                       1);
    }
    if (st == RT_OK)
        st = rti_gpkg_write_styles(ctx, gpkg, l.v, l.n);
    for (int i = 0; l.owned && i < l.n_owned; i++)
        free(l.owned[i]);
    free(l.owned);
    free(l.v);
    return st;
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
static void attribution(rti_sbuf *b, const rti_run *run)
{
    if (run->study->attribution) {
        rti_sb_escape(b, run->study->attribution);
        return;
    }
    int shown = 0;
    for (int i = 0; i < run->n_inputs; i++) {
        const rti_run_input *in = &run->inputs[i];
        if (strcmp(in->role, "study") == 0)
            continue;
        const char *slash = strrchr(in->path, '/');
        const char *text = in->attribution ? in->attribution : slash ? slash + 1 : in->path;
        int dup = 0;
        for (int j = 0; j < i && !dup; j++) {
            const rti_run_input *o = &run->inputs[j];
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

static rt_status overview(rt_ctx *ctx, const rti_run *run, rti_report *rep)
{
    const rt_study *s = run->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_printf(&b,
                  "<p>Travel time from every cell of a grid of %d &times; %d cells of %g m to the "
                  "nearest facility of each type, and per region the population-weighted "
                  "statistics and the share of the population beyond the norms.</p>\n",
                  run->grid.nx, run->grid.ny, run->grid.cell_m);
    if (s->medium.description) {
        rti_sb_put(&b, "<p>Medium: ");
        rti_sb_escape(&b, s->medium.description);
        rti_sb_put(&b, "</p>\n");
    }
    if (s->has_population)
        rti_sb_printf(&b, "<p>Population on the grid: %.0f persons.</p>\n", run->pop_on_grid);
    else
        rti_sb_put(&b, "<p>No population was given: every statistic weighs every cell "
                       "equally, so &ldquo;population&rdquo; counts cells.</p>\n");
    rti_sb_put(&b, "<table><thead><tr><th class=\"t\" scope=\"col\">Facility type</th>"
                   "<th scope=\"col\">Facilities used</th><th scope=\"col\">Moved</th>"
                   "<th scope=\"col\">Left out</th><th class=\"t\" scope=\"col\">Norm</th>"
                   "<th scope=\"col\">Population within the norm</th></tr></thead><tbody>\n");
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        int rows = tr->def->n_norms > 0 ? tr->def->n_norms : 1;
        for (int k = 0; k < rows; k++) {
            rti_sb_put(&b, "<tr>");
            if (k == 0) {
                rti_sb_printf(&b, "<td class=\"t\" rowspan=\"%d\">", rows);
                rti_sb_escape(&b, type_label(tr->def));
                rti_sb_printf(&b,
                              "</td><td rowspan=\"%d\">%lld of %lld</td><td rowspan=\"%d\">"
                              "%lld</td><td rowspan=\"%d\">%lld</td>",
                              rows, (long long)(tr->pts.n - tr->n_dropped), (long long)tr->pts.n,
                              rows, (long long)tr->n_snapped, rows, (long long)tr->n_dropped);
            }
            if (tr->def->n_norms == 0) {
                rti_sb_put(&b, "<td class=\"t\">none</td><td></td></tr>\n");
                continue;
            }
            const rt_norm *nm = &tr->def->norms[k];
            double share = tr->pop_total > 0 ? 100.0 * tr->pop_within[k] / tr->pop_total : NAN;
            rti_sb_printf(&b, "<td class=\"t\">%g %s</td><td>%.1f %%</td></tr>\n",
                          nm->kind == RT_NORM_TIME ? nm->limit / 60 : nm->limit / 1000,
                          nm->kind == RT_NORM_TIME ? "min" : "km", share);
        }
    }
    rti_sb_put(&b, "</tbody></table>\n<p class=\"note\">Map colours and classes follow from the "
                   "norms of each facility type, not from the data, so that runs of the same "
                   "study can be compared map by map. The .qml files beside the GeoTIFFs and "
                   "the styles in reistijd.gpkg use the same classes and colours in QGIS.</p>\n");
    return rti_report_add(rep, "overview", "Overview", &b);
}

static rt_status map_figure(rt_ctx *ctx, const rti_run *run, int t, rti_sbuf *b)
{
    const rti_type_run *tr = &run->types[t];
    int64_t n = 0;
    double *x = rti_malloc_array(ctx, tr->pts.n + 1, sizeof(double), "map markers");
    double *y = rti_malloc_array(ctx, tr->pts.n + 1, sizeof(double), "map markers");
    unsigned char *png = NULL;
    size_t png_bytes = 0;
    rt_status st = x && y ? RT_OK : RT_E_NOMEM;
    for (int64_t i = 0; st == RT_OK && i < tr->pts.n; i++) {
        int64_t c = tr->cell[i];
        if (c < 0)
            continue;
        x[n] = run->grid.x0 + ((double)(c % run->grid.nx) + 0.5) * run->grid.cell_m;
        y[n] = run->grid.y1 - ((double)(c / run->grid.nx) + 0.5) * run->grid.cell_m;
        n++;
    }
    rti_map_layers ml = {tr->map_class,
                         tr->classes.colour,
                         tr->classes.n,
                         &run->regions[0].polys,
                         {0x26, 0x26, 0x26, 255},
                         x,
                         y,
                         n,
                         {0, 0, 0, 255},
                         {255, 255, 255, 255}};
    if (st == RT_OK)
        st = rti_render_png(ctx, &run->map, &ml, &png, &png_bytes);
    char *b64 = st == RT_OK ? rti_base64(ctx, png, png_bytes, NULL) : NULL;
    if (st == RT_OK && !b64)
        st = RT_E_NOMEM;
    if (st == RT_OK) {
        rti_sb_printf(b,
                      "<figure class=\"map\">\n<div class=\"mapbox\" style=\"max-width:%dpx\">"
                      "<img%s src=\"data:image/png;base64,",
                      run->map.width, run->map_up > 1 ? " class=\"px\"" : "");
        rti_sb_put(b, b64);
        rti_sb_printf(b,
                      "\" width=\"%d\" height=\"%d\" alt=\"Map of the travel time to the "
                      "nearest ",
                      run->map.width, run->map.height);
        rti_sb_escape(b, type_label(tr->def));
        rti_sb_put(b, " in minutes, with the region borders and the facilities\">");
        rti_svg_map_overlay(b, &run->map);
        rti_sb_put(b, "</div>\n<figcaption>");
        legend(b, &tr->classes,
               "<li><span class=\"sw\" style=\"background:#fff\"></span>no route (water, "
               "impassable)</li><li>&#9673; facility</li>");
        rti_sb_put(b, "<p class=\"attr\">Travel time in minutes on cells of ");
        rti_sb_printf(b, "%g m; borders: %s. Data: ", run->grid.cell_m,
                      run->study->regions[0].name);
        attribution(b, run);
        rti_sb_put(b, ".</p></figcaption>\n</figure>\n");
    }
    free(b64);
    free(png);
    free(x);
    free(y);
    return st;
}

static rt_status type_section(rt_ctx *ctx, const rti_run *run, int t, rti_report *rep)
{
    const rti_type_run *tr = &run->types[t];
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rt_status st = map_figure(ctx, run, t, &b);
    if (st != RT_OK) {
        rti_sb_free(&b);
        return st;
    }
    double norms[RT_STATS_MAX_NORMS];
    int nn = 0;
    for (int k = 0; k < tr->def->n_norms; k++)
        if (tr->def->norms[k].kind == RT_NORM_TIME)
            norms[nn++] = tr->def->norms[k].limit / 60;
    char title[256];
    snprintf(title, sizeof(title), "Population by travel time to the nearest %s",
             type_label(tr->def));
    rti_sb_put(&b, "<h3>Population by travel time</h3>\n<figure>");
    rti_histogram h = {title, tr->hist, RTI_HIST_BINS, tr->hist_width_s / 60, &tr->classes,
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

static void region_table(rti_sbuf *b, const rti_run *run, int r)
{
    const rt_study *s = run->study;
    const rti_region_run *rr = &run->regions[r];
    rti_sb_printf(b, "<div class=\"wide\"><table class=\"sortable\" id=\"table-%s\"><caption>",
                  rr->def->name);
    rti_sb_escape(b, rr->def->name);
    rti_sb_put(b, ": population-weighted travel times (minutes) and the share of the population "
                  "beyond each norm. Click a heading to sort.</caption>\n<thead><tr>"
                  "<th class=\"t\" scope=\"col\">Code</th>");
    if (rr->polys.name)
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
    for (int64_t i = 0; i < rr->polys.n; i++) {
        rti_sb_put(b, "<tr><td class=\"t\">");
        rti_sb_escape(b, rr->polys.id[i]);
        rti_sb_put(b, "</td>");
        if (rr->polys.name) {
            rti_sb_put(b, "<td class=\"t\">");
            rti_sb_escape(b, rr->polys.name[i]);
            rti_sb_put(b, "</td>");
        }
        num_cell(b, run->types[0].stats[r][i].pop_persons, "%.0f", NULL);
        for (int t = 0; t < s->n_facilities; t++) {
            const rt_region_stats *x = &run->types[t].stats[r][i];
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

static rt_status region_section(rt_ctx *ctx, const rti_run *run, int r, rti_report *rep)
{
    const rt_study *s = run->study;
    const rti_region_run *rr = &run->regions[r];
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_svg_tf tf;
    double w, h;
    char prefix[16], title[320];
    snprintf(prefix, sizeof(prefix), "r%d", r);
    rti_svg_fit(rr->polys.bbox, 400, &tf, &w, &h);
    rt_status st = rti_svg_region_defs(ctx, &b, &rr->polys, prefix, &tf);
    double *v = rti_malloc_array(ctx, rr->polys.n + 1, sizeof(double), "choropleth");
    if (!v)
        st = RT_E_NOMEM;
    rti_classes share;
    rti_share_classes(&share);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        rti_sb_put(&b, "<h3>");
        rti_sb_escape(&b, type_label(tr->def));
        rti_sb_put(&b, "</h3>\n<div class=\"maps\">");
        for (int m = -1; m < tr->def->n_norms; m++) {
            char lab[32] = "";
            const rti_classes *c = m < 0 ? &tr->classes : &share;
            for (int64_t i = 0; i < rr->polys.n; i++)
                v[i] = m < 0 ? tr->stats[r][i].time_mean_s / 60
                             : 100 * tr->stats[r][i].share_beyond[m];
            if (m >= 0)
                rti_norm_label(&tr->def->norms[m], lab, sizeof(lab));
            if (m < 0)
                snprintf(title, sizeof(title), "%s per %s: population-weighted mean travel time",
                         type_label(tr->def), rr->def->name);
            else
                snprintf(title, sizeof(title), "%s per %s: share of the population beyond %s",
                         type_label(tr->def), rr->def->name, lab);
            rti_choropleth ch = {title,        prefix,        w, h, rr->polys.n, v, c,
                                 rr->polys.id, rr->polys.name};
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
    free(v);
    if (st == RT_OK) {
        region_table(&b, run, r);
        char id[96];
        snprintf(id, sizeof(id), "regions-%s", rr->def->name);
        snprintf(title, sizeof(title), "Per %s", rr->def->name);
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

static rt_status inputs_section(rt_ctx *ctx, const rti_run *run, rti_report *rep)
{
    const rt_study *s = run->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    char v[256];
    rti_sb_put(&b, "<p>As recorded in run.json, which also holds the timings.</p>\n"
                   "<table><tbody>\n");
    param_row(&b, "Study", s->name);
    param_row(&b, "CRS", s->crs);
    snprintf(v, sizeof(v), "%g m, %d columns &times; %d rows", s->cell_m, run->grid.nx,
             run->grid.ny);
    rti_sb_put(&b, "<tr><th class=\"t\" scope=\"row\">Grid</th><td class=\"t\">");
    rti_sb_put(&b, v);
    rti_sb_put(&b, "</td></tr>\n");
    snprintf(v, sizeof(v), "x from %.10g, y to %.10g (m)", run->grid.x0, run->grid.y1);
    param_row(&b, "Upper-left corner", v);
    snprintf(v, sizeof(v), "%lld", (long long)run->n_passable);
    param_row(&b, "Passable cells", v);
    snprintf(v, sizeof(v), "%d", s->neighbours);
    param_row(&b, "Neighbours", v);
    snprintf(v, sizeof(v), "%g m", s->snap_radius_m);
    param_row(&b, "Snap radius", v);
    param_row(&b, "Medium", rti_medium_kind_name(s->medium.kind));
    const rti_medium *land = s->medium.offroad ? s->medium.offroad : &s->medium;
    if (s->medium.offroad)
        param_row(&b, "Medium over land", rti_medium_kind_name(land->kind));
    if (land->kind == RTI_MEDIUM_SPEED_MODEL) {
        snprintf(v, sizeof(v), "%g km/h", land->offroad_kmh);
        param_row(&b, "Off-road speed", v);
    }
    if (run->net) {
        param_row(&b, "Speed profile", run->net->profile_path);
        snprintf(v, sizeof(v), "%g km/h, at most %g m", s->medium.access_kmh,
                 s->medium.access_max_m);
        param_row(&b, "Access legs", v);
    }
    snprintf(v, sizeof(v), "reistijd %s, GDAL %s, PROJ %s, GEOS %s", rt_version(),
             rti_io_gdal_version(), rti_io_proj_version(), rti_io_geos_version());
    param_row(&b, "Versions", v);
    rti_sb_put(&b, "</tbody></table>\n<table><thead><tr><th class=\"t\" scope=\"col\">Role</th>"
                   "<th class=\"t\" scope=\"col\">File</th><th scope=\"col\">Bytes</th>"
                   "<th class=\"t\" scope=\"col\">SHA-256</th></tr></thead><tbody>\n");
    for (int i = 0; i < run->n_inputs; i++) {
        const rti_run_input *in = &run->inputs[i];
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

static rt_status write_html(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    const char *tmp;
    rti_report rep;
    rt_status st = rti_report_init(&rep, ctx, s->name);
    if (st == RT_OK)
        st = rti_run_add_output(ctx, run, "report.html", &tmp);
    if (st == RT_OK)
        st = overview(ctx, run, &rep);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = type_section(ctx, run, t, &rep);
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        st = region_section(ctx, run, r, &rep);
    if (st == RT_OK)
        st = inputs_section(ctx, run, &rep);
    if (st == RT_OK)
        st = rti_report_write(ctx, &rep, tmp);
    rti_report_free(&rep);
    return st;
}

rt_status rti_run_write_report(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    rt_status st = grid_styles(ctx, run);
    if (st == RT_OK && s->outputs.geopackage)
        st = gpkg_styles(ctx, run);
    if (st == RT_OK && s->outputs.report)
        st = write_html(ctx, run);
    if (st != RT_OK && st != RT_E_NOMEM && st != RT_E_CANCELLED)
        rti_error_prefix(ctx, "%s", run->opts->outdir);
    return st;
}
