/* The study file's lists and small sections: facilities (with their
 * norms), population, regions and outputs. */
#define _POSIX_C_SOURCE 200809L

#include <libfyaml.h>
#include <stdio.h>
#include <string.h>

#include "study/spec/spec.h"

#define MAX_NAME_CHARS 64 /* facility types and region names */

/* Why a name of [a-z0-9_] cannot be one: it is a table or layer of
 * GeoPackage or SQLite itself (the region layers and the types' layers are
 * tables of reistijd.gpkg), or a device name that Windows gives no file or
 * folder ("con.csv", "scenarios/aux"); NULL when it can. */
static const char *reserved_name(const char *s)
{
    static const char *const prefix[] = {"gpkg_", "rtree_", "sqlite_", NULL};
    static const char *const device[] = {"con", "prn", "aux", "nul", NULL};
    if (strcmp(s, "layer_styles") == 0)
        return "is the table of the QGIS styles in the GeoPackage";
    for (const char *const *p = prefix; *p; p++)
        if (strncmp(s, *p, strlen(*p)) == 0)
            return "begins like the tables of GeoPackage and SQLite themselves";
    for (const char *const *d = device; *d; d++)
        if (strcmp(s, *d) == 0)
            return "is a device name, which Windows gives no file or folder";
    if ((strncmp(s, "com", 3) == 0 || strncmp(s, "lpt", 3) == 0) && s[3] >= '1' && s[3] <= '9' &&
        !s[4])
        return "is a device name, which Windows gives no file or folder";
    return NULL;
}

/* A name used in output file names: [a-z0-9_]+, at most 64 characters. */
rt_status rti_spec_name(rti_yaml *y, const rti_yaml_map *s, const char *name, char **out)
{
    RTI_TRY(rti_yaml_get_str(y, s, name, 1, out));
    size_t n = strlen(*out);
    char g[RTI_YAML_SHOW_CHARS + 8];
    if (n > MAX_NAME_CHARS || strspn(*out, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return rti_yaml_fail_key(y, s, name,
                                 "'%s' is not a valid name: use 1 to %d of a-z, 0-9 and _ "
                                 "(it is used in file names)",
                                 rti_yaml_show(g, sizeof(g), *out, n), MAX_NAME_CHARS);
    const char *why = reserved_name(*out);
    if (why)
        return rti_yaml_fail_key(y, s, name,
                                 "'%s' cannot be a name: it %s (the name is used in file names "
                                 "and GeoPackage layers)",
                                 rti_yaml_show(g, sizeof(g), *out, n), why);
    return RT_OK;
}

rt_status rti_spec_label(rti_yaml *y, const rti_yaml_map *s, const char *name, char **out)
{
    RTI_TRY(rti_yaml_get_str(y, s, "label", 0, out));
    if (!*out)
        return (*out = rti_yaml_dup(y, name, strlen(name))) ? RT_OK : RT_E_NOMEM;
    const size_t n = strlen(*out);
    if (n > RTI_LABEL_MAX_BYTES) {
        char g[RTI_YAML_SHOW_CHARS + 8];
        return rti_yaml_fail_key(y, s, "label",
                                 "'%s' is %zu bytes long: a label holds at most %d (it is a "
                                 "title in the report)",
                                 rti_yaml_show(g, sizeof(g), *out, n), n, RTI_LABEL_MAX_BYTES);
    }
    return RT_OK;
}

static const char *const FACILITY_KEYS[] = {
    "type",  "label",   "source",   "id_column", "name_column", "capacity_column",
    "norms", "classes", "measures", NULL};
static const char *const NORM_KEYS[] = {"minutes", "km", NULL};

/* One value x of a norms entry (item i; "minutes" or "km"), appended to
 * f->norms. */
static rt_status add_norm(rti_yaml *y, rti_where at, double x, int i, int is_km,
                          rti_facility_type *f)
{
    (void)i;
    rt_norm norm = {.kind = is_km ? RT_NORM_LENGTH : RT_NORM_TIME};
    if (is_km)
        norm.limit_m = x * 1000.0;
    else
        norm.limit_s = x * 60.0;
    /* norms name columns (beyond_30min) with 6 significant digits: two that
     * read the same there are the same norm */
    char mine[32], other[32];
    snprintf(mine, sizeof(mine), "%g", x);
    for (int j = 0; j < f->n_norms; j++) {
        if (f->norms[j].kind != norm.kind)
            continue;
        snprintf(other, sizeof(other), "%g",
                 is_km ? f->norms[j].limit_m / 1000.0 : f->norms[j].limit_s / 60.0);
        if (rt_norm_limit(&f->norms[j]) == rt_norm_limit(&norm))
            return rti_yaml_fail(y, at, "the norm %g %s is given twice", x,
                                 is_km ? "km" : "minutes");
        if (strcmp(mine, other) == 0)
            return rti_yaml_fail(y, at,
                                 "the norm %.17g %s reads as %s %s, as another norm of this "
                                 "type does (norms name columns with 6 significant digits)",
                                 x, is_km ? "km" : "minutes", mine, is_km ? "km" : "minutes");
    }
    if (f->n_norms == RT_STATS_MAX_NORMS)
        return rti_yaml_fail(y, at, "at most %d norms per facility type", RT_STATS_MAX_NORMS);
    f->norms[f->n_norms++] = norm;
    return RT_OK;
}

/* Break i (value x) of a classes entry, into f->class_km or f->class_min:
 * strictly increasing, at most RTI_MAX_CLASS_BREAKS. */
static rt_status add_class_break(rti_yaml *y, rti_where at, double x, int i, int is_km,
                                 rti_facility_type *f)
{
    double *out = is_km ? f->class_km : f->class_min;
    const char *label = is_km ? "km" : "minutes";
    if (i == RTI_MAX_CLASS_BREAKS)
        return rti_yaml_fail(y, at, "at most %d class breaks per unit", RTI_MAX_CLASS_BREAKS);
    if (i > 0 && !(x > out[i - 1]))
        return rti_yaml_fail(y, at,
                             "class breaks must increase: %g %s follows %g %s; give each break "
                             "once, from the shortest to the longest",
                             x, label, out[i - 1], label);
    out[i] = x;
    *(is_km ? &f->n_class_km : &f->n_class_min) = i + 1;
    return RT_OK;
}

typedef rt_status (*unit_add)(rti_yaml *y, rti_where at, double x, int i, int is_km,
                              rti_facility_type *f);

/* The mapping `key` of a facility type ({minutes: ..., km: ...}): each
 * unit a number or a non-empty list of numbers (an empty list is refused,
 * saying what leaving the unit out gives: `if_left_out`), each number in
 * the unit's range and handed to `add`. */
static rt_status facility_units(rti_yaml *y, const rti_yaml_map *s, const char *key,
                                const char *if_left_out, unit_add add, rti_facility_type *f)
{
    rti_yaml_map m;
    RTI_TRY(rti_yaml_get_map(y, s, key, 0, &m));
    if (!m.map)
        return RT_OK;
    size_t k = rti_yaml_push(y, key);
    rt_status st = rti_yaml_check_keys(y, &m, NORM_KEYS, NULL, NULL);
    for (int u = 0; st == RT_OK && NORM_KEYS[u]; u++) {
        rti_yaml_item it = rti_yaml_field(&m, NORM_KEYS[u]);
        if (!it.present)
            continue;
        size_t ku = rti_yaml_push(y, NORM_KEYS[u]);
        int list = it.val && fy_node_get_type(it.val) == FYNT_SEQUENCE;
        int n = list ? fy_node_sequence_item_count(it.val) : 1;
        if (n < 1)
            st = rti_yaml_fail(y, it.at,
                               "expected at least 1 value, got an empty list; leave '%s' out "
                               "for %s",
                               NORM_KEYS[u], if_left_out);
        for (int i = 0; st == RT_OK && i < n; i++) {
            struct fy_node *e = list ? fy_node_sequence_get_by_index(it.val, i) : it.val;
            rti_where ew = list ? rti_yaml_where(e, it.at) : it.at;
            size_t ki = list ? rti_yaml_push_index(y, i) : y->key_len;
            double x = 0;
            st = rti_yaml_num(y, e, ew, NORM_KEYS[u], u == 1 ? &RTI_RANGE_KM : &RTI_RANGE_MINUTES,
                              &x);
            if (st == RT_OK)
                st = add(y, ew, x, i, u == 1, f);
            rti_yaml_pop(y, ki);
        }
        rti_yaml_pop(y, ku);
    }
    rti_yaml_pop(y, k);
    return st;
}

/* Facility type i of `items`, after its keys and type (rti_spec_list_read). */
static rt_status facility_fields(rti_yaml *y, const rti_yaml_map *s, void *items, int i)
{
    rti_facility_type *f = (rti_facility_type *)items + i;
    RTI_TRY(rti_spec_label(y, s, f->type, &f->label));
    RTI_TRY(rti_spec_source(y, s, "source", 1, RTI_SRC_POINTS, &f->src, NULL));
    RTI_TRY(rti_yaml_get_str(y, s, "id_column", 0, &f->id_column));
    RTI_TRY(rti_yaml_get_str(y, s, "name_column", 0, &f->name_column));
    RTI_TRY(rti_yaml_get_str(y, s, "capacity_column", 0, &f->capacity_column));
    RTI_TRY(facility_units(y, s, "norms", "no norm in that unit", add_norm, f));
    RTI_TRY(facility_units(y, s, "classes", "the default breaks", add_class_break, f));
    return rti_spec_measures(y, s, f);
}

static void facility_head(void *items, int i, char ***name, rti_where **at)
{
    rti_facility_type *f = (rti_facility_type *)items + i;
    *name = &f->type;
    *at = &f->at;
}

/* ---------------------------------------------------------------- */
/* population:, regions:, outputs:                                  */

static const char *const POP_KINDS[] = {"raster", "grid", "polygons", "points", NULL};
static const char *const POP_KEYS[] = {"kind", "source", "count_column", NULL};

rt_status rti_spec_population(rti_yaml *y, const rti_yaml_map *s, rti_population *pop)
{
    int kind = 0;
    RTI_TRY(rti_yaml_check_keys(y, s, POP_KEYS, NULL, NULL));
    RTI_TRY(rti_yaml_get_enum(y, s, "kind", 1, POP_KINDS, &kind));
    pop->kind = (rti_pop_kind)kind;
    pop->at = s->at;
    int src = kind == RTI_POP_RASTER   ? RTI_SRC_RASTER
              : kind == RTI_POP_POINTS ? RTI_SRC_POINTS
                                       : RTI_SRC_VECTOR;
    RTI_TRY(rti_spec_source(y, s, "source", 1, src, &pop->src, NULL));
    if (kind == RTI_POP_RASTER && rti_yaml_has(s, "count_column"))
        return rti_yaml_fail_key(y, s, "count_column",
                                 "does not apply to kind raster (cells hold counts)");
    return rti_yaml_get_str(y, s, "count_column", kind == RTI_POP_GRID || kind == RTI_POP_POLYGONS,
                            &pop->count_column);
}

static const char *const REGION_KEYS[] = {"name",      "label",       "source",
                                          "id_column", "name_column", NULL};

/* Region layer i of `items`, after its keys and name (rti_spec_list_read). */
static rt_status region_fields(rti_yaml *y, const rti_yaml_map *s, void *items, int i)
{
    rti_region_layer *r = (rti_region_layer *)items + i;
    RTI_TRY(rti_spec_label(y, s, r->name, &r->label));
    RTI_TRY(rti_spec_source(y, s, "source", 1, RTI_SRC_VECTOR, &r->src, NULL));
    RTI_TRY(rti_yaml_get_str(y, s, "id_column", 1, &r->id_column));
    return rti_yaml_get_str(y, s, "name_column", 0, &r->name_column);
}

static void region_head(void *items, int i, char ***name, rti_where **at)
{
    rti_region_layer *r = (rti_region_layer *)items + i;
    *name = &r->name;
    *at = &r->at;
}

static const char *const OUTPUT_KEYS[] = {"grids",  "second",   "length",     "geopackage", "csv",
                                          "report", "closures", "isochrones", "catchments", NULL};

rt_status rti_spec_outputs(rti_yaml *y, const rti_yaml_map *s, rti_outputs *o)
{
    RTI_TRY(rti_yaml_check_keys(y, s, OUTPUT_KEYS, NULL, NULL));
    RTI_TRY(rti_yaml_get_bool(y, s, "grids", &o->grids));
    RTI_TRY(rti_yaml_get_bool(y, s, "second", &o->second));
    RTI_TRY(rti_yaml_get_bool(y, s, "length", &o->length));
    RTI_TRY(rti_yaml_get_bool(y, s, "geopackage", &o->geopackage));
    RTI_TRY(rti_yaml_get_bool(y, s, "report", &o->report));
    RTI_TRY(rti_yaml_get_bool(y, s, "closures", &o->closures));
    /* layers of reistijd.gpkg: on with it unless switched off */
    static const char *const layers[2] = {"isochrones", "catchments"};
    int *on[2] = {&o->isochrones, &o->catchments};
    for (int i = 0; i < 2; i++) {
        *on[i] = o->geopackage;
        RTI_TRY(rti_yaml_get_bool(y, s, layers[i], on[i]));
        if (*on[i] && !o->geopackage)
            return rti_yaml_fail_key(y, s, layers[i],
                                     "the %s are layers of reistijd.gpkg, which 'geopackage: "
                                     "false' turns off; leave '%s' out or set it to false",
                                     layers[i], layers[i]);
    }
    return rti_yaml_get_bool(y, s, "csv", &o->csv);
}

static const char *const grid_suffix[5] = {"time_min", "facility", "second_time_min",
                                           "second_facility", "length_m"};

const char *rti_grid_suffix(int g) { return grid_suffix[g]; }

void rti_type_file(const char *type, const char *what, const char *ext, char *buf, size_t n)
{
    snprintf(buf, n, "%s_%s.%s", type, what, ext);
}

void rti_delta_output_name(const char *type, int k, char *buf, size_t n)
{
    rti_type_file(type, k < 2 ? "delta_min" : "reach_change", k % 2 ? "qml" : "tif", buf, n);
}

void rti_region_table_name(const char *region, int compare, int csvt, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s.csv%s", region, compare ? "_compare" : "", csvt ? "t" : "");
}

void rti_scenario_file(const char *name, const char *file, char *buf, size_t n)
{
    snprintf(buf, n, "scenarios/%s%s%s", name, file ? "/" : "", file ? file : "");
}

void rti_closures_file(const rt_study *s, int t, int r, const char *ext, char *buf, size_t n)
{
    char what[256];
    snprintf(what, sizeof(what), "closures%s%s", r < 0 ? "" : "_", r < 0 ? "" : s->regions[r].name);
    rti_type_file(s->facilities[t].type, what, ext, buf, n);
}

int rti_isochrone_limits(const rti_facility_type *f, double *limits_s)
{
    int n = 0;
    for (int k = 0; k < f->n_norms; k++) {
        if (f->norms[k].kind != RT_NORM_TIME)
            continue;
        int j = n++; /* insertion, largest first */
        for (; j > 0 && limits_s[j - 1] < f->norms[k].limit_s; j--)
            limits_s[j] = limits_s[j - 1];
        limits_s[j] = f->norms[k].limit_s;
    }
    return n;
}

/* ---------------------------------------------------------------- */
/* Lists                                                            */

/* key, one, many, named, size, keys, name_key, head, read */
static const rti_spec_list FACILITIES = {
    "facilities",  "facility type", "facility types", "facility type", sizeof(rti_facility_type),
    FACILITY_KEYS, "type",          facility_head,    facility_fields};
static const rti_spec_list REGIONS = {
    "regions",   "region layer", "region layers", "region name", sizeof(rti_region_layer),
    REGION_KEYS, "name",         region_head,     region_fields};

/* Entry i of the list: its keys, its name (unique) and the rest. */
static rt_status list_entry(rti_yaml *y, const rti_yaml_map *s, const rti_spec_list *kind,
                            void *items, int i)
{
    char **name, **other;
    rti_where *at, *other_at;
    kind->head(items, i, &name, &at);
    *at = s->at;
    RTI_TRY(rti_yaml_check_keys(y, s, kind->keys, NULL, NULL));
    RTI_TRY(rti_spec_name(y, s, kind->name_key, name));
    for (int j = 0; j < i; j++) {
        kind->head(items, j, &other, &other_at);
        if (strcmp(*other, *name) == 0)
            return rti_yaml_fail_key(y, s, kind->name_key,
                                     "duplicate %s '%s' (first given at line %d)", kind->named,
                                     *name, other_at->line);
    }
    return kind->read(y, s, items, i);
}

void *rti_spec_list_read(rti_yaml *y, const rti_yaml_map *root, const rti_spec_list *kind, int *n,
                         rt_status *status)
{
    rti_yaml_item it;
    char g[RTI_YAML_SHOW_CHARS + 32];
    if ((*status = rti_yaml_get_list(y, root, kind->key, 1, kind->one, &it)) != RT_OK)
        return NULL;
    int count = fy_node_sequence_item_count(it.val);
    char *items = rti_malloc_array(y->ctx, count, kind->size, kind->many);
    if (!items) {
        *status = RT_E_NOMEM;
        return NULL;
    }
    *n = count;
    size_t k = rti_yaml_push(y, kind->key);
    for (int i = 0; i < count && *status == RT_OK; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        rti_yaml_map s = {e, rti_yaml_where(e, it.at)};
        size_t ki = rti_yaml_push_index(y, i);
        if (!e || fy_node_get_type(e) != FYNT_MAPPING)
            *status = rti_yaml_fail(y, s.at, "expected a mapping (one %s), got %s", kind->one,
                                    rti_yaml_got(e, g, sizeof(g)));
        else
            *status = list_entry(y, &s, kind, items, i);
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return items;
}

rt_status rti_spec_facilities(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    rt_status status;
    st->facilities = rti_spec_list_read(y, root, &FACILITIES, &st->n_facilities, &status);
    return status;
}

rt_status rti_spec_regions(rti_yaml *y, const rti_yaml_map *root, rt_study *st)
{
    rt_status status;
    st->regions = rti_spec_list_read(y, root, &REGIONS, &st->n_regions, &status);
    return status;
}
