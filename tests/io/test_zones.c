/* The cells of a class grid as polygons (rti_zones_polygonize,
 * rti_zones_within) on small hand-made grids: the outlines, areas and sums
 * are worked out by hand in the comments, and every geometry is checked
 * with GEOS itself. */
#include "io_fixture.h"
#include "reistijd/rt_stats.h"

#include "geos_shape.h" /* after the GDAL headers */

/* Every vertex of g lies on a cell corner of the grid (x0 + col * cell,
 * y1 - row * cell), exactly. */
static void assert_on_corners(OGRGeometryH g, double x0, double y1, double cell)
{
    int n = OGR_G_GetGeometryCount(g);
    if (n == 0 && OGR_G_GetPointCount(g) > 0) {
        for (int i = 0; i < OGR_G_GetPointCount(g); i++) {
            double c = (OGR_G_GetX(g, i) - x0) / cell, r = (y1 - OGR_G_GetY(g, i)) / cell;
            assert_true(c == floor(c) && r == floor(r));
        }
        return;
    }
    for (int i = 0; i < n; i++)
        assert_on_corners(OGR_G_GetGeometryRef(g, i), x0, y1, cell);
}

/* ---- a mask of two blobs ---- */

/* 5 columns x 4 rows of 10 m, north-west corner (1000, 2000). Travel
 * times in s (I: infinite, N: NaN):
 *
 *        col 0   1   2   3   4
 *   row 0:  60 120 900 900   I
 *   row 1: 120 300 900 600 180
 *   row 2: 900 900   N 900 240
 *   row 3: 900 900 900 300 300
 *
 * Within 300 s (300 itself counts): the 2 x 2 block of rows 0-1, cols 0-1
 * (x 1000-1020, y 1980-2000) and the L of (1,4), (2,4), (3,4), (3,3)
 * (x 1040-1050 for y 1960-1990, plus x 1030-1040 for y 1960-1970): two
 * parts that share no edge, 8 cells, 800 m2. Within 600 s also (1,3),
 * which joins the L: 9 cells. Within 30 s: none. Within a limit a last
 * bit below 300 s (300 (1 - 0.5e-7): 300 s by arithmetic, as 5 min x 60
 * might round) the cells within 300 s, under the tolerance RT_LIMIT_REL.
 * Population (N: NaN, not populated):
 *
 *   row 0: 10  N  1  1  5
 *   row 1: 30 40  1  7 50
 *   row 2:  1  1  1  1 60
 *   row 3:  1  1  1 70 80
 *
 * Within 300 s: 10 + 30 + 40 + 50 + 60 + 70 + 80 = 340; within 600 s: 347. */
#define I INFINITY
#define N NAN
static const double blob_time[20] = {60,  120, 900, 900, I,   120, 300, 900, 600, 180,
                                     900, 900, N,   900, 240, 900, 900, 900, 300, 300};
static const float blob_pop[20] = {10, N, 1, 1, 5,  30, 40, 1, 7,  50,
                                   1,  1, 1, 1, 60, 1,  1,  1, 70, 80};
#undef I
#undef N

static const char *const blob_300 =
    "MULTIPOLYGON (((1000 2000,1020 2000,1020 1980,1000 1980,1000 2000)),"
    "((1040 1990,1050 1990,1050 1960,1030 1960,1030 1970,1040 1970,1040 1990)))";

static void mask_of_two_blobs_is_one_multipolygon_of_two_parts(void **state)
{
    fx *f = *state;
    rti_grid_spec g = {1000.0, 2000.0, 10.0, 5, 4, "EPSG:28992"};
    int32_t mask[20];
    for (int i = 0; i < 20; i++)
        mask[i] = blob_time[i] <= 300 ? 0 : -1;
    rti_zones z;
    assert_int_equal(rti_zones_polygonize(f->ctx, &g, mask, 1, blob_pop, blob_time, &z), RT_OK);
    assert_int_equal(z.n, 1);
    assert_int_equal(z.polys.n, 1);
    assert_int_equal(z.klass[0], 0);
    assert_int_equal(z.cells[0], 8);
    assert_true(z.pop_persons[0] == 340.0);
    OGRGeometryH mp = z.polys.geom[0];
    assert_int_equal(OGR_G_GetGeometryCount(mp), 2);
    assert_true(OGR_G_Area(mp) == 800.0);
    assert_geos_shape(mp, blob_300); /* and valid by GEOS */
    assert_on_corners(mp, 1000.0, 2000.0, 10.0);
    rti_zones_free(&z);
}

static void cells_within_each_limit(void **state)
{
    fx *f = *state;
    rti_grid_spec g = {1000.0, 2000.0, 10.0, 5, 4, "EPSG:28992"};
    const double limits[4] = {300, 600, 30, 300 * (1 - 0.5 * RT_LIMIT_REL)};
    int32_t scratch[20];
    rti_zones z;
    assert_int_equal(rti_zones_within(f->ctx, &g, blob_time, limits, 4, blob_pop, scratch, &z),
                     RT_OK);
    assert_int_equal(z.n, 4);
    const int64_t cells[4] = {8, 9, 0, 8};
    const double pop[4] = {340, 347, 0, 340};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(z.klass[k], k);
        assert_int_equal(z.cells[k], cells[k]);
        assert_true(z.pop_persons[k] == pop[k]);
        assert_true(OGR_G_Area(z.polys.geom[k]) == 100.0 * (double)cells[k]);
        assert_true(geos_shape_valid(z.polys.geom[k]));
    }
    assert_geos_shape(z.polys.geom[0], blob_300);
    /* (1,3) is x 1030-1040, y 1980-1990: it joins the L along its east edge */
    assert_geos_shape(z.polys.geom[1],
                      "MULTIPOLYGON (((1000 2000,1020 2000,1020 1980,1000 1980,1000 2000)),"
                      "((1030 1990,1050 1990,1050 1960,1030 1960,1030 1970,1040 1970,"
                      "1040 1980,1030 1980,1030 1990)))");
    /* nothing within 30 s: an empty MultiPolygon */
    assert_true(OGR_G_IsEmpty(z.polys.geom[2]));
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(z.polys.geom[2])), wkbMultiPolygon);
    rti_zones_free(&z);
}

/* ---- a catchment grid ---- */

/* 5 columns x 3 rows of 100 m, north-west corner (0, 300); the nearest
 * facility of each cell (-1: none), of the facilities 0 to 3:
 *
 *        col 0  1  2  3  4
 *   row 0:   0  0  1  1 -1
 *   row 1:   0  2  2  1 -1
 *   row 2:  -1  2  2  1 -1
 *
 * Facility 3 is the nearest of no cell: no feature. Facility 0: the L of
 * (0,0), (0,1), (1,0): 3 cells, 0.03 km2; 1: (0,2), (0,3), (1,3), (2,3):
 * 4 cells; 2: the square of rows 1-2, cols 1-2: 4 cells.
 * Population and times (s, I: infinite):
 *
 *   row 0:  5  7 11 13  2      60 120 180  60 I
 *   row 1: 17 19 23 29  3     120  60  60 120 I
 *   row 2: 31 37 41 43  4       I 120 120 180 I
 *
 * Facility 0: 5 + 7 + 17 = 29 persons, mean (5*60 + 7*120 + 17*120) / 29
 * = 3180 / 29 s; 1: 11 + 13 + 29 + 43 = 96, (11*180 + 13*60 + 29*120 +
 * 43*180) / 96 = 13980 / 96 = 145.625 s; 2: 19 + 23 + 37 + 41 = 120,
 * (19*60 + 23*60 + 37*120 + 41*120) / 120 = 11880 / 120 = 99 s. */
#define I INFINITY
static const int32_t catch_fac[15] = {0, 0, 1, 1, -1, 0, 2, 2, 1, -1, -1, 2, 2, 1, -1};
static const float catch_pop[15] = {5, 7, 11, 13, 2, 17, 19, 23, 29, 3, 31, 37, 41, 43, 4};
static const double catch_time[15] = {60,  120, 180, 60,  I,   120, 60, 60,
                                      120, I,   I,   120, 120, 180, I};
#undef I

static void catchments_of_three_facilities(void **state)
{
    fx *f = *state;
    rti_grid_spec g = {0.0, 300.0, 100.0, 5, 3, "EPSG:28992"};
    rti_zones z;
    assert_int_equal(rti_zones_polygonize(f->ctx, &g, catch_fac, 4, catch_pop, catch_time, &z),
                     RT_OK);
    assert_int_equal(z.n, 3); /* facility 3 has no feature */
    const int32_t klass[3] = {0, 1, 2};
    const int64_t cells[3] = {3, 4, 4};
    const double pop[3] = {29, 96, 120};
    const double mean[3] = {3180.0 / 29.0, 145.625, 99.0};
    const char *const wkt[3] = {
        "MULTIPOLYGON (((0 300,200 300,200 200,100 200,100 100,0 100,0 300)))",
        "MULTIPOLYGON (((200 300,400 300,400 0,300 0,300 200,200 200,200 300)))",
        "MULTIPOLYGON (((100 200,300 200,300 0,100 0,100 200)))"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(z.klass[i], klass[i]);
        assert_int_equal(z.cells[i], cells[i]);
        assert_true(OGR_G_Area(z.polys.geom[i]) == 1e4 * (double)cells[i]);
        assert_true(z.pop_persons[i] == pop[i]);
        assert_true(fabs(z.time_mean_s[i] - mean[i]) <= 1e-12 * mean[i]);
        assert_geos_shape(z.polys.geom[i], wkt[i]);
    }
    rti_zones_free(&z);

    /* without a population nobody counts: population 0, no mean time */
    assert_int_equal(rti_zones_polygonize(f->ctx, &g, catch_fac, 4, NULL, catch_time, &z), RT_OK);
    assert_int_equal(z.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_true(z.pop_persons[i] == 0.0);
        assert_true(isnan(z.time_mean_s[i]));
    }
    rti_zones_free(&z);
}

/* ---- awkward outlines ---- */

/* Shapes where 4-connected outlines touch themselves or each other at a
 * corner: each class stays one valid MultiPolygon of the right area. */
static void corner_touching_outlines_are_valid(void **state)
{
    fx *f = *state;
    /* a ring whose hole reaches the outside at one corner (the cell (1,1)
     * is 4-enclosed but touches (2,2) diagonally): 7 cells */
    static const int32_t ring[9] = {0, 0, 0, 0, -1, 0, 0, 0, -1};
    /* a checkerboard: five single cells, touching at corners only */
    static const int32_t board[9] = {0, -1, 0, -1, 0, -1, 0, -1, 0};
    /* two diagonal holes in a 4 x 4 block that touch at one corner: 14 cells */
    static const int32_t holes[16] = {0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0};
    const struct {
        const int32_t *klass;
        int32_t n;
        int64_t cells;
        int parts;
    } cases[3] = {{ring, 3, 7, 1}, {board, 3, 5, 5}, {holes, 4, 14, 1}};
    for (int c = 0; c < 3; c++) {
        rti_grid_spec g = {0.0, 10.0, 1.0, cases[c].n, cases[c].n, "EPSG:28992"};
        rti_zones z;
        assert_int_equal(rti_zones_polygonize(f->ctx, &g, cases[c].klass, 1, NULL, NULL, &z),
                         RT_OK);
        assert_int_equal(z.n, 1);
        assert_int_equal(z.cells[0], cases[c].cells);
        assert_true(isnan(z.time_mean_s[0]));
        assert_true(OGR_G_Area(z.polys.geom[0]) == (double)cases[c].cells);
        assert_int_equal(OGR_G_GetGeometryCount(z.polys.geom[0]), cases[c].parts);
        assert_true(geos_shape_valid(z.polys.geom[0]));
        rti_zones_free(&z);
    }
}

static void bad_class_names_the_cell(void **state)
{
    fx *f = *state;
    rti_grid_spec g = {0.0, 300.0, 100.0, 5, 3, "EPSG:28992"};
    int32_t bad[15];
    memcpy(bad, catch_fac, sizeof(bad));
    bad[7] = 4; /* row 1, column 2; the classes are 0 to 3 */
    rti_zones z;
    assert_int_equal(rti_zones_polygonize(f->ctx, &g, bad, 4, NULL, NULL, &z), RT_E_ARG);
    FX_ASSERT_MSG_HAS(f->ctx, "cell (1, 2) has class 4; the classes are 0 to 3");
    assert_int_equal(z.n, 0);
    assert_null(z.polys.geom);
    bad[7] = -2;
    assert_int_equal(rti_zones_polygonize(f->ctx, &g, bad, 4, NULL, NULL, &z), RT_E_ARG);
    FX_ASSERT_MSG_HAS(f->ctx, "cell (1, 2) has class -2");
    /* a grid of no class at all: no feature */
    int32_t none[15];
    for (int i = 0; i < 15; i++)
        none[i] = -1;
    assert_int_equal(rti_zones_polygonize(f->ctx, &g, none, 4, NULL, NULL, &z), RT_OK);
    assert_int_equal(z.n, 0);
    rti_zones_free(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(mask_of_two_blobs_is_one_multipolygon_of_two_parts,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(cells_within_each_limit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(catchments_of_three_facilities, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(corner_touching_outlines_are_valid, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(bad_class_names_the_cell, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
