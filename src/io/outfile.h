#ifndef RT_OUTFILE_H
#define RT_OUTFILE_H
/* Outputs are written under a temporary name next to their final place and
 * renamed only when everything succeeded, so an error or a cancel never
 * leaves a half-written file behind. */
#include <stddef.h>

#include "reistijd/rt_ctx.h"

typedef struct rti_outset {
    int n, cap;
    char **tmp;   /* temporary paths, written */
    char **final; /* where they go */
} rti_outset;

/* Registers an output; returns the temporary path to write to (owned by the
 * set), or NULL when out of memory (message set). */
const char *rti_outset_add(rt_ctx *ctx, rti_outset *set, const char *final_path);
/* Renames every temporary file into place; on failure removes the rest. */
rt_status rti_outset_commit(rt_ctx *ctx, rti_outset *set);
/* Removes every temporary file (after an error) and frees the set. */
void rti_outset_abort(rti_outset *set);
void rti_outset_free(rti_outset *set);
/* The end of a job that wrote the set: commits it when st is RT_OK, else
 * (or when the commit fails) removes the temporary files; frees the set
 * either way and returns the job's final status. */
rt_status rti_outset_end(rt_ctx *ctx, rti_outset *set, rt_status st);

#endif
