/* reader.h - a window over the decompressed bytes of one input (reader.c).
 * Not thread-safe: one reader per worker. */
#ifndef IAM_TRAIL_READER_H
#define IAM_TRAIL_READER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

typedef struct trail_reader {
    const char *name;
    char *buf;                 /* window: buf[pos..len) unconsumed */
    size_t len, pos, cap;
    uint64_t base;             /* stream offset of buf[0] */
    uint64_t total;            /* decompressed bytes produced so far */
    bool eof;                  /* nothing more will be appended */
    const char *err;           /* static text after a failure */
    /* source */
    int fd;
    const unsigned char *src_mem;
    size_t src_len, src_pos;
    unsigned char *owned_src;
    /* gzip */
    bool gz, zinit, in_eof;
    z_stream zs;
    unsigned char *in;
} trail_reader;

/* 0, or -1 with r->err; close in both cases. */
int trail_reader_open(trail_reader *r, const char *path);
void trail_reader_mem(trail_reader *r, const char *name, const char *data, size_t len);
/* Keep buf[pos..len), append more; 0 (check eof) or -1 with r->err. */
int trail_reader_fill(trail_reader *r);
void trail_reader_close(trail_reader *r);

#endif
