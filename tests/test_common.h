#ifndef RT_TEST_COMMON_H
#define RT_TEST_COMMON_H
/* Small helpers shared by the test programs. Include after cmocka.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka's filters from the environment: RT_TEST_ONLY runs the tests whose
 * names match its glob pattern, RT_TEST_SKIP leaves them out. A program
 * with allocation-failure tests (named *allocation_failures*) calls this
 * before it runs its group; tests/CMakeLists.txt registers it twice, once
 * without them and once with only them (label alloc, which the Release step
 * of scripts/test.sh leaves to the sanitizer build). */
static inline void rt_test_filters(void)
{
    const char *only = getenv("RT_TEST_ONLY"), *skip = getenv("RT_TEST_SKIP");
    if (only && *only)
        cmocka_set_test_filter(only);
    if (skip && *skip)
        cmocka_set_skip_filter(skip);
}

/* xorshift64*: a seeded generator, so every random test is reproducible. */
typedef struct rt_test_rng {
    uint64_t s;
} rt_test_rng;

static inline uint64_t rt_test_next(rt_test_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ULL;
}

/* uniform in [0, 1) */
static inline double rt_test_unit(rt_test_rng *r)
{
    return (double)(rt_test_next(r) >> 11) * 0x1.0p-53;
}

static inline int rt_test_int(rt_test_rng *r, int lo, int hi) /* lo..hi inclusive */
{
    return lo + (int)(rt_test_next(r) % (uint64_t)(hi - lo + 1));
}

/* exact equality of two doubles, NaN equal to NaN (needs math.h) */
#define assert_same(a, b)                                                                          \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(a_ == b_ || (isnan(a_) && isnan(b_))))                                               \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                    \
    } while (0)

/* The texts of want (NULL-terminated) occur in this order in text. */
static inline void assert_in_order(const char *text, const char *const *want)
{
    const char *p = text;
    for (int k = 0; want[k]; k++) {
        const char *at = strstr(p, want[k]);
        if (!at)
            fail_msg("%s missing or out of order", want[k]);
        p = at + 1;
    }
}

#endif
