/* analyzer.c - per-file pipeline (source -> JSON -> IR -> grammar, catalog
 * and risk checks), then the rules that need all inputs together. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/catalog_checks.h"
#include "analyzer/gaad.h"
#include "analyzer/risk.h"
#include "core/arena.h"
#include "core/intern.h"
#include "grammar/json.h"

typedef struct entry {
    const iam_policy *p;
    const char *path;            /* the input it came from */
} entry;

struct iam_analyzer {
    iam_analyze_opts opts;
    const iam_catalog *cat;
    iam_diags diags;
    iam_strtab *names;
    iam_arena *run;              /* groups, principal-level scratch */
    const iam_risk_cache *cache; /* rule tables over the catalog */
    iam_catalog_memo *memo;       /* action pattern expansions, shared by all checks */
    iam_source **srcs;
    iam_arena **arenas;
    size_t nsrcs, cap;
    entry *entries;
    size_t nentries, entries_cap;
    iam_principal_group *groups; /* from GAAD files */
    size_t ngroups, groups_cap;
    size_t files, policies;
    int input_failed;
};

iam_analyzer *iam_analyzer_new(const iam_analyze_opts *o)
{
    iam_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        iam_oom("out of memory");
    if (o)
        an->opts = *o;
    an->cat = an->opts.catalog ? an->opts.catalog : iam_catalog_builtin();
    iam_diags_init(&an->diags);
    if (an->opts.config)
        an->diags.sev_override = an->opts.config->sev_override;
    an->names = iam_intern_new();
    an->run = iam_arena_new();
    an->cache = iam_risk_cache_new(an->run, an->cat, an->opts.config);
    return an;
}

void iam_analyzer_free(iam_analyzer *an)
{
    if (!an)
        return;
    for (size_t i = 0; i < an->nsrcs; i++) {
        iam_arena_destroy(an->arenas[i]);
        iam_source_free(an->srcs[i]);
    }
    free(an->srcs);
    free(an->arenas);
    free(an->entries);
    free(an->groups);
    iam_diags_fini(&an->diags);
    iam_intern_free(an->names);
    iam_arena_destroy(an->run);
    free(an);
}

static const char *principal_dir(const char *path, size_t *len);
static void check_group(iam_risk_ctx *rc, const iam_principal_group *g);

/* Keep a source (and a fresh arena for it) alive until the analyzer dies. */
static iam_arena *keep(iam_analyzer *an, iam_source *src, bool counts)
{
    if (an->nsrcs == an->cap) {
        an->cap = an->cap ? an->cap * 2 : 16;
        an->srcs = iam_xrealloc(an->srcs, an->cap * sizeof *an->srcs);
        an->arenas = iam_xrealloc(an->arenas, an->cap * sizeof *an->arenas);
    }
    iam_arena *a = iam_arena_new();
    an->srcs[an->nsrcs] = src;
    an->arenas[an->nsrcs++] = a;
    an->files += counts;
    return a;
}

/* Free the most recently kept source and its arena (no diagnostic and no
 * entry refers to them). */
static void release_last(iam_analyzer *an)
{
    an->nsrcs--;
    iam_arena_destroy(an->arenas[an->nsrcs]);
    iam_source_free(an->srcs[an->nsrcs]);
}

static void remember(iam_analyzer *an, const iam_policy *p, const char *path)
{
    if (an->nentries == an->entries_cap) {
        an->entries_cap = an->entries_cap ? an->entries_cap * 2 : 64;
        an->entries = iam_xrealloc(an->entries, an->entries_cap * sizeof *an->entries);
    }
    an->entries[an->nentries++] = (entry){p, path};
}

/* Validation and the per-policy rule sets for one decoded policy. Action
 * sets are scratch: they live in an arena freed right after the checks. */
static void check_policy(iam_analyzer *an, const iam_policy *p)
{
    size_t first = an->diags.n;
    an->policies++;
    iam_policy_validate(p, &an->diags);
    if (!an->opts.grammar_only) {
        /* Policies repeat action patterns; expanding each text once per
         * run (not once per entry and rule set) is most of the speed. */
        if (!an->memo)
            an->memo = iam_catalog_memo_new(an->run, an->cat);
        iam_check_catalog_memo(an->cat, an->memo, p, &an->diags);
        iam_arena *scratch = iam_arena_new();
        iam_risk_ctx rc = {an->cat, an->opts.config, &an->diags, scratch, an->cache, an->memo};
        iam_risk_check_policy(&rc, p);
        iam_arena_destroy(scratch);
    }
    if (an->opts.check)
        an->opts.check(an->opts.check_ud, p, &an->diags);
    /* Every finding about this policy says which type it was checked as. */
    for (size_t i = first; i < an->diags.n; i++)
        if (!an->diags.v[i].policy_type)
            an->diags.v[i].policy_type = iam_policy_type_name(p->type);
}

static void add_gaad(iam_analyzer *an, iam_arena *a, const iam_json *doc)
{
    iam_gaad g = {0};
    if (iam_gaad_load(a, an->names, doc, &an->diags, &g) != IAM_OK)
        an->input_failed = 1;
    for (size_t i = 0; i < g.nextra; i++)
        keep(an, g.extra_sources[i], false);
    for (size_t i = 0; i < g.npolicies; i++)
        check_policy(an, g.policies[i]);
    for (size_t i = 0; i < g.nprincipals; i++) {
        if (an->ngroups == an->groups_cap) {
            an->groups_cap = an->groups_cap ? an->groups_cap * 2 : 16;
            an->groups = iam_xrealloc(an->groups, an->groups_cap * sizeof *an->groups);
        }
        an->groups[an->ngroups++] = g.principals[i];
    }
}

static iam_status run(iam_analyzer *an, iam_source *src)
{
    iam_arena *a = keep(an, src, true);
    iam_json_limits lim = iam_json_default_limits;
    if (an->opts.max_file)
        lim.max_file = an->opts.max_file;
    iam_json *doc = NULL;
    size_t before = an->diags.n;   /* any finding, parse warnings included, pins the source */
    iam_status st = iam_json_parse(a, src, &lim, &an->diags, &doc);
    if (st != IAM_OK) {
        an->input_failed = 1;
        return st;
    }
    if (an->opts.gaad || (an->opts.type == IAM_PT_UNKNOWN && iam_gaad_detect(doc))) {
        add_gaad(an, a, doc);
        return IAM_OK;
    }
    iam_decode_opts dopts = {IAM_PT_UNKNOWN, IAM_TO_HEURISTIC};
    if (an->opts.type != IAM_PT_UNKNOWN) {
        dopts.type = an->opts.type;
        dopts.origin = IAM_TO_FLAG;
    } else if (strcmp(src->path, "<stdin>") != 0) {
        dopts.type = iam_policy_type_from_path(src->path);
        dopts.origin = IAM_TO_DIRECTORY;
    }
    iam_policy *p = iam_policy_decode(a, an->names, doc, &dopts, &an->diags);
    check_policy(an, p);
    /* Only principal groups (principals/...) and SCP folders need the policy
     * again in iam_analyzer_finish; a lone identity policy is its own group
     * and is checked now. A file that nothing points into any more is
     * released at once, so memory stays flat over large corpora. */
    size_t nl;
    bool grouped = p->type == IAM_PT_SCP || principal_dir(src->path, &nl) != NULL;
    if (grouped) {
        remember(an, p, src->path);
        return IAM_OK;
    }
    if (p->type == IAM_PT_IDENTITY && !an->opts.grammar_only) {
        const iam_policy *one = p;
        iam_principal_group g = {0};
        g.identity = &one;
        g.nidentity = 1;
        if (!an->memo)
            an->memo = iam_catalog_memo_new(an->run, an->cat);
        iam_risk_ctx rc = {an->cat, an->opts.config, &an->diags, an->run, an->cache, an->memo};
        check_group(&rc, &g);
    }
    if (an->diags.n == before)
        release_last(an);
    return IAM_OK;
}

iam_status iam_analyzer_add(iam_analyzer *an, const char *path)
{
    const char *err = NULL;
    size_t max = an->opts.max_file ? an->opts.max_file : iam_json_default_limits.max_file;
    iam_source *src = iam_source_read(path, max, &err);
    if (!src) {
        /* Unreadable input: a diagnostic on a source-less span. */
        iam_source *name = iam_source_from_mem(strcmp(path, "-") == 0 ? "<stdin>" : path, "", 0);
        keep(an, name, true);
        iam_span at = {name, 1, 1, 1, 1, 0, 0};
        iam_diag_add(&an->diags, strcmp(err, "file too large") == 0 ? IAM_R_INPUT_LIMIT : IAM_R_INPUT_ERROR, at,
                     "cannot read '%s': %s", path, err);
        an->input_failed = 1;
        return IAM_ERR_IO;
    }
    return run(an, src);
}

iam_status iam_analyzer_add_mem(iam_analyzer *an, const char *name, const char *data, size_t len)
{
    return run(an, iam_source_from_mem(name, data, len));
}

/* -- grouping (docs/principals.md) ----------------------------------------- */

/* "principals/<name>/" in path: returns the name's start and length. */
static const char *principal_dir(const char *path, size_t *len)
{
    const char *p = path;
    while ((p = strstr(p, "principals/")) != NULL) {
        if (p == path || p[-1] == '/') {
            const char *name = p + 11;
            /* principals/users/<name>/ and principals/roles/<name>/ */
            if (strncmp(name, "users/", 6) == 0 || strncmp(name, "roles/", 6) == 0) {
                const char *inner = strchr(name + 6, '/');
                if (inner) {
                    *len = (size_t)(inner - name);
                    return name;
                }
            }
            const char *slash = strchr(name, '/');
            if (slash) {
                *len = (size_t)(slash - name);
                return name;
            }
        }
        p += 11;
    }
    return NULL;
}

/* People assume a role through SAML or from IAM users/accounts; a
 * web-identity (OIDC) session is a workload and can never carry MFA. */
static bool trust_is_human(const iam_policy *t)
{
    for (size_t i = 0; t && i < t->nstmts; i++)
        for (size_t k = 0; k < t->stmts[i].principal.n; k++) {
            const iam_principal_entry *e = &t->stmts[i].principal.v[k];
            if (e->kind == IAM_PK_FEDERATED && strstr(e->text, ":saml-provider/"))
                return true;
            if (e->kind == IAM_PK_AWS && e->form != IAM_PF_ANY)
                return true;
        }
    return false;
}

/* Principal-level rules for one group, with scratch sets freed after. */
static void check_group(iam_risk_ctx *rc, const iam_principal_group *g)
{
    iam_risk_ctx c = *rc;
    c.arena = iam_arena_new();
    iam_risk_check_principal(&c, g);
    iam_arena_destroy(c.arena);
}

static void group_directories(iam_analyzer *an, iam_risk_ctx *rc)
{
    bool *done = calloc(an->nentries ? an->nentries : 1, sizeof *done);
    if (!done)
        iam_oom("out of memory");
    for (size_t i = 0; i < an->nentries; i++) {
        const iam_policy *p = an->entries[i].p;
        if (done[i] || !(p->type == IAM_PT_IDENTITY || p->type == IAM_PT_BOUNDARY || p->type == IAM_PT_TRUST))
            continue;
        size_t nl = 0;
        const char *name = principal_dir(an->entries[i].path, &nl);
        /* Only SCPs and policies under principals/ are remembered (run()
         * checks a lone identity policy at once), so name is set here. */
        assert(name);
        iam_principal_group g = {0};
        g.identity = iam_arena_alloc(an->run, an->nentries * sizeof *g.identity);
        g.name = iam_arena_strndup(an->run, name, nl);
        for (size_t k = i; k < an->nentries; k++) {
            size_t kl = 0;
            const char *kn = principal_dir(an->entries[k].path, &kl);
            if (done[k] || !kn || kl != nl || strncmp(kn, name, nl) != 0)
                continue;
            const iam_policy *q = an->entries[k].p;
            done[k] = true;
            if (q->type == IAM_PT_BOUNDARY)
                g.boundary = q;
            else if (q->type == IAM_PT_TRUST)
                g.trust = q;
            else if (q->type == IAM_PT_IDENTITY)
                g.identity[g.nidentity++] = q;
        }
        g.kind = strncmp(name, "users/", 6) == 0 ? IAM_GROUP_USER
                 : strncmp(name, "roles/", 6) == 0 || g.trust ? IAM_GROUP_ROLE : IAM_GROUP_OTHER;
        g.human = g.kind == IAM_GROUP_USER || (g.kind == IAM_GROUP_ROLE && trust_is_human(g.trust));
        check_group(rc, &g);
    }
    free(done);
}

/* Length of the directory part of path ("" for a bare name). */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

static bool same_dir(const char *a, const char *b)
{
    size_t la = dir_len(a);
    return la == dir_len(b) && strncmp(a, b, la) == 0;
}

static int cmp_entry_path(const void *pa, const void *pb)
{
    return strcmp(((const entry *)pa)->path, ((const entry *)pb)->path);
}

/* One scp-guardrail-missing check per folder of SCPs (one org level). */
static void scp_sets(iam_analyzer *an, iam_risk_ctx *rc)
{
    size_t cap = an->nentries ? an->nentries : 1;
    entry *scps = iam_arena_alloc(an->run, cap * sizeof *scps);
    const iam_policy **set = iam_arena_alloc(an->run, cap * sizeof *set);
    size_t n = 0;
    for (size_t i = 0; i < an->nentries; i++)
        if (an->entries[i].p->type == IAM_PT_SCP)
            scps[n++] = an->entries[i];
    qsort(scps, n, sizeof *scps, cmp_entry_path);
    /* Collect by folder (a subfolder's names may sort between a folder's
     * files); the folders above it are its ancestors in the organization. */
    bool *done = iam_arena_alloc(an->run, cap * sizeof *done);
    const iam_policy **up = iam_arena_alloc(an->run, cap * sizeof *up);
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        size_t m = 0, nup = 0, dl = dir_len(scps[i].path);
        for (size_t k = 0; k < n; k++) {
            size_t kl = dir_len(scps[k].path);
            if (same_dir(scps[i].path, scps[k].path)) {
                if (k >= i && !done[k]) {
                    done[k] = true;
                    set[m++] = scps[k].p;
                }
            } else if (kl < dl && (kl == 0 || (strncmp(scps[k].path, scps[i].path, kl) == 0 && scps[i].path[kl] == '/'))) {
                up[nup++] = scps[k].p;
            }
        }
        iam_risk_check_scp_set(rc, set, m, up, nup);
    }
}

void iam_analyzer_finish(iam_analyzer *an)
{
    if (an->opts.grammar_only)
        return;
    if (!an->memo)
        an->memo = iam_catalog_memo_new(an->run, an->cat);
    iam_risk_ctx rc = {an->cat, an->opts.config, &an->diags, an->run, an->cache, an->memo};
    group_directories(an, &rc);
    for (size_t i = 0; i < an->ngroups; i++)
        check_group(&rc, &an->groups[i]);
    scp_sets(an, &rc);
}

iam_diags *iam_analyzer_diags(iam_analyzer *an)
{
    return &an->diags;
}

size_t iam_analyzer_files(const iam_analyzer *an)
{
    return an->files;
}

size_t iam_analyzer_policies(const iam_analyzer *an)
{
    return an->policies;
}

int iam_analyzer_input_failed(const iam_analyzer *an)
{
    return an->input_failed;
}
