/* OSM maxspeed values, road class names and connected components. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/roadnet.h"
#include "reistijd/rt_ctx.h"
#include "test_common.h"

typedef struct maxspeed_case {
    const char *text;
    int rc;
    double kmh; /* worked out by hand */
} maxspeed_case;

static void maxspeed_table(void **state)
{
    (void)state;
    const maxspeed_case cases[] = {
        {"50", 1, 50},           {"50.5", 1, 50.5},       {" 80 ", 1, 80},
        {"50 km/h", 1, 50},      {"30 mph", 1, 48.28032}, /* 30 x 1.609344 */
        {"20mph", 1, 32.18688},  {"10 knots", 1, 18.52},  {"NL:urban", 1, 50},
        {"NL:rural", 1, 80},     {"NL:motorway", 1, 130}, {"NL:trunk", 1, 100},
        {"NL:zone30", 1, 30},    {"nl:zone60", 1, 60},    {"NL:living_street", 1, 15},
        {"BE-VLG:rural", 1, 70}, {"BE-WAL:rural", 1, 90}, {"DE:rural", 1, 100},
        {"walk", 1, 15},         {"none", 1, INFINITY},   {"50;30", 1, 30},
        {"30; 50", 1, 30},       {"none;100", 1, 100},    {"", 0, NAN},
        {"  ", 0, NAN},          {NULL, 0, NAN},          {"signals", -1, NAN},
        {"variable", -1, NAN},   {"50 kph", -1, NAN},     {"0", -1, NAN},
        {"-30", -1, NAN},        {"5.0.1", -1, NAN},      {"50;", -1, NAN},
        {"inf", -1, NAN},        {"1e3", -1, NAN},        {"XX:urban", -1, NAN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double kmh = 0;
        int rc = rti_parse_maxspeed(cases[i].text, &kmh);
        if (rc != cases[i].rc ||
            (isnan(cases[i].kmh) ? !isnan(kmh)
                                 : !(fabs(kmh - cases[i].kmh) < 1e-9 || kmh == cases[i].kmh))) {
            print_error("'%s': got %d %g, want %d %g\n", cases[i].text ? cases[i].text : "NULL", rc,
                        kmh, cases[i].rc, cases[i].kmh);
            fail();
        }
    }
}

static void class_names(void **state)
{
    (void)state;
    int n;
    const char *const *names = rti_road_class_names(&n);
    assert_null(names[n]);
    assert_int_equal(rti_road_class_index("motorway"), 0);
    assert_int_equal(rti_road_class_index("nwb:G") >= 0, 1);
    assert_int_equal(rti_road_class_index("line"), n - 1);
    assert_int_equal(rti_road_class_index("busway"), -1);
    assert_int_equal(rti_road_class_index(NULL), -1);
}

/* Components against a breadth-first search on random graphs. */
static void components_match_a_search(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {0x5eed1234ULL};
    for (int round = 0; round < 50; round++) {
        int n = rt_test_int(&rng, 1, 60), m = rt_test_int(&rng, 0, 50);
        int32_t *from = malloc(sizeof(int32_t) * (size_t)(m + 1));
        int32_t *to = malloc(sizeof(int32_t) * (size_t)(m + 1));
        int32_t *comp = malloc(sizeof(int32_t) * (size_t)n);
        int32_t *seen = malloc(sizeof(int32_t) * (size_t)n);
        int32_t *queue = malloc(sizeof(int32_t) * (size_t)n);
        for (int e = 0; e < m; e++) {
            from[e] = rt_test_int(&rng, 0, n - 1);
            to[e] = rt_test_int(&rng, 0, n - 1);
        }
        int64_t *sizes;
        int32_t n_comp;
        assert_int_equal(rti_road_components(ctx, n, m, from, to, comp, &sizes, &n_comp), RT_OK);
        /* every node reaches exactly the nodes of its component */
        int64_t total = 0;
        for (int s = 0; s < n; s++) {
            for (int v = 0; v < n; v++)
                seen[v] = 0;
            int head = 0, tail = 0, count = 0;
            queue[tail++] = s;
            seen[s] = 1;
            while (head < tail) {
                int v = queue[head++];
                count++;
                for (int e = 0; e < m; e++) {
                    int w = from[e] == v ? to[e] : to[e] == v ? from[e] : -1;
                    if (w >= 0 && !seen[w]) {
                        seen[w] = 1;
                        queue[tail++] = w;
                    }
                }
            }
            for (int v = 0; v < n; v++)
                assert_int_equal(seen[v], comp[v] == comp[s]);
            assert_int_equal(sizes[comp[s]], count);
        }
        for (int c = 0; c < n_comp; c++) {
            total += sizes[c];
            if (c > 0)
                assert_true(sizes[c] <= sizes[c - 1]);
        }
        assert_int_equal(total, n);
        free(sizes), free(from), free(to), free(comp), free(seen), free(queue);
    }
    int32_t bad_from = 0, bad_to = 5, comp[2];
    int64_t *sizes;
    int32_t n_comp;
    assert_int_equal(rti_road_components(ctx, 2, 1, &bad_from, &bad_to, comp, &sizes, &n_comp),
                     RT_E_ARG);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maxspeed_table),
        cmocka_unit_test(class_names),
        cmocka_unit_test(components_match_a_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
