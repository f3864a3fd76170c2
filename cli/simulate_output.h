/* simulate_output.h - rendering for `iampc simulate` (scenario-format.md
 * section 7, docs/simulate.md): diagnostics, the text and JSON traces, one
 * result per scenario and the bulk lines. Internal to cli/; renders into
 * strbufs, only sim_print_diags writes (to stderr). */
#ifndef IAM_CLI_SIMULATE_OUTPUT_H
#define IAM_CLI_SIMULATE_OUTPUT_H
#include <stdbool.h>

#include "core/strbuf.h"
#include "engine/engine.h"

typedef struct sim_opts {
    bool explain;
    bool json;
    iam_engine_opts eng;
} sim_opts;

/* FILE:LINE:COL: severity[RULE]: message, one per diagnostic, to stderr. */
void sim_print_diags(const iam_diags *d);

/* Render one decision with its trace (JSON object or text line, plus the
 * text trace with --explain); returns the exit status it implies. */
int sim_emit_result(iam_strbuf *b, const char *path, const char *name, int expect,
                    iam_decision dec, const iam_trace *t, const sim_opts *o);

/* iam_bulk_render_fn for bulk --explain; ud is the const sim_opts *. The
 * JSON trace object (with the --explain detail) or the text trace lines. */
char *sim_render_bulk_trace(void *ud, const iam_bulk_item *it, size_t index, const iam_trace *t);

/* Print bulk results it[0..n) in input order, it[0] being input line
 * first + 1; returns the exit status. */
int sim_bulk_print(const iam_bulk_item *it, size_t n, size_t first, const sim_opts *o);

#endif
