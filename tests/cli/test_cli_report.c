/* report.html and the QGIS styles of `reistijd run`, on a variant of the
 * hand-checked fixture tests/fixtures/small with two facility types and two
 * region layers:
 *   huisarts (norms 1.5 and 4 min) and apotheek (norm 2 min), both from
 *   facilities.geojson, so both have the same times;
 *   gemeente and kern (label woonkern), both from regions.geojson.
 * From the fixture (see tests/cli/test_cli_run.c): cell (5, 15) is 100 s
 * from the facility in cell (5, 5), (5, 35) 300 s, (0, 0) 50 sqrt(2) s.
 * GM0001: 125 persons, mean (100 x 100 + 25 x 50 sqrt(2)) / 125 s, 100
 * persons beyond 1.5 min (80 %), nobody beyond 4 min; GM0002: 50 persons at
 * 300 s, all beyond both norms.
 *
 * The same study with report: {language: nl} gives the Dutch report, and
 * the other outputs unchanged.
 *
 * The last tests open the reports in headless Chromium: no console
 * message, the table script ran, and the screenshot shows the map's
 * colours; one screenshot per language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gdal/cpl_vsi.h>
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

#include "cli/cli_util.h"
#include "svg_text_boxes.h"

#include "cli/cli_map.h" /* after cli_util.h */

static char tmp[CLI_PATH_MAX];
static char out[CLI_PATH_MAX], out_nl[CLI_PATH_MAX];
static char *html, *html_nl; /* report.html of the shared runs, English and Dutch */

static const char study_yaml[] =
    "study:\n"
    "  name: \"Klein & <fijn>\"\n"
    "  cell_size_m: 100\n"
    "  extent_buffer_m: 0\n"
    "  neighbours: 16\n"
    "medium: {type: speed_model, offroad_kmh: 36, land: regions.geojson}\n"
    "facilities:\n"
    "  - type: huisarts\n"
    "    source: {path: facilities.geojson, attribution: \"Huisartsen & co\"}\n"
    "    id_column: ref\n"
    "    name_column: naam\n"
    "    norms: {minutes: [1.5, 4]}\n"
    "  - type: apotheek\n"
    "    source: {path: facilities.geojson, attribution: \"Huisartsen & co\"}\n"
    "    norms: {minutes: 2}\n"
    "population: {kind: points, source: population.geojson, count_column: inwoners}\n"
    "regions:\n"
    "  - {name: gemeente, source: regions.geojson, id_column: code, name_column: naam}\n"
    "  - {name: kern, label: woonkern, source: regions.geojson, id_column: code}\n"
    "  - {name: buurt, source: buurten.geojson, id_column: code, name_column: naam}\n";

/* 101 buurten over the two regions (100000 to 104000, 400000 to 401000):
 * squares of 200 m, 20 across and 5 down, the first cut in two halves of
 * 100 x 200 m; codes BU001 to BU101, names "Buurt 1" to "Buurt 101". */
static void write_buurten(void)
{
    char *text = malloc(64 * 1024);
    assert_non_null(text);
    size_t o = (size_t)snprintf(text, 64 * 1024,
                                "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", "
                                "\"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}, "
                                "\"features\": [");
    int k = 0;
    for (int j = 0; j < 5; j++)
        for (int i = 0; i < 20; i++)
            for (int half = 0; half < (i == 0 && j == 0 ? 2 : 1); half++) {
                double x0 = 100000 + 200 * i + (i == 0 && j == 0 ? 100 * half : 0);
                double x1 = i == 0 && j == 0 ? x0 + 100 : x0 + 200;
                double y0 = 400000 + 200 * j, y1 = y0 + 200;
                k++;
                o += (size_t)snprintf(text + o, 64 * 1024 - o,
                                      "%s{\"type\": \"Feature\", \"properties\": {\"code\": "
                                      "\"BU%03d\", \"naam\": \"Buurt %d\"}, \"geometry\": "
                                      "{\"type\": \"Polygon\", \"coordinates\": [[[%g, %g], "
                                      "[%g, %g], [%g, %g], [%g, %g], [%g, %g]]]}}",
                                      k > 1 ? ", " : "", k, k, x0, y0, x1, y0, x1, y1, x0, y1, x0,
                                      y0);
            }
    snprintf(text + o, 64 * 1024 - o, "]}");
    assert_int_equal(k, 101);
    cli_write(tmp, "buurten.geojson", text);
    free(text);
}

/* Runs study file `name` (text yaml) into tmp/<outname>; its report.html. */
static char *run_study(const char *name, const char *yaml, const char *outname, char *outdir)
{
    cli_write(tmp, name, yaml);
    char study[CLI_PATH_MAX];
    cli_path(study, tmp, name);
    cli_path(outdir, tmp, outname);
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir, "-q");
    int ok = r.status == 0;
    if (!ok)
        fprintf(stderr, "run failed (%d):\n%s%s\n", r.status, r.out, r.err);
    cli_result_free(&r);
    char path[CLI_PATH_MAX];
    cli_path(path, outdir, "report.html");
    return ok ? cli_read_file(path) : NULL;
}

static int group_setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-report");
    cli_copy_small_fixture(tmp);
    write_buurten();
    char nl[sizeof(study_yaml) + 64];
    snprintf(nl, sizeof(nl), "%sreport: {language: nl}\n", study_yaml);
    html = run_study("report.yaml", study_yaml, "out", out);
    html_nl = run_study("report-nl.yaml", nl, "out-nl", out_nl);
    return html && html_nl ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    free(html);
    free(html_nl);
    cli_rmrf(tmp);
    return 0;
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* ---- the HTML ---- */

static void report_is_a_complete_html_document(void **state)
{
    (void)state;
    assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    cli_assert_contains(html, "<meta charset=\"utf-8\">");
    cli_assert_contains(html, "<title>Klein &amp; &lt;fijn&gt;</title>");
    cli_assert_contains(html, "</html>\n");
    static const char *const pairs[][2] = {{"<section ", "</section>"}, {"<table", "</table>"},
                                           {"<figure", "</figure>"},    {"<svg ", "</svg>"},
                                           {"<ul ", "</ul>"},           {"<script>", "</script>"}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (count(html, pairs[i][0]) != count(html, pairs[i][1]))
            fail_msg("%d %s but %d %s", count(html, pairs[i][0]), pairs[i][0],
                     count(html, pairs[i][1]), pairs[i][1]);
}

static void one_map_per_type_and_one_table_per_region_layer_and_type(void **state)
{
    (void)state;
    assert_int_equal(count(html, "<figure class=\"map\">"), 2);
    assert_int_equal(count(html, "<img "), 2);
    cli_assert_contains(html, "<section id=\"type-huisarts\"");
    cli_assert_contains(html, "<section id=\"type-apotheek\"");
    /* per layer one table per type, so that none is wider than the page */
    assert_int_equal(count(html, "<table class=\"sortable\" id=\"table-"), 3 * 2);
    cli_assert_contains(html, "<table class=\"sortable\" id=\"table-gemeente-huisarts\">");
    cli_assert_contains(html, "<table class=\"sortable\" id=\"table-gemeente-apotheek\">");
    cli_assert_contains(html, "<table class=\"sortable\" id=\"table-kern-huisarts\">");
    cli_assert_contains(html, "<table class=\"sortable\" id=\"table-kern-apotheek\">");
    /* kern's label in the words, its name in the anchors and files */
    cli_assert_contains(html, "<h2 id=\"h-regions-kern\">Per woonkern</h2>");
    cli_assert_contains(html, "huisarts per woonkern: population-weighted mean travel time");
    cli_assert_contains(html, "<h2 id=\"h-regions-gemeente\">Per gemeente</h2>");
    assert_null(strstr(html, "per kern"));
    /* a choropleth of the mean and one per norm: (1 + 2) + (1 + 1) per layer */
    assert_int_equal(count(html, "<svg class=\"choro\""), 3 * 5);
    /* the attribution: file names in the order of the inputs (the land, the
     * population, the region layers, the facilities), each once, and the
     * facilities' own text once */
    cli_assert_contains(html, "Data: regions.geojson; population.geojson; buurten.geojson; "
                              "Huisartsen &amp; co.");
}

/* The 101 buurten: maps the width of the page (5 of them, those of
 * buurt), a search field over each of its tables in a scrolling box; the
 * two-region layers neither. On a map of 1000 units for 4000 m a square of
 * 200 m is 50 units wide, and "Buurt 77" at 11 units 8 x 0.65 x 11 = 57.2:
 * its middle third fits. */
static void a_layer_of_many_regions_gets_wide_maps_and_a_search_field(void **state)
{
    (void)state;
    assert_int_equal(count(html, "<figure class=\"big\">"), 5);
    assert_int_equal(count(html, "<input type=\"search\" class=\"filter\""), 2);
    cli_assert_contains(html, "<input type=\"search\" class=\"filter\" "
                              "data-table=\"table-buurt-huisarts\" aria-label=\"Find a buurt by "
                              "code or name\"");
    cli_assert_contains(html, "<div class=\"wide scroll\"><table class=\"sortable\" "
                              "id=\"table-buurt-apotheek\">");
    cli_assert_contains(html, "<div class=\"wide\"><table class=\"sortable\" "
                              "id=\"table-gemeente-huisarts\">");
    cli_assert_contains(html, ">Buurt 77</text>");
    assert_int_equal(count(html, "<use href=\"#r2-names\"/>"), 5);
    cli_assert_contains(html_nl, "aria-label=\"Zoek een buurt op code of naam\"");
}

/* The report opens with the key figures: huisarts, first norm 1.5 min:
 * 100 persons of GM0001 (at 100 s) and the 50 of GM0002 (at 300 s) beyond
 * it, 150 of 175 (85.7 %), the most in Westdorp (100 of its 125, 80.0 %);
 * apotheek, 2 min: GM0002's 50 (28.6 %), all of Oostdorp. */
static void the_report_opens_with_the_key_figures(void **state)
{
    (void)state;
    cli_assert_contains(
        html, "<p class=\"key\">In short:</p>\n<ul class=\"key\"><li>huisarts: 150 inhabitants "
              "(85.7 %) farther than 1.5min from the nearest facility; the most of them in "
              "Westdorp: 100, 80.0 % of the inhabitants there.</li><li>apotheek: 50 inhabitants "
              "(28.6 %) farther than 2min from the nearest facility; the most of them in "
              "Oostdorp: 50, 100.0 % of the inhabitants there.</li></ul>");
    assert_true(strstr(html, "<ul class=\"key\">") < strstr(html, "<table"));
}

/* Each region table ends in a row of its regions together: huisarts over
 * gemeente, 125 + 50 = 175 persons; mean over all, (125 x GM0001's mean
 * + 50 x 300 s) / 175 = (100 x 100 + 25 x 50 sqrt(2) + 15000) / 175 =
 * 152.96 s = 2.5 min; beyond 1.5 min 100 + 50 = 150 (85.7 %), beyond 4 min
 * 50 (28.6 %); the p90 left empty. */
static void region_tables_end_in_their_total(void **state)
{
    (void)state;
    cli_assert_contains(html, "<tfoot><tr><th class=\"t\" scope=\"row\" colspan=\"2\">All "
                              "regions</th><td data-v=\"175\">175</td><td data-v=\"2.5493");
    cli_assert_contains(html, "\">2.5</td><td></td><td class=\"beyond\" data-v=\"85.71428571\">"
                              "85.7 %</td><td data-v=\"150\">150</td><td class=\"beyond\" "
                              "data-v=\"28.57142857\">28.6 %</td><td data-v=\"50\">50</td></tr>"
                              "</tfoot>");
    cli_assert_contains(html_nl, "<th class=\"t\" scope=\"row\" colspan=\"2\">Alle "
                                 "gebieden</th>");
}

/* Of the two points of facilities.geojson, H1 "Centrum" lies in the grid
 * (cell (5, 5)) and H9 "Ver weg" near Utrecht, far outside it. The grid is
 * the bounding box of the regions (extent_buffer_m 0). */
static void the_facilities_used_and_left_out_are_named(void **state)
{
    (void)state;
    /* over the map: its hover text and its name */
    cli_assert_contains(html, "<title>Centrum (H1)</title></circle>");
    cli_assert_contains(html, ">Centrum</text>");
    assert_null(strstr(html, "Ver weg</text>"));
    /* the sentence and the tables */
    cli_assert_contains(html, "<p>Used: 1 of the 2 facilities. Left out because they lie outside "
                              "the study extent (the bounding box of the regions): 1.</p>");
    cli_assert_contains(html, "<tr><td class=\"t\">Centrum</td><td class=\"t\">H1</td>"
                              "<td class=\"t\">yes</td></tr>");
    cli_assert_contains(html, "<div class=\"wide\"><table class=\"sortable\" "
                              "id=\"facilities-huisarts-used\">");
    cli_assert_contains(html, "<summary>Facilities left out (1)</summary>\n<div class=\"wide\">"
                              "<table class=\"sortable\" id=\"facilities-huisarts-left-out\">");
    cli_assert_contains(html, "<tr><td class=\"t\">Ver weg</td><td class=\"t\">H9</td>"
                              "<td class=\"t\">no: outside the study extent</td></tr>");
    /* apotheek has no name column: the feature ids */
    cli_assert_contains(html, "<tr><td class=\"t\">1</td><td class=\"t\">no: outside the study "
                              "extent</td></tr>");
    cli_assert_contains(html_nl, "<p>Meegeteld: 1 van de 2 locaties. Niet meegeteld omdat ze "
                                 "buiten het studiegebied liggen (de kleinste rechthoek om alle "
                                 "gebieden): 1.</p>");
    cli_assert_contains(html_nl, "<td class=\"t\">nee: buiten het studiegebied</td>");
}

/* The maps name the regions whose borders they draw (the first layer's,
 * gemeente: Westdorp and Oostdorp, each 400 x 200 px of the 800 px map,
 * room enough), after the facilities, in a group of their own; no text
 * meets another (svg_texts_never_meet). */
static void maps_name_their_regions(void **state)
{
    (void)state;
    const char *fig = strstr(html, "<figure class=\"map\">");
    assert_non_null(fig);
    const char *end = strstr(fig, "</figure>");
    const char *names = strstr(fig, "<g class=\"names\">");
    assert_true(names && names < end);
    const char *names_end = strstr(names, "</g>");
    const char *w = strstr(names, ">Westdorp</text>"), *o = strstr(names, ">Oostdorp</text>");
    if (!w || !o || w > names_end || o > names_end)
        fail_msg("region names on the map: %.300s", names);
    assert_true(strstr(fig, "<g class=\"lab\">") < names); /* the facilities' names first */
}

/* No two texts of an SVG meet (tests/svg_text_boxes.h), in either
 * language. */
static void svg_texts_never_meet(void **state)
{
    (void)state;
    int overlaps;
    assert_true(svg_text_overlaps(html, &overlaps) > 20);
    assert_int_equal(overlaps, 0);
    assert_true(svg_text_overlaps(html_nl, &overlaps) > 20);
    assert_int_equal(overlaps, 0);
    /* the check itself: "&gt;90" and "none" 23 px apart at 11 px meet
     * (widths 3 x 6.6 and 4 x 6.6: 9.9 + 13.2 > 23) */
    static const char two[] = "<svg><text x=\"549.6\" y=\"250\" class=\"ax\" "
                              "text-anchor=\"middle\">&gt;90</text><text x=\"572.5\" y=\"250\" "
                              "class=\"ax\" text-anchor=\"middle\">none</text></svg>";
    assert_int_equal(svg_text_overlaps(two, &overlaps), 2);
    assert_int_equal(overlaps, 1);
}

static void every_image_is_embedded_and_nothing_is_fetched(void **state)
{
    (void)state;
    for (const char *p = strstr(html, "<img "); p; p = strstr(p + 1, "<img ")) {
        const char *end = strchr(p, '>');
        const char *src = strstr(p, " src=\"");
        const char *alt = strstr(p, " alt=\"");
        assert_true(src && src < end && alt && alt < end);
        assert_true(strncmp(src + 6, "data:image/png;base64,", 22) == 0);
        assert_true(alt[6] != '"'); /* not empty */
    }
    /* links go to anchors of the page itself */
    for (const char *p = strstr(html, "href=\""); p; p = strstr(p + 1, "href=\""))
        if (p[6] != '#')
            fail_msg("link to something else than the page: %.60s", p);
    assert_null(strstr(html, "http:"));
    assert_null(strstr(html, "https:"));
    assert_null(strstr(html, "src=\"//"));
    assert_null(strstr(html, "url("));
}

/* The data-v value of the n-th cell (0-based) of the row of region `id` in table `table`. */
static double table_value_in(const char *page, const char *table, const char *id, int n)
{
    char head[128], row[64];
    snprintf(head, sizeof(head), "id=\"table-%s\"", table);
    snprintf(row, sizeof(row), "<tr><td class=\"t\">%s</td>", id);
    const char *t = strstr(page, head);
    assert_non_null(t);
    const char *r = strstr(t, row);
    assert_non_null(r);
    const char *p = r;
    for (int i = 0; i <= n; i++) {
        p = strstr(p + 1, "data-v=\"");
        assert_non_null(p);
    }
    return p[8] == '"' ? NAN : strtod(p + 8, NULL);
}

static double table_value(const char *table, const char *id, int n)
{
    return table_value_in(html, table, id, n);
}

static void tables_hold_hand_computed_statistics(void **state)
{
    (void)state;
    const double mean1 = (100 * 100 + 25 * 50 * sqrt(2.0)) / 125 / 60; /* minutes */
    /* one table per layer and type; gemeente has a name column: code, name,
     * then population, mean, p90, and per norm the share and the number
     * beyond it (huisarts >1.5min and >4min, apotheek >2min); data-v starts at
     * population */
    cli_assert_close(table_value("gemeente-huisarts", "GM0001", 0), 125, 1e-12,
                     "GM0001 population");
    cli_assert_close(table_value("gemeente-huisarts", "GM0001", 1), mean1, 1e-6,
                     "GM0001 mean"); /* friction 0.1 s/m is a float */
    cli_assert_close(table_value("gemeente-huisarts", "GM0001", 3), 80, 1e-9, "GM0001 >1.5min");
    cli_assert_close(table_value("gemeente-huisarts", "GM0001", 4), 100, 1e-9,
                     "GM0001 >1.5min people");
    assert_true(table_value("gemeente-huisarts", "GM0001", 5) == 0);
    assert_true(table_value("gemeente-huisarts", "GM0001", 6) == 0);
    cli_assert_close(table_value("gemeente-huisarts", "GM0002", 1), 5, 1e-6, "GM0002 mean");
    cli_assert_close(table_value("gemeente-apotheek", "GM0002", 0), 50, 1e-12, "GM0002 population");
    cli_assert_close(table_value("gemeente-apotheek", "GM0002", 3), 100, 1e-9, "GM0002 >2min");
    cli_assert_close(table_value("gemeente-apotheek", "GM0002", 4), 50, 1e-9,
                     "GM0002 >2min people");
    cli_assert_close(table_value("kern-huisarts", "GM0002", 5), 100, 1e-9, "kern GM0002 >4min");
    /* compliance is marked: beyond the norm for some, within it for all */
    cli_assert_contains(html, "<td class=\"beyond\" data-v=\"80\">80.0 %</td>");
    cli_assert_contains(html, "<td class=\"within\" data-v=\"0\">0.0 %</td>");
    /* the overview: of 175 persons, 100 + 50 beyond 1.5 min, 50 beyond 4 min */
    cli_assert_contains(html, "<td class=\"t\">1.5&nbsp;min</td><td>14.3 %</td><td>150</td>");
    cli_assert_contains(html, "<td class=\"t\">4&nbsp;min</td><td>71.4 %</td><td>50</td>");
}

/* ---- the Dutch report ---- */

static void dutch_report_has_dutch_words_and_numbers(void **state)
{
    (void)state;
    assert_true(strncmp(html_nl, "<!DOCTYPE html>\n<html lang=\"nl\">", 32) == 0);
    cli_assert_contains(html_nl, "<h2 id=\"h-overview\">Overzicht</h2>");
    cli_assert_contains(html_nl, "<h2 id=\"h-type-huisarts\">Reistijd tot de dichtstbijzijnde "
                                 "voorziening: huisarts</h2>");
    cli_assert_contains(html_nl, "<h2 id=\"h-regions-gemeente\">Per gemeente</h2>");
    cli_assert_contains(html_nl, "Inwoners op het raster: 175.");
    cli_assert_contains(html_nl, "<td class=\"t\">1,5&nbsp;min</td><td>14,3 %</td><td>150</td>");
    cli_assert_contains(html_nl, "<td class=\"beyond\" data-v=\"80\">80,0 %</td>"
                                 "<td data-v=\"100\">100</td>");
    cli_assert_contains(html_nl, "<th scope=\"col\">&gt;1,5 min<br>inwoners</th>");
    cli_assert_contains(html_nl, "(100 inwoners buiten 1,5 min)</title>");
    /* the same numbers as the English report, in the same places */
    for (int n = 0; n <= 6; n++) {
        const char *table = n <= 4 ? "gemeente-apotheek" : "gemeente-huisarts";
        double en = table_value_in(html, table, "GM0001", n);
        double nl = table_value_in(html_nl, table, "GM0001", n);
        if (!(en == nl || (isnan(en) && isnan(nl))))
            fail_msg("cell %d of %s: %g in English, %g in Dutch", n, table, en, nl);
    }
}

/* The text of a .qml without its labels and title: what QGIS draws. */
static void drop_labels(char *q)
{
    static const char *const keys[] = {" label=\"", "<layerTitle>"};
    for (int k = 0; k < 2; k++)
        for (char *p = strstr(q, keys[k]); p; p = strstr(p, keys[k])) {
            char *end = strstr(p + strlen(keys[k]), k == 0 ? "\"" : "</layerTitle>");
            assert_non_null(end);
            end += k == 0 ? 1 : strlen("</layerTitle>");
            memmove(p, end, strlen(end) + 1);
        }
}

/* The language changes report.html and the labels of the styles only:
 * the tables are the same, and so are the values and colours of the
 * styles. Huisarts's norms 1.5 and 4 min give the classes 1, 1.5, 2, 3, 4,
 * 5 and 10 min (docs/outputs.md), so a label "1\xe2\x80\x93" "1.5 min" in
 * English and "1\xe2\x80\x93" "1,5 min" in Dutch. */
static void other_outputs_do_not_depend_on_the_language(void **state)
{
    (void)state;
    static const char *const files[] = {"gemeente.csv", "kern.csv", "huisarts_time_min.qml"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char a[CLI_PATH_MAX], b[CLI_PATH_MAX];
        cli_path(a, out, files[i]);
        cli_path(b, out_nl, files[i]);
        char *ta = cli_read_file(a), *tb = cli_read_file(b);
        assert_non_null(ta);
        assert_non_null(tb);
        if (strstr(files[i], ".qml")) {
            cli_assert_contains(ta, "<layerTitle>huisarts: travel time (min)</layerTitle>");
            cli_assert_contains(tb, "<layerTitle>huisarts: reistijd (min)</layerTitle>");
            cli_assert_contains(ta, "label=\"1\xe2\x80\x93"
                                    "1.5 min\"");
            cli_assert_contains(tb, "label=\"1\xe2\x80\x93"
                                    "1,5 min\"");
            drop_labels(ta);
            drop_labels(tb);
        }
        if (strcmp(ta, tb) != 0)
            fail_msg("%s differs between the English and the Dutch run", files[i]);
        free(ta);
        free(tb);
    }
}

/* ---- the map image ---- */

static void map_pixels_have_the_class_colours(void **state)
{
    (void)state;
    /* 40 x 10 cells drawn at 800 / 40 = 20 pixels per cell */
    int w, h;
    uint8_t *rgba = cli_report_map(html, "<section id=\"type-huisarts\"", &w, &h);
    assert_int_equal(w, 800);
    assert_int_equal(h, 200);
    /* Classes of huisarts: 1, 1.5, 2, 3, 4, 5, 10 min and above (norms 1.5 and
     * 4, the reach 8: 10, 5, 3, 2, 1), class k coloured viridis(1 - k/7),
     * linear between the anchors at t = j/8.
     * (0, 0), 50 sqrt 2 s = 1.18 min: class 1, t = 6/7, between #5dc863 and
     *   #aadc32 at f = 6/7: 93 + 77 f = 159, 200 + 20 f = 217.1, 99 - 49 f = 57.
     * (5, 15), 100 s = 1.67 min: class 2, t = 5/7, between #27ad81 and #5dc863
     *   at f = 5/7: 39 + 54 f = 77.6, 173 + 27 f = 192.3, 129 - 30 f = 107.6.
     * (5, 35), 300 s = 5 min: class 5, t = 2/7, between #3b528b and #2c728e at
     *   f = 2/7: 59 - 15 f = 54.7, 82 + 32 f = 91.1, 139 + 3 f = 139.9.
     * A cell's centre pixel is (20 row + 10, 20 col + 10). */
    cli_px_near(rgba, w, 10, 10, 159, 217, 57, "cell (0, 0)");
    cli_px_near(rgba, w, 110, 310, 78, 192, 108, "cell (5, 15)");
    cli_px_near(rgba, w, 110, 710, 55, 91, 140, "cell (5, 35)");
    /* the facility in cell (5, 5): a white marker in a black ring */
    cli_px_near(rgba, w, 110, 110, 255, 255, 255, "facility marker");
    cli_px_near(rgba, w, 110, 113, 0, 0, 0, "marker ring");
    free(rgba);
}

/* ---- QGIS styles ---- */

static void qml_files_parse_and_carry_the_class_breaks(void **state)
{
    (void)state;
    if (!cli_have("xmllint"))
        skip();
    assert_int_equal(cli_sh("xmllint --noout '%s'/*.qml", out), 0);
    /* huisarts: the norms 1.5, 4 and the reach 8: 10, 5, 3, 2, 1; apotheek:
     * the norm 2, the reach 4: 5, 3, 1, 0.5 (docs/outputs.md) */
    static const char *const want[2][9] = {
        {"huisarts_time_min.qml", "1", "1.5", "2", "3", "4", "5", "10", "inf"},
        {"apotheek_time_min.qml", "0.5", "1", "2", "3", "5", "inf", NULL}};
    for (int f = 0; f < 2; f++) {
        char path[CLI_PATH_MAX], item[64];
        cli_path(path, out, want[f][0]);
        char *q = cli_read_file(path);
        assert_non_null(q);
        cli_assert_contains(q, "<rasterrenderer type=\"singlebandpseudocolor\"");
        cli_assert_contains(q, "colorRampType=\"DISCRETE\"");
        const char *p = q;
        int k = 1;
        for (; k < 9 && want[f][k]; k++) {
            snprintf(item, sizeof(item), "<item alpha=\"255\" value=\"%s\"", want[f][k]);
            p = strstr(p, item);
            if (!p)
                fail_msg("%s: %s missing or out of order", want[f][0], item);
            p++;
        }
        assert_int_equal(count(q, "<item "), k - 1);
        free(q);
    }
    /* the report's legends have the same breaks, each type in its section */
    static const char *const legend[2][9] = {{"id=\"h-type-huisarts\"", "up to 1 min</li>",
                                              "1\xe2\x80\x93"
                                              "1.5 min (the 1.5 min norm)</li>",
                                              "1.5\xe2\x80\x93"
                                              "2 min</li>",
                                              "2\xe2\x80\x93"
                                              "3 min</li>",
                                              "3\xe2\x80\x93"
                                              "4 min (the 4 min norm)</li>",
                                              "4\xe2\x80\x93"
                                              "5 min</li>",
                                              "5\xe2\x80\x93"
                                              "10 min</li>",
                                              "over 10 min</li>"},
                                             {"id=\"h-type-apotheek\"", "up to 0.5 min</li>",
                                              "0.5\xe2\x80\x93"
                                              "1 min</li>",
                                              "1\xe2\x80\x93"
                                              "2 min (the 2 min norm)</li>",
                                              "2\xe2\x80\x93"
                                              "3 min</li>",
                                              "3\xe2\x80\x93"
                                              "5 min</li>",
                                              "over 5 min</li>", NULL}};
    for (int f = 0; f < 2; f++) {
        const char *p = html;
        for (int k = 0; k < 9 && legend[f][k]; k++) {
            p = strstr(p, legend[f][k]);
            if (!p)
                fail_msg("report.html: %s missing or out of order", legend[f][k]);
        }
    }
    /* second-nearest times use the same classes as the nearest */
    char a[CLI_PATH_MAX], b[CLI_PATH_MAX];
    cli_path(a, out, "huisarts_time_min.qml");
    cli_path(b, out, "huisarts_second_time_min.qml");
    assert_true(cli_same_bytes(a, b));
}

static void geopackage_styles_are_defaults_qgis_loads(void **state)
{
    (void)state;
    char path[CLI_PATH_MAX];
    cli_path(path, out, "reistijd.gpkg");
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "layer_styles");
    assert_non_null(lyr);
    /* per region layer (gemeente, kern, buurt) 5 styles (huisarts mean, >1.5, >4;
     * apotheek mean, >2), one per facility layer, and one per isochrones and
     * catchments layer (both types have norms in minutes) */
    assert_int_equal(OGR_L_GetFeatureCount(lyr, TRUE), 3 * 5 + 2 + 2 * 2);
    static const char *const layers[6] = {"gemeente",
                                          "kern",
                                          "facilities_huisarts",
                                          "facilities_apotheek",
                                          "isochrones_huisarts",
                                          "catchments_huisarts"};
    static const char *const attr[6] = {"attr=\"huisarts_mean_min\"",
                                        "attr=\"huisarts_mean_min\"",
                                        "attr=\"status\"",
                                        "attr=\"status\"",
                                        "attr=\"threshold_min\"",
                                        "attr=\"time_mean_min\""};
    for (int i = 0; i < 6; i++) {
        char where[160];
        snprintf(where, sizeof(where), "f_table_name = '%s' AND useAsDefault = 1", layers[i]);
        OGR_L_SetAttributeFilter(lyr, where);
        assert_int_equal(OGR_L_GetFeatureCount(lyr, TRUE), 1);
        OGR_L_ResetReading(lyr);
        OGRFeatureH f = OGR_L_GetNextFeature(lyr);
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
        const char *qml = OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "styleQML"));
        cli_assert_contains(qml, attr[i]);
        if (i != 2 && i != 3) { /* in the classes of the huisarts map */
            cli_assert_contains(qml, "<range lower=\"4\" upper=\"5\" symbol=\"5\"");
            cli_assert_contains(qml, "<range lower=\"5\" upper=\"10\" symbol=\"6\"");
        }
        assert_string_equal(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "f_geometry_column")),
                            "geom");
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
}

/* ---- the browser ---- */

/* Pixels of the screenshot within 6 per channel of (r, g, b). */
static long pixels_near(const uint8_t *rgb, long n, int r, int g, int b)
{
    long k = 0;
    for (long i = 0; i < n; i++)
        k += abs(rgb[3 * i] - r) <= 6 && abs(rgb[3 * i + 1] - g) <= 6 &&
             abs(rgb[3 * i + 2] - b) <= 6;
    return k;
}

/* Opens <outdir>/report.html in headless Chromium; its screenshot goes to
 * tmp/<shot_name>. */
static void chromium_renders(const char *outdir, const char *shot_name)
{
    const char *exe = cli_have("chromium") ? "chromium" : NULL;
    if (!exe) {
        print_message("chromium is not installed (scripts/install-deps.sh installs it): skipped\n");
        skip();
    }
    char report[CLI_PATH_MAX], shot[CLI_PATH_MAX], err[CLI_PATH_MAX], dom[CLI_PATH_MAX],
        prof[CLI_PATH_MAX];
    cli_path(report, outdir, "report.html");
    cli_path(shot, tmp, shot_name);
    cli_path(err, tmp, "chromium.txt");
    cli_path(dom, tmp, "dom.html");
    cli_path(prof, tmp, "profile");
    const char *flags = "--headless --disable-gpu --no-sandbox --no-first-run --disable-extensions "
                        "--hide-scrollbars --enable-logging=stderr --v=0";
    assert_int_equal(cli_sh("timeout 120 %s %s --user-data-dir='%s' --window-size=1000,1400 "
                            "--screenshot='%s' 'file://%s' > /dev/null 2> '%s'",
                            exe, flags, prof, shot, report, err),
                     0);
    assert_int_equal(cli_sh("timeout 120 %s %s --user-data-dir='%s' --dump-dom 'file://%s' > '%s' "
                            "2>> '%s'",
                            exe, flags, prof, report, dom, err),
                     0);
    /* the page logs nothing: any console message (an error, an uncaught
     * exception) shows as a CONSOLE line */
    char *log = cli_read_file(err);
    assert_non_null(log);
    if (strstr(log, ":CONSOLE"))
        fail_msg("console messages:\n%s", strstr(log, ":CONSOLE"));
    free(log);
    /* the table script ran to its end on every table: the six of the
     * regions, and per type the facility used and the one left out */
    char *d = cli_read_file(dom);
    assert_non_null(d);
    assert_int_equal(count(d, "data-sortable=\"ready\""), 6 + 2 + 2);
    free(d);
    /* the screenshot: not blank, and the map's class colours are there
     * (classes 0, 1 and 2 of huisarts: #fde725, (159, 217, 57), (78, 192, 108)) */
    GDALAllRegister();
    GDALDatasetH ds = GDALOpen(shot, GA_ReadOnly);
    assert_non_null(ds);
    int w = GDALGetRasterXSize(ds), h = GDALGetRasterYSize(ds);
    assert_int_equal(w, 1000);
    assert_int_equal(h, 1400);
    long n = (long)w * h;
    uint8_t *rgb = malloc((size_t)n * 3);
    assert_non_null(rgb);
    int bands[3] = {1, 2, 3};
    assert_int_equal(GDALDatasetRasterIO(ds, GF_Read, 0, 0, w, h, rgb, w, h, GDT_Byte, 3, bands, 3,
                                         (GSpacing)3 * w, 1),
                     CE_None);
    GDALClose(ds);
    long white = pixels_near(rgb, n, 255, 255, 255);
    assert_true(white < n * 98 / 100);
    long c0 = pixels_near(rgb, n, 0xfd, 0xe7, 0x25);
    long c1 = pixels_near(rgb, n, 159, 217, 57);
    long c2 = pixels_near(rgb, n, 78, 192, 108);
    if (c0 < 500 || c1 < 500 || c2 < 500)
        fail_msg("ramp colours in the screenshot: %ld, %ld, %ld pixels", c0, c1, c2);
    free(rgb);
}

static void chromium_renders_the_report(void **state)
{
    (void)state;
    chromium_renders(out, "shot.png");
}

static void chromium_renders_the_dutch_report(void **state)
{
    (void)state;
    chromium_renders(out_nl, "shot-nl.png");
}

/* The lines of pdftotext's text that begin a table row of buurt k: its
 * code, spaces, its name ("BU007   Buurt 7" and not "Buurt 70"). */
static int table_rows(const char *text, int k)
{
    char code[16], name[16];
    snprintf(code, sizeof(code), "BU%03d", k);
    snprintf(name, sizeof(name), "Buurt %d", k);
    int n = 0;
    for (const char *p = strstr(text, code); p; p = strstr(p + 1, code)) {
        const char *q = p + strlen(code);
        while (*q == ' ')
            q++;
        n += q > p + strlen(code) && strncmp(q, name, strlen(name)) == 0 &&
             !(q[strlen(name)] >= '0' && q[strlen(name)] <= '9');
    }
    return n;
}

/* Printed (Chromium's PDF of the page, read back with pdftotext): every
 * row of buurt's two long tables (huisarts and apotheek), which the
 * screen shows in a scrolling box of about 25 rows and which, printed as
 * on screen, spill over the page in pieces: each of the 101 buurten
 * begins two rows, its code and name side by side. */
static void chromium_prints_every_row(void **state)
{
    (void)state;
    if (!cli_have("chromium") || !cli_have("pdftotext")) {
        print_message("chromium or pdftotext is not installed (scripts/install-deps.sh installs "
                      "them): skipped\n");
        skip();
    }
    char report[CLI_PATH_MAX], pdf[CLI_PATH_MAX], txt[CLI_PATH_MAX], err[CLI_PATH_MAX],
        prof[CLI_PATH_MAX];
    cli_path(report, out, "report.html");
    cli_path(pdf, tmp, "print.pdf");
    cli_path(txt, tmp, "print.txt");
    cli_path(err, tmp, "print-chromium.txt");
    cli_path(prof, tmp, "profile");
    assert_int_equal(cli_sh("timeout 120 chromium --headless --disable-gpu --no-sandbox "
                            "--no-first-run --disable-extensions --user-data-dir='%s' "
                            "--no-pdf-header-footer --print-to-pdf='%s' 'file://%s' > /dev/null "
                            "2> '%s'",
                            prof, pdf, report, err),
                     0);
    assert_int_equal(cli_sh("pdftotext -layout '%s' '%s'", pdf, txt), 0);
    char *t = cli_read_file(txt);
    assert_non_null(t);
    for (int k = 1; k <= 101; k++)
        if (table_rows(t, k) < 2)
            fail_msg("the printed report has %d rows of BU%03d (Buurt %d), not 2: a table cut "
                     "off or overlaid on paper",
                     table_rows(t, k), k, k);
    free(t);
}

/* A copy of the report with `script` at the end of its body, as
 * tmp/<name>.html, opened in headless Chromium: the page as its scripts
 * left it (the caller frees it). The page logs nothing. */
static char *chromium_dom_with(const char *script, const char *name)
{
    const char *end = strstr(html, "</body>");
    assert_non_null(end);
    size_t n = (size_t)(end - html), ns = strlen(script);
    char *page = malloc(n + ns + 32);
    assert_non_null(page);
    memcpy(page, html, n);
    snprintf(page + n, ns + 32, "%s</body>\n</html>\n", script);
    char base[64], file[CLI_PATH_MAX], dom[CLI_PATH_MAX], err[CLI_PATH_MAX], prof[CLI_PATH_MAX];
    snprintf(base, sizeof(base), "%s.html", name);
    cli_write(tmp, base, page);
    free(page);
    cli_path(file, tmp, base);
    snprintf(base, sizeof(base), "%s-dom.html", name);
    cli_path(dom, tmp, base);
    snprintf(base, sizeof(base), "%s-chromium.txt", name);
    cli_path(err, tmp, base);
    cli_path(prof, tmp, "profile");
    assert_int_equal(cli_sh("timeout 120 chromium --headless --disable-gpu --no-sandbox "
                            "--no-first-run --disable-extensions --enable-logging=stderr --v=0 "
                            "--user-data-dir='%s' --dump-dom 'file://%s' > '%s' 2> '%s'",
                            prof, file, dom, err),
                     0);
    char *log = cli_read_file(err), *d = cli_read_file(dom);
    assert_non_null(log);
    assert_non_null(d);
    if (strstr(log, ":CONSOLE"))
        fail_msg("console messages:\n%s", strstr(log, ":CONSOLE"));
    free(log);
    return d;
}

/* The search field of a long table: a copy of the report with a script at
 * its end that types "buurt 10" into the field over buurt's huisarts
 * table. Of its 101 rows the codes and names of "Buurt 10", "Buurt 100"
 * and "Buurt 101" hold the text (case does not matter), so 98 are hidden;
 * the other tables keep every row. */
static void chromium_searches_a_long_table(void **state)
{
    (void)state;
    if (!cli_have("chromium")) {
        print_message("chromium is not installed (scripts/install-deps.sh installs it): skipped\n");
        skip();
    }
    static const char typing[] =
        "<script>var f=document.querySelector('input[data-table=\"table-buurt-huisarts\"]');"
        "f.value='buurt 10';f.dispatchEvent(new Event('input'));</script>\n";
    char *d = chromium_dom_with(typing, "search");
    const char *t = strstr(d, "id=\"table-buurt-huisarts\"");
    assert_non_null(t);
    const char *t_end = strstr(t, "</table>");
    int hidden = 0, hidden_all = count(d, "<tr hidden=");
    for (const char *p = strstr(t, "<tr hidden="); p && p < t_end; p = strstr(p + 1, "<tr hidden="))
        hidden++;
    assert_int_equal(hidden, 98);
    assert_int_equal(hidden_all, 98);
    free(d);
}

/* Sorting: a copy of the report with a script at its end that clicks
 * headings of buurt's huisarts table and writes, into the page, whether
 * the rows then stand in the order clicked for: the code column (text)
 * ascending after one click and descending after the second, the
 * population column (numbers) the same by the cells' values. */
static void chromium_sorts_a_table_both_ways(void **state)
{
    (void)state;
    if (!cli_have("chromium")) {
        print_message("chromium is not installed (scripts/install-deps.sh installs it): skipped\n");
        skip();
    }
    static const char clicking[] =
        "<script>(function(){var t=document.getElementById('table-buurt-huisarts');"
        "var th=t.tHead.rows[0].cells,out=[];"
        "function col(i){return Array.prototype.map.call(t.tBodies[0].rows,function(r){"
        "var c=r.cells[i],v=c.getAttribute('data-v');return v===null?c.textContent:"
        "parseFloat(v);});}"
        "function ordered(a,dir){for(var k=1;k<a.length;k++){var c=typeof a[k]==='number'?"
        "a[k]-a[k-1]:String(a[k]).localeCompare(String(a[k-1]));if(c*dir<0)return false;}"
        "return true;}"
        "[[0,'code'],[2,'population']].forEach(function(p){"
        "th[p[0]].click();out.push(p[1]+(ordered(col(p[0]),1)?' up':' NOT up'));"
        "th[p[0]].click();out.push(p[1]+(ordered(col(p[0]),-1)?' down':' NOT down'));});"
        "var e=document.createElement('pre');e.id='sorted';e.textContent=out.join(', ');"
        "document.body.appendChild(e);})();</script>\n";
    char *d = chromium_dom_with(clicking, "sort");
    const char *got = strstr(d, "<pre id=\"sorted\">");
    assert_non_null(got);
    static const char want[] = "<pre id=\"sorted\">code up, code down, population up, "
                               "population down</pre>";
    if (strncmp(got, want, strlen(want)) != 0)
        fail_msg("after the clicks: %.100s", got);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_is_a_complete_html_document),
        cmocka_unit_test(one_map_per_type_and_one_table_per_region_layer_and_type),
        cmocka_unit_test(the_report_opens_with_the_key_figures),
        cmocka_unit_test(region_tables_end_in_their_total),
        cmocka_unit_test(the_facilities_used_and_left_out_are_named),
        cmocka_unit_test(a_layer_of_many_regions_gets_wide_maps_and_a_search_field),
        cmocka_unit_test(maps_name_their_regions),
        cmocka_unit_test(svg_texts_never_meet),
        cmocka_unit_test(every_image_is_embedded_and_nothing_is_fetched),
        cmocka_unit_test(tables_hold_hand_computed_statistics),
        cmocka_unit_test(map_pixels_have_the_class_colours),
        cmocka_unit_test(qml_files_parse_and_carry_the_class_breaks),
        cmocka_unit_test(geopackage_styles_are_defaults_qgis_loads),
        cmocka_unit_test(dutch_report_has_dutch_words_and_numbers),
        cmocka_unit_test(other_outputs_do_not_depend_on_the_language),
        cmocka_unit_test(chromium_renders_the_report),
        cmocka_unit_test(chromium_renders_the_dutch_report),
        cmocka_unit_test(chromium_searches_a_long_table),
        cmocka_unit_test(chromium_prints_every_row),
        cmocka_unit_test(chromium_sorts_a_table_both_ways),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
