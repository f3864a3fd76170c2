/* emit.c - canonical JSON emitter (see emit.h and docs/fmt.md). */
#include "compiler/emit.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

/* ---- the policy schema ------------------------------------------------- */

/* Rank tables: the position of each known element in canonical order.
 * Order follows how AWS documents and prints policies (who, what, on
 * what, when). */
static const char *const doc_keys[] = {"Version", "Id", "Statement", NULL};
static const char *const stmt_keys[] = {"Sid",      "Effect",    "Principal",
                                        "NotPrincipal", "Action", "NotAction",
                                        "Resource", "NotResource", "Condition", NULL};
static const char *const principal_keys[] = {"AWS", "CanonicalUser", "Federated", "Service", NULL};

static bool key_is(const char *key, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(key, name, len) == 0;
}

static int table_rank(const char *const *tab, const char *key, size_t len)
{
    for (int i = 0; tab[i]; i++)
        if (key_is(key, len, tab[i]))
            return i;
    return -1;
}

static int policy_child(int parent, const char *key, size_t len)
{
    switch (parent) {
    case IAM_ER_DOCUMENT:
        return key_is(key, len, "Statement") ? IAM_ER_STATEMENT : IAM_ER_ANY;
    case IAM_ER_STATEMENT:
        if (key_is(key, len, "Principal") || key_is(key, len, "NotPrincipal"))
            return IAM_ER_PRINCIPAL;
        return key_is(key, len, "Condition") ? IAM_ER_CONDITION : IAM_ER_ANY;
    case IAM_ER_CONDITION:
        return IAM_ER_CONDITION_OP;
    default:
        return IAM_ER_ANY;
    }
}

static int policy_rank(int role, const char *key, size_t len)
{
    switch (role) {
    case IAM_ER_DOCUMENT: return table_rank(doc_keys, key, len);
    case IAM_ER_STATEMENT: return table_rank(stmt_keys, key, len);
    case IAM_ER_PRINCIPAL: return table_rank(principal_keys, key, len);
    /* Condition operators and keys keep source order: a reader may have
     * grouped them on purpose, and minimize relies on stable positions. */
    default: return -1;
    }
}

const iam_emit_schema iam_emit_policy_schema = {IAM_ER_DOCUMENT, policy_child, policy_rank};
const iam_emit_opts iam_emit_canonical = {2, true, &iam_emit_policy_schema};
const iam_emit_opts iam_emit_compact = {0, false, &iam_emit_policy_schema};

/* ---- emitter ----------------------------------------------------------- */

typedef struct emitter {
    iam_strbuf *out;
    unsigned indent;
    const iam_emit_schema *schema;
} emitter;

typedef struct keyed {
    long rank;      /* LONG_MAX for unknown keys */
    size_t pos;     /* source position, the tie-breaker that makes it stable */
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->pos < b->pos ? -1 : (a->pos > b->pos);
}

static void newline(emitter *e, size_t depth)
{
    if (!e->indent)
        return;
    size_t n = depth * e->indent;
    iam_sb_reserve(e->out, n + 1);
    iam_sb_putc(e->out, '\n');
    for (size_t i = 0; i < n; i++)
        iam_sb_putc(e->out, ' ');
}

static void emit_value(emitter *e, const iam_json *v, int role, size_t depth);

static void emit_array(emitter *e, const iam_json *v, int role, size_t depth)
{
    if (v->u.arr.n == 0) {
        iam_sb_add(e->out, "[]", 2);
        return;
    }
    iam_sb_putc(e->out, '[');
    for (size_t i = 0; i < v->u.arr.n; i++) {
        if (i)
            iam_sb_putc(e->out, ',');
        newline(e, depth + 1);
        emit_value(e, v->u.arr.v[i], role, depth + 1);
    }
    newline(e, depth);
    iam_sb_putc(e->out, ']');
}

/* Members in output order: ranked keys first, then the rest as written. */
static void order_members(const emitter *e, const iam_json *v, int role, keyed *ord)
{
    size_t n = v->u.obj.n;
    for (size_t i = 0; i < n; i++) {
        const iam_json_member *m = &v->u.obj.v[i];
        int r = e->schema ? e->schema->rank(role, m->key, m->key_len) : -1;
        ord[i].rank = r >= 0 ? r : LONG_MAX;
        ord[i].pos = i;
    }
    qsort(ord, n, sizeof *ord, cmp_keyed);
}

static void emit_object(emitter *e, const iam_json *v, int role, size_t depth)
{
    size_t n = v->u.obj.n;
    if (n == 0) {
        iam_sb_add(e->out, "{}", 2);
        return;
    }
    keyed small[16];
    keyed *ord = n <= 16 ? small : iam_xmalloc(n * sizeof *ord);
    order_members(e, v, role, ord);
    iam_sb_putc(e->out, '{');
    for (size_t i = 0; i < n; i++) {
        const iam_json_member *m = &v->u.obj.v[ord[i].pos];
        if (i)
            iam_sb_putc(e->out, ',');
        newline(e, depth + 1);
        iam_sb_json_str(e->out, m->key, m->key_len);
        if (e->indent)
            iam_sb_add(e->out, ": ", 2);
        else
            iam_sb_putc(e->out, ':');
        int child = e->schema ? e->schema->child(role, m->key, m->key_len) : IAM_ER_ANY;
        emit_value(e, m->value, child, depth + 1);
    }
    newline(e, depth);
    iam_sb_putc(e->out, '}');
    if (ord != small)
        free(ord);
}

static void emit_value(emitter *e, const iam_json *v, int role, size_t depth)
{
    switch (v->kind) {
    case IAM_JSON_NULL: iam_sb_add(e->out, "null", 4); break;
    case IAM_JSON_BOOL: iam_sb_puts(e->out, v->u.b ? "true" : "false"); break;
    /* Source text, never reformatted: 1.0, 1e3 and 10 differ as IAM
     * condition values (string comparison of the canonical form). */
    case IAM_JSON_NUMBER: iam_sb_add(e->out, v->u.str.s, v->u.str.len); break;
    case IAM_JSON_STRING: iam_sb_json_str(e->out, v->u.str.s, v->u.str.len); break;
    case IAM_JSON_ARRAY: emit_array(e, v, role, depth); break;
    case IAM_JSON_OBJECT: emit_object(e, v, role, depth); break;
    }
}

void iam_emit_json(iam_strbuf *out, const iam_json *v, const iam_emit_opts *opts)
{
    if (!opts)
        opts = &iam_emit_canonical;
    emitter e = {out, opts->indent > 16 ? 16 : opts->indent, opts->schema};
    emit_value(&e, v, e.schema ? e.schema->root : IAM_ER_ANY, 0);
    if (opts->final_newline)
        iam_sb_putc(out, '\n');
}
