/* report.h - render diagnostics as text, JSON or SARIF 2.1.0.
 *
 * Writers only render: they never sort, filter or decide the exit code.
 * Callers sort first (iam_diags_sort) so output is deterministic, and may
 * call iam_diags_fingerprint so baselines see the same fingerprints the
 * writers print (writers compute missing ones on the fly, identically).
 * Formats, field names and the summary wording are a stable contract:
 * docs/output.md documents them and tests/golden pins them.
 *
 * Ownership: writers borrow everything. A writer reads source lines through
 * iam_source_line, which builds a source's line index lazily: don't run two
 * writers over the same sources on different threads.
 * Paths are printed exactly as the source names them (iam_source.path), so
 * relative inputs give machine-independent output. */
#ifndef IAM_REPORT_REPORT_H
#define IAM_REPORT_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/diag.h"

/* Facts about one run that the summary line and the json/sarif headers need. */
typedef struct iam_run {
    const char *tool_version;   /* "0.1.0"; iam_run_init sets the build's version */
    size_t files;               /* input files read (including unreadable ones) */
    size_t policies;            /* policy documents decoded */
    double seconds;             /* wall time of the run */
    bool timing;                /* print seconds; false for reproducible output */
    bool color;                 /* ANSI colour in text output */
    const char *fail_on;        /* severity name of the --fail-on threshold, or NULL */
} iam_run;

/* Zero *r, set tool_version to the build's version, fail_on to "warning",
 * and timing on unless the environment has IAMPC_NO_TIMING set (non-empty):
 * golden tests set it so the summary line is byte-stable. */
void iam_run_init(iam_run *r);

/* Returns 0, or -1 when writing to out failed (ferror). */
typedef int (*iam_write_fn)(FILE *out, const iam_run *run, const iam_diags *d);

typedef struct iam_writer {
    const char *name;           /* "text" | "json" | "sarif" */
    iam_write_fn write;
} iam_writer;

/* The writer table, in help order, ended by {NULL, NULL}. */
extern const iam_writer iam_writers[];
/* The same names, NULL-terminated (for iam_cli_format). */
extern const char *const iam_writer_names[];
/* Writer by name, or NULL. */
const iam_writer *iam_writer_find(const char *name);

int iam_write_text(FILE *out, const iam_run *run, const iam_diags *d);
int iam_write_json(FILE *out, const iam_run *run, const iam_diags *d);
int iam_write_sarif(FILE *out, const iam_run *run, const iam_diags *d);

/* Count diagnostics by effective severity. */
void iam_report_counts(const iam_diags *d, size_t counts[IAM_SEV_COUNT]);

/* Fingerprints: 16 lowercase hex digits identifying a finding across runs.
 * The hash covers the rule name, the file path (less a leading "./"), the
 * text on the span's first line (whitespace-collapsed, at most 512 bytes;
 * the trimmed source line for an empty span) and the occurrence number
 * among diagnostics of the array sharing those three, in array order. Line
 * and column are not hashed, so edits elsewhere in the file keep
 * fingerprints; two identical findings in one file stay distinct.
 * Call after iam_diags_sort and before dropping baselined findings.
 * iam_diags_fingerprint fills every NULL diag->fingerprint (arena strings). */
#define IAM_FINGERPRINT_LEN 16
void iam_diags_fingerprint(iam_diags *d);

#endif
