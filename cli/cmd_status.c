/* hotich status: counts per stage and per status. */
#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich status [--db FILE]\n\n"
	"Counts of books, pages and records per stage and status, and the size of\n"
	"the review queue.  Reads only; safe while a run is going on.\n";

static void row(struct store *s, const char *label, const char *sql)
{
	printf("  %-22s %lld\n", label, store_count(s, sql));
}

int cmd_status(int argc, char **argv)
{
	struct cli_common co;
	int rc = cli_common_only(argc, argv, "status", &co);
	if (rc != EXIT_OK)
		return rc;
	if (co.help)
		return cli_help(help);
	if (optind < argc)
		return cli_usage("status", "unexpected argument '%s'", argv[optind]);
	struct err e = ERR_INIT;
	struct store *s = store_open(co.db, &e);
	if (!s)
		return cli_fatal("status", "%s", e.msg);
	printf("database %s (schema %d)\n", co.db, store_schema_version(s));
	printf("books\n");
	row(s, "ingested", "SELECT COUNT(*) FROM books WHERE status = 'ingested'");
	row(s, "failed", "SELECT COUNT(*) FROM books WHERE status = 'failed'");
	printf("pages\n");
	static const char *const pages[] = {"new", "done", "blank", "failed"};
	for (int i = 0; i < 4; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM pages WHERE status = '%s'", pages[i]);
		row(s, pages[i], sql);
	}
	printf("records\n");
	for (int i = REC_NEW; i <= REC_REJECTED; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM records WHERE status = '%s'",
			 record_status_name(i));
		row(s, record_status_name(i), sql);
	}
	row(s, "exported", "SELECT COUNT(DISTINCT record_id) FROM export_records");
	printf("other\n");
	row(s, "existing records", "SELECT COUNT(*) FROM existing");
	row(s, "book findings", "SELECT COUNT(*) FROM findings WHERE record_id IS NULL");
	row(s, "review decisions", "SELECT COUNT(*) FROM reviews");
	store_close(s);
	return EXIT_OK;
}
