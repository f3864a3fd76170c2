/* cmd_trail.c - `iampc trail summarize`, and the option handling and
 * reporting that generate, unused and trail share (docs/generate.md). */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "trail/trail_cli.h"
#include "core/diag.h"
#include "core/fsutil.h"
#include "core/source.h"
#include "trail/trail.h"

/* -- shared ------------------------------------------------------------- */

const struct option trail_cli_options[] = {
    {"principal", required_argument, NULL, 'p'},
    {"account", required_argument, NULL, TRAIL_OPT_ACCOUNT},
    {"region", required_argument, NULL, TRAIL_OPT_REGION},
    {"since", required_argument, NULL, TRAIL_OPT_SINCE},
    {"until", required_argument, NULL, TRAIL_OPT_UNTIL},
    {"read-only", no_argument, NULL, TRAIL_OPT_READ},
    {"write-only", no_argument, NULL, TRAIL_OPT_WRITE},
    {"jobs", required_argument, NULL, 'j'},
    {"resources", required_argument, NULL, TRAIL_OPT_RESOURCES},
    {"summary", required_argument, NULL, TRAIL_OPT_SUMMARY},
    {"console-actions", no_argument, NULL, TRAIL_OPT_CONSOLE},
    {"no-dedupe", no_argument, NULL, TRAIL_OPT_NODEDUPE},
    {"no-progress", no_argument, NULL, TRAIL_OPT_NOPROGRESS},
};
const size_t trail_cli_noptions = sizeof trail_cli_options / sizeof *trail_cli_options;

const char trail_cli_usage[] =
    "input selection (all commands):\n"
    "  -p, --principal ARN   one principal; a role ARN collects all its sessions\n"
    "      --account ID      only events recorded in this account\n"
    "      --region REGION   only events of this region\n"
    "      --since TIME      events at or after TIME (2024-05-01 or 2024-05-01T12:00:00Z)\n"
    "      --until TIME      events before TIME\n"
    "      --read-only / --write-only   only read-only / mutating calls\n"
    "  -j, --jobs N          worker threads (default: all cores)\n"
    "      --resources MODE  exact | generalize (default) | star\n"
    "      --summary FILE    read a summary (iampc trail summarize) instead of logs; repeatable\n"
    "      --console-actions also map AwsConsoleAction records\n"
    "      --no-dedupe       keep records with a repeated eventID (saves memory)\n"
    "      --no-progress     no progress line even on a terminal\n"
    "PATH: a CloudTrail .json.gz/.json file, an AWSLogs directory (searched\n"
    "recursively, S3 and organization-trail layouts), - for standard input, or\n"
    "the output of `aws cloudtrail lookup-events`.\n";

static int time_arg(const char *s, int64_t *out)
{
    *out = iam_trail_parse_time(s, strlen(s));
    return *out < 0 ? iam_cli_error("invalid time '%s' (expected YYYY-MM-DD[THH:MM:SSZ])", s) : 0;
}

int trail_cli_option(trail_cli *c, int opt, const char *arg)
{
    iam_trail_opts *o = &c->opts;
    switch (opt) {
    case 'p': o->filter.principal = arg; return 0;
    case TRAIL_OPT_ACCOUNT: o->filter.account = arg; return 0;
    case TRAIL_OPT_REGION: o->filter.region = arg; return 0;
    case TRAIL_OPT_SINCE: return time_arg(arg, &o->filter.since) ? IAM_EXIT_ERROR : 0;
    case TRAIL_OPT_UNTIL: return time_arg(arg, &o->filter.until) ? IAM_EXIT_ERROR : 0;
    case TRAIL_OPT_READ: o->filter.rw = IAM_TRAIL_RW_READ; return 0;
    case TRAIL_OPT_WRITE: o->filter.rw = IAM_TRAIL_RW_WRITE; return 0;
    case 'j': {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > 1024)
            return iam_cli_error("invalid --jobs '%s'", arg);
        o->jobs = (unsigned)n;
        return 0;
    }
    case TRAIL_OPT_RESOURCES:
        if (strcmp(arg, "generalize") == 0)
            o->resources = IAM_TRAIL_RES_GENERALIZE;
        else if (strcmp(arg, "exact") == 0)
            o->resources = IAM_TRAIL_RES_EXACT;
        else if (strcmp(arg, "star") == 0)
            o->resources = IAM_TRAIL_RES_STAR;
        else
            return iam_cli_error("invalid --resources '%s' (expected exact, generalize or star)", arg);
        return 0;
    case TRAIL_OPT_SUMMARY:
        if (c->nsummaries < TRAIL_CLI_MAX_SUMMARIES)
            c->summaries[c->nsummaries++] = arg;
        return 0;
    case TRAIL_OPT_CONSOLE: o->console_actions = true; return 0;
    case TRAIL_OPT_NODEDUPE: o->no_dedupe = true; return 0;
    case TRAIL_OPT_NOPROGRESS: c->no_progress = true; return 0;
    default: return -1;
    }
}

static void progress_line(const iam_trail_progress *p, bool final, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\r\033[Kiampc: %llu/%llu files, %llu records, %.1f MB%s",
            (unsigned long long)p->files_done, (unsigned long long)p->files_total,
            (unsigned long long)p->records, (double)p->bytes / 1e6, final ? "\n" : "");
}

int trail_cli_load(trail_cli *c, const char *const *paths, size_t npaths, const iam_catalog *cat,
                   iam_trail_usage **out)
{
    iam_trail_usage *u = iam_trail_usage_new();
    *out = u;
    for (size_t i = 0; i < c->nsummaries; i++) {
        const char *err = NULL;
        iam_source *src = iam_source_read(c->summaries[i], 0, &err);
        if (!src)
            return iam_cli_error("cannot read summary '%s': %s", c->summaries[i], err);
        int rc = iam_trail_summary_read(u, src->data, src->len, &err);
        iam_source_free(src);
        if (rc != 0)
            return iam_cli_error("%s: %s", c->summaries[i], err);
    }
    if (npaths == 0) {
        if (c->nsummaries == 0)
            return iam_cli_error("no CloudTrail input (give PATH... or --summary FILE)");
        return 0;
    }
    iam_pathlist files = {0};
    const char *bad = NULL, *err = NULL;
    if (iam_inputs_collect(&files, paths, npaths, iam_trail_exts, &bad, &err) != 0)
        return iam_cli_error("cannot access '%s': %s", bad, err);
    c->opts.progress = !c->no_progress && isatty(STDERR_FILENO) ? progress_line : NULL;
    iam_trail_ingest(u, &files, &c->opts, cat);
    iam_pathlist_free(&files);
    return 0;
}

static void rule_line(const char *where, iam_rule_id r, const char *fmt_msg, const char *msg)
{
    fprintf(stderr, "%s: %s: %s%s [%s]\n", where, iam_severity_name(iam_rule(r)->sev), fmt_msg, msg,
            iam_rule(r)->name);
}

int trail_cli_report(iam_trail_usage *u, const char *principal)
{
    const iam_trail_stats *s = iam_trail_usage_stats(u);
    const iam_trail_badfile *bad;
    size_t nb = iam_trail_usage_badfiles(u, &bad);
    for (size_t i = 0; i < nb; i++)
        rule_line(bad[i].path, IAM_R_TRAIL_UNREADABLE_FILE, "skipped: ", bad[i].msg);
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e);
    char line[1024];
    for (size_t i = 0; i < n; i++) {
        const iam_trail_entry *x = e[i];
        if (x->kind != IAM_TK_UNMAPPED && principal && !iam_trail_principal_matches(principal, x->principal))
            continue;
        switch (x->kind) {
        case IAM_TK_UNMAPPED:
            snprintf(line, sizeof line, "%s %s (%llu events)", x->action, x->resource, (unsigned long long)x->count);
            rule_line("iampc", IAM_R_TRAIL_UNMAPPED_EVENT, "unmapped event ", line);
            break;
        case IAM_TK_DENIED: {
            /* one line per principal and action (entries are sorted) */
            uint64_t calls = x->count;
            size_t nres = 1;
            while (i + 1 < n && e[i + 1]->kind == IAM_TK_DENIED &&
                   strcmp(e[i + 1]->principal, x->principal) == 0 && strcmp(e[i + 1]->action, x->action) == 0) {
                calls += e[++i]->count;
                nres++;
            }
            if (nres > 1)
                snprintf(line, sizeof line, "%s: %s on %s and %zu more resources (%llu calls)", x->principal,
                         x->action, x->resource, nres - 1, (unsigned long long)calls);
            else
                snprintf(line, sizeof line, "%s: %s on %s (%llu calls)", x->principal, x->action, x->resource,
                         (unsigned long long)calls);
            rule_line("iampc", IAM_R_TRAIL_DENIED_CALL, "needed but not granted: ", line);
            break;
        }
        case IAM_TK_IMPLIED:
            snprintf(line, sizeof line, "%s: %s on %s, implied by %s (%llu events); CloudTrail never records it",
                     x->principal, x->action, x->resource, x->via, (unsigned long long)x->count);
            rule_line("iampc", IAM_R_TRAIL_IMPLIED_ACTION, "", line);
            break;
        default:
            break;
        }
    }
    fprintf(stderr,
            "iampc: coverage: %llu records in %llu files (%llu unreadable), %.1f MB: %llu mapped, "
            "%llu denied, %llu unmapped, %llu without IAM action, %llu from non-IAM callers, "
            "%llu duplicates, %llu filtered out\n",
            (unsigned long long)s->records, (unsigned long long)s->files, (unsigned long long)s->files_bad,
            (double)s->bytes / 1e6, (unsigned long long)s->mapped, (unsigned long long)s->denied,
            (unsigned long long)s->unmapped, (unsigned long long)s->skipped,
            (unsigned long long)s->skipped_identity, (unsigned long long)s->duplicates,
            (unsigned long long)s->filtered);
    return nb ? 1 : 0;
}

void trail_cli_coverage_json(iam_trail_usage *u, const char *principal, iam_strbuf *b)
{
    const iam_trail_stats *s = iam_trail_usage_stats(u);
    iam_sb_printf(b, "{\"records\":%llu,\"files\":%llu,\"unreadableFiles\":%llu,\"bytes\":%llu,"
                     "\"mapped\":%llu,\"denied\":%llu,\"unmapped\":%llu,\"skipped\":%llu,"
                     "\"skippedCallers\":%llu,\"duplicates\":%llu,\"filtered\":%llu",
                  (unsigned long long)s->records, (unsigned long long)s->files,
                  (unsigned long long)s->files_bad, (unsigned long long)s->bytes,
                  (unsigned long long)s->mapped, (unsigned long long)s->denied,
                  (unsigned long long)s->unmapped, (unsigned long long)s->skipped,
                  (unsigned long long)s->skipped_identity, (unsigned long long)s->duplicates,
                  (unsigned long long)s->filtered);
    static const char *const lists[] = {"", "neededNotGranted", "impliedActions", "unmappedEvents"};
    const iam_trail_entry *const *e;
    size_t n = iam_trail_usage_entries(u, &e);
    for (int k = IAM_TK_DENIED; k <= IAM_TK_UNMAPPED; k++) {
        iam_sb_printf(b, ",\"%s\":[", lists[k]);
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            const iam_trail_entry *x = e[i];
            if ((int)x->kind != k ||
                (k != IAM_TK_UNMAPPED && principal && !iam_trail_principal_matches(principal, x->principal)))
                continue;
            iam_sb_puts(b, first ? "{" : ",{");
            first = false;
            if (k == IAM_TK_UNMAPPED) {
                iam_sb_puts(b, "\"eventSource\":");
                iam_sb_json_str(b, x->action, strlen(x->action));
                iam_sb_puts(b, ",\"eventName\":");
                iam_sb_json_str(b, x->resource, strlen(x->resource));
            } else {
                iam_sb_puts(b, "\"principal\":");
                iam_sb_json_str(b, x->principal, strlen(x->principal));
                iam_sb_puts(b, ",\"action\":");
                iam_sb_json_str(b, x->action, strlen(x->action));
                iam_sb_puts(b, ",\"resource\":");
                iam_sb_json_str(b, x->resource, strlen(x->resource));
                if (*x->via) {
                    iam_sb_puts(b, ",\"impliedBy\":");
                    iam_sb_json_str(b, x->via, strlen(x->via));
                }
            }
            iam_sb_printf(b, ",\"count\":%llu}", (unsigned long long)x->count);
        }
        iam_sb_putc(b, ']');
    }
    const iam_trail_badfile *bad;
    size_t nb = iam_trail_usage_badfiles(u, &bad);
    iam_sb_puts(b, ",\"unreadableFileList\":[");
    for (size_t i = 0; i < nb; i++) {
        iam_sb_puts(b, i ? ",{\"path\":" : "{\"path\":");
        iam_sb_json_str(b, bad[i].path, strlen(bad[i].path));
        iam_sb_puts(b, ",\"message\":");
        iam_sb_json_str(b, bad[i].msg, strlen(bad[i].msg));
        iam_sb_putc(b, '}');
    }
    iam_sb_puts(b, "]}");
}

int trail_cli_catalog(const iam_globals *g, const iam_catalog **cat)
{
    iam_catalog *owned;   /* lives for the rest of the process */
    return iam_cli_catalog(g, cat, &owned) == IAM_EXIT_OK ? 0 : -1;
}

/* -- iampc trail summarize ---------------------------------------------- */

static const char summarize_usage[] =
    "usage: iampc trail summarize PATH... -o FILE [options]\n"
    "\n"
    "Write a compact, mergeable usage summary: per principal, action and\n"
    "resource pattern, the call count and the first and last time seen, plus\n"
    "denied, implied and unmapped events. `generate` and `unused` read it with\n"
    "--summary FILE; several summaries (e.g. one per day or account, made in\n"
    "parallel) are merged by giving --summary several times, or by\n"
    "`iampc trail summarize --summary A --summary B -o AB`.\n"
    "\n"
    "  -o, --output FILE     the summary file (- for standard output)\n";

int cmd_trail(int argc, char **argv, const iam_globals *g)
{
    if (argc < 2 || strcmp(argv[1], "summarize") != 0) {
        fputs(summarize_usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        fputs(trail_cli_usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? IAM_EXIT_OK : IAM_EXIT_ERROR;
    }
    argc--;
    argv++;
    struct option opts[32];
    memcpy(opts, trail_cli_options, trail_cli_noptions * sizeof *opts);
    size_t k = trail_cli_noptions;
    opts[k++] = (struct option){"output", required_argument, NULL, 'o'};
    opts[k++] = (struct option){"help", no_argument, NULL, 'h'};
    opts[k] = (struct option){0, 0, 0, 0};
    trail_cli c = {0};
    const char *output = NULL;
    int opt;
    iam_getopt_reset();
    while ((opt = getopt_long(argc, argv, "p:j:o:h", opts, NULL)) != -1) {
        if (opt == 'o') {
            output = optarg;
        } else if (opt == 'h') {
            fputs(summarize_usage, stdout);
            fputs(trail_cli_usage, stdout);
            return IAM_EXIT_OK;
        } else {
            int rc = trail_cli_option(&c, opt, optarg);
            if (rc != 0) {
                if (rc < 0)
                    fputs(summarize_usage, stderr);
                return IAM_EXIT_ERROR;
            }
        }
    }
    if (!output)
        return iam_cli_error("trail summarize: -o FILE is required");
    const iam_catalog *cat;
    if (trail_cli_catalog(g, &cat) != 0)
        return IAM_EXIT_ERROR;
    iam_trail_usage *u = NULL;
    int rc = trail_cli_load(&c, (const char *const *)argv + optind, (size_t)(argc - optind), cat, &u);
    if (rc == 0) {
        trail_cli_report(u, c.opts.filter.principal);
        iam_strbuf b = IAM_STRBUF_INIT;
        iam_trail_summary_write(u, &b);
        const char *err = NULL;
        if (strcmp(output, "-") == 0)
            fwrite(b.s, 1, b.len, stdout);
        else if (iam_write_atomic(output, b.s, b.len, &err) != 0)
            rc = iam_cli_error("cannot write '%s': %s", output, err);
        iam_sb_free(&b);
    } else {
        rc = IAM_EXIT_ERROR;
    }
    iam_trail_usage_free(u);
    if (cat != iam_catalog_builtin())
        iam_catalog_free((iam_catalog *)cat);
    return iam_cli_finish(rc);
}
