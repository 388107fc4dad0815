/* The study file (src/study/spec): each input is written to a file of its
 * own (fuzz.h) and read with rti_study_parse_file, as `reistijd validate`
 * starts. The file's sources are never opened here. On success the study
 * is freed; on failure the parser must leave it zeroed. */
#include <stdint.h>
#include <stdlib.h>

#include "core/ctx_internal.h"
#include "study/spec/spec.h"

#define FUZZ_NAME "study"
#define FUZZ_MAX_BYTES 65536
#include "fuzz/fuzz.h"

static void fuzz_init(void) {}

static void fuzz_one(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("study.yaml", data, size);
    rt_ctx *ctx = fuzz_ctx();
    rt_study s;
    rt_status st = rti_study_parse_file(ctx, path, &s);
    if (st != RT_OK && (s.n_facilities || s.facilities || s.regions || s.name))
        abort(); /* a refused study must be left zeroed */
    rti_study_clear(&s);
    rt_ctx_destroy(ctx);
}
