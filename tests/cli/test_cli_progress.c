/* Progress on standard error (docs/cli.md, "Progress"): on a terminal a bar
 * redrawn in place with the stage, percent and ETA, cleared at the end;
 * otherwise one plain line per stage start and end, with timings under -v;
 * with -q nothing. The terminal is a pseudo-terminal made by script(1)
 * from util-linux; the run's standard output goes to a file, so what
 * script records is standard error alone. The study is
 * tests/fixtures/small, whose stages are those of docs/architecture.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#include "cli/cli_json.h"

static char tmp[CLI_PATH_MAX];
static char study[CLI_PATH_MAX];
static const char *const stages[] = {"regions",    "population", "medium",
                                     "facilities", "search",     "write"};
#define N_STAGES (sizeof(stages) / sizeof(stages[0]))

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-progress");
    snprintf(study, sizeof(study), "%s/tests/fixtures/small/study.yaml", cli_source_dir());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

/* Runs `reistijd run <study> -o <tmp>/<name> <extra>` on a pseudo-terminal;
 * returns what it wrote to the terminal (standard error; caller frees).
 * Its standard output goes to <tmp>/<name>.out, read into *out. */
static char *run_on_terminal(const char *name, const char *extra, char **out)
{
    if (!cli_have("script"))
        skip();
    char outdir[CLI_PATH_MAX], outfile[CLI_PATH_MAX], file[128];
    cli_path(outdir, tmp, name);
    snprintf(file, sizeof(file), "%s.out", name);
    cli_path(outfile, tmp, file);
    char *term = cli_sh_output("script -qec \"'%s' run '%s' -o '%s' %s > '%s'\" /dev/null",
                               cli_exe(), study, outdir, extra, outfile);
    *out = cli_read_file(outfile);
    assert_non_null(*out);
    return term;
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void terminal_shows_a_bar_with_percent_and_eta(void **state)
{
    (void)state;
    char *out;
    char *term = run_on_terminal("bar", "", &out);
    char redraw[64];
    for (size_t i = 0; i < N_STAGES; i++) {
        /* each stage's bar is drawn from the start of the line */
        snprintf(redraw, sizeof(redraw), "\r%s", stages[i]);
        cli_assert_contains(term, redraw);
    }
    cli_assert_contains(term, "[##############################] 100%"); /* a stage ends */
    cli_assert_contains(term, "  0%");
    cli_assert_contains(term, "ETA ");
    /* no stage lines on a terminal without -v */
    assert_null(strstr(term, "reistijd: search"));
    /* the bar is cleared at the end: spaces, then the cursor back at the start */
    size_t n = strlen(term);
    assert_true(n > 2 && term[n - 1] == '\r' && term[n - 2] == ' ');
    /* the summary went to standard output, untouched by the bar */
    cli_assert_contains(out, "GM0001");
    assert_null(strchr(out, '\r'));
    free(term);
    free(out);
}

static void terminal_with_verbose_adds_stage_timings(void **state)
{
    (void)state;
    char *out;
    char *term = run_on_terminal("verbose", "-v", &out);
    char line[64];
    for (size_t i = 0; i < N_STAGES; i++) {
        /* the bar is cleared, the stage's line printed at the start of the
         * line (after the clearing \r, or after a message's \n) */
        snprintf(line, sizeof(line), "reistijd: %s done in ", stages[i]);
        const char *p = strstr(term, line);
        if (!p || p == term || (p[-1] != '\r' && p[-1] != '\n'))
            fail_msg("no line starting with '%s' in:\n%s", line, term);
    }
    cli_assert_contains(term, "\rsearch");
    free(term);
    free(out);
}

static void terminal_with_quiet_shows_nothing(void **state)
{
    (void)state;
    char *out;
    char *term = run_on_terminal("quiet", "-q", &out);
    assert_string_equal(term, "");
    assert_string_equal(out, ""); /* -q: no summary either */
    free(term);
    free(out);
}

static void terminal_with_json_keeps_stdout_clean(void **state)
{
    (void)state;
    char *out;
    char *term = run_on_terminal("json", "--json", &out);
    cli_assert_contains(term, "\rsearch");
    json_object *o = cj_parse(out);
    assert_string_equal(cj_str(o, "status"), "ok");
    json_object_put(o);
    free(term);
    free(out);
}

static void pipe_gets_one_line_per_stage_start_and_end(void **state)
{
    (void)state;
    char outdir[CLI_PATH_MAX];
    cli_path(outdir, tmp, "pipe");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir);
    cli_assert_status(&r, 0);
    assert_null(strchr(r.err, '\r'));
    assert_null(strstr(r.err, "ETA"));
    assert_null(strstr(r.err, "%"));
    char line[64];
    const char *at = r.err;
    for (size_t i = 0; i < N_STAGES; i++) {
        /* in order: start, then end */
        snprintf(line, sizeof(line), "reistijd: %s ...\n", stages[i]);
        const char *start = strstr(at, line);
        if (!start)
            fail_msg("no '%s' after the previous stage in:\n%s", line, r.err);
        snprintf(line, sizeof(line), "reistijd: %s done\n", stages[i]);
        at = strstr(start, line);
        if (!at)
            fail_msg("no '%s' after its start in:\n%s", line, r.err);
        assert_int_equal(count(r.err, line), 1);
    }
    cli_result_free(&r);
    /* -v: the end lines carry the time */
    CLI_RUN(&r, tmp, "run", study, "-o", outdir, "-v");
    cli_assert_status(&r, 0);
    for (size_t i = 0; i < N_STAGES; i++) {
        snprintf(line, sizeof(line), "reistijd: %s done in ", stages[i]);
        const char *p = strstr(r.err, line);
        if (!p)
            fail_msg("no '%s' in:\n%s", line, r.err);
        char *end;
        double s = strtod(p + strlen(line), &end);
        assert_true(s >= 0 && strncmp(end, " s\n", 3) == 0);
    }
    cli_result_free(&r);
}

static void pipe_with_quiet_gets_nothing_but_errors(void **state)
{
    (void)state;
    char outdir[CLI_PATH_MAX];
    cli_path(outdir, tmp, "pipe-quiet");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir, "-q", "-v");
    cli_assert_status(&r, 0);
    assert_string_equal(r.err, "");
    cli_result_free(&r);
    /* an error is still printed */
    CLI_RUN(&r, tmp, "run", "no-such-study.yaml", "-o", outdir, "-q");
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, "reistijd: error: no-such-study.yaml");
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(terminal_shows_a_bar_with_percent_and_eta),
        cmocka_unit_test(terminal_with_verbose_adds_stage_timings),
        cmocka_unit_test(terminal_with_quiet_shows_nothing),
        cmocka_unit_test(terminal_with_json_keeps_stdout_clean),
        cmocka_unit_test(pipe_gets_one_line_per_stage_start_and_end),
        cmocka_unit_test(pipe_with_quiet_gets_nothing_but_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
