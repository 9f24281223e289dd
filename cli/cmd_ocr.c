/*
 * hotich ocr: read every pending page (pipeline/stage_ocr.c does the work).
 * `hotich ocr --worker` is the worker process that stage starts; it is not
 * for people and is left out of the help.
 */
#include "cli/cli.h"

#include <signal.h>

#include "store/store.h"

static const char help[] =
	"usage: hotich ocr [--db FILE] [--threads N] [--page-timeout S] [--retry-failed]\n"
	"\n"
	"Reads every ingested page that has not been read yet into records and fields\n"
	"(raw text, confidence, box on the page, model).  Each page's results commit\n"
	"in one transaction with the page's status, so an interrupted run (even\n"
	"kill -9) loses nothing: run it again and it reads the rest.  A page that\n"
	"crashes the OCR engine or takes too long is failed alone and named on stderr;\n"
	"the other pages go on.\n"
	"\n"
	"Options:\n"
	"  --threads N        OCR threads (default: number of cores)\n"
	"  --page-timeout S   seconds one page may take before it is failed\n"
	"                     (default 120; 0: no limit).  A page that timed out or\n"
	"                     crashed the engine is read again by the next run, up\n"
	"                     to 3 runs\n"
	"  --retry-failed     read such pages again whatever their number of tries\n"
	"  --db FILE          database (default ./hotich.db)\n"
	"  --quiet, --verbose less or more on stderr\n"
	"\n"
	"Exit codes: 0 all read; 3 some pages failed; 1 fatal; 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich ocr --threads 2 --page-timeout 60\n";

enum { OPT_WORKER = 0x200 };

struct ocr_args {
	struct cli_common co;
	struct stage_ocr_options o;
	int worker;
};

static int args_parse(int argc, char **argv, struct ocr_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		CLI_OCR_LONGOPTS,
		{"worker", no_argument, NULL, OPT_WORKER},
		{NULL, 0, NULL, 0},
	};
	stage_ocr_options_init(&a->o);
	a->worker = 0;
	cli_opts_begin(&a->co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", opts, &a->co)) != -1) {
		int got = cli_ocr_opt("ocr", c, optarg, &a->o);
		if (got < 0)
			return EXIT_USAGE;
		if (got)
			continue;
		if (c == OPT_WORKER) {
			a->worker = 1;
			continue;
		}
		return cli_bad_option("ocr", argv, "h", opts);
	}
	if (optind < argc)
		return cli_usage("ocr", "unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

int cmd_ocr(int argc, char **argv)
{
	struct ocr_args a;
	int rc = args_parse(argc, argv, &a);
	if (rc != EXIT_OK || a.co.help)
		return rc != EXIT_OK ? rc : cli_help(help);
	if (a.worker)
		return ocrpipe_worker_main(a.o.threads);
	struct store *s = cli_store_existing("ocr", a.co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	struct stage_counts c = {.warn = cli_stage_warn, .warn_ctx = "ocr"};
	double t0 = time_now();
	if (stage_ocr_run(s, &a.o, &c, &e) < 0) {
		store_close(s);
		return stage_ocr_interrupted() ? 128 + SIGINT : cli_fatal("ocr", "%s", e.msg);
	}
	double dt = time_now() - t0;
	printf("ocr: %lld pages read (%lld blank, %lld failed), %lld records, %.2f pages/s\n",
	       c.pages, c.blank, c.failed, c.records, dt > 0 ? (double)c.pages / dt : 0.0);
	store_close(s);
	return c.failed ? EXIT_PARTIAL : EXIT_OK;
}
