/* intent.y - grammar of the intent language (docs/intent-language.md has
 * the EBNF). Pure, reentrant, located; actions are one-line calls into
 * intent_build.c. Statements need no terminator: every statement starts
 * with a keyword and lists continue only after ','. */
%require "3.6"
%define api.pure full
%define api.prefix {iam_ix_}
%define api.token.prefix {TOK_}
%define api.location.type {iam_ix_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {iam_ixctx *ctx}
%expect 0

%code requires {
#include "grammar/intent_internal.h"
typedef void *yyscan_t;
}

%code provides {
#define YY_DECL int iam_ix_lex(IAM_IX_STYPE *yylval_param, IAM_IX_LTYPE *yylloc_param, yyscan_t yyscanner)
YY_DECL;
}

%code {
#include <stdio.h>
#include <string.h>

/* Only reached on parser stack exhaustion (yyparse returns 2). */
static void iam_ix_error(IAM_IX_LTYPE *loc, yyscan_t scanner, iam_ixctx *ctx, const char *msg)
{
    (void)loc, (void)scanner, (void)ctx, (void)msg;
}

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur).first_line = YYRHSLOC(Rhs, 1).first_line;          \
            (Cur).first_column = YYRHSLOC(Rhs, 1).first_column;      \
            (Cur).first_off = YYRHSLOC(Rhs, 1).first_off;            \
            (Cur).last_line = YYRHSLOC(Rhs, N).last_line;            \
            (Cur).last_column = YYRHSLOC(Rhs, N).last_column;        \
            (Cur).last_off = YYRHSLOC(Rhs, N).last_off;              \
        } else {                                                     \
            (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line;       \
            (Cur).first_column = (Cur).last_column = YYRHSLOC(Rhs, 0).last_column; \
            (Cur).first_off = (Cur).last_off = YYRHSLOC(Rhs, 0).last_off;          \
        }                                                            \
    } while (0)
}

%union {
    iam_ix_str str;
    iam_ix_list *list;
    iam_ix_stmt *stmt;
    iam_ix_cond cond;
    iam_ix_level level;
    int num;
}

%token END 0 "end of input"
%token <str> LET "'let'" INCLUDE "'include'" POLICY "'policy'" GUARDRAIL "'guardrail'" FOR "'for'"
%token <str> ROLE "'role'" USER "'user'" BOUNDARY "'boundary'" SCP "'scp'" RCP "'rcp'" RESOURCE "'resource'"
%token <str> ALLOW "'allow'" DENY "'deny'" ON "'on'" WHEN "'when'" UNLESS "'unless'" AND "'and'"
%token <str> REQUIRE "'require'" MFA "'mfa'" EXCLUDE "'exclude'" PRINCIPAL "'principal'" SERVICE "'service'"
%token <str> ASSERT "'assert'" ALLOWS "'allows'" DENIES "'denies'" AS "'as'" WITH "'with'"
%token <str> READ "'read'" WRITE "'write'" LIST "'list'" TAGGING "'tagging'" PERMISSIONS "'permissions-management'"
%token <str> SOURCE "'source'" IP "'ip'" VPC "'vpc'" VPCE "'vpce'" ORG "'org'" ACCOUNT "'account'"
%token <str> TAG "'tag'" REQUEST "'request'" VIA "'via'" SECURE "'secure'" TRANSPORT "'transport'"
%token <str> LBRACE "'{'" RBRACE "'}'" COMMA "','" EQ "'=='" ASSIGN "'='"
%token <str> STAR "'*'" ACTION "action" NAME "name" STRING "string"

%nterm <str> name keyword action resource
%nterm <num> kind target verdict
%nterm <list> stmts levels actions resources strings as_opt with_opt kvs conds
%nterm <stmt> stmt conds_opt
%nterm <level> level
%nterm <cond> cond

%%

file: %empty
    | file item
    ;

item: LET name ASSIGN STRING                  { iam_ix_item_let(ctx, &$2, &$4, &@$); }
    | INCLUDE STRING                          { iam_ix_item_include(ctx, &$2, &@$); }
    | kind name FOR target LBRACE stmts RBRACE { iam_ix_item_policy(ctx, $1, &$2, $4, &@4, $6, &@$); }
    /* Recovery: skip to the policy's '}' and go on with the next item, so
     * one run reports the first syntax error of every policy. */
    | kind name FOR target LBRACE error RBRACE { ctx->recovered = 1; }
    ;

kind: POLICY                                  { $$ = 0; }
    | GUARDRAIL                               { $$ = 1; }
    ;

/* Names: any word, keywords included ("let account = ..."). */
name: NAME | STRING | keyword ;

keyword: LET | INCLUDE | POLICY | GUARDRAIL | FOR | ROLE | USER | BOUNDARY | SCP | RCP | RESOURCE
       | ALLOW | DENY | ON | WHEN | UNLESS | AND | REQUIRE | MFA | EXCLUDE | PRINCIPAL | SERVICE
       | ASSERT | ALLOWS | DENIES | AS | WITH | READ | WRITE | LIST | TAGGING | PERMISSIONS
       | SOURCE | IP | VPC | VPCE | ORG | ACCOUNT | TAG | REQUEST | VIA | SECURE | TRANSPORT ;

target: ROLE                                  { $$ = IAM_IXT_ROLE; }
      | USER                                  { $$ = IAM_IXT_USER; }
      | BOUNDARY                              { $$ = IAM_IXT_BOUNDARY; }
      | SCP                                   { $$ = IAM_IXT_SCP; }
      | RCP                                   { $$ = IAM_IXT_RCP; }
      | RESOURCE                              { $$ = IAM_IXT_RESOURCE; }
      ;

stmts: %empty                                 { $$ = NULL; }
     | stmts stmt                             { $$ = iam_ix_push(ctx, $1, &$2, sizeof $2); }
     ;

stmt: levels ON resources conds_opt           { $$ = iam_ix_stmt_levels(ctx, $1, $3, $4, &@$); }
    | ALLOW actions ON resources conds_opt    { $$ = iam_ix_stmt_rule(ctx, IAM_IXS_ALLOW, $2, $4, $5, &@$); }
    | DENY actions ON resources conds_opt     { $$ = iam_ix_stmt_rule(ctx, IAM_IXS_DENY, $2, $4, $5, &@$); }
    | REQUIRE MFA FOR actions                 { $$ = iam_ix_stmt_rule(ctx, IAM_IXS_REQUIRE_MFA, $4, NULL, NULL, &@$); }
    | EXCLUDE actions                         { $$ = iam_ix_stmt_rule(ctx, IAM_IXS_EXCLUDE, $2, NULL, NULL, &@$); }
    | PRINCIPAL resources                     { $$ = iam_ix_stmt_principal(ctx, 0, $2, &@$); }
    | PRINCIPAL SERVICE strings               { $$ = iam_ix_stmt_principal(ctx, 1, $3, &@$); }
    | ASSERT verdict action ON resource as_opt with_opt
                                              { $$ = iam_ix_stmt_assert(ctx, $2, &$3, &$5, $6, $7, &@$); }
    ;

levels: level                                 { $$ = iam_ix_push(ctx, NULL, &$1, sizeof $1); }
      | levels COMMA level                    { $$ = iam_ix_push(ctx, $1, &$3, sizeof $3); }
      ;

level: READ                                   { $$ = iam_ix_level_of(ctx, 1u << 1, &@$); }
     | WRITE                                  { $$ = iam_ix_level_of(ctx, 1u << 2, &@$); }
     | LIST                                   { $$ = iam_ix_level_of(ctx, 1u << 0, &@$); }
     | TAGGING                                { $$ = iam_ix_level_of(ctx, 1u << 3, &@$); }
     | PERMISSIONS                            { $$ = iam_ix_level_of(ctx, 1u << 4, &@$); }
     ;

actions: action                               { $$ = iam_ix_push(ctx, NULL, &$1, sizeof $1); }
       | actions COMMA action                 { $$ = iam_ix_push(ctx, $1, &$3, sizeof $3); }
       ;

action: ACTION | STAR ;

resources: resource                           { $$ = iam_ix_push(ctx, NULL, &$1, sizeof $1); }
         | resources COMMA resource           { $$ = iam_ix_push(ctx, $1, &$3, sizeof $3); }
         ;

resource: STRING | STAR ;

strings: STRING                               { $$ = iam_ix_push(ctx, NULL, &$1, sizeof $1); }
       | strings COMMA STRING                 { $$ = iam_ix_push(ctx, $1, &$3, sizeof $3); }
       ;

verdict: ALLOWS                               { $$ = 1; }
       | DENIES                               { $$ = 0; }
       ;

as_opt: %empty                                { $$ = NULL; }
      | AS STRING                             { $$ = iam_ix_push(ctx, NULL, &$2, sizeof $2); }
      ;

with_opt: %empty                              { $$ = NULL; }
        | WITH kvs                            { $$ = $2; }
        ;

/* key, value, key, value, ... */
kvs: STRING ASSIGN STRING                     { $$ = iam_ix_push(ctx, iam_ix_push(ctx, NULL, &$1, sizeof $1), &$3, sizeof $3); }
   | kvs COMMA STRING ASSIGN STRING           { $$ = iam_ix_push(ctx, iam_ix_push(ctx, $1, &$3, sizeof $3), &$5, sizeof $5); }
   ;

conds_opt: %empty                             { $$ = NULL; }
         | WHEN conds                         { $$ = iam_ix_conds(ctx, 0, $2); }
         | UNLESS conds                       { $$ = iam_ix_conds(ctx, 1, $2); }
         ;

conds: cond                                   { $$ = iam_ix_push(ctx, NULL, &$1, sizeof $1); }
     | conds AND cond                         { $$ = iam_ix_push(ctx, $1, &$3, sizeof $3); }
     ;

cond: MFA                                     { $$ = iam_ix_cond_of(ctx, IAM_IXC_MFA, NULL, NULL, NULL, &@$); }
    | SOURCE IP strings                       { $$ = iam_ix_cond_of(ctx, IAM_IXC_SOURCE_IP, NULL, NULL, $3, &@$); }
    | SOURCE VPC strings                      { $$ = iam_ix_cond_of(ctx, IAM_IXC_SOURCE_VPC, NULL, NULL, $3, &@$); }
    | SOURCE VPCE strings                     { $$ = iam_ix_cond_of(ctx, IAM_IXC_SOURCE_VPCE, NULL, NULL, $3, &@$); }
    | ORG strings                             { $$ = iam_ix_cond_of(ctx, IAM_IXC_ORG, NULL, NULL, $2, &@$); }
    | ACCOUNT strings                         { $$ = iam_ix_cond_of(ctx, IAM_IXC_ACCOUNT, NULL, NULL, $2, &@$); }
    | RESOURCE ORG strings                    { $$ = iam_ix_cond_of(ctx, IAM_IXC_RESOURCE_ORG, NULL, NULL, $3, &@$); }
    | RESOURCE ACCOUNT strings                { $$ = iam_ix_cond_of(ctx, IAM_IXC_RESOURCE_ACCOUNT, NULL, NULL, $3, &@$); }
    | TAG STRING EQ strings                   { $$ = iam_ix_cond_of(ctx, IAM_IXC_RESOURCE_TAG, NULL, &$2, $4, &@$); }
    | RESOURCE TAG STRING EQ strings          { $$ = iam_ix_cond_of(ctx, IAM_IXC_RESOURCE_TAG, NULL, &$3, $5, &@$); }
    | REQUEST TAG STRING EQ strings           { $$ = iam_ix_cond_of(ctx, IAM_IXC_REQUEST_TAG, NULL, &$3, $5, &@$); }
    | PRINCIPAL TAG STRING EQ strings         { $$ = iam_ix_cond_of(ctx, IAM_IXC_PRINCIPAL_TAG, NULL, &$3, $5, &@$); }
    | VIA strings                             { $$ = iam_ix_cond_of(ctx, IAM_IXC_VIA, NULL, NULL, $2, &@$); }
    | SECURE TRANSPORT                        { $$ = iam_ix_cond_of(ctx, IAM_IXC_SECURE_TRANSPORT, NULL, NULL, NULL, &@$); }
    | PRINCIPAL strings                       { $$ = iam_ix_cond_of(ctx, IAM_IXC_PRINCIPAL, NULL, NULL, $2, &@$); }
    | STRING STRING EQ strings                { $$ = iam_ix_cond_of(ctx, IAM_IXC_RAW, &$1, &$2, $4, &@$); }
    ;

%%

typedef struct sym_group {
    const char *name;
    yysymbol_kind_t members[12];
} sym_group;

/* Token classes named once in "expected ..." lists, so a message reads
 * "expected statement or '}'" instead of listing eleven keywords. */
static const sym_group groups[] = {
    {"statement", {YYSYMBOL_ALLOW, YYSYMBOL_DENY, YYSYMBOL_READ, YYSYMBOL_WRITE, YYSYMBOL_LIST,
                   YYSYMBOL_TAGGING, YYSYMBOL_PERMISSIONS, YYSYMBOL_REQUIRE, YYSYMBOL_EXCLUDE,
                   YYSYMBOL_PRINCIPAL, YYSYMBOL_ASSERT, YYSYMBOL_YYEMPTY}},
    {"condition", {YYSYMBOL_MFA, YYSYMBOL_SOURCE, YYSYMBOL_ORG, YYSYMBOL_ACCOUNT, YYSYMBOL_RESOURCE,
                   YYSYMBOL_TAG, YYSYMBOL_REQUEST, YYSYMBOL_VIA, YYSYMBOL_SECURE, YYSYMBOL_PRINCIPAL,
                   YYSYMBOL_STRING, YYSYMBOL_YYEMPTY}},
    {"access level", {YYSYMBOL_READ, YYSYMBOL_WRITE, YYSYMBOL_LIST, YYSYMBOL_TAGGING,
                      YYSYMBOL_PERMISSIONS, YYSYMBOL_YYEMPTY}},
    {"policy type ('role', 'user', 'boundary', 'scp', 'rcp' or 'resource')",
     {YYSYMBOL_ROLE, YYSYMBOL_USER, YYSYMBOL_BOUNDARY, YYSYMBOL_SCP, YYSYMBOL_RCP,
      YYSYMBOL_RESOURCE, YYSYMBOL_YYEMPTY}},
};

static bool in_group(const sym_group *g, yysymbol_kind_t k)
{
    for (size_t i = 0; g->members[i] != YYSYMBOL_YYEMPTY; i++)
        if (g->members[i] == k)
            return true;
    return false;
}

/* A group applies when every one of its members is expected. */
static bool group_applies(const sym_group *g, const yysymbol_kind_t *exp, int n)
{
    for (size_t i = 0; g->members[i] != YYSYMBOL_YYEMPTY; i++) {
        bool found = false;
        for (int j = 0; j < n && !found; j++)
            found = exp[j] == g->members[i];
        if (!found)
            return false;
    }
    return true;
}

/* "unexpected X, expected Y or Z" from the tokens LAC says could follow. */
static int yyreport_syntax_error(const yypcontext_t *pc, yyscan_t scanner, iam_ixctx *ctx)
{
    (void)scanner;
    enum { MAX = 64 };
    yysymbol_kind_t exp[MAX];
    int n = yypcontext_expected_tokens(pc, exp, MAX);
    if (n > MAX)
        n = MAX;
    const char *names[MAX];
    int k = 0;
    size_t ng = sizeof groups / sizeof *groups;
    bool used[sizeof groups / sizeof *groups];
    for (size_t g = 0; g < ng; g++)
        used[g] = group_applies(&groups[g], exp, n);
    bool said[sizeof groups / sizeof *groups] = {false};
    for (int i = 0; i < n; i++) {
        bool grouped = false;
        for (size_t g = 0; g < ng && !grouped; g++) {
            if (used[g] && in_group(&groups[g], exp[i])) {
                grouped = true;
                if (!said[g])
                    names[k++] = groups[g].name;
                said[g] = true;
            }
        }
        if (!grouped)
            names[k++] = yysymbol_name(exp[i]);
    }
    char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < k && len < sizeof buf; i++) {
        const char *sep = i == 0 ? ", expected " : (i == k - 1 ? " or " : ", ");
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", sep, names[i]);
    }
    yysymbol_kind_t got = yypcontext_token(pc);
    const char *what = got == YYSYMBOL_YYEOF ? "end of input" : yysymbol_name(got);
    /* Names and actions are quoted from the source: "unexpected name 'raed'". */
    const IAM_IX_LTYPE *at = yypcontext_location(pc);
    int tlen = (int)(at->last_off - at->first_off);
    bool quote = (got == YYSYMBOL_NAME || got == YYSYMBOL_ACTION) && tlen > 0 && tlen <= 64;
    iam_diag *g = iam_diag_add(ctx->diags, IAM_R_INTENT_SYNTAX, iam_ix_span(ctx, at), "unexpected %s%s%.*s%s%s",
                               what, quote ? " '" : "", quote ? tlen : 0, quote ? ctx->src->data + at->first_off : "",
                               quote ? "'" : "", buf);
    /* A misspelt keyword ("raed", "unles"): suggest the closest expected one. */
    if (g && got == YYSYMBOL_NAME && tlen > 0 && tlen <= 64) {
        const char *kw[MAX];
        int nk = 0;
        for (int i = 0; i < n; i++) {
            const char *nm = yysymbol_name(exp[i]);
            if (nm[0] == '\'' && nm[1] >= 'a' && nm[1] <= 'z')
                kw[nk++] = nm;
        }
        const char *best = iam_ix_closest_keyword(ctx->src->data + at->first_off, (size_t)tlen, kw, (size_t)nk);
        if (best)
            iam_diag_help(ctx->diags, g, "did you mean %s?", best);
    }
    return 0;
}
