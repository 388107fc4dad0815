/* rt_study_load / rt_study_destroy: the public face of the study parser,
 * and the defaults of a run's options. */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/study_internal.h"

rt_status rt_study_load(rt_ctx *ctx, const char *path, rt_study **out)
{
    if (!ctx)
        return RT_E_ARG;
    if (!out)
        return rti_error(ctx, RT_E_ARG, "rt_study_load: out is NULL");
    *out = NULL;
    if (!path || !path[0])
        return rti_error(ctx, RT_E_ARG, "rt_study_load: no study file given");
    rt_study *study = rti_malloc_array(ctx, 1, sizeof(*study), "study");
    if (!study)
        return RT_E_NOMEM;
    rt_status st = rti_study_parse_file(ctx, path, study);
    if (st != RT_OK) {
        free(study);
        return st;
    }
    *out = study;
    return RT_OK;
}

void rt_study_destroy(rt_study *study)
{
    if (!study)
        return;
    rti_study_clear(study);
    free(study);
}

void rt_run_opts_init(rt_run_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->outdir = NULL;
    opts->validate_only = 0;
}
