/* test_strbuf.c - growable string and RFC 8259 string escaping. */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "params.h"

#include "core/strbuf.h"

typedef struct esc_case {
    const char *in;
    size_t len;
    const char *want;
} esc_case;

static const esc_case esc_cases[] = {
        {"", 0, "\"\""},
        {"plain", 5, "\"plain\""},
        {"a\"b", 3, "\"a\\\"b\""},
        {"a\\b", 3, "\"a\\\\b\""},
        {"\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\""},
        {"\x01", 1, "\"\\u0001\""},
        {"\x1f", 1, "\"\\u001f\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        {"\x7f", 1, "\"\x7f\""},                  /* DEL needs no escape */
        {"/", 1, "\"/\""},                        /* solidus left as is */
        {"caf\xC3\xA9 \xF0\x9F\x98\x80", 10, "\"caf\xC3\xA9 \xF0\x9F\x98\x80\""}, /* UTF-8 passes through */
        {"\"\"", 2, "\"\\\"\\\"\""},
        {"x\x0by", 3, "\"x\\u000by\""},
        {"${aws:username}", 15, "\"${aws:username}\""},
};
IAM_TABLE_PARAMS(strbuf, json_escape, esc_cases)

ParameterizedTest(size_t *i, strbuf, json_escape)
{
    const esc_case *c = &esc_cases[*i];
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_json_str(&b, c->in, c->len);
    cr_assert_str_eq(b.s, c->want);
    cr_assert_eq(b.len, strlen(c->want));
    iam_sb_free(&b);
}

Test(strbuf, escape_appends_to_existing_text)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_puts(&b, "{\"k\":");
    iam_sb_json_str(&b, "v\n", 2);
    iam_sb_putc(&b, '}');
    cr_assert_str_eq(b.s, "{\"k\":\"v\\n\"}");
    iam_sb_free(&b);
}

Test(strbuf, escape_long_string_with_many_escapes)
{
    char in[3000];
    for (int i = 0; i < 3000; i++)
        in[i] = (i % 3 == 0) ? '"' : (i % 3 == 1) ? '\x02' : 'z';
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_json_str(&b, in, sizeof in);
    /* 1000 x (\" + \u0002 + z) = 1000 x 9, plus the quotes */
    cr_assert_eq(b.len, 9002);
    cr_assert_eq(strncmp(b.s, "\"\\\"\\u0002z\\\"", 12), 0);
    cr_assert_eq(b.s[b.len - 1], '"');
    cr_assert_eq(strlen(b.s), b.len);
    iam_sb_free(&b);
}

Test(strbuf, add_puts_putc_printf)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_add(&b, "abcdef", 3);
    iam_sb_putc(&b, '-');
    iam_sb_puts(&b, "xyz");
    iam_sb_printf(&b, "[%d:%s]", 42, "q");
    cr_assert_str_eq(b.s, "abc-xyz[42:q]");
    cr_assert_eq(b.len, 13);
    iam_sb_printf(&b, "%s", "");
    cr_assert_str_eq(b.s, "abc-xyz[42:q]");
    cr_assert_eq(b.len, 13);
    iam_sb_free(&b);
    cr_assert_null(b.s);
    cr_assert_eq(b.len, 0);
    cr_assert_eq(b.cap, 0);
}

Test(strbuf, grows_and_stays_terminated)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    for (int i = 0; i < 100000; i++)
        iam_sb_putc(&b, (char)('a' + i % 26));
    cr_assert_eq(b.len, 100000);
    cr_assert_eq(strlen(b.s), 100000);
    cr_assert_eq(b.s[26], 'a');
    cr_assert_geq(b.cap, b.len + 1);
    char big[20000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    iam_sb_printf(&b, "%s!", big);
    cr_assert_eq(b.len, 100000 + 20000);
    cr_assert_eq(b.s[b.len - 1], '!');
    cr_assert_eq(b.s[b.len], '\0');
    iam_sb_free(&b);
}

Test(strbuf, embedded_nul_kept_by_add)
{
    iam_strbuf b = IAM_STRBUF_INIT;
    iam_sb_add(&b, "a\0b", 3);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.s, "a\0b", 4), 0);
    iam_sb_free(&b);
}
