/* Versions, the analysis-CRS check, and CRSs whose code names another
 * kind of CRS. */
#include "io_fixture.h"

#include "loopback.h"

#define AMF_LON 5.38720621
#define AMF_LAT 52.15517440
#define AMF_X 155000.0
#define AMF_Y 463000.0

static void versions_are_bare_numbers(void **state)
{
    (void)state;
    assert_string_equal(rti_io_gdal_version(), GDAL_RELEASE_NAME);
    const char *proj = rti_io_proj_version();
    assert_true(proj[0] >= '1' && proj[0] <= '9');
    assert_non_null(strchr(proj, '.'));
    const char *geos = rti_io_geos_version();
    assert_true(geos[0] >= '1' && geos[0] <= '9');
    assert_null(strchr(geos, '-'));
    assert_null(strchr(geos, ' '));
}

static void projected_metre_crs_is_accepted(void **state)
{
    fx *f = *state;
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:28992"), RT_OK);
    assert_int_equal(rti_crs_check_metric(f->ctx, "+proj=utm +zone=31 +datum=WGS84 +units=m"),
                     RT_OK);
    /* WKT is accepted as well */
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    assert_int_equal(OSRImportFromEPSG(srs, 3035), OGRERR_NONE);
    assert_int_equal(OSRExportToWkt(srs, &wkt), OGRERR_NONE);
    assert_int_equal(rti_crs_check_metric(f->ctx, wkt), RT_OK);
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    /* and the OGC's name of a CRS, which GDAL resolves without the network */
    assert_int_equal(rti_crs_check_metric(f->ctx, "http://www.opengis.net/def/crs/EPSG/0/28992"),
                     RT_OK);
}

/* A CRS is text: one that names a file (here the fixture's own folder and
 * a file in it), a GDAL virtual file or a URL is refused before GDAL
 * would read or fetch it. */
static void crs_from_a_file_or_url_is_refused(void **state)
{
    fx *f = *state;
    const char *prj = fx_path(f, "rd.prj");
    fx_write_text(prj, "PROJCS[\"x\"]\n");
    const char *const files[] = {prj, "/vsimem/rd.prj", "DICT:epsg,28992"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(rti_crs_check_metric(f->ctx, files[k]), RT_E_CRS);
        FX_ASSERT_MSG_HAS(f->ctx, "names a file; a CRS is read from no file or URL");
    }
    assert_int_equal(rti_crs_check_metric(f->ctx, "https://example.org/rd.prj"), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "'https://example.org/rd.prj' names a URL");
}

static void geographic_crs_is_refused(void **state)
{
    fx *f = *state;
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:4326"), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "EPSG:4326");
    FX_ASSERT_MSG_HAS(f->ctx, "geographic");
}

static void foot_crs_is_refused(void **state)
{
    fx *f = *state;
    /* NAD83 / California zone 3 (ftUS) */
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:2227"), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "not metre");
    FX_ASSERT_MSG_HAS(f->ctx, "foot");
}

/* Web Mercator and Mercator: metres that grow with latitude; Transverse
 * Mercator (UTM) passes */
static void mercator_is_refused(void **state)
{
    fx *f = *state;
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:3857"), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "EPSG:3857");
    FX_ASSERT_MSG_HAS(f->ctx, "Mercator projection");
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:3395"), RT_E_CRS); /* World Mercator */
    FX_ASSERT_MSG_HAS(f->ctx, "Mercator_1SP");
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:32631"), RT_OK); /* UTM 31N */
}

static void unknown_crs_is_refused(void **state)
{
    fx *f = *state;
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:999999"), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "EPSG:999999");
    assert_int_equal(rti_crs_check_metric(f->ctx, "nonsense"), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "'nonsense' not recognised");
    assert_int_equal(rti_crs_check_metric(f->ctx, NULL), RT_E_CRS);
}

/* The WKT of the geographic CRS EPSG:`base` with its code swapped for
 * EPSG:`code`; CPLFree() it. */
static char *coded(int base, const char *code)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL, own[32];
    const char *opts[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", NULL};
    assert_int_equal(OSRImportFromEPSG(srs, base), OGRERR_NONE);
    assert_int_equal(OSRExportToWktEx(srs, &wkt, opts), OGRERR_NONE);
    OSRDestroySpatialReference(srs);
    snprintf(own, sizeof(own), "ID[\"EPSG\",%d]", base);
    char *id = strstr(wkt, own);
    assert_non_null(id);
    char *out = CPLStrdup(
        CPLSPrintf("%.*sID[\"EPSG\",%s]%s", (int)(id - wkt), wkt, code, id + strlen(own)));
    CPLFree(wkt);
    return out;
}

/* A geographic CRS carrying the code of a geocentric one (EPSG:4978, WGS
 * 84 geocentric; EPSG:4342, EST97 geocentric) makes PROJ 9.1 dereference
 * a null when any transformation is built from it (a fuzzed GeoTIFF with
 * GeographicTypeGeoKey 4342 found it): refused where it enters, as the
 * raster's and the layer's CRS and as a CRS the user gives; the same WKT
 * with its own code, or with the code of a 3D geographic CRS (4979),
 * passes. A geocentric CRS itself is refused too. A pixel of 0.001 degree
 * around Amersfoort. */
static void crs_coded_as_another_kind_is_refused(void **state)
{
    fx *f = *state;
    char *bad = coded(4326, "4978"), *good = coded(4326, "4326"), *geog3d = coded(4326, "4979");
    /* EST97 carrying the code of EST97 (geocentric): the GeoTIFF keeps it
     * as the fuzzed file did, named after that code (a GeoTIFF of WGS 84 coded 4978 reads back as
     * the geocentric CRS itself) */
    char *est97 = coded(4180, "4342");
    const double gt[6] = {AMF_LON - 0.0005, 0.001, 0.0, AMF_LAT + 0.0005, 0.0, -0.001};
    const float one = 1.0f;
    const rti_grid_spec g = {AMF_X - 50.0, AMF_Y + 50.0, 100.0, 1, 1, "EPSG:28992"};
    float out = 0.0f;

    const char *tif = fx_path(f, "coded.tif");
    fx_tiff(tif, 1, 1, gt, est97, &one, 0, 0.0);
    rti_layer_ref ref = fx_ref(tif, NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "near", &out), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx,
                      "coded.tif: the CRS 'EST97 (geocentric)' is geographic but carries the code "
                      "EPSG:4342 of a geocentric CRS");
    assert_true(isnan(out));
    fx_tiff(tif, 1, 1, gt, "EPSG:4978", &one, 0, 0.0);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "near", &out), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "coded.tif: the CRS 'WGS 84' is geocentric");
    for (int k = 0; k < 2; k++) {
        fx_tiff(tif, 1, 1, gt, k ? geog3d : good, &one, 0, 0.0);
        assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "near", &out), RT_OK);
        assert_true(out == 1.0f);
    }

    const char *gpkg = fx_path(f, "coded.gpkg");
    const char *const cols[] = {"code", NULL};
    char point[64];
    snprintf(point, sizeof(point), "POINT (%.8f %.8f)", AMF_LON, AMF_LAT);
    const fx_feature ft[] = {{point, {"a"}}};
    fx_gpkg(gpkg, "pts", bad, wkbPoint, cols, ft, 1);
    rti_layer_ref lref = fx_ref(gpkg, "pts");
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &lref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "coded.gpkg: layer 'pts': the CRS 'WGS 84' is geographic but "
                              "carries the code EPSG:4978");

    /* given by the user: for a source without CRS, and as the analysis
     * CRS (RD New carrying the geocentric code) */
    const char *csv = fx_path(f, "coded.csv");
    fx_write_text(csv, "code,x,y\na,5.38720621,52.15517440\n");
    lref = fx_csv_ref(csv, "x", "y", bad);
    assert_int_equal(rti_read_points(f->ctx, &lref, "EPSG:28992", "code", NULL, NULL, &p),
                     RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "carries the code EPSG:4978 of a geocentric CRS");
    lref.crs = good;
    assert_int_equal(rti_read_points(f->ctx, &lref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_true(fabs(p.x[0] - AMF_X) <= 1.0 && fabs(p.y[0] - AMF_Y) <= 1.0);
    rti_points_free(&p);

    OGRSpatialReferenceH rd = OSRNewSpatialReference(NULL);
    char *rd_wkt = NULL;
    assert_int_equal(OSRImportFromEPSG(rd, 28992), OGRERR_NONE);
    assert_int_equal(OSRExportToWkt(rd, &rd_wkt), OGRERR_NONE);
    char *at = strstr(rd_wkt, "AUTHORITY[\"EPSG\",\"28992\"]");
    assert_non_null(at);
    memcpy(at + strlen("AUTHORITY[\"EPSG\",\""), "04978", 5); /* a leading zero keeps the length */
    assert_int_equal(rti_crs_check_metric(f->ctx, rd_wkt), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "is projected but carries the code EPSG:04978 of a geocentric CRS");
    CPLFree(rd_wkt);
    OSRDestroySpatialReference(rd);
    CPLFree(bad);
    CPLFree(good);
    CPLFree(geog3d);
    CPLFree(est97);
}

/* The WKT (version 1) of srs with the code of its root replaced by
 * `authority` (the text inside AUTHORITY[...]); CPLFree() it. */
static char *wkt1_with_authority(OGRSpatialReferenceH srs, const char *authority)
{
    char *wkt = NULL;
    assert_int_equal(OSRExportToWkt(srs, &wkt), OGRERR_NONE);
    char *last = NULL;
    for (char *at = strstr(wkt, "AUTHORITY["); at; at = strstr(at + 1, "AUTHORITY["))
        last = at;
    assert_non_null(last);
    char *end = strchr(last, ']');
    assert_non_null(end);
    char *out =
        CPLStrdup(CPLSPrintf("%.*sAUTHORITY[%s]%s", (int)(last - wkt), wkt, authority, end + 1));
    CPLFree(wkt);
    return out;
}

/* What the check of codes lets through: RD New with TOWGS84 (a bound
 * CRS), RD New + NAP (a compound CRS, EPSG:7415), RD New as ESRI writes
 * it (no code), a code PROJ does not know, and a code that names a URL,
 * which is looked up in PROJ's database only: the listener on the
 * loopback address it names gets no connection. */
static void crs_codes_that_pass(void **state)
{
    fx *f = *state;
    OGRSpatialReferenceH rd = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(rd, 28992), OGRERR_NONE);
    char *wkt = NULL;
    OGRSpatialReferenceH s = OSRClone(rd);
    assert_int_equal(OSRSetTOWGS84(s, 565.4, 50.3, 465.6, 0.399, -0.344, 1.877, 4.072),
                     OGRERR_NONE);
    assert_int_equal(OSRExportToWkt(s, &wkt), OGRERR_NONE);
    assert_int_equal(rti_crs_check_metric(f->ctx, wkt), RT_OK);
    CPLFree(wkt);
    OSRDestroySpatialReference(s);
    assert_int_equal(rti_crs_check_metric(f->ctx, "EPSG:7415"), RT_OK);
    s = OSRClone(rd);
    assert_int_equal(OSRMorphToESRI(s), OGRERR_NONE);
    assert_int_equal(OSRExportToWkt(s, &wkt), OGRERR_NONE);
    assert_int_equal(rti_crs_check_metric(f->ctx, wkt), RT_OK);
    CPLFree(wkt);
    OSRDestroySpatialReference(s);

    loopback lb;
    loopback_start(&lb, 1);
    char auth[96];
    snprintf(auth, sizeof(auth), "\"http\",\"//127.0.0.1:%d/rd\"", lb.port);
    const char *const codes[] = {"\"EPSG\",\"999999\"", auth};
    for (int k = 0; k < 2; k++) {
        wkt = wkt1_with_authority(rd, codes[k]);
        if (rti_crs_check_metric(f->ctx, wkt) != RT_OK)
            fail_msg("%s: %s", codes[k], rt_ctx_errmsg(f->ctx));
        CPLFree(wkt);
    }
    assert_int_equal(loopback_stop(&lb), 0);
    OSRDestroySpatialReference(rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(versions_are_bare_numbers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(projected_metre_crs_is_accepted, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(crs_from_a_file_or_url_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(geographic_crs_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(foot_crs_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(mercator_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(unknown_crs_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(crs_coded_as_another_kind_is_refused, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(crs_codes_that_pass, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
