#ifndef RT_ORACLE_COMMON_H
#define RT_ORACLE_COMMON_H
/* Shared by the oracle tests of both media: the k = 2 labels of one search
 * against brute force, given per facility f the times Tf[f * n + k] of a
 * search from that facility alone. Include after cmocka.h. */
#include <math.h>

#include "reistijd/rt_search.h"

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

#endif
