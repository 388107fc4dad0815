/* The study file's list scenarios: (docs/study-file.md, "scenarios"): per
 * scenario a name, label, description, compare_threshold_min and its
 * changes to the facilities. What can be checked without the data is
 * checked here (keys, one kind of change per entry, known facility
 * types); the ids and filters are checked against the facilities when a
 * run reads them (run/scenario.c). */
#define _POSIX_C_SOURCE 200809L

#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "study/spec/spec.h"

static const char *const SCENARIO_KEYS[] = {
    "name", "label", "description", "compare_threshold_min", "changes", NULL};
static const char *const CHANGE_KEYS[] = {
    "facilities", "close",        "close_where", "add",       "patch",
    "speed_kmh",  "impassable",   "population",  "kind",      "count_column",
    "roads",      "speed_column", "access",      "connect_m", "modify_roads",
    "factor",     "closed",       "capacity",    NULL};
/* in the order of rti_change_kind */
static const char *const CHANGE_KINDS[] = {"close",        "close_where", "add",
                                           "patch",        "population",  "roads",
                                           "modify_roads", "capacity",    NULL};
static const char *const SELECT_KEYS[] = {"where", "within", NULL};
static const char *const POPULATION_KINDS[] = {"points", "polygons", NULL};

/* The keys that belong to some kinds of change besides their own (bits
 * 1 << rti_change_kind). */
#define KIND_BIT(k) (1u << (k))
static const struct {
    const char *key;
    unsigned kinds;
} OWN_KEYS[] = {{"speed_kmh", KIND_BIT(RTI_CHANGE_PATCH) | KIND_BIT(RTI_CHANGE_ROADS) |
                                  KIND_BIT(RTI_CHANGE_MODIFY_ROADS)},
                {"impassable", KIND_BIT(RTI_CHANGE_PATCH)},
                {"kind", KIND_BIT(RTI_CHANGE_POPULATION)},
                {"count_column", KIND_BIT(RTI_CHANGE_POPULATION)},
                {"speed_column", KIND_BIT(RTI_CHANGE_ROADS)},
                {"access", KIND_BIT(RTI_CHANGE_ROADS)},
                {"connect_m", KIND_BIT(RTI_CHANGE_ROADS)},
                {"factor", KIND_BIT(RTI_CHANGE_MODIFY_ROADS)},
                {"closed", KIND_BIT(RTI_CHANGE_MODIFY_ROADS)}};

/* from 0 to 10000 m */
static const rti_range RANGE_CONNECT = {0.0, 10000.0, 0, "m"};
/* from 0.01 to 100 */
static const rti_range RANGE_FACTOR = {0.01, 100.0, 0, ""};

/* from 0 to 100000 minutes */
static const rti_range RANGE_THRESHOLD = {0.0, 100000.0, 0, "minutes"};

const char *rti_change_kind_name(rti_change_kind k)
{
    return k >= RTI_CHANGE_CLOSE && k <= RTI_CHANGE_CAPACITY ? CHANGE_KINDS[k] : "?";
}

/* close: a list of at least one id, each a text. */
static rt_status close_ids(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    rti_yaml_item it;
    RTI_TRY(rti_yaml_get_list(y, s, "close", 1, "facility id", &it));
    int n = fy_node_sequence_item_count(it.val);
    c->ids = rti_malloc_array(y->ctx, n, sizeof(char *), "facility ids");
    c->id_at = rti_malloc_array(y->ctx, n, sizeof(rti_where), "facility ids");
    if (!c->ids || !c->id_at)
        return RT_E_NOMEM;
    size_t k = rti_yaml_push(y, "close");
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < n; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        size_t ki = rti_yaml_push_index(y, i);
        c->id_at[i] = rti_yaml_where(e, it.at);
        c->ids[i] = NULL;
        st = rti_yaml_str(y, e, c->id_at[i], &c->ids[i]);
        c->n_ids += c->ids[i] != NULL;
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return st;
}

/* capacity: a mapping of at least one facility id to its new capacity (a
 * number from 0 to 1e12). */
static rt_status capacity_fields(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    static const rti_range range = {0.0, 1e12, 0, ""};
    rti_yaml_map m;
    RTI_TRY(rti_yaml_get_map(y, s, "capacity", 1, &m));
    const int n = fy_node_mapping_item_count(m.map);
    if (n < 1)
        return rti_yaml_fail_key(y, s, "capacity",
                                 "give at least one facility id with its new capacity "
                                 "({\"105201\": 120})");
    c->ids = rti_malloc_array(y->ctx, n, sizeof(char *), "facility ids");
    c->id_at = rti_malloc_array(y->ctx, n, sizeof(rti_where), "facility ids");
    c->capacity = rti_malloc_array(y->ctx, n, sizeof(double), "capacities");
    if (!c->ids || !c->id_at || !c->capacity)
        return RT_E_NOMEM;
    size_t k = rti_yaml_push(y, "capacity");
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < n; i++) {
        struct fy_node_pair *p = fy_node_mapping_get_by_index(m.map, i);
        struct fy_node *key = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        c->id_at[i] = rti_yaml_where(key, m.at);
        c->ids[i] = NULL;
        st = rti_yaml_str(y, key, c->id_at[i], &c->ids[i]);
        c->n_ids += c->ids[i] != NULL;
        if (st != RT_OK)
            break;
        size_t ki = rti_yaml_push(y, c->ids[i]);
        st = rti_yaml_num(y, val, rti_yaml_where(val, c->id_at[i]), "capacity", &range,
                          &c->capacity[i]);
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return st;
}

/* patch: polygons and either speed_kmh or impassable: true. */
static rt_status patch_fields(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    int impassable = 0;
    c->speed_kmh = NAN;
    RTI_TRY(rti_yaml_get_bool(y, s, "impassable", &impassable));
    int has_speed = rti_yaml_has(s, "speed_kmh");
    if (has_speed == impassable)
        return rti_yaml_fail_key(y, s, "patch",
                                 has_speed ? "a patch has either speed_kmh or impassable: true, "
                                             "not both"
                                           : "a patch needs speed_kmh (the new speed of its "
                                             "cells) or impassable: true");
    if (has_speed)
        RTI_TRY(rti_yaml_get_num(y, s, "speed_kmh", 1, &RTI_RANGE_SPEED, &c->speed_kmh));
    return rti_spec_source(y, s, "patch", 1, RTI_SRC_VECTOR, &c->patch, NULL);
}

/* roads: lines and either speed_kmh (one for all) or speed_column. */
static rt_status roads_fields(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    int has_speed = rti_yaml_has(s, "speed_kmh");
    c->speed_kmh = NAN;
    if (has_speed == rti_yaml_has(s, "speed_column"))
        return rti_yaml_fail_key(y, s, "roads",
                                 has_speed ? "new roads have either speed_kmh or speed_column, "
                                             "not both"
                                           : "new roads need speed_kmh (one speed for all) or "
                                             "speed_column (km/h per feature)");
    if (has_speed)
        RTI_TRY(rti_yaml_get_num(y, s, "speed_kmh", 1, &RTI_RANGE_SPEED, &c->speed_kmh));
    else
        RTI_TRY(rti_yaml_get_str(y, s, "speed_column", 1, &c->speed_column));
    int access = 1;
    RTI_TRY(rti_yaml_get_bool(y, s, "access", &access));
    c->no_access = !access;
    c->connect_m = 50.0;
    c->connect_given = rti_yaml_has(s, "connect_m");
    RTI_TRY(rti_yaml_get_num(y, s, "connect_m", 0, &RANGE_CONNECT, &c->connect_m));
    return rti_spec_source(y, s, "roads", 1, RTI_SRC_VECTOR, &c->patch, NULL);
}

/* modify_roads: {where, within} and one of speed_kmh, factor and closed. */
static rt_status modify_fields(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    rti_yaml_map sel;
    RTI_TRY(rti_yaml_get_map(y, s, "modify_roads", 1, &sel));
    size_t k = rti_yaml_push(y, "modify_roads");
    rt_status st = rti_yaml_check_keys(y, &sel, SELECT_KEYS, NULL, NULL);
    if (st == RT_OK)
        st = rti_yaml_get_str(y, &sel, "where", 0, &c->road_where);
    if (st == RT_OK)
        st = rti_spec_source(y, &sel, "within", 0, RTI_SRC_VECTOR, &c->within, NULL);
    if (st == RT_OK && !c->road_where && !c->within.path)
        st = rti_yaml_fail(y, sel.at,
                           "modify_roads selects roads by where (a filter on medium.roads), "
                           "within (polygons: the roads whose middle lies inside) or both");
    if (st == RT_OK && c->road_where && strchr(c->road_where, ';'))
        st = rti_yaml_fail_key(y, &sel, "where",
                               "a filter must not contain ';' (GDAL would silently drop what "
                               "follows it)");
    rti_yaml_pop(y, k);
    RTI_TRY(st);
    c->speed_kmh = c->factor = NAN;
    RTI_TRY(rti_yaml_get_bool(y, s, "closed", &c->closed));
    const int n = rti_yaml_has(s, "speed_kmh") + rti_yaml_has(s, "factor") + c->closed;
    if (n != 1)
        return rti_yaml_fail_key(y, s, "modify_roads",
                                 "modify_roads needs one of speed_kmh (the roads' new speed), "
                                 "factor (their speed times it) and closed: true%s",
                                 n ? ", not more" : "");
    RTI_TRY(rti_yaml_get_num(y, s, "speed_kmh", 0, &RTI_RANGE_SPEED, &c->speed_kmh));
    return rti_yaml_get_num(y, s, "factor", 0, &RANGE_FACTOR, &c->factor);
}

/* population: points or polygons with a count column (negative counts
 * remove people). */
static rt_status population_fields(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    int kind = 0;
    RTI_TRY(rti_yaml_get_enum(y, s, "kind", 0, POPULATION_KINDS, &kind));
    c->people_polygons = kind == 1;
    RTI_TRY(rti_yaml_get_str(y, s, "count_column", 1, &c->count_column));
    return rti_spec_source(y, s, "population", 1, kind == 1 ? RTI_SRC_VECTOR : RTI_SRC_POINTS,
                           &c->people, NULL);
}

/* One entry of changes: exactly one kind of change; facilities with the
 * kinds that change facilities, and no key of another kind. */
static rt_status change_fields(rti_yaml *y, const rti_yaml_map *s, rti_change *c)
{
    c->at = s->at;
    c->type = -1;
    RTI_TRY(rti_yaml_check_keys(y, s, CHANGE_KEYS, NULL, NULL));
    int found = -1;
    for (int k = 0; CHANGE_KINDS[k]; k++) {
        if (!rti_yaml_has(s, CHANGE_KINDS[k]))
            continue;
        if (found >= 0)
            return rti_yaml_fail_key(y, s, CHANGE_KINDS[k],
                                     "a change is one of close, close_where, add, capacity, "
                                     "patch, population, roads or modify_roads; this one also "
                                     "has "
                                     "'%s': write them as two changes",
                                     CHANGE_KINDS[found]);
        found = k;
    }
    if (found < 0 && rti_yaml_has(s, "closed"))
        return rti_yaml_fail_key(y, s, "closed",
                                 "'closed: true' closes roads, with modify_roads; did you mean "
                                 "'close' (a list of facility ids)?");
    if (found < 0)
        return rti_yaml_fail(y, s->at,
                             "a change needs one of close, close_where, add, capacity, patch, "
                             "population, roads or modify_roads");
    c->kind = (rti_change_kind)found;
    c->kind_at = rti_yaml_field(s, CHANGE_KINDS[found]).at;
    for (size_t k = 0; k < sizeof(OWN_KEYS) / sizeof(OWN_KEYS[0]); k++)
        if (!(OWN_KEYS[k].kinds & KIND_BIT(c->kind)) && rti_yaml_has(s, OWN_KEYS[k].key))
            return rti_yaml_fail_key(y, s, OWN_KEYS[k].key, "'%s' does not belong to a %s change",
                                     OWN_KEYS[k].key, CHANGE_KINDS[found]);
    const int of_facilities = c->kind <= RTI_CHANGE_ADD || c->kind == RTI_CHANGE_CAPACITY;
    if (!of_facilities && rti_yaml_has(s, "facilities"))
        return rti_yaml_fail_key(y, s, "facilities",
                                 "a %s change is for every facility type; remove 'facilities' "
                                 "(or write the facility change as a change of its own)",
                                 CHANGE_KINDS[found]);
    if (c->kind == RTI_CHANGE_PATCH)
        return patch_fields(y, s, c);
    if (c->kind == RTI_CHANGE_POPULATION)
        return population_fields(y, s, c);
    if (c->kind == RTI_CHANGE_ROADS)
        return roads_fields(y, s, c);
    if (c->kind == RTI_CHANGE_MODIFY_ROADS)
        return modify_fields(y, s, c);
    RTI_TRY(rti_yaml_get_str(y, s, "facilities", 1, &c->type_name));
    c->type_at = rti_yaml_field(s, "facilities").at;
    if (c->kind == RTI_CHANGE_CLOSE)
        return close_ids(y, s, c);
    if (c->kind == RTI_CHANGE_CAPACITY)
        return capacity_fields(y, s, c);
    if (c->kind == RTI_CHANGE_ADD)
        return rti_spec_source(y, s, "add", 1, RTI_SRC_POINTS, &c->add, NULL);
    RTI_TRY(rti_yaml_get_str(y, s, "close_where", 1, &c->where));
    if (strchr(c->where, ';')) {
        char g[RTI_YAML_SHOW_CHARS + 8];
        return rti_yaml_fail_key(y, s, "close_where",
                                 "a filter must not contain ';' (GDAL would silently drop what "
                                 "follows it), got '%s'",
                                 rti_yaml_show(g, sizeof(g), c->where, strlen(c->where)));
    }
    return RT_OK;
}

static rt_status scenario_changes(rti_yaml *y, const rti_yaml_map *s, rti_scenario *sc)
{
    rti_yaml_item it;
    char g[RTI_YAML_SHOW_CHARS + 32];
    RTI_TRY(rti_yaml_get_list(y, s, "changes", 1, "change", &it));
    int n = fy_node_sequence_item_count(it.val);
    sc->changes = rti_malloc_array(y->ctx, n, sizeof(rti_change), "scenario changes");
    if (!sc->changes)
        return RT_E_NOMEM;
    sc->n_changes = n;
    size_t k = rti_yaml_push(y, "changes");
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < n; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        rti_yaml_map m = {e, rti_yaml_where(e, it.at)};
        size_t ki = rti_yaml_push_index(y, i);
        if (!e || fy_node_get_type(e) != FYNT_MAPPING)
            st = rti_yaml_fail(y, m.at, "expected a mapping (one change), got %s",
                               rti_yaml_got(e, g, sizeof(g)));
        else
            st = change_fields(y, &m, &sc->changes[i]);
        sc->n_patches += st == RT_OK && (sc->changes[i].kind == RTI_CHANGE_PATCH ||
                                         sc->changes[i].kind == RTI_CHANGE_ROADS ||
                                         sc->changes[i].kind == RTI_CHANGE_MODIFY_ROADS);
        sc->n_people += st == RT_OK && sc->changes[i].kind == RTI_CHANGE_POPULATION;
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return st;
}

/* Scenario i of `items`, after its keys and name (rti_spec_list_read). */
static rt_status scenario_fields(rti_yaml *y, const rti_yaml_map *s, void *items, int i)
{
    rti_scenario *sc = (rti_scenario *)items + i;
    double minutes = 1.0;
    RTI_TRY(rti_spec_label(y, s, sc->name, &sc->label));
    RTI_TRY(rti_yaml_get_str(y, s, "description", 0, &sc->description));
    RTI_TRY(rti_yaml_get_num(y, s, "compare_threshold_min", 0, &RANGE_THRESHOLD, &minutes));
    sc->compare_threshold_s = minutes * 60.0;
    return scenario_changes(y, s, sc);
}

static void scenario_head(void *items, int i, char ***name, rti_where **at)
{
    rti_scenario *sc = (rti_scenario *)items + i;
    *name = &sc->name;
    *at = &sc->at;
}

/* key, one, many, named, size, keys, name_key, head, read */
static const rti_spec_list SCENARIOS = {"scenarios",     "scenario",           "scenarios",
                                        "scenario name", sizeof(rti_scenario), SCENARIO_KEYS,
                                        "name",          scenario_head,        scenario_fields};

/* Fails at the key scenarios[i].changes[j].<key> of change c. */
static rt_status change_fail(rti_yaml *y, int i, int j, const char *key, rti_where at,
                             const char *msg)
{
    size_t k = rti_yaml_push(y, "scenarios");
    rti_yaml_push_index(y, i);
    rti_yaml_push(y, "changes");
    rti_yaml_push_index(y, j);
    rti_yaml_push(y, key);
    rt_status s = rti_yaml_fail(y, at, "%s", msg);
    rti_yaml_pop(y, k);
    return s;
}

/* The facility type of every change, by name, at its key; a patch only on
 * a medium with a grid. */
static rt_status resolve_changes(rti_yaml *y, rt_study *st)
{
    char names[512], msg[1024];
    const char *list[65];
    int nl = 0;
    for (int t = 0; t < st->n_facilities && nl < 64; t++)
        list[nl++] = st->facilities[t].type;
    list[nl] = NULL;
    for (int i = 0; i < st->n_scenarios; i++)
        for (int j = 0; j < st->scenarios[i].n_changes; j++) {
            rti_change *c = &st->scenarios[i].changes[j];
            if (c->kind == RTI_CHANGE_POPULATION) {
                if (st->has_population)
                    continue;
                snprintf(msg, sizeof(msg),
                         "scenario '%s': a population change needs the study's population: "
                         "without one, every cell weighs the same",
                         st->scenarios[i].name);
                return change_fail(y, i, j, "population", c->kind_at, msg);
            }
            if (c->kind == RTI_CHANGE_PATCH) {
                if (st->medium.kind != RTI_MEDIUM_NETWORK)
                    continue;
                snprintf(msg, sizeof(msg),
                         "scenario '%s': a patch changes the grid over land, and medium type "
                         "'network' has none (medium type 'hybrid' has one: medium.offroad)",
                         st->scenarios[i].name);
                return change_fail(y, i, j, "patch", c->kind_at, msg);
            }
            const int graph =
                st->medium.kind == RTI_MEDIUM_NETWORK || st->medium.kind == RTI_MEDIUM_HYBRID;
            if (c->kind == RTI_CHANGE_ROADS || c->kind == RTI_CHANGE_MODIFY_ROADS)
                st->scenarios[i].n_graph += graph;
            if (c->kind == RTI_CHANGE_ROADS && !graph && c->connect_given) {
                snprintf(msg, sizeof(msg),
                         "scenario '%s': connect_m joins new roads to a road graph; on medium "
                         "type '%s' they are burned into the grid, where they meet every road "
                         "they cross: leave connect_m out",
                         st->scenarios[i].name, rti_medium_kind_name(st->medium.kind));
                return change_fail(y, i, j, "connect_m", c->at, msg);
            }
            if (c->kind == RTI_CHANGE_ROADS) {
                if (graph || !c->no_access)
                    continue;
                snprintf(msg, sizeof(msg),
                         "scenario '%s': on medium type '%s' new roads are burned into the grid, "
                         "where every cell a road crosses enters it; a road without access along "
                         "its length (a tunnel, a viaduct) needs a road graph (medium type "
                         "network or hybrid)",
                         st->scenarios[i].name, rti_medium_kind_name(st->medium.kind));
                return change_fail(y, i, j, "access", c->at, msg);
            }
            if (c->kind == RTI_CHANGE_MODIFY_ROADS) {
                const int model = st->medium.kind == RTI_MEDIUM_SPEED_MODEL && st->medium.has_roads;
                int before = 0; /* on a speed model: at most 8 per scenario */
                for (int k = 0; k < j; k++)
                    before += st->scenarios[i].changes[k].kind == RTI_CHANGE_MODIFY_ROADS;
                if (graph || (model && before < 8))
                    continue;
                if (model && before >= 8)
                    snprintf(msg, sizeof(msg),
                             "scenario '%s': at most 8 modify_roads changes on a speed model; "
                             "join filters with OR",
                             st->scenarios[i].name);
                else
                    snprintf(msg, sizeof(msg),
                             "scenario '%s': modify_roads changes the roads of a speed model "
                             "(medium.roads) or of a road graph (medium type network or hybrid); "
                             "medium type '%s' has none (change its grid with a patch: polygons "
                             "with a new speed, or impassable)",
                             st->scenarios[i].name, rti_medium_kind_name(st->medium.kind));
                return change_fail(y, i, j, "modify_roads", c->kind_at, msg);
            }
            for (int t = 0; t < st->n_facilities; t++)
                if (strcmp(st->facilities[t].type, c->type_name) == 0)
                    c->type = t;
            if (c->type >= 0 && c->kind == RTI_CHANGE_CAPACITY &&
                !st->facilities[c->type].capacity_column) {
                snprintf(msg, sizeof(msg),
                         "scenario '%s': facility type '%s' has no capacity_column, so its "
                         "facilities have no capacity to change",
                         st->scenarios[i].name, c->type_name);
                return change_fail(y, i, j, "capacity", c->kind_at, msg);
            }
            if (c->type >= 0)
                continue;
            const char *near = rti_suggest(c->type_name, list);
            snprintf(msg, sizeof(msg), "scenario '%s': no facility type '%s'%s%s%s (types: %s)",
                     st->scenarios[i].name, c->type_name, near ? "; did you mean '" : "",
                     near ? near : "", near ? "'?" : "", rti_yaml_join(names, sizeof(names), list));
            return change_fail(y, i, j, "facilities", c->type_at, msg);
        }
    return RT_OK;
}

rt_status rti_spec_scenarios(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    rt_status status = RT_OK;
    if (!rti_yaml_has(root, "scenarios"))
        return RT_OK;
    st->scenarios = rti_spec_list_read(y, root, &SCENARIOS, &st->n_scenarios, &status);
    return status == RT_OK ? resolve_changes(y, st) : status;
}

void rti_spec_scenarios_clear(rt_study *st)
{
    for (int i = 0; st->scenarios && i < st->n_scenarios; i++) {
        rti_scenario *sc = &st->scenarios[i];
        for (int j = 0; sc->changes && j < sc->n_changes; j++) {
            rti_change *c = &sc->changes[j];
            free(c->type_name);
            for (int k = 0; k < c->n_ids; k++)
                free(c->ids[k]);
            free(c->ids);
            free(c->id_at);
            free(c->capacity);
            free(c->where);
            rti_source_clear(&c->add);
            rti_source_clear(&c->patch);
            rti_source_clear(&c->people);
            rti_source_clear(&c->within);
            free(c->count_column);
            free(c->speed_column);
            free(c->road_where);
        }
        free(sc->changes);
        free(sc->name);
        free(sc->label);
        free(sc->description);
    }
    free(st->scenarios);
    st->scenarios = NULL;
    st->n_scenarios = 0;
}
