#ifndef RT_CLI_UTIL_H
#define RT_CLI_UTIL_H
/* Helpers of the command-line tests: run the reistijd binary (RT_EXE) with
 * posix_spawn, capture its stdout and stderr in files, wait for its exit
 * status with a time limit; temporary folders, file text, and values read
 * back through the GDAL command-line tools. Include after cmocka.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CLI_PATH_MAX 1024
/* a run that takes longer than this is killed and reported as a failure */
#define CLI_TIMEOUT_S 240.0

typedef struct cli_result {
    int status;     /* exit code; 128 + n when ended by signal n; -2 timed out */
    char *out;      /* standard output, NUL-terminated, never NULL after a run */
    char *err;      /* standard error */
    double seconds; /* wall time of the run */
} cli_result;

static inline double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline void cli_sleep(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static inline const char *cli_exe(void)
{
    const char *exe = getenv("RT_EXE");
    assert_non_null(exe);
    return exe;
}

static inline const char *cli_source_dir(void)
{
    const char *dir = getenv("RT_SOURCE_DIR");
    assert_non_null(dir);
    return dir;
}

static inline void cli_path(char *buf, const char *dir, const char *name)
{
    int n = snprintf(buf, CLI_PATH_MAX, "%s/%s", dir, name);
    assert_true(n > 0 && n < CLI_PATH_MAX);
}

/* A new empty folder under $TMPDIR (or /tmp), its name in buf. */
static inline void cli_mkdtemp(char *buf, const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, CLI_PATH_MAX, "%s/rt-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    assert_non_null(mkdtemp(buf));
}

static inline int cli_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Removes a file or a folder with everything in it; a missing path is fine. */
static inline void cli_rmrf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    nftw(path, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void cli_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("%s: cannot write: %s", path, strerror(errno));
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static inline void cli_write(const char *dir, const char *name, const char *text)
{
    char path[CLI_PATH_MAX];
    cli_path(path, dir, name);
    cli_write_file(path, text);
}

/* The whole file as a NUL-terminated string (caller frees), or NULL. */
/* Everything left in a stream as a NUL-terminated string (caller frees). */
static inline char *cli_read_stream(FILE *f)
{
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    return buf;
}

static inline char *cli_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = cli_read_stream(f);
    fclose(f);
    return buf;
}

static inline int cli_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* 1 when both files exist and hold the same bytes. */
static inline int cli_same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static inline void cli_copy_file(const char *from, const char *to)
{
    char *text = cli_read_file(from);
    if (!text)
        fail_msg("%s: cannot read", from);
    cli_write_file(to, text);
    free(text);
}

/* Copies the regular files of tests/fixtures/small into dir. */
static inline void cli_copy_small_fixture(const char *dir)
{
    char src[CLI_PATH_MAX], from[CLI_PATH_MAX], to[CLI_PATH_MAX];
    snprintf(src, sizeof(src), "%s/tests/fixtures/small", cli_source_dir());
    DIR *d = opendir(src);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        cli_path(from, src, e->d_name);
        cli_path(to, dir, e->d_name);
        cli_copy_file(from, to);
    }
    closedir(d);
}

/* text with the one occurrence of `from` replaced by `to` (caller frees);
 * fails the test unless `from` occurs exactly once. */
static inline char *cli_replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at || strstr(at + 1, from))
        fail_msg("cli_replace: '%s' must occur exactly once", from);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

/* Number of entries of a folder (without . and ..), -1 when it does not
 * exist. The names go into list (comma separated) when list is not NULL. */
static inline int cli_count_entries(const char *dir, char *list, size_t len)
{
    DIR *d = opendir(dir);
    if (list && len)
        list[0] = '\0';
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (list && strlen(list) + strlen(e->d_name) + 3 < len)
            snprintf(list + strlen(list), len - strlen(list), "%s%s", n ? ", " : "", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

/* Fails unless dir is missing or empty. */
static inline void cli_assert_no_output(const char *dir)
{
    char list[2048];
    int n = cli_count_entries(dir, list, sizeof(list));
    if (n > 0)
        fail_msg("%s should hold no file, holds: %s", dir, list);
}

/* Fails when dir holds a temporary output (.tmp-*). */
static inline void cli_assert_no_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, ".tmp-", 5) == 0) {
            char name[256];
            snprintf(name, sizeof(name), "%s", e->d_name);
            closedir(d);
            fail_msg("%s: temporary file left behind: %s", dir, name);
        }
    closedir(d);
}

/* Starts RT_EXE with args (NULL-terminated, without argv[0]), stdin from
 * /dev/null, stdout and stderr into the two files. */
static inline pid_t cli_spawn(const char *const *args, const char *out_path, const char *err_path)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = cli_exe();
    for (; *args; args++) {
        assert_true(n < 63);
        argv[n++] = *args;
    }
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        fail_msg("cannot start %s: %s", argv[0], strerror(rc));
    return pid;
}

/* Waits for pid; the exit code, 128 + n after signal n, or -2 when it ran
 * longer than timeout_s (it is then killed). */
static inline int cli_wait(pid_t pid, double timeout_s)
{
    double t0 = cli_now();
    int ws;
    for (;;) {
        pid_t r = waitpid(pid, &ws, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
        if (cli_now() - t0 > timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &ws, 0);
            return -2;
        }
        cli_sleep(0.005);
    }
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
}

/* Runs RT_EXE with args; stdout and stderr are captured in capdir. */
static inline void cli_run_args(cli_result *r, const char *capdir, const char *const *args)
{
    char out[CLI_PATH_MAX], err[CLI_PATH_MAX];
    cli_path(out, capdir, "stdout.txt");
    cli_path(err, capdir, "stderr.txt");
    double t0 = cli_now();
    pid_t pid = cli_spawn(args, out, err);
    r->status = cli_wait(pid, CLI_TIMEOUT_S);
    r->seconds = cli_now() - t0;
    r->out = cli_read_file(out);
    r->err = cli_read_file(err);
    assert_non_null(r->out);
    assert_non_null(r->err);
}

/* CLI_RUN(&r, capdir, "run", study, "-o", outdir) */
#define CLI_RUN(r, capdir, ...)                                                                    \
    cli_run_args((r), (capdir), (const char *const[]){__VA_ARGS__, NULL})

static inline void cli_result_free(cli_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Print the reason and return 0 when a check fails; the macros below then
 * fail the test at the caller's line. */
static inline int cli_status_ok(const cli_result *r, int code)
{
    if (r->status == code)
        return 1;
    print_error("exit status %d, expected %d\n--- stdout:\n%s--- stderr:\n%s\n", r->status, code,
                r->out, r->err);
    return 0;
}

static inline int cli_contains_ok(const char *text, const char *fragment)
{
    if (strstr(text, fragment))
        return 1;
    print_error("expected to find \"%s\" in:\n%s\n", fragment, text);
    return 0;
}

/* Fails with the captured output unless the run ended with `code`. */
#define cli_assert_status(r, code)                                                                 \
    do {                                                                                           \
        if (!cli_status_ok((r), (code)))                                                           \
            fail();                                                                                \
    } while (0)

#define cli_assert_contains(text, fragment)                                                        \
    do {                                                                                           \
        if (!cli_contains_ok((text), (fragment)))                                                  \
            fail();                                                                                \
    } while (0)

/* Runs a shell command; its exit status (-1 when it could not run). */
static inline int cli_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int cli_sh(const char *fmt, ...)
{
    char cmd[4 * CLI_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    assert_true(n > 0 && n < (int)sizeof(cmd));
    int ws = system(cmd);
    return ws != -1 && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* Runs a shell command and returns its stdout (caller frees); fails the
 * test when the command fails. */
static inline char *cli_sh_output(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *cli_sh_output(const char *fmt, ...)
{
    char cmd[4 * CLI_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    assert_true(n > 0 && n < (int)sizeof(cmd));
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = cli_read_stream(p);
    int ws = pclose(p);
    if (ws == -1 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        fail_msg("command failed: %s\n%s", cmd, buf);
    return buf;
}

/* The value of one cell of band 1, read with gdallocationinfo (which takes
 * column before row). NaN for a NaN cell. */
static inline double cli_cell(const char *tif, int row, int col)
{
    char *text = cli_sh_output("gdallocationinfo -valonly '%s' %d %d", tif, col, row);
    char *end;
    double v = strtod(text, &end);
    if (end == text || (*end != '\n' && *end != '\0'))
        fail_msg("%s (row %d, col %d): gdallocationinfo printed '%s'", tif, row, col, text);
    free(text);
    return v;
}

static inline int cli_close_ok(double got, double want, double rel, const char *what)
{
    if ((isnan(want) && isnan(got)) || fabs(got - want) <= rel * fabs(want))
        return 1;
    print_error("%s: got %.10g, expected %.10g (relative tolerance %g)\n", what, got, want, rel);
    return 0;
}

/* Fails unless |got - want| <= rel * |want| (or both are NaN). */
#define cli_assert_close(got, want, rel, what)                                                     \
    do {                                                                                           \
        if (!cli_close_ok((got), (want), (rel), (what)))                                           \
            fail();                                                                                \
    } while (0)

/* 1 when a command exists on PATH. */
static inline int cli_have(const char *tool)
{
    return cli_sh("command -v %s > /dev/null 2>&1", tool) == 0;
}

/* A grid in EPSG:28992: nx x ny cells of cell_m metres, lower-left corner
 * (x0, y0). */
typedef struct cli_grid {
    int nx, ny;
    double x0, y0, cell_m;
} cli_grid;

/* Writes a GeoTIFF of GDAL type `type` ("Float32", "Float64", ...) on g at
 * tif, through the ESRI ASCII grid <tif>.asc: every cell `value` but cell
 * (row, col), `special` (numbers as text; -9999 is nodata). Skips the test
 * when gdal_translate is missing. */
static inline void cli_make_tif(const char *tif, const cli_grid *g, const char *type,
                                const char *value, int row, int col, const char *special)
{
    if (!cli_have("gdal_translate"))
        skip();
    char asc[CLI_PATH_MAX];
    assert_true(snprintf(asc, sizeof(asc), "%s.asc", tif) < (int)sizeof(asc));
    FILE *f = fopen(asc, "w");
    assert_non_null(f);
    fprintf(f,
            "ncols %d\nnrows %d\nxllcorner %.17g\nyllcorner %.17g\ncellsize %.17g\n"
            "NODATA_value -9999\n",
            g->nx, g->ny, g->x0, g->y0, g->cell_m);
    for (int r = 0; r < g->ny; r++) {
        for (int c = 0; c < g->nx; c++)
            fprintf(f, " %s", r == row && c == col ? special : value);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    assert_int_equal(cli_sh("gdal_translate -q -ot %s -a_srs EPSG:28992 '%s' '%s'", type, asc, tif),
                     0);
    remove(asc);
}

#endif
