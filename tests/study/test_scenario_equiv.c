/* A scenario against a second method: on random speed rasters with random
 * facilities and people, a scenario that patches a random block of cells
 * (a new speed, or impassable) gives, to the byte, the region table of a
 * study run on the raster edited the same way; one that also closes a
 * random facility, that of a study whose source leaves it out; people
 * added or removed by a scenario, that of a study whose population file
 * holds them, or was edited by the test itself. Seeded, so every run tries
 * the same cases. */
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
 * `name` = prefix + index and `n` = 1 to 9; held (NULL: none) gets the
 * counts added per cell (index row x NX + col, rows from the north). */
static void write_points(const char *file, const char *prefix, int n, int *held)
{
    char text[8192];
    size_t at = (size_t)snprintf(
        text, sizeof(text), "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
    for (int i = 0; i < n; i++) {
        const int count = 1 + rnd(9), col = rnd(NX), row = NY - 1 - rnd(NY);
        if (held)
            held[row * NX + col] += count;
        at += (size_t)snprintf(text + at, sizeof(text) - at,
                               "%s{\"type\": \"Feature\", \"properties\": {\"ref\": \"%s%d\", "
                               "\"n\": %d}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                               "[%d, %d]}}",
                               i ? "," : "", prefix, i, count, col * CELL + CELL / 2,
                               (NY - 1 - row) * CELL + CELL / 2);
    }
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
        write_points("facility.geojson", "F", 2 + rnd(3), NULL);
        write_points("people.geojson", "P", 25, NULL);
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
        write_points("facility.geojson", "F", n, NULL);
        write_points("new.geojson", "N", 1 + rnd(2), NULL);
        write_points("people.geojson", "P", 25, NULL);
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
        write_points("facility.geojson", "F", 2 + rnd(3), NULL);
        write_points("people.geojson", "P", 25, NULL);
        write_points("new.geojson", "N", 1 + rnd(10), NULL);
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

static const char collection[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";

/* Appends a point feature with count n (negative: removed) at the centre
 * of cell `cell` (row x NX + col, rows from the north) to text. */
static size_t put_count(char *text, size_t at, size_t cap, int first, double n, int cell)
{
    return at + (size_t)snprintf(text + at, cap - at,
                                 "%s{\"type\": \"Feature\", \"properties\": {\"n\": %g}, "
                                 "\"geometry\": {\"type\": \"Point\", \"coordinates\": [%d, %d]}}",
                                 first ? "" : ",", n, cell % NX * CELL + CELL / 2,
                                 (NY - 1 - cell / NX) * CELL + CELL / 2);
}

/* A random cell from which people can still be removed (left > 0), -1
 * when there is none. */
static int populated_cell(const int *left)
{
    const int start = rnd(NX * NY);
    for (int k = 0; k < NX * NY; k++)
        if (left[(start + k) % (NX * NY)] > 0)
            return (start + k) % (NX * NY);
    return -1;
}

/* The removals of one case into gone.geojson (points), block.geojson
 * (a polygon over a run of populated cells) and back.geojson (people
 * added by a later change where the first removed more than the cell
 * held), worked out on left (persons per cell) as the scenario should
 * apply them; the changes' YAML into changes. */
static void write_removals(int c, int *left, char *changes, size_t size)
{
    char text[8192];
    size_t at = (size_t)snprintf(text, sizeof(text), "%s", collection);
    int emptied = -1;
    /* 1 to 4 points, the first emptying its cell */
    for (int q = 0, k = 1 + rnd(4); q < k; q++) {
        const int i = populated_cell(left);
        if (i < 0)
            break;
        const int n = q == 0 ? left[i] : 1 + rnd(left[i]);
        left[i] -= n;
        emptied = q == 0 ? i : emptied;
        at = put_count(text, at, sizeof(text), q == 0, -n, i);
    }
    /* 0.005 persons more from the emptied cell, or 0.005 back: rounding,
     * taken as 0 */
    if (c % 4 == 1 || c % 4 == 3)
        at = put_count(text, at, sizeof(text), 0, c % 4 == 1 ? -0.005 : 0.005, emptied);
    /* the scenario removes a persons more than the cell holds, and a later
     * change adds them: only the end counts */
    const int back = rnd(NX * NY), a = 1 + rnd(5);
    if (c % 3 == 2)
        at = put_count(text, at, sizeof(text), 0, -(left[back] + a), back);
    snprintf(text + at, sizeof(text) - at, "]}");
    write_text("gone.geojson", text);
    size_t ct = (size_t)snprintf(changes, size, "{population: gone.geojson, count_column: n}");
    if (c % 3 == 2) {
        left[back] = 0;
        at = (size_t)snprintf(text, sizeof(text), "%s", collection);
        at = put_count(text, at, sizeof(text), 1, a, back);
        snprintf(text + at, sizeof(text) - at, "]}");
        write_text("back.geojson", text);
    }
    /* every other case: a polygon over 1 to 3 populated cells of a row,
     * m persons fewer in each (its count -m x cells, spread evenly) */
    const int i = c % 2 ? -1 : populated_cell(left);
    if (i >= 0) {
        int len = 1, m = left[i];
        while (len < 3 && i % NX + len < NX && left[i + len] > 0)
            m = left[i + len] < m ? left[i + len] : m, len++;
        m = 1 + rnd(m);
        for (int k = 0; k < len; k++)
            left[i + k] -= m;
        const int x0 = i % NX * CELL, x1 = x0 + len * CELL, y0 = (NY - 1 - i / NX) * CELL,
                  y1 = y0 + CELL;
        snprintf(text, sizeof(text),
                 "%s{\"type\": \"Feature\", \"properties\": {\"n\": %d}, \"geometry\": {\"type\": "
                 "\"Polygon\", \"coordinates\": [[[%d, %d], [%d, %d], [%d, %d], [%d, %d], [%d, "
                 "%d]]]}}]}",
                 collection, -m * len, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
        write_text("block.geojson", text);
        ct += (size_t)snprintf(changes + ct, size - ct,
                               ", {population: block.geojson, kind: polygons, count_column: n}");
    }
    if (c % 3 == 2)
        snprintf(changes + ct, size - ct, ", {population: back.geojson, count_column: n}");
}

/* A removal of more people from a random cell than the changes before
 * leave there (left) is refused, naming the cell, what it held (held)
 * and what the changes remove; nothing is written. */
static void over_removal_refused(rt_ctx *ctx, const int *held, const int *left, const char *changes)
{
    const int i = rnd(NX * NY), extra = 1 + rnd(3);
    char text[1024], scen[1600], yaml[4096], want[2][128];
    size_t at = (size_t)snprintf(text, sizeof(text), "%s", collection);
    at = put_count(text, at, sizeof(text), 1, -(left[i] + extra), i);
    snprintf(text + at, sizeof(text) - at, "]}");
    write_text("bad.geojson", text);
    snprintf(scen, sizeof(scen),
             "scenarios: [{name: s, changes: [%s, {population: bad.geojson, count_column: "
             "n}]}]\n",
             changes);
    study(yaml, sizeof(yaml), "speed.tif", "facility.geojson", scen);
    assert_int_equal(run_study(ctx, yaml, "bad", 0), RT_E_DATA);
    snprintf(want[0], sizeof(want[0]), "remove %d.00 persons from cell (row %d, col %d)",
             held[i] + extra, i / NX, i % NX);
    snprintf(want[1], sizeof(want[1]), "which holds %d.00", held[i]);
    refused_without_trace(ctx, "bad", (const char *[]){"scenario 's'", want[0], want[1], NULL});
}

/* run.json's population_removed less population_added is the persons
 * the test took away (held less left, whole persons): the 0.005 persons
 * that rounding takes or gives back count too, and a removal that a
 * later change gives back counts in both. */
static void removed_as_worked_out(const int *held, const int *left, int c)
{
    double want = 0;
    for (int i = 0; i < NX * NY; i++)
        want += held[i] - left[i];
    const char *text = read_file("with", "run.json");
    assert_non_null(text);
    const char *added = strstr(text, "\"population_added\":"),
               *removed = strstr(text, "\"population_removed\":");
    assert_non_null(added);
    assert_non_null(removed);
    const double got = strtod(removed + strlen("\"population_removed\":"), NULL) -
                       strtod(added + strlen("\"population_added\":"), NULL);
    if (!(fabs(got - want) < 1e-3))
        fail_msg("case %d: removed less added %.6f persons, the test took away %.0f", c, got, want);
}

/* People removed by a scenario (points and polygons with negative
 * counts) weigh its tables as a study whose population file the test
 * edited itself: one point per cell with the persons the test works out
 * are left there; the same region table and grids, to the byte (whole
 * persons: the sums are exact whatever their order). Cases empty cells,
 * remove 0.005 persons more or less than a cell holds (rounding, taken as
 * 0), and
 * remove more than a cell holds before a later change adds the
 * difference; a quarter of them first try to remove more than a cell
 * holds at the end, which is refused. */
static void population_removed_equals_edited_inputs(void **state)
{
    rt_ctx *ctx = *state;
    float kmh[NX * NY];
    for (int c = 0; c < CASES; c++) {
        int held[NX * NY] = {0}, left[NX * NY];
        random_speeds(ctx, kmh);
        write_points("facility.geojson", "F", 2 + rnd(3), NULL);
        write_points("people.geojson", "P", 25, held);
        memcpy(left, held, sizeof(held));
        char changes[512], scen[1024], yaml[4096];
        write_removals(c, left, changes, sizeof(changes));
        if (c % 4 == 3)
            over_removal_refused(ctx, held, left, changes);
        snprintf(scen, sizeof(scen), "scenarios: [{name: s, changes: [%s]}]\n", changes);
        study(yaml, sizeof(yaml), "speed.tif", "facility.geojson", scen);
        if (run_study(ctx, yaml, "with", 0) != RT_OK)
            fail_msg("case %d: %s", c, rt_ctx_errmsg(ctx));
        removed_as_worked_out(held, left, c);
        char base[16384]; /* people were removed: the table is not the baseline's */
        snprintf(base, sizeof(base), "%s", read_file("with", "gemeente.csv"));
        assert_string_not_equal(base, read_file("with", "scenarios/s/gemeente.csv"));
        /* the population as the test works it out, one point per cell */
        char edited[16384];
        size_t at = (size_t)snprintf(edited, sizeof(edited), "%s", collection);
        for (int i = 0, first = 1; i < NX * NY; i++)
            if (left[i] > 0) {
                at = put_count(edited, at, sizeof(edited), first, left[i], i);
                first = 0;
            }
        snprintf(edited + at, sizeof(edited) - at, "]}");
        write_text("people.geojson", edited);
        study(yaml, sizeof(yaml), "speed.tif", "facility.geojson", "");
        assert_int_equal(run_study(ctx, yaml, "edited", 0), RT_OK);
        same_bytes("edited", "with/scenarios/s", "gemeente.csv", c);
        same_bytes("edited", "with/scenarios/s", "huisarts_time_min.tif", c);
        same_bytes("edited", "with/scenarios/s", "huisarts_facility.tif", c);
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
        cmocka_unit_test(population_removed_equals_edited_inputs),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
