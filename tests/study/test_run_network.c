/* rt_study_run with medium type network on a hand-drawn road network:
 * per-cell times and region statistics worked out by hand below, car
 * against walk (a one-way street), a cell beyond the access distance, a
 * cell on the same edge as a facility, thread determinism and bad input;
 * the network against the raster medium on the same roads (straight roads
 * at four angles, a bend), with the differences worked out from the
 * 16-neighbour geometry; on a real OSM extract, every cell's time against a
 * brute-force second method. */
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
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include "core/ctx_internal.h"
#include "core/roadnet.h"
#include "io/io.h"
#include "reistijd/rt_study.h"
#include "study/medium/medium.h"
#include "study_fixture.h"

#include "run_alloc_fail.h" /* after study_fixture.h */
#include "test_common.h"

#define FC(features)                                                                               \
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [" features "]}"
#define LINE(props, coords)                                                                        \
    "{\"type\": \"Feature\", \"properties\": {" props "}, \"geometry\": {\"type\": "               \
    "\"LineString\", \"coordinates\": [" coords "]}}"
#define POINT(props, x, y)                                                                         \
    "{\"type\": \"Feature\", \"properties\": {" props "}, \"geometry\": {\"type\": \"Point\", "    \
    "\"coordinates\": [" #x ", " #y "]}}"

/* The network (all roads 36 km/h = 10 m/s):
 *
 *   n0 (0,130) --A-- n1 (300,130) --C (one-way for cars, east)--> n2 (500,130)
 *                      ^                                           |
 *                      +------ D (860 m: down to y = -200 and back) +
 *
 * A: 300 m, 30 s, both ways; C: 200 m, 20 s, cars only from n1 to n2;
 * D: n2 -> (500,-200) -> (300,-200) -> n1, 860 m, 86 s, both ways.
 * The interior vertices of D are shared with no other line: three nodes. */
static const char roads_json[] =
    FC(LINE("\"kmh\": 36, \"oneway\": \"no\"", "[0, 130], [300, 130]") "," LINE(
        "\"kmh\": 36, \"oneway\": \"yes\"",
        "[300, 130], [500, 130]") "," LINE("\"kmh\": 36, \"oneway\": \"no\"",
                                           "[500, 130], [500, -200], [300, -200], [300, 130]"));

/* F1 10 m off A at x = 20; F2 10 m off C at x = 320 (frac 0.1); F3 65 m
 * from A, beyond the access distance of 40 m: left out with a warning. */
static const char fac_json[] = FC(POINT("\"ref\": \"F1\"", 20, 140) "," POINT(
    "\"ref\": \"F2\"", 320, 140) "," POINT("\"ref\": \"F3\"", 150, 195));

/* One region, one row of six 100 m cells: centres (50 + 100 k, 150). */
static const char region_json[] =
    FC("{\"type\": \"Feature\", \"properties\": {\"code\": \"R1\"}, \"geometry\": {\"type\": "
       "\"Polygon\", \"coordinates\": [[[0, 100], [600, 100], [600, 200], [0, 200], [0, 100]]]}}");

/* 10 persons at each cell centre. */
static const char pop_json[] =
    FC(POINT("\"n\": 10", 50, 150) "," POINT("\"n\": 10", 150, 150) "," POINT(
        "\"n\": 10", 250, 150) "," POINT("\"n\": 10", 350,
                                         150) "," POINT("\"n\": 10", 450,
                                                        150) "," POINT("\"n\": 10", 550, 150));

static const char study_fmt[] = "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
                                "medium:\n"
                                "  type: network\n"
                                "  roads: %s\n"
                                "  format: lines\n"
                                "  speed_column: kmh\n"
                                "  oneway_column: oneway\n"
                                "  mode: %s\n"
                                "  access: {speed_kmh: 3.6, max_distance_m: 40}\n"
                                "%s"
                                "facilities:\n"
                                "  - type: huisarts\n"
                                "    source: %s\n"
                                "    id_column: ref\n"
                                "    norms: {minutes: [1]}\n"
                                "population: {kind: points, source: pop.geojson, count_column: n}\n"
                                "regions:\n"
                                "  - {name: gemeente, source: region.geojson, id_column: code}\n"
                                "%s";

static int setup(void **state)
{
    fixture_mkdir("rt-net");
    write_text("roads.geojson", roads_json);
    write_text("fac.geojson", fac_json);
    write_text("region.geojson", region_json);
    write_text("pop.geojson", pop_json);
    write_text("empty.geojson", FC(""));
    write_text("far.geojson", FC(POINT("\"ref\": \"X\"", 150, 195)));
    *state = rt_ctx_create();
    return 0;
}

static rt_status run_yaml(rt_ctx *ctx, const char *yaml, const char *out, logbuf *log)
{
    if (log) {
        log->text[0] = '\0';
        rt_ctx_set_log(ctx, keep_log, log);
    }
    rt_status st = run_study(ctx, yaml, out, 0);
    rt_ctx_set_log(ctx, NULL, NULL);
    return st;
}

static rt_status run_net(rt_ctx *ctx, const char *mode, const char *extra, const char *out,
                         logbuf *log)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", mode, extra, "fac.geojson", "");
    return run_yaml(ctx, yaml, out, log);
}

static double csv_value(const char *out, int col)
{
    char path[512], line[4096];
    snprintf(path, sizeof(path), "%s/%s/gemeente.csv", dir, out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f));
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

static void expect_minutes(const double *got, const double *want_s, int n)
{
    for (int i = 0; i < n; i++) {
        if (isinf(want_s[i])) {
            assert_true(isnan(got[i]));
            continue;
        }
        if (fabs(got[i] - want_s[i] / 60.0) > 1e-5)
            fail_msg("cell %d: %.6f min, expected %.6f", i, got[i], want_s[i] / 60.0);
    }
}

/* The six cells of grid OUT/NAME (minutes) against want_s (seconds). */
static void expect_grid(rt_ctx *ctx, const char *out, const char *name, const double *want_s)
{
    double got[6];
    read_grid_values(ctx, out, name, got, 6);
    expect_minutes(got, want_s, 6);
}

static int exists(const char *out)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, out);
    return stat(path, &st) == 0;
}

/* Access legs at 1 m/s: every cell centre is 20 m from its road (20 s);
 * cell 5 (550,150) is 53.9 m from the nearest road, beyond 40 m.
 * Facility sources (start time at the node = leg + share of the edge):
 *   F1 on A at frac 20/300, leg 10: n0 10 + 2 = 12, n1 10 + 28 = 38.
 *   F2 on C at frac 0.1, leg 10: n1 10 + 2 = 12; n2 (against C) walking
 *   only: 10 + 18 = 28.
 * Car, time from each node to its facilities: n0 F1 12, F2 30 + 12 = 42;
 * n1 F2 12, F1 38; n2 only through D: F2 86 + 12 = 98, F1 86 + 38 = 124.
 * Cells (leg 20 s), best of the two edge ends, the facilities on the same
 * edge, and a straight walk to a facility within 40 m:
 *   0 (A, x 50):  F1 on the edge 20 + 3 + 10 = 33, straight sqrt(30^2 + 10^2)
 *                 = sqrt(1000) = 31.62; F2 via n1 20 + 25 + 12 = 57
 *   1 (A, x 150): F1 on the edge 20 + 13 + 10 = 43; F2 via n1 20 + 15 + 12 = 47
 *   2 (A, x 250): F2 via n1 20 + 5 + 12 = 37; F1 on the edge 20 + 23 + 10 = 53
 *                 (F2 is 70.7 m away: no straight walk)
 *   3 (C, x 350): F2 behind it against the one-way: via n2 20 + 15 + 98 = 133,
 *                 but straight sqrt(1000) = 31.62; F1 20 + 15 + 124 = 159
 *   4 (C, x 450): via n2 20 + 5 + 98 = 123, F1 20 + 5 + 124 = 149
 *   5: unreachable.
 * Statistics (10 persons per cell, 50 reached): mean (2 sqrt(1000) + 43 +
 * 37 + 123) / 5 = 53.249 s; lower weighted median of 31.62 31.62 37 43 123
 * is 37 s, p90 123 s; beyond 1 min: cell 4 and the unreachable cell 5 = 20. */
static void car_times_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    logbuf log;
    assert_int_equal(run_net(ctx, "car", "", "car", &log), RT_OK);
    const double r1000 = sqrt(1000.0);
    const double want[6] = {r1000, 43, 37, r1000, 123, INFINITY};
    const double want2[6] = {57, 47, 53, 159, 149, INFINITY};
    expect_grid(ctx, "car", "huisarts_time_min.tif", want);
    expect_grid(ctx, "car", "huisarts_second_time_min.tif", want2);
    assert_true(csv_value("car", 3) == 60);
    assert_true(csv_value("car", 4) == 50);
    assert_true(csv_value("car", 5) == 10);
    assert_true(fabs(csv_value("car", 7) - (2 * r1000 + 43 + 37 + 123) / 5 / 60) < 1e-6);
    assert_true(fabs(csv_value("car", 8) - 37.0 / 60) < 1e-6);
    assert_true(fabs(csv_value("car", 9) - 123.0 / 60) < 1e-6);
    assert_true(csv_value("car", 15) == 20);
    /* the roads layer: per edge the time from either end (n0 12 s to F1;
     * n1 12 s to F2; n2 98 s to F2) and the facility of the better end
     * (A ties at 12 s: the lower facility index, F1) */
    char gpkg[512];
    snprintf(gpkg, sizeof(gpkg), "%s/car/reistijd.gpkg", dir);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "roads_huisarts");
    assert_non_null(lyr);
    assert_int_equal(OGR_L_GetFeatureCount(lyr, 1), 3);
    const double want_from[3] = {12, 12, 98}, want_to[3] = {12, 98, 12};
    const char *want_fac[3] = {"F1", "F2", "F2"}, *want_dir[3] = {"both", "along", "both"};
    OGRFeatureH f;
    for (int k = 0; (f = OGR_L_GetNextFeature(lyr)) != NULL; k++) {
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
        assert_true(fabs(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(d, "time_from_min")) -
                         want_from[k] / 60) < 1e-9);
        assert_true(fabs(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(d, "time_to_min")) -
                         want_to[k] / 60) < 1e-9);
        assert_string_equal(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "facility_id")),
                            want_fac[k]);
        assert_string_equal(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "direction")),
                            want_dir[k]);
        OGR_F_Destroy(f);
    }
    /* its default style in layer_styles: time_min in the classes of the
     * norm of 1 min (the reach 2: breaks 2, 0.5, 0.3 and the norm; 0.2 is
     * below 1 / 4; and an open class), 0.3 written as such */
    lyr = GDALDatasetGetLayerByName(ds, "layer_styles");
    assert_non_null(lyr);
    OGR_L_SetAttributeFilter(lyr, "f_table_name = 'roads_huisarts' AND useAsDefault = 1");
    assert_int_equal(OGR_L_GetFeatureCount(lyr, 1), 1);
    OGR_L_ResetReading(lyr);
    f = OGR_L_GetNextFeature(lyr);
    assert_non_null(f);
    OGRFeatureDefnH sd = OGR_L_GetLayerDefn(lyr);
    const char *qml = OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(sd, "styleQML"));
    assert_non_null(strstr(qml, "attr=\"time_min\""));
    assert_non_null(strstr(qml, "lower=\"0\" upper=\"0.3\""));
    assert_non_null(strstr(qml, "lower=\"0.3\" upper=\"0.5\""));
    assert_non_null(strstr(qml, "lower=\"0.5\" upper=\"1\""));
    assert_non_null(strstr(qml, "lower=\"1\" upper=\"2\""));
    assert_non_null(strstr(qml, "lower=\"2\" upper=\"1e+300\""));
    assert_non_null(strstr(qml, "<symbol type=\"line\""));
    assert_string_equal(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(sd, "f_geometry_column")),
                        "geom");
    OGR_F_Destroy(f);
    GDALClose(ds);
    /* F3 and the far cell are warned about */
    assert_non_null(strstr(log.text, "'F3'"));
    assert_non_null(strstr(log.text, "10 persons live in cells farther than"));
}

/* On foot C is two-way: n2 reaches F2 against C (28 s) and n1 through C
 * (20 + 38 = 58 for F1). Cells 0-2 as by car; then
 *   3 (C, frac 0.25): F2 on the edge, 30 m back: 20 + 3 + 10 = 33;
 *                     F1 via n1 20 + 5 + 38 = 63
 *   4 (C, frac 0.75): F2 on the edge 130 m back: 20 + 13 + 10 = 43;
 *                     F1 via n1 20 + 15 + 38 = 73 (via n2 20 + 5 + 58 = 83)
 * Mean (33 + 43 + 37 + 33 + 43) / 5 = 37.8 s; median of 33 33 37 43 43 is
 * 37 s, p90 43 s; beyond 1 min only the unreachable 10. */
/* An island: road E from (530, 170) to (580, 170), sharing no vertex with
 * the rest, with facility F4 at (560, 180). The far cell 5 (centre 550,
 * 150) now has E 20 m away: 20 s on foot at 1 m/s, 1 s along E to F4's
 * place (560, 170), 10 s to F4: 31 s. The other cells keep their times
 * (E is 80 m and more from them). Both F4 and the 10 persons of cell 5 are
 * warned about as attached to a part not connected to the largest. */
/* A region layer named like the GeoPackage layer of a type's roads
 * (roads_huisarts) is refused before the search, not when the GeoPackage
 * is written after it. */
static void a_region_named_like_a_roads_layer_is_refused(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "", "fac.geojson", "");
    char *at = strstr(yaml, "name: gemeente");
    assert_non_null(at);
    char fixed[4200];
    snprintf(fixed, sizeof(fixed), "%.*sname: roads_huisarts%s", (int)(at - yaml), yaml,
             at + strlen("name: gemeente"));
    assert_int_equal(run_yaml(ctx, fixed, "roadsname", NULL), RT_E_ARG);
    if (!strstr(rt_ctx_errmsg(ctx), "region layer 'roads_huisarts' has the name of the "
                                    "GeoPackage layer of facility type 'huisarts'"))
        fail_msg("%s", rt_ctx_errmsg(ctx));
}

static void island_is_named(void **state)
{
    rt_ctx *ctx = *state;
    write_text("roads_island.geojson",
               FC(LINE("\"kmh\": 36, \"oneway\": \"no\"", "[0, 130], [300, 130]") "," LINE(
                   "\"kmh\": 36, \"oneway\": \"yes\"",
                   "[300, 130], [500, 130]") "," LINE("\"kmh\": 36, \"oneway\": \"no\"",
                                                      "[500, 130], [500, -200], [300, -200], [300, "
                                                      "130]") "," LINE("\"kmh\": 36, \"oneway\": "
                                                                       "\"no\"",
                                                                       "[530, 170], [580, 170]")));
    write_text(
        "fac_island.geojson",
        FC(POINT("\"ref\": \"F1\"", 20, 140) "," POINT("\"ref\": \"F2\"", 320, 140) "," POINT(
            "\"ref\": \"F3\"", 150, 195) "," POINT("\"ref\": \"F4\"", 560, 180)));
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads_island.geojson", "car", "", "fac_island.geojson",
             "");
    logbuf log;
    assert_int_equal(run_yaml(ctx, yaml, "island", &log), RT_OK);
    /* as for the car (straight walks of sqrt(1000) s to F1 and F2); cell 5
     * reaches F4 over the island's road in 31 s, quicker than straight
     * (sqrt(10^2 + 30^2) m) */
    const double want[6] = {sqrt(1000.0), 43, 37, sqrt(1000.0), 123, 31};
    expect_grid(ctx, "island", "huisarts_time_min.tif", want);
    assert_non_null(strstr(log.text, "1 facility lies on roads in a part of the network not "
                                     "connected to its largest part and serves only the cells "
                                     "there: 'F4'"));
    assert_non_null(strstr(log.text, "10 persons live in cells whose nearest road lies in a part"));
}

/* The same study on both media: a straight road at 36 km/h through the
 * six cell centres (y = 150), the facility at the centre of cell 0.
 *  - network: every cell centre lies on the road (access leg 0), the
 *    facility too, so cell k is k x 100 m at 10 m/s = 10 k seconds;
 *  - raster (speed model, the road burned into the one row of cells,
 *    0.1 km/h elsewhere): a step between two road cells costs
 *    (0.1 + 0.1) / 2 s/m x 100 m = 10 s, and a single row allows no other
 *    move, so cell k is again 10 k seconds.
 * Both must give 0, 10, ..., 50 s; the raster's 16-neighbour stencil only
 * differs where roads turn (docs/methods.md). */
static void raster_and_network_agree_on_a_straight_road(void **state)
{
    rt_ctx *ctx = *state;
    write_text("road_line.geojson",
               FC(LINE("\"kmh\": 36, \"oneway\": \"no\"", "[50, 150], [550, 150]")));
    write_text("fac_line.geojson", FC(POINT("\"ref\": \"F1\"", 50, 150)));
    const char *tail = "facilities:\n"
                       "  - type: huisarts\n"
                       "    source: fac_line.geojson\n"
                       "    id_column: ref\n"
                       "    norms: {minutes: [1]}\n"
                       "population: {kind: points, source: pop.geojson, count_column: n}\n"
                       "regions:\n"
                       "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
             "medium:\n"
             "  type: network\n"
             "  roads: road_line.geojson\n"
             "  format: lines\n"
             "  speed_column: kmh\n"
             "  mode: car\n"
             "  access: {speed_kmh: 3.6, max_distance_m: 1}\n"
             "%s",
             tail);
    assert_int_equal(run_yaml(ctx, yaml, "agree_net", NULL), RT_OK);
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 16}\n"
             "medium:\n"
             "  type: speed_model\n"
             "  offroad_kmh: 0.1\n"
             "  roads: road_line.geojson\n"
             "  speed_column: kmh\n"
             "%s",
             tail);
    assert_int_equal(run_yaml(ctx, yaml, "agree_raster", NULL), RT_OK);
    double net[6], ras[6];
    const double want[6] = {0, 10, 20, 30, 40, 50};
    read_grid_values(ctx, "agree_net", "huisarts_time_min.tif", net, 6);
    read_grid_values(ctx, "agree_raster", "huisarts_time_min.tif", ras, 6);
    expect_minutes(net, want, 6);
    expect_minutes(ras, want, 6);
    for (int i = 0; i < 6; i++)
        assert_true(fabs(net[i] - ras[i]) < 1e-6);
}

/* Medium hybrid on the row of six 100 m cells. Over land 3.6 km/h (1 s/m,
 * 100 s from centre to centre); a road at 36 km/h from (250,150) to
 * (550,150), so the centres of cells 2..5 lie on it (legs of 0 m; the
 * access distance is 1 m, so cells 0 and 1 have no leg). The facility F1
 * is in cell 0, 200 m from the road: it is reached over land only.
 * From cell k over land: 100 k s. Cells 3..5 may ride to cell 2's place
 * (10 s per 100 m) and walk 200 s from there: 200 + 10 (k - 2).
 * Expected: 0, 100, 200, 210, 220, 230 s.
 * Then the land is cut to cells 0..2 (x < 300) and no population is given
 * (so the land mask holds): cells 3..5 cannot be entered over land but
 * keep their road times. */
static void hybrid_times_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    write_text("road_east.geojson",
               FC(LINE("\"kmh\": 36, \"oneway\": \"no\"", "[250, 150], [550, 150]")));
    write_text("fac_west.geojson", FC(POINT("\"ref\": \"F1\"", 50, 150)));
    write_text("land_west.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": "
                  "\"Polygon\", \"coordinates\": [[[0, 100], [300, 100], [300, 200], [0, 200], "
                  "[0, 100]]]}}"));
    static const char fmt[] = "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
                              "medium:\n"
                              "  type: hybrid\n"
                              "  roads: road_east.geojson\n"
                              "  format: lines\n"
                              "  speed_column: kmh\n"
                              "  mode: car\n"
                              "  access: {speed_kmh: 3.6, max_distance_m: 1}\n"
                              "  offroad: {type: speed_model, offroad_kmh: 3.6%s}\n"
                              "facilities:\n"
                              "  - type: huisarts\n"
                              "    source: fac_west.geojson\n"
                              "    id_column: ref\n"
                              "    norms: {minutes: [1]}\n"
                              "%s"
                              "regions:\n"
                              "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    char yaml[4096];
    logbuf log;
    snprintf(yaml, sizeof(yaml), fmt, "",
             "population: {kind: points, source: pop.geojson, count_column: n}\n");
    assert_int_equal(run_yaml(ctx, yaml, "hybrid", &log), RT_OK);
    const double want[6] = {0, 100, 200, 210, 220, 230};
    expect_grid(ctx, "hybrid", "huisarts_time_min.tif", want);
    assert_string_equal(log.text, "");
    /* mean over 60 persons (10 per cell): 960 / 6 = 160 s */
    assert_true(fabs(csv_value("hybrid", 7) - 160.0 / 60.0) < 1e-6);

    snprintf(yaml, sizeof(yaml), fmt, ", land: land_west.geojson", "");
    assert_int_equal(run_yaml(ctx, yaml, "hybrid_land", &log), RT_OK);
    expect_grid(ctx, "hybrid_land", "huisarts_time_min.tif", want);

    /* the network medium alone cannot use F1: 200 m from the road */
    char *o = strstr(yaml, "  offroad:");
    assert_non_null(o);
    memmove(o, strchr(o, '\n') + 1, strlen(strchr(o, '\n') + 1) + 1);
    char net[4096];
    char *t = strstr(yaml, "hybrid");
    snprintf(net, sizeof(net), "%.*snetwork%s", (int)(t - yaml), yaml, t + 6);
    assert_int_equal(run_yaml(ctx, net, "hybrid_as_network", NULL), RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "none of the 1 facilities"));
}

/* Cell i of a time grid (minutes) against want_s seconds. */
static void expect_cell(const double *grid, int i, double want_s)
{
    if (!(fabs(grid[i] - want_s / 60.0) <= 1e-5))
        fail_msg("cell %d: %.6f min, expected %.6f", i, grid[i], want_s / 60.0);
}

/* Runs one study on both media: the roads ROADS (36 km/h, two-way), one
 * facility at (50, 50), the region REGION; the network with access legs of
 * at most 1 m (only cells whose centre lies on a road are reached), the
 * raster as a speed model with 16 neighbours and 0.1 km/h off the roads.
 * net and ras get the n cells of each time grid (minutes). */
static void run_both_media(rt_ctx *ctx, const char *roads, const char *region, const char *out,
                           double *net, double *ras, int n)
{
    char tail[1024], yaml[4096], out_net[64], out_ras[64];
    write_text("fac_corner.geojson", FC(POINT("\"ref\": \"F\"", 50, 50)));
    snprintf(tail, sizeof(tail),
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: fac_corner.geojson\n"
             "    id_column: ref\n"
             "regions:\n"
             "  - {name: gemeente, source: %s, id_column: code}\n",
             region);
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
             "medium:\n"
             "  type: network\n"
             "  roads: %s\n"
             "  format: lines\n"
             "  speed_column: kmh\n"
             "  mode: car\n"
             "  access: {speed_kmh: 3.6, max_distance_m: 1}\n"
             "%s",
             roads, tail);
    snprintf(out_net, sizeof(out_net), "%s_net", out);
    assert_int_equal(run_yaml(ctx, yaml, out_net, NULL), RT_OK);
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 16}\n"
             "medium:\n"
             "  type: speed_model\n"
             "  offroad_kmh: 0.1\n"
             "  roads: %s\n"
             "  speed_column: kmh\n"
             "%s",
             roads, tail);
    snprintf(out_ras, sizeof(out_ras), "%s_raster", out);
    assert_int_equal(run_yaml(ctx, yaml, out_ras, NULL), RT_OK);
    read_grid_values(ctx, out_net, "huisarts_time_min.tif", net, n);
    read_grid_values(ctx, out_ras, "huisarts_time_min.tif", ras, n);
}

/* A fan of four straight roads from the facility F at (50, 50), over 9 x 5
 * cells of 100 m (row r has centre y = 450 - 100 r, col c x = 50 + 100 c).
 * On the network a cell whose centre lies on a road at distance d from F
 * takes d / 10 m/s. On the raster every move costs at least the road
 * friction (0.1 s/m) times its length, and no chain of moves is shorter
 * than the 16-neighbour distance between the centres, so the raster takes
 * at least 0.1 s/m x that distance, and exactly that when the chain runs
 * through road cells only:
 *  - 0° (east, y = 50), 45° (to (450, 450)) and atan(1/2) = 26.6° (to
 *    (850, 450)): the chain is straight, diagonal or knight moves along
 *    the road (a knight move's two middle cells are the two cells the line
 *    crosses between the centres, both burned in): raster = network,
 *    10 k, 10 sqrt(2) k and 10 sqrt(5) k seconds;
 *  - atan(1/4) = 14.0° (to (850, 250)), through the centres (450, 150) and
 *    (850, 250): an offset of (4, 1) cells is two straight moves and a
 *    knight move, (2 + sqrt 5) x 100 m, against sqrt(17) x 100 m along the
 *    road. The cells the line touches allow it (from (50, 50): east,
 *    knight over (250, 50) and (250, 150), east). Raster / network =
 *    (2 + sqrt 5) / sqrt 17 = 1.02741 at both centres. For a road at
 *    angle θ ≤ atan(1/2) this ratio is (1 + (sqrt 5 - 2) tan θ) /
 *    sqrt(1 + tan² θ), at most sqrt(1 + (sqrt 5 - 2)²) = 1.02749 (at
 *    θ = 13.3°). */
static void raster_and_network_on_roads_at_four_angles(void **state)
{
    rt_ctx *ctx = *state;
    write_text("roads_fan.geojson",
               FC(LINE("\"kmh\": 36", "[50, 50], [850, 50]") "," LINE(
                   "\"kmh\": 36",
                   "[50, 50], [850, "
                   "250]") "," LINE("\"kmh\": 36",
                                    "[50, 50], [850, 450]") "," LINE("\"kmh\": 36",
                                                                     "[50, 50], [450, 450]")));
    write_text("region_fan.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"code\": \"R1\"}, \"geometry\": "
                  "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [900, 0], [900, 500], [0, "
                  "500], [0, 0]]]}}"));
    double net[45], ras[45];
    run_both_media(ctx, "roads_fan.geojson", "region_fan.geojson", "fan", net, ras, 45);
    const double r2 = sqrt(2.0), r5 = sqrt(5.0), r17 = sqrt(17.0);
#define CELL(x, y) (((450 - (y)) / 100) * 9 + ((x)-50) / 100)
    for (int k = 0; k <= 8; k++) { /* east */
        expect_cell(net, CELL(50 + 100 * k, 50), 10.0 * k);
        expect_cell(ras, CELL(50 + 100 * k, 50), 10.0 * k);
    }
    for (int k = 1; k <= 4; k++) { /* 45° and atan(1/2) */
        expect_cell(net, CELL(50 + 100 * k, 50 + 100 * k), 10.0 * r2 * k);
        expect_cell(ras, CELL(50 + 100 * k, 50 + 100 * k), 10.0 * r2 * k);
        expect_cell(net, CELL(50 + 200 * k, 50 + 100 * k), 10.0 * r5 * k);
        expect_cell(ras, CELL(50 + 200 * k, 50 + 100 * k), 10.0 * r5 * k);
    }
    /* The grids hold float32 minutes (relative rounding 6e-8) of times made
     * with a float32 friction (0.1f, relative error 1.5e-8): a ratio of two
     * cells is good to about 2e-7, well inside 1e-6. */
    const double ratio = (2 + r5) / r17, bound = sqrt(1 + (r5 - 2) * (r5 - 2));
    for (int k = 1; k <= 2; k++) { /* atan(1/4) */
        int i = CELL(50 + 400 * k, 50 + 100 * k);
        expect_cell(net, i, 10.0 * r17 * k);
        expect_cell(ras, i, 10.0 * (2 + r5) * k);
        assert_true(fabs(ras[i] / net[i] - ratio) < 1e-6);
        assert_true(ras[i] / net[i] < bound);
    }
#undef CELL
    /* the network reaches only the 19 cells whose centre lies on a road
     * (9 east, 4 at 45°, 4 at atan(1/2), 2 at atan(1/4)), and the raster
     * is nowhere faster there */
    int reached = 0;
    for (int i = 0; i < 45; i++)
        if (!isnan(net[i])) {
            reached++;
            assert_true(ras[i] >= net[i] * (1 - 1e-6));
        }
    assert_int_equal(reached, 19);
}

/* An L-shaped road from F (50, 50) east to (550, 50), then north to
 * (550, 550), over 6 x 6 cells of 100 m (row r: y = 550 - 100 r). The
 * network follows the road: 10 k seconds to (50 + 100 k, 50), and
 * 50 + 10 j to (550, 50 + 100 j). The raster follows it up to the cell
 * before the bend, (450, 50) at 40 s, and then cuts the corner with one
 * diagonal move to (550, 150): a diagonal move counts only its two end
 * cells, both on the road, so it costs 10 sqrt(2) s, while the off-road
 * corner cell it passes is not counted. Every cell past the bend is
 * reached 20 - 10 sqrt(2) = 5.86 s sooner than on the network: (2 - sqrt
 * 2) x cell size / road speed. No other shortcut exists: every knight move
 * near the bend has an off-road middle cell (0.1 km/h), which costs more
 * than 900 s. */
static void raster_cuts_the_corner_of_a_bend(void **state)
{
    rt_ctx *ctx = *state;
    write_text("roads_l.geojson", FC(LINE("\"kmh\": 36", "[50, 50], [550, 50], [550, 550]")));
    write_text("region_l.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"code\": \"R1\"}, \"geometry\": "
                  "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [600, 0], [600, 600], [0, "
                  "600], [0, 0]]]}}"));
    double net[36], ras[36];
    run_both_media(ctx, "roads_l.geojson", "region_l.geojson", "bend", net, ras, 36);
    const double cut = 20 - 10 * sqrt(2.0);
    for (int k = 0; k <= 5; k++) { /* along the bottom row, up to the bend */
        expect_cell(net, 5 * 6 + k, 10.0 * k);
        expect_cell(ras, 5 * 6 + k, 10.0 * k);
    }
    for (int j = 1; j <= 5; j++) { /* up the last column */
        int i = (5 - j) * 6 + 5;
        expect_cell(net, i, 50.0 + 10 * j);
        expect_cell(ras, i, 50.0 + 10 * j - cut);
    }
    int reached = 0;
    for (int i = 0; i < 36; i++)
        reached += !isnan(net[i]);
    assert_int_equal(reached, 11); /* the 11 cells whose centre lies on the road */
}

static void expect_error(rt_ctx *ctx, const char *yaml, const char *out, rt_status want,
                         const char *needle);

static int cancel_in_medium(double fraction, const char *stage, void *user)
{
    (void)fraction;
    int *calls = user;
    return strcmp(stage, "medium") != 0 || ++*calls < 2; /* the first chunk's point stops it */
}

/* The attachment of the cells stops at its progress point when asked to,
 * and leaves no output; the roads and graph count against the budget once
 * they are read (the 6-cell grid alone needs a few hundred bytes). */
static void attachment_cancels_and_counts_the_graph(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096], path[512], outdir[512];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "", "fac.geojson", "");
    write_text("study.yaml", yaml);
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    snprintf(outdir, sizeof(outdir), "%s/cancelled", dir);
    rt_study *s = NULL;
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    int calls = 0;
    rt_ctx_set_progress(ctx, cancel_in_medium, &calls);
    rt_run_opts o;
    rt_run_opts_init(&o);
    o.outdir = outdir;
    assert_int_equal(rt_study_run(ctx, s, &o), RT_E_CANCELLED);
    assert_int_equal(calls, 2);
    assert_false(exists("cancelled"));
    rt_ctx_set_progress(ctx, NULL, NULL);
    rt_study_destroy(s);

    char limited[4200];
    snprintf(limited, sizeof(limited), "%s", yaml);
    char *p = strstr(limited, "extent_buffer_m: 0}");
    assert_non_null(p);
    snprintf(p, sizeof(limited) - (size_t)(p - limited),
             "extent_buffer_m: 0, memory_limit: 1 KB}%s",
             strstr(yaml, "extent_buffer_m: 0}") + strlen("extent_buffer_m: 0}"));
    expect_error(ctx, limited, "budget", RT_E_BUDGET, "a road network of 3 nodes and 3 edges");
}

/* Measures over the network, from the per-facility times of
 * car_times_by_hand (seconds; F1 / F2 per cell 0..5):
 *   F1: sqrt(1000) (straight walk), 43, 53, 159, 149, -
 *   F2: 57, 47, 37, sqrt(1000) (straight walk), 123, -
 * count within 0.75 min (45 s): 1, 1, 1, 1, 0, 0; within 1 min: 2, 2, 2,
 * 1, 0, 0; the second nearest within 3 min: 57, 47, 53, 159, 149 s and
 * none; linear gravity within 1 min: (1 - t1 / 60) + (1 - t2 / 60) over
 * the facilities within it. Per region (10 persons per cell): means 4 / 6
 * and 7 / 6 with 20 persons with none (cells 4 and 5); the second
 * nearest's mean 465 / 5 s over the cells with one, 10 persons with none.
 * By route length (the shortest route the car may take, legs at their
 * length): F1 sqrt(1000) m (on foot), 20 + 130 + 10 = 160, 20 + 230 + 10 =
 * 260, 20 + 150 + 860 + 280 + 10 = 1320, 20 + 50 + 860 + 280 + 10 = 1220;
 * F2 20 + 250 + 20 + 10 = 300, 20 + 150 + 20 + 10 = 200, 20 + 50 + 20 + 10
 * = 100, sqrt(1000) (on foot), 20 + 50 + 860 + 20 + 10 = 960 m. Within 0.25
 * km: 1, 2, 1, 1, 0, 0; the nearest: sqrt(1000), 160, 100, sqrt(1000), 960
 * m and none. */
static void car_measures_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "",
             "fac.geojson\n    measures: [{kind: count, cutoff: 0.75, name: count_45s}, "
             "{kind: count, cutoff: 1}, {kind: kth_nearest, k: 2, cutoff: 3}, "
             "{kind: gravity, cutoff: 1, decay_function: linear}, "
             "{kind: count, route_km: 0.25}, {kind: kth_nearest, k: 1, route_km: 2}]",
             "");
    assert_int_equal(run_yaml(ctx, yaml, "car_measures", NULL), RT_OK);
    const double r = sqrt(1000.0);
    const double c45[6] = {1, 1, 1, 1, 0, 0}, c60[6] = {2, 2, 2, 1, 0, 0};
    const double second_s[6] = {57, 47, 53, 159, 149, INFINITY};
    const double grav[6] = {(1 - r / 60) + (1 - 57.0 / 60),
                            (1 - 43.0 / 60) + (1 - 47.0 / 60),
                            (1 - 53.0 / 60) + (1 - 37.0 / 60),
                            1 - r / 60,
                            0,
                            0};
    double got[6];
    read_grid_values(ctx, "car_measures", "huisarts_count_45s.tif", got, 6);
    for (int i = 0; i < 6; i++)
        if (got[i] != c45[i])
            fail_msg("count within 45 s, cell %d: %g, want %g", i, got[i], c45[i]);
    read_grid_values(ctx, "car_measures", "huisarts_count_1min.tif", got, 6);
    for (int i = 0; i < 6; i++)
        if (got[i] != c60[i])
            fail_msg("count within 1 min, cell %d: %g, want %g", i, got[i], c60[i]);
    expect_grid(ctx, "car_measures", "huisarts_nearest_2_min.tif", second_s);
    read_grid_values(ctx, "car_measures", "huisarts_gravity.tif", got, 6);
    for (int i = 0; i < 6; i++)
        if (fabs(got[i] - grav[i]) > 1e-6)
            fail_msg("gravity, cell %d: %.7f, want %.7f", i, got[i], grav[i]);
    assert_true(fabs(csv_named("car_measures", "gemeente.csv", "R1", "count_45s_mean") - 4.0 / 6) <
                1e-9);
    assert_true(fabs(csv_named("car_measures", "gemeente.csv", "R1", "count_1min_mean") - 7.0 / 6) <
                1e-9);
    assert_true(csv_named("car_measures", "gemeente.csv", "R1", "count_1min_population_none") ==
                20);
    assert_true(fabs(csv_named("car_measures", "gemeente.csv", "R1", "nearest_2_min_mean") -
                     465.0 / 5 / 60) < 1e-9);
    assert_true(csv_named("car_measures", "gemeente.csv", "R1", "nearest_2_min_population_none") ==
                10);
    const double route_count[6] = {1, 2, 1, 1, 0, 0};
    const double route_km[6] = {r / 1000, 0.16, 0.1, r / 1000, 0.96, NAN};
    read_grid_values(ctx, "car_measures", "huisarts_count_route_0_25km.tif", got, 6);
    for (int i = 0; i < 6; i++)
        if (got[i] != route_count[i])
            fail_msg("count within 0.25 km by route, cell %d: %g, want %g", i, got[i],
                     route_count[i]);
    read_grid_values(ctx, "car_measures", "huisarts_nearest_1_route_km.tif", got, 6);
    for (int i = 0; i < 6; i++)
        if (!(fabs(got[i] - route_km[i]) < 1e-6) && !(isnan(got[i]) && isnan(route_km[i])))
            fail_msg("nearest by route, cell %d: %.7f km, want %.7f", i, got[i], route_km[i]);
}

/* Scenarios on the car network of car_times_by_hand (times in s):
 *  - sneller: road C (the one-way, selected by its oneway value) twice as
 *    fast, 10 s: F2 starts at n1 after 10 + 0.1 x 10 = 11; n2 is 86 + 11 =
 *    97 from it. Cells: 31.62 (on foot to F1), 43 (F1), 20 + 5 + 11 = 36,
 *    31.62 (on foot to F2), 20 + 2.5 + 97 = 119.5, none.
 *  - dicht: road C closed (its middle lies in the polygon). F2 joins road
 *    A at n1 instead (22.36 m = sqrt(500) away; A before D at that
 *    place), cells 3 and 4 lie more than 40 m from an open road: 31.62,
 *    43, 20 + 5 + sqrt(500), 31.62 (on foot), none, none.
 *  - terug: a new two-way road from n2 back to n1 at 36 km/h (20 s), its
 *    ends on those nodes: n2 is 20 + 12 = 32 from F2, cell 4 20 + 5 + 32
 *    = 57; the rest as in the baseline.
 *  - omweg: a new two-way road at 36 km/h along y = 160 from x = 100 to
 *    400, 30 m north of A and C, without access along its length: its
 *    ends join A at x = 100 and C at x = 400 (cutting them there: nodes
 *    X100, X400), 30 + 300 + 30 m = 36 s. From X400 to F1: 36 + 8 + 10 =
 *    54, so cell 3's second nearest (F1) is 20 + 5 + 54 = 79 instead of
 *    159; cell 1 reaches F1 through X100 as fast as before (20 + 5 + 8 +
 *    10 = 43), and no cell attaches to the new road. */
static void car_scenarios_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    write_text("terug.geojson", FC(LINE("\"name\": \"terug\"", "[500, 130], [300, 130]")));
    write_text("omweg.geojson", FC(LINE("\"name\": \"omweg\"", "[100, 160], [400, 160]")));
    write_text("zone.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": "
                  "\"Polygon\", \"coordinates\": [[[350, 100], [450, 100], [450, 160], "
                  "[350, 160], [350, 100]]]}}"));
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "", "fac.geojson",
             "scenarios:\n"
             "  - name: sneller\n"
             "    changes: [{modify_roads: {where: \"oneway = 'yes'\"}, factor: 2}]\n"
             "  - name: dicht\n"
             "    changes: [{modify_roads: {within: zone.geojson}, closed: true}]\n"
             "  - name: terug\n"
             "    changes: [{roads: terug.geojson, speed_kmh: 36}]\n"
             "  - name: omweg\n"
             "    changes: [{roads: omweg.geojson, speed_kmh: 36, access: false}]\n");
    assert_int_equal(run_yaml(ctx, yaml, "car_scen", NULL), RT_OK);
    const double r = sqrt(1000.0);
    const double sneller[6] = {r, 43, 36, r, 119.5, INFINITY};
    const double dicht[6] = {r, 43, 25 + sqrt(500.0), r, INFINITY, INFINITY};
    const double terug[6] = {r, 43, 37, r, 57, INFINITY};
    expect_grid(ctx, "car_scen/scenarios/sneller", "huisarts_time_min.tif", sneller);
    expect_grid(ctx, "car_scen/scenarios/dicht", "huisarts_time_min.tif", dicht);
    expect_grid(ctx, "car_scen/scenarios/terug", "huisarts_time_min.tif", terug);
    const double omweg[6] = {r, 43, 37, r, 123, INFINITY};
    const double omweg2[6] = {57, 47, 53, 79, 149, INFINITY};
    expect_grid(ctx, "car_scen/scenarios/omweg", "huisarts_time_min.tif", omweg);
    expect_grid(ctx, "car_scen/scenarios/omweg", "huisarts_second_time_min.tif", omweg2);
}

/* Route lengths by car on the network of car_times_by_hand (legs and
 * roads in metres; 1 m/s on the legs):
 *   0: straight to F1, sqrt(1000) = 31.62 m
 *   1: F1 along A: 20 + 130 + 10 = 160 m
 *   2: F2 via n1: 20 + 50 + (20 of C + F2's leg 10) = 100 m
 *   3: straight to F2, sqrt(1000) m
 *   4: via n2 and D: 20 + 50 + 860 + 30 = 960 m
 *   5: unreachable.
 * With a norm of 0.5 km the persons beyond it are those of cells 4 and 5. */
static void car_route_lengths_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "", "fac.geojson", "");
    char *norm = strstr(yaml, "minutes: [1]");
    assert_non_null(norm);
    memcpy(norm, "km:     [.5]", 12);
    assert_int_equal(run_yaml(ctx, yaml, "car_len", NULL), RT_OK);
    char path[512];
    snprintf(path, sizeof(path), "%s/car_len/huisarts_length_m.tif", dir);
    rti_grid_spec g;
    char *wkt = NULL;
    float *len = NULL;
    assert_int_equal(rti_raster_read_native(ctx, path, 1, &g, &wkt, &len), RT_OK);
    free(wkt);
    const double want[6] = {sqrt(1000.0), 160, 100, sqrt(1000.0), 960, NAN};
    for (int i = 0; i < 5; i++)
        if (!(fabs(len[i] - want[i]) < 1e-3))
            fail_msg("cell %d: %.4f m, expected %.4f", i, (double)len[i], want[i]);
    assert_true(isnan(len[5]));
    free(len);
    /* the CSV column of the norm: persons beyond 0.5 km */
    char csv[512], line[4096];
    snprintf(csv, sizeof(csv), "%s/car_len/gemeente.csv", dir);
    FILE *f = fopen(csv, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f));
    fclose(f);
    assert_non_null(strstr(line, "0.5km"));
    int col = 0;
    for (char *p = line; p < strstr(line, "0.5km"); p++)
        col += *p == ',';
    assert_true(csv_value("car_len", col) == 20);
}

static void walk_times_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    assert_int_equal(run_net(ctx, "walk", "", "walk", NULL), RT_OK);
    const double r1000 = sqrt(1000.0); /* straight walks, as for the car */
    const double want[6] = {r1000, 43, 37, r1000, 43, INFINITY};
    const double want2[6] = {57, 47, 53, 63, 73, INFINITY};
    expect_grid(ctx, "walk", "huisarts_time_min.tif", want);
    expect_grid(ctx, "walk", "huisarts_second_time_min.tif", want2);
    assert_true(fabs(csv_value("walk", 7) - (2 * r1000 + 43 + 37 + 43) / 5 / 60) < 1e-6);
    assert_true(fabs(csv_value("walk", 8) - 37.0 / 60) < 1e-6);
    assert_true(fabs(csv_value("walk", 9) - 43.0 / 60) < 1e-6);
    assert_true(csv_value("walk", 15) == 10);
}

/* A lattice of 21 x 21 streets 100 m apart with speeds varying by street,
 * some one-way (chosen so that every crossing can still reach every other),
 * over a grid of 40 x 40 cells of 50 m: the time grid is the same for 1
 * and 3 threads. */
static void threads_give_identical_grids(void **state)
{
    rt_ctx *ctx = *state;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    len += (size_t)snprintf(buf + len, cap - len,
                            "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
    for (int k = 0; k <= 20; k++)
        for (int j = 0; j < 20; j++) {
            for (int h = 0; h < 2; h++) {
                int x0 = h ? j * 100 : k * 100, y0 = h ? k * 100 : j * 100;
                int x1 = h ? x0 + 100 : x0, y1 = h ? y0 : y0 + 100;
                len += (size_t)snprintf(
                    buf + len, cap - len,
                    "%s{\"type\": \"Feature\", \"properties\": {\"kmh\": %d, \"oneway\": \"%s\"}, "
                    "\"geometry\": {\"type\": \"LineString\", \"coordinates\": [[%d, %d], [%d, "
                    "%d]]}}",
                    len > 200 ? "," : "", 15 + (k * 7 + j * 3) % 40,
                    (k * 3 + j) % 7 == 0 && k > 0 && k < 20 ? "yes" : "no", x0, y0, x1, y1);
            }
        }
    len += (size_t)snprintf(buf + len, cap - len, "]}");
    write_text("lattice.geojson", buf);
    free(buf);
    write_text(
        "lattice_fac.geojson",
        FC(POINT("\"ref\": \"A\"", 130, 170) "," POINT("\"ref\": \"B\"", 1710, 420) "," POINT(
            "\"ref\": \"C\"", 960, 1540) "," POINT("\"ref\": \"D\"", 1420, 1890)));
    write_text("lattice_region.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {\"code\": \"L\"}, \"geometry\": "
                  "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [2000, 0], [2000, 2000], "
                  "[0, 2000], [0, 0]]]}}"));
    /* network, and hybrid (the roads of the lattice, and walking over land
     * with every fifth row of cells impassable) */
    static const char *const media[2] = {
        "{type: network, roads: lattice.geojson, speed_column: kmh, oneway_column: oneway, mode: "
        "car}",
        "{type: hybrid, roads: lattice.geojson, speed_column: kmh, oneway_column: oneway, mode: "
        "car, access: {max_distance_m: 20}, offroad: {type: speed_model, offroad_kmh: 4, land: "
        "lattice_land.geojson}}"};
    write_text("lattice_land.geojson",
               FC("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": "
                  "\"Polygon\", \"coordinates\": [[[0, 0], [2000, 0], [2000, 2000], [0, 2000], "
                  "[0, 0]], [[10, 480], [1990, 480], [1990, 530], [10, 530], [10, 480]]]}}"));
    for (int m = 0; m < 2; m++) {
        char yaml[4096];
        snprintf(yaml, sizeof(yaml),
                 "study: {cell_size_m: 50, extent_buffer_m: 0}\n"
                 "medium: %s\n"
                 "facilities:\n  - {type: huisarts, source: lattice_fac.geojson, id_column: ref}\n"
                 "regions:\n  - {name: gemeente, source: lattice_region.geojson, id_column: "
                 "code}\n",
                 media[m]);
        float *grid[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++) {
            rt_ctx_set_threads(ctx, k ? 3 : 1);
            const char *out = k ? "t3" : "t1";
            assert_int_equal(run_yaml(ctx, yaml, out, NULL), RT_OK);
            char path[512];
            snprintf(path, sizeof(path), "%s/%s/huisarts_time_min.tif", dir, out);
            rti_grid_spec g;
            char *wkt = NULL;
            assert_int_equal(rti_raster_read_native(ctx, path, 1, &g, &wkt, &grid[k]), RT_OK);
            assert_int_equal(g.nx * g.ny, 1600);
            free(wkt);
        }
        rt_ctx_set_threads(ctx, 0);
        assert_memory_equal(grid[0], grid[1], 1600 * sizeof(float));
        int reached = 0;
        for (int i = 0; i < 1600; i++)
            reached += grid[0][i] == grid[0][i];
        /* network: every cell centre is within 50 m of a street; hybrid:
         * every cell over land or within 20 m of a street (the cells of the
         * impassable row have their centre 25 m from the nearest street) */
        assert_int_equal(reached, m == 0 ? 1600 : 1600 - 40);
        free(grid[0]);
        free(grid[1]);
    }
}

static void expect_error(rt_ctx *ctx, const char *yaml, const char *out, rt_status want,
                         const char *needle)
{
    assert_int_equal(run_yaml(ctx, yaml, out, NULL), want);
    if (!strstr(rt_ctx_errmsg(ctx), needle))
        fail_msg("message '%s' lacks '%s'", rt_ctx_errmsg(ctx), needle);
    assert_false(exists(out)); /* nothing half-written */
}

static void bad_input(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "boat", "", "fac.geojson", "");
    expect_error(ctx, yaml, "b1", RT_E_PARSE, "study.yaml:8:3: key 'medium.mode': invalid value");

    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "  profile: nope.yaml\n",
             "fac.geojson", "");
    expect_error(ctx, yaml, "b2", RT_E_IO, "nope.yaml");

    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "  speeds: {residental: 20}\n",
             "fac.geojson", "");
    expect_error(ctx, yaml, "b3", RT_E_PARSE,
                 "key 'medium.speeds.residental': unknown road class; did you mean 'residential'?");

    snprintf(yaml, sizeof(yaml), study_fmt, "empty.geojson", "car", "", "fac.geojson", "");
    expect_error(ctx, yaml, "b4", RT_E_DATA, "medium.roads");

    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "", "far.geojson", "");
    expect_error(ctx, yaml, "b5", RT_E_DATA,
                 "none of the 1 facilities lies within the study extent and within "
                 "access.max_distance_m = 40 m of a road");

    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "  speeds: {motorway: -3}\n",
             "fac.geojson", "");
    expect_error(ctx, yaml, "b7", RT_E_PARSE, "key 'medium.speeds.motorway': motorway must be > 0");
}

/* A profile of the wrong mode is refused; one of the right mode with a
 * speed override on a class the LINES network does not use changes
 * nothing. */
static void profile_mode_must_match(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096], extra[1024];
    const char *src = getenv("RT_SOURCE_DIR");
    assert_non_null(src);
    snprintf(extra, sizeof(extra), "  profile: %s/geodata/profiles/walk.yaml\n", src);
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", extra, "fac.geojson", "");
    expect_error(ctx, yaml, "p1", RT_E_DATA, "is a profile for mode walk, not for mode car");
    snprintf(extra, sizeof(extra),
             "  profile: %s/geodata/profiles/car.yaml\n  speeds: {residential: 20, steps: no}\n",
             src);
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", extra, "fac.geojson", "");
    assert_int_equal(run_yaml(ctx, yaml, "p2", NULL), RT_OK);
    const double want[6] = {sqrt(1000.0), 43, 37, sqrt(1000.0), 123, INFINITY}; /* as by car */
    expect_grid(ctx, "p2", "huisarts_time_min.tif", want);
}

/* $REISTIJD_PROFILES comes first: a car.yaml there that is not a valid
 * profile fails the run, naming that file. */
static void profiles_folder_from_the_environment(void **state)
{
    rt_ctx *ctx = *state;
    char sub[512];
    snprintf(sub, sizeof(sub), "%s/profiles", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    write_text("profiles/car.yaml", "version: 99\n");
    assert_int_equal(setenv("REISTIJD_PROFILES", sub, 1), 0);
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "", "fac.geojson", "");
    rt_status st = run_yaml(ctx, yaml, "env", NULL);
    unsetenv("REISTIJD_PROFILES");
    assert_int_equal(st, RT_E_PARSE);
    if (!strstr(rt_ctx_errmsg(ctx), "/profiles/car.yaml:1:"))
        fail_msg("message '%s' does not name the profile", rt_ctx_errmsg(ctx));
    assert_false(exists("env"));
}

/* ---- a second method on a real OSM extract ---- */

/* Nearest place on a usable edge by looking at every segment: distance,
 * edge and share of the edge's length (ties: lower edge, earlier place). */
static int64_t brute_nearest(const rti_roads *r, const rti_road_graph *g, const rti_profile *p,
                             double px, double py, double max_m, double *frac, double *dist)
{
    int64_t best = -1;
    double bd = INFINITY;
    for (int64_t e = 0; e < r->n_edges; e++) {
        if (g->arc_along[e] < 0 && g->arc_against[e] < 0)
            continue;
        if (p->no_access[rti_road_class_index(r->classes[r->cls[e]])])
            continue; /* a class no access leg joins */
        double total = 0, cum = 0;
        for (int64_t v = r->geom_first[e]; v + 1 < r->geom_first[e + 1]; v++)
            total += hypot(r->gx[v + 1] - r->gx[v], r->gy[v + 1] - r->gy[v]);
        for (int64_t v = r->geom_first[e]; v + 1 < r->geom_first[e + 1]; v++) {
            double dx = r->gx[v + 1] - r->gx[v], dy = r->gy[v + 1] - r->gy[v];
            double len = hypot(dx, dy), t = 0;
            if (len > 0)
                t = fmin(1, fmax(0, ((px - r->gx[v]) * dx + (py - r->gy[v]) * dy) / (len * len)));
            double d = hypot(r->gx[v] + t * dx - px, r->gy[v] + t * dy - py);
            if (d < bd) {
                bd = d;
                best = e;
                *frac = total > 0 ? (cum + t * len) / total : 0;
            }
            cum += len;
        }
    }
    *dist = bd;
    return bd <= max_m ? best : -1;
}

/* Time from every node to facility (edge e, frac f, leg) by Bellman-Ford
 * over the arcs in their direction of travel. */
static void node_times(const rti_roads *r, const rti_road_graph *g, int64_t e, double f, double leg,
                       double *T)
{
    for (int64_t v = 0; v < r->n_nodes; v++)
        T[v] = INFINITY;
    if (g->arc_along[e] >= 0)
        T[r->from[e]] = leg + f * g->time_s[g->arc_along[e]];
    if (g->arc_against[e] >= 0)
        T[r->to[e]] = fmin(T[r->to[e]], leg + (1 - f) * g->time_s[g->arc_against[e]]);
    for (int changed = 1; changed;) {
        changed = 0;
        for (int64_t k = 0; k < g->n_arcs; k++)
            if (g->time_s[k] + T[g->head[k]] < T[g->tail[k]]) {
                T[g->tail[k]] = g->time_s[k] + T[g->head[k]];
                changed = 1;
            }
    }
}

/* A study on the Amsterdam-Oost OSM extract, by car and on foot, and by
 * car with a profile whose no_access lists trunk (the extract's main
 * roads; it has no motorway): every cell's time equals the one worked out
 * by brute force (nearest edge of a joinable class over all segments,
 * Bellman-Ford per facility, the three ways out of the cell's edge). */
static void osm_extract_matches_brute_force(void **state)
{
    rt_ctx *ctx = *state;
    const char *src = getenv("RT_SOURCE_DIR");
    assert_non_null(src);
    write_text("ams_region.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
               "\"properties\": {\"code\": \"D\"}, \"geometry\": {\"type\": \"Polygon\", "
               "\"coordinates\": [[[4.9250, 52.3395], [4.9400, 52.3395], [4.9400, 52.3475], "
               "[4.9250, 52.3475], [4.9250, 52.3395]]]}}]}");
    write_text("ams_fac.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, \"geometry\": {\"type\": "
               "\"Point\", \"coordinates\": [4.9300, 52.3420]}},"
               "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\"}, \"geometry\": {\"type\": "
               "\"Point\", \"coordinates\": [4.9370, 52.3460]}}]}");
    /* the car profile with trunk added to its no_access */
    char car[600];
    snprintf(car, sizeof(car), "%s/geodata/profiles/car.yaml", src);
    char *car_text = read_path(car);
    const size_t car_len = strlen(car_text);
    char *at = strstr(car_text, "no_access: [motorway, motorway_link]");
    assert_non_null(at);
    char *trunk = malloc(car_len + 32);
    assert_non_null(trunk);
    snprintf(trunk, car_len + 32, "%.*sno_access: [motorway, motorway_link, trunk]%s",
             (int)(at - car_text), car_text, at + strlen("no_access: [motorway, motorway_link]"));
    write_text("car_no_trunk.yaml", trunk);
    free(trunk);
    free(car_text);
    const char *modes[3] = {"car", "walk", "car"};
    for (int m = 0; m < 3; m++) {
        char yaml[4096], pbf[600], conf[600], prof[600], how[620];
        snprintf(pbf, sizeof(pbf), "%s/geodata/osm-nl-micro-extracts/amsterdam.osm.pbf", src);
        snprintf(conf, sizeof(conf), "%s/geodata/profiles/osmconf.ini", src);
        /* car and walk by their mode (the shipped profiles), the third by its file */
        if (m < 2)
            snprintf(prof, sizeof(prof), "%s/geodata/profiles/%s.yaml", src, modes[m]);
        else
            snprintf(prof, sizeof(prof), "%s/car_no_trunk.yaml", dir);
        snprintf(how, sizeof(how), m < 2 ? "mode: %s" : "profile: %s", m < 2 ? modes[m] : prof);
        snprintf(yaml, sizeof(yaml),
                 "study: {cell_size_m: 50, extent_buffer_m: 0}\n"
                 "medium: {type: network, roads: %s, %s, access: {speed_kmh: 4, "
                 "max_distance_m: 150}}\n"
                 "facilities:\n  - {type: huisarts, source: ams_fac.geojson, id_column: ref}\n"
                 "regions:\n  - {name: gemeente, source: ams_region.geojson, id_column: code}\n"
                 "outputs: {second: false}\n",
                 pbf, how);
        const char *out = m < 2 ? modes[m] : "car_no_trunk";
        assert_int_equal(run_yaml(ctx, yaml, out, NULL), RT_OK);
        char path[600];
        snprintf(path, sizeof(path), "%s/%s/huisarts_time_min.tif", dir, out);
        rti_grid_spec gs;
        char *wkt = NULL;
        float *got = NULL;
        assert_int_equal(rti_raster_read_native(ctx, path, 1, &gs, &wkt, &got), RT_OK);
        free(wkt);

        rti_roads r;
        rti_road_opts o;
        rti_road_opts_init(&o);
        o.osm_config = conf;
        rti_layer_ref ref = {.path = pbf};
        assert_int_equal(rti_read_roads(ctx, &ref, "EPSG:28992", &o, &r), RT_OK);
        rti_profile p;
        assert_int_equal(rti_profile_load(ctx, prof, &p), RT_OK);
        rti_road_graph g;
        assert_int_equal(rti_roads_graph(ctx, &r, &p, 0, &g), RT_OK);
        /* the facilities in the analysis CRS, from the run's own layer */
        rti_points pts;
        char fac[600];
        snprintf(fac, sizeof(fac), "%s/ams_fac.geojson", dir);
        rti_layer_ref fref = {.path = fac};
        assert_int_equal(rti_read_points(ctx, &fref, "EPSG:28992", "ref", NULL, NULL, &pts), RT_OK);
        double *T = malloc(sizeof(double) * (size_t)pts.n * (size_t)r.n_nodes);
        int64_t fe[2];
        double ff[2], fl[2];
        assert_non_null(T);
        assert_int_equal(pts.n, 2);
        for (int k = 0; k < 2; k++) {
            double d;
            fe[k] = brute_nearest(&r, &g, &p, pts.x[k], pts.y[k], 150, &ff[k], &d);
            assert_true(fe[k] >= 0);
            fl[k] = d / (4 / 3.6);
            node_times(&r, &g, fe[k], ff[k], fl[k], T + k * r.n_nodes);
        }
        rti_profile open = p; /* every class joinable */
        memset(open.no_access, 0, sizeof(open.no_access));
        int reached = 0, moved_off = 0;
        for (int64_t i = 0; i < (int64_t)gs.nx * gs.ny; i++) {
            double px = gs.x0 + ((double)(i % gs.nx) + 0.5) * gs.cell_m;
            double py = gs.y1 - ((double)(i / gs.nx) + 0.5) * gs.cell_m;
            double f, d, want = INFINITY;
            int64_t e = brute_nearest(&r, &g, &p, px, py, 150, &f, &d);
            double f_open, d_open;
            moved_off += brute_nearest(&r, &g, &open, px, py, 150, &f_open, &d_open) != e;
            if (e >= 0) {
                double leg = d / (4 / 3.6);
                double w_ab = g.arc_along[e] >= 0 ? g.time_s[g.arc_along[e]] : NAN;
                double w_ba = g.arc_against[e] >= 0 ? g.time_s[g.arc_against[e]] : NAN;
                for (int k = 0; k < 2; k++) {
                    const double *Tk = T + k * r.n_nodes;
                    if (!isnan(w_ab))
                        want = fmin(want, leg + (1 - f) * w_ab + Tk[r.to[e]]);
                    if (!isnan(w_ba))
                        want = fmin(want, leg + f * w_ba + Tk[r.from[e]]);
                    if (fe[k] == e && ff[k] >= f && !isnan(w_ab))
                        want = fmin(want, leg + (ff[k] - f) * w_ab + fl[k]);
                    if (fe[k] == e && ff[k] <= f && !isnan(w_ba))
                        want = fmin(want, leg + (f - ff[k]) * w_ba + fl[k]);
                }
            }
            for (int k = 0; k < 2; k++) { /* straight to a facility within 150 m */
                double dk = hypot(px - pts.x[k], py - pts.y[k]);
                if (dk <= 150)
                    want = fmin(want, dk / (4 / 3.6));
            }
            if (isinf(want)) {
                if (!isnan(got[i]))
                    fail_msg("%s cell %lld: %g min, expected unreachable", modes[m], (long long)i,
                             got[i]);
                continue;
            }
            reached++;
            if (!(fabs(got[i] - want / 60) < 1e-5))
                fail_msg("%s cell %lld: %.6f min, expected %.6f", modes[m], (long long)i, got[i],
                         want / 60);
        }
        assert_true(reached > 200); /* 216 by car, 283 on foot */
        if (m == 2) /* trunk edges were left out of the brute force: some cell's nearest */
            assert_true(moved_off > 0);
        free(T);
        free(got);
        rti_points_free(&pts);
        rti_road_graph_free(&g);
        rti_profile_free(&p);
        rti_roads_free(&r);
    }
}

/* A car network in OSM XML at 52 N: a motorway (two-way here) along lat
 * 52.000 and a residential street 445 m north of it, both from lon 5.000
 * to 5.020. The car profile's no_access keeps the access legs off the
 * motorway: a facility 17 m from it and 430 m from the street, with legs
 * of at most 100 m, has no road, and the error says why; but a
 * scenario's new road joins the motorway (its end 5.6 m south of it, the
 * other end on the street): with connect_m 20 both ends join, with
 * connect_m 3 the end at the motorway is the one that joins nothing. */
static void motorways_take_no_access_legs_but_new_roads(void **state)
{
    rt_ctx *ctx = *state;
    write_text("mw.osm",
               "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"t\">\n"
               "<node id=\"1\" version=\"1\" lat=\"52.000\" lon=\"5.000\"/>\n"
               "<node id=\"2\" version=\"1\" lat=\"52.000\" lon=\"5.020\"/>\n"
               "<node id=\"3\" version=\"1\" lat=\"52.004\" lon=\"5.000\"/>\n"
               "<node id=\"4\" version=\"1\" lat=\"52.004\" lon=\"5.020\"/>\n"
               "<way id=\"10\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/>"
               "<tag k=\"highway\" v=\"motorway\"/><tag k=\"oneway\" v=\"no\"/></way>\n"
               "<way id=\"11\" version=\"1\"><nd ref=\"3\"/><nd ref=\"4\"/>"
               "<tag k=\"highway\" v=\"residential\"/></way>\n</osm>\n");
    write_text("mw_region.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
               "\"properties\": {\"code\": \"M\"}, \"geometry\": {\"type\": \"Polygon\", "
               "\"coordinates\": [[[4.999, 51.998], [5.021, 51.998], [5.021, 52.006], "
               "[4.999, 52.006], [4.999, 51.998]]]}}]}");
    write_text("mw_fac.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
               "\"properties\": {\"ref\": \"S\"}, \"geometry\": {\"type\": \"Point\", "
               "\"coordinates\": [5.001, 52.0041]}}]}");
    write_text("mw_far.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
               "\"properties\": {\"ref\": \"F\"}, \"geometry\": {\"type\": \"Point\", "
               "\"coordinates\": [5.010, 52.00015]}}]}");
    write_text("mw_new.geojson",
               "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
               "\"properties\": {}, \"geometry\": {\"type\": \"LineString\", "
               "\"coordinates\": [[5.010, 51.99995], [5.010, 52.004]]}}]}");
    static const char fmt[] =
        "study: {cell_size_m: 50, extent_buffer_m: 0}\n"
        "medium: {type: network, roads: mw.osm, mode: car, access: {speed_kmh: 4, "
        "max_distance_m: 100}}\n"
        "facilities:\n  - {type: huisarts, source: %s, id_column: ref}\n"
        "regions:\n  - {name: gemeente, source: mw_region.geojson, id_column: code}\n"
        "outputs: {second: false, report: false, geopackage: false}\n%s";
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), fmt, "mw_far.geojson", "");
    assert_int_equal(run_yaml(ctx, yaml, "mw_far", NULL), RT_E_DATA);
    if (!strstr(rt_ctx_errmsg(ctx), "none of the 1 facilities lies within the study extent and "
                                    "within access.max_distance_m = 100 m of a road of the "
                                    "network (no access leg joins the roads of the profile's "
                                    "no_access classes: motorway, motorway_link)"))
        fail_msg("message: %s", rt_ctx_errmsg(ctx));
    snprintf(
        yaml, sizeof(yaml), fmt, "mw_fac.geojson",
        "scenarios:\n"
        "  - {name: joins, changes: [{roads: mw_new.geojson, speed_kmh: 50, connect_m: 20}]}\n"
        "  - {name: short, changes: [{roads: mw_new.geojson, speed_kmh: 50, connect_m: 3}]}\n");
    logbuf log;
    assert_int_equal(run_yaml(ctx, yaml, "mw_new", &log), RT_OK);
    if (strstr(log.text, "scenario 'joins': ") ||
        !strstr(log.text, "scenario 'short': 1 of the 2 ends of its new roads lie farther than "
                          "connect_m from a road the mode uses: they join nothing"))
        fail_msg("warnings: %s", log.text);
}

/* A whole network run and a whole hybrid run (the regions as land) under
 * allocation failures (run_alloc_fail.h). */
static void allocation_failures_are_clean(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), study_fmt, "roads.geojson", "car", "",
             "fac.geojson\n    measures: [{kind: count, cutoff: 1}]", "");
    assert_true(run_allocation_failures(*state, yaml) > 10);
    char *net = strstr(yaml, "type: network");
    assert_non_null(net);
    snprintf(yaml + (net - yaml), sizeof(yaml) - (size_t)(net - yaml), "%s",
             "type: hybrid\n"
             "  roads: roads.geojson\n"
             "  format: lines\n"
             "  speed_column: kmh\n"
             "  mode: car\n"
             "  offroad: {type: speed_model, offroad_kmh: 3.6, land: region.geojson}\n"
             "facilities:\n"
             "  - {type: huisarts, source: fac.geojson, id_column: ref, norms: {minutes: [1]},\n"
             "     measures: [{kind: kth_nearest, k: 2, cutoff: 5}]}\n"
             "population: {kind: points, source: pop.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: region.geojson, id_column: code}\n");
    assert_true(run_allocation_failures(*state, yaml) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(car_times_by_hand),
        cmocka_unit_test(car_measures_by_hand),
        cmocka_unit_test(car_scenarios_by_hand),
        cmocka_unit_test(car_route_lengths_by_hand),
        cmocka_unit_test(walk_times_by_hand),
        cmocka_unit_test(island_is_named),
        cmocka_unit_test(a_region_named_like_a_roads_layer_is_refused),
        cmocka_unit_test(raster_and_network_agree_on_a_straight_road),
        cmocka_unit_test(hybrid_times_by_hand),
        cmocka_unit_test(raster_and_network_on_roads_at_four_angles),
        cmocka_unit_test(raster_cuts_the_corner_of_a_bend),
        cmocka_unit_test(threads_give_identical_grids),
        cmocka_unit_test(attachment_cancels_and_counts_the_graph),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(profile_mode_must_match),
        cmocka_unit_test(profiles_folder_from_the_environment),
        cmocka_unit_test(osm_extract_matches_brute_force),
        cmocka_unit_test(motorways_take_no_access_legs_but_new_roads),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
