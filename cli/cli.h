/*
 * cli: the command line.  main.c dispatches to one file per subcommand
 * (cmd_*.c, as tmux's cmd-*.c); each parses its own options, wires the
 * stages together and is the only place that prints errors or exits.
 */
#ifndef HOTICH_CLI_H
#define HOTICH_CLI_H

#include <getopt.h>

#include "common/common.h"
#include "pipeline/pipeline.h"

struct store;

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line for `hotich --help` */
};

/* Options every subcommand takes. */
struct cli_common {
	const char *db;	/* --db, default ./hotich.db */
	int help;
};

/* getopt_long entries for --db, --help, --quiet, --verbose. */
#define CLI_COMMON_LONGOPTS \
	{"db", required_argument, NULL, 0x100}, \
	{"help", no_argument, NULL, 'h'}, \
	{"quiet", no_argument, NULL, 0x101}, \
	{"verbose", no_argument, NULL, 0x102}

/* getopt_long entries for the OCR stage's knobs (run and ocr). */
enum { CLI_OPT_THREADS = 0x180, CLI_OPT_TIMEOUT, CLI_OPT_RETRY };
#define CLI_OCR_LONGOPTS \
	{"threads", required_argument, NULL, CLI_OPT_THREADS}, \
	{"page-timeout", required_argument, NULL, CLI_OPT_TIMEOUT}, \
	{"retry-failed", no_argument, NULL, CLI_OPT_RETRY}
/*
 * Handle option c if it is an OCR knob: 1 handled, 0 not one, -1 a bad
 * value (said on stderr as cmd's usage error; return EXIT_USAGE).
 */
int cli_ocr_opt(const char *cmd, int c, const char *arg, struct stage_ocr_options *o);

/*
 * A command's option loop:
 *
 *	cli_opts_begin(&co);
 *	while ((c = cli_next_opt(argc, argv, "h", opts, &co)) != -1)
 *		... the command's own options, cli_bad_option() for the rest ...
 *	int done = cli_options_end("cmd", help, argc, argv, &co);
 *	if (done >= 0)
 *		return done;
 *
 * cli_opts_begin sets the defaults (./hotich.db) and rewinds getopt (a
 * test may parse several argv in one process); cli_next_opt handles the
 * common options itself and returns the next other one, -1 at the end;
 * cli_options_end prints the help for --help (EXIT_OK), refuses an
 * operand (EXIT_USAGE, said) and returns -1 when the command goes on.
 */
void cli_opts_begin(struct cli_common *co);
int cli_next_opt(int argc, char **argv, const char *shortopts, const struct option *opts,
		 struct cli_common *co);
int cli_options_end(const char *cmd, const char *help, int argc, char **argv,
		    const struct cli_common *co);
/* Parse argv for a command with only the common options; optind is then
 * its first operand.  Returns EXIT_OK or EXIT_USAGE (said). */
int cli_common_only(int argc, char **argv, const char *cmd, struct cli_common *co);

/* Print "hotich CMD: MSG" and a hint to --help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The database at db, which must exist (store_open_existing), or NULL
 * with the reason said as CMD's fatal error: the caller returns EXIT_FATAL. */
struct store *cli_store_existing(const char *cmd, const char *db);
/* Print "hotich CMD: MSG"; returns EXIT_FATAL. */
int cli_fatal(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "hotich CMD: MSG" as a warning (input failed, going on). */
void cli_warn(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * After getopt_long returned '?' (opterr = 0): say what was wrong, as git
 * does: "unknown option '-j'" for -j2, "did you mean '--threads'?" for a
 * near miss, "needs a value".  Returns EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, char *const *argv, const char *shortopts,
		   const struct option *opts);
/* The name in names nearest to word, or NULL when none is close. */
const char *cli_nearest(const char *word, const char *const *names, size_t n);
/* A stage_warn_fn: cli_warn() with cmd (a const char *) as the command name. */
void cli_stage_warn(void *cmd, const char *msg);
/* Print a help text to stdout; returns EXIT_OK. */
int cli_help(const char *text);
/* Parse a whole non-negative int; -1 when not one. */
int cli_parse_int(const char *s);
/*
 * Options both importers take: --kind K and one FILE.csv.  -1 to go on
 * with *db, *kind and *file set; else the exit code (help or bad usage).
 */
int cli_import_args(const char *cmd, const char *help, int argc, char **argv,
		    const char **db, enum book_kind *kind, const char **file);

int cmd_run(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_ocr(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_dedup(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_import_existing(int argc, char **argv);
int cmd_import_batch(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_fixtures(int argc, char **argv);

#endif
