/* What the commands share: options, progress on stderr, messages, signals,
 * errors and exit codes (docs/cli.md). One command runs per process, so
 * the state of its progress display lives here. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

#define BAR_WIDTH 30
#define LINE_WIDTH 72   /* of the progress line, cleared with spaces */
#define REDRAW_S 0.1    /* at most ten redraws a second */
#define ETA_AFTER_S 1.0 /* an ETA needs this much of the stage behind it */
#define ETA_AFTER_FRACTION 0.02

static volatile sig_atomic_t interrupted;
/* The context a signal cancels. A handler may run on any thread: it marks
 * itself busy before it reads the pointer, and cli_finish waits for busy
 * handlers after clearing it, before the context goes. */
static _Atomic(rt_ctx *) running;
static atomic_int handlers_busy;

/* the command line as main saw it */
static const char *command = "";
static int json_errors;

/* the progress display */
static struct {
    const cli_common *common;
    int bar;          /* a bar redrawn in place: stderr is a terminal */
    int lines;        /* one line per stage start and end: not a terminal */
    int timings;      /* stage ends with their time (-v) */
    int open;         /* a bar is on screen */
    char stage[64];   /* the current stage, "" before the first */
    double stage_t0;  /* when it began */
    double last_draw; /* when the bar was last drawn, 0 = draw at once */
} prog;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    atomic_fetch_add(&handlers_busy, 1);
    rt_ctx *ctx = atomic_load(&running);
    if (ctx)
        rt_ctx_request_cancel(ctx);
    atomic_fetch_sub(&handlers_busy, 1);
}

void cli_progress_done(void)
{
    if (prog.open) {
        fprintf(stderr, "\r%*s\r", LINE_WIDTH, "");
        fflush(stderr);
        prog.open = 0;
        prog.last_draw = 0;
    }
}

/* "1:05" or "1:02:05"; "--:--" while unknown */
static void fmt_eta(double seconds, char *buf, size_t n)
{
    if (!(seconds >= 0) || seconds > 359999) {
        snprintf(buf, n, "--:--");
        return;
    }
    int s = (int)(seconds + 0.5); /* below 360000 */
    if (s >= 3600)
        snprintf(buf, n, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%d:%02d", s / 60, s % 60);
}

static void draw_bar(double fraction, double now)
{
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    if (prog.last_draw > 0 && now - prog.last_draw < REDRAW_S && fraction < 1)
        return;
    prog.last_draw = now;
    double elapsed = now - prog.stage_t0;
    char eta[48];
    fmt_eta(elapsed >= ETA_AFTER_S && fraction >= ETA_AFTER_FRACTION
                ? elapsed * (1 - fraction) / fraction
                : -1,
            eta, sizeof(eta));
    char bar[BAR_WIDTH + 1];
    int done = (int)(fraction * BAR_WIDTH + 0.5);
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < done ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r%-12.12s [%s] %3d%%  ETA %-8s", prog.stage, bar, (int)(fraction * 100), eta);
    fflush(stderr);
    prog.open = 1;
}

static void stage_end(double now)
{
    if (!prog.stage[0] || !(prog.lines || (prog.bar && prog.timings)))
        return;
    cli_progress_done();
    if (prog.timings)
        fprintf(stderr, "reistijd: %s done in %.2f s\n", prog.stage, now - prog.stage_t0);
    else
        fprintf(stderr, "reistijd: %s done\n", prog.stage);
}

static int progress(double fraction, const char *stage, void *user)
{
    (void)user;
    if (interrupted)
        return 0;
    if (!prog.bar && !prog.lines)
        return 1;
    double now = now_s();
    if (strcmp(stage, prog.stage) != 0) {
        stage_end(now);
        snprintf(prog.stage, sizeof(prog.stage), "%s", stage);
        prog.stage_t0 = now;
        prog.last_draw = 0;
        if (prog.lines)
            fprintf(stderr, "reistijd: %s ...\n", stage);
    }
    if (prog.bar)
        draw_bar(fraction, now);
    return 1;
}

static void on_log(rt_log_level level, const char *message, void *user)
{
    const cli_common *c = user;
    if (c->quiet || (level < RT_LOG_WARNING && !c->verbose) || (level == RT_LOG_DEBUG))
        return;
    cli_progress_done();
    fprintf(stderr, "reistijd: %s%s\n", level == RT_LOG_WARNING ? "warning: " : "", message);
}

void cli_scan_args(int argc, char **argv)
{
    command = argc > 1 ? argv[1] : "";
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--json") == 0)
            json_errors = 1;
}

void cli_attach(rt_ctx *ctx, const cli_common *common)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* SIGHUP: the terminal went away, stop as on SIGTERM. A signal that
     * was ignored when the program started stays ignored: nohup ignores
     * SIGHUP, and a shell SIGINT for its background jobs. */
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
        if (sigaction(stops[i], NULL, &old) != 0 || old.sa_handler != SIG_IGN)
            sigaction(stops[i], &sa, NULL);
    signal(SIGXFSZ, SIG_IGN); /* the write fails with EFBIG instead */
    signal(SIGPIPE, SIG_IGN); /* a closed pipe fails the write (EPIPE), as a full disk does */
    memset(&prog, 0, sizeof(prog));
    prog.common = common;
    prog.bar = !common->quiet && isatty(STDERR_FILENO);
    prog.lines = !common->quiet && !prog.bar;
    prog.timings = common->verbose && !common->quiet;
    atomic_store(&running, ctx);
    rt_ctx_set_progress(ctx, progress, NULL);
    rt_ctx_set_log(ctx, on_log, (void *)common);
    if (common->threads > 0)
        rt_ctx_set_threads(ctx, common->threads);
}

static void print_json_error(const char *code, const char *message, int exit_code)
{
    char *text = rt_error_json(command, code, message, exit_code);
    if (text)
        fputs(text, stdout);
    fflush(stdout);
    free(text);
}

static const char *interrupt_note = "no output was written";

void cli_set_interrupt_note(const char *note) { interrupt_note = note; }

int cli_finish(rt_ctx *ctx, rt_status st)
{
    atomic_store(&running, NULL); /* the context is about to go */
    while (atomic_load(&handlers_busy))
        sched_yield();
    if (st == RT_OK)
        stage_end(now_s());
    cli_progress_done();
    int json = prog.common && prog.common->json;
    if (st == RT_OK)
        return RT_EXIT_OK;
    if (st != RT_E_CANCELLED && interrupted) {
        /* the signal came while something else failed: both are said */
        fprintf(stderr, "reistijd: error: %s (%s)\nreistijd: interrupted\n", rt_ctx_errmsg(ctx),
                rt_status_str(st));
        if (json)
            print_json_error(rt_status_str(st), rt_ctx_errmsg(ctx), RT_EXIT_CANCELLED);
        return RT_EXIT_CANCELLED;
    }
    if (st == RT_E_CANCELLED) {
        char msg[512];
        snprintf(msg, sizeof(msg), "interrupted; %s", interrupt_note);
        fprintf(stderr, "reistijd: %s\n", msg);
        if (json)
            print_json_error(rt_status_str(RT_E_CANCELLED), msg, RT_EXIT_CANCELLED);
        return RT_EXIT_CANCELLED;
    }
    fprintf(stderr, "reistijd: error: %s (%s)\n", rt_ctx_errmsg(ctx), rt_status_str(st));
    if (json)
        print_json_error(rt_status_str(st), rt_ctx_errmsg(ctx), RT_EXIT_ERROR);
    return RT_EXIT_ERROR;
}

int cli_print_json(const char *text)
{
    if (!text || !*text) {
        fprintf(stderr, "reistijd: error: out of memory writing the JSON summary (%s)\n",
                rt_status_str(RT_E_NOMEM));
        return RT_EXIT_ERROR;
    }
    fputs(text, stdout);
    return RT_EXIT_OK;
}

int cli_parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi || v < -1000000 ||
        v > 1000000)
        return 0;
    *out = (int)v;
    return 1;
}

int cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

int cli_end_stdout(int code)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return code;
    fprintf(stderr, "reistijd: error: cannot write to standard output: %s\n",
            errno ? strerror(errno) : "write error");
    return code == RT_EXIT_OK ? RT_EXIT_ERROR : code;
}

int cli_common_option(int opt, const char *cmd, char **argv, cli_common *c)
{
    switch (opt) {
    case 'j':
        if (!cli_parse_int(optarg, 1, CLI_MAX_THREADS, &c->threads))
            return cli_usage_error(cmd, "--threads wants a number >= 1 and <= %d, got '%s'",
                                   CLI_MAX_THREADS, optarg);
        return 0;
    case 'J':
        c->json = 1;
        json_errors = 1; /* also as --js, which cli_scan_args does not see */
        return 0;
    case 'q':
        c->quiet = 1;
        return 0;
    case 'v':
        c->verbose = 1;
        return 0;
    case ':':
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    default: {
        /* a long option that takes no value given one (--json=yes): getopt
         * names it by its short code, which the user never typed */
        const char *arg = argv[optind - 1];
        if (optopt && strncmp(arg, "--", 2) == 0 && strchr(arg, '='))
            return cli_usage_error(cmd, "option '%.*s' takes no value, got '%s'",
                                   (int)(strchr(arg, '=') - arg), arg, arg);
        /* a short one by its letter: in a group (-xq) argv[optind - 1] may
         * be the argument before it */
        if (optopt > ' ' && optopt < 127)
            return cli_usage_error(cmd, "unknown option '-%c'", optopt);
        return cli_usage_error(cmd, "unknown option '%s'", arg);
    }
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "reistijd%s%s: %s\n", *cmd ? " " : "", cmd, msg);
    fprintf(stderr, "Try 'reistijd%s%s --help'.\n", *cmd ? " " : "", cmd);
    if (json_errors)
        print_json_error("usage", msg, RT_EXIT_USAGE);
    return RT_EXIT_USAGE;
}

rt_ctx *cli_context(const cli_common *common, int *code)
{
    /* without --threads, OMP_NUM_THREADS gives the count: checked as
     * --threads is (OpenMP would pass over a bad value in silence, or try
     * to start 100000 threads); a list ("4,2", nested levels) by its first */
    const char *env = getenv("OMP_NUM_THREADS");
    if (!common->threads && env && *env) {
        char first[32];
        snprintf(first, sizeof(first), "%.*s", (int)strcspn(env, ","), env);
        int n;
        if (!cli_parse_int(first, 1, CLI_MAX_THREADS, &n)) {
            *code = cli_usage_error(command,
                                    "OMP_NUM_THREADS wants a number >= 1 and <= %d (or "
                                    "--threads N), got '%s'",
                                    CLI_MAX_THREADS, env);
            return NULL;
        }
    }
    *code = RT_EXIT_ERROR;
    rt_ctx *ctx = rt_ctx_create();
    if (!ctx) {
        fprintf(stderr, "reistijd: error: out of memory\n");
        return NULL;
    }
    cli_attach(ctx, common);
    return ctx;
}
