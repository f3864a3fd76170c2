/* internal.h - helpers shared by the writers (not part of the report API). */
#ifndef IAM_REPORT_INTERNAL_H
#define IAM_REPORT_INTERNAL_H
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "core/strbuf.h"
#include "report/report.h"

/* Byte length of the UTF-8 sequence at s[0..n), or 0 when it is invalid
 * (overlong, surrogate, out of range, truncated). n must be > 0. */
size_t rp_utf8_len(const unsigned char *s, size_t n);
/* Append s with invalid UTF-8 replaced by U+FFFD (JSON strings must be
 * valid UTF-8; cJSON copies bytes as they are). */
void rp_utf8_clean(iam_strbuf *b, const char *s);
/* cJSON string from s after rp_utf8_clean; s may be NULL (gives JSON null). */
cJSON *rp_json_str(const char *s);

/* File name of a diagnostic's span, or NULL when it has none. */
const char *rp_path(const iam_span *sp);

/* Print root pretty with two-space indentation and a final newline.
 * Returns 0, or -1 on a write error. Consumes nothing. */
int rp_json_emit(FILE *out, const cJSON *root);

/* Fingerprint of each diagnostic (existing ones kept): fp[i] holds
 * IAM_FINGERPRINT_LEN hex digits + NUL. Caller frees the array. */
typedef char rp_fp[IAM_FINGERPRINT_LEN + 1];
rp_fp *rp_fingerprints(const iam_diags *d);

#endif
