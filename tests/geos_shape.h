#ifndef RT_TEST_GEOS_SHAPE_H
#define RT_TEST_GEOS_SHAPE_H
/* Geometries of the outputs checked by GEOS itself, as the tests of the
 * isochrones and catchments use them. Include after cmocka.h and the GDAL
 * headers (gdal/ogr_api.h, gdal/cpl_conv.h). */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <stdlib.h>

/* g as GEOS reads it (through WKB) in the context h. */
static inline GEOSGeometry *geos_shape_of(GEOSContextHandle_t h, OGRGeometryH g)
{
    size_t n = (size_t)OGR_G_WkbSize(g);
    unsigned char *wkb = malloc(n);
    assert_non_null(wkb);
    assert_int_equal(OGR_G_ExportToWkb(g, wkbNDR, wkb), OGRERR_NONE);
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    GEOSGeometry *gg = GEOSWKBReader_read_r(h, r, wkb, n);
    assert_non_null(gg);
    GEOSWKBReader_destroy_r(h, r);
    free(wkb);
    return gg;
}

/* 1 when g is valid by GEOSisValid. */
static inline int geos_shape_valid(OGRGeometryH g)
{
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry *gg = geos_shape_of(h, g);
    char valid = GEOSisValid_r(h, gg);
    GEOSGeom_destroy_r(h, gg);
    GEOS_finish_r(h);
    return valid == 1;
}

/* g is a MultiPolygon, valid by GEOSisValid, that covers the same points
 * as wkt (GEOSEquals: the same shape, whatever the first vertex and the
 * direction of the rings). */
static inline void assert_geos_shape(OGRGeometryH g, const char *wkt)
{
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbMultiPolygon);
    assert_true(geos_shape_valid(g));
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *want = GEOSWKTReader_read_r(h, r, wkt);
    assert_non_null(want);
    GEOSGeometry *got = geos_shape_of(h, g);
    char same = GEOSEquals_r(h, got, want);
    GEOSGeom_destroy_r(h, got);
    GEOSGeom_destroy_r(h, want);
    GEOSWKTReader_destroy_r(h, r);
    GEOS_finish_r(h);
    if (same != 1) {
        char *text = NULL;
        OGR_G_ExportToWkt(g, &text);
        print_error("got %s\nwant %s\n", text, wkt);
        CPLFree(text);
        fail();
    }
}

#endif
