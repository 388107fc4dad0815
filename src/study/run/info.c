/* rt_info_query and rt_info_json: what this build runs with (libraries,
 * GDAL drivers, threads, memory budget). */
#include <json-c/json.h>
#include <omp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx_internal.h"
#include "io/io.h"
#include "reistijd/rt_info.h"
#include "study/run/run.h"

/* The GDAL drivers reistijd reads and writes through. */
static const struct {
    const char *name, *use;
} drivers[] = {
    {"GTiff", "travel-time grids (written), rasters (read)"},
    {"GPKG", "reistijd.gpkg (written), layers (read)"},
    {"CSV", "tables of points with x/y columns (read)"},
    {"GeoJSON", "GeoJSON layers (read)"},
    {"ESRI Shapefile", "shapefile layers (read)"},
    {"OSM", "OpenStreetMap .osm.pbf roads (read)"},
};
#define N_DRIVERS ((int)(sizeof(drivers) / sizeof(drivers[0])))

#define INFO_V1 RTI_V1_BYTES(rt_info, physical_memory_bytes)

void rt_info_init(rt_info *info)
{
    if (!info)
        return;
    memset(info, 0, sizeof(*info));
    info->struct_size = sizeof(*info);
}

static void query(rt_ctx *ctx, rt_info *out);

rt_status rt_info_query(rt_ctx *ctx, rt_info *caller_out)
{
    if (!ctx || !caller_out)
        return ctx ? rti_error(ctx, RT_E_ARG, "rt_info_query: no output given") : RT_E_ARG;
    rt_info out;
    rt_info_init(&out);
    query(ctx, &out);
    return rti_struct_out(ctx, &out, INFO_V1, sizeof(out), caller_out, "rt_info_query: rt_info");
}

static void query(rt_ctx *ctx, rt_info *out)
{
    out->reistijd = rt_version();
    out->gdal = rti_io_gdal_version();
    out->proj = rti_io_proj_version();
    out->geos = rti_io_geos_version();
    out->libfyaml = rti_yaml_version();
    out->json_c = json_c_version();
    for (int i = 0; i < N_DRIVERS && i < RT_INFO_MAX_DRIVERS; i++) {
        out->drivers[i].name = drivers[i].name;
        out->drivers[i].use = drivers[i].use;
        out->drivers[i].present = rti_io_driver_present(drivers[i].name);
        out->n_drivers++;
    }
    out->threads = rti_threads(ctx);
    if (rti_ctx_threads_requested(ctx) > 0)
        out->threads_source = "caller";
    else if (getenv("OMP_NUM_THREADS") && *getenv("OMP_NUM_THREADS"))
        out->threads_source = "OMP_NUM_THREADS";
    else
        out->threads_source = "processors";
    out->processors = omp_get_num_procs();
    out->budget_bytes = rti_budget_effective(ctx);
    out->budget_source = rti_ctx_budget_requested(ctx) ? "caller" : "default";
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    out->physical_memory_bytes = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
    const char *mem_source = NULL;
    uint64_t mem = rti_memory_bytes(&mem_source);
    out->cgroup_limit_bytes = strcmp(mem_source, "cgroup") == 0 ? mem : 0;
}

static char *info_json_in_c_locale(const rt_info *caller_info)
{
    rt_info own;
    rt_info_init(&own);
    const rt_info *info = &own;
    if (!caller_info || rti_struct_in(NULL, caller_info, INFO_V1, sizeof(own), &own, NULL) != RT_OK)
        return NULL;
    json_object *root = json_object_new_object();
    json_object_object_add(root, "status", rti_jstr("ok"));
    json_object_object_add(root, "command", rti_jstr("info"));
    json_object_object_add(root, "reistijd", rti_jstr(info->reistijd));
    json_object *lib = json_object_new_object();
    json_object_object_add(lib, "gdal", rti_jstr(info->gdal));
    json_object_object_add(lib, "proj", rti_jstr(info->proj));
    json_object_object_add(lib, "geos", rti_jstr(info->geos));
    json_object_object_add(lib, "libfyaml", rti_jstr(info->libfyaml));
    json_object_object_add(lib, "json_c", rti_jstr(info->json_c));
    json_object_object_add(root, "libraries", lib);
    json_object *drv = json_object_new_array();
    for (int i = 0; i < info->n_drivers && i < RT_INFO_MAX_DRIVERS; i++) {
        json_object *d = json_object_new_object();
        json_object_object_add(d, "name", rti_jstr(info->drivers[i].name));
        json_object_object_add(d, "present", json_object_new_boolean(info->drivers[i].present));
        json_object_object_add(d, "use", rti_jstr(info->drivers[i].use));
        json_object_array_add(drv, d);
    }
    json_object_object_add(root, "gdal_drivers", drv);
    json_object *th = json_object_new_object();
    json_object_object_add(th, "count", json_object_new_int(info->threads));
    json_object_object_add(th, "source", rti_jstr(info->threads_source));
    json_object_object_add(th, "processors", json_object_new_int(info->processors));
    json_object_object_add(root, "threads", th);
    json_object *mem = json_object_new_object();
    json_object_object_add(mem, "budget_bytes", rti_jbytes(info->budget_bytes));
    json_object_object_add(mem, "budget_source", rti_jstr(info->budget_source));
    json_object_object_add(mem, "physical_bytes", rti_jbytes(info->physical_memory_bytes));
    json_object_object_add(mem, "cgroup_limit_bytes",
                           info->cgroup_limit_bytes ? rti_jbytes(info->cgroup_limit_bytes) : NULL);
    json_object_object_add(root, "memory", mem);
    char *text = rti_json_text(root);
    json_object_put(root);
    return text;
}

char *rt_info_json(const rt_info *caller_info)
{
    RTI_IN_C_LOCALE(NULL, char *, info_json_in_c_locale(caller_info));
}
