/* {class: km/h} mappings: a speed profile's classes, a network medium's
 * speeds and a speed model's classes, read by one function with rules. */
#define _POSIX_C_SOURCE 200809L

#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "core/roadnet.h"
#include "core/suggest.h"
#include "study/spec/spec.h"

/* The class name of key; lenient: its text whatever its form, '?' when it
 * has none that fits. */
static rt_status class_name(rti_yaml *y, struct fy_node *key, rti_where at, char **name)
{
    char buf[80];
    if (!y->lenient)
        return rti_yaml_str(y, key, at, name);
    const char *s = rti_yaml_text(key, buf, sizeof(buf));
    if (!s)
        s = "?";
    *name = rti_yaml_dup(y, s, strlen(s));
    return *name ? RT_OK : RT_E_NOMEM;
}

static rt_status unknown_class(rti_yaml *y, rti_where at, const char *name)
{
    char list[700];
    const char *const *known = rti_road_class_names(NULL);
    const char *near = y->lenient ? NULL : rti_suggest(name, known);
    rti_yaml_join(list, sizeof(list), known);
    if (y->lenient)
        return rti_yaml_fail(y, at, "unknown road class '%s' (known classes: %s)", name, list);
    if (near)
        return rti_yaml_fail(y, at, "unknown road class; did you mean '%s'?", near);
    return rti_yaml_fail(y, at, "unknown road class; known classes: %s", list);
}

/* 1 for no (rti_no_words; lenient: quoted too): the mode does not use the
 * class. */
static int is_no(rti_yaml *y, struct fy_node *val)
{
    char buf[64];
    if (!y->lenient && (!val || fy_node_get_style(val) != FYNS_PLAIN))
        return 0;
    return rti_word_in(rti_yaml_text(val, buf, sizeof(buf)), rti_no_words);
}

/* The speed of class `name` (its key at `at`) in *kmh; 0 for no. */
static rt_status class_speed(rti_yaml *y, const rti_yaml_map *m, struct fy_node *val, rti_where at,
                             unsigned rules, const char *name, double *kmh)
{
    char buf[64], range[96];
    if ((rules & RTI_CLASS_NO) && is_no(y, val)) {
        *kmh = 0;
        return RT_OK;
    }
    if (!y->lenient)
        return rti_yaml_num(y, val, (rules & RTI_CLASS_AT_KEY) ? at : rti_yaml_where(val, at), name,
                            &RTI_RANGE_SPEED, kmh);
    const char *s = rti_yaml_text(val, buf, sizeof(buf));
    if (!s || !rti_yaml_number(s, strlen(s), 0, kmh) || !rti_in_range(&RTI_RANGE_SPEED, *kmh))
        return rti_yaml_fail(y, rti_yaml_where(val, m->at), "expected a speed %s or no, got '%s'",
                             rti_range_text(&RTI_RANGE_SPEED, range, sizeof(range)), s ? s : "?");
    return RT_OK;
}

rt_status rti_yaml_class_speeds(rti_yaml *y, const rti_yaml_map *m, unsigned rules,
                                const char *what, rti_road_class **out, int *n)
{
    int count = fy_node_mapping_item_count(m->map);
    *n = 0;
    *out = rti_malloc_array(y->ctx, count > 0 ? count : 1, sizeof(**out), what);
    if (!*out)
        return RT_E_NOMEM;
    rt_status st = RT_OK;
    for (int i = 0; i < count && st == RT_OK; i++) {
        struct fy_node_pair *pair = fy_node_mapping_get_by_index(m->map, i);
        struct fy_node *key = fy_node_pair_key(pair);
        rti_where at = rti_yaml_where(key, m->at);
        rti_road_class *c = &(*out)[i];
        RTI_TRY(class_name(y, key, at, &c->name));
        *n = i + 1;
        size_t k = rti_yaml_push(y, c->name);
        if ((rules & RTI_CLASS_KNOWN) && rti_road_class_index(c->name) < 0)
            st = unknown_class(y, at, c->name);
        for (int j = 0; st == RT_OK && (rules & RTI_CLASS_UNIQUE) && j < i; j++)
            if (strcmp((*out)[j].name, c->name) == 0)
                st = rti_yaml_fail(y, at, "road class '%s' is given twice", c->name);
        if (st == RT_OK)
            st = class_speed(y, m, fy_node_pair_value(pair), at, rules, c->name, &c->speed_kmh);
        rti_yaml_pop(y, k);
    }
    return st;
}
