/* The facilities of each type in the report: over the type's map a hover
 * text on every facility used and its name where it fits; below it a
 * sentence per count of the facilities moved and left out, and a table of
 * every facility with what became of it (used, moved by how far, left out
 * and why). A facility left out lies outside the study extent, or within
 * it with no place to start (no passable cell within snap_radius_m, no
 * road within reach): the run logs the same two groups. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/report/report.h"

typedef enum fac_status { FAC_USED, FAC_MOVED, FAC_OUTSIDE, FAC_NO_START } fac_status;

/* A distance a facility was moved, in metres: whole from 10 m, one
 * decimal below (0.3), "<0.1" below 0.05 m: a facility moved never reads
 * as moved 0 m. */
static const char *moved_text(rti_language lang, double m, char *buf, size_t n)
{
    if (m >= 9.5)
        return rti_fmt_local(lang, "%.0f", m, buf, n);
    if (m >= 0.05)
        return rti_fmt_local(lang, "%.1f", m, buf, n);
    char num[16];
    snprintf(buf, n, "&lt;%s", rti_fmt_local(lang, "%.1f", 0.1, num, sizeof(num)));
    return buf;
}

static fac_status status_of(const rti_report_view *v, const rti_report_type *tr, int64_t i)
{
    if (tr->cell[i] >= 0)
        return tr->snap_m && tr->snap_m[i] > 0 ? FAC_MOVED : FAC_USED;
    /* outside as the run's log counts them */
    return rti_study_start_outside(v->study, v->grid, tr->pts->x[i], tr->pts->y[i]) ? FAC_OUTSIDE
                                                                                    : FAC_NO_START;
}

/* The name of facility i, else its id. */
static const char *display_name(const rti_points *pts, int64_t i)
{
    return pts->name && pts->name[i] && *pts->name[i] ? pts->name[i] : pts->id[i];
}

/* ---- over the map ---- */

/* The hover text of facility i: its name and id, or its id. */
static void hover_text(rti_sbuf *b, const rti_points *pts, int64_t i)
{
    rti_sb_escape(b, display_name(pts, i));
    if (pts->name && pts->name[i] && *pts->name[i]) {
        rti_sb_put(b, " (");
        rti_sb_escape(b, pts->id[i]);
        rti_sb_put(b, ")");
    }
}

/* A cross of half-width r pixels over each facility of fac->crossed with
 * a crossed_cell, kept in pl, white under black so that it shows on any
 * colour, with its name and id as hover text. */
static void crosses(rti_sbuf *b, const rti_map_frame *f, const rti_report_view *v,
                    const rti_map_facilities *fac, double r, rti_placer *pl)
{
    const rti_points *pts = fac->crossed;
    rti_sb_put(b, "<g class=\"closed\" fill=\"none\">");
    for (int64_t i = 0; pts && i < pts->n; i++) {
        if (fac->crossed_cell[i] < 0)
            continue;
        double x, y;
        rti_grid_centre(v->grid, fac->crossed_cell[i], &x, &y);
        const double px = (x - f->x0) / f->px_m, py = (f->y1 - y) / f->px_m;
        rti_box m = {px - r, py - r, px + r, py + r};
        rti_placer_keep(pl, &m);
        char d[160];
        snprintf(d, sizeof(d), "M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f", px - r, py - r, px + r,
                 py + r, px - r, py + r, px + r, py - r);
        rti_sb_printf(b,
                      "<path d=\"%s\" stroke=\"#fff\" stroke-width=\"3.5\"/>"
                      "<path d=\"%s\" stroke=\"#000\" stroke-width=\"1.5\"><title>",
                      d, d);
        hover_text(b, pts, i);
        rti_sb_put(b, "</title></path>");
    }
    rti_sb_put(b, "</g>");
}

rt_status rti_report_map_marks(rt_ctx *ctx, rti_sbuf *b, const rti_map_frame *f,
                               const rti_report_view *v, const rti_map_facilities *fac)
{
    const rti_points *pts = fac->pts;
    const int64_t *cell = fac->cell;
    const int64_t n = pts->n, n_crossed = fac->crossed ? fac->crossed->n : 0;
    const rti_polygons *regions = v->study->n_regions > 0 ? v->regions[0] : NULL;
    const int64_t n_names = regions && regions->name ? regions->n : 0;
    rti_box *taken =
        rti_malloc_array(ctx, 2 * n + n_crossed + n_names + 2, sizeof(*taken), "map labels");
    double *px = rti_malloc_array(ctx, n + 1, sizeof(double), "map labels");
    double *py = rti_malloc_array(ctx, n + 1, sizeof(double), "map labels");
    if (!taken || !px || !py) {
        free(taken);
        free(px);
        free(py);
        return RT_E_NOMEM;
    }
    rti_placer pl = {taken, 0, (int)(2 * n + n_crossed + n_names + 2)};
    rti_svg_map_overlay(b, f, RTI_LANG(v), &pl);
    const double u = (f->width > f->height ? f->width : f->height) / 60.0;
    const double fs = 0.95 * u, r = 5; /* the markers are 4 px in radius (io/render.c) */
    /* every marker is taken first, so that no name covers one */
    if (n_crossed)
        crosses(b, f, v, fac, r - 1, &pl);
    rti_sb_put(b, "<g class=\"marks\" fill=\"#000\" fill-opacity=\"0\">");
    for (int64_t i = 0; i < n; i++) {
        if (cell[i] < 0)
            continue;
        double x, y;
        rti_grid_centre(v->grid, cell[i], &x, &y);
        px[i] = (x - f->x0) / f->px_m;
        py[i] = (f->y1 - y) / f->px_m;
        rti_box m = {px[i] - r, py[i] - r, px[i] + r, py[i] + r};
        rti_placer_keep(&pl, &m);
        rti_sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%g\"><title>", px[i], py[i], r);
        hover_text(b, pts, i);
        rti_sb_put(b, "</title></circle>");
    }
    rti_sb_put(b, "</g><g class=\"lab\">");
    /* then the names (not ids: a code on the map tells a reader little),
     * right of the marker, else left, above or below */
    const rti_box frame = {0, 0, f->width, f->height};
    for (int64_t i = 0; i < n; i++) {
        if (cell[i] < 0 || !pts->name || !pts->name[i] || !*pts->name[i])
            continue;
        const char *name = pts->name[i];
        const double gap = r + 0.2 * u;
        const struct {
            double x, y;
            char anchor;
        } at[4] = {{px[i] + gap, py[i] + 0.3 * fs, 's'},
                   {px[i] - gap, py[i] + 0.3 * fs, 'e'},
                   {px[i], py[i] - gap - 0.25 * fs, 'm'},
                   {px[i], py[i] + gap + 0.8 * fs, 'm'}};
        for (int k = 0; k < 4; k++) {
            rti_box box = rti_text_box(name, at[k].x, at[k].y, fs, at[k].anchor);
            if (!rti_placer_try(&pl, &box, &frame))
                continue;
            rti_sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"%s>", at[k].x, at[k].y,
                          fs,
                          at[k].anchor == 's'   ? ""
                          : at[k].anchor == 'e' ? " text-anchor=\"end\""
                                                : " text-anchor=\"middle\"");
            rti_sb_escape(b, name);
            rti_sb_put(b, "</text>");
            break;
        }
    }
    rti_sb_put(b, "</g>");
    /* last the names of the regions whose borders the map draws, where
     * they fit clear of the facilities and their names */
    rt_status st = RT_OK;
    if (n_names) {
        const rti_svg_tf tf = {f->x0, f->y1, 1.0 / f->px_m, 0};
        rti_sb_put(b, "<g class=\"names\">");
        st = rti_svg_region_names(ctx, b, regions, &tf, fs, &pl);
        rti_sb_put(b, "</g>");
    }
    rti_sb_put(b, "</svg>");
    free(taken);
    free(px);
    free(py);
    return st != RT_OK ? st : b->failed ? RT_E_NOMEM : RT_OK;
}

/* ---- the table ---- */

static void facility_rows(rti_sbuf *b, const rti_report_view *v, const rti_report_type *tr,
                          int left_out)
{
    const rti_language lang = RTI_LANG(v);
    const rti_points *pts = tr->pts;
    char num[48], text[160];
    for (int64_t i = 0; i < pts->n; i++) {
        fac_status st = status_of(v, tr, i);
        if ((st == FAC_OUTSIDE || st == FAC_NO_START) != left_out)
            continue;
        rti_sb_put(b, "<tr>");
        if (pts->name) {
            rti_sb_put(b, "<td class=\"t\">");
            rti_sb_escape(b, pts->name[i] ? pts->name[i] : "");
            rti_sb_put(b, "</td>");
        }
        rti_sb_put(b, "<td class=\"t\">");
        rti_sb_escape(b, pts->id[i]);
        rti_sb_put(b, "</td><td class=\"t\">");
        if (st == FAC_MOVED) {
            snprintf(text, sizeof(text), RTI_T(v, RTI_L_ST_MOVED),
                     moved_text(lang, tr->snap_m[i], num, sizeof(num)));
            rti_sb_put(b, text);
        } else {
            static const rti_label key[] = {RTI_L_ST_USED, RTI_L_ST_USED, RTI_L_ST_OUTSIDE,
                                            RTI_L_ST_NO_START};
            rti_sb_put(b, RTI_T(v, key[st]));
        }
        rti_sb_put(b, "</td></tr>\n");
    }
}

/* The table of the facilities used (left_out 0) or left out of type t, n
 * rows; more than RTI_MANY_REGIONS in a scrolling box with a search field. */
static void facility_table(rti_sbuf *b, const rti_report_view *v, int t, int left_out, int64_t n)
{
    const rti_report_type *tr = &v->types[t];
    char id[128];
    snprintf(id, sizeof(id), "facilities-%s-%s", tr->def->type, left_out ? "left-out" : "used");
    const int many = n > RTI_MANY_REGIONS;
    if (many)
        rti_report_search_field(b, id, RTI_T(v, RTI_L_FIND_FACILITY), "");
    rti_sb_printf(b, "<div class=\"wide%s\"><table class=\"sortable\" id=\"%s\"><thead><tr>",
                  many ? " scroll" : "", id);
    if (tr->pts->name)
        rti_sb_printf(b, "<th class=\"t\" scope=\"col\">%s</th>", RTI_T(v, RTI_L_TH_NAME));
    rti_sb_printf(b,
                  "<th class=\"t\" scope=\"col\">%s</th><th class=\"t\" scope=\"col\">%s</th>"
                  "</tr></thead><tbody>\n",
                  RTI_T(v, RTI_L_TH_CODE), RTI_T(v, RTI_L_TH_STATUS));
    facility_rows(b, v, tr, left_out);
    rti_sb_put(b, "</tbody></table></div>\n");
}

void rti_report_facilities(rti_sbuf *b, const rti_report_view *v, int t)
{
    const rt_study *s = v->study;
    const rti_language lang = RTI_LANG(v);
    const rti_report_type *tr = &v->types[t];
    int64_t count[4] = {0};
    double moved_max = 0;
    for (int64_t i = 0; i < tr->pts->n; i++) {
        fac_status st = status_of(v, tr, i);
        count[st]++;
        if (st == FAC_MOVED && tr->snap_m[i] > moved_max)
            moved_max = tr->snap_m[i];
    }
    char a[48], c[48];
    rti_sb_printf(b, "<h3>%s</h3>\n<p>", RTI_T(v, RTI_L_FAC_HEADING));
    rti_sb_printf(b, RTI_T(v, RTI_L_FAC_USED), (long long)count[FAC_USED] + count[FAC_MOVED],
                  (long long)tr->pts->n);
    if (count[FAC_MOVED])
        rti_sb_printf(b, RTI_T(v, RTI_L_FAC_MOVED), moved_text(lang, moved_max, a, sizeof(a)),
                      (long long)count[FAC_MOVED]);
    if (count[FAC_OUTSIDE] && s->has_extent)
        rti_sb_printf(b, RTI_T(v, RTI_L_FAC_OUTSIDE_FIXED), (long long)count[FAC_OUTSIDE]);
    else if (count[FAC_OUTSIDE] && s->buffer_m > 0)
        rti_sb_printf(b, RTI_T(v, RTI_L_FAC_OUTSIDE),
                      rti_fmt_local(lang, "%g", s->buffer_m / 1000, a, sizeof(a)),
                      (long long)count[FAC_OUTSIDE]);
    else if (count[FAC_OUTSIDE])
        rti_sb_printf(b, RTI_T(v, RTI_L_FAC_OUTSIDE_BBOX), (long long)count[FAC_OUTSIDE]);
    if (count[FAC_NO_START]) {
        /* within reach: of a cell by the snap radius, of a road by the access
         * distance, on a hybrid medium either */
        const rti_medium_kind kind = s->medium.kind;
        char reach[160] = "", part[80];
        if (kind != RTI_MEDIUM_NETWORK)
            snprintf(reach, sizeof(reach), RTI_T(v, RTI_L_REACH_SNAP),
                     rti_fmt_local(lang, "%g", s->snap_radius_m, c, sizeof(c)));
        if (kind == RTI_MEDIUM_NETWORK || kind == RTI_MEDIUM_HYBRID) {
            snprintf(part, sizeof(part), RTI_T(v, RTI_L_REACH_ACCESS),
                     rti_fmt_local(lang, "%g", s->medium.access_max_m, c, sizeof(c)));
            snprintf(reach + strlen(reach), sizeof(reach) - strlen(reach), "%s%s",
                     *reach ? ", " : "", part);
        }
        rti_sb_printf(b, RTI_T(v, RTI_L_FAC_NO_START), reach, (long long)count[FAC_NO_START]);
    }
    rti_sb_put(b, "</p>\n");
    if (count[FAC_USED] + count[FAC_MOVED])
        facility_table(b, v, t, 0, count[FAC_USED] + count[FAC_MOVED]);
    if (count[FAC_OUTSIDE] + count[FAC_NO_START]) {
        rti_sb_put(b, "<details><summary>");
        rti_sb_printf(b, RTI_T(v, RTI_L_FAC_LEFT_OUT_LIST),
                      (long long)count[FAC_OUTSIDE] + count[FAC_NO_START]);
        rti_sb_put(b, "</summary>\n");
        facility_table(b, v, t, 1, count[FAC_OUTSIDE] + count[FAC_NO_START]);
        rti_sb_put(b, "</details>\n");
    }
}
