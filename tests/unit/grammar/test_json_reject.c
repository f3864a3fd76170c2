/* test_json_reject.c - every rejection class: exact line:col, rule and
 * message, exactly one diagnostic, no tree; limits reported as input-limit. */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "params.h"

enum { LIM_DEFAULT, LIM_DEPTH3, LIM_STRING5, LIM_FILE10 };

typedef struct rej {
    const char *name;
    const char *text;
    size_t len;          /* 0: strlen(text) */
    unsigned line, col;
    iam_rule_id rule;
    const char *msg;     /* substring of the message */
    int lim;
} rej;

#define SYN IAM_R_JSON_SYNTAX
#define LIMIT IAM_R_INPUT_LIMIT

static const rej rejects[] = {
    /* trailing commas */
    {"trailing comma in array", "[1,]", 0, 1, 4, SYN, "unexpected ']', expected value", 0},
    {"trailing comma in object", "{\"a\":1,}", 0, 1, 8, SYN, "unexpected '}', expected string", 0},
    {"trailing comma multiline", "{\n  \"a\": 1,\n}", 0, 3, 1, SYN, "unexpected '}'", 0},
    {"double comma", "{\n  \"a\": [1,\n    2,,\n  ]\n}", 0, 3, 7, SYN, "unexpected ','", 0},
    {"leading comma", "[,1]", 0, 1, 2, SYN, "unexpected ','", 0},
    /* missing colon / comma, wrong brackets */
    {"missing colon", "{\"a\" 1}", 0, 1, 6, SYN, "unexpected number, expected ':'", 0},
    {"missing colon before string", "{\"a\" \"b\"}", 0, 1, 6, SYN, "unexpected string, expected ':'", 0},
    {"missing comma in array", "[1 2]", 0, 1, 4, SYN, "unexpected number", 0},
    {"missing comma in object", "{\"a\":1 \"b\":2}", 0, 1, 8, SYN, "unexpected string", 0},
    {"colon in array", "[1:2]", 0, 1, 3, SYN, "unexpected ':'", 0},
    {"number as key", "{1:2}", 0, 1, 2, SYN, "unexpected number", 0},
    {"mismatched close", "[}", 0, 1, 2, SYN, "unexpected '}'", 0},
    {"mismatched close 2", "{\"a\":[1}", 0, 1, 8, SYN, "unexpected '}'", 0},
    /* strings */
    {"unterminated string", "\"abc", 0, 1, 1, SYN, "unterminated string", 0},
    {"unterminated string in array", "[\"ab", 0, 1, 2, SYN, "unterminated string", 0},
    {"unterminated value", "{\"a\":\"x", 0, 1, 6, SYN, "unterminated string", 0},
    {"unterminated after backslash", "\"ab\\", 0, 1, 1, SYN, "unterminated string", 0},
    {"tab in string", "\"a\tb\"", 0, 1, 3, SYN, "control character U+0009 in string must be escaped", 0},
    {"newline in string", "[\"a\nb\"]", 0, 1, 4, SYN, "control character U+000A", 0},
    {"U+0001 in string", "\"\x01\"", 0, 1, 2, SYN, "control character U+0001", 0},
    {"U+001F after multibyte", "\"\xC3\xA9\x1f\"", 0, 1, 3, SYN, "control character U+001F", 0},
    {"NUL in string", "\"a\0b\"", 5, 1, 3, SYN, "control character U+0000", 0},
    {"NUL as the last byte", "\"abc\0", 5, 1, 5, SYN, "control character U+0000", 0},
    {"CR in string", "{\"k\": \"a\rb\"}", 0, 1, 9, SYN, "control character U+000D", 0},
    {"newline in key on line 2", "{\n \"ke\ny\": 1}", 0, 2, 5, SYN, "control character U+000A", 0},
    {"invalid escape x", "\"\\x\"", 0, 1, 2, SYN, "invalid escape '\\x'", 0},
    {"invalid escape q later", "[\"ab\\q\"]", 0, 1, 5, SYN, "invalid escape '\\q'", 0},
    {"invalid escape apostrophe", "\"\\'\"", 0, 1, 2, SYN, "invalid escape '\\''", 0},
    {"upper-case U escape", "\"\\U0041\"", 0, 1, 2, SYN, "invalid escape '\\U'", 0},
    {"short u escape", "\"\\u12\"", 0, 1, 2, SYN, "\\u must be followed by four hex digits", 0},
    {"bad hex in u escape", "\"ab\\u12G4\"", 0, 1, 4, SYN, "\\u must be followed by four hex digits", 0},
    {"lone high surrogate", "\"\\ud800\"", 0, 1, 2, SYN, "lone high surrogate \\uD800", 0},
    {"high surrogate then BMP", "\"\\uD83D\\u0041\"", 0, 1, 2, SYN, "lone high surrogate", 0},
    {"two high surrogates", "\"\\ud800\\ud800\"", 0, 1, 2, SYN, "lone high surrogate", 0},
    {"high surrogate then text", "\"x\\udbffyz\"", 0, 1, 3, SYN, "lone high surrogate", 0},
    {"lone low surrogate", "\"x\\udc00\"", 0, 1, 3, SYN, "lone low surrogate \\uDC00", 0},
    {"low then high", "\"\\uDFFF\\uD800\"", 0, 1, 2, SYN, "lone low surrogate", 0},
    /* UTF-8 in strings */
    {"invalid byte FF", "\"\xff\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xFF in string", 0},
    {"lone continuation", "\"ab\x80\"", 0, 1, 4, SYN, "invalid UTF-8 byte 0x80", 0},
    {"overlong 2-byte", "\"\xC0\xAF\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xC0", 0},
    {"overlong C1", "\"\xC1\xBF\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xC1", 0},
    {"overlong 3-byte", "\"\xE0\x80\xAF\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xE0", 0},
    {"overlong 4-byte", "\"\xF0\x80\x80\xAF\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xF0", 0},
    {"surrogate encoded D800", "\"\xED\xA0\x80\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xED", 0},
    {"surrogate encoded DFFF", "\"a\xED\xBF\xBF\"", 0, 1, 3, SYN, "invalid UTF-8 byte 0xED", 0},
    {"above U+10FFFF", "\"\xF4\x90\x80\x80\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xF4", 0},
    {"F5 lead byte", "\"\xF5\x80\x80\x80\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xF5", 0},
    {"truncated 3-byte", "\"\xE2\x82\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xE2", 0},
    {"truncated 2-byte at end", "\"\xC3\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xC3", 0},
    {"bad byte after code points", "\"\xC3\xA9\xE6\x97\xA5\xFF\"", 0, 1, 4, SYN, "invalid UTF-8 byte 0xFF", 0},
    {"bad continuation", "\"\xE6\x41\x41\"", 0, 1, 2, SYN, "invalid UTF-8 byte 0xE6", 0},
    /* bytes outside strings */
    {"byte FF outside string", "[\xff]", 0, 1, 2, SYN, "unexpected byte 0xFF outside a string", 0},
    {"UTF-8 outside string", "[1,\xC3\xA9]", 0, 1, 4, SYN, "unexpected byte 0xC3 outside a string", 0},
    {"BOM", "\xEF\xBB\xBF{}", 0, 1, 1, SYN, "byte order mark is not allowed", 0},
    {"BOM not at start", "[\xEF\xBB\xBF]", 0, 1, 2, SYN, "unexpected byte 0xEF", 0},
    {"control char outside", "[1,\x01]", 0, 1, 4, SYN, "unexpected control character U+0001", 0},
    {"form feed is not whitespace", "\f{}", 0, 1, 1, SYN, "unexpected control character U+000C", 0},
    {"vertical tab", "{\v}", 0, 1, 2, SYN, "unexpected control character U+000B", 0},
    {"DEL outside", "\x7f", 0, 1, 1, SYN, "unexpected control character U+007F", 0},
    {"NUL outside", "[1,\0]", 5, 1, 4, SYN, "unexpected control character U+0000", 0},
    {"stray character", "[1,#]", 0, 1, 4, SYN, "unexpected character '#'", 0},
    /* numbers */
    {"leading zero", "[01]", 0, 1, 2, SYN, "invalid number '01': leading zeros are not allowed", 0},
    {"negative leading zero", "-01", 0, 1, 1, SYN, "leading zeros are not allowed", 0},
    {"double zero", "{\"a\":00}", 0, 1, 6, SYN, "invalid number '00'", 0},
    {"dot end", "[1.]", 0, 1, 2, SYN, "a digit must follow '.'", 0},
    {"dot start", "[.5]", 0, 1, 2, SYN, "a digit must come before '.'", 0},
    {"minus dot", "[-.5]", 0, 1, 2, SYN, "a digit must come before '.'", 0},
    {"plus", "[+1]", 0, 1, 2, SYN, "a leading '+' is not allowed", 0},
    {"empty exponent", "[1e]", 0, 1, 2, SYN, "the exponent needs digits", 0},
    {"exponent sign only", "[1E+]", 0, 1, 2, SYN, "the exponent needs digits", 0},
    {"minus only", "[-]", 0, 1, 2, SYN, "a digit is expected", 0},
    {"hex", "[0x1F]", 0, 1, 2, SYN, "unexpected characters after the number", 0},
    {"two dots", "[1.5.2]", 0, 1, 2, SYN, "invalid number '1.5.2'", 0},
    {"negative infinity", "[-Infinity]", 0, 1, 2, SYN, "invalid number '-Infinity'", 0},
    {"number in later line", "[1,\n 2,\n 3e]", 0, 3, 2, SYN, "invalid number '3e'", 0},
    /* bare words */
    {"True", "[True]", 0, 1, 2, SYN, "invalid literal 'True' (expected true, false or null)", 0},
    {"unquoted key", "{a:1}", 0, 1, 2, SYN, "invalid literal 'a'", 0},
    {"NaN", "NaN", 0, 1, 1, SYN, "invalid literal 'NaN'", 0},
    {"nul", "[nul]", 0, 1, 2, SYN, "invalid literal 'nul'", 0},
    {"truex", "[truex]", 0, 1, 2, SYN, "invalid literal 'truex'", 0},
    {"undefined", "{\"a\": undefined}", 0, 1, 7, SYN, "invalid literal 'undefined'", 0},
    /* comments, quotes */
    {"block comment", "/* c */ {}", 0, 1, 1, SYN, "comments are not allowed in JSON", 0},
    {"line comment after value", "{} // x", 0, 1, 4, SYN, "comments are not allowed", 0},
    {"comment on its own line", "{\n// x\n}", 0, 2, 1, SYN, "comments are not allowed", 0},
    {"comment in array", "[1 /*x*/]", 0, 1, 4, SYN, "comments are not allowed", 0},
    {"single-quoted key", "{'a': 1}", 0, 1, 2, SYN, "single quotes are not JSON; use double quotes", 0},
    {"single-quoted value", "[\"a\", 'x']", 0, 1, 7, SYN, "single quotes are not JSON", 0},
    /* empty input, extra data */
    /* end of input: reported just past the last character */
    {"empty input", "", 0, 1, 1, SYN, "unexpected end of input, expected value", 0},
    {"whitespace only", "  \n ", 0, 2, 2, SYN, "unexpected end of input, expected value", 0},
    {"unclosed object", "{\"a\":1", 0, 1, 7, SYN, "unexpected end of input, expected '}' or ','", 0},
    {"lone open brace", "{", 0, 1, 2, SYN, "unexpected end of input", 0},
    {"unclosed array after newline", "[1,\n", 0, 2, 1, SYN, "unexpected end of input, expected value", 0},
    {"key without value", "{\"\xC3\xA9\":", 0, 1, 6, SYN, "unexpected end of input, expected value", 0},
    {"extra object", "{} {}", 0, 1, 4, SYN, "unexpected '{', expected end of input", 0},
    {"extra number", "[1] 2", 0, 1, 5, SYN, "unexpected number, expected end of input", 0},
    {"extra string", "\"a\" \"b\"", 0, 1, 5, SYN, "unexpected string, expected end of input", 0},
    {"extra close", "{\"a\":1}}", 0, 1, 8, SYN, "unexpected '}', expected end of input", 0},
    {"extra word", "{}x", 0, 1, 3, SYN, "invalid literal 'x'", 0},
    {"extra on next line", "{}\n\n  ,", 0, 3, 3, SYN, "unexpected ','", 0},
    /* limits */
    {"depth limit arrays", "[[[[1]]]]", 0, 1, 4, LIMIT, "nesting deeper than 3 levels", LIM_DEPTH3},
    {"depth limit objects", "{\"a\":{\"b\":{\"c\":{}}}}", 0, 1, 16, LIMIT, "nesting deeper than 3 levels", LIM_DEPTH3},
    {"depth limit mixed", "[{\"a\":[\n[]]}]", 0, 2, 1, LIMIT, "nesting deeper than 3 levels", LIM_DEPTH3},
    {"string limit", "[\"abcdef\"]", 0, 1, 2, LIMIT, "string longer than 5 bytes", LIM_STRING5},
    {"key limit", "{\"abcdef\":1}", 0, 1, 2, LIMIT, "string longer than 5 bytes", LIM_STRING5},
    {"file limit", "[1,2,3,4,5]", 0, 1, 1, LIMIT, "input is 11 bytes, more than the limit of 10", LIM_FILE10},
};

IAM_TABLE_PARAMS(json_reject, cases, rejects)

ParameterizedTest(size_t *i, json_reject, cases)
{
    const rej *c = &rejects[*i];
    iam_json_limits lim = iam_json_default_limits;
    if (c->lim == LIM_DEPTH3)
        lim.max_depth = 3;
    else if (c->lim == LIM_STRING5)
        lim.max_string = 5;
    else if (c->lim == LIM_FILE10)
        lim.max_file = 10;
    jrun r;
    jparse_n(&r, c->text, c->len ? c->len : strlen(c->text), &lim);
    iam_status want = c->rule == LIMIT ? IAM_ERR_LIMIT : IAM_ERR_SYNTAX;
    cr_assert_eq(r.st, want, "[%s] status %d, want %d", c->name, r.st, want);
    cr_assert_null(r.root, "[%s] no tree on failure", c->name);
    cr_assert_eq(r.d.n, 1, "[%s] exactly one diagnostic, got %zu%s%s", c->name, r.d.n,
                 r.d.n > 1 ? ": second is " : "", r.d.n > 1 ? r.d.v[1].msg : "");
    const iam_diag *g = &r.d.v[0];
    cr_assert_eq(g->rule, c->rule, "[%s] rule %s, want %s", c->name, iam_rule(g->rule)->name,
                 iam_rule(c->rule)->name);
    cr_assert_eq(g->sev, IAM_SEV_ERROR, "[%s]", c->name);
    cr_assert(strstr(g->msg, c->msg), "[%s] message \"%s\" lacks \"%s\"", c->name, g->msg, c->msg);
    cr_assert(g->span.line == c->line && g->span.col == c->col, "[%s] at %u:%u, want %u:%u (%s)",
              c->name, g->span.line, g->span.col, c->line, c->col, g->msg);
    cr_assert_eq(g->span.src, r.src, "[%s] the span names the source", c->name);
    jfree(&r);
}

Test(json_reject, default_depth_limit_129)
{
    char t[400];
    memset(t, '[', 129);
    memset(t + 129, ']', 129);
    t[258] = '\0';
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_ERR_LIMIT);
    cr_assert_eq(r.d.n, 1);
    cr_assert_eq(r.d.v[0].rule, IAM_R_INPUT_LIMIT);
    cr_assert_eq(r.d.v[0].span.col, 129);
    cr_assert(strstr(r.d.v[0].msg, "nesting deeper than 128 levels"));
    jfree(&r);
}

Test(json_reject, deep_unclosed_input_does_not_crash)
{
    size_t n = 100000;
    char *t = malloc(n + 1);
    memset(t, '[', n);
    t[n] = '\0';
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_ERR_LIMIT);
    cr_assert_eq(r.d.n, 1);
    cr_assert_eq(r.d.v[0].span.col, 129);
    jfree(&r);
    free(t);
}

Test(json_reject, string_limit_boundary)
{
    iam_json_limits lim = iam_json_default_limits;
    lim.max_string = 5;
    jrun r;
    jparse_n(&r, "\"abcde\"", 7, &lim);
    cr_assert_eq(r.st, IAM_OK);
    jfree(&r);
    jparse_n(&r, "\"abcdef\"", 8, &lim);
    cr_assert_eq(r.st, IAM_ERR_LIMIT);
    cr_assert_eq(r.d.v[0].span.col, 1);
    cr_assert_eq(r.d.v[0].span.end_col, 9);
    jfree(&r);
}

Test(json_reject, file_limit_boundary)
{
    iam_json_limits lim = iam_json_default_limits;
    lim.max_file = 11;
    jrun r;
    jparse_n(&r, "[1,2,3,4,5]", 11, &lim);
    cr_assert_eq(r.st, IAM_OK);
    jfree(&r);
    lim.max_file = 0; /* 0 = no limit */
    jparse_n(&r, "[1,2,3,4,5]", 11, &lim);
    cr_assert_eq(r.st, IAM_OK);
    jfree(&r);
}

Test(json_reject, null_limits_mean_defaults)
{
    jrun r;
    jparse_n(&r, "[[1]]", 5, NULL);
    cr_assert_eq(r.st, IAM_OK);
    jfree(&r);
}

Test(json_reject, error_span_of_invalid_escape)
{
    /* the span covers the two characters of the escape */
    jrun r;
    jparse(&r, "[\"\xC3\xA9\\x\"]");
    cr_assert_eq(r.d.n, 1);
    cr_assert_eq(r.d.v[0].span.col, 4);
    cr_assert_eq(r.d.v[0].span.end_col, 6);
    cr_assert_eq(r.d.v[0].span.off, 4);
    cr_assert_eq(r.d.v[0].span.end_off, 6);
    jfree(&r);
}

Test(json_reject, error_span_of_lone_surrogate)
{
    jrun r;
    jparse(&r, "\"ab\\uD800\"");
    cr_assert_eq(r.d.n, 1);
    cr_assert_eq(r.d.v[0].span.col, 4);
    cr_assert_eq(r.d.v[0].span.end_col, 10, "the span covers the six characters of \\uD800");
    jfree(&r);
}

/* json.c promises "the bytes are unchanged after the call": Flex's in-place
 * scanning must not leave its NUL sentinel in the source when the parse
 * stops at an error (excerpts and later parses read these bytes). */
Test(json_reject, source_bytes_unchanged_after_error)
{
    const char *texts[] = {"{\"a\" 1}", "['a']", "// x\n{}", "[1,]", "{\"a\":1}}", "[1 2]", "{\"a\" \"b\"}"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        jrun r;
        jparse(&r, texts[i]);
        cr_assert_neq(r.st, IAM_OK);
        size_t n = strlen(texts[i]);
        for (size_t k = 0; k < n; k++)
            cr_assert_eq(r.src->data[k], texts[i][k], "input %s: byte %zu changed from '%c' to 0x%02X", texts[i],
                         k, texts[i][k], (unsigned char)r.src->data[k]);
        jfree(&r);
    }
}

Test(json_reject, reparse_after_error_gives_same_error)
{
    jrun r;
    jparse(&r, "{\"a\" 1}");
    iam_json *again = NULL;
    iam_diags d2;
    iam_diags_init(&d2);
    cr_assert_eq(iam_json_parse(r.a, r.src, NULL, &d2, &again), IAM_ERR_SYNTAX);
    cr_assert_eq(d2.n, 1);
    cr_assert_str_eq(d2.v[0].msg, r.d.v[0].msg);
    cr_assert_eq(d2.v[0].span.col, r.d.v[0].span.col);
    iam_diags_fini(&d2);
    jfree(&r);
}
