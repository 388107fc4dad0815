/* Versions and the analysis-CRS check. */
#include "io_fixture.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(versions_are_bare_numbers, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(projected_metre_crs_is_accepted, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(geographic_crs_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(foot_crs_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(mercator_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(unknown_crs_is_refused, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
