/* baseline.h - accepted findings, so CI fails only on new ones.
 *
 * A baseline is a JSON file ({"version":1,"findings":[{"fingerprint",
 * "rule","file","message"}...]}) written by --write-baseline from the
 * findings of a run (fingerprints from report/ iam_diags_fingerprint, which
 * ignore line numbers, so unrelated edits keep them). --baseline FILE drops
 * every finding whose fingerprint is listed. Format: docs/config.md. */
#ifndef IAM_ANALYZER_BASELINE_H
#define IAM_ANALYZER_BASELINE_H
#include <stddef.h>

#include "core/diag.h"

typedef struct iam_baseline iam_baseline;

/* On error: IAM_ERR_IO / IAM_ERR_SYNTAX, *out = NULL and located
 * input-error diagnostics in errs (renderable after the call: their spans
 * point at a copy of the file kept in errs' arena). Unknown keys, a
 * version other than 1 and malformed fingerprints are errors. */
iam_status iam_baseline_load(const char *path, iam_diags *errs, iam_baseline **out);
void iam_baseline_free(iam_baseline *b);
/* Number of distinct fingerprints in b (0 for NULL). */
size_t iam_baseline_size(const iam_baseline *b);
/* Remove from d the diagnostics whose fingerprint is in b (fingerprints
 * must be filled); returns how many were removed. */
size_t iam_baseline_apply(const iam_baseline *b, iam_diags *d);
/* Write every fingerprinted diagnostic of d (atomically: temp file +
 * rename), sorted by fingerprint, one finding per line, duplicates once.
 * 0 or -1 + err (static text). */
int iam_baseline_write(const char *path, const iam_diags *d, const char **err);

#endif
