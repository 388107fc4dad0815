#ifndef RT_BQUEUE_H
#define RT_BQUEUE_H
/* Bucket queue for Dijkstra with a known minimum edge cost (Dial 1969):
 * bucket b holds the entries with time in [b*delta, (b+1)*delta). With delta
 * no larger than the cheapest edge, an entry taken from bucket b can only
 * offer times to later buckets, so every entry in the current bucket is
 * already final and the order inside a bucket does not matter. A ring of
 * ceil(w_max / delta) + 3 buckets covers every time that can be pending at
 * once (rounded up to a power of two). Push and pop are O(1) and no entry
 * ever moves. Buckets are growable
 * arrays kept between searches.
 *
 * Should rounding ever put an offer into the current bucket after its cell
 * was taken, the cell is simply taken again with the better label (the
 * search is label-correcting), so results never depend on it. */
#include <stdint.h>

#include "core/rheap.h"

/* The entries of a bucket as 32-bit words, `words` per entry: the cell or
 * node, the low 32 bits of its time's bit pattern (the staleness tag, see
 * rti_same_time), and for searches with a second label the facility. 8 or
 * 12 bytes an entry instead of the radix heap's 16: the queue is the
 * largest allocation after the labels. */
typedef struct rti_bbucket {
    uint32_t *a;
    int64_t n, cap; /* entries */
} rti_bbucket;

typedef struct rti_bqueue {
    rti_bbucket *ring; /* nring buckets allocated, R in use */
    int64_t nring;
    int64_t R;     /* a power of two */
    uint64_t mask; /* R - 1 */
    double inv_delta;
    uint64_t cur;    /* current bucket number */
    uint64_t sorted; /* cur + 1 once the current bucket is sorted */
    int sort;        /* take the entries of a bucket in cell order (grids) */
    int words;       /* per entry: 2, or 3 with the facility */
    int64_t size;
    rti_bbucket tmp; /* scratch for sorting */
} rti_bqueue;

/* Sorts the entries of the current bucket by descending cell index, so
 * that they are taken in ascending cell order: the search then walks the
 * grid in memory order inside a bucket instead of jumping between the
 * fronts of all facilities. Returns 0 when out of memory. */
int rti_bqueue_sort_current(rt_ctx *ctx, rti_bqueue *q);

/* Prepares the ring for bucket width delta and at least R buckets pending;
 * sort: take the entries of each bucket in ascending node order (worth it
 * on grids, where that is memory order; on road graphs the sorting costs
 * more than it saves); with_fac: the entries carry their facility (k = 2).
 * Returns 0 when out of memory. */
int rti_bqueue_init(rt_ctx *ctx, rti_bqueue *q, double delta, int64_t R, int sort, int with_fac);
void rti_bqueue_release(rti_bqueue *q);
uint64_t rti_bqueue_bytes(const rti_bqueue *q);
/* Slow path of push: grows bucket k. Returns 0 on out of memory. */
int rti_bqueue_grow(rt_ctx *ctx, rti_bbucket *k, int words);

static inline int rti_bqueue_push(rt_ctx *ctx, rti_bqueue *q, double t, uint32_t node, int32_t fac)
{
    uint64_t b = (uint64_t)(t * q->inv_delta);
    rti_bbucket *k = &q->ring[b & q->mask];
    if (k->n == k->cap && !rti_bqueue_grow(ctx, k, q->words))
        return 0;
    uint32_t *e = k->a + k->n++ * q->words;
    e[0] = node;
    e[1] = (uint32_t)rti_key_of(t);
    if (q->words == 3)
        e[2] = (uint32_t)fac;
    q->size++;
    return 1;
}

/* Takes the last entry of bucket k into *out (key: the staleness tag;
 * fac: -1 for entries without a facility). */
static inline void rti_bqueue_take(rti_bqueue *q, rti_bbucket *k, rti_hentry *out)
{
    const uint32_t *e = k->a + --k->n * q->words;
    out->node = e[0];
    out->key = e[1];
    out->fac = q->words == 3 ? (int32_t)e[2] : -1;
    q->size--;
}

/* Returns 1, 0 when empty, -1 when out of memory. */
static inline int rti_bqueue_pop(rt_ctx *ctx, rti_bqueue *q, rti_hentry *out)
{
    if (q->size == 0)
        return 0;
    rti_bbucket *k = &q->ring[q->cur & q->mask];
    while (k->n == 0) {
        q->cur++;
        k = &q->ring[q->cur & q->mask];
    }
    if (q->sort && q->sorted != q->cur + 1 && !rti_bqueue_sort_current(ctx, q))
        return -1;
    rti_bqueue_take(q, k, out);
    return 1;
}

/* The cell `ahead` entries after the next one to be popped from the
 * current bucket, or UINT32_MAX when there is none (for prefetching). */
static inline uint32_t rti_bqueue_peek(const rti_bqueue *q, int64_t ahead)
{
    const rti_bbucket *k = &q->ring[q->cur & q->mask];
    return k->n > ahead ? k->a[(k->n - 1 - ahead) * q->words] : UINT32_MAX;
}

#endif
