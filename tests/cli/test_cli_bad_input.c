/* The bad-input catalogue of `reistijd run` (rows and driver in
 * tests/cli/bad_input.h): the study file, its inputs, writing the outputs,
 * usage. For each broken study the exit status, fragments of the message
 * on stderr that name the file, layer, feature, key or cell, nothing on
 * stdout, no file in OUTDIR afterwards (not even a temporary one) and no
 * new file among the inputs; beside the bow tie that fails, the same study
 * that succeeds by default. Then errors while the outputs are being written
 * (outputs renamed before the error may stay, temporary files never; the
 * one made while the run is going is a function after the table) and
 * usage errors (exit 2, no OUTDIR made). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/bad_input.h"

/* a second facility type after the first, naming a column that does not
 * exist */
static const char norms_line[] = "    norms: {minutes: [1.5, 4]}\n";
static const char second_type[] = "    norms: {minutes: [1.5, 4]}\n"
                                  "  - type: apotheek\n"
                                  "    source: facilities.geojson\n"
                                  "    id_column: nummer\n";

/* 0.1 s/m over the whole grid, -0.1 in (row 3, col 7): its centre is
 * (100000 + 7.5 x 100, 401000 - 3.5 x 100) = (100750, 400650) */
static void make_negative_friction(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char tif[CLI_PATH_MAX];
    cli_path(tif, in, "friction.tif");
    const cli_grid g = {40, 10, 100000, 400000, 100};
    cli_make_tif(tif, &g, "Float32", "0.1", 3, 7, "-0.1");
}

/* 1e38 s/m over the whole grid of the fixture. */
static void make_huge_friction(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char tif[CLI_PATH_MAX];
    cli_path(tif, in, "huge_friction.tif");
    const cli_grid g = {40, 10, 100000, 400000, 100};
    cli_make_tif(tif, &g, "Float32", "1e38", -1, -1, "");
}

/* friction.tif in EST97 (EPSG:4180) but carrying the code of EST97
 * (geocentric), EPSG:4342, as a fuzzed GeoTIFF did; PROJ 9.1 crashes on
 * building a transformation from it. */
static void make_miscoded_friction(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char rd[CLI_PATH_MAX], wkt[CLI_PATH_MAX], tif[CLI_PATH_MAX];
    cli_path(rd, in, "friction_rd.tif");
    const cli_grid g = {40, 10, 100000, 400000, 100};
    cli_make_tif(rd, &g, "Float32", "0.1", -1, -1, "");
    cli_path(wkt, in, "est97.wkt");
    cli_write_file(wkt, "GEOGCS[\"EST97\",DATUM[\"Estonia_1997\",SPHEROID[\"GRS 1980\",6378137,"
                        "298.257222101]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\","
                        "0.0174532925199433],AUTHORITY[\"EPSG\",\"4342\"]]\n");
    cli_path(tif, in, "friction.tif");
    assert_int_equal(cli_sh("gdal_translate -q -a_srs '%s' '%s' '%s'", wkt, rd, tif), 0);
}

/* A folder where gemeente.csv goes, and the run.json of an earlier run. */
static void block_the_csv(const bad_case *c, const char *outdir)
{
    (void)c;
    char blocker[CLI_PATH_MAX], manifest[CLI_PATH_MAX];
    assert_int_equal(mkdir(outdir, 0777), 0);
    cli_path(blocker, outdir, "gemeente.csv");
    assert_int_equal(mkdir(blocker, 0777), 0);
    cli_path(manifest, outdir, "run.json");
    cli_write_file(manifest, "{\"from\": \"an earlier run\"}\n");
}

static void old_run_json_kept(const bad_case *c, const char *outdir)
{
    (void)c;
    char manifest[CLI_PATH_MAX];
    cli_path(manifest, outdir, "run.json");
    char *text = cli_read_file(manifest);
    assert_non_null(text);
    assert_string_equal(text, "{\"from\": \"an earlier run\"}\n");
    free(text);
}

static const bad_case cases[] = {
    /* ---- the study file ---- */
    {.name = "absent",
     .flags = STUDY_ABSENT,
     .exit_code = 1,
     .fragments = {"absent.yaml", "cannot open", "RT_E_IO"}},
    /* line 2 becomes "  name: small: x"; the second ':' is column 14 */
    {.name = "syntax",
     .from = "  name: small\n",
     .to = "  name: small: x\n",
     .exit_code = 1,
     .fragments = {"syntax.yaml:2:14:", "YAML syntax error", "RT_E_PARSE"}},
    {.name = "unknown_key",
     .from = "  neighbours: 16\n",
     .to = "  neighbors: 16\n",
     .exit_code = 1,
     .fragments = {"unknown_key.yaml:5:3:", "key 'study.neighbors'", "unknown key",
                   "did you mean 'neighbours'", "RT_E_PARSE"}},
    {.name = "cell0",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 0\n",
     .exit_code = 1,
     .fragments = {"cell0.yaml:3:3:", "key 'study.cell_size_m'", "got 0", "RT_E_PARSE"}},
    {.name = "cellneg",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: -5\n",
     .exit_code = 1,
     .fragments = {"cellneg.yaml:3:3:", "key 'study.cell_size_m'", "got -5", "RT_E_PARSE"}},
    {.name = "isochrones_maybe",
     .from = "regions:\n",
     .to = "outputs: {isochrones: maybe}\nregions:\n",
     .exit_code = 1,
     .fragments = {"isochrones_maybe.yaml:", "key 'outputs.isochrones'",
                   "expected true or false, got 'maybe'", "RT_E_PARSE"}},

    /* ---- the inputs ---- */
    {.name = "no_file",
     .from = "    source: facilities.geojson\n",
     .to = "    source: absent.geojson\n",
     .exit_code = 1,
     .fragments = {"no_file.yaml", "facilities 'huisarts'", "absent.geojson", "cannot open",
                   "RT_E_IO"}},
    {.name = "no_layer",
     .from = "    source: facilities.geojson\n",
     .to = "    source: {path: facilities.geojson, layer: huisartsen}\n",
     .exit_code = 1,
     .fragments = {"facilities 'huisarts'", "facilities.geojson", "no layer 'huisartsen'",
                   "RT_E_DATA"}},
    {.name = "no_column",
     .from = "    id_column: ref\n",
     .to = "    id_column: nummer\n",
     .exit_code = 1,
     .fragments = {"no_column.yaml", "facilities 'huisarts'", "facilities.geojson",
                   "layer 'facilities'", "no column 'nummer'", "RT_E_DATA"}},
    /* validate reports the same error */
    {.name = "validate_column",
     .from = "    id_column: ref\n",
     .to = "    id_column: nummer\n",
     .args = {"validate", STUDY},
     .exit_code = 1,
     .fragments = {"no column 'nummer'"}},
    {.name = "empty_layer",
     .from = "    source: facilities.geojson\n",
     .to = "    source: {path: facilities.geojson, where: \"ref = 'H0'\"}\n",
     .exit_code = 1,
     .fragments = {"facilities.geojson", "layer 'facilities' has no features", "ref = 'H0'",
                   "RT_E_DATA"}},
    {.name = "lines",
     .from = "    source: facilities.geojson\n",
     .to = "    source: lines.geojson\n",
     .exit_code = 1,
     .fragments = {"lines.geojson", "feature 0", "'L1'", "geometry type LineString", "RT_E_DATA"}},
    /* a self-intersecting region with invalid_polygons: error */
    {.name = "bowtie",
     .from = "  neighbours: 16\n",
     .to = "  neighbours: 16\n  invalid_polygons: error\n",
     .from2 = "    source: regions.geojson\n",
     .to2 = "    source: bowtie.geojson\n",
     .exit_code = 1,
     .fragments = {"regions 'gemeente'", "bowtie.geojson", "feature 1", "'GM0003'",
                   "Self-intersection", "103000 400500", "RT_E_DATA"}},
    /* the same region is repaired by default: the run succeeds */
    {.name = "bowtie_repair",
     .from = "    source: regions.geojson\n",
     .to = "    source: bowtie.geojson\n",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .exit_code = 0,
     .flags = WRITES_OUTPUT},
    {.name = "no_crs",
     .from = "    source: regions.geojson\n",
     .to = "    source: regions.csv\n",
     .exit_code = 1,
     .fragments = {"regions 'gemeente'", "regions.csv", "has no CRS", "crs:", "RT_E_CRS"}},
    /* H9 lies near Amersfoort, 60 km from the grid */
    {.name = "outside",
     .from = "    source: facilities.geojson\n",
     .to = "    source: {path: facilities.geojson, where: \"ref = 'H9'\"}\n",
     .exit_code = 1,
     .fragments = {"outside.yaml", "facilities 'huisarts'",
                   "none of the 1 facilities lies on a passable cell", "RT_E_DATA"}},
    /* 4000 m x 1000 m in cells of 1 cm: 400000 x 100000 = 4e10 cells,
     * refused from the sizes alone, before allocating anything */
    {.name = "huge",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 0.01\n",
     .exit_code = 1,
     .fragments = {"huge.yaml", "400000 x 100000 cells", "would need", "RT_E_BUDGET"},
     .max_seconds = 20.0},
    /* 4000 x 1000 cells of 1 m, each needing tens of bytes; 10 MB is
     * 10^7 / 2^20 = 9.54 MiB */
    {.name = "budget",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 1\n  memory_limit: 10 MB\n",
     .exit_code = 1,
     .fragments = {"4000 x 1000 cells", "would need", "more than the 9.54 MiB allowed",
                   "RT_E_BUDGET"}},
    {.name = "negative",
     .from = "  type: speed_model\n  offroad_kmh: 36\n  land: regions.geojson\n",
     .to = "  type: friction\n  raster: friction.tif\n",
     .before = make_negative_friction,
     .exit_code = 1,
     .fragments = {"friction.tif", "cell (row 3, col 7)", "(100750, 400650)", "friction -0.1 s/m",
                   "RT_E_DATA"}},
    {.name = "crs_miscoded",
     .note = "friction.tif in EST97 coded as EPSG:4342, EST97 geocentric",
     .from = "  type: speed_model\n  offroad_kmh: 36\n  land: regions.geojson\n",
     .to = "  type: friction\n  raster: friction.tif\n",
     .before = make_miscoded_friction,
     .exit_code = 1,
     .fragments = {"friction.tif: the CRS 'EST97 (geocentric)' is geographic but carries the code "
                   "EPSG:4342 of a geocentric CRS",
                   "RT_E_CRS"}},
    /* the first type is fine, the second names a column that does not
     * exist; then the same into an existing OUTDIR */
    {.name = "second_type",
     .from = norms_line,
     .to = second_type,
     .exit_code = 1,
     .fragments = {"facilities 'apotheek'", "no column 'nummer'", "RT_E_DATA"}},
    {.name = "second_type_existing",
     .from = norms_line,
     .to = second_type,
     .flags = EXISTING_OUTDIR,
     .exit_code = 1,
     .fragments = {"facilities 'apotheek'", "no column 'nummer'", "RT_E_DATA"}},

    /* nearest on a friction of 1e38 s/m: one step from a facility already
     * takes (1e38 + 1e38) / 2 x 100 m = 1e40 s, beyond the Float32 range
     * (3.4e38) of the output, which would write it as infinite (no route);
     * so does every cell but the facilities', and the first in row order,
     * (0, 0), is named */
    {.name = "nearest_beyond_float32",
     .args = {"nearest", "--friction", IN "huge_friction.tif", "--facilities",
              IN "facilities.geojson", "-o", OUTDIR},
     .before = make_huge_friction,
     .exit_code = 1,
     .fragments = {"huge_friction.tif: cell (row 0, col 0): the travel time",
                   "does not fit the Float32 output", "RT_E_DATA"}},

    /* ---- errors while the outputs are written (see also the function
     * after the table) ----
     * a folder where gemeente.csv goes, beside the run.json of an earlier
     * run: refused before anything is written, and that run.json stays */
    {.name = "folder_in_the_way",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .flags = WRITES_OUTPUT,
     .before = block_the_csv,
     .after = old_run_json_kept,
     .exit_code = 1,
     .fragments = {"gemeente.csv", "RT_E_IO"}},

    /* ---- usage errors: exit 2, a message naming the problem, no OUTDIR ---- */
    {.name = "usage_unknown_option",
     .args = {"run", STUDY, "-o", OUTDIR, "--bogus"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"unknown option '--bogus'", "--help"}},
    {.name = "usage_no_outdir",
     .args = {"run", STUDY},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"-o OUTDIR is required", "--help"}},
    {.name = "usage_o_without_value",
     .args = {"run", STUDY, "-o"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"needs a value", "--help"}},
    {.name = "usage_no_study",
     .args = {"run", "-o", OUTDIR},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"a study file is required", "--help"}},
    {.name = "usage_two_studies",
     .args = {"run", STUDY, STUDY, "-o", OUTDIR},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"unexpected argument", "--help"}},
    {.name = "usage_threads_0",
     .args = {"run", STUDY, "-o", OUTDIR, "--threads", "0"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--threads wants a number >= 1", "--help"}},
    {.name = "usage_unknown_command",
     .args = {"frobnicate", STUDY},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"unknown command 'frobnicate'", "--help"}},
    {.name = "usage_validate_unknown_option",
     .args = {"validate", STUDY, "--bogus"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"unknown option '--bogus'", "--help"}},
    {.name = "usage_no_command",
     .flags = NO_ARGS | NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"command"}},
};

/* ---- a write error while the run is going: does not fit the table ---- */

static void write_error_midway_removes_every_temporary_file(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX], outdir[CLI_PATH_MAX], out[CLI_PATH_MAX], err[CLI_PATH_MAX];
    char blocker[CLI_PATH_MAX], name[128];
    cli_path(path, in, "midway.yaml");
    cli_write_file(path, template_yaml);
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

int main(void)
{
    const struct CMUnitTest extra[] = {
        cmocka_unit_test(write_error_midway_removes_every_temporary_file),
    };
    return bad_input_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), extra, 1);
}
