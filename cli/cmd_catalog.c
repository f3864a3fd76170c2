/* cmd_catalog.c - `iampc catalog`: query the AWS action catalog.
 *
 *   iampc catalog info                         version, data date, counts
 *   iampc catalog expand PATTERN...            actions a pattern denotes
 *   iampc catalog show ACTION                  one action's facts
 *   iampc catalog list [--service S] [--access-level L]
 *
 * Every subcommand takes --format text|json. The catalog is the built-in one
 * unless the global --catalog FILE names another. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cli/cli.h"

static const char usage_text[] =
    "usage: iampc catalog info [--format text|json]\n"
    "       iampc catalog expand [--format text|json] PATTERN...\n"
    "       iampc catalog show [--format text|json] ACTION\n"
    "       iampc catalog list [--service S] [--access-level L] [--format text|json]\n"
    "\n"
    "Query the AWS action catalog (built in, or --catalog FILE).\n"
    "  info     package version, data date and counts\n"
    "  expand   the actions matched by IAM action patterns (\"s3:Get*\"), sorted\n"
    "  show     access level, resource types with ARN templates, condition keys\n"
    "           and dependent actions of one action\n"
    "  list     actions, optionally of one service and/or access level\n"
    "           (List, Read, Write, Tagging, \"Permissions management\")\n";

enum { FMT_TEXT, FMT_JSON };

typedef struct req {
    int format;
    const char *service;
    const char *level;
} req;

/* Print a cJSON document (consumed) to stdout. */
static int emit_json(cJSON *root)
{
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return iam_cli_error("out of memory");
    puts(s);
    free(s);
    return IAM_EXIT_OK;
}

static char *fullname(const iam_catalog *c, uint32_t id, char *buf, size_t cap)
{
    iam_catalog_action_fullname(c, id, buf, cap);
    return buf;
}

/* -- info --------------------------------------------------------------- */

static int do_info(const iam_catalog *c, const req *r, const char *source)
{
    if (r->format == FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "source", source);
        cJSON_AddStringToObject(o, "package", iam_catalog_package(c));
        cJSON_AddStringToObject(o, "version", iam_catalog_version(c));
        cJSON_AddStringToObject(o, "date", iam_catalog_date(c));
        cJSON_AddNumberToObject(o, "services", (double)iam_catalog_service_count(c));
        cJSON_AddNumberToObject(o, "actions", (double)iam_catalog_action_count(c));
        cJSON_AddNumberToObject(o, "resourceTypes", (double)iam_catalog_resource_type_count(c));
        cJSON_AddNumberToObject(o, "conditionKeys", (double)iam_catalog_condition_key_count(c));
        cJSON_AddNumberToObject(o, "globalConditionKeys", (double)iam_catalog_global_key_count(c));
        return emit_json(o);
    }
    printf("source:          %s\n", source);
    printf("package:         %s %s\n", iam_catalog_package(c), iam_catalog_version(c));
    printf("data date:       %s\n", iam_catalog_date(c));
    printf("services:        %zu\n", iam_catalog_service_count(c));
    printf("actions:         %zu\n", iam_catalog_action_count(c));
    printf("resource types:  %zu\n", iam_catalog_resource_type_count(c));
    printf("condition keys:  %zu service, %zu global\n", iam_catalog_condition_key_count(c),
           iam_catalog_global_key_count(c));
    return IAM_EXIT_OK;
}

/* -- expand and list ---------------------------------------------------- */

static int print_set(const iam_catalog *c, const iam_actionset *s, const req *r)
{
    char buf[256];
    if (r->format == FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(o, "actions");
        for (uint32_t id = iam_actionset_next(s, 0); id != IAM_CATALOG_NONE;
             id = iam_actionset_next(s, id + 1))
            cJSON_AddItemToArray(arr, cJSON_CreateString(fullname(c, id, buf, sizeof buf)));
        cJSON *un = cJSON_AddArrayToObject(o, "unmatched");
        for (size_t i = 0; i < iam_actionset_unmatched_count(s); i++)
            cJSON_AddItemToArray(un, cJSON_CreateString(iam_actionset_unmatched(s, i)));
        cJSON_AddNumberToObject(o, "count", (double)iam_actionset_count(s));
        return emit_json(o);
    }
    for (uint32_t id = iam_actionset_next(s, 0); id != IAM_CATALOG_NONE;
         id = iam_actionset_next(s, id + 1))
        puts(fullname(c, id, buf, sizeof buf));
    return IAM_EXIT_OK;
}

static int do_expand(const iam_catalog *c, const req *r, int argc, char **argv)
{
    if (argc < 1)
        return iam_cli_error("catalog expand: give at least one action pattern");
    iam_arena *a = iam_arena_new();
    iam_actionset *s = iam_actionset_new(a, c);
    for (int i = 0; i < argc; i++)
        iam_catalog_expand(c, s, argv[i], strlen(argv[i]));
    for (size_t i = 0; i < iam_actionset_unmatched_count(s); i++)
        fprintf(stderr, "iampc: warning: '%s' matches no action in the catalog of %s\n",
                iam_actionset_unmatched(s, i), iam_catalog_date(c));
    int rc = print_set(c, s, r);
    iam_arena_destroy(a);
    return rc;
}

static int do_list(const iam_catalog *c, const req *r)
{
    unsigned level = 0;
    uint32_t first = 0, n = (uint32_t)iam_catalog_action_count(c);
    if (r->level && !(level = iam_access_level_parse(r->level)))
        return iam_cli_error("unknown access level '%s' (expected List, Read, Write, Tagging "
                             "or 'Permissions management')", r->level);
    if (r->service) {
        uint32_t sid = iam_catalog_service_find(c, r->service, strlen(r->service));
        if (sid == IAM_CATALOG_NONE)
            return iam_cli_error("unknown service '%s' (catalog of %s)", r->service,
                                 iam_catalog_date(c));
        iam_catalog_service_actions(c, sid, &first, &n);
    }
    iam_arena *a = iam_arena_new();
    iam_actionset *s = iam_actionset_new(a, c);
    for (uint32_t id = first; id < first + n; id++) {
        iam_action_info info;
        iam_catalog_action_get(c, id, &info);
        if (!level || (info.access & level))
            iam_actionset_add(s, id);
    }
    int rc = print_set(c, s, r);
    iam_arena_destroy(a);
    return rc;
}

/* -- show --------------------------------------------------------------- */

static cJSON *keys_json(const iam_catalog *c, uint32_t id, size_t r, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        uint32_t k = r == (size_t)-1 ? iam_catalog_action_key(c, id, i)
                                     : iam_catalog_action_resource_key(c, id, r, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "key", iam_catalog_key_name(c, k));
        cJSON_AddStringToObject(o, "type", iam_key_type_name(iam_catalog_key_type(c, k)));
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static void keys_text(const iam_catalog *c, uint32_t id, size_t r, size_t n, const char *indent)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t k = r == (size_t)-1 ? iam_catalog_action_key(c, id, i)
                                     : iam_catalog_action_resource_key(c, id, r, i);
        printf("%s%s (%s)\n", indent, iam_catalog_key_name(c, k),
               iam_key_type_name(iam_catalog_key_type(c, k)));
    }
}

static int show_json(const iam_catalog *c, uint32_t id, const iam_action_info *in,
                     const char *level)
{
    char buf[256];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "action", fullname(c, id, buf, sizeof buf));
    cJSON_AddStringToObject(o, "service", in->service);
    cJSON_AddStringToObject(o, "serviceName", iam_catalog_service_name(c, in->service_id));
    cJSON_AddStringToObject(o, "accessLevel", level);
    cJSON *rts = cJSON_AddArrayToObject(o, "resourceTypes");
    for (size_t i = 0; i < in->nresources; i++) {
        iam_action_resource ar;
        iam_catalog_action_resource(c, id, i, &ar);
        cJSON *rt = cJSON_CreateObject();
        cJSON_AddStringToObject(rt, "name", iam_catalog_rtype_name(c, ar.rtype));
        cJSON_AddStringToObject(rt, "arn", iam_catalog_rtype_arn(c, ar.rtype));
        cJSON_AddBoolToObject(rt, "required", ar.required);
        cJSON_AddItemToObject(rt, "conditionKeys", keys_json(c, id, i, ar.nkeys));
        cJSON_AddItemToArray(rts, rt);
    }
    cJSON_AddItemToObject(o, "conditionKeys", keys_json(c, id, (size_t)-1, in->nkeys));
    cJSON *deps = cJSON_AddArrayToObject(o, "dependentActions");
    for (size_t i = 0; i < in->ndeps; i++)
        cJSON_AddItemToArray(deps, cJSON_CreateString(iam_catalog_action_dep(c, id, i)));
    return emit_json(o);
}

static int do_show(const iam_catalog *c, const req *r, int argc, char **argv)
{
    if (argc != 1)
        return iam_cli_error("catalog show: give exactly one action, e.g. s3:GetObject");
    uint32_t id = iam_catalog_action_find(c, argv[0], strlen(argv[0]));
    if (id == IAM_CATALOG_NONE)
        return iam_cli_error("unknown action '%s' (catalog of %s)", argv[0], iam_catalog_date(c));
    iam_action_info in;
    char level[64], buf[256];
    iam_catalog_action_get(c, id, &in);
    iam_access_level_format(in.access, level, sizeof level);
    if (r->format == FMT_JSON)
        return show_json(c, id, &in, level);
    printf("%s\n", fullname(c, id, buf, sizeof buf));
    printf("  service:        %s (%s)\n", in.service, iam_catalog_service_name(c, in.service_id));
    printf("  access level:   %s\n", level);
    printf("  resource types:%s\n", in.nresources ? "" : " none (Resource \"*\" only)");
    for (size_t i = 0; i < in.nresources; i++) {
        iam_action_resource ar;
        iam_catalog_action_resource(c, id, i, &ar);
        printf("    %s%s  %s\n", iam_catalog_rtype_name(c, ar.rtype), ar.required ? " (required)" : "",
               iam_catalog_rtype_arn(c, ar.rtype));
        keys_text(c, id, i, ar.nkeys, "      ");
    }
    printf("  condition keys:%s\n", in.nkeys ? "" : " none");
    keys_text(c, id, (size_t)-1, in.nkeys, "    ");
    printf("  dependent actions:%s\n", in.ndeps ? "" : " none");
    for (size_t i = 0; i < in.ndeps; i++)
        printf("    %s\n", iam_catalog_action_dep(c, id, i));
    return IAM_EXIT_OK;
}

/* -- entry -------------------------------------------------------------- */

int cmd_catalog(int argc, char **argv, const iam_globals *g)
{
    static const char *const formats[] = {"text", "json", NULL};
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"service", required_argument, NULL, 's'},
        {"access-level", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? IAM_EXIT_ERROR : IAM_EXIT_OK;
    }
    const char *sub = argv[1];
    req r = {.format = FMT_TEXT};
    int c;
    iam_getopt_reset();
    while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((r.format = iam_cli_format(optarg, formats)) < 0)
                return IAM_EXIT_ERROR;
            break;
        case 's': r.service = optarg; break;
        case 'l': r.level = optarg; break;
        case 'h': fputs(usage_text, stdout); return IAM_EXIT_OK;
        default: fputs(usage_text, stderr); return IAM_EXIT_ERROR;
        }
    }
    int nargs = argc - 1 - optind;
    char **args = argv + 1 + optind;
    bool is_list = strcmp(sub, "list") == 0;
    if ((r.service || r.level) && !is_list)
        return iam_cli_error("catalog %s: --service and --access-level belong to 'catalog list'", sub);
    const iam_catalog *cat;
    iam_catalog *loaded;
    if (iam_cli_catalog(g, &cat, &loaded) != IAM_EXIT_OK)
        return IAM_EXIT_ERROR;
    int rc;
    if (strcmp(sub, "info") == 0)
        rc = nargs ? iam_cli_error("catalog info takes no arguments")
                   : do_info(cat, &r, g->catalog ? g->catalog : "built-in");
    else if (strcmp(sub, "expand") == 0)
        rc = do_expand(cat, &r, nargs, args);
    else if (strcmp(sub, "show") == 0)
        rc = do_show(cat, &r, nargs, args);
    else if (is_list)
        rc = nargs ? iam_cli_error("catalog list takes no arguments") : do_list(cat, &r);
    else
        rc = iam_cli_error("'%s' is not a catalog command (info, expand, show, list)", sub);
    iam_catalog_free(loaded);
    return rc;
}
