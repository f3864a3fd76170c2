/* glob.c - linear-time IAM wildcard matcher (see glob.h for the argument). */
#define _GNU_SOURCE /* memmem */
#include "core/glob.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct seg {
    const char *p;               /* folded when icase */
    const unsigned char *lit;    /* literal flags for p, or NULL */
    size_t len;
    bool has_q;                  /* a wildcard '?' */
    uint64_t *masks;             /* Shift-And table (256), only when has_q and len <= 64 */
} seg;

struct iam_glob {
    const char *pat;             /* folded pattern text, for the UTF-8 '?' path */
    const unsigned char *lit;
    size_t plen;
    bool anyq;
    seg *segs;
    size_t nsegs;
    bool star;                   /* at least one wildcard '*' */
    bool icase;
    bool literal;
};

static inline unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Is p[i] the wildcard c ('*' or '?'), not a literal one? */
static inline bool wild(const char *p, const unsigned char *lit, size_t i, char c)
{
    return p[i] == c && !(lit && lit[i]);
}

static void fill_masks(uint64_t *masks, const seg *sg)
{
    memset(masks, 0, 256 * sizeof *masks);
    for (size_t i = 0; i < sg->len; i++) {
        uint64_t bit = (uint64_t)1 << i;
        if (wild(sg->p, sg->lit, i, '?')) {
            for (int c = 0; c < 256; c++)
                masks[c] |= bit;
        } else {
            masks[(unsigned char)sg->p[i]] |= bit;
        }
    }
}

/* Split p (already folded) at its wildcard '*' into g->segs (room for
 * nstars + 1). Middle segments with a '?' get a Shift-And table: their own
 * from the arena when a is set, else `shared`, filled just before use. */
static void split(iam_glob *g, char *p, const unsigned char *lit, size_t plen, iam_arena *a, uint64_t *shared)
{
    size_t start = 0;
    for (size_t i = 0; i <= plen; i++) {
        if (i < plen && !wild(p, lit, i, '*'))
            continue;
        seg *sg = &g->segs[g->nsegs++];
        sg->p = p + start;
        sg->lit = lit ? lit + start : NULL;
        sg->len = i - start;
        sg->has_q = false;
        for (size_t k = 0; k < sg->len; k++)
            sg->has_q |= wild(sg->p, sg->lit, k, '?');
        sg->masks = NULL;
        if (sg->has_q && sg->len > 0 && sg->len <= 64) {
            if (a) {
                sg->masks = iam_arena_alloc(a, 256 * sizeof(uint64_t));
                fill_masks(sg->masks, sg);
            } else if (g->nsegs > 1 && i < plen) {
                /* Only middle segments are searched; one table serves them
                 * all because they are searched one at a time. */
                sg->masks = shared;
            }
        }
        start = i + 1;
    }
}

static size_t count_stars(const char *p, const unsigned char *lit, size_t plen, bool *anyq)
{
    size_t n = 0;
    *anyq = false;
    for (size_t i = 0; i < plen; i++) {
        n += wild(p, lit, i, '*');
        *anyq |= wild(p, lit, i, '?');
    }
    return n;
}

static iam_glob *compile(iam_arena *a, const char *pat, const unsigned char *lit, size_t plen, bool icase)
{
    iam_glob *g = iam_arena_alloc(a, sizeof *g);
    g->icase = icase;
    char *p = iam_arena_strndup(a, pat, plen);
    if (icase)
        for (size_t i = 0; i < plen; i++)
            p[i] = (char)fold((unsigned char)p[i]);
    g->lit = lit ? iam_arena_dup(a, lit, plen) : NULL;
    size_t nstars = count_stars(p, g->lit, plen, &g->anyq);
    g->literal = nstars == 0 && !g->anyq;
    g->pat = p;
    g->plen = plen;
    g->star = nstars > 0;
    g->segs = iam_arena_alloc(a, (nstars + 1) * sizeof *g->segs);
    split(g, p, g->lit, plen, a, NULL);
    return g;
}

iam_glob *iam_glob_compile(iam_arena *a, const char *pat, size_t plen, bool icase)
{
    return compile(a, pat, NULL, plen, icase);
}

bool iam_glob_is_literal(const iam_glob *g)
{
    return g->literal;
}

/* Does segment sg match exactly at s (s has at least sg->len bytes)? */
static bool seg_at(const seg *sg, const char *s)
{
    for (size_t i = 0; i < sg->len; i++)
        if (sg->p[i] != s[i] && !wild(sg->p, sg->lit, i, '?'))
            return false;
    return true;
}

/* Leftmost occurrence of sg in s[0..n); returns offset or (size_t)-1. */
static size_t seg_find(const seg *sg, const char *s, size_t n)
{
    if (sg->len == 0)
        return 0;
    if (sg->len > n)
        return (size_t)-1;
    if (!sg->has_q) {
        const char *hit = memmem(s, n, sg->p, sg->len);
        return hit ? (size_t)(hit - s) : (size_t)-1;
    }
    if (sg->masks) {
        uint64_t d = 0, done = (uint64_t)1 << (sg->len - 1);
        for (size_t i = 0; i < n; i++) {
            d = ((d << 1) | 1) & sg->masks[(unsigned char)s[i]];
            if (d & done)
                return i + 1 - sg->len;
        }
        return (size_t)-1;
    }
    /* '?' segments longer than 64: quadratic in the segment length only. */
    for (size_t i = 0; i + sg->len <= n; i++)
        if (seg_at(sg, s + i))
            return i;
    return (size_t)-1;
}

/* Match the folded text against g's segments. When shared is not NULL,
 * segments whose masks point at it get their Shift-And table built right
 * before they are searched (the one-shot path); compiled globs own theirs. */
static bool exec_segments(const iam_glob *g, const char *s, size_t n, uint64_t *shared)
{
    if (!g->star)
        return g->segs[0].len == n && seg_at(&g->segs[0], s);
    const seg *first = &g->segs[0], *last = &g->segs[g->nsegs - 1];
    if (first->len + last->len > n)
        return false;
    if (!seg_at(first, s) || !seg_at(last, s + n - last->len))
        return false;
    size_t pos = first->len, end = n - last->len;
    for (size_t k = 1; k + 1 < g->nsegs; k++) {
        const seg *sg = &g->segs[k];
        if (shared && sg->masks == shared)
            fill_masks(shared, sg);
        size_t off = seg_find(sg, s + pos, end - pos);
        if (off == (size_t)-1)
            return false;
        pos += off + sg->len;
    }
    return true;
}

/* '?' stands for one character, and a character may be several UTF-8
 * bytes. The byte matcher is exact unless the pattern has '?' and the text
 * has non-ASCII bytes ('*' and literal runs of valid UTF-8 can only match
 * at character boundaries); then both are decoded to code points and
 * matched segment by segment here. Each middle segment is searched
 * leftmost-first, so the cost is O(text * segment length). Wildcards are
 * decoded to values no code point has, so literal '*' and '?' stay plain. */
#define CP_STAR UINT32_C(0xFFFFFFFF)
#define CP_ANY UINT32_C(0xFFFFFFFE)

static size_t decode_utf8(const char *s, const unsigned char *lit, size_t n, uint32_t *out, bool icase,
                          bool pattern)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + len > n)
            len = 1;
        uint32_t cp = len == 1 ? c : (uint32_t)(c & (0x7F >> len));
        for (size_t j = 1; j < len; j++)
            cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3F);
        out[k] = icase && cp < 0x80 ? fold((unsigned char)cp) : cp;
        if (pattern && wild(s, lit, i, '*'))
            out[k] = CP_STAR;
        else if (pattern && wild(s, lit, i, '?'))
            out[k] = CP_ANY;
        i += len;
    }
    return k;
}

static bool cp_at(const uint32_t *p, size_t len, const uint32_t *t)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != CP_ANY && p[i] != t[i])
            return false;
    return true;
}

static bool match_codepoints(const uint32_t *p, size_t pn, const uint32_t *t, size_t tn)
{
    /* Segments of p split at '*': first anchored, last anchored, middle leftmost. */
    size_t first_end = 0;
    while (first_end < pn && p[first_end] != CP_STAR)
        first_end++;
    if (first_end == pn)
        return pn == tn && cp_at(p, pn, t);
    size_t last_start = pn;
    while (last_start > 0 && p[last_start - 1] != CP_STAR)
        last_start--;
    size_t last_len = pn - last_start;
    if (first_end + last_len > tn || !cp_at(p, first_end, t) || !cp_at(p + last_start, last_len, t + tn - last_len))
        return false;
    size_t pos = first_end, end = tn - last_len;
    for (size_t i = first_end + 1; i < last_start;) {
        size_t j = i;
        while (j < last_start && p[j] != CP_STAR)
            j++;
        size_t len = j - i;
        bool found = false;
        for (; len && pos + len <= end; pos++)
            if (cp_at(p + i, len, t + pos)) {
                found = true;
                break;
            }
        if (len && !found)
            return false;
        pos += len;
        i = j + 1;
    }
    return true;
}

static bool has_high_byte(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

static bool match_utf8(const char *pat, const unsigned char *lit, size_t plen, const char *s, size_t slen, bool icase)
{
    uint32_t *buf = malloc((plen + slen + 2) * sizeof *buf);
    if (!buf)
        iam_oom("out of memory");
    size_t pn = decode_utf8(pat, lit, plen, buf, icase, true);
    size_t tn = decode_utf8(s, NULL, slen, buf + pn, icase, false);
    bool r = match_codepoints(buf, pn, buf + pn, tn);
    free(buf);
    return r;
}

bool iam_glob_exec(const iam_glob *g, const char *s, size_t n)
{
    if (g->anyq && has_high_byte(s, n))
        return match_utf8(g->pat, g->lit, g->plen, s, n, g->icase);
    if (!g->icase)
        return exec_segments(g, s, n, NULL);
    char buf[512];
    char *f = n <= sizeof buf ? buf : malloc(n);
    if (!f)
        iam_oom("out of memory");
    for (size_t i = 0; i < n; i++)
        f[i] = (char)fold((unsigned char)s[i]);
    bool r = exec_segments(g, f, n, NULL);
    if (f != buf)
        free(f);
    return r;
}

/* One-shot matching without allocation: the pattern is split into at most
 * MAX_SEGS segments on the stack and folded copies live in stack buffers;
 * larger inputs fall back to a compiled glob. Same algorithm, same bounds. */
enum { MAX_SEGS = 32, MAX_PAT = 256, MAX_TEXT = 1024 };

bool iam_glob_match_lit(const char *pat, const unsigned char *lit, size_t plen, const char *s, size_t slen,
                        bool icase)
{
    bool anyq;
    size_t nstars = count_stars(pat, lit, plen, &anyq);
    /* Fast paths that need no compilation. */
    if (plen == 1 && nstars == 1)
        return true;
    if (nstars == 0 && !anyq) {
        if (plen != slen)
            return false;
        if (!icase)
            return memcmp(pat, s, plen) == 0;
        for (size_t i = 0; i < plen; i++)
            if (fold((unsigned char)pat[i]) != fold((unsigned char)s[i]))
                return false;
        return true;
    }
    if (anyq && has_high_byte(s, slen))
        return match_utf8(pat, lit, plen, s, slen, icase);
    if (plen <= MAX_PAT && slen <= MAX_TEXT && nstars < MAX_SEGS) {
        char pbuf[MAX_PAT], tbuf[MAX_TEXT];
        seg segs[MAX_SEGS];
        uint64_t masks[256];
        for (size_t i = 0; i < plen; i++)
            pbuf[i] = icase ? (char)fold((unsigned char)pat[i]) : pat[i];
        const char *t = s;
        if (icase) {
            for (size_t i = 0; i < slen; i++)
                tbuf[i] = (char)fold((unsigned char)s[i]);
            t = tbuf;
        }
        iam_glob g = {.segs = segs, .star = nstars > 0, .icase = icase};
        split(&g, pbuf, lit, plen, NULL, masks);
        return exec_segments(&g, t, slen, masks);
    }
    iam_arena *a = iam_arena_new();
    bool r = iam_glob_exec(compile(a, pat, lit, plen, icase), s, slen);
    iam_arena_destroy(a);
    return r;
}

bool iam_glob_match(const char *pat, size_t plen, const char *s, size_t slen, bool icase)
{
    return iam_glob_match_lit(pat, NULL, plen, s, slen, icase);
}
