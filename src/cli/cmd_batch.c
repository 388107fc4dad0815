#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_batch[] =
    "Usage: reistijd batch [-h] [-q] [-v] [--threads N] [--overwrite]\n"
    "                      [--allow-remote] [--resume] [--shard I/N]\n"
    "                      -o OUTDIR STUDY.yaml...\n"
    "       reistijd batch [-h] [-q] [-v] --merge OUTDIR\n"
    "\n"
    "Runs many studies as one list of jobs (docs/hpc.md). Job i is the i-th\n"
    "study file; it is named after the file without its extension and writes\n"
    "into OUTDIR/<name>/ what 'reistijd run -o OUTDIR/<name>' would. A job\n"
    "that fails does not stop the others. The batch writes OUTDIR/batch.json\n"
    "and OUTDIR/batch.txt (each job, its status and seconds) and prints the\n"
    "latter. Under mpirun (a reistijd built with -DRT_WITH_MPI=ON) the jobs\n"
    "are spread over the processes: the k-th job of the batch (or share) on\n"
    "rank k modulo the number of ranks.\n"
    "\n"
    "Options:\n"
    "  -o, --out OUTDIR  the batch folder (created if missing); required\n"
    "  --shard I/N       run only the jobs whose index modulo N is I (0 <= I < N)\n"
    "                    and write OUTDIR/batch-share-I-of-N.json (with N = 1:\n"
    "                    the whole batch, batch.json and batch.txt)\n"
    "  --merge OUTDIR    combine the N shares in OUTDIR into batch.json and\n"
    "                    batch.txt; every job must have been run by one share\n"
    "  --overwrite       passed to each job (see 'reistijd run --help')\n"
    "  --allow-remote    let the studies read remote sources (/vsicurl/, URLs)\n"
    "  --resume          do not run again a job whose folder holds a finished\n"
    "                    run of its study on the same inputs (an interrupted\n"
    "                    batch, run again); it is listed as done\n"
    "  --threads N       OpenMP threads of each process (default: OMP_NUM_THREADS,\n"
    "                    else the number of processors)\n"
    "  -q, --quiet       print nothing on standard error but errors, and no\n"
    "                    summary on standard output\n"
    "  -v, --verbose     stage timings and information messages, each job named\n"
    "  -h, --help        print this help and exit\n"
    "\n"
    "Exit status:\n"
    "  0    every job of the batch (or share) succeeded\n"
    "  1    a job failed (the others ran), a study file cannot be read (no job\n"
    "       run), or the summary could not be written or merged\n"
    "  2    usage error: unknown option, missing or bad value, two study files\n"
    "       of the same job name\n"
    "  130  interrupted (SIGINT, SIGTERM or SIGHUP)\n";

/* "I/N" with 0 <= I < N. */
static int parse_shard(const char *s, int *i, int *n)
{
    const char *slash = strchr(s, '/');
    char head[32];
    if (!slash || (size_t)(slash - s) >= sizeof(head))
        return 0;
    memcpy(head, s, (size_t)(slash - s));
    head[slash - s] = '\0';
    return cli_parse_int(head, 0, 1000000, i) && cli_parse_int(slash + 1, 1, 1000000, n) && *i < *n;
}

int cmd_batch(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
                                             {"shard", required_argument, 0, 'S'},
                                             {"merge", required_argument, 0, 'M'},
                                             {"overwrite", no_argument, 0, 'W'},
                                             {"allow-remote", no_argument, 0, 'R'},
                                             {"resume", no_argument, 0, 'U'},
                                             CLI_COMMON_LONGOPTS,
                                             {0, 0, 0, 0}};
    cli_common common = {0, 0, 0, 0};
    rt_batch_opts bo;
    rt_batch_opts_init(&bo);
    const char *merge = NULL;
    int opt, code, shard_given = 0;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
        case 'M':
            if (!*optarg)
                return cli_usage_error("batch", "%s wants a folder, got ''",
                                       opt == 'o' ? "-o" : "--merge");
            *(opt == 'o' ? &bo.outdir : &merge) = optarg;
            break;
        case 'S':
            shard_given = 1;
            if (!parse_shard(optarg, &bo.shard, &bo.n_shards))
                return cli_usage_error("batch", "--shard wants I/N with 0 <= I < N, got '%s'",
                                       optarg);
            break;
        case 'W':
            bo.overwrite = 1;
            break;
        case 'R':
            bo.allow_remote = 1;
            break;
        case 'U':
            bo.resume = 1;
            break;
        case 'h':
            fputs(usage_batch, stdout);
            return RT_EXIT_OK;
        default:
            if ((code = cli_common_option(opt, "batch", argv, &common)) != 0)
                return code;
        }
    }
    if (common.json)
        return cli_usage_error("batch", "--json is not available for batch; the summary is "
                                        "OUTDIR/batch.json");
    if (merge && (bo.outdir || optind < argc || shard_given || bo.overwrite || bo.allow_remote ||
                  bo.resume || common.threads > 0))
        return cli_usage_error("batch", "--merge OUTDIR takes no -o, --shard, --overwrite, "
                                        "--allow-remote, --resume, --threads or study file");
    if (!merge && optind >= argc)
        return cli_usage_error("batch", "a study file is required");
    if (!merge && !bo.outdir)
        return cli_usage_error("batch", "-o OUTDIR is required");

    int refused = RT_EXIT_ERROR;
    rt_ctx *ctx = cli_context(&common, &refused);
    if (!ctx)
        return refused;
    cli_set_interrupt_note("the jobs that had finished keep their outputs, and the batch "
                           "summary lists them");
    rt_batch *batch = NULL;
    rt_status st;
    if (merge) {
        st = rt_batch_merge(ctx, merge, &batch);
    } else {
        bo.studies = (const char *const *)(argv + optind);
        bo.n_studies = argc - optind;
        st = rt_batch_run(ctx, &bo, &batch);
    }
    if (st == RT_E_ARG && !merge) {
        cli_progress_done();
        code = cli_usage_error("batch", "%s", rt_ctx_errmsg(ctx));
    } else {
        code = cli_finish(ctx, st);
    }
    if (batch && !common.quiet)
        fputs(rt_batch_summary(batch), stdout);
    /* under MPI, rank 0 alone (the one with a summary) reports */
    if (code == RT_EXIT_OK && rt_batch_n_failed(batch) > 0 && *rt_batch_summary(batch)) {
        fprintf(stderr, "reistijd: error: %d of %d jobs failed (%s)\n", rt_batch_n_failed(batch),
                rt_batch_n_run(batch), merge ? merge : bo.outdir);
    }
    if (code == RT_EXIT_OK && rt_batch_n_failed(batch) > 0)
        code = RT_EXIT_ERROR;
    rt_batch_destroy(batch);
    rt_ctx_destroy(ctx);
    return code;
}
