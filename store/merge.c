/*
 * Shards and merges: a `run --shard K/N` database marks itself as one share
 * of a run, and `merge` copies a shard's batches, books, pages (with their
 * timings), records, fields and findings into the main database with every
 * id moved past the main database's own, one transaction per shard.
 *
 * Invariants: a shard is merged once (its meta.uuid goes into merges in the
 * same transaction as its rows), so a second merge, or the same command
 * after a kill -9, changes nothing more; a book the main database already
 * holds, in this version or another, refuses the whole shard.  Books of the
 * shares of one run get the ids one run over all of them would have
 * (shard_order), so exports, ordered by book, come out the same.  Dedup's
 * own rows are not copied: dedup runs again on the merged whole.
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
	else if (!old_shard && store_count(s, "SELECT COUNT(*) FROM books") > 0)
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

/* ---- merging ---------------------------------------------------------------- */

/* How each table's ids and references move.  :batch ... :finding are the
 * main database's largest ids before the merge; books go through
 * temp.merge_books (see books_map). */
#define BOOK_OF(col) "(SELECT new FROM temp.merge_books WHERE old = t." col ")"

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
	{"pages", NULL, {{"id", "t.id + :page"}, {"book_id", BOOK_OF("book_id")}}},
	{"records", NULL,
	 {{"id", "t.id + :rec"}, {"book_id", BOOK_OF("book_id")}, {"page_id", "t.page_id + :page"}}},
	{"fields", NULL, {{"id", "t.id + :field"}, {"record_id", "t.record_id + :rec"}}},
	/* dedup's findings point at the shard's own record ids: dedup runs again */
	{"findings", "t.stage <> 'dedup'",
	 {{"id", "t.id + :finding"}, {"record_id", "t.record_id + :rec"},
	  {"book_id", BOOK_OF("book_id")}, {"page_id", "t.page_id + :page"}}},
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

struct offsets {
	long long batch, book, page, rec, field, finding;
};

static long long max_id(struct store *s, const char *table)
{
	char *sql = xasprintf("SELECT coalesce(max(id), 0) FROM main.%s", table);
	long long v = store_count(s, sql);
	free(sql);
	return v;
}

static void offsets_read(struct store *s, struct offsets *o)
{
	o->batch = max_id(s, "batches");
	o->book = max_id(s, "books");
	o->page = max_id(s, "pages");
	o->rec = max_id(s, "records");
	o->field = max_id(s, "fields");
	o->finding = max_id(s, "findings");
}

static void bind_offset(sqlite3_stmt *st, const char *name, long long v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static int move_table(struct store *s, const struct table_move *m, const struct offsets *o,
		      long long *n, struct err *e)
{
	char *sql = move_sql(s, m, e);
	sqlite3_stmt *st = sql ? store_prep(s, sql, e) : NULL;
	free(sql);
	if (!st)
		return -1;
	bind_offset(st, ":batch", o->batch);
	bind_offset(st, ":page", o->page);
	bind_offset(st, ":rec", o->rec);
	bind_offset(st, ":field", o->field);
	bind_offset(st, ":finding", o->finding);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, m->table);
	*n = sqlite3_changes(s->db);
	sqlite3_finalize(st);
	return rc;
}

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

/* One integer from sql with ?1 bound to text; dflt when no row. */
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
 * Where the shard's books go.  The shares of one run (shard_set) share one
 * base, the main database's top book id when the run's first share came
 * in, and each book goes to base + its place in the whole run; a book the
 * run did not list, or any clash with ids already taken, puts the shard's
 * books after the main database's instead (right, only ordered otherwise).
 */
static int books_map(struct store *s, const char *set, long long top, long long *base,
		     struct err *e)
{
	*base = set ? count_text(s, "SELECT base FROM main.merges WHERE shard_set = ?1", set, top)
		    : top;
	char *fill = xasprintf(
		"CREATE TEMP TABLE IF NOT EXISTS merge_books(old INTEGER PRIMARY KEY, new INTEGER);"
		"DELETE FROM temp.merge_books;"
		"INSERT INTO temp.merge_books SELECT b.id, %lld + o.ordinal FROM shard.books b"
		" JOIN shard.shard_order o ON o.path = b.path;", *base);
	int rc = store_exec(s, fill, e);
	free(fill);
	if (rc < 0)
		return -1;
	long long clash = store_count(s,
		"SELECT (SELECT COUNT(*) FROM shard.books) <> (SELECT COUNT(*) FROM temp.merge_books)"
		" OR EXISTS (SELECT 1 FROM temp.merge_books WHERE new IN (SELECT id FROM main.books))");
	if (clash == 0)
		return 0;
	*base = top;
	char *plain = xasprintf("DELETE FROM temp.merge_books;"
				"INSERT INTO temp.merge_books SELECT id, id + %lld FROM shard.books;",
				top);
	rc = store_exec(s, plain, e);
	free(plain);
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

static int merges_put(struct store *s, const char *uuid, const char *shard,
		      const char *label, const char *set, long long base,
		      const struct store_merge_stats *ms, struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *st = store_prep(s, "INSERT INTO main.merges VALUES(?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, shard, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 3, label);
	bind_text_or_null(st, 4, set);
	sqlite3_bind_int64(st, 5, base);
	sqlite3_bind_int64(st, 6, ms->books);
	sqlite3_bind_int64(st, 7, ms->records);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot record merge");
	sqlite3_finalize(st);
	return rc;
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

/* ---- one run's order --------------------------------------------------------- */

/*
 * Once every share of a run is in, its pages and records take the ids one
 * run would have given them (book, page, position on the page), among the
 * ids they already hold, so nothing else moves: export's STT is the record
 * id.  Ids go negative and back so no unique index sees two rows at once;
 * foreign keys are checked at commit.
 */
#define SET_BOOKS "SELECT mb.book_id FROM main.merged_books mb" \
	" JOIN main.merges m ON m.uuid = mb.uuid WHERE m.shard_set = ?1"

struct ref {
	const char *table, *col;
};

static const struct renumber {
	const char *table;
	const char *rows;	/* id and the order one run gives, of the run's rows */
	struct ref refs[6];
} renumbers[] = {
	{"pages",
	 "SELECT id, book_id AS o1, page_no AS o2, 0 AS o3 FROM main.pages"
	 " WHERE book_id IN (" SET_BOOKS ")",
	 {{"records", "page_id"}, {"findings", "page_id"}}},
	{"records",
	 "SELECT r.id, r.book_id AS o1, p.page_no AS o2, r.idx AS o3 FROM main.records r"
	 " LEFT JOIN main.pages p ON p.id = r.page_id WHERE r.book_id IN (" SET_BOOKS ")",
	 {{"fields", "record_id"}, {"findings", "record_id"}, {"dedup_keys", "record_id"},
	  {"matches", "record_id"}, {"reviews", "record_id"}, {"export_records", "record_id"}}},
};

static int renum_fill(struct store *s, const struct renumber *r, const char *set,
		      struct err *e)
{
	if (store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS renum(old INTEGER PRIMARY KEY,"
			  " new INTEGER NOT NULL); DELETE FROM temp.renum;", e) < 0)
		return -1;
	char *sql = xasprintf(
		"INSERT INTO temp.renum WITH x AS (%s),"
		" w AS (SELECT id, row_number() OVER (ORDER BY o1, o2, o3, id) AS rn FROM x),"
		" h AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM x)"
		" SELECT w.id, h.id FROM w JOIN h ON h.rn = w.rn WHERE w.id <> h.id", r->rows);
	int rc = exec_text(s, sql, set, "cannot renumber", e);
	free(sql);
	return rc;
}

static int renum_column(struct store *s, const char *table, const char *col, struct err *e)
{
	char *sql = xasprintf(
		"UPDATE main.%1$s SET %2$s = -(SELECT new FROM temp.renum WHERE old = %2$s)"
		" WHERE %2$s IN (SELECT old FROM temp.renum);"
		"UPDATE main.%1$s SET %2$s = -%2$s WHERE %2$s < 0;", table, col);
	int rc = store_exec(s, sql, e);
	free(sql);
	return rc;
}

static int renumber_run(struct store *s, const char *set, struct err *e)
{
	if (store_exec(s, "PRAGMA defer_foreign_keys = ON", e) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(renumbers) / sizeof(*renumbers); i++) {
		const struct renumber *r = &renumbers[i];
		if (renum_fill(s, r, set, e) < 0 || renum_column(s, r->table, "id", e) < 0)
			return -1;
		for (size_t k = 0; k < sizeof(r->refs) / sizeof(*r->refs) && r->refs[k].table; k++)
			if (renum_column(s, r->refs[k].table, r->refs[k].col, e) < 0)
				return -1;
	}
	return 0;
}

/* Every share of the run is in: "K/N" and N merges of its set. */
static int run_complete(struct store *s, const struct shard_meta *m)
{
	int k, n;
	if (!m->set || !m->shard || sscanf(m->shard, "%d/%d", &k, &n) != 2)
		return 0;
	return count_text(s, "SELECT COUNT(*) FROM main.merges WHERE shard_set = ?1", m->set, 0)
	       >= n;
}

static int books_note(struct store *s, const char *uuid, struct err *e)
{
	return exec_text(s, "INSERT INTO main.merged_books SELECT new, ?1 FROM temp.merge_books",
			 uuid, "cannot note books", e);
}

static int move_all(struct store *s, const char *path, const struct shard_meta *m,
		    struct store_merge_stats *ms, struct err *e)
{
	struct offsets o;
	long long base, n[NMOVES];
	offsets_read(s, &o);
	if (books_refuse(s, path, e) < 0 || books_map(s, m->set, o.book, &base, e) < 0)
		return -1;
	for (size_t i = 0; i < NMOVES; i++)
		if (move_table(s, &moves[i], &o, &n[i], e) < 0)
			return -1;
	ms->books = n[1];
	ms->pages = n[2];
	ms->records = n[3];
	if (books_note(s, m->uuid, e) < 0 ||
	    merges_put(s, m->uuid, path, m->shard, m->set, base, ms, e) < 0)
		return -1;
	return run_complete(s, m) ? renumber_run(s, m->set, e) : 0;
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
	long long v = store_count(s, "PRAGMA shard.user_version");
	if (v <= 0) {
		store_exec(s, "DETACH shard", NULL);
		return err_set(e, "shard '%s' is not a hotich database", path);
	}
	if (v != store_nmigrations) {
		store_exec(s, "DETACH shard", NULL);
		return err_set(e, "shard '%s' has schema version %lld, '%s' has %d: run this"
			       " hotich on both (or the same version that wrote them)", path, v,
			       s->path, store_nmigrations);
	}
	if (shard_not_main(s, path, e) < 0) {
		store_exec(s, "DETACH shard", NULL);
		return -1;
	}
	return 0;
}

int store_merge(struct store *s, const char *path, struct store_merge_stats *ms,
		struct err *e)
{
	memset(ms, 0, sizeof(*ms));
	if (shard_attach(s, path, e) < 0)
		return -1;
	int rc = merge_tx(s, path, ms, e);
	struct err de = ERR_INIT;
	if (store_exec(s, "DETACH shard", &de) < 0 && rc == 0)
		rc = err_set(e, "%s", de.msg);
	return rc;
}
