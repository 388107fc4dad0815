/* Burning polygons and lines onto the grid. */
#include "io_fixture.h"

/* 10 x 10 cells of 10 m: column c has centre x = 5 + 10 c, row r has
 * centre y = 95 - 10 r. */
static rti_grid_spec small_grid(void)
{
    rti_grid_spec g = {0.0, 100.0, 10.0, 10, 10, "EPSG:28992"};
    return g;
}

/* Polygons built by hand from WKT, in grid coordinates. */
static void make_polys(rti_polygons *p, const char *const *wkt, int n)
{
    memset(p, 0, sizeof(*p));
    p->geom = calloc((size_t)n, sizeof(*p->geom));
    assert_non_null(p->geom);
    for (int i = 0; i < n; i++) {
        char *w = (char *)wkt[i];
        OGRGeometryH g = NULL;
        assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
        p->geom[i] = g;
    }
    p->n = n;
}

static void count_values(const int32_t *v, int n, int64_t *count, int max)
{
    for (int k = 0; k <= max + 1; k++)
        count[k] = 0;
    for (int i = 0; i < n; i++) {
        assert_true(v[i] >= -1 && v[i] <= max);
        count[v[i] + 1]++;
    }
}

/* A covers x 3..50 (centres 5..45: columns 0-4), B covers x 50..83
 * (centres 55..75: columns 5-7); both cover y 3..97 (all ten rows). The
 * shared edge x = 50 is a cell edge, so no centre is ambiguous. */
static void adjacent_squares_follow_the_cell_centre_rule(void **state)
{
    fx *f = *state;
    const char *wkt[] = {"POLYGON ((3 3, 50 3, 50 97, 3 97, 3 3))",
                         "POLYGON ((50 3, 83 3, 83 97, 50 97, 50 3))"};
    rti_polygons p;
    make_polys(&p, wkt, 2);
    rti_grid_spec g = small_grid();
    int32_t out[100];
    int64_t overlap = -1, count[4];
    assert_int_equal(rti_rasterize_polygons(f->ctx, &p, &g, out, &overlap), RT_OK);
    count_values(out, 100, count, 1);
    assert_int_equal(count[0], 20); /* outside: columns 8, 9 */
    assert_int_equal(count[1], 50);
    assert_int_equal(count[2], 30);
    assert_int_equal(overlap, 0);
    for (int r = 0; r < 10; r++)
        for (int c = 0; c < 10; c++)
            assert_int_equal(out[r * 10 + c], c <= 4 ? 0 : c <= 7 ? 1 : -1);
    rti_polygons_free(&p);
}

/* A covers x 3..63 (columns 0-5), B x 37..83 (columns 4-7): columns 4 and
 * 5 (20 cells) are claimed twice and go to B, the later feature. */
static void overlapping_squares_later_wins_and_are_counted(void **state)
{
    fx *f = *state;
    const char *wkt[] = {"POLYGON ((3 3, 63 3, 63 97, 3 97, 3 3))",
                         "POLYGON ((37 3, 83 3, 83 97, 37 97, 37 3))"};
    rti_polygons p;
    make_polys(&p, wkt, 2);
    rti_grid_spec g = small_grid();
    int32_t out[100];
    int64_t overlap = -1, count[4];
    assert_int_equal(rti_rasterize_polygons(f->ctx, &p, &g, out, &overlap), RT_OK);
    count_values(out, 100, count, 1);
    assert_int_equal(count[0], 20);
    assert_int_equal(count[1], 40);
    assert_int_equal(count[2], 40);
    assert_int_equal(overlap, 20);
    assert_int_equal(rti_rasterize_polygons(f->ctx, &p, &g, out, NULL), RT_OK);
    rti_polygons_free(&p);
}

/* 300 copies of one square (columns 1-2, rows 1-2): the overlap count must
 * not wrap around however many polygons pile up. */
static void many_overlaps_do_not_wrap(void **state)
{
    fx *f = *state;
    enum { N = 300 };
    const char *wkt[N];
    for (int i = 0; i < N; i++)
        wkt[i] = "POLYGON ((10 70, 30 70, 30 90, 10 90, 10 70))";
    rti_polygons p;
    make_polys(&p, wkt, N);
    rti_grid_spec g = small_grid();
    int32_t out[100];
    int64_t overlap = -1;
    assert_int_equal(rti_rasterize_polygons(f->ctx, &p, &g, out, &overlap), RT_OK);
    assert_int_equal(overlap, 4);
    assert_int_equal(out[1 * 10 + 1], N - 1);
    assert_int_equal(out[2 * 10 + 2], N - 1);
    assert_int_equal(out[0], -1);
    rti_polygons_free(&p);
}

/* ---- polygon cells outside the grid ---- */

/* Cells of the lattice beyond the 10 x 10 grid are counted by their
 * centres, x = 5 + 10 c and y = 95 - 10 r for any whole c, r:
 *  0: inside the grid (cols 2-4, rows 2-4): 0.
 *  1: over the north-west corner, x -22..22, y 88..122: centres x -15, -5,
 *     5, 15 and y 95, 105, 115 (rows 0, -1, -2): 12 centres, of which 2
 *     (row 0, cols 0-1) are in the grid: 10 outside.
 *  2: over the south-east corner, x 88..121, y -21..8: x 95, 105, 115 and
 *     y 5, -5, -15: 9 centres, 1 in the grid: 8 outside.
 *  3: a triangle west of the grid, x >= -42, y >= 2, x + y < 12: for
 *     x = -35, -25, -15, -5 the centres y < 12 - x are 5 (5, 15, 25, 35,
 *     45), 4, 3 and 2: 14 outside; in the grid only (x 5, y 5).
 *  4: its envelope reaches over the east edge (x 92..104), but the only
 *     centre column it holds is x 95, inside: 0.
 *  5: wholly outside (x 200..300): -1, not counted.
 *  6: x 73..50073, y -25003..97: centre columns 7..5006 (5000) and rows
 *     0..2509 (2510, down to y = -24995): 12,550,000 centres, of which the
 *     30 of cols 7-9, rows 0-9 lie in the grid: 12,549,970 outside, burned
 *     in several tiles of 2048 x 2048. */
static void cells_outside_the_grid_are_counted_on_the_lattice(void **state)
{
    fx *f = *state;
    const char *wkt[] = {"POLYGON ((23 53, 47 53, 47 77, 23 77, 23 53))",
                         "POLYGON ((-22 88, 22 88, 22 122, -22 122, -22 88))",
                         "POLYGON ((88 -21, 121 -21, 121 8, 88 8, 88 -21))",
                         "POLYGON ((-42 2, 10 2, -42 54, -42 2))",
                         "POLYGON ((92 42, 104 42, 104 58, 92 58, 92 42))",
                         "POLYGON ((200 0, 300 0, 300 100, 200 100, 200 0))",
                         "POLYGON ((73 -25003, 50073 -25003, 50073 97, 73 97, 73 -25003))"};
    rti_polygons p;
    make_polys(&p, wkt, 7);
    rti_grid_spec g = small_grid();
    int64_t off[7];
    assert_int_equal(rti_polygons_count_off_grid(f->ctx, &p, &g, off), RT_OK);
    assert_int_equal(off[0], 0);
    assert_int_equal(off[1], 10);
    assert_int_equal(off[2], 8);
    assert_int_equal(off[3], 14);
    assert_int_equal(off[4], 0);
    assert_int_equal(off[5], -1);
    assert_int_equal(off[6], 12549970);
    /* the cells inside the grid, each polygon on its own */
    int32_t out[100];
    const int64_t inside[] = {9, 2, 1, 1, 2, 0, 30};
    for (int k = 0; k < 7; k++) {
        rti_polygons one = p;
        one.n = 1;
        one.geom = &p.geom[k];
        assert_int_equal(rti_rasterize_polygons(f->ctx, &one, &g, out, NULL), RT_OK);
        int64_t n = 0;
        for (int i = 0; i < 100; i++)
            n += out[i] == 0;
        assert_int_equal(n, inside[k]);
    }
    rti_polygons_free(&p);
}

/* ---- lines ---- */

static const char *const road_cols[] = {"n:maxspeed", "type", NULL};

/* Horizontal road at y = 55 (row 4) from x = 5 to 95 (columns 0-9) and a
 * vertical one at x = 35 (column 3) from y = 5 to 95 (rows 0-9). */
static const char *road_file(fx *f)
{
    const char *path = fx_path(f, "wegen.gpkg");
    fx_feature ft[] = {{"LINESTRING (5 55, 95 55)", {"50", "B"}},
                       {"LINESTRING (35 5, 35 95)", {"80", "A"}},
                       {"LINESTRING (0.5 0.5, 0.5 9)", {NULL, "Z"}},
                       {NULL, {"30", "A"}}};
    fx_gpkg(path, "wegen", "EPSG:28992", wkbLineString, road_cols, ft, 4);
    return path;
}

/* Off-road value 10; cell (4, 5) already 100 (higher than the road);
 * cell (4, 6) NaN (no land): a road makes it passable. */
static void init_offroad(float *v)
{
    for (int i = 0; i < 100; i++)
        v[i] = 10.0f;
    v[4 * 10 + 5] = 100.0f;
    v[4 * 10 + 6] = NAN;
}

static float want_speed(int r, int c, float vertical, float horizontal)
{
    if (c == 3)
        return vertical > horizontal || r != 4 ? vertical : horizontal;
    if (r == 4)
        return c == 5 ? 100.0f : horizontal;
    return 10.0f;
}

static void lines_burn_the_maximum(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = fx_ref(road_file(f), NULL);
    rti_grid_spec g = small_grid();
    float v[100];
    int64_t burned = -1, skipped = -1;
    init_offroad(v);
    assert_int_equal(
        rti_burn_lines_max(f->ctx, &ref, &g, "maxspeed", NULL, NULL, 0, NAN, v, &burned, &skipped),
        RT_OK);
    assert_int_equal(burned, 2);
    assert_int_equal(skipped, 1); /* the road without a speed */
    for (int r = 0; r < 10; r++)
        for (int c = 0; c < 10; c++)
            if (v[r * 10 + c] != want_speed(r, c, 80.0f, 50.0f)) {
                print_error("cell (%d, %d) = %g\n", r, c, v[r * 10 + c]);
                fail();
            }
    FX_ASSERT_STR_HAS(f->log, "skipped 1 feature without a geometry (first: feature 4)");
}

static void classes_map_to_speeds(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = fx_ref(road_file(f), NULL);
    rti_grid_spec g = small_grid();
    /* A is now slower than B: the crossing takes B's 120 */
    rti_class_value cls[] = {{"A", 60.0}, {"B", 120.0}};
    float v[100];
    int64_t burned = -1, skipped = -1;
    init_offroad(v);
    assert_int_equal(
        rti_burn_lines_max(f->ctx, &ref, &g, NULL, "type", cls, 2, NAN, v, &burned, &skipped),
        RT_OK);
    assert_int_equal(burned, 2);
    assert_int_equal(skipped, 1); /* class Z, no default */
    for (int r = 0; r < 10; r++)
        for (int c = 0; c < 10; c++)
            assert_true(v[r * 10 + c] == (r == 4 && c != 5   ? 120.0f
                                          : c == 3           ? 60.0f
                                          : r == 4 && c == 5 ? 120.0f
                                                             : 10.0f));
    /* with a default, class Z burns column 0, rows 9 (x 0.5, y 0.5..9) */
    init_offroad(v);
    assert_int_equal(
        rti_burn_lines_max(f->ctx, &ref, &g, NULL, "type", cls, 2, 15.0, v, &burned, &skipped),
        RT_OK);
    assert_int_equal(burned, 3);
    assert_int_equal(skipped, 0);
    assert_true(v[9 * 10 + 0] == 15.0f);
    assert_true(v[8 * 10 + 0] == 10.0f);
}

static void polygon_in_a_road_layer_is_refused(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "badroads.gpkg");
    fx_feature ft[] = {{"LINESTRING (5 55, 95 55)", {"50", "B"}},
                       {"POLYGON ((0 0, 1 0, 1 1, 0 0))", {"50", "B"}}};
    fx_gpkg(path, "wegen", "EPSG:28992", wkbUnknown, road_cols, ft, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_grid_spec g = small_grid();
    float v[100];
    init_offroad(v);
    assert_int_equal(
        rti_burn_lines_max(f->ctx, &ref, &g, "maxspeed", NULL, NULL, 0, NAN, v, NULL, NULL),
        RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "layer 'wegen': feature 2: geometry type Polygon");
    assert_true(v[4 * 10] == 10.0f); /* untouched on error */
    assert_int_equal(
        rti_burn_lines_max(f->ctx, &ref, &g, "maxspeed", "type", NULL, 0, NAN, v, NULL, NULL),
        RT_E_ARG);
}

/* What a pick saw: the middle of each line, in layer order. */
typedef struct middles {
    int64_t n;
    double x[4], y[4];
} middles;

static rt_status keep_middles(rt_ctx *ctx, void *user, int64_t n, const unsigned *match,
                              const double *mx, const double *my, double *value)
{
    (void)ctx;
    (void)match;
    middles *m = user;
    m->n = n;
    for (int64_t i = 0; i < n && i < 4; i++) {
        m->x[i] = mx[i];
        m->y[i] = my[i];
        value[i] = 50.0;
    }
    return RT_OK;
}

/* The middle a pick gets is halfway along the line as the road graph has
 * it: for a line of two parts with a gap, 10 m + a gap of 40 m + 50 m,
 * the gap counts as a straight line: halfway is 50 m along, at x = 50 in
 * the gap (skipping it, the middle would be 30 m along, at x = 70). By
 * hand also: a plain line's middle, and the middle of two touching parts. */
static void lines_are_picked_by_their_middle(void **state)
{
    fx *f = *state;
    static const char *const cols[] = {"n:maxspeed", NULL};
    const fx_feature rows[] = {
        {"MULTILINESTRING ((0 5, 10 5), (50 5, 100 5))", {NULL}},
        {"LINESTRING (5 0, 5 80)", {NULL}},
        {"MULTILINESTRING ((0 95, 30 95), (30 95, 30 85))", {NULL}},
    };
    const char *path = fx_path(f, "middles.gpkg");
    fx_gpkg(path, "lines", "EPSG:28992", wkbUnknown, cols, rows, 3);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_grid_spec g = small_grid();
    float v[100];
    for (int i = 0; i < 100; i++)
        v[i] = NAN;
    middles m = {0};
    rti_line_pick pick = {0, NULL, keep_middles, &m};
    assert_int_equal(
        rti_burn_lines_pick(f->ctx, &ref, &g, NULL, NULL, NULL, 0, NAN, &pick, v, NULL, NULL),
        RT_OK);
    assert_int_equal(m.n, 3);
    const double want_x[3] = {50, 5, 20}, want_y[3] = {5, 40, 95};
    for (int i = 0; i < 3; i++)
        if (fabs(m.x[i] - want_x[i]) > 1e-9 || fabs(m.y[i] - want_y[i]) > 1e-9)
            fail_msg("line %d: middle (%g, %g), by hand (%g, %g)", i, m.x[i], m.y[i], want_x[i],
                     want_y[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(adjacent_squares_follow_the_cell_centre_rule, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(overlapping_squares_later_wins_and_are_counted, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(many_overlaps_do_not_wrap, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cells_outside_the_grid_are_counted_on_the_lattice, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(lines_burn_the_maximum, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(classes_map_to_speeds, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(lines_are_picked_by_their_middle, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(polygon_in_a_road_layer_is_refused, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
