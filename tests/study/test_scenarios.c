/* Scenarios of a run (scenarios:) end to end: on a hand-worked row of five
 * cells, the compare table of a closure and of an added facility, the
 * threshold of better and worse off, the delta grid, and the baseline's
 * files unchanged; a scenario that changes nothing gives zero deltas; a
 * closure by ids or by a filter gives the region table of a study whose
 * source leaves the facility out; bad scenarios and a clash of output
 * names are refused before anything is written; allocation failures. */
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

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "row5_fixture.h"   /* after study_fixture.h */
#include "run_alloc_fail.h" /* after study_fixture.h */
#include "test_common.h"

/* A in cell 0, B in cell 4, C far outside the grid (left out). */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"C\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [90000, 90000]}}]}";

/* A new facility N in cell 2, and one with the id of A. */
static const char new_json[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"N\"}, "
                               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [250, 50]}}]}";
static const char dup_json[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
                               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [250, 50]}}]}";

static int setup(void **state)
{
    fixture_mkdir("rt-scenarios");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("new.geojson", new_json);
    write_text("dup.geojson", dup_json);
    write_text("pop.geojson", pop_json);
    *state = rt_ctx_create();
    return 0;
}

static int exists(const char *path_in_dir)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, path_in_dir);
    return stat(path, &st) == 0;
}

/* Times (100 s a step) of the baseline: 0, 100, 200, 100, 0 (A, A, A, B,
 * B). With A closed: 400, 300, 200, 100, 0. Norms 150 s and 300 s.
 * W (cells 0-2; 1, 2, 4 persons): within 150 s before: cells 0, 1; after:
 * none; newly beyond 2.5 min: 1 + 2 = 3. Within 300 s before: all three;
 * after: cells 1 (300: t <= limit is within) and 2; newly beyond 5 min: 1.
 * Worse off by more than 1 min: cells 0 (+400 s) and 1 (+200 s): 3; by
 * more than 3.5 min (210 s): cell 0 only: 1. Beyond 2.5 min: 4 before
 * (cell 2), 7 after. Mean time: 1000/7 s before, 1800/7 s after.
 * E (cells 3-4): nothing changes. */
static void hand_worked_closure(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%sscenarios:\n"
             "  - name: zonder_a\n"
             "    changes: [{facilities: huisarts, close: [A]}]\n"
             "  - name: drempel\n"
             "    compare_threshold_min: 3.5\n"
             "    changes: [{facilities: huisarts, close: [A]}]\n",
             row5_study_head);
    assert_int_equal(run_study(*state, yaml, "out", 0), RT_OK);
    const char *cmp = "scenarios/zonder_a/gemeente_compare.csv";
    assert_true(csv_named("out", cmp, "W", "newly_beyond_2.5min_population") == 3);
    assert_true(csv_named("out", cmp, "W", "newly_beyond_5min_population") == 1);
    assert_true(csv_named("out", cmp, "W", "newly_within_2.5min_population") == 0);
    assert_true(csv_named("out", cmp, "W", "newly_within_5min_population") == 0);
    assert_true(csv_named("out", cmp, "W", "worse_off_population") == 3);
    assert_true(csv_named("out", cmp, "W", "better_off_population") == 0);
    assert_true(csv_named("out", cmp, "W", "beyond_2.5min_population_a") == 4);
    assert_true(csv_named("out", cmp, "W", "beyond_2.5min_population_b") == 7);
    assert_true(csv_named("out", cmp, "W", "beyond_2.5min_population_delta") == 3);
    assert_float_equal(csv_named("out", cmp, "W", "time_mean_min_a"), 1000.0 / 7 / 60, 1e-9);
    assert_float_equal(csv_named("out", cmp, "W", "time_mean_min_b"), 1800.0 / 7 / 60, 1e-9);
    assert_float_equal(csv_named("out", cmp, "W", "time_mean_min_delta"), 800.0 / 7 / 60, 1e-9);
    const char *cols[] = {"newly_beyond_2.5min_population", "newly_beyond_5min_population",
                          "worse_off_population", "better_off_population", "time_mean_min_delta"};
    for (int i = 0; i < 5; i++)
        assert_true(csv_named("out", cmp, "E", cols[i]) == 0);
    assert_true(csv_named("out", "scenarios/drempel/gemeente_compare.csv", "W",
                          "worse_off_population") == 1);
    /* the scenario's own region table, its grids and the delta grid:
     * (400 - 0, 300 - 100, 0, 0, 0) s in minutes */
    assert_true(
        csv_named("out", "scenarios/zonder_a/gemeente.csv", "W", "beyond_2.5min_population") == 7);
    assert_true(exists("out/scenarios/zonder_a/huisarts_time_min.tif"));
    rt_ctx *ctx = *state;
    rti_grid_spec g;
    float *delta = NULL;
    char path[512];
    snprintf(path, sizeof(path), "%s/out/scenarios/zonder_a/huisarts_delta_min.tif", dir);
    assert_int_equal(rti_raster_read_native(ctx, path, 1, &g, NULL, &delta), RT_OK);
    assert_int_equal(g.nx * g.ny, 5);
    const float want[5] = {(float)(400 / 60.0), (float)(200 / 60.0), 0, 0, 0};
    for (int i = 0; i < 5; i++)
        assert_true(delta[i] == want[i]);
    free(delta);
    /* run.json records the changes and lists the files by their path */
    const char *manifest = read_file("out", "run.json");
    assert_non_null(strstr(manifest, "\"scenarios/zonder_a/gemeente_compare.csv\""));
    assert_non_null(strstr(manifest, "\"close\":["));
}

/* The baseline's files are those of the study without scenarios. */
static void baseline_is_unchanged(void **state)
{
    char yaml[4096];
    assert_int_equal(run_study(*state, row5_study_head, "plain", 0), RT_OK);
    snprintf(yaml, sizeof(yaml),
             "%sscenarios: [{name: s, changes: [{facilities: huisarts, "
             "close: [B]}]}]\n",
             row5_study_head);
    assert_int_equal(run_study(*state, yaml, "with", 0), RT_OK);
    const char *files[] = {"gemeente.csv", "gemeente.csvt"};
    for (int i = 0; i < 2; i++) {
        char a[16384];
        snprintf(a, sizeof(a), "%s", read_file("plain", files[i]));
        assert_string_equal(a, read_file("with", files[i]));
    }
}

/* An added facility N in cell 2: times 0, 100, 0, 100, 0. W: cell 2
 * (4 persons) goes from 200 s to 0: better off, and newly within 2.5 min. */
static void hand_worked_addition(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%sscenarios:\n"
             "  - name: nieuw\n"
             "    changes: [{facilities: huisarts, add: {path: new.geojson}}]\n",
             row5_study_head);
    assert_int_equal(run_study(*state, yaml, "add", 0), RT_OK);
    const char *cmp = "scenarios/nieuw/gemeente_compare.csv";
    assert_true(csv_named("add", cmp, "W", "newly_within_2.5min_population") == 4);
    assert_true(csv_named("add", cmp, "W", "newly_beyond_2.5min_population") == 0);
    assert_true(csv_named("add", cmp, "W", "better_off_population") == 4);
    assert_true(csv_named("add", cmp, "W", "worse_off_population") == 0);
    assert_true(csv_named("add", cmp, "W", "beyond_2.5min_population_delta") == -4);
    /* the report's headline names those brought within a norm (none newly
     * within 5 min: 200 s was within it already) */
    char *html = read_out_file("add", "report.html");
    assert_non_null(strstr(html,
                           "<li>huisarts: 0 inhabitants worse off (time more than 1 min "
                           "longer), 4 better off; 0 newly beyond 2.5min, 0 newly beyond 5min; 4 "
                           "newly within 2.5min</li>"));
    free(html);
}

/* Closing C, which lies outside the grid and serves nobody: every delta
 * and every count of the compare table is 0. */
static void no_change_gives_zero_deltas(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%sscenarios: [{name: niets, changes: [{facilities: huisarts, close: [C]}]}]\n",
             row5_study_head);
    assert_int_equal(run_study(*state, yaml, "zero", 0), RT_OK);
    assert_zero_deltas("zero", "scenarios/niets/gemeente_compare.csv", 2 * 10);
}

/* Closing a facility by id or by a filter gives, to the byte, the region
 * table of a study whose source leaves it out with a where. */
static void closure_equals_a_filtered_study(void **state)
{
    char yaml[4096], want[16384];
    const char *filtered = "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                           "medium: {type: speed_model, offroad_kmh: 3.6}\n"
                           "facilities:\n"
                           "  - type: huisarts\n"
                           "    source: {path: facility.geojson, where: \"ref <> 'B'\"}\n"
                           "    id_column: ref\n"
                           "    norms: {minutes: [2.5, 5]}\n"
                           "population: {kind: points, source: pop.geojson, count_column: n}\n"
                           "regions:\n"
                           "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    assert_int_equal(run_study(*state, filtered, "filtered", 0), RT_OK);
    snprintf(want, sizeof(want), "%s", read_file("filtered", "gemeente.csv"));
    snprintf(yaml, sizeof(yaml),
             "%sscenarios:\n"
             "  - {name: ids, changes: [{facilities: huisarts, close: [B]}]}\n"
             "  - {name: filter, changes: [{facilities: huisarts, close_where: \"ref = 'B'\"}]}\n",
             row5_study_head);
    assert_int_equal(run_study(*state, yaml, "scen", 0), RT_OK);
    assert_string_equal(read_file("scen", "scenarios/ids/gemeente.csv"), want);
    assert_string_equal(read_file("scen", "scenarios/filter/gemeente.csv"), want);
}

/* A bad scenario is refused with a message naming it, and nothing is
 * written (the output folder is not made). */
static void refused(rt_ctx *ctx, const char *scenarios, rt_status want, const char *const *parts)
{
    char yaml[4096], out[512];
    snprintf(yaml, sizeof(yaml), "%s%s", row5_study_head, scenarios);
    assert_int_equal(run_study(ctx, yaml, "bad", 0), want);
    for (int i = 0; parts[i]; i++)
        if (!strstr(rt_ctx_errmsg(ctx), parts[i]))
            fail_msg("'%s' not in the message: %s", parts[i], rt_ctx_errmsg(ctx));
    snprintf(out, sizeof(out), "%s/bad", dir);
    struct stat st;
    assert_int_equal(stat(out, &st), -1);
}

static void bad_scenarios_are_refused(void **state)
{
    rt_ctx *ctx = *state;
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisart, close: [A]}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].facilities", "scenario 'x'",
                             "no facility type 'huisart'", "did you mean 'huisarts'", NULL});
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisarts, close: [A, Z]}]}]\n",
            RT_E_DATA,
            (const char *[]){"study.yaml:", "scenarios[0].changes[0].close[1]", "scenario 'x'",
                             "no facility 'Z'", NULL});
    refused(ctx,
            "scenarios:\n  - {name: x, changes: [{facilities: huisarts, close: [A]}]}\n"
            "  - {name: x, changes: [{facilities: huisarts, close: [B]}]}\n",
            RT_E_PARSE, (const char *[]){"scenarios[1].name", "duplicate scenario name 'x'", NULL});
    refused(ctx, "scenarios: [{name: x, chnages: [{facilities: huisarts, close: [A]}]}]\n",
            RT_E_PARSE, (const char *[]){"scenarios[0].chnages", "did you mean 'changes'", NULL});
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisarts, closed: [A]}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].closed", "did you mean 'close'", NULL});
    refused(ctx,
            "scenarios: [{name: x, changes: [{facilities: huisarts, close: [A], "
            "add: new.geojson}]}]\n",
            RT_E_PARSE, (const char *[]){"scenarios[0].changes[0]", "two changes", NULL});
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisarts, close: []}]}]\n",
            RT_E_PARSE, (const char *[]){"scenarios[0].changes[0].close", "at least 1", NULL});
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisarts, capacity: {A: 2}}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].capacity", "has no capacity_column", NULL});
    refused(ctx, "scenarios: [{name: X, changes: [{facilities: huisarts, close: [A]}]}]\n",
            RT_E_PARSE, (const char *[]){"scenarios[0].name", "not a valid name", NULL});
    refused(ctx,
            "scenarios: [{name: x, changes: [{facilities: huisarts, close_where: \"ref = "
            "'Q'\"}]}]\n",
            RT_E_DATA,
            (const char *[]){"scenarios[0].changes[0].close_where", "scenario 'x'", NULL});
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisarts, add: dup.geojson}]}]\n",
            RT_E_DATA,
            (const char *[]){"scenarios[0].changes[0].add", "id 'A' is already a facility", NULL});
    refused(ctx, "scenarios: [{name: x, changes: [{facilities: huisarts, close: [A, B, C]}]}]\n",
            RT_E_DATA, (const char *[]){"scenario 'x' closes every facility", NULL});
}

/* Region layers gemeente and gemeente_compare would both write
 * scenarios/x/gemeente_compare.csv: refused, nothing left behind. */
static void output_name_clash_is_refused(void **state)
{
    refused(*state,
            "  - {name: gemeente_compare, source: region.geojson, id_column: code}\n"
            "scenarios: [{name: x, changes: [{facilities: huisarts, close: [A]}]}]\n",
            RT_E_ARG, (const char *[]){"scenarios/x/gemeente_compare.csv", NULL});
}

/* A second run into the folder of the first (scenarios/ in it) is not
 * refused as a folder of others. */
static void second_run_into_the_same_folder(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%sscenarios: [{name: s, changes: [{facilities: huisarts, close: [A]}]}]\n",
             row5_study_head);
    assert_int_equal(run_study(*state, yaml, "again", 0), RT_OK);
    assert_int_equal(run_study(*state, yaml, "again", 0), RT_OK);
    write_text("again/scenarios/s/notes.txt", "mine\n");
    assert_int_equal(run_study(*state, yaml, "again", 0), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(*state), "notes.txt"));
}

/* Two scenarios closing A: with the threshold of 1 min, and of 3.5 min. */
static const char two_closures[] = "scenarios:\n"
                                   "  - name: zonder_a\n"
                                   "    label: Zonder A\n"
                                   "    changes: [{facilities: huisarts, close: [A]}]\n"
                                   "  - name: drempel\n"
                                   "    compare_threshold_min: 3.5\n"
                                   "    changes: [{facilities: huisarts, close: [A]}]\n";

/* The text summary gives each scenario's headline, summed over the
 * gemeenten W and E of the hand-worked closure (E has no change): 3 worse
 * off, 3 newly beyond 2.5 min and 1 beyond 5 min; with a threshold of 3.5
 * min only 1 worse off. */
static void summary_gives_the_headlines(void **state)
{
    char yaml[4096], path[512], outdir[512];
    snprintf(yaml, sizeof(yaml), "%s%s", row5_study_head, two_closures);
    write_text("study.yaml", yaml);
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    snprintf(outdir, sizeof(outdir), "%s/summary", dir);
    rt_study *s = NULL;
    assert_int_equal(load_and_run(*state, path, outdir, 0, &s), RT_OK);
    const char *text = rt_study_summary(s);
    assert_non_null(strstr(text, "\nscenario zonder_a (Zonder A): outputs in "
                                 "scenarios/zonder_a/; in the gemeente regions:\n"
                                 "  huisarts: 3 worse off, 0 better off; 3 newly beyond 2.5min, "
                                 "1 newly beyond 5min\n"));
    assert_non_null(strstr(text, "\nscenario drempel: outputs in scenarios/drempel/; in the "
                                 "gemeente regions:\n  huisarts: 1 worse off, 0 better off; "));
    rt_study_destroy(s);
}

/* The report's section on the scenarios of the hand-worked closure:
 * the headline (3 worse off, 3 newly beyond 2.5 min, 1 beyond 5 min; with
 * the threshold of 3.5 min 1 worse off) and the row of W: mean 1000 / 7 s
 * = 2.4 min before, 1800 / 7 s = 4.3 min after, +1.9 min; E does not
 * change and is not listed. */
static void report_gives_the_headlines(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), "%s%s", row5_study_head, two_closures);
    assert_int_equal(run_study(*state, yaml, "rep", 0), RT_OK);
    char *html = read_out_file("rep", "report.html");
    char *sec = strstr(html, "<h3>Zonder A</h3>");
    assert_non_null(sec);
    assert_non_null(strstr(sec, "<li>huisarts: 3 inhabitants worse off (time more than 1 min "
                                "longer), 0 better off; 3 newly beyond 2.5min, 1 newly beyond "
                                "5min</li>"));
    assert_non_null(
        strstr(sec, "<li>huisarts: 1 inhabitant worse off (time more than 3.5 min longer)"));
    char *next = strstr(sec, "<h3>drempel</h3>");
    assert_non_null(next);
    *next = '\0'; /* the first scenario's part */
    /* the means sort by the scenario's, 1800 / 7 s = 4.28571 min */
    assert_non_null(strstr(sec, "<td class=\"t\">W</td><td data-v=\"4.28571"));
    assert_non_null(strstr(sec, "\">2.4 &rarr; 4.3</td><td data-v=\"1.90476"));
    assert_null(strstr(sec, "<td class=\"t\">E</td>"));
    /* the files of the map and the table, by name */
    assert_non_null(strstr(sec, "File: <code>scenarios/zonder_a/huisarts_delta_min.tif</code>."));
    assert_non_null(
        strstr(sec, "Every region and statistic: <code>scenarios/zonder_a/gemeente_compare.csv"));
    assert_null(strstr(html, "&lt;type&gt;"));
    free(html);
    /* the delta grid's style: the diverging ramp from blue (-10 min and
     * less) to red (more than 10 min) */
    char *qml = read_out_file("rep", "scenarios/zonder_a/huisarts_delta_min.qml");
    assert_non_null(strstr(qml, "value=\"-10\" color=\"#2166ac\""));
    assert_non_null(strstr(qml, "value=\"inf\" color=\"#b2182b\""));
    /* its labels in the words of the report's legend, not -10–-5 min */
    assert_non_null(strstr(qml, "color=\"#2166ac\" label=\"10 min or more faster\""));
    assert_non_null(strstr(qml, "color=\"#4393c3\" label=\"5\xe2\x80\x93"
                                "10 min faster\""));
    assert_non_null(strstr(qml, "color=\"#f7f7f7\" label=\"no change (within 1 min)\""));
    assert_non_null(strstr(qml, "color=\"#b2182b\" label=\"more than 10 min slower\""));
    assert_non_null(strstr(qml, "<layerTitle>huisarts: change in travel time (min)</layerTitle>"));
    free(qml);
}

/* Two types with other norms closing A: one table per type, each under
 * its own norms. huisarts (2.5 and 5 min): W newly beyond 3 and 1, worse
 * off 3; apotheek (10 min = 600 s: times of at most 400 s stay within):
 * newly beyond 0, worse off 3. Mean times as in report_gives_the_headlines. */
static void report_tables_per_type(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%s"
             "scenarios:\n"
             "  - name: zonder_a\n"
             "    changes: [{facilities: huisarts, close: [A]}, {facilities: apotheek, close: "
             "[A]}]\n",
             row5_study_head);
    /* a second type on the same points, with one norm of 10 min */
    char *at = strstr(yaml, "population:");
    assert_non_null(at);
    char two[4096];
    snprintf(two, sizeof(two),
             "%.*s  - {type: apotheek, source: facility.geojson, id_column: "
             "ref, norms: {minutes: [10]}}\n%s",
             (int)(at - yaml), yaml, at);
    assert_int_equal(run_study(*state, two, "two", 0), RT_OK);
    char *html = read_out_file("two", "report.html");
    char *h = strstr(html, "<h4>huisarts</h4>"), *p = strstr(html, "<h4>apotheek</h4>");
    assert_non_null(h);
    assert_non_null(p);
    assert_true(h < p);
    *p = '\0';
    assert_non_null(strstr(h, "Newly beyond 2.5min</th><th scope=\"col\">Newly beyond 5min</th>"));
    /* each cell with its value for sorting: +1.9 is 800 / 7 s = 1.90476 min */
    assert_non_null(strstr(h, "<td data-v=\"1.90476"));
    assert_non_null(strstr(h, ">+1.9</td><td class=\"beyond\" data-v=\"3\">3</td><td "
                              "class=\"beyond\" data-v=\"1\">1</td><td data-v=\"3\">3</td><td "
                              "data-v=\"0\">0</td></tr>"));
    p += strlen("<h4>apotheek</h4>");
    assert_non_null(strstr(p + 1, "Newly beyond 10min</th><th scope=\"col\">Worse off</th>"));
    assert_non_null(strstr(p + 1, ">+1.9</td><td data-v=\"0\">0</td><td data-v=\"3\">3</td><td "
                                  "data-v=\"0\">0</td></tr>"));
    free(html);
}

static void allocation_failures_are_clean(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%soutputs: {second: false, length: false, report: false, geopackage: false}\n"
             "scenarios: [{name: s, changes: [{facilities: huisarts, close: [A]}, "
             "{facilities: huisarts, add: new.geojson}]}]\n",
             row5_study_head);
    assert_true(run_allocation_failures(*state, yaml) > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_worked_closure),
        cmocka_unit_test(summary_gives_the_headlines),
        cmocka_unit_test(report_gives_the_headlines),
        cmocka_unit_test(report_tables_per_type),
        cmocka_unit_test(baseline_is_unchanged),
        cmocka_unit_test(hand_worked_addition),
        cmocka_unit_test(no_change_gives_zero_deltas),
        cmocka_unit_test(closure_equals_a_filtered_study),
        cmocka_unit_test(bad_scenarios_are_refused),
        cmocka_unit_test(output_name_clash_is_refused),
        cmocka_unit_test(second_run_into_the_same_folder),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
