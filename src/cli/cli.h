#ifndef RT_CLI_H
#define RT_CLI_H
/* The reistijd command line: argument parsing, progress on stderr, signals
 * and exit codes over the library (docs/cli.md). */
#include "reistijd/rt.h"
#include "reistijd/rt_study.h"

enum { RT_EXIT_OK = 0, RT_EXIT_ERROR = 1, RT_EXIT_USAGE = 2, RT_EXIT_CANCELLED = 130 };

typedef struct cli_common {
    int quiet;
    int verbose;
    int threads;
    int json;
} cli_common;

/* The long options every command takes, for the end of its option table
 * (before the terminating zeros), and their short forms for getopt_long's
 * optstring. */
/* clang-format off */
#define CLI_COMMON_LONGOPTS \
    {"threads", required_argument, 0, 'j'}, \
    {"json", no_argument, 0, 'J'}, \
    {"quiet", no_argument, 0, 'q'}, \
    {"verbose", no_argument, 0, 'v'}, \
    {"help", no_argument, 0, 'h'}
/* clang-format on */
#define CLI_COMMON_SHORTOPTS "qvh"

/* The help text of the options every command takes, and the exit status. */
#define CLI_HELP_COMMON                                                                            \
    "  --threads N       OpenMP threads (default: OMP_NUM_THREADS, else the\n"                     \
    "                    number of processors)\n"                                                  \
    "  --json            print the result as JSON on standard output instead\n"                    \
    "                    of text; errors too\n"                                                    \
    "  -q, --quiet       print nothing on standard error but errors\n"                             \
    "  -v, --verbose     stage timings and information messages\n"                                 \
    "  -h, --help        print this help and exit\n"
#define CLI_HELP_EXIT                                                                              \
    "\n"                                                                                           \
    "Exit status:\n"                                                                               \
    "  0    success\n"                                                                             \
    "  1    runtime error: study file, data, files, CRS, memory budget\n"                          \
    "  2    usage error: unknown command or option, missing or bad value\n"                        \
    "  130  interrupted (SIGINT, SIGTERM or SIGHUP)\n"

/* Notes the command (argv[1]) and whether --json appears anywhere in argv
 * (before a "--"), so that usage errors found before getopt reaches it are
 * reported as JSON too. Called once by main. */
void cli_scan_args(int argc, char **argv);
/* Sets up logging, progress and the handler of SIGINT, SIGTERM and SIGHUP
 * (each cancels the run) on ctx, ignores SIGXFSZ (a write beyond the file
 * size limit then fails with EFBIG, and the run cleans up as after any
 * write error), and applies --threads; common must outlive the run. */
void cli_attach(rt_ctx *ctx, const cli_common *common);
/* Clears the progress bar if one is on screen. */
void cli_progress_done(void);
/* A new context attached as cli_attach does; NULL (and the message on
 * standard error) when out of memory, or when no --threads was given and
 * OMP_NUM_THREADS is not a thread count of 1 to CLI_MAX_THREADS: *code
 * is then the exit status (1 or the usage error's 2). */
rt_ctx *cli_context(const cli_common *common, int *code);
/* Maps a status to an exit code, printing the error unless RT_OK (and its
 * JSON on stdout with --json). Call it once, after the library call. */
int cli_finish(rt_ctx *ctx, rt_status st);
/* What cli_finish says after "interrupted; " (default: "no output was
 * written"), for a command that keeps what finished before; note must
 * outlive the call. */
void cli_set_interrupt_note(const char *note);
/* Prints "reistijd <cmd>: <message>" and a hint to --help on stderr (and
 * the error as JSON on stdout with --json); returns RT_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a JSON text from the library on stdout; NULL or "" (out of
 * memory) is reported as an error. Returns the exit code. */
int cli_print_json(const char *text);

/* The most threads --threads accepts. */
#define CLI_MAX_THREADS 1024
/* Parses a whole number in lo..hi (within -1e6..1e6); returns 0 if s is
 * not one (not a number, text after it, out of range, overflow). */
int cli_parse_int(const char *s, int lo, int hi, int *out);
/* Parses a finite number in lo..hi; returns 0 if s is not one (not a
 * number, text after it, inf, nan, out of range, overflow). */
int cli_parse_double(const char *s, double lo, double hi, double *out);
/* The end of every command: standard output is flushed, and a failure to
 * write it (a full disk, /dev/full) is an error on standard error that
 * turns exit code 0 into 1. Returns the exit code. */
int cli_end_stdout(int code);
/* Handles what every command shares: -q, -v, --threads (option code 'j'),
 * --json ('J') and getopt's errors. Returns 0 when opt was such an option
 * and parsing goes on, RT_EXIT_USAGE after reporting a usage error. */
int cli_common_option(int opt, const char *cmd, char **argv, cli_common *c);

int cmd_run(int argc, char **argv, int validate_only);
int cmd_nearest(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_compare(int argc, char **argv);

#endif
