/*
 * hotich: digitise Vietnamese civil-status register books.
 * main() sets the locale, finds the subcommand in a table and hands over.
 */
#include <locale.h>
#include <stdarg.h>
#include <signal.h>
#include <string.h>

#include "cli/cli.h"

static const struct cli_cmd commands[] = {
	{"run", cmd_run, "the overnight batch: ingest, OCR, validate, dedup (resumable)"},
	{"ingest", cmd_ingest, "register TIFF books and their pages in the database"},
	{"ocr", cmd_ocr, "read every pending page into records and fields"},
	{"validate", cmd_validate, "check every field; queue what needs a human"},
	{"merge", cmd_merge, "bring shard databases (run --shard K/N) into one"},
	{"dedup", cmd_dedup, "link records to existing ones and to each other"},
	{"import-existing", cmd_import_existing, "load existing records (CSV) to dedup against"},
	{"import-batch", cmd_import_batch, "load hand-keyed records (CSV) as a batch"},
	{"export", cmd_export, "write clean and approved records for the national database"},
	{"review", cmd_review, "the supervisors' review tool (curses), or its script interface"},
	{"status", cmd_status, "counts per stage and per status"},
	{"report", cmd_report, "the night in one HTML page for the morning"},
	{"fixtures", cmd_fixtures, "render synthetic register books with ground truth"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static int usage(FILE *out)
{
	fputs("usage: hotich [--version] [--help] COMMAND [--db FILE] [ARGS]\n"
	      "       hotich help COMMAND\n\n"
	      "Digitise Vietnamese civil-status register books (so ho tich) from TIFF scans:\n"
	      "read every record, check every field, queue what needs a supervisor, and\n"
	      "export clean rows in the Ministry of Justice's import columns.\n\n"
	      "Commands, in the order data flows:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery command takes --db FILE (default ./hotich.db) and --help.\n"
	      "A typical night and morning:\n"
	      "  hotich run --threads 2 scans/        # ingest, OCR, validate, dedup\n"
	      "  hotich review --reviewer lan         # supervisors clear the queue\n"
	      "  hotich export --kind ks --format csv --out ks.csv --since-last\n\n"
	      "Exit codes: 0 ok, 1 fatal error, 2 bad usage, 3 finished but some inputs failed.\n",
	      out);
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vline("hotich: ", fmt, ap);
	va_end(ap);
}

static const struct cli_cmd *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* "'rnu' is not a command; did you mean 'run'?", as git says it. */
static int not_a_command(const char *name)
{
	const char *names[NCOMMANDS];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	const char *near = cli_nearest(name, names, NCOMMANDS);
	if (near)
		say("'%s' is not a command; did you mean '%s'?", name, near);
	else
		say("'%s' is not a command; see 'hotich --help'", name);
	return EXIT_USAGE;
}

/* hotich help [CMD]: the overview, or that command's --help. */
static int help(int argc, char **argv)
{
	if (argc < 3)
		return usage(stdout);
	const struct cli_cmd *c = command_find(argv[2]);
	if (!c)
		return not_a_command(argv[2]);
	char *args[] = {argv[2], "--help", NULL};
	return c->fn(2, args);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Past a file-size limit a write must fail with EFBIG and be reported,
	 * not kill the process half-way through a file. */
	signal(SIGXFSZ, SIG_IGN);
	data_set_argv0(argv[0]);
	if (argc < 2)
		return usage(stderr);
	const char *name = argv[1];
	if (!strcmp(name, "help"))
		return help(argc, argv);
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return usage(stdout);
	if (!strcmp(name, "--version")) {
		printf("hotich %s (commit %s)\n", hotich_release(), hotich_version());
		return EXIT_OK;
	}
	const struct cli_cmd *c = command_find(name);
	if (c)
		return c->fn(argc - 1, argv + 1);
	if (name[0] != '-')
		return not_a_command(name);
	say("unknown option '%s'; see 'hotich --help'", name);
	return EXIT_USAGE;
}
