/* hotich export: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich export [--db FILE] --kind ks|kh|kt --format csv|json|ndjson\n"
	"                     --out PATH [--since-last] [--bom]\n"
	"\n"
	"Writes the records that passed every check or that a supervisor approved, in\n"
	"the Ministry of Justice's import columns, ordered by book then entry number,\n"
	"and PATH.manifest.json beside it.  Written to a temporary file and renamed.\n"
	"  --since-last   only records no earlier export has written\n"
	"  --bom          start a CSV with a UTF-8 byte-order mark (for spreadsheets)\n"
;

int cmd_export(int argc, char **argv)
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
	return cli_not_built("export", "export is issue #6");
}
