/* hotich import-batch: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich import-batch [--db FILE] --kind ks|kh|kt FILE.csv\n"
	"\n"
	"Loads hand-keyed records (same CSV format as import-existing) as a new batch;\n"
	"they go through validation, dedup, review and export like OCR'd ones.\n"
;

int cmd_import_batch(int argc, char **argv)
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
	return cli_not_built("import-batch", "import-batch is issue #5");
}
