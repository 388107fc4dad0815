/* The output set: every output under a temporary name next to its final
 * place, renamed at the end; and the checks made before an output is
 * registered (no input replaced, nothing but a regular file replaced, no
 * path too long for its temporary name). */
#include "io/io.h"
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/ctx_internal.h"

/* ---- checks ---- */

/* A path for a message: as it is, or its head and tail when it is long. */
static const char *short_path(const char *path, char *buf, size_t n)
{
    size_t len = strlen(path);
    if (len < 160)
        return path;
    snprintf(buf, n, "%.80s...%s (%zu bytes)", path, path + len - 60, len);
    return buf;
}

/* What a file that is not a regular file is, for messages. */
static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/* The length of the prefix "<dir>/.tmp-<pid>-" that the temporary name of
 * final_path adds to its base name. */
/* The room a temporary name takes beside the final one, ".tmp-<pid>-",
 * for the largest pid (10 digits): the same for every run, so that the
 * same path is accepted or refused whatever the process id. */
static size_t tmp_prefix_len(void) { return sizeof(".tmp-") - 1 + 10 + 1; }

/* RT_E_ARG when a name in final_path, its temporary name or its temporary
 * path is longer than the system allows. */
static rt_status check_length(rt_ctx *ctx, const char *final_path)
{
    char buf[256];
    const char *slash = strrchr(final_path, '/');
    const char *base = slash ? slash + 1 : final_path;
    size_t tmp_len = strlen(final_path) + tmp_prefix_len();
    for (const char *p = final_path; *p;) {
        size_t n = strcspn(p, "/");
        if (n > NAME_MAX || (p == base && n + tmp_prefix_len() > NAME_MAX))
            return rti_error(ctx, RT_E_ARG,
                             "%s: a name in the output path is too long: '%.40s...' has %zu "
                             "bytes%s, at most %d are allowed",
                             short_path(final_path, buf, sizeof(buf)), p, n,
                             p == base ? " (more with its temporary name)" : "", NAME_MAX);
        p += n + (p[n] == '/');
    }
    if (tmp_len >= PATH_MAX)
        return rti_error(ctx, RT_E_ARG,
                         "%s: the output path is too long: %zu bytes with the room for its "
                         "temporary name, less than %d are allowed",
                         short_path(final_path, buf, sizeof(buf)), tmp_len, PATH_MAX);
    return RT_OK;
}

rt_status rti_outset_check(rt_ctx *ctx, const rti_outset *set, const char *final_path)
{
    rt_status st = check_length(ctx, final_path);
    struct stat ls, s;
    if (st != RT_OK || lstat(final_path, &ls) != 0 || stat(final_path, &s) != 0)
        return st; /* nothing there, or a link to nothing: the rename replaces the link */
    for (int i = 0; i < set->n_inputs; i++)
        if ((uint64_t)s.st_dev == set->inputs[i].dev && (uint64_t)s.st_ino == set->inputs[i].ino)
            return rti_error(ctx, RT_E_ARG,
                             "%s: the output would overwrite the %s; outputs never replace inputs",
                             final_path, set->inputs[i].what);
    if (!S_ISREG(s.st_mode))
        return rti_error(ctx, RT_E_IO,
                         "%s: %s%s is in the way of the output; it is not a regular file, and "
                         "an output never replaces it",
                         final_path, file_kind(s.st_mode),
                         S_ISLNK(ls.st_mode) ? " (through a link)" : "");
    return RT_OK;
}

typedef struct protect_ctx {
    rti_outset *set;
    const char *path, *role;
    int n_local, n_irregular; /* files seen, of which not regular files */
} protect_ctx;

static rt_status protect_file(rt_ctx *ctx, void *user, const char *file, const struct stat *s)
{
    (void)file;
    protect_ctx *p = user;
    p->n_local++;
    p->n_irregular += !S_ISREG(s->st_mode);
    rti_outset *set = p->set;
    if (set->n_inputs == set->cap_inputs) {
        int cap = set->cap_inputs ? 2 * set->cap_inputs : 16;
        rti_outset_input *in =
            rti_realloc_array(ctx, set->inputs, cap, sizeof(*in), "list of inputs");
        if (!in)
            return RT_E_NOMEM;
        set->inputs = in;
        set->cap_inputs = cap;
    }
    size_t n = strlen(p->role) + strlen(p->path) + 2;
    char *what = rti_malloc_array(ctx, (int64_t)n, 1, "list of inputs");
    if (!what)
        return RT_E_NOMEM;
    snprintf(what, n, "%s %s", p->role, p->path);
    set->inputs[set->n_inputs++] =
        (rti_outset_input){(uint64_t)s->st_dev, (uint64_t)s->st_ino, what};
    return RT_OK;
}

/* The files GDAL reads behind an input: the sources of a VRT (raster or
 * vector), the .dbf, .shx and .prj of a shapefile, the sidecars of a
 * raster (.aux.xml, .ovr, world files). Opening a raster reads its header
 * only; of the vector formats only those that name other files are opened
 * (a GeoJSON is parsed whole on open). Nothing is said when the open fails:
 * reading the input reports that. */
static rt_status protect_read_files(rt_ctx *ctx, protect_ctx *p)
{
    static const char *const vector_drivers[] = {"OGR_VRT", "ESRI Shapefile", "MapInfo File", NULL};
    rt_status st = RT_OK;
    rti_io_init(); /* the drivers, when nothing was opened yet */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    for (int vector = 0; vector <= 1 && st == RT_OK; vector++) {
        GDALDatasetH ds =
            GDALOpenEx(p->path, GDAL_OF_READONLY | (vector ? GDAL_OF_VECTOR : GDAL_OF_RASTER),
                       vector ? vector_drivers : NULL, NULL, NULL);
        char **files = ds ? GDALGetFileList(ds) : NULL;
        for (char **f = files; f && *f && st == RT_OK; f++) {
            struct stat sb;
            if (rti_path_kind_of(*f) == RTI_PATH_LOCAL && stat(*f, &sb) == 0)
                st = protect_file(ctx, p, *f, &sb);
        }
        CSLDestroy(files);
        if (ds)
            GDALClose(ds);
    }
    CPLPopErrorHandler();
    CPLErrorReset();
    return st;
}

rt_status rti_outset_protect(rt_ctx *ctx, rti_outset *set, const char *path, const char *role)
{
    protect_ctx p = {set, path, role, 0, 0};
    rt_status st = rti_path_local_files(ctx, path, protect_file, &p);
    const rti_path_kind k = rti_path_kind_of(path);
    /* GDAL opens the input only when all its files are regular: a FIFO
     * would block the open. */
    if (st == RT_OK && (k == RTI_PATH_LOCAL || k == RTI_PATH_VIRTUAL) && p.n_local > 0 &&
        p.n_irregular == 0)
        st = protect_read_files(ctx, &p);
    return st;
}

/* ---- the set ---- */

const char *rti_outset_add(rt_ctx *ctx, rti_outset *set, const char *final_path)
{
    if (rti_outset_check(ctx, set, final_path) != RT_OK)
        return NULL;
    if (set->n == set->cap) {
        int cap = set->cap ? 2 * set->cap : 16;
        char **t = rti_realloc_array(ctx, set->tmp, cap, sizeof(char *), "output list");
        if (!t)
            return NULL;
        set->tmp = t;
        char **f = rti_realloc_array(ctx, set->final, cap, sizeof(char *), "output list");
        if (!f)
            return NULL;
        set->final = f;
        set->cap = cap;
    }
    /* the temporary name keeps the extension, so GDAL picks the same driver */
    const char *slash = strrchr(final_path, '/');
    const char *base = slash ? slash + 1 : final_path;
    size_t dir_len = (size_t)(base - final_path);
    size_t len = strlen(final_path) + 64;
    char *tmp = rti_malloc_array(ctx, (int64_t)len, 1, "output name");
    char *fin = rti_malloc_array(ctx, (int64_t)strlen(final_path) + 1, 1, "output name");
    if (!tmp || !fin) {
        free(tmp);
        free(fin);
        return NULL;
    }
    snprintf(tmp, len, "%.*s.tmp-%ld-%s", (int)dir_len, final_path, (long)getpid(), base);
    memcpy(fin, final_path, strlen(final_path) + 1);
    unlink(tmp); /* a leftover of an earlier killed run with the same pid */
    set->tmp[set->n] = tmp;
    set->final[set->n] = fin;
    set->n++;
    return tmp;
}

const char *rti_outset_final(const rti_outset *set, const char *tmp)
{
    for (int i = 0; tmp && i < set->n; i++)
        if (set->tmp[i] == tmp || strcmp(set->tmp[i], tmp) == 0)
            return set->final[i];
    return tmp;
}

rt_status rti_outset_add_in(rt_ctx *ctx, rti_outset *set, const char *dir, const char *name,
                            const char **tmp)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = rti_malloc_array(ctx, (int64_t)n, 1, "path");
    if (!path)
        return RT_E_NOMEM;
    snprintf(path, n, "%s/%s", dir, name);
    const char *t = rti_outset_add(ctx, set, path);
    free(path);
    if (!t)
        return rt_ctx_errcode(ctx);
    if (tmp)
        *tmp = t;
    return RT_OK;
}

const char *rti_outset_find(const rti_outset *set, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < set->n; i++) {
        const char *f = set->final[i];
        size_t m = strlen(f);
        if (m > n && f[m - n - 1] == '/' && strcmp(f + m - n, name) == 0)
            return set->tmp[i];
    }
    return NULL;
}

/* Flushes a file's data, or a folder's entries, to the disk. A file
 * system that cannot sync such a file (EINVAL, EROFS: some FUSE and
 * special files) has nothing to lose by it. */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc == 0 || e == EINVAL || e == EROFS ? 0 : -1;
}

/* The folder that holds path: "." for a bare name, "/" for "/name". */
static void folder_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else
        snprintf(dir, n, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

/* Flushes the folder that holds `path` and each folder above it, up to
 * the root, to one that cannot be written (nothing can have been made in
 * it) or to one flushed before (listed in seen[0 .. *n_seen), which owns
 * the strings): a folder the run made is an entry of its parent, and that
 * entry is lost in a crash unless the parent is flushed too. 0 on success,
 * else -1 with errno and the folder in `failed`. */
static int sync_folders(const char *path, char **seen, int *n_seen, int cap, char *failed,
                        size_t failed_size)
{
    char dir[PATH_MAX];
    folder_of(path, dir, sizeof(dir));
    char real[PATH_MAX];
    const char *at = dir; /* the folder that failed */
    if (!realpath(dir, real))
        goto fail;
    at = real;
    for (;;) {
        for (int j = 0; j < *n_seen; j++)
            if (strcmp(seen[j], real) == 0)
                return 0;
        if (*n_seen < cap && (seen[*n_seen] = strdup(real)) != NULL)
            (*n_seen)++;
        if (sync_path(real) != 0)
            goto fail;
        char *up = strrchr(real, '/');
        if (!up || strcmp(real, "/") == 0)
            return 0;
        up[up == real ? 1 : 0] = '\0'; /* "/a" -> "/", "/a/b" -> "/a" */
        if (access(real, W_OK) != 0)
            return 0; /* no folder can have been made in it */
    }
fail:;
    const int e = errno;
    snprintf(failed, failed_size, "%s", at);
    errno = e;
    return -1;
}

/* Every output is flushed to the disk under its temporary name before
 * any is renamed, and the folders after: after a crash of the machine an
 * output is whole under its final name or not there, never empty or cut
 * short (file systems do not order a rename after the data it names). */
rt_status rti_outset_commit(rt_ctx *ctx, rti_outset *set)
{
    rt_status st = RT_OK;
    int placed = 0; /* outputs in place: those before a failed rename stay */
    for (int i = 0; st == RT_OK && i < set->n; i++)
        if (sync_path(set->tmp[i]) != 0)
            st = rti_error(ctx, RT_E_IO, "%s: cannot write the finished file to the disk: %s",
                           set->final[i], strerror(errno));
    if (st == RT_OK && set->manifest_last && set->n > 0) {
        const char *m = set->final[set->n - 1];
        if (unlink(m) == 0) {
            char dir[PATH_MAX];
            folder_of(m, dir, sizeof(dir));
            if (sync_path(dir) != 0)
                st = rti_error(ctx, RT_E_IO, "%s: cannot write the folder to the disk: %s", dir,
                               strerror(errno));
        } else if (errno != ENOENT) {
            st = rti_error(ctx, RT_E_IO, "%s: cannot remove the earlier one: %s", m,
                           strerror(errno));
        }
    }
    for (; st == RT_OK && placed < set->n; placed++)
        if (rename(set->tmp[placed], set->final[placed]) != 0) {
            st = rti_error(ctx, RT_E_IO, "%s: cannot move the finished file into place: %s",
                           set->final[placed], strerror(errno));
            break;
        }
    if (st != RT_OK) {
        for (int j = placed; j < set->n; j++)
            unlink(set->tmp[j]);
        return st;
    }
    enum { MAX_FOLDERS = 256 }; /* beyond it a folder may be flushed twice */
    char *seen[MAX_FOLDERS], failed[PATH_MAX];
    int n_seen = 0, warned = 0;
    for (int i = 0; i < set->n; i++)
        if (sync_folders(set->final[i], seen, &n_seen, MAX_FOLDERS, failed, sizeof(failed)) != 0 &&
            !warned++)
            rti_log(ctx, RT_LOG_WARNING,
                    "%s: the outputs are in place, but this folder could not be written to the "
                    "disk (%s): a crash of the machine now may lose them",
                    failed, strerror(errno));
    for (int j = 0; j < n_seen; j++)
        free(seen[j]);
    return RT_OK;
}

void rti_outset_abort(rti_outset *set)
{
    for (int i = 0; i < set->n; i++)
        unlink(set->tmp[i]);
    rti_outset_free(set);
}

void rti_outset_free(rti_outset *set)
{
    for (int i = 0; i < set->n; i++) {
        free(set->tmp[i]);
        free(set->final[i]);
    }
    free(set->tmp);
    free(set->final);
    for (int i = 0; i < set->n_inputs; i++)
        free(set->inputs[i].what);
    free(set->inputs);
    memset(set, 0, sizeof(*set));
}

/* The error message of ctx with every temporary path of set replaced by
 * its final path: a message names the output the user asked for, never a
 * temporary file. */
static void name_finals(rt_ctx *ctx, const rti_outset *set, rt_status st)
{
    char msg[RTI_MSG_BYTES], out[RTI_MSG_BYTES];
    snprintf(msg, sizeof(msg), "%s", rt_ctx_errmsg(ctx));
    int changed = 0;
    /* whole paths first, then file names alone ("DIR: .tmp-1-x.csv: ...") */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < set->n; i++) {
            const char *tmp = set->tmp[i], *fin = set->final[i];
            if (pass) {
                const char *a = strrchr(tmp, '/'), *b = strrchr(fin, '/');
                tmp = a ? a + 1 : tmp;
                fin = b ? b + 1 : fin;
            }
            const char *at = strstr(msg, tmp);
            if (!at)
                continue;
            size_t head = (size_t)(at - msg), n = strlen(tmp);
            snprintf(out, sizeof(out), "%.*s%s%s", (int)head, msg, fin, at + n);
            snprintf(msg, sizeof(msg), "%s", out);
            changed = 1;
            i--; /* the same path may appear again */
        }
    if (changed)
        rti_error(ctx, st, "%s", msg);
}

void rti_outset_fail(rt_ctx *ctx, rti_outset *set, rt_status st)
{
    struct statvfs v;
    char dir[PATH_MAX];
    name_finals(ctx, set, st);
    if (st == RT_E_IO && set->n > 0 &&
        snprintf(dir, sizeof(dir), "%s", set->tmp[0]) < (int)sizeof(dir)) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof(dir), ".");
        /* free space as the failed write left it: the temporary files are
         * still there */
        if (statvfs(dir, &v) == 0 && (uint64_t)v.f_bavail * v.f_frsize < ((uint64_t)1 << 20)) {
            char msg[RTI_MSG_BYTES];
            snprintf(msg, sizeof(msg), "%s", rt_ctx_errmsg(ctx));
            rti_error(ctx, st, "%s (the disk that holds %s is full)", msg, dir);
        }
    }
    rti_outset_abort(set);
}

rt_status rti_outset_end(rt_ctx *ctx, rti_outset *set, rt_status st)
{
    if (st == RT_OK)
        st = rti_outset_commit(ctx, set);
    if (st != RT_OK)
        rti_outset_fail(ctx, set, st);
    rti_outset_free(set);
    return st;
}
