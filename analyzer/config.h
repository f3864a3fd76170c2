/* config.h - .iampc.json: the repository's analyzer configuration.
 *
 * Found by walking up from the working directory (iam_config_find), or named
 * with --config. Parsed with the located JSON parser, so every mistake in it
 * is reported as file:line:col (rule input-error / json-syntax) and makes
 * the run exit 2. Format: docs/config.md.
 *
 * Ownership: everything lives in the config's arena; free with
 * iam_config_free. Read-only after loading (safe to share). */
#ifndef IAM_ANALYZER_CONFIG_H
#define IAM_ANALYZER_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/source.h"

typedef struct iam_strv {
    const char **v;
    size_t n;
} iam_strv;

typedef struct iam_config {
    iam_arena *arena;
    iam_source *src;                  /* NULL for the defaults */
    const char *path;                 /* config file path, or NULL */
    const char *dir;                  /* its directory (ignores are relative to it) */
    /* Per rule: -1 default severity, -2 disabled, else an iam_severity. */
    signed char sev_override[IAM_R_COUNT];
    const char *fail_on;              /* "warning" ... "none", or NULL */
    iam_strv trusted_accounts;        /* 12-digit ids (cross-account-trust) */
    iam_strv sensitive_actions;       /* extra patterns for missing-mfa */
    iam_strv secret_actions;          /* extra patterns for unconditioned-secrets-access */
    iam_strv required_guardrails;     /* action patterns every SCP set must deny */
    iam_strv ignore;                  /* path globs ('*' crosses '/') */
} iam_config;

/* Defaults: nothing overridden, nothing trusted. */
iam_config *iam_config_default(void);
/* Load path; on error returns IAM_ERR_SYNTAX/IAM_ERR_IO with located
 * diagnostics in d and *out = NULL. The diagnostics stay renderable (with
 * excerpts) after the call: their spans point at a copy of the config text
 * kept in d's arena. The loaded config owns its source (c->src). */
iam_status iam_config_load(const char *path, iam_diags *d, iam_config **out);
/* Parse a config from a source the caller owns (must outlive the config
 * and the diagnostics); c->src and c->dir stay NULL, so ignores match
 * nothing. For tests and embedding. Same errors as iam_config_load. */
iam_status iam_config_parse(const iam_source *src, iam_diags *d, iam_config **out);
/* Walk up from dir looking for .iampc.json, stopping after the top of the
 * git work tree (the first directory holding .git); returns a malloc'd
 * path spelt relative to dir ("../.iampc.json"; absolute if dir is) or
 * NULL. */
char *iam_config_find(const char *dir);
void iam_config_free(iam_config *c);
/* Is path ignored by the config's ignore globs? Globs are gitignore-like:
 * without '/' they match a file or directory base name at any depth, with
 * '/' the path relative to c->dir (or a leading directory of it); a path
 * outside c->dir, "-" and paths that do not exist are never ignored. */
bool iam_config_ignored(const iam_config *c, const char *path);
bool iam_strv_has(const iam_strv *v, const char *s);

/* Shared by the config, baseline and GAAD loaders: copy src (text, name and
 * line index) into d's arena and retarget the spans of d->v[from..] that
 * point at src, so the caller may free src and still render them. */
void iam_diags_adopt_source(iam_diags *d, size_t from, const iam_source *src);

#endif
