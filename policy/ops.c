/* ops.c - condition operator table and operator-name parsing (section 4.2). */
#include <string.h>
#include <strings.h>

#include "policy/internal.h"

static const struct {
    const char *name;
    iam_cond_family fam;
    bool neg;
} ops[IAM_OP_COUNT] = {
#define X(id, name, fam, neg) [IAM_OP_##id] = {name, IAM_FAM_##fam, neg},
    IAM_COND_OPS(X)
#undef X
};

const char *iam_cond_base_name(iam_cond_base b)
{
    return b < IAM_OP_COUNT ? ops[b].name : "?";
}

iam_cond_family iam_cond_base_family(iam_cond_base b)
{
    return b < IAM_OP_COUNT ? ops[b].fam : IAM_FAM_STRING;
}

bool iam_cond_base_negated(iam_cond_base b)
{
    return b < IAM_OP_COUNT && ops[b].neg;
}

/* Operator names are matched case-insensitively, as iam-simulate does
 * [obs]; `canonical` records whether the spelling is AWS's own. */
void iam_cond_parse_operator(const char *t, size_t n, iam_setq *setq, iam_cond_base *base,
                             bool *if_exists, bool *canonical)
{
    *setq = IAM_SETQ_NONE;
    *base = IAM_OP_UNKNOWN;
    *if_exists = false;
    *canonical = true;
    static const char fall[] = "ForAllValues:", fany[] = "ForAnyValue:";
    if (n >= sizeof fall - 1 && strncasecmp(t, fall, sizeof fall - 1) == 0) {
        *setq = IAM_SETQ_FOR_ALL_VALUES;
        *canonical &= strncmp(t, fall, sizeof fall - 1) == 0;
        t += sizeof fall - 1;
        n -= sizeof fall - 1;
    } else if (n >= sizeof fany - 1 && strncasecmp(t, fany, sizeof fany - 1) == 0) {
        *setq = IAM_SETQ_FOR_ANY_VALUE;
        *canonical &= strncmp(t, fany, sizeof fany - 1) == 0;
        t += sizeof fany - 1;
        n -= sizeof fany - 1;
    }
    static const char ie[] = "IfExists";
    if (n > sizeof ie - 1 && strncasecmp(t + n - (sizeof ie - 1), ie, sizeof ie - 1) == 0) {
        /* Only a suffix if what remains is an operator. */
        for (int b = 0; b < IAM_OP_COUNT; b++)
            if (iam_ieq(t, n - (sizeof ie - 1), ops[b].name)) {
                *if_exists = true;
                *canonical &= strncmp(t + n - (sizeof ie - 1), ie, sizeof ie - 1) == 0;
                n -= sizeof ie - 1;
                break;
            }
    }
    for (int b = 0; b < IAM_OP_COUNT; b++)
        if (iam_ieq(t, n, ops[b].name)) {
            *base = (iam_cond_base)b;
            *canonical &= strncmp(t, ops[b].name, n) == 0;
            return;
        }
}
