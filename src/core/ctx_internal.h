#ifndef RT_CTX_INTERNAL_H
#define RT_CTX_INTERNAL_H
/* Internal context API shared by all layers; never installed. */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include "reistijd/rt_ctx.h"

#define RTI_MSG_BYTES 2048

#if defined(__GNUC__)
#define RTI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RTI_PRINTF(a, b)
#endif

/* Stores the message and returns status, so callers can write
 * `return rti_error(ctx, RT_E_DATA, "%s: ...", path);`. */
rt_status rti_error(rt_ctx *ctx, rt_status status, const char *fmt, ...) RTI_PRINTF(3, 4);
#if defined(__clang_analyzer__) && !defined(RTI_CTX_DEFINES_ERROR)
/* The static analyzer does not look into other files: tell it that
 * rti_error returns the status it is given. */
#define rti_error(ctx, status, ...) (rti_error((ctx), (status), __VA_ARGS__), (status))
#endif
/* Prefixes the stored message with "prefix: " (for adding file names). */
void rti_error_prefix(rt_ctx *ctx, const char *fmt, ...) RTI_PRINTF(2, 3);
void rti_log(rt_ctx *ctx, rt_log_level level, const char *fmt, ...) RTI_PRINTF(3, 4);
/* Calls the progress callback; returns 1 to go on, 0 when cancelled.
 * stage must be a string literal; NULL reports the fraction under the
 * stage last named on this context (a step such as reading a raster inside
 * the stage "population"), or "read" when none was named. */
int rti_progress(rt_ctx *ctx, double fraction, const char *stage);

/* calloc-like allocation of n elements of size bytes, with overflow check
 * and test fault injection; sets RT_E_NOMEM with `what` on failure. */
void *rti_malloc_array(rt_ctx *ctx, int64_t n, size_t size, const char *what);
/* As rti_malloc_array without zeroing, for arrays the caller fills at once. */
void *rti_alloc_array_uninit(rt_ctx *ctx, int64_t n, size_t size, const char *what);
void *rti_realloc_array(rt_ctx *ctx, void *p, int64_t n, size_t size, const char *what);
/* A copy of the string s through rti_malloc_array (NULL + RT_E_NOMEM with
 * `what` when out of memory). */
char *rti_strdup(rt_ctx *ctx, const char *s, const char *what);
/* RT_E_BUDGET (with the amount needed) when bytes exceed the budget. */
rt_status rti_budget_check(rt_ctx *ctx, uint64_t bytes, const char *what);
/* Effective budget in bytes (resolves 0 to 90 % of physical memory). */
/* The memory this process may use: the physical memory, or the limit of
 * its cgroup when lower; *source (may be NULL) gets "physical" or
 * "cgroup". 0 when unknown. The default budget is 90 % of it. */
uint64_t rti_memory_bytes(const char **source);
/* The lowest memory limit of the cgroup named for this process in
 * proc_cgroup (the format of /proc/self/cgroup) and of its ancestors,
 * under sys_cgroup (/sys/fs/cgroup): cgroup v2 memory.max, or v1
 * memory/.../memory.limit_in_bytes (whose "unlimited" is a number near
 * 2^63). 0 when there is none. A Slurm job with --mem, a container with a
 * memory limit and a systemd unit with MemoryMax run in one, while the
 * physical memory is the whole machine's. */
uint64_t rti_cgroup_limit_at(const char *proc_cgroup, const char *sys_cgroup);
uint64_t rti_budget_effective(const rt_ctx *ctx);
/* Effective thread count (resolves 0 to omp_get_max_threads()). */
int rti_threads(const rt_ctx *ctx);

/* What the caller set on the context, for code that sets its own for a
 * while and puts the caller's back: the log callback, the progress
 * callback, the budget (0 = the default) and the threads (0 = the
 * default). The fields of struct rt_ctx are private to ctx.c. */
void rti_ctx_get_log(const rt_ctx *ctx, rt_log_fn *fn, void **user);
void rti_ctx_get_progress(const rt_ctx *ctx, rt_progress_fn *fn, void **user);
uint64_t rti_ctx_budget_requested(const rt_ctx *ctx);
int rti_ctx_threads_requested(const rt_ctx *ctx);

/* Structs of the public API that may grow (rt_search_opts, rt_run_opts,
 * rt_nearest_opts, rt_nearest_result, rt_stats_input, rt_info) start with
 * size_t struct_size: the bytes of the struct the caller was built with,
 * set by its _init function; 0 means the first layout (v1_bytes, the end
 * of the last field of the first version), for callers that fill the
 * struct themselves.
 * rti_struct_in - a caller's struct as this library knows it: out holds
 * the defaults (full bytes) and gets the caller's first bytes. RT_E_ARG
 * naming `what` when struct_size is neither 0 nor between v1_bytes and
 * full (a caller built against a newer reistijd, or a struct never set
 * up; ctx may be NULL: no message).
 * rti_struct_out - copies the library's full struct `from` into the
 * caller's struct `to` as far as the caller's struct_size reaches (the
 * same refusals). */
rt_status rti_struct_in(rt_ctx *ctx, const void *in, size_t v1_bytes, size_t full, void *out,
                        const char *what);
/* The v1_bytes of a struct whose first layout ended with `field`: its end,
 * rounded up to 8 bytes (the struct's padding belongs to the first
 * layout; a field added later starts at or after it). */
#define RTI_V1_BYTES(type, field)                                                                  \
    ((offsetof(type, field) + sizeof(((type *)0)->field) + 7) & ~(size_t)7)
rt_status rti_struct_out(rt_ctx *ctx, const void *from, size_t v1_bytes, size_t full, void *to,
                         const char *what);

/* Test hook: fail the k-th allocation from now (k >= 1), 0 disables. */
void rti_ctx_fail_alloc_at(rt_ctx *ctx, int64_t k);
/* Test hook: the allocations on ctx since rti_ctx_fail_alloc_at (k > 0);
 * a call that succeeds although this reached k swallowed the failure. */
int64_t rti_ctx_alloc_count(const rt_ctx *ctx);
/* A helper thread's context: the parent's memory budget, and a pending
 * injected failure counted from now on (each helper fails at the same
 * remaining count, so a test reaches the failure points of every thread). */
void rti_ctx_inherit(rt_ctx *child, const rt_ctx *parent);

/* The C locale on the calling thread for the length of a public call that
 * reads or writes text: numbers are read and written with a '.' whatever
 * the host set with setlocale() (a host in a Dutch locale would otherwise
 * have "1,5" written into CSV files and "1.5" read as 1). The host's log
 * and progress callbacks of ctx (NULL: none) still run in the host's
 * locale. The process's LC_NUMERIC is given back at the end when a library
 * changed it meanwhile (libspatialite, which GDAL loads to open a
 * GeoPackage, sets it to "POSIX"). Nested calls are fine; when no locale
 * can be made nothing changes. */
typedef struct rti_locale_state {
    locale_t saved;      /* the thread's locale before, given back at the end */
    locale_t made;       /* the C locale made for the call, freed at the end */
    rt_ctx *ctx;         /* whose callbacks run in `saved` meanwhile */
    locale_t ctx_before; /* that context's host locale before (nested calls) */
    char numeric[64];    /* the process's LC_NUMERIC before ("": unknown) */
} rti_locale_state;
void rti_locale_enter(rt_ctx *ctx, rti_locale_state *s);
void rti_locale_leave(rti_locale_state *s);
/* The body of such a public function: returns `call`, made in the C
 * locale. */
#define RTI_IN_C_LOCALE(ctx, type, call)                                                           \
    do {                                                                                           \
        rti_locale_state ls_;                                                                      \
        rti_locale_enter((ctx), &ls_);                                                             \
        type r_ = (call);                                                                          \
        rti_locale_leave(&ls_);                                                                    \
        return r_;                                                                                 \
    } while (0)

/* Monotonic wall clock in seconds. */
double rti_now_s(void);

/* Formats a byte count as "1.23 GiB" into buf. */
const char *rti_fmt_bytes(uint64_t bytes, char *buf, size_t n);

#endif
