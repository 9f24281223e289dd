/* hotich run: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich run [--db FILE] [--threads N] [--kind ks|kh|kt|auto] INPUT...\n"
	"\n"
	"The overnight batch.  Ingests every TIFF book in INPUT (files or folders,\n"
	"searched recursively), reads every page with Tesseract in parallel, checks\n"
	"every field, compares records with the existing ones, and queues for review\n"
	"what a supervisor must see.  Resumable: run the same command again after an\n"
	"interruption (even kill -9) and it finishes the rest; no record is read twice.\n"
	"\n"
	"Options:\n"
	"  --threads N        OCR threads (default: number of cores)\n"
	"  --kind K           book kind: ks (birth), kh (marriage), kt (death), or\n"
	"                     auto to recognise it from the page title (default auto)\n"
	"  --db FILE          database (default ./hotich.db)\n"
	"  --quiet, --verbose less or more on stderr\n"
	"\n"
	"Exit: 0 all read; 3 finished but some files or pages failed (each named on\n"
	"stderr and recorded in the database); 1 fatal; 2 bad usage.\n"
;

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common co;
	cli_common_init(&co);
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, &co))
			break;
	if (co.help)
		return cli_help(help);
	return cli_not_built("run", "the run pipeline is issue #3");
}
