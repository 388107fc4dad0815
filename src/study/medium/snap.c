/* Facilities onto the grid, and the lists of facilities in warnings. */
#include "study/medium/medium.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/ctx_internal.h"

void rti_idlist_add(rti_idlist *l, const rti_points *pts, int64_t i, int with_xy)
{
    const char *id = pts->id ? pts->id[i] : "?";
    if (++l->n > RTI_IDLIST_SHOWN || l->used >= sizeof(l->text) - 64)
        return;
    const char *sep = l->used ? ", " : "";
    const size_t room = sizeof(l->text) - l->used;
    int w = with_xy ? snprintf(l->text + l->used, room, "%s'%s' (%.0f, %.0f)", sep, id, pts->x[i],
                               pts->y[i])
                    : snprintf(l->text + l->used, room, "%s'%s'", sep, id);
    l->used += w > 0 ? (size_t)w : 0;
    if (l->used >= sizeof(l->text))
        l->used = sizeof(l->text) - 1;
}

const char *rti_idlist_more(const rti_idlist *l) { return l->n > RTI_IDLIST_SHOWN ? ", ..." : ""; }

void rti_log_facilities_outside(rt_ctx *ctx, const char *what, int64_t outside, int64_t n)
{
    if (outside)
        rti_log(ctx, RT_LOG_INFO, "%s: %lld of %lld facilities lie outside the study extent", what,
                (long long)outside, (long long)n);
}

int64_t rti_snap_points(rt_ctx *ctx, const rt_grid_medium *med, const rti_grid_spec *grid,
                        const rti_points *pts, double radius_m, const char *what, rt_source *src,
                        int64_t *n_snapped, int64_t *n_dropped, double *snap_m,
                        int64_t *cell_of_point)
{
    int64_t n = 0, moved = 0, dropped = 0, outside = 0;
    rti_idlist left = {0};
    for (int64_t i = 0; i < pts->n; i++) {
        double colf = (pts->x[i] - grid->x0) / grid->cell_m;
        double rowf = (grid->y1 - pts->y[i]) / grid->cell_m;
        int64_t cell;
        double d;
        int ok =
            isfinite(colf) && isfinite(rowf) && rt_grid_snap(med, colf, rowf, radius_m, &cell, &d);
        if (snap_m)
            snap_m[i] = ok ? d : NAN;
        if (cell_of_point)
            cell_of_point[i] = ok ? cell : -1;
        if (!ok) {
            dropped++;
            if (rti_grid_beyond(grid, pts->x[i], pts->y[i], radius_m)) {
                outside++; /* beyond the study extent: expected, not a problem */
                continue;
            }
            rti_idlist_add(&left, pts, i, 1);
            continue;
        }
        if (d > 0)
            moved++;
        src[n].cell = cell;
        src[n].facility = (int32_t)i;
        n++;
    }
    if (what)
        rti_log_facilities_outside(ctx, what, outside, pts->n);
    if (dropped > outside && what)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld of %lld facilities inside the study extent have no passable cell "
                "within %g m and are left out: %s%s",
                what, (long long)(dropped - outside), (long long)pts->n, radius_m, left.text,
                rti_idlist_more(&left));
    *n_snapped = moved;
    *n_dropped = dropped;
    return n;
}
