/* rt_batch_run: the job list of a batch, its share, and the jobs run one
 * after the other, each as rt_study_run would run it alone. */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "study/batch/batch.h"

static const char *const state_words[RTI_JOB_STATES] = {"elsewhere", "ok",      "failed",
                                                        "cancelled", "running", "done"};

const char *rti_job_state_word(rti_job_state s)
{
    return s < RTI_JOB_STATES ? state_words[s] : "?";
}

rti_job_state rti_job_state_of(const char *word)
{
    int s = 0;
    while (s < RTI_JOB_STATES && strcmp(state_words[s], word) != 0)
        s++;
    return (rti_job_state)s;
}

void rti_batch_count(rt_batch *b)
{
    b->n_failed = b->n_run = 0;
    for (int i = 0; i < b->n_jobs; i++) {
        b->n_failed += b->jobs[i].state == RTI_JOB_FAILED;
        b->n_run += b->jobs[i].state == RTI_JOB_OK || b->jobs[i].state == RTI_JOB_FAILED;
    }
}

void rt_batch_opts_init(rt_batch_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->struct_size = sizeof(*opts);
    opts->n_shards = 1;
}

rt_status rti_job_name(rt_ctx *ctx, const char *study, char **name)
{
    const char *base = strrchr(study, '/') ? strrchr(study, '/') + 1 : study;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (n == 0 || (n == 1 && base[0] == '.') || (n == 2 && strncmp(base, "..", 2) == 0))
        return rti_error(ctx, RT_E_ARG,
                         "%s: no job name in the file name (the job's folder is named after "
                         "the file without its extension)",
                         study);
    *name = rti_malloc_array(ctx, (int64_t)n + 1, 1, "job name");
    if (!*name)
        return RT_E_NOMEM;
    memcpy(*name, base, n);
    /* the batch's own files stand beside the jobs' folders */
    if (strcmp(*name, "batch.json") == 0 || strcmp(*name, "batch.txt") == 0 ||
        strncmp(*name, "batch-share-", 12) == 0) {
        rt_status st = rti_error(ctx, RT_E_ARG,
                                 "%s: a job named '%s' would write into the folder of the batch's "
                                 "own summary; rename the study file",
                                 study, *name);
        free(*name);
        *name = NULL;
        return st;
    }
    return RT_OK;
}

rt_status rti_batch_new(rt_ctx *ctx, const char *const *studies, int n, rt_batch **out)
{
    *out = NULL;
    rt_batch *b = rti_malloc_array(ctx, 1, sizeof(*b), "batch");
    if (!b)
        return RT_E_NOMEM;
    b->n_shards = b->ranks = 1;
    b->n_jobs = 0; /* until every job is named */
    b->jobs = rti_malloc_array(ctx, n, sizeof(*b->jobs), "batch jobs");
    rt_status st = b->jobs ? RT_OK : RT_E_NOMEM;
    if (st == RT_OK)
        b->n_jobs = n;
    for (int i = 0; st == RT_OK && i < n; i++) {
        if (!(b->jobs[i].study = rti_strdup(ctx, studies[i], "study path")))
            st = RT_E_NOMEM;
        else
            st = rti_job_name(ctx, studies[i], &b->jobs[i].name);
        for (int j = 0; st == RT_OK && j < i; j++)
            if (strcmp(b->jobs[j].name, b->jobs[i].name) == 0)
                st = rti_error(ctx, RT_E_ARG,
                               "%s and %s: two jobs named '%s' would write into the same "
                               "folder; give the study files different names",
                               studies[j], studies[i], b->jobs[i].name);
    }
    if (st != RT_OK)
        rt_batch_destroy(b);
    else
        *out = b;
    return st;
}

void rt_batch_destroy(rt_batch *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n_jobs; i++) {
        free(b->jobs[i].name);
        free(b->jobs[i].study);
        free(b->jobs[i].message);
    }
    free(b->jobs);
    free(b->text);
    free(b);
}

int rt_batch_n_jobs(const rt_batch *b) { return b ? b->n_jobs : 0; }
int rt_batch_n_failed(const rt_batch *b) { return b ? b->n_failed : 0; }
int rt_batch_n_run(const rt_batch *b) { return b ? b->n_run : 0; }
const char *rt_batch_summary(const rt_batch *b) { return b && b->text ? b->text : ""; }

/* 1 when path holds a summary of a batch: a JSON object with n_jobs and
 * its jobs. */
static int is_batch_summary(const char *path)
{
    json_object *root = json_object_from_file(path);
    json_object *n, *jobs;
    const int is = root && json_object_is_type(root, json_type_object) &&
                   json_object_object_get_ex(root, "n_jobs", &n) &&
                   json_object_is_type(n, json_type_int) &&
                   json_object_object_get_ex(root, "jobs", &jobs) &&
                   json_object_is_type(jobs, json_type_array);
    json_object_put(root);
    return is;
}

/* 1 when path holds the text summary of a batch: its first line starts
 * with RTI_BATCH_TEXT_HEAD (rti_batch_text). */
static int is_batch_text(const char *path)
{
    FILE *fp = fopen(path, "r");
    char line[80] = "";
    const int got = fp && fgets(line, sizeof(line), fp) != NULL;
    if (fp)
        fclose(fp);
    int n = -1, used = 0;
    return got && sscanf(line, RTI_BATCH_TEXT_HEAD "%n", &n, &used) == 1 && used > 0 && n >= 0;
}

/* The summary files (the batch's or share's .json, and batch.txt) must
 * not replace a study file, nor anything but a regular file, nor, without
 * overwrite (RTI_SUMMARY_REFUSE, RTI_SUMMARY_MERGE: a merge, which cannot
 * go elsewhere), a file no batch wrote. */
rt_status rti_batch_check_summary(rt_ctx *ctx, const rt_batch *b, const char *outdir, int overwrite)
{
    char name[64], path[4096];
    for (int k = 0; k < 2; k++) {
        if (k == 0)
            rti_batch_file_name(b, name, sizeof(name));
        else
            snprintf(name, sizeof(name), "batch.txt");
        snprintf(path, sizeof(path), "%s/%s", outdir, name);
        struct stat so, si;
        if (stat(path, &so) != 0)
            continue;
        if (!S_ISREG(so.st_mode))
            return rti_error(ctx, RT_E_IO,
                             "%s: exists and is not a regular file; the batch summary "
                             "would replace it",
                             path);
        for (int i = 0; i < b->n_jobs; i++)
            if (stat(b->jobs[i].study, &si) == 0 && si.st_dev == so.st_dev &&
                si.st_ino == so.st_ino)
                return rti_error(ctx, RT_E_ARG,
                                 "%s: the batch summary would replace the study file %s", path,
                                 b->jobs[i].study);
        if (overwrite != RTI_SUMMARY_REPLACE &&
            !(k == 0 ? is_batch_summary(path) : is_batch_text(path)))
            return rti_error(ctx, RT_E_ARG,
                             "%s: a file no earlier batch wrote (not a batch summary) is where "
                             "the batch summary goes; %s",
                             path,
                             overwrite == RTI_SUMMARY_MERGE
                                 ? "move it out of the folder and merge again"
                                 : "choose another folder, or give --overwrite to replace it");
    }
    return RT_OK;
}

/* No study file lies in the output folder of another job, where that job
 * could replace it before it is read (whatever the order of the jobs). */
static rt_status check_studies_outside_jobs(rt_ctx *ctx, const rt_batch *b, const char *outdir)
{
    char out[PATH_MAX], st_path[PATH_MAX];
    if (!realpath(outdir, out))
        return RT_OK; /* the folder does not exist yet: nothing lies in it */
    size_t n = strlen(out);
    for (int i = 0; i < b->n_jobs; i++) {
        if (!realpath(b->jobs[i].study, st_path))
            continue; /* its run says that it cannot read it */
        if (strncmp(st_path, out, n) != 0 || st_path[n] != '/')
            continue;
        const char *rest = st_path + n + 1;
        for (int j = 0; j < b->n_jobs; j++) {
            size_t nj = strlen(b->jobs[j].name);
            if (j != i && strncmp(rest, b->jobs[j].name, nj) == 0 && rest[nj] == '/')
                return rti_error(ctx, RT_E_ARG,
                                 "%s: the study file of job '%s' lies in the output folder of job "
                                 "'%s', which could replace it; move it out of %s",
                                 b->jobs[i].study, b->jobs[i].name, b->jobs[j].name, outdir);
        }
    }
    return RT_OK;
}

/* Every study file can be read, before any job runs: a name mistyped in a
 * list of a hundred is said at once, not when its job's turn comes hours
 * later (what is in the file is its job's to check). */
static rt_status check_studies_readable(rt_ctx *ctx, const rt_batch *b)
{
    for (int i = 0; i < b->n_jobs; i++) {
        struct stat s;
        const char *why = NULL;
        if (stat(b->jobs[i].study, &s) != 0 || access(b->jobs[i].study, R_OK) != 0)
            why = strerror(errno);
        else if (S_ISDIR(s.st_mode))
            why = "a folder, not a study file";
        if (why)
            return rti_error(ctx, RT_E_IO,
                             "%s: cannot read the study file of job %d '%s': %s; "
                             "no job was run",
                             b->jobs[i].study, i + 1, b->jobs[i].name, why);
    }
    return RT_OK;
}

/* Makes the batch folder and its parents where missing. */
static rt_status make_dir(rt_ctx *ctx, const char *dir)
{
    char p[4096];
    size_t n = strlen(dir);
    if (n >= sizeof(p))
        return rti_error(ctx, RT_E_ARG, "%s: the folder name is too long", dir);
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && (p[i] != '/' || p[i - 1] == '/'))
            continue;
        char c = p[i];
        p[i] = '\0';
        int bad = mkdir(p, 0777) != 0 && errno != EEXIST;
        p[i] = c;
        if (bad)
            return rti_error(ctx, RT_E_IO, "%.*s: cannot create the batch folder: %s", (int)i, p,
                             strerror(errno));
    }
    struct stat s;
    if (stat(dir, &s) != 0 || !S_ISDIR(s.st_mode))
        return rti_error(ctx, RT_E_IO, "%s: not a folder", dir);
    return RT_OK;
}

/* The caller's log callback, with the job's name before each message. */
typedef struct job_log {
    rt_log_fn fn;
    void *user;
    const char *name;
} job_log;

static void job_log_fn(rt_log_level level, const char *message, void *user)
{
    const job_log *jl = user;
    size_t n = strlen(jl->name) + strlen(message) + 3;
    char *line = malloc(n);
    if (!line) {
        jl->fn(level, message, jl->user);
        return;
    }
    snprintf(line, n, "%s: %s", jl->name, message);
    jl->fn(level, line, jl->user);
    free(line);
}

/* Runs one job as `reistijd run -o <outdir>/<name> <study>` would. */
static void run_job(rt_ctx *ctx, const rt_batch_opts *o, const rti_comm *c, rti_sum_cache *sums,
                    rti_job *job, int index)
{
    double t0 = rti_now_s();
    size_t n = strlen(o->outdir) + strlen(job->name) + 2;
    char *dir = malloc(n);
    rt_study *study = NULL;
    rt_status st = RT_E_NOMEM;
    rt_ctx_clear_error(ctx);
    if (c->size > 1)
        rti_log(ctx, RT_LOG_INFO, "job %d of %d: %s (%s), on rank %d of %d", index + 1,
                o->n_studies, job->name, job->study, c->rank, c->size);
    else
        rti_log(ctx, RT_LOG_INFO, "job %d of %d: %s (%s)", index + 1, o->n_studies, job->name,
                job->study);
    job_log jl = {NULL, NULL, job->name};
    rti_ctx_get_log(ctx, &jl.fn, &jl.user);
    if (jl.fn)
        rt_ctx_set_log(ctx, job_log_fn, &jl);
    char why[600];
    if (dir)
        snprintf(dir, n, "%s/%s", o->outdir, job->name);
    if (dir && o->resume && rti_job_done_before(ctx, sums, dir, job->study, why, sizeof(why))) {
        rti_log(ctx, RT_LOG_INFO,
                "done before: its folder holds a finished run of this study on "
                "the same inputs; not run again");
        if (jl.fn)
            rt_ctx_set_log(ctx, jl.fn, jl.user);
        job->state = RTI_JOB_DONE;
        free(dir);
        return;
    }
    if (dir && o->resume)
        rti_log(ctx, RT_LOG_INFO, "run again: %s", why);
    if (dir)
        st = rt_study_load(ctx, job->study, &study);
    if (st == RT_OK) {
        rt_run_opts ro;
        rt_run_opts_init(&ro);
        ro.outdir = dir;
        ro.overwrite = o->overwrite;
        ro.allow_remote = o->allow_remote;
        st = rt_study_run(ctx, study, &ro);
    }
    if (jl.fn)
        rt_ctx_set_log(ctx, jl.fn, jl.user);
    job->seconds = rti_now_s() - t0;
    job->state = st == RT_OK            ? RTI_JOB_OK
                 : st == RT_E_CANCELLED ? RTI_JOB_CANCELLED
                                        : RTI_JOB_FAILED;
    job->code = st;
    if (st != RT_OK && st != RT_E_CANCELLED) {
        job->message = strdup(dir ? rt_ctx_errmsg(ctx) : "out of memory");
        rti_log(ctx, RT_LOG_WARNING, "job %s (%s) failed: %s (%s)", job->name, job->study,
                rt_ctx_errmsg(ctx), rt_status_str(st));
    }
    rt_study_destroy(study);
    free(dir);
    rt_ctx_clear_error(ctx);
}

/* The jobs of the share on their ranks: owner[i] is the rank of job i, -1
 * for the jobs of other shares. */
static void assign(const rt_batch *b, const rti_comm *c, int *owner)
{
    int k = 0;
    for (int i = 0; i < b->n_jobs; i++)
        owner[i] = i % b->n_shards == b->shard ? k++ % c->size : -1;
}

/* Rank 0 warns when the share has fewer jobs than there are ranks: the
 * ranks without one only wait (and under OpenMPI spin on a core). */
static void warn_idle_ranks(rt_ctx *ctx, const rti_comm *c, const rt_batch *b, const int *owner)
{
    int n = 0;
    for (int i = 0; i < b->n_jobs; i++)
        n += owner[i] >= 0;
    if (c->rank == 0 && c->size > 1 && n > 0 && c->size > n)
        rti_log(ctx, RT_LOG_WARNING,
                "batch: %d MPI ranks for %d job%s: %d rank%s no job and only wait%s; start "
                "at most %d",
                c->size, n, n == 1 ? "" : "s", c->size - n, c->size - n == 1 ? " has" : "s have",
                c->size - n == 1 ? "s" : "", n);
}

/* The jobs of this rank, one after the other; after a cancel the rest are
 * cancelled, and without the folder (dir) all fail. With --resume the
 * checksums of shared inputs are read once (sums). Rank 0 writes the
 * summary again after each of its jobs that ran (not after one done
 * before: a resumed batch of thousands of finished jobs would write it
 * thousands of times), so that it shows how far the batch is (the jobs
 * of other ranks stay running until the end); one it cannot write is a
 * warning, and it stops trying (the last one decides). */
static void run_share(rt_ctx *ctx, const rt_batch_opts *o, const rti_comm *c, rt_batch *b,
                      const int *owner, rt_status dir)
{
    rti_sum_cache sums = {0};
    int stop = 0, progress = c->rank == 0 && dir == RT_OK;
    for (int i = 0; i < b->n_jobs; i++) {
        if (owner[i] != c->rank)
            continue;
        if (dir != RT_OK) {
            b->jobs[i].state = RTI_JOB_FAILED;
            b->jobs[i].code = dir;
            b->jobs[i].message = strdup(rt_ctx_errmsg(ctx));
        } else if (stop || rt_ctx_cancel_requested(ctx)) {
            b->jobs[i].state = RTI_JOB_CANCELLED;
        } else {
            run_job(ctx, o, c, &sums, &b->jobs[i], i);
        }
        stop = b->jobs[i].state == RTI_JOB_CANCELLED;
        const int ran = b->jobs[i].state == RTI_JOB_OK || b->jobs[i].state == RTI_JOB_FAILED;
        if (progress && ran && rti_batch_write(ctx, b, o->outdir) != RT_OK) {
            rti_log(ctx, RT_LOG_WARNING, "batch: the summary is not updated while it runs: %s",
                    rt_ctx_errmsg(ctx));
            rt_ctx_clear_error(ctx);
            progress = 0;
        }
    }
    rti_sum_cache_free(&sums);
}

/* The summary as the jobs start, each of this share marked running: a
 * batch or share that dies (killed, out of memory, the node lost) leaves
 * a summary that no merge takes for finished, not an earlier run's. Rank
 * 0 writes it when it has the folder; every rank stops when it could not. */
static rt_status write_started(rt_ctx *ctx, const rt_batch_opts *o, const rti_comm *c, rt_batch *b,
                               const int *owner, rt_status dir)
{
    for (int i = 0; i < b->n_jobs; i++)
        if (owner[i] >= 0)
            b->jobs[i].state = RTI_JOB_RUNNING;
    int st = c->rank == 0 && dir == RT_OK ? (int)rti_batch_write(ctx, b, o->outdir) : RT_OK;
    rti_comm_bcast_int(c, &st);
    if (st != RT_OK && c->rank != 0)
        return rti_error(ctx, (rt_status)st, "batch: rank 0 could not write the summary");
    return (rt_status)st;
}

/* FNV-1a over what decides the jobs of each rank and its checks: the
 * output folder, the share, --overwrite and the study files, each ended by
 * a byte no path holds. */
static uint64_t args_hash(const rt_batch_opts *o)
{
    uint64_t h = UINT64_C(1469598103934665603);
    char share[32];
    snprintf(share, sizeof(share), "%d/%d %d", o->shard, o->n_shards, o->overwrite);
    for (int k = -2; k < o->n_studies; k++) {
        const char *t = k == -2 ? o->outdir : k == -1 ? share : o->studies[k];
        for (const unsigned char *p = (const unsigned char *)t;; p++) {
            h = (h ^ *p) * UINT64_C(1099511628211);
            if (!*p)
                break;
        }
    }
    return h;
}

static rt_status check_opts(rt_ctx *ctx, const rt_batch_opts *o)
{
    if (!o->outdir || !*o->outdir)
        return rti_error(ctx, RT_E_ARG, "batch: no output folder");
    if (o->n_studies < 1 || !o->studies)
        return rti_error(ctx, RT_E_ARG, "batch: no study file");
    if (o->n_shards < 1 || o->shard < 0 || o->shard >= o->n_shards)
        return rti_error(ctx, RT_E_ARG, "batch: share %d of %d: the share must be 0 to %d",
                         o->shard, o->n_shards, o->n_shards - 1);
    return RT_OK;
}

static rt_status batch_run_in_c_locale(rt_ctx *ctx, const rt_batch_opts *opts, rt_batch **out)
{
    if (out)
        *out = NULL;
    if (!opts)
        return rti_error(ctx, RT_E_ARG, "rt_batch_run: no options");
    rt_batch_opts o;
    rt_batch_opts_init(&o);
    rt_status st = rti_struct_in(ctx, opts, RTI_V1_BYTES(rt_batch_opts, allow_remote), sizeof(o),
                                 &o, "rt_batch_opts");
    if (st == RT_OK)
        st = check_opts(ctx, &o);
    /* MPI first, the same arguments on every rank, then the checks of each
     * rank, which every rank hears the end of: no rank left waiting in a
     * collective call for one that stopped */
    rti_comm c = {0, 1, 0};
    if (st == RT_OK)
        st = rti_comm_open(ctx, &c);
    if (st == RT_OK)
        st = rti_comm_same(ctx, &c, args_hash(&o));
    if (st != RT_OK) {
        rti_comm_close(&c);
        return st;
    }
    rt_batch *b = NULL;
    int *owner = NULL;
    st = rti_batch_new(ctx, o.studies, o.n_studies, &b);
    if (st == RT_OK) {
        b->shard = o.shard;
        b->n_shards = o.n_shards;
        owner = rti_malloc_array(ctx, b->n_jobs, sizeof(int), "job owners");
        st = owner ? rti_batch_check_summary(ctx, b, o.outdir,
                                             o.overwrite ? RTI_SUMMARY_REPLACE : RTI_SUMMARY_REFUSE)
                   : RT_E_NOMEM;
    }
    if (st == RT_OK)
        st = check_studies_readable(ctx, b);
    if (st == RT_OK)
        st = check_studies_outside_jobs(ctx, b, o.outdir);
    st = rti_comm_agree(ctx, &c, st);
    if (st == RT_OK && (!b || !owner)) /* never: a failure above is st */
        st = RT_E_INTERNAL;
    /* one process stops when it cannot make the folder; under MPI the rank
     * fails its jobs and still takes part in the gathering */
    rt_status dir = RT_OK;
    if (st == RT_OK && (dir = make_dir(ctx, o.outdir)) != RT_OK && c.size == 1)
        st = dir;
    if (st == RT_OK) {
        b->rank = c.rank;
        b->ranks = c.size;
        assign(b, &c, owner);
        warn_idle_ranks(ctx, &c, b, owner);
        st = write_started(ctx, &o, &c, b, owner, dir);
    }
    if (st == RT_OK) {
        run_share(ctx, &o, &c, b, owner, dir);
        st = rti_comm_gather(ctx, &c, b, owner);
        for (int i = 0; st == RT_OK && c.rank == 0 && i < b->n_jobs; i++)
            if (owner[i] >= 0 && b->jobs[i].state == RTI_JOB_RUNNING) {
                b->jobs[i].state = RTI_JOB_FAILED;
                b->jobs[i].code = RT_E_INTERNAL;
                char msg[64];
                snprintf(msg, sizeof(msg), "MPI rank %d sent no record of this job", owner[i]);
                b->jobs[i].message = strdup(msg);
            }
        int cancelled = 0;
        for (int i = 0; i < b->n_jobs; i++)
            cancelled |= b->jobs[i].state == RTI_JOB_CANCELLED;
        if (st == RT_OK && c.rank == 0)
            st = rti_batch_write(ctx, b, o.outdir);
        int result[2] = {(int)st, cancelled};
        rti_comm_bcast_int(&c, &result[0]);
        rti_comm_bcast_int(&c, &result[1]);
        if (st == RT_OK && result[0] != RT_OK)
            st = rti_error(ctx, (rt_status)result[0], "batch: rank 0 could not write the summary");
        if (st == RT_OK && result[1])
            st = rti_error(ctx, RT_E_CANCELLED, "batch: cancelled");
        rti_batch_count(b);
        rti_comm_bcast_int(&c, &b->n_failed);
        rti_comm_bcast_int(&c, &b->n_run);
    }
    rti_comm_close(&c);
    free(owner);
    if ((st == RT_OK || st == RT_E_CANCELLED) && out)
        *out = b;
    else
        rt_batch_destroy(b);
    return st;
}

rt_status rt_batch_run(rt_ctx *ctx, const rt_batch_opts *opts, rt_batch **out)
{
    if (!ctx)
        return RT_E_ARG;
    RTI_IN_C_LOCALE(ctx, rt_status, batch_run_in_c_locale(ctx, opts, out));
}
