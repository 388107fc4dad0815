/* Tests of the N-1 table (core/closures.h).
 *
 * 1. A hand-worked case: every number of the table worked out in the
 *    comment above it.
 * 2. Brute force: random grids and road graphs with random facilities,
 *    population and regions; every facility is closed in turn (its
 *    sources left out), the nearest facility is searched again with the
 *    existing search, and the table's numbers are summed again from that
 *    search in cell order. Counts and sums must be equal bit for bit: the
 *    brute-force sums add the same terms in the same order, and the time
 *    of the search without the facility is the second label's time (the
 *    k = 2 labels are the two best distinct facilities), which is checked
 *    on its own too.
 * 3. Bad labels and allocation failures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/closures.h"
#include "reistijd/rt_graph.h"
#include "reistijd/rt_search.h"
#include "test_common.h"

#define INF INFINITY

/* ---- a hand-worked case ---- */

/* 4 facilities, norms 10 min (600 s) and 20 min (1200 s), two regions.
 *
 *  cell  t1   f1  t2    f2  pop  region
 *   0      0   0   900   1   10   0
 *   1    300   0   600   1   20   0    t2 = 600 is within 10 min (t <= limit)
 *   2    500   0  1300   2    5   1
 *   3    700   0   inf  -1    4   1    no second facility
 *   4    100   1   200   0    8   1
 *   5    400   2   500   1    0   0    nobody lives here
 *   6    inf  -1   inf  -1   50   0    unreached
 *   7    200   0   800   2    7  -1    outside every region
 *   8    100   1  1300   2  NaN   0    NaN population = nobody
 *   9     50   3    60   2    6   1
 *  10     50   3    70   1    6   0
 *
 * Facility 0 serves cells 0, 1, 2, 3, 7: 10 + 20 + 5 + 4 + 7 = 46 persons;
 * cell 3 has no alternative (4), the other 42 have. Time added: 10 x 900
 * + 20 x 300 + 5 x 800 + 7 x 600 = 23200 s over 42 persons.
 * Within 600 s now: cells 0, 1, 2, 7 (cell 3 at 700 is beyond already);
 * after the closure cell 1 (600) stays within, cells 0 (900), 2 (1300) and
 * 7 (800) leave: 10 + 5 + 7 = 22. Within 1200 s now: 0, 1, 2, 3, 7; after:
 * cell 2 (1300) and cell 3 (none) leave: 5 + 4 = 9.
 * Takeover: facility 1 gets 10 + 20 = 30, facility 2 gets 5 + 7 = 12: 1.
 * Facility 1 serves cell 4 (8 persons; cell 8 has none): 8 x 100 s added,
 * nobody pushed beyond, taken over by 0.
 * Facility 2 serves cell 5 only, without population: all zero, mean NaN,
 * no takeover.
 * Facility 3 serves cells 9 and 10: 12 persons, 6 x 10 + 6 x 20 = 180 s;
 * facilities 2 and 1 get 6 each: the tie goes to the smaller index, 1.
 *
 * Per region: norm 600 pushes cell 0 (facility 0, region 0, 10), cell 2
 * (0, 1, 5) and cell 7 (outside: no row); norm 1200 cells 2 (0, 1, 5) and
 * 3 (0, 1, 4). Rows: (0, 0) [10, 0], (0, 1) [5, 9]. */
static const double H_T1[] = {0, 300, 500, 700, 100, 400, INF, 200, 100, 50, 50};
static const int32_t H_F1[] = {0, 0, 0, 0, 1, 2, -1, 0, 1, 3, 3};
static const double H_T2[] = {900, 600, 1300, INF, 200, 500, INF, 800, 1300, 60, 70};
static const int32_t H_F2[] = {1, 1, 2, -1, 0, 1, -1, 2, 2, 2, 1};
static const int32_t H_REGION[] = {0, 0, 1, 1, 1, 0, 0, -1, 0, 1, 0};
static const rt_norm H_NORMS[] = {{.kind = RT_NORM_TIME, .limit_s = 600},
                                  {.kind = RT_NORM_TIME, .limit_s = 1200}};

static void hand_input(rti_closure_input *in, float *pop)
{
    const float p[] = {10, 20, 5, 4, 8, 0, 50, 7, NAN, 6, 6};
    memcpy(pop, p, sizeof(p));
    *in = (rti_closure_input){11, H_T1, H_F1, H_T2, H_F2, pop, 4, H_NORMS, 2};
}

static void hand_worked_table(void **state)
{
    rt_ctx *ctx = *state;
    float pop[11];
    rti_closure_input in;
    hand_input(&in, pop);
    rti_closure_row r[4];
    assert_int_equal(rti_closures_facilities(ctx, &in, r), RT_OK);
    assert_same(r[0].pop_served_persons, 46);
    assert_same(r[0].pop_alternative_persons, 42);
    assert_same(r[0].pop_no_alternative_persons, 4);
    assert_same(r[0].time_added_sum_s, 23200);
    assert_same(r[0].time_added_mean_s, 23200.0 / 42);
    assert_same(r[0].beyond_added_persons[0], 22);
    assert_same(r[0].beyond_added_persons[1], 9);
    assert_same(r[0].beyond_added_persons[2], NAN);
    assert_int_equal(r[0].takeover, 1);
    assert_same(r[0].takeover_persons, 30);

    assert_same(r[1].pop_served_persons, 8);
    assert_same(r[1].time_added_mean_s, 100);
    assert_same(r[1].beyond_added_persons[0], 0);
    assert_same(r[1].beyond_added_persons[1], 0);
    assert_int_equal(r[1].takeover, 0);

    assert_same(r[2].pop_served_persons, 0);
    assert_same(r[2].pop_no_alternative_persons, 0);
    assert_same(r[2].time_added_mean_s, NAN);
    assert_int_equal(r[2].takeover, -1);
    assert_same(r[2].takeover_persons, 0);

    assert_same(r[3].pop_served_persons, 12);
    assert_same(r[3].time_added_mean_s, 15);
    assert_int_equal(r[3].takeover, 1);
    assert_same(r[3].takeover_persons, 6);

    rti_closure_region_row *rows = NULL;
    int64_t n = -1;
    assert_int_equal(rti_closures_regions(ctx, &in, H_REGION, 2, &rows, &n), RT_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].facility, 0);
    assert_int_equal(rows[0].region, 0);
    assert_same(rows[0].beyond_added_persons[0], 10);
    assert_same(rows[0].beyond_added_persons[1], 0);
    assert_int_equal(rows[1].facility, 0);
    assert_int_equal(rows[1].region, 1);
    assert_same(rows[1].beyond_added_persons[0], 5);
    assert_same(rows[1].beyond_added_persons[1], 9);
    free(rows);
}

/* ---- brute force ---- */

#define NF 6 /* facility indices 0 .. 5 */
#define NR 3 /* regions 0 .. 2 */

/* One random case on n cells (or nodes): its labels, population, regions
 * and norms, and how to search it from some sources. */
typedef struct bcase {
    int64_t n;
    rt_source src[8];
    int n_src;
    float *pop;
    int32_t *region;
    rt_norm norms[2];
    /* the medium */
    rt_grid_medium grid;
    float *fr;
    rt_graph *g;
} bcase;

static void search(rt_ctx *ctx, const bcase *c, const rt_source *src, int n_src, unsigned flags,
                   rt_labels *l)
{
    assert_int_equal(rt_labels_alloc(ctx, c->n, flags, l), RT_OK);
    if (n_src == 0) {
        for (int64_t i = 0; i < c->n; i++)
            l->time_s[i] = INF, l->facility[i] = -1;
        return;
    }
    rt_search_opts o;
    rt_search_opts_init(&o);
    o.flags = flags;
    if (c->g)
        assert_int_equal(rt_graph_search(ctx, c->g, src, n_src, &o, NULL, l), RT_OK);
    else
        assert_int_equal(rt_grid_search(ctx, &c->grid, src, n_src, &o, NULL, l), RT_OK);
}

/* Population (a quarter of the cells empty, some NaN), regions (-1 .. 2)
 * and two norms: one exactly at the second time of a random reached cell
 * (so that t == limit occurs), one at a random time of the range. */
static void random_people(rt_test_rng *rng, bcase *c, const rt_labels *l)
{
    c->pop = malloc((size_t)c->n * sizeof(float));
    c->region = malloc((size_t)c->n * sizeof(int32_t));
    double tmax = 0;
    for (int64_t i = 0; i < c->n; i++) {
        double u = rt_test_unit(rng);
        c->pop[i] = u < 0.25 ? 0.0f : u < 0.3 ? NAN : (float)rt_test_int(rng, 1, 40) * 0.5f;
        c->region[i] = rt_test_int(rng, -1, NR - 1);
        if (isfinite(l->time2_s[i]) && l->time2_s[i] > tmax)
            tmax = l->time2_s[i];
    }
    double at = tmax;
    for (int tries = 0; tries < 20; tries++) {
        int64_t i = rt_test_int(rng, 0, (int)c->n - 1);
        if (isfinite(l->time2_s[i])) {
            at = l->time2_s[i];
            break;
        }
    }
    c->norms[0] = (rt_norm){.kind = RT_NORM_TIME, .limit_s = at};
    c->norms[1] = (rt_norm){.kind = RT_NORM_TIME, .limit_s = tmax * rt_test_unit(rng)};
}

/* The table of facility j, summed again from a search without it. */
static void brute_row(const bcase *c, const rt_labels *all, const rt_labels *wo, int j,
                      rti_closure_row *o, double region_added[NR][2])
{
    double to[NF] = {0};
    memset(o, 0, sizeof(*o));
    memset(region_added, 0, sizeof(double) * NR * 2);
    o->takeover = -1;
    for (int64_t i = 0; i < c->n; i++) {
        double p = (double)c->pop[i];
        if (all->facility[i] != j || !(p > 0))
            continue;
        double t1 = all->time_s[i], t = wo->time_s[i];
        /* the second label is the nearest of the rest */
        assert_same(all->time2_s[i], t);
        assert_int_equal(all->facility2[i], wo->facility[i]);
        o->pop_served_persons += p;
        if (wo->facility[i] >= 0) {
            o->pop_alternative_persons += p;
            o->time_added_sum_s += p * (t - t1);
            to[wo->facility[i]] += p;
        } else {
            o->pop_no_alternative_persons += p;
        }
        for (int k = 0; k < 2; k++) {
            int pushed = t1 <= c->norms[k].limit_s && !(t <= c->norms[k].limit_s);
            o->beyond_added_persons[k] += pushed ? p : 0.0;
            if (pushed && c->region[i] >= 0)
                region_added[c->region[i]][k] += p;
        }
    }
    for (int f = 0; f < NF; f++)
        if (to[f] > o->takeover_persons)
            o->takeover = f, o->takeover_persons = to[f];
}

static void check_case(rt_ctx *ctx, rt_test_rng *rng, bcase *c, int64_t *checked)
{
    rt_labels all;
    search(ctx, c, c->src, c->n_src, RT_SEARCH_SECOND, &all);
    random_people(rng, c, &all);
    rti_closure_input in = {
        c->n, all.time_s, all.facility, all.time2_s, all.facility2, c->pop, NF, c->norms, 2};
    rti_closure_row got[NF];
    rti_closure_region_row *rows = NULL;
    int64_t n_rows = 0, seen = 0;
    assert_int_equal(rti_closures_facilities(ctx, &in, got), RT_OK);
    assert_int_equal(rti_closures_regions(ctx, &in, c->region, NR, &rows, &n_rows), RT_OK);
    for (int j = 0; j < NF; j++) {
        rt_source rest[8];
        int m = 0;
        for (int k = 0; k < c->n_src; k++)
            if (c->src[k].facility != j)
                rest[m++] = c->src[k];
        rt_labels wo;
        search(ctx, c, rest, m, 0, &wo);
        rti_closure_row want;
        double reg[NR][2];
        brute_row(c, &all, &wo, j, &want, reg);
        assert_same(got[j].pop_served_persons, want.pop_served_persons);
        assert_same(got[j].pop_alternative_persons, want.pop_alternative_persons);
        assert_same(got[j].pop_no_alternative_persons, want.pop_no_alternative_persons);
        assert_same(got[j].time_added_sum_s, want.time_added_sum_s);
        assert_same(got[j].beyond_added_persons[0], want.beyond_added_persons[0]);
        assert_same(got[j].beyond_added_persons[1], want.beyond_added_persons[1]);
        assert_int_equal(got[j].takeover, want.takeover);
        assert_same(got[j].takeover_persons, want.takeover_persons);
        for (int r = 0; r < NR; r++) {
            if (reg[r][0] == 0 && reg[r][1] == 0)
                continue;
            assert_true(seen < n_rows);
            assert_int_equal(rows[seen].facility, j);
            assert_int_equal(rows[seen].region, r);
            assert_same(rows[seen].beyond_added_persons[0], reg[r][0]);
            assert_same(rows[seen].beyond_added_persons[1], reg[r][1]);
            seen++;
        }
        *checked += want.pop_served_persons > 0;
        rt_labels_free(&wo);
    }
    assert_int_equal(seen, n_rows);
    free(rows);
    free(c->pop);
    free(c->region);
    rt_labels_free(&all);
}

static void random_sources(rt_test_rng *rng, bcase *c, const float *fr)
{
    c->n_src = rt_test_int(rng, 1, 8);
    for (int k = 0; k < c->n_src; k++) {
        int64_t cell;
        do
            cell = rt_test_int(rng, 0, (int)c->n - 1);
        while (fr && isnan(fr[cell]));
        c->src[k] = (rt_source){cell, rt_test_int(rng, 0, NF - 1), 0.0};
    }
}

static void grid_equals_brute_force(void **state)
{
    rt_ctx *ctx = *state;
    rt_test_rng rng = {777};
    int64_t checked = 0;
    for (int i = 0; i < 300; i++) {
        bcase c = {0};
        int nx = rt_test_int(&rng, 3, 14), ny = rt_test_int(&rng, 3, 14);
        c.n = (int64_t)nx * ny;
        c.fr = malloc((size_t)c.n * sizeof(float));
        /* every fourth grid has whole-number frictions: equal times occur */
        for (int64_t k = 0; k < c.n; k++)
            c.fr[k] = rt_test_unit(&rng) < 0.15 ? NAN
                      : i % 4 == 0              ? (float)rt_test_int(&rng, 1, 2)
                                                : (float)(0.05 + rt_test_unit(&rng));
        c.grid = (rt_grid_medium){c.fr, nx, ny, i % 2 ? 25.0 : 100.0};
        random_sources(&rng, &c, c.fr);
        check_case(ctx, &rng, &c, &checked);
        free(c.fr);
    }
    assert_true(checked > 500);
}

static void graph_equals_brute_force(void **state)
{
    rt_ctx *ctx = *state;
    rt_test_rng rng = {4711};
    int64_t checked = 0;
    for (int i = 0; i < 300; i++) {
        bcase c = {0};
        int n = rt_test_int(&rng, 2, 60), m = rt_test_int(&rng, 0, 4 * n);
        int32_t *tail = malloc((size_t)(m + 1) * sizeof(int32_t));
        int32_t *head = malloc((size_t)(m + 1) * sizeof(int32_t));
        double *t = malloc((size_t)(m + 1) * sizeof(double));
        for (int k = 0; k < m; k++) {
            tail[k] = rt_test_int(&rng, 0, n - 1);
            head[k] = rt_test_int(&rng, 0, n - 1);
            t[k] = i % 4 == 0 ? (double)rt_test_int(&rng, 0, 3) : 1.0 + 100 * rt_test_unit(&rng);
        }
        rt_arcs a = {m, tail, head, t, NULL};
        assert_int_equal(rt_graph_build(ctx, n, &a, &c.g), RT_OK);
        c.n = n;
        random_sources(&rng, &c, NULL);
        check_case(ctx, &rng, &c, &checked);
        rt_graph_destroy(c.g);
        free(tail);
        free(head);
        free(t);
    }
    assert_true(checked > 300);
}

/* ---- bad input, allocation failures ---- */

/* A cell of infinite population is left out of the table: two cells with
 * facility 0 at 100 s and facility 1 at 200 s, 3 persons and infinitely
 * many: facility 0 serves 3, each 100 s farther without it, all to 1. */
static void unusable_population_is_left_out(void **state)
{
    rt_ctx *ctx = *state;
    const double t1[2] = {100, 100}, t2[2] = {200, 200};
    const int32_t f1[2] = {0, 0}, f2[2] = {1, 1};
    const float pop[2] = {3, INFINITY};
    rti_closure_input in = {2, t1, f1, t2, f2, pop, 2, NULL, 0};
    rti_closure_row r[2];
    assert_int_equal(rti_closures_facilities(ctx, &in, r), RT_OK);
    assert_true(r[0].pop_served_persons == 3 && r[0].time_added_mean_s == 100);
    assert_true(r[0].takeover == 1 && r[0].takeover_persons == 3);
}

static void bad_labels_are_refused(void **state)
{
    rt_ctx *ctx = *state;
    float pop[11];
    rti_closure_input in;
    hand_input(&in, pop);
    rti_closure_row r[4];
    int32_t f2[11];
    memcpy(f2, H_F2, sizeof(f2));
    in.facility2 = f2;
    f2[4] = 1; /* cell 4: second facility = first */
    assert_int_equal(rti_closures_facilities(ctx, &in, r), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "cell 4"));
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "the same facility twice"));
    f2[4] = 0;
    /* one cell at a time: labels that no search gives */
    const float one_pop[1] = {1};
    const struct {
        double t1, t2;
        int32_t f1, f2;
        const char *why;
    } bad[] = {
        {INFINITY, INFINITY, 0, -1, "without a finite time"},
        {INFINITY, 50, -1, 0, "a second facility but no nearest"},
        {300, 200, 0, 1, "a second time below the first"},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        rti_closure_input one = {1,       &bad[k].t1, &bad[k].f1, &bad[k].t2, &bad[k].f2,
                                 one_pop, 2,          NULL,       0};
        assert_int_equal(rti_closures_facilities(ctx, &one, r), RT_E_ARG);
        assert_non_null(strstr(rt_ctx_errmsg(ctx), bad[k].why));
    }
    in.n_facilities = 3; /* facility 3 is out of range */
    assert_int_equal(rti_closures_facilities(ctx, &in, r), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "cell 9"));
    in.n_facilities = 4;
    rt_norm km = {.kind = RT_NORM_LENGTH, .limit_m = 5000};
    in.norms = &km;
    in.n_norms = 1;
    assert_int_equal(rti_closures_facilities(ctx, &in, r), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "not a time norm"));
    in.norms = H_NORMS;
    in.n_norms = 2;
    int32_t region[11];
    memcpy(region, H_REGION, sizeof(region));
    region[6] = 2;
    rti_closure_region_row *rows = NULL;
    int64_t n = 0;
    assert_int_equal(rti_closures_regions(ctx, &in, region, 2, &rows, &n), RT_E_ARG);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "cell 6: region index 2"));
    assert_null(rows);
}

/* Many pairs, so that the pair table grows several times; every k-th
 * allocation fails in turn until none is left to fail. */
static void allocation_failures_are_clean(void **state)
{
    rt_ctx *ctx = *state;
    enum { N = 5000, F = 100 };
    double *t1 = malloc(N * sizeof(double)), *t2 = malloc(N * sizeof(double));
    int32_t *f1 = malloc(N * sizeof(int32_t)), *f2 = malloc(N * sizeof(int32_t));
    int32_t *region = malloc(N * sizeof(int32_t));
    float *pop = malloc(N * sizeof(float));
    for (int i = 0; i < N; i++) {
        t1[i] = 60, t2[i] = 600, f1[i] = i % F, f2[i] = (i / F) % F, pop[i] = 1;
        f2[i] = f2[i] == f1[i] ? -1 : f2[i];
        region[i] = i % 37;
    }
    rt_norm norm = {.kind = RT_NORM_TIME, .limit_s = 300};
    rti_closure_input in = {N, t1, f1, t2, f2, pop, F, &norm, 1};
    rti_closure_row *r = malloc(F * sizeof(*r));
    int failed = 0;
    for (int k = 1;; k++) {
        rti_closure_region_row *rows = NULL;
        int64_t n = 0;
        rti_ctx_fail_alloc_at(ctx, k);
        rt_status st = rti_closures_facilities(ctx, &in, r);
        if (st == RT_OK)
            st = rti_closures_regions(ctx, &in, region, 37, &rows, &n);
        const int64_t made = rti_ctx_alloc_count(ctx);
        rti_ctx_fail_alloc_at(ctx, 0);
        free(rows);
        if (st == RT_OK && made >= k)
            fail_msg("allocation %lld failed and the call succeeded all the same", (long long)k);
        if (st == RT_OK)
            break;
        assert_int_equal(st, RT_E_NOMEM);
        failed++;
    }
    assert_true(failed >= 6);
    free(t1), free(t2), free(f1), free(f2), free(region), free(pop), free(r);
}

static int setup_ctx(void **state)
{
    *state = rt_ctx_create();
    if (*state)
        rt_ctx_set_threads(*state, 1); /* the searches are tiny */
    return *state ? 0 : -1;
}

static int teardown_ctx(void **state)
{
    rt_ctx_destroy(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hand_worked_table, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(grid_equals_brute_force, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(graph_equals_brute_force, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(bad_labels_are_refused, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(unusable_population_is_left_out, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(allocation_failures_are_clean, setup_ctx, teardown_ctx),
    };
    rt_test_filters();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
