#ifndef RT_BATCH_H
#define RT_BATCH_H
#include <stddef.h>

#include "rt_ctx.h"
#include "rt_export.h"
#include "rt_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A batch: many studies run as one list of jobs, one job per study file
 * (docs/hpc.md). Job i is named after its file without the folder and the
 * last extension ("a/rijnmond.yaml": "rijnmond") and writes into
 * <outdir>/<name>/ exactly what rt_study_run writes there. The list may be
 * split into shares (Slurm job arrays: share I of N runs the jobs whose
 * index modulo N is I) and, in a library built with RT_WITH_MPI and
 * started by mpirun, over the processes (the k-th job of a share on rank
 * k modulo the number of ranks): which process runs a job depends on the
 * order of the files alone, never on timing. */
typedef struct rt_batch rt_batch;

/* Options of a batch. Set up with rt_batch_opts_init(); the struct may grow
 * at its end, as rt_run_opts. */
typedef struct rt_batch_opts {
    size_t struct_size;          /* set by rt_batch_opts_init */
    const char *outdir;          /* the batch folder: <outdir>/<name>/ per job */
    const char *const *studies;  /* the study files, in job order */
    int n_studies;               /* at least 1 */
    int shard;                   /* this share: 0 <= shard < n_shards (default 0) */
    int n_shards;                /* default 1: the whole batch */
    int overwrite, allow_remote; /* passed to each job's rt_run_opts */
    int resume;                  /* 1: a job whose folder holds a finished run of its study on the
                                    same inputs (run.json: checksums, versions, outputs) is not run
                                    again, and is listed as done */
} rt_batch_opts;

RT_API void rt_batch_opts_init(rt_batch_opts *opts);

/* Runs the jobs of the share, one after the other (each with the threads
 * of ctx). A job that fails does not stop the others: its status, error
 * and message go into the summary and the log (a warning). The whole
 * batch (n_shards 1) writes <outdir>/batch.json and <outdir>/batch.txt, a
 * share <outdir>/batch-share-<I>-of-<N>.json, for rt_batch_merge. Under
 * MPI the processes run their jobs, rank 0 gathers what they did and
 * writes the summary, and every rank gets the same status and counts.
 * Refused before any job runs (RT_E_ARG): no study, a share outside
 * 0..N-1, two files of the same job name, a name that is not a folder
 * name, a summary file that would replace a study file, and a library
 * without MPI started as more than one MPI process. Returns RT_OK when the
 * summary was written (check rt_batch_n_failed), RT_E_CANCELLED when a
 * cancel request stopped it (the jobs not run are listed as cancelled).
 * On RT_OK or RT_E_CANCELLED *out (may be NULL) is the batch, freed with
 * rt_batch_destroy(). */
RT_API rt_status rt_batch_run(rt_ctx *ctx, const rt_batch_opts *opts, rt_batch **out);

/* Combines the share summaries in outdir (batch-share-<I>-of-<N>.json)
 * into batch.json and batch.txt. Refused (RT_E_DATA) unless there are
 * shares 0..N-1 of one N, of the same list of jobs, and every job was run
 * (ok or failed, or found done with resume) by its own share and by no
 * other. */
RT_API rt_status rt_batch_merge(rt_ctx *ctx, const char *outdir, rt_batch **out);

/* Jobs of the batch, those that failed, and those that ran (ok or failed)
 * in this share (all shares after a merge). */
RT_API int rt_batch_n_jobs(const rt_batch *batch);
RT_API int rt_batch_n_failed(const rt_batch *batch);
RT_API int rt_batch_n_run(const rt_batch *batch);

/* The text summary (one line per job of the share: status, seconds, name,
 * and the error of a failed job), owned by the batch; "" on MPI ranks
 * other than 0. */
RT_API const char *rt_batch_summary(const rt_batch *batch);

RT_API void rt_batch_destroy(rt_batch *batch);

#ifdef __cplusplus
}
#endif
#endif
