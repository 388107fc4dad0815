/* Raster reading: warping onto the analysis grid and native reads. */
#include <float.h>

#include "io_fixture.h"

/* The Amersfoort reference point of the Dutch RD grid: WGS 84 lon/lat and
 * its RD New (EPSG:28992) coordinates, as published for the RD system. */
#define AMF_LON 5.38720621
#define AMF_LAT 52.15517440
#define AMF_X 155000.0
#define AMF_Y 463000.0

static rti_grid_spec rd_grid(double x0, double y1, double cell, int nx, int ny)
{
    rti_grid_spec g = {x0, y1, cell, nx, ny, "EPSG:28992"};
    return g;
}

/* A 41x41 lon/lat raster of 0.001 degree pixels, value 1, with pixel
 * (20, 20) = 7 centred on the Amersfoort point. The RD grid has 100 m cells
 * placed so that the point is the centre of cell (row 9, col 9). One pixel
 * is about 68 m x 111 m, so only that cell's centre falls in the hot pixel
 * (neighbouring centres are 100 m away), and the 20 x 20 grid (2 km) lies
 * well inside the raster (+-1.4 km east-west, +-2.3 km north-south). */
static void warp_lonlat_lands_in_the_right_cell(void **state)
{
    fx *f = *state;
    enum { N = 41, NX = 20, NY = 20 };
    float src[N * N];
    for (int i = 0; i < N * N; i++)
        src[i] = 1.0f;
    src[20 * N + 20] = 7.0f;
    double gt[6] = {AMF_LON - 0.0205, 0.001, 0.0, AMF_LAT + 0.0205, 0.0, -0.001};
    const char *path = fx_path(f, "lonlat.tif");
    fx_tiff(path, N, N, gt, "EPSG:4326", src, 0, 0.0);

    rti_grid_spec g = rd_grid(AMF_X - 950.0, AMF_Y + 950.0, 100.0, NX, NY);
    float out[NX * NY];
    rti_layer_ref ref = fx_ref(path, NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "near", out), RT_OK);
    for (int r = 0; r < NY; r++)
        for (int c = 0; c < NX; c++) {
            float want = (r == 9 && c == 9) ? 7.0f : 1.0f;
            if (out[r * NX + c] != want) {
                print_error("cell (%d, %d) = %g, want %g\n", r, c, out[r * NX + c], want);
                fail();
            }
        }
}

/* Same CRS, same cells, but the grid has one extra column on the west:
 * that column is outside the source, and the nodata pixel stays empty. */
static void warp_nodata_and_outside_become_nan(void **state)
{
    fx *f = *state;
    enum { SX = 10, SY = 8, NX = 11 };
    float src[SX * SY];
    for (int i = 0; i < SX * SY; i++)
        src[i] = (float)i;
    src[3 * SX + 4] = -9999.0f;
    double gt[6] = {1000.0, 100.0, 0.0, 5000.0, 0.0, -100.0};
    const char *path = fx_path(f, "nodata.tif");
    fx_tiff(path, SX, SY, gt, "EPSG:28992", src, 1, -9999.0);

    rti_grid_spec g = rd_grid(900.0, 5000.0, 100.0, NX, SY);
    float out[NX * SY];
    rti_layer_ref ref = fx_ref(path, NULL);
    ref.band = 1;
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "near", out), RT_OK);
    for (int r = 0; r < SY; r++) {
        assert_true(isnan(out[r * NX]));
        for (int c = 0; c < SX; c++) {
            float v = out[r * NX + c + 1];
            if (r == 3 && c == 4)
                assert_true(isnan(v));
            else
                assert_true(v == (float)(r * SX + c));
        }
    }
}

/* 10 m cells summed into 100 m cells. The grid is shifted half a cell
 * (50 m, a whole number of source cells) and is larger than the source,
 * so every source cell falls wholly in one grid cell: each grid cell is
 * the sum of its source cells and the total is preserved. */
static void warp_sum_preserves_the_total(void **state)
{
    fx *f = *state;
    enum { SX = 40, SY = 30, NX = 5, NY = 4 };
    static float src[SX * SY];
    double want[NX * NY] = {0}, total = 0.0;
    const double x0 = 20000.0, y1 = 400000.0;
    for (int r = 0; r < SY; r++)
        for (int c = 0; c < SX; c++) {
            float v = (float)((r * SX + c) % 7 + 1);
            src[r * SX + c] = v;
            total += v;
            /* source cell centre -> grid cell (grid starts 50 m west/north) */
            int gc = (int)floor((c * 10.0 + 5.0 + 50.0) / 100.0);
            int gr = (int)floor((r * 10.0 + 5.0 + 50.0) / 100.0);
            want[gr * NX + gc] += v;
        }
    double gt[6] = {x0, 10.0, 0.0, y1, 0.0, -10.0};
    const char *path = fx_path(f, "fine.tif");
    fx_tiff(path, SX, SY, gt, "EPSG:28992", src, 0, 0.0);

    rti_grid_spec g = rd_grid(x0 - 50.0, y1 + 50.0, 100.0, NX, NY);
    float out[NX * NY];
    rti_layer_ref ref = fx_ref(path, NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "sum", out), RT_OK);
    double got = 0.0;
    for (int i = 0; i < NX * NY; i++) {
        assert_true(fabs(out[i] - want[i]) < 1e-3);
        got += out[i];
    }
    assert_true(fabs(got - total) < 1e-3);
}

/* Sum onto cells that cut the pixels, by hand. 3 x 3 pixels of 100 m
 * from (1000, 1700) to (1300, 2000) holding 1 to 9 row by row, but 5 is
 * nodata and 7 NaN. 150 m cells from (1000, 2000): a cell takes each
 * valid pixel by the share of its area in the cell:
 *   (0, 0) 1 + 2/2 + 4/2 = 4      (0, 1) 2/2 + 3 + 6/2 = 7
 *   (1, 0) 4/2 + 8/2 = 6          (1, 1) 6/2 + 8/2 + 9 = 16
 * 33 in all, the sum of the valid pixels. 50 m cells from (950, 2050):
 * the first row and column lie beyond the raster (nothing), a cell in
 * pixel 1 holds a quarter of it (0.25), one in the nodata pixel nothing,
 * one in pixel 9 2.25. */
static void warp_sum_splits_pixels_by_area(void **state)
{
    fx *f = *state;
    float src[9] = {1, 2, 3, 4, -9999, 6, NAN, 8, 9};
    const double gt[6] = {1000.0, 100.0, 0.0, 2000.0, 0.0, -100.0};
    const char *path = fx_path(f, "split.tif");
    fx_tiff(path, 3, 3, gt, "EPSG:28992", src, 1, -9999.0);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_grid_spec g = rd_grid(1000.0, 2000.0, 150.0, 2, 2);
    float out[8 * 8];
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "sum", out), RT_OK);
    const float want[4] = {4, 7, 6, 16};
    for (int i = 0; i < 4; i++)
        if (!(fabsf(out[i] - want[i]) < 1e-5f))
            fail_msg("150 m cell %d: %g, want %g", i, out[i], want[i]);
    g = rd_grid(950.0, 2050.0, 50.0, 8, 8);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "sum", out), RT_OK);
    double total = 0;
    for (int i = 0; i < 8; i++)
        assert_true(isnan(out[i]) && isnan(out[i * 8])); /* row 0 and column 0 */
    for (int i = 0; i < 64; i++)
        total += isnan(out[i]) ? 0 : out[i];
    assert_true(fabs(total - 33) < 1e-4);
    assert_true(out[1 * 8 + 1] == 0.25f);
    assert_true(isnan(out[3 * 8 + 3]) && isnan(out[4 * 8 + 4])); /* in the nodata pixel */
    assert_true(out[6 * 8 + 6] == 2.25f);
}

/* A sum is of counts: 100 m pixels [[10, 10], [10, -5]] summed into one
 * 200 m cell would hold 25, the -5 cancelling five people without a
 * trace; a negative pixel is refused naming it (column 1, row 1), as is
 * an infinite one. */
static void warp_sum_refuses_negative_pixels(void **state)
{
    fx *f = *state;
    const double gt[6] = {0.0, 100.0, 0.0, 200.0, 0.0, -100.0};
    rti_grid_spec g = rd_grid(0.0, 200.0, 200.0, 1, 1);
    float out[1];
    static const float bad[2] = {-5, INFINITY};
    for (int k = 0; k < 2; k++) {
        float src[4] = {10, 10, 10, bad[k]};
        const char *path = fx_path(f, k ? "inf.tif" : "negative.tif");
        fx_tiff(path, 2, 2, gt, "EPSG:28992", src, 0, 0.0);
        rti_layer_ref ref = fx_ref(path, NULL);
        assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "sum", out), RT_E_DATA);
        if (!strstr(rt_ctx_errmsg(f->ctx), "pixel (column 1, row 1) holds ") ||
            !strstr(rt_ctx_errmsg(f->ctx), path))
            fail_msg("%s", rt_ctx_errmsg(f->ctx));
        /* by nearest neighbour or average such a pixel is a value like any */
        assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "average", out), RT_OK);
    }
}

/* A Float32 raster whose nodata is a number (-9999) that also holds NaN:
 * both are missing values, so a 100 m cell summing 2 x 2 cells of 50 m
 * holds the sum of the others (GDAL 3.6's warper masks only the declared
 * nodata: a NaN made the whole cell NaN, and its people were lost). By
 * hand: cells of 1 person; the cell with a NaN and the one with -9999
 * hold 3, the other two 4; their average is 1 everywhere. The same with
 * the nodata of many ESRI rasters, -FLT_MAX, which must survive the text
 * GDAL passes it through, and with a Float64 raster. */
static void warp_nan_beside_numeric_nodata_is_missing(void **state)
{
    fx *f = *state;
    enum { S = 4 };
    float src[S * S];
    const double x0 = 20000.0, y1 = 400000.0;
    double gt[6] = {x0, 50.0, 0.0, y1, 0.0, -50.0};
    rti_grid_spec g = rd_grid(x0, y1, 100.0, 2, 2);
    float out[4];
    const float nodata[3] = {-9999.0f, -FLT_MAX, -9999.0f};
    for (int k = 0; k < 3; k++) { /* the last a Float64 raster */
        for (int i = 0; i < S * S; i++)
            src[i] = 1.0f;
        src[0 * S + 1] = NAN;       /* top left 100 m cell */
        src[3 * S + 2] = nodata[k]; /* bottom right */
        const char *const names[3] = {"nan.tif", "nan-fltmax.tif", "nan-float64.tif"};
        const char *path = fx_path(f, names[k]);
        fx_tiff_as(path, k == 2 ? GDT_Float64 : GDT_Float32, S, S, gt, "EPSG:28992", src, 1,
                   nodata[k]);
        rti_layer_ref ref = fx_ref(path, NULL);
        assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "sum", out), RT_OK);
        const float want[4] = {3.0f, 4.0f, 4.0f, 3.0f};
        for (int i = 0; i < 4; i++)
            if (out[i] != want[i])
                fail_msg("%s, sum, cell %d: %g, by hand %g", names[k], i, out[i], want[i]);
        assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "average", out), RT_OK);
        for (int i = 0; i < 4; i++)
            if (out[i] != 1.0f)
                fail_msg("%s, average, cell %d: %g, by hand 1", names[k], i, out[i]);
    }
    /* the same raster placed by ground control points at its corners */
    const char *gcps = fx_path(f, "nan-gcps.tif");
    src[3 * S + 2] = -9999.0f;
    fx_tiff(gcps, S, S, NULL, NULL, src, 1, -9999.0);
    GDALDatasetH ds = GDALOpen(gcps, GA_Update);
    assert_non_null(ds);
    GDAL_GCP gcp[4];
    memset(gcp, 0, sizeof(gcp));
    for (int i = 0; i < 4; i++) {
        gcp[i].pszId = (char *)"";
        gcp[i].pszInfo = (char *)"";
        gcp[i].dfGCPPixel = (i % 2) * S;
        gcp[i].dfGCPLine = (i / 2) * S;
        gcp[i].dfGCPX = x0 + gcp[i].dfGCPPixel * 50.0;
        gcp[i].dfGCPY = y1 - gcp[i].dfGCPLine * 50.0;
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 28992);
    assert_int_equal(GDALSetGCPs2(ds, 4, gcp, srs), CE_None);
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
    rti_layer_ref ref = fx_ref(gcps, NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "average", out), RT_OK);
    for (int i = 0; i < 4; i++)
        if (out[i] != 1.0f)
            fail_msg("average of the raster with GCPs, cell %d: %g, by hand 1", i, out[i]);
}

/* The methods that take every pixel a cell covers leave a cell empty that
 * covers none of the raster's valid pixels, on the grid of 25 m cells
 * aligned with the raster's 100 m pixels and on one of 100 m cells half a
 * pixel off (GDAL 3.6 gave the cells up to a pixel beyond the raster's top
 * and left edges a value: OSGeo/gdal#7733). The raster: 6 x 6 pixels of 2
 * from (1000, 1400) to (1600, 2000), a hole of 2 x 2 nodata pixels from
 * (1200, 1600) to (1400, 1800). By hand, a cell [x, x + w) x [y - w, y)
 * holds 2 when it overlaps a pixel of 2, else nothing: 25 m cells from
 * (900, 2100), columns and rows 4 to 27 but 12 to 19 both (the hole); 100 m
 * cells from (750, 2250), columns and rows 2 to 8 but (5, 5), which lies
 * in the hole (the others around it overlap a pixel of 2 by half). Then
 * all of it 102 km east and 465 km north. */
static void warp_cells_beyond_the_raster_stay_empty(void **state)
{
    fx *f = *state;
    enum { S = 6 };
    float src[S * S];
    for (int i = 0; i < S * S; i++)
        src[i] = 2.0f;
    src[2 * S + 2] = src[2 * S + 3] = src[3 * S + 2] = src[3 * S + 3] = -9999.0f;
    static const char *const methods[] = {"average", "rms", "mode", "min", "max",
                                          "med",     "q1",  "q3",   "near"};
    static const struct {
        double x0, y1, cell;
        int n, lo, hi, hole_lo, hole_hi;
    } grids[] = {{900, 2100, 25, 32, 4, 27, 12, 19}, {750, 2250, 100, 11, 2, 8, 5, 5}};
    /* the same again 102 km east and 465 km north, where 103000 / 100 is
     * not exact in binary: an edge must not be lost to rounding */
    static const double shift[2][2] = {{0, 0}, {102000, 465000}};
    static float out[32 * 32];
    for (int o = 0; o < 2; o++) {
        const double ox = shift[o][0], oy = shift[o][1];
        const double gt[6] = {1000.0 + ox, 100.0, 0.0, 2000.0 + oy, 0.0, -100.0};
        const char *path = fx_path(f, o ? "coarse-far.tif" : "coarse.tif");
        fx_tiff(path, S, S, gt, "EPSG:28992", src, 1, -9999.0);
        rti_layer_ref ref = fx_ref(path, NULL);
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
            for (size_t k = 0; k < sizeof(grids) / sizeof(grids[0]); k++) {
                const int n = grids[k].n, lo = grids[k].lo, hi = grids[k].hi;
                const int hlo = grids[k].hole_lo, hhi = grids[k].hole_hi;
                rti_grid_spec g = rd_grid(grids[k].x0 + ox, grids[k].y1 + oy, grids[k].cell, n, n);
                if (rti_raster_warp(f->ctx, &ref, &g, methods[m], out) != RT_OK)
                    fail_msg("%s: %s", methods[m], rt_ctx_errmsg(f->ctx));
                for (int r = 0; r < n; r++)
                    for (int c = 0; c < n; c++) {
                        int in = r >= lo && r <= hi && c >= lo && c <= hi &&
                                 !(r >= hlo && r <= hhi && c >= hlo && c <= hhi);
                        if (strcmp(methods[m], "near") == 0) {
                            /* the pixel under the cell's centre (a centre on
                             * a pixel's top or left edge is in it) */
                            const double xc = grids[k].x0 + (c + 0.5) * grids[k].cell,
                                         yc = grids[k].y1 - (r + 0.5) * grids[k].cell;
                            const int pc = (int)floor((xc - 1000.0) / 100.0),
                                      pr = (int)floor((2000.0 - yc) / 100.0);
                            in = pc >= 0 && pc < S && pr >= 0 && pr < S && src[pr * S + pc] == 2.0f;
                        }
                        const float v = out[r * n + c];
                        if (in ? v != 2.0f : !isnan(v))
                            fail_msg("%s, %g m cells, shifted by (%g, %g): cell (%d, %d) = %g, "
                                     "want %s",
                                     methods[m], grids[k].cell, ox, oy, r, c, v,
                                     in ? "2" : "nothing");
                    }
            }
    }
}

static void warp_unknown_resampling_lists_valid_ones(void **state)
{
    fx *f = *state;
    float out[4];
    rti_grid_spec g = rd_grid(0.0, 20.0, 10.0, 2, 2);
    rti_layer_ref ref = fx_ref("never-opened.tif", NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, "nearest", out), RT_E_ARG);
    FX_ASSERT_MSG_HAS(f->ctx, "'nearest'");
    FX_ASSERT_MSG_HAS(f->ctx, "near, bilinear, cubic");
    FX_ASSERT_MSG_HAS(f->ctx, "sum");
}

static void warp_without_crs_needs_one(void **state)
{
    fx *f = *state;
    float src[4] = {1, 2, 3, 4}, out[4];
    double gt[6] = {0.0, 10.0, 0.0, 20.0, 0.0, -10.0};
    const char *path = fx_path(f, "nocrs.tif");
    fx_tiff(path, 2, 2, gt, NULL, src, 0, 0.0);
    rti_grid_spec g = rd_grid(0.0, 20.0, 10.0, 2, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, NULL, out), RT_E_CRS);
    FX_ASSERT_MSG_HAS(f->ctx, "nocrs.tif has no CRS");
    ref.crs = "EPSG:28992";
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, NULL, out), RT_OK);
    for (int i = 0; i < 4; i++)
        assert_true(out[i] == src[i]);
}

static void warp_missing_file_and_band(void **state)
{
    fx *f = *state;
    float src[4] = {1, 2, 3, 4}, out[4];
    double gt[6] = {0.0, 10.0, 0.0, 20.0, 0.0, -10.0};
    rti_grid_spec g = rd_grid(0.0, 20.0, 10.0, 2, 2);
    rti_layer_ref ref = fx_ref(fx_path(f, "absent.tif"), NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, NULL, out), RT_E_IO);
    FX_ASSERT_MSG_HAS(f->ctx, "absent.tif: cannot open");
    const char *path = fx_path(f, "oneband.tif");
    fx_tiff(path, 2, 2, gt, "EPSG:28992", src, 0, 0.0);
    ref = fx_ref(path, NULL);
    ref.band = 2;
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, NULL, out), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "band 2");
    assert_true(isnan(out[0]));
}

/* A band that stores its values scaled (scale 0.1, as a UInt16 speed
 * might) is refused, on both ways in, naming the scale: read as stored it
 * would be ten times too high. */
static void scaled_band_is_refused(void **state)
{
    fx *f = *state;
    float src[4] = {10, 20, 30, 40}, out[4];
    double gt[6] = {0.0, 10.0, 0.0, 20.0, 0.0, -10.0};
    const char *path = fx_path(f, "scaled.tif");
    fx_tiff(path, 2, 2, gt, "EPSG:28992", src, 0, 0.0);
    GDALDatasetH ds = GDALOpen(path, GA_Update);
    assert_non_null(ds);
    assert_int_equal(GDALSetRasterScale(GDALGetRasterBand(ds, 1), 0.1), CE_None);
    GDALClose(ds);
    rti_grid_spec g = rd_grid(0.0, 20.0, 10.0, 2, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &g, NULL, out), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "scaled.tif: band 1 stores its values scaled (scale 0.1, offset 0)");
    char *wkt = NULL;
    float *data = NULL;
    assert_int_equal(rti_raster_read_native(f->ctx, path, 0, &g, &wkt, &data), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "gdal_translate -unscale");
    assert_null(data);
}

static void read_native_gives_grid_values_and_crs(void **state)
{
    fx *f = *state;
    float src[6] = {1, 2, -1, 4, 5, 6};
    double gt[6] = {1000.0, 25.0, 0.0, 9000.0, 0.0, -25.0};
    const char *path = fx_path(f, "native.tif");
    fx_tiff(path, 3, 2, gt, "EPSG:28992", src, 1, -1.0);
    rti_grid_spec g;
    char *wkt = NULL;
    float *data = NULL;
    assert_int_equal(rti_raster_read_native(f->ctx, path, 0, &g, &wkt, &data), RT_OK);
    assert_true(g.x0 == 1000.0 && g.y1 == 9000.0 && g.cell_m == 25.0);
    assert_int_equal(g.nx, 3);
    assert_int_equal(g.ny, 2);
    assert_ptr_equal(g.crs, wkt);
    FX_ASSERT_STR_HAS(wkt, "Amersfoort / RD New");
    for (int i = 0; i < 6; i++)
        assert_true(i == 2 ? isnan(data[i]) : data[i] == src[i]);
    free(wkt);
    free(data);
}

/* A tiled, compressed GeoTIFF of several tiles (64 x 64, the last column
 * and row of tiles partly outside the grid), read on 1 and on 3 threads
 * (GDAL then decodes the tiles in parallel): every cell holds its own
 * value, r * 1000 + c / 4 (exact in Float32), the nodata cell is NaN, and
 * the thread's GDAL_NUM_THREADS is as it was before. */
static void read_native_tiled_on_several_threads(void **state)
{
    fx *f = *state;
    enum { NX = 150, NY = 140 };
    const char *path = fx_path(f, "tiled.tif");
    const char *opts[] = {"TILED=YES",        "BLOCKXSIZE=64", "BLOCKYSIZE=64",
                          "COMPRESS=DEFLATE", "PREDICTOR=3",   NULL};
    GDALDatasetH ds =
        GDALCreate(GDALGetDriverByName("GTiff"), path, NX, NY, 1, GDT_Float32, (char **)opts);
    assert_non_null(ds);
    double gt[6] = {0.0, 10.0, 0.0, 1400.0, 0.0, -10.0};
    GDALSetGeoTransform(ds, gt);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(b, -1.0);
    static float src[NX * NY];
    for (int r = 0; r < NY; r++)
        for (int c = 0; c < NX; c++)
            src[r * NX + c] = (float)(r * 1000 + c * 0.25);
    src[130 * NX + 140] = -1.0f;
    assert_int_equal(GDALRasterIO(b, GF_Write, 0, 0, NX, NY, src, NX, NY, GDT_Float32, 0, 0),
                     CE_None);
    GDALClose(ds);
    for (int threads = 1; threads <= 3; threads += 2) {
        rt_ctx_set_threads(f->ctx, threads);
        rti_grid_spec g;
        float *data = NULL;
        assert_int_equal(rti_raster_read_native(f->ctx, path, 1, &g, NULL, &data), RT_OK);
        assert_int_equal(g.nx, NX);
        assert_int_equal(g.ny, NY);
        for (int r = 0; r < NY; r++)
            for (int c = 0; c < NX; c++) {
                float v = data[r * NX + c];
                int ok = r == 130 && c == 140 ? isnan(v) : v == (float)(r * 1000 + c * 0.25);
                if (!ok) {
                    print_error("%d threads: cell (%d, %d) = %g\n", threads, r, c, v);
                    fail();
                }
            }
        free(data);
        assert_null(CPLGetThreadLocalConfigOption("GDAL_NUM_THREADS", NULL));
    }
    rt_ctx_set_threads(f->ctx, 0);
}

static void read_native_refuses_odd_pixels(void **state)
{
    fx *f = *state;
    float src[4] = {1, 2, 3, 4};
    rti_grid_spec g;
    char *wkt = NULL;
    float *data = NULL;
    double rect[6] = {0.0, 10.0, 0.0, 20.0, 0.0, -20.0};
    const char *p1 = fx_path(f, "rect.tif");
    fx_tiff(p1, 2, 2, rect, "EPSG:28992", src, 0, 0.0);
    assert_int_equal(rti_raster_read_native(f->ctx, p1, 1, &g, &wkt, &data), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "pixel size 10 x -20");
    assert_null(data);
    assert_null(wkt);
    double rot[6] = {0.0, 10.0, 1.0, 20.0, 1.0, -10.0};
    const char *p2 = fx_path(f, "rot.tif");
    fx_tiff(p2, 2, 2, rot, "EPSG:28992", src, 0, 0.0);
    assert_int_equal(rti_raster_read_native(f->ctx, p2, 1, &g, &wkt, &data), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "rotated");
}

static void read_native_respects_the_budget(void **state)
{
    fx *f = *state;
    static float src[64 * 64];
    double gt[6] = {0.0, 10.0, 0.0, 640.0, 0.0, -10.0};
    const char *path = fx_path(f, "big.tif");
    fx_tiff(path, 64, 64, gt, "EPSG:28992", src, 0, 0.0);
    rti_grid_spec g;
    float *data = NULL;
    rt_ctx_set_budget_bytes(f->ctx, 1000);
    assert_int_equal(rti_raster_read_native(f->ctx, path, 1, &g, NULL, &data), RT_E_BUDGET);
    assert_null(data);
    rt_ctx_set_budget_bytes(f->ctx, 0);
    assert_int_equal(rti_raster_read_native(f->ctx, path, 1, &g, NULL, &data), RT_OK);
    free(data);
}

/* A file stored pixel by pixel decodes every band of a block to read one:
 * 300 Float32 bands of a 1000 x 1 strip are 1000 * 300 * 4 = 1,200,000
 * bytes, more than a budget of 256 KiB, though band 1 alone is 4,000
 * bytes. The same bands stored band by band decode 4,000 bytes a block. */
static const char *many_bands(fx *f, const char *name, const char *interleave)
{
    const char *path = fx_path(f, name);
    char opt[40];
    snprintf(opt, sizeof(opt), "INTERLEAVE=%s", interleave);
    char *opts[] = {opt, "BLOCKYSIZE=1", NULL};
    GDALDatasetH ds =
        GDALCreate(GDALGetDriverByName("GTiff"), path, 1000, 1, 300, GDT_Float32, opts);
    assert_non_null(ds);
    double gt[6] = {0.0, 10.0, 0.0, 10.0, 0.0, -10.0};
    GDALSetGeoTransform(ds, gt);
    GDALClose(ds);
    return path;
}

static void read_refuses_blocks_beyond_the_budget(void **state)
{
    fx *f = *state;
    rti_grid_spec g;
    float *data = NULL;
    rt_ctx_set_budget_bytes(f->ctx, 256 << 10);
    const char *pixel = many_bands(f, "pixel.tif", "PIXEL");
    assert_int_equal(rti_raster_read_native(f->ctx, pixel, 1, &g, NULL, &data), RT_E_BUDGET);
    FX_ASSERT_MSG_HAS(f->ctx, "pixel.tif: decoding one block (1000 x 1 cells, 300 bands stored "
                              "pixel by pixel) would need 1.14 MiB");
    assert_null(data);
    rti_grid_spec grid = rd_grid(0.0, 10.0, 10.0, 4, 1);
    rti_layer_ref ref = {.path = pixel, .crs = "EPSG:28992"};
    float out[4];
    assert_int_equal(rti_raster_warp(f->ctx, &ref, &grid, "near", out), RT_E_BUDGET);
    FX_ASSERT_MSG_HAS(f->ctx, "300 bands stored pixel by pixel");
    const char *band = many_bands(f, "band.tif", "BAND");
    assert_int_equal(rti_raster_read_native(f->ctx, band, 1, &g, NULL, &data), RT_OK);
    assert_int_equal(g.nx, 1000);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(warp_lonlat_lands_in_the_right_cell, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(warp_nodata_and_outside_become_nan, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(warp_sum_preserves_the_total, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(warp_sum_refuses_negative_pixels, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(warp_sum_splits_pixels_by_area, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(warp_nan_beside_numeric_nodata_is_missing, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(warp_cells_beyond_the_raster_stay_empty, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(warp_unknown_resampling_lists_valid_ones, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(warp_without_crs_needs_one, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(warp_missing_file_and_band, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(scaled_band_is_refused, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_native_gives_grid_values_and_crs, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(read_native_tiled_on_several_threads, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(read_native_refuses_odd_pixels, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_native_respects_the_budget, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(read_refuses_blocks_beyond_the_budget, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
