/* Medium type network: the roads of one travel mode searched as a graph,
 * with access legs from every cell centre and every facility to the
 * nearest road the mode uses (docs/methods.md, "Access legs"). */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "core/edge_snap.h"
#include "core/roadnet.h"
#include "study/medium/medium.h"
#include "study/run/run.h"

static const char *const MODE_NAMES[] = {"car", "bike", "walk"};

static rt_status find_profile(rt_ctx *ctx, const rt_study *s, rti_net_run *net)
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

static rt_status load_profile(rt_ctx *ctx, const rt_study *s, rti_net_run *net)
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
static rt_status warn_components(rt_ctx *ctx, rti_run *run)
{
    rti_net_run *net = run->net;
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
            rti_log(
                ctx, RT_LOG_WARNING,
                "medium.roads: %lld of the %lld nodes of the %s network (%.1f%%) lie in %lld "
                "part%s not connected to its largest part; cells and facilities attached "
                "there reach only one another",
                (long long)n_apart, (long long)n_nodes,
                MODE_NAMES[run->study->medium.mode >= 0 ? run->study->medium.mode
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
static int on_small_part(const rti_net_run *net, int64_t e)
{
    return net->comp && net->comp[net->roads.from[e]] != 0;
}

/* Attaches every cell centre to its nearest usable edge (independent per
 * cell, so the result does not depend on the threads). */
static rt_status attach_cells(rt_ctx *ctx, rti_run *run)
{
    rti_net_run *net = run->net;
    const rti_medium *m = &run->study->medium;
    const int64_t n = run->n_cells;
    net->cell_edge = rti_alloc_array_uninit(ctx, n, sizeof(int64_t), "cell attachments");
    net->cell_frac = rti_alloc_array_uninit(ctx, n, sizeof(double), "cell attachments");
    net->cell_leg_s = rti_alloc_array_uninit(ctx, n, sizeof(double), "cell attachments");
    if (!net->cell_edge || !net->cell_frac || !net->cell_leg_s)
        return RT_E_NOMEM;
    const rti_grid_spec *g = &run->grid;
    const double speed = m->access_kmh / 3.6, max_m = m->access_max_m;
    int64_t attached = 0;
    /* in chunks of 2^20 cells, with a progress and cancel point after each */
    const int64_t chunk = (int64_t)1 << 20;
    for (int64_t lo = 0; lo < n; lo += chunk) {
        const int64_t hi = lo + chunk < n ? lo + chunk : n;
#pragma omp parallel for num_threads(run->threads) schedule(static) reduction(+ : attached)
        for (int64_t i = lo; i < hi; i++) {
            double x = g->x0 + ((double)(i % g->nx) + 0.5) * g->cell_m;
            double y = g->y1 - ((double)(i / g->nx) + 0.5) * g->cell_m;
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
    run->n_passable = attached;
    /* hybrid: cells far from the roads go over land (warned about later) */
    if (run->pop && run->study->has_population && m->kind == RTI_MEDIUM_NETWORK) {
        double far = 0;
        for (int64_t i = 0; i < n; i++)
            if (run->pop[i] > 0 && net->cell_edge[i] < 0)
                far += run->pop[i];
        if (far > 0)
            rti_log(ctx, RT_LOG_WARNING,
                    "medium: %.0f persons live in cells farther than access.max_distance_m = %g m "
                    "from a road of the network; they reach only a facility within that distance "
                    "(walking straight to it) and otherwise count as unreachable",
                    far, max_m);
        double apart = 0;
        for (int64_t i = 0; i < n; i++)
            if (run->pop[i] > 0 && net->cell_edge[i] >= 0 && on_small_part(net, net->cell_edge[i]))
                apart += run->pop[i];
        if (apart > 0)
            rti_log(ctx, RT_LOG_WARNING,
                    "medium: %.0f persons live in cells whose nearest road lies in a part of the "
                    "network not connected to its largest part; they reach only facilities there",
                    apart);
    }
    return RT_OK;
}

/* The run's estimate (made before the roads were read) with the roads and
 * the graph added, against the budget, before the attachments exist. */
static rt_status check_network_memory(rt_ctx *ctx, rti_run *run)
{
    const rti_roads *r = &run->net->roads;
    const int64_t nv = r->geom_first[r->n_edges];
    uint64_t roads = (uint64_t)r->n_edges * 64 + (uint64_t)nv * 16 + (uint64_t)r->n_nodes * 16;
    uint64_t graph = rt_graph_bytes(run->net->g.graph) +
                     (uint64_t)run->net->g.n_arcs * 28 /* arc lists kept */ +
                     (uint64_t)r->n_edges * 32; /* arc of each edge, edge times */
    /* per type searched at once: node labels, and for hybrid its seeds and starts */
    const int n = run->study->n_facilities;
    const uint64_t team = (uint64_t)(run->threads < n ? run->threads : n);
    graph += team * (uint64_t)r->n_nodes * (24 + 96);
    char what[200];
    snprintf(what, sizeof(what),
             "the grid of %d x %d cells and a road network of %lld nodes and %lld edges",
             run->grid.nx, run->grid.ny, (long long)r->n_nodes, (long long)r->n_edges);
    rt_status st = rti_budget_check(ctx, run->est_bytes + roads + graph, what);
    if (st == RT_OK)
        run->est_bytes += roads + graph;
    return st;
}

rt_status rti_run_build_network(rt_ctx *ctx, rti_run *run)
{
    rt_study *s = run->study;
    const rti_medium *m = &s->medium;
    rti_net_run *net = calloc(1, sizeof(*net));
    if (!net)
        return rti_error(ctx, RT_E_NOMEM, "out of memory");
    run->net = net;
    rt_status st = find_profile(ctx, s, net);
    if (st == RT_OK)
        st = load_profile(ctx, s, net);
    if (st != RT_OK)
        return st;
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.format = (rti_road_format)m->road_format;
    o.osm_config = net->osm_config;
    o.speed_column = m->speed_column;
    o.time_column = m->time_column;
    o.oneway_column = m->oneway_column;
    if (!isnan(m->snap_tolerance_m))
        o.snap_tolerance_m = m->snap_tolerance_m;
    rti_layer_ref ref = {.path = m->roads.path,
                         .layer = m->roads.layer,
                         .where = m->roads.where,
                         .crs = m->roads.crs};
    st = rti_study_at(ctx, rti_read_roads(ctx, &ref, s->crs, &o, &net->roads), s, m->roads.at,
                      "medium.roads");
    if (st != RT_OK)
        return st;
    st = rti_study_at(ctx, rti_roads_graph(ctx, &net->roads, &net->prof, 1, &net->g), s,
                      m->roads.at, "medium.roads");
    if (st != RT_OK)
        return st;
    if (net->g.n_edges_used == 0)
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: medium.roads: none of the %lld roads is open to the mode of "
                         "profile %s",
                         s->path, m->roads.at.line, m->roads.at.column,
                         (long long)net->roads.n_edges, net->profile_path);
    rti_log(ctx, RT_LOG_INFO, "medium.roads: %lld nodes, %lld edges, %lld used by the mode (%s)",
            (long long)net->roads.n_nodes, (long long)net->roads.n_edges,
            (long long)net->g.n_edges_used, net->profile_path);
    st = warn_components(ctx, run);
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
    uint8_t *usable = rti_malloc_array(ctx, r->n_edges, 1, "edge index");
    if (!usable)
        return RT_E_NOMEM;
    for (int64_t e = 0; e < r->n_edges; e++)
        usable[e] = net->g.arc_along[e] >= 0 || net->g.arc_against[e] >= 0;
    rti_polylines pl = {r->n_edges, r->geom_first, r->gx, r->gy};
    double bucket = fmin(fmax(m->access_max_m, 50.0), 500.0);
    st = rti_study_at(ctx, rti_edge_index_build(ctx, &pl, usable, bucket, &net->ix), s, m->roads.at,
                      "medium.roads");
    free(usable);
    if (st == RT_OK)
        st = check_network_memory(ctx, run);
    if (st == RT_OK)
        st = attach_cells(ctx, run);
    return st;
}

void rti_run_network_free(rti_run *run)
{
    rti_net_run *net = run->net;
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
    run->net = NULL;
}

static int fac_cmp(const void *pa, const void *pb)
{
    const rti_net_fac *a = pa, *b = pb;
    if (a->edge != b->edge)
        return a->edge < b->edge ? -1 : 1;
    return (a->facility > b->facility) - (a->facility < b->facility);
}

rt_status rti_run_attach_facilities(rt_ctx *ctx, rti_run *run, int t, const char *what)
{
    rti_net_run *net = run->net;
    rti_type_run *tr = &run->types[t];
    const rti_medium *m = &run->study->medium;
    const rti_grid_spec *g = &run->grid;
    const int64_t n = tr->pts.n;
    /* hybrid: the facilities' cells, moves and counts are those of the grid
     * (rti_snap_points_ex); the roads only add start nodes */
    const int hybrid = m->kind == RTI_MEDIUM_HYBRID;
    tr->nsrc = rti_malloc_array(ctx, 2 * n, sizeof(rt_source), "start nodes");
    tr->nsrc_m = rti_malloc_array(ctx, 2 * n, sizeof(float), "start nodes");
    tr->fa = rti_malloc_array(ctx, n, sizeof(rti_net_fac), "start nodes");
    if (!hybrid) {
        tr->snap_m = rti_malloc_array(ctx, n, sizeof(double), "start nodes");
        tr->cell = rti_malloc_array(ctx, n, sizeof(int64_t), "start nodes");
    }
    if (!tr->nsrc || !tr->nsrc_m || !tr->fa || (!hybrid && (!tr->snap_m || !tr->cell)))
        return RT_E_NOMEM;
    int64_t outside = 0, far = 0, moved = 0, apart = 0;
    char list[512] = "", alist[512] = "";
    size_t used = 0, aused = 0;
    const double speed = m->access_kmh / 3.6;
    for (int64_t i = 0; i < n; i++) {
        double col = floor((tr->pts.x[i] - g->x0) / g->cell_m);
        double row = floor((g->y1 - tr->pts.y[i]) / g->cell_m);
        if (!hybrid) {
            tr->snap_m[i] = NAN;
            tr->cell[i] = -1;
        }
        if (!(col >= 0 && col < g->nx && row >= 0 && row < g->ny)) {
            outside++; /* beyond the study extent, as with a grid medium */
            continue;
        }
        rti_edge_hit hit;
        rti_edge_index_nearest(net->ix, tr->pts.x[i], tr->pts.y[i], m->access_max_m, &hit);
        if (hit.edge < 0) {
            far++;
            if (far <= 5 && used < sizeof(list) - 64)
                used += (size_t)snprintf(list + used, sizeof(list) - used, "%s'%s' (%.0f, %.0f)",
                                         used ? ", " : "", tr->pts.id ? tr->pts.id[i] : "?",
                                         tr->pts.x[i], tr->pts.y[i]);
            continue;
        }
        int64_t e = hit.edge;
        double leg = hit.dist_m / speed;
        if (!hybrid) {
            tr->snap_m[i] = hit.dist_m;
            tr->cell[i] = (int64_t)row * g->nx + (int64_t)col;
        }
        moved += hit.dist_m > 0;
        tr->fa[tr->fa_n++] = (rti_net_fac){e, hit.frac, leg, (int32_t)i, hit.dist_m};
        if (on_small_part(net, e)) {
            apart++;
            if (apart <= 5 && aused < sizeof(alist) - 64)
                aused += (size_t)snprintf(alist + aused, sizeof(alist) - aused, "%s'%s'",
                                          aused ? ", " : "", tr->pts.id ? tr->pts.id[i] : "?");
        }
        double w_along = net->w_along[e], w_against = net->w_against[e];
        double len = net->roads.length_m[e];
        /* from the edge's ends to the facility: from -> along, to -> against
         * (with the route length covered there) */
        if (!isnan(w_along)) {
            tr->nsrc_m[tr->n_nsrc] = (float)(hit.dist_m + hit.frac * len);
            tr->nsrc[tr->n_nsrc++] =
                (rt_source){net->roads.from[e], (int32_t)i, leg + hit.frac * w_along};
        }
        if (!isnan(w_against)) {
            tr->nsrc_m[tr->n_nsrc] = (float)(hit.dist_m + (1.0 - hit.frac) * len);
            tr->nsrc[tr->n_nsrc++] =
                (rt_source){net->roads.to[e], (int32_t)i, leg + (1.0 - hit.frac) * w_against};
        }
    }
    qsort(tr->fa, (size_t)tr->fa_n, sizeof(*tr->fa), fac_cmp);
    if (hybrid) {
        if (far)
            rti_log(ctx, RT_LOG_INFO,
                    "%s: %lld of %lld facilities inside the study extent have no road of the "
                    "network within access.max_distance_m = %g m and are reached over land only",
                    what, (long long)far, (long long)n, m->access_max_m);
        return RT_OK;
    }
    tr->n_snapped = moved;
    tr->n_dropped = outside + far;
    rti_log_facilities_outside(ctx, what, outside, n);
    if (far)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld of %lld facilities inside the study extent have no road of the network "
                "within access.max_distance_m = %g m and are left out: %s%s",
                what, (long long)far, (long long)n, m->access_max_m, list, far > 5 ? ", ..." : "");
    if (apart)
        rti_log(ctx, RT_LOG_WARNING,
                "%s: %lld facilit%s on roads in a part of the network not connected to its "
                "largest part and serve%s only the cells there: %s%s",
                what, (long long)apart, apart == 1 ? "y lies" : "ies lie", apart == 1 ? "s" : "",
                alist, apart > 5 ? ", ..." : "");
    if (tr->fa_n == 0) {
        const rt_study *s = run->study;
        return rti_error(ctx, RT_E_DATA,
                         "%s:%d:%d: %s: none of the %lld facilities lies within the study extent "
                         "and within access.max_distance_m = %g m of a road of the network",
                         s->path, tr->def->at.line, tr->def->at.column, what, (long long)n,
                         m->access_max_m);
    }
    return RT_OK;
}

/* What the cell labels need of the roads (hybrid.h). */
static rti_net_cells net_cells(const rti_run *run, const rti_type_run *tr)
{
    const rti_net_run *net = run->net;
    return (rti_net_cells){.n_cells = run->n_cells,
                           .cell_edge = net->cell_edge,
                           .cell_frac = net->cell_frac,
                           .cell_leg_s = net->cell_leg_s,
                           .edge_from = net->roads.from,
                           .edge_to = net->roads.to,
                           .w_along = net->w_along,
                           .w_against = net->w_against,
                           .edge_len_m = net->roads.length_m,
                           .access_m_per_s = run->study->medium.access_kmh / 3.6,
                           .fa = tr->fa,
                           .fa_n = tr->fa_n};
}

/* A cell centre within access.max_distance_m of a facility on the roads may
 * also walk straight to it at the access speed (no road between): its
 * label takes that walk where it is quicker. The order of the facilities
 * does not matter (rti_labels_offer2 keeps the (time, facility) order). */
static void offer_direct_walks(const rti_run *run, const rti_type_run *tr, rt_labels *lab)
{
    const rti_grid_spec *g = &run->grid;
    const double max_m = run->study->medium.access_max_m;
    const double speed = run->study->medium.access_kmh / 3.6;
    const int second = lab->time2_s != NULL;
    for (int64_t k = 0; k < tr->fa_n; k++) {
        const int32_t f = tr->fa[k].facility;
        const double px = tr->pts.x[f], py = tr->pts.y[f];
        /* cells whose centre may lie within max_m of the point */
        const double c0 = (px - g->x0) / g->cell_m, r0 = (g->y1 - py) / g->cell_m;
        const double span = max_m / g->cell_m;
        const int64_t clo = (int64_t)fmax(0.0, floor(c0 - span - 0.5));
        const int64_t chi = (int64_t)fmin((double)g->nx - 1, ceil(c0 + span));
        const int64_t rlo = (int64_t)fmax(0.0, floor(r0 - span - 0.5));
        const int64_t rhi = (int64_t)fmin((double)g->ny - 1, ceil(r0 + span));
        for (int64_t r = rlo; r <= rhi; r++)
            for (int64_t c = clo; c <= chi; c++) {
                const double dx = g->x0 + ((double)c + 0.5) * g->cell_m - px;
                const double dy = g->y1 - ((double)r + 0.5) * g->cell_m - py;
                const double d = sqrt(dx * dx + dy * dy);
                if (!(d <= max_m))
                    continue;
                const int64_t i = r * g->nx + c;
                double t2 = second ? lab->time2_s[i] : INFINITY;
                int32_t f2 = second ? lab->facility2[i] : -1;
                if (lab->length_m)
                    rti_labels_offer2l(d / speed, f, (float)d, &lab->time_s[i], &lab->facility[i],
                                       &lab->length_m[i], &t2, &f2);
                else
                    rti_labels_offer2(d / speed, f, &lab->time_s[i], &lab->facility[i], &t2, &f2);
                if (second) {
                    lab->time2_s[i] = t2;
                    lab->facility2[i] = f2;
                }
            }
    }
}

rt_status rti_run_network_labels(rt_ctx *ctx, rti_run *run, int t, rt_search_ws *ws, rt_labels *lab)
{
    const rti_net_run *net = run->net;
    rti_type_run *tr = &run->types[t];
    const rt_study *s = run->study;
    const int second = lab->time2_s != NULL;
    /* route lengths: network only (the parser refuses them for hybrid, and
     * so would rti_hybrid_search) */
    const int with_len = lab->length_m != NULL;
    const unsigned flags = (second ? RT_SEARCH_SECOND : 0) | (with_len ? RT_SEARCH_LENGTH : 0);
    rt_labels nl;
    rt_status st = rt_labels_alloc(ctx, net->roads.n_nodes, flags, &nl);
    if (st != RT_OK)
        return st;
    rt_search_opts so;
    rt_search_opts_init(&so);
    so.flags = flags;
    so.start_m = with_len ? tr->nsrc_m : NULL;
    so.neighbours = s->neighbours;
    const rti_net_cells nc = net_cells(run, tr);
    if (s->medium.kind == RTI_MEDIUM_HYBRID) {
        rt_grid_medium med = {run->friction, run->grid.nx, run->grid.ny, run->grid.cell_m};
        int rounds = 0;
        st = rti_hybrid_search(ctx, &med, net->g.graph, &nc, tr->src, tr->n_src, tr->nsrc,
                               tr->n_nsrc, &so, ws, lab, &nl, &rounds);
        if (st == RT_OK)
            rti_log(ctx, RT_LOG_INFO, "hybrid search: %d rounds over land and roads", rounds);
    } else {
        st = rt_graph_search(ctx, net->g.graph, tr->nsrc, tr->n_nsrc, &so, ws, &nl);
        for (int64_t i = 0; st == RT_OK && i < run->n_cells; i++) {
            double t1, t2;
            int32_t f1, f2;
            float l1;
            rti_net_cell_labels(&nc, &nl, i, &t1, &f1, &l1, &t2, &f2);
            lab->time_s[i] = t1;
            lab->facility[i] = f1;
            if (with_len)
                lab->length_m[i] = l1;
            if (second) {
                lab->time2_s[i] = t2;
                lab->facility2[i] = f2;
            }
        }
    }
    if (st == RT_OK && s->medium.kind == RTI_MEDIUM_NETWORK)
        offer_direct_walks(run, tr, lab);
    if (st == RT_OK && run->study->outputs.geopackage) {
        const int64_t n = net->roads.n_nodes;
        tr->node_time_s = rti_alloc_array_uninit(ctx, n, sizeof(double), "road node times");
        tr->node_facility = rti_alloc_array_uninit(ctx, n, sizeof(int32_t), "road node times");
        if (!tr->node_time_s || !tr->node_facility)
            st = RT_E_NOMEM;
        else {
            memcpy(tr->node_time_s, nl.time_s, (size_t)n * sizeof(double));
            memcpy(tr->node_facility, nl.facility, (size_t)n * sizeof(int32_t));
        }
    }
    rt_labels_free(&nl);
    return st;
}

rt_status rti_run_write_roads_layer(rt_ctx *ctx, rti_run *run, int t, const char *gpkg)
{
    const rti_net_run *net = run->net;
    const rti_type_run *tr = &run->types[t];
    const rti_roads *r = &net->roads;
    if (!tr->node_time_s)
        return RT_OK;
    int64_t n = 0, nv = 0;
    for (int64_t e = 0; e < r->n_edges; e++)
        if (net->g.arc_along[e] >= 0 || net->g.arc_against[e] >= 0) {
            n++;
            nv += r->geom_first[e + 1] - r->geom_first[e];
        }
    int64_t *first = rti_malloc_array(ctx, n + 1, sizeof(int64_t), "roads layer");
    double *gx = rti_malloc_array(ctx, nv, sizeof(double), "roads layer");
    double *gy = rti_malloc_array(ctx, nv, sizeof(double), "roads layer");
    int64_t *fid = rti_malloc_array(ctx, n, sizeof(int64_t), "roads layer");
    const char **cls = rti_malloc_array(ctx, n, sizeof(char *), "roads layer");
    const char **dir = rti_malloc_array(ctx, n, sizeof(char *), "roads layer");
    const char **fac = rti_malloc_array(ctx, n, sizeof(char *), "roads layer");
    double *num = rti_malloc_array(ctx, 5 * n, sizeof(double), "roads layer");
    rt_status st = first && gx && gy && fid && cls && dir && fac && num ? RT_OK : RT_E_NOMEM;
    double *len = num, *kmh = num + n, *t_from = num + 2 * n, *t_to = num + 3 * n,
           *t_min = num + 4 * n;
    int64_t k = 0, v = 0;
    for (int64_t e = 0; st == RT_OK && e < r->n_edges; e++) {
        int64_t a = net->g.arc_along[e], b = net->g.arc_against[e];
        if (a < 0 && b < 0)
            continue;
        first[k] = v;
        for (int64_t i = r->geom_first[e]; i < r->geom_first[e + 1]; i++, v++) {
            gx[v] = r->gx[i];
            gy[v] = r->gy[i];
        }
        fid[k] = r->source_fid[e];
        cls[k] = r->classes[r->cls[e]];
        dir[k] = a >= 0 && b >= 0 ? "both" : a >= 0 ? "along" : "against";
        len[k] = r->length_m[e];
        double w = net->g.time_s[a >= 0 ? a : b];
        kmh[k] = w > 0 ? len[k] / w * 3.6 : NAN;
        int32_t f = r->from[e], to = r->to[e];
        double tf = tr->node_time_s[f], tt = tr->node_time_s[to];
        t_from[k] = tf < INFINITY ? tf / 60.0 : NAN;
        t_to[k] = tt < INFINITY ? tt / 60.0 : NAN;
        int32_t best = tt < tf || (tt == tf && tr->node_facility[to] < tr->node_facility[f])
                           ? tr->node_facility[to]
                           : tr->node_facility[f];
        t_min[k] = fmin(tf, tt) < INFINITY ? fmin(tf, tt) / 60.0 : NAN;
        fac[k] = best >= 0 ? tr->pts.id[best] : NULL;
        k++;
    }
    if (st == RT_OK) {
        first[n] = v;
        rti_column cols[] = {
            {"source_fid", RTI_COL_INT, NULL, fid, NULL},
            {"class", RTI_COL_STR, cls, NULL, NULL},
            {"direction", RTI_COL_STR, dir, NULL, NULL},
            {"length_m", RTI_COL_REAL, NULL, NULL, len},
            {"speed_kmh", RTI_COL_REAL, NULL, NULL, kmh},
            {"time_from_min", RTI_COL_REAL, NULL, NULL, t_from},
            {"time_to_min", RTI_COL_REAL, NULL, NULL, t_to},
            {"time_min", RTI_COL_REAL, NULL, NULL, t_min},
            {"facility_id", RTI_COL_STR, fac, NULL, NULL},
        };
        char layer[128];
        snprintf(layer, sizeof(layer), "roads_%s", tr->def->type);
        st = rti_write_gpkg_lines(ctx, gpkg, layer, run->study->crs, first, gx, gy, n, cols,
                                  (int)(sizeof(cols) / sizeof(cols[0])));
    }
    free(first);
    free(gx);
    free(gy);
    free(fid);
    free(cls);
    free(dir);
    free(fac);
    free(num);
    return st;
}
