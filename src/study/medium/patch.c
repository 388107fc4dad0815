/* The medium of a scenario that changes the grid: a copy of the
 * baseline's grid over land with the cells under each patch polygon given
 * a new speed or made impassable, and new roads burned in where they are
 * faster, in the order the changes are written; the road network (of a
 * hybrid medium) is the baseline's, shared (docs/study-file.md,
 * "scenarios"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"

rt_status rti_change_at(rt_ctx *ctx, rt_status st, const rti_medium_run *m, const rti_scenario *sc,
                        int si, int j, const char *key)
{
    char k[200];
    snprintf(k, sizeof(k), "key 'scenarios[%d].changes[%d].%s' (scenario '%s')", si, j, key,
             sc->name);
    return rti_study_at(ctx, st, m->env.study, sc->changes[j].kind_at, k);
}

/* Applies patch change j of sc to m->friction; counts in *n_pop the
 * populated cells it makes impassable and *pop their people. */
static rt_status apply_patch(rt_ctx *ctx, rti_medium_run *m, const rti_scenario *sc, int si, int j,
                             int32_t *idx, int64_t *n_pop, double *pop)
{
    const rt_study *s = m->env.study;
    const rti_change *c = &sc->changes[j];
    rti_polygons poly = {0};
    rti_layer_ref ref = rti_source_ref(&c->patch, m->env.allow_remote);
    const int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
    rt_status st = rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, NULL, repair, &poly);
    if (st == RT_OK)
        st = rti_rasterize_polygons(ctx, &poly, m->env.grid, idx, NULL);
    const float f = isnan(c->speed_kmh) ? NAN : 3.6f / (float)c->speed_kmh;
    int64_t n = 0;
    for (int64_t i = 0; st == RT_OK && i < m->env.n_cells; i++) {
        if (idx[i] < 0)
            continue;
        n++;
        if (isnan(f) && !isnan(m->friction[i]) && m->env.pop && m->env.pop[i] > 0) {
            (*n_pop)++;
            *pop += m->env.pop[i];
        }
        m->friction[i] = f;
    }
    if (st == RT_OK && n == 0)
        st = rti_error(ctx, RT_E_DATA,
                       "the %lld polygon%s of %s cover%s the centre of no cell of the grid (a "
                       "patch must lie over the study extent)",
                       (long long)poly.n, poly.n == 1 ? "" : "s", c->patch.path,
                       poly.n == 1 ? "s" : "");
    rti_polygons_free(&poly);
    if (st == RT_OK)
        rti_log(ctx, RT_LOG_INFO, "scenario '%s': patch %d (%s) sets %lld cells to %s", sc->name, j,
                c->patch.path, (long long)n, isnan(f) ? "impassable" : "a new speed");
    return rti_change_at(ctx, st, m, sc, si, j, "patch");
}

/* Burns the new roads of change j of sc into m->friction: every cell a
 * line touches gets the road's friction where that is lower (or the cell
 * was impassable: a bridge), as a speed model burns its roads. */
static rt_status apply_roads(rt_ctx *ctx, rti_medium_run *m, const rti_scenario *sc, int si, int j)
{
    const rti_change *c = &sc->changes[j];
    float *kmh = rti_malloc_array(ctx, m->env.n_cells, sizeof(float), "new roads");
    if (!kmh)
        return RT_E_NOMEM;
    for (int64_t i = 0; i < m->env.n_cells; i++)
        kmh[i] = NAN;
    rti_layer_ref ref = rti_source_ref(&c->patch, m->env.allow_remote);
    int64_t burned = 0, skipped = 0, n = 0;
    rt_status st = rti_burn_lines_max(ctx, &ref, m->env.grid, c->speed_column, NULL, NULL, 0,
                                      c->speed_kmh, kmh, &burned, &skipped);
    for (int64_t i = 0; st == RT_OK && i < m->env.n_cells; i++) {
        if (!(kmh[i] > 0))
            continue;
        if (kmh[i] < 0.001f || kmh[i] > 1000.0f) { /* the speeds of a study file */
            st = rti_error(ctx, RT_E_DATA,
                           "%s: column '%s': a road of %g km/h; speeds are from 0.001 to 1000 "
                           "km/h",
                           c->patch.path, c->speed_column, (double)kmh[i]);
            break;
        }
        const float f = 3.6f / kmh[i];
        if (!(m->friction[i] <= f)) {
            m->friction[i] = f;
            n++;
        }
    }
    free(kmh);
    if (st == RT_OK && burned == 0)
        st = rti_error(ctx, RT_E_DATA,
                       "%s: no line with a usable speed crosses the grid (%lld without a speed)",
                       c->patch.path, (long long)skipped);
    if (st == RT_OK)
        rti_log(ctx, RT_LOG_INFO, "scenario '%s': %lld new roads make %lld cells faster%s",
                sc->name, (long long)burned, (long long)n,
                skipped ? "; some lines have no speed and are left out" : "");
    return rti_change_at(ctx, st, m, sc, si, j, "roads");
}

rt_status rti_medium_patched(rt_ctx *ctx, const rti_medium_run *base, const rti_scenario *sc,
                             int si, rti_medium_run **out)
{
    *out = NULL;
    const int64_t n = base->env.n_cells;
    rti_medium_run *m = calloc(1, sizeof(*m));
    if (!m)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    *m = *base;
    m->scen = sc->name;
    m->shares_net = 1;
    m->friction = NULL;
    const int graph = m->ops->has_graph; /* new roads become edges, not burned in */
    int32_t *idx = rti_malloc_array(ctx, n, sizeof(int32_t), "scenario patch");
    /* on a speed model, roads changed by modify_roads: its grid made again */
    int modify = 0;
    for (int j = 0; !graph && j < sc->n_changes; j++)
        modify |= sc->changes[j].kind == RTI_CHANGE_MODIFY_ROADS;
    rt_status st = RT_OK;
    if (modify)
        st = rti_grid_build_friction_for(ctx, m, m->spec, "medium", sc, si);
    else if (base->friction)
        m->friction = rti_alloc_array_uninit(ctx, n, sizeof(float), "scenario grid");
    if (st != RT_OK || (base->friction && !m->friction) || !idx) {
        free(idx);
        rti_medium_free(m);
        return st != RT_OK ? st : RT_E_NOMEM;
    }
    if (base->friction && !modify)
        memcpy(m->friction, base->friction, (size_t)n * sizeof(float));
    int64_t n_pop = 0;
    double pop = 0;
    for (int j = 0; st == RT_OK && j < sc->n_changes; j++) {
        const rti_change_kind kind = sc->changes[j].kind;
        const int burn = kind == RTI_CHANGE_PATCH || (kind == RTI_CHANGE_ROADS && !graph);
        if (burn && !m->friction) /* the study file refuses this (spec/scenario.c) */
            st = rti_change_at(ctx,
                               rti_error(ctx, RT_E_ARG,
                                         "a change of the grid over land, which the medium "
                                         "does not have"),
                               m, sc, si, j, kind == RTI_CHANGE_PATCH ? "patch" : "roads");
        else if (kind == RTI_CHANGE_PATCH)
            st = apply_patch(ctx, m, sc, si, j, idx, &n_pop, &pop);
        else if (burn)
            st = apply_roads(ctx, m, sc, si, j);
    }
    free(idx);
    if (st == RT_OK && graph && sc->n_graph)
        st = rti_net_scenario(ctx, m, sc, si);
    /* passable: over land, or (hybrid) by an access leg to a road */
    m->n_passable = 0;
    for (int64_t i = 0; st == RT_OK && i < n; i++)
        m->n_passable +=
            (m->friction && m->friction[i] < INFINITY) || (m->net && m->net->cell_edge[i] >= 0);
    if (st == RT_OK && m->n_passable == 0)
        st = rti_error(ctx, RT_E_DATA,
                       "%s: scenario '%s': its patches leave no passable cell in the study extent",
                       m->env.study->path, sc->name);
    if (st == RT_OK && n_pop)
        rti_log(ctx, RT_LOG_WARNING,
                "scenario '%s': its patches make %lld populated cells (%.0f people) impassable; "
                "no route starts there unless a road is attached",
                sc->name, (long long)n_pop, pop);
    if (st != RT_OK) {
        rti_medium_free(m);
        return st;
    }
    *out = m;
    return RT_OK;
}
