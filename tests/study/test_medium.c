/* The bounds of the travel media, through `validate` (which builds the
 * medium): the slowest passable friction (3600 s/m, 1 m per hour) and speed
 * (0.001 km/h) are accepted and anything slower is refused naming the cell,
 * since such a value is a barrier and would write infinite times into the
 * Float32 grids; a road whose speed makes one edge take longer than 1e9 s
 * is refused naming the road; invalid land polygons follow
 * study.invalid_polygons like the regions do. */
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

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_study.h"
#include "study_fixture.h"

#define FC(features)                                                                               \
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": [" features "]}"

/* One region of 4 x 2 cells of 100 m: x 0..400, y 0..200, and a facility
 * at the centre of cell (0, 0). */
static const char region_json[] =
    FC("{\"type\": \"Feature\", \"properties\": {\"code\": \"R1\"}, \"geometry\": {\"type\": "
       "\"Polygon\", \"coordinates\": [[[0, 0], [400, 0], [400, 200], [0, 200], [0, 0]]]}}");
static const char facility_json[] =
    FC("{\"type\": \"Feature\", \"properties\": {\"ref\": \"F\"}, \"geometry\": {\"type\": "
       "\"Point\", \"coordinates\": [50, 150]}}");
/* A bow tie whose edges cross at (200, 100): not a valid polygon. */
static const char bowtie_json[] =
    FC("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", "
       "\"coordinates\": [[[0, 0], [400, 200], [400, 0], [0, 200], [0, 0]]]}}");
/* One road of 400 m along y = 150 at a speed from its column. */
static const char road_fmt[] =
    FC("{\"type\": \"Feature\", \"properties\": {\"kmh\": %s}, \"geometry\": {\"type\": "
       "\"LineString\", \"coordinates\": [[0, 150], [400, 150]]}}");

static const char tail[] = "facilities:\n"
                           "  - {type: gp, source: facility.geojson, id_column: ref}\n"
                           "regions:\n"
                           "  - {name: gemeente, source: region.geojson, id_column: code}\n";

static int setup(void **state)
{
    fixture_mkdir("rt-medium");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("bowtie.geojson", bowtie_json);
    rti_io_init();
    *state = rt_ctx_create();
    return 0;
}

/* Validates the study `yaml` (written to dir/study.yaml). */
static rt_status validate(rt_ctx *ctx, const char *yaml)
{
    write_text("study.yaml", yaml);
    char path[512];
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    rt_study *s = NULL;
    rt_status st = rt_study_load(ctx, path, &s);
    if (st != RT_OK)
        return st;
    rt_run_opts o;
    rt_run_opts_init(&o);
    o.validate_only = 1;
    st = rt_study_run(ctx, s, &o);
    rt_study_destroy(s);
    return st;
}

/* A raster of 4 x 2 cells of 100 m over the region, every cell `v`, but
 * cell (1, 2) `odd`. */
typedef struct fill {
    float v, odd;
} fill;

static void fill_row(int32_t row, void *buf, void *user)
{
    const fill *f = user;
    float *out = buf;
    for (int c = 0; c < 4; c++)
        out[c] = row == 1 && c == 2 ? f->odd : f->v;
}

static void write_raster(rt_ctx *ctx, const char *name, float v, float odd)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    remove(path);
    rti_grid_spec g = {0, 200, 100, 4, 2, "EPSG:28992"};
    fill f = {v, odd};
    assert_int_equal(
        rti_write_geotiff(ctx, path, &g, "EPSG:28992", RTI_FLOAT32, -1, "v", "", fill_row, &f),
        RT_OK);
}

static rt_status raster_study(rt_ctx *ctx, const char *type, const char *name)
{
    char yaml[1024];
    snprintf(yaml, sizeof(yaml),
             "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
             "medium: {type: %s, raster: %s}\n%s",
             type, name, tail);
    return validate(ctx, yaml);
}

static void friction_up_to_one_metre_per_hour(void **state)
{
    rt_ctx *ctx = *state;
    write_raster(ctx, "friction.tif", 0.1f, 3600.0f);
    assert_int_equal(raster_study(ctx, "friction", "friction.tif"), RT_OK);
    /* 1e38 s/m would make times beyond the Float32 range of the grids */
    write_raster(ctx, "friction.tif", 0.1f, 1e38f);
    assert_int_equal(raster_study(ctx, "friction", "friction.tif"), RT_E_DATA);
    const char *msg = rt_ctx_errmsg(ctx);
    assert_non_null(strstr(msg, "cell (row 1, col 2) at (250, 50)"));
    assert_non_null(strstr(msg, "friction 1e+38 s/m is not allowed"));
    assert_non_null(strstr(msg, "at most 3600 s/m"));
    write_raster(ctx, "friction.tif", 0.1f, 3601.0f);
    assert_int_equal(raster_study(ctx, "friction", "friction.tif"), RT_E_DATA);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "friction 3601 s/m"));
}

static void speed_down_to_a_thousandth_km_per_hour(void **state)
{
    rt_ctx *ctx = *state;
    write_raster(ctx, "speed.tif", 36.0f, 0.001f);
    assert_int_equal(raster_study(ctx, "speed", "speed.tif"), RT_OK);
    write_raster(ctx, "speed.tif", 36.0f, 1e-30f);
    assert_int_equal(raster_study(ctx, "speed", "speed.tif"), RT_E_DATA);
    const char *msg = rt_ctx_errmsg(ctx);
    assert_non_null(strstr(msg, "speed.tif: cell (row 1, col 2): speed 1e-30 km/h"));
    assert_non_null(strstr(msg, "below 0.001 km/h"));
    /* 0 stays a barrier, not an error */
    write_raster(ctx, "speed.tif", 36.0f, 0.0f);
    assert_int_equal(raster_study(ctx, "speed", "speed.tif"), RT_OK);
}

/* A road of 400 m at 1e-9 km/h takes 400 / (1e-9 / 3.6) = 1.44e12 s. */
static void a_road_that_takes_forever(void **state)
{
    rt_ctx *ctx = *state;
    char roads[1024], yaml[2048];
    static const char fmt[] = "study: {cell_size_m: 100, extent_buffer_m: 0}\n"
                              "medium: {type: network, roads: roads.geojson, format: lines,\n"
                              "         speed_column: kmh, mode: car}\n%s";
    snprintf(yaml, sizeof(yaml), fmt, tail);
    snprintf(roads, sizeof(roads), road_fmt, "36");
    write_text("roads.geojson", roads);
    assert_int_equal(validate(ctx, yaml), RT_OK);
    snprintf(roads, sizeof(roads), road_fmt, "1e-9");
    write_text("roads.geojson", roads);
    assert_int_equal(validate(ctx, yaml), RT_E_DATA);
    const char *msg = rt_ctx_errmsg(ctx);
    assert_non_null(strstr(msg, "medium.roads"));
    assert_non_null(strstr(msg, "a travel time of 1.44e+12 s (400 m at 1e-09 km/h)"));
    assert_non_null(strstr(msg, "at most 1e+09 s"));
}

static void invalid_land_polygons_follow_the_study(void **state)
{
    rt_ctx *ctx = *state;
    static const char fmt[] = "study: {cell_size_m: 100, extent_buffer_m: 0%s}\n"
                              "medium: {type: speed_model, offroad_kmh: 36, land: bowtie.geojson}\n"
                              "%s";
    char yaml[1024];
    snprintf(yaml, sizeof(yaml), fmt, "", tail);
    assert_int_equal(validate(ctx, yaml), RT_OK); /* repaired, the default */
    snprintf(yaml, sizeof(yaml), fmt, ", invalid_polygons: error", tail);
    assert_int_equal(validate(ctx, yaml), RT_E_DATA);
    const char *msg = rt_ctx_errmsg(ctx);
    assert_non_null(strstr(msg, "medium.land"));
    assert_non_null(strstr(msg, "bowtie.geojson"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(friction_up_to_one_metre_per_hour, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(speed_down_to_a_thousandth_km_per_hour, setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(a_road_that_takes_forever, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(invalid_land_polygons_follow_the_study, setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
