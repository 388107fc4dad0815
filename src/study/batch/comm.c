/* The processes of a batch. Built with RT_WITH_MPI and started by an MPI
 * launcher (mpirun, or srun with PMI), every process is a rank of
 * MPI_COMM_WORLD; otherwise there is one process, and a library without
 * MPI started as several MPI processes refuses to run (each would run
 * every job into the same folders). The only code that includes mpi.h. */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/batch/batch.h"
#ifdef RT_WITH_MPI
#include <mpi.h>
#endif

/* The environment variable name is set and not empty. */
static int env_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

/* A positive number from the environment variable name, else 0. */
static int env_count(const char *name)
{
    const char *v = getenv(name);
    char *end;
    long n = v && *v ? strtol(v, &end, 10) : 0;
    return v && *v && *end == '\0' && n > 0 && n < (1L << 30) ? (int)n : 0;
}

/* The number of processes an MPI launcher says it started (its size
 * variable), 0 when none says. */
static int mpi_size_var(void)
{
    static const char *const sizes[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                                        "MPI_LOCALNRANKS"};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        if (env_set(sizes[i]))
            return env_count(sizes[i]) > 0 ? env_count(sizes[i]) : 1;
    return 0;
}

/* One more than the rank an MPI launcher gave this process (Slurm's PMIx
 * plugin sets PMIX_RANK without PMIX_SIZE), 0 when none did. */
static int mpi_rank_var(void)
{
    static const char *const ranks[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"};
    for (size_t i = 0; i < sizeof(ranks) / sizeof(ranks[0]); i++)
        if (env_set(ranks[i]))
            return env_count(ranks[i]) + 1;
    return 0;
}

/* The number of tasks of the srun step this process is one of (at least
 * one more than its SLURM_PROCID), 0 outside one (a batch script is not
 * such a step). Without PMI (srun --mpi=none, or a build without MPI)
 * each task would run alone. */
static int slurm_step_tasks(void)
{
    int n = env_count("SLURM_STEP_NUM_TASKS"), rank = env_count("SLURM_PROCID");
    return n > rank + 1 ? n : rank > 0 ? rank + 1 : n;
}

/* The processes started as this one, at least: an MPI launcher's size
 * when it gives one (the ranks of mpirun inside a job inherit the Slurm
 * step of its daemons, which is not theirs), else the more of its rank
 * and the tasks of a Slurm step; 0 when nothing started several. */
static int launched_size(void)
{
    int n = mpi_size_var();
    if (n)
        return n;
    int r = mpi_rank_var(), t = slurm_step_tasks();
    return r > t ? r : t;
}

#ifndef RT_WITH_MPI

rt_status rti_comm_open(rt_ctx *ctx, rti_comm *c)
{
    c->rank = 0;
    c->size = 1;
    c->started = 0;
    int n = launched_size();
    if (n > 1)
        return rti_error(ctx, RT_E_ARG,
                         "batch: started as one of %d processes (%s), but this reistijd was "
                         "built without MPI (cmake -DRT_WITH_MPI=ON): each would run every job. "
                         "Run one process, or each share (--shard I/N) as a process of its own "
                         "(a Slurm job array: docs/hpc.md)",
                         n,
                         mpi_size_var() || mpi_rank_var() ? "by an MPI launcher"
                                                          : "the tasks of a Slurm step");
    return RT_OK;
}

void rti_comm_close(rti_comm *c) { (void)c; }

rt_status rti_comm_gather(rt_ctx *ctx, const rti_comm *c, rt_batch *b, const int *owner)
{
    (void)ctx, (void)c, (void)b, (void)owner;
    return RT_OK;
}

void rti_comm_bcast_int(const rti_comm *c, int *v) { (void)c, (void)v; }

rt_status rti_comm_same(rt_ctx *ctx, const rti_comm *c, uint64_t h)
{
    (void)ctx, (void)c, (void)h;
    return RT_OK;
}

rt_status rti_comm_agree(rt_ctx *ctx, const rti_comm *c, rt_status st)
{
    (void)ctx, (void)c;
    return st;
}

#else

rt_status rti_comm_open(rt_ctx *ctx, rti_comm *c)
{
    c->rank = 0;
    c->size = 1;
    c->started = 0;
    int on = 0;
    MPI_Initialized(&on);
    if (!on && !mpi_size_var() && !mpi_rank_var()) {
        int n = slurm_step_tasks();
        if (n > 1)
            return rti_error(ctx, RT_E_ARG,
                             "batch: started as one of %d tasks of a Slurm step without an MPI "
                             "launcher (srun --mpi=none?): each would run every job. Start it "
                             "with mpirun or srun --mpi=pmix, or run each share (--shard I/N) as a "
                             "process of its own (a Slurm job array: docs/hpc.md)",
                             n);
        return RT_OK; /* a plain process: no MPI */
    }
    if (!on) {
        int provided;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
            return rti_error(ctx, RT_E_IO, "batch: MPI_Init_thread failed");
        c->started = 1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    int n = launched_size();
    if (c->size == 1 && n > 1)
        return rti_error(ctx, RT_E_ARG,
                         "batch: started as one of %d processes, but MPI sees this one alone (a "
                         "launcher without PMI?): each would run every job. Start it with mpirun "
                         "or srun --mpi=pmix, or run each share (--shard I/N) as a process of its "
                         "own (a Slurm job array: docs/hpc.md)",
                         n);
    return RT_OK;
}

void rti_comm_close(rti_comm *c)
{
    if (c->started)
        MPI_Finalize();
    c->started = 0;
}

/* A job as bytes: index, state, code, seconds, message length and text. */
typedef struct job_rec {
    int32_t index, state, code, len;
    double seconds;
} job_rec;

static size_t pack(const rt_batch *b, const int *owner, int rank, char *buf)
{
    size_t n = 0;
    for (int i = 0; i < b->n_jobs; i++) {
        if (owner[i] != rank)
            continue;
        const rti_job *j = &b->jobs[i];
        job_rec r = {i, (int32_t)j->state, (int32_t)j->code,
                     j->message ? (int32_t)strlen(j->message) : 0, j->seconds};
        if (buf) {
            memcpy(buf + n, &r, sizeof(r));
            memcpy(buf + n + sizeof(r), j->message ? j->message : "", (size_t)r.len);
        }
        n += sizeof(r) + (size_t)r.len;
    }
    return n;
}

static rt_status unpack(rt_ctx *ctx, rt_batch *b, const char *buf, size_t n)
{
    for (size_t at = 0; at + sizeof(job_rec) <= n;) {
        job_rec r;
        memcpy(&r, buf + at, sizeof(r));
        at += sizeof(r);
        if (r.index < 0 || r.index >= b->n_jobs || r.len < 0 || at + (size_t)r.len > n)
            return rti_error(ctx, RT_E_INTERNAL, "batch: a rank sent a broken job record");
        rti_job *j = &b->jobs[r.index];
        j->state = (rti_job_state)r.state;
        j->code = (rt_status)r.code;
        j->seconds = r.seconds;
        if (r.len) {
            if (!(j->message = rti_malloc_array(ctx, r.len + 1, 1, "job message")))
                return RT_E_NOMEM;
            memcpy(j->message, buf + at, (size_t)r.len);
        }
        at += (size_t)r.len;
    }
    return RT_OK;
}

rt_status rti_comm_gather(rt_ctx *ctx, const rti_comm *c, rt_batch *b, const int *owner)
{
    if (c->size == 1)
        return RT_OK;
    int mine = (int)pack(b, owner, c->rank, NULL);
    char *buf = malloc((size_t)mine + 1);
    if (buf)
        pack(b, owner, c->rank, buf);
    else
        mine = 0; /* rank 0 sees the jobs as not done */
    int *sizes = c->rank == 0 ? calloc((size_t)c->size, sizeof(int)) : NULL;
    int *offs = c->rank == 0 ? calloc((size_t)c->size, sizeof(int)) : NULL;
    MPI_Gather(&mine, 1, MPI_INT, sizes, 1, MPI_INT, 0, MPI_COMM_WORLD);
    char *all = NULL;
    int total = 0;
    if (c->rank == 0) {
        for (int r = 0; sizes && offs && r < c->size; r++) {
            offs[r] = total;
            total += sizes[r];
        }
        all = malloc((size_t)total + 1);
    }
    MPI_Gatherv(buf, mine, MPI_BYTE, all, sizes, offs, MPI_BYTE, 0, MPI_COMM_WORLD);
    rt_status st = RT_OK;
    if (c->rank == 0) {
        if (!all || !sizes || !offs)
            st = rti_error(ctx, RT_E_NOMEM, "batch: out of memory gathering the jobs");
        for (int r = 1; st == RT_OK && r < c->size; r++)
            st = unpack(ctx, b, all + offs[r], (size_t)sizes[r]);
    }
    free(all);
    free(offs);
    free(sizes);
    free(buf);
    return st;
}

void rti_comm_bcast_int(const rti_comm *c, int *v)
{
    if (c->size > 1)
        MPI_Bcast(v, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

rt_status rti_comm_agree(rt_ctx *ctx, const rti_comm *c, rt_status st)
{
    if (c->size == 1)
        return st;
    int bad = st != RT_OK, any = 0;
    MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (any && st == RT_OK)
        return rti_error(ctx, RT_E_ARG,
                         "batch: another MPI rank refused the batch before any job ran (its "
                         "message says why)");
    return st;
}

rt_status rti_comm_same(rt_ctx *ctx, const rti_comm *c, uint64_t h)
{
    if (c->size == 1)
        return RT_OK;
    unsigned long long mine = h, lo = 0, hi = 0;
    MPI_Allreduce(&mine, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&mine, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    if (lo != hi)
        return rti_error(ctx, RT_E_ARG,
                         "batch: the %d MPI ranks were started with different arguments (output "
                         "folder, --shard or study files); every rank of one batch needs the "
                         "same. For shares run by different tasks, start each share as a process "
                         "of its own (a Slurm job array: docs/hpc.md)",
                         c->size);
    return RT_OK;
}

#endif
