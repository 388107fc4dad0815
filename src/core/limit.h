#ifndef RT_CORE_LIMIT_H
#define RT_CORE_LIMIT_H
/* Comparisons with a limit (a cutoff, a band, a step, a norm) under the
 * tolerance RT_LIMIT_REL (reistijd/rt_stats.h): a value at most that
 * fraction of the limit beyond it is at the limit. */
#include <math.h>

#include "reistijd/rt_stats.h"

/* The largest value that is at most `limit`: for `value <= limit`. */
static inline double rti_limit_up(double limit) { return limit + fabs(limit) * RT_LIMIT_REL; }

/* The smallest value that is at least `limit`: for `value >= limit`. */
static inline double rti_limit_down(double limit) { return limit - fabs(limit) * RT_LIMIT_REL; }

#endif
