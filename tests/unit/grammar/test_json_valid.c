/* test_json_valid.c - accepted documents: tree shape, exact spans (columns
 * in code points), decoded strings, numbers as source text, duplicate keys
 * with both spans, and limits that are not exceeded. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

TestSuite(json);

Test(json, scalars_at_top_level)
{
    struct {
        const char *text;
        iam_json_kind kind;
    } t[] = {{"true", IAM_JSON_BOOL}, {"false", IAM_JSON_BOOL}, {"null", IAM_JSON_NULL},
             {"0", IAM_JSON_NUMBER}, {"\"\"", IAM_JSON_STRING}, {"[]", IAM_JSON_ARRAY},
             {"{}", IAM_JSON_OBJECT}, {" \t\r\n 7 \n", IAM_JSON_NUMBER}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        jrun r;
        jparse(&r, t[i].text);
        cr_assert_eq(r.st, IAM_OK, "%s", t[i].text);
        cr_assert_eq(r.d.n, 0);
        cr_assert_not_null(r.root);
        cr_assert_eq(r.root->kind, t[i].kind, "%s", t[i].text);
        jfree(&r);
    }
    jrun r;
    jparse(&r, "true");
    cr_assert(r.root->u.b);
    jfree(&r);
    jparse(&r, "false");
    cr_assert_not(r.root->u.b);
    jfree(&r);
}

Test(json, object_spans_single_line)
{
    /*        1234567890123456789012345678901 */
    jrun r;
    jparse(&r, "{\"Effect\": \"Allow\", \"n\": 12}");
    cr_assert_eq(r.st, IAM_OK);
    const iam_json *o = r.root;
    cr_assert_eq(o->kind, IAM_JSON_OBJECT);
    cr_assert_eq(o->u.obj.n, 2);
    assert_span(o->span, 1, 1, 1, 29, 0, 28);
    const iam_json_member *m = &o->u.obj.v[0];
    cr_assert_str_eq(m->key, "Effect");
    cr_assert_eq(m->key_len, 6);
    assert_span(m->key_span, 1, 2, 1, 10, 1, 9);
    cr_assert_eq(m->value->kind, IAM_JSON_STRING);
    cr_assert_str_eq(m->value->u.str.s, "Allow");
    assert_span(m->value->span, 1, 12, 1, 19, 11, 18);
    m = &o->u.obj.v[1];
    assert_span(m->key_span, 1, 21, 1, 24, 20, 23);
    assert_span(m->value->span, 1, 26, 1, 28, 25, 27);
    cr_assert_eq(o->span.src, r.src);
    jfree(&r);
}

Test(json, spans_across_lines)
{
    const char *t = "{\n"
                    "  \"Statement\": [\n"
                    "    {\"Sid\": \"A\"},\n"
                    "    true\n"
                    "  ]\n"
                    "}\n";
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_OK);
    assert_span(r.root->span, 1, 1, 6, 2, 0, strlen(t) - 1);
    const iam_json_member *st = &r.root->u.obj.v[0];
    assert_span(st->key_span, 2, 3, 2, 14, 4, 15);
    const iam_json *arr = st->value;
    cr_assert_eq(arr->kind, IAM_JSON_ARRAY);
    cr_assert_eq(arr->u.arr.n, 2);
    /* '[' at 2:16 (offset 17) to ']' at 5:3 (offset 48) */
    assert_span(arr->span, 2, 16, 5, 4, 17, 49);
    const iam_json *s0 = arr->u.arr.v[0];
    assert_span(s0->span, 3, 5, 3, 17, 23, 35);
    assert_span(s0->u.obj.v[0].key_span, 3, 6, 3, 11, 24, 29);
    assert_span(s0->u.obj.v[0].value->span, 3, 13, 3, 16, 31, 34);
    assert_span(arr->u.arr.v[1]->span, 4, 5, 4, 9, 41, 45);
    jfree(&r);
}

Test(json, columns_count_code_points)
{
    /* "é" is 2 bytes, "日本" 6 bytes, U+1F600 4 bytes: columns advance by
     * one per code point, offsets by bytes. */
    const char *t = "{\"\xC3\xA9\": \"\xE6\x97\xA5\xE6\x9C\xAC\", \"k\": [\"\xF0\x9F\x98\x80\", 1]}";
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_OK);
    const iam_json_member *m = &r.root->u.obj.v[0];
    cr_assert_eq(m->key_len, 2);
    cr_assert_str_eq(m->key, "\xC3\xA9");
    assert_span(m->key_span, 1, 2, 1, 5, 1, 5);
    assert_span(m->value->span, 1, 7, 1, 11, 7, 15);
    cr_assert_eq(m->value->u.str.len, 6);
    m = &r.root->u.obj.v[1];
    assert_span(m->key_span, 1, 13, 1, 16, 17, 20);
    const iam_json *a = m->value;
    assert_span(a->span, 1, 18, 1, 26, 22, 33);
    assert_span(a->u.arr.v[0]->span, 1, 19, 1, 22, 23, 29);
    assert_span(a->u.arr.v[1]->span, 1, 24, 1, 25, 31, 32);
    assert_span(r.root->span, 1, 1, 1, 27, 0, 34);
    jfree(&r);
}

Test(json, crlf_and_tabs)
{
    /* CR is whitespace; a tab is one column. */
    jrun r;
    jparse(&r, "{\r\n\t\"a\":\t1\r\n}");
    cr_assert_eq(r.st, IAM_OK);
    assert_span(r.root->u.obj.v[0].key_span, 2, 2, 2, 5, 4, 7);
    assert_span(r.root->u.obj.v[0].value->span, 2, 7, 2, 8, 9, 10);
    assert_span(r.root->span, 1, 1, 3, 2, 0, 13);
    jfree(&r);
}

Test(json, escapes_decoded)
{
    jrun r;
    jparse(&r, "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u0041\\u00e9\\u65E5\", \"\\ud83d\\ude00\", \"a\\u0000b\", "
               "\"\\uDBFF\\uDFFF\", \"\\u007f\\u0080\\u07FF\\u0800\\uFFFF\"]");
    cr_assert_eq(r.st, IAM_OK);
    const iam_json *a = r.root;
    cr_assert_eq(a->u.arr.n, 6);
    cr_assert_eq(a->u.arr.v[0]->u.str.len, 8);
    cr_assert_eq(memcmp(a->u.arr.v[0]->u.str.s, "\"\\/\b\f\n\r\t", 8), 0);
    cr_assert_str_eq(a->u.arr.v[1]->u.str.s, "A\xC3\xA9\xE6\x97\xA5");
    cr_assert_eq(a->u.arr.v[1]->u.str.len, 6);
    cr_assert_str_eq(a->u.arr.v[2]->u.str.s, "\xF0\x9F\x98\x80");
    cr_assert_eq(a->u.arr.v[2]->u.str.len, 4);
    cr_assert_eq(a->u.arr.v[3]->u.str.len, 3);
    cr_assert_eq(memcmp(a->u.arr.v[3]->u.str.s, "a\0b", 4), 0);
    cr_assert_str_eq(a->u.arr.v[4]->u.str.s, "\xF4\x8F\xBF\xBF");
    cr_assert_str_eq(a->u.arr.v[5]->u.str.s, "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF");
    /* the span covers the escaped source text */
    assert_span(a->u.arr.v[2]->span, 1, 44, 1, 58, 43, 57);
    jfree(&r);
}

Test(json, escaped_key_decoded_and_get)
{
    jrun r;
    jparse(&r, "{\"Eff\\u0065ct\": \"Deny\"}");
    cr_assert_eq(r.st, IAM_OK);
    const iam_json_member *m = iam_json_get(r.root, "Effect");
    cr_assert_not_null(m);
    cr_assert_str_eq(m->value->u.str.s, "Deny");
    assert_span(m->key_span, 1, 2, 1, 15, 1, 14);
    cr_assert_null(iam_json_get(r.root, "effect"), "lookups are case-sensitive");
    cr_assert_null(iam_json_get(r.root->u.obj.v[0].value, "Effect"), "not an object");
    jfree(&r);
}

Test(json, raw_utf8_and_del_allowed_in_strings)
{
    jrun r;
    jparse(&r, "\"\x7F \xC2\x80 \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF\"");
    cr_assert_eq(r.st, IAM_OK, "%s", r.d.n ? r.d.v[0].msg : "");
    cr_assert_eq(r.root->u.str.len, 26);
    jfree(&r);
}

Test(json, numbers_kept_as_source_text)
{
    const char *nums[] = {"0", "-0", "12", "-12", "0.5", "-0.5e+10", "1E3", "1e-7", "2.50",
                          "123456789012345678901234567890", "1.0E+00"};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        char buf[80];
        snprintf(buf, sizeof buf, "[%s]", nums[i]);
        jrun r;
        jparse(&r, buf);
        cr_assert_eq(r.st, IAM_OK, "%s: %s", nums[i], r.d.n ? r.d.v[0].msg : "");
        const iam_json *n = r.root->u.arr.v[0];
        cr_assert_eq(n->kind, IAM_JSON_NUMBER);
        cr_assert_str_eq(n->u.str.s, nums[i]);
        cr_assert_eq(n->u.str.len, strlen(nums[i]));
        assert_span(n->span, 1, 2, 1, 2 + strlen(nums[i]), 1, 1 + strlen(nums[i]));
        jfree(&r);
    }
}

Test(json, nested_arrays_and_objects)
{
    jrun r;
    jparse(&r, "{\"a\":[[],{},[{\"b\":[null]}]],\"c\":{}}");
    cr_assert_eq(r.st, IAM_OK);
    const iam_json *a = iam_json_get(r.root, "a")->value;
    cr_assert_eq(a->u.arr.n, 3);
    cr_assert_eq(a->u.arr.v[0]->kind, IAM_JSON_ARRAY);
    cr_assert_eq(a->u.arr.v[0]->u.arr.n, 0);
    cr_assert_eq(a->u.arr.v[1]->kind, IAM_JSON_OBJECT);
    cr_assert_eq(a->u.arr.v[1]->u.obj.n, 0);
    const iam_json *b = iam_json_get(a->u.arr.v[2]->u.arr.v[0], "b")->value;
    cr_assert_eq(b->u.arr.v[0]->kind, IAM_JSON_NULL);
    assert_span(b->u.arr.v[0]->span, 1, 20, 1, 24, 19, 23);
    jfree(&r);
}

Test(json, large_array_keeps_order)
{
    size_t n = 5000;
    char *t = malloc(n * 8 + 4);
    size_t k = 0;
    t[k++] = '[';
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(t + k, "%s%zu", i ? "," : "", i);
    t[k++] = ']';
    t[k] = '\0';
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_OK);
    cr_assert_eq(r.root->u.arr.n, n);
    for (size_t i = 0; i < n; i += 499) {
        char want[16];
        sprintf(want, "%zu", i);
        cr_assert_str_eq(r.root->u.arr.v[i]->u.str.s, want);
    }
    jfree(&r);
    free(t);
}

Test(json, duplicate_key_small_object)
{
    /*           1234567890123456789 */
    jrun r;
    jparse(&r, "{\"a\":1,\"b\":2,\"a\":3}");
    cr_assert_eq(r.st, IAM_OK, "duplicates are reported but do not fail the parse");
    cr_assert_eq(r.d.n, 1);
    const iam_diag *g = &r.d.v[0];
    cr_assert_eq(g->rule, IAM_R_DUPLICATE_KEY);
    cr_assert_eq(g->sev, IAM_SEV_ERROR);
    cr_assert(strstr(g->msg, "duplicate key 'a'"), "%s", g->msg);
    assert_span(g->span, 1, 14, 1, 17, 13, 16);
    cr_assert_eq(g->nrelated, 1);
    assert_span(g->related[0].span, 1, 2, 1, 5, 1, 4);
    /* kept in source order, lookups return the last */
    cr_assert_eq(r.root->u.obj.n, 3);
    cr_assert_str_eq(iam_json_get(r.root, "a")->value->u.str.s, "3");
    jfree(&r);
}

Test(json, duplicate_key_three_times_and_nested)
{
    jrun r;
    jparse(&r, "{\"k\":1,\"k\":2,\"k\":3,\"o\":{\"x\":1,\"x\":2}}");
    cr_assert_eq(r.st, IAM_OK);
    iam_diags_sort(&r.d);
    cr_assert_eq(r.d.n, 3);
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(r.d.v[i].rule, IAM_R_DUPLICATE_KEY);
        cr_assert_eq(r.d.v[i].nrelated, 1);
        cr_assert_eq(r.d.v[i].related[0].span.col, 2, "each repeat points at the first definition");
    }
    cr_assert_eq(r.d.v[0].span.col, 8);
    cr_assert_eq(r.d.v[1].span.col, 14);
    cr_assert_eq(r.d.v[2].span.col, 31);
    cr_assert_eq(r.d.v[2].related[0].span.col, 25);
    jfree(&r);
}

Test(json, duplicate_key_large_object)
{
    /* More than 16 members takes the sorted path; report both spans too. */
    char t[2048];
    size_t k = 0;
    t[k++] = '{';
    for (int i = 0; i < 30; i++)
        k += (size_t)sprintf(t + k, "%s\"k%02d\":%d", i ? "," : "", i, i);
    k += (size_t)sprintf(t + k, ",\"k07\":true,\"k29\":false,\"k07\":null}");
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_OK);
    iam_diags_sort(&r.d);
    cr_assert_eq(r.d.n, 3);
    /* member i starts at column 2 + i*8 ("\"kNN\":N," is 8 chars for i < 10) */
    const char *k07 = strstr(t, "\"k07\"");
    const char *k07b = strstr(k07 + 1, "\"k07\"");
    const char *k07c = strstr(k07b + 1, "\"k07\"");
    const char *k29 = strstr(t, "\"k29\"");
    const char *k29b = strstr(k29 + 1, "\"k29\"");
    cr_assert_eq(r.d.v[0].span.off, (size_t)(k07b - t));
    cr_assert_eq(r.d.v[0].span.col, (uint32_t)(k07b - t) + 1);
    cr_assert_eq(r.d.v[0].span.end_off, (size_t)(k07b - t) + 5);
    cr_assert_eq(r.d.v[0].related[0].span.off, (size_t)(k07 - t));
    cr_assert(strstr(r.d.v[0].msg, "'k07'"));
    cr_assert_eq(r.d.v[1].span.off, (size_t)(k29b - t));
    cr_assert_eq(r.d.v[1].related[0].span.off, (size_t)(k29 - t));
    cr_assert(strstr(r.d.v[1].msg, "'k29'"));
    cr_assert_eq(r.d.v[2].span.off, (size_t)(k07c - t));
    cr_assert_eq(r.d.v[2].related[0].span.off, (size_t)(k07 - t));
    cr_assert_eq(r.root->u.obj.n, 33);
    cr_assert_eq(iam_json_get(r.root, "k07")->value->kind, IAM_JSON_NULL);
    jfree(&r);
}

Test(json, keys_differing_in_case_or_escape_form)
{
    jrun r;
    /* "A" vs "a": different keys; "\u0061" decodes to "a": a duplicate. */
    jparse(&r, "{\"a\":1,\"A\":2,\"\\u0061\":3}");
    cr_assert_eq(r.st, IAM_OK);
    cr_assert_eq(r.d.n, 1);
    cr_assert_eq(r.d.v[0].span.col, 14);
    cr_assert_eq(r.d.v[0].related[0].span.col, 2);
    jfree(&r);
}

Test(json, limits_at_the_boundary_are_accepted)
{
    iam_json_limits lim = {.max_depth = 3, .max_string = 5, .max_file = 22};
    jrun r;
    jparse_n(&r, "[[[\"abcde\"]], \"12345\"]", 22, &lim);
    cr_assert_eq(r.st, IAM_OK, "%s", r.d.n ? r.d.v[0].msg : "");
    cr_assert_eq(r.d.n, 0);
    jfree(&r);
}

Test(json, default_depth_128_accepted)
{
    char t[300];
    memset(t, '[', 128);
    memset(t + 128, ']', 128);
    t[256] = '\0';
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_OK);
    jfree(&r);
}

Test(json, default_limits_constants)
{
    cr_assert_eq(iam_json_default_limits.max_depth, 128);
    cr_assert_eq(iam_json_default_limits.max_string, 1u << 20);
    cr_assert_eq(iam_json_default_limits.max_file, 64u << 20);
}

/* json.h: max_string is "bytes of one decoded string". A string whose
 * escapes decode to no more than the limit must be accepted. */
Test(json, string_limit_counts_decoded_bytes)
{
    iam_json_limits lim = iam_json_default_limits;
    lim.max_string = 4;
    jrun r;
    /* 12 source bytes, 4 decoded bytes (one U+1F600) */
    jparse_n(&r, "\"\\ud83d\\ude00\"", 14, &lim);
    cr_assert_eq(r.st, IAM_OK, "decoded length 4 <= limit 4, got: %s", r.d.n ? r.d.v[0].msg : "");
    jfree(&r);
    /* "\u00e9\u00e9" decodes to 4 bytes */
    jparse_n(&r, "\"\\u00e9\\u00e9\"", 14, &lim);
    cr_assert_eq(r.st, IAM_OK, "decoded length 4 <= limit 4, got: %s", r.d.n ? r.d.v[0].msg : "");
    jfree(&r);
}

Test(json, source_bytes_unchanged_after_success)
{
    const char *t = "{\"a\": [1, \"x\", true]} ";
    jrun r;
    jparse(&r, t);
    cr_assert_eq(r.st, IAM_OK);
    cr_assert_eq(memcmp(r.src->data, t, strlen(t) + 1), 0);
    cr_assert_eq(r.src->data[strlen(t) + 1], '\0');
    jfree(&r);
}

Test(json, kind_names)
{
    cr_assert_str_eq(iam_json_kind_name(IAM_JSON_NULL), "null");
    cr_assert_str_eq(iam_json_kind_name(IAM_JSON_BOOL), "boolean");
    cr_assert_str_eq(iam_json_kind_name(IAM_JSON_NUMBER), "number");
    cr_assert_str_eq(iam_json_kind_name(IAM_JSON_STRING), "string");
    cr_assert_str_eq(iam_json_kind_name(IAM_JSON_ARRAY), "array");
    cr_assert_str_eq(iam_json_kind_name(IAM_JSON_OBJECT), "object");
}

Test(json, parse_is_repeatable_on_one_source)
{
    /* No global state: two parses of the same source give the same tree. */
    jrun r;
    jparse(&r, "{\"x\": [1, 2]}");
    iam_json *second = NULL;
    cr_assert_eq(iam_json_parse(r.a, r.src, NULL, &r.d, &second), IAM_OK);
    cr_assert_neq(second, r.root);
    cr_assert_eq(second->u.obj.n, 1);
    assert_span(second->u.obj.v[0].value->span, 1, 7, 1, 13, 6, 12);
    jfree(&r);
}

/* json.h: "Thread-safe: no global state" - parse different documents on
 * several threads at once, each with its own arena and sink. */
typedef struct pthr {
    int id;
    int bad;
} pthr;

static void *parse_worker(void *arg)
{
    pthr *t = arg;
    char text[256];
    for (int r = 0; r < 300; r++) {
        int k = t->id * 1000 + r;
        int good = r % 3 != 0;
        if (good)
            snprintf(text, sizeof text, "{\"k%d\": [%d, \"s%d\", {\"n\": null}]}", k, k, k);
        else
            snprintf(text, sizeof text, "{\"k%d\": [%d,, 1]}", k, k);
        iam_arena *a = iam_arena_new();
        iam_source *src = iam_source_from_mem("t.json", text, strlen(text));
        iam_diags d;
        iam_diags_init(&d);
        iam_json *root = NULL;
        iam_status st = iam_json_parse(a, src, NULL, &d, &root);
        if (good) {
            char key[16];
            snprintf(key, sizeof key, "k%d", k);
            const iam_json_member *m = st == IAM_OK ? iam_json_get(root, key) : NULL;
            t->bad += !m || m->value->u.arr.n != 3 || d.n != 0;
        } else {
            /* the second comma: after "{"kN": [N," */
            char prefix[64];
            int col = snprintf(prefix, sizeof prefix, "{\"k%d\": [%d,", k, k) + 1;
            t->bad += st != IAM_ERR_SYNTAX || d.n != 1 || d.v[0].span.col != (uint32_t)col;
        }
        iam_diags_fini(&d);
        iam_source_free(src);
        iam_arena_destroy(a);
    }
    return NULL;
}

Test(json, concurrent_parses)
{
    pthr t[4];
    pthread_t id[4];
    for (int i = 0; i < 4; i++) {
        t[i] = (pthr){i + 1, 0};
        cr_assert_eq(pthread_create(&id[i], NULL, parse_worker, &t[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(id[i], NULL);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(t[i].bad, 0, "thread %d: %d wrong results", i, t[i].bad);
}
