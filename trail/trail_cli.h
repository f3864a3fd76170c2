/* trail_cli.h - what `generate`, `unused` and `trail summarize` share on
 * the command line. Declarations only: the definitions are command-line
 * code and live in cli/cmd_trail.c (the trail library never uses them). */
#ifndef IAM_TRAIL_TRAIL_CLI_H
#define IAM_TRAIL_TRAIL_CLI_H
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "trail/trail.h"

enum {
    TRAIL_OPT_ACCOUNT = 1000, TRAIL_OPT_REGION, TRAIL_OPT_SINCE, TRAIL_OPT_UNTIL, TRAIL_OPT_READ,
    TRAIL_OPT_WRITE, TRAIL_OPT_RESOURCES, TRAIL_OPT_SUMMARY, TRAIL_OPT_CONSOLE, TRAIL_OPT_NODEDUPE,
    TRAIL_OPT_NOPROGRESS,
};

#define TRAIL_CLI_MAX_SUMMARIES 256

typedef struct trail_cli {
    iam_trail_opts opts;
    const char *summaries[TRAIL_CLI_MAX_SUMMARIES];
    size_t nsummaries;
    bool no_progress;
} trail_cli;

extern const struct option trail_cli_options[];
extern const size_t trail_cli_noptions;
extern const char trail_cli_usage[];

/* 0 handled; -1 not a shared option; IAM_EXIT_ERROR after a message. */
int trail_cli_option(trail_cli *c, int opt, const char *arg);
/* Read summaries and logs into *out (always set; free it). 0 or IAM_EXIT_ERROR. */
int trail_cli_load(trail_cli *c, const char *const *paths, size_t npaths, const iam_catalog *cat,
                   iam_trail_usage **out);
/* Coverage, unreadable files, denied/implied/unmapped lists on stderr;
 * returns 1 when some file was unreadable. */
int trail_cli_report(iam_trail_usage *u, const char *principal);
void trail_cli_coverage_json(iam_trail_usage *u, const char *principal, iam_strbuf *b);
int trail_cli_catalog(const iam_globals *g, const iam_catalog **cat);

#endif
