#ifndef RT_TEST_FUZZ_VECTOR_H
#define RT_TEST_FUZZ_VECTOR_H
/* Every vector reader of io/io.h on one layer, for the GeoPackage and CSV
 * harnesses. The seeds use the columns id, name and value (points and
 * polygons), kmh and oneway (road lines), the NWB columns (wegvakken),
 * source, target and the cost columns (edge tables) and node (node ids).
 * Include after fuzz/fuzz_gdal.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CRS "EPSG:28992"
#define FUZZ_GRID 16

/* Grows the box b (xmin ymin xmax ymax) by the point (x, y). */
static void fuzz_box_add(double *b, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    b[0] = fmin(b[0], x), b[1] = fmin(b[1], y);
    b[2] = fmax(b[2], x), b[3] = fmax(b[3], y);
}

/* A FUZZ_GRID x FUZZ_GRID grid over the box; 0 when the box is empty or
 * too small or too large for one. */
static int fuzz_grid_over(const double *b, rti_grid_spec *g)
{
    double cell = fmax(b[2] - b[0], b[3] - b[1]) / (FUZZ_GRID - 1);
    if (!(cell > 1e-3) || !(cell < 1e7))
        return 0;
    *g = (rti_grid_spec){.x0 = b[0] - cell / 2,
                         .y1 = b[3] + cell / 2,
                         .cell_m = cell,
                         .nx = FUZZ_GRID,
                         .ny = FUZZ_GRID,
                         .crs = FUZZ_CRS};
    return 1;
}

/* 1 when the last call failed for want of a named column: the layer is
 * then read again without columns. */
static int fuzz_no_column(rt_ctx *ctx)
{
    return rt_ctx_errcode(ctx) == RT_E_DATA && strstr(rt_ctx_errmsg(ctx), "no column");
}

static void fuzz_points(rt_ctx *ctx, const rti_layer_ref *ref, double *box)
{
    rti_points p;
    if (rti_read_points(ctx, ref, FUZZ_CRS, "id", "name", "value", &p) != RT_OK &&
        (!fuzz_no_column(ctx) ||
         rti_read_points(ctx, ref, FUZZ_CRS, NULL, NULL, NULL, &p) != RT_OK))
        return;
    for (int64_t i = 0; i < p.n; i++) {
        if (!p.id[i])
            abort(); /* every point has an id */
        fuzz_box_add(box, p.x[i], p.y[i]);
    }
    rti_points_free(&p);
}

static void fuzz_polygons(rt_ctx *ctx, const rti_layer_ref *ref, double *box)
{
    rti_polygons p;
    if (rti_read_polygons(ctx, ref, FUZZ_CRS, "id", "name", "value", 1, &p) != RT_OK &&
        (!fuzz_no_column(ctx) ||
         rti_read_polygons(ctx, ref, FUZZ_CRS, NULL, NULL, NULL, 0, &p) != RT_OK))
        return;
    rti_grid_spec g;
    if (fuzz_grid_over(p.bbox, &g)) {
        int32_t cells[FUZZ_GRID * FUZZ_GRID];
        int64_t n_overlap = 0;
        rti_rasterize_polygons(ctx, &p, &g, cells, &n_overlap);
        int64_t *off = malloc((size_t)(p.n ? p.n : 1) * sizeof(*off));
        if (!off)
            abort();
        rti_polygons_count_off_grid(ctx, &p, &g, off);
        free(off);
    }
    fuzz_box_add(box, p.bbox[0], p.bbox[1]);
    fuzz_box_add(box, p.bbox[2], p.bbox[3]);
    rti_polygons_free(&p);
}

static void fuzz_roads(rt_ctx *ctx, const rti_layer_ref *ref, double *box)
{
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.speed_column = "kmh";
    o.oneway_column = "oneway";
    rti_roads r;
    if (rti_read_roads(ctx, ref, FUZZ_CRS, &o, &r) != RT_OK)
        return;
    for (int64_t i = 0; i < r.n_edges; i++)
        if (r.from[i] < 0 || r.from[i] >= r.n_nodes || r.to[i] < 0 || r.to[i] >= r.n_nodes ||
            r.cls[i] < 0 || r.cls[i] >= r.n_classes)
            abort(); /* an edge names a node or class that does not exist */
    for (int64_t i = 0; i < r.n_nodes; i++)
        fuzz_box_add(box, r.x[i], r.y[i]);
    rti_roads_free(&r);
}

static void fuzz_tables(rt_ctx *ctx, const rti_layer_ref *ref)
{
    rti_edge_table t;
    if (rti_read_edge_table(ctx, ref, &t) == RT_OK)
        rti_edge_table_free(&t);
    int64_t *ids = NULL, n = 0;
    if (rti_read_id_column(ctx, ref, NULL, &ids, &n) == RT_OK && n > 0 && !ids)
        abort();
    free(ids);
}

FUZZ_UNUSED static void fuzz_read_vectors(const rti_layer_ref *ref)
{
    rt_ctx *ctx = fuzz_ctx();
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    fuzz_points(ctx, ref, box);
    fuzz_polygons(ctx, ref, box);
    fuzz_roads(ctx, ref, box);
    rti_grid_spec g;
    if (fuzz_grid_over(box, &g)) {
        float speeds[FUZZ_GRID * FUZZ_GRID];
        for (int i = 0; i < FUZZ_GRID * FUZZ_GRID; i++)
            speeds[i] = NAN;
        rti_burn_lines_max(ctx, ref, &g, "kmh", NULL, NULL, 0, NAN, speeds, NULL, NULL);
    }
    fuzz_tables(ctx, ref);
    rt_ctx_destroy(ctx);
}

#endif
