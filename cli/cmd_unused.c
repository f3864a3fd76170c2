/* cmd_unused.c - `iampc unused`: granted actions that CloudTrail never
 * shows the principal using (docs/generate.md). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/emit.h"
#include "compiler/minimize.h"
#include "core/intern.h"
#include "core/source.h"
#include "grammar/json.h"
#include "policy/policy.h"
#include "trail/trail.h"
#include "trail/trail_cli.h"

static const char usage_text[] =
    "usage: iampc unused --principal ARN --policy FILE... [--cloudtrail PATH... | --summary FILE...]\n"
    "                    [--emit-policy] [--format text|json] [options]\n"
    "\n"
    "List the actions the policies grant (Allow statements) that the principal\n"
    "never used in the logs, grouped by service and access level. A service\n"
    "with no event at all is 'never observed' (no data: maybe unused, maybe\n"
    "not logged); otherwise the action is 'observed, action unused'.\n"
    "\n"
    "      --policy FILE         an identity policy of the principal; repeatable\n"
    "      --cloudtrail PATH     CloudTrail input; repeatable (PATH operands work too)\n"
    "      --emit-policy         print the policies reduced to the used actions (minimized)\n"
    "      --format FMT          text (default) or json\n";

typedef struct loaded {
    iam_source *src;
    iam_policy *p;
} loaded;

static int load_policy(const char *path, iam_arena *a, iam_strtab *names, loaded *out)
{
    const char *err = NULL;
    out->src = iam_source_read(path, 0, &err);
    if (!out->src)
        return iam_cli_error("cannot read '%s': %s", path, err);
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    int rc = 0;
    if (iam_json_parse(a, out->src, &iam_json_default_limits, &d, &root) != IAM_OK || !root) {
        rc = iam_cli_error("%s: not valid JSON%s%s", path, d.n ? ": " : "", d.n ? d.v[0].msg : "");
    } else {
        iam_decode_opts o = {IAM_PT_IDENTITY, IAM_TO_FLAG};
        out->p = iam_policy_decode(a, names, root, &o, &d);
    }
    iam_diags_fini(&d);
    return rc;
}

static void stmt_set(const iam_catalog *cat, const iam_statement *s, iam_actionset *set)
{
    for (size_t i = 0; i < s->nactions; i++)
        iam_catalog_expand(cat, set, s->actions[i].text, strlen(s->actions[i].text));
}

/* The policy with each Allow+Action statement cut to the used actions. */
static void reduced(const iam_catalog *cat, iam_arena *a, const iam_policy *p, const iam_actionset *used,
                    iam_strbuf *b, size_t *nstmts)
{
    const iam_json_member *stm = iam_json_get(p->json, "Statement");
    for (size_t i = 0; stm && i < p->nstmts; i++) {
        const iam_statement *s = &p->stmts[i];
        const iam_json *sj = stm->value->kind == IAM_JSON_ARRAY ? stm->value->u.arr.v[i] : stm->value;
        bool cut = s->effect == IAM_EFFECT_ALLOW && s->has_action && !s->not_action;
        iam_actionset *keep = NULL;
        if (cut) {
            keep = iam_actionset_new(a, cat);
            stmt_set(cat, s, keep);
            iam_actionset_intersect(keep, used);
            if (iam_actionset_empty(keep))
                continue;
        }
        iam_sb_puts(b, (*nstmts)++ ? ",{" : "{");
        bool firstm = true;
        for (size_t m = 0; m < sj->u.obj.n; m++) {
            const iam_json_member *mem = &sj->u.obj.v[m];
            if (!firstm)
                iam_sb_putc(b, ',');
            firstm = false;
            iam_sb_json_str(b, mem->key, mem->key_len);
            iam_sb_putc(b, ':');
            if (cut && strcmp(mem->key, "Action") == 0) {
                char full[160];
                iam_sb_putc(b, '[');
                bool f = true;
                for (uint32_t id = iam_actionset_next(keep, 0); id != IAM_CATALOG_NONE;
                     id = iam_actionset_next(keep, id + 1)) {
                    iam_catalog_action_fullname(cat, id, full, sizeof full);
                    if (!f)
                        iam_sb_putc(b, ',');
                    f = false;
                    iam_sb_json_str(b, full, strlen(full));
                }
                iam_sb_putc(b, ']');
            } else {
                iam_emit_json(b, mem->value, &iam_emit_compact);
            }
        }
        iam_sb_putc(b, '}');
    }
}

static int report(const iam_catalog *cat, const iam_actionset *granted, const iam_actionset *used,
                  const bool *observed, bool json)
{
    size_t nsvc = iam_catalog_service_count(cat), total = 0;
    iam_strbuf b = IAM_STRBUF_INIT;
    if (json)
        iam_sb_puts(&b, "{\"services\":[");
    bool firstsvc = true;
    char full[160], lv[64];
    for (uint32_t sid = 0; sid < nsvc; sid++) {
        uint32_t first, n;
        iam_catalog_service_actions(cat, sid, &first, &n);
        size_t cnt = 0;
        for (uint32_t id = first; id < first + n; id++)
            cnt += iam_actionset_has(granted, id) && !iam_actionset_has(used, id);
        if (!cnt)
            continue;
        total += cnt;
        const char *svc = iam_catalog_service_prefix(cat, sid);
        if (json) {
            iam_sb_printf(&b, "%s{\"service\":\"%s\",\"observed\":%s,\"unused\":[", firstsvc ? "" : ",", svc,
                          observed[sid] ? "true" : "false");
        } else {
            iam_sb_printf(&b, "%s (%s): %zu unused\n", svc,
                          observed[sid] ? "observed, action unused" : "service never observed", cnt);
        }
        firstsvc = false;
        static const unsigned levels[] = {IAM_AL_LIST, IAM_AL_READ, IAM_AL_WRITE, IAM_AL_TAGGING, IAM_AL_PERMISSIONS};
        bool firsta = true;
        for (size_t l = 0; l < 5; l++) {
            bool head = false;
            for (uint32_t id = first; id < first + n; id++) {
                if (!iam_actionset_has(granted, id) || iam_actionset_has(used, id))
                    continue;
                iam_action_info info;
                iam_catalog_action_get(cat, id, &info);
                unsigned top = 0;   /* the highest level the action has */
                for (size_t q = 0; q < 5; q++)
                    if (info.access & levels[q])
                        top = levels[q];
                if (top != levels[l] && !(top == 0 && l == 0))
                    continue;
                iam_catalog_action_fullname(cat, id, full, sizeof full);
                iam_access_level_format(info.access, lv, sizeof lv);
                if (json) {
                    iam_sb_printf(&b, "%s{\"action\":\"%s\",\"accessLevel\":\"%s\"}", firsta ? "" : ",", full, lv);
                    firsta = false;
                } else {
                    if (!head)
                        iam_sb_printf(&b, "  %s:\n", iam_access_level_name(levels[l]));
                    head = true;
                    iam_sb_printf(&b, "    %s\n", full);
                }
            }
        }
        if (json)
            iam_sb_puts(&b, "]}");
    }
    if (json)
        iam_sb_printf(&b, "],\"unusedActions\":%zu}\n", total);
    else if (total == 0)
        iam_sb_puts(&b, "every granted action was used\n");
    fwrite(b.s ? b.s : "", 1, b.len, stdout);
    iam_sb_free(&b);
    return total ? IAM_EXIT_FINDINGS : IAM_EXIT_OK;
}

int cmd_unused(int argc, char **argv, const iam_globals *g)
{
    struct option opts[40];
    memcpy(opts, trail_cli_options, trail_cli_noptions * sizeof *opts);
    size_t k = trail_cli_noptions;
    opts[k++] = (struct option){"cloudtrail", required_argument, NULL, 'c'};
    opts[k++] = (struct option){"policy", required_argument, NULL, 'P'};
    opts[k++] = (struct option){"emit-policy", no_argument, NULL, 'E'};
    opts[k++] = (struct option){"format", required_argument, NULL, 'F'};
    opts[k++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[k] = (struct option){0, 0, 0, 0};
    trail_cli c = {0};
    const char *paths[256], *pols[64];
    size_t npaths = 0, npols = 0;
    bool emitp = false, json = false;
    static const char *const formats[] = {"text", "json", NULL};
    int opt;
    iam_getopt_reset();
    while ((opt = getopt_long(argc, argv, "p:j:c:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': if (npaths < 256) paths[npaths++] = optarg; break;
        case 'P': if (npols < 64) pols[npols++] = optarg; break;
        case 'E': emitp = true; break;
        case 'F': {
            int f = iam_cli_format(optarg, formats);
            if (f < 0)
                return IAM_EXIT_ERROR;
            json = f == 1;
            break;
        }
        case 'h': fputs(usage_text, stdout); fputs(trail_cli_usage, stdout); return IAM_EXIT_OK;
        default: {
            int rc = trail_cli_option(&c, opt, optarg);
            if (rc != 0) {
                if (rc < 0)
                    fputs(usage_text, stderr);
                return IAM_EXIT_ERROR;
            }
        }
        }
    }
    for (int i = optind; i < argc && npaths < 256; i++)
        paths[npaths++] = argv[i];
    if (!c.opts.filter.principal || npols == 0)
        return iam_cli_error("unused: --principal ARN and --policy FILE are required");
    const iam_catalog *cat;
    if (trail_cli_catalog(g, &cat) != 0)
        return IAM_EXIT_ERROR;
    iam_arena *a = iam_arena_new();
    iam_strtab *names = iam_intern_new();
    loaded *pl = calloc(npols, sizeof *pl);
    iam_trail_usage *u = NULL;
    int rc = 0;
    for (size_t i = 0; i < npols && rc == 0; i++)
        rc = load_policy(pols[i], a, names, &pl[i]);
    if (rc == 0)
        rc = trail_cli_load(&c, paths, npaths, cat, &u);
    if (rc == 0) {
        trail_cli_report(u, c.opts.filter.principal);
        iam_actionset *granted = iam_actionset_new(a, cat), *used = iam_actionset_new(a, cat);
        for (size_t i = 0; i < npols; i++)
            for (size_t s = 0; s < pl[i].p->nstmts; s++) {
                const iam_statement *st = &pl[i].p->stmts[s];
                if (st->effect == IAM_EFFECT_ALLOW && st->has_action && !st->not_action)
                    stmt_set(cat, st, granted);
            }
        bool *observed = calloc(iam_catalog_service_count(cat) + 1, sizeof *observed);
        const iam_trail_entry *const *e;
        size_t n = iam_trail_usage_entries(u, &e);
        for (size_t i = 0; i < n; i++) {
            if (e[i]->kind == IAM_TK_UNMAPPED || !iam_trail_principal_matches(c.opts.filter.principal, e[i]->principal))
                continue;
            uint32_t id = iam_catalog_action_find(cat, e[i]->action, strlen(e[i]->action));
            if (id == IAM_CATALOG_NONE)
                continue;
            iam_action_info info;
            iam_catalog_action_get(cat, id, &info);
            observed[info.service_id] = true;
            if (e[i]->kind != IAM_TK_DENIED)
                iam_actionset_add(used, id);
        }
        if (emitp) {
            iam_strbuf b = IAM_STRBUF_INIT;
            size_t ns = 0;
            iam_sb_puts(&b, "{\"Version\":\"2012-10-17\",\"Statement\":[");
            for (size_t i = 0; i < npols; i++)
                reduced(cat, a, pl[i].p, used, &b, &ns);
            iam_sb_puts(&b, "]}");
            iam_diags d;
            iam_diags_init(&d);
            iam_min_result r = {0};
            iam_min_opts mo = iam_min_defaults;
            mo.no_new_wildcards = true;
            if (iam_minimize_text(cat, "reduced policy", b.s, b.len, IAM_PT_IDENTITY, &mo, &d, &r) == IAM_OK) {
                for (size_t i = 0; i < r.ndocs; i++)
                    fwrite(r.docs[i].json, 1, r.docs[i].len, stdout);
                iam_min_result_free(&r);
                rc = IAM_EXIT_OK;
            } else {
                rc = iam_cli_error("unused: cannot minimize the reduced policy%s%s", d.n ? ": " : "",
                                   d.n ? d.v[0].msg : "");
            }
            iam_diags_fini(&d);
            iam_sb_free(&b);
        } else {
            rc = report(cat, granted, used, observed, json);
        }
        free(observed);
    } else {
        rc = IAM_EXIT_ERROR;
    }
    iam_trail_usage_free(u);
    for (size_t i = 0; i < npols; i++)
        iam_source_free(pl[i].src);
    free(pl);
    iam_intern_free(names);
    iam_arena_destroy(a);
    if (cat != iam_catalog_builtin())
        iam_catalog_free((iam_catalog *)cat);
    return iam_cli_finish(rc);
}
