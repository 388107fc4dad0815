/* Reading point and polygon layers. */
#include "io_fixture.h"

#include "test_common.h"
#include <pthread.h>

#define AMF_LON 5.38720621
#define AMF_LAT 52.15517440
#define AMF_X 155000.0
#define AMF_Y 463000.0

static const char *const csv_text = "code,naam,lon,lat,cap\n"
                                    "GM0599,Amersfoort,5.38720621,52.15517440,12\n"
                                    "0001,Tweede,5.38720621,52.15517440,\n"
                                    "A-3,Derde,5.38720621,52.15517440,2.5\n";

static rti_layer_ref csv_ref(fx *f, const char *text)
{
    const char *path = fx_path(f, "punten.csv");
    fx_write_text(path, text);
    return fx_csv_ref(path, "lon", "lat", "EPSG:4326");
}

static void csv_points_land_on_rd_coordinates(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, csv_text);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", "naam", "cap", &p), RT_OK);
    assert_int_equal(p.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_true(fabs(p.x[i] - AMF_X) <= 1.0);
        assert_true(fabs(p.y[i] - AMF_Y) <= 1.0);
    }
    /* ids stay text: leading zeros and letters are kept */
    assert_string_equal(p.id[0], "GM0599");
    assert_string_equal(p.id[1], "0001");
    assert_string_equal(p.id[2], "A-3");
    assert_string_equal(p.name[0], "Amersfoort");
    assert_true(p.value[0] == 12.0);
    assert_true(isnan(p.value[1]));
    assert_true(p.value[2] == 2.5);
    rti_points_free(&p);

    /* without id/name/value columns: the feature id and NaN */
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_OK);
    assert_null(p.name);
    for (int i = 0; i < 3; i++) {
        char fid[32];
        snprintf(fid, sizeof(fid), "%lld", (long long)p.fid[i]);
        assert_string_equal(p.id[i], fid);
        assert_true(isnan(p.value[i]));
    }
    rti_points_free(&p);
}

/* An id that is empty or white space names nothing: refused as a null id
 * is, for points and for polygons, with the feature and the column. */
static void blank_ids_are_refused(void **state)
{
    fx *f = *state;
    const char *blank[] = {"", "   "};
    for (int i = 0; i < 2; i++) {
        char text[200];
        snprintf(text, sizeof(text), "code,lon,lat\nA,5.387,52.155\n\"%s\",5.388,52.156\n",
                 blank[i]);
        rti_layer_ref ref = csv_ref(f, text);
        rti_points p;
        assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                         RT_E_DATA);
        if (!strstr(rt_ctx_errmsg(f->ctx), "feature 2: id column 'code' is empty or blank"))
            fail_msg("%s", rt_ctx_errmsg(f->ctx));
        const char *path = fx_path(f, "vlakken.csv");
        snprintf(text, sizeof(text),
                 "code,WKT\nA,\"POLYGON ((0 0,0 1,1 1,1 0,0 0))\"\n\"%s\",\"POLYGON ((2 0,2 1,3 "
                 "1,3 0,2 0))\"\n",
                 blank[i]);
        fx_write_text(path, text);
        rti_layer_ref pref = fx_ref(path, NULL);
        pref.crs = "EPSG:28992";
        rti_polygons pg;
        assert_int_equal(rti_read_polygons(f->ctx, &pref, "EPSG:28992", "code", NULL, NULL, 0, &pg),
                         RT_E_DATA);
        if (!strstr(rt_ctx_errmsg(f->ctx), "feature 2: id column 'code' is empty or blank"))
            fail_msg("%s", rt_ctx_errmsg(f->ctx));
    }
}

/* Ids and names that are all digits keep their leading zeros although
 * GDAL types the columns as numbers (BAG ids, codes like 007), and a
 * number column still filters as a number. */
static void csv_digit_ids_keep_their_zeros(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, "code,naam,lon,lat,cap\n"
                                   "0363010000000001,007,5.38720621,52.15517440,12\n"
                                   "0363010000000002,010,5.38720621,52.15517440,3\n");
    ref.where = "cap > 5";
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", "naam", "cap", &p), RT_OK);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.id[0], "0363010000000001");
    assert_string_equal(p.name[0], "007");
    assert_true(p.value[0] == 12.0);
    rti_points_free(&p);
}

static void missing_column_is_named_with_the_columns(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, csv_text);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "capaciteit", &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "punten.csv: layer 'punten': no column 'capaciteit'");
    FX_ASSERT_MSG_HAS(f->ctx, "(columns: code, naam, cap)");
    assert_int_equal(p.n, 0);
    assert_null(p.x);
}

static void non_numeric_value_names_the_feature(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, "code,lon,lat,cap\nX1,5.3,52.1,4\nX2,5.3,52.1,veel\n");
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "cap", &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "(id 'X2')");
    FX_ASSERT_MSG_HAS(f->ctx, "column 'cap': 'veel' is not a number");
}

static const char *const pt_cols[] = {"code", "n:cap", NULL};

static void filter_leaving_nothing_is_an_error(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "fac.gpkg");
    fx_feature ft[] = {{"POINT (1000 2000)", {"GM0599", "3"}}, {"POINT (1500 2500)", {"B", "1"}}};
    fx_gpkg(path, "huisarts", "EPSG:28992", wkbPoint, pt_cols, ft, 2);
    rti_layer_ref ref = fx_ref(path, "huisarts");
    ref.where = "code = 'nope'";
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "cap", &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "layer 'huisarts' has no features (filter: code = 'nope')");

    ref.where = "cap >= 2";
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "cap", &p), RT_OK);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.id[0], "GM0599");
    assert_true(p.x[0] == 1000.0 && p.y[0] == 2000.0 && p.value[0] == 3.0);
    rti_points_free(&p);

    ref.where = "cap >>= 2";
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "cap", &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "invalid filter \"cap >>= 2\"");

    ref.where = NULL;
    ref.layer = "tandarts";
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "cap", &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "no layer 'tandarts' (layers: huisarts)");
}

static void wrong_geometry_type_names_the_feature(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "mixed.gpkg");
    fx_feature ft[] = {{"POINT (1000 2000)", {"a", "1"}},
                       {"LINESTRING (0 0, 10 10)", {"GM0599", "1"}}};
    fx_gpkg(path, "mixed", "EPSG:28992", wkbUnknown, pt_cols, ft, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "mixed.gpkg: layer 'mixed': feature 2 (id 'GM0599')");
    FX_ASSERT_MSG_HAS(f->ctx, "LineString");
}

/* A GeoPackage layer written without a CRS carries the "Undefined
 * geographic SRS" placeholder; a shapefile without .prj has none at all. */
static void layer_without_crs_needs_one(void **state)
{
    fx *f = *state;
    const char *gpkg = fx_path(f, "nocrs.gpkg");
    const char *shp = fx_path(f, "nocrs.shp");
    fx_feature ft[] = {{"POINT (1000 2000)", {"a", "1"}}};
    fx_gpkg(gpkg, "pts", NULL, wkbPoint, pt_cols, ft, 1);
    fx_vector("ESRI Shapefile", shp, "nocrs", NULL, wkbPoint, pt_cols, ft, 1);
    rti_points p;
    rti_layer_ref ref = fx_ref(gpkg, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "nocrs.gpkg: layer 'pts' has no CRS; set `crs:` for this source in "
                              "the study file, or give the file one");
    ref = fx_ref(shp, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "nocrs.shp: layer 'nocrs' has no CRS; set `crs:` for this source in "
                              "the study file, or give the file one");
    ref.crs = "EPSG:28992";
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_OK);
    assert_true(p.x[0] == 1000.0 && p.y[0] == 2000.0);
    rti_points_free(&p);
}

static void representative_points_and_skipped_geometries(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "shapes.gpkg");
    fx_feature ft[] = {{"MULTIPOINT ((0 0), (10 0), (20 30))", {"mp", "1"}},
                       {NULL, {"leeg", "1"}},
                       {"POLYGON ((0 0, 100 0, 100 10, 10 10, 10 100, 0 100, 0 0))", {"L", "1"}},
                       {NULL, {"leeg2", "1"}}};
    fx_gpkg(path, "shapes", "EPSG:28992", wkbUnknown, pt_cols, ft, 4);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_int_equal(p.n, 2);
    /* the centroid of the three points */
    assert_true(fabs(p.x[0] - 10.0) < 1e-9 && fabs(p.y[0] - 10.0) < 1e-9);
    /* an L-shaped polygon: its centroid is outside, the point must be inside */
    assert_string_equal(p.id[1], "L");
    int inside = (p.x[1] > 0 && p.x[1] < 100 && p.y[1] > 0 && p.y[1] < 10) ||
                 (p.x[1] > 0 && p.x[1] < 10 && p.y[1] > 0 && p.y[1] < 100);
    assert_true(inside);
    assert_int_equal(f->n_warnings, 1);
    FX_ASSERT_STR_HAS(f->log, "skipped 2 features without a geometry (first: feature 2)");
    rti_points_free(&p);
}

/* ---- polygons ---- */

static const char *const poly_cols[] = {"statcode", "statnaam", "i:inw", NULL};

/* Writes the features ft as the layer gemeenten of file (geometry type
 * type) and reads them with repair on into p; returns the layer. */
static rti_layer_ref read_gemeenten(fx *f, const char *file, const fx_feature *ft, int n,
                                    OGRwkbGeometryType type, rti_polygons *p)
{
    const char *path = fx_path(f, file);
    fx_gpkg(path, "gemeenten", "EPSG:28992", type, poly_cols, ft, n);
    rti_layer_ref ref = fx_ref(path, "gemeenten");
    assert_int_equal(
        rti_read_polygons(f->ctx, &ref, "EPSG:28992", "statcode", "statnaam", "inw", 1, p), RT_OK);
    return ref;
}

/* The bow-tie (0 0, 10 10, 10 0, 0 10) crosses itself at (5 5); its two
 * lobes are triangles of area 10 * 5 / 2 = 25 each. */
static void bow_tie_is_repaired_with_a_warning(void **state)
{
    fx *f = *state;
    fx_feature ft[] = {
        {"POLYGON ((100 100, 200 100, 200 200, 100 200, 100 100))", {"GM0001", "Vierkant", "10"}},
        {"POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", {"GM0599", "Strik", "5"}}};
    rti_polygons p;
    rti_layer_ref ref = read_gemeenten(f, "gem.gpkg", ft, 2, wkbPolygon, &p);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_repaired, 1);
    assert_string_equal(p.id[1], "GM0599");
    assert_string_equal(p.name[1], "Strik");
    assert_true(p.value[0] == 10.0 && p.value[1] == 5.0);
    assert_true(fabs(OGR_G_Area(p.geom[1]) - 50.0) < 1e-9);
    assert_true(OGR_G_IsValid(p.geom[1]));
    assert_true(p.bbox[0] == 0.0 && p.bbox[1] == 0.0 && p.bbox[2] == 200.0 && p.bbox[3] == 200.0);
    assert_int_equal(f->n_warnings, 1);
    FX_ASSERT_STR_HAS(f->log, "gem.gpkg: layer 'gemeenten': feature 2 (id 'GM0599'): invalid "
                              "polygon (Self-intersection[5 5]); repaired");
    rti_polygons_free(&p);

    assert_int_equal(
        rti_read_polygons(f->ctx, &ref, "EPSG:28992", "statcode", "statnaam", "inw", 0, &p),
        RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "feature 2 (id 'GM0599'): invalid polygon (Self-intersection");
    assert_int_equal(p.n, 0);
}

/* Repairs that keep what the polygon meant (GEOS's "structure" method):
 * two squares of 10 x 10 m that overlap by 5 x 10 m, as the parts of one
 * multipolygon, become their union, 150 m2; a square with a hole of 10 x
 * 10 m half outside it becomes the square less the hole's quarter inside,
 * 75 m2 (the "linework" method makes the hole's part outside the square
 * land: 150 m2). */
static void repairs_keep_the_structure(void **state)
{
    fx *f = *state;
    fx_feature ft[] = {{"MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), "
                        "((5 0, 15 0, 15 10, 5 10, 5 0)))",
                        {"GM0002", "Dubbel", "1"}},
                       {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (5 5, 15 5, 15 15, 5 15, 5 5))",
                        {"GM0003", "Gat", "1"}}};
    rti_polygons p;
    read_gemeenten(f, "overlap.gpkg", ft, 2, wkbUnknown, &p);
    assert_int_equal(p.n_repaired, 2);
    if (!(fabs(OGR_G_Area(p.geom[0]) - 150.0) < 1e-9) ||
        !(fabs(OGR_G_Area(p.geom[1]) - 75.0) < 1e-9))
        fail_msg("repaired areas %.17g and %.17g, want 150 and 75", OGR_G_Area(p.geom[0]),
                 OGR_G_Area(p.geom[1]));
    assert_true(OGR_G_IsValid(p.geom[0]));
    rti_polygons_free(&p);
}

static void polygon_layer_with_a_point_is_refused(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "mixpoly.gpkg");
    fx_feature ft[] = {{"POLYGON ((0 0, 1 0, 1 1, 0 0))", {"GM0001", "a", "1"}},
                       {"POINT (3 3)", {"GM0002", "b", "1"}}};
    fx_gpkg(path, "regio", "EPSG:28992", wkbUnknown, poly_cols, ft, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_polygons p;
    assert_int_equal(rti_read_polygons(f->ctx, &ref, "EPSG:28992", "statcode", NULL, NULL, 1, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "feature 2 (id 'GM0002'): geometry type Point");
}

/* RD polygons read into ETRS89 / UTM 31N: the square moves but stays a
 * square of about the same area (scale differences are far below 1 %). */
static void polygons_are_transformed(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "rd.gpkg");
    fx_feature ft[] = {
        {"POLYGON ((155000 463000, 156000 463000, 156000 464000, 155000 464000, 155000 463000))",
         {"GM0307", "Amersfoort", "1"}}};
    fx_gpkg(path, "rd", "EPSG:28992", wkbPolygon, poly_cols, ft, 1);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_polygons p;
    assert_int_equal(rti_read_polygons(f->ctx, &ref, "EPSG:25831", "statcode", NULL, NULL, 1, &p),
                     RT_OK);
    double a = OGR_G_Area(p.geom[0]);
    assert_true(fabs(a - 1e6) < 1e4);
    /* UTM 31N eastings of 5.39 E lie far east of the RD origin's 155 km */
    assert_true(p.bbox[0] > 600000.0);
    /* the geometries carry the analysis CRS, alive after the reader closed */
    OGRSpatialReferenceH srs = OGR_G_GetSpatialReference(p.geom[0]);
    assert_non_null(srs);
    assert_string_equal(OSRGetAuthorityCode(srs, NULL), "25831");
    rti_polygons_free(&p);
}

/* ---- messages that name the right cause ---- */

/* A GeoJSON file without features has no columns either: the message says
 * the layer is empty, not that the id column is missing. A layer with
 * columns but no features names both. */
static void empty_layer_is_named_before_a_missing_column(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "leeg.geojson");
    fx_write_text(path, "{\"type\": \"FeatureCollection\", \"features\": []}");
    rti_layer_ref ref = fx_ref(path, NULL);
    ref.crs = "EPSG:28992";
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "ref", NULL, NULL, &p), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "leeg.geojson: layer 'leeg' has no features (filter: none)");
    assert_null(strstr(rt_ctx_errmsg(f->ctx), "no column"));
    rti_polygons poly;
    assert_int_equal(rti_read_polygons(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, 1, &poly),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "layer 'leeg' has no features");

    path = fx_path(f, "kolommen.gpkg");
    fx_gpkg(path, "praktijken", "EPSG:28992", wkbPoint, pt_cols, NULL, 0);
    ref = fx_ref(path, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "ref", NULL, NULL, &p), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "kolommen.gpkg: layer 'praktijken': no column 'ref' (columns: "
                              "code, cap; the layer has no features)");
}

/* x_column or y_column that the CSV file lacks: the message names it and
 * the columns the file has (before, the layer had no geometry and the
 * message said "no features with a geometry"). */
static void missing_csv_coordinate_column_is_named(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, "code,x,lat,cap\nA,5.3,52.1,4\n");
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "punten.csv: layer 'punten': no column 'lon' (x_column) for the "
                              "coordinates (columns: code, x, lat, cap)");
    ref = csv_ref(f, "code,x,y\nA,5.3,52.1\n");
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "no columns 'lon' (x_column) and 'lat' (y_column) for the "
                              "coordinates (columns: code, x, y)");
    /* the names match without regard to case, as GDAL matches them */
    ref = csv_ref(f, "code,LON,Lat\nA,5.38720621,52.15517440\n");
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_true(fabs(p.x[0] - AMF_X) <= 1.0 && fabs(p.y[0] - AMF_Y) <= 1.0);
    rti_points_free(&p);
}

/* Found by fuzzing: two columns that both match y_column before the x
 * column crashed GDAL 3.6's CSV reader on the first row. Each coordinate
 * must come from one column; the columns are counted from 1. */
static void csv_coordinate_columns_must_be_unique(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, "id,lat,lat,lon\nA,52.1,52.2,5.3\n");
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "id", NULL, NULL, &p), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "punten.csv: columns 2 ('lat') and 3 ('lat') both match y_column "
                              "'lat'; the coordinates must come from one column each");
    ref = csv_ref(f, "LON,id,lon,lat\n5.3,A,5.4,52.1\n");
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "id", NULL, NULL, &p), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "columns 1 ('LON') and 3 ('lon') both match x_column 'lon'");
    /* a column of another name that merely starts alike is no match */
    ref = csv_ref(f, "id,lat,lat2,lon\nA,52.15517440,0,5.38720621\n");
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "id", NULL, NULL, &p), RT_OK);
    assert_true(fabs(p.x[0] - AMF_X) <= 1.0 && fabs(p.y[0] - AMF_Y) <= 1.0);
    rti_points_free(&p);
}

/* A CSV row whose coordinate is not a finite number has no point: the
 * warning and the error say why. */
static void csv_rows_without_a_point_say_why(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = csv_ref(f, "code,lon,lat\nA,5.38720621,52.15517440\nB,inf,52.1\n");
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.id[0], "A");
    rti_points_free(&p);
    FX_ASSERT_STR_HAS(f->log, "skipped 1 feature without a geometry (first: feature 2); a row "
                              "of a CSV file has no point when its x_column or y_column value "
                              "is empty or not a finite number");
    ref = csv_ref(f, "code,lon,lat\nB,inf,52.1\nC,,52.1\n");
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "layer 'punten' has no features with a geometry (2 without; "
                              "filter: none); a row of a CSV file has no point");
}

/* Counts must be finite numbers within the +-3.4e38 of the float grids
 * they are summed into: inf, NaN and 1e308 are refused naming the
 * feature; an empty cell is still "no value" (NaN). */
static void counts_that_are_not_finite_name_the_feature(void **state)
{
    fx *f = *state;
    static const struct {
        const char *value, *fragment;
    } bad[] = {
        {"inf", "feature 2 (id 'X2'): column 'cap': 'inf' is infinite"},
        {"-Infinity", "feature 2 (id 'X2'): column 'cap': '-Infinity' is infinite"},
        {"nan", "feature 2 (id 'X2'): column 'cap': 'nan' is not a number (NaN)"},
        {"1e308", "feature 2 (id 'X2'): column 'cap': value 1e+308 lies beyond +-3.4e38"},
        {"1e999", "feature 2 (id 'X2'): column 'cap': value inf is infinite"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[200];
        snprintf(text, sizeof(text), "code,lon,lat,cap\nX1,5.3,52.1,4\nX2,5.3,52.1,%s\n",
                 bad[i].value);
        rti_layer_ref ref = csv_ref(f, text);
        rti_points p;
        assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, "cap", &p),
                         RT_E_DATA);
        FX_ASSERT_MSG_HAS(f->ctx, bad[i].fragment);
        assert_int_equal(p.n, 0);
    }
    /* a numeric GeoJSON property of 1e999 is read as an infinite real */
    const char *path = fx_path(f, "pop.geojson");
    fx_write_text(path, "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
                        "\"Feature\", \"properties\": {\"n\": 1e999}, \"geometry\": "
                        "{\"type\": \"Point\", \"coordinates\": [5.3, 52.1]}}]}");
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, "n", &p), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "pop.geojson: layer 'pop': feature 0: column 'n': value inf is "
                              "infinite");
    /* polygons: 3.5e38 just beyond the largest float, 3.4028234663852886e38 */
    path = fx_path(f, "vlak.gpkg");
    static const char *const cols[] = {"code", "n:inw", NULL};
    fx_feature ft[] = {{"POLYGON ((0 0, 10 0, 10 10, 0 0))", {"GM1", "3.5e38"}}};
    fx_gpkg(path, "vlak", "EPSG:28992", wkbPolygon, cols, ft, 1);
    ref = fx_ref(path, NULL);
    rti_polygons poly;
    assert_int_equal(rti_read_polygons(f->ctx, &ref, "EPSG:28992", "code", NULL, "inw", 1, &poly),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "vlak.gpkg: layer 'vlak': feature 1 (id 'GM1'): column 'inw': "
                              "value 3.5e+38 lies beyond +-3.4e38");
}

/* A coordinate of 1e999 is infinite after parsing: refused naming the
 * feature, before and after the transformation. */
static void coordinates_that_are_not_finite_name_the_feature(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "ver.geojson");
    fx_write_text(path, "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
                        "\"Feature\", \"properties\": {\"code\": \"A\"}, \"geometry\": "
                        "{\"type\": \"Point\", \"coordinates\": [5.3, 52.1]}}, {\"type\": "
                        "\"Feature\", \"properties\": {\"code\": \"B\"}, \"geometry\": "
                        "{\"type\": \"LineString\", \"coordinates\": [[5.3, 52.1], "
                        "[1e999, 52.2]]}}]}");
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "ver.geojson: layer 'ver': feature 1: the geometry has a vertex "
                              "(inf, 52.2) whose coordinates are not finite numbers");
}

/* A vertex beyond 1e9 m of the analysis CRS's origin is no place on
 * Earth: refused naming the feature (found by fuzzing: a polygon with a
 * vertex at 4.8e18 m threw in GEOS's repair), and 1e9 itself is read. */
static void coordinates_beyond_the_earth_name_the_feature(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "ver.gpkg");
    fx_feature edge[] = {{"POINT (1e9 -1e9)", {"A", "1"}}, {"POINT (0 1000000001)", {"B", "1"}}};
    fx_gpkg(path, "ver", "EPSG:28992", wkbPoint, pt_cols, edge, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx,
                      "ver.gpkg: layer 'ver': feature 2: the geometry has a "
                      "vertex (0, 1000000001) that lies beyond 1e+09 m of the origin of the "
                      "analysis CRS; no position on Earth does");
    const char *one = fx_path(f, "one.gpkg");
    fx_gpkg(one, "one", "EPSG:28992", wkbPoint, pt_cols, edge, 1);
    ref = fx_ref(one, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_int_equal(p.n, 1);
    assert_true(p.x[0] == 1e9 && p.y[0] == -1e9);
    rti_points_free(&p);
    const char *vlak = fx_path(f, "vlak.gpkg");
    fx_feature far[] = {{"POLYGON ((172791 444367, 173513 4.77109446200393e18, 172768 442692, "
                         "172791 444367))",
                         {"WK028901", "Noordwest", "4745"}}};
    fx_gpkg(vlak, "wijken", "EPSG:28992", wkbPolygon, poly_cols, far, 1);
    ref = fx_ref(vlak, NULL);
    rti_polygons poly;
    assert_int_equal(
        rti_read_polygons(f->ctx, &ref, "EPSG:28992", "statcode", NULL, NULL, 1, &poly), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "feature 1: the geometry has a vertex (173513, "
                              "4.771094462e+18) that lies beyond 1e+09 m");
}

/* Every allocation made through the context fails once; each failure must
 * come back as RT_E_NOMEM without leaks (LeakSanitizer checks). */
static void allocation_failures_are_clean(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "oom.gpkg");
    fx_feature ft[] = {{"POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", {"GM0599", "Strik", "5"}},
                       {"POLYGON ((20 0, 30 0, 30 10, 20 0))", {"GM0600", "Drie", "6"}}};
    fx_gpkg(path, "oom", "EPSG:28992", wkbPolygon, poly_cols, ft, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    int k;
    for (k = 1; k < 200; k++) {
        rti_polygons p;
        rti_ctx_fail_alloc_at(f->ctx, k);
        rt_status st =
            rti_read_polygons(f->ctx, &ref, "EPSG:28992", "statcode", "statnaam", "inw", 1, &p);
        if (st == RT_OK) {
            rti_polygons_free(&p);
            if (rti_ctx_alloc_count(f->ctx) >= k)
                fail_msg("allocation %lld failed and the call succeeded all the same",
                         (long long)k);
            break;
        }
        assert_int_equal(st, RT_E_NOMEM);
    }
    assert_true(k > 1 && k < 200);
    for (k = 1; k < 200; k++) {
        rti_points p;
        rti_ctx_fail_alloc_at(f->ctx, k);
        rt_status st =
            rti_read_points(f->ctx, &ref, "EPSG:28992", "statcode", "statnaam", "inw", &p);
        if (st == RT_OK) {
            rti_points_free(&p);
            if (rti_ctx_alloc_count(f->ctx) >= k)
                fail_msg("allocation %lld failed and the call succeeded all the same",
                         (long long)k);
            break;
        }
        assert_int_equal(st, RT_E_NOMEM);
    }
    assert_true(k > 1 && k < 200);
    rti_ctx_fail_alloc_at(f->ctx, 0);
}

/* Threads with their own contexts: each gets its own result and its own
 * message (GDAL's handler stack is per thread). */
typedef struct thread_job {
    const char *good, *bad;
    int ok_runs, err_runs, n_warnings;
    char last_err[512];
} thread_job;

static void count_log(rt_log_level level, const char *msg, void *user)
{
    thread_job *j = user;
    (void)msg;
    if (level == RT_LOG_WARNING)
        j->n_warnings++;
}

static void *thread_main(void *arg)
{
    thread_job *j = arg;
    rt_ctx *ctx = rt_ctx_create();
    rt_ctx_set_log(ctx, count_log, j);
    for (int k = 0; k < 10; k++) {
        rti_polygons p;
        rti_layer_ref ref = fx_ref(k % 2 ? j->bad : j->good, NULL);
        rt_status st = rti_read_polygons(ctx, &ref, "EPSG:28992", "statcode", NULL, NULL, 1, &p);
        if (st == RT_OK && p.n == 2 && p.n_repaired == 1)
            j->ok_runs++;
        if (st == RT_E_DATA) {
            j->err_runs++;
            snprintf(j->last_err, sizeof(j->last_err), "%s", rt_ctx_errmsg(ctx));
        }
        rti_polygons_free(&p);
    }
    rt_ctx_destroy(ctx);
    return NULL;
}

static void threads_keep_their_own_messages(void **state)
{
    fx *f = *state;
    enum { NT = 4 };
    char good[NT][64], bad[NT][64];
    thread_job jobs[NT];
    pthread_t th[NT];
    for (int t = 0; t < NT; t++) {
        char name[32];
        snprintf(name, sizeof(name), "good%d.gpkg", t);
        snprintf(good[t], sizeof(good[t]), "%s", fx_path(f, name));
        snprintf(name, sizeof(name), "bad%d.gpkg", t);
        snprintf(bad[t], sizeof(bad[t]), "%s", fx_path(f, name));
        fx_feature ok[] = {{"POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", {"GM0599", "a", "1"}},
                           {"POLYGON ((20 0, 30 0, 30 10, 20 0))", {"GM0600", "b", "1"}}};
        fx_feature wrong[] = {{"POINT (1 1)", {"GM0601", "c", "1"}}};
        fx_gpkg(good[t], "g", "EPSG:28992", wkbPolygon, poly_cols, ok, 2);
        fx_gpkg(bad[t], "b", "EPSG:28992", wkbUnknown, poly_cols, wrong, 1);
        memset(&jobs[t], 0, sizeof(jobs[t]));
        jobs[t].good = good[t];
        jobs[t].bad = bad[t];
    }
    for (int t = 0; t < NT; t++)
        assert_int_equal(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
    for (int t = 0; t < NT; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (int t = 0; t < NT; t++) {
        assert_int_equal(jobs[t].ok_runs, 5);
        assert_int_equal(jobs[t].err_runs, 5);
        assert_int_equal(jobs[t].n_warnings, 5);
        char want[64];
        snprintf(want, sizeof(want), "bad%d.gpkg: layer 'b': feature 1", t);
        FX_ASSERT_STR_HAS(jobs[t].last_err, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(csv_points_land_on_rd_coordinates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(blank_ids_are_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(csv_digit_ids_keep_their_zeros, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(missing_column_is_named_with_the_columns, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(non_numeric_value_names_the_feature, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(filter_leaving_nothing_is_an_error, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(wrong_geometry_type_names_the_feature, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(layer_without_crs_needs_one, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(representative_points_and_skipped_geometries, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(bow_tie_is_repaired_with_a_warning, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(repairs_keep_the_structure, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(polygon_layer_with_a_point_is_refused, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(polygons_are_transformed, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(empty_layer_is_named_before_a_missing_column, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(csv_coordinate_columns_must_be_unique, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(missing_csv_coordinate_column_is_named, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(csv_rows_without_a_point_say_why, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(counts_that_are_not_finite_name_the_feature, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(coordinates_beyond_the_earth_name_the_feature, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(coordinates_that_are_not_finite_name_the_feature, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(allocation_failures_are_clean, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(threads_keep_their_own_messages, fx_setup, fx_teardown),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
