/* json.h - located JSON: a strict RFC 8259 parser (Flex + Bison, reentrant)
 * that keeps a span for every key and value.
 *
 * Strings are decoded (escapes, surrogate pairs) to UTF-8 with an explicit
 * length (they may contain NUL); numbers keep their source text. Invalid
 * UTF-8, overlong forms, lone surrogates and control characters are
 * rejected. Duplicate keys are reported (rule duplicate-key, both spans) and
 * kept in the tree in source order; lookups return the last one.
 *
 * Ownership: the tree lives in the arena passed to iam_json_parse; the
 * source must outlive it. Thread-safe: no global state. */
#ifndef IAM_GRAMMAR_JSON_H
#define IAM_GRAMMAR_JSON_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"

typedef enum iam_json_kind {
    IAM_JSON_NULL,
    IAM_JSON_BOOL,
    IAM_JSON_NUMBER,
    IAM_JSON_STRING,
    IAM_JSON_ARRAY,
    IAM_JSON_OBJECT,
} iam_json_kind;

typedef struct iam_json iam_json;

typedef struct iam_json_member {
    const char *key;      /* decoded, NUL-terminated */
    size_t key_len;
    iam_span key_span;
    iam_json *value;
} iam_json_member;

struct iam_json {
    iam_json_kind kind;
    iam_span span;
    union {
        bool b;
        struct { const char *s; size_t len; } str;   /* STRING (decoded), NUMBER (source text) */
        struct { iam_json **v; size_t n; } arr;
        struct { iam_json_member *v; size_t n; } obj;
    } u;
};

typedef struct iam_json_limits {
    size_t max_depth;        /* nesting of arrays/objects; default 128 */
    size_t max_string;       /* bytes of one decoded string; default 1 MiB */
    size_t max_file;         /* bytes of input; default 64 MiB */
} iam_json_limits;

extern const iam_json_limits iam_json_default_limits;

/* Parse the whole source. On success *out is the root and IAM_OK is
 * returned; otherwise diags hold a json-syntax or input-limit error with
 * its position and IAM_ERR_SYNTAX / IAM_ERR_LIMIT is returned. Duplicate
 * keys are reported but do not fail the parse. */
iam_status iam_json_parse(iam_arena *a, const iam_source *src, const iam_json_limits *lim,
                          iam_diags *d, iam_json **out);

/* Last member named key (exact, case-sensitive), or NULL. */
const iam_json_member *iam_json_get(const iam_json *obj, const char *key);
const char *iam_json_kind_name(iam_json_kind k);

#endif
