/* internal.h - the catalog's tables, shared by the loader, the queries and
 * tools/catalog2c (which prints them as static C data).
 *
 * Every string is an offset into one pool (offset 0 is ""), so the built-in
 * tables hold no pointers and need no relocations at start-up. Ranges are
 * (first index, count) into the flat arrays. Sort orders (relied on by the
 * binary searches):
 *   services   by case-folded prefix, compared as "prefix:" (so that
 *              actions sorted by "service:name" stay in service blocks)
 *   actions    by service, then case-folded name; action id = index
 *   rtypes     by service, then case-folded name
 *   keys       by case-folded name, then service
 *   gkeys      by case-folded name
 *   kprefixes  by case-folded prefix */
#ifndef IAM_CATALOG_INTERNAL_H
#define IAM_CATALOG_INTERNAL_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "catalog/catalog.h"

typedef struct cat_service {
    uint32_t prefix, name;
    uint32_t a0, na;          /* actions */
    uint32_t r0, nr;          /* resource types */
} cat_service;

typedef struct cat_action {
    uint32_t name;
    uint32_t svc;
    uint32_t on0, kr0, d0;    /* ranges into ons, krefs, deps */
    uint16_t non, nkr, nd;
    uint8_t access;
} cat_action;

typedef struct cat_on {       /* one resource type of one action */
    uint32_t rtype;
    uint32_t kr0, d0;
    uint16_t nkr, nd;
    uint8_t required;
} cat_on;

typedef struct cat_rtype {
    uint32_t name, arn;
    uint32_t svc;
    uint32_t kr0;
    uint16_t nkr;
} cat_rtype;

typedef struct cat_key {
    uint32_t name;
    uint32_t svc;             /* IAM_CATALOG_NONE for global keys */
    uint8_t type;             /* iam_key_type */
    uint8_t templ;            /* name contains a variable */
} cat_key;

typedef struct cat_kprefix {
    uint32_t prefix;
    uint32_t s0, ns;          /* range into srefs (service ids) */
} cat_kprefix;

struct arn_tmpl;

struct iam_catalog {
    const char *pool;
    uint32_t pool_len;
    uint32_t package, version, date;
    const cat_service *svc;
    const cat_action *act;
    const cat_on *on;
    const cat_rtype *rt;
    const cat_key *key;
    const cat_key *gkey;
    const uint32_t *kref;     /* key ids */
    const uint32_t *dep;      /* string offsets */
    const cat_kprefix *kp;
    const uint32_t *sref;     /* service ids */
    const uint32_t *tkeys;    /* ids of templated service keys */
    uint32_t nsvc, nact, non, nrt, nkey, ngkey, nkref, ndep, nkp, nsref, ntkeys;
    /* Run-time state: ARN templates compiled on first use. */
    iam_arena *arena;         /* NULL for the built-in catalog */
    pthread_mutex_t lock;
    _Atomic(struct arn_tmpl *) tmpl;
    iam_arena *tmpl_arena;
    const char **arn_svc;     /* template service fields, folded, sorted, unique */
    uint32_t narn_svc;        /* (built with tmpl, read only after loading it) */
};

#define CAT_STR(c, off) ((c)->pool + (off))

/* Case-folded comparisons used for every sort and search. */
int cat_fcmp(const char *a, const char *b);
int cat_fncmp(const char *a, size_t alen, const char *b);   /* a[0..alen) vs NUL-terminated b */
/* Compare prefixes as "prefix:" (see the sort orders above). */
int cat_pcmp(const char *a, size_t alen, const char *b);

/* Free the ARN template cache (arn.c). */
void cat_arn_free(iam_catalog *c);

/* Run-time verdicts of iam_catalog_arn_matches_rtype by pattern text and
 * type, for iam_catalog_memo (arn.c; allocated in a, not thread-safe). */
typedef struct cat_arn_memo cat_arn_memo;
cat_arn_memo *cat_arn_memo_new(iam_arena *a);
const iam_arn_ref *cat_arn_memo_ref(cat_arn_memo *m, const char *arn, size_t len);
bool cat_arn_memo_fits(cat_arn_memo *m, const iam_catalog *c, const iam_arn_ref *r, uint32_t rt);

#endif
