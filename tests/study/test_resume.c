/* `batch --resume`'s check of a finished job (rti_job_done_before) with
 * its cache of input checksums: a finished run on unchanged inputs is
 * done, and stays done when the checksums come from the cache; an input
 * changed since, even to the same size (its checksum differs, and so does
 * its modification time), is seen through a cache that knew the file as
 * it was; a cache filled by one job's check answers for the next job on
 * the same inputs without new entries, and keeps no checksum of a file
 * changed within the last 2 s. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "reistijd/rt_study.h"
#include "study/batch/batch.h"
#include "study_fixture.h"

#include "row5_fixture.h" /* after study_fixture.h */

static const char facility_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"ref\": \"A\"}, "
    "\"geometry\": {\"type\": \"Point\", \"coordinates\": [50, 50]}}]}";

static int setup(void **state)
{
    fixture_mkdir("rt-resume");
    write_text("region.geojson", region_json);
    write_text("facility.geojson", facility_json);
    write_text("pop.geojson", pop_json);
    rt_ctx *ctx = rt_ctx_create();
    assert_non_null(ctx);
    /* two jobs, one study text in two files, on the same inputs */
    write_text("one.yaml", row5_study_head);
    write_text("two.yaml", row5_study_head);
    char path[512], out[512];
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof(path), "%s/%s.yaml", dir, k ? "two" : "one");
        snprintf(out, sizeof(out), "%s/%s", dir, k ? "two" : "one");
        if (load_and_run(ctx, path, out, 0, NULL) != RT_OK)
            fail_msg("%s: %s", path, rt_ctx_errmsg(ctx));
    }
    /* the cache keeps no checksum of a file changed within the last 2 s
     * (a file system with coarse times could show a later change with the
     * same stamps): the inputs are to be older than that */
    sleep(3);
    *state = ctx;
    return 0;
}

static int done(rt_ctx *ctx, rti_sum_cache *cache, const char *job, char *why, size_t n)
{
    char out[512], study[512];
    snprintf(out, sizeof(out), "%s/%s", dir, job);
    snprintf(study, sizeof(study), "%s/%s.yaml", dir, job);
    why[0] = '\0';
    return rti_job_done_before(ctx, cache, out, study, why, n);
}

static void cached_checksums_see_a_changed_input(void **state)
{
    rt_ctx *ctx = *state;
    rti_sum_cache cache = {0};
    char why[600];
    assert_true(done(ctx, &cache, "one", why, sizeof(why)));
    /* the study file, the population, the regions and the facilities */
    assert_int_equal(cache.n, 4);
    assert_true(done(ctx, &cache, "one", why, sizeof(why)));
    assert_int_equal(cache.n, 4);
    /* the second job reads its own study file; the rest from the cache */
    assert_true(done(ctx, &cache, "two", why, sizeof(why)));
    assert_int_equal(cache.n, 5);

    /* 16 persons become 61 in pop.geojson: the same size, another
     * checksum, a later modification time (set a second on, as a file
     * system with coarse times could otherwise show the same) */
    char path[512];
    snprintf(path, sizeof(path), "%s/pop.geojson", dir);
    char *text = read_path(path);
    assert_non_null(text);
    char *sixteen = strstr(text, "\"n\": 16");
    assert_non_null(sixteen);
    memcpy(sixteen, "\"n\": 61", 7);
    struct stat before;
    assert_int_equal(stat(path, &before), 0);
    write_text("pop.geojson", text);
    free(text);
    const struct timespec later[2] = {{before.st_atim.tv_sec + 1, 0},
                                      {before.st_mtim.tv_sec + 1, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    struct stat after;
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    for (int k = 0; k < 2; k++) {
        assert_false(done(ctx, &cache, k ? "two" : "one", why, sizeof(why)));
        if (!strstr(why, "pop.geojson (population) changed since"))
            fail_msg("why: %s", why);
    }
    assert_int_equal(cache.n, 5); /* the changed file, just written, is not kept */
    /* and without a cache the same */
    assert_false(done(ctx, NULL, "one", why, sizeof(why)));
    assert_non_null(strstr(why, "pop.geojson (population) changed since"));
    rti_sum_cache_free(&cache);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cached_checksums_see_a_changed_input),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
