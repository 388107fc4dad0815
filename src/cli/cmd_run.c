#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_run[] =
    "Usage: reistijd run STUDY.yaml -o OUTDIR [options]\n"
    "\n"
    "Runs a study (docs/study-file.md): travel time from every cell to the\n"
    "nearest facility of each type, statistics per region against the norms,\n"
    "and the outputs in OUTDIR (docs/outputs.md). Outputs are written under\n"
    "temporary names and moved into place only when the whole run succeeds.\n"
    "\n"
    "  -o, --out OUTDIR  output folder (created if missing)\n"
    "  --threads N       OpenMP threads (default OMP_NUM_THREADS)\n"
    "  -q, --quiet       errors only (no summary table)\n"
    "  -v, --verbose     stages, timings and decisions\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit status: 0 ok, 1 runtime error, 2 usage error, 130 interrupted.\n";

static const char usage_validate[] =
    "Usage: reistijd validate STUDY.yaml [options]\n"
    "\n"
    "Reads the study file and every input it names (files, layers, columns,\n"
    "CRS, memory need) and reports problems, without computing anything.\n"
    "\n"
    "  --threads N, -q, -v, -h as for `reistijd run`\n";

int cmd_run(int argc, char **argv, int validate_only)
{
    static const struct option longopts[] = {
        {"out", required_argument, 0, 'o'}, {"threads", required_argument, 0, 'j'},
        {"quiet", no_argument, 0, 'q'},     {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},      {0, 0, 0, 0}};
    const char *name = validate_only ? "validate" : "run";
    cli_common common = {0, 0, 0};
    const char *outdir = NULL;
    int opt, code;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:qvh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            outdir = optarg;
            break;
        case 'h':
            fputs(validate_only ? usage_validate : usage_run, stdout);
            return RT_EXIT_OK;
        default:
            if ((code = cli_common_option(opt, name, argv, &common)) != 0)
                return code;
        }
    }
    if (optind >= argc)
        return cli_usage_error(name, "a study file is required");
    if (optind + 1 < argc)
        return cli_usage_error(name, "unexpected argument '%s'", argv[optind + 1]);
    if (!validate_only && !outdir)
        return cli_usage_error(name, "-o OUTDIR is required");

    rt_ctx *ctx = rt_ctx_create();
    if (!ctx) {
        fprintf(stderr, "reistijd: error: out of memory\n");
        return RT_EXIT_ERROR;
    }
    cli_attach(ctx, &common);
    rt_study *study = NULL;
    rt_status st = rt_study_load(ctx, argv[optind], &study);
    if (st == RT_OK) {
        rt_run_opts ro;
        rt_run_opts_init(&ro);
        ro.outdir = outdir;
        ro.validate_only = validate_only;
        st = rt_study_run(ctx, study, &ro);
    }
    code = cli_finish(ctx, st);
    if (st == RT_OK && !common.quiet)
        fputs(rt_study_summary(study), stdout);
    rt_study_destroy(study);
    rt_ctx_destroy(ctx);
    return code;
}
