/* "Did you mean": the nearest of a list of names (core/suggest.h). */
#include <limits.h>
#include <string.h>

#include "core/suggest.h"

/* Optimal string alignment distance, ASCII case-insensitive. Returns a
 * large value for names longer than 63 bytes. */
static int lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int edit_distance(const char *a0, const char *b0)
{
    size_t n = strlen(a0), m = strlen(b0);
    int d[64][64], a[64], b[64];
    if (n > 63 || m > 63)
        return 1000;
    for (size_t i = 0; i < n; i++)
        a[i] = lower(a0[i]);
    for (size_t j = 0; j < m; j++)
        b[j] = lower(b0[j]);
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

const char *rti_suggest(const char *word, const char *const *names)
{
    const char *best = NULL;
    int best_d = INT_MAX;
    for (; names && *names; names++) {
        size_t len = strlen(*names);
        int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
        int d = edit_distance(word, *names);
        if (d <= limit && d < best_d) {
            best = *names;
            best_d = d;
        }
    }
    return best;
}
