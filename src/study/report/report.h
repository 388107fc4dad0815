#ifndef RT_REPORT_H
#define RT_REPORT_H
/* The run report (report.html) and the QGIS styles (.qml, layer_styles).
 *
 * The report reads a run through a read-only view (rti_report_view) that
 * the run fills; its own buffers (the classes, the map images, the
 * histograms) live in its own state (rti_report_state), so that it can be
 * made from a hand-built result.
 *
 * Classes and colours are a function of the study, never of the data: the
 * class breaks of a travel-time map are the classes of its facility type,
 * else round numbers around its norms, so that a later run of the same
 * study (a scenario) is drawn with the same legend. One list of time
 * classes and one of length classes per type (rti_report_plan) serve the
 * report, the .qml files and the GeoPackage styles. docs/outputs.md
 * describes the rules.
 *
 * classes.c:      classes, the colour ramp, histogram bins, SVG paths
 *                 (pure functions, no files);
 * svg.c:          SVG pieces: choropleths, histogram, legends, map frame;
 * qml.c:          QGIS style documents;
 * document.c:     the document (a list of sections);
 * run_report.c:   the report's state and the sections of a run's report;
 * regions.c:      the sections per region layer (choropleths, tables);
 * facilities.c:   the facilities of each type over its map and in a table;
 * layout.c:       text boxes and label placement (pure functions);
 * closures.c:     the section of the N-1 table (outputs.closures);
 * run_styles.c:   the .qml files and GeoPackage styles of a run;
 * labels.c:       every word of report.html in each language, and the
 *                 numbers as each language writes them;
 * measures.c:     the measures beyond the nearest: their classes, map
 *                 images, words and sections. */
#include <stdint.h>

#include "core/closures.h"
#include "core/sbuf.h"
#include "io/io.h"
#include "reistijd/rt_search.h"
#include "study/report/labels.h"
#include "study/spec/spec.h"

#define RTI_MAX_CLASSES (RTI_MAX_CLASS_BREAKS + 1)

/* ---- words and numbers (labels.c) ---- */

/* rti_label: labels.h */

/* The text of key k in language lang (never NULL). */
const char *rti_label_text(rti_language lang, rti_label k);
/* The directives of format text f ("%s", "%lld", "%d", ...; "%%" is not
 * one) written one after the other into buf, e.g. "s,lld,". */
void rti_format_directives(const char *f, char *buf, size_t n);
/* Appends format text fmt (of "%s" directives only) with every "%s"
 * replaced by arg, HTML-escaped. */
void rti_sb_label(rti_sbuf *b, const char *fmt, const char *arg);
/* One number with a printf format of one double ("%.1f", "%g"), with a
 * decimal comma in Dutch. */
const char *rti_fmt_local(rti_language lang, const char *fmt, double v, char *buf, size_t n);
/* A number of people: rounded to a whole number (halves away from zero)
 * and grouped by thousands, "12,345" in English, "12.345" in Dutch; NaN
 * gives "&ndash;". */
const char *rti_fmt_count(rti_language lang, double v, char *buf, size_t n);
/* A number of persons with its word: "1 inhabitant", "1,234 inhabitants";
 * "1 inwoner", "1.234 inwoners". */
const char *rti_fmt_persons(rti_language lang, double v, char *buf, size_t n);
/* A class break or a value: up to 4 significant digits below 1000 (0.0142,
 * 2.5, 875), whole with thousands separators from 1000 (13,000, not
 * 1.3e+04). */
const char *rti_fmt_value(rti_language lang, double v, char *buf, size_t n);
/* A share in percent with one decimal: "0.9 %" ("0,9 %"). A share above 0
 * that would show as 0.0 reads "&lt;0.1 %", one below 100 that would show
 * as 100.0 reads "&gt;99.9 %"; NaN gives "&ndash;". HTML text. */
const char *rti_fmt_share(rti_language lang, double pct, char *buf, size_t n);
/* A norm as the report shows it: "30min", "10km" in English, "30 min",
 * "1,5 km" in Dutch. */
const char *rti_norm_text(rti_language lang, const rt_norm *nm, char *buf, size_t n);
/* "2nd", "3rd" in English, "2e" in Dutch. */
const char *rti_fmt_ordinal(rti_language lang, int k, char *buf, size_t n);

/* Classes of a map: value v falls in the first class k with v <= upper[k];
 * the last class is open (upper = +inf). Values are in `unit`. */
typedef struct rti_classes {
    int n;
    double upper[RTI_MAX_CLASSES];
    rti_rgba colour[RTI_MAX_CLASSES];
    int is_norm[RTI_MAX_CLASSES]; /* upper[k] is one of the type's norms */
    const char *unit;             /* "min", "km", "%" or "" (a count, a ratio) */
    double scale;                 /* stored value = displayed value x scale (m per km: 1000) */
    int integer; /* whole numbers (counts): class k holds upper[k-1] + 1 .. upper[k] */
    int delta;   /* changes of a time (rti_classes_delta): labelled faster and slower */
} rti_classes;

/* The viridis ramp at t in [0, 1]: t = 0 is dark purple (#440154), t = 1
 * yellow (#fde725); linear in RGB between nine anchors at t = k/8. */
rti_rgba rti_viridis(double t);

/* At most this many breaks in the default classes (with the open class
 * above them, 8 classes), unless a type has more norms. */
#define RTI_ROUND_BREAKS 7
/* The default classes of a unit (km 0: minutes, km 1: km), round numbers
 * around the norms (docs/outputs.md): every norm is a break; then, from the
 * first step of the ladder (classes.c: ... 0.5, 1, 2, 3, 5,
 * 10, 15, 20, 30, 45, 60, 90, 120 ... minutes; ... 0.5, 1, 2, 3, 5, 10, 15,
 * 20, 30, 50, 100 ... km) at or above the reach (or the largest norm, if
 * that is more) down the ladder, each step not below a quarter of the
 * smallest norm (without norms: an eighth of the reach), while there are
 * fewer than RTI_ROUND_BREAKS breaks. An open class above the last break.
 * Class k of n gets viridis(1 - k/(n-1)): short yellow, long dark purple. */
void rti_round_classes(rti_classes *c, int km, const double *norms, int n_norms, double reach);
/* Time classes (minutes) of facility type f: its classes.minutes if given,
 * the norms among them marked; else rti_round_classes of its time norms
 * with the reach twice its largest time norm (else twice the largest time
 * norm of the study, else 60 min). A function of the study only, so that
 * every run of a study has the same legend. */
void rti_time_classes(const rt_study *s, const rti_facility_type *f, rti_classes *out);
/* The same for route lengths (km, stored in metres): classes.km, else the
 * reach twice the largest km norm of the type, else 20 km. */
void rti_length_classes(const rti_facility_type *f, rti_classes *out);
/* Share of the population beyond a norm (fraction 0-1, shown in %): 0,
 * up to 1 %, 5 %, 10 %, 25 %, 50 %, above 50 %. */
void rti_share_classes(rti_classes *out);
/* The class of v (-1 for NaN). */
int rti_class_of(const rti_classes *c, double v);

/* At most this many breaks in the classes of a count. */
#define RTI_COUNT_BREAKS 10
/* Classes of a count (whole numbers >= 0): the breaks 0, 1, 2, 4, 9, 19,
 * 49, 99, 199, 499, 999, 1999, ... (classes 0, 1, 2, 3-4, 5-9, 10-19,
 * ...) below max, at most RTI_COUNT_BREAKS, and an open class above the
 * last ("10 or more"); unit "". Class k of n gets viridis(k / (n - 1)):
 * none dark purple, the most yellow. */
void rti_count_classes(rti_classes *c, double max);
/* v (> 0, finite) rounded up to two significant digits: 0.0213 gives
 * 0.022, 0.02 stays 0.02, 1234 gives 1300; never below v. */
double rti_ceil_2digits(double v);
/* Classes of a measure of values >= 0 (a capacity, gravity, a ratio): a
 * class 0 (nothing within reach), then the 20, 40, 60 and 80 % quantiles
 * (nearest rank) of the n values of v that are above 0 and finite (v is
 * sorted in place; may be NULL when n is 0), each rounded up by
 * rti_ceil_2digits, as breaks while they increase, up to the first at or
 * above the largest value; an open class above. Colours and unit as
 * rti_count_classes. */
void rti_quantile_classes(rti_classes *c, float *v, int64_t n);
/* "7.5", "30", "0.25": the number with up to 4 significant digits. */
const char *rti_fmt_num(double v, char *buf, size_t n);

/* Histogram of population by travel time: bin b (0 <= b < n_bins) holds
 * the population with width_s * b < t <= width_s * (b + 1) (t = 0 goes to
 * bin 0), bins[n_bins] the reached population above n_bins * width_s and
 * bins[n_bins + 1] the unreachable population (t = +inf). Cells with a
 * population that is NaN or <= 0 are skipped; pop NULL counts 1 per cell.
 * A width that is not a finite number > 0 puts every reached time in bin 0
 * (never outside the bins).
 * Sums run in cell order. bins must hold n_bins + 2 values; they are added
 * to, not cleared. */
void rti_hist_add(const double *time_s, const float *pop, int64_t n_cells, double width_s,
                  int n_bins, double *bins);

/* Maps analysis-CRS coordinates into an SVG viewBox: px = (x - x0) * scale,
 * py = (y1 - y) * scale. */
typedef struct rti_svg_tf {
    double x0, y1, scale;
    double min_px; /* leave out vertices closer than this to the last one kept (in x and y) */
} rti_svg_tf;

/* Appends one ring as "M x y L x y ... Z" with coordinates rounded to 0.1
 * and written without trailing zeros. A vertex that rounds onto the last
 * one kept, or lies within min_px of it in both x and y, is left out, and
 * so is the closing vertex. A ring with fewer than 3 vertices left is not
 * written. Returns the number of vertices written. */
int rti_svg_ring(rti_sbuf *b, const double *x, const double *y, int n, const rti_svg_tf *tf);

/* ---- text boxes and labels (layout.c) ---- */

/* A box in SVG user units, y down: x0 <= x <= x1, y0 <= y <= y1. */
typedef struct rti_box {
    double x0, y0, x1, y1;
} rti_box;
/* The width of one character as a fraction of the font size: an upper
 * estimate for the report's sans-serif fonts (DejaVu Sans: digits 0.64 em,
 * lower case 0.5 to 0.65, most capitals below 0.75), so that two labels
 * the estimate keeps apart do not meet on the page. */
#define RTI_EM_PER_CHAR 0.65
/* The characters of text as the page shows them: a UTF-8 sequence and an
 * HTML entity (&gt;) count one each. */
int rti_text_chars(const char *text);
/* The box of text drawn with its baseline at y, at font size `size`,
 * anchored at x by its start ('s'), middle ('m') or end ('e'):
 * RTI_EM_PER_CHAR x size per character wide, from 0.8 x size above the
 * baseline to 0.25 x size below it. */
rti_box rti_text_box(const char *text, double x, double y, double size, char anchor);
/* Whether a and b share more than an edge. */
int rti_box_overlap(const rti_box *a, const rti_box *b);
/* The boxes taken so far (labels and what labels must not cover), in a
 * buffer of cap boxes that the caller owns. */
typedef struct rti_placer {
    rti_box *box;
    int n, cap;
} rti_placer;
/* Keeps b as taken, whatever it meets (an axis label that must be drawn,
 * a scale bar). */
void rti_placer_keep(rti_placer *p, const rti_box *b);
/* Keeps b and returns 1 when it lies within `within` (NULL: anywhere) and
 * meets no box taken; else returns 0 and keeps nothing. */
int rti_placer_try(rti_placer *p, const rti_box *b, const rti_box *within);

/* ---- SVG pieces (svg.c) ---- */

/* Opens the SVG over a map image (in the image's pixels) with a scale bar
 * and a north arrow, whose boxes it keeps in pl; the caller adds what
 * else goes over the map and closes it with </svg>. */
void rti_svg_map_overlay(rti_sbuf *b, const rti_map_frame *f, rti_language lang, rti_placer *pl);
/* The transform that fits bbox into `width` pixels (height at most 1.25 x
 * width); *w and *h get the viewBox size. */
void rti_svg_fit(const double bbox[4], double width, rti_svg_tf *tf, double *w, double *h);
/* The names of the regions of p (those it has) as <text> elements of
 * font size fs under tf, each inside its region and clear of what pl
 * holds (kept there); a name that fits nowhere is left out. */
rt_status rti_svg_region_names(rt_ctx *ctx, rti_sbuf *b, const rti_polygons *p,
                               const rti_svg_tf *tf, double fs, rti_placer *pl);
/* Every polygon of p as <path id="<prefix>-<i>"> in a hidden <svg><defs>,
 * for the choropleths to <use>; when p has names and name_size > 0 also
 * <g id="<prefix>-names">: the name of every polygon in which it fits, at
 * font size name_size (viewBox units), its box (rti_text_box) inside the
 * polygon and apart from every other name; *names is then 1. */
rt_status rti_svg_region_defs(rt_ctx *ctx, rti_sbuf *b, const rti_polygons *p, const char *prefix,
                              const rti_svg_tf *tf, double name_size, int *names);
/* Region layers of more than this many regions get maps the width of the
 * page and tables with a search field. */
#define RTI_MANY_REGIONS 100

typedef struct rti_choropleth {
    const char *title; /* accessible name */
    const char *prefix;
    double w, h;
    int64_t n;
    const double *value; /* displayed units of classes; NaN = no population */
    const rti_classes *classes;
    char *const *id, *const *name; /* name may be NULL */
    const double *count;           /* people beyond the norm, NULL = none shown */
    const double *pop; /* persons per region: NaN value with people = nobody with a route;
                          NULL = every NaN value is a region without people */
    const char *norm;  /* the norm (rti_norm_text) with count */
    rti_language lang;
    int names; /* draw <prefix>-names of rti_svg_region_defs over the regions */
} rti_choropleth;
void rti_svg_choropleth(rti_sbuf *b, const rti_choropleth *m);
/* the fill of a region where people live but none has a route */
#define RTI_ROUTELESS_COLOUR "#969696"

typedef struct rti_histogram {
    const char *title;
    const double *bins; /* n_bins + 2, as rti_hist_add fills them */
    int n_bins;
    double width_min;
    const rti_classes *classes; /* bar colours */
    const double *norm_min;     /* time norms, minutes */
    int n_norms;
    rti_language lang;
} rti_histogram;
/* The height of a bar of a share > 0 is at least this (viewBox units), so
 * that a small share is seen. */
#define RTI_HIST_MIN_BAR 2.0
/* The font size of the chart's texts (viewBox units; the CSS of
 * document.c sets svg.hist .ax to the same). */
#define RTI_HIST_FONT 11
/* Bars: share of the population per bin, beyond the last bin and
 * unreachable; line: cumulative share within each bin's upper edge. */
void rti_svg_histogram(rti_sbuf *b, const rti_histogram *h);

/* ---- the document ---- */

/* A report is a list of sections; each becomes a <section> with a heading
 * and an entry in the table of contents. A scenario run can add its own
 * sections (differences to the baseline, say) with rti_report_add. */
typedef struct rti_report_section {
    char *id;    /* anchor, [a-z0-9_-] */
    char *title; /* plain text */
    char *html;  /* body */
} rti_report_section;

typedef struct rti_report {
    rt_ctx *ctx;
    char *title;
    char *intro;       /* HTML below the title, may be NULL */
    rti_language lang; /* of the page's own words, default English */
    rti_report_section *sec;
    int n, cap;
} rti_report;

rt_status rti_report_init(rti_report *r, rt_ctx *ctx, const char *title);
/* Adds a section; takes the body text out of b (b is empty afterwards). */
rt_status rti_report_add(rti_report *r, const char *id, const char *title, rti_sbuf *b);
/* Writes the whole document to path (which must not exist) and checks the
 * close; on error nothing is left at path. */
rt_status rti_report_write(rt_ctx *ctx, const rti_report *r, const char *path);
void rti_report_free(rti_report *r);
/* Writes text to the new file at path (`name` in messages) and checks the
 * close; on error nothing is left at path. */
rt_status rti_write_text(rt_ctx *ctx, const char *path, const char *name, const char *text);

/* ---- QGIS styles ---- */

/* The labels of the classes and categories, and the title, are in
 * language lang (report.language): "7,5-15 min", "verschoven"; the values are
 * the same in every language. */
/* A raster style (singlebandpseudocolor, DISCRETE colour ramp shader) with
 * the classes; band values are in c->unit x c->scale. NULL on RT_E_NOMEM. */
char *rti_qml_raster_classes(rt_ctx *ctx, const rti_classes *c, const char *title,
                             rti_language lang);
/* The classes of a grid of changes in minutes (scenario or compare
 * delta grids): a diverging ramp of nine classes, gains (negative) in
 * blues, losses in reds, within a minute either way almost white; breaks
 * at -10, -5, -2, -1, 1, 2, 5 and 10 min (ColorBrewer RdBu). */
void rti_classes_delta(rti_classes *c);
/* The words of class k of the classes of a change (rti_classes_delta):
 * "10 min or more faster", "2-5 min faster", "no change (within 1 min)",
 * ..., in the report's legends and in the .qml labels alike. */
void rti_delta_class_label(rti_language lang, const rti_classes *c, int k, char *buf, size_t n);

/* A paletted raster style: one colour per value (facility ids). */
char *rti_qml_raster_palette(rt_ctx *ctx, const int64_t *values, int64_t n);
/* The colours of cells that became unreachable and reachable: the darkest
 * red and blue of ColorBrewer's RdBu of 11 classes, beyond the ends of the
 * 9 of rti_classes_delta (the delta maps and the reach-change style). */
extern const rti_rgba RTI_REACH_LOST, RTI_REACH_GAINED;
/* The style of a grid of changed reach: 1 "became reachable" in
 * RTI_REACH_GAINED, 2 "became unreachable" in RTI_REACH_LOST, titled;
 * the labels in language lang. */
char *rti_qml_reach_change(rt_ctx *ctx, const char *title, rti_language lang);
/* A graduated fill style on column attr with the classes. */
char *rti_qml_graduated(rt_ctx *ctx, const char *attr, const rti_classes *c, rti_language lang);
/* The same for a line layer: one line symbol per class (the class colour,
 * 0.66 mm wide). Features whose attr is NULL are not drawn. */
char *rti_qml_graduated_lines(rt_ctx *ctx, const char *attr, const rti_classes *c,
                              rti_language lang);
/* A categorized point style on column "status" (ok, moved, left out). */
char *rti_qml_facility_status(rt_ctx *ctx, rti_language lang);

/* ---- the report of a run (run_report.c) ---- */

/* "30min", "7.5min", "10km": a norm as used in column and style names. */
void rti_norm_label(const rt_norm *n, char *buf, size_t len);

/* The value of facility i of pts in the facility grids: its feature id,
 * or its 1-based row when by_row (some feature id does not fit in 32
 * bits). */
static inline int32_t rti_facility_grid_value(const rti_points *pts, int by_row, int64_t i)
{
    return by_row ? (int32_t)(i + 1) : (int32_t)pts->fid[i];
}

/* One facility type of a run, as the report reads it. */
typedef struct rti_report_type {
    const rti_facility_type *def;
    const rti_points *pts;
    const int64_t *cell;  /* per point: its start cell, -1 = left out */
    const double *snap_m; /* per point: how far it was moved (NaN = left out); may be NULL */
    int64_t n_snapped, n_dropped;
    int grid_by_row; /* see rti_facility_grid_value */
    int roads_layer; /* the GeoPackage has its layer roads_<type> */
    /* after the search: [region layer][region] statistics, and the
     * population of the whole grid (cells with a population > 0) */
    rt_region_stats *const *stats;
    double pop_total;
    /* with outputs.closures (else NULL): the N-1 table, one row per point,
     * and the points in the order of the table */
    const rti_closure_row *closures;
    const int64_t *closure_order;
    /* with measures (else NULL): per measure of def and region layer the
     * rows per region, filled in the measures stage */
    rti_measure_region *const *const *measures;
} rti_report_type;

/* What the report reads of a run; every pointer is borrowed. */
/* One facility type a scenario changes, as the report reads it. */
typedef struct rti_report_scen_type {
    int t;                         /* the type in the study */
    const rti_points *pts;         /* the scenario's facilities of the type */
    const int64_t *cell;           /* per point: its start cell, -1 = left out */
    rt_region_stats *const *stats; /* [region layer][region]: the scenario's */
    /* per region of the first layer, 2 n_norms + 2 values: per norm the
     * people newly beyond it and newly within it, then better off, worse off */
    const double *cmp;
} rti_report_scen_type;

/* A scenario of the run, as the report reads it. */
typedef struct rti_report_scenario {
    const rti_scenario *def;
    const rti_report_scen_type *types; /* the types it changes */
    int n_types;
    int population_changed; /* its population changes added or removed people */
    /* 1: not a scenario but run B of `reistijd compare` against run A (the
     * view's types), its files in the output folder itself (def->name "") */
    int compare_runs;
    double pop_added, pop_removed;
} rti_report_scenario;

typedef struct rti_report_view {
    const rt_study *study;
    const rti_grid_spec *grid;
    int64_t n_passable;
    double pop_on_grid;
    const float *pop;                   /* persons per cell, NULL without a population */
    const rti_polygons *const *regions; /* per region layer of the study */
    const rti_report_type *types;       /* per facility type of the study */
    const rti_input_file *inputs;       /* the inputs with their checksums */
    int n_inputs;
    /* the warnings of the run so far, in order: where the run keeps its
     * list and its count (a warning logged while the report is written
     * may move the list); NULL = none */
    char *const *const *warnings;
    const int *n_warnings;
    /* the medium: its type, the type of a hybrid's medium over land (else
     * NULL), the speed off the roads of the speed model over land (else
     * NaN), the speed profile of a road medium (else NULL) */
    const char *medium_type, *land_type;
    double land_offroad_kmh;
    const char *profile_path;
    /* where the files go: <outdir>/<name>, registered in outs (the one
     * thing the report writes to that it does not own) */
    const char *outdir;
    rti_outset *outs;
    /* the scenarios (else NULL, 0), from planning on; their statistics
     * and comparisons are filled when they have run */
    const rti_report_scenario *scenarios;
    int n_scenarios;
} rti_report_view;

/* The report's own state: the classes of each type's maps, and while a
 * report is due its map images and histograms. */
typedef struct rti_report_state rti_report_state;

/* rti_report_plan - before the searches: the classes of every type, and
 * (study->outputs.report) the map frame and the per-type buffers that
 * rti_report_add_labels fills; for `reistijd compare` (a scenario with
 * compare_runs) only the delta maps' buffers, as its report draws no map
 * of a run's own. Free with rti_report_state_free(). */
rt_status rti_report_plan(rt_ctx *ctx, const rti_report_view *v, rti_report_state **out);
/* 1 when the report of v draws the maps of the run's own times and
 * measures: a run's report does, compare's does not. */
int rti_report_own_maps(const rti_report_view *v);
/* In type t's parallel task, while its labels exist: its class image, its
 * histogram and its population within each norm, from lab and the
 * population per cell (NULL: 1 per cell). Tasks of different types may
 * run at once. */
void rti_report_add_labels(rti_report_state *r, const rti_report_view *v, int t,
                           const rt_labels *lab, const float *pop);
/* In the measures stage, while the values x of measure k of type t
 * exist (one per cell of the grid, the measure's unit): its classes (of
 * the data for counts, capacities and ratios) and, with a report, its map
 * image (after rti_report_add_labels of type t: a cell no route reaches
 * is left blank as on the travel-time map). RT_E_NOMEM only. */
rt_status rti_report_add_measure(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v, int t,
                                 int k, const double *x);
/* In the scenarios' tasks, while the baseline's times ta and the
 * scenario's tb (s, +inf = unreachable) of changed type k of scenario i
 * (of v->scenarios) exist: the class image of its delta map (tb - ta in
 * the classes of rti_classes_delta; the cells that became unreachable or
 * reachable in classes of their own, those unreachable in both blank),
 * and the population of the cells that became unreachable and reachable
 * among those with region[c] >= 0 (the first region layer; NULL: every
 * cell), weighed by pop (the scenario's; NULL: 1 per cell) as the
 * compare tables weigh. Does nothing without a report. Tasks of
 * different (i, k) may run at once. */
void rti_report_add_delta(rti_report_state *r, const rti_report_view *v, int i, int k,
                          const double *ta, const double *tb, const float *pop,
                          const int32_t *region);
/* The unit of measure d's values: "min" or "km" for a time or distance
 * (rti_measure_is_cost), else "". */
const char *rti_measure_unit(const rti_measure_def *d);
/* A value of measure d as the report writes it (HTML): a time
 * or distance with one decimal; else as shown (per 100,000 inhabitants for
 * the ratios of the floating catchments) with three significant digits,
 * whole numbers from 1000, and "<0.01" for a positive value below 0.005;
 * NaN: "&ndash;". */
const char *rti_measure_value_text(rti_language lang, const rti_measure_def *d, double v, char *buf,
                                   size_t n);
/* The rows of n regions pooled into one (*out): their population, the
 * population with none within reach and the population-weighted mean (for
 * a cost over the people with a value); Gini and worst decile NaN. The
 * same as rti_measure_regions over the cells of all n regions, up to the
 * rounding of sums added in another order. */
void rti_measure_pooled(const rti_measure_region *rows, int64_t n, int cost_like,
                        rti_measure_region *out);
/* After the tables: the .qml files, the GeoPackage styles and report.html,
 * all under temporary names in v->outs. */
rt_status rti_report_write_run(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v);
void rti_report_state_free(rti_report_state *r);
/* The two runs `reistijd compare` compares, as its report names them. */
typedef struct rti_report_runs {
    const char *dir_a, *study_a, *dir_b, *study_b;
    double threshold_min;
} rti_report_runs;
/* scenarios.c: report.html of `reistijd compare` into path: the two runs,
 * then v->scenarios[0] (run B, compare_runs set) as a scenario's part of
 * a run's report shows it. v has regions. */
rt_status rti_report_write_compare(rt_ctx *ctx, const rti_report_state *rs,
                                   const rti_report_view *v, const rti_report_runs *runs,
                                   const char *path);

/* ---- for the files of report/ only ---- */
#ifdef RTI_REPORT_INTERNAL
#define RTI_HIST_BINS 20

/* The report's own buffers of one measure of a type. */
typedef struct rti_report_measure_state {
    rti_classes classes; /* of its map, its legend and its .qml */
    /* the colours of the map: the classes', then grey (no value: fewer
     * than k within reach, capacity not covered) */
    rti_rgba colour[RTI_MAX_CLASSES + 1];
    uint8_t *map_class; /* class per pixel (255: no route), NULL = no report */
} rti_report_measure_state;

/* The report's own buffers of one facility type. */
typedef struct rti_report_type_state {
    rti_classes classes; /* time classes of its maps and styles */
    rti_classes length;  /* length classes of its length grid's style */
    uint8_t *map_class;  /* class per pixel of the map (255 = no colour), NULL = no report */
    double *hist;        /* population per time bin, RTI_HIST_BINS + 2 values */
    double hist_width_s; /* bin width */
    double pop_within[RT_STATS_MAX_NORMS]; /* whole grid: reached and within each norm */
    rti_report_measure_state *measures;    /* per measure of the type, NULL without */
    int n_measures;
} rti_report_type_state;

/* The classes of a delta map after those of rti_classes_delta: cells
 * that became unreachable, and reachable, in the scenario. */
#define RTI_DELTA_LOST 9
#define RTI_DELTA_GAINED 10

/* The report's own buffers of one type a scenario changes. */
typedef struct rti_report_delta_state {
    uint8_t *map_class;          /* class per pixel (255: unreachable in both) */
    double pop_lost, pop_gained; /* became unreachable, reachable (first region layer) */
} rti_report_delta_state;

struct rti_report_state {
    rti_map_frame map;            /* frame of the report's maps */
    int32_t map_up, map_down;     /* pixels per cell, or cells per pixel (one of them is 1) */
    rti_report_type_state *types; /* per facility type */
    int n_types;
    /* with a report and scenarios (else NULL, 0): per scenario of the
     * view and type it changes, type k of scenario i at delta_at[i] + k */
    rti_report_delta_state *deltas;
    int *delta_at;
    int n_scenarios, n_deltas;
};

/* The language of the report of view v. */
#define RTI_LANG(v) ((v)->study->report.language)
/* Key k in the language of view v. */
#define RTI_T(v, k) rti_label_text(RTI_LANG(v), (k))

/* The label of a facility type: its label, else its type. */
static inline const char *rti_type_label(const rti_facility_type *f)
{
    return f->label ? f->label : f->type;
}
/* Room for a label HTML-escaped (a byte may become "&quot;"). */
#define RTI_LABEL_HTML_BYTES (6 * RTI_LABEL_MAX_BYTES + 1)
/* The first region layer's label HTML-escaped into buf, for the sentences
 * and captions that the report writes as HTML. */
static inline const char *rti_first_layer_html(const rti_report_view *v,
                                               char buf[RTI_LABEL_HTML_BYTES])
{
    return rti_html_escape(v->study->regions[0].label, buf, RTI_LABEL_HTML_BYTES);
}
/* A legend of the classes, with `extra` (HTML list items) at its end. */
void rti_report_legend(rti_sbuf *b, const rti_report_view *v, const rti_classes *c,
                       const char *extra);
/* The cell under the centre of pixel (x, y) of the report's map frame. */
int64_t rti_report_frame_cell(const rti_report_state *r, const rti_grid_spec *g, int32_t x,
                              int32_t y);
/* The facilities over a map: the points of pts at their start cells
 * (cell[i] < 0: not shown), and crossed out the points of crossed whose
 * crossed_cell[i] >= 0 (crossed may be NULL). */
typedef struct rti_map_facilities {
    const rti_points *pts;
    const int64_t *cell;
    const rti_points *crossed;
    const int64_t *crossed_cell;
} rti_map_facilities;
/* A map of type t's facilities over a class image, as a <figure>. */
typedef struct rti_map_figure {
    const uint8_t *map_class; /* per pixel of the frame; a class >= n_colours is blank */
    const rti_rgba *colour;
    int n_colours;
    const rti_classes *classes; /* of the legend (NULL: only extra) */
    const char *alt;            /* HTML: the image's alt text */
    const char *extra;          /* HTML: legend items after the classes (may be NULL) */
    const char *caption;        /* HTML: the caption, before the data attribution */
    const char *file;           /* the GeoTIFF shown, named after the attribution when the
                                 * run writes GeoTIFFs (outputs.grids); NULL: none */
    rti_map_facilities fac;     /* fac.pts NULL: the facilities type t uses */
} rti_map_figure;
rt_status rti_report_map_figure(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v,
                                int t, const rti_map_figure *m, rti_sbuf *b);
/* A table cell with its value v (for sorting; NaN: "&ndash;") and text. */
void rti_report_num_cell(rti_sbuf *b, double v, const char *text, const char *cls);
/* regions.c: the start of region i's row of a table: "<tr>", its code and
 * (when the layer has names) its name. */
void rti_report_region_cells(rti_sbuf *b, const rti_polygons *p, int64_t i);
/* facilities.c: over a map (after its image, in frame f) the overlay:
 * scale bar, north arrow, a hover text on every facility of fac shown and
 * its name where it fits, and a cross with a hover text on every
 * facility crossed out. */
rt_status rti_report_map_marks(rt_ctx *ctx, rti_sbuf *b, const rti_map_frame *f,
                               const rti_report_view *v, const rti_map_facilities *fac);
/* facilities.c: the facilities of type t: what became of them, in
 * sentences and a table. */
void rti_report_facilities(rti_sbuf *b, const rti_report_view *v, int t);
/* A search field over the table with id table_id (the report's script
 * hides the rows whose code and name do not hold its text), labelled with
 * format fmt, its "%s" (if any) replaced by arg. */
void rti_report_search_field(rti_sbuf *b, const char *table_id, const char *fmt, const char *arg);
/* regions.c: the inhabitants of region layer r's regions, by the first
 * facility type's statistics (a study with population and facilities). */
double rti_report_layer_pop(const rti_report_view *v, int r);
/* regions.c: the section of region layer r. */
rt_status rti_report_region_section(rt_ctx *ctx, const rti_report_state *rs,
                                    const rti_report_view *v, int r, rti_report *rep);

/* measures.c: at planning, the classes of type t's measures (those of its
 * times and distances; the others until their data comes) and, with a
 * report, their map images. */
rt_status rti_report_plan_measures(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v,
                                   int t);
/* measures.c: what measure d is, in words ("Number of facilities within
 * 15 min"), in language lang. */
void rti_measure_words(rti_language lang, const rti_measure_def *d, char *buf, size_t n);
/* measures.c: the section of type t's measures. */
rt_status rti_report_measures_section(rt_ctx *ctx, const rti_report_state *rs,
                                      const rti_report_view *v, int t, rti_report *rep);

/* closures.c: the section "Sensitive facilities" (outputs.closures). */
rt_status rti_report_closures_section(rt_ctx *ctx, const rti_report_view *v, rti_report *rep);
/* scenarios.c: at planning, with a report, the class images of the delta
 * maps of every scenario of v. */
rt_status rti_report_plan_deltas(rt_ctx *ctx, rti_report_state *r, const rti_report_view *v);
/* scenarios.c: the section "Scenarios", when the run has any. */
rt_status rti_report_scenarios_section(rt_ctx *ctx, const rti_report_state *rs,
                                       const rti_report_view *v, rti_report *rep);
/* run_styles.c: the .qml files and the GeoPackage styles. */
rt_status rti_report_styles(rt_ctx *ctx, const rti_report_state *rs, const rti_report_view *v);
#endif

#endif
