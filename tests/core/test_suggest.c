/* "Did you mean" (core/suggest.c): the optimal string alignment distance,
 * ASCII case-insensitive in every step (a swap of two letters included),
 * within a limit that grows with the name (1 up to 4 bytes, 2 up to 8, 3
 * beyond); the nearest name wins, the first of equals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/suggest.h"

static void one_edit_in_any_case(void **state)
{
    (void)state;
    static const char *const cols[] = {"ref", "name", NULL};
    assert_string_equal(rti_suggest("rfe", cols), "ref"); /* swap */
    assert_string_equal(rti_suggest("RFE", cols), "ref"); /* swap, upper case */
    assert_string_equal(rti_suggest("NAEM", cols), "name");
    assert_string_equal(rti_suggest("REF", cols), "ref");  /* case only: distance 0 */
    assert_string_equal(rti_suggest("nme", cols), "name"); /* one deletion */
}

static void beyond_the_limit_is_no_answer(void **state)
{
    (void)state;
    static const char *const cols[] = {"ref", "gemeentecode", NULL};
    assert_null(rti_suggest("xyz", cols));  /* 3 edits from ref */
    assert_null(rti_suggest("rf_x", cols)); /* 3 edits from ref (limit 1) */
    assert_string_equal(rti_suggest("GEMENTECODE", cols), "gemeentecode"); /* 1 of 3 */
    assert_null(rti_suggest("gmntcd", cols));                              /* 6 edits */
    assert_null(rti_suggest("ref", NULL));
}

static void nearest_then_first(void **state)
{
    (void)state;
    static const char *const cols[] = {"naam", "name", "nam", NULL};
    assert_string_equal(rti_suggest("nama", cols), "naam"); /* swap 1, name 1, nam 1: first */
    static const char *const cols2[] = {"nam", "name", NULL};
    assert_string_equal(rti_suggest("namee", cols2), "name"); /* 1 from name, 2 from nam */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_edit_in_any_case),
        cmocka_unit_test(beyond_the_limit_is_no_answer),
        cmocka_unit_test(nearest_then_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
