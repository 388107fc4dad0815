/* The bad-input catalogue of the study file and the speed profiles (rows
 * and driver in tests/cli/bad_input.h): every number just beyond its range
 * (docs/study-file.md), a filter with ';', files that are not regular
 * files (a named pipe as the study file or as medium.profile, a folder),
 * and YAML that would exhaust memory (an alias bomb, deep nesting, files of
 * megabytes). Each row: exit 1, a message naming the file, the position,
 * the key, the value and the allowed range, nothing written, no time lost
 * (a named pipe hung the run forever, the bomb grew past 6 GB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/bad_input.h"

/* The lines 7-9 of the template (its medium), and a network medium in
 * their place that reads lines.geojson (the profile is read before the
 * roads). */
#define GRID_MEDIUM "  type: speed_model\n  offroad_kmh: 36\n  land: regions.geojson\n"
#define NETWORK "  type: network\n  roads: lines.geojson\n  mode: car\n"

/* in/<row's name><suffix>: the row's own inputs */
static void row_file(char *buf, const bad_case *c, const char *suffix)
{
    char file[128];
    snprintf(file, sizeof(file), "%s%s", c->name, suffix);
    cli_path(buf, in, file);
}

/* The row's study, a named pipe that no one writes to. */
static void fifo_study(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char path[CLI_PATH_MAX];
    row_file(path, c, ".yaml");
    assert_int_equal(mkfifo(path, 0600), 0);
}

static void folder_study(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char path[CLI_PATH_MAX];
    row_file(path, c, ".yaml");
    assert_int_equal(mkdir(path, 0700), 0);
}

/* The row's speed profile <name>_car.yaml, a named pipe. */
static void fifo_profile(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char path[CLI_PATH_MAX];
    row_file(path, c, "_car.yaml");
    assert_int_equal(mkfifo(path, 0600), 0);
}

/* Removes what the hooks made: the study and the profile of the row. */
static void remove_row_files(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char path[CLI_PATH_MAX];
    row_file(path, c, ".yaml");
    cli_rmrf(path);
    row_file(path, c, "_car.yaml");
    cli_rmrf(path);
}

/* A car profile whose motorways go at 5000 km/h, line 4. */
static void fast_profile(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char path[CLI_PATH_MAX];
    row_file(path, c, "_car.yaml");
    cli_write_file(path, "version: 1\nmode: car\nclasses:\n  motorway: 5000\n");
}

/* Writes the row's study (or profile: suffix): `head` (may be NULL) then
 * n times `item` then `tail`. */
static void write_repeated(const bad_case *c, const char *suffix, const char *head,
                           const char *item, size_t n, const char *tail)
{
    char path[CLI_PATH_MAX];
    row_file(path, c, suffix);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    if (head)
        fputs(head, f);
    for (size_t i = 0; i < n; i++)
        fputs(item, f);
    fputs(tail, f);
    assert_int_equal(fclose(f), 0);
}

/* Ten levels of anchors (l0 ... l9), each a list of ten aliases of the one
 * before, the first of ten words "lol": 1.1 KB that would expand to 10^10
 * values. */
static const char *alias_bomb_text(char *bomb, size_t size)
{
    size_t n = (size_t)snprintf(bomb, size, "l0: &l0 [lol");
    for (int k = 1; k < 10; k++)
        n += (size_t)snprintf(bomb + n, size - n, ", lol");
    n += (size_t)snprintf(bomb + n, size - n, "]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(bomb + n, size - n, "l%d: &l%d [*l%d", i, i, i - 1);
        for (int k = 1; k < 10; k++)
            n += (size_t)snprintf(bomb + n, size - n, ", *l%d", i - 1);
        n += (size_t)snprintf(bomb + n, size - n, "]\n");
    }
    return bomb;
}

/* The bomb after the template. */
static void alias_bomb(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char bomb[2048];
    write_repeated(c, ".yaml", template_yaml, "", 0, alias_bomb_text(bomb, sizeof(bomb)));
}

/* The bomb in a speed profile, which the study names. */
static void profile_bomb(const bad_case *c, const char *outdir)
{
    (void)outdir;
    char bomb[2048];
    write_repeated(c, "_car.yaml", "version: 1\nmode: car\n", "", 0,
                   alias_bomb_text(bomb, sizeof(bomb)));
}

/* 15 MiB of '[' */
static void brackets(const bad_case *c, const char *outdir)
{
    (void)outdir;
    write_repeated(c, ".yaml", NULL, "[[[[[[[[[[[[[[[[", 15u << 16, "");
}

/* 5 million items under an unknown key: 10 MB */
static void list_of_5_million(const bad_case *c, const char *outdir)
{
    (void)outdir;
    write_repeated(c, ".yaml", "zzz: [", "1,", 5000000, "1]\n");
}

/* 200001 items (400 KB), under the size limit but beyond the tokens */
static void list_of_200_thousand(const bad_case *c, const char *outdir)
{
    (void)outdir;
    write_repeated(c, ".yaml", "zzz: [", "1,", 200000, "1]\n");
}

/* in/<row's name>.geojson: the two facilities of the fixture with a
 * column fte holding `h1` and `h9` (JSON values). */
static void capacity_facilities(const bad_case *c, const char *h1, const char *h9)
{
    char path[CLI_PATH_MAX], text[1024];
    row_file(path, c, ".geojson");
    snprintf(text, sizeof(text),
             "{\"type\": \"FeatureCollection\", \"features\": ["
             "{\"type\": \"Feature\", \"properties\": {\"ref\": \"H1\", \"naam\": \"Centrum\", "
             "\"fte\": %s}, "
             "\"geometry\": {\"type\": \"Point\", \"coordinates\": [4.60146158981216, "
             "51.5903160553678]}},"
             "{\"type\": \"Feature\", \"properties\": {\"ref\": \"H9\", \"naam\": \"Ver weg\", "
             "\"fte\": %s}, "
             "\"geometry\": {\"type\": \"Point\", \"coordinates\": [5.38720621, "
             "52.15517440]}}]}",
             h1, h9);
    cli_write_file(path, text);
}

static void capacity_boolean(const bad_case *c, const char *outdir)
{
    (void)outdir;
    capacity_facilities(c, "true", "false");
}

static void capacity_empty(const bad_case *c, const char *outdir)
{
    (void)outdir;
    capacity_facilities(c, "2.5", "null");
}

static void capacity_negative(const bad_case *c, const char *outdir)
{
    (void)outdir;
    capacity_facilities(c, "-1", "3");
}

static void capacity_text(const bad_case *c, const char *outdir)
{
    (void)outdir;
    capacity_facilities(c, "\"veel\"", "3");
}

/* The template's norms (line 15) and the measures after them: the measure
 * entry is line 17, or 18 after a capacity_column. */
#define NORMS "    norms: {minutes: [1.5, 4]}\n"
#define MEASURE(m) NORMS "    measures:\n      - " m "\n"
#define CAP_MEASURE(m) NORMS "    capacity_column: fte\n    measures:\n      - " m "\n"

/* Positions are counted in the template of bad_input.h (the line numbers
 * are its comments) with the line replaced. */
static const bad_case cases[] = {
    /* ---- numbers of study: ---- */
    {.name = "cell_1e308",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 1e308\n",
     .exit_code = 1,
     .fragments = {"cell_1e308.yaml:3:3:", "key 'study.cell_size_m'",
                   "cell_size_m must be from 0.01 to 100000 m, got 1e308", "RT_E_PARSE"}},
    {.name = "cell_1_mm",
     .from = "  cell_size_m: 100\n",
     .to = "  cell_size_m: 0.001\n",
     .exit_code = 1,
     .fragments = {"cell_1_mm.yaml:3:3:", "key 'study.cell_size_m'",
                   "cell_size_m must be from 0.01 to 100000 m, got 0.001", "RT_E_PARSE"}},
    /* "  extent: [" 11 characters, "100000, 400000, " 16: 1e300 at 28 */
    {.name = "extent_1e300",
     .from = "  extent_buffer_m: 0\n",
     .to = "  extent: [100000, 400000, 1e300, 401000]\n",
     .exit_code = 1,
     .fragments = {"extent_1e300.yaml:4:28:", "key 'study.extent[2]'",
                   "xmax must be from -100000000 to 100000000 m, got 1e300", "RT_E_PARSE"}},
    {.name = "buffer_10000_km",
     .from = "  extent_buffer_m: 0\n",
     .to = "  extent_buffer_m: 1e7\n",
     .exit_code = 1,
     .fragments = {"buffer_10000_km.yaml:4:3:", "key 'study.extent_buffer_m'",
                   "extent_buffer_m must be from 0 to 1000000 m, got 1e7", "RT_E_PARSE"}},
    {.name = "snap_radius_1000_km",
     .from = "  neighbours: 16\n",
     .to = "  neighbours: 16\n  snap_radius_m: 1e6\n",
     .exit_code = 1,
     .fragments = {"snap_radius_1000_km.yaml:6:3:", "key 'study.snap_radius_m'",
                   "snap_radius_m must be from 0 to 100000 m, got 1e6", "RT_E_PARSE"}},
    {.name = "memory_2000_tb",
     .from = "  neighbours: 16\n",
     .to = "  neighbours: 16\n  memory_limit: 2000 TB\n",
     .exit_code = 1,
     .fragments = {"memory_2000_tb.yaml:6:3:", "key 'study.memory_limit'",
                   "memory_limit must be from 1 byte to 1 PiB, got 2000 TB", "RT_E_PARSE"}},
    {.name = "allow_remote_yes",
     .from = "  neighbours: 16\n",
     .to = "  neighbours: 16\n  allow_remote: yes\n",
     .exit_code = 1,
     .fragments = {"allow_remote_yes.yaml:6:3:", "key 'study.allow_remote'",
                   "expected true or false, got 'yes'", "RT_E_PARSE"}},

    /* ---- numbers of medium: ---- */
    {.name = "offroad_1e6_kmh",
     .from = "  offroad_kmh: 36\n",
     .to = "  offroad_kmh: 1e6\n",
     .exit_code = 1,
     .fragments = {"offroad_1e6_kmh.yaml:8:3:", "key 'medium.offroad_kmh'",
                   "offroad_kmh must be from 0.001 to 1000 km/h, got 1e6", "RT_E_PARSE"}},
    /* 1e-300 km/h made an infinite friction */
    {.name = "offroad_1e-300_kmh",
     .from = "  offroad_kmh: 36\n",
     .to = "  offroad_kmh: 1e-300\n",
     .exit_code = 1,
     .fragments = {"offroad_1e-300_kmh.yaml:8:3:", "key 'medium.offroad_kmh'",
                   "offroad_kmh must be from 0.001 to 1000 km/h, got 1e-300", "RT_E_PARSE"}},
    /* the class at line 12, column 3 + len("classes: {") */
    {.name = "class_5000_kmh",
     .from = "  land: regions.geojson\n",
     .to = "  land: regions.geojson\n  roads: lines.geojson\n  class_column: naam\n"
           "  classes: {primary: 5000}\n",
     .exit_code = 1,
     .fragments = {"class_5000_kmh.yaml:12:13:", "key 'medium.classes.primary'",
                   "primary must be from 0.001 to 1000 km/h, got 5000", "RT_E_PARSE"}},
    {.name = "default_road_1e-9_kmh",
     .from = "  land: regions.geojson\n",
     .to = "  land: regions.geojson\n  roads: lines.geojson\n  speed_column: naam\n"
           "  default_road_kmh: 1e-9\n",
     .exit_code = 1,
     .fragments = {"default_road_1e-9_kmh.yaml:12:3:", "key 'medium.default_road_kmh'",
                   "default_road_kmh must be from 0.001 to 1000 km/h, got 1e-9", "RT_E_PARSE"}},
    /* the speed at line 10, column 3 + len("speeds: {motorway: ") */
    {.name = "network_speed_2000_kmh",
     .from = GRID_MEDIUM,
     .to = NETWORK "  speeds: {motorway: 2000}\n",
     .exit_code = 1,
     .fragments = {"network_speed_2000_kmh.yaml:10:22:", "key 'medium.speeds.motorway'",
                   "motorway must be from 0.001 to 1000 km/h, got 2000", "RT_E_PARSE"}},
    {.name = "access_speed_1e9_kmh",
     .from = GRID_MEDIUM,
     .to = NETWORK "  access: {speed_kmh: 1e9}\n",
     .exit_code = 1,
     .fragments = {"access_speed_1e9_kmh.yaml:10:12:", "key 'medium.access.speed_kmh'",
                   "speed_kmh must be from 0.001 to 1000 km/h, got 1e9", "RT_E_PARSE"}},
    {.name = "access_distance_1e8_m",
     .from = GRID_MEDIUM,
     .to = NETWORK "  access: {max_distance_m: 1e8}\n",
     .exit_code = 1,
     .fragments = {"access_distance_1e8_m.yaml:10:12:", "key 'medium.access.max_distance_m'",
                   "max_distance_m must be from 0 to 100000 m, got 1e8", "RT_E_PARSE"}},
    {.name = "snap_tolerance_5_km",
     .from = GRID_MEDIUM,
     .to = "  type: network\n  roads: lines.geojson\n  format: lines\n  speed_column: naam\n"
           "  snap_tolerance_m: 5000\n  mode: car\n",
     .exit_code = 1,
     .fragments = {"snap_tolerance_5_km.yaml:11:3:", "key 'medium.snap_tolerance_m'",
                   "snap_tolerance_m must be from 0 to 1000 m, got 5000", "RT_E_PARSE"}},

    /* ---- norms: minutes x 60, km x 1000 ---- */
    /* 1e308 minutes crashed the run after every output was written; the
     * value at line 15, column 5 + len("norms: {minutes: [") */
    {.name = "norm_1e308_minutes",
     .from = "    norms: {minutes: [1.5, 4]}\n",
     .to = "    norms: {minutes: [1e308]}\n",
     .exit_code = 1,
     .fragments = {"norm_1e308_minutes.yaml:15:23:", "key 'facilities[0].norms.minutes[0]'",
                   "minutes must be > 0 and at most 100000 minutes, got 1e308", "RT_E_PARSE"}},
    {.name = "norm_40000_km",
     .from = "    norms: {minutes: [1.5, 4]}\n",
     .to = "    norms: {km: [40000]}\n",
     .exit_code = 1,
     .fragments = {"norm_40000_km.yaml:15:18:", "key 'facilities[0].norms.km[0]'",
                   "km must be > 0 and at most 20000 km, got 40000", "RT_E_PARSE"}},

    /* ---- a filter GDAL would cut at ';': where at column 5 + len("source:
     * {path: facilities.geojson, ") ---- */
    {.name = "where_semicolon",
     .from = "    source: facilities.geojson\n",
     .to = "    source: {path: facilities.geojson, where: \"ref = 'H1'; DELETE FROM x\"}\n",
     .exit_code = 1,
     .fragments = {"where_semicolon.yaml:12:40:", "key 'facilities[0].source.where'",
                   "a filter must not contain ';'", "ref = 'H1'; DELETE FROM x", "RT_E_PARSE"}},

    /* ---- files that are not regular files: refused at once ---- */
    {.name = "fifo_study",
     .flags = STUDY_ABSENT,
     .before = fifo_study,
     .after = remove_row_files,
     .exit_code = 1,
     .fragments = {"fifo_study.yaml: the study file is a named pipe (FIFO), not a regular file",
                   "RT_E_IO"},
     .max_seconds = 10.0},
    {.name = "folder_study",
     .flags = STUDY_ABSENT,
     .before = folder_study,
     .after = remove_row_files,
     .exit_code = 1,
     .fragments = {"folder_study.yaml: the study file is a folder, not a regular file", "RT_E_IO"},
     .max_seconds = 10.0},
    /* medium.profile (line 6) names a pipe */
    {.name = "fifo_profile",
     .from = GRID_MEDIUM,
     .to = NETWORK "  profile: fifo_profile_car.yaml\n",
     .before = fifo_profile,
     .after = remove_row_files,
     .exit_code = 1,
     .fragments = {"fifo_profile.yaml:6:1: medium.profile",
                   "fifo_profile_car.yaml: the speed profile is a named pipe (FIFO), not a regular "
                   "file",
                   "RT_E_IO"},
     .max_seconds = 10.0},
    /* the limits of the study file hold for profiles: the speed at line
     * 4, column 3 + len("motorway: ") */
    {.name = "profile_speed_5000_kmh",
     .from = GRID_MEDIUM,
     .to = NETWORK "  profile: profile_speed_5000_kmh_car.yaml\n",
     .before = fast_profile,
     .after = remove_row_files,
     .exit_code = 1,
     .fragments = {"medium.profile", "profile_speed_5000_kmh_car.yaml:4:13: key 'classes.motorway'",
                   "expected a speed from 0.001 to 1000 km/h or no, got '5000'", "RT_E_PARSE"}},

    /* ---- YAML that would exhaust memory: refused quickly ---- */
    {.name = "alias_bomb",
     .flags = STUDY_ABSENT,
     .before = alias_bomb,
     .exit_code = 1,
     .fragments = {"alias_bomb.yaml:", "the file holds more than 100000 YAML nodes", "RT_E_PARSE"},
     .max_seconds = 10.0},
    {.name = "profile_bomb",
     .from = GRID_MEDIUM,
     .to = NETWORK "  profile: profile_bomb_car.yaml\n",
     .before = profile_bomb,
     .after = remove_row_files,
     .exit_code = 1,
     .fragments = {"medium.profile", "profile_bomb_car.yaml:",
                   "the file holds more than 100000 YAML nodes", "RT_E_PARSE"},
     .max_seconds = 10.0},
    /* the root, study's mapping and 63 lists: the 63rd '[' at column
     * len("  name: ") + 63 */
    {.name = "deep_nesting",
     .from = "  name: small\n",
     .to = "  name: "
           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]"
           "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
     .exit_code = 1,
     .fragments = {"deep_nesting.yaml:2:71:", "lists and mappings are nested more than 64 deep",
                   "RT_E_PARSE"},
     .max_seconds = 10.0},
    {.name = "brackets_15_mib",
     .flags = STUDY_ABSENT,
     .before = brackets,
     .exit_code = 1,
     .fragments = {"brackets_15_mib.yaml: the study file is 15728640 bytes; at most 1048576 bytes "
                   "are allowed",
                   "RT_E_PARSE"},
     .max_seconds = 10.0},
    /* 6 + 2 x 5000000 + 3 bytes */
    {.name = "list_of_5_million",
     .flags = STUDY_ABSENT,
     .before = list_of_5_million,
     .exit_code = 1,
     .fragments = {"list_of_5_million.yaml: the study file is 10000009 bytes; at most 1048576",
                   "RT_E_PARSE"},
     .max_seconds = 10.0},
    /* "zzz:" 1 + 6, "[1,1,..." 1 + 6 and 6 per ',': 14 + 6k crosses 100000
     * at the 16665th comma, column 6 + 2 x 16665 */
    {.name = "list_of_200_thousand",
     .flags = STUDY_ABSENT,
     .before = list_of_200_thousand,
     .exit_code = 1,
     .fragments = {"list_of_200_thousand.yaml:1:33336:",
                   "the file holds more than 100000 YAML tokens", "RT_E_PARSE"},
     .max_seconds = 10.0},

    /* ---- measures: (line 17, or 18 with a capacity_column at 16); the
     * entry's keys from column 10 ("      - {") ---- */
    {.name = "measure_needs_capacity",
     .from = NORMS,
     .to = MEASURE("{kind: e2sfca}"),
     .exit_code = 1,
     .fragments = {"measure_needs_capacity.yaml:17:10:", "key 'facilities[0].measures[0].kind'",
                   "facility type 'huisarts': measure 'e2sfca' (e2sfca) needs the capacity",
                   "give the type a capacity_column", "RT_E_PARSE"}},
    {.name = "measure_unknown_kind",
     .from = NORMS,
     .to = MEASURE("{kind: hansen, cutoff: 10}"),
     .exit_code = 1,
     .fragments = {"measure_unknown_kind.yaml:17:", "key 'facilities[0].measures[0].kind'",
                   "hansen", "gravity", "RT_E_PARSE"}},
    /* decay_value at column 10 + len("kind: gravity, cutoff: 10, decay_function:
     * exponential, ") */
    {.name = "decay_value_negative",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, cutoff: 10, decay_function: exponential, decay_value: -0.1}"),
     .exit_code = 1,
     .fragments = {"decay_value_negative.yaml:17:", "key 'facilities[0].measures[0].decay_value'",
                   "decay_value must be > 0", "got -0.1", "RT_E_PARSE"}},
    {.name = "decay_value_missing",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, cutoff: 10, decay_function: gaussian}"),
     .exit_code = 1,
     .fragments = {"decay_value_missing.yaml:17:", "key 'facilities[0].measures[0].decay_value'",
                   "RT_E_PARSE"}},
    {.name = "decay_weight_above_1",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, cutoff: 10, decay_function: stepped, steps: [5, 10], "
                   "weights: [0.5, 2]}"),
     .exit_code = 1,
     .fragments = {"decay_weight_above_1.yaml:17:", "key 'facilities[0].measures[0].weights[1]'",
                   "weights must be from 0 to 1", "got 2", "RT_E_PARSE"}},
    {.name = "decay_steps_decrease",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, cutoff: 10, decay_function: stepped, steps: [10, 5], "
                   "weights: [0.5, 0.2]}"),
     .exit_code = 1,
     .fragments = {"decay_steps_decrease.yaml:17:10:", "measure 'gravity'",
                   "decay function stepped: steps must increase", "RT_E_PARSE"}},
    {.name = "decay_cutoff_beyond_cutoff",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, cutoff: 10, decay_function: linear, decay_cutoff: 20}"),
     .exit_code = 1,
     .fragments = {"decay_cutoff_beyond_cutoff.yaml:17:",
                   "key 'facilities[0].measures[0].decay_cutoff'",
                   "20 minutes lies beyond the measure's cutoff of 10 minutes", "RT_E_PARSE"}},
    {.name = "steps_beyond_cutoff",
     .from = NORMS,
     .to = CAP_MEASURE("{kind: e2sfca, cutoff: 30, steps: [15, 30, 45, 60], "
                       "weights: [1, 0.75, 0.5, 0.25]}"),
     .exit_code = 1,
     .fragments = {"steps_beyond_cutoff.yaml:18:", "key 'facilities[0].measures[0].steps'",
                   "60 minutes lies beyond the measure's cutoff of 30 minutes", "RT_E_PARSE"}},
    /* the default bands end at 30 minutes: a longer cutoff would search
     * where every weight is 0 under a title that says "within 60 min" */
    {.name = "bands_end_before_cutoff",
     .from = NORMS,
     .to = CAP_MEASURE("{kind: 3sfca, cutoff: 60}"),
     .exit_code = 1,
     .fragments = {"bands_end_before_cutoff.yaml:18:", "key 'facilities[0].measures[0].cutoff'",
                   "60 minutes lies beyond the last of the default bands (10, 20 and 30 minutes)",
                   "or a cutoff of at most 30", "RT_E_PARSE"}},
    /* logistic's inflection point has no default: at the cutoff, where
     * the search stops, the weight would be 1/2 */
    {.name = "logistic_without_inflection",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, cutoff: 60, decay_function: logistic, sd: 10}"),
     .exit_code = 1,
     .fragments = {"logistic_without_inflection.yaml:17:",
                   "key 'facilities[0].measures[0].decay_cutoff': required key is missing",
                   "RT_E_PARSE"}},
    /* 3sfca's default bands give way to a decay function of its own */
    {.name = "stepped_without_steps",
     .from = NORMS,
     .to = CAP_MEASURE("{kind: 3sfca, cutoff: 30, decay_function: stepped}"),
     .exit_code = 1,
     .fragments = {"stepped_without_steps.yaml:18:10:", "measure '3sfca'",
                   "decay function stepped: steps must hold 1 to 16 values", "RT_E_PARSE"}},
    {.name = "decay_on_count",
     .from = NORMS,
     .to = MEASURE("{kind: count, cutoff: 10, decay_function: linear}"),
     .exit_code = 1,
     .fragments = {"decay_on_count.yaml:17:", "key 'facilities[0].measures[0].decay_function'",
                   "does not apply to kind count", "RT_E_PARSE"}},
    {.name = "crowfly_on_2sfca",
     .from = NORMS,
     .to = CAP_MEASURE("{kind: 2sfca, crowfly_km: 5}"),
     .exit_code = 1,
     .fragments = {"crowfly_on_2sfca.yaml:18:", "key 'facilities[0].measures[0].crowfly_km'",
                   "applies to the kinds count, capacity, kth_nearest and balancing_cost only",
                   "RT_E_PARSE"}},
    {.name = "route_km_and_cutoff",
     .from = NORMS,
     .to = MEASURE("{kind: count, cutoff: 10, route_km: 5}"),
     .exit_code = 1,
     .fragments = {"route_km_and_cutoff.yaml:17:", "key 'facilities[0].measures[0].route_km'",
                   "give one of cutoff (minutes), crowfly_km and route_km", "RT_E_PARSE"}},
    {.name = "route_km_on_gravity",
     .from = NORMS,
     .to = MEASURE("{kind: gravity, route_km: 5}"),
     .exit_code = 1,
     .fragments = {"route_km_on_gravity.yaml:17:", "key 'facilities[0].measures[0].route_km'",
                   "applies to the kinds count, capacity, kth_nearest and balancing_cost only",
                   "RT_E_PARSE"}},
    {.name = "measure_cutoff_1e9_minutes",
     .from = NORMS,
     .to = MEASURE("{kind: count, cutoff: 1e9}"),
     .exit_code = 1,
     .fragments = {"measure_cutoff_1e9_minutes.yaml:17:", "key 'facilities[0].measures[0].cutoff'",
                   "cutoff must be > 0 and at most 100000 minutes, got 1e9", "RT_E_PARSE"}},
    {.name = "measure_names_twice",
     .from = NORMS,
     .to = NORMS "    measures:\n      - {kind: count, cutoff: 5}\n"
                 "      - {kind: count, cutoff: 5}\n",
     .exit_code = 1,
     .fragments = {"measure_names_twice.yaml:18:", "two measures are named 'count_5min'",
                   "give one of them a name", "RT_E_PARSE"}},
    {.name = "kth_nearest_k_9",
     .from = NORMS,
     .to = MEASURE("{kind: kth_nearest, cutoff: 30, k: 9}"),
     .exit_code = 1,
     .fragments = {"kth_nearest_k_9.yaml:17:", "key 'facilities[0].measures[0].k'",
                   "k must be from 1 to 8, got 9", "RT_E_PARSE"}},
    /* the capacities, read with the facilities */
    {.name = "capacity_column_missing",
     .from = NORMS,
     .to = CAP_MEASURE("{kind: capacity, cutoff: 10}"),
     .exit_code = 1,
     .fragments = {"facilities.geojson", "fte", "RT_E_DATA"}},
    {.name = "capacity_empty",
     .from = "    source: facilities.geojson\n",
     .to = "    source: capacity_empty.geojson\n",
     .from2 = NORMS,
     .to2 = CAP_MEASURE("{kind: e2sfca}"),
     .before = capacity_empty,
     .exit_code = 1,
     .fragments = {"capacity_empty.yaml:11:5: facility type 'huisarts': key 'capacity_column'",
                   "facility 'H9'", "capacity is empty in column 'fte'", "measure 'e2sfca'",
                   "RT_E_DATA"}},
    {.name = "capacity_empty_gravity",
     .from = "    source: facilities.geojson\n",
     .to = "    source: capacity_empty_gravity.geojson\n",
     .from2 = NORMS,
     .to2 = CAP_MEASURE("{kind: gravity, cutoff: 10}"),
     .before = capacity_empty,
     .exit_code = 1,
     .fragments = {"capacity_empty_gravity.yaml:11:5: facility type 'huisarts': key "
                   "'capacity_column'",
                   "facility 'H9'", "capacity is empty in column 'fte'", "measure 'gravity'",
                   "RT_E_DATA"}},
    {.name = "capacity_negative",
     .from = "    source: facilities.geojson\n",
     .to = "    source: capacity_negative.geojson\n",
     .from2 = NORMS,
     .to2 = CAP_MEASURE("{kind: capacity, cutoff: 10}"),
     .before = capacity_negative,
     .exit_code = 1,
     .fragments = {"capacity_negative.yaml:11:5: facility type 'huisarts': key 'capacity_column'",
                   "facility 'H1'", "capacity -1 is negative in column 'fte'", "RT_E_DATA"}},
    {.name = "capacity_not_a_number",
     .from = "    source: facilities.geojson\n",
     .to = "    source: capacity_not_a_number.geojson\n",
     .from2 = NORMS,
     .to2 = CAP_MEASURE("{kind: capacity, cutoff: 10}"),
     .before = capacity_text,
     .exit_code = 1,
     .fragments = {"capacity_not_a_number.geojson", "fte", "veel", "RT_E_DATA"}},
    {.name = "capacity_boolean",
     .from = "    source: facilities.geojson\n",
     .to = "    source: capacity_boolean.geojson\n",
     .from2 = NORMS,
     .to2 = CAP_MEASURE("{kind: capacity, cutoff: 10}"),
     .before = capacity_boolean,
     .exit_code = 1,
     .fragments = {"capacity_boolean.geojson", "feature 0 (id 'H1')",
                   "column 'fte' holds true or false, not a number", "RT_E_DATA"}},
};

int main(void) { return bad_input_main(cases, (int)(sizeof(cases) / sizeof(cases[0])), NULL, 0); }
