/* emit.h - canonical JSON output for located JSON trees (grammar/json.h).
 *
 * One emitter serves `fmt`, `compile` and `minimize`: it writes an iam_json
 * tree to an iam_strbuf, reordering object keys only where a schema says
 * the order carries no meaning (policy elements), and keeping everything
 * else - array order, condition operators and keys, unknown keys - exactly
 * as written. The canonical format is specified in docs/fmt.md:
 *
 *   - every non-empty array and object is expanded, one element per line,
 *     indented by opts->indent spaces per level; empty ones are [] and {};
 *   - members print as "key": value (one space after the colon);
 *   - strings are re-escaped minimally (RFC 8259: \" \\ \b \f \n \r \t,
 *     other controls as \u00xx lowercase, everything else - including
 *     non-ASCII UTF-8 and '/' - verbatim); numbers print as their source text;
 *   - indent 0 selects the compact form: no whitespace at all (the form IAM
 *     counts against its size quotas).
 *
 * The output is a fixpoint: parsing it and emitting again yields the same
 * bytes (tests/fuzz/fuzz_fmt.c checks this on every input).
 *
 * Ownership: the emitter borrows the tree and appends to the caller's
 * strbuf; it allocates nothing that outlives the call. Thread-safe: no
 * global state; the schemas and option sets below are immutable. */
#ifndef IAM_COMPILER_EMIT_H
#define IAM_COMPILER_EMIT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "grammar/json.h"

/* Roles of the policy schema: where a value sits in a policy document.
 * Other schemas may define their own role numbers; 0 always means "no
 * ordering rule" (keys stay in source order). */
enum iam_emit_role {
    IAM_ER_ANY = 0,
    IAM_ER_DOCUMENT,      /* policy root: Version, Id, Statement */
    IAM_ER_STATEMENT,     /* a statement (the Statement value or an element of it) */
    IAM_ER_PRINCIPAL,     /* Principal / NotPrincipal map */
    IAM_ER_CONDITION,     /* Condition block: operators, source order */
    IAM_ER_CONDITION_OP,  /* one operator's keys, source order */
};

/* A key-ordering hook. The emitter tracks a role per value: the root gets
 * `root`, an object member gets child(parent role, key), an array element
 * inherits its array's role. Within an object of role r, members are
 * stably sorted by rank(r, key): keys with rank >= 0 first, ascending, then
 * keys with rank -1 in source order. Duplicate keys keep their relative
 * order, so sorting is idempotent. */
typedef struct iam_emit_schema {
    int root;
    int (*child)(int parent, const char *key, size_t key_len);
    int (*rank)(int role, const char *key, size_t key_len);
} iam_emit_schema;

/* The policy grammar of iam-semantics.md 1.1: top level Version, Id,
 * Statement; statement Sid, Effect, Principal, NotPrincipal, Action,
 * NotAction, Resource, NotResource, Condition; principal map AWS,
 * CanonicalUser, Federated, Service. Names match case-sensitively, as IAM
 * does; a misspelt element is an unknown key and keeps its place after the
 * known ones. */
extern const iam_emit_schema iam_emit_policy_schema;

typedef struct iam_emit_opts {
    unsigned indent;                 /* spaces per level (capped at 16); 0 = compact */
    bool final_newline;              /* end the output with '\n' */
    const iam_emit_schema *schema;   /* NULL: source order everywhere */
} iam_emit_opts;

/* indent 2, final newline, policy schema: what `iampc fmt` writes. */
extern const iam_emit_opts iam_emit_canonical;
/* indent 0, no newline, policy schema: the smallest equivalent document. */
extern const iam_emit_opts iam_emit_compact;

/* Append the text of v to out. opts NULL means iam_emit_canonical. */
void iam_emit_json(iam_strbuf *out, const iam_json *v, const iam_emit_opts *opts);

#endif
