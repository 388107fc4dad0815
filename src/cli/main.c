/* reistijd - travel-time accessibility from the command line. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "Usage: reistijd [--help] [--version] <command> [options]\n"
    "\n"
    "Travel time from every cell of a grid to the nearest facility of each\n"
    "type, and statistics per region against travel-time norms.\n"
    "\n"
    "Commands:\n"
    "  run STUDY.yaml -o OUTDIR   run a study: travel-time grids, tables per region,\n"
    "                             GeoPackage and run.json in OUTDIR\n"
    "  validate STUDY.yaml        read and check every input of a study and report\n"
    "                             the memory a run needs; compute nothing\n"
    "  nearest --friction F.tif --facilities P.gpkg -o T.tif\n"
    "                             one travel-time grid, for scripts and benchmarks\n"
    "  batch -o OUTDIR STUDY.yaml...\n"
    "                             many studies as one job list, over shares (Slurm\n"
    "                             job arrays) and MPI processes; --merge OUTDIR\n"
    "  compare -o OUTDIR RUN_A RUN_B\n"
    "                             compare two finished runs on the same grid: per\n"
    "                             region the change of every statistic, delta grids\n"
    "  info                       versions, GDAL drivers, threads, memory budget\n"
    "\n"
    "Options:\n"
    "  -h, --help                 print this help and exit\n"
    "  --version                  print the version and exit\n"
    "\n"
    "'reistijd <command> --help' prints the options of a command.\n" CLI_HELP_EXIT;

static int run_command(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("", "a command is required");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return RT_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("reistijd %s\n", rt_version());
        return RT_EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "validate") == 0)
        return cmd_run(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "nearest") == 0)
        return cmd_nearest(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return cmd_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "info") == 0)
        return cmd_info(argc - 1, argv + 1);
    return cli_usage_error("", "unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    cli_scan_args(argc, argv);
    return cli_end_stdout(run_command(argc, argv));
}
