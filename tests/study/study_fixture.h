#ifndef RT_STUDY_FIXTURE_H
#define RT_STUDY_FIXTURE_H
/* What the study tests that write their own input files share: the
 * test's temporary folder, a writer for small files in it, and the CRS
 * member of a GeoJSON file in EPSG:28992. Include after cmocka.h. */
#include <stdio.h>

/* The test program's temporary folder, made by its setup. */
static char dir[256];

/* Writes text to dir/name. */
static inline void write_text(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define CRS_28992                                                                                  \
    "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::28992\"}}"

#endif
