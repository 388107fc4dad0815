#ifndef RT_STUDY_SPEC_H
#define RT_STUDY_SPEC_H
/* The one header of spec/: the parsed study file and the speed profiles,
 * as the other folders of the study layer use them, then (last section)
 * what only the files of spec/ share: the YAML reader and the study
 * file's sections.
 *
 * The parsed study file is filled by study_file.c and the files of its
 * sections, and consumed by run/. All strings are heap-allocated and owned
 * by the struct; NULL = not given. Paths are already resolved relative to
 * the study file's folder. Every element remembers where in the file it
 * was written (line, column) so that later errors (a missing column, say)
 * can point at the key. */
#include <stddef.h>
#include <stdint.h>

#include "core/ctx_internal.h"
#include "core/measure/measure.h"
#include "io/io.h"
#include "reistijd/rt_stats.h"
#include "reistijd/rt_study.h"

typedef struct rti_where {
    int line; /* 1-based; 0 = not from the file (a default) */
    int column;
} rti_where;

/* A data source: an OGR vector layer or a GDAL raster. */
typedef struct rti_source {
    char *path;     /* required */
    char *layer;    /* vector: layer name, NULL = the first layer */
    char *where;    /* vector: OGR attribute filter (SQL WHERE), optional */
    char *crs;      /* CRS to assume when the file has none ("EPSG:4326") */
    char *x_column; /* CSV points: column names of the coordinates */
    char *y_column;
    int band;          /* raster: 1-based band, default 1 */
    char *attribution; /* credit line for the report's maps, NULL = the file name */
    rti_where at;      /* position of the `source` (or `path`) key */
} rti_source;

typedef enum rti_medium_kind {
    RTI_MEDIUM_FRICTION = 0,    /* raster, seconds per metre */
    RTI_MEDIUM_SPEED = 1,       /* raster, km/h */
    RTI_MEDIUM_SPEED_MODEL = 2, /* off-road speed + road lines burned in */
    RTI_MEDIUM_NETWORK = 3,     /* a road network searched as a graph, access legs to it */
    RTI_MEDIUM_HYBRID = 4       /* a network, and a grid medium (offroad) over land */
} rti_medium_kind;

/* Travel modes of a network medium (index of "car", "bike", "walk"). */
enum { RTI_NET_CAR = 0, RTI_NET_BIKE = 1, RTI_NET_WALK = 2 };

typedef struct rti_road_class {
    char *name; /* value of class_column */
    double speed_kmh;
} rti_road_class;

typedef struct rti_medium {
    rti_medium_kind kind;
    rti_source raster; /* FRICTION / SPEED */
    char *resampling;  /* "near" (default), "bilinear", "average" ... */
    /* SPEED_MODEL */
    double offroad_kmh; /* speed on land off the roads */
    int has_land;
    rti_source land; /* optional polygons: passable area; else all */
    int has_roads;
    rti_source roads;   /* optional line layer */
    char *speed_column; /* numeric km/h per road, or ... */
    char *class_column; /* ... a class column mapped through classes */
    rti_road_class *classes;
    int n_classes;
    double default_road_kmh; /* class not in the map; NaN = skip the road */
    char *description;       /* free text: what the speeds stand for */
    /* NETWORK: roads (above) read as road_format (rti_road_format); LINES
     * also use speed_column (above), time_column, oneway_column and
     * snap_tolerance_m (NaN = the reader's default) */
    int road_format;
    char *time_column;
    char *oneway_column;
    double snap_tolerance_m;
    int mode;               /* RTI_NET_*, -1 = the profile's own */
    char *profile;          /* profile file, NULL = <profiles>/<mode>.yaml */
    rti_road_class *speeds; /* overrides: class -> km/h, 0 = not used */
    int n_speeds;
    double access_kmh;          /* speed of the leg to and from the road, default 5 */
    double access_max_m;        /* longest leg, default 500 (hybrid: the cell size) */
    struct rti_medium *offroad; /* HYBRID: the grid medium over land (friction, speed
                                   or speed_model) */
    rti_where at;
} rti_medium;

/* "friction", "speed", "speed_model", "network" or "hybrid". */
const char *rti_medium_kind_name(rti_medium_kind k);
/* A medium searched over the road graph (network or hybrid). */
int rti_medium_has_roads_graph(const rti_medium *m);
/* A medium that computes route lengths (length grids, norms in km): all
 * but hybrid. */
int rti_medium_has_route_lengths(const rti_medium *m);

/* At most this many class breaks per unit (classes.minutes, classes.km):
 * with the open class above the last break, 16 classes. */
#define RTI_MAX_CLASS_BREAKS 15

/* One entry of a facility type's measures: (measures_spec.c). */
typedef struct rti_measure_def {
    char *name;    /* in output names: <type>_<name>.tif, <name>_mean */
    rti_measure m; /* cutoff in s (m as the crow flies), decay of minutes (km) */
    int crowfly;   /* counts as the crow flies from the facility's point */
    int route;     /* within route_km: the shortest route by length on the medium */
    rti_where at;
} rti_measure_def;

typedef struct rti_facility_type {
    char *type;  /* voorziening type key, e.g. "ziekenhuis" */
    char *label; /* display name, default = type */
    rti_source src;
    char *id_column; /* NULL: use the feature id */
    char *name_column;
    char *capacity_column;
    rt_norm norms[RT_STATS_MAX_NORMS];
    int n_norms;
    /* classes: the class breaks of its maps, strictly increasing, in
     * minutes and in km; none (0) = the default (docs/outputs.md) */
    double class_min[RTI_MAX_CLASS_BREAKS];
    int n_class_min;
    double class_km[RTI_MAX_CLASS_BREAKS];
    int n_class_km;
    rti_where at;
    rti_measure_def *measures; /* measures:, in the order written; NULL = none */
    int n_measures;
} rti_facility_type;

/* The limits of f's norms in minutes, in seconds, largest first, into
 * limits_s (RT_STATS_MAX_NORMS of them); returns how many. They are the
 * features of the layer isochrones_<type> of reistijd.gpkg, which a type
 * with outputs.isochrones and at least one such norm has (docs/outputs.md). */
int rti_isochrone_limits(const rti_facility_type *f, double *limits_s);

typedef enum rti_pop_kind {
    RTI_POP_RASTER = 0,   /* persons per cell of any raster (summed) */
    RTI_POP_GRID = 1,     /* polygon grid with a count column (CBS vierkant) */
    RTI_POP_POLYGONS = 2, /* any polygons with a count, spread by area */
    RTI_POP_POINTS = 3    /* points with a count (or 1 each) */
} rti_pop_kind;

typedef struct rti_population {
    rti_pop_kind kind;
    rti_source src;
    char *count_column; /* required except for RASTER; POINTS: NULL = 1 each */
    rti_where at;
} rti_population;

/* The most bytes of a label (of a facility type, a region layer, a
 * scenario): the report's titles and captions hold one whole. */
#define RTI_LABEL_MAX_BYTES 100

typedef struct rti_region_layer {
    char *name;  /* e.g. "gemeente" (used in output names) */
    char *label; /* the report's word for one region, default the name */
    rti_source src;
    char *id_column;   /* required, kept as text (GM0599) */
    char *name_column; /* optional */
    rti_where at;
} rti_region_layer;

/* A change of a scenario (docs/study-file.md, "scenarios"): facilities of
 * one type closed by id or by a filter, or added from a layer of points;
 * or, for every type, the grid over land patched by polygons or people
 * added to (or removed from) the population. */
typedef enum rti_change_kind {
    RTI_CHANGE_CLOSE = 0,        /* close: [ids] */
    RTI_CHANGE_CLOSE_WHERE = 1,  /* close_where: "<filter>" */
    RTI_CHANGE_ADD = 2,          /* add: <source> */
    RTI_CHANGE_PATCH = 3,        /* patch: <polygons>, speed_kmh or impassable */
    RTI_CHANGE_POPULATION = 4,   /* population: <points or polygons>, count_column */
    RTI_CHANGE_ROADS = 5,        /* roads: <lines>, speed_kmh or speed_column */
    RTI_CHANGE_MODIFY_ROADS = 6, /* modify_roads: {where, within}, speed_kmh, factor or closed */
    RTI_CHANGE_CAPACITY = 7      /* capacity: {id: new capacity, ...} */
} rti_change_kind;

typedef struct rti_change {
    rti_change_kind kind;
    char *type_name; /* facilities: the type, written at type_at; NULL for a patch */
    rti_where type_at;
    int type;         /* its index in rt_study.facilities; -1 for a patch */
    char **ids;       /* CLOSE, CAPACITY: n_ids ids, each written at id_at[i] */
    double *capacity; /* CAPACITY: the new capacity of ids[i] */
    rti_where *id_at;
    int n_ids;
    char *where;        /* CLOSE_WHERE: an OGR attribute filter */
    rti_source add;     /* ADD: points read as the type's source is */
    rti_source patch;   /* PATCH: polygons, the cells whose centre is inside; ROADS: lines */
    double speed_kmh;   /* PATCH: the cells' new speed (RTI_RANGE_SPEED), NaN = impassable;
                           ROADS: the roads' speed, NaN = speed_column */
    char *speed_column; /* ROADS: km/h per feature */
    rti_source people;  /* POPULATION: points, or polygons spread over their cells */
    int people_polygons;
    char *count_column; /* POPULATION: persons added (< 0: removed) per feature */
    int no_access;      /* ROADS (road graph): no cell or facility joins along the road */
    double connect_m;   /* ROADS (road graph): how far an end may lie from a road to join it */
    int connect_given;  /* connect_m was in the study file */
    char *road_where;   /* MODIFY_ROADS: a filter on medium.roads, or NULL; */
    rti_source within;  /* and/or polygons (path NULL: none): roads whose middle lies inside */
    double factor;      /* MODIFY_ROADS: times divided by it (speeds times it), or NaN */
    int closed;         /* MODIFY_ROADS: the roads are closed */
    rti_where at;       /* the change (list entry) */
    rti_where kind_at;  /* its close, close_where, add or patch key */
} rti_change;

typedef struct rti_scenario {
    char *name;  /* a name as for types: the folder scenarios/<name> */
    char *label; /* default = name */
    char *description;
    double compare_threshold_s; /* better or worse off: a change of more than this; 60 */
    rti_change *changes;
    int n_changes;
    int n_patches; /* changes of kind PATCH, ROADS or MODIFY_ROADS (of the medium): every type
                      searched again */
    int n_graph;   /* ROADS and MODIFY_ROADS on a road graph (network, hybrid): its roads
                      rebuilt */
    int n_people;  /* changes of kind POPULATION: it weighs every type's cells anew */
    rti_where at;
} rti_scenario;

/* The name of change kind k: "close", "close_where", "add", "patch",
 * "population", "roads", "modify_roads" or "capacity". */
const char *rti_change_kind_name(rti_change_kind k);

typedef struct rti_outputs {
    int grids;      /* GeoTIFFs per type, default 1 */
    int second;     /* second-nearest facility grids, default 1 */
    int length;     /* route length grid, default 1 */
    int geopackage; /* default 1 */
    int csv;        /* default 1 */
    int report;     /* report.html, default 1 */
    int closures;   /* the N-1 table <type>_closures.csv, default 0 */
    int isochrones; /* layers isochrones_<type> in reistijd.gpkg, default geopackage */
    int catchments; /* layers catchments_<type> in reistijd.gpkg, default geopackage */
} rti_outputs;

/* The languages of report.html (report.language). */
typedef enum rti_language { RTI_LANG_EN = 0, RTI_LANG_NL = 1, RTI_N_LANGS = 2 } rti_language;

/* The section report: of the study file: how report.html is written. */
typedef struct rti_report_options {
    rti_language language; /* default RTI_LANG_EN */
} rti_report_options;

struct rt_study {
    char *path;    /* the study file */
    char *dir;     /* its folder */
    char *name;    /* study.name, default: file name without .yaml */
    char *crs;     /* default "EPSG:28992" */
    double cell_m; /* required, > 0 */
    int has_extent;
    double extent[4];            /* xmin ymin xmax ymax in the analysis CRS */
    double buffer_m;             /* around the regions' bbox; default 5000 */
    double snap_radius_m;        /* default 2 x cell size */
    int neighbours;              /* 8 or 16, default 16 */
    uint64_t memory_limit_bytes; /* 0 = default budget */
    char *invalid_polygons;      /* "repair" (default) or "error" */
    char *attribution;           /* credit line for all inputs, NULL = per source */
    rti_medium medium;
    rti_facility_type *facilities;
    int n_facilities;
    int has_population;
    rti_population population;
    rti_region_layer *regions;
    int n_regions;
    rti_outputs outputs;
    rti_report_options report;
    char *summary;           /* text of the last run, set by run/ */
    char *summary_json;      /* the same as JSON, when the run asked for it */
    int allow_remote;        /* study.allow_remote: remote sources (/vsicurl/, URLs) may be
                                read; default 0 */
    rti_scenario *scenarios; /* scenarios:, in the order written; NULL = none */
    int n_scenarios;
};

/* Whether a facility at (x, y) lies outside the study extent (grid g) as
 * the media count it: a grid or hybrid medium snaps it onto the grid from
 * up to snap_radius_m beyond (medium/snap.c), a network medium takes only
 * those in a cell of the grid (medium/network.c). */
static inline int rti_study_start_outside(const rt_study *s, const rti_grid_spec *g, double x,
                                          double y)
{
    return s->medium.kind == RTI_MEDIUM_NETWORK ? rti_grid_cell_at(g, x, y) < 0
                                                : rti_grid_beyond(g, x, y, s->snap_radius_m);
}

/* study_file.c, load.c
 * rti_study_parse_file - reads and checks the study file at path into
 * *study, which is overwritten (not freed) first. On error (RT_E_PARSE,
 * RT_E_IO, RT_E_NOMEM; the message names FILE:LINE:COLUMN and the key)
 * *study is left zeroed. study->path is made absolute.
 * rti_study_clear - frees everything *study owns and zeroes it; safe on a
 * zeroed struct. */
rt_status rti_study_parse_file(rt_ctx *ctx, const char *path, rt_study *study);
void rti_study_clear(rt_study *study);

/* ---- speed profiles (profile.c) ----
 * Per travel mode, the speed on each road class and whether the mode uses
 * it, read from a versioned YAML file (geodata/profiles/car.yaml,
 * bike.yaml, walk.yaml; format in docs/networks.md). */
#define RTI_PROFILE_VERSION 1
#define RTI_PROFILE_MAX_CLASSES 32

typedef struct rti_profile {
    char *path;         /* the file read, for messages (owned) */
    int version;        /* RTI_PROFILE_VERSION */
    int mode;           /* RTI_MODE_CAR, RTI_MODE_BIKE or RTI_MODE_WALK */
    int use_maxspeed;   /* cap class speeds by the road's maxspeed */
    double default_kmh; /* roads a tag opens to the mode (bicycle=yes on a footway) whose
                           class the mode does not use; NaN: such roads stay closed */
    /* by index of rti_road_class_names(): km/h, or NaN when the mode does not use the class */
    double class_kmh[RTI_PROFILE_MAX_CLASSES];
    /* by the same index: 1 for a class no cell or facility joins along its
     * length (no_access: motorways, entered at their junctions) */
    unsigned char no_access[RTI_PROFILE_MAX_CLASSES];
    int n_classes;
} rti_profile;

/* rti_profile_load - reads a profile file. Errors are RT_E_PARSE as
 * "FILE:LINE:COLUMN: key 'classes.motorway': what" (an unknown class names
 * the known classes; a missing class, a speed <= 0 or not a number, a
 * wrong version or mode are errors), RT_E_IO for a file that cannot be
 * read. Every class of rti_road_class_names() but "line" must be listed.
 * On error *out is zeroed. Free with rti_profile_free(). */
rt_status rti_profile_load(rt_ctx *ctx, const char *path, rti_profile *out);
void rti_profile_free(rti_profile *p);

/* Sets the speed of one class: kmh > 0 (the mode uses the class), or 0
 * (it does not). Unknown class: RT_E_ARG naming the known classes; a
 * negative or non-finite speed: RT_E_ARG. */
rt_status rti_profile_override(rt_ctx *ctx, rti_profile *p, const char *cls, double kmh);

/* The file `name` in the first profile folder that has it ($REISTIJD_PROFILES,
 * the installed one, the source tree's geodata/profiles), owned by the
 * caller; NULL when none has it (*st RT_OK) or out of memory (*st set). */
char *rti_find_profile_file(rt_ctx *ctx, const char *name, rt_status *st);
/* The profile folders in the order they are searched; returns how many
 * (at most 3). */
int rti_profile_dirs(const char *dirs[3]);

/* Adds "study.yaml:line:col: <key>" in front of the message of an error
 * about the input named at w (not for RT_E_NOMEM and RT_E_CANCELLED, whose
 * messages stand alone); returns st. */
rt_status rti_study_at(rt_ctx *ctx, rt_status st, const rt_study *s, rti_where w, const char *key);

/* 1 when word (may be NULL: 0) is one of the NULL-terminated words. */
int rti_word_in(const char *word, const char *const *words);
/* The words a YAML file may write for no / yes (what YAML 1.1 readers
 * take as booleans, in the three usual spellings). */
extern const char *const rti_no_words[];
extern const char *const rti_yes_words[];

/* The version of the YAML library (libfyaml) the study file is read with. */
const char *rti_yaml_version(void);

/* The grids a run writes per facility type (outputs.grids; the second
 * nearest with outputs.second, the length with outputs.length). */
enum { RTI_GRID_TIME, RTI_GRID_FACILITY, RTI_GRID_TIME2, RTI_GRID_FACILITY2, RTI_GRID_LENGTH };
/* "time_min", "facility", ... of grid g (RTI_GRID_*), as in <type>_<suffix>.tif */
const char *rti_grid_suffix(int g);
/* The file of output `what` of facility type `type`: <type>_<what>.<ext>
 * (grids: `what` is rti_grid_suffix; measures: the measure's name; their
 * QGIS styles: ext "qml"). */
void rti_type_file(const char *type, const char *what, const char *ext, char *buf, size_t n);
/* The names of the delta outputs of a type (in a scenario's folder, or in
 * the output folder of reistijd compare), in the
 * order of rti_write_delta_outputs' paths: "<type>_delta_min.tif", ".qml",
 * "<type>_reach_change.tif", ".qml" (k = 0 .. 3) into buf. */
void rti_delta_output_name(const char *type, int k, char *buf, size_t n);
/* The table of region layer `region`, "<region>.csv", or its comparison
 * (compare != 0; in a scenario's folder or in the output folder of
 * reistijd compare) "<region>_compare.csv"; with csvt != 0 the file of its
 * column types (".csvt"), into buf. */
void rti_region_table_name(const char *region, int compare, int csvt, char *buf, size_t n);
/* The folder of scenario `name` in the output folder, scenarios/<name>, or
 * with a file its path there, scenarios/<name>/<file>. */
void rti_scenario_file(const char *name, const char *file, char *buf, size_t n);
/* The file of the N-1 table of facility type t (outputs.closures):
 * <type>_closures.<ext>, or for region layer r >= 0
 * <type>_closures_<region>.<ext>. */
void rti_closures_file(const rt_study *s, int t, int r, const char *ext, char *buf, size_t n);

/* ================================================================ */
/* For the files of spec/ only (RTI_SPEC_INTERNAL, set by rt_spec)  */
/* ================================================================ */
#ifdef RTI_SPEC_INTERNAL
/* The YAML reader (yaml.c, yaml_get.c) that the study file and the
 * speed profiles are read with. Errors read
 * "FILE:LINE:COLUMN: key 'a.b[2].c': what" (the key part left out at the
 * top of the file), with the position of the key or value at fault. Every
 * string it returns is allocated with rti_malloc_array. */
struct fy_diag;
struct fy_document;
struct fy_node;
struct fy_parser;

#define RTI_YAML_KEY_BYTES 256 /* longest key path kept for messages */
#define RTI_YAML_SHOW_CHARS 60 /* longest value quoted in a message */

/* Budgets of a YAML file (yaml_input.c), far beyond any study file or
 * speed profile (docs/study-file.md, "Limits"). */
#define RTI_YAML_MAX_BYTES 1048576 /* the file's size */
#define RTI_YAML_MAX_TOKENS 100000 /* tokens the text can hold at most */
#define RTI_YAML_MAX_DEPTH 64      /* lists and mappings nested */
#define RTI_YAML_MAX_NODES 100000  /* nodes, aliases expanded */
#define RTI_YAML_MAX_ALIASES 1000  /* *name */
#define RTI_YAML_MAX_ANCHORS 1000  /* &name */

#define RTI_TRY(expr)                                                                              \
    do {                                                                                           \
        rt_status try_st_ = (expr);                                                                \
        if (try_st_ != RT_OK)                                                                      \
            return try_st_;                                                                        \
    } while (0)

/* Reader state: the context, the file for messages and the path of the
 * key being read ("facilities[1].norms.minutes"). */
typedef struct rti_yaml {
    rt_ctx *ctx;
    const char *file;           /* as given by the caller */
    const char *dir;            /* the file's folder, for relative paths */
    const char *no_document;    /* message for a file without a YAML document */
    const char *more_documents; /* message for a second document; NULL: the rest of
                                   the file is only checked for syntax errors */
    int lenient;                /* speed-profile rules, see rti_yaml_check_keys and
                                   rti_yaml_class_speeds */
    char key[RTI_YAML_KEY_BYTES];
    size_t key_len;
} rti_yaml;

/* A mapping being read and where it was introduced (the position of its
 * key, or of its first entry for list items and the root). */
typedef struct rti_yaml_map {
    struct fy_node *map;
    rti_where at;
} rti_yaml_map;

/* The value of one key of a mapping. */
typedef struct rti_yaml_item {
    struct fy_node *val;
    rti_where at; /* position of the key */
    int present;
} rti_yaml_item;

/* A parsed YAML document and what it was parsed with. */
typedef struct rti_yaml_doc {
    struct fy_diag *diag;
    struct fy_parser *parser;
    struct fy_document *doc;
} rti_yaml_doc;

/* rti_yaml_read_file - reads the file y->file (`what`: "study file",
 * "speed profile") into *buf (NUL-terminated, *len bytes; free it). Only
 * a regular file of at most RTI_YAML_MAX_BYTES is opened, checked before
 * the open: anything else is RT_E_IO naming what it is ("is a named pipe
 * (FIFO), not a regular file"), a larger file RT_E_PARSE. The text must be
 * UTF-8 without NUL bytes, and no line may start with a YAML directive
 * ('%'): RT_E_PARSE at the line. */
rt_status rti_yaml_read_file(rti_yaml *y, const char *what, char **buf, size_t *len);
/* rti_yaml_bounds - RT_E_PARSE, at the place it is crossed, when the text
 * of buf may hold more than RTI_YAML_MAX_TOKENS tokens, or its documents
 * nest lists and mappings more than RTI_YAML_MAX_DEPTH deep, hold more
 * than RTI_YAML_MAX_NODES nodes (aliases expanded), RTI_YAML_MAX_ALIASES
 * aliases or RTI_YAML_MAX_ANCHORS anchors. Counted before any document is
 * built, in memory that does not grow with the file; syntax errors are
 * left to rti_yaml_load. */
rt_status rti_yaml_bounds(rti_yaml *y, const char *buf, size_t len);
/* A parser of buf (resolve: aliases resolved in the documents it builds)
 * whose diagnostics *diag collects and never prints. Destroy both (NULL
 * is fine), also after an error (RT_E_NOMEM). */
rt_status rti_yaml_parser(rti_yaml *y, const char *buf, size_t len, int resolve,
                          struct fy_diag **diag, struct fy_parser **parser);
/* rti_yaml_load - checks rti_yaml_bounds, then parses the first YAML
 * document of buf (len bytes). RT_E_PARSE for the first syntax error
 * libfyaml reports, for no document (y->no_document) and for a second
 * document (y->more_documents). Free d with rti_yaml_doc_free(), also
 * after an error. */
rt_status rti_yaml_load(rti_yaml *y, const char *buf, size_t len, rti_yaml_doc *d);
struct fy_node *rti_yaml_root(const rti_yaml_doc *d);
void rti_yaml_doc_free(rti_yaml_doc *d);

/* Key paths: push returns the length to pop back to. */
size_t rti_yaml_push(rti_yaml *y, const char *name);
size_t rti_yaml_push_index(rti_yaml *y, int64_t i);
void rti_yaml_pop(rti_yaml *y, size_t old);

/* An RT_E_PARSE error at `at` about the current key path. */
rt_status rti_yaml_fail(rti_yaml *y, rti_where at, const char *fmt, ...) RTI_PRINTF(3, 4);
/* An error about key `name` of m, at the key (or at m when absent). */
rt_status rti_yaml_fail_key(rti_yaml *y, const rti_yaml_map *m, const char *name, const char *fmt,
                            ...) RTI_PRINTF(4, 5);
/* An error about key `name` under the current key path, at `at`. */
rt_status rti_yaml_fail_in(rti_yaml *y, const char *name, rti_where at, const char *fmt, ...)
    RTI_PRINTF(4, 5);
/* "required key is missing" for key `name` of m, at m. */
rt_status rti_yaml_missing(rti_yaml *y, const rti_yaml_map *m, const char *name);
#if defined(__clang_analyzer__) && !defined(RTI_YAML_DEFINES_FAIL)
/* For the static analyzer, which does not look into other files: each of
 * these returns RT_E_PARSE (see rti_error in core/ctx_internal.h). */
#define rti_yaml_fail(y, ...) (rti_yaml_fail((y), __VA_ARGS__), RT_E_PARSE)
#define rti_yaml_fail_key(y, ...) (rti_yaml_fail_key((y), __VA_ARGS__), RT_E_PARSE)
#define rti_yaml_fail_in(y, ...) (rti_yaml_fail_in((y), __VA_ARGS__), RT_E_PARSE)
#define rti_yaml_missing(y, m, name) (rti_yaml_missing((y), (m), (name)), RT_E_PARSE)
#endif

/* 1-based position of a node: its own token for scalars, else that of its
 * first entry; fallback when it has none (an empty value or collection). */
rti_where rti_yaml_where(struct fy_node *n, rti_where fallback);
/* An absent value, `key:` with nothing after it, `~` or `null`. */
int rti_yaml_is_null(struct fy_node *n);
/* Copies text from the file into buf for a message: at most
 * RTI_YAML_SHOW_CHARS bytes, control characters shown as '?'. */
const char *rti_yaml_show(char *buf, size_t size, const char *s, size_t len);
/* What a node is, for "expected X, got Y": 'text', the quoted text 'text',
 * an empty value, a list, a mapping. */
const char *rti_yaml_got(struct fy_node *n, char *buf, size_t size);
/* The text of scalar n as a C string in buf, or NULL when n is not a
 * scalar or its text does not fit. */
const char *rti_yaml_text(struct fy_node *n, char *buf, size_t size);
/* Copies n bytes into a new NUL-terminated string. */
char *rti_yaml_dup(rti_yaml *y, const char *s, size_t n);

/* The value of key `name` of m (present 0 when absent). */
rti_yaml_item rti_yaml_field(const rti_yaml_map *m, const char *name);
int rti_yaml_has(const rti_yaml_map *m, const char *name);

/* names joined with ", " into buf. */
const char *rti_yaml_join(char *buf, size_t size, const char *const *names);
/* Rejects the first key of m that is not in allowed: "unknown key; did you
 * mean 'x'?" or "...; valid keys here: a, b". Keys in misplaced are valid
 * elsewhere; their message is "'<key>' <why>". Lenient (speed profiles):
 * a key of any form is taken as its text (up to 79 bytes, else '?') and
 * the message is "unknown key; valid keys: a, b". */
rt_status rti_yaml_check_keys(rti_yaml *y, const rti_yaml_map *m, const char *const *allowed,
                              const char *const *misplaced, const char *why);

/* A plain decimal number ("100", "-2.5", "1e3") in s[0..len): 1 and *out,
 * else 0. NaN and infinities are not numbers; a value too small for a
 * double (1e-400) is one only when underflow_ok. */
int rti_yaml_number(const char *s, size_t len, int underflow_ok, double *out);

/* The values a number may take: from lo to hi, lo itself excluded when
 * lo_open ("> 0 and at most 100000 minutes"). Every number of the study
 * file and the speed profiles has one (the RTI_RANGE_* below), chosen so
 * that everything computed from it stays finite; docs/study-file.md lists
 * them by key. */
typedef struct rti_range {
    double lo, hi;
    int lo_open;
    const char *unit; /* "m", "km/h", "minutes", "km" */
} rti_range;

extern const rti_range RTI_RANGE_CELL;          /* cell_size_m: 0.01 to 100000 m */
extern const rti_range RTI_RANGE_COORD;         /* extent: -1e8 to 1e8 m */
extern const rti_range RTI_RANGE_BUFFER;        /* extent_buffer_m: 0 to 1000000 m */
extern const rti_range RTI_RANGE_REACH;         /* snap_radius_m, access.max_distance_m:
                                                   0 to 100000 m */
extern const rti_range RTI_RANGE_TOLERANCE;     /* snap_tolerance_m: 0 to 1000 m */
extern const rti_range RTI_RANGE_SPEED;         /* speeds: 0.001 to 1000 km/h */
extern const rti_range RTI_RANGE_MINUTES;       /* norms: > 0, at most 100000 minutes */
extern const rti_range RTI_RANGE_KM;            /* norms: > 0, at most 20000 km */
#define RTI_MEMORY_MIN_BYTES 1.0                /* memory_limit: 1 byte ... */
#define RTI_MEMORY_MAX_BYTES 1125899906842624.0 /* ... to 1 PiB */

/* 1 when v lies in r. */
int rti_in_range(const rti_range *r, double v);
/* "from 0.001 to 1000 km/h", "> 0 and at most 100000 minutes" */
const char *rti_range_text(const rti_range *r, char *buf, size_t size);

/* The text of scalar n; "expected <expected>, got ..." otherwise. */
rt_status rti_yaml_scalar(rti_yaml *y, struct fy_node *n, rti_where at, const char *expected,
                          const char **txt, size_t *len);
/* Value n as a number in r; label names it in "label must be from 0.01 to
 * 100000 m, got 1e308" ("label must be > 0 (from ...)" for a value <= 0
 * where 0 is not allowed). */
rt_status rti_yaml_num(rti_yaml *y, struct fy_node *n, rti_where at, const char *label,
                       const rti_range *r, double *out);
/* Value n as a non-empty text without NUL bytes, copied into *out. */
rt_status rti_yaml_str(rti_yaml *y, struct fy_node *n, rti_where at, char **out);

/* Typed keys of m. An absent key leaves *out (the default) unless it is
 * required ("required key is missing"). */
rt_status rti_yaml_get_num(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                           const rti_range *r, double *out);
rt_status rti_yaml_get_int(rti_yaml *y, const rti_yaml_map *m, const char *name, int min, int *out);
rt_status rti_yaml_get_bool(rti_yaml *y, const rti_yaml_map *m, const char *name, int *out);
rt_status rti_yaml_get_str(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                           char **out);
/* One of values (NULL-terminated): *index. */
rt_status rti_yaml_get_enum(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                            const char *const *values, int *index);
/* A mapping: out->map is NULL when absent. */
rt_status rti_yaml_get_map(rti_yaml *y, const rti_yaml_map *m, const char *name, int required,
                           rti_yaml_map *out);
/* A list with at least min_items entries (`what`: "facility type"). */
rt_status rti_yaml_get_list(rti_yaml *y, const rti_yaml_map *m, const char *name, int min_items,
                            const char *what, rti_yaml_item *out);

/* Rules of a {class: km/h} mapping (rti_yaml_class_speeds). */
enum {
    RTI_CLASS_KNOWN = 1,  /* classes of rti_road_class_names() only */
    RTI_CLASS_NO = 2,     /* no (rti_no_words): the mode does not use the class, 0 km/h */
    RTI_CLASS_UNIQUE = 4, /* a class given twice is an error */
    RTI_CLASS_AT_KEY = 8  /* an error about a speed points at its class */
};

/* rti_yaml_class_speeds - reads the mapping m {class: km/h in
 * RTI_RANGE_SPEED}, in the
 * order written, into *out, allocated (`what` names it in messages) with
 * room for every entry. *n counts the entries whose name was read, also on
 * error, so that the caller frees them. The key path is that of m; each
 * speed is read under its class. Lenient (speed profiles): a class is the
 * text of any key ('?' when it has none); an unknown class is named with
 * the list of the known ones, without "did you mean"; a speed may be
 * quoted and a bad one reads "expected a speed from 0.001 to 1000 km/h or
 * no", at the value or else at m->at. */
rt_status rti_yaml_class_speeds(rti_yaml *y, const rti_yaml_map *m, unsigned rules,
                                const char *what, rti_road_class **out, int *n);

/* ---- The study file's sections (study_file.c, source.c,
 * medium_section.c, facilities.c) ---- */
enum { RTI_SRC_RASTER, RTI_SRC_VECTOR, RTI_SRC_POINTS };

/* Replaces *path by itself resolved against the study file's folder
 * (y->dir), unless it is absolute, a URL or driver-prefixed ("PG:..."). */
rt_status rti_spec_path(rti_yaml *y, char **path);
/* Source key `name` of s (kind RTI_SRC_*): a path, or a mapping with a
 * path. *given (may be NULL) tells whether the key was there. */
rt_status rti_spec_source(rti_yaml *y, const rti_yaml_map *s, const char *name, int required,
                          int kind, rti_source *src, int *given);
/* The mapping medium:. */
rt_status rti_spec_medium(rti_yaml *y, const rti_yaml_map *s, rti_medium *md);
/* What the medium asks of the other sections, once they are read: no
 * route lengths (outputs.length, norms in km) where it computes none; a
 * hybrid's access distance defaults to the cell size. */
rt_status rti_spec_medium_rules(rti_yaml *y, const rti_yaml_map *root, rt_study *st);
/* The lists facilities: and regions: of the root. */
rt_status rti_spec_facilities(rti_yaml *y, const rti_yaml_map *root, rt_study *st);
/* Refuses two grids of the types and their measures with the same file
 * name ("a" and "a_second", a measure named "time_min"), at the later one. */
rt_status rti_spec_output_names(rti_yaml *y, const rt_study *st);
rt_status rti_spec_regions(rti_yaml *y, const rti_yaml_map *root, rt_study *st);
/* The mappings population: and outputs:. */
rt_status rti_spec_population(rti_yaml *y, const rti_yaml_map *s, rti_population *pop);
rt_status rti_spec_outputs(rti_yaml *y, const rti_yaml_map *s, rti_outputs *o);
/* The mapping report: (report_section.c). */
rt_status rti_spec_report(rti_yaml *y, const rti_yaml_map *s, rti_report_options *o);
/* The list scenarios: of the root (scenario.c), after facilities:. */
rt_status rti_spec_scenarios(rti_yaml *y, const rti_yaml_map *root, rt_study *st);
/* The list measures: of facility type f, after its capacity_column
 * (measures_spec.c). */
rt_status rti_spec_measures(rti_yaml *y, const rti_yaml_map *s, rti_facility_type *f);
/* Frees what a source owns (load.c). */
void rti_source_clear(rti_source *s);
/* Frees what the scenarios of st own (load.c calls it). */
void rti_spec_scenarios_clear(rt_study *st);

/* A name used in output file names, key `name` of s (required):
 * [a-z0-9_]+, at most 64 characters. */
rt_status rti_spec_name(rti_yaml *y, const rti_yaml_map *s, const char *name, char **out);

/* A display name, key `label` of s: text of at most RTI_LABEL_MAX_BYTES,
 * else a copy of name. */
rt_status rti_spec_label(rti_yaml *y, const rti_yaml_map *s, const char *name, char **out);

/* A list of the root whose entries are mappings with a unique name: its
 * key, an entry, the entries and the name in messages, the size and keys
 * of an entry, the key of its name, where an entry keeps its name and
 * position, and what reads the rest of it. */
typedef struct rti_spec_list {
    const char *key;   /* "facilities" */
    const char *one;   /* "facility type" */
    const char *many;  /* "facility types" */
    const char *named; /* "facility type" (in "duplicate facility type 'x'") */
    size_t size;
    const char *const *keys;
    const char *name_key; /* "type" */
    void (*head)(void *items, int i, char ***name, rti_where **at);
    rt_status (*read)(rti_yaml *y, const rti_yaml_map *s, void *items, int i);
} rti_spec_list;

/* Reads list kind->key of root (at least one entry, each a mapping) into
 * a new array of *n entries, which is returned also when *status is an
 * error (NULL when there is none). */
void *rti_spec_list_read(rti_yaml *y, const rti_yaml_map *root, const rti_spec_list *kind, int *n,
                         rt_status *status);
#endif /* RTI_SPEC_INTERNAL */

#endif
