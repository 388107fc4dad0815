#ifndef RT_ORACLE_COMMON_H
#define RT_ORACLE_COMMON_H
/* Shared by the oracle tests of both media: a label-correcting solver
 * (Bellman-Ford sweeps to a fixed point) over an explicit arc list, and the
 * k = 2 labels of one search against brute force. Include after cmocka.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reistijd/rt_search.h"
#include "test_common.h"

/* A medium written out as arcs: n nodes (or cells), m arcs with their time
 * and length. The grid oracle lists every allowed move of the stencil. */
typedef struct oracle_arcs {
    int n, m;
    const int32_t *tail, *head;
    const double *w;
    const float *len;
} oracle_arcs;

/* The cost model, written out again from its definition. */
/* move k: rows and columns */
static inline int oracle_dr(int k)
{
    static const int DR[16] = {0, 0, -1, 1, -1, -1, 1, 1, -2, -2, 2, 2, -1, -1, 1, 1};
    return DR[k];
}
static inline int oracle_dc(int k)
{
    static const int DC[16] = {-1, 1, 0, 0, -1, 1, -1, 1, -1, 1, -1, 1, -2, 2, -2, 2};
    return DC[k];
}

static inline int open_cell(float f) { return !isnan(f) && !isinf(f); }

/* cost of the move u -> v (move k), NaN if not allowed */
static inline double move_w(const float *fr, int nx, int ny, double cell, int ru, int cu, int k)
{
    int rv = ru + oracle_dr(k), cv = cu + oracle_dc(k);
    if (rv < 0 || rv >= ny || cv < 0 || cv >= nx)
        return NAN;
    float fa = fr[ru * nx + cu], fb = fr[rv * nx + cv];
    if (!open_cell(fa) || !open_cell(fb))
        return NAN;
    if (k < 4)
        return ((double)fa + (double)fb) * (0.5 * cell);
    if (k < 8)
        return ((double)fa + (double)fb) * (0.5 * (cell * sqrt(2.0)));
    int r1, c1, r2, c2;
    if (abs(oracle_dr(k)) == 2) {
        r1 = r2 = ru + oracle_dr(k) / 2;
        c1 = cu;
        c2 = cu + oracle_dc(k);
    } else {
        c1 = c2 = cu + oracle_dc(k) / 2;
        r1 = ru;
        r2 = ru + oracle_dr(k);
    }
    float m1 = fr[r1 * nx + c1], m2 = fr[r2 * nx + c2];
    if (!open_cell(m1) || !open_cell(m2))
        return NAN;
    return (((double)fa + (double)fb) + ((double)m1 + (double)m2)) * (0.25 * (cell * sqrt(5.0)));
}

static inline float step_len(double cell, int k)
{
    return (float)(k < 4 ? cell : k < 8 ? cell * sqrt(2.0) : cell * sqrt(5.0));
}

/* The grid's stencil written out as arcs (every allowed move of nb = 8
 * or 16 neighbours); free with oracle_arcs_free(). */
static inline void oracle_grid_arcs(const float *fr, int nx, int ny, double cell, int nb,
                                    oracle_arcs *a)
{
    int n = nx * ny, m = 0;
    int32_t *tail = malloc((size_t)n * nb * sizeof(int32_t));
    int32_t *head = malloc((size_t)n * nb * sizeof(int32_t));
    double *w = malloc((size_t)n * nb * sizeof(double));
    float *len = malloc((size_t)n * nb * sizeof(float));
    for (int u = 0; u < n; u++)
        for (int k = 0; k < nb; k++) {
            double c = move_w(fr, nx, ny, cell, u / nx, u % nx, k);
            if (isnan(c))
                continue;
            tail[m] = u;
            head[m] = u + oracle_dr(k) * nx + oracle_dc(k);
            w[m] = c;
            len[m] = step_len(cell, k);
            m++;
        }
    *a = (oracle_arcs){n, m, tail, head, w, len};
}

static inline void oracle_arcs_free(oracle_arcs *a)
{
    free((void *)a->tail);
    free((void *)a->head);
    free((void *)a->w);
    free((void *)a->len);
}

/* The labels from their definitions (rt_search.h), one after the other,
 * each to its fixed point:
 *   T(v) = min over arcs u->v of T(u) + w, or the earliest start at v
 *   F(v) = min F(u) over arcs with T(u) + w == T(v), or of the starts at v
 *          whose start time is T(v)
 *   L(v) = min L(u) + len over those arcs with F(u) == F(v) (the start
 *          length, start_m or 0, at a start that holds its own facility at
 *          its start time) */
static inline void oracle_bellman_ford(const oracle_arcs *c, const rt_source *src,
                                       const float *start_m, int n_src, double *T, int32_t *F,
                                       float *L)
{
    for (int v = 0; v < c->n; v++) {
        T[v] = INFINITY;
        F[v] = -1;
        L[v] = NAN;
    }
    /* a start node holds its earliest start time (its facility is set once
     * the times are final) */
    for (int i = 0; i < n_src; i++)
        if (src[i].start_s < T[src[i].cell])
            T[src[i].cell] = src[i].start_s;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int k = 0; k < c->m; k++)
            if (T[c->tail[k]] + c->w[k] < T[c->head[k]]) {
                T[c->head[k]] = T[c->tail[k]] + c->w[k];
                changed = 1;
            }
    }
    /* with the times final: a start holds its facility when its start time
     * is the node's time (the lowest facility index among such starts) */
    for (int i = 0; i < n_src; i++) {
        int64_t v = src[i].cell;
        if (src[i].start_s == T[v] && (F[v] < 0 || src[i].facility < F[v]))
            F[v] = src[i].facility;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int k = 0; k < c->m; k++) {
            int u = c->tail[k], v = c->head[k];
            if (u != v && F[u] >= 0 && T[u] + c->w[k] == T[v] && (F[v] < 0 || F[u] < F[v])) {
                F[v] = F[u];
                changed = 1;
            }
        }
    }
    /* a start node has length 0 unless a zero-time arc brought a lower
     * facility index to it, whose route length then counts */
    for (int i = 0; i < n_src; i++) {
        const float l0 = start_m ? start_m[i] : 0.0f;
        if (F[src[i].cell] == src[i].facility && T[src[i].cell] == src[i].start_s &&
            (isnan(L[src[i].cell]) || l0 < L[src[i].cell]))
            L[src[i].cell] = l0;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int k = 0; k < c->m; k++) {
            int u = c->tail[k], v = c->head[k];
            if (u == v || isnan(L[u]) || T[u] + c->w[k] != T[v] || F[u] != F[v])
                continue;
            float l = L[u] + c->len[k];
            if (isnan(L[v]) || l < L[v]) {
                L[v] = l;
                changed = 1;
            }
        }
    }
}

/* The k = 2 labels of a search against brute force, given per facility f
 * the times Tf[f * n + k] of a search from that facility alone. */
static inline void oracle_check_best2(const double *Tf, int n_fac, int n, const rt_labels *l,
                                      int case_no)
{
    for (int k = 0; k < n; k++) {
        int f1 = -1, f2 = -1;
        for (int f = 0; f < n_fac; f++) { /* (time, facility) order */
            double t = Tf[f * n + k];
            if (isinf(t))
                continue;
            if (f1 < 0 || t < Tf[f1 * n + k])
                f2 = f1, f1 = f;
            else if (f2 < 0 || t < Tf[f2 * n + k])
                f2 = f;
        }
        double t1 = f1 < 0 ? INFINITY : Tf[f1 * n + k];
        double t2 = f2 < 0 ? INFINITY : Tf[f2 * n + k];
        if (t1 != l->time_s[k] || f1 != l->facility[k] || t2 != l->time2_s[k] ||
            f2 != l->facility2[k])
            fail_msg("case %d at %d: brute %.17g/%d %.17g/%d, search %.17g/%d %.17g/%d", case_no, k,
                     t1, f1, t2, f2, l->time_s[k], l->facility[k], l->time2_s[k], l->facility2[k]);
    }
}

/* Two searches' labels, bit for bit (times, facilities, second labels and
 * lengths as the flags have them). */
static inline void oracle_labels_identical(const rt_labels *a, const rt_labels *b, int n,
                                           unsigned flags, int case_no)
{
    for (int k = 0; k < n; k++) {
        int same = memcmp(&a->time_s[k], &b->time_s[k], sizeof(double)) == 0 &&
                   a->facility[k] == b->facility[k];
        if (flags & RT_SEARCH_SECOND)
            same = same && memcmp(&a->time2_s[k], &b->time2_s[k], sizeof(double)) == 0 &&
                   a->facility2[k] == b->facility2[k];
        if (flags & RT_SEARCH_LENGTH)
            same = same && memcmp(&a->length_m[k], &b->length_m[k], sizeof(float)) == 0;
        if (!same)
            fail_msg("case %d at %d: %.17g/%d and %.17g/%d", case_no, k, a->time_s[k],
                     a->facility[k], b->time_s[k], b->facility[k]);
    }
}

/* Splits a case's sources in two (the first half, at least one) for the
 * warm-start tests: one search from all of them against a search from the
 * first part followed by a warm search adding the rest. */
/* Closes each of 6 facilities with probability 0.4 (map[f] = -1, else its
 * index among the open ones; *open: how many stay open) and writes the
 * sources of the open ones, renumbered, into out and out_m; returns how
 * many. */
static inline int oracle_close_some(rt_test_rng *rng, const rt_source *src, const float *start_m,
                                    int n_src, int32_t map[6], int *open, rt_source *out,
                                    float *out_m)
{
    *open = 0;
    for (int f = 0; f < 6; f++)
        map[f] = rt_test_unit(rng) < 0.4 ? -1 : (*open)++;
    int m = 0;
    for (int k = 0; k < n_src; k++)
        if (map[src[k].facility] >= 0) {
            out[m] = src[k];
            out[m].facility = map[src[k].facility];
            out_m[m++] = start_m[k];
        }
    return m;
}

static inline int oracle_split(int n_src) { return n_src > 1 ? (n_src + 1) / 2 : n_src; }

#endif
