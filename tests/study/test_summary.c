/* The text summary of a run (rt_study_summary): a region without
 * population shows "–" instead of nan, region names are never cut and the
 * columns line up whatever their length (counted in characters, not bytes),
 * and a type whose norms are all in km shows route lengths in km; the
 * headers give the unit. Expected lines are worked out by hand below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reistijd/rt_study.h"
#include "study_fixture.h"

/* One row of 8 cells of 100 m, x 0..800, y 0..100; four regions of two
 * cells each. R2's name has 32 characters (ú and â take two bytes each, so
 * 34 bytes), so its label "R2 <name>" has 35, the widest label of 60 or
 * fewer: the label column is 35 wide. R4's label has 3 + 64 = 67
 * characters, more than 60: it stands on a line of its own. */
#define R2_NAME                                                                                    \
    "S\xc3\xba"                                                                                    \
    "dwest-Frysl\xc3\xa2n aan de Lange Weg"
#define R4_NAME "ZeerZeerZeerZeerZeerZeerZeerZeerZeerZeerZeerZeerZeerZeerZeerZeer"

static const char regions_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"R1\", \"naam\": \"Oost\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[0, 0], [200, 0], [200, 100], [0, 100], [0, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"R2\", \"naam\": \"" R2_NAME "\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[200, 0], [400, 0], [400, 100], [200, 100], [200, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"R3\", \"naam\": \"Leeg\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[400, 0], [600, 0], [600, 100], [400, 100], [400, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"R4\", \"naam\": \"" R4_NAME "\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
    "[[[600, 0], [800, 0], [800, 100], [600, 100], [600, 0]]]}}]}";

/* The facility in cell 0 (50, 50). */
static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"ref\": \"F\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
    "[50, 50]}}]}";

/* 10 persons in cell 1 (R1), 20 in cell 3 (R2); nobody in R3 and R4. */
static const char pop_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"n\": 10}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [150, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 20}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [350, 50]}}]}";

/* 36 km/h: one step of 100 m takes 10 s. Cell 1 is 1 step from the
 * facility (10 s = 0.17 min, 0.1 km), cell 3 three steps (30 s = 0.5 min,
 * 0.3 km). Type `tijd` has a norm of 0.25 min = 15 s: R1 is within it
 * (0.0 %), R2 beyond it (100.0 %). Type `afstand` has a norm of 0.2 km:
 * R1 within (0.1 km), R2 beyond (0.3 km). */
static const char study_yaml[] =
    "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
    "medium: {type: speed_model, offroad_kmh: 36}\n"
    "facilities:\n"
    "  - {type: tijd, source: facility.geojson, norms: {minutes: [0.25]}}\n"
    "  - {type: afstand, source: facility.geojson, norms: {km: [0.2]}}\n"
    "population: {kind: points, source: pop.geojson, count_column: n}\n"
    "regions:\n"
    "  - {name: gemeente, source: regions.geojson, id_column: code, name_column: naam}\n";

static char *summary; /* of the one run, for every test */

static int setup(void **state)
{
    (void)state;
    fixture_mkdir("rt-summary");
    write_text("regions.geojson", regions_json);
    write_text("facility.geojson", facility_json);
    write_text("pop.geojson", pop_json);
    write_text("study.yaml", study_yaml);
    char path[512], out[512];
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    rt_ctx *ctx = rt_ctx_create();
    rt_study *s = NULL;
    rt_status st = load_and_run(ctx, path, out, 0, &s);
    if (st != RT_OK)
        fprintf(stderr, "%s\n", rt_ctx_errmsg(ctx));
    summary = st == RT_OK ? strdup(rt_study_summary(s)) : NULL;
    rt_study_destroy(s);
    rt_ctx_destroy(ctx);
    return summary ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(summary);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* n blanks */
static const char *blanks(int n)
{
    static const char b[] = "                                                            ";
    assert_true(n >= 0 && n < (int)sizeof(b));
    return b + sizeof(b) - 1 - n;
}

static void assert_has_line(const char *line)
{
    char *want = malloc(strlen(line) + 3);
    assert_non_null(want);
    sprintf(want, "\n%s\n", line);
    if (!strstr(summary, want))
        fail_msg("the summary has no line\n[%s]\n; it is:\n%s", line, summary);
    free(want);
}

/* The widths: label 35, population 10, three statistics of 12, a norm 9,
 * each column after a blank. */
static void the_header_gives_the_units(void **state)
{
    (void)state;
    char line[512];
    snprintf(line, sizeof(line),
             "  gemeente%s population   mean (min) median (min)    p90 (min)  >0.25min",
             blanks(35 - 8));
    assert_has_line(line);
    snprintf(line, sizeof(line),
             "  gemeente%s population    mean (km)  median (km)     p90 (km)    >0.2km",
             blanks(35 - 8));
    assert_has_line(line);
}

static void a_long_name_is_whole_and_the_columns_line_up(void **state)
{
    (void)state;
    char line[512];
    snprintf(line, sizeof(line), "  R1 Oost%s %s10 %s0.2 %s0.2 %s0.2 %s0.0%%", blanks(35 - 7),
             blanks(8), blanks(9), blanks(9), blanks(9), blanks(5));
    assert_has_line(line);
    snprintf(line, sizeof(line), "  R2 " R2_NAME " %s20 %s0.5 %s0.5 %s0.5 %s100.0%%", blanks(8),
             blanks(9), blanks(9), blanks(9), blanks(3));
    assert_has_line(line);
}

static void a_region_without_population_shows_a_dash_not_nan(void **state)
{
    (void)state;
    assert_null(strstr(summary, "nan"));
    char line[512];
    snprintf(line, sizeof(line),
             "  R3 Leeg%s %s0 %s\xe2\x80\x93 %s\xe2\x80\x93 %s\xe2\x80\x93 %s\xe2\x80\x93",
             blanks(35 - 7), blanks(9), blanks(11), blanks(11), blanks(11), blanks(8));
    assert_has_line(line);
}

static void a_label_over_60_characters_has_a_line_of_its_own(void **state)
{
    (void)state;
    char line[512];
    snprintf(line, sizeof(line), "  R4 " R4_NAME "\n  %s %s0 %s\xe2\x80\x93", blanks(35), blanks(9),
             blanks(11));
    assert_non_null(strstr(summary, line));
}

static void km_norms_alone_show_route_lengths_in_km(void **state)
{
    (void)state;
    const char *afstand = strstr(summary, "\nafstand:");
    assert_non_null(afstand);
    char line[512];
    snprintf(line, sizeof(line), "\n  R2 " R2_NAME " %s20 %s0.3 %s0.3 %s0.3 %s100.0%%\n", blanks(8),
             blanks(9), blanks(9), blanks(9), blanks(3));
    if (!strstr(afstand, line))
        fail_msg("no line [%s] after 'afstand:' in\n%s", line, summary);
    snprintf(line, sizeof(line), "\n  R1 Oost%s %s10 %s0.1 %s0.1 %s0.1 %s0.0%%\n", blanks(35 - 7),
             blanks(8), blanks(9), blanks(9), blanks(9), blanks(5));
    if (!strstr(afstand, line))
        fail_msg("no line [%s] after 'afstand:' in\n%s", line, summary);
}

/* JSON text is UTF-8: bytes of a message that are not (a Latin-1 file
 * name, an overlong form, a surrogate, a sequence cut short) each become
 * U+FFFD; valid UTF-8 is kept as it is. */
static void json_strings_are_utf8(void **state)
{
    (void)state;
    const char *msg = "caf\xe9 \xff | \xc0\xaf | \xed\xa0\x80 | \xc3\xa9 \xe2\x82";
    char *text = rt_error_json("run", "RT_E_DATA", msg, 1);
    assert_non_null(text);
#define R "\xef\xbf\xbd"
    const char *want = "caf" R " " R " | " R R " | " R R R " | \xc3\xa9 " R R;
#undef R
    if (!strstr(text, want))
        fail_msg("no '%s' in %s", want, text);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_header_gives_the_units),
        cmocka_unit_test(a_long_name_is_whole_and_the_columns_line_up),
        cmocka_unit_test(a_region_without_population_shows_a_dash_not_nan),
        cmocka_unit_test(a_label_over_60_characters_has_a_line_of_its_own),
        cmocka_unit_test(km_norms_alone_show_route_lengths_in_km),
        cmocka_unit_test(json_strings_are_utf8),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
