/* Scenarios on a road graph against a second method: on random road
 * networks (a lattice of lines with random speeds and one-way streets)
 * with random facilities and people, a scenario that adds roads between
 * existing junctions, closes roads chosen by a filter and doubles the speed
 * of the roads whose middle lies in a rectangle gives, to the byte, the
 * grids and region table of a study whose road file was edited the same
 * way (the new lines added, the closed ones left out by a filter, the
 * doubled speeds written in); on the network and on the hybrid medium.
 * On a speed model, roads changed by a filter or by polygons (the roads
 * whose middle lies inside, as on a road graph) against the road file
 * edited the same way, and one such case by hand. Seeded, so every run
 * tries the same cases. */
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
#define LX 10               /* junctions per row */
#define LY 8                /* junctions per column */
#define ROAD_TEXT (1 << 17) /* room for the text of a road file */

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
static size_t put_line(char *text, size_t at, size_t cap, int first, int id, const road *r,
                       double kmh)
{
    return at + (size_t)snprintf(text + at, cap - at,
                                 "%s{\"type\": \"Feature\", \"properties\": {\"id\": %d, "
                                 "\"kmh\": %g, \"oneway\": \"%s\"}, \"geometry\": {\"type\": "
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
 * the edited study's, byte for byte. 1 when the scenario's times are not
 * the baseline's. */
static int same_outputs(rt_ctx *ctx, int c, const char *yaml, const char *edited_yaml,
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
    char pa[600], pb[600];
    static char x[1 << 16], y[1 << 16];
    snprintf(pa, sizeof(pa), "%s/%s/huisarts_time_min.tif", dir, with);
    snprintf(pb, sizeof(pb), "%s/%s/huisarts_time_min.tif", dir, scen_dir);
    size_t na = file_bytes(pa, x, sizeof(x)), nb = file_bytes(pb, y, sizeof(y));
    return na != nb || memcmp(x, y, na) != 0;
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
        char with[32], ed[32];
        snprintf(with, sizeof(with), "with%d", c);
        snprintf(ed, sizeof(ed), "edited%d", c);
        snprintf(roads, sizeof(roads), "{path: edited.geojson, where: \"id NOT IN (%d, %d)\"}",
                 shut[0], shut[1]);
        char edited_yaml[4096];
        study(edited_yaml, sizeof(edited_yaml), hybrid ? HYBRID : NETWORK, roads, "");
        changed += same_outputs(ctx, c, yaml, edited_yaml, with, ed);
    }
    assert_true(changed >= CASES / 2);
}

/* The road file (base, at characters) and the edited one (edited, et)
 * closed and written, with random facilities and people. */
static void write_inputs(char *base, size_t at, char *edited, size_t et)
{
    snprintf(base + at, ROAD_TEXT - at, "]}");
    snprintf(edited + et, ROAD_TEXT - et, "]}");
    write_text("roads.geojson", base);
    write_text("edited.geojson", edited);
    write_points("facility.geojson", "F", 2 + rnd(3));
    write_points("people.geojson", "P", 30);
}

/* The same on a speed model (the roads burned into the grid at 5 km/h
 * off the roads): two roads closed by id and the roads of 60 km/h or more
 * twice as fast give the grids and table of a study on the road file
 * edited the same way, to the byte. */
static void speed_model_roads_equal_edited_roads(void **state)
{
    rt_ctx *ctx = *state;
    static char base[ROAD_TEXT], edited[ROAD_TEXT];
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
        write_inputs(base, at, edited, et);
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

/* One modify_roads change as the test applies it to a road: kind 0 a
 * factor, 1 a new speed, 2 closed; the roads it selects are those whose
 * middle lies in the rectangle (x0, x1) x (y0, y1), and with `fast` also
 * of 60 km/h or more (where: "kmh >= 60"). */
typedef struct road_mod {
    int kind, kmh, fast;
    double factor, x0, y0, x1, y1;
} road_mod;

/* A random change over a random rectangle whose bounds lie between the
 * roads' middles; the factor 2 or 0.5 and the speed 10 to 90 km/h, so
 * that the edited speeds are exact in a float. */
static road_mod random_mod(void)
{
    road_mod d = {rnd(3), 10 + 10 * rnd(9), rnd(2), rnd(2) ? 2.0 : 0.5, 0, 0, 0, 0};
    d.x0 = 100.5 + 100 * rnd(7), d.y0 = 100.5 + 100 * rnd(5);
    d.x1 = d.x0 + 100 * (2 + rnd(4)), d.y1 = d.y0 + 100 * (2 + rnd(3));
    return d;
}

/* The YAML of change d, its rectangle in file `zone`. */
static void mod_yaml(const road_mod *d, const char *zone, char *out, size_t size)
{
    char text[1024];
    snprintf(text, sizeof(text),
             "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
             "\"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", "
             "\"coordinates\": [[[%g, %g], [%g, %g], [%g, %g], [%g, %g], [%g, %g]]]}}]}",
             d->x0, d->y0, d->x1, d->y0, d->x1, d->y1, d->x0, d->y1, d->x0, d->y0);
    write_text(zone, text);
    char what[64];
    if (d->kind == 0)
        snprintf(what, sizeof(what), "factor: %g", d->factor);
    else if (d->kind == 1)
        snprintf(what, sizeof(what), "speed_kmh: %d", d->kmh);
    else
        snprintf(what, sizeof(what), "closed: true");
    snprintf(out, size, "      - {modify_roads: {%swithin: %s}, %s}\n",
             d->fast ? "where: \"kmh >= 60\", " : "", zone, what);
}

/* On a speed model, modify_roads with polygons (within, alone or with a
 * where) selects the roads whose middle lies inside, as on a road graph:
 * two random changes in order (a factor, a new speed or closed) give the
 * grids and table of a study whose road file the test edited, each road
 * given the speed the changes that select it give it (the test's own
 * arithmetic, in the order written), the closed ones left out, to the
 * byte. */
static void speed_model_within_equals_edited_roads(void **state)
{
    rt_ctx *ctx = *state;
    static char base[ROAD_TEXT], edited[ROAD_TEXT];
    static const char head[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";
    road r[2 * LX * LY];
    int changed = 0;
    for (int c = 0; c < CASES / 2; c++) {
        const int n = lattice(r, 6, 0);
        const road_mod d[2] = {random_mod(), random_mod()};
        size_t at = (size_t)snprintf(base, sizeof(base), "%s", head);
        size_t et = (size_t)snprintf(edited, sizeof(edited), "%s", head);
        int first = 1;
        for (int k = 0; k < n; k++) {
            const double mx = (jx(r[k].i0) + jx(r[k].i1)) / 2, my = (jy(r[k].j0) + jy(r[k].j1)) / 2;
            double kmh = r[k].kmh;
            int closed = 0;
            for (int q = 0; q < 2; q++) {
                if (!(mx > d[q].x0 && mx < d[q].x1 && my > d[q].y0 && my < d[q].y1) ||
                    (d[q].fast && r[k].kmh < 60))
                    continue;
                closed |= d[q].kind == 2;
                kmh = d[q].kind == 0 ? kmh * d[q].factor : d[q].kind == 1 ? d[q].kmh : kmh;
            }
            at = put_line(base, at, sizeof(base), k == 0, k, &r[k], r[k].kmh);
            if (!closed)
                et = put_line(edited, et, sizeof(edited), first, k, &r[k], kmh);
            first = first && closed;
        }
        write_inputs(base, at, edited, et);
        char yaml[4096], scen[1024], m0[256], m1[256], with[32], ed[32], edited_yaml[4096];
        mod_yaml(&d[0], "zone0.geojson", m0, sizeof(m0));
        mod_yaml(&d[1], "zone1.geojson", m1, sizeof(m1));
        snprintf(scen, sizeof(scen), "scenarios:\n  - name: s\n    changes:\n%s%s", m0, m1);
        snprintf(with, sizeof(with), "within_with%d", c);
        snprintf(ed, sizeof(ed), "within_edited%d", c);
        study(yaml, sizeof(yaml), MODEL, "roads.geojson", scen);
        study(edited_yaml, sizeof(edited_yaml), MODEL, "edited.geojson", "");
        changed += same_outputs(ctx, c, yaml, edited_yaml, with, ed);
    }
    assert_true(changed >= CASES / 4); /* most scenarios change the times */
}

/* By hand, on a speed model at 5 km/h off the roads (0.72 s/m): road 0
 * from the facility at (50, 450) to (650, 450), road 1 on to (1150,
 * 450), both at 36 km/h (0.1 s/m: 10 s from cell to cell along row 4),
 * one person at (1150, 450) in region E. A polygon over x 500 to 1000
 * holds road 1's middle (900) and a part of road 0, not its middle (350):
 * closing the roads within it closes road 1 alone, and the person's time
 * goes from 11 x 10 = 110 s to 60 s along road 0 to column 6, a step half
 * on it (100 x (0.1 + 0.72) / 2 = 41 s) and 4 steps off the roads (72 s
 * each): 389 s. With where "id = 0" as well, no road meets both, which
 * is refused as a mistake (as on a road graph). */
static void speed_model_within_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    static const char head[] = "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [";
    char text[2048], yaml[4096];
    size_t at = (size_t)snprintf(text, sizeof(text), "%s", head);
    snprintf(text + at, sizeof(text) - at,
             "{\"type\": \"Feature\", \"properties\": {\"id\": 0, \"kmh\": 36}, \"geometry\": "
             "{\"type\": "
             "\"LineString\", \"coordinates\": [[50, 450], [650, 450]]}},"
             "{\"type\": \"Feature\", \"properties\": {\"id\": 1, \"kmh\": 36}, \"geometry\": "
             "{\"type\": \"LineString\", \"coordinates\": [[650, 450], [1150, 450]]}}]}");
    write_text("roads.geojson", text);
    snprintf(text, sizeof(text),
             "%s{\"type\": \"Feature\", \"properties\": {\"ref\": \"F0\", \"n\": 1}, \"geometry\": "
             "{\"type\": \"Point\", \"coordinates\": [50, 450]}}]}",
             head);
    write_text("facility.geojson", text);
    snprintf(text, sizeof(text),
             "%s{\"type\": \"Feature\", \"properties\": {\"ref\": \"P0\", \"n\": 1}, \"geometry\": "
             "{\"type\": \"Point\", \"coordinates\": [1150, 450]}}]}",
             head);
    write_text("people.geojson", text);
    snprintf(text, sizeof(text),
             "%s{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", "
             "\"coordinates\": [[[500, 0], [1000, 0], [1000, 900], [500, 900], [500, 0]]]}}]}",
             head);
    write_text("zone.geojson", text);
    study(yaml, sizeof(yaml), MODEL, "roads.geojson",
          "scenarios:\n"
          "  - {name: s, changes: [{modify_roads: {within: zone.geojson}, closed: true}]}\n");
    if (run_study(ctx, yaml, "hand", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    assert_float_equal(csv_named("hand", "gemeente.csv", "E", "time_mean_min"), 110.0 / 60, 1e-6);
    assert_float_equal(csv_named("hand", "scenarios/s/gemeente.csv", "E", "time_mean_min"),
                       389.0 / 60, 1e-6);
    study(yaml, sizeof(yaml), MODEL, "roads.geojson",
          "scenarios:\n"
          "  - {name: both, changes: [{modify_roads: {where: \"id = 0\", within: zone.geojson}, "
          "closed: true}]}\n");
    assert_int_equal(run_study(ctx, yaml, "none", 0), RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "selects none of the 2 road lines"));
}

/* A layer of one feature: its properties, geometry type and coordinates. */
static void one_feature(const char *file, const char *props, const char *type, const char *coords)
{
    char text[2048];
    snprintf(text, sizeof(text),
             "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
             "\"Feature\", \"properties\": {%s}, \"geometry\": {\"type\": \"%s\", "
             "\"coordinates\": %s}}]}",
             props, type, coords);
    write_text(file, text);
}

/* A new road that joins a road line in its middle cuts the line in two,
 * and on a network timed by a column of seconds per line each piece takes
 * its share of the line's time by length. Road 0 from (50, 450) to
 * (1150, 450), 66 s; the facility at its start, one person at its end
 * (region E). The new road leaves it at (650, 450), 600 m along, to the
 * north: the pieces take 36 s and 30 s, and the person, whom the new road
 * does not bring closer, stays at 66 s = 1.1 min (each piece had the 66 s
 * of the whole line, 132 s, before). */
static void new_road_on_a_timed_line_by_hand(void **state)
{
    rt_ctx *ctx = *state;
    char yaml[4096];
    one_feature("timed.geojson", "\"sec\": 66", "LineString", "[[50, 450], [1150, 450]]");
    one_feature("north.geojson", "", "LineString", "[[650, 450], [650, 850]]");
    one_feature("facility.geojson", "\"ref\": \"F0\"", "Point", "[50, 450]");
    one_feature("people.geojson", "\"ref\": \"P0\", \"n\": 1", "Point", "[1150, 450]");
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
             "medium:\n"
             "  type: network\n"
             "  roads: timed.geojson\n"
             "  format: lines\n"
             "  time_column: sec\n"
             "  mode: car\n"
             "  access: {speed_kmh: 5, max_distance_m: 60}\n"
             "facilities:\n"
             "  - {type: huisarts, source: facility.geojson, id_column: ref, norms: {minutes: "
             "[2]}}\n"
             "population: {kind: points, source: people.geojson, count_column: n}\n"
             "regions:\n"
             "  - {name: gemeente, source: regions.geojson, id_column: code}\n"
             "outputs: {report: false, geopackage: false}\n"
             "scenarios:\n"
             "  - {name: s, changes: [{roads: north.geojson, speed_kmh: 60}]}\n");
    if (run_study(ctx, yaml, "timed", 0) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    assert_float_equal(csv_named("timed", "gemeente.csv", "E", "time_mean_min"), 1.1, 1e-6);
    assert_float_equal(csv_named("timed", "scenarios/s/gemeente.csv", "E", "time_mean_min"), 1.1,
                       1e-6);
    /* a scenario that closes the one road: the message of its network
     * names it, not the baseline's medium.roads alone */
    char *at = strstr(yaml, "scenarios:\n");
    snprintf(at, sizeof(yaml) - (size_t)(at - yaml),
             "scenarios:\n"
             "  - {name: dicht, changes: [{modify_roads: {where: \"sec = 66\"}, closed: "
             "true}]}\n");
    assert_int_equal(run_study(ctx, yaml, "shut", 0), RT_E_DATA);
    if (!strstr(rt_ctx_errmsg(ctx), "scenario 'dicht', after its changes: medium.roads: none of "
                                    "the 1 roads is open"))
        fail_msg("%s", rt_ctx_errmsg(ctx));
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
        cmocka_unit_test(speed_model_within_equals_edited_roads),
        cmocka_unit_test(speed_model_within_by_hand),
        cmocka_unit_test(new_road_on_a_timed_line_by_hand),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
