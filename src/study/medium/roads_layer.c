/* The layer roads_<type> of a road network medium in reistijd.gpkg: the
 * edges the mode uses, with the time from either end to the nearest
 * facility (docs/outputs.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/ctx_internal.h"
#include "study/medium/medium.h"

rt_status rti_net_write_roads_layer(rt_ctx *ctx, const rti_medium_run *m, const rti_starts *s,
                                    const rti_points *pts, const char *type, const char *gpkg)
{
    const rti_net *net = m->net;
    const rti_roads *r = &net->roads;
    if (!s->nodes.time_s)
        return RT_OK;
    int64_t n = 0, nv = 0;
    for (int64_t e = 0; e < r->n_edges; e++)
        if (net->g.arc_along[e] >= 0 || net->g.arc_against[e] >= 0) {
            n++;
            nv += r->geom_first[e + 1] - r->geom_first[e];
        }
    int64_t *first = rti_malloc_array(ctx, n + 1, sizeof(int64_t), "roads layer");
    double *gx = rti_malloc_array(ctx, nv, sizeof(double), "roads layer");
    double *gy = rti_malloc_array(ctx, nv, sizeof(double), "roads layer");
    int64_t *fid = rti_malloc_array(ctx, n, sizeof(int64_t), "roads layer");
    const char **cls = rti_malloc_array(ctx, n, sizeof(char *), "roads layer");
    const char **dir = rti_malloc_array(ctx, n, sizeof(char *), "roads layer");
    const char **fac = rti_malloc_array(ctx, n, sizeof(char *), "roads layer");
    double *num = rti_malloc_array(ctx, 5 * n, sizeof(double), "roads layer");
    rt_status st = first && gx && gy && fid && cls && dir && fac && num ? RT_OK : RT_E_NOMEM;
    double *len = num, *kmh = num + n, *t_from = num + 2 * n, *t_to = num + 3 * n,
           *t_min = num + 4 * n;
    int64_t k = 0, v = 0;
    for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++) {
        int64_t a = net->g.arc_along[e], b = net->g.arc_against[e];
        if (a < 0 && b < 0)
            continue;
        first[k] = v;
        for (int64_t i = r->geom_first[e]; i < r->geom_first[e + 1]; i++, v++) {
            gx[v] = r->gx[i];
            gy[v] = r->gy[i];
        }
        fid[k] = r->source_fid[e];
        cls[k] = r->classes[r->cls[e]];
        dir[k] = a >= 0 && b >= 0 ? "both" : a >= 0 ? "along" : "against";
        len[k] = r->length_m[e];
        double w = net->g.time_s[a >= 0 ? a : b];
        kmh[k] = w > 0 ? len[k] / w * 3.6 : NAN;
        int32_t f = r->from[e], to = r->to[e];
        double tf = s->nodes.time_s[f], tt = s->nodes.time_s[to];
        t_from[k] = tf < INFINITY ? tf / 60.0 : NAN;
        t_to[k] = tt < INFINITY ? tt / 60.0 : NAN;
        int32_t best = tt < tf || (tt == tf && s->nodes.facility[to] < s->nodes.facility[f])
                           ? s->nodes.facility[to]
                           : s->nodes.facility[f];
        t_min[k] = fmin(tf, tt) < INFINITY ? fmin(tf, tt) / 60.0 : NAN;
        fac[k] = best >= 0 ? pts->id[best] : NULL;
        k++;
    }
    if (st == RT_OK) {
        first[n] = v;
        rti_column cols[] = {
            {"source_fid", RTI_COL_INT, NULL, fid, NULL},
            {"class", RTI_COL_STR, cls, NULL, NULL},
            {"direction", RTI_COL_STR, dir, NULL, NULL},
            {"length_m", RTI_COL_REAL, NULL, NULL, len},
            {"speed_kmh", RTI_COL_REAL, NULL, NULL, kmh},
            {"time_from_min", RTI_COL_REAL, NULL, NULL, t_from},
            {"time_to_min", RTI_COL_REAL, NULL, NULL, t_to},
            {"time_min", RTI_COL_REAL, NULL, NULL, t_min},
            {"facility_id", RTI_COL_STR, fac, NULL, NULL},
        };
        char layer[128];
        snprintf(layer, sizeof(layer), "roads_%s", type);
        st = rti_write_gpkg_lines(ctx, gpkg, layer, m->env.study->crs, first, gx, gy, n, cols,
                                  (int)(sizeof(cols) / sizeof(cols[0])));
    }
    free(first);
    free(gx);
    free(gy);
    free(fid);
    free(cls);
    free(dir);
    free(fac);
    free(num);
    return st;
}
