/* Which facility a scenario change means, on the hand-worked row of five
 * cells: close_where closes the features its filter selects, not every
 * facility that shares an id with one; facilities can be added to a type
 * without id_column; an added feature id beyond 32 bits makes the
 * scenario's facility grids hold rows of a list written beside them; a
 * scenario that writes no files leaves no folder, so the same run can be
 * repeated into the same folder. */
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

#include "io/io.h"
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "row5_fixture.h" /* after study_fixture.h */

/* Two sites share the id A: "west" in cell 0 and "mid" in cell 2; B in
 * cell 4. */
static const char shared_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\", \"loc\": \"west\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\", \"loc\": \"mid\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [250, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\", \"loc\": \"east\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}}]}";

/* A in cell 0, B in cell 4 (feature ids 0 and 1). */
static const char two_json[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
                               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}},"
                               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\"}, "
                               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}}]}";

/* N in cell 2, feature id 0 (as A's). */
static const char new_json[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"N\"}, "
                               "\"geometry\": {\"type\": \"Point\", \"coordinates\": [250, 50]}}]}";

/* N in cell 2 with the feature id 3,000,000,000. */
static const char big_json[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                               "{\"type\": \"Feature\", \"id\": 3000000000, \"properties\": "
                               "{\"ref\": \"N\"}, \"geometry\": {\"type\": \"Point\", "
                               "\"coordinates\": [250, 50]}}]}";

/* N at (50000, 50), far beyond the row. */
static const char far_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"N\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50000, 50]}}]}";

static int setup(void **state)
{
    fixture_mkdir("rt-scenario-ids");
    write_text("region.geojson", region_json);
    write_text("pop.geojson", pop_json);
    write_text("shared.geojson", shared_json);
    write_text("two.geojson", two_json);
    write_text("new.geojson", new_json);
    write_text("big.geojson", big_json);
    write_text("far.geojson", far_json);
    *state = rt_ctx_create();
    return 0;
}

/* The row of cells at 3.6 km/h (100 s a step), one type from `source`. */
static void study(char *yaml, size_t size, const char *source, const char *more,
                  const char *scenarios)
{
    snprintf(yaml, size,
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
             "medium: {type: speed_model, offroad_kmh: 3.6}\n"
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: %s\n"
             "%s"
             "    norms: {minutes: [2.5, 5]}\n"
             "population: {kind: points, source: pop.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: region.geojson, id_column: code}\n"
             "%s",
             source, more, scenarios);
}

/* The study on `source` (id_column ref when `ids`) with `scenarios` is
 * refused with RT_E_DATA, its message holding every one of parts
 * (NULL-ended). */
static void refused(void **state, const char *source, int ids, const char *scenarios,
                    const char *out, const char *const *parts)
{
    char yaml[4096];
    study(yaml, sizeof(yaml), source, ids ? "    id_column: ref\n" : "", scenarios);
    assert_int_equal(run_study(*state, yaml, out, 0), RT_E_DATA);
    for (int i = 0; parts[i]; i++)
        if (!strstr(rt_ctx_errmsg(*state), parts[i]))
            fail_msg("\"%s\" lacks \"%s\"", rt_ctx_errmsg(*state), parts[i]);
}

/* close_where "loc = 'west'" closes the west site only: times 200, 100,
 * 0, 100, 0 s, W mean (1 x 200 + 2 x 100) / 7 s, as a study whose source
 * leaves it out (to the byte); closing both A's would give 1800 / 7 s. */
static void close_where_closes_features(void **state)
{
    char yaml[4096], want[16384];
    study(yaml, sizeof(yaml), "{path: shared.geojson, where: \"loc <> 'west'\"}",
          "    id_column: ref\n", "");
    assert_int_equal(run_study(*state, yaml, "filtered", 0), RT_OK);
    snprintf(want, sizeof(want), "%s", read_file("filtered", "gemeente.csv"));
    study(yaml, sizeof(yaml), "shared.geojson", "    id_column: ref\n",
          "scenarios: [{name: west_dicht, changes: [{facilities: huisarts, close_where: \"loc = "
          "'west'\"}]}]\n");
    assert_int_equal(run_study(*state, yaml, "where", 0), RT_OK);
    assert_float_equal(
        csv_named("where", "scenarios/west_dicht/gemeente.csv", "W", "time_mean_min"),
        400.0 / 7 / 60, 1e-9);
    assert_string_equal(want, read_file("where", "scenarios/west_dicht/gemeente.csv"));
}

/* Without id_column the ids are feature ids: N (feature 0 of its layer)
 * is added beside A (feature 0 of the type's source). Times 0, 100, 0,
 * 100, 0: W mean 200 / 7 s. */
static void add_without_id_column(void **state)
{
    char yaml[4096];
    study(yaml, sizeof(yaml), "two.geojson", "",
          "scenarios: [{name: nieuw, changes: [{facilities: huisarts, add: new.geojson}]}]\n");
    assert_int_equal(run_study(*state, yaml, "noid", 0), RT_OK);
    assert_float_equal(csv_named("noid", "scenarios/nieuw/gemeente.csv", "W", "time_mean_min"),
                       200.0 / 7 / 60, 1e-9);
    /* closing "0" then would close A and N: refused, not both closed */
    refused(state, "two.geojson", 0,
            "scenarios: [{name: nieuw, changes: [{facilities: huisarts, add: new.geojson}, "
            "{facilities: huisarts, close: ['0']}]}]\n",
            "noid2",
            (const char *[]){"2 facilities of type 'huisarts' have the feature id '0'", NULL});
}

/* A close_where whose filter selects no feature says so (the reader's
 * refusal of an empty selection), not that what it selects was closed
 * before. */
static void close_where_selecting_nothing(void **state)
{
    refused(state, "shared.geojson", 1,
            "scenarios: [{name: niets, changes: [{facilities: huisarts, close_where: \"loc = "
            "'nergens'\"}]}]\n",
            "nothing",
            (const char *[]){"close_where' (scenario 'niets'): ",
                             "has no features (filter: loc = 'nergens')", NULL});
}

/* N with feature id 3e9 does not fit the Int32 facility grid: the
 * scenario's grid holds rows of its list (A 1, B 2, N 3), so cells 0-4
 * read 1, 1, 3, 2, 2; the baseline's keeps the feature ids 0, 0, 0, 1, 1. */
static void added_id_beyond_32_bits(void **state)
{
    char yaml[4096], path[512];
    study(yaml, sizeof(yaml), "two.geojson", "    id_column: ref\n",
          "scenarios: [{name: groot, changes: [{facilities: huisarts, add: big.geojson}]}]\n");
    assert_int_equal(run_study(*state, yaml, "big", 0), RT_OK);
    char *list = read_file("big", "scenarios/groot/facilities_huisarts.csv");
    assert_non_null(list);
    assert_non_null(strstr(list, "row,id,name,x,y\n1,A,"));
    assert_non_null(strstr(list, "\n3,N,"));
    rti_grid_spec g = {.x0 = 0, .y1 = 100, .cell_m = 100, .nx = 5, .ny = 1, .crs = "EPSG:28992"};
    static const float want_scen[5] = {1, 1, 3, 2, 2}, want_base[5] = {0, 0, 0, 1, 1};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof(path), "%s/big/%shuisarts_facility.tif", dir,
                 k ? "" : "scenarios/groot/");
        rti_layer_ref ref = {.path = path};
        float v[5];
        assert_int_equal(rti_raster_warp(*state, &ref, &g, "near", v), RT_OK);
        assert_memory_equal(v, k ? want_base : want_scen, sizeof(v));
    }
}

/* A facility a scenario adds far beyond the study extent is left out, as
 * any other, and a warning names it with its coordinates: the scenario's
 * table is the baseline's (W mean 1000 / 7 s: times 0, 100, 200, 100, 0). */
static void added_beyond_the_extent_warns(void **state)
{
    char yaml[4096];
    logbuf warnings = {""};
    study(yaml, sizeof(yaml), "two.geojson", "    id_column: ref\n",
          "scenarios: [{name: ver, changes: [{facilities: huisarts, add: far.geojson}]}]\n");
    rt_ctx_set_log(*state, keep_log, &warnings);
    rt_status st = run_study(*state, yaml, "far", 0);
    rt_ctx_set_log(*state, NULL, NULL);
    assert_int_equal(st, RT_OK);
    if (!strstr(warnings.text, "scenario 'ver' adds 1 facility of type 'huisarts' beyond the "
                               "study extent, left out of the scenario: 'N' (50000, 50)"))
        fail_msg("no warning of the far facility in: %s", warnings.text);
    assert_float_equal(csv_named("far", "scenarios/ver/gemeente.csv", "W", "time_mean_min"),
                       1000.0 / 7 / 60, 1e-9);
}

/* A scenario that closes A and B and adds only the far N leaves no
 * facility that can start: the error says what the scenario did. */
static void closing_every_placeable_facility_is_named(void **state)
{
    refused(state, "two.geojson", 1,
            "scenarios: [{name: ver, changes: [{facilities: huisarts, close: [A, B]}, "
            "{facilities: huisarts, add: far.geojson}]}]\n",
            "none_left",
            (const char *[]){"scenario 'ver': ", "none of the 1 facilities",
                             "; the scenario closes 2 of the baseline's 2 and adds 1", NULL});
}

/* The run's warnings (here: two sites share the id A) stand in run.json
 * and in the report's overview, as the run gave them. */
static void warnings_in_run_json_and_the_report(void **state)
{
    char yaml[4096];
    logbuf warnings = {""};
    study(yaml, sizeof(yaml), "shared.geojson", "    id_column: ref\n", "");
    rt_ctx_set_log(*state, keep_log, &warnings);
    rt_status st = run_study(*state, yaml, "warned", 0);
    rt_ctx_set_log(*state, NULL, NULL);
    assert_int_equal(st, RT_OK);
    const char *said = "facilities 'huisarts': 1 id of column 'ref' belongs to more than one "
                       "facility (first: 'A', 2 facilities)";
    if (!strstr(warnings.text, said))
        fail_msg("not warned: %s", warnings.text);
    char *json = read_file("warned", "run.json");
    char *w = strstr(json, "\"warnings\":");
    assert_non_null(w);
    assert_non_null(strstr(w, said));
    char *html = read_out_file("warned", "report.html");
    char *ov = strstr(html, "<ul class=\"warn\"><li>facilities &#39;huisarts&#39;: 1 id of "
                            "column &#39;ref&#39; belongs to more than one facility");
    if (!ov)
        fail_msg("no warning in the report's overview");
    assert_true(ov < strstr(html, "<section id=\"type-huisarts\""));
    assert_non_null(strstr(html, "<p class=\"warn\">Warnings of this run (1; "));
    free(html);
    /* a run without warnings lists none */
    study(yaml, sizeof(yaml), "two.geojson", "    id_column: ref\n", "");
    assert_int_equal(run_study(*state, yaml, "calm", 0), RT_OK);
    html = read_out_file("calm", "report.html");
    assert_null(strstr(html, "class=\"warn\""));
    free(html);
    w = strstr(read_file("calm", "run.json"), "\"warnings\":");
    assert_non_null(w);
    w += strlen("\"warnings\":");
    w += strspn(w, " \n");
    assert_true(*w == '[');
    w += 1 + strspn(w + 1, " \n");
    assert_true(*w == ']'); /* empty */
}

/* With neither grids nor tables a scenario writes no file: no folder is
 * made, and a second run into the same folder is not refused. */
static void scenario_without_files(void **state)
{
    char yaml[4096];
    study(yaml, sizeof(yaml), "two.geojson", "    id_column: ref\n",
          "outputs: {csv: false, grids: false, report: false, geopackage: "
          "false}\n"
          "scenarios: [{name: z, changes: [{facilities: huisarts, close: "
          "[A]}]}]\n");
    assert_int_equal(run_study(*state, yaml, "quiet", 0), RT_OK);
    char path[512];
    snprintf(path, sizeof(path), "%s/quiet/scenarios", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    assert_int_equal(run_study(*state, yaml, "quiet", 0), RT_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_where_closes_features),
        cmocka_unit_test(close_where_selecting_nothing),
        cmocka_unit_test(add_without_id_column),
        cmocka_unit_test(added_id_beyond_32_bits),
        cmocka_unit_test(added_beyond_the_extent_warns),
        cmocka_unit_test(closing_every_placeable_facility_is_named),
        cmocka_unit_test(warnings_in_run_json_and_the_report),
        cmocka_unit_test(scenario_without_files),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
