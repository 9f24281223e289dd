/* hotich validate: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich validate [--db FILE] [--all]\n"
	"\n"
	"Checks every field of every new record (dates, personal IDs, names, places,\n"
	"closed lists, cross-field rules, complete books), corrects only with clear\n"
	"evidence, and marks each record clean or queued for review.\n"
	"  --all   re-validate every record that has no supervisor decision\n"
;

int cmd_validate(int argc, char **argv)
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
	return cli_not_built("validate", "the validation stage is issue #4");
}
