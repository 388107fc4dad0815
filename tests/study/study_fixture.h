#ifndef RT_STUDY_FIXTURE_H
#define RT_STUDY_FIXTURE_H
/* What the study tests that write their own input files share: the
 * test's temporary folder, a writer for small files in it, a run of a
 * study written there, a field of an output table, and the CRS member of
 * a GeoJSON file in EPSG:28992. Include after cmocka.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reistijd/rt_study.h"

/* The test program's temporary folder, made by its setup. */
static char dir[256];

/* Makes the temporary folder dir as $TMPDIR/<prefix>-XXXXXX (or /tmp). */
static inline void fixture_mkdir(const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/%s-XXXXXX", tmp ? tmp : "/tmp", prefix);
    assert_non_null(mkdtemp(dir));
}

/* A group teardown: destroys the context in *state and removes dir. */
static inline int fixture_teardown(void **state)
{
    rt_ctx_destroy(*state);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to dir/name. */
static inline void write_text(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The text of dir/out/name (at most 16 KiB) in a buffer that the next
 * call reuses, NULL when it cannot be read. */
static inline char *read_file(const char *out, const char *name)
{
    static char text[16384];
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/%s", dir, out, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* Loads the study file at path and runs it into outdir (validate: stop
 * after the inputs). The study goes to *keep when keep is given (NULL
 * when it did not load), else it is destroyed. */
static inline rt_status load_and_run(rt_ctx *ctx, const char *path, const char *outdir,
                                     int validate, rt_study **keep)
{
    rt_study *s = NULL;
    rt_status st = rt_study_load(ctx, path, &s);
    if (st == RT_OK) {
        rt_run_opts o;
        rt_run_opts_init(&o);
        o.outdir = outdir;
        o.validate_only = validate;
        st = rt_study_run(ctx, s, &o);
    }
    if (keep)
        *keep = s;
    else
        rt_study_destroy(s);
    return st;
}

/* Writes yaml to dir/study.yaml, loads it and runs it into dir/out (or
 * validates it only). */
static inline rt_status run_study(rt_ctx *ctx, const char *yaml, const char *out, int validate)
{
    write_text("study.yaml", yaml);
    char path[512], outdir[512];
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    snprintf(outdir, sizeof(outdir), "%s/%s", dir, out);
    return load_and_run(ctx, path, outdir, validate, NULL);
}

/* The field of column `col` (by its name in the header) in the row whose
 * first field is `key`, in OUT/name; NAN when empty; fails when there is
 * no such row or column. */
static inline double csv_named(const char *out, const char *name, const char *key, const char *col)
{
    char *text = read_file(out, name);
    assert_non_null(text);
    int want = -1, i = 0;
    size_t n = strlen(col);
    for (char *p = text; *p != '\n'; i++) {
        if (strncmp(p, col, n) == 0 && (p[n] == ',' || p[n] == '\n'))
            want = i;
        p += strcspn(p, ",\n");
        p += *p == ',';
    }
    if (want < 0)
        fail_msg("%s: no column %s", name, col);
    n = strlen(key);
    for (char *line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        if (strncmp(line, key, n) != 0 || line[n] != ',')
            continue;
        char *p = line;
        for (int k = 0; k < want; k++)
            p = strchr(p, ',') + 1;
        return *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
    }
    fail_msg("%s: no row %s", name, key);
    return NAN;
}

/* The whole file at path, NUL-terminated (caller frees). */
static inline char *read_path(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The whole of dir/out/name (caller frees). */
static inline char *read_out_file(const char *out, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/%s", dir, out, name);
    return read_path(path);
}

/* Every change column of the compare table out/name (the _delta ones,
 * newly_beyond/within and better/worse off) is 0 or empty in the rows of
 * regions W and E, and at least `min` of them are 0. */
static inline void assert_zero_deltas(const char *out, const char *name, int min)
{
    char *text = read_file(out, name);
    assert_non_null(text);
    char header[8192];
    snprintf(header, sizeof(header), "%.*s", (int)strcspn(text, "\n"), text);
    int checked = 0;
    for (char *col = strtok(header, ","); col; col = strtok(NULL, ",")) {
        size_t n = strlen(col);
        int zero = (n > 6 && strcmp(col + n - 6, "_delta") == 0) ||
                   strncmp(col, "newly_", 6) == 0 || strstr(col, "_off_") != NULL;
        if (!zero)
            continue;
        char c[128];
        snprintf(c, sizeof(c), "%s", col);
        for (int r = 0; r < 2; r++) {
            double v = csv_named(out, name, r ? "E" : "W", c);
            if (!(v == 0 || isnan(v)))
                fail_msg("%s of %s is %g", c, r ? "E" : "W", v);
            checked += v == 0;
        }
    }
    assert_true(checked >= min);
}

/* The warnings of a run, one per line (rt_ctx_set_log(ctx, keep_log,
 * &buf) with buf.text emptied first). */
typedef struct logbuf {
    char text[8192];
} logbuf;

static inline void keep_log(rt_log_level level, const char *message, void *user)
{
    logbuf *b = user;
    if (level == RT_LOG_WARNING && strlen(b->text) + strlen(message) + 2 < sizeof(b->text)) {
        strcat(b->text, message);
        strcat(b->text, "\n");
    }
}

/* The message of the last error names every one of parts (NULL-ended),
 * and the refused run left no folder dir/out behind. */
static inline void refused_without_trace(rt_ctx *ctx, const char *out, const char *const *parts)
{
    for (int i = 0; parts[i]; i++)
        if (!strstr(rt_ctx_errmsg(ctx), parts[i]))
            fail_msg("'%s' not in the message: %s", parts[i], rt_ctx_errmsg(ctx));
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, out);
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
}

/* The size of the file at path and its bytes in buf (at most cap). */
static inline size_t file_bytes(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    assert_true(feof(f));
    fclose(f);
    return n;
}

/* The bytes of file in folders dir/a and dir/b agree (case c, for the
 * message). */
static inline void same_bytes(const char *a, const char *b, const char *file, int c)
{
    static char x[1 << 16], y[1 << 16];
    char pa[600], pb[600];
    snprintf(pa, sizeof(pa), "%s/%s/%s", dir, a, file);
    snprintf(pb, sizeof(pb), "%s/%s/%s", dir, b, file);
    size_t na = file_bytes(pa, x, sizeof(x)), nb = file_bytes(pb, y, sizeof(y));
    if (na != nb || memcmp(x, y, na) != 0)
        fail_msg("case %d: %s differs between %s and %s", c, file, a, b);
}

#ifdef RT_IO_H
/* The n values of band 1 of the grid dir/out/name (NaN for nodata). */
static inline void read_grid_values(rt_ctx *ctx, const char *out, const char *name, double *v,
                                    int n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s/%s", dir, out, name);
    rti_grid_spec g;
    char *wkt = NULL;
    float *data = NULL;
    assert_int_equal(rti_raster_read_native(ctx, path, 1, &g, &wkt, &data), RT_OK);
    assert_int_equal(g.nx * g.ny, n);
    for (int i = 0; i < n; i++)
        v[i] = data[i];
    free(data);
    free(wkt);
}
#endif

#define CRS_28992                                                                                  \
    "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}"

#endif
