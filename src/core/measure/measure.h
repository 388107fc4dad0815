#ifndef RT_MEASURE_H
#define RT_MEASURE_H
/* Measures beyond the nearest facility: how many facilities, how much
 * capacity and how much weighted supply lie within reach of every cell.
 *
 * decay.c       the decay functions (IPEA accessibility's names and
 *               parameters; Gaussian as in PySAL access)
 * reach.c       per-facility searches bounded by a cutoff, on the grid, on
 *               a road graph and as the crow flies, in parallel with one
 *               reused workspace per thread, and the accumulation of their
 *               results in facility order
 * measures.c    counts, capacity, gravity, 2SFCA, E2SFCA, 3SFCA, BFCA and
 *               spatial availability
 * inequality.c  per region: population-weighted mean, Gini and the share
 *               of the population in the worst decile
 *
 * Every per-cell result is bit-identical for any thread count: a cell's
 * contributions are added in facility order whatever thread searched the
 * facility, and a facility's own sums run over its reach in the order its
 * (single-threaded) search found the cells. Formulas and boundary
 * conventions: docs/methods.md, "Measures beyond the nearest". */
#include <stdint.h>

#include "core/ctx_internal.h"
#include "core/hybrid.h"
#include "reistijd/rt_graph.h"
#include "reistijd/rt_search.h"

/* ---- decay functions (decay.c) ---- */

typedef enum rti_decay_kind {
    RTI_DECAY_BINARY = 0,  /* 1 for t <= cutoff, else 0 */
    RTI_DECAY_LINEAR,      /* 1 - t / cutoff for t <= cutoff, else 0 */
    RTI_DECAY_EXPONENTIAL, /* exp(-value t) */
    RTI_DECAY_POWER,       /* 1 for t <= 1, else t^-value */
    RTI_DECAY_STEPPED,     /* 1 below steps[0]; weights[k] from steps[k] on (IPEA) */
    RTI_DECAY_LOGISTIC,    /* Bauer & Groneberg's logistic: inflection cutoff, sd value */
    RTI_DECAY_GAUSSIAN,    /* exp(-t^2 / (2 value^2)) */
    RTI_DECAY_BANDS,       /* weights[k] for steps[k-1] < t <= steps[k] (E2SFCA), 0 beyond */
    RTI_DECAY_KINDS
} rti_decay_kind;

#define RTI_DECAY_MAX_STEPS 16

/* A decay function of the cost t in minutes (or km as the crow flies). */
typedef struct rti_decay {
    rti_decay_kind kind;
    double cutoff; /* binary, linear: the cutoff; logistic: its inflection point */
    double value;  /* exponential: decay_value; power: exponent; logistic: sd;
                      gaussian: sigma */
    int n_steps;
    double steps[RTI_DECAY_MAX_STEPS]; /* stepped, bands: increasing */
    double weights[RTI_DECAY_MAX_STEPS];
} rti_decay;

/* The names of the kinds as the study file writes them ("binary", ...,
 * "gaussian"; the bands have no name of their own), NULL-terminated. */
extern const char *const RTI_DECAY_NAMES[];

/* The weight of a cost (>= 0) in the search's units, seconds or metres;
 * unit is the cost of one unit of the decay (60: its parameters are in
 * minutes; 1: in the cost's own units). The thresholds of binary decay and
 * of the bands are compared in the cost's units, as the search compares
 * its cutoff, so that a cell reached at exactly a cutoff of x minutes
 * weighs 1 (x * 60 / 60 can exceed x: 0.27, 0.54, ...); each threshold
 * with the tolerance RT_LIMIT_REL (core/limit.h), as the search's cutoff. */
double rti_decay_weight(const rti_decay *d, double cost, double unit);
/* NULL when the parameters of d are in range, else the rule they break
 * (a static text such as "decay_value must be > 0"). */
const char *rti_decay_check(const rti_decay *d);
/* The bands of Luo & Qi's E2SFCA: 10/20/30 minutes, weights 1/0.68/0.22. */
void rti_decay_e2sfca(rti_decay *d);

/* ---- bounded searches per facility (reach.c) ---- */

typedef enum rti_reach_kind {
    RTI_REACH_GRID = 0, /* cost: seconds over a friction grid (rt_grid_search's cost model) */
    RTI_REACH_GRAPH,    /* cost: seconds along the arcs of a road graph */
    RTI_REACH_CROWFLY,  /* cost: metres from the facility's point to a cell centre */
    RTI_REACH_ROADS     /* cost: seconds over the roads of a network or hybrid medium, to
                           the cells attached to them (and over land for a hybrid) */
} rti_reach_kind;

/* The roads of a network or hybrid medium as the searches of kind ROADS
 * walk them: the reversed road graph and the cells attached to its edges
 * (core/hybrid.h; its fa and fa_n are not used here: the facilities bring
 * their own), with an index from every node to the cells of its edges.
 * Owns only the index; g and nc are borrowed for its life. */
typedef struct rti_reach_roads rti_reach_roads;
rt_status rti_reach_roads_build(rt_ctx *ctx, const rt_graph *g, const rti_net_cells *nc,
                                rti_reach_roads **out);
void rti_reach_roads_free(rti_reach_roads *r);

/* The medium the facilities are searched on. Borrowed. */
typedef struct rti_reach_medium {
    rti_reach_kind kind;
    /* GRID: the friction grid; CROWFLY: its nx, ny and cell_m; ROADS: the
     * grid over land of a hybrid medium, or friction NULL for a network
     * medium (cells are then reached from the roads only) */
    const rt_grid_medium *grid;
    int neighbours;               /* GRID, hybrid ROADS: 8 or 16 */
    const rt_graph *graph;        /* GRAPH */
    const rti_reach_roads *roads; /* ROADS */
} rti_reach_medium;

/* The facilities: facility j starts from src[first[j] .. first[j + 1] - 1]
 * (cells or nodes with their start times; none: it reaches nothing); as the
 * crow flies from the point (col_f[j], row_f[j]) in grid units (NaN: none).
 * On ROADS src holds cells, where a facility starts on the land or which
 * it reaches on foot (their times), and also nsrc[nfirst[j] ..
 * nfirst[j + 1] - 1] its road nodes and fa[fa_first[j] .. fa_first[j + 1]
 * - 1] its places on the roads (for the cells on the same edge).
 * Borrowed. */
typedef struct rti_reach_facs {
    int32_t n;
    const int64_t *first; /* n + 1 offsets into src (GRID, GRAPH, ROADS) */
    const rt_source *src;
    const double *col_f, *row_f; /* CROWFLY */
    const int64_t *nfirst;       /* ROADS */
    const rt_source *nsrc;
    const int64_t *fa_first;
    const rti_net_fac *fa;
} rti_reach_facs;

/* One thread's workspace: the costs of every cell (INFINITY but where the
 * current search has been), the cells the search touched, and its queue.
 * After a search only the touched cells are reset. */
typedef struct rti_reach_ws rti_reach_ws;
rti_reach_ws *rti_reach_ws_create(rt_ctx *ctx, int64_t n_cells);
/* The n_cells a workspace for medium m needs: its cells, on ROADS also
 * the road nodes. */
int64_t rti_reach_ws_cells(const rti_reach_medium *m);
void rti_reach_ws_destroy(rti_reach_ws *ws);

/* Cells of the medium (grid cells or graph nodes; on ROADS the cells of
 * the grid, the nodes are the searches' own). */
int64_t rti_reach_cells(const rti_reach_medium *m);

/* rti_reach_check - the medium and facilities as rti_reach_one needs them:
 * a grid of at most 2^32 - 1 cells with no zero, negative or -infinite
 * friction (RT_E_DATA naming the cell), 8 or 16 neighbours, sources inside
 * the medium on passable cells with finite start times >= 0 (RT_E_ARG);
 * on ROADS the cells and nodes inside the medium (a cell reached on foot
 * need not be passable) and the places on edges of the roads. */
rt_status rti_reach_check(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f);

/* rti_reach_one - the cells facility j reaches at a cost <= cutoff (with
 * the tolerance RT_LIMIT_REL, core/limit.h), in the order the search first
 * touched them, with their costs: *cells and *cost (n values) belong to ws
 * and stay valid until its next search. The cost of
 * a cell is bit for bit the time rt_grid_search (rt_graph_search) gives it
 * from j's sources alone. Returns RT_OK or RT_E_NOMEM. */
rt_status rti_reach_one(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f, int32_t j,
                        double cutoff, rti_reach_ws *ws, const uint32_t **cells,
                        const double **cost, int64_t *n);

/* Called for every facility with its reach (in parallel: it may write only
 * what belongs to facility j), and for every (facility, cell) pair, each
 * cell's pairs in facility order and on one thread (it may write only what
 * belongs to the cell). Either may be NULL. */
typedef void (*rti_reach_fac_fn)(void *user, int32_t j, const uint32_t *cells, const double *cost,
                                 int64_t n);
typedef void (*rti_reach_cell_fn)(void *user, int32_t j, uint32_t cell, double cost);

/* rti_reach_pass - searches every facility up to cutoff (after
 * rti_reach_check), rti_threads(ctx) at once, and hands the results to
 * fac_fn and cell_fn. Facilities are taken in blocks: the block's searches
 * run in parallel, then its pairs are handed to cell_fn in facility order,
 * with the cells split between the threads in contiguous bands. Returns RT_OK, RT_E_BUDGET
 * (the workspaces: 8 bytes per cell and thread), RT_E_NOMEM or
 * RT_E_CANCELLED (the progress callback, between blocks). */
rt_status rti_reach_pass(rt_ctx *ctx, const rti_reach_medium *m, const rti_reach_facs *f,
                         double cutoff, rti_reach_fac_fn fac_fn, rti_reach_cell_fn cell_fn,
                         void *user);

/* ---- the measures (measures.c) ---- */

typedef enum rti_measure_kind {
    RTI_MEASURE_COUNT = 0, /* facilities within the cutoff */
    RTI_MEASURE_CAPACITY,  /* their summed capacity */
    RTI_MEASURE_GRAVITY,   /* Hansen: sum of capacity x decay */
    RTI_MEASURE_2SFCA,     /* Luo & Wang 2003, with any decay */
    RTI_MEASURE_E2SFCA,    /* Luo & Qi 2009: 2SFCA with bands */
    RTI_MEASURE_3SFCA,     /* Wan, Zou & Sternberg 2012 */
    RTI_MEASURE_BFCA,      /* Paez, Higgins & Vivona 2019 */
    RTI_MEASURE_SPAVAIL,   /* spatial availability, Soukhov et al. 2023 */
    RTI_MEASURE_KTH,       /* cost to the k-th nearest facility, in units; NaN: fewer */
    RTI_MEASURE_BALANCING, /* cost at which the capacity within reach first covers the
                              cell's population, in units; NaN: not within the cutoff */
    RTI_MEASURE_KINDS
} rti_measure_kind;

#define RTI_MEASURE_MAX_K 8

/* Names as the study file writes them ("count", ..., "spatial_availability"). */
extern const char *const RTI_MEASURE_NAMES[];
/* 1 when the kind divides capacity between people (needs a population
 * and, to mean more than a count, a capacity). */
int rti_measure_is_fca(rti_measure_kind k);
/* 1 when the kind is a cost (lower is better, NaN: none within reach). */
int rti_measure_is_cost(rti_measure_kind k);

typedef struct rti_measure {
    rti_measure_kind kind;
    double cutoff;   /* in the medium's cost unit; a facility is within reach at cost <= cutoff */
    rti_decay decay; /* of the cost in `unit`s: gravity and the catchment family */
    double unit; /* the medium's cost per unit of the decay: 60 (s per minute), 1000 (m per km) */
    int k;       /* RTI_MEASURE_KTH: 1 .. RTI_MEASURE_MAX_K */
} rti_measure;

/* What the measures are computed over. Borrowed. */
typedef struct rti_measure_input {
    const rti_reach_medium *medium;
    const rti_reach_facs *facs;
    const double *capacity; /* per facility, finite and >= 0; NULL: 1 each */
    const float *pop;       /* per cell; NaN, infinite or <= 0: nobody; NULL: 1 each */
} rti_measure_input;

/* rti_measure_compute - the measure m of every cell into out (one value per
 * cell of the medium; 0 where nothing is within reach, NaN for the k-th
 * nearest where fewer than k are). Calls rti_reach_check first. */
rt_status rti_measure_compute(rt_ctx *ctx, const rti_measure_input *in, const rti_measure *m,
                              double *out);

/* ---- per region (inequality.c) ---- */

/* The population-weighted statistics of a per-cell measure x in region r:
 * mean (sum p x / sum p), Gini (sum_i sum_k p_i p_k |x_i - x_k| / (2 W^2
 * mean)) and the share of the region's population in the study's worst
 * decile: at or below the lower weighted 10 % quantile of x over all
 * populated cells (region or not). For a cost (cost_like: the k-th
 * nearest, lower is better, NaN where none is within reach) the worst
 * decile is at or above the 90 % quantile, NaN counting as infinite, and
 * mean and Gini are over the cells with a value. Cells without population
 * or region, and other measures' NaN, are left out; NaN where a region has
 * nobody (Gini also where its mean is 0). pop_zero_persons is the
 * population with none within reach: x = 0, or NaN for a cost. */
typedef struct rti_measure_region {
    double pop_persons;
    double pop_zero_persons; /* with x = 0: nothing within reach */
    double mean;
    double gini;
    double worst_decile_share;
} rti_measure_region;

/* rti_weighted_quantile (stats.c) - rt_weighted_quantile with its index
 * array allocated through ctx (budget, allocation-failure injection):
 * RT_OK with *out (NaN when no pair counts), or RT_E_NOMEM, which the
 * public function can only report as NaN. */
rt_status rti_weighted_quantile(rt_ctx *ctx, const double *values, const double *weights, int64_t n,
                                double q, double *out);

/* rti_measure_regions - the rows of the n_regions regions (region[c] in
 * -1 .. n_regions - 1). Sums run in the order of (region, value, cell), so
 * the results do not depend on threads. Returns RT_OK, RT_E_ARG or
 * RT_E_NOMEM. */
rt_status rti_measure_regions(rt_ctx *ctx, const double *x, const float *pop, const int32_t *region,
                              int64_t n_cells, int32_t n_regions, int cost_like,
                              rti_measure_region *out);

#endif
