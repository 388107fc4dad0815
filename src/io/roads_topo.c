/* Nodes and edges from the lines read: vertex positions grouped by a grid
 * hash (or NWB junction ids), lines split at their nodes. Plain C; the
 * rules are in io.h and docs/networks.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_internal.h"
#include "io/roads_internal.h"

/* ---- pieces ---- */

static rt_status pieces_grow(rt_ctx *ctx, rti_pieces *p, int64_t cap)
{
#define GROW(f) rti_grow_field(ctx, (void **)&p->f, cap, sizeof(*p->f), "road lines")
    rt_status st = GROW(first);
    st = st ? st : GROW(cls);
    st = st ? st : GROW(maxspeed_kmh);
    st = st ? st : GROW(speed_kmh);
    st = st ? st : GROW(time_s);
    st = st ? st : GROW(dir_car);
    st = st ? st : GROW(dir_bike);
    st = st ? st : GROW(modes);
    st = st ? st : GROW(modes_yes);
    st = st ? st : GROW(flags);
    st = st ? st : GROW(fid);
    st = st ? st : GROW(jte_beg);
    st = st ? st : GROW(jte_end);
#undef GROW
    if (st == RT_OK)
        p->cap = cap - 1; /* first[] needs one more */
    return st;
}

static double line_length(const double *x, const double *y, int n)
{
    double len = 0;
    for (int i = 1; i < n; i++)
        len += hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
    return len;
}

rt_status rti_pieces_add(rt_ctx *ctx, rti_pieces *p, const rti_piece_attr *a, const double *x,
                         const double *y, int n, double feature_len_m)
{
    rt_status st = RT_OK;
    if (p->n >= p->cap)
        st = pieces_grow(ctx, p, 2 * p->cap + 1024);
    if (st == RT_OK && p->nv + n > p->vcap) {
        int64_t cap = 2 * p->vcap + n + 4096;
        st = rti_grow_field(ctx, (void **)&p->vx, cap, sizeof(double), "road vertices");
        st = st ? st : rti_grow_field(ctx, (void **)&p->vy, cap, sizeof(double), "road vertices");
        if (st == RT_OK)
            p->vcap = cap;
    }
    if (st != RT_OK)
        return st;
    int64_t i = p->n++;
    p->first[i] = p->nv;
    memcpy(p->vx + p->nv, x, (size_t)n * sizeof(double));
    memcpy(p->vy + p->nv, y, (size_t)n * sizeof(double));
    p->nv += n;
    p->first[i + 1] = p->nv;
    p->cls[i] = a->cls;
    p->maxspeed_kmh[i] = a->maxspeed_kmh;
    p->speed_kmh[i] = a->speed_kmh;
    double share = feature_len_m > 0 ? line_length(x, y, n) / feature_len_m : 1.0;
    p->time_s[i] = (float)(a->time_s * share);
    p->dir_car[i] = a->dir_car;
    p->dir_bike[i] = a->dir_bike;
    p->modes[i] = a->modes;
    p->modes_yes[i] = a->modes_yes;
    p->flags[i] = a->flags;
    p->fid[i] = a->fid;
    p->jte_beg[i] = a->jte_beg;
    p->jte_end[i] = a->jte_end;
    return RT_OK;
}

void rti_pieces_free(rti_pieces *p)
{
    free(p->first), free(p->cls), free(p->maxspeed_kmh), free(p->speed_kmh), free(p->time_s);
    free(p->dir_car), free(p->dir_bike), free(p->modes), free(p->modes_yes), free(p->flags);
    free(p->fid), free(p->jte_beg), free(p->jte_end), free(p->vx), free(p->vy);
    memset(p, 0, sizeof(*p));
}

/* ---- grouping positions ---- */

/* Clusters of vertex positions. A cluster is found by the grid cell of its
 * first position (cell size tol, or the exact coordinates when tol == 0)
 * through an open-addressing table of cells; clusters of one cell are
 * chained through next[]. */
typedef struct clusters {
    int64_t n, cap;
    double *x, *y;    /* position of the first vertex */
    int64_t *next;    /* next cluster of the same cell, -1 */
    int32_t *count;   /* vertices in the cluster (saturating) */
    uint8_t *is_end;  /* a line ends here */
    int64_t *node;    /* node id, -1 */
    uint64_t mask;    /* table size - 1 */
    int64_t *kx, *ky; /* cell keys */
    int64_t *head;    /* first cluster of the cell, -1: empty slot */
    double tol;
} clusters;

static void clusters_free(clusters *c)
{
    free(c->x), free(c->y), free(c->next), free(c->count), free(c->is_end), free(c->node);
    free(c->kx), free(c->ky), free(c->head);
}

static rt_status clusters_init(rt_ctx *ctx, clusters *c, int64_t max_n, double tol)
{
    memset(c, 0, sizeof(*c));
    c->tol = tol;
    c->cap = max_n > 0 ? max_n : 1;
    uint64_t size = 16;
    while (size < 2 * (uint64_t)c->cap)
        size *= 2;
    c->mask = size - 1;
    c->x = rti_alloc_array_uninit(ctx, c->cap, sizeof(double), "road nodes");
    c->y = c->x ? rti_alloc_array_uninit(ctx, c->cap, sizeof(double), "road nodes") : NULL;
    c->next = c->y ? rti_alloc_array_uninit(ctx, c->cap, sizeof(int64_t), "road nodes") : NULL;
    c->count = c->next ? rti_malloc_array(ctx, c->cap, sizeof(int32_t), "road nodes") : NULL;
    c->is_end = c->count ? rti_malloc_array(ctx, c->cap, 1, "road nodes") : NULL;
    c->node = c->is_end ? rti_alloc_array_uninit(ctx, c->cap, sizeof(int64_t), "road nodes") : NULL;
    c->kx =
        c->node ? rti_alloc_array_uninit(ctx, (int64_t)size, sizeof(int64_t), "node hash") : NULL;
    c->ky = c->kx ? rti_alloc_array_uninit(ctx, (int64_t)size, sizeof(int64_t), "node hash") : NULL;
    c->head =
        c->ky ? rti_alloc_array_uninit(ctx, (int64_t)size, sizeof(int64_t), "node hash") : NULL;
    if (!c->head) {
        clusters_free(c);
        return RT_E_NOMEM;
    }
    for (uint64_t i = 0; i <= c->mask; i++)
        c->head[i] = -1;
    return RT_OK;
}

static uint64_t mix(int64_t a, int64_t b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)b + 0x632BE59BD9B4E019ULL);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
}

/* Slot of cell (kx, ky): its own, or the empty one where it would go. */
static uint64_t slot_of(const clusters *c, int64_t kx, int64_t ky)
{
    uint64_t s = mix(kx, ky) & c->mask;
    while (c->head[s] >= 0 && (c->kx[s] != kx || c->ky[s] != ky))
        s = (s + 1) & c->mask;
    return s;
}

/* floor(v) as a cell number, clamped to what an int64_t holds (far
 * points may share a cell: the distances are compared anyway). */
static int64_t cell_number(double v)
{
    const double q = floor(v);
    return q > -9e18 && q < 9e18 ? (int64_t)q : q >= 9e18 ? INT64_C(9000000000000000000) : 0;
}

static void cell_of(const clusters *c, double x, double y, int64_t *kx, int64_t *ky)
{
    if (c->tol > 0) {
        *kx = cell_number(x / c->tol);
        *ky = cell_number(y / c->tol);
    } else { /* the bits of the coordinates; -0.0 counts as 0.0 */
        double ax = x == 0 ? 0.0 : x, ay = y == 0 ? 0.0 : y;
        memcpy(kx, &ax, sizeof(*kx));
        memcpy(ky, &ay, sizeof(*ky));
    }
}

/* The nearest cluster within tol of (x, y) (ties: the lower id), or -1. */
static int64_t cluster_near(const clusters *c, double x, double y)
{
    int64_t kx, ky, best = -1;
    double best_d = INFINITY;
    cell_of(c, x, y, &kx, &ky);
    int r = c->tol > 0 ? 1 : 0;
    for (int dy = -r; dy <= r; dy++) {
        for (int dx = -r; dx <= r; dx++) {
            uint64_t s = slot_of(c, kx + dx, ky + dy);
            for (int64_t k = c->head[s]; k >= 0; k = c->next[k]) {
                double d = hypot(c->x[k] - x, c->y[k] - y);
                if (d <= c->tol && (d < best_d || (d == best_d && k < best))) {
                    best = k;
                    best_d = d;
                }
            }
        }
    }
    return best;
}

static int64_t cluster_new(clusters *c, double x, double y)
{
    int64_t kx, ky, k = c->n++;
    cell_of(c, x, y, &kx, &ky);
    uint64_t s = slot_of(c, kx, ky);
    c->x[k] = x;
    c->y[k] = y;
    c->next[k] = c->head[s]; /* chain order does not matter: ties go to the lower id */
    c->kx[s] = kx;
    c->ky[s] = ky;
    c->head[s] = k;
    c->node[k] = -1;
    return k;
}

static int64_t cluster_of(clusters *c, double x, double y)
{
    int64_t k = cluster_near(c, x, y);
    return k >= 0 ? k : cluster_new(c, x, y);
}

/* NWB: junction id -> cluster, through a table keyed (id, 0). */
static int64_t junction_cluster(clusters *c, clusters *ids, int64_t id, double x, double y)
{
    uint64_t s = slot_of(ids, id, 0);
    if (ids->head[s] >= 0)
        return ids->head[s];
    int64_t k = cluster_new(c, x, y);
    ids->kx[s] = id;
    ids->ky[s] = 0;
    ids->head[s] = k;
    return k;
}

/* Assigns each vertex its cluster (-1 for NWB vertices inside a wegvak). */
static rt_status assign_clusters(rt_ctx *ctx, const rti_pieces *p, int nwb, clusters *c,
                                 int64_t *vc)
{
    for (int64_t v = 0; v < p->nv; v++)
        vc[v] = -1;
    if (nwb) {
        clusters ids;
        rt_status st = clusters_init(ctx, &ids, 2 * p->n, 0);
        if (st != RT_OK)
            return st;
        for (int64_t i = 0; i < p->n; i++) { /* junctions first, in row order */
            int64_t a = p->first[i], b = p->first[i + 1] - 1;
            if (p->jte_beg[i] != RTI_NO_JUNCTION)
                vc[a] = junction_cluster(c, &ids, p->jte_beg[i], p->vx[a], p->vy[a]);
            if (p->jte_end[i] != RTI_NO_JUNCTION)
                vc[b] = junction_cluster(c, &ids, p->jte_end[i], p->vx[b], p->vy[b]);
        }
        clusters_free(&ids);
        for (int64_t i = 0; i < p->n; i++) {
            int64_t a = p->first[i], b = p->first[i + 1] - 1;
            if (vc[a] < 0)
                vc[a] = cluster_of(c, p->vx[a], p->vy[a]);
            if (vc[b] < 0)
                vc[b] = cluster_of(c, p->vx[b], p->vy[b]);
        }
    } else {
        for (int64_t v = 0; v < p->nv; v++)
            vc[v] = cluster_of(c, p->vx[v], p->vy[v]);
    }
    for (int64_t v = 0; v < p->nv; v++)
        if (vc[v] >= 0 && c->count[vc[v]] < INT32_MAX)
            c->count[vc[v]]++;
    for (int64_t i = 0; i < p->n; i++) {
        c->is_end[vc[p->first[i]]] = 1;
        c->is_end[vc[p->first[i + 1] - 1]] = 1;
    }
    return RT_OK;
}

/* ---- nodes and edges ---- */

static rt_status alloc_edges(rt_ctx *ctx, rti_roads *r, int64_t m, int64_t gv)
{
#define ALLOC(f, n) (r->f = rti_alloc_array_uninit(ctx, (n), sizeof(*r->f), "road edges"))
    if (!ALLOC(from, m) || !ALLOC(to, m) || !ALLOC(length_m, m) || !ALLOC(cls, m) ||
        !ALLOC(maxspeed_kmh, m) || !ALLOC(speed_kmh, m) || !ALLOC(time_s, m) ||
        !ALLOC(dir_car, m) || !ALLOC(dir_bike, m) || !ALLOC(modes, m) || !ALLOC(modes_yes, m) ||
        !ALLOC(flags, m) || !ALLOC(source_fid, m) || !ALLOC(geom_first, m + 1) || !ALLOC(gx, gv) ||
        !ALLOC(gy, gv))
        return RT_E_NOMEM;
#undef ALLOC
    r->geom_first[0] = 0;
    return RT_OK;
}

/* Node ids in order of first appearance; node positions. */
static rt_status number_nodes(rt_ctx *ctx, const rti_pieces *p, clusters *c, const int64_t *vc,
                              rti_roads *r)
{
    int64_t n = 0;
    for (int64_t v = 0; v < p->nv; v++) {
        int64_t k = vc[v];
        if (k >= 0 && c->node[k] < 0 && (c->is_end[k] || c->count[k] > 1))
            c->node[k] = n++;
    }
    if (n > INT32_MAX)
        return rti_error(ctx, RT_E_DATA, "road network: %lld nodes is more than one graph holds",
                         (long long)n);
    r->n_nodes = n;
    r->x = rti_alloc_array_uninit(ctx, n ? n : 1, sizeof(double), "road nodes");
    r->y = r->x ? rti_alloc_array_uninit(ctx, n ? n : 1, sizeof(double), "road nodes") : NULL;
    if (!r->y)
        return RT_E_NOMEM;
    for (int64_t k = 0; k < c->n; k++)
        if (c->node[k] >= 0) {
            r->x[c->node[k]] = c->x[k];
            r->y[c->node[k]] = c->y[k];
        }
    return RT_OK;
}

/* Edge e: piece i's vertices a..b between two nodes. */
static void put_edge(rti_roads *r, const rti_pieces *p, int64_t i, int64_t a, int64_t b, int32_t na,
                     int32_t nb, double len)
{
    int64_t e = r->n_edges++, g = r->geom_first[e];
    r->from[e] = na;
    r->to[e] = nb;
    r->length_m[e] = len;
    r->cls[e] = p->cls[i];
    r->maxspeed_kmh[e] = p->maxspeed_kmh[i];
    r->speed_kmh[e] = p->speed_kmh[i];
    double plen =
        line_length(p->vx + p->first[i], p->vy + p->first[i], (int)(p->first[i + 1] - p->first[i]));
    r->time_s[e] = plen > 0 ? (float)(p->time_s[i] * (len / plen)) : p->time_s[i];
    r->dir_car[e] = p->dir_car[i];
    r->dir_bike[e] = p->dir_bike[i];
    r->modes[e] = p->modes[i];
    r->modes_yes[e] = p->modes_yes[i];
    r->flags[e] = p->flags[i];
    r->source_fid[e] = p->fid[i];
    memcpy(r->gx + g, p->vx + a, (size_t)(b - a + 1) * sizeof(double));
    memcpy(r->gy + g, p->vy + a, (size_t)(b - a + 1) * sizeof(double));
    r->geom_first[e + 1] = g + (b - a + 1);
}

/* Splits every piece at its nodes. A stretch that starts and ends at one
 * node without length (repeated vertices) is dropped. */
static void split_pieces(const rti_pieces *p, const clusters *c, const int64_t *vc, rti_roads *r)
{
    r->n_edges = 0;
    for (int64_t i = 0; i < p->n; i++) {
        int64_t a = p->first[i], end = p->first[i + 1];
        double len = 0;
        for (int64_t v = a + 1; v < end; v++) {
            len += hypot(p->vx[v] - p->vx[v - 1], p->vy[v] - p->vy[v - 1]);
            int64_t node = vc[v] >= 0 ? c->node[vc[v]] : -1;
            if (node < 0)
                continue;
            int32_t na = (int32_t)c->node[vc[a]];
            if (!(node == na && len == 0))
                put_edge(r, p, i, a, v, na, (int32_t)node, len);
            a = v;
            len = 0;
        }
    }
}

rt_status rti_roads_build(rt_ctx *ctx, const rti_pieces *p, int nwb, double tol_m, rti_roads *out)
{
    clusters c;
    int64_t *vc = rti_alloc_array_uninit(ctx, p->nv ? p->nv : 1, sizeof(int64_t), "road vertices");
    if (!vc)
        return RT_E_NOMEM;
    rt_status st = clusters_init(ctx, &c, p->nv, tol_m);
    if (st != RT_OK) {
        free(vc);
        return st;
    }
    st = assign_clusters(ctx, p, nwb, &c, vc);
    if (st == RT_OK)
        st = number_nodes(ctx, p, &c, vc, out);
    /* at most one edge per segment; each edge repeats one vertex */
    int64_t max_e = p->nv - p->n;
    if (st == RT_OK)
        st = alloc_edges(ctx, out, max_e > 0 ? max_e : 1, p->nv + (max_e > 0 ? max_e : 1));
    if (st == RT_OK)
        split_pieces(p, &c, vc, out);
    clusters_free(&c);
    free(vc);
    return st;
}
