/* The output folder of a run (docs/outputs.md, "The output folder"). Before
 * anything is written, every output the run will write is checked: none
 * may be an input or the study file, and what is at its place must be a
 * regular file; unless opts->overwrite, the folder may hold nothing that
 * no earlier run wrote there. Then the folder is made with the parents it
 * lacks, and when the run fails, the folders it made are removed again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "study/run/run.h"

/* ---- what no output may replace ---- */

/* The osmconf.ini files a run may read OSM sources with: the one beside
 * the speed profile and the one in the profile folders. */
static rt_status protect_osm_config(rt_ctx *ctx, rti_run *run, const char *profile_path)
{
    rt_status st = RT_OK;
    const char *slash = profile_path ? strrchr(profile_path, '/') : NULL;
    if (slash) {
        size_t n = (size_t)(slash - profile_path) + sizeof("/osmconf.ini");
        char *beside = rti_malloc_array(ctx, (int64_t)n, 1, "file name");
        if (!beside)
            return RT_E_NOMEM;
        snprintf(beside, n, "%.*s/osmconf.ini", (int)(slash - profile_path), profile_path);
        st = rti_outset_protect(ctx, &run->outs, beside, "OSM configuration");
        free(beside);
    }
    char *found = st == RT_OK ? rti_find_profile_file(ctx, "osmconf.ini", &st) : NULL;
    if (found)
        st = rti_outset_protect(ctx, &run->outs, found, "OSM configuration");
    free(found);
    return st;
}

rt_status rti_run_protect_inputs(rt_ctx *ctx, rti_run *run)
{
    int n = 0;
    rti_input_file *in = rti_run_input_files(ctx, run, &n);
    if (!in)
        return RT_E_NOMEM;
    rt_status st = RT_OK;
    char role[200];
    for (int i = 0; st == RT_OK && i < n; i++) {
        if (strcmp(in[i].role, "study") == 0)
            snprintf(role, sizeof(role), "study file");
        else
            snprintf(role, sizeof(role), "%s input", in[i].role);
        st = rti_outset_protect(ctx, &run->outs, in[i].path, role);
    }
    free(in);
    rti_medium_facts facts = {0};
    if (run->medium)
        rti_medium_facts_of(run->medium, &facts);
    return st == RT_OK ? protect_osm_config(ctx, run, facts.profile_path) : st;
}

/* ---- the outputs registered only after the search ---- */

rt_status rti_run_check_output(rt_ctx *ctx, rti_run *run, const char *name)
{
    const char *dir = run->opts->outdir;
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = rti_malloc_array(ctx, (int64_t)n, 1, "path");
    if (!path)
        return RT_E_NOMEM;
    snprintf(path, n, "%s/%s", dir, name);
    rt_status st = rti_outset_check(ctx, &run->outs, path);
    free(path);
    return st;
}

/* The outputs that are registered when they are written (the .qml beside
 * each GeoTIFF, the GeoPackage, the CSV files, the report, run.json),
 * checked now, so that a run that may not write them stops before its
 * search. Writing checks them again. */
static rt_status check_later_outputs(rt_ctx *ctx, rti_run *run)
{
    const rt_study *s = run->study;
    char name[300];
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < run->outs.n; i++) {      /* the grids, registered */
        const char *tif = strrchr(run->outs.final[i], '/') + 1; /* <type>_<grid>.tif */
        snprintf(name, sizeof(name), "%.*s.qml", (int)strlen(tif) - 4, tif);
        st = rti_run_check_output(ctx, run, name);
    }
    if (st == RT_OK && s->outputs.geopackage)
        st = rti_run_check_output(ctx, run, "reistijd.gpkg");
    for (int r = 0; st == RT_OK && s->outputs.csv && r < s->n_regions; r++) {
        rti_region_table_name(s->regions[r].name, 0, 0, name, sizeof(name));
        st = rti_run_check_output(ctx, run, name);
        rti_region_table_name(s->regions[r].name, 0, 1, name, sizeof(name));
        if (st == RT_OK)
            st = rti_run_check_output(ctx, run, name);
    }
    if (st == RT_OK && s->outputs.closures)
        st = rti_run_check_closures(ctx, run);
    if (st == RT_OK && s->outputs.report)
        st = rti_run_check_output(ctx, run, "report.html");
    return st == RT_OK ? rti_run_check_output(ctx, run, "run.json") : st;
}

/* ---- files of others ---- */

/* *outs gets the outputs array of <dir>/run.json when that is the
 * manifest of an earlier run (a regular file of at most 16 MiB, with
 * versions.reistijd and an array outputs), else NULL; *root gets what to
 * free with json_object_put. RT_E_NOMEM only. */
static rt_status earlier_outputs(rt_ctx *ctx, const char *dir, json_object **root,
                                 json_object **outs)
{
    *root = *outs = NULL;
    size_t n = strlen(dir) + sizeof("/run.json");
    char *path = rti_malloc_array(ctx, (int64_t)n, 1, "path");
    if (!path)
        return RT_E_NOMEM;
    snprintf(path, n, "%s/run.json", dir);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (16 << 20))
        *root = json_object_from_file(path);
    free(path);
    json_object *versions, *version, *list;
    if (json_object_object_get_ex(*root, "versions", &versions) &&
        json_object_object_get_ex(versions, "reistijd", &version) &&
        json_object_is_type(version, json_type_string) &&
        json_object_object_get_ex(*root, "outputs", &list) &&
        json_object_is_type(list, json_type_array))
        *outs = list;
    return RT_OK;
}

/* A temporary name of a run, .tmp-<digits>-<name>: a run being written or
 * one that was killed; never counted as a file of others, and removed by
 * rti_run_clear_leftovers. */
static int is_temporary(const char *name)
{
    if (strncmp(name, ".tmp-", 5) != 0)
        return 0;
    size_t digits = strspn(name + 5, "0123456789");
    return digits > 0 && name[5 + digits] == '-';
}

/* 1 when the process whose id a temporary name holds runs on this
 * machine (this one, or another whose lock did not reach here). */
static int writer_alive(const char *name)
{
    const long long pid = strtoll(name + 5, NULL, 10);
    return pid > 0 && pid <= INT_MAX && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* Removes the temporary files in folder dir (not below it); adds their
 * count and bytes. */
static void clear_temporary(const char *dir, int64_t *n, double *bytes)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[PATH_MAX];
    for (struct dirent *e; (e = readdir(d));) {
        struct stat s;
        if (!is_temporary(e->d_name) || writer_alive(e->d_name) ||
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
            lstat(path, &s) != 0 || !S_ISREG(s.st_mode) || unlink(path) != 0)
            continue;
        (*n)++;
        *bytes += (double)s.st_size;
    }
    closedir(d);
}

void rti_run_clear_leftovers(rt_ctx *ctx, rti_run *run)
{
    if (run->outdir_lock <= 0)
        return; /* not locked: another process may be writing there */
    const char *dir = run->opts->outdir;
    int64_t n = 0;
    double bytes = 0;
    clear_temporary(dir, &n, &bytes);
    char sub[PATH_MAX];
    snprintf(sub, sizeof(sub), "%s/scenarios", dir);
    struct stat ss;
    DIR *d = lstat(sub, &ss) == 0 && S_ISDIR(ss.st_mode) ? opendir(sub) : NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        char one[PATH_MAX];
        struct stat s;
        if (e->d_name[0] == '.' ||
            snprintf(one, sizeof(one), "%s/%s", sub, e->d_name) >= (int)sizeof(one) ||
            lstat(one, &s) != 0 || !S_ISDIR(s.st_mode))
            continue;
        clear_temporary(one, &n, &bytes);
    }
    if (d)
        closedir(d);
    if (n)
        rti_log(ctx, RT_LOG_INFO,
                "%s: removed %lld temporary file%s (%.1f MB) that a run stopped before its end "
                "(killed) left behind",
                dir, (long long)n, n == 1 ? "" : "s", bytes / 1e6);
}

/* 1 when the entry `name` of the folder <outdir>/<sub> (sub "" for the
 * output folder) was written by a run of reistijd: run.json itself and
 * what its outputs list (earlier, may be NULL), and the folders of those. */
static int written_by_reistijd(const char *sub, const char *name, const json_object *earlier)
{
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || is_temporary(name))
        return 1;
    if (!earlier)
        return 0;
    if (!*sub && strcmp(name, "run.json") == 0)
        return 1;
    size_t ns = strlen(sub), nn = strlen(name);
    size_t n = json_object_array_length(earlier);
    for (size_t i = 0; i < n; i++) {
        const char *out = json_object_get_string(json_object_array_get_idx(earlier, i));
        if (!out)
            continue;
        if (ns) { /* "<sub>/<name>..." */
            if (strncmp(out, sub, ns) != 0 || out[ns] != '/')
                continue;
            out += ns + 1;
        }
        if (strncmp(out, name, nn) == 0 && (out[nn] == '\0' || out[nn] == '/'))
            return 1;
    }
    return 0;
}

const char *rti_run_output_name(const rti_run *run, const char *final)
{
    size_t n = strlen(run->opts->outdir);
    if (strncmp(final, run->opts->outdir, n) == 0 && final[n] == '/')
        return final + n + 1;
    const char *f = strrchr(final, '/');
    return f ? f + 1 : final;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* RT_E_ARG naming the first few (by name) of the n files of others. */
static rt_status refuse_foreign(rt_ctx *ctx, const char *dir, char **names, int n)
{
    qsort(names, (size_t)n, sizeof(*names), by_name);
    char list[600] = "";
    int shown = n < 3 ? n : 3;
    for (int i = 0; i < shown; i++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s'%.150s'",
                 i == 0                         ? ""
                 : i == shown - 1 && shown == n ? " and "
                                                : ", ",
                 names[i]);
    if (shown < n)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), " and %d more", n - shown);
    return rti_error(ctx, RT_E_ARG,
                     "%s: the output folder holds %d file%s that no earlier run wrote there (not "
                     "in the outputs of its run.json): %s; choose another folder, or give "
                     "--overwrite to write into it all the same (files "
                     "of the same name are replaced, the others left alone)",
                     dir, n, n == 1 ? "" : "s", list);
}

/* 1 when the folder `name` of <outdir>/<sub> is one this run writes
 * into: "scenarios", and in it the folder of each scenario. Their own
 * entries are checked in turn; a run killed before its run.json leaves
 * them behind with temporary files only. */
static int own_folder(const rti_run *run, const char *dir, const char *sub, const char *name)
{
    if (!run->study->n_scenarios)
        return 0;
    char path[PATH_MAX], want[300];
    struct stat sb;
    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
        stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return 0;
    if (!*sub)
        return strcmp(name, "scenarios") == 0;
    for (int i = 0; i < run->study->n_scenarios; i++) {
        rti_scenario_file(run->study->scenarios[i].name, NULL, want, sizeof(want));
        if (strncmp(want, sub, strlen(sub)) == 0 && want[strlen(sub)] == '/' &&
            strcmp(want + strlen(sub) + 1, name) == 0)
            return 1;
    }
    return 0;
}

/* Refuses a run into a folder (<outdir>/<sub>, sub "" for the output
 * folder) that holds files no earlier run wrote there. */
static rt_status check_foreign(rt_ctx *ctx, const rti_run *run, const char *sub)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s%s%s", run->opts->outdir, *sub ? "/" : "", sub);
    DIR *d = opendir(dir);
    if (!d)
        return RT_OK; /* missing: made later; not a folder: said when it is made */
    json_object *root, *earlier;
    rt_status st = earlier_outputs(ctx, run->opts->outdir, &root, &earlier);
    char **names = NULL;
    int n = 0, cap = 0;
    for (struct dirent *e; st == RT_OK && (e = readdir(d)) != NULL;) {
        if (written_by_reistijd(sub, e->d_name, earlier) || own_folder(run, dir, sub, e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = rti_realloc_array(ctx, names, cap, sizeof(*names), "file names");
            if (!grown) {
                st = RT_E_NOMEM;
                break;
            }
            names = grown;
        }
        names[n] = rti_strdup(ctx, e->d_name, "file names");
        st = names[n] ? RT_OK : RT_E_NOMEM;
        n += names[n] != NULL;
    }
    closedir(d);
    json_object_put(root);
    if (st == RT_OK && n > 0)
        st = refuse_foreign(ctx, dir, names, n);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

rt_status rti_run_check_outdir(rt_ctx *ctx, rti_run *run)
{
    rt_status st = check_later_outputs(ctx, run);
    return st == RT_OK ? rti_run_check_foreign(ctx, run) : st;
}

rt_status rti_run_check_foreign(rt_ctx *ctx, rti_run *run)
{
    if (run->opts->overwrite)
        return RT_OK;
    rt_status st = check_foreign(ctx, run, "");
    if (st == RT_OK && run->study->n_scenarios)
        st = check_foreign(ctx, run, "scenarios");
    char sub[300];
    for (int i = 0; st == RT_OK && i < run->study->n_scenarios; i++) {
        rti_scenario_file(run->study->scenarios[i].name, NULL, sub, sizeof(sub));
        st = check_foreign(ctx, run, sub);
    }
    return st;
}

/* ---- making the folder, and removing it again ---- */

rt_status rti_run_make_outdir(rt_ctx *ctx, rti_run *run)
{
    const char *dir = run->opts->outdir;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    run->made_path = rti_malloc_array(ctx, (int64_t)n + 1, 1, "output folder name");
    run->made_len = rti_malloc_array(ctx, (int64_t)n + 1, sizeof(size_t), "output folder name");
    if (!run->made_path || !run->made_len)
        return RT_E_NOMEM;
    char *p = run->made_path;
    memcpy(p, dir, n);
    p[n] = '\0';
    for (size_t i = 1; i <= n; i++) {
        if (i < n && (p[i] != '/' || p[i - 1] == '/'))
            continue; /* inside a name, or a second slash */
        char c = p[i];
        p[i] = '\0';
        rt_status st = RT_OK;
        if (mkdir(p, 0777) == 0)
            run->made_len[run->n_made++] = i;
        else if (errno != EEXIST)
            st = rti_error(ctx, RT_E_IO, "%s: cannot create the output folder: %s", p,
                           strerror(errno));
        p[i] = c;
        if (st != RT_OK)
            return st;
    }
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        return rti_error(ctx, RT_E_IO, "%s: not a folder", dir);
    return rti_run_lock_outdir(ctx, run); /* a folder made now */
}

rt_status rti_run_lock_outdir(rt_ctx *ctx, rti_run *run)
{
    if (run->outdir_lock > 0)
        return RT_OK;
    const char *dir = run->opts->outdir;
    const int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return RT_OK; /* not there yet (locked once made), or not a folder (said later) */
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        run->outdir_lock = fd + 1;
        return RT_OK;
    }
    const int e = errno;
    close(fd);
    if (e == EWOULDBLOCK)
        return rti_error(ctx, RT_E_IO,
                         "%s: another reistijd process is writing into this folder now; wait "
                         "until it has ended, or choose another folder",
                         dir);
    return RT_OK; /* a file system without locks (NFS without them: ENOLCK, EBADF) */
}

void rti_run_unlock_outdir(rti_run *run)
{
    if (run->outdir_lock > 0)
        close(run->outdir_lock - 1); /* and with it the lock */
    run->outdir_lock = 0;
}

void rti_run_remove_outdir(rti_run *run)
{
    for (int k = run->n_made - 1; k >= 0; k--) {
        char *p = run->made_path;
        char c = p[run->made_len[k]];
        p[run->made_len[k]] = '\0';
        int removed = rmdir(p) == 0; /* only when empty */
        p[run->made_len[k]] = c;
        if (!removed)
            break; /* files in it: it and its parents stay */
    }
    run->n_made = 0;
}
