/* jscan.c - a small, fast, reentrant JSON scanner for CloudTrail records.
 *
 * Why not cJSON: cJSON writes a process-wide error global on every parse
 * (style.md 2.4), so it cannot run on the ingest workers, and a full DOM
 * with a malloc per value costs more than inflating the input. The tape
 * validates structure, string escapes and literal/number shapes; it does
 * not validate UTF-8 (CloudTrail output is produced by AWS, and bytes are
 * only ever compared or copied). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "trail/internal.h"

#define MAX_DEPTH 256

static long push(jtape *t, uint8_t type, const char *p)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = iam_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    jnode *nd = &t->v[t->n];
    nd->p = p;
    nd->len = 0;
    nd->next = (uint32_t)(t->n + 1);
    nd->type = type;
    nd->esc = 0;
    return (long)t->n++;
}

static const unsigned char *skip_ws(const unsigned char *s, const unsigned char *e)
{
    while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
        s++;
    return s;
}

/* s points after the opening quote. Returns the closing quote, NULL when
 * the input ends first, or (const unsigned char *)1 on a syntax error. */
#define BAD ((const unsigned char *)1)
static const unsigned char *scan_string(const unsigned char *s, const unsigned char *e, uint8_t *esc)
{
    for (;;) {
        while (s < e && *s != '"' && *s != '\\' && *s >= 0x20)
            s++;
        if (s >= e)
            return NULL;
        if (*s == '"')
            return s;
        if (*s < 0x20)
            return BAD;
        *esc = 1;
        if (s + 1 >= e)
            return NULL;
        switch (s[1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            s += 2;
            break;
        case 'u':
            if (s + 6 > e)
                return NULL;
            for (int i = 2; i < 6; i++)
                if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
                    return BAD;
            s += 6;
            break;
        default:
            return BAD;
        }
    }
}

static const unsigned char *scan_number(const unsigned char *s, const unsigned char *e)
{
    const unsigned char *p = s;
    if (p < e && *p == '-')
        p++;
    const unsigned char *d = p;
    while (p < e && *p >= '0' && *p <= '9')
        p++;
    if (p == d)
        return p == e ? NULL : BAD;
    if (p < e && *p == '.') {
        p++;
        d = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return p == e ? NULL : BAD;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        d = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return p == e ? NULL : BAD;
    }
    return p == e ? NULL : p;   /* a number may continue in the next chunk */
}

long jt_parse(jtape *t, const char *src, size_t n)
{
    const unsigned char *s = (const unsigned char *)src, *e = s + n;
    long stack[MAX_DEPTH];
    int depth = 0;
    bool want_key = false;   /* inside an object, expecting a key or '}' */
    t->n = 0;
    t->slen = 0;
    for (;;) {
        s = skip_ws(s, e);
        if (s >= e)
            return JT_NEED_MORE;
        if (want_key) {
            if (*s == '}' && t->v[stack[depth - 1]].next == (uint32_t)stack[depth - 1] + 1)
                goto close;   /* empty object */
            if (*s != '"')
                return JT_SYNTAX;
        }
        long i;
        const unsigned char *q;
        switch (*s) {
        case '{':
        case '[':
            if (depth == MAX_DEPTH)
                return JT_SYNTAX;
            i = push(t, *s == '{' ? JT_OBJ : JT_ARR, (const char *)s);
            stack[depth++] = i;
            s++;
            if (t->v[i].type == JT_OBJ) {
                want_key = true;
                continue;
            }
            s = skip_ws(s, e);
            if (s >= e)
                return JT_NEED_MORE;
            if (*s == ']')
                goto close;
            continue;
        case '"':
            i = push(t, JT_STR, (const char *)s + 1);
            q = scan_string(s + 1, e, &t->v[i].esc);
            if (!q)
                return JT_NEED_MORE;
            if (q == BAD)
                return JT_SYNTAX;
            t->v[i].len = (uint32_t)(q - s - 1);
            s = q + 1;
            if (want_key) {
                s = skip_ws(s, e);
                if (s >= e)
                    return JT_NEED_MORE;
                if (*s != ':')
                    return JT_SYNTAX;
                s++;
                want_key = false;
                continue;
            }
            break;
        case 't': case 'f': case 'n': {
            const char *lit = *s == 't' ? "true" : *s == 'f' ? "false" : "null";
            size_t l = strlen(lit);
            if ((size_t)(e - s) < l)
                return memcmp(s, lit, (size_t)(e - s)) == 0 ? JT_NEED_MORE : JT_SYNTAX;
            if (memcmp(s, lit, l) != 0)
                return JT_SYNTAX;
            push(t, *s == 't' ? JT_TRUE : *s == 'f' ? JT_FALSE : JT_NULL, (const char *)s);
            s += l;
            break;
        }
        default:
            if (*s != '-' && (*s < '0' || *s > '9'))
                return JT_SYNTAX;
            i = push(t, JT_NUM, (const char *)s);
            q = scan_number(s, e);
            if (!q)
                return JT_NEED_MORE;
            if (q == BAD)
                return JT_SYNTAX;
            t->v[i].len = (uint32_t)(q - s);
            s = q;
            break;
        }
        /* a value ended: separator or close */
        for (;;) {
            if (depth == 0) {
                long used = (long)((const char *)s - src);
                /* Decoded strings never grow: twice the record is room for
                 * every string decoded twice, so jt_str never reallocates
                 * (earlier results stay valid). */
                size_t want = 2 * (size_t)used + 4096;
                if (t->scap < want) {
                    free(t->scratch);
                    t->scratch = iam_xmalloc(want);
                    t->scap = want;
                }
                return used;
            }
            s = skip_ws(s, e);
            if (s >= e)
                return JT_NEED_MORE;
            if (*s == ',') {
                s++;
                want_key = t->v[stack[depth - 1]].type == JT_OBJ;
                break;
            }
        close:
            if (*s != (t->v[stack[depth - 1]].type == JT_OBJ ? '}' : ']'))
                return JT_SYNTAX;
            want_key = false;
            s++;
            depth--;
            t->v[stack[depth]].next = (uint32_t)t->n;
        }
    }
}

void jt_free(jtape *t)
{
    free(t->v);
    free(t->scratch);
    memset(t, 0, sizeof *t);
}

long jt_get(const jtape *t, long o, const char *key)
{
    if (o < 0 || (size_t)o >= t->n || t->v[o].type != JT_OBJ)
        return -1;
    size_t kl = strlen(key);
    uint32_t end = t->v[o].next;
    for (uint32_t i = (uint32_t)o + 1; i < end;) {
        const jnode *k = &t->v[i];
        if (k->len == kl && memcmp(k->p, key, kl) == 0)
            return (long)i + 1;
        i = t->v[i + 1].next;
    }
    return -1;
}

long jt_path(const jtape *t, long o, ...)
{
    va_list ap;
    va_start(ap, o);
    const char *k;
    while (o >= 0 && (k = va_arg(ap, const char *)) != NULL)
        o = jt_get(t, o, k);
    va_end(ap);
    return o;
}

static size_t utf8_put(unsigned char *d, unsigned long c)
{
    if (c < 0x80) { d[0] = (unsigned char)c; return 1; }
    if (c < 0x800) { d[0] = (unsigned char)(0xc0 | c >> 6); d[1] = (unsigned char)(0x80 | (c & 0x3f)); return 2; }
    if (c < 0x10000) {
        d[0] = (unsigned char)(0xe0 | c >> 12);
        d[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        d[2] = (unsigned char)(0x80 | (c & 0x3f));
        return 3;
    }
    d[0] = (unsigned char)(0xf0 | c >> 18);
    d[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
    d[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
    d[3] = (unsigned char)(0x80 | (c & 0x3f));
    return 4;
}

const char *jt_str(jtape *t, long i, size_t *len)
{
    if (i < 0 || (size_t)i >= t->n || t->v[i].type != JT_STR) {
        if (len)
            *len = 0;
        return NULL;
    }
    const jnode *nd = &t->v[i];
    /* Scratch strings are NUL-terminated copies so callers may use them as C
     * strings; plain strings are copied too (the input is not writable). */
    size_t need = (size_t)nd->len + 1;
    if (t->slen + need > t->scap) {   /* only after many repeated decodes */
        if (len)
            *len = 0;
        return NULL;
    }
    unsigned char *d = (unsigned char *)t->scratch + t->slen, *d0 = d;
    const unsigned char *s = (const unsigned char *)nd->p, *e = s + nd->len;
    if (!nd->esc) {
        memcpy(d, s, nd->len);
        d += nd->len;
    } else {
        while (s < e) {
            if (*s != '\\') { *d++ = *s++; continue; }
            s++;
            switch (*s++) {
            case 'b': *d++ = '\b'; break;
            case 'f': *d++ = '\f'; break;
            case 'n': *d++ = '\n'; break;
            case 'r': *d++ = '\r'; break;
            case 't': *d++ = '\t'; break;
            case 'u': {
                unsigned long c = strtoul((char[5]){(char)s[0], (char)s[1], (char)s[2], (char)s[3], 0}, NULL, 16);
                s += 4;
                if (c >= 0xd800 && c < 0xdc00 && e - s >= 6 && s[0] == '\\' && s[1] == 'u') {
                    unsigned long lo = strtoul((char[5]){(char)s[2], (char)s[3], (char)s[4], (char)s[5], 0}, NULL, 16);
                    if (lo >= 0xdc00 && lo < 0xe000) {
                        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                        s += 6;
                    }
                }
                d += utf8_put(d, c);   /* \uXXXX never decodes longer than 6 bytes */
                break;
            }
            default: *d++ = s[-1]; break;
            }
        }
    }
    *d = 0;
    t->slen += (size_t)(d - d0) + 1;
    if (len)
        *len = (size_t)(d - d0);
    return (const char *)d0;
}

const char *jt_gets(jtape *t, long o, const char *key, size_t *len)
{
    const char *s = jt_str(t, jt_get(t, o, key), len);
    if (!s) {
        if (len)
            *len = 0;
        return "";
    }
    return s;
}

long jt_dotted(const jtape *t, long o, const char *path)
{
    char key[128];
    while (o >= 0 && *path) {
        const char *dot = strchr(path, '.');
        size_t l = dot ? (size_t)(dot - path) : strlen(path);
        if (l >= sizeof key)
            return -1;
        memcpy(key, path, l);
        key[l] = 0;
        o = jt_get(t, o, key);
        path += l + (dot ? 1 : 0);
    }
    return o;
}
