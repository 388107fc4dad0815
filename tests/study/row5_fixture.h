#ifndef RT_TEST_ROW5_FIXTURE_H
#define RT_TEST_ROW5_FIXTURE_H
/* The hand-worked row of five cells of test_closures.c and
 * test_scenarios.c: its regions and its population. Include after
 * study_fixture.h (for CRS_28992). */

/* Two regions over a row of 5 cells of 100 m (x 0..500, y 0..100): W holds
 * cells 0-2, E cells 3-4. */
static const char region_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"W\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[0, 0], [300, 0], [300, 100], [0, 100], [0, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"E\"}, \"geometry\": {\"type\": "
    "\"Polygon\", \"coordinates\": [[[300, 0], [500, 0], [500, 100], [300, 100], [300, 0]]]}}]}";

/* 1, 2, 4, 8 and 16 persons in cells 0 to 4. */
static const char pop_json[] =
    "{\"type\": \"FeatureCollection\", " CRS_28992 ", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"n\": 1}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [50, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 2}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [150, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 4}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [250, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 8}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [350, 50]}},"
    "{\"type\": \"Feature\", \"properties\": {\"n\": 16}, \"geometry\": {\"type\": \"Point\", "
    "\"coordinates\": [450, 50]}}]}";

/* The study of the row at 3.6 km/h = 1 s/m: every step of 100 m takes
 * 100 s exactly; one type huisarts from facility.geojson (by ref), norms
 * 2.5 and 5 min, the population and regions above. */
static const char row5_study_head[] =
    "study: {cell_size_m: 100, extent_buffer_m: 0, neighbours: 8}\n"
    "medium: {type: speed_model, offroad_kmh: 3.6}\n"
    "facilities:\n"
    "  - type: huisarts\n"
    "    source: facility.geojson\n"
    "    id_column: ref\n"
    "    norms: {minutes: [2.5, 5]}\n"
    "population: {kind: points, source: pop.geojson, count_column: n}\n"
    "regions:\n"
    "  - {name: gemeente, source: region.geojson, id_column: code}\n";

#endif
