/* The scenarios of a run, before the search: the changes applied to
 * copies of the facility points (never to the baseline's), checked
 * against the facilities read (docs/study-file.md, "scenarios"), placed
 * on the medium; then the folders and names of their outputs. The
 * searches and tables are in scenario_out.c. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

/* 1 when scenario sc changes facility type t: its facilities, or (a
 * patch, a population change) the medium or the people of every type. */
static int changes_type(const rti_scenario *sc, int t)
{
    if (sc->n_patches || sc->n_people)
        return 1;
    for (int j = 0; j < sc->n_changes; j++)
        if (sc->changes[j].type == t)
            return 1;
    return 0;
}

uint64_t rti_scen_bytes_per_cell(const rti_run *run)
{
    const rt_study *s = run->study;
    /* on a grid medium every label is kept (a scenario's search is then an
     * update of them), else the times and lengths */
    uint64_t per_type = s->medium.kind == RTI_MEDIUM_NETWORK || s->medium.kind == RTI_MEDIUM_HYBRID
                            ? (uint64_t)(8 + (run->search_flags & RT_SEARCH_LENGTH ? 4 : 0))
                            : rt_labels_bytes_per_cell(run->search_flags);
    uint64_t n = 0, grids = 0, measured = 0;
    for (int t = 0; t < s->n_facilities; t++)
        for (int i = 0; i < s->n_scenarios; i++)
            if (changes_type(&s->scenarios[i], t)) {
                n++;
                measured += s->facilities[t].n_measures > 0;
                break;
            }
    int people = 0, patches = 0;
    uint64_t nets = 0;
    const int land = s->medium.kind != RTI_MEDIUM_NETWORK;
    for (int i = 0; i < s->n_scenarios; i++) {
        /* a copy of the grid over land */
        grids += land && s->scenarios[i].n_patches > s->scenarios[i].n_graph;
        grids += s->scenarios[i].n_people > 0; /* a copy of the population */
        people |= s->scenarios[i].n_people > 0;
        patches |= s->scenarios[i].n_patches > 0;
        nets += s->scenarios[i].n_graph > 0; /* a road network of its own: the attachments */
    }
    /* while a change is applied, one at a time: the cells of a patch and the
     * speeds of new roads, or the population before the change */
    grids += patches ? 2 : people;
    /* a changed type's measures, one type at a time per task */
    return n * per_type + grids * sizeof(float) + nets * 24 +
           measured * rti_run_measures_bytes_per_cell(run);
}

/* ---- points ---- */

/* *out = the points of a with keep[i] set (keep NULL: all), then those of
 * b (may be NULL). */
static rt_status points_join(rt_ctx *ctx, const rti_points *a, const unsigned char *keep,
                             const rti_points *b, rti_points *out)
{
    int64_t n = b ? b->n : 0;
    for (int64_t i = 0; i < a->n; i++)
        n += !keep || keep[i];
    memset(out, 0, sizeof(*out));
    out->x = rti_malloc_array(ctx, n, sizeof(double), "points");
    out->y = rti_malloc_array(ctx, n, sizeof(double), "points");
    out->value = rti_malloc_array(ctx, n, sizeof(double), "points");
    out->fid = rti_malloc_array(ctx, n, sizeof(int64_t), "points");
    out->id = rti_malloc_array(ctx, n, sizeof(char *), "points");
    if (a->name)
        out->name = rti_malloc_array(ctx, n, sizeof(char *), "points");
    if (!out->x || !out->y || !out->value || !out->fid || !out->id || (a->name && !out->name))
        return RT_E_NOMEM;
    for (int part = 0; part < 2; part++) {
        const rti_points *p = part ? b : a;
        for (int64_t i = 0; p && i < p->n; i++) {
            if (!part && keep && !keep[i])
                continue;
            int64_t k = out->n;
            out->x[k] = p->x[i];
            out->y[k] = p->y[i];
            out->value[k] = p->value[i];
            out->fid[k] = p->fid[i];
            out->id[k] = rti_strdup(ctx, p->id[i], "points");
            if (out->name)
                out->name[k] = rti_strdup(ctx, p->name && p->name[i] ? p->name[i] : "", "points");
            out->n++; /* counted before a failure, so that rti_points_free frees it */
            if (!out->id[k] || (out->name && !out->name[k]))
                return RT_E_NOMEM;
        }
    }
    return RT_OK;
}

/* Index of the first kept point with this id, -1 when none. */
static int64_t find_id(const rti_points *p, const unsigned char *keep, const char *id)
{
    for (int64_t i = 0; i < p->n; i++)
        if (keep[i] && strcmp(p->id[i], id) == 0)
            return i;
    return -1;
}

/* ---- one change ---- */

typedef struct change_ctx {
    rti_run *run;
    const rti_scenario *sc;
    int si, ci; /* scenario and change index */
    const char *osm_config;
} change_ctx;

/* "study.yaml:L:C: key 'scenarios[i].changes[j].<key>' (scenario 'x')" in
 * front of the error st. */
static rt_status at_change(rt_ctx *ctx, const change_ctx *cc, rt_status st, rti_where at,
                           const char *key)
{
    char k[200];
    snprintf(k, sizeof(k), "key 'scenarios[%d].changes[%d].%s' (scenario '%s')", cc->si, cc->ci,
             key, cc->sc->name);
    return rti_study_at(ctx, st, cc->run->study, at, k);
}

/* The points of type def from src (filtered by where, may be NULL). */
static rt_status read_points(rt_ctx *ctx, const change_ctx *cc, const rti_facility_type *def,
                             const rti_source *src, const char *where, rti_points *out)
{
    rti_layer_ref ref = rti_source_ref(src, rti_run_allows_remote(cc->run));
    ref.osm_config = cc->osm_config;
    ref.where = where;
    return rti_read_points(ctx, &ref, cc->run->study->crs, def->id_column, def->name_column,
                           def->capacity_column, out);
}

/* The error for id k of change c, not among the facilities cur of its
 * type (or `gone`), at key. */
static rt_status no_such_id(rt_ctx *ctx, const change_ctx *cc, const rti_change *c, int k,
                            const rti_points *cur, const char *key, const char *gone)
{
    const rti_facility_type *def = &cc->run->study->facilities[c->type];
    rt_status st = rti_error(
        ctx, RT_E_DATA, "no facility '%s' among the %lld of type '%s' (by %s%s%s); or it is %s",
        c->ids[k], (long long)cur->n, def->type, def->id_column ? "id_column '" : "feature id",
        def->id_column ? def->id_column : "", def->id_column ? "'" : "", gone);
    return at_change(ctx, cc, st, c->id_at[k], key);
}

/* Without an id_column the ids are feature ids, and a facility added
 * from another layer may have the id of one of the source (or of another
 * added layer): such an id names no one facility. n: how many open
 * facilities have it. */
static rt_status ambiguous_id(rt_ctx *ctx, const change_ctx *cc, const rti_change *c, int k,
                              int64_t n, const char *key)
{
    const rti_facility_type *def = &cc->run->study->facilities[c->type];
    if (def->id_column || n < 2)
        return RT_OK;
    rt_status st = rti_error(ctx, RT_E_DATA,
                             "%lld facilities of type '%s' have the feature id '%s' (of its source "
                             "and of added layers, whose feature ids may be the same); give the "
                             "type an id_column to tell them apart",
                             (long long)n, def->type, c->ids[k]);
    return at_change(ctx, cc, st, c->id_at[k], key);
}

/* close: every id must be a facility still open; keep[] loses them. */
static rt_status close_ids(rt_ctx *ctx, const change_ctx *cc, const rti_change *c,
                           const rti_points *cur, unsigned char *keep)
{
    for (int k = 0; k < c->n_ids; k++) {
        int64_t i = find_id(cur, keep, c->ids[k]);
        char key[32];
        snprintf(key, sizeof(key), "close[%d]", k);
        if (i < 0)
            return no_such_id(ctx, cc, c, k, cur, key,
                              "closed already (by this change or an "
                              "earlier one)");
        int64_t n = 0;
        for (int64_t j = i; j < cur->n; j++)
            n += keep[j] && strcmp(cur->id[j], c->ids[k]) == 0;
        rt_status st = ambiguous_id(ctx, cc, c, k, n, key);
        if (st != RT_OK)
            return st;
        for (; i >= 0; i = find_id(cur, keep, c->ids[k])) /* every facility of that id */
            keep[i] = 0;
    }
    return RT_OK;
}

/* capacity: the facilities of each id (open ones, the added included) get
 * the new capacity. */
static rt_status set_capacity(rt_ctx *ctx, const change_ctx *cc, const rti_change *c,
                              rti_points *cur)
{
    for (int k = 0; k < c->n_ids; k++) {
        int64_t found = 0;
        for (int64_t i = 0; i < cur->n; i++)
            if (strcmp(cur->id[i], c->ids[k]) == 0) {
                cur->value[i] = c->capacity[k];
                found++;
            }
        char key[40];
        snprintf(key, sizeof(key), "capacity.%s", c->ids[k]);
        rt_status st = found ? ambiguous_id(ctx, cc, c, k, found, key)
                             : no_such_id(ctx, cc, c, k, cur, key, "closed (by an earlier change)");
        if (st != RT_OK)
            return st;
    }
    return RT_OK;
}

/* close_where: the facilities of the type's source that the filter (and
 * the source's own) selects, by feature: the first n_src points of cur
 * are the source's (changes keep their order and append added points). */
static rt_status close_where(rt_ctx *ctx, const change_ctx *cc, const rti_change *c,
                             const rti_points *cur, int64_t n_src, unsigned char *keep)
{
    const rti_facility_type *def = &cc->run->study->facilities[c->type];
    char *where = def->src.where ? rti_where_and(ctx, def->src.where, c->where) : NULL;
    if (def->src.where && !where)
        return RT_E_NOMEM;
    rti_points sel = {0};
    rt_status st = read_points(ctx, cc, def, &def->src, where ? where : c->where, &sel);
    free(where);
    int64_t closed = 0;
    for (int64_t k = 0; st == RT_OK && k < sel.n; k++)
        for (int64_t i = 0; i < n_src; i++)
            if (keep[i] && cur->fid[i] == sel.fid[k])
                keep[i] = 0, closed++;
    if (st == RT_OK && closed == 0)
        st = rti_error(ctx, RT_E_DATA,
                       "the filter '%s' selects no open facility of type '%s' (%lld feature%s of "
                       "its source, all closed by earlier changes)",
                       c->where, def->type, (long long)sel.n, sel.n == 1 ? "" : "s");
    rti_points_free(&sel);
    return at_change(ctx, cc, st, c->kind_at, "close_where");
}

/* add: points read as the type's source is; with an id_column no id may
 * be a facility already (without one the ids are feature ids of another
 * layer, which may equal the baseline's). */
/* A facility a scenario adds beyond the study extent (by more than the
 * snap radius) is left out as any other, which for one added on purpose
 * is rather a mistake (its coordinates, its CRS): a warning names them. */
static void warn_added_outside(rt_ctx *ctx, const change_ctx *cc, const rti_facility_type *def,
                               const rti_points *add)
{
    rti_idlist far = {0};
    for (int64_t k = 0; k < add->n; k++)
        if (rti_study_start_outside(cc->run->study, &cc->run->in.grid, add->x[k], add->y[k]))
            rti_idlist_add(&far, add, k, 1);
    if (far.n)
        rti_log(ctx, RT_LOG_WARNING,
                "scenario '%s' adds %lld facilit%s of type '%s' beyond the study extent, left "
                "out of the scenario: %s%s; check their coordinates and CRS",
                cc->sc->name, (long long)far.n, far.n == 1 ? "y" : "ies", def->type, far.text,
                rti_idlist_more(&far));
}

static rt_status add_points(rt_ctx *ctx, const change_ctx *cc, const rti_change *c,
                            const rti_points *cur, const unsigned char *keep, rti_points *add)
{
    const rti_facility_type *def = &cc->run->study->facilities[c->type];
    rt_status st = read_points(ctx, cc, def, &c->add, c->add.where, add);
    for (int64_t k = 0; st == RT_OK && def->id_column && k < add->n; k++) {
        int dup = find_id(cur, keep, add->id[k]) >= 0;
        for (int64_t j = 0; j < k; j++)
            dup |= strcmp(add->id[j], add->id[k]) == 0;
        if (dup)
            st = rti_error(ctx, RT_E_DATA,
                           "feature %lld: id '%s' is already a facility of type '%s'; give the "
                           "added facilities ids of their own",
                           (long long)add->fid[k], add->id[k], def->type);
    }
    if (st == RT_OK)
        warn_added_outside(ctx, cc, def, add);
    return at_change(ctx, cc, st, c->kind_at, "add");
}

/* Applies change c to *cur (replaced by the result); *n_src: how many of
 * its first points are the type source's. */
static rt_status apply_change(rt_ctx *ctx, const change_ctx *cc, const rti_change *c,
                              rti_points *cur, int64_t *n_src)
{
    if (c->kind == RTI_CHANGE_CAPACITY)
        return set_capacity(ctx, cc, c, cur);
    unsigned char *keep = rti_malloc_array(ctx, cur->n, 1, "facilities kept");
    if (!keep)
        return RT_E_NOMEM;
    memset(keep, 1, (size_t)cur->n);
    rti_points add = {0}, next = {0};
    rt_status st = c->kind == RTI_CHANGE_CLOSE         ? close_ids(ctx, cc, c, cur, keep)
                   : c->kind == RTI_CHANGE_CLOSE_WHERE ? close_where(ctx, cc, c, cur, *n_src, keep)
                                                       : add_points(ctx, cc, c, cur, keep, &add);
    if (st == RT_OK)
        st = points_join(ctx, cur, keep, &add, &next);
    int64_t kept = 0;
    for (int64_t i = 0; i < *n_src; i++)
        kept += keep[i];
    free(keep);
    rti_points_free(&add);
    if (st == RT_OK) {
        rti_points_free(cur);
        *cur = next;
        *n_src = kept;
    } else {
        rti_points_free(&next);
    }
    return st;
}

/* ---- population changes ---- */

/* The counts of population change j: each a finite number of at most 1e9
 * persons either way. */
static rt_status check_people(rt_ctx *ctx, const rti_change *c, const double *v, const int64_t *fid,
                              int64_t n)
{
    for (int64_t k = 0; k < n; k++)
        if (!(fabs(v[k]) <= 1e9))
            return rti_error(ctx, RT_E_DATA,
                             "%s: feature %lld: column '%s' = %g; a population change is a number "
                             "of persons from -1e9 (removed) to 1e9 (added)",
                             c->people.path, (long long)fid[k], c->count_column, v[k]);
    return RT_OK;
}

/* Adds the people of change c to pop (prev: room for a copy of it); adds
 * to *added and *removed the persons it adds and removes on the grid. */
static rt_status add_people(rt_ctx *ctx, const change_ctx *cc, const rti_change *c, float *pop,
                            float *prev, double *added, double *removed)
{
    const rti_run *run = cc->run;
    const rt_study *s = run->study;
    rti_layer_ref ref = rti_source_ref(&c->people, rti_run_allows_remote(run));
    double off = 0, plus = 0, minus = 0;
    memcpy(prev, pop, (size_t)run->in.n_cells * sizeof(float));
    rt_status st;
    if (c->people_polygons) {
        rti_polygons p = {0};
        const int repair = !s->invalid_polygons || strcmp(s->invalid_polygons, "error") != 0;
        st = rti_read_polygons(ctx, &ref, s->crs, NULL, NULL, c->count_column, repair, &p);
        if (st == RT_OK)
            st = check_people(ctx, c, p.value, p.fid, p.n);
        if (st == RT_OK)
            st = rti_run_spread_polygons(ctx, &run->in.grid, run->in.n_cells, &p, cc->sc->name, pop,
                                         &off);
        rti_polygons_free(&p);
    } else {
        rti_points p = {0};
        st = rti_read_points(ctx, &ref, s->crs, NULL, NULL, c->count_column, &p);
        if (st == RT_OK)
            st = check_people(ctx, c, p.value, p.fid, p.n);
        for (int64_t k = 0; st == RT_OK && k < p.n; k++) {
            const int64_t cell = rti_grid_cell_at(&run->in.grid, p.x[k], p.y[k]);
            if (cell >= 0)
                pop[cell] += (float)p.value[k];
            else
                off += fabs(p.value[k]);
        }
        rti_points_free(&p);
    }
    for (int64_t i = 0; st == RT_OK && i < run->in.n_cells; i++) {
        double d = (double)pop[i] - (double)prev[i];
        plus += d > 0 ? d : 0;
        minus += d < 0 ? -d : 0;
    }
    if (st == RT_OK && plus == 0 && minus == 0)
        st = rti_error(ctx, RT_E_DATA,
                       "%s: its features add or remove nobody on the grid (a population change "
                       "must lie over the study extent, with counts that are not 0)",
                       c->people.path);
    if (st == RT_OK && off != 0)
        rti_log(ctx, RT_LOG_WARNING,
                "scenario '%s': %.0f persons of the population change %s lie outside the study "
                "extent and change nothing",
                cc->sc->name, fabs(off), c->people.path);
    *added += plus;
    *removed += minus;
    return at_change(ctx, cc, st, c->kind_at, "population");
}

/* The population of scenario si: the baseline's with its changes, in the
 * order written; no cell may end below 0 persons, and a cell the changes
 * take to within 0.01 persons of 0 (either side: rounding) is set to 0. */
static rt_status scen_population(rt_ctx *ctx, rti_run *run, int si, rti_scen *own)
{
    const rti_scenario *sc = &run->study->scenarios[si];
    const int64_t n = run->in.n_cells;
    own->pop = rti_alloc_array_uninit(ctx, n, sizeof(float), "scenario population");
    if (!own->pop)
        return RT_E_NOMEM;
    float *prev = rti_alloc_array_uninit(ctx, n, sizeof(float), "scenario population");
    if (!prev)
        return RT_E_NOMEM;
    memcpy(own->pop, run->in.pop, (size_t)n * sizeof(float));
    rt_status st = RT_OK;
    for (int j = 0; st == RT_OK && j < sc->n_changes; j++) {
        change_ctx cc = {run, sc, si, j, NULL};
        if (sc->changes[j].kind == RTI_CHANGE_POPULATION)
            st = add_people(ctx, &cc, &sc->changes[j], own->pop, prev, &own->pop_added,
                            &own->pop_removed);
    }
    free(prev);
    for (int64_t i = 0; st == RT_OK && i < n; i++) {
        /* a cell the changes took down to within 0.01 persons of 0 is
         * empty: rounding (three points of 1.1 add up to 3.3000002 in
         * Float32, less 3.3 leaves 2.4e-7, which would count as people) */
        if (own->pop[i] < run->in.pop[i] && own->pop[i] > -0.01f && own->pop[i] < 0.01f) {
            own->pop_removed += (double)own->pop[i]; /* what the rounding takes or gives back */
            own->pop[i] = 0;
            continue;
        }
        if (!(own->pop[i] < 0))
            continue;
        double x, y;
        rti_grid_centre(&run->in.grid, i, &x, &y);
        st = rti_error(ctx, RT_E_DATA,
                       "%s:%d:%d: scenario '%s': its population changes remove %.2f persons from "
                       "cell (row %lld, col %lld) at (%.0f, %.0f), which holds %.2f",
                       run->study->path, sc->at.line, sc->at.column, sc->name,
                       (double)run->in.pop[i] - (double)own->pop[i],
                       (long long)(i / run->in.grid.nx), (long long)(i % run->in.grid.nx), x, y,
                       (double)run->in.pop[i]);
    }
    return st;
}

/* ---- the stage ---- */

/* The scenario's copy of type t: the baseline's points with its changes,
 * placed on the medium. */
static rt_status scen_type(rt_ctx *ctx, rti_run *run, int si, const char *osm_config,
                           rti_scen_type *st_)
{
    const rti_scenario *sc = &run->study->scenarios[si];
    const rti_type_run *base = &run->types[st_->t];
    rti_type_run *tr = &st_->run;
    tr->def = base->def;
    rt_status st = points_join(ctx, &base->pts, NULL, NULL, &tr->pts);
    int64_t n_src = tr->pts.n;
    for (int j = 0; st == RT_OK && j < sc->n_changes; j++) {
        change_ctx cc = {run, sc, si, j, osm_config};
        if (sc->changes[j].type == st_->t)
            st = apply_change(ctx, &cc, &sc->changes[j], &tr->pts, &n_src);
    }
    if (st == RT_OK && tr->pts.n == 0) {
        char key[64];
        snprintf(key, sizeof(key), "key 'scenarios[%d]'", si);
        st = rti_study_at(ctx,
                          rti_error(ctx, RT_E_DATA,
                                    "scenario '%s' closes every facility of type '%s'; a type "
                                    "needs at least one",
                                    sc->name, tr->def->type),
                          run->study, sc->at, key);
    }
    /* the facility grids hold feature ids, or rows of the scenario's own
     * list (facilities_<type>.csv in its folder) when one does not fit */
    tr->grid_by_row = base->grid_by_row;
    for (int64_t i = 0; st == RT_OK && i < tr->pts.n && !tr->grid_by_row; i++)
        if (tr->pts.fid[i] < 0 || tr->pts.fid[i] > INT32_MAX)
            tr->grid_by_row = 1;
    if (st == RT_OK && tr->grid_by_row && run->study->outputs.grids)
        rti_log(ctx, RT_LOG_WARNING,
                "scenario '%s', facilities '%s': the facility grids hold the row of each facility "
                "in scenarios/%s/facilities_%s.csv (1 = its first row), as some feature id does "
                "not fit in 32 bits",
                sc->name, tr->def->type, sc->name, tr->def->type);
    if (st == RT_OK) {
        const rti_scen *own = &run->scen->sc[si];
        st = rti_medium_place(ctx, own->medium ? own->medium : run->medium, tr->def, &tr->pts,
                              &tr->place);
        const int64_t closed = base->pts.n - n_src, added = tr->pts.n - n_src;
        if (st == RT_E_DATA && (closed > 0 || added > 0)) {
            /* none of what is left can start: say what the scenario did */
            char msg[RTI_MSG_BYTES];
            snprintf(msg, sizeof(msg), "%s", rt_ctx_errmsg(ctx));
            rti_error(ctx, st, "%s; the scenario closes %lld of the baseline's %lld and adds %lld",
                      msg, (long long)closed, (long long)base->pts.n, (long long)added);
        }
        if (st != RT_OK)
            rti_error_prefix(ctx, "scenario '%s'", sc->name);
    }
    return st;
}

rt_status rti_scen_read(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    if (s->n_scenarios == 0)
        return RT_OK;
    rti_scen_state *sr = run->scen = rti_malloc_array(ctx, 1, sizeof(*sr), "scenarios");
    if (!sr)
        return RT_E_NOMEM;
    sr->sc = rti_malloc_array(ctx, s->n_scenarios, sizeof(*sr->sc), "scenarios");
    sr->base_time = rti_malloc_array(ctx, s->n_facilities, sizeof(double *), "scenarios");
    sr->base_length = rti_malloc_array(ctx, s->n_facilities, sizeof(float *), "scenarios");
    sr->base_lab = rti_malloc_array(ctx, s->n_facilities, sizeof(rt_labels), "scenarios");
    if (!sr->sc || !sr->base_time || !sr->base_length || !sr->base_lab)
        return RT_E_NOMEM;
    sr->n = s->n_scenarios;
    rt_status st = RT_OK;
    char *osm_config = rti_find_profile_file(ctx, "osmconf.ini", &st);
    for (int i = 0; st == RT_OK && i < s->n_scenarios; i++) {
        rti_scen *sc = &sr->sc[i];
        sc->def = &s->scenarios[i];
        sc->types = rti_malloc_array(ctx, s->n_facilities, sizeof(*sc->types), "scenarios");
        if (!sc->types) {
            st = RT_E_NOMEM;
            break;
        }
        if (sc->def->n_patches)
            st = rti_medium_patched(ctx, run->medium, sc->def, i, &sc->medium);
        if (st == RT_OK && sc->def->n_people)
            st = scen_population(ctx, run, i, sc);
        for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
            if (!changes_type(sc->def, t))
                continue;
            sc->types[sc->n_types].t = t;
            sc->types[sc->n_types].own = sc;
            st = scen_type(ctx, run, i, osm_config, &sc->types[sc->n_types++]);
            sr->n_tasks++;
        }
    }
    free(osm_config);
    return st;
}

/* ---- folders and names ---- */

/* Makes <outdir>/<sub> unless it is there; remembers it when made. */
static rt_status make_dir(rt_ctx *ctx, rti_run *run, const char *sub, char **made)
{
    const char *dir = run->opts->outdir;
    size_t n = strlen(dir) + strlen(sub) + 2;
    char *p = rti_malloc_array(ctx, (int64_t)n, 1, "output folder name");
    if (!p)
        return RT_E_NOMEM;
    snprintf(p, n, "%s/%s", dir, sub);
    struct stat sb;
    if (mkdir(p, 0777) == 0) {
        *made = p;
        return RT_OK;
    }
    rt_status st = RT_OK;
    if (errno != EEXIST)
        st = rti_error(ctx, RT_E_IO, "%s: cannot create the scenario folder: %s", p,
                       strerror(errno));
    else if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))
        st = rti_error(ctx, RT_E_IO, "%s: not a folder (the outputs of scenarios go there)", p);
    free(p);
    return st;
}

static rt_status add_out(rt_ctx *ctx, rti_run *run, const rti_scen *sc, const char *file,
                         const char **tmp)
{
    char name[400];
    rti_scenario_file(sc->def->name, file, name, sizeof(name));
    return rti_run_add_output(ctx, run, name, tmp);
}

/* The files of scenario sc: the grids of its types as the baseline's,
 * their deltas, the region tables and the compare tables. */
static rt_status plan_scenario(rt_ctx *ctx, rti_run *run, rti_scen *sc)
{
    const rt_study *s = run->study;
    char file[300];
    rt_status st = RT_OK;
    for (int k = 0; st == RT_OK && k < sc->n_types; k++) {
        rti_scen_type *ty = &sc->types[k];
        const char *type = s->facilities[ty->t].type;
        for (int g = 0; st == RT_OK && g < 5; g++) {
            if (!run->types[ty->t].tmp_grid[g])
                continue;
            rti_type_file(type, rti_grid_suffix(g), "tif", file, sizeof(file));
            st = add_out(ctx, run, sc, file, &ty->run.tmp_grid[g]);
        }
        for (int d = 0; st == RT_OK && s->outputs.grids && d < 4; d++) {
            rti_delta_output_name(type, d, file, sizeof(file));
            st = add_out(ctx, run, sc, file, &ty->tmp_delta[d]);
        }
        /* its measures, over the scenario's facilities, medium and people */
        const rti_facility_type *f = &s->facilities[ty->t];
        if (st == RT_OK)
            st = rti_run_type_measures_alloc(ctx, run, &ty->run);
        for (int m = 0; st == RT_OK && s->outputs.grids && m < f->n_measures; m++) {
            rti_type_file(type, f->measures[m].name, "tif", file, sizeof(file));
            st = add_out(ctx, run, sc, file, &ty->run.tmp_meas[m]);
        }
        for (int k2 = 0; k2 < 2 && s->outputs.grids && ty->run.grid_by_row; k2++) {
            snprintf(file, sizeof(file), "facilities_%s.csv%s", type, k2 ? "t" : "");
            if (st == RT_OK)
                st = add_out(ctx, run, sc, file, k2 ? &ty->tmp_list_t : &ty->tmp_list);
        }
        if (st == RT_OK)
            st = rti_run_result_alloc(ctx, run, &ty->run.res);
        if (st == RT_OK)
            st = rti_scen_compare_alloc(ctx, run, ty);
    }
    sc->tmp_csv = rti_malloc_array(ctx, 4 * (int64_t)s->n_regions, sizeof(char *), "outputs");
    if (!sc->tmp_csv)
        return RT_E_NOMEM;
    for (int r = 0; st == RT_OK && s->outputs.csv && r < s->n_regions; r++)
        for (int k = 0; st == RT_OK && k < 4; k++) { /* table, comparison; each with types */
            rti_region_table_name(s->regions[r].name, k / 2, k % 2, file, sizeof(file));
            st = add_out(ctx, run, sc, file, &sc->tmp_csv[4 * r + k]);
        }
    if (st == RT_OK && s->outputs.geopackage && s->n_regions > 0)
        st = add_out(ctx, run, sc, "compare.gpkg", &sc->tmp_gpkg);
    return st;
}

rt_status rti_scen_plan(rt_ctx *ctx, rti_run *run)
{
    rti_scen_state *sr = run->scen;
    if (!sr)
        return RT_OK;
    char sub[300];
    /* the files of a scenario: its grids and tables (none without either) */
    const int files = run->study->outputs.grids || run->study->outputs.csv ||
                      (run->study->outputs.geopackage && run->study->n_regions > 0);
    rt_status st = files ? make_dir(ctx, run, "scenarios", &sr->made_top) : RT_OK;
    for (int i = 0; st == RT_OK && i < sr->n; i++) {
        rti_scenario_file(sr->sc[i].def->name, NULL, sub, sizeof(sub));
        if (files)
            st = make_dir(ctx, run, sub, &sr->sc[i].made_dir);
        if (st == RT_OK)
            st = plan_scenario(ctx, run, &sr->sc[i]);
    }
    /* region layers like "a" and "a_compare" could ask for the same file */
    for (int i = 0; st == RT_OK && i < run->outs.n; i++)
        for (int j = i + 1; j < run->outs.n; j++)
            if (strcmp(run->outs.final[i], run->outs.final[j]) == 0)
                return rti_error(ctx, RT_E_ARG,
                                 "%s: two outputs of a scenario would both be %s; rename the "
                                 "region layer or facility type whose name ends like that",
                                 run->study->path, run->outs.final[i]);
    return st;
}

void rti_scen_remove_dirs(rti_run *run)
{
    rti_scen_state *sr = run->scen;
    for (int i = 0; sr && sr->sc && i < sr->n; i++)
        if (sr->sc[i].made_dir)
            rmdir(sr->sc[i].made_dir); /* only when empty */
    if (sr && sr->made_top)
        rmdir(sr->made_top);
}

void rti_scen_free(rti_run *run)
{
    rti_scen_state *sr = run->scen;
    if (!sr)
        return;
    for (int i = 0; sr->sc && i < sr->n; i++) {
        rti_scen *sc = &sr->sc[i];
        for (int k = 0; sc->types && k < sc->n_types; k++) {
            rti_type_run *tr = &sc->types[k].run;
            rti_run_type_measures_free(run, tr);
            rti_points_free(&tr->pts);
            rti_placement_free(&tr->place);
            rti_run_result_free(run, &tr->res);
            free(sc->types[k].cmp);
        }
        free(sc->types);
        rti_medium_free(sc->medium);
        free(sc->pop);
        free(sc->tmp_csv);
        free(sc->made_dir);
    }
    for (int t = 0;
         sr->base_time && sr->base_length && sr->base_lab && t < run->study->n_facilities; t++) {
        if (sr->base_lab[t].time_s) {
            rt_labels_free(&sr->base_lab[t]); /* base_time and base_length point into it */
            continue;
        }
        free(sr->base_time[t]);
        free(sr->base_length[t]);
    }
    free(sr->base_time);
    free(sr->base_length);
    free(sr->base_lab);
    free(sr->task_type);
    free(sr->tasks);
    for (int i = 0; sr->names && i < sr->n_tasks; i++)
        free(sr->names[i]);
    free(sr->names);
    free(sr->made_top);
    free(sr->sc);
    free(sr);
    run->scen = NULL;
}
