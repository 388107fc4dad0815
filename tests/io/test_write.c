/* Writing GeoTIFFs and GeoPackages, and file checksums. */
#include "io_fixture.h"

/* ---- GeoTIFF ---- */

typedef struct rows {
    int32_t nx;
} rows;

/* value r * 10 + c, except cell (2, 3), which is NaN */
static void float_row(int32_t r, void *buf, void *user)
{
    const rows *w = user;
    float *v = buf;
    for (int32_t c = 0; c < w->nx; c++)
        v[c] = (r == 2 && c == 3) ? NAN : (float)(r * 10 + c);
}

static void int_row(int32_t r, void *buf, void *user)
{
    const rows *w = user;
    int32_t *v = buf;
    for (int32_t c = 0; c < w->nx; c++)
        v[c] = r * 1000 + c;
}

static void geotiff_float_round_trip(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "tijd.tif");
    rti_grid_spec g = {1000.0, 2000.0, 25.0, 7, 5, "EPSG:28992"};
    rows w = {7};
    assert_int_equal(rti_write_geotiff(f->ctx, path, &g, NULL, RTI_FLOAT32, NAN, "time to nearest",
                                       "min", float_row, &w),
                     RT_OK);

    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    assert_non_null(ds);
    assert_int_equal(GDALGetRasterXSize(ds), 7);
    assert_int_equal(GDALGetRasterYSize(ds), 5);
    double gt[6];
    assert_int_equal(GDALGetGeoTransform(ds, gt), CE_None);
    assert_true(gt[0] == 1000.0 && gt[1] == 25.0 && gt[2] == 0.0);
    assert_true(gt[3] == 2000.0 && gt[4] == 0.0 && gt[5] == -25.0);
    OGRSpatialReferenceH srs = GDALGetSpatialRef(ds);
    assert_non_null(srs);
    assert_string_equal(OSRGetAuthorityCode(srs, NULL), "28992");
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    assert_int_equal(GDALGetRasterDataType(b), GDT_Float32);
    int has = 0;
    assert_true(isnan(GDALGetRasterNoDataValue(b, &has)));
    assert_true(has);
    assert_string_equal(GDALGetRasterUnitType(b), "min");
    assert_string_equal(GDALGetDescription(b), "time to nearest");
    int bx = 0, by = 0; /* one tile of 7 x 5 rounded up to 16 */
    GDALGetBlockSize(b, &bx, &by);
    assert_true(bx == 16 && by == 16);
    const char *comp = GDALGetMetadataItem(ds, "COMPRESSION", "IMAGE_STRUCTURE");
    assert_non_null(comp);
    assert_string_equal(comp, "ZSTD");
    float v[35];
    assert_int_equal(GDALRasterIO(b, GF_Read, 0, 0, 7, 5, v, 7, 5, GDT_Float32, 0, 0), CE_None);
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 7; c++)
            assert_true(r == 2 && c == 3 ? isnan(v[r * 7 + c]) : v[r * 7 + c] == r * 10 + c);
    GDALClose(ds);
}

/* The Int32 GeoTIFF at path: nx x ny cells of int_row's values (r * 1000 +
 * c), nodata -1, in blocks of bx x by. */
static void check_int_grid(const char *path, int nx, int ny, int bx, int by)
{
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    assert_non_null(ds);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    assert_int_equal(GDALGetRasterDataType(b), GDT_Int32);
    int gx = 0, gy = 0;
    GDALGetBlockSize(b, &gx, &gy);
    assert_true(gx == bx && gy == by);
    int has = 0;
    assert_true(GDALGetRasterNoDataValue(b, &has) == -1.0 && has);
    int32_t *v = malloc(sizeof(int32_t) * (size_t)nx * (size_t)ny);
    assert_non_null(v);
    assert_int_equal(GDALRasterIO(b, GF_Read, 0, 0, nx, ny, v, nx, ny, GDT_Int32, 0, 0), CE_None);
    int64_t bad = 0;
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++)
            bad += v[(int64_t)r * nx + c] != r * 1000 + c;
    assert_int_equal(bad, 0);
    free(v);
    GDALClose(ds);
}

/* More rows than one 512-row block, to write several strips. */
static void geotiff_int_round_trip_over_several_strips(void **state)
{
    fx *f = *state;
    enum { NX = 700, NY = 1100 };
    const char *path = fx_path(f, "label.tif");
    rti_grid_spec g = {0.0, 110000.0, 100.0, NX, NY, "EPSG:28992"};
    rows w = {NX};
    assert_int_equal(
        rti_write_geotiff(f->ctx, path, &g, "EPSG:28992", RTI_INT32, -1.0, NULL, "", int_row, &w),
        RT_OK);
    check_int_grid(path, NX, NY, 512, 512); /* 2 x 3 tiles */
}

/* The bytes of the file at path (*n of them). */
static unsigned char *file_bytes(const char *path, long *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    *n = ftell(fp);
    rewind(fp);
    unsigned char *b = malloc((size_t)*n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)*n, fp), (size_t)*n);
    fclose(fp);
    return b;
}

/* A grid wider than a tile and low (600 x 20 cells): two tiles of
 * 512 x 32, every value back; compressed on two threads, the same bytes
 * as on one. */
static void geotiff_wide_low_grid_in_two_tiles(void **state)
{
    fx *f = *state;
    enum { NX = 600, NY = 20 };
    char one[512];
    snprintf(one, sizeof(one), "%s", fx_path(f, "strook-1.tif"));
    const char *path = fx_path(f, "strook.tif");
    rti_grid_spec g = {0.0, 2000.0, 100.0, NX, NY, "EPSG:28992"};
    rows w = {NX};
    for (int t = 1; t <= 2; t++) {
        rt_ctx_set_threads(f->ctx, t);
        assert_int_equal(rti_write_geotiff(f->ctx, t == 1 ? one : path, &g, "EPSG:28992", RTI_INT32,
                                           -1.0, NULL, "", int_row, &w),
                         RT_OK);
    }
    long n1, n2;
    unsigned char *b1 = file_bytes(one, &n1), *b2 = file_bytes(path, &n2);
    assert_true(n1 == n2 && memcmp(b1, b2, (size_t)n1) == 0);
    free(b1);
    free(b2);
    check_int_grid(path, NX, NY, 512, 32);
}

static void geotiff_refuses_an_existing_path(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "bestaat.tif");
    fx_write_text(path, "keep me");
    rti_grid_spec g = {0.0, 20.0, 10.0, 2, 2, "EPSG:28992"};
    rows w = {2};
    assert_int_equal(
        rti_write_geotiff(f->ctx, path, &g, NULL, RTI_FLOAT32, NAN, NULL, NULL, float_row, &w),
        RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "bestaat.tif: already exists");
    char buf[16] = "";
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_non_null(fgets(buf, sizeof(buf), fp));
    fclose(fp);
    assert_string_equal(buf, "keep me");
}

static void geotiff_failure_leaves_no_file(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "slecht.tif");
    rti_grid_spec g = {0.0, 20.0, 10.0, 2, 2, "no such crs"};
    rows w = {2};
    assert_int_equal(
        rti_write_geotiff(f->ctx, path, &g, NULL, RTI_FLOAT32, NAN, NULL, NULL, float_row, &w),
        RT_E_CRS);
    assert_int_not_equal(access(path, F_OK), 0);
    const char *nodir = fx_path(f, "geen/map/x.tif");
    g.crs = "EPSG:28992";
    assert_int_equal(
        rti_write_geotiff(f->ctx, nodir, &g, NULL, RTI_FLOAT32, NAN, NULL, NULL, float_row, &w),
        RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "x.tif: cannot create");
}

/* ---- GeoPackage ---- */

static void gpkg_polygons_and_points_read_back(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "uit.gpkg");
    rti_polygons p;
    memset(&p, 0, sizeof(p));
    const char *wkt[2] = {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                          "MULTIPOLYGON (((20 0, 30 0, 30 10, 20 0)), ((40 0, 50 0, 50 5, 40 0)))"};
    void *geom[2];
    for (int i = 0; i < 2; i++) {
        char *w = (char *)wkt[i];
        OGRGeometryH g = NULL;
        assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
        geom[i] = g;
    }
    p.n = 2;
    p.geom = geom;
    const char *ids[] = {"GM0599", "0001"};
    const int64_t inw[] = {10, 20000000000LL};
    const double share[] = {0.25, NAN};
    rti_column cols[] = {{"statcode", RTI_COL_STR, ids, NULL, NULL},
                         {"inwoners", RTI_COL_INT, NULL, inw, NULL},
                         {"aandeel", RTI_COL_REAL, NULL, NULL, share}};
    assert_int_equal(
        rti_write_gpkg_layer(f->ctx, path, "regio", "EPSG:28992", &p, NULL, NULL, 2, cols, 3),
        RT_OK);
    const double x[] = {1.5, 2.5, 3.5}, y[] = {4.0, 5.0, 6.0};
    const char *names[] = {"a", NULL, "c"};
    rti_column pcols[] = {{"naam", RTI_COL_STR, names, NULL, NULL}};
    assert_int_equal(
        rti_write_gpkg_layer(f->ctx, path, "punten", "EPSG:28992", NULL, x, y, 3, pcols, 1), RT_OK);
    /* the same layer again is refused, the file stays intact */
    assert_int_equal(
        rti_write_gpkg_layer(f->ctx, path, "punten", "EPSG:28992", NULL, x, y, 3, pcols, 1),
        RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "already has a layer 'punten'");

    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    assert_int_equal(GDALDatasetGetLayerCount(ds), 2);
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "regio");
    assert_non_null(lyr);
    assert_int_equal(OGR_L_GetFeatureCount(lyr, TRUE), 2);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int is = OGR_FD_GetFieldIndex(defn, "statcode");
    int ii = OGR_FD_GetFieldIndex(defn, "inwoners");
    int ir = OGR_FD_GetFieldIndex(defn, "aandeel");
    assert_true(is >= 0 && ii >= 0 && ir >= 0);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, is)), OFTString);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, ii)), OFTInteger64);
    OGR_L_ResetReading(lyr);
    OGRFeatureH ft = OGR_L_GetNextFeature(lyr);
    assert_string_equal(OGR_F_GetFieldAsString(ft, is), "GM0599");
    assert_int_equal(OGR_F_GetFieldAsInteger64(ft, ii), 10);
    assert_true(OGR_F_GetFieldAsDouble(ft, ir) == 0.25);
    assert_true(fabs(OGR_G_Area(OGR_F_GetGeometryRef(ft)) - 100.0) < 1e-9);
    OGR_F_Destroy(ft);
    ft = OGR_L_GetNextFeature(lyr);
    assert_string_equal(OGR_F_GetFieldAsString(ft, is), "0001");
    assert_true(OGR_F_GetFieldAsInteger64(ft, ii) == 20000000000LL);
    assert_false(OGR_F_IsFieldSetAndNotNull(ft, ir));
    /* triangles of 10 x 10 / 2 and 10 x 5 / 2 */
    assert_true(fabs(OGR_G_Area(OGR_F_GetGeometryRef(ft)) - 75.0) < 1e-9);
    OGR_F_Destroy(ft);
    lyr = GDALDatasetGetLayerByName(ds, "punten");
    assert_int_equal(OGR_L_GetFeatureCount(lyr, TRUE), 3);
    OGR_L_ResetReading(lyr);
    OGR_F_Destroy(OGR_L_GetNextFeature(lyr));
    ft = OGR_L_GetNextFeature(lyr);
    OGRGeometryH g = OGR_F_GetGeometryRef(ft);
    assert_true(OGR_G_GetX(g, 0) == 2.5 && OGR_G_GetY(g, 0) == 5.0);
    assert_false(OGR_F_IsFieldSetAndNotNull(ft, 0));
    OGR_F_Destroy(ft);
    GDALClose(ds);
    for (int i = 0; i < 2; i++)
        OGR_G_DestroyGeometry(geom[i]);
}

static void gpkg_rejects_bad_arguments(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "arg.gpkg");
    const double x[] = {1.0};
    assert_int_equal(
        rti_write_gpkg_layer(f->ctx, path, "p", "EPSG:28992", NULL, NULL, NULL, 1, NULL, 0),
        RT_E_ARG);
    assert_int_equal(rti_write_gpkg_layer(f->ctx, path, "p", "bogus", NULL, x, x, 1, NULL, 0),
                     RT_E_CRS);
    assert_int_not_equal(access(path, F_OK), 0); /* a failed first layer leaves no file */
}

/* ---- checksums ---- */

static void sha256_of_known_content(void **state)
{
    fx *f = *state;
    char hex[65];
    uint64_t size = 0;
    const char *abc = fx_path(f, "abc.txt");
    fx_write_text(abc, "abc");
    assert_int_equal(rti_file_sha256(f->ctx, abc, hex, &size), RT_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(size, 3);

    const char *empty = fx_path(f, "empty.txt");
    fx_write_text(empty, "");
    assert_int_equal(rti_file_sha256(f->ctx, empty, hex, &size), RT_OK);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(size, 0);

    /* one million times 'a' (FIPS 180-2 test vector) */
    const char *mil = fx_path(f, "million.txt");
    char *text = malloc(1000001);
    assert_non_null(text);
    memset(text, 'a', 1000000);
    text[1000000] = '\0';
    fx_write_text(mil, text);
    free(text);
    assert_int_equal(rti_file_sha256(f->ctx, mil, hex, &size), RT_OK);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    assert_int_equal(size, 1000000);

    assert_int_equal(rti_file_sha256(f->ctx, fx_path(f, "nope"), hex, &size), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "nope: cannot open");
}

/* Outputs are written under a temporary name, <dir>/.tmp-<pid>-<name>
 * (outfile.c); when the write fails, the message names <dir>/<name>, the
 * file the user asked for. Here the folder does not exist. */
static void failed_writes_name_the_final_file(void **state)
{
    fx *f = *state;
    char tmp[600], mark[64];
    snprintf(mark, sizeof(mark), ".tmp-%ld-", (long)getpid());
    snprintf(tmp, sizeof(tmp), "%s/%stijd.tif", fx_path(f, "weg"), mark);
    rti_grid_spec g = {1000.0, 2000.0, 25.0, 7, 5, "EPSG:28992"};
    rows w = {7};
    assert_int_equal(
        rti_write_geotiff(f->ctx, tmp, &g, NULL, RTI_FLOAT32, NAN, NULL, NULL, float_row, &w),
        RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "/weg/tijd.tif: cannot create");
    assert_null(strstr(rt_ctx_errmsg(f->ctx), ".tmp-"));

    snprintf(tmp, sizeof(tmp), "%s/%sreistijd.gpkg", fx_path(f, "weg"), mark);
    double x = 1.0, y = 2.0;
    int64_t id = 7;
    rti_column col = {"id", RTI_COL_INT, NULL, &id, NULL};
    assert_int_equal(
        rti_write_gpkg_layer(f->ctx, tmp, "punten", "EPSG:28992", NULL, &x, &y, 1, &col, 1),
        RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "/weg/reistijd.gpkg: cannot create");
    assert_null(strstr(rt_ctx_errmsg(f->ctx), ".tmp-"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(geotiff_float_round_trip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(geotiff_int_round_trip_over_several_strips, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(geotiff_wide_low_grid_in_two_tiles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(geotiff_refuses_an_existing_path, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(geotiff_failure_leaves_no_file, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(gpkg_polygons_and_points_read_back, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(gpkg_rejects_bad_arguments, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(sha256_of_known_content, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(failed_writes_name_the_final_file, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
