/* The report's section "Sensitive facilities" (gevoelige voorzieningen):
 * per facility type the facilities whose closure alone pushes the most
 * people beyond a norm, from the run's N-1 table (outputs.closures). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "study/report/report.h"

#define TOP 10 /* facilities listed per type */

static void facility_cell(rti_sbuf *b, const rti_points *pts, int64_t i)
{
    rti_sb_put(b, "<td class=\"t\">");
    if (i < 0) {
        rti_sb_put(b, "&ndash;</td>");
        return;
    }
    rti_sb_escape(b, pts->id[i]);
    if (pts->name && pts->name[i] && *pts->name[i]) {
        rti_sb_put(b, " ");
        rti_sb_escape(b, pts->name[i]);
    }
    rti_sb_put(b, "</td>");
}

/* The files of the type's N-1 table: "Every facility: a_closures.csv;
 * per region: a_closures_gemeente.csv, a_closures_wijk.csv." */
static void files(rti_sbuf *b, const rti_report_view *v, const rti_report_type *tr)
{
    const rt_study *s = v->study;
    const int t = (int)(tr - v->types);
    char name[300];
    rti_sbuf all, per;
    rti_sb_init(&all, b->ctx);
    rti_sb_init(&per, b->ctx);
    rti_closures_file(s, t, -1, "csv", name, sizeof(name));
    rti_sb_put(&all, "<code>");
    rti_sb_escape(&all, name);
    rti_sb_put(&all, "</code>");
    for (int r = 0; r < s->n_regions; r++) {
        rti_closures_file(s, t, r, "csv", name, sizeof(name));
        rti_sb_put(&per, r ? ", <code>" : "<code>");
        rti_sb_escape(&per, name);
        rti_sb_put(&per, "</code>");
    }
    char *a = rti_sb_take(&all), *p = rti_sb_take(&per);
    if (a && p) {
        rti_sb_put(b, "<p class=\"note\">");
        rti_sb_printf(b, RTI_T(v, RTI_L_CLOSURES_FILES), a, p);
        rti_sb_put(b, "</p>\n");
    } else {
        b->failed = 1; /* out of memory: the section fails with it */
    }
    free(a);
    free(p);
}

static void type_table(rti_sbuf *b, const rti_report_view *v, const rti_report_type *tr)
{
    const rti_facility_type *f = tr->def;
    const rti_language lang = RTI_LANG(v);
    rt_norm norms[RT_STATS_MAX_NORMS];
    int nn = rti_closure_norms(f->norms, f->n_norms, norms);
    char a[64];
    rti_sb_put(b, "<h3>");
    rti_sb_escape(b, rti_type_label(f));
    rti_sb_printf(b,
                  "</h3>\n<div class=\"wide\"><table><thead><tr>"
                  "<th class=\"t\" scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th>",
                  RTI_T(v, RTI_L_TH_FACILITY), RTI_T(v, RTI_L_TH_SERVED), RTI_T(v, RTI_L_TH_ADDED));
    for (int k = 0; k < nn; k++) {
        char lab[48];
        rti_norm_text(lang, &norms[k], lab, sizeof(lab));
        rti_sb_put(b, "<th scope=\"col\">");
        rti_sb_printf(b, RTI_T(v, RTI_L_TH_PUSHED), lab);
        rti_sb_put(b, "</th>");
    }
    rti_sb_printf(b,
                  "<th scope=\"col\">%s</th><th class=\"t\" scope=\"col\">%s</th></tr></thead>"
                  "<tbody>\n",
                  RTI_T(v, RTI_L_TH_NO_ALTERNATIVE), RTI_T(v, RTI_L_TH_TAKEN_OVER));
    int64_t n = tr->pts->n < TOP ? tr->pts->n : TOP;
    for (int64_t j = 0; j < n; j++) {
        int64_t i = tr->closure_order[j];
        const rti_closure_row *row = &tr->closures[i];
        rti_sb_put(b, "<tr>");
        facility_cell(b, tr->pts, i);
        rti_sb_printf(b, "<td>%s</td>", rti_fmt_count(lang, row->pop_served_persons, a, sizeof(a)));
        if (isnan(row->time_added_mean_s))
            rti_sb_put(b, "<td>&ndash;</td>");
        else
            rti_sb_printf(b, "<td>%s</td>",
                          rti_fmt_local(lang, "%.1f", row->time_added_mean_s / 60, a, sizeof(a)));
        for (int k = 0; k < nn; k++)
            rti_sb_printf(b, "<td%s>%s</td>",
                          row->beyond_added_persons[k] > 0 ? " class=\"beyond\"" : "",
                          rti_fmt_count(lang, row->beyond_added_persons[k], a, sizeof(a)));
        rti_sb_printf(b, "<td>%s</td>",
                      rti_fmt_count(lang, row->pop_no_alternative_persons, a, sizeof(a)));
        facility_cell(b, tr->pts, row->takeover);
        rti_sb_put(b, "</tr>\n");
    }
    rti_sb_put(b, "</tbody></table></div>\n");
    files(b, v, tr);
}

rt_status rti_report_closures_section(rt_ctx *ctx, const rti_report_view *v, rti_report *rep)
{
    const rt_study *s = v->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_put(&b, "<p>");
    rti_sb_printf(&b, RTI_T(v, RTI_L_CLOSURES_INTRO), TOP);
    rti_sb_put(&b, "</p>\n");
    for (int t = 0; t < s->n_facilities; t++)
        if (v->types[t].closures)
            type_table(&b, v, &v->types[t]);
    return rti_report_add(rep, "closures", RTI_T(v, RTI_L_CLOSURES), &b);
}
