#ifndef RT_STATUS_H
#define RT_STATUS_H
#include "rt_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* rt_status - result of every fallible reistijd function.
 * Values are fixed forever; new codes are added just above RT_STATUS_END.
 * On anything but RT_OK the context holds a one-line message naming the
 * file, layer, feature, key or cell and the rule that was broken. */
typedef enum rt_status {
    RT_OK = 0,
    RT_E_NOMEM = 1,     /* an allocation failed */
    RT_E_ARG = 2,       /* a caller passed an invalid argument */
    RT_E_IO = 3,        /* a file could not be read or written */
    RT_E_DATA = 4,      /* input data is invalid (geometry, values, columns) */
    RT_E_PARSE = 5,     /* a study file or option has a syntax or type error */
    RT_E_CRS = 6,       /* a coordinate reference system is missing or unusable */
    RT_E_BUDGET = 7,    /* the job would need more memory than allowed */
    RT_E_CANCELLED = 8, /* a progress callback asked to stop */
    RT_E_INTERNAL = 9,  /* a broken invariant: a bug in reistijd */
    RT_STATUS_END
} rt_status;

/* Short stable name of a status ("RT_E_DATA"); "RT_E_UNKNOWN" for values
 * at or beyond RT_STATUS_END. The string is static: do not free it. */
RT_API const char *rt_status_str(rt_status status);

#ifdef __cplusplus
}
#endif
#endif
