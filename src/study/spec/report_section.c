/* The section report: of the study file: how report.html is written. For
 * now its language (report.language: en or nl, docs/study-file.md). */
#include <libfyaml.h>

#include "study/spec/spec.h"

static const char *const REPORT_KEYS[] = {"language", NULL};

/* In the order of rti_language. */
static const char *const LANGUAGES[] = {"en", "nl", NULL};

rt_status rti_spec_report(rti_yaml *y, const rti_yaml_map *s, rti_report_options *o)
{
    int lang = RTI_LANG_EN;
    RTI_TRY(rti_yaml_check_keys(y, s, REPORT_KEYS, NULL, NULL));
    RTI_TRY(rti_yaml_get_enum(y, s, "language", 0, LANGUAGES, &lang));
    o->language = (rti_language)lang;
    return RT_OK;
}
