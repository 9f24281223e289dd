/* hotich import-existing: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich import-existing [--db FILE] --kind ks|kh|kt FILE.csv\n"
	"\n"
	"Loads existing records (for example a national-database extract, or an\n"
	"earlier export of ours) to compare new records against.  CSV with a header\n"
	"row of export column names, any subset in any order; unknown columns are an\n"
	"error naming them.  A record's id is its STT column, else its row number.\n"
;

int cmd_import_existing(int argc, char **argv)
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
	return cli_not_built("import-existing", "import-existing is issue #5");
}
