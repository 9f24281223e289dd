/* hotich dedup: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich dedup [--db FILE]\n"
	"\n"
	"Links validated records to the existing records (see import-existing) and to\n"
	"each other; probable duplicates go to review with their evidence.\n"
;

int cmd_dedup(int argc, char **argv)
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
	return cli_not_built("dedup", "the dedup stage is issue #5");
}
