/* The report's section "Scenarios", and the report of `reistijd compare`
 * (run B as a scenario of run A): per scenario its headline per facility
 * type it changes (people worse and better off, newly beyond each norm,
 * summed over the first region layer), per type a map of the change per
 * cell (its class image filled while the scenario's times exist, in the
 * classes and colours of the delta grid's .qml) with a sentence on the
 * people who can no longer reach a facility or now can, and the regions
 * of the first layer with a change, the largest first (docs/outputs.md,
 * "report.html"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/report/report.h"

#define TOP 15 /* regions listed per scenario */

const rti_rgba RTI_REACH_LOST = {0x67, 0x00, 0x1f, 255};
const rti_rgba RTI_REACH_GAINED = {0x05, 0x30, 0x61, 255};

/* ---- the delta maps' class images ---- */

rt_status rti_report_plan_deltas(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v)
{
    if (!v->study->outputs.report || v->n_scenarios == 0)
        return RT_OK;
    r->delta_at = rti_malloc_array(ctx, v->n_scenarios, sizeof(int), "report scenarios");
    if (!r->delta_at)
        return RT_E_NOMEM;
    int n = 0;
    for (int i = 0; i < v->n_scenarios; i++) {
        r->delta_at[i] = n;
        n += v->scenarios[i].n_types;
    }
    r->deltas = rti_malloc_array(ctx, n ? n : 1, sizeof(*r->deltas), "report scenarios");
    if (!r->deltas)
        return RT_E_NOMEM;
    r->n_scenarios = v->n_scenarios;
    r->n_deltas = n;
    const int64_t px = (int64_t)r->map.width * r->map.height;
    for (int j = 0; j < n; j++) {
        r->deltas[j].map_class = rti_alloc_array_uninit(ctx, px, 1, "map image");
        if (!r->deltas[j].map_class)
            return RT_E_NOMEM;
        memset(r->deltas[j].map_class, 255, (size_t)px); /* blank until its times come */
    }
    return RT_OK;
}

void rti_report_add_delta(rti_report_state *r, const rti_report_view *v, int i, int k,
                          const double *ta, const double *tb, const float *pop,
                          const int32_t *region)
{
    if (i >= r->n_scenarios)
        return;
    rti_report_delta_state *d = &r->deltas[r->delta_at[i] + k];
    rti_classes c;
    rti_classes_delta(&c);
    const rti_map_frame *f = &r->map;
    for (int32_t y = 0; y < f->height; y++)
        for (int32_t x = 0; x < f->width; x++) {
            const int64_t cell = rti_report_frame_cell(r, v->grid, x, y);
            const double a = ta[cell], b = tb[cell];
            uint8_t k8 = 255; /* unreachable in both */
            if (isinf(b) && !isinf(a))
                k8 = RTI_DELTA_LOST;
            else if (isinf(a) && !isinf(b))
                k8 = RTI_DELTA_GAINED;
            else if (!isinf(a)) /* the same rounding as the GeoTIFF, so QGIS draws the same class */
                k8 = (uint8_t)rti_class_of(&c, (float)((b - a) / 60.0));
            d->map_class[(int64_t)y * f->width + x] = k8;
        }
    double lost = 0, gained = 0;
    const int64_t n_cells = (int64_t)v->grid->nx * v->grid->ny;
    for (int64_t cell = 0; cell < n_cells; cell++) {
        const double p = pop ? pop[cell] : 1.0;
        if ((region && region[cell] < 0) || !(p > 0))
            continue;
        lost += isinf(tb[cell]) && !isinf(ta[cell]) ? p : 0;
        gained += isinf(ta[cell]) && !isinf(tb[cell]) ? p : 0;
    }
    d->pop_lost = lost;
    d->pop_gained = gained;
}

/* The path of a scenario's output `name` in the run's folder; run B of a
 * comparison writes into the folder itself. */
static void scen_file(const rti_report_scenario *sc, const char *name, char *buf, size_t n)
{
    if (sc->compare_runs)
        snprintf(buf, n, "%s", name);
    else
        rti_scenario_file(sc->def->name, name, buf, n);
}

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

/* The change of region r's (first layer) inhabitants beyond norm k from
 * the baseline to the scenario's type ty: people added or removed count. */
static double beyond_change(const rti_report_view *v, const rti_report_scen_type *ty, int64_t r,
                            int k)
{
    return ty->stats[0][r].pop_beyond_persons[k] -
           v->types[ty->t].stats[0][r].pop_beyond_persons[k];
}

/* The comparison of type ty summed over the regions of the first layer
 * (2 n_norms + 2 values, as ty->cmp per region). */
static void cmp_sums(const rti_report_view *v, const rti_report_scen_type *ty, double *sum)
{
    const int w = 2 * v->study->facilities[ty->t].n_norms + 2;
    for (int j = 0; j < w; j++)
        sum[j] = 0;
    for (int64_t r = 0; r < v->regions[0]->n; r++)
        for (int j = 0; j < w; j++)
            sum[j] += ty->cmp[r * w + j];
}

/* The headline of type ty: worse and better off, newly beyond each norm. */
static void headline(rti_sbuf *b, const rti_report_view *v, const rti_report_scenario *sc,
                     const rti_report_scen_type *ty)
{
    const rti_language lang = RTI_LANG(v);
    const rti_facility_type *f = &v->study->facilities[ty->t];
    const int nn = f->n_norms;
    const int64_t n_regions = v->regions[0]->n;
    double sum[2 * RT_STATS_MAX_NORMS + 2] = {0};
    cmp_sums(v, ty, sum);
    char worse[64], better[48], thr[48], line[512];
    rti_fmt_persons(lang, sum[2 * nn + 1], worse, sizeof(worse));
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
    /* and those it brings within a norm, when there are any */
    for (int k = 0, first = 1; k < nn; k++) {
        if (!(sum[2 * k + 1] > 0))
            continue;
        char n[48], lab[48];
        rti_fmt_count(lang, sum[2 * k + 1], n, sizeof(n));
        rti_norm_text(lang, &f->norms[k], lab, sizeof(lab));
        snprintf(line, sizeof(line), RTI_T(v, RTI_L_SCEN_NEWLY_WITHIN), n, lab);
        rti_sb_put(b, first ? "; " : ", ");
        rti_sb_escape(b, line);
        first = 0;
    }
    /* people added or removed count as well: the change of those beyond */
    for (int k = 0; sc->population_changed && k < nn; k++) {
        char n[48], lab[48];
        double d = 0;
        for (int64_t r = 0; r < n_regions; r++)
            d += beyond_change(v, ty, r, k);
        rti_fmt_count(lang, fabs(d), n, sizeof(n));
        char signed_n[56];
        snprintf(signed_n, sizeof(signed_n), "%s%s", d < 0 ? "\xe2\x88\x92" : "+", n);
        rti_norm_text(lang, &f->norms[k], lab, sizeof(lab));
        if (k == 0)
            rti_sb_printf(b, "; %s", RTI_T(v, RTI_L_SCEN_BEYOND_CHANGE));
        snprintf(line, sizeof(line), "%s%s %s", k ? ", " : "", lab, signed_n);
        rti_sb_escape(b, line);
    }
    rti_sb_put(b, "</li>\n");
}

/* A change in persons with its sign, a minus sign for fewer ("&minus;12",
 * "+4,629"), and "0" for what rounds to nobody. */
static const char *signed_count(rti_language lang, double d, char *buf, size_t n)
{
    char digits[40];
    rti_fmt_count(lang, fabs(d), digits, sizeof(digits));
    snprintf(buf, n, "%s%s", fabs(d) < 0.5 ? "" : d < 0 ? "&minus;" : "+", digits);
    return buf;
}

/* A change in minutes with one decimal and its sign, a minus sign for a
 * loss ("&minus;8.0", "+1.9"), and "0.0" for what rounds to nothing. */
static const char *delta_text(rti_language lang, double d, char *buf, size_t n)
{
    if (isnan(d))
        return "&ndash;";
    const double r = round(d * 10) / 10;
    if (r == 0)
        return rti_fmt_local(lang, "%.1f", 0.0, buf, n);
    char digits[40];
    rti_fmt_local(lang, "%.1f", fabs(r), digits, sizeof(digits));
    snprintf(buf, n, "%s%s", r < 0 ? "&minus;" : "+", digits);
    return buf;
}

/* The head of a scenario's table; with people added or removed
 * (people), per norm also the change of the number beyond it. */
static void table_head(rti_sbuf *b, const rti_report_view *v, const rti_report_scenario *sc, int nn,
                       const rt_norm *norms)
{
    const int people = sc->population_changed;
    const rti_language lang = RTI_LANG(v);
    rti_sb_printf(b,
                  "<div class=\"wide\"><table class=\"sortable\"><thead><tr>"
                  "<th class=\"t\" scope=\"col\">%s</th>"
                  "<th class=\"t\" scope=\"col\">%s</th><th scope=\"col\">%s</th>",
                  RTI_T(v, RTI_L_TH_NAME),
                  RTI_T(v, sc->compare_runs ? RTI_L_CMP_TH_MEAN_AB : RTI_L_TH_MEAN_AB),
                  RTI_T(v, RTI_L_TH_MEAN_DELTA));
    for (int k = 0; k < nn; k++) {
        char lab[48];
        rti_norm_text(lang, &norms[k], lab, sizeof(lab));
        rti_sb_put(b, "<th scope=\"col\">");
        rti_sb_label(b, RTI_T(v, RTI_L_TH_NEWLY_BEYOND), lab);
        rti_sb_put(b, "</th>");
        if (people) {
            rti_sb_put(b, "<th scope=\"col\">");
            rti_sb_label(b, RTI_T(v, RTI_L_TH_BEYOND_DELTA), lab);
            rti_sb_put(b, "</th>");
        }
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
    /* every cell with its value for sorting (the means by the scenario's) */
    char sv[32] = "";
    if (!isnan(bs->time_mean_s))
        snprintf(sv, sizeof(sv), "%.10g", bs->time_mean_s / 60);
    rti_sb_printf(
        b, "</td><td data-v=\"%s\">%s &rarr; %s</td>", sv,
        isnan(a->time_mean_s) ? "&ndash;"
                              : rti_fmt_local(lang, "%.1f", a->time_mean_s / 60, x, sizeof(x)),
        isnan(bs->time_mean_s) ? "&ndash;"
                               : rti_fmt_local(lang, "%.1f", bs->time_mean_s / 60, y, sizeof(y)));
    rti_report_num_cell(b, m->mean_delta_s / 60,
                        delta_text(lang, m->mean_delta_s / 60, x, sizeof(x)), NULL);
    for (int k = 0; k < f->n_norms; k++) {
        rti_report_num_cell(b, c[2 * k], rti_fmt_count(lang, c[2 * k], x, sizeof(x)),
                            c[2 * k] > 0 ? "beyond" : NULL);
        if (sc->population_changed) {
            const double d = beyond_change(v, ty, m->region, k);
            rti_report_num_cell(b, d, signed_count(lang, d, x, sizeof(x)),
                                d >= 0.5 ? "beyond" : NULL);
        }
    }
    rti_report_num_cell(b, c[2 * f->n_norms + 1],
                        rti_fmt_count(lang, c[2 * f->n_norms + 1], x, sizeof(x)), NULL);
    rti_report_num_cell(b, c[2 * f->n_norms], rti_fmt_count(lang, c[2 * f->n_norms], y, sizeof(y)),
                        NULL);
    rti_sb_put(b, "</tr>\n");
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
        for (int j = 0; sc->population_changed && j < f->n_norms; j++)
            changed |= fabs(beyond_change(v, ty, r, j)) >= 0.5;
        if (changed)
            m[n++] = x;
    }
    if (n == 0) {
        rti_sb_printf(b, "<p>%s</p>\n", RTI_T(v, RTI_L_SCEN_NONE));
        free(m);
        return RT_OK;
    }
    qsort(m, (size_t)n, sizeof(*m), impact_cmp);
    table_head(b, v, sc, f->n_norms, f->norms);
    for (int64_t i = 0; i < n && i < TOP; i++)
        table_row(b, v, sc, &m[i]);
    rti_sb_put(b, "</tbody></table></div>\n");
    /* the file of every region, or how many the page leaves out */
    char more[48], csv[128], file[300];
    rti_fmt_count(RTI_LANG(v), (double)(n - TOP), more, sizeof(more));
    rti_region_table_name(v->study->regions[0].name, 1, 0, csv, sizeof(csv));
    scen_file(sc, csv, file, sizeof(file));
    const int listed = v->study->outputs.csv || sc->compare_runs; /* compare writes it always */
    if (listed || n > TOP)
        rti_sb_put(b, "<p>");
    if (listed && n > TOP + 1)
        rti_sb_printf(b, RTI_T(v, RTI_L_SCEN_MORE), more, file);
    else if (listed && n == TOP + 1)
        rti_sb_printf(b, RTI_T(v, RTI_L_SCEN_MORE_ONE), file);
    else if (listed)
        rti_sb_printf(b, RTI_T(v, RTI_L_SCEN_FILE), file);
    else if (n > TOP + 1)
        rti_sb_printf(b, RTI_T(v, RTI_L_SCEN_MORE_UNLISTED), more);
    else if (n == TOP + 1)
        rti_sb_put(b, RTI_T(v, RTI_L_SCEN_MORE_UNLISTED_ONE));
    if (listed || n > TOP)
        rti_sb_put(b, "</p>\n");
    free(m);
    return RT_OK;
}

/* ---- the delta maps ---- */

/* One legend item: a swatch of colour c and text (HTML). */
static void legend_item(rti_sbuf *b, rti_rgba c, const char *text)
{
    rti_sb_printf(b, "<li><span class=\"sw\" style=\"background:#%02x%02x%02x\"></span>%s</li>",
                  c.r, c.g, c.b, text);
}

/* The legend of a delta map: its classes in words from faster to slower
 * ("5-10 min faster", "no change (within 1 min)", "more than 10 min
 * slower"), the cells that became unreachable and reachable, and the
 * facilities closed when there are any. */
static void delta_legend(rti_sbuf *b, const rti_report_view *v, const rti_classes *c, int closed)
{
    const rti_language lang = RTI_LANG(v);
    for (int k = 0; k < c->n; k++) {
        char lab[160];
        rti_delta_class_label(lang, c, k, lab, sizeof(lab));
        legend_item(b, c->colour[k], lab);
    }
    legend_item(b, RTI_REACH_LOST, RTI_T(v, RTI_L_DELTA_LOST));
    legend_item(b, RTI_REACH_GAINED, RTI_T(v, RTI_L_DELTA_GAINED));
    if (closed)
        rti_sb_printf(b, "<li>&#10005; %s</li>", RTI_T(v, RTI_L_DELTA_CLOSED));
}

/* Per facility of the baseline's type its start cell when the scenario
 * closed it, else -1 (caller frees); *n gets how many are closed. The
 * scenario's facilities are the baseline's that stay open, in their
 * order, then those it adds, so one walk finds the ones it closed. */
static int64_t *closed_cells(rt_ctx *ctx, const rti_report_type *base,
                             const rti_report_scen_type *ty, int64_t *n)
{
    const rti_points *a = base->pts, *s = ty->pts;
    int64_t *cell = rti_malloc_array(ctx, a->n ? a->n : 1, sizeof(*cell), "report scenarios");
    *n = 0;
    for (int64_t i = 0, j = 0; cell && i < a->n; i++) {
        const int kept = j < s->n && a->fid[i] == s->fid[j] && a->x[i] == s->x[j] &&
                         a->y[i] == s->y[j] && strcmp(a->id[i], s->id[j]) == 0;
        j += kept;
        cell[i] = kept ? -1 : base->cell[i];
        *n += cell[i] >= 0;
    }
    return cell;
}

/* "In the regions of gemeente: 12 inhabitants worse off, of whom 4 in
 * cells from which no route leads to a facility any more ...": those who
 * became unreachable are worse off and those who became reachable better
 * off, whatever the threshold, and both count over the same regions. */
static void delta_counts(rti_sbuf *b, const rti_report_view *v, const rti_report_scen_type *ty,
                         const rti_report_delta_state *d)
{
    const rti_language lang = RTI_LANG(v);
    const int nn = v->study->facilities[ty->t].n_norms;
    double sum[2 * RT_STATS_MAX_NORMS + 2];
    cmp_sums(v, ty, sum);
    char worse[64], lost[48], better[48], gained[48], line[1024];
    snprintf(line, sizeof(line), RTI_T(v, RTI_L_DELTA_COUNTS), v->study->regions[0].label,
             rti_fmt_persons(lang, sum[2 * nn + 1], worse, sizeof(worse)),
             rti_fmt_count(lang, d->pop_lost, lost, sizeof(lost)),
             rti_fmt_count(lang, sum[2 * nn], better, sizeof(better)),
             rti_fmt_count(lang, d->pop_gained, gained, sizeof(gained)));
    rti_sb_put(b, "<p>");
    rti_sb_escape(b, line);
    rti_sb_put(b, "</p>\n");
}

/* The delta map of type k of scenario sc, from its class image d, with
 * the scenario's facilities and those it closed crossed out. */
static rt_status delta_map(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                           const rti_report_scenario *sc, int k, const rti_report_delta_state *d,
                           rti_sbuf *b)
{
    const rti_report_scen_type *ty = &sc->types[k];
    rti_classes c;
    rti_classes_delta(&c);
    rti_rgba colour[RTI_DELTA_GAINED + 1];
    memcpy(colour, c.colour, RTI_DELTA_LOST * sizeof(rti_rgba));
    colour[RTI_DELTA_LOST] = RTI_REACH_LOST;
    colour[RTI_DELTA_GAINED] = RTI_REACH_GAINED;
    int64_t n_closed;
    int64_t *closed = closed_cells(ctx, &v->types[ty->t], ty, &n_closed);
    char caption[1200], cell[32], name[200], file[300];
    char layer[RTI_LABEL_HTML_BYTES];
    snprintf(caption, sizeof(caption),
             RTI_T(v, sc->compare_runs ? RTI_L_CMP_MAP_CAPTION : RTI_L_DELTA_MAP_CAPTION),
             rti_fmt_local(RTI_LANG(v), "%g", v->grid->cell_m, cell, sizeof(cell)),
             rti_first_layer_html(v, layer));
    rti_delta_output_name(v->study->facilities[ty->t].type, 0, name, sizeof(name));
    scen_file(sc, name, file, sizeof(file));
    rti_sbuf alt, extra;
    rti_sb_init(&alt, ctx);
    rti_sb_init(&extra, ctx);
    rti_sb_label(&alt, RTI_T(v, sc->compare_runs ? RTI_L_CMP_MAP_ALT : RTI_L_DELTA_MAP_ALT),
                 rti_type_label(&v->study->facilities[ty->t]));
    if (!sc->compare_runs) /* one alt per map: the scenario's name */
        rti_sb_escape(&alt, sc->def->label ? sc->def->label : sc->def->name);
    delta_legend(&extra, v, &c, n_closed > 0);
    char *alt_text = rti_sb_take(&alt), *extra_text = rti_sb_take(&extra);
    rt_status st = closed && alt_text && extra_text ? RT_OK : RT_E_NOMEM;
    rti_map_figure m = {
        d->map_class, colour,   RTI_DELTA_GAINED + 1,
        NULL,         alt_text, extra_text,
        caption,      file,     {ty->pts, ty->cell, n_closed ? v->types[ty->t].pts : NULL, closed}};
    if (st == RT_OK)
        st = rti_report_map_figure(ctx, rs, v, ty->t, &m, b);
    free(alt_text);
    free(extra_text);
    free(closed);
    return st;
}

/* Type k of scenario i: its sentence and map (with a report of the run's
 * scenarios) and its regions. */
static rt_status type_part(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v, int i,
                           int k, rti_sbuf *b)
{
    const rti_report_scenario *sc = &v->scenarios[i];
    if (sc->n_types > 1) {
        rti_sb_put(b, "<h4>");
        rti_sb_escape(b, rti_type_label(&v->study->facilities[sc->types[k].t]));
        rti_sb_put(b, "</h4>\n");
    }
    rt_status st = RT_OK;
    if (i < rs->n_scenarios) {
        const rti_report_delta_state *d = &rs->deltas[rs->delta_at[i] + k];
        delta_counts(b, v, &sc->types[k], d);
        st = delta_map(ctx, rs, v, sc, k, d, b);
    }
    return st == RT_OK ? type_table(ctx, b, v, sc, k) : st;
}

/* Scenario i of v: its heading (level h) and description, its people
 * added or removed, its headlines and the part of each type. */
static rt_status scenario_part(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                               int i, int h, rti_sbuf *b)
{
    const rti_report_scenario *sc = &v->scenarios[i];
    if (h) {
        rti_sb_printf(b, "<h%d>", h);
        rti_sb_escape(b, sc->def->label ? sc->def->label : sc->def->name);
        rti_sb_printf(b, "</h%d>\n", h);
    }
    if (sc->def->description) {
        rti_sb_put(b, "<p>");
        rti_sb_escape(b, sc->def->description);
        rti_sb_put(b, "</p>\n");
    }
    if (sc->population_changed) {
        char add[48], rem[48], text[256];
        rti_fmt_count(RTI_LANG(v), sc->pop_added, add, sizeof(add));
        rti_fmt_count(RTI_LANG(v), sc->pop_removed, rem, sizeof(rem));
        snprintf(text, sizeof(text), RTI_T(v, RTI_L_SCEN_POPULATION), add, rem);
        rti_sb_printf(b, "<p>%s</p>\n", text);
    }
    rti_sb_put(b, "<ul>\n");
    for (int k = 0; k < sc->n_types; k++)
        headline(b, v, sc, &sc->types[k]);
    rti_sb_put(b, "</ul>\n");
    rt_status st = RT_OK;
    for (int k = 0; st == RT_OK && k < sc->n_types; k++)
        st = type_part(ctx, rs, v, i, k, b);
    return st;
}

rt_status rti_report_scenarios_section(rt_ctx *ctx, const rti_report_state *rs,
                                       const rti_report_view *v, rti_report *rep)
{
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_printf(&b, "<p>%s</p>\n", RTI_T(v, RTI_L_SCEN_INTRO));
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < v->n_scenarios; i++)
        st = scenario_part(ctx, rs, v, i, 3, &b);
    if (st != RT_OK) {
        rti_sb_free(&b);
        return st;
    }
    return rti_report_add(rep, "scenarios", RTI_T(v, RTI_L_SCENARIOS), &b);
}

rt_status rti_report_write_compare(rt_ctx *ctx, const rti_report_state *rs,
                                   const rti_report_view *v, const rti_report_runs *runs,
                                   const char *path)
{
    char thr[48];
    char *esc[4] = {0};
    const char *raw[4] = {runs->dir_a, runs->study_a, runs->dir_b, runs->study_b};
    rti_report rep;
    rt_status st = rti_report_init(&rep, ctx, RTI_T(v, RTI_L_CMP_TITLE));
    rep.lang = RTI_LANG(v);
    for (int k = 0; st == RT_OK && k < 4; k++) {
        rti_sbuf e;
        rti_sb_init(&e, ctx);
        rti_sb_escape(&e, raw[k] ? raw[k] : "?");
        st = (esc[k] = rti_sb_take(&e)) ? RT_OK : RT_E_NOMEM;
    }
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    if (st == RT_OK) {
        rti_sb_put(&b, "<p>");
        rti_sb_printf(&b, RTI_T(v, RTI_L_CMP_RUNS), esc[0], esc[1], esc[2], esc[3]);
        rti_sb_put(&b, "</p>\n<p>");
        rti_sb_printf(&b, RTI_T(v, RTI_L_CMP_INTRO),
                      rti_fmt_local(RTI_LANG(v), "%g", runs->threshold_min, thr, sizeof(thr)));
        rti_sb_put(&b, "</p>\n");
        if (!v->pop) /* every cell counts as one person */
            rti_sb_printf(&b, "<p>%s</p>\n", RTI_T(v, RTI_L_NO_POPULATION));
        st = scenario_part(ctx, rs, v, 0, 0, &b);
    }
    if (st == RT_OK)
        st = rti_report_add(&rep, "compare", RTI_T(v, RTI_L_CMP_SECTION), &b);
    else
        rti_sb_free(&b);
    if (st == RT_OK)
        st = rti_report_write(ctx, &rep, path);
    rti_report_free(&rep);
    for (int k = 0; k < 4; k++)
        free(esc[k]);
    return st;
}
