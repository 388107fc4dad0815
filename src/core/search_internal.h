#ifndef RT_SEARCH_INTERNAL_H
#define RT_SEARCH_INTERNAL_H
/* What the grid and the graph searches share: the workspace, the queue
 * (bucket queue or radix heap) and the label updates with the tie rule of
 * rt_search.h. The labels do not know which medium produced them. */
#include <math.h>
#include <stdint.h>

#include "core/bqueue.h"
#include "core/ctx_internal.h"
#include "core/rheap.h"
#include "reistijd/rt_graph.h"
#include "reistijd/rt_search.h"

#define RT_PROGRESS_MASK 0xFFFF /* report progress every 65536 pops */

/* The road graph in compressed sparse rows (search_graph.c builds it; the
 * bounded searches of measure/reach.c read it). */
struct rt_graph {
    int64_t n_nodes;
    int64_t n_arcs;
    uint32_t *first; /* n_nodes + 1 offsets */
    int32_t *head;
    double *time_s;
    float *length_m; /* NULL without lengths */
    double w_min, w_max;
    /* per node: the cheapest arc into it as a float rounded down (INFINITY:
     * no arc), which tells the team search when a label is final */
    float *w_in;
    double w_in_max; /* the largest finite w_in, 0 when none */
};

struct rti_tile_worker;

struct rt_search_ws {
    rti_rheap heap;
    rti_bqueue buckets;
    struct rti_tile_worker *workers; /* the threads of a tiled search (search_tiles.c) */
    int n_workers;
};

/* Frees the tiled search's workers of ws; their bytes. */
void rti_tiles_release(rt_search_ws *ws);
uint64_t rti_tiles_bytes(const rt_search_ws *ws);

/* The queue of one search: buckets when the ratio of the largest to the
 * smallest edge cost keeps the ring small (the usual case), else the radix
 * heap. Both give the same result (see bqueue.h). */
typedef struct queue {
    rti_bqueue *bq; /* NULL: use rh */
    rti_rheap *rh;
} queue;

#define RT_MAX_RING 4194304 /* buckets; beyond this the radix heap is used */

static inline int q_push(rt_ctx *ctx, queue *q, double t, uint32_t node, int32_t fac)
{
    return q->bq ? rti_bqueue_push(ctx, q->bq, t, node, fac)
                 : rti_rheap_push(ctx, q->rh, rti_key_of(t), node, fac);
}

static inline int q_pop(rt_ctx *ctx, queue *q, rti_hentry *e)
{
    return q->bq ? rti_bqueue_pop(ctx, q->bq, e) : rti_rheap_pop(ctx, q->rh, e);
}

/* Offers the candidate (t, f, l) to cell nb; pushes it when it is better
 * than what nb holds in the (time, facility, length) order. Returns 0 only
 * when the queue cannot grow. */
static inline __attribute__((always_inline)) int offer1(rt_ctx *ctx, queue *h, rt_labels *o,
                                                        int64_t nb, double t, int32_t f, float l,
                                                        const int with_len)
{
    double tb = o->time_s[nb];
    if (t < tb || (t == tb && (f < o->facility[nb] ||
                               (with_len && f == o->facility[nb] && l < o->length_m[nb])))) {
        o->time_s[nb] = t;
        o->facility[nb] = f;
        if (with_len)
            o->length_m[nb] = l;
        return q_push(ctx, h, t, (uint32_t)nb, f);
    }
    return 1;
}

/* Offers (t, g, l) to the two distinct-facility slots of nb. The length
 * belongs to slot 1 only. Returns 0 only when the queue cannot grow. */
static inline __attribute__((always_inline)) int offer2(rt_ctx *ctx, queue *h, rt_labels *o,
                                                        int64_t nb, double t, int32_t g, float l,
                                                        const int with_len)
{
    double t1 = o->time_s[nb], t2 = o->time2_s[nb];
    int32_t f1 = o->facility[nb], f2 = o->facility2[nb];
    if (g == f1) {
        if (t < t1 || (with_len && t == t1 && l < o->length_m[nb])) {
            o->time_s[nb] = t;
            if (with_len)
                o->length_m[nb] = l;
            return q_push(ctx, h, t, (uint32_t)nb, g);
        }
        return 1;
    }
    if (t < t1 || (t == t1 && g < f1)) { /* new nearest; the old one moves down */
        o->time2_s[nb] = t1;
        o->facility2[nb] = f1;
        o->time_s[nb] = t;
        o->facility[nb] = g;
        if (with_len)
            o->length_m[nb] = l;
        return q_push(ctx, h, t, (uint32_t)nb, g);
    }
    if (t < t2 || (t == t2 && g < f2)) {
        o->time2_s[nb] = t;
        o->facility2[nb] = g;
        return q_push(ctx, h, t, (uint32_t)nb, g);
    }
    return 1;
}

/* 1 when a popped entry is not stale: its key and the time t now in its
 * label agree in the low 32 bits of their bit patterns (all the bucket
 * queue keeps). A stale entry can agree: rarely for times from lengths and
 * speeds, always between whole seconds (their low 32 bits are 0). The
 * serial searches then expand its cell once more with the label it holds,
 * which is final by then (labels only improve, and the better label's
 * entry was taken first) and offers nothing that was not offered: the
 * results never depend on it. The team search on a graph also checks the
 * bucket (entry_live in search_tiles.c). */
static inline int rti_same_time(uint64_t key, double t)
{
    return (uint32_t)key == (uint32_t)rti_key_of(t);
}

/* offer2 for a search with the second label, else offer1. */
static inline __attribute__((always_inline)) int offer_k(rt_ctx *ctx, queue *h, rt_labels *o,
                                                         int64_t nb, double t, int32_t f, float l,
                                                         const int with_len, const int second)
{
    return second ? offer2(ctx, h, o, nb, t, f, l, with_len)
                  : offer1(ctx, h, o, nb, t, f, l, with_len);
}

/* Counts one node taken; every RT_PROGRESS_MASK + 1 of them reports
 * pops / total to the progress callback. Returns 0, with RT_E_CANCELLED
 * set on ctx, when the callback asks to stop. */
static inline int search_tick(rt_ctx *ctx, int64_t *pops, int64_t total)
{
    const int64_t k = ++*pops;
    if ((k & RT_PROGRESS_MASK) != 0 ||
        rti_progress(ctx, k < total ? (double)k / (double)total : 1.0, "search"))
        return 1;
    rti_error(ctx, RT_E_CANCELLED, "search cancelled");
    return 0;
}

/* Sets label i to unreached (time INFINITY, facility -1, length NaN). */
static inline void label_clear(rt_labels *o, int64_t i, unsigned flags)
{
    o->time_s[i] = INFINITY;
    o->facility[i] = -1;
    if (flags & RT_SEARCH_SECOND) {
        o->time2_s[i] = INFINITY;
        o->facility2[i] = -1;
    }
    if (flags & RT_SEARCH_LENGTH)
        o->length_m[i] = NAN;
}

/* For k = 2: which slot of node c the popped entry e belongs to. Returns 1
 * (nearest) or 0 (second) with its time in *t, or -1 for a stale entry
 * (the slot was improved or taken by another facility since the push). */
static inline int entry_slot(const rt_labels *o, int64_t c, const rti_hentry *e, double *t)
{
    if (e->fac == o->facility[c] && rti_same_time(e->key, o->time_s[c])) {
        *t = o->time_s[c];
        return 1;
    }
    if (e->fac == o->facility2[c] && rti_same_time(e->key, o->time2_s[c])) {
        *t = o->time2_s[c];
        return 0;
    }
    return -1;
}

/* Picks the bucket queue for arc costs in [w_min, w_max] and start times
 * spread over span seconds when its ring stays small, else the radix heap
 * (also for w_min = 0). sort: buckets taken in node order (see bqueue.h);
 * with_fac: entries carry their facility (searches with a second label).
 * Returns 0 when out of memory. */
int rti_search_queue(rt_ctx *ctx, rt_search_ws *ws, double w_min, double w_max, double span,
                     int sort, int with_fac, queue *q);

/* Checks the facility index, start time and start length (start_m may be
 * NULL) of every source; *span gets the largest minus the smallest start
 * time. */
rt_status rti_search_check_starts(rt_ctx *ctx, const rt_source *src, int64_t n,
                                  const float *start_m, double *span);

/* Checks the options and that out matches n labels and the flags. */
/* The caller's options (NULL: the defaults) as this library knows them;
 * RT_E_ARG for a struct_size it cannot read. */
rt_status rti_search_opts_in(rt_ctx *ctx, const rt_search_opts *opts, rt_search_opts *out);
rt_status rti_search_check(rt_ctx *ctx, const rt_search_opts *o, const rt_labels *out, int64_t n,
                           const char *what);

/* ---- what the updates of the grid and graph searches share (search.c) ---- */

/* A growable list of cells or nodes. */
typedef struct rti_idx_list {
    uint32_t *a;
    int64_t n, cap;
} rti_idx_list;

/* Appends c to l; 0 when out of memory. */
int rti_list_add(rt_ctx *ctx, rti_idx_list *l, int64_t c);

/* The labels an update clears: a bit per cell or node, the marked ones not
 * yet followed (todo) and all of them (*marked). */
typedef struct rti_marks {
    unsigned char *bit;
    rti_idx_list todo, *marked;
} rti_marks;

/* Marks v once: into todo and *marked. Returns 0 when out of memory. */
int rti_mark(rt_ctx *ctx, rti_marks *m, int64_t v);

/* Renumbers the n labels in o through map (per facility of the earlier
 * search its index now, -1 when it closed) and clears every label that
 * named a closed facility: with k = 2 both slots of such a cell (the second
 * slot keeps no route length, so a second label cannot become the first).
 * The cleared cells go to *cleared. Returns 0 when out of memory. */
int rti_labels_renumber(rt_ctx *ctx, const int32_t *map, int32_t n_map, unsigned flags, int64_t n,
                        rt_labels *o, rti_idx_list *cleared);

/* Queues the labels of the listed cells as they stand (the cleared ones
 * skipped), so that they are taken again and offered to their neighbours.
 * Returns 0 when out of memory. */
int rti_queue_labels(rt_ctx *ctx, queue *h, const rt_labels *o, const rti_idx_list *cells);

/* 1 when a label of v is the offer of a label of u (the same facility)
 * across a move or arc of cost w, as the search computed it. */
int rti_label_tight(const rt_labels *o, int64_t u, int64_t v, double w);

/* The spread of the times an update queues at once: the start times of
 * src and the labels of the queued cells. */
double rti_update_span(const rt_source *src, int64_t n_src, const rt_labels *o,
                       const rti_idx_list *queued);

/* Warm starts: the searches of rt_grid_search / rt_graph_search that keep
 * the labels already in out (which must be those of an earlier search of
 * the same medium and flags, or unreached) and add the sources src: every
 * label becomes the better of the old one and the routes from src, bit
 * for bit what one search from the old and the new sources together gives.
 * Sources that improve nothing cost nothing. */
rt_status rti_grid_search_warm(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                               int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                               rt_labels *out);
rt_status rti_graph_search_warm(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                                const rt_search_opts *opts, rt_search_ws *ws, rt_labels *out);

/* rt_grid_search on exactly `team` threads in bands of 2^shift rows (shift
 * -1: chosen by the grid), whatever the grid's size (team 1: the serial
 * search; the tiled search needs the bucket queue, else it is serial too):
 * for the tests, which compare the two bit for bit. */
rt_status rti_grid_search_tiled(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                                int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                                rt_labels *out, int team, int shift);

/* rt_graph_search on exactly `team` threads in blocks of 2^shift nodes
 * (shift -1: the default), whatever the graph's size (team 1, the radix
 * heap, or arc costs that rounding could swallow: the serial search): for
 * the tests, which compare the two bit for bit. */
rt_status rti_graph_search_team(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                                const rt_search_opts *opts, rt_search_ws *ws, rt_labels *out,
                                int team, int shift);

/* rti_grid_search_update - the labels after closures and openings.
 * out holds the labels of an earlier search of the same grid with the same
 * options; map[f] (f < n_map) is the index of its facility f among the new
 * sources, or -1 when f closed; src are the sources of every open
 * facility, old and new, numbered as the map says (an order that keeps the
 * old facilities' relative order keeps the tie rule). old_fr: the friction
 * of the earlier search when the grid changed since (same size), else NULL:
 * every label that a dearer or blocked move carried, and what was derived
 * from it, is cleared too, and the cells from which a move became cheaper
 * offer again. The labels that
 * named a closed facility are cleared and searched again from their
 * reached neighbours, and the new sources offered: out becomes, bit for
 * bit, what rt_grid_search from src gives, in time that grows with the
 * cells that named a closed facility or that a new one improves, plus one
 * pass over the labels. One thread. */
rt_status rti_grid_search_update(rt_ctx *ctx, const rt_grid_medium *grid, const float *old_fr,
                                 const rt_source *src, int64_t n_src, const int32_t *map,
                                 int32_t n_map, const rt_search_opts *opts, rt_search_ws *ws,
                                 rt_labels *out);

/* rti_graph_search_update - rti_grid_search_update on a road graph. out
 * holds the labels of an earlier search with the same options on old_g
 * (NULL: on g itself) for old_g's nodes; g keeps old_g's nodes in their
 * order and may add more after them (their labels are set here). Every
 * label that an arc carried which g lacks (gone, or dearer), and what was
 * derived from it, is cleared; the nodes with an arc that g adds (or makes
 * cheaper) offer again; the labels that named a closed facility are
 * cleared and searched again from the nodes with an arc into them; the
 * sources src (numbered as map says) are offered. out becomes, bit for
 * bit, what rt_graph_search from src on g gives. One thread. */
rt_status rti_graph_search_update(rt_ctx *ctx, const rt_graph *g, const rt_graph *old_g,
                                  const rt_source *src, int64_t n_src, const int32_t *map,
                                  int32_t n_map, const rt_search_opts *opts, rt_search_ws *ws,
                                  rt_labels *out);

/* Copies the n labels of src into dst (the arrays both have). */
void rti_labels_copy(rt_labels *dst, const rt_labels *src, int64_t n);

/* Sets all n labels to unreached (time INFINITY, facility -1, length NaN),
 * in parallel so that each thread first touches the pages it will read. */
void rti_labels_clear(rt_labels *o, int64_t n, unsigned flags, int threads);

#endif
