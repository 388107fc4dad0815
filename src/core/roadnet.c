/* Road classes, OSM maxspeed values and connected components. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ctx_internal.h"
#include "core/roadnet.h"

static const char *const CLASSES[] = {
    "motorway",     "motorway_link", "trunk",          "trunk_link", "primary",
    "primary_link", "secondary",     "secondary_link", "tertiary",   "tertiary_link",
    "unclassified", "residential",   "living_street",  "service",    "road",
    "track",        "pedestrian",    "footway",        "cycleway",   "path",
    "bridleway",    "steps",         "nwb:R",          "nwb:P",      "nwb:G",
    "nwb:W",        "nwb:T",         "line",           NULL};

const char *const *rti_road_class_names(int *n)
{
    if (n)
        *n = (int)(sizeof(CLASSES) / sizeof(CLASSES[0])) - 1;
    return CLASSES;
}

int rti_road_class_index(const char *name)
{
    for (int i = 0; name && CLASSES[i]; i++)
        if (strcmp(CLASSES[i], name) == 0)
            return i;
    return -1;
}

/* ---- maxspeed ---- */

typedef struct implicit_speed {
    const char *code; /* "NL:urban" */
    double kmh;
} implicit_speed;

/* Statutory limits by country and road type, as OSM writes them
 * (docs/networks.md gives the sources). */
static const implicit_speed IMPLICIT[] = {
    {"NL:urban", 50},         {"NL:rural", 80},          {"NL:trunk", 100},
    {"NL:motorway", 130},     {"NL:zone30", 30},         {"NL:zone60", 60},
    {"NL:living_street", 15}, {"BE:urban", 50},          {"BE:motorway", 120},
    {"BE:zone30", 30},        {"BE:living_street", 20},  {"BE-VLG:urban", 50},
    {"BE-VLG:rural", 70},     {"BE-VLG:motorway", 120},  {"BE-WAL:urban", 50},
    {"BE-WAL:rural", 90},     {"BE-WAL:motorway", 120},  {"BE-BRU:urban", 30},
    {"BE-BRU:rural", 70},     {"BE-BRU:motorway", 120},  {"DE:urban", 50},
    {"DE:rural", 100},        {"DE:motorway", INFINITY}, {"DE:zone30", 30},
    {"DE:living_street", 7}};

/* One value ("50", "30 mph", "NL:urban", "none", "walk") of length len. */
static int parse_one(const char *s, size_t len, double *kmh)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len > 40)
        return -1;
    char buf[48];
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (strcasecmp(buf, "none") == 0) {
        *kmh = INFINITY;
        return 1;
    }
    if (strcasecmp(buf, "walk") == 0) {
        *kmh = 15;
        return 1;
    }
    for (size_t i = 0; i < sizeof(IMPLICIT) / sizeof(IMPLICIT[0]); i++)
        if (strcasecmp(buf, IMPLICIT[i].code) == 0) {
            *kmh = IMPLICIT[i].kmh;
            return 1;
        }
    /* a plain decimal number, then an optional unit */
    size_t i = 0, digits = 0;
    while (i < len && ((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '.'))
        digits += buf[i] != '.', i++;
    if (digits == 0 || strchr(buf, '.') != strrchr(buf, '.'))
        return -1;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + i || !(v > 0) || !isfinite(v))
        return -1;
    while (buf[i] == ' ')
        i++;
    const char *unit = buf + i;
    double f;
    if (*unit == '\0' || strcmp(unit, "km/h") == 0 || strcmp(unit, "kmh") == 0)
        f = 1.0;
    else if (strcmp(unit, "mph") == 0)
        f = 1.609344;
    else if (strcmp(unit, "knots") == 0)
        f = 1.852;
    else
        return -1;
    *kmh = v * f;
    return 1;
}

int rti_parse_maxspeed(const char *s, double *kmh)
{
    *kmh = NAN;
    if (!s)
        return 0;
    size_t n = strlen(s), a = 0;
    while (a < n && (s[a] == ' ' || s[a] == '\t'))
        a++;
    if (a == n)
        return 0;
    double best = INFINITY;
    const char *p = s + a;
    for (;;) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        double v;
        if (parse_one(p, len, &v) != 1)
            return -1;
        if (v < best)
            best = v;
        if (!semi)
            break;
        p = semi + 1;
    }
    *kmh = best;
    return 1;
}

/* ---- components ---- */

static int32_t uf_find(int32_t *parent, int32_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

typedef struct comp_order {
    int64_t size;
    int32_t root, lowest;
} comp_order;

static int cmp_comp(const void *a, const void *b)
{
    const comp_order *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return (x->lowest > y->lowest) - (x->lowest < y->lowest);
}

/* Numbers the roots of parent[] by decreasing size into comp[]. */
static rt_status number_components(rt_ctx *ctx, int64_t n_nodes, int32_t *parent, int32_t *comp,
                                   int64_t **sizes, int32_t *n_comp)
{
    int32_t k = 0;
    for (int64_t v = 0; v < n_nodes; v++) {
        parent[v] = uf_find(parent, (int32_t)v); /* every node points at its root */
        comp[v] = -1;
    }
    for (int64_t v = 0; v < n_nodes; v++)
        if (comp[parent[v]] < 0)
            comp[parent[v]] = k++; /* numbered by first node, kept at the root */
    comp_order *ord = rti_malloc_array(ctx, k ? k : 1, sizeof(*ord), "components");
    int32_t *rank = rti_malloc_array(ctx, k ? k : 1, sizeof(*rank), "components");
    *sizes = rti_malloc_array(ctx, k ? k : 1, sizeof(int64_t), "component sizes");
    if (!ord || !rank || !*sizes) {
        free(ord), free(rank), free(*sizes);
        *sizes = NULL;
        return RT_E_NOMEM;
    }
    for (int64_t v = 0; v < n_nodes; v++) {
        int32_t r = parent[v], c = comp[r];
        if (ord[c].size++ == 0) {
            ord[c].root = r;
            ord[c].lowest = (int32_t)v;
        }
    }
    qsort(ord, (size_t)k, sizeof(*ord), cmp_comp);
    for (int32_t i = 0; i < k; i++) {
        rank[comp[ord[i].root]] = i;
        (*sizes)[i] = ord[i].size;
    }
    for (int64_t v = 0; v < n_nodes; v++)
        parent[v] = rank[comp[parent[v]]];
    memcpy(comp, parent, (size_t)n_nodes * sizeof(int32_t));
    *n_comp = k;
    free(ord);
    free(rank);
    return RT_OK;
}

rt_status rti_road_components(rt_ctx *ctx, int64_t n_nodes, int64_t n_edges, const int32_t *from,
                              const int32_t *to, int32_t *comp, int64_t **sizes, int32_t *n_comp)
{
    *sizes = NULL;
    *n_comp = 0;
    if (n_nodes < 0 || n_nodes > INT32_MAX || n_edges < 0)
        return rti_error(ctx, RT_E_ARG, "components: %lld nodes, %lld edges", (long long)n_nodes,
                         (long long)n_edges);
    for (int64_t e = 0; e < n_edges; e++)
        if (from[e] < 0 || from[e] >= n_nodes || to[e] < 0 || to[e] >= n_nodes)
            return rti_error(ctx, RT_E_ARG, "components: edge %lld joins node %d and %d of %lld",
                             (long long)e, from[e], to[e], (long long)n_nodes);
    int32_t *parent =
        rti_alloc_array_uninit(ctx, n_nodes ? n_nodes : 1, sizeof(int32_t), "union-find");
    if (!parent)
        return RT_E_NOMEM;
    for (int64_t v = 0; v < n_nodes; v++)
        parent[v] = (int32_t)v;
    for (int64_t e = 0; e < n_edges; e++) {
        int32_t a = uf_find(parent, from[e]), b = uf_find(parent, to[e]);
        if (a != b) /* the lower root wins: the result does not depend on edge order */
            parent[a > b ? a : b] = a < b ? a : b;
    }
    rt_status st = number_components(ctx, n_nodes, parent, comp, sizes, n_comp);
    free(parent);
    return st;
}
