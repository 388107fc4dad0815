/* The demo studies on the Dutch road extracts (studies/nl-*.yaml), end to
 * end through the reistijd command: each validates, runs and writes its
 * outputs, and one cell of each is worked out by hand from the coordinates of
 * the roads and facilities.
 *
 * Wageningen (NWB, bicycle, 15 km/h on every NWB class here; 5 km/h legs):
 * the illustrative point P-HOR is NWB junction 348286040 at (174040, 443492),
 * the start of wegvak 348286041 (Churchillweg, gemeente, both ways), whose
 * vertices are (174040, 443492), (174040, 443504), (174041, 443521),
 * (174054, 443620) in the NWB file. The nearest NWB road to the cell centre
 * (174025, 443525) is that wegvak (16.4 m; the next, Tarthorst, is 30.6 m
 * away), with the foot of the perpendicular on its third segment. Time = the
 * leg at 5 km/h plus the stretch back along the wegvak to the junction
 * (12 m + 17.03 m + the part of the third segment) at 15 km/h: 0.3203 min.
 * The cell centre (174475, 443575) lies nearest to wegvak 348287008, the
 * eastbound carriageway of the Nijenoord Allee (RIJRICHTNG H), which ends at
 * junction 349287035 on the edge of the sample, in no other wegvak: by
 * bicycle no destination can be reached from there.
 * The two wijken lie wholly inside the grid, so their population is the CBS
 * count (1 January 2022): 2,385 and 1,990.
 *
 * Delft station (OSM, on foot, 5 km/h on ways and legs alike, so time is
 * distance / 5 km/h): the cell centre (84237.5, 446962.5) lies nearest to
 * the Stationsplein (OSM way 580518157, one-way for cars, both ways on foot),
 * between its vertices at lon/lat (4.3568081, 52.0064822) and (4.3566596,
 * 52.0067763); the bus stop 5174834432 at (4.3566553, 52.0067778) lies 0.23 m
 * from the next piece of that way, which runs on to (4.356582, 52.00693).
 * Walking: cell leg, along the way past the node, stop leg: about 40.1 m,
 * 0.481 min.
 *
 * Amsterdam-Oost (OSM, on foot): the cell centre (123775, 484075) lies
 * nearest to the Von Liebigweg (OSM way 7047126, one-way for cars), on its
 * first piece between (4.92875, 52.34367) and (4.9291712, 52.3439215); the
 * container 877282607 at (4.9292609, 52.3440317) lies 4.5 m from the second
 * piece, which runs to (4.9293599, 52.3440341): about 52.1 m, 0.625 min.
 *
 * The OSM positions (from ogrinfo on the .pbf files) are converted to
 * EPSG:28992 with gdaltransform when the test runs, so the check does not
 * depend on which EPSG:4326 to EPSG:28992 transformation PROJ picks. That the
 * named way is the nearest one was checked against every way of each
 * extract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli/cli_util.h"

static char tmp[CLI_PATH_MAX];

typedef struct demo {
    const char *study;    /* file name in studies/ */
    const char *region;   /* region layer name */
    const char *types[2]; /* facility types, NULL-terminated */
    cli_result validate, run;
    char out[CLI_PATH_MAX];
} demo;

static demo demos[3] = {
    {"nl-wageningen-nwb.yaml", "wijk", {"voorbeeldpunt", NULL}, {0}, {0}, ""},
    {"nl-amsterdam-osm.yaml", "wijk", {"afvalcontainer", "sportpark"}, {0}, {0}, ""},
    {"nl-delft-osm.yaml", "pc4", {"bushalte", NULL}, {0}, {0}, ""},
};
#define WAGENINGEN (&demos[0])
#define AMSTERDAM (&demos[1])
#define DELFT (&demos[2])

static int group_setup(void **state)
{
    (void)state;
    cli_mkdtemp(tmp, "nl-demos");
    for (int i = 0; i < 3; i++) {
        demo *d = &demos[i];
        char study[CLI_PATH_MAX], name[64];
        snprintf(study, sizeof(study), "%s/studies/%s", cli_source_dir(), d->study);
        snprintf(name, sizeof(name), "out-%d", i);
        cli_path(d->out, tmp, name);
        CLI_RUN(&d->validate, tmp, "validate", study);
        CLI_RUN(&d->run, tmp, "run", study, "-o", d->out);
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        cli_result_free(&demos[i].validate);
        cli_result_free(&demos[i].run);
    }
    cli_rmrf(tmp);
    return 0;
}

/* The value of band 1 at a point in the grid's CRS. NaN for nodata. */
static double value_at(const demo *d, const char *file, double x, double y)
{
    char tif[CLI_PATH_MAX];
    cli_path(tif, d->out, file);
    char *text = cli_sh_output("gdallocationinfo -valonly -geoloc '%s' %.3f %.3f", tif, x, y);
    char *end;
    double v = strtod(text, &end);
    if (end == text)
        fail_msg("%s at (%.3f, %.3f): gdallocationinfo printed '%s'", tif, x, y, text);
    free(text);
    return v;
}

/* lon/lat (EPSG:4326) to EPSG:28992, by GDAL's gdaltransform. */
static void to_rd(double lon, double lat, double *x, double *y)
{
    char *text = cli_sh_output("echo '%.7f %.7f' | gdaltransform -s_srs EPSG:4326 "
                               "-t_srs EPSG:28992 -output_xy",
                               lon, lat);
    if (sscanf(text, "%lf %lf", x, y) != 2)
        fail_msg("gdaltransform printed '%s'", text);
    free(text);
}

typedef struct xy {
    double x, y;
} xy;

static double dist(xy a, xy b) { return hypot(a.x - b.x, a.y - b.y); }

/* The foot of the perpendicular from p on segment ab; fails unless it lies
 * strictly inside the segment (then it is the nearest point of the segment). */
static xy foot(xy p, xy a, xy b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy);
    if (!(t > 0 && t < 1))
        fail_msg("the foot from (%.3f, %.3f) is not inside the segment (t = %g)", p.x, p.y, t);
    return (xy){a.x + t * dx, a.y + t * dy};
}

static xy rd(double lon, double lat)
{
    xy p;
    to_rd(lon, lat, &p.x, &p.y);
    return p;
}

/* ---- CSV: the value of a column in the row of a region and type ---- */

static double csv_value(const demo *d, const char *region, const char *type, const char *column)
{
    char path[CLI_PATH_MAX], name[64];
    snprintf(name, sizeof(name), "%s.csv", d->region);
    cli_path(path, d->out, name);
    char *csv = cli_read_file(path);
    assert_non_null(csv);
    char *save = NULL, *line = strtok_r(csv, "\n", &save);
    assert_non_null(line);
    int col = -1, n = 0;
    for (char *f = line, *next; f; f = next, n++) {
        next = strchr(f, ',');
        if (next)
            *next++ = '\0';
        if (strcmp(f, column) == 0)
            col = n;
    }
    if (col < 0)
        fail_msg("%s: no column %s", path, column);
    char key[128];
    snprintf(key, sizeof(key), "%s,", region);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        if (strncmp(line, key, strlen(key)) != 0 || !strstr(line, type))
            continue;
        char *f = line;
        for (int i = 0; i < col && f; i++) {
            f = strchr(f, ',');
            f = f ? f + 1 : NULL;
        }
        assert_non_null(f);
        double v = (*f == ',' || *f == '\0') ? NAN : strtod(f, NULL);
        free(csv);
        return v;
    }
    fail_msg("%s: no row for %s and %s", path, region, type);
    return NAN;
}

/* ---- tests ---- */

static void each_study_validates(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        cli_assert_status(&demos[i].validate, 0);
        cli_assert_contains(demos[i].validate.out, "inputs are valid");
    }
}

static void each_study_runs_and_writes_its_outputs(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        demo *d = &demos[i];
        cli_assert_status(&d->run, 0);
        char path[CLI_PATH_MAX], name[96];
        const char *common[] = {"reistijd.gpkg", "report.html", "run.json"};
        for (int k = 0; k < 3; k++) {
            cli_path(path, d->out, common[k]);
            if (!cli_exists(path))
                fail_msg("%s: missing output %s", d->study, common[k]);
        }
        snprintf(name, sizeof(name), "%s.csv", d->region);
        cli_path(path, d->out, name);
        assert_true(cli_exists(path));
        for (int t = 0; t < 2 && d->types[t]; t++) {
            const char *suffix[] = {"_time_min.tif", "_facility.tif", "_second_time_min.tif",
                                    "_second_facility.tif"};
            for (int k = 0; k < 4; k++) {
                snprintf(name, sizeof(name), "%s%s", d->types[t], suffix[k]);
                cli_path(path, d->out, name);
                if (!cli_exists(path))
                    fail_msg("%s: missing output %s", d->study, name);
            }
        }
        cli_assert_no_tmp(d->out);
    }
}

static void wageningen_cell_beside_a_junction_by_hand(void **state)
{
    (void)state;
    if (!cli_have("gdallocationinfo"))
        skip();
    const xy j = {174040, 443492}, v1 = {174040, 443504}, v2 = {174041, 443521};
    const xy v3 = {174054, 443620}, cell = {174025, 443525};
    xy f = foot(cell, v2, v3);
    double leg = dist(cell, f), along = dist(j, v1) + dist(v1, v2) + dist(v2, f);
    assert_true(fabs(leg - 16.385) < 1e-3 && fabs(along - 30.912) < 1e-3);
    double want = (leg / (5 / 3.6) + along / (15 / 3.6)) / 60;
    double got = value_at(WAGENINGEN, "voorbeeldpunt_time_min.tif", cell.x, cell.y);
    cli_assert_close(got, want, 1e-5, "Wageningen (174025, 443525)");
}

static void wageningen_one_way_carriageway_cut_at_the_edge_reaches_nothing(void **state)
{
    (void)state;
    if (!cli_have("gdallocationinfo"))
        skip();
    assert_true(isnan(value_at(WAGENINGEN, "voorbeeldpunt_time_min.tif", 174475, 443575)));
}

static void wageningen_population_is_the_cbs_count(void **state)
{
    (void)state;
    const double tol = 1e-5;
    cli_assert_close(csv_value(WAGENINGEN, "WK028902", "voorbeeldpunt", "population"), 2385, tol,
                     "Wageningen Universiteit");
    cli_assert_close(csv_value(WAGENINGEN, "WK028904", "voorbeeldpunt", "population"), 1990, tol,
                     "De Horsten");
}

static void delft_cell_beside_the_bus_station_by_hand(void **state)
{
    (void)state;
    if (!cli_have("gdallocationinfo") || !cli_have("gdaltransform"))
        skip();
    const xy cell = {84237.5, 446962.5};
    xy a = rd(4.3568081, 52.0064822), b = rd(4.3566596, 52.0067763);
    xy c = rd(4.356582, 52.00693), stop = rd(4.3566553, 52.0067778);
    xy fc = foot(cell, a, b), fs = foot(stop, b, c);
    double m = dist(cell, fc) + dist(fc, b) + dist(b, fs) + dist(fs, stop);
    assert_true(fabs(m - 40.1) < 0.1);
    /* the straight walk to the stop (within the access distance of 200 m)
     * is shorter than the way over the footways, and is taken */
    double straight = dist(cell, stop);
    assert_true(straight < m);
    double got = value_at(DELFT, "bushalte_time_min.tif", cell.x, cell.y);
    cli_assert_close(got, straight / (5 / 3.6) / 60, 1e-5, "Delft (84237.5, 446962.5)");
    /* the facility grid holds the stop's row in facilities_bushalte: OSM
     * node ids do not fit in 32 bits (ogrinfo lists the six stops in the
     * order they are read; this one, node 5174834432, is the sixth) */
    cli_assert_close(value_at(DELFT, "bushalte_facility.tif", cell.x, cell.y), 6, 0,
                     "Delft facility row");
}

static void amsterdam_cell_beside_a_container_by_hand(void **state)
{
    (void)state;
    if (!cli_have("gdallocationinfo") || !cli_have("gdaltransform"))
        skip();
    const xy cell = {123775, 484075};
    xy a = rd(4.92875, 52.34367), b = rd(4.9291712, 52.3439215), c = rd(4.9293599, 52.3440341);
    xy box = rd(4.9292609, 52.3440317);
    xy fc = foot(cell, a, b), fb = foot(box, b, c);
    double m = dist(cell, fc) + dist(fc, b) + dist(b, fb) + dist(fb, box);
    assert_true(fabs(m - 52.1) < 0.1);
    /* the straight walk (within 200 m) is shorter than the way along the path */
    double straight = dist(cell, box);
    assert_true(straight < m);
    double got = value_at(AMSTERDAM, "afvalcontainer_time_min.tif", cell.x, cell.y);
    cli_assert_close(got, straight / (5 / 3.6) / 60, 1e-5, "Amsterdam (123775, 484075)");
}

/* Without population every cell weighs the same: the summary says so. */
static void osm_studies_weigh_cells_equally(void **state)
{
    (void)state;
    cli_assert_contains(AMSTERDAM->run.out, "population: none given");
    cli_assert_contains(DELFT->run.out, "population: none given");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_study_validates),
        cmocka_unit_test(each_study_runs_and_writes_its_outputs),
        cmocka_unit_test(wageningen_cell_beside_a_junction_by_hand),
        cmocka_unit_test(wageningen_one_way_carriageway_cut_at_the_edge_reaches_nothing),
        cmocka_unit_test(wageningen_population_is_the_cbs_count),
        cmocka_unit_test(delft_cell_beside_the_bus_station_by_hand),
        cmocka_unit_test(amsterdam_cell_beside_a_container_by_hand),
        cmocka_unit_test(osm_studies_weigh_cells_equally),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
