/* The N-1 table of a run (outputs.closures) end to end: a hand-worked
 * study on a row of five cells, the files it writes and their rows, no
 * such file without the key, a name clash refused before anything is
 * written; on the grid, network and hybrid media, every facility closed by
 * a filter and the study run again, against the table; and allocation
 * failures. */
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

#include "io/io.h" /* before study_fixture.h: read_grid_values */
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "row5_fixture.h"   /* after study_fixture.h */
#include "run_alloc_fail.h" /* after study_fixture.h */
#include "test_common.h"

/* A in cell 0, B in cell 4 (A is the first feature: index 0). */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\", \"naam\": \"Alfa, west\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\", \"naam\": \"Beta\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}}]}";

/* For the brute force on every medium: a road of 900 m along y = 150
 * (36 km/h), a row of 9 cells of 100 m over it in two regions (W: cells
 * 0-4, E: 5-8), 10 persons per cell, and three facilities 10 m off the
 * road: F1 at the west end, F2 in the middle, F3 at the east end. */
static const char road_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"kmh\": 36}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": "
    "[[0, 150], [900, 150]]}}]}";

static const char row_regions_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"W\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[0, 100], [500, 100], [500, 200], [0, 200], [0, 100]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"E\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[500, 100], [900, 100], [900, 200], [500, 200], [500, "
    "100]]]}}]}";

static const char row_facilities_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F1\"}, \"geometry\": {\"type\": "
    "\"Point\", \"coordinates\": [20, 160]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F2\"}, \"geometry\": {\"type\": "
    "\"Point\", \"coordinates\": [480, 160]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"F3\"}, \"geometry\": {\"type\": "
    "\"Point\", \"coordinates\": [870, 160]}}]}";

/* 3.6 km/h = 1 s/m: every step of 100 m takes 100 s exactly. */
static const char study_head[] =
    "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
    "medium: {type: speed_model, offroad_kmh: 3.6}\n"
    "facilities:\n"
    "  - type: huisarts\n"
    "    source: facility.geojson\n"
    "    id_column: ref\n"
    "    name_column: naam\n"
    "    norms: {minutes: [2.5, 5]}\n"
    "population: {kind: points, source: pop.geojson, count_column: n}\n"
    "regions:\n"
    "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static int setup(void **state)
{
    fixture_mkdir("rt-closures");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("pop.geojson", pop_json);
    write_text("road.geojson", road_json);
    write_text("row_regions.geojson", row_regions_json);
    write_text("row_facilities.geojson", row_facilities_json);
    char row_pop[2048] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";
    for (int k = 0; k < 9; k++)
        snprintf(row_pop + strlen(row_pop), sizeof(row_pop) - strlen(row_pop),
                 "%s{\"type\": \"Feature\", \"properties\": {\"n\": 10}, \"geometry\": "
                 "{\"type\": \"Point\", \"coordinates\": [%d, 150]}}",
                 k ? "," : "", 50 + 100 * k);
    strcat(row_pop, "]}");
    write_text("row_pop.geojson", row_pop);
    *state = rt_ctx_create();
    return 0;
}

static int exists(const char *out, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s/%s", dir, out, name);
    return stat(path, &st) == 0;
}

/* Times (100 s a step): cell 0: A 0, B 400; 1: A 100, B 300; 2: A 200, B
 * 200 (a tie: A, the lower index, is nearest); 3: B 100, A 300; 4: B 0,
 * A 400. Norms 150 s and 300 s.
 * A serves cells 0-2: 1 + 2 + 4 = 7 persons. Closed, they go to B:
 * 1 x 400 + 2 x 200 + 4 x 0 = 800 s added, mean 800 / 7 s = 1.9047619048
 * min. Within 150 s now: cells 0 and 1, beyond it after (400, 300): 3.
 * Within 300 s now: cells 0-2; after: cell 0 (400) leaves, cell 1 (300)
 * stays (t <= limit is within): 1.
 * B serves cells 3-4: 8 + 16 = 24 persons; closed: 8 x 200 + 16 x 400 =
 * 8000 s, mean 8000 / 24 s = 5.5555555556 min. Beyond 150 s after: both
 * (300, 400): 24; beyond 300 s: cell 4 (400): 16.
 * Order: by the first norm's count, B (24) before A (3).
 * Per region: A's cells are all in W, B's in E. */
static void hand_worked_table(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%soutputs: {closures: true, second: false}\n", study_head);
    assert_int_equal(run_study(*state, yaml, "out", 0), RT_OK);
    const char *csv = read_file("out", "huisarts_closures.csv");
    assert_non_null(csv);
    assert_string_equal(csv, "facility_id,name,population_served,time_added_mean_min,"
                             "no_alternative_population,beyond_2.5min_added_population,"
                             "beyond_5min_added_population,takeover_facility_id\n"
                             "B,Beta,24,5.555555556,0,24,16,A\n"
                             "A,\"Alfa, west\",7,1.904761905,0,3,1,B\n");
    assert_string_equal(read_file("out", "huisarts_closures.csvt"),
                        "\"String\",\"String\",\"Real\",\"Real\",\"Real\",\"Real\",\"Real\","
                        "\"String\"\n");
    assert_string_equal(read_file("out", "huisarts_closures_gemeente.csv"),
                        "facility_id,region_id,beyond_2.5min_added_population,"
                        "beyond_5min_added_population\n"
                        "B,E,24,16\n"
                        "A,W,3,1\n");
    /* the second label was computed for the table, its grids not written */
    assert_false(exists("out", "huisarts_second_time_min.tif"));
    assert_true(exists("out", "huisarts_time_min.tif"));
    char *manifest = read_file("out", "run.json");
    assert_non_null(strstr(manifest, "\"huisarts_closures_gemeente.csv\""));
    assert_non_null(strstr(manifest, "\"huisarts_closures.csvt\""));
    char *html = read_out_file("out", "report.html");
    assert_non_null(strstr(html, "Sensitive facilities"));
    /* the column says it counts the whole grid (a scenario, the regions):
     * B pushes 24 beyond 2.5 min */
    assert_non_null(strstr(html, ">Pushed beyond 2.5min (whole grid)</th>"));
    /* under the table, its files by name */
    assert_non_null(strstr(html, "<p class=\"note\">Every facility: "
                                 "<code>huisarts_closures.csv</code>; per region: "
                                 "<code>huisarts_closures_gemeente.csv</code>.</p>"));
    free(html);
}

static void no_table_without_the_key(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%soutputs: {second: false}\n", study_head);
    assert_int_equal(run_study(*state, yaml, "plain", 0), RT_OK);
    assert_true(exists("plain", "gemeente.csv"));
    assert_false(exists("plain", "huisarts_closures.csv"));
    assert_false(exists("plain", "huisarts_closures_gemeente.csv"));
    assert_null(strstr(read_file("plain", "report.html"), "Sensitive facilities"));
}

/* A region layer named huisarts_closures would write the table's file:
 * refused before the output folder is made. */
static void name_clash_is_refused(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "%s  - {name: huisarts_closures, source: region.geojson, id_column: code}\n"
             "outputs: {closures: true}\n",
             study_head);
    assert_int_equal(run_study(ctx, yaml, "clash", 0), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "huisarts_closures.csv would also be the name of "
                                               "the table of a region layer"));
    struct stat st;
    char path[512];
    snprintf(path, sizeof(path), "%s/clash", dir);
    assert_int_equal(stat(path, &st), -1);
}

/* Field `col` (0-based) of the row of `key` (its first field) in OUT/name,
 * as text into buf; 0 when there is no such row (buf ""). */
static int csv_text(const char *out, const char *name, const char *key, int col, char *buf,
                    size_t n)
{
    char *text = read_file(out, name);
    assert_non_null(text);
    size_t k = strlen(key);
    buf[0] = 0;
    for (char *line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        if (strncmp(line, key, k) != 0 || line[k] != ',')
            continue;
        char *p = line;
        for (int i = 0; i < col; i++)
            p = strchr(p, ',') + 1;
        size_t len = strcspn(p, ",\n");
        snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), p);
        return 1;
    }
    return 0;
}

/* The same field as a number: 0 when there is no such row, NAN when the
 * field is empty. */
static double csv_field(const char *out, const char *name, const char *key, int col)
{
    char buf[64];
    if (!csv_text(out, name, key, col, buf, sizeof(buf)))
        return 0;
    return buf[0] ? strtod(buf, NULL) : NAN;
}

/* The per-facility columns of <type>_closures.csv against the grids of
 * the run with every facility ("all") and of the run without facility j
 * (`out`): its served population is that of the cells whose nearest it
 * is (10 persons a cell), the mean time added is the mean of the change
 * of those cells that still reach one, and the takeover facility is the
 * one most of them reach then (fewest feature id on a tie). */
static void check_row(rt_ctx *ctx, const char *out, const char *id, int fid)
{
    enum { N = 9 };
    double fac[N], t[N], fac_b[N], t_b[N];
    read_grid_values(ctx, "all", "huisarts_facility.tif", fac, N);
    read_grid_values(ctx, "all", "huisarts_time_min.tif", t, N);
    read_grid_values(ctx, out, "huisarts_facility.tif", fac_b, N);
    read_grid_values(ctx, out, "huisarts_time_min.tif", t_b, N);
    double served = 0, moved = 0, added = 0, to[3] = {0, 0, 0};
    for (int i = 0; i < N; i++) {
        if (fac[i] != fid)
            continue;
        served += 10;
        if (isnan(t_b[i]))
            continue;
        moved += 10;
        added += 10 * (t_b[i] - t[i]);
        to[(int)fac_b[i]] += 10;
    }
    const double table_served = csv_field("all", "huisarts_closures.csv", id, 1);
    if (served != table_served)
        fail_msg("%s: %g persons served by the grid, the table says %g", id, served, table_served);
    const double mean = csv_field("all", "huisarts_closures.csv", id, 2);
    if (moved > 0 ? !(fabs(added / moved - mean) <= 1e-4) : !isnan(mean))
        fail_msg("%s: %g minutes added by the grids, the table says %g", id,
                 moved > 0 ? added / moved : NAN, mean);
    int best = -1;
    for (int f = 0; f < 3; f++)
        if (to[f] > 0 && (best < 0 || to[f] > to[best]))
            best = f;
    static const char *const ids[3] = {"F1", "F2", "F3"};
    char takeover[16];
    csv_text("all", "huisarts_closures.csv", id, 6, takeover, sizeof(takeover));
    assert_string_equal(takeover, best < 0 ? "" : ids[best]);
}

/* The study on the row of cells over medium `medium` (YAML lines), its
 * facilities filtered by `where` (NULL: all), with outputs. */
static void row_study(char *yaml, size_t n, const char *medium, const char *where,
                      const char *outputs)
{
    snprintf(yaml, n,
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 16}\n"
             "%s"
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: {path: row_facilities.geojson%s%s%s}\n"
             "    id_column: ref\n"
             "    norms: {minutes: [0.5, 1]}\n"
             "population: {kind: points, source: row_pop.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: row_regions.geojson, id_column: code}\n"
             "outputs: {%s}\n",
             medium, where ? ", where: \"" : "", where ? where : "", where ? "\"" : "", outputs);
}

/* Every facility closed in turn by a `where` filter and the study run
 * again: per region, the population beyond each norm grows by the counts
 * of <type>_closures_gemeente.csv, over the grid by the counts of
 * <type>_closures.csv, and the unreachable population by the facility's
 * no_alternative_population (summed over both regions); and the other
 * columns of <type>_closures.csv against the grids (check_row). The
 * populations are whole numbers, so the sums are exact whatever their
 * order. */
static void brute_force_on(rt_ctx *ctx, const char *medium)
{
    char yaml[4096], where[64], out[32];
    static const char *const ids[3] = {"F1", "F2", "F3"};
    static const char *const regions[2] = {"W", "E"};
    row_study(yaml, sizeof(yaml), medium, NULL, "closures: true, report: false");
    assert_int_equal(run_study(ctx, yaml, "all", 0), RT_OK);
    int pushed = 0;
    for (int j = 0; j < 3; j++) {
        snprintf(where, sizeof(where), "ref <> '%s'", ids[j]);
        snprintf(out, sizeof(out), "without_%s", ids[j]);
        row_study(yaml, sizeof(yaml), medium, where, "report: false");
        assert_int_equal(run_study(ctx, yaml, out, 0), RT_OK);
        double unreachable = 0, grid_added[2] = {0, 0};
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 2; k++) {
                double before = csv_field("all", "gemeente.csv", regions[r], 15 + 2 * k);
                double after = csv_field(out, "gemeente.csv", regions[r], 15 + 2 * k);
                grid_added[k] += after - before;
                char key[16];
                snprintf(key, sizeof(key), "%s,%s", ids[j], regions[r]);
                double added = csv_field("all", "huisarts_closures_gemeente.csv", key, 2 + k);
                if (after - before != added)
                    fail_msg("%s closed, region %s, norm %d: %g more beyond, the table says %g",
                             ids[j], regions[r], k, after - before, added);
                pushed += added > 0;
            }
            unreachable += csv_field(out, "gemeente.csv", regions[r], 5) -
                           csv_field("all", "gemeente.csv", regions[r], 5);
        }
        assert_true(unreachable == csv_field("all", "huisarts_closures.csv", ids[j], 3));
        check_row(ctx, out, ids[j], j);
        /* the two regions hold every cell: the whole grid's columns are
         * their sums */
        for (int k = 0; k < 2; k++)
            if (grid_added[k] != csv_field("all", "huisarts_closures.csv", ids[j], 4 + k))
                fail_msg("%s closed, norm %d: %g more beyond on the grid, the table says %g",
                         ids[j], k, grid_added[k],
                         csv_field("all", "huisarts_closures.csv", ids[j], 4 + k));
    }
    assert_true(pushed >= 2); /* the case is not trivial */
}

static void brute_force_grid(void **state)
{
    brute_force_on(*state, "medium: {type: speed_model, offroad_kmh: 36}\n");
}

static void brute_force_network(void **state)
{
    brute_force_on(*state, "medium:\n  type: network\n  roads: road.geojson\n  format: lines\n"
                           "  speed_column: kmh\n  mode: car\n"
                           "  access: {speed_kmh: 3.6, max_distance_m: 40}\n");
}

static void brute_force_hybrid(void **state)
{
    brute_force_on(*state, "medium:\n  type: hybrid\n  roads: road.geojson\n  format: lines\n"
                           "  speed_column: kmh\n  mode: car\n"
                           "  access: {speed_kmh: 3.6, max_distance_m: 40}\n"
                           "  offroad: {type: speed_model, offroad_kmh: 4}\n");
}

static void allocation_failures_are_clean(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%soutputs: {closures: true, grids: false, report: false}\n",
             study_head);
    assert_true(run_allocation_failures(*state, yaml) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_worked_table),
        cmocka_unit_test(no_table_without_the_key),
        cmocka_unit_test(name_clash_is_refused),
        cmocka_unit_test(brute_force_grid),
        cmocka_unit_test(brute_force_network),
        cmocka_unit_test(brute_force_hybrid),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
