/* fingerprint.c - stable identities for findings (baselines, SARIF
 * partialFingerprints).
 *
 * A fingerprint must survive edits that only move a finding (lines added
 * above it, reindentation) and must change when the offending text changes.
 * So it hashes what the finding is about, not where it is: rule, file, the
 * whitespace-collapsed text on the span's first line, and which occurrence
 * of that triple it is. FNV-1a 64 with a final avalanche is plenty for telling
 * findings of one repository apart; it is not a security boundary. */
#include "report/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MAX_TEXT 512

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= FNV_PRIME;
    }
    return h;
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Hash s[0..n) with whitespace runs collapsed to one space and trimmed. */
static uint64_t fnv_collapsed(uint64_t h, const char *s, size_t n)
{
    int pending = 0, started = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws(c)) {
            pending = started;
            continue;
        }
        if (pending)
            h = fnv(h, " ", 1);
        pending = 0;
        started = 1;
        h = fnv(h, &c, 1);
    }
    return h;
}

static uint64_t base_hash(const iam_diag *g)
{
    const iam_rule_info *r = iam_rule(g->rule);
    const char *name = r ? r->name : "?";
    const char *path = rp_path(&g->span);
    /* "./p.json" and "p.json" are one file (SARIF strips "./" too). */
    while (path && path[0] == '.' && path[1] == '/')
        path += 2;
    uint64_t h = fnv(FNV_OFFSET, name, strlen(name) + 1);
    h = fnv(h, path ? path : "", path ? strlen(path) + 1 : 1);
    const iam_source *src = g->span.src;
    if (src && g->span.end_off > g->span.off && g->span.end_off <= src->len) {
        /* Only the span's first line (at most MAX_TEXT bytes): a span over
         * a whole statement or document must not change with every edit
         * inside it. */
        const char *t = src->data + g->span.off;
        size_t n = g->span.end_off - g->span.off;
        const char *nl = memchr(t, '\n', n);
        if (nl)
            n = (size_t)(nl - t);
        if (n > MAX_TEXT)
            n = MAX_TEXT;
        return fnv_collapsed(h, t, n);
    }
    size_t len;
    const char *line = src ? iam_source_line((iam_source *)src, g->span.line, &len) : NULL;
    if (line)
        return fnv_collapsed(fnv(h, "L", 1), line, len);
    /* No text to anchor on: the message is all there is. */
    return fnv(fnv(h, "M", 1), g->msg ? g->msg : "", g->msg ? strlen(g->msg) : 0);
}

static uint64_t avalanche(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

typedef struct keyed {
    uint64_t h;
    size_t i;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->i < b->i ? -1 : (a->i > b->i);
}

rp_fp *rp_fingerprints(const iam_diags *d)
{
    rp_fp *fp = iam_xmalloc((d->n ? d->n : 1) * sizeof *fp);
    keyed *k = iam_xmalloc((d->n ? d->n : 1) * sizeof *k);
    for (size_t i = 0; i < d->n; i++)
        k[i] = (keyed){base_hash(&d->v[i]), i};
    /* Occurrence = rank among equal base hashes in array order: O(n log n)
     * where a pairwise count would be quadratic on a big corpus. */
    qsort(k, d->n, sizeof *k, cmp_keyed);
    uint64_t occ = 0;
    for (size_t j = 0; j < d->n; j++) {
        occ = (j > 0 && k[j].h == k[j - 1].h) ? occ + 1 : 0;
        const iam_diag *g = &d->v[k[j].i];
        if (g->fingerprint && strlen(g->fingerprint) == IAM_FINGERPRINT_LEN) {
            memcpy(fp[k[j].i], g->fingerprint, IAM_FINGERPRINT_LEN + 1);
            continue;
        }
        unsigned char o[8];
        for (int b = 0; b < 8; b++)
            o[b] = (unsigned char)(occ >> (8 * b));
        uint64_t h = avalanche(fnv(k[j].h, o, sizeof o));
        snprintf(fp[k[j].i], sizeof fp[0], "%016llx", (unsigned long long)h);
    }
    free(k);
    return fp;
}

void iam_diags_fingerprint(iam_diags *d)
{
    rp_fp *fp = rp_fingerprints(d);
    for (size_t i = 0; i < d->n; i++)
        if (!d->v[i].fingerprint)
            d->v[i].fingerprint = iam_arena_strdup(d->arena, fp[i]);
    free(fp);
}
