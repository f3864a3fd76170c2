/* policy.y - RFC 8259 JSON grammar producing a located tree (json.h).
 * Pure, reentrant, located; actions are one-line calls into ast_build.c. */
%require "3.6"
%define api.pure full
%define api.prefix {iam_pj_}
%define api.token.prefix {TOK_}
%define api.location.type {iam_pj_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {iam_pctx *ctx}
%expect 0

%code requires {
#include "grammar/internal.h"
typedef void *yyscan_t;
}

%code provides {
#define YY_DECL int iam_pj_lex(IAM_PJ_STYPE *yylval_param, IAM_PJ_LTYPE *yylloc_param, yyscan_t yyscanner)
YY_DECL;
}

%code {
#include <stdio.h>

/* Only reached on parser stack exhaustion (yyparse returns 2). */
static void iam_pj_error(IAM_PJ_LTYPE *loc, yyscan_t scanner, iam_pctx *ctx, const char *msg)
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
    iam_json *node;
    iam_pj_list *list;
    iam_json_member member;
}

%token END 0 "end of input"
%token LBRACE "'{'" RBRACE "'}'" LBRACKET "'['" RBRACKET "']'" COLON "':'" COMMA "','"
%token <node> STRING "string" NUMBER "number" TRUE "true" FALSE "false" NULL "null"
%nterm <node> value object array
%nterm <list> members elements
%nterm <member> member

%%

document: value                  { ctx->root = $1; }
        ;

value: object | array | STRING | NUMBER | TRUE | FALSE | NULL ;

object: LBRACE RBRACE            { $$ = iam_pj_object(ctx, NULL, &@$); }
      | LBRACE members RBRACE    { $$ = iam_pj_object(ctx, $2, &@$); }
      ;

members: member                  { $$ = iam_pj_list_push(ctx, NULL, &$1, sizeof $1); }
       | members COMMA member    { $$ = iam_pj_list_push(ctx, $1, &$3, sizeof $3); }
       ;

member: STRING COLON value       { $$ = iam_pj_member(ctx, $1, $3); }
      ;

array: LBRACKET RBRACKET         { $$ = iam_pj_array(ctx, NULL, &@$); }
     | LBRACKET elements RBRACKET { $$ = iam_pj_array(ctx, $2, &@$); }
     ;

elements: value                  { $$ = iam_pj_list_push(ctx, NULL, &$1, sizeof $1); }
        | elements COMMA value   { $$ = iam_pj_list_push(ctx, $1, &$3, sizeof $3); }
        ;

%%

static bool starts_value(yysymbol_kind_t k)
{
    return k == YYSYMBOL_STRING || k == YYSYMBOL_NUMBER || k == YYSYMBOL_TRUE ||
           k == YYSYMBOL_FALSE || k == YYSYMBOL_NULL || k == YYSYMBOL_LBRACE ||
           k == YYSYMBOL_LBRACKET;
}

/* "unexpected X, expected Y or Z": the tokens LAC says could follow; the
 * seven tokens that can start a value are named once, as "value". */
static int yyreport_syntax_error(const yypcontext_t *pc, yyscan_t scanner, iam_pctx *ctx)
{
    (void)scanner;
    enum { MAX = 16 };
    yysymbol_kind_t exp[MAX];
    int n = yypcontext_expected_tokens(pc, exp, MAX);
    const char *names[MAX];
    int k = 0;
    bool any_value = false;
    for (int i = 0; i < n && i < MAX; i++)
        any_value |= exp[i] == YYSYMBOL_NUMBER;
    bool said_value = false;
    for (int i = 0; i < n && i < MAX; i++) {
        if (any_value && starts_value(exp[i])) {
            if (!said_value)
                names[k++] = "value";
            said_value = true;
            continue;
        }
        names[k++] = yysymbol_name(exp[i]);
    }
    char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < k && len < sizeof buf; i++) {
        const char *sep = i == 0 ? ", expected " : (i == k - 1 ? " or " : ", ");
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", sep, names[i]);
    }
    yysymbol_kind_t got = yypcontext_token(pc);
    const char *what = got == YYSYMBOL_YYEOF ? "end of input" : yysymbol_name(got);
    iam_diag_add(ctx->diags, IAM_R_JSON_SYNTAX, iam_pj_span(ctx, yypcontext_location(pc)),
                 "unexpected %s%s", what, buf);
    return 0;
}
