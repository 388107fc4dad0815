/* `reistijd nearest` on a friction GeoTIFF made at test time from an ESRI
 * ASCII grid with gdal_translate.
 *
 * The grid: 21 x 5 cells of 100 m, lower-left corner (100000, 400000) in
 * EPSG:28992, 0.1 s/m everywhere, so a step to a side neighbour costs
 * (0.1 + 0.1) / 2 x 100 = 10 s, a diagonal step 10 sqrt(2) s and a knight
 * move 10 sqrt(5) s. Nodata: cell (row 0, col 10), and cols 15-16 of every
 * row, a wall two cells thick that no move (not even a knight move) can
 * cross, so cols 17-20 are passable but unreachable. The one facility lies
 * at (100350, 400250), the centre of cell (row 2, col 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#define NX 21
#define NY 5

static char tmp[CLI_PATH_MAX];
static char friction[CLI_PATH_MAX];   /* the grid above */
static char facilities[CLI_PATH_MAX]; /* one point in (row 2, col 3) */

#define CRS_28992                                                                                  \
    "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}"

static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"ref\": \"A\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
    "[100350, 400250]}}]}";

static int is_nodata(int row, int col) { return (row == 0 && col == 10) || col == 15 || col == 16; }

/* Writes name.asc (values from cell(), -9999 = nodata) and turns it into
 * name.tif with the given CRS (NULL: none); the .tif path goes into tif. */
static void make_raster(const char *name, const char *srs, const char *header,
                        double (*cell)(int row, int col), char *tif)
{
    char asc[CLI_PATH_MAX], file[128];
    snprintf(file, sizeof(file), "%s.asc", name);
    cli_path(asc, tmp, file);
    FILE *f = fopen(asc, "w");
    assert_non_null(f);
    fputs(header, f);
    for (int r = 0; r < NY; r++) {
        for (int c = 0; c < NX; c++)
            fprintf(f, " %g", cell(r, c));
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    snprintf(file, sizeof(file), "%s.tif", name);
    cli_path(tif, tmp, file);
    if (srs)
        assert_int_equal(cli_sh("gdal_translate -q -a_srs %s '%s' '%s'", srs, asc, tif), 0);
    else /* an .asc without .prj has no CRS, and neither has the copy */
        assert_int_equal(cli_sh("gdal_translate -q '%s' '%s'", asc, tif), 0);
}

static const char header_28992[] = "ncols 21\nnrows 5\nxllcorner 100000\nyllcorner 400000\n"
                                   "cellsize 100\nNODATA_value -9999\n";

static double uniform_cell(int row, int col) { return is_nodata(row, col) ? -9999 : 0.1; }

/* the same, with one negative friction in (row 3, col 7) */
static double negative_cell(int row, int col)
{
    return row == 3 && col == 7 ? -0.1 : uniform_cell(row, col);
}

static int setup(void **state)
{
    (void)state;
    if (!cli_have("gdal_translate") || !cli_have("gdallocationinfo"))
        return 0; /* every test skips */
    cli_mkdtemp(tmp, "cli-nearest");
    make_raster("friction", "EPSG:28992", header_28992, uniform_cell, friction);
    cli_path(facilities, tmp, "facilities.geojson");
    cli_write_file(facilities, facility_json);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (tmp[0])
        cli_rmrf(tmp);
    return 0;
}

static void need_tools(void)
{
    if (!tmp[0])
        skip();
}

static void seconds_are_10_per_cell_east_and_nodata_is_nan(void **state)
{
    (void)state;
    need_tools();
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "time_s.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out);
    cli_assert_status(&r, 0);
    assert_string_equal(r.out, ""); /* no --timings: nothing on stdout */
    cli_result_free(&r);
    char what[64];
    for (int k = 0; k <= 11; k++) { /* cols 3..14, up to the wall */
        snprintf(what, sizeof(what), "(row 2, col %d)", 3 + k);
        cli_assert_close(cli_cell(out, 2, 3 + k), 10.0 * k, 1e-6, what);
    }
    cli_assert_close(cli_cell(out, 2, 0), 30, 1e-6, "3 cells west");
    cli_assert_close(cli_cell(out, 0, 1), 20 * sqrt(2.0), 1e-6, "2 diagonal steps");
    cli_assert_close(cli_cell(out, 3, 5), 10 * sqrt(5.0), 1e-6, "one knight move");
    assert_true(isnan(cli_cell(out, 0, 10))); /* nodata in the input */
    assert_true(isnan(cli_cell(out, 4, 15)));
    for (int c = 17; c < NX; c++) /* passable, but behind the wall */
        assert_true(isnan(cli_cell(out, 2, c)));
    char *info = cli_sh_output("gdalinfo '%s'", out);
    cli_assert_contains(info, "Size is 21, 5");
    cli_assert_contains(info, "Unit Type: s");
    cli_assert_contains(info, "NoData Value=nan");
    free(info);
    cli_assert_no_tmp(tmp);
}

static void units_min_divides_by_60(void **state)
{
    (void)state;
    need_tools();
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "time_min.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--units", "min");
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    cli_assert_close(cli_cell(out, 2, 4), 10 / 60.0, 1e-6, "1 cell east");
    cli_assert_close(cli_cell(out, 2, 9), 1.0, 1e-6, "6 cells east");
    char *info = cli_sh_output("gdalinfo '%s'", out);
    cli_assert_contains(info, "Unit Type: min");
    free(info);
}

static void eight_neighbours_have_no_knight_move(void **state)
{
    (void)state;
    need_tools();
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "time_n8.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--neighbours", "8");
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    /* (row 3, col 5): one diagonal and one straight step */
    cli_assert_close(cli_cell(out, 3, 5), 10 * sqrt(2.0) + 10, 1e-6, "8 neighbours");
    cli_assert_close(cli_cell(out, 2, 8), 50, 1e-6, "5 cells east");
}

static void timings_prints_core_seconds_on_stdout(void **state)
{
    (void)state;
    need_tools();
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "time_timings.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--timings", "-q");
    cli_assert_status(&r, 0);
    const char *key = "CORE_SECONDS=";
    if (strncmp(r.out, key, strlen(key)) != 0)
        fail_msg("stdout should be one CORE_SECONDS= line, is: '%s'", r.out);
    char *end;
    double s = strtod(r.out + strlen(key), &end);
    assert_true(end != r.out + strlen(key));
    assert_string_equal(end, "\n"); /* one line, nothing else */
    assert_true(s >= 0 && s < 60);
    cli_result_free(&r);
}

static void an_existing_output_is_replaced(void **state)
{
    (void)state;
    need_tools();
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "existing.tif");
    cli_write_file(out, "not a raster\n");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    cli_assert_close(cli_cell(out, 2, 4), 10, 1e-6, "replaced output");
    cli_assert_no_tmp(tmp);
}

static void no_facility_on_the_grid_fails_without_output(void **state)
{
    (void)state;
    need_tools();
    char far[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(far, tmp, "far.geojson");
    /* 10 km east of the grid */
    cli_write_file(far, "{\"type\": \"FeatureCollection\", " CRS_28992
                        ", \"features\": [{\"type\": \"Feature\", \"properties\": {}, "
                        "\"geometry\": {\"type\": \"Point\", \"coordinates\": "
                        "[112000, 400250]}}]}");
    cli_path(out, tmp, "none.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", far, "-o", out);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "far.geojson");
    cli_assert_contains(r.err, "none of the 1 facilities lies on a passable cell");
    cli_assert_contains(r.err, "RT_E_DATA");
    assert_string_equal(r.out, "");
    cli_result_free(&r);
    assert_false(cli_exists(out));
    cli_assert_no_tmp(tmp);
}

static void negative_friction_names_the_cell(void **state)
{
    (void)state;
    need_tools();
    char bad[CLI_PATH_MAX], out[CLI_PATH_MAX];
    make_raster("negative", "EPSG:28992", header_28992, negative_cell, bad);
    cli_path(out, tmp, "negative_out.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", bad, "--facilities", facilities, "-o", out);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "cell (row 3, col 7)");
    cli_assert_contains(r.err, "-0.1");
    cli_assert_contains(r.err, "RT_E_DATA");
    cli_result_free(&r);
    assert_false(cli_exists(out));
    cli_assert_no_tmp(tmp);
}

static void friction_in_degrees_is_refused(void **state)
{
    (void)state;
    need_tools();
    /* the same values on a grid of 0.001 degrees, EPSG:4326, and a facility
     * in the centre of its cell (row 2, col 3) */
    static const char header_4326[] = "ncols 21\nnrows 5\nxllcorner 4\nyllcorner 51.995\n"
                                      "cellsize 0.001\nNODATA_value -9999\n";
    char deg[CLI_PATH_MAX], pts[CLI_PATH_MAX], out[CLI_PATH_MAX];
    make_raster("degrees", "EPSG:4326", header_4326, uniform_cell, deg);
    cli_path(pts, tmp, "degrees.geojson");
    cli_write_file(pts, "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                        "\"properties\": {}, \"geometry\": {\"type\": \"Point\", "
                        "\"coordinates\": [4.0035, 51.9975]}}]}");
    cli_path(out, tmp, "degrees_out.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", deg, "--facilities", pts, "-o", out);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "degrees.tif");
    cli_assert_contains(r.err, "projected CRS in metres");
    cli_assert_contains(r.err, "RT_E_CRS");
    cli_result_free(&r);
    assert_false(cli_exists(out));
    cli_assert_no_tmp(tmp);
}

static void friction_without_crs_is_refused(void **state)
{
    (void)state;
    need_tools();
    char bare[CLI_PATH_MAX], out[CLI_PATH_MAX];
    make_raster("no_crs", NULL, header_28992, uniform_cell, bare);
    cli_path(out, tmp, "no_crs_out.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", bare, "--facilities", facilities, "-o", out);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "no_crs.tif");
    cli_assert_contains(r.err, "no CRS");
    cli_assert_contains(r.err, "RT_E_CRS");
    cli_result_free(&r);
    assert_false(cli_exists(out));
}

static void output_naming_the_friction_raster_is_refused(void **state)
{
    (void)state;
    need_tools();
    char copy[CLI_PATH_MAX], keep[CLI_PATH_MAX];
    cli_path(copy, tmp, "friction_copy.tif");
    cli_path(keep, tmp, "friction_keep.tif");
    assert_int_equal(cli_sh("cp '%s' '%s' && cp '%s' '%s'", friction, copy, friction, keep), 0);
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", copy, "--facilities", facilities, "-o", copy);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "would overwrite the friction raster");
    cli_assert_contains(r.err, "RT_E_ARG");
    cli_result_free(&r);
    assert_true(cli_same_bytes(copy, keep)); /* the input is untouched */
    cli_assert_no_tmp(tmp);
}

static void output_naming_the_facilities_is_refused(void **state)
{
    (void)state;
    need_tools();
    char copy[CLI_PATH_MAX];
    cli_path(copy, tmp, "facilities_copy.geojson");
    cli_copy_file(facilities, copy);
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", copy, "-o", copy);
    int status = r.status;
    cli_result_free(&r);
    int intact = cli_same_bytes(copy, facilities);
    assert_int_equal(status, 1);
    assert_true(intact);
    cli_assert_no_tmp(tmp);
}

static void usage_errors_exit_2(void **state)
{
    (void)state;
    need_tools();
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "usage.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--neighbours", "5");
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, "--neighbours must be 8 or 16, got '5'");
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "-o", out);
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, "--facilities");
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--units", "h");
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, "--units must be s or min");
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--threads", "0");
    cli_assert_status(&r, 2);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "nearest", "--friction", friction, "--facilities", facilities, "-o", out,
            "--snap-radius", "-1");
    cli_assert_status(&r, 2);
    cli_result_free(&r);
    assert_false(cli_exists(out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seconds_are_10_per_cell_east_and_nodata_is_nan),
        cmocka_unit_test(units_min_divides_by_60),
        cmocka_unit_test(eight_neighbours_have_no_knight_move),
        cmocka_unit_test(timings_prints_core_seconds_on_stdout),
        cmocka_unit_test(an_existing_output_is_replaced),
        cmocka_unit_test(no_facility_on_the_grid_fails_without_output),
        cmocka_unit_test(negative_friction_names_the_cell),
        cmocka_unit_test(friction_in_degrees_is_refused),
        cmocka_unit_test(friction_without_crs_is_refused),
        cmocka_unit_test(output_naming_the_friction_raster_is_refused),
        cmocka_unit_test(output_naming_the_facilities_is_refused),
        cmocka_unit_test(usage_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
