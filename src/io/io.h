#ifndef RT_IO_H
#define RT_IO_H
/* The I/O layer: the only code in reistijd that calls GDAL/OGR, PROJ and
 * GEOS. Everything it hands back is plain memory in the analysis CRS.
 * Every function takes the context first, returns rt_status and on error
 * sets a message that names the file, layer, feature and what is wrong.
 * Functions are safe to call from several threads with different contexts.
 *
 * GDAL/OGR/PROJ failures are folded into the context's message (GDAL's own
 * text after ours); GDAL warnings go to the context's log callback as
 * RT_LOG_WARNING. Every entry point calls rti_io_init() itself.
 * The shared helpers of the io sources are in io/io_internal.h (GDAL types,
 * never included outside src/io). */
#include <math.h>
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

/* The centre of cell i (row-major, row 0 at the top) in the grid's CRS. */
static inline void rti_grid_centre(const rti_grid_spec *g, int64_t i, double *x, double *y)
{
    *x = g->x0 + ((double)(i % g->nx) + 0.5) * g->cell_m;
    *y = g->y1 - ((double)(i / g->nx) + 0.5) * g->cell_m;
}

/* The cell under the point (x, y), or -1 when the point lies outside the
 * grid (or is not finite). */
static inline int64_t rti_grid_cell_at(const rti_grid_spec *g, double x, double y)
{
    double col = floor((x - g->x0) / g->cell_m);
    double row = floor((g->y1 - y) / g->cell_m);
    if (!(col >= 0 && col < g->nx && row >= 0 && row < g->ny))
        return -1;
    return (int64_t)row * g->nx + (int64_t)col;
}

/* Whether point (x, y) lies beyond grid g by more than margin_m metres on
 * some side (a NaN coordinate does): with the snap radius as margin, a
 * facility the grid cannot take because it lies outside the study extent,
 * not because no passable cell is near. */
static inline int rti_grid_beyond(const rti_grid_spec *g, double x, double y, double margin_m)
{
    const double m = margin_m / g->cell_m;
    const double col = (x - g->x0) / g->cell_m, row = (g->y1 - y) / g->cell_m;
    return !(col >= -m && col <= g->nx + m && row >= -m && row <= g->ny + m);
}

/* A vector or raster input as named in the study file. */
typedef struct rti_layer_ref {
    const char *path;
    const char *layer;    /* NULL: the first layer */
    const char *where;    /* OGR attribute filter, NULL: none */
    const char *crs;      /* CRS to assume when the source has none; NULL: error */
    const char *x_column; /* CSV: coordinate columns (open options) */
    const char *y_column;
    int band; /* rasters: 1-based, 0 means 1 */
    /* OSM files (.osm.pbf, .pbf, .osm): the osmconf.ini GDAL's OSM driver
     * reads them with (open option CONFIG_FILE), so that the tags it lists
     * (amenity, shop, healthcare, ...) are columns a filter can use; NULL:
     * GDAL's own configuration */
    const char *osm_config;
    /* 1: a remote source (see rti_input_check()) may be read, with the
     * timeouts of rti_remote_timeouts(); 0 (the default): refused */
    int allow_remote;
} rti_layer_ref;

/* ---- input paths (paths.c) ---- */

/* What an input path names, by its text (a driver-prefixed string that
 * names an existing file is LOCAL). */
typedef enum rti_path_kind {
    RTI_PATH_LOCAL = 0,      /* a file or folder of this machine */
    RTI_PATH_VIRTUAL = 1,    /* /vsimem/, or /vsizip/, /vsigzip/, /vsitar/ over a local file */
    RTI_PATH_REMOTE = 2,     /* read over the network (see rti_input_check()) */
    RTI_PATH_CONNECTION = 3, /* a driver-prefixed string ("NETCDF:f.nc:v"), not a server's */
    RTI_PATH_UNSUPPORTED = 4 /* another GDAL virtual file system (/vsistdin/, /vsisubfile/) */
} rti_path_kind;

rti_path_kind rti_path_kind_of(const char *path);

/* Checks an input path before anything opens it, so that nothing can
 * block: every reader of this layer calls it first.
 *  - A local path must exist and be a regular file or a folder (folder
 *    datasets: a FileGDB, a folder of shapefiles); a named pipe, a device
 *    or a socket is RT_E_IO naming what it is. So are the files GDAL may
 *    open beside it: for a file, those of its folder whose name is its
 *    name up to the first dot and a dot and more (x.shp: x.dbf, x.prj;
 *    x.tif: x.tif.aux.xml; x.gpkg: x.gpkg-wal), without regard to case;
 *    for a folder, every entry in it. A path that does not
 *    exist or cannot be looked up is RT_E_IO "cannot open" with the reason.
 *  - /vsimem/ is allowed; /vsizip/, /vsigzip/ and /vsitar/ are allowed
 *    over a local file (checked as above) or over another allowed path.
 *    Other GDAL virtual file systems are RT_E_IO.
 *  - Remote sources are RT_E_IO unless allow_remote is set: /vsicurl/,
 *    /vsicurl_streaming/, /vsis3/, /vsigs/, /vsiaz/, /vsiadls/, /vsioss/,
 *    /vsiswift/ (and their _streaming forms), /vsihdfs/, /vsiwebhdfs/,
 *    http://, https://, ftp://, an archive over any of them, and
 *    driver-prefixed strings that reach a server: a URL inside ("WFS:
 *    https://..."), or the prefix of a database or web service driver
 *    (PG:, MYSQL:, MSSQL:, OCI:, ODBC:, WFS:, WMS:, ...).
 *  - Other driver-prefixed strings (GTIFF_DIR:1:f.tif, NETCDF:"f.nc":v)
 *    are used as written; any part of them that names an existing local
 *    file is checked as above. */
rt_status rti_input_check(rt_ctx *ctx, const char *path, int allow_remote);
/* Calls fn(ctx, user, file, its stat) for each existing local file that
 * path reads (followed through links): the path itself, the parts of a
 * driver-prefixed string that name one, the archive under /vsizip/,
 * /vsigzip/ and /vsitar/ (nested too); nothing for remote and in-memory
 * paths. Stops at, and returns, the first status other than RT_OK. */
struct stat;
typedef rt_status (*rti_local_file_fn)(rt_ctx *ctx, void *user, const char *file,
                                       const struct stat *sb);
rt_status rti_path_local_files(rt_ctx *ctx, const char *path, rti_local_file_fn fn, void *user);
/* What a file of st_mode `mode` is, for messages: "a regular file", "a
 * folder", "a named pipe (FIFO)", "a character device", "a block device",
 * "a socket" or "a special file". */
const char *rti_file_kind(unsigned mode);

/* The HTTP timeouts of remote reads, in seconds, as GDAL will apply them:
 * the configuration options (or environment variables)
 * GDAL_HTTP_CONNECTTIMEOUT and GDAL_HTTP_TIMEOUT when set, else 10 s to
 * connect and 60 s for a whole request. Retries (GDAL_HTTP_MAX_RETRY) are
 * off unless set. The readers of this layer set them on the calling thread
 * for the time they read a remote source. The strings are static or GDAL's. */
void rti_remote_timeouts(const char **connect_s, const char **total_s);

/* Registers drivers once (thread-safe) and routes GDAL/PROJ messages.
 * Sets GDAL_CACHEMAX to 16 (MB) unless the environment sets it. Installs no
 * global handler: messages are routed per call on the calling thread. */
void rti_io_init(void);

/* "GDAL 3.6.2, PROJ 9.1.1, GEOS 3.11.1" style versions. Each returns the
 * bare version number of the library in use at run time ("3.6.2"), as a
 * static string. */
const char *rti_io_gdal_version(void);
const char *rti_io_proj_version(void);
const char *rti_io_geos_version(void);
/* 1 when GDAL has a driver of that short name ("GTiff") registered. */
int rti_io_driver_present(const char *name);

/* Checks that crs is a projected CRS in metres (RT_E_CRS otherwise).
 * crs: "EPSG:28992", WKT or a PROJ string; NULL or "" is RT_E_CRS. All
 * CRSs in the io layer use x = easting/longitude, y = northing/latitude. */
rt_status rti_crs_check_metric(rt_ctx *ctx, const char *crs);

/* ---- rasters ---- */

/* Reads band ref->band of a raster in any CRS and resamples it onto the
 * grid with GDAL's warper (resampling: "near", "bilinear", "cubic",
 * "average", "sum", ...). Nodata, NaN and cells outside the source become
 * NaN in out (nx*ny floats, caller-owned). A float band without a nodata
 * value has NaN as its nodata. The source CRS is the raster's own, else
 * ref->crs, else RT_E_CRS. Unknown resampling: RT_E_ARG listing the valid
 * names (near, bilinear, cubic, cubicspline, lanczos, average, rms, mode,
 * max, min, med, q1, q3, sum; NULL means near). Coordinates are
 * transformed with gdalwarp's 1/8-cell approximation. On error out is all
 * NaN. */
rt_status rti_raster_warp(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                          const char *resampling, float *out);

/* Reads a raster as it is (no resampling): its own grid. The caller frees
 * *data with free(). Used by `reistijd nearest`, whose output is on the
 * input grid. Nodata becomes NaN. *grid gets x0, y1, cell_m, nx, ny; the
 * raster must be north-up with square cells (RT_E_DATA otherwise).
 * crs_wkt receives the raster's CRS as WKT (caller frees with free()).
 * crs_wkt may be NULL; *crs_wkt is "" when the raster has no CRS.
 * grid->crs is set to *crs_wkt (NULL when there is none or crs_wkt is NULL),
 * so it is valid until *crs_wkt is freed. band 0 means 1. The data size is
 * checked against the context's budget (RT_E_BUDGET) before allocating. */
rt_status rti_raster_read_native(rt_ctx *ctx, const char *path, int band, rti_grid_spec *grid,
                                 char **crs_wkt, float **data);
/* The same for ref->path, ref->band and ref->allow_remote (the other
 * fields are not used). */
rt_status rti_raster_read_native_ref(rt_ctx *ctx, const rti_layer_ref *ref, rti_grid_spec *grid,
                                     char **crs_wkt, float **data);

/* The grid of a local raster as rti_raster_read_native gives it (x0, y1,
 * cell_m, nx, ny; north-up with square cells, else RT_E_DATA), without
 * reading its cells. */
rt_status rti_raster_native_grid(rt_ctx *ctx, const char *path, rti_grid_spec *grid);

typedef enum rti_dtype { RTI_FLOAT32 = 0, RTI_INT32 = 1 } rti_dtype;

/* Fills row `row` (nx values of the output type) into buf. */
typedef void (*rti_row_fn)(int32_t row, void *buf, void *user);

/* Writes a single-band tiled, ZSTD-compressed GeoTIFF at path (which
 * reports progress with stage "write" per strip of rows and can be
 * cancelled there, leaving nothing at path; the file
 * must not exist yet; the caller renames it into place). crs may be a user
 * definition or WKT. Rows come from row_fn (once per row, in row order,
 * on the calling thread), so no full-size copy is made.
 * The dataset close is checked. description: band description; units:
 * band unit type ("min", "s", "m", ""); either may be NULL.
 * crs NULL: grid->crs. Tiles 512 x 512 (on a side shorter than 512 cells
 * one tile, its length rounded up to 16), ZSTD level 1 with predictor 3
 * (float) or 2 (int32), BIGTIFF=IF_SAFER, compressed on the context's
 * threads when there are several tiles (the file is the same for any
 * count). Rows are gathered per strip of one tile's height
 * (budget-checked). An existing path is RT_E_IO; on any error the partly
 * written file is removed. */
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
 * listing the columns that exist. id_col/name_col/value_col may be NULL.
 * Features without a geometry (NULL or empty) are skipped with one
 * warning giving their count and the first feature id. Ids are the column's
 * text as stored (leading zeros kept); an empty id is RT_E_DATA. A null
 * name is "". Value: numeric columns as they are, text columns parsed as a
 * number (empty or null: NaN; other text: RT_E_DATA naming the feature).
 * The layer CRS is used, else ref->crs, else RT_E_CRS (a GeoPackage's
 * "Undefined geographic/Cartesian SRS" counts as none). For CSV, x_column/
 * y_column become the X_POSSIBLE_NAMES/Y_POSSIBLE_NAMES open options and
 * those columns are not attributes. A bad ref->where is RT_E_DATA. */
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
    void **geom;     /* opaque OGRGeometryH, analysis CRS, valid (repaired) */
    double *px, *py; /* a point on the surface of each polygon (NaN if none) */
    double bbox[4];  /* xmin ymin xmax ymax of all polygons */
    int n_repaired;  /* invalid polygons repaired with GEOS */
} rti_polygons;

/* Reads (Multi)Polygon features transformed to crs. Each geometry is
 * checked with GEOS; an invalid one is repaired (GEOSMakeValid) and a
 * warning naming the feature and the GEOS reason is logged, or, with
 * repair == 0 or when repair gives no polygon, RT_E_DATA naming it.
 * Columns, ids, missing geometries and CRS as for rti_read_points(). A
 * repaired geometry keeps only the polygonal part of GEOSMakeValid's
 * result. Curved geometries are linearized; Z/M are dropped. Free the
 * result with rti_polygons_free(), which also frees the geometries. */
rt_status rti_read_polygons(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                            const char *id_col, const char *name_col, const char *value_col,
                            int repair, rti_polygons *out);
void rti_polygons_free(rti_polygons *p);

/* Burns polygon index i (0-based) into out (nx*ny int32, caller-owned,
 * pre-filled by the function with -1) for every cell whose centre lies
 * inside polygon i (GDAL rasterize, not ALL_TOUCHED). Where polygons
 * overlap, the later feature wins; *n_overlap (may be NULL) gets the number
 * of cells claimed by more than one polygon. The geometries must be in the
 * grid's CRS. Counting overlaps takes one extra byte per cell (checked
 * against the budget) and is skipped when n_overlap is NULL. On error out
 * is all -1. */
rt_status rti_rasterize_polygons(rt_ctx *ctx, const rti_polygons *polys, const rti_grid_spec *grid,
                                 int32_t *out, int64_t *n_overlap);

/* inside[k] = 1 when the point (x[k], y[k]) lies in the interior of some
 * polygon of polys (GEOS, through OGR_G_Contains: a point on a boundary is
 * not inside), else 0, for the n points. */
rt_status rti_polygons_contain(rt_ctx *ctx, const rti_polygons *polys, int64_t n, const double *x,
                               const double *y, uint8_t *inside);

/* Counts, for each polygon i, the cells of the grid's lattice (the grid
 * extended by whole cells in every direction) that lie outside the grid and
 * whose centre lies inside polygon i, by the rule of
 * rti_rasterize_polygons() (GDAL rasterize, cell centre). Each polygon is
 * counted on its own: where polygons overlap outside the grid, both count
 * the cell. Only the part of a polygon's envelope outside the grid is
 * burned, in tiles of at most 2048 x 2048 bytes, so a polygon whose
 * envelope holds no lattice centre outside the grid costs one envelope
 * test. off[i] (polys->n values, caller-owned) is -1 for a polygon whose
 * envelope does not meet the grid at all (not counted: all of it lies
 * outside). Cancelling is checked per tile (RT_E_CANCELLED). On error off
 * is all 0. */
rt_status rti_polygons_count_off_grid(rt_ctx *ctx, const rti_polygons *polys,
                                      const rti_grid_spec *grid, int64_t *off);

/* Burns lines of a layer onto a float grid: every cell a line touches
 * (ALL_TOUCHED) gets max(current, value) where value is the feature's
 * value_col (numeric) or, with classes, the speed mapped from class_col.
 * Used for road speeds (km/h). n_skipped counts features with no usable
 * value.
 * At most one of value_col and class_col is given (RT_E_ARG otherwise);
 * with neither, every line gets default_value (which must be finite).
 * A class not in classes (or a null class) gets default_value; a NaN value
 * (no value, null field, default NaN) skips the feature and counts it in
 * n_skipped; features without a geometry are skipped with a warning and
 * not counted. n_burned: features burned. Lines are transformed to
 * grid->crs; geometry types other than (Multi)LineString are RT_E_DATA.
 * GDAL 3.6 has no MAX merge, so the lines are burned into a temporary
 * float grid (4 B per cell, budget-checked) in ascending value order, the
 * highest value burned last; then each touched cell gets the burned value
 * where it exceeds the current one or the current one is NaN (a road over
 * nodata makes the cell passable). On error grid_values is unchanged.
 * n_burned/n_skipped may be NULL. */
typedef struct rti_class_value {
    const char *name;
    double value;
} rti_class_value;
rt_status rti_burn_lines_max(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                             const char *value_col, const char *class_col,
                             const rti_class_value *classes, int n_classes, double default_value,
                             float *grid_values, int64_t *n_burned, int64_t *n_skipped);

/* The value of each line chosen by its caller, for rti_burn_lines_pick:
 * fn gets the n lines read (the features with a line geometry, in the
 * layer's order), for each which filters keep its feature (bit k:
 * filters[k], an OGR filter on the layer in place of ref->where; at most
 * 32; by feature id), the point halfway along it in grid->crs (a
 * MultiLineString's parts in order, the gaps between them not counted; NaN
 * for a line without length) and its value (NaN: none usable), which fn
 * may change. A line whose value is then not finite is left out: not
 * burned, and counted in n_skipped when it had no value before. */
typedef struct rti_line_pick {
    int n_filters;
    const char *const *filters;
    rt_status (*fn)(rt_ctx *ctx, void *user, int64_t n, const unsigned *match, const double *mx,
                    const double *my, double *value);
    void *user;
} rti_line_pick;

/* rti_burn_lines_max with the lines' values chosen by pick (NULL: as
 * rti_burn_lines_max); with pick, neither column nor a finite default
 * value is needed. */
rt_status rti_burn_lines_pick(rt_ctx *ctx, const rti_layer_ref *ref, const rti_grid_spec *grid,
                              const char *value_col, const char *class_col,
                              const rti_class_value *classes, int n_classes, double default_value,
                              const rti_line_pick *pick, float *grid_values, int64_t *n_burned,
                              int64_t *n_skipped);

/* ---- tables (no geometry) ---- */

/* A road network as an edge table (CSV or any OGR table, e.g. exported from
 * pgRouting), one row per edge. Columns, matched without regard to case,
 * the first name found counts:
 *   source | from | u          node id (integer)
 *   target | to | v            node id (integer)
 *   cost_s | time_s | cost     travel time source -> target in seconds, or
 *   length_m | length and speed_kmh | speed   (time = length / speed)
 *   reverse_cost_s | reverse_cost   time target -> source; < 0: no such arc
 *                              (pgRouting's convention); without it:
 *   oneway                     yes/true/1: no reverse arc; without either
 *                              column every edge is two-way.
 *   length_m | length          optional, metres (route lengths).
 * Errors name the file, the row (feature id) and the column. */
typedef struct rti_edge_table {
    int64_t n;
    int64_t *source, *target;
    double *cost_s;     /* source -> target */
    double *reverse_s;  /* target -> source; NaN: no arc */
    float *length_m;    /* NULL without a length column */
    char cost_desc[96]; /* which columns gave the times, for messages */
} rti_edge_table;

rt_status rti_read_edge_table(rt_ctx *ctx, const rti_layer_ref *ref, rti_edge_table *out);
void rti_edge_table_free(rti_edge_table *t);

/* Reads the integer column `column` (NULL: "node", else the first column)
 * of a table into *ids (caller frees). Empty table: RT_E_DATA. */
rt_status rti_read_id_column(rt_ctx *ctx, const rti_layer_ref *ref, const char *column,
                             int64_t **ids, int64_t *n);

/* ---- road networks ---- */

/* Road networks read as nodes and edges with their tags (docs/networks.md).
 * Node rules:
 *  - OSM (GDAL's OSM driver, layer 'lines'): the driver does not give node
 *    ids, so a node is a vertex position: OSM ways that share a node have
 *    bit-identical coordinates. Every way is split at each vertex whose
 *    position occurs more than once (in another way or twice in one way)
 *    and at its ends. Two ways that cross without a shared vertex (a
 *    bridge) stay unconnected.
 *  - NWB wegvakken: the ends are the junctions JTE_ID_BEG/JTE_ID_END; rows
 *    without them are snapped like lines. Vertices inside a wegvak are
 *    never nodes.
 *  - LINES: vertices within snap_tolerance_m of one another are one node
 *    (a grid hash; a vertex joins the nearest node already made, else makes
 *    one, in the order of the features and their vertices); lines are split
 *    at their ends and at every vertex shared with another line or
 *    used twice.
 * Node ids are given in order of first appearance (feature order, then
 * vertex order), so the same file always gives the same ids. */
typedef enum rti_road_format {
    RTI_ROADS_AUTO =
        0, /* .pbf/.osm: OSM; a layer with jte_id_beg and jte_id_end: NWB; else LINES */
    RTI_ROADS_OSM = 1,
    RTI_ROADS_NWB = 2,
    RTI_ROADS_LINES = 3
} rti_road_format;

typedef struct rti_road_opts {
    rti_road_format format;
    const char *osm_config;   /* OSM: the osmconf.ini that exposes the tags as columns (required) */
    const char *speed_column; /* LINES: km/h column; exactly one of speed_column, time_column
                                 and speed_kmh */
    double speed_kmh;         /* LINES: one speed for every feature; NaN (default): none */
    const char *time_column;  /* LINES: seconds to travel the whole feature */
    const char *oneway_column; /* LINES: optional; yes/true/1, -1/reverse, no/false/0/empty */
    double snap_tolerance_m;   /* LINES, NWB rows without junctions: >= 0, default 0.5 */
} rti_road_opts;

/* Sets the defaults: AUTO, no columns, 0.5 m. */
void rti_road_opts_init(rti_road_opts *o);

enum { RTI_DIR_BOTH = 0, RTI_DIR_FORWARD = 1, RTI_DIR_BACKWARD = 2 };
enum { RTI_MODE_CAR = 1, RTI_MODE_BIKE = 2, RTI_MODE_WALK = 4, RTI_MODE_ALL = 7 };
enum { RTI_ROAD_BRIDGE = 1, RTI_ROAD_TUNNEL = 2, RTI_ROAD_ROUNDABOUT = 4 };

/* A road network in the analysis CRS. Edges run from node to node along
 * their geometry; every array has n_nodes or n_edges elements. */
typedef struct rti_roads {
    rti_road_format format; /* the format read (never AUTO) */
    int64_t n_nodes;
    double *x, *y; /* node positions, analysis CRS (the first vertex seen there) */
    int64_t n_edges;
    int32_t *from, *to;  /* node indices; the geometry runs from -> to */
    double *length_m;    /* along the geometry, analysis CRS */
    int32_t *cls;        /* index into classes[] */
    float *maxspeed_kmh; /* OSM maxspeed; NaN: none or not a speed; +inf: "none" */
    float *speed_kmh;    /* LINES with speed_column, else NULL */
    float *time_s;       /* LINES with time_column (the edge's share by length), else NULL */
    uint8_t *dir_car;    /* RTI_DIR_*, relative to the geometry */
    uint8_t *dir_bike;   /* RTI_DIR_*; walking is always both ways */
    uint8_t *modes;      /* RTI_MODE_* bits the access tags allow */
    uint8_t *modes_yes;  /* RTI_MODE_* bits a tag grants explicitly (bicycle=yes) */
    uint8_t *flags;      /* RTI_ROAD_* */
    int64_t *source_fid; /* OSM way id, NWB WVK_ID, else the OGR feature id */
    int64_t *geom_first; /* n_edges + 1 offsets into gx/gy */
    double *gx, *gy;     /* the edges' vertices, analysis CRS */
    char **classes;      /* class names in order of first appearance (rti_road_class_names()) */
    int n_classes;
    int64_t n_features;          /* features read and used */
    int64_t n_maxspeed_unparsed; /* OSM ways whose maxspeed is not a speed (warned once) */
    int64_t n_skipped;           /* LINES: features without a speed or time (warned once) */
    int64_t n_dir_unknown; /* NWB: RIJRICHTNG other than H, T, B or empty (both ways; warned) */
} rti_roads;

/* rti_read_roads - reads a road network (OSM PBF/XML, NWB wegvakken or any
 * line layer) transformed to crs (projected, metres: RT_E_CRS otherwise).
 * opts NULL: defaults. OSM: only ways whose highway value is a routable
 * class (rti_road_class_names()) are read; opts->osm_config is passed to
 * GDAL as CONFIG_FILE and must expose highway (RT_E_DATA naming the file
 * otherwise). Errors (RT_E_DATA unless said): no roads after reading;
 * LINES without speed_column or time_column (RT_E_ARG) or a named column
 * the layer lacks (naming the columns there are); a speed or time <= 0;
 * a geometry that is not a (multi)line (naming the feature); more than
 * 2^31-1 nodes. Warnings (log, once each): maxspeed values that are not a
 * speed (count and examples; the class speed applies), LINES features
 * without a speed or time (skipped), NWB direction codes not understood
 * (both ways). On error *out is zeroed. Free with rti_roads_free(). */
rt_status rti_read_roads(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                         const rti_road_opts *opts, rti_roads *out);
void rti_roads_free(rti_roads *r);

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
 * (points); exactly one of polys and x must be given.
 * Polygons are written as MultiPolygon (polys->n must equal n), points as
 * Point (x and y both given). Column types: text, Integer64, Real; a NULL
 * string or NaN real is a null field. A layer that already exists is
 * RT_E_IO. The inserts run in one transaction. On error the layer is
 * removed again, and a file created by this call is deleted. */
rt_status rti_write_gpkg_layer(rt_ctx *ctx, const char *path, const char *layer, const char *crs,
                               const rti_polygons *polys, const double *x, const double *y,
                               int64_t n, const rti_column *cols, int n_cols);

/* The same for lines: feature i has the vertices first[i] .. first[i+1]-1
 * of gx/gy (at least two; RT_E_ARG otherwise), written as LineString. */
rt_status rti_write_gpkg_lines(rt_ctx *ctx, const char *path, const char *layer, const char *crs,
                               const int64_t *first, const double *gx, const double *gy, int64_t n,
                               const rti_column *cols, int n_cols);

/* ---- zones: the cells of a class grid as polygons (zones/zones.c) ---- */

/* Polygons of classes of grid cells with their sums. Feature i is class
 * klass[i]: one MultiPolygon (polys.geom[i]; polys.n == n, the other
 * arrays of polys are not used) made of the outlines of the cells of the
 * class, 4-connected (cells that touch only at a corner are separate
 * parts), valid by GEOSisValid. */
typedef struct rti_zones {
    int64_t n;
    int32_t *klass;
    int64_t *cells;      /* its cells */
    double *pop_persons; /* its population: the populated cells (pop finite
                            and > 0), summed in cell order; 0 without pop */
    double *time_mean_s; /* the population-weighted mean of time_s over
                            them; NaN when its population is 0 or without
                            time_s */
    rti_polygons polys;
} rti_zones;

/* The classes of klass (n cells of the grid, row-major, row 0 at the
 * north): a cell of value c in 0 .. n_classes-1 belongs to class c, a cell
 * of -1 to none; any other value is RT_E_ARG naming the cell. One feature
 * per class that holds a cell, in class order (a class without cells has
 * none). The outlines come from GDALPolygonize (4-connected) on the grid's
 * geotransform, so the vertices are cell corners x0 + col * cell_m,
 * y1 - row * cell_m; the polygons of a class are collected into its
 * MultiPolygon (they never overlap), which is then checked with GEOS and,
 * should it be invalid, repaired (rti_geos_validate; debug log). pop and
 * time_s (n cells each) may be NULL. Progress under stage "write", which
 * can cancel (RT_E_CANCELLED). On error *out is empty. Free with
 * rti_zones_free(). */
rt_status rti_zones_polygonize(rt_ctx *ctx, const rti_grid_spec *grid, const int32_t *klass,
                               int32_t n_classes, const float *pop, const double *time_s,
                               rti_zones *out);

/* The cells within each limit: feature k (of n_limits, in that order) is
 * the cells whose time_s is at most limits_s[k] (NaN and infinite times
 * are within none), with an empty MultiPolygon when there is none; its
 * sums and geometry as for rti_zones_polygonize, klass[k] = k. scratch
 * (n cells, caller-owned) is overwritten: it holds the class grid of each
 * limit in turn. */
rt_status rti_zones_within(rt_ctx *ctx, const rti_grid_spec *grid, const double *time_s,
                           const double *limits_s, int n_limits, const float *pop, int32_t *scratch,
                           rti_zones *out);
void rti_zones_free(rti_zones *z);

/* ---- maps (render.c) ---- */

typedef struct rti_rgba {
    uint8_t r, g, b, a;
} rti_rgba;

/* A north-up map image of width x height pixels of px_m metres whose
 * upper-left corner is (x0, y1) in the analysis CRS. */
typedef struct rti_map_frame {
    double x0, y1, px_m;
    int32_t width, height;
} rti_map_frame;

/* What goes on a map, bottom to top: a class image, polygon outlines and
 * point markers. */
typedef struct rti_map_layers {
    const uint8_t *klass;    /* width*height class indices, row 0 at the north */
    const rti_rgba *palette; /* colour of class k; a class >= n_colours is transparent */
    int n_colours;
    const rti_polygons *borders; /* outlines drawn 1 pixel wide; may be NULL */
    rti_rgba border;
    const double *pt_x, *pt_y; /* marker centres in the analysis CRS; may be NULL */
    int64_t n_pts;
    rti_rgba marker_ring, marker_fill; /* ring of radius 4 px around a disc of radius 2.5 px */
} rti_map_layers;

/* Renders a map through a GDAL MEM dataset (RGBA) into a PNG in memory.
 * The outlines are the polygon rings rasterized as lines, the markers are
 * small octagons rasterized the same way. *png gets the file's bytes
 * (caller frees with free()) and *png_bytes their number. The same input
 * gives the same bytes. RT_E_ARG for a bad frame or missing class image;
 * RT_E_IO when GDAL fails; on error *png is NULL. */
rt_status rti_render_png(rt_ctx *ctx, const rti_map_frame *frame, const rti_map_layers *layers,
                         unsigned char **png, size_t *png_bytes);

/* Calls fn for every ring (outer rings and holes) of polygon i, with its
 * n vertices in the analysis CRS. A non-OK status of fn stops the walk and
 * is returned. */
typedef rt_status (*rti_ring_fn)(const double *x, const double *y, int n, void *user);
rt_status rti_polygon_rings(rt_ctx *ctx, const rti_polygons *p, int64_t i, rti_ring_fn fn,
                            void *user);

/* ---- QGIS styles in a GeoPackage (write.c) ---- */

typedef struct rti_layer_style {
    const char *layer;       /* the GeoPackage layer the style belongs to */
    const char *name;        /* style name shown in QGIS (at most 30 characters) */
    const char *qml;         /* the QGIS style document */
    const char *description; /* may be NULL */
    int is_default;          /* 1: QGIS applies it when the layer is loaded */
} rti_layer_style;

/* Adds the styles to the table layer_styles of the GeoPackage at path
 * (created with the columns QGIS uses when missing), in one transaction.
 * Every style's layer must exist (RT_E_ARG otherwise); its geometry column
 * is looked up. update_time stays NULL, so the file does not depend on the
 * clock. On error the transaction is rolled back. */
rt_status rti_gpkg_write_styles(rt_ctx *ctx, const char *path, const rti_layer_style *styles,
                                int n);

/* ---- files ---- */

/* An input file as run.json and the report list it. */
typedef struct rti_input_file {
    char role[160];          /* "regions.gemeente", "medium.roads" */
    const char *path;        /* borrowed */
    const char *attribution; /* borrowed, NULL = none given */
    /* how it is read, borrowed, NULL = not given: the layer, the attribute
     * filter, the column (a population's count_column, a region layer's
     * id_column); band 0 = not given */
    const char *layer, *where, *column;
    int band;
    uint64_t size_bytes;
    char sha256[65];
    int has_sum; /* size and checksum known (a single readable file) */
    int changed; /* modified after the run started: no checksum of what it read */
} rti_input_file;

/* SHA-256 (hex) and size of a file. hex gets 64 lowercase digits and a
 * terminating NUL; size_bytes may be NULL. Missing file: RT_E_IO. */
rt_status rti_file_sha256(rt_ctx *ctx, const char *path, char hex[65], uint64_t *size_bytes);

/* Base64 (RFC 4648, with padding, no line breaks) of n bytes, as a new
 * NUL-terminated string (caller frees with free()); *len (may be NULL)
 * gets its length. NULL with RT_E_NOMEM set when out of memory. */
char *rti_base64(rt_ctx *ctx, const void *data, size_t n, size_t *len);

/* ---- outputs (outfile.c) ----
 * Outputs are written under a temporary name next to their final place and
 * renamed only when everything succeeded, so an error or a cancel never
 * leaves a half-written file behind. Before an output is registered it is
 * checked: it must not be one of the job's inputs (through links too), and
 * what exists at its place must be a regular file, which the rename then
 * replaces; a folder, a device, a FIFO or a socket is never replaced. */

/* An input no output may replace, known by its file (device and inode). */
typedef struct rti_outset_input {
    uint64_t dev, ino;
    char *what; /* "<role> <path>", for messages */
} rti_outset_input;

typedef struct rti_outset {
    int n, cap;
    char **tmp;               /* temporary paths, written */
    char **final;             /* where they go */
    rti_outset_input *inputs; /* what no output may be (rti_outset_protect) */
    int n_inputs, cap_inputs;
    int manifest_last; /* the last output (run.json) vouches for the others: an earlier
                          file of its name is removed before the first rename */
} rti_outset;

/* Registers an output; returns the temporary path to write to (owned by the
 * set), or NULL with the error set: RT_E_NOMEM, or the refusal of
 * rti_outset_check. */
const char *rti_outset_add(rt_ctx *ctx, rti_outset *set, const char *final_path);
/* Registers the output <dir>/<name>; *tmp (may be NULL) gets the
 * temporary path to write to. */
rt_status rti_outset_add_in(rt_ctx *ctx, rti_outset *set, const char *dir, const char *name,
                            const char **tmp);
/* The final path of the output whose temporary path is tmp (for
 * messages); tmp itself when the set has no such output. */
const char *rti_outset_final(const rti_outset *set, const char *tmp);
/* Protects the files that path reads (rti_path_local_files: the file,
 * followed through links; the files a driver-prefixed string or an
 * archive path names) from every output registered after it: role names
 * it in messages ("facilities file", "input regions.gemeente"). A path
 * that names no local file (missing, in memory, a URL) protects nothing.
 * RT_E_NOMEM only. */
rt_status rti_outset_protect(rt_ctx *ctx, rti_outset *set, const char *path, const char *role);
/* Whether final_path may become an output of the set, before anything is
 * written: RT_E_ARG when it is (or links to) a protected input, or when
 * it or its temporary name is too long (a name over NAME_MAX bytes, a path
 * of PATH_MAX bytes or more); RT_E_IO when something other than a regular
 * file exists there (a folder, a device, a FIFO, a socket, or a link to
 * one). A missing path, a regular file and a link to nothing are fine. */
rt_status rti_outset_check(rt_ctx *ctx, const rti_outset *set, const char *final_path);
/* The temporary path of the registered output whose file name is `name`,
 * or NULL when there is none. */
const char *rti_outset_find(const rti_outset *set, const char *name);
/* Flushes every temporary file to the disk, renames each into place and
 * flushes their folders (a folder that cannot be flushed is a warning);
 * a failed flush or rename removes the files not yet in place. With
 * manifest_last, an earlier file under the last output's name goes (and
 * its folder is flushed) before the first rename: a commit cut short
 * leaves no manifest that describes a folder of mixed runs. */
rt_status rti_outset_commit(rt_ctx *ctx, rti_outset *set);
/* Removes every temporary file (after an error) and frees the set. */
void rti_outset_abort(rti_outset *set);
void rti_outset_free(rti_outset *set);
/* The end of a job that wrote the set: commits it when st is RT_OK, else
 * (or when the commit fails) removes the temporary files; frees the set
 * either way and returns the job's final status. */
/* After a failed job: when st is RT_E_IO and the disk of the outputs has
 * less than 1 MiB free, adds "(the disk that holds DIR is full)" to the
 * message (GDAL and SQLite often report what failed next, such as "no such
 * table", not that the disk was full); then removes every temporary file
 * and frees the set, as rti_outset_abort. */
void rti_outset_fail(rt_ctx *ctx, rti_outset *set, rt_status st);
rt_status rti_outset_end(rt_ctx *ctx, rti_outset *set, rt_status st);

#endif
