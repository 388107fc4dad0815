/* `reistijd run` end to end on the hand-checked study tests/fixtures/small.
 *
 * The fixture (see its study.yaml): a grid of 40 x 10 cells of 100 m from
 * (100000, 400000) to (104000, 401000) in EPSG:28992, all land at 36 km/h,
 * so a step to a side neighbour takes 10 s and a diagonal step 10 sqrt(2) s.
 * Facility H1 is given in EPSG:4326 and lies in cell (row 5, col 5); H9 lies
 * far outside the extent. Population points: 100 persons in (row 5, col 15),
 * 50 in (row 5, col 35), 25 in (row 0, col 0). GM0001 covers cols 0-19,
 * GM0002 cols 20-39. Hence, by hand:
 *   (5, 15): 10 steps east          = 100 s            (route 1000 m)
 *   (5, 35): 30 steps east          = 300 s            (route 3000 m)
 *   (0, 0):  5 diagonal steps       = 50 sqrt(2) s     (route 500 sqrt(2) m)
 *   (9, 39): 4 knight moves (2 east, 1 south) and 26 steps east
 *            = 40 sqrt(5) + 260 s, cheaper than 4 diagonal and 30 straight
 *            steps (40 sqrt(2) + 300 s).
 * GM0001: 125 persons, mean (100 x 100 + 25 x 50 sqrt(2)) / 125 s, median
 * 100 s (1.5 min norm: 100 persons beyond, share 0.8; 4 min: nobody).
 * GM0002: 50 persons, 300 s = 5 min, beyond both norms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX]; /* everything of this program */
static char out[CLI_PATH_MAX]; /* OUTDIR of the shared run */
static char study[CLI_PATH_MAX];
static cli_result run; /* the shared run */

static const char *const expected_outputs[] = {"huisarts_time_min.tif",
                                               "huisarts_facility.tif",
                                               "huisarts_second_time_min.tif",
                                               "huisarts_second_facility.tif",
                                               "huisarts_length_m.tif",
                                               "reistijd.gpkg",
                                               "gemeente.csv",
                                               "gemeente.csvt",
                                               "huisarts_time_min.qml",
                                               "huisarts_second_time_min.qml",
                                               "huisarts_length_m.qml",
                                               "huisarts_facility.qml",
                                               "huisarts_second_facility.qml",
                                               "report.html",
                                               "run.json"};
#define N_OUTPUTS (sizeof(expected_outputs) / sizeof(expected_outputs[0]))

static int group_setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-run");
    cli_path(out, tmp, "out/nested"); /* missing parents are created too */
    snprintf(study, sizeof(study), "%s/tests/fixtures/small/study.yaml", cli_source_dir());
    CLI_RUN(&run, tmp, "run", study, "-o", out);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cli_result_free(&run);
    cli_rmrf(tmp);
    return 0;
}

static void out_file(char *buf, const char *name) { cli_path(buf, out, name); }

/* ---- CSV: one row per region and type, columns by name ---- */

#define CSV_MAX_FIELDS 64

/* Splits one line (no quoting in these files) into fields; returns the
 * count. Fields point into line, which is modified. */
static int csv_split(char *line, char **field)
{
    int n = 0;
    field[n++] = line;
    for (char *p = line; *p && *p != '\n'; p++)
        if (*p == ',' && n < CSV_MAX_FIELDS) {
            *p = '\0';
            field[n++] = p + 1;
        }
    char *nl = strchr(field[n - 1], '\n');
    if (nl)
        *nl = '\0';
    return n;
}

/* The value of column `column` in the row of region `region`; NaN for an
 * empty field. Fails when the row or the column is missing. */
static double csv_value(const char *csv, const char *region, const char *column)
{
    char *text = strdup(csv), *save = NULL;
    assert_non_null(text);
    char *head[CSV_MAX_FIELDS], *row[CSV_MAX_FIELDS];
    char *line = strtok_r(text, "\n", &save);
    assert_non_null(line);
    int nh = csv_split(line, head), col = -1;
    for (int i = 0; i < nh; i++)
        if (strcmp(head[i], column) == 0)
            col = i;
    if (col < 0)
        fail_msg("gemeente.csv: no column %s", column);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        int nr = csv_split(line, row);
        if (nr != nh)
            fail_msg("gemeente.csv: a row has %d fields, the header %d", nr, nh);
        if (strcmp(row[0], region) == 0) {
            double v = row[col][0] ? strtod(row[col], NULL) : NAN;
            free(text);
            return v;
        }
    }
    fail_msg("gemeente.csv: no row for %s", region);
    return NAN;
}

/* ---- tests ---- */

static void exits_zero_with_every_output_and_no_temporary_file(void **state)
{
    (void)state;
    cli_assert_status(&run, 0);
    char path[CLI_PATH_MAX], list[2048];
    for (size_t i = 0; i < N_OUTPUTS; i++) {
        out_file(path, expected_outputs[i]);
        if (!cli_exists(path))
            fail_msg("missing output %s", expected_outputs[i]);
    }
    int n = cli_count_entries(out, list, sizeof(list));
    if (n != (int)N_OUTPUTS)
        fail_msg("OUTDIR holds %d entries, expected %d: %s", n, (int)N_OUTPUTS, list);
    cli_assert_no_tmp(out);
    /* the summary goes to stdout, nothing but warnings to stderr */
    cli_assert_contains(run.out, "GM0001");
    cli_assert_contains(run.out, "GM0002");
}

static void csv_gm0001_holds_hand_computed_statistics(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    out_file(path, "gemeente.csv");
    char *csv = cli_read_file(path);
    assert_non_null(csv);
    const double r2 = sqrt(2.0);
    const double mean_min = (100 * 100.0 + 25 * 5 * 10 * r2) / 125 / 60;
    assert_true(fabs(mean_min - 1.569) < 1e-3); /* sanity of the formula itself */
    const double tol = 1e-4;
    cli_assert_close(csv_value(csv, "GM0001", "population"), 125, tol, "population");
    cli_assert_close(csv_value(csv, "GM0001", "population_reached"), 125, tol, "reached");
    assert_true(csv_value(csv, "GM0001", "population_unreachable") == 0);
    cli_assert_close(csv_value(csv, "GM0001", "area_km2"), 20 * 10 * 0.01, tol, "area_km2");
    cli_assert_close(csv_value(csv, "GM0001", "time_mean_min"), mean_min, tol, "mean");
    cli_assert_close(csv_value(csv, "GM0001", "time_median_min"), 100 / 60.0, tol, "median");
    cli_assert_close(csv_value(csv, "GM0001", "time_max_min"), 100 / 60.0, tol, "max");
    cli_assert_close(csv_value(csv, "GM0001", "length_mean_km"), (100 * 1.0 + 25 * 0.5 * r2) / 125,
                     tol, "length mean");
    cli_assert_close(csv_value(csv, "GM0001", "beyond_1.5min_population"), 100, tol,
                     "beyond 1.5 min");
    cli_assert_close(csv_value(csv, "GM0001", "beyond_1.5min_share"), 0.8, tol, "share 1.5 min");
    assert_true(csv_value(csv, "GM0001", "beyond_4min_population") == 0);
    assert_true(csv_value(csv, "GM0001", "beyond_4min_share") == 0);
    free(csv);
}

static void csv_gm0002_is_beyond_both_norms(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    out_file(path, "gemeente.csv");
    char *csv = cli_read_file(path);
    assert_non_null(csv);
    const double tol = 1e-4;
    cli_assert_close(csv_value(csv, "GM0002", "population"), 50, tol, "population");
    cli_assert_close(csv_value(csv, "GM0002", "time_mean_min"), 300 / 60.0, tol, "mean");
    cli_assert_close(csv_value(csv, "GM0002", "time_median_min"), 300 / 60.0, tol, "median");
    cli_assert_close(csv_value(csv, "GM0002", "length_mean_km"), 3.0, tol, "length");
    cli_assert_close(csv_value(csv, "GM0002", "beyond_1.5min_population"), 50, tol, "1.5 min");
    cli_assert_close(csv_value(csv, "GM0002", "beyond_1.5min_share"), 1, tol, "1.5 min share");
    cli_assert_close(csv_value(csv, "GM0002", "beyond_4min_population"), 50, tol, "4 min");
    cli_assert_close(csv_value(csv, "GM0002", "beyond_4min_share"), 1, tol, "4 min share");
    /* one row per region for the one type; the .csvt has one type per column */
    char *line2 = strchr(csv, '\n');
    assert_non_null(line2);
    assert_non_null(strstr(line2, "GM0001,Westdorp,huisarts,"));
    assert_non_null(strstr(line2, "GM0002,Oostdorp,huisarts,"));
    char csvt_path[CLI_PATH_MAX];
    out_file(csvt_path, "gemeente.csvt");
    char *csvt = cli_read_file(csvt_path);
    assert_non_null(csvt);
    int n_cols = 1, n_types = 1;
    for (const char *p = csv; *p && *p != '\n'; p++)
        n_cols += *p == ',';
    for (const char *p = csvt; *p && *p != '\n'; p++)
        n_types += *p == ',';
    assert_int_equal(n_types, n_cols);
    const char *types = "\"String\",\"String\",\"String\",\"Real\"";
    assert_true(strncmp(csvt, types, strlen(types)) == 0);
    free(csvt);
    free(csv);
}

static void time_grid_cells_by_hand(void **state)
{
    (void)state;
    if (!cli_have("gdallocationinfo"))
        skip();
    char tif[CLI_PATH_MAX];
    out_file(tif, "huisarts_time_min.tif");
    const double tol = 1e-5; /* Float32 minutes */
    /* the facility, given in EPSG:4326, starts in cell (row 5, col 5) */
    assert_true(cli_cell(tif, 5, 5) == 0.0);
    cli_assert_close(cli_cell(tif, 5, 15), 100 / 60.0, tol, "(5, 15)");
    cli_assert_close(cli_cell(tif, 5, 4), 10 / 60.0, tol, "(5, 4)");
    cli_assert_close(cli_cell(tif, 0, 0), 50 * sqrt(2.0) / 60, tol, "(0, 0)");
    cli_assert_close(cli_cell(tif, 9, 39), (40 * sqrt(5.0) + 260) / 60, tol, "(9, 39)");
    char len[CLI_PATH_MAX];
    out_file(len, "huisarts_length_m.tif");
    cli_assert_close(cli_cell(len, 5, 35), 3000, tol, "length (5, 35)");
    cli_assert_close(cli_cell(len, 0, 0), 500 * sqrt(2.0), tol, "length (0, 0)");
}

static void facility_grid_holds_source_fid_of_h1(void **state)
{
    (void)state;
    if (!cli_have("gdallocationinfo") || !cli_have("ogrinfo"))
        skip();
    /* the FID of H1 as OGR reports it, independently of reistijd */
    char *info = cli_sh_output("ogrinfo -q -al '%s/tests/fixtures/small/facilities.geojson' "
                               "-where \"ref = 'H1'\"",
                               cli_source_dir());
    const char *at = strstr(info, "OGRFeature(facilities):");
    assert_non_null(at);
    long fid = strtol(at + strlen("OGRFeature(facilities):"), NULL, 10);
    free(info);
    char tif[CLI_PATH_MAX];
    out_file(tif, "huisarts_facility.tif");
    assert_true(cli_cell(tif, 5, 5) == (double)fid);
    assert_true(cli_cell(tif, 0, 0) == (double)fid);
    assert_true(cli_cell(tif, 9, 39) == (double)fid);
    /* H9 is left out, so no cell has a second facility: nodata -1 and NaN */
    char second[CLI_PATH_MAX];
    out_file(second, "huisarts_second_facility.tif");
    assert_true(cli_cell(second, 5, 15) == -1.0);
    out_file(second, "huisarts_second_time_min.tif");
    assert_true(isnan(cli_cell(second, 5, 15)));
}

static void run_json_parses_and_lists_the_outputs(void **state)
{
    (void)state;
    if (!cli_have("python3"))
        skip();
    char path[CLI_PATH_MAX];
    out_file(path, "run.json");
    char *list = cli_sh_output("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                               "print(\"\\n\".join(d[\"outputs\"]))' '%s'",
                               path);
    char want[1024] = "";
    for (size_t i = 0; i < N_OUTPUTS; i++)
        snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s\n", expected_outputs[i]);
    /* same set; run.json is renamed last and listed last */
    for (size_t i = 0; i < N_OUTPUTS; i++) {
        char line[128];
        snprintf(line, sizeof(line), "%s\n", expected_outputs[i]);
        cli_assert_contains(list, line);
    }
    assert_int_equal(strlen(list), strlen(want));
    const char *last = list + strlen(list) - strlen("run.json\n");
    assert_string_equal(last, "run.json\n");
    free(list);
}

static void geopackage_has_region_and_facility_layers(void **state)
{
    (void)state;
    if (!cli_have("ogrinfo"))
        skip();
    char path[CLI_PATH_MAX];
    out_file(path, "reistijd.gpkg");
    char *info = cli_sh_output("ogrinfo -so -q '%s'", path);
    cli_assert_contains(info, "gemeente");
    cli_assert_contains(info, "facilities_huisarts");
    free(info);
    info = cli_sh_output("ogrinfo -q '%s' gemeente -where \"region_id = 'GM0002'\"", path);
    const char *key = "huisarts_mean_min (Real) = ";
    const char *at = strstr(info, key);
    if (!at)
        fail_msg("no %s in:\n%s", key, info);
    cli_assert_close(strtod(at + strlen(key), NULL), 5.0, 1e-4, "GM0002 huisarts_mean_min");
    free(info);
}

static void quiet_run_prints_nothing_and_replaces_files(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], csv[CLI_PATH_MAX];
    cli_path(dir, tmp, "again");
    assert_int_equal(mkdir(dir, 0777), 0);
    cli_path(csv, dir, "gemeente.csv");
    cli_write_file(csv, "old\n");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", dir, "-q", "--overwrite"); /* "old" is no output */
    cli_assert_status(&r, 0);
    assert_string_equal(r.out, "");
    char *text = cli_read_file(csv);
    assert_non_null(text);
    assert_true(strncmp(text, "region_id,", 10) == 0);
    free(text);
    cli_assert_no_tmp(dir);
    cli_result_free(&r);
}

/* Its messages going into a pipe that closes (2>&1 >/dev/null | head -c
 * 1: standard error into the pipe, the summary on standard output not) do not
 * kill the run (SIGPIPE, status 141, temporary files left): the writes
 * fail, the run finishes and exits 0 with its outputs. */
static void a_closed_pipe_on_stderr_does_not_stop_the_run(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], status_file[CLI_PATH_MAX], runjson[CLI_PATH_MAX];
    cli_path(dir, tmp, "piped");
    cli_path(status_file, tmp, "piped.status");
    assert_int_equal(cli_sh("bash -c '\"%s\" run \"%s\" -o \"%s\" -v 2>&1 > /dev/null | "
                            "head -c 1 > /dev/null; "
                            "echo ${PIPESTATUS[0]} > \"%s\"'",
                            cli_exe(), study, dir, status_file),
                     0);
    char *text = cli_read_file(status_file);
    assert_non_null(text);
    assert_string_equal(text, "0\n");
    free(text);
    cli_path(runjson, dir, "run.json");
    assert_true(cli_exists(runjson));
    cli_assert_no_tmp(dir);
}

static void validate_exits_zero_and_writes_nothing(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX];
    cli_path(dir, tmp, "validate-out");
    cli_result r;
    CLI_RUN(&r, tmp, "validate", study, "-o", dir);
    cli_assert_status(&r, 0);
    cli_assert_contains(r.out, "inputs are valid");
    cli_assert_no_output(dir);
    assert_int_equal(cli_count_entries(dir, NULL, 0), -1);
    cli_result_free(&r);
}

static void help_and_version_print_on_stdout(void **state)
{
    (void)state;
    cli_result r;
    CLI_RUN(&r, tmp, "run", "--help");
    cli_assert_status(&r, 0);
    assert_true(strncmp(r.out, "Usage: reistijd run", 19) == 0);
    assert_string_equal(r.err, "");
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "--help");
    cli_assert_status(&r, 0);
    assert_true(strncmp(r.out, "Usage: reistijd", 15) == 0);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "nearest", "-h");
    cli_assert_status(&r, 0);
    assert_true(strncmp(r.out, "Usage: reistijd nearest", 23) == 0);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "--version");
    cli_assert_status(&r, 0);
    assert_true(strncmp(r.out, "reistijd ", 9) == 0);
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exits_zero_with_every_output_and_no_temporary_file),
        cmocka_unit_test(csv_gm0001_holds_hand_computed_statistics),
        cmocka_unit_test(csv_gm0002_is_beyond_both_norms),
        cmocka_unit_test(time_grid_cells_by_hand),
        cmocka_unit_test(facility_grid_holds_source_fid_of_h1),
        cmocka_unit_test(run_json_parses_and_lists_the_outputs),
        cmocka_unit_test(geopackage_has_region_and_facility_layers),
        cmocka_unit_test(quiet_run_prints_nothing_and_replaces_files),
        cmocka_unit_test(a_closed_pipe_on_stderr_does_not_stop_the_run),
        cmocka_unit_test(validate_exits_zero_and_writes_nothing),
        cmocka_unit_test(help_and_version_print_on_stdout),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
