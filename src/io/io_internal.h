#ifndef RT_IO_INTERNAL_H
#define RT_IO_INTERNAL_H
/* Helpers shared by the source files of the io layer. Only the io sources
 * include this header; it is the one place where GDAL types meet ours. */
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "core/ctx_internal.h"
#include "io/io.h"

#define RTI_GDAL_MSG_BYTES 1024

/* Routes GDAL/OGR/PROJ messages of the calling thread into a context while
 * an io call runs. Failures are collected into msg (several are joined with
 * "; "), warnings go to the context log prefixed with `what`. */
typedef struct rti_gdal_err {
    rt_ctx *ctx;
    const char *what; /* prefix for logged warnings (a file name), may be NULL */
    int n_fail;       /* CE_Failure/CE_Fatal messages seen */
    char msg[RTI_GDAL_MSG_BYTES];
    /* while a remote source is read: the HTTP options set on this thread
     * (rti_input_open()), unset again by rti_gdal_pop() */
    int remote;
    unsigned http_set; /* bit i: option i of paths.c's list was set here */
    char note[192];    /* the timeouts in force, for messages */
} rti_gdal_err;

/* Pushes the handler on GDAL's thread-local handler stack; every push must
 * be matched by rti_gdal_pop() on every path. */
void rti_gdal_push(rti_gdal_err *e, rt_ctx *ctx, const char *what);
void rti_gdal_pop(rti_gdal_err *e);
/* The collected failure text, or "no further detail" when there is none. */
const char *rti_gdal_msg(const rti_gdal_err *e);
/* Forgets collected failures (before a call whose failure is checked). */
void rti_gdal_clear(rti_gdal_err *e);
/* Registers reistijd's VRT pixel function with GDAL (raster.c), once, when
 * the drivers are registered (rti_io_init). */
void rti_raster_register(void);

/* Checks an input path (rti_input_check()) before it is opened; for a
 * remote source, also sets the HTTP timeouts on the calling thread until
 * rti_gdal_pop(e). */
rt_status rti_input_open(rt_ctx *ctx, rti_gdal_err *e, const char *path, int allow_remote);
/* "; a remote source: ..." naming the timeouts when e reads a remote
 * source, else "": appended to the messages of failed opens and reads. */
const char *rti_remote_note(const rti_gdal_err *e);
/* Replaces every `hide` in the context's message (after an error st) by
 * `show`, so that no internal name (an in-memory file, a temporary output)
 * reaches the user; returns st. */
rt_status rti_error_rename(rt_ctx *ctx, rt_status st, const char *hide, const char *show);
/* path with the marks of a temporary output (outfile.c writes
 * <dir>/.tmp-<pid>-<name>) taken out, into buf: the name a message shows. */
const char *rti_output_shown(const char *path, char *buf, size_t n);
/* rti_error_rename() of the temporary-output marks: after a failed write to
 * a temporary output, the message names the final one. */
rt_status rti_error_final_names(rt_ctx *ctx, rt_status st);
/* Unsets the HTTP options rti_input_open() set (called by rti_gdal_pop()). */
void rti_remote_end(rti_gdal_err *e);
/* 1 when path ends in .csv or .tsv (GDAL's CSV driver). */
int rti_is_csv_path(const char *path);

/* Parses a user CRS definition (EPSG:28992, WKT, PROJ string) into a new
 * SRS with traditional GIS axis order (x = easting/longitude). RT_E_CRS on
 * failure; `what` names the setting in the message. Release with
 * OSRRelease(): geometries may hold references to it. */
rt_status rti_srs_from_user(rt_ctx *ctx, rti_gdal_err *e, const char *crs, const char *what,
                            OGRSpatialReferenceH *out);
/* RT_E_CRS when srs is geocentric, or not geocentric but carries the code
 * of a geocentric CRS (which PROJ 9.1 crashes on); `what` names the
 * source. rti_srs_from_user() checks its result. */
rt_status rti_srs_check(rt_ctx *ctx, OGRSpatialReferenceH srs, const char *what);

/* Wraps caller memory as a one-band MEM dataset of nx x ny cells of type
 * `type` with the grid's geotransform (no copy; the memory must outlive the
 * dataset). */
rt_status rti_mem_dataset(rt_ctx *ctx, rti_gdal_err *e, const rti_grid_spec *grid,
                          GDALDataType type, void *data, GDALDatasetH *out);

/* Checks the grid fields (positive size and cell, finite origin). */
rt_status rti_grid_check(rt_ctx *ctx, const rti_grid_spec *grid);

/* ---- polygon validity with GEOS (polygon.c) ---- */

/* A GEOS context for the calls of one thread, with its WKB reader and
 * writer; GEOS's errors are kept for the messages, its notices go to the
 * log (debug). */
typedef struct rti_geos rti_geos;
rt_status rti_geos_open(rt_ctx *ctx, rti_geos **out);
void rti_geos_close(rti_geos *gs); /* accepts NULL */
/* Checks the (Multi)Polygon *g with GEOSisValid. A valid one is kept and
 * reason gets "". An invalid one gets GEOS's reason in reason and, with
 * repair, is replaced by the polygonal part of GEOSMakeValid's result;
 * without repair, or when the repair leaves no polygon, it is RT_E_DATA
 * naming `where`. */
rt_status rti_geos_validate(rt_ctx *ctx, rti_geos *gs, OGRGeometryH *g, const char *where,
                            int repair, char *reason, size_t reason_size);

/* ---- vector layer reading ---- */

/* An open vector layer with its transformation to the analysis CRS. */
typedef struct rti_vlayer {
    const char *path;
    GDALDatasetH ds;
    OGRLayerH lyr;
    char name[256]; /* layer name, for messages */
    const char *where;
    OGRSpatialReferenceH dst_srs;    /* analysis CRS */
    OGRCoordinateTransformationH ct; /* NULL when the layer is already in it */
    int64_t n_nogeom;                /* features skipped for having no geometry */
    int csv_xy;                      /* a CSV file with x_column/y_column: rows make the points */
    int csv_typed;    /* a CSV file whose number columns GDAL typed, each with a copy as written */
    char vsimem[320]; /* in-memory copy GDAL reads instead, "" if none */
} rti_vlayer;

/* Opens ref (layer by name or the first), applies the attribute filter and
 * prepares the transformation to crs (crs NULL: a table read for its
 * attributes only, no transformation). On error everything is closed. */
rt_status rti_vlayer_open(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref, const char *crs,
                          rti_vlayer *v);
/* As rti_vlayer_open() with up to 4 driver open options ("KEY=VALUE",
 * NULL-terminated; NULL: none). */
rt_status rti_vlayer_open_opts(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref,
                               const char *crs, const char *const *open_options, rti_vlayer *v);
void rti_vlayer_close(rti_vlayer *v);
/* Sets the layer's attribute filter to where (NULL: none) and reads one
 * feature, so that a filter the driver refuses only when reading (SQLite)
 * is refused here: RT_E_DATA with the reason and, for a column the layer
 * lacks, the nearest one. */
rt_status rti_vlayer_filter(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, const char *where);
/* 1 when path names an OpenStreetMap file (.osm, .pbf, .osm.pbf), which
 * GDAL's OSM driver reads. */
int rti_is_osm_path(const char *path);
/* Index of column `col` in the layer; col == NULL gives -1. Missing: RT_E_DATA
 * naming the column and listing those that exist. */
rt_status rti_vlayer_column(rt_ctx *ctx, const rti_vlayer *v, const char *col, int *idx);
/* The same for a column read as text (ids, names): in a CSV file whose
 * numbers GDAL typed, the copy of the column as written when it was typed,
 * so that leading zeros stay. */
rt_status rti_vlayer_text_column(rt_ctx *ctx, const rti_vlayer *v, const char *col, int *idx);
/* 1 when column i of defn, a layer of a CSV file whose numbers GDAL typed
 * (copies != 0), is the copy of a typed column as written (<name>_original
 * beside <name>): left out of the columns a message lists. */
int rti_column_is_source_copy(OGRFeatureDefnH defn, int copies, int i);
/* RT_E_DATA for column `col` missing from the layer (what NULL: "no
 * column 'col'", with the nearest column as "did you mean"), listing the
 * first columns there are, or the empty layer when the layer has neither
 * features nor columns (a GeoJSON file). */
rt_status rti_missing_column(rt_ctx *ctx, const rti_vlayer *v, const char *col, const char *what);
/* The names of the layer's first 12 columns, then " and N more" (or
 * "none"), into buf: a list short enough for a message. */
void rti_column_list(OGRFeatureDefnH defn, int copies, char *buf, size_t size);
/* The column whose name is nearest to the misspelt `col` (rti_suggest()),
 * or NULL (also when out of memory: a message set in ctx is replaced by
 * the caller's). Valid while the layer is open. */
const char *rti_column_suggest(rt_ctx *ctx, OGRFeatureDefnH defn, int copies, const char *col);
/* 1 when a number read from a column is finite and within +-FLT_MAX (grids,
 * lengths and speeds are held as 32-bit floats); else the rule broken, for
 * messages. */
int rti_number_in_range(double d);
const char *rti_number_range_rule(double d);
/* The farthest a vertex may lie from the origin of the analysis CRS (in
 * metres): beyond any projected CRS of the Earth, whose widest (Mercator's
 * +-2e7 m, false eastings and northings of some 1e7 m) stay within 1e8.
 * Beyond it GEOS's overlays lose precision and the grid keys of road nodes
 * overflow. */
#define RTI_MAX_COORD_M 1e9
/* RT_E_DATA naming the feature and the first vertex of g that is not
 * finite or, when g is in the analysis CRS (transformed to it, or v has no
 * transformation), lies beyond RTI_MAX_COORD_M, after destroying g; RT_OK
 * (g kept) when all are fine. */
rt_status rti_check_vertices(rt_ctx *ctx, const rti_vlayer *v, OGRGeometryH g, const char *label,
                             int transformed);
/* For messages about features without a geometry: why a CSV row read for
 * points has none, or "" for other layers. */
const char *rti_csv_xy_note(const rti_vlayer *v);
/* "Point", "LineString", "MultiPolygon", ... for messages. */
const char *rti_geometry_type_name(OGRwkbGeometryType t);
/* 1 when field idx of f is null, unset, or text of white space only (an
 * id that names nothing). */
int rti_field_blank(OGRFeatureH f, int idx);
/* "feature 12" or "feature 12 (id 'GM0599')" into buf. */
const char *rti_feature_label(char *buf, size_t n, int64_t fid, const char *id);
/* Reads a numeric attribute: numeric fields as they are, text parsed as a
 * number (empty text or a null field gives NaN). Non-numeric text, a
 * non-numeric field type, or a value that is not finite or lies beyond
 * +-FLT_MAX (rti_number_in_range()): RT_E_DATA naming the feature. */
rt_status rti_field_number(rt_ctx *ctx, const rti_vlayer *v, OGRFeatureH f, int idx,
                           const char *label, double *out);
/* Takes the feature's geometry as a linear 2D geometry in the analysis
 * CRS, owned by the caller (*out = NULL for a missing or empty one).
 * Transformation failures: RT_E_CRS naming the feature; a vertex that is
 * not finite, before or after the transformation: RT_E_DATA naming it. */
rt_status rti_feature_geometry(rt_ctx *ctx, rti_gdal_err *e, const rti_vlayer *v, OGRFeatureH f,
                               const char *label, OGRGeometryH *out);
/* Records n in v->n_nogeom and logs the one summarizing warning for
 * features without a geometry (nothing when n == 0). */
void rti_warn_no_geometry(rt_ctx *ctx, rti_vlayer *v, int64_t n, int64_t first_fid);

/* Called for every feature with a geometry; *g (in the analysis CRS) may be
 * adopted by setting it to NULL, else it is destroyed after the call. */
typedef rt_status (*rti_feature_fn)(rt_ctx *ctx, rti_vlayer *v, OGRFeatureH f, OGRGeometryH *g,
                                    const char *label, void *user);

/* Reads every feature of the layer (from the start) and hands those with a
 * geometry to fn. Features without one are counted and reported once; a read
 * error GDAL reports during the loop becomes RT_E_IO. */
rt_status rti_each_feature(rt_ctx *ctx, rti_gdal_err *e, rti_vlayer *v, rti_feature_fn fn,
                           void *user);

/* Grows *field to cap elements of size bytes (realloc semantics). */
rt_status rti_grow_field(rt_ctx *ctx, void **field, int64_t cap, size_t size, const char *what);
/* Frees n strings and the array. */
void rti_free_texts(char **texts, int64_t n);
/* RT_E_DATA: the layer has no (usable) features after the filter. */
rt_status rti_empty_layer_error(rt_ctx *ctx, const rti_vlayer *v);

#endif
