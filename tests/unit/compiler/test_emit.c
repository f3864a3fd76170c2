/* test_emit.c - the canonical emitter: key order, layout, escapes, numbers,
 * idempotence. Expected outputs are exact strings: they are the format
 * docs/fmt.md promises. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/emit.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"
#include "core/strbuf.h"
#include "grammar/json.h"

/* Parse `in` (len bytes) and emit it with opts; malloc'ed result, or NULL
 * when the parser rejects the input. */
static char *emit_mem(const char *in, size_t len, const iam_emit_opts *opts)
{
    iam_source *src = iam_source_from_mem("test.json", in, len);
    iam_arena *a = iam_arena_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    char *res = NULL;
    if (iam_json_parse(a, src, &iam_json_default_limits, &d, &root) == IAM_OK && root) {
        iam_strbuf b = IAM_STRBUF_INIT;
        iam_emit_json(&b, root, opts);
        res = b.s ? b.s : iam_xstrdup("");
    }
    iam_diags_fini(&d);
    iam_arena_destroy(a);
    iam_source_free(src);
    return res;
}

static char *emit_str(const char *in, const iam_emit_opts *opts)
{
    return emit_mem(in, strlen(in), opts);
}

/* fmt(in) == want, and fmt(want) == want (a fixpoint). */
static void check_fmt(const char *in, const char *want)
{
    char *got = emit_str(in, NULL);
    cr_assert_not_null(got, "parse failed: %s", in);
    cr_expect_str_eq(got, want);
    char *again = emit_str(got, NULL);
    cr_assert_not_null(again);
    cr_expect_str_eq(again, got, "not idempotent");
    free(got);
    free(again);
}

/* ---- key order ---------------------------------------------------------- */

Test(emit, document_keys_in_canonical_order)
{
    check_fmt("{\"Statement\":[],\"Id\":\"x\",\"Version\":\"2012-10-17\"}",
              "{\n"
              "  \"Version\": \"2012-10-17\",\n"
              "  \"Id\": \"x\",\n"
              "  \"Statement\": []\n"
              "}\n");
}

Test(emit, statement_keys_in_canonical_order)
{
    check_fmt("{\"Statement\":[{\"Condition\":{},\"NotResource\":\"a\",\"Resource\":\"b\","
              "\"NotAction\":\"c\",\"Action\":\"d\",\"NotPrincipal\":\"*\",\"Principal\":\"*\","
              "\"Effect\":\"Allow\",\"Sid\":\"S\"}]}",
              "{\n"
              "  \"Statement\": [\n"
              "    {\n"
              "      \"Sid\": \"S\",\n"
              "      \"Effect\": \"Allow\",\n"
              "      \"Principal\": \"*\",\n"
              "      \"NotPrincipal\": \"*\",\n"
              "      \"Action\": \"d\",\n"
              "      \"NotAction\": \"c\",\n"
              "      \"Resource\": \"b\",\n"
              "      \"NotResource\": \"a\",\n"
              "      \"Condition\": {}\n"
              "    }\n"
              "  ]\n"
              "}\n");
}

Test(emit, statement_object_is_a_statement)
{
    check_fmt("{\"Statement\":{\"Resource\":\"*\",\"Effect\":\"Deny\"},\"Version\":\"2012-10-17\"}",
              "{\n"
              "  \"Version\": \"2012-10-17\",\n"
              "  \"Statement\": {\n"
              "    \"Effect\": \"Deny\",\n"
              "    \"Resource\": \"*\"\n"
              "  }\n"
              "}\n");
}

Test(emit, principal_map_order)
{
    check_fmt("{\"Statement\":{\"Principal\":{\"Service\":\"s\",\"Federated\":\"f\","
              "\"CanonicalUser\":\"c\",\"AWS\":\"a\"},"
              "\"NotPrincipal\":{\"Service\":\"s\",\"AWS\":[\"2\",\"1\"]}}}",
              "{\n"
              "  \"Statement\": {\n"
              "    \"Principal\": {\n"
              "      \"AWS\": \"a\",\n"
              "      \"CanonicalUser\": \"c\",\n"
              "      \"Federated\": \"f\",\n"
              "      \"Service\": \"s\"\n"
              "    },\n"
              "    \"NotPrincipal\": {\n"
              "      \"AWS\": [\n"
              "        \"2\",\n"
              "        \"1\"\n"
              "      ],\n"
              "      \"Service\": \"s\"\n"
              "    }\n"
              "  }\n"
              "}\n");
}

Test(emit, unknown_keys_follow_known_in_source_order)
{
    check_fmt("{\"Zeta\":1,\"Statement\":[],\"alpha\":2,\"version\":3,\"Version\":\"2012-10-17\"}",
              "{\n"
              "  \"Version\": \"2012-10-17\",\n"
              "  \"Statement\": [],\n"
              "  \"Zeta\": 1,\n"
              "  \"alpha\": 2,\n"
              "  \"version\": 3\n"
              "}\n");
}

Test(emit, element_names_only_ordered_where_they_belong)
{
    /* Statement keys at the top level and policy keys under an unknown
     * element are plain unknown keys: source order. */
    check_fmt("{\"Effect\":\"Allow\",\"Version\":\"v\",\"Extra\":{\"Version\":1,\"Action\":2,"
              "\"Effect\":3}}",
              "{\n"
              "  \"Version\": \"v\",\n"
              "  \"Effect\": \"Allow\",\n"
              "  \"Extra\": {\n"
              "    \"Version\": 1,\n"
              "    \"Action\": 2,\n"
              "    \"Effect\": 3\n"
              "  }\n"
              "}\n");
}

Test(emit, condition_operators_and_keys_keep_source_order)
{
    check_fmt("{\"Statement\":[{\"Effect\":\"Allow\",\"Condition\":{"
              "\"StringLike\":{\"s3:prefix\":[\"b/*\",\"a/*\"],\"aws:PrincipalTag/x\":\"y\"},"
              "\"Bool\":{\"aws:SecureTransport\":true},"
              "\"ForAnyValue:StringEquals\":{\"Version\":\"Effect\",\"Action\":\"Sid\"}},"
              "\"Action\":\"s3:ListBucket\"}]}",
              "{\n"
              "  \"Statement\": [\n"
              "    {\n"
              "      \"Effect\": \"Allow\",\n"
              "      \"Action\": \"s3:ListBucket\",\n"
              "      \"Condition\": {\n"
              "        \"StringLike\": {\n"
              "          \"s3:prefix\": [\n"
              "            \"b/*\",\n"
              "            \"a/*\"\n"
              "          ],\n"
              "          \"aws:PrincipalTag/x\": \"y\"\n"
              "        },\n"
              "        \"Bool\": {\n"
              "          \"aws:SecureTransport\": true\n"
              "        },\n"
              "        \"ForAnyValue:StringEquals\": {\n"
              "          \"Version\": \"Effect\",\n"
              "          \"Action\": \"Sid\"\n"
              "        }\n"
              "      }\n"
              "    }\n"
              "  ]\n"
              "}\n");
}

Test(emit, duplicate_keys_kept_in_source_order)
{
    check_fmt("{\"Statement\":{\"Action\":\"a\",\"Effect\":\"Deny\",\"Sid\":\"1\",\"Effect\":\"Allow\"}}",
              "{\n"
              "  \"Statement\": {\n"
              "    \"Sid\": \"1\",\n"
              "    \"Effect\": \"Deny\",\n"
              "    \"Effect\": \"Allow\",\n"
              "    \"Action\": \"a\"\n"
              "  }\n"
              "}\n");
}

Test(emit, many_members_sorted_stably)
{
    /* More than the emitter's on-stack buffer of 16 members. */
    iam_strbuf in = IAM_STRBUF_INIT, want = IAM_STRBUF_INIT;
    iam_sb_puts(&in, "{\"Statement\":{");
    for (int i = 0; i < 20; i++)
        iam_sb_printf(&in, "\"k%02d\":%d,", i, i);
    iam_sb_puts(&in, "\"Effect\":\"Allow\",\"Sid\":\"x\"}}");
    iam_sb_puts(&want, "{\n  \"Statement\": {\n    \"Sid\": \"x\",\n    \"Effect\": \"Allow\"");
    for (int i = 0; i < 20; i++)
        iam_sb_printf(&want, ",\n    \"k%02d\": %d", i, i);
    iam_sb_puts(&want, "\n  }\n}\n");
    check_fmt(in.s, want.s);
    iam_sb_free(&in);
    iam_sb_free(&want);
}

/* ---- layout ------------------------------------------------------------- */

Test(emit, arrays_keep_order_one_element_per_line)
{
    check_fmt("[3,1,[],{},[2,[1]],\"b\",\"a\"]",
              "[\n"
              "  3,\n"
              "  1,\n"
              "  [],\n"
              "  {},\n"
              "  [\n"
              "    2,\n"
              "    [\n"
              "      1\n"
              "    ]\n"
              "  ],\n"
              "  \"b\",\n"
              "  \"a\"\n"
              "]\n");
}

Test(emit, top_level_scalars)
{
    check_fmt("\"x\"", "\"x\"\n");
    check_fmt(" 12 ", "12\n");
    check_fmt("true", "true\n");
    check_fmt("false", "false\n");
    check_fmt("null", "null\n");
    check_fmt("{}", "{}\n");
    check_fmt("[]", "[]\n");
}

Test(emit, whitespace_and_crlf_normalised)
{
    check_fmt("\r\n\t{ \"Version\" :\r\n \"2012-10-17\" ,\"Statement\":[ ] }\r\n\r\n",
              "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n");
}

Test(emit, compact_form)
{
    char *got = emit_str("{ \"Statement\" : [ { \"Action\" : [ \"a\" , \"b\" ] , \"Effect\" : "
                         "\"Allow\" } ] , \"Version\" : \"2012-10-17\" }",
                         &iam_emit_compact);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          "\"Action\":[\"a\",\"b\"]}]}");
    free(got);
}

Test(emit, indent_four_and_source_order_without_schema)
{
    iam_emit_opts o = {4, false, NULL};
    char *got = emit_str("{\"Statement\":[{\"Action\":\"a\",\"Effect\":\"Allow\"}],\"Version\":\"v\"}",
                         &o);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "{\n"
                          "    \"Statement\": [\n"
                          "        {\n"
                          "            \"Action\": \"a\",\n"
                          "            \"Effect\": \"Allow\"\n"
                          "        }\n"
                          "    ],\n"
                          "    \"Version\": \"v\"\n"
                          "}");
    free(got);
}

Test(emit, indent_is_capped)
{
    iam_emit_opts o = {1000, true, NULL};
    char *got = emit_str("[1]", &o);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "[\n                1\n]\n");
    free(got);
}

/* ---- scalars ------------------------------------------------------------ */

Test(emit, numbers_keep_source_text)
{
    check_fmt("[1.0,-0,1E+3,2e-7,-12.50,123456789012345678901234567890,0.1e1]",
              "[\n  1.0,\n  -0,\n  1E+3,\n  2e-7,\n  -12.50,\n"
              "  123456789012345678901234567890,\n  0.1e1\n]\n");
}

Test(emit, strings_reescaped_minimally)
{
    /* \/ and \u0041 need no escape; controls do; DEL does not. */
    check_fmt("\"\\/\\u0041\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001F\\u007f\"",
              "\"/A\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"\n");
}

Test(emit, non_ascii_kept_as_utf8)
{
    check_fmt("[\"\\u00e9\",\"\\u20AC\",\"\\uD83D\\uDE00\",\"\\u2028\",\"\\uFFFF\",\"h\xc3\xa9\"]",
              "[\n  \"\xc3\xa9\",\n  \"\xe2\x82\xac\",\n  \"\xf0\x9f\x98\x80\",\n"
              "  \"\xe2\x80\xa8\",\n  \"\xef\xbf\xbf\",\n  \"h\xc3\xa9\"\n]\n");
}

Test(emit, nul_in_strings_and_keys)
{
    char *got = emit_str("{\"a\\u0000b\":\"c\\u0000\"}", NULL);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "{\n  \"a\\u0000b\": \"c\\u0000\"\n}\n");
    free(got);
}

Test(emit, escaped_element_names_are_still_elements)
{
    /* "\u0056ersion" decodes to Version: the parser decodes keys, so the
     * emitter orders by meaning, not spelling. */
    check_fmt("{\"Statement\":[],\"\\u0056ersion\":\"2012-10-17\"}",
              "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n");
}

/* ---- trees built by hand (no parser) ------------------------------------ */

static iam_json *mk(iam_arena *a, iam_json_kind k)
{
    iam_json *v = iam_arena_alloc(a, sizeof *v);
    v->kind = k;
    return v;
}

static iam_json *mk_str(iam_arena *a, const char *s, size_t n)
{
    iam_json *v = mk(a, IAM_JSON_STRING);
    v->u.str.s = iam_arena_strndup(a, s, n);
    v->u.str.len = n;
    return v;
}

Test(emit, hand_built_tree)
{
    iam_arena *a = iam_arena_new();
    iam_json *arr = mk(a, IAM_JSON_ARRAY);
    arr->u.arr.n = 3;
    arr->u.arr.v = iam_arena_alloc(a, 3 * sizeof *arr->u.arr.v);
    arr->u.arr.v[0] = mk_str(a, "x\x1f\x7fy", 4);
    arr->u.arr.v[1] = mk(a, IAM_JSON_BOOL);
    arr->u.arr.v[1]->u.b = true;
    arr->u.arr.v[2] = mk(a, IAM_JSON_NULL);
    iam_json *obj = mk(a, IAM_JSON_OBJECT);
    obj->u.obj.n = 2;
    obj->u.obj.v = iam_arena_alloc(a, 2 * sizeof *obj->u.obj.v);
    obj->u.obj.v[0] = (iam_json_member){"Statement", 9, {0}, arr};
    obj->u.obj.v[1] = (iam_json_member){"Id", 2, {0}, mk_str(a, "", 0)};
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, ">");   /* the emitter appends */
    iam_emit_json(&b, obj, &iam_emit_compact);
    cr_expect_str_eq(b.s, ">{\"Id\":\"\",\"Statement\":[\"x\\u001f\x7fy\",true,null]}");
    iam_sb_free(&b);
    iam_arena_destroy(a);
}

/* ---- idempotence over messy inputs -------------------------------------- */

Test(emit, idempotent_on_messy_policies)
{
    static const char *const inputs[] = {
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\","
        "\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::b/*\"}]}",
        "  {\"Statement\" : {\"Effect\":\"Deny\" , \"NotAction\":\"iam:*\",\"Resource\":[],"
        "\"Condition\":{\"Null\":{\"aws:MultiFactorAuthAge\":\"true\"}}},\"X\":[[],[{}]]}\n\n",
        "[{\"Version\":\"2008-10-17\"},{\"Id\":1e9},\"\\ud800\\udc00\"]",
        "{\"Statement\":[{\"Principal\":{\"Service\":[\"b\",\"a\"],\"Other\":1,\"AWS\":\"*\"}}]}",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char *once = emit_str(inputs[i], NULL);
        cr_assert_not_null(once, "input %zu did not parse", i);
        char *twice = emit_str(once, NULL);
        cr_assert_not_null(twice);
        cr_expect_str_eq(twice, once, "input %zu", i);
        iam_emit_opts compact = iam_emit_compact;
        char *c1 = emit_str(once, &compact);
        char *c2 = emit_str(c1, &compact);
        cr_expect_str_eq(c1, c2, "compact, input %zu", i);
        free(once);
        free(twice);
        free(c1);
        free(c2);
    }
}
