/* text.c - string helpers. */
#include <string.h>

#include "core/text.h"

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

size_t iam_edit_distance_n(const char *a, size_t n, const char *b, size_t m, size_t cap)
{
    if ((n > m ? n - m : m - n) > cap || n > 255 || m > 255)
        return cap + 1;
    size_t row[256];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t v = diag + (lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]));
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        /* Every cell of this row exceeds cap: so will the result. */
        if (best > cap)
            return cap + 1;
    }
    return row[m] > cap ? cap + 1 : row[m];
}

size_t iam_edit_distance(const char *a, const char *b, size_t cap)
{
    return iam_edit_distance_n(a, strlen(a), b, strlen(b), cap);
}

int iam_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
