/* Medium type network: the roads of one travel mode searched as a graph,
 * with access legs from every cell centre and every facility to the
 * nearest road the mode uses (docs/methods.md, "Access legs"). The road
 * part of a hybrid medium too (hybrid.c). */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "core/edge_snap.h"
#include "core/roadnet.h"
#include "core/search_internal.h"
#include "study/medium/medium.h"

/* Three strings before a message of the network: "scenario '<name>',
 * after its changes: " for a scenario's copy, nothing for the baseline. */
#define SCEN_PREFIX(mr)                                                                            \
    (mr)->scen ? "scenario '" : "", (mr)->scen ? (mr)->scen : "",                                  \
        (mr)->scen ? "', after its changes: " : ""

static const char *const MODE_NAMES[] = {"car", "bike", "walk"};

static rt_status find_profile(rt_ctx *ctx, const rt_study *s, rti_net *net)
{
    const rti_medium *m = &s->medium;
    rt_status st = RT_OK;
    if (m->profile) {
        net->profile_path = strdup(m->profile);
        if (!net->profile_path)
            return rti_error(ctx, RT_E_NOMEM, "out of memory");
    } else {
        char name[32];
        snprintf(name, sizeof(name), "%s.yaml", MODE_NAMES[m->mode]);
        net->profile_path = rti_find_profile_file(ctx, name, &st);
        if (st != RT_OK)
            return st;
        if (!net->profile_path) {
            const char *dirs[3];
            int n = rti_profile_dirs(dirs);
            return rti_error(ctx, RT_E_IO,
                             "%s:%d:%d: medium.mode '%s': no profile %s in %s%s%s%s%s (set "
                             "REISTIJD_PROFILES to the folder of the profiles, or give "
                             "medium.profile)",
                             s->path, m->at.line, m->at.column, MODE_NAMES[m->mode], name, dirs[0],
                             n > 1 ? ", " : "", n > 1 ? dirs[1] : "", n > 2 ? ", " : "",
                             n > 2 ? dirs[2] : "");
        }
    }
    /* osmconf.ini: next to the profile, else in the profile folders */
    const char *slash = strrchr(net->profile_path, '/');
    if (slash) {
        size_t n = (size_t)(slash - net->profile_path);
        char *p = rti_malloc_array(ctx, (int64_t)n + 16, 1, "file name");
        if (!p)
            return RT_E_NOMEM;
        memcpy(p, net->profile_path, n);
        memcpy(p + n, "/osmconf.ini", 13);
        if (access(p, R_OK) == 0)
            net->osm_config = p;
        else
            free(p);
    }
    if (!net->osm_config)
        net->osm_config = rti_find_profile_file(ctx, "osmconf.ini", &st);
    return st;
}

static rt_status load_profile(rt_ctx *ctx, const rt_study *s, rti_net *net)
{
    const rti_medium *m = &s->medium;
    rt_status st = rti_profile_load(ctx, net->profile_path, &net->prof);
    if (st != RT_OK)
        return rti_study_at(ctx, st, s, m->at, m->profile ? "medium.profile" : "medium.mode");
    if (m->mode >= 0 && net->prof.mode != (1 << m->mode)) {
        const char *pm = net->prof.mode == RTI_MODE_CAR    ? "car"
                         : net->prof.mode == RTI_MODE_BIKE ? "bike"
                                                           : "walk";
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: medium.profile: %s is a profile for mode %s, not for mode %s",
                         s->path, m->at.line, m->at.column, net->profile_path, pm,
                         MODE_NAMES[m->mode]);
    }
    for (int i = 0; i < m->n_speeds; i++) {
        st = rti_profile_override(ctx, &net->prof, m->speeds[i].name, m->speeds[i].speed_kmh);
        if (st != RT_OK)
            return rti_study_at(ctx, st, s, m->at, "medium.speeds");
    }
    return RT_OK;
}

/* Warns about the parts of the mode's network not connected to its largest. */
static rt_status warn_components(rt_ctx *ctx, const rti_medium_run *mr, rti_net *net)
{
    const rti_medium *m = mr->spec;
    const rti_roads *r = &net->roads;
    int64_t n_used = 0;
    int32_t *from = rti_malloc_array(ctx, r->n_edges, sizeof(int32_t), "road components");
    int32_t *to = rti_malloc_array(ctx, r->n_edges, sizeof(int32_t), "road components");
    int32_t *comp = rti_malloc_array(ctx, r->n_nodes, sizeof(int32_t), "road components");
    uint8_t *touched = calloc((size_t)r->n_nodes, 1);
    int64_t *sizes = NULL;
    int32_t n_comp = 0;
    rt_status st =
        from && to && comp && touched ? RT_OK : rti_error(ctx, RT_E_NOMEM, "out of memory");
    for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++) {
        if (net->g.arc_along[e] < 0 && net->g.arc_against[e] < 0)
            continue;
        from[n_used] = r->from[e];
        to[n_used] = r->to[e];
        touched[r->from[e]] = touched[r->to[e]] = 1;
        n_used++;
    }
    if (st == RT_OK)
        st = rti_road_components(ctx, r->n_nodes, n_used, from, to, comp, &sizes, &n_comp);
    if (st == RT_OK) {
        int64_t n_nodes = 0, n_apart = 0, n_parts = 0;
        uint8_t *seen = calloc((size_t)n_comp + 1, 1);
        if (!seen)
            st = rti_error(ctx, RT_E_NOMEM, "out of memory");
        for (int64_t v = 0; st == RT_OK && v < r->n_nodes; v++) {
            if (!touched[v])
                continue;
            n_nodes++;
            if (comp[v] != 0) {
                n_apart++;
                n_parts += !seen[comp[v]];
                seen[comp[v]] = 1;
            }
        }
        free(seen);
        if (st == RT_OK && n_apart > 0)
            rti_log(ctx, RT_LOG_WARNING,
                    "%s%s%smedium.roads: %lld of the %lld nodes of the %s network (%.1f%%) lie in "
                    "%lld part%s not connected to its largest part; cells and facilities attached "
                    "there reach only one another",
                    SCEN_PREFIX(mr), (long long)n_apart, (long long)n_nodes,
                    MODE_NAMES[m->mode >= 0 ? m->mode
                                            : (net->prof.mode == RTI_MODE_CAR    ? 0
                                               : net->prof.mode == RTI_MODE_BIKE ? 1
                                                                                 : 2)],
                    100.0 * (double)n_apart / (double)n_nodes, (long long)n_parts,
                    n_parts == 1 ? "" : "s");
    }
    free(sizes);
    free(from);
    free(to);
    free(touched);
    if (st == RT_OK)
        net->comp = comp; /* kept to name what is attached to a small part */
    else
        free(comp);
    return st;
}

/* 1 when edge e lies in a part of the network not connected to its largest. */
static int on_small_part(const rti_net *net, int64_t e)
{
    return net->comp && net->comp[net->roads.from[e]] != 0;
}

/* The classes the profile's no_access lists, "motorway, motorway_link". */
static const char *closed_classes(const rti_net *net, char *buf, size_t n)
{
    int n_names;
    const char *const *names = rti_road_class_names(&n_names);
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < n_names && k < RTI_PROFILE_MAX_CLASSES && used < n; k++)
        if (net->prof.no_access[k]) {
            int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", names[k]);
            used += w > 0 ? (size_t)w : 0;
        }
    return buf;
}

const char *rti_net_closed_note(const rti_net *net, char *buf, size_t n)
{
    char classes[400];
    if (net->n_closed == 0)
        return "";
    snprintf(buf, n, " (no access leg joins the roads of the profile's no_access classes: %s)",
             closed_classes(net, classes, sizeof(classes)));
    return buf;
}

/* Attaches every cell centre to its nearest usable edge (independent per
 * cell, so the result does not depend on the threads). */
static rt_status attach_cells(rt_ctx *ctx, rti_medium_run *mr)
{
    rti_net *net = mr->net;
    const rti_medium *m = mr->spec;
    const int64_t n = mr->env.n_cells;
    const float *pop = mr->env.pop;
    net->cell_edge = rti_alloc_array_uninit(ctx, n, sizeof(int64_t), "cell attachments");
    net->cell_frac = rti_alloc_array_uninit(ctx, n, sizeof(double), "cell attachments");
    net->cell_leg_s = rti_alloc_array_uninit(ctx, n, sizeof(double), "cell attachments");
    if (!net->cell_edge || !net->cell_frac || !net->cell_leg_s)
        return RT_E_NOMEM;
    const rti_grid_spec *g = mr->env.grid;
    const double speed = m->access_kmh / 3.6, max_m = m->access_max_m;
    int64_t attached = 0;
    /* in chunks of 2^20 cells, with a progress and cancel point after each */
    const int64_t chunk = (int64_t)1 << 20;
    for (int64_t lo = 0; lo < n; lo += chunk) {
        const int64_t hi = lo + chunk < n ? lo + chunk : n;
#pragma omp parallel for num_threads(mr->env.threads) schedule(static) reduction(+ : attached)
        for (int64_t i = lo; i < hi; i++) {
            double x, y;
            rti_grid_centre(g, i, &x, &y);
            rti_edge_hit hit;
            rti_edge_index_nearest(net->ix, x, y, max_m, &hit);
            net->cell_edge[i] = hit.edge;
            net->cell_frac[i] = hit.edge >= 0 ? hit.frac : NAN;
            net->cell_leg_s[i] = hit.edge >= 0 ? hit.dist_m / speed : NAN;
            attached += hit.edge >= 0;
        }
        if (!rti_progress(ctx, (double)hi / (double)n, "medium"))
            return rti_error(ctx, RT_E_CANCELLED, "run cancelled");
    }
    net->n_attached = attached;
    mr->n_passable = attached;
    /* hybrid: cells far from the roads go over land (warned about later) */
    if (pop && mr->env.study->has_population && !mr->ops->has_grid) {
        double far = 0;
        char note[500];
        for (int64_t i = 0; i < n; i++)
            if (pop[i] > 0 && net->cell_edge[i] < 0)
                far += pop[i];
        if (far > 0)
            rti_log(ctx, RT_LOG_WARNING,
                    "%s%s%smedium: %.0f persons live in cells farther than access.max_distance_m = "
                    "%g m from a road of the network%s; they reach only a facility within that "
                    "distance (walking straight to it) and otherwise count as unreachable",
                    SCEN_PREFIX(mr), far, max_m, rti_net_closed_note(net, note, sizeof(note)));
        double apart = 0;
        for (int64_t i = 0; i < n; i++)
            if (pop[i] > 0 && net->cell_edge[i] >= 0 && on_small_part(net, net->cell_edge[i]))
                apart += pop[i];
        if (apart > 0)
            rti_log(ctx, RT_LOG_WARNING,
                    "%s%s%smedium: %.0f persons live in cells whose nearest road lies in a part of "
                    "the network not connected to its largest part; they reach only facilities "
                    "there",
                    SCEN_PREFIX(mr), apart);
    }
    return RT_OK;
}

/* The run's estimate (made before the roads were read) with the roads and
 * the graph added, against the budget, before the attachments exist. */
static rt_status check_network_memory(rt_ctx *ctx, rti_medium_run *mr)
{
    const rti_net *net = mr->net;
    const rti_roads *r = &net->roads;
    const int64_t nv = r->geom_first[r->n_edges];
    uint64_t roads = (uint64_t)r->n_edges * 64 + (uint64_t)nv * 16 + (uint64_t)r->n_nodes * 16;
    uint64_t graph = rt_graph_bytes(net->g.graph) +
                     (uint64_t)net->g.n_arcs * 28 /* arc lists kept */ +
                     (uint64_t)r->n_edges * 32; /* arc of each edge, edge times */
    /* per type searched at once: node labels, and for hybrid its seeds and starts */
    graph += (uint64_t)mr->env.team * (uint64_t)r->n_nodes * (24 + 96);
    /* every type's node labels kept for the roads layer or the scenarios' updates */
    if (mr->env.study->n_scenarios > 0 || mr->env.study->outputs.geopackage)
        graph += (uint64_t)mr->env.study->n_facilities * (uint64_t)r->n_nodes * 28;
    char what[200];
    snprintf(what, sizeof(what),
             "the grid of %d x %d cells and a road network of %lld nodes and %lld edges",
             mr->env.grid->nx, mr->env.grid->ny, (long long)r->n_nodes, (long long)r->n_edges);
    rt_status st = rti_budget_check(ctx, *mr->env.est_bytes + roads + graph, what);
    if (st == RT_OK)
        *mr->env.est_bytes += roads + graph;
    return st;
}

rt_status rti_net_read(rt_ctx *ctx, rti_medium_run *mr, rti_net *net)
{
    const rt_study *s = mr->env.study;
    rt_status st = find_profile(ctx, s, net);
    if (st == RT_OK)
        st = load_profile(ctx, s, net);
    return st == RT_OK ? rti_net_read_roads(ctx, mr, net, NULL, &net->roads) : st;
}

rt_status rti_net_read_roads(rt_ctx *ctx, const rti_medium_run *mr, const rti_net *net,
                             const char *where, rti_roads *out)
{
    const rt_study *s = mr->env.study;
    const rti_medium *m = mr->spec;
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.format = (rti_road_format)m->road_format;
    o.osm_config = net->osm_config;
    o.speed_column = m->speed_column;
    o.time_column = m->time_column;
    o.oneway_column = m->oneway_column;
    if (!isnan(m->snap_tolerance_m))
        o.snap_tolerance_m = m->snap_tolerance_m;
    rti_layer_ref ref = rti_source_ref(&m->roads, mr->env.allow_remote);
    char *both = NULL;
    if (where) { /* the study's filter and this one */
        if (!(both = rti_where_and(ctx, m->roads.where, where)))
            return RT_E_NOMEM;
        ref.where = both;
    }
    rt_status st = rti_read_roads(ctx, &ref, s->crs, &o, out);
    free(both);
    return where ? st : rti_study_at(ctx, st, s, m->roads.at, "medium.roads");
}

rt_status rti_net_graph(rt_ctx *ctx, rti_medium_run *mr)
{
    const rt_study *s = mr->env.study;
    const rti_medium *m = mr->spec;
    rti_net *net = mr->net;
    return rti_study_at(ctx, rti_roads_graph(ctx, &net->roads, &net->prof, 1, &net->g), s,
                        m->roads.at, "medium.roads");
}

rt_status rti_net_edge_index(rt_ctx *ctx, const rti_medium_run *mr, const rti_net *net,
                             int joinable, const uint8_t *no_access, struct rti_edge_index **out,
                             int64_t *n_closed)
{
    const rti_roads *r = &net->roads;
    /* the edges the mode uses; for the access legs not a road without
     * access along its length (a scenario's tunnel, a class of the
     * profile's no_access: motorways) */
    uint8_t *usable = rti_malloc_array(ctx, r->n_edges, 1, "edge index");
    if (!usable)
        return RT_E_NOMEM;
    unsigned char closed_class[RTI_PROFILE_MAX_CLASSES] = {0};
    for (int c = 0; joinable && c < r->n_classes && c < RTI_PROFILE_MAX_CLASSES; c++) {
        const int k = rti_road_class_index(r->classes[c]);
        closed_class[c] = k >= 0 && k < RTI_PROFILE_MAX_CLASSES && net->prof.no_access[k];
    }
    int64_t closed = 0;
    for (int64_t e = 0; e < r->n_edges; e++) {
        usable[e] = (net->g.arc_along[e] >= 0 || net->g.arc_against[e] >= 0) &&
                    !(joinable && no_access && no_access[e]);
        if (usable[e] && closed_class[r->cls[e]]) {
            usable[e] = 0;
            closed++;
        }
    }
    if (n_closed)
        *n_closed = closed;
    rti_polylines pl = {r->n_edges, r->geom_first, r->gx, r->gy};
    const double bucket = fmin(fmax(mr->spec->access_max_m, 50.0), 500.0);
    rt_status st = rti_study_at(ctx, rti_edge_index_build(ctx, &pl, usable, bucket, out),
                                mr->env.study, mr->spec->roads.at, "medium.roads");
    free(usable);
    return st;
}

rt_status rti_net_finish(rt_ctx *ctx, rti_medium_run *mr, const uint8_t *no_access)
{
    const rt_study *s = mr->env.study;
    const rti_medium *m = mr->spec;
    rti_net *net = mr->net;
    if (net->g.n_edges_used == 0)
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: %s%s%smedium.roads: none of the %lld roads is open to the "
                         "mode of profile %s",
                         s->path, m->roads.at.line, m->roads.at.column, SCEN_PREFIX(mr),
                         (long long)net->roads.n_edges, net->profile_path);
    rti_log(ctx, RT_LOG_INFO,
            "%s%s%smedium.roads: %lld nodes, %lld edges, %lld used by the mode (%s)",
            SCEN_PREFIX(mr), (long long)net->roads.n_nodes, (long long)net->roads.n_edges,
            (long long)net->g.n_edges_used, net->profile_path);
    rt_status st = warn_components(ctx, mr, net);
    if (st != RT_OK)
        return st;
    const rti_roads *r = &net->roads;
    net->w_along = rti_alloc_array_uninit(ctx, r->n_edges, sizeof(double), "edge times");
    net->w_against = rti_alloc_array_uninit(ctx, r->n_edges, sizeof(double), "edge times");
    if (!net->w_along || !net->w_against)
        return RT_E_NOMEM;
    for (int64_t e = 0; e < r->n_edges; e++) {
        int64_t a = net->g.arc_along[e], b = net->g.arc_against[e];
        net->w_along[e] = a >= 0 ? net->g.time_s[a] : NAN;
        net->w_against[e] = b >= 0 ? net->g.time_s[b] : NAN;
    }
    st = rti_net_edge_index(ctx, mr, net, 1, no_access, &net->ix, &net->n_closed);
    if (st == RT_OK && net->n_closed) {
        char classes[400];
        rti_log(ctx, RT_LOG_INFO,
                "%s%s%smedium.roads: no access leg joins the %lld edges of the profile's "
                "no_access classes (%s)",
                SCEN_PREFIX(mr), (long long)net->n_closed,
                closed_classes(net, classes, sizeof(classes)));
    }
    if (st == RT_OK)
        st = check_network_memory(ctx, mr);
    if (st == RT_OK)
        st = attach_cells(ctx, mr);
    return st;
}

rt_status rti_net_build(rt_ctx *ctx, rti_medium_run *mr)
{
    rti_net *net = calloc(1, sizeof(*net));
    if (!net)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    mr->net = net;
    rt_status st = rti_net_read(ctx, mr, net);
    if (st == RT_OK)
        st = rti_net_graph(ctx, mr);
    return st == RT_OK ? rti_net_finish(ctx, mr, NULL) : st;
}

void rti_net_free(rti_net *net)
{
    if (!net)
        return;
    rti_roads_free(&net->roads);
    rti_profile_free(&net->prof);
    rti_road_graph_free(&net->g);
    rti_edge_index_destroy(net->ix);
    free(net->profile_path);
    free(net->osm_config);
    free(net->comp);
    free(net->cell_edge);
    free(net->cell_frac);
    free(net->cell_leg_s);
    free(net->w_along);
    free(net->w_against);
    free(net);
}

static int fac_cmp(const void *pa, const void *pb)
{
    const rti_net_fac *a = pa, *b = pb;
    if (a->edge != b->edge)
        return a->edge < b->edge ? -1 : 1;
    return (a->facility > b->facility) - (a->facility < b->facility);
}

/* Facility i at its place on the roads: the starts from the edge's ends
 * (from -> along, to -> against), with the route length covered there. */
static void add_road_starts(const rti_net *net, rti_starts *s, const rti_edge_hit *hit,
                            double leg_s, int32_t i)
{
    const int64_t e = hit->edge;
    const double w_along = net->w_along[e], w_against = net->w_against[e];
    const double len = net->roads.length_m[e];
    s->fa[s->fa_n++] = (rti_net_fac){e, hit->frac, leg_s, i, hit->dist_m};
    const double from_a = rti_edge_share(hit->frac, w_along),
                 from_b = rti_edge_share(1.0 - hit->frac, w_against);
    if (!isnan(from_a)) {
        s->nsrc_m[s->n_nsrc] = (float)(hit->dist_m + hit->frac * len);
        s->nsrc[s->n_nsrc++] = (rt_source){net->roads.from[e], i, leg_s + from_a};
    }
    if (!isnan(from_b)) {
        s->nsrc_m[s->n_nsrc] = (float)(hit->dist_m + (1.0 - hit->frac) * len);
        s->nsrc[s->n_nsrc++] = (rt_source){net->roads.to[e], i, leg_s + from_b};
    }
}

rt_status rti_net_attach(rt_ctx *ctx, rti_medium_run *mr, const rti_facility_type *def,
                         const rti_points *pts, const char *what, int own_counts, rti_placement *p)
{
    const rti_net *net = mr->net;
    rti_starts *s = p->starts;
    const rti_medium *m = mr->spec;
    const int64_t n = pts->n;
    s->nsrc = rti_malloc_array(ctx, 2 * n, sizeof(rt_source), "start nodes");
    s->nsrc_m = rti_malloc_array(ctx, 2 * n, sizeof(float), "start nodes");
    s->fa = rti_malloc_array(ctx, n, sizeof(rti_net_fac), "start nodes");
    if (own_counts) {
        p->snap_m = rti_malloc_array(ctx, n, sizeof(double), "start nodes");
        p->cell = rti_malloc_array(ctx, n, sizeof(int64_t), "start nodes");
    }
    if (!s->nsrc || !s->nsrc_m || !s->fa || (own_counts && (!p->snap_m || !p->cell)))
        return RT_E_NOMEM;
    int64_t outside = 0, moved = 0;
    char note[500];
    rti_idlist far = {0}, apart = {0};
    const double speed = m->access_kmh / 3.6;
    for (int64_t i = 0; i < n; i++) {
        const int64_t cell = rti_grid_cell_at(mr->env.grid, pts->x[i], pts->y[i]);
        if (own_counts) {
            p->snap_m[i] = NAN;
            p->cell[i] = -1;
        }
        if (cell < 0) {
            outside++; /* beyond the study extent, as with a grid medium */
            continue;
        }
        rti_edge_hit hit;
        rti_edge_index_nearest(net->ix, pts->x[i], pts->y[i], m->access_max_m, &hit);
        if (hit.edge < 0) {
            rti_idlist_add(&far, pts, i, 1);
            continue;
        }
        if (own_counts) {
            p->snap_m[i] = hit.dist_m;
            p->cell[i] = cell;
        }
        moved += hit.dist_m > 0;
        if (on_small_part(net, hit.edge))
            rti_idlist_add(&apart, pts, i, 0);
        add_road_starts(net, s, &hit, hit.dist_m / speed, (int32_t)i);
    }
    qsort(s->fa, (size_t)s->fa_n, sizeof(*s->fa), fac_cmp);
    if (!own_counts) {
        if (far.n)
            rti_log(ctx, RT_LOG_INFO,
                    "%s: %lld of %lld facilities inside the study extent have no road of the "
                    "network within access.max_distance_m = %g m%s and are reached over land only",
                    what, (long long)far.n, (long long)n, m->access_max_m,
                    rti_net_closed_note(net, note, sizeof(note)));
        return RT_OK;
    }
    p->n_snapped = moved;
    p->n_dropped = outside + far.n;
    rti_log_facilities_outside(ctx, what, outside, n);
    if (far.n)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld of %lld facilities inside the study extent have no road of the network "
                "within access.max_distance_m = %g m%s and are left out: %s%s",
                what, (long long)far.n, (long long)n, m->access_max_m,
                rti_net_closed_note(net, note, sizeof(note)), far.text, rti_idlist_more(&far));
    if (apart.n)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld facilit%s on roads in a part of the network not connected to its "
                "largest part and serve%s only the cells there: %s%s",
                what, (long long)apart.n, apart.n == 1 ? "y lies" : "ies lie",
                apart.n == 1 ? "s" : "", apart.text, rti_idlist_more(&apart));
    if (s->fa_n == 0) {
        const rt_study *st = mr->env.study;
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: %s: none of the %lld facilities lies within the study extent "
                         "and within access.max_distance_m = %g m of a road of the network%s",
                         st->path, def->at.line, def->at.column, what, (long long)n,
                         m->access_max_m, rti_net_closed_note(net, note, sizeof(note)));
    }
    return RT_OK;
}

/* What the cell labels need of the roads and of the type's facilities. */
rti_net_cells rti_net_cells_of(const rti_medium_run *mr, const rti_starts *s)
{
    const rti_net *net = mr->net;
    return (rti_net_cells){.n_cells = mr->env.n_cells,
                           .cell_edge = net->cell_edge,
                           .cell_frac = net->cell_frac,
                           .cell_leg_s = net->cell_leg_s,
                           .edge_from = net->roads.from,
                           .edge_to = net->roads.to,
                           .w_along = net->w_along,
                           .w_against = net->w_against,
                           .edge_len_m = net->roads.length_m,
                           .access_m_per_s = mr->spec->access_kmh / 3.6,
                           .fa = s->fa,
                           .fa_n = s->fa_n};
}

void rti_net_walk_cells(const rti_medium_run *mr, double px, double py,
                        void (*fn)(void *user, int64_t cell, double d_m), void *user)
{
    const rti_grid_spec *g = mr->env.grid;
    const double max_m = mr->spec->access_max_m;
    /* cells whose centre may lie within max_m of the point */
    const double c0 = (px - g->x0) / g->cell_m, r0 = (g->y1 - py) / g->cell_m;
    const double span = max_m / g->cell_m;
    const int64_t clo = (int64_t)fmax(0.0, floor(c0 - span - 0.5));
    const int64_t chi = (int64_t)fmin((double)g->nx - 1, ceil(c0 + span));
    const int64_t rlo = (int64_t)fmax(0.0, floor(r0 - span - 0.5));
    const int64_t rhi = (int64_t)fmin((double)g->ny - 1, ceil(r0 + span));
    for (int64_t r = rlo; r <= rhi; r++)
        for (int64_t c = clo; c <= chi; c++) {
            const int64_t i = r * g->nx + c;
            double cx, cy;
            rti_grid_centre(g, i, &cx, &cy);
            const double dx = cx - px, dy = cy - py;
            const double d = sqrt(dx * dx + dy * dy);
            if (d <= max_m)
                fn(user, i, d);
        }
}

typedef struct walk_offer {
    rt_labels *lab;
    int32_t f;
    double speed;
} walk_offer;

static void offer_walk(void *user, int64_t i, double d)
{
    const walk_offer *w = user;
    rt_labels *lab = w->lab;
    const int second = lab->time2_s != NULL;
    double t2 = second ? lab->time2_s[i] : INFINITY;
    int32_t f2 = second ? lab->facility2[i] : -1;
    if (lab->length_m)
        rti_labels_offer2l(d / w->speed, w->f, (float)d, &lab->time_s[i], &lab->facility[i],
                           &lab->length_m[i], &t2, &f2);
    else
        rti_labels_offer2(d / w->speed, w->f, &lab->time_s[i], &lab->facility[i], &t2, &f2);
    if (second) {
        lab->time2_s[i] = t2;
        lab->facility2[i] = f2;
    }
}

/* A cell centre within access.max_distance_m of a facility on the roads may
 * also walk straight to it at the access speed (no road between): its
 * label takes that walk where it is quicker. The order of the facilities
 * does not matter (rti_labels_offer2 keeps the (time, facility) order). */
static void offer_direct_walks(const rti_medium_run *mr, const rti_starts *s, const rti_points *pts,
                               rt_labels *lab)
{
    for (int64_t k = 0; k < s->fa_n; k++) {
        walk_offer w = {lab, s->fa[k].facility, mr->spec->access_kmh / 3.6};
        rti_net_walk_cells(mr, pts->x[w.f], pts->y[w.f], offer_walk, &w);
    }
}

rt_status rti_net_place(rt_ctx *ctx, rti_medium_run *m, const rti_facility_type *def,
                        const rti_points *pts, const char *key, rti_placement *p)
{
    return rti_net_attach(ctx, m, def, pts, key, 1, p);
}

/* The labels of the cells of a network from the labels of its nodes nl:
 * each cell from its attachment, then the straight walks. */
static void cells_from_nodes(const rti_medium_run *m, const rti_starts *s, const rti_points *pts,
                             const rt_labels *nl, rt_labels *lab)
{
    const int second = lab->time2_s != NULL;
    const int with_len = lab->length_m != NULL;
    const rti_net_cells nc = rti_net_cells_of(m, s);
    for (int64_t i = 0; i < m->env.n_cells; i++) {
        double t1, t2;
        int32_t f1, f2;
        float l1;
        rti_net_cell_labels(&nc, nl, i, &t1, &f1, &l1, &t2, &f2);
        lab->time_s[i] = t1;
        lab->facility[i] = f1;
        if (with_len)
            lab->length_m[i] = l1;
        if (second) {
            lab->time2_s[i] = t2;
            lab->facility2[i] = f2;
        }
    }
    offer_direct_walks(m, s, pts, lab);
}

/* The node labels nl (a search's, or an update's) kept in s->nodes for
 * the roads layer (when the study writes a GeoPackage) and for updates
 * (when s->keep_nodes asks), else freed. */
static rt_status keep_or_free(const rti_medium_run *m, rti_starts *s, rt_labels *nl, rt_status st)
{
    if (st == RT_OK && (s->keep_nodes || m->env.study->outputs.geopackage)) {
        rt_labels_free(&s->nodes);
        s->nodes = *nl;
        return RT_OK;
    }
    rt_labels_free(nl);
    return st;
}

static void node_opts(const rti_medium_run *m, const rti_starts *s, unsigned flags,
                      const rt_labels *lab, rt_search_opts *so)
{
    rt_search_opts_init(so);
    so->flags = flags;
    so->start_m = lab->length_m ? s->nsrc_m : NULL; /* never for hybrid: the parser refuses it */
    so->neighbours = m->env.study->neighbours;
}

/* The labels of the cells: on the roads alone, a graph search from the
 * facilities' nodes, then each cell from its attachment, then the straight
 * walks; with a grid over land (hybrid), the alternating search of both. */
rt_status rti_net_search(rt_ctx *ctx, const rti_medium_run *m, rti_placement *p,
                         const rti_points *pts, unsigned flags, rt_search_ws *ws, rt_labels *lab)
{
    const rti_net *net = m->net;
    const rti_grid_spec *g = m->env.grid;
    rti_starts *s = p->starts;
    rt_labels nl;
    rt_status st = rt_labels_alloc(ctx, net->roads.n_nodes, flags, &nl);
    if (st != RT_OK)
        return st;
    rt_search_opts so;
    node_opts(m, s, flags, lab, &so);
    if (m->ops->has_grid) {
        const rti_net_cells nc = rti_net_cells_of(m, s);
        rt_grid_medium med = {m->friction, g->nx, g->ny, g->cell_m};
        int rounds = 0;
        st = rti_hybrid_search(ctx, &med, net->g.graph, &nc, s->src, s->n_src, s->nsrc, s->n_nsrc,
                               &so, ws, lab, &nl, &rounds);
        if (st == RT_OK)
            rti_log(ctx, RT_LOG_INFO, "hybrid search: %d rounds over land and roads", rounds);
    } else {
        st = rt_graph_search(ctx, net->g.graph, s->nsrc, s->n_nsrc, &so, ws, &nl);
        if (st == RT_OK)
            cells_from_nodes(m, s, pts, &nl, lab);
    }
    return keep_or_free(m, s, &nl, st);
}

rt_status rti_net_search_update(rt_ctx *ctx, const rti_medium_run *m, const rti_medium_run *m0,
                                rti_placement *p, const rti_points *pts, unsigned flags,
                                const rt_labels *base, const int32_t *map, int32_t n_map,
                                rt_search_ws *ws, rt_labels *lab)
{
    const rti_net *net = m->net;
    rti_starts *s = p->starts;
    if (m0->net->roads.n_nodes > net->roads.n_nodes)
        return rti_error(ctx, RT_E_ARG, "search update: the roads have fewer nodes than before");
    rt_labels nl;
    rt_status st = rt_labels_alloc(ctx, net->roads.n_nodes, flags, &nl);
    if (st != RT_OK)
        return st;
    rti_labels_copy(&nl, base, m0->net->roads.n_nodes);
    rt_search_opts so;
    node_opts(m, s, flags, lab, &so);
    const rt_graph *g0 = m0->net->g.graph;
    st = rti_graph_search_update(ctx, net->g.graph, g0 != net->g.graph ? g0 : NULL, s->nsrc,
                                 s->n_nsrc, map, n_map, &so, ws, &nl);
    if (st == RT_OK)
        cells_from_nodes(m, s, pts, &nl, lab);
    return keep_or_free(m, s, &nl, st);
}
