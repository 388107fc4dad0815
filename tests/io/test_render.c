/* Map images (class colours, outlines, markers) read back pixel by pixel
 * through GDAL, the ring walk of polygons, and QGIS styles stored in a
 * GeoPackage's layer_styles table. */
#include <gdal/cpl_vsi.h>

#include "io_fixture.h"
#include "png_rgba.h"

static void assert_px(const uint8_t *px, int w, int row, int col, rti_rgba c)
{
    const uint8_t *p = px + 4 * ((size_t)row * w + col);
    if (p[0] != c.r || p[1] != c.g || p[2] != c.b || p[3] != c.a)
        fail_msg("pixel (%d, %d) is %d,%d,%d,%d, expected %d,%d,%d,%d", row, col, p[0], p[1], p[2],
                 p[3], c.r, c.g, c.b, c.a);
}

static const rti_rgba pal[3] = {{253, 231, 37, 255}, {33, 144, 140, 255}, {68, 1, 84, 255}};
static const rti_rgba clear = {0, 0, 0, 0};

static void class_image_colours_every_pixel(void **state)
{
    fx *f = *state;
    /* 4 x 3 pixels; 255 and 3 are not in the 3-colour palette: transparent */
    const uint8_t k[12] = {0, 1, 2, 255, 1, 1, 1, 1, 3, 2, 0, 255};
    rti_map_frame fr = {0, 30, 10, 4, 3};
    rti_map_layers ml;
    memset(&ml, 0, sizeof(ml));
    ml.klass = k;
    ml.palette = pal;
    ml.n_colours = 3;
    unsigned char *png = NULL, *png2 = NULL;
    size_t n = 0, n2 = 0;
    assert_int_equal(rti_render_png(f->ctx, &fr, &ml, &png, &n), RT_OK);
    int w, h;
    uint8_t *px = rt_test_png_rgba(png, n, &w, &h);
    assert_int_equal(w, 4);
    assert_int_equal(h, 3);
    for (int i = 0; i < 12; i++)
        assert_px(px, 4, i / 4, i % 4, k[i] < 3 ? pal[k[i]] : clear);
    /* the same input gives the same bytes */
    assert_int_equal(rti_render_png(f->ctx, &fr, &ml, &png2, &n2), RT_OK);
    assert_int_equal(n, n2);
    assert_memory_equal(png, png2, n);
    free(px);
    free(png);
    free(png2);
    /* bad frames */
    fr.width = 0;
    assert_int_equal(rti_render_png(f->ctx, &fr, &ml, &png, &n), RT_E_ARG);
    assert_null(png);
    fr.width = 4;
    fr.px_m = -1;
    assert_int_equal(rti_render_png(f->ctx, &fr, &ml, &png, &n), RT_E_ARG);
}

static OGRGeometryH wkt_geom(const char *wkt)
{
    OGRGeometryH g = NULL;
    char *w = (char *)wkt;
    assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
    return g;
}

static void outlines_and_markers_on_top(void **state)
{
    fx *f = *state;
    /* 20 x 20 pixels of 1 m, x 0..20, y 0..20, all class 0 */
    uint8_t k[400];
    memset(k, 0, sizeof(k));
    rti_map_frame fr = {0, 20, 1, 20, 20};
    /* the square x 2.5..7.5, y 12.5..17.5: its west edge runs through the centres
     * of column 2, rows 2..7 (row r has its centre at y = 20 - r - 0.5) */
    void *geom[1] = {wkt_geom("POLYGON ((2.5 12.5, 7.5 12.5, 7.5 17.5, 2.5 17.5, 2.5 12.5))")};
    rti_polygons polys;
    memset(&polys, 0, sizeof(polys));
    polys.n = 1;
    polys.geom = geom;
    /* a marker at the centre of pixel (14, 14): x 14.5, y 5.5 */
    const double mx[1] = {14.5}, my[1] = {5.5};
    const rti_rgba border = {38, 38, 38, 255}, ring = {0, 0, 0, 255}, fill = {255, 255, 255, 255};
    rti_map_layers ml = {k, pal, 3, &polys, border, mx, my, 1, ring, fill};
    unsigned char *png = NULL;
    size_t n = 0;
    assert_int_equal(rti_render_png(f->ctx, &fr, &ml, &png, &n), RT_OK);
    int w, h;
    uint8_t *px = rt_test_png_rgba(png, n, &w, &h);
    assert_px(px, w, 5, 2, border);   /* on the west edge */
    assert_px(px, w, 5, 5, pal[0]);   /* inside: only the outline is drawn */
    assert_px(px, w, 0, 0, pal[0]);   /* outside */
    assert_px(px, w, 14, 14, fill);   /* marker centre */
    assert_px(px, w, 14, 17, ring);   /* 3 px east: inside radius 4 (apothem 3.7), outside 2.5 */
    assert_px(px, w, 14, 19, pal[0]); /* 5 px east: beyond the marker */
    free(px);
    free(png);
    OGR_G_DestroyGeometry(geom[0]);
}

typedef struct rings_seen {
    int n;
    int count[8];
    double x0[8];
} rings_seen;

static rt_status note_ring(const double *x, const double *y, int n, void *user)
{
    (void)y;
    rings_seen *r = user;
    r->count[r->n] = n;
    r->x0[r->n] = x[0];
    r->n++;
    return RT_OK;
}

static void rings_of_a_multipolygon_with_a_hole(void **state)
{
    fx *f = *state;
    void *geom[2] = {wkt_geom("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2)),"
                              " ((20 0, 30 0, 30 10, 20 0)))"),
                     NULL};
    rti_polygons polys;
    memset(&polys, 0, sizeof(polys));
    polys.n = 2;
    polys.geom = geom;
    rings_seen r = {0, {0}, {0}};
    assert_int_equal(rti_polygon_rings(f->ctx, &polys, 0, note_ring, &r), RT_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.count[0], 5);
    assert_int_equal(r.count[1], 4);
    assert_int_equal(r.count[2], 4);
    assert_true(r.x0[0] == 0 && r.x0[1] == 2 && r.x0[2] == 20);
    /* a region without a geometry has no rings; a bad index is an error */
    r.n = 0;
    assert_int_equal(rti_polygon_rings(f->ctx, &polys, 1, note_ring, &r), RT_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(rti_polygon_rings(f->ctx, &polys, 2, note_ring, &r), RT_E_ARG);
    OGR_G_DestroyGeometry(geom[0]);
}

static void styles_go_into_layer_styles(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "stijl.gpkg");
    const double x[1] = {1}, y[1] = {2};
    assert_int_equal(
        rti_write_gpkg_layer(f->ctx, path, "punten", "EPSG:28992", NULL, x, y, 1, NULL, 0), RT_OK);
    const rti_layer_style st[2] = {{"punten", "eerste", "<qgis>a</qgis>", NULL, 1},
                                   {"punten", "tweede", "<qgis>b</qgis>", "uitleg", 0}};
    assert_int_equal(rti_gpkg_write_styles(f->ctx, path, st, 2), RT_OK);
    /* a style for a layer that does not exist is refused, and adds nothing */
    const rti_layer_style bad[2] = {{"punten", "derde", "<qgis/>", NULL, 0},
                                    {"vlakken", "x", "<qgis/>", NULL, 1}};
    assert_int_equal(rti_gpkg_write_styles(f->ctx, path, bad, 2), RT_E_ARG);
    FX_ASSERT_MSG_HAS(f->ctx, "vlakken");

    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "layer_styles");
    assert_non_null(lyr);
    assert_int_equal(OGR_L_GetFeatureCount(lyr, TRUE), 2);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    OGR_L_ResetReading(lyr);
    for (int i = 0; i < 2; i++) {
        OGRFeatureH ft = OGR_L_GetNextFeature(lyr);
        assert_non_null(ft);
        assert_string_equal(OGR_F_GetFieldAsString(ft, OGR_FD_GetFieldIndex(d, "f_table_name")),
                            "punten");
        assert_string_equal(
            OGR_F_GetFieldAsString(ft, OGR_FD_GetFieldIndex(d, "f_geometry_column")), "geom");
        assert_string_equal(OGR_F_GetFieldAsString(ft, OGR_FD_GetFieldIndex(d, "f_table_schema")),
                            "");
        assert_string_equal(OGR_F_GetFieldAsString(ft, OGR_FD_GetFieldIndex(d, "styleName")),
                            st[i].name);
        assert_string_equal(OGR_F_GetFieldAsString(ft, OGR_FD_GetFieldIndex(d, "styleQML")),
                            st[i].qml);
        assert_int_equal(OGR_F_GetFieldAsInteger(ft, OGR_FD_GetFieldIndex(d, "useAsDefault")),
                         st[i].is_default);
        assert_true(OGR_F_IsFieldNull(ft, OGR_FD_GetFieldIndex(d, "update_time")));
        OGR_F_Destroy(ft);
    }
    GDALClose(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(class_image_colours_every_pixel, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(outlines_and_markers_on_top, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(rings_of_a_multipolygon_with_a_hole, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(styles_go_into_layer_styles, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
