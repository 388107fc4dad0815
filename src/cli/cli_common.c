#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static volatile sig_atomic_t interrupted;
static rt_ctx *running; /* the context a signal cancels */
static int progress_open;
static int show_bar;
static int verbose_lines;
static char last_stage[64];

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    if (running)
        rt_ctx_request_cancel(running);
}

static int progress(double fraction, const char *stage, void *user)
{
    (void)user;
    if (interrupted)
        return 0;
    if (show_bar) {
        int width = 30, done = (int)(fraction * width + 0.5);
        fprintf(stderr, "\r%-12s [", stage);
        for (int i = 0; i < width; i++)
            fputc(i < done ? '#' : '.', stderr);
        fprintf(stderr, "] %3d%%", (int)(fraction * 100 + 0.5));
        fflush(stderr);
        progress_open = 1;
    } else if (verbose_lines && strcmp(stage, last_stage) != 0) {
        fprintf(stderr, "reistijd: %s ...\n", stage);
    }
    snprintf(last_stage, sizeof(last_stage), "%s", stage);
    return 1;
}

void cli_progress_done(void)
{
    if (progress_open) {
        fputc('\n', stderr);
        progress_open = 0;
    }
}

static void on_log(rt_log_level level, const char *message, void *user)
{
    const cli_common *c = user;
    if (c->quiet || (level < RT_LOG_WARNING && !c->verbose) || (level == RT_LOG_DEBUG))
        return;
    cli_progress_done();
    fprintf(stderr, "reistijd: %s%s\n", level == RT_LOG_WARNING ? "warning: " : "", message);
}

void cli_attach(rt_ctx *ctx, const cli_common *common)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    show_bar = !common->quiet && isatty(STDERR_FILENO);
    verbose_lines = common->verbose && !common->quiet && !show_bar;
    running = ctx;
    rt_ctx_set_progress(ctx, progress, NULL);
    rt_ctx_set_log(ctx, on_log, (void *)common);
    if (common->threads > 0)
        rt_ctx_set_threads(ctx, common->threads);
}

int cli_finish(rt_ctx *ctx, rt_status st)
{
    running = NULL; /* the context is about to go */
    cli_progress_done();
    if (st == RT_OK)
        return RT_EXIT_OK;
    if (st == RT_E_CANCELLED || interrupted) {
        fprintf(stderr, "reistijd: interrupted; no output was written\n");
        return RT_EXIT_CANCELLED;
    }
    fprintf(stderr, "reistijd: error: %s (%s)\n", rt_ctx_errmsg(ctx), rt_status_str(st));
    return RT_EXIT_ERROR;
}

int cli_parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < -1000000 || v > 1000000)
        return 0;
    *out = (int)v;
    return 1;
}

int cli_common_option(int opt, const char *cmd, char **argv, cli_common *c)
{
    switch (opt) {
    case 'j':
        if (!cli_parse_int(optarg, &c->threads) || c->threads < 1)
            return cli_usage_error(cmd, "--threads wants a number >= 1, got '%s'", optarg);
        return 0;
    case 'q':
        c->quiet = 1;
        return 0;
    case 'v':
        c->verbose = 1;
        return 0;
    case ':':
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "reistijd%s%s: ", *cmd ? " " : "", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'reistijd%s%s --help'.\n", *cmd ? " " : "", cmd);
    return RT_EXIT_USAGE;
}
