#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_run[] =
    "Usage: reistijd run [-h] [-q] [-v] [--json] [--threads N] [--overwrite]\n"
    "                    [--allow-remote] -o OUTDIR STUDY.yaml\n"
    "\n"
    "Runs a study (docs/study-file.md): travel time from every cell to the\n"
    "nearest facility of each type, statistics per region against the norms,\n"
    "and the outputs in OUTDIR (docs/outputs.md). Outputs are written under\n"
    "temporary names and moved into place only when the whole run succeeds.\n"
    "A summary goes to standard output, progress to standard error.\n"
    "\n"
    "Options:\n"
    "  -o, --out OUTDIR  output folder (created if missing); required. No output\n"
    "                    may replace an input, nor anything but a regular file;\n"
    "                    a folder that holds files no earlier run wrote there is\n"
    "                    refused\n"
    "  --overwrite       write into such a folder all the same: files of the\n"
    "                    same name are replaced, the others left alone\n"
    "  --allow-remote    let the study read remote sources (/vsicurl/, URLs)\n" CLI_HELP_COMMON
        CLI_HELP_EXIT;

static const char usage_validate[] =
    "Usage: reistijd validate [-h] [-q] [-v] [--json] [--threads N] [--allow-remote]\n"
    "                         STUDY.yaml\n"
    "\n"
    "Reads the study file and every input it names (files, layers, columns,\n"
    "CRS), builds the grids and snaps the facilities as a run would, and\n"
    "reports the memory the run would need against the budget. Computes no\n"
    "travel times and writes no files.\n"
    "\n"
    "Options:\n"
    "  --allow-remote    let the study read remote sources (/vsicurl/, URLs)\n"
    "  -o, --out OUTDIR, --overwrite\n"
    "                    accepted and ignored\n" CLI_HELP_COMMON CLI_HELP_EXIT;

int cmd_run(int argc, char **argv, int validate_only)
{
    static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
                                             {"overwrite", no_argument, 0, 'W'},
                                             {"allow-remote", no_argument, 0, 'R'},
                                             CLI_COMMON_LONGOPTS,
                                             {0, 0, 0, 0}};
    const char *name = validate_only ? "validate" : "run";
    cli_common common = {0, 0, 0, 0};
    const char *outdir = NULL;
    int overwrite = 0, allow_remote = 0, opt, code;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            if (!*optarg)
                return cli_usage_error(name, "-o wants a folder, got ''");
            outdir = optarg;
            break;
        case 'W':
            overwrite = 1;
            break;
        case 'R':
            allow_remote = 1;
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

    int refused = RT_EXIT_ERROR;
    rt_ctx *ctx = cli_context(&common, &refused);
    if (!ctx)
        return refused;
    rt_study *study = NULL;
    rt_status st = rt_study_load(ctx, argv[optind], &study);
    if (st == RT_OK) {
        rt_run_opts ro;
        rt_run_opts_init(&ro);
        ro.outdir = outdir;
        ro.validate_only = validate_only;
        ro.json_summary = common.json;
        ro.overwrite = overwrite;
        ro.allow_remote = allow_remote;
        st = rt_study_run(ctx, study, &ro);
    }
    code = cli_finish(ctx, st);
    if (st == RT_OK && common.json)
        code = cli_print_json(rt_study_summary_json(study));
    else if (st == RT_OK && !common.quiet)
        fputs(rt_study_summary(study), stdout);
    rt_study_destroy(study);
    rt_ctx_destroy(ctx);
    return code;
}
