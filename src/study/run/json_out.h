#ifndef RT_JSON_OUT_H
#define RT_JSON_OUT_H
/* Small json-c helpers of the study layer's JSON texts (summaries of
 * run, validate, nearest and info; docs/cli.md). NULL values become JSON
 * null when added to an object. */
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>

static inline json_object *rti_jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }

/* A number, or null when it is not finite (NaN: no value). */
static inline json_object *rti_jnum(double v)
{
    return isfinite(v) ? json_object_new_double(v) : NULL;
}

static inline json_object *rti_jint(int64_t v) { return json_object_new_int64(v); }

/* A byte count; counts beyond INT64_MAX (an unknown budget) are null. */
static inline json_object *rti_jbytes(uint64_t v)
{
    return v <= (uint64_t)INT64_MAX ? json_object_new_int64((int64_t)v) : NULL;
}

/* root as pretty-printed text ending in a newline, in a new string the
 * caller frees with free(); NULL when out of memory. Does not free root. */
char *rti_json_text(json_object *root);

#endif
