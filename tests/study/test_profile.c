/* Speed profiles: the shipped files, loading errors, overrides, and the
 * graph of each mode over a hand-drawn network with hand-computed times. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/ctx_internal.h"
#include "core/roadnet.h"
#include "reistijd/rt_search.h"
#include "study/medium/medium.h"

#define ASSERT_MSG_HAS(ctx, s)                                                                     \
    do {                                                                                           \
        if (!strstr(rt_ctx_errmsg(ctx), (s))) {                                                    \
            print_error("message \"%s\" lacks \"%s\"\n", rt_ctx_errmsg(ctx), (s));                 \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static const char *profile_path(const char *name)
{
    static char buf[4][512];
    static int k;
    const char *d = getenv("RT_SOURCE_DIR");
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/geodata/profiles/%s", d ? d : ".", name);
    return buf[k];
}

static double kmh_of(const rti_profile *p, const char *cls)
{
    return p->class_kmh[rti_road_class_index(cls)];
}

static void shipped_profiles_load(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rti_profile car, bike, walk;
    assert_int_equal(rti_profile_load(ctx, profile_path("car.yaml"), &car), RT_OK);
    assert_int_equal(rti_profile_load(ctx, profile_path("bike.yaml"), &bike), RT_OK);
    assert_int_equal(rti_profile_load(ctx, profile_path("walk.yaml"), &walk), RT_OK);
    assert_int_equal(car.mode, RTI_MODE_CAR);
    assert_int_equal(bike.mode, RTI_MODE_BIKE);
    assert_int_equal(walk.mode, RTI_MODE_WALK);
    assert_int_equal(car.use_maxspeed, 1);
    assert_int_equal(walk.use_maxspeed, 0);
    assert_true(kmh_of(&car, "motorway") == 100);
    assert_true(isnan(kmh_of(&car, "footway")));
    assert_true(isnan(kmh_of(&bike, "motorway")));
    assert_true(kmh_of(&walk, "steps") == 5);
    assert_true(car.default_kmh == 15);
    /* the car takes no access leg to a motorway or its ramps, on foot and
     * by bike the list is empty */
    for (int k = 0; k < RTI_PROFILE_MAX_CLASSES; k++) {
        const int motorway =
            k == rti_road_class_index("motorway") || k == rti_road_class_index("motorway_link");
        assert_int_equal(car.no_access[k], motorway);
        assert_int_equal(bike.no_access[k] + walk.no_access[k], 0);
    }
    rti_profile_free(&car);
    rti_profile_free(&bike);
    rti_profile_free(&walk);
    rt_ctx_destroy(ctx);
}

/* A profile that lists every class at 10 km/h but those in `extra`, then
 * `extra`. */
static const char *write_profile(const char *head, const char *extra)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/rt_profile_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(head, fp);
    fputs("classes:\n", fp);
    int n;
    const char *const *names = rti_road_class_names(&n);
    for (int i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof(key), "  %s:", names[i]);
        if (strcmp(names[i], "line") != 0 && !strstr(extra, key))
            fprintf(fp, "  %s: 10\n", names[i]);
    }
    fputs(extra, fp);
    fclose(fp);
    return path;
}

typedef struct bad_case {
    const char *head, *extra;
    rt_status st;
    const char *msg;
} bad_case;

static void profile_errors_name_the_place(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    const char *ok = "version: 1\nmode: car\n";
    const bad_case cases[] = {
        {ok, "  motorwya: 100\n", RT_E_PARSE,
         ":31:3: key 'classes.motorwya': unknown road class 'motorwya' (known classes: motorway, "
         "motorway_link"},
        {ok, "  busway: 20\n", RT_E_PARSE, "unknown road class 'busway'"},
        {ok, "  motorway: -5\n", RT_E_PARSE,
         "key 'classes.motorway': expected a speed from 0.001 to 1000 km/h or no, got '-5'"},
        {ok, "  motorway: 1000.5\n", RT_E_PARSE,
         "key 'classes.motorway': expected a speed from 0.001 to 1000 km/h or no, got '1000.5'"},
        {ok, "  footway: 0.0009\n", RT_E_PARSE,
         "key 'classes.footway': expected a speed from 0.001 to 1000 km/h or no, got '0.0009'"},
        {ok, "  motorway: fast\n", RT_E_PARSE, "got 'fast'"},
        {"version: 2\nmode: car\n", "", RT_E_PARSE,
         ":1:10: key 'version': this reistijd reads "
         "profile version 1, got '2'"},
        {"version: 1\nmode: bus\n", "", RT_E_PARSE,
         ":2:7: key 'mode': expected car, bike or "
         "walk, got 'bus'"},
        {"mode: car\n", "", RT_E_PARSE, "key 'version': required key is missing"},
        {"version: 1\nmode: car\nspeed: 3\n", "", RT_E_PARSE,
         ":3:1: key 'speed': unknown key; valid keys: version, mode"},
        {"version: 1\nmode: car\ndefault_kmh: 0\n", "", RT_E_PARSE,
         "key 'default_kmh': expected a speed from 0.001 to 1000 km/h, got '0'"},
        {"version: 1\nmode: car\ndefault_kmh: 1e300\n", "", RT_E_PARSE,
         "key 'default_kmh': expected a speed from 0.001 to 1000 km/h, got '1e300'"},
        {"version: 1\nmode: car\nuse_maxspeed: perhaps\n", "", RT_E_PARSE,
         "key 'use_maxspeed': expected true or false"},
        {"version: 1\nmode: car\nno_access: motorway\n", "", RT_E_PARSE,
         ":3:1: key 'no_access': expected a list, got 'motorway'"},
        {"version: 1\nmode: car\nno_access: [motorway, snelweg]\n", "", RT_E_PARSE,
         ":3:23: key 'no_access[1]': unknown road class 'snelweg' (known classes: motorway, "},
        {"version: 1\nmode: car\nno_access: [[motorway]]\n", "", RT_E_PARSE,
         "key 'no_access[0]': expected a road class, got a list"},
        {ok, "  residential: [1, 2\n", RT_E_PARSE, "YAML syntax error"},
        /* found by fuzzing: libfyaml 0.8 looped forever on a directive with
         * a byte it did not expect; directives are refused, and so is a
         * byte that is not UTF-8 (line 1, column 2: the byte after '%') */
        {"%\xfa\nversion: 1\nmode: car\n", "", RT_E_PARSE,
         ":1:2: the file is not UTF-8 text (byte 0xfa)"},
        {"%YAML 1.2\n---\nversion: 1\nmode: car\n", "", RT_E_PARSE,
         ":1:1: a YAML directive (a line starting with '%') is not used in this file"},
        /* found by fuzzing: a carriage return alone also ends a line for
         * YAML (the directive is on line 3), and so do NEL and LS */
        {"se: 1\nl%'\r%%@@\n", "", RT_E_PARSE,
         ":3:1: a YAML directive (a line starting with '%') is not used in this file"},
        /* found by fuzzing: libfyaml 0.8 crashed cleaning up after an
         * error inside an explicit key (a tab and ':' in its value) */
        {"version: 1\nclasses:\n  ? b: \t:\n", "", RT_E_PARSE,
         ":3:3: an explicit YAML key ('?' and a blank) is not used in this file"},
        {"version: 1\n- - ?\n", "", RT_E_PARSE, ":2:5: an explicit YAML key"},
        /* the bytes that followed it there: an overlong form, not UTF-8 */
        {"a: '\xe0\x8f\x9a'\n", "", RT_E_PARSE, ":1:5: the file is not UTF-8 text (byte 0xe0)"},
        {"a: '\xed\xa0\x80'\n", "", RT_E_PARSE, ":1:5: the file is not UTF-8 text (byte 0xed)"},
        {"a: '\xf4\x90\x80\x80'\n", "", RT_E_PARSE, ":1:5: the file is not UTF-8 text (byte 0xf4)"},
        {"version: 1\xc2\x85%TAG ! x\n", "", RT_E_PARSE, ":1:1: a YAML directive"},
        {"version: 1\xe2\x80\xa8%TAG ! x\n", "", RT_E_PARSE, ":1:1: a YAML directive"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *path = write_profile(cases[i].head, cases[i].extra);
        rti_profile p;
        rt_status st = rti_profile_load(ctx, path, &p);
        if (st != cases[i].st || !strstr(rt_ctx_errmsg(ctx), cases[i].msg) ||
            strncmp(rt_ctx_errmsg(ctx), path, strlen(path)) != 0) {
            print_error("case %zu: %s: \"%s\" lacks \"%s\"\n", i, rt_status_str(st),
                        rt_ctx_errmsg(ctx), cases[i].msg);
            fail();
        }
        assert_null(p.path);
        unlink(path);
    }
    /* a class left out */
    const char *path = write_profile(ok, "");
    FILE *fp = fopen(path, "r+");
    char text[4096];
    size_t n = fread(text, 1, sizeof(text) - 1, fp);
    text[n] = '\0';
    fclose(fp);
    char *steps = strstr(text, "  steps: 10\n");
    memmove(steps, steps + strlen("  steps: 10\n"), strlen(steps + strlen("  steps: 10\n")) + 1);
    fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    rti_profile p;
    assert_int_equal(rti_profile_load(ctx, path, &p), RT_E_PARSE);
    ASSERT_MSG_HAS(ctx, "class 'steps' is missing");
    unlink(path);
    assert_int_equal(rti_profile_load(ctx, "/nonexistent/car.yaml", &p), RT_E_IO);
    ASSERT_MSG_HAS(ctx, "/nonexistent/car.yaml: cannot open the speed profile");
    rt_ctx_destroy(ctx);
}

static void overrides(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rti_profile p;
    assert_int_equal(rti_profile_load(ctx, profile_path("car.yaml"), &p), RT_OK);
    assert_int_equal(rti_profile_override(ctx, &p, "motorway", 130), RT_OK);
    assert_true(kmh_of(&p, "motorway") == 130);
    assert_int_equal(rti_profile_override(ctx, &p, "service", 0), RT_OK);
    assert_true(isnan(kmh_of(&p, "service")));
    assert_int_equal(rti_profile_override(ctx, &p, "autobahn", 130), RT_E_ARG);
    ASSERT_MSG_HAS(ctx, "unknown road class 'autobahn' (known classes: motorway");
    assert_int_equal(rti_profile_override(ctx, &p, "track", -1), RT_E_ARG);
    assert_int_equal(rti_profile_override(ctx, &p, "track", INFINITY), RT_E_ARG);
    /* the speeds of a profile file: 0.001 to 1000 km/h */
    assert_int_equal(rti_profile_override(ctx, &p, "track", 1000.5), RT_E_ARG);
    ASSERT_MSG_HAS(ctx, "class 'track': speed 1000.5 km/h (must be from 0.001 to 1000 km/h");
    assert_int_equal(rti_profile_override(ctx, &p, "track", 0.0009), RT_E_ARG);
    assert_int_equal(rti_profile_override(ctx, &p, "track", 1000), RT_OK);
    assert_true(kmh_of(&p, "track") == 1000);
    assert_int_equal(rti_profile_override(ctx, &p, "track", 0.001), RT_OK);
    assert_true(kmh_of(&p, "track") == 0.001);
    rti_profile_free(&p);

    /* {class: km/h or no} in a profile file: a speed and a no are taken,
     * an unknown class is named at its place */
    const char *good = write_profile("version: 1\nmode: car\ndefault_kmh: 0.001\n",
                                     "  track: 20\n  footway: no\n  motorway: 1000\n"
                                     "  steps: 0.001\n");
    assert_int_equal(rti_profile_load(ctx, good, &p), RT_OK);
    unlink(good);
    assert_true(kmh_of(&p, "track") == 20);
    assert_true(isnan(kmh_of(&p, "footway")));
    assert_true(kmh_of(&p, "motorway") == 1000); /* the ends of the range */
    assert_true(kmh_of(&p, "steps") == 0.001);
    assert_true(p.default_kmh == 0.001);
    rti_profile_free(&p);
    char dir[] = "/tmp/rt_profile_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("classes:\n  track: 20\n  footway: no\n  snelweg: 100\nversion: 1\nmode: car\n", fp);
    fclose(fp);
    assert_int_equal(rti_profile_load(ctx, path, &p), RT_E_PARSE);
    ASSERT_MSG_HAS(ctx, "study.yaml:4:3: key 'classes.snelweg': unknown road class 'snelweg'");
    unlink(path);
    rmdir(dir);
    rt_ctx_destroy(ctx);
}

/* ---- graphs ---- */

/* Five nodes on a line; lengths, classes and tags as in the comments of
 * graph_times. Built by hand, not read, so only rti_roads_graph is tested. */
typedef struct hand_net {
    rti_roads r;
    int32_t from[6], to[6], cls[6];
    double len[6], x[5], y[5];
    float maxspeed[6];
    uint8_t dir_car[6], dir_bike[6], modes[6], modes_yes[6];
    char *classes[6];
} hand_net;

static void hand_network(hand_net *h)
{
    static const char *const cls[6] = {"residential", "primary", "footway",
                                       "motorway",    "service", "cycleway"};
    const int32_t from[6] = {0, 1, 2, 3, 0, 1}, to[6] = {1, 2, 3, 4, 4, 3};
    const double len[6] = {1000, 1000, 500, 2000, 3000, 1200};
    const float maxs[6] = {NAN, 30, NAN, NAN, NAN, NAN};
    const uint8_t dir_car[6] = {RTI_DIR_FORWARD, 0, 0, RTI_DIR_FORWARD, 0, 0};
    const uint8_t modes[6] = {RTI_MODE_ALL, RTI_MODE_ALL,  RTI_MODE_ALL,
                              RTI_MODE_ALL, RTI_MODE_WALK, RTI_MODE_ALL};
    const uint8_t yes[6] = {0, 0, RTI_MODE_BIKE, 0, RTI_MODE_WALK, 0};
    memset(h, 0, sizeof(*h));
    for (int e = 0; e < 6; e++) {
        h->from[e] = from[e], h->to[e] = to[e], h->cls[e] = e, h->len[e] = len[e];
        h->maxspeed[e] = maxs[e], h->dir_car[e] = dir_car[e];
        h->dir_bike[e] = RTI_DIR_BOTH; /* oneway:bicycle=no on the first */
        h->modes[e] = modes[e], h->modes_yes[e] = yes[e], h->classes[e] = (char *)cls[e];
    }
    h->r.n_nodes = 5, h->r.n_edges = 6, h->r.x = h->x, h->r.y = h->y;
    h->r.from = h->from, h->r.to = h->to, h->r.length_m = h->len, h->r.cls = h->cls;
    h->r.maxspeed_kmh = h->maxspeed, h->r.dir_car = h->dir_car, h->r.dir_bike = h->dir_bike;
    h->r.modes = h->modes, h->r.modes_yes = h->modes_yes, h->r.classes = h->classes;
    h->r.n_classes = 6;
}

static void search_from(rt_ctx *ctx, const rti_road_graph *g, int32_t node, double *t)
{
    rt_labels l;
    rt_source s = {.cell = node, .facility = 0};
    assert_int_equal(rt_labels_alloc(ctx, rt_graph_nodes(g->graph), 0, &l), RT_OK);
    assert_int_equal(rt_graph_search(ctx, g->graph, &s, 1, NULL, NULL, &l), RT_OK);
    for (int64_t v = 0; v < rt_graph_nodes(g->graph); v++)
        t[v] = l.time_s[v];
    rt_labels_free(&l);
}

static void assert_times(const double *got, const double *want, int n)
{
    for (int v = 0; v < n; v++)
        if (!(got[v] == want[v] || fabs(got[v] - want[v]) < 1e-9)) {
            print_error("node %d: %.9f s, want %.9f s\n", v, got[v], want[v]);
            fail();
        }
}

static void graph_times(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    hand_net h;
    hand_network(&h);
    rti_profile car, bike, walk;
    assert_int_equal(rti_profile_load(ctx, profile_path("car.yaml"), &car), RT_OK);
    assert_int_equal(rti_profile_load(ctx, profile_path("bike.yaml"), &bike), RT_OK);
    assert_int_equal(rti_profile_load(ctx, profile_path("walk.yaml"), &walk), RT_OK);
    rti_road_graph g;
    double t[5];
    /* car: residential 25 km/h one way 0 -> 1: 1000 / (25 / 3.6) = 144 s;
     * primary 60 capped at maxspeed 30: 120 s; no footway, cycleway or
     * private service road, the motorway only 3 -> 4 */
    assert_int_equal(rti_roads_graph(ctx, &h.r, &car, 0, &g), RT_OK);
    search_from(ctx, &g, 0, t);
    assert_times(t, (double[]){0, 144, 264, INFINITY, INFINITY}, 5);
    assert_true(g.arc_along[0] >= 0 && g.arc_against[0] == -1);
    assert_true(g.arc_along[2] == -1 && g.arc_against[2] == -1);
    assert_true(fabs(g.time_s[g.arc_along[1]] - 120) < 1e-9);
    assert_int_equal(g.n_edges_used, 3);
    search_from(ctx, &g, 1, t); /* against the one-way street: 0 is not reached */
    assert_times(t, (double[]){INFINITY, 0, 120, INFINITY, INFINITY}, 5);
    rti_road_graph_free(&g);
    /* toward: times to node 1; 0 drives to it in 144 s */
    assert_int_equal(rti_roads_graph(ctx, &h.r, &car, 1, &g), RT_OK);
    search_from(ctx, &g, 1, t);
    assert_times(t, (double[]){144, 0, 120, INFINITY, INFINITY}, 5);
    rti_road_graph_free(&g);
    /* an override: residential at 50 km/h, 72 s */
    assert_int_equal(rti_profile_override(ctx, &car, "residential", 50), RT_OK);
    assert_int_equal(rti_roads_graph(ctx, &h.r, &car, 0, &g), RT_OK);
    search_from(ctx, &g, 0, t);
    assert_times(t, (double[]){0, 72, 192, INFINITY, INFINITY}, 5);
    rti_road_graph_free(&g);

    /* bike: 15 km/h = 240 s per km both ways; the footway open to bicycles
     * at default_kmh 12 (150 s for 500 m), the cycleway 1 -> 3 (288 s) is
     * faster: 3 at 528 s; no motorway, no private road */
    assert_int_equal(rti_roads_graph(ctx, &h.r, &bike, 0, &g), RT_OK);
    search_from(ctx, &g, 0, t);
    assert_times(t, (double[]){0, 240, 480, 528, INFINITY}, 5);
    search_from(ctx, &g, 1, t);
    assert_times(t, (double[]){240, 0, 240, 288, INFINITY}, 5);
    rti_road_graph_free(&g);

    /* walk: 5 km/h = 720 s per km, both ways everywhere; the private road
     * open on foot (3000 m: 2160 s) */
    assert_int_equal(rti_roads_graph(ctx, &h.r, &walk, 0, &g), RT_OK);
    search_from(ctx, &g, 0, t);
    assert_times(t, (double[]){0, 720, 1440, 1584, 2160}, 5);
    rti_road_graph_free(&g);

    /* line layers: their own speed, any mode, 36 km/h = 10 m/s */
    float speed[6] = {36, 36, 36, 36, 36, 36};
    h.r.speed_kmh = speed;
    assert_int_equal(rti_roads_graph(ctx, &h.r, &walk, 0, &g), RT_OK);
    search_from(ctx, &g, 0, t);
    assert_times(t, (double[]){0, 100, 200, 220, 300}, 5);
    rti_road_graph_free(&g);
    rti_profile_free(&car);
    rti_profile_free(&bike);
    rti_profile_free(&walk);
    rt_ctx_destroy(ctx);
}

/* ---- hostile files: the limits of the study file hold for profiles ---- */

/* A profile file at a fresh path holding text (n bytes). */
static const char *write_text(const char *text, size_t n)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/rt_profile_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    return path;
}

static void expect_refused(rt_ctx *ctx, const char *path, rt_status want, const char *what)
{
    rti_profile p;
    alarm(20); /* a FIFO must not block: the alarm ends a hung test */
    rt_status st = rti_profile_load(ctx, path, &p);
    alarm(0);
    if (st != want || !strstr(rt_ctx_errmsg(ctx), what)) {
        print_error("%s: %s: \"%s\" lacks \"%s\"\n", path, rt_status_str(st), rt_ctx_errmsg(ctx),
                    what);
        fail();
    }
    assert_null(p.path);
}

static void hostile_profiles_are_refused(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    char dir[] = "/tmp/rt_profile_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/car.yaml", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    expect_refused(ctx, path, RT_E_IO,
                   "car.yaml: the speed profile is a named pipe (FIFO), not a "
                   "regular file");
    unlink(path);
    expect_refused(ctx, dir, RT_E_IO, ": the speed profile is a folder, not a regular file");
    rmdir(dir);

    /* ten levels of anchors, each ten aliases of the one before: refused
     * at the 8th alias of level 4 (see test_study_parse.c), line 3 */
    char bomb[2048];
    size_t n = (size_t)snprintf(bomb, sizeof(bomb), "version: 1\nmode: car\nl0: &l0 [a");
    for (int k = 1; k < 10; k++)
        n += (size_t)snprintf(bomb + n, sizeof(bomb) - n, ", a");
    n += (size_t)snprintf(bomb + n, sizeof(bomb) - n, "]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(bomb + n, sizeof(bomb) - n, "l%d: &l%d [*l%d", i, i, i - 1);
        for (int k = 1; k < 10; k++)
            n += (size_t)snprintf(bomb + n, sizeof(bomb) - n, ", *l%d", i - 1);
        n += (size_t)snprintf(bomb + n, sizeof(bomb) - n, "]\n");
    }
    const char *p = write_text(bomb, n);
    expect_refused(ctx, p, RT_E_PARSE, "the file holds more than 100000 YAML nodes");
    unlink(p);

    /* 65 levels: the root mapping and 64 lists */
    char deep[256];
    n = (size_t)snprintf(deep, sizeof(deep), "version: 1\nclasses: ");
    for (int k = 0; k < 64; k++)
        deep[n++] = '[';
    for (int k = 0; k < 64; k++)
        deep[n++] = ']';
    /* the 64th '[' of line 2, after "classes: " */
    p = write_text(deep, n);
    expect_refused(ctx, p, RT_E_PARSE, ":2:73: lists and mappings are nested more than 64 deep");
    unlink(p);

    /* 1 MiB + 1 byte */
    size_t big = (1u << 20) + 1;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, '#', big);
    p = write_text(text, big);
    expect_refused(ctx, p, RT_E_PARSE, "the speed profile is 1048577 bytes; at most 1048576");
    unlink(p);
    /* 1 MiB of '-', one word: 1 + 6 x 16666 = 99997 tokens, the 16667th
     * crosses */
    memset(text, '-', big);
    p = write_text(text, 1u << 20);
    expect_refused(ctx, p, RT_E_PARSE, ":1:16667: the file holds more than 100000 YAML tokens");
    unlink(p);
    free(text);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_profiles_load),
        cmocka_unit_test(profile_errors_name_the_place),
        cmocka_unit_test(overrides),
        cmocka_unit_test(graph_times),
        cmocka_unit_test(hostile_profiles_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
