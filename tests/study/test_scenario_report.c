/* The delta maps of the report's section on scenarios, end to end on a
 * hand-worked row of eight cells: a cell made faster, one slower, one
 * impassable (it becomes unreachable), an added facility beyond water (two
 * cells become reachable) and a closed facility; the map's pixels in the
 * colours of the delta grid's .qml (ColorBrewer RdBu) and of their own,
 * the legend in English and Dutch, the sentence with the people who
 * became unreachable and reachable in the first region layer (weighed by
 * the scenario's population), the facilities over the map; allocation
 * failures with a report. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "cli/cli_map.h"    /* the map images of report.html */
#include "run_alloc_fail.h" /* after study_fixture.h */
#include "test_common.h"

#define BOX(x0, x1)                                                                                \
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"" #x0 "\"}, \"geometry\": {\"type\": "   \
    "\"Polygon\", \"coordinates\": [[[" #x0 ", 0], [" #x1 ", 0], [" #x1 ", 100], [" #x0            \
    ", 100], [" #x0 ", 0]]]}}"
#define LAYER(features)                                                                            \
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [" features "]}"
#define POINT(props, x)                                                                            \
    "{\"type\": \"Feature\", \"properties\": {" props "}, \"geometry\": {\"type\": \"Point\", "    \
    "\"coordinates\": [" #x ", 50]}}"

/* A row of eight cells of 100 m (x 0 to 800) at 0.36 km/h = 10 s/m: a
 * step of 100 m takes 1000 s. Land over cells 0-4 and 6-7: cell 5 is
 * water (without people, who would make it land), and 6-7 an island.
 * Facilities A and C in cell 0, B in cell 4. Regions of the first layer:
 * W (cells 0-3) and E (cells 4-6); cell 7 lies in no region. 1, 2, 4, 8,
 * 16, 0, 64 and 128 persons in cells 0 to 7. */
static const char study_head[] =
    "study: {cell_size_m: 100, extent: [0, 0, 800, 100], neighbours: 8}\n"
    "medium: {type: speed_model, offroad_kmh: 0.36, land: land.geojson}\n"
    "facilities:\n"
    "  - type: huisarts\n"
    "    source: facility.geojson\n"
    "    id_column: ref\n"
    "    norms: {minutes: [20, 40]}\n"
    "population: {kind: points, source: pop.geojson, count_column: n}\n"
    "regions:\n"
    "  - {name: gemeente, label: gemeente & co, source: region.geojson, id_column: code}\n";

/* Cell 1 at 0.72 km/h (5 s/m), cell 2 impassable, cell 3 at 0.18 km/h
 * (20 s/m), N added in cell 7, C closed. */
static const char plan[] = "scenarios:\n"
                           "  - name: plan\n"
                           "    changes:\n"
                           "      - {patch: cell1.geojson, speed_kmh: 0.72}\n"
                           "      - {patch: cell2.geojson, impassable: true}\n"
                           "      - {patch: cell3.geojson, speed_kmh: 0.18}\n"
                           "      - {facilities: huisarts, add: new.geojson}\n"
                           "      - {facilities: huisarts, close: [C]}\n";

/* clang-format off */
static const char pop_json[] = LAYER(
    POINT("\"n\": 1", 50) "," POINT("\"n\": 2", 150) "," POINT("\"n\": 4", 250) ","
    POINT("\"n\": 8", 350) "," POINT("\"n\": 16", 450) ","
    POINT("\"n\": 64", 650) "," POINT("\"n\": 128", 750));
/* clang-format on */

static int setup(void **state)
{
    fixture_mkdir("rt-scenario-report");
    write_text("land.geojson", LAYER(BOX(0, 500) "," BOX(600, 800)));
    write_text("region.geojson",
               "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
               "{\"type\": \"Feature\", \"properties\": {\"code\": \"W\"}, \"geometry\": "
               "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [400, 0], [400, 100], [0, "
               "100], [0, 0]]]}},"
               "{\"type\": \"Feature\", \"properties\": {\"code\": \"E\"}, \"geometry\": "
               "{\"type\": \"Polygon\", \"coordinates\": [[[400, 0], [700, 0], [700, 100], [400, "
               "100], [400, 0]]]}}]}");
    write_text("facility.geojson", LAYER(POINT("\"ref\": \"A\"", 50) "," POINT(
                                       "\"ref\": \"C\"", 60) "," POINT("\"ref\": \"B\"", 450)));
    write_text("new.geojson", LAYER(POINT("\"ref\": \"N\"", 750)));
    write_text("people.geojson", LAYER(POINT("\"n\": 10", 650)));
    write_text("pop.geojson", pop_json);
    write_text("cell1.geojson", LAYER(BOX(100, 200)));
    write_text("cell2.geojson", LAYER(BOX(200, 300)));
    write_text("cell3.geojson", LAYER(BOX(300, 400)));
    *state = rt_ctx_create();
    return 0;
}

/* Runs the study with `more` (YAML after the study's head) into out and
 * returns the section on the scenarios of its report.html, cut off at its
 * end; *html gets the page (caller frees). */
static char *scenario_part(void **state, const char *more, const char *out, char **html)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), "%s%s", study_head, more);
    assert_int_equal(run_study(*state, yaml, out, 0), RT_OK);
    *html = read_out_file(out, "report.html");
    char *sec = strstr(*html, "<section id=\"scenarios\"");
    assert_non_null(sec);
    *strstr(sec, "</section>") = '\0';
    return sec;
}

/* Pixel (25, 100 k + 25) of the map, in cell k, per cell: its colour, or
 * transparent (a < 0). */
static const struct {
    int r, g, b;
    const char *what;
} map_cell[8] = {{0xf7, 0xf7, 0xf7, "cell 0, no change"},
                 {0x92, 0xc5, 0xde, "cell 1, 2-5 min faster"},
                 {0x67, 0x00, 0x1f, "cell 2, became unreachable"},
                 {0xd6, 0x60, 0x4d, "cell 3, 5-10 min slower"},
                 {0xf7, 0xf7, 0xf7, "cell 4, no change"},
                 {-1, -1, -1, "cell 5, water"},
                 {0x05, 0x30, 0x61, "cell 6, became reachable"},
                 {0x05, 0x30, 0x61, "cell 7, became reachable"}};

/* Times by hand (s): the baseline 0, 1000, 2000, 1000, 0, inf (water),
 * inf, inf (the island, with no facility). The scenario: cell 1 from A at
 * (10 + 5) / 2 x 100 = 750 s (-250 s = -4.17 min: "2-5 min faster",
 * #92c5de); cell 2 impassable: became unreachable; cell 3 from B at (10 +
 * 20) / 2 x 100 = 1500 s (+500 s = +8.33 min: "5-10 min slower",
 * #d6604d); cells 0 and 4 unchanged ("no change", #f7f7f7); cell 5 blank;
 * cells 6 (1000 s from N) and 7 (N's) became reachable. The map: 8 cells
 * on the longer side, 100 pixels a cell, so the pixel (25, 100 k + 25)
 * lies in cell k away from borders and markers. People in the regions
 * (cells 0-6), with the threshold of 1 min: worse off cells 2 and 3, 4 + 8
 * = 12, of whom 4 (cell 2) became unreachable; better off cells 1 and 6, 2
 * + 64 = 66, of whom 64 (cell 6) became reachable; cell 7 (128 persons)
 * is in no region. */
static void delta_map_hand_worked(void **state)
{
    char *html;
    char *sec = scenario_part(state, plan, "en", &html);
    assert_non_null(
        strstr(sec, "<p>In the regions of gemeente &amp; co: 12 inhabitants worse off, of whom "
                    "4 in cells from which no route leads to a facility any more "
                    "(became unreachable); 66 better off, of whom 64 in cells that no "
                    "route reached before (became reachable).</p>"));
    /* the overview: 223 persons on the grid, of whom 1 + 2 + 4 + 8 (W) + 16
     * + 64 (E) = 95 in the regions; cell 7's 128 in none */
    assert_non_null(strstr(html, "Population on the grid: 223 persons. 95 of them live in the "
                                 "regions of gemeente &amp; co: the table below counts everyone "
                                 "on the grid"));
    /* the table's rows end in the worse and better off, with their values
     * for sorting: W cells 2 and 3 (12) and cell 1 (2), E cell 6 (64) */
    assert_non_null(strstr(sec, "<td data-v=\"12\">12</td><td data-v=\"2\">2</td></tr>"));
    assert_non_null(strstr(sec, "<td data-v=\"0\">0</td><td data-v=\"64\">64</td></tr>"));
    /* the map's alt text names the scenario: one alt per scenario's map */
    assert_non_null(strstr(sec, " alt=\"Map of the change in travel time to the nearest huisarts, "
                                "with the region borders and the facilities, in the scenario "
                                "plan\""));
    /* the region layer's label, escaped, in the caption of the delta map */
    assert_non_null(strstr(sec, "scenario minus baseline, on cells of "));
    assert_non_null(strstr(sec, " m; borders: gemeente &amp; co. Data: "));
    /* the legend: the classes of the .qml in words, faster to slower, then
     * the cells of their own, the closed facility, no route and the
     * facilities */
    assert_non_null(strstr(
        sec, "<ul class=\"legend\">"
             "<li><span class=\"sw\" style=\"background:#2166ac\"></span>10 min or more faster</li>"
             "<li><span class=\"sw\" style=\"background:#4393c3\"></span>5\xe2\x80\x93"
             "10 min faster</li>"
             "<li><span class=\"sw\" style=\"background:#92c5de\"></span>2\xe2\x80\x93"
             "5 min faster</li>"
             "<li><span class=\"sw\" style=\"background:#d1e5f0\"></span>1\xe2\x80\x93"
             "2 min faster</li>"
             "<li><span class=\"sw\" style=\"background:#f7f7f7\"></span>no change (within 1 "
             "min)</li>"
             "<li><span class=\"sw\" style=\"background:#fddbc7\"></span>1\xe2\x80\x93"
             "2 min slower</li>"
             "<li><span class=\"sw\" style=\"background:#f4a582\"></span>2\xe2\x80\x93"
             "5 min slower</li>"
             "<li><span class=\"sw\" style=\"background:#d6604d\"></span>5\xe2\x80\x93"
             "10 min slower</li>"
             "<li><span class=\"sw\" style=\"background:#b2182b\"></span>more than 10 min "
             "slower</li>"
             "<li><span class=\"sw\" style=\"background:#67001f\"></span>became unreachable</li>"
             "<li><span class=\"sw\" style=\"background:#053061\"></span>became reachable</li>"
             "<li>&#10005; closed facility</li>"
             "<li><span class=\"sw\" style=\"background:#fff\"></span>no route (water, "
             "impassable)</li><li>&#9673; facility</li></ul>"));
    /* over the map the scenario's facilities (N added), C crossed out */
    assert_non_null(strstr(sec, "<title>N</title></circle>"));
    assert_null(strstr(sec, "<title>C</title></circle>"));
    assert_non_null(strstr(sec, "<g class=\"closed\" fill=\"none\"><path d="));
    assert_non_null(strstr(sec, "<title>C</title></path></g>"));
    /* the baseline's map shows neither */
    assert_true(strstr(html, "<title>N</title>") > sec);
    assert_true(strstr(html, "<g class=\"closed\"") > sec);
    int w, h;
    uint8_t *rgba = cli_report_map(sec, "<figure class=\"map\">", &w, &h);
    assert_int_equal(w, 800);
    assert_int_equal(h, 100);
    for (int k = 0; k < 8; k++) {
        const uint8_t *p = rgba + 4 * (25 * w + 100 * k + 25);
        if (map_cell[k].r >= 0)
            cli_px_near(rgba, w, 25, 100 * k + 25, map_cell[k].r, map_cell[k].g, map_cell[k].b,
                        map_cell[k].what);
        else if (p[3] != 0)
            fail_msg("%s: alpha %d, expected transparent", map_cell[k].what, p[3]);
    }
    free(rgba);
    free(html);
}

/* The same in Dutch: the legend's words and the sentence. */
static void delta_map_in_dutch(void **state)
{
    char more[1024], *html;
    snprintf(more, sizeof(more), "report: {language: nl}\n%s", plan);
    char *sec = scenario_part(state, more, "nl", &html);
    assert_non_null(
        strstr(sec, "<p>In alle gebieden (gemeente &amp; co) samen: 12 inwoners slechter af, van "
                    "wie 4 in cellen vanwaar geen route meer naar een voorziening leidt "
                    "(onbereikbaar geworden); 66 beter af, van wie 64 in cellen die "
                    "eerst onbereikbaar waren (bereikbaar geworden).</p>"));
    const char *words[] = {"</span>10 min of meer sneller</li>",
                           "</span>2\xe2\x80\x93"
                           "5 min sneller</li>",
                           "</span>geen verandering (binnen 1 min)</li>",
                           "</span>5\xe2\x80\x93"
                           "10 min langzamer</li>",
                           "</span>meer dan 10 min langzamer</li>",
                           "#67001f\"></span>onbereikbaar geworden</li>",
                           "#053061\"></span>bereikbaar geworden</li>",
                           "<li>&#10005; gesloten voorziening</li>"};
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
        if (!strstr(sec, words[i]))
            fail_msg("not in the legend: %s", words[i]);
    free(html);
}

/* Without a closure nothing is crossed out and the legend says nothing of
 * closed facilities. */
static void nothing_crossed_without_closures(void **state)
{
    char *html;
    char *sec = scenario_part(
        state, "scenarios: [{name: nieuw, changes: [{facilities: huisarts, add: new.geojson}]}]\n",
        "add", &html);
    assert_null(strstr(sec, "<g class=\"closed\""));
    assert_null(strstr(sec, "closed facility"));
    /* cells 6 and 7 became reachable, 64 persons of them in the regions,
     * and nothing else changed */
    assert_non_null(strstr(sec, "gemeente &amp; co: 0 inhabitants worse off, of whom 0 in cells"));
    assert_non_null(strstr(sec, "64 better off, of whom 64 in cells"));
    free(html);
}

/* A second region layer with the island (cells 6 and 7: 192 persons, no
 * facility, water between): people live there but nobody has a route, so
 * the region has no mean time. Its map says so, in a colour and a legend
 * entry of its own, not "no population" (which it said before). */
static void a_region_without_routes_is_not_empty(void **state)
{
    write_text("island.geojson", LAYER("{\"type\": \"Feature\", \"properties\": {\"code\": "
                                       "\"I\"}, \"geometry\": {\"type\": \"Polygon\", "
                                       "\"coordinates\": [[[600, 0], [800, 0], [800, 100], [600, "
                                       "100], [600, 0]]]}}"));
    char yaml[4096];
    snprintf(yaml, sizeof(yaml), "%s  - {name: eiland, source: island.geojson, id_column: code}\n",
             study_head);
    if (run_study(*state, yaml, "island", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(*state));
    char *html = read_out_file("island", "report.html");
    assert_non_null(html);
    char *sec = strstr(html, "<section id=\"regions-eiland\"");
    assert_non_null(sec);
    *strstr(sec, "</section>") = '\0';
    assert_non_null(strstr(sec, "fill=\"#969696\"><title>I: nobody with a route</title>"));
    assert_non_null(
        strstr(sec, "<li><span class=\"sw\" style=\"background:#969696\"></span>nobody with a "
                    "route</li>"));
    assert_null(strstr(sec, "<title>I: no population"));
    free(html);
}

/* A row of n cells of 100 m, each its own region R<k> with one person,
 * facility A in cell 0, and a scenario that closes A and adds N in cell
 * n - 1: with n even no cell lies as far from both, so every region's
 * time changes, n changed regions of which the table lists 15. The
 * sentence under it: with outputs.csv the file of every region and how
 * many more it holds (1: one region, in words), without it how many the
 * page leaves out. */
static void long_table_says_what_it_leaves_out(void **state)
{
    static const struct {
        int n, csv;
        const char *want;
    } cases[] = {
        {18, 1,
         "<p>3 more regions with a change are in "
         "<code>scenarios/verplaatst/row_compare.csv</code>.</p>"},
        {16, 1,
         "<p>One more region with a change is in "
         "<code>scenarios/verplaatst/row_compare.csv</code>.</p>"},
        {18, 0,
         "<p>3 more regions with a change are not shown: with <code>outputs.csv</code> off "
         "no table lists every region.</p>"},
        {16, 0,
         "<p>One more region with a change is not shown: with <code>outputs.csv</code> off "
         "no table lists every region.</p>"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const int n = cases[c].n;
        static char regions[8192], people[8192];
        char facility[512], added[512], yaml[4096], out[32];
        size_t ra =
            (size_t)snprintf(regions, sizeof(regions), "%s",
                             "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
        size_t pa =
            (size_t)snprintf(people, sizeof(people), "%s",
                             "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
        for (int k = 0; k < n; k++) {
            ra += (size_t)snprintf(regions + ra, sizeof(regions) - ra,
                                   "%s{\"type\": \"Feature\", \"properties\": {\"code\": \"R%d\"}, "
                                   "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%d, "
                                   "0], [%d, 0], [%d, 100], [%d, 100], [%d, 0]]]}}",
                                   k ? "," : "", k, 100 * k, 100 * k + 100, 100 * k + 100, 100 * k,
                                   100 * k);
            pa += (size_t)snprintf(people + pa, sizeof(people) - pa,
                                   "%s{\"type\": \"Feature\", \"properties\": {\"n\": 1}, "
                                   "\"geometry\": {\"type\": \"Point\", \"coordinates\": [%d, "
                                   "50]}}",
                                   k ? "," : "", 100 * k + 50);
        }
        snprintf(regions + ra, sizeof(regions) - ra, "]}");
        snprintf(people + pa, sizeof(people) - pa, "]}");
        snprintf(facility, sizeof(facility), "%s", LAYER(POINT("\"ref\": \"A\"", 50)));
        snprintf(added, sizeof(added),
                 "{\"type\": \"FeatureCollection\", " CRS_28992
                 ", \"features\": [{\"type\": \"Feature\", \"properties\": {\"ref\": \"N\"}, "
                 "\"geometry\": {\"type\": \"Point\", \"coordinates\": [%d, 50]}}]}",
                 100 * n - 50);
        write_text("row_regions.geojson", regions);
        write_text("row_people.geojson", people);
        write_text("row_facility.geojson", facility);
        write_text("row_added.geojson", added);
        snprintf(yaml, sizeof(yaml),
                 "study: {cell_size_m: 100, extent: [0, 0, %d, 100], neighbours: 8}\n"
                 "medium: {type: speed_model, offroad_kmh: 3.6}\n"
                 "facilities:\n"
                 "  - {type: huisarts, source: row_facility.geojson, id_column: ref, norms: "
                 "{minutes: [20]}}\n"
                 "population: {kind: points, source: row_people.geojson, count_column: n}\n"
                 "regions:\n"
                 "  - {name: row, source: row_regions.geojson, id_column: code}\n"
                 "outputs: {csv: %s}\n"
                 "scenarios:\n"
                 "  - {name: verplaatst, changes: [{facilities: huisarts, close: [A]}, "
                 "{facilities: huisarts, add: row_added.geojson}]}\n",
                 100 * n, cases[c].csv ? "true" : "false");
        snprintf(out, sizeof(out), "long%zu", c);
        if (run_study(*state, yaml, out, 0) != RT_OK)
            fail_msg("%s", rt_ctx_errmsg(*state));
        char *html = read_out_file(out, "report.html");
        assert_non_null(html);
        if (!strstr(html, cases[c].want)) {
            const char *sec = strstr(html, "<section id=\"scenarios\"");
            const char *t = sec ? strstr(sec, "</tbody></table></div>") : NULL;
            fail_msg("case %zu: no '%s' but '%.300s'", c, cases[c].want, t ? t : "(no table)");
        }
        free(html);
    }
}

/* The counts weigh the scenario's own population: 10 persons more in
 * cell 6, which N makes reachable: 64 + 10 = 74 became reachable, and as
 * many are better off; the table gives the change of those beyond each
 * norm too. */
static void counts_of_the_scenario_population(void **state)
{
    char *html;
    char *sec = scenario_part(state,
                              "scenarios: [{name: wijk, changes: [{facilities: huisarts, add: "
                              "new.geojson}, {population: people.geojson, count_column: n}]}]\n",
                              "people", &html);
    assert_non_null(strstr(sec, "74 better off, of whom 74 in cells"));
    /* with people added the table has, per norm, the change of those
     * beyond it: E had 64 unreachable (beyond 20 and 40 min); in the
     * scenario cell 6 (74 persons) is 1000 s from N, within both: -64 each,
     * though nobody is newly beyond */
    if (!strstr(sec, "<th scope=\"col\">Change in inhabitants beyond 20min</th>") ||
        !strstr(sec, "<td data-v=\"0\">0</td><td data-v=\"-64\">&minus;64</td>"
                     "<td data-v=\"0\">0</td><td data-v=\"-64\">&minus;64</td>"))
        fail_msg("no change of those beyond in: %s", strstr(sec, "<table"));
    free(html);
}

/* Each region layer's section says how many of the grid's inhabitants it
 * holds, and a later layer whose total differs from the first's says so:
 * a second layer of W alone holds 1 + 2 + 4 + 8 = 15 of the 223 on the
 * grid; the first (W and E) 15 + 16 + 0 + 64 = 95. */
static void layers_that_do_not_add_up_say_so(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%s  - {name: west, source: {path: region.geojson, where: \"code = 'W'\"}, "
             "id_column: code}\n",
             study_head);
    if (run_study(*state, yaml, "layers", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(*state));
    char *html = read_out_file("layers", "report.html");
    assert_non_null(html);
    const char *first = strstr(html, "<section id=\"regions-gemeente\"");
    const char *second = strstr(html, "<section id=\"regions-west\"");
    assert_non_null(first);
    assert_non_null(second);
    const char *a = strstr(first, "<p>The regions of gemeente &amp; co hold 95 of the 223 "
                                  "inhabitants on the grid.</p>");
    const char *b = strstr(second, "<p>The regions of west hold 15 of the 223 inhabitants on "
                                   "the grid. Those of gemeente &amp; co hold 95: the two layers "
                                   "do not cover the same cells");
    if (!a || a > second || !b)
        fail_msg("the layers' totals are not said: %.400s", second);
    free(html);
}

static void allocation_failures_are_clean(void **state)
{
    char yaml[4096];
    snprintf(yaml, sizeof(yaml),
             "%soutputs: {second: false, length: false, grids: false, csv: false, geopackage: "
             "false}\n%s",
             study_head, plan);
    assert_true(run_allocation_failures(*state, yaml) > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delta_map_hand_worked),
        cmocka_unit_test(delta_map_in_dutch),
        cmocka_unit_test(nothing_crossed_without_closures),
        cmocka_unit_test(counts_of_the_scenario_population),
        cmocka_unit_test(layers_that_do_not_add_up_say_so),
        cmocka_unit_test(long_table_says_what_it_leaves_out),
        cmocka_unit_test(a_region_without_routes_is_not_empty),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
