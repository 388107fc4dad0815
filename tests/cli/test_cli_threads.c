/* Thread determinism of `reistijd run`: the small fixture (also with the
 * N-1 table, outputs.closures) and studies/rijnmond.yaml (with the files
 * of its scenario under scenarios/) run with
 * OMP_NUM_THREADS = 1, 2, 3 and 8 and with --threads; every GeoTIFF, CSV,
 * QGIS style and report.html must hold the same bytes as the one-thread
 * run. With OGR_CURRENT_DATE fixed, the GeoPackage must too
 * (docs/outputs.md, "Reproducible files"). run.json must report the thread
 * count asked for, so a run that ignored the setting is noticed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX];

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-threads");
    /* the GeoPackage stores the time of writing unless this is set */
    setenv("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("OGR_CURRENT_DATE");
    unsetenv("OMP_NUM_THREADS");
    cli_rmrf(tmp);
    return 0;
}

static int compared_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot &&
           (strcmp(dot, ".tif") == 0 || strcmp(dot, ".csv") == 0 || strcmp(dot, ".csvt") == 0 ||
            strcmp(dot, ".gpkg") == 0 || strcmp(dot, ".qml") == 0 || strcmp(dot, ".html") == 0);
}

/* Fails unless every compared file of `ref` exists in `dir` with the same
 * bytes, and `dir` holds no compared file that `ref` lacks; returns how
 * many files were compared. */
static int compare_outputs(const char *ref, const char *dir, const char *label)
{
    char a[CLI_PATH_MAX], b[CLI_PATH_MAX];
    int n = 0;
    DIR *d = opendir(ref);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!compared_file(e->d_name))
            continue;
        cli_path(a, ref, e->d_name);
        cli_path(b, dir, e->d_name);
        if (!cli_same_bytes(a, b)) {
            char name[256];
            snprintf(name, sizeof(name), "%s", e->d_name);
            closedir(d);
            fail_msg("%s: %s differs from the one-thread run", label, name);
        }
        n++;
    }
    closedir(d);
    d = opendir(dir);
    assert_non_null(d);
    int m = 0;
    while ((e = readdir(d)) != NULL)
        m += compared_file(e->d_name);
    closedir(d);
    assert_int_equal(m, n);
    return n;
}

/* compare_outputs for the folder of every scenario (scenarios/<name>/)
 * of ref; returns how many scenarios. */
static int compare_scenarios(const char *ref, const char *dir, const char *label)
{
    char a[CLI_PATH_MAX], b[CLI_PATH_MAX], sa[CLI_PATH_MAX], sb[CLI_PATH_MAX];
    cli_path(sa, ref, "scenarios");
    cli_path(sb, dir, "scenarios");
    DIR *d = opendir(sa);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        cli_path(a, sa, e->d_name);
        cli_path(b, sb, e->d_name);
        assert_true(compare_outputs(a, b, label) >= 4);
        n++;
    }
    closedir(d);
    return n;
}

/* The "threads" of run.json in dir. */
static long manifest_threads(const char *dir)
{
    char path[CLI_PATH_MAX];
    cli_path(path, dir, "run.json");
    char *text = cli_sh_output(
        "python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"threads\"])' '%s'",
        path);
    long n = strtol(text, NULL, 10);
    free(text);
    return n;
}

typedef struct thread_case {
    const char *env;  /* OMP_NUM_THREADS, or NULL to leave it unset */
    const char *flag; /* --threads value, or NULL */
    long expect;      /* threads run.json must report */
} thread_case;

/* the first case is the reference */
static const thread_case small_cases[] = {
    {"1", NULL, 1}, {"2", NULL, 2}, {"3", NULL, 3}, {"8", NULL, 8}, {"1", "3", 3}, {"1", "8", 8},
};
/* a run takes about 10 s: every count once, 3 through the option.
 * Under AddressSanitizer a run takes four times as long, under
 * ThreadSanitizer ten times: one run on 3 threads there, for what the
 * sanitizers find (ThreadSanitizer sees a race on any number of threads
 * above 1); the bytes of every count are compared in the Release build
 * (scripts/test.sh), and the small fixture goes through every count in
 * each build. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RT_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RT_TEST_SANITIZED 1
#endif
#endif
#ifdef RT_TEST_SANITIZED
static const thread_case rijnmond_cases[] = {{"1", "3", 3}};
#else
static const thread_case rijnmond_cases[] = {
    {"1", NULL, 1}, {"2", NULL, 2}, {"8", NULL, 8}, {"1", "3", 3}};
#endif

static void same_bytes_for_every_thread_count(const char *study, const char *tag,
                                              const thread_case *cases, size_t n_cases)
{
    char ref[CLI_PATH_MAX], dir[CLI_PATH_MAX], name[64];
    int have_python = cli_have("python3");
    for (size_t i = 0; i < n_cases; i++) {
        const thread_case *c = &cases[i];
        snprintf(name, sizeof(name), "%s-%zu", tag, i);
        cli_path(dir, tmp, name);
        if (i == 0)
            snprintf(ref, sizeof(ref), "%s", dir);
        if (c->env)
            setenv("OMP_NUM_THREADS", c->env, 1);
        else
            unsetenv("OMP_NUM_THREADS");
        cli_result r;
        if (c->flag)
            CLI_RUN(&r, tmp, "run", study, "-o", dir, "-q", "--threads", c->flag);
        else
            CLI_RUN(&r, tmp, "run", study, "-o", dir, "-q");
        cli_assert_status(&r, 0);
        cli_result_free(&r);
        if (have_python && manifest_threads(dir) != c->expect)
            fail_msg("%s: OMP_NUM_THREADS=%s --threads %s: run.json reports %ld threads", tag,
                     c->env ? c->env : "(unset)", c->flag ? c->flag : "(none)",
                     manifest_threads(dir));
        if (i > 0) {
            char label[128];
            snprintf(label, sizeof(label), "%s OMP_NUM_THREADS=%s --threads %s", tag,
                     c->env ? c->env : "(unset)", c->flag ? c->flag : "(none)");
            assert_true(compare_outputs(ref, dir, label) >= 4);
            compare_scenarios(ref, dir, label);
            cli_rmrf(dir);
        }
    }
    unsetenv("OMP_NUM_THREADS");
}

static void small_fixture_is_identical_for_1_2_3_8_threads(void **state)
{
    (void)state;
    char study[CLI_PATH_MAX];
    snprintf(study, sizeof(study), "%s/tests/fixtures/small/study.yaml", cli_source_dir());
    same_bytes_for_every_thread_count(study, "small", small_cases,
                                      sizeof(small_cases) / sizeof(small_cases[0]));
}

/* The same with the N-1 table (outputs.closures): its CSV files too. */
static void closures_are_identical_for_1_2_3_8_threads(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], study[CLI_PATH_MAX];
    cli_path(dir, tmp, "fixture-closures");
    assert_int_equal(mkdir(dir, 0755), 0);
    cli_copy_small_fixture(dir);
    cli_path(study, dir, "study.yaml");
    char *text = cli_read_file(study);
    size_t n = strlen(text) + 64;
    char *with = malloc(n);
    assert_non_null(with);
    snprintf(with, n, "%soutputs: {closures: true}\n", text);
    cli_write_file(study, with);
    free(with);
    free(text);
    same_bytes_for_every_thread_count(study, "closures", small_cases,
                                      sizeof(small_cases) / sizeof(small_cases[0]));
}

static void rijnmond_is_identical_for_1_2_3_8_threads(void **state)
{
    (void)state;
    char study[CLI_PATH_MAX];
    snprintf(study, sizeof(study), "%s/studies/rijnmond.yaml", cli_source_dir());
    if (!cli_exists(study))
        skip();
    same_bytes_for_every_thread_count(study, "rijnmond", rijnmond_cases,
                                      sizeof(rijnmond_cases) / sizeof(rijnmond_cases[0]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_fixture_is_identical_for_1_2_3_8_threads),
        cmocka_unit_test(closures_are_identical_for_1_2_3_8_threads),
        cmocka_unit_test(rijnmond_is_identical_for_1_2_3_8_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
