/* Outputs of a run: GeoTIFFs per voorziening type, the GeoPackage (regions
 * with their statistics, facilities where they start), a CSV per region
 * layer and the summary table. docs/outputs.md describes every column. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

rt_status rti_run_add_output(rt_ctx *ctx, rti_run *run, const char *name, const char **tmp)
{
    return rti_outset_add_in(ctx, &run->outs, run->opts->outdir, name, tmp);
}

rt_status rti_run_plan_outputs(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    char name[256];
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && s->outputs.grids && t < s->n_facilities; t++) {
        for (int g = 0; st == RT_OK && g < 5; g++) {
            if ((g == RTI_GRID_TIME2 || g == RTI_GRID_FACILITY2) && !s->outputs.second)
                continue;
            if (g == RTI_GRID_LENGTH && !s->outputs.length)
                continue;
            rti_type_file(s->facilities[t].type, rti_grid_suffix(g), "tif", name, sizeof(name));
            st = rti_run_add_output(ctx, run, name, &run->types[t].tmp_grid[g]);
        }
    }
    if (st == RT_OK)
        st = rti_run_measures_plan(ctx, run);
    /* type names like "a" and "a_second" could ask for the same file */
    for (int i = 0; st == RT_OK && i < run->outs.n; i++)
        for (int j = i + 1; j < run->outs.n; j++)
            if (strcmp(run->outs.final[i], run->outs.final[j]) == 0)
                return rti_error(ctx, RT_E_ARG,
                                 "%s: two facility types would both write %s; rename one of them",
                                 s->path, run->outs.final[i]);
    /* the layers of reistijd.gpkg a type has beside the region layers */
    static const char *const type_layer[4] = {"facilities_%s", "isochrones_%s", "catchments_%s",
                                              "roads_%s"};
    const int graph = s->medium.kind == RTI_MEDIUM_NETWORK || s->medium.kind == RTI_MEDIUM_HYBRID;
    const int has[4] = {1, s->outputs.isochrones, s->outputs.catchments, graph};
    for (int r = 0; st == RT_OK && s->outputs.geopackage && r < s->n_regions; r++)
        for (int t = 0; t < s->n_facilities; t++)
            for (int k = 0; k < 4; k++) {
                snprintf(name, sizeof(name), type_layer[k], s->facilities[t].type);
                if (has[k] && strcmp(name, s->regions[r].name) == 0)
                    return rti_error(ctx, RT_E_ARG,
                                     "%s: region layer '%s' has the name of the GeoPackage layer "
                                     "of facility type '%s'; rename the region layer",
                                     s->path, s->regions[r].name, s->facilities[t].type);
            }
    return st;
}

/* ---- grids ---- */

typedef struct row_src {
    const rt_labels *lab;
    const rti_type_run *tr;
    int32_t nx;
    int which;
} row_src;

static void grid_row(int32_t row, void *buf, void *user)
{
    const row_src *rs = user;
    int64_t off = (int64_t)row * rs->nx;
    const rt_labels *l = rs->lab;
    float *f = buf;
    int32_t *k = buf;
    for (int32_t c = 0; c < rs->nx; c++) {
        int64_t i = off + c;
        switch (rs->which) {
        case RTI_GRID_TIME:
            f[c] = isinf(l->time_s[i]) ? NAN : (float)(l->time_s[i] / 60.0);
            break;
        case RTI_GRID_TIME2:
            f[c] = isinf(l->time2_s[i]) ? NAN : (float)(l->time2_s[i] / 60.0);
            break;
        case RTI_GRID_LENGTH:
            f[c] = l->length_m[i];
            break;
        case RTI_GRID_FACILITY:
            k[c] = l->facility[i] < 0
                       ? -1
                       : rti_facility_grid_value(&rs->tr->pts, rs->tr->grid_by_row, l->facility[i]);
            break;
        default:
            k[c] = l->facility2[i] < 0 ? -1
                                       : rti_facility_grid_value(&rs->tr->pts, rs->tr->grid_by_row,
                                                                 l->facility2[i]);
            break;
        }
    }
}

rt_status rti_run_write_type_grids(rt_ctx *ctx, rti_run *run, const rti_type_run *tr,
                                   const rt_labels *lab)
{
    static const char *const desc[5] = {
        "travel time to the nearest facility", "feature id of the nearest facility",
        "travel time to the second-nearest facility", "feature id of the second-nearest facility",
        "length of the fastest route to the nearest facility"};
    static const char *const unit[5] = {"min", "", "min", "", "m"};
    for (int g = 0; g < 5; g++) {
        if (!tr->tmp_grid[g])
            continue;
        row_src rs = {lab, tr, run->in.grid.nx, g};
        int is_int = g == RTI_GRID_FACILITY || g == RTI_GRID_FACILITY2;
        rt_status st = rti_write_geotiff(ctx, tr->tmp_grid[g], &run->in.grid, run->study->crs,
                                         is_int ? RTI_INT32 : RTI_FLOAT32, is_int ? -1.0 : NAN,
                                         desc[g], unit[g], grid_row, &rs);
        if (st != RT_OK)
            return st;
    }
    return RT_OK;
}

/* ---- norms ---- */

rt_norm *rti_run_all_norms(rt_ctx *ctx, const rt_study *s, int *n)
{
    *n = 0;
    rt_norm *out = rti_malloc_array(ctx, (int64_t)s->n_facilities * RT_STATS_MAX_NORMS + 1,
                                    sizeof(*out), "norms");
    if (!out)
        return NULL;
    for (int t = 0; t < s->n_facilities; t++)
        for (int k = 0; k < s->facilities[t].n_norms; k++) {
            const rt_norm *a = &s->facilities[t].norms[k];
            int seen = 0;
            for (int j = 0; j < *n; j++)
                seen |= out[j].kind == a->kind && rt_norm_limit(&out[j]) == rt_norm_limit(a);
            if (!seen)
                out[(*n)++] = *a;
        }
    return out;
}

int rti_norm_index(const rti_facility_type *f, const rt_norm *n)
{
    for (int k = 0; k < f->n_norms; k++)
        if (f->norms[k].kind == n->kind && rt_norm_limit(&f->norms[k]) == rt_norm_limit(n))
            return k;
    return -1;
}

/* ---- CSV ---- */

void rti_csv_str(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

rt_status rti_csv_open(rt_ctx *ctx, const rti_run *run, const char *path, const char *csvt,
                       FILE **f, FILE **ft)
{
    *f = fopen(path, "w");
    *ft = fopen(csvt, "w");
    if (*f && *ft)
        return RT_OK;
    rt_status st = rti_error(ctx, RT_E_IO, "%s: cannot write: %s",
                             rti_outset_final(&run->outs, *f ? csvt : path), strerror(errno));
    if (*f)
        fclose(*f);
    if (*ft)
        fclose(*ft);
    return st;
}

rt_status rti_csv_close(rt_ctx *ctx, const rti_run *run, const char *path, FILE *f, FILE *ft)
{
    int bad = ferror(f) | ferror(ft);
    bad |= fclose(f) != 0;
    bad |= fclose(ft) != 0;
    return bad ? rti_error(ctx, RT_E_IO, "%s: write failed: %s", rti_outset_final(&run->outs, path),
                           strerror(errno))
               : RT_OK;
}

void rti_csv_num(FILE *f, double v, double scale)
{
    fputc(',', f);
    if (!isnan(v))
        fprintf(f, "%.10g", v * scale);
}

/* The statistics before those of the norms: name, field, scale. */
static const struct {
    const char *name;
    size_t off;
    double scale;
} STAT_COLS[] = {
    {"population", offsetof(rt_region_stats, pop_persons), 1},
    {"population_reached", offsetof(rt_region_stats, pop_reached_persons), 1},
    {"population_unreachable", offsetof(rt_region_stats, pop_unreachable_persons), 1},
    {"area_km2", offsetof(rt_region_stats, area_m2), 1e-6},
    {"time_mean_min", offsetof(rt_region_stats, time_mean_s), 1 / 60.0},
    {"time_median_min", offsetof(rt_region_stats, time_median_s), 1 / 60.0},
    {"time_p90_min", offsetof(rt_region_stats, time_p90_s), 1 / 60.0},
    {"time_max_min", offsetof(rt_region_stats, time_max_s), 1 / 60.0},
    {"length_mean_km", offsetof(rt_region_stats, length_mean_m), 1e-3},
    {"length_median_km", offsetof(rt_region_stats, length_median_m), 1e-3},
    {"length_p90_km", offsetof(rt_region_stats, length_p90_m), 1e-3},
    {"length_max_km", offsetof(rt_region_stats, length_max_m), 1e-3},
};
#define N_STAT_COLS ((int)(sizeof(STAT_COLS) / sizeof(STAT_COLS[0])))

int rti_region_stat_count(int nn) { return N_STAT_COLS + 2 * nn; }

const char *rti_region_stat_name(int j, const rt_norm *norms, char *buf, size_t size)
{
    if (j < N_STAT_COLS)
        return STAT_COLS[j].name;
    char lab[32];
    rti_norm_label(&norms[(j - N_STAT_COLS) / 2], lab, sizeof(lab));
    snprintf(buf, size, (j - N_STAT_COLS) % 2 ? "beyond_%s_share" : "beyond_%s_population", lab);
    return buf;
}

double rti_region_stat_value(int j, const rt_norm *norms, const rti_facility_type *def,
                             const rt_region_stats *x)
{
    if (j < N_STAT_COLS) {
        double v;
        memcpy(&v, (const unsigned char *)x + STAT_COLS[j].off, sizeof(v));
        return v * STAT_COLS[j].scale;
    }
    int k = rti_norm_index(def, &norms[(j - N_STAT_COLS) / 2]);
    if (k < 0)
        return NAN;
    return (j - N_STAT_COLS) % 2 ? x->share_beyond[k] : x->pop_beyond_persons[k];
}

rt_status rti_run_write_region_csv(rt_ctx *ctx, const rti_run *run, int r,
                                   const rti_type_run *const *trs, int n, const char *path,
                                   const char *csvt)
{
    const rti_region_run *rr = &run->in.regions[r];
    int nn;
    rt_norm *norms = rti_run_all_norms(ctx, run->study, &nn);
    if (!norms)
        return RT_E_NOMEM;
    int ns = rti_region_stat_count(nn);
    char buf[64];
    FILE *f, *ft;
    if (rti_csv_open(ctx, run, path, csvt, &f, &ft) != RT_OK) {
        free(norms);
        return RT_E_IO;
    }
    fputs("region_id,region_name,type", f);
    fputs("\"String\",\"String\",\"String\"", ft);
    for (int j = 0; j < ns; j++) {
        fprintf(f, ",%s", rti_region_stat_name(j, norms, buf, sizeof(buf)));
        fputs(",\"Real\"", ft);
    }
    rti_run_measures_csv_head(run, f, ft);
    fputc('\n', f);
    fputc('\n', ft);
    for (int64_t i = 0; i < rr->polys.n; i++)
        for (int t = 0; t < n; t++) {
            const rt_region_stats *x = &trs[t]->res.stats[r][i];
            rti_csv_str(f, rr->polys.id[i]);
            fputc(',', f);
            rti_csv_str(f, rr->polys.name ? rr->polys.name[i] : NULL);
            fputc(',', f);
            rti_csv_str(f, trs[t]->def->type);
            for (int j = 0; j < ns; j++)
                rti_csv_num(f, rti_region_stat_value(j, norms, trs[t]->def, x), 1);
            rti_run_measures_csv_row(run, trs[t], r, i, f);
            fputc('\n', f);
        }
    free(norms);
    return rti_csv_close(ctx, run, path, f, ft);
}

/* ---- GeoPackage ---- */

#define MAX_COLS 512

typedef struct colset {
    rti_column c[MAX_COLS];
    char *names[MAX_COLS];
    double *vals[MAX_COLS];
    int n;
} colset;

static double *add_real(rt_ctx *ctx, colset *cs, int64_t n, const char *fmt, const char *a,
                        const char *b)
{
    if (cs->n == MAX_COLS) {
        rti_error(ctx, RT_E_ARG, "too many output columns (more than %d)", MAX_COLS);
        return NULL;
    }
    char name[128];
    snprintf(name, sizeof(name), fmt, a, b);
    cs->names[cs->n] = strdup(name);
    cs->vals[cs->n] = rti_malloc_array(ctx, n, sizeof(double), "output column");
    if (!cs->names[cs->n] || !cs->vals[cs->n]) {
        free(cs->names[cs->n]);
        free(cs->vals[cs->n]);
        rti_error(ctx, RT_E_NOMEM, "out of memory for output columns");
        return NULL;
    }
    cs->c[cs->n] = (rti_column){cs->names[cs->n], RTI_COL_REAL, NULL, NULL, cs->vals[cs->n]};
    return cs->vals[cs->n++];
}

static void colset_free(colset *cs)
{
    for (int i = 0; i < cs->n; i++) {
        free(cs->names[i]);
        free(cs->vals[i]);
    }
    cs->n = 0;
}

static rt_status write_region_layer(rt_ctx *ctx, rti_run *run, int r, const char *gpkg)
{
    const rt_study *s = run->study;
    const rti_region_run *rr = &run->in.regions[r];
    int64_t n = rr->polys.n;
    colset *cs = calloc(1, sizeof(*cs));
    if (!cs)
        return rti_error(ctx, RT_E_NOMEM, "out of memory for output columns");
    cs->c[cs->n++] =
        (rti_column){"region_id", RTI_COL_STR, (const char *const *)rr->polys.id, NULL, NULL};
    if (rr->polys.name)
        cs->c[cs->n++] = (rti_column){"region_name", RTI_COL_STR,
                                      (const char *const *)rr->polys.name, NULL, NULL};
    rt_status st = RT_OK;
    double *pop = add_real(ctx, cs, n, "%s%s", "population", "");
    double *area = add_real(ctx, cs, n, "%s%s", "area_km2", "");
    if (!pop || !area)
        st = rt_ctx_errcode(ctx);
    for (int64_t i = 0; st == RT_OK && i < n; i++) {
        pop[i] = run->types[0].res.stats[r][i].pop_persons;
        area[i] = run->types[0].res.stats[r][i].area_m2 * 1e-6;
    }
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const char *ty = s->facilities[t].type;
        double *c[8] = {add_real(ctx, cs, n, "%s_%s", ty, "mean_min"),
                        add_real(ctx, cs, n, "%s_%s", ty, "median_min"),
                        add_real(ctx, cs, n, "%s_%s", ty, "p90_min"),
                        add_real(ctx, cs, n, "%s_%s", ty, "max_min"),
                        add_real(ctx, cs, n, "%s_%s", ty, "mean_km"),
                        add_real(ctx, cs, n, "%s_%s", ty, "p90_km"),
                        add_real(ctx, cs, n, "%s_%s", ty, "unreachable"),
                        NULL};
        for (int k = 0; k < 7; k++)
            if (!c[k])
                st = rt_ctx_errcode(ctx);
        for (int64_t i = 0; st == RT_OK && i < n; i++) {
            const rt_region_stats *x = &run->types[t].res.stats[r][i];
            c[0][i] = x->time_mean_s / 60;
            c[1][i] = x->time_median_s / 60;
            c[2][i] = x->time_p90_s / 60;
            c[3][i] = x->time_max_s / 60;
            c[4][i] = x->length_mean_m / 1000;
            c[5][i] = x->length_p90_m / 1000;
            c[6][i] = x->pop_unreachable_persons;
        }
        for (int k = 0; st == RT_OK && k < s->facilities[t].n_norms; k++) {
            char lab[32], col[64];
            rti_norm_label(&s->facilities[t].norms[k], lab, sizeof(lab));
            snprintf(col, sizeof(col), "beyond_%s", lab);
            double *b = add_real(ctx, cs, n, "%s_%s", ty, col);
            snprintf(col, sizeof(col), "share_beyond_%s", lab);
            double *sh = add_real(ctx, cs, n, "%s_%s", ty, col);
            if (!b || !sh) {
                st = rt_ctx_errcode(ctx);
                break;
            }
            for (int64_t i = 0; i < n; i++) {
                b[i] = run->types[t].res.stats[r][i].pop_beyond_persons[k];
                sh[i] = run->types[t].res.stats[r][i].share_beyond[k];
            }
        }
    }
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        for (int k = 0; st == RT_OK && k < s->facilities[t].n_measures; k++) {
            const char *ty = s->facilities[t].type, *name = s->facilities[t].measures[k].name;
            const rti_measure_region *x = rti_run_measure_rows(run, t, k, r);
            char col[4][160];
            double *c[4];
            for (int j = 0; j < 4; j++) {
                snprintf(col[j], sizeof(col[j]), "%s_%s", name, rti_run_measure_column(j));
                if (!(c[j] = add_real(ctx, cs, n, "%s_%s", ty, col[j])))
                    st = rt_ctx_errcode(ctx);
            }
            for (int64_t i = 0; st == RT_OK && i < n; i++) {
                c[0][i] = x[i].mean;
                c[1][i] = x[i].gini;
                c[2][i] = x[i].worst_decile_share;
                c[3][i] = x[i].pop_zero_persons;
            }
        }
    if (st == RT_OK)
        st = rti_write_gpkg_layer(ctx, gpkg, rr->def->name, s->crs, &rr->polys, NULL, NULL, n,
                                  cs->c, cs->n);
    colset_free(cs);
    free(cs);
    return st;
}

static rt_status write_facility_layer(rt_ctx *ctx, rti_run *run, int t, const char *gpkg)
{
    const rti_type_run *tr = &run->types[t];
    int64_t n = tr->pts.n;
    double *x = rti_malloc_array(ctx, n, sizeof(double), "facility layer");
    double *y = rti_malloc_array(ctx, n, sizeof(double), "facility layer");
    int64_t *fid = rti_malloc_array(ctx, n, sizeof(int64_t), "facility layer");
    const char **status = rti_malloc_array(ctx, n, sizeof(char *), "facility layer");
    rt_status st = x && y && fid && status ? RT_OK : RT_E_NOMEM;
    for (int64_t i = 0; st == RT_OK && i < n; i++) {
        int64_t c = tr->place.cell[i];
        fid[i] = tr->pts.fid[i];
        if (c < 0) {
            x[i] = tr->pts.x[i];
            y[i] = tr->pts.y[i];
            status[i] = "left out";
        } else {
            rti_grid_centre(&run->in.grid, c, &x[i], &y[i]);
            status[i] = tr->place.snap_m[i] > 0 ? "moved" : "ok";
        }
    }
    if (st == RT_OK) {
        rti_column cols[8];
        int nc = 0;
        cols[nc++] = (rti_column){"source_fid", RTI_COL_INT, NULL, fid, NULL};
        cols[nc++] =
            (rti_column){"facility_id", RTI_COL_STR, (const char *const *)tr->pts.id, NULL, NULL};
        if (tr->pts.name)
            cols[nc++] =
                (rti_column){"name", RTI_COL_STR, (const char *const *)tr->pts.name, NULL, NULL};
        if (tr->def->capacity_column)
            cols[nc++] = (rti_column){"capacity", RTI_COL_REAL, NULL, NULL, tr->pts.value};
        cols[nc++] = (rti_column){"status", RTI_COL_STR, status, NULL, NULL};
        cols[nc++] = (rti_column){"snap_m", RTI_COL_REAL, NULL, NULL, tr->place.snap_m};
        cols[nc++] = (rti_column){"x_input", RTI_COL_REAL, NULL, NULL, tr->pts.x};
        cols[nc++] = (rti_column){"y_input", RTI_COL_REAL, NULL, NULL, tr->pts.y};
        char layer[128];
        snprintf(layer, sizeof(layer), "facilities_%s", tr->def->type);
        st = rti_write_gpkg_layer(ctx, gpkg, layer, run->study->crs, NULL, x, y, n, cols, nc);
    }
    free(x);
    free(y);
    free(fid);
    free(status);
    return st;
}

/* ---- isochrones and catchments ---- */

rt_status rti_run_type_zones(rt_ctx *ctx, rti_run *run, int t, rt_labels *lab)
{
    const rt_study *s = run->study;
    const rti_inputs *in = &run->in;
    rti_type_run *tr = &run->types[t];
    double limits_s[RT_STATS_MAX_NORMS];
    int n = rti_isochrone_limits(tr->def, limits_s);
    rt_status st = RT_OK;
    /* the classes are the points: the facility labels are int32 */
    if (s->outputs.catchments)
        st = rti_zones_polygonize(ctx, &in->grid, lab->facility, (int32_t)tr->pts.n, in->pop,
                                  lab->time_s, &tr->res.catchments);
    if (st == RT_OK && s->outputs.isochrones && n > 0)
        st = rti_zones_within(ctx, &in->grid, lab->time_s, limits_s, n, in->pop, lab->facility,
                              &tr->res.isochrones);
    return st;
}

/* The columns population, area_km2 and cells of zones z after the nc
 * columns in cols; area gets z->n values. Returns the new count. */
static int zone_columns(const rti_run *run, const rti_zones *z, double *area, rti_column *cols,
                        int nc)
{
    const double cell_m2 = run->in.grid.cell_m * run->in.grid.cell_m;
    for (int64_t i = 0; i < z->n; i++) /* as the region layers' area_km2 */
        area[i] = (double)z->cells[i] * cell_m2 * 1e-6;
    cols[nc++] = (rti_column){"population", RTI_COL_REAL, NULL, NULL, z->pop_persons};
    cols[nc++] = (rti_column){"area_km2", RTI_COL_REAL, NULL, NULL, area};
    cols[nc++] = (rti_column){"cells", RTI_COL_INT, NULL, z->cells, NULL};
    return nc;
}

static rt_status write_isochrones(rt_ctx *ctx, const rti_run *run, int t, const char *gpkg)
{
    const rti_type_run *tr = &run->types[t];
    const rti_zones *z = &tr->res.isochrones;
    double limits_s[RT_STATS_MAX_NORMS], minutes[RT_STATS_MAX_NORMS], area[RT_STATS_MAX_NORMS];
    int n = rti_isochrone_limits(tr->def, limits_s);
    if (n == 0)
        return RT_OK;
    if (z->n != n)
        return rti_error(ctx, RT_E_INTERNAL, "%s: %lld isochrones for %d norms", tr->def->type,
                         (long long)z->n, n);
    for (int k = 0; k < n; k++)
        minutes[k] = limits_s[k] / 60.0;
    rti_column cols[4] = {{"threshold_min", RTI_COL_REAL, NULL, NULL, minutes}};
    int nc = zone_columns(run, z, area, cols, 1);
    char layer[128];
    snprintf(layer, sizeof(layer), "isochrones_%s", tr->def->type);
    return rti_write_gpkg_layer(ctx, gpkg, layer, run->study->crs, &z->polys, NULL, NULL, z->n,
                                cols, nc);
}

static rt_status write_catchments(rt_ctx *ctx, const rti_run *run, int t, const char *gpkg)
{
    const rti_type_run *tr = &run->types[t];
    const rti_zones *z = &tr->res.catchments;
    int64_t n = z->n;
    const char **id = rti_malloc_array(ctx, n, sizeof(char *), "catchments");
    const char **name = rti_malloc_array(ctx, n, sizeof(char *), "catchments");
    int64_t *fid = rti_malloc_array(ctx, n, sizeof(int64_t), "catchments");
    double *area = rti_malloc_array(ctx, n, sizeof(double), "catchments");
    double *mean_min = rti_malloc_array(ctx, n, sizeof(double), "catchments");
    rt_status st = id && name && fid && area && mean_min ? RT_OK : RT_E_NOMEM;
    for (int64_t i = 0; st == RT_OK && i < n; i++) {
        int32_t p = z->klass[i]; /* the facility's point */
        id[i] = tr->pts.id[p];
        name[i] = tr->pts.name ? tr->pts.name[p] : NULL;
        fid[i] = tr->pts.fid[p];
        mean_min[i] = z->time_mean_s[i] / 60.0;
    }
    if (st == RT_OK) {
        rti_column cols[8];
        int nc = 0;
        cols[nc++] = (rti_column){"facility_id", RTI_COL_STR, id, NULL, NULL};
        cols[nc++] = (rti_column){"source_fid", RTI_COL_INT, NULL, fid, NULL};
        if (tr->pts.name)
            cols[nc++] = (rti_column){"facility_name", RTI_COL_STR, name, NULL, NULL};
        nc = zone_columns(run, z, area, cols, nc);
        cols[nc++] = (rti_column){"time_mean_min", RTI_COL_REAL, NULL, NULL, mean_min};
        char layer[128];
        snprintf(layer, sizeof(layer), "catchments_%s", tr->def->type);
        st = rti_write_gpkg_layer(ctx, gpkg, layer, run->study->crs, &z->polys, NULL, NULL, n, cols,
                                  nc);
    }
    free(id);
    free(name);
    free(fid);
    free(area);
    free(mean_min);
    return st;
}

rt_status rti_run_write_tables(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    rt_status st = RT_OK;
    char name[256];
    if (s->outputs.geopackage) {
        const char *gpkg;
        st = rti_run_add_output(ctx, run, "reistijd.gpkg", &gpkg);
        for (int r = 0; st == RT_OK && r < s->n_regions; r++)
            st = write_region_layer(ctx, run, r, gpkg);
        for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
            st = write_facility_layer(ctx, run, t, gpkg);
        for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
            st = rti_medium_write_layers(ctx, run->medium, &run->types[t].place, &run->types[t].pts,
                                         s->facilities[t].type, gpkg);
        for (int t = 0; st == RT_OK && s->outputs.isochrones && t < s->n_facilities; t++)
            st = write_isochrones(ctx, run, t, gpkg);
        for (int t = 0; st == RT_OK && s->outputs.catchments && t < s->n_facilities; t++)
            st = write_catchments(ctx, run, t, gpkg);
    }
    const rti_type_run **trs = rti_malloc_array(ctx, s->n_facilities, sizeof(*trs), "types");
    if (!trs)
        return RT_E_NOMEM;
    for (int t = 0; t < s->n_facilities; t++)
        trs[t] = &run->types[t];
    for (int r = 0; st == RT_OK && s->outputs.csv && r < s->n_regions; r++) {
        const char *csv, *csvt;
        rti_region_table_name(s->regions[r].name, 0, 0, name, sizeof(name));
        st = rti_run_add_output(ctx, run, name, &csv);
        rti_region_table_name(s->regions[r].name, 0, 1, name, sizeof(name));
        if (st == RT_OK)
            st = rti_run_add_output(ctx, run, name, &csvt);
        if (st == RT_OK)
            st = rti_run_write_region_csv(ctx, run, r, trs, s->n_facilities, csv, csvt);
    }
    free(trs);
    return st == RT_OK && s->outputs.closures ? rti_run_write_closures(ctx, run) : st;
}
