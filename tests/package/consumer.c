/* A program built against an installed libreistijd, as a user would build
 * it: through find_package(reistijd) or pkg-config, with nothing from the
 * source tree. It checks the version and one small search whose times are
 * worked out by hand.
 *
 * Grid: 3 x 3 cells of 100 m, friction 0.5 s/m everywhere (2 m/s), one
 * facility in the top-left cell. A side step costs 0.5 x 100 = 50 s, a
 * diagonal step 0.5 x 100 x sqrt(2) = 70.71 s and a knight step
 * 0.5 x 100 x sqrt(5) = 111.80 s. With 16 neighbours the cell at row 1,
 * column 2 is one knight step away; with 8 it takes a diagonal and a side
 * step, 70.71 + 50 = 120.71 s. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <reistijd/rt.h>

#ifndef EXPECTED_VERSION
#error "EXPECTED_VERSION must name the version of the installed package"
#endif

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "consumer: FAILED: %s\n", what);
        failures++;
    }
}

static void check_time(const rt_labels *l, int cell, double want_s)
{
    char what[96];
    snprintf(what, sizeof what, "cell %d: time %.9f s, expected %.9f s", cell, l->time_s[cell],
             want_s);
    check(fabs(l->time_s[cell] - want_s) < 1e-9 && l->facility[cell] == 7, what);
}

static void search(rt_ctx *ctx, int neighbours, double knight_cell_s)
{
    float friction_s_per_m[9];
    for (int i = 0; i < 9; i++)
        friction_s_per_m[i] = 0.5f;
    rt_grid_medium grid = {friction_s_per_m, 3, 3, 100.0};
    rt_source src = {0, 7, 0.0};
    rt_search_opts opts;
    rt_search_opts_init(&opts);
    opts.neighbours = neighbours;
    rt_labels labels;
    if (rt_labels_alloc(ctx, 9, 0, &labels) != RT_OK) {
        check(0, rt_ctx_errmsg(ctx));
        return;
    }
    rt_status st = rt_grid_search(ctx, &grid, &src, 1, &opts, NULL, &labels);
    check(st == RT_OK, rt_ctx_errmsg(ctx));
    if (st == RT_OK) {
        check_time(&labels, 0, 0.0);
        check_time(&labels, 1, 50.0);
        check_time(&labels, 2, 100.0);
        check_time(&labels, 4, 50.0 * sqrt(2.0));
        check_time(&labels, 5, knight_cell_s);
        check_time(&labels, 8, 100.0 * sqrt(2.0));
    }
    rt_labels_free(&labels);
}

int main(void)
{
    check(strcmp(rt_version(), EXPECTED_VERSION) == 0, "rt_version() is the package version");
    check(strcmp(rt_status_str(RT_E_DATA), "RT_E_DATA") == 0, "rt_status_str(RT_E_DATA)");
    rt_ctx *ctx = rt_ctx_create();
    check(ctx != NULL, "rt_ctx_create");
    if (ctx) {
        rt_ctx_set_threads(ctx, 1);
        search(ctx, 16, 50.0 * sqrt(5.0));
        search(ctx, 8, 50.0 * sqrt(2.0) + 50.0);
        check(rt_grid_search(ctx, NULL, NULL, 0, NULL, NULL, NULL) == RT_E_ARG,
              "a NULL grid is RT_E_ARG");
        check(rt_ctx_errmsg(ctx)[0] != '\0', "an error leaves a message");
    }
    rt_ctx_destroy(ctx);
    if (failures)
        return 1;
    printf("consumer: reistijd %s: all checks passed\n", rt_version());
    return 0;
}
