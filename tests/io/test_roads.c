/* Reading road networks: OSM through GDAL's OSM driver, NWB wegvakken and
 * line layers. Hand-drawn fixtures are written here (OSM XML, GeoPackage);
 * the real extracts in geodata/ are checked against counts that ogrinfo
 * computes with SQLite/SpatiaLite on the same file. */
#include "io_fixture.h"

#include "core/roadnet.h"
#include "test_common.h"

/* Plate carrée on the WGS 84 ellipsoid: x = a * lon, y = a * lat (radians),
 * so lengths of the fixtures below are worked out by hand. */
#define EQC "+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
/* one step of 0.001 degree in that projection, metres */
#define STEP_M (6378137.0 * M_PI / 180.0 * 0.001)
/* The fixtures' grid starts at 4 E, 52 N (GDAL's OSM driver takes a node at
 * exactly 0, 0 for a missing one). */
#define BASE_LON 4.0
#define BASE_LAT 52.0
#define BASE_X (6378137.0 * M_PI / 180.0 * BASE_LON)
#define BASE_Y (6378137.0 * M_PI / 180.0 * BASE_LAT)

static const char *source_dir(void)
{
    const char *d = getenv("RT_SOURCE_DIR");
    return d ? d : ".";
}

static const char *osmconf(void)
{
    static char buf[512];
    snprintf(buf, sizeof(buf), "%s/geodata/profiles/osmconf.ini", source_dir());
    return buf;
}

static rti_road_opts osm_opts(void)
{
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.osm_config = osmconf();
    return o;
}

/* ---- OSM XML fixtures ---- */

typedef struct osm_node {
    int id;
    double lon, lat;
} osm_node;

typedef struct osm_way {
    int id;
    const char *nodes; /* "1 2 3" */
    const char *tags;  /* "highway=residential oneway=yes" */
} osm_way;

static void write_osm(const char *path, const osm_node *nodes, int nn, const osm_way *ways, int nw)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        abort();
    fprintf(fp, "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n");
    for (int i = 0; i < nn; i++)
        fprintf(fp, "<node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", nodes[i].id,
                BASE_LAT + nodes[i].lat, BASE_LON + nodes[i].lon);
    for (int i = 0; i < nw; i++) {
        fprintf(fp, "<way id=\"%d\" version=\"1\">\n", ways[i].id);
        char buf[256];
        snprintf(buf, sizeof(buf), "%s", ways[i].nodes);
        for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
            fprintf(fp, "  <nd ref=\"%s\"/>\n", t);
        snprintf(buf, sizeof(buf), "%s", ways[i].tags);
        for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
            char *eq = strchr(t, '=');
            *eq = '\0';
            fprintf(fp, "  <tag k=\"%s\" v=\"%s\"/>\n", t, eq + 1);
        }
        fprintf(fp, "</way>\n");
    }
    fprintf(fp, "</osm>\n");
    fclose(fp);
}

/* The edge of way `way` from node position (x0, y0) (grid steps), or -1. */
static int64_t edge_of(const rti_roads *r, int64_t way, double x0, double y0)
{
    for (int64_t e = 0; e < r->n_edges; e++)
        if (r->source_fid[e] == way && fabs(r->x[r->from[e]] - BASE_X - x0 * STEP_M) < 1e-6 &&
            fabs(r->y[r->from[e]] - BASE_Y - y0 * STEP_M) < 1e-6)
            return e;
    return -1;
}

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol)) {
        print_error("got %.9f, want %.9f (tolerance %g)\n", got, want, tol);
        fail();
    }
}

static int class_is(const rti_roads *r, int64_t e, const char *name)
{
    return strcmp(r->classes[r->cls[e]], name) == 0;
}

/* A one-way street 1-2-3, a closed roundabout 3-4-5-6-3 and a footway 2-6
 * open to bicycles. Nodes: 1, 2 (shared), 3 (shared), 6 (shared); 4 and 5
 * are inside the roundabout. */
static void oneway_street_and_roundabout(void **state)
{
    fx *f = *state;
    const osm_node nodes[] = {{1, 0, 0},     {2, 0.001, 0},     {3, 0.002, 0},
                              {4, 0.003, 0}, {5, 0.003, 0.001}, {6, 0.002, 0.001}};
    const osm_way ways[] = {{100, "1 2 3", "highway=residential oneway=yes"},
                            {101, "3 4 5 6 3", "highway=residential junction=roundabout"},
                            {102, "2 6", "highway=footway bicycle=yes"}};
    const char *path = fx_path(f, "loop.osm");
    write_osm(path, nodes, 6, ways, 3);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_road_opts o = osm_opts();
    rti_roads r;
    assert_int_equal(rti_read_roads(f->ctx, &ref, EQC, &o, &r), RT_OK);
    assert_int_equal(r.format, RTI_ROADS_OSM);
    assert_int_equal(r.n_features, 3);
    assert_int_equal(r.n_nodes, 4);
    assert_int_equal(r.n_edges, 5);
    /* node ids in order of first appearance: 1, 2, 3, then 6 */
    assert_close(r.x[0] - BASE_X, 0, 1e-6);
    assert_close(r.x[1] - BASE_X, STEP_M, 1e-6);
    assert_close(r.x[2] - BASE_X, 2 * STEP_M, 1e-6);
    assert_close(r.y[3] - BASE_Y, STEP_M, 1e-6);

    int64_t e12 = edge_of(&r, 100, 0, 0), e23 = edge_of(&r, 100, 1, 0);
    int64_t e36 = edge_of(&r, 101, 2, 0), e63 = edge_of(&r, 101, 2, 1);
    int64_t e26 = edge_of(&r, 102, 1, 0);
    assert_true(e12 >= 0 && e23 >= 0 && e36 >= 0 && e63 >= 0 && e26 >= 0);
    assert_close(r.length_m[e12], STEP_M, 1e-6);
    assert_close(r.length_m[e36], 3 * STEP_M, 1e-6); /* 3-4-5-6 */
    assert_close(r.length_m[e63], STEP_M, 1e-6);
    assert_close(r.length_m[e26], sqrt(2.0) * STEP_M, 1e-6);
    assert_int_equal(r.geom_first[e36 + 1] - r.geom_first[e36], 4);
    assert_int_equal(r.dir_car[e12], RTI_DIR_FORWARD);
    assert_int_equal(r.dir_bike[e12], RTI_DIR_FORWARD);
    assert_int_equal(r.dir_car[e36], RTI_DIR_FORWARD); /* junction=roundabout implies oneway */
    assert_int_equal(r.flags[e36], RTI_ROAD_ROUNDABOUT);
    assert_int_equal(r.dir_car[e26], RTI_DIR_BOTH);
    assert_int_equal(r.modes[e26], RTI_MODE_ALL);
    assert_int_equal(r.modes_yes[e26], RTI_MODE_BIKE);
    assert_true(class_is(&r, e26, "footway") && class_is(&r, e12, "residential"));
    assert_true(isnan(r.maxspeed_kmh[e12]));
    assert_null(r.speed_kmh);
    assert_null(r.time_s);
    rti_roads_free(&r);
}

/* Access, maxspeed and the motorway rule, one way each; access lists: a
 * farm road (motor_vehicle=agricultural;forestry) is closed to cars, one
 * for destination;delivery is open to them. */
static void access_maxspeed_and_motorways(void **state)
{
    fx *f = *state;
    const osm_node nodes[] = {{1, 0, 0},         {2, 0.001, 0},     {3, 0.002, 0}, {4, 0.003, 0},
                              {5, 0.004, 0},     {6, 0.005, 0},     {7, 0.006, 0}, {8, 0.007, 0},
                              {9, 0.006, 0.001}, {10, 0.006, 0.002}};
    const osm_way ways[] = {
        {200, "1 2", "highway=service access=private foot=yes"},
        {201, "2 3", "highway=primary maxspeed=50_mph"},
        {202, "3 4", "highway=primary maxspeed=signals"},
        {203, "4 5", "highway=secondary maxspeed=NL:urban motor_vehicle=no"},
        {204, "5 6", "highway=motorway"},
        {205, "6 7", "highway=motorway oneway=no bridge=yes"},
        {206, "7 8", "highway=proposed"},
        {207, "1 8", "waterway=river"},
        {208, "7 9", "highway=unclassified motor_vehicle=agricultural;forestry"},
        {209, "9 10", "highway=unclassified motor_vehicle=destination;delivery"},
    };
    const char *path = fx_path(f, "tags.osm");
    write_osm(path, nodes, 10, ways, 10);
    /* "50_mph": the fixture writer splits tags at blanks */
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "sed -i 's/50_mph/50 mph/' %s", path);
    assert_int_equal(system(cmd), 0);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_road_opts o = osm_opts();
    rti_roads r;
    assert_int_equal(rti_read_roads(f->ctx, &ref, EQC, &o, &r), RT_OK);
    assert_int_equal(r.n_features, 8); /* not the proposed road, not the river */
    assert_int_equal(r.n_edges, 8);
    assert_int_equal(r.n_nodes, 9);
    int64_t e[6];
    for (int i = 0; i < 6; i++) {
        e[i] = edge_of(&r, 200 + i, i, 0);
        assert_true(e[i] >= 0);
    }
    assert_int_equal(r.modes[e[0]], RTI_MODE_WALK); /* private, but foot=yes */
    assert_int_equal(r.modes_yes[e[0]], RTI_MODE_WALK);
    assert_close(r.maxspeed_kmh[e[1]], 50 * 1.609344, 1e-4);
    assert_true(isnan(r.maxspeed_kmh[e[2]]));
    assert_close(r.maxspeed_kmh[e[3]], 50, 0);
    assert_int_equal(r.modes[e[3]], RTI_MODE_BIKE | RTI_MODE_WALK);
    assert_int_equal(r.dir_car[e[4]], RTI_DIR_FORWARD);
    assert_int_equal(r.dir_car[e[5]], RTI_DIR_BOTH);
    assert_int_equal(r.flags[e[5]], RTI_ROAD_BRIDGE);
    const int64_t farm = edge_of(&r, 208, 6, 0), dest = edge_of(&r, 209, 6, 1);
    assert_true(farm >= 0 && dest >= 0);
    assert_int_equal(r.modes[farm], RTI_MODE_BIKE | RTI_MODE_WALK);
    assert_int_equal(r.modes[dest], RTI_MODE_ALL);
    assert_int_equal(r.n_maxspeed_unparsed, 1);
    if (f->n_warnings != 1)
        print_error("%s", f->log);
    assert_int_equal(f->n_warnings, 1);
    FX_ASSERT_STR_HAS(f->log, "1 way with a maxspeed that is not a speed ('signals')");
    rti_roads_free(&r);
}

/* Two roads that cross without a shared vertex (a bridge over a road) stay
 * apart; with a shared vertex they meet. */
static void crossing_joins_only_at_a_shared_vertex(void **state)
{
    fx *f = *state;
    const osm_node nodes[] = {
        {1, 0, 0}, {2, 0.002, 0}, {3, 0.001, -0.001}, {4, 0.001, 0.001}, {5, 0.001, 0}};
    const osm_way bridge[] = {{1, "1 2", "highway=residential"},
                              {2, "3 4", "highway=residential bridge=yes"}};
    const osm_way joined[] = {{1, "1 5 2", "highway=residential"},
                              {2, "3 5 4", "highway=residential"}};
    const osm_way *cases[2] = {bridge, joined};
    const int want_nodes[2] = {4, 5}, want_edges[2] = {2, 4}, want_comp[2] = {2, 1};
    for (int c = 0; c < 2; c++) {
        const char *path = fx_path(f, c ? "joined.osm" : "bridge.osm");
        write_osm(path, nodes, 5, cases[c], 2);
        rti_layer_ref ref = fx_ref(path, NULL);
        rti_road_opts o = osm_opts();
        rti_roads r;
        assert_int_equal(rti_read_roads(f->ctx, &ref, EQC, &o, &r), RT_OK);
        assert_int_equal(r.n_nodes, want_nodes[c]);
        assert_int_equal(r.n_edges, want_edges[c]);
        int32_t *comp = calloc((size_t)r.n_nodes, sizeof(int32_t)), n_comp;
        int64_t *sizes;
        assert_int_equal(
            rti_road_components(f->ctx, r.n_nodes, r.n_edges, r.from, r.to, comp, &sizes, &n_comp),
            RT_OK);
        assert_int_equal(n_comp, want_comp[c]);
        double total = 0;
        for (int64_t e = 0; e < r.n_edges; e++)
            total += r.length_m[e];
        assert_close(total, 4 * STEP_M, 1e-6);
        if (c == 0)
            assert_int_equal(r.flags[edge_of(&r, 2, 1, -1)], RTI_ROAD_BRIDGE);
        free(comp);
        free(sizes);
        rti_roads_free(&r);
    }
}

/* ---- NWB ---- */

static const char *const NWB_COLS[] = {
    "i:WVK_ID", "i:JTE_ID_BEG", "i:JTE_ID_END", "WEGBEHSRT", "RIJRICHTNG", "BST_CODE", NULL};

/* Writes the wegvakken rows to name (a GeoPackage) and reads them. */
static void read_nwb(fx *f, const char *name, OGRwkbGeometryType type, const fx_feature *rows,
                     int n, rti_roads *r)
{
    const char *path = fx_path(f, name);
    fx_gpkg(path, "wegvakken", "EPSG:28992", type, NWB_COLS, rows, n);
    rti_layer_ref ref = fx_ref(path, NULL);
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", NULL, r), RT_OK);
    assert_int_equal(r->format, RTI_ROADS_NWB);
}

/* Junctions 1-2-3 in a triangle, a fietspad to junction 4 and a row
 * without junction ids that snaps onto junction 4. */
static void nwb_directions_and_junctions(void **state)
{
    fx *f = *state;
    const fx_feature rows[] = {
        {"LINESTRING (0 0, 100 0)", {"11", "1", "2", "G", "H", NULL}},
        {"LINESTRING (100 0, 100 50, 100 100)", {"12", "2", "3", "P", "T", "RB"}},
        {"LINESTRING (100 100, 0 0)", {"13", "3", "1", "g", "B", NULL}},
        {"LINESTRING (0 0, -50 0)", {"14", "1", "4", "W", NULL, "FP"}},
        {"LINESTRING (-50.2 0, -50 -80)", {"15", NULL, NULL, "R", "O", NULL}},
    };
    rti_roads r;
    read_nwb(f, "wegvakken.gpkg", wkbLineString, rows, 5, &r);
    assert_int_equal(r.n_nodes, 5); /* junctions 1-4 and the loose end at (-50, -80) */
    assert_int_equal(r.n_edges, 5);
    const double len[5] = {100, 100, sqrt(2.0) * 100, 50, hypot(0.2, 80)};
    const int dir[5] = {RTI_DIR_FORWARD, RTI_DIR_BACKWARD, RTI_DIR_BOTH, RTI_DIR_BOTH,
                        RTI_DIR_BOTH};
    const char *cls[5] = {"nwb:G", "nwb:P", "nwb:G", "nwb:W", "nwb:R"};
    for (int e = 0; e < 5; e++) {
        assert_int_equal(r.source_fid[e], 11 + e);
        assert_close(r.length_m[e], len[e], 1e-9);
        assert_int_equal(r.dir_car[e], dir[e]);
        assert_true(class_is(&r, e, cls[e]));
        assert_int_equal(r.modes[e], e == 3 ? RTI_MODE_BIKE | RTI_MODE_WALK : RTI_MODE_ALL);
        assert_int_equal(r.modes_yes[e], e == 3 ? RTI_MODE_BIKE | RTI_MODE_WALK : 0);
    }
    /* the joins: 1-2, 2-3, 3-1 and 1-4, the row without ids at junction 4 */
    assert_int_equal(r.to[0], r.from[1]);
    assert_int_equal(r.to[1], r.from[2]);
    assert_int_equal(r.to[2], r.from[0]);
    assert_int_equal(r.from[3], r.from[0]);
    assert_int_equal(r.from[4], r.to[3]);
    assert_int_equal(r.n_dir_unknown, 1);
    FX_ASSERT_STR_HAS(f->log, "1 wegvak with RIJRICHTNG 'O'");
    rti_roads_free(&r);
}

/* A wegvak whose geometry has two parts is one road from its BEG to its
 * END junction: one edge as long as both parts, 200 m where they touch at
 * (100, 0), 90 + 20 + 90 m where they leave a gap of 20 m; not two
 * parallel edges of 100 (or 90) m each. */
static void nwb_parts_make_one_wegvak(void **state)
{
    fx *f = *state;
    const fx_feature rows[] = {
        {"MULTILINESTRING ((0 0, 100 0), (100 0, 200 0))", {"21", "1", "2", "G", "H", NULL}},
        {"MULTILINESTRING ((0 10, 90 10), (110 10, 200 10))", {"22", "3", "4", "G", "H", NULL}},
    };
    rti_roads r;
    read_nwb(f, "delen.gpkg", wkbMultiLineString, rows, 2, &r);
    assert_int_equal(r.n_nodes, 4);
    assert_int_equal(r.n_edges, 2);
    for (int e = 0; e < 2; e++) {
        assert_int_equal(r.source_fid[e], 21 + e);
        assert_close(r.length_m[e], 200.0, 1e-9);
        assert_int_equal(r.dir_car[e], RTI_DIR_FORWARD);
        assert_true(r.from[e] != r.to[e]);
    }
    FX_ASSERT_STR_HAS(f->log, "layer 'wegvakken': 1 wegvak of several parts with a gap between "
                              "two of them (first: feature 2, 20.0 m)");
    rti_roads_free(&r);
}

/* ---- line layers ---- */

static const char *const LINE_COLS[] = {"n:kmh", "n:seconds", "oneway", NULL};

static const fx_feature LINE_ROWS[] = {
    {"LINESTRING (0 0, 50 0, 100 0)", {"36", "60", NULL}},
    {"LINESTRING (100.3 0, 200 0)", {"36", "10", NULL}},          /* 0.3 m from the first */
    {"LINESTRING (200.7 0, 300 0)", {"36", "10", NULL}},          /* 0.7 m from the second */
    {"LINESTRING (150 -50, 150 0, 150 50)", {"18", "20", "yes"}}, /* no vertex on the second */
    {"LINESTRING (50 -50, 50 0.2, 50 50)", {"18", "20", "-1"}},   /* 0.2 m from (50 0) */
};

static void lines_snap_within_the_tolerance(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "wegen.gpkg");
    fx_gpkg(path, "wegen", "EPSG:28992", wkbLineString, LINE_COLS, LINE_ROWS, 5);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.speed_column = "kmh";
    o.oneway_column = "oneway";
    rti_roads r;
    /* 0.5 m: (100.3 0) joins (100 0), (50 0.2) joins (50 0) and splits the
     * first line; (200.7 0) stays apart */
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_OK);
    assert_int_equal(r.format, RTI_ROADS_LINES);
    assert_int_equal(r.n_nodes, 10);
    assert_int_equal(r.n_edges, 7);
    assert_int_equal(r.to[0], r.from[1]);     /* the first line split at (50 0) */
    assert_int_equal(r.to[1], r.from[2]);     /* second line starts at the first's end */
    assert_true(r.to[2] != r.from[3]);        /* 0.7 m: apart */
    assert_int_equal(r.to[5], r.from[0] + 1); /* (50 0.2) is node 1, (50 0) */
    assert_int_equal(r.dir_car[4], RTI_DIR_FORWARD);
    assert_int_equal(r.dir_car[5], RTI_DIR_BACKWARD);
    assert_close(r.speed_kmh[4], 18, 0);
    assert_true(class_is(&r, 0, "line"));
    int32_t comp[10], n_comp;
    int64_t *sizes;
    assert_int_equal(
        rti_road_components(f->ctx, r.n_nodes, r.n_edges, r.from, r.to, comp, &sizes, &n_comp),
        RT_OK);
    assert_int_equal(n_comp, 3);
    assert_int_equal(sizes[0], 6);
    assert_int_equal(sizes[1], 2);
    assert_int_equal(sizes[2], 2);
    free(sizes);
    rti_roads_free(&r);

    /* 0.1 m: nothing joins; every line is one edge */
    o.snap_tolerance_m = 0.1;
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_OK);
    assert_int_equal(r.n_nodes, 10);
    assert_int_equal(r.n_edges, 5);
    rti_roads_free(&r);

    /* a time column is split over the pieces by length */
    o.snap_tolerance_m = 0.5;
    o.speed_column = NULL;
    o.time_column = "seconds";
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_OK);
    assert_null(r.speed_kmh);
    assert_close(r.time_s[0], 30, 1e-5);
    assert_close(r.time_s[1], 30, 1e-5);
    assert_close(r.time_s[5], 20 * 50.2 / 100, 1e-5);
    rti_roads_free(&r);
}

/* ---- bad input ---- */

static void bad_input_is_named(void **state)
{
    fx *f = *state;
    rti_roads r;
    rti_road_opts o = osm_opts();
    /* an OSM file without roads */
    const osm_node nodes[] = {{1, 0, 0}, {2, 0.001, 0}};
    const osm_way river[] = {{7, "1 2", "waterway=river"}};
    const char *osm = fx_path(f, "river.osm");
    write_osm(osm, nodes, 2, river, 1);
    rti_layer_ref ref = fx_ref(osm, NULL);
    assert_int_equal(rti_read_roads(f->ctx, &ref, EQC, &o, &r), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "river.osm: no roads");
    assert_null(r.from);
    /* OSM without the configuration */
    o.osm_config = NULL;
    assert_int_equal(rti_read_roads(f->ctx, &ref, EQC, &o, &r), RT_E_ARG);
    /* a CRS in degrees */
    o = osm_opts();
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:4326", &o, &r), RT_E_CRS);

    /* a line layer without the speed column named */
    const char *gpkg = fx_path(f, "wegen.gpkg");
    fx_gpkg(gpkg, "wegen", "EPSG:28992", wkbLineString, LINE_COLS, LINE_ROWS, 5);
    ref = fx_ref(gpkg, NULL);
    rti_road_opts_init(&o);
    o.speed_column = "snelheid";
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "no column 'snelheid' (columns: kmh, seconds, oneway)");
    o.speed_column = NULL;
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_E_ARG);
    FX_ASSERT_MSG_HAS(f->ctx, "exactly one of a speed column");

    /* a point among the roads; a zero speed */
    const fx_feature bad[] = {{"LINESTRING (0 0, 1 0)", {"30", "1", NULL}},
                              {"POINT (5 5)", {"30", "1", NULL}},
                              {"LINESTRING (0 0, 1 0)", {"0", "1", NULL}},
                              {"LINESTRING (1 0, 2 0)", {NULL, "1", NULL}}};
    const char *pts = fx_path(f, "mixed.gpkg");
    fx_gpkg(pts, "mixed", "EPSG:28992", wkbUnknown, LINE_COLS, bad, 2);
    ref = fx_ref(pts, NULL);
    o.speed_column = "kmh";
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "feature 2: a road must be a LineString or MultiLineString, not a "
                              "Point");
    const char *zero = fx_path(f, "zero.gpkg");
    fx_gpkg(zero, "zero", "EPSG:28992", wkbLineString, LINE_COLS, bad + 2, 1);
    ref = fx_ref(zero, NULL);
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "feature 1: column 'kmh': 0 km/h (must be > 0)");
    /* a feature without a speed is skipped with a warning; none left: an error */
    const char *none = fx_path(f, "none.gpkg");
    fx_gpkg(none, "none", "EPSG:28992", wkbLineString, LINE_COLS, bad + 3, 1);
    ref = fx_ref(none, NULL);
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "all 1 features lack a speed or time");
    /* found by fuzzing: a vertex at 1e65 m (its grid key overflowed a
     * 64-bit integer); beyond 1e9 m nothing is a position on Earth */
    const fx_feature far[] = {{"LINESTRING (0 0, 1e65 0)", {"30", "1", NULL}}};
    const char *farp = fx_path(f, "far.gpkg");
    fx_gpkg(farp, "far", "EPSG:28992", wkbLineString, LINE_COLS, far, 1);
    ref = fx_ref(farp, NULL);
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", &o, &r), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx,
                      "feature 1: the geometry has a vertex (1e+65, 0) that lies beyond 1e+09 m "
                      "of the origin of the analysis CRS");
}

/* ---- real extracts against ogrinfo ---- */

/* Runs ogrinfo with the SQLite dialect and reads the values of the named
 * result columns (numbers) in order. */
static void ogr_sql(const char *path, const char *oo, const char *sql, int n,
                    const char *const *names, double *out)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "ogrinfo -q -ro %s %s -dialect sqlite -sql \"%s\" '%s' 2>&1",
             oo ? "-oo" : "", oo ? oo : "", sql, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024];
    for (int i = 0; i < n; i++)
        out[i] = NAN;
    while (fgets(line, sizeof(line), p)) {
        for (int i = 0; i < n; i++) {
            char pre[80];
            snprintf(pre, sizeof(pre), "  %s (", names[i]);
            char *eq = strstr(line, " = ");
            if (strncmp(line, pre, strlen(pre)) == 0 && eq)
                out[i] = strtod(eq + 3, NULL);
        }
    }
    pclose(p);
    for (int i = 0; i < n; i++)
        if (isnan(out[i])) {
            print_error("ogrinfo gave no '%s' for %s\n", names[i], path);
            fail();
        }
}

#define HIGHWAYS                                                                                   \
    "'motorway','motorway_link','trunk','trunk_link','primary','primary_link','secondary',"        \
    "'secondary_link','tertiary','tertiary_link','unclassified','residential','living_street',"    \
    "'service','road','track','pedestrian','footway','cycleway','path','bridleway','steps'"

/* Nodes are vertex positions used twice or at a way's end; every way gives
 * one edge plus one per node inside it. Counted on the lon/lat of the file,
 * lengths summed after ST_Transform. */
static void osm_extract_matches_ogrinfo(fx *f, const char *rel, const char *crs, int epsg)
{
    char path[512], sql[4096], oo[600];
    snprintf(path, sizeof(path), "%s/geodata/%s", source_dir(), rel);
    snprintf(oo, sizeof(oo), "CONFIG_FILE=%s", osmconf());
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE w(id, n, g) AS (SELECT osm_id, ST_NumPoints(geometry), geometry FROM "
             "lines WHERE highway IN (" HIGHWAYS ")), "
             "v(id, i, n, g) AS (SELECT id, 1, n, g FROM w UNION ALL SELECT id, i + 1, n, g FROM v "
             "WHERE i < n), "
             "p(i, n, x, y) AS (SELECT i, n, ST_X(ST_PointN(g, i)), ST_Y(ST_PointN(g, i)) FROM v), "
             "k(x, y) AS (SELECT x, y FROM p GROUP BY x, y HAVING count(*) > 1 OR max(i = 1 OR i "
             "= n) = 1) "
             "SELECT (SELECT count(*) FROM w) AS ways, (SELECT count(*) FROM k) AS nodes, "
             "(SELECT count(*) FROM w) + (SELECT count(*) FROM p JOIN k USING (x, y) WHERE p.i > 1 "
             "AND p.i < p.n) AS edges, "
             "(SELECT sum(ST_Length(ST_Transform(g, %d))) FROM w) AS len",
             epsg);
    const char *const names[] = {"ways", "nodes", "edges", "len"};
    double want[4];
    ogr_sql(path, oo, sql, 4, names, want);

    rti_layer_ref ref = fx_ref(path, NULL);
    rti_road_opts o = osm_opts();
    rti_roads r;
    assert_int_equal(rti_read_roads(f->ctx, &ref, crs, &o, &r), RT_OK);
    assert_int_equal(r.n_features, (int64_t)want[0]);
    assert_int_equal(r.n_nodes, (int64_t)want[1]);
    assert_int_equal(r.n_edges, (int64_t)want[2]);
    double total = 0;
    for (int64_t e = 0; e < r.n_edges; e++) {
        total += r.length_m[e];
        /* the edge's vertices start and end at its nodes */
        int64_t a = r.geom_first[e], b = r.geom_first[e + 1] - 1;
        assert_true(r.gx[a] == r.x[r.from[e]] && r.gy[a] == r.y[r.from[e]]);
        assert_true(r.gx[b] == r.x[r.to[e]] && r.gy[b] == r.y[r.to[e]]);
    }
    assert_close(total, want[3], 1e-6 * want[3]);
    rti_roads_free(&r);
}

static void amsterdam_and_delft_match_ogrinfo(void **state)
{
    fx *f = *state;
    osm_extract_matches_ogrinfo(f, "osm-nl-micro-extracts/amsterdam.osm.pbf", "EPSG:28992", 28992);
    osm_extract_matches_ogrinfo(f, "osm-nl-micro-extracts/delft-station.osm.pbf", "EPSG:28992",
                                28992);
}

static void liechtenstein_matches_ogrinfo(void **state)
{
    osm_extract_matches_ogrinfo(*state, "osm-liechtenstein/liechtenstein-latest.osm.pbf",
                                "EPSG:32632", 32632);
}

/* Wageningen: one node per junction id, one edge per wegvak. */
/* Facilities selected by OSM tags: with the project's osmconf.ini the tags
 * are columns, so `amenity = 'fuel'` filters the points layer. The count
 * is checked against ogrinfo with GDAL's own configuration, where amenity
 * sits in the other_tags text of the points layer. */
static void osm_facilities_by_tag(void **state)
{
    fx *f = *state;
    char path[1024];
    snprintf(path, sizeof(path), "%s/geodata/osm-liechtenstein/liechtenstein-latest.osm.pbf",
             source_dir());
    const char *names[] = {"n"};
    double want;
    ogr_sql(path, NULL,
            "SELECT COUNT(*) AS n FROM points WHERE other_tags LIKE '%\\\"amenity\\\"=>"
            "\\\"fuel\\\"%'",
            1, names, &want);
    assert_true(want > 0);
    rti_layer_ref ref = {
        .path = path, .layer = "points", .where = "amenity = 'fuel'", .osm_config = osmconf()};
    rti_points pts = {0};
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:32632", NULL, "name", NULL, &pts), RT_OK);
    assert_int_equal(pts.n, (int64_t)want);
    rti_points_free(&pts);
    /* without the configuration the column does not exist: a clear error */
    ref.osm_config = NULL;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:32632", NULL, NULL, NULL, &pts),
                     RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(f->ctx), "amenity"));
}

static void nwb_wageningen_matches_ogrinfo(void **state)
{
    fx *f = *state;
    char path[512];
    snprintf(path, sizeof(path), "%s/geodata/nwb-samples/nwb_wageningen_2020.gpkg", source_dir());
    const char *const names[] = {"edges", "nodes", "len", "oneway"};
    double want[4];
    ogr_sql(path, NULL,
            "SELECT (SELECT count(*) FROM wegvakken) AS edges, (SELECT count(*) FROM (SELECT "
            "jte_id_beg FROM wegvakken UNION SELECT jte_id_end FROM wegvakken)) AS nodes, (SELECT "
            "sum(ST_Length(geom)) FROM wegvakken) AS len, (SELECT count(*) FROM wegvakken WHERE "
            "rijrichtng = 'H') AS oneway",
            4, names, want);
    rti_layer_ref ref = fx_ref(path, "wegvakken");
    rti_roads r;
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", NULL, &r), RT_OK);
    assert_int_equal(r.format, RTI_ROADS_NWB);
    assert_int_equal(r.n_edges, (int64_t)want[0]);
    assert_int_equal(r.n_nodes, (int64_t)want[1]);
    double total = 0;
    int64_t forward = 0;
    for (int64_t e = 0; e < r.n_edges; e++) {
        total += r.length_m[e];
        forward += r.dir_car[e] == RTI_DIR_FORWARD;
    }
    assert_close(total, want[2], 1e-6 * want[2]);
    assert_int_equal(forward, (int64_t)want[3]);
    rti_roads_free(&r);
}

static void allocation_failures_are_clean(void **state)
{
    fx *f = *state;
    const osm_node nodes[] = {{1, 0, 0}, {2, 0.001, 0}, {3, 0.002, 0}};
    const osm_way ways[] = {{1, "1 2 3", "highway=residential"}, {2, "2 3", "highway=path"}};
    const char *path = fx_path(f, "small.osm");
    write_osm(path, nodes, 3, ways, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_road_opts o = osm_opts();
    rti_roads r;
    int k = 1;
    for (;; k++) {
        rti_ctx_fail_alloc_at(f->ctx, k);
        rt_status st = rti_read_roads(f->ctx, &ref, EQC, &o, &r);
        const int64_t made = rti_ctx_alloc_count(f->ctx);
        rti_ctx_fail_alloc_at(f->ctx, 0);
        if (st == RT_OK && made >= k)
            fail_msg("allocation %lld failed and the call succeeded all the same", (long long)k);
        if (st == RT_OK)
            break;
        assert_int_equal(st, RT_E_NOMEM);
        assert_null(r.from);
        assert_int_equal(r.n_edges, 0);
    }
    assert_true(k > 10);
    assert_int_equal(r.n_edges, 3);
    rti_roads_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(oneway_street_and_roundabout, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(access_maxspeed_and_motorways, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(crossing_joins_only_at_a_shared_vertex, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(nwb_directions_and_junctions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(nwb_parts_make_one_wegvak, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lines_snap_within_the_tolerance, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_input_is_named, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(amsterdam_and_delft_match_ogrinfo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(liechtenstein_matches_ogrinfo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(osm_facilities_by_tag, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(nwb_wageningen_matches_ogrinfo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(allocation_failures_are_clean, fx_setup, fx_teardown),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
