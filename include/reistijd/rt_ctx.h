#ifndef RT_CTX_H
#define RT_CTX_H
#include <stddef.h>
#include <stdint.h>

#include "rt_export.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* rt_ctx - per-caller state: the last error message, the log and progress
 * callbacks and limits. Create one per thread that calls reistijd; a context
 * is not thread-safe, the library has no other mutable state. Files are read
 * and written in the C locale (a '.' in numbers) whatever the host's
 * setlocale(): each call that handles text sets it on its own thread only,
 * and the log and progress callbacks run in the host's locale.
 *
 * Progress follows GDALProgressFunc: the callback gets the fraction done
 * (0..1) of the current stage and a stage name, and returns non-zero to go
 * on or 0 to cancel; the running call then returns RT_E_CANCELLED. It is
 * only ever invoked on the thread that made the call.
 *
 * A NULL context: calls that return a status return RT_E_ARG (there is no
 * context to hold a message), the setters below do nothing and the getters
 * give their defaults. A NULL required argument with a context is RT_E_ARG
 * with a message; the _init and _destroy/_free functions accept NULL. */

typedef struct rt_ctx rt_ctx;

typedef int (*rt_progress_fn)(double fraction, const char *stage, void *user);

typedef enum rt_log_level { RT_LOG_DEBUG = 0, RT_LOG_INFO = 1, RT_LOG_WARNING = 2 } rt_log_level;

typedef void (*rt_log_fn)(rt_log_level level, const char *message, void *user);

/* Returns a new context, or NULL when out of memory. Free it with
 * rt_ctx_destroy(). Defaults: no callbacks, threads from OpenMP
 * (OMP_NUM_THREADS), memory budget 0 = 90 % of physical memory (or of a
 * lower cgroup limit, read when a call needs the budget). */
RT_API rt_ctx *rt_ctx_create(void);
/* Frees a context; NULL is accepted. */
RT_API void rt_ctx_destroy(rt_ctx *ctx);

/* The message of the last error set on this context ("" if none). The
 * pointer stays valid until the next call that uses the context. */
RT_API const char *rt_ctx_errmsg(const rt_ctx *ctx);
/* The status of the last error set on this context (RT_OK if none;
 * RT_E_ARG for a NULL context). */
RT_API rt_status rt_ctx_errcode(const rt_ctx *ctx);
/* Clears the stored error. */
RT_API void rt_ctx_clear_error(rt_ctx *ctx);

RT_API void rt_ctx_set_progress(rt_ctx *ctx, rt_progress_fn fn, void *user);

/* Asks the running call on this context to stop: it returns RT_E_CANCELLED
 * at its next progress point, as if the progress callback had returned 0.
 * Safe to call from another thread and from a signal handler (it only
 * stores a flag). The request stays until the context is destroyed. */
RT_API void rt_ctx_request_cancel(rt_ctx *ctx);
RT_API int rt_ctx_cancel_requested(const rt_ctx *ctx);
RT_API void rt_ctx_set_log(rt_ctx *ctx, rt_log_fn fn, void *user);

/* Number of OpenMP threads used by calls made through this context;
 * 0 (the default) means omp_get_max_threads(). */
RT_API void rt_ctx_set_threads(rt_ctx *ctx, int threads);
RT_API int rt_ctx_threads(const rt_ctx *ctx);

/* Largest working memory a single call may allocate, in bytes; 0 means
 * 90 % of physical memory, or of the process's cgroup memory limit when
 * that is lower, read at each call that needs it (rt_study_run reads it
 * once and keeps it for the run). Calls that would need more fail with
 * RT_E_BUDGET before allocating and say how much they would need. */
RT_API void rt_ctx_set_budget_bytes(rt_ctx *ctx, uint64_t budget_bytes);
RT_API uint64_t rt_ctx_budget_bytes(const rt_ctx *ctx);

/* Version of the library as "MAJOR.MINOR.PATCH". Static string. */
RT_API const char *rt_version(void);

#ifdef __cplusplus
}
#endif
#endif
