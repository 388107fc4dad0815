#include "core/bqueue.h"

#include <stdlib.h>
#include <string.h>

int rti_bqueue_init(rt_ctx *ctx, rti_bqueue *q, double delta, int64_t R, int sort)
{
    int64_t pow2 = 1;
    while (pow2 < R)
        pow2 *= 2;
    R = pow2;
    if (R > q->nring) {
        rti_hbucket *r = rti_realloc_array(ctx, q->ring, R, sizeof(*r), "search queue");
        if (!r)
            return 0;
        memset(r + q->nring, 0, (size_t)(R - q->nring) * sizeof(*r));
        q->ring = r;
        q->nring = R;
    }
    for (int64_t i = 0; i < q->nring; i++)
        q->ring[i].n = 0;
    q->R = R;
    q->mask = (uint64_t)R - 1;
    q->inv_delta = 1.0 / delta;
    q->cur = 0;
    q->sorted = 0;
    q->sort = sort;
    q->size = 0;
    return 1;
}

int rti_bqueue_sort_current(rt_ctx *ctx, rti_bqueue *q)
{
    rti_hbucket *k = &q->ring[q->cur & q->mask];
    q->sorted = q->cur + 1;
    int64_t n = k->n;
    if (n < 2)
        return 1;
    if (n < 32) { /* insertion sort, descending by node */
        for (int64_t i = 1; i < n; i++) {
            rti_hentry e = k->a[i];
            int64_t j = i;
            while (j > 0 && k->a[j - 1].node < e.node) {
                k->a[j] = k->a[j - 1];
                j--;
            }
            k->a[j] = e;
        }
        return 1;
    }
    while (q->tmp.cap < n)
        if (!rti_rheap_grow(ctx, &q->tmp))
            return 0;
    uint32_t max = 0;
    for (int64_t i = 0; i < n; i++)
        max = k->a[i].node > max ? k->a[i].node : max;
    /* LSD radix sort on the complemented node (descending), 11 bits a pass */
    rti_hentry *src = k->a, *dst = q->tmp.a;
    for (int shift = 0; shift < 32 && (max >> shift) != 0; shift += 11) {
        int64_t count[2049] = {0};
        for (int64_t i = 0; i < n; i++)
            count[((~src[i].node >> shift) & 2047u) + 1]++;
        for (int d = 0; d < 2048; d++)
            count[d + 1] += count[d];
        for (int64_t i = 0; i < n; i++)
            dst[count[(~src[i].node >> shift) & 2047u]++] = src[i];
        rti_hentry *t = src;
        src = dst;
        dst = t;
    }
    if (src != k->a) { /* odd number of passes: the sorted run is in tmp */
        rti_hentry *a = k->a;
        int64_t cap = k->cap;
        k->a = q->tmp.a;
        k->cap = q->tmp.cap;
        q->tmp.a = a;
        q->tmp.cap = cap;
    }
    return 1;
}

void rti_bqueue_release(rti_bqueue *q)
{
    for (int64_t i = 0; i < q->nring; i++)
        free(q->ring[i].a);
    free(q->ring);
    free(q->tmp.a);
    memset(q, 0, sizeof(*q));
}

uint64_t rti_bqueue_bytes(const rti_bqueue *q)
{
    uint64_t b = (uint64_t)q->nring * sizeof(rti_hbucket);
    for (int64_t i = 0; i < q->nring; i++)
        b += (uint64_t)q->ring[i].cap * sizeof(rti_hentry);
    return b + (uint64_t)q->tmp.cap * sizeof(rti_hentry);
}
