/* The QGIS styles of a run: a .qml file beside each GeoTIFF but
 * population.tif, and the default styles of the layers of reistijd.gpkg
 * (layer_styles), with the classes and colours of the report's maps (those
 * of a measure with the classes of its map). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx_internal.h"
#include "study/report/report.h"

static rt_status style_file(rt_ctx *ctx, const rti_report_view *v, const char *type,
                            const char *suffix, char *qml)
{
    char name[256];
    const char *tmp;
    if (!qml)
        return RT_E_NOMEM;
    rti_type_file(type, suffix, "qml", name, sizeof(name));
    rt_status st = rti_outset_add_in(ctx, v->outs, v->outdir, name, &tmp);
    if (st == RT_OK)
        st = rti_write_text(ctx, tmp, name, qml);
    free(qml);
    return st;
}

/* The facility ids that occur in the type's facility grids. */
static rt_status used_fids(rt_ctx *ctx, const rti_report_type *tr, int64_t **out, int64_t *n)
{
    *out = rti_malloc_array(ctx, tr->pts->n > 0 ? tr->pts->n : 1, sizeof(int64_t), "facility ids");
    if (!*out)
        return RT_E_NOMEM;
    *n = 0;
    for (int64_t i = 0; i < tr->pts->n; i++)
        if (tr->cell[i] >= 0)
            (*out)[(*n)++] = rti_facility_grid_value(tr->pts, tr->grid_by_row, i);
    return RT_OK;
}

static rt_status grid_styles(rt_ctx *ctx, const rti_report_state *r, const rti_report_view *v)
{
    const rt_study *s = v->study;
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && s->outputs.grids && t < s->n_facilities; t++) {
        const rti_report_type *tr = &v->types[t];
        const rti_classes *classes = &r->types[t].classes;
        const char *ty = tr->def->type;
        char title[200];
        snprintf(title, sizeof(title), RTI_T(v, RTI_L_QML_TIME_TITLE),
                 tr->def->label ? tr->def->label : ty);
        st = style_file(ctx, v, ty, rti_grid_suffix(RTI_GRID_TIME),
                        rti_qml_raster_classes(ctx, classes, title, RTI_LANG(v)));
        if (st == RT_OK && s->outputs.second)
            st = style_file(ctx, v, ty, rti_grid_suffix(RTI_GRID_TIME2),
                            rti_qml_raster_classes(ctx, classes, title, RTI_LANG(v)));
        if (st == RT_OK && s->outputs.length)
            st = style_file(ctx, v, ty, rti_grid_suffix(RTI_GRID_LENGTH),
                            rti_qml_raster_classes(ctx, &r->types[t].length, NULL, RTI_LANG(v)));
        int64_t *fids = NULL, nf = 0;
        if (st == RT_OK)
            st = used_fids(ctx, tr, &fids, &nf);
        if (st == RT_OK)
            st = style_file(ctx, v, ty, rti_grid_suffix(RTI_GRID_FACILITY),
                            rti_qml_raster_palette(ctx, fids, nf));
        if (st == RT_OK && s->outputs.second)
            st = style_file(ctx, v, ty, rti_grid_suffix(RTI_GRID_FACILITY2),
                            rti_qml_raster_palette(ctx, fids, nf));
        free(fids);
        for (int k = 0; st == RT_OK && k < tr->def->n_measures; k++) {
            const rti_measure_def *d = &tr->def->measures[k];
            char words[256], mtitle[400];
            rti_measure_words(RTI_LANG(v), d, words, sizeof(words));
            snprintf(mtitle, sizeof(mtitle), "%s: %s", rti_type_label(tr->def), words);
            st = style_file(
                ctx, v, ty, d->name,
                rti_qml_raster_classes(ctx, &r->types[t].measures[k].classes, mtitle, RTI_LANG(v)));
        }
    }
    return st;
}

typedef struct style_list {
    rti_layer_style *v;
    char **owned; /* texts to free: names, QML */
    int n, n_owned, cap;
} style_list;

static rt_status style_add(rt_ctx *ctx, style_list *l, const char *layer, const char *name,
                           char *qml, int is_default)
{
    char *nm = qml ? rti_strdup(ctx, name, "report text") : NULL;
    char *ly = nm ? rti_strdup(ctx, layer, "report text") : NULL;
    if (!ly) {
        free(qml);
        free(nm);
        return RT_E_NOMEM;
    }
    l->v[l->n++] = (rti_layer_style){ly, nm, qml, NULL, is_default};
    l->owned[l->n_owned++] = ly;
    l->owned[l->n_owned++] = nm;
    l->owned[l->n_owned++] = qml;
    return RT_OK;
}

static rt_status region_styles(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                               int r, style_list *l)
{
    const rt_study *s = v->study;
    const char *layer = s->regions[r].name;
    rti_classes share;
    rti_share_classes(&share);
    rt_status st = RT_OK;
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const rti_facility_type *f = &s->facilities[t];
        char attr[160], name[64];
        snprintf(attr, sizeof(attr), "%s_mean_min", f->type);
        snprintf(name, sizeof(name), "%.20s mean", f->type);
        st = style_add(ctx, l, layer, name,
                       rti_qml_graduated(ctx, attr, &rs->types[t].classes, RTI_LANG(v)), t == 0);
        for (int k = 0; st == RT_OK && k < f->n_norms; k++) {
            char lab[32];
            rti_norm_label(&f->norms[k], lab, sizeof(lab));
            snprintf(attr, sizeof(attr), "%s_share_beyond_%s", f->type, lab);
            snprintf(name, sizeof(name), "%.16s >%s", f->type, lab);
            st = style_add(ctx, l, layer, name, rti_qml_graduated(ctx, attr, &share, RTI_LANG(v)),
                           0);
        }
    }
    return st;
}

static rt_status gpkg_styles(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v)
{
    const rt_study *s = v->study;
    const char *gpkg = rti_outset_find(v->outs, "reistijd.gpkg");
    if (!gpkg)
        return RT_OK;
    /* per type: its facility, roads, isochrones and catchments layers, and
     * per region layer the mean and one style per norm */
    int cap = s->n_facilities * (4 + s->n_regions * (1 + RT_STATS_MAX_NORMS));
    style_list l = {NULL, NULL, 0, 0, cap};
    l.v = rti_malloc_array(ctx, cap, sizeof(*l.v), "styles");
    l.owned = rti_malloc_array(ctx, 3 * (int64_t)cap, sizeof(char *), "styles");
    rt_status st = l.v && l.owned ? RT_OK : RT_E_NOMEM;
    for (int r = 0; st == RT_OK && r < s->n_regions; r++)
        st = region_styles(ctx, rs, v, r, &l);
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        char layer[96];
        snprintf(layer, sizeof(layer), "facilities_%s", s->facilities[t].type);
        st = style_add(ctx, &l, layer, "status", rti_qml_facility_status(ctx, RTI_LANG(v)), 1);
    }
    /* a network run's roads layers (written when the node times were kept):
     * time_min in the classes of the type's travel-time maps */
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const rti_report_type *tr = &v->types[t];
        if (!tr->roads_layer)
            continue;
        char layer[96], name[64];
        snprintf(layer, sizeof(layer), "roads_%s", tr->def->type);
        snprintf(name, sizeof(name), "%.20s time", tr->def->type);
        st = style_add(ctx, &l, layer, name,
                       rti_qml_graduated_lines(ctx, "time_min", &rs->types[t].classes, RTI_LANG(v)),
                       1);
    }
    /* the isochrones on their threshold and the catchments on their mean
     * time, in the classes and colours of the type's travel-time maps */
    for (int t = 0; st == RT_OK && t < s->n_facilities; t++) {
        const rti_facility_type *f = &s->facilities[t];
        const rti_classes *c = &rs->types[t].classes;
        double limits_s[RT_STATS_MAX_NORMS];
        char layer[96], name[64];
        if (s->outputs.isochrones && rti_isochrone_limits(f, limits_s) > 0) {
            snprintf(layer, sizeof(layer), "isochrones_%s", f->type);
            snprintf(name, sizeof(name), "%.20s threshold", f->type);
            st = style_add(ctx, &l, layer, name,
                           rti_qml_graduated(ctx, "threshold_min", c, RTI_LANG(v)), 1);
        }
        if (st == RT_OK && s->outputs.catchments) {
            snprintf(layer, sizeof(layer), "catchments_%s", f->type);
            snprintf(name, sizeof(name), "%.20s mean", f->type);
            st = style_add(ctx, &l, layer, name,
                           rti_qml_graduated(ctx, "time_mean_min", c, RTI_LANG(v)), 1);
        }
    }
    if (st == RT_OK)
        st = rti_gpkg_write_styles(ctx, gpkg, l.v, l.n);
    for (int i = 0; l.owned && i < l.n_owned; i++)
        free(l.owned[i]);
    free(l.owned);
    free(l.v);
    return st;
}

rt_status rti_report_styles(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v)
{
    rt_status st = grid_styles(ctx, rs, v);
    if (st == RT_OK && v->study->outputs.geopackage)
        st = gpkg_styles(ctx, rs, v);
    return st;
}
