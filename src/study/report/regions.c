/* The report's section per region layer: for every facility type a
 * choropleth of the mean travel time and one of the share beyond each norm
 * (the hover text names the number of inhabitants beyond it too, the
 * regions' names stand on the maps where they fit), then a sortable table
 * of every region: population, mean and p90 travel time, and per norm the
 * share and the number of inhabitants beyond it. One table per type, so
 * that a table is read without scrolling sideways. A layer of more than
 * RTI_MANY_REGIONS regions gets maps the width of the page and a table in
 * a scrolling box with a search field. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "study/report/report.h"

/* A cell with its value v (sorting) and its text. */
void rti_report_num_cell(rti_sbuf *b, double v, const char *text, const char *cls)
{
    if (isnan(v)) {
        rti_sb_put(b, "<td data-v=\"\">&ndash;</td>");
        return;
    }
    rti_sb_printf(b, "<td%s%s%s data-v=\"%.10g\">%s</td>", cls ? " class=\"" : "", cls ? cls : "",
                  cls ? "\"" : "", v, text);
}

static void table_head(rti_sbuf *b, const rti_report_view *v, int r, int t)
{
    const rt_study *s = v->study;
    const rti_language lang = RTI_LANG(v);
    const char *layer = s->regions[r].name;
    const rti_facility_type *f = &s->facilities[t];
    const int many = v->regions[r]->n > RTI_MANY_REGIONS;
    char id[160];
    snprintf(id, sizeof(id), "table-%s-%s", layer, f->type);
    if (many)
        rti_report_search_field(b, id, RTI_T(v, RTI_L_FIND), s->regions[r].label);
    rti_sb_printf(b, "<div class=\"wide%s\"><table class=\"sortable\" id=\"%s\"><caption>",
                  many ? " scroll" : "", id);
    rti_sb_label(b, RTI_T(v, RTI_L_TABLE_CAPTION), rti_type_label(f));
    rti_sb_printf(b, "</caption>\n<thead><tr><th class=\"t\" scope=\"col\">%s</th>",
                  RTI_T(v, RTI_L_TH_CODE));
    if (v->regions[r]->name)
        rti_sb_printf(b, "<th class=\"t\" scope=\"col\">%s</th>", RTI_T(v, RTI_L_TH_NAME));
    rti_sb_printf(b, "<th scope=\"col\">%s</th>", RTI_T(v, RTI_L_TH_POPULATION));
    const rti_label cols[2] = {RTI_L_TH_MEAN, RTI_L_TH_P90};
    for (int c = 0; c < 2; c++)
        rti_sb_printf(b, "<th scope=\"col\">%s<br>%s</th>", RTI_T(v, cols[c]),
                      RTI_T(v, RTI_L_UNIT_MIN));
    for (int k = 0; k < f->n_norms; k++) {
        char lab[48];
        rti_norm_text(lang, &f->norms[k], lab, sizeof(lab));
        for (int c = 0; c < 2; c++)
            rti_sb_printf(b, "<th scope=\"col\">&gt;%s<br>%s</th>", lab,
                          c ? RTI_T(v, RTI_L_INHABITANTS) : "%");
    }
    rti_sb_put(b, "</tr></thead>\n<tbody>\n");
}

void rti_report_region_cells(rti_sbuf *b, const rti_polygons *p, int64_t i)
{
    rti_sb_put(b, "<tr><td class=\"t\">");
    rti_sb_escape(b, p->id[i]);
    rti_sb_put(b, "</td>");
    if (p->name) {
        rti_sb_put(b, "<td class=\"t\">");
        rti_sb_escape(b, p->name[i]);
        rti_sb_put(b, "</td>");
    }
}

/* The two cells of a norm in a region table: the share beyond it (percent;
 * NaN: nobody lives there), coloured beyond or within, and the count
 * beyond, which sorts as the share does when there is none. */
static void beyond_cells(rti_sbuf *b, rti_language lang, double share, double n)
{
    char text[64];
    rti_report_num_cell(b, share, rti_fmt_share(lang, share, text, sizeof(text)),
                        isnan(share) ? NULL
                        : share > 0  ? "beyond"
                                     : "within");
    rti_report_num_cell(b, isnan(share) ? NAN : n, rti_fmt_count(lang, n, text, sizeof(text)),
                        NULL);
}

/* The foot of the table of type t over layer r: its regions together,
 * which the sorting leaves in place. The population and those beyond each
 * norm add up; the mean is the population-weighted mean over all of them
 * (each region's mean weighs its people with a route); the p90 does not
 * follow from the regions' and stays empty. */
static void total_row(rti_sbuf *b, const rti_report_view *v, int r, int t)
{
    const rti_language lang = RTI_LANG(v);
    const rti_polygons *polys = v->regions[r];
    const int nn = v->study->facilities[t].n_norms;
    double pop = 0, reached = 0, time_sum = 0, beyond[RT_STATS_MAX_NORMS] = {0};
    for (int64_t i = 0; i < polys->n; i++) {
        const rt_region_stats *x = &v->types[t].stats[r][i];
        if (!(x->pop_persons > 0))
            continue;
        pop += x->pop_persons;
        if (x->pop_reached_persons > 0 && isfinite(x->time_mean_s)) {
            reached += x->pop_reached_persons;
            time_sum += x->time_mean_s * x->pop_reached_persons;
        }
        for (int k = 0; k < nn; k++)
            beyond[k] += x->pop_beyond_persons[k];
    }
    char text[64];
    rti_sb_printf(b, "<tfoot><tr><th class=\"t\" scope=\"row\"%s>%s</th>",
                  polys->name ? " colspan=\"2\"" : "", RTI_T(v, RTI_L_TH_TOTAL));
    rti_report_num_cell(b, pop, rti_fmt_count(lang, pop, text, sizeof(text)), NULL);
    const double mean = reached > 0 ? time_sum / reached / 60 : NAN;
    rti_report_num_cell(
        b, mean, isnan(mean) ? "&ndash;" : rti_fmt_local(lang, "%.1f", mean, text, sizeof(text)),
        NULL);
    rti_sb_put(b, "<td></td>");
    for (int k = 0; k < nn; k++) {
        beyond_cells(b, lang, pop > 0 ? 100 * beyond[k] / pop : NAN, beyond[k]);
    }
    rti_sb_put(b, "</tr></tfoot>\n");
}

/* The table of type t over the regions of layer r. */
static void region_table(rti_sbuf *b, const rti_report_view *v, int r, int t)
{
    const rti_language lang = RTI_LANG(v);
    const rti_polygons *polys = v->regions[r];
    char text[64];
    table_head(b, v, r, t);
    for (int64_t i = 0; i < polys->n; i++) {
        rti_report_region_cells(b, polys, i);
        const rt_region_stats *x = &v->types[t].stats[r][i];
        rti_report_num_cell(b, x->pop_persons,
                            rti_fmt_count(lang, x->pop_persons, text, sizeof(text)), NULL);
        rti_report_num_cell(b, x->time_mean_s / 60,
                            rti_fmt_local(lang, "%.1f", x->time_mean_s / 60, text, sizeof(text)),
                            NULL);
        rti_report_num_cell(b, x->time_p90_s / 60,
                            rti_fmt_local(lang, "%.1f", x->time_p90_s / 60, text, sizeof(text)),
                            NULL);
        for (int k = 0; k < v->study->facilities[t].n_norms; k++) {
            beyond_cells(b, lang, 100 * x->share_beyond[k], x->pop_beyond_persons[k]);
        }
        rti_sb_put(b, "</tr>\n");
    }
    rti_sb_put(b, "</tbody>\n");
    total_row(b, v, r, t);
    rti_sb_put(b, "</table></div>\n");
}

/* The maps of type t: its mean travel time and its share beyond each norm. */
static void type_maps(rti_sbuf *b, const rti_report_state *rs, const rti_report_view *v, int r,
                      int t, const char *prefix, double w, double h, int names, double *val,
                      double *cnt, double *pop)
{
    const rti_report_type *tr = &v->types[t];
    const rti_polygons *polys = v->regions[r];
    const char *layer = v->study->regions[r].label;
    rti_classes share;
    rti_share_classes(&share);
    char title[320], extra[320];
    rti_sb_put(b, "<h3>");
    rti_sb_escape(b, rti_type_label(tr->def));
    rti_sb_put(b, "</h3>\n<div class=\"maps\">");
    for (int m = -1; m < tr->def->n_norms; m++) {
        char lab[48] = "";
        const rti_classes *c = m < 0 ? &rs->types[t].classes : &share;
        int routeless = 0; /* regions with people, none with a route: no mean */
        for (int64_t i = 0; i < polys->n; i++) {
            val[i] =
                m < 0 ? tr->stats[r][i].time_mean_s / 60 : 100 * tr->stats[r][i].share_beyond[m];
            cnt[i] = m < 0 ? NAN : tr->stats[r][i].pop_beyond_persons[m];
            pop[i] = tr->stats[r][i].pop_persons;
            routeless |= m < 0 && isnan(val[i]) && pop[i] > 0;
        }
        int at = snprintf(extra, sizeof(extra),
                          "<li><span class=\"sw\" style=\"background:#d9d9d9\"></span>%s</li>",
                          RTI_T(v, RTI_L_NO_INHABITANTS));
        if (routeless)
            snprintf(extra + at, sizeof(extra) - (size_t)at,
                     "<li><span class=\"sw\" style=\"background:" RTI_ROUTELESS_COLOUR
                     "\"></span>%s</li>",
                     RTI_T(v, RTI_L_NOBODY_ROUTE));
        if (m >= 0)
            rti_norm_text(RTI_LANG(v), &tr->def->norms[m], lab, sizeof(lab));
        if (m < 0)
            snprintf(title, sizeof(title), RTI_T(v, RTI_L_CHORO_MEAN), rti_type_label(tr->def),
                     layer);
        else
            snprintf(title, sizeof(title), RTI_T(v, RTI_L_CHORO_SHARE), rti_type_label(tr->def),
                     layer, lab);
        rti_choropleth ch = {.title = title,
                             .prefix = prefix,
                             .w = w,
                             .h = h,
                             .n = polys->n,
                             .value = val,
                             .classes = c,
                             .id = polys->id,
                             .name = polys->name,
                             .count = m < 0 ? NULL : cnt,
                             .pop = m < 0 ? pop : NULL,
                             .norm = lab,
                             .lang = RTI_LANG(v),
                             .names = names};
        rti_sb_put(b, polys->n > RTI_MANY_REGIONS ? "<figure class=\"big\">" : "<figure>");
        rti_svg_choropleth(b, &ch);
        rti_sb_put(b, "<figcaption>");
        if (m < 0)
            rti_sb_put(b, RTI_T(v, RTI_L_CAPTION_MEAN));
        else
            rti_sb_printf(b, RTI_T(v, RTI_L_CAPTION_SHARE), lab);
        rti_report_legend(b, v, c, extra);
        rti_sb_put(b, "</figcaption></figure>\n");
    }
    rti_sb_put(b, "</div>\n");
    region_table(b, v, r, t);
}

/* The inhabitants of region layer r (of the first type's statistics),
 * NaN counting as none. */
double rti_report_layer_pop(const rti_report_view *v, int r)
{
    double sum = 0;
    for (int64_t i = 0; i < v->regions[r]->n; i++) {
        const double p = v->types[0].stats[r][i].pop_persons;
        sum += isnan(p) ? 0 : p;
    }
    return sum;
}

/* How many of the grid's inhabitants layer r holds, and, for a later
 * layer whose total differs, that of the first: wijken that do not add up
 * to their gemeenten are said to, not left for the reader to find. */
static void layer_population(rti_sbuf *b, const rti_report_view *v, int r)
{
    const rt_study *s = v->study;
    if (!s->has_population || s->n_facilities == 0)
        return;
    const rti_language lang = RTI_LANG(v);
    char in[48], all[48], fmt[800];
    const double here = rti_report_layer_pop(v, r);
    snprintf(fmt, sizeof(fmt), RTI_T(v, RTI_L_REGION_POP), "%s",
             rti_fmt_count(lang, here, in, sizeof(in)),
             rti_fmt_count(lang, v->pop_on_grid, all, sizeof(all)));
    rti_sb_put(b, "<p>");
    rti_sb_label(b, fmt, s->regions[r].label);
    const double first = rti_report_layer_pop(v, 0);
    if (r > 0 && fabs(here - first) >= 0.5) {
        snprintf(fmt, sizeof(fmt), RTI_T(v, RTI_L_REGION_POP_OTHER), "%s",
                 rti_fmt_count(lang, first, in, sizeof(in)));
        rti_sb_label(b, fmt, s->regions[0].label);
    }
    rti_sb_put(b, "</p>\n");
}

rt_status rti_report_region_section(rt_ctx *ctx, const rti_report_state *rs,
                                    const rti_report_view *v, int r, rti_report *rep)
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
    const int many = polys->n > RTI_MANY_REGIONS;
    /* two maps side by side (about 520 px each on a page of 1100 px), or
     * one the width of the page; names of about 11 px either way */
    rti_svg_fit(polys->bbox, many ? 1000 : 540, &tf, &w, &h);
    int names = 0;
    rt_status st = rti_svg_region_defs(ctx, &b, polys, prefix, &tf, many ? 11 : 12, &names);
    layer_population(&b, v, r);
    double *val = rti_malloc_array(ctx, polys->n + 1, sizeof(double), "choropleth");
    double *cnt = rti_malloc_array(ctx, polys->n + 1, sizeof(double), "choropleth");
    double *pop = rti_malloc_array(ctx, polys->n + 1, sizeof(double), "choropleth");
    if (!val || !cnt || !pop)
        st = RT_E_NOMEM;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        type_maps(&b, rs, v, r, t, prefix, w, h, names, val, cnt, pop);
    free(val);
    free(cnt);
    free(pop);
    if (st == RT_OK) {
        rti_sb_printf(&b, "<p class=\"note\">%s</p>\n", RTI_T(v, RTI_L_TABLE_NOTE));
        char id[96];
        snprintf(id, sizeof(id), "regions-%s", layer);
        snprintf(title, sizeof(title), RTI_T(v, RTI_L_REGION_TITLE), s->regions[r].label);
        return rti_report_add(rep, id, title, &b);
    }
    rti_sb_free(&b);
    return st;
}
