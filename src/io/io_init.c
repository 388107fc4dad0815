/* Library set-up, versions, GDAL message routing and CRS helpers. */
#define _POSIX_C_SOURCE 200809L
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <geos_c.h>
#include <math.h>
#include <proj.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_internal.h"

/* Written once inside pthread_once and read-only afterwards. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static char gdal_version[32];
static char geos_version[32];

static void init_once_fn(void)
{
    if (!CPLGetConfigOption("GDAL_CACHEMAX", NULL)) /* the host's choice wins */
        CPLSetConfigOption("GDAL_CACHEMAX", "16");  /* MB: grids are read whole */
    GDALAllRegister();
    rti_raster_register();
    snprintf(gdal_version, sizeof(gdal_version), "%s", GDALVersionInfo("RELEASE_NAME"));
    /* GEOSversion() is "3.11.1-CAPI-1.17.1": keep the library version. */
    snprintf(geos_version, sizeof(geos_version), "%s", GEOSversion());
    geos_version[strcspn(geos_version, "-")] = '\0';
}

void rti_io_init(void) { pthread_once(&init_once, init_once_fn); }

const char *rti_io_gdal_version(void)
{
    rti_io_init();
    return gdal_version;
}

const char *rti_io_proj_version(void) { return proj_info().version; }

const char *rti_io_geos_version(void)
{
    rti_io_init();
    return geos_version;
}

int rti_io_driver_present(const char *name)
{
    rti_io_init();
    return name && GDALGetDriverByName(name) != NULL;
}

/* ---- GDAL messages ---- */

static void append_msg(rti_gdal_err *e, const char *msg)
{
    size_t len = strlen(e->msg);
    if (len && strstr(e->msg, msg))
        return; /* GDAL often repeats itself */
    snprintf(e->msg + len, sizeof(e->msg) - len, "%s%s", len ? "; " : "", msg);
    /* keep messages on one line */
    for (char *p = e->msg + len; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static void CPL_STDCALL gdal_handler(CPLErr cls, CPLErrorNum no, const char *msg)
{
    rti_gdal_err *e = CPLGetErrorHandlerUserData();
    (void)no;
    if (!e || !msg)
        return;
    switch (cls) {
    case CE_Failure:
    case CE_Fatal:
        e->n_fail++;
        append_msg(e, msg);
        break;
    case CE_Warning:
        if (e->what)
            rti_log(e->ctx, RT_LOG_WARNING, "%s: %s", e->what, msg);
        else
            rti_log(e->ctx, RT_LOG_WARNING, "%s", msg);
        break;
    default:
        rti_log(e->ctx, RT_LOG_DEBUG, "GDAL: %s", msg);
        break;
    }
}

void rti_gdal_push(rti_gdal_err *e, rt_ctx *ctx, const char *what)
{
    rti_io_init();
    e->ctx = ctx;
    e->what = what;
    e->n_fail = 0;
    e->msg[0] = '\0';
    e->remote = 0;
    e->http_set = 0;
    e->note[0] = '\0';
    CPLPushErrorHandlerEx(gdal_handler, e);
}

void rti_gdal_pop(rti_gdal_err *e)
{
    rti_remote_end(e);
    CPLPopErrorHandler();
}

const char *rti_gdal_msg(const rti_gdal_err *e)
{
    return e->msg[0] ? e->msg : "no further detail from GDAL";
}

void rti_gdal_clear(rti_gdal_err *e)
{
    e->n_fail = 0;
    e->msg[0] = '\0';
    CPLErrorReset();
}

/* ---- names in messages ---- */

/* src with every `hide` replaced by `show`, into buf. */
static void replace_all(char *buf, size_t n, const char *src, const char *hide, const char *show)
{
    size_t k = 0, nh = strlen(hide), ns = strlen(show);
    buf[0] = '\0';
    while (*src && k + 1 < n) {
        if (nh && strncmp(src, hide, nh) == 0) {
            size_t c = ns < n - 1 - k ? ns : n - 1 - k;
            memcpy(buf + k, show, c);
            k += c;
            src += nh;
        } else {
            buf[k++] = *src++;
        }
    }
    buf[k] = '\0';
}

rt_status rti_error_rename(rt_ctx *ctx, rt_status st, const char *hide, const char *show)
{
    const char *msg = rt_ctx_errmsg(ctx);
    if (st == RT_OK || !hide || !hide[0] || !strstr(msg, hide))
        return st;
    char buf[4096];
    replace_all(buf, sizeof(buf), msg, hide, show);
    return rti_error(ctx, st, "%s", buf);
}

static void temp_mark(char *buf, size_t n) { snprintf(buf, n, ".tmp-%ld-", (long)getpid()); }

const char *rti_output_shown(const char *path, char *buf, size_t n)
{
    char mark[48];
    temp_mark(mark, sizeof(mark));
    if (!path || !strstr(path, mark))
        return path;
    replace_all(buf, n, path, mark, "");
    return buf;
}

rt_status rti_error_final_names(rt_ctx *ctx, rt_status st)
{
    char mark[48];
    temp_mark(mark, sizeof(mark));
    return rti_error_rename(ctx, st, mark, "");
}

/* ---- CRS ---- */

/* GDAL reads a CRS from a file when the text names one (a named pipe
 * would block it), from the network when it is a URL other than the
 * OGC's names of CRSs (which it resolves itself), and from a dictionary
 * file after DICT:. A CRS is given as text: a code, WKT, PROJJSON or a
 * PROJ string. */
static const char *crs_text_refused(const char *crs)
{
    while (*crs == ' ' || *crs == '\t')
        crs++;
    const char *scheme = strstr(crs, "://");
    if (scheme && strspn(crs, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
                      (size_t)(scheme - crs)) {
        const char *host = scheme + 3;
        if (strncmp(host, "www.", 4) == 0)
            host += 4;
        return strncmp(host, "opengis.net/def/crs", 19) == 0 ? NULL : "a URL";
    }
    if (strncasecmp(crs, "/vsi", 4) == 0 || strncasecmp(crs, "DICT:", 5) == 0)
        return "a file";
    struct stat st;
    return stat(crs, &st) == 0 ? "a file" : NULL;
}

rt_status rti_srs_from_user(rt_ctx *ctx, rti_gdal_err *e, const char *crs, const char *what,
                            OGRSpatialReferenceH *out)
{
    *out = NULL;
    if (!crs || !crs[0])
        return rti_error(ctx, RT_E_CRS, "%s: no CRS given", what);
    const char *refused = crs_text_refused(crs);
    if (refused)
        return rti_error(ctx, RT_E_CRS,
                         "%s: CRS '%.200s' names %s; a CRS is read from no file or URL: give a "
                         "code (EPSG:28992), WKT or a PROJ string",
                         what, crs, refused);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs)
        return rti_error(ctx, RT_E_NOMEM, "%s: out of memory creating a CRS", what);
    rti_gdal_clear(e);
    if (OSRSetFromUserInput(srs, crs) != OGRERR_NONE) {
        OSRRelease(srs);
        return rti_error(ctx, RT_E_CRS, "%s: CRS '%.200s' not recognised: %s", what, crs,
                         rti_gdal_msg(e));
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    rt_status st = rti_srs_check(ctx, srs, what);
    if (st != RT_OK) {
        OSRRelease(srs);
        return st;
    }
    *out = srs;
    return RT_OK;
}

static const char *crs_kind(OGRSpatialReferenceH s)
{
    if (OSRIsCompound(s))
        return "compound";
    if (OSRIsProjected(s))
        return "projected";
    if (OSRIsGeographic(s))
        return "geographic";
    if (OSRIsVertical(s))
        return "vertical";
    if (OSRIsLocal(s))
        return "engineering";
    return "of another kind";
}

/* 1 when auth:code names a geocentric CRS in PROJ's database. Only the
 * authorities of the database are asked, with a code of letters, digits
 * and _-. only, so that a name from a file is never taken for a URL or a
 * path to open; GDAL's own PROJ context of the thread answers (its
 * database is opened once). An unknown code is no geocentric CRS. */
static int names_geocentric(const char *auth, const char *code)
{
    static const char *const known[] = {"EPSG", "ESRI", "IGNF", NULL};
    int k = 0;
    while (known[k] && strcasecmp(known[k], auth) != 0)
        k++;
    const size_t n = strlen(code);
    if (!known[k] || n == 0 || n > 40 ||
        strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") != n)
        return 0;
    OGRSpatialReferenceH ref = OSRNewSpatialReference(NULL);
    if (!ref)
        return 0;
    char id[64];
    snprintf(id, sizeof(id), "%s:%s", known[k], code);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const int geocentric = OSRSetFromUserInput(ref, id) == OGRERR_NONE && OSRIsGeocentric(ref);
    CPLPopErrorHandler();
    CPLErrorReset();
    OSRRelease(ref);
    return geocentric;
}

/* A geocentric CRS places points by x, y, z from the earth's centre: no
 * source of a map is in one, and one read as such is a broken file.
 *
 * PROJ 9.1 dereferences a null while building any transformation from a
 * geographic CRS that carries the code of a geocentric one (a GeoTIFF
 * whose GeographicTypeGeoKey is EPSG:4342, a WKT GEOGCRS with
 * ID["EPSG",4978]): the process dies. A CRS that is not geocentric but
 * carries the code of a geocentric CRS is refused before anything is
 * built from it; other mismatches of a code (a compound code on its
 * projected part) are left to GDAL and PROJ, which handle them. */
rt_status rti_srs_check(rt_ctx *ctx, OGRSpatialReferenceH srs, const char *what)
{
    const char *name = OSRGetName(srs);
    if (!name)
        name = "?";
    if (OSRIsGeocentric(srs))
        return rti_error(ctx, RT_E_CRS,
                         "%s: the CRS '%.200s' is geocentric (x, y, z from the earth's centre); "
                         "maps and layers need a geographic or projected CRS",
                         what, name);
    const char *auth = OSRGetAuthorityName(srs, NULL), *code = OSRGetAuthorityCode(srs, NULL);
    if (!auth || !code || !names_geocentric(auth, code))
        return RT_OK;
    return rti_error(ctx, RT_E_CRS,
                     "%s: the CRS '%.200s' is %s but carries the code %.60s:%.60s of a geocentric "
                     "CRS; an inconsistent CRS cannot be transformed: give the source a valid one",
                     what, name, crs_kind(srs), auth, code);
}

rt_status rti_crs_check_metric(rt_ctx *ctx, const char *crs)
{
    rti_gdal_err e;
    OGRSpatialReferenceH srs = NULL;
    rti_gdal_push(&e, ctx, NULL);
    rt_status st = rti_srs_from_user(ctx, &e, crs, "analysis CRS", &srs);
    if (st != RT_OK)
        goto out;
    const char *name = OSRGetName(srs);
    if (!name)
        name = crs;
    if (!OSRIsProjected(srs)) {
        st = rti_error(ctx, RT_E_CRS,
                       "analysis CRS '%.200s' (%.200s) is %s, not projected; distances must be "
                       "in metres, use a projected CRS such as EPSG:28992",
                       crs, name, OSRIsGeographic(srs) ? "geographic (degrees)" : "not projected");
        goto out;
    }
    /* Mercator's metres are ground metres only at the equator: its scale
     * is 1 / cos(latitude), 1.62 at 52 N, where a ground metre measures
     * 1.62 of its metres; Transverse and Oblique Mercator (UTM, ...) keep
     * their scale near 1 and pass */
    const char *method = OSRGetAttrValue(srs, "PROJECTION", 0);
    if (method && (strncmp(method, "Mercator", 8) == 0 || strstr(method, "Pseudo_Mercator"))) {
        st = rti_error(ctx, RT_E_CRS,
                       "analysis CRS '%.200s' (%.200s) is a Mercator projection (%s), whose "
                       "metres are ground metres only at the equator (at 52 degrees N a ground "
                       "metre measures 1.6 of them): times, lengths and areas would be wrong; "
                       "use a local projected CRS such as EPSG:28992 or a UTM zone",
                       crs, name, method);
        goto out;
    }
    char *unit = NULL;
    double to_m = OSRGetLinearUnits(srs, &unit);
    if (!(fabs(to_m - 1.0) < 1e-12)) {
        st = rti_error(ctx, RT_E_CRS,
                       "analysis CRS '%.200s' (%.200s) has linear unit '%s' (%g m), not metre", crs,
                       name, unit ? unit : "?", to_m);
        goto out;
    }
out:
    if (srs)
        OSRRelease(srs);
    rti_gdal_pop(&e);
    return st;
}

/* ---- small helpers ---- */

rt_status rti_grid_check(rt_ctx *ctx, const rti_grid_spec *grid)
{
    if (!grid || grid->nx <= 0 || grid->ny <= 0 || !(grid->cell_m > 0) || !isfinite(grid->cell_m) ||
        !isfinite(grid->x0) || !isfinite(grid->y1))
        return rti_error(ctx, RT_E_ARG, "grid: invalid (nx %d, ny %d, cell %g m)",
                         grid ? grid->nx : 0, grid ? grid->ny : 0, grid ? grid->cell_m : 0.0);
    return RT_OK;
}

rt_status rti_mem_dataset(rt_ctx *ctx, rti_gdal_err *e, const rti_grid_spec *grid,
                          GDALDataType type, void *data, GDALDatasetH *out)
{
    *out = NULL;
    GDALDriverH drv = GDALGetDriverByName("MEM");
    if (!drv)
        return rti_error(ctx, RT_E_INTERNAL, "GDAL MEM driver is not available");
    rti_gdal_clear(e);
    GDALDatasetH ds = GDALCreate(drv, "", grid->nx, grid->ny, 0, type, NULL);
    if (!ds)
        return rti_error(ctx, RT_E_NOMEM, "cannot create an in-memory raster of %d x %d: %s",
                         grid->nx, grid->ny, rti_gdal_msg(e));
    char ptr[64], opt[80];
    int n = CPLPrintPointer(ptr, data, (int)sizeof(ptr) - 1);
    ptr[n] = '\0';
    snprintf(opt, sizeof(opt), "DATAPOINTER=%s", ptr);
    char *opts[] = {opt, NULL};
    double gt[6] = {grid->x0, grid->cell_m, 0.0, grid->y1, 0.0, -grid->cell_m};
    if (GDALAddBand(ds, type, opts) != CE_None || GDALSetGeoTransform(ds, gt) != CE_None) {
        GDALClose(ds);
        return rti_error(ctx, RT_E_INTERNAL, "cannot wrap memory as a raster: %s", rti_gdal_msg(e));
    }
    *out = ds;
    return RT_OK;
}
