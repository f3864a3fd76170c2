/* internal.h - pieces of the trail module shared between its files. */
#ifndef IAM_TRAIL_INTERNAL_H
#define IAM_TRAIL_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trail/trail.h"

/* -- jscan.c: a reentrant JSON tape ------------------------------------- *
 * One pass over a complete value builds a flat array of nodes; containers
 * store the index one past their subtree, so lookups skip siblings without
 * rescanning. Strings point into the input and are decoded only on demand
 * (CloudTrail keys never need it). Each worker owns its tape. */
enum { JT_NULL, JT_FALSE, JT_TRUE, JT_NUM, JT_STR, JT_ARR, JT_OBJ };

typedef struct jnode {
    const char *p;      /* string: first byte after the quote; else value start */
    uint32_t len;       /* string bytes (raw, escapes undecoded) */
    uint32_t next;      /* index one past this node's subtree */
    uint8_t type;
    uint8_t esc;        /* string contains a backslash */
} jnode;

typedef struct jtape {
    jnode *v;
    size_t n, cap;
    char *scratch;      /* decoded strings (reset per record) */
    size_t slen, scap;
} jtape;

#define JT_NEED_MORE (-2)   /* input ended inside the value */
#define JT_SYNTAX (-1)

/* Parse one JSON value at s[0..n) into t (reset first). Returns the number
 * of bytes consumed (> 0), JT_NEED_MORE or JT_SYNTAX. */
long jt_parse(jtape *t, const char *s, size_t n);
void jt_free(jtape *t);
/* Member of object node o named key (exact), or -1. */
long jt_get(const jtape *t, long o, const char *key);
/* jt_get along a path of keys ("a", "b", NULL). */
long jt_path(const jtape *t, long o, ...);
/* String value (decoded into scratch when it has escapes); NULL for other
 * types or a missing node. *len receives its length. Valid until the next
 * jt_parse. The result is NUL-terminated. */
const char *jt_str(jtape *t, long i, size_t *len);
/* Convenience: string member of o, "" when absent. */
const char *jt_gets(jtape *t, long o, const char *key, size_t *len);

/* -- map.c: event -> actions -------------------------------------------- */

#define TRAIL_MAX_OUT 32

typedef struct trail_perm {
    uint32_t id;            /* catalog action id */
    char resource[512];     /* ARN or pattern or "*" */
    char via[128];          /* implied: the implying event "ec2:RunInstances" */
    bool implied;           /* never logged itself (iam:PassRole) */
} trail_perm;

typedef struct trail_event {
    jtape *t;
    long rec;                   /* record object */
    const char *source, *name;  /* eventSource, eventName */
    size_t source_len, name_len;
    const char *region;
    const char *account;        /* recipientAccountId or identity account */
    const char *partition;
    iam_trail_resmode mode;
    const iam_catalog *cat;
} trail_event;

typedef enum trail_map_result {
    TRAIL_MAPPED,       /* out[] filled */
    TRAIL_NO_ACTION,    /* 7.7: no IAM permission behind it */
    TRAIL_UNMAPPED,     /* unknown to the table and the catalog */
} trail_map_result;

/* Map one event; *n gets the number of permissions written (<= TRAIL_MAX_OUT). */
trail_map_result trail_map(trail_event *ev, trail_perm *out, size_t *n);

/* -- resource.c: ARNs ---------------------------------------------------- */

/* Resource for action id from resources[], request parameters or the
 * action's ARN template, in ev->mode; writes "*" for wildcard-only actions. */
void trail_resource(trail_event *ev, uint32_t action, char *out, size_t cap);
/* Fold ids/keys of an observed ARN into wildcards (generalize mode). */
void trail_generalize(const char *arn, char *out, size_t cap);
/* Apply ev->mode to an observed ARN in place (generalize / star / exact). */
void trail_finish_arn(const trail_event *ev, char *arn, size_t cap);
/* "arn:<partition>:<svc>:<region>:<account>:<res>"; region/account left
 * empty when !regional / !with_account. */
void trail_arn(const trail_event *ev, char *out, size_t cap, const char *svc, bool regional,
               bool with_account, const char *res);
/* Role ARN from a role name, role ARN or instance profile (any role of the account). */
void trail_role_arn(const trail_event *ev, const char *v, bool profile, char *out, size_t cap);
/* Object ARN from "bucket/key[?versionId=...]" (x-amz-copy-source). */
void trail_s3_object(const trail_event *ev, const char *bucket_key, char *out, size_t cap);
/* Member at a dotted path ("overrides.taskRoleArn") below object o. */
long jt_dotted(const jtape *t, long o, const char *path);

#endif
