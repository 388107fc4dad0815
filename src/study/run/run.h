#ifndef RT_RUN_INTERNAL_H
#define RT_RUN_INTERNAL_H
/* State of one `reistijd run`, shared by the files of the study layer:
 * study_run.c (the stages), run_inputs.c (grids and layers from the study
 * file), run_outputs.c (GeoTIFF, GeoPackage, CSV, summary), manifest.c
 * (run.json). */
#include <stdint.h>

#include "core/hybrid.h"
#include "io/io.h"
#include "io/outfile.h"
#include "reistijd/rt_search.h"
#include "reistijd/rt_stats.h"
#include "study/medium/medium.h"
#include "study/report/report.h"
#include "study/spec/spec.h"

#define RTI_MAX_STAGES 16

struct rti_net_run; /* run_network.c: the road network of a network medium */

typedef struct rti_stage_time {
    const char *name;
    double seconds;
} rti_stage_time;

/* One voorziening type: its facilities, start cells and results. */
typedef struct rti_type_run {
    const rti_facility_type *def;
    rti_points pts;
    double *snap_m;  /* per point: distance moved (NaN = left out) */
    int64_t *cell;   /* per point: start cell (-1 = left out) */
    int grid_by_row; /* facility grids hold the 1-based row in facilities_<type>, not the
                        source_fid (some source_fid does not fit in 32 bits) */
    rt_source *src;  /* grid medium, hybrid: start cells */
    rt_source *nsrc; /* network, hybrid: start nodes */
    float *nsrc_m;   /* their start lengths (the facility's way to the node) */
    int64_t n_src, n_nsrc, n_snapped, n_dropped;
    rt_region_stats **stats; /* [region layer][region] */
    double *pop_outside;     /* per region layer */
    double pop_total, pop_reached;
    double seconds;          /* search + statistics + grids */
    const char *tmp_grid[5]; /* temporary paths of its GeoTIFFs (NULL = not written) */
    char *log;               /* messages of its parallel task, "<level><text>\n" each */
    size_t log_len;
    rt_status status; /* of its parallel task */
    char *message;    /* error message of the task */
    /* for the report, filled by its parallel task while the labels exist */
    /* network medium: the facilities' places on the roads, sorted by (edge,
     * facility); fa_n of them */
    struct rti_net_fac *fa;
    int64_t fa_n;
    double *node_time_s; /* per road node: time to the nearest facility (for the
                            roads layer of the GeoPackage), NULL = not kept */
    int32_t *node_facility;
    rti_classes classes; /* time classes of its maps */
    uint8_t *map_class;  /* class per pixel of run->map (255 = no colour), NULL = no report */
    double *hist;        /* population per time bin, RTI_HIST_BINS + 2 values */
    double hist_width_s; /* bin width */
    double pop_within[RT_STATS_MAX_NORMS]; /* whole grid: reached and within each norm */
} rti_type_run;

#define RTI_HIST_BINS 20

/* An input file as listed in run.json and the report. */
typedef struct rti_run_input {
    char role[160];
    const char *path;        /* owned by the study */
    const char *attribution; /* owned by the study, NULL = none given */
    uint64_t size_bytes;
    char sha256[65];
    int has_sum; /* size and checksum known (a single readable file) */
} rti_run_input;

typedef struct rti_region_run {
    const rti_region_layer *def;
    rti_polygons polys;
    int32_t *index; /* per cell: region index or -1 */
    int64_t n_overlap;
} rti_region_run;

typedef struct rti_run {
    rt_study *study;
    const rt_run_opts *opts;
    rti_grid_spec grid;
    int64_t n_cells;
    float *friction;         /* s/m, NaN = impassable; NULL for a network medium */
    struct rti_net_run *net; /* network medium, else NULL */
    float *pop;              /* persons per cell, NULL = every cell weighs 1 */
    double pop_on_grid;      /* population that landed on the grid */
    double pop_off_grid;     /* population of the inputs that fell outside it */
    int64_t n_passable;
    rti_region_run *regions;
    rti_type_run *types;
    unsigned search_flags;
    uint64_t budget_bytes; /* the budget the memory estimate was checked against */
    /* warnings logged during the run, in order, for the JSON summary; the
     * caller's log callback still gets every message */
    char **warnings;
    int n_warnings;
    rt_log_fn user_log;
    void *user_log_data;
    rti_outset outs;
    rti_stage_time stages[RTI_MAX_STAGES];
    int n_stages;
    int threads;
    uint64_t est_bytes; /* memory estimate of the compute stage */
    double t_start;
    rti_run_input *inputs; /* filled by rti_run_hash_inputs */
    int n_inputs;
    rti_map_frame map;        /* frame of the report's maps */
    int32_t map_up, map_down; /* pixels per cell, or cells per pixel (one of them is 1) */
} rti_run;

/* run_inputs.c */
rt_status rti_run_read_regions(rt_ctx *ctx, rti_run *run);
rt_status rti_run_define_grid(rt_ctx *ctx, rti_run *run);
rt_status rti_run_build_medium(rt_ctx *ctx, rti_run *run);
rt_status rti_run_build_population(rt_ctx *ctx, rti_run *run);
rt_status rti_run_rasterize_regions(rt_ctx *ctx, rti_run *run);
rt_status rti_run_read_facilities(rt_ctx *ctx, rti_run *run);

/* run_network.c (medium types network and hybrid; docs/methods.md,
 * "Access legs")
 * rti_run_build_network - reads the roads, loads the profile, builds the
 * graph and the edge index, attaches every cell centre (run->net).
 * rti_run_attach_facilities - type t's points onto the roads: tr->nsrc
 * (graph nodes), tr->fa; for a network medium also tr->snap_m (leg
 * distance), tr->cell and the counts of facilities moved and left out.
 * rti_run_network_labels - per-cell labels of type t into lab (network:
 * the roads alone; hybrid: land and roads).
 * rti_run_network_free - frees run->net. */
typedef struct rti_net_run {
    rti_roads roads;
    rti_profile prof;
    rti_road_graph g;
    struct rti_edge_index *ix;
    char *profile_path;
    char *osm_config;
    int32_t *comp;      /* per node: its connected part of the mode's network, 0 = largest */
    int64_t *cell_edge; /* per cell: edge of its attachment, -1 = none */
    double *cell_frac, *cell_leg_s;
    double *w_along, *w_against; /* per edge: whole-edge times, NaN = not that way */
    int64_t n_attached;
} rti_net_run;
rt_status rti_run_build_network(rt_ctx *ctx, rti_run *run);
rt_status rti_run_attach_facilities(rt_ctx *ctx, rti_run *run, int t, const char *what);
rt_status rti_run_network_labels(rt_ctx *ctx, rti_run *run, int t, rt_search_ws *ws,
                                 rt_labels *lab);
void rti_run_network_free(rti_run *run);
/* The layer roads_<type> of type t: the edges the mode uses with the time
 * from either end to the nearest facility. */
rt_status rti_run_write_roads_layer(rt_ctx *ctx, rti_run *run, int t, const char *gpkg);

/* The value of facility i (index into tr->pts) in the facility grids. */
static inline int32_t rti_facility_grid_value(const rti_type_run *tr, int64_t i)
{
    return tr->grid_by_row ? (int32_t)(i + 1) : (int32_t)tr->pts.fid[i];
}

/* run_outputs.c */
enum { RTI_GRID_TIME, RTI_GRID_FACILITY, RTI_GRID_TIME2, RTI_GRID_FACILITY2, RTI_GRID_LENGTH };
/* Registers every output file of the run (temporary names). */
rt_status rti_run_plan_outputs(rt_ctx *ctx, rti_run *run);
rt_status rti_run_write_type_grids(rt_ctx *ctx, rti_run *run, int t, const rt_labels *lab);
rt_status rti_run_write_tables(rt_ctx *ctx, rti_run *run);
char *rti_run_summary(const rti_run *run);
/* The same as JSON text (summary_json.c; caller frees), NULL when out of
 * memory. */
char *rti_run_summary_json(const rti_run *run);
/* <outdir>/<name> into a new string (NULL + RT_E_NOMEM on failure) */
char *rti_run_path(rt_ctx *ctx, const rti_run *run, const char *name);
/* Registers output <outdir>/<name>; *tmp (may be NULL) gets its temporary path. */
rt_status rti_run_add_output(rt_ctx *ctx, rti_run *run, const char *name, const char **tmp);
/* "30min", "7.5min", "10km": a norm as used in column names. */
void rti_norm_label(const rt_norm *n, char *buf, size_t len);

/* manifest.c */
/* Lists every input file with its size and SHA-256 (run->inputs). */
rt_status rti_run_hash_inputs(rt_ctx *ctx, rti_run *run);
rt_status rti_run_write_manifest(rt_ctx *ctx, rti_run *run);

/* report.c */
/* Before the searches: the map frame, the classes of every type and the
 * per-type buffers that rti_run_report_type fills (when a report is due). */
rt_status rti_run_plan_report(rt_ctx *ctx, rti_run *run);
/* In a type's parallel task: its class image and histogram from lab. */
void rti_run_report_type(rti_run *run, int t, const rt_labels *lab);
/* After the tables: the .qml files, the GeoPackage styles and report.html,
 * all under temporary names. */
rt_status rti_run_write_report(rt_ctx *ctx, rti_run *run);

#endif
