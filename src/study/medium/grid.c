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

/* The road classes of spec as rti_burn_lines_* takes them (NULL without
 * classes); *ok 0 when out of memory. */
static rti_class_value *road_classes(rt_ctx *ctx, const rti_medium *spec, int *ok)
{
    *ok = 1;
    if (!spec->n_classes)
        return NULL;
    rti_class_value *cls = rti_malloc_array(ctx, spec->n_classes, sizeof(*cls), "road classes");
    *ok = cls != NULL;
    for (int k = 0; cls && k < spec->n_classes; k++) {
        cls[k].name = spec->classes[k].name;
        cls[k].value = spec->classes[k].speed_kmh;
    }
    return cls;
}

/* The modify_roads changes of a scenario on a speed model: each with its
 * filter joined to medium.roads' own (NULL: none) and its polygons
 * (within). */
typedef struct road_mods {
    int n, n_filters;
    const rti_change *c[RTI_GRID_MAX_MODIFY];
    int j[RTI_GRID_MAX_MODIFY];      /* the change's index in the scenario */
    int filter[RTI_GRID_MAX_MODIFY]; /* its bit among the filters, -1: none */
    const char *filters[RTI_GRID_MAX_MODIFY];
    rti_polygons within[RTI_GRID_MAX_MODIFY];
    uint8_t *inside;         /* per line, of one change's polygons */
    const rti_medium_run *m; /* for messages: the medium, the scenario and its index */
    const rti_scenario *sc;
    int si;
    int located; /* pick_roads's error names its change already */
} road_mods;

static void road_mods_free(road_mods *rm)
{
    for (int k = 0; k < rm->n_filters; k++)
        free((char *)rm->filters[k]);
    for (int k = 0; k < rm->n; k++)
        rti_polygons_free(&rm->within[k]);
    free(rm->inside);
}

/* The filters and polygons of the modify_roads changes of sc (index si). */
static rt_status road_mods_read(rt_ctx *ctx, const rti_medium_run *m, const rti_medium *spec,
                                const rti_scenario *sc, int si, road_mods *rm)
{
    const rt_study *s = m->env.study;
    const int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
    rt_status st = RT_OK;
    for (int j = 0; st == RT_OK && j < sc->n_changes && rm->n < RTI_GRID_MAX_MODIFY; j++) {
        const rti_change *c = &sc->changes[j];
        if (c->kind != RTI_CHANGE_MODIFY_ROADS)
            continue;
        const int k = rm->n++;
        rm->c[k] = c, rm->j[k] = j, rm->filter[k] = -1;
        if (c->road_where) {
            char *w = rti_where_and(ctx, spec->roads.where, c->road_where);
            if (!w)
                return RT_E_NOMEM;
            rm->filter[k] = rm->n_filters;
            rm->filters[rm->n_filters++] = w;
        }
        if (c->within.path) {
            rti_layer_ref ref = rti_source_ref(&c->within, m->env.allow_remote);
            st = rti_change_at(
                ctx, rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, NULL, repair, &rm->within[k]),
                m, sc, si, j, "modify_roads");
        }
    }
    return st;
}

/* The speed of every road line after the modify_roads changes that
 * select it (its filter keeps it and its middle lies inside the change's
 * polygons), in the order written: a new speed replaces, a factor
 * multiplies (the speed in single precision, as the grid holds it),
 * closed leaves it out (rti_line_pick). */
static rt_status pick_roads(rt_ctx *ctx, void *user, int64_t n, const unsigned *match,
                            const double *mx, const double *my, double *value)
{
    road_mods *rm = user;
    unsigned *sel = rti_malloc_array(ctx, n, sizeof(unsigned), "road lines");
    rm->inside = rti_malloc_array(ctx, n, 1, "road lines");
    if (!sel || !rm->inside) {
        free(sel);
        return RT_E_NOMEM;
    }
    rt_status st = RT_OK;
    for (int k = 0; st == RT_OK && k < rm->n; k++) {
        if (rm->c[k]->within.path)
            st = rti_polygons_contain(ctx, &rm->within[k], n, mx, my, rm->inside);
        int64_t n_in = 0;
        for (int64_t i = 0; st == RT_OK && i < n; i++) {
            const int f = rm->filter[k];
            const int in =
                (f < 0 || (match[i] >> f & 1u)) && (!rm->c[k]->within.path || rm->inside[i]);
            sel[i] |= (unsigned)in << k;
            n_in += in;
        }
        rm->located = st == RT_OK && n_in == 0;
        if (rm->located) /* as on a road graph: a change that selects nothing is a mistake */
            st = rti_change_at(ctx,
                               rti_error(ctx, RT_E_DATA,
                                         "selects none of the %lld road lines of medium.roads",
                                         (long long)n),
                               rm->m, rm->sc, rm->si, rm->j[k], "modify_roads");
    }
    for (int64_t i = 0; st == RT_OK && i < n; i++) {
        double factor = 1.0, speed = NAN;
        int closed = 0;
        for (int k = 0; k < rm->n; k++) {
            const rti_change *c = rm->c[k];
            if (!(sel[i] >> k & 1u))
                continue;
            closed |= c->closed;
            if (!isnan(c->speed_kmh))
                speed = c->speed_kmh, factor = 1.0;
            else if (!isnan(c->factor) && isnan(speed))
                factor *= c->factor;
            else if (!isnan(c->factor))
                speed *= c->factor;
        }
        value[i] = closed ? NAN : !isnan(speed) ? speed : (double)(float)value[i] * factor;
    }
    free(sel);
    return st;
}

/* The road lines of spec burned in at their speed where it is higher;
 * with the modify_roads changes of scenario sc (index si; NULL: none),
 * each road at the speed those that select it give it (pick_roads). */
static rt_status burn_roads(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec, const char *key,
                            const rti_scenario *sc, int si)
{
    const rt_study *s = m->env.study;
    const int64_t n = m->env.n_cells;
    road_mods rm = {0};
    int ok;
    rti_class_value *cls = road_classes(ctx, spec, &ok);
    float *road = ok ? rti_malloc_array(ctx, n, sizeof(float), "road speeds") : NULL;
    rt_status st = road ? RT_OK : RT_E_NOMEM;
    for (int64_t i = 0; road && i < n; i++)
        road[i] = NAN;
    if (st == RT_OK && sc) {
        rm.m = m, rm.sc = sc, rm.si = si;
        st = road_mods_read(ctx, m, spec, sc, si, &rm);
    }
    const rti_line_pick pick = {rm.n_filters, rm.filters, pick_roads, &rm};
    rti_layer_ref ref = rti_source_ref(&spec->roads, m->env.allow_remote);
    int64_t burned = 0, skipped = 0;
    if (st == RT_OK) {
        st = rti_burn_lines_pick(ctx, &ref, m->env.grid, spec->speed_column, spec->class_column,
                                 cls, spec->n_classes, spec->default_road_kmh, rm.n ? &pick : NULL,
                                 road, &burned, &skipped);
        if (!rm.located)
            st = rti_study_at(ctx, st, s, spec->roads.at, key);
    }
    if (st == RT_OK) {
        float *v = m->friction;
        for (int64_t i = 0; i < n; i++)
            if (road[i] > 0 && !(v[i] >= road[i])) /* also over water: bridges */
                v[i] = road[i];
        rti_log(ctx, RT_LOG_INFO, "medium: %lld roads burned in, %lld without a usable speed",
                (long long)burned, (long long)skipped);
    }
    road_mods_free(&rm);
    free(cls);
    free(road);
    return st;
}

/* The speed model of spec, in km/h per cell. */
static rt_status speed_model(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                             const char *pre, const rti_scenario *sc, int si)
{
    char k_land[48], k_roads[48];
    snprintf(k_land, sizeof(k_land), "%s.land", pre);
    snprintf(k_roads, sizeof(k_roads), "%s.roads", pre);
    for (int64_t i = 0; i < m->env.n_cells; i++)
        m->friction[i] = (float)spec->offroad_kmh;
    rt_status st = spec->has_land ? land_mask(ctx, m, spec, k_land) : RT_OK;
    if (st == RT_OK && spec->has_roads)
        st = burn_roads(ctx, m, spec, k_roads, sc, si);
    return st;
}

rt_status rti_grid_build_friction(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                                  const char *pre)
{
    return rti_grid_build_friction_for(ctx, m, spec, pre, NULL, -1);
}

rt_status rti_grid_build_friction_for(rt_ctx *ctx, rti_medium_run *m, const rti_medium *spec,
                                      const char *pre, const rti_scenario *sc, int si)
{
    const rt_study *s = m->env.study;
    m->friction = rti_malloc_array(ctx, m->env.n_cells, sizeof(float), "friction grid");
    if (!m->friction)
        return RT_E_NOMEM;
    rt_status st;
    char what[64];
    if (spec->kind == RTI_MEDIUM_SPEED_MODEL) {
        snprintf(what, sizeof(what), "%s (speed model)", pre);
        st = speed_model(ctx, m, spec, pre, sc, si);
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
