#ifndef RT_STUDY_UTIL_H
#define RT_STUDY_UTIL_H
/* Helpers shared by the study-layer jobs (run, nearest). */
#include <stdint.h>

#include "io/io.h"
#include "reistijd/rt_search.h"

/* Monotonic wall clock in seconds. */
double rti_now_s(void);

/* 1 when word (may be NULL: 0) is one of the NULL-terminated words. */
int rti_word_in(const char *word, const char *const *words);
/* The words a YAML file may write for no / yes (what YAML 1.1 readers
 * take as booleans, in the three usual spellings). */
extern const char *const rti_no_words[];
extern const char *const rti_yes_words[];

/* Turns facility points into start cells on the grid: the cell under the
 * point, or the nearest passable one within radius_m (rt_grid_snap).
 * Writes the start cells (facility index = point index) to src and returns
 * how many; points with no passable cell in reach are left out and listed
 * in one warning naming `what` and the first few ids. *n_snapped counts the
 * moved points, *n_dropped the left-out ones. snap_m (may be NULL) gets the
 * distance moved per point (NaN when dropped). what NULL: no messages. */
/* Logs (information) that `outside` of the n facilities of `what` lie
 * outside the study extent; nothing when outside is 0. */
void rti_log_facilities_outside(rt_ctx *ctx, const char *what, int64_t outside, int64_t n);

int64_t rti_snap_points(rt_ctx *ctx, const rt_grid_medium *med, const rti_grid_spec *grid,
                        const rti_points *pts, double radius_m, const char *what, rt_source *src,
                        int64_t *n_snapped, int64_t *n_dropped);
int64_t rti_snap_points_ex(rt_ctx *ctx, const rt_grid_medium *med, const rti_grid_spec *grid,
                           const rti_points *pts, double radius_m, const char *what, rt_source *src,
                           int64_t *n_snapped, int64_t *n_dropped, double *snap_m,
                           int64_t *cell_of_point);

#endif
