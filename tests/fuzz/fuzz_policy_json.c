/* fuzz_policy_json.c - the policy front end on arbitrary bytes: located
 * JSON parse, policy decode (detected type and every explicit type) and
 * grammar validation. Crashes, sanitizer reports and leaks are the bugs;
 * the one semantic check is that a rejected input says where. */
#include <stdint.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/intern.h"
#include "core/source.h"
#include "grammar/json.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed parse must leave at least one located error (issue 2: "every
 * malformed input gets an exact file:line:col error"). */
static void require_position(const iam_diags *d, const iam_source *src)
{
    for (size_t i = 0; i < d->n; i++) {
        const iam_diag *g = &d->v[i];
        if (g->sev == IAM_SEV_ERROR && g->span.src == src && g->span.line >= 1 && g->span.col >= 1)
            return;
    }
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iam_source *src = iam_source_from_mem("fuzz.json", (const char *)data, size);
    iam_arena *a = iam_arena_new();
    iam_strtab *names = iam_intern_new();
    iam_diags d;
    iam_diags_init(&d);
    iam_json *root = NULL;
    if (iam_json_parse(a, src, &iam_json_default_limits, &d, &root) != IAM_OK) {
        require_position(&d, src);
        goto out;
    }
    if (!root)
        abort();
    for (int t = IAM_PT_UNKNOWN; t < IAM_PT_COUNT; t++) {
        iam_decode_opts o = {(iam_policy_type)t, t == IAM_PT_UNKNOWN ? IAM_TO_HEURISTIC : IAM_TO_FLAG};
        iam_policy *p = iam_policy_decode(a, names, root, &o, &d);
        if (!p)
            abort();   /* documented: always returns a policy */
        iam_policy_validate(p, &d);
    }
    const char *reason = NULL;
    (void)iam_policy_detect_type(root, &reason);
out:
    iam_diags_fini(&d);
    iam_intern_free(names);
    iam_arena_destroy(a);
    iam_source_free(src);
    return 0;
}
