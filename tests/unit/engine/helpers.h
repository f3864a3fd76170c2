/* helpers.h - build scenarios from inline JSON for the engine tests. */
#ifndef IAM_TEST_ENGINE_HELPERS_H
#define IAM_TEST_ENGINE_HELPERS_H
#include "engine/engine.h"

/* Evaluate a whole scenario document (scenario-format) with engine flags;
 * returns the decision name, or "error" when the document is rejected. */
const char *sim(const char *scenario_json, unsigned flags);

/* Does a Condition block hold? Evaluates an identity Allow "*" on "*" with
 * that Condition (Version 2012-10-17) for user alice, with the given
 * context object (JSON text, may be "{}"). */
bool cond(const char *condition_json, const char *context_json);
bool cond_flags(const char *condition_json, const char *context_json, unsigned flags);


/* sim() on JSON written with single quotes (converted to double quotes). */
const char *simq(const char *scenario_sq, unsigned flags);
/* Evaluate with organization flags set on the policy set. */
const char *simq_org(const char *scenario_sq, bool mgmt_caller, bool mgmt_resource);
#endif
