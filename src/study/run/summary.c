/* The text summary of a run or validation (what the command prints), and
 * the public getters of the summaries kept with the study. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

const char *rt_study_summary(const rt_study *study)
{
    return study && study->summary ? study->summary : "";
}

const char *rt_study_summary_json(const rt_study *study)
{
    return study && study->summary_json ? study->summary_json : "";
}

void rt_run_opts_init(rt_run_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->struct_size = sizeof(*opts);
}

/* A region label wider than this goes on a line of its own, so that one long
 * name does not widen every line of the table. */
#define LABEL_MAX_COLUMNS 60
#define NO_VALUE "\xe2\x80\x93" /* an en dash: no number (a region without population) */

/* The columns a UTF-8 text takes: its code points. */
static size_t text_columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* text, then blanks up to `width` columns */
static void put_left(rti_sbuf *b, const char *text, size_t width)
{
    rti_sb_put(b, text);
    for (size_t n = text_columns(text); n < width; n++)
        rti_sb_put(b, " ");
}

/* A number right-aligned in `width` columns, or "–" when it is NaN. */
static void put_number(rti_sbuf *b, double v, int width, int decimals, const char *suffix)
{
    if (isnan(v)) {
        rti_sb_printf(b, " %*s" NO_VALUE, width - 1, "");
        return;
    }
    char num[64];
    snprintf(num, sizeof(num), "%.*f%s", decimals, v, suffix);
    rti_sb_printf(b, " %*s", width, num);
}

static void region_label(const rti_region_run *rr, int64_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", rr->polys.id[i], rr->polys.name ? " " : "",
             rr->polys.name ? rr->polys.name[i] : "");
}

/* The table of one region layer for one type: population, mean, median and
 * p90 of the travel time in minutes, or of the route length in km when all
 * the type's norms are in km, and the share beyond each norm. */
static void summary_regions(rti_sbuf *b, const rti_run *run, int t, int r)
{
    const rti_facility_type *f = run->types[t].def;
    const rti_region_run *rr = &run->in.regions[r];
    int km = f->n_norms > 0;
    for (int k = 0; k < f->n_norms; k++)
        km &= f->norms[k].kind == RT_NORM_LENGTH;
    const char *unit = km ? "km" : "min";
    int64_t shown = rr->polys.n < 40 ? rr->polys.n : 40;
    size_t width = text_columns(rr->def->name);
    for (int64_t i = 0; i < shown; i++) {
        char label[1024];
        region_label(rr, i, label, sizeof(label));
        size_t n = text_columns(label);
        if (n > width && n <= LABEL_MAX_COLUMNS)
            width = n;
    }
    char head[3][16];
    snprintf(head[0], sizeof(head[0]), "mean (%s)", unit);
    snprintf(head[1], sizeof(head[1]), "median (%s)", unit);
    snprintf(head[2], sizeof(head[2]), "p90 (%s)", unit);
    rti_sb_put(b, "\n  ");
    put_left(b, rr->def->name, width);
    rti_sb_printf(b, " %10s %12s %12s %12s", "population", head[0], head[1], head[2]);
    for (int k = 0; k < f->n_norms; k++) {
        char lab[32], col[40];
        rti_norm_label(&f->norms[k], lab, sizeof(lab));
        snprintf(col, sizeof(col), ">%s", lab);
        rti_sb_printf(b, " %9s", col);
    }
    rti_sb_put(b, "\n");
    for (int64_t i = 0; i < shown; i++) {
        const rt_region_stats *x = &run->types[t].res.stats[r][i];
        char label[1024];
        region_label(rr, i, label, sizeof(label));
        rti_sb_put(b, "  ");
        if (text_columns(label) > width) { /* on its own line, the numbers below it */
            rti_sb_printf(b, "%s\n  ", label);
            label[0] = '\0';
        }
        put_left(b, label, width);
        put_number(b, x->pop_persons, 10, 0, "");
        if (km) {
            put_number(b, x->length_mean_m / 1000, 12, 1, "");
            put_number(b, x->length_median_m / 1000, 12, 1, "");
            put_number(b, x->length_p90_m / 1000, 12, 1, "");
        } else {
            put_number(b, x->time_mean_s / 60, 12, 1, "");
            put_number(b, x->time_median_s / 60, 12, 1, "");
            put_number(b, x->time_p90_s / 60, 12, 1, "");
        }
        for (int k = 0; k < f->n_norms; k++)
            put_number(b, 100 * x->share_beyond[k], 9, 1, "%");
        rti_sb_put(b, "\n");
    }
    if (shown < rr->polys.n)
        rti_sb_printf(b, "  ... %lld more in %s.csv\n", (long long)(rr->polys.n - shown),
                      rr->def->name);
}

/* "count_15min", "nearest_1_min (min)": a measure's name with its unit. */
static const char *measure_label(const rti_measure_def *d, char *buf, size_t n)
{
    const char *unit = rti_measure_unit(d);
    snprintf(buf, n, "%s%s%s%s", d->name, *unit ? " (" : "", unit, *unit ? ")" : "");
    return buf;
}

/* The measures of type t over the regions of the first layer (the rows
 * per region are in the region tables): the population-weighted mean (of
 * a time or distance over the people with a value) and the people with
 * none within reach. */
static void summary_measures(rti_sbuf *b, const rti_run *run, int t)
{
    const rti_facility_type *f = run->types[t].def;
    const rti_region_run *rr = &run->in.regions[0];
    char label[128], mean[32];
    size_t width = 0;
    for (int k = 0; k < f->n_measures; k++) {
        size_t n = text_columns(measure_label(&f->measures[k], label, sizeof(label)));
        width = n > width ? n : width;
    }
    rti_sb_printf(b, "  measures over the %s regions:\n    ", rr->def->name);
    put_left(b, "", width);
    rti_sb_printf(b, " %12s %18s\n", "mean", "none within reach");
    for (int k = 0; k < f->n_measures; k++) {
        const rti_measure_def *d = &f->measures[k];
        rti_measure_region all;
        rti_measure_pooled(rti_run_measure_rows(run, t, k, 0), rr->polys.n,
                           rti_measure_is_cost(d->m.kind), &all);
        rti_sb_put(b, "    ");
        put_left(b, measure_label(d, label, sizeof(label)), width);
        snprintf(mean, sizeof(mean), "%.4g", all.mean);
        if (isnan(all.mean))
            rti_sb_printf(b, " %11s" NO_VALUE, "");
        else
            rti_sb_printf(b, " %12s", mean);
        put_number(b, all.pop_zero_persons, 18, 0, "");
        rti_sb_put(b, "\n");
    }
}

/* One line per type a scenario changes: the people worse and better off
 * and newly beyond each norm, summed over the regions of the first layer
 * (scenarios/<name>/<layer>_compare.csv has them per region). */
static void summary_scenarios(rti_sbuf *b, const rti_run *run)
{
    const rt_study *s = run->study;
    const rti_region_run *rr = &run->in.regions[0];
    for (int i = 0; i < run->scen->n; i++) {
        const rti_scen *sc = &run->scen->sc[i];
        rti_sb_printf(b, "\nscenario %s", sc->def->name);
        if (sc->def->label && strcmp(sc->def->label, sc->def->name) != 0)
            rti_sb_printf(b, " (%s)", sc->def->label);
        rti_sb_printf(b, ": outputs in scenarios/%s/; in the %s regions:\n", sc->def->name,
                      s->regions[0].name);
        if (sc->pop)
            rti_sb_printf(b, "  population: %.0f added, %.0f removed on the grid\n", sc->pop_added,
                          sc->pop_removed);
        for (int k = 0; k < sc->n_types; k++) {
            const rti_scen_type *ty = &sc->types[k];
            const rti_facility_type *f = ty->run.def;
            const int nn = f->n_norms;
            rti_cmp_headline(b, run, f, f->label ? f->label : f->type, ty->cmp);
            for (int j = 0; sc->pop && j < nn; j++) { /* new people count as well */
                char lab[32];
                double d = 0;
                for (int64_t r = 0; r < rr->polys.n; r++)
                    d += ty->run.res.stats[0][r].pop_beyond_persons[j] -
                         run->types[ty->t].res.stats[0][r].pop_beyond_persons[j];
                rti_norm_label(&f->norms[j], lab, sizeof(lab));
                rti_sb_printf(b, "%s beyond %s %+.0f", j ? "," : "; people", lab, d);
            }
            rti_sb_put(b, "\n");
        }
    }
}

char *rti_run_summary(const rti_run *run)
{
    const rt_study *s = run->study;
    rti_sbuf b;
    rti_sb_init(&b, NULL);
    rti_sb_printf(&b, "reistijd %s: study '%s'\n", rt_version(), s->name);
    rti_medium_summary(run->medium, &b);
    if (s->medium.description)
        rti_sb_printf(&b, "medium: %s\n", s->medium.description);
    if (s->has_population)
        rti_sb_printf(&b, "population on the grid: %.0f\n", run->in.pop_on_grid);
    else
        rti_sb_printf(&b, "population: none given; statistics weigh every cell equally\n");
    rti_medium_facts facts;
    rti_medium_facts_of(run->medium, &facts);
    for (int t = 0; t < s->n_facilities; t++) {
        const rti_type_run *tr = &run->types[t];
        rti_sb_printf(&b, "\n%s: %lld of %lld facilities used (%lld %s)\n",
                      tr->def->label ? tr->def->label : tr->def->type,
                      (long long)(tr->pts.n - tr->place.n_dropped), (long long)tr->pts.n,
                      (long long)tr->place.n_snapped, facts.moved);
        if (run->opts->validate_only || !tr->res.stats)
            continue;
        summary_regions(&b, run, t, 0);
        if (tr->res.pop_outside[0] > 0)
            rti_sb_printf(&b, "  population outside every %s polygon: %.0f\n", s->regions[0].name,
                          tr->res.pop_outside[0]);
        if (run->meas && tr->def->n_measures > 0)
            summary_measures(&b, run, t);
        for (int r = 1; r < s->n_regions; r++)
            rti_sb_printf(&b, "  %s: %lld regions, see %s.csv\n", s->regions[r].name,
                          (long long)run->in.regions[r].polys.n, s->regions[r].name);
    }
    if (run->scen && !run->opts->validate_only && s->n_regions > 0)
        summary_scenarios(&b, run);
    if (run->opts->validate_only) {
        char mem[32], budget[32];
        rti_sb_printf(&b, "\ninputs are valid; the run would need about %s of memory (budget %s)\n",
                      rti_fmt_bytes(run->est_bytes, mem, sizeof(mem)),
                      rti_fmt_bytes(run->budget_bytes, budget, sizeof(budget)));
    } else {
        rti_sb_printf(&b, "\ntimes (s):");
        for (int i = 0; i < run->n_stages; i++)
            rti_sb_printf(&b, " %s %.2f", run->stages[i].name, run->stages[i].seconds);
        rti_sb_printf(&b, "; %d thread%s\noutputs in %s/ (run.json lists them)\n", run->threads,
                      run->threads == 1 ? "" : "s", run->opts->outdir);
        if (run->study->outputs.report)
            rti_sb_printf(&b, "report: %s/report.html\n", run->opts->outdir);
    }
    return rti_sb_take(&b);
}
