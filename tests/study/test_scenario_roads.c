/* Scenarios on a road graph against a second method: on random road
 * networks (a lattice of lines with random speeds and one-way streets)
 * with random facilities and people, a scenario that adds roads between
 * existing junctions, closes roads chosen by a filter and doubles the speed
 * of the roads whose middle lies in a rectangle gives, to the byte, the
 * grids and region table of a study whose road file was edited the same
 * way (the new lines added, the closed ones left out by a filter, the
 * doubled speeds written in); on the network and on the hybrid medium.
 * Seeded, so every run tries the same cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reistijd/rt_study.h"
#include "study_fixture.h"

#include "halves_fixture.h" /* after study_fixture.h */

#define CASES 24
#define LX 10 /* junctions per row */
#define LY 8  /* junctions per column */

static unsigned rng = 20261203u;
static int rnd(int n) { return lcg_next(&rng, n); }

/* Junction (i, j) of the lattice: irregular spacing, so that no cell
 * centre lies as far from two roads. */
static double jx(int i) { return 37 + 113 * i + (i % 3) * 7; }
static double jy(int j) { return 41 + 97 * j + (j % 2) * 5; }

typedef struct road {
    int i0, j0, i1, j1, kmh, oneway;
} road;

/* Appends one line feature to text. */
static size_t put_line(char *text, size_t at, size_t cap, int first, int id, const road *r, int kmh)
{
    return at + (size_t)snprintf(text + at, cap - at,
                                 "%s{\"type\": \"Feature\", \"properties\": {\"id\": %d, "
                                 "\"kmh\": %d, \"oneway\": \"%s\"}, \"geometry\": {\"type\": "
                                 "\"LineString\", \"coordinates\": [[%g, %g], [%g, %g]]}}",
                                 first ? "" : ",", id, kmh, r->oneway ? "yes" : "no", jx(r->i0),
                                 jy(r->j0), jx(r->i1), jy(r->j1));
}

/* A random lattice of roads into r: each road between neighbouring
 * junctions with probability keep / 10, 20 to 100 km/h, one-way with
 * probability 1 / 5 when `oneway`; returns how many. */
static int lattice(road *r, int keep, int oneway)
{
    int n = 0;
    for (int j = 0; j < LY; j++)
        for (int i = 0; i < LX; i++)
            for (int d = 0; d < 2; d++) {
                const int i1 = i + !d, j1 = j + d;
                if (i1 >= LX || j1 >= LY || rnd(10) >= keep)
                    continue;
                const int kmh = 20 + 10 * rnd(9);
                r[n++] = (road){i, j, i1, j1, kmh, oneway && rnd(5) == 0};
            }
    return n;
}

static void write_points(const char *file, const char *prefix, int n)
{
    char text[8192];
    size_t at = (size_t)snprintf(
        text, sizeof(text), "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [");
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(text + at, sizeof(text) - at,
                               "%s{\"type\": \"Feature\", \"properties\": {\"ref\": \"%s%d\", "
                               "\"n\": %d}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
                               "[%d, %d]}}",
                               i ? "," : "", prefix, i, 1 + rnd(9), 20 + rnd(1160), 20 + rnd(860));
    snprintf(text + at, sizeof(text) - at, "]}");
    write_text(file, text);
}

/* The media of the studies: a road network, the same with land (hybrid),
 * the roads burned into a speed model. */
enum { NETWORK, HYBRID, MODEL };

/* The study on roads (a source) over medium kind, with scenarios. */
static void study(char *yaml, size_t size, int kind, const char *roads, const char *scenarios)
{
    char medium[512];
    if (kind == MODEL)
        snprintf(medium, sizeof(medium),
                 "medium: {type: speed_model, offroad_kmh: 5, roads: %s, speed_column: kmh}\n",
                 roads);
    else
        snprintf(medium, sizeof(medium),
                 "medium:\n"
                 "  type: %s\n"
                 "  roads: %s\n"
                 "  format: lines\n"
                 "  speed_column: kmh\n"
                 "  oneway_column: oneway\n"
                 "  mode: car\n"
                 "  access: {speed_kmh: 5, max_distance_m: 60}\n"
                 "%s",
                 kind == HYBRID ? "hybrid" : "network", roads,
                 kind == HYBRID ? "  offroad: {type: speed_model, offroad_kmh: 5}\n" : "");
    snprintf(yaml, size,
             "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 16}\n"
             "%s"
             "facilities:\n"
             "  - {type: huisarts, source: facility.geojson, id_column: ref, norms: {minutes: [1, "
             "3]}}\n"
             "population: {kind: points, source: people.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: regions.geojson, id_column: code}\n"
             "outputs: {report: false, geopackage: false}\n"
             "%s",
             medium, scenarios);
}

/* Runs the study with the scenario s (yaml) into out `with` and the
 * edited study into `ed`; the scenario's grids and region table must be
 * the edited study's, byte for byte. */
static void same_outputs(rt_ctx *ctx, int c, const char *yaml, const char *edited_yaml,
                         const char *with, const char *ed)
{
    if (run_study(ctx, yaml, with, 0) != RT_OK)
        fail_msg("case %d: %s", c, rt_ctx_errmsg(ctx));
    if (run_study(ctx, edited_yaml, ed, 0) != RT_OK)
        fail_msg("case %d: %s", c, rt_ctx_errmsg(ctx));
    char scen_dir[64];
    snprintf(scen_dir, sizeof(scen_dir), "%s/scenarios/s", with);
    static const char *const files[3] = {"gemeente.csv", "huisarts_time_min.tif",
                                         "huisarts_facility.tif"};
    for (int k = 0; k < 3; k++)
        same_bytes(ed, scen_dir, files[k], c);
}

static void road_changes_equal_edited_roads(void **state)
{
    rt_ctx *ctx = *state;
    static char base[1 << 17], edited[1 << 17], plan[4096];
    static const char head[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";
    road r[2 * LX * LY];
    int changed = 0;
    for (int c = 0; c < CASES; c++) {
        const int hybrid = c % 2;
        const int n = lattice(r, 8, 1);
        /* closed: two roads by id; doubled: the roads whose middle lies in
         * [x0, x1] x [y0, y1] (bounds between the middles) */
        const int shut[2] = {rnd(n), rnd(n)};
        const double x0 = 100.5 + 100 * rnd(5), y0 = 100.5 + 100 * rnd(4);
        const double x1 = x0 + 300, y1 = y0 + 300;
        size_t at = (size_t)snprintf(base, sizeof(base), "%s", head);
        size_t et = (size_t)snprintf(edited, sizeof(edited), "%s", head);
        for (int k = 0; k < n; k++) {
            const double mx = (jx(r[k].i0) + jx(r[k].i1)) / 2, my = (jy(r[k].j0) + jy(r[k].j1)) / 2;
            const int in = mx > x0 && mx < x1 && my > y0 && my < y1;
            at = put_line(base, at, sizeof(base), k == 0, k, &r[k], r[k].kmh);
            et = put_line(edited, et, sizeof(edited), k == 0, k, &r[k],
                          in ? 2 * r[k].kmh : r[k].kmh);
        }
        /* two new roads between junctions that have a road, a knight's
         * move apart (they pass through no other junction) */
        size_t pt = (size_t)snprintf(plan, sizeof(plan), "%s", head);
        for (int q = 0; q < 2; q++) {
            const road *a = &r[rnd(n)];
            const int i1 = a->i0 + 2 < LX ? a->i0 + 2 : a->i0 - 2,
                      j1 = a->j0 + 1 < LY ? a->j0 + 1 : a->j0 - 1;
            int found = -1;
            for (int k = 0; k < n && found < 0; k++)
                if ((r[k].i0 == i1 && r[k].j0 == j1) || (r[k].i1 == i1 && r[k].j1 == j1))
                    found = k;
            const road nw = {a->i0, a->j0, found >= 0 ? i1 : a->i1, found >= 0 ? j1 : a->j1, 60, 0};
            pt = put_line(plan, pt, sizeof(plan), q == 0, 1000 + q, &nw, 60);
            et = put_line(edited, et, sizeof(edited), 0, 1000 + q, &nw, 60);
        }
        snprintf(base + at, sizeof(base) - at, "]}");
        snprintf(edited + et, sizeof(edited) - et, "]}");
        snprintf(plan + pt, sizeof(plan) - pt, "]}");
        write_text("roads.geojson", base);
        write_text("edited.geojson", edited);
        write_text("plan.geojson", plan);
        char zone[1024], scen[1024], roads[256], yaml[4096];
        snprintf(zone, sizeof(zone),
                 "%s{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": "
                 "\"Polygon\", \"coordinates\": [[[%g, %g], [%g, %g], [%g, %g], [%g, %g], [%g, "
                 "%g]]]}}]}",
                 head, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
        write_text("zone.geojson", zone);
        write_points("facility.geojson", "F", 2 + rnd(3));
        write_points("people.geojson", "P", 30);
        snprintf(scen, sizeof(scen),
                 "scenarios:\n"
                 "  - name: s\n"
                 "    changes:\n"
                 "      - {roads: plan.geojson, speed_kmh: 60}\n"
                 "      - {modify_roads: {where: \"id IN (%d, %d)\"}, closed: true}\n"
                 "      - {modify_roads: {within: zone.geojson}, factor: 2}\n",
                 shut[0], shut[1]);
        study(yaml, sizeof(yaml), hybrid ? HYBRID : NETWORK, "roads.geojson", scen);
        char with[32], ed[32], scen_dir[64];
        snprintf(with, sizeof(with), "with%d", c);
        snprintf(ed, sizeof(ed), "edited%d", c);
        snprintf(scen_dir, sizeof(scen_dir), "with%d/scenarios/s", c);
        snprintf(roads, sizeof(roads), "{path: edited.geojson, where: \"id NOT IN (%d, %d)\"}",
                 shut[0], shut[1]);
        char edited_yaml[4096];
        study(edited_yaml, sizeof(edited_yaml), hybrid ? HYBRID : NETWORK, roads, "");
        same_outputs(ctx, c, yaml, edited_yaml, with, ed);
        /* the scenario is not the baseline */
        char pa[600], pb[600];
        static char x[1 << 16], y[1 << 16];
        snprintf(pa, sizeof(pa), "%s/%s/huisarts_time_min.tif", dir, with);
        snprintf(pb, sizeof(pb), "%s/%s/huisarts_time_min.tif", dir, scen_dir);
        size_t na = file_bytes(pa, x, sizeof(x)), nb = file_bytes(pb, y, sizeof(y));
        changed += na != nb || memcmp(x, y, na) != 0;
    }
    assert_true(changed >= CASES / 2);
}

/* The same on a speed model (the roads burned into the grid at 5 km/h
 * off the roads): two roads closed by id and the roads of 60 km/h or more
 * twice as fast give the grids and table of a study on the road file
 * edited the same way, to the byte. */
static void speed_model_roads_equal_edited_roads(void **state)
{
    rt_ctx *ctx = *state;
    static char base[1 << 17], edited[1 << 17];
    static const char head[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";
    road r[2 * LX * LY];
    for (int c = 0; c < CASES / 4; c++) {
        const int n = lattice(r, 6, 0);
        const int shut[2] = {rnd(n), rnd(n)};
        size_t at = (size_t)snprintf(base, sizeof(base), "%s", head);
        size_t et = (size_t)snprintf(edited, sizeof(edited), "%s", head);
        for (int k = 0; k < n; k++) {
            at = put_line(base, at, sizeof(base), k == 0, k, &r[k], r[k].kmh);
            et = put_line(edited, et, sizeof(edited), k == 0, k, &r[k],
                          r[k].kmh >= 60 ? 2 * r[k].kmh : r[k].kmh);
        }
        snprintf(base + at, sizeof(base) - at, "]}");
        snprintf(edited + et, sizeof(edited) - et, "]}");
        write_text("roads.geojson", base);
        write_text("edited.geojson", edited);
        write_points("facility.geojson", "F", 2 + rnd(3));
        write_points("people.geojson", "P", 30);
        char yaml[4096], scen[1024], roads[256], with[32], ed[32];
        snprintf(scen, sizeof(scen),
                 "scenarios:\n"
                 "  - name: s\n"
                 "    changes:\n"
                 "      - {modify_roads: {where: \"id IN (%d, %d)\"}, closed: true}\n"
                 "      - {modify_roads: {where: \"kmh >= 60\"}, factor: 2}\n",
                 shut[0], shut[1]);
        snprintf(with, sizeof(with), "model_with%d", c);
        snprintf(ed, sizeof(ed), "model_edited%d", c);
        study(yaml, sizeof(yaml), MODEL, "roads.geojson", scen);
        snprintf(roads, sizeof(roads), "{path: edited.geojson, where: \"id NOT IN (%d, %d)\"}",
                 shut[0], shut[1]);
        char edited_yaml[4096];
        study(edited_yaml, sizeof(edited_yaml), MODEL, roads, "");
        same_outputs(ctx, c, yaml, edited_yaml, with, ed);
    }
}

/* Counts the messages that say a scenario was an update of the baseline. */
static void count_updates(rt_log_level level, const char *message, void *user)
{
    (void)level;
    *(int *)user += strstr(message, "an update of the baseline") != NULL;
}

/* Removes the k-th feature from a feature collection's text. */
static void drop_feature(char *text, int k)
{
    static const char key[] = "{\"type\": \"Feature\"";
    char *p = strstr(text, key);
    for (int i = 0; i < k && p; i++)
        p = strstr(p + 1, key);
    assert_non_null(p);
    char *next = strstr(p + 1, key);
    if (next)
        memmove(p, next, strlen(next) + 1);
    else { /* the last: its comma goes too */
        char *comma = p - 1;
        while (comma > text && *comma != ',' && *comma != '[')
            comma--;
        snprintf(*comma == ',' ? comma : p, 3, "]}");
    }
}

/* Facility closures and openings, alone or with changed roads, on a road
 * network: the scenario's node labels are an update of the baseline's
 * (the run says so), and on a hybrid medium a full search; either way the
 * grids and the table are those of a study whose facility source holds
 * the facilities that stay open, in order, then the new ones, on the road
 * file edited as the scenario says. */
static void closures_on_roads_equal_edited_inputs(void **state)
{
    rt_ctx *ctx = *state;
    static char base[1 << 17], edited[1 << 17], yaml[4096], edited_yaml[4096];
    static const char head[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";
    road r[2 * LX * LY];
    int updates = 0; /* with changed roads */
    rng = 20261204u; /* the same cases whatever the tests before did */
    for (int c = 0; c < CASES / 2; c++) {
        const int hybrid = c % 3 == 2, roads_too = c % 2;
        const int n = lattice(r, 8, 1), shut = rnd(n);
        size_t at = (size_t)snprintf(base, sizeof(base), "%s", head);
        size_t et = (size_t)snprintf(edited, sizeof(edited), "%s", head);
        for (int k = 0; k < n; k++) {
            at = put_line(base, at, sizeof(base), k == 0, k, &r[k], r[k].kmh);
            et = put_line(edited, et, sizeof(edited), k == 0, k, &r[k],
                          roads_too && r[k].kmh == 20 ? r[k].kmh / 2 : r[k].kmh);
        }
        snprintf(base + at, sizeof(base) - at, "]}");
        snprintf(edited + et, sizeof(edited) - et, "]}");
        write_text("roads.geojson", base);
        write_text("edited.geojson", edited);
        const int nf = 3 + rnd(3), gone = rnd(nf);
        write_points("facility.geojson", "F", nf);
        write_points("new.geojson", "N", 1 + rnd(2));
        write_points("people.geojson", "P", 30);
        char scen[1024], change[256] = "", roads[256], with[32], ed[32];
        if (roads_too)
            snprintf(change, sizeof(change),
                     "      - {modify_roads: {where: \"id = %d\"}, closed: true}\n"
                     "      - {modify_roads: {where: \"kmh = 20\"}, factor: 0.5}\n",
                     shut);
        snprintf(scen, sizeof(scen),
                 "scenarios:\n"
                 "  - name: s\n"
                 "    changes:\n"
                 "      - {facilities: huisarts, close: [F%d]}\n"
                 "      - {facilities: huisarts, add: new.geojson}\n"
                 "%s",
                 gone, change);
        study(yaml, sizeof(yaml), hybrid ? HYBRID : NETWORK, "roads.geojson", scen);
        snprintf(with, sizeof(with), "closed_with%d", c);
        snprintf(ed, sizeof(ed), "closed_edited%d", c);
        int count = 0;
        rt_ctx_set_log(ctx, count_updates, &count);
        if (run_study(ctx, yaml, with, 0) != RT_OK)
            fail_msg("case %d: %s", c, rt_ctx_errmsg(ctx));
        rt_ctx_set_log(ctx, NULL, NULL);
        /* (a changed road under a facility's start changes its start
         * times: then the search is a full one) */
        if (hybrid ? count != 0 : roads_too ? count > 1 : count != 1)
            fail_msg("case %d: %d updates", c, count);
        updates += roads_too ? count : 0;
        /* the edited inputs: the open facilities then the new ones */
        char pf[600], pn[600], both[16384];
        snprintf(pf, sizeof(pf), "%s/facility.geojson", dir);
        snprintf(pn, sizeof(pn), "%s/new.geojson", dir);
        char *old = read_path(pf), *add = read_path(pn);
        assert_non_null(old);
        assert_non_null(add);
        drop_feature(old, gone);
        *strrchr(old, ']') = '\0';
        snprintf(both, sizeof(both), "%s,%s", old, strchr(add, '[') + 1); /* >= 2 stay open */
        free(old);
        free(add);
        write_text("facility.geojson", both);
        if (roads_too)
            snprintf(roads, sizeof(roads), "{path: edited.geojson, where: \"id <> %d\"}", shut);
        else
            snprintf(roads, sizeof(roads), "roads.geojson");
        study(edited_yaml, sizeof(edited_yaml), hybrid ? HYBRID : NETWORK, roads, "");
        if (run_study(ctx, edited_yaml, ed, 0) != RT_OK)
            fail_msg("case %d: %s", c, rt_ctx_errmsg(ctx));
        /* (the facility grids hold feature ids, which differ between the
         * two sources) */
        char scen_dir[64];
        snprintf(scen_dir, sizeof(scen_dir), "%s/scenarios/s", with);
        same_bytes(ed, scen_dir, "gemeente.csv", c);
        same_bytes(ed, scen_dir, "huisarts_time_min.tif", c);
    }
    assert_true(updates >= 1); /* on a changed graph too */
}

static int setup(void **state)
{
    fixture_mkdir("rt-scenario-roads");
    write_text("regions.geojson", regions_json);
    *state = rt_ctx_create();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(road_changes_equal_edited_roads),
        cmocka_unit_test(speed_model_roads_equal_edited_roads),
        cmocka_unit_test(closures_on_roads_equal_edited_inputs),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
