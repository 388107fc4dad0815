/* Scenario changes for every facility type, end to end on the
 * hand-worked row of five cells: patches of the grid over land (a cell
 * made impassable, two cells at a new speed, the order of patches, the
 * patch file as an input of run.json and so never an output) and changes
 * of the population (points added and removed, polygons spread over their
 * cells, a removal of more people than a cell holds); bad changes are
 * refused before anything is written. */
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

#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "row5_fixture.h" /* after study_fixture.h */

/* A in cell 0, B in cell 4. */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}}]}";

/* 10 persons more in cell 2, 2 fewer in cell 1, and 5 outside the grid. */
static const char people_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"d\": 10}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [250, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"d\": -2}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [150, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"d\": 5}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [90000, 50]}}]}";

/* 20 persons over cells 3 and 4 (x 300 to 500): 10 each. */
static const char block_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"d\": 20}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[300, 0], [500, 0], [500, 100], [300, 100], [300, 0]]]}}]}";

/* 100 persons removed from cell 4, which holds 16. */
static const char gone_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"d\": -100}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}}]}";

/* A polygon over x from X0 to X1 across the row. */
#define BOX(x0, x1)                                                                                \
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "     \
    "\"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[" #x0           \
    ", -10], [" #x1 ", -10], [" #x1 ", 110], [" #x0 ", 110], [" #x0 ", -10]]]}}]}"

static int setup(void **state)
{
    fixture_mkdir("rt-scenario-grid");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("pop.geojson", pop_json);
    write_text("cell3.geojson", BOX(300, 400));
    write_text("cells12.geojson", BOX(100, 300));
    write_text("far.geojson", BOX(90000, 90100));
    write_text("people.geojson", people_json);
    write_text("block.geojson", block_json);
    write_text("road.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
               "\"Feature\", \"properties\": {\"v\": 7.2}, \"geometry\": {\"type\": "
               "\"LineString\", \"coordinates\": [[150, 50], [250, 50]]}}]}");
    write_text("farpeople.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
               "\"Feature\", \"properties\": {\"d\": 10}, \"geometry\": {\"type\": "
               "\"Polygon\", \"coordinates\": [[[90000, 0], [90100, 0], [90100, 100], [90000, "
               "100], [90000, 0]]]}}]}");
    write_text("gone.geojson", gone_json);
    write_text("farpair.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"d\": 20}, \"geometry\": "
               "{\"type\": \"Polygon\", \"coordinates\": [[[300, 0], [500, 0], [500, 100], "
               "[300, 100], [300, 0]]]}},"
               "{\"type\": \"Feature\", \"properties\": {\"d\": 10}, \"geometry\": "
               "{\"type\": \"Polygon\", \"coordinates\": [[[90000, 0], [90100, 0], [90100, "
               "100], [90000, 100], [90000, 0]]]}},"
               "{\"type\": \"Feature\", \"properties\": {\"d\": -10}, \"geometry\": "
               "{\"type\": \"Polygon\", \"coordinates\": [[[95000, 0], [95100, 0], [95100, "
               "100], [95000, 100], [95000, 0]]]}}]}");
    *state = rt_ctx_create();
    return 0;
}

static rt_status run_with(rt_ctx *ctx, const char *head, const char *scenarios, const char *out)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), "%s%s", head, scenarios);
    return run_study(ctx, yaml, out, 0);
}

/* Baseline times 0, 100, 200, 100, 0 s (A, A, A, B, B). Cell 3 (8
 * persons, gemeente E) made impassable: no route reaches it on a row one
 * cell high, and B still serves cell 4; W keeps A's times. E: newly
 * beyond both norms 8, and 8 beyond 2.5 min after against 0 before; W
 * unchanged. */
static void impassable_cell(void **state)
{
    assert_int_equal(run_with(*state, row5_study_head,
                              "scenarios: [{name: dicht, changes: [{patch: cell3.geojson, "
                              "impassable: true}]}]\n",
                              "out"),
                     RT_OK);
    const char *cmp = "scenarios/dicht/gemeente_compare.csv";
    assert_true(csv_named("out", cmp, "E", "newly_beyond_2.5min_population") == 8);
    assert_true(csv_named("out", cmp, "E", "newly_beyond_5min_population") == 8);
    assert_true(csv_named("out", cmp, "E", "beyond_2.5min_population_a") == 0);
    assert_true(csv_named("out", cmp, "E", "beyond_2.5min_population_b") == 8);
    assert_true(csv_named("out", cmp, "W", "newly_beyond_2.5min_population") == 0);
    assert_true(csv_named("out", cmp, "W", "worse_off_population") == 0);
    assert_true(csv_named("out", cmp, "W", "better_off_population") == 0);
    /* the maps show the baseline: the patch file is not among their sources
     * (the caption under a map), though it is an input of the run */
    char *html = read_out_file("out", "report.html");
    char *attr = strstr(html, "<p class=\"attr\">");
    assert_non_null(attr);
    *strstr(attr, "</p>") = '\0';
    assert_non_null(strstr(attr, "pop.geojson"));
    assert_null(strstr(attr, "cell3.geojson"));
    free(html);
    /* the baseline's table is not touched by the scenario */
    assert_true(csv_named("out", "gemeente.csv", "E", "beyond_2.5min_population") == 0);
}

/* Cells 1 and 2 at 7.2 km/h (0.5 s/m). A step costs the mean friction of
 * its two cells x 100 m: from A, cell 1 at (1 + 0.5) / 2 x 100 = 75 s,
 * cell 2 at 75 + 50 = 125 s; from B, cell 2 at 100 + 75 = 175 s. So
 * cell 2 (4 persons) goes from 200 s to 125 s: newly within 2.5 min (150
 * s) and better off by more than 1 min; cell 1 gains 25 s, less than the
 * threshold. Mean time in W: (0 + 2 x 75 + 4 x 125) / 7 s. */
static void faster_cells(void **state)
{
    assert_int_equal(run_with(*state, row5_study_head,
                              "scenarios: [{name: sneller, changes: [{patch: cells12.geojson, "
                              "speed_kmh: 7.2}]}]\n",
                              "fast"),
                     RT_OK);
    const char *cmp = "scenarios/sneller/gemeente_compare.csv";
    assert_true(csv_named("fast", cmp, "W", "newly_within_2.5min_population") == 4);
    assert_true(csv_named("fast", cmp, "W", "better_off_population") == 4);
    assert_true(csv_named("fast", cmp, "W", "worse_off_population") == 0);
    assert_float_equal(csv_named("fast", cmp, "W", "time_mean_min_b"), 650.0 / 7 / 60, 1e-9);
    assert_true(csv_named("fast", cmp, "E", "better_off_population") == 0);
}

/* Patches apply in the order written: cells 1-2 fast, then cell 2 again
 * at 3.6 km/h, is the same as only cell 1 fast: from A cell 1 at 75 s,
 * cell 2 at 75 + 75 = 150 s (within 2.5 min: t <= limit), cell 2 by B at
 * 200 s. Cell 2 gains 50 s: not better off by more than 1 min, but
 * newly within 2.5 min. */
static void patches_apply_in_order(void **state)
{
    write_text("cell2.geojson", BOX(200, 300));
    assert_int_equal(run_with(*state, row5_study_head,
                              "scenarios: [{name: volgorde, changes: [{patch: cells12.geojson, "
                              "speed_kmh: 7.2}, {patch: cell2.geojson, speed_kmh: 3.6}]}]\n",
                              "order"),
                     RT_OK);
    const char *cmp = "scenarios/volgorde/gemeente_compare.csv";
    assert_true(csv_named("order", cmp, "W", "newly_within_2.5min_population") == 4);
    assert_true(csv_named("order", cmp, "W", "better_off_population") == 0);
    assert_float_equal(csv_named("order", cmp, "W", "time_mean_min_b"), 750.0 / 7 / 60, 1e-9);
}

/* run.json lists the patch file among the inputs (with its checksum) and
 * the change itself. */
static void run_json_records_the_patch(void **state)
{
    assert_int_equal(run_with(*state, row5_study_head,
                              "scenarios: [{name: dicht, changes: [{patch: cell3.geojson, "
                              "impassable: true}]}]\n",
                              "json"),
                     RT_OK);
    char *text = read_file("json", "run.json");
    assert_non_null(text);
    assert_non_null(strstr(text, "scenarios.dicht.changes[0].patch"));
    assert_non_null(strstr(text, "cell3.geojson"));
    char *imp = strstr(text, "\"impassable\":");
    assert_non_null(imp);
    imp += strlen("\"impassable\":");
    imp += strspn(imp, " ");
    assert_memory_equal(imp, "true", 4);
}

/* The patch file is an input: a run whose output would replace it is
 * refused, and the file is kept. */
static void patch_file_is_never_an_output(void **state)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/guard", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    write_text("guard/run.json", BOX(300, 400));
    assert_int_not_equal(run_with(*state, row5_study_head,
                                  "scenarios: [{name: dicht, changes: [{patch: guard/run.json, "
                                  "impassable: true}]}]\n",
                                  "guard"),
                         RT_OK);
    assert_non_null(strstr(rt_ctx_errmsg(*state), "run.json"));
    char *text = read_file("guard", "run.json");
    assert_non_null(text);
    assert_string_equal(text, BOX(300, 400));
}

/* Population 1, 2, 4, 8, 16; times 0, 100, 200, 100, 0 s, unchanged by a
 * population change. Points: cell 2 gets 10 more (14), cell 1 2 fewer
 * (0), the point outside the grid changes nothing. W: beyond 2.5 min
 * (cell 2) 4 before, 14 after; mean time (1 x 0 + 14 x 200) / 15 s after;
 * nobody changes time, so no one is newly beyond or worse off. Polygon:
 * 20 persons over cells 3 and 4, 10 each: E holds 18 at 100 s and 26 at
 * 0 s, mean 1800 / 44 s. run.json: 30 added, 2 removed. */
static void population_changes(void **state)
{
    assert_int_equal(run_with(*state, row5_study_head,
                              "scenarios: [{name: wonen, changes: [\n"
                              "  {population: people.geojson, count_column: d},\n"
                              "  {population: block.geojson, kind: polygons, count_column: d}]}]\n",
                              "people"),
                     RT_OK);
    const char *cmp = "scenarios/wonen/gemeente_compare.csv";
    assert_true(csv_named("people", cmp, "W", "beyond_2.5min_population_a") == 4);
    assert_true(csv_named("people", cmp, "W", "beyond_2.5min_population_b") == 14);
    assert_true(csv_named("people", cmp, "W", "beyond_2.5min_population_delta") == 10);
    assert_float_equal(csv_named("people", cmp, "W", "time_mean_min_b"), 2800.0 / 15 / 60, 1e-9);
    assert_true(csv_named("people", cmp, "W", "newly_beyond_2.5min_population") == 0);
    assert_true(csv_named("people", cmp, "W", "worse_off_population") == 0);
    assert_float_equal(csv_named("people", cmp, "E", "time_mean_min_b"), 1800.0 / 44 / 60, 1e-9);
    assert_float_equal(csv_named("people", cmp, "E", "time_mean_min_a"), 800.0 / 24 / 60, 1e-9);
    /* the report's headline counts the people beyond each norm too: +10
     * beyond 2.5 min (all in W), +0 beyond 5 min */
    char *html = read_out_file("people", "report.html");
    assert_non_null(strstr(html, "; change of the people beyond each norm, those added and removed "
                                 "included: 2.5min +10, 5min +0</li>"));
    free(html);
    char *text = read_file("people", "run.json");
    assert_non_null(text);
    assert_non_null(strstr(text, "scenarios.wonen.changes[1].population"));
    char *added = strstr(text, "\"population_added\":");
    assert_non_null(added);
    assert_true(strtod(added + strlen("\"population_added\":"), NULL) == 30);
    char *removed = strstr(text, "\"population_removed\":");
    assert_non_null(removed);
    assert_true(strtod(removed + strlen("\"population_removed\":"), NULL) == 2);
}

/* Population polygons of +10 and -10 persons beyond the grid, in a file
 * with 20 persons over cells 3 and 4, change nothing, and the warning
 * counts both: 20 persons, not their sum of 0. */
static void off_grid_changes_warned(void **state)
{
    rt_ctx *ctx = *state;
    logbuf log = {""};
    rt_ctx_set_log(ctx, keep_log, &log);
    rt_status st = run_with(ctx, row5_study_head,
                            "scenarios: [{name: ver, changes: [\n"
                            "  {population: farpair.geojson, kind: polygons, count_column: d}]}]\n",
                            "farpair");
    rt_ctx_set_log(ctx, NULL, NULL);
    if (st != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    if (!strstr(log.text, "scenario 'ver': 20 persons of the population change") ||
        !strstr(log.text, "lie outside the study extent and change nothing"))
        fail_msg("no warning of 20 persons outside the extent in:\n%s", log.text);
    assert_true(
        csv_named("farpair", "scenarios/ver/gemeente_compare.csv", "E", "population_delta") == 20);
}

/* A new road from the centre of cell 1 to that of cell 2 touches those two
 * cells: at 7.2 km/h (from speed_kmh or from its column) they are faster
 * exactly as under the patch of faster_cells (cell 2 from 200 s to 125 s,
 * 4 persons newly within 2.5 min); a road at 1 km/h is slower than the
 * cells it crosses and changes nothing. */
static void new_roads(void **state)
{
    assert_int_equal(
        run_with(*state, row5_study_head,
                 "scenarios:\n"
                 "  - {name: weg, changes: [{roads: road.geojson, speed_kmh: 7.2}]}\n"
                 "  - {name: kolom, changes: [{roads: road.geojson, speed_column: v}]}\n"
                 "  - {name: traag, changes: [{roads: road.geojson, speed_kmh: 1}]}\n",
                 "roads"),
        RT_OK);
    static const char *const fast[] = {"scenarios/weg/gemeente_compare.csv",
                                       "scenarios/kolom/gemeente_compare.csv"};
    for (int k = 0; k < 2; k++) {
        assert_true(csv_named("roads", fast[k], "W", "newly_within_2.5min_population") == 4);
        assert_true(csv_named("roads", fast[k], "W", "better_off_population") == 4);
        assert_float_equal(csv_named("roads", fast[k], "W", "time_mean_min_b"), 650.0 / 7 / 60,
                           1e-9);
    }
    const char *slow = "scenarios/traag/gemeente_compare.csv";
    assert_true(csv_named("roads", slow, "W", "time_mean_min_delta") == 0);
    assert_true(csv_named("roads", slow, "E", "time_mean_min_delta") == 0);
}

static void refused(rt_ctx *ctx, const char *head, const char *scenarios, rt_status want,
                    const char *const *parts)
{
    assert_int_equal(run_with(ctx, head, scenarios, "bad"), want);
    refused_without_trace(ctx, "bad", parts);
}

static void bad_changes(void **state)
{
    rt_ctx *ctx = *state;
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{patch: far.geojson, speed_kmh: 5}]}]\n", RT_E_DATA,
            (const char *[]){"study.yaml:", "scenarios[0].changes[0].patch", "scenario 'x'",
                             "far.geojson", "centre of no cell", NULL});
    refused(ctx, row5_study_head, "scenarios: [{name: x, changes: [{patch: cell3.geojson}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].patch", "speed_kmh", "impassable", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{patch: cell3.geojson, speed_kmh: 5, impassable: "
            "true}]}]\n",
            RT_E_PARSE, (const char *[]){"not both", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{patch: cell3.geojson, speed_kmh: 0}]}]\n", RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].speed_kmh", "0.001 to 1000 km/h", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{facilities: huisarts, patch: cell3.geojson, "
            "impassable: true}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].facilities", "every facility type", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{facilities: huisarts, close: [A], speed_kmh: "
            "5}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].speed_kmh",
                             "does not belong to a close change", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{patch: missing.geojson, impassable: true}]}]\n",
            RT_E_IO, (const char *[]){"missing.geojson", NULL});
    /* new roads on a grid are burned in: a road without access along its
     * length, and connect_m, need a road graph */
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{roads: road.geojson, speed_kmh: 7.2, access: "
            "false}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].access", "needs a road graph", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{roads: road.geojson, speed_kmh: 7.2, connect_m: "
            "500}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].connect_m", "leave connect_m out", NULL});
    /* cells 0-4 all impassable: nothing left to travel on */
    write_text("all.geojson", BOX(0, 500));
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{patch: all.geojson, impassable: true}]}]\n",
            RT_E_DATA, (const char *[]){"scenario 'x'", "no passable cell", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{population: gone.geojson, count_column: d}]}]\n",
            RT_E_DATA,
            (const char *[]){"scenario 'x'", "remove 100.00 persons from cell (row 0, col 4)",
                             "which holds 16.00", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{population: people.geojson, count_column: e}]}]\n",
            RT_E_DATA, (const char *[]){"scenarios[0].changes[0].population", "'e'", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{population: people.geojson}]}]\n", RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].count_column", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{population: people.geojson, kind: lines, "
            "count_column: d}]}]\n",
            RT_E_PARSE, (const char *[]){"scenarios[0].changes[0].kind", "polygons", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{population: farpeople.geojson, kind: polygons, "
            "count_column: d}]}]\n",
            RT_E_DATA, (const char *[]){"scenarios[0].changes[0].population", "nobody", NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{patch: cell3.geojson, impassable: true, "
            "count_column: d}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].count_column",
                             "does not belong to a patch change", NULL});
    static const char no_pop_head[] =
        "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
        "medium: {type: speed_model, offroad_kmh: 3.6}\n"
        "facilities: [{type: huisarts, source: facility.geojson, id_column: ref, norms: "
        "{minutes: [5]}}]\n"
        "regions: [{name: gemeente, source: region.geojson, id_column: code}]\n";
    refused(ctx, no_pop_head,
            "scenarios: [{name: x, changes: [{population: people.geojson, count_column: d}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].population", "study's population", NULL});
    static const char network_head[] =
        "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
        "medium: {type: network, roads: roads.geojson, mode: car}\n"
        "facilities: [{type: huisarts, source: facility.geojson, id_column: ref, norms: "
        "{minutes: [5]}}]\n"
        "regions: [{name: gemeente, source: region.geojson, id_column: code}]\n";
    refused(
        ctx, network_head,
        "scenarios: [{name: x, changes: [{patch: cell3.geojson, impassable: true}]}]\n", RT_E_PARSE,
        (const char *[]){"scenarios[0].changes[0].patch", "medium type 'network' has none", NULL});
    /* the roads of a road graph: not on a grid medium */
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{modify_roads: {where: \"kmh > 50\"}, closed: "
            "true}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].modify_roads",
                             "medium type 'speed_model' "
                             "has none",
                             NULL});
    refused(ctx, row5_study_head,
            "scenarios: [{name: x, changes: [{roads: cell3.geojson, speed_kmh: 50, access: "
            "false}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].access", "a tunnel, a viaduct",
                             "network or hybrid", NULL});
    refused(ctx, network_head,
            "scenarios: [{name: x, changes: [{modify_roads: {}, closed: true}]}]\n", RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].modify_roads", "where", "within", NULL});
    refused(ctx, network_head,
            "scenarios: [{name: x, changes: [{modify_roads: {where: \"a = 1\"}, closed: true, "
            "factor: 2}]}]\n",
            RT_E_PARSE, (const char *[]){"speed_kmh", "factor", "closed: true, not more", NULL});
    refused(ctx, network_head,
            "scenarios: [{name: x, changes: [{modify_roads: {where: \"a = 1\"}, factor: 0}]}]\n",
            RT_E_PARSE, (const char *[]){"scenarios[0].changes[0].factor", NULL});
    /* a speed model's roads: a change that selects none of them (a filter
     * that keeps none, polygons far away) is a mistake, as on a road graph */
    static const char model_roads_head[] =
        "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
        "medium: {type: speed_model, offroad_kmh: 3.6, roads: road.geojson, speed_column: v}\n"
        "facilities: [{type: huisarts, source: facility.geojson, id_column: ref, norms: "
        "{minutes: [5]}}]\n"
        "regions: [{name: gemeente, source: region.geojson, id_column: code}]\n";
    refused(ctx, model_roads_head,
            "scenarios: [{name: x, changes: [{modify_roads: {where: \"v > 100\"}, closed: "
            "true}]}]\n",
            RT_E_DATA,
            (const char *[]){"scenarios[0].changes[0].modify_roads", "scenario 'x'",
                             "selects none of the 1 road lines of medium.roads", NULL});
    refused(ctx, model_roads_head,
            "scenarios: [{name: x, changes: [{modify_roads: {where: \"v > 1\"}, factor: 2}, "
            "{modify_roads: {within: far.geojson}, closed: true}]}]\n",
            RT_E_DATA,
            (const char *[]){"scenarios[0].changes[1].modify_roads", "selects none", NULL});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(impassable_cell),
        cmocka_unit_test(faster_cells),
        cmocka_unit_test(patches_apply_in_order),
        cmocka_unit_test(run_json_records_the_patch),
        cmocka_unit_test(patch_file_is_never_an_output),
        cmocka_unit_test(population_changes),
        cmocka_unit_test(off_grid_changes_warned),
        cmocka_unit_test(new_roads),
        cmocka_unit_test(bad_changes),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
