#ifndef RT_GRID_STENCIL_H
#define RT_GRID_STENCIL_H
/* The moves of the grid search and their cost (rt_search.h: the cost
 * model), shared by the multi-source search (search_grid.c) and the
 * bounded single-facility searches of the measures (measure/reach.c), so
 * that both add the same numbers in the same order and agree bit for bit. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* 0-3 axial, 4-7 diagonal, 8-15 knight moves (dr, dc). */
static const int move_dr[16] = {0, 0, -1, 1, -1, -1, 1, 1, -2, -2, 2, 2, -1, -1, 1, 1};
static const int move_dc[16] = {-1, 1, 0, 0, -1, 1, -1, 1, -1, 1, -1, 1, -2, 2, -2, 2};

typedef struct stencil {
    int n;      /* 8 or 16 */
    int margin; /* rows/cols from the edge where every move stays inside */
    int64_t off[16];
    int64_t mid1[16], mid2[16]; /* knight moves: the two cells crossed */
    double wfac[16];            /* multiplies the friction sum: step/2 or step/4 */
    float step_m[16];           /* step length for route lengths */
    int64_t nx;
    double inv_nx;
} stencil;

/* c / nx without an integer division (which costs more than the rest of a
 * pop): a floating-point estimate, corrected to the exact quotient. */
static inline int64_t row_of(const stencil *s, int64_t c)
{
    int64_t r = (int64_t)((double)c * s->inv_nx);
    if (r * s->nx > c)
        r--;
    else if ((r + 1) * s->nx <= c)
        r++;
    return r;
}

static inline void stencil_init(stencil *s, int neighbours, int32_t nx, double cell_m)
{
    s->nx = nx;
    s->inv_nx = 1.0 / (double)nx;
    s->n = neighbours;
    s->margin = neighbours == 16 ? 2 : 1;
    for (int k = 0; k < neighbours; k++) {
        int dr = move_dr[k], dc = move_dc[k];
        double step = k < 4 ? cell_m : k < 8 ? cell_m * sqrt(2.0) : cell_m * sqrt(5.0);
        s->off[k] = (int64_t)dr * nx + dc;
        s->wfac[k] = k < 8 ? 0.5 * step : 0.25 * step;
        s->step_m[k] = (float)step;
        s->mid1[k] = s->mid2[k] = 0;
        if (k >= 8) {
            if (abs(dr) == 2) { /* crosses (r+dr/2, c) and (r+dr/2, c+dc) */
                s->mid1[k] = (int64_t)(dr / 2) * nx;
                s->mid2[k] = (int64_t)(dr / 2) * nx + dc;
            } else { /* crosses (r, c+dc/2) and (r+dr, c+dc/2) */
                s->mid1[k] = dc / 2;
                s->mid2[k] = (int64_t)dr * nx + dc / 2;
            }
        }
    }
}

static inline int passable(float f) { return f < INFINITY; } /* false for NaN and +inf */

/* Cost of move k from cell c; returns NaN when the move is blocked. The
 * sums are grouped so that a move and its reverse cost the same. */
static inline double move_cost(const float *fr, const stencil *s, int k, int64_t c, float fa,
                               float fb)
{
    double sum = (double)fa + (double)fb;
    if (k >= 8) {
        /* k < 16 always: cppcheck cannot see it through the callers */
        // cppcheck-suppress arrayIndexOutOfBoundsCond
        float m1 = fr[c + s->mid1[k]], m2 = fr[c + s->mid2[k]];
        if (!passable(m1) || !passable(m2))
            return NAN;
        sum = sum + ((double)m1 + (double)m2);
    }
    return sum * s->wfac[k];
}

static inline int inside(int32_t nx, int32_t ny, int64_t row, int64_t col, int k)
{
    int64_t r = row + move_dr[k], c = col + move_dc[k];
    return r >= 0 && r < ny && c >= 0 && c < nx;
}

#endif
