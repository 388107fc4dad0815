/* Interrupting `reistijd run`: SIGINT or SIGTERM ends the run with exit
 * status 130, the message "interrupted; no output was written", and no file
 * in OUTDIR; an OUTDIR the run created is removed again, one that existed
 * keeps its files as they were (docs/cli.md, "Interrupting").
 *
 * The study is studies/rijnmond.yaml at 25 m instead of 100 m (16 times the
 * cells), copied with absolute paths, so a run takes many seconds. The run
 * notices the request between stages and during the search; a GDAL read in
 * progress (the population raster, the land polygons) is not interrupted,
 * so a signal sent early waits for that read. The search stage is found
 * from the stage lines that -v prints when stderr is not a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#include "cli/cli_json.h"

/* How soon a run must stop after a signal: within a second (docs/cli.md,
 * "Interrupting"). Every stage reaches a progress point at least every
 * tenth of a second or so in a normal build (the search every 65,536
 * settled cells and every 2^20 cells while it initialises its labels), so
 * the bound leaves room for a loaded machine. AddressSanitizer slows the
 * program several times, so its builds get a wider bound. */
#if defined(__SANITIZE_ADDRESS__)
#define LATENCY_BOUND_S 3.0
#else
#define LATENCY_BOUND_S 1.0
#endif

static char tmp[CLI_PATH_MAX];
static char study[CLI_PATH_MAX]; /* empty when the Rijnmond data is missing */

/* text with every `from` replaced by `to` (caller frees) */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    for (const char *p = strstr(text, from); p; p = strstr(p + lf, from))
        n++;
    char *out = malloc(strlen(text) + n * lt + 1);
    assert_non_null(out);
    char *w = out;
    for (const char *p = text, *q; *p; p = q + lf) {
        q = strstr(p, from);
        if (!q) {
            strcpy(w, p);
            return out;
        }
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        memcpy(w, to, lt);
        w += lt;
    }
    *w = '\0';
    return out;
}

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-interrupt");
    char src[CLI_PATH_MAX], geodata[CLI_PATH_MAX], plans[CLI_PATH_MAX];
    snprintf(src, sizeof(src), "%s/studies/rijnmond.yaml", cli_source_dir());
    char *text = cli_read_file(src);
    if (!text)
        return 0;
    snprintf(geodata, sizeof(geodata), "%s/geodata/", cli_source_dir());
    char *abs0 = replace_all(text, "../geodata/", geodata);
    snprintf(plans, sizeof(plans), " %s/studies/plans/", cli_source_dir());
    char *abs = replace_all(abs0, " plans/", plans);
    free(abs0);
    char *fine = cli_replace(abs, "cell_size_m: 100", "cell_size_m: 25");
    cli_path(study, tmp, "rijnmond_25m.yaml");
    cli_write_file(study, fine);
    free(text);
    free(abs);
    free(fine);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

typedef struct interrupted_run {
    pid_t pid;
    char out[CLI_PATH_MAX], err[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
} interrupted_run;

/* Starts the run with -v (and --json when json is 1), and --overwrite: an
 * OUTDIR may hold a file that no run wrote. */
static void start(interrupted_run *ir, const char *name, int json)
{
    char file[128];
    snprintf(file, sizeof(file), "%s.out", name);
    cli_path(ir->out, tmp, file);
    snprintf(file, sizeof(file), "%s.err", name);
    cli_path(ir->err, tmp, file);
    cli_path(ir->outdir, tmp, name);
    ir->pid = cli_spawn((const char *const[]){"run", study, "-o", ir->outdir, "--overwrite", "-v",
                                              json ? "--json" : NULL, NULL},
                        ir->out, ir->err);
}

static int stderr_has(const interrupted_run *ir, const char *text)
{
    char *err = cli_read_file(ir->err);
    int found = err && strstr(err, text);
    free(err);
    return found;
}

/* Polls until stderr shows `text` (returns 1) or the process has ended
 * (returns 0, *status set); fails after timeout_s. */
static int wait_for_stderr(const interrupted_run *ir, const char *text, double timeout_s,
                           int *status)
{
    double t0 = cli_now();
    while (cli_now() - t0 < timeout_s) {
        if (stderr_has(ir, text))
            return 1;
        int ws;
        if (waitpid(ir->pid, &ws, WNOHANG) == ir->pid) {
            *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
            return stderr_has(ir, text);
        }
        cli_sleep(0.01);
    }
    kill(ir->pid, SIGKILL);
    waitpid(ir->pid, NULL, 0);
    fail_msg("no \"%s\" on stderr within %g s", text, timeout_s);
    return 0;
}

/* Sends sig; returns the seconds until the run printed that it stopped,
 * and checks the exit status 130. */
static double interrupt(const interrupted_run *ir, int sig)
{
    int status = -1;
    double t0 = cli_now();
    assert_int_equal(kill(ir->pid, sig), 0);
    /* the message says the run has stopped; exiting then takes a little
     * longer in a sanitizer build (the leak check at exit) */
    int seen = wait_for_stderr(ir, "interrupted; no output was written", 60, &status);
    double latency = cli_now() - t0;
    if (status == -1)
        status = cli_wait(ir->pid, 60);
    char *err = cli_read_file(ir->err);
    if (!seen || status != 130)
        fail_msg("exit status %d, expected 130; stderr:\n%s", status, err ? err : "");
    free(err);
    return latency;
}

/* 1 when the run has already ended (with 0): too fast to interrupt. */
static int already_finished(const interrupted_run *ir)
{
    int ws;
    if (waitpid(ir->pid, &ws, WNOHANG) != ir->pid)
        return 0;
    char *err = cli_read_file(ir->err);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        fail_msg("the run ended before the signal, with status %d:\n%s",
                 WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws), err ? err : "");
    free(err);
    print_message("the run finished before the signal; nothing to interrupt\n");
    return 1;
}

static void sigint_early_exits_130_and_removes_outdir(void **state)
{
    (void)state;
    if (!study[0])
        skip();
    interrupted_run ir;
    start(&ir, "early", 0);
    /* signal once the run is under way (its handler is installed), in its
     * first stage: reading and resampling the population raster */
    int status = -1;
    wait_for_stderr(&ir, "reistijd: population ...", 120, &status);
    if (status != -1) {
        char *err = cli_read_file(ir.err);
        fail_msg("the run ended (status %d) before the signal:\n%s", status, err ? err : "");
    }
    if (already_finished(&ir))
        skip();
    double latency = interrupt(&ir, SIGINT);
    print_message("stopped %.2f s after SIGINT\n", latency);
    assert_true(latency < LATENCY_BOUND_S);
    cli_assert_no_output(ir.outdir);
    assert_int_equal(cli_count_entries(ir.outdir, NULL, 0), -1); /* created, then removed */
    char *out = cli_read_file(ir.out);
    assert_non_null(out);
    assert_string_equal(out, ""); /* no summary */
    free(out);
}

/* Starts a run into an existing OUTDIR holding one file, waits until the
 * search has run for 0.3 s, sends sig, and checks the stop. With json, the
 * run has --json and its standard output must be the error object. */
static void interrupt_during_search(const char *name, int sig, int json)
{
    if (!study[0])
        skip();
    interrupted_run ir;
    char keep[CLI_PATH_MAX];
    cli_path(ir.outdir, tmp, name);
    assert_int_equal(mkdir(ir.outdir, 0777), 0);
    cli_path(keep, ir.outdir, "ziekenhuis_time_min.tif");
    cli_write_file(keep, "from an earlier run\n");
    start(&ir, name, json);
    int status = -1;
    int seen = wait_for_stderr(&ir, "reistijd: search ...", 120, &status);
    if (status == 0 && seen) {
        print_message("the run finished before the signal; nothing to interrupt\n");
        skip();
    }
    if (status != -1) {
        char *err = cli_read_file(ir.err);
        fail_msg("the run ended (status %d) before the signal:\n%s", status, err ? err : "");
    }
    cli_sleep(0.3);
    if (already_finished(&ir))
        skip();
    double latency = interrupt(&ir, sig);
    print_message("stopped %.2f s after the signal\n", latency);
    /* the search checks for a stop every 65536 cells */
    assert_true(latency < LATENCY_BOUND_S);
    char list[1024];
    if (cli_count_entries(ir.outdir, list, sizeof(list)) != 1)
        fail_msg("%s should hold only its earlier file, holds: %s", ir.outdir, list);
    char *text = cli_read_file(keep);
    assert_non_null(text);
    assert_string_equal(text, "from an earlier run\n");
    free(text);
    if (json) {
        cli_result r = {130, cli_read_file(ir.out), cli_read_file(ir.err), latency};
        assert_non_null(r.out);
        cj_assert_error(&r, "run", "RT_E_CANCELLED", 130);
        cli_result_free(&r);
    }
}

static void sigint_during_search_stops_promptly(void **state)
{
    (void)state;
    interrupt_during_search("search_int", SIGINT, 0);
}

/* ... and with --json, the error object on standard output */
static void sigterm_during_search_stops_promptly(void **state)
{
    (void)state;
    interrupt_during_search("search_term", SIGTERM, 1);
}

/* Started with SIGHUP ignored, as nohup starts a program: a SIGHUP during
 * the search does not stop it (the run went on after the terminal closed
 * before only when it was not started so); SIGINT then does. */
static void an_ignored_sighup_stays_ignored(void **state)
{
    (void)state;
    if (!study[0])
        skip();
    interrupted_run ir;
    signal(SIGHUP, SIG_IGN); /* inherited through fork and exec */
    start(&ir, "nohup", 0);
    signal(SIGHUP, SIG_DFL);
    int status = -1;
    int seen = wait_for_stderr(&ir, "reistijd: search ...", 120, &status);
    if (status == 0 && seen)
        skip(); /* finished before the signal */
    assert_int_equal(status, -1);
    assert_int_equal(kill(ir.pid, SIGHUP), 0);
    cli_sleep(LATENCY_BOUND_S);
    if (already_finished(&ir))
        skip();
    assert_false(stderr_has(&ir, "interrupted"));
    interrupt(&ir, SIGINT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigint_early_exits_130_and_removes_outdir),
        cmocka_unit_test(sigint_during_search_stops_promptly),
        cmocka_unit_test(sigterm_during_search_stops_promptly),
        cmocka_unit_test(an_ignored_sighup_stays_ignored),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
