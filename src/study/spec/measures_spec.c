/* The key measures: of a facility type (docs/study-file.md, "measures"):
 * per entry a kind, its cutoff (minutes) or crow-fly distance (km), and for
 * gravity and the floating catchments a decay function with IPEA
 * accessibility's parameter names (decay_function, decay_value, sd, steps,
 * weights). Everything that can be checked without the data is checked
 * here; the capacities are checked when a run reads them. */
#define _POSIX_C_SOURCE 200809L

#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/spec/spec.h"

static const char *const MEASURE_KEYS[] = {
    "kind",        "name",         "cutoff", "crowfly_km", "route_km", "decay_function",
    "decay_value", "decay_cutoff", "sd",     "steps",      "weights",  "k",
    NULL};

/* > 0 and at most 1000 (per minute, exponent, minutes) */
static const rti_range RANGE_DECAY = {0.0, 1000.0, 1, ""};
/* from 0 to 1 */
static const rti_range RANGE_WEIGHT = {0.0, 1.0, 0, ""};

/* 1 when the measure divides the capacity of the facilities. */
static int needs_capacity(rti_measure_kind k)
{
    return k == RTI_MEASURE_CAPACITY || k == RTI_MEASURE_BALANCING || rti_measure_is_fca(k);
}

/* A list of numbers `key` (1 to RTI_DECAY_MAX_STEPS) in range r into out;
 * *n gets how many (0 when absent). */
static rt_status num_list(rti_yaml *y, const rti_yaml_map *s, const char *key, const rti_range *r,
                          double *out, int *n)
{
    *n = 0;
    if (!rti_yaml_has(s, key))
        return RT_OK;
    rti_yaml_item it;
    RTI_TRY(rti_yaml_get_list(y, s, key, 1, "number", &it));
    int m = fy_node_sequence_item_count(it.val);
    if (m > RTI_DECAY_MAX_STEPS)
        return rti_yaml_fail_key(y, s, key, "at most %d values, got %d", RTI_DECAY_MAX_STEPS, m);
    size_t k = rti_yaml_push(y, key);
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < m; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        size_t ki = rti_yaml_push_index(y, i);
        st = rti_yaml_num(y, e, rti_yaml_where(e, it.at), key, r, &out[i]);
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    *n = m;
    return st;
}

/* The decay function of a gravity or catchment measure d (cutoff in
 * minutes): decay_function and its parameters; E2SFCA has bands. */
static rt_status decay_fields(rti_yaml *y, const rti_yaml_map *s, rti_measure_def *d, double cutoff)
{
    rti_decay *dc = &d->m.decay;
    const rti_measure_kind kind = d->m.kind;
    if (kind == RTI_MEASURE_E2SFCA || kind == RTI_MEASURE_3SFCA)
        rti_decay_e2sfca(dc); /* Luo & Qi's bands unless said otherwise */
    else
        *dc = (rti_decay){.kind = RTI_DECAY_BINARY, .cutoff = cutoff};
    if (kind == RTI_MEASURE_E2SFCA) {
        if (rti_yaml_has(s, "decay_function"))
            return rti_yaml_fail_key(y, s, "decay_function",
                                     "does not apply to e2sfca, whose weights come in bands: "
                                     "give steps (minutes) and weights");
    } else {
        int fn = -1;
        RTI_TRY(rti_yaml_get_enum(y, s, "decay_function", 0, RTI_DECAY_NAMES, &fn));
        if (fn >= 0) /* 3sfca's bands give way: decay_cutoff defaults to cutoff */
            *dc = (rti_decay){.kind = (rti_decay_kind)fn, .cutoff = cutoff};
    }
    const rti_decay_kind dk = dc->kind;
    const int valued =
        dk == RTI_DECAY_EXPONENTIAL || dk == RTI_DECAY_POWER || dk == RTI_DECAY_GAUSSIAN;
    const int stepped = dk == RTI_DECAY_STEPPED || dk == RTI_DECAY_BANDS;
    const char *fname = dk == RTI_DECAY_BANDS ? "the bands of e2sfca" : RTI_DECAY_NAMES[dk];
    static const char *const only[][2] = {{"decay_value", "exponential, power and gaussian"},
                                          {"sd", "logistic"},
                                          {"decay_cutoff", "binary, linear and logistic"},
                                          {"steps", "stepped and the bands of e2sfca"},
                                          {"weights", "stepped and the bands of e2sfca"}};
    const int applies[5] = {valued, dk == RTI_DECAY_LOGISTIC,
                            dk == RTI_DECAY_BINARY || dk == RTI_DECAY_LINEAR ||
                                dk == RTI_DECAY_LOGISTIC,
                            stepped, stepped};
    for (int k = 0; k < 5; k++)
        if (!applies[k] && rti_yaml_has(s, only[k][0]))
            return rti_yaml_fail_key(y, s, only[k][0],
                                     "does not apply to decay function %s (only to %s)", fname,
                                     only[k][1]);
    if (valued)
        RTI_TRY(rti_yaml_get_num(y, s, "decay_value", 1, &RANGE_DECAY, &dc->value));
    if (dk == RTI_DECAY_LOGISTIC)
        RTI_TRY(rti_yaml_get_num(y, s, "sd", 1, &RANGE_DECAY, &dc->value));
    if (dk == RTI_DECAY_BINARY || dk == RTI_DECAY_LINEAR || dk == RTI_DECAY_LOGISTIC) {
        /* logistic: the inflection point is required, as in IPEA's
         * decay_logistic(); at the cutoff, where the search stops, the
         * weight would still be about 1/2 */
        RTI_TRY(rti_yaml_get_num(y, s, "decay_cutoff", dk == RTI_DECAY_LOGISTIC, &RTI_RANGE_MINUTES,
                                 &dc->cutoff));
        if (dk != RTI_DECAY_LOGISTIC && dc->cutoff > cutoff)
            return rti_yaml_fail_key(y, s, "decay_cutoff",
                                     "%g minutes lies beyond the measure's cutoff of %g minutes, "
                                     "where the search stops",
                                     dc->cutoff, cutoff);
    }
    if (stepped && (rti_yaml_has(s, "steps") || rti_yaml_has(s, "weights"))) {
        int ns = 0, nw = 0;
        RTI_TRY(num_list(y, s, "steps", &RTI_RANGE_MINUTES, dc->steps, &ns));
        RTI_TRY(num_list(y, s, "weights", &RANGE_WEIGHT, dc->weights, &nw));
        if (ns != nw)
            return rti_yaml_fail(y, d->at,
                                 "steps and weights must be given together, as many "
                                 "of each (got %d steps and %d weights)",
                                 ns, nw);
        dc->n_steps = ns;
        const double last = ns > 0 ? dc->steps[ns - 1] : 0.0;
        if (kind == RTI_MEASURE_E2SFCA && !rti_yaml_has(s, "cutoff"))
            d->m.cutoff = last * 60.0; /* the search ends with the last band */
        else if (last > cutoff)
            return rti_yaml_fail_key(y, s, "steps",
                                     "%g minutes lies beyond the measure's cutoff of %g minutes, "
                                     "where the search stops",
                                     last, cutoff);
    }
    if (dk == RTI_DECAY_BANDS && dc->n_steps > 0 && !rti_yaml_has(s, "steps") &&
        dc->steps[dc->n_steps - 1] < cutoff) {
        char bands[160] = ""; /* "10, 20 and 30", from the bands themselves */
        for (int i = 0; i < dc->n_steps; i++) {
            const size_t at = strlen(bands);
            snprintf(bands + at, sizeof(bands) - at, "%s%g",
                     i == 0                 ? ""
                     : i == dc->n_steps - 1 ? " and "
                                            : ", ",
                     dc->steps[i]);
        }
        return rti_yaml_fail_key(y, s, "cutoff",
                                 "%g minutes lies beyond the last of the default bands (%s "
                                 "minutes), beyond which the weight is 0: give steps and "
                                 "weights that reach the cutoff, or a cutoff of at most %g",
                                 cutoff, bands, dc->steps[dc->n_steps - 1]);
    }
    const char *why = rti_decay_check(dc);
    if (why)
        return rti_yaml_fail(y, d->at, "measure '%s': decay function %s: %s", d->name, fname, why);
    return RT_OK;
}

/* The name of a measure: its own, or made from its kind and reach
 * ("count_15min", "count_crowfly_5km", "e2sfca"). */
static rt_status measure_name(rti_yaml *y, const rti_yaml_map *s, rti_measure_def *d, double x)
{
    if (rti_yaml_has(s, "name"))
        return rti_spec_name(y, s, "name", &d->name);
    char buf[96];
    const char *kind = RTI_MEASURE_NAMES[d->m.kind];
    const char *by = d->crowfly ? "crowfly_" : d->route ? "route_" : "";
    if (d->m.kind == RTI_MEASURE_KTH)
        snprintf(buf, sizeof(buf), "nearest_%d_%s%s", d->m.k, by, *by ? "km" : "min");
    else if (d->m.kind != RTI_MEASURE_COUNT && d->m.kind != RTI_MEASURE_CAPACITY)
        snprintf(buf, sizeof(buf), "%s", kind);
    else
        snprintf(buf, sizeof(buf), "%s_%s%g%s", kind, by, x, *by ? "km" : "min");
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = '_';
    d->name = rti_yaml_dup(y, buf, strlen(buf));
    return d->name ? RT_OK : RT_E_NOMEM;
}

static rt_status measure_fields(rti_yaml *y, const rti_yaml_map *s, const rti_facility_type *f,
                                rti_measure_def *d)
{
    d->at = s->at;
    RTI_TRY(rti_yaml_check_keys(y, s, MEASURE_KEYS, NULL, NULL));
    int kind = 0;
    RTI_TRY(rti_yaml_get_enum(y, s, "kind", 1, RTI_MEASURE_NAMES, &kind));
    d->m.kind = (rti_measure_kind)kind;
    const int cumulative =
        kind == RTI_MEASURE_COUNT || kind == RTI_MEASURE_CAPACITY || rti_measure_is_cost(kind);
    if (kind == RTI_MEASURE_KTH) {
        if (!rti_yaml_has(s, "k"))
            return rti_yaml_missing(y, s, "k");
        RTI_TRY(rti_yaml_get_int(y, s, "k", 1, &d->m.k));
        if (d->m.k > RTI_MEASURE_MAX_K)
            return rti_yaml_fail_key(y, s, "k", "k must be from 1 to %d, got %d", RTI_MEASURE_MAX_K,
                                     d->m.k);
    } else if (rti_yaml_has(s, "k")) {
        return rti_yaml_fail_key(y, s, "k", "applies to kind kth_nearest only");
    }
    const int has_cut = rti_yaml_has(s, "cutoff"), has_crow = rti_yaml_has(s, "crowfly_km");
    const int has_route = rti_yaml_has(s, "route_km");
    const char *km_key = has_crow ? "crowfly_km" : "route_km";
    if ((has_crow || has_route) && !cumulative)
        return rti_yaml_fail_key(
            y, s, km_key,
            "applies to the kinds count, capacity, kth_nearest and balancing_cost only; '%s' "
            "needs travel times (cutoff, minutes)",
            RTI_MEASURE_NAMES[kind]);
    if (has_cut + has_crow + has_route > 1)
        return rti_yaml_fail_key(y, s, has_cut ? km_key : "route_km",
                                 "give one of cutoff (minutes), crowfly_km and route_km");
    double x = kind == RTI_MEASURE_E2SFCA ? 30.0 : 0.0; /* e2sfca: its last band */
    d->crowfly = has_crow;
    d->route = has_route;
    if (has_crow || has_route)
        RTI_TRY(rti_yaml_get_num(y, s, km_key, 1, &RTI_RANGE_KM, &x));
    else
        RTI_TRY(
            rti_yaml_get_num(y, s, "cutoff", kind != RTI_MEASURE_E2SFCA, &RTI_RANGE_MINUTES, &x));
    d->m.cutoff = has_crow || has_route ? x * 1000.0 : x * 60.0;
    d->m.unit = has_crow || has_route ? 1000.0 : 60.0;
    RTI_TRY(measure_name(y, s, d, x));
    if (needs_capacity(d->m.kind) && !f->capacity_column)
        return rti_yaml_fail_key(y, s, "kind",
                                 "facility type '%s': measure '%s' (%s) needs the capacity of "
                                 "every facility: give the type a capacity_column",
                                 f->type, d->name, RTI_MEASURE_NAMES[kind]);
    if (cumulative) {
        static const char *const decay_keys[] = {
            "decay_function", "decay_value", "decay_cutoff", "sd", "steps", "weights"};
        for (int k = 0; k < 6; k++)
            if (rti_yaml_has(s, decay_keys[k]))
                return rti_yaml_fail_key(y, s, decay_keys[k],
                                         "does not apply to kind %s (it takes everything within "
                                         "the cutoff alike; use kind gravity for a decay)",
                                         RTI_MEASURE_NAMES[kind]);
        return RT_OK;
    }
    return decay_fields(y, s, d, x);
}

rt_status rti_spec_measures(rti_yaml *y, const rti_yaml_map *s, rti_facility_type *f)
{
    if (!rti_yaml_has(s, "measures"))
        return RT_OK;
    rti_yaml_item it;
    RTI_TRY(rti_yaml_get_list(y, s, "measures", 1, "measure", &it));
    int n = fy_node_sequence_item_count(it.val);
    f->measures = rti_malloc_array(y->ctx, n, sizeof(rti_measure_def), "measures");
    if (!f->measures)
        return RT_E_NOMEM;
    size_t k = rti_yaml_push(y, "measures");
    rt_status st = RT_OK;
    char g[RTI_YAML_SHOW_CHARS + 32];
    for (int i = 0; st == RT_OK && i < n; i++) {
        struct fy_node *e = fy_node_sequence_get_by_index(it.val, i);
        rti_yaml_map m = {e, rti_yaml_where(e, it.at)};
        size_t ki = rti_yaml_push_index(y, i);
        f->n_measures = i + 1;
        if (!e || fy_node_get_type(e) != FYNT_MAPPING)
            st = rti_yaml_fail(y, m.at, "expected a mapping (one measure), got %s",
                               rti_yaml_got(e, g, sizeof(g)));
        else
            st = measure_fields(y, &m, f, &f->measures[i]);
        for (int j = 0; st == RT_OK && j < i; j++)
            if (strcmp(f->measures[j].name, f->measures[i].name) == 0)
                st = rti_yaml_fail(y, m.at,
                                   "facility type '%s': two measures are named '%s' (the first "
                                   "at line %d); give one of them a name",
                                   f->type, f->measures[i].name, f->measures[j].at.line);
        rti_yaml_pop(y, ki);
    }
    rti_yaml_pop(y, k);
    return st;
}

/* ---- the grid files of the types and their measures ---- */

typedef struct grid_file {
    char name[256];
    char what[200];
    rti_where at;
} grid_file;

rt_status rti_spec_output_names(rti_yaml *y, const rt_study *st)
{
    if (!st->outputs.grids)
        return RT_OK;
    int n = 0, cap = 1; /* population.tif of the measures */
    for (int t = 0; t < st->n_facilities; t++)
        cap += 5 + st->facilities[t].n_measures;
    grid_file *f = calloc((size_t)cap, sizeof(*f));
    if (!f)
        return rti_yaml_fail(y, (rti_where){1, 1}, "out of memory listing the output files");
    int any_measures = 0;
    for (int t = 0; t < st->n_facilities; t++) {
        const rti_facility_type *ft = &st->facilities[t];
        for (int g = 0; g < 5; g++) {
            if (((g == RTI_GRID_TIME2 || g == RTI_GRID_FACILITY2) && !st->outputs.second) ||
                (g == RTI_GRID_LENGTH && !st->outputs.length))
                continue;
            rti_type_file(ft->type, rti_grid_suffix(g), "tif", f[n].name, sizeof(f[n].name));
            snprintf(f[n].what, sizeof(f[n].what), "grid '%s' of type '%s'", rti_grid_suffix(g),
                     ft->type);
            f[n++].at = ft->at;
        }
        for (int k = 0; k < ft->n_measures; k++) {
            rti_type_file(ft->type, ft->measures[k].name, "tif", f[n].name, sizeof(f[n].name));
            snprintf(f[n].what, sizeof(f[n].what), "measure '%s' of type '%s'",
                     ft->measures[k].name, ft->type);
            f[n++].at = ft->measures[k].at;
            any_measures = 1;
        }
    }
    if (any_measures) {
        snprintf(f[n].name, sizeof(f[n].name), "population.tif");
        snprintf(f[n].what, sizeof(f[n].what), "population grid of the measures");
        f[n++].at = (rti_where){1, 1};
    }
    rt_status rs = RT_OK;
    for (int j = 1; j < n && rs == RT_OK; j++)
        for (int i = 0; i < j; i++)
            if (strcmp(f[i].name, f[j].name) == 0) {
                const grid_file *later = f[j].at.line >= f[i].at.line ? &f[j] : &f[i];
                rs = rti_yaml_fail(y, later->at,
                                   "%s and %s would both be written to %s; rename one of them",
                                   f[i].what, f[j].what, f[i].name);
                break;
            }
    free(f);
    return rs;
}
