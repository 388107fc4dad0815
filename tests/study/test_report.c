/* The pieces of the run report that can be checked by hand: the colour
 * ramp at its anchors and between them, class breaks from norms, the class
 * of a value on a break, histogram bins of a small population, the SVG path
 * of a square, HTML escaping, base64 (RFC 4648 test vectors), the report
 * document and the QGIS style documents (rasters, region fills, road lines),
 * a whole report made from a hand-built run (no search) in English and in
 * Dutch, every label in every language, and numbers as each writes them. Expected values
 * are worked out in the comments, never taken from the program's output. */
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

#include "study/report/report.h"
#include "study/study_fixture.h"
#include "svg_text_boxes.h"
#include "test_common.h"

static int setup(void **state)
{
    *state = rt_ctx_create();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    rt_ctx_destroy(*state);
    return 0;
}

static void assert_rgb(rti_rgba c, unsigned r, unsigned g, unsigned b)
{
    if (c.r != r || c.g != g || c.b != b || c.a != 255)
        fail_msg("colour #%02x%02x%02x/%d, expected #%02x%02x%02x", c.r, c.g, c.b, c.a, r, g, b);
}

/* ---- colours and classes ---- */

static void viridis_anchors_and_midpoints(void **state)
{
    (void)state;
    assert_rgb(rti_viridis(0), 0x44, 0x01, 0x54);
    assert_rgb(rti_viridis(1), 0xfd, 0xe7, 0x25);
    assert_rgb(rti_viridis(0.5), 0x21, 0x90, 0x8c); /* anchor 4 of 8 */
    assert_rgb(rti_viridis(-1), 0x44, 0x01, 0x54);  /* clamped */
    assert_rgb(rti_viridis(2), 0xfd, 0xe7, 0x25);
    /* t = 1/16 halfway between #440154 and #472d7b:
     * r (68 + 71) / 2 = 69.5 -> 70, g (1 + 45) / 2 = 23, b (84 + 123) / 2 = 103.5 -> 104 */
    assert_rgb(rti_viridis(1.0 / 16), 70, 23, 104);
    /* t = 0.9375 halfway between #aadc32 and #fde725:
     * r (170 + 253) / 2 = 211.5 -> 212, g (220 + 231) / 2 = 225.5 -> 226, b (50 + 37) / 2 = 43.5 ->
     * 44 */
    assert_rgb(rti_viridis(0.9375), 212, 226, 44);
}

static rt_study *study_with_norms(const double *minutes, int n, const double *km, int nk)
{
    static rti_facility_type f[2];
    static rt_study s;
    memset(f, 0, sizeof(f));
    memset(&s, 0, sizeof(s));
    f[0].type = "a";
    for (int i = 0; i < n; i++)
        f[0].norms[f[0].n_norms++] = (rt_norm){RT_NORM_TIME, .limit_s = 60 * minutes[i]};
    for (int i = 0; i < nk; i++)
        f[0].norms[f[0].n_norms++] = (rt_norm){RT_NORM_LENGTH, .limit_m = 1000 * km[i]};
    f[1].type = "b";
    f[1].norms[0] = (rt_norm){RT_NORM_TIME, .limit_s = 60 * 20.0};
    f[1].n_norms = 1;
    s.facilities = f;
    s.n_facilities = 2;
    return &s;
}

static void assert_breaks(const rti_classes *c, const double *want, int n)
{
    if (c->n != n + 1)
        fail_msg("%d classes, want %d", c->n, n + 1);
    for (int k = 0; k < n; k++)
        if (c->upper[k] != want[k])
            fail_msg("break %d is %g, want %g", k, c->upper[k], want[k]);
    assert_true(isinf(c->upper[n]));
}

/* The default rule by hand (docs/outputs.md): the norms; then the ladder
 * from its first step at or above the reach downwards, no step below a
 * quarter of the smallest norm, until there are 7 breaks. */
static void round_classes_by_hand(void **state)
{
    (void)state;
    rti_classes c;
    /* norms 30, 45 and a reach of 70: the first step >= 70 is 90; 90, 60, (45,
     * 30 are norms), 20, 15, 10 make 7 breaks */
    const double a[2] = {30, 45};
    rti_round_classes(&c, 0, a, 2, 70);
    assert_breaks(&c, (const double[]){10, 15, 20, 30, 45, 60, 90}, 7);
    assert_string_equal(c.unit, "min");
    /* norms 15, 30, reach 60: 60, 45, 20, 10, 5 and the norms */
    const double b[2] = {15, 30};
    rti_round_classes(&c, 0, b, 2, 60);
    assert_breaks(&c, (const double[]){5, 10, 15, 20, 30, 45, 60}, 7);
    /* norm 2, reach 4: 5, 3, 1, 0.5; 0.3 is below 2 / 4 = 0.5: six classes */
    const double d[1] = {2};
    rti_round_classes(&c, 0, d, 1, 4);
    assert_breaks(&c, (const double[]){0.5, 1, 2, 3, 5}, 5);
    /* norms 1.5, 4 (not all on the ladder), reach 8: 10, 5, 3, 2, 1 */
    const double e[2] = {1.5, 4};
    rti_round_classes(&c, 0, e, 2, 8);
    assert_breaks(&c, (const double[]){1, 1.5, 2, 3, 4, 5, 10}, 7);
    /* norm 100, reach 200: 240, 180, 120, 90, 60, 45 */
    const double g[1] = {100};
    rti_round_classes(&c, 0, g, 1, 200);
    assert_breaks(&c, (const double[]){45, 60, 90, 100, 120, 180, 240}, 7);
    /* a reach below the largest norm reaches the norm: norm 45, reach 10 ->
     * 45, 30, 20, 15; 10 is below 45 / 4 = 11.25 */
    const double h[1] = {45};
    rti_round_classes(&c, 0, h, 1, 10);
    assert_breaks(&c, (const double[]){15, 20, 30, 45}, 4);
    /* eight norms: only the norms */
    const double many[8] = {1, 2, 4, 8, 16, 32, 64, 128};
    rti_round_classes(&c, 0, many, 8, 256);
    assert_breaks(&c, many, 8);
    /* km: the ladder 1, 2, 3, 5, 10, 15, 20, 30, 50, 100 ...; norm 1.5, reach
     * 3: 3, 2, 1, 0.5; 0.3 is below 1.5 / 4 = 0.375 */
    const double k[1] = {1.5};
    rti_round_classes(&c, 1, k, 1, 3);
    assert_breaks(&c, (const double[]){0.5, 1, 1.5, 2, 3}, 5);
    assert_string_equal(c.unit, "km");
    assert_true(c.scale == 1000);
    /* norm 40 km, reach 80: 100, 50, 30, 20, 15, 10 */
    const double l[1] = {40};
    rti_round_classes(&c, 1, l, 1, 80);
    assert_breaks(&c, (const double[]){10, 15, 20, 30, 40, 50, 100}, 7);
}

static void time_classes_follow_the_norms(void **state)
{
    (void)state;
    /* norms 30 and 45 min: the reach is 2 x 45 = 90; 90, 60, 20, 15, 10 and
     * the norms, 7 breaks and an open eighth class */
    const double m[2] = {30, 45};
    rt_study *s = study_with_norms(m, 2, NULL, 0);
    rti_classes c;
    rti_time_classes(s, &s->facilities[0], &c);
    const double want[8] = {10, 15, 20, 30, 45, 60, 90, INFINITY};
    const int norm[8] = {0, 0, 0, 1, 1, 0, 0, 0};
    assert_int_equal(c.n, 8);
    for (int k = 0; k < 8; k++) {
        assert_true(c.upper[k] == want[k]);
        assert_int_equal(c.is_norm[k], norm[k]);
    }
    assert_string_equal(c.unit, "min");
    /* near is yellow, far dark purple; class 1 of 8 gets viridis(6/7) */
    assert_rgb(c.colour[0], 0xfd, 0xe7, 0x25);
    assert_rgb(c.colour[7], 0x44, 0x01, 0x54);
    rti_rgba c1 = rti_viridis(6.0 / 7.0);
    assert_rgb(c.colour[1], c1.r, c1.g, c1.b);
    /* values on a break belong to the class below it (v <= upper) */
    assert_int_equal(rti_class_of(&c, 0), 0);
    assert_int_equal(rti_class_of(&c, 10), 0);
    assert_int_equal(rti_class_of(&c, 10.0001), 1);
    assert_int_equal(rti_class_of(&c, 30), 3);
    assert_int_equal(rti_class_of(&c, 30.001), 4);
    assert_int_equal(rti_class_of(&c, 90), 6);
    assert_int_equal(rti_class_of(&c, 90.5), 7);
    assert_int_equal(rti_class_of(&c, 1e9), 7);
    assert_int_equal(rti_class_of(&c, NAN), -1);
    /* classes: {minutes: [10, 30, 60]} are taken as they are: the norm 30 is
     * marked, 45 is no break; four classes, coloured viridis(1 - k/3) */
    s->facilities[0].class_min[0] = 10;
    s->facilities[0].class_min[1] = 30;
    s->facilities[0].class_min[2] = 60;
    s->facilities[0].n_class_min = 3;
    rti_time_classes(s, &s->facilities[0], &c);
    assert_breaks(&c, (const double[]){10, 30, 60}, 3);
    assert_int_equal(c.is_norm[0], 0);
    assert_int_equal(c.is_norm[1], 1);
    assert_int_equal(c.is_norm[2], 0);
    rti_rgba c2 = rti_viridis(1.0 / 3.0);
    assert_rgb(c.colour[2], c2.r, c2.g, c2.b);
    assert_rgb(c.colour[3], 0x44, 0x01, 0x54);
}

static void classes_without_a_time_norm(void **state)
{
    (void)state;
    /* type a has only a km norm: the study's largest time norm (20, of b) gives
     * the reach 40; without norms the lowest step is 40 / 8 = 5: 45, 30, 20, 15,
     * 10, 5 */
    const double km[1] = {10};
    rt_study *s = study_with_norms(NULL, 0, km, 1);
    rti_classes c;
    rti_time_classes(s, &s->facilities[0], &c);
    assert_breaks(&c, (const double[]){5, 10, 15, 20, 30, 45}, 6);
    for (int k = 0; k < c.n; k++)
        assert_int_equal(c.is_norm[k], 0);
    /* no time norm anywhere: 30 min, the reach 60, no step below 7.5 */
    s->facilities[1].n_norms = 0;
    rti_time_classes(s, &s->facilities[0], &c);
    assert_breaks(&c, (const double[]){10, 15, 20, 30, 45, 60}, 6);
    /* lengths: km norm 10, the reach 20: 20, 15, 5, 3 and the norm, stored in
     * metres */
    rti_length_classes(&s->facilities[0], &c);
    assert_breaks(&c, (const double[]){3, 5, 10, 15, 20}, 5);
    assert_int_equal(c.is_norm[2], 1);
    assert_true(c.scale == 1000);
    /* classes: {km: [2.5, 10]} */
    s->facilities[0].class_km[0] = 2.5;
    s->facilities[0].class_km[1] = 10;
    s->facilities[0].n_class_km = 2;
    rti_length_classes(&s->facilities[0], &c);
    assert_breaks(&c, (const double[]){2.5, 10}, 2);
    assert_int_equal(c.is_norm[1], 1);
    /* no km norm: 10 km, the reach 20, no step below 2.5: 20, 15, 10, 5, 3 */
    s->facilities[0].n_norms = 0;
    s->facilities[0].n_class_km = 0;
    rti_length_classes(&s->facilities[0], &c);
    assert_breaks(&c, (const double[]){3, 5, 10, 15, 20}, 5);
    assert_int_equal(c.is_norm[2], 0);
    /* shares in %: 0 has a class of its own */
    rti_share_classes(&c);
    assert_int_equal(c.n, 7);
    assert_int_equal(rti_class_of(&c, 0), 0);
    assert_int_equal(rti_class_of(&c, 0.0001), 1);
    assert_int_equal(rti_class_of(&c, 5), 2);
    assert_int_equal(rti_class_of(&c, 50), 5);
    assert_int_equal(rti_class_of(&c, 50.1), 6);
}

/* ---- histogram ---- */

static void histogram_bins_by_hand(void **state)
{
    (void)state;
    /* bins of 180 s: bin 0 = [0, 180], bin 1 = (180, 360], then beyond, unreachable */
    const double t[10] = {0, 60, 180, 181, 359, 360, 3600, INFINITY, 100, 100};
    const float pop[10] = {1, 2, 3, 4, 5, 6, 7, 8, NAN, 0};
    double bins[4] = {0, 0, 0, 0};
    rti_hist_add(t, pop, 10, 180, 2, bins);
    assert_true(bins[0] == 1 + 2 + 3);
    assert_true(bins[1] == 4 + 5 + 6);
    assert_true(bins[2] == 7);
    assert_true(bins[3] == 8);
    /* without a population every cell counts 1, and bins add up */
    rti_hist_add(t, NULL, 10, 180, 2, bins);
    assert_true(bins[0] == 6 + 5); /* 0, 60, 180, 100, 100 */
    assert_true(bins[1] == 15 + 3);
    assert_true(bins[2] == 7 + 1);
    assert_true(bins[3] == 8 + 1);
}

/* A norm so large that the class width overflows to +inf (minutes: [1e308]
 * once crashed a run here, writing below the first bin): every reached time
 * goes to the first bin, the unreachable to the last; nothing is written
 * outside the n_bins + 2 values (ASan would report it). */
static void histogram_with_an_infinite_width(void **state)
{
    (void)state;
    const double t[4] = {0, 30, 1e300, INFINITY};
    double *bins = calloc(4 + 2, sizeof(double));
    assert_non_null(bins);
    rti_hist_add(t, NULL, 4, INFINITY, 4, bins);
    assert_true(bins[0] == 3 && bins[1] == 0 && bins[4] == 0 && bins[5] == 1);
    memset(bins, 0, 6 * sizeof(double));
    rti_hist_add(t, NULL, 4, NAN, 4, bins);
    assert_true(bins[0] + bins[4] == 3 && bins[5] == 1);
    free(bins);
}

/* ---- SVG ---- */

static void svg_path_of_a_square(void **state)
{
    rti_sbuf b;
    rti_sb_init(&b, *state);
    /* the square (0,0)-(10,10), closed, in a viewBox of scale 2 with the top
     * edge at y = 10: (0,0) -> (0,20), (10,0) -> (20,20), (10,10) -> (20,0) */
    const double x[5] = {0, 10, 10, 0, 0}, y[5] = {0, 0, 10, 10, 0};
    rti_svg_tf tf = {0, 10, 2, 0};
    assert_int_equal(rti_svg_ring(&b, x, y, 5, &tf), 4);
    char *s = rti_sb_take(&b);
    assert_string_equal(s, "M0 20L20 20L20 0L0 0Z");
    free(s);
    /* offsets: x0 = 100, y1 = 200, scale 0.05: (103, 197) -> (0.15, 0.15) rounds
     * to 0.2 (0.15 x 10 = 1.5 -> 2 tenths); a repeated vertex is left out */
    const double x2[5] = {100, 103, 103, 103, 130}, y2[5] = {200, 197, 197, 170, 200};
    rti_svg_tf tf2 = {100, 200, 0.05, 0};
    assert_int_equal(rti_svg_ring(&b, x2, y2, 5, &tf2), 4);
    s = rti_sb_take(&b);
    assert_string_equal(s, "M0 0L0.2 0.2L0.2 1.5L1.5 0Z");
    free(s);
    /* with min_px 1 the second vertex is within 1 px of the first and goes */
    tf2.min_px = 1;
    assert_int_equal(rti_svg_ring(&b, x2, y2, 5, &tf2), 3);
    s = rti_sb_take(&b);
    assert_string_equal(s, "M0 0L0.2 1.5L1.5 0Z");
    free(s);
    /* a ring that collapses to fewer than 3 points writes nothing */
    const double x3[4] = {0, 0.001, 0, 0}, y3[4] = {0, 0, 0.001, 0};
    assert_int_equal(rti_svg_ring(&b, x3, y3, 4, &tf), 0);
    s = rti_sb_take(&b);
    assert_string_equal(s, "");
    free(s);
}

/* ---- text ---- */

static void html_escaping(void **state)
{
    rti_sbuf b;
    rti_sb_init(&b, *state);
    rti_sb_escape(&b, "a<b & \"c\" 'd'> \xc3\xa9");
    rti_sb_escape(&b, NULL);
    char *s = rti_sb_take(&b);
    assert_string_equal(s, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt; \xc3\xa9");
    free(s);
    /* into a buffer: whole, then cut before a reference or a character
     * that does not fit (never half of one), and NULL as "" */
    char buf[32];
    assert_string_equal(rti_html_escape("a<b & \xc3\xa9", buf, sizeof(buf)),
                        "a&lt;b &amp; \xc3\xa9");
    assert_string_equal(rti_html_escape("a<b", buf, 5), "a");         /* "&lt;" needs 4 + 1 */
    assert_string_equal(rti_html_escape("a<b", buf, 6), "a&lt;");     /* then b has no room */
    assert_string_equal(rti_html_escape("ab\xc3\xa9", buf, 4), "ab"); /* é is 2 bytes */
    assert_string_equal(rti_html_escape("ab\xc3\xa9", buf, 5), "ab\xc3\xa9");
    assert_string_equal(rti_html_escape("\xe2\x89\xa5\xe2\x89\xa5", buf, 6), "\xe2\x89\xa5");
    assert_string_equal(rti_html_escape(NULL, buf, sizeof(buf)), "");
}

static void base64_rfc4648_vectors(void **state)
{
    static const char *const in[7] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[7] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        size_t len = 99;
        char *s = rti_base64(*state, in[i], strlen(in[i]), &len);
        assert_non_null(s);
        assert_string_equal(s, out[i]);
        assert_int_equal(len, strlen(out[i]));
        free(s);
    }
    /* bytes, not text: 0x00 0xff 0x10 -> 000000 001111 111100 010000 = A P 8 Q */
    const unsigned char raw[3] = {0x00, 0xff, 0x10};
    char *s = rti_base64(*state, raw, 3, NULL);
    assert_string_equal(s, "AP8Q");
    free(s);
}

/* ---- documents ---- */

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* Runs xmllint on text; 1 when it is well-formed XML, -1 when xmllint is missing. */
static int well_formed(const char *text)
{
    if (system("command -v xmllint > /dev/null 2>&1") != 0)
        return -1;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/rt-qml-%ld.xml", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' 2> /dev/null", path);
    int ok = system(cmd) == 0;
    remove(path);
    return ok;
}

static void raster_style_lists_the_classes(void **state)
{
    const double m[2] = {1.5, 4};
    rt_study *s = study_with_norms(m, 2, NULL, 0);
    rti_classes c;
    rti_time_classes(s, &s->facilities[0], &c);
    char *q = rti_qml_raster_classes(*state, &c, "a & b", RTI_LANG_EN);
    assert_non_null(q);
    /* the reach 8: 10, 5, 3, 2, 1 and the norms 1.5 and 4; the open class is
     * "inf" */
    const char *want[8] = {"value=\"1\" color=\"#fde725\"",
                           "value=\"1.5\"",
                           "value=\"2\"",
                           "value=\"3\"",
                           "value=\"4\"",
                           "value=\"5\"",
                           "value=\"10\"",
                           "value=\"inf\" color=\"#440154\""};
    const char *p = q;
    for (int k = 0; k < 8; k++) {
        const char *at = strstr(p, want[k]);
        if (!at)
            fail_msg("%s missing or out of order in:\n%s", want[k], q);
        p = at + 1;
    }
    assert_int_equal(count(q, "<item "), 8);
    assert_non_null(strstr(q, "type=\"singlebandpseudocolor\""));
    assert_non_null(strstr(q, "colorRampType=\"DISCRETE\""));
    assert_non_null(strstr(q, "<layerTitle>a &amp; b</layerTitle>"));
    int wf = well_formed(q);
    if (wf >= 0)
        assert_int_equal(wf, 1);
    free(q);

    rti_classes share;
    rti_share_classes(&share);
    q = rti_qml_graduated(*state, "a_share_beyond_4min", &share, RTI_LANG_EN);
    assert_non_null(q);
    /* shares are stored as fractions: 1 % is 0.01 */
    assert_non_null(strstr(q, "attr=\"a_share_beyond_4min\""));
    assert_non_null(strstr(q, "lower=\"0\" upper=\"0\""));
    assert_non_null(strstr(q, "lower=\"0\" upper=\"0.01\""));
    assert_non_null(strstr(q, "lower=\"0.25\" upper=\"0.5\""));
    assert_int_equal(count(q, "<range "), 7);
    assert_int_equal(count(q, "<symbol "), 7);
    wf = well_formed(q);
    if (wf >= 0)
        assert_int_equal(wf, 1);
    free(q);
    /* the classes of a change (compare.gpkg's mean time deltas): the first
     * holds every loss of 10 min and more, not a range from 0 to -10 that
     * holds nothing */
    rti_classes delta;
    rti_classes_delta(&delta);
    q = rti_qml_graduated(*state, "time_mean_min_delta", &delta, RTI_LANG_EN);
    assert_non_null(q);
    assert_non_null(strstr(q, "<range lower=\"-1e+300\" upper=\"-10\" symbol=\"0\" "
                              "render=\"true\" label=\"10 min or more faster\"/>"));
    assert_non_null(strstr(q, "<range lower=\"-10\" upper=\"-5\" symbol=\"1\""));
    free(q);

    const int64_t fids[3] = {4, 7, 12};
    q = rti_qml_raster_palette(*state, fids, 3);
    assert_int_equal(count(q, "<paletteEntry "), 3);
    assert_non_null(strstr(q, "value=\"12\""));
    free(q);
    q = rti_qml_facility_status(*state, RTI_LANG_EN);
    assert_int_equal(count(q, "<category "), 3);
    assert_non_null(strstr(q, "value=\"left out\""));
    wf = well_formed(q);
    if (wf >= 0)
        assert_int_equal(wf, 1);
    free(q);
}

/* The classes of the measures beyond the nearest (docs/outputs.md). A
 * count: the breaks 0, 1, 2, 4, 9, 19, 49, 99, 199, 499 (at most 10)
 * below the largest value; with the largest 5 that is 0, 1, 2, 4 and "5
 * or more", five classes coloured viridis(k / 4): the anchors at t = 0,
 * 2/8, 4/8, 6/8 and 1. Others: 0, then the 20/40/60/80 % quantiles (by
 * nearest rank) of the values above 0, rounded up to two digits. */
static void measure_classes_by_hand(void **state)
{
    rti_classes c;
    rti_count_classes(&c, 0);
    assert_breaks(&c, (const double[]){0}, 1);
    rti_count_classes(&c, 1); /* 1 is not below 1: "0", "1 or more" */
    assert_breaks(&c, (const double[]){0}, 1);
    assert_int_equal(c.integer, 1);
    rti_count_classes(&c, 9);
    assert_breaks(&c, (const double[]){0, 1, 2, 4}, 4);
    rti_count_classes(&c, 10);
    assert_breaks(&c, (const double[]){0, 1, 2, 4, 9}, 5);
    rti_count_classes(&c, 1e6);
    assert_breaks(&c, (const double[]){0, 1, 2, 4, 9, 19, 49, 99, 199, 499}, 10);
    rti_count_classes(&c, 5);
    assert_breaks(&c, (const double[]){0, 1, 2, 4}, 4);
    assert_rgb(c.colour[0], 0x44, 0x01, 0x54); /* none: dark purple */
    assert_rgb(c.colour[1], 0x3b, 0x52, 0x8b);
    assert_rgb(c.colour[2], 0x21, 0x90, 0x8c);
    assert_rgb(c.colour[3], 0x5d, 0xc8, 0x63);
    assert_rgb(c.colour[4], 0xfd, 0xe7, 0x25); /* the most: yellow */
    assert_string_equal(c.unit, "");
    /* in QGIS: the upper bounds, whole numbers as labels */
    char *q = rti_qml_raster_classes(*state, &c, "count", RTI_LANG_EN);
    assert_non_null(q);
    assert_in_order(
        q, (const char *const[]){"value=\"0\" color=\"#440154\" label=\"0\"",
                                 "value=\"1\" color=\"#3b528b\" label=\"1\"",
                                 "value=\"2\" color=\"#21908c\" label=\"2\"",
                                 "value=\"4\" color=\"#5dc863\" label=\"3\xe2\x80\x93"
                                 "4\"",
                                 "value=\"inf\" color=\"#fde725\" label=\"\xe2\x89\xa5 5\"", NULL});
    assert_int_equal(count(q, "<item "), 5);
    int wf = well_formed(q);
    if (wf >= 0)
        assert_int_equal(wf, 1);
    free(q);

    /* rounded up to two significant digits, never below the value */
    assert_true(rti_ceil_2digits(0.0213) == 0.022);
    assert_true(rti_ceil_2digits(0.02) == 0.02);
    assert_true(rti_ceil_2digits(0.5) == 0.5);
    assert_true(rti_ceil_2digits(7) == 7);
    assert_true(rti_ceil_2digits(99.1) == 100);
    assert_true(rti_ceil_2digits(1234) == 1300);

    /* 1 .. 10 above 0 (0 and NaN left out): the ranks 2, 4, 6 and 8 of 10.
     * Six classes: class 1 at t = 1/5, pos 1.6, 0.6 of the way from #472d7b
     * to #3b528b: (71 - 12 x 0.6, 45 + 37 x 0.6, 123 + 16 x 0.6) = (63.8,
     * 67.2, 132.6) -> #404385 */
    float v[13] = {0, 0, NAN, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    rti_quantile_classes(&c, v, 13);
    assert_breaks(&c, (const double[]){0, 2, 4, 6, 8}, 5);
    assert_int_equal(c.integer, 0);
    q = rti_qml_raster_classes(*state, &c, NULL, RTI_LANG_EN);
    assert_in_order(q, (const char *const[]){"value=\"0\" color=\"#440154\" label=\"0\"",
                                             "value=\"2\" color=\"#404385\" label=\"0\xe2\x80\x93"
                                             "2\"",
                                             "value=\"8\"",
                                             "value=\"inf\" color=\"#fde725\" label=\"&gt; 8\"",
                                             NULL});
    free(q);
    /* five equal values: one break at 0.0213 rounded up, which is above all */
    float w[5] = {0.0213f, 0.0213f, 0.0213f, 0.0213f, 0.0213f};
    rti_quantile_classes(&c, w, 5);
    assert_breaks(&c, (const double[]){0, 0.022}, 2);
    q = rti_qml_raster_classes(*state, &c, NULL, RTI_LANG_NL);
    assert_non_null(strstr(q, "value=\"0.022\" color=\"#21908c\" label=\"0\xe2\x80\x93"
                              "0,022\""));
    free(q);
    rti_quantile_classes(&c, NULL, 0);
    assert_breaks(&c, (const double[]){0}, 1);

    char buf[16];
    assert_string_equal(rti_fmt_ordinal(RTI_LANG_EN, 1, buf, sizeof(buf)), "1st");
    assert_string_equal(rti_fmt_ordinal(RTI_LANG_EN, 2, buf, sizeof(buf)), "2nd");
    assert_string_equal(rti_fmt_ordinal(RTI_LANG_EN, 3, buf, sizeof(buf)), "3rd");
    assert_string_equal(rti_fmt_ordinal(RTI_LANG_EN, 8, buf, sizeof(buf)), "8th");
    assert_string_equal(rti_fmt_ordinal(RTI_LANG_NL, 2, buf, sizeof(buf)), "2e");
}

/* Rows of regions pooled, by hand. A cost: region A has 100 persons, 20
 * of them with no value and a mean of 3 over the other 80; B 50 persons
 * with a mean of 6; C nobody; D 30 persons, none with a value. Together
 * 180 persons, 50 with none, the mean (80 x 3 + 50 x 6) / 130 = 540 / 130.
 * Not a cost (the mean over everybody): A 100 persons with the mean 2.4,
 * 20 of them with 0; B as before: (240 + 300) / 150 = 3.6. */
static void pooled_rows_by_hand(void **state)
{
    (void)state;
    const rti_measure_region cost[4] = {{100, 20, 3, NAN, NAN},
                                        {50, 0, 6, NAN, NAN},
                                        {0, 0, NAN, NAN, NAN},
                                        {30, 30, NAN, NAN, NAN}};
    rti_measure_region all;
    rti_measure_pooled(cost, 4, 1, &all);
    assert_true(all.pop_persons == 180 && all.pop_zero_persons == 50);
    assert_true(fabs(all.mean - 540.0 / 130) < 1e-12);
    assert_true(isnan(all.gini) && isnan(all.worst_decile_share));
    const rti_measure_region count[3] = {
        {100, 20, 2.4, NAN, NAN}, {50, 0, 6, NAN, NAN}, {0, 0, NAN, NAN, NAN}};
    rti_measure_pooled(count, 3, 0, &all);
    assert_true(all.pop_persons == 150 && all.pop_zero_persons == 20);
    assert_true(fabs(all.mean - 3.6) < 1e-12);
    rti_measure_pooled(count + 2, 1, 0, &all); /* nobody: no mean */
    assert_true(all.pop_persons == 0 && isnan(all.mean));
}

/* The roads layer's style: one norm of 15 min gives the reach 30 and the
 * breaks 30, 20, 15 (the norm), 10, 5 (3 is below 15 / 4) and an open
 * sixth class, as ranges of time_min from 0. Class k of 6 is drawn in
 * viridis(1 - k/5): k = 0 #fde725 (253, 231, 37); k = 1 at t = 4/5, pos
 * 6.4, 0.4 of the way from #5dc863 to #aadc32: (93 + 77 x 0.4, 200 + 20 x
 * 0.4, 99 - 49 x 0.4) = (123.8, 208, 79.4) -> (124, 208, 79); k = 2 at t =
 * 3/5, pos 4.8, 0.8 from #21908c to #27ad81: (33 + 6 x 0.8, 144 + 29 x 0.8,
 * 140 - 11 x 0.8) = (37.8, 167.2, 131.2) -> (38, 167, 131); k = 5 #440154
 * (68, 1, 84). */
static void road_style_is_graduated_on_time_min(void **state)
{
    const double m[1] = {15};
    rt_study *s = study_with_norms(m, 1, NULL, 0);
    rti_classes c;
    rti_time_classes(s, &s->facilities[0], &c);
    char *q = rti_qml_graduated_lines(*state, "time_min", &c, RTI_LANG_EN);
    assert_non_null(q);
    assert_non_null(strstr(q, "<renderer-v2 type=\"graduatedSymbol\" attr=\"time_min\""));
    const char *range[6] = {
        "lower=\"0\" upper=\"5\" symbol=\"0\"",   "lower=\"5\" upper=\"10\" symbol=\"1\"",
        "lower=\"10\" upper=\"15\" symbol=\"2\"", "lower=\"15\" upper=\"20\" symbol=\"3\"",
        "lower=\"20\" upper=\"30\" symbol=\"4\"", "lower=\"30\" upper=\"1"};
    const char *p = q;
    for (int k = 0; k < 6; k++) {
        const char *at = strstr(p, range[k]);
        if (!at)
            fail_msg("%s missing or out of order in:\n%s", range[k], q);
        p = at + 1;
    }
    assert_int_equal(count(q, "<range "), 6);
    assert_non_null(strstr(q, "label=\"\xe2\x89\xa4 5 min\""));
    assert_non_null(strstr(q, "label=\"&gt; 30 min\"")); /* "> 30 min", escaped */
    /* the symbols, in class order: lines of the class colours */
    assert_int_equal(count(q, "<symbol type=\"line\""), 6);
    assert_int_equal(count(q, "class=\"SimpleLine\""), 6);
    assert_int_equal(count(q, "<symbol "), 6);
    const char *colour[4] = {"<symbol type=\"line\" name=\"0\"", "253,231,37,255", "124,208,79,255",
                             "38,167,131,255"};
    p = q;
    for (int k = 0; k < 4; k++) {
        const char *at = strstr(p, colour[k]);
        if (!at)
            fail_msg("%s missing or out of order in:\n%s", colour[k], q);
        p = at + 1;
    }
    const char *last = strstr(q, "<symbol type=\"line\" name=\"5\"");
    assert_non_null(last);
    assert_non_null(strstr(last, "name=\"line_color\" type=\"QString\" value=\"68,1,84,255\""));
    int wf = well_formed(q);
    if (wf >= 0)
        assert_int_equal(wf, 1);
    free(q);
}

static void report_document_has_sections_and_escapes(void **state)
{
    rt_ctx *ctx = *state;
    rti_report r;
    assert_int_equal(rti_report_init(&r, ctx, "A <b> & C"), RT_OK);
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_sb_put(&b, "<p>one</p>");
    assert_int_equal(rti_report_add(&r, "first", "First & only", &b), RT_OK);
    rti_sb_put(&b, "<p>two</p>");
    assert_int_equal(rti_report_add(&r, "second", "Second", &b), RT_OK);
    char path[64];
    snprintf(path, sizeof(path), "/tmp/rt-report-%ld.html", (long)getpid());
    remove(path);
    assert_int_equal(rti_report_write(ctx, &r, path), RT_OK);
    rti_report_free(&r);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    remove(path);
    assert_true(strncmp(text, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    assert_non_null(strstr(text, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(text, "<title>A &lt;b&gt; &amp; C</title>"));
    assert_non_null(strstr(text, "<a href=\"#first\">First &amp; only</a>"));
    assert_non_null(strstr(text, "<section id=\"second\""));
    assert_non_null(strstr(text, "<p>two</p></section>"));
    assert_int_equal(count(text, "<section "), 2);
    assert_int_equal(count(text, "</section>"), 2);
    assert_null(strstr(text, "http"));
    /* a file that cannot be written is an error naming it */
    rti_report_init(&r, ctx, "x");
    assert_int_equal(rti_report_write(ctx, &r, "/nonexistent-dir/report.html"), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "report.html"));
    rti_report_free(&r);
}

/* ---- a report from a hand-built run ---- */

/* Two squares of 200 x 200 m side by side from (100000, 400000); the grid
 * is 4 x 2 cells of 100 m over them. */
static const char squares_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"W\", \"naam\": \"West\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[100000, 400000], [100200, 400000], "
    "[100200, 400200], [100000, 400200], [100000, 400000]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"O\", \"naam\": \"Oost\"}, "
    "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[100200, 400000], [100400, 400000], "
    "[100400, 400200], [100200, 400200], [100200, 400000]]]}}]}";

/* The text of an HTML page a reader sees or hears: what is outside its
 * tags (without <style> and <script>), and its alt and aria-label texts. */
static char *page_text(const char *html)
{
    char *out = malloc(strlen(html) + 1);
    assert_non_null(out);
    size_t o = 0;
    for (const char *p = html; *p;) {
        if (strncmp(p, "<style>", 7) == 0 || strncmp(p, "<script>", 8) == 0) {
            const char *end = strstr(p, p[1] == 's' && p[2] == 't' ? "</style>" : "</script>");
            assert_non_null(end);
            p = end + 1;
        } else if (*p == '<') {
            const char *end = strchr(p, '>');
            assert_non_null(end);
            for (const char *a = p; a < end; a++) /* alt="..." and aria-label="..." */
                if (strncmp(a, " alt=\"", 6) == 0 || strncmp(a, " aria-label=\"", 13) == 0) {
                    a = strchr(a, '"') + 1;
                    while (*a != '"')
                        out[o++] = *a++;
                    out[o++] = ' ';
                }
            p = end + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return out;
}

/* Fails naming the first text of want (NULL-terminated) not in html. */
static void contains_all(const char *html, const char *const *want)
{
    for (int i = 0; want[i]; i++)
        if (!strstr(html, want[i]))
            fail_msg("not in the report: %s", want[i]);
}

/* A run built by hand: the statistics of the two regions and the
 * population per cell are given, the times per cell are those below. */
typedef struct hand_run {
    rti_language lang;
    double pop_on_grid, pop_total;
    float pop[8];
    rt_region_stats st[2];
    /* classes: of the type (none: the default) and outputs.length */
    double class_min[3], class_km[2];
    int n_class_min, n_class_km, length;
    double moved_m; /* > 0: the facility was moved this far onto its cell;
                     * NaN: it has none (left out, within the grid) */
    double west_m;  /* > 0: the facility lies this far west of the grid */
} hand_run;

/* The run most tests start from: one inhabitant in each of the 8 cells,
 * no statistics, the default classes, the facility on cell 0 moved
 * moved_m onto it (NaN: it has no start). */
static hand_run plain_hand_run(double moved_m)
{
    return (hand_run){.lang = RTI_LANG_EN,
                      .pop_on_grid = 8,
                      .pop_total = 8,
                      .pop = {1, 1, 1, 1, 1, 1, 1, 1},
                      .moved_m = moved_m};
}

/* The report reads a run only through its view: a study, a grid, the
 * facility points, per-region statistics and per-cell times, here all set
 * by hand. Times per cell (s), row 0 on top:
 *     0   60  120  180
 *    60  120  180  inf
 * The norm is 2 min (t <= 120 s is within it). Returns report.html; the
 * checks of the files beside it are in report_from_a_hand_built_run. */
static char *hand_report(rt_ctx *ctx, hand_run *h)
{
    snprintf(dir, sizeof(dir), "/tmp/rt-report-run-%ld", (long)getpid());
    mkdir(dir, 0777);
    write_text("squares.geojson", squares_json);
    char path[512];
    snprintf(path, sizeof(path), "%s/squares.geojson", dir);
    rti_io_init();
    rti_polygons polys = {0};
    rti_layer_ref ref = {.path = path};
    assert_int_equal(rti_read_polygons(ctx, &ref, "EPSG:28992", "code", "naam", NULL, 1, &polys),
                     RT_OK);
    rti_facility_type gp = {.type = "gp", .label = "Huisarts", .n_norms = 1};
    gp.norms[0] = (rt_norm){RT_NORM_TIME, .limit_s = 120.0};
    memcpy(gp.class_min, h->class_min, sizeof(h->class_min));
    memcpy(gp.class_km, h->class_km, sizeof(h->class_km));
    gp.n_class_min = h->n_class_min;
    gp.n_class_km = h->n_class_km;
    rti_region_layer layer = {.name = "gemeente"};
    rt_study study = {.name = "hand",
                      .crs = "EPSG:28992",
                      .cell_m = 100,
                      .neighbours = 16,
                      .snap_radius_m = 200,
                      .facilities = &gp,
                      .n_facilities = 1,
                      .regions = &layer,
                      .n_regions = 1,
                      .has_population = 1,
                      .outputs = {1, 0, h->length, 0, 0, 1},
                      .report = {h->lang}};
    rti_grid_spec grid = {100000, 400200, 100, 4, 2, "EPSG:28992"};
    double px[1] = {h->west_m > 0 ? 100000 - h->west_m : 100050}, py[1] = {400150};
    char *pid[1] = {"gp1"};
    int64_t fid[1] = {7}, cell[1] = {isnan(h->moved_m) ? -1 : 0};
    rti_points pts = {1, px, py, pid, NULL, NULL, fid};
    rt_region_stats *per_layer[1] = {h->st};
    double snap_m[1] = {h->moved_m};
    rti_report_type type = {.def = &gp,
                            .pts = &pts,
                            .cell = cell,
                            .snap_m = snap_m,
                            .n_snapped = h->moved_m > 0,
                            .n_dropped = isnan(h->moved_m),
                            .stats = per_layer,
                            .pop_total = h->pop_total};
    const rti_polygons *regions[1] = {&polys};
    rti_outset outs = {0};
    char outdir[300];
    snprintf(outdir, sizeof(outdir), "%s/out", dir);
    mkdir(outdir, 0777);
    rti_report_view v = {.study = &study,
                         .grid = &grid,
                         .n_passable = 7,
                         .pop_on_grid = h->pop_on_grid,
                         .medium_type = "speed_model",
                         .land_offroad_kmh = 36,
                         .regions = regions,
                         .types = &type,
                         .outdir = outdir,
                         .outs = &outs};
    rti_report_state *r = NULL;
    assert_int_equal(rti_report_plan(ctx, &v, &r), RT_OK);
    double t[8] = {0, 60, 120, 180, 60, 120, 180, INFINITY};
    int32_t f[8] = {0, 0, 0, 0, 0, 0, 0, -1};
    rt_labels lab = {8, t, f, NULL, NULL, NULL};
    rti_report_add_labels(r, &v, 0, &lab, h->pop);
    assert_int_equal(rti_report_write_run(ctx, r, &v), RT_OK);
    assert_int_equal(rti_outset_commit(ctx, &outs), RT_OK);
    rti_report_state_free(r);
    rti_outset_free(&outs);
    rti_polygons_free(&polys);
    snprintf(path, sizeof(path), "%s/report.html", outdir);
    return read_path(path);
}

static void remove_hand_run(void)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* One person per cell: within the norm of 2 min are the cells 0, 60, 120,
 * 60, 120 = 5 of 8 persons = 62.5 %, beyond it 3. */
static void report_from_a_hand_built_run(void **state)
{
    rt_ctx *ctx = *state;
    hand_run h = plain_hand_run(0);
    h.st[0].pop_persons = 4, h.st[0].time_mean_s = 60, h.st[0].time_p90_s = 120;
    h.st[0].share_beyond[0] = 0.0;
    h.st[1].pop_persons = 4, h.st[1].time_mean_s = 135, h.st[1].time_p90_s = INFINITY;
    h.st[1].share_beyond[0] = 0.75; /* 180, 180 and inf are beyond 2 min */
    h.st[1].pop_beyond_persons[0] = 3;
    char *html = hand_report(ctx, &h);
    assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    assert_non_null(strstr(html, "<title>hand</title>"));
    assert_non_null(strstr(html, "grid of 4 &times; 2 cells of 100 m"));
    assert_non_null(strstr(html, "Population on the grid: 8 persons."));
    assert_non_null(strstr(html, "<td class=\"t\">2&nbsp;min</td><td>62.5 %</td><td>3</td>"));
    /* the region table: mean and p90 in minutes, the share beyond 2 min */
    assert_non_null(strstr(html, "travel times weighted by the inhabitants with a route "
                                 "(minutes; p90: the travel time within which 90 % of them "
                                 "live)"));
    assert_non_null(strstr(html, "data-v=\"1\">1.0</td>"));    /* West, 60 s */
    assert_non_null(strstr(html, "data-v=\"2.25\">2.2</td>")); /* Oost, 135 s, %.1f */
    assert_non_null(strstr(html, "class=\"beyond\" data-v=\"75\">75.0 %</td><td data-v=\"3\">3"));
    assert_non_null(strstr(html, "class=\"within\" data-v=\"0\">0.0 %</td><td data-v=\"0\">0"));
    /* the inputs section: the medium as the view gives it */
    assert_non_null(strstr(html, "Passable cells</th><td class=\"t\">7</td>"));
    assert_non_null(strstr(html, "Medium</th><td class=\"t\">speed model (speed_model)</td>"));
    /* nothing moved: no note on what "moved" means */
    assert_null(strstr(html, "Moved: "));
    assert_non_null(strstr(html, "Off-road speed</th><td class=\"t\">36 km/h</td>"));
    assert_null(strstr(html, "Medium over land"));
    assert_null(strstr(html, "Speed profile"));
    free(html);
    /* the style of the time grid, beside it */
    char path[600];
    snprintf(path, sizeof(path), "%s/out/gp_time_min.qml", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof(path), "%s/out/gp_facility.qml", dir);
    char *qml = read_path(path);
    assert_non_null(strstr(qml, "value=\"7\"")); /* the facility's feature id */
    free(qml);
    remove_hand_run();
}

/* The file out/<name> of the hand-built run. */
static char *hand_file(const char *name)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/out/%s", dir, name);
    return read_path(path);
}

/* The report's legend and the .qml beside the grid carry the same breaks.
 * By default the norm 2 min gives the reach 4: 5, 3, 1, 0.5 and the norm
 * (docs/outputs.md). With classes: {minutes: [1, 2.5, 4], km: [1, 2]}
 * those, the norm 2 no break, and the length style in metres. */
static void report_and_styles_share_the_classes(void **state)
{
    rt_ctx *ctx = *state;
    hand_run h = plain_hand_run(0);
    char *html = hand_report(ctx, &h);
    char *qml = hand_file("gp_time_min.qml");
    assert_in_order(html, (const char *const[]){"up to 0.5 min</li>",
                                                "0.5\xe2\x80\x93"
                                                "1 min</li>",
                                                "1\xe2\x80\x93"
                                                "2 min (the 2 min norm)</li>",
                                                "2\xe2\x80\x93"
                                                "3 min</li>",
                                                "3\xe2\x80\x93"
                                                "5 min</li>",
                                                "over 5 min</li>", NULL});
    assert_in_order(qml,
                    (const char *const[]){"value=\"0.5\"", "value=\"1\"", "value=\"2\"",
                                          "value=\"3\"", "value=\"5\"", "value=\"inf\"", NULL});
    assert_int_equal(count(qml, "<item "), 6);
    free(qml);
    free(html);
    remove_hand_run();

    h = plain_hand_run(0);
    h.class_min[0] = 1, h.class_min[1] = 2.5, h.class_min[2] = 4, h.n_class_min = 3;
    h.class_km[0] = 1, h.class_km[1] = 2, h.n_class_km = 2, h.length = 1;
    html = hand_report(ctx, &h);
    qml = hand_file("gp_time_min.qml");
    assert_in_order(html, (const char *const[]){"up to 1 min</li>",
                                                "1\xe2\x80\x93"
                                                "2.5 min</li>",
                                                "2.5\xe2\x80\x93"
                                                "4 min</li>",
                                                "over 4 min</li>", NULL});
    assert_null(strstr(html, " norm)</li>"));
    assert_in_order(qml, (const char *const[]){"value=\"1\"", "value=\"2.5\"", "value=\"4\"",
                                               "value=\"inf\"", NULL});
    assert_int_equal(count(qml, "<item "), 4);
    free(qml);
    /* the length grid's style: 1 and 2 km as metres */
    qml = hand_file("gp_length_m.qml");
    assert_in_order(qml,
                    (const char *const[]){"value=\"1000\"", "label=\"\xe2\x89\xa4 1 km\"",
                                          "value=\"2000\"", "value=\"inf\"", "&gt; 2 km", NULL});
    assert_int_equal(count(qml, "<item "), 3);
    free(qml);
    free(html);
    remove_hand_run();
}

/* The numbers of a larger population, worked by hand. Per cell (the times
 * above): within 2 min 10000 + 1000 + 100 (row 0) + 10 + 0.5 (row 1) =
 * 11110.5, beyond it 1000 (180 s) + 234 (180 s) + 0.5 (unreachable) =
 * 1234.5, of 12345: 90.0 % within. Region West: 12345 inhabitants, 1234.5
 * beyond (10.0 %), rounded to whole people with halves away from zero:
 * 1235. Region Oost: 1000 inhabitants, 9 beyond (0.9 %). The unreachable
 * 0.5 persons are 0.004 % of all: below 0.1 %, and its bar (the last, slot
 * 22 of 23 of (640 - 112) / 23 px at x = 56 + 22 x 22.957 + 1 = 562.0) is
 * drawn 2 px high on the baseline y = 16 + 220 = 236, so from y = 234.0. */
static void hand_run_in_thousands(hand_run *h, rti_language lang)
{
    *h = (hand_run){.lang = lang,
                    .pop_on_grid = 12345,
                    .pop_total = 12345,
                    .pop = {10000, 1000, 100, 1000, 10, 0.5f, 234, 0.5f}};
    h->st[0].pop_persons = 12345, h->st[0].time_mean_s = 60, h->st[0].time_p90_s = 120;
    h->st[0].share_beyond[0] = 0.1, h->st[0].pop_beyond_persons[0] = 1234.5;
    h->st[1].pop_persons = 1000, h->st[1].time_mean_s = 135, h->st[1].time_p90_s = 180;
    h->st[1].share_beyond[0] = 0.009, h->st[1].pop_beyond_persons[0] = 9;
}

/* How the report writes a measure's values: three significant digits,
 * trailing zeros kept (13.0 beside 13.2 in a column), whole numbers from
 * 1000, a positive value that would read 0.00 as
 * "<0.01" (a mean count of 0.000496: a few people with one within reach),
 * and the ratios of the floating catchments per 100,000 inhabitants. */
static void measure_values_as_written(void **state)
{
    (void)state;
    rti_measure_def count = {.name = "count_15min"}, fca = {.name = "2sfca"};
    count.m.kind = RTI_MEASURE_COUNT;
    fca.m.kind = RTI_MEASURE_2SFCA;
    char buf[64];
    static const struct {
        double v;
        const char *en, *nl;
    } want[] = {{0.000496, "&lt;0.01", "&lt;0,01"},
                {0.007, "0.01", "0,01"},
                {0.0664, "0.0664", "0,0664"},
                {0.714, "0.714", "0,714"},
                {0, "0", "0"},
                {1234.4, "1,234", "1.234"},
                {NAN, "&ndash;", "&ndash;"},
                {12.954, "13.0", "13,0"},
                {0.4996, "0.500", "0,500"},
                {17, "17.0", "17,0"},
                {9.996, "10.0", "10,0"},
                {123.4, "123", "123"},
                {999.6, "1,000", "1.000"}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_string_equal(rti_measure_value_text(RTI_LANG_EN, &count, want[i].v, buf, 64),
                            want[i].en);
        assert_string_equal(rti_measure_value_text(RTI_LANG_NL, &count, want[i].v, buf, 64),
                            want[i].nl);
    }
    /* 2.23e-5 places per inhabitant are 2.23 per 100,000 */
    assert_string_equal(rti_measure_value_text(RTI_LANG_NL, &fca, 2.23e-5, buf, 64), "2,23");
    /* persons with their word, one in the singular (0.6 shows as 1) */
    static const struct {
        double v;
        const char *en, *nl;
    } persons[] = {{1, "1 inhabitant", "1 inwoner"},
                   {0.6, "1 inhabitant", "1 inwoner"},
                   {0, "0 inhabitants", "0 inwoners"},
                   {2, "2 inhabitants", "2 inwoners"},
                   {1234, "1,234 inhabitants", "1.234 inwoners"}};
    for (size_t i = 0; i < sizeof(persons) / sizeof(persons[0]); i++) {
        assert_string_equal(rti_fmt_persons(RTI_LANG_EN, persons[i].v, buf, 64), persons[i].en);
        assert_string_equal(rti_fmt_persons(RTI_LANG_NL, persons[i].v, buf, 64), persons[i].nl);
    }
}

/* A facility within the grid without a passable cell in reach: left out,
 * and the sentence says within what (the snap radius of a grid medium). */
static void facility_without_a_start_cell(void **state)
{
    hand_run h = plain_hand_run(NAN);
    char *html = hand_report(*state, &h);
    assert_non_null(strstr(html, "Used: 0 of the 1 facilities. Left out although within the study "
                                 "extent, because no passable cell or road lies within reach of "
                                 "them (snap radius 200 m): 1. Check their coordinates."));
    free(html);
    remove_hand_run();
}

/* A facility beyond the grid's edge but within the snap radius (200 m)
 * that found no passable cell counts as one without a start, as the run's
 * log has it (medium/snap.c); 50 m further it lies outside the extent. */
static void facility_just_beyond_the_edge(void **state)
{
    hand_run h = plain_hand_run(NAN);
    h.west_m = 150;
    char *html = hand_report(*state, &h);
    assert_non_null(strstr(html, "Left out although within the study extent, because no "
                                 "passable cell or road lies within reach of them (snap radius "
                                 "200 m): 1."));
    assert_null(strstr(html, "outside the study extent"));
    free(html);
    remove_hand_run();
    h.west_m = 250;
    html = hand_report(*state, &h);
    assert_non_null(strstr(html, "Left out because they lie outside the study extent"));
    assert_null(strstr(html, "Left out although within"));
    free(html);
    remove_hand_run();
}

static void dutch_report_of_a_hand_built_run(void **state)
{
    hand_run h;
    hand_run_in_thousands(&h, RTI_LANG_NL);
    h.moved_m = 50; /* the facility was moved: the overview says what that is */
    char *html = hand_report(*state, &h);
    static const char *const want[] = {
        "<!DOCTYPE html>\n<html lang=\"nl\">", "<nav aria-label=\"Inhoud\">",
        "<h2 id=\"h-overview\">Overzicht</h2>", "raster van 4 &times; 2 cellen van 100 m",
        "Inwoners op het raster: 12.345.", "<th scope=\"col\">Aantal inwoners buiten de norm</th>",
        /* in short: 12,345 on the grid, 90 % within 2 min (the table above), so
         * 1,234.5 beyond; the most of them in West (1,234.5, 10 % of West) */
        "<p class=\"key\">In het kort:</p>\n<ul class=\"key\"><li>Huisarts: 1.235 inwoners "
        "(10,0 %) verder dan 2 min van de dichtstbijzijnde voorziening; de meeste in West: "
        "1.235, 10,0 % van de inwoners daar.</li></ul>",
        "<td class=\"t\">2&nbsp;min</td><td>90,0 %</td><td>1.235</td>",
        /* the region table: inhabitants, mean and p90, share and number beyond */
        "<td class=\"t\">West</td><td data-v=\"12345\">12.345</td><td data-v=\"1\">1,0</td>"
        "<td data-v=\"2\">2,0</td><td class=\"beyond\" data-v=\"10\">10,0 %</td>"
        "<td data-v=\"1234.5\">1.235</td>",
        "<td data-v=\"2.25\">2,2</td><td data-v=\"3\">3,0</td>"
        "<td class=\"beyond\" data-v=\"0.9\">0,9 %</td><td data-v=\"9\">9</td>",
        /* the overview's note says what "Verschoven" is */
        "Meegeteld: 1 van de 1 locaties. Verschoven naar de dichtstbijzijnde begaanbare cel of "
        "weg, hoogstens 50 m: 1.",
        "<td class=\"t\">gp1</td><td class=\"t\">ja, 50 m verschoven</td>",
        "<p class=\"note\">Verschoven: meegetelde locaties die niet op een begaanbare cel of weg "
        "lagen en naar de dichtstbijzijnde zijn verplaatst; hoe ver staat in de tabel met de "
        "locaties van elk type.",
        /* the map's caption names its GeoTIFF */
        ". Bestand: <code>gp_time_min.tif</code>.</p></figcaption>",
        "<th scope=\"col\">&gt;2 min<br>inwoners</th>",
        /* the region table's p90, in words and said in its caption */
        "reistijden gewogen naar de inwoners met een route (minuten; &lsquo;9 op de 10 "
        "binnen&rsquo;: de reistijd waarbinnen 9 op de 10 van hen wonen)",
        "<th scope=\"col\">9 op de 10 binnen<br>min</th>",
        /* hover text of the choropleths of the share beyond 2 min and of the mean */
        "<title>W West: 10,0 % (1.235 inwoners buiten 2 min)</title>",
        "<title>O Oost: 0,9 % (9 inwoners buiten 2 min)</title>", "<title>O Oost: 2,2 min</title>",
        /* the chart: a share below 0.1 % is named so and its bar is seen */
        "<rect x=\"562.0\" y=\"234.0\" width=\"21.0\" height=\"2.0\" fill=\"#999999\">"
        "<title>&lt;0,1 % van de inwoners</title>",
        ">reistijd (min)</text>",
        /* legends, parameters and the footer */
        "t/m 0,5 min</li>",
        "1\xe2\x80\x93"
        "2 min (norm 2 min)</li>",
        "meer dan 5 min</li>", "Snelheid buiten de weg</th><td class=\"t\">36 km/u</td>",
        "Gemaakt met reistijd ", NULL};
    contains_all(html, want);
    /* no English word is left in the text of the page (outside its tags,
     * style and script) nor in its alt and aria-label texts */
    char *text = page_text(html);
    static const char *const english[] = {"Overview",    "Population",  "inhabitants", "beyond",
                                          "Travel time", "travel time", "Passable",    "Made with",
                                          " of the ",    "population",  "Map of",      "none",
                                          "up to"};
    for (size_t i = 0; i < sizeof(english) / sizeof(english[0]); i++)
        if (strstr(text, english[i]))
            fail_msg("English in the Dutch report: '%s' at %.60s", english[i],
                     strstr(text, english[i]));
    free(text);
    free(html);
    remove_hand_run();
}

static void english_report_of_the_same_run(void **state)
{
    hand_run h;
    hand_run_in_thousands(&h, RTI_LANG_EN);
    char *html = hand_report(*state, &h);
    static const char *const want[] = {
        "Population on the grid: 12,345 persons.",
        "<td class=\"t\">2&nbsp;min</td><td>90.0 %</td><td>1,235</td>",
        "<td data-v=\"12345\">12,345</td><td data-v=\"1\">1.0</td>",
        "<td class=\"beyond\" data-v=\"10\">10.0 %</td><td data-v=\"1234.5\">1,235</td>",
        "<td class=\"beyond\" data-v=\"0.9\">0.9 %</td>",
        "<title>W West: 10.0 % (1,235 inhabitants beyond 2min)</title>",
        "<title>&lt;0.1 % of the population</title>",
        "up to 0.5 min</li>",
        NULL};
    contains_all(html, want);
    free(html);
    remove_hand_run();
}

/* Every key has a text in every language, and the texts of one key have
 * the same printf directives in the same order. */
static void every_label_in_every_language(void **state)
{
    (void)state;
    for (int k = 0; k < RTI_N_LABELS; k++) {
        char en[128], other[128];
        const char *e = rti_label_text(RTI_LANG_EN, (rti_label)k);
        rti_format_directives(e, en, sizeof(en));
        for (int l = 0; l < RTI_N_LANGS; l++) {
            const char *t = rti_label_text((rti_language)l, (rti_label)k);
            if (!t || !*t)
                fail_msg("label %d has no text in language %d", k, l);
            rti_format_directives(t, other, sizeof(other));
            if (strcmp(en, other) != 0)
                fail_msg("label %d: directives '%s' in English, '%s' in language %d ('%s')", k, en,
                         other, l, t);
        }
    }
    /* the check of directives itself */
    char d[64];
    rti_format_directives("%lld of %lld, 100 %%, %s %.1f%d", d, sizeof(d));
    assert_string_equal(d, "lld,lld,s,f,d,");
}

/* Numbers in each language, worked by hand. */
static void numbers_in_each_language(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(rti_fmt_count(RTI_LANG_EN, 1234567.5, b, sizeof(b)), "1,234,568");
    assert_string_equal(rti_fmt_count(RTI_LANG_NL, 1234567.5, b, sizeof(b)), "1.234.568");
    assert_string_equal(rti_fmt_count(RTI_LANG_NL, 999.4, b, sizeof(b)), "999");
    assert_string_equal(rti_fmt_count(RTI_LANG_EN, 1000, b, sizeof(b)), "1,000");
    assert_string_equal(rti_fmt_count(RTI_LANG_EN, -1234.5, b, sizeof(b)), "-1,235");
    assert_string_equal(rti_fmt_count(RTI_LANG_EN, 0, b, sizeof(b)), "0");
    assert_string_equal(rti_fmt_count(RTI_LANG_NL, NAN, b, sizeof(b)), "&ndash;");
    assert_string_equal(rti_fmt_share(RTI_LANG_EN, 0.9, b, sizeof(b)), "0.9 %");
    assert_string_equal(rti_fmt_share(RTI_LANG_NL, 0.9, b, sizeof(b)), "0,9 %");
    assert_string_equal(rti_fmt_share(RTI_LANG_NL, 0.04, b, sizeof(b)), "&lt;0,1 %");
    assert_string_equal(rti_fmt_share(RTI_LANG_EN, 0.05, b, sizeof(b)), "0.1 %");
    assert_string_equal(rti_fmt_share(RTI_LANG_EN, 0, b, sizeof(b)), "0.0 %");
    assert_string_equal(rti_fmt_share(RTI_LANG_EN, 99.96, b, sizeof(b)), "&gt;99.9 %");
    assert_string_equal(rti_fmt_share(RTI_LANG_NL, 100, b, sizeof(b)), "100,0 %");
    assert_string_equal(rti_fmt_local(RTI_LANG_NL, "%g", 1.5, b, sizeof(b)), "1,5");
    rt_norm nm = {RT_NORM_LENGTH, .limit_m = 7500};
    assert_string_equal(rti_norm_text(RTI_LANG_NL, &nm, b, sizeof(b)), "7,5 km");
    assert_string_equal(rti_norm_text(RTI_LANG_EN, &nm, b, sizeof(b)), "7.5km");
}

/* The names of the two squares on the maps of the hand-built run: the map
 * of 400 x 200 m is fit into 540 units (1.35 per metre); GEOS puts the
 * point on the surface of a square at its centre, (100100, 400100) for
 * West: x (100100 - 100000) x 1.35 = 135, y (400200 - 400100) x 1.35 =
 * 135 and the baseline 0.3 x 12 below it, 138.6. "West" at 12 units is
 * 4 x 0.65 x 12 = 31.2 wide, well inside the 270 units of the square.
 * The facility gp1 in cell 0 (the centre (100050, 400150) on a map of 800
 * pixels per 400 m, so (100, 100)) has its hover text; without a name
 * column nothing is written beside it (its id is in the hover text and the
 * table). */
static void names_on_the_maps(void **state)
{
    hand_run h = plain_hand_run(0);
    char *html = hand_report(*state, &h);
    static const char *const want[] = {
        "<g id=\"r0-names\" class=\"names\"><text x=\"135.0\" y=\"138.6\" font-size=\"12.0\" "
        "text-anchor=\"middle\">West</text><text x=\"405.0\" y=\"138.6\" font-size=\"12.0\" "
        "text-anchor=\"middle\">Oost</text></g>",
        "</g><use href=\"#r0-names\"/></svg>",
        "<circle cx=\"100.0\" cy=\"100.0\" r=\"5\"><title>gp1</title></circle>",
        /* every facility in a table, and the sentence */
        "<p>Used: 1 of the 1 facilities.</p>",
        "<tr><td class=\"t\">gp1</td><td class=\"t\">yes</td></tr>", NULL};
    contains_all(html, want);
    assert_null(strstr(html, "<details>")); /* none left out */
    assert_null(strstr(html, ">gp1</text>"));
    int overlaps;
    assert_true(svg_text_overlaps(html, &overlaps) > 10);
    assert_int_equal(overlaps, 0);
    free(html);
    remove_hand_run();
}

/* A facility moved by less than a metre reads with a decimal, one moved
 * by less than 5 cm as "<0.1", in its row and in the sentence: never as
 * moved 0 m. */
static void small_moves_are_not_zero(void **state)
{
    static const struct {
        double m;
        const char *row, *sentence;
    } cases[] = {{0.3, "yes, moved 0.3 m", "by at most 0.3 m: 1."},
                 {0.04, "yes, moved &lt;0.1 m", "by at most &lt;0.1 m: 1."},
                 {9.4, "yes, moved 9.4 m", "by at most 9.4 m: 1."},
                 {9.6, "yes, moved 10 m", "by at most 10 m: 1."}};
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        hand_run h = plain_hand_run(cases[k].m);
        char *html = hand_report(*state, &h);
        char row[128];
        snprintf(row, sizeof(row), "<td class=\"t\">gp1</td><td class=\"t\">%s</td>", cases[k].row);
        const char *want[] = {row, cases[k].sentence, NULL};
        contains_all(html, want);
        free(html);
        remove_hand_run();
    }
}

/* The chart of the issue: 20 bins of 4.5 min (classes up to 90 min). The
 * labels of the time axis are the round 0, 15, ... 90 (90 / 15 = 6 steps),
 * at x = 56 + 22.957 x t / 4.5: 15 min at 132.5, 90 at 515.1. The labels
 * of the two extra bars, "&gt;90" at slot 21.5 (x 549.6) and "none" at
 * 22.5 (x 572.5), are 22.96 apart, less than the half widths 3 x 0.65 x 11
 * / 2 = 10.7 and 4 x 0.65 x 11 / 2 = 14.3 together, so "none" goes a line
 * (1.1 x 11) lower: y 250 + 12.1 = 262.1. */
static void chart_labels_are_round_and_apart(void **state)
{
    rt_ctx *ctx = *state;
    double bins[22] = {0};
    bins[0] = 90, bins[20] = 9, bins[21] = 1;
    rti_classes c;
    double norms[2] = {30, 45};
    rti_round_classes(&c, 0, norms, 2, 90);
    rti_histogram hg = {"t", bins, 20, 4.5, &c, norms, 2, RTI_LANG_EN};
    rti_sbuf b;
    rti_sb_init(&b, ctx);
    rti_svg_histogram(&b, &hg);
    char *svg = rti_sb_take(&b);
    assert_non_null(svg);
    static const char *const want[] = {
        "<text x=\"132.5\" y=\"250\" class=\"ax\" text-anchor=\"middle\">15</text>",
        "<text x=\"515.1\" y=\"250\" class=\"ax\" text-anchor=\"middle\">90</text>",
        "<text x=\"549.6\" y=\"250\" class=\"ax\" text-anchor=\"middle\">&gt;90</text>",
        "<text x=\"572.5\" y=\"262.1\" class=\"ax\" text-anchor=\"middle\">none</text>", NULL};
    contains_all(svg, want);
    assert_null(strstr(svg, ">22.5<"));
    assert_null(strstr(svg, ">67.5<"));
    int overlaps;
    assert_int_equal(svg_text_overlaps(svg, &overlaps), 10 + 1 + 7 + 2 + 2);
    assert_int_equal(overlaps, 0);
    free(svg);
}

/* Text boxes, worked by hand: "&gt;90" is 3 characters, "Zuid-Holland"
 * 12; "é" (two bytes) one. At 10 units a character is 6.5 wide; the box
 * reaches 8 above the baseline and 2.5 below. */
static void text_boxes_by_hand(void **state)
{
    (void)state;
    assert_int_equal(rti_text_chars("&gt;90"), 3);
    assert_int_equal(rti_text_chars("Zuid-Holland"), 12);
    assert_int_equal(rti_text_chars("caf\xc3\xa9"), 4);
    rti_box m = rti_text_box("abcd", 100, 50, 10, 'm');
    assert_true(fabs(m.x0 - 87) < 1e-9 && fabs(m.x1 - 113) < 1e-9);
    assert_true(fabs(m.y0 - 42) < 1e-9 && fabs(m.y1 - 52.5) < 1e-9);
    rti_box e = rti_text_box("abcd", 100, 50, 10, 'e');
    assert_true(fabs(e.x0 - 74) < 1e-9 && fabs(e.x1 - 100) < 1e-9);
    rti_box taken[3];
    rti_placer pl = {taken, 0, 3};
    rti_box a = {0, 0, 10, 10}, b = {10, 0, 20, 10}, c = {5, 5, 15, 15}, frame = {0, 0, 15, 15};
    assert_int_equal(rti_placer_try(&pl, &a, NULL), 1);
    assert_int_equal(rti_placer_try(&pl, &b, &frame), 0); /* beyond the frame */
    assert_int_equal(rti_placer_try(&pl, &b, NULL), 1);   /* shares an edge only */
    assert_int_equal(rti_placer_try(&pl, &c, NULL), 0);   /* meets both */
    assert_int_equal(pl.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(viridis_anchors_and_midpoints),
        cmocka_unit_test(round_classes_by_hand),
        cmocka_unit_test(time_classes_follow_the_norms),
        cmocka_unit_test(classes_without_a_time_norm),
        cmocka_unit_test(histogram_bins_by_hand),
        cmocka_unit_test(histogram_with_an_infinite_width),
        cmocka_unit_test(svg_path_of_a_square),
        cmocka_unit_test(html_escaping),
        cmocka_unit_test(base64_rfc4648_vectors),
        cmocka_unit_test(raster_style_lists_the_classes),
        cmocka_unit_test(road_style_is_graduated_on_time_min),
        cmocka_unit_test_setup_teardown(measure_classes_by_hand, setup, teardown),
        cmocka_unit_test(pooled_rows_by_hand),
        cmocka_unit_test(report_document_has_sections_and_escapes),
        cmocka_unit_test_setup_teardown(report_from_a_hand_built_run, setup, teardown),
        cmocka_unit_test_setup_teardown(report_and_styles_share_the_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(facility_without_a_start_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(facility_just_beyond_the_edge, setup, teardown),
        cmocka_unit_test(measure_values_as_written),
        cmocka_unit_test_setup_teardown(dutch_report_of_a_hand_built_run, setup, teardown),
        cmocka_unit_test_setup_teardown(english_report_of_the_same_run, setup, teardown),
        cmocka_unit_test(every_label_in_every_language),
        cmocka_unit_test(numbers_in_each_language),
        cmocka_unit_test_setup_teardown(names_on_the_maps, setup, teardown),
        cmocka_unit_test_setup_teardown(small_moves_are_not_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(chart_labels_are_round_and_apart, setup, teardown),
        cmocka_unit_test(text_boxes_by_hand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
