/* The isochrones and catchments of a run (layers isochrones_<type> and
 * catchments_<type> of reistijd.gpkg) on a small study worked out by hand:
 * their cells, outlines, populations and mean times, their agreement with
 * the region table and the run's totals, GEOS validity, and the options
 * that switch them off. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gdal/cpl_conv.h>
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include "geos_shape.h" /* after the GDAL headers */
#include "reistijd/rt_study.h"
#include "study_fixture.h"

/* One region over the whole grid: 6 x 2 cells of 100 m, x 0..600, y 0..200. */
static const char region_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"code\": \"R1\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[0, 0], [600, 0], [600, 200], [0, 200], [0, 0]]]}}]}";

/* A at the centre of cell (0,0), B at that of (1,5), C where A is, read
 * after it: on every cell C ties with A and loses (the lower facility
 * index wins), so it is the nearest of no cell. */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\", \"naam\": \"Noord\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 150]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\", \"naam\": \"Zuid\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [550, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"C\", \"naam\": \"Dubbel\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 150]}}]}";

/* Persons per cell, a point at each cell centre:
 *   row 0: 1 2 3  4  5  6
 *   row 1: 7 8 9 10 11 12     (78 in all) */
static char pop_json[4096];

static const char study_yaml[] = "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
                                 "medium: {type: speed_model, offroad_kmh: 36}\n"
                                 "facilities:\n"
                                 "  - type: huisarts\n"
                                 "    source: facility.geojson\n"
                                 "    id_column: ref\n"
                                 "    name_column: naam\n"
                                 "    norms: {minutes: [0.2, 0.4], km: [1]}\n"
                                 "population: {kind: points, source: pop.geojson, "
                                 "count_column: n}\n"
                                 "regions:\n"
                                 "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static int setup(void **state)
{
    fixture_mkdir("rt-zones");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    size_t n = (size_t)snprintf(pop_json, sizeof(pop_json),
                                "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 6; c++)
            n += (size_t)snprintf(pop_json + n, sizeof(pop_json) - n,
                                  "%s{\"type\": \"Feature\", \"properties\": {\"n\": %d}, "
                                  "\"geometry\": {\"type\": \"Point\", \"coordinates\": [%d, %d]}}",
                                  r + c ? "," : "", 6 * r + c + 1, 100 * c + 50, 150 - 100 * r);
    snprintf(pop_json + n, sizeof(pop_json) - n, "]}");
    write_text("pop.geojson", pop_json);
    *state = rt_ctx_create();
    GDALAllRegister();
    return 0;
}

/* ---- reading the layers back ---- */

typedef struct layer {
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureDefnH d;
} layer;

static int open_layer(const char *out, const char *name, layer *l)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/reistijd.gpkg", dir, out);
    l->ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(l->ds);
    l->lyr = GDALDatasetGetLayerByName(l->ds, name);
    l->d = l->lyr ? OGR_L_GetLayerDefn(l->lyr) : NULL;
    return l->lyr != NULL;
}

static double field(OGRFeatureH f, const layer *l, const char *name)
{
    int i = OGR_FD_GetFieldIndex(l->d, name);
    assert_true(i >= 0);
    return OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsDouble(f, i) : NAN;
}

static const char *text(OGRFeatureH f, const layer *l, const char *name)
{
    int i = OGR_FD_GetFieldIndex(l->d, name);
    assert_true(i >= 0);
    return OGR_F_GetFieldAsString(f, i);
}

/* ---- the run ---- */

/* 36 km/h is 0.1 s/m: an axial step of 100 m takes s = 10 s, a diagonal
 * one d = 10 sqrt 2 s (8 neighbours). Times to A and B and the nearest:
 *
 *        col 0     1      2        3       4     5
 *   row 0: A 0   A s    A 2s     B s+d   B d   B s
 *   row 1: A s   A d    A s+d    B 2s    B s   B 0
 *
 * ((0,2): A 2s against B s+2d; (0,3): B s+d against A 3s; (1,2): A s+d
 * against B 3s.) A's catchment is cols 0-2, B's cols 3-5: 6 cells each;
 * A serves 1 + 2 + 3 + 7 + 8 + 9 = 30 persons, B 4 + 5 + 6 + 10 + 11 + 12
 * = 48: together the 78 reached. Mean times: A (2s + 3 2s + 7s + 8d + 9(s
 * + d)) / 30 = (24s + 17d) / 30, B (4(s + d) + 5d + 6s + 10 2s + 11s) / 48
 * = (41s + 9d) / 48.
 * Within 0.2 min (12 s: s yes, d no): (0,0), (0,1), (1,0) and (0,5),
 * (1,4), (1,5), 39 persons. Within 0.4 min (24 s: 2s and d yes, s + d
 * no): also (0,2), (1,1), (0,4), (1,3): 10 cells, 65 persons, in two parts
 * that touch only at the corner (300, 100). The norm in km has none. */
static void isochrones_and_catchments_of_a_run(void **state)
{
    assert_int_equal(run_study(*state, study_yaml, "run", 0), RT_OK);
    const double s = (double)(3.6f / 36.0f) * 100.0, d = s * sqrt(2.0); /* a float friction */

    layer l;
    assert_true(open_layer("run", "isochrones_huisarts", &l));
    assert_int_equal(OGR_L_GetFeatureCount(l.lyr, 1), 2);
    const double threshold[2] = {0.4, 0.2}; /* largest first */
    const int64_t cells[2] = {10, 6};
    const double pop[2] = {65, 39};
    const char *const iso_wkt[2] = {
        "MULTIPOLYGON (((0 200,300 200,300 100,200 100,200 0,0 0,0 200)),"
        "((400 200,600 200,600 0,300 0,300 100,400 100,400 200)))",
        "MULTIPOLYGON (((0 200,200 200,200 100,100 100,100 0,0 0,0 200)),"
        "((500 200,600 200,600 0,400 0,400 100,500 100,500 200)))"};
    OGRFeatureH f;
    for (int k = 0; (f = OGR_L_GetNextFeature(l.lyr)) != NULL; k++) {
        assert_true(field(f, &l, "threshold_min") == threshold[k]);
        assert_true(field(f, &l, "cells") == (double)cells[k]);
        assert_true(field(f, &l, "population") == pop[k]);
        /* cells x cell area, as the region layers count it */
        assert_true(field(f, &l, "area_km2") == (double)cells[k] * (100.0 * 100.0) * 1e-6);
        assert_true(OGR_G_Area(OGR_F_GetGeometryRef(f)) == (double)cells[k] * 1e4);
        assert_geos_shape(OGR_F_GetGeometryRef(f), iso_wkt[k]);
        OGR_F_Destroy(f);
    }
    GDALClose(l.ds);
    /* the largest threshold holds the population within its norm: that of
     * the region over the whole grid less its population beyond */
    double within = csv_named("run", "gemeente.csv", "R1", "population") -
                    csv_named("run", "gemeente.csv", "R1", "beyond_0.4min_population");
    assert_true(within == 65);

    assert_true(open_layer("run", "catchments_huisarts", &l));
    assert_int_equal(OGR_L_GetFeatureCount(l.lyr, 1), 2); /* C serves no cell */
    const char *const id[2] = {"A", "B"}, *const name[2] = {"Noord", "Zuid"};
    const double served[2] = {30, 48};
    const double mean_s[2] = {(24 * s + 17 * d) / 30, (41 * s + 9 * d) / 48};
    const char *const catch_wkt[2] = {"MULTIPOLYGON (((0 0,0 200,300 200,300 0,0 0)))",
                                      "MULTIPOLYGON (((300 0,300 200,600 200,600 0,300 0)))"};
    double sum = 0;
    for (int k = 0; (f = OGR_L_GetNextFeature(l.lyr)) != NULL; k++) {
        assert_string_equal(text(f, &l, "facility_id"), id[k]);
        assert_string_equal(text(f, &l, "facility_name"), name[k]);
        assert_true(field(f, &l, "source_fid") == k); /* the GeoJSON's feature ids 0, 1 */
        assert_true(field(f, &l, "cells") == 6);
        assert_true(field(f, &l, "area_km2") == 6 * (100.0 * 100.0) * 1e-6);
        assert_true(field(f, &l, "population") == served[k]);
        assert_true(fabs(field(f, &l, "time_mean_min") - mean_s[k] / 60) < 1e-9);
        assert_geos_shape(OGR_F_GetGeometryRef(f), catch_wkt[k]);
        sum += field(f, &l, "population");
        OGR_F_Destroy(f);
    }
    GDALClose(l.ds);
    /* the catchments serve the reached population */
    assert_true(sum == 78);
    assert_true(csv_named("run", "gemeente.csv", "R1", "population_reached") == sum);
}

/* Without a population every cell weighs 1 (as in the region table), and
 * a facility that is left out (X, outside the grid) has no catchment. The
 * filter drops W, so A is the second point read but keeps its feature id
 * 2 as source_fid. */
static void without_population_every_cell_counts(void **state)
{
    static const char far_json[] =
        "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
        "{\"type\": \"Feature\", \"properties\": {\"ref\": \"W\"}, "
        "\"geometry\": {\"type\": \"Point\", \"coordinates\": [350, 150]}},"
        "{\"type\": \"Feature\", \"properties\": {\"ref\": \"X\"}, "
        "\"geometry\": {\"type\": \"Point\", \"coordinates\": [-5000, 100]}},"
        "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
        "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 150]}}]}";
    write_text("far.geojson", far_json);
    static const char yaml[] =
        "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
        "medium: {type: speed_model, offroad_kmh: 36}\n"
        "facilities:\n"
        "  - {type: huisarts, source: {path: far.geojson, where: \"ref <> 'W'\"},\n"
        "     id_column: ref,\n"
        "     norms: {minutes: [0.2]}}\n"
        "regions:\n"
        "  - {name: gemeente, source: region.geojson, id_column: code}\n";
    assert_int_equal(run_study(*state, yaml, "nopop", 0), RT_OK);
    layer l;
    assert_true(open_layer("nopop", "catchments_huisarts", &l));
    assert_int_equal(OGR_L_GetFeatureCount(l.lyr, 1), 1);
    OGRFeatureH f = OGR_L_GetNextFeature(l.lyr);
    assert_string_equal(text(f, &l, "facility_id"), "A");
    assert_true(field(f, &l, "source_fid") == 2);
    assert_true(field(f, &l, "cells") == 12);
    assert_true(field(f, &l, "population") == 12);
    assert_int_equal(OGR_FD_GetFieldIndex(l.d, "facility_name"), -1); /* no name_column */
    OGR_F_Destroy(f);
    GDALClose(l.ds);
    /* within 12 s of A: (0,0), (0,1), (1,0) */
    assert_true(open_layer("nopop", "isochrones_huisarts", &l));
    f = OGR_L_GetNextFeature(l.lyr);
    assert_non_null(f);
    assert_true(field(f, &l, "cells") == 3);
    assert_true(field(f, &l, "population") == 3);
    OGR_F_Destroy(f);
    GDALClose(l.ds);
}

/* The options switch the layers off one by one; a region layer cannot
 * take the name of one. */
static void options_and_names(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), "%soutputs: {isochrones: false}\n", study_yaml);
    assert_int_equal(run_study(*state, yaml, "noiso", 0), RT_OK);
    layer l;
    assert_false(open_layer("noiso", "isochrones_huisarts", &l));
    GDALClose(l.ds);
    assert_true(open_layer("noiso", "catchments_huisarts", &l));
    GDALClose(l.ds);

    snprintf(yaml, sizeof(yaml), "%soutputs: {catchments: false}\n", study_yaml);
    assert_int_equal(run_study(*state, yaml, "nocatch", 0), RT_OK);
    assert_false(open_layer("nocatch", "catchments_huisarts", &l));
    GDALClose(l.ds);
    assert_true(open_layer("nocatch", "isochrones_huisarts", &l));
    GDALClose(l.ds);

    /* a region layer named like the catchments of the type */
    char clash[2048];
    snprintf(clash, sizeof(clash), "%s", study_yaml);
    char *at = strstr(clash, "name: gemeente");
    assert_non_null(at);
    memcpy(at, "name: catchments_huisarts, source: region.geojson, id_column: code}\n",
           strlen("name: catchments_huisarts, source: region.geojson, id_column: code}\n") + 1);
    rt_ctx *ctx = *state;
    assert_int_equal(run_study(ctx, clash, "clash", 0), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "region layer 'catchments_huisarts' has the name "
                                               "of the GeoPackage layer of facility type "
                                               "'huisarts'"));
    /* without the catchments the name is free */
    snprintf(yaml, sizeof(yaml), "%soutputs: {catchments: false}\n", clash);
    assert_int_equal(run_study(ctx, yaml, "clash_free", 0), RT_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(isochrones_and_catchments_of_a_run),
        cmocka_unit_test(without_population_every_cell_counts),
        cmocka_unit_test(options_and_names),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
