/* A run with measures through the library: every allocation through the
 * run's context failing in turn comes back as RT_E_NOMEM, with nothing
 * written and nothing leaked (run_alloc_fail.h), and a measure that the
 * memory budget cannot hold is refused before anything is written.
 *
 * The study: one region of 4 x 2 cells of 100 m, 36 km/h everywhere, two
 * facilities with a capacity, every kind of measure. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <dirent.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "run_alloc_fail.h" /* after study_fixture.h */
#include "test_common.h"

static const char region_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"code\": \"R1\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[0, 0], [400, 0], [400, 200], [0, 200], [0, 0]]]}}]}";

/* Facilities in the centres of cells (row 0, col 0) and (row 1, col 3). */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F\", \"fte\": 2}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [50, 150]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"G\", \"fte\": 1.5}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [350, 50]}}]}";

/* A study of the two facilities up to its list of measures. */
#define MEASURES_HEAD                                                                              \
    "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"                               \
    "medium: {type: speed_model, offroad_kmh: 36}\n"                                               \
    "facilities:\n"                                                                                \
    "  - type: huisarts\n"                                                                         \
    "    source: facility.geojson\n"                                                               \
    "    id_column: ref\n"                                                                         \
    "    capacity_column: fte\n"                                                                   \
    "    measures:\n"

static const char study_yaml[] =
    MEASURES_HEAD "      - {kind: count, cutoff: 1}\n"
                  "      - {kind: capacity, crowfly_km: 0.2}\n"
                  "      - {kind: gravity, cutoff: 2, decay_function: gaussian, decay_value: 1}\n"
                  "      - {kind: e2sfca}\n"
                  "      - {kind: 3sfca, cutoff: 2}\n"
                  "      - {kind: bfca, cutoff: 2}\n"
                  "      - {kind: spatial_availability, cutoff: 2, decay_function: linear}\n"
                  "      - {kind: kth_nearest, k: 2, cutoff: 2}\n"
                  "      - {kind: balancing_cost, cutoff: 2}\n"
                  "      - {kind: count, route_km: 0.25}\n"
                  "regions:\n"
                  "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static int setup(void **state)
{
    fixture_mkdir("rt-measures-run");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    rt_ctx *ctx = rt_ctx_create();
    assert_non_null(ctx);
    *state = ctx;
    return 0;
}

/* Every allocation of a run with every kind of measure failing in turn
 * (run_alloc_fail.h), without the report: with it, each of the 658
 * failure points ran the whole study again and drew its maps of 800 x 400
 * pixels, one for each of the ten measures among them (more than five
 * minutes under AddressSanitizer). The report's part of the measures is
 * the next test's. */
static void allocation_failures_are_clean(void **state)
{
    char yaml[sizeof(study_yaml) + 64];
    snprintf(yaml, sizeof(yaml), "%soutputs: {report: false}\n", study_yaml);
    assert_true(run_allocation_failures(*state, yaml) > 10);
}

/* The same with the report, for a count (its classes by count), the
 * e2sfca (classes by quantile) and the time to the second nearest (a
 * cost, classes of time): every way the report classes and draws a
 * measure. */
static const char report_yaml[] =
    MEASURES_HEAD "      - {kind: count, cutoff: 1}\n"
                  "      - {kind: e2sfca}\n"
                  "      - {kind: kth_nearest, k: 2, cutoff: 2}\n"
                  "regions:\n"
                  "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static void allocation_failures_in_the_report_are_clean(void **state)
{
    assert_true(run_allocation_failures(*state, report_yaml) > 10);
}

/* The number after "key": in OUT/run.json. */
static double manifest_number(const char *out, const char *key)
{
    char *text = read_file(out, "run.json");
    char pat[128];
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    const char *p = strstr(text, pat);
    assert_non_null(p);
    return strtod(p + strlen(pat), NULL); /* text belongs to read_file */
}

/* The memory estimate counts the measures: the one that holds the most at
 * once is the k-th nearest with k = 2: 8 bytes per cell for its values, 8
 * per thread for the search costs and 2 x 8 for the two nearest, so with 2
 * threads 40 bytes for each of the 8 cells: 320 bytes more than the same
 * study without measures. */
static void estimate_counts_the_measures(void **state)
{
    rt_ctx *ctx = *state;
    rti_ctx_fail_alloc_at(ctx, 0);
    rt_ctx_set_threads(ctx, 2);
    assert_int_equal(run_study(ctx, study_yaml, "with", 0), RT_OK);
    char *plain = strdup(study_yaml);
    strcpy(strstr(plain, "    measures:\n"), strstr(study_yaml, "regions:\n"));
    /* the same study without capacity_column and measures differs only there */
    assert_int_equal(run_study(ctx, plain, "without", 0), RT_OK);
    rt_ctx_set_threads(ctx, 0);
    const double with = manifest_number("with", "memory_estimate_bytes");
    const double without = manifest_number("without", "memory_estimate_bytes");
    assert_true(with - without == 320.0);
    free(plain);
}

/* By route length on the grid (every cell passable, 8 neighbours): from F
 * in cell (0, 0) and G in (1, 3) the octile distances 100 per step along a
 * row or column and 100 sqrt 2 per diagonal step. Row 0: F 0, 100, 200,
 * 300; G 341.4, 241.4, 141.4, 100; row 1: F 100, 141.4, 241.4, 341.4; G
 * 300, 200, 100, 0 (m). Within 0.25 km: 1 2 2 1 / 1 2 2 1. */
static void check_route_counts(rt_ctx *ctx, const char *out)
{
    double v[8];
    read_grid_values(ctx, out, "huisarts_count_route_0_25km.tif", v, 8);
    const double want[8] = {1, 2, 2, 1, 1, 2, 2, 1};
    for (int i = 0; i < 8; i++)
        if (v[i] != want[i])
            fail_msg("cell %d: %g facilities within 0.25 km by route, want %g", i, v[i], want[i]);
}

static void route_counts_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    assert_int_equal(run_study(ctx, study_yaml, "route", 0), RT_OK);
    check_route_counts(ctx, "route");
}

/* A scenario that closes G has its own measures: from F alone, within
 * 0.25 km by route 1 1 1 0 / 1 1 1 0, so over the region's eight cells
 * (one person each without a population) a mean of 6 / 8 against 12 / 8
 * in the baseline, and the compare table says so. */
static void scenario_measures_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%sscenarios: [{name: zonder_g, changes: [{facilities: huisarts, "
             "close: [G]}]}]\n",
             study_yaml);
    assert_int_equal(run_study(ctx, yaml, "scen", 0), RT_OK);
    double v[8];
    read_grid_values(ctx, "scen/scenarios/zonder_g", "huisarts_count_route_0_25km.tif", v, 8);
    const double want[8] = {1, 1, 1, 0, 1, 1, 1, 0};
    for (int i = 0; i < 8; i++)
        if (v[i] != want[i])
            fail_msg("cell %d: %g within 0.25 km by route without G, want %g", i, v[i], want[i]);
    assert_true(csv_named("scen", "gemeente.csv", "R1", "count_route_0_25km_mean") == 12.0 / 8);
    assert_true(csv_named("scen", "scenarios/zonder_g/gemeente.csv", "R1",
                          "count_route_0_25km_mean") == 6.0 / 8);
    /* the compare table: the mean before and after, and two cells (one
     * person each) left with none */
    const char *cmp = "scenarios/zonder_g/gemeente_compare.csv";
    assert_true(csv_named("scen", cmp, "R1", "count_route_0_25km_mean_a") == 12.0 / 8);
    assert_true(csv_named("scen", cmp, "R1", "count_route_0_25km_mean_delta") == -6.0 / 8);
    assert_true(csv_named("scen", cmp, "R1", "count_route_0_25km_population_none_a") == 0);
    assert_true(csv_named("scen", cmp, "R1", "count_route_0_25km_population_none_b") == 2);
}

/* A scenario that gives F a capacity of 4 instead of 2: the capacity
 * within 0.2 km as the crow flies (F reaches cells (0, 0), (0, 1), (0, 2),
 * (1, 0) and (1, 1); G of 1.5 reaches (0, 2), (0, 3), (1, 1), (1, 2) and
 * (1, 3)) sums 17.5 over the eight cells in the baseline and 27.5 in the
 * scenario: means 17.5 / 8 and 27.5 / 8. */
static void capacity_change_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%sscenarios: [{name: meer_f, changes: [{facilities: huisarts, capacity: {F: "
             "4}}]}]\n",
             study_yaml);
    assert_int_equal(run_study(ctx, yaml, "cap", 0), RT_OK);
    const char *cmp = "scenarios/meer_f/gemeente_compare.csv";
    assert_true(csv_named("cap", cmp, "R1", "capacity_crowfly_0_2km_mean_a") == 17.5 / 8);
    assert_true(csv_named("cap", cmp, "R1", "capacity_crowfly_0_2km_mean_b") == 27.5 / 8);
    assert_true(csv_named("cap", cmp, "R1", "capacity_crowfly_0_2km_mean_delta") == 10.0 / 8);
    /* the times do not change */
    assert_true(csv_named("cap", cmp, "R1", "time_mean_min_delta") == 0);
    const char *json = read_file("cap", "run.json");
    const char *cap = strstr(json, "\"capacity\":{");
    assert_non_null(cap);
    assert_true(strtod(strstr(cap, "\"F\":") + 4, NULL) == 4.0);
}

/* A capacity that is empty stops only the measures that read capacities:
 * with G's fte empty, the count within 0.25 km by route runs and gives
 * the counts above. */
static void empty_capacity_unread(void **state)
{
    rt_ctx *ctx = *state;
    write_text("facility_nocap.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F\", \"fte\": 2}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 150]}},"
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"G\", \"fte\": null}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [350, 50]}}]}");
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
             "medium: {type: speed_model, offroad_kmh: 36}\n"
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: facility_nocap.geojson\n"
             "    id_column: ref\n"
             "    capacity_column: fte\n"
             "    measures: [{kind: count, route_km: 0.25}]\n"
             "regions:\n"
             "  - {name: gemeente, source: region.geojson, id_column: code}\n");
    assert_int_equal(run_study(ctx, yaml, "nocap", 0), RT_OK);
    check_route_counts(ctx, "nocap");
}

/* 3SFCA with a decay function of its own takes decay_cutoff from its
 * cutoff. Binary within 2 minutes: every cell (10 s per cell at 36 km/h)
 * reaches F (2) and G (1.5), each cell's one person splits half and half
 * (G = 1/2), so F serves 8 x 1/2 = 4 persons (R = 2 / 4) and G 4 (R = 1.5 /
 * 4), and every cell gets 1/2 x 0.5 + 1/2 x 0.375 = 0.4375 (which adds up
 * to the supply 3.5 over the eight cells). */
static void fca3_binary_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), "%.*s      - {kind: 3sfca, cutoff: 2, decay_function: binary}\n%s",
             (int)(strstr(study_yaml, "      - {kind: count, cutoff: 1}") - study_yaml), study_yaml,
             strstr(study_yaml, "regions:\n"));
    assert_int_equal(run_study(ctx, yaml, "fca3", 0), RT_OK);
    double v[8];
    read_grid_values(ctx, "fca3", "huisarts_3sfca.tif", v, 8);
    for (int i = 0; i < 8; i++)
        if (v[i] != 0.4375)
            fail_msg("cell %d: 3SFCA %.9g, want 0.4375", i, v[i]);
}

/* A facility the run leaves out (here outside the grid, 50 km east)
 * counts as the crow flies, which needs no route (docs/methods.md):
 * within 100 km every cell counts F, G and H, 3; within 40 km only F and
 * G, 2. By time it is not used. */
static void crowfly_counts_what_the_run_left_out(void **state)
{
    rt_ctx *ctx = *state;
    write_text("facility_far.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F\"}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 150]}},"
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"H\"}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50000, 50]}},"
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"G\"}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [350, 50]}}]}");
    const char *yaml = "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                       "medium: {type: speed_model, offroad_kmh: 36}\n"
                       "facilities:\n"
                       "  - type: huisarts\n"
                       "    source: facility_far.geojson\n"
                       "    id_column: ref\n"
                       "    measures: [{kind: count, crowfly_km: 100}, {kind: count, crowfly_km: "
                       "40}]\n"
                       "regions:\n"
                       "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    if (run_study(ctx, yaml, "far", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    double v[8], w[8];
    read_grid_values(ctx, "far", "huisarts_count_crowfly_100km.tif", v, 8);
    read_grid_values(ctx, "far", "huisarts_count_crowfly_40km.tif", w, 8);
    for (int i = 0; i < 8; i++)
        if (v[i] != 3 || w[i] != 2)
            fail_msg("cell %d: %g facilities within 100 km and %g within 40 km as the crow flies, "
                     "want 3 and 2",
                     i, v[i], w[i]);
}

/* E2SFCA with bands of its own and no cutoff searches to the last band,
 * not to the 30 minutes of the default bands. At 0.6 km/h a cell takes 10
 * minutes; bands of 30 and 60 minutes (weights 1 and 0.5): from F in (0,
 * 0) every cell lies within 30 min (row 0: 0, 10, 20, 30; row 1: 10, 14.1,
 * 24.1) but (1, 3) at 34.1, in the second band; from G in (1, 3) likewise
 * all but (0, 0). So F serves 7.5 persons (R = 2 / 7.5), G 7.5 (R = 1.5 /
 * 7.5), (0, 0) gets 2 / 7.5 + 0.5 x 0.2 and (1, 3) 0.5 x 2 / 7.5 + 0.2,
 * and the eight cells add up to the supply, 3.5. Searching to 30 minutes
 * would leave each facility's far corner out. */
static void e2sfca_cutoff_from_bands(void **state)
{
    rt_ctx *ctx = *state;
    const char *yaml = "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                       "medium: {type: speed_model, offroad_kmh: 0.6}\n"
                       "facilities:\n"
                       "  - type: huisarts\n"
                       "    source: facility.geojson\n"
                       "    id_column: ref\n"
                       "    capacity_column: fte\n"
                       "    measures: [{kind: e2sfca, steps: [30, 60], weights: [1, 0.5]}]\n"
                       "regions:\n"
                       "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    assert_int_equal(run_study(ctx, yaml, "e2", 0), RT_OK);
    double v[8], sum = 0;
    read_grid_values(ctx, "e2", "huisarts_e2sfca.tif", v, 8);
    for (int i = 0; i < 8; i++)
        sum += v[i];
    if (fabs(v[0] - (2 / 7.5 + 0.1)) > 1e-6 || fabs(v[7] - (1 / 7.5 + 0.2)) > 1e-6 ||
        fabs(sum - 3.5) > 1e-5)
        fail_msg("E2SFCA: (0, 0) %.9g, (1, 3) %.9g, sum %.9g; want %.9g, %.9g and 3.5", v[0], v[7],
                 sum, 2 / 7.5 + 0.1, 1 / 7.5 + 0.2);
}

/* The classes of a measure's map come from the cells where people live:
 * F and a second facility H in cell (0, 0), G in (1, 3), the only cell
 * with people. Counted within 0.1 min (6 s: a cell's own facilities; a
 * step takes 10 s), (0, 0) holds 2, (1, 3) 1, the others 0. Where people
 * live the largest count is 1, so the classes are 0 and "1 or more"; from
 * every cell they would reach "2 or more". */
static void classes_from_where_people_live(void **state)
{
    write_text("fgh.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F\", \"fte\": 1}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 150]}},"
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"H\", \"fte\": 1}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [60, 140]}},"
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"G\", \"fte\": 1}, "
               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [350, 50]}}]}");
    write_text("people.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"n\": 10}, \"geometry\": "
               "{\"type\": \"Point\", \"coordinates\": [350, 50]}}]}");
    const char yaml[] = "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                        "medium: {type: speed_model, offroad_kmh: 36}\n"
                        "facilities:\n"
                        "  - type: huisarts\n"
                        "    source: fgh.geojson\n"
                        "    id_column: ref\n"
                        "    measures: [{kind: count, cutoff: 0.1}]\n"
                        "population: {kind: points, source: people.geojson, count_column: n}\n"
                        "regions:\n"
                        "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    if (run_study(*state, yaml, "classes", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(*state));
    char *html = read_out_file("classes", "report.html");
    assert_non_null(html);
    const char *sec = strstr(html, "<section id=\"measures-huisarts\"");
    assert_non_null(sec);
    if (!strstr(sec, "</span>1 or more</li>") || strstr(sec, "2 or more"))
        fail_msg("classes not from where people live: %.600s", strstr(sec, "<ul class=\"legend\""));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocation_failures_are_clean),
        cmocka_unit_test(allocation_failures_in_the_report_are_clean),
        cmocka_unit_test(route_counts_by_hand),
        cmocka_unit_test(scenario_measures_by_hand),
        cmocka_unit_test(capacity_change_by_hand),
        cmocka_unit_test(estimate_counts_the_measures),
        cmocka_unit_test(empty_capacity_unread),
        cmocka_unit_test(fca3_binary_by_hand),
        cmocka_unit_test(e2sfca_cutoff_from_bands),
        cmocka_unit_test(crowfly_counts_what_the_run_left_out),
        cmocka_unit_test(classes_from_where_people_live),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
