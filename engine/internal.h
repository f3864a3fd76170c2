/* internal.h - the compiled policy form shared by the engine's files.
 *
 * Everything here is built once by compile.c into the engine's arena and
 * never written afterwards, which is what makes evaluation thread-safe. */
#ifndef IAM_ENGINE_INTERNAL_H
#define IAM_ENGINE_INTERNAL_H
#include <stdint.h>

#include "core/arena.h"
#include "core/glob.h"
#include "engine/engine.h"

/* ---- policy-variable templates (iam-semantics 4.6) ----------------------- */

typedef enum tpart_kind {
    TP_TEXT,      /* policy text: '*' and '?' are wildcards */
    TP_ESCAPE,    /* ${*} ${?} ${$}: one literal character */
    TP_VAR,       /* ${key} or ${key, 'default'} */
} tpart_kind;

typedef struct tpart {
    tpart_kind kind;
    const char *s;        /* TEXT: text; ESCAPE: the char; VAR: folded key */
    size_t len;
    const char *dflt;     /* VAR default, NULL when none */
    size_t dlen;
} tpart;

typedef struct tmpl {
    tpart *v;
    size_t n;
} tmpl;

/* Expanded pattern: bytes plus a per-byte "literal" flag so that wildcard
 * characters coming from escapes or context values never act as wildcards. */
typedef struct xbuf {
    char *s;
    uint8_t *lit;
    size_t n, cap;
    char sbuf[256];
    uint8_t lbuf[256];
} xbuf;

/* ---- requests as the evaluator sees them --------------------------------- */

typedef struct arnf {
    bool ok;              /* six fields found */
    const char *f[6];
    size_t len[6];
} arnf;

typedef struct evctx {
    const iam_engine *e;
    const iam_request *r;
    const iam_caller *c;
    const char *svc;      /* action service prefix */
    size_t svclen;
    const char *op;       /* action name */
    size_t oplen;
    bool action_ok;
    bool res_star;
    arnf res;
    bool has_pb;
} evctx;

/* Context lookup: returns the entry for a folded key or NULL. */
const iam_ctx_entry *ctx_find(const evctx *x, const char *folded, size_t flen);

/* ---- compiled statements ------------------------------------------------- */

typedef struct cact {
    bool any;             /* "*" */
    bool never;           /* malformed: matches nothing */
    const char *svc;
    size_t svclen;
    iam_glob *name;       /* case-insensitive */
} cact;

typedef enum cres_kind { CR_STAR, CR_ARN, CR_NEVER } cres_kind;

typedef struct cres {
    cres_kind kind;
    iam_glob *f[6];       /* NULL entries beyond nfields when padded */
    size_t nfields;       /* fields present in the pattern */
    bool runon;           /* last field's trailing '*' runs across colons */
    bool pad;             /* missing fields are '*' */
    tmpl *t;              /* resource field with variables, else NULL */
    const char *text;
} cres;

typedef struct cprin {
    const iam_principal_entry *e;
    const char *name;     /* USER / ROLE entries: last path segment */
    size_t nlen;
} cprin;

typedef struct ipnet {
    int fam;              /* 4 or 6 */
    uint8_t a[16];
    int prefix;
} ipnet;

typedef struct cval {
    const iam_str *src;
    bool ok;              /* parsed for the family */
    tmpl *t;              /* String/Arn value with variables */
    iam_glob *g;          /* StringLike */
    iam_glob *arn[6];     /* Arn* fields */
    double num;
    int64_t sec;          /* Date */
    int32_t nsec;
    bool b;
    ipnet ip;
} cval;

typedef struct ckey {
    const iam_cond_key *src;
    const char *folded;
    size_t flen;
    cval *v;
    size_t n;
} ckey;

typedef struct ccond {
    const iam_condition *src;
    iam_cond_base base;
    iam_cond_family fam;
    bool neg;
    bool unknown;
    ckey *keys;
    size_t nkeys;
} ccond;

typedef struct cstmt {
    const iam_statement *src;
    uint32_t index;
    iam_effect effect;
    bool not_action;
    cact *acts;
    size_t nacts;
    bool has_res, not_res;
    cres *res;
    size_t nres;
    bool has_prin, not_prin, prin_any;
    cprin *prin;
    size_t nprin;
    ccond *conds;
    size_t nconds;
} cstmt;

typedef struct cpolicy {
    const iam_policy *src;
    iam_policy_type type;
    bool vars;
    cstmt *v;
    size_t n;
} cpolicy;

typedef struct clevel {
    cpolicy *v;
    size_t n;
} clevel;

struct iam_engine {
    iam_arena *arena;
    unsigned flags;
    cpolicy *identity;
    size_t nidentity;
    cpolicy *boundary, *session, *resource, *vpce;
    clevel *scps, *rcps;
    size_t nscps, nrcps;
    bool has_scps, has_rcps;
    bool mgmt_caller, mgmt_resource, managed_key;
};

/* ---- shared helpers ------------------------------------------------------ */

/* cond.c */
void cond_compile(iam_arena *a, const iam_condition *src, bool vars, ccond *out);
/* Whether the whole condition block holds; on failure fail_c and fail_k say
 * which operator and key failed. */
bool conds_hold(const evctx *x, const ccond *c, size_t n, const ccond **fail_c,
                const ckey **fail_k);
bool parse_number(const char *s, size_t n, double *out);
bool parse_date(const char *s, size_t n, int64_t *sec, int32_t *nsec);
bool parse_ip(const char *s, size_t n, bool allow_prefix, ipnet *out);
bool ip_contains(const ipnet *net, const ipnet *addr);
iam_cond_family base_family(iam_cond_base b);
bool base_negated(iam_cond_base b);

/* match.c */
tmpl *tmpl_parse(iam_arena *a, const char *s, size_t n);
/* Expand t with the request context; false when a variable is unresolved. */
bool tmpl_expand(const evctx *x, const tmpl *t, xbuf *out);
void xbuf_init(xbuf *b);
void xbuf_free(xbuf *b);
void arn_split(const char *s, size_t n, arnf *out);
void act_compile(iam_arena *a, const char *text, cact *out);
bool act_match(const cact *c, const evctx *x);
void res_compile(iam_arena *a, const char *text, size_t len, iam_policy_type type, bool vars,
                 unsigned flags, cres *out);
/* 1 match, 0 no match, -1 unresolved variable */
int res_match(const cres *c, const evctx *x);
void prin_compile(const iam_principal_entry *e, cprin *out);
/* Best grant class with which the element covers the caller. */
iam_grant_class prin_class(const cprin *p, const iam_caller *c);

#endif
