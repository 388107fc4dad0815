/* Speed profiles (src/study/spec/profile.c): each input is written to a
 * file of its own and read with rti_profile_load. A profile that loads has
 * a speed > 0 or NaN for every class. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "study/spec/spec.h"

#define FUZZ_NAME "profile"
#define FUZZ_MAX_BYTES 65536
#include "fuzz/fuzz.h"

static void fuzz_init(void) {}

static void fuzz_one(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("profile.yaml", data, size);
    rt_ctx *ctx = fuzz_ctx();
    rti_profile p;
    if (rti_profile_load(ctx, path, &p) == RT_OK) {
        for (int i = 0; i < p.n_classes && i < RTI_PROFILE_MAX_CLASSES; i++)
            if (!(p.class_kmh[i] > 0) && !isnan(p.class_kmh[i]))
                abort(); /* a class speed <= 0 accepted */
    }
    rti_profile_free(&p);
    rt_ctx_destroy(ctx);
}
