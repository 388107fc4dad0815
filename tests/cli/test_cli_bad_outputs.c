/* The bad-input catalogue of the outputs (rows and driver in
 * tests/cli/bad_input.h): an output that is, or links to, an input or the
 * study file; something other than a regular file at an output's place;
 * files of others in the output folder, with and without --overwrite;
 * write errors (the file size limit: SIGXFSZ ignored, EFBIG); output
 * paths too long; the number options and -o '' of the command line;
 * population counts that are no counts and duplicate region ids. Every
 * refused run is refused before anything is written: no output, no
 * temporary file, no folder it made, the inputs as they were.
 *
 * After the table, what does not fit it: a run interrupted by SIGINT,
 * SIGTERM or SIGHUP during its search (exit 130, no temporary file, no
 * folder it made), temporary files of a killed run that do not count as
 * files of others, and a full standard output (/dev/full, which the
 * driver cannot read back). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "cli/bad_input.h"

/* ---- hooks: OUTDIR and inputs made before the run ---- */

static void make_outdir(const char *outdir) { assert_int_equal(mkdir(outdir, 0777), 0); }

/* in/<row>.yaml, the row's study */
static void study_path(const bad_case *c, char *path)
{
    char file[128];
    snprintf(file, sizeof(file), "%s.yaml", c->name);
    cli_path(path, in, file);
}

/* OUTDIR/gemeente.csv is the regions of the study, a CSV table with WKT
 * (the study names it as ../out-<row>/gemeente.csv). */
static void regions_csv_in_outdir(const bad_case *c, const char *outdir)
{
    (void)c;
    make_outdir(outdir);
    cli_write(outdir, "gemeente.csv", regions_csv);
}

static void regions_csv_unchanged(const bad_case *c, const char *outdir)
{
    (void)c;
    char path[CLI_PATH_MAX];
    cli_path(path, outdir, "gemeente.csv");
    char *text = cli_read_file(path);
    assert_non_null(text);
    assert_string_equal(text, regions_csv);
    free(text);
}

/* The study file itself is OUTDIR/run.json, reached through the link
 * in/<row>.yaml (so that its sources are still found in in/). */
static void study_is_run_json(const bad_case *c, const char *outdir)
{
    char study[CLI_PATH_MAX], manifest[CLI_PATH_MAX];
    study_path(c, study);
    make_outdir(outdir);
    cli_path(manifest, outdir, "run.json");
    assert_int_equal(rename(study, manifest), 0);
    assert_int_equal(symlink(manifest, study), 0);
}

static void study_unchanged(const bad_case *c, const char *outdir)
{
    (void)c;
    char path[CLI_PATH_MAX];
    cli_path(path, outdir, "run.json");
    char *text = cli_read_file(path);
    assert_non_null(text);
    assert_string_equal(text, template_yaml);
    free(text);
}

/* OUTDIR/<name> is a link to `target` */
static void link_in_outdir(const char *outdir, const char *name, const char *target)
{
    char path[CLI_PATH_MAX];
    make_outdir(outdir);
    cli_path(path, outdir, name);
    assert_int_equal(symlink(target, path), 0);
}

static void run_json_links_to_study(const bad_case *c, const char *outdir)
{
    char study[CLI_PATH_MAX];
    study_path(c, study);
    link_in_outdir(outdir, "run.json", study);
}

static void csv_links_to_population(const bad_case *c, const char *outdir)
{
    (void)c;
    char target[CLI_PATH_MAX];
    cli_path(target, in, "population.geojson");
    link_in_outdir(outdir, "gemeente.csv", target);
}

static void grid_links_to_facilities(const bad_case *c, const char *outdir)
{
    (void)c;
    char target[CLI_PATH_MAX];
    cli_path(target, in, "facilities.geojson");
    link_in_outdir(outdir, "huisarts_time_min.tif", target);
}

static void report_is_fifo(const bad_case *c, const char *outdir)
{
    (void)c;
    char path[CLI_PATH_MAX];
    make_outdir(outdir);
    cli_path(path, outdir, "report.html");
    assert_int_equal(mkfifo(path, 0666), 0);
}

static void grid_is_folder(const bad_case *c, const char *outdir)
{
    (void)c;
    char path[CLI_PATH_MAX];
    make_outdir(outdir);
    cli_path(path, outdir, "huisarts_time_min.tif");
    assert_int_equal(mkdir(path, 0777), 0);
}

static void run_json_links_to_dev_null(const bad_case *c, const char *outdir)
{
    (void)c;
    link_in_outdir(outdir, "run.json", "/dev/null");
}

/* the OUTDIR of nearest: a FIFO, a folder, a link to the facilities */
static void outdir_is_fifo(const bad_case *c, const char *outdir)
{
    (void)c;
    assert_int_equal(mkfifo(outdir, 0666), 0);
}

static void outdir_is_folder(const bad_case *c, const char *outdir)
{
    (void)c;
    make_outdir(outdir);
}

static void outdir_links_to_study(const bad_case *c, const char *outdir)
{
    char study[CLI_PATH_MAX];
    study_path(c, study);
    assert_int_equal(symlink(study, outdir), 0);
}

/* files of others: notes.txt, and gemeente.csv where an output goes */
static void notes_and_old_csv(const bad_case *c, const char *outdir)
{
    (void)c;
    make_outdir(outdir);
    cli_write(outdir, "notes.txt", "mine\n");
    cli_write(outdir, "gemeente.csv", "mine too\n");
}

/* with --overwrite: gemeente.csv replaced, notes.txt left alone */
static void notes_kept_csv_replaced(const bad_case *c, const char *outdir)
{
    (void)c;
    char path[CLI_PATH_MAX];
    cli_path(path, outdir, "notes.txt");
    char *text = cli_read_file(path);
    assert_non_null(text);
    assert_string_equal(text, "mine\n");
    free(text);
    cli_path(path, outdir, "gemeente.csv");
    text = cli_read_file(path);
    assert_non_null(text);
    assert_true(strncmp(text, "region_id,", 10) == 0);
    free(text);
}

/* five files of others; the message names the first three by name */
static void five_files_of_others(const bad_case *c, const char *outdir)
{
    (void)c;
    make_outdir(outdir);
    const char *names[] = {"e.txt", "b.txt", "d.txt", "a.txt", "c.txt"};
    for (int i = 0; i < 5; i++)
        cli_write(outdir, names[i], "x\n");
}

/* a run.json that is not the manifest of a run is a file of others */
static void foreign_run_json(const bad_case *c, const char *outdir)
{
    (void)c;
    make_outdir(outdir);
    cli_write(outdir, "run.json", "{\"outputs\": [\"gemeente.csv\"]}\n");
    cli_write(outdir, "gemeente.csv", "mine\n");
}

/* an earlier run of the same study into OUTDIR */
static void an_earlier_run(const bad_case *c, const char *outdir)
{
    char study[CLI_PATH_MAX];
    study_path(c, study);
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir, "-q");
    cli_assert_status(&r, 0);
    cli_result_free(&r);
}

/* ---- hooks: the file size limit ---- */

static struct rlimit saved_fsize;

/* The soft limit of the test process, which the program inherits, down to
 * `bytes`; the hard limit stays, so the soft one can go back. */
static void limit_file_size(rlim_t bytes)
{
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved_fsize), 0);
    struct rlimit l = saved_fsize;
    l.rlim_cur = bytes;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &l), 0);
}

static void unlimit_file_size(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved_fsize), 0);
}

/* A full disk: a file system of 64 KiB (tmpfs, mounted on OUTDIR; the
 * test skips where it may not mount one) holds the GeoTIFFs of the fixture
 * but not reistijd.gpkg (about 150 KiB). */
static void mount_small_disk(const bad_case *c, const char *outdir)
{
    (void)c;
    assert_int_equal(mkdir(outdir, 0777), 0);
    if (cli_sh("mount -t tmpfs -o size=64k tmpfs '%s' 2>/dev/null", outdir) != 0) {
        rmdir(outdir);
        skip();
    }
}

static void unmount_small_disk(const bad_case *c, const char *outdir)
{
    (void)c;
    assert_int_equal(cli_sh("umount '%s'", outdir), 0);
}

/* The GeoTIFFs of a type are 0.6 to 1.3 KiB (the first written, the
 * travel times, 1.3), reistijd.gpkg about 210 KiB, report.html about 22
 * KiB, run.json about 2.8 KiB, gemeente.csv about 500 bytes; the messages
 * on stderr (with -q) fit in the limit. */
static void limit_1k(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    limit_file_size(1024);
}

static void limit_2k(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    limit_file_size(2 * 1024);
}

static void limit_256(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    limit_file_size(256);
}

static void limit_16k(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    limit_file_size(16 * 1024);
}

/* ---- hooks: relative output paths, from <tmp> ---- */

static char saved_cwd[CLI_PATH_MAX];

static void enter_tmp(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    assert_non_null(getcwd(saved_cwd, sizeof(saved_cwd)));
    assert_int_equal(chdir(tmp), 0);
}

/* back where the test was, and no folder "deep" made (or left) in <tmp> */
static void leave_tmp(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    assert_int_equal(chdir(saved_cwd), 0);
    char deep[CLI_PATH_MAX];
    cli_path(deep, tmp, "deep");
    if (cli_exists(deep))
        fail_msg("%s: a folder of the refused run was left behind", deep);
}

/* ---- hooks: population files ---- */

/* two points of 1e308 persons beside the 100 of the fixture */
static const char huge_points_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"inwoners\": 100}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [101550, 400450]}},"
    "{\"type\": \"Feature\", \"properties\": {\"inwoners\": 1e308}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [103550, 400450]}},"
    "{\"type\": \"Feature\", \"properties\": {\"inwoners\": 1e308}, \"geometry\": "
    "{\"type\": \"Point\", \"coordinates\": [103650, 400450]}}]}";

static void huge_points(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    cli_write(in, "pop_huge.geojson", huge_points_json);
}

/* two points of 2e9 persons, within what a number column may hold (the
 * float range) but beyond a count of persons per feature */
static void big_points(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char *text = cli_replace(huge_points_json,
                             "\"inwoners\": 1e308}, \"geometry\": "
                             "{\"type\": \"Point\", \"coordinates\": [103550",
                             "\"inwoners\": 2e9}, \"geometry\": "
                             "{\"type\": \"Point\", \"coordinates\": [103550");
    char *text2 = cli_replace(text, "\"inwoners\": 1e308}", "\"inwoners\": 2e9}");
    cli_write(in, "pop_big.geojson", text2);
    free(text);
    free(text2);
}

/* the two regions as population polygons (features 1 and 2 of the CSV
 * table), the second with -5 persons */
static void negative_polygon(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    cli_write(in, "pop_negative.csv",
              "inwoners,WKT\n"
              "100,\"POLYGON ((100000 400000,102000 400000,102000 401000,100000 401000,"
              "100000 400000))\"\n"
              "-5,\"POLYGON ((102000 400000,104000 400000,104000 401000,102000 401000,"
              "102000 400000))\"\n");
}

/* a Float64 raster of 40 x 10 cells of 100 m on the grid of the study,
 * 1 person a cell but 1e300 in (row 2, col 5), whose centre is (100550,
 * 400750); on the Float32 grid it becomes the largest float, 3.40282e+38
 * (GDAL clamps what does not fit) */
static void huge_raster(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char tif[CLI_PATH_MAX];
    cli_path(tif, in, "pop_huge.tif");
    const cli_grid small = {40, 10, 100000, 400000, 100};
    cli_make_tif(tif, &small, "Float64", "1", 2, 5, "1e300");
}

/* GM0001 twice: the second feature of the regions has the first's id */
static void duplicate_ids(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char *text = cli_replace(regions_csv, "GM0002,", "GM0001,");
    cli_write(in, "regions_dup.csv", text);
    free(text);
}

/* ---- long names ---- */

#define X10 "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define X200 X100 X100
#define D201 X200 "/"
#define D2010 D201 D201 D201 D201 D201 D201 D201 D201 D201 D201
/* a folder name of 300 bytes under two new folders */
#define LONG_NAME "deep/a/b/" X100 X200
/* 4080 bytes: a folder that can be made, but its outputs' temporary paths
 * reach PATH_MAX (4096) */
#define NEAR_PATH_MAX "deep/" D2010 D2010 X10 X10 X10 X10 X10 "xxxxx"
/* 4226 bytes, beyond PATH_MAX */
#define OVER_PATH_MAX "deep/" D2010 D2010 X200

/* ---- the table ---- */

static const char regions_line[] = "    source: regions.geojson\n";
static const char population_line[] = "  source: population.geojson\n";

static const bad_case cases[] = {
    /* ---- an output that is an input or the study file ---- */
    /* the case: -o on the folder of the study's regions, gemeente.csv,
     * with --overwrite; without it the same message comes first */
    {.name = "clash_regions_csv",
     .from = regions_line,
     .to = "    source: {path: ../out-clash_regions_csv/gemeente.csv, crs: \"EPSG:28992\"}\n",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = regions_csv_in_outdir,
     .after = regions_csv_unchanged,
     .exit_code = 1,
     .fragments = {"gemeente.csv: the output would overwrite the regions.gemeente input",
                   "out-clash_regions_csv/gemeente.csv", "outputs never replace inputs",
                   "RT_E_ARG"}},
    {.name = "clash_regions_csv_no_overwrite",
     .from = regions_line,
     .to = "    source: {path: ../out-clash_regions_csv_no_overwrite/gemeente.csv, crs: "
           "\"EPSG:28992\"}\n",
     .before = regions_csv_in_outdir,
     .after = regions_csv_unchanged,
     .exit_code = 1,
     .fragments = {"would overwrite the regions.gemeente input", "RT_E_ARG"}},
    /* a study file named run.json in OUTDIR is not replaced by the manifest */
    {.name = "clash_study_is_run_json",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = study_is_run_json,
     .after = study_unchanged,
     .exit_code = 1,
     .fragments = {"run.json: the output would overwrite the study file",
                   "clash_study_is_run_json.yaml", "RT_E_ARG"}},
    /* outputs that are links to inputs */
    {.name = "clash_link_to_study",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = run_json_links_to_study,
     .exit_code = 1,
     .fragments = {"run.json: the output would overwrite the study file", "RT_E_ARG"}},
    {.name = "clash_link_to_population",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = csv_links_to_population,
     .exit_code = 1,
     .fragments = {"gemeente.csv: the output would overwrite the population input",
                   "population.geojson", "RT_E_ARG"}},
    {.name = "clash_link_to_facilities",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = grid_links_to_facilities,
     .exit_code = 1,
     .fragments = {"huisarts_time_min.tif: the output would overwrite the facilities.huisarts "
                   "input",
                   "RT_E_ARG"}},
    /* nearest: the output is the facilities file, or links to it; refused
     * before the friction raster (which does not exist) is read */
    {.name = "nearest_out_is_input",
     .args = {"nearest", "--friction", "absent.tif", "--facilities", STUDY, "-o", STUDY},
     .exit_code = 1,
     .fragments = {"would overwrite the facilities file", "RT_E_ARG"}},
    {.name = "nearest_link_to_input",
     .args = {"nearest", "--friction", "absent.tif", "--facilities", STUDY, "-o", OUTDIR},
     .before = outdir_links_to_study,
     .exit_code = 1,
     .fragments = {"would overwrite the facilities file", "RT_E_ARG"}},

    /* ---- something other than a regular file at an output's place ---- */
    {.name = "nonregular_fifo",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = report_is_fifo,
     .exit_code = 1,
     .fragments = {"report.html: a FIFO is in the way", "never replaces it", "RT_E_IO"}},
    {.name = "nonregular_folder",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = grid_is_folder,
     .exit_code = 1,
     .fragments = {"huisarts_time_min.tif: a folder is in the way", "RT_E_IO"}},
    {.name = "nonregular_link_to_device",
     .args = {"run", STUDY, "-o", OUTDIR, "--overwrite"},
     .before = run_json_links_to_dev_null,
     .exit_code = 1,
     .fragments = {"run.json: a character device (through a link) is in the way", "RT_E_IO"}},
    /* /dev/null is refused before anything is read (the friction raster
     * does not exist) */
    {.name = "nearest_dev_null",
     .args = {"nearest", "--friction", "absent.tif", "--facilities", STUDY, "-o", "/dev/null"},
     .exit_code = 1,
     .fragments = {"/dev/null: a character device is in the way", "RT_E_IO"}},
    {.name = "nearest_fifo",
     .args = {"nearest", "--friction", "absent.tif", "--facilities", STUDY, "-o", OUTDIR},
     .before = outdir_is_fifo,
     .exit_code = 1,
     .fragments = {"a FIFO is in the way", "RT_E_IO"},
     .max_seconds = 20.0},
    {.name = "nearest_folder",
     .args = {"nearest", "--friction", "absent.tif", "--facilities", STUDY, "-o", OUTDIR},
     .before = outdir_is_folder,
     .exit_code = 1,
     .fragments = {"a folder is in the way", "RT_E_IO"}},

    /* ---- files of others in the output folder ---- */
    /* gemeente.csv of someone else, no run.json: refused, left as it is */
    {.name = "foreign_refused",
     .flags = EXISTING_OUTDIR,
     .exit_code = 1,
     .fragments = {"the output folder holds 1 file that no earlier run wrote there",
                   "'gemeente.csv'", "--overwrite", "RT_E_ARG"}},
    {.name = "foreign_first_three_named",
     .before = five_files_of_others,
     .exit_code = 1,
     .fragments = {"holds 5 files", "'a.txt', 'b.txt', 'c.txt' and 2 more", "RT_E_ARG"}},
    {.name = "foreign_run_json_not_a_manifest",
     .before = foreign_run_json,
     .exit_code = 1,
     .fragments = {"holds 2 files", "'gemeente.csv' and 'run.json'", "RT_E_ARG"}},
    /* with --overwrite: files of the same name replaced, the others kept */
    {.name = "foreign_overwrite",
     .args = {"run", STUDY, "-o", OUTDIR, "-q", "--overwrite"},
     .flags = WRITES_OUTPUT,
     .before = notes_and_old_csv,
     .after = notes_kept_csv_replaced,
     .exit_code = 0},
    /* a rerun into the folder of an earlier run needs no --overwrite */
    {.name = "rerun_into_own_folder",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .flags = WRITES_OUTPUT,
     .before = an_earlier_run,
     .exit_code = 0},

    /* ---- a full disk: GDAL's message names what failed next ("no such
     * table"), reistijd adds that the disk is full; nothing is left ---- */
    {.name = "disk_full",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .before = mount_small_disk,
     .after = unmount_small_disk,
     .exit_code = 1,
     .fragments = {"reistijd.gpkg", "(the disk that holds", "is full)", "RT_E_IO"}},

    /* ---- write errors: the file size limit (SIGXFSZ is ignored, the
     * write fails with EFBIG and every temporary file is removed) ---- */
    {.name = "efbig_first_grid",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .before = limit_1k,
     .after = unlimit_file_size,
     .exit_code = 1,
     .fragments = {"huisarts_time_min.tif", "File too large", "RT_E_IO"}},
    {.name = "efbig_geopackage",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .before = limit_16k,
     .after = unlimit_file_size,
     .exit_code = 1,
     .fragments = {"reistijd.gpkg", "RT_E_IO"}},
    {.name = "efbig_report",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .from = "regions:\n",
     .to = "outputs:\n  geopackage: false\nregions:\n",
     .before = limit_16k,
     .after = unlimit_file_size,
     .exit_code = 1,
     .fragments = {"report.html", "File too large", "RT_E_IO"}},
    {.name = "efbig_csv",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .from = "regions:\n",
     .to = "outputs:\n  geopackage: false\n  grids: false\n  report: false\nregions:\n",
     .before = limit_256,
     .after = unlimit_file_size,
     .exit_code = 1,
     .fragments = {"gemeente.csv: write failed: File too large", "RT_E_IO"}},
    {.name = "efbig_manifest",
     .args = {"run", STUDY, "-o", OUTDIR, "-q"},
     .from = "regions:\n",
     .to = "outputs:\n  geopackage: false\n  grids: false\n  report: false\nregions:\n",
     .before = limit_2k,
     .after = unlimit_file_size,
     .exit_code = 1,
     .fragments = {"cannot write run.json", "File too large", "RT_E_IO"}},

    /* ---- output paths too long: refused before any folder is made ---- */
    {.name = "long_name",
     .args = {"run", STUDY, "-o", LONG_NAME},
     .before = enter_tmp,
     .after = leave_tmp,
     .exit_code = 1,
     .fragments = {"a name in the output path is too long", "300 bytes", "at most 255",
                   "RT_E_ARG"}},
    {.name = "long_path_of_outputs",
     .args = {"run", STUDY, "-o", NEAR_PATH_MAX},
     .before = enter_tmp,
     .after = leave_tmp,
     .exit_code = 1,
     .fragments = {"the output path is too long", "with the room for its temporary name",
                   "RT_E_ARG"}},
    {.name = "long_path",
     .args = {"run", STUDY, "-o", OVER_PATH_MAX},
     .before = enter_tmp,
     .after = leave_tmp,
     .exit_code = 1,
     .fragments = {"the output path is too long", "RT_E_ARG"}},

    /* ---- numbers where they enter ---- */
    /* two points of 1e308 made a gemeente's population 0: refused where the
     * column is read (beyond the float range of the grids) */
    {.name = "population_1e308",
     .from = population_line,
     .to = "  source: pop_huge.geojson\n",
     .before = huge_points,
     .exit_code = 1,
     .fragments = {"population_1e308.yaml:16:1: population", "pop_huge.geojson", "feature 1",
                   "column 'inwoners': value 1e+308 lies beyond", "RT_E_DATA"}},
    /* 2e9 is a number the column may hold, but not a count of persons */
    {.name = "population_2e9",
     .from = population_line,
     .to = "  source: pop_big.geojson\n",
     .before = big_points,
     .exit_code = 1,
     .fragments = {"population_2e9.yaml:16:1: population", "pop_big.geojson", "feature 1",
                   "column 'inwoners' = 2e+09 persons", "from 0 to 1e9", "RT_E_DATA"}},
    {.name = "population_negative_polygon",
     .from = "  kind: points\n  source: population.geojson\n  count_column: inwoners\n",
     .to = "  kind: polygons\n  source: {path: pop_negative.csv, crs: \"EPSG:28992\"}\n"
           "  count_column: inwoners\n",
     .before = negative_polygon,
     .exit_code = 1,
     .fragments = {"pop_negative.csv", "feature 2", "column 'inwoners' = -5 persons", "RT_E_DATA"}},
    {.name = "population_raster_inf",
     .from = "  kind: points\n  source: population.geojson\n  count_column: inwoners\n",
     .to = "  kind: raster\n  source: pop_huge.tif\n",
     .before = huge_raster,
     .exit_code = 1,
     .fragments = {"pop_huge.tif", "cell (row 2, col 5)", "(100550, 400750)", "3.40282e+38 persons",
                   "RT_E_DATA"}},
    {.name = "duplicate_region_ids",
     .from = regions_line,
     .to = "    source: {path: regions_dup.csv, crs: \"EPSG:28992\"}\n",
     .before = duplicate_ids,
     .exit_code = 1,
     .fragments = {"regions 'gemeente'", "regions_dup.csv", "features 1 and 2", "the id 'GM0001'",
                   "(column 'code')", "must be unique", "RT_E_DATA"}},

    /* ---- the command line: exit 2, nothing made ---- */
    {.name = "usage_empty_outdir",
     .args = {"run", STUDY, "-o", ""},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"-o wants a folder, got ''", "--help"}},
    {.name = "usage_nearest_empty_out",
     .args = {"nearest", "-o", ""},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"-o wants a file, got ''"}},
    {.name = "usage_snap_radius_overflow",
     .args = {"nearest", "-o", OUTDIR, "--snap-radius", "1e999"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--snap-radius wants metres >= 0", "got '1e999'"}},
    {.name = "usage_snap_radius_nan",
     .args = {"nearest", "-o", OUTDIR, "--snap-radius", "nan"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--snap-radius wants metres", "got 'nan'"}},
    {.name = "usage_snap_radius_inf",
     .args = {"nearest", "-o", OUTDIR, "--snap-radius", "inf"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--snap-radius wants metres", "got 'inf'"}},
    {.name = "usage_snap_radius_empty",
     .args = {"nearest", "-o", OUTDIR, "--snap-radius", ""},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--snap-radius wants metres", "got ''"}},
    {.name = "usage_threads_overflow",
     .args = {"run", STUDY, "-o", OUTDIR, "--threads", "99999999999999999999"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--threads wants a number >= 1 and <= 1024", "got '99999999999999999999'"}},
    {.name = "usage_threads_too_many",
     .args = {"run", STUDY, "-o", OUTDIR, "--threads", "1025"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--threads wants a number >= 1 and <= 1024", "got '1025'"}},
    {.name = "usage_band_overflow",
     .args = {"nearest", "-o", OUTDIR, "--band", "-99999999999999999999"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--band wants a band number >= 1", "got '-99999999999999999999'"}},
    {.name = "usage_band_zero",
     .args = {"nearest", "-o", OUTDIR, "--band", "0"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--band wants a band number >= 1", "got '0'"}},
    {.name = "usage_neighbours_overflow",
     .args = {"nearest", "-o", OUTDIR, "--neighbours", "18446744073709551624"},
     .flags = NO_OUTDIR,
     .exit_code = 2,
     .fragments = {"--neighbours must be 8 or 16", "got '18446744073709551624'"}},
};

/* ---- signals during the search: do not fit the table ---- */

/* The template at 1 m instead of 100 m: 4000 x 1000 cells, a search of
 * seconds. */
static void slow_study(char *path)
{
    cli_path(path, in, "slow.yaml");
    char *text = cli_replace(template_yaml, "  cell_size_m: 100\n", "  cell_size_m: 1\n");
    cli_write_file(path, text);
    free(text);
}

/* Runs the slow study into <tmp>/<name>/a/b, none of which exists, sends
 * sig 0.3 s into the search, and checks: exit 130, the message, and
 * neither a file nor a folder of the run left (it made all three). */
static void signal_during_search(const char *name, int sig)
{
    char study[CLI_PATH_MAX], top[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    char out[CLI_PATH_MAX], err[CLI_PATH_MAX];
    slow_study(study);
    char a[CLI_PATH_MAX];
    cli_path(top, tmp, name);
    cli_path(a, top, "a");
    cli_path(outdir, a, "b");
    cli_path(out, tmp, "signal.out");
    cli_path(err, tmp, "signal.err");
    pid_t pid = cli_spawn((const char *const[]){"run", study, "-o", outdir, NULL}, out, err);
    double t0 = cli_now();
    int status = -1;
    for (;;) {
        char *text = cli_read_file(err);
        int searching = text && strstr(text, "reistijd: search ...");
        free(text);
        if (searching)
            break;
        int ws;
        if (waitpid(pid, &ws, WNOHANG) == pid) {
            status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
            break;
        }
        if (cli_now() - t0 > 120) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            fail_msg("no search within 120 s");
        }
        cli_sleep(0.01);
    }
    if (status == -1) {
        cli_sleep(0.3);
        assert_int_equal(kill(pid, sig), 0);
        status = cli_wait(pid, CLI_TIMEOUT_S);
    }
    char *text = cli_read_file(err);
    assert_non_null(text);
    if (status == 0) { /* done before the signal: nothing to interrupt */
        free(text);
        cli_rmrf(top);
        skip();
    }
    if (status != 130)
        fail_msg("exit status %d, expected 130; stderr:\n%s", status, text);
    cli_assert_contains(text, "interrupted; no output was written");
    free(text);
    if (cli_exists(top))
        fail_msg("%s: a folder the run made was left behind", top);
}

static void sigint_leaves_nothing(void **state)
{
    (void)state;
    signal_during_search("sigint", SIGINT);
}

static void sigterm_leaves_nothing(void **state)
{
    (void)state;
    signal_during_search("sigterm", SIGTERM);
}

/* SIGHUP (the terminal closed) stops the run as SIGTERM does; it used to
 * end the process at once, leaving the folders and temporary files */
static void sighup_leaves_nothing(void **state)
{
    (void)state;
    signal_during_search("sighup", SIGHUP);
}

/* ---- temporary files of a killed run: not files of others; removed by
 * the next run, which holds the folder's lock ---- */

static void temporary_files_of_a_killed_run_are_cleared(void **state)
{
    (void)state;
    char study[CLI_PATH_MAX], outdir[CLI_PATH_MAX], left[CLI_PATH_MAX];
    cli_path(study, in, "killed.yaml");
    cli_write_file(study, template_yaml);
    cli_path(outdir, tmp, "killed");
    make_outdir(outdir);
    cli_path(left, outdir, ".tmp-2147483000-gemeente.csv"); /* no process has that id */
    cli_write_file(left, "half\n");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir, "-v");
    cli_assert_status(&r, 0);
    cli_assert_contains(r.err, "removed 1 temporary file (0.0 MB) that a run stopped before its "
                               "end (killed) left behind");
    cli_result_free(&r);
    assert_false(cli_exists(left));
    cli_rmrf(outdir);
}

/* ---- a full standard output: the driver reads stdout back, /dev/full
 * cannot be ---- */

/* Runs args with standard output on /dev/full: exit 1 and the message. */
static void check_full_stdout(const char *const *args)
{
    if (access("/dev/full", W_OK) != 0)
        skip();
    char err[CLI_PATH_MAX];
    cli_path(err, tmp, "full.err");
    int status = cli_wait(cli_spawn(args, "/dev/full", err), CLI_TIMEOUT_S);
    char *text = cli_read_file(err);
    assert_non_null(text);
    if (status != 1)
        fail_msg("exit status %d, expected 1; stderr:\n%s", status, text);
    cli_assert_contains(text, "reistijd: error: cannot write to standard output");
    free(text);
}

static void info_json_to_full_stdout_fails(void **state)
{
    (void)state;
    check_full_stdout((const char *const[]){"info", "--json", NULL});
}

static void run_json_to_full_stdout_fails(void **state)
{
    (void)state;
    char study[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    cli_path(study, in, "full.yaml");
    cli_write_file(study, template_yaml);
    cli_path(outdir, tmp, "full");
    check_full_stdout((const char *const[]){"run", study, "-o", outdir, "--json", NULL});
    cli_rmrf(outdir);
}

int main(void)
{
    const struct CMUnitTest extra[] = {
        cmocka_unit_test(sigint_leaves_nothing),
        cmocka_unit_test(sigterm_leaves_nothing),
        cmocka_unit_test(sighup_leaves_nothing),
        cmocka_unit_test(temporary_files_of_a_killed_run_are_cleared),
        cmocka_unit_test(info_json_to_full_stdout_fails),
        cmocka_unit_test(run_json_to_full_stdout_fails),
    };
    return bad_input_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), extra,
                          (int)(sizeof(extra) / sizeof(extra[0])));
}
