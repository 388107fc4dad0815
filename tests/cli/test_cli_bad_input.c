/* The bad-input catalogue of `reistijd run`: for each broken study the exit
 * status, a fragment of the message on stderr that names the file, layer,
 * feature, key or cell, nothing on stdout, and no file in OUTDIR afterwards
 * (not even a temporary one); then usage errors (exit 2) and errors while
 * the outputs are being written.
 *
 * Every study is the template below with one line changed; the inputs are
 * the GeoJSON files of tests/fixtures/small (see test_cli_run.c for the
 * grid: 40 x 10 cells of 100 m from (100000, 400000) to (104000, 401000)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX]; /* captures and OUTDIRs */
static char in[CLI_PATH_MAX];  /* inputs and study files */

/* Line numbers matter: messages point at them. */
static const char template_yaml[] = "study:\n"                         /* 1 */
                                    "  name: small\n"                  /* 2 */
                                    "  cell_size_m: 100\n"             /* 3 */
                                    "  extent_buffer_m: 0\n"           /* 4 */
                                    "  neighbours: 16\n"               /* 5 */
                                    "medium:\n"                        /* 6 */
                                    "  type: speed_model\n"            /* 7 */
                                    "  offroad_kmh: 36\n"              /* 8 */
                                    "  land: regions.geojson\n"        /* 9 */
                                    "facilities:\n"                    /* 10 */
                                    "  - type: huisarts\n"             /* 11 */
                                    "    source: facilities.geojson\n" /* 12 */
                                    "    id_column: ref\n"             /* 13 */
                                    "    name_column: naam\n"          /* 14 */
                                    "    norms: {minutes: [1.5, 4]}\n" /* 15 */
                                    "population:\n"                    /* 16 */
                                    "  kind: points\n"                 /* 17 */
                                    "  source: population.geojson\n"   /* 18 */
                                    "  count_column: inwoners\n"       /* 19 */
                                    "regions:\n"                       /* 20 */
                                    "  - name: gemeente\n"             /* 21 */
                                    "    source: regions.geojson\n"    /* 22 */
                                    "    id_column: code\n"            /* 23 */
                                    "    name_column: naam\n";         /* 24 */

#define CRS_28992                                                                                  \
    "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}"

/* A facility layer of lines (points and polygons are allowed, lines not). */
static const char lines_json[] =
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": "
    "{\"ref\": \"L1\", \"naam\": \"Lijn\"}, \"geometry\": {\"type\": \"LineString\", "
    "\"coordinates\": [[4.6, 51.59], [4.61, 51.59]]}}]}";

/* GM0001 as in the fixture and GM0003, a bow tie over GM0002's square whose
 * edges cross at (103000, 400500). */
static const char bowtie_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"GM0001\", \"naam\": \"Westdorp\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[100000, 400000], [102000, 400000], "
    "[102000, 401000], [100000, 401000], [100000, 400000]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"GM0003\", \"naam\": \"Strik\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[102000, 400000], [104000, 401000], "
    "[104000, 400000], [102000, 401000], [102000, 400000]]]}}]}";

/* The regions as a CSV table with a WKT column: no CRS anywhere. */
static const char regions_csv[] =
    "code,naam,WKT\n"
    "GM0001,Westdorp,\"POLYGON ((100000 400000,102000 400000,102000 401000,100000 401000,"
    "100000 400000))\"\n"
    "GM0002,Oostdorp,\"POLYGON ((102000 400000,104000 400000,104000 401000,102000 401000,"
    "102000 400000))\"\n";

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-bad");
    cli_path(in, tmp, "in");
    assert_int_equal(mkdir(in, 0777), 0);
    cli_copy_small_fixture(in);
    cli_write(in, "lines.geojson", lines_json);
    cli_write(in, "bowtie.geojson", bowtie_json);
    cli_write(in, "regions.csv", regions_csv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

/* Writes in/<name>.yaml (the template with `from` replaced by `to`, or the
 * template itself when from is NULL); its path goes into path. */
static void write_study(const char *name, const char *from, const char *to, char *path)
{
    char file[128];
    snprintf(file, sizeof(file), "%s.yaml", name);
    cli_path(path, in, file);
    if (!from) {
        cli_write_file(path, template_yaml);
        return;
    }
    char *text = cli_replace(template_yaml, from, to);
    cli_write_file(path, text);
    free(text);
}

/* Runs `run STUDY -o <tmp>/out-<name>`, expects exit status `code`, every
 * fragment (NULL-terminated) on stderr, nothing on stdout, no OUTDIR (or an
 * empty one), and no new file among the inputs. */
static void expect_failure(const char *name, const char *study, int code,
                           const char *const *fragments)
{
    char outdir[CLI_PATH_MAX], dirname[128];
    snprintf(dirname, sizeof(dirname), "out-%s", name);
    cli_path(outdir, tmp, dirname);
    int inputs_before = cli_count_entries(in, NULL, 0);
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir);
    cli_assert_status(&r, code);
    for (; *fragments; fragments++)
        cli_assert_contains(r.err, *fragments);
    assert_string_equal(r.out, "");
    cli_result_free(&r);
    cli_assert_no_output(outdir);
    assert_int_equal(cli_count_entries(in, NULL, 0), inputs_before);
}

#define FRAGMENTS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- the study file ---- */

static void missing_study_file(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    cli_path(path, in, "absent.yaml");
    expect_failure("absent", path, 1, FRAGMENTS("absent.yaml", "cannot open", "RT_E_IO"));
}

static void yaml_syntax_error_gives_line_and_column(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    /* line 2 becomes "  name: small: x"; the second ':' is column 14 */
    write_study("syntax", "  name: small\n", "  name: small: x\n", path);
    expect_failure("syntax", path, 1,
                   FRAGMENTS("syntax.yaml:2:14:", "YAML syntax error", "RT_E_PARSE"));
}

static void unknown_key_is_named_with_a_suggestion(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("unknown_key", "  neighbours: 16\n", "  neighbors: 16\n", path);
    expect_failure("unknown_key", path, 1,
                   FRAGMENTS("unknown_key.yaml:5:3:", "key 'study.neighbors'", "unknown key",
                             "did you mean 'neighbours'", "RT_E_PARSE"));
}

static void cell_size_zero(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("cell0", "  cell_size_m: 100\n", "  cell_size_m: 0\n", path);
    expect_failure("cell0", path, 1,
                   FRAGMENTS("cell0.yaml:3:3:", "key 'study.cell_size_m'", "got 0", "RT_E_PARSE"));
}

static void cell_size_negative(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("cellneg", "  cell_size_m: 100\n", "  cell_size_m: -5\n", path);
    expect_failure(
        "cellneg", path, 1,
        FRAGMENTS("cellneg.yaml:3:3:", "key 'study.cell_size_m'", "got -5", "RT_E_PARSE"));
}

/* ---- the inputs ---- */

static void missing_facilities_file(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("no_file", "    source: facilities.geojson\n", "    source: absent.geojson\n",
                path);
    expect_failure("no_file", path, 1,
                   FRAGMENTS("no_file.yaml", "facilities 'huisarts'", "absent.geojson",
                             "cannot open", "RT_E_IO"));
}

static void unknown_layer_name(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("no_layer", "    source: facilities.geojson\n",
                "    source: {path: facilities.geojson, layer: huisartsen}\n", path);
    expect_failure("no_layer", path, 1,
                   FRAGMENTS("facilities 'huisarts'", "facilities.geojson", "no layer 'huisartsen'",
                             "RT_E_DATA"));
}

static void unknown_id_column_is_named(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("no_column", "    id_column: ref\n", "    id_column: nummer\n", path);
    expect_failure("no_column", path, 1,
                   FRAGMENTS("no_column.yaml", "facilities 'huisarts'", "facilities.geojson",
                             "layer 'facilities'", "no column 'nummer'", "RT_E_DATA"));
}

static void validate_reports_the_same_error(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("validate_column", "    id_column: ref\n", "    id_column: nummer\n", path);
    cli_result r;
    CLI_RUN(&r, tmp, "validate", path);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "no column 'nummer'");
    cli_result_free(&r);
}

static void where_filter_matching_nothing(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("empty_layer", "    source: facilities.geojson\n",
                "    source: {path: facilities.geojson, where: \"ref = 'H0'\"}\n", path);
    expect_failure("empty_layer", path, 1,
                   FRAGMENTS("facilities.geojson", "layer 'facilities' has no features",
                             "ref = 'H0'", "RT_E_DATA"));
}

static void facilities_of_lines(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("lines", "    source: facilities.geojson\n", "    source: lines.geojson\n", path);
    expect_failure(
        "lines", path, 1,
        FRAGMENTS("lines.geojson", "feature 0", "'L1'", "geometry type LineString", "RT_E_DATA"));
}

static void invalid_polygon_with_invalid_polygons_error(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    char *text = cli_replace(template_yaml, "  neighbours: 16\n",
                             "  neighbours: 16\n  invalid_polygons: error\n");
    char *text2 =
        cli_replace(text, "    source: regions.geojson\n", "    source: bowtie.geojson\n");
    cli_path(path, in, "bowtie.yaml");
    cli_write_file(path, text2);
    free(text);
    free(text2);
    expect_failure("bowtie", path, 1,
                   FRAGMENTS("regions 'gemeente'", "bowtie.geojson", "feature 1", "'GM0003'",
                             "Self-intersection", "103000 400500", "RT_E_DATA"));
}

static void invalid_polygon_is_repaired_by_default(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    write_study("bowtie_repair", "    source: regions.geojson\n", "    source: bowtie.geojson\n",
                path);
    cli_path(outdir, tmp, "out-bowtie-repair");
    cli_result r;
    CLI_RUN(&r, tmp, "run", path, "-o", outdir, "-q");
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    cli_rmrf(outdir);
}

static void regions_without_crs(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    write_study("no_crs", "    source: regions.geojson\n", "    source: regions.csv\n", path);
    expect_failure(
        "no_crs", path, 1,
        FRAGMENTS("regions 'gemeente'", "regions.csv", "has no CRS", "crs:", "RT_E_CRS"));
}

static void all_facilities_outside_the_extent(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    /* H9 lies near Amersfoort, 60 km from the grid */
    write_study("outside", "    source: facilities.geojson\n",
                "    source: {path: facilities.geojson, where: \"ref = 'H9'\"}\n", path);
    expect_failure("outside", path, 1,
                   FRAGMENTS("outside.yaml", "facilities 'huisarts'",
                             "none of the 1 facilities lies on a passable cell", "RT_E_DATA"));
}

static void grid_too_large_fails_fast(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    /* 4000 m x 1000 m in cells of 1 cm: 400000 x 100000 = 4e10 cells */
    write_study("huge", "  cell_size_m: 100\n", "  cell_size_m: 0.01\n", path);
    double t0 = cli_now();
    expect_failure("huge", path, 1,
                   FRAGMENTS("huge.yaml", "400000 x 100000 cells", "would need", "RT_E_BUDGET"));
    /* refused from the sizes alone, before allocating anything */
    assert_true(cli_now() - t0 < 20.0);
}

static void memory_limit_too_small(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    /* 4000 x 1000 cells of 1 m, each needing tens of bytes; 10 MB is
     * 10^7 / 2^20 = 9.54 MiB */
    write_study("budget", "  cell_size_m: 100\n", "  cell_size_m: 1\n  memory_limit: 10 MB\n",
                path);
    expect_failure("budget", path, 1,
                   FRAGMENTS("4000 x 1000 cells", "would need", "more than the 9.54 MiB allowed",
                             "RT_E_BUDGET"));
}

static void negative_friction_names_the_cell(void **state)
{
    (void)state;
    if (!cli_have("gdal_translate"))
        skip();
    /* 0.1 s/m over the whole grid, -0.1 in (row 3, col 7): its centre is
     * (100000 + 7.5 x 100, 401000 - 3.5 x 100) = (100750, 400650) */
    char asc[CLI_PATH_MAX], tif[CLI_PATH_MAX], path[CLI_PATH_MAX];
    cli_path(asc, tmp, "friction.asc");
    FILE *f = fopen(asc, "w");
    assert_non_null(f);
    fputs("ncols 40\nnrows 10\nxllcorner 100000\nyllcorner 400000\ncellsize 100\n"
          "NODATA_value -9999\n",
          f);
    for (int r = 0; r < 10; r++) {
        for (int c = 0; c < 40; c++)
            fputs(r == 3 && c == 7 ? " -0.1" : " 0.1", f);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    cli_path(tif, in, "friction.tif");
    assert_int_equal(cli_sh("gdal_translate -q -a_srs EPSG:28992 '%s' '%s'", asc, tif), 0);
    write_study("negative", "  type: speed_model\n  offroad_kmh: 36\n  land: regions.geojson\n",
                "  type: friction\n  raster: friction.tif\n", path);
    expect_failure("negative", path, 1,
                   FRAGMENTS("friction.tif", "cell (row 3, col 7)", "(100750, 400650)",
                             "friction -0.1 s/m", "RT_E_DATA"));
}

static void second_type_with_a_bad_column_leaves_no_file(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX], outdir[CLI_PATH_MAX], old[CLI_PATH_MAX];
    /* the first type is fine, the second names a column that does not exist */
    write_study("second_type", "    norms: {minutes: [1.5, 4]}\n",
                "    norms: {minutes: [1.5, 4]}\n"
                "  - type: apotheek\n"
                "    source: facilities.geojson\n"
                "    id_column: nummer\n",
                path);
    expect_failure("second_type", path, 1,
                   FRAGMENTS("facilities 'apotheek'", "no column 'nummer'", "RT_E_DATA"));
    /* the same into an existing OUTDIR: its file stays, nothing is added */
    cli_path(outdir, tmp, "existing");
    assert_int_equal(mkdir(outdir, 0777), 0);
    cli_path(old, outdir, "gemeente.csv");
    cli_write_file(old, "from an earlier run\n");
    cli_result r;
    CLI_RUN(&r, tmp, "run", path, "-o", outdir);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "no column 'nummer'");
    cli_result_free(&r);
    char list[1024];
    assert_int_equal(cli_count_entries(outdir, list, sizeof(list)), 1);
    char *text = cli_read_file(old);
    assert_non_null(text);
    assert_string_equal(text, "from an earlier run\n");
    free(text);
    cli_rmrf(outdir);
}

/* ---- errors while the outputs are written ---- */

static void write_error_midway_removes_every_temporary_file(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX], outdir[CLI_PATH_MAX], out[CLI_PATH_MAX], err[CLI_PATH_MAX];
    char blocker[CLI_PATH_MAX], name[128];
    write_study("midway", NULL, NULL, path);
    cli_path(outdir, tmp, "midway");
    assert_int_equal(mkdir(outdir, 0777), 0);
    cli_path(out, tmp, "stdout.txt");
    cli_path(err, tmp, "stderr.txt");
    pid_t pid = cli_spawn((const char *const[]){"run", path, "-o", outdir, NULL}, out, err);
    /* The CSV is written after the GeoTIFFs and the GeoPackage, under the
     * temporary name .tmp-<pid>-gemeente.csv (docs/outputs.md). A folder of
     * that name, made while the run still reads its inputs, makes that
     * write fail with the other temporary files already on disk. */
    snprintf(name, sizeof(name), ".tmp-%ld-gemeente.csv", (long)pid);
    cli_path(blocker, outdir, name);
    assert_int_equal(mkdir(blocker, 0777), 0);
    int status = cli_wait(pid, CLI_TIMEOUT_S);
    char *text = cli_read_file(err);
    assert_non_null(text);
    if (status == 0) { /* the run got to its outputs before the folder was made */
        free(text);
        cli_rmrf(outdir);
        skip();
    }
    if (status != 1)
        fail_msg("exit status %d, expected 1; stderr:\n%s", status, text);
    cli_assert_contains(text, "gemeente.csv");
    cli_assert_contains(text, "RT_E_IO");
    free(text);
    /* only the folder that was put in the way is left */
    char list[1024];
    int n = cli_count_entries(outdir, list, sizeof(list));
    if (n != 1)
        fail_msg("%s should hold only %s, holds: %s", outdir, name, list);
    assert_int_equal(rmdir(blocker), 0);
    assert_int_equal(rmdir(outdir), 0);
}

static void failed_rename_keeps_old_run_json_and_no_temporary_file(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX], outdir[CLI_PATH_MAX], blocker[CLI_PATH_MAX], manifest[CLI_PATH_MAX];
    write_study("rename", NULL, NULL, path);
    cli_path(outdir, tmp, "rename");
    assert_int_equal(mkdir(outdir, 0777), 0);
    /* a folder where gemeente.csv goes: its rename fails (docs/outputs.md:
     * files renamed before stay, the rest are deleted, run.json, renamed
     * last, is not replaced) */
    cli_path(blocker, outdir, "gemeente.csv");
    assert_int_equal(mkdir(blocker, 0777), 0);
    cli_path(manifest, outdir, "run.json");
    cli_write_file(manifest, "{\"from\": \"an earlier run\"}\n");
    cli_result r;
    CLI_RUN(&r, tmp, "run", path, "-o", outdir, "-q");
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "gemeente.csv");
    cli_assert_contains(r.err, "RT_E_IO");
    cli_result_free(&r);
    cli_assert_no_tmp(outdir);
    char *text = cli_read_file(manifest);
    assert_non_null(text);
    assert_string_equal(text, "{\"from\": \"an earlier run\"}\n");
    free(text);
    cli_rmrf(outdir);
}

/* ---- usage errors: exit 2, a message naming the problem, no output ---- */

static void expect_usage_error(const char *const *args, const char *fragment)
{
    cli_result r;
    cli_run_args(&r, tmp, args);
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, fragment);
    cli_assert_contains(r.err, "--help");
    assert_string_equal(r.out, "");
    cli_result_free(&r);
}

static void usage_errors_exit_2(void **state)
{
    (void)state;
    char study[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    write_study("usage", NULL, NULL, study);
    cli_path(outdir, tmp, "out-usage");
    expect_usage_error((const char *const[]){"run", study, "-o", outdir, "--bogus", NULL},
                       "unknown option '--bogus'");
    expect_usage_error((const char *const[]){"run", study, NULL}, "-o OUTDIR is required");
    expect_usage_error((const char *const[]){"run", study, "-o", NULL}, "needs a value");
    expect_usage_error((const char *const[]){"run", "-o", outdir, NULL},
                       "a study file is required");
    expect_usage_error((const char *const[]){"run", study, study, "-o", outdir, NULL},
                       "unexpected argument");
    expect_usage_error((const char *const[]){"run", study, "-o", outdir, "--threads", "0", NULL},
                       "--threads wants a number >= 1");
    expect_usage_error((const char *const[]){"frobnicate", study, NULL},
                       "unknown command 'frobnicate'");
    expect_usage_error((const char *const[]){"validate", study, "--bogus", NULL},
                       "unknown option '--bogus'");
    cli_result r;
    cli_run_args(&r, tmp, (const char *const[]){NULL});
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, "command");
    cli_result_free(&r);
    cli_assert_no_output(outdir);
    assert_int_equal(cli_count_entries(outdir, NULL, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_study_file),
        cmocka_unit_test(yaml_syntax_error_gives_line_and_column),
        cmocka_unit_test(unknown_key_is_named_with_a_suggestion),
        cmocka_unit_test(cell_size_zero),
        cmocka_unit_test(cell_size_negative),
        cmocka_unit_test(missing_facilities_file),
        cmocka_unit_test(unknown_layer_name),
        cmocka_unit_test(unknown_id_column_is_named),
        cmocka_unit_test(validate_reports_the_same_error),
        cmocka_unit_test(where_filter_matching_nothing),
        cmocka_unit_test(facilities_of_lines),
        cmocka_unit_test(invalid_polygon_with_invalid_polygons_error),
        cmocka_unit_test(invalid_polygon_is_repaired_by_default),
        cmocka_unit_test(regions_without_crs),
        cmocka_unit_test(all_facilities_outside_the_extent),
        cmocka_unit_test(grid_too_large_fails_fast),
        cmocka_unit_test(memory_limit_too_small),
        cmocka_unit_test(negative_friction_names_the_cell),
        cmocka_unit_test(second_type_with_a_bad_column_leaves_no_file),
        cmocka_unit_test(write_error_midway_removes_every_temporary_file),
        cmocka_unit_test(failed_rename_keeps_old_run_json_and_no_temporary_file),
        cmocka_unit_test(usage_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
