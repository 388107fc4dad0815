/* The bad-input catalogue of the I/O layer (rows and driver in
 * tests/cli/bad_input.h): inputs that are not regular files (named pipes,
 * devices, sockets, also beside a dataset or inside a folder read as one),
 * remote sources when they are not allowed, node ids beyond the 64-bit
 * range, numbers that are not finite, and the messages that must name the
 * right cause (an empty layer, a missing CSV coordinate column). Each is
 * refused at once, with exit 1, a message naming the file and what it is,
 * nothing written and no input changed; a named pipe never blocks (each row
 * has a time limit). After the table: a refused remote source makes no
 * connection to a listener on 127.0.0.1, and, when the program can be told
 * to allow remote sources, a listener that never answers ends the run in
 * the timeouts set through the environment.
 *
 * Rows of `reistijd nearest` name their inputs relative to in/: their
 * before hook makes the inputs there and moves the test into that folder,
 * from which the program is started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "cli/bad_input.h"
#include "io/loopback.h"

/* no row may take longer: a blocked open would hit this */
#define QUICK_S 60.0

static const char facilities_line[] = "    source: facilities.geojson\n";
static const char population_line[] = "  source: population.geojson\n";
static const char regions_line[] = "    source: regions.geojson\n";
static const char land_line[] = "  land: regions.geojson\n";
static const char medium_lines[] =
    "  type: speed_model\n  offroad_kmh: 36\n  land: regions.geojson\n";

/* ---- making inputs (before hooks) ---- */

static void in_path(char *buf, const char *name) { cli_path(buf, in, name); }

static void make_fifo(const char *name)
{
    char path[CLI_PATH_MAX];
    in_path(path, name);
    if (mkfifo(path, 0600) != 0 && errno != EEXIST)
        fail_msg("mkfifo %s: %s", path, strerror(errno));
}

static void unix_socket(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char path[CLI_PATH_MAX];
    in_path(path, "sock.geojson");
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa.sun_path))
        skip(); /* a long TMPDIR: no socket can have this name */
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno != EADDRINUSE)
        fail_msg("bind %s: %s", path, strerror(errno));
    close(fd); /* the socket file stays */
}

/* The population points of the fixture (RD) as CSV. */
static const char population_csv[] = "id,x,y,inwoners\n"
                                     "1,101550,400450,100\n"
                                     "2,103550,400450,50\n";

/* The inputs of the rows (before hook of every row that needs one; it
 * makes them all, and again for each row: a row may find them made). The
 * pipes are named pipe_*: a name starting with "facilities." would be a
 * file beside the fixture's facilities.geojson, which GDAL may open with
 * it, and stop the other rows. */
static void odd_inputs(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    make_fifo("pipe.geojson");
    make_fifo("pipe.tif");
    /* the population points as CSV, one with a named pipe as its .csvt
     * file, which GDAL's CSV driver reads beside it */
    cli_write(in, "pts.csv", population_csv);
    cli_write(in, "pts_typed.csv", population_csv);
    make_fifo("pts_typed.csvt");
    cli_write(in, "pts_huge.csv",
              "id,x,y,inwoners\n1,101550,400450,1e308\n2,103550,400450,1e308\n");
    /* 1e999 is read as an infinite coordinate */
    cli_write(in, "pts_inf.geojson",
              "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
              "\"Feature\", \"properties\": {\"inwoners\": 5}, \"geometry\": {\"type\": "
              "\"Point\", \"coordinates\": [1e999, 400450]}}]}");
    /* a point 5e18 m north: a finite number, no position on Earth */
    cli_write(in, "pts_far.geojson",
              "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [{\"type\": "
              "\"Feature\", \"properties\": {\"inwoners\": 5}, \"geometry\": {\"type\": "
              "\"Point\", \"coordinates\": [101550, 5e18]}}]}");
    cli_write(in, "leeg.geojson", "{\"type\": \"FeatureCollection\", \"features\": []}");
    /* a folder read as a dataset (a folder of shapefiles) holding a pipe */
    char dir[CLI_PATH_MAX];
    in_path(dir, "praktijken");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        fail_msg("mkdir %s: %s", dir, strerror(errno));
    make_fifo("praktijken/huisartsen.shp");
    /* networks and sources for `nearest`; in edges_big.csv, 2^63 =
     * 9223372036854775808, which GDAL's integer columns would read as
     * 2^63 - 1, the id of the first row */
    cli_write(in, "edges.csv", "source,target,cost_s\n1,2,10\n2,3,20\n");
    cli_write(in, "edges_big.csv",
              "source,target,cost_s\n9223372036854775807,1,10\n9223372036854775808,2,20\n"
              "1,2,5\n");
    cli_write(in, "edges_huge.csv", "source,target,cost_s\n1,2,10\n2,3,1e308\n");
    cli_write(in, "sources_ok.csv", "node\n1\n");
    cli_write(in, "sources_big.csv", "node\n1\n-9223372036854775809\n");
    cli_write(in, "bronnen.csv", "node\n");
    make_fifo("pipe_friction.tif");
    make_fifo("pipe_sources.csv");
    make_fifo("pipe.prj");
}

/* A GeoPackage (the embedded hospitals, copied byte for byte: SQLite
 * reads the filters) and a CSV table of 21 columns (k01 .. k20 and WKT). */
static void table_inputs(const bad_case *c, const char *outdir)
{
    (void)c;
    (void)outdir;
    char from[CLI_PATH_MAX], to[CLI_PATH_MAX], buf[65536];
    snprintf(from, sizeof(from), "%s/geodata/mapnl-ziekenhuizen-2016/ziekenhuizen_2016.gpkg",
             cli_source_dir());
    in_path(to, "zh.gpkg");
    FILE *fi = fopen(from, "rb"), *fo = fopen(to, "wb");
    if (!fi || !fo)
        fail_msg("cannot copy %s to %s", from, to);
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fi)) > 0)
        assert_int_equal(fwrite(buf, 1, n, fo), n);
    fclose(fi);
    assert_int_equal(fclose(fo), 0);
    char csv[1024] = "";
    for (int i = 1; i <= 20; i++)
        snprintf(csv + strlen(csv), sizeof(csv) - strlen(csv), "k%02d,", i);
    snprintf(csv + strlen(csv), sizeof(csv) - strlen(csv),
             "WKT\n" /* GM0001 of the fixture */
             "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
             "\"POLYGON ((100000 400000,102000 400000,102000 401000,100000 401000,100000 "
             "400000))\"\n");
    cli_write(in, "wide.csv", csv);
}

/* The rows of `nearest` name their inputs relative to in/: the inputs are
 * made and the test moves into in/, from where the program starts. */
static void nearest_inputs(const bad_case *c, const char *outdir)
{
    odd_inputs(c, outdir);
    assert_int_equal(chdir(in), 0);
}

static const bad_case cases[] = {
    /* ---- not regular files: refused before anything opens them ---- */
    {.name = "fifo_facilities",
     .from = facilities_line,
     .to = "    source: pipe.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"fifo_facilities.yaml", "facilities 'huisarts'", "pipe.geojson",
                   "is a named pipe (FIFO), not a regular file", "RT_E_IO"}},
    {.name = "fifo_population",
     .from = population_line,
     .to = "  source: pipe.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"fifo_population.yaml", "population", "pipe.geojson", "is a named pipe (FIFO)",
                   "RT_E_IO"}},
    {.name = "fifo_regions",
     .from = regions_line,
     .to = "    source: pipe.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"fifo_regions.yaml", "regions 'gemeente'", "pipe.geojson",
                   "is a named pipe (FIFO)", "RT_E_IO"}},
    {.name = "fifo_land",
     .from = land_line,
     .to = "  land: pipe.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"fifo_land.yaml", "pipe.geojson", "is a named pipe (FIFO)", "RT_E_IO"}},
    /* a CRS is text: GDAL would read a file it names (and block on a
     * pipe) or fetch a URL */
    {.name = "crs_names_a_pipe",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 100\n  crs: " IN "pipe.prj\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"crs_names_a_pipe.yaml", "study.crs", "pipe.prj' names a file",
                   "a CRS is read from no file or URL", "RT_E_CRS"}},
    {.name = "crs_names_a_url",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 100\n  crs: http://127.0.0.1:9/rd.prj\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"crs_names_a_url.yaml", "http://127.0.0.1:9/rd.prj' names a URL", "RT_E_CRS"}},
    {.name = "fifo_raster",
     .from = medium_lines,
     .to = "  type: friction\n  raster: pipe.tif\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"fifo_raster.yaml", "pipe.tif", "is a named pipe (FIFO), not a regular file",
                   "RT_E_IO"}},
    {.name = "fifo_beside_csv",
     .from = population_line,
     .to = "  source: {path: pts_typed.csv, x_column: x, y_column: y, crs: \"EPSG:28992\"}\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"pts_typed.csv: the file beside it", "pts_typed.csvt is a named pipe (FIFO)",
                   "RT_E_IO"}},
    {.name = "fifo_in_folder",
     .from = facilities_line,
     .to = "    source: praktijken\n",
     .before = odd_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"praktijken: the folder's entry", "huisartsen.shp is a named pipe (FIFO)",
                   "RT_E_IO"}},
    {.name = "device_facilities",
     .from = facilities_line,
     .to = "    source: /dev/null\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"facilities 'huisarts'", "/dev/null: is a character device, not a regular file",
                   "RT_E_IO"}},
    {.name = "device_regions",
     .from = regions_line,
     .to = "    source: /dev/zero\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"regions 'gemeente'", "/dev/zero: is a character device", "RT_E_IO"}},
    {.name = "socket_facilities",
     .from = facilities_line,
     .to = "    source: sock.geojson\n",
     .before = unix_socket,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"sock.geojson: is a socket, not a regular file", "RT_E_IO"}},
    {.name = "vsistdin",
     .from = facilities_line,
     .to = "    source: /vsistdin/\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"/vsistdin/: GDAL virtual file system not read as an input", "RT_E_IO"}},

    /* ---- remote sources, not allowed: no connection is made ---- */
    {.name = "remote_facilities",
     .from = facilities_line,
     .to = "    source: /vsicurl/http://127.0.0.1:9/facilities.geojson\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"facilities 'huisarts'", "/vsicurl/http://127.0.0.1:9/facilities.geojson",
                   "is a remote source", "set study.allow_remote: true or give --allow-remote",
                   "RT_E_IO"}},
    {.name = "remote_url_regions",
     .from = regions_line,
     .to = "    source: http://127.0.0.1:9/regions.geojson\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"regions 'gemeente'", "http://127.0.0.1:9/regions.geojson: is a remote source",
                   "--allow-remote", "RT_E_IO"}},
    {.name = "remote_zip_population",
     .from = population_line,
     .to = "  source: /vsizip//vsicurl/http://127.0.0.1:9/p.zip/population.geojson\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"population", "/vsizip//vsicurl/http://127.0.0.1:9/p.zip/population.geojson",
                   "is a remote source", "RT_E_IO"}},
    {.name = "remote_raster",
     .from = medium_lines,
     .to = "  type: friction\n  raster: /vsis3/bucket/friction.tif\n",
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"/vsis3/bucket/friction.tif: is a remote source", "--allow-remote", "RT_E_IO"}},

    /* ---- messages that name the right cause ---- */
    /* the empty GeoJSON file has no columns either: not "no column 'ref'" */
    {.name = "empty_file",
     .from = facilities_line,
     .to = "    source: leeg.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .fragments = {"facilities 'huisarts'", "leeg.geojson: layer 'leeg' has no features",
                   "RT_E_DATA"}},
    /* not "no features with a geometry" */
    {.name = "csv_missing_column",
     .from = population_line,
     .to = "  source: {path: pts.csv, x_column: lon, y_column: y, crs: \"EPSG:28992\"}\n",
     .before = odd_inputs,
     .exit_code = 1,
     .fragments = {"population", "pts.csv: layer 'pts': no column 'lon' (x_column)",
                   "(columns: id, x, y, inwoners)", "RT_E_DATA"}},
    /* a filter naming a column the layer lacks: the database's own reason
     * (SQLite's for a GeoPackage, where GDAL names only the SQL that
     * failed), the nearest column and the columns there are */
    {.name = "where_unknown_column_gpkg",
     .from = facilities_line,
     .to = "    source: {path: zh.gpkg, layer: ziekenhuizen, where: \"soort_ziekenhuiz = 'x'\"}\n",
     .before = table_inputs,
     .exit_code = 1,
     .fragments = {"facilities 'huisarts'",
                   "zh.gpkg: layer 'ziekenhuizen': invalid filter "
                   "\"soort_ziekenhuiz = 'x'\": no such column: soort_ziekenhuiz; did you mean "
                   "'soort_ziekenhuis'? (columns: organisatienummer, ziekenhuisnummer, ",
                   "lon, lat)", "RT_E_DATA"}},
    {.name = "where_syntax_gpkg",
     .from = facilities_line,
     .to = "    source: {path: zh.gpkg, layer: ziekenhuizen, where: \"soort_ziekenhuis = \"}\n",
     .before = table_inputs,
     .exit_code = 1,
     .fragments = {"invalid filter \"soort_ziekenhuis = \": incomplete input (RT_E_DATA)"}},
    {.name = "where_unknown_column",
     .from = facilities_line,
     .to = "    source: {path: facilities.geojson, where: \"naan = 'x'\"}\n",
     .exit_code = 1,
     .fragments = {"facilities.geojson: layer 'facilities': invalid filter \"naan = 'x'\": "
                   "\"naan\" not recognised as an available field; did you mean 'naam'? "
                   "(columns: ref, naam) (RT_E_DATA)"}},
    /* a misspelt column key: the nearest column */
    {.name = "id_column_misspelt",
     .from = "    id_column: ref\n",
     .to = "    id_column: reff\n",
     .exit_code = 1,
     .fragments = {"facilities.geojson: layer 'facilities': no column 'reff'; did you mean "
                   "'ref'? (columns: ref, naam) (RT_E_DATA)"}},
    /* of 21 columns the first 12 are named; 'code' is near none of them */
    {.name = "columns_capped",
     .from = regions_line,
     .to = "    source: {path: wide.csv, crs: \"EPSG:28992\"}\n",
     .before = table_inputs,
     .exit_code = 1,
     .fragments = {"regions 'gemeente'",
                   "wide.csv: layer 'wide': no column 'code' (columns: "
                   "k01, k02, k03, k04, k05, k06, k07, k08, k09, k10, k11, k12 and 9 more) "
                   "(RT_E_DATA)"}},

    /* ---- numbers ---- */
    /* two counts of 1e308 would sum to infinity in the float grid */
    {.name = "population_csv_1e308",
     .from = population_line,
     .to = "  source: {path: pts_huge.csv, x_column: x, y_column: y, crs: \"EPSG:28992\"}\n",
     .before = odd_inputs,
     .exit_code = 1,
     .fragments = {"pts_huge.csv: layer 'pts_huge': feature 1", "column 'inwoners'",
                   "1e+308 lies beyond +-3.4e38", "RT_E_DATA"}},
    {.name = "coordinate_inf",
     .from = population_line,
     .to = "  source: pts_inf.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .fragments = {"pts_inf.geojson: layer 'pts_inf': feature 0",
                   "vertex (inf, 400450) whose coordinates are not finite", "RT_E_DATA"}},
    {.name = "coordinate_far",
     .from = population_line,
     .to = "  source: pts_far.geojson\n",
     .before = odd_inputs,
     .exit_code = 1,
     .fragments = {"pts_far.geojson: layer 'pts_far': feature 0",
                   "vertex (101550, 5e+18) that lies beyond 1e+09 m of the origin of the "
                   "analysis CRS; no position on Earth does",
                   "RT_E_DATA"}},

    /* ---- reistijd nearest ---- */
    {.name = "nearest_device_friction",
     .args = {"nearest", "--friction", "/dev/zero", "--facilities", STUDY, "-o", OUTDIR},
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"/dev/zero: is a character device, not a regular file", "RT_E_IO"}},
    {.name = "nearest_fifo_friction",
     .args = {"nearest", "--friction", "pipe_friction.tif", "--facilities", "facilities.geojson",
              "-o", OUTDIR},
     .before = nearest_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"pipe_friction.tif: is a named pipe (FIFO)", "RT_E_IO"}},
    {.name = "nearest_fifo_sources",
     .args = {"nearest", "--network", "edges.csv", "--sources", "pipe_sources.csv", "-o", OUTDIR},
     .before = nearest_inputs,
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"pipe_sources.csv: is a named pipe (FIFO)", "RT_E_IO"}},
    {.name = "nearest_remote_network",
     .args = {"nearest", "--network", "/vsicurl/http://127.0.0.1:9/edges.csv", "--sources", STUDY,
              "-o", OUTDIR},
     .exit_code = 1,
     .max_seconds = QUICK_S,
     .fragments = {"/vsicurl/http://127.0.0.1:9/edges.csv: is a remote source", "--allow-remote",
                   "RT_E_IO"}},
    {.name = "nearest_edge_id_beyond_64_bits",
     .args = {"nearest", "--network", "edges_big.csv", "--sources", "sources_ok.csv", "-o", OUTDIR},
     .before = nearest_inputs,
     .exit_code = 1,
     .fragments = {"edges_big.csv: layer 'edges_big': row 2: column 'source'",
                   "node id '9223372036854775808' lies beyond the 64-bit range", "RT_E_DATA"}},
    {.name = "nearest_source_id_beyond_64_bits",
     .args = {"nearest", "--network", "edges.csv", "--sources", "sources_big.csv", "-o", OUTDIR},
     .before = nearest_inputs,
     .exit_code = 1,
     .fragments = {"sources_big.csv: layer 'sources_big': row 2: column 'node'",
                   "node id '-9223372036854775809' lies beyond the 64-bit range", "RT_E_DATA"}},
    {.name = "nearest_cost_1e308",
     .args = {"nearest", "--network", "edges_huge.csv", "--sources", "sources_ok.csv", "-o",
              OUTDIR},
     .before = nearest_inputs,
     .exit_code = 1,
     .fragments = {"edges_huge.csv: layer 'edges_huge': row 2: column 'cost_s'",
                   "'1e308' lies beyond +-3.4e38", "RT_E_DATA"}},
    /* a one-column list is read through an in-memory copy: its own name shows */
    {.name = "nearest_empty_sources",
     .args = {"nearest", "--network", "edges.csv", "--sources", "bronnen.csv", "-o", OUTDIR},
     .before = nearest_inputs,
     .exit_code = 1,
     .fragments = {"bronnen.csv: layer 'bronnen' has no features", "RT_E_DATA"}},
};

/* ---- remote sources against a listener on 127.0.0.1 ---- */

/* The study with the facilities at url, in in/<name>.yaml. */
static void remote_study(char *path, const char *name, const char *url)
{
    char line[256], file[128];
    snprintf(line, sizeof(line), "    source: %s\n", url);
    char *text = cli_replace(template_yaml, facilities_line, line);
    snprintf(file, sizeof(file), "%s.yaml", name);
    cli_path(path, in, file);
    cli_write_file(path, text);
    free(text);
}

static void refused_remote_source_makes_no_connection(void **state)
{
    (void)state;
    loopback s;
    loopback_start(&s, 0);
    char url[128], study[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    snprintf(url, sizeof(url), "/vsicurl/http://127.0.0.1:%d/facilities.geojson", s.port);
    remote_study(study, "remote_refused_live", url);
    cli_path(outdir, tmp, "out-remote-refused");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir);
    int accepted = loopback_stop(&s);
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, url);
    cli_assert_contains(r.err, "set study.allow_remote: true or give --allow-remote");
    assert_true(r.seconds < QUICK_S);
    cli_result_free(&r);
    assert_int_equal(accepted, 0);
    cli_assert_no_output(outdir);
}

/* 1 when the program takes --allow-remote (the option is added to the
 * command line separately from the I/O layer's part). */
static int cli_allows_remote(void)
{
    cli_result r;
    CLI_RUN(&r, tmp, "run", "--help");
    int yes = strstr(r.out, "--allow-remote") != NULL;
    cli_result_free(&r);
    return yes;
}

/* Allowed, against a server that accepts and never answers: the run ends
 * in the timeouts (1 s each, set through the environment) with a message
 * naming the URL and the timeouts; nothing is written. */
static void silent_server_ends_the_run_in_the_timeouts(void **state)
{
    (void)state;
    if (!cli_allows_remote())
        skip();
    setenv("GDAL_HTTP_CONNECTTIMEOUT", "1", 1);
    setenv("GDAL_HTTP_TIMEOUT", "1", 1);
    loopback s;
    loopback_start(&s, 0);
    char url[128], study[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    snprintf(url, sizeof(url), "/vsicurl/http://127.0.0.1:%d/facilities.geojson", s.port);
    remote_study(study, "remote_silent", url);
    cli_path(outdir, tmp, "out-remote-silent");
    cli_result r;
    CLI_RUN(&r, tmp, "run", study, "-o", outdir, "--allow-remote");
    int accepted = loopback_stop(&s);
    unsetenv("GDAL_HTTP_CONNECTTIMEOUT");
    unsetenv("GDAL_HTTP_TIMEOUT");
    cli_assert_status(&r, 1);
    cli_assert_contains(r.err, url);
    cli_assert_contains(r.err, "gives up after 1 s without a connection or 1 s in all");
    assert_true(r.seconds < QUICK_S);
    cli_result_free(&r);
    assert_true(accepted >= 1);
    cli_assert_no_output(outdir);
}

int main(void)
{
    const struct CMUnitTest extra[] = {
        cmocka_unit_test(refused_remote_source_makes_no_connection),
        cmocka_unit_test(silent_server_ends_the_run_in_the_timeouts),
    };
    return bad_input_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), extra,
                          (int)(sizeof(extra) / sizeof(extra[0])));
}
