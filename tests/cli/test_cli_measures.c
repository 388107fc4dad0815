/* `reistijd run` with measures: on the hand-checked fixture
 * tests/fixtures/small (see test_cli_run.c): facility H1 in cell (row 5,
 * col 5), given a capacity of 2.5 (column fte); H9 lies far outside the
 * extent (left out of the searches; its point has no cell within reach
 * as the crow flies either). The population: 100 persons in (5, 15) at
 * 100 s, 25 in (0, 0) at 50 sqrt(2) s = 70.7 s, both in GM0001, and 50 in
 * (5, 35) at 300 s, in GM0002. By hand:
 *
 *  count_2min:  1 in (5, 15) and (0, 0), 0 in (5, 35). GM0001 mean 1,
 *               nobody without; GM0002 mean 0, 50 persons without.
 *  count_crowfly_1_5km: H1's point lies in cell (5, 5), so (5, 15) is
 *               about 1000 m away and (0, 0) about 707 m, (5, 35) 3000 m:
 *               the same as count_2min.
 *  capacity_2min: 2.5 where the count is 1.
 *  2sfca (binary within 2 minutes): R = 2.5 / 125 persons = 0.02; GM0001
 *               mean 0.02, GM0002 0; population x access sums to 2.5.
 *  gravity (exponential 0.5 per minute, within 10 minutes): 2.5 e^(-t/2),
 *               t in minutes: GM0002 2.5 e^-2.5 = 0.2052125; GM0001 the
 *               population-weighted mean of 2.5 e^(-100/120) (100
 *               persons) and 2.5 e^(-50 sqrt 2 / 120) (25 persons), its
 *               Gini 2 x 100 x 25 |x1 - x2| / (2 x 125^2 x mean); the
 *               worst decile of the study (the lower 10 % of 175 persons)
 *               is GM0002's value: share 1 there, 0 in GM0001.
 *  nearest_1_min (within 4 minutes): the travel time, 100 s = 1.6667 min
 *               in (5, 15), none (NaN) in (5, 35) at 5 min: GM0002 has 50
 *               persons with none; GM0001's mean is that of the time norm
 *               statistics, (100 x 100 + 25 x 50 sqrt 2) / 125 s.
 *  nearest_1_crowfly_km: H1's point lies in cell (5, 5), so (5, 35) is
 *               3 km away give or take half a cell.
 *  balancing_cost (within 10 minutes): the one facility's 2.5 never covers
 *               a cell of 25, 50 or 100 persons: everybody is without
 *               (125 and 50 persons), and a cell without people needs
 *               nothing: 0 in (5, 25).
 *  population.tif: 100 in (5, 15), 0 in (5, 25).
 * The run with 1 and 2 threads gives the same bytes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#include "cli/cli_json.h"
#include "cli/cli_map.h"
#include "test_common.h"

static char tmp[CLI_PATH_MAX];

static const char facilities_json[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"H1\", \"naam\": \"Centrum\", \"fte\": "
    "2.5}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [4.60146158981216, "
    "51.5903160553678]}},"
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"H9\", \"naam\": \"Ver weg\", \"fte\": 1}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [5.38720621, 52.15517440]}}]}";

static const char measures_yaml[] =
    "study:\n  name: small\n  cell_size_m: 100\n  extent_buffer_m: 0\n  neighbours: 16\n"
    "medium:\n  type: speed_model\n  offroad_kmh: 36\n  land: regions.geojson\n"
    "facilities:\n"
    "  - type: huisarts\n"
    "    source: fac_fte.geojson\n"
    "    id_column: ref\n"
    "    name_column: naam\n"
    "    capacity_column: fte\n"
    "    norms: {minutes: [1.5, 4]}\n"
    "    measures:\n"
    "      - {kind: count, cutoff: 2}\n"
    "      - {kind: count, crowfly_km: 1.5}\n"
    "      - {kind: capacity, cutoff: 2}\n"
    "      - {kind: 2sfca, cutoff: 2}\n"
    "      - {kind: gravity, cutoff: 10, decay_function: exponential, decay_value: 0.5}\n"
    "      - {kind: kth_nearest, k: 1, cutoff: 4}\n"
    "      - {kind: kth_nearest, k: 1, crowfly_km: 50}\n"
    "      - {kind: balancing_cost, cutoff: 10}\n"
    "population:\n  kind: points\n  source: population.geojson\n  count_column: inwoners\n"
    "regions:\n  - name: gemeente\n    label: gemeente <GM>\n    source: regions.geojson\n"
    "    id_column: code\n"
    "    name_column: naam\n";

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-measures");
    cli_copy_small_fixture(tmp);
    cli_write(tmp, "fac_fte.geojson", facilities_json);
    cli_write(tmp, "measures.yaml", measures_yaml);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

/* The value of column `col` in the row of region `id` of a region table. */
static double csv_value(const char *csv, const char *id, const char *col)
{
    char *text = cli_read_file(csv);
    assert_non_null(text);
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    int want = -1, k = 0;
    for (char *p = line; p; p = strchr(p, ','), p = p ? p + 1 : NULL, k++) {
        size_t n = strcspn(p, ",");
        if (n == strlen(col) && strncmp(p, col, n) == 0)
            want = k;
    }
    if (want < 0)
        fail_msg("%s: no column %s", csv, col);
    double v = NAN;
    while ((line = strtok_r(NULL, "\n", &save))) {
        if (strncmp(line, id, strlen(id)) != 0 || line[strlen(id)] != ',')
            continue;
        const char *p = line;
        for (int i = 0; i < want && p; i++)
            p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        assert_non_null(p);
        v = *p == ',' || *p == '\0' ? NAN : strtod(p, NULL);
    }
    free(text);
    return v;
}

static void run_into(const char *outname, const char *threads)
{
    char study[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(study, tmp, "measures.yaml");
    cli_path(out, tmp, outname);
    cli_result r;
    CLI_RUN(&r, tmp, "run", "--threads", threads, study, "-o", out);
    if (!cli_status_ok(&r, 0))
        fail();
    cli_result_free(&r);
}

static void test_measures_by_hand(void **state)
{
    (void)state;
    run_into("out1", "1");
    char csv[CLI_PATH_MAX], f[CLI_PATH_MAX];
    cli_path(csv, tmp, "out1/gemeente.csv");
    const struct {
        const char *id, *col;
        double want;
    } cells[] = {
        {"GM0001", "count_2min_mean", 1},
        {"GM0002", "count_2min_mean", 0},
        {"GM0001", "count_2min_population_none", 0},
        {"GM0002", "count_2min_population_none", 50},
        {"GM0001", "count_crowfly_1_5km_mean", 1},
        {"GM0002", "count_crowfly_1_5km_mean", 0},
        {"GM0001", "capacity_2min_mean", 2.5},
        {"GM0002", "capacity_2min_mean", 0},
        {"GM0001", "2sfca_mean", 0.02},
        {"GM0002", "2sfca_mean", 0},
        {"GM0002", "gravity_mean", 2.5 * exp(-2.5)},
        {"GM0001", "gravity_worst_decile_share", 0},
        {"GM0002", "gravity_worst_decile_share", 1},
        {"GM0001", "count_2min_gini", 0},
        {"GM0001", "nearest_1_min_mean", (100 * 100 + 25 * 50 * sqrt(2.0)) / 125 / 60},
        {"GM0001", "nearest_1_min_population_none", 0},
        {"GM0002", "nearest_1_min_population_none", 50},
        {"GM0001", "balancing_cost_population_none", 125},
        {"GM0002", "balancing_cost_population_none", 50},
    };
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
        char what[128];
        snprintf(what, sizeof(what), "%s %s", cells[i].id, cells[i].col);
        /* 1e-6: the friction 0.1 s/m is a float32, so the times are 1.5e-8 off */
        cli_assert_close(csv_value(csv, cells[i].id, cells[i].col), cells[i].want, 1e-6, what);
    }
    const double x1 = 2.5 * exp(-100.0 / 120.0), x2 = 2.5 * exp(-50.0 * sqrt(2.0) / 120.0);
    const double mean = (100 * x1 + 25 * x2) / 125;
    cli_assert_close(csv_value(csv, "GM0001", "gravity_mean"), mean, 1e-6, "gravity mean");
    cli_assert_close(csv_value(csv, "GM0001", "gravity_gini"),
                     2 * 100 * 25 * fabs(x1 - x2) / (2 * 125.0 * 125.0 * mean), 1e-6,
                     "gravity Gini");
    /* the same rows in the GeoPackage's region layer */
    char gpkg[CLI_PATH_MAX];
    cli_path(gpkg, tmp, "out1/reistijd.gpkg");
    char *v = cli_sh_output("ogrinfo -ro -q -sql \"SELECT huisarts_2sfca_mean AS v, "
                            "huisarts_count_2min_population_none AS w FROM gemeente WHERE "
                            "region_id = 'GM0002'\" '%s'",
                            gpkg);
    assert_non_null(strstr(v, "v (Real) = 0\n"));
    assert_non_null(strstr(v, "w (Real) = 50\n"));
    free(v);
    /* the grids: float32 values of the cells */
    cli_path(f, tmp, "out1/huisarts_count_2min.tif");
    assert_true(cli_cell(f, 5, 15) == 1 && cli_cell(f, 0, 0) == 1 && cli_cell(f, 5, 35) == 0);
    cli_path(f, tmp, "out1/huisarts_2sfca.tif");
    cli_assert_close(cli_cell(f, 5, 15), 0.02, 1e-6, "2sfca (5, 15)");
    cli_path(f, tmp, "out1/huisarts_nearest_1_min.tif");
    cli_assert_close(cli_cell(f, 5, 15), 100.0 / 60, 1e-6, "nearest (5, 15)");
    assert_true(isnan(cli_cell(f, 5, 35)));
    cli_path(f, tmp, "out1/huisarts_nearest_1_crowfly_km.tif");
    const double d = cli_cell(f, 5, 35);
    assert_true(d >= 2.95 && d <= 3.05);
    cli_path(f, tmp, "out1/huisarts_balancing_cost.tif");
    assert_true(isnan(cli_cell(f, 5, 15)) && cli_cell(f, 5, 25) == 0);
    cli_path(f, tmp, "out1/population.tif");
    assert_true(cli_cell(f, 5, 15) == 100 && cli_cell(f, 5, 25) == 0);
}

/* The report's section of the measures, from the values by hand above.
 * Over the regions of gemeente (175 persons): count_2min has the mean
 * (125 x 1 + 50 x 0) / 175 = 0.714 and 50 persons (28.6 %) with none;
 * 2sfca (125 x 0.02) / 175 = 0.0143; nearest_1_min the mean over the 125
 * persons with a value, (100 x 100 + 25 x 50 sqrt 2) / 125 s = 94.14 s =
 * 1.6 min, and 50 without; balancing_cost nobody covered. The tables list
 * the worst first: GM0002 (mean 0, or no mean at all), then GM0001. The
 * classes: count_2min has the largest value 1, so "0" and "1 or more";
 * every 2sfca value above 0 is 0.02, so 0, 0.02 and above; nearest_1_min
 * those of huisarts's travel-time map (norms 1.5 and 4: 1, 1.5, 2, 3, 4,
 * 5, 10 min), and grey where no facility lies within 4 minutes. */
static void test_measures_in_the_report(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    cli_path(path, tmp, "out1/report.html");
    char *html = cli_read_file(path);
    assert_non_null(html);
    const char *sec = strstr(html, "<section id=\"measures-huisarts\"");
    assert_non_null(sec);
    /* after the type's own section, before the regions' */
    assert_true(sec > strstr(html, "<section id=\"type-huisarts\""));
    /* the region layer's label, escaped, in the travel-time map's caption
     * (before the section) and each measure map's */
    const char *borders = strstr(html, " m; borders: gemeente &lt;GM&gt;. Data: ");
    assert_true(borders && borders < sec);
    assert_non_null(strstr(sec, " m; borders: gemeente &lt;GM&gt;. Data: "));
    assert_null(strstr(html, "gemeente <GM>"));
    assert_true(sec < strstr(html, "<section id=\"regions-gemeente\""));
    /* a count says what it is: no note under its heading */
    cli_assert_contains(sec, "<h3>Number of facilities within 2 min</h3>\n<p>In the regions");
    assert_in_order(
        sec,
        (const char *const[]){
            "<h2 id=\"h-measures-huisarts\">Beyond the nearest huisarts</h2>",
            /* a 2SFCA among the measures: the edge effect is named */
            "the values near it come out too high.</p>",
            "<h3>Number of facilities within 2 min</h3>",
            "<p>In the regions of gemeente &lt;GM&gt;: population-weighted mean 0.714; none within "
            "2 min: 50 "
            "inhabitants (28.6 %).</p>",
            "</span>0</li><li><span class=\"sw\" style=\"background:#fde725\"></span>1 or "
            "more</li>",
            /* the caption names the GeoTIFF of the map */
            ". File: <code>huisarts_count_2min.tif</code>.</p></figcaption>",
            "<tr><td class=\"t\">GM0002</td><td class=\"t\">Oostdorp</td><td data-v=\"50\">50</td>"
            "<td data-v=\"0\">0</td><td data-v=\"50\">50</td><td class=\"beyond\" "
            "data-v=\"100\">100.0 %</td></tr>",
            "<tr><td class=\"t\">GM0001</td><td class=\"t\">Westdorp</td><td "
            "data-v=\"125\">125</td>"
            "<td data-v=\"1\">1.00</td><td data-v=\"0\">0</td><td class=\"within\" "
            "data-v=\"0\">0.0 "
            "%</td></tr>",
            "<h3>Number of facilities within 1.5 km as the crow flies</h3>",
            "File: <code>huisarts_count_crowfly_1_5km.tif</code>.",
            /* per 100,000 inhabitants: 0.02 is 2000, the mean 125 x 0.02 / 175 =
             * 0.0142857 is 1428.57 */
            "<h3>Capacity per 100,000 inhabitants within 2 min (2SFCA)</h3>",
            /* a floating catchment is said in words */
            "<p class=\"note\">The capacity of every facility is shared among all the "
            "inhabitants who have it within reach; the value adds up an inhabitant's shares",
            "population-weighted mean 1,429; none within 2 min: 50 inhabitants (28.6 %).",
            "</span>0</li><li><span class=\"sw\" style=\"background:#21908c\"></span>0\xe2\x80\x93"
            "2,000</li><li><span class=\"sw\" style=\"background:#fde725\"></span>over "
            "2,000</li>",
            "<td data-v=\"2000\">2,000</td>",
            "<p class=\"note\">The capacity of the facilities within reach added up, each "
            "weighted by how near it is",
            "<h3>Travel time to the nearest facility, within 4 min</h3>",
            "population-weighted mean 1.6 min; none within 4 min: 50 inhabitants (28.6 %).",
            "1\xe2\x80\x93"
            "1.5 min (the 1.5 min norm)</li>",
            "over 10 min</li><li><span class=\"sw\" style=\"background:#bdbdbd\"></span>none "
            "within 4 "
            "min</li>",
            "<td class=\"t\">GM0002</td><td class=\"t\">Oostdorp</td><td data-v=\"50\">50</td><td "
            "data-v=\"\">&ndash;</td>",
            "<td class=\"t\">GM0001</td>",
            "<h3>Distance to the nearest facility, within 50 km as the crow flies</h3>",
            "<p class=\"note\">The travel time within which the capacity of the nearest "
            "facilities, added up, first reaches the number of people in the cell",
            "capacity not covered within 10 min: 175 inhabitants (100.0 %).",
            /* its table's columns in the headline's words */
            "<th scope=\"col\">capacity not covered within 10 min<br>inhabitants</th>", NULL});
    /* the maps: 40 x 10 cells at 20 pixels per cell, a cell's centre pixel
     * at (20 row + 10, 20 col + 10). count_2min: 1 (the top class of 2,
     * viridis(1) #fde725) in (5, 15), 0 (#440154) in (5, 35). nearest_1_min:
     * 100 s = 1.67 min in (5, 15) is class 2 of 8, viridis(5/7) = (78, 192,
     * 108) as on the travel-time map; (5, 35) at 5 min has none within 4
     * minutes: grey #bdbdbd. */
    int w, h;
    uint8_t *rgba = cli_report_map(sec, "<h3>Number of facilities within 2 min</h3>", &w, &h);
    assert_int_equal(w, 800);
    assert_int_equal(h, 200);
    cli_px_near(rgba, w, 110, 310, 0xfd, 0xe7, 0x25, "count_2min (5, 15)");
    cli_px_near(rgba, w, 110, 710, 0x44, 0x01, 0x54, "count_2min (5, 35)");
    free(rgba);
    rgba =
        cli_report_map(sec, "<h3>Travel time to the nearest facility, within 4 min</h3>", &w, &h);
    cli_px_near(rgba, w, 110, 310, 78, 192, 108, "nearest_1_min (5, 15)");
    cli_px_near(rgba, w, 110, 710, 0xbd, 0xbd, 0xbd, "nearest_1_min (5, 35)");
    free(rgba);
    free(html);
}

/* A .qml beside every measure's GeoTIFF, well-formed, with the classes of
 * its map: count_2min 0 and "≥ 1"; 2sfca 0, 0.02 and above; nearest_1_min
 * those of huisarts_time_min.qml; nearest_1_crowfly_km the type's length
 * classes in km (no km norm: the reach 20 km, no step below 2.5: 3, 5, 10,
 * 15, 20), not in metres as the length grid's. */
static void test_measure_styles(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], path[CLI_PATH_MAX];
    cli_path(dir, tmp, "out1");
    if (cli_have("xmllint"))
        assert_int_equal(cli_sh("xmllint --noout '%s'/huisarts_*.qml", dir), 0);
    const struct {
        const char *file;
        int items;
        const char *want[9];
    } styles[] = {
        {"huisarts_count_2min.qml",
         2,
         {"value=\"0\" color=\"#440154\" label=\"0\"",
          "value=\"inf\" color=\"#fde725\" label=\"\xe2\x89\xa5 1\"", NULL}},
        {"huisarts_2sfca.qml",
         3,
         {"value=\"0\" color=\"#440154\" label=\"0\"",
          /* thresholds in the grid's units, labels per 100,000 inhabitants */
          "value=\"0.02\" color=\"#21908c\" label=\"0\xe2\x80\x93"
          "2000\"",
          "value=\"inf\" color=\"#fde725\" label=\"&gt; 2000\"", NULL}},
        {"huisarts_nearest_1_min.qml",
         8,
         {"value=\"1\" color=\"#fde725\"", "value=\"1.5\"", "value=\"2\"", "value=\"3\"",
          "value=\"4\"", "value=\"5\"", "value=\"10\"", "value=\"inf\" color=\"#440154\"", NULL}},
        {"huisarts_nearest_1_crowfly_km.qml",
         6,
         {"value=\"3\" color=\"#fde725\" label=\"\xe2\x89\xa4 3 km\"", "value=\"5\"",
          "value=\"10\"", "value=\"15\"", "value=\"20\"", "value=\"inf\"", NULL}},
    };
    for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
        cli_path(path, dir, styles[i].file);
        char *q = cli_read_file(path);
        if (!q)
            fail_msg("no %s", styles[i].file);
        assert_in_order(q, styles[i].want);
        int n = 0;
        for (const char *p = strstr(q, "<item "); p; p = strstr(p + 1, "<item "))
            n++;
        if (n != styles[i].items)
            fail_msg("%s: %d classes, want %d", styles[i].file, n, styles[i].items);
        free(q);
    }
    /* listed in run.json with the other outputs */
    cli_path(path, dir, "run.json");
    char *manifest = cli_read_file(path);
    cli_assert_contains(manifest, "\"huisarts_balancing_cost.qml\"");
    free(manifest);
}

/* The summaries: per type its measures and, over the regions of gemeente,
 * the values of the report's headlines (worked out there). */
static void test_measures_in_the_summaries(void **state)
{
    (void)state;
    char study[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(study, tmp, "measures.yaml");
    cli_path(out, tmp, "out-json");
    cli_result r;
    CLI_RUN(&r, tmp, "run", "--json", study, "-o", out);
    if (!cli_status_ok(&r, 0))
        fail();
    json_object *o = cj_parse(r.out);
    assert_string_equal(cj_str(o, "facilities.0.measures.0.name"), "count_2min");
    assert_string_equal(cj_str(o, "facilities.0.measures.0.kind"), "count");
    assert_string_equal(cj_str(o, "facilities.0.measures.0.region_layer"), "gemeente");
    cli_assert_close(cj_num(o, "facilities.0.measures.0.population"), 175, 1e-12, "population");
    cli_assert_close(cj_num(o, "facilities.0.measures.0.mean"), 125.0 / 175, 1e-12, "count mean");
    cli_assert_close(cj_num(o, "facilities.0.measures.0.population_none"), 50, 1e-12, "none");
    cli_assert_close(cj_num(o, "facilities.0.measures.3.mean"), 2.5 / 175, 1e-9, "2sfca mean");
    assert_string_equal(cj_str(o, "facilities.0.measures.5.unit"), "min");
    cli_assert_close(cj_num(o, "facilities.0.measures.5.mean"),
                     (100 * 100 + 25 * 50 * sqrt(2.0)) / 125 / 60, 1e-6, "nearest mean");
    cli_assert_close(cj_num(o, "facilities.0.measures.5.population_none"), 50, 1e-12,
                     "nearest none");
    /* nobody covered: no mean */
    assert_true(json_object_is_type(cj_get(o, "facilities.0.measures.7"), json_type_object));
    assert_null(json_object_object_get(cj_get(o, "facilities.0.measures.7"), "mean"));
    cli_assert_close(cj_num(o, "facilities.0.measures.7.population_none"), 175, 1e-12,
                     "balancing none");
    json_object_put(o);
    cli_result_free(&r);
    /* the text summary: the same numbers, the mean with four digits, in
     * columns after the longest name, "nearest_1_crowfly_km (km)" (25) */
    cli_path(out, tmp, "out-text");
    CLI_RUN(&r, tmp, "run", study, "-o", out);
    if (!cli_status_ok(&r, 0))
        fail();
    char line[3][128];
    snprintf(line[0], sizeof(line[0]), "    %-25s %12s %18s\n", "count_2min", "0.7143", "50");
    snprintf(line[1], sizeof(line[1]), "    %-25s %12s %18s\n", "nearest_1_min (min)", "1.569",
             "50");
    snprintf(line[2], sizeof(line[2]), "    %-25s %11s\xe2\x80\x93 %18s\n", "balancing_cost (min)",
             "", "175");
    assert_in_order(r.out, (const char *const[]){"  measures over the gemeente regions:\n", line[0],
                                                 line[1], line[2], NULL});
    cli_result_free(&r);
}

static void test_threads_same_bytes(void **state)
{
    (void)state;
    run_into("out2", "2");
    const char *files[] = {
        "gemeente.csv",   "huisarts_2sfca.tif",   "huisarts_gravity.tif", "huisarts_count_2min.tif",
        "population.tif", "huisarts_gravity.qml", "report.html"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char a[CLI_PATH_MAX], b[CLI_PATH_MAX], d1[CLI_PATH_MAX], d2[CLI_PATH_MAX];
        cli_path(d1, tmp, "out1");
        cli_path(d2, tmp, "out2");
        cli_path(a, d1, files[i]);
        cli_path(b, d2, files[i]);
        if (!cli_same_bytes(a, b))
            fail_msg("%s differs between 1 and 2 threads", files[i]);
    }
}

/* The values of band 1 of tif in row order (at most max), through the
 * XYZ driver with the digits that hold a Float32 exactly; returns how many
 * (NaN for nodata). */
static int grid_values(const char *tif, double *v, int max)
{
    char *text =
        cli_sh_output("gdal_translate -q -of XYZ -co DECIMAL_PRECISION=9 '%s' /vsistdout/", tif);
    int n = 0;
    for (char *line = text; *line && n < max; n++) {
        double x, y;
        char z[64];
        if (sscanf(line, "%lf %lf %63s", &x, &y, z) != 3)
            fail_msg("%s: cannot read '%.40s'", tif, line);
        v[n] = strtod(z, NULL);
        line = strchr(line, '\n');
        if (!line)
            break;
        line++;
    }
    free(text);
    return n;
}

/* On the hybrid fixture (tests/fixtures/hybrid, 10 x 10 cells, two
 * facilities), measures over land and roads against the run's own
 * nearest-facility search, a second method: the nearest and second
 * nearest within the cutoff equal the time grids bit for bit, and a cell
 * counts 1 or 2 facilities within 5 minutes exactly where the nearest
 * (second nearest) takes at most 5 minutes. A count as the crow flies
 * runs as on any medium. */
static void test_hybrid_medium(void **state)
{
    (void)state;
    char dir[CLI_PATH_MAX], study[CLI_PATH_MAX], out[CLI_PATH_MAX], src[CLI_PATH_MAX];
    cli_path(dir, tmp, "hybrid");
    assert_int_equal(mkdir(dir, 0777), 0);
    const char *files[] = {"facilities.geojson", "region.geojson", "roads.geojson", "study.yaml"};
    for (size_t i = 0; i < 4; i++) {
        char from[CLI_PATH_MAX], to[CLI_PATH_MAX];
        snprintf(src, sizeof(src), "%s/tests/fixtures/hybrid", cli_source_dir());
        cli_path(from, src, files[i]);
        cli_path(to, dir, files[i]);
        cli_copy_file(from, to);
    }
    cli_path(study, dir, "study.yaml");
    char *yaml = cli_read_file(study);
    char *with = cli_replace(yaml, "norms: {minutes: [5, 10]}}",
                             "norms: {minutes: [5, 10]}, measures: [{kind: count, crowfly_km: 1}, "
                             "{kind: count, cutoff: 5}, {kind: kth_nearest, k: 1, cutoff: 60}, "
                             "{kind: kth_nearest, k: 2, cutoff: 60}]}");
    cli_write(dir, "measures.yaml", with);
    cli_result r;
    cli_path(study, dir, "measures.yaml");
    cli_path(out, dir, "out");
    CLI_RUN(&r, dir, "run", study, "-o", out);
    if (!cli_status_ok(&r, 0))
        fail();
    cli_result_free(&r);
    const char *names[5] = {"huisarts_time_min.tif", "huisarts_second_time_min.tif",
                            "huisarts_nearest_1_min.tif", "huisarts_nearest_2_min.tif",
                            "huisarts_count_5min.tif"};
    double v[5][100];
    for (int k = 0; k < 5; k++) {
        char tif[CLI_PATH_MAX];
        cli_path(tif, out, names[k]);
        assert_int_equal(grid_values(tif, v[k], 100), 100);
    }
    int reached = 0, both = 0;
    for (int i = 0; i < 100; i++) {
        for (int k = 0; k < 2; k++)
            if (memcmp(&v[k][i], &v[k + 2][i], sizeof(double)) != 0 &&
                !(isnan(v[k][i]) && isnan(v[k + 2][i])))
                fail_msg("cell %d: %s %.9g, %s %.9g", i, names[k], v[k][i], names[k + 2],
                         v[k + 2][i]);
        const double want = (v[0][i] <= 5) + (v[1][i] <= 5);
        if (v[4][i] != want)
            fail_msg("cell %d: %g facilities within 5 min, the time grids say %g", i, v[4][i],
                     want);
        reached += v[0][i] <= 5;
        both += v[1][i] <= 5;
    }
    assert_true(reached > 10 && reached < 100 && both > 0); /* not a trivial case */
    char tif[CLI_PATH_MAX];
    cli_path(tif, out, "huisarts_count_crowfly_1km.tif");
    assert_true(cli_exists(tif));
    free(yaml);
    free(with);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measures_by_hand),   cmocka_unit_test(test_measures_in_the_report),
        cmocka_unit_test(test_measure_styles),     cmocka_unit_test(test_measures_in_the_summaries),
        cmocka_unit_test(test_threads_same_bytes), cmocka_unit_test(test_hybrid_medium),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
