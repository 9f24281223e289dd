/* hotich import-batch: load hand-keyed records as a batch. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich import-batch [--db FILE] --kind ks|kh|kt FILE.csv\n"
	"\n"
	"Loads hand-keyed records (same CSV format as import-existing) as a new batch;\n"
	"they go through validation, dedup, review and export like OCR'd ones.  Each\n"
	"record's source is the file's name and its 1-based data row.\n"
	"\n"
	"CSV with a header row of export column names, any subset in any order;\n"
	"unknown columns are an error naming them.  RFC 4180 quoting, CRLF or LF, a\n"
	"byte-order mark dropped, the export's formula guard (' before = + - @) undone.\n"
	"\n"
	"Bad rows: a row with invalid UTF-8, the wrong number of cells, a cell over\n"
	"4096 bytes or broken quoting is named on stderr with its line number and\n"
	"skipped; every other row is imported (committed every 5,000 rows), and the\n"
	"exit code is 3.  The same file (by SHA-256) again resumes: rows already\n"
	"imported, by an earlier or an interrupted import, are not added twice.  Fix\n"
	"bad rows into a file of their own.\n"
	"\n"
	"Exit codes: 0 all rows loaded; 3 some rows skipped; 1 fatal; 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich import-batch --kind kt keyed-kt.csv\n";

struct ctx {
	struct store *s;
	const char *name;
	char sha[SHA256_HEX_LEN + 1];
	long long done;		/* rows an earlier import of this file committed */
	long long resumed;	/* of them, rows seen again and left */
};

static int put(struct record *r, long long row, long line, void *vc, struct err *e)
{
	struct ctx *c = vc;
	if (row <= c->done) {
		c->resumed++;
		return 0;
	}
	return store_record_insert_keyed(c->s, r, c->name, c->sha, (int)row, e) < 0 ? -1 : 0;
}

/* Rows come in order and commit in chunks, so a file's rows in the
 * database are its first ones: resume after the last. */
static int resume_point(struct ctx *c, const char *file, struct err *e)
{
	if (sha256_file(file, c->sha, e) < 0)
		return -1;
	c->done = store_keyed_last_row(c->s, c->sha, e);
	return c->done < 0 ? -1 : 0;
}

int cmd_import_batch(int argc, char **argv)
{
	const char *db, *file;
	enum book_kind kind;
	int rc = cli_import_args("import-batch", help, argc, argv, &db, &kind, &file);
	if (rc >= 0)
		return rc;
	struct err e = ERR_INIT;
	struct store *s = store_open(db, &e);
	if (!s)
		return cli_fatal("import-batch", "%s", e.msg);
	const char *slash = strrchr(file, '/');
	struct ctx c = {s, slash ? slash + 1 : file, "", 0, 0};
	struct import_stats st = {.warn = cli_stage_warn, .warn_ctx = "import-batch"};
	long long batch = resume_point(&c, file, &e) < 0 ? -1 :
		store_batch_begin(s, "import-batch", NULL, NULL, &e);
	rc = EXIT_FATAL;
	if (batch > 0 && import_csv(s, file, kind, put, &c, &st, &e) == 0) {
		st.imported -= c.resumed;
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "file", c.name, "sha256",
				      c.sha, "rows", (json_int_t)st.rows, "imported",
				      (json_int_t)st.imported, "already", (json_int_t)c.resumed,
				      "bad", (json_int_t)st.bad);
		char *sum = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (store_batch_finish(s, batch, sum, &e) == 0) {
			printf("import-batch: %lld rows, %lld records added, %lld already there, "
			       "%lld skipped\n", st.rows, st.imported, c.resumed, st.bad);
			rc = st.bad ? EXIT_PARTIAL : EXIT_OK;
		}
		free(sum);
	}
	if (rc == EXIT_FATAL)
		cli_fatal("import-batch", "%s", e.msg);
	store_close(s);
	return rc;
}
