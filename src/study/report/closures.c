/* The report's section "Sensitive facilities" (gevoelige voorzieningen):
 * per facility type the facilities whose closure alone pushes the most
 * people beyond a norm, from the run's N-1 table (outputs.closures). */
#include <math.h>
#include <stdio.h>

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

static void type_table(rti_sbuf *b, const rti_report_type *tr)
{
    const rti_facility_type *f = tr->def;
    rt_norm norms[RT_STATS_MAX_NORMS];
    int nn = rti_closure_norms(f->norms, f->n_norms, norms);
    rti_sb_put(b, "<h3>");
    rti_sb_escape(b, f->label ? f->label : f->type);
    rti_sb_put(b, "</h3>\n<div class=\"wide\"><table><thead><tr>"
                  "<th class=\"t\" scope=\"col\">Facility</th>"
                  "<th scope=\"col\">Population served</th>"
                  "<th scope=\"col\">Added time if closed (mean, min)</th>");
    for (int k = 0; k < nn; k++) {
        char lab[32];
        rti_norm_label(&norms[k], lab, sizeof(lab));
        rti_sb_printf(b, "<th scope=\"col\">Pushed beyond %s</th>", lab);
    }
    rti_sb_put(b, "<th scope=\"col\">Without an alternative</th>"
                  "<th class=\"t\" scope=\"col\">Taken over by</th></tr></thead><tbody>\n");
    int64_t n = tr->pts->n < TOP ? tr->pts->n : TOP;
    for (int64_t j = 0; j < n; j++) {
        int64_t i = tr->closure_order[j];
        const rti_closure_row *row = &tr->closures[i];
        rti_sb_put(b, "<tr>");
        facility_cell(b, tr->pts, i);
        rti_sb_printf(b, "<td>%.0f</td>", row->pop_served_persons);
        if (isnan(row->time_added_mean_s))
            rti_sb_put(b, "<td>&ndash;</td>");
        else
            rti_sb_printf(b, "<td>%.1f</td>", row->time_added_mean_s / 60);
        for (int k = 0; k < nn; k++)
            rti_sb_printf(b, "<td%s>%.0f</td>",
                          row->beyond_added_persons[k] > 0 ? " class=\"beyond\"" : "",
                          row->beyond_added_persons[k]);
        rti_sb_printf(b, "<td>%.0f</td>", row->pop_no_alternative_persons);
        facility_cell(b, tr->pts, row->takeover);
        rti_sb_put(b, "</tr>\n");
    }
    rti_sb_put(b, "</tbody></table></div>\n");
}

rt_status rti_report_closures_section(rt_ctx *ctx, const rti_report_view *v, rti_report *rep)
{
    const rt_study *s = v->study;
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_printf(&b,
                  "<p>What closing one facility alone does (N&minus;1): the people for whom it "
                  "is the nearest move to their second-nearest facility, or have none left. "
                  "Listed per type: the %d facilities whose closure alone pushes the most "
                  "people beyond the first norm (then those serving the most people). "
                  "&ldquo;Pushed beyond&rdquo; counts the people within the norm now and "
                  "beyond it once the facility is closed; the added time is the mean over "
                  "those who have an alternative. Every facility, and per region who is "
                  "pushed beyond, is in <code>&lt;type&gt;_closures.csv</code> and "
                  "<code>&lt;type&gt;_closures_&lt;region&gt;.csv</code>.</p>\n",
                  TOP);
    for (int t = 0; t < s->n_facilities; t++)
        if (v->types[t].closures)
            type_table(&b, &v->types[t]);
    return rti_report_add(rep, "closures", "Sensitive facilities (gevoelige voorzieningen)", &b);
}
