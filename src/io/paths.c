/* Input paths: what a path names and the checks made before GDAL opens one
 * (io.h: rti_input_check()), so that a named pipe, a device, a socket or
 * a silent server can never block a read; the HTTP timeouts of remote
 * reads. */
#define _POSIX_C_SOURCE 200809L
#include <cpl_conv.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/io_internal.h"

/* GDAL's virtual file systems that read over the network */
static const char *const remote_vsi[] = {"/vsicurl/",
                                         "/vsicurl?",
                                         "/vsicurl_streaming/",
                                         "/vsis3/",
                                         "/vsis3_streaming/",
                                         "/vsigs/",
                                         "/vsigs_streaming/",
                                         "/vsiaz/",
                                         "/vsiaz_streaming/",
                                         "/vsiadls/",
                                         "/vsioss/",
                                         "/vsioss_streaming/",
                                         "/vsiswift/",
                                         "/vsiswift_streaming/",
                                         "/vsihdfs/",
                                         "/vsiwebhdfs/",
                                         NULL};
/* URLs GDAL opens itself (matched without regard to case) */
static const char *const url_schemes[] = {"http://", "https://", "ftp://", NULL};
/* archives read through another path: /vsizip/{inner}/member or /vsizip/inner/member */
static const char *const archive_vsi[] = {"/vsizip/", "/vsigzip/", "/vsitar/", NULL};
/* drivers whose connection strings reach a database or a web service */
static const char *const server_drivers[] = {
    "PG",         "MYSQL",     "MSSQL", "OCI",   "ODBC",    "HANA",     "MONGODB",
    "MONGODBV3",  "ES",        "CARTO", "WFS",   "WMS",     "WCS",      "WMTS",
    "OAPIF",      "CSW",       "EEDA",  "EEDAI", "NGW",     "PLSCENES", "PLMOSAIC",
    "AMIGOCLOUD", "GEORASTER", "DODS",  "DAAS",  "COUCHDB", NULL};

/* the HTTP options set around remote reads: key, default */
static const char *const http_options[][2] = {
    {"GDAL_HTTP_CONNECTTIMEOUT", "10"},
    {"GDAL_HTTP_TIMEOUT", "60"},
    {"GDAL_HTTP_MAX_RETRY", "0"},
};
#define N_HTTP_OPTIONS (sizeof(http_options) / sizeof(http_options[0]))

/* nesting of archives in archives followed before giving up */
#define MAX_DEPTH 8

static const char *prefix_in(const char *s, const char *const *list, int nocase)
{
    for (; *list; list++)
        if ((nocase ? strncasecmp(s, *list, strlen(*list)) : strncmp(s, *list, strlen(*list))) == 0)
            return *list;
    return NULL;
}

/* Length of a driver prefix "NAME:" (capital letters, digits and '_', at
 * least two, as in the study file's path rule), or 0. */
static size_t driver_prefix(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    return n >= 2 && s[n] == ':' && s[0] >= 'A' && s[0] <= 'Z' ? n + 1 : 0;
}

/* The path an archive handler reads from, into buf: "{...}" or the rest. */
static void archive_inner(const char *rest, char *buf, size_t n)
{
    if (rest[0] != '{') {
        snprintf(buf, n, "%s", rest);
        return;
    }
    int depth = 0;
    size_t i = 0;
    for (; rest[i]; i++) {
        depth += rest[i] == '{' ? 1 : rest[i] == '}' ? -1 : 0;
        if (depth == 0)
            break;
    }
    snprintf(buf, n, "%.*s", (int)(i > 0 ? i - 1 : 0), rest + 1);
}

static rti_path_kind kind_of(const char *path, int depth)
{
    if (strncmp(path, "/vsimem/", 8) == 0)
        return RTI_PATH_VIRTUAL;
    if (prefix_in(path, remote_vsi, 0) || prefix_in(path, url_schemes, 1))
        return RTI_PATH_REMOTE;
    const char *arch = prefix_in(path, archive_vsi, 0);
    if (arch) {
        char inner[4096];
        archive_inner(path + strlen(arch), inner, sizeof(inner));
        rti_path_kind k = depth < MAX_DEPTH ? kind_of(inner, depth + 1) : RTI_PATH_UNSUPPORTED;
        return k == RTI_PATH_LOCAL        ? RTI_PATH_VIRTUAL
               : k == RTI_PATH_CONNECTION ? RTI_PATH_UNSUPPORTED
                                          : k;
    }
    if (strncmp(path, "/vsi", 4) == 0)
        return RTI_PATH_UNSUPPORTED;
    size_t np = driver_prefix(path);
    struct stat st;
    if (np && stat(path, &st) != 0) {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)(np - 1), path);
        int server = 0;
        for (const char *const *d = server_drivers; *d && !server; d++)
            server = strcmp(name, *d) == 0;
        return server || strstr(path, "://") ? RTI_PATH_REMOTE : RTI_PATH_CONNECTION;
    }
    return RTI_PATH_LOCAL;
}

rti_path_kind rti_path_kind_of(const char *path)
{
    return path ? kind_of(path, 0) : RTI_PATH_LOCAL;
}

/* ---- local files ---- */

const char *rti_file_kind(unsigned mode)
{
    const mode_t m = (mode_t)mode;
    if (S_ISREG(m))
        return "a regular file";
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISFIFO(m))
        return "a named pipe (FIFO)";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "a special file";
}

/* What a file that is neither a regular file nor a folder is; NULL for
 * those two. */
static const char *special_kind(mode_t m)
{
    return S_ISREG(m) || S_ISDIR(m) ? NULL : rti_file_kind(m);
}

/* RT_E_IO for a special file `file` met while checking `shown`. */
static rt_status refuse_special(rt_ctx *ctx, const char *shown, const char *file, const char *role,
                                const char *what)
{
    if (strcmp(shown, file) == 0)
        return rti_error(ctx, RT_E_IO,
                         "%s: is %s, not a regular file; only regular files and folders are read",
                         shown, what);
    return rti_error(ctx, RT_E_IO,
                     "%s: %s%s is %s, not a regular file; only regular files and folders are read",
                     shown, role, file, what);
}

static rt_status cannot_look_up(rt_ctx *ctx, const char *shown, const char *file, int err)
{
    char msg[128] = "";
    strerror_r(err, msg, sizeof(msg));
    if (strcmp(shown, file) == 0)
        return rti_error(ctx, RT_E_IO, "%s: cannot open: %s", shown, msg);
    return rti_error(ctx, RT_E_IO, "%s: cannot open %s: %s", shown, file, msg);
}

/* 1 when GDAL may open `name` beside the file whose name up to its first
 * dot is stem[0..n): the same stem and a dot (x.shp: x.dbf, x.prj,
 * x.shp.xml; x.tif: x.tif.aux.xml, x.tfw; x.gpkg: x.gpkg-wal), without
 * regard to case (drivers try X.DBF too). */
static int companion(const char *name, const char *stem, size_t n)
{
    return strncasecmp(name, stem, n) == 0 && name[n] == '.';
}

/* Checks the entries of folder dir that GDAL may open along with the
 * dataset: every one (stem NULL), or the companions of the file `self`. */
static rt_status check_entries(rt_ctx *ctx, const char *shown, const char *dir, const char *self,
                               const char *stem, size_t n_stem)
{
    DIR *d = opendir(dir[0] ? dir : ".");
    if (!d)
        return RT_OK; /* nothing can be listed, so GDAL finds nothing there either */
    rt_status st = RT_OK;
    struct dirent *ent;
    while (st == RT_OK && (ent = readdir(d)) != NULL) {
        const char *nm = ent->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || (self && strcmp(nm, self) == 0))
            continue;
        if (stem && !companion(nm, stem, n_stem))
            continue;
        char full[4096];
        size_t nd = strlen(dir);
        snprintf(full, sizeof(full), "%s%s%s", dir, nd && dir[nd - 1] != '/' ? "/" : "", nm);
        struct stat sb;
        const char *what = stat(full, &sb) == 0 ? special_kind(sb.st_mode) : NULL;
        if (what)
            st = refuse_special(ctx, shown, full,
                                stem ? "the file beside it " : "the folder's entry ", what);
    }
    closedir(d);
    return st;
}

/* Checks an existing local file or folder `file` (stat in sb) and what
 * GDAL may open beside it or in it. */
static rt_status check_found(rt_ctx *ctx, const char *shown, const char *file,
                             const struct stat *sb)
{
    const char *what = special_kind(sb->st_mode);
    if (what)
        return refuse_special(ctx, shown, file, "", what);
    if (S_ISDIR(sb->st_mode))
        return check_entries(ctx, shown, file, NULL, NULL, 0);
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 0, file);
    if (slash && slash == file)
        snprintf(dir, sizeof(dir), "/");
    const char *dot = strchr(base + 1, '.');
    size_t n_stem = dot ? (size_t)(dot - base) : strlen(base);
    return check_entries(ctx, shown, dir, base, base, n_stem);
}

static rt_status check_local(rt_ctx *ctx, const char *shown, const char *file)
{
    struct stat sb;
    if (stat(file, &sb) != 0)
        return cannot_look_up(ctx, shown, file, errno);
    return check_found(ctx, shown, file, &sb);
}

/* The file an archive handler reads: the longest leading part of `inner`
 * that exists ("/data/a.zip" of "/data/a.zip/roads/x.shp"), into buf with
 * its status. Returns 0 when found, else the error of the lookup: ENOENT
 * when no part exists or only a folder above `inner` does (a folder holds
 * no member: the archive itself is missing), buf then being the failing
 * part for any other error. */
static int archive_file(const char *inner, char *buf, size_t n, struct stat *sb)
{
    snprintf(buf, n, "%s", inner);
    for (;;) {
        if (stat(buf, sb) == 0)
            return S_ISDIR(sb->st_mode) && strcmp(buf, inner) != 0 ? ENOENT : 0;
        if (errno != ENOENT && errno != ENOTDIR)
            return errno;
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf)
            return ENOENT;
        *slash = '\0';
    }
}

static rt_status check_archive_file(rt_ctx *ctx, const char *shown, const char *inner)
{
    char buf[4096];
    struct stat sb;
    const int err = archive_file(inner, buf, sizeof(buf), &sb);
    if (err == 0)
        return check_found(ctx, shown, buf, &sb);
    return cannot_look_up(ctx, shown, err == ENOENT ? inner : buf, err);
}

/* Calls fn for each part of a driver-prefixed string that names an
 * existing local file: every run of the ':'- or '"'-separated pieces after
 * the prefix, joined by ':'; stops at the first status other than RT_OK. */
static rt_status connection_files(rt_ctx *ctx, const char *path, rti_local_file_fn fn, void *user)
{
    const char *rest = path + driver_prefix(path);
    enum { MAX_PIECES = 16 };
    size_t start[MAX_PIECES], end[MAX_PIECES];
    char sep[MAX_PIECES];
    int n = 0;
    size_t i = 0, len = strlen(rest);
    while (i <= len && n < MAX_PIECES) {
        size_t j = i + strcspn(rest + i, ":\"");
        start[n] = i;
        end[n] = j;
        sep[n] = rest[j];
        n++;
        i = j + 1;
    }
    for (int a = 0; a < n; a++) {
        for (int b = a; b < n; b++) {
            if (b > a && sep[b - 1] != ':')
                break;
            char cand[4096];
            if (end[b] <= start[a] || end[b] - start[a] >= sizeof(cand))
                continue;
            snprintf(cand, sizeof(cand), "%.*s", (int)(end[b] - start[a]), rest + start[a]);
            struct stat sb;
            if (stat(cand, &sb) == 0) {
                rt_status st = fn(ctx, user, cand, &sb);
                if (st != RT_OK)
                    return st;
            }
        }
    }
    return RT_OK;
}

static rt_status check_found_fn(rt_ctx *ctx, void *shown, const char *file, const struct stat *sb)
{
    return check_found(ctx, shown, file, sb);
}

static rt_status check_connection(rt_ctx *ctx, const char *path)
{
    return connection_files(ctx, path, check_found_fn, (void *)path);
}

static rt_status local_files(rt_ctx *ctx, const char *path, rti_local_file_fn fn, void *user,
                             int depth)
{
    const rti_path_kind k = kind_of(path, 0);
    struct stat sb;
    if (k == RTI_PATH_LOCAL)
        return stat(path, &sb) == 0 ? fn(ctx, user, path, &sb) : RT_OK;
    if (k == RTI_PATH_CONNECTION)
        return connection_files(ctx, path, fn, user);
    const char *arch = prefix_in(path, archive_vsi, 0);
    if (k != RTI_PATH_VIRTUAL || !arch || depth > MAX_DEPTH)
        return RT_OK;
    char inner[4096];
    archive_inner(path + strlen(arch), inner, sizeof(inner));
    if (kind_of(inner, 0) != RTI_PATH_LOCAL)
        return local_files(ctx, inner, fn, user, depth + 1);
    char file[4096];
    if (archive_file(inner, file, sizeof(file), &sb) != 0 || S_ISDIR(sb.st_mode))
        return RT_OK;
    return fn(ctx, user, file, &sb);
}

rt_status rti_path_local_files(rt_ctx *ctx, const char *path, rti_local_file_fn fn, void *user)
{
    return path ? local_files(ctx, path, fn, user, 0) : RT_OK;
}

static rt_status check_path(rt_ctx *ctx, const char *shown, const char *path, int allow_remote,
                            int depth)
{
    rti_path_kind k = kind_of(path, 0);
    if (k == RTI_PATH_REMOTE) {
        if (allow_remote)
            return RT_OK;
        return rti_error(ctx, RT_E_IO,
                         "%s: is a remote source, read over the network, which is off unless "
                         "allowed: set study.allow_remote: true or give --allow-remote",
                         shown);
    }
    if (k == RTI_PATH_UNSUPPORTED || depth > MAX_DEPTH)
        return rti_error(ctx, RT_E_IO,
                         "%s: GDAL virtual file system not read as an input (inputs may use "
                         "/vsimem/, and /vsizip/, /vsigzip/ or /vsitar/ over a file)",
                         shown);
    if (k == RTI_PATH_CONNECTION)
        return check_connection(ctx, path);
    if (k == RTI_PATH_LOCAL)
        return check_local(ctx, shown, path);
    const char *arch = prefix_in(path, archive_vsi, 0);
    if (!arch)
        return RT_OK; /* /vsimem/: in this process */
    char inner[4096];
    archive_inner(path + strlen(arch), inner, sizeof(inner));
    if (kind_of(inner, 0) == RTI_PATH_LOCAL)
        return check_archive_file(ctx, shown, inner);
    return check_path(ctx, shown, inner, allow_remote, depth + 1);
}

rt_status rti_input_check(rt_ctx *ctx, const char *path, int allow_remote)
{
    if (!path || !path[0])
        return rti_error(ctx, RT_E_ARG, "input: no path given");
    return check_path(ctx, path, path, allow_remote, 0);
}

/* ---- remote reads ---- */

void rti_remote_timeouts(const char **connect_s, const char **total_s)
{
    const char *c = CPLGetConfigOption(http_options[0][0], NULL);
    const char *t = CPLGetConfigOption(http_options[1][0], NULL);
    *connect_s = c ? c : http_options[0][1];
    *total_s = t ? t : http_options[1][1];
}

rt_status rti_input_open(rt_ctx *ctx, rti_gdal_err *e, const char *path, int allow_remote)
{
    rt_status st = rti_input_check(ctx, path, allow_remote);
    if (st != RT_OK || rti_path_kind_of(path) != RTI_PATH_REMOTE || e->remote)
        return st;
    e->remote = 1;
    for (size_t i = 0; i < N_HTTP_OPTIONS; i++) {
        if (CPLGetConfigOption(http_options[i][0], NULL))
            continue; /* the user's setting (environment or GDAL configuration) wins */
        CPLSetThreadLocalConfigOption(http_options[i][0], http_options[i][1]);
        e->http_set |= 1u << i;
    }
    /* HTTP reads: vsi paths, URLs, and driver strings holding one */
    if (strncmp(path, "/vsi", 4) == 0 || strstr(path, "://")) {
        const char *c, *t;
        rti_remote_timeouts(&c, &t);
        snprintf(e->note, sizeof(e->note),
                 "; a remote source: each request gives up after %.20s s without a connection "
                 "or %.20s s in all (GDAL_HTTP_CONNECTTIMEOUT, GDAL_HTTP_TIMEOUT)",
                 c, t);
    }
    return RT_OK;
}

const char *rti_remote_note(const rti_gdal_err *e) { return e->note; }

void rti_remote_end(rti_gdal_err *e)
{
    for (size_t i = 0; i < N_HTTP_OPTIONS; i++)
        if (e->http_set & (1u << i))
            CPLSetThreadLocalConfigOption(http_options[i][0], NULL);
    e->http_set = 0;
    e->remote = 0;
    e->note[0] = '\0';
}

int rti_is_csv_path(const char *path)
{
    size_t len = strlen(path);
    return len > 4 &&
           (strcasecmp(path + len - 4, ".csv") == 0 || strcasecmp(path + len - 4, ".tsv") == 0);
}
