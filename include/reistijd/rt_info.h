#ifndef RT_INFO_H
#define RT_INFO_H
#include <stddef.h>
#include <stdint.h>

#include "rt_ctx.h"
#include "rt_export.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What this build of reistijd runs with: library versions, the GDAL
 * drivers it reads and writes through, the OpenMP thread count and the
 * memory budget a call through a given context would use. Behind
 * `reistijd info` (docs/cli.md). */

#define RT_INFO_MAX_DRIVERS 8

typedef struct rt_info_driver {
    const char *name; /* GDAL short name: "GTiff", "ESRI Shapefile" */
    const char *use;  /* what reistijd uses it for, one short phrase */
    int present;      /* 1 when the GDAL in use has the driver registered */
} rt_info_driver;

typedef struct rt_info {
    /* set by rt_info_init: the struct may grow at its end, and the library
     * fills only what the caller's struct has (0: the fields up to
     * physical_memory_bytes) */
    size_t struct_size;
    /* versions of the libraries in use at run time ("3.6.2"); static strings */
    const char *reistijd;
    const char *gdal;
    const char *proj;
    const char *geos;
    const char *libfyaml;
    const char *json_c;
    rt_info_driver drivers[RT_INFO_MAX_DRIVERS];
    int n_drivers;
    /* OpenMP threads a call through the context would use, and where the
     * number comes from: "caller" (rt_ctx_set_threads), "OMP_NUM_THREADS"
     * (the environment) or "processors" (OpenMP's default). The caller may
     * replace the source with its own wording (the CLI says "--threads")
     * before rt_info_json. A run uses at most one thread per facility type. */
    int threads;
    const char *threads_source;
    int processors; /* processors OpenMP sees */
    /* memory budget of a call through the context, in bytes; source
     * "caller" (rt_ctx_set_budget_bytes) or "default" (90 % of the physical
     * memory, or of the process's cgroup memory limit when that is lower).
     * A study's memory_limit replaces it for that run. */
    uint64_t budget_bytes;
    const char *budget_source;
    uint64_t physical_memory_bytes; /* 0 when unknown */
    /* the lowest memory limit of the process's cgroup and its ancestors (a
     * Slurm job's --mem, a container's limit); 0 when there is none */
    uint64_t cgroup_limit_bytes;
} rt_info;

/* Zeroes *info and sets its struct_size. */
RT_API void rt_info_init(rt_info *info);

/* rt_info_query - fills *out for calls made through ctx (threads and
 * budget as set on it). Registers the GDAL drivers if that has not
 * happened yet. *out must be set up with rt_info_init() (or have
 * struct_size 0); only the fields its struct_size covers are written.
 * Returns RT_OK, or RT_E_ARG for a NULL argument or a struct_size this
 * library does not know. */
RT_API rt_status rt_info_query(rt_ctx *ctx, rt_info *out);

/* rt_info_json - *info as one JSON object (schema in docs/cli.md,
 * "reistijd info --json"), pretty-printed and ending in a newline. Returns
 * a new string that the caller frees with free(), or NULL when out of
 * memory, when info is NULL or when its struct_size is not one this
 * library knows. */
RT_API char *rt_info_json(const rt_info *info);

#ifdef __cplusplus
}
#endif
#endif
