/* Attribute tables without geometry: road networks as edge tables and
 * lists of node ids. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/io_internal.h"

/* The first of the candidate column names that the layer has, or -1. */
static int find_column(const rti_vlayer *v, const char *const *names, const char **found)
{
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(v->lyr);
    for (; *names; names++) {
        int i = OGR_FD_GetFieldIndex(fd, *names);
        if (i >= 0) {
            *found = *names;
            return i;
        }
    }
    *found = NULL;
    return -1;
}

static rt_status missing(rt_ctx *ctx, const rti_vlayer *v, const char *what)
{
    return rti_missing_column(ctx, v, NULL, what);
}

static rt_status id_error(rt_ctx *ctx, const rti_vlayer *v, const char *label, const char *col,
                          const char *what)
{
    return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': node id %s", v->path,
                     v->name, label, col, what);
}

/* A node id given as text: an integer in the 64-bit range, parsed exactly.
 * Returns 1 when s is an integer (*st tells whether it is in range), 0
 * when it is not written as one. */
static int text_id(rt_ctx *ctx, const rti_vlayer *v, const char *label, const char *col,
                   const char *s, int64_t *out, rt_status *st)
{
    char *end = NULL;
    errno = 0;
    long long id = strtoll(s, &end, 10);
    int erange = errno == ERANGE;
    while (end && isspace((unsigned char)*end))
        end++;
    if (end == s || !end || *end)
        return 0;
    if (erange) {
        char what[200];
        snprintf(what, sizeof(what),
                 "'%.60s' lies beyond the 64-bit range of node ids (-9223372036854775808 .. "
                 "9223372036854775807)",
                 s);
        *st = id_error(ctx, v, label, col, what);
        return 1;
    }
    *out = (int64_t)id;
    *st = RT_OK;
    return 1;
}

/* An integer node id in column idx; RT_E_DATA for a missing or
 * non-integral value, or one that cannot be told from its neighbours:
 * text beyond the 64-bit range, an integer column holding one of the ends
 * of that range (GDAL reads larger values as these), a real beyond 2^53. */
static rt_status node_id(rt_ctx *ctx, const rti_vlayer *v, OGRFeatureH f, int idx, int64_t *out)
{
    char label[64], what[200];
    int64_t fid = OGR_F_GetFID(f);
    snprintf(label, sizeof(label), "row %lld", (long long)fid);
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, idx);
    const char *col = OGR_Fld_GetNameRef(fd);
    OGRFieldType t = OGR_Fld_GetType(fd);
    if (!OGR_F_IsFieldSetAndNotNull(f, idx))
        return id_error(ctx, v, label, col, "is missing");
    if (OGR_Fld_GetSubType(fd) == OFSTBoolean)
        return id_error(ctx, v, label, col, "holds true or false, not a number");
    if (t == OFTInteger || t == OFTInteger64) {
        int64_t id = OGR_F_GetFieldAsInteger64(f, idx);
        if (id == INT64_MAX || id == INT64_MIN) {
            snprintf(what, sizeof(what),
                     "%lld lies at the end of the 64-bit range, where larger ids are read as "
                     "the same value; node ids must lie strictly between -2^63 and 2^63 - 1",
                     (long long)id);
            return id_error(ctx, v, label, col, what);
        }
        *out = id;
        return RT_OK;
    }
    double d;
    if (t == OFTReal) {
        d = OGR_F_GetFieldAsDouble(f, idx);
    } else if (t == OFTString) {
        const char *s = OGR_F_GetFieldAsString(f, idx);
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            return id_error(ctx, v, label, col, "is missing");
        rt_status st = RT_OK;
        if (text_id(ctx, v, label, col, s, out, &st))
            return st;
        char *end = NULL;
        d = strtod(s, &end);
        while (end && isspace((unsigned char)*end))
            end++;
        if (end == s || !end || *end) {
            snprintf(what, sizeof(what), "'%.60s' is not a number", s);
            return id_error(ctx, v, label, col, what);
        }
    } else {
        snprintf(what, sizeof(what), "is of type %s, not a number", OGR_GetFieldTypeName(t));
        return id_error(ctx, v, label, col, what);
    }
    if (!isfinite(d) || d != floor(d)) {
        snprintf(what, sizeof(what), "%g is not a whole number", d);
        return id_error(ctx, v, label, col, what);
    }
    if (!(fabs(d) < 9007199254740992.0)) {
        snprintf(what, sizeof(what),
                 "%.17g lies beyond +-2^53, where a real number cannot tell whole numbers "
                 "apart; give node ids as integers",
                 d);
        return id_error(ctx, v, label, col, what);
    }
    *out = (int64_t)d;
    return RT_OK;
}

/* Opens a table for its attributes. A CSV file is read as text (no type
 * detection), so that node ids are parsed exactly, not through GDAL's
 * 64-bit conversion, which clamps larger values. */
static rt_status open_table(rt_ctx *ctx, rti_gdal_err *e, const rti_layer_ref *ref, rti_vlayer *v)
{
    static const char *const as_text[] = {"AUTODETECT_TYPE=NO", NULL};
    int csv = ref && ref->path && rti_is_csv_path(ref->path);
    return rti_vlayer_open_opts(ctx, e, ref, NULL, csv ? as_text : NULL, v);
}

typedef struct edge_cols {
    int src, dst, cost, len, speed, rev, oneway;
    const char *cost_name, *len_name, *speed_name, *rev_name;
} edge_cols;

static rt_status edge_columns(rt_ctx *ctx, const rti_vlayer *v, edge_cols *c, rti_edge_table *out)
{
    static const char *const src[] = {"source", "from", "u", NULL};
    static const char *const dst[] = {"target", "to", "v", NULL};
    static const char *const cost[] = {"cost_s", "time_s", "cost", NULL};
    static const char *const len[] = {"length_m", "length", NULL};
    static const char *const speed[] = {"speed_kmh", "speed", NULL};
    static const char *const rev[] = {"reverse_cost_s", "reverse_cost", NULL};
    static const char *const oneway[] = {"oneway", NULL};
    const char *name;
    c->src = find_column(v, src, &name);
    c->dst = find_column(v, dst, &name);
    if (c->src < 0 || c->dst < 0)
        return missing(ctx, v, "an edge table needs node id columns 'source' and 'target'");
    c->cost = find_column(v, cost, &c->cost_name);
    c->len = find_column(v, len, &c->len_name);
    c->speed = find_column(v, speed, &c->speed_name);
    c->rev = find_column(v, rev, &c->rev_name);
    c->oneway = c->rev < 0 ? find_column(v, oneway, &name) : -1;
    if (c->cost < 0 && (c->len < 0 || c->speed < 0))
        return missing(ctx, v,
                       "an edge table needs a travel time column 'cost_s' (seconds), or "
                       "'length_m' and 'speed_kmh'");
    if (c->cost >= 0)
        snprintf(out->cost_desc, sizeof(out->cost_desc), "column '%s' (s)", c->cost_name);
    else
        snprintf(out->cost_desc, sizeof(out->cost_desc), "'%s' / '%s' (m, km/h)", c->len_name,
                 c->speed_name);
    return RT_OK;
}

static int is_yes(const char *s)
{
    return strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 ||
           strcasecmp(s, "y") == 0;
}

static rt_status read_edge(rt_ctx *ctx, const rti_vlayer *v, const edge_cols *c, OGRFeatureH f,
                           rti_edge_table *t, int64_t i)
{
    char label[64];
    int64_t fid = OGR_F_GetFID(f);
    snprintf(label, sizeof(label), "row %lld", (long long)fid);
    rt_status st = node_id(ctx, v, f, c->src, &t->source[i]);
    if (st == RT_OK)
        st = node_id(ctx, v, f, c->dst, &t->target[i]);
    if (st != RT_OK)
        return st;
    double len = NAN, cost, rev = NAN;
    if (c->len >= 0 && (st = rti_field_number(ctx, v, f, c->len, label, &len)) != RT_OK)
        return st;
    if (c->len >= 0 && !(len >= 0 && isfinite(len)))
        return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': length %g m", v->path,
                         v->name, label, c->len_name, len);
    if (c->cost >= 0) {
        if ((st = rti_field_number(ctx, v, f, c->cost, label, &cost)) != RT_OK)
            return st;
        if (!(cost >= 0 && isfinite(cost)))
            return rti_error(ctx, RT_E_DATA,
                             "%s: layer '%s': %s: column '%s': travel time %g s (must be a "
                             "number >= 0)",
                             v->path, v->name, label, c->cost_name, cost);
    } else {
        double kmh;
        if ((st = rti_field_number(ctx, v, f, c->speed, label, &kmh)) != RT_OK)
            return st;
        if (!(kmh > 0 && isfinite(kmh)))
            return rti_error(ctx, RT_E_DATA,
                             "%s: layer '%s': %s: column '%s': speed %g km/h (must be > 0)",
                             v->path, v->name, label, c->speed_name, kmh);
        cost = len / (kmh / 3.6);
        if (!rti_number_in_range(cost))
            return rti_error(ctx, RT_E_DATA,
                             "%s: layer '%s': %s: travel time %g s from '%s' %g m at '%s' %g "
                             "km/h %s",
                             v->path, v->name, label, cost, c->len_name, len, c->speed_name, kmh,
                             rti_number_range_rule(cost));
    }
    if (c->rev >= 0) {
        if ((st = rti_field_number(ctx, v, f, c->rev, label, &rev)) != RT_OK)
            return st;
        if (isnan(rev))
            return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s' is empty", v->path,
                             v->name, label, c->rev_name);
        if (!isfinite(rev))
            return rti_error(ctx, RT_E_DATA, "%s: layer '%s': %s: column '%s': %g s", v->path,
                             v->name, label, c->rev_name, rev);
        if (rev < 0)
            rev = NAN; /* pgRouting: no arc target -> source */
    } else if (c->oneway >= 0 && OGR_F_IsFieldSetAndNotNull(f, c->oneway) &&
               is_yes(OGR_F_GetFieldAsString(f, c->oneway))) {
        rev = NAN;
    } else {
        rev = cost;
    }
    t->cost_s[i] = cost;
    t->reverse_s[i] = rev;
    if (t->length_m)
        t->length_m[i] = (float)len;
    return RT_OK;
}

static rt_status grow_edges(rt_ctx *ctx, rti_edge_table *t, int64_t cap, int with_len)
{
    rt_status st = rti_grow_field(ctx, (void **)&t->source, cap, sizeof(int64_t), "edge table");
    if (st == RT_OK)
        st = rti_grow_field(ctx, (void **)&t->target, cap, sizeof(int64_t), "edge table");
    if (st == RT_OK)
        st = rti_grow_field(ctx, (void **)&t->cost_s, cap, sizeof(double), "edge table");
    if (st == RT_OK)
        st = rti_grow_field(ctx, (void **)&t->reverse_s, cap, sizeof(double), "edge table");
    if (st == RT_OK && with_len)
        st = rti_grow_field(ctx, (void **)&t->length_m, cap, sizeof(float), "edge table");
    return st;
}

void rti_edge_table_free(rti_edge_table *t)
{
    if (!t)
        return;
    free(t->source);
    free(t->target);
    free(t->cost_s);
    free(t->reverse_s);
    free(t->length_m);
    memset(t, 0, sizeof(*t));
}

rt_status rti_read_edge_table(rt_ctx *ctx, const rti_layer_ref *ref, rti_edge_table *out)
{
    memset(out, 0, sizeof(*out));
    rti_io_init();
    rti_gdal_err e;
    rti_vlayer v;
    edge_cols c = {-1, -1, -1, -1, -1, -1, -1, NULL, NULL, NULL, NULL};
    rti_gdal_push(&e, ctx, ref ? ref->path : NULL);
    rt_status st = open_table(ctx, &e, ref, &v);
    if (st != RT_OK)
        goto out_pop;
    st = edge_columns(ctx, &v, &c, out);
    int64_t cap = 0, n = 0;
    GIntBig count = OGR_L_GetFeatureCount(v.lyr, FALSE);
    if (st == RT_OK) {
        cap = count > 0 ? count : 1024;
        st = grow_edges(ctx, out, cap, c.len >= 0);
    }
    OGRFeatureH f;
    rti_gdal_clear(&e);
    while (st == RT_OK && (f = OGR_L_GetNextFeature(v.lyr)) != NULL) {
        if (n == cap) {
            cap += cap / 2 + 1024;
            st = grow_edges(ctx, out, cap, c.len >= 0);
        }
        if (st == RT_OK)
            st = read_edge(ctx, &v, &c, f, out, n++);
        OGR_F_Destroy(f);
        if (st == RT_OK && (n & 0xFFFF) == 0 && !rti_progress(ctx, 0.0, "read network"))
            st = rti_error(ctx, RT_E_CANCELLED, "reading %s cancelled", ref->path);
    }
    if (st == RT_OK && e.n_fail)
        st = rti_error_rename(ctx,
                              rti_error(ctx, RT_E_IO, "%s: reading layer '%s' failed: %s%s", v.path,
                                        v.name, rti_gdal_msg(&e), rti_remote_note(&e)),
                              v.vsimem, v.path);
    out->n = n;
    if (st == RT_OK && n == 0)
        st = rti_empty_layer_error(ctx, &v);
    rti_vlayer_close(&v);
out_pop:
    rti_gdal_pop(&e);
    if (st != RT_OK)
        rti_edge_table_free(out);
    return st;
}

rt_status rti_read_id_column(rt_ctx *ctx, const rti_layer_ref *ref, const char *column,
                             int64_t **ids, int64_t *n_out)
{
    *ids = NULL;
    *n_out = 0;
    rti_io_init();
    rti_gdal_err e;
    rti_vlayer v;
    rti_gdal_push(&e, ctx, ref ? ref->path : NULL);
    rt_status st = open_table(ctx, &e, ref, &v);
    if (st != RT_OK)
        goto out_pop;
    int idx = -1;
    if (column) {
        st = rti_vlayer_column(ctx, &v, column, &idx);
    } else {
        static const char *const names[] = {"node", NULL};
        const char *found;
        idx = find_column(&v, names, &found);
        if (idx < 0 && OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(v.lyr)) > 0)
            idx = 0;
        if (idx < 0)
            st = missing(ctx, &v, "no column with node ids");
    }
    int64_t cap = 0, n = 0;
    OGRFeatureH f;
    rti_gdal_clear(&e);
    while (st == RT_OK && (f = OGR_L_GetNextFeature(v.lyr)) != NULL) {
        if (n == cap) {
            cap += cap / 2 + 256;
            st = rti_grow_field(ctx, (void **)ids, cap, sizeof(int64_t), "node ids");
        }
        if (st == RT_OK)
            st = node_id(ctx, &v, f, idx, &(*ids)[n++]);
        OGR_F_Destroy(f);
    }
    if (st == RT_OK && e.n_fail)
        st = rti_error_rename(ctx,
                              rti_error(ctx, RT_E_IO, "%s: reading layer '%s' failed: %s%s", v.path,
                                        v.name, rti_gdal_msg(&e), rti_remote_note(&e)),
                              v.vsimem, v.path);
    if (st == RT_OK && n == 0)
        st = rti_empty_layer_error(ctx, &v);
    *n_out = n;
    rti_vlayer_close(&v);
out_pop:
    rti_gdal_pop(&e);
    if (st != RT_OK) {
        free(*ids);
        *ids = NULL;
        *n_out = 0;
    }
    return st;
}
