/* Second methods for the graph search (as test_oracle_search.c does for the
 * grid):
 * 1. Bellman-Ford sweeps to a fixed point on random directed graphs (random
 *    times, many equal and zero times, parallel arcs, self-loops,
 *    disconnected parts, sources with start times) give the same bits as the Dijkstra search:
 * times, nearest facility and route length, computed one after the other from the definitions in
 * rt_graph.h / rt_search.h.
 * 2. k = 2 labels against brute force: one Bellman-Ford per facility, then
 *    the two best distinct facilities per node in (time, facility) order. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/search_internal.h"
#include "oracle_common.h"
#include "reistijd/rt_graph.h"
#include "test_common.h"

typedef struct gcase {
    int n, m, n_src;
    int32_t *tail, *head;
    double *t;
    float *len;
    rt_source src[8];
    float start_m[8]; /* start lengths (the facility's way to the road) */
} gcase;

static void make_case(rt_test_rng *rng, gcase *c, int i)
{
    c->n = rt_test_int(rng, 2, 60);
    c->m = rt_test_int(rng, 0, 4 * c->n);
    c->tail = malloc((size_t)(c->m + 1) * sizeof(int32_t));
    c->head = malloc((size_t)(c->m + 1) * sizeof(int32_t));
    c->t = malloc((size_t)(c->m + 1) * sizeof(double));
    c->len = malloc((size_t)(c->m + 1) * sizeof(float));
    /* every fourth graph has integer times (many equal-time ties) and some
     * zero-time arcs, which send the search to its radix heap */
    int coarse = i % 4 == 0;
    for (int k = 0; k < c->m; k++) {
        c->tail[k] = rt_test_int(rng, 0, c->n - 1);
        /* mostly local arcs, so that graphs have long paths */
        int d = rt_test_int(rng, -3, 3);
        c->head[k] = rt_test_unit(rng) < 0.8 ? ((c->tail[k] + d) % c->n + c->n) % c->n
                                             : rt_test_int(rng, 0, c->n - 1);
        c->t[k] = coarse ? (double)rt_test_int(rng, 0, 3) : 0.001 + 100.0 * rt_test_unit(rng);
        c->len[k] = coarse ? (float)rt_test_int(rng, 1, 4) : (float)(10.0 * rt_test_unit(rng));
    }
    c->n_src = rt_test_int(rng, 1, 8);
    for (int k = 0; k < c->n_src; k++) {
        c->src[k].cell = rt_test_int(rng, 0, c->n - 1);
        c->src[k].facility = rt_test_int(rng, 0, 5);
        /* every third graph has start times (facilities beside the road);
         * coarse ones in whole seconds, so that they tie with routes */
        c->src[k].start_s = i % 3 != 1 ? 0.0
                            : coarse   ? (double)rt_test_int(rng, 0, 4)
                                       : 30.0 * rt_test_unit(rng);
        /* and with them start lengths, whole metres in coarse ones */
        c->start_m[k] = i % 3 != 1 ? 0.0f
                        : coarse   ? (float)rt_test_int(rng, 0, 3)
                                   : (float)(100.0 * rt_test_unit(rng));
    }
}

static void free_case(gcase *c)
{
    free(c->tail);
    free(c->head);
    free(c->t);
    free(c->len);
}

static void bellman_ford(const gcase *c, const rt_source *src, const float *start_m, int n_src,
                         double *T, int32_t *F, float *L)
{
    oracle_arcs a = {c->n, c->m, c->tail, c->head, c->t, c->len};
    oracle_bellman_ford(&a, src, start_m, n_src, T, F, L);
}

/* Case c's Bellman-Ford times, facilities and lengths, and its graph
 * (the caller frees them). */
typedef struct bf_case {
    double *T;
    int32_t *F;
    float *L;
    rt_graph *g;
} bf_case;

static bf_case bf_and_graph(rt_ctx *ctx, const gcase *c)
{
    bf_case b = {malloc((size_t)c->n * sizeof(double)), malloc((size_t)c->n * sizeof(int32_t)),
                 malloc((size_t)c->n * sizeof(float)), NULL};
    assert_true(b.T && b.F && b.L);
    bellman_ford(c, c->src, c->start_m, c->n_src, b.T, b.F, b.L);
    rt_arcs a = {c->m, c->tail, c->head, c->t, c->len};
    assert_int_equal(rt_graph_build(ctx, c->n, &a, &b.g), RT_OK);
    return b;
}

static void bf_free(bf_case *b)
{
    free(b->T);
    free(b->F);
    free(b->L);
    rt_graph_destroy(b->g);
}

/* Fails unless the n labels l hold the Bellman-Ford times T, facilities F
 * and lengths L bit for bit (case i). */
static void equals_bellman_ford(const double *T, const int32_t *F, const float *L,
                                const rt_labels *l, int n, int i)
{
    for (int v = 0; v < n; v++) {
        if (memcmp(&T[v], &l->time_s[v], sizeof(double)) != 0 || F[v] != l->facility[v])
            fail_msg("case %d node %d: BF %.17g/%d, search %.17g/%d", i, v, T[v], F[v],
                     l->time_s[v], l->facility[v]);
        if (!(isnan(L[v]) && isnan(l->length_m[v])) && L[v] != l->length_m[v])
            fail_msg("case %d node %d: length BF %.9g, search %.9g", i, v, (double)L[v],
                     (double)l->length_m[v]);
    }
}

static void dijkstra_equals_bellman_ford(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {20241123};
    int64_t nodes = 0, heap_cases = 0;
    for (int i = 0; i < 800; i++) {
        gcase c;
        make_case(&rng, &c, i);
        bf_case b = bf_and_graph(ctx, &c);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = RT_SEARCH_LENGTH | (i % 3 ? RT_SEARCH_SECOND : 0);
        o.start_m = c.start_m;
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, c.n, o.flags, &l), RT_OK);
        assert_int_equal(rt_graph_search(ctx, b.g, c.src, c.n_src, &o, NULL, &l), RT_OK);
        equals_bellman_ford(b.T, b.F, b.L, &l, c.n, i);
        for (int k = 0; k < c.m; k++)
            if (c.t[k] == 0 && c.tail[k] != c.head[k]) {
                heap_cases++;
                break;
            }
        nodes += c.n;
        rt_labels_free(&l);
        bf_free(&b);
        free_case(&c);
    }
    assert_true(nodes > 20000);
    assert_true(heap_cases > 100);
    rt_ctx_destroy(ctx);
}

static void second_label_equals_brute_force(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {4242};
    for (int i = 0; i < 400; i++) {
        gcase c;
        make_case(&rng, &c, i);
        int n = c.n;
        double *Tf = malloc((size_t)6 * n * sizeof(double));
        int32_t *Fd = malloc((size_t)n * sizeof(int32_t));
        float *Ld = malloc((size_t)n * sizeof(float));
        for (int f = 0; f < 6; f++) {
            rt_source mine[8];
            int m = 0;
            for (int k = 0; k < c.n_src; k++)
                if (c.src[k].facility == f)
                    mine[m++] = c.src[k];
            if (m)
                bellman_ford(&c, mine, NULL, m, Tf + f * n, Fd, Ld);
            else
                for (int k = 0; k < n; k++)
                    Tf[f * n + k] = INFINITY;
        }
        rt_arcs a = {c.m, c.tail, c.head, c.t, NULL};
        rt_graph *g = NULL;
        assert_int_equal(rt_graph_build(ctx, n, &a, &g), RT_OK);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = RT_SEARCH_SECOND;
        rt_labels l;
        assert_int_equal(rt_labels_alloc(ctx, n, o.flags, &l), RT_OK);
        assert_int_equal(rt_graph_search(ctx, g, c.src, c.n_src, &o, NULL, &l), RT_OK);
        oracle_check_best2(Tf, 6, n, &l, i);
        rt_labels_free(&l);
        rt_graph_destroy(g);
        free(Tf);
        free(Fd);
        free(Ld);
        free_case(&c);
    }
    rt_ctx_destroy(ctx);
}

/* A search from some of the sources, then a warm search adding the others,
 * gives the labels of one search from all of them, bit for bit. */
static void warm_start_equals_one_search(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {778};
    for (int i = 0; i < 400; i++) {
        gcase c;
        make_case(&rng, &c, i);
        const int a = oracle_split(c.n_src);
        rt_arcs arcs = {c.m, c.tail, c.head, c.t, c.len};
        rt_graph *g = NULL;
        assert_int_equal(rt_graph_build(ctx, c.n, &arcs, &g), RT_OK);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = (i % 2 ? RT_SEARCH_LENGTH : 0) | (i % 3 ? RT_SEARCH_SECOND : 0);
        o.start_m = c.start_m;
        rt_labels one, two;
        assert_int_equal(rt_labels_alloc(ctx, c.n, o.flags, &one), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, c.n, o.flags, &two), RT_OK);
        assert_int_equal(rt_graph_search(ctx, g, c.src, c.n_src, &o, NULL, &one), RT_OK);
        assert_int_equal(rt_graph_search(ctx, g, c.src, a, &o, NULL, &two), RT_OK);
        if (a < c.n_src) {
            o.start_m = c.start_m + a;
            assert_int_equal(rti_graph_search_warm(ctx, g, c.src + a, c.n_src - a, &o, NULL, &two),
                             RT_OK);
        }
        oracle_labels_identical(&one, &two, c.n, o.flags, i);
        rt_labels_free(&one);
        rt_labels_free(&two);
        rt_graph_destroy(g);
        free_case(&c);
    }
    rt_ctx_destroy(ctx);
}

/* The case's graph changed as a scenario changes roads: some arcs gone,
 * some dearer or cheaper (times, and lengths with them), and 0..3 new
 * nodes, each cutting an arc in two or joining two nodes. The arcs of the
 * new graph are written into the arrays of *d (caller frees them). */
static void change_graph(rt_test_rng *rng, const gcase *c, int coarse, gcase *d)
{
    const int n_new = rt_test_int(rng, 0, 3);
    *d = *c;
    d->n = c->n + n_new;
    const int cap = c->m + 2 * n_new + 2;
    d->tail = malloc((size_t)cap * sizeof(int32_t));
    d->head = malloc((size_t)cap * sizeof(int32_t));
    d->t = malloc((size_t)cap * sizeof(double));
    d->len = malloc((size_t)cap * sizeof(float));
    d->m = 0;
    for (int k = 0; k < c->m; k++) {
        const double u = rt_test_unit(rng);
        if (u < 0.1)
            continue; /* closed */
        d->tail[d->m] = c->tail[k];
        d->head[d->m] = c->head[k];
        d->t[d->m] = c->t[k];
        d->len[d->m] = c->len[k];
        if (u < 0.2) { /* a new speed: dearer or cheaper, in whole seconds when coarse */
            d->t[d->m] = coarse ? (double)rt_test_int(rng, 0, 4) : c->t[k] * (u < 0.15 ? 0.5 : 2.0);
            if (u < 0.13)
                d->len[d->m] = coarse ? (float)rt_test_int(rng, 1, 4) : c->len[k] * 0.5f;
        }
        d->m++;
    }
    for (int j = 0; j < n_new; j++) {
        const int32_t p = c->n + j;
        const int32_t a = rt_test_int(rng, 0, c->n - 1), b = rt_test_int(rng, 0, c->n - 1);
        const double ta = coarse ? (double)rt_test_int(rng, 0, 3) : 50.0 * rt_test_unit(rng),
                     tb = coarse ? (double)rt_test_int(rng, 0, 3) : 50.0 * rt_test_unit(rng);
        d->tail[d->m] = a, d->head[d->m] = p, d->t[d->m] = ta, d->len[d->m++] = 1.0f;
        d->tail[d->m] = p, d->head[d->m] = b, d->t[d->m] = tb, d->len[d->m++] = 2.0f;
    }
}

/* rti_graph_search_update against a search of the changed graph from the
 * new sources: random closures and new facilities, and on two cases in
 * three a changed graph (change_graph); every label array bit for bit. */
static void update_equals_one_search(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {4242};
    int64_t cleared = 0, changed = 0;
    for (int i = 0; i < 600; i++) {
        gcase c, d;
        make_case(&rng, &c, i);
        const int coarse = i % 4 == 0, edit = i % 3 != 0;
        if (edit)
            change_graph(&rng, &c, coarse, &d);
        else
            d = c;
        int32_t map[6];
        int open;
        rt_source nsrc[12];
        float nstart[12];
        int m = oracle_close_some(&rng, c.src, c.start_m, c.n_src, map, &open, nsrc, nstart);
        for (int k = rt_test_int(&rng, 0, 2); k > 0; k--) {
            nsrc[m] = (rt_source){rt_test_int(&rng, 0, d.n - 1), open + rt_test_int(&rng, 0, 1),
                                  coarse ? 1.0 : 0.0};
            nstart[m++] = 0.0f;
        }
        rt_arcs arcs = {c.m, c.tail, c.head, c.t, c.len}, arcs2 = {d.m, d.tail, d.head, d.t, d.len};
        rt_graph *g = NULL, *g2 = NULL;
        assert_int_equal(rt_graph_build(ctx, c.n, &arcs, &g), RT_OK);
        assert_int_equal(rt_graph_build(ctx, d.n, &arcs2, &g2), RT_OK);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = (i % 2 ? RT_SEARCH_LENGTH : 0) | (i % 5 < 3 ? RT_SEARCH_SECOND : 0);
        if (i % 7 == 3)
            o.max_time_s = coarse ? 4.0 : 120.0;
        rt_labels before, full, upd;
        assert_int_equal(rt_labels_alloc(ctx, c.n, o.flags, &before), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, d.n, o.flags, &full), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, d.n, o.flags, &upd), RT_OK);
        o.start_m = c.start_m;
        assert_int_equal(rt_graph_search(ctx, g, c.src, c.n_src, &o, NULL, &before), RT_OK);
        o.start_m = nstart;
        if (m > 0)
            assert_int_equal(rt_graph_search(ctx, g2, nsrc, m, &o, NULL, &full), RT_OK);
        else
            rti_labels_clear(&full, d.n, o.flags, 1);
        for (int k = 0; k < c.n; k++) {
            const int32_t f = before.facility[k];
            cleared += f >= 0 && map[f] < 0;
            changed += f >= 0 && map[f] >= 0 && before.time_s[k] != full.time_s[k];
        }
        rti_labels_copy(&upd, &before, c.n);
        for (int k = c.n; k < d.n; k++) /* what the update must set itself */
            upd.time_s[k] = -1.0, upd.facility[k] = 99;
        if (m > 0) {
            assert_int_equal(
                rti_graph_search_update(ctx, g2, edit ? g : NULL, nsrc, m, map, 6, &o, NULL, &upd),
                RT_OK);
            oracle_labels_identical(&full, &upd, d.n, o.flags, i);
        }
        rt_labels_free(&before);
        rt_labels_free(&full);
        rt_labels_free(&upd);
        rt_graph_destroy(g);
        rt_graph_destroy(g2);
        if (edit)
            free_case(&d);
        free_case(&c);
    }
    assert_true(cleared > 1000); /* closures cleared many labels */
    assert_true(changed > 1000); /* and changed arcs many others */
    rt_ctx_destroy(ctx);
}

/* The search on a team of threads (blocks of 1..8 nodes, 2..4 threads)
 * gives the bits of the search on one thread and of Bellman-Ford: every
 * label type, with and without a time limit. */
static void team_search_equals_one_thread(void **state)
{
    (void)state;
    rt_ctx *ctx = rt_ctx_create();
    rt_test_rng rng = {5150};
    int teamed = 0;
    for (int i = 0; i < 600; i++) {
        gcase c;
        make_case(&rng, &c, i);
        bf_case b = bf_and_graph(ctx, &c);
        rt_search_opts o;
        rt_search_opts_init(&o);
        o.flags = (i % 2 ? RT_SEARCH_LENGTH : 0) | (i % 3 ? RT_SEARCH_SECOND : 0);
        o.start_m = c.start_m;
        if (i % 5 == 4)
            o.max_time_s = 120.0; /* cuts most graphs */
        rt_labels one, many;
        assert_int_equal(rt_labels_alloc(ctx, c.n, o.flags, &one), RT_OK);
        assert_int_equal(rt_labels_alloc(ctx, c.n, o.flags, &many), RT_OK);
        assert_int_equal(rt_graph_search(ctx, b.g, c.src, c.n_src, &o, NULL, &one), RT_OK);
        rt_search_ws *ws = rt_search_ws_create();
        assert_int_equal(
            rti_graph_search_team(ctx, b.g, c.src, c.n_src, &o, ws, &many, 2 + i % 3, i % 4),
            RT_OK);
        teamed += ws->n_workers >= 2; /* else the radix heap, which is serial */
        rt_search_ws_destroy(ws);
        oracle_labels_identical(&one, &many, c.n, o.flags, i);
        if (o.max_time_s == INFINITY && (o.flags & RT_SEARCH_LENGTH))
            equals_bellman_ford(b.T, b.F, b.L, &many, c.n, i);
        rt_labels_free(&one);
        rt_labels_free(&many);
        bf_free(&b);
        free_case(&c);
    }
    assert_true(teamed >= 400);
    rt_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dijkstra_equals_bellman_ford),
        cmocka_unit_test(second_label_equals_brute_force),
        cmocka_unit_test(warm_start_equals_one_search),
        cmocka_unit_test(update_equals_one_search),
        cmocka_unit_test(team_search_equals_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
