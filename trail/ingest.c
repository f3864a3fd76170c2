/* ingest.c - CloudTrail files -> usage, on worker threads.
 *
 * Each worker takes the next file, streams its records through a private
 * tape (no cJSON here: style.md 2.4), and builds a file-local usage that is
 * merged into the worker's only when the whole file was read: a corrupt or
 * truncated file is reported and contributes nothing. Duplicates (the same
 * eventID delivered twice, iam-semantics.md 7.1) are dropped through one
 * sharded set of 64-bit eventID hashes, 16 bytes per record at most. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "trail/internal.h"
#include "trail/reader.h"

const char *const iam_trail_exts[] = {".json.gz", ".json", ".gz", NULL};

/* -- eventID set --------------------------------------------------------- */

#define SHARDS 64
typedef struct idshard {
    pthread_mutex_t mu;
    uint64_t *v;
    size_t cap, n;
} idshard;

typedef struct idset { idshard s[SHARDS]; } idset;

static void idset_init(idset *d)
{
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&d->s[i].mu, NULL);
        d->s[i].v = NULL;
        d->s[i].cap = d->s[i].n = 0;
    }
}

static void idset_fini(idset *d)
{
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_destroy(&d->s[i].mu);
        free(d->s[i].v);
    }
}

static uint64_t hash64(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

/* True when h was new. */
static bool idset_insert(idset *d, uint64_t h)
{
    idshard *s = &d->s[h >> 58];
    bool fresh = true;
    pthread_mutex_lock(&s->mu);
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        uint64_t *v = calloc(cap, sizeof *v);
        if (!v)
            iam_oom("eventID set");
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->v[i])
                continue;
            size_t j = s->v[i] & (cap - 1);
            while (v[j])
                j = (j + 1) & (cap - 1);
            v[j] = s->v[i];
        }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = h & (s->cap - 1);
    while (s->v[j] && s->v[j] != h)
        j = (j + 1) & (s->cap - 1);
    if (s->v[j])
        fresh = false;
    else {
        s->v[j] = h;
        s->n++;
    }
    pthread_mutex_unlock(&s->mu);
    return fresh;
}

/* -- shared run state ------------------------------------------------------ */

typedef struct run {
    const iam_pathlist *files;
    const iam_trail_opts *o;
    const iam_catalog *cat;
    idset *ids;
    atomic_size_t next;
    atomic_uint_fast64_t bytes, records, files_done;
    atomic_int workers_done;
} run;

typedef struct worker {
    run *r;
    jtape t, t2;
    iam_trail_usage *u;       /* the worker's total */
    iam_trail_usage *file;    /* the current file's */
    trail_perm perms[TRAIL_MAX_OUT];
} worker;

/* -- one record -------------------------------------------------------------- */

static bool is_denied(const char *code)
{
    return strncmp(code, "AccessDenied", 12) == 0 || strstr(code, "Unauthorized") != NULL ||
           strncmp(code, "AuthorizationError", 18) == 0 || strcmp(code, "Forbidden") == 0 ||
           strcmp(code, "NotAuthorized") == 0;
}

static bool arn_is_role(const char *a, const char **acct, size_t *acct_len, const char **name)
{
    /* arn:P:iam::A:role/path/Name */
    const char *p = strstr(a, ":iam::");
    if (strncmp(a, "arn:", 4) != 0 || !p)
        return false;
    const char *acc = p + 6, *c = strchr(acc, ':');
    if (!c || strncmp(c + 1, "role/", 5) != 0)
        return false;
    *acct = acc;
    *acct_len = (size_t)(c - acc);
    *name = strrchr(c, '/') + 1;
    return true;
}

bool iam_trail_principal_matches(const char *want, const char *p)
{
    if (!want)
        return true;
    if (strcasecmp(want, p) == 0)
        return true;
    /* a role ARN given without (or with another spelling of) its path */
    const char *a1, *a2, *n1, *n2;
    size_t l1, l2;
    return arn_is_role(want, &a1, &l1, &n1) && arn_is_role(p, &a2, &l2, &n2) && l1 == l2 &&
           memcmp(a1, a2, l1) == 0 && strcmp(n1, n2) == 0;
}

/* Principal key of iam-semantics.md 7.4 step 2 into out; false when the
 * caller is no IAM principal of ours (service, SAML/web identity, anonymous). */
static bool principal_key(jtape *t, long ui, char *out, size_t cap, const char **session)
{
    size_t tl;
    const char *type = jt_gets(t, ui, "type", &tl);
    const char *arn = jt_gets(t, ui, "arn", NULL);
    *session = arn;
    if (strcmp(type, "IAMUser") == 0 || strcmp(type, "Root") == 0) {
        if (!*arn && strcmp(type, "Root") == 0) {
            snprintf(out, cap, "arn:aws:iam::%s:root", jt_gets(t, ui, "accountId", NULL));
            return true;
        }
        snprintf(out, cap, "%s", arn);
        return *arn != 0;
    }
    if (strcmp(type, "AssumedRole") == 0 || strcmp(type, "FederatedUser") == 0) {
        const char *issuer = jt_str(t, jt_path(t, ui, "sessionContext", "sessionIssuer", "arn", (char *)NULL), NULL);
        if (issuer && *issuer) {
            snprintf(out, cap, "%s", issuer);
            return true;
        }
        /* no issuer: arn:P:sts::A:assumed-role/R/S -> arn:P:iam::A:role/R */
        const char *ar = strstr(arn, ":assumed-role/");
        const char *sts = strstr(arn, ":sts::");
        if (ar && sts) {
            const char *r0 = ar + 14, *r1 = strchr(r0, '/');
            snprintf(out, cap, "%.*s:iam::%.*s:role/%.*s", (int)(sts - arn), arn, (int)(ar - sts - 6),
                     sts + 6, (int)(r1 ? r1 - r0 : (long)strlen(r0)), r0);
            return true;
        }
        snprintf(out, cap, "%s", arn);
        return *arn != 0;
    }
    if (strcmp(type, "AWSAccount") == 0) {
        const char *acct = jt_gets(t, ui, "accountId", NULL);
        if (!*acct || strcmp(acct, "anonymous") == 0)
            return false;
        snprintf(out, cap, "arn:aws:iam::%s:root", acct);
        return true;
    }
    return false;   /* AWSService, SAMLUser, WebIdentityUser, IdentityCenterUser, Unknown */
}

static const char *partition_of(const char *arn, const char *region, char *buf, size_t cap)
{
    if (strncmp(arn, "arn:", 4) == 0) {
        const char *c = strchr(arn + 4, ':');
        if (c && (size_t)(c - arn - 4) < cap) {
            memcpy(buf, arn + 4, (size_t)(c - arn - 4));
            buf[c - arn - 4] = 0;
            return buf;
        }
    }
    if (strncmp(region, "cn-", 3) == 0)
        return "aws-cn";
    if (strncmp(region, "us-gov-", 7) == 0)
        return "aws-us-gov";
    return "aws";
}

static void record(worker *w, jtape *t, long rec)
{
    run *r = w->r;
    const iam_trail_opts *o = r->o;
    iam_trail_stats *st = iam_trail_usage_stats(w->file);
    /* aws cloudtrail lookup-events: {"EventId":..,"CloudTrailEvent":"{...}"} */
    long cte = jt_get(t, rec, "CloudTrailEvent");
    if (cte >= 0) {
        size_t l;
        const char *s = jt_str(t, cte, &l);
        if (!s || jt_parse(&w->t2, s, l) <= 0 || w->t2.v[0].type != JT_OBJ) {
            st->skipped++;
            return;
        }
        t = &w->t2;
        rec = 0;
    }
    st->records++;
    size_t idl;
    const char *id = jt_gets(t, rec, "eventID", &idl);
    if (!o->no_dedupe && idl && !idset_insert(r->ids, hash64(id, idl))) {
        st->duplicates++;
        return;
    }
    const char *etype = jt_gets(t, rec, "eventType", NULL);
    if (strcmp(etype, "AwsApiCall") != 0 &&
        !(o->console_actions && strcmp(etype, "AwsConsoleAction") == 0) && *etype) {
        st->skipped++;
        return;
    }
    long ui = jt_get(t, rec, "userIdentity");
    char pkey[512];
    const char *session;
    if (!principal_key(t, ui, pkey, sizeof pkey, &session)) {
        st->skipped_identity++;
        return;
    }
    const iam_trail_filter *f = &o->filter;
    const char *region = jt_gets(t, rec, "awsRegion", NULL);
    const char *acct = jt_gets(t, rec, "recipientAccountId", NULL);
    if (!*acct)
        acct = jt_gets(t, ui, "accountId", NULL);
    size_t tl;
    const char *ts = jt_gets(t, rec, "eventTime", &tl);
    int64_t when = tl ? iam_trail_parse_time(ts, tl) : 0;
    if ((f->principal && !iam_trail_principal_matches(f->principal, pkey) &&
         strcasecmp(f->principal, session) != 0) ||
        (f->account && strcmp(f->account, acct) != 0) || (f->region && strcmp(f->region, region) != 0) ||
        (f->since && when < f->since) || (f->until && when >= f->until)) {
        st->filtered++;
        return;
    }
    char pbuf[32];
    trail_event ev = {
        .t = t, .rec = rec, .region = region, .account = acct, .mode = o->resources, .cat = r->cat,
    };
    ev.source = jt_gets(t, rec, "eventSource", &ev.source_len);
    ev.name = jt_gets(t, rec, "eventName", &ev.name_len);
    ev.partition = partition_of(jt_gets(t, ui, "arn", NULL), region, pbuf, sizeof pbuf);
    size_t n = 0;
    trail_map_result mr = trail_map(&ev, w->perms, &n);
    if (mr == TRAIL_NO_ACTION) {
        st->skipped++;
        return;
    }
    if (mr == TRAIL_UNMAPPED) {
        st->unmapped++;
        iam_trail_usage_add(w->file, IAM_TK_UNMAPPED, "", ev.source, ev.name, "", 1, when, when);
        return;
    }
    if (f->rw != IAM_TRAIL_RW_ALL) {
        long ro = jt_get(t, rec, "readOnly");
        bool read;
        if (ro >= 0 && (t->v[ro].type == JT_TRUE || t->v[ro].type == JT_FALSE)) {
            read = t->v[ro].type == JT_TRUE;
        } else {   /* missing: the first action's access level decides */
            iam_action_info info;
            iam_catalog_action_get(r->cat, w->perms[0].id, &info);
            read = (info.access & ~(unsigned)(IAM_AL_LIST | IAM_AL_READ)) == 0;
        }
        if (read != (f->rw == IAM_TRAIL_RW_READ)) {
            st->filtered++;
            return;
        }
    }
    const char *code = jt_gets(t, rec, "errorCode", NULL);
    bool denied = *code && is_denied(code);
    if (denied)
        st->denied++;
    else
        st->mapped++;
    char full[160];
    for (size_t i = 0; i < n; i++) {
        trail_perm *p = &w->perms[i];
        iam_catalog_action_fullname(r->cat, p->id, full, sizeof full);
        iam_trail_kind k = denied ? IAM_TK_DENIED : p->implied ? IAM_TK_IMPLIED : IAM_TK_USED;
        iam_trail_usage_add(w->file, k, pkey, full, p->resource, k == IAM_TK_IMPLIED ? p->via : "", 1,
                            when, when);
    }
}

/* -- one file ------------------------------------------------------------ */

static int peek(trail_reader *rd)
{
    for (;;) {
        while (rd->pos < rd->len) {
            char c = rd->buf[rd->pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                return (unsigned char)c;
            rd->pos++;
        }
        if (rd->eof)
            return -1;
        if (trail_reader_fill(rd) != 0)
            return -2;
    }
}

/* Parse one value at the window's position into t; 0 or -1 (err set). */
static int value(trail_reader *rd, jtape *t, const char **err)
{
    for (;;) {
        long k = jt_parse(t, rd->buf + rd->pos, rd->len - rd->pos);
        if (k > 0) {
            rd->pos += (size_t)k;
            return 0;
        }
        if (k == JT_SYNTAX) {
            *err = "invalid JSON";
            return -1;
        }
        if (rd->eof) {
            *err = "truncated JSON";
            return -1;
        }
        if (trail_reader_fill(rd) != 0) {
            *err = rd->err;
            return -1;
        }
    }
}

static int expect(trail_reader *rd, char c, const char **err)
{
    int k = peek(rd);
    if (k == -2) {
        *err = rd->err;
        return -1;
    }
    if (k != c) {
        *err = k < 0 ? "truncated JSON" : "not a CloudTrail log ({\"Records\":[...]})";
        return -1;
    }
    rd->pos++;
    return 0;
}

static void progress_add(worker *w, trail_reader *rd, uint64_t *seen)
{
    atomic_fetch_add(&w->r->bytes, rd->total - *seen);
    *seen = rd->total;
}

/* Records array at the window's position ('[' next). */
static int records(worker *w, trail_reader *rd, const char **err, uint64_t *seen)
{
    if (expect(rd, '[', err) != 0)
        return -1;
    int k = peek(rd);
    if (k == ']') {
        rd->pos++;
        return 0;
    }
    for (unsigned n = 0;; n++) {
        if (value(rd, &w->t, err) != 0)
            return -1;
        if (w->t.v[0].type == JT_OBJ)
            record(w, &w->t, 0);
        if (((n + 1) & 1023) == 0) {
            progress_add(w, rd, seen);
            atomic_fetch_add(&w->r->records, 1024);
        }
        k = peek(rd);
        if (k == ',') {
            rd->pos++;
            continue;
        }
        if (k == ']') {
            rd->pos++;
            atomic_fetch_add(&w->r->records, (n + 1) & 1023);
            return 0;
        }
        *err = k == -2 ? rd->err : k < 0 ? "truncated JSON" : "invalid JSON";
        return -1;
    }
}

/* {"Records":[...]} or lookup-events {"Events":[...],"NextToken":..} or a
 * bare array of records. Returns 0 or -1 with *err. */
static int document(worker *w, trail_reader *rd, const char **err)
{
    uint64_t seen = 0;
    int k = peek(rd);
    int rc = 0;
    if (k == '[') {
        rc = records(w, rd, err, &seen);
        goto out;
    }
    if (expect(rd, '{', err) != 0)
        return -1;
    for (bool first = true;; first = false) {
        k = peek(rd);
        if (k == '}') {
            rd->pos++;
            break;
        }
        if (!first) {
            if (k != ',') {
                *err = k == -2 ? rd->err : k < 0 ? "truncated JSON" : "invalid JSON";
                return -1;
            }
            rd->pos++;
        }
        if (peek(rd) != '"' || value(rd, &w->t, err) != 0) {
            if (!*err)
                *err = "invalid JSON";
            return -1;
        }
        size_t kl;
        const char *key = jt_str(&w->t, 0, &kl);
        bool recs = key && (strcmp(key, "Records") == 0 || strcmp(key, "Events") == 0);
        if (expect(rd, ':', err) != 0)
            return -1;
        if (recs) {
            if (peek(rd) == '[') {
                if (records(w, rd, err, &seen) != 0)
                    return -1;
                continue;
            }
        }
        if (value(rd, &w->t, err) != 0)
            return -1;
    }
out:
    progress_add(w, rd, &seen);
    iam_trail_usage_stats(w->file)->bytes += rd->total;
    return rc;
}

static void one_file(worker *w, const char *path, const char *data, size_t len)
{
    trail_reader rd;
    const char *err = NULL;
    w->file = iam_trail_usage_new();
    int rc;
    if (data) {
        trail_reader_mem(&rd, path, data, len);
        rc = 0;
    } else {
        rc = trail_reader_open(&rd, path);
        if (rc != 0)
            err = rd.err;
    }
    if (rc == 0)
        rc = document(w, &rd, &err);
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
    iam_trail_stats *st = iam_trail_usage_stats(w->u);
    st->files++;
    if (rc == 0) {
        iam_trail_usage_merge(w->u, w->file);
    } else {
        char msg[256];
        snprintf(msg, sizeof msg, "%s (at byte %llu of the uncompressed data)", err ? err : "unreadable",
                 (unsigned long long)(rd.base + rd.pos));
        st->files_bad++;
        iam_trail_usage_badfile(w->u, shown, msg);
    }
    trail_reader_close(&rd);
    iam_trail_usage_free(w->file);
    w->file = NULL;
    atomic_fetch_add(&w->r->files_done, 1);
}

static void *work(void *arg)
{
    worker *w = arg;
    run *r = w->r;
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->files->n)
            break;
        one_file(w, r->files->v[i], NULL, 0);
    }
    atomic_fetch_add(&r->workers_done, 1);
    return NULL;
}

static void progress_line(run *r, bool final)
{
    iam_trail_progress p = {atomic_load(&r->files_done), r->files->n, atomic_load(&r->records),
                            atomic_load(&r->bytes)};
    r->o->progress(&p, final, r->o->progress_ctx);
}

static void worker_init(worker *w, run *r)
{
    memset(w, 0, sizeof *w);
    w->r = r;
    w->u = iam_trail_usage_new();
}

static void worker_fini(worker *w, iam_trail_usage *into)
{
    iam_trail_usage_merge(into, w->u);
    iam_trail_usage_free(w->u);
    jt_free(&w->t);
    jt_free(&w->t2);
}

int iam_trail_ingest(iam_trail_usage *u, const iam_pathlist *files, const iam_trail_opts *o,
                     const iam_catalog *cat)
{
    unsigned jobs = o->jobs;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    if (jobs > files->n)
        jobs = files->n ? (unsigned)files->n : 1;
    idset ids;
    idset_init(&ids);
    run r = {.files = files, .o = o, .cat = cat, .ids = &ids};
    worker *ws = iam_xmalloc(jobs * sizeof *ws);
    pthread_t *th = iam_xmalloc(jobs * sizeof *th);
    unsigned started = 1;
    for (unsigned i = 0; i < jobs; i++)
        worker_init(&ws[i], &r);
    for (unsigned i = 1; i < jobs && pthread_create(&th[i], NULL, work, &ws[i]) == 0; i++)
        started++;   /* fewer threads when the system refuses more */
    if (o->progress && files->n > 0) {
        /* worker 0 runs on this thread's helper; progress from here */
        pthread_t t0;
        bool own = pthread_create(&t0, NULL, work, &ws[0]) == 0;
        if (!own)
            work(&ws[0]);
        while (own && atomic_load(&r.workers_done) < (int)started) {
            progress_line(&r, false);
            nanosleep(&(struct timespec){0, 200000000}, NULL);
        }
        if (own)
            pthread_join(t0, NULL);
        progress_line(&r, true);
    } else {
        work(&ws[0]);
    }
    for (unsigned i = 1; i < started; i++)
        pthread_join(th[i], NULL);
    for (unsigned i = 0; i < jobs; i++)
        worker_fini(&ws[i], u);
    iam_trail_usage_set_resmode(u, o->resources);
    free(ws);
    free(th);
    idset_fini(&ids);
    return 0;
}

int iam_trail_ingest_mem(iam_trail_usage *u, const char *name, const char *data, size_t len,
                         const iam_trail_opts *o, const iam_catalog *cat)
{
    idset ids;
    idset_init(&ids);
    iam_pathlist none = {0};
    run r = {.files = &none, .o = o, .cat = cat, .ids = &ids};
    worker w;
    worker_init(&w, &r);
    one_file(&w, name, data, len);
    worker_fini(&w, u);
    iam_trail_usage_set_resmode(u, o->resources);
    idset_fini(&ids);
    return 0;
}
