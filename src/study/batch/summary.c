/* The summaries of a batch: batch.json and batch.txt for the whole batch,
 * batch-share-<I>-of-<N>.json for a share, and rt_batch_merge, which makes
 * the first from the others. The only seconds in them are each job's
 * "seconds": everything else depends on the study files and the outputs
 * alone, so that a batch run whole, in shares or over MPI processes writes
 * the same summary but for those. */
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "core/sbuf.h"
#include "study/batch/batch.h"

void rti_batch_file_name(const rt_batch *b, char *buf, size_t size)
{
    if (b->n_shards == 1)
        snprintf(buf, size, "batch.json");
    else
        snprintf(buf, size, "batch-share-%d-of-%d.json", b->shard, b->n_shards);
}

/* A JSON string of s with bytes that are not UTF-8 as U+FFFD (a study
 * path of Latin-1 bytes). */
static json_object *jtext(const char *s)
{
    char *valid = rti_utf8_valid_copy(s);
    json_object *j = valid ? json_object_new_string(valid) : NULL;
    free(valid);
    return j;
}

static json_object *job_json(const rti_job *job, int index)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "index", json_object_new_int(index));
    json_object_object_add(o, "name", jtext(job->name));
    json_object_object_add(o, "study", jtext(job->study));
    json_object_object_add(o, "status", json_object_new_string(rti_job_state_word(job->state)));
    if (job->state == RTI_JOB_OK || job->state == RTI_JOB_FAILED)
        json_object_object_add(o, "seconds", json_object_new_double(job->seconds));
    if (job->state == RTI_JOB_FAILED) {
        json_object_object_add(o, "code", json_object_new_string(rt_status_str(job->code)));
        json_object_object_add(o, "message", jtext(job->message ? job->message : ""));
    }
    return o;
}

/* Writes text to <dir>/<name> under a temporary name first. */
static rt_status write_file(rt_ctx *ctx, const char *dir, const char *name, const char *text)
{
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%ld-%s", dir, (long)getpid(), name);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return rti_error(ctx, RT_E_IO, "%s: cannot write the batch summary", path);
    int ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return rti_error(ctx, RT_E_IO, "%s: cannot write the batch summary", path);
    }
    return RT_OK;
}

/* How many jobs of b are in each state. */
static void count_states(const rt_batch *b, int n[RTI_JOB_STATES])
{
    memset(n, 0, RTI_JOB_STATES * sizeof(int));
    for (int i = 0; i < b->n_jobs; i++)
        if (b->jobs[i].state >= 0 && b->jobs[i].state < RTI_JOB_STATES)
            n[b->jobs[i].state]++;
}

rt_status rti_batch_text(rt_ctx *ctx, rt_batch *b)
{
    rti_batch_count(b);
    rti_sbuf s;
    rti_sb_init(&s, ctx);
    int n_state[RTI_JOB_STATES];
    count_states(b, n_state);
    const int n_share = b->n_jobs - n_state[RTI_JOB_ELSEWHERE];
    const int n_cancelled = n_state[RTI_JOB_CANCELLED], n_running = n_state[RTI_JOB_RUNNING],
              n_done = n_state[RTI_JOB_DONE];
    rti_sb_printf(&s, RTI_BATCH_TEXT_HEAD "%s", b->n_jobs, b->n_jobs == 1 ? "" : "s");
    if (b->n_shards > 1)
        rti_sb_printf(&s, ", share %d of %d (%d job%s)", b->shard, b->n_shards, n_share,
                      n_share == 1 ? "" : "s");
    rti_sb_printf(&s, ": %d ok, %d failed", b->n_run - b->n_failed, b->n_failed);
    if (n_cancelled)
        rti_sb_printf(&s, ", %d cancelled", n_cancelled);
    if (n_running)
        rti_sb_printf(&s, ", %d running", n_running);
    if (n_done)
        rti_sb_printf(&s, ", %d done before", n_done);
    rti_sb_printf(&s, "\n");
    for (int i = 0; i < b->n_jobs; i++) {
        const rti_job *j = &b->jobs[i];
        if (j->state == RTI_JOB_ELSEWHERE)
            continue;
        rti_sb_printf(&s, "  %-9s %8.1f s  %s", rti_job_state_word(j->state), j->seconds, j->name);
        if (j->state == RTI_JOB_FAILED)
            rti_sb_printf(&s, ": %s (%s)", j->message ? j->message : "", rt_status_str(j->code));
        rti_sb_printf(&s, "\n");
    }
    free(b->text);
    b->text = rti_sb_take(&s);
    return b->text ? RT_OK : RT_E_NOMEM;
}

rt_status rti_batch_write(rt_ctx *ctx, rt_batch *b, const char *outdir)
{
    rt_status st = rti_batch_text(ctx, b);
    if (st != RT_OK)
        return st;
    json_object *root = json_object_new_object();
    if (b->n_shards > 1) {
        json_object_object_add(root, "share", json_object_new_int(b->shard));
        json_object_object_add(root, "shares", json_object_new_int(b->n_shards));
    }
    int n_state[RTI_JOB_STATES];
    count_states(b, n_state);
    json_object_object_add(root, "n_jobs", json_object_new_int(b->n_jobs));
    json_object_object_add(root, "n_ok", json_object_new_int(b->n_run - b->n_failed));
    json_object_object_add(root, "n_failed", json_object_new_int(b->n_failed));
    json_object_object_add(root, "n_cancelled", json_object_new_int(n_state[RTI_JOB_CANCELLED]));
    json_object_object_add(root, "n_running", json_object_new_int(n_state[RTI_JOB_RUNNING]));
    json_object_object_add(root, "n_done", json_object_new_int(n_state[RTI_JOB_DONE]));
    /* every job of the share ran to its end, ok or failed: what a script
     * checks before it reads n_failed */
    json_object_object_add(
        root, "complete",
        json_object_new_boolean(n_state[RTI_JOB_CANCELLED] + n_state[RTI_JOB_RUNNING] == 0));
    json_object *jobs = json_object_new_array();
    for (int i = 0; i < b->n_jobs; i++)
        json_object_array_add(jobs, job_json(&b->jobs[i], i));
    json_object_object_add(root, "jobs", jobs);
    char name[64];
    rti_batch_file_name(b, name, sizeof(name));
    {
        const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                                    JSON_C_TO_STRING_NOSLASHESCAPE);
        size_t n = strlen(text);
        char *line = malloc(n + 2);
        if (!line)
            st = rti_error(ctx, RT_E_NOMEM, "out of memory (batch summary)");
        else {
            snprintf(line, n + 2, "%s\n", text);
            st = write_file(ctx, outdir, name, line);
            free(line);
        }
    }
    json_object_put(root);
    if (st == RT_OK && b->n_shards == 1)
        st = write_file(ctx, outdir, "batch.txt", b->text);
    return st;
}

/* ---- merge ---- */

/* One share file read: its N, I and jobs. */
static rt_status read_share(rt_ctx *ctx, const char *path, json_object **out)
{
    json_object *root = json_object_from_file(path);
    json_object *jobs, *v;
    if (!root || !json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "jobs", &jobs) ||
        !json_object_is_type(jobs, json_type_array) ||
        !json_object_object_get_ex(root, "shares", &v) ||
        !json_object_object_get_ex(root, "share", &v)) {
        json_object_put(root);
        return rti_error(ctx, RT_E_DATA, "%s: not a batch share summary", path);
    }
    *out = root;
    return RT_OK;
}

static int jint(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : -1;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : "";
}

/* The share files of outdir, by share index; all must have one N. */
static rt_status find_shares(rt_ctx *ctx, const char *outdir, json_object ***shares, int *n)
{
    DIR *d = opendir(outdir);
    if (!d)
        return rti_error(ctx, RT_E_IO, "%s: cannot open the batch folder", outdir);
    rt_status st = RT_OK;
    struct dirent *e;
    char path[4096];
    *n = 0;
    while (st == RT_OK && (e = readdir(d)) != NULL) {
        int i, m, len = 0;
        char canon[64];
        if (sscanf(e->d_name, "batch-share-%d-of-%d.json%n", &i, &m, &len) != 2 ||
            e->d_name[len] != '\0')
            continue;
        /* only the name a share writes: not "01", "+1" or " 1" */
        snprintf(canon, sizeof(canon), "batch-share-%d-of-%d.json", i, m);
        if (strcmp(canon, e->d_name) != 0)
            continue;
        if (m < 2 || i < 0 || i >= m || (*n && m != *n)) {
            st = rti_error(ctx, RT_E_DATA, "%s/%s: a share of %d does not belong with %s", outdir,
                           e->d_name, m, *n ? "the other shares" : "a batch");
            break;
        }
        if (!*n) {
            *n = m;
            if (!(*shares = rti_malloc_array(ctx, m, sizeof(**shares), "shares")))
                st = RT_E_NOMEM;
        }
        snprintf(path, sizeof(path), "%s/%s", outdir, e->d_name);
        if (st == RT_OK)
            st = read_share(ctx, path, &(*shares)[i]);
        if (st == RT_OK && (jint((*shares)[i], "share") != i || jint((*shares)[i], "shares") != m))
            st = rti_error(ctx, RT_E_DATA, "%s: says it is share %d of %d", path,
                           jint((*shares)[i], "share"), jint((*shares)[i], "shares"));
    }
    closedir(d);
    if (st == RT_OK && !*n)
        st = rti_error(ctx, RT_E_DATA, "%s: no share summaries (batch-share-<I>-of-<N>.json)",
                       outdir);
    for (int i = 0; st == RT_OK && i < *n; i++)
        if (!(*shares)[i])
            st = rti_error(ctx, RT_E_DATA,
                           "%s: share %d of %d is missing (batch-share-%d-of-%d.json)", outdir, i,
                           *n, i, *n);
    return st;
}

/* Job i of the batch from share s, which must run it and list it as the
 * first share does. */
static rt_status merge_job(rt_ctx *ctx, const char *outdir, json_object *first, json_object *share,
                           int s, int n_shards, int i, rti_job *job)
{
    json_object *j0 = json_object_array_get_idx(json_object_object_get(first, "jobs"), (size_t)i);
    json_object *jobs = json_object_object_get(share, "jobs");
    json_object *j = json_object_array_get_idx(jobs, (size_t)i);
    if (!j || !j0 || strcmp(jstr(j, "name"), jstr(j0, "name")) != 0 ||
        strcmp(jstr(j, "study"), jstr(j0, "study")) != 0)
        return rti_error(ctx, RT_E_DATA,
                         "%s: share %d lists job %d as '%s' (%s), share 0 as '%s' (%s); every "
                         "share must be given the same study files, as the same paths",
                         outdir, s, i, j ? jstr(j, "name") : "(none)", j ? jstr(j, "study") : "",
                         jstr(j0, "name"), jstr(j0, "study"));
    rti_job_state st = rti_job_state_of(jstr(j, "status"));
    int mine = i % n_shards == s;
    if (!mine && st != RTI_JOB_ELSEWHERE)
        return rti_error(ctx, RT_E_DATA,
                         "%s: job %d '%s' was run by share %d, not only by share %d", outdir, i,
                         job->name, s, i % n_shards);
    if (!mine)
        return RT_OK;
    if (st != RTI_JOB_OK && st != RTI_JOB_FAILED && st != RTI_JOB_DONE)
        return rti_error(ctx, RT_E_DATA, "%s: job %d '%s' was not done by share %d (%s)", outdir, i,
                         job->name, s, jstr(j, "status"));
    job->state = st;
    json_object *v;
    job->seconds = json_object_object_get_ex(j, "seconds", &v) ? json_object_get_double(v) : 0;
    if (st == RTI_JOB_FAILED) {
        const char *code = jstr(j, "code");
        job->code = RT_E_INTERNAL;
        for (int c = 0; c < RT_STATUS_END; c++)
            if (strcmp(rt_status_str((rt_status)c), code) == 0)
                job->code = (rt_status)c;
        if (!(job->message = rti_strdup(ctx, jstr(j, "message"), "job message")))
            return RT_E_NOMEM;
    }
    return RT_OK;
}

static rt_status batch_merge_in_c_locale(rt_ctx *ctx, const char *outdir, rt_batch **out)
{
    if (out)
        *out = NULL;
    if (!outdir || !*outdir)
        return rti_error(ctx, RT_E_ARG, "batch --merge: no batch folder");
    json_object **shares = NULL;
    int n = 0;
    rt_status st = find_shares(ctx, outdir, &shares, &n);
    rt_batch *b = NULL;
    json_object *jobs0 = st == RT_OK ? json_object_object_get(shares[0], "jobs") : NULL;
    int n_jobs = jobs0 ? (int)json_object_array_length(jobs0) : 0;
    const char **studies = NULL;
    if (st == RT_OK && !(studies = rti_malloc_array(ctx, n_jobs, sizeof(*studies), "studies")))
        st = RT_E_NOMEM;
    for (int i = 0; st == RT_OK && i < n_jobs; i++)
        studies[i] = jstr(json_object_array_get_idx(jobs0, (size_t)i), "study");
    if (st == RT_OK)
        st = rti_batch_new(ctx, studies, n_jobs, &b);
    for (int s = 0; st == RT_OK && s < n; s++) {
        json_object *jobs = json_object_object_get(shares[s], "jobs");
        if ((int)json_object_array_length(jobs) != n_jobs)
            st = rti_error(ctx, RT_E_DATA, "%s: share %d lists %d jobs, share 0 %d", outdir, s,
                           (int)json_object_array_length(jobs), n_jobs);
        for (int i = 0; st == RT_OK && i < n_jobs; i++)
            st = merge_job(ctx, outdir, shares[0], shares[s], s, n, i, &b->jobs[i]);
    }
    if (st == RT_OK)
        st = rti_batch_check_summary(ctx, b, outdir, RTI_SUMMARY_MERGE);
    if (st == RT_OK)
        st = rti_batch_write(ctx, b, outdir);
    for (int s = 0; s < n && shares; s++)
        json_object_put(shares[s]);
    free(shares);
    free(studies);
    if (st == RT_OK && out)
        *out = b;
    else
        rt_batch_destroy(b);
    return st;
}

rt_status rt_batch_merge(rt_ctx *ctx, const char *outdir, rt_batch **out)
{
    if (!ctx)
        return RT_E_ARG;
    RTI_IN_C_LOCALE(ctx, rt_status, batch_merge_in_c_locale(ctx, outdir, out));
}
