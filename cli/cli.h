/* cli.h - shared pieces of the iampc command line.
 *
 * Adding a command: write cli/cmd_<name>.c with
 *   int cmd_<name>(int argc, char **argv, const iam_globals *g);
 * add one CMD line to cli/commands.def, document it in README.md, and add
 * golden tests under tests/golden/. Commands parse their own options with
 * iam_getopt_reset() + getopt_long, call library code, choose a writer and
 * return an exit code (cli/exit.h). No analysis logic lives in cli/. */
#ifndef IAM_CLI_CLI_H
#define IAM_CLI_CLI_H
#include <stdbool.h>
#include <stdio.h>

#define IAM_EXIT_OK 0
#define IAM_EXIT_FINDINGS 1
#define IAM_EXIT_ERROR 2

typedef struct iam_globals {
    bool color;            /* stderr/stdout is a TTY and NO_COLOR unset, or --color=always */
    const char *catalog;   /* --catalog FILE, or NULL for the built-in catalog */
} iam_globals;

typedef int (*iam_cmd_fn)(int argc, char **argv, const iam_globals *g);

/* Reset getopt so a command can parse its own argv (argv[0] = command name). */
void iam_getopt_reset(void);
/* Print "iampc: <msg>" to stderr; returns IAM_EXIT_ERROR. */
int iam_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Flush and check stdout; returns rc, or IAM_EXIT_ERROR when writing failed. */
int iam_cli_finish(int rc);
struct iam_diag;
/* `file:line:col: severity: message [rule]` on stderr: the text writer's
 * first line, for commands that stop at input errors (path names a
 * diagnostic without a source). */
void iam_cli_print_diag(const struct iam_diag *g, const char *path);

struct iam_catalog;
/* The catalog of this run: --catalog FILE when given (errors printed,
 * returns IAM_EXIT_ERROR), else the built-in one. *owned receives the
 * loaded catalog, to free with iam_catalog_free, or NULL. */
int iam_cli_catalog(const iam_globals *g, const struct iam_catalog **cat, struct iam_catalog **owned);
/* Parse an output format name among allowed ("text", "json", "sarif"...);
 * returns the index or -1 after printing an error. */
int iam_cli_format(const char *name, const char *const *allowed);

#define CMD(name, fn, summary) int fn(int argc, char **argv, const iam_globals *g);
#include "cli/commands.def"
#undef CMD

#endif
