/* rt_study_load / rt_study_destroy: the public face of the study parser,
 * freeing a study, and what the other folders of the study layer share of
 * the study file: positions in messages, the yes/no words. */
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/spec/spec.h"

static rt_status study_load_in_c_locale(rt_ctx *ctx, const char *path, rt_study **out)
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

rt_status rt_study_load(rt_ctx *ctx, const char *path, rt_study **out)
{
    RTI_IN_C_LOCALE(ctx, rt_status, study_load_in_c_locale(ctx, path, out));
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

void rti_source_clear(rti_source *s)
{
    free(s->path);
    free(s->layer);
    free(s->where);
    free(s->crs);
    free(s->x_column);
    free(s->y_column);
    free(s->attribution);
}

static void medium_clear(rti_medium *m)
{
    rti_source_clear(&m->raster);
    free(m->resampling);
    rti_source_clear(&m->land);
    rti_source_clear(&m->roads);
    free(m->speed_column);
    free(m->class_column);
    for (int i = 0; m->classes && i < m->n_classes; i++)
        free(m->classes[i].name);
    free(m->classes);
    free(m->description);
    free(m->time_column);
    free(m->oneway_column);
    free(m->profile);
    for (int i = 0; m->speeds && i < m->n_speeds; i++)
        free(m->speeds[i].name);
    free(m->speeds);
    if (m->offroad) {
        medium_clear(m->offroad);
        free(m->offroad);
    }
}

void rti_study_clear(rt_study *study)
{
    if (!study)
        return;
    free(study->path);
    free(study->dir);
    free(study->name);
    free(study->crs);
    free(study->invalid_polygons);
    free(study->attribution);
    medium_clear(&study->medium);
    for (int i = 0; study->facilities && i < study->n_facilities; i++) {
        rti_facility_type *f = &study->facilities[i];
        free(f->type);
        free(f->label);
        rti_source_clear(&f->src);
        free(f->id_column);
        free(f->name_column);
        free(f->capacity_column);
        for (int k = 0; f->measures && k < f->n_measures; k++)
            free(f->measures[k].name);
        free(f->measures);
    }
    free(study->facilities);
    rti_source_clear(&study->population.src);
    free(study->population.count_column);
    for (int i = 0; study->regions && i < study->n_regions; i++) {
        rti_region_layer *r = &study->regions[i];
        free(r->name);
        free(r->label);
        rti_source_clear(&r->src);
        free(r->id_column);
        free(r->name_column);
    }
    free(study->regions);
    rti_spec_scenarios_clear(study);
    free(study->summary);
    free(study->summary_json);
    memset(study, 0, sizeof(*study));
}
