/* hotich ingest: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich ingest [--db FILE] [--kind ks|kh|kt|auto] INPUT...\n"
	"\n"
	"Registers TIFF books (files or folders of them, recursively) and their pages.\n"
	"Each file is identified by its SHA-256: ingesting it again does nothing; a\n"
	"changed file under the same name becomes a new version.  Unreadable files and\n"
	"pages are named on stderr, recorded, and the rest goes on (exit 3).\n"
;

int cmd_ingest(int argc, char **argv)
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
	return cli_not_built("ingest", "the ingest stage is issue #3");
}
