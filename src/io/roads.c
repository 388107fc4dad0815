/* Road networks: OSM through GDAL's OSM driver, NWB wegvakken and any line
 * layer, read into nodes and edges with their tags. The node rules are in
 * io.h; the tag rules in docs/networks.md. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/roadnet.h"
#include "io/io_internal.h"
#include "io/roads_internal.h"

enum {
    OSM_HIGHWAY,
    OSM_ID,
    OSM_MAXSPEED,
    OSM_ONEWAY,
    OSM_JUNCTION,
    OSM_ACCESS,
    OSM_VEHICLE,
    OSM_MOTOR_VEHICLE,
    OSM_MOTORCAR,
    OSM_BICYCLE,
    OSM_FOOT,
    OSM_BRIDGE,
    OSM_TUNNEL,
    OSM_ONEWAY_BICYCLE,
    OSM_N
};
static const char *const OSM_COLS[OSM_N] = {
    "highway",       "osm_id",   "maxspeed", "oneway", "junction", "access", "vehicle",
    "motor_vehicle", "motorcar", "bicycle",  "foot",   "bridge",   "tunnel", "oneway_bicycle"};

enum { NWB_BEG, NWB_END, NWB_WVK, NWB_BEH, NWB_DIR, NWB_BST, NWB_N };

enum { LN_SPEED, LN_TIME, LN_ONEWAY, LN_N };

#define N_EXAMPLES 3

typedef struct road_read {
    rti_road_format fmt;
    int col[OSM_N];
    rti_pieces pieces;
    double *bx, *by; /* vertex buffer of one feature */
    int64_t bcap;
    int64_t n_features;
    int64_t n_unparsed;
    char examples[N_EXAMPLES][32];
    int n_examples;
    int64_t n_skipped, first_skipped;
    double speed_kmh; /* LINES: one speed for all (no column), else NaN */
    int64_t n_dir_unknown, n_beh_unknown;
    char dir_example[8], beh_example[8];
    double tol;         /* the snap tolerance, m */
    int64_t n_gapped;   /* NWB wegvakken whose parts leave a gap beyond it */
    char gap_first[64]; /* the first of them, and its widest gap */
    double gap_first_m;
} road_read;

void rti_road_opts_init(rti_road_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->format = RTI_ROADS_AUTO;
    o->snap_tolerance_m = 0.5;
    o->speed_kmh = NAN;
}

void rti_roads_free(rti_roads *r)
{
    if (!r)
        return;
    free(r->x), free(r->y), free(r->from), free(r->to), free(r->length_m), free(r->cls);
    free(r->maxspeed_kmh), free(r->speed_kmh), free(r->time_s), free(r->dir_car);
    free(r->dir_bike), free(r->modes), free(r->modes_yes), free(r->flags), free(r->source_fid);
    free(r->geom_first), free(r->gx), free(r->gy);
    rti_free_texts(r->classes, r->n_classes);
    memset(r, 0, sizeof(*r));
}

/* The text of column idx, NULL when absent, null or empty. */
static const char *text(OGRFeatureH f, int idx)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return NULL;
    const char *s = OGR_F_GetFieldAsString(f, idx);
    return s && *s ? s : NULL;
}

static int is_word(const char *s, const char *const *words)
{
    for (; s && *words; words++)
        if (strcasecmp(s, *words) == 0)
            return 1;
    return 0;
}

/* ---- OSM tags ---- */

static const char *const YES[] = {"yes", "true", "1", NULL};
static const char *const NO[] = {"no", "false", "0", NULL};

/* oneway values: 1 forward, 2 backward, 0 both ways, -1 not given. */
static int oneway_value(const char *s)
{
    if (!s)
        return -1;
    if (is_word(s, YES))
        return RTI_DIR_FORWARD;
    if (strcmp(s, "-1") == 0 || strcasecmp(s, "reverse") == 0)
        return RTI_DIR_BACKWARD;
    return RTI_DIR_BOTH; /* no, false, 0, and reversible/alternating (time-dependent) */
}

/* access-type values: 1 allowed, 0 not, -1 unknown (look further up). A
 * list ("agricultural;forestry", "destination; delivery") allows when one
 * of its values allows, and does not when every value does not. */
static int access_value(const char *s)
{
    static const char *const ok[] = {"yes",       "permissive", "designated", "destination",
                                     "customers", "official",   NULL};
    static const char *const not_ok[] = {
        "no",  "private", "agricultural", "forestry",     "delivery", "military", "emergency",
        "psv", "bus",     "permit",       "use_sidepath", "dismount", NULL};
    if (!s)
        return -1;
    if (is_word(s, ok))
        return 1;
    if (is_word(s, not_ok))
        return 0;
    if (!strchr(s, ';'))
        return -1;
    char item[64];
    int n = 0, n_not = 0;
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ";");
        const char *a = p, *b = p + len;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        snprintf(item, sizeof(item), "%.*s", (int)(b - a), a);
        if (*item) {
            n++;
            if (is_word(item, ok))
                return 1;
            n_not += is_word(item, not_ok);
        }
        p += len + (p[len] == ';');
    }
    return n > 0 && n_not == n ? 0 : -1;
}

/* The most specific of the tags (listed most specific first) that decides;
 * *explicit_yes when one of the first n_own tags (the mode's own, not
 * vehicle or access) says yes. */
static int access_chain(OGRFeatureH f, const int *col, const int *chain, int n, int n_own,
                        int *explicit_yes)
{
    *explicit_yes = 0;
    for (int i = 0; i < n; i++) {
        int v = access_value(text(f, col[chain[i]]));
        if (v >= 0) {
            *explicit_yes = v == 1 && i < n_own;
            return v;
        }
    }
    return 1;
}

static void osm_access(OGRFeatureH f, const int *col, rti_piece_attr *a)
{
    static const int car[] = {OSM_MOTORCAR, OSM_MOTOR_VEHICLE, OSM_VEHICLE, OSM_ACCESS};
    static const int bike[] = {OSM_BICYCLE, OSM_VEHICLE, OSM_ACCESS};
    static const int walk[] = {OSM_FOOT, OSM_ACCESS};
    int yes;
    a->modes = a->modes_yes = 0;
    if (access_chain(f, col, car, 4, 2, &yes))
        a->modes |= RTI_MODE_CAR;
    a->modes_yes |= yes ? RTI_MODE_CAR : 0;
    if (access_chain(f, col, bike, 3, 1, &yes))
        a->modes |= RTI_MODE_BIKE;
    a->modes_yes |= yes ? RTI_MODE_BIKE : 0;
    if (access_chain(f, col, walk, 2, 1, &yes))
        a->modes |= RTI_MODE_WALK;
    a->modes_yes |= yes ? RTI_MODE_WALK : 0;
}

static void osm_maxspeed(road_read *rr, const char *s, rti_piece_attr *a)
{
    double kmh;
    if (rti_parse_maxspeed(s, &kmh) < 0) {
        rr->n_unparsed++;
        int dup = 0;
        for (int i = 0; i < rr->n_examples; i++)
            dup |= strncmp(rr->examples[i], s, sizeof(rr->examples[i]) - 1) == 0;
        if (!dup && rr->n_examples < N_EXAMPLES)
            snprintf(rr->examples[rr->n_examples++], sizeof(rr->examples[0]), "%s", s);
    }
    a->maxspeed_kmh = (float)kmh;
}

/* Returns 0 for a way that is not a road of a routable class. */
static int osm_attr(road_read *rr, OGRFeatureH f, rti_piece_attr *a)
{
    const int *col = rr->col;
    /* A text of a column that GDAL typed (bridge=yes read as a Boolean)
     * lives only until the next text of the feature: each is used before
     * the next is asked for. */
    const char *hw = text(f, col[OSM_HIGHWAY]);
    int cls = rti_road_class_index(hw);
    if (cls < 0 || strchr(hw, ':') || strcmp(hw, "line") == 0)
        return 0;
    const int motorway = strcmp(hw, "motorway") == 0;
    a->cls = cls;
    osm_maxspeed(rr, text(f, col[OSM_MAXSPEED]), a);
    const char *junction = text(f, col[OSM_JUNCTION]);
    int roundabout =
        junction && (strcmp(junction, "roundabout") == 0 || strcmp(junction, "circular") == 0);
    int dir = oneway_value(text(f, col[OSM_ONEWAY]));
    if (dir < 0)
        dir = roundabout || motorway ? RTI_DIR_FORWARD : RTI_DIR_BOTH;
    a->dir_car = (uint8_t)dir;
    int bdir = oneway_value(text(f, col[OSM_ONEWAY_BICYCLE]));
    a->dir_bike = (uint8_t)(bdir < 0 ? dir : bdir);
    osm_access(f, col, a);
    const char *bridge = text(f, col[OSM_BRIDGE]);
    const int is_bridge = bridge && !is_word(bridge, NO);
    const char *tunnel = text(f, col[OSM_TUNNEL]);
    const int is_tunnel = tunnel && !is_word(tunnel, NO);
    a->flags = (uint8_t)((is_bridge ? RTI_ROAD_BRIDGE : 0) | (is_tunnel ? RTI_ROAD_TUNNEL : 0) |
                         (roundabout ? RTI_ROAD_ROUNDABOUT : 0));
    const char *id = text(f, col[OSM_ID]);
    char *end = NULL;
    long long wid = id ? strtoll(id, &end, 10) : 0;
    a->fid = id && end && *end == '\0' ? (int64_t)wid : OGR_F_GetFID(f);
    return 1;
}

/* ---- NWB ---- */

static void upper_code(char *buf, size_t n, const char *s)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < n; i++)
        buf[i] = (char)toupper((unsigned char)s[i]);
    buf[i] = '\0';
    while (i > 0 && buf[i - 1] == ' ')
        buf[--i] = '\0';
}

static int64_t junction(OGRFeatureH f, int idx)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return RTI_NO_JUNCTION;
    return (int64_t)OGR_F_GetFieldAsInteger64(f, idx);
}

static int nwb_attr(road_read *rr, OGRFeatureH f, rti_piece_attr *a)
{
    static const char *const beh_class[] = {"nwb:R", "nwb:P", "nwb:G", "nwb:W", "nwb:T"};
    char beh[8], dir[8], bst[8];
    upper_code(beh, sizeof(beh), text(f, rr->col[NWB_BEH]));
    upper_code(dir, sizeof(dir), text(f, rr->col[NWB_DIR]));
    upper_code(bst, sizeof(bst), text(f, rr->col[NWB_BST]));
    const char *hit = beh[0] && !beh[1] ? strchr("RPGWT", beh[0]) : NULL;
    if (!hit && rr->n_beh_unknown++ == 0)
        snprintf(rr->beh_example, sizeof(rr->beh_example), "%s", beh);
    a->cls = rti_road_class_index(beh_class[hit ? hit - "RPGWT" : 4]);
    if (!dir[0] || strcmp(dir, "B") == 0) {
        a->dir_car = RTI_DIR_BOTH;
    } else if (strcmp(dir, "H") == 0) {
        a->dir_car = RTI_DIR_FORWARD;
    } else if (strcmp(dir, "T") == 0) {
        a->dir_car = RTI_DIR_BACKWARD;
    } else {
        a->dir_car = RTI_DIR_BOTH;
        if (rr->n_dir_unknown++ == 0)
            snprintf(rr->dir_example, sizeof(rr->dir_example), "%s", dir);
    }
    a->dir_bike = a->dir_car;
    /* a fietspad or voetpad is open to its modes whatever the class of its
     * road authority (a fietspad of the Rijk along a motorway) */
    a->modes = RTI_MODE_ALL;
    a->modes_yes = 0;
    if (strcmp(bst, "FP") == 0) /* fietspad */
        a->modes = a->modes_yes = RTI_MODE_BIKE | RTI_MODE_WALK;
    else if (strcmp(bst, "VP") == 0) /* voetpad */
        a->modes = a->modes_yes = RTI_MODE_WALK;
    else if (strcmp(bst, "BU") == 0) /* busbaan */
        a->modes = 0;
    a->flags = 0;
    a->maxspeed_kmh = NAN;
    a->fid = rr->col[NWB_WVK] >= 0 && OGR_F_IsFieldSetAndNotNull(f, rr->col[NWB_WVK])
                 ? (int64_t)OGR_F_GetFieldAsInteger64(f, rr->col[NWB_WVK])
                 : OGR_F_GetFID(f);
    a->jte_beg = junction(f, rr->col[NWB_BEG]);
    a->jte_end = junction(f, rr->col[NWB_END]);
    return 1;
}

/* ---- line layers ---- */

/* Returns 0 for a feature without a speed or time (skipped). */
static rt_status lines_attr(rt_ctx *ctx, road_read *rr, const rti_vlayer *v, OGRFeatureH f,
                            const char *label, rti_piece_attr *a, int *use)
{
    int idx = rr->col[LN_SPEED] >= 0 ? rr->col[LN_SPEED] : rr->col[LN_TIME];
    double val = rr->speed_kmh;
    rt_status st = idx >= 0 ? rti_field_number(ctx, v, f, idx, label, &val) : RT_OK;
    *use = 0;
    if (st != RT_OK)
        return st;
    if (isnan(val)) {
        if (rr->n_skipped++ == 0)
            rr->first_skipped = OGR_F_GetFID(f);
        return RT_OK;
    }
    const char *col = idx >= 0 ? OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, idx)) : "(speed)";
    if (!(val > 0) || !isfinite(val))
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': %g %s (must be > 0)",
                         v->path, v->name, label, col, val,
                         idx == rr->col[LN_SPEED] ? "km/h" : "s");
    a->cls = rti_road_class_index("line");
    a->maxspeed_kmh = NAN;
    a->speed_kmh = idx == rr->col[LN_SPEED] || idx < 0 ? (float)val : NAN;
    a->time_s = idx >= 0 && idx == rr->col[LN_TIME] ? (float)val : 0;
    int dir = oneway_value(text(f, rr->col[LN_ONEWAY]));
    a->dir_car = a->dir_bike = (uint8_t)(dir < 0 ? RTI_DIR_BOTH : dir);
    a->modes = RTI_MODE_ALL;
    a->modes_yes = 0;
    a->flags = 0;
    a->fid = OGR_F_GetFID(f);
    *use = 1;
    return RT_OK;
}

/* ---- geometry ---- */

/* Room for n vertices in the feature's vertex buffer. */
static rt_status vertex_room(rt_ctx *ctx, road_read *rr, int64_t n)
{
    if (n <= rr->bcap)
        return RT_OK;
    rt_status st = rti_grow_field(ctx, (void **)&rr->bx, n, sizeof(double), "road vertices");
    st = st ? st : rti_grow_field(ctx, (void **)&rr->by, n, sizeof(double), "road vertices");
    if (st == RT_OK)
        rr->bcap = n;
    return st;
}

static rt_status add_line(rt_ctx *ctx, road_read *rr, OGRGeometryH line, const rti_piece_attr *a,
                          double feature_len)
{
    int n = OGR_G_GetPointCount(line);
    if (n < 2)
        return RT_OK;
    rt_status st = vertex_room(ctx, rr, n);
    if (st != RT_OK)
        return st;
    OGR_G_GetPoints(line, rr->bx, sizeof(double), rr->by, sizeof(double), NULL, 0);
    return rti_pieces_add(ctx, &rr->pieces, a, rr->bx, rr->by, n, feature_len);
}

/* An NWB wegvak runs from junction BEG to junction END. When its geometry
 * has several parts, they are one road in the order written, joined into
 * one line (a vertex shared by two parts kept once, a gap between them
 * bridged straight): one edge BEG-END as long as the whole, never one
 * parallel edge per part, each as short as its part. */
static rt_status add_joined(rt_ctx *ctx, road_read *rr, const rti_vlayer *v, OGRGeometryH g,
                            const char *label, const rti_piece_attr *a, double feature_len)
{
    int64_t total = 0;
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
        total += OGR_G_GetPointCount(OGR_G_GetGeometryRef(g, i));
    if (total > INT_MAX)
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: %lld vertices, more than a road can have", v->path,
                         v->name, label, (long long)total);
    rt_status st = vertex_room(ctx, rr, total);
    if (st != RT_OK)
        return st;
    int n = 0;
    double widest = 0;
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
        OGRGeometryH part = OGR_G_GetGeometryRef(g, i);
        int m = OGR_G_GetPointCount(part);
        if (m == 0)
            continue;
        OGR_G_GetPoints(part, rr->bx + n, sizeof(double), rr->by + n, sizeof(double), NULL, 0);
        if (n > 0)
            widest = fmax(widest, hypot(rr->bx[n] - rr->bx[n - 1], rr->by[n] - rr->by[n - 1]));
        if (n > 0 && rr->bx[n] == rr->bx[n - 1] && rr->by[n] == rr->by[n - 1]) {
            memmove(rr->bx + n, rr->bx + n + 1, (size_t)(m - 1) * sizeof(double));
            memmove(rr->by + n, rr->by + n + 1, (size_t)(m - 1) * sizeof(double));
            m--;
        }
        n += m;
    }
    if (widest > rr->tol && rr->n_gapped++ == 0) {
        snprintf(rr->gap_first, sizeof(rr->gap_first), "%s", label);
        rr->gap_first_m = widest;
    }
    if (n < 2)
        return RT_OK;
    return rti_pieces_add(ctx, &rr->pieces, a, rr->bx, rr->by, n, feature_len);
}

static rt_status add_geometry(rt_ctx *ctx, road_read *rr, const rti_vlayer *v, OGRGeometryH g,
                              const char *label, rti_piece_attr *a)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t != wkbLineString && t != wkbMultiLineString)
        return rti_error(ctx, RT_E_DATA,
                         "%s: layer '%s': %s: a road must be a LineString or MultiLineString, "
                         "not a %s",
                         v->path, v->name, label, rti_geometry_type_name(t));
    double len = OGR_G_Length(g);
    rr->n_features++;
    if (t == wkbLineString)
        return add_line(ctx, rr, g, a, len);
    if (rr->fmt == RTI_ROADS_NWB)
        return add_joined(ctx, rr, v, g, label, a, len);
    rt_status st = RT_OK;
    for (int i = 0; st == RT_OK && i < OGR_G_GetGeometryCount(g); i++)
        st = add_line(ctx, rr, OGR_G_GetGeometryRef(g, i), a, len);
    return st;
}

static rt_status road_feature(rt_ctx *ctx, rti_vlayer *v, OGRFeatureH f, OGRGeometryH *g,
                              const char *label, void *user)
{
    road_read *rr = user;
    rti_piece_attr a = {0};
    a.speed_kmh = NAN;
    a.jte_beg = a.jte_end = RTI_NO_JUNCTION;
    int use = 1;
    rt_status st = RT_OK;
    if (rr->fmt == RTI_ROADS_OSM)
        use = osm_attr(rr, f, &a);
    else if (rr->fmt == RTI_ROADS_NWB)
        use = nwb_attr(rr, f, &a);
    else
        st = lines_attr(ctx, rr, v, f, label, &a, &use);
    if (st != RT_OK || !use)
        return st;
    if ((rr->n_features & 0x3FFF) == 0x3FFF && !rti_progress(ctx, 0.0, "read roads"))
        return rti_error(ctx, RT_E_CANCELLED, "reading %s cancelled", v->path);
    return add_geometry(ctx, rr, v, *g, label, &a);
}

/* ---- opening ---- */

static rt_status open_osm(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref, const char *crs,
                          const rti_road_opts *o, rti_vlayer *v)
{
    char cfg[1100];
    if (!o->osm_config)
        return rti_error(ctx, RT_E_ARG,
                         "%s: reading OSM roads needs the osmconf.ini of the profiles", ref->path);
    if (ref->layer && strcmp(ref->layer, "lines") != 0)
        return rti_error(ctx, RT_E_ARG, "%s: roads are read from the OSM layer 'lines', not '%s'",
                         ref->path, ref->layer);
    if (access(o->osm_config, R_OK) != 0)
        return rti_error(ctx, RT_E_IO, "%s: cannot read the OSM configuration %s", ref->path,
                         o->osm_config);
    snprintf(cfg, sizeof(cfg), "CONFIG_FILE=%s", o->osm_config);
    const char *opts[] = {cfg, "USE_CUSTOM_INDEXING=YES", NULL};
    rti_layer_ref r = *ref;
    r.layer = "lines";
    rt_status st = rti_vlayer_open_opts(ctx, e, &r, crs, opts, v);
    if (st != RT_OK)
        return st;
    /* read only the lines: the driver then keeps no features of other layers */
    OGRLayerH res = GDALDatasetExecuteSQL(v->ds, "SET interest_layers = lines", NULL, NULL);
    if (res)
        GDALDatasetReleaseResultSet(v->ds, res);
    return RT_OK;
}

static rt_status find_columns(rt_ctx *ctx, const rti_vlayer *v, const rti_road_opts *o,
                              road_read *rr)
{
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(v->lyr);
    for (int i = 0; i < OSM_N; i++)
        rr->col[i] = -1;
    if (rr->fmt == RTI_ROADS_OSM) {
        for (int i = 0; i < OSM_N; i++)
            rr->col[i] = OGR_FD_GetFieldIndex(fd, OSM_COLS[i]);
        if (rr->col[OSM_HIGHWAY] < 0)
            return rti_error(ctx, RT_E_DATA,
                             "%s: the OSM configuration does not give the tag 'highway' as a "
                             "column (is CONFIG_FILE the osmconf.ini of the profiles?)",
                             v->path);
        return RT_OK;
    }
    if (rr->fmt == RTI_ROADS_NWB) {
        static const char *const names[NWB_N] = {"jte_id_beg", "jte_id_end", "wvk_id",
                                                 "wegbehsrt",  "rijrichtng", "bst_code"};
        for (int i = 0; i < NWB_N; i++) /* OGR matches names without regard to case */
            rr->col[i] = OGR_FD_GetFieldIndex(fd, names[i]);
        if (rr->col[NWB_BST] < 0) /* the name before 2013 */
            rr->col[NWB_BST] = OGR_FD_GetFieldIndex(fd, "baansubsrt");
        return RT_OK;
    }
    if ((o->speed_column != NULL) + (o->time_column != NULL) + !isnan(o->speed_kmh) != 1)
        return rti_error(ctx, RT_E_ARG,
                         "%s: layer '%s': a road line layer needs exactly one of a speed column "
                         "(km/h), a time column (s) and one speed for all",
                         v->path, v->name);
    if (!isnan(o->speed_kmh) && !(o->speed_kmh > 0 && isfinite(o->speed_kmh)))
        return rti_error(ctx, RT_E_ARG, "%s: layer '%s': speed %g km/h (must be > 0)", v->path,
                         v->name, o->speed_kmh);
    rr->speed_kmh = o->speed_kmh;
    rt_status st = rti_vlayer_column(ctx, v, o->speed_column, &rr->col[LN_SPEED]);
    st = st ? st : rti_vlayer_column(ctx, v, o->time_column, &rr->col[LN_TIME]);
    return st ? st : rti_vlayer_column(ctx, v, o->oneway_column, &rr->col[LN_ONEWAY]);
}

static rt_status open_roads(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref, const char *crs,
                            const rti_road_opts *o, road_read *rr, rti_vlayer *v)
{
    rr->fmt = o->format;
    if (rr->fmt == RTI_ROADS_AUTO && rti_is_osm_path(ref->path))
        rr->fmt = RTI_ROADS_OSM;
    rt_status st = rr->fmt == RTI_ROADS_OSM ? open_osm(ctx, e, ref, crs, o, v)
                                            : rti_vlayer_open(ctx, e, ref, crs, v);
    if (st != RT_OK)
        return st;
    if (rr->fmt == RTI_ROADS_AUTO) {
        OGRFeatureDefnH fd = OGR_L_GetLayerDefn(v->lyr);
        int nwb = OGR_FD_GetFieldIndex(fd, "jte_id_beg") >= 0 &&
                  OGR_FD_GetFieldIndex(fd, "jte_id_end") >= 0;
        rr->fmt = nwb ? RTI_ROADS_NWB : RTI_ROADS_LINES;
    }
    st = find_columns(ctx, v, o, rr);
    if (st != RT_OK)
        rti_vlayer_close(v);
    return st;
}

/* ---- the result ---- */

/* Global class indices -> indices into out->classes (first appearance). */
static rt_status local_classes(rt_ctx *ctx, rti_roads *out)
{
    int n_all;
    const char *const *names = rti_road_class_names(&n_all);
    int map[64];
    for (int i = 0; i < n_all && i < 64; i++)
        map[i] = -1;
    out->classes = rti_malloc_array(ctx, n_all, sizeof(char *), "road classes");
    if (!out->classes)
        return RT_E_NOMEM;
    for (int64_t e = 0; e < out->n_edges; e++) {
        int g = out->cls[e];
        if (map[g] < 0) {
            if (!(out->classes[out->n_classes] = rti_strdup(ctx, names[g], "road classes")))
                return RT_E_NOMEM;
            map[g] = out->n_classes++;
        }
        out->cls[e] = map[g];
    }
    return RT_OK;
}

static void warn_counts(rt_ctx *ctx, const rti_vlayer *v, const road_read *rr)
{
    if (rr->n_unparsed) {
        char ex[128] = "";
        for (int i = 0; i < rr->n_examples; i++) {
            size_t len = strlen(ex);
            snprintf(ex + len, sizeof(ex) - len, "%s'%s'", i ? ", " : "", rr->examples[i]);
        }
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld way%s with a maxspeed that is not a speed (%s); the class speed applies",
                v->path, (long long)rr->n_unparsed, rr->n_unparsed == 1 ? "" : "s", ex);
    }
    if (rr->n_skipped)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: layer '%s': skipped %lld feature%s without a speed or time (first: feature "
                "%lld)",
                v->path, v->name, (long long)rr->n_skipped, rr->n_skipped == 1 ? "" : "s",
                (long long)rr->first_skipped);
    if (rr->n_dir_unknown)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: layer '%s': %lld wegvak%s with RIJRICHTNG '%s' or another code than H, T, B; "
                "taken as both ways",
                v->path, v->name, (long long)rr->n_dir_unknown, rr->n_dir_unknown == 1 ? "" : "ken",
                rr->dir_example);
    if (rr->n_gapped)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: layer '%s': %lld wegvak%s of several parts with a gap between two of them "
                "(first: %s, %.1f m); each is one road through its parts in the order written, "
                "its gaps as straight lines",
                v->path, v->name, (long long)rr->n_gapped, rr->n_gapped == 1 ? "" : "ken",
                rr->gap_first, rr->gap_first_m);
    if (rr->n_beh_unknown)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: layer '%s': %lld wegvak%s with WEGBEHSRT '%s' (not R, P, G, W or T); class "
                "nwb:T",
                v->path, v->name, (long long)rr->n_beh_unknown, rr->n_beh_unknown == 1 ? "" : "ken",
                rr->beh_example);
}

static rt_status finish(rt_ctx *ctx, const rti_vlayer *v, road_read *rr, const rti_road_opts *o,
                        rti_roads *out)
{
    if (rr->pieces.n == 0) {
        if (rr->fmt == RTI_ROADS_OSM)
            return rti_error(ctx, RT_E_DATA, "%s: no roads: no OSM way with a routable highway tag",
                             v->path);
        if (rr->n_skipped)
            return rti_error(ctx, RT_E_DATA,
                             "%s: layer '%s': no roads: all %lld features lack a speed or time",
                             v->path, v->name, (long long)rr->n_skipped);
        return rti_empty_layer_error(ctx, v);
    }
    double tol = rr->fmt == RTI_ROADS_OSM ? 0.0 : o->snap_tolerance_m;
    rt_status st = rti_roads_build(ctx, &rr->pieces, rr->fmt == RTI_ROADS_NWB, tol, out);
    if (st == RT_OK)
        st = local_classes(ctx, out);
    if (st != RT_OK)
        return st;
    out->format = rr->fmt;
    if (rr->fmt != RTI_ROADS_LINES || (!o->speed_column && isnan(o->speed_kmh))) {
        free(out->speed_kmh);
        out->speed_kmh = NULL;
    }
    if (rr->fmt != RTI_ROADS_LINES || !o->time_column) {
        free(out->time_s);
        out->time_s = NULL;
    }
    out->n_features = rr->n_features;
    out->n_maxspeed_unparsed = rr->n_unparsed;
    out->n_skipped = rr->n_skipped;
    out->n_dir_unknown = rr->n_dir_unknown;
    warn_counts(ctx, v, rr);
    rti_log(ctx, RT_LOG_INFO, "%s: %lld roads: %lld nodes, %lld edges", v->path,
            (long long)rr->n_features, (long long)out->n_nodes, (long long)out->n_edges);
    return RT_OK;
}

rt_status rti_read_roads(rt_ctx *ctx, const rti_layer_ref *ref, const char *crs,
                         const rti_road_opts *opts, rti_roads *out)
{
    rti_road_opts def;
    rti_gdal_err e;
    rti_vlayer v;
    road_read rr;
    memset(out, 0, sizeof(*out));
    memset(&rr, 0, sizeof(rr));
    if (!opts) {
        rti_road_opts_init(&def);
        opts = &def;
    }
    rr.tol = opts->snap_tolerance_m;
    if (!ref || !ref->path)
        return rti_error(ctx, RT_E_ARG, "roads: no path given");
    if (!(opts->snap_tolerance_m >= 0) || !isfinite(opts->snap_tolerance_m))
        return rti_error(ctx, RT_E_ARG, "%s: snap tolerance %g m (must be >= 0)", ref->path,
                         opts->snap_tolerance_m);
    rti_io_init();
    rt_status st = rti_crs_check_metric(ctx, crs);
    if (st != RT_OK)
        return st;
    rti_gdal_push(&e, ctx, ref->path);
    st = open_roads(ctx, &e, ref, crs, opts, &rr, &v);
    if (st == RT_OK) {
        st = rti_each_feature(ctx, &e, &v, road_feature, &rr);
        if (st == RT_OK)
            st = finish(ctx, &v, &rr, opts, out);
        rti_vlayer_close(&v);
    }
    rti_gdal_pop(&e);
    rti_pieces_free(&rr.pieces);
    free(rr.bx);
    free(rr.by);
    if (st != RT_OK)
        rti_roads_free(out);
    return st;
}
