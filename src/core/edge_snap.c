/* Nearest point on a set of polylines, through a bucket grid of segments. */
#include "core/edge_snap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RT_MAX_BUCKETS ((int64_t)1 << 24)

struct rti_edge_index {
    rti_polylines p;
    double x0, y0, b; /* south-west corner and bucket size */
    int64_t nbx, nby;
    int64_t *bfirst;  /* nbx * nby + 1 offsets into seg */
    int64_t *seg;     /* vertex index of each segment's start (segment k = k .. k+1) */
    int64_t *edge_of; /* per vertex: its edge (for segments) */
    double *cum;      /* per vertex: length along its edge from the first vertex */
    double *len;      /* per edge: total length */
};

static void free_ix(rti_edge_index *ix)
{
    if (!ix)
        return;
    free(ix->bfirst);
    free(ix->seg);
    free(ix->edge_of);
    free(ix->cum);
    free(ix->len);
    free(ix);
}

void rti_edge_index_destroy(rti_edge_index *ix) { free_ix(ix); }

static inline int64_t clampi(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Buckets [*bx0, *bx1] x [*by0, *by1] that the box touches. */
static inline void bucket_range(const rti_edge_index *ix, double xmin, double ymin, double xmax,
                                double ymax, int64_t *bx0, int64_t *by0, int64_t *bx1, int64_t *by1)
{
    *bx0 = clampi((int64_t)floor((xmin - ix->x0) / ix->b), 0, ix->nbx - 1);
    *bx1 = clampi((int64_t)floor((xmax - ix->x0) / ix->b), 0, ix->nbx - 1);
    *by0 = clampi((int64_t)floor((ymin - ix->y0) / ix->b), 0, ix->nby - 1);
    *by1 = clampi((int64_t)floor((ymax - ix->y0) / ix->b), 0, ix->nby - 1);
}

rt_status rti_edge_index_build(rt_ctx *ctx, const rti_polylines *p, const uint8_t *usable,
                               double bucket_m, rti_edge_index **out)
{
    *out = NULL;
    if (!p || p->n < 0 || !(bucket_m > 0) || !isfinite(bucket_m))
        return rti_error(ctx, RT_E_ARG, "edge index: no edges or bucket size %g m", bucket_m);
    double xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
    for (int64_t e = 0; e < p->n; e++) {
        if (p->first[e + 1] - p->first[e] < 2)
            return rti_error(ctx, RT_E_ARG, "edge index: edge %lld has fewer than two vertices",
                             (long long)e);
        for (int64_t k = p->first[e]; k < p->first[e + 1]; k++) {
            if (!isfinite(p->x[k]) || !isfinite(p->y[k]))
                return rti_error(ctx, RT_E_ARG, "edge index: edge %lld has a non-finite vertex",
                                 (long long)e);
            if (usable && !usable[e])
                continue;
            xmin = fmin(xmin, p->x[k]);
            xmax = fmax(xmax, p->x[k]);
            ymin = fmin(ymin, p->y[k]);
            ymax = fmax(ymax, p->y[k]);
        }
    }
    rti_edge_index *ix = calloc(1, sizeof(*ix));
    if (!ix)
        return rti_error(ctx, RT_E_NOMEM, "edge index: out of memory");
    ix->p = *p;
    if (!(xmin <= xmax)) { /* nothing usable: one empty bucket */
        xmin = xmax = ymin = ymax = 0.0;
    }
    double b = bucket_m;
    while ((ceil((xmax - xmin) / b) + 1) * (ceil((ymax - ymin) / b) + 1) > (double)RT_MAX_BUCKETS)
        b *= 2.0;
    ix->b = b;
    ix->x0 = xmin;
    ix->y0 = ymin;
    ix->nbx = (int64_t)floor((xmax - xmin) / b) + 1;
    ix->nby = (int64_t)floor((ymax - ymin) / b) + 1;
    const int64_t nb = ix->nbx * ix->nby, nv = p->first[p->n];
    ix->bfirst = rti_malloc_array(ctx, nb + 1, sizeof(int64_t), "edge index");
    ix->edge_of = rti_alloc_array_uninit(ctx, nv > 0 ? nv : 1, sizeof(int64_t), "edge index");
    ix->cum = rti_alloc_array_uninit(ctx, nv > 0 ? nv : 1, sizeof(double), "edge index");
    ix->len = rti_alloc_array_uninit(ctx, p->n > 0 ? p->n : 1, sizeof(double), "edge index");
    if (!ix->bfirst || !ix->edge_of || !ix->cum || !ix->len) {
        free_ix(ix);
        return RT_E_NOMEM;
    }
    for (int64_t e = 0; e < p->n; e++) {
        double c = 0.0;
        for (int64_t k = p->first[e]; k < p->first[e + 1]; k++) {
            if (k > p->first[e])
                c += hypot(p->x[k] - p->x[k - 1], p->y[k] - p->y[k - 1]);
            ix->edge_of[k] = e;
            ix->cum[k] = c;
        }
        ix->len[e] = c;
    }
    /* two passes over the segments: count per bucket, then fill */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (int64_t i = 0; i < nb; i++)
                ix->bfirst[i + 1] += ix->bfirst[i];
            ix->seg = rti_alloc_array_uninit(ctx, ix->bfirst[nb] > 0 ? ix->bfirst[nb] : 1,
                                             sizeof(int64_t), "edge index");
            if (!ix->seg) {
                free_ix(ix);
                return RT_E_NOMEM;
            }
        }
        int64_t *pos = NULL;
        if (pass == 1) {
            pos = rti_alloc_array_uninit(ctx, nb, sizeof(int64_t), "edge index");
            if (!pos) {
                free_ix(ix);
                return RT_E_NOMEM;
            }
            memcpy(pos, ix->bfirst, (size_t)nb * sizeof(int64_t));
        }
        for (int64_t e = 0; e < p->n; e++) {
            if (usable && !usable[e])
                continue;
            for (int64_t k = p->first[e]; k + 1 < p->first[e + 1]; k++) {
                int64_t bx0, by0, bx1, by1;
                bucket_range(ix, fmin(p->x[k], p->x[k + 1]), fmin(p->y[k], p->y[k + 1]),
                             fmax(p->x[k], p->x[k + 1]), fmax(p->y[k], p->y[k + 1]), &bx0, &by0,
                             &bx1, &by1);
                for (int64_t by = by0; by <= by1; by++)
                    for (int64_t bx = bx0; bx <= bx1; bx++) {
                        int64_t i = by * ix->nbx + bx;
                        if (pass == 0)
                            ix->bfirst[i + 1]++;
                        else
                            ix->seg[pos[i]++] = k;
                    }
            }
        }
        free(pos);
    }
    *out = ix;
    return RT_OK;
}

void rti_edge_index_nearest(const rti_edge_index *ix, double px, double py, double max_m,
                            rti_edge_hit *hit)
{
    hit->edge = -1;
    hit->frac = NAN;
    hit->dist_m = INFINITY;
    if (!(max_m >= 0) || ix->bfirst[ix->nbx * ix->nby] == 0)
        return;
    int64_t bx0, by0, bx1, by1;
    bucket_range(ix, px - max_m, py - max_m, px + max_m, py + max_m, &bx0, &by0, &bx1, &by1);
    const double *x = ix->p.x, *y = ix->p.y;
    double best_d2 = max_m * max_m, best_frac = NAN;
    int64_t best_e = -1;
    for (int64_t by = by0; by <= by1; by++)
        for (int64_t bx = bx0; bx <= bx1; bx++) {
            int64_t i = by * ix->nbx + bx;
            for (int64_t j = ix->bfirst[i]; j < ix->bfirst[i + 1]; j++) {
                const int64_t k = ix->seg[j];
                const double dx = x[k + 1] - x[k], dy = y[k + 1] - y[k];
                const double l2 = dx * dx + dy * dy;
                double t = l2 > 0 ? ((px - x[k]) * dx + (py - y[k]) * dy) / l2 : 0.0;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                const double qx = x[k] + t * dx, qy = y[k] + t * dy;
                const double d2 = (px - qx) * (px - qx) + (py - qy) * (py - qy);
                if (d2 > best_d2)
                    continue;
                const int64_t e = ix->edge_of[k];
                const double len = ix->len[e];
                const double along = ix->cum[k] + t * (ix->cum[k + 1] - ix->cum[k]);
                const double frac = len > 0 ? along / len : 0.0;
                if (d2 < best_d2 || best_e < 0 || e < best_e || (e == best_e && frac < best_frac)) {
                    best_d2 = d2;
                    best_e = e;
                    best_frac = frac;
                }
            }
        }
    if (best_e < 0)
        return;
    hit->edge = best_e;
    hit->frac = best_frac > 1.0 ? 1.0 : best_frac;
    hit->dist_m = sqrt(best_d2);
}

/* Offers (t, f) to the two distinct-facility slots (declared in edge_snap.h). */
void rti_labels_offer2(double t, int32_t f, double *t1, int32_t *f1, double *t2, int32_t *f2)
{
    if (f < 0 || !(t < INFINITY))
        return;
    if (f == *f1) {
        if (t < *t1)
            *t1 = t;
        return;
    }
    if (t < *t1 || (t == *t1 && f < *f1)) {
        if (*f1 >= 0 && *f1 != f) {
            *t2 = *t1;
            *f2 = *f1;
        }
        *t1 = t;
        *f1 = f;
        return;
    }
    if (f != *f2 && (t < *t2 || (t == *t2 && f < *f2))) {
        *t2 = t;
        *f2 = f;
    } else if (f == *f2 && t < *t2) {
        *t2 = t;
    }
}

void rti_labels_offer2l(double t, int32_t f, float l, double *t1, int32_t *f1, float *l1,
                        double *t2, int32_t *f2)
{
    const double old_t = *t1;
    const int32_t old_f = *f1;
    rti_labels_offer2(t, f, t1, f1, t2, f2);
    if (*f1 != f || *t1 != t)
        return; /* slot 1 is another route */
    if (old_f != f || old_t != t || isnan(*l1) || l < *l1)
        *l1 = l;
}

void rti_attach_labels(const rt_labels *node, const rti_attach *at, double *t1, int32_t *f1,
                       float *l1, double *t2, int32_t *f2)
{
    double a1 = INFINITY, a2 = INFINITY;
    int32_t g1 = -1, g2 = -1;
    float m1 = NAN;
    const int second = node->time2_s && t2;
    const int with_len = l1 && node->length_m;
    /* towards b along a -> b, towards a along b -> a */
    const int32_t end[2] = {at->b, at->a};
    const double w[2] = {rti_edge_share(1.0 - at->frac, at->w_ab),
                         rti_edge_share(at->frac, at->w_ba)};
    const float share[2] = {(float)((1.0 - at->frac) * at->len_m), (float)(at->frac * at->len_m)};
    for (int k = 0; k < 2; k++) {
        if (isnan(w[k]))
            continue;
        const int32_t v = end[k];
        const double t = rti_cell_via_node(at->leg_s, w[k], node->time_s[v]);
        if (with_len)
            rti_labels_offer2l(t, node->facility[v], at->leg_m + share[k] + node->length_m[v], &a1,
                               &g1, &m1, &a2, &g2);
        else
            rti_labels_offer2(t, node->facility[v], &a1, &g1, &a2, &g2);
        if (second)
            rti_labels_offer2(rti_cell_via_node(at->leg_s, w[k], node->time2_s[v]),
                              node->facility2[v], &a1, &g1, &a2, &g2);
    }
    *t1 = a1;
    *f1 = g1;
    if (l1)
        *l1 = with_len && g1 >= 0 ? m1 : NAN;
    if (t2) {
        *t2 = second ? a2 : INFINITY;
        *f2 = second ? g2 : -1;
    }
}
