#include "core/bqueue.h"

#include <stdlib.h>
#include <string.h>

int rti_bqueue_init(rt_ctx *ctx, rti_bqueue *q, double delta, int64_t R, int sort, int with_fac)
{
    int64_t pow2 = 1;
    while (pow2 < R)
        pow2 *= 2;
    R = pow2;
    const int words = with_fac ? 3 : 2;
    if (words != q->words) { /* entries of another size: start afresh */
        for (int64_t i = 0; i < q->nring; i++) {
            free(q->ring[i].a);
            q->ring[i] = (rti_bbucket){NULL, 0, 0};
        }
        free(q->tmp.a);
        q->tmp = (rti_bbucket){NULL, 0, 0};
        q->words = words;
    }
    if (R > q->nring) {
        rti_bbucket *r = rti_realloc_array(ctx, q->ring, R, sizeof(*r), "search queue");
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

int rti_bqueue_grow(rt_ctx *ctx, rti_bbucket *k, int words)
{
    int64_t cap = k->cap ? k->cap + k->cap / 2 : 1024; /* 1.5x: less slack at scale */
    uint32_t *a = rti_realloc_array(ctx, k->a, cap * words, sizeof(*a), "search queue");
    if (!a)
        return 0;
    k->a = a;
    k->cap = cap;
    return 1;
}

/* One entry of W words, moved as a whole. */
#define RT_ENTRY_TYPE(W)                                                                           \
    typedef struct {                                                                               \
        uint32_t w[W];                                                                             \
    } entry##W

RT_ENTRY_TYPE(2);
RT_ENTRY_TYPE(3);

/* Insertion sort (short buckets) and LSD radix sort on the complemented
 * node, 11 bits a pass, both descending by node; the sorted run ends in
 * k->a (tmp and k swap arrays after an odd number of passes). */
#define RT_SORT_FN(W)                                                                              \
    static void sort_##W(rti_bbucket *k, rti_bbucket *tmp)                                         \
    {                                                                                              \
        entry##W *a = (entry##W *)k->a;                                                            \
        const int64_t n = k->n;                                                                    \
        if (n < 32) {                                                                              \
            for (int64_t i = 1; i < n; i++) {                                                      \
                entry##W e = a[i];                                                                 \
                int64_t j = i;                                                                     \
                while (j > 0 && a[j - 1].w[0] < e.w[0]) {                                          \
                    a[j] = a[j - 1];                                                               \
                    j--;                                                                           \
                }                                                                                  \
                a[j] = e;                                                                          \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        uint32_t max = 0;                                                                          \
        for (int64_t i = 0; i < n; i++)                                                            \
            max = a[i].w[0] > max ? a[i].w[0] : max;                                               \
        entry##W *src = a, *dst = (entry##W *)tmp->a;                                              \
        for (int shift = 0; shift < 32 && (max >> shift) != 0; shift += 11) {                      \
            int64_t count[2049] = {0};                                                             \
            for (int64_t i = 0; i < n; i++)                                                        \
                count[((~src[i].w[0] >> shift) & 2047u) + 1]++;                                    \
            for (int d = 0; d < 2048; d++)                                                         \
                count[d + 1] += count[d];                                                          \
            for (int64_t i = 0; i < n; i++)                                                        \
                dst[count[(~src[i].w[0] >> shift) & 2047u]++] = src[i];                            \
            entry##W *t = src;                                                                     \
            src = dst;                                                                             \
            dst = t;                                                                               \
        }                                                                                          \
        if (src != a) {                                                                            \
            uint32_t *x = k->a;                                                                    \
            int64_t cap = k->cap;                                                                  \
            k->a = tmp->a;                                                                         \
            k->cap = tmp->cap;                                                                     \
            tmp->a = x;                                                                            \
            tmp->cap = cap;                                                                        \
        }                                                                                          \
    }

RT_SORT_FN(2)
RT_SORT_FN(3)

int rti_bqueue_sort_current(rt_ctx *ctx, rti_bqueue *q)
{
    rti_bbucket *k = &q->ring[q->cur & q->mask];
    q->sorted = q->cur + 1;
    if (k->n < 2)
        return 1;
    if (k->n >= 32)
        while (q->tmp.cap < k->n)
            if (!rti_bqueue_grow(ctx, &q->tmp, q->words))
                return 0;
    if (q->words == 3)
        sort_3(k, &q->tmp);
    else
        sort_2(k, &q->tmp);
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
    uint64_t b = (uint64_t)q->nring * sizeof(rti_bbucket);
    for (int64_t i = 0; i < q->nring; i++)
        b += (uint64_t)q->ring[i].cap * (uint64_t)q->words * sizeof(uint32_t);
    return b + (uint64_t)q->tmp.cap * (uint64_t)q->words * sizeof(uint32_t);
}
