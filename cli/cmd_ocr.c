/* hotich ocr: not built yet; says so. */
#include "cli/cli.h"

static const char help[] =
	"usage: hotich ocr [--db FILE] [--threads N]\n"
	"\n"
	"Reads every ingested page that has not been read yet into records and fields\n"
	"(raw text, confidence, box on the page, model).  Each page's results commit\n"
	"in one transaction with the page's status.\n"
;

int cmd_ocr(int argc, char **argv)
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
	return cli_not_built("ocr", "the OCR stage is issue #3");
}
