/* Medium type hybrid: the roads of a mode as a graph and a grid medium over
 * land (offroad), joined by access legs and searched together
 * (rti_hybrid_search; docs/methods.md, "Hybrid medium"). */
#include <math.h>
#include <stdio.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"

rt_status rti_hybrid_build(rt_ctx *ctx, rti_medium_run *m)
{
    rt_status st = rti_grid_build_friction(ctx, m, m->spec->offroad, "medium.offroad");
    const int64_t n_land = m->n_passable;
    if (st == RT_OK)
        st = rti_net_build(ctx, m);
    if (st != RT_OK)
        return st;
    /* passable: over land, or by an access leg to a road */
    int64_t n = 0;
    for (int64_t i = 0; i < m->env.n_cells; i++)
        n += m->friction[i] < INFINITY || m->net->cell_edge[i] >= 0;
    m->n_passable = n;
    rti_log(ctx, RT_LOG_INFO,
            "medium: %lld cells passable over land, %lld attached to a road, %lld either",
            (long long)n_land, (long long)m->net->n_attached, (long long)n);
    rti_grid_warn_stuck(ctx, m);
    return RT_OK;
}

/* The facilities start on the grid (snapped as for a grid medium) and on
 * the roads; one left out of both is reported as a grid medium reports it.
 * A facility only on a road gets the cell under it and its leg length as
 * snap_m. */
rt_status rti_hybrid_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                           const rti_points *pts, const char *key, rti_placement *p)
{
    const rt_study *s = m->env.study;
    const rti_grid_spec *g = m->env.grid;
    const int64_t n = pts->n;
    rti_starts *st_ = p->starts;
    rt_status st = rti_grid_medium_snap(ctx, m, pts, NULL, p);
    if (st == RT_OK)
        st = rti_net_attach(ctx, m, def, pts, key, 0, p);
    if (st != RT_OK)
        return st;
    for (int64_t k = 0; k < st_->fa_n; k++) {
        int64_t i = st_->fa[k].facility;
        if (p->cell[i] >= 0)
            continue;
        p->cell[i] = rti_grid_cell_at(g, pts->x[i], pts->y[i]);
        p->snap_m[i] = st_->fa[k].leg_m;
        p->n_dropped--;
        p->n_snapped += p->snap_m[i] > 0;
    }
    int64_t outside = 0;
    rti_idlist left = {0};
    char note[500];
    for (int64_t i = 0; i < n; i++) {
        if (p->cell[i] >= 0)
            continue;
        if (rti_study_start_outside(s, g, pts->x[i], pts->y[i])) {
            outside++;
            continue;
        }
        rti_idlist_add(&left, pts, i, 1);
    }
    rti_log_facilities_outside(ctx, key, outside, n);
    if (left.n)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld of %lld facilities inside the study extent have neither a passable cell "
                "within %g m nor a road within access.max_distance_m = %g m%s and are left out: "
                "%s%s",
                key, (long long)left.n, (long long)n, s->snap_radius_m, m->spec->access_max_m,
                rti_net_closed_note(m->net, note, sizeof(note)), left.text, rti_idlist_more(&left));
    if (st_->n_src + st_->n_nsrc == 0)
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: %s: none of the %lld facilities lies on a passable cell of "
                         "the study extent (or within snap_radius_m = %g m of one) or within "
                         "access.max_distance_m = %g m of a road%s",
                         s->path, def->at.line, def->at.column, key, (long long)n, s->snap_radius_m,
                         m->spec->access_max_m, rti_net_closed_note(m->net, note, sizeof(note)));
    return RT_OK;
}
