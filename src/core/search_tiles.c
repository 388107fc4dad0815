/* One grid search on a team of threads, bit for bit the serial search (and,
 * at the end of this file, one road-graph search).
 *
 * The bucket queue of the serial search (bqueue.h) is what makes this
 * possible: with buckets narrower than the cheapest move, every label in
 * the lowest pending bucket is final, and the cells of that bucket can be
 * taken in any order, on any thread, without changing a result. The grid is
 * cut into bands of 2^shift whole rows; band i belongs to thread i mod team,
 * which alone writes the labels of its cells and keeps their queue entries.
 * The search goes in rounds, one per pending bucket b, all threads in step:
 *
 *   A  each thread takes its cells of bucket b and offers their labels:
 *      in place to its own cells, through a mailbox to another thread's;
 *   B  each thread offers the mail addressed to it (which lands in bucket
 *      b + 1 or later, as every move costs at least a bucket) and names its
 *      lowest pending bucket; the next round takes the lowest of all.
 *
 * Every label ends as the least offer in the (time, facility, length)
 * order of rt_search.h, over offers computed by the same arithmetic as the
 * serial search (grid_expand.h): the least element of a set does not
 * depend on the order in which it is met, so the result is the same for any
 * team size and band height. Mailboxes are written in one round and read in
 * the next half-round, alternating between two halves, so two barriers per
 * round suffice and no label is ever touched by two threads. */
#include "core/ctx_internal.h"
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grid_expand.h"

typedef struct tiled {
    const rt_grid_medium *g;
    const stencil *s;
    rt_labels *o;
    double max_t;
    int64_t total; /* pops expected, for the progress fraction */
    int shift;
    rti_tile_worker *w;
    uint64_t *next; /* per thread: its lowest pending bucket, UINT64_MAX if none */
    int *bad;       /* per thread: out of memory */
    int stop;       /* cancelled by the progress callback (thread 0 writes it) */
} tiled;

void rti_tiles_release(rt_search_ws *ws)
{
    for (int i = 0; i < ws->n_workers; i++) {
        rti_tile_worker *w = &ws->workers[i];
        rti_bqueue_release(&w->bq);
        for (int b = 0; b < w->nbox; b++)
            free(w->box[b].a);
        free(w->box);
        rt_ctx_destroy(w->ectx);
    }
    free(ws->workers);
    ws->workers = NULL;
    ws->n_workers = 0;
}

uint64_t rti_tiles_bytes(const rt_search_ws *ws)
{
    uint64_t b = (uint64_t)ws->n_workers * sizeof(rti_tile_worker);
    for (int i = 0; i < ws->n_workers; i++) {
        const rti_tile_worker *w = &ws->workers[i];
        b += rti_bqueue_bytes(&w->bq);
        for (int k = 0; k < w->nbox; k++)
            b += (uint64_t)w->box[k].cap * sizeof(rti_tile_msg);
    }
    return b;
}

/* At least team workers in ws, each with its own error context. */
static int ensure_workers(rt_ctx *ctx, rt_search_ws *ws, int team)
{
    if (ws->n_workers >= team)
        return 1;
    rti_tile_worker *w = rti_realloc_array(ctx, ws->workers, team, sizeof(*w), "search threads");
    if (!w)
        return 0;
    memset(w + ws->n_workers, 0, (size_t)(team - ws->n_workers) * sizeof(*w));
    ws->workers = w;
    for (; ws->n_workers < team; ws->n_workers++)
        if (!(w[ws->n_workers].ectx = rt_ctx_create())) {
            rti_error(ctx, RT_E_NOMEM, "search threads: out of memory");
            return 0;
        }
    return 1;
}

/* Sets up worker w as thread me of a team of the given size: labels o,
 * blocks of 2^shift rows or nodes, a queue with the buckets of `like`
 * (ring of at least R buckets) and empty mailboxes. */
static int worker_init(rt_ctx *ctx, rti_tile_worker *w, int me, int team, int shift, rt_labels *o,
                       const rti_bqueue *like, int64_t R, int sort)
{
    w->me = me;
    w->team = team;
    w->shift = shift;
    w->o = o;
    w->par = 0;
    w->pops = 0;
    w->lo = w->hi = 0;
    rt_ctx_clear_error(w->ectx);
    rti_ctx_inherit(w->ectx, ctx);
    if (!rti_bqueue_init(w->ectx, &w->bq, 1.0 / like->inv_delta, R, sort, like->words == 3))
        return 0;
    w->bq.inv_delta = like->inv_delta; /* the serial search's buckets, to the bit */
    w->q = (queue){&w->bq, NULL};
    if (w->nbox < 2 * team) {
        rti_tile_box *b =
            rti_realloc_array(w->ectx, w->box, 2 * team, sizeof(*b), "search mailbox");
        if (!b)
            return 0;
        memset(b + w->nbox, 0, (size_t)(2 * team - w->nbox) * sizeof(*b));
        w->box = b;
        w->nbox = 2 * team;
    }
    for (int b = 0; b < w->nbox; b++)
        w->box[b].n = 0;
    return 1;
}

/* Sets up worker me of a team of the given size: its queue like the serial
 * one, empty mailboxes, and the sources in its bands offered. */
static int worker_start(rt_ctx *ctx, tiled *T, rti_tile_worker *w, int me, int team,
                        const rti_bqueue *like, const rt_source *src, int64_t n_src,
                        const float *start_m, int second, int with_len)
{
    if (!worker_init(ctx, w, me, team, T->shift, T->o, like, like->R, 1))
        return 0;
    const int64_t nx = T->g->nx;
    for (int64_t i = 0; i < n_src; i++) {
        const int64_t c = src[i].cell;
        if ((int)(((c / nx) >> T->shift) % team) != me || !(src[i].start_s <= T->max_t))
            continue; /* another's, or starting beyond the time limit */
        const float l0 = start_m ? start_m[i] : 0.0f;
        int ok =
            offer_k(w->ectx, &w->q, T->o, c, src[i].start_s, src[i].facility, l0, with_len, second);
        if (!ok)
            return 0;
    }
    return 1;
}

/* The lowest bucket >= b holding an entry of q; every entry of q is in
 * [b, b + R). UINT64_MAX when q is empty. */
static uint64_t next_bucket(rti_bqueue *q, uint64_t b)
{
    if (q->size == 0)
        return UINT64_MAX;
    q->cur = b;
    while (q->ring[q->cur & q->mask].n == 0)
        q->cur++;
    return q->cur;
}

/* Phase A: takes the worker's cells of bucket b. Returns 0 when out of
 * memory. */
static inline __attribute__((always_inline)) int take_bucket(tiled *T, rti_tile_worker *w,
                                                             uint64_t b, const int second,
                                                             const int with_len, const int nbrs)
{
    rti_bqueue *q = &w->bq;
    const rt_grid_medium *g = T->g;
    const float *fr = g->friction_s_per_m;
    const int32_t nx = g->nx, ny = g->ny;
    const int64_t n = (int64_t)nx * ny, band = ((int64_t)1 << T->shift) * nx;
    rt_labels *o = T->o;
    q->cur = b;
    q->sorted = 0;
    if (!rti_bqueue_sort_current(w->ectx, q))
        return 0;
    rti_bbucket *k = &q->ring[b & q->mask];
    while (k->n > 0) {
        prefetch_cell(&w->q, o, fr, n, nx, nbrs == 16 ? 2 : 1);
        rti_hentry e;
        rti_bqueue_take(q, k, &e);
        const int64_t c = e.node;
        if (c < w->lo || c >= w->hi) {
            w->lo = c / band * band;
            w->hi = w->lo + band < n ? w->lo + band : n;
        }
        if (second) {
            double t;
            const int first = entry_slot(o, c, &e, &t);
            if (first < 0)
                continue;
            w->pops++;
            const float l = with_len && first ? o->length_m[c] : NAN;
            if (!expand(w->ectx, &w->q, o, fr, T->s, nx, ny, c, t, e.fac, l, T->max_t, with_len,
                        T->s->n, 1, w))
                return 0;
        } else {
            const double t = o->time_s[c];
            if (!rti_same_time(e.key, t))
                continue;
            w->pops++;
            const float l = with_len ? o->length_m[c] : 0.0f;
            if (!expand(w->ectx, &w->q, o, fr, T->s, nx, ny, c, t, o->facility[c], l, T->max_t,
                        with_len, nbrs, 0, w))
                return 0;
        }
    }
    return 1;
}

static int take(tiled *T, rti_tile_worker *w, uint64_t b, int second, int with_len)
{
    if (second)
        return with_len ? take_bucket(T, w, b, 1, 1, 0) : take_bucket(T, w, b, 1, 0, 0);
    if (T->s->n == 8)
        return with_len ? take_bucket(T, w, b, 0, 1, 8) : take_bucket(T, w, b, 0, 0, 8);
    return with_len ? take_bucket(T, w, b, 0, 1, 16) : take_bucket(T, w, b, 0, 0, 16);
}

/* Phase B: offers the mail of round parity par addressed to worker w (all:
 * the team's workers). */
static int take_mail(rti_tile_worker *all, rt_labels *o, rti_tile_worker *w, int second,
                     int with_len)
{
    for (int from = 0; from < w->team; from++) {
        if (from == w->me)
            continue;
        rti_tile_box *bx = &all[from].box[w->par * w->team + w->me];
        for (int64_t i = 0; i < bx->n; i++) {
            const rti_tile_msg m = bx->a[i];
            w->low = m.t < w->low ? m.t : w->low;
            int ok = offer_k(w->ectx, &w->q, o, m.cell, m.t, m.fac, m.len, with_len, second);
            if (!ok)
                return 0;
        }
        bx->n = 0;
    }
    return 1;
}

/* Thread 0 between the rounds: reports the cells or nodes taken so far
 * (of total) every 65536, and sets *stop when the callback asks to. */
static void team_progress(rt_ctx *ctx, const rti_tile_worker *w, int P, int64_t total,
                          int64_t *reported, int *stop)
{
    int64_t pops = 0;
    for (int i = 0; i < P; i++)
        pops += w[i].pops;
    if ((pops >> 16) == (*reported >> 16))
        return;
    *reported = pops;
    if (!rti_progress(ctx, pops < total ? (double)pops / (double)total : 1.0, "search"))
        *stop = 1;
}

/* The status of a team search after its threads joined: the first
 * thread's out-of-memory message, else cancelled, else RT_OK. */
static rt_status team_status(rt_ctx *ctx, const rt_search_ws *ws, int team, const int *bad,
                             int stop)
{
    for (int i = 0; i < team; i++)
        if (bad[i])
            return rti_error(ctx, RT_E_NOMEM, "%s", rt_ctx_errmsg(ws->workers[i].ectx));
    return stop ? rti_error(ctx, RT_E_CANCELLED, "search cancelled") : RT_OK;
}

int rti_tiles_shift(int32_t ny)
{
    /* bands of 128 rows: thinner ones post more offers between threads
     * (a band boundary every 32 rows sends a fifth of the settled cells'
     * offers as mail), taller ones share a round's work less evenly
     * (bench/README.md: 64-128 rows were best on the 100 m surface, 128 on
     * the 25 m one); at least 16 bands, down to 8 rows, on short grids */
    int shift = 7;
    while (shift > 3 && (ny >> shift) < 16)
        shift--;
    return shift;
}

rt_status rti_tiles_run(rt_ctx *ctx, const rt_grid_medium *g, const stencil *s,
                        const rt_source *src, int64_t n_src, const rt_search_opts *opts,
                        rt_search_ws *ws, const rti_bqueue *like, rt_labels *out, int64_t total,
                        int team, int shift)
{
    if (!ensure_workers(ctx, ws, team))
        return RT_E_NOMEM;
    tiled T = {g, s, out, opts->max_time_s, total, shift, ws->workers, NULL, NULL, 0};
    T.next = rti_malloc_array(ctx, team, sizeof(*T.next), "search threads");
    T.bad = rti_malloc_array(ctx, team, sizeof(*T.bad), "search threads");
    if (!T.next || !T.bad) {
        free(T.next);
        free(T.bad);
        return RT_E_NOMEM;
    }
    for (int i = 0; i < team; i++) { /* OpenMP may give fewer threads */
        T.next[i] = UINT64_MAX;
        T.bad[i] = 0;
    }
    const int second = (opts->flags & RT_SEARCH_SECOND) != 0;
    const int with_len = (opts->flags & RT_SEARCH_LENGTH) != 0;
    /* the lowest start bucket: every entry pending at once lies within the
     * ring's R buckets from it, so bucket numbers compare across threads */
    uint64_t b0 = UINT64_MAX;
    for (int64_t i = 0; i < n_src; i++) {
        uint64_t b = (uint64_t)(src[i].start_s * like->inv_delta);
        b0 = b < b0 ? b : b0;
    }
#pragma omp parallel num_threads(team)
    {
        const int me = omp_get_thread_num(), P = omp_get_num_threads();
        rti_tile_worker *w = &T.w[me];
        int bad =
            !worker_start(ctx, &T, w, me, P, like, src, n_src, opts->start_m, second, with_len);
        T.next[me] = bad ? UINT64_MAX : next_bucket(&w->bq, b0);
        T.bad[me] = bad;
        int64_t reported = 0;
#pragma omp barrier
        for (;;) {
            uint64_t b = UINT64_MAX;
            int any_bad = 0;
            for (int i = 0; i < P; i++) {
                b = T.next[i] < b ? T.next[i] : b;
                any_bad |= T.bad[i];
            }
            if (b == UINT64_MAX || any_bad || T.stop)
                break;
            if (T.next[me] == b && !take(&T, w, b, second, with_len))
                bad = 1;
#pragma omp barrier
            if (!bad && !take_mail(T.w, T.o, w, second, with_len))
                bad = 1;
            if (me == 0)
                team_progress(ctx, T.w, P, total, &reported, &T.stop);
            T.next[me] = bad ? UINT64_MAX : next_bucket(&w->bq, b);
            T.bad[me] = bad;
            w->par ^= 1;
#pragma omp barrier
        }
    }
    rt_status st = team_status(ctx, ws, team, T.bad, T.stop);
    free(T.next);
    free(T.bad);
    return st;
}

/* ---- the road graph in blocks of nodes ----
 *
 * On a road graph the cheapest arc (a few metres) is far cheaper than the
 * usual one, so rounds of one bucket each would be tens of thousands of
 * barriers. The graph search uses the cheapest arc *into each node*
 * instead (Crauser, Mehlhorn, Meyer, Sanders 1998): with m the least time
 * pending anywhere, every later offer to node v comes from a label >= m
 * across an arc of at least w_in(v), so it is >= m + w_in(v), and a pending
 * label of v below that is final. A round takes every such label at once,
 * in any order and on any thread, and offers it on: in place to the
 * thread's own nodes, through a mailbox to another's. No offer of the round
 * can reach a label taken in it, so each node is taken once with its final
 * label, as in the serial search, and every label ends as the least of the
 * same offers, whatever the team size or the block size. Blocks of 2^shift
 * consecutive nodes go to the threads in turn, so every thread has a share
 * of the front in every part of the network. */

typedef struct gteam {
    const rt_graph *g;
    rt_labels *o;
    double max_t;
    int64_t total;
    rti_tile_worker *w;
    int32_t *own; /* per block of 2^shift nodes: its thread */
    double *tmin; /* per thread: its least pending time, INFINITY when none */
    int *bad;
    int stop;
} gteam;

/* The time of the queue entry e (3 words with a facility, else 2) found
 * in bucket b of q in *t, or 0 when it is stale; for k = 2 the slot it
 * belongs to in *slot. The low 32 bits of a time, all an entry keeps, are
 * the same for many times (all zero for whole seconds), so an entry whose
 * label has since improved can still match it: such an entry lies in a
 * later bucket than its label's, where a live entry never does (the team
 * search pushes no time below the least pending one, so no entry wraps
 * round the ring). Taken as live it would report a label that was taken
 * long ago as the least pending time, and the team would repeat the same
 * round for ever. */
static inline int entry_live(const rt_labels *o, const rti_bqueue *q, uint64_t b, const uint32_t *e,
                             const int second, double *t, int *slot)
{
    if (second) {
        const rti_hentry h = {e[1], e[0], (int32_t)e[2]};
        *slot = entry_slot(o, e[0], &h, t);
        if (*slot < 0)
            return 0;
    } else {
        *t = o->time_s[e[0]];
        *slot = 1;
        if (!rti_same_time(e[1], *t))
            return 0;
    }
    return (uint64_t)(*t * q->inv_delta) == b;
}

/* The least live time in w's queue from bucket b on (every entry lies in
 * [b, b + R)); stale entries met on the way are dropped. INFINITY when the
 * queue is empty. */
static double least_time(rti_tile_worker *w, uint64_t b, const int second)
{
    rti_bqueue *q = &w->bq;
    const int W = q->words;
    for (; q->size > 0; b++) {
        rti_bbucket *k = &q->ring[b & q->mask];
        double best = INFINITY;
        int64_t j = 0;
        for (int64_t i = 0; i < k->n; i++) {
            const uint32_t *e = k->a + i * W;
            double t;
            int slot;
            if (!entry_live(w->o, q, b, e, second, &t, &slot)) {
                q->size--;
                continue;
            }
            memmove(k->a + j * W, e, (size_t)W * sizeof(uint32_t));
            j++;
            best = t < best ? t : best;
        }
        k->n = j;
        if (best < INFINITY)
            return best;
    }
    return INFINITY;
}

/* Node c, taken at time t with facility f and route length l, offers to
 * the heads of its arcs as graph_k1 / graph_k2 of search_graph.c do. */
static inline __attribute__((always_inline)) int graph_offer(gteam *T, rti_tile_worker *w,
                                                             int64_t c, double t, int32_t f,
                                                             float l, const int second,
                                                             const int with_len)
{
    const rt_graph *g = T->g;
    rt_labels *o = T->o;
    const uint32_t end = g->first[c + 1];
    for (uint32_t a = g->first[c]; a < end; a++) {
        const int32_t nb = g->head[a];
        const int owner = T->own[nb >> w->shift];
        if (owner == w->me && !second && o->time_s[nb] < t)
            continue; /* cannot improve (arcs cost > 0) */
        const double nt = t + g->time_s[a];
        if (!(nt <= T->max_t))
            continue;
        const float nl = with_len ? l + g->length_m[a] : 0.0f;
        if (owner == w->me && nt < w->low)
            w->low = nt;
        int ok = owner == w->me
                     ? offer_k(w->ectx, &w->q, o, nb, nt, f, nl, with_len, second)
                     : tile_post(w->ectx, &w->box[w->par * w->team + owner], nb, nt, f, nl);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Phase A on the graph: takes every label of the worker's nodes that is
 * final by the rule above (m: the least pending time of the team). Returns
 * 0 when out of memory. */
static inline __attribute__((always_inline)) int take_final(gteam *T, rti_tile_worker *w, double m,
                                                            const int second, const int with_len)
{
    rti_bqueue *q = &w->bq;
    const rt_graph *g = T->g;
    rt_labels *o = T->o;
    const int W = second ? 3 : 2;
    const uint64_t b0 = (uint64_t)(m * q->inv_delta);
    const uint64_t b1 = (uint64_t)((m + g->w_in_max) * q->inv_delta);
    for (uint64_t b = b0; b <= b1 && q->size > 0; b++) {
        rti_bbucket *k = &q->ring[b & q->mask];
        const int64_t n0 = k->n; /* offers of this round land after n0 */
        int64_t j = n0;          /* kept entries gather in [j, n0) */
        for (int64_t i = n0 - 1; i >= 0; i--) {
            uint32_t e[3] = {0, 0, 0};
            memcpy(e, k->a + i * W, (size_t)W * sizeof(uint32_t));
            const uint32_t c = e[0];
            double t;
            int slot;
            if (!entry_live(o, q, b, e, second, &t, &slot)) {
                q->size--;
                continue;
            }
            if (!(t < m + (double)g->w_in[c])) { /* not yet final: kept */
                j--;
                memcpy(k->a + j * W, e, (size_t)W * sizeof(uint32_t));
                w->low = t < w->low ? t : w->low;
                continue;
            }
            q->size--;
            w->pops++;
            float l;
            int32_t f;
            if (second) {
                f = (int32_t)e[2];
                l = with_len && slot ? o->length_m[c] : NAN;
            } else {
                f = o->facility[c];
                l = with_len ? o->length_m[c] : 0.0f;
            }
            if (!graph_offer(T, w, c, t, f, l, second, with_len))
                return 0;
        }
        if (j > 0)
            memmove(k->a, k->a + j * W, (size_t)((k->n - j) * W) * sizeof(uint32_t));
        k->n -= j;
    }
    return 1;
}

static int take_graph(gteam *T, rti_tile_worker *w, double m, int second, int with_len)
{
    if (second)
        return with_len ? take_final(T, w, m, 1, 1) : take_final(T, w, m, 1, 0);
    return with_len ? take_final(T, w, m, 0, 1) : take_final(T, w, m, 0, 0);
}

rt_status rti_graph_team_run(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                             const rt_search_opts *opts, rt_search_ws *ws, const rti_bqueue *like,
                             rt_labels *out, int team, int shift)
{
    if (!ensure_workers(ctx, ws, team))
        return RT_E_NOMEM;
    const int second = (opts->flags & RT_SEARCH_SECOND) != 0;
    const int with_len = (opts->flags & RT_SEARCH_LENGTH) != 0;
    const int64_t n_blocks = ((g->n_nodes - 1) >> shift) + 1;
    gteam T = {
        g,    out, opts->max_time_s, second ? 2 * g->n_nodes : g->n_nodes, ws->workers, NULL, NULL,
        NULL, 0};
    T.own = rti_malloc_array(ctx, n_blocks, sizeof(*T.own), "search threads");
    T.tmin = rti_malloc_array(ctx, team, sizeof(*T.tmin), "search threads");
    T.bad = rti_malloc_array(ctx, team, sizeof(*T.bad), "search threads");
    if (!T.own || !T.tmin || !T.bad) {
        free(T.own);
        free(T.tmin);
        free(T.bad);
        return RT_E_NOMEM;
    }
    for (int i = 0; i < team; i++) { /* OpenMP may give fewer threads */
        T.tmin[i] = INFINITY;
        T.bad[i] = 0;
    }
    /* pending at once: labels from the least m up to what a label taken
     * below m + w_in_max offers across the dearest arc, and the starts */
    double lo = INFINITY, hi = 0.0;
    for (int64_t i = 0; i < n_src; i++) {
        lo = src[i].start_s < lo ? src[i].start_s : lo;
        hi = src[i].start_s > hi ? src[i].start_s : hi;
    }
    const int64_t R =
        (int64_t)ceil((g->w_in_max + g->w_max + (hi - lo)) * like->inv_delta * (1.0 + 1e-6)) + 4;
    const uint64_t b_lo = (uint64_t)(lo * like->inv_delta);
#pragma omp parallel num_threads(team)
    {
        const int me = omp_get_thread_num(), P = omp_get_num_threads();
        rti_tile_worker *w = &T.w[me];
#pragma omp single
        for (int64_t i = 0; i < n_blocks; i++)
            T.own[i] = (int32_t)(i % P);
        int bad = !worker_init(ctx, w, me, P, shift, out, like, R, 0);
        for (int64_t i = 0; i < n_src && !bad; i++) {
            const int64_t c = src[i].cell;
            if (T.own[c >> shift] != me || !(src[i].start_s <= T.max_t))
                continue; /* another's, or starting beyond the time limit */
            const float l0 = opts->start_m ? opts->start_m[i] : 0.0f;
            bad = !offer_k(w->ectx, &w->q, out, c, src[i].start_s, src[i].facility, l0, with_len,
                           second);
        }
        T.tmin[me] = bad ? INFINITY : least_time(w, b_lo, second);
        T.bad[me] = bad;
        int64_t reported = 0;
#pragma omp barrier
        for (;;) {
            double m = INFINITY;
            int any_bad = 0;
            for (int i = 0; i < P; i++) {
                m = T.tmin[i] < m ? T.tmin[i] : m;
                any_bad |= T.bad[i];
            }
            if (m == INFINITY || any_bad || T.stop)
                break;
            /* a thread whose least time is beyond the round's reach only
             * takes its mail */
            const int takes = T.tmin[me] < m + g->w_in_max + 1.0 / like->inv_delta;
            w->low = takes ? INFINITY : T.tmin[me];
            if (takes && !take_graph(&T, w, m, second, with_len))
                bad = 1;
#pragma omp barrier
            if (!bad && !take_mail(T.w, out, w, second, with_len))
                bad = 1;
            if (me == 0)
                team_progress(ctx, T.w, P, T.total, &reported, &T.stop);
            /* w->low is the least time pending in the buckets the round
             * took (a stale offer in it only makes the next round
             * cautious); later buckets can hold a lesser one only when it
             * lies beyond their lower edge */
            const uint64_t b1 = (uint64_t)((m + g->w_in_max) * like->inv_delta);
            if (takes && w->low > (double)(b1 + 1) / like->inv_delta * (1.0 - 1e-9)) {
                const double beyond = least_time(w, b1 + 1, second);
                w->low = beyond < w->low ? beyond : w->low;
            }
            T.tmin[me] = bad ? INFINITY : w->low;
            T.bad[me] = bad;
            w->par ^= 1;
#pragma omp barrier
        }
    }
    rt_status st = team_status(ctx, ws, team, T.bad, T.stop);
    free(T.own);
    free(T.tmin);
    free(T.bad);
    return st;
}
