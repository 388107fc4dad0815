/* rt_study_load / rt_study_destroy: the public face of the study parser,
 * and what the other folders of the study layer share of the study file:
 * positions in messages, the yes/no words. */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/spec/spec.h"

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

int rti_word_in(const char *word, const char *const *words)
{
    for (; word && words && *words; words++)
        if (strcmp(word, *words) == 0)
            return 1;
    return 0;
}

const char *const rti_no_words[] = {"no", "No", "NO", "false", "False", "FALSE", NULL};
const char *const rti_yes_words[] = {"yes", "Yes", "YES", "true", "True", "TRUE", NULL};

rt_status rti_study_at(rt_ctx *ctx, rt_status st, const rt_study *s, rti_where w, const char *key)
{
    if (st != RT_OK && st != RT_E_NOMEM && st != RT_E_CANCELLED)
        rti_error_prefix(ctx, "%s:%d:%d: %s", s->path, w.line, w.column, key);
    return st;
}
