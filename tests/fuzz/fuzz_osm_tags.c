/* OSM tags (the tag handling of src/io/roads.c: highway, maxspeed through
 * core/roadnet.c, oneway, junction, the access chain, bridge and tunnel,
 * osm_id) read as an OSM road network. An input that starts with '<' is
 * an OSM XML file read by GDAL's OSM driver with the profiles' osmconf.ini;
 * any other input is a CSV table of ways, a WKT line and the tags as the
 * OSM driver gives them (faster, so the tag values get most of the
 * mutations), read as the OSM layer 'lines'. Both through /vsimem. */
#include <stdint.h>
#include <stdlib.h>

#define FUZZ_NAME "osm_tags"
#define FUZZ_MAX_BYTES 16384
#include "fuzz/fuzz.h"
#include "fuzz/fuzz_gdal.h"

#ifndef RT_FUZZ_OSMCONF
#error "RT_FUZZ_OSMCONF: the osmconf.ini of geodata/profiles"
#endif

static void fuzz_init(void)
{
    static const char *const keep[] = {"OSM", "CSV", NULL};
    fuzz_gdal_init(keep);
}

static void fuzz_one(const uint8_t *data, size_t size)
{
    const char *path = size && data[0] == '<' ? "/vsimem/fuzz.osm" : "/vsimem/lines.csv";
    fuzz_vsimem(path, data, size);
    rt_ctx *ctx = fuzz_ctx();
    rti_road_opts o;
    rti_road_opts_init(&o);
    o.format = RTI_ROADS_OSM;
    o.osm_config = RT_FUZZ_OSMCONF;
    rti_layer_ref ref = {.path = path, .crs = "EPSG:28992"}; /* the CSV seeds */
    rti_roads r;
    if (rti_read_roads(ctx, &ref, "EPSG:28992", &o, &r) == RT_OK) {
        for (int64_t i = 0; i < r.n_edges; i++)
            if (r.dir_car[i] > RTI_DIR_BACKWARD || r.dir_bike[i] > RTI_DIR_BACKWARD ||
                (r.modes[i] & ~RTI_MODE_ALL) || (r.modes_yes[i] & ~r.modes[i]) ||
                r.maxspeed_kmh[i] <= 0)
                abort(); /* a tag value out of its range */
        rti_roads_free(&r);
    }
    rt_ctx_destroy(ctx);
    VSIUnlink(path);
}
