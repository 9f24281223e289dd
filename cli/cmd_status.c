/*
 * hotich status: counts per stage and per status, whether a run is going on
 * and how the last batch ended.  One JSON model (status_json) is printed as
 * text or, with --json, as it is, so the two never disagree.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <string.h>

#include "store/store.h"

static const char help[] =
	"usage: hotich status [--db FILE] [--json]\n\n"
	"Counts of books, pages and records per stage and status, the size of the\n"
	"review queue, whether a run is going on now, and when the last batch\n"
	"ended with its summary.  Reads only; safe while a run is going on.\n\n"
	"  --json      one JSON object on stdout instead of the text (for scripts):\n"
	"              {\"database\", \"schema\", \"books\", \"pages\", \"records\",\n"
	"               \"other\", \"run\": {\"in_progress\", \"batch\", \"started_at\"},\n"
	"               \"last_batch\": {\"id\", \"started_at\", \"finished_at\", \"summary\"}}\n\n"
	"Exit codes: 0 ok, 1 the database cannot be opened, 2 bad usage.\n\n"
	"Example:\n"
	"  hotich status --db /srv/hotich.db --json | jq .run.in_progress\n";

/* A count that fails is an error, never a number (first error wins). */
static void count_into(json_t *o, struct store *s, const char *key, const char *sql,
		       struct err *e)
{
	long long n = e->code ? -1 : store_count(s, sql, e);
	json_object_set_new(o, key, json_integer(n));
}

/* {"status": count} for each status of table, in the order given. */
static json_t *by_status(struct store *s, const char *table, const char *const *names, int n,
			 struct err *e)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE status = '%s'", table,
			 names[i]);
		count_into(o, s, names[i], sql, e);
	}
	return o;
}

static json_t *records_json(struct store *s, struct err *e)
{
	const char *names[REC_REJECTED - REC_NEW + 1];
	for (int i = REC_NEW; i <= REC_REJECTED; i++)
		names[i - REC_NEW] = record_status_name(i);
	json_t *o = by_status(s, "records", names, REC_REJECTED - REC_NEW + 1, e);
	count_into(o, s, "exported", "SELECT COUNT(DISTINCT record_id) FROM export_records", e);
	return o;
}

static json_t *other_json(struct store *s, struct err *e)
{
	json_t *o = json_object();
	count_into(o, s, "existing_records", "SELECT COUNT(*) FROM existing", e);
	count_into(o, s, "book_findings", "SELECT COUNT(*) FROM findings WHERE record_id IS NULL", e);
	count_into(o, s, "review_decisions", "SELECT COUNT(*) FROM reviews", e);
	return o;
}

/* One batch row: the latest one (finished or not) matching where. */
static json_t *batch_json(struct store *s, const char *where, int with_summary)
{
	struct err e = ERR_INIT;
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT id, started_at, finished_at, summary FROM batches"
		 " WHERE %s ORDER BY id DESC LIMIT 1", where);
	struct store_stmt *st = store_prepare(s, sql, &e);
	json_t *o = json_null();
	if (st && store_step(st, &e) == 1) {
		o = json_pack("{s:I, s:s}", "batch", (json_int_t)store_col_int(st, 0),
			      "started_at", store_col_text(st, 1));
		if (*store_col_text(st, 2))
			json_object_set_new(o, "finished_at", json_string(store_col_text(st, 2)));
		json_t *sum = with_summary ? json_loads(store_col_text(st, 3), 0, NULL) : NULL;
		if (sum)
			json_object_set_new(o, "summary", sum);
	}
	store_finalize(st);
	return o;
}

/* A batch not finished is in progress only while its run holds the lock;
 * otherwise it was interrupted, and the same command resumes it. */
static json_t *run_json(struct store *s, const char *db)
{
	int live = store_run_in_progress(db);
	json_t *o = live ? batch_json(s, "finished_at IS NULL", 0) : json_null();
	if (json_is_null(o))
		o = json_object();
	json_object_set_new(o, "in_progress", json_boolean(live));
	return o;
}

static json_t *status_json(struct store *s, const char *db, struct err *e)
{
	static const char *const books[] = {"ingested", "failed"};
	static const char *const pages[] = {"new", "done", "blank", "failed"};
	json_t *last = batch_json(s, "finished_at IS NOT NULL", 1);
	json_t *o = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "database", db,
			      "schema", store_schema_version(s, e), "books", by_status(s, "books", books, 2, e),
			      "pages", by_status(s, "pages", pages, 4, e), "records", records_json(s, e),
			      "other", other_json(s, e), "run", run_json(s, db), "last_batch", last);
	json_t *id = json_object_get(last, "batch");
	if (id) { /* "id" in last_batch, as the report's --batch takes it */
		json_object_set(last, "id", id);
		json_object_del(last, "batch");
	}
	return o;
}

static void print_group(const char *title, json_t *g)
{
	const char *k;
	json_t *v;
	printf("%s\n", title);
	json_object_foreach(g, k, v) {
		char label[64];
		snprintf(label, sizeof(label), "%s", k);
		for (char *p = label; (p = strchr(p, '_'));)
			*p = ' ';
		printf("  %-22s %lld\n", label, (long long)json_integer_value(v));
	}
}

static void print_text(json_t *o)
{
	printf("database %s (schema %d)\n", json_string_value(json_object_get(o, "database")),
	       (int)json_integer_value(json_object_get(o, "schema")));
	print_group("books", json_object_get(o, "books"));
	print_group("pages", json_object_get(o, "pages"));
	print_group("records", json_object_get(o, "records"));
	print_group("other", json_object_get(o, "other"));
	json_t *run = json_object_get(o, "run"), *last = json_object_get(o, "last_batch");
	if (json_is_true(json_object_get(run, "in_progress")))
		printf("run in progress: batch %lld, started %s\n",
		       (long long)json_integer_value(json_object_get(run, "batch")),
		       json_string_value(json_object_get(run, "started_at")));
	else
		printf("no run in progress\n");
	if (json_is_object(last))
		printf("last batch %lld ended %s\n",
		       (long long)json_integer_value(json_object_get(last, "id")),
		       json_string_value(json_object_get(last, "finished_at")));
	else
		printf("no batch has ended yet\n");
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_LONGOPTS,
					     {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
	struct cli_common co;
	int as_json = 0;
	cli_opts_begin(&co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", opts, &co)) != -1)
		if (c == 'j')
			as_json = 1;
		else
			return cli_bad_option("status", argv, "h", opts);
	int done = cli_options_end("status", help, argc, argv, &co);
	if (done >= 0)
		return done;
	struct store *s = cli_store_existing("status", co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	json_t *o = status_json(s, co.db, &e);
	store_close(s);
	if (e.code) {
		json_decref(o);
		return cli_fatal("status", "%s", e.msg);
	}
	if (as_json) {
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		print_text(o);
	}
	json_decref(o);
	return EXIT_OK;
}
