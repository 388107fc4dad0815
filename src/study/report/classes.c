/* Classes, colours, histogram bins and SVG paths of the report: small
 * pure functions, tested by hand in tests/study/test_report.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/report/report.h"

/* viridis at t = 0, 1/8, ..., 1 */
static const rti_rgba viridis9[9] = {
    {0x44, 0x01, 0x54, 255}, {0x47, 0x2d, 0x7b, 255}, {0x3b, 0x52, 0x8b, 255},
    {0x2c, 0x72, 0x8e, 255}, {0x21, 0x90, 0x8c, 255}, {0x27, 0xad, 0x81, 255},
    {0x5d, 0xc8, 0x63, 255}, {0xaa, 0xdc, 0x32, 255}, {0xfd, 0xe7, 0x25, 255}};

static uint8_t mix(uint8_t a, uint8_t b, double f)
{
    return (uint8_t)lround((double)a + f * ((double)b - (double)a));
}

rti_rgba rti_viridis(double t)
{
    if (!(t > 0))
        return viridis9[0];
    if (t >= 1)
        return viridis9[8];
    double pos = t * 8.0;
    int k = (int)floor(pos);
    double f = pos - k;
    rti_rgba a = viridis9[k], b = viridis9[k + 1];
    return (rti_rgba){mix(a.r, b.r, f), mix(a.g, b.g, f), mix(a.b, b.b, f), 255};
}

static void add_break(rti_classes *c, double v, int is_norm)
{
    for (int k = 0; k < c->n; k++)
        if (fabs(c->upper[k] - v) <= 1e-9 * fabs(v)) {
            c->is_norm[k] |= is_norm;
            return;
        }
    if (c->n >= RTI_MAX_CLASSES - 1)
        return;
    int k = c->n++;
    while (k > 0 && c->upper[k - 1] > v) { /* keep them sorted */
        c->upper[k] = c->upper[k - 1];
        c->is_norm[k] = c->is_norm[k - 1];
        k--;
    }
    c->upper[k] = v;
    c->is_norm[k] = is_norm;
}

/* The open class above the last break, and colours from yellow (near)
 * to dark purple (far). */
static void finish_classes(rti_classes *c, const char *unit, double scale)
{
    c->upper[c->n] = INFINITY;
    c->is_norm[c->n] = 0;
    c->n++;
    for (int k = 0; k < c->n; k++)
        c->colour[k] = rti_viridis(1.0 - (double)k / (c->n - 1));
    c->unit = unit;
    c->scale = scale;
}

/* Round numbers, step i of the ladder (i = 0 is 1): below 1 the steps 5,
 * 3, 2, 1 of each power of ten (0.5, 0.3, 0.2, 0.1, 0.05, ...); from 1 in
 * minutes 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360,
 * 480, 720, 1440 and then doubling; in km 1, 2, 3, 5 and then the steps 1,
 * 1.5, 2, 3, 5 of each power of ten (10, 15, 20, 30, 50, 100, 150, ...). */
static double ladder(int km, int i)
{
    static const double minutes[18] = {1,  2,  3,   5,   10,  15,  20,  30,  45,
                                       60, 90, 120, 180, 240, 360, 480, 720, 1440};
    static const double below[4] = {5, 3, 2, 1}, decade[5] = {1, 1.5, 2, 3, 5};
    if (i < 0)
        return below[(-i - 1) % 4] / pow(10.0, (-i - 1) / 4 + 1);
    if (!km)
        return i < 18 ? minutes[i] : 1440.0 * pow(2.0, i - 17);
    return i < 4 ? below[3 - i] : decade[(i - 4) % 5] * pow(10.0, (i - 4) / 5 + 1);
}

void rti_round_classes(rti_classes *c, int km, const double *norms, int n_norms, double reach)
{
    double smallest = INFINITY;
    memset(c, 0, sizeof(*c));
    for (int k = 0; k < n_norms; k++) {
        add_break(c, norms[k], 1);
        smallest = norms[k] < smallest ? norms[k] : smallest;
        reach = norms[k] > reach ? norms[k] : reach;
    }
    const double low = (n_norms > 0 ? smallest : reach / 2) / 4 * (1 - 1e-9);
    int i = 0; /* the first step at or above the reach */
    while (ladder(km, i) < reach * (1 - 1e-9) && i < 2000)
        i++;
    while (ladder(km, i - 1) >= reach * (1 - 1e-9) && i > -2000)
        i--;
    for (; c->n < RTI_ROUND_BREAKS && ladder(km, i) >= low; i--)
        add_break(c, ladder(km, i), 0);
    finish_classes(c, km ? "km" : "min", km ? 1000.0 : 1.0);
}

/* Breaks as given (classes: of the study file), the norms among them
 * marked. */
static void given_classes(rti_classes *c, const double *breaks, int n, const double *norms,
                          int n_norms, int km)
{
    memset(c, 0, sizeof(*c));
    for (int k = 0; k < n && k < RTI_MAX_CLASSES - 1; k++) {
        c->upper[c->n] = breaks[k];
        for (int j = 0; j < n_norms; j++)
            c->is_norm[c->n] |= fabs(norms[j] - breaks[k]) <= 1e-9 * breaks[k];
        c->n++;
    }
    finish_classes(c, km ? "km" : "min", km ? 1000.0 : 1.0);
}

static int norms_of(const rti_facility_type *f, rt_norm_kind kind, double unit, double *out)
{
    int n = 0;
    for (int k = 0; k < f->n_norms; k++)
        if (f->norms[k].kind == kind)
            out[n++] = rt_norm_limit(&f->norms[k]) / unit;
    return n;
}

static double largest(const double *v, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

void rti_time_classes(const rt_study *s, const rti_facility_type *f, rti_classes *out)
{
    double norms[RT_STATS_MAX_NORMS];
    int n = norms_of(f, RT_NORM_TIME, 60.0, norms);
    if (f->n_class_min > 0) {
        given_classes(out, f->class_min, f->n_class_min, norms, n, 0);
        return;
    }
    double ref = largest(norms, n);
    for (int t = 0; ref == 0 && t < s->n_facilities; t++) {
        double other[RT_STATS_MAX_NORMS];
        int m = norms_of(&s->facilities[t], RT_NORM_TIME, 60.0, other);
        double r = largest(other, m);
        ref = r > ref ? r : ref;
    }
    rti_round_classes(out, 0, norms, n, 2.0 * (ref > 0 ? ref : 30.0));
}

void rti_length_classes(const rti_facility_type *f, rti_classes *out)
{
    double norms[RT_STATS_MAX_NORMS];
    int n = norms_of(f, RT_NORM_LENGTH, 1000.0, norms);
    if (f->n_class_km > 0) {
        given_classes(out, f->class_km, f->n_class_km, norms, n, 1);
        return;
    }
    double ref = largest(norms, n);
    rti_round_classes(out, 1, norms, n, 2.0 * (ref > 0 ? ref : 10.0));
}

void rti_share_classes(rti_classes *out)
{
    static const double upper[7] = {0, 1, 5, 10, 25, 50, INFINITY};
    memset(out, 0, sizeof(*out));
    out->n = 7;
    for (int k = 0; k < 7; k++) {
        out->upper[k] = upper[k];
        out->colour[k] = rti_viridis(1.0 - k / 6.0);
    }
    out->unit = "%";
    out->scale = 0.01;
}

int rti_class_of(const rti_classes *c, double v)
{
    if (isnan(v))
        return -1;
    for (int k = 0; k < c->n - 1; k++)
        if (v <= c->upper[k])
            return k;
    return c->n - 1;
}

/* Colours for "more is better": class k of n gets viridis(k / (n - 1)). */
static void rising_colours(rti_classes *c)
{
    for (int k = 0; k < c->n; k++)
        c->colour[k] = rti_viridis(c->n > 1 ? (double)k / (c->n - 1) : 1.0);
}

void rti_count_classes(rti_classes *c, double max)
{
    memset(c, 0, sizeof(*c));
    c->upper[c->n++] = 0;
    /* 1, 2, 4, then 9, 19, 49 times the powers of ten plus their 99s */
    static const double first[3] = {1, 2, 4}, step[3] = {1, 2, 5};
    for (int i = 0; c->n < RTI_COUNT_BREAKS; i++) {
        double b = i < 3 ? first[i] : step[(i - 3) % 3] * pow(10.0, 1 + (i - 3) / 3) - 1;
        if (!(b < max))
            break;
        c->upper[c->n++] = b;
    }
    finish_classes(c, "", 1.0);
    c->integer = 1;
    rising_colours(c);
}

double rti_ceil_2digits(double v)
{
    const int e = (int)floor(log10(v)) - 1; /* the step of the second digit: 10^e */
    const double p = pow(10.0, e < 0 ? -e : e);
    double n = e < 0 ? ceil(v * p) : ceil(v / p);
    double r = e < 0 ? n / p : n * p;
    if (r < v) /* the product rounded down */
        r = e < 0 ? (n + 1) / p : (n + 1) * p;
    return r;
}

static int float_cmp(const void *pa, const void *pb)
{
    const float a = *(const float *)pa, b = *(const float *)pb;
    return (a > b) - (a < b);
}

void rti_quantile_classes(rti_classes *c, float *v, int64_t n)
{
    int64_t m = 0; /* the values above 0 to the front */
    for (int64_t i = 0; i < n; i++)
        if (v[i] > 0 && isfinite(v[i]))
            v[m++] = v[i];
    memset(c, 0, sizeof(*c));
    c->upper[c->n++] = 0;
    if (m > 0)
        qsort(v, (size_t)m, sizeof(*v), float_cmp);
    for (int j = 1; j <= 4 && m > 0; j++) {
        const int64_t rank = (int64_t)ceil(j * (double)m / 5); /* 1-based */
        const double b = rti_ceil_2digits(v[rank > 0 ? rank - 1 : 0]);
        if (b > c->upper[c->n - 1])
            c->upper[c->n++] = b;
        if (b >= v[m - 1])
            break;
    }
    finish_classes(c, "", 1.0);
    rising_colours(c);
}

const char *rti_fmt_num(double v, char *buf, size_t n)
{
    snprintf(buf, n, "%.4g", v);
    return buf;
}

void rti_hist_add(const double *time_s, const float *pop, int64_t n_cells, double width_s,
                  int n_bins, double *bins)
{
    const double top = width_s * n_bins;
    for (int64_t i = 0; i < n_cells; i++) {
        double p = pop ? (double)pop[i] : 1.0;
        if (!(p > 0))
            continue;
        double t = time_s[i];
        int b;
        if (isinf(t))
            b = n_bins + 1;
        else if (t > top)
            b = n_bins;
        else if (t <= 0)
            b = 0;
        else { /* 0 < t <= top: in bins, at most n_bins (a width of +inf: 0) */
            double q = ceil(t / width_s);
            b = q >= 1 && q <= n_bins ? (int)q - 1 : 0;
        }
        bins[b] += p;
    }
}

/* A coordinate in tenths, written without trailing zeros. */
static void put_coord(rti_sbuf *b, long long tenths)
{
    long long a = tenths < 0 ? -tenths : tenths;
    if (a % 10 == 0)
        rti_sb_printf(b, "%s%lld", tenths < 0 ? "-" : "", a / 10);
    else
        rti_sb_printf(b, "%s%lld.%lld", tenths < 0 ? "-" : "", a / 10, a % 10);
}

int rti_svg_ring(rti_sbuf *b, const double *x, const double *y, int n, const rti_svg_tf *tf)
{
    /* at most one pass to count, one to write: the ring is short-lived */
    long long px0 = 0, py0 = 0, lx = 0, ly = 0;
    int kept = 0;
    for (int pass = 0; pass < 2; pass++) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            long long px = llround((x[i] - tf->x0) * tf->scale * 10.0);
            long long py = llround((tf->y1 - y[i]) * tf->scale * 10.0);
            long long min_t = llround(tf->min_px * 10.0);
            if (k > 0 && llabs(px - lx) <= min_t && llabs(py - ly) <= min_t)
                continue;
            if (k > 0 && i == n - 1 && px == px0 && py == py0)
                continue; /* the closing vertex: Z draws it */
            if (k == 0) {
                px0 = px;
                py0 = py;
            }
            if (pass == 1) {
                rti_sb_put(b, k == 0 ? "M" : "L");
                put_coord(b, px);
                rti_sb_put(b, " ");
                put_coord(b, py);
            }
            lx = px;
            ly = py;
            k++;
        }
        kept = k;
        if (kept < 3)
            return 0;
    }
    rti_sb_put(b, "Z");
    return kept;
}

void rti_classes_delta(rti_classes *c)
{
    static const double upper[8] = {-10, -5, -2, -1, 1, 2, 5, 10};
    /* ColorBrewer RdBu, 9 classes, blue (gains) to red (losses) */
    static const rti_rgba colour[9] = {
        {33, 102, 172, 255},  {67, 147, 195, 255},  {146, 197, 222, 255},
        {209, 229, 240, 255}, {247, 247, 247, 255}, {253, 219, 199, 255},
        {244, 165, 130, 255}, {214, 96, 77, 255},   {178, 24, 43, 255}};
    memset(c, 0, sizeof(*c));
    c->n = 9;
    for (int k = 0; k < 9; k++) {
        c->upper[k] = k < 8 ? upper[k] : INFINITY;
        c->colour[k] = colour[k];
    }
    c->unit = "min";
    c->scale = 1;
    c->delta = 1;
}

void rti_delta_class_label(rti_language lang, const rti_classes *c, int k, char *buf, size_t n)
{
    char x[32], y[32];
    const double below = k > 0 ? c->upper[k - 1] : -INFINITY, above = c->upper[k];
    if (k == 0)
        snprintf(buf, n, rti_label_text(lang, RTI_L_DELTA_FASTER_OVER),
                 rti_fmt_local(lang, "%g", -above, x, sizeof(x)));
    else if (above < 0)
        snprintf(buf, n, rti_label_text(lang, RTI_L_DELTA_FASTER),
                 rti_fmt_local(lang, "%g", -above, x, sizeof(x)),
                 rti_fmt_local(lang, "%g", -below, y, sizeof(y)));
    else if (below < 0) /* the class around 0, as wide either way */
        snprintf(buf, n, rti_label_text(lang, RTI_L_DELTA_SAME),
                 rti_fmt_local(lang, "%g", above, x, sizeof(x)));
    else if (k < c->n - 1)
        snprintf(buf, n, rti_label_text(lang, RTI_L_DELTA_SLOWER),
                 rti_fmt_local(lang, "%g", below, x, sizeof(x)),
                 rti_fmt_local(lang, "%g", above, y, sizeof(y)));
    else
        snprintf(buf, n, rti_label_text(lang, RTI_L_DELTA_SLOWER_OVER),
                 rti_fmt_local(lang, "%g", below, x, sizeof(x)));
}
