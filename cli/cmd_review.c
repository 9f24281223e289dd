/* hotich review: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich review [--db FILE] [--reviewer NAME]\n"
	"       hotich review --list\n"
	"       hotich review --approve ID | --reject ID | --set ID COLUMN=VALUE  --reviewer NAME\n"
	"\n"
	"Without options, opens the supervisors' review tool (curses).  The script\n"
	"interface prints the queue as NDJSON (--list) or records one decision; every\n"
	"decision is written to the audit log with the reviewer's name.\n"
;

int cmd_review(int argc, char **argv)
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
	return cli_not_built("review", "the review tool is issue #7");
}
