#include "study/study_internal.h"

const char *rt_study_summary(const rt_study *study)
{
    return study && study->summary ? study->summary : "";
}

const char *rt_study_summary_json(const rt_study *study)
{
    return study && study->summary_json ? study->summary_json : "";
}
