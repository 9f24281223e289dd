/* hotich fixtures: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich fixtures --out DIR [--seed N] [options]\n"
	"\n"
	"Renders synthetic register books (multi-page TIFF) with their ground truth.\n"
;

int cmd_fixtures(int argc, char **argv)
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
	return cli_not_built("fixtures", "the fixture generator is being built (issue #2)");
}
