/* `reistijd info`: the library versions against what the system's own
 * tools report (gdal-config, pkg-config), the GDAL drivers against
 * `gdalinfo --formats` / `ogrinfo --formats`, the thread count against its
 * three sources (--threads, OMP_NUM_THREADS, nproc) and the default memory
 * budget against 90 % of the physical memory from getconf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/cli_util.h"

#include "cli/cli_json.h"

static char tmp[CLI_PATH_MAX];

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "cli-info");
    unsetenv("OMP_NUM_THREADS");
    unsetenv("OMP_THREAD_LIMIT");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("OMP_NUM_THREADS");
    cli_rmrf(tmp);
    return 0;
}

/* The first line of a command's output, without the newline (caller
 * frees); NULL when the command fails or is missing. */
static char *first_line(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *text = cli_read_stream(p);
    int ws = pclose(p);
    if (ws == -1 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0 || !text[0]) {
        free(text);
        return NULL;
    }
    text[strcspn(text, "\n")] = '\0';
    return text;
}

static json_object *info_json(const char *threads)
{
    cli_result r;
    if (threads)
        CLI_RUN(&r, tmp, "info", "--json", "--threads", threads);
    else
        CLI_RUN(&r, tmp, "info", "--json");
    cli_assert_status(&r, 0);
    assert_string_equal(r.err, "");
    json_object *o = cj_parse(r.out);
    cli_result_free(&r);
    assert_string_equal(cj_str(o, "status"), "ok");
    assert_string_equal(cj_str(o, "command"), "info");
    return o;
}

static void check_version(json_object *o, const char *key, const char *cmd)
{
    char *want = first_line(cmd);
    if (!want) {
        print_message("skipped %s: '%s' gave nothing\n", key, cmd);
        return;
    }
    assert_string_equal(cj_str(o, key), want);
    free(want);
}

static void versions_match_the_system_tools(void **state)
{
    (void)state;
    json_object *o = info_json(NULL);
    cli_result r;
    CLI_RUN(&r, tmp, "--version");
    char want[64];
    snprintf(want, sizeof(want), "reistijd %s\n", cj_str(o, "reistijd"));
    assert_string_equal(r.out, want);
    cli_result_free(&r);
    check_version(o, "libraries.gdal", "gdal-config --version 2>/dev/null");
    check_version(o, "libraries.proj", "pkg-config --modversion proj 2>/dev/null");
    check_version(o, "libraries.geos", "pkg-config --modversion geos 2>/dev/null");
    check_version(o, "libraries.json_c", "pkg-config --modversion json-c 2>/dev/null");
    check_version(o, "libraries.libfyaml", "pkg-config --modversion libfyaml 2>/dev/null");
    json_object_put(o);
    /* the text form names them too */
    CLI_RUN(&r, tmp, "info");
    cli_assert_status(&r, 0);
    char *gdal = first_line("gdal-config --version 2>/dev/null");
    if (gdal) {
        char line[128];
        snprintf(line, sizeof(line), "GDAL             %s\n", gdal);
        cli_assert_contains(r.out, line);
        free(gdal);
    }
    cli_assert_contains(r.out, "GDAL drivers:");
    cli_result_free(&r);
}

static void drivers_match_gdal_formats(void **state)
{
    (void)state;
    if (!cli_have("gdalinfo") || !cli_have("ogrinfo"))
        skip();
    char *raster = cli_sh_output("gdalinfo --formats");
    char *vector = cli_sh_output("ogrinfo --formats");
    json_object *o = info_json(NULL);
    const char *needed[] = {"GTiff", "GPKG", "CSV", "OSM", "ESRI Shapefile"};
    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
        json_object *d = cj_find(o, "gdal_drivers", "name", needed[i]);
        /* the formats lists print "  <name> -raster,vector- (rw+v): ..." */
        char pattern[64];
        snprintf(pattern, sizeof(pattern), "  %s -", needed[i]);
        int listed = strstr(raster, pattern) || strstr(vector, pattern);
        json_object *present = cj_get(d, "present");
        assert_true(json_object_is_type(present, json_type_boolean));
        if (json_object_get_boolean(present) != listed)
            fail_msg("driver %s: info says %d, the formats lists %d", needed[i],
                     json_object_get_boolean(present), listed);
        assert_true(strlen(cj_str(d, "use")) > 0);
    }
    json_object_put(o);
    free(raster);
    free(vector);
}

static void threads_name_their_source(void **state)
{
    (void)state;
    /* without settings: one per processor, as nproc counts them */
    char *nproc = first_line("nproc");
    json_object *o = info_json(NULL);
    assert_string_equal(cj_str(o, "threads.source"), "processors");
    if (nproc)
        assert_int_equal(cj_int(o, "threads.count"), strtol(nproc, NULL, 10));
    assert_int_equal(cj_int(o, "threads.count"), cj_int(o, "threads.processors"));
    json_object_put(o);
    free(nproc);
    setenv("OMP_NUM_THREADS", "5", 1);
    o = info_json(NULL);
    assert_int_equal(cj_int(o, "threads.count"), 5);
    assert_string_equal(cj_str(o, "threads.source"), "OMP_NUM_THREADS");
    json_object_put(o);
    /* --threads wins over the environment */
    o = info_json("3");
    assert_int_equal(cj_int(o, "threads.count"), 3);
    assert_string_equal(cj_str(o, "threads.source"), "--threads");
    json_object_put(o);
    cli_result r;
    CLI_RUN(&r, tmp, "info", "--threads", "3");
    cli_assert_contains(r.out, "Threads:         3 (from --threads;");
    cli_result_free(&r);
    unsetenv("OMP_NUM_THREADS");
}

static void default_budget_is_90_percent_of_physical_memory(void **state)
{
    (void)state;
    char *pages = first_line("getconf _PHYS_PAGES");
    char *size = first_line("getconf PAGE_SIZE");
    if (!pages || !size)
        skip();
    uint64_t phys = strtoull(pages, NULL, 10) * strtoull(size, NULL, 10);
    free(pages);
    free(size);
    json_object *o = info_json(NULL);
    assert_true((uint64_t)cj_int(o, "memory.physical_bytes") == phys);
    assert_true((uint64_t)cj_int(o, "memory.budget_bytes") == phys / 10 * 9);
    assert_string_equal(cj_str(o, "memory.budget_source"), "default");
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(versions_match_the_system_tools),
        cmocka_unit_test(drivers_match_gdal_formats),
        cmocka_unit_test(threads_name_their_source),
        cmocka_unit_test(default_budget_is_90_percent_of_physical_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
