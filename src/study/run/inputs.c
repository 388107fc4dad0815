/* The inputs of a run, read through the I/O layer onto the analysis grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

static rti_layer_ref ref_of(const rti_source *s)
{
    rti_layer_ref r = {.path = s->path,
                       .layer = s->layer,
                       .where = s->where,
                       .crs = s->crs,
                       .x_column = s->x_column,
                       .y_column = s->y_column,
                       .band = s->band};
    return r;
}

rt_status rti_run_read_regions(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
    for (int r = 0; r < s->n_regions; r++) {
        const rti_region_layer *def = &s->regions[r];
        rti_layer_ref ref = ref_of(&def->src);
        char key[96];
        snprintf(key, sizeof(key), "regions '%s'", def->name);
        rt_status st = rti_read_polygons(ctx, &ref, s->crs, def->id_column, def->name_column, NULL,
                                         repair, &run->regions[r].polys);
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
        memcpy(e, run->regions[0].polys.bbox, sizeof(e));
        for (int r = 1; r < s->n_regions; r++) {
            const double *b = run->regions[r].polys.bbox;
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
        return rti_error(ctx, RT_E_BUDGET,
                         "%s: a grid of %.0f x %.0f cells of %g m is too large for one search "
                         "(at most 4294967295 cells; it would need %s for the travel times alone)",
                         s->path, nx, ny, c,
                         rti_fmt_bytes((uint64_t)(nx * ny * 12.0), b, sizeof(b)));
    }
    run->grid.x0 = x0;
    run->grid.y1 = y1;
    run->grid.cell_m = c;
    run->grid.nx = (int32_t)nx;
    run->grid.ny = (int32_t)ny;
    run->grid.crs = s->crs;
    run->n_cells = (int64_t)nx * (int64_t)ny;
    return RT_OK;
}

/* Speeds (km/h) to friction (s/m) in place; 0 km/h is impassable. */
static rt_status speed_to_friction(rt_ctx *ctx, rti_run *run, const char *what)
{
    float *v = run->friction;
    for (int64_t i = 0; i < run->n_cells; i++) {
        float kmh = v[i];
        if (isnan(kmh) || kmh == 0.0f || isinf(kmh)) {
            v[i] = NAN;
        } else if (kmh < 0) {
            return rti_error(ctx, RT_E_DATA, "%s: cell (row %lld, col %lld): speed %g km/h < 0",
                             what, (long long)(i / run->grid.nx), (long long)(i % run->grid.nx),
                             (double)kmh);
        } else {
            v[i] = 3.6f / kmh;
        }
    }
    return RT_OK;
}

static rt_status check_friction(rt_ctx *ctx, rti_run *run, const char *what)
{
    int64_t n = 0;
    for (int64_t i = 0; i < run->n_cells; i++) {
        float f = run->friction[i];
        if (isnan(f) || f == INFINITY)
            continue;
        if (!(f > 0)) {
            double x = run->grid.x0 + ((double)(i % run->grid.nx) + 0.5) * run->grid.cell_m;
            double y = run->grid.y1 - ((double)(i / run->grid.nx) + 0.5) * run->grid.cell_m;
            return rti_error(ctx, RT_E_DATA,
                             "%s: cell (row %lld, col %lld) at (%.0f, %.0f): friction %g s/m is "
                             "not allowed (must be > 0; mark impassable cells as nodata)",
                             what, (long long)(i / run->grid.nx), (long long)(i % run->grid.nx), x,
                             y, (double)f);
        }
        n++;
    }
    run->n_passable = n;
    if (n == 0)
        return rti_error(ctx, RT_E_DATA, "%s: no passable cell in the study extent", what);
    return RT_OK;
}

/* The speed model of medium m (the study's medium, or the offroad medium of
 * a hybrid one, whose keys are named under `pre`). */
static rt_status speed_model(rt_ctx *ctx, rti_run *run, const rti_medium *m, const char *pre)
{
    rt_study *s = run->study;
    char k_land[48], k_roads[48];
    snprintf(k_land, sizeof(k_land), "%s.land", pre);
    snprintf(k_roads, sizeof(k_roads), "%s.roads", pre);
    float *v = run->friction;
    rt_status st = RT_OK;
    for (int64_t i = 0; i < run->n_cells; i++)
        v[i] = (float)m->offroad_kmh;
    if (m->has_land) {
        rti_polygons land = {0};
        rti_layer_ref ref = ref_of(&m->land);
        int32_t *idx = rti_malloc_array(ctx, run->n_cells, sizeof(int32_t), "land mask");
        if (!idx)
            return RT_E_NOMEM;
        st = rti_study_at(ctx, rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, NULL, 1, &land), s,
                          m->land.at, k_land);
        if (st == RT_OK)
            st = rti_rasterize_polygons(ctx, &land, &run->grid, idx, NULL);
        int64_t n_pop_land = 0;
        if (st == RT_OK)
            for (int64_t i = 0; i < run->n_cells; i++) {
                if (idx[i] >= 0)
                    continue;
                /* people live there, so it is land, whatever the (often
                 * simplified) polygons say */
                if (run->pop && run->pop[i] > 0 && s->has_population)
                    n_pop_land++;
                else
                    v[i] = NAN;
            }
        if (n_pop_land)
            rti_log(ctx, RT_LOG_INFO,
                    "medium: %lld populated cells outside the land polygons are treated as land",
                    (long long)n_pop_land);
        rti_polygons_free(&land);
        free(idx);
        if (st != RT_OK)
            return st;
    }
    if (m->has_roads) {
        float *road = rti_malloc_array(ctx, run->n_cells, sizeof(float), "road speeds");
        rti_class_value *cls = NULL;
        if (!road)
            return RT_E_NOMEM;
        if (m->n_classes) {
            cls = rti_malloc_array(ctx, m->n_classes, sizeof(*cls), "road classes");
            if (!cls) {
                free(road);
                return RT_E_NOMEM;
            }
            for (int k = 0; k < m->n_classes; k++) {
                cls[k].name = m->classes[k].name;
                cls[k].value = m->classes[k].speed_kmh;
            }
        }
        for (int64_t i = 0; i < run->n_cells; i++)
            road[i] = NAN;
        rti_layer_ref ref = ref_of(&m->roads);
        int64_t burned = 0, skipped = 0;
        st = rti_study_at(ctx,
                          rti_burn_lines_max(ctx, &ref, &run->grid, m->speed_column,
                                             m->class_column, cls, m->n_classes,
                                             m->default_road_kmh, road, &burned, &skipped),
                          s, m->roads.at, k_roads);
        if (st == RT_OK) {
            for (int64_t i = 0; i < run->n_cells; i++)
                if (road[i] > 0 && !(v[i] >= road[i])) /* also over water: bridges */
                    v[i] = road[i];
            rti_log(ctx, RT_LOG_INFO, "medium: %lld roads burned in, %lld without a usable speed",
                    (long long)burned, (long long)skipped);
        }
        free(cls);
        free(road);
    }
    return st;
}

/* run->friction from grid medium m (named `pre` in messages). */
static rt_status build_friction(rt_ctx *ctx, rti_run *run, const rti_medium *m, const char *pre)
{
    rt_study *s = run->study;
    run->friction = rti_malloc_array(ctx, run->n_cells, sizeof(float), "friction grid");
    if (!run->friction)
        return RT_E_NOMEM;
    rt_status st;
    char what[64];
    if (m->kind == RTI_MEDIUM_SPEED_MODEL) {
        snprintf(what, sizeof(what), "%s (speed model)", pre);
        st = speed_model(ctx, run, m, pre);
        if (st == RT_OK)
            st = speed_to_friction(ctx, run, what);
    } else {
        char key[48];
        snprintf(key, sizeof(key), "%s.raster", pre);
        snprintf(what, sizeof(what), "%s", m->raster.path);
        rti_layer_ref ref = ref_of(&m->raster);
        st = rti_study_at(ctx,
                          rti_raster_warp(ctx, &ref, &run->grid,
                                          m->resampling ? m->resampling : "near", run->friction),
                          s, m->raster.at, key);
        if (st == RT_OK && m->kind == RTI_MEDIUM_SPEED)
            st = speed_to_friction(ctx, run, what);
    }
    if (st == RT_OK)
        st = check_friction(ctx, run, what);
    return st;
}

rt_status rti_run_build_medium(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    const rti_medium *m = &s->medium;
    if (m->kind == RTI_MEDIUM_NETWORK)
        return rti_run_build_network(ctx, run);
    const int hybrid = m->kind == RTI_MEDIUM_HYBRID;
    rt_status st =
        build_friction(ctx, run, hybrid ? m->offroad : m, hybrid ? "medium.offroad" : "medium");
    int64_t n_land = run->n_passable;
    if (st == RT_OK && hybrid) {
        st = rti_run_build_network(ctx, run);
        /* passable: over land, or by an access leg to a road */
        int64_t n = 0;
        for (int64_t i = 0; st == RT_OK && i < run->n_cells; i++)
            n += run->friction[i] < INFINITY || run->net->cell_edge[i] >= 0;
        run->n_passable = n;
        if (st == RT_OK)
            rti_log(ctx, RT_LOG_INFO,
                    "medium: %lld cells passable over land, %lld attached to a road, %lld "
                    "either",
                    (long long)n_land, (long long)run->net->n_attached, (long long)n);
    }
    if (st == RT_OK && run->pop && run->study->has_population) {
        double stuck = 0;
        for (int64_t i = 0; i < run->n_cells; i++)
            if (run->pop[i] > 0 && !(run->friction[i] < INFINITY) &&
                !(hybrid && run->net->cell_edge[i] >= 0))
                stuck += run->pop[i];
        if (stuck > 0)
            rti_log(ctx, RT_LOG_WARNING,
                    hybrid ? "medium: %.0f persons live on impassable cells farther than "
                             "access.max_distance_m from a road and count as unreachable"
                           : "medium: %.0f persons live on impassable cells and count as "
                             "unreachable",
                    stuck);
    }
    return st;
}

/* Spreads each polygon's count over the cells whose centre it holds;
 * a polygon too small to hold a cell centre puts its count in the cell
 * under a point on its surface. The cells are counted on the grid's
 * lattice beyond the grid too: a polygon that reaches over the edge of the
 * grid gives each of its cells inside count / (all its cells) and the rest
 * is population outside the extent. */
static rt_status spread_polygons(rt_ctx *ctx, rti_run *run, const rti_polygons *p)
{
    int32_t *idx = rti_malloc_array(ctx, run->n_cells, sizeof(int32_t), "population polygons");
    int64_t *count = rti_malloc_array(ctx, p->n, sizeof(int64_t), "population polygons");
    int64_t *off = rti_malloc_array(ctx, p->n, sizeof(int64_t), "population polygons");
    rt_status st = idx && count && off ? RT_OK : RT_E_NOMEM;
    if (st == RT_OK)
        st = rti_rasterize_polygons(ctx, p, &run->grid, idx, NULL);
    if (st == RT_OK)
        st = rti_polygons_count_off_grid(ctx, p, &run->grid, off);
    if (st != RT_OK)
        goto done;
    for (int64_t i = 0; i < run->n_cells; i++)
        if (idx[i] >= 0)
            count[idx[i]]++;
    /* count becomes the polygon's cells on the whole lattice */
    for (int64_t k = 0; k < p->n; k++)
        if (off[k] > 0)
            count[k] += off[k];
    int64_t no_value = 0;
    for (int64_t i = 0; i < run->n_cells; i++) {
        int32_t k = idx[i];
        if (k >= 0 && p->value[k] > 0)
            run->pop[i] += (float)(p->value[k] / (double)count[k]);
    }
    double small = 0;
    int64_t n_small = 0;
    for (int64_t k = 0; k < p->n; k++) {
        double v = p->value[k];
        if (isnan(v)) {
            no_value++;
        } else if (v > 0 && off[k] < 0) { /* wholly outside the grid */
            run->pop_off_grid += v;
        } else if (v > 0 && off[k] > 0) { /* the share of its cells outside the grid */
            run->pop_off_grid += v * (double)off[k] / (double)count[k];
        } else if (v > 0 && count[k] == 0) { /* holds no cell centre */
            double col = floor((p->px[k] - run->grid.x0) / run->grid.cell_m);
            double row = floor((run->grid.y1 - p->py[k]) / run->grid.cell_m);
            if (col >= 0 && col < run->grid.nx && row >= 0 && row < run->grid.ny) {
                run->pop[(int64_t)row * run->grid.nx + (int64_t)col] += (float)v;
                small += v;
                n_small++;
            } else {
                run->pop_off_grid += v;
            }
        }
    }
    if (n_small)
        rti_log(ctx, RT_LOG_INFO,
                "population: %lld polygons hold no cell centre; their %.0f persons go to the "
                "cell under a point on their surface",
                (long long)n_small, small);
    if (no_value)
        rti_log(ctx, RT_LOG_WARNING,
                "population: %lld polygons have no count (NULL) and add nobody",
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
    run->pop = rti_malloc_array(ctx, run->n_cells, sizeof(float), "population grid");
    if (!run->pop)
        return RT_E_NOMEM;
    if (!s->has_population) { /* every cell weighs the same: area statistics */
        for (int64_t i = 0; i < run->n_cells; i++)
            run->pop[i] = 1.0f;
        run->pop_on_grid = (double)run->n_cells;
        return RT_OK;
    }
    const rti_population *pd = &s->population;
    rti_layer_ref ref = ref_of(&pd->src);
    rt_status st = RT_OK;
    if (pd->kind == RTI_POP_RASTER) {
        st = rti_study_at(ctx, rti_raster_warp(ctx, &ref, &run->grid, "sum", run->pop), s, pd->at,
                          "population");
        run->pop_off_grid = NAN; /* not known without reading the raster twice */
    } else if (pd->kind == RTI_POP_POINTS) {
        rti_points pts = {0};
        st = rti_study_at(ctx,
                          rti_read_points(ctx, &ref, s->crs, NULL, NULL, pd->count_column, &pts), s,
                          pd->at, "population");
        for (int64_t k = 0; st == RT_OK && k < pts.n; k++) {
            double v = pd->count_column ? pts.value[k] : 1.0;
            double col = floor((pts.x[k] - run->grid.x0) / run->grid.cell_m);
            double row = floor((run->grid.y1 - pts.y[k]) / run->grid.cell_m);
            if (!(v > 0))
                continue;
            if (col >= 0 && col < run->grid.nx && row >= 0 && row < run->grid.ny)
                run->pop[(int64_t)row * run->grid.nx + (int64_t)col] += (float)v;
            else
                run->pop_off_grid += v;
        }
        rti_points_free(&pts);
    } else {
        rti_polygons p = {0};
        st = rti_study_at(ctx,
                          rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, pd->count_column, 1, &p),
                          s, pd->at, "population");
        if (st == RT_OK)
            st = spread_polygons(ctx, run, &p);
        rti_polygons_free(&p);
    }
    if (st != RT_OK)
        return st;
    double tot = 0;
    for (int64_t i = 0; i < run->n_cells; i++) {
        if (!(run->pop[i] > 0))
            run->pop[i] = 0.0f; /* nodata and negative counts add nobody */
        tot += run->pop[i];
    }
    run->pop_on_grid = tot;
    if (run->pop_off_grid > 0)
        rti_log(ctx, RT_LOG_WARNING, "population: %.0f persons lie outside the study extent",
                run->pop_off_grid);
    return RT_OK;
}

rt_status rti_run_rasterize_regions(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    for (int r = 0; r < s->n_regions; r++) {
        rti_region_run *rr = &run->regions[r];
        rr->index = rti_malloc_array(ctx, run->n_cells, sizeof(int32_t), "region grid");
        if (!rr->index)
            return RT_E_NOMEM;
        rt_status st =
            rti_rasterize_polygons(ctx, &rr->polys, &run->grid, rr->index, &rr->n_overlap);
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

/* Hybrid medium: type t's facilities start on the grid (already snapped)
 * and on the roads; one left out of both is reported like a grid medium
 * reports it. A facility only on a road gets the cell under it and its leg
 * length as snap_m. */
static rt_status hybrid_facilities(rt_ctx *ctx, rti_run *run, int t, const char *key)
{
    const rt_study *s = run->study;
    rti_type_run *tr = &run->types[t];
    const int64_t n = tr->pts.n;
    rt_status st = rti_run_attach_facilities(ctx, run, t, key);
    if (st != RT_OK)
        return st;
    const rti_grid_spec *g = &run->grid;
    int64_t outside = 0, left = 0;
    char list[512] = "";
    size_t used = 0;
    for (int64_t k = 0; k < tr->fa_n; k++) {
        int64_t i = tr->fa[k].facility;
        if (tr->cell[i] >= 0)
            continue;
        double col = floor((tr->pts.x[i] - g->x0) / g->cell_m);
        double row = floor((g->y1 - tr->pts.y[i]) / g->cell_m);
        tr->cell[i] = (int64_t)row * g->nx + (int64_t)col;
        tr->snap_m[i] = tr->fa[k].leg_m;
        tr->n_dropped--;
        tr->n_snapped += tr->snap_m[i] > 0;
    }
    const double margin = s->snap_radius_m / g->cell_m;
    for (int64_t i = 0; i < n; i++) {
        if (tr->cell[i] >= 0)
            continue;
        double colf = (tr->pts.x[i] - g->x0) / g->cell_m, rowf = (g->y1 - tr->pts.y[i]) / g->cell_m;
        if (!(colf >= -margin && colf <= g->nx + margin && rowf >= -margin &&
              rowf <= g->ny + margin)) {
            outside++;
            continue;
        }
        if (++left <= 5 && used < sizeof(list) - 64)
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s'%s' (%.0f, %.0f)",
                                     used ? ", " : "", tr->pts.id ? tr->pts.id[i] : "?",
                                     tr->pts.x[i], tr->pts.y[i]);
    }
    rti_log_facilities_outside(ctx, key, outside, n);
    if (left)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld of %lld facilities inside the study extent have neither a passable cell "
                "within %g m nor a road within access.max_distance_m = %g m and are left out: "
                "%s%s",
                key, (long long)left, (long long)n, s->snap_radius_m, s->medium.access_max_m, list,
                left > 5 ? ", ..." : "");
    if (tr->n_src + tr->n_nsrc == 0)
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: %s: none of the %lld facilities lies on a passable cell of "
                         "the study extent (or within snap_radius_m = %g m of one) or within "
                         "access.max_distance_m = %g m of a road",
                         s->path, tr->def->at.line, tr->def->at.column, key, (long long)n,
                         s->snap_radius_m, s->medium.access_max_m);
    return RT_OK;
}

rt_status rti_run_read_facilities(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    rt_grid_medium med = {run->friction, run->grid.nx, run->grid.ny, run->grid.cell_m};
    /* OSM sources are read with the project's osmconf.ini, which makes the
     * facility tags (amenity, shop, healthcare, emergency) columns */
    rt_status st = RT_OK;
    char *osm_config = rti_find_profile_file(ctx, "osmconf.ini", &st);
    if (st != RT_OK)
        return st;
    for (int t = 0; t < s->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        const rti_facility_type *def = tr->def;
        rti_layer_ref ref = ref_of(&def->src);
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
    for (int t = 0; t < s->n_facilities; t++) {
        rti_type_run *tr = &run->types[t];
        const rti_facility_type *def = tr->def;
        char key[96];
        snprintf(key, sizeof(key), "facilities '%s'", def->type);
        if (s->medium.kind == RTI_MEDIUM_NETWORK) {
            st = rti_run_attach_facilities(ctx, run, t, key);
            if (st != RT_OK)
                return st;
            continue;
        }
        int64_t n = tr->pts.n;
        tr->src = rti_malloc_array(ctx, n, sizeof(rt_source), "start cells");
        tr->snap_m = rti_malloc_array(ctx, n, sizeof(double), "start cells");
        tr->cell = rti_malloc_array(ctx, n, sizeof(int64_t), "start cells");
        if (!tr->src || !tr->snap_m || !tr->cell)
            return RT_E_NOMEM;
        const int hybrid = s->medium.kind == RTI_MEDIUM_HYBRID;
        tr->n_src = rti_snap_points_ex(ctx, &med, &run->grid, &tr->pts, s->snap_radius_m,
                                       hybrid ? NULL : key, tr->src, &tr->n_snapped, &tr->n_dropped,
                                       tr->snap_m, tr->cell);
        if (hybrid) { /* and the roads */
            st = hybrid_facilities(ctx, run, t, key);
            if (st != RT_OK)
                return st;
            continue;
        }
        if (tr->n_src == 0)
            return rti_error(ctx, RT_E_DATA,
                             "%s:%d:%d: %s: none of the %lld facilities lies on a passable cell "
                             "of the study extent (or within snap_radius_m = %g m of one)",
                             s->path, def->at.line, def->at.column, key, (long long)n,
                             s->snap_radius_m);
    }
    return RT_OK;
}
