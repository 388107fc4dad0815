#ifndef RT_TEST_RUN_ALLOC_FAIL_H
#define RT_TEST_RUN_ALLOC_FAIL_H
/* Allocation failures through a whole run, for test_run.c (a grid study)
 * and test_run_network.c (network and hybrid studies). Include after
 * study_fixture.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_study.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* LeakSanitizer's check now, not only at exit, so that a leak is pinned to
 * the few failure points before it (suppressions as at exit,
 * tests/lsan.supp). A check takes about 0.1 s: every 8th point. */
#define RUN_LEAKED(k) ((k) % 8 == 0 && __lsan_do_recoverable_leak_check())
#else
#define RUN_LEAKED(k) 0
#endif

/* The names in dir/sub ("": dir itself), sorted and joined. */
static void run_folder_listing(const char *sub, char *buf, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s%s%s", dir, *sub ? "/" : "", sub);
    struct dirent **names;
    int k = scandir(path, &names, NULL, alphasort);
    assert_true(k >= 0);
    buf[0] = '\0';
    for (int i = 0; i < k; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s\n", names[i]->d_name);
        free(names[i]);
    }
    free(names);
}

/* Runs the study yaml (written to dir/study.yaml) with the k-th allocation
 * on ctx failing, for k = 1, 2, ... until the run succeeds, which it must
 * only do once it makes fewer than k allocations on ctx (a run that
 * succeeds with its k-th failed swallowed the failure, and would end the
 * loop early). Every failure point must give RT_E_NOMEM, leave no leak (LeakSanitizer, in the
 * sanitizer build: every 8th point, and at exit) and leave the folder as it
 * was: an output folder that did not exist is not made (odd k), one that
 * existed empty stays empty (even k), and no temporary file is left
 * anywhere. Returns the number of failure points. */
static int run_allocation_failures(rt_ctx *ctx, const char *yaml)
{
    char path[512], outdir[512], before[4096], after[4096], inside[1024];
    write_text("study.yaml", yaml);
    snprintf(path, sizeof(path), "%s/study.yaml", dir);
    snprintf(outdir, sizeof(outdir), "%s/oom", dir);
    rt_study *s = NULL;
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    run_folder_listing("", before, sizeof(before));
    int k;
    for (k = 1; k < 20000; k++) {
        if (k % 2 == 0)
            assert_int_equal(mkdir(outdir, 0755), 0);
        rti_ctx_fail_alloc_at(ctx, k);
        rt_run_opts o;
        rt_run_opts_init(&o);
        o.outdir = outdir;
        rt_status st = rt_study_run(ctx, s, &o);
        if (st == RT_OK && rti_ctx_alloc_count(ctx) >= k)
            fail_msg("allocation %d failed and the run succeeded all the same", k);
        if (st == RT_OK)
            break;
        if (st != RT_E_NOMEM)
            fail_msg("allocation %d: %s (%s)", k, rt_status_str(st), rt_ctx_errmsg(ctx));
        if (k % 2 == 0) {
            run_folder_listing("oom", inside, sizeof(inside));
            if (strcmp(inside, ".\n..\n") != 0)
                fail_msg("allocation %d: left in the output folder:\n%s", k, inside);
            assert_int_equal(rmdir(outdir), 0);
        }
        run_folder_listing("", after, sizeof(after));
        if (strcmp(before, after) != 0)
            fail_msg("allocation %d: the folder held\n%sand now holds\n%s", k, before, after);
        if (RUN_LEAKED(k))
            fail_msg("allocations %d to %d: LeakSanitizer found a leak (above)", k - 7, k);
    }
    rti_ctx_fail_alloc_at(ctx, 0);
    assert_true(k < 20000);
    print_message("%d allocation failure points, each clean\n", k - 1);
    rt_study_destroy(s);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -r '%s'", outdir); /* the outputs of the run that succeeded */
    assert_int_equal(system(cmd), 0);
    return k - 1;
}

#endif
