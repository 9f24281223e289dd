/*
 * Shards and merges: a `run --shard K/N` database marks itself as one share
 * of a run, and `merge` copies a shard's batches, books, pages (with their
 * timings), records, fields and findings into the main database with every
 * id moved past the main database's own, one transaction per shard.
 *
 * Invariants: a shard is merged once (its meta.uuid goes into merges in the
 * same transaction as its rows), so a second merge, or the same command
 * after a kill -9, changes nothing more; a book the main database already
 * holds, in this version or another, refuses the whole shard.  When every
 * share of a run is at hand, a plan (store_merge_plan) reserves the ids
 * one run over all its books would have given their books, pages and
 * records, and each share's rows go straight there: exports (STT is the
 * record id) come out the same.  Without a plan a share's rows go after
 * everything else.  Dedup's own rows are not copied: dedup runs again on
 * the merged whole.
 */
#include "store/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- marking a shard ------------------------------------------------------ */

static int meta_get(struct store *s, const char *schema, const char *key, char **out,
		    struct err *e)
{
	char *sql = xasprintf("SELECT value FROM %s.meta WHERE key = ?", schema);
	sqlite3_stmt *st = store_prep(s, sql, e);
	free(sql);
	*out = NULL;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = col_strdup(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(s, e, "cannot read meta");
}

static int meta_put(struct store *s, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, "INSERT OR REPLACE INTO meta VALUES(?, ?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot write meta");
	sqlite3_finalize(st);
	return rc;
}

char *store_uuid(struct store *s, struct err *e)
{
	char *v;
	if (meta_get(s, "main", "uuid", &v, e) < 0)
		return NULL;
	if (!v)
		err_set(e, "database '%s' has no uuid", s->path);
	return v;
}

/* A database that is already a share of another run (or another share) is
 * not reused: its records would not belong to this share. */
static int shard_check(struct store *s, const char *shard, const char *set, struct err *e)
{
	char *old_shard, *old_set;
	if (meta_get(s, "main", "shard", &old_shard, e) < 0)
		return -1;
	if (meta_get(s, "main", "shard_set", &old_set, e) < 0) {
		free(old_shard);
		return -1;
	}
	int rc = 0;
	if (old_shard && (strcmp(old_shard, shard) || !old_set || strcmp(old_set, set)))
		rc = err_set(e, "database '%s' holds share %s of another run, not share %s"
			     " of this one: give each share its own database", s->path,
			     old_shard, shard);
	else if (!old_shard && store_count(s, "SELECT COUNT(*) FROM books", e) > 0)
		rc = err_set(e, "database '%s' already holds books of a run that was not"
			     " sharded: give each share its own database", s->path);
	free(old_shard);
	free(old_set);
	return rc;
}

static int order_put(struct store *s, char *const *paths, size_t n, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, "INSERT OR IGNORE INTO shard_order VALUES(?, ?)", e);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_bind_text(st, 1, paths[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (long long)i + 1);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot write shard order");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_shard_mark(struct store *s, const char *shard, const char *set, char *const *paths,
		     size_t n, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (shard_check(s, shard, set, e) < 0 || meta_put(s, "shard", shard, e) < 0 ||
	    meta_put(s, "shard_set", set, e) < 0 || order_put(s, paths, n, e) < 0 ||
	    store_commit(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* ---- where ids go ------------------------------------------------------------ */

/* Run sql (no rows back) with ?1 bound to arg; what names it on failure. */
static int exec_text(struct store *s, const char *sql, const char *arg, const char *what,
		     struct err *e)
{
	sqlite3_stmt *st = store_prep(s, sql, e);
	if (!st)
		return -1;
	bind_text_or_null(st, 1, arg);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, what);
	sqlite3_finalize(st);
	return rc;
}

/* One integer from sql with ?1 bound to text; dflt when no row or NULL. */
static long long count_text(struct store *s, const char *sql, const char *arg, long long dflt)
{
	sqlite3_stmt *st = store_prep(s, sql, NULL);
	long long v = dflt;
	if (!st)
		return -1;
	bind_text_or_null(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The top id of books, pages and records, counting the ranges reserved for
 * planned runs (a share not yet merged must find its ids free).
 */
static const char *const top_sql[3] = {
	"SELECT max(coalesce((SELECT max(id) FROM main.books), 0), coalesce((SELECT"
	" max(ms.book_base + (SELECT max(ordinal) FROM main.merge_plan p"
	" WHERE p.shard_set = ms.shard_set)) FROM main.merge_sets ms), 0))",
	"SELECT max(coalesce((SELECT max(id) FROM main.pages), 0), coalesce((SELECT"
	" max(ms.page_base + (SELECT sum(pages) FROM main.merge_plan p"
	" WHERE p.shard_set = ms.shard_set)) FROM main.merge_sets ms), 0))",
	"SELECT max(coalesce((SELECT max(id) FROM main.records), 0), coalesce((SELECT"
	" max(ms.record_base + (SELECT sum(records) FROM main.merge_plan p"
	" WHERE p.shard_set = ms.shard_set)) FROM main.merge_sets ms), 0))",
};

/* A shard's books with their place in its run and their counts. */
#define SHARD_COUNTS \
	"SELECT o.ordinal, (SELECT COUNT(*) FROM shard.pages p WHERE p.book_id = b.id) AS pages," \
	" (SELECT COUNT(*) FROM shard.records r WHERE r.book_id = b.id) AS records" \
	" FROM shard.books b LEFT JOIN shard.shard_order o ON o.path = b.path"

/* Each book, page and record of the shard, old id to new (temp tables). */
static const char maps_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS merge_books(old INTEGER PRIMARY KEY, new INTEGER);"
	"CREATE TEMP TABLE IF NOT EXISTS merge_pages(old INTEGER PRIMARY KEY, new INTEGER);"
	"CREATE TEMP TABLE IF NOT EXISTS merge_recs(old INTEGER PRIMARY KEY, new INTEGER);"
	"CREATE TEMP TABLE IF NOT EXISTS merge_cum(ordinal INTEGER PRIMARY KEY, pages INTEGER,"
	" records INTEGER);"
	"DELETE FROM temp.merge_books; DELETE FROM temp.merge_pages; DELETE FROM temp.merge_recs;"
	"DELETE FROM temp.merge_cum;";

/* The planned ids: base + the pages (records) of the run's books before
 * this one (merge_cum) + the rank in the order one run reads them. */
static const char *const plan_sql[4] = {
	"INSERT INTO temp.merge_cum SELECT ordinal,"
	" coalesce(sum(pages) OVER (ORDER BY ordinal ROWS BETWEEN UNBOUNDED PRECEDING"
	"  AND 1 PRECEDING), 0),"
	" coalesce(sum(records) OVER (ORDER BY ordinal ROWS BETWEEN UNBOUNDED PRECEDING"
	"  AND 1 PRECEDING), 0)"
	" FROM main.merge_plan WHERE shard_set = ?1",
	"INSERT INTO temp.merge_books SELECT b.id, ms.book_base + o.ordinal"
	" FROM shard.books b JOIN shard.shard_order o ON o.path = b.path"
	" JOIN main.merge_sets ms ON ms.shard_set = ?1",
	"INSERT INTO temp.merge_pages SELECT p.id, ms.page_base + cum.pages"
	"  + row_number() OVER (PARTITION BY p.book_id ORDER BY p.page_no, p.id)"
	" FROM shard.pages p JOIN shard.books b ON b.id = p.book_id"
	" JOIN shard.shard_order o ON o.path = b.path"
	" JOIN temp.merge_cum cum ON cum.ordinal = o.ordinal"
	" JOIN main.merge_sets ms ON ms.shard_set = ?1",
	"INSERT INTO temp.merge_recs SELECT r.id, ms.record_base + cum.records"
	"  + row_number() OVER (PARTITION BY r.book_id ORDER BY p.page_no, r.idx, r.id)"
	" FROM shard.records r JOIN shard.books b ON b.id = r.book_id"
	" LEFT JOIN shard.pages p ON p.id = r.page_id"
	" JOIN shard.shard_order o ON o.path = b.path"
	" JOIN temp.merge_cum cum ON cum.ordinal = o.ordinal"
	" JOIN main.merge_sets ms ON ms.shard_set = ?1",
};

/* The plan holds for this shard: every book in it with the same counts,
 * and none of the ids taken meanwhile. */
static int plan_holds(struct store *s, const char *set)
{
	long long differ = count_text(s,
		"SELECT COUNT(*) FROM (" SHARD_COUNTS ") c LEFT JOIN main.merge_plan mp"
		" ON mp.shard_set = ?1 AND mp.ordinal = c.ordinal"
		" WHERE mp.ordinal IS NULL OR mp.pages <> c.pages OR mp.records <> c.records", set, 1);
	long long taken = store_count(s,
		"SELECT EXISTS (SELECT 1 FROM temp.merge_books m JOIN main.books x ON x.id = m.new)"
		" OR EXISTS (SELECT 1 FROM temp.merge_pages m JOIN main.pages x ON x.id = m.new)"
		" OR EXISTS (SELECT 1 FROM temp.merge_recs m JOIN main.records x ON x.id = m.new)", NULL);
	return differ == 0 && taken == 0;
}

static int maps_planned(struct store *s, const char *set, struct err *e)
{
	for (int i = 0; i < 4; i++)
		if (exec_text(s, plan_sql[i], set, "cannot place the shard", e) < 0)
			return -1;
	return 0;
}

/* No plan, or it does not hold: after everything else, in the shard's order. */
static int maps_after(struct store *s, struct err *e)
{
	static const char *const tables[3] = {"books", "pages", "records"};
	static const char *const maps[3] = {"merge_books", "merge_pages", "merge_recs"};
	int rc = store_exec(s, "DELETE FROM temp.merge_books; DELETE FROM temp.merge_pages;"
			    " DELETE FROM temp.merge_recs;", e);
	for (int i = 0; i < 3 && rc == 0; i++) {
		char *sql = xasprintf("INSERT INTO temp.%s SELECT id, id + %lld FROM shard.%s",
				      maps[i], store_count(s, top_sql[i], e), tables[i]);
		rc = store_exec(s, sql, e);
		free(sql);
	}
	return rc;
}

static int maps_make(struct store *s, const char *set, struct err *e)
{
	if (store_exec(s, maps_sql, e) < 0)
		return -1;
	int planned = set && count_text(s, "SELECT COUNT(*) FROM main.merge_sets"
					" WHERE shard_set = ?1", set, 0) > 0;
	if (planned && maps_planned(s, set, e) < 0)
		return -1;
	if (planned && plan_holds(s, set))
		return 0;
	return maps_after(s, e);
}

/* ---- moving the rows -------------------------------------------------------- */

/* How each table's ids and references move: books, pages and records by
 * the maps above, the others past main's top id (:batch, :field, :finding). */
#define MAP(m, col) "(SELECT new FROM temp." m " WHERE old = t." col ")"
#define BOOK_OF(col) MAP("merge_books", col)
#define PAGE_OF(col) MAP("merge_pages", col)
#define REC_OF(col) MAP("merge_recs", col)

struct col_move {
	const char *col, *expr;
};

static const struct table_move {
	const char *table;
	const char *where;	/* rows left out, or NULL */
	struct col_move cols[5];
} moves[] = {
	{"batches", NULL, {{"id", "t.id + :batch"}}},
	{"books", NULL, {{"id", BOOK_OF("id")}, {"batch_id", "t.batch_id + :batch"}}},
	{"pages", NULL, {{"id", PAGE_OF("id")}, {"book_id", BOOK_OF("book_id")}}},
	{"records", NULL,
	 {{"id", REC_OF("id")}, {"book_id", BOOK_OF("book_id")}, {"page_id", PAGE_OF("page_id")}}},
	{"fields", NULL, {{"id", "t.id + :field"}, {"record_id", REC_OF("record_id")}}},
	/* dedup's findings point at the shard's own record ids: dedup runs again */
	{"findings", "t.stage <> 'dedup'",
	 {{"id", "t.id + :finding"}, {"record_id", REC_OF("record_id")},
	  {"book_id", BOOK_OF("book_id")}, {"page_id", PAGE_OF("page_id")}}},
};
#define NMOVES (sizeof(moves) / sizeof(*moves))

static const char *move_expr(const struct table_move *m, const char *col)
{
	for (size_t i = 0; i < sizeof(m->cols) / sizeof(*m->cols) && m->cols[i].col; i++)
		if (!strcmp(m->cols[i].col, col))
			return m->cols[i].expr;
	return NULL;
}

/* INSERT INTO main.T(every column) SELECT (moved or as is) FROM shard.T:
 * the columns come from the schema, so later migrations are copied too. */
static char *move_sql(struct store *s, const struct table_move *m, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, "SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid",
				      e);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, m->table, -1, SQLITE_STATIC);
	struct strbuf cols = STRBUF_INIT, vals = STRBUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		const char *x = move_expr(m, c);
		sb_addf(&cols, "%s\"%s\"", cols.len ? ", " : "", c);
		if (x)
			sb_addf(&vals, "%s%s", vals.len ? ", " : "", x);
		else
			sb_addf(&vals, "%st.\"%s\"", vals.len ? ", " : "", c);
	}
	sqlite3_finalize(st);
	char *sql = xasprintf("INSERT INTO main.%s(%s) SELECT %s FROM shard.%s AS t%s%s", m->table,
			      sb_str(&cols), sb_str(&vals), m->table, m->where ? " WHERE " : "",
			      m->where ? m->where : "");
	sb_release(&cols);
	sb_release(&vals);
	return sql;
}

/* main's top ids of the tables moved by offset, read before any move */
struct tops {
	long long batch, field, finding;
};

static long long max_id(struct store *s, const char *table)
{
	char *sql = xasprintf("SELECT coalesce(max(id), 0) FROM main.%s", table);
	long long v = store_count(s, sql, NULL);
	free(sql);
	return v;
}

static void bind_top(sqlite3_stmt *st, const char *name, long long v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static int move_table(struct store *s, const struct table_move *m, const struct tops *t,
		      long long *n, struct err *e)
{
	char *sql = move_sql(s, m, e);
	sqlite3_stmt *st = sql ? store_prep(s, sql, e) : NULL;
	free(sql);
	if (!st)
		return -1;
	bind_top(st, ":batch", t->batch);
	bind_top(st, ":field", t->field);
	bind_top(st, ":finding", t->finding);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, m->table);
	*n = sqlite3_changes(s->db);
	sqlite3_finalize(st);
	return rc;
}

/* A book the main database has already, the same file or another version. */
static int books_refuse(struct store *s, const char *shard, struct err *e)
{
	static const char same[] =
		"SELECT t.path FROM shard.books t JOIN main.books m ON m.sha256 = t.sha256 LIMIT 1";
	static const char other[] =
		"SELECT t.path FROM shard.books t JOIN main.books m ON m.path = t.path"
		" AND m.sha256 <> t.sha256 LIMIT 1";
	const char *const sqls[2] = {same, other};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = store_prep(s, sqls[i], e);
		if (!st)
			return -1;
		int rc = 0;
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = err_set(e, i == 0 ? "shard '%s' holds '%s', which '%s' has already"
					       : "shard '%s' holds another version of '%s' than"
						 " '%s' has",
				     shard, (const char *)sqlite3_column_text(st, 0), s->path);
		sqlite3_finalize(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* What the shard says about itself. */
struct shard_meta {
	char *uuid, *shard, *set;
};

static void shard_meta_release(struct shard_meta *m)
{
	free(m->uuid);
	free(m->shard);
	free(m->set);
}

static int shard_meta_read(struct store *s, const char *path, struct shard_meta *m,
			   struct err *e)
{
	memset(m, 0, sizeof(*m));
	if (meta_get(s, "shard", "uuid", &m->uuid, e) < 0 ||
	    meta_get(s, "shard", "shard", &m->shard, e) < 0 ||
	    meta_get(s, "shard", "shard_set", &m->set, e) < 0)
		return -1;
	if (!m->uuid)
		return err_set(e, "shard '%s' has no uuid", path);
	return 0;
}

static int merges_put(struct store *s, const char *path, const struct shard_meta *m,
		      const struct store_merge_stats *ms, struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *st = store_prep(s, "INSERT INTO main.merges VALUES(?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, m->uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 3, m->shard);
	bind_text_or_null(st, 4, m->set);
	sqlite3_bind_int64(st, 5, ms->books);
	sqlite3_bind_int64(st, 6, ms->records);
	sqlite3_bind_text(st, 7, now, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot record merge");
	sqlite3_finalize(st);
	return rc;
}

static int move_all(struct store *s, const char *path, const struct shard_meta *m,
		    struct store_merge_stats *ms, struct err *e)
{
	long long n[NMOVES];
	struct tops t = {max_id(s, "batches"), max_id(s, "fields"), max_id(s, "findings")};
	if (books_refuse(s, path, e) < 0 || maps_make(s, m->set, e) < 0)
		return -1;
	for (size_t i = 0; i < NMOVES; i++)
		if (move_table(s, &moves[i], &t, &n[i], e) < 0)
			return -1;
	ms->books = n[1];
	ms->pages = n[2];
	ms->records = n[3];
	return merges_put(s, path, m, ms, e);
}

static int merge_tx(struct store *s, const char *path, struct store_merge_stats *ms,
		    struct err *e)
{
	struct shard_meta m;
	if (store_begin(s, e) < 0)
		return -1;
	int rc = shard_meta_read(s, path, &m, e);
	if (rc == 0)
		ms->already = count_text(s, "SELECT COUNT(*) FROM main.merges WHERE uuid = ?1",
					 m.uuid, 0) > 0;
	if (rc == 0 && !ms->already)
		rc = move_all(s, path, &m, ms, e);
	if (rc == 0)
		rc = store_commit(s, e);
	else
		store_rollback(s);
	shard_meta_release(&m);
	return rc;
}

/* Before any transaction: both files would be locked by one connection. */
static int shard_not_main(struct store *s, const char *path, struct err *e)
{
	char *own = store_uuid(s, e), *theirs = NULL;
	if (!own || meta_get(s, "shard", "uuid", &theirs, e) < 0) {
		free(own);
		return -1;
	}
	int same = theirs && !strcmp(own, theirs);
	free(own);
	free(theirs);
	if (same)
		return err_set(e, "shard '%s' is '%s' itself (or a copy of it)", path, s->path);
	return 0;
}

/* Attach path as schema "shard" after checking it is a hotich database of
 * our schema version; it is only read. */
static int shard_attach(struct store *s, const char *path, struct err *e)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return err_set(e, "cannot open shard '%s': %s", path, strerror(errno));
	sqlite3_stmt *st = store_prep(s, "ATTACH ? AS shard", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc < 0)
		return err_set(e, "cannot open shard '%s': %s", path, sqlite3_errmsg(s->db));
	long long v = store_count(s, "PRAGMA shard.user_version", e);
	if (v <= 0)
		rc = err_set(e, "shard '%s' is not a hotich database", path);
	else if (v != store_nmigrations)
		rc = err_set(e, "shard '%s' has schema version %lld, '%s' has %d: run this"
			     " hotich on both (or the same version that wrote them)", path, v,
			     s->path, store_nmigrations);
	else
		rc = shard_not_main(s, path, e);
	if (rc < 0)
		store_exec(s, "DETACH shard", NULL);
	return rc;
}

/* The cache holds what a shard's rows touch (SQLite's 2 MB default had
 * every row read its pages back from the WAL). */
static int shard_open(struct store *s, const char *path, struct err *e)
{
	if (shard_attach(s, path, e) < 0)
		return -1;
	return store_exec(s, "PRAGMA cache_size = -262144", e);
}

static int shard_close(struct store *s, int rc, struct err *e)
{
	struct err de = ERR_INIT;
	if (store_exec(s, "PRAGMA cache_size = -2000; DETACH shard", &de) < 0 && rc == 0)
		rc = err_set(e, "%s", de.msg);
	return rc;
}

int store_merge(struct store *s, const char *path, struct store_merge_stats *ms,
		struct err *e)
{
	memset(ms, 0, sizeof(*ms));
	if (shard_open(s, path, e) < 0)
		return -1;
	return shard_close(s, merge_tx(s, path, ms, e), e);
}

/* ---- the plan ------------------------------------------------------------------ */

/* Gather what a shard of an unplanned run holds into temp.plan_in: a row
 * for the shard itself (pages -1: a share may hold no book) and one for
 * each of its books. */
static int plan_gather(struct store *s, const char *path)
{
	struct err e = ERR_INIT;
	struct shard_meta m;
	if (shard_open(s, path, &e) < 0)
		return 0; /* store_merge names it */
	int rc = shard_meta_read(s, path, &m, &e);
	if (rc == 0 && m.set && count_text(s, "SELECT (SELECT COUNT(*) FROM main.merge_sets"
					   " WHERE shard_set = ?1) + (SELECT COUNT(*) FROM main.merges"
					   " WHERE shard_set = ?1)", m.set, 0) == 0) {
		sqlite3_stmt *st = store_prep(s, "INSERT INTO temp.plan_in SELECT ?1, ?2, NULL, -1, 0"
					      " UNION ALL SELECT ?1, ?2, c.* FROM (" SHARD_COUNTS ") c", &e);
		if (st) {
			sqlite3_bind_text(st, 1, m.set, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, m.shard, -1, SQLITE_TRANSIENT);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
	shard_meta_release(&m);
	return shard_close(s, rc, &e);
}

/* Every share 1..N of the run is there, each of its books once, and no
 * book the run did not list. */
static const char complete_sql[] =
	"SELECT shard_set FROM temp.plan_in GROUP BY shard_set"
	" HAVING COUNT(DISTINCT label) = CAST(substr(min(label), instr(min(label), '/') + 1)"
	"  AS INTEGER) AND COUNT(DISTINCT ordinal) = COUNT(ordinal)"
	" AND COUNT(*) - COUNT(ordinal) = SUM(pages = -1)";

static int plan_set(struct store *s, const char *set, struct err *e)
{
	long long top[3];
	for (int i = 0; i < 3; i++)
		top[i] = store_count(s, top_sql[i], e);
	sqlite3_stmt *st = store_prep(s, "INSERT INTO main.merge_sets VALUES(?, ?, ?, ?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, set, -1, SQLITE_TRANSIENT);
	for (int i = 0; i < 3; i++)
		sqlite3_bind_int64(st, i + 2, top[i]);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot plan merge");
	sqlite3_finalize(st);
	if (rc == 0)
		rc = exec_text(s, "INSERT INTO main.merge_plan SELECT shard_set, ordinal, pages,"
			       " records FROM temp.plan_in WHERE shard_set = ?1 AND ordinal IS NOT NULL", set,
			       "cannot plan merge", e);
	return rc;
}

static int plan_sets(struct store *s, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, complete_sql, e);
	if (!st)
		return -1;
	int rc = store_begin(s, e);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char *set = col_strdup(st, 0);
		rc = plan_set(s, set, e);
		free(set);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return store_commit(s, e);
	store_rollback(s);
	return -1;
}

int store_merge_plan(struct store *s, char *const *paths, int n, struct err *e)
{
	if (store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS plan_in(shard_set TEXT, label TEXT,"
			  " ordinal INTEGER, pages INTEGER, records INTEGER);"
			  " DELETE FROM temp.plan_in;", e) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (plan_gather(s, paths[i]) < 0)
			return -1;
	return plan_sets(s, e);
}
