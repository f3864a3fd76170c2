/* reader.c - bytes of one CloudTrail input, decompressed, in a window.
 *
 * Inputs: gzip (detected by magic, whatever the name) or plain JSON, from a
 * file, stdin or memory. A gzip file of moderate size is inflated in one go
 * with libdeflate (about twice zlib's speed); larger or multi-member files
 * and stdin stream through zlib. The window keeps the bytes from the start
 * of the value being parsed; it grows only as far as the largest record
 * (capped), so memory is bounded whatever the input size. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/arena.h"
#include "trail/reader.h"

#define CHUNK (1u << 20)
#define WHOLE_MAX (128u << 20)      /* inflate in one go up to this size */
#define WINDOW_MAX (256u << 20)     /* largest single record we accept */

static int fill_raw(trail_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    /* compressed or plain bytes from memory or fd */
    if (r->src_mem) {
        size_t n = r->src_len - r->src_pos;
        if (n > cap)
            n = cap;
        memcpy(dst, r->src_mem + r->src_pos, n);
        r->src_pos += n;
        *got = n;
        return 0;
    }
    for (;;) {
        ssize_t k = read(r->fd, dst, cap);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            r->err = strerror(errno);
            return -1;
        }
        *got = (size_t)k;
        return 0;
    }
}

/* Append decompressed bytes at buf[len..cap). */
static int produce(trail_reader *r)
{
    size_t room = r->cap - r->len;
    if (!r->gz) {
        size_t got = 0;
        if (fill_raw(r, (unsigned char *)r->buf + r->len, room, &got) != 0)
            return -1;
        if (got == 0)
            r->eof = true;
        r->len += got;
        return 0;
    }
    z_stream *z = &r->zs;
    z->next_out = (unsigned char *)r->buf + r->len;
    z->avail_out = (uInt)room;
    while (z->avail_out == room) {
        if (z->avail_in == 0 && !r->in_eof) {
            size_t got = 0;
            if (fill_raw(r, r->in, CHUNK, &got) != 0)
                return -1;
            if (got == 0)
                r->in_eof = true;
            z->next_in = r->in;
            z->avail_in = (uInt)got;
        }
        int rc = inflate(z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            /* another gzip member may follow (concatenated .gz) */
            if (z->avail_in == 0 && !r->in_eof) {
                size_t got = 0;
                if (fill_raw(r, r->in, CHUNK, &got) != 0)
                    return -1;
                if (got == 0)
                    r->in_eof = true;
                z->next_in = r->in;
                z->avail_in = (uInt)got;
            }
            if (z->avail_in == 0) {
                r->eof = true;
                break;
            }
            inflateReset(z);
            continue;
        }
        if (rc == Z_BUF_ERROR && r->in_eof && z->avail_in == 0) {
            r->err = "truncated gzip data";
            return -1;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            r->err = z->msg ? z->msg : "corrupt gzip data";
            return -1;
        }
    }
    r->len += room - z->avail_out;
    return 0;
}

int trail_reader_fill(trail_reader *r)
{
    if (r->eof)
        return 0;
    if (r->pos > 0) {   /* drop consumed bytes */
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->base += r->pos;
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->len < CHUNK / 2) {
        if (r->cap >= WINDOW_MAX) {
            r->err = "record larger than 256 MiB";
            return -1;
        }
        r->cap *= 2;
        r->buf = iam_xrealloc(r->buf, r->cap + 1);
    }
    size_t before = r->len;
    if (produce(r) != 0)
        return -1;
    r->total += r->len - before;
    return 0;
}

/* Try the one-shot path: a whole gzip file in memory, one member. */
static bool whole(trail_reader *r, const unsigned char *z, size_t zlen)
{
    if (zlen < 18)
        return false;
    size_t isize = (size_t)z[zlen - 4] | (size_t)z[zlen - 3] << 8 | (size_t)z[zlen - 2] << 16 |
                   (size_t)z[zlen - 1] << 24;
    if (isize > WHOLE_MAX || isize < zlen / 1100)   /* deflate ratio is < 1032:1 */
        return false;
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d)
        return false;
    char *out = iam_xmalloc(isize + 1);
    size_t in_used = 0, out_got = 0;
    enum libdeflate_result rc =
        libdeflate_gzip_decompress_ex(d, z, zlen, out, isize, &in_used, &out_got);
    libdeflate_free_decompressor(d);
    if (rc != LIBDEFLATE_SUCCESS || in_used != zlen || out_got != isize) {
        free(out);
        return false;   /* multi-member, corrupt or truncated: let zlib say which */
    }
    free(r->buf);
    r->buf = out;
    r->len = isize;
    r->cap = isize;
    r->total = isize;
    r->eof = true;
    return true;
}

static void setup_gzip(trail_reader *r)
{
    r->gz = true;
    r->in = iam_xmalloc(CHUNK);
    memset(&r->zs, 0, sizeof r->zs);
    if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
        iam_oom("zlib");
    r->zinit = true;
}

static void init_common(trail_reader *r, const char *name)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fd = -1;
    r->cap = CHUNK * 2;
    r->buf = iam_xmalloc(r->cap + 1);
}

int trail_reader_open(trail_reader *r, const char *path)
{
    init_common(r, path);
    bool is_stdin = strcmp(path, "-") == 0;
    r->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (r->fd < 0) {
        r->err = strerror(errno);
        return -1;
    }
    struct stat st;
    if (!is_stdin && fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 2 &&
        (size_t)st.st_size <= WHOLE_MAX) {
        /* small enough: read it all, then either inflate in one go or
         * stream from memory */
        unsigned char *z = iam_xmalloc((size_t)st.st_size);
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t k = read(r->fd, z + got, (size_t)st.st_size - got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                r->err = k < 0 ? strerror(errno) : "file shrank while reading";
                free(z);
                return -1;
            }
            got += (size_t)k;
        }
        r->owned_src = z;
        r->src_mem = z;
        r->src_len = got;
        if (z[0] == 0x1f && z[1] == 0x8b) {
            if (whole(r, z, got))
                return 0;
            setup_gzip(r);
        }
        return 0;
    }
    /* stream: peek at the magic */
    unsigned char m[2];
    size_t n = 0;
    while (n < 2) {
        ssize_t k = read(r->fd, m + n, 2 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    if (n == 2 && m[0] == 0x1f && m[1] == 0x8b) {
        setup_gzip(r);
        memcpy(r->in, m, 2);
        r->zs.next_in = r->in;
        r->zs.avail_in = 2;
    } else {
        memcpy(r->buf, m, n);
        r->len = n;
        r->total = n;
    }
    return 0;
}

void trail_reader_mem(trail_reader *r, const char *name, const char *data, size_t len)
{
    init_common(r, name);
    r->src_mem = (const unsigned char *)data;
    r->src_len = len;
    if (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b &&
        !whole(r, (const unsigned char *)data, len))
        setup_gzip(r);
}

void trail_reader_close(trail_reader *r)
{
    if (r->zinit)
        inflateEnd(&r->zs);
    if (r->fd > STDIN_FILENO)
        close(r->fd);
    free(r->in);
    free(r->buf);
    free(r->owned_src);
    memset(r, 0, sizeof *r);
}
