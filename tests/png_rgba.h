#ifndef RT_TEST_PNG_RGBA_H
#define RT_TEST_PNG_RGBA_H
/* PNG bytes decoded through GDAL into interleaved RGBA, for the tests of
 * map images (tests/io/test_render.c, and the report's maps in the CLI
 * tests through cli/cli_map.h). Include after cmocka.h. */
#include <gdal/cpl_vsi.h>
#include <gdal/gdal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes PNG bytes (an RGBA image) into interleaved RGBA (caller frees);
 * *w, *h get the size. */
static inline uint8_t *rt_test_png_rgba(const unsigned char *png, size_t n, int *w, int *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_true(n > 8 && memcmp(png, sig, 8) == 0);
    GDALAllRegister();
    VSILFILE *fp = VSIFileFromMemBuffer("/vsimem/test-png-rgba.png", (GByte *)png, n, FALSE);
    assert_non_null(fp);
    VSIFCloseL(fp);
    GDALDatasetH ds = GDALOpen("/vsimem/test-png-rgba.png", GA_ReadOnly);
    assert_non_null(ds);
    assert_int_equal(GDALGetRasterCount(ds), 4);
    *w = GDALGetRasterXSize(ds);
    *h = GDALGetRasterYSize(ds);
    uint8_t *px = malloc((size_t)*w * *h * 4);
    assert_non_null(px);
    assert_int_equal(GDALDatasetRasterIO(ds, GF_Read, 0, 0, *w, *h, px, *w, *h, GDT_Byte, 4, NULL,
                                         4, (GSpacing)4 * *w, 1),
                     CE_None);
    GDALClose(ds);
    VSIUnlink("/vsimem/test-png-rgba.png");
    return px;
}

#endif
