#ifndef RT_SEARCH_H
#define RT_SEARCH_H
#include <stddef.h>
#include <stdint.h>

#include "rt_ctx.h"
#include "rt_export.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Multi-source travel-time search over a friction grid.
 *
 * Cost model (GRASS r.cost, scikit-image MCP_Geometric): a step between the
 * centres of cells a and b costs (f_a + f_b) / 2 x step length, with f in
 * seconds per metre; a knight step (16 neighbours) costs the mean of the
 * four cells it crosses x sqrt(5) x cell size and needs its two middle cells
 * passable. Times accumulate in double precision.
 *
 * Labels: per cell the time to the nearest facility and its index, and
 * optionally the second-nearest *distinct* facility (k = 2) and the route
 * length of the nearest route. Ties are broken on (time, facility index,
 * route length): among routes of bitwise equal time the lowest facility
 * index wins, then the shortest route. The result does not depend on the
 * order of the sources or on threads (docs/methods.md, "Determinism and threads"). */

/* A friction grid in plain memory, row-major, row 0 at the top (north).
 * NaN and +infinity mark impassable cells (nodata). Zero, negative and
 * -infinity values are invalid data (RT_E_DATA naming the cell): a barrier
 * is nodata, not a zero friction. The memory is borrowed. */
typedef struct rt_grid_medium {
    const float *friction_s_per_m; /* nx * ny values */
    int32_t nx;                    /* columns */
    int32_t ny;                    /* rows */
    double cell_m;                 /* cell size in metres (square cells) */
} rt_grid_medium;

/* A start: cell index (row * nx + col), or node of a graph, and the
 * facility it belongs to. Several sources may share a cell or a facility.
 * start_s is the time already spent when the search leaves this start
 * (finite, >= 0): 0 for a facility in the cell or at the node; for a
 * facility beside a road, the time from the facility to the road. Sources
 * written as {cell, facility} start at 0. */
typedef struct rt_source {
    int64_t cell;
    int32_t facility; /* >= 0 */
    double start_s;
} rt_source;

enum {
    RT_SEARCH_SECOND = 1u << 0, /* fill time2_s / facility2 */
    RT_SEARCH_LENGTH = 1u << 1  /* fill length_m */
};

/* Options of a search. Set up with rt_search_opts_init(), then change
 * what you need; the struct may grow at its end in later versions, and
 * struct_size tells the library which fields the caller has (0: the
 * fields up to start_m). */
typedef struct rt_search_opts {
    size_t struct_size; /* set by rt_search_opts_init */
    int neighbours;     /* 8 or 16 (default 16) */
    unsigned flags;     /* RT_SEARCH_* bits; unknown bits are rejected */
    double max_time_s;  /* cells beyond this stay unreached; default INFINITY */
    /* NULL (the default), or per source the route length already covered
     * when the search leaves it (m, finite, >= 0: a facility's way to the
     * road); used with RT_SEARCH_LENGTH. Borrowed, n_src values. */
    const float *start_m;
} rt_search_opts;

/* Fills *opts with the defaults and its struct_size. */
RT_API void rt_search_opts_init(rt_search_opts *opts);

/* Per-cell results, one value per cell of the grid. The arrays are owned by
 * whoever filled the struct: rt_labels_alloc() allocates them and
 * rt_labels_free() frees them, or the caller points them at its own memory.
 * Unreached cells hold time INFINITY, facility -1 and length NaN. */
typedef struct rt_labels {
    int64_t n_cells;
    double *time_s;     /* always */
    int32_t *facility;  /* always */
    double *time2_s;    /* with RT_SEARCH_SECOND, else NULL */
    int32_t *facility2; /* with RT_SEARCH_SECOND, else NULL */
    float *length_m;    /* with RT_SEARCH_LENGTH, else NULL */
} rt_labels;

/* Bytes per cell that rt_labels_alloc() allocates for these flags:
 * 12 (time + facility), +12 for the second label, +4 for the length. */
RT_API uint64_t rt_labels_bytes_per_cell(unsigned flags);

/* Allocates the arrays for n_cells cells; their contents are undefined
 * until a search fills them (every cell). Refuses with RT_E_BUDGET, before
 * allocating, when they exceed the context's budget. On error *labels is
 * zeroed. */
RT_API rt_status rt_labels_alloc(rt_ctx *ctx, int64_t n_cells, unsigned flags, rt_labels *labels);
/* Frees arrays allocated by rt_labels_alloc() and zeroes the struct. */
RT_API void rt_labels_free(rt_labels *labels);

/* Reusable search workspace (priority queue buckets). Reusing one across
 * searches avoids reallocating; one workspace per thread. */
typedef struct rt_search_ws rt_search_ws;
RT_API rt_search_ws *rt_search_ws_create(void);
RT_API void rt_search_ws_destroy(rt_search_ws *ws);
/* Bytes currently held by the workspace. */
RT_API uint64_t rt_search_ws_bytes(const rt_search_ws *ws);

/* rt_grid_search - nearest-facility travel time over a friction grid.
 * @ctx:   context; error message and progress (stage "search").
 * @grid:  borrowed friction grid.
 * @src:   borrowed array of n_src start cells (n_src >= 1); every cell must
 *         be inside the grid and passable (RT_E_ARG otherwise, naming it).
 * @opts:  NULL for defaults; a struct_size this library does not know is
 *         RT_E_ARG.
 * @ws:    workspace to reuse, or NULL for a temporary one.
 * @out:   arrays for grid->nx * grid->ny cells, matching opts->flags
 *         (out->n_cells must equal nx * ny).
 * Returns RT_OK, RT_E_ARG, RT_E_DATA (zero/negative friction, naming the
 * cell), RT_E_NOMEM or RT_E_CANCELLED. */
RT_API rt_status rt_grid_search(rt_ctx *ctx, const rt_grid_medium *grid, const rt_source *src,
                                int64_t n_src, const rt_search_opts *opts, rt_search_ws *ws,
                                rt_labels *out);

/* rt_grid_snap - the start cell for a point.
 * @col_f, @row_f: the point in grid units (cells from the west and north
 *         edges: col_f = (x - x0) / cell_m, row_f = (y1 - y) / cell_m).
 * A point inside a passable cell starts there (*snap_m = 0). Otherwise the
 * passable cell whose centre is nearest to the point, within radius_m, is
 * taken (lowest cell index on ties) and *snap_m is that distance in metres.
 * Returns 1 when a cell was found, 0 when none is within the radius. */
RT_API int rt_grid_snap(const rt_grid_medium *grid, double col_f, double row_f, double radius_m,
                        int64_t *cell, double *snap_m);

#ifdef __cplusplus
}
#endif
#endif
