#ifndef RT_NEAREST_INTERNAL_H
#define RT_NEAREST_INTERNAL_H
/* The two media of `reistijd nearest` (nearest.c: grid, nearest_network.c:
 * network). */
#include "reistijd/rt_study.h"

/* RT_E_ARG when out names the same file as one of the n inputs. */
rt_status rti_nearest_check_output(rt_ctx *ctx, const char *out, const char *const *inputs,
                                   const char *const *names, int n);
rt_status rti_nearest_network(rt_ctx *ctx, rt_nearest_opts *o);

#endif
