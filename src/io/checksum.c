/* SHA-256 of files, for the run manifest. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_internal.h"

#define RTI_SHA_CHUNK (1u << 20)

rt_status rti_file_sha256(rt_ctx *ctx, const char *path, char hex[65], uint64_t *size_bytes)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    uint64_t total = 0;
    rt_status st = RT_OK;
    EVP_MD_CTX *md_ctx = NULL;
    unsigned char *buf = NULL;
    hex[0] = '\0';
    if (size_bytes)
        *size_bytes = 0;
    /* opened without blocking (a named pipe would wait for a writer), then
     * read only when it is a regular file */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        char err[128] = "";
        strerror_r(errno, err, sizeof(err));
        if (fd >= 0)
            close(fd);
        return rti_error(ctx, RT_E_IO, "%s: cannot open: %s", path, err);
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return rti_error(ctx, RT_E_IO, "%s: not a regular file, so it has no checksum", path);
    }
    FILE *fp = fdopen(fd, "rb");
    if (!fp) {
        close(fd);
        return rti_error(ctx, RT_E_NOMEM, "%s: cannot open a stream", path);
    }
    buf = rti_malloc_array(ctx, RTI_SHA_CHUNK, 1, "checksum buffer");
    if (!buf) {
        st = RT_E_NOMEM;
        goto out;
    }
    md_ctx = EVP_MD_CTX_new();
    if (!md_ctx || EVP_DigestInit_ex(md_ctx, EVP_sha256(), NULL) != 1) {
        st = rti_error(ctx, RT_E_INTERNAL, "%s: cannot set up SHA-256", path);
        goto out;
    }
    size_t got;
    while ((got = fread(buf, 1, RTI_SHA_CHUNK, fp)) > 0) {
        if (EVP_DigestUpdate(md_ctx, buf, got) != 1) {
            st = rti_error(ctx, RT_E_INTERNAL, "%s: SHA-256 update failed", path);
            goto out;
        }
        total += got;
    }
    if (ferror(fp)) {
        st = rti_error(ctx, RT_E_IO, "%s: read error after %llu bytes", path,
                       (unsigned long long)total);
        goto out;
    }
    if (EVP_DigestFinal_ex(md_ctx, md, &md_len) != 1 || md_len != 32) {
        st = rti_error(ctx, RT_E_INTERNAL, "%s: SHA-256 final failed", path);
        goto out;
    }
    for (unsigned int i = 0; i < md_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (size_bytes)
        *size_bytes = total;
out:
    EVP_MD_CTX_free(md_ctx);
    free(buf);
    fclose(fp);
    return st;
}

char *rti_base64(rt_ctx *ctx, const void *data, size_t n, size_t *len)
{
    /* EVP_EncodeBlock takes an int: encode in pieces of whole 3-byte groups */
    const size_t piece = (size_t)3 << 20;
    size_t out_len = 4 * ((n + 2) / 3);
    char *out = rti_alloc_array_uninit(ctx, (int64_t)out_len + 1, 1, "base64 text");
    if (!out)
        return NULL;
    const unsigned char *in = data;
    size_t done = 0, w = 0;
    while (done < n) {
        size_t k = n - done < piece ? n - done : piece;
        w += (size_t)EVP_EncodeBlock((unsigned char *)out + w, in + done, (int)k);
        done += k;
    }
    out[w] = '\0';
    if (len)
        *len = w;
    return out;
}
