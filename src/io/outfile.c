#include "io/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_internal.h"

const char *rti_outset_add(rt_ctx *ctx, rti_outset *set, const char *final_path)
{
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
        return RT_E_NOMEM;
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

rt_status rti_outset_commit(rt_ctx *ctx, rti_outset *set)
{
    for (int i = 0; i < set->n; i++) {
        if (rename(set->tmp[i], set->final[i]) != 0) {
            rt_status st =
                rti_error(ctx, RT_E_IO, "%s: cannot move the finished file into place: %s",
                          set->final[i], strerror(errno));
            for (int j = i; j < set->n; j++)
                unlink(set->tmp[j]);
            return st;
        }
    }
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
    memset(set, 0, sizeof(*set));
}

rt_status rti_outset_end(rt_ctx *ctx, rti_outset *set, rt_status st)
{
    if (st == RT_OK)
        st = rti_outset_commit(ctx, set);
    if (st != RT_OK)
        rti_outset_abort(set);
    rti_outset_free(set);
    return st;
}
