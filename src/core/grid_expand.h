#ifndef RT_GRID_EXPAND_H
#define RT_GRID_EXPAND_H
/* One step of the grid search: a cell taken from the queue offers its label
 * to its neighbours. Shared by the serial search (search_grid.c), where the
 * one thread owns every cell, and the tiled search (search_tiles.c), where
 * the grid is cut into bands of whole rows, each band owned by one thread
 * of the team: an offer to a cell of the band being expanded is made in
 * place, an offer to any other band goes through tile_send (in place when
 * the thread owns that band too, else into a mailbox read by its owner
 * after the round). Both add the same numbers in the same order. */
#include <stdint.h>

#include "core/grid_stencil.h"
#include "core/search_internal.h"
#include "core/search_team.h"

/* Asks for the cache lines a later pop will read: the times and frictions
 * of the cell's row and the rows above and below (two each for knight
 * moves). Inside a bucket the cells come in memory order, but the fronts of
 * thousands of facilities share a bucket, so consecutive cells are often
 * far apart and each would otherwise wait for memory. */
#define RT_PREFETCH_AHEAD 32

static inline void prefetch_cell(const queue *q, const rt_labels *o, const float *fr, int64_t n,
                                 int32_t nx, int rows)
{
    if (!q->bq)
        return;
    uint32_t c = rti_bqueue_peek(q->bq, RT_PREFETCH_AHEAD);
    if (c == UINT32_MAX)
        return;
    for (int d = -rows; d <= rows; d++) {
        int64_t i = (int64_t)c + (int64_t)d * nx;
        if (i < 0 || i >= n)
            continue;
        __builtin_prefetch(&o->time_s[i]);
        __builtin_prefetch(&fr[i]);
    }
}

/* An offer from the band being expanded to cell nb in row row_nb of
 * another band. Returns 0 when out of memory. */
static inline int tile_send(rti_tile_worker *w, int64_t nb, int64_t row_nb, double t, int32_t f,
                            float l, const int with_len, const int second)
{
    const int owner = (int)((row_nb >> w->shift) % w->team);
    if (owner != w->me)
        return tile_post(w->ectx, &w->box[w->par * w->team + owner], nb, t, f, l);
    return offer_k(w->ectx, &w->q, w->o, nb, t, f, l, with_len, second);
}

/* Cell c, taken at time t with facility f and route length l (for k = 2:
 * the entry of facility f in one of its two slots), offers to its
 * neighbours. tw is NULL in the serial search (every cell is the caller's);
 * the compiler then drops the band test. Returns 0 when out of memory. */
static inline __attribute__((always_inline)) int
expand(rt_ctx *ctx, queue *h, rt_labels *o, const float *fr, const stencil *s, int32_t nx,
       int32_t ny, int64_t c, double t, int32_t f, float l, double max_t, const int with_len,
       const int nbrs, const int second, rti_tile_worker *tw)
{
    const float fa = fr[c];
    const int64_t row = row_of(s, c), col = c - row * nx;
    const int interior =
        row >= s->margin && row < ny - s->margin && col >= s->margin && col < nx - s->margin;
    for (int k = 0; k < nbrs; k++) {
        if (!interior && !inside(nx, ny, row, col, k))
            continue;
        const int64_t nb = c + s->off[k];
        const float fb = fr[nb];
        if (!passable(fb))
            continue;
        if (tw && (nb < tw->lo || nb >= tw->hi)) {
            const double nt = t + move_cost(fr, s, k, c, fa, fb);
            if (nt <= max_t &&
                !tile_send(tw, nb, row + move_dr[k], nt, f, l + s->step_m[k], with_len, second))
                return 0;
            continue;
        }
        /* k = 1: a neighbour already at or below t cannot improve, as every
         * move costs more than 0 (skips most of the cost arithmetic) */
        if (!second && o->time_s[nb] < t)
            continue;
        const double nt = t + move_cost(fr, s, k, c, fa, fb);
        if (!(nt <= max_t)) /* also skips blocked knight moves (NaN) */
            continue;
        if (!offer_k(ctx, h, o, nb, nt, f, l + s->step_m[k], with_len, second))
            return 0;
    }
    return 1;
}

/* The tiled search (search_tiles.c) of grid_search, after the labels are
 * prepared, the sources checked and the bucket queue `like` chosen (the
 * tiled search needs the bucket queue): team threads, bands of 2^shift
 * rows. Bit for bit the serial search. */
rt_status rti_tiles_run(rt_ctx *ctx, const rt_grid_medium *g, const stencil *s,
                        const rt_source *src, int64_t n_src, const rt_search_opts *opts,
                        rt_search_ws *ws, const rti_bqueue *like, rt_labels *out, int64_t total,
                        int team, int shift);
/* log2 of the band height for a grid of ny rows. */
int rti_tiles_shift(int32_t ny);

#endif
