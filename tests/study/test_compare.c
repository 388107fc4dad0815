/* Comparing two finished runs (rt_compare_runs, `reistijd compare`) on the
 * hand-worked row of five cells: a run with A and B against a run of a
 * study whose source leaves A out gives the counts worked out by hand for
 * the scenario that closes A (test_scenarios.c); a run compared with
 * itself gives zeros; runs on other grids, with other types or norms, a
 * study changed since its run, a folder that is no run, and an output
 * folder that is one of the runs are refused, and nothing is written.
 * The report shows the hand-worked counts. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/io.h"
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "row5_fixture.h" /* after study_fixture.h */

/* A in cell 0, B in cell 4. */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"B\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [450, 50]}}]}";

/* The row at 3.6 km/h (100 s a step); the facility source and the cell
 * size and norms as given. */
static void study(char *yaml, size_t size, const char *source, int cell, const char *norms)
{
    snprintf(yaml, size,
             "study: {cell_size_m: %d, extent_buffer_m: 0, neighbours: 8}\n"
             "medium: {type: speed_model, offroad_kmh: 3.6}\n"
             "facilities:\n"
             "  - type: huisarts\n"
             "    source: %s\n"
             "    id_column: ref\n"
             "    norms: {minutes: [%s]}\n"
             "population: {kind: points, source: pop.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: region.geojson, id_column: code}\n",
             cell, source, norms);
}

/* Runs the study yaml (written as file) into dir/out. */
static void run_into(rt_ctx *ctx, const char *file, const char *yaml, const char *out)
{
    char path[512], outdir[512];
    write_text(file, yaml);
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    snprintf(outdir, sizeof(outdir), "%s/%s", dir, out);
    if (load_and_run(ctx, path, outdir, 0, NULL) != RT_OK)
        fail_msg("%s: %s", file, rt_ctx_errmsg(ctx));
}

static rt_status compare_into(rt_ctx *ctx, const char *a, const char *b, const char *out,
                              int overwrite)
{
    char pa[512], pb[512], po[512];
    snprintf(pa, sizeof(pa), "%s/%s", dir, a);
    snprintf(pb, sizeof(pb), "%s/%s", dir, b);
    snprintf(po, sizeof(po), "%s/%s", dir, out);
    rt_compare_opts o;
    rt_compare_opts_init(&o);
    o.run_a = pa;
    o.run_b = pb;
    o.outdir = po;
    o.overwrite = overwrite;
    char *summary = NULL;
    rt_status st = rt_compare_runs(ctx, &o, &summary);
    free(summary);
    return st;
}

static rt_status compare(rt_ctx *ctx, const char *a, const char *b, const char *out)
{
    return compare_into(ctx, a, b, out, 0);
}

static int setup(void **state)
{
    fixture_mkdir("rt-compare");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("pop.geojson", pop_json);
    rt_ctx *ctx = rt_ctx_create();
    char yaml[2048];
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    run_into(ctx, "a.yaml", yaml, "a");
    study(yaml, sizeof(yaml), "{path: facility.geojson, where: \"ref <> 'A'\"}", 100, "2.5, 5");
    run_into(ctx, "b.yaml", yaml, "b");
    *state = ctx;
    return 0;
}

/* Times 0, 100, 200, 100, 0 s in a, 400, 300, 200, 100, 0 in b. W (1, 2, 4
 * persons): newly beyond 2.5 min 1 + 2 = 3, beyond 5 min 1 (cell 1 at 300
 * s is within: t <= limit); worse off 3; mean 1000 / 7 s in a, 1800 / 7 s
 * in b (to the precision of the Float32 minutes of the grids). E: no
 * change. */
static void hand_worked_closure(void **state)
{
    assert_int_equal(compare(*state, "a", "b", "ab"), RT_OK);
    const char *t = "gemeente_compare.csv";
    assert_true(csv_named("ab", t, "W", "newly_beyond_2.5min_population") == 3);
    assert_true(csv_named("ab", t, "W", "newly_beyond_5min_population") == 1);
    assert_true(csv_named("ab", t, "W", "newly_within_2.5min_population") == 0);
    assert_true(csv_named("ab", t, "W", "worse_off_population") == 3);
    assert_true(csv_named("ab", t, "W", "better_off_population") == 0);
    assert_true(csv_named("ab", t, "W", "beyond_2.5min_population_delta") == 3);
    assert_float_equal(csv_named("ab", t, "W", "time_mean_min_a"), 1000.0 / 7 / 60, 1e-6);
    assert_float_equal(csv_named("ab", t, "W", "time_mean_min_b"), 1800.0 / 7 / 60, 1e-6);
    assert_true(csv_named("ab", t, "E", "worse_off_population") == 0);
    assert_true(csv_named("ab", t, "E", "time_mean_min_delta") == 0);
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/ab/huisarts_delta_min.tif", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_non_null(read_file("ab", "run.json"));
    /* the compare layer of the GeoPackage: worse off 3 in W, 0 in E */
    snprintf(path, sizeof(path), "%s/ab/compare.gpkg", dir);
    rti_layer_ref ref = {.path = path, .layer = "gemeente"};
    rti_polygons p = {0};
    assert_int_equal(rti_read_polygons(*state, &ref, "EPSG:28992", "region_id", NULL,
                                       "huisarts_worse_off_population", 0, &p),
                     RT_OK);
    assert_int_equal(p.n, 2);
    for (int64_t i = 0; i < p.n; i++)
        assert_true(p.value[i] == (strcmp(p.id[i], "W") == 0 ? 3 : 0));
    rti_polygons_free(&p);
    /* the report (run A's study has outputs.report on): the same counts,
     * and W's row with the means of 1000 / 7 s = 2.4 min and 1800 / 7 s
     * = 4.3 min, a change of 800 / 7 s = +1.9 min; E changes nothing and
     * has no row */
    char *html = read_out_file("ab", "report.html");
    assert_non_null(html);
    assert_non_null(strstr(html, "huisarts: 3 inhabitants worse off (time more than 1 min "
                                 "longer), 0 better off; 3 newly beyond 2.5min, 1 newly "
                                 "beyond 5min"));
    assert_non_null(strstr(html, "In the regions of gemeente: 3 inhabitants worse off, of whom "
                                 "0 in cells"));
    assert_non_null(strstr(html, ">2.4 &rarr; 4.3</td>"));
    assert_non_null(strstr(html, ">+1.9</td>"));
    assert_null(strstr(html, "<td class=\"t\">E</td>"));
    assert_non_null(strstr(html, "Run B: <code>"));
    assert_non_null(strstr(html, "<code>huisarts_delta_min.tif</code>"));
    free(html);
    /* and again into the same folder: the run.json lists its files */
    assert_int_equal(compare(*state, "a", "b", "ab"), RT_OK);
}

/* One row of the speed raster of run c. */
static void speed_row(int32_t row, void *buf, void *user)
{
    (void)row;
    memcpy(buf, user, 5 * sizeof(float));
}

/* Run c goes at the speed of run a (3.6 km/h) but cannot cross cell 3 (a
 * speed of 0): unreachable there, the rest as in a. From a to c cell 3
 * became unreachable (2) and from c to a reachable (1); every other cell
 * is reachable in both (0, nodata), and the delta grid has no value at
 * cell 3 and 0 elsewhere. */
static void reach_change_grid(void **state)
{
    rt_ctx *ctx = *state;
    float kmh[5] = {3.6f, 3.6f, 3.6f, 0.0f, 3.6f};
    char path[512];
    snprintf(path, sizeof(path), "%s/speed.tif", dir);
    rti_grid_spec g = {.x0 = 0, .y1 = 100, .cell_m = 100, .nx = 5, .ny = 1, .crs = "EPSG:28992"};
    assert_int_equal(
        rti_write_geotiff(ctx, path, &g, NULL, RTI_FLOAT32, NAN, NULL, "km/h", speed_row, kmh),
        RT_OK);
    char yaml[2048];
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    const char *m = "medium: {type: speed_model, offroad_kmh: 3.6}";
    char *at = strstr(yaml, m);
    assert_non_null(at);
    char other[2048];
    snprintf(other, sizeof(other), "%.*smedium: {type: speed, raster: speed.tif}%s",
             (int)(at - yaml), yaml, at + strlen(m));
    run_into(ctx, "c.yaml", other, "c");
    assert_int_equal(compare(ctx, "a", "c", "ac"), RT_OK);
    assert_int_equal(compare(ctx, "c", "a", "ca"), RT_OK);
    double lost[5], gained[5], delta[5];
    read_grid_values(ctx, "ac", "huisarts_reach_change.tif", lost, 5);
    read_grid_values(ctx, "ca", "huisarts_reach_change.tif", gained, 5);
    read_grid_values(ctx, "ac", "huisarts_delta_min.tif", delta, 5);
    for (int i = 0; i < 5; i++) {
        assert_true(i == 3 ? lost[i] == 2 : isnan(lost[i]) || lost[i] == 0);
        assert_true(i == 3 ? gained[i] == 1 : isnan(gained[i]) || gained[i] == 0);
        assert_true(i == 3 ? isnan(delta[i]) : delta[i] == 0);
    }
    /* the maps' sources name the files of both runs: run B's speed raster */
    char *html = read_out_file("ac", "report.html");
    assert_non_null(html);
    const char *data = strstr(html, "Data: ");
    assert_non_null(data);
    const char want[] = "Data: pop.geojson; region.geojson; facility.geojson; speed.tif.";
    if (strncmp(data, want, strlen(want)) != 0)
        fail_msg("%.120s", data);
    free(html);
    /* its style names both kinds in the run's language */
    const char *qml = read_file("ac", "huisarts_reach_change.qml");
    assert_non_null(qml);
    assert_non_null(strstr(qml, "value=\"1\" color=\"#053061\""));
    assert_non_null(strstr(qml, "label=\"became unreachable\""));
}

/* Runs that wrote their route lengths (outputs.length) without a norm in
 * km: the compare table has their length statistics too. Lengths 0, 100,
 * 200 m in W (1, 2, 4 persons) in a, 400, 300, 200 m in b: means 1000 / 7
 * and 1800 / 7 m. */
static void lengths_compared(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[2048], with[2100];
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    snprintf(with, sizeof(with), "%soutputs: {length: true, report: false}\n", yaml);
    run_into(ctx, "la.yaml", with, "la");
    study(yaml, sizeof(yaml), "{path: facility.geojson, where: \"ref <> 'A'\"}", 100, "2.5, 5");
    snprintf(with, sizeof(with), "%soutputs: {length: true}\n", yaml);
    run_into(ctx, "lb.yaml", with, "lb");
    assert_int_equal(compare(ctx, "la", "lb", "lab"), RT_OK);
    const char *t = "gemeente_compare.csv";
    assert_float_equal(csv_named("lab", t, "W", "length_mean_km_a"), 1.0 / 7, 1e-6);
    assert_float_equal(csv_named("lab", t, "W", "length_mean_km_b"), 1.8 / 7, 1e-6);
    assert_float_equal(csv_named("lab", t, "W", "length_mean_km_delta"), 0.8 / 7, 1e-6);
    /* run A's study has outputs.report off: no report */
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/lab/report.html", dir);
    assert_int_equal(stat(path, &st), -1);
}

/* A run compared with itself: every delta and count is 0. */
static void itself_gives_zeros(void **state)
{
    assert_int_equal(compare(*state, "a", "a", "aa"), RT_OK);
    assert_zero_deltas("aa", "gemeente_compare.csv", 20);
}

/* The study's memory_limit replaces the caller's budget for the
 * comparison, as for its run (rt_info.h), and the caller's comes back
 * after: a budget of 1 byte on the context fails nothing when the study
 * sets 1 GiB, and stays 1 byte. */
static void the_study_memory_limit_counts(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[2048];
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    char *at = strstr(yaml, "neighbours: 8}");
    assert_non_null(at);
    char with_limit[2200];
    snprintf(with_limit, sizeof(with_limit), "%.*sneighbours: 8, memory_limit: 1 GiB}%s",
             (int)(at - yaml), yaml, at + strlen("neighbours: 8}"));
    run_into(ctx, "m.yaml", with_limit, "m");
    rt_ctx_set_budget_bytes(ctx, 1);
    const rt_status st = compare(ctx, "m", "m", "mm");
    const uint64_t after = rt_ctx_budget_bytes(ctx);
    rt_ctx_set_budget_bytes(ctx, 0);
    assert_int_equal(st, RT_OK);
    assert_true(after == 1);
}

/* Makes the folder dir/out/name (and dir/out when it is missing). */
static void folder_in(const char *out, const char *name)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, out);
    assert_true(mkdir(path, 0777) == 0 || errno == EEXIST);
    snprintf(path, sizeof(path), "%s/%s/%s", dir, out, name);
    assert_int_equal(mkdir(path, 0777), 0);
}

/* compare checks the outputs it writes, not those of a run: with
 * --overwrite, a folder named huisarts_time_min.tif (or reistijd.gpkg) in
 * its output folder is no output of compare's and does not stop it (it
 * was refused as "in the way of the output"), but one named compare.gpkg
 * or report.html does. */
static void only_its_own_outputs_are_checked(void **state)
{
    folder_in("own", "huisarts_time_min.tif");
    folder_in("own", "reistijd.gpkg");
    if (compare_into(*state, "a", "b", "own", 1) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(*state));
    folder_in("own2", "compare.gpkg");
    assert_int_equal(compare_into(*state, "a", "b", "own2", 1), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(*state), "compare.gpkg: a folder is in the way"));
    folder_in("own3", "report.html");
    assert_int_equal(compare_into(*state, "a", "b", "own3", 1), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(*state), "report.html: a folder is in the way"));
}

static void refused(rt_ctx *ctx, const char *a, const char *b, const char *out, rt_status want,
                    const char *part)
{
    assert_int_equal(compare(ctx, a, b, out), want);
    if (!strstr(rt_ctx_errmsg(ctx), part))
        fail_msg("'%s' not in the message: %s", part, rt_ctx_errmsg(ctx));
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, out);
    if (strcmp(out, a) != 0 && strcmp(out, b) != 0)
        assert_int_equal(stat(path, &st), -1);
}

static void incomparable_runs_are_refused(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[2048];
    study(yaml, sizeof(yaml), "facility.geojson", 50, "2.5, 5");
    run_into(ctx, "fine.yaml", yaml, "fine");
    refused(ctx, "a", "fine", "x1", RT_E_DATA, "different grids");
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 10");
    run_into(ctx, "norms.yaml", yaml, "norms");
    refused(ctx, "a", "norms", "x2", RT_E_DATA, "different norms for type 'huisarts'");
    refused(ctx, "a", "nothing", "x3", RT_E_IO, "no readable run.json");
    /* a time grid replaced since its run by one on another grid (run.json
     * unchanged): refused, not resampled into numbers */
    study(yaml, sizeof(yaml), "{path: facility.geojson, where: \"ref <> 'A'\"}", 100, "2.5, 5");
    run_into(ctx, "b2.yaml", yaml, "b2");
    char from[512], to[512];
    snprintf(from, sizeof(from), "%s/fine/huisarts_time_min.tif", dir);
    snprintf(to, sizeof(to), "%s/b2/huisarts_time_min.tif", dir);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_true(in && out);
    char buf[4096];
    for (size_t k; (k = fread(buf, 1, sizeof(buf), in)) > 0;)
        assert_int_equal(fwrite(buf, 1, k, out), k);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    refused(ctx, "a", "b2", "x7", RT_E_DATA,
            "a grid of 10 x 2 cells of 50 m from (0, 100), not the 5 x 1 of 100 m from (0, 100) "
            "of its run; the file changed since the run");
    /* a run.json whose command is not a text, or whose outputs hold a
     * null: refused or skipped, never read as a string */
    char *json = read_out_file("a", "run.json");
    char fake[65536], path[512];
    snprintf(fake, sizeof(fake), "{\"command\": 5, %s", strchr(json, '{') + 1);
    snprintf(path, sizeof(path), "%s/fake", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    write_text("fake/run.json", fake);
    refused(ctx, "fake", "b", "x5", RT_E_DATA, "not of a run");
    char *outs = strstr(json, "\"outputs\":");
    assert_non_null(outs);
    char *bracket = strchr(outs, '[');
    snprintf(fake, sizeof(fake), "%.*snull, %s", (int)(bracket + 1 - json), json, bracket + 1);
    write_text("fake/run.json", fake);
    /* (its grids are not there: the first one read is missing) */
    refused(ctx, "b", "fake", "x6", RT_E_IO, "fake/huisarts_time_min.tif");
    free(json);
    /* the output folder is run a itself: its files are inputs (the first
     * compare would write is report.html, then run.json) */
    refused(ctx, "a", "b", "a", RT_E_ARG, "a/report.html: the output would overwrite the run A");
    /* run a's study changed since its run */
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    run_into(ctx, "c.yaml", yaml, "c");
    write_text("c.yaml", "# edited\n");
    refused(ctx, "c", "b", "x4", RT_E_DATA, "not the file that run read");
}

/* An input that run A's run.json lists without a checksum (as it lists a
 * folder dataset, a database or a URL) is compared with a warning that it
 * cannot be checked, not refused as changed; a population that only run B
 * has is named in a warning. */
static void unchecked_inputs_and_a_population_of_b_only_warn(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[2048];
    logbuf warnings = {""};
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    run_into(ctx, "d.yaml", yaml, "d");
    char *json = read_out_file("d", "run.json");
    char *role = strstr(json, "\"regions.gemeente\"");
    assert_non_null(role);
    char *key = strstr(role, "\"sha256\"");
    assert_non_null(key);
    memcpy(key, "\"sha999\"", 8); /* run.json without the region layer's checksum */
    write_text("d/run.json", json);
    free(json);
    rt_ctx_set_log(ctx, keep_log, &warnings);
    rt_status st = compare(ctx, "d", "b", "db");
    rt_ctx_set_log(ctx, NULL, NULL);
    assert_int_equal(st, RT_OK);
    if (!strstr(warnings.text, "region.geojson (regions.gemeente of ") ||
        !strstr(warnings.text, "holds no checksum"))
        fail_msg("no warning of the unchecked region layer in: %s", warnings.text);

    /* run A without a population, run B with one */
    char *pop = strstr(yaml, "population:");
    assert_non_null(pop);
    memmove(pop, strchr(pop, '\n') + 1, strlen(strchr(pop, '\n') + 1) + 1);
    run_into(ctx, "nopop.yaml", yaml, "nopop");
    warnings.text[0] = '\0';
    rt_ctx_set_log(ctx, keep_log, &warnings);
    st = compare(ctx, "nopop", "b", "nb");
    rt_ctx_set_log(ctx, NULL, NULL);
    assert_int_equal(st, RT_OK);
    if (!strstr(warnings.text, "run B has a population (") ||
        !strstr(warnings.text, "run A has none"))
        fail_msg("no warning of B's population in: %s", warnings.text);
    /* its report says that every cell counts as one person */
    char *html = read_out_file("nb", "report.html");
    assert_non_null(html);
    assert_non_null(strstr(html, "No population was given: every statistic weighs every cell"));
    free(html);
    html = read_out_file("ab", "report.html"); /* (made by hand_worked_closure) */
    if (html)
        assert_null(strstr(html, "No population was given"));
    free(html);
}

/* A change of exactly the threshold is not "more than" it: with a
 * threshold of 10/3 minutes (200 s), cell 1 of W (2 persons, 100 s in a,
 * 300 s in b) is not worse off, though its minutes read back from the
 * Float32 grids (1.66666663 and 5) differ by 3.33333337; cell 0 (1 person,
 * 0 to 400 s) is. By hand: worse off in W 1. */
static void a_change_of_exactly_the_threshold(void **state)
{
    char pa[512], pb[512], po[512];
    snprintf(pa, sizeof(pa), "%s/a", dir);
    snprintf(pb, sizeof(pb), "%s/b", dir);
    snprintf(po, sizeof(po), "%s/thr", dir);
    rt_compare_opts o;
    rt_compare_opts_init(&o);
    o.run_a = pa;
    o.run_b = pb;
    o.outdir = po;
    o.threshold_min = 10.0 / 3.0;
    char *summary = NULL;
    assert_int_equal(rt_compare_runs(*state, &o, &summary), RT_OK);
    free(summary);
    assert_true((float)(300.0 / 60) - (float)(100.0 / 60) > 10.0 / 3.0); /* the case */
    assert_true(csv_named("thr", "gemeente_compare.csv", "W", "worse_off_population") == 1);
}

/* Run B read the population from the same file as run A, but another part
 * of it (a `where`): a warning names the role and the filter; runs that
 * read it alike (a and b) get none. */
static void the_same_file_read_otherwise_warns(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[2048];
    logbuf warnings = {""};
    rt_ctx_set_log(ctx, keep_log, &warnings);
    assert_int_equal(compare(ctx, "a", "b", "ab2"), RT_OK);
    rt_ctx_set_log(ctx, NULL, NULL);
    if (strstr(warnings.text, "differs from run A's"))
        fail_msg("a warning for runs that read alike: %s", warnings.text);
    study(yaml, sizeof(yaml), "facility.geojson", 100, "2.5, 5");
    char *at = strstr(yaml, "source: pop.geojson, "), w[2200];
    assert_non_null(at);
    *at = '\0';
    snprintf(w, sizeof(w), "%ssource: {path: pop.geojson, where: \"n > 1\"}, %s", yaml,
             at + strlen("source: pop.geojson, "));
    run_into(ctx, "w.yaml", w, "w");
    warnings.text[0] = '\0';
    rt_ctx_set_log(ctx, keep_log, &warnings);
    if (compare(ctx, "a", "w", "aw") != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    rt_ctx_set_log(ctx, NULL, NULL);
    if (!strstr(warnings.text, "population differs from run A's") ||
        !strstr(warnings.text, "the same file with where 'n > 1', run A's none"))
        fail_msg("no warning of the other population filter in: %s", warnings.text);
    /* a run A of an earlier version, whose run.json has no read_as: its
     * files are checked, how they were read is not (no false warning for
     * b, which reads them as a did) */
    char *json = read_out_file("a", "run.json");
    for (char *p = strstr(json, "\"read_as\""); p; p = strstr(p, "\"read_as\""))
        memcpy(p, "\"read_a_\"", 9);
    write_text("a/run.json", json);
    free(json);
    warnings.text[0] = '\0';
    rt_ctx_set_log(ctx, keep_log, &warnings);
    assert_int_equal(compare(ctx, "a", "b", "ab3"), RT_OK);
    rt_ctx_set_log(ctx, NULL, NULL);
    if (strstr(warnings.text, "differs from run A's"))
        fail_msg("a warning against an earlier run.json: %s", warnings.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_worked_closure),
        cmocka_unit_test(reach_change_grid),
        cmocka_unit_test(lengths_compared),
        cmocka_unit_test(itself_gives_zeros),
        cmocka_unit_test(the_study_memory_limit_counts),
        cmocka_unit_test(only_its_own_outputs_are_checked),
        cmocka_unit_test(incomparable_runs_are_refused),
        cmocka_unit_test(unchecked_inputs_and_a_population_of_b_only_warn),
        cmocka_unit_test(a_change_of_exactly_the_threshold),
        cmocka_unit_test(the_same_file_read_otherwise_warns),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
