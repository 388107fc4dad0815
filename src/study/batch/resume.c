/* `reistijd batch --resume`: a job whose folder holds a finished run of
 * its study on unchanged inputs is not run again (docs/hpc.md, "Resuming
 * a batch"). A run writes its run.json last, after every output is in
 * place, so a folder with one holds a finished run; what it lists is
 * checked against the files as they are now. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "study/batch/batch.h"
#include "study/run/run.h"

/* The versions run.json names are those of this reistijd and its libraries. */
static int same_versions(json_object *ver, char *why, size_t n)
{
    const char *keys[4] = {"reistijd", "gdal", "proj", "geos"};
    const char *now[4] = {rt_version(), rti_io_gdal_version(), rti_io_proj_version(),
                          rti_io_geos_version()};
    for (int k = 0; k < 4; k++) {
        const char *then = rti_jget_str(ver, keys[k]);
        if (!then || strcmp(then, now[k]) != 0) {
            snprintf(why, n, "it was made with %s %s, this is %s", keys[k], then ? then : "?",
                     now[k]);
            return 0;
        }
    }
    return 1;
}

/* 1 when a and b are one file in one folder: a study's relative paths
 * resolve against the folder of the name it was given (a link of another
 * name elsewhere reads other inputs). */
static int same_study(const char *a, const char *b)
{
    struct stat fa, fb, da, db;
    char dir_a[4096], dir_b[4096];
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    snprintf(dir_a, sizeof(dir_a), "%.*s", sa ? (int)(sa - a) + 1 : 1, sa ? a : ".");
    snprintf(dir_b, sizeof(dir_b), "%.*s", sb ? (int)(sb - b) + 1 : 1, sb ? b : ".");
    return stat(a, &fa) == 0 && stat(b, &fb) == 0 && fa.st_dev == fb.st_dev &&
           fa.st_ino == fb.st_ino && stat(dir_a, &da) == 0 && stat(dir_b, &db) == 0 &&
           da.st_dev == db.st_dev && da.st_ino == db.st_ino;
}

struct rti_sum_entry {
    char *path;
    struct stat st;
    char sha[65];
};

void rti_sum_cache_free(rti_sum_cache *c)
{
    for (int i = 0; c && i < c->n; i++)
        free(c->e[i].path);
    if (c)
        free(c->e);
}

/* The same file, unchanged: its place and, to the nanosecond, when its
 * contents (mtime) or its inode (ctime, which no user can set) last
 * changed. */
static int same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* 1 when a time stamp of st lies within 2 s of now (or after it): a file
 * system with coarse times (a few milliseconds, or 1-2 s on NFS and FAT)
 * could give a file rewritten within that time the same stamps, so its
 * checksum is not kept (as git treats a "racy" entry). */
static int recent(const struct stat *st)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return 1;
    return st->st_mtim.tv_sec >= now.tv_sec - 2 || st->st_ctim.tv_sec >= now.tv_sec - 2;
}

/* The SHA-256 of the file at path into sha: from the cache when it holds
 * the file as it is, else read (and kept, in place of what the cache held
 * for that path, when the file did not change while it was read and is
 * not recent; a cache that cannot grow only forgets). */
static rt_status input_sum(rt_ctx *ctx, rti_sum_cache *c, const char *path, char sha[65])
{
    struct stat before, after;
    const int known = stat(path, &before) == 0;
    int slot = -1;
    for (int i = 0; c && known && i < c->n && slot < 0; i++)
        if (strcmp(c->e[i].path, path) == 0) {
            if (same_stat(&c->e[i].st, &before)) {
                memcpy(sha, c->e[i].sha, 65);
                return RT_OK;
            }
            slot = i;
        }
    uint64_t size;
    const rt_status st = rti_file_sha256(ctx, path, sha, &size);
    if (st != RT_OK || !c || !known || stat(path, &after) != 0 || !same_stat(&before, &after) ||
        recent(&after))
        return st;
    if (slot >= 0) {
        c->e[slot].st = after;
        memcpy(c->e[slot].sha, sha, 65);
        return RT_OK;
    }
    if (c->n == c->cap) {
        const int cap = c->cap ? 2 * c->cap : 16;
        rti_sum_entry *e = realloc(c->e, (size_t)cap * sizeof(*e));
        if (!e)
            return RT_OK;
        c->e = e;
        c->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return RT_OK;
    c->e[c->n] = (rti_sum_entry){copy, after, {0}};
    memcpy(c->e[c->n].sha, sha, 65);
    c->n++;
    return RT_OK;
}

/* Input rec (role, path, sha256) is the file at its path now; the study's
 * is, besides, the job's study file. */
static int same_input(rt_ctx *ctx, rti_sum_cache *cache, json_object *rec, const char *study,
                      char *why, size_t n)
{
    const char *role = rti_jget_str(rec, "role"), *path = rti_jget_str(rec, "path");
    const char *want = rti_jget_str(rec, "sha256");
    if (!role || !path || !want) {
        snprintf(why, n, "its input %s (%s) has no checksum to check it by", path ? path : "?",
                 role ? role : "?");
        return 0;
    }
    if (strcmp(role, "study") == 0 && !same_study(path, study)) {
        snprintf(why, n, "it is the run of another study file (%s)", path);
        return 0;
    }
    char sha[65];
    const rt_status st = input_sum(ctx, cache, path, sha);
    rt_ctx_clear_error(ctx);
    if (st != RT_OK || strcmp(sha, want) != 0) {
        snprintf(why, n, "its input %s (%s) %s", path, role,
                 st != RT_OK ? "cannot be read now" : "changed since");
        return 0;
    }
    return 1;
}

int rti_job_done_before(rt_ctx *ctx, rti_sum_cache *cache, const char *dir, const char *study,
                        char *why, size_t n)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/run.json", dir);
    struct stat s;
    if (lstat(path, &s) != 0 || !S_ISREG(s.st_mode) || s.st_size > (16 << 20)) {
        snprintf(why, n, "its folder holds no finished run");
        return 0;
    }
    json_object *root = json_object_from_file(path);
    json_object *inputs = rti_jget(root, "inputs"), *outputs = rti_jget(root, "outputs");
    const char *command = rti_jget_str(root, "command");
    int done = root && json_object_is_type(inputs, json_type_array) &&
               json_object_is_type(outputs, json_type_array) &&
               (!command || strcmp(command, "run") == 0);
    if (!done)
        snprintf(why, n, "its run.json is not that of a finished run");
    done = done && same_versions(rti_jget(root, "versions"), why, n);
    int has_study = 0;
    for (size_t i = 0; done && i < json_object_array_length(inputs); i++) {
        json_object *rec = json_object_array_get_idx(inputs, i);
        const char *role = rti_jget_str(rec, "role");
        has_study |= role && strcmp(role, "study") == 0;
        done = same_input(ctx, cache, rec, study, why, n);
    }
    if (done && !has_study) {
        snprintf(why, n, "its run.json names no study file");
        done = 0;
    }
    for (size_t i = 0; done && i < json_object_array_length(outputs); i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(outputs, i));
        snprintf(path, sizeof(path), "%s/%s", dir, name ? name : "");
        if (!name || name[0] == '/' || strstr(name, "..") || stat(path, &s) != 0) {
            snprintf(why, n, "its output %s is gone", name ? name : "?");
            done = 0;
        }
    }
    json_object_put(root);
    return done;
}
