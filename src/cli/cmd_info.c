#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "Usage: reistijd info [-h] [-q] [-v] [--json] [--threads N]\n"
    "\n"
    "Prints what this build of reistijd runs with: its version and those of\n"
    "GDAL, PROJ, GEOS, libfyaml and json-c; whether the GDAL drivers it reads\n"
    "and writes through are present; the number of OpenMP threads a run would\n"
    "use and where that number comes from; the memory budget.\n"
    "\n"
    "Options:\n" CLI_HELP_COMMON CLI_HELP_EXIT;

/* "7.05 GiB" */
static const char *fmt_bytes(uint64_t bytes, char *buf, size_t n)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    for (; v >= 1024 && u < 4; u++)
        v /= 1024;
    snprintf(buf, n, u ? "%.2f %s" : "%.0f %s", v, unit[u]);
    return buf;
}

static void print_text(const rt_info *in)
{
    char a[32], b[32], c[32];
    printf("reistijd %s\n\nLibraries:\n", in->reistijd);
    printf("  %-16s %s\n", "GDAL", in->gdal);
    printf("  %-16s %s\n", "PROJ", in->proj);
    printf("  %-16s %s\n", "GEOS", in->geos);
    printf("  %-16s %s\n", "libfyaml", in->libfyaml);
    printf("  %-16s %s\n", "json-c", in->json_c);
    printf("\nGDAL drivers:\n");
    for (int i = 0; i < in->n_drivers; i++)
        printf("  %-16s %-8s %s\n", in->drivers[i].name, in->drivers[i].present ? "yes" : "missing",
               in->drivers[i].use);
    if (strcmp(in->threads_source, "processors") == 0)
        printf("\nThreads:         %d (one per processor)\n", in->threads);
    else
        printf("\nThreads:         %d (from %s; %d processors)\n", in->threads, in->threads_source,
               in->processors);
    if (strcmp(in->budget_source, "default") == 0 && in->cgroup_limit_bytes)
        printf("Memory budget:   %s (90 %% of the %s memory limit of its cgroup; %s physical)\n",
               fmt_bytes(in->budget_bytes, a, sizeof(a)),
               fmt_bytes(in->cgroup_limit_bytes, b, sizeof(b)),
               fmt_bytes(in->physical_memory_bytes, c, sizeof(c)));
    else if (strcmp(in->budget_source, "default") == 0 && in->physical_memory_bytes)
        printf("Memory budget:   %s (90 %% of %s physical memory)\n",
               fmt_bytes(in->budget_bytes, a, sizeof(a)),
               fmt_bytes(in->physical_memory_bytes, b, sizeof(b)));
    else
        printf("Memory budget:   %s\n", fmt_bytes(in->budget_bytes, a, sizeof(a)));
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS, {0, 0, 0, 0}};
    cli_common common = {0, 0, 0, 0};
    int opt, code;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return RT_EXIT_OK;
        }
        if ((code = cli_common_option(opt, "info", argv, &common)) != 0)
            return code;
    }
    if (optind < argc)
        return cli_usage_error("info", "unexpected argument '%s'", argv[optind]);

    int refused = RT_EXIT_ERROR;
    rt_ctx *ctx = cli_context(&common, &refused);
    if (!ctx)
        return refused;
    rt_info in;
    rt_info_init(&in);
    rt_status st = rt_info_query(ctx, &in);
    code = cli_finish(ctx, st);
    if (st == RT_OK) {
        if (common.threads > 0)
            in.threads_source = "--threads";
        if (common.json) {
            char *text = rt_info_json(&in);
            code = cli_print_json(text);
            free(text);
        } else {
            print_text(&in);
        }
    }
    rt_ctx_destroy(ctx);
    return code;
}
