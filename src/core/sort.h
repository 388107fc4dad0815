#ifndef RT_SORT_H
#define RT_SORT_H
/* Sorting of plain arrays. */
#include <stdint.h>

#include "core/ctx_internal.h"

/* Sorts a[0..n) ascending (LSD radix sort, 16 bits a pass, passes whose
 * digit is the same for every value skipped) and removes repeats; returns
 * the number of distinct values, or -1 when out of memory (message set). */
int64_t rti_sort_unique_i64(rt_ctx *ctx, int64_t *a, int64_t n);

#endif
