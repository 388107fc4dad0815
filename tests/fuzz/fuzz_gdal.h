#ifndef RT_TEST_FUZZ_GDAL_H
#define RT_TEST_FUZZ_GDAL_H
/* For the harnesses that feed GDAL: the input as an in-memory file
 * (/vsimem/, GDAL's own fuzzers do the same) and a quiet GDAL. Include
 * after fuzz/fuzz.h. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <gdal/cpl_conv.h>
#include <gdal/cpl_error.h>
#include <gdal/cpl_vsi.h>
#include <gdal/gdal.h>

#include "io/io.h"

/* Registers the drivers, keeps only those named in `keep` (a
 * NULL-terminated list of short names; the MEM drivers the io layer works
 * with are always kept): every open otherwise asks each of GDAL's 200-odd
 * drivers whether the file is theirs, which costs more than the read.
 * Silences GDAL's default error output (the io layer catches the messages
 * of its own calls) and keeps GDAL from writing or looking for side files.
 * SpatiaLite is not loaded into the SQLite connections of the GeoPackage
 * and OSM drivers: it only adds SQL functions, which the harnesses (no
 * attribute filter set) never call, and loading it took half the time of
 * each input. The drivers' lists of open options are dropped: GDAL parses
 * that XML at every open given options, to warn about unknown ones, which
 * took a fifth of the CSV harness's time; the io layer passes fixed
 * options that the tests check against the real drivers. */
FUZZ_UNUSED static void fuzz_gdal_init(const char *const *keep)
{
    rti_io_init();
    for (int i = GDALGetDriverCount() - 1; i >= 0; i--) {
        GDALDriverH d = GDALGetDriver(i);
        const char *name = GDALGetDriverShortName(d);
        int kept = strcmp(name, "MEM") == 0 || strcmp(name, "Memory") == 0;
        for (const char *const *k = keep; !kept && *k; k++)
            kept = strcmp(name, *k) == 0;
        if (!kept) {
            GDALDeregisterDriver(d);
            GDALDestroyDriver(d);
        } else {
            GDALSetMetadataItem(d, GDAL_DMD_OPENOPTIONLIST, NULL, NULL);
        }
    }
    CPLSetErrorHandler(CPLQuietErrorHandler);
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
    CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
    CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "1");
    CPLSetConfigOption("CPL_DEBUG", "OFF");
    CPLSetConfigOption("SPATIALITE_LOAD", "NO");
}

/* The input as the in-memory file `path` (not copied: unlink it before
 * the data goes away). */
FUZZ_UNUSED static void fuzz_vsimem(const char *path, const uint8_t *data, size_t size)
{
    VSILFILE *f = VSIFileFromMemBuffer(path, (GByte *)data, (vsi_l_offset)size, FALSE);
    if (!f)
        abort();
    VSIFCloseL(f);
}

#endif
