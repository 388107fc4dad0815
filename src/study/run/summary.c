#include <string.h>

#include "study/spec/spec.h"

const char *rt_study_summary(const rt_study *study)
{
    return study && study->summary ? study->summary : "";
}

const char *rt_study_summary_json(const rt_study *study)
{
    return study && study->summary_json ? study->summary_json : "";
}

void rt_run_opts_init(rt_run_opts *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->outdir = NULL;
    opts->validate_only = 0;
}
