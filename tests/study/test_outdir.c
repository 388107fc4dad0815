/* The output folder of a run (run/outdir.c), on a run with no outputs but
 * run.json: the folders a run makes and removes again (with their
 * parents, through "//", ".." and a trailing slash, never one it did not
 * make, never one with files in it), and which files in a folder count as
 * files of others (not run.json of an earlier run, nor what its outputs
 * list, nor temporary files .tmp-<pid>-*). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"
#include "study_fixture.h"

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/rt_outdir_test_XXXXXX");
    assert_non_null(mkdtemp(dir));
    rt_ctx *ctx = rt_ctx_create();
    assert_non_null(ctx);
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    rt_ctx_destroy(*state);
    return 0;
}

/* A run of an empty study (no grids, tables or report: run.json alone)
 * into dir/<name>. */
typedef struct fake_run {
    rt_study study;
    rt_run_opts opts;
    char outdir[300];
    rti_run run;
} fake_run;

static void fake(fake_run *f, const char *name, int overwrite)
{
    memset(f, 0, sizeof(*f));
    int n = snprintf(f->outdir, sizeof(f->outdir), "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < sizeof(f->outdir));
    rt_run_opts_init(&f->opts);
    f->opts.outdir = f->outdir;
    f->opts.overwrite = overwrite;
    f->run.study = &f->study;
    f->run.opts = &f->opts;
}

static void fake_free(fake_run *f)
{
    free(f->run.made_path);
    free(f->run.made_len);
    rti_outset_free(&f->run.outs);
}

static void make_dir(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(mkdir(path, 0777), 0);
}

static const char *fx_dir_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static int exists(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void folders_made_are_removed_with_their_parents(void **state)
{
    rt_ctx *ctx = *state;
    fake_run f;
    fake(&f, "a//b/../c/", 0); /* makes a, a/b and a/c */
    assert_int_equal(rti_run_make_outdir(ctx, &f.run), RT_OK);
    assert_true(exists("a/b") && exists("a/c"));
    assert_int_equal(f.run.n_made, 3);
    rti_run_remove_outdir(&f.run);
    assert_false(exists("a"));
    fake_free(&f);
}

static void a_folder_it_did_not_make_stays(void **state)
{
    rt_ctx *ctx = *state;
    fake_run f;
    make_dir("x");
    fake(&f, "x/y/z", 0);
    assert_int_equal(rti_run_make_outdir(ctx, &f.run), RT_OK);
    assert_int_equal(f.run.n_made, 2);
    rti_run_remove_outdir(&f.run);
    assert_true(exists("x"));
    assert_false(exists("x/y"));
    fake_free(&f);
    /* a folder with a file in it is not removed, nor its parents */
    fake(&f, "p/q", 0);
    assert_int_equal(rti_run_make_outdir(ctx, &f.run), RT_OK);
    write_text("p/q/kept.txt", "kept\n");
    rti_run_remove_outdir(&f.run);
    assert_true(exists("p/q/kept.txt"));
    fake_free(&f);
}

static void a_folder_that_cannot_be_made(void **state)
{
    rt_ctx *ctx = *state;
    fake_run f;
    write_text("file", "x\n");
    fake(&f, "file/out", 0);
    assert_int_equal(rti_run_make_outdir(ctx, &f.run), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "file/out: cannot create the output folder"));
    assert_int_equal(f.run.n_made, 0);
    fake_free(&f);
    /* new is made before the name of 256 bytes fails; it goes again */
    char name[300];
    snprintf(name, sizeof(name), "new/%0256d", 0);
    fake(&f, name, 0);
    assert_int_equal(rti_run_make_outdir(ctx, &f.run), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "File name too long"));
    assert_true(exists("new"));
    rti_run_remove_outdir(&f.run);
    assert_false(exists("new"));
    fake_free(&f);
}

static const char manifest[] = "{\"versions\": {\"reistijd\": \"0.1.0\"},\n"
                               " \"outputs\": [\"x.tif\", \"x.qml\", \"run.json\"]}\n";

static rt_status check(rt_ctx *ctx, const char *name, int overwrite)
{
    fake_run f;
    fake(&f, name, overwrite);
    rt_ctx_clear_error(ctx);
    rt_status st = rti_run_check_outdir(ctx, &f.run);
    fake_free(&f);
    return st;
}

static void files_of_an_earlier_run_are_not_others(void **state)
{
    rt_ctx *ctx = *state;
    assert_int_equal(check(ctx, "none", 0), RT_OK); /* not there yet */
    make_dir("o");
    assert_int_equal(check(ctx, "o", 0), RT_OK); /* empty */
    write_text("o/run.json", manifest);
    write_text("o/x.tif", "grid\n");
    write_text("o/.tmp-4242-y.csv", "half\n"); /* of a killed run */
    assert_int_equal(check(ctx, "o", 0), RT_OK);
    write_text("o/notes.txt", "mine\n");
    write_text("o/.tmp-x.csv", "not a temporary name of a run\n");
    assert_int_equal(check(ctx, "o", 0), RT_E_ARG);
    const char *msg = rt_ctx_errmsg(ctx);
    if (!strstr(msg, "holds 2 files that no earlier run wrote there") ||
        !strstr(msg, ": '.tmp-x.csv' and 'notes.txt';"))
        fail_msg("%s", msg);
    assert_int_equal(check(ctx, "o", 1), RT_OK); /* --overwrite */
}

/* A run of a study with scenarios killed before its run.json leaves the
 * folders it made, scenarios/ and scenarios/<name>/, holding temporary
 * files only: a rerun is not refused for them. What else they hold still
 * counts. */
static void folders_of_a_killed_run_with_scenarios_are_not_others(void **state)
{
    rt_ctx *ctx = *state;
    make_dir("k");
    make_dir("k/scenarios");
    make_dir("k/scenarios/bypass");
    write_text("k/.tmp-4242-gemeente.csv", "half\n");
    write_text("k/scenarios/bypass/.tmp-4242-huisarts_time_min.tif", "half\n");
    rti_scenario sc = {0};
    sc.name = "bypass";
    fake_run f;
    fake(&f, "k", 0);
    f.study.scenarios = &sc;
    f.study.n_scenarios = 1;
    assert_int_equal(rti_run_check_outdir(ctx, &f.run), RT_OK);
    write_text("k/scenarios/bypass/mine.txt", "mine\n");
    make_dir("k/scenarios/other"); /* not a scenario of this study */
    assert_int_equal(rti_run_check_outdir(ctx, &f.run), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "'other'"));
    rmdir(fx_dir_path("k/scenarios/other"));
    assert_int_equal(rti_run_check_outdir(ctx, &f.run), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "'mine.txt'"));
    f.study.n_scenarios = 0; /* without scenarios, the folder is another's */
    assert_int_equal(rti_run_check_outdir(ctx, &f.run), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "'scenarios'"));
    fake_free(&f);
}

/* The temporary files a killed run left, in the folder and its scenarios'
 * folders, are removed by a run that holds the folder's lock, and only
 * then; a name that is no temporary name of a run stays, as do the other
 * files, what lies deeper than a scenario's folder and the temporary file
 * of a process that runs. */
static void leftovers_of_a_killed_run_go_under_the_lock(void **state)
{
    rt_ctx *ctx = *state;
    make_dir("t");
    make_dir("t/scenarios");
    make_dir("t/scenarios/bypass");
    make_dir("t/scenarios/bypass/deeper");
    /* process ids above the largest a Linux kernel gives (2^22): of no process */
    static const char *const gone[] = {"t/.tmp-2147483000-gemeente.csv",
                                       "t/scenarios/bypass/.tmp-2147483001-huisarts_time_min.tif"};
    char live[64]; /* of this process, which runs */
    snprintf(live, sizeof(live), "t/.tmp-%ld-report.html", (long)getpid());
    const char *const kept[] = {"t/.tmp-x.csv", "t/notes.txt",
                                "t/scenarios/bypass/deeper/.tmp-2147483002-a.csv", live};
    for (int i = 0; i < 2; i++)
        write_text(gone[i], "half\n");
    for (int i = 0; i < 4; i++)
        write_text(kept[i], "mine\n");
    fake_run f;
    fake(&f, "t", 0);
    rti_run_clear_leftovers(ctx, &f.run); /* not locked: nothing goes */
    for (int i = 0; i < 2; i++)
        assert_true(exists(gone[i]));
    assert_int_equal(rti_run_lock_outdir(ctx, &f.run), RT_OK);
    assert_true(f.run.outdir_lock > 0);
    rti_run_clear_leftovers(ctx, &f.run);
    for (int i = 0; i < 2; i++)
        assert_false(exists(gone[i]));
    for (int i = 0; i < 4; i++)
        assert_true(exists(kept[i]));
    rti_run_unlock_outdir(&f.run);
    fake_free(&f);
}

static void a_run_json_of_no_run_is_a_file_of_others(void **state)
{
    rt_ctx *ctx = *state;
    make_dir("m");
    write_text("m/run.json", "{\"outputs\": [\"x.tif\"]}\n"); /* no versions.reistijd */
    write_text("m/x.tif", "grid\n");
    assert_int_equal(check(ctx, "m", 0), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "'run.json' and 'x.tif'"));
    write_text("m/run.json", "not JSON\n");
    assert_int_equal(check(ctx, "m", 0), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "holds 2 files"));
}

/* every allocation of the check fails once: RT_E_NOMEM, no leak */
static void out_of_memory_while_listing(void **state)
{
    rt_ctx *ctx = *state;
    make_dir("n");
    write_text("n/run.json", manifest);
    write_text("n/a.txt", "a\n");
    write_text("n/b.txt", "b\n");
    int k;
    for (k = 1; k < 100; k++) {
        rti_ctx_fail_alloc_at(ctx, k);
        rt_status st = check(ctx, "n", 0);
        const int64_t made = rti_ctx_alloc_count(ctx);
        rti_ctx_fail_alloc_at(ctx, 0);
        if (st == RT_E_ARG && made >= k)
            fail_msg("allocation %d failed and the check refused as if it had not", k);
        if (st == RT_E_ARG)
            break;
        assert_int_equal(st, RT_E_NOMEM);
    }
    assert_true(k > 3 && k < 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folders_made_are_removed_with_their_parents),
        cmocka_unit_test(a_folder_it_did_not_make_stays),
        cmocka_unit_test(a_folder_that_cannot_be_made),
        cmocka_unit_test(files_of_an_earlier_run_are_not_others),
        cmocka_unit_test(folders_of_a_killed_run_with_scenarios_are_not_others),
        cmocka_unit_test(leftovers_of_a_killed_run_go_under_the_lock),
        cmocka_unit_test(a_run_json_of_no_run_is_a_file_of_others),
        cmocka_unit_test(out_of_memory_while_listing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
