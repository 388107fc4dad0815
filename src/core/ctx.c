#define _DEFAULT_SOURCE       /* madvise */
#define RTI_CTX_DEFINES_ERROR /* ctx_internal.h: the function itself */
#include <locale.h>
#include <omp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_status.h"

struct rt_ctx {
    rt_status code;
    char msg[RTI_MSG_BYTES];
    rt_progress_fn progress;
    void *progress_user;
    rt_log_fn log;
    void *log_user;
    int threads;
    uint64_t budget_bytes; /* 0: 90 % of rti_memory_bytes, read when asked */
    /* allocation-failure injection for tests: fail the alloc_fail_at-th
     * allocation made through rti_malloc_array (1-based); 0 = never */
    int64_t alloc_fail_at;
    int64_t alloc_count;
    /* set by rt_ctx_request_cancel from any thread or a signal handler:
     * a lock-free atomic is safe for both */
    atomic_int cancel;
    const char *stage; /* last stage named to rti_progress (a literal) */
    /* during a public call in the C locale (rti_locale_enter): the host's
     * locale, in which its callbacks run, and the name of the process's
     * LC_NUMERIC, given back before them if a library changed it; 0 and
     * "" otherwise */
    locale_t host_locale;
    char host_numeric[64];
};

/* RT_VERSION_STRING comes from project(VERSION) in CMakeLists.txt. */
#ifndef RT_VERSION_STRING
#error "RT_VERSION_STRING must be defined by the build"
#endif

const char *rt_version(void) { return RT_VERSION_STRING; }

const char *rt_status_str(rt_status status)
{
    static const char *const names[RT_STATUS_END] = {
        "RT_OK",      "RT_E_NOMEM", "RT_E_ARG",    "RT_E_IO",        "RT_E_DATA",
        "RT_E_PARSE", "RT_E_CRS",   "RT_E_BUDGET", "RT_E_CANCELLED", "RT_E_INTERNAL",
    };
    if ((int)status < 0 || status >= RT_STATUS_END)
        return "RT_E_UNKNOWN";
    return names[status];
}

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the cancel flag must be lock-free for signal handlers");

rt_ctx *rt_ctx_create(void) { return calloc(1, sizeof(rt_ctx)); }

void rt_ctx_destroy(rt_ctx *ctx) { free(ctx); }

const char *rt_ctx_errmsg(const rt_ctx *ctx) { return ctx ? ctx->msg : ""; }
rt_status rt_ctx_errcode(const rt_ctx *ctx) { return ctx ? ctx->code : RT_E_ARG; }

void rt_ctx_clear_error(rt_ctx *ctx)
{
    if (!ctx)
        return;
    ctx->code = RT_OK;
    ctx->msg[0] = '\0';
}

void rt_ctx_set_progress(rt_ctx *ctx, rt_progress_fn fn, void *user)
{
    if (!ctx)
        return;
    ctx->progress = fn;
    ctx->progress_user = user;
}

void rt_ctx_set_log(rt_ctx *ctx, rt_log_fn fn, void *user)
{
    if (!ctx)
        return;
    ctx->log = fn;
    ctx->log_user = user;
}

void rt_ctx_set_threads(rt_ctx *ctx, int threads)
{
    if (ctx)
        ctx->threads = threads > 0 ? threads : 0;
}
int rt_ctx_threads(const rt_ctx *ctx) { return ctx ? rti_threads(ctx) : omp_get_max_threads(); }
int rti_threads(const rt_ctx *ctx)
{
    return ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
}

void rt_ctx_set_budget_bytes(rt_ctx *ctx, uint64_t budget_bytes)
{
    if (ctx)
        ctx->budget_bytes = budget_bytes;
}
uint64_t rt_ctx_budget_bytes(const rt_ctx *ctx) { return ctx ? rti_budget_effective(ctx) : 0; }

/* The lower of best (0: none yet) and the limit in the file at path; a
 * missing file, "max" and v1's "unlimited" (a number near 2^63) are no
 * limit. */
static uint64_t lower_limit(uint64_t best, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return best;
    char buf[64] = {0};
    uint64_t v = 0;
    if (fgets(buf, sizeof(buf), f) && buf[0] >= '0' && buf[0] <= '9')
        v = strtoull(buf, NULL, 10);
    fclose(f);
    return v > 0 && v < ((uint64_t)1 << 62) && (best == 0 || v < best) ? v : best;
}

uint64_t rti_cgroup_limit_at(const char *proc_cgroup, const char *sys_cgroup)
{
    FILE *f = fopen(proc_cgroup, "r");
    if (!f)
        return 0;
    char line[4096], path[4200], base[512];
    uint64_t best = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *ctl = strchr(line, ':'), *rel = ctl ? strchr(ctl + 1, ':') : NULL;
        if (!rel)
            continue;
        *rel++ = '\0';
        ctl++;
        const int v2 = *ctl == '\0';
        if (!v2 && !strstr(ctl, "memory"))
            continue;
        snprintf(base, sizeof(base), "%s%s", sys_cgroup, v2 ? "" : "/memory");
        const char *file = v2 ? "memory.max" : "memory.limit_in_bytes";
        for (;;) { /* from the process's cgroup up to the root */
            snprintf(path, sizeof(path), "%s%s/%s", base, strcmp(rel, "/") ? rel : "", file);
            best = lower_limit(best, path);
            char *slash = strrchr(rel, '/');
            if (!slash || slash == rel)
                break;
            *slash = '\0';
        }
        if (strcmp(rel, "/") != 0) {
            snprintf(path, sizeof(path), "%s/%s", base, file);
            best = lower_limit(best, path);
        }
    }
    fclose(f);
    return best;
}

uint64_t rti_memory_bytes(const char **source)
{
    long pages = sysconf(_SC_PHYS_PAGES);
    long page = sysconf(_SC_PAGE_SIZE);
    uint64_t phys = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
    uint64_t cg = rti_cgroup_limit_at("/proc/self/cgroup", "/sys/fs/cgroup");
    const int by_cg = cg > 0 && (phys == 0 || cg < phys);
    if (source)
        *source = by_cg ? "cgroup" : "physical";
    return by_cg ? cg : phys;
}

uint64_t rti_budget_effective(const rt_ctx *ctx)
{
    if (ctx->budget_bytes)
        return ctx->budget_bytes;
    /* read here, not when the context is made: contexts are made per
     * thread and per input, most with a budget of their own */
    uint64_t memory = rti_memory_bytes(NULL);
    return memory ? memory / 10 * 9 : UINT64_MAX;
}

rt_status rti_error(rt_ctx *ctx, rt_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
    va_end(ap);
    ctx->code = status;
    return status;
}

void rti_error_prefix(rt_ctx *ctx, const char *fmt, ...)
{
    char buf[RTI_MSG_BYTES];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf) - 2, fmt, ap);
    va_end(ap);
    size_t p = n < 0 ? 0 : strlen(buf);
    buf[p++] = ':';
    buf[p++] = ' ';
    size_t rest = sizeof(buf) - p - 1;
    size_t m = strlen(ctx->msg);
    if (m > rest)
        m = rest;
    memcpy(buf + p, ctx->msg, m);
    buf[p + m] = '\0';
    memcpy(ctx->msg, buf, p + m + 1);
}

/* The process's LC_NUMERIC back to `name` ("": unknown, left as it is)
 * when a library changed it. */
static void numeric_back(const char *name)
{
    const char *now = setlocale(LC_NUMERIC, NULL);
    if (name[0] && now && strcmp(now, name) != 0)
        setlocale(LC_NUMERIC, name);
}

/* The host's locale on this thread for one of its callbacks (and its
 * LC_NUMERIC back if a library changed it); returns the locale to put
 * back after, 0 when nothing changed. */
static locale_t host_locale_on(rt_ctx *ctx)
{
    if (!ctx->host_locale)
        return (locale_t)0;
    numeric_back(ctx->host_numeric);
    return uselocale(ctx->host_locale);
}

void rti_log(rt_ctx *ctx, rt_log_level level, const char *fmt, ...)
{
    if (!ctx->log)
        return;
    char buf[RTI_MSG_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    locale_t ours = host_locale_on(ctx);
    ctx->log(level, buf, ctx->log_user);
    if (ours)
        uselocale(ours);
}

void rt_ctx_request_cancel(rt_ctx *ctx)
{
    if (ctx)
        atomic_store_explicit(&ctx->cancel, 1, memory_order_relaxed);
}

int rt_ctx_cancel_requested(const rt_ctx *ctx)
{
    return ctx && atomic_load_explicit(&ctx->cancel, memory_order_relaxed) != 0;
}

int rti_progress(rt_ctx *ctx, double fraction, const char *stage)
{
    if (rt_ctx_cancel_requested(ctx))
        return 0;
    if (stage)
        ctx->stage = stage;
    else
        stage = ctx->stage ? ctx->stage : "read";
    if (!ctx->progress)
        return 1;
    locale_t ours = host_locale_on(ctx);
    const int go_on = ctx->progress(fraction, stage, ctx->progress_user) != 0;
    if (ours)
        uselocale(ours);
    return go_on;
}

void rti_ctx_fail_alloc_at(rt_ctx *ctx, int64_t k)
{
    ctx->alloc_fail_at = k > 0 ? k : 0;
    ctx->alloc_count = 0;
}

int64_t rti_ctx_alloc_count(const rt_ctx *ctx) { return ctx->alloc_count; }

void rti_ctx_inherit(rt_ctx *child, const rt_ctx *parent)
{
    child->budget_bytes = parent->budget_bytes;
    child->alloc_count = 0;
    child->alloc_fail_at = parent->alloc_fail_at > parent->alloc_count
                               ? parent->alloc_fail_at - parent->alloc_count
                               : 0;
}

static int injected_failure(rt_ctx *ctx)
{
    if (!ctx->alloc_fail_at)
        return 0;
    return ++ctx->alloc_count == ctx->alloc_fail_at;
}

/* Large zeroed blocks (label and grid arrays) are aligned to 2 MiB and asked
 * for transparent huge pages: first touching 100 MB of 4 KiB pages costs
 * about as much as a search on a VM, 2 MiB pages cut those faults 512-fold. */
#define RTI_HUGE_BYTES ((size_t)32 << 20)
#define RTI_HUGE_ALIGN ((size_t)2 << 20)

static void *block(size_t bytes, int zero)
{
    if (bytes < RTI_HUGE_BYTES)
        return zero ? calloc(bytes ? bytes : 1, 1) : malloc(bytes ? bytes : 1);
    size_t rounded = (bytes + RTI_HUGE_ALIGN - 1) / RTI_HUGE_ALIGN * RTI_HUGE_ALIGN;
    void *p = aligned_alloc(RTI_HUGE_ALIGN, rounded);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);
#endif
    if (zero)
        memset(p, 0, bytes);
    return p;
}

static void *alloc_array(rt_ctx *ctx, int64_t n, size_t size, const char *what, int zero)
{
    char b[32];
    if (n < 0 || (size && (uint64_t)n > SIZE_MAX / size)) {
        rti_error(ctx, RT_E_NOMEM, "%s: %lld elements of %zu bytes do not fit in memory", what,
                  (long long)n, size);
        return NULL;
    }
    void *p = injected_failure(ctx) ? NULL : block((size_t)n * size, zero);
    if (!p)
        rti_error(ctx, RT_E_NOMEM, "%s: out of memory allocating %s", what,
                  rti_fmt_bytes((uint64_t)n * size, b, sizeof(b)));
    return p;
}

void *rti_alloc_array_uninit(rt_ctx *ctx, int64_t n, size_t size, const char *what)
{
    return alloc_array(ctx, n, size, what, 0);
}

void *rti_malloc_array(rt_ctx *ctx, int64_t n, size_t size, const char *what)
{
    return alloc_array(ctx, n, size, what, 1);
}

void *rti_realloc_array(rt_ctx *ctx, void *p, int64_t n, size_t size, const char *what)
{
    char b[32];
    if (n < 0 || (size && (uint64_t)n > SIZE_MAX / size)) {
        rti_error(ctx, RT_E_NOMEM, "%s: %lld elements do not fit in memory", what, (long long)n);
        return NULL;
    }
    void *q = injected_failure(ctx) ? NULL : realloc(p, n && size ? (size_t)n * size : 1);
    if (!q)
        rti_error(ctx, RT_E_NOMEM, "%s: out of memory allocating %s", what,
                  rti_fmt_bytes((uint64_t)n * size, b, sizeof(b)));
    return q;
}

rt_status rti_budget_check(rt_ctx *ctx, uint64_t bytes, const char *what)
{
    uint64_t budget = rti_budget_effective(ctx);
    if (bytes <= budget)
        return RT_OK;
    char need[32], have[32];
    return rti_error(ctx, RT_E_BUDGET, "%s would need %s of memory, more than the %s allowed", what,
                     rti_fmt_bytes(bytes, need, sizeof(need)),
                     rti_fmt_bytes(budget, have, sizeof(have)));
}

const char *rti_fmt_bytes(uint64_t bytes, char *buf, size_t n)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024.0 && u < 5) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, n, u ? "%.2f %s" : "%.0f %s", v, unit[u]);
    return buf;
}

double rti_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void rti_locale_enter(rt_ctx *ctx, rti_locale_state *s)
{
    memset(s, 0, sizeof(*s));
    const char *numeric = setlocale(LC_NUMERIC, NULL);
    if (numeric && strlen(numeric) < sizeof(s->numeric))
        memcpy(s->numeric, numeric, strlen(numeric) + 1);
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c == (locale_t)0)
        return;
    locale_t saved = uselocale(c);
    if (saved == (locale_t)0) {
        freelocale(c);
        return;
    }
    s->saved = saved;
    s->made = c;
    if (ctx) {
        s->ctx = ctx;
        s->ctx_before = ctx->host_locale;
        if (!ctx->host_locale) { /* nested: the outer call's saved is the host's */
            ctx->host_locale = saved;
            memcpy(ctx->host_numeric, s->numeric, sizeof(s->numeric));
        }
    }
}

void rti_locale_leave(rti_locale_state *s)
{
    if (s->made == (locale_t)0)
        return;
    if (s->ctx) {
        s->ctx->host_locale = s->ctx_before;
        if (!s->ctx_before)
            s->ctx->host_numeric[0] = '\0';
    }
    uselocale(s->saved);
    freelocale(s->made);
    numeric_back(s->numeric);
}

void rti_ctx_get_log(const rt_ctx *ctx, rt_log_fn *fn, void **user)
{
    *fn = ctx->log;
    *user = ctx->log_user;
}

void rti_ctx_get_progress(const rt_ctx *ctx, rt_progress_fn *fn, void **user)
{
    *fn = ctx->progress;
    *user = ctx->progress_user;
}

uint64_t rti_ctx_budget_requested(const rt_ctx *ctx) { return ctx->budget_bytes; }

int rti_ctx_threads_requested(const rt_ctx *ctx) { return ctx->threads; }

char *rti_strdup(rt_ctx *ctx, const char *s, const char *what)
{
    size_t n = strlen(s) + 1;
    char *p = rti_malloc_array(ctx, (int64_t)n, 1, what);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* The bytes of the caller's struct, from its struct_size; 0 when it is
 * not one this library can read. */
static size_t struct_bytes(const void *s, size_t v1_bytes, size_t full)
{
    size_t given;
    memcpy(&given, s, sizeof(given));
    if (given == 0)
        return v1_bytes;
    return given >= v1_bytes && given <= full ? given : 0;
}

/* Copies the fields after struct_size from `from` to `to`, as far as the
 * caller's struct (`caller`, one of the two) reaches. */
static rt_status struct_copy(rt_ctx *ctx, const void *caller, const void *from, void *to,
                             size_t v1_bytes, size_t full, const char *what)
{
    size_t n = struct_bytes(caller, v1_bytes, full);
    if (!n && !ctx)
        return RT_E_ARG;
    if (!n)
        return rti_error(ctx, RT_E_ARG,
                         "%s: struct_size %zu is not one this reistijd knows (%zu to %zu bytes, "
                         "or 0); set the struct up with its _init function",
                         what, *(const size_t *)caller, v1_bytes, full);
    memcpy((char *)to + sizeof(size_t), (const char *)from + sizeof(size_t), n - sizeof(size_t));
    return RT_OK;
}

rt_status rti_struct_in(rt_ctx *ctx, const void *in, size_t v1_bytes, size_t full, void *out,
                        const char *what)
{
    return struct_copy(ctx, in, in, out, v1_bytes, full, what);
}

rt_status rti_struct_out(rt_ctx *ctx, const void *from, size_t v1_bytes, size_t full, void *to,
                         const char *what)
{
    return struct_copy(ctx, to, from, to, v1_bytes, full, what);
}
