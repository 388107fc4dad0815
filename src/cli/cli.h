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
} cli_common;

/* Sets up logging, progress and the SIGINT handler on ctx. */
void cli_attach(rt_ctx *ctx, const cli_common *common);
/* Ends a progress line if one is open. */
void cli_progress_done(void);
/* Maps a status to an exit code, printing the error unless RT_OK. */
int cli_finish(rt_ctx *ctx, rt_status st);
/* Prints "reistijd <cmd>: <message>" and a hint to --help on stderr; returns RT_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...);

/* Parses a whole number in -1e6..1e6; returns 0 if s is not one. */
int cli_parse_int(const char *s, int *out);
/* Handles what every command shares: -q, -v, --threads (option code 'j')
 * and getopt's errors. Returns 0 when opt was such an option and parsing goes
 * on, RT_EXIT_USAGE after reporting a usage error. */
int cli_common_option(int opt, const char *cmd, char **argv, cli_common *c);

int cmd_run(int argc, char **argv, int validate_only);
int cmd_nearest(int argc, char **argv);

#endif
