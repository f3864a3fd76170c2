/* test_glob.c - IAM wildcard matching (iam-semantics.md 2.1, 2.3): tables
 * of pattern/text/case, the ARN examples of 2.3, and adversarial shapes
 * that a backtracking matcher would take exponential or quadratic time on. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "params.h"

#include "core/glob.h"

typedef struct gcase {
    const char *pat;
    const char *text;
    bool icase;
    bool want;
} gcase;

static void check_case(const gcase *c)
{
    size_t pl = strlen(c->pat), tl = strlen(c->text);
    bool one = iam_glob_match(c->pat, pl, c->text, tl, c->icase);
    cr_assert_eq(one, c->want, "iam_glob_match(\"%s\", \"%s\", icase=%d) = %d, want %d", c->pat,
                 c->text, c->icase, one, c->want);
    iam_arena *a = iam_arena_new();
    iam_glob *g = iam_glob_compile(a, c->pat, pl, c->icase);
    bool two = iam_glob_exec(g, c->text, tl);
    iam_arena_destroy(a);
    cr_assert_eq(two, c->want, "compiled \"%s\" on \"%s\" (icase=%d) = %d, want %d", c->pat, c->text,
                 c->icase, two, c->want);
}

/* -- '*', '?', anchoring, empty pattern and text, multiple stars -- */
static const gcase basics_cases[] = {
        {"", "", false, true},
        {"", "a", false, false},
        {"a", "", false, false},
        {"*", "", false, true},
        {"*", "anything:at/all", false, true},
        {"**", "", false, true},
        {"***", "abc", false, true},
        {"?", "", false, false},
        {"?", "a", false, true},
        {"?", "ab", false, false},
        {"??", "ab", false, true},
        {"??", "a", false, false},
        {"*?*", "", false, false},
        {"*?*", "x", false, true},
        {"?*", "", false, false},
        {"*?", "xy", false, true},
        {"abc", "abc", false, true},
        {"abc", "abcd", false, false},  /* anchored at the end */
        {"abc", "xabc", false, false},  /* anchored at the start */
        {"bc", "abc", false, false},
        {"a*", "a", false, true},
        {"a*", "ba", false, false},
        {"*a", "ba", false, true},
        {"*a", "ab", false, false},
        {"a*b", "ab", false, true},
        {"a*b", "a-b", false, true},
        {"a*b", "a-b-", false, false},
        {"a*a", "a", false, false},     /* first and last segments cannot overlap */
        {"a*a", "aa", false, true},
        {"ab*ba", "aba", false, false},
        {"ab*ba", "abba", false, true},
        {"a*b*c", "abc", false, true},
        {"a*b*c", "aXXbYYc", false, true},
        {"a*b*c", "acb", false, false},
        {"a*b*c", "abcb", false, false},
        {"*ab*ab*", "abab", false, true},
        {"*ab*ab*", "aba", false, false},
        {"*ab*ab*", "xxabyyabzz", false, true},
        {"a?c", "abc", false, true},
        {"a?c", "ac", false, false},
        {"*a?c*", "xxabcxx", false, true},
        {"*x?z*", "xyyz", false, false},
        {"*a?c", "abcabc", false, true},
        {"*b?d*f", "abcdef", false, true},
        {"*b?d*f", "abcdeg", false, false},
        {"a*?*c", "abc", false, true},
        {"a*?*c", "ac", false, false},
        {"*aab", "aaab", false, true},          /* leftmost-first must not skip the answer */
        {"*aab*", "aaaab", false, true},
        {"*abcabd*", "abcabcabd", false, true}, /* overlapping partial match */
        {"*?ab", "aab", false, true},
        {"*??b", "ab", false, false},
        {"x*y", "x*y", false, true},            /* a '*' in the text is an ordinary character */
        {"x?y", "x?y", false, true},
        {"$", "$", false, true},                /* no escape syntax: '$' is literal */
        {"[ab]", "a", false, false},            /* no character classes */
        {"[ab]", "[ab]", false, true},
        {"a.c", "abc", false, false},           /* '.' is not a regex wildcard */
};
IAM_TABLE_PARAMS(glob, basics, basics_cases)

ParameterizedTest(size_t *i, glob, basics)
{
    check_case(&basics_cases[*i]);
}

/* -- case: icase folds ASCII for actions; exact otherwise -- */
static const gcase case_folding_cases[] = {
        {"s3:GetObject", "s3:getobject", true, true},
        {"s3:GetObject", "s3:getobject", false, false},
        {"S3:get*", "s3:GetObjectAcl", true, true},
        {"S3:get*", "s3:GetObjectAcl", false, false},
        {"iam:*AccessKey*", "iam:CreateAccessKey", false, true},
        {"iam:*accesskey*", "IAM:CreateAccessKey", true, true},
        {"iam:*accesskey*", "iam:CreateAccessKey", false, false},
        {"ec2:Describe?nstances", "EC2:DESCRIBEINSTANCES", true, true},
        {"ec2:Describe?nstances", "ec2:DescribeXnstances", false, true},
        {"*OBJECT", "s3:getobject", true, true},
        {"arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/key", false, false},
        {"arn:aws:s3:::Bucket/*", "arn:aws:s3:::Bucket/key", false, true},
        {"abc", "ABC", true, true},
        {"abc", "ABD", true, false},
        {"\xC3\xA9", "\xC3\x89", true, false}, /* only ASCII letters fold */
        {"a_b", "A_B", true, true},
        {"[", "{", true, false},               /* '[' and '{' differ by 0x20 but are not letters */
        {"@", "`", true, false},
};
IAM_TABLE_PARAMS(glob, case_folding, case_folding_cases)

ParameterizedTest(size_t *i, glob, case_folding)
{
    check_case(&case_folding_cases[*i]);
}

/* -- iam-semantics.md 2.3: the resource field is globbed as a whole, so '*'
 * crosses '/' and ':' -- */
static const gcase arn_resource_examples_cases[] = {
        {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/3/x.jpg", false, true},
        {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b//test/x.jpg", false, true},
        {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/test/", false, true},
        {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/test/x.jpg", false, false},
        {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1-test/x.jpg", false, false},
        {"arn:aws:logs:r:1:log-group:g:*", "arn:aws:logs:r:1:log-group:g:log-stream:s", false, true},
        {"arn:aws:logs:r:1:log-group:g:*", "arn:aws:logs:r:1:log-group:h:log-stream:s", false, false},
        {"arn:aws:svc:*:111122223333:finance/*",
         "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false, true},
        {"arn:aws:s3:::*", "arn:aws:s3:::any-bucket/any/key", false, true},
        {"arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::b/home/${aws:username}/x", false, true},
};
IAM_TABLE_PARAMS(glob, arn_resource_examples, arn_resource_examples_cases)

ParameterizedTest(size_t *i, glob, arn_resource_examples)
{
    check_case(&arn_resource_examples_cases[*i]);
}

Test(glob, is_literal)
{
    iam_arena *a = iam_arena_new();
    cr_assert(iam_glob_is_literal(iam_glob_compile(a, "s3:GetObject", 12, false)));
    cr_assert(iam_glob_is_literal(iam_glob_compile(a, "", 0, false)));
    cr_assert_not(iam_glob_is_literal(iam_glob_compile(a, "s3:Get*", 7, false)));
    cr_assert_not(iam_glob_is_literal(iam_glob_compile(a, "s3:Get?", 7, true)));
    iam_arena_destroy(a);
}

Test(glob, compiled_glob_is_reusable)
{
    iam_arena *a = iam_arena_new();
    iam_glob *g = iam_glob_compile(a, "iam:*AccessKey*", 15, true);
    const char *yes[] = {"iam:CreateAccessKey", "IAM:DELETEACCESSKEY", "iam:accesskey", "iam:UpdateAccessKeys"};
    const char *no[] = {"iam:CreateAccessKe", "sts:CreateAccessKey", "iam:", "iamCreateAccessKey"};
    for (int r = 0; r < 3; r++) {
        for (size_t i = 0; i < 4; i++) {
            cr_assert(iam_glob_exec(g, yes[i], strlen(yes[i])), "%s", yes[i]);
            cr_assert_not(iam_glob_exec(g, no[i], strlen(no[i])), "%s", no[i]);
        }
    }
    iam_arena_destroy(a);
}

Test(glob, text_with_embedded_nul_is_length_delimited)
{
    cr_assert(iam_glob_match("a*c", 3, "a\0bc", 4, false));
    cr_assert(iam_glob_match("a?b", 3, "a\0b", 3, false));
    cr_assert_not(iam_glob_match("ab", 2, "ab\0", 3, false));
}

Test(glob, long_question_mark_segment)
{
    /* '?' segments longer than 64 characters take the fallback scan. */
    char pat[200], text[400];
    size_t pl = 0;
    pat[pl++] = '*';
    for (int i = 0; i < 70; i++)
        pat[pl++] = (i % 7 == 0) ? '?' : (char)('a' + i % 26);
    pat[pl++] = '*';
    pat[pl] = '\0';
    size_t tl = 0;
    for (int i = 0; i < 50; i++)
        text[tl++] = 'z';
    for (int i = 0; i < 70; i++)
        text[tl++] = (i % 7 == 0) ? '#' : (char)('a' + i % 26);
    for (int i = 0; i < 50; i++)
        text[tl++] = 'z';
    text[tl] = '\0';
    cr_assert(iam_glob_match(pat, pl, text, tl, false));
    text[50 + 13] = '!'; /* break one literal character of the segment */
    cr_assert_not(iam_glob_match(pat, pl, text, tl, false));
}

Test(glob, icase_long_text)
{
    /* More than the 512-byte stack buffer used for case folding. */
    size_t n = 5000;
    char *t = malloc(n + 1);
    memset(t, 'A', n);
    memcpy(t + n - 6, "OBJECT", 6);
    t[n] = '\0';
    cr_assert(iam_glob_match("a*object", 8, t, n, true));
    cr_assert_not(iam_glob_match("a*object", 8, t, n, false));
    cr_assert(iam_glob_match("A*OBJECT", 8, t, n, false));
    free(t);
}

/* '?' is "exactly one character" (iam-semantics.md 2.1). Policy text is
 * UTF-8: an S3 key "caf\xC3\xA9" has four characters, so "caf?" must match it. */
Test(glob, question_mark_matches_one_multibyte_character)
{
    cr_assert(iam_glob_match("caf?", 4, "caf\xC3\xA9", 5, false),
              "'?' must match the single character U+00E9 (two UTF-8 bytes)");
    cr_assert(iam_glob_match("b?d", 3, "b\xE6\x97\xA5" "d", 5, false),
              "'?' must match the single character U+65E5 (three UTF-8 bytes)");
    cr_assert_not(iam_glob_match("caf??", 5, "caf\xC3\xA9", 5, false),
                  "two '?' must not match one character");
}

/* -- adversarial shapes: must return quickly and correctly -- */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

Test(glob, adversarial_many_stars_no_match, .timeout = 20)
{
    size_t n = 200000;
    char *t = repeat('a', n);
    const char *p = "*a*a*a*a*a*a*a*b";
    cr_assert_not(iam_glob_match(p, strlen(p), t, n, false));
    cr_assert_not(iam_glob_match(p, strlen(p), t, n, true));
    t[n - 1] = 'b';
    cr_assert(iam_glob_match(p, strlen(p), t, n, false));
    free(t);
}

Test(glob, adversarial_shapes, .timeout = 30)
{
    size_t n = 200000;
    char *t = repeat('a', n);
    /* Long literal middle segment that almost matches everywhere. */
    char *mid = repeat('a', 1000);
    char *p1 = malloc(1000 + 4);
    p1[0] = '*';
    memcpy(p1 + 1, mid, 1000);
    p1[1001] = 'b';
    p1[1002] = '*';
    p1[1003] = '\0';
    cr_assert_not(iam_glob_match(p1, strlen(p1), t, n, false));

    /* Many stars (2,000 segments) that all match. */
    size_t k = 2000;
    char *p2 = malloc(2 * k + 2);
    for (size_t i = 0; i < k; i++) {
        p2[2 * i] = '*';
        p2[2 * i + 1] = 'a';
    }
    p2[2 * k] = '*';
    p2[2 * k + 1] = '\0';
    cr_assert(iam_glob_match(p2, strlen(p2), t, n, false));
    /* ... and the same with a final 'b' that is never there. */
    p2[2 * k] = 'b';
    cr_assert_not(iam_glob_match(p2, strlen(p2), t, n, false));

    /* '?' segments (Shift-And path) that almost match everywhere. */
    const char *p3 = "*a?a?a?a?a?a?a?a?a?a?b*";
    cr_assert_not(iam_glob_match(p3, strlen(p3), t, n, false));
    const char *p4 = "*?*?*?*?*?*?*?*?*?*?*b";
    cr_assert_not(iam_glob_match(p4, strlen(p4), t, n, true));
    const char *p5 = "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab";
    cr_assert_not(iam_glob_match(p5, strlen(p5), t, n, false));

    /* Long '?' segment (fallback scan) near the end. */
    char *p6 = malloc(100 + 4);
    p6[0] = '*';
    memset(p6 + 1, '?', 100);
    p6[101] = 'b';
    p6[102] = '\0';
    cr_assert_not(iam_glob_match(p6, strlen(p6), t, n, false));

    /* Compiled once, executed many times on the adversarial text. */
    iam_arena *a = iam_arena_new();
    iam_glob *g = iam_glob_compile(a, "*a*a*a*a*a*a*a*b", 16, false);
    for (int r = 0; r < 50; r++)
        cr_assert_not(iam_glob_exec(g, t, n));
    iam_arena_destroy(a);
    free(p1);
    free(p2);
    free(p6);
    free(mid);
    free(t);
}

/* -- differential: random patterns against a reference DP matcher -- */

/* O(n*m) dynamic programming reference: '*' any run, '?' one byte. */
static bool ref_match(const char *p, size_t pl, const char *s, size_t sl, bool icase)
{
    bool *prev = calloc(sl + 1, sizeof *prev), *cur = calloc(sl + 1, sizeof *cur);
    prev[0] = true;
    for (size_t i = 1; i <= pl; i++) {
        char pc = p[i - 1];
        cur[0] = prev[0] && pc == '*';
        for (size_t j = 1; j <= sl; j++) {
            char a = pc, b = s[j - 1];
            if (icase) {
                if (a >= 'A' && a <= 'Z')
                    a = (char)(a + 32);
                if (b >= 'A' && b <= 'Z')
                    b = (char)(b + 32);
            }
            if (pc == '*')
                cur[j] = prev[j] || cur[j - 1];
            else
                cur[j] = prev[j - 1] && (pc == '?' || a == b);
        }
        bool *t = prev;
        prev = cur;
        cur = t;
    }
    bool r = prev[sl];
    free(prev);
    free(cur);
    return r;
}

static unsigned long long rng_state = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static void differential(size_t max_pat, size_t max_text, int rounds, const char *palpha, const char *talpha)
{
    char pat[400], text[1200];
    size_t pa = strlen(palpha), ta = strlen(talpha);
    iam_arena *a = iam_arena_new();
    for (int r = 0; r < rounds; r++) {
        size_t pl = rnd((unsigned)max_pat + 1), tl = rnd((unsigned)max_text + 1);
        for (size_t i = 0; i < pl; i++)
            pat[i] = palpha[rnd((unsigned)pa)];
        for (size_t i = 0; i < tl; i++)
            text[i] = talpha[rnd((unsigned)ta)];
        /* Half of the texts are built to match: expand the pattern. */
        if (r % 2) {
            tl = 0;
            for (size_t i = 0; i < pl && tl < max_text; i++) {
                if (pat[i] == '*') {
                    for (unsigned k = rnd(4); k > 0 && tl < max_text; k--)
                        text[tl++] = talpha[rnd((unsigned)ta)];
                } else {
                    text[tl++] = pat[i] == '?' ? talpha[rnd((unsigned)ta)] : pat[i];
                }
            }
        }
        bool icase = rnd(2);
        bool want = ref_match(pat, pl, text, tl, icase);
        bool one = iam_glob_match(pat, pl, text, tl, icase);
        bool two = iam_glob_exec(iam_glob_compile(a, pat, pl, icase), text, tl);
        cr_assert_eq(one, want, "one-shot \"%.*s\" on \"%.*s\" icase=%d: %d, want %d", (int)pl, pat, (int)tl, text,
                     icase, one, want);
        cr_assert_eq(two, want, "compiled \"%.*s\" on \"%.*s\" icase=%d: %d, want %d", (int)pl, pat, (int)tl, text,
                     icase, two, want);
    }
    iam_arena_destroy(a);
}

Test(glob, differential_small_alphabet)
{
    differential(12, 16, 40000, "ab*?", "ab");
}

Test(glob, differential_mixed_case)
{
    differential(16, 24, 20000, "aAbB*?", "abAB");
}

Test(glob, differential_long_segments)
{
    /* '?' segments up to and beyond 64 characters, many stars, texts past
     * the one-shot buffers (256-byte pattern, 1024-byte text, 32 stars). */
    differential(300, 1100, 3000, "aaaaab??*", "ab");
}

Test(glob, differential_many_stars)
{
    differential(80, 120, 5000, "a**?", "ab");
}

/* -- glob.h: "A compiled glob is immutable and safe to share between
 * threads"; the one-shot matcher has no shared state either -- */
typedef struct gthread {
    const iam_glob *g;
    int bad;
} gthread;

static void *glob_worker(void *arg)
{
    gthread *t = arg;
    char text[2000];
    for (int r = 0; r < 3000; r++) {
        size_t n = 100 + (size_t)(r % 1800);
        memset(text, 'a', n);
        memcpy(text + n - 3, r % 2 ? "XbZ" : "XcZ", 3);
        bool want = r % 2;
        t->bad += iam_glob_exec(t->g, text, n) != want;
        t->bad += iam_glob_match("*A?a*xBz", 8, text, n, true) != want;
    }
    return NULL;
}

Test(glob, concurrent_use_of_one_compiled_glob)
{
    iam_arena *a = iam_arena_new();
    const iam_glob *g = iam_glob_compile(a, "*a?a*xbz", 8, true);
    gthread t[4];
    pthread_t id[4];
    for (int i = 0; i < 4; i++) {
        t[i] = (gthread){g, 0};
        cr_assert_eq(pthread_create(&id[i], NULL, glob_worker, &t[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(id[i], NULL);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(t[i].bad, 0, "thread %d saw %d wrong results", i, t[i].bad);
    iam_arena_destroy(a);
}

/* Literal flags: a substituted '*' or '?' is an ordinary character, in the
 * byte matcher, the compiled-free one-shot path and the UTF-8 path. */
Test(glob, literal_flags_keep_wildcards_plain)
{
    const unsigned char star[] = {0, 1, 0}, q[] = {0, 1, 0};
    cr_assert(iam_glob_match_lit("a*b", star, 3, "a*b", 3, false));
    cr_assert_not(iam_glob_match_lit("a*b", star, 3, "axxb", 4, false));
    cr_assert(iam_glob_match_lit("a?b", q, 3, "a?b", 3, false));
    cr_assert_not(iam_glob_match_lit("a?b", q, 3, "axb", 3, false));
    cr_assert_not(iam_glob_match_lit("a?b", q, 3, "a\xc3\xa9" "b", 4, false));
    const unsigned char mix[] = {0, 0, 1, 0, 0};
    cr_assert(iam_glob_match_lit("*x?y?", mix, 5, "\xc3\xa9x?y\xc3\xa9", 7, false));
    cr_assert_not(iam_glob_match_lit("*x?y?", mix, 5, "\xc3\xa9xzy\xc3\xa9", 7, false));
}
