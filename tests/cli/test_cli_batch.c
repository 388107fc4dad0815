/* reistijd batch: a batch writes for each job what `reistijd run` writes
 * alone, shares and their merge write what the whole batch writes, a
 * failed job stops no other, and what is refused. The three studies are
 * tests/batch/studies.sh's a, b and c; the folders are compared by
 * tests/batch/same_outputs.py (byte for byte but for the fields of the
 * clock, listed there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX]; /* everything of this program */
static char in[CLI_PATH_MAX];  /* the study files */
static char whole[CLI_PATH_MAX];
static char sa[CLI_PATH_MAX], sb[CLI_PATH_MAX], sc[CLI_PATH_MAX]; /* the studies */
static cli_result batch;                                          /* the whole batch */

static int same_outputs(const char *opt, const char *a, const char *b)
{
    return cli_sh("python3 '%s/tests/batch/same_outputs.py' %s '%s' '%s'", cli_source_dir(), opt, a,
                  b);
}

/* Fails unless the file holds the fragment. */
static void assert_file_contains(const char *path, const char *fragment)
{
    char *text = cli_read_file(path);
    assert_non_null(text);
    if (!cli_contains_ok(text, fragment)) {
        free(text);
        fail_msg("%s", path);
    }
    free(text);
}

static int group_setup(void **state)
{
    (void)state;
    /* the GeoPackage's last_change is the clock (same_outputs.py) */
    setenv("OGR_CURRENT_DATE", "2000-01-01T00:00:00Z", 1);
    setenv("OMP_NUM_THREADS", "2", 1);
    cli_mkdtemp(tmp, "cli-batch");
    cli_path(in, tmp, "in");
    assert_int_equal(mkdir(in, 0777), 0);
    assert_int_equal(cli_sh("sh '%s/tests/batch/studies.sh' '%s'", cli_source_dir(), in), 0);
    cli_path(sa, in, "a.yaml");
    cli_path(sb, in, "b.yaml");
    cli_path(sc, in, "c.yaml");
    cli_path(whole, tmp, "whole/batch"); /* missing parents are made */
    CLI_RUN(&batch, tmp, "batch", "-o", whole, sa, sb, sc);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    cli_result_free(&batch);
    cli_rmrf(tmp);
    return 0;
}

static void batch_exits_zero_and_lists_every_job(void **state)
{
    (void)state;
    cli_assert_status(&batch, 0);
    char path[CLI_PATH_MAX];
    cli_path(path, whole, "batch.json");
    char *json = cli_read_file(path);
    assert_non_null(json);
    /* three jobs named after their files, in the order given */
    cli_assert_contains(json, "\"n_jobs\":3");
    cli_assert_contains(json, "\"n_ok\":3");
    cli_assert_contains(json, "\"n_failed\":0");
    cli_assert_contains(json, "\"n_cancelled\":0");
    cli_assert_contains(json, "\"n_running\":0");
    cli_assert_contains(json, "\"complete\":true");
    const char *a = strstr(json, "\"name\":\"a\""), *b = strstr(json, "\"name\":\"b\""),
               *c = strstr(json, "\"name\":\"c\"");
    assert_true(a && b && c && a < b && b < c);
    free(json);
    cli_path(path, whole, "batch.txt");
    char *text = cli_read_file(path);
    assert_non_null(text);
    assert_string_equal(text, batch.out); /* the summary printed is batch.txt */
    cli_assert_contains(text, "batch: 3 jobs: 3 ok, 0 failed\n");
    free(text);
    cli_assert_no_tmp(whole);
    /* a job's warnings are named after the job (b's road network is in two parts) */
    cli_assert_contains(batch.err, "warning: b: medium.roads: 2 of the 4 nodes");
}

static void each_job_writes_what_run_writes_alone(void **state)
{
    (void)state;
    const char *studies[3] = {sa, sb, sc}, *names[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        char alone[CLI_PATH_MAX], job[CLI_PATH_MAX];
        cli_path(alone, tmp, names[i]);
        cli_path(job, whole, names[i]);
        cli_result r;
        CLI_RUN(&r, tmp, "run", "-q", "-o", alone, studies[i]);
        cli_assert_status(&r, 0);
        cli_result_free(&r);
        assert_int_equal(same_outputs("", alone, job), 0);
        cli_rmrf(alone);
    }
    /* the comparison sees a difference outside the timings */
    char a[CLI_PATH_MAX], b[CLI_PATH_MAX], gm[CLI_PATH_MAX];
    cli_path(a, whole, "a");
    cli_path(b, tmp, "copy-a");
    assert_int_equal(cli_sh("cp -r '%s' '%s'", a, b), 0);
    assert_int_equal(same_outputs("", a, b), 0);
    cli_path(gm, b, "gemeente.csv");
    assert_int_equal(cli_sh("sed -i '2s/,/;/' '%s'", gm), 0);
    assert_int_equal(same_outputs("", a, b), 1);
    cli_rmrf(b);
}

static void shares_and_merge_write_what_the_whole_batch_writes(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], path[CLI_PATH_MAX];
    cli_path(dir, tmp, "shares");
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "--shard", "1/2", "-o", dir, sa, sb, sc);
    cli_assert_status(&r, 0);
    /* share 1 of 2: job 1 (b) alone */
    cli_assert_contains(r.out, "batch: 3 jobs, share 1 of 2 (1 job): 1 ok, 0 failed\n");
    cli_result_free(&r);
    cli_path(path, dir, "b/run.json");
    assert_true(cli_exists(path));
    cli_path(path, dir, "a");
    assert_false(cli_exists(path));
    cli_path(path, dir, "batch.json");
    assert_false(cli_exists(path));
    /* merging before every share is there is refused */
    CLI_RUN(&r, tmp, "batch", "--merge", dir);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "share 0 of 2 is missing (batch-share-0-of-2.json)");
    cli_result_free(&r);
    assert_false(cli_exists(path));
    CLI_RUN(&r, tmp, "batch", "--shard", "0/2", "-o", dir, sa, sb, sc);
    cli_assert_status(&r, 0);
    cli_assert_contains(r.out, "share 0 of 2 (2 jobs): 2 ok, 0 failed\n");
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "batch", "--merge", dir);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    assert_int_equal(same_outputs("--shares", whole, dir), 0);
    /* a file of the user's where batch.txt goes: the merge, which cannot
     * write elsewhere, says to move it */
    cli_path(path, dir, "batch.txt");
    cli_write_file(path, "my notes\n");
    CLI_RUN(&r, tmp, "batch", "--merge", dir);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "batch.txt: a file no earlier batch wrote (not a batch summary) is "
                               "where the batch summary goes; move it out of the folder and "
                               "merge again");
    cli_result_free(&r);
    unlink(path);
    /* a share that says it ran a job of another share is refused */
    cli_path(path, dir, "batch-share-1-of-2.json");
    assert_int_equal(cli_sh("sed -i 's/\"elsewhere\"/\"ok\"/' '%s'", path), 0);
    CLI_RUN(&r, tmp, "batch", "--merge", dir);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "job 0 'a' was run by share 1, not only by share 0");
    cli_result_free(&r);
    cli_rmrf(dir);
}

static void a_failed_job_stops_no_other(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], bad[CLI_PATH_MAX], path[CLI_PATH_MAX];
    cli_path(dir, tmp, "failing");
    cli_path(bad, in, "broken.yaml");
    cli_write_file(bad, "study: {cell_size_m: 100}\n"); /* no medium, no facilities */
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-o", dir, sa, bad, sc);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "1 of 3 jobs failed");
    cli_assert_contains(r.out, "batch: 3 jobs: 2 ok, 1 failed\n");
    cli_assert_contains(r.out, "broken.yaml");
    cli_result_free(&r);
    cli_path(path, dir, "c/run.json"); /* the job after the failed one ran */
    assert_true(cli_exists(path));
    cli_path(path, dir, "broken");
    assert_false(cli_exists(path));
    cli_path(path, dir, "batch.json");
    assert_file_contains(path, "\"status\":\"failed\"");
    assert_file_contains(path, "\"code\":\"RT_E_PARSE\"");
    unlink(bad);
    cli_rmrf(dir);
    /* a study file that cannot be read is said before any job runs */
    cli_path(bad, in, "missing.yaml");
    CLI_RUN(&r, tmp, "batch", "-o", dir, sa, bad, sc);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "missing.yaml: cannot read the study file of job 2 'missing': No "
                               "such file or directory; no job was run");
    cli_result_free(&r);
    assert_false(cli_exists(dir));
}

static void each_job_has_the_output_checks_of_a_run(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], job[CLI_PATH_MAX], foreign[CLI_PATH_MAX], path[CLI_PATH_MAX];
    cli_path(dir, tmp, "foreign");
    cli_path(job, dir, "a");
    assert_int_equal(cli_sh("mkdir -p '%s'", job), 0);
    cli_path(foreign, job, "notes.txt"); /* a file no run wrote in job a's folder */
    cli_write_file(foreign, "mine\n");
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-o", dir, sa, sb);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.out, "batch: 2 jobs: 1 ok, 1 failed\n");
    cli_assert_contains(r.out, "notes.txt");
    cli_result_free(&r);
    cli_path(path, job, "run.json");
    assert_false(cli_exists(path));
    cli_path(path, dir, "b/run.json");
    assert_true(cli_exists(path));
    /* --overwrite is passed to every job */
    CLI_RUN(&r, tmp, "batch", "--overwrite", "-o", dir, sa, sb);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    assert_file_contains(foreign, "mine\n");
    cli_rmrf(dir);
}

static void refusals_and_usage_errors_exit_two_and_write_nothing(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], sub[CLI_PATH_MAX], twin[CLI_PATH_MAX];
    cli_path(dir, tmp, "refused");
    cli_path(sub, in, "sub");
    assert_int_equal(mkdir(sub, 0777), 0);
    cli_path(twin, sub, "a.yaml");
    cli_copy_file(sa, twin);
    struct {
        const char *const args[8];
        const char *fragment;
    } cases[] = {
        {{"batch", "-o", dir, sa, sb, twin, NULL}, "two jobs named 'a'"},
        {{"batch", sa, NULL}, "-o OUTDIR is required"},
        {{"batch", "-o", dir, NULL}, "a study file is required"},
        {{"batch", "--shard", "2/2", "-o", dir, sa, NULL}, "--shard wants I/N"},
        {{"batch", "--shard", "1", "-o", dir, sa, NULL}, "--shard wants I/N"},
        {{"batch", "--merge", dir, sa, NULL}, "--merge OUTDIR takes no"},
        {{"batch", "--merge", dir, "--overwrite", NULL}, "--merge OUTDIR takes no"},
        {{"batch", "--merge", dir, "--shard", "0/1", NULL}, "--merge OUTDIR takes no"},
        {{"batch", "--merge", dir, "--threads", "2", NULL}, "--merge OUTDIR takes no"},
        {{"batch", "--json", "-o", dir, sa, NULL}, "--json is not available"},
        {{"batch", "--bogus", "-o", dir, sa, NULL}, "bogus"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cli_result r;
        cli_run_args(&r, tmp, cases[i].args);
        cli_assert_status(&r, 2);
        cli_assert_contains(r.err, cases[i].fragment);
        cli_result_free(&r);
        assert_false(cli_exists(dir));
    }
    cli_rmrf(sub);
}

static void help_exits_zero_and_fits_80_columns(void **state)
{
    (void)state;
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "--help");
    cli_assert_status(&r, 0);
    cli_assert_contains(r.out, "Usage: reistijd batch ");
    cli_assert_contains(r.out, "--merge OUTDIR");
    for (const char *line = r.out; *line;) {
        size_t n = strcspn(line, "\n");
        if (n > 80)
            fail_msg("a line is wider than 80 columns: %.*s", (int)n, line);
        line += n + (line[n] == '\n');
    }
    cli_result_free(&r);
}

static void a_summary_that_would_replace_a_study_file_is_refused(void **state)
{
    (void)state;
    static const char *const names[] = {"batch.json", "batch.txt"};
    for (int k = 0; k < 2; k++) {
        char dir[CLI_PATH_MAX], study[CLI_PATH_MAX];
        cli_path(dir, tmp, "summary-is-input");
        assert_int_equal(mkdir(dir, 0777), 0);
        cli_path(study, dir, names[k]); /* a study file of job "batch" */
        cli_copy_file(sa, study);
        cli_result r;
        CLI_RUN(&r, tmp, "batch", "-o", dir, study);
        cli_assert_status(&r, 2);
        cli_assert_contains(r.err, "the batch summary would replace the study file");
        cli_result_free(&r);
        assert_int_equal(cli_count_entries(dir, NULL, 0), 1); /* the study alone, unchanged */
        char *text = cli_read_file(study), *orig = cli_read_file(sa);
        assert_string_equal(text, orig);
        free(text);
        free(orig);
        cli_rmrf(dir);
    }
}

/* A batch.txt or batch.json of the user's own (no batch summary beside
 * it) is not replaced without --overwrite. */
static void a_summary_file_of_others_is_not_replaced(void **state)
{
    (void)state;
    static const char *const names[] = {"batch.json", "batch.txt"};
    for (int k = 0; k < 2; k++) {
        char dir[CLI_PATH_MAX], mine[CLI_PATH_MAX];
        cli_path(dir, tmp, "summary-of-others");
        assert_int_equal(mkdir(dir, 0777), 0);
        cli_path(mine, dir, names[k]);
        FILE *fp = fopen(mine, "w");
        assert_non_null(fp);
        fputs("my own notes\n", fp);
        assert_int_equal(fclose(fp), 0);
        cli_result r;
        CLI_RUN(&r, tmp, "batch", "-o", dir, sa);
        cli_assert_status(&r, 2);
        cli_assert_contains(r.err, "a file no earlier batch wrote");
        cli_result_free(&r);
        char *text = cli_read_file(mine);
        assert_string_equal(text, "my own notes\n");
        free(text);
        assert_int_equal(cli_count_entries(dir, NULL, 0), 1);
        cli_rmrf(dir);
    }
}

/* A job named like a summary file, and a study file in the folder of
 * another job (which could replace it first, even with --overwrite), are
 * refused before any job runs. */
static void jobs_that_would_clash_are_refused(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], study[CLI_PATH_MAX], out[CLI_PATH_MAX], sub[CLI_PATH_MAX];
    cli_path(dir, tmp, "clash");
    assert_int_equal(mkdir(dir, 0777), 0);
    cli_path(study, dir, "batch.txt.yaml");
    cli_copy_file(sa, study);
    cli_path(out, dir, "out");
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-o", out, study);
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, "a job named 'batch.txt' would write into the folder");
    cli_result_free(&r);
    assert_int_equal(cli_count_entries(out, NULL, 0), -1);
    /* job "b"'s study lies in out/a/, the folder of job "a" */
    assert_int_equal(mkdir(out, 0777), 0);
    cli_path(sub, out, "a");
    assert_int_equal(mkdir(sub, 0777), 0);
    char sb_in[CLI_PATH_MAX], sa_copy[CLI_PATH_MAX];
    cli_path(sb_in, sub, "b.yaml");
    cli_copy_file(sa, sb_in);
    cli_path(sa_copy, dir, "a.yaml");
    cli_copy_file(sa, sa_copy);
    CLI_RUN(&r, tmp, "batch", "--overwrite", "-o", out, sa_copy, sb_in);
    cli_assert_status(&r, 2);
    cli_assert_contains(r.err, "lies in the output folder of job 'a'");
    cli_result_free(&r);
    assert_int_equal(cli_count_entries(sub, NULL, 0), 1); /* b.yaml alone */
    cli_rmrf(dir);
}

static void a_batch_folder_that_cannot_be_made_runs_no_job(void **state)
{
    (void)state;
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-o", "/dev/null/batch", sa);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "/dev/null/batch: cannot create the batch folder");
    assert_string_equal(r.out, "");
    cli_result_free(&r);
}

/* studies/rijnmond.yaml at 25 m, which takes many seconds, as <in>/
 * rijnmond25.yaml into path (its data by absolute paths); 0 when the
 * Rijnmond study is not there. */
static int write_rijnmond25(char *path)
{
    char src[CLI_PATH_MAX];
    snprintf(src, sizeof(src), "%s/studies/rijnmond.yaml", cli_source_dir());
    if (!cli_exists(src))
        return 0;
    cli_path(path, in, "rijnmond25.yaml");
    assert_int_equal(cli_sh("sed -e 's#\\.\\./geodata/#%s/geodata/#g' -e 's/cell_size_m: 100/"
                            "cell_size_m: 25/' '%s' > '%s'",
                            cli_source_dir(), src, path),
                     0);
    return 1;
}

/* Waits (two minutes at most) until the file err holds text. */
static void wait_for_text(const char *err, const char *text)
{
    char *got = NULL;
    for (double t0 = cli_now(); !(got && strstr(got, text)) && cli_now() - t0 < 120;) {
        free(got);
        cli_sleep(0.01);
        got = cli_read_file(err);
    }
    free(got);
}

/* SIGINT during the second job: the summary says while it runs that the
 * first is done; the first keeps its folder, the second leaves nothing
 * (as an interrupted run), the third does not start, and the summary
 * lists all three. The second job is studies/rijnmond.yaml at
 * 25 m, which takes many seconds. */
static void an_interrupt_keeps_the_jobs_that_finished(void **state)
{
    (void)state;
    char rijnmond[CLI_PATH_MAX], dir[CLI_PATH_MAX], out[CLI_PATH_MAX], err[CLI_PATH_MAX],
        path[CLI_PATH_MAX];
    if (!write_rijnmond25(rijnmond))
        skip();
    cli_path(dir, tmp, "interrupted");
    cli_path(out, tmp, "interrupted.out");
    cli_path(err, tmp, "interrupted.err");
    pid_t pid = cli_spawn((const char *const[]){"batch", "-v", "-o", dir, sa, rijnmond, sc, NULL},
                          out, err);
    wait_for_text(err, "job 2 of 3");
    /* the summary as it stands while the second job runs: written again
     * after the first, before the second started */
    cli_path(path, dir, "batch.txt");
    assert_file_contains(path, "batch: 3 jobs: 1 ok, 0 failed, 2 running\n");
    cli_path(path, dir, "batch.json");
    assert_file_contains(path, "\"n_ok\":1");
    assert_file_contains(path, "\"n_running\":2");
    assert_file_contains(path, "\"complete\":false");
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(cli_wait(pid, 120), 130);
    char *text = cli_read_file(err);
    cli_assert_contains(text, "interrupted; the jobs that had finished keep their outputs");
    free(text);
    cli_path(path, dir, "a/run.json");
    assert_true(cli_exists(path));
    cli_path(path, dir, "rijnmond25");
    assert_int_equal(cli_count_entries(path, NULL, 0), -1);
    cli_path(path, dir, "c");
    assert_false(cli_exists(path));
    cli_path(path, dir, "batch.txt");
    assert_file_contains(path, "batch: 3 jobs: 1 ok, 0 failed, 2 cancelled\n");
    /* a script that reads only n_failed (0) learns from complete that it is not done */
    cli_path(path, dir, "batch.json");
    assert_file_contains(path, "\"n_failed\":0");
    assert_file_contains(path, "\"n_cancelled\":2");
    assert_file_contains(path, "\"complete\":false");
    cli_assert_no_tmp(dir);
    unlink(rijnmond);
    cli_rmrf(dir);
}

/* A share killed while its job runs (SIGKILL: no handler runs) leaves a
 * summary that marks the job running, which the merge refuses, so that a
 * summary of an earlier run of that share is never merged in its place.
 * Its job is studies/rijnmond.yaml at 25 m, which takes many seconds. */
static void a_share_killed_while_it_runs_is_not_merged(void **state)
{
    (void)state;
    char rijnmond[CLI_PATH_MAX], dir[CLI_PATH_MAX], out[CLI_PATH_MAX], err[CLI_PATH_MAX],
        path[CLI_PATH_MAX];
    snprintf(path, sizeof(path), "%s/studies/rijnmond.yaml", cli_source_dir());
    if (!cli_exists(path))
        skip();
    cli_path(rijnmond, in, "rijnmond25.yaml");
    cli_path(dir, tmp, "killed");
    cli_path(out, tmp, "killed.out");
    cli_path(err, tmp, "killed.err");
    /* share 1 ran before, with a quick study in that file, and finished */
    cli_copy_file(sb, rijnmond);
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-q", "--shard", "1/2", "-o", dir, sa, rijnmond);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    assert_true(write_rijnmond25(rijnmond)); /* the slow study in its place */
    CLI_RUN(&r, tmp, "batch", "-q", "--shard", "0/2", "-o", dir, sa, rijnmond);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    pid_t pid = cli_spawn((const char *const[]){"batch", "-v", "--overwrite", "--shard", "1/2",
                                                "-o", dir, sa, rijnmond, NULL},
                          out, err);
    wait_for_text(err, "job 2 of 2");
    assert_int_equal(kill(pid, SIGKILL), 0);
    cli_wait(pid, 120);
    cli_path(path, dir, "batch-share-1-of-2.json");
    assert_file_contains(path, "\"status\":\"running\"");
    CLI_RUN(&r, tmp, "batch", "--merge", dir);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "job 1 'rijnmond25' was not done by share 1 (running)");
    cli_result_free(&r);
    cli_path(path, dir, "batch.json");
    assert_false(cli_exists(path));
    unlink(rijnmond);
    cli_rmrf(dir);
}

/* Several processes that would each run every job into the same
 * folders are refused, as each launcher shows them: mpirun (a size),
 * Slurm's PMIx plugin (a rank above 0 without a size) and srun without
 * PMI (the tasks of its step, or a task above 0). A build with MPI starts
 * MPI for the first two (tests/batch/test_mpi.sh). */
/* Shares given the same study file under two spellings of its path cannot
 * be merged (a job list is its paths as given): the refusal shows both. */
static void shares_of_other_paths_are_not_merged(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], here[CLI_PATH_MAX], a2[CLI_PATH_MAX];
    cli_path(dir, tmp, "paths");
    cli_path(here, in, ".");
    cli_path(a2, here, "a.yaml");
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-q", "--shard", "0/2", "-o", dir, sa, sc);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "batch", "-q", "--shard", "1/2", "-o", dir, a2, sc);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "batch", "--merge", dir);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "share 1 lists job 0 as 'a' (");
    cli_assert_contains(r.err, "/./a.yaml), share 0 as 'a' (");
    cli_assert_contains(r.err, "every share must be given the same study files, as the same paths");
    cli_result_free(&r);
    cli_rmrf(dir);
}

/* --resume runs again only what is not finished and unchanged: a batch of
 * a, a copy of b and c, run whole, then resumed: nothing runs and every
 * job is listed as done; then with the copy of b changed (a comment
 * added) and an output of c deleted: those two run again, a does not,
 * and what they write equals the whole batch's. */
static void resume_runs_again_only_what_changed(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], b2[CLI_PATH_MAX], path[CLI_PATH_MAX];
    cli_path(dir, tmp, "resumed");
    cli_path(b2, in, "b2.yaml");
    cli_copy_file(sb, b2);
    cli_result r;
    CLI_RUN(&r, tmp, "batch", "-q", "-o", dir, sa, b2, sc);
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "batch", "-v", "--resume", "-o", dir, sa, b2, sc);
    cli_assert_status(&r, 0);
    cli_assert_contains(r.out, "batch: 3 jobs: 0 ok, 0 failed, 3 done before\n");
    cli_assert_contains(r.err, "b2: done before: its folder holds a finished run of this study on "
                               "the same inputs; not run again");
    cli_result_free(&r);
    cli_path(path, dir, "batch.json");
    assert_file_contains(path, "\"n_done\":3");
    assert_file_contains(path, "\"complete\":true");
    FILE *f = fopen(b2, "a");
    assert_non_null(f);
    fputs("# changed\n", f);
    fclose(f);
    cli_path(path, dir, "c/huisarts_time_min.tif");
    assert_int_equal(unlink(path), 0);
    CLI_RUN(&r, tmp, "batch", "-v", "--resume", "-o", dir, sa, b2, sc);
    cli_assert_status(&r, 0);
    cli_assert_contains(r.out, "batch: 3 jobs: 2 ok, 0 failed, 1 done before\n");
    cli_assert_contains(r.err, "a: done before");
    cli_assert_contains(r.err, "b2: run again: its input ");
    cli_assert_contains(r.err, "b2.yaml (study) changed since");
    cli_assert_contains(r.err, "c: run again: its output huisarts_time_min.tif is gone");
    cli_result_free(&r);
    char want[CLI_PATH_MAX];
    cli_path(want, whole, "c");
    cli_path(path, dir, "c");
    assert_int_equal(same_outputs("", want, path), 0);
    /* a's file under its name in another folder (a link) would read the
     * inputs of that folder: not the run done before */
    char other[CLI_PATH_MAX], link_a[CLI_PATH_MAX];
    cli_path(other, tmp, "elsewhere");
    assert_int_equal(cli_sh("mkdir -p '%s'", other), 0);
    cli_path(link_a, other, "a.yaml");
    assert_int_equal(symlink(sa, link_a), 0);
    CLI_RUN(&r, tmp, "batch", "-v", "--resume", "-o", dir, link_a);
    cli_assert_contains(r.err, "a: run again: it is the run of another study file (");
    cli_result_free(&r);
    unlink(b2);
    cli_rmrf(other);
    cli_rmrf(dir);
}

static void started_as_several_processes_is_refused(void **state)
{
    (void)state;
    static const char *const env[][2] = {{"OMPI_COMM_WORLD_SIZE", "2"},
                                         {"PMIX_RANK", "1"},
                                         {"SLURM_STEP_NUM_TASKS", "2"},
                                         {"SLURM_PROCID", "1"}};
    const int mpi = getenv("RT_WITH_MPI") && *getenv("RT_WITH_MPI") == '1';
    char dir[CLI_PATH_MAX];
    cli_path(dir, tmp, "several");
    for (size_t k = 0; k < sizeof(env) / sizeof(env[0]); k++)
        unsetenv(env[k][0]);
    for (size_t k = mpi ? 2 : 0; k < sizeof(env) / sizeof(env[0]); k++) {
        setenv(env[k][0], env[k][1], 1);
        cli_result r;
        CLI_RUN(&r, tmp, "batch", "-o", dir, sa);
        unsetenv(env[k][0]);
        cli_assert_status(&r, 2);
        cli_assert_contains(r.err, "each would run every job");
        if (!mpi)
            cli_assert_contains(r.err, "built without MPI");
        cli_result_free(&r);
        assert_false(cli_exists(dir));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_exits_zero_and_lists_every_job),
        cmocka_unit_test(each_job_writes_what_run_writes_alone),
        cmocka_unit_test(shares_and_merge_write_what_the_whole_batch_writes),
        cmocka_unit_test(a_failed_job_stops_no_other),
        cmocka_unit_test(each_job_has_the_output_checks_of_a_run),
        cmocka_unit_test(refusals_and_usage_errors_exit_two_and_write_nothing),
        cmocka_unit_test(a_summary_that_would_replace_a_study_file_is_refused),
        cmocka_unit_test(a_summary_file_of_others_is_not_replaced),
        cmocka_unit_test(jobs_that_would_clash_are_refused),
        cmocka_unit_test(a_batch_folder_that_cannot_be_made_runs_no_job),
        cmocka_unit_test(an_interrupt_keeps_the_jobs_that_finished),
        cmocka_unit_test(help_exits_zero_and_fits_80_columns),
        cmocka_unit_test(a_share_killed_while_it_runs_is_not_merged),
        cmocka_unit_test(started_as_several_processes_is_refused),
        cmocka_unit_test(resume_runs_again_only_what_changed),
        cmocka_unit_test(shares_of_other_paths_are_not_merged),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
