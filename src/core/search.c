/* Search pieces shared by both media: options, labels, workspace, queue
 * choice. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/search_internal.h"

rt_search_ws *rt_search_ws_create(void) { return calloc(1, sizeof(rt_search_ws)); }

void rt_search_ws_destroy(rt_search_ws *ws)
{
    if (!ws)
        return;
    rti_rheap_release(&ws->heap);
    rti_bqueue_release(&ws->buckets);
    rti_tiles_release(ws);
    free(ws);
}

uint64_t rt_search_ws_bytes(const rt_search_ws *ws)
{
    return ws ? rti_rheap_bytes(&ws->heap) + rti_bqueue_bytes(&ws->buckets) + rti_tiles_bytes(ws)
              : 0;
}

void rt_search_opts_init(rt_search_opts *opts)
{
    if (!opts)
        return;
    opts->struct_size = sizeof(*opts);
    opts->neighbours = 16;
    opts->flags = 0;
    opts->max_time_s = INFINITY;
    opts->start_m = NULL;
}

uint64_t rt_labels_bytes_per_cell(unsigned flags)
{
    uint64_t b = sizeof(double) + sizeof(int32_t);
    if (flags & RT_SEARCH_SECOND)
        b += sizeof(double) + sizeof(int32_t);
    if (flags & RT_SEARCH_LENGTH)
        b += sizeof(float);
    return b;
}

rt_status rt_labels_alloc(rt_ctx *ctx, int64_t n_cells, unsigned flags, rt_labels *labels)
{
    if (!ctx || !labels)
        return ctx ? rti_error(ctx, RT_E_ARG, "labels: no output given") : RT_E_ARG;
    memset(labels, 0, sizeof(*labels));
    if (n_cells <= 0)
        return rti_error(ctx, RT_E_ARG, "labels: %lld cells requested", (long long)n_cells);
    const uint64_t per_cell = rt_labels_bytes_per_cell(flags);
    const uint64_t bytes =
        (uint64_t)n_cells > UINT64_MAX / per_cell ? UINT64_MAX : (uint64_t)n_cells * per_cell;
    rt_status st = rti_budget_check(ctx, bytes, "travel-time labels");
    if (st != RT_OK)
        return st;
    labels->n_cells = n_cells;
    labels->time_s = rti_alloc_array_uninit(ctx, n_cells, sizeof(double), "travel times");
    labels->facility = rti_alloc_array_uninit(ctx, n_cells, sizeof(int32_t), "nearest facility");
    int ok = labels->time_s && labels->facility;
    if (ok && (flags & RT_SEARCH_SECOND)) {
        labels->time2_s = rti_alloc_array_uninit(ctx, n_cells, sizeof(double), "second times");
        labels->facility2 =
            rti_alloc_array_uninit(ctx, n_cells, sizeof(int32_t), "second facility");
        ok = labels->time2_s && labels->facility2;
    }
    if (ok && (flags & RT_SEARCH_LENGTH)) {
        labels->length_m = rti_alloc_array_uninit(ctx, n_cells, sizeof(float), "route lengths");
        ok = labels->length_m != NULL;
    }
    if (!ok) {
        rt_labels_free(labels);
        return RT_E_NOMEM;
    }
    return RT_OK;
}

void rt_labels_free(rt_labels *labels)
{
    if (!labels)
        return;
    free(labels->time_s);
    free(labels->facility);
    free(labels->time2_s);
    free(labels->facility2);
    free(labels->length_m);
    memset(labels, 0, sizeof(*labels));
}

void rti_labels_copy(rt_labels *dst, const rt_labels *src, int64_t n)
{
    memcpy(dst->time_s, src->time_s, (size_t)n * sizeof(double));
    memcpy(dst->facility, src->facility, (size_t)n * sizeof(int32_t));
    if (src->time2_s && dst->time2_s) {
        memcpy(dst->time2_s, src->time2_s, (size_t)n * sizeof(double));
        memcpy(dst->facility2, src->facility2, (size_t)n * sizeof(int32_t));
    }
    if (src->length_m && dst->length_m)
        memcpy(dst->length_m, src->length_m, (size_t)n * sizeof(float));
}

void rti_labels_clear(rt_labels *o, int64_t n, unsigned flags, int threads)
{
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t i = 0; i < n; i++)
        label_clear(o, i, flags);
}

rt_status rti_search_opts_in(rt_ctx *ctx, const rt_search_opts *opts, rt_search_opts *out)
{
    rt_search_opts_init(out);
    if (!opts)
        return RT_OK;
    return rti_struct_in(ctx, opts, RTI_V1_BYTES(rt_search_opts, start_m), sizeof(*out), out,
                         "search: rt_search_opts");
}

rt_status rti_search_check(rt_ctx *ctx, const rt_search_opts *o, const rt_labels *out, int64_t n,
                           const char *what)
{
    if (o->flags & ~(unsigned)(RT_SEARCH_SECOND | RT_SEARCH_LENGTH))
        return rti_error(ctx, RT_E_ARG, "search: unknown flag bits 0x%x", o->flags);
    if (isnan(o->max_time_s) || o->max_time_s < 0)
        return rti_error(ctx, RT_E_ARG, "search: max_time_s must be >= 0");
    if (!out || out->n_cells != n || !out->time_s || !out->facility ||
        ((o->flags & RT_SEARCH_SECOND) && (!out->time2_s || !out->facility2)) ||
        ((o->flags & RT_SEARCH_LENGTH) && !out->length_m))
        return rti_error(ctx, RT_E_ARG, "search: output arrays do not match the %s and flags",
                         what);
    return RT_OK;
}

int rti_search_queue(rt_ctx *ctx, rt_search_ws *ws, double w_min, double w_max, double span,
                     int sort, int with_fac, queue *q)
{
    q->rh = &ws->heap;
    q->bq = NULL;
    rti_rheap_reset(&ws->heap);
    if (!(w_min > 0) || !(w_max < INFINITY))
        return 1;
    /* the ring covers every time pending at once: up to the dearest arc, or
     * the spread of the start times while the starts are queued */
    w_max = span > w_max ? span : w_max;
    /* a bucket a little narrower than the cheapest arc, so that rounding of
     * t + w can never land an offer in the bucket being taken */
    double delta = w_min * (1.0 - 1e-6);
    double ring = ceil(w_max / delta * (1.0 + 1e-6)) + 3.0;
    if (!(delta > 0) || !(ring <= RT_MAX_RING))
        return 1;
    if (!rti_bqueue_init(ctx, &ws->buckets, delta, (int64_t)ring, sort, with_fac))
        return 0;
    q->bq = &ws->buckets;
    return 1;
}

rt_status rti_search_check_starts(rt_ctx *ctx, const rt_source *src, int64_t n,
                                  const float *start_m, double *span)
{
    double lo = INFINITY, hi = 0.0;
    for (int64_t i = 0; i < n; i++) {
        if (src[i].facility < 0)
            return rti_error(ctx, RT_E_ARG, "search: start %lld has facility index %d < 0",
                             (long long)i, src[i].facility);
        double t = src[i].start_s;
        if (!(t >= 0) || !isfinite(t))
            return rti_error(ctx, RT_E_ARG,
                             "search: start %lld (facility %d): start time %g s must be finite "
                             "and >= 0",
                             (long long)i, src[i].facility, t);
        if (start_m && !(start_m[i] >= 0 && isfinite(start_m[i])))
            return rti_error(ctx, RT_E_ARG,
                             "search: start %lld (facility %d): start length %g m must be finite "
                             "and >= 0",
                             (long long)i, src[i].facility, (double)start_m[i]);
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
    }
    *span = n > 0 ? hi - lo : 0.0;
    return RT_OK;
}

/* ---- updates (search_internal.h) ---- */

int rti_list_add(rt_ctx *ctx, rti_idx_list *l, int64_t c)
{
    if (l->n == l->cap) {
        int64_t cap = l->cap ? 2 * l->cap : 4096;
        uint32_t *a = rti_realloc_array(ctx, l->a, cap, sizeof(*a), "search update");
        if (!a)
            return 0;
        l->a = a;
        l->cap = cap;
    }
    l->a[l->n++] = (uint32_t)c;
    return 1;
}

/* The index f of the earlier search in the new numbering (map), -1 for a
 * closed facility or none. */
static inline int32_t renumber(const int32_t *map, int32_t n_map, int32_t f)
{
    return f >= 0 && f < n_map ? map[f] : -1;
}

int rti_mark(rt_ctx *ctx, rti_marks *m, int64_t v)
{
    if (m->bit[v >> 3] & (1u << (v & 7)))
        return 1;
    m->bit[v >> 3] |= (unsigned char)(1u << (v & 7));
    return rti_list_add(ctx, &m->todo, v) && rti_list_add(ctx, m->marked, v);
}

int rti_labels_renumber(rt_ctx *ctx, const int32_t *map, int32_t n_map, unsigned flags, int64_t n,
                        rt_labels *o, rti_idx_list *cleared)
{
    const int second = (flags & RT_SEARCH_SECOND) != 0;
    int32_t same = 0;
    while (same < n_map && map[same] == same)
        same++;
    if (same == n_map)
        return 1; /* nothing closed, nothing renumbered (a label names no facility >= n_map) */
    for (int64_t c = 0; c < n; c++) {
        if (o->facility[c] < 0)
            continue; /* unreached: stays so, or is reached by the search */
        const int32_t f1 = renumber(map, n_map, o->facility[c]);
        const int32_t f2 = second && o->facility2[c] >= 0 ? renumber(map, n_map, o->facility2[c])
                                                          : (second ? -1 : 0);
        const int gone = f1 < 0 || (second && o->facility2[c] >= 0 && f2 < 0);
        if (gone) {
            label_clear(o, c, flags);
            if (!rti_list_add(ctx, cleared, c))
                return 0;
            continue;
        }
        o->facility[c] = f1;
        if (second)
            o->facility2[c] = f2;
    }
    return 1;
}

int rti_queue_labels(rt_ctx *ctx, queue *h, const rt_labels *o, const rti_idx_list *border)
{
    for (int64_t i = 0; i < border->n; i++) {
        const uint32_t c = border->a[i];
        if (!(o->time_s[c] < INFINITY))
            continue; /* cleared after it was listed */
        if (!q_push(ctx, h, o->time_s[c], c, o->facility[c]))
            return 0;
        if (o->time2_s && o->time2_s[c] < INFINITY &&
            !q_push(ctx, h, o->time2_s[c], c, o->facility2[c]))
            return 0;
    }
    return 1;
}

int rti_label_tight(const rt_labels *o, int64_t u, int64_t v, double w)
{
    if (!(w < INFINITY))
        return 0;
    const int k = o->time2_s ? 2 : 1;
    for (int r = 0; r < k; r++) {
        const double tu = r ? o->time2_s[u] : o->time_s[u];
        const int32_t fu = r ? o->facility2[u] : o->facility[u];
        if (!(tu < INFINITY))
            continue;
        for (int q = 0; q < k; q++) {
            const double tv = q ? o->time2_s[v] : o->time_s[v];
            const int32_t fv = q ? o->facility2[v] : o->facility[v];
            if (fv == fu && tu + w == tv)
                return 1;
        }
    }
    return 0;
}

double rti_update_span(const rt_source *src, int64_t n_src, const rt_labels *o,
                       const rti_idx_list *queued)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < n_src; i++) {
        lo = src[i].start_s < lo ? src[i].start_s : lo;
        hi = src[i].start_s > hi ? src[i].start_s : hi;
    }
    for (int64_t i = 0; i < queued->n; i++) {
        const double t = o->time_s[queued->a[i]];
        if (!(t < INFINITY))
            continue; /* cleared since it was listed */
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
        if (o->time2_s && o->time2_s[queued->a[i]] < INFINITY)
            hi = o->time2_s[queued->a[i]] > hi ? o->time2_s[queued->a[i]] : hi;
    }
    return hi > lo ? hi - lo : 0.0;
}
