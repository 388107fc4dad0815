/* The output set's checks (io/outfile.c), file by file: what may be at an
 * output's place (nothing, a regular file, a link to nothing), what may
 * not (a folder, a FIFO, a device through a link, a protected input by
 * any of its names), names and paths too long for the temporary name,
 * that a refused output registers nothing, and that the commit flushes every
 * output to the disk before it renames any, and warns when a folder cannot
 * be flushed after (fsync is interposed below). */
#define _DEFAULT_SOURCE /* syscall() */
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "io_fixture.h"

/* the status of rti_outset_check, and its message must hold `fragment`
 * (NULL: no message expected) */
static void check_is(fx *f, const rti_outset *set, const char *path, rt_status want,
                     const char *fragment)
{
    rt_ctx_clear_error(f->ctx);
    rt_status st = rti_outset_check(f->ctx, set, path);
    if (st != want)
        fail_msg("%s: %s, expected %s (%s)", path, rt_status_str(st), rt_status_str(want),
                 rt_ctx_errmsg(f->ctx));
    if (fragment && !strstr(rt_ctx_errmsg(f->ctx), fragment))
        fail_msg("%s: no '%s' in: %s", path, fragment, rt_ctx_errmsg(f->ctx));
}

static void missing_regular_and_dangling_link_are_fine(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    check_is(f, &set, fx_path(f, "new.tif"), RT_OK, NULL);
    fx_write_text(fx_path(f, "old.csv"), "old\n");
    check_is(f, &set, fx_path(f, "old.csv"), RT_OK, NULL);
    /* the rename would replace the link, not follow it */
    assert_int_equal(symlink(fx_path(f, "nowhere"), fx_path(f, "dangling.csv")), 0);
    check_is(f, &set, fx_path(f, "dangling.csv"), RT_OK, NULL);
    rti_outset_free(&set);
}

static void folder_fifo_and_device_are_never_replaced(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    assert_int_equal(mkdir(fx_path(f, "dir.tif"), 0777), 0);
    check_is(f, &set, fx_path(f, "dir.tif"), RT_E_IO, "dir.tif: a folder is in the way");
    assert_int_equal(mkfifo(fx_path(f, "fifo.csv"), 0666), 0);
    check_is(f, &set, fx_path(f, "fifo.csv"), RT_E_IO, "a FIFO is in the way");
    assert_int_equal(symlink("/dev/null", fx_path(f, "null.tif")), 0);
    check_is(f, &set, fx_path(f, "null.tif"), RT_E_IO,
             "a character device (through a link) is in the way");
    check_is(f, &set, "/dev/null", RT_E_IO, "/dev/null: a character device is in the way");
    rti_outset_free(&set);
}

static void a_protected_input_is_refused_by_any_name(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    fx_write_text(fx_path(f, "regions.csv"), "code\n");
    assert_int_equal(rti_outset_protect(f->ctx, &set, fx_path(f, "regions.csv"), "regions input"),
                     RT_OK);
    /* a missing input, a GDAL virtual path: nothing to protect */
    assert_int_equal(rti_outset_protect(f->ctx, &set, fx_path(f, "absent.csv"), "x"), RT_OK);
    assert_int_equal(rti_outset_protect(f->ctx, &set, "/vsimem/a.csv", "x"), RT_OK);
    assert_int_equal(set.n_inputs, 1);
    check_is(f, &set, fx_path(f, "regions.csv"), RT_E_ARG,
             "the output would overwrite the regions input");
    assert_int_equal(symlink(fx_path(f, "regions.csv"), fx_path(f, "soft.csv")), 0);
    check_is(f, &set, fx_path(f, "soft.csv"), RT_E_ARG, "regions.csv");
    assert_int_equal(link(fx_path(f, "regions.csv"), fx_path(f, "hard.csv")), 0);
    check_is(f, &set, fx_path(f, "hard.csv"), RT_E_ARG, "regions input");
    /* the same name through another path */
    char dotted[600];
    snprintf(dotted, sizeof(dotted), "%s/./regions.csv", f->dir);
    check_is(f, &set, dotted, RT_E_ARG, "regions input");
    fx_write_text(fx_path(f, "other.csv"), "code\n");
    check_is(f, &set, fx_path(f, "other.csv"), RT_OK, NULL);
    rti_outset_free(&set);
    assert_int_equal(set.n_inputs, 0);
}

/* The files a driver-prefixed string or an archive path reads are
 * protected as the plain path would be: a GeoPackage named by
 * GPKG:<file>:<layer>, the zip file under /vsizip/ (nested in another
 * /vsizip/ too). */
static void inputs_named_through_gdal_are_protected(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    char gpkg[700], zip[700], nested[800];
    fx_write_text(fx_path(f, "in.gpkg"), "x");
    fx_write_text(fx_path(f, "in.zip"), "x");
    fx_write_text(fx_path(f, "outer.zip"), "x");
    snprintf(gpkg, sizeof(gpkg), "GPKG:%s:gemeente", fx_path(f, "in.gpkg"));
    snprintf(zip, sizeof(zip), "/vsizip/%s/a.csv", fx_path(f, "in.zip"));
    snprintf(nested, sizeof(nested), "/vsizip//vsizip/%s/inner.zip/a.csv", fx_path(f, "outer.zip"));
    assert_int_equal(rti_outset_protect(f->ctx, &set, gpkg, "regions input"), RT_OK);
    assert_int_equal(rti_outset_protect(f->ctx, &set, zip, "facilities input"), RT_OK);
    assert_int_equal(rti_outset_protect(f->ctx, &set, nested, "population input"), RT_OK);
    assert_int_equal(set.n_inputs, 3);
    check_is(f, &set, fx_path(f, "in.gpkg"), RT_E_ARG,
             "the output would overwrite the regions "
             "input GPKG:");
    check_is(f, &set, fx_path(f, "in.zip"), RT_E_ARG, "facilities input /vsizip/");
    check_is(f, &set, fx_path(f, "outer.zip"), RT_E_ARG, "population input /vsizip//vsizip/");
    rti_outset_free(&set);
}

/* The files GDAL reads behind an input are inputs too: the raster of a
 * VRT, the table of an OGR VRT, the .dbf and .prj of a shapefile. */
static void files_read_behind_an_input_are_protected(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    const double gt[6] = {0, 100, 0, 1000, 0, -100};
    const float px[4] = {1, 2, 3, 4};
    fx_tiff(fx_path(f, "pop.tif"), 2, 2, gt, "EPSG:28992", px, 0, 0);
    fx_write_text(fx_path(f, "pop.vrt"),
                  "<VRTDataset rasterXSize=\"2\" rasterYSize=\"2\">\n"
                  " <GeoTransform>0, 100, 0, 1000, 0, -100</GeoTransform>\n"
                  " <VRTRasterBand dataType=\"Float32\" band=\"1\">\n"
                  "  <SimpleSource><SourceFilename relativeToVRT=\"1\">pop.tif</SourceFilename>"
                  "<SourceBand>1</SourceBand></SimpleSource>\n"
                  " </VRTRasterBand>\n"
                  "</VRTDataset>\n");
    fx_write_text(fx_path(f, "pts.csv"), "ref,x,y\nA,50,950\n");
    fx_write_text(fx_path(f, "pts.vrt"),
                  "<OGRVRTDataSource><OGRVRTLayer name=\"pts\">"
                  "<SrcDataSource relativeToVRT=\"1\">pts.csv</SrcDataSource>"
                  "<GeometryType>wkbPoint</GeometryType>"
                  "<GeometryField encoding=\"PointFromColumns\" x=\"x\" y=\"y\"/>"
                  "</OGRVRTLayer></OGRVRTDataSource>\n");
    const char *cols[] = {"ref", NULL};
    const fx_feature pt = {"POINT (50 950)", {"A"}};
    fx_vector("ESRI Shapefile", fx_path(f, "fac.shp"), "fac", "EPSG:28992", wkbPoint, cols, &pt, 1);
    assert_int_equal(rti_outset_protect(f->ctx, &set, fx_path(f, "pop.vrt"), "population input"),
                     RT_OK);
    assert_int_equal(rti_outset_protect(f->ctx, &set, fx_path(f, "pts.vrt"), "facilities input"),
                     RT_OK);
    assert_int_equal(rti_outset_protect(f->ctx, &set, fx_path(f, "fac.shp"), "facilities file"),
                     RT_OK);
    check_is(f, &set, fx_path(f, "pop.tif"), RT_E_ARG, "population input");
    check_is(f, &set, fx_path(f, "pts.csv"), RT_E_ARG, "facilities input");
    check_is(f, &set, fx_path(f, "fac.dbf"), RT_E_ARG, "facilities file");
    check_is(f, &set, fx_path(f, "fac.prj"), RT_E_ARG, "facilities file");
    rti_outset_free(&set);
}

static void a_refused_output_registers_nothing(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    assert_int_equal(mkdir(fx_path(f, "report.html"), 0777), 0);
    assert_non_null(rti_outset_add(f->ctx, &set, fx_path(f, "run.json")));
    assert_null(rti_outset_add(f->ctx, &set, fx_path(f, "report.html")));
    assert_int_equal(rt_ctx_errcode(f->ctx), RT_E_IO);
    assert_int_equal(set.n, 1);
    const char *tmp;
    assert_int_equal(rti_outset_add_in(f->ctx, &set, f->dir, "report.html", &tmp), RT_E_IO);
    assert_int_equal(set.n, 1);
    rti_outset_abort(&set);
}

/* NAME_MAX (255) for a name; the temporary name .tmp-<pid>-<name> of the
 * file must fit too; PATH_MAX (4096) for the temporary path, NUL included.
 * The room kept for ".tmp-<pid>-" is that of the largest pid, 10 digits:
 * 16 bytes, whatever this process's id. */
static void names_and_paths_too_long(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    char name[300], path[PATH_MAX + 100];
    memset(name, 'n', 256);
    name[256] = '\0';
    snprintf(path, sizeof(path), "%s/%s/out.tif", f->dir, name);
    check_is(f, &set, path, RT_E_ARG, "has 256 bytes, at most 255");
    /* a file name of 250 bytes fits, its temporary name does not */
    name[250] = '\0';
    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    check_is(f, &set, path, RT_E_ARG, "more with its temporary name");
    name[200] = '\0';
    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    check_is(f, &set, path, RT_OK, NULL);
    /* folders of 200 bytes, then a file name that makes the temporary path
     * PATH_MAX - 1 bytes long: allowed; one byte more is not */
    char pad[256];
    memset(pad, 'p', 255);
    pad[255] = '\0';
    const int prefix = 16; /* ".tmp-" + 10 digits + "-" */
    int n = snprintf(path, sizeof(path), "%s", f->dir);
    while (PATH_MAX - 1 - prefix - n - 1 > 201)
        n += snprintf(path + n, sizeof(path) - (size_t)n, "/%s", name);
    int rest = PATH_MAX - 1 - prefix - n - 1; /* 1 to 201 */
    snprintf(path + n, sizeof(path) - (size_t)n, "/%.*s", rest, pad);
    assert_int_equal((int)strlen(path) + prefix, PATH_MAX - 1);
    check_is(f, &set, path, RT_OK, NULL);
    snprintf(path + n, sizeof(path) - (size_t)n, "/%.*s", rest + 1, pad);
    check_is(f, &set, path, RT_E_ARG, "with the room for its temporary name, less than 4096");
    rti_outset_free(&set);
}

static void protecting_runs_out_of_memory_cleanly(void **state)
{
    fx *f = *state;
    fx_write_text(fx_path(f, "in.csv"), "x\n");
    for (int k = 1; k <= 2; k++) {
        rti_outset set = {0};
        rti_ctx_fail_alloc_at(f->ctx, k);
        assert_int_equal(rti_outset_protect(f->ctx, &set, fx_path(f, "in.csv"), "input"),
                         RT_E_NOMEM);
        rti_ctx_fail_alloc_at(f->ctx, 0);
        rti_outset_free(&set);
    }
}

/* ---- the commit: fsync interposed ---- */

/* What the interposed fsync saw: the path of each file or folder flushed,
 * how many of the outputs' final names existed at that moment, and the
 * paths whose flush fails (EIO). A test of this file only. */
#define MAX_SYNCS 16
static struct {
    int n;
    char path[MAX_SYNCS][PATH_MAX];
    int finals_there[MAX_SYNCS];
    const char *const *finals;
    int n_finals;
    char fail[PATH_MAX], fail_too[PATH_MAX];
} syncs;

int fsync(int fd)
{
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, path, sizeof(path) - 1);
    path[len > 0 ? len : 0] = '\0';
    if (syncs.finals && syncs.n < MAX_SYNCS) {
        snprintf(syncs.path[syncs.n], PATH_MAX, "%s", path);
        struct stat st;
        for (int i = 0; i < syncs.n_finals; i++)
            syncs.finals_there[syncs.n] += stat(syncs.finals[i], &st) == 0;
        syncs.n++;
    }
    if ((syncs.fail[0] && strcmp(path, syncs.fail) == 0) ||
        (syncs.fail_too[0] && strcmp(path, syncs.fail_too) == 0)) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fsync, fd);
}

/* Three outputs in two folders, each written under its temporary name. */
static void three_outputs(fx *f, rti_outset *set, const char **finals, const char **tmps)
{
    assert_int_equal(mkdir(fx_path(f, "sub"), 0777), 0);
    static const char *const names[3] = {"a.csv", "sub/b.tif", "c.csv"};
    for (int i = 0; i < 3; i++) {
        finals[i] = strdup(fx_path(f, names[i]));
        tmps[i] = rti_outset_add(f->ctx, set, finals[i]);
        assert_non_null(tmps[i]);
        fx_write_text(tmps[i], "data\n");
    }
    memset(&syncs, 0, sizeof(syncs));
    syncs.finals = finals;
    syncs.n_finals = 3;
}

/* The end of a test of three_outputs: nothing recorded any more. */
static void three_outputs_free(rti_outset *set, const char **finals)
{
    memset(&syncs, 0, sizeof(syncs));
    for (int i = 0; i < 3; i++)
        free((char *)finals[i]);
    rti_outset_free(set);
}

/* The entries of a folder other than . and .. */
static int entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* The three files are flushed before any is renamed (no final name there
 * yet), then each folder once with every output in place: the fixture's
 * folder, the folders above it (a folder the run made is an entry of its
 * parent) and sub. */
static void commit_flushes_before_it_renames(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    const char *finals[3], *tmps[3];
    three_outputs(f, &set, finals, tmps);
    char real[PATH_MAX], tmp_real[3][PATH_MAX];
    for (int i = 0; i < 3; i++)
        assert_non_null(realpath(tmps[i], tmp_real[i]));
    assert_int_equal(rti_outset_commit(f->ctx, &set), RT_OK);
    assert_true(syncs.n >= 6 && syncs.n < MAX_SYNCS);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(syncs.path[i], tmp_real[i]);
        assert_int_equal(syncs.finals_there[i], 0);
    }
    assert_string_equal(syncs.path[3], realpath(f->dir, real));
    *strrchr(real, '/') = '\0'; /* the folder above the fixture's: /tmp */
    int above = 0;
    for (int i = 3; i < syncs.n; i++) {
        assert_int_equal(syncs.finals_there[i], 3);
        for (int j = 3; j < i; j++) /* each folder once */
            assert_string_not_equal(syncs.path[i], syncs.path[j]);
        above += strcmp(syncs.path[i], real) == 0;
    }
    assert_int_equal(above, 1);
    assert_string_equal(syncs.path[syncs.n - 1], realpath(fx_path(f, "sub"), real));
    three_outputs_free(&set, finals);
}

/* A rename that fails (a folder full of files came into b.tif's place
 * after it was registered) keeps a.csv, which is in place, and removes the
 * temporary files of b.tif and c.csv. */
static void a_failed_rename_keeps_what_is_in_place(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    const char *finals[3], *tmps[3];
    three_outputs(f, &set, finals, tmps);
    syncs.finals = NULL;
    assert_int_equal(mkdir(finals[1], 0777), 0);
    fx_write_text(fx_path(f, "sub/b.tif/x"), "x\n");
    assert_int_equal(rti_outset_commit(f->ctx, &set), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "sub/b.tif: cannot move the finished file into place");
    struct stat st;
    assert_int_equal(stat(finals[0], &st), 0);
    assert_true(stat(finals[2], &st) != 0);
    assert_int_equal(entries_in(f->dir), 2);            /* a.csv and sub */
    assert_int_equal(entries_in(fx_path(f, "sub")), 1); /* the folder b.tif */
    three_outputs_free(&set, finals);
}

/* A flush that fails stops the commit before any rename, names the
 * output, and leaves neither it nor a temporary file behind. */
static void a_failed_flush_leaves_nothing(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    const char *finals[3], *tmps[3];
    three_outputs(f, &set, finals, tmps);
    assert_non_null(realpath(tmps[1], syncs.fail));
    assert_int_equal(rti_outset_commit(f->ctx, &set), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "sub/b.tif: cannot write the finished file to the disk: "
                              "Input/output error");
    assert_int_equal(syncs.n, 2);            /* a.csv, then b.tif failed */
    assert_int_equal(entries_in(f->dir), 1); /* sub */
    assert_int_equal(entries_in(fx_path(f, "sub")), 0);
    three_outputs_free(&set, finals);
}

/* Folders whose flush fails after the renames (the fixture's, then sub)
 * leave the outputs in place and the commit successful, with one warning
 * that names the first folder and the cause. */
static void a_failed_folder_flush_warns_once(void **state)
{
    fx *f = *state;
    rti_outset set = {0};
    const char *finals[3], *tmps[3];
    three_outputs(f, &set, finals, tmps);
    assert_non_null(realpath(fx_path(f, "sub"), syncs.fail_too));
    assert_non_null(realpath(f->dir, syncs.fail));
    assert_int_equal(rti_outset_commit(f->ctx, &set), RT_OK);
    /* the three files, the fixture's folder (failed: none above it), sub (failed) */
    assert_int_equal(syncs.n, 3 + 2);
    struct stat st;
    for (int i = 0; i < 3; i++)
        assert_int_equal(stat(finals[i], &st), 0);
    assert_int_equal(f->n_warnings, 1);
    char want[PATH_MAX + 256];
    snprintf(want, sizeof(want),
             "%s: the outputs are in place, but this folder could not be written to the disk "
             "(Input/output error): a crash of the machine now may lose them\n",
             syncs.fail);
    assert_string_equal(f->log, want);
    three_outputs_free(&set, finals);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_regular_and_dangling_link_are_fine, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(folder_fifo_and_device_are_never_replaced, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(inputs_named_through_gdal_are_protected, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(files_read_behind_an_input_are_protected, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_protected_input_is_refused_by_any_name, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_refused_output_registers_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(names_and_paths_too_long, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(protecting_runs_out_of_memory_cleanly, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(commit_flushes_before_it_renames, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_failed_flush_leaves_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(a_failed_rename_keeps_what_is_in_place, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(a_failed_folder_flush_warns_once, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
