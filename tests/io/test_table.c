/* Edge tables and lists of node ids: ids are read exactly, and one that
 * would be clamped to the ends of the 64-bit range (merging two nodes) is
 * refused naming the file, the row and the value; costs, lengths and
 * speeds must be finite and within the range the network holds. */
#include "io_fixture.h"

#include <stdint.h>

static rti_layer_ref write_csv(fx *f, const char *name, const char *text)
{
    const char *path = fx_path(f, name);
    fx_write_text(path, text);
    return fx_ref(path, NULL);
}

/* Text ids are parsed as 64-bit integers: 2^53 + 1 = 9007199254740993,
 * which a double cannot hold, and the two largest ids stay apart. */
static void ids_are_read_exactly_up_to_the_ends(void **state)
{
    fx *f = *state;
    rti_layer_ref ref = write_csv(f, "edges.csv",
                                  "source,target,cost_s\n"
                                  "9007199254740993,9007199254740994,5\n"
                                  "9223372036854775806,9223372036854775807,7\n"
                                  "-9223372036854775808,0,2.5\n");
    rti_edge_table t;
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_OK);
    assert_int_equal(t.n, 3);
    assert_true(t.source[0] == INT64_C(9007199254740993));
    assert_true(t.target[0] == INT64_C(9007199254740994));
    assert_true(t.source[1] == INT64_MAX - 1);
    assert_true(t.target[1] == INT64_MAX);
    assert_true(t.source[2] == INT64_MIN);
    assert_true(t.cost_s[0] == 5.0 && t.cost_s[1] == 7.0 && t.cost_s[2] == 2.5);
    /* no reverse or oneway column: every edge is two-way at the same cost */
    assert_true(t.reverse_s[2] == 2.5);
    rti_edge_table_free(&t);
}

static void ids_beyond_64_bits_are_refused(void **state)
{
    fx *f = *state;
    /* 2^63 = 9223372036854775808, one more than the largest id */
    rti_layer_ref ref = write_csv(f, "edges.csv",
                                  "source,target,cost_s\n"
                                  "9223372036854775807,1,10\n"
                                  "9223372036854775808,2,20\n");
    rti_edge_table t;
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "edges.csv: layer 'edges': row 2: column 'source': node id "
                              "'9223372036854775808' lies beyond the 64-bit range");
    assert_int_equal(t.n, 0);
    assert_null(t.source);

    /* -2^63 - 1 in the target column of the first row */
    ref = write_csv(f, "edges2.csv", "from,to,time_s\n1,-9223372036854775809,3\n");
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "edges2.csv: layer 'edges2': row 1: column 'to': node id "
                              "'-9223372036854775809' lies beyond");

    /* twenty digits */
    ref = write_csv(f, "bron.csv", "node\n4\n18446744073709551616\n");
    int64_t *ids = NULL, n = 0;
    assert_int_equal(rti_read_id_column(f->ctx, &ref, NULL, &ids, &n), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "bron.csv: layer 'bron': row 2: column 'node': node id "
                              "'18446744073709551616' lies beyond the 64-bit range");
    assert_null(ids);
    assert_int_equal(n, 0);
}

/* Formats with typed columns: an integer column holding an end of the
 * 64-bit range may hold a clamped larger value, so it is refused; a real
 * beyond 2^53 = 9007199254740992 cannot tell ids apart. */
static void typed_columns_at_the_limits_are_refused(void **state)
{
    fx *f = *state;
    const char *path = fx_path(f, "net.gpkg");
    static const char *const cols[] = {"l:source", "l:target", "n:cost_s", NULL};
    fx_feature ft[] = {{NULL, {"1", "2", "4"}}, {NULL, {"2", "9223372036854775807", "4"}}};
    fx_gpkg(path, "edges", NULL, wkbNone, cols, ft, 2);
    rti_layer_ref ref = fx_ref(path, NULL);
    rti_edge_table t;
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "net.gpkg: layer 'edges': row 2: column 'target': node id "
                              "9223372036854775807 lies at the end of the 64-bit range");

    path = fx_path(f, "real.gpkg");
    static const char *const rcols[] = {"n:source", "n:target", "n:cost_s", NULL};
    fx_feature rt[] = {{NULL, {"12", "13", "4"}}, {NULL, {"1e19", "13", "4"}}};
    fx_gpkg(path, "edges", NULL, wkbNone, rcols, rt, 2);
    ref = fx_ref(path, NULL);
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "real.gpkg: layer 'edges': row 2: column 'source': node id "
                              "1e+19 lies beyond +-2^53");
    /* the first row alone is fine: 12.0 is the id 12 */
    ref.where = "source < 100";
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_OK);
    assert_true(t.n == 1 && t.source[0] == 12 && t.target[0] == 13);
    rti_edge_table_free(&t);
}

static void costs_must_be_finite_and_in_range(void **state)
{
    fx *f = *state;
    rti_edge_table t;
    static const struct {
        const char *text, *fragment;
    } bad[] = {
        {"source,target,cost_s\n1,2,5\n2,3,inf\n",
         "layer 'c': row 2: column 'cost_s': 'inf' is infinite"},
        {"source,target,cost_s\n1,2,nan\n", "row 1: column 'cost_s': 'nan' is not a number (NaN)"},
        /* 1e308 is a finite double, but beyond the 3.4e38 of a float */
        {"source,target,cost_s\n1,2,1e308\n",
         "row 1: column 'cost_s': '1e308' lies beyond +-3.4e38"},
        {"source,target,cost_s\n1,2,1e999\n", "row 1: column 'cost_s': '1e999' is infinite"},
        {"source,target,cost_s,reverse_cost_s\n1,2,3,-inf\n",
         "row 1: column 'reverse_cost_s': '-inf' is infinite"},
        {"source,target,length_m,speed_kmh\n1,2,1e39,5\n",
         "row 1: column 'length_m': '1e39' lies beyond +-3.4e38"},
        /* 1e30 m at 1e-30 km/h: 1e30 / (1e-30 / 3.6) = 3.6e60 s */
        {"source,target,length_m,speed_kmh\n1,2,1e30,1e-30\n",
         "row 1: travel time 3.6e+60 s from 'length_m' 1e+30 m at 'speed_kmh' 1e-30 km/h lies "
         "beyond +-3.4e38"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rti_layer_ref ref = write_csv(f, "c.csv", bad[i].text);
        assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
        FX_ASSERT_MSG_HAS(f->ctx, bad[i].fragment);
        assert_int_equal(t.n, 0);
    }
    /* 2 km at 36 km/h = 10 m/s: 200 s; the largest float is still a cost */
    rti_layer_ref ref = write_csv(f, "ok.csv", "source,target,length_m,speed_kmh\n1,2,2000,36\n");
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_OK);
    assert_true(fabs(t.cost_s[0] - 200.0) < 1e-9 && t.length_m[0] == 2000.0f);
    rti_edge_table_free(&t);
    ref = write_csv(f, "big.csv", "source,target,cost_s\n1,2,3e38\n");
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_OK);
    assert_true(t.cost_s[0] == 3e38);
    rti_edge_table_free(&t);
}

/* An empty GeoJSON file has no columns either: the message names the
 * empty layer, not a missing column; a CSV file with only a header names
 * the columns it has. A list of one column is read through an in-memory
 * copy, whose name never shows. */
static void empty_tables_are_named_as_empty(void **state)
{
    fx *f = *state;
    rti_layer_ref ref =
        write_csv(f, "leeg.geojson", "{\"type\": \"FeatureCollection\", \"features\": []}");
    rti_edge_table t;
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "leeg.geojson: layer 'leeg' has no features (filter: none)");

    ref = write_csv(f, "kop.csv", "van,naar,tijd\n");
    assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "kop.csv: layer 'kop': an edge table needs node id columns "
                              "'source' and 'target' (columns: van, naar, tijd; the layer has "
                              "no features)");

    ref = write_csv(f, "bronnen.csv", "node\n");
    int64_t *ids = NULL, n = 0;
    assert_int_equal(rti_read_id_column(f->ctx, &ref, NULL, &ids, &n), RT_E_DATA);
    FX_ASSERT_MSG_HAS(f->ctx, "bronnen.csv: layer 'bronnen' has no features");
    assert_null(strstr(rt_ctx_errmsg(f->ctx), "reistijd"));
    assert_null(strstr(rt_ctx_errmsg(f->ctx), "vsimem"));

    ref = write_csv(f, "bronnen.csv", "node\n7\n-3\n");
    ref.layer = "bronnen"; /* the layer is named after the file, as GDAL names it */
    assert_int_equal(rti_read_id_column(f->ctx, &ref, NULL, &ids, &n), RT_OK);
    assert_true(n == 2 && ids[0] == 7 && ids[1] == -3);
    free(ids);
}

/* GeoJSON's true and false reach GDAL as 1 and 0 of a boolean column:
 * neither an id nor a cost, whichever column holds them. */
static void true_and_false_are_not_numbers(void **state)
{
    fx *f = *state;
    rti_edge_table t;
    static const struct {
        const char *props, *fragment;
    } bad[] = {
        {"\"source\": true, \"target\": 2, \"cost_s\": 5",
         "layer 'b': row 0: column 'source': node id holds true or false, not a number"},
        {"\"source\": 1, \"target\": 2, \"cost_s\": false",
         "layer 'b': row 0: column 'cost_s' holds true or false, not a number"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[300];
        snprintf(text, sizeof(text),
                 "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                 "\"properties\": {%s}, \"geometry\": null}]}",
                 bad[i].props);
        rti_layer_ref ref = write_csv(f, "b.geojson", text);
        assert_int_equal(rti_read_edge_table(f->ctx, &ref, &t), RT_E_DATA);
        FX_ASSERT_MSG_HAS(f->ctx, bad[i].fragment);
        assert_int_equal(t.n, 0);
    }
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(ids_are_read_exactly_up_to_the_ends),     T(ids_beyond_64_bits_are_refused),
        T(typed_columns_at_the_limits_are_refused), T(costs_must_be_finite_and_in_range),
        T(empty_tables_are_named_as_empty),         T(true_and_false_are_not_numbers),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
