/* Help texts and usage errors of every command (docs/cli.md): --help and -h
 * print a usage synopsis, the options and the exit status on standard
 * output and exit with 0; the options every command shares are described
 * in the same words everywhere; an unknown option, a missing value or a
 * bad value exits with 2, says what is wrong on standard error and points
 * at --help, with nothing on standard output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#include "cli/cli_json.h"

static char tmp[CLI_PATH_MAX];
static const char *const commands[] = {"run", "validate", "nearest", "info"};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* What every command's help says of the options it shares with the others
 * and of the exit status, line by line (docs/cli.md). */
static const char *const shared_lines[] = {
    "  --threads N       OpenMP threads (default: OMP_NUM_THREADS, else the\n",
    "  --json            print the result as JSON on standard output instead\n",
    "  -q, --quiet       print nothing on standard error but errors\n",
    "  -v, --verbose     stage timings and information messages\n",
    "  -h, --help        print this help and exit\n",
    "\nExit status:\n  0    success\n",
    "  1    runtime error: ",
    "  2    usage error: ",
    "  130  interrupted (SIGINT, SIGTERM or SIGHUP)\n",
};

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-usage");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

static void assert_help_fits_80_columns(const char *cmd, const char *text)
{
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        if (n > 80)
            fail_msg("%s --help: a line is wider than 80 columns: %.*s", cmd, (int)n, line);
        line += n + (line[n] == '\n');
    }
}

static void every_help_exits_zero_with_synopsis_options_and_exit_status(void **state)
{
    (void)state;
    const char *flags[] = {"--help", "-h"};
    for (size_t i = 0; i < N_COMMANDS; i++)
        for (int f = 0; f < 2; f++) {
            cli_result r;
            CLI_RUN(&r, tmp, commands[i], flags[f]);
            cli_assert_status(&r, 0);
            assert_string_equal(r.err, "");
            char head[64];
            snprintf(head, sizeof(head), "Usage: reistijd %s ", commands[i]);
            if (strncmp(r.out, head, strlen(head)) != 0)
                fail_msg("%s %s does not start with '%s':\n%s", commands[i], flags[f], head, r.out);
            /* the synopsis (up to the first empty line) names the shared options */
            const char *shared = strstr(r.out, "[-h] [-q] [-v] [--json] [--threads N]");
            assert_true(shared && shared < strstr(r.out, "\n\n"));
            assert_help_fits_80_columns(commands[i], r.out);
            cli_assert_contains(r.out, "\nOptions:\n");
            for (size_t k = 0; k < sizeof(shared_lines) / sizeof(shared_lines[0]); k++)
                cli_assert_contains(r.out, shared_lines[k]);
            cli_result_free(&r);
        }
}

static void top_level_help_lists_every_command(void **state)
{
    (void)state;
    const char *forms[] = {"--help", "-h", "help"};
    for (int f = 0; f < 3; f++) {
        cli_result r;
        CLI_RUN(&r, tmp, forms[f]);
        cli_assert_status(&r, 0);
        assert_true(strncmp(r.out, "Usage: reistijd ", 16) == 0);
        for (size_t i = 0; i < N_COMMANDS; i++) {
            char line[32];
            snprintf(line, sizeof(line), "\n  %s ", commands[i]);
            cli_assert_contains(r.out, line);
        }
        cli_assert_contains(r.out, "  130  interrupted");
        cli_result_free(&r);
    }
}

static void check_usage_error(const char *cmd, const char *const *args, const char *fragment)
{
    cli_result r;
    cli_run_args(&r, tmp, args);
    cli_assert_status(&r, 2);
    assert_string_equal(r.out, "");
    cli_assert_contains(r.err, fragment);
    char hint[64];
    snprintf(hint, sizeof(hint), "Try 'reistijd%s%s --help'.\n", *cmd ? " " : "", cmd);
    cli_assert_contains(r.err, hint);
    cli_result_free(&r);
}

static void unknown_options_and_bad_values_exit_two(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const char *c = commands[i];
        check_usage_error(c, (const char *const[]){c, "--bogus", NULL}, "unknown option '--bogus'");
        check_usage_error(c, (const char *const[]){c, "-Z", NULL}, "unknown option '-Z'");
        /* in a group of letters, the letter that is unknown */
        check_usage_error(c, (const char *const[]){c, "-Zq", NULL}, "unknown option '-Z'");
        check_usage_error(c, (const char *const[]){c, "--threads", "0", NULL},
                          "--threads wants a number >= 1 and <= 1024, got '0'");
        check_usage_error(c, (const char *const[]){c, "--threads", NULL},
                          "option '--threads' needs a value");
        /* a flag given a value: named as typed, not by an internal code */
        check_usage_error(c, (const char *const[]){c, "--json=yes", NULL},
                          "option '--json' takes no value, got '--json=yes'");
        check_usage_error(c, (const char *const[]){c, "--quiet=1", NULL},
                          "option '--quiet' takes no value, got '--quiet=1'");
        check_usage_error(c, (const char *const[]){c, "--bogus=1", NULL},
                          "unknown option '--bogus=1'");
    }
    check_usage_error("", (const char *const[]){"scenario", NULL}, "unknown command 'scenario'");
    check_usage_error("", (const char *const[]){"--bogus", NULL}, "unknown command '--bogus'");
    check_usage_error("info", (const char *const[]){"info", "extra", NULL},
                      "unexpected argument 'extra'");
    check_usage_error("run", (const char *const[]){"run", "study.yaml", NULL},
                      "-o OUTDIR is required");
    check_usage_error("nearest", (const char *const[]){"nearest", "--neighbours", "12", NULL},
                      "--neighbours must be 8 or 16, got '12'");
    /* the options of the grid mode alone are refused with a network, not
     * ignored */
    static const char *const grid_only[][2] = {
        {"--band", "2"}, {"--neighbours", "8"}, {"--snap-radius", "5"}};
    for (size_t i = 0; i < sizeof(grid_only) / sizeof(grid_only[0]); i++) {
        char want[96];
        snprintf(want, sizeof(want), "%s is for a friction raster, not for --network",
                 grid_only[i][0]);
        check_usage_error("nearest",
                          (const char *const[]){"nearest", "--network", "e.csv", "--sources",
                                                "s.csv", "-o", "n.csv", grid_only[i][0],
                                                grid_only[i][1], NULL},
                          want);
    }
    check_usage_error("compare", (const char *const[]){"compare", "--bogus", NULL},
                      "unknown option '--bogus'");
    check_usage_error("compare", (const char *const[]){"compare", "-o", "x", "a", NULL},
                      "two run folders are required, got 1");
    check_usage_error("compare", (const char *const[]){"compare", "a", "b", NULL},
                      "-o OUTDIR is required");
    check_usage_error(
        "compare",
        (const char *const[]){"compare", "--threshold-min", "-1", "-o", "x", "a", "b", NULL},
        "--threshold-min wants minutes from 0 to 100000, got '-1'");
}

/* Without --threads, OMP_NUM_THREADS is checked as --threads is: 0, a word
 * or more than 1024 is a usage error naming it; a list of levels (4,2) is
 * read by its first; with --threads it is not used. */
static void omp_num_threads_is_checked(void **state)
{
    (void)state;
    static const char *const bad[] = {"0", "abc", "2000"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setenv("OMP_NUM_THREADS", bad[i], 1);
        check_usage_error("info", (const char *const[]){"info", NULL},
                          "OMP_NUM_THREADS wants a number >= 1 and <= 1024 (or --threads N)");
    }
    cli_result r;
    setenv("OMP_NUM_THREADS", "abc", 1);
    CLI_RUN(&r, tmp, "info", "--threads", "2");
    cli_assert_status(&r, 0);
    cli_result_free(&r);
    setenv("OMP_NUM_THREADS", "3,2", 1);
    CLI_RUN(&r, tmp, "info");
    cli_assert_status(&r, 0);
    cli_assert_contains(r.out, "Threads:         3 (from OMP_NUM_THREADS");
    cli_result_free(&r);
    unsetenv("OMP_NUM_THREADS");
}

/* --json abbreviated as getopt allows (--jso) gives a usage error as JSON
 * on standard output, as --json does. */
static void abbreviated_json_gives_json_usage_errors(void **state)
{
    (void)state;
    cli_result r;
    CLI_RUN(&r, tmp, "run", "--jso");
    cli_assert_status(&r, 2);
    cj_assert_error(&r, "run", "usage", 2);
    cli_result_free(&r);
}

/* compare has its own options: its help, and the top-level help, name it */
static void compare_help(void **state)
{
    (void)state;
    cli_result r;
    CLI_RUN(&r, tmp, "compare", "--help");
    cli_assert_status(&r, 0);
    assert_true(strncmp(r.out, "Usage: reistijd compare ", 24) == 0);
    cli_assert_contains(r.out, "--threshold-min M");
    cli_assert_contains(r.out, "\nExit status:\n  0    done\n");
    assert_help_fits_80_columns("compare", r.out);
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "--help");
    cli_assert_contains(r.out, "\n  compare -o OUTDIR RUN_A RUN_B\n");
    cli_result_free(&r);
}

static void no_command_exits_two(void **state)
{
    (void)state;
    check_usage_error("", (const char *const[]){NULL}, "a command is required");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_help_exits_zero_with_synopsis_options_and_exit_status),
        cmocka_unit_test(top_level_help_lists_every_command),
        cmocka_unit_test(unknown_options_and_bad_values_exit_two),
        cmocka_unit_test(no_command_exits_two),
        cmocka_unit_test(abbreviated_json_gives_json_usage_errors),
        cmocka_unit_test(omp_num_threads_is_checked),
        cmocka_unit_test(compare_help),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
