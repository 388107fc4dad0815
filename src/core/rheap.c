#include "core/rheap.h"

#include <stdlib.h>

void rti_rheap_reset(rti_rheap *h)
{
    for (int i = 0; i < 65; i++)
        h->b[i].n = 0;
    h->last = 0;
    h->size = 0;
}

void rti_rheap_release(rti_rheap *h)
{
    for (int i = 0; i < 65; i++)
        free(h->b[i].a);
    memset(h, 0, sizeof(*h));
}

uint64_t rti_rheap_bytes(const rti_rheap *h)
{
    uint64_t bytes = 0;
    for (int i = 0; i < 65; i++)
        bytes += (uint64_t)h->b[i].cap * sizeof(rti_hentry);
    return bytes;
}

int rti_rheap_grow(rt_ctx *ctx, rti_hbucket *b)
{
    int64_t cap = b->cap ? b->cap + b->cap / 2 : 1024; /* 1.5x: less slack at scale */
    rti_hentry *a = rti_realloc_array(ctx, b->a, cap, sizeof(*a), "search queue");
    if (!a)
        return 0;
    b->a = a;
    b->cap = cap;
    return 1;
}

int rti_rheap_refill(rt_ctx *ctx, rti_rheap *h)
{
    int i = 1;
    while (i < 65 && h->b[i].n == 0)
        i++;
    if (i == 65)
        return 0;
    rti_hbucket *src = &h->b[i];
    uint64_t min = src->a[0].key;
    for (int64_t j = 1; j < src->n; j++)
        if (src->a[j].key < min)
            min = src->a[j].key;
    h->last = min;
    /* Every entry of bucket i shares its bits above bit i-1 with min, so it
     * moves to a bucket below i. */
    for (int64_t j = 0; j < src->n; j++) {
        rti_hentry e = src->a[j];
        rti_hbucket *dst = &h->b[rti_bucket_of(e.key, min)];
        if (dst->n == dst->cap && !rti_rheap_grow(ctx, dst)) {
            /* keep the not yet moved entries: nothing is lost, the caller
             * stops with RT_E_NOMEM anyway */
            memmove(src->a, src->a + j, (size_t)(src->n - j) * sizeof(*src->a));
            src->n -= j;
            return -1;
        }
        dst->a[dst->n++] = e;
    }
    src->n = 0;
    return 1;
}
