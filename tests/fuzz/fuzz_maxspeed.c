/* OSM maxspeed values and road class names (src/core/roadnet.c): any text,
 * NUL-terminated at the first NUL of the input. Besides the sanitizers the
 * harness checks the contract of core/roadnet.h: 1 with a speed > 0 (or
 * +inf for "none"), 0 only for blank text, -1 with NaN; a class index
 * names the class given. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roadnet.h"

#define FUZZ_NAME "maxspeed"
#define FUZZ_MAX_BYTES 4096
#include "fuzz/fuzz.h"

static void fuzz_init(void) {}

static void broken(const char *what, const char *s, double kmh)
{
    fprintf(stderr, "fuzz_maxspeed: %s for \"%s\" (%g)\n", what, s, kmh);
    abort();
}

static void fuzz_one(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    double kmh = 0;
    int r = rti_parse_maxspeed(s, &kmh);
    size_t blank = strspn(s, " \t");
    if (r == 1 && !(kmh > 0))
        broken("a speed that is not > 0", s, kmh);
    if (r == 0 && s[blank] != '\0')
        broken("0 (empty) for text that is not blank", s, kmh);
    if (r == -1 && !isnan(kmh))
        broken("not a speed, yet a value", s, kmh);
    if (r < -1 || r > 1)
        broken("a return value out of range", s, kmh);
    int n = 0;
    const char *const *names = rti_road_class_names(&n);
    int k = rti_road_class_index(s);
    if (k >= n || (k >= 0 && strcmp(names[k], s) != 0))
        broken("a class index for another name", s, k);
    free(s);
}
