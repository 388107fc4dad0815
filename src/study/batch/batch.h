#ifndef RTI_BATCH_H
#define RTI_BATCH_H
/* Batches of studies (include/reistijd/rt_batch.h): the job list and its
 * run (batch.c), the summaries and their merge (summary.c, json-c), and
 * the spreading of the jobs over MPI processes (comm.c, the only user of
 * MPI). */
#include <stdint.h>

#include "reistijd/rt_batch.h"
#include "reistijd/rt_study.h"

typedef enum rti_job_state {
    RTI_JOB_ELSEWHERE = 0, /* in another share */
    RTI_JOB_OK,
    RTI_JOB_FAILED,
    RTI_JOB_CANCELLED,
    RTI_JOB_RUNNING, /* not finished: the summary written when the jobs start */
    RTI_JOB_DONE,    /* --resume: finished by an earlier batch, not run again */
    RTI_JOB_STATES
} rti_job_state;

/* One job: a study file and what became of it. */
typedef struct rti_job {
    char *name;  /* the file name without folder and extension: its folder */
    char *study; /* the study file as given */
    rti_job_state state;
    rt_status code; /* of a failed job */
    char *message;  /* of a failed job */
    double seconds; /* wall time of the job (load and run) */
} rti_job;

struct rt_batch {
    rti_job *jobs;
    int n_jobs;
    int shard, n_shards; /* 0 and 1 for the whole batch and after a merge */
    int ranks;           /* MPI processes that ran it (1 without MPI) */
    int rank;            /* this process */
    int n_failed, n_run;
    char *text; /* the text summary */
};

/* The word of a state in the summaries ("ok", "failed", ...), and back
 * (RTI_JOB_STATES for an unknown word). */
const char *rti_job_state_word(rti_job_state s);
rti_job_state rti_job_state_of(const char *word);
/* n_failed and n_run from the jobs' states. */
void rti_batch_count(rt_batch *b);
/* The name of a job from its study file: what follows the last '/' up to
 * the last '.' (the whole of it without a '.'). Refuses (RT_E_ARG) a name
 * that is empty, "." or "..". */
rt_status rti_job_name(rt_ctx *ctx, const char *study, char **name);
/* A new batch of n jobs named after the study files (duplicates refused,
 * RT_E_ARG). */
rt_status rti_batch_new(rt_ctx *ctx, const char *const *studies, int n, rt_batch **out);

/* summary.c: <outdir>/batch.json and batch.txt for the whole batch, or
 * <outdir>/batch-share-<I>-of-<N>.json for a share, written under a
 * temporary name and renamed; b->text is made too. */
rt_status rti_batch_write(rt_ctx *ctx, rt_batch *b, const char *outdir);
/* The file name of the summary of the batch or share ("batch.json",
 * "batch-share-0-of-2.json"), in buf. */
void rti_batch_file_name(const rt_batch *b, char *buf, size_t size);
/* batch.c: the summary files of b in outdir (its .json and batch.txt)
 * replace no study file, nothing but a regular file and, unless overwrite
 * is RTI_SUMMARY_REPLACE (--overwrite), no file an earlier batch did not
 * write; the message of that refusal says what to do for a run
 * (RTI_SUMMARY_REFUSE) or a merge (RTI_SUMMARY_MERGE). */
enum { RTI_SUMMARY_REFUSE, RTI_SUMMARY_REPLACE, RTI_SUMMARY_MERGE };
rt_status rti_batch_check_summary(rt_ctx *ctx, const rt_batch *b, const char *outdir,
                                  int overwrite);
/* The start of b->text's first line (a printf format of the job count):
 * rti_batch_check_summary knows a batch.txt by it. */
#define RTI_BATCH_TEXT_HEAD "batch: %d job"
/* Makes b->text: a line of counts, then one line per job of the share. */
rt_status rti_batch_text(rt_ctx *ctx, rt_batch *b);

/* resume.c: the checksums of the inputs a batch has read, kept while the
 * file is the one it was (device, inode, size, modification and change
 * times): the jobs of a batch share their population, regions and
 * network, which one reading answers for all. Zero-initialise; free with
 * rti_sum_cache_free(). */
typedef struct rti_sum_entry rti_sum_entry;
typedef struct rti_sum_cache {
    rti_sum_entry *e;
    int n, cap;
} rti_sum_cache;
void rti_sum_cache_free(rti_sum_cache *c);

/* resume.c: 1 when folder dir holds a finished run (its run.json) of
 * the study file `study` on inputs that are the files they were, made by
 * this reistijd with the same GDAL, PROJ and GEOS, every output it lists
 * still there; else 0 and why not (", ..." for a message) in why. The
 * inputs' checksums come from cache when it knows the file as it is (a
 * file read into it the first time; NULL: none). */
int rti_job_done_before(rt_ctx *ctx, rti_sum_cache *cache, const char *dir, const char *study,
                        char *why, size_t n);

/* comm.c: the processes of the batch. Without MPI (or not started by an
 * MPI launcher) one process of rank 0. */
typedef struct rti_comm {
    int rank, size;
    int started; /* 1: MPI was initialised here and is finalised by close */
} rti_comm;
rt_status rti_comm_open(rt_ctx *ctx, rti_comm *c);
void rti_comm_close(rti_comm *c);
/* Hands the jobs this rank ran (owner[i] == rank) to rank 0, which fills
 * in their state, code, message and seconds. */
rt_status rti_comm_gather(rt_ctx *ctx, const rti_comm *c, rt_batch *b, const int *owner);
/* Rank 0's value of *v on every rank. */
void rti_comm_bcast_int(const rti_comm *c, int *v);
/* RT_E_ARG on every rank unless every rank has the same h (a hash of its
 * arguments): ranks of one batch given different shares, folders or study
 * files would run jobs twice or not at all. */
rt_status rti_comm_same(rt_ctx *ctx, const rti_comm *c, uint64_t h);
/* st on every rank where it is an error; RT_E_ARG on the others when any
 * rank has an error (its checks refused the batch), else RT_OK. */
rt_status rti_comm_agree(rt_ctx *ctx, const rti_comm *c, rt_status st);

#endif
