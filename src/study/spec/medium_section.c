/* medium: the travel medium of the study file, one entry per medium type
 * in a table, and the rules that tie the medium to the other sections. */
#define _POSIX_C_SOURCE 200809L

#include <libfyaml.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study/spec/spec.h"

static const char *const MEDIUM_KEYS_RASTER[] = {"type", "raster", "resampling", "description",
                                                 NULL};
static const char *const MEDIUM_KEYS_MODEL[] = {
    "type",    "offroad_kmh",      "land",        "roads", "speed_column", "class_column",
    "classes", "default_road_kmh", "description", NULL};
static const char *const MEDIUM_KEYS_NETWORK[] = {
    "type",        "roads",         "format",           "speed_column",
    "time_column", "oneway_column", "snap_tolerance_m", "mode",
    "profile",     "speeds",        "access",           "description",
    NULL};
static const char *const MEDIUM_KEYS_HYBRID[] = {
    "type", "roads",   "format", "speed_column", "time_column", "oneway_column", "snap_tolerance_m",
    "mode", "profile", "speeds", "access",       "offroad",     "description",   NULL};
static const char *const MEDIUM_KEYS_ALL[] = {
    "type",        "raster",       "resampling",   "offroad_kmh",   "land",
    "roads",       "speed_column", "class_column", "classes",       "default_road_kmh",
    "description", "format",       "time_column",  "oneway_column", "snap_tolerance_m",
    "mode",        "profile",      "speeds",       "access",        "offroad",
    NULL};
static const char *const MEDIUM_KEYS_GRID[] = {
    "type",         "raster",       "resampling", "offroad_kmh",      "land",        "roads",
    "speed_column", "class_column", "classes",    "default_road_kmh", "description", NULL};
/* in the order of rti_road_format */
static const char *const ROAD_FORMATS[] = {"auto", "osm", "nwb", "lines", NULL};
static const char *const NET_MODES[] = {"car", "bike", "walk", NULL};
static const char *const ACCESS_KEYS[] = {"speed_kmh", "max_distance_m", NULL};
static const char *const RESAMPLING[] = {"near",    "bilinear", "cubic", "cubicspline",
                                         "lanczos", "average",  "mode",  "min",
                                         "max",     "med",      NULL};

/* m, key `name` of its mapping, read as {class: km/h} (rules RTI_CLASS_*)
 * into *out and *n; nothing when m->map is NULL (the key is absent). */
static rt_status class_map(rti_yaml *y, const rti_yaml_map *m, const char *name, unsigned rules,
                           const char *what, rti_road_class **out, int *n)
{
    if (!m->map)
        return RT_OK;
    size_t k = rti_yaml_push(y, name);
    rt_status st = rti_yaml_class_speeds(y, m, rules, what, out, n);
    rti_yaml_pop(y, k);
    return st;
}

/* Cross-key rules of the speed model's road settings. */
static rt_status medium_road_rules(rti_yaml *y, const rti_yaml_map *s, const rti_medium *md)
{
    static const char *const need_roads[] = {"speed_column", "class_column", "classes",
                                             "default_road_kmh", NULL};
    if (md->speed_column && md->class_column)
        return rti_yaml_fail_key(y, s, "class_column",
                                 "give either speed_column or class_column, not both");
    for (int i = 0; !md->has_roads && need_roads[i]; i++)
        if (rti_yaml_has(s, need_roads[i]))
            return rti_yaml_fail_key(y, s, need_roads[i], "'%s' needs 'roads'", need_roads[i]);
    if (md->has_roads && !md->speed_column && !md->class_column)
        return rti_yaml_fail_key(y, s, "roads", "roads need 'speed_column' or 'class_column'");
    if (md->class_column && !md->classes)
        return rti_yaml_missing(y, s, "classes");
    if (md->classes && !md->class_column)
        return rti_yaml_fail_key(y, s, "classes", "'classes' needs 'class_column'");
    return RT_OK;
}

static rt_status medium_model(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    rti_yaml_map m;
    RTI_TRY(rti_yaml_get_num(y, s, "offroad_kmh", 1, &RTI_RANGE_SPEED, &md->offroad_kmh));
    RTI_TRY(rti_spec_source(y, s, "land", 0, RTI_SRC_VECTOR, &md->land, &md->has_land));
    RTI_TRY(rti_spec_source(y, s, "roads", 0, RTI_SRC_VECTOR, &md->roads, &md->has_roads));
    RTI_TRY(rti_yaml_get_str(y, s, "speed_column", 0, &md->speed_column));
    RTI_TRY(rti_yaml_get_str(y, s, "class_column", 0, &md->class_column));
    RTI_TRY(rti_yaml_get_map(y, s, "classes", 0, &m));
    if (m.map && fy_node_mapping_item_count(m.map) < 1)
        return rti_yaml_fail_key(y, s, "classes",
                                 "needs at least one class, such as {primary: 80}");
    RTI_TRY(class_map(y, &m, "classes", RTI_CLASS_UNIQUE | RTI_CLASS_AT_KEY, "road classes",
                      &md->classes, &md->n_classes));
    md->default_road_kmh = NAN;
    RTI_TRY(rti_yaml_get_num(y, s, "default_road_kmh", 0, &RTI_RANGE_SPEED, &md->default_road_kmh));
    return medium_road_rules(y, s, md);
}

/* The road network of a network or hybrid medium (md->access_max_m holds
 * the default distance). */
static rt_status network_fields(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    static const char *const lines_only[] = {"speed_column", "time_column", "oneway_column", NULL};
    rti_yaml_map m, a;
    md->mode = -1;
    md->snap_tolerance_m = NAN;
    md->access_kmh = 5.0;
    RTI_TRY(rti_spec_source(y, s, "roads", 1, RTI_SRC_VECTOR, &md->roads, &md->has_roads));
    RTI_TRY(rti_yaml_get_enum(y, s, "format", 0, ROAD_FORMATS, &md->road_format));
    for (int i = 0; lines_only[i]; i++)
        if (rti_yaml_has(s, lines_only[i]) &&
            (md->road_format == RTI_ROADS_OSM || md->road_format == RTI_ROADS_NWB))
            return rti_yaml_fail_key(y, s, lines_only[i], "'%s' applies to format lines only",
                                     lines_only[i]);
    RTI_TRY(rti_yaml_get_str(y, s, "speed_column", 0, &md->speed_column));
    RTI_TRY(rti_yaml_get_str(y, s, "time_column", 0, &md->time_column));
    RTI_TRY(rti_yaml_get_str(y, s, "oneway_column", 0, &md->oneway_column));
    if (md->speed_column && md->time_column)
        return rti_yaml_fail_key(y, s, "time_column",
                                 "give either speed_column or time_column, not both");
    /* NWB rows without junction ids are joined by position as lines are;
     * OSM ways share their nodes */
    if (rti_yaml_has(s, "snap_tolerance_m") && md->road_format == RTI_ROADS_OSM)
        return rti_yaml_fail_key(y, s, "snap_tolerance_m",
                                 "'snap_tolerance_m' applies to formats lines and nwb only (the "
                                 "ways of OSM share their nodes)");
    RTI_TRY(
        rti_yaml_get_num(y, s, "snap_tolerance_m", 0, &RTI_RANGE_TOLERANCE, &md->snap_tolerance_m));
    RTI_TRY(rti_yaml_get_enum(y, s, "mode", 0, NET_MODES, &md->mode));
    RTI_TRY(rti_yaml_get_str(y, s, "profile", 0, &md->profile));
    if (md->profile)
        RTI_TRY(rti_spec_path(y, &md->profile));
    if (md->mode < 0 && !md->profile)
        return rti_yaml_missing(y, s, "mode");
    /* speeds: overrides of the profile's class speeds */
    RTI_TRY(rti_yaml_get_map(y, s, "speeds", 0, &m));
    RTI_TRY(class_map(y, &m, "speeds", RTI_CLASS_KNOWN | RTI_CLASS_NO | RTI_CLASS_UNIQUE,
                      "road speeds", &md->speeds, &md->n_speeds));
    RTI_TRY(rti_yaml_get_map(y, s, "access", 0, &a));
    if (a.map) {
        size_t k = rti_yaml_push(y, "access");
        rt_status st = rti_yaml_check_keys(y, &a, ACCESS_KEYS, NULL, NULL);
        if (st == RT_OK)
            st = rti_yaml_get_num(y, &a, "speed_kmh", 0, &RTI_RANGE_SPEED, &md->access_kmh);
        if (st == RT_OK)
            st = rti_yaml_get_num(y, &a, "max_distance_m", 0, &RTI_RANGE_REACH, &md->access_max_m);
        rti_yaml_pop(y, k);
        RTI_TRY(st);
    }
    return RT_OK;
}

static rt_status medium_fields(rti_yaml *y, const rti_yaml_map *s, rti_medium *md);

/* offroad: the grid medium of a hybrid medium, with the keys of its type. */
static rt_status medium_offroad(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    rti_yaml_map o;
    RTI_TRY(rti_yaml_get_map(y, s, "offroad", 1, &o));
    md->offroad = calloc(1, sizeof(*md->offroad));
    if (!md->offroad)
        return rti_error(y->ctx, RT_E_NOMEM, "out of memory");
    size_t k = rti_yaml_push(y, "offroad");
    rt_status st = medium_fields(y, &o, md->offroad);
    if (st == RT_OK && rti_medium_has_roads_graph(md->offroad))
        st = rti_yaml_fail_key(
            y, &o, "type", "the medium over land must be a grid: friction, speed or speed_model");
    rti_yaml_pop(y, k);
    return st;
}

static rt_status read_raster(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    int res = 0;
    RTI_TRY(rti_spec_source(y, s, "raster", 1, RTI_SRC_RASTER, &md->raster, NULL));
    RTI_TRY(rti_yaml_get_enum(y, s, "resampling", 0, RESAMPLING, &res));
    md->resampling = rti_yaml_dup(y, RESAMPLING[res], strlen(RESAMPLING[res]));
    return md->resampling ? RT_OK : RT_E_NOMEM;
}

static rt_status read_network(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    md->access_max_m = 500.0;
    return network_fields(y, s, md);
}

static rt_status read_hybrid(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    md->access_max_m = NAN; /* the cell size, once the study section is read */
    RTI_TRY(network_fields(y, s, md));
    return medium_offroad(y, s, md);
}

/* A medium type: its name, its keys, what is said of a key of another
 * type ("'<key>' <why>"), its reader and what it computes. */
typedef struct medium_type {
    const char *name;
    const char *const *keys;
    const char *const *others; /* the keys of the other types */
    const char *why;
    rt_status (*read)(rti_yaml *y, const rti_yaml_map *s, rti_medium *md);
    int route_lengths; /* route length grids and norms in km */
    int road_graph;    /* searched over a road graph */
} medium_type;

static const medium_type TYPES[] = {
    [RTI_MEDIUM_FRICTION] = {"friction", MEDIUM_KEYS_RASTER, MEDIUM_KEYS_GRID,
                             "applies to medium type speed_model only", read_raster, 1, 0},
    [RTI_MEDIUM_SPEED] = {"speed", MEDIUM_KEYS_RASTER, MEDIUM_KEYS_GRID,
                          "applies to medium type speed_model only", read_raster, 1, 0},
    [RTI_MEDIUM_SPEED_MODEL] = {"speed_model", MEDIUM_KEYS_MODEL, MEDIUM_KEYS_GRID,
                                "applies to medium types friction and speed only", medium_model, 1,
                                0},
    [RTI_MEDIUM_NETWORK] = {"network", MEDIUM_KEYS_NETWORK, MEDIUM_KEYS_ALL,
                            "does not apply to medium type network", read_network, 1, 1},
    [RTI_MEDIUM_HYBRID] = {"hybrid", MEDIUM_KEYS_HYBRID, MEDIUM_KEYS_ALL,
                           "does not apply to medium type hybrid (the grid medium's keys go "
                           "under 'offroad')",
                           read_hybrid, 0, 1},
};
#define N_TYPES (sizeof(TYPES) / sizeof(TYPES[0]))

static const medium_type *type_of(const rti_medium *m) { return &TYPES[m->kind]; }

const char *rti_medium_kind_name(rti_medium_kind k)
{
    return (size_t)k < N_TYPES ? TYPES[k].name : "unknown";
}

int rti_medium_has_roads_graph(const rti_medium *m) { return type_of(m)->road_graph; }

int rti_medium_has_route_lengths(const rti_medium *m) { return type_of(m)->route_lengths; }

static rt_status medium_fields(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    const char *names[N_TYPES + 1];
    int type = 0;
    for (size_t i = 0; i < N_TYPES; i++)
        names[i] = TYPES[i].name;
    names[N_TYPES] = NULL;
    md->at = s->at;
    RTI_TRY(rti_yaml_get_enum(y, s, "type", 1, names, &type));
    md->kind = (rti_medium_kind)type;
    RTI_TRY(rti_yaml_check_keys(y, s, TYPES[type].keys, TYPES[type].others, TYPES[type].why));
    RTI_TRY(TYPES[type].read(y, s, md));
    return rti_yaml_get_str(y, s, "description", 0, &md->description);
}

/* A medium without route lengths (hybrid) allows no length grid (off by
 * default there) and no norms in km; a hybrid's access distance defaults
 * to the cell size. */
rt_status rti_spec_medium_rules(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    const medium_type *t = type_of(&st->medium);
    if (t->road_graph && isnan(st->medium.access_max_m))
        st->medium.access_max_m = st->cell_m;
    if (t->route_lengths)
        return RT_OK;
    rti_yaml_map o;
    RTI_TRY(rti_yaml_get_map(y, root, "outputs", 0, &o));
    if (o.map && rti_yaml_has(&o, "length") && st->outputs.length) {
        size_t k = rti_yaml_push(y, "outputs");
        rt_status r = rti_yaml_fail_key(y, &o, "length",
                                        "route lengths are not computed for medium type %s; "
                                        "leave 'length' out or set it to false",
                                        t->name);
        rti_yaml_pop(y, k);
        return r;
    }
    st->outputs.length = 0;
    for (int i = 0; i < st->n_facilities; i++) {
        const rti_facility_type *f = &st->facilities[i];
        for (int j = 0; j < f->n_norms; j++)
            if (f->norms[j].kind == RT_NORM_LENGTH) {
                size_t k = rti_yaml_push(y, "facilities");
                rti_yaml_push_index(y, i);
                rti_yaml_push(y, "norms");
                rt_status r =
                    rti_yaml_fail(y, f->at,
                                  "norms in km need route lengths, which are not computed "
                                  "for medium type %s; use minutes",
                                  t->name);
                rti_yaml_pop(y, k);
                return r;
            }
    }
    return RT_OK;
}

rt_status rti_spec_medium(rti_yaml *y, const rti_yaml_map *s, rti_medium *md)
{
    return medium_fields(y, s, md);
}
