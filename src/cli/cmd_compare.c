#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_compare[] =
    "Usage: reistijd compare [-h] [-q] [-v] [--threads N] [--threshold-min M]\n"
    "                        [--overwrite] -o OUTDIR RUN_A RUN_B\n"
    "\n"
    "Compares two finished runs on the same grid, with the same facility types,\n"
    "norms and region layers (for example a study and a copy of it with\n"
    "another road network): per cell from their time grids, weighed by the\n"
    "population of run A's study. Writes OUTDIR/<region>_compare.csv per region\n"
    "layer (every statistic of A and B and their difference, the people newly\n"
    "beyond and newly within each norm, better and worse off),\n"
    "OUTDIR/<type>_delta_min.tif (B minus A) and <type>_reach_change.tif\n"
    "(1: became reachable, 2: became unreachable) per type, OUTDIR/compare.gpkg\n"
    "(the tables on the region polygons) and OUTDIR/run.json, and prints the\n"
    "headlines (docs/cli.md).\n"
    "\n"
    "Options:\n"
    "  -o, --out OUTDIR     the output folder (created if missing); required\n"
    "  --threshold-min M    better or worse off: a change of more than M minutes\n"
    "                       (0 to 100000, default 1)\n"
    "  --overwrite          write into a folder that holds files of others\n"
    "  --threads N          OpenMP threads (default: OMP_NUM_THREADS, else the\n"
    "                       number of processors)\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -v, --verbose        information messages\n"
    "  -h, --help           print this help and exit\n"
    "\n"
    "Exit status:\n"
    "  0    done\n"
    "  1    the runs cannot be compared, or reading or writing failed\n"
    "  2    usage error\n"
    "  130  interrupted\n";

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
                                             {"threshold-min", required_argument, 0, 'T'},
                                             {"overwrite", no_argument, 0, 'W'},
                                             CLI_COMMON_LONGOPTS,
                                             {0, 0, 0, 0}};
    cli_common common = {0, 0, 0, 0};
    rt_compare_opts co;
    rt_compare_opts_init(&co);
    int opt, code;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            if (!*optarg)
                return cli_usage_error("compare", "-o wants a folder, got ''");
            co.outdir = optarg;
            break;
        case 'T':
            if (!cli_parse_double(optarg, 0, 100000, &co.threshold_min))
                return cli_usage_error(
                    "compare", "--threshold-min wants minutes from 0 to 100000, got '%s'", optarg);
            break;
        case 'W':
            co.overwrite = 1;
            break;
        case 'h':
            fputs(usage_compare, stdout);
            return RT_EXIT_OK;
        default:
            if ((code = cli_common_option(opt, "compare", argv, &common)) != 0)
                return code;
        }
    }
    if (common.json)
        return cli_usage_error("compare", "--json is not available for compare; the outputs "
                                          "are listed in OUTDIR/run.json");
    if (argc - optind != 2)
        return cli_usage_error("compare", "two run folders are required, got %d", argc - optind);
    if (!co.outdir)
        return cli_usage_error("compare", "-o OUTDIR is required");
    co.run_a = argv[optind];
    co.run_b = argv[optind + 1];

    int refused = RT_EXIT_ERROR;
    rt_ctx *ctx = cli_context(&common, &refused);
    if (!ctx)
        return refused;
    char *summary = NULL;
    rt_status st = rt_compare_runs(ctx, &co, &summary);
    code = cli_finish(ctx, st);
    if (code == RT_EXIT_OK && summary && !common.quiet)
        fputs(summary, stdout); /* main checks that standard output took it */
    free(summary);
    rt_ctx_destroy(ctx);
    return code;
}
