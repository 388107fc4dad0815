#ifndef RT_STUDY_RUN_H
#define RT_STUDY_RUN_H
/* One `reistijd run` (rt_study_run) as a list of stages over the folders
 * below it: the inputs on the analysis grid (inputs.c), the medium
 * (study/medium), the searches and statistics per facility type (run.c),
 * the tables and grids (outputs.c), the report (study/report), run.json
 * (manifest.c) and the summaries (summary.c, summary_json.c). Also the
 * single-step job `reistijd nearest` (nearest.c, nearest_network.c) and
 * `reistijd info` (info.c). */
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/closures.h"
#include "io/io.h"
#include "reistijd/rt_search.h"
#include "reistijd/rt_stats.h"
#include "study/medium/medium.h"
#include "study/report/report.h"
#include "study/spec/spec.h"

#define RTI_MAX_STAGES 16

typedef struct rti_stage_time {
    const char *name;
    double seconds;
} rti_stage_time;

/* ---- the inputs on the analysis grid (inputs.c) ---- */

typedef struct rti_region_run {
    const rti_region_layer *def;
    rti_polygons polys;
    int32_t *index; /* per cell: region index or -1 */
    int64_t n_overlap;
} rti_region_run;

typedef struct rti_inputs {
    rti_grid_spec grid;
    int64_t n_cells;
    float *pop;              /* persons per cell; 1 per cell when the study has no population */
    double pop_on_grid;      /* population that landed on the grid */
    double pop_off_grid;     /* population of the inputs that fell outside it */
    rti_region_run *regions; /* per region layer of the study */
} rti_inputs;

/* ---- per facility type ---- */

/* What a type's parallel task computes. */
typedef struct rti_type_result {
    rt_region_stats **stats; /* [region layer][region] */
    double *pop_outside;     /* per region layer */
    double pop_total, pop_reached;
    double seconds; /* search + statistics + grids */
    char *log;      /* messages of the task, "<level><text>\n" each */
    size_t log_len;
    rt_status status; /* of the task */
    char *message;    /* its error message */
    /* with outputs.closures: the N-1 table, one row per facility (pts.n),
     * the facilities in the order of the table, and per region layer the
     * (facility, region) rows with an added count */
    rti_closure_row *closures;
    int64_t *closure_order;
    rti_closure_region_row **closure_regions;
    int64_t *n_closure_regions;
    /* with outputs.isochrones: the cells within each norm in minutes
     * (rti_isochrone_limits' order); with outputs.catchments: the cells
     * of each facility that is the nearest of some (class: its point) */
    rti_zones isochrones, catchments;
} rti_type_result;

typedef struct rti_type_run {
    const rti_facility_type *def;
    rti_points pts;
    int grid_by_row;         /* the facility grids hold rows, not feature ids */
    rti_placement place;     /* where its facilities start on the medium */
    const char *tmp_grid[5]; /* temporary paths of its GeoTIFFs (NULL = not written) */
    rti_type_result res;
    /* its measures (measures_run.c), NULL without: per measure the rows of
     * every region layer, and the temporary path of its GeoTIFF */
    rti_measure_region ***meas;
    const char **tmp_meas;
} rti_type_run;

/* ---- the scenarios (scenario.c, scenario_out.c) ---- */

/* A facility type a scenario changes: its own points, placement, grids
 * and statistics, and the per-cell comparison with the baseline summed per
 * region: for region i of layer r, at cmp + rti_cmp_at(run, def, r, i),
 * newly beyond and newly within each norm of the type, better off and
 * worse off (persons). */
typedef struct rti_scen_type {
    int t;                      /* the type in the study */
    const struct rti_scen *own; /* the scenario it belongs to */
    rti_type_run run;
    /* temporary paths of <type>_delta_min.tif, its .qml, <type>_reach_change.tif
     * and its .qml (rti_write_delta_outputs), NULL = none */
    const char *tmp_delta[4];
    const char *tmp_list;   /* facilities_<type>.csv when the grids hold rows, else NULL */
    const char *tmp_list_t; /* and its .csvt */
    double *cmp;
} rti_scen_type;

typedef struct rti_scen {
    const rti_scenario *def;
    rti_medium_run *medium;        /* with patches: its own medium (a copy), else NULL */
    float *pop;                    /* with population changes: its own population, else NULL */
    double pop_added, pop_removed; /* by its population changes, on the grid */
    rti_scen_type *types;          /* the types it changes, in study order */
    int n_types;
    const char **tmp_csv; /* per region layer: <r>.csv, .csvt, <r>_compare.csv, .csvt */
    char *made_dir;       /* its folder when the run made it */
    const char *tmp_gpkg; /* compare.gpkg (outputs.geopackage), else NULL */
} rti_scen;

typedef struct rti_scen_state {
    rti_scen *sc; /* per scenario of the study */
    int n;
    int n_tasks;               /* every (scenario, type) pair */
    rti_scen_type **task_type; /* in scenario order, then type order */
    rti_type_run **tasks;      /* their runs */
    char **names;              /* "scenario 'x', <type>" for messages */
    double **base_time;        /* per type of the study: the baseline's times, NULL = none */
    float **base_length;       /* and lengths, with route lengths */
    rt_labels *base_lab;       /* per type, on a grid medium: all the baseline's labels (then
                                  base_time and base_length point into them) */
    char *made_top;            /* <outdir>/scenarios when the run made it */
} rti_scen_state;

/* ---- the run ---- */

typedef struct rti_run {
    rt_study *study;
    const rt_run_opts *opts;
    rti_inputs in;
    rti_medium_run *medium;
    rti_type_run *types; /* per facility type of the study */
    rti_report_state *report;
    rti_report_type *report_types; /* the report's view of the types */
    const rti_polygons **report_regions;
    rti_report_scenario *report_scen; /* and of the scenarios (NULL without) */
    int n_report_scen;
    unsigned search_flags;
    int threads;
    uint64_t budget_bytes; /* the budget the memory estimate was checked against */
    uint64_t est_bytes;    /* memory estimate of the compute stage */
    /* warnings logged during the run, in order, for the JSON summary; the
     * caller's log callback still gets every message */
    char **warnings;
    int n_warnings;
    rt_log_fn user_log;
    void *user_log_data;
    rti_outset outs;
    rti_stage_time stages[RTI_MAX_STAGES];
    int n_stages;
    double t_start;
    struct timespec started; /* wall clock at the start: an input modified after it changed
                                while the run read it */
    /* the output folder as made, and the lengths of its prefixes that are
     * the folders the run made, outermost first (removed again when the
     * run fails) */
    char *made_path;
    size_t *made_len;
    int n_made;
    int outdir_lock;        /* 1 + the descriptor of the output folder locked, 0 = none */
    rti_input_file *inputs; /* filled by rti_run_hash_inputs */
    int n_inputs;
    struct rti_scen_state *scen; /* the scenarios (scenario.c); NULL without */
    struct rti_meas_state *meas; /* the measures (measures_run.c); NULL without */
} rti_run;

/* Remote sources may be read: the study (study.allow_remote) or the
 * caller (rt_run_opts.allow_remote, --allow-remote) says so. */
static inline int rti_run_allows_remote(const rti_run *run)
{
    return run->study->allow_remote || run->opts->allow_remote;
}

/* inputs.c */
rt_status rti_run_read_regions(rt_ctx *ctx, rti_run *run);
rt_status rti_run_define_grid(rt_ctx *ctx, rti_run *run);
rt_status rti_run_build_population(rt_ctx *ctx, rti_run *run);
rt_status rti_run_build_medium(rt_ctx *ctx, rti_run *run);
rt_status rti_run_rasterize_regions(rt_ctx *ctx, rti_run *run);
rt_status rti_run_read_facilities(rt_ctx *ctx, rti_run *run);
/* The input files of the study in the order run.json lists them, with
 * their roles (the speed profile too when profile_path is given); size
 * and checksum are not filled. Returns how many (at most max). */
int rti_study_inputs(const rt_study *s, const char *profile_path, rti_input_file *out, int max);
/* Spreads each polygon's count (p->value; negative removes people) over
 * the cells whose centre it holds, into pop; a polygon that holds no cell
 * centre puts it in the cell under a point on its surface; the share on
 * cells of the lattice beyond the grid is added to *off_grid (in persons,
 * added and removed alike, so that they cannot cancel). `what`
 * begins the messages ("population"). */
rt_status rti_run_spread_polygons(rt_ctx *ctx, const rti_grid_spec *grid, int64_t n_cells,
                                  const rti_polygons *p, const char *what, float *pop,
                                  double *off_grid);
/* The most inputs rti_study_inputs can list for s. */
int rti_study_inputs_max(const rt_study *s);
/* The input files of the run (rti_study_inputs with the speed profile the
 * medium read) in a new array (caller frees) of *n; NULL when out of
 * memory. */
rti_input_file *rti_run_input_files(rt_ctx *ctx, const rti_run *run, int *n);

/* outdir.c: the output folder, before anything is written and after a
 * failure (docs/outputs.md, "The output folder") */
/* Protects every input of the run (run.json's inputs and the osmconf.ini
 * files OSM sources are read with) from being an output. */
rt_status rti_run_protect_inputs(rt_ctx *ctx, rti_run *run);
/* After rti_run_plan_outputs: checks the outputs registered later, and
 * refuses (RT_E_ARG, unless opts->overwrite) a folder that holds files no
 * earlier run wrote there. */
rt_status rti_run_check_outdir(rt_ctx *ctx, rti_run *run);
/* The second part of rti_run_check_outdir alone, for a command that
 * registers every output it writes before (compare). */
rt_status rti_run_check_foreign(rt_ctx *ctx, rti_run *run);
/* Makes the output folder and the parents it lacks. */
rt_status rti_run_make_outdir(rt_ctx *ctx, rti_run *run);
/* Removes the folders rti_run_make_outdir made, innermost first, as long
 * as they are empty. */
void rti_run_remove_outdir(rti_run *run);
/* rti_run_lock_outdir - an exclusive lock (flock) on the output folder,
 * once it exists, held until rti_run_unlock_outdir: a second run into the
 * same folder while one writes there (two jobs of a batch script, two
 * users) is refused with RT_E_IO before it registers a temporary name,
 * instead of the two removing and renaming each other's files. A folder
 * not there yet, or on a file system without locks, is not locked. */
rt_status rti_run_lock_outdir(rt_ctx *ctx, rti_run *run);
void rti_run_unlock_outdir(rti_run *run);
/* Removes the temporary files (.tmp-<pid>-<name>) that a run killed
 * before its end left in the output folder and its scenarios' folders,
 * when this run holds the folder's lock (no other process writes there),
 * but not those of a process that still runs on this machine; an
 * information message counts them. */
void rti_run_clear_leftovers(rt_ctx *ctx, rti_run *run);

/* outdir.c: the name of output `final` in the output folder
 * ("scenarios/x/a.csv"), as run.json lists it. */
const char *rti_run_output_name(const rti_run *run, const char *final);
/* outdir.c: checks that <outdir>/<name> may become an output of the run. */
rt_status rti_run_check_output(rt_ctx *ctx, rti_run *run, const char *name);

/* closures.c: the N-1 table (outputs.closures; docs/outputs.md) */
/* Its arrays for every type (after the facilities are read), and a
 * warning per type whose norms in km it leaves out. */
rt_status rti_run_closures_alloc(rt_ctx *ctx, rti_run *run);
/* In type t's task, while its labels (with the second label) exist. */
rt_status rti_run_type_closures(rt_ctx *ctx, rti_run *run, int t, const rt_labels *lab);
/* Before anything is written: its file names, checked as the other
 * outputs and against each other and the tables per region layer. */
rt_status rti_run_check_closures(rt_ctx *ctx, rti_run *run);
/* In the tables stage: <type>_closures.csv and <type>_closures_<region>.csv
 * with their .csvt. */
rt_status rti_run_write_closures(rt_ctx *ctx, rti_run *run);
void rti_run_closures_free(rti_run *run);

/* outputs.c */
/* CSV fields: text (quoted when it holds a comma, quote or line break; NULL
 * is empty), and ",<v x scale>" with %.10g (NaN is empty). */
void rti_csv_str(FILE *f, const char *s);
/* A CSV file and its .csvt opened for writing (RT_E_IO naming path when
 * either cannot be), and closed again: RT_E_IO when a write or the close
 * of either failed. */
rt_status rti_csv_open(rt_ctx *ctx, const rti_run *run, const char *path, const char *csvt,
                       FILE **f, FILE **ft);
rt_status rti_csv_close(rt_ctx *ctx, const rti_run *run, const char *path, FILE *f, FILE *ft);
void rti_csv_num(FILE *f, double v, double scale);
/* Registers every output file of the run (temporary names). */
rt_status rti_run_plan_outputs(rt_ctx *ctx, rti_run *run);
/* The GeoTIFFs of tr whose temporary paths are set (tr->tmp_grid). */
rt_status rti_run_write_type_grids(rt_ctx *ctx, rti_run *run, const rti_type_run *tr,
                                   const rt_labels *lab);
rt_status rti_run_write_tables(rt_ctx *ctx, rti_run *run);
/* In type t's task, last, while its labels exist: its isochrones and
 * catchments into its result. The labels are spent: their facility array
 * holds the class grid of each isochrone in turn. */
rt_status rti_run_type_zones(rt_ctx *ctx, rti_run *run, int t, rt_labels *lab);
/* The distinct norms over all types, in order of first appearance (the
 * norm columns of the region tables): an array to free, with their number
 * in *n (NULL and RT_E_NOMEM in ctx when out of memory). */
rt_norm *rti_run_all_norms(rt_ctx *ctx, const rt_study *s, int *n);
/* The index of norm n among the norms of f, -1 when f has none such. */
int rti_norm_index(const rti_facility_type *f, const rt_norm *n);
/* The statistics of a region table (<region>.csv) after region_id,
 * region_name and type, for the nn norms of rti_run_all_norms: how many,
 * the name of statistic j (into buf) and its value for a type's region
 * (in the unit of the column; NaN for a norm the type does not have). */
int rti_region_stat_count(int nn);
const char *rti_region_stat_name(int j, const rt_norm *norms, char *buf, size_t size);
double rti_region_stat_value(int j, const rt_norm *norms, const rti_facility_type *def,
                             const rt_region_stats *x);
/* Writes the region table of layer r for the n types trs (path) and its
 * column types (csvt). */
rt_status rti_run_write_region_csv(rt_ctx *ctx, const rti_run *run, int r,
                                   const rti_type_run *const *trs, int n, const char *path,
                                   const char *csvt);
/* Registers output <outdir>/<name>; *tmp (may be NULL) gets its temporary path. */
rt_status rti_run_add_output(rt_ctx *ctx, rti_run *run, const char *name, const char **tmp);

/* summary.c: the text summary of a run or validation (caller frees); NULL
 * when out of memory. */
char *rti_run_summary(const rti_run *run);
/* summary_json.c: the same as JSON text (caller frees), NULL when out of
 * memory. */
char *rti_run_summary_json(const rti_run *run);

/* manifest.c */
/* Lists every input file with its size and SHA-256 (run->inputs). */
rt_status rti_run_hash_inputs(rt_ctx *ctx, rti_run *run);
rt_status rti_run_write_manifest(rt_ctx *ctx, rti_run *run);

/* run.c: the report's view of the run (valid while the run lives). */
void rti_run_report_view(rti_run *run, rti_report_view *v);
/* run.c: how many of n_tasks searches run at once: one per thread when
 * there are at least as many tasks as threads; else, on a grid medium, one
 * at a time on all threads (the grid search is tiled across them); else
 * (a road network alone) one per task. rti_run_team: for the types. */
int rti_run_team_for(const rti_run *run, int n_tasks);
int rti_run_team(const rti_run *run);
/* run.c: adds the stage `name` that began at t0 to the timings. */
void rti_run_stage_done(rti_run *run, const char *name, double t0);
/* run.c: the statistics of def per region layer from its labels into res
 * (arrays of rti_run_result_alloc), weighed by pop (persons per cell; NULL:
 * the run's population). */
rt_status rti_run_region_stats(rt_ctx *ctx, const rti_run *run, const rti_facility_type *def,
                               const rt_labels *lab, const float *pop, rti_type_result *res);
rt_status rti_run_result_alloc(rt_ctx *ctx, const rti_run *run, rti_type_result *res);
void rti_run_result_free(const rti_run *run, rti_type_result *res);
/* run.c: task i of n in parallel, team at once, each thread with its own
 * context and workspace; the progress of their searches goes to the caller
 * as `stage`; their messages are logged after, in task order, after
 * names[i] (NULL: the type of trs[i]); the first failing task's error is
 * returned. Each task's status, message and log go to trs[i]->res. */
typedef rt_status (*rti_run_task_fn)(rt_ctx *ctx, rti_run *run, int i, rt_search_ws *ws);
rt_status rti_run_tasks(rt_ctx *ctx, rti_run *run, rti_type_run *const *trs,
                        const char *const *names, int n, int team, rti_run_task_fn fn,
                        const char *stage);

/* scenario.c, scenario_out.c: the scenarios of a study (docs/outputs.md,
 * "Scenarios"). Each affected facility type of a scenario is a copy of
 * the baseline's points with the scenario's changes, searched in full;
 * the other types are the baseline's. */
/* Memory per cell the baseline keeps for the scenarios (its times, and
 * lengths, of the types a scenario changes). */
uint64_t rti_scen_bytes_per_cell(const rti_run *run);
/* After the facilities are read: applies every scenario's changes to
 * copies of the points and places them; every change is checked here
 * (ids among the facilities, filters that select some), before any
 * search. */
rt_status rti_scen_read(rt_ctx *ctx, rti_run *run);
/* After the output folder is made: the scenario folders and the names of
 * their files (refused when two would be the same). */
rt_status rti_scen_plan(rt_ctx *ctx, rti_run *run);
/* The array of ty's comparison (after its results are allocated). */
rt_status rti_scen_compare_alloc(rt_ctx *ctx, const rti_run *run, rti_scen_type *ty);
/* In type t's task: keeps the baseline times (and lengths) a scenario
 * compares against. */
rt_status rti_scen_keep_baseline(rt_ctx *ctx, rti_run *run, int t, const rt_labels *lab);
/* 1 when a scenario of the run changes facility type t. */
int rti_scen_uses_type(const rti_run *run, int t);
/* After the baseline search: searches, statistics, grids and tables of
 * every scenario. */
rt_status rti_scen_run(rt_ctx *ctx, rti_run *run);
/* run.json's "scenarios" (NULL without scenarios). */
json_object *rti_scen_manifest(const rti_run *run);
/* run.c: the inputs of study on its analysis grid (regions, the grid,
 * the population, the regions' cells) without a medium, for comparing
 * the outputs of finished runs; run->opts must live as long as run. Free
 * with rti_run_close(), also on error. */
rt_status rti_run_open_inputs(rt_ctx *ctx, rt_study *study, const rt_run_opts *opts, rti_run *run);
void rti_run_close(rti_run *run);

/* ---- comparisons of two sets of times (compare_table.c) ---- */

/* One facility type compared: its statistics per region layer and region
 * in a and in b, and the per-cell comparison summed per region. */
typedef struct rti_cmp_type {
    const rti_facility_type *def;
    rt_region_stats *const *a, *const *b; /* [layer][region] */
    const double *cmp;                    /* see rti_cmp_at */
    /* the measures' rows of a and b ([measure][layer][region]), NULL: none */
    rti_measure_region *const *const *meas_a, *const *const *meas_b;
} rti_cmp_type;
/* Where region i of layer r starts in a comparison of type def: 2 n_norms
 * + 2 values per region of every layer in turn (per norm newly beyond and
 * newly within, then better off, worse off). */
int64_t rti_cmp_at(const rti_run *run, const rti_facility_type *def, int r, int64_t i);
/* Sums, in cell order, the comparison of times ta (lengths la, may be
 * NULL) with tb (lb) per region of every layer, weighed by pop (NULL: 1
 * per cell): a change of more than threshold_s is better or worse off. */
void rti_compare_cells(const rti_run *run, const rti_facility_type *def, const double *ta,
                       const float *la, const double *tb, const float *lb, const float *pop,
                       double threshold_s, double *cmp);
/* "  <name>: 3 worse off, 0 better off; 3 newly beyond 30min, ..." (no
 * newline): the comparison cmp of type f summed over the regions of the
 * first layer. */
void rti_cmp_headline(rti_sbuf *b, const rti_run *run, const rti_facility_type *f, const char *name,
                      const double *cmp);
/* <layer>_compare.csv of region layer r for n types, and its csvt. */
rt_status rti_write_compare_csv(rt_ctx *ctx, const rti_run *run, int r, const rti_cmp_type *types,
                                int n, const char *path, const char *csvt);
/* The delta outputs of type `type` from the times ta (before) and tb
 * (after), at paths[0 .. 3] (NULL: not written): a Float32 grid of (tb -
 * ta) / 60 minutes, NaN where either is infinite, and its QGIS style (a
 * diverging ramp, rti_classes_delta); an Int32 grid of the cells whose
 * reach changed, 1 where tb is finite and ta not (became reachable), 2
 * the other way round (became unreachable), else 0 (nodata), and its
 * style; description says what b and a are. */
rt_status rti_write_delta_outputs(rt_ctx *ctx, const rti_run *run, const char *const *paths,
                                  const double *ta, const double *tb, const char *type,
                                  const char *description);
/* The compare tables as layers of a GeoPackage at path, one per region
 * layer with its polygons: region_id, region_name and per type
 * <type>_time_mean_min_a/_b/_delta, <type>_newly_beyond_<norm>_population,
 * <type>_newly_within_<norm>_population, <type>_better_off_population,
 * <type>_worse_off_population; each layer's default style graduates the
 * first type's change of the mean time on the diverging ramp. */
rt_status rti_write_compare_gpkg(rt_ctx *ctx, const rti_run *run, const char *path,
                                 const rti_cmp_type *types, int nt);

/* The scenarios as the report reads them (*out NULL and *n 0 without);
 * free with rti_scen_report_view_free. */
rt_status rti_scen_report_view(rt_ctx *ctx, const rti_run *run, rti_report_scenario **out, int *n);
void rti_scen_report_view_free(rti_report_scenario *sc, int n);
/* After a failure, once the temporary files are gone: removes the
 * scenario folders the run made. */
void rti_scen_remove_dirs(rti_run *run);
void rti_scen_free(rti_run *run);

/* measures_run.c: the measures beyond the nearest (docs/outputs.md,
 * "Measures"); nothing at all for a study without measures. */
/* After the facilities are read: the medium can hold every measure and
 * every capacity a measure needs is a number >= 0. */
rt_status rti_run_measures_check(rt_ctx *ctx, rti_run *run);
/* Bytes per cell the measures hold at once (0 without measures), for the
 * memory estimate: the values, one array of search costs per thread, and
 * per measure its own per-cell sums. */
uint64_t rti_run_measures_bytes_per_cell(const rti_run *run);
/* From rti_run_plan_outputs: the names of the GeoTIFFs and population.tif
 * and the arrays of the region rows. */
rt_status rti_run_measures_plan(rt_ctx *ctx, rti_run *run);
/* After the searches: every measure of every type, its GeoTIFF and its
 * rows per region; population.tif. */
rt_status rti_run_measures(rt_ctx *ctx, rti_run *run);
/* The measures of type run tr (of type t of the study; report: hand them
 * to the report, for the baseline's types) on medium with population pop:
 * its rows tr->meas and its grids at tr->tmp_meas. */
rt_status rti_run_type_measures(rt_ctx *ctx, rti_run *run, rti_type_run *tr,
                                const rti_medium_run *medium, const float *pop, int report);
/* tr->meas and tr->tmp_meas for the measures of tr->def (rows for every
 * region layer; the paths NULL), or nothing for a type without measures;
 * free with rti_run_type_measures_free(). */
rt_status rti_run_type_measures_alloc(rt_ctx *ctx, const rti_run *run, rti_type_run *tr);
void rti_run_type_measures_free(const rti_run *run, rti_type_run *tr);
/* The columns of the region tables: the header (and .csvt) and the values
 * of region i of layer r for the type run tr. */
void rti_run_measures_csv_head(const rti_run *run, FILE *f, FILE *ft);
/* The distinct measure names over all types of s, in order of first
 * appearance, into names (room for max); returns how many. */
int rti_run_measure_names(const rt_study *s, const char **names, int max);
void rti_run_measures_csv_row(const rti_run *run, const rti_type_run *tr, int r, int64_t i,
                              FILE *f);
/* The rows of measure k of type t for the regions of layer r, and the
 * statistic j (0 .. 3) of a row as named in the columns ("mean", "gini",
 * "worst_decile_share", "population_none"). */
const rti_measure_region *rti_run_measure_rows(const rti_run *run, int t, int k, int r);
/* All the rows of type t ([measure][region layer] -> rows per region), as
 * the report's view holds them; NULL without measures. */
rti_measure_region *const *const *rti_run_measure_table(const rti_run *run, int t);
const char *rti_run_measure_column(int j);
void rti_run_measures_free(rti_run *run);

/* ---- JSON helpers of the JSON texts (summaries of run, validate,
 * nearest and info; docs/cli.md). NULL values become JSON null when added
 * to an object. ---- */

/* A JSON string of s (NULL: null); bytes that are not UTF-8 (a Latin-1
 * file name or value) become U+FFFD, as JSON text is UTF-8. */
json_object *rti_jstr(const char *s);

/* A number, or null when it is not finite (NaN: no value). */
static inline json_object *rti_jnum(double v)
{
    return isfinite(v) ? json_object_new_double(v) : NULL;
}

static inline json_object *rti_jint(int64_t v) { return json_object_new_int64(v); }

/* Member key of object o (NULL when o is NULL or has none), and its text
 * (NULL unless a string): for reading a run.json back. */
static inline json_object *rti_jget(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static inline const char *rti_jget_str(json_object *o, const char *key)
{
    json_object *v = rti_jget(o, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A byte count; counts beyond INT64_MAX (an unknown budget) are null. */
static inline json_object *rti_jbytes(uint64_t v)
{
    return v <= (uint64_t)INT64_MAX ? json_object_new_int64((int64_t)v) : NULL;
}

/* root as pretty-printed text ending in a newline, in a new string the
 * caller frees with free(); NULL when out of memory. Does not free root. */
char *rti_json_text(json_object *root);

/* ---- `reistijd nearest` (nearest.c: grid, nearest_network.c: network) ---- */

/* The jobs write their output through outs, which holds the inputs it
 * may not replace; the caller ends it (rti_outset_end). */
rt_status rti_nearest_network(rt_ctx *ctx, const rt_nearest_opts *o, rt_nearest_result *r,
                              rti_outset *outs);
/* The caller's options and result as this library knows them (by their
 * struct_size; RT_E_ARG, with a message when ctx is not NULL, for one it
 * cannot read). */
rt_status rti_nearest_opts_in(rt_ctx *ctx, const rt_nearest_opts *opts, rt_nearest_opts *out);
rt_status rti_nearest_result_in(rt_ctx *ctx, const rt_nearest_result *result,
                                rt_nearest_result *out);

#endif
