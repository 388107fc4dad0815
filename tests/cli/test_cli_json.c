/* --json of `reistijd run`, `validate` and `nearest`: standard output holds
 * exactly one JSON object whose figures are those known by hand for the
 * inputs; failures give the error object with the same exit code.
 *
 * The study is tests/fixtures/small (test_cli_run.c works out its values):
 * a grid of 40 x 10 cells of 100 m, 175 persons, facility H1 used and H9
 * left out (outside the extent). GM0001: 125 persons, mean
 * (100 x 100 + 25 x 50 sqrt(2)) / 125 s, median 100 s, 100 persons beyond
 * 1.5 min (share 0.8), nobody beyond 4 min. GM0002: 50 persons at 300 s,
 * beyond both norms. The memory estimate follows docs/architecture.md
 * ("The run estimate"): 4 + 4 + 4 + 4 (one region layer) + 28 (second
 * label and length, one type at a time) = 44 bytes for each of 400 cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#include "cli/cli_json.h"

#define FIXTURE_CELLS 400
#define FIXTURE_BYTES_PER_CELL 44

static char tmp[CLI_PATH_MAX];
static char study[CLI_PATH_MAX];

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-json");
    snprintf(study, sizeof(study), "%s/tests/fixtures/small/study.yaml", cli_source_dir());
    unsetenv("OMP_NUM_THREADS");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

/* 90 % of the physical memory, from getconf (the default budget). */
static uint64_t default_budget(void)
{
    char *pages = cli_sh_output("getconf _PHYS_PAGES");
    char *size = cli_sh_output("getconf PAGE_SIZE");
    uint64_t phys = strtoull(pages, NULL, 10) * strtoull(size, NULL, 10);
    free(pages);
    free(size);
    assert_true(phys > 0);
    return phys / 10 * 9;
}

/* Copies tests/fixtures/small into <tmp>/<name> (its path into dir), with
 * the one occurrence of `from` in `file` replaced by `to`. */
static void fixture_with(const char *name, const char *file, const char *from, const char *to,
                         char *dir)
{
    char path[CLI_PATH_MAX];
    cli_path(dir, tmp, name);
    assert_int_equal(mkdir(dir, 0777), 0);
    cli_copy_small_fixture(dir);
    cli_path(path, dir, file);
    char *text = cli_read_file(path);
    assert_non_null(text);
    char *changed = cli_replace(text, from, to);
    cli_write_file(path, changed);
    free(text);
    free(changed);
}

static void assert_region(json_object *layer, const char *id, double pop, double mean_min,
                          double median_min, const double beyond_pop[2], const double share[2])
{
    json_object *r = cj_find(layer, "regions", "id", id);
    const double tol = 1e-6;
    cli_assert_close(cj_num(r, "population"), pop, tol, "population");
    cli_assert_close(cj_num(r, "population_reached"), pop, tol, "population_reached");
    assert_true(cj_num(r, "population_unreachable") == 0);
    cli_assert_close(cj_num(r, "time_mean_min"), mean_min, 1e-6, "time_mean_min");
    cli_assert_close(cj_num(r, "time_median_min"), median_min, 1e-6, "time_median_min");
    assert_int_equal(cj_len(r, "beyond"), 2);
    const double minutes[2] = {1.5, 4};
    for (int k = 0; k < 2; k++) {
        char path[64];
        snprintf(path, sizeof(path), "beyond.%d.minutes", k);
        assert_true(cj_num(r, path) == minutes[k]);
        snprintf(path, sizeof(path), "beyond.%d.population", k);
        if (beyond_pop[k] == 0)
            assert_true(cj_num(r, path) == 0);
        else
            cli_assert_close(cj_num(r, path), beyond_pop[k], tol, path);
        snprintf(path, sizeof(path), "beyond.%d.share", k);
        if (share[k] == 0)
            assert_true(cj_num(r, path) == 0);
        else
            cli_assert_close(cj_num(r, path), share[k], tol, path);
    }
}

static void run_json_holds_the_hand_computed_statistics(void **state)
{
    (void)state;
    char out[CLI_PATH_MAX];
    cli_path(out, tmp, "run");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", out, "--json", "--threads", "2");
    cli_assert_status(&r, 0);
    json_object *o = cj_parse(r.out); /* stdout is the JSON alone, no text summary */
    assert_string_equal(cj_str(o, "status"), "ok");
    assert_string_equal(cj_str(o, "command"), "run");
    assert_string_equal(cj_str(o, "outdir"), out);
    assert_string_equal(cj_str(o, "study"), "small");
    /* every file listed is in OUTDIR, and nothing else is */
    size_t n = cj_len(o, "outputs");
    assert_int_equal(cli_count_entries(out, NULL, 0), (int)n);
    for (size_t i = 0; i < n; i++) {
        char path[CLI_PATH_MAX], key[32];
        snprintf(key, sizeof(key), "outputs.%zu", i);
        cli_path(path, out, cj_str(o, key));
        if (!cli_exists(path))
            fail_msg("listed output %s is missing", path);
    }
    assert_int_equal(cj_int(o, "grid.columns"), 40);
    assert_int_equal(cj_int(o, "grid.rows"), 10);
    assert_int_equal(cj_int(o, "grid.cells"), FIXTURE_CELLS);
    assert_true(cj_num(o, "grid.cell_size_m") == 100);
    cli_assert_close(cj_num(o, "population.on_grid"), 175, 1e-9, "population on the grid");
    /* one type: two threads asked for, at most one per type runs */
    assert_int_equal(cj_int(o, "threads"), 2);
    assert_int_equal(cj_int(o, "memory_estimate_bytes"), FIXTURE_CELLS * FIXTURE_BYTES_PER_CELL);
    assert_true(cj_int(o, "peak_rss_bytes") > 0);
    const char *stages[] = {"regions", "population", "medium", "facilities", "search", "tables"};
    for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
        char key[64];
        snprintf(key, sizeof(key), "stage_seconds.%s", stages[i]);
        assert_true(cj_num(o, key) >= 0);
    }
    json_object *f = cj_find(o, "facilities", "type", "huisarts");
    assert_int_equal(cj_int(f, "read"), 2);
    assert_int_equal(cj_int(f, "used"), 1);
    assert_int_equal(cj_int(f, "left_out"), 1);
    assert_int_equal(cj_int(f, "moved"), 0);
    json_object *layer = cj_find(f, "region_layers", "layer", "gemeente");
    assert_int_equal(cj_len(layer, "regions"), 2);
    assert_true(cj_num(layer, "population_outside") == 0);
    const double r2 = sqrt(2.0);
    assert_region(layer, "GM0001", 125, (100 * 100.0 + 25 * 50 * r2) / 125 / 60, 100 / 60.0,
                  (const double[2]){100, 0}, (const double[2]){0.8, 0});
    assert_region(layer, "GM0002", 50, 5, 5, (const double[2]){50, 50}, (const double[2]){1, 1});
    assert_string_equal(cj_str(cj_find(layer, "regions", "id", "GM0001"), "name"), "Westdorp");
    assert_int_equal(cj_len(o, "warnings"), 0);
    json_object_put(o);
    cli_result_free(&r);
}

static void validate_json_reports_inputs_grid_memory_and_warnings(void **state)
{
    (void)state;
    /* the fixture with one more population point far outside the extent:
     * a warning, and 7 persons off the grid */
    char dir[CLI_PATH_MAX];
    fixture_with("outside", "population.geojson", "\"features\": [\n",
                 "\"features\": [\n{ \"type\": \"Feature\", \"properties\": "
                 "{ \"inwoners\": 7 }, \"geometry\": { \"type\": \"Point\", "
                 "\"coordinates\": [150000, 450000] } },\n",
                 dir);
    char copy[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(copy, dir, "study.yaml");
    cli_path(out, tmp, "validate-out");
    cli_result r;
    CLI_RUN(&r, tmp, "validate", copy, "--json", "-q", "-o", out);
    cli_assert_status(&r, 0);
    assert_string_equal(r.err, ""); /* -q: the warning is in the JSON only */
    assert_int_equal(cli_count_entries(out, NULL, 0), -1);
    json_object *o = cj_parse(r.out);
    assert_string_equal(cj_str(o, "status"), "ok");
    assert_string_equal(cj_str(o, "command"), "validate");
    assert_false(cj_has(o, "outputs"));
    /* every input the study names, with its size */
    const char *roles[] = {"study", "medium.land", "population", "regions.gemeente",
                           "facilities.huisarts"};
    const char *files[] = {"study.yaml", "regions.geojson", "population.geojson", "regions.geojson",
                           "facilities.geojson"};
    assert_int_equal(cj_len(o, "inputs"), 5);
    for (int i = 0; i < 5; i++) {
        json_object *in = cj_find(o, "inputs", "role", roles[i]);
        char want[CLI_PATH_MAX];
        cli_path(want, dir, files[i]);
        assert_string_equal(cj_str(in, "path"), want);
        struct stat sb;
        assert_int_equal(stat(want, &sb), 0);
        assert_int_equal(cj_int(in, "size_bytes"), (int64_t)sb.st_size);
    }
    assert_int_equal(cj_int(o, "grid.columns"), 40);
    assert_int_equal(cj_int(o, "grid.rows"), 10);
    assert_int_equal(cj_int(o, "grid.passable_cells"), FIXTURE_CELLS);
    cli_assert_close(cj_num(o, "population.on_grid"), 175, 1e-9, "on the grid");
    cli_assert_close(cj_num(o, "population.outside_extent"), 7, 1e-9, "outside the extent");
    assert_int_equal(cj_int(o, "memory_estimate_bytes"), FIXTURE_CELLS * FIXTURE_BYTES_PER_CELL);
    assert_true((uint64_t)cj_int(o, "memory_budget_bytes") == default_budget());
    assert_int_equal(cj_int(o, "region_layers.0.regions"), 2);
    json_object *f = cj_find(o, "facilities", "type", "huisarts");
    assert_int_equal(cj_int(f, "read"), 2);
    assert_int_equal(cj_int(f, "used"), 1);
    assert_false(cj_has(f, "region_layers")); /* nothing computed */
    assert_int_equal(cj_len(o, "warnings"), 1);
    cli_assert_contains(cj_str(o, "warnings.0"), "7 persons lie outside the study extent");
    json_object_put(o);
    cli_result_free(&r);
}

static void validate_text_reports_memory_need_and_study_budget(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], path[CLI_PATH_MAX];
    fixture_with("limit", "study.yaml", "  neighbours: 16\n",
                 "  neighbours: 16\n  memory_limit: 3 MiB\n", dir);
    cli_path(path, dir, "study.yaml");
    cli_result r;
    CLI_RUN(&r, tmp, "validate", path);
    cli_assert_status(&r, 0);
    /* 17600 bytes = 17.19 KiB */
    cli_assert_contains(r.out, "the run would need about 17.19 KiB of memory (budget 3.00 MiB)");
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "validate", path, "--json");
    cli_assert_status(&r, 0);
    json_object *o = cj_parse(r.out);
    assert_int_equal(cj_int(o, "memory_budget_bytes"), 3 << 20);
    json_object_put(o);
    cli_result_free(&r);
}

static void budget_error_is_a_json_error_with_exit_1(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], path[CLI_PATH_MAX], out[CLI_PATH_MAX];
    fixture_with("budget", "study.yaml", "  neighbours: 16\n",
                 "  neighbours: 16\n  memory_limit: 10 KiB\n", dir);
    cli_path(path, dir, "study.yaml");
    cli_path(out, tmp, "budget-out");
    cli_result r;
    CLI_RUN(&r, tmp, "run", path, "-o", out, "--json");
    cli_assert_status(&r, 1);
    cj_assert_error(&r, "run", "RT_E_BUDGET", 1);
    json_object *o = cj_parse(r.out);
    cli_assert_contains(cj_str(o, "message"), "17.19 KiB");
    json_object_put(o);
    cli_assert_contains(r.err, "(RT_E_BUDGET)"); /* the human message is still on stderr */
    cli_assert_no_output(out);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "validate", path, "--json");
    cli_assert_status(&r, 1);
    cj_assert_error(&r, "validate", "RT_E_BUDGET", 1);
    cli_result_free(&r);
}

static void usage_error_is_a_json_error_with_exit_2(void **state)
{
    (void)state;
    const char *commands[] = {"run", "validate", "nearest", "info"};
    for (int i = 0; i < 4; i++) {
        cli_result r;
        /* --json after the bad option: found before getopt gets to it */
        CLI_RUN(&r, tmp, commands[i], "--bogus", "--json");
        cli_assert_status(&r, 2);
        cj_assert_error(&r, commands[i], "usage", 2);
        cli_assert_contains(r.err, "unknown option '--bogus'");
        cli_result_free(&r);
    }
}

/* nearest on a friction grid of 7 x 3 cells of 100 m, 0.1 s/m, with one
 * facility in the middle cell (row 1, col 3) and one on a nodata cell next
 * to it (row 0, col 3), which moves one cell, and one far away (left out). */
static void nearest_json_counts_the_facilities(void **state)
{
    (void)state;
    if (!cli_have("gdal_translate"))
        skip();
    char asc[CLI_PATH_MAX], tif[CLI_PATH_MAX], pts[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(asc, tmp, "f.asc");
    cli_write_file(asc, "ncols 7\nnrows 3\nxllcorner 100000\nyllcorner 400000\ncellsize 100\n"
                        "NODATA_value -9999\n"
                        "0.1 0.1 0.1 -9999 0.1 0.1 0.1\n"
                        "0.1 0.1 0.1 0.1 0.1 0.1 0.1\n"
                        "0.1 0.1 0.1 0.1 0.1 0.1 0.1\n");
    cli_path(tif, tmp, "f.tif");
    assert_int_equal(cli_sh("gdal_translate -q -a_srs EPSG:28992 '%s' '%s'", asc, tif), 0);
    cli_path(pts, tmp, "p.geojson");
    cli_write_file(pts, "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", "
                        "\"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}, "
                        "\"features\": ["
                        "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
                        "{\"type\": \"Point\", \"coordinates\": [100350, 400150]}},"
                        "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
                        "{\"type\": \"Point\", \"coordinates\": [100350, 400250]}},"
                        "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
                        "{\"type\": \"Point\", \"coordinates\": [200000, 500000]}}]}");
    cli_path(out, tmp, "t.tif");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--friction", tif, "--facilities", pts, "-o", out, "--json",
            "--timings", "--units", "min", "--threads", "1");
    cli_assert_status(&r, 0);
    json_object *o = cj_parse(r.out); /* --timings' CORE_SECONDS line is in the JSON */
    assert_string_equal(cj_str(o, "status"), "ok");
    assert_string_equal(cj_str(o, "command"), "nearest");
    assert_string_equal(cj_str(o, "output"), out);
    assert_string_equal(cj_str(o, "units"), "min");
    assert_int_equal(cj_int(o, "neighbours"), 16);
    assert_int_equal(cj_int(o, "facilities_read"), 3);
    assert_int_equal(cj_int(o, "facilities_moved"), 1);
    assert_int_equal(cj_int(o, "facilities_left_out"), 1);
    assert_int_equal(cj_int(o, "threads"), 1);
    assert_true(cj_num(o, "core_seconds") >= 0);
    assert_true(cli_exists(out));
    json_object_put(o);
    cli_result_free(&r);
    /* a friction raster that is not there: the error object, exit 1 */
    cli_path(tif, tmp, "missing.tif");
    CLI_RUN(&r, tmp, "nearest", "--friction", tif, "--facilities", pts, "-o", out, "--json");
    cli_assert_status(&r, 1);
    cj_assert_error(&r, "nearest", "RT_E_IO", 1);
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_json_holds_the_hand_computed_statistics),
        cmocka_unit_test(validate_json_reports_inputs_grid_memory_and_warnings),
        cmocka_unit_test(validate_text_reports_memory_need_and_study_budget),
        cmocka_unit_test(budget_error_is_a_json_error_with_exit_1),
        cmocka_unit_test(usage_error_is_a_json_error_with_exit_2),
        cmocka_unit_test(nearest_json_counts_the_facilities),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
