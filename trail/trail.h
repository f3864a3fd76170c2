/* trail.h - CloudTrail ingest: records -> IAM actions -> usage -> policies.
 *
 * Pipeline (iam-semantics.md 7.4, docs/generate.md):
 *   files (.json.gz/.json, S3 and org-trail layouts, stdin, lookup-events)
 *   -> records (streamed, bounded memory, one worker thread per file)
 *   -> filters, eventID dedupe, userIdentity -> principal key
 *   -> event map (trail/eventmap.def) -> (action, resource) pairs
 *   -> usage: per (kind, principal, action, resource, via) a count and the
 *      first/last time seen
 *   -> policies (trail/policy.c) or the unused-permission report.
 *
 * A usage is also what `iampc trail summarize` writes: the summary file is
 * the usage serialised, and loading several summaries into one usage is the
 * merge (counts add, first = min, last = max).
 *
 * Ownership: a usage owns its strings (its own arena). Ingest borrows the
 * catalog and paths. Threads: iam_trail_ingest runs its own workers; every
 * other function here is single-threaded on the usage it is given. The
 * record parser is a private reentrant scanner (trail/jscan.c), not cJSON:
 * cJSON's error global forbids it on worker threads (style.md 2.4); cJSON
 * is used only for the summary file, from the calling thread. */
#ifndef IAM_TRAIL_TRAIL_H
#define IAM_TRAIL_TRAIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "core/fsutil.h"
#include "core/strbuf.h"

typedef enum iam_trail_resmode {
    IAM_TRAIL_RES_GENERALIZE = 0,   /* ARNs with ids and object keys folded to wildcards */
    IAM_TRAIL_RES_EXACT,            /* ARNs as observed */
    IAM_TRAIL_RES_STAR,             /* Resource "*" everywhere */
} iam_trail_resmode;

typedef enum iam_trail_rw { IAM_TRAIL_RW_ALL = 0, IAM_TRAIL_RW_READ, IAM_TRAIL_RW_WRITE } iam_trail_rw;

typedef struct iam_trail_filter {
    const char *principal;   /* ARN; a role ARN selects all its sessions; NULL = all */
    const char *account;     /* 12 digits (recipient account); NULL = all */
    const char *region;      /* awsRegion; NULL = all */
    int64_t since, until;    /* epoch seconds, inclusive / exclusive; 0 = open */
    iam_trail_rw rw;
} iam_trail_filter;

/* Progress of a running ingest (approximate: updated every 1024 records). */
typedef struct iam_trail_progress {
    uint64_t files_done, files_total, records, bytes;
} iam_trail_progress;

typedef struct iam_trail_opts {
    iam_trail_filter filter;
    iam_trail_resmode resources;
    unsigned jobs;           /* worker threads; 0 = all cores */
    bool console_actions;    /* also map AwsConsoleAction records */
    /* Called about five times a second from the calling thread while the
     * workers run, and once at the end with final = true; NULL = none.
     * The library never prints: the CLI draws the line. */
    void (*progress)(const iam_trail_progress *p, bool final, void *ctx);
    void *progress_ctx;
    bool no_dedupe;          /* skip the eventID set (saves 16 bytes per record) */
} iam_trail_opts;

/* What one usage entry records. */
typedef enum iam_trail_kind {
    IAM_TK_USED = 0,      /* call succeeded (or failed after authorisation) */
    IAM_TK_DENIED,        /* AccessDenied & co.: needed but not granted */
    IAM_TK_IMPLIED,       /* never logged (iam:PassRole), implied by `via` */
    IAM_TK_UNMAPPED,      /* action = eventSource, resource = eventName */
    IAM_TK_COUNT
} iam_trail_kind;

typedef struct iam_trail_entry {
    const char *principal;   /* principal key ARN ("" for UNMAPPED) */
    const char *action;      /* "s3:GetObject" (catalog spelling) */
    const char *resource;    /* ARN, pattern or "*" */
    const char *via;         /* implying event "ec2:RunInstances" (IMPLIED), else "" */
    uint64_t count;
    int64_t first, last;     /* epoch seconds */
    iam_trail_kind kind;
    uint32_t hash;
} iam_trail_entry;

typedef struct iam_trail_stats {
    uint64_t files, files_bad;
    uint64_t bytes;          /* uncompressed JSON bytes read */
    uint64_t records;        /* records seen (before dedupe and filters) */
    uint64_t duplicates;     /* dropped by eventID */
    uint64_t filtered;       /* outside --principal/--account/--region/time/rw */
    uint64_t skipped;        /* no IAM permission: events of 7.7, service events, ... */
    uint64_t skipped_identity; /* AWSService, SAML/WebIdentity, anonymous callers */
    uint64_t mapped, unmapped, denied;
} iam_trail_stats;

/* A file that could not be read completely; its records are not counted. */
typedef struct iam_trail_badfile {
    const char *path;
    const char *msg;
} iam_trail_badfile;

typedef struct iam_trail_usage iam_trail_usage;

iam_trail_usage *iam_trail_usage_new(void);
void iam_trail_usage_free(iam_trail_usage *u);
/* Add or merge one entry (strings copied). */
void iam_trail_usage_add(iam_trail_usage *u, iam_trail_kind kind, const char *principal,
                         const char *action, const char *resource, const char *via,
                         uint64_t count, int64_t first, int64_t last);
/* u += v (entries merged, stats summed, bad files appended). */
void iam_trail_usage_merge(iam_trail_usage *u, const iam_trail_usage *v);
/* Entries sorted (kind, principal, action, resource, via): deterministic. */
size_t iam_trail_usage_entries(iam_trail_usage *u, const iam_trail_entry *const **out);
iam_trail_stats *iam_trail_usage_stats(iam_trail_usage *u);
size_t iam_trail_usage_badfiles(const iam_trail_usage *u, const iam_trail_badfile **out);
void iam_trail_usage_badfile(iam_trail_usage *u, const char *path, const char *msg);
/* Resource mode the entries were recorded with. */
iam_trail_resmode iam_trail_usage_resmode(const iam_trail_usage *u);
void iam_trail_usage_set_resmode(iam_trail_usage *u, iam_trail_resmode m);

/* Read every file into u (workers = opts->jobs). Files that are corrupt or
 * truncated are listed in u's bad files and contribute nothing. Returns 0,
 * or -1 when no worker could start. */
int iam_trail_ingest(iam_trail_usage *u, const iam_pathlist *files, const iam_trail_opts *opts,
                     const iam_catalog *cat);
/* Ingest one in-memory document (tests, fuzzing): the same code path. */
int iam_trail_ingest_mem(iam_trail_usage *u, const char *name, const char *data, size_t len,
                         const iam_trail_opts *opts, const iam_catalog *cat);

/* Input discovery: extensions a directory walk picks up. */
extern const char *const iam_trail_exts[];

/* -- mapping (trail/map.c, exposed for tests) --------------------------- */

/* Strip the API-date suffix by ^(.*?)(\d{8}|\d{4}_\d{2}_\d{2})(v\d+)?$;
 * returns the length of the name to keep (len when no suffix). */
size_t iam_trail_strip_date(const char *name, size_t len);
/* eventSource's first DNS label -> IAM prefix ("monitoring" -> "cloudwatch"). */
const char *iam_trail_prefix(const char *source, size_t len, char *buf, size_t cap);
/* Every action the event table can produce, for the catalog test. */
size_t iam_trail_table_actions(const char *const **out);

/* -- time --------------------------------------------------------------- */

/* "2024-05-01T12:00:00Z" (also date only "2024-05-01") -> epoch seconds;
 * -1 when malformed. */
int64_t iam_trail_parse_time(const char *s, size_t len);
void iam_trail_format_time(int64_t t, char buf[32]);

/* -- summary file (trail/summary.c) ------------------------------------- */

/* Serialise u as a summary document (JSON, format in docs/generate.md). */
void iam_trail_summary_write(iam_trail_usage *u, iam_strbuf *out);
/* Merge a summary document into u; returns 0 or -1 with *err (static or
 * arena text of u). */
int iam_trail_summary_read(iam_trail_usage *u, const char *data, size_t len, const char **err);

/* -- results ------------------------------------------------------------ */

typedef struct iam_trail_gen_opts {
    bool dependent_actions;  /* add the catalog's dependent actions */
    bool include_denied;     /* denied calls go into the policy too */
    bool include_implied;    /* implied (never logged) actions such as iam:PassRole */
    size_t quota;            /* compact size limit, 6144 (managed policy) */
    const char *principal;   /* only this principal (role ARN matches sessions), or NULL */
} iam_trail_gen_opts;

/* Principal keys present among USED/DENIED/IMPLIED entries, sorted. */
size_t iam_trail_principals(iam_trail_usage *u, const char ***out);
/* Does principal key p fall under the --principal argument want? */
bool iam_trail_principal_matches(const char *want, const char *p);
/* The policy for one principal, compact JSON (caller emits canonically).
 * *notes gets human-readable warnings (quota folding), one per line. */
void iam_trail_policy(iam_trail_usage *u, const iam_catalog *cat, const char *principal,
                      const iam_trail_gen_opts *o, iam_strbuf *out, iam_strbuf *notes);

#endif
