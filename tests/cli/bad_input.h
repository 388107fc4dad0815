#ifndef RT_TEST_BAD_INPUT_H
#define RT_TEST_BAD_INPUT_H
/* The bad-input catalogue: one row per case (a broken study, command line,
 * input file or environment) and the driver that runs a row as a test of
 * its name. The rows live in the test programs test_cli_bad_*.c, one per
 * topic; docs/errors.md lists them. Include after cmocka.h.
 *
 * Every study is the template below with a line changed (seldom two); the
 * inputs are the GeoJSON files of tests/fixtures/small (see test_cli_run.c
 * for the grid: 40 x 10 cells of 100 m from (100000, 400000) to (104000,
 * 401000)), copied into <tmp>/in with a few more made by setup(). */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX]; /* captures and OUTDIRs */
static char in[CLI_PATH_MAX];  /* inputs and study files */

/* Line numbers matter: messages point at them. */
static const char template_yaml[] = "study:\n"                         /* 1 */
                                    "  name: small\n"                  /* 2 */
                                    "  cell_size_m: 100\n"             /* 3 */
                                    "  extent_buffer_m: 0\n"           /* 4 */
                                    "  neighbours: 16\n"               /* 5 */
                                    "medium:\n"                        /* 6 */
                                    "  type: speed_model\n"            /* 7 */
                                    "  offroad_kmh: 36\n"              /* 8 */
                                    "  land: regions.geojson\n"        /* 9 */
                                    "facilities:\n"                    /* 10 */
                                    "  - type: huisarts\n"             /* 11 */
                                    "    source: facilities.geojson\n" /* 12 */
                                    "    id_column: ref\n"             /* 13 */
                                    "    name_column: naam\n"          /* 14 */
                                    "    norms: {minutes: [1.5, 4]}\n" /* 15 */
                                    "population:\n"                    /* 16 */
                                    "  kind: points\n"                 /* 17 */
                                    "  source: population.geojson\n"   /* 18 */
                                    "  count_column: inwoners\n"       /* 19 */
                                    "regions:\n"                       /* 20 */
                                    "  - name: gemeente\n"             /* 21 */
                                    "    source: regions.geojson\n"    /* 22 */
                                    "    id_column: code\n"            /* 23 */
                                    "    name_column: naam\n";         /* 24 */

#define CRS_28992                                                                                  \
    "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}"

/* A facility layer of lines (points and polygons are allowed, lines not). */
static const char lines_json[] =
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": "
    "{\"ref\": \"L1\", \"naam\": \"Lijn\"}, \"geometry\": {\"type\": \"LineString\", "
    "\"coordinates\": [[4.6, 51.59], [4.61, 51.59]]}}]}";

/* GM0001 as in the fixture and GM0003, a bow tie over GM0002's square whose
 * edges cross at (103000, 400500). */
static const char bowtie_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"GM0001\", \"naam\": \"Westdorp\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[100000, 400000], [102000, 400000], "
    "[102000, 401000], [100000, 401000], [100000, 400000]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"GM0003\", \"naam\": \"Strik\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[102000, 400000], [104000, 401000], "
    "[104000, 400000], [102000, 401000], [102000, 400000]]]}}]}";

/* The regions as a CSV table with a WKT column: no CRS anywhere. */
static const char regions_csv[] =
    "code,naam,WKT\n"
    "GM0001,Westdorp,\"POLYGON ((100000 400000,102000 400000,102000 401000,100000 401000,"
    "100000 400000))\"\n"
    "GM0002,Oostdorp,\"POLYGON ((102000 400000,104000 400000,104000 401000,102000 401000,"
    "102000 400000))\"\n";

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-bad");
    cli_path(in, tmp, "in");
    assert_int_equal(mkdir(in, 0777), 0);
    cli_copy_small_fixture(in);
    cli_write(in, "lines.geojson", lines_json);
    cli_write(in, "bowtie.geojson", bowtie_json);
    cli_write(in, "regions.csv", regions_csv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

/* ---- the table ----
 *
 * One row per case, run by run_case as a test of the row's name. It writes
 * in/<name>.yaml, runs the row's command line and checks, in this order:
 * the exit status, every fragment on stderr, nothing on stdout, no
 * temporary file (.tmp-*) in OUTDIR, nothing written to OUTDIR (as the
 * flags say), as many files among the inputs as before, the time limit,
 * then the row's own checks (after). OUTDIR is removed at the end.
 *
 * A new case is usually one initializer of .name, .from, .to, .exit_code
 * and .fragments; give the fields by name, a field left out is 0 or NULL.
 * A case that needs more inputs or a prepared OUTDIR gets a before hook,
 * one that needs more checks an after hook. */

#define MAX_ARGS 8
#define MAX_FRAGMENTS 8
#define STUDY "{study}"   /* in args: the path of in/<name>.yaml */
#define OUTDIR "{outdir}" /* in args: the path of <tmp>/out-<name> */
#define IN                                                                                         \
    "{in}/" /* in args and the study (once), before a file name: the folder of the inputs          \
             */

enum {
    /* the default: OUTDIR missing or empty afterwards (or, when it existed
     * before the run, holding as many entries as before) */
    NOTHING_WRITTEN = 0,
    /* in/<name>.yaml is not written */
    STUDY_ABSENT = 1u << 0,
    /* the program runs without any argument (args is not used) */
    NO_ARGS = 1u << 1,
    /* OUTDIR must not even exist afterwards (a usage error stops before) */
    NO_OUTDIR = 1u << 2,
    /* OUTDIR exists before the run, holding gemeente.csv from an earlier
     * run; that file must stay, unchanged, and nothing may be added */
    EXISTING_OUTDIR = 1u << 3,
    /* the run may leave outputs in OUTDIR (it succeeds, or fails after some
     * outputs were renamed); only temporary files are refused */
    WRITES_OUTPUT = 1u << 4,
};

typedef struct bad_case bad_case;
struct bad_case {
    /* the test name; the study is in/<name>.yaml (fragments may name it),
     * OUTDIR is <tmp>/out-<name> */
    const char *name;
    /* what the edit does not show, for docs/errors.md (a file a before
     * hook makes), or NULL */
    const char *note;
    /* the template line(s) `from`, which must occur once, replaced by `to`;
     * from NULL: the template as is */
    const char *from, *to;
    /* a second replacement, made after the first (seldom needed) */
    const char *from2, *to2;
    /* the command line without the program, STUDY and OUTDIR standing for
     * the two paths; none given: run STUDY -o OUTDIR */
    const char *args[MAX_ARGS];
    /* the expected exit status */
    int exit_code;
    /* what stderr must contain */
    const char *fragments[MAX_FRAGMENTS];
    /* NOTHING_WRITTEN or the flags above, joined with | */
    unsigned flags;
    /* when not 0, the run must take less */
    double max_seconds;
    /* extra inputs or an OUTDIR, made after the study is written and before
     * anything is counted; may skip() */
    void (*before)(const bad_case *c, const char *outdir);
    /* extra checks after the common ones */
    void (*after)(const bad_case *c, const char *outdir);
};

/* What an OUTDIR of EXISTING_OUTDIR holds before the run. */
static const char earlier_run[] = "from an earlier run\n";

/* Writes the row's study, the template with its replacements, to path. */
static void write_study(const bad_case *c, const char *path)
{
    const char *text = template_yaml;
    char *edited = NULL, *edited2 = NULL;
    if (c->from)
        text = edited = cli_replace(text, c->from, c->to);
    if (c->from2)
        text = edited2 = cli_replace(text, c->from2, c->to2);
    /* IN in the study text: the folder of the inputs */
    char in_slash[CLI_PATH_MAX + 1];
    snprintf(in_slash, sizeof(in_slash), "%s/", in);
    char *placed = strstr(text, IN) ? cli_replace(text, IN, in_slash) : NULL;
    cli_write_file(path, placed ? placed : text);
    free(placed);
    free(edited);
    free(edited2);
}

/* The row's command line (NULL-terminated) with STUDY and OUTDIR replaced. */
static void case_args(const bad_case *c, const char *study, const char *outdir,
                      const char *argv[MAX_ARGS + 1])
{
    static const char *const run[] = {"run", STUDY, "-o", OUTDIR, NULL};
    const char *const *a = c->args[0] || (c->flags & NO_ARGS) ? c->args : run;
    static char inpath[MAX_ARGS][CLI_PATH_MAX];
    int n = 0;
    for (; n < MAX_ARGS && a[n]; n++) {
        argv[n] = strcmp(a[n], STUDY) == 0 ? study : strcmp(a[n], OUTDIR) == 0 ? outdir : a[n];
        if (strncmp(a[n], IN, strlen(IN)) == 0) {
            cli_path(inpath[n], in, a[n] + strlen(IN));
            argv[n] = inpath[n];
        }
    }
    argv[n] = NULL;
}

/* text with `from` (may be NULL) replaced by `to` everywhere, in a new
 * string; NULL when text is NULL. */
static char *replace_all(const char *text, const char *from, const char *to)
{
    if (!text)
        return NULL;
    size_t nf = from ? strlen(from) : 0, nt = strlen(to), n = 0;
    for (const char *p = text; nf && (p = strstr(p, from)); p += nf)
        n++;
    char *out = malloc(strlen(text) + n * (nt > nf ? nt - nf : 0) + 1), *o = out;
    assert_non_null(out);
    for (const char *p = text; *p;) {
        if (nf && strncmp(p, from, nf) == 0) {
            memcpy(o, to, nt), o += nt, p += nf;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* With RT_ERRORS_MD set, each row adds a line to that file for
 * docs/errors.md (scripts/errors-catalogue.sh): its name, the change it
 * makes to the template study (or its command line), the exit status and
 * the message on stderr, the test's folders written as <in> and <out>. */
static void catalogue_line(const bad_case *c, const char *const *argv, int status, const char *err)
{
    const char *path = getenv("RT_ERRORS_MD");
    if (!path || !*path)
        return;
    /* a row may have lowered the file size limit for the run it makes */
    struct rlimit fsize;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &fsize), 0);
    struct rlimit open_limit = {fsize.rlim_max, fsize.rlim_max};
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &open_limit), 0);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    /* the message without the progress lines ("reistijd: medium ...",
     * "reistijd: medium done"), on one line */
    char *msg = calloc(strlen(err) + 1, 1);
    assert_non_null(msg);
    for (const char *line = err; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        int progress = n > 9 && strncmp(line, "reistijd: ", 10) == 0 &&
                       ((n > 4 && strncmp(line + n - 4, " ...", 4) == 0) ||
                        (n > 5 && strncmp(line + n - 5, " done", 5) == 0)) &&
                       !memchr(line + 10, ':', n - 10);
        if (!progress) {
            if (*msg)
                strcat(msg, " ");
            strncat(msg, line, n);
        }
        line += n + (end ? 1 : 0);
    }
    char *a = replace_all(msg, in, "<in>"), *b = replace_all(a, tmp, "<out>");
    char *e = replace_all(b, "|", "\\|"), *e2 = e;
    free(msg);
    fprintf(f, "| `%s` | ", c->name);
    if (c->from) {
        char *from = replace_all(c->from, "\n", " "), *to0 = replace_all(c->to, "\n", " ");
        char *to = replace_all(to0, IN, "<in>/");
        free(to0);
        for (size_t n = strlen(from); n > 0 && from[n - 1] == ' ';)
            from[--n] = '\0';
        for (size_t n = strlen(to); n > 0 && to[n - 1] == ' ';)
            to[--n] = '\0';
        fprintf(f, "`%s` → `%s`", from, to);
        free(from), free(to);
    } else {
        fputs("`reistijd", f);
        for (int i = 0; argv[i]; i++) {
            char *x = replace_all(argv[i], in, "<in>"), *y = replace_all(x, tmp, "<out>");
            fprintf(f, " %s", y);
            free(x), free(y);
        }
        fputs("`", f);
    }
    if (c->note)
        fprintf(f, ", %s", c->note);
    if (*e2)
        fprintf(f, " | %d | `` %s `` |\n", status, e2);
    else
        fprintf(f, " | %d | (nothing: the run succeeds) |\n", status);
    free(a), free(b), free(e);
    fclose(f);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &fsize), 0);
}

/* Runs one row of the table, the test's state (see above the table). */
static void run_case(void **state)
{
    const bad_case *c = *state;
    char study[CLI_PATH_MAX], outdir[CLI_PATH_MAX], file[128], earlier[CLI_PATH_MAX];
    snprintf(file, sizeof(file), "%s.yaml", c->name);
    cli_path(study, in, file);
    snprintf(file, sizeof(file), "out-%s", c->name);
    cli_path(outdir, tmp, file);
    cli_path(earlier, outdir, "gemeente.csv");
    if (!(c->flags & STUDY_ABSENT))
        write_study(c, study);
    if (c->flags & EXISTING_OUTDIR) {
        assert_int_equal(mkdir(outdir, 0777), 0);
        cli_write_file(earlier, earlier_run);
    }
    if (c->before)
        c->before(c, outdir);
    int inputs_before = cli_count_entries(in, NULL, 0);
    int outputs_before = cli_count_entries(outdir, NULL, 0);

    const char *argv[MAX_ARGS + 1];
    case_args(c, study, outdir, argv);
    cli_result r;
    cli_run_args(&r, tmp, argv);
    cli_assert_status(&r, c->exit_code);
    catalogue_line(c, argv, r.status, r.err);
    for (int i = 0; i < MAX_FRAGMENTS && c->fragments[i]; i++)
        cli_assert_contains(r.err, c->fragments[i]);
    assert_string_equal(r.out, "");
    /* a message names the output asked for, never its temporary file
     * (unless the case is about a file of that name) */
    if (!strstr(c->name, "tmp") && strstr(r.err, ".tmp-"))
        fail_msg("%s: the message names a temporary file: %s", c->name, r.err);
    double seconds = r.seconds;
    cli_result_free(&r);

    cli_assert_no_tmp(outdir);
    char list[2048];
    int outputs_after = cli_count_entries(outdir, list, sizeof(list));
    if (c->flags & NO_OUTDIR) {
        if (outputs_after != -1)
            fail_msg("%s should not exist", outdir);
    } else if (!(c->flags & WRITES_OUTPUT)) {
        if (outputs_before < 0)
            cli_assert_no_output(outdir);
        else if (outputs_after != outputs_before)
            fail_msg("%s held %d entries, holds: %s", outdir, outputs_before, list);
    }
    if (c->flags & EXISTING_OUTDIR) {
        char *text = cli_read_file(earlier);
        assert_non_null(text);
        assert_string_equal(text, earlier_run);
        free(text);
    }
    assert_int_equal(cli_count_entries(in, NULL, 0), inputs_before);
    if (c->max_seconds > 0 && seconds >= c->max_seconds)
        fail_msg("the run took %.3g s, expected less than %g s", seconds, c->max_seconds);
    if (c->after)
        c->after(c, outdir);
    cli_rmrf(outdir);
}

/* Runs the rows as one test each, then the extra tests (may be none),
 * with setup() and teardown() around them all. */
static inline int bad_input_main(const bad_case *rows, int n_rows, const struct CMUnitTest *extra,
                                 int n_extra)
{
    const char *rows_md = getenv("RT_ERRORS_MD"); /* this run's rows only */
    if (rows_md && *rows_md) {
        FILE *f = fopen(rows_md, "w");
        assert_non_null(f);
        fclose(f);
    }
    struct CMUnitTest *tests = calloc((size_t)(n_rows + n_extra), sizeof(*tests));
    assert_non_null(tests);
    for (int i = 0; i < n_rows; i++)
        tests[i] = (struct CMUnitTest){rows[i].name, run_case, NULL, NULL, (void *)&rows[i]};
    for (int i = 0; i < n_extra; i++)
        tests[n_rows + i] = extra[i];
    int failed =
        _cmocka_run_group_tests("bad_input", tests, (size_t)(n_rows + n_extra), setup, teardown);
    free(tests);
    return failed;
}

#endif
