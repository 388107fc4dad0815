/* Radix sort with repeats removed, against qsort and a scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sort.h"
#include "reistijd/rt_ctx.h"
#include "test_common.h"

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void against_qsort(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {3};
    for (int round = 0; round < 40; round++) {
        int n = rt_test_int(&rng, 0, 5000);
        int64_t *a = malloc((size_t)(n + 1) * sizeof(int64_t));
        int64_t *b = malloc((size_t)(n + 1) * sizeof(int64_t));
        for (int i = 0; i < n; i++) {
            /* small ranges (many repeats), wide ranges, negatives, extremes */
            switch (round % 4) {
            case 0:
                a[i] = rt_test_int(&rng, 0, 50);
                break;
            case 1:
                a[i] = ((int64_t)rt_test_int(&rng, 0, 1 << 30) << 30) - ((int64_t)1 << 58);
                break;
            case 2:
                a[i] = (int64_t)rt_test_int(&rng, -1000, 1000) * 7919;
                break;
            default:
                a[i] = i % 3 == 0 ? INT64_MIN : i % 3 == 1 ? INT64_MAX : rt_test_int(&rng, -5, 5);
            }
        }
        memcpy(b, a, (size_t)n * sizeof(int64_t));
        qsort(b, (size_t)n, sizeof(int64_t), cmp);
        int64_t m = 0;
        for (int i = 0; i < n; i++)
            if (m == 0 || b[i] != b[m - 1])
                b[m++] = b[i];
        assert_int_equal(rti_sort_unique_i64(ctx, a, n), m);
        if (m)
            assert_memory_equal(a, b, (size_t)m * sizeof(int64_t));
        free(a);
        free(b);
    }
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(against_qsort)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
