/* Vector and table readers (src/io/vector.c, table.c, roads.c) on small
 * mutated CSV files fed through GDAL's /vsimem (fuzz_vector.h says what is
 * read): points from x/y or lon/lat columns, geometries from a WKT column,
 * edge tables and node ids. The seeds are the CSV files of the test
 * fixtures and the demo data. */
#include <stdint.h>

#define FUZZ_NAME "csv"
#define FUZZ_MAX_BYTES 16384
#include "fuzz/fuzz.h"
#include "fuzz/fuzz_gdal.h"
#include "fuzz/fuzz_vector.h"

#define PATH "/vsimem/fuzz.csv"

static void fuzz_init(void)
{
    static const char *const keep[] = {"CSV", NULL};
    fuzz_gdal_init(keep);
}

static void fuzz_one(const uint8_t *data, size_t size)
{
    fuzz_vsimem(PATH, data, size);
    rti_layer_ref ref = {.path = PATH, .crs = FUZZ_CRS, .x_column = "x,lon", .y_column = "y,lat"};
    fuzz_read_vectors(&ref);
    VSIUnlink(PATH);
}
