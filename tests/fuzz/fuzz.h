#ifndef RT_TEST_FUZZ_H
#define RT_TEST_FUZZ_H
/* The frame every harness of tests/fuzz shares. A harness defines
 *   FUZZ_NAME        its name, for messages ("study")
 *   FUZZ_MAX_BYTES   the largest input it takes; longer ones are skipped
 * then includes this file, and defines
 *   static void fuzz_init(void)                              once per process
 *   static void fuzz_one(const uint8_t *data, size_t size)   one input
 * This file gives libFuzzer's entry points and,
 * unless the harness is built for libFuzzer (RT_LIBFUZZER, set by
 * cmake/rt_fuzz.cmake), a main that replays the files and folders named on
 * the command line, so that the same harness runs over its corpus as an
 * ordinary test in any build:
 *   fuzz_study tests/fuzz/corpus/study tests/fuzz/crashes/study/crash-1
 * A crash is whatever the sanitizers report: the program stops there.
 *
 * Helpers: fuzz_ctx() (a context that logs nothing, one thread, a budget
 * of 64 MiB) and fuzz_file() (the input written to a file of its own in a
 * per-process folder under /dev/shm, else $TMPDIR or /tmp). */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reistijd/rt_ctx.h"

#define FUZZ_UNUSED __attribute__((unused))

static void fuzz_quiet_log(rt_log_level level, const char *msg, void *user)
{
    (void)level;
    (void)msg;
    (void)user;
}

/* A fresh context for one input (the caller destroys it). */
FUZZ_UNUSED static rt_ctx *fuzz_ctx(void)
{
    rt_ctx *ctx = rt_ctx_create();
    if (!ctx) {
        fprintf(stderr, "fuzz_%s: no memory for a context\n", FUZZ_NAME);
        abort();
    }
    rt_ctx_set_log(ctx, fuzz_quiet_log, NULL);
    rt_ctx_set_threads(ctx, 1);
    rt_ctx_set_budget_bytes(ctx, (uint64_t)64 << 20);
    return ctx;
}

static char fuzz_dir[256];

static void fuzz_remove_dir(void)
{
    DIR *d = fuzz_dir[0] ? opendir(fuzz_dir) : NULL;
    if (!d)
        return;
    const struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof(path), "%s/%s", fuzz_dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(fuzz_dir);
}

/* The input written to <per-process folder>/<name>; returns its path
 * (static, valid until the next call). */
FUZZ_UNUSED static const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    if (!fuzz_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        struct stat sb;
        if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0)
            tmp = "/dev/shm";
        snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/reistijd-fuzz-%s-XXXXXX", tmp ? tmp : "/tmp",
                 FUZZ_NAME);
        if (!mkdtemp(fuzz_dir)) {
            fprintf(stderr, "fuzz_%s: cannot make %s: %s\n", FUZZ_NAME, fuzz_dir, strerror(errno));
            abort();
        }
        atexit(fuzz_remove_dir);
    }
    snprintf(path, sizeof(path), "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "fuzz_%s: cannot write %s\n", FUZZ_NAME, path);
        abort();
    }
    return path;
}

static void fuzz_init(void);
static void fuzz_one(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_BYTES)
        return -1; /* not kept in the corpus */
    fuzz_one(data, size);
    return 0;
}

#ifndef RT_LIBFUZZER
/* ---- replay: the files and folders (not recursive) on the command line ---- */

#include <sys/resource.h>

#define FUZZ_RSS_LIMIT_MB 2048 /* as libFuzzer's default -rss_limit_mb */

static int fuzz_replay_file(const char *path, int *n_run, int *n_skipped)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_%s: cannot open %s: %s\n", FUZZ_NAME, path, strerror(errno));
        return 1;
    }
    uint8_t *buf = malloc(FUZZ_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, FUZZ_MAX_BYTES + 1, f) : 0;
    int err = !buf || ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "fuzz_%s: cannot read %s\n", FUZZ_NAME, path);
        free(buf);
        return 1;
    }
    if (LLVMFuzzerTestOneInput(buf, n) == 0)
        ++*n_run;
    else
        ++*n_skipped;
    free(buf);
    /* libFuzzer's -rss_limit_mb, so that an input that eats memory fails
     * here too */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > (long)FUZZ_RSS_LIMIT_MB * 1024) {
        fprintf(stderr, "fuzz_%s: %s: the process grew to %ld MB (limit %d MB)\n", FUZZ_NAME, path,
                ru.ru_maxrss / 1024, FUZZ_RSS_LIMIT_MB);
        abort();
    }
    return 0;
}

static int fuzz_replay(const char *path, int *n_run, int *n_skipped)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "fuzz_%s: %s: %s\n", FUZZ_NAME, path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(sb.st_mode))
        return fuzz_replay_file(path, n_run, n_skipped);
    struct dirent **list;
    int n = scandir(path, &list, NULL, alphasort), err = n < 0;
    for (int i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
        if (list[i]->d_name[0] != '.' && stat(file, &sb) == 0 && S_ISREG(sb.st_mode))
            err |= fuzz_replay_file(file, n_run, n_skipped);
        free(list[i]);
    }
    free(n < 0 ? NULL : list);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fuzz_%s FILE|FOLDER...\n(replays each input once)\n", FUZZ_NAME);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    int n_run = 0, n_skipped = 0, err = 0;
    for (int i = 1; i < argc; i++)
        err |= fuzz_replay(argv[i], &n_run, &n_skipped);
    fprintf(stderr, "fuzz_%s: replayed %d inputs (%d over %d bytes skipped)\n", FUZZ_NAME, n_run,
            n_skipped, (int)FUZZ_MAX_BYTES);
    return err || n_run == 0;
}
#endif

#endif
