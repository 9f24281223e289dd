/* hotich status: counts per stage and per status. */
#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich status [--db FILE]\n\n"
	"Counts of books, pages and records per stage and status, and the size of\n"
	"the review queue.  Reads only; safe while a run is going on.\n";

/* A count that fails is an error, never a number (first error wins). */
static void row(struct store *s, const char *label, const char *sql, struct err *e)
{
	long long n = e->code ? -1 : store_count(s, sql, e);
	if (n >= 0)
		printf("  %-22s %lld\n", label, n);
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common co;
	cli_common_init(&co);
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, &co))
			return cli_usage("status", "unknown option '%s'", argv[optind - 1]);
	if (co.help)
		return cli_help(help);
	if (optind < argc)
		return cli_usage("status", "unexpected argument '%s'", argv[optind]);
	struct err e = ERR_INIT;
	struct store *s = store_open_existing(co.db, &e);
	if (!s)
		return cli_fatal("status", "%s", e.msg);
	printf("database %s (schema %d)\n", co.db, store_schema_version(s, &e));
	printf("books\n");
	row(s, "ingested", "SELECT COUNT(*) FROM books WHERE status = 'ingested'", &e);
	row(s, "failed", "SELECT COUNT(*) FROM books WHERE status = 'failed'", &e);
	printf("pages\n");
	static const char *const pages[] = {"new", "done", "blank", "failed"};
	for (int i = 0; i < 4; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM pages WHERE status = '%s'", pages[i]);
		row(s, pages[i], sql, &e);
	}
	printf("records\n");
	for (int i = REC_NEW; i <= REC_REJECTED; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM records WHERE status = '%s'",
			 record_status_name(i));
		row(s, record_status_name(i), sql, &e);
	}
	row(s, "exported", "SELECT COUNT(DISTINCT record_id) FROM export_records", &e);
	printf("other\n");
	row(s, "existing records", "SELECT COUNT(*) FROM existing", &e);
	row(s, "book findings", "SELECT COUNT(*) FROM findings WHERE record_id IS NULL", &e);
	row(s, "review decisions", "SELECT COUNT(*) FROM reviews", &e);
	store_close(s);
	if (e.code)
		return cli_fatal("status", "%s", e.msg);
	return EXIT_OK;
}
