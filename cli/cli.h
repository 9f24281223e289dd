/*
 * cli: the command line.  main.c dispatches to one file per subcommand
 * (cmd_*.c, as tmux's cmd-*.c); each parses its own options, wires the
 * stages together and is the only place that prints errors or exits.
 */
#ifndef HOTICH_CLI_H
#define HOTICH_CLI_H

#include <getopt.h>

#include "common/common.h"

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

/*
 * Handle option c if it is a common one; returns 1 when handled.  Call
 * from each command's getopt loop before its own cases.
 */
int cli_common_opt(int c, const char *arg, struct cli_common *co);
void cli_common_init(struct cli_common *co);
/* Parse argv for a command with only the common options; optind is then
 * its first operand.  Returns EXIT_OK or EXIT_USAGE (said). */
int cli_common_only(int argc, char **argv, const char *cmd, struct cli_common *co);

/* Print "hotich CMD: MSG" and a hint to --help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "hotich CMD: MSG"; returns EXIT_FATAL. */
int cli_fatal(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "hotich CMD: MSG" as a warning (input failed, going on). */
void cli_warn(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a help text to stdout; returns EXIT_OK. */
int cli_help(const char *text);
/* For stages not built yet: say so and return EXIT_FATAL. */
int cli_not_built(const char *cmd, const char *what);
/* Parse a whole non-negative int; -1 when not one. */
int cli_parse_int(const char *s);

/*
 * Stages as the commands and `run` share them (cli/stage_*.c): each works
 * through what is pending in the database and fills counts for the summary.
 */
struct stage_counts {
	long long books, pages, records;	/* handled */
	long long failed;			/* inputs that failed (exit 3) */
	long long clean, review, blank, duplicates;
	long long skipped;			/* books already ingested (same SHA-256) */
};
int stage_ingest(struct store *s, char *const *inputs, int n, const char *kind,
		 long long batch_id, struct stage_counts *c, struct err *e);
/*
 * Decode every page that batch batch_id registered as 'new'; a page that
 * does not decode becomes 'failed' with the reason, named on stderr and
 * counted in c->failed (hotich ingest --decode-check).
 */
int stage_ingest_check(struct store *s, long long batch_id, struct stage_counts *c,
		       struct err *e);
int stage_ocr(struct store *s, int threads, struct stage_counts *c, struct err *e);
/*
 * The OCR stage with its knobs (stage_ocr() is this with the defaults).
 * Reads every pending page in a worker process, commits each page's records
 * with its status; a page that crashes or hangs the worker is failed alone
 * (counted in c->failed, named on stderr) and the rest goes on.
 */
struct stage_ocr_options {
	int threads;		/* 0: one per core */
	int page_timeout;	/* seconds a page may take; 0: no limit */
	int kind;		/* enum book_kind from --kind, or -1 (KIND_NONE): auto */
	const char *cmd;	/* "run" or "ocr", for messages */
};
void stage_ocr_options_init(struct stage_ocr_options *o); /* 120 s, auto */
int stage_ocr_run(struct store *s, const struct stage_ocr_options *o,
		  struct stage_counts *c, struct err *e);
int stage_validate(struct store *s, int all, struct stage_counts *c, struct err *e);
int stage_dedup(struct store *s, struct stage_counts *c, struct err *e);

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
int cmd_fixtures(int argc, char **argv);

#endif
