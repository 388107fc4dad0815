#ifndef RT_SEARCH_TEAM_H
#define RT_SEARCH_TEAM_H
/* One search on a team of threads (search_tiles.c): the grid in bands of
 * whole rows, the road graph in blocks of consecutive nodes, each band or
 * block owned by one thread, which alone writes the labels of its cells or
 * nodes and keeps their queue entries. An offer to another thread's cell
 * or node waits in a mailbox until the round ends. */
#include <stdint.h>

#include "core/search_internal.h"

/* An offer to a cell or node of another thread, kept until the round ends. */
typedef struct rti_tile_msg {
    double t;
    uint32_t cell;
    int32_t fac;
    float len;
} rti_tile_msg;

typedef struct rti_tile_box {
    rti_tile_msg *a;
    int64_t n, cap;
} rti_tile_box;

/* One thread of a team search. */
typedef struct rti_tile_worker {
    rti_bqueue bq;       /* the entries of the cells or nodes this thread owns */
    queue q;             /* q.bq = &bq */
    rti_tile_box *box;   /* 2 x team mailboxes: box[parity * team + owner] */
    int nbox;            /* allocated */
    rt_ctx *ectx;        /* this thread's error message */
    rt_labels *o;        /* the labels of the search */
    int64_t lo, hi;      /* grid: cells of the band being expanded */
    int me, team, shift; /* this thread, the team size, log2 of the band rows or block nodes */
    int par;             /* parity of the round: which half of box is written */
    int64_t pops;
    double low; /* graph: the least time offered to or kept by the thread in a round */
    /* keeps the next worker's fields, which its thread reads and writes at
     * every pop, off the cache lines of this one's (false sharing cost the
     * second thread a quarter of its speed) */
    char pad[64];
} rti_tile_worker;

/* Appends an offer to mailbox b. Returns 0 when out of memory. */
static inline int tile_post(rt_ctx *ctx, rti_tile_box *b, int64_t nb, double t, int32_t f, float l)
{
    if (b->n == b->cap) {
        int64_t cap = b->cap ? b->cap + b->cap / 2 : 256;
        rti_tile_msg *a = rti_realloc_array(ctx, b->a, cap, sizeof(*a), "search mailbox");
        if (!a)
            return 0;
        b->a = a;
        b->cap = cap;
    }
    b->a[b->n++] = (rti_tile_msg){t, (uint32_t)nb, f, l};
    return 1;
}

/* log2 of the nodes in a block of the graph's team search. */
#define RT_TEAM_SHIFT 12

/* The search of a road graph on `team` threads (search_graph.c calls it
 * after the labels are cleared and the sources checked; the bucket queue
 * `like` chosen for the serial search sets the bucket width): bit for bit
 * rt_graph_search on one thread, for any team size and block size 2^shift
 * nodes. Needs g->w_in (the cheapest arc into every node). */
rt_status rti_graph_team_run(rt_ctx *ctx, const rt_graph *g, const rt_source *src, int64_t n_src,
                             const rt_search_opts *opts, rt_search_ws *ws, const rti_bqueue *like,
                             rt_labels *out, int team, int shift);

#endif
