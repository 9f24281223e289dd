/* hotich validate: check every pending record; queue what needs a human. */
#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich validate [--db FILE] [--all]\n"
	"\n"
	"Checks every field of every new record (dates, personal IDs, names, places,\n"
	"closed lists, cross-field rules, complete books), corrects only with clear\n"
	"evidence, and marks each record clean or queued for review.\n"
	"  --all   re-validate every record that has no supervisor decision\n"
	"\n"
	"Each field of an OCR'd record gets the probability that it is right from the\n"
	"acceptance model (data/accept_model.tsv, or $HOTICH_ACCEPT_MODEL); a field\n"
	"below its type's level is flagged low_probability.\n"
	"Reference lists come from the data directory ($HOTICH_DATA).  OCR confidence\n"
	"thresholds per field type may be overridden with $HOTICH_THRESHOLDS, e.g.\n"
	"\"date=90,name=95\" (types: text number date name id place closed).\n"
	"\n"
	"Exit codes: 0 done; 1 fatal (database, reference lists); 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich validate --all     # after a change of reference lists\n";

int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_LONGOPTS, {"all", no_argument, NULL, 'a'},
					     {NULL, 0, NULL, 0}};
	struct cli_common co;
	cli_opts_begin(&co);
	int c, all = 0;
	while ((c = cli_next_opt(argc, argv, "h", opts, &co)) != -1) {
		if (c == 'a')
			all = 1;
		else
			return cli_bad_option("validate", argv, "h", opts);
	}
	int done = cli_options_end("validate", help, argc, argv, &co);
	if (done >= 0)
		return done;
	struct store *s = cli_store_existing("validate", co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	struct stage_counts counts = {0};
	int rc = stage_validate(s, all, &counts, &e);
	store_close(s);
	if (rc < 0)
		return cli_fatal("validate", "%s", e.msg);
	printf("validated %lld records in %lld books: %lld clean, %lld for review\n",
	       counts.records, counts.books, counts.clean, counts.review);
	return EXIT_OK;
}
