/* Scenarios that patch the grid over land (changes: [{patch: ...}]) end
 * to end on the hand-worked row of five cells: a patch that makes a cell
 * impassable, one that gives two cells a new speed, the order of patches,
 * the patch file as an input of run.json (and so never an output), and
 * bad patches refused before anything is written. */
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

/* A polygon over x from X0 to X1 across the row. */
#define BOX(x0, x1)                                                                                \
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "     \
    "\"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[" #x0           \
    ", -10], [" #x1 ", -10], [" #x1 ", 110], [" #x0 ", 110], [" #x0 ", -10]]]}}]}"

/* 3.6 km/h = 1 s/m: every step of 100 m takes 100 s exactly. */
static const char study_head[] =
    "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
    "medium: {type: speed_model, offroad_kmh: 3.6}\n"
    "facilities:\n"
    "  - type: huisarts\n"
    "    source: facility.geojson\n"
    "    id_column: ref\n"
    "    norms: {minutes: [2.5, 5]}\n"
    "population: {kind: points, source: pop.geojson, count_column: n}\n"
    "regions:\n"
    "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static int setup(void **state)
{
    fixture_mkdir("rt-scenario-patch");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("pop.geojson", pop_json);
    write_text("cell3.geojson", BOX(300, 400));
    write_text("cells12.geojson", BOX(100, 300));
    write_text("far.geojson", BOX(90000, 90100));
    *state = rt_ctx_create();
    return 0;
}

/* The field of column col in the row whose first field is key, in
 * OUT/name; NAN when empty; fails when there is no such row or column. */
static double csv_value(const char *out, const char *name, const char *key, const char *col)
{
    char *text = read_file(out, name);
    if (!text)
        fail_msg("%s/%s: not written", out, name);
    int want = -1, i = 0;
    size_t n = strlen(col);
    for (char *p = text; *p != '\n'; i++) {
        if (strncmp(p, col, n) == 0 && (p[n] == ',' || p[n] == '\n'))
            want = i;
        p += strcspn(p, ",\n");
        p += *p == ',';
    }
    if (want < 0)
        fail_msg("%s: no column %s", name, col);
    n = strlen(key);
    for (char *line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        if (strncmp(line, key, n) != 0 || line[n] != ',')
            continue;
        char *p = line;
        for (int k = 0; k < want; k++)
            p = strchr(p, ',') + 1;
        return *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
    }
    fail_msg("%s: no row %s", name, key);
    return NAN;
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
    assert_int_equal(run_with(*state, study_head,
                              "scenarios: [{name: dicht, changes: [{patch: cell3.geojson, "
                              "impassable: true}]}]\n",
                              "out"),
                     RT_OK);
    const char *cmp = "scenarios/dicht/gemeente_compare.csv";
    assert_true(csv_value("out", cmp, "E", "newly_beyond_2.5min_population") == 8);
    assert_true(csv_value("out", cmp, "E", "newly_beyond_5min_population") == 8);
    assert_true(csv_value("out", cmp, "E", "beyond_2.5min_population_a") == 0);
    assert_true(csv_value("out", cmp, "E", "beyond_2.5min_population_b") == 8);
    assert_true(csv_value("out", cmp, "W", "newly_beyond_2.5min_population") == 0);
    assert_true(csv_value("out", cmp, "W", "worse_off_population") == 0);
    assert_true(csv_value("out", cmp, "W", "better_off_population") == 0);
    /* the baseline's table is not touched by the scenario */
    assert_true(csv_value("out", "gemeente.csv", "E", "beyond_2.5min_population") == 0);
}

/* Cells 1 and 2 at 7.2 km/h (0.5 s/m). A step costs the mean friction of
 * its two cells x 100 m: from A, cell 1 at (1 + 0.5) / 2 x 100 = 75 s,
 * cell 2 at 75 + 50 = 125 s; from B, cell 2 at 100 + 75 = 175 s. So
 * cell 2 (4 persons) goes from 200 s to 125 s: newly within 2.5 min (150
 * s) and better off by more than 1 min; cell 1 gains 25 s, less than the
 * threshold. Mean time in W: (0 + 2 x 75 + 4 x 125) / 7 s. */
static void faster_cells(void **state)
{
    assert_int_equal(run_with(*state, study_head,
                              "scenarios: [{name: sneller, changes: [{patch: cells12.geojson, "
                              "speed_kmh: 7.2}]}]\n",
                              "fast"),
                     RT_OK);
    const char *cmp = "scenarios/sneller/gemeente_compare.csv";
    assert_true(csv_value("fast", cmp, "W", "newly_within_2.5min_population") == 4);
    assert_true(csv_value("fast", cmp, "W", "better_off_population") == 4);
    assert_true(csv_value("fast", cmp, "W", "worse_off_population") == 0);
    assert_float_equal(csv_value("fast", cmp, "W", "time_mean_min_b"), 650.0 / 7 / 60, 1e-9);
    assert_true(csv_value("fast", cmp, "E", "better_off_population") == 0);
}

/* Patches apply in the order written: cells 1-2 fast, then cell 2 again
 * at 3.6 km/h, is the same as only cell 1 fast: from A cell 1 at 75 s,
 * cell 2 at 75 + 75 = 150 s (within 2.5 min: t <= limit), cell 2 by B at
 * 200 s. Cell 2 gains 50 s: not better off by more than 1 min, but
 * newly within 2.5 min. */
static void patches_apply_in_order(void **state)
{
    write_text("cell2.geojson", BOX(200, 300));
    assert_int_equal(run_with(*state, study_head,
                              "scenarios: [{name: volgorde, changes: [{patch: cells12.geojson, "
                              "speed_kmh: 7.2}, {patch: cell2.geojson, speed_kmh: 3.6}]}]\n",
                              "order"),
                     RT_OK);
    const char *cmp = "scenarios/volgorde/gemeente_compare.csv";
    assert_true(csv_value("order", cmp, "W", "newly_within_2.5min_population") == 4);
    assert_true(csv_value("order", cmp, "W", "better_off_population") == 0);
    assert_float_equal(csv_value("order", cmp, "W", "time_mean_min_b"), 750.0 / 7 / 60, 1e-9);
}

/* run.json lists the patch file among the inputs (with its checksum) and
 * the change itself. */
static void run_json_records_the_patch(void **state)
{
    assert_int_equal(run_with(*state, study_head,
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
    assert_int_not_equal(run_with(*state, study_head,
                                  "scenarios: [{name: dicht, changes: [{patch: guard/run.json, "
                                  "impassable: true}]}]\n",
                                  "guard"),
                         RT_OK);
    assert_non_null(strstr(rt_ctx_errmsg(*state), "run.json"));
    char *text = read_file("guard", "run.json");
    assert_non_null(text);
    assert_string_equal(text, BOX(300, 400));
}

static void refused(rt_ctx *ctx, const char *head, const char *scenarios, rt_status want,
                    const char *const *parts)
{
    assert_int_equal(run_with(ctx, head, scenarios, "bad"), want);
    for (int i = 0; parts[i]; i++)
        if (!strstr(rt_ctx_errmsg(ctx), parts[i]))
            fail_msg("'%s' not in the message: %s", parts[i], rt_ctx_errmsg(ctx));
    char out[512];
    snprintf(out, sizeof(out), "%s/bad", dir);
    struct stat st;
    assert_int_equal(stat(out, &st), -1);
}

static void bad_patches(void **state)
{
    rt_ctx *ctx = *state;
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{patch: far.geojson, speed_kmh: 5}]}]\n", RT_E_DATA,
            (const char *[]){"study.yaml:", "scenarios[0].changes[0].patch", "scenario 'x'",
                             "far.geojson", "centre of no cell", NULL});
    refused(ctx, study_head, "scenarios: [{name: x, changes: [{patch: cell3.geojson}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].patch", "speed_kmh", "impassable", NULL});
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{patch: cell3.geojson, speed_kmh: 5, impassable: "
            "true}]}]\n",
            RT_E_PARSE, (const char *[]){"not both", NULL});
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{patch: cell3.geojson, speed_kmh: 0}]}]\n", RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].speed_kmh", "0.001 to 1000 km/h", NULL});
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{facilities: huisarts, patch: cell3.geojson, "
            "impassable: true}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].facilities", "every facility type", NULL});
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{facilities: huisarts, close: [A], speed_kmh: "
            "5}]}]\n",
            RT_E_PARSE,
            (const char *[]){"scenarios[0].changes[0].speed_kmh", "belongs to a patch", NULL});
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{patch: missing.geojson, impassable: true}]}]\n",
            RT_E_IO, (const char *[]){"missing.geojson", NULL});
    /* cells 0-4 all impassable: nothing left to travel on */
    write_text("all.geojson", BOX(0, 500));
    refused(ctx, study_head,
            "scenarios: [{name: x, changes: [{patch: all.geojson, impassable: true}]}]\n",
            RT_E_DATA, (const char *[]){"scenario 'x'", "no passable cell", NULL});
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
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(impassable_cell),
        cmocka_unit_test(faster_cells),
        cmocka_unit_test(patches_apply_in_order),
        cmocka_unit_test(run_json_records_the_patch),
        cmocka_unit_test(patch_file_is_never_an_output),
        cmocka_unit_test(bad_patches),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
