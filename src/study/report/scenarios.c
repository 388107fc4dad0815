/* The report's section "Scenarios": per scenario its headline per facility
 * type it changes (people worse and better off, newly beyond each norm,
 * summed over the first region layer) and the regions of that layer with
 * a change, the largest first (docs/outputs.md, "report.html"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "study/report/report.h"

#define TOP 15 /* regions listed per scenario */

/* One row of a scenario's table: region i of the first layer, type k. */
typedef struct impact {
    int64_t region;
    int k;
    double newly_beyond; /* over the norms */
    double worse, better, mean_delta_s;
} impact;

/* The largest impact first: newly beyond, then worse off, then better
 * off, then the change of the mean time; then region and type order. */
static int impact_cmp(const void *pa, const void *pb)
{
    const impact *a = pa, *b = pb;
    const double ka[4] = {a->newly_beyond, a->worse, a->better, fabs(a->mean_delta_s)};
    const double kb[4] = {b->newly_beyond, b->worse, b->better, fabs(b->mean_delta_s)};
    for (int j = 0; j < 4; j++)
        if (ka[j] != kb[j])
            return ka[j] > kb[j] ? -1 : 1;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

/* Sums of the comparison over the regions of the first layer. */
static void headline(rti_sbuf *b, const rti_report_view *v, const rti_report_scenario *sc,
                     const rti_report_scen_type *ty, int64_t n_regions)
{
    const rti_language lang = RTI_LANG(v);
    const rti_facility_type *f = &v->study->facilities[ty->t];
    const int nn = f->n_norms, w = 2 * nn + 2;
    double sum[2 * RT_STATS_MAX_NORMS + 2] = {0};
    for (int64_t r = 0; r < n_regions; r++)
        for (int j = 0; j < w; j++)
            sum[j] += ty->cmp[r * w + j];
    char worse[48], better[48], thr[48], line[512];
    rti_fmt_count(lang, sum[2 * nn + 1], worse, sizeof(worse));
    rti_fmt_count(lang, sum[2 * nn], better, sizeof(better));
    rti_fmt_local(lang, "%g", sc->def->compare_threshold_s / 60, thr, sizeof(thr));
    snprintf(line, sizeof(line), RTI_T(v, RTI_L_SCEN_HEADLINE), rti_type_label(f), worse, thr,
             better);
    rti_sb_put(b, "<li>");
    rti_sb_escape(b, line);
    for (int k = 0; k < nn; k++) {
        char n[48], lab[48];
        rti_fmt_count(lang, sum[2 * k], n, sizeof(n));
        rti_norm_text(lang, &f->norms[k], lab, sizeof(lab));
        snprintf(line, sizeof(line), RTI_T(v, RTI_L_SCEN_NEWLY), n, lab);
        rti_sb_put(b, k ? ", " : "; ");
        rti_sb_escape(b, line);
    }
    /* people added or removed count as well: the change of those beyond */
    for (int k = 0; sc->population_changed && k < nn; k++) {
        char n[48], lab[48];
        double d = 0;
        for (int64_t r = 0; r < n_regions; r++)
            d += ty->stats[0][r].pop_beyond_persons[k] -
                 v->types[ty->t].stats[0][r].pop_beyond_persons[k];
        rti_fmt_count(lang, fabs(d), n, sizeof(n));
        char signed_n[56];
        snprintf(signed_n, sizeof(signed_n), "%s%s", d < 0 ? "\xe2\x88\x92" : "+", n);
        rti_norm_text(lang, &f->norms[k], lab, sizeof(lab));
        snprintf(line, sizeof(line), RTI_T(v, RTI_L_SCEN_BEYOND_CHANGE), lab, signed_n);
        rti_sb_put(b, "; ");
        rti_sb_escape(b, line);
    }
    rti_sb_put(b, "</li>\n");
}

static void table_head(rti_sbuf *b, const rti_report_view *v, int nn, const rt_norm *norms)
{
    const rti_language lang = RTI_LANG(v);
    rti_sb_printf(b,
                  "<div class=\"wide\"><table class=\"sortable\"><thead><tr>"
                  "<th class=\"t\" scope=\"col\">%s</th>"
                  "<th class=\"t\" scope=\"col\">%s</th><th scope=\"col\">%s</th>",
                  RTI_T(v, RTI_L_TH_NAME), RTI_T(v, RTI_L_TH_MEAN_AB), "&Delta;");
    for (int k = 0; k < nn; k++) {
        char lab[48];
        rti_norm_text(lang, &norms[k], lab, sizeof(lab));
        rti_sb_put(b, "<th scope=\"col\">");
        rti_sb_label(b, RTI_T(v, RTI_L_TH_NEWLY_BEYOND), lab);
        rti_sb_put(b, "</th>");
    }
    rti_sb_printf(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>\n",
                  RTI_T(v, RTI_L_TH_WORSE_OFF), RTI_T(v, RTI_L_TH_BETTER_OFF));
}

static void table_row(rti_sbuf *b, const rti_report_view *v, const rti_report_scenario *sc,
                      const impact *m)
{
    const rti_language lang = RTI_LANG(v);
    const rti_polygons *rg = v->regions[0];
    const rti_report_scen_type *ty = &sc->types[m->k];
    const rti_facility_type *f = &v->study->facilities[ty->t];
    const rt_region_stats *a = &v->types[ty->t].stats[0][m->region];
    const rt_region_stats *bs = &ty->stats[0][m->region];
    const int w = 2 * f->n_norms + 2;
    const double *c = ty->cmp + m->region * w;
    char x[48], y[48];
    rti_sb_put(b, "<tr><td class=\"t\">");
    rti_sb_escape(b, rg->name && rg->name[m->region] && *rg->name[m->region] ? rg->name[m->region]
                                                                             : rg->id[m->region]);
    rti_sb_printf(
        b, "</td><td class=\"t\">%s &rarr; %s</td>",
        isnan(a->time_mean_s) ? "&ndash;"
                              : rti_fmt_local(lang, "%.1f", a->time_mean_s / 60, x, sizeof(x)),
        isnan(bs->time_mean_s) ? "&ndash;"
                               : rti_fmt_local(lang, "%.1f", bs->time_mean_s / 60, y, sizeof(y)));
    rti_sb_printf(b, "<td>%s</td>",
                  isnan(m->mean_delta_s)
                      ? "&ndash;"
                      : rti_fmt_local(lang, "%+.1f", m->mean_delta_s / 60, x, sizeof(x)));
    for (int k = 0; k < f->n_norms; k++)
        rti_sb_printf(b, "<td%s>%s</td>", c[2 * k] > 0 ? " class=\"beyond\"" : "",
                      rti_fmt_count(lang, c[2 * k], x, sizeof(x)));
    rti_sb_printf(b, "<td>%s</td><td>%s</td></tr>\n",
                  rti_fmt_count(lang, c[2 * f->n_norms + 1], x, sizeof(x)),
                  rti_fmt_count(lang, c[2 * f->n_norms], y, sizeof(y)));
}

/* The regions of the first layer where type k of scenario sc changes
 * anything (a mean time that shows a change at one decimal, or any
 * count), the largest change first. */
static rt_status type_table(rt_ctx *ctx, rti_sbuf *b, const rti_report_view *v,
                            const rti_report_scenario *sc, int k)
{
    const rti_polygons *rg = v->regions[0];
    const int64_t nr = rg->n;
    const rti_report_scen_type *ty = &sc->types[k];
    const rti_facility_type *f = &v->study->facilities[ty->t];
    const int w = 2 * f->n_norms + 2;
    impact *m = rti_malloc_array(ctx, nr ? nr : 1, sizeof(*m), "report scenarios");
    if (!m)
        return RT_E_NOMEM;
    int64_t n = 0;
    for (int64_t r = 0; r < nr; r++) {
        const double *c = ty->cmp + r * w;
        impact x = {r, k, 0, c[2 * f->n_norms + 1], c[2 * f->n_norms], NAN};
        for (int j = 0; j < f->n_norms; j++)
            x.newly_beyond += c[2 * j];
        x.mean_delta_s = ty->stats[0][r].time_mean_s - v->types[ty->t].stats[0][r].time_mean_s;
        int changed = x.newly_beyond > 0 || x.worse > 0 || x.better > 0;
        for (int j = 0; j < f->n_norms; j++)
            changed |= c[2 * j + 1] > 0;
        changed |= fabs(x.mean_delta_s) >= 3.0; /* 0.05 min: shows at one decimal */
        if (changed)
            m[n++] = x;
    }
    if (sc->n_types > 1) {
        rti_sb_put(b, "<h4>");
        rti_sb_escape(b, rti_type_label(f));
        rti_sb_put(b, "</h4>\n");
    }
    if (n == 0) {
        rti_sb_printf(b, "<p>%s</p>\n", RTI_T(v, RTI_L_SCEN_NONE));
        free(m);
        return RT_OK;
    }
    qsort(m, (size_t)n, sizeof(*m), impact_cmp);
    table_head(b, v, f->n_norms, f->norms);
    for (int64_t i = 0; i < n && i < TOP; i++)
        table_row(b, v, sc, &m[i]);
    rti_sb_put(b, "</tbody></table></div>\n");
    if (n > TOP) {
        char more[48], file[160], text[512];
        rti_fmt_count(RTI_LANG(v), (double)(n - TOP), more, sizeof(more));
        snprintf(file, sizeof(file), "scenarios/%s/%s_compare.csv", sc->def->name,
                 v->study->regions[0].name);
        snprintf(text, sizeof(text), RTI_T(v, RTI_L_SCEN_MORE), more, file);
        rti_sb_printf(b, "<p>%s</p>\n", text);
    }
    free(m);
    return RT_OK;
}

rt_status rti_report_scenarios_section(rt_ctx *ctx, const rti_report_view *v, rti_report *rep)
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_printf(&b, "<p>%s</p>\n", RTI_T(v, RTI_L_SCEN_INTRO));
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < v->n_scenarios; i++) {
        const rti_report_scenario *sc = &v->scenarios[i];
        rti_sb_put(&b, "<h3>");
        rti_sb_escape(&b, sc->def->label ? sc->def->label : sc->def->name);
        rti_sb_put(&b, "</h3>\n");
        if (sc->def->description) {
            rti_sb_put(&b, "<p>");
            rti_sb_escape(&b, sc->def->description);
            rti_sb_put(&b, "</p>\n");
        }
        if (sc->population_changed) {
            char add[48], rem[48], text[256];
            rti_fmt_count(RTI_LANG(v), sc->pop_added, add, sizeof(add));
            rti_fmt_count(RTI_LANG(v), sc->pop_removed, rem, sizeof(rem));
            snprintf(text, sizeof(text), RTI_T(v, RTI_L_SCEN_POPULATION), add, rem);
            rti_sb_printf(&b, "<p>%s</p>\n", text);
        }
        rti_sb_put(&b, "<ul>\n");
        for (int k = 0; k < sc->n_types; k++)
            headline(&b, v, sc, &sc->types[k], v->regions[0]->n);
        rti_sb_put(&b, "</ul>\n");
        for (int k = 0; st == RT_OK && k < sc->n_types; k++)
            st = type_table(ctx, &b, v, sc, k);
    }
    if (st != RT_OK) {
        rti_sb_free(&b);
        return st;
    }
    return rti_report_add(rep, "scenarios", RTI_T(v, RTI_L_SCENARIOS), &b);
}
