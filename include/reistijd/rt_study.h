#ifndef RT_STUDY_H
#define RT_STUDY_H
#include <stddef.h>
#include <stdint.h>

#include "rt_ctx.h"
#include "rt_export.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A study: a YAML file naming the analysis grid, the travel medium, the
 * facility layers (one per voorziening type), population, region layers,
 * norms and outputs (docs/study-file.md). */
typedef struct rt_study rt_study;

/* Reads and validates the study file (syntax, types, required keys; paths
 * are resolved relative to the file). Errors name file:line:column and the
 * key. On RT_OK the caller owns *out and frees it with rt_study_destroy(). */
RT_API rt_status rt_study_load(rt_ctx *ctx, const char *path, rt_study **out);
RT_API void rt_study_destroy(rt_study *study);

/* Options of a run. Set up with rt_run_opts_init(); the struct may grow at
 * its end, and struct_size tells the library which fields the caller has
 * (0: the fields up to json_summary; a caller built before overwrite and
 * allow_remote existed gets 0 for both). */
typedef struct rt_run_opts {
    size_t struct_size; /* set by rt_run_opts_init */
    const char *outdir; /* created (with its parents) if missing; see rt_study_run */
    int validate_only;  /* 1: read and check every input, compute nothing */
    int json_summary;   /* 1: also keep the summary as JSON (rt_study_summary_json) */
    /* 1: write into an output folder that holds files no earlier run wrote
     * there (files of the same name are replaced, the others left alone);
     * 0 (default): such a run is refused */
    int overwrite;
    /* 1: remote sources (/vsicurl/ and other network paths, URLs) may be
     * read; 0 (default): they are refused */
    int allow_remote;
} rt_run_opts;

RT_API void rt_run_opts_init(rt_run_opts *opts);

/* Runs the study: reads inputs, searches every voorziening type, aggregates
 * per region and writes the outputs into opts->outdir. Before anything is
 * written the run is refused (RT_E_ARG) when an output would replace an
 * input or the study file (also through a link), when something other
 * than a regular file is at an output's place (RT_E_IO), or, unless
 * opts->overwrite, when the folder holds files that no earlier run wrote
 * there (files not listed in the outputs of the folder's run.json, other
 * than temporary files .tmp-<pid>-*). Every output is written under a
 * temporary name and renamed only when the whole run succeeded: on error
 * or cancel no output file is left behind, nor a folder the run made (only
 * a failing rename at the very end can leave the files renamed before
 * it). A run never deletes a file it did not write. */
RT_API rt_status rt_study_run(rt_ctx *ctx, rt_study *study, const rt_run_opts *opts);

/* Options of rt_compare_runs(). Set up with rt_compare_opts_init(), then
 * change what you need; the struct may grow at its end. */
typedef struct rt_compare_opts {
    size_t struct_size;   /* set by rt_compare_opts_init */
    const char *run_a;    /* the folder of a finished run (its run.json, grids) */
    const char *run_b;    /* another, on the same grid with the same types */
    const char *outdir;   /* where the comparison goes */
    double threshold_min; /* better or worse off: a change of more than this; 1 */
    int overwrite;        /* as rt_run_opts.overwrite */
} rt_compare_opts;

RT_API void rt_compare_opts_init(rt_compare_opts *opts);

/* rt_compare_runs - compares two finished runs (`reistijd compare`): they
 * must be on the same grid with the same facility types, norms and region
 * layers (RT_E_DATA naming what differs). Per cell from their time grids
 * (Float32 minutes; route lengths for norms in km), weighed by the
 * population of run A's study on its regions, read again and checked
 * against the checksums in run A's run.json: per region layer
 * <layer>_compare.csv, per type <type>_delta_min.tif and a run.json, in
 * opts->outdir, with the output rules of rt_study_run (no input replaced,
 * nothing left on error). *summary (may be NULL) gets a new text of the
 * headlines that the caller frees with free(). */
RT_API rt_status rt_compare_runs(rt_ctx *ctx, const rt_compare_opts *opts, char **summary);

/* A one-line-per-row text summary of the last run (the table the CLI
 * prints), owned by the study and valid until the next run or
 * rt_study_destroy; "" before a run and after one that failed or was
 * cancelled (each run clears it when it starts). */
RT_API const char *rt_study_summary(const rt_study *study);

/* The summary of the last run or validation as one JSON object
 * (schema in docs/cli.md, "JSON output"): status, inputs, grid, facility
 * types with their statistics per region layer and region, warnings, stage
 * timings, threads, memory estimate, budget and peak. Built only when the
 * run's opts.json_summary was 1. Owned by the study and valid until the
 * next run or rt_study_destroy; "" when there is none (before a run, after
 * one that failed or was cancelled). Pretty-printed,
 * ending in a newline. */
RT_API const char *rt_study_summary_json(const rt_study *study);

/* The single-step job behind `reistijd nearest`, for scripts and
 * benchmarks, on one of two media:
 * - grid: travel time from every cell of a friction GeoTIFF (seconds per
 *   metre, nodata = impassable) to the nearest point of a vector layer,
 *   written as a GeoTIFF on the same grid;
 * - network: travel time from every node of an edge table (CSV or any OGR
 *   table, docs/cli.md) to the nearest of a list of source nodes, written
 *   as CSV `node,time_s,source` for every node that reaches one. */
typedef struct rt_nearest_opts {
    size_t struct_size;          /* set by rt_nearest_opts_init (0: the fields up to
                                    snap_radius_m) */
    const char *network_path;    /* set: network mode (sources_path, out_path) */
    const char *sources_path;    /* network mode: table of source node ids */
    const char *friction_path;   /* grid mode: required */
    int band;                    /* default 1 */
    const char *facilities_path; /* required: points in any CRS */
    const char *layer;           /* NULL: the first layer */
    const char *out_path;        /* required; must not be an input, nor anything but a
                                    regular file if it exists (refused before reading) */
    int neighbours;              /* 8 or 16 (default) */
    int minutes;                 /* 1: write minutes, 0: seconds (default) */
    double snap_radius_m;        /* default: 2 cells */
    int allow_remote;            /* 1: remote sources may be read (as in rt_run_opts) */
} rt_nearest_opts;

/* What a run of rt_nearest_run did. Set up with rt_nearest_result_init();
 * it may grow at its end like the options (0: the fields up to
 * n_dropped). */
typedef struct rt_nearest_result {
    size_t struct_size; /* set by rt_nearest_result_init */
    double core_s;      /* wall time of allocating the labels and the search */
    double graph_s;     /* network mode: building the graph from the table */
    int64_t n_nodes;    /* network mode: nodes and arcs of the graph, */
    int64_t n_arcs;
    int64_t n_reached;    /* and the nodes that reach a source */
    uint64_t graph_bytes; /* network mode: memory held by the graph */
    int64_t n_facilities; /* points (grid) or source nodes (network) read */
    int64_t n_snapped;    /* moved to a passable cell */
    int64_t n_dropped;    /* no passable cell within the radius */
} rt_nearest_result;

RT_API void rt_nearest_opts_init(rt_nearest_opts *opts);
RT_API void rt_nearest_result_init(rt_nearest_result *result);
/* Runs the job; on RT_OK *result (may be NULL) holds what it did. */
RT_API rt_status rt_nearest_run(rt_ctx *ctx, const rt_nearest_opts *opts,
                                rt_nearest_result *result);

/* A successful rt_nearest_run as one JSON object (schema in docs/cli.md):
 * the files, the counts of facilities, the search time, threads (of ctx)
 * and peak memory. Returns a new string that the caller frees with free(),
 * or NULL when out of memory, when an argument is NULL or when a
 * struct_size is not one this library knows. */
RT_API char *rt_nearest_json(const rt_ctx *ctx, const rt_nearest_opts *opts,
                             const rt_nearest_result *result);

/* A failure as one JSON object:
 * {"status": "error", "command": command, "code": code, "exit_code":
 *  exit_code, "message": message}. code is a status name (rt_status_str)
 * or the caller's own word ("usage"). Any argument may be NULL (JSON null).
 * Returns a new string that the caller frees with free(), or NULL when out
 * of memory. */
RT_API char *rt_error_json(const char *command, const char *code, const char *message,
                           int exit_code);

#ifdef __cplusplus
}
#endif
#endif
