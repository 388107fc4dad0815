/* `reistijd nearest --network` on a hand-drawn network (seconds):
 *
 *     10 ==5== 20 --1--> 30 ==2== 40 --8--> 50        98 ==1== 99
 *               \\=========4=========//
 *
 * == two-way, --> one-way. Sources: 50 and 10. The time of a node is the
 * time from it to its nearest source along the roads' directions:
 *   10: 0 (itself)   50: 0 (itself)   20: 5 to 10 (20 -> 30 -> 40 -> 50 is 11)
 *   40: 8 to 50 (40 -> 20 -> 10 is 9)
 *   30: 10 to 50 via 40 (30 -> 20 is one-way the other way; via 40 and 20
 *       to 10 is 2 + 4 + 5 = 11)
 *   98, 99: no source reachable, not listed.
 * With every edge two-way, 30 -> 20 -> 10 takes 1 + 5 = 6 s, and 40 ties
 * at 8 s between 50 (direct) and 10 (40 -> 30 -> 20 -> 10 = 2 + 1 + 5):
 * a tie goes to the source with the lower node id, 10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX];

/* pgRouting style: reverse_cost < 0 marks a one-way edge; node ids are
 * not contiguous and rows come in no particular order */
static const char edges_pgr[] = "id,source,target,cost_s,reverse_cost_s\n"
                                "3,30,40,2,2\n"
                                "1,10,20,5,5\n"
                                "6,98,99,1,1\n"
                                "2,20,30,1,-1\n"
                                "5,40,50,8,-1\n"
                                "4,40,20,4,4\n";

/* the same as lengths at 36 km/h (10 m/s) with a oneway column */
static const char edges_len[] = "id,from,to,length_m,speed_kmh,oneway\n"
                                "1,10,20,50,36,no\n"
                                "2,20,30,10,36,yes\n"
                                "3,30,40,20,36,no\n"
                                "4,40,20,40,36,no\n"
                                "5,40,50,80,36,yes\n"
                                "6,98,99,10,36,no\n";

/* no direction columns: every edge is two-way */
static const char edges_2way[] = "source,target,cost\n"
                                 "10,20,5\n20,30,1\n30,40,2\n40,20,4\n40,50,8\n98,99,1\n";

static const char sources[] = "node\n50\n10\n";

static const char want_directed[] =
    "node,time_s,source\n10,0.000000,10\n20,5.000000,10\n30,10.000000,50\n"
    "40,8.000000,50\n50,0.000000,50\n";
static const char want_2way[] =
    "node,time_s,source\n10,0.000000,10\n20,5.000000,10\n30,6.000000,10\n"
    "40,8.000000,10\n50,0.000000,50\n";

static int setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "network");
    cli_write(tmp, "edges_pgr.csv", edges_pgr);
    cli_write(tmp, "edges_len.csv", edges_len);
    cli_write(tmp, "edges_2way.csv", edges_2way);
    cli_write(tmp, "sources.csv", sources);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cli_rmrf(tmp);
    return 0;
}

static void run_case(const char *edges_name, const char *want)
{
    char edges[CLI_PATH_MAX], src[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(edges, tmp, edges_name);
    cli_path(src, tmp, "sources.csv");
    cli_path(out, tmp, "out.csv");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--network", edges, "--sources", src, "-o", out, "--timings");
    assert_true(cli_status_ok(&r, 0));
    assert_non_null(strstr(r.out, "CORE_SECONDS="));
    assert_non_null(strstr(r.out, "GRAPH_SECONDS="));
    char *got = cli_read_file(out);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    remove(out);
    cli_result_free(&r);
}

static void one_way_pgrouting_columns(void **state)
{
    (void)state;
    run_case("edges_pgr.csv", want_directed);
}

static void length_speed_and_oneway_column(void **state)
{
    (void)state;
    run_case("edges_len.csv", want_directed);
}

static void two_way_without_direction_columns(void **state)
{
    (void)state;
    run_case("edges_2way.csv", want_2way);
}

static void minutes(void **state)
{
    (void)state;
    char edges[CLI_PATH_MAX], src[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_path(edges, tmp, "edges_2way.csv");
    cli_path(src, tmp, "sources.csv");
    cli_path(out, tmp, "min.csv");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--network", edges, "--sources", src, "-o", out, "--units", "min");
    assert_true(cli_status_ok(&r, 0));
    char *got = cli_read_file(out);
    assert_non_null(got);
    /* 6 s = 0.1 min, 8 s = 0.133333 min */
    assert_non_null(strstr(got, "node,time_min,source\n"));
    assert_non_null(strstr(got, "\n30,0.100000,10\n"));
    assert_non_null(strstr(got, "\n40,0.133333,10\n"));
    free(got);
    cli_result_free(&r);
}

/* Runs a failing case: exit 1, stderr names what is wrong, no output. */
static void expect_error(const char *edges_text, const char *sources_text, const char *const *msg)
{
    char dir[CLI_PATH_MAX], edges[CLI_PATH_MAX], src[CLI_PATH_MAX], out[CLI_PATH_MAX];
    cli_mkdtemp(dir, "network_bad");
    cli_write(dir, "e.csv", edges_text);
    cli_write(dir, "s.csv", sources_text);
    cli_path(edges, dir, "e.csv");
    cli_path(src, dir, "s.csv");
    char capdir[CLI_PATH_MAX];
    cli_mkdtemp(capdir, "network_cap");
    cli_path(out, dir, "out.csv");
    cli_result r;
    CLI_RUN(&r, capdir, "nearest", "--network", edges, "--sources", src, "-o", out);
    assert_true(cli_status_ok(&r, 1));
    for (; *msg; msg++)
        if (!strstr(r.err, *msg))
            fail_msg("stderr lacks '%s':\n%s", *msg, r.err);
    assert_false(cli_exists(out));
    cli_assert_no_tmp(dir);
    cli_result_free(&r);
    cli_rmrf(dir);
    cli_rmrf(capdir);
}

static void bad_input(void **state)
{
    (void)state;
    expect_error(edges_pgr, "node\n50\n77\n",
                 (const char *const[]){"s.csv", "row 2", "node 77", NULL});
    expect_error("source,target,weight\n1,2,3\n", sources,
                 (const char *const[]){"e.csv", "cost_s", "columns: source, target, weight", NULL});
    expect_error("from_node,to_node,cost_s\n1,2,3\n", sources,
                 (const char *const[]){"e.csv", "'source' and 'target'", NULL});
    expect_error("source,target,cost_s\n10,50,1\n50,10,-1\n", sources,
                 (const char *const[]){"e.csv", "row 2", "cost_s", "-1", NULL});
    expect_error("source,target,cost_s\n10,50,1\n10,5.5,1\n", sources,
                 (const char *const[]){"e.csv", "row 2", "not a whole number", NULL});
    expect_error("source,target,length_m,speed_kmh\n10,50,100,0\n", sources,
                 (const char *const[]){"e.csv", "row 1", "speed", NULL});
    expect_error("source,target,cost_s\n", sources, (const char *const[]){"e.csv", NULL});
}

static void usage_errors(void **state)
{
    (void)state;
    char edges[CLI_PATH_MAX], src[CLI_PATH_MAX];
    cli_path(edges, tmp, "edges_pgr.csv");
    cli_path(src, tmp, "sources.csv");
    cli_result r;
    CLI_RUN(&r, tmp, "nearest", "--network", edges, "-o", "x.csv");
    assert_true(cli_status_ok(&r, 2));
    assert_non_null(strstr(r.err, "--sources"));
    cli_result_free(&r);
    CLI_RUN(&r, tmp, "nearest", "--network", edges, "--sources", src, "--friction", "f.tif", "-o",
            "x.csv");
    assert_true(cli_status_ok(&r, 2));
    cli_result_free(&r);
    /* the output must not overwrite an input */
    CLI_RUN(&r, tmp, "nearest", "--network", edges, "--sources", src, "-o", edges);
    assert_true(cli_status_ok(&r, 1));
    assert_non_null(strstr(r.err, "overwrite"));
    cli_result_free(&r);
    char *text = cli_read_file(edges);
    assert_string_equal(text, edges_pgr);
    free(text);
}

/* A lattice of 300 x 240 junctions (72,000 nodes: enough for the search
 * to run on a team of threads), two-way streets of 1 to 2 s east-west and
 * 2 to 2.75 s north-south in quarter and eighth seconds (exact sums, so
 * many ties for the tie rule), 12 sources: the CSV is the same, byte for
 * byte, for 1, 2 and 3 threads, every node is reached and the sources are
 * at 0 s. */
static void large_network_is_identical_for_1_2_3_threads(void **state)
{
    (void)state;
    enum { W = 300, H = 240 };
    char edges[CLI_PATH_MAX], src[CLI_PATH_MAX], out[3][CLI_PATH_MAX];
    cli_path(edges, tmp, "lattice.csv");
    cli_path(src, tmp, "lattice_sources.csv");
    FILE *f = fopen(edges, "w");
    assert_non_null(f);
    fprintf(f, "source,target,cost\n");
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const int v = 1000 + y * W + x;
            if (x + 1 < W)
                fprintf(f, "%d,%d,%.2f\n", v, v + 1, 1.0 + ((x * 7 + y * 3) % 5) * 0.25);
            if (y + 1 < H)
                fprintf(f, "%d,%d,%.3f\n", v, v + W, 2.0 + ((x + y * 11) % 7) * 0.125);
        }
    assert_int_equal(fclose(f), 0);
    f = fopen(src, "w");
    assert_non_null(f);
    fprintf(f, "node\n");
    for (int k = 0; k < 12; k++)
        fprintf(f, "%d\n", 1000 + ((k * 37) % H) * W + (k * 101) % W);
    assert_int_equal(fclose(f), 0);
    for (int t = 0; t < 3; t++) {
        char name[32], threads[8];
        snprintf(name, sizeof(name), "lattice_out_%d.csv", t + 1);
        snprintf(threads, sizeof(threads), "%d", t + 1);
        cli_path(out[t], tmp, name);
        cli_result r;
        CLI_RUN(&r, tmp, "nearest", "--network", edges, "--sources", src, "-o", out[t], "--threads",
                threads, "-q");
        cli_assert_status(&r, 0);
        cli_result_free(&r);
    }
    assert_true(cli_same_bytes(out[0], out[1]));
    assert_true(cli_same_bytes(out[0], out[2]));
    char *text = cli_read_file(out[0]);
    assert_non_null(text);
    int lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + W * H);
    char want[64];
    snprintf(want, sizeof(want), "\n%d,0.000000,%d\n", 1000 + 37 * W + 101, 1000 + 37 * W + 101);
    assert_non_null(strstr(text, want)); /* source k = 1 */
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_way_pgrouting_columns),
        cmocka_unit_test(length_speed_and_oneway_column),
        cmocka_unit_test(two_way_without_direction_columns),
        cmocka_unit_test(minutes),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(large_network_is_identical_for_1_2_3_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
