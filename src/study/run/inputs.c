/* The inputs of a run, read through the I/O layer onto the analysis grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

typedef struct id_at {
    const char *id;
    int64_t i;
} id_at;

static int by_id_then_index(const void *a, const void *b)
{
    const id_at *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* RT_E_DATA naming both features and the id when two regions of a layer
 * share an id (the first such pair in feature order): their rows of the
 * tables could not be told apart. */
static rt_status check_unique_ids(rt_ctx *ctx, const rti_polygons *p, const char *path,
                                  const char *column)
{
    id_at *ids = rti_malloc_array(ctx, p->n > 0 ? p->n : 1, sizeof(*ids), "region ids");
    if (!ids)
        return RT_E_NOMEM;
    int64_t n = 0;
    for (int64_t i = 0; i < p->n; i++)
        if (p->id[i])
            ids[n++] = (id_at){p->id[i], i};
    qsort(ids, (size_t)n, sizeof(*ids), by_id_then_index);
    int64_t first = -1, second = -1; /* the pair whose later feature comes first */
    for (int64_t k = 1; k < n; k++)
        if (strcmp(ids[k].id, ids[k - 1].id) == 0 &&
            (k == 1 || strcmp(ids[k - 1].id, ids[k - 2].id) != 0) &&
            (second < 0 || ids[k].i < second)) {
            first = ids[k - 1].i;
            second = ids[k].i;
        }
    free(ids);
    if (second < 0)
        return RT_OK;
    return rti_error(ctx, RT_E_DATA,
                     "%s: features %lld and %lld both have the id '%s' (column '%s'); the ids "
                     "of a region layer must be unique",
                     path, (long long)p->fid[first], (long long)p->fid[second], p->id[first],
                     column);
}

rt_status rti_run_read_regions(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
    for (int r = 0; r < s->n_regions; r++) {
        const rti_region_layer *def = &s->regions[r];
        rti_layer_ref ref = rti_source_ref(&def->src, rti_run_allows_remote(run));
        char key[96];
        snprintf(key, sizeof(key), "regions '%s'", def->name);
        rti_polygons *polys = &run->in.regions[r].polys;
        rt_status st = rti_read_polygons(ctx, &ref, s->crs, def->id_column, def->name_column, NULL,
                                         repair, polys);
        if (st == RT_OK)
            st = check_unique_ids(ctx, polys, def->src.path, def->id_column);
        if (rti_study_at(ctx, st, s, def->at, key) != RT_OK)
            return st;
    }
    return RT_OK;
}

rt_status rti_run_define_grid(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    double e[4];
    if (s->has_extent) {
        memcpy(e, s->extent, sizeof(e));
    } else {
        memcpy(e, run->in.regions[0].polys.bbox, sizeof(e));
        for (int r = 1; r < s->n_regions; r++) {
            const double *b = run->in.regions[r].polys.bbox;
            e[0] = fmin(e[0], b[0]);
            e[1] = fmin(e[1], b[1]);
            e[2] = fmax(e[2], b[2]);
            e[3] = fmax(e[3], b[3]);
        }
        e[0] -= s->buffer_m;
        e[1] -= s->buffer_m;
        e[2] += s->buffer_m;
        e[3] += s->buffer_m;
    }
    const double c = s->cell_m;
    /* snap outward to whole multiples of the cell size, so grids of
     * different studies (and CBS squares) line up */
    double x0 = floor(e[0] / c) * c, x1 = ceil(e[2] / c) * c;
    double y0 = floor(e[1] / c) * c, y1 = ceil(e[3] / c) * c;
    double nx = round((x1 - x0) / c), ny = round((y1 - y0) / c);
    if (!(nx >= 1 && ny >= 1))
        return rti_error(ctx, RT_E_ARG, "%s: the extent %g %g %g %g is empty", s->path, e[0], e[1],
                         e[2], e[3]);
    if (nx * ny > (double)UINT32_MAX || nx > INT32_MAX || ny > INT32_MAX) {
        char b[32];
        /* the bytes, as a double, may be beyond uint64_t: cap them */
        const double bytes = nx * ny * 12.0;
        return rti_error(
            ctx, RT_E_BUDGET,
            "%s: a grid of %.0f x %.0f cells of %g m is too large for one search "
            "(at most 4294967295 cells; it would need %s for the travel times alone)",
            s->path, nx, ny, c,
            rti_fmt_bytes(bytes < 1.8e19 ? (uint64_t)bytes : UINT64_MAX, b, sizeof(b)));
    }
    run->in.grid.x0 = x0;
    run->in.grid.y1 = y1;
    run->in.grid.cell_m = c;
    run->in.grid.nx = (int32_t)nx;
    run->in.grid.ny = (int32_t)ny;
    run->in.grid.crs = s->crs;
    run->in.n_cells = (int64_t)nx * (int64_t)ny;
    return RT_OK;
}

rt_status rti_run_build_medium(rt_ctx *ctx, rti_run *run)
{
    const int n = run->study->n_facilities;
    rti_medium_env env = {.study = run->study,
                          .grid = &run->in.grid,
                          .n_cells = run->in.n_cells,
                          .pop = run->in.pop,
                          .threads = run->threads,
                          .team = run->threads < n ? run->threads : n,
                          .est_bytes = &run->est_bytes,
                          .allow_remote = rti_run_allows_remote(run)};
    return rti_medium_build(ctx, &env, &run->medium);
}

/* The most persons one population feature or cell may hold (as in the
 * message of bad_count). */
#define MAX_PERSONS 1e9

/* A count of persons: finite, >= 0 and at most MAX_PERSONS (NaN, no
 * count, is none). */
static int is_count(double v) { return v >= 0 && v <= MAX_PERSONS; }

/* RT_E_DATA naming the population file, the feature (fid >= 0) or the cell
 * of the grid, and the value that is not a count of persons. */
static rt_status bad_count(rt_ctx *ctx, const rti_run *run, int64_t fid, int64_t cell, double v)
{
    const rti_population *pd = &run->study->population;
    char where[160];
    if (fid >= 0) {
        snprintf(where, sizeof(where), "feature %lld: %s%s%s", (long long)fid,
                 pd->count_column ? "column '" : "", pd->count_column ? pd->count_column : "",
                 pd->count_column ? "' = " : "count ");
    } else {
        double x, y;
        rti_grid_centre(&run->in.grid, cell, &x, &y);
        snprintf(where, sizeof(where), "cell (row %lld, col %lld) of the grid at (%.0f, %.0f): ",
                 (long long)(cell / run->in.grid.nx), (long long)(cell % run->in.grid.nx), x, y);
    }
    return rti_error(ctx, RT_E_DATA, "%s: %s%g persons; a count must be a number from 0 to 1e9",
                     pd->src.path, where, v);
}

/* The counts of n population features (NaN: none given): RT_E_DATA for
 * the first that is not a count of persons. */
static rt_status check_counts(rt_ctx *ctx, const rti_run *run, const double *value,
                              const int64_t *fid, int64_t n)
{
    for (int64_t k = 0; k < n; k++)
        if (!isnan(value[k]) && !is_count(value[k]))
            return bad_count(ctx, run, fid[k], -1, value[k]);
    return RT_OK;
}

/* A count that adds or removes people (not 0, not NaN). */
#define HAS_COUNT(v) ((v) != 0 && !isnan(v))

/* Spreads each polygon's count over the cells whose centre it holds;
 * a polygon too small to hold a cell centre puts its count in the cell
 * under a point on its surface. The cells are counted on the grid's
 * lattice beyond the grid too: a polygon that reaches over the edge of the
 * grid gives each of its cells inside count / (all its cells) and the rest
 * is population outside the extent. */
rt_status rti_run_spread_polygons(rt_ctx *ctx, const rti_grid_spec *grid, int64_t n_cells,
                                  const rti_polygons *p, const char *what, float *pop,
                                  double *off_grid)
{
    int32_t *idx = rti_malloc_array(ctx, n_cells, sizeof(int32_t), "population polygons");
    int64_t *count = rti_malloc_array(ctx, p->n, sizeof(int64_t), "population polygons");
    int64_t *off = rti_malloc_array(ctx, p->n, sizeof(int64_t), "population polygons");
    rt_status st = idx && count && off ? RT_OK : RT_E_NOMEM;
    if (st == RT_OK)
        st = rti_rasterize_polygons(ctx, p, grid, idx, NULL);
    if (st == RT_OK)
        st = rti_polygons_count_off_grid(ctx, p, grid, off);
    if (st != RT_OK)
        goto done;
    for (int64_t i = 0; i < n_cells; i++)
        if (idx[i] >= 0)
            count[idx[i]]++;
    /* count becomes the polygon's cells on the whole lattice */
    for (int64_t k = 0; k < p->n; k++)
        if (off[k] > 0)
            count[k] += off[k];
    int64_t no_value = 0;
    for (int64_t i = 0; i < n_cells; i++) {
        int32_t k = idx[i];
        if (k >= 0 && HAS_COUNT(p->value[k]))
            pop[i] += (float)(p->value[k] / (double)count[k]);
    }
    double small = 0;
    int64_t n_small = 0;
    for (int64_t k = 0; k < p->n; k++) {
        double v = p->value[k];
        if (isnan(v)) {
            no_value++;
        } else if (HAS_COUNT(v) && off[k] < 0) { /* wholly outside the grid */
            *off_grid += fabs(v);
        } else if (HAS_COUNT(v) && off[k] > 0) { /* the share of its cells outside the grid */
            *off_grid += fabs(v) * (double)off[k] / (double)count[k];
        } else if (HAS_COUNT(v) && count[k] == 0) { /* holds no cell centre */
            const int64_t cell = rti_grid_cell_at(grid, p->px[k], p->py[k]);
            if (cell >= 0) {
                pop[cell] += (float)v;
                small += fabs(v);
                n_small++;
            } else {
                *off_grid += fabs(v);
            }
        }
    }
    if (n_small)
        rti_log(ctx, RT_LOG_INFO,
                "%s: %lld polygons hold no cell centre; their %.0f persons go to the cell "
                "under a point on their surface",
                what, (long long)n_small, small);
    if (no_value)
        rti_log(ctx, RT_LOG_WARNING, "%s: %lld polygons have no count (NULL) and add nobody", what,
                (long long)no_value);
done:
    free(idx);
    free(count);
    free(off);
    return st;
}

rt_status rti_run_build_population(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    run->in.pop = rti_malloc_array(ctx, run->in.n_cells, sizeof(float), "population grid");
    if (!run->in.pop)
        return RT_E_NOMEM;
    if (!s->has_population) { /* every cell weighs the same: area statistics */
        for (int64_t i = 0; i < run->in.n_cells; i++)
            run->in.pop[i] = 1.0f;
        run->in.pop_on_grid = (double)run->in.n_cells;
        return RT_OK;
    }
    const rti_population *pd = &s->population;
    rti_layer_ref ref = rti_source_ref(&pd->src, rti_run_allows_remote(run));
    rt_status st = RT_OK;
    if (pd->kind == RTI_POP_RASTER) {
        st = rti_raster_warp(ctx, &ref, &run->in.grid, "sum", run->in.pop);
        for (int64_t i = 0; st == RT_OK && i < run->in.n_cells; i++)
            if (!isnan(run->in.pop[i]) && !is_count(run->in.pop[i]))
                st = bad_count(ctx, run, -1, i, run->in.pop[i]);
        st = rti_study_at(ctx, st, s, pd->at, "population");
        run->in.pop_off_grid = NAN; /* not known without reading the raster twice */
    } else if (pd->kind == RTI_POP_POINTS) {
        rti_points pts = {0};
        st = rti_read_points(ctx, &ref, s->crs, NULL, NULL, pd->count_column, &pts);
        if (st == RT_OK)
            st = check_counts(ctx, run, pts.value, pts.fid, pts.n);
        st = rti_study_at(ctx, st, s, pd->at, "population");
        for (int64_t k = 0; st == RT_OK && k < pts.n; k++) {
            double v = pd->count_column ? pts.value[k] : 1.0;
            const int64_t cell = rti_grid_cell_at(&run->in.grid, pts.x[k], pts.y[k]);
            if (!(v > 0))
                continue;
            if (cell >= 0)
                run->in.pop[cell] += (float)v;
            else
                run->in.pop_off_grid += v;
        }
        rti_points_free(&pts);
    } else {
        rti_polygons p = {0};
        st = rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, pd->count_column, 1, &p);
        if (st == RT_OK)
            st = check_counts(ctx, run, p.value, p.fid, p.n);
        st = rti_study_at(ctx, st, s, pd->at, "population");
        if (st == RT_OK)
            st = rti_run_spread_polygons(ctx, &run->in.grid, run->in.n_cells, &p, "population",
                                         run->in.pop, &run->in.pop_off_grid);
        rti_polygons_free(&p);
    }
    if (st != RT_OK)
        return st;
    double tot = 0;
    for (int64_t i = 0; i < run->in.n_cells; i++) {
        if (!(run->in.pop[i] > 0))
            run->in.pop[i] = 0.0f; /* nodata and negative counts add nobody */
        tot += run->in.pop[i];
    }
    run->in.pop_on_grid = tot;
    if (!(tot > 0))
        rti_log(ctx, RT_LOG_WARNING,
                "population: nobody lives on the grid (%s): every table weighs no one; check "
                "that the population covers the study area (its CRS and extent)",
                pd->src.path);
    if (run->in.pop_off_grid > 0)
        rti_log(ctx, RT_LOG_WARNING, "population: %.0f persons lie outside the study extent",
                run->in.pop_off_grid);
    return RT_OK;
}

rt_status rti_run_rasterize_regions(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    for (int r = 0; r < s->n_regions; r++) {
        rti_region_run *rr = &run->in.regions[r];
        rr->index = rti_malloc_array(ctx, run->in.n_cells, sizeof(int32_t), "region grid");
        if (!rr->index)
            return RT_E_NOMEM;
        rt_status st =
            rti_rasterize_polygons(ctx, &rr->polys, &run->in.grid, rr->index, &rr->n_overlap);
        if (st != RT_OK)
            return st;
        if (rr->n_overlap)
            rti_log(ctx, RT_LOG_WARNING,
                    "regions '%s': %lld cells lie in more than one polygon; each goes to the "
                    "later feature",
                    rr->def->name, (long long)rr->n_overlap);
    }
    return RT_OK;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Ids of an id_column that more than one facility has: meant (the sites
 * of one practice), or a mistake; either way said, since a scenario's
 * close then closes them all and the N-1 table names them alike. */
static rt_status warn_shared_ids(rt_ctx *ctx, const rti_type_run *tr)
{
    const rti_points *p = &tr->pts;
    if (!tr->def->id_column || p->n < 2)
        return RT_OK;
    char **ids = rti_malloc_array(ctx, p->n, sizeof(*ids), "facility ids");
    if (!ids)
        return RT_E_NOMEM;
    memcpy(ids, p->id, (size_t)p->n * sizeof(*ids));
    qsort(ids, (size_t)p->n, sizeof(*ids), by_text);
    int64_t shared = 0, first_n = 0;
    const char *first = NULL;
    for (int64_t i = 0; i < p->n;) {
        int64_t j = i + 1;
        while (j < p->n && strcmp(ids[j], ids[i]) == 0)
            j++;
        if (j - i > 1 && shared++ == 0) {
            first = ids[i];
            first_n = j - i;
        }
        i = j;
    }
    if (shared)
        rti_log(ctx, RT_LOG_WARNING,
                "facilities '%s': %lld id%s of column '%s' belong%s to more than one facility "
                "(first: '%.100s', %lld facilities); a scenario that closes such an id closes "
                "them all, and the N-1 table names them alike",
                tr->def->type, (long long)shared, shared == 1 ? "" : "s", tr->def->id_column,
                shared == 1 ? "s" : "", first, (long long)first_n);
    free(ids);
    return RT_OK;
}

rt_status rti_run_read_facilities(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    /* OSM sources are read with the project's osmconf.ini, which makes the
     * facility tags (amenity, shop, healthcare, emergency) columns */
    rt_status st = RT_OK;
    char *osm_config = rti_find_profile_file(ctx, "osmconf.ini", &st);
    if (st != RT_OK)
        return st;
    for (int t = 0; t < s->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        const rti_facility_type *def = tr->def;
        rti_layer_ref ref = rti_source_ref(&def->src, rti_run_allows_remote(run));
        ref.osm_config = osm_config;
        char key[96];
        snprintf(key, sizeof(key), "facilities '%s'", def->type);
        st = rti_study_at(ctx,
                          rti_read_points(ctx, &ref, s->crs, def->id_column, def->name_column,
                                          def->capacity_column, &tr->pts),
                          s, def->at, key);
        if (st != RT_OK)
            break;
    }
    free(osm_config);
    if (st != RT_OK)
        return st;
    for (int t = 0; t < s->n_facilities; t++) { /* ids for the Int32 facility grids */
        rti_type_run *tr = &run->types[t];
        for (int64_t i = 0; i < tr->pts.n && !tr->grid_by_row; i++)
            if (tr->pts.fid[i] < 0 || tr->pts.fid[i] > INT32_MAX) {
                tr->grid_by_row = 1;
                rti_log(ctx, RT_LOG_WARNING,
                        "facilities '%s': feature id %lld does not fit in the 32-bit facility "
                        "grids; they hold the row of each facility in the GeoPackage layer "
                        "facilities_%s (its fid, 1 = the first feature read) instead",
                        tr->def->type, (long long)tr->pts.fid[i], tr->def->type);
            }
    }
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = warn_shared_ids(ctx, &run->types[t]);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++)
        st = rti_medium_place(ctx, run->medium, run->types[t].def, &run->types[t].pts,
                              &run->types[t].place);
    return st;
}

/* ---- the input files ---- */

/* Adds the input src (read through `column`, or NULL) as role; returns
 * it, or NULL when src has no path or out is full. */
static rti_input_file *list_input(rti_input_file *out, int max, int *n, const char *role,
                                  const rti_source *src)
{
    if (!src->path || *n >= max)
        return NULL;
    rti_input_file *in = &out[(*n)++];
    memset(in, 0, sizeof(*in));
    snprintf(in->role, sizeof(in->role), "%s", role);
    in->path = src->path;
    in->attribution = src->attribution;
    in->layer = src->layer;
    in->where = src->where;
    in->band = src->band > 1 ? src->band : 0;
    return in;
}

rti_input_file *rti_run_input_files(rt_ctx *ctx, const rti_run *run, int *n)
{
    const rt_study *s = run->study;
    rti_medium_facts facts = {0};
    if (run->medium) /* a run's inputs opened for a comparison have none */
        rti_medium_facts_of(run->medium, &facts);
    const int max = rti_study_inputs_max(s);
    rti_input_file *in = rti_malloc_array(ctx, max, sizeof(*in), "input list");
    *n = in ? rti_study_inputs(s, facts.profile_path, in, max) : 0;
    return in;
}

int rti_study_inputs_max(const rt_study *s)
{
    int n = 8 + s->n_regions + s->n_facilities;
    for (int i = 0; i < s->n_scenarios; i++)
        n += s->scenarios[i].n_changes;
    return n;
}

int rti_study_inputs(const rt_study *s, const char *profile_path, rti_input_file *out, int max)
{
    int n = 0;
    char role[128];
    rti_source study = {.path = s->path};
    list_input(out, max, &n, "study", &study);
    rti_medium_inputs(s, profile_path, out, max, &n);
    rti_input_file *in;
    if (s->has_population && (in = list_input(out, max, &n, "population", &s->population.src)))
        in->column = s->population.count_column;
    for (int r = 0; r < s->n_regions; r++) {
        snprintf(role, sizeof(role), "regions.%s", s->regions[r].name);
        if ((in = list_input(out, max, &n, role, &s->regions[r].src)))
            in->column = s->regions[r].id_column;
    }
    for (int t = 0; t < s->n_facilities; t++) {
        snprintf(role, sizeof(role), "facilities.%s", s->facilities[t].type);
        list_input(out, max, &n, role, &s->facilities[t].src);
    }
    for (int i = 0; i < s->n_scenarios; i++)
        for (int j = 0; j < s->scenarios[i].n_changes; j++) {
            const rti_change *c = &s->scenarios[i].changes[j];
            const char *kind = rti_change_kind_name(c->kind);
            snprintf(role, sizeof(role), "scenarios.%s.changes[%d].%s", s->scenarios[i].name, j,
                     kind);
            list_input(out, max, &n, role,
                       c->kind == RTI_CHANGE_PATCH || c->kind == RTI_CHANGE_ROADS ? &c->patch
                       : c->kind == RTI_CHANGE_POPULATION                         ? &c->people
                       : c->kind == RTI_CHANGE_MODIFY_ROADS                       ? &c->within
                                                                                  : &c->add);
        }
    return n;
}
