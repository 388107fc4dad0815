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

#include "study/report/report.h"

/* ---- the document ---- */

rt_status rti_report_init(rti_report *r, rt_ctx *ctx, const char *title)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    r->title = rti_strdup(ctx, title, "report title");
    if (!r->title)
        return RT_E_NOMEM;
    return RT_OK;
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
    s->id = rti_strdup(r->ctx, id, "report text");
    s->title = rti_strdup(r->ctx, title, "report text");
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
    "margin-top:2em}h3{margin:1.4em 0 .4em}nav ol{columns:2;column-gap:3em;padding-left:1.2em}"
    "nav li{break-inside:avoid}"
    "table{border-collapse:collapse;font-size:.88em;margin:.6em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .45em;text-align:right;vertical-align:top}"
    "th{background:#f2f2f2}td.t,th.t{text-align:left}tfoot td,tfoot th{font-weight:700;"
    "border-top:2px solid #888}"
    "table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:' "
    "\\25B2'}"
    "table.sortable th[aria-sort=descending]::after{content:' \\25BC'}"
    "td.beyond{background:#fbd5c0;font-weight:600}td.within{background:#e6f2e6}"
    "code{font-size:.85em;word-break:break-all}.wide{overflow-x:auto}svg.defs{position:absolute}"
    ".scroll{max-height:36em;overflow-y:auto}.scroll thead th{position:sticky;top:0}"
    "input.filter{font:inherit;padding:.2em .4em;width:min(24em,100%)}"
    ".mapbox{position:relative;max-width:100%}.mapbox img{display:block;width:100%;height:auto}"
    ".mapbox img.px{image-rendering:pixelated}"
    ".overlay{position:absolute;left:0;top:0;width:100%;height:100%}"
    ".overlay text{font-family:inherit}"
    ".lab text,.names text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;"
    "fill:#111;pointer-events:none}.names text{font-style:italic;fill:#333}"
    "figure{margin:1em 0}figcaption{font-size:.9em;color:#333}"
    ".legend{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:.2em 1em}"
    ".legend li{display:flex;align-items:center;gap:.35em;font-size:.88em}"
    ".legend li.norm{font-weight:700}"
    ".sw{display:inline-block;width:1.4em;height:.95em;border:1px solid #888}"
    ".maps{display:flex;flex-wrap:wrap;gap:1em}.maps figure{flex:1 1 400px;max-width:540px;"
    "margin:0}.maps figure.big{flex-basis:100%;max-width:none}"
    "svg.choro{width:100%;height:auto;background:#fafafa}"
    "svg.hist{width:100%;max-width:640px;height:auto}svg.hist .ax{font-size:11px;fill:#333}"
    "svg.hist .cum{fill:#b2182b}svg.hist .cumline{fill:none;stroke:#b2182b;stroke-width:2}"
    "svg.hist .norm{stroke:#000;stroke-dasharray:4 3}"
    ".attr{font-size:.8em;color:#555}.note{font-size:.9em;color:#444}"
    "p.warn{font-weight:600;border-left:4px solid #d6604d;padding-left:.5em}"
    "p.key{font-weight:600;margin-bottom:.2em}ul.key{font-size:1.05em;margin-top:0}"
    "ul.key li{margin:.25em 0}"
    "ul.warn{font-size:.9em}ul.warn li{margin:.2em 0}"
    /* on paper: every row of the long tables (no scroll box), no search
     * fields or sort marks, figures and rows not split over pages; the
     * script opens the folded lists before printing */
    "@media print{body{max-width:none;padding:0}.scroll{max-height:none;overflow:visible}"
    ".scroll thead th{position:static}input.filter{display:none}"
    "table.sortable th::after{content:none!important}figure,tr,.legend{break-inside:avoid}"
    "h2,h3{break-after:avoid}.wide{overflow:visible}}";

/* Sorting of the tables: click (or Enter) on a column heading; the search
 * field of a long table shows only the rows whose code or name holds its
 * text. */
static const char report_js[] =
    "(function(){'use strict';"
    "function key(td){var v=td.getAttribute('data-v');"
    "if(v===null)return td.textContent;return v===''?NaN:parseFloat(v);}"
    "function cmp(x,y){if(typeof x==='number'&&typeof y==='number'){"
    "if(isNaN(x))return isNaN(y)?0:1;if(isNaN(y))return -1;return x-y;}"
    "return String(x).localeCompare(String(y));}"
    "function nan(x){return typeof x==='number'&&isNaN(x);}"
    "var tables=document.querySelectorAll('table.sortable');"
    "Array.prototype.forEach.call(tables,function(t){"
    "var ths=t.tHead.rows[0].cells;"
    "Array.prototype.forEach.call(ths,function(th,i){th.tabIndex=0;"
    "function sort(){var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;"
    "Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
    "var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);"
    "rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]),c=cmp(x,y);"
    "return nan(x)||nan(y)?c:c*dir;});"
    "rows.forEach(function(r){body.appendChild(r);});}"
    "th.addEventListener('click',sort);"
    "th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){"
    "e.preventDefault();sort();}});});"
    "t.setAttribute('data-sortable','ready');});"
    "Array.prototype.forEach.call(document.querySelectorAll('input.filter'),function(f){"
    "var t=document.getElementById(f.getAttribute('data-table'));if(!t)return;"
    "f.addEventListener('input',function(){var q=f.value.toLowerCase();"
    "Array.prototype.forEach.call(t.tBodies[0].rows,function(r){"
    "var hit=Array.prototype.some.call(r.querySelectorAll('td.t'),function(c){"
    "return c.textContent.toLowerCase().indexOf(q)>=0;});r.hidden=q!==''&&!hit;});});});"
    "window.addEventListener('beforeprint',function(){"
    "Array.prototype.forEach.call(document.querySelectorAll('details'),function(d){"
    "d.open=true;});"
    "Array.prototype.forEach.call(document.querySelectorAll('input.filter'),function(f){"
    "f.value='';});"
    "Array.prototype.forEach.call(document.querySelectorAll('tr[hidden]'),function(r){"
    "r.hidden=false;});});})();";

rt_status rti_write_text(rt_ctx *ctx, const char *path, const char *name, const char *text)
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
    rti_sb_printf(&b,
                  "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>",
                  r->lang == RTI_LANG_NL ? "nl" : "en");
    rti_sb_escape(&b, r->title);
    rti_sb_put(&b, "</title>\n<style>");
    rti_sb_put(&b, report_css);
    rti_sb_put(&b, "</style>\n</head>\n<body>\n<header>\n<h1>");
    rti_sb_escape(&b, r->title);
    rti_sb_put(&b, "</h1>\n");
    rti_sb_put(&b, r->intro);
    rti_sb_printf(&b, "</header>\n<nav aria-label=\"%s\">\n<ol>\n",
                  rti_label_text(r->lang, RTI_L_CONTENTS));
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
    rti_sb_put(&b, "</main>\n<footer class=\"note\"><p>");
    rti_sb_printf(&b, rti_label_text(r->lang, RTI_L_MADE_WITH), rt_version());
    rti_sb_put(&b, "</p></footer>\n");
    rti_sb_put(&b, "<script>");
    rti_sb_put(&b, report_js);
    rti_sb_put(&b, "</script>\n</body>\n</html>\n");
    char *text = rti_sb_take(&b);
    if (!text)
        return RT_E_NOMEM;
    const char *slash = strrchr(path, '/');
    rt_status st = rti_write_text(ctx, path, slash ? slash + 1 : path, text);
    free(text);
    return st;
}
