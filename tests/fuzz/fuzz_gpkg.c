/* Vector readers (src/io/vector.c, polygon.c, roads.c, table.c,
 * rasterize.c) on small mutated GeoPackages fed through GDAL's /vsimem
 * (fuzz_vector.h says what is read). The seeds are the test fixtures and
 * pieces of the demo data, written as GeoPackages with 512-byte pages. */
#include <stdint.h>

#define FUZZ_NAME "gpkg"
#define FUZZ_MAX_BYTES (256 * 1024)
#include "fuzz/fuzz.h"
#include "fuzz/fuzz_gdal.h"
#include "fuzz/fuzz_vector.h"

#define PATH "/vsimem/fuzz.gpkg"

static void fuzz_init(void)
{
    static const char *const keep[] = {"GPKG", NULL};
    fuzz_gdal_init(keep);
}

static void fuzz_one(const uint8_t *data, size_t size)
{
    fuzz_vsimem(PATH, data, size);
    rti_layer_ref ref = {.path = PATH, .crs = FUZZ_CRS};
    fuzz_read_vectors(&ref);
    VSIUnlink(PATH);
}
