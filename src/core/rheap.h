#ifndef RT_RHEAP_H
#define RT_RHEAP_H
/* Radix heap (Ahuja, Mehlhorn, Orlin, Tarjan 1990) on the bit patterns of
 * non-negative doubles, which order like the values. A monotone priority
 * queue: every key pushed must be >= the last key popped, which Dijkstra
 * with non-negative edge costs guarantees. Push is O(1); an entry moves to
 * a lower bucket at most 64 times over its life. Buckets are growable
 * arrays kept between searches, so a reused heap does not allocate. */
#include <stdint.h>
#include <string.h>

#include "core/ctx_internal.h"

typedef struct rti_hentry {
    uint64_t key;  /* bits of a non-negative double */
    uint32_t node; /* cell or node index */
    int32_t fac;   /* facility carried by the entry */
} rti_hentry;

typedef struct rti_hbucket {
    rti_hentry *a;
    int64_t n, cap;
} rti_hbucket;

typedef struct rti_rheap {
    rti_hbucket b[65];
    uint64_t last;
    int64_t size;
} rti_rheap;

static inline uint64_t rti_key_of(double t)
{
    uint64_t k;
    memcpy(&k, &t, sizeof(k));
    return k;
}

static inline double rti_time_of(uint64_t k)
{
    double t;
    memcpy(&t, &k, sizeof(t));
    return t;
}

static inline int rti_bucket_of(uint64_t key, uint64_t last)
{
    uint64_t x = key ^ last;
    return x ? 64 - __builtin_clzll(x) : 0;
}

/* Empties the heap but keeps its memory. */
void rti_rheap_reset(rti_rheap *h);
void rti_rheap_release(rti_rheap *h);
uint64_t rti_rheap_bytes(const rti_rheap *h);
/* Slow path of push: grows bucket i. Returns 0 on out of memory. */
int rti_rheap_grow(rt_ctx *ctx, rti_hbucket *b);
/* Moves the smallest keys into bucket 0. Returns 1, 0 if the heap is
 * empty, -1 when out of memory (message set on ctx). */
int rti_rheap_refill(rt_ctx *ctx, rti_rheap *h);

static inline int rti_rheap_push(rt_ctx *ctx, rti_rheap *h, uint64_t key, uint32_t node,
                                 int32_t fac)
{
    rti_hbucket *b = &h->b[rti_bucket_of(key, h->last)];
    if (b->n == b->cap && !rti_rheap_grow(ctx, b))
        return 0;
    rti_hentry *e = &b->a[b->n++];
    e->key = key;
    e->node = node;
    e->fac = fac;
    h->size++;
    return 1;
}

/* Pops an entry with the smallest key into *out. Returns 1, 0 when the
 * heap is empty, -1 when out of memory. Among equal keys the order is
 * last in, first out, which is deterministic for a given push order. */
static inline int rti_rheap_pop(rt_ctx *ctx, rti_rheap *h, rti_hentry *out)
{
    if (h->b[0].n == 0) {
        int r = rti_rheap_refill(ctx, h);
        if (r <= 0)
            return r;
    }
    *out = h->b[0].a[--h->b[0].n];
    h->size--;
    return 1;
}

#endif
