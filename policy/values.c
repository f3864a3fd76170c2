/* values.c - shape checks for condition values, principals and policy
 * variables. Pure functions over strings; the evaluator has its own
 * parsers that produce values, these only say whether a text fits. */
#include <ctype.h>
#include <string.h>

#include "policy/values.h"

bool iam_value_is_number(const char *s, size_t n)
{
    /* Integers and decimals, optional sign; no exponent (AWS takes none). */
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < n && isdigit((unsigned char)s[i]))
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    return digits > 0 && i == n;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* Two digits at s within [lo, hi]. */
static bool two(const char *s, int lo, int hi)
{
    if (!digits(s, 2))
        return false;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v >= lo && v <= hi;
}

/* Days in the month of "YYYY-MM..." (Gregorian leap years). */
static int days_in_month(const char *s)
{
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* W3C ISO 8601 profile: YYYY, YYYY-MM, YYYY-MM-DD, and with
 * Thh:mm[:ss[.s+]](Z|+hh:mm|-hh:mm); or epoch seconds. */
bool iam_value_is_date(const char *s, size_t n)
{
    if (digits(s, n))
        return true; /* epoch seconds */
    if (n < 4 || !digits(s, 4))
        return false;
    size_t i = 4;
    if (i == n)
        return true;
    if (s[i] != '-' || n < i + 3 || !two(s + i + 1, 1, 12))
        return false;
    i += 3;
    if (i == n)
        return true;
    if (s[i] != '-' || n < i + 3 || !two(s + i + 1, 1, days_in_month(s)))
        return false;
    i += 3;
    if (i == n)
        return true;
    if (s[i] != 'T' && s[i] != 't')
        return false;
    i++;
    if (n < i + 5 || !two(s + i, 0, 23) || s[i + 2] != ':' || !two(s + i + 3, 0, 59))
        return false;
    i += 5;
    if (i < n && s[i] == ':') {
        if (n < i + 3 || !two(s + i + 1, 0, 60))
            return false;
        i += 3;
        if (i < n && s[i] == '.') {
            size_t k = ++i;
            while (i < n && isdigit((unsigned char)s[i]))
                i++;
            if (i == k)
                return false;
        }
    }
    if (i == n)
        return true; /* local time: accepted by AWS as UTC */
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
        return true;
    if ((s[i] == '+' || s[i] == '-') && n == i + 6 && two(s + i + 1, 0, 23) && s[i + 3] == ':' &&
        two(s + i + 4, 0, 59))
        return true;
    return false;
}

bool iam_value_is_bool(const char *s, size_t n)
{
    static const char t[] = "true", f[] = "false";
    if (n == 4) {
        for (size_t i = 0; i < 4; i++)
            if (tolower((unsigned char)s[i]) != t[i])
                return false;
        return true;
    }
    if (n == 5) {
        for (size_t i = 0; i < 5; i++)
            if (tolower((unsigned char)s[i]) != f[i])
                return false;
        return true;
    }
    return false;
}

static bool ipv4(const char *s, size_t n)
{
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        size_t k = i;
        unsigned v = 0;
        while (i < n && isdigit((unsigned char)s[i]) && i - k < 3)
            v = v * 10 + (unsigned)(s[i++] - '0');
        if (i == k || v > 255)
            return false;
        parts++;
        if (parts < 4) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
    }
    return i == n;
}

static bool ipv6(const char *s, size_t n)
{
    int groups = 0, dbl = 0;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        dbl = 1;
        i = 2;
        if (i == n)
            return true;
    } else if (n && s[0] == ':') {
        return false;
    }
    while (i < n) {
        size_t k = i;
        while (i < n && isxdigit((unsigned char)s[i]) && i - k < 4)
            i++;
        if (i == k)
            return false;
        if (i < n && s[i] == '.') /* embedded IPv4 tail: two groups' worth */
            return ipv4(s + k, n - k) && (dbl ? groups + 2 <= 7 : groups + 2 == 8);
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < n && s[i] == ':') {
            if (dbl)
                return false;
            dbl = 1;
            i++;
            if (i == n)
                break;
        } else if (i == n) {
            return false;
        }
    }
    return dbl ? groups <= 7 : groups == 8;
}

bool iam_value_is_cidr(const char *s, size_t n)
{
    const char *slash = memchr(s, '/', n);
    size_t an = slash ? (size_t)(slash - s) : n;
    bool v6 = memchr(s, ':', an) != NULL;
    if (!(v6 ? ipv6(s, an) : ipv4(s, an)))
        return false;
    if (!slash)
        return true;
    size_t pl = n - an - 1;
    if (!digits(slash + 1, pl) || pl > 3)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < pl; i++)
        v = v * 10 + (unsigned)(slash[1 + i] - '0');
    return v <= (v6 ? 128u : 32u);
}

bool iam_value_is_base64(const char *s, size_t n)
{
    if (n % 4)
        return false;
    size_t pad = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad || !(isalnum((unsigned char)c) || c == '+' || c == '/'))
            return false;
    }
    return pad <= 2;
}

/* Validates every ${...} in s. Returns NULL when fine, else a static
 * description and *at = byte offset of the problem. */
const char *iam_check_variables(const char *s, size_t n, size_t *at)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '$' || s[i + 1] != '{')
            continue;
        *at = i;
        const char *close = memchr(s + i + 2, '}', n - i - 2);
        if (!close)
            return "policy variable without a closing '}'";
        size_t bn = (size_t)(close - (s + i + 2));
        const char *b = s + i + 2;
        if (bn == 0)
            return "empty policy variable '${}'";
        if (bn == 1 && (b[0] == '*' || b[0] == '?' || b[0] == '$')) {
            i = (size_t)(close - s);
            continue;
        }
        const char *comma = memchr(b, ',', bn);
        size_t kn = comma ? (size_t)(comma - b) : bn;
        for (size_t k = 0; k < kn; k++)
            if (isspace((unsigned char)b[k]) || b[k] == '$' || b[k] == '{')
                return "policy variable names cannot contain spaces, '$' or '{'";
        if (kn == 0)
            return "policy variable without a key name";
        if (comma) {
            /* exactly ", 'default'" */
            size_t rest = bn - kn;
            if (rest < 4 || comma[1] != ' ' || comma[2] != '\'' || b[bn - 1] != '\'')
                return "a default must be written exactly as ${key, 'default'}";
            if (memchr(comma + 3, '\'', (size_t)(b + bn - 1 - (comma + 3))))
                return "a default value cannot contain a single quote";
        }
        i = (size_t)(close - s);
    }
    return NULL;
}

bool iam_has_variable(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '$' && s[i + 1] == '{')
            return true;
    return false;
}
