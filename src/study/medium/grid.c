/* The grid media: a friction raster (seconds per metre), a speed raster
 * (km/h) or a speed model (an off-road speed, land polygons and road lines
 * burned in), searched cell by cell (rt_grid_search). Also the grid part of
 * a hybrid medium. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"

/* The slowest a passable cell may be: 1 m per hour (3600 s/m, 0.001 km/h).
 * Anything slower is a barrier and belongs in nodata; the bound keeps
 * every travel time of a grid of at most 2^32 cells of at most 100 km
 * within the Float32 range of the time grids (3600 s/m x 100 km x
 * sqrt(5) x 2^32 cells is about 3.5e18 s). */
#define MIN_SPEED_KMH 0.001
#define MAX_FRICTION_S_PER_M 3600.0

/* Speeds (km/h) to friction (s/m) in place; 0 km/h is impassable. */
static rt_status speed_to_friction(rt_ctx *ctx, rti_medium_run *m, const char *what)
{
    float *v = m->friction;
    const int32_t nx = m->env.grid->nx;
    for (int64_t i = 0; i < m->env.n_cells; i++) {
        float kmh = v[i];
        if (isnan(kmh) || kmh == 0.0f || isinf(kmh)) {
            v[i] = NAN;
        } else if (kmh < 0) {
            return rti_error(ctx, RT_E_DATA, "%s: cell (row %lld, col %lld): speed %g km/h < 0",
                             what, (long long)(i / nx), (long long)(i % nx), (double)kmh);
        } else if (kmh < (float)MIN_SPEED_KMH) {
            return rti_error(ctx, RT_E_DATA,
                             "%s: cell (row %lld, col %lld): speed %g km/h is below %g km/h (1 m "
                             "per hour); a cell that cannot be crossed has speed 0 or nodata",
                             what, (long long)(i / nx), (long long)(i % nx), (double)kmh,
                             MIN_SPEED_KMH);
        } else {
            v[i] = 3.6f / kmh;
        }
    }
    return RT_OK;
}

static rt_status check_friction(rt_ctx *ctx, rti_medium_run *m, const char *what)
{
    const rti_grid_spec *g = m->env.grid;
    int64_t n = 0;
    for (int64_t i = 0; i < m->env.n_cells; i++) {
        float f = m->friction[i];
        if (isnan(f) || f == INFINITY)
            continue;
        /* a little room: 3.6 / 0.001f rounds to just below or above 3600 */
        if (!(f > 0) || f > MAX_FRICTION_S_PER_M * (1 + 1e-6)) {
            double x, y;
            rti_grid_centre(g, i, &x, &y);
            return rti_error(ctx, RT_E_DATA,
                             "%s: cell (row %lld, col %lld) at (%.0f, %.0f): friction %g s/m is "
                             "not allowed (must be > 0 and at most %g s/m, 1 m per hour; mark "
                             "impassable cells as nodata)",
                             what, (long long)(i / g->nx), (long long)(i % g->nx), x, y, (double)f,
                             MAX_FRICTION_S_PER_M);
        }
        n++;
    }
    m->n_passable = n;
    if (n == 0)
        return rti_error(ctx, RT_E_DATA, "%s: no passable cell in the study extent", what);
    return RT_OK;
}

/* Cells outside the land polygons of spec become impassable, unless people
 * live there. */
static rt_status land_mask(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec, const char *key)
{
    const rt_study *s = m->env.study;
    const int64_t n = m->env.n_cells;
    float *v = m->friction;
    rti_polygons land = {0};
    rti_layer_ref ref = rti_source_ref(&spec->land, m->env.allow_remote);
    int32_t *idx = rti_malloc_array(ctx, n, sizeof(int32_t), "land mask");
    if (!idx)
        return RT_E_NOMEM;
    /* invalid land polygons are repaired, or refused as the study says */
    const int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
    rt_status st =
        rti_study_at(ctx, rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, NULL, repair, &land), s,
                     spec->land.at, key);
    if (st == RT_OK)
        st = rti_rasterize_polygons(ctx, &land, m->env.grid, idx, NULL);
    int64_t n_pop_land = 0;
    if (st == RT_OK)
        for (int64_t i = 0; i < n; i++) {
            if (idx[i] >= 0)
                continue;
            /* people live there, so it is land, whatever the (often
             * simplified) polygons say */
            if (m->env.pop && m->env.pop[i] > 0 && s->has_population)
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
    return st;
}

/* The road lines of spec that `where` selects (NULL: all, with the
 * source's own filter) burned into road[] (km/h, max per cell) at their
 * speed times `factor`, or at `speed` when that is not NaN. */
static rt_status burn_some(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                           const char *where, double factor, double speed, float *road,
                           int64_t *burned, int64_t *skipped)
{
    const int64_t n = m->env.n_cells;
    rti_class_value *cls = NULL;
    float *tmp = rti_malloc_array(ctx, n, sizeof(float), "road speeds");
    if (!tmp)
        return RT_E_NOMEM;
    if (spec->n_classes && isnan(speed)) {
        cls = rti_malloc_array(ctx, spec->n_classes, sizeof(*cls), "road classes");
        if (!cls) {
            free(tmp);
            return RT_E_NOMEM;
        }
        for (int k = 0; k < spec->n_classes; k++) {
            cls[k].name = spec->classes[k].name;
            cls[k].value = spec->classes[k].speed_kmh;
        }
    }
    for (int64_t i = 0; i < n; i++)
        tmp[i] = NAN;
    rti_layer_ref ref = rti_source_ref(&spec->roads, m->env.allow_remote);
    char *both = NULL;
    if (where && !(both = rti_where_and(ctx, spec->roads.where, where))) {
        free(tmp);
        free(cls);
        return RT_E_NOMEM;
    }
    if (both)
        ref.where = both;
    int64_t b = 0, k = 0;
    rt_status st =
        isnan(speed)
            ? rti_burn_lines_max(ctx, &ref, m->env.grid, spec->speed_column, spec->class_column,
                                 cls, spec->n_classes, spec->default_road_kmh, tmp, &b, &k)
            : rti_burn_lines_max(ctx, &ref, m->env.grid, NULL, NULL, NULL, 0, speed, tmp, &b, &k);
    for (int64_t i = 0; st == RT_OK && i < n; i++) {
        const float v = isnan(speed) ? (float)(tmp[i] * factor) : tmp[i];
        if (v > 0 && !(road[i] >= v))
            road[i] = v;
    }
    *burned += b;
    *skipped += k;
    free(both);
    free(cls);
    free(tmp);
    return st;
}

/* The filter that selects the roads of the modify_roads changes in set
 * `in` (bits, in the order of the changes mods) and none of the others. */
static char *subset_where(rt_ctx *ctx, const rti_change *const *mods, int nm, unsigned in)
{
    size_t len = 16;
    for (int j = 0; j < nm; j++)
        len += strlen(mods[j]->road_where) + 16;
    char *w = rti_malloc_array(ctx, (int64_t)len, 1, "road filter");
    if (!w)
        return NULL;
    size_t at = 0;
    for (int j = 0; j < nm; j++)
        at += (size_t)snprintf(w + at, len - at, "%s%s(%s)", j ? " AND " : "",
                               in & (1u << j) ? "" : "NOT ", mods[j]->road_where);
    return w;
}

/* The road lines of spec burned in at their speed where it is higher;
 * with the modify_roads changes of scenario sc (NULL: none), each road at
 * the speed those that select it give it, in the order written (a new
 * speed replaces, a factor multiplies, closed leaves it out): one burn
 * for every combination of the changes, so every road is burned once. */
static rt_status burn_roads(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec, const char *key,
                            const rti_scenario *sc)
{
    const rt_study *s = m->env.study;
    const int64_t n = m->env.n_cells;
    const rti_change *mods[RTI_GRID_MAX_MODIFY];
    int nm = 0;
    for (int j = 0; sc && j < sc->n_changes; j++)
        if (sc->changes[j].kind == RTI_CHANGE_MODIFY_ROADS && nm < RTI_GRID_MAX_MODIFY)
            mods[nm++] = &sc->changes[j];
    float *road = rti_malloc_array(ctx, n, sizeof(float), "road speeds");
    if (!road)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < n; i++)
        road[i] = NAN;
    int64_t burned = 0, skipped = 0;
    rt_status st = RT_OK;
    for (unsigned in = 0; st == RT_OK && in < (1u << nm); in++) {
        double factor = 1.0, speed = NAN;
        int closed = 0;
        for (int j = 0; j < nm; j++) {
            if (!(in & (1u << j)))
                continue;
            closed |= mods[j]->closed;
            if (!isnan(mods[j]->speed_kmh))
                speed = mods[j]->speed_kmh, factor = 1.0;
            else if (!isnan(mods[j]->factor) && isnan(speed))
                factor *= mods[j]->factor;
            else if (!isnan(mods[j]->factor))
                speed *= mods[j]->factor;
        }
        if (closed)
            continue;
        char *where = nm ? subset_where(ctx, mods, nm, in) : NULL;
        if (nm && !where)
            st = RT_E_NOMEM;
        else
            st = burn_some(ctx, m, spec, where, factor, speed, road, &burned, &skipped);
        free(where);
    }
    st = rti_study_at(ctx, st, s, spec->roads.at, key);
    if (st == RT_OK) {
        float *v = m->friction;
        for (int64_t i = 0; i < n; i++)
            if (road[i] > 0 && !(v[i] >= road[i])) /* also over water: bridges */
                v[i] = road[i];
        rti_log(ctx, RT_LOG_INFO, "medium: %lld roads burned in, %lld without a usable speed",
                (long long)burned, (long long)skipped);
    }
    free(road);
    return st;
}

/* The speed model of spec, in km/h per cell. */
static rt_status speed_model(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                             const char *pre, const rti_scenario *sc)
{
    char k_land[48], k_roads[48];
    snprintf(k_land, sizeof(k_land), "%s.land", pre);
    snprintf(k_roads, sizeof(k_roads), "%s.roads", pre);
    for (int64_t i = 0; i < m->env.n_cells; i++)
        m->friction[i] = (float)spec->offroad_kmh;
    rt_status st = spec->has_land ? land_mask(ctx, m, spec, k_land) : RT_OK;
    if (st == RT_OK && spec->has_roads)
        st = burn_roads(ctx, m, spec, k_roads, sc);
    return st;
}

rt_status rti_grid_build_friction(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                                  const char *pre)
{
    return rti_grid_build_friction_for(ctx, m, spec, pre, NULL);
}

rt_status rti_grid_build_friction_for(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                                      const char *pre, const rti_scenario *sc)
{
    const rt_study *s = m->env.study;
    m->friction = rti_malloc_array(ctx, m->env.n_cells, sizeof(float), "friction grid");
    if (!m->friction)
        return RT_E_NOMEM;
    rt_status st;
    char what[64];
    if (spec->kind == RTI_MEDIUM_SPEED_MODEL) {
        snprintf(what, sizeof(what), "%s (speed model)", pre);
        st = speed_model(ctx, m, spec, pre, sc);
        if (st == RT_OK)
            st = speed_to_friction(ctx, m, what);
    } else { /* a raster of friction or of speeds (km/h) */
        char key[48];
        snprintf(key, sizeof(key), "%s.raster", pre);
        snprintf(what, sizeof(what), "%s", spec->raster.path);
        rti_layer_ref ref = rti_source_ref(&spec->raster, m->env.allow_remote);
        st =
            rti_study_at(ctx,
                         rti_raster_warp(ctx, &ref, m->env.grid,
                                         spec->resampling ? spec->resampling : "near", m->friction),
                         s, spec->raster.at, key);
        if (st == RT_OK && spec->kind == RTI_MEDIUM_SPEED)
            st = speed_to_friction(ctx, m, what);
    }
    if (st == RT_OK)
        st = check_friction(ctx, m, what);
    return st;
}

void rti_grid_warn_stuck(rt_ctx *ctx, const rti_medium_run *m)
{
    const float *pop = m->env.pop;
    if (!pop || !m->env.study->has_population)
        return;
    double stuck = 0;
    for (int64_t i = 0; i < m->env.n_cells; i++)
        if (pop[i] > 0 && !(m->friction[i] < INFINITY) &&
            !(m->ops->has_graph && m->net->cell_edge[i] >= 0))
            stuck += pop[i];
    if (stuck > 0)
        rti_log(ctx, RT_LOG_WARNING,
                m->ops->has_graph ? "medium: %.0f persons live on impassable cells farther than "
                                    "access.max_distance_m from a road and count as unreachable"
                                  : "medium: %.0f persons live on impassable cells and count as "
                                    "unreachable",
                stuck);
}

static rt_grid_medium grid_medium(const rti_medium_run *m)
{
    const rti_grid_spec *g = m->env.grid;
    rt_grid_medium med = {m->friction, g->nx, g->ny, g->cell_m};
    return med;
}

rt_status rti_grid_medium_snap(rt_ctx *ctx, rti_medium_run *m, const rti_points *pts,
                               const char *what, rti_placement *p)
{
    rti_starts *s = p->starts;
    const int64_t n = pts->n;
    s->src = rti_malloc_array(ctx, n, sizeof(rt_source), "start cells");
    p->snap_m = rti_malloc_array(ctx, n, sizeof(double), "start cells");
    p->cell = rti_malloc_array(ctx, n, sizeof(int64_t), "start cells");
    if (!s->src || !p->snap_m || !p->cell)
        return RT_E_NOMEM;
    rt_grid_medium med = grid_medium(m);
    s->n_src = rti_snap_points(ctx, &med, m->env.grid, pts, m->env.study->snap_radius_m, what,
                               s->src, &p->n_snapped, &p->n_dropped, p->snap_m, p->cell);
    return RT_OK;
}

rt_status rti_grid_medium_build(rt_ctx *ctx, rti_medium_run *m)
{
    rt_status st = rti_grid_build_friction(ctx, m, m->spec, "medium");
    if (st == RT_OK)
        rti_grid_warn_stuck(ctx, m);
    return st;
}

rt_status rti_grid_medium_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                                const rti_points *pts, const char *key, rti_placement *p)
{
    rt_status st = rti_grid_medium_snap(ctx, m, pts, key, p);
    if (st != RT_OK || p->starts->n_src > 0)
        return st;
    const rt_study *s = m->env.study;
    return rti_error(ctx, RT_E_DATA,
                     "%s:%d:%d: %s: none of the %lld facilities lies on a passable cell of the "
                     "study extent (or within snap_radius_m = %g m of one)",
                     s->path, def->at.line, def->at.column, key, (long long)pts->n,
                     s->snap_radius_m);
}

rt_status rti_grid_medium_search(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                                 const rti_points *pts, unsigned flags, rt_search_ws *ws,
                                 rt_labels *lab)
{
    (void)pts;
    rt_grid_medium med = grid_medium(m);
    rt_search_opts so;
    rt_search_opts_init(&so);
    so.neighbours = m->env.study->neighbours;
    so.flags = flags;
    return rt_grid_search(ctx, &med, p->starts->src, p->starts->n_src, &so, ws, lab);
}
