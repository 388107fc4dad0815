/* Input paths: only regular files and folders are opened, checked before
 * GDAL sees them, so a named pipe, a device or a socket never blocks; GDAL
 * virtual paths over local files are allowed, remote sources only when
 * the caller allows them, and then with HTTP timeouts (tested against a
 * listener on 127.0.0.1 that never answers). Every test runs under an
 * alarm: a read that blocks ends the program instead of hanging. */
#include "io_fixture.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "loopback.h"

/* no test here may take longer: a blocked open ends the program */
#define ALARM_S 60

static int paths_setup(void **state)
{
    alarm(ALARM_S);
    return fx_setup(state);
}

static int paths_teardown(void **state)
{
    alarm(0);
    return fx_teardown(state);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char points_csv[] = "code,x,y\nA,1000,2000\n";

/* A GeoJSON layer of one point in RD (x 1000, y 2000). */
static const char points_geojson[] =
    "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
    "{\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}, \"features\": [{\"type\": \"Feature\", "
    "\"properties\": {\"code\": \"A\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": "
    "[1000, 2000]}}]}";

/* ---- special files ---- */

static void fifo_is_refused_before_it_is_opened(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "huisartsen.geojson");
    assert_int_equal(mkfifo(path, 0600), 0);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "huisartsen.geojson: is a named pipe (FIFO), not a regular file");
    rti_polygons poly;
    assert_int_equal(rti_read_polygons(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, 1, &poly),
                     RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "is a named pipe (FIFO)");
    rti_edge_table t;
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "is a named pipe (FIFO)");
    rti_roads roads;
    assert_int_equal(rti_read_roads(f->ctx, &ref, "EPSG:28992", NULL, &roads), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "is a named pipe (FIFO)");

    /* the same for a raster: warped and read as it is */
    const char *tif = fx_path(f, "friction.tif");
    assert_int_equal(mkfifo(tif, 0600), 0);
    rti_layer_ref rref = fx_ref(tif, NULL);
    rti_grid_spec g = {0, 40, 10, 4, 4, "EPSG:28992"};
    float out[16];
    assert_int_equal(rti_raster_warp(f->ctx, &rref, &g, NULL, out), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "friction.tif: is a named pipe (FIFO), not a regular file");
    for (int i = 0; i < 16; i++)
        assert_true(isnan(out[i]));
    rti_grid_spec ng;
    float *data = NULL;
    assert_int_equal(rti_raster_read_native(f->ctx, tif, 1, &ng, NULL, &data), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "friction.tif: is a named pipe (FIFO)");
    assert_null(data);

    /* and its checksum for run.json */
    char hex[65];
    assert_int_equal(rti_file_sha256(f->ctx, tif, hex, NULL), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "friction.tif: not a regular file");
}

static void devices_and_sockets_are_refused(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = fx_ref("/dev/null", NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "/dev/null: is a character device, not a regular file");
    ref = fx_ref("/dev/zero", NULL);
    rti_grid_spec g;
    float *data = NULL;
    assert_int_equal(rti_raster_read_native(f->ctx, "/dev/zero", 1, &g, NULL, &data), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "/dev/zero: is a character device");

    const char *sock = fx_path(f, "pts.csv");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ref = fx_csv_ref(sock, "x", "y", "EPSG:28992");
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "pts.csv: is a socket, not a regular file");
    close(fd);
}

/* GDAL opens files beside a dataset (x.csvt, x.dbf, x.tif.aux.xml): one of
 * them that is a named pipe is refused too, and so is one in a folder
 * read as a dataset. Files with another name do not matter. */
static void companion_files_and_folder_entries_are_checked(void **state)
{
    fx *f = *state;
    const char *csv = fx_path(f, "pts.csv");
    fx_write_text(csv, points_csv);
    rti_layer_ref ref = fx_csv_ref(csv, "x", "y", "EPSG:28992");
    rti_points p;
    assert_int_equal(mkfifo(fx_path(f, "other.csvt"), 0600), 0);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_true(p.n == 1 && p.x[0] == 1000.0 && p.y[0] == 2000.0);
    rti_points_free(&p);
    assert_int_equal(mkfifo(fx_path(f, "pts.csvt"), 0600), 0);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "pts.csv: the file beside it ");
    FX_ASSERT_MSG_HAS(f->ctx, "pts.csvt is a named pipe (FIFO), not a regular file");

    /* a folder of shapefiles is read as one dataset */
    char dir[600];
    snprintf(dir, sizeof(dir), "%s", fx_path(f, "shapes"));
    assert_int_equal(mkdir(dir, 0700), 0);
    char shp[700];
    snprintf(shp, sizeof(shp), "%s/punten.shp", dir);
    static const char *const cols[] = {"code", NULL};
    fx_feature ft[] = {{"POINT (1000 2000)", {"A"}}};
    fx_vector("ESRI Shapefile", shp, "punten", "EPSG:28992", wkbPoint, cols, ft, 1);
    ref = fx_ref(dir, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_true(p.n == 1 && p.x[0] == 1000.0 && p.y[0] == 2000.0);
    rti_points_free(&p);
    char pipe[700];
    snprintf(pipe, sizeof(pipe), "%s/wegen.shp", dir);
    assert_int_equal(mkfifo(pipe, 0600), 0);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "shapes: the folder's entry ");
    FX_ASSERT_MSG_HAS(f->ctx, "shapes/wegen.shp is a named pipe (FIFO)");
}

static void missing_files_are_named_with_the_reason(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = fx_ref(fx_path(f, "absent.gpkg"), NULL);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "absent.gpkg: cannot open: No such file or directory");
    /* a path through a regular file */
    const char *csv = fx_path(f, "pts.csv");
    fx_write_text(csv, points_csv);
    char below[700];
    snprintf(below, sizeof(below), "%s/x.gpkg", csv);
    ref = fx_ref(below, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "pts.csv/x.gpkg: cannot open: Not a directory");
}

/* ---- virtual paths ---- */

static void vsimem_and_local_archives_are_read(void **state)
{
    fx *f = *state;
    rti_points p;
    /* /vsimem/ */
    VSILFILE *m = VSIFileFromMemBuffer("/vsimem/rt_paths/pts.geojson", (GByte *)points_geojson,
                                       (vsi_l_offset)strlen(points_geojson), FALSE);
    assert_non_null(m);
    VSIFCloseL(m);
    rti_layer_ref ref = fx_ref("/vsimem/rt_paths/pts.geojson", NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_true(p.n == 1 && p.x[0] == 1000.0 && p.y[0] == 2000.0);
    rti_points_free(&p);
    VSIUnlink("/vsimem/rt_paths/pts.geojson");

    /* /vsizip/ over a local zip file, written through GDAL */
    char zip[600], member[700], braces[700];
    snprintf(zip, sizeof(zip), "%s", fx_path(f, "data.zip"));
    snprintf(member, sizeof(member), "/vsizip/%s/pts.geojson", zip);
    VSILFILE *z = VSIFOpenL(member, "wb");
    assert_non_null(z);
    assert_int_equal(VSIFWriteL(points_geojson, 1, strlen(points_geojson), z),
                     strlen(points_geojson));
    VSIFCloseL(z);
    ref = fx_ref(member, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    assert_true(p.n == 1 && p.x[0] == 1000.0 && p.y[0] == 2000.0);
    rti_points_free(&p);
    snprintf(braces, sizeof(braces), "/vsizip/{%s}/pts.geojson", zip);
    ref = fx_ref(braces, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", "code", NULL, NULL, &p), RT_OK);
    rti_points_free(&p);
    assert_int_equal(rti_path_kind_of(member), RTI_PATH_VIRTUAL);

    /* the same over a named pipe, and a missing archive */
    const char *pipe = fx_path(f, "pipe.zip");
    assert_int_equal(mkfifo(pipe, 0600), 0);
    snprintf(member, sizeof(member), "/vsizip/%s/pts.geojson", pipe);
    ref = fx_ref(member, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "pipe.zip/pts.geojson: ");
    FX_ASSERT_MSG_HAS(f->ctx, "pipe.zip is a named pipe (FIFO)");
    snprintf(member, sizeof(member), "/vsigzip/%s", pipe);
    ref = fx_ref(member, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "pipe.zip is a named pipe (FIFO)");
    snprintf(member, sizeof(member), "/vsizip/%s/pts.geojson", fx_path(f, "absent.zip"));
    ref = fx_ref(member, NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "absent.zip/pts.geojson: No such file or directory");

    /* other virtual file systems are not inputs */
    ref = fx_ref("/vsistdin/", NULL);
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "/vsistdin/: GDAL virtual file system not read as an input");
    assert_int_equal(rti_path_kind_of("/vsisubfile/0_10,x.csv"), RTI_PATH_UNSUPPORTED);
}

/* Driver-prefixed strings are used as written, but a local file named in
 * one is checked like any other; one of a database is remote. */
static void connection_strings(void **state)
{
    fx *f = *state;
    const char *pipe = fx_path(f, "f.tif");
    assert_int_equal(mkfifo(pipe, 0600), 0);
    char conn[700];
    snprintf(conn, sizeof(conn), "GTIFF_DIR:1:%s", pipe);
    assert_int_equal(rti_path_kind_of(conn), RTI_PATH_CONNECTION);
    rti_grid_spec g;
    float *data = NULL;
    assert_int_equal(rti_raster_read_native(f->ctx, conn, 1, &g, NULL, &data), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "f.tif is a named pipe (FIFO)");
    snprintf(conn, sizeof(conn), "NETCDF:\"%s\":friction", pipe);
    assert_int_equal(rti_raster_read_native(f->ctx, conn, 1, &g, NULL, &data), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "f.tif is a named pipe (FIFO)");
    assert_int_equal(rti_path_kind_of("PG:dbname=wegen"), RTI_PATH_REMOTE);
    assert_int_equal(rti_path_kind_of("WFS:https://example.org/wfs"), RTI_PATH_REMOTE);
    assert_int_equal(rti_path_kind_of("OSM:x"), RTI_PATH_CONNECTION);
}

/* ---- remote sources ---- */

static void remote_sources_are_refused_unless_allowed(void **state)
{
    fx *f = *state;
    static const char *const remote[] = {
        "/vsicurl/http://127.0.0.1:9/x.gpkg",
        "/vsicurl?url=http://127.0.0.1:9/x.gpkg",
        "/vsicurl_streaming/http://127.0.0.1:9/x.gpkg",
        "/vsis3/bucket/x.gpkg",
        "/vsis3_streaming/bucket/x.gpkg",
        "/vsigs/bucket/x.gpkg",
        "/vsiaz/container/x.gpkg",
        "/vsiadls/fs/x.gpkg",
        "/vsioss/bucket/x.gpkg",
        "/vsiswift/bucket/x.gpkg",
        "/vsihdfs/hdfs://host/x.gpkg",
        "/vsiwebhdfs/http://127.0.0.1:9/webhdfs/v1/x.gpkg",
        "http://127.0.0.1:9/x.geojson",
        "HTTPS://127.0.0.1:9/x.geojson",
        "ftp://127.0.0.1:9/x.geojson",
        "/vsizip//vsicurl/http://127.0.0.1:9/x.zip/x.shp",
        "/vsizip/{/vsis3/bucket/x.zip}/x.shp",
        "/vsigzip//vsicurl/http://127.0.0.1:9/x.csv.gz",
        "/vsitar//vsigs/bucket/x.tar/x.tif",
        "/vsizip//vsizip//vsicurl/http://127.0.0.1:9/a.zip/b.zip/x.shp",
        NULL};
    for (int i = 0; remote[i]; i++) {
        assert_int_equal(rti_path_kind_of(remote[i]), RTI_PATH_REMOTE);
        rti_layer_ref ref = fx_ref(remote[i], NULL);
        rti_points p;
        assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p),
                         RT_E_IO);
        FX_ASSERT_MSG_HAS(f->ctx, remote[i]);
        FX_ASSERT_MSG_HAS(f->ctx, "is a remote source, read over the network");
        FX_ASSERT_MSG_HAS(f->ctx, "set study.allow_remote: true or give --allow-remote");
    }
    rti_layer_ref ref = fx_ref(remote[0], NULL);
    rti_grid_spec g = {0, 40, 10, 4, 4, "EPSG:28992"};
    float out[16];
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, NULL, out), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "set study.allow_remote: true or give --allow-remote");
    assert_int_equal(rti_input_check(f->ctx, remote[0], 1), RT_OK);
    assert_int_equal(rti_path_kind_of("/data/x.gpkg"), RTI_PATH_LOCAL);
    assert_int_equal(rti_path_kind_of("/vsimem/x.gpkg"), RTI_PATH_VIRTUAL);
}

/* /vsicurl/http://127.0.0.1:<port>/<name> in url (128 bytes) as a source,
 * remote sources allowed or not. */
static rti_layer_ref loopback_ref(const loopback *s, const char *name, int allow, char *url)
{
    snprintf(url, 128, "/vsicurl/http://127.0.0.1:%d/%s", s->port, name);
    rti_layer_ref ref = fx_ref(url, NULL);
    ref.allow_remote = allow;
    return ref;
}

static void refused_remote_source_makes_no_connection(void **state)
{
    fx *f = *state;
    loopback s;
    loopback_start(&s, 0);
    char url[128];
    rti_layer_ref ref = loopback_ref(&s, "pts.geojson", 0, url);
    rti_points p;
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "set study.allow_remote: true or give --allow-remote");
    assert_int_equal(loopback_stop(&s), 0);
}

/* With remote sources allowed, a server that accepts the connection and
 * never answers ends the read after the timeouts (here 1 s, set through
 * the environment: GDAL makes a few requests, each ended after 1 s), with
 * a message naming the URL and the timeouts. The HTTP options set for the
 * read are gone afterwards. */
static void silent_server_ends_in_the_timeout(void **state)
{
    fx *f = *state;
    const char *c, *t;
    unsetenv("GDAL_HTTP_CONNECTTIMEOUT");
    unsetenv("GDAL_HTTP_TIMEOUT");
    rti_remote_timeouts(&c, &t);
    assert_string_equal(c, "10");
    assert_string_equal(t, "60");
    setenv("GDAL_HTTP_CONNECTTIMEOUT", "1", 1);
    setenv("GDAL_HTTP_TIMEOUT", "1", 1);
    rti_remote_timeouts(&c, &t);
    assert_string_equal(c, "1");
    assert_string_equal(t, "1");

    loopback s;
    loopback_start(&s, 0);
    char url[128];
    rti_layer_ref ref = loopback_ref(&s, "pts.geojson", 1, url);
    rti_points p;
    double t0 = now_s();
    assert_int_equal(rti_read_points(f->ctx, &ref, "EPSG:28992", NULL, NULL, NULL, &p), RT_E_IO);
    double took = now_s() - t0;
    FX_ASSERT_MSG_HAS(f->ctx, url);
    FX_ASSERT_MSG_HAS(f->ctx, "cannot open as a vector source");
    FX_ASSERT_MSG_HAS(f->ctx, "a remote source: each request gives up after 1 s without a "
                              "connection or 1 s in all (GDAL_HTTP_CONNECTTIMEOUT, "
                              "GDAL_HTTP_TIMEOUT)");
    assert_true(took < 20.0);

    rti_grid_spec g;
    float *data = NULL;
    rti_layer_ref rref = loopback_ref(&s, "friction.tif", 1, url);
    t0 = now_s();
    assert_int_equal(rti_raster_read_native_ref(f->ctx, &rref, &g, NULL, &data), RT_E_IO);
    took = now_s() - t0;
    FX_ASSERT_MSG_HAS(f->ctx, "friction.tif: cannot open as a raster");
    FX_ASSERT_MSG_HAS(f->ctx, "gives up after 1 s");
    assert_true(took < 20.0);
    assert_true(loopback_stop(&s) >= 2); /* both reads reached the server */
    assert_null(CPLGetThreadLocalConfigOption("GDAL_HTTP_TIMEOUT", NULL));
    assert_null(CPLGetThreadLocalConfigOption("GDAL_HTTP_MAX_RETRY", NULL));
    unsetenv("GDAL_HTTP_CONNECTTIMEOUT");
    unsetenv("GDAL_HTTP_TIMEOUT");
}

/* A server that closes every connection at once: the read fails at once,
 * and the options the reader set on the thread (the defaults: nothing in
 * the environment) are unset afterwards. */
static void http_options_are_unset_after_a_remote_read(void **state)
{
    fx *f = *state;
    unsetenv("GDAL_HTTP_CONNECTTIMEOUT");
    unsetenv("GDAL_HTTP_TIMEOUT");
    unsetenv("GDAL_HTTP_MAX_RETRY");
    loopback s;
    loopback_start(&s, 1);
    char url[128];
    rti_layer_ref ref = loopback_ref(&s, "edges.csv", 1, url);
    rti_edge_table tab;
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &tab), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "gives up after 10 s without a connection or 60 s in all");
    assert_null(CPLGetThreadLocalConfigOption("GDAL_HTTP_CONNECTTIMEOUT", NULL));
    assert_null(CPLGetThreadLocalConfigOption("GDAL_HTTP_TIMEOUT", NULL));
    assert_null(CPLGetThreadLocalConfigOption("GDAL_HTTP_MAX_RETRY", NULL));
    assert_true(loopback_stop(&s) >= 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, paths_setup, paths_teardown)
    const struct CMUnitTest tests[] = {
        T(fifo_is_refused_before_it_is_opened),
        T(devices_and_sockets_are_refused),
        T(companion_files_and_folder_entries_are_checked),
        T(missing_files_are_named_with_the_reason),
        T(vsimem_and_local_archives_are_read),
        T(connection_strings),
        T(remote_sources_are_refused_unless_allowed),
        T(refused_remote_source_makes_no_connection),
        T(silent_server_ends_in_the_timeout),
        T(http_options_are_unset_after_a_remote_read),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
