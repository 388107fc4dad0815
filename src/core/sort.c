/* Radix sort of 64-bit integers. */
#include "core/sort.h"

#include <stdlib.h>
#include <string.h>

int64_t rti_sort_unique_i64(rt_ctx *ctx, int64_t *a, int64_t n)
{
    if (n <= 1)
        return n;
    uint64_t *u = (uint64_t *)a; /* sign bit flipped: unsigned order = signed order */
    uint64_t *tmp = rti_alloc_array_uninit(ctx, n, sizeof(uint64_t), "sorting");
    int64_t *count = rti_malloc_array(ctx, 65536, sizeof(int64_t), "sorting");
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (int64_t i = 0; i < n; i++) {
        u[i] ^= (uint64_t)1 << 63;
        all_or |= u[i];
        all_and &= u[i];
    }
    uint64_t *src = u, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        if ((((all_or ^ all_and) >> shift) & 0xFFFF) == 0)
            continue; /* every value has the same digit here */
        memset(count, 0, 65536 * sizeof(int64_t));
        for (int64_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xFFFF]++;
        int64_t sum = 0;
        for (int d = 0; d < 65536; d++) {
            int64_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != u)
        memcpy(u, src, (size_t)n * sizeof(uint64_t));
    free(tmp);
    free(count);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        if (m == 0 || u[i] != u[m - 1])
            u[m++] = u[i];
    }
    for (int64_t i = 0; i < m; i++)
        u[i] ^= (uint64_t)1 << 63;
    return m;
}
