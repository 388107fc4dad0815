#ifndef RT_H
#define RT_H
/* reistijd - travel-time accessibility engine. Umbrella header. */
#include "rt_batch.h"
#include "rt_ctx.h"
#include "rt_graph.h"
#include "rt_info.h"
#include "rt_search.h"
#include "rt_stats.h"
#include "rt_status.h"
#include "rt_study.h"
#endif
