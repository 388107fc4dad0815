#ifndef RT_IO_H
#define RT_IO_H
/* The I/O layer: the only code in reistijd that calls GDAL/OGR, PROJ and
 * GEOS. Everything it hands back is plain memory in the analysis CRS.
 * Every function takes the context first, returns rt_status and on error
 * sets a message that names the file, layer, feature and what is wrong.
 * Functions are safe to call from several threads with different contexts. */
#include <stddef.h>
#include <stdint.h>

#include "reistijd/rt_ctx.h"
#include "reistijd/rt_status.h"

/* The analysis grid: north-up square cells in the analysis CRS. Cell (r, c)
 * covers x0 + c*cell_m .. x0 + (c+1)*cell_m, y1 - (r+1)*cell_m .. y1 - r*cell_m. */
typedef struct rti_grid_spec {
    double x0; /* west edge, metres */
    double y1; /* north edge, metres */
    double cell_m;
    int32_t nx, ny;
    const char *crs; /* user definition of the analysis CRS ("EPSG:28992") */
} rti_grid_spec;

/* A vector or raster input as named in the study file. */
typedef struct rti_layer_ref {
    const char *path;
    const char *layer;    /* NULL: the first layer */
    const char *where;    /* OGR attribute filter, NULL: none */
    const char *crs;      /* CRS to assume when the source has none; NULL: error */
    const char *x_column; /* CSV: coordinate columns (open options) */
    const char *y_column;
    int band; /* rasters: 1-based, 0 means 1 */
} rti_layer_ref;

/* Registers drivers once (thread-safe) and routes GDAL/PROJ messages. */
void rti_io_init(void);

/* "GDAL 3.6.2, PROJ 9.1.1, GEOS 3.11.1" style versions. */
const char *rti_io_gdal_version(void);
const char *rti_io_proj_version(void);
const char *rti_io_geos_version(void);

/* Checks that crs is a projected CRS in metres (RT_E_CRS otherwise). */
rt_status rti_crs_check_metric(rt_ctx *ctx, const char *crs);

/* ---- rasters ---- */

/* Reads band ref->band of a raster in any CRS and resamples it onto the
 * grid with GDAL's warper (resampling: "near", "bilinear", "cubic",
 * "average", "sum", ...). Nodata, NaN and cells outside the source become
 * NaN in out (nx*ny floats, caller-owned). */
rt_status rti_raster_warp(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                          const char *resampling, float *out);

/* Reads a raster as it is (no resampling): its own grid. The caller frees
 * *data with free(). Used by `reistijd nearest`, whose output is on the
 * input grid. Nodata becomes NaN. *grid gets x0, y1, cell_m, nx, ny; the
 * raster must be north-up with square cells (RT_E_DATA otherwise).
 * crs_wkt receives the raster's CRS as WKT (caller frees with free()). */
rt_status rti_raster_read_native(rt_ctx *ctx, const char *path, int band, rti_grid_spec *grid,
                                 char **crs_wkt, float **data);

typedef enum rti_dtype { RTI_FLOAT32 = 0, RTI_INT32 = 1 } rti_dtype;

/* Fills row `row` (nx values of the output type) into buf. */
typedef void (*rti_row_fn)(int32_t row, void *buf, void *user);

/* Writes a single-band tiled, DEFLATE-compressed GeoTIFF at path (which
 * must not exist yet; the caller renames it into place). crs may be a user
 * definition or WKT. Rows come from row_fn, so no full-size copy is made.
 * The dataset close is checked. description: band description; units:
 * band unit type ("min", "s", "m", "") */
rt_status rti_write_geotiff(rt_ctx *ctx, const char *path, const rti_grid_spec *grid,
                            const char *crs, rti_dtype type, double nodata, const char *description,
                            const char *units, rti_row_fn row_fn, void *user);

/* ---- vectors ---- */

typedef struct rti_points {
    int64_t n;
    double *x, *y; /* analysis CRS */
    char **id;     /* id column as text, or the feature id */
    char **name;   /* name column, or NULL array when no column */
    double *value; /* value column (capacity, count), NaN if no column */
    int64_t *fid;  /* OGR feature id, for messages */
} rti_points;

/* Reads point features (Point, MultiPoint: its centroid; Polygon,
 * MultiPolygon: a point on the surface), transformed to crs. Any other
 * geometry type is an RT_E_DATA error naming the feature. Empty layer (after
 * the filter): RT_E_DATA. Missing column: RT_E_DATA naming the column and
 * listing the columns that exist. id_col/name_col/value_col may be NULL. */
rt_status rti_read_points(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                          const char *id_col, const char *name_col, const char *value_col,
                          rti_points *out);
void rti_points_free(rti_points *p);

typedef struct rti_polygons {
    int64_t n;
    char **id;
    char **name;   /* NULL array when no column */
    double *value; /* NaN if no column */
    int64_t *fid;
    void **geom;    /* opaque OGRGeometryH, analysis CRS, valid (repaired) */
    double bbox[4]; /* xmin ymin xmax ymax of all polygons */
    int n_repaired; /* invalid polygons repaired with GEOS */
} rti_polygons;

/* Reads (Multi)Polygon features transformed to crs. Each geometry is
 * checked with GEOS; an invalid one is repaired (GEOSMakeValid) and a
 * warning naming the feature and the GEOS reason is logged, or, with
 * repair == 0 or when repair gives no polygon, RT_E_DATA naming it. */
rt_status rti_read_polygons(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                            const char *id_col, const char *name_col, const char *value_col,
                            int repair, rti_polygons *out);
void rti_polygons_free(rti_polygons *p);

/* Burns polygon index i (0-based) into out (nx*ny int32, caller-owned,
 * pre-filled by the function with -1) for every cell whose centre lies
 * inside polygon i (GDAL rasterize, not ALL_TOUCHED). Where polygons
 * overlap, the later feature wins; *n_overlap (may be NULL) gets the number
 * of cells claimed by more than one polygon. */
rt_status rti_rasterize_polygons(rt_ctx *ctx, const rti_polygons *polys, const rti_grid_spec *grid,
                                 int32_t *out, int64_t *n_overlap);

/* Burns lines of a layer onto a float grid: every cell a line touches
 * (ALL_TOUCHED) gets max(current, value) where value is the feature's
 * value_col (numeric) or, with classes, the speed mapped from class_col.
 * Used for road speeds (km/h). n_skipped counts features with no usable
 * value. */
typedef struct rti_class_value {
    const char *name;
    double value;
} rti_class_value;
rt_status rti_burn_lines_max(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                             const char *value_col, const char *class_col,
                             const rti_class_value *classes, int n_classes, double default_value,
                             float *grid_values, int64_t *n_burned, int64_t *n_skipped);

/* ---- writing vector layers ---- */

typedef enum rti_col_type { RTI_COL_STR = 0, RTI_COL_INT = 1, RTI_COL_REAL = 2 } rti_col_type;

typedef struct rti_column {
    const char *name;
    rti_col_type type;
    const char *const *s; /* RTI_COL_STR: n strings (NULL = null field) */
    const int64_t *i;     /* RTI_COL_INT */
    const double *r;      /* RTI_COL_REAL: NaN = null field */
} rti_column;

/* Writes a layer into a GeoPackage at path (created if missing, else the
 * layer is added). Geometry from polys->geom (polygons) or from x/y
 * (points); exactly one of polys and x must be given. */
rt_status rti_write_gpkg_layer(rt_ctx *ctx, const char *path, const char *layer, const char *crs,
                               const rti_polygons *polys, const double *x, const double *y,
                               int64_t n, const rti_column *cols, int n_cols);

/* ---- files ---- */

/* SHA-256 (hex) and size of a file. */
rt_status rti_file_sha256(rt_ctx *ctx, const char *path, char hex[65], uint64_t *size_bytes);

#endif
