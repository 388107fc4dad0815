/* A scenario against a second method: on random speed rasters with random
 * facilities and people, a scenario that patches a random block of cells
 * (a new speed, or impassable) gives, to the byte, the region table of a
 * study run on the raster edited the same way; one that also closes a
 * random facility, that of a study whose source leaves it out. Seeded, so
 * every run tries the same cases. */
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

#include "halves_fixture.h" /* after study_fixture.h */

#define NX 12
#define NY 9
#define CELL 100
#define CASES 12

/* Two regions: west (columns 0-5) and east (6-11). */
static unsigned rng = 12345u;
static int rnd(int n) { return lcg_next(&rng, n); }

static void row_of(int32_t row, void *buf, void *user)
{
    memcpy(buf, (const float *)user + (size_t)row * NX, NX * sizeof(float));
}

static void write_speeds(rt_ctx *ctx, const char *name, const float *kmh)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
    rti_grid_spec g = {
        .x0 = 0, .y1 = NY * CELL, .cell_m = CELL, .nx = NX, .ny = NY, .crs = "EPSG:28992"};
    assert_int_equal(
        rti_write_geotiff(ctx, path, &g, NULL, RTI_FLOAT32, NAN, NULL, "km/h", row_of, (void *)kmh),
        RT_OK);
}

/* speed.tif: 1 to 40 km/h per cell at random, a tenth impassable (0),
 * its speeds also in kmh. */
static void random_speeds(rt_ctx *ctx, float *kmh)
{
    for (int i = 0; i < NX * NY; i++)
        kmh[i] = rnd(10) == 0 ? 0.0f : (float)(1 + rnd(40));
    write_speeds(ctx, "speed.tif", kmh);
}

/* A GeoJSON point layer of n points at random cell centres, property
 * `name` = prefix + index and `n` = 1 to 9. */
static void write_points(const char *file, const char *prefix, int n)
{
    char text[8192];
    size_t at = (size_t)snprintf(
        text, sizeof(text), "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(text + at, sizeof(text) - at,
                               "%s{\"type\": \"Feature\", \"properties\": {\"ref\": \"%s%d\", "
                               "\"n\": %d}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                               "[%d, %d]}}",
                               i ? "," : "", prefix, i, 1 + rnd(9), rnd(NX) * CELL + CELL / 2,
                               rnd(NY) * CELL + CELL / 2);
    snprintf(text + at, sizeof(text) - at, "]}");
    write_text(file, text);
}

static void study(char *yaml, size_t size, const char *raster, const char *source,
                  const char *scenarios)
{
    snprintf(yaml, size,
             "study: {cell_size_m: %d, extent_buffer_m: 0, neighbours: 16, snap_radius_m: 300}\n"
             "medium: {type: speed, raster: %s}\n"
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: %s\n"
             "    id_column: ref\n"
             "    norms: {minutes: [1, 2]}\n"
             "population: {kind: points, source: people.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: regions.geojson, id_column: code}\n"
             "outputs: {report: false, geopackage: false}\n"
             "%s",
             CELL, raster, source, scenarios);
}

static void scenario_equals_edited_inputs(void **state)
{
    rt_ctx *ctx = *state;
    float kmh[NX * NY], edited[NX * NY];
    for (int c = 0; c < CASES; c++) {
        random_speeds(ctx, kmh);
        write_points("facility.geojson", "F", 2 + rnd(3));
        write_points("people.geojson", "P", 25);
        /* the block [c0, c1) x [r0, r1) at a new speed (0: impassable) */
        int c0 = rnd(NX - 1), r0 = rnd(NY - 1);
        int c1 = c0 + 1 + rnd(NX - c0 - 1), r1 = r0 + 1 + rnd(NY - r0 - 1);
        int speed = rnd(3) == 0 ? 0 : 1 + rnd(60);
        memcpy(edited, kmh, sizeof(kmh));
        for (int r = r0; r < r1; r++)
            for (int k = c0; k < c1; k++)
                edited[r * NX + k] = (float)speed;
        write_speeds(ctx, "edited.tif", edited);
        char patch[1024], change[256], scen[1600], yaml[4096];
        /* the block's outline in the CRS: rows count from the north */
        snprintf(patch, sizeof(patch),
                 "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
                 "\"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", "
                 "\"coordinates\": [[[%d, %d], [%d, %d], [%d, %d], [%d, %d], [%d, %d]]]}}]}",
                 c0 * CELL, (NY - r1) * CELL, c1 * CELL, (NY - r1) * CELL, c1 * CELL,
                 (NY - r0) * CELL, c0 * CELL, (NY - r0) * CELL, c0 * CELL, (NY - r1) * CELL);
        write_text("patch.geojson", patch);
        if (speed)
            snprintf(change, sizeof(change), "{patch: patch.geojson, speed_kmh: %d}", speed);
        else
            snprintf(change, sizeof(change), "{patch: patch.geojson, impassable: true}");
        /* every other case also closes facility F0 */
        snprintf(scen, sizeof(scen), "scenarios: [{name: s, changes: [%s%s]}]\n", change,
                 c % 2 ? ", {facilities: huisarts, close: [F0]}" : "");
        study(yaml, sizeof(yaml), "speed.tif", "facility.geojson", scen);
        assert_int_equal(run_study(ctx, yaml, "with", 0), RT_OK);
        study(yaml, sizeof(yaml), "edited.tif",
              c % 2 ? "{path: facility.geojson, where: \"ref <> 'F0'\"}" : "facility.geojson", "");
        assert_int_equal(run_study(ctx, yaml, "edited", 0), RT_OK);
        char want[16384];
        snprintf(want, sizeof(want), "%s", read_file("edited", "gemeente.csv"));
        const char *got = read_file("with", "scenarios/s/gemeente.csv");
        assert_non_null(got);
        if (strcmp(want, got) != 0)
            fail_msg("case %d (block %d-%d x %d-%d at %d km/h): the scenario's table\n%s\n"
                     "differs from the edited study's\n%s",
                     c, c0, c1, r0, r1, speed, got, want);
    }
}

/* Closures and openings alone leave the medium as it is, and the
 * scenario's search is then an update of the baseline's labels: its grids
 * (times, nearest, second nearest, route lengths) and its region table
 * must be those of a study whose source holds the facilities that stay
 * open, in their order, followed by the new ones. */
static void closures_and_openings_equal_edited_inputs(void **state)
{
    rt_ctx *ctx = *state;
    float kmh[NX * NY];
    for (int c = 0; c < CASES; c++) {
        random_speeds(ctx, kmh);
        const int n = 3 + rnd(3), shut = rnd(n);
        write_points("facility.geojson", "F", n);
        write_points("new.geojson", "N", 1 + rnd(2));
        write_points("people.geojson", "P", 25);
        char scen[512], where[128], yaml[4096];
        snprintf(scen, sizeof(scen),
                 "scenarios: [{name: s, changes: [{facilities: huisarts, close: [F%d]}%s]}]\n",
                 shut, c % 3 ? ", {facilities: huisarts, add: new.geojson}" : "");
        study(yaml, sizeof(yaml), "speed.tif", "facility.geojson", scen);
        assert_int_equal(run_study(ctx, yaml, "with", 0), RT_OK);
        /* the same facilities as one source: the open ones, then the new */
        char pf[600], pn[600];
        snprintf(pf, sizeof(pf), "%s/facility.geojson", dir);
        snprintf(pn, sizeof(pn), "%s/new.geojson", dir);
        char *old = read_path(pf), *add = read_path(pn);
        assert_non_null(old);
        assert_non_null(add);
        char both[16384];
        char *cut = strrchr(old, ']'), *first = strchr(add, '[');
        *cut = '\0';
        snprintf(both, sizeof(both), "%s%s%s", old, c % 3 ? "," : "", c % 3 ? first + 1 : "]}");
        write_text("both.geojson", both);
        free(old);
        free(add);
        snprintf(where, sizeof(where), "{path: both.geojson, where: \"ref <> 'F%d'\"}", shut);
        study(yaml, sizeof(yaml), "speed.tif", where, "");
        assert_int_equal(run_study(ctx, yaml, "edited", 0), RT_OK);
        same_bytes("edited", "with/scenarios/s", "gemeente.csv", c);
        same_bytes("edited", "with/scenarios/s", "huisarts_time_min.tif", c);
        same_bytes("edited", "with/scenarios/s", "huisarts_second_time_min.tif", c);
        same_bytes("edited", "with/scenarios/s", "huisarts_length_m.tif", c);
    }
}

/* People added by a scenario (points with a count) weigh its tables as a
 * study whose population file holds the baseline's points and the new
 * ones: the same region table, to the byte (whole persons: the sums are
 * exact whatever their order). */
static void population_added_equals_edited_inputs(void **state)
{
    rt_ctx *ctx = *state;
    float kmh[NX * NY];
    for (int c = 0; c < CASES; c++) {
        random_speeds(ctx, kmh);
        write_points("facility.geojson", "F", 2 + rnd(3));
        write_points("people.geojson", "P", 25);
        write_points("new.geojson", "N", 1 + rnd(10));
        char yaml[4096], pp[600], pn[600], both[16384];
        study(yaml, sizeof(yaml), "speed.tif", "facility.geojson",
              "scenarios: [{name: s, changes: [{population: new.geojson, count_column: n}]}]\n");
        assert_int_equal(run_study(ctx, yaml, "with", 0), RT_OK);
        snprintf(pp, sizeof(pp), "%s/people.geojson", dir);
        snprintf(pn, sizeof(pn), "%s/new.geojson", dir);
        char *old = read_path(pp), *add = read_path(pn);
        *strrchr(old, ']') = '\0';
        snprintf(both, sizeof(both), "%s,%s", old, strchr(add, '[') + 1);
        free(old);
        free(add);
        write_text("people.geojson", both);
        study(yaml, sizeof(yaml), "speed.tif", "facility.geojson", "");
        assert_int_equal(run_study(ctx, yaml, "edited", 0), RT_OK);
        same_bytes("edited", "with/scenarios/s", "gemeente.csv", c);
    }
}

static int setup(void **state)
{
    fixture_mkdir("rt-scenario-equiv");
    write_text("regions.geojson", regions_json);
    *state = rt_ctx_create();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenario_equals_edited_inputs),
        cmocka_unit_test(closures_and_openings_equal_edited_inputs),
        cmocka_unit_test(population_added_equals_edited_inputs),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
