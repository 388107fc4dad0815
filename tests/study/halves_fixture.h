#ifndef RT_TEST_HALVES_FIXTURE_H
#define RT_TEST_HALVES_FIXTURE_H
/* What the random scenario tests share: two regions, west (x 0 to 600)
 * and east (600 to 1200), over 900 m, and a seeded linear congruential
 * generator. Include after study_fixture.h. */

static const char regions_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"W\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[0, 0], [600, 0], [600, 900], [0, 900], [0, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"E\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[600, 0], [1200, 0], [1200, 900], [600, 900], [600, "
    "0]]]}}]}";

/* The next of the sequence *state, as a number from 0 to n - 1. */
static inline int lcg_next(unsigned *state, int n)
{
    *state = *state * 1103515245u + 12345u;
    return (int)((*state >> 16) % (unsigned)n);
}

#endif
