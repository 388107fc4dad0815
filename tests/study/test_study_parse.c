/* Study file parser: a full study, defaults, path resolution, one case per
 * kind of error (with the line and column counted in the fixture text) and
 * an allocation-failure loop. Fixtures are written to a fresh temporary
 * folder. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/ctx_internal.h"
#include "reistijd/rt_study.h"
#include "study/spec/spec.h"
#include "test_common.h"

static char tmp_dir[256];

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Writes text to <tmp>/<name> and returns that path in buf. */
static const char *fixture(char *buf, size_t n, const char *name, const char *text)
{
    snprintf(buf, n, "%s/%s", tmp_dir, name);
    write_text(buf, text);
    return buf;
}

/* 1-based line and column where `needle` first occurs in text. */
static void position_of(const char *text, const char *needle, int *line, int *column)
{
    const char *hit = strstr(text, needle);
    if (!hit)
        fail_msg("marker '%s' not in the fixture", needle);
    *line = 1;
    *column = 1;
    for (const char *c = text; c < hit; c++) {
        if (*c == '\n') {
            (*line)++;
            *column = 1;
        } else {
            (*column)++;
        }
    }
}

static int setup_ctx(void **state)
{
    rt_ctx *ctx = rt_ctx_create();
    if (!ctx)
        return -1;
    *state = ctx;
    return 0;
}

static int teardown_ctx(void **state)
{
    rt_ctx_destroy(*state);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/rt_study_parse_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static const char *const fixture_names[] = {
    "full.yaml",  "minimal.yml",    "abs.yaml",    "model.yaml",  "bad.yaml",
    "empty.yaml", "dir.yaml",       "hybrid.yaml", "bounds.yaml", "big.yaml",
    "fifo.yaml",  "directive.yaml", "zip.yml",     NULL};

static int group_teardown(void **state)
{
    (void)state;
    char path[512];
    for (int i = 0; fixture_names[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", tmp_dir, fixture_names[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/dir.yaml", tmp_dir);
    rmdir(path);
    return rmdir(tmp_dir);
}

/* ------------------------------------------------------------------ */
/* A full study                                                       */

static const char full_yaml[] =
    "# Hospitals in the Rijnmond area\n"
    "study:\n"
    "  name: Rijnmond ziekenhuizen\n"
    "  crs: EPSG:3035\n"
    "  cell_size_m: 100\n"
    "  extent: [55000, 415000, 110000.5, 455000]\n"
    "  snap_radius_m: 250\n"
    "  neighbours: 8\n"
    "  memory_limit: 8 GiB\n"
    "  invalid_polygons: error\n"
    "  attribution: \"Bron: CBS & co\"\n"
    "\n"
    "medium:\n"
    "  type: speed_model\n"
    "  offroad_kmh: 15\n"
    "  land: {path: ../geodata/nl.gpkg, layer: gemeenten}\n"
    "  roads: {path: ./roads.gpkg, layer: roads, where: \"highway <> 'path'\"}\n"
    "  class_column: highway\n"
    "  classes: {motorway: 100, primary: 80, residential: 30}\n"
    "  default_road_kmh: 25\n"
    "  description: \"Indicative car speeds\"\n"
    "\n"
    "facilities:\n"
    "  - type: ziekenhuis\n"
    "    label: Ziekenhuis\n"
    "    source: {path: zh.csv, crs: EPSG:4326, x_column: lon, y_column: lat}\n"
    "    id_column: ziekenhuisnummer\n"
    "    name_column: naam_ziekenhuis\n"
    "    capacity_column: beds\n"
    "    norms: {minutes: [30, 45], km: [10]}\n"
    "    classes: {minutes: [10, 20, 30, 45, 60.5], km: 5}\n"
    "  - type: huisarts\n"
    "    source:\n"
    "      path: /data/huisartsen.gpkg\n"
    "      layer: praktijken\n"
    "      where: \"soort = 'x'\"\n"
    "\n"
    "population:\n"
    "  kind: grid\n"
    "  source: {path: cbs_vk100.gpkg, layer: vierkant_100m, attribution: CBS (CC BY 4.0)}\n"
    "  count_column: aantal_inwoners\n"
    "\n"
    "regions:\n"
    "  - name: gemeente\n"
    "    source: {path: wijkbuurt.gpkg, layer: gemeenten}\n"
    "    id_column: gemeentecode\n"
    "    name_column: gemeentenaam\n"
    "  - name: wijk\n"
    "    label: wijk (CBS 2024)\n"
    "    source: wijken.gpkg\n"
    "    id_column: wijkcode\n"
    "\n"
    "outputs: {grids: true, second: false, length: true, geopackage: False, csv: TRUE,\n"
    "          report: false, closures: true}\n"
    "report: {language: nl}\n";

/* "<tmp>/<rel>" */
static void in_tmp(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/%s", tmp_dir, rel);
}

static void assert_where(rti_where at, const char *text, const char *marker)
{
    int line, column;
    position_of(text, marker, &line, &column);
    assert_int_equal(at.line, line);
    assert_int_equal(at.column, column);
}

static void check_full_study_section(const rt_study *s)
{
    char want[512];
    in_tmp(want, sizeof(want), "full.yaml");
    assert_string_equal(s->path, want);
    assert_string_equal(s->dir, tmp_dir);
    assert_string_equal(s->name, "Rijnmond ziekenhuizen");
    assert_string_equal(s->crs, "EPSG:3035");
    assert_true(s->cell_m == 100.0);
    assert_int_equal(s->has_extent, 1);
    assert_true(s->extent[0] == 55000.0 && s->extent[1] == 415000.0);
    assert_true(s->extent[2] == 110000.5 && s->extent[3] == 455000.0);
    assert_true(s->buffer_m == 5000.0);
    assert_true(s->snap_radius_m == 250.0);
    assert_int_equal(s->neighbours, 8);
    assert_true(s->memory_limit_bytes == (uint64_t)8 << 30);
    assert_string_equal(s->invalid_polygons, "error");
}

static void check_full_medium(const rt_study *s)
{
    char want[512];
    const rti_medium *m = &s->medium;
    assert_int_equal(m->kind, RTI_MEDIUM_SPEED_MODEL);
    assert_where(m->at, full_yaml, "medium:");
    assert_true(m->offroad_kmh == 15.0);
    assert_int_equal(m->has_land, 1);
    in_tmp(want, sizeof(want), "../geodata/nl.gpkg");
    assert_string_equal(m->land.path, want);
    assert_string_equal(m->land.layer, "gemeenten");
    assert_where(m->land.at, full_yaml, "land:");
    assert_int_equal(m->has_roads, 1);
    in_tmp(want, sizeof(want), "roads.gpkg");
    assert_string_equal(m->roads.path, want);
    assert_string_equal(m->roads.where, "highway <> 'path'");
    assert_null(m->speed_column);
    assert_string_equal(m->class_column, "highway");
    assert_int_equal(m->n_classes, 3);
    assert_string_equal(m->classes[0].name, "motorway");
    assert_true(m->classes[0].speed_kmh == 100.0);
    assert_string_equal(m->classes[1].name, "primary");
    assert_true(m->classes[1].speed_kmh == 80.0);
    assert_string_equal(m->classes[2].name, "residential");
    assert_true(m->classes[2].speed_kmh == 30.0);
    assert_true(m->default_road_kmh == 25.0);
    assert_string_equal(m->description, "Indicative car speeds");
    assert_null(m->raster.path);
    assert_null(m->resampling);
}

static void check_full_facilities(const rt_study *s)
{
    char want[512];
    assert_int_equal(s->n_facilities, 2);
    const rti_facility_type *f = &s->facilities[0];
    assert_string_equal(f->type, "ziekenhuis");
    assert_string_equal(f->label, "Ziekenhuis");
    assert_where(f->at, full_yaml, "type: ziekenhuis");
    in_tmp(want, sizeof(want), "zh.csv");
    assert_string_equal(f->src.path, want);
    assert_string_equal(f->src.crs, "EPSG:4326");
    assert_string_equal(f->src.x_column, "lon");
    assert_string_equal(f->src.y_column, "lat");
    assert_null(f->src.layer);
    assert_int_equal(f->src.band, 1);
    assert_where(f->src.at, full_yaml, "source: {path: zh.csv");
    assert_string_equal(f->id_column, "ziekenhuisnummer");
    assert_string_equal(f->name_column, "naam_ziekenhuis");
    assert_string_equal(f->capacity_column, "beds");
    assert_int_equal(f->n_norms, 3);
    assert_int_equal(f->norms[0].kind, RT_NORM_TIME);
    assert_true(f->norms[0].limit_s == 1800.0);
    assert_int_equal(f->norms[1].kind, RT_NORM_TIME);
    assert_true(f->norms[1].limit_s == 2700.0);
    assert_int_equal(f->norms[2].kind, RT_NORM_LENGTH);
    assert_true(f->norms[2].limit_m == 10000.0);
    /* classes: as written, in their own units; one number is one break */
    assert_int_equal(f->n_class_min, 5);
    const double breaks[5] = {10, 20, 30, 45, 60.5};
    for (int k = 0; k < 5; k++)
        assert_true(f->class_min[k] == breaks[k]);
    assert_int_equal(f->n_class_km, 1);
    assert_true(f->class_km[0] == 5);

    f = &s->facilities[1];
    assert_string_equal(f->type, "huisarts");
    assert_string_equal(f->label, "huisarts");
    assert_string_equal(f->src.path, "/data/huisartsen.gpkg");
    assert_string_equal(f->src.layer, "praktijken");
    assert_string_equal(f->src.where, "soort = 'x'");
    assert_where(f->src.at, full_yaml, "source:\n      path");
    assert_null(f->id_column);
    assert_int_equal(f->n_norms, 0);
    assert_int_equal(f->n_class_min, 0);
    assert_int_equal(f->n_class_km, 0);
}

static void check_full_rest(const rt_study *s)
{
    char want[512];
    assert_int_equal(s->has_population, 1);
    assert_int_equal(s->population.kind, RTI_POP_GRID);
    in_tmp(want, sizeof(want), "cbs_vk100.gpkg");
    assert_string_equal(s->population.src.path, want);
    assert_string_equal(s->population.src.layer, "vierkant_100m");
    assert_string_equal(s->population.count_column, "aantal_inwoners");
    assert_string_equal(s->population.src.attribution, "CBS (CC BY 4.0)");
    assert_where(s->population.at, full_yaml, "population:");

    assert_int_equal(s->n_regions, 2);
    assert_string_equal(s->regions[0].name, "gemeente");
    assert_string_equal(s->regions[0].id_column, "gemeentecode");
    assert_string_equal(s->regions[0].name_column, "gemeentenaam");
    assert_where(s->regions[0].at, full_yaml, "name: gemeente");
    assert_string_equal(s->regions[1].name, "wijk");
    assert_string_equal(s->regions[0].label, "gemeente"); /* the name when not given */
    assert_string_equal(s->regions[1].label, "wijk (CBS 2024)");
    in_tmp(want, sizeof(want), "wijken.gpkg");
    assert_string_equal(s->regions[1].src.path, want);
    assert_null(s->regions[1].src.layer);
    assert_null(s->regions[1].name_column);
    assert_where(s->regions[1].src.at, full_yaml, "source: wijken");

    assert_int_equal(s->outputs.grids, 1);
    assert_int_equal(s->outputs.second, 0);
    assert_int_equal(s->outputs.length, 1);
    assert_int_equal(s->outputs.geopackage, 0);
    assert_int_equal(s->outputs.csv, 1);
    assert_int_equal(s->outputs.report, 0);
    assert_int_equal(s->outputs.closures, 1);
    /* the layers of a GeoPackage follow it when not given */
    assert_int_equal(s->outputs.isochrones, 0);
    assert_int_equal(s->outputs.catchments, 0);
    assert_int_equal(s->report.language, RTI_LANG_NL);
    assert_string_equal(s->attribution, "Bron: CBS & co");
    assert_null(s->regions[1].src.attribution);
    assert_null(s->summary);
}

static void full_study_parses(void **state)
{
    rt_ctx *ctx = *state;
    char path[512];
    rt_study *s = NULL;
    fixture(path, sizeof(path), "full.yaml", full_yaml);
    rt_status st = rt_study_load(ctx, path, &s);
    assert_int_equal(st, RT_OK);
    assert_non_null(s);
    check_full_study_section(s);
    check_full_medium(s);
    check_full_facilities(s);
    check_full_rest(s);
    rt_study_destroy(s);
}

/* ------------------------------------------------------------------ */
/* Defaults                                                           */

static const char minimal_yaml[] =
    "study: {cell_size_m: 25}\n"
    "medium: {type: friction, raster: friction.tif}\n"
    "facilities: [{type: apotheek, source: apotheken.gpkg}]\n"
    "regions: [{name: buurt, source: buurten.gpkg, id_column: bu}]\n";

static void defaults_are_applied(void **state)
{
    rt_ctx *ctx = *state;
    char path[512], want[512];
    rt_study *s = NULL;
    fixture(path, sizeof(path), "minimal.yml", minimal_yaml);
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    assert_string_equal(s->name, "minimal");
    assert_string_equal(s->crs, "EPSG:28992");
    assert_true(s->cell_m == 25.0);
    assert_int_equal(s->has_extent, 0);
    assert_true(s->buffer_m == 5000.0);
    assert_true(s->snap_radius_m == 50.0);
    assert_int_equal(s->neighbours, 16);
    assert_true(s->memory_limit_bytes == 0);
    assert_string_equal(s->invalid_polygons, "repair");
    assert_int_equal(s->medium.kind, RTI_MEDIUM_FRICTION);
    in_tmp(want, sizeof(want), "friction.tif");
    assert_string_equal(s->medium.raster.path, want);
    assert_int_equal(s->medium.raster.band, 1);
    assert_where(s->medium.raster.at, minimal_yaml, "raster:");
    assert_string_equal(s->medium.resampling, "near");
    assert_null(s->medium.description);
    assert_int_equal(s->n_facilities, 1);
    assert_string_equal(s->facilities[0].label, "apotheek");
    assert_int_equal(s->facilities[0].n_norms, 0);
    assert_int_equal(s->has_population, 0);
    assert_int_equal(s->n_regions, 1);
    assert_int_equal(s->outputs.grids, 1);
    assert_int_equal(s->outputs.second, 1);
    assert_int_equal(s->outputs.length, 1);
    assert_int_equal(s->outputs.geopackage, 1);
    assert_int_equal(s->outputs.csv, 1);
    assert_int_equal(s->outputs.report, 1);
    assert_int_equal(s->outputs.closures, 0);
    assert_int_equal(s->outputs.isochrones, 1);
    assert_int_equal(s->outputs.catchments, 1);
    assert_int_equal(s->report.language, RTI_LANG_EN);
    assert_null(s->attribution);
    assert_null(s->medium.raster.attribution);
    rt_study_destroy(s);
}

/* An archive read through GDAL and named relative to the study file is
 * found by the study file's folder too, as a plain path is (it was read
 * from the working folder): /vsizip/kaart.zip/... and /vsizip/{./pop.zip}
 * get the folder before the archive; an absolute archive, a nested one and
 * a driver-prefixed string stay as written. */
static void archives_by_the_study_folder(void **state)
{
    rt_ctx *ctx = *state;
    char path[512], want[600];
    rt_study *s = NULL;
    fixture(path, sizeof(path), "zip.yml",
            "study: {cell_size_m: 25}\n"
            "medium: {type: friction, raster: /vsizip/kaart.zip/friction.tif}\n"
            "facilities:\n"
            "  - {type: apotheek, source: \"/vsizip/{./pop.zip}/a.shp\"}\n"
            "  - {type: huisarts, source: /vsizip//data/h.zip/h.shp}\n"
            "  - {type: tandarts, source: \"/vsizip//vsizip/data/t.zip/in.zip/t.shp\"}\n"
            "  - {type: seh, source: \"GPKG:seh.gpkg:seh\"}\n"
            "regions: [{name: buurt, source: /vsitar/b.tar/b.gpkg, id_column: bu}]\n");
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    snprintf(want, sizeof(want), "/vsizip/%s/kaart.zip/friction.tif", tmp_dir);
    assert_string_equal(s->medium.raster.path, want);
    snprintf(want, sizeof(want), "/vsizip/{%s/pop.zip}/a.shp", tmp_dir);
    assert_string_equal(s->facilities[0].src.path, want);
    assert_string_equal(s->facilities[1].src.path, "/vsizip//data/h.zip/h.shp");
    assert_string_equal(s->facilities[2].src.path, "/vsizip//vsizip/data/t.zip/in.zip/t.shp");
    assert_string_equal(s->facilities[3].src.path, "GPKG:seh.gpkg:seh");
    snprintf(want, sizeof(want), "/vsitar/%s/b.tar/b.gpkg", tmp_dir);
    assert_string_equal(s->regions[0].src.path, want);
    rt_study_destroy(s);
}

/* A speed raster with band and resampling, speed columns, a plain number
 * of bytes and a population of points. */
static void variants_parse(void **state)
{
    rt_ctx *ctx = *state;
    char path[512];
    rt_study *s = NULL;
    static const char yaml[] =
        "study:\n  cell_size_m: 10.5\n  memory_limit: 1048576\n  extent_buffer_m: 0\n"
        "medium:\n  type: speed\n  raster: {path: /abs/speed.tif, band: 3}\n"
        "  resampling: bilinear\n"
        "facilities:\n  - {type: ov_halte, source: haltes.gpkg, norms: {km: 1.5}}\n"
        "population: {kind: points, source: {path: adressen.csv, x_column: x, y_column: y}}\n"
        "regions:\n  - {name: pc4, source: pc4.gpkg, id_column: postcode}\n";
    fixture(path, sizeof(path), "abs.yaml", yaml);
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    assert_true(s->cell_m == 10.5);
    assert_true(s->snap_radius_m == 21.0);
    assert_true(s->buffer_m == 0.0);
    assert_true(s->memory_limit_bytes == 1048576);
    assert_int_equal(s->medium.kind, RTI_MEDIUM_SPEED);
    assert_string_equal(s->medium.raster.path, "/abs/speed.tif");
    assert_int_equal(s->medium.raster.band, 3);
    assert_string_equal(s->medium.resampling, "bilinear");
    assert_int_equal(s->facilities[0].n_norms, 1);
    assert_int_equal(s->facilities[0].norms[0].kind, RT_NORM_LENGTH);
    assert_true(s->facilities[0].norms[0].limit_m == 1500.0);
    double limits_s[RT_STATS_MAX_NORMS];
    assert_int_equal(rti_isochrone_limits(&s->facilities[0], limits_s), 0); /* km only */
    assert_int_equal(s->population.kind, RTI_POP_POINTS);
    assert_null(s->population.count_column);
    assert_string_equal(s->population.src.x_column, "x");
    rt_study_destroy(s);

    static const char model[] =
        "study: {cell_size_m: 50}\n"
        "medium: {type: speed_model, offroad_kmh: 5, roads: r.gpkg, speed_column: maxspeed}\n"
        "facilities: [{type: a, source: a.gpkg, norms: {minutes: [15, 45, 7.5], km: 5}}]\n"
        "regions: [{name: b, source: b.gpkg, id_column: c}]\n"
        "outputs: {catchments: false}\n";
    fixture(path, sizeof(path), "model.yaml", model);
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    assert_int_equal(s->outputs.isochrones, 1);
    assert_int_equal(s->outputs.catchments, 0);
    /* the isochrones: the norms in minutes, in seconds, largest first */
    assert_int_equal(rti_isochrone_limits(&s->facilities[0], limits_s), 3);
    assert_true(limits_s[0] == 2700.0 && limits_s[1] == 900.0 && limits_s[2] == 450.0);
    assert_string_equal(s->medium.speed_column, "maxspeed");
    assert_int_equal(s->medium.has_land, 0);
    assert_true(isnan(s->medium.default_road_kmh));
    assert_int_equal(s->medium.n_classes, 0);
    rt_study_destroy(s);

    /* hybrid: the network keys, the grid medium under offroad; the access
     * distance defaults to the cell size */
    static const char hybrid[] = "study: {cell_size_m: 25}\n"
                                 "medium:\n"
                                 "  type: hybrid\n"
                                 "  roads: r.pbf\n"
                                 "  mode: walk\n"
                                 "  offroad: {type: speed_model, offroad_kmh: 3, land: l.gpkg}\n"
                                 "facilities: [{type: a, source: a.gpkg}]\n"
                                 "regions: [{name: b, source: b.gpkg, id_column: c}]\n";
    fixture(path, sizeof(path), "hybrid.yaml", hybrid);
    assert_int_equal(rt_study_load(ctx, path, &s), RT_OK);
    assert_int_equal(s->medium.kind, RTI_MEDIUM_HYBRID);
    assert_int_equal(s->medium.mode, RTI_NET_WALK);
    assert_true(s->medium.access_max_m == 25.0);
    assert_true(s->medium.access_kmh == 5.0);
    assert_non_null(s->medium.offroad);
    assert_int_equal(s->medium.offroad->kind, RTI_MEDIUM_SPEED_MODEL);
    assert_true(s->medium.offroad->offroad_kmh == 3.0);
    assert_int_equal(s->medium.offroad->has_land, 1);
    assert_int_equal(s->medium.has_land, 0);
    rt_study_destroy(s);
}

/* ------------------------------------------------------------------ */
/* Errors                                                             */

/* One bad study: the file is assembled from the minimal sections with one
 * section replaced. The error must be at `marker` (its occurrence'th
 * appearance, 1 = first) and name `key` and `what`. */
typedef struct bad_case {
    const char *name;
    const char *study, *medium, *facilities, *population, *regions, *extra;
    const char *marker; /* where the error points */
    const char *key;    /* NULL: the message has no key part */
    const char *what;
} bad_case;

static const char s_ok[] = "study:\n  cell_size_m: 100\n";
static const char m_ok[] = "medium:\n  type: friction\n  raster: f.tif\n";
static const char f_ok[] = "facilities:\n  - type: huisarts\n    source: h.gpkg\n";
static const char r_ok[] = "regions:\n  - name: gemeente\n    source: g.gpkg\n"
                           "    id_column: code\n";

static const bad_case bad_cases[] = {
    {"syntax_tab_indent", "study:\n\tcell_size_m: 100\n", 0, 0, 0, 0, 0, "\tcell", NULL,
     "YAML syntax error: tab character"},
    {"syntax_duplicate_key", "study:\n  cell_size_m: 100\n  crs: EPSG:28992\n  crs: x\n", 0, 0, 0,
     0, 0, "crs: x", NULL, "YAML syntax error: duplicate key"},
    {"root_not_mapping", "- 1\n- 2\n", "", "", "", "", 0, "1", NULL, "must be a mapping"},
    /* a tag would make a number of a text; a merge key would bring in keys */
    {"yaml_tag", "study:\n  cell_size_m: !!str 100\n", 0, 0, 0, 0, 0, "!!str", NULL,
     "an explicit YAML tag (!!str, !name): a study file has none"},
    {"yaml_merge_key", 0, 0,
     "facilities:\n  - &z {type: huisarts, source: a.gpkg}\n  - <<: *z\n    type: apotheek\n", 0, 0,
     0, "<<", NULL, "a YAML merge key (<<): a study file has none"},
    {"unknown_key_suggestion", "study:\n  cel_size_m: 100\n", 0, 0, 0, 0, 0, "cel_size_m",
     "study.cel_size_m", "unknown key; did you mean 'cell_size_m'?"},
    {"unknown_key_list", 0, 0, 0, 0, 0, "colour: blue\n", "colour", "colour",
     "unknown key; valid keys here: study, medium, facilities"},
    {"unknown_top_level_typo", 0, 0, 0, 0, 0, "facility:\n  - x\n", "facility:", "facility",
     "did you mean 'facilities'?"},
    {"missing_required_key", "study:\n  crs: EPSG:28992\n", 0, 0, 0, 0, 0,
     "study:", "study.cell_size_m", "required key is missing"},
    {"missing_section", 0, 0, 0, 0, "", 0, "study:", "regions", "required key is missing"},
    {"missing_in_list_item", 0, 0, 0, 0, "regions:\n  - name: wijk\n    source: w.gpkg\n", 0,
     "name: wijk", "regions[0].id_column", "required key is missing"},
    {"number_expected", "study:\n  cell_size_m: abc\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "expected a number, got 'abc'"},
    {"quoted_number", "study:\n  cell_size_m: \"100\"\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "expected a number, got the quoted text '100'"},
    {"empty_value", "study:\n  cell_size_m:\n", 0, 0, 0, 0, 0, "cell_size_m", "study.cell_size_m",
     "expected a number, got an empty value"},
    {"mapping_expected", "study: [1, 2]\n", 0, 0, 0, 0, 0, "study", "study",
     "expected a mapping, got a list"},
    {"cell_size_negative", "study:\n  cell_size_m: -5\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "cell_size_m must be > 0 (from 0.01 to 100000 m), got -5"},
    {"cell_size_zero", "study:\n  cell_size_m: 0\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "cell_size_m must be > 0 (from 0.01 to 100000 m), got 0"},
    {"neighbours_not_8_16", "study:\n  cell_size_m: 100\n  neighbours: 12\n", 0, 0, 0, 0, 0,
     "neighbours", "study.neighbours", "neighbours must be 8 or 16, got 12"},
    {"neighbours_fraction", "study:\n  cell_size_m: 100\n  neighbours: 8.5\n", 0, 0, 0, 0, 0,
     "neighbours", "study.neighbours", "expected a whole number, got '8.5'"},
    {"extent_three_numbers", "study:\n  cell_size_m: 100\n  extent: [1, 2, 3]\n", 0, 0, 0, 0, 0,
     "extent", "study.extent", "expected a list of 4 numbers"},
    {"extent_bad_number", "study:\n  cell_size_m: 100\n  extent: [1, 2, x3, 4]\n", 0, 0, 0, 0, 0,
     "x3", "study.extent[2]", "expected a number, got 'x3'"},
    {"extent_inverted", "study:\n  cell_size_m: 100\n  extent: [10, 0, 5, 10]\n", 0, 0, 0, 0, 0,
     "extent", "study.extent", "xmin must be < xmax"},
    {"extent_and_buffer",
     "study:\n  cell_size_m: 100\n  extent: [0, 0, 5, 5]\n  extent_buffer_m: 100\n", 0, 0, 0, 0, 0,
     "extent_buffer_m", "study.extent_buffer_m", "has no effect when 'extent' is given"},
    {"memory_limit_unit", "study:\n  cell_size_m: 100\n  memory_limit: 8 GB/s\n", 0, 0, 0, 0, 0,
     "memory_limit", "study.memory_limit", "expected a number of bytes or a size like '8 GiB'"},
    {"enum_invalid", 0, "medium:\n  type: walk\n  raster: f.tif\n", 0, 0, 0, 0, "type: walk",
     "medium.type", "invalid value 'walk'; valid values: friction, speed, speed_model"},
    {"enum_suggestion", "study:\n  cell_size_m: 100\n  invalid_polygons: repiar\n", 0, 0, 0, 0, 0,
     "invalid_polygons", "study.invalid_polygons", "(did you mean 'repair'?)"},
    {"medium_key_of_other_type", 0,
     "medium:\n  type: friction\n  raster: f.tif\n  offroad_kmh: 5\n", 0, 0, 0, 0, "offroad_kmh",
     "medium.offroad_kmh", "applies to medium type speed_model only"},
    {"hybrid_without_offroad", 0, "medium:\n  type: hybrid\n  roads: r.pbf\n  mode: car\n", 0, 0, 0,
     0, "medium:", "medium.offroad", "required key is missing"},
    {"hybrid_offroad_is_network", 0,
     "medium:\n  type: hybrid\n  roads: r.pbf\n  mode: car\n"
     "  offroad:\n    type: network\n    roads: r.pbf\n    mode: walk\n",
     0, 0, 0, 0, "type: network", "medium.offroad.type",
     "the medium over land must be a grid: friction, speed or speed_model"},
    {"hybrid_grid_key_on_top", 0,
     "medium:\n  type: hybrid\n  roads: r.pbf\n  mode: car\n  offroad_kmh: 4\n"
     "  offroad: {type: speed, raster: s.tif}\n",
     0, 0, 0, 0, "offroad_kmh", "medium.offroad_kmh",
     "does not apply to medium type hybrid (the grid medium's keys go under 'offroad')"},
    {"hybrid_offroad_bad_key", 0,
     "medium:\n  type: hybrid\n  roads: r.pbf\n  mode: car\n"
     "  offroad:\n    type: speed_model\n    offroad_kmh: -4\n",
     0, 0, 0, 0, "offroad_kmh: -4", "medium.offroad.offroad_kmh",
     "offroad_kmh must be > 0 (from 0.001 to 1000 km/h), got -4"},
    {"hybrid_length_norm", 0,
     "medium:\n  type: hybrid\n  roads: r.pbf\n  mode: car\n"
     "  offroad: {type: speed, raster: s.tif}\n",
     "facilities:\n  - type: huisarts\n    source: h.gpkg\n    norms: {km: 5}\n", 0, 0, 0,
     "type: huisarts", "facilities[0].norms",
     "norms in km need route lengths, which are not computed for medium type hybrid"},
    {"speed_and_class_column", 0,
     "medium:\n  type: speed_model\n  offroad_kmh: 5\n  roads: r.gpkg\n  speed_column: ms\n"
     "  class_column: highway\n  classes: {primary: 80}\n",
     0, 0, 0, 0, "class_column", "medium.class_column",
     "give either speed_column or class_column, not both"},
    {"class_column_without_classes", 0,
     "medium:\n  type: speed_model\n  offroad_kmh: 5\n  roads: r.gpkg\n  class_column: highway\n",
     0, 0, 0, 0, "medium:", "medium.classes", "required key is missing"},
    {"class_speed_negative", 0,
     "medium:\n  type: speed_model\n  offroad_kmh: 5\n  roads: r.gpkg\n  class_column: h\n"
     "  classes:\n    primary: 80\n    track: -1\n",
     0, 0, 0, 0, "track", "medium.classes.track",
     "track must be > 0 (from 0.001 to 1000 km/h), got -1"},
    {"roads_columns_without_roads", 0,
     "medium:\n  type: speed_model\n  offroad_kmh: 5\n  speed_column: ms\n", 0, 0, 0, 0,
     "speed_column", "medium.speed_column", "'speed_column' needs 'roads'"},
    {"band_on_vector_source", 0, 0, 0, 0,
     "regions:\n  - name: gemeente\n    source: {path: g.gpkg, band: 2}\n    id_column: c\n", 0,
     "band", "regions[0].source.band", "'band' applies to raster sources only"},
    {"layer_on_raster_source", 0, "medium:\n  type: friction\n  raster: {path: f.tif, layer: x}\n",
     0, 0, 0, 0, "layer", "medium.raster.layer", "does not apply to a raster source"},
    {"source_without_path", 0, 0, "facilities:\n  - type: huisarts\n    source: {layer: h}\n", 0, 0,
     0, "source", "facilities[0].source.path", "required key is missing"},
    {"x_without_y", 0, 0,
     "facilities:\n  - type: huisarts\n    source: {path: h.csv, x_column: lon}\n", 0, 0, 0,
     "x_column", "facilities[0].source.x_column", "give both or neither"},
    {"duplicate_facility_type", 0, 0,
     "facilities:\n  - type: huisarts\n    source: a.gpkg\n  - type: apotheek\n"
     "    source: b.gpkg\n  - type: huisarts\n    source: c.gpkg\n",
     0, 0, 0, "type: huisarts\n    source: c", "facilities[2].type",
     "duplicate facility type 'huisarts' (first given at line 7)"},
    {"facility_type_invalid", 0, 0, "facilities:\n  - type: Huis arts\n    source: a.gpkg\n", 0, 0,
     0, "type: Huis", "facilities[0].type", "'Huis arts' is not a valid name"},
    /* names the GeoPackage or Windows has for itself */
    {"region_name_layer_styles", 0, 0, 0, 0,
     "regions:\n  - {name: layer_styles, source: g.gpkg, id_column: code}\n", 0, "name: layer",
     "regions[0].name", "'layer_styles' cannot be a name: it is the table of the QGIS styles"},
    {"region_name_gpkg_prefix", 0, 0, 0, 0,
     "regions:\n  - {name: gpkg_contents, source: g.gpkg, id_column: code}\n", 0, "name: gpkg",
     "regions[0].name", "begins like the tables of GeoPackage and SQLite themselves"},
    {"region_name_windows_device", 0, 0, 0, 0,
     "regions:\n  - {name: com1, source: g.gpkg, id_column: code}\n", 0, "name: com1",
     "regions[0].name",
     "'com1' cannot be a name: it is a device name, which Windows gives no file"},
    {"region_label_too_long", 0, 0, 0, 0,
     "regions:\n  - name: gemeente\n    label: "
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxx"
     "\n    source: g.gpkg\n    id_column: code\n",
     0, "label: x", "regions[0].label",
     "is 101 bytes long: a label holds at most 100 (it is a title in the report)"},
    {"facilities_empty", 0, 0, "facilities: []\n", 0, 0, 0, "facilities", "facilities",
     "needs at least 1 facility type"},
    {"facility_not_mapping", 0, 0, "facilities:\n  - huisarts\n", 0, 0, 0, "huisarts",
     "facilities[0]", "expected a mapping (one facility type), got 'huisarts'"},
    {"norm_minutes_negative", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n  - type: b\n    source: b.gpkg\n"
     "    norms: {minutes: [30, -45]}\n",
     0, 0, 0, "-45", "facilities[1].norms.minutes[1]",
     "minutes must be > 0 and at most 100000 minutes, got -45"},
    {"norm_not_a_number", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms:\n      km: ten\n", 0, 0, 0, "km",
     "facilities[0].norms.km", "expected a number, got 'ten'"},
    {"norm_unknown_unit", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {minuten: [30]}\n", 0, 0, 0,
     "minuten", "facilities[0].norms.minuten", "did you mean 'minutes'?"},
    {"norms_too_many", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n"
     "    norms: {minutes: [1, 2, 3, 4, 5, 6], km: [1, 2, 3]}\n",
     0, 0, 0, "3]}", "facilities[0].norms.km[2]", "at most 8 norms"},
    {"norm_twice", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {minutes: [15, 15]}\n", 0, 0, 0,
     "15]", "facilities[0].norms.minutes[1]", "the norm 15 minutes is given twice"},
    /* two norms whose columns would have one name (beyond_30min) */
    {"norm_same_name", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {minutes: [30, 30.000001]}\n", 0, 0,
     0, "30.000001]", "facilities[0].norms.minutes[1]",
     "reads as 30 minutes, as another norm of this type does"},
    {"classes_not_increasing", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {minutes: [10, 30, 20]}\n", 0, 0,
     0, "20]", "facilities[0].classes.minutes[2]",
     "class breaks must increase: 20 minutes follows 30 minutes"},
    {"classes_twice", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {km: [5, 5]}\n", 0, 0, 0, "5]",
     "facilities[0].classes.km[1]", "class breaks must increase: 5 km follows 5 km"},
    {"classes_zero", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {minutes: [0, 15]}\n", 0, 0, 0,
     "0, 15", "facilities[0].classes.minutes[0]",
     "minutes must be > 0 and at most 100000 minutes, got 0"},
    {"classes_km_above_bound", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {km: [10, 20001]}\n", 0, 0, 0,
     "20001", "facilities[0].classes.km[1]", "km must be > 0 and at most 20000 km, got 20001"},
    {"classes_empty", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {minutes: []}\n", 0, 0, 0,
     "minutes", "facilities[0].classes.minutes",
     "expected at least 1 value, got an empty list; leave 'minutes' out for the default breaks"},
    {"norms_empty", 0, 0, "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {km: []}\n", 0,
     0, 0, "km", "facilities[0].norms.km",
     "expected at least 1 value, got an empty list; leave 'km' out for no norm in that unit"},
    {"classes_not_a_number", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {minutes: [5, half]}\n", 0, 0, 0,
     "half", "facilities[0].classes.minutes[1]", "expected a number, got 'half'"},
    {"classes_unknown_unit", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: {min: [5]}\n", 0, 0, 0,
     "min:", "facilities[0].classes.min", "unknown key; valid keys here: minutes, km"},
    {"classes_too_many", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n"
     "    classes: {minutes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]}\n",
     0, 0, 0, "16]", "facilities[0].classes.minutes[15]", "at most 15 class breaks per unit"},
    {"classes_not_a_mapping", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    classes: [5, 10]\n", 0, 0, 0, "classes",
     "facilities[0].classes", "expected a mapping"},
    {"population_count_missing", 0, 0, 0, "population:\n  kind: grid\n  source: p.gpkg\n", 0, 0,
     "population:", "population.count_column", "required key is missing"},
    {"population_kind_invalid", 0, 0, 0, "population:\n  kind: cbs\n  source: p.gpkg\n", 0, 0,
     "kind", "population.kind", "valid values: raster, grid, polygons, points"},
    {"population_raster_count", 0, 0, 0,
     "population:\n  kind: raster\n  source: p.tif\n  count_column: n\n", 0, 0, "count_column",
     "population.count_column", "does not apply to kind raster"},
    {"duplicate_region_name", 0, 0, 0, 0,
     "regions:\n  - {name: wijk, source: a.gpkg, id_column: a}\n"
     "  - {name: wijk, source: b.gpkg, id_column: b}\n",
     0, "name: wijk, source: b", "regions[1].name", "duplicate region name 'wijk'"},
    {"output_not_bool", 0, 0, 0, 0, 0, "outputs: {grids: yes}\n", "grids", "outputs.grids",
     "expected true or false, got 'yes'"},
    {"closures_not_bool", 0, 0, 0, 0, 0, "outputs: {closures: maybe}\n", "closures",
     "outputs.closures", "expected true or false, got 'maybe'"},
    {"closures_misspelt", 0, 0, 0, 0, 0, "outputs: {closure: true}\n", "closure", "outputs.closure",
     "did you mean 'closures'?"},
    {"isochrones_not_bool", 0, 0, 0, 0, 0, "outputs: {isochrones: maybe}\n", "isochrones",
     "outputs.isochrones", "expected true or false, got 'maybe'"},
    {"catchments_not_bool", 0, 0, 0, 0, 0, "outputs: {catchments: 1}\n", "catchments",
     "outputs.catchments", "expected true or false, got '1'"},
    {"isochrones_misspelt", 0, 0, 0, 0, 0, "outputs: {isochrone: true}\n", "isochrone",
     "outputs.isochrone", "did you mean 'isochrones'?"},
    {"isochrones_without_geopackage", 0, 0, 0, 0, 0,
     "outputs: {geopackage: false, isochrones: true}\n", "isochrones", "outputs.isochrones",
     "the isochrones are layers of reistijd.gpkg, which 'geopackage: false' turns off"},
    {"catchments_without_geopackage", 0, 0, 0, 0, 0,
     "outputs: {catchments: true, geopackage: false}\n", "catchments", "outputs.catchments",
     "leave 'catchments' out or set it to false"},
    {"source_empty_path", 0, 0, "facilities:\n  - type: a\n    source: \"\"\n", 0, 0, 0, "source",
     "facilities[0].source", "must not be empty"},
    {"two_documents", 0, 0, 0, 0, 0, "---\nstudy: {}\n", "study: {}", NULL,
     "more than one YAML document"},

    /* ---- every number just beyond its range (docs/study-file.md) ---- */
    {"cell_size_too_large", "study:\n  cell_size_m: 1e308\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "cell_size_m must be from 0.01 to 100000 m, got 1e308"},
    {"cell_size_above_100_km", "study:\n  cell_size_m: 100000.001\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "from 0.01 to 100000 m, got 100000.001"},
    {"cell_size_below_1_cm", "study:\n  cell_size_m: 0.0099\n", 0, 0, 0, 0, 0, "cell_size_m",
     "study.cell_size_m", "cell_size_m must be from 0.01 to 100000 m, got 0.0099"},
    {"extent_beyond_1e8", "study:\n  cell_size_m: 100\n  extent: [0, 0, 100000000.5, 10]\n", 0, 0,
     0, 0, 0, "100000000.5", "study.extent[2]",
     "xmax must be from -100000000 to 100000000 m, got 100000000.5"},
    {"extent_below_minus_1e8", "study:\n  cell_size_m: 100\n  extent: [-1e300, 0, 5, 10]\n", 0, 0,
     0, 0, 0, "-1e300", "study.extent[0]",
     "xmin must be from -100000000 to 100000000 m, got -1e300"},
    {"buffer_beyond_1000_km", "study:\n  cell_size_m: 100\n  extent_buffer_m: 1000001\n", 0, 0, 0,
     0, 0, "extent_buffer_m", "study.extent_buffer_m",
     "extent_buffer_m must be from 0 to 1000000 m, got 1000001"},
    {"buffer_negative", "study:\n  cell_size_m: 100\n  extent_buffer_m: -1\n", 0, 0, 0, 0, 0,
     "extent_buffer_m", "study.extent_buffer_m", "must be from 0 to 1000000 m, got -1"},
    {"snap_radius_beyond_100_km", "study:\n  cell_size_m: 100\n  snap_radius_m: 100000.5\n", 0, 0,
     0, 0, 0, "snap_radius_m", "study.snap_radius_m",
     "snap_radius_m must be from 0 to 100000 m, got 100000.5"},
    {"memory_limit_beyond_1_pib", "study:\n  cell_size_m: 100\n  memory_limit: 1025 TiB\n", 0, 0, 0,
     0, 0, "memory_limit", "study.memory_limit",
     "memory_limit must be from 1 byte to 1 PiB, got 1025 TiB"},
    {"memory_limit_zero", "study:\n  cell_size_m: 100\n  memory_limit: 0\n", 0, 0, 0, 0, 0,
     "memory_limit", "study.memory_limit", "memory_limit must be from 1 byte to 1 PiB, got 0"},
    {"memory_limit_fraction_of_a_byte", "study:\n  cell_size_m: 100\n  memory_limit: 1.5\n", 0, 0,
     0, 0, 0, "memory_limit", "study.memory_limit",
     "memory_limit: 1.5 is no whole number of bytes; give a unit, such as '1.5 GB'"},
    {"offroad_too_fast", 0, "medium:\n  type: speed_model\n  offroad_kmh: 1000.5\n", 0, 0, 0, 0,
     "offroad_kmh", "medium.offroad_kmh",
     "offroad_kmh must be from 0.001 to 1000 km/h, got 1000.5"},
    {"offroad_too_slow", 0, "medium:\n  type: speed_model\n  offroad_kmh: 1e-300\n", 0, 0, 0, 0,
     "offroad_kmh", "medium.offroad_kmh",
     "offroad_kmh must be from 0.001 to 1000 km/h, got 1e-300"},
    {"class_speed_too_fast", 0,
     "medium:\n  type: speed_model\n  offroad_kmh: 5\n  roads: r.gpkg\n  class_column: h\n"
     "  classes:\n    primary: 80\n    hyperloop: 1200\n",
     0, 0, 0, 0, "hyperloop", "medium.classes.hyperloop",
     "hyperloop must be from 0.001 to 1000 km/h, got 1200"},
    {"default_road_too_slow", 0,
     "medium:\n  type: speed_model\n  offroad_kmh: 5\n  roads: r.gpkg\n  speed_column: v\n"
     "  default_road_kmh: 0.0009\n",
     0, 0, 0, 0, "default_road_kmh", "medium.default_road_kmh",
     "default_road_kmh must be from 0.001 to 1000 km/h, got 0.0009"},
    {"network_speed_too_fast", 0,
     "medium:\n  type: network\n  roads: r.pbf\n  mode: car\n  speeds: {motorway: 1001}\n", 0, 0, 0,
     0, "1001", "medium.speeds.motorway", "motorway must be from 0.001 to 1000 km/h, got 1001"},
    {"access_speed_too_fast", 0,
     "medium:\n  type: network\n  roads: r.pbf\n  mode: car\n  access: {speed_kmh: 1e9}\n", 0, 0, 0,
     0, "speed_kmh", "medium.access.speed_kmh",
     "speed_kmh must be from 0.001 to 1000 km/h, got 1e9"},
    {"access_distance_beyond_100_km", 0,
     "medium:\n  type: network\n  roads: r.pbf\n  mode: car\n"
     "  access: {max_distance_m: 100001}\n",
     0, 0, 0, 0, "max_distance_m", "medium.access.max_distance_m",
     "max_distance_m must be from 0 to 100000 m, got 100001"},
    {"snap_tolerance_beyond_1_km", 0,
     "medium:\n  type: network\n  roads: r.gpkg\n  format: lines\n  speed_column: v\n"
     "  snap_tolerance_m: 1000.5\n  mode: car\n",
     0, 0, 0, 0, "snap_tolerance_m", "medium.snap_tolerance_m",
     "snap_tolerance_m must be from 0 to 1000 m, got 1000.5"},
    {"snap_tolerance_on_osm", 0,
     "medium:\n  type: network\n  roads: r.pbf\n  format: osm\n  snap_tolerance_m: 1\n"
     "  mode: car\n",
     0, 0, 0, 0, "snap_tolerance_m", "medium.snap_tolerance_m",
     "'snap_tolerance_m' applies to formats lines and nwb only"},
    {"speed_column_on_nwb", 0,
     "medium:\n  type: network\n  roads: r.gpkg\n  format: nwb\n  speed_column: v\n"
     "  mode: car\n",
     0, 0, 0, 0, "speed_column", "medium.speed_column",
     "'speed_column' applies to format lines only"},
    {"norm_minutes_1e308", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {minutes: [30, 1e308]}\n", 0, 0, 0,
     "1e308", "facilities[0].norms.minutes[1]",
     "minutes must be > 0 and at most 100000 minutes, got 1e308"},
    {"norm_minutes_above_bound", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {minutes: 100000.01}\n", 0, 0, 0,
     "minutes", "facilities[0].norms.minutes",
     "minutes must be > 0 and at most 100000 minutes, got 100000.01"},
    {"norm_km_above_bound", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {km: [20000.5]}\n", 0, 0, 0,
     "20000.5", "facilities[0].norms.km[0]", "km must be > 0 and at most 20000 km, got 20000.5"},
    {"norm_km_zero", 0, 0, "facilities:\n  - type: a\n    source: a.gpkg\n    norms: {km: 0}\n", 0,
     0, 0, "km", "facilities[0].norms.km", "km must be > 0 and at most 20000 km, got 0"},

    /* ---- the rest of this round ---- */
    {"where_with_semicolon", 0, 0,
     "facilities:\n  - type: a\n    source: {path: a.gpkg, where: \"x = 1; DROP TABLE a\"}\n", 0, 0,
     0, "where", "facilities[0].source.where",
     "a filter must not contain ';' (GDAL would silently drop what follows it), got 'x = 1; "
     "DROP TABLE a'"},
    {"report_language_unknown", 0, 0, 0, 0, 0, "report: {language: de}\n", "language",
     "report.language", "invalid value 'de'; valid values: en, nl"},
    {"report_language_misspelt", 0, 0, 0, 0, 0, "report:\n  language: NL\n", "language",
     "report.language", "invalid value 'NL'; valid values: en, nl (did you mean 'nl'?)"},
    {"report_language_not_text", 0, 0, 0, 0, 0, "report: {language: [nl]}\n", "language",
     "report.language", "expected a text"},
    {"report_key_misspelt", 0, 0, 0, 0, 0, "report: {langauge: nl}\n", "langauge",
     "report.langauge", "did you mean 'language'?"},
    {"report_not_mapping", 0, 0, 0, 0, 0, "report: nl\n", "report", "report", "expected a mapping"},
    {"allow_remote_not_bool", "study:\n  cell_size_m: 100\n  allow_remote: yes\n", 0, 0, 0, 0, 0,
     "allow_remote", "study.allow_remote", "expected true or false, got 'yes'"},
    /* two grids with one file name, refused where validate sees it */
    {"measure_named_as_a_grid", 0, 0,
     "facilities:\n  - type: a\n    source: a.gpkg\n    measures:\n"
     "      - {kind: count, cutoff: 5, name: time_min}\n",
     0, 0, 0, "kind: count", 0,
     "grid 'time_min' of type 'a' and measure 'time_min' of type 'a' would both be written to "
     "a_time_min.tif; rename one of them"},
    {"types_a_second_and_a", 0, 0,
     "facilities:\n  - type: a_second\n    source: a.gpkg\n  - type: a\n    source: a.gpkg\n", 0, 0,
     0, "type: a\n", 0,
     "grid 'time_min' of type 'a_second' and grid 'second_time_min' of type 'a' would both be "
     "written to a_second_time_min.tif; rename one of them"},
};

static void build_case(const bad_case *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s%s%s", c->study ? c->study : s_ok, c->medium ? c->medium : m_ok,
             c->facilities ? c->facilities : f_ok, c->population ? c->population : "",
             c->regions ? c->regions : r_ok, c->extra ? c->extra : "");
}

static void bad_file_is_rejected(void **state)
{
    const bad_case *c = *state;
    rt_ctx *ctx = rt_ctx_create();
    char text[2048], path[512], want[1024];
    int line, column;
    assert_non_null(ctx);
    build_case(c, text, sizeof(text));
    fixture(path, sizeof(path), "bad.yaml", text);
    position_of(text, c->marker, &line, &column);
    if (c->key)
        snprintf(want, sizeof(want), "%s:%d:%d: key '%s': ", path, line, column, c->key);
    else
        snprintf(want, sizeof(want), "%s:%d:%d: ", path, line, column);

    static char sentinel;
    rt_study *s = (rt_study *)(void *)&sentinel; /* must be reset to NULL */
    rt_status st = rt_study_load(ctx, path, &s);
    char msg[RTI_MSG_BYTES];
    snprintf(msg, sizeof(msg), "%s", rt_ctx_errmsg(ctx));
    rt_ctx_destroy(ctx);
    if (st != RT_E_PARSE || strncmp(msg, want, strlen(want)) != 0 || !strstr(msg, c->what))
        fail_msg("case %s:\n  status %s\n  message  '%s'\n  expected '%s...%s'", c->name,
                 rt_status_str(st), msg, want, c->what);
    assert_null(s);
}

/* The internal entry point leaves a zeroed struct behind on error, even
 * when the error comes late (after many strings were allocated). */
static void error_leaves_zeroed_struct(void **state)
{
    rt_ctx *ctx = *state;
    char path[512], text[4096];
    rt_study s, zero;
    /* a typo late in the file, after most strings were allocated */
    snprintf(text, sizeof(text), "%s", full_yaml);
    char *p = strstr(text, "id_column: wijkcode");
    assert_non_null(p);
    memcpy(p, "id_colunm", 9);
    fixture(path, sizeof(path), "bad.yaml", text);
    memset(&s, 0x5a, sizeof(s));
    memset(&zero, 0, sizeof(zero));
    assert_int_equal(rti_study_parse_file(ctx, path, &s), RT_E_PARSE);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "key 'regions[1].id_colunm': unknown key; did you "
                                               "mean 'id_column'?"));
    assert_memory_equal(&s, &zero, sizeof(s));
    rti_study_clear(&s); /* safe on a zeroed struct */
}

static void unreadable_files(void **state)
{
    rt_ctx *ctx = *state;
    char path[512];
    rt_study *s = NULL;
    snprintf(path, sizeof(path), "%s/does-not-exist.yaml", tmp_dir);
    assert_int_equal(rt_study_load(ctx, path, &s), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "does-not-exist.yaml: cannot open"));
    assert_null(s);

    snprintf(path, sizeof(path), "%s/dir.yaml", tmp_dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(rt_study_load(ctx, path, &s), RT_E_IO);
    assert_non_null(strstr(rt_ctx_errmsg(ctx),
                           "dir.yaml: the study file is a folder, not a regular "
                           "file"));

    fixture(path, sizeof(path), "empty.yaml", "# nothing here\n");
    assert_int_equal(rt_study_load(ctx, path, &s), RT_E_PARSE);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "empty.yaml:1:1: the file holds no YAML document"));

    fixture(path, sizeof(path), "empty.yaml", "study:\n  name: caf\xc3\xa9 \xff\n");
    assert_int_equal(rt_study_load(ctx, path, &s), RT_E_PARSE);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "empty.yaml:2:14: the file is not UTF-8 text"));

    /* found by fuzzing: libfyaml 0.8 looped forever on '%' and U+059B; a
     * study file needs no YAML directive, and a line that starts with one
     * is refused (here the third line) before libfyaml sees the text */
    fixture(path, sizeof(path), "directive.yaml", "# a study\n\n%\xd6\x9b\n");
    assert_int_equal(rt_study_load(ctx, path, &s), RT_E_PARSE);
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "directive.yaml:3:1: a YAML directive"));
    /* a '%' that does not start a line is text (the study is incomplete) */
    fixture(path, sizeof(path), "directive.yaml", "study: {name: '10%'}\n");
    assert_int_equal(rt_study_load(ctx, path, &s), RT_E_PARSE);
    assert_null(strstr(rt_ctx_errmsg(ctx), "YAML directive"));
    assert_non_null(strstr(rt_ctx_errmsg(ctx), "required key is missing"));

    assert_int_equal(rt_study_load(ctx, NULL, &s), RT_E_ARG);
    assert_int_equal(rt_study_load(ctx, path, NULL), RT_E_ARG);
    rt_study_destroy(NULL);
}

/* ------------------------------------------------------------------ */
/* Numbers at the ends of their ranges                                */

/* The study of `text`, written as `name` and loaded; fails the test with
 * the library's message if it is refused. */
static rt_study *loaded(rt_ctx *ctx, const char *name, const char *text)
{
    char path[512];
    rt_study *s = NULL;
    fixture(path, sizeof(path), name, text);
    if (rt_study_load(ctx, path, &s) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    return s;
}

static void limits_at_their_bounds_are_taken(void **state)
{
    rt_ctx *ctx = *state;
    rt_study *s;
    static const char upper[] =
        "study:\n"
        "  cell_size_m: 100000\n"
        "  extent: [-100000000, -100000000, 100000000, 100000000]\n"
        "  snap_radius_m: 100000\n"
        "  memory_limit: 1024 TiB\n"
        "  allow_remote: true\n"
        "medium:\n"
        "  type: speed_model\n"
        "  offroad_kmh: 1000\n"
        "  roads: r.gpkg\n"
        "  class_column: h\n"
        "  classes: {primary: 0.001, motorway: 1000}\n"
        "  default_road_kmh: 0.001\n"
        "facilities:\n"
        "  - {type: a, source: a.gpkg, norms: {minutes: [100000, 1e-6], km: [20000, 1e-9]}}\n"
        "regions: [{name: b, source: b.gpkg, id_column: c}]\n";
    s = loaded(ctx, "bounds.yaml", upper);
    assert_true(s->cell_m == 100000.0);
    assert_true(s->extent[0] == -1e8 && s->extent[3] == 1e8);
    assert_true(s->snap_radius_m == 100000.0);
    assert_true(s->memory_limit_bytes == (uint64_t)1 << 50);
    assert_int_equal(s->allow_remote, 1);
    assert_true(s->medium.offroad_kmh == 1000.0);
    assert_true(s->medium.classes[0].speed_kmh == 0.001);
    assert_true(s->medium.classes[1].speed_kmh == 1000.0);
    assert_true(s->medium.default_road_kmh == 0.001);
    /* 100000 minutes = 6e6 s, 20000 km = 2e7 m */
    assert_true(s->facilities[0].norms[0].limit_s == 6e6);
    assert_true(s->facilities[0].norms[2].limit_m == 2e7);
    rt_study_destroy(s);

    static const char lower[] =
        "study: {cell_size_m: 0.01, extent_buffer_m: 1000000, snap_radius_m: 0, memory_limit: 1}\n"
        "medium:\n"
        "  type: network\n"
        "  roads: r.gpkg\n"
        "  format: lines\n"
        "  speed_column: v\n"
        "  snap_tolerance_m: 1000\n"
        "  mode: car\n"
        "  speeds: {motorway: 1000, track: 0.001}\n"
        "  access: {speed_kmh: 1000, max_distance_m: 100000}\n"
        "facilities: [{type: a, source: a.gpkg}]\n"
        "regions: [{name: b, source: b.gpkg, id_column: c}]\n";
    s = loaded(ctx, "bounds.yaml", lower);
    assert_true(s->cell_m == 0.01);
    assert_true(s->buffer_m == 1e6);
    assert_true(s->snap_radius_m == 0.0);
    assert_true(s->memory_limit_bytes == 1);
    assert_int_equal(s->allow_remote, 0); /* the default */
    assert_true(s->medium.snap_tolerance_m == 1000.0);
    assert_true(s->medium.speeds[0].speed_kmh == 1000.0);
    assert_true(s->medium.speeds[1].speed_kmh == 0.001);
    assert_true(s->medium.access_kmh == 1000.0);
    assert_true(s->medium.access_max_m == 100000.0);
    rt_study_destroy(s);
    /* NWB joins rows without junction ids by position: its tolerance is
     * taken (OSM's is refused: the bad cases) */
    static const char nwb[] = "study: {cell_size_m: 100}\n"
                              "medium:\n"
                              "  type: network\n"
                              "  roads: r.gpkg\n"
                              "  format: nwb\n"
                              "  snap_tolerance_m: 2\n"
                              "  mode: car\n"
                              "facilities: [{type: a, source: a.gpkg}]\n"
                              "regions: [{name: b, source: b.gpkg, id_column: c}]\n";
    s = loaded(ctx, "bounds.yaml", nwb);
    assert_true(s->medium.snap_tolerance_m == 2.0);
    rt_study_destroy(s);
}

/* ------------------------------------------------------------------ */
/* Hostile files: bounded YAML, only regular files                    */

/* Peak resident memory of this process so far, in KiB. */
static long peak_kib(void)
{
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* Writes n bytes of buf to <tmp>/<name>. */
static const char *write_bytes(char *path, size_t size, const char *name, const char *buf, size_t n)
{
    snprintf(path, size, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Loads path: status want and a message holding every fragment (NULL
 * ends them; the first may be "" to skip); the study stays NULL. */
static void expect_load(rt_ctx *ctx, const char *path, rt_status want, const char *const *frags)
{
    rt_study *s = NULL;
    rt_status st = rt_study_load(ctx, path, &s);
    if (st != want)
        fail_msg("%s: %s, expected %s: %s", path, rt_status_str(st), rt_status_str(want),
                 rt_ctx_errmsg(ctx));
    for (; *frags; frags++)
        if (!strstr(rt_ctx_errmsg(ctx), *frags))
            fail_msg("message '%s' lacks '%s'", rt_ctx_errmsg(ctx), *frags);
    assert_null(s);
}

#define EXPECT_LOAD(ctx, path, want, ...)                                                          \
    expect_load(ctx, path, want, (const char *const[]){__VA_ARGS__, NULL})

/* A growable text for the files below. */
typedef struct text_buf {
    char *s;
    size_t n, cap;
} text_buf;

static void put(text_buf *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        assert_true(k >= 0);
        if (t->s && (size_t)k < t->cap - t->n) {
            t->n += (size_t)k;
            return;
        }
        t->cap = 2 * (t->cap + (size_t)k + 1);
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
}

static void put_n(text_buf *t, const char *what, int n)
{
    for (int i = 0; i < n; i++)
        put(t, "%s", what);
}

/* Loads the text t from bounds.yaml: RT_E_PARSE with a message holding
 * want. Within a bound, want is the error after it (no document, a key
 * nothing knows): the text got past the bound. */
static void load_text(rt_ctx *ctx, const text_buf *t, const char *want)
{
    char path[512];
    write_bytes(path, sizeof(path), "bounds.yaml", t->s, t->n);
    EXPECT_LOAD(ctx, path, RT_E_PARSE, want);
}

/* The study file may be at most 1 MiB = 1048576 bytes: the minimal study
 * padded with comment lines to exactly that loads, one byte more does not. */
static void file_size_is_capped(void **state)
{
    rt_ctx *ctx = *state;
    char path[512];
    size_t size = 1048576;
    char *buf = malloc(size + 1);
    assert_non_null(buf);
    memset(buf, 'x', size + 1);
    size_t head = strlen(minimal_yaml);
    memcpy(buf, minimal_yaml, head);
    for (size_t i = head; i + 100 <= size; i += 100) { /* "# xxx...x\n", 100 bytes a line */
        buf[i] = '#';
        buf[i + 1] = ' ';
        buf[i + 99] = '\n';
    }
    buf[size - 1] = '\n';
    buf[size - (size - head) % 100] = '#';
    rt_study *s = NULL;
    write_bytes(path, sizeof(path), "big.yaml", buf, size);
    if (rt_study_load(ctx, path, &s) != RT_OK)
        fail_msg("%s", rt_ctx_errmsg(ctx));
    assert_string_equal(s->name, "big");
    rt_study_destroy(s);
    buf[size] = '\n';
    write_bytes(path, sizeof(path), "big.yaml", buf, size + 1);
    EXPECT_LOAD(ctx, path, RT_E_PARSE,
                "big.yaml: the study file is 1048577 bytes; at most 1048576 bytes are allowed");
    free(buf);
}

/* A word counts 1 token, each of [ ] { } , : ? - 6; at most 100000. A
 * file of only a comment holds no document, so the bound let it through. */
static void tokens_are_bounded(void **state)
{
    rt_ctx *ctx = *state;
    text_buf t = {0};
    put(&t, "#"); /* 1 */
    put_n(&t, " x", 99999);
    load_text(ctx, &t, "the file holds no YAML document");
    put(&t, " x"); /* the 100001st: '#' at column 1, x number k at 2k + 1 */
    load_text(ctx, &t, "bounds.yaml:1:200001: the file holds more than 100000 YAML tokens by here");
    /* 1 + 7 x 14285 = 99996; 1 + 7 x 14286 = 100003 */
    t.n = 0;
    put(&t, "#");
    put_n(&t, " -", 14285);
    load_text(ctx, &t, "the file holds no YAML document");
    put(&t, " -");
    load_text(ctx, &t, "bounds.yaml:1:28573: the file holds more than 100000");
    free(t.s);
}

/* The root mapping and n lists in it: n + 1 levels; at most 64. */
static void nesting_is_bounded(void **state)
{
    rt_ctx *ctx = *state;
    text_buf t = {0};
    for (int n = 63; n <= 64; n++) {
        t.n = 0;
        put(&t, "x: ");
        put_n(&t, "[", n);
        put_n(&t, "]", n);
        put(&t, "\n");
        /* 63: read, and refused for its key only; 64: at the 64th '[', at
         * column 3 + 64 */
        load_text(ctx, &t,
                  n == 63 ? "bounds.yaml:1:1: key 'x': unknown key"
                          : "bounds.yaml:1:67: lists and mappings are nested more than 64 deep");
    }
    /* mappings count the same: {a: {a: ... 1}}, the 64th '{' at column
     * 4 + 4 x 63 */
    t.n = 0;
    put(&t, "x: ");
    put_n(&t, "{a: ", 64);
    put(&t, "1");
    put_n(&t, "}", 64);
    load_text(ctx, &t, "bounds.yaml:1:256: lists and mappings are nested more");
    /* an alias nests its anchor where it stands: 32 levels under a, and
     * under b the root, n lists and a's 32; *a at column 4 + n of line 2 */
    for (int n = 31; n <= 32; n++) {
        t.n = 0;
        put(&t, "a: &a ");
        put_n(&t, "[", 32);
        put_n(&t, "]", 32);
        put(&t, "\nb: ");
        put_n(&t, "[", n);
        put(&t, "*a");
        put_n(&t, "]", n);
        put(&t, "\n");
        load_text(ctx, &t,
                  n == 31 ? "bounds.yaml:1:1: key 'a': unknown key"
                          : "bounds.yaml:2:36: lists and mappings are nested");
    }
    free(t.s);
}

/* Nodes with aliases expanded: the root, keys a, b, c, a's list of 1 +
 * 999, b's list of 98 copies of it, c's list of 1 + j: 1006 + 98000 + j.
 * At 100000 the document is built, and refused for its keys; one more is
 * refused at the 995th x of c, at column 5 + 3 x 994. */
static void nodes_are_bounded(void **state)
{
    rt_ctx *ctx = *state;
    text_buf t = {0};
    for (int j = 994; j <= 995; j++) {
        t.n = 0;
        put(&t, "a: &a [x");
        put_n(&t, ", x", 998);
        put(&t, "]\nb: [*a");
        put_n(&t, ", *a", 97);
        put(&t, "]\nc: [x");
        put_n(&t, ", x", j - 1);
        put(&t, "]\n");
        load_text(ctx, &t,
                  j == 994 ? "bounds.yaml:1:1: key 'a': unknown key"
                           : "bounds.yaml:3:2987: the file holds more than 100000 YAML nodes");
    }
    free(t.s);
}

/* At most 1000 aliases (alias 1001 at column 5 + 4 x 1000) and 1000
 * anchors (refused at the value of the 1001st, the x after "&a1001 "). */
static void aliases_and_anchors_are_bounded(void **state)
{
    rt_ctx *ctx = *state;
    text_buf t = {0};
    char want[160];
    for (int n = 1000; n <= 1001; n++) {
        t.n = 0;
        put(&t, "a: &a x\nb: [*a");
        put_n(&t, ", *a", n - 1);
        put(&t, "]\n");
        load_text(ctx, &t,
                  n == 1000 ? "bounds.yaml:1:1: key 'a': unknown key"
                            : "bounds.yaml:2:4005: the file uses more than 1000 aliases");
        t.n = 0;
        put(&t, "b: [&a1 x");
        for (int i = 2; i <= n; i++)
            put(&t, ", &a%d x", i);
        put(&t, "]\n");
        snprintf(want, sizeof(want), "bounds.yaml:1:1: key 'b': unknown key");
        if (n == 1001) {
            int line, column;
            position_of(t.s, "&a1001 x", &line, &column);
            snprintf(want, sizeof(want),
                     "bounds.yaml:%d:%d: the file defines more than 1000 anchors", line,
                     column + 7);
        }
        load_text(ctx, &t, want);
    }
    free(t.s);
}

/* Ten levels of anchors, each a list of ten aliases of the one before: 1.1
 * KB that would expand to 10^10 values. Refused without the memory
 * growing (it grew past 6 GB). */
static void alias_bomb_is_refused(void **state)
{
    rt_ctx *ctx = *state;
    text_buf t = {0};
    put(&t, "study:\n  cell_size_m: 100\nlevel0: &level0 [\"lol\"");
    put_n(&t, ", \"lol\"", 9);
    put(&t, "]\n");
    for (int i = 1; i < 10; i++) {
        put(&t, "level%d: &level%d [*level%d", i, i, i - 1);
        for (int k = 1; k < 10; k++)
            put(&t, ", *level%d", i - 1);
        put(&t, "]\n");
    }
    long before = peak_kib();
    /* level k's list holds 1 + 10 x (level k-1's) nodes: 11, 111, 1111,
     * 11111. Lines 1-6 hold 5 (the root, study, its mapping, a key and
     * 100) + 12 + 112 + 1112 + 11112 = 12353 nodes; line 7 adds level4's
     * key and list (12355), then 11111 per alias: the 8th crosses 100000
     * (101243). It starts at column 18 + 7 x 9: "level4: &level4 [" is 17
     * characters, ", *level3" 9. */
    load_text(ctx, &t, "bounds.yaml:7:81: the file holds more than 100000 YAML nodes");
    long grown = peak_kib() - before;
    if (grown > 65536)
        fail_msg("the peak memory grew by %ld KiB", grown);
    free(t.s);
}

/* Big files are refused from their size or their tokens, before they are
 * parsed: quickly, and without the memory growing (15 MB of '[' took
 * 5 GB, a list of 5 million items under an unknown key 1.7 GB). */
static void big_files_are_refused_quickly(void **state)
{
    rt_ctx *ctx = *state;
    char path[512];
    size_t big = 15 << 20;
    char *buf = malloc(big);
    assert_non_null(buf);
    memset(buf, '[', big);
    write_bytes(path, sizeof(path), "big.yaml", buf, big);
    long before = peak_kib();
    double t0 = (double)clock();
    EXPECT_LOAD(ctx, path, RT_E_PARSE, "big.yaml: the study file is 15728640 bytes; at most");
    /* 1 MiB of '[' passes the size; 1 + 6 x 16666 = 99997, the 16667th
     * crosses */
    write_bytes(path, sizeof(path), "big.yaml", buf, 1 << 20);
    EXPECT_LOAD(ctx, path, RT_E_PARSE,
                "big.yaml:1:16667: the file holds more than 100000 YAML tokens");
    free(buf);
    /* 5 million items under an unknown key: 10000035 bytes */
    text_buf t = {0};
    put(&t, "study:\n  cell_size_m: 100\nzzz: [");
    put_n(&t, "1,", 5000000);
    put(&t, "1]\n");
    write_bytes(path, sizeof(path), "big.yaml", t.s, t.n);
    EXPECT_LOAD(ctx, path, RT_E_PARSE, "big.yaml: the study file is 10000035 bytes; at most");
    /* 100000 of them (200035 bytes): line 3 is "zzz: [1,1,..."; the words
     * "study:", "cell_size_m:", "100" and "zzz:" count 1 + 6 each but 100,
     * 3 x 7 + 1 = 22 with their colons; the run "[1,1,..." 1, its '[' 6 and
     * each ',' 6: 22 + 7 + 6k crosses 100000 at the 16662nd comma, at
     * column 6 + 2 x 16662 */
    t.n = 0;
    put(&t, "study:\n  cell_size_m: 100\nzzz: [");
    put_n(&t, "1,", 100000);
    put(&t, "1]\n");
    write_bytes(path, sizeof(path), "big.yaml", t.s, t.n);
    EXPECT_LOAD(ctx, path, RT_E_PARSE,
                "big.yaml:3:33330: the file holds more than 100000 YAML tokens");
    free(t.s);
    double seconds = ((double)clock() - t0) / CLOCKS_PER_SEC;
    long grown = peak_kib() - before;
    if (seconds > 5.0 || grown > 65536)
        fail_msg("took %.2f s of CPU, the peak memory grew by %ld KiB", seconds, grown);
}

/* Calls rt_study_load on path within 20 s: a FIFO or a device must be
 * refused before any open that could block (the alarm ends a hung test). */
static void refused_in_time(rt_ctx *ctx, const char *path, const char *what)
{
    alarm(20);
    EXPECT_LOAD(ctx, path, RT_E_IO, what);
    alarm(0);
}

static void only_regular_files_are_read(void **state)
{
    rt_ctx *ctx = *state;
    char path[512], want[600];
    snprintf(path, sizeof(path), "%s/fifo.yaml", tmp_dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    snprintf(want, sizeof(want), "%s: the study file is a named pipe (FIFO), not a regular file",
             path);
    refused_in_time(ctx, path, want);
    unlink(path);
    refused_in_time(ctx, "/dev/null",
                    "/dev/null: the study file is a character device, not a regular file");
    /* a link to a regular file is read as that file */
    fixture(path, sizeof(path), "minimal.yml", minimal_yaml);
    char link[512];
    snprintf(link, sizeof(link), "%s/fifo.yaml", tmp_dir);
    assert_int_equal(symlink(path, link), 0);
    rt_study *s = NULL;
    assert_int_equal(rt_study_load(ctx, link, &s), RT_OK);
    rt_study_destroy(s);
    unlink(link);
}

/* Fails the k-th allocation for k = 1, 2, ... until the load succeeds:
 * every step must give RT_E_NOMEM (LeakSanitizer checks that nothing
 * leaks). */
static void allocation_failures_are_clean(void **state)
{
    rt_ctx *ctx = *state;
    char path[512];
    rt_study *s = NULL;
    fixture(path, sizeof(path), "full.yaml", full_yaml);
    int64_t k;
    for (k = 1; k < 100000; k++) {
        rti_ctx_fail_alloc_at(ctx, k);
        rt_status st = rt_study_load(ctx, path, &s);
        if (st == RT_OK && rti_ctx_alloc_count(ctx) >= k)
            fail_msg("allocation %lld failed and the call succeeded all the same", (long long)k);
        if (st == RT_OK)
            break;
        if (st != RT_E_NOMEM)
            fail_msg("allocation %lld: %s: %s", (long long)k, rt_status_str(st),
                     rt_ctx_errmsg(ctx));
        assert_null(s);
    }
    rti_ctx_fail_alloc_at(ctx, 0);
    assert_non_null(s);
    assert_true(k > 50); /* the full study makes many allocations */
    check_full_facilities(s);
    rt_study_destroy(s);
}

static void run_opts_defaults(void **state)
{
    (void)state;
    rt_run_opts o;
    memset(&o, 0x5a, sizeof(o));
    rt_run_opts_init(&o);
    assert_null(o.outdir);
    assert_int_equal(o.validate_only, 0);
}

int main(void)
{
    enum { N_FIXED = 16, N_BAD = sizeof(bad_cases) / sizeof(bad_cases[0]) };
    struct CMUnitTest tests[N_FIXED + N_BAD] = {
        cmocka_unit_test_setup_teardown(full_study_parses, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(limits_at_their_bounds_are_taken, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(file_size_is_capped, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(tokens_are_bounded, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(nesting_is_bounded, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(nodes_are_bounded, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(aliases_and_anchors_are_bounded, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(alias_bomb_is_refused, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(big_files_are_refused_quickly, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(only_regular_files_are_read, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(archives_by_the_study_folder, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(defaults_are_applied, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(variants_parse, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(error_leaves_zeroed_struct, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(unreadable_files, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(allocation_failures_are_clean, setup_ctx, teardown_ctx),
        cmocka_unit_test(run_opts_defaults),
    };
    for (int i = 0; i < N_BAD; i++) {
        struct CMUnitTest t = {bad_cases[i].name, bad_file_is_rejected, NULL, NULL,
                               (void *)&bad_cases[i]};
        tests[N_FIXED + i] = t;
    }
    rt_test_filters();
    return _cmocka_run_group_tests("study_parse", tests, N_FIXED + N_BAD, group_setup,
                                   group_teardown);
}
