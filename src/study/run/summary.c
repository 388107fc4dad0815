/* The text summary of a run or validation (what the command prints), and
 * the public getters of the summaries kept with the study. */
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

static void summary_regions(rti_sbuf *b, const rti_run *run, int t, int r)
{
    const rti_facility_type *f = run->types[t].def;
    const rti_region_run *rr = &run->in.regions[r];
    rti_sb_printf(b, "\n  %-28s %10s %8s %8s %8s", rr->def->name, "population", "mean", "median",
                  "p90");
    for (int k = 0; k < f->n_norms; k++) {
        char lab[32], col[40];
        rti_norm_label(&f->norms[k], lab, sizeof(lab));
        snprintf(col, sizeof(col), ">%s", lab);
        rti_sb_printf(b, " %9s", col);
    }
    rti_sb_printf(b, "\n");
    int64_t shown = rr->polys.n < 40 ? rr->polys.n : 40;
    for (int64_t i = 0; i < shown; i++) {
        const rt_region_stats *x = &run->types[t].res.stats[r][i];
        char label[64];
        snprintf(label, sizeof(label), "%s %s", rr->polys.id[i],
                 rr->polys.name ? rr->polys.name[i] : "");
        rti_sb_printf(b, "  %-28.28s %10.0f %8.1f %8.1f %8.1f", label, x->pop_persons,
                      x->time_mean_s / 60, x->time_median_s / 60, x->time_p90_s / 60);
        for (int k = 0; k < f->n_norms; k++)
            rti_sb_printf(b, " %8.1f%%", 100 * x->share_beyond[k]);
        rti_sb_printf(b, "\n");
    }
    if (shown < rr->polys.n)
        rti_sb_printf(b, "  ... %lld more in %s.csv\n", (long long)(rr->polys.n - shown),
                      rr->def->name);
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
        for (int r = 1; r < s->n_regions; r++)
            rti_sb_printf(&b, "  %s: %lld regions, see %s.csv\n", s->regions[r].name,
                          (long long)run->in.regions[r].polys.n, s->regions[r].name);
    }
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
