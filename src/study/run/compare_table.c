/* The comparison of two sets of travel times on one grid, shared by the
 * scenarios of a run and by `reistijd compare`: per region the people
 * newly beyond and newly within each norm and better or worse off, the
 * compare table of a region layer, and the delta grid (docs/methods.md,
 * "Scenarios and their comparison"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "core/sbuf.h"
#include "study/run/run.h"

int64_t rti_cmp_at(const rti_run *run, const rti_facility_type *def, int r, int64_t i)
{
    int64_t at = 0;
    for (int q = 0; q < r; q++)
        at += run->in.regions[q].polys.n;
    return (at + i) * (2 * def->n_norms + 2);
}

/* Within a norm: reached, and the time (or length) known and at most the
 * limit; as in the region statistics (core/stats.c). */
static int within(const rt_norm *norm, double t, float len)
{
    if (!isfinite(t))
        return 0;
    return rt_norm_within(norm, norm->kind == RT_NORM_TIME ? t : (double)len);
}

void rti_compare_cells(const rti_run *run, const rti_facility_type *def, const double *ta,
                       const float *la, const double *tb, const float *lb, const float *pop,
                       double threshold_s, double *cmp)
{
    const rti_inputs *in = &run->in;
    const int nn = def->n_norms, w = 2 * nn + 2;
    for (int r = 0; r < run->study->n_regions; r++) {
        double *acc = cmp + rti_cmp_at(run, def, r, 0);
        memset(acc, 0, (size_t)in->regions[r].polys.n * (size_t)w * sizeof(double));
        const int32_t *index = in->regions[r].index;
        for (int64_t c = 0; c < in->n_cells; c++) {
            double p = pop ? pop[c] : 1.0, a = ta[c], b = tb[c];
            if (index[c] < 0 || !(p > 0))
                continue;
            double *v = acc + (int64_t)index[c] * w;
            float len_a = la ? la[c] : NAN, len_b = lb ? lb[c] : NAN;
            for (int k = 0; k < nn; k++) {
                int wa = within(&def->norms[k], a, len_a), wb = within(&def->norms[k], b, len_b);
                v[2 * k] += wa && !wb ? p : 0;     /* newly beyond */
                v[2 * k + 1] += !wa && wb ? p : 0; /* newly within */
            }
            /* by more than the threshold, with the tolerance RT_LIMIT_REL
             * of both times: a change of exactly the threshold, read back
             * from the Float32 minutes of two runs (compare), is not more */
            const double by =
                threshold_s +
                (isfinite(a) && isfinite(b) ? (fabs(a) + fabs(b)) * RT_LIMIT_REL : 0.0);
            v[2 * nn] += b < a - by ? p : 0;     /* better off */
            v[2 * nn + 1] += b > a + by ? p : 0; /* worse off */
        }
    }
}

void rti_cmp_headline(rti_sbuf *b, const rti_run *run, const rti_facility_type *f, const char *name,
                      const double *cmp)
{
    const int nn = f->n_norms, w = 2 * nn + 2;
    double sum[2 * RT_STATS_MAX_NORMS + 2] = {0};
    for (int64_t r = 0; r < run->in.regions[0].polys.n; r++) /* the first layer comes first */
        for (int j = 0; j < w; j++)
            sum[j] += cmp[r * w + j];
    rti_sb_printf(b, "  %s: %.0f worse off, %.0f better off", name, sum[2 * nn + 1], sum[2 * nn]);
    for (int j = 0; j < nn; j++) {
        char lab[32];
        rti_norm_label(&f->norms[j], lab, sizeof(lab));
        rti_sb_printf(b, "%s %.0f newly beyond %s", j ? "," : ";", sum[2 * j], lab);
    }
}

/* ---- the delta grids ---- */

typedef struct delta_src {
    const double *a, *b;
    int32_t nx;
} delta_src;

static void delta_row(int32_t row, void *buf, void *user)
{
    const delta_src *d = user;
    float *f = buf;
    for (int32_t c = 0; c < d->nx; c++) {
        int64_t i = (int64_t)row * d->nx + c;
        double a = d->a[i], b = d->b[i];
        f[c] = isinf(a) || isinf(b) ? NAN : (float)((b - a) / 60.0);
    }
}

static void reach_row(int32_t row, void *buf, void *user)
{
    const delta_src *d = user;
    int32_t *v = buf;
    for (int32_t c = 0; c < d->nx; c++) {
        int64_t i = (int64_t)row * d->nx + c;
        const int ra = d->a[i] < INFINITY, rb = d->b[i] < INFINITY;
        v[c] = ra == rb ? 0 : rb ? 1 : 2;
    }
}

static rt_status write_qml(rt_ctx *ctx, const rti_run *run, const char *path, char *qml)
{
    if (!qml)
        return RT_E_NOMEM;
    rt_status st = rti_write_text(ctx, path, rti_outset_final(&run->outs, path), qml);
    free(qml);
    return st;
}

rt_status rti_write_delta_outputs(rt_ctx *ctx, const rti_run *run, const char *const *paths,
                                  const double *ta, const double *tb, const char *type,
                                  const char *description)
{
    delta_src d = {ta, tb, run->in.grid.nx};
    const rti_language lang = run->study->report.language;
    char desc[300], title[256];
    rt_status st = RT_OK;
    if (paths[0]) {
        snprintf(desc, sizeof(desc), "change in travel time to the nearest facility (%s)",
                 description);
        st = rti_write_geotiff(ctx, paths[0], &run->in.grid, run->study->crs, RTI_FLOAT32, NAN,
                               desc, "min", delta_row, &d);
    }
    if (st == RT_OK && paths[1]) {
        rti_classes c;
        rti_classes_delta(&c);
        snprintf(title, sizeof(title), rti_label_text(lang, RTI_L_QML_DELTA_TITLE), type);
        st = write_qml(ctx, run, paths[1], rti_qml_raster_classes(ctx, &c, title, lang));
    }
    if (st == RT_OK && paths[2]) {
        snprintf(desc, sizeof(desc),
                 "cells that became reachable (1) or unreachable (2) for a facility (%s)",
                 description);
        st = rti_write_geotiff(ctx, paths[2], &run->in.grid, run->study->crs, RTI_INT32, 0, desc,
                               NULL, reach_row, &d);
    }
    if (st == RT_OK && paths[3]) {
        snprintf(title, sizeof(title), rti_label_text(lang, RTI_L_QML_REACH_TITLE), type);
        st = write_qml(ctx, run, paths[3], rti_qml_reach_change(ctx, title, lang));
    }
    return st;
}

/* ---- the compare table ---- */

#define MEAS_NAMES 256 /* measure names of a study, at most */

/* One row of the compare table: region i of layer r, type ct. */
static void compare_row(FILE *f, const rti_run *run, int r, int64_t i, const rti_cmp_type *ct,
                        const rt_norm *norms, int nn)
{
    const rti_region_run *rr = &run->in.regions[r];
    const rti_facility_type *def = ct->def;
    const rt_region_stats *a = &ct->a[r][i], *b = &ct->b[r][i];
    const double *v = ct->cmp + rti_cmp_at(run, def, r, i);
    rti_csv_str(f, rr->polys.id[i]);
    fputc(',', f);
    rti_csv_str(f, rr->polys.name ? rr->polys.name[i] : NULL);
    fputc(',', f);
    rti_csv_str(f, def->type);
    for (int j = 0; j < rti_region_stat_count(nn); j++) {
        double va = rti_region_stat_value(j, norms, def, a);
        double vb = rti_region_stat_value(j, norms, def, b);
        rti_csv_num(f, va, 1);
        rti_csv_num(f, vb, 1);
        rti_csv_num(f, vb - va, 1);
    }
    for (int k = 0; k < nn; k++) {
        int q = rti_norm_index(def, &norms[k]);
        rti_csv_num(f, q < 0 ? NAN : v[2 * q], 1);
        rti_csv_num(f, q < 0 ? NAN : v[2 * q + 1], 1);
    }
    rti_csv_num(f, v[2 * def->n_norms], 1);
    rti_csv_num(f, v[2 * def->n_norms + 1], 1);
    /* the measures: mean and the people with none, before and after */
    const char *names[MEAS_NAMES];
    const int nm = rti_run_measure_names(run->study, names, MEAS_NAMES);
    for (int j = 0; j < nm; j++) {
        const rti_measure_region *ma = NULL, *mb = NULL;
        for (int k = 0; k < def->n_measures; k++)
            if (strcmp(def->measures[k].name, names[j]) == 0) {
                ma = ct->meas_a ? &ct->meas_a[k][r][i] : NULL;
                mb = ct->meas_b ? &ct->meas_b[k][r][i] : NULL;
            }
        const double va[2] = {ma ? ma->mean : NAN, ma ? ma->pop_zero_persons : NAN};
        const double vb[2] = {mb ? mb->mean : NAN, mb ? mb->pop_zero_persons : NAN};
        for (int c = 0; c < 2; c++) {
            rti_csv_num(f, va[c], 1);
            rti_csv_num(f, vb[c], 1);
            rti_csv_num(f, vb[c] - va[c], 1);
        }
    }
    fputc('\n', f);
}

static void compare_header(FILE *f, FILE *ft, const rt_study *s, const rt_norm *norms, int nn)
{
    char buf[64], lab[32];
    fputs("region_id,region_name,type", f);
    fputs("\"String\",\"String\",\"String\"", ft);
    for (int j = 0; j < rti_region_stat_count(nn); j++) {
        const char *name = rti_region_stat_name(j, norms, buf, sizeof(buf));
        fprintf(f, ",%s_a,%s_b,%s_delta", name, name, name);
        fputs(",\"Real\",\"Real\",\"Real\"", ft);
    }
    for (int k = 0; k < nn; k++) {
        rti_norm_label(&norms[k], lab, sizeof(lab));
        fprintf(f, ",newly_beyond_%s_population,newly_within_%s_population", lab, lab);
        fputs(",\"Real\",\"Real\"", ft);
    }
    fputs(",better_off_population,worse_off_population", f);
    fputs(",\"Real\",\"Real\"", ft);
    const char *names[MEAS_NAMES];
    const int nm = rti_run_measure_names(s, names, MEAS_NAMES);
    for (int j = 0; j < nm; j++)
        for (int c = 0; c < 2; c++) {
            const char *what = c ? "population_none" : "mean";
            fprintf(f, ",%s_%s_a,%s_%s_b,%s_%s_delta", names[j], what, names[j], what, names[j],
                    what);
            fputs(",\"Real\",\"Real\",\"Real\"", ft);
        }
    fputs("\n", f);
    fputs("\n", ft);
}

rt_status rti_write_compare_csv(rt_ctx *ctx, const rti_run *run, int r, const rti_cmp_type *types,
                                int n, const char *path, const char *csvt)
{
    int nn;
    rt_norm *norms = rti_run_all_norms(ctx, run->study, &nn);
    if (!norms)
        return RT_E_NOMEM;
    FILE *f, *ft;
    if (rti_csv_open(ctx, run, path, csvt, &f, &ft) != RT_OK) {
        free(norms);
        return RT_E_IO;
    }
    compare_header(f, ft, run->study, norms, nn);
    for (int64_t i = 0; i < run->in.regions[r].polys.n; i++)
        for (int k = 0; k < n; k++)
            compare_row(f, run, r, i, &types[k], norms, nn);
    free(norms);
    return rti_csv_close(ctx, run, path, f, ft);
}

/* ---- the compare layers ---- */

/* The columns of one region layer: id, name, then per type the mean time
 * before, after and its change, per norm the people newly beyond and
 * newly within it, and better and worse off. */
typedef struct cmp_cols {
    rti_column *c;
    char **names;
    double **vals;
    int n, cap;
} cmp_cols;

static double *add_col(rt_ctx *ctx, cmp_cols *cc, int64_t n, const char *type, const char *what)
{
    if (cc->n >= cc->cap)
        return NULL;
    size_t len = strlen(type) + strlen(what) + 2;
    char *name = rti_malloc_array(ctx, (int64_t)len, 1, "compare layer");
    double *v = rti_malloc_array(ctx, n ? n : 1, sizeof(double), "compare layer");
    if (!name || !v) {
        free(name);
        free(v);
        return NULL;
    }
    snprintf(name, len, "%s_%s", type, what);
    cc->names[cc->n] = name;
    cc->vals[cc->n] = v;
    cc->c[cc->n++] = (rti_column){name, RTI_COL_REAL, NULL, NULL, v};
    return v;
}

static rt_status layer_columns(rt_ctx *ctx, const rti_run *run, int r, const rti_cmp_type *types,
                               int nt, cmp_cols *cc)
{
    const rti_region_run *rr = &run->in.regions[r];
    const int64_t n = rr->polys.n;
    cc->c[cc->n++] =
        (rti_column){"region_id", RTI_COL_STR, (const char *const *)rr->polys.id, NULL, NULL};
    if (rr->polys.name)
        cc->c[cc->n++] = (rti_column){"region_name", RTI_COL_STR,
                                      (const char *const *)rr->polys.name, NULL, NULL};
    for (int k = 0; k < nt; k++) {
        const rti_facility_type *def = types[k].def;
        const int nn = def->n_norms;
        double *a = add_col(ctx, cc, n, def->type, "time_mean_min_a");
        double *b = add_col(ctx, cc, n, def->type, "time_mean_min_b");
        double *d = add_col(ctx, cc, n, def->type, "time_mean_min_delta");
        if (!a || !b || !d)
            return RT_E_NOMEM;
        for (int64_t i = 0; i < n; i++) {
            a[i] = types[k].a[r][i].time_mean_s / 60;
            b[i] = types[k].b[r][i].time_mean_s / 60;
            d[i] = b[i] - a[i];
        }
        for (int q = 0; q < 2 * nn + 2; q++) {
            char what[96], lab[32];
            if (q < 2 * nn) {
                rti_norm_label(&def->norms[q / 2], lab, sizeof(lab));
                snprintf(what, sizeof(what), "newly_%s_%s_population", q % 2 ? "within" : "beyond",
                         lab);
            } else {
                snprintf(what, sizeof(what), "%s_off_population", q == 2 * nn ? "better" : "worse");
            }
            double *v = add_col(ctx, cc, n, def->type, what);
            if (!v)
                return RT_E_NOMEM;
            for (int64_t i = 0; i < n; i++)
                v[i] = types[k].cmp[rti_cmp_at(run, def, r, i) + q];
        }
    }
    return RT_OK;
}

rt_status rti_write_compare_gpkg(rt_ctx *ctx, const rti_run *run, const char *path,
                                 const rti_cmp_type *types, int nt)
{
    const rt_study *s = run->study;
    rt_status st = RT_OK;
    int cap = 2;
    for (int k = 0; k < nt; k++)
        cap += 3 + 2 * types[k].def->n_norms + 2;
    rti_layer_style *styles =
        rti_malloc_array(ctx, s->n_regions ? s->n_regions : 1, sizeof(*styles), "compare styles");
    char **qml =
        rti_malloc_array(ctx, s->n_regions ? s->n_regions : 1, sizeof(char *), "compare styles");
    char attr[200];
    if (!styles || !qml)
        st = RT_E_NOMEM;
    rti_classes cl;
    rti_classes_delta(&cl);
    const rti_language lang = s->report.language;
    for (int r = 0; st == RT_OK && r < s->n_regions; r++) {
        cmp_cols cc = {0};
        cc.cap = cap;
        cc.c = rti_malloc_array(ctx, cap, sizeof(*cc.c), "compare layer");
        cc.names = rti_malloc_array(ctx, cap, sizeof(char *), "compare layer");
        cc.vals = rti_malloc_array(ctx, cap, sizeof(double *), "compare layer");
        st = cc.c && cc.names && cc.vals ? layer_columns(ctx, run, r, types, nt, &cc) : RT_E_NOMEM;
        if (st == RT_OK)
            st = rti_write_gpkg_layer(ctx, path, s->regions[r].name, s->crs,
                                      &run->in.regions[r].polys, NULL, NULL,
                                      run->in.regions[r].polys.n, cc.c, cc.n);
        for (int j = 0; cc.names && j < cc.n; j++) {
            free(cc.names[j]);
            free(cc.vals[j]);
        }
        free(cc.c);
        free(cc.names);
        free(cc.vals);
        /* the change of the first type's mean time, blue to red */
        snprintf(attr, sizeof(attr), "%s_time_mean_min_delta", nt ? types[0].def->type : "");
        qml[r] = st == RT_OK && nt ? rti_qml_graduated(ctx, attr, &cl, lang) : NULL;
        if (st == RT_OK && nt && !qml[r])
            st = RT_E_NOMEM;
        styles[r] = (rti_layer_style){s->regions[r].name, "reistijd", qml[r], NULL, 1};
    }
    if (st == RT_OK && nt)
        st = rti_gpkg_write_styles(ctx, path, styles, s->n_regions);
    for (int r = 0; qml && r < s->n_regions; r++)
        free(qml[r]); /* rti_malloc_array zeroes: NULL where none was made */
    free(qml);
    free(styles);
    return st;
}
