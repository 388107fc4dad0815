/* rt_study_run on small generated studies: population spread from polygons
 * (also from one reaching over the edge of the grid) and summed from a
 * finer raster, validate-only, cancellation and allocation failures. Expected values are worked out
 * by hand below. */
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <dirent.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt.h"
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "run_alloc_fail.h" /* after study_fixture.h */
#include "test_common.h"

/* One region of 4 x 2 cells of 100 m: x 0..400, y 0..200. */
static const char region_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"code\": \"R1\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[0, 0], [400, 0], [400, 200], [0, 200], [0, 0]]]}}]}";

/* A facility at the centre of cell (row 0, col 0): (50, 150). */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"ref\": \"F\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
    "[50, 150]}}]}";

/* P1 covers the cells of cols 0-1 (4 cells) with 100 persons; P2 is a 10 m
 * square inside cell (row 0, col 3), too small to hold a cell centre, with 7. */
static const char pop_polygons_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"n\": 100}, \"geometry\": {\"type\": \"Polygon\", "
    "\"coordinates\": [[[0, 0], [200, 0], [200, 200], [0, 200], [0, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 7}, \"geometry\": {\"type\": \"Polygon\", "
    "\"coordinates\": [[[340, 140], [350, 140], [350, 150], [340, 150], [340, 140]]]}}]}";

/* P1 and P2 as above, and P3 over the east edge of the grid: x 200..600,
 * y 0..200, 80 persons. Its cells on the grid's lattice are cols 2-5 of
 * rows 0-1 (8 centres); cols 2-3 (4 cells) are in the grid. */
static const char pop_edge_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"n\": 100}, \"geometry\": {\"type\": \"Polygon\", "
    "\"coordinates\": [[[0, 0], [200, 0], [200, 200], [0, 200], [0, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 7}, \"geometry\": {\"type\": \"Polygon\", "
    "\"coordinates\": [[[340, 140], [350, 140], [350, 150], [340, 150], [340, 140]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 80}, \"geometry\": {\"type\": \"Polygon\", "
    "\"coordinates\": [[[200, 0], [600, 0], [600, 200], [200, 200], [200, 0]]]}}]}";

static const char study_head[] = "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                                 "medium: {type: speed_model, offroad_kmh: 36}\n"
                                 "facilities:\n"
                                 "  - type: huisarts\n"
                                 "    source: facility.geojson\n"
                                 "    norms: {minutes: [0.2]}\n"
                                 "regions:\n"
                                 "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static int setup(void **state)
{
    fixture_mkdir("rt-run");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("pop_polygons.geojson", pop_polygons_json);
    write_text("pop_edge.geojson", pop_edge_json);
    *state = rt_ctx_create();
    return 0;
}

/* Reads column `col` (0-based) of the first data row of OUT/gemeente.csv. */
static double csv_value(const char *out, int col)
{
    char path[512], line[4096];
    snprintf(path, sizeof(path), "%s/%s/gemeente.csv", dir, out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f)); /* header */
    assert_non_null(fgets(line, sizeof(line), f));
    fclose(f);
    char *p = line;
    for (int i = 0; i < col; i++) {
        p = strchr(p, ',');
        assert_non_null(p);
        p++;
    }
    return *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
}

static int exists(const char *out, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s%s%s", dir, out, *name ? "/" : "", name);
    return stat(path, &st) == 0;
}

/* 36 km/h = 0.1 s/m: an axial step of 100 m takes 10 s, a diagonal one
 * 10 sqrt(2) s. P1's 100 persons go 25 to each of its 4 cells: (0,0) at 0 s,
 * (0,1) and (1,0) at 10 s, (1,1) at 10 sqrt(2) s. P2's 7 persons go to the
 * cell under its surface point, (0,3), three steps away: 30 s.
 * Mean = (25 (0 + 10 + 10 + 10 sqrt 2) + 7 x 30) / 107 s. Sorted times with
 * weights: 0 (25), 10 (50), 14.1 (25), 30 (7), cumulative 25, 75, 100, 107:
 * the median (53.5 of 107) is 10 s, p90 (96.3) is 10 sqrt(2) s. Beyond
 * 0.2 min = 12 s: 25 + 7 = 32 persons. */
static void population_from_polygons(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "%spopulation: {kind: polygons, source: pop_polygons.geojson, count_column: n}\n",
             study_head);
    assert_int_equal(run_study(*state, yaml, "poly", 0), RT_OK);
    const double step = (double)(3.6f / 36.0f) * 100.0; /* the friction is a float */
    double want_mean = (25 * (0 + step + step + step * sqrt(2.0)) + 7 * 3 * step) / 107 / 60;
    assert_true(csv_value("poly", 3) == 107);
    assert_true(fabs(csv_value("poly", 7) - want_mean) < 1e-6);
    assert_true(fabs(csv_value("poly", 8) - step / 60) < 1e-6);             /* median */
    assert_true(fabs(csv_value("poly", 9) - step * sqrt(2.0) / 60) < 1e-6); /* p90 */
    assert_true(csv_value("poly", 15) == 32);
    assert_true(fabs(csv_value("poly", 16) - 32.0 / 107) < 1e-9);
}

/* The number after "key": in OUT/run.json (the first occurrence). */
static double run_json_number(const char *out, const char *key)
{
    static char text[1 << 20];
    char path[512], pat[128];
    snprintf(path, sizeof(path), "%s/%s/run.json", dir, out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    snprintf(pat, sizeof(pat), "\"%s\"", key);
    char *p = strstr(text, pat);
    assert_non_null(p);
    p = strchr(p, ':');
    assert_non_null(p);
    return strtod(p + 1, NULL);
}

/* P3 reaches over the east edge of the grid: of its 8 cells on the lattice
 * 4 are in the grid, so each gets 80 / 8 = 10 persons and 40 persons lie
 * outside the extent. (Spread over the grid's cells alone, they would get
 * 20 each.) With P1 (25 per cell in cols 0-1) and P2 (7 in cell (0,3)):
 *   (0,0) 25 at 0, (0,1) 25 and (1,0) 25 at 10 s, (1,1) 25 at 10 sqrt 2,
 *   (0,2) 10 at 20, (1,2) 10 at 10 + 10 sqrt 2, (0,3) 17 at 30,
 *   (1,3) 10 at 20 + 10 sqrt 2.
 * Population 147; cumulative by time 25, 75, 100, 110, 120, 137, 147: the
 * median (73.5) is 10 s, p90 (132.3) is 30 s. Beyond 12 s: 147 - 75 = 72. */
static void population_polygon_over_the_grid_edge(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "%spopulation: {kind: polygons, source: pop_edge.geojson, count_column: n}\n",
             study_head);
    assert_int_equal(run_study(*state, yaml, "edge", 0), RT_OK);
    const double step = (double)(3.6f / 36.0f) * 100.0;
    const double d = step * sqrt(2.0);
    double want_mean = (25 * (0 + step + step + d) +
                        10 * (2 * step + (step + d) + 3 * step + (2 * step + d)) + 7 * 3 * step) /
                       147 / 60;
    assert_true(csv_value("edge", 3) == 147);
    assert_true(fabs(csv_value("edge", 7) - want_mean) < 1e-6);
    assert_true(fabs(csv_value("edge", 8) - step / 60) < 1e-6);     /* median */
    assert_true(fabs(csv_value("edge", 9) - 3 * step / 60) < 1e-6); /* p90 */
    assert_true(csv_value("edge", 15) == 72);
    assert_true(fabs(csv_value("edge", 16) - 72.0 / 147) < 1e-9);
    assert_true(run_json_number("edge", "on_grid") == 147);
    assert_true(run_json_number("edge", "outside_extent") == 40);
}

/* A 50 m population raster onto the 100 m grid: each 100 m cell gets the
 * sum of its four 50 m cells. Values 1..32 row by row over 8 x 4 cells of
 * 50 m: cell (0,0) of the analysis grid holds 1 + 2 + 9 + 10 = 22. With
 * every cell reached the population total is 1 + ... + 32 = 528. */
static void fill_pop(int32_t row, void *buf, void *user)
{
    (void)user;
    float *f = buf;
    for (int c = 0; c < 8; c++)
        f[c] = (float)(row * 8 + c + 1);
}

static void population_from_a_finer_raster(void **state)
{
    rt_ctx *ctx = *state;
    rti_io_init();
    char path[512];
    snprintf(path, sizeof(path), "%s/pop50.tif", dir);
    rti_grid_spec g = {0, 200, 50, 8, 4, "EPSG:28992"};
    assert_int_equal(
        rti_write_geotiff(ctx, path, &g, "EPSG:28992", RTI_FLOAT32, -1, "pop", "", fill_pop, NULL),
        RT_OK);
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%spopulation: {kind: raster, source: pop50.tif}\n", study_head);
    assert_int_equal(run_study(ctx, yaml, "raster", 0), RT_OK);
    assert_true(csv_value("raster", 3) == 528);
    /* 100 m cells: (0,0) 22, (0,1) 3+4+11+12 = 30, (1,0) 17+18+25+26 = 86.
     * Times: (0,1) and (1,0) 10 s, every other cell but (0,0) more than
     * 12 s ((1,1) 14.1 s), so beyond 0.2 min: 528 - 22 - 30 - 86 = 390. */
    assert_true(csv_value("raster", 15) == 390);
    /* the same raster 10 km east, beside the grid: a warning, not silence */
    snprintf(path, sizeof(path), "%s/pop_far.tif", dir);
    g.x0 = 10000;
    assert_int_equal(
        rti_write_geotiff(ctx, path, &g, "EPSG:28992", RTI_FLOAT32, -1, "pop", "", fill_pop, NULL),
        RT_OK);
    snprintf(yaml, sizeof(yaml), "%spopulation: {kind: raster, source: pop_far.tif}\n", study_head);
    logbuf warnings = {""};
    rt_ctx_set_log(ctx, keep_log, &warnings);
    assert_int_equal(run_study(ctx, yaml, "raster_far", 0), RT_OK);
    rt_ctx_set_log(ctx, NULL, NULL);
    if (!strstr(warnings.text, "population: nobody lives on the grid ("))
        fail_msg("warnings: %s", warnings.text);
}

/* A speed raster of 36 km/h on a coarser 200 m grid, resampled (nearest)
 * onto the 100 m analysis grid, gives the same times as the speed model of
 * the same speed: 10 s per axial step. Population: the polygons above. */
static void fill_speed(int32_t row, void *buf, void *user)
{
    (void)row;
    (void)user;
    float *f = buf;
    for (int c = 0; c < 2; c++)
        f[c] = 36.0f;
}

static void speed_raster_medium(void **state)
{
    rt_ctx *ctx = *state;
    rti_io_init();
    char path[512];
    snprintf(path, sizeof(path), "%s/speed.tif", dir);
    rti_grid_spec g = {0, 200, 200, 2, 1, "EPSG:28992"};
    assert_int_equal(rti_write_geotiff(ctx, path, &g, "EPSG:28992", RTI_FLOAT32, -1, "speed",
                                       "km/h", fill_speed, NULL),
                     RT_OK);
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%s",
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
             "medium: {type: speed, raster: speed.tif}\n"
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: facility.geojson\n"
             "    norms: {minutes: [0.2]}\n"
             "regions:\n"
             "  - {name: gemeente, source: region.geojson, id_column: code}\n"
             "population: {kind: polygons, source: pop_polygons.geojson, count_column: n}\n");
    assert_int_equal(run_study(ctx, yaml, "speed", 0), RT_OK);
    const double step = (double)(3.6f / 36.0f) * 100.0;
    double want_mean = (25 * (0 + step + step + step * sqrt(2.0)) + 7 * 3 * step) / 107 / 60;
    assert_true(fabs(csv_value("speed", 7) - want_mean) < 1e-6);
    assert_true(csv_value("speed", 15) == 32);
}

/* The nearest job through the library: a friction raster of 0.1 s/m on a
 * 4 x 2 grid of 100 m and the facility at the centre of cell (0, 0): the
 * farthest cell (1, 3) is a knight step and an axial step away,
 * 0.1 x (sqrt(5) + 1) x 100 s. The result struct gets what the job did and
 * nothing the job does not set (grid mode: no graph figures), and a
 * result or options struct of a size this library does not know is
 * refused before anything is read or written. */
static void fill_friction(int32_t row, void *buf, void *user)
{
    (void)row;
    (void)user;
    float *f = buf;
    for (int c = 0; c < 4; c++)
        f[c] = 0.1f;
}

static void nearest_through_the_library(void **state)
{
    rt_ctx *ctx = *state;
    rti_io_init();
    char fr[512], fac[512], out[512];
    snprintf(fr, sizeof(fr), "%s/friction.tif", dir);
    snprintf(fac, sizeof(fac), "%s/facility.geojson", dir);
    snprintf(out, sizeof(out), "%s/nearest.tif", dir);
    rti_grid_spec g = {0, 200, 100, 4, 2, "EPSG:28992"};
    assert_int_equal(rti_write_geotiff(ctx, fr, &g, "EPSG:28992", RTI_FLOAT32, -1, "friction",
                                       "s/m", fill_friction, NULL),
                     RT_OK);
    rt_nearest_opts o;
    rt_nearest_opts_init(&o);
    o.friction_path = fr;
    o.facilities_path = fac;
    o.out_path = out;
    rt_nearest_result r;
    rt_nearest_result_init(&r);
    r.graph_s = 99, r.n_nodes = 99, r.n_reached = 99; /* left over from the caller */
    size_t good = r.struct_size;
    r.struct_size = good + 8;
    assert_int_equal(rt_nearest_run(ctx, &o, &r), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "rt_nearest_result"));
    assert_int_equal(access(out, F_OK), -1);
    r.struct_size = good;
    o.struct_size = 5;
    assert_int_equal(rt_nearest_run(ctx, &o, &r), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "rt_nearest_opts"));
    rt_nearest_opts_init(&o);
    o.friction_path = fr;
    o.facilities_path = fac;
    o.out_path = out;
    assert_int_equal(rt_nearest_run(ctx, &o, &r), RT_OK);
    assert_int_equal(r.n_facilities, 1);
    assert_int_equal(r.n_snapped, 0);
    assert_int_equal(r.n_dropped, 0);
    assert_true(r.core_s >= 0);
    assert_true(r.graph_s == 0 && r.n_nodes == 0 && r.n_reached == 0);
    float *t = NULL;
    rti_grid_spec back;
    assert_int_equal(rti_raster_read_native(ctx, out, 1, &back, NULL, &t), RT_OK);
    double want = (double)0.1f * (sqrt(5.0) + 1.0) * 100.0;
    assert_true(fabs(t[7] - want) < 1e-3);
    assert_true(t[0] == 0.0f);
    free(t);
    char *json = rt_nearest_json(ctx, &o, &r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"facilities_read\": 1"));
    free(json);
    r.struct_size = good + 8;
    assert_null(rt_nearest_json(ctx, &o, &r));
    /* the output may not be an input: refused before anything is read */
    remove(out);
    o.out_path = fac;
    r.struct_size = good;
    assert_int_equal(rt_nearest_run(ctx, &o, NULL), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "would overwrite the facilities file"));
}

/* A NULL context, study or options is refused with RT_E_ARG, never
 * dereferenced; the init functions accept NULL. */
static void null_arguments(void **state)
{
    (void)state;
    rt_run_opts ro;
    rt_run_opts_init(&ro);
    rt_compare_opts co;
    rt_compare_opts_init(&co);
    rt_nearest_opts no;
    rt_nearest_opts_init(&no);
    rt_batch_opts bo;
    rt_batch_opts_init(&bo);
    rt_batch *b = NULL;
    char *summary = NULL;
    assert_int_equal(rt_study_run(NULL, NULL, &ro), RT_E_ARG);
    assert_int_equal(rt_compare_runs(NULL, &co, &summary), RT_E_ARG);
    assert_int_equal(rt_nearest_run(NULL, &no, NULL), RT_E_ARG);
    assert_int_equal(rt_batch_run(NULL, &bo, &b), RT_E_ARG);
    assert_int_equal(rt_batch_merge(NULL, "/nonexistent", &b), RT_E_ARG);
    assert_null(b);
    assert_null(summary);
    rt_ctx *ctx = rt_ctx_create();
    assert_int_equal(rt_study_run(ctx, NULL, &ro), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "no study"));
    rt_ctx_destroy(ctx);
    rt_run_opts_init(NULL);
    rt_compare_opts_init(NULL);
    rt_nearest_opts_init(NULL);
    rt_nearest_result_init(NULL);
    rt_batch_opts_init(NULL);
    rt_info_init(NULL);
}

/* Two facilities with one id of the id_column: warned, naming the id;
 * three distinct ids: no warning. */
static void shared_facility_ids_are_warned(void **state)
{
    rt_ctx *ctx = *state;
    for (int shared = 0; shared <= 1; shared++) {
        char json[1024];
        snprintf(json, sizeof(json),
                 "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                 "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, \"geometry\": "
                 "{\"type\": \"Point\", \"coordinates\": [50, 150]}},"
                 "{\"type\": \"Feature\", \"properties\": {\"ref\": \"%s\"}, \"geometry\": "
                 "{\"type\": \"Point\", \"coordinates\": [150, 150]}},"
                 "{\"type\": \"Feature\", \"properties\": {\"ref\": \"C\"}, \"geometry\": "
                 "{\"type\": \"Point\", \"coordinates\": [250, 150]}}]}",
                 shared ? "A" : "B");
        write_text("shared.geojson", json);
        char yaml[2048];
        snprintf(yaml, sizeof(yaml),
                 "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                 "medium: {type: speed_model, offroad_kmh: 36}\n"
                 "facilities:\n"
                 "  - type: huisarts\n"
                 "    source: shared.geojson\n"
                 "    id_column: ref\n"
                 "    norms: {minutes: [0.2]}\n"
                 "regions:\n"
                 "  - {name: gemeente, source: region.geojson, id_column: code}\n");
        logbuf warnings = {""};
        rt_ctx_set_log(ctx, keep_log, &warnings);
        assert_int_equal(run_study(ctx, yaml, shared ? "shared" : "distinct", 0), RT_OK);
        rt_ctx_set_log(ctx, NULL, NULL);
        const char *w = strstr(warnings.text, "facilities 'huisarts': 1 id of column 'ref' belongs "
                                              "to more than one facility (first: 'A', 2 "
                                              "facilities)");
        if (shared ? !w : strstr(warnings.text, "more than one facility") != NULL)
            fail_msg("shared %d, warnings: %s", shared, warnings.text);
    }
}

static void validate_only_writes_nothing(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%s", study_head);
    assert_int_equal(run_study(*state, yaml, "validated", 1), RT_OK);
    assert_false(exists("validated", ""));
}

static int cancel_at_search(double fraction, const char *stage, void *user)
{
    (void)fraction;
    (void)user;
    return strcmp(stage, "search") != 0;
}

static void cancel_leaves_nothing(void **state)
{
    rt_ctx *ctx = *state;
    rt_ctx_set_progress(ctx, cancel_at_search, NULL);
    assert_int_equal(run_study(ctx, study_head, "cancelled", 0), RT_E_CANCELLED);
    rt_ctx_set_progress(ctx, NULL, NULL);
    assert_false(exists("cancelled", ""));
}

/* An input modified while the run reads it (here at the search: the
 * facilities file touched) may not be what the run read: run.json lists it
 * without a checksum, marked changed_during_run, and says so in a warning;
 * the regions file, untouched, keeps its checksum. */
static int touch_facilities_at_search(double fraction, const char *stage, void *user)
{
    (void)fraction;
    (void)user;
    char path[512];
    snprintf(path, sizeof(path), "%s/facility.geojson", dir);
    if (strcmp(stage, "search") == 0)
        assert_int_equal(utimensat(AT_FDCWD, path, NULL, 0), 0);
    return 1;
}

static void an_input_changed_during_the_run_has_no_checksum(void **state)
{
    rt_ctx *ctx = *state;
    static logbuf warnings;
    rt_ctx_set_progress(ctx, touch_facilities_at_search, NULL);
    rt_ctx_set_log(ctx, keep_log, &warnings);
    assert_int_equal(run_study(ctx, study_head, "touched", 0), RT_OK);
    rt_ctx_set_log(ctx, NULL, NULL);
    rt_ctx_set_progress(ctx, NULL, NULL);
    if (!strstr(warnings.text, "facility.geojson: facilities.huisarts was modified while the "
                               "run read it"))
        fail_msg("warnings: %s", warnings.text);
    char *json = read_file("touched", "run.json");
    assert_non_null(json);
    const char *fac = strstr(json, "facility.geojson\"");
    const char *reg = strstr(json, "region.geojson\"");
    assert_non_null(fac);
    assert_non_null(reg);
    const char *fac_end = strchr(fac, '}'), *reg_end = strchr(reg, '}');
    const char *changed = strstr(fac, "\"changed_during_run\":true"), *sum = strstr(fac, "sha256");
    assert_true(changed && changed < fac_end);
    assert_false(sum && sum < fac_end);
    sum = strstr(reg, "sha256");
    assert_true(sum && sum < reg_end);
}

/* While another process holds the output folder's lock (here the test,
 * as a run writing there would), a run into it is refused before it
 * writes or removes anything; once the lock is gone it runs. */
static void a_folder_another_run_writes_into_is_refused(void **state)
{
    rt_ctx *ctx = *state;
    char out[512];
    snprintf(out, sizeof(out), "%s/locked", dir);
    assert_int_equal(mkdir(out, 0777), 0);
    int fd = open(out, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    assert_int_equal(run_study(ctx, study_head, "locked", 0), RT_E_IO);
    if (!strstr(rt_ctx_errmsg(ctx), "locked: another reistijd process is writing into this "
                                    "folder now"))
        fail_msg("%s", rt_ctx_errmsg(ctx));
    assert_false(exists("locked", "run.json"));
    close(fd);
    assert_int_equal(run_study(ctx, study_head, "locked", 0), RT_OK);
    assert_true(exists("locked", "run.json"));
}

/* At the search, a folder takes the place of the earlier run's
 * huisarts_facility.tif, so that the commit's rename of the new one fails
 * after huisarts_time_min.tif, before it in run.json's list, was
 * replaced. The earlier run.json is gone then: no run.json describes the
 * mixed folder (it was left in place, listing the earlier run's inputs
 * over a new grid). */
static int block_grid_at_search(double fraction, const char *stage, void *user)
{
    (void)fraction;
    const char *out = user;
    char path[640];
    snprintf(path, sizeof(path), "%s/huisarts_facility.tif", out);
    if (strcmp(stage, "search") == 0 && unlink(path) == 0)
        assert_int_equal(mkdir(path, 0777), 0);
    return 1;
}

static void a_commit_cut_short_leaves_no_run_json(void **state)
{
    rt_ctx *ctx = *state;
    char out[512], path[640];
    snprintf(out, sizeof(out), "%s/half", dir);
    assert_int_equal(run_study(ctx, study_head, "half", 0), RT_OK);
    assert_true(exists("half", "run.json"));
    rt_ctx_set_progress(ctx, block_grid_at_search, out);
    assert_int_equal(run_study(ctx, study_head, "half", 0), RT_E_IO);
    rt_ctx_set_progress(ctx, NULL, NULL);
    if (!strstr(rt_ctx_errmsg(ctx),
                "huisarts_facility.tif: cannot move the finished file into place"))
        fail_msg("%s", rt_ctx_errmsg(ctx));
    assert_false(exists("half", "run.json"));
    assert_true(exists("half", "huisarts_time_min.tif"));
    snprintf(path, sizeof(path), "%s/huisarts_facility.tif", out);
    assert_int_equal(rmdir(path), 0);
}

/* report.html cannot be written (a folder holds its temporary name): the run
 * fails with RT_E_IO naming the file, and no output appears in the folder. */
static void unwritable_report_fails_the_run_and_leaves_nothing(void **state)
{
    rt_ctx *ctx = *state;
    char out[512], block[640];
    snprintf(out, sizeof(out), "%s/blocked", dir);
    assert_int_equal(mkdir(out, 0777), 0);
    snprintf(block, sizeof(block), "%s/.tmp-%ld-report.html", out, (long)getpid());
    assert_int_equal(mkdir(block, 0777), 0);
    assert_int_equal(run_study(ctx, study_head, "blocked", 0), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "report.html"));
    /* only the blocking folder is left: no GeoTIFF, table, style or run.json */
    DIR *d = opendir(out);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            if (strcmp(e->d_name, block + strlen(out) + 1) != 0)
                fail_msg("%s left in the output folder", e->d_name);
            n++;
        }
    closedir(d);
    assert_int_equal(n, 1);
    rmdir(block);
}

/* What the progress callback saw: 0.5 formatted in the locale it ran in. */
static int progress_decimal(double fraction, const char *stage, void *user)
{
    (void)fraction;
    (void)stage;
    snprintf(user, 16, "%.1f", 0.5);
    return 1;
}

/* A host in a Dutch locale (LC_NUMERIC nl_NL: a decimal comma) gets the
 * same files as one in the C locale, on two threads with two facility
 * types (one searched on a thread the run starts): the study's 0.2
 * minutes are read as 0.2, not refused or read as 0, and the tables,
 * styles and report are written with points. The host's progress
 * callback still runs in its own locale, and its LC_NUMERIC is still
 * Dutch after the run (libspatialite, which GDAL loads for the
 * GeoPackage, sets the process's to POSIX). The locale is made with localedef
 * (package locales) in the test's folder. */
static void a_dutch_locale_changes_nothing(void **state)
{
    rt_ctx *ctx = *state;
    char loc[512], cmd[1024];
    snprintf(loc, sizeof(loc), "%s/locale", dir);
    assert_int_equal(mkdir(loc, 0755), 0);
    snprintf(cmd, sizeof(cmd), "localedef -i nl_NL -f UTF-8 '%s/nl_NL.UTF-8' >/dev/null 2>&1", loc);
    if (system(cmd) != 0)
        fail_msg("localedef cannot make nl_NL.UTF-8 (Debian package locales)");
    static const char yaml[] =
        "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
        "medium: {type: speed_model, offroad_kmh: 36}\n"
        "facilities:\n"
        "  - {type: huisarts, source: facility.geojson, norms: {minutes: [0.2]}}\n"
        "  - {type: school, source: facility.geojson, norms: {minutes: [0.3]}}\n"
        "regions:\n"
        "  - {name: gemeente, source: region.geojson, id_column: code}\n"
        "population: {kind: polygons, source: pop_polygons.geojson, count_column: n}\n";
    rt_ctx_set_threads(ctx, 2);
    char seen_c[16] = "", seen_nl[16] = "";
    rt_ctx_set_progress(ctx, progress_decimal, seen_c);
    rt_status st_c = run_study(ctx, yaml, "in-c", 0);
    assert_int_equal(setenv("LOCPATH", loc, 1), 0);
    const int nl = setlocale(LC_NUMERIC, "nl_NL.UTF-8") != NULL;
    char comma[16];
    snprintf(comma, sizeof(comma), "%.1f", 0.5);
    rt_ctx_set_progress(ctx, progress_decimal, seen_nl);
    rt_status st_nl = nl ? run_study(ctx, yaml, "in-nl", 0) : RT_E_ARG;
    char after[16]; /* the host's locale after the run */
    snprintf(after, sizeof(after), "%.1f", 0.5);
    setlocale(LC_NUMERIC, "C"); /* back before any check can fail */
    unsetenv("LOCPATH");
    rt_ctx_set_progress(ctx, NULL, NULL);
    rt_ctx_set_threads(ctx, 0);
    if (!nl)
        fail_msg("setlocale(LC_NUMERIC, nl_NL.UTF-8) failed with LOCPATH=%s", loc);
    assert_string_equal(comma, "0,5"); /* the locale was in force */
    assert_string_equal(after, "0,5"); /* and still is */
    assert_int_equal(st_c, RT_OK);
    if (st_nl != RT_OK)
        fail_msg("in nl_NL: %s (%s)", rt_status_str(st_nl), rt_ctx_errmsg(ctx));
    assert_string_equal(seen_c, "0.5");
    assert_string_equal(seen_nl, "0,5"); /* the callback in the host's locale */
    static const char *const files[] = {"gemeente.csv", "huisarts_time_min.qml",
                                        "school_time_min.qml", "report.html"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        same_bytes("in-c", "in-nl", files[i], (int)i);
    assert_true(csv_value("in-nl", 15) == 32); /* beyond 0.2 min, as in population_from_polygons */
}

/* Fail each allocation made through the context in turn: every failure must
 * come back as RT_E_NOMEM with nothing written and nothing leaked
 * (run_alloc_fail.h); the network and hybrid media are run the same way in
 * test_run_network.c. */
/* Nine facility types of eight norms each, 1 to 72 minutes: 72 distinct
 * norms, each a pair of columns (population, share) of the region table,
 * 144 in all, the last beyond_72min (the table held 64 norms before and
 * left the others out without a word). */
static void every_norm_has_its_columns(void **state)
{
    char yaml[8192];
    int len = snprintf(yaml, sizeof(yaml), "%s",
                       "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                       "medium: {type: speed_model, offroad_kmh: 36}\n"
                       "facilities:\n");
    for (int t = 0; t < 9; t++) {
        len += snprintf(yaml + len, sizeof(yaml) - (size_t)len,
                        "  - type: t%d\n    source: facility.geojson\n    norms: {minutes: [", t);
        for (int k = 1; k <= 8; k++)
            len += snprintf(yaml + len, sizeof(yaml) - (size_t)len, "%s%d", k > 1 ? ", " : "",
                            8 * t + k);
        len += snprintf(yaml + len, sizeof(yaml) - (size_t)len, "]}\n");
    }
    snprintf(yaml + len, sizeof(yaml) - (size_t)len,
             "regions:\n  - {name: gemeente, source: region.geojson, id_column: code}\n");
    assert_int_equal(run_study(*state, yaml, "norms72", 0), RT_OK);
    char *text = read_file("norms72", "gemeente.csv"); /* a static buffer */
    assert_non_null(text);
    *strchr(text, '\n') = '\0';
    int beyond = 0;
    for (const char *p = text; (p = strstr(p, ",beyond_")) != NULL; p++)
        beyond++;
    assert_int_equal(beyond, 144);
    assert_non_null(strstr(text, ",beyond_72min_population,beyond_72min_share"));
}

static void allocation_failures_are_clean(void **state)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml),
             "%spopulation: {kind: polygons, source: pop_edge.geojson, count_column: n}\n",
             study_head);
    assert_true(run_allocation_failures(*state, yaml) > 10);
}

/* A norm of 0.41 minutes (24.599999999999998 s once times 60) and a cell
 * one step of 49.2 m at 7.2 km/h (0.5 s/m: 24.6 s) from the facility: at
 * the norm by arithmetic, so within it in every output alike. Three cells
 * of one person, the facility in the first: times 0, 24.6 and 49.2 s, so
 * 1 person (33.3 %) beyond, in the region table, the report's overview
 * table and its key figures. */
static void a_decimal_norm_is_within_alike_everywhere(void **state)
{
    write_text("d_region.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
               "\"Feature\", \"properties\": {\"code\": \"R1\"}, \"geometry\": {\"type\": "
               "\"Polygon\", \"coordinates\": [[[0, 0], [147.6, 0], [147.6, 49.2], [0, 49.2], "
               "[0, 0]]]}}]}");
    write_text("d_facility.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
               "\"Feature\", \"properties\": {\"ref\": \"A\"}, \"geometry\": {\"type\": "
               "\"Point\", \"coordinates\": [24.6, 24.6]}}]}");
    write_text("d_pop.geojson", "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
                                "{\"type\": \"Feature\", \"properties\": {\"n\": 1}, \"geometry\": "
                                "{\"type\": \"Point\", \"coordinates\": [24.6, 24.6]}},"
                                "{\"type\": \"Feature\", \"properties\": {\"n\": 1}, \"geometry\": "
                                "{\"type\": \"Point\", \"coordinates\": [73.8, 24.6]}},"
                                "{\"type\": \"Feature\", \"properties\": {\"n\": 1}, \"geometry\": "
                                "{\"type\": \"Point\", \"coordinates\": [123, 24.6]}}]}");
    const char yaml[] =
        "study: {cell_size_m: 49.2, extent_buffer_m: 0, neighbours: 8}\n"
        "medium: {type: speed_model, offroad_kmh: 7.2}\n"
        "facilities:\n"
        "  - {type: huisarts, source: d_facility.geojson, id_column: ref, norms: {minutes: "
        "0.41}}\n"
        "population: {kind: points, source: d_pop.geojson, count_column: n}\n"
        "regions:\n"
        "  - {name: gemeente, source: d_region.geojson, id_column: code}\n";
    assert_true(0.41 * 60.0 < 49.2 * 0.5); /* the case */
    if (run_study(*state, yaml, "decimal", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(*state));
    assert_true(csv_named("decimal", "gemeente.csv", "R1", "beyond_0.41min_population") == 1);
    char *html = read_out_file("decimal", "report.html");
    assert_non_null(html);
    if (!strstr(html, "<li>huisarts: 1 inhabitant (33.3 %) farther than 0.41min from the "
                      "nearest facility; the most of them in R1: 1, 33.3 % of the inhabitants "
                      "there.</li>") ||
        !strstr(html, "<td class=\"t\">0.41&nbsp;min</td><td>66.7 %</td><td>1</td>"))
        fail_msg("the overview counts otherwise: %.900s", strstr(html, "<ul class=\"key\">"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(population_from_polygons),
        cmocka_unit_test(population_polygon_over_the_grid_edge),
        cmocka_unit_test(population_from_a_finer_raster),
        cmocka_unit_test(speed_raster_medium),
        cmocka_unit_test(nearest_through_the_library),
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(shared_facility_ids_are_warned),
        cmocka_unit_test(validate_only_writes_nothing),
        cmocka_unit_test(cancel_leaves_nothing),
        cmocka_unit_test(a_commit_cut_short_leaves_no_run_json),
        cmocka_unit_test(a_folder_another_run_writes_into_is_refused),
        cmocka_unit_test(an_input_changed_during_the_run_has_no_checksum),
        cmocka_unit_test(unwritable_report_fails_the_run_and_leaves_nothing),
        cmocka_unit_test(a_dutch_locale_changes_nothing),
        cmocka_unit_test(every_norm_has_its_columns),
        cmocka_unit_test(a_decimal_norm_is_within_alike_everywhere),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
