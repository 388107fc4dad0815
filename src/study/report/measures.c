/* The measures beyond the nearest in the report and the styles
 * (docs/outputs.md, "report.html"): their classes, for a time or distance
 * those of the type's maps, for a count whole numbers up to the largest
 * value on the map, for a capacity, a gravity or a ratio rounded quintiles
 * of the values on the map; the map image of each, filled from its values
 * in the measures stage while they exist (the run keeps no grid of them);
 * the words that say what a measure is; and the section of a type with
 * measures: per measure a map and a table of the regions of the first
 * layer, the worst first. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/report/report.h"

#define TOP 15 /* regions listed per measure */

/* The colour of a cell without a value (fewer than k within reach). */
static const rti_rgba NO_VALUE = {0xbd, 0xbd, 0xbd, 255};

const char *rti_measure_unit(const rti_measure_def *d)
{
    return !rti_measure_is_cost(d->m.kind) ? "" : d->crowfly || d->route ? "km" : "min";
}

void rti_measure_pooled(const rti_measure_region *rows, int64_t n, int cost_like,
                        rti_measure_region *out)
{
    double pop = 0, none = 0, sum = 0, w = 0;
    for (int64_t i = 0; i < n; i++) {
        const rti_measure_region *x = &rows[i];
        if (!(x->pop_persons > 0))
            continue;
        pop += x->pop_persons;
        none += x->pop_zero_persons;
        /* a cost's mean is over the people with a value */
        const double wi = x->pop_persons - (cost_like ? x->pop_zero_persons : 0);
        if (wi > 0 && !isnan(x->mean)) {
            sum += wi * x->mean;
            w += wi;
        }
    }
    *out = (rti_measure_region){pop, none, w > 0 ? sum / w : NAN, NAN, NAN};
}

/* ---- words ---- */

/* "15 min", "30 km as the crow flies": how far the measure reaches. */
static void reach_words(rti_language lang, const rti_measure_def *d, char *buf, size_t n)
{
    char num[32];
    rti_fmt_local(lang, "%g", d->m.cutoff / d->m.unit, num, sizeof(num));
    snprintf(buf, n,
             rti_label_text(lang, d->crowfly ? RTI_L_MEAS_WITHIN_KM
                                  : d->route ? RTI_L_MEAS_WITHIN_ROUTE_KM
                                             : RTI_L_MEAS_WITHIN_MIN),
             num);
}

void rti_measure_words(rti_language lang, const rti_measure_def *d, char *buf, size_t n)
{
    static const rti_label words[RTI_MEASURE_KINDS] = {
        [RTI_MEASURE_COUNT] = RTI_L_MEAS_COUNT,     [RTI_MEASURE_CAPACITY] = RTI_L_MEAS_CAPACITY,
        [RTI_MEASURE_GRAVITY] = RTI_L_MEAS_GRAVITY, [RTI_MEASURE_2SFCA] = RTI_L_MEAS_2SFCA,
        [RTI_MEASURE_E2SFCA] = RTI_L_MEAS_E2SFCA,   [RTI_MEASURE_3SFCA] = RTI_L_MEAS_3SFCA,
        [RTI_MEASURE_BFCA] = RTI_L_MEAS_BFCA,       [RTI_MEASURE_SPAVAIL] = RTI_L_MEAS_SPAVAIL};
    char reach[96], ord[16];
    reach_words(lang, d, reach, sizeof(reach));
    if (d->m.kind == RTI_MEASURE_KTH && d->m.k > 1) {
        snprintf(buf, n,
                 rti_label_text(lang, d->crowfly || d->route ? RTI_L_MEAS_KTH_KM : RTI_L_MEAS_KTH),
                 rti_fmt_ordinal(lang, d->m.k, ord, sizeof(ord)), reach);
        return;
    }
    rti_label k = words[d->m.kind];
    if (d->m.kind == RTI_MEASURE_KTH)
        k = d->crowfly || d->route ? RTI_L_MEAS_NEAREST_KM : RTI_L_MEAS_NEAREST;
    else if (d->m.kind == RTI_MEASURE_BALANCING)
        k = d->crowfly || d->route ? RTI_L_MEAS_BALANCING_KM : RTI_L_MEAS_BALANCING;
    snprintf(buf, n, rti_label_text(lang, k), reach);
}

/* What a value of measure d says, for the kinds whose name does not say it
 * (NULL for the others: counts, capacity, the k-th nearest). */
static const char *explain_words(rti_language lang, const rti_measure_def *d)
{
    static const rti_label explain[RTI_MEASURE_KINDS] = {
        /* 0: none */
        [RTI_MEASURE_GRAVITY] = RTI_L_MEAS_EXPLAIN_GRAVITY,
        [RTI_MEASURE_2SFCA] = RTI_L_MEAS_EXPLAIN_2SFCA,
        [RTI_MEASURE_E2SFCA] = RTI_L_MEAS_EXPLAIN_E2SFCA,
        [RTI_MEASURE_3SFCA] = RTI_L_MEAS_EXPLAIN_3SFCA,
        [RTI_MEASURE_BFCA] = RTI_L_MEAS_EXPLAIN_BFCA,
        [RTI_MEASURE_SPAVAIL] = RTI_L_MEAS_EXPLAIN_SPAVAIL,
        [RTI_MEASURE_BALANCING] = RTI_L_MEAS_EXPLAIN_BALANCING};
    if (d->m.kind == RTI_MEASURE_BALANCING && (d->crowfly || d->route))
        return rti_label_text(lang, RTI_L_MEAS_EXPLAIN_BALANCING_KM);
    return explain[d->m.kind] ? rti_label_text(lang, explain[d->m.kind]) : NULL;
}

/* "none within 15 min", "fewer than 2 within 4 min": the people the
 * measure finds nothing for. */
static void none_words(rti_language lang, const rti_measure_def *d, char *buf, size_t n)
{
    char reach[96];
    reach_words(lang, d, reach, sizeof(reach));
    if (d->m.kind == RTI_MEASURE_KTH && d->m.k > 1)
        snprintf(buf, n, rti_label_text(lang, RTI_L_MEAS_FEWER_WITHIN), d->m.k, reach);
    else
        snprintf(buf, n,
                 rti_label_text(lang, d->m.kind == RTI_MEASURE_BALANCING ? RTI_L_MEAS_NOT_COVERED
                                                                         : RTI_L_MEAS_NONE_WITHIN),
                 reach);
}

/* What the report shows of a value of measure d: the ratios of capacity
 * per inhabitant (the floating catchment areas) per 100,000 inhabitants,
 * as health statistics give them (2.2, not 2.2e-05); the grids, tables and
 * QGIS thresholds keep capacity per inhabitant. */
static double shown_per(const rti_measure_def *d)
{
    const rti_measure_kind k = d->m.kind;
    const int per_inhabitant = k == RTI_MEASURE_2SFCA || k == RTI_MEASURE_E2SFCA ||
                               k == RTI_MEASURE_3SFCA || k == RTI_MEASURE_BFCA;
    return per_inhabitant ? 1e5 : 1.0;
}

/* What the report shows of a cell's value x of measure d, rounded as the
 * GeoTIFF holds it (Float32), so that QGIS draws the same class. */
static float shown_cell(const rti_measure_def *d, double x)
{
    return (float)(shown_per(d) * (float)x);
}

const char *rti_measure_value_text(rti_language lang, const rti_measure_def *d, double v, char *buf,
                                   size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "&ndash;");
        return buf;
    }
    v *= shown_per(d);
    if (!rti_measure_is_cost(d->m.kind) && v > 0 && v < 0.005) { /* would read 0.00 */
        char num[16];
        snprintf(buf, n, "&lt;%s", rti_fmt_local(lang, "%.2f", 0.01, num, sizeof(num)));
        return buf;
    }
    if (rti_measure_is_cost(d->m.kind))
        return rti_fmt_local(lang, "%.1f", v, buf, n);
    if (v == 0 || fabs(v) < 0.01)
        return rti_fmt_local(lang, v == 0 ? "%.0f" : "%.2f", v, buf, n);
    /* three significant digits, trailing zeros kept (13.0 beside 13.2, 0.500
     * beside 0.257): rounded first, so that 9.996 reads 10.0 */
    char e[32];
    snprintf(e, sizeof(e), "%.2e", v);
    const double r = strtod(e, NULL);
    if (fabs(r) >= 1000)
        return rti_fmt_count(lang, v, buf, n); /* 12,345 as the population beside it */
    const int decimals = 2 - (int)floor(log10(fabs(r)));
    char f[16];
    snprintf(f, sizeof(f), "%%.%df", decimals > 0 ? decimals : 0);
    return rti_fmt_local(lang, f, r, buf, n);
}

/* ---- classes and map images ---- */

/* The classes measure d has before its values are known: those of a
 * time or distance follow from the study; the others start empty. */
static void study_classes(const rt_study *s, const rti_facility_type *f, const rti_measure_def *d,
                          rti_report_measure_state *m)
{
    if (rti_measure_is_cost(d->m.kind) && (d->crowfly || d->route)) {
        rti_length_classes(f, &m->classes);
        m->classes.scale = 1.0; /* the grid holds km */
    } else if (rti_measure_is_cost(d->m.kind)) {
        rti_time_classes(s, f, &m->classes);
    } else if (d->m.kind == RTI_MEASURE_COUNT) {
        rti_count_classes(&m->classes, 0);
    } else {
        rti_quantile_classes(&m->classes, NULL, 0);
    }
}

static void map_colours(rti_report_measure_state *m)
{
    memcpy(m->colour, m->classes.colour, sizeof(m->classes.colour));
    m->colour[m->classes.n] = NO_VALUE;
}

rt_status rti_report_plan_measures(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v,
                                   int t)
{
    const rt_study *s = v->study;
    const rti_facility_type *f = &s->facilities[t];
    rti_report_type_state *ts = &r->types[t];
    if (f->n_measures == 0)
        return RT_OK;
    ts->measures = rti_malloc_array(ctx, f->n_measures, sizeof(*ts->measures), "report");
    if (!ts->measures)
        return RT_E_NOMEM;
    ts->n_measures = f->n_measures;
    const int64_t px = (int64_t)r->map.width * r->map.height;
    for (int k = 0; k < f->n_measures; k++) {
        rti_report_measure_state *m = &ts->measures[k];
        study_classes(s, f, &f->measures[k], m);
        map_colours(m);
        if (!rti_report_own_maps(v))
            continue;
        m->map_class = rti_alloc_array_uninit(ctx, px, 1, "map image");
        if (!m->map_class)
            return RT_E_NOMEM;
        memset(m->map_class, 255, (size_t)px); /* blank until its values come */
    }
    return RT_OK;
}

/* The classes of a count, capacity, gravity or ratio from its values in
 * the cells under the map's pixels (each cell once), as the GeoTIFF holds
 * them (Float32): those where people live, when the study has a
 * population and any live there (the values elsewhere, beyond the
 * population data, would stretch the classes over places where nobody
 * lives), else all. */
static rt_status data_classes(rt_ctx *ctx, const rti_report_state *r, const rti_report_view *v,
                              const rti_measure_def *d, const double *x, rti_classes *c)
{
    const rti_map_frame *fr = &r->map;
    const int32_t step = r->map_up;
    const int64_t n = (int64_t)((fr->width + step - 1) / step) * ((fr->height + step - 1) / step);
    float *sample = rti_alloc_array_uninit(ctx, n > 0 ? n : 1, sizeof(float), "measure classes");
    if (!sample)
        return RT_E_NOMEM;
    int64_t i = 0;
    double max = 0;
    for (int pass = v->pop ? 0 : 1; pass < 2 && i == 0; pass++) /* 0: where people live */
        for (int32_t y = 0; y < fr->height; y += step)
            for (int32_t px = 0; px < fr->width; px += step) {
                const int64_t cell = rti_report_frame_cell(r, v->grid, px, y);
                if (pass == 0 && !(v->pop[cell] > 0))
                    continue;
                const float val = shown_cell(d, x[cell]);
                sample[i++] = val;
                max = val > max ? val : max;
            }
    if (d->m.kind == RTI_MEASURE_COUNT)
        rti_count_classes(c, max);
    else
        rti_quantile_classes(c, sample, i);
    c->scale = 1.0 / shown_per(d); /* the QGIS thresholds in the grid's units */
    free(sample);
    return RT_OK;
}

rt_status rti_report_add_measure(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v, int t,
                                 int k, const double *x)
{
    const rti_measure_def *d = &v->study->facilities[t].measures[k];
    const rti_report_type_state *ts = &r->types[t];
    rti_report_measure_state *m = &ts->measures[k];
    if (!rti_measure_is_cost(d->m.kind)) {
        rt_status st = data_classes(ctx, r, v, d, x, &m->classes);
        if (st != RT_OK)
            return st;
        map_colours(m);
    }
    if (!m->map_class)
        return RT_OK;
    const rti_map_frame *fr = &r->map;
    for (int32_t y = 0; y < fr->height; y++)
        for (int32_t px = 0; px < fr->width; px++) {
            const int64_t p = (int64_t)y * fr->width + px;
            if (ts->map_class && ts->map_class[p] == 255) { /* no route leads there */
                m->map_class[p] = 255;
                continue;
            }
            const int c = rti_class_of(&m->classes,
                                       shown_cell(d, x[rti_report_frame_cell(r, v->grid, px, y)]));
            m->map_class[p] = (uint8_t)(c < 0 ? m->classes.n : c);
        }
    return RT_OK;
}

/* ---- the section ---- */

/* One region of the table, with what orders it. */
typedef struct region_row {
    int64_t i;
    double pop, worse, none; /* worse: the lower the worse (a cost's mean negated) */
} region_row;

/* Regions with people first, the worst first (the lowest mean, a cost's
 * highest; no mean at all is the worst), then the most people with none,
 * then in layer order. */
static int row_cmp(const void *pa, const void *pb)
{
    const region_row *a = pa, *b = pb;
    if ((a->pop > 0) != (b->pop > 0))
        return a->pop > 0 ? -1 : 1;
    if (a->worse != b->worse)
        return a->worse < b->worse ? -1 : 1;
    if (a->none != b->none)
        return a->none > b->none ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static void table_head(rti_sbuf *b, const rti_report_view *v, const rti_measure_def *d,
                       const char *id, const char *words)
{
    const char *unit = rti_measure_unit(d);
    rti_sb_printf(b, "<div class=\"wide\"><table class=\"sortable\" id=\"%s\"><caption>", id);
    rti_sb_label(b, RTI_T(v, RTI_L_MEAS_TABLE_CAPTION), words);
    rti_sb_printf(b, "</caption>\n<thead><tr><th class=\"t\" scope=\"col\">%s</th>",
                  RTI_T(v, RTI_L_TH_CODE));
    if (v->regions[0]->name)
        rti_sb_printf(b, "<th class=\"t\" scope=\"col\">%s</th>", RTI_T(v, RTI_L_TH_NAME));
    rti_sb_printf(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s%s%s</th>",
                  RTI_T(v, RTI_L_TH_POPULATION), RTI_T(v, RTI_L_TH_MEAN), *unit ? "<br>" : "",
                  unit);
    /* the words of the headline: "none within 15 min", "fewer than 2
     * within 4 min", "capacity not covered within 30 min" */
    char none[160];
    none_words(RTI_LANG(v), d, none, sizeof(none));
    for (int c = 0; c < 2; c++) {
        rti_sb_put(b, "<th scope=\"col\">");
        rti_sb_escape(b, none);
        rti_sb_printf(b, "<br>%s</th>", c ? "%" : RTI_T(v, RTI_L_INHABITANTS));
    }
    rti_sb_put(b, "</tr></thead>\n<tbody>\n");
}

/* The regions of the first layer for measure k of type t, the worst
 * first, at most TOP of them. */
static rt_status region_table(rt_ctx *ctx, rti_sbuf *b, const rti_report_view *v, int t, int k,
                              const char *words)
{
    const rti_language lang = RTI_LANG(v);
    const rti_polygons *polys = v->regions[0];
    const rti_measure_def *d = &v->study->facilities[t].measures[k];
    const rti_measure_region *rows = v->types[t].measures[k][0];
    const int cost = rti_measure_is_cost(d->m.kind);
    region_row *order =
        rti_malloc_array(ctx, polys->n > 0 ? polys->n : 1, sizeof(*order), "report measures");
    if (!order)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < polys->n; i++) {
        const double mean = isnan(rows[i].mean) ? -INFINITY : cost ? -rows[i].mean : rows[i].mean;
        order[i] = (region_row){i, rows[i].pop_persons, mean, rows[i].pop_zero_persons};
    }
    qsort(order, (size_t)polys->n, sizeof(*order), row_cmp);
    char id[200], text[64];
    snprintf(id, sizeof(id), "measure-%s-%s", v->study->facilities[t].type, d->name);
    table_head(b, v, d, id, words);
    for (int64_t j = 0; j < polys->n && j < TOP; j++) {
        const int64_t i = order[j].i;
        const rti_measure_region *x = &rows[i];
        rti_report_region_cells(b, polys, i);
        const int people = x->pop_persons > 0;
        const double share = people ? 100 * x->pop_zero_persons / x->pop_persons : NAN;
        rti_report_num_cell(b, x->pop_persons, rti_fmt_count(lang, x->pop_persons, text, 64), NULL);
        rti_report_num_cell(b, x->mean * shown_per(d),
                            rti_measure_value_text(lang, d, x->mean, text, 64), NULL);
        rti_report_num_cell(b, people ? x->pop_zero_persons : NAN,
                            rti_fmt_count(lang, x->pop_zero_persons, text, sizeof(text)), NULL);
        rti_report_num_cell(b, share, rti_fmt_share(lang, share, text, sizeof(text)),
                            !people     ? NULL
                            : share > 0 ? "beyond"
                                        : "within");
        rti_sb_put(b, "</tr>\n");
    }
    rti_sb_put(b, "</tbody></table></div>\n");
    if (polys->n > TOP) {
        char more[48], cols[300], line[600];
        snprintf(cols, sizeof(cols), "<code>%s_mean</code>, <code>%s_population_none</code>",
                 d->name, d->name);
        snprintf(line, sizeof(line), RTI_T(v, RTI_L_MEAS_MORE),
                 rti_fmt_count(lang, (double)(polys->n - TOP), more, sizeof(more)), cols);
        rti_sb_printf(b, "<p>%s</p>\n", line);
    }
    free(order);
    return RT_OK;
}

/* "In the regions of gemeente: mean 0.714; none within 2 min: 50
 * inhabitants (28.6 %)." over the regions of the first layer. */
static void headline(rti_sbuf *b, const rti_report_view *v, int t, int k)
{
    const rti_language lang = RTI_LANG(v);
    const rti_measure_def *d = &v->study->facilities[t].measures[k];
    rti_measure_region all;
    rti_measure_pooled(v->types[t].measures[k][0], v->regions[0]->n, rti_measure_is_cost(d->m.kind),
                       &all);
    char mean[64], none[128], count[48], share[48], line[1200];
    const char *unit = rti_measure_unit(d);
    rti_measure_value_text(lang, d, all.mean, mean, sizeof(mean));
    if (*unit && !isnan(all.mean))
        snprintf(mean + strlen(mean), sizeof(mean) - strlen(mean), " %s", unit);
    none_words(lang, d, none, sizeof(none));
    char layer[RTI_LABEL_HTML_BYTES];
    snprintf(line, sizeof(line), RTI_T(v, RTI_L_MEAS_HEADLINE), rti_first_layer_html(v, layer),
             mean, none, rti_fmt_persons(lang, all.pop_zero_persons, count, sizeof(count)),
             rti_fmt_share(lang,
                           all.pop_persons > 0 ? 100 * all.pop_zero_persons / all.pop_persons : NAN,
                           share, sizeof(share)));
    rti_sb_printf(b, "<p>%s</p>\n", line);
}

/* The map of measure k of type t. */
static rt_status measure_map(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                             int t, int k, const char *words, rti_sbuf *b)
{
    const rti_report_measure_state *m = &rs->types[t].measures[k];
    const rti_measure_def *d = &v->study->facilities[t].measures[k];
    const int cost = rti_measure_is_cost(d->m.kind);
    char caption[1200], cell[32], none[128], extra[256], file[160];
    char layer[RTI_LABEL_HTML_BYTES];
    snprintf(caption, sizeof(caption), RTI_T(v, RTI_L_MEAS_MAP_CAPTION), words,
             rti_fmt_local(RTI_LANG(v), "%g", v->grid->cell_m, cell, sizeof(cell)),
             rti_first_layer_html(v, layer));
    rti_type_file(v->study->facilities[t].type, d->name, "tif", file, sizeof(file));
    none_words(RTI_LANG(v), d, none, sizeof(none));
    snprintf(extra, sizeof(extra),
             "<li><span class=\"sw\" style=\"background:#%02x%02x%02x\"></span>%s</li>", NO_VALUE.r,
             NO_VALUE.g, NO_VALUE.b, none);
    rti_sbuf alt;
    rti_sb_init(&alt, ctx);
    rti_sb_label(&alt, RTI_T(v, RTI_L_MEAS_MAP_ALT), words);
    char *alt_text = rti_sb_take(&alt);
    if (!alt_text)
        return RT_E_NOMEM;
    /* a cost without a value is grey; the others have a class 0 */
    rti_map_figure f = {m->map_class, m->colour, m->classes.n + cost,
                        &m->classes,  alt_text,  cost ? extra : NULL,
                        caption,      file,      {NULL, NULL, NULL, NULL}};
    rt_status st = rti_report_map_figure(ctx, rs, v, t, &f, b);
    free(alt_text);
    return st;
}

rt_status rti_report_measures_section(rt_ctx *ctx, const rti_report_state *rs,
                                      const rti_report_view *v, int t, rti_report *rep)
{
    const rti_facility_type *f = &v->study->facilities[t];
    const rti_report_type *tr = &v->types[t];
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_put(&b, "<p>");
    rti_sb_label(&b, RTI_T(v, RTI_L_MEAS_INTRO), v->study->regions[0].label);
    int ratios = 0, capacities = 0;
    for (int k = 0; k < f->n_measures; k++) {
        const rti_measure_kind kind = f->measures[k].m.kind;
        ratios |= shown_per(&f->measures[k]) != 1.0;
        capacities |= kind != RTI_MEASURE_COUNT && kind != RTI_MEASURE_KTH;
    }
    if (ratios) /* the edge effect of the floating catchments */
        rti_sb_printf(&b, " %s", RTI_T(v, RTI_L_MEAS_EDGE));
    /* a capacity of 1 everywhere: the capacities count facilities */
    int ones = f->capacity_column && capacities && tr->pts->value && tr->pts->n > 0;
    for (int64_t i = 0; ones && i < tr->pts->n; i++)
        ones = tr->pts->value[i] == 1.0;
    if (ones)
        rti_sb_printf(&b, " %s", RTI_T(v, RTI_L_MEAS_UNIT_CAPACITY));
    rti_sb_put(&b, "</p>\n");
    rt_status st = RT_OK;
    for (int k = 0; st == RT_OK && k < f->n_measures; k++) {
        char words[256];
        rti_measure_words(RTI_LANG(v), &f->measures[k], words, sizeof(words));
        rti_sb_put(&b, "<h3>");
        rti_sb_escape(&b, words);
        rti_sb_put(&b, "</h3>\n");
        const char *explain = explain_words(RTI_LANG(v), &f->measures[k]);
        if (explain)
            rti_sb_printf(&b, "<p class=\"note\">%s</p>\n", explain);
        if (tr->measures)
            headline(&b, v, t, k);
        st = measure_map(ctx, rs, v, t, k, words, &b);
        if (st == RT_OK && tr->measures)
            st = region_table(ctx, &b, v, t, k, words);
    }
    if (st != RT_OK) {
        rti_sb_free(&b);
        return st;
    }
    char id[96], title[320];
    snprintf(id, sizeof(id), "measures-%s", f->type);
    snprintf(title, sizeof(title), RTI_T(v, RTI_L_MEAS_TITLE), rti_type_label(f));
    return rti_report_add(rep, id, title, &b);
}
