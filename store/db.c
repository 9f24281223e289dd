/* Opening, migrating, transactions, and the thin statement wrapper. */
#include "store/internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int store_fail(struct store *s, struct err *e, const char *what)
{
	return err_set(e, "database '%s': %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_prep(struct store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, e, "cannot prepare statement");
		return NULL;
	}
	return st;
}

void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* Create the file 0600 before SQLite does, so it never exists wider. */
static int create_private(const char *path, struct err *e)
{
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return err_set(e, "cannot create database '%s'", path);
	close(fd);
	return 0;
}

/*
 * A database an older hotich created 0644 (and the WAL beside it, which
 * holds the same records) is narrowed to 0600 as new ones are.  Not being
 * the owner is not an error: then it is not ours to change.
 */
static void tighten(const char *path, const char *suffix)
{
	char p[4096];
	struct stat sb;
	if (snprintf(p, sizeof(p), "%s%s", path, suffix) >= (int)sizeof(p))
		return;
	if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
		(void)chmod(p, sb.st_mode & 0700);
}

/* One integer from a one-row query; -1 with e filled when it fails. */
long long store_count(struct store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, sql, e);
	if (!st)
		return -1;
	long long v = -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		store_fail(s, e, rc == SQLITE_DONE ? "query returned no row" : "query failed");
	sqlite3_finalize(st);
	return v;
}

/*
 * Is this file hotich's?  Ours carry HOTICH_APPLICATION_ID; one that an
 * older hotich created has id 0 and our tables; an empty file is a new
 * database.  Reads only, so a file that is refused is left untouched.
 */
static int check_identity(struct store *s, struct err *e)
{
	long long app = store_count(s, "PRAGMA application_id", e);
	long long tables = store_count(s, "SELECT COUNT(*) FROM sqlite_master", e);
	long long ours = store_count(s, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
				     " AND name IN ('batches', 'books', 'pages', 'records')", e);
	if (app < 0 || tables < 0 || ours < 0)
		return -1;
	if (app == HOTICH_APPLICATION_ID || (app == 0 && (tables == 0 || ours == 4)))
		return 0;
	return err_set(e, "'%s' is a SQLite database but not hotich's: left untouched "
		       "(give another --db)", s->path);
}

static int check_version(struct store *s, struct err *e)
{
	int v = store_schema_version(s, e);
	if (v < 0)
		return -1;
	if (v > store_nmigrations)
		return err_set(e, "database '%s' has schema version %d, newer than this "
			       "program knows (%d): upgrade hotich", s->path, v, store_nmigrations);
	return 0;
}

static int migrate(struct store *s, struct err *e)
{
	int v = store_schema_version(s, e);
	if (v < 0)
		return -1;
	for (; v < store_nmigrations; v++) {
		if (store_begin(s, e) < 0)
			return -1;
		char pragma[96];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d; PRAGMA application_id = %d",
			 v + 1, HOTICH_APPLICATION_ID);
		if (store_exec(s, store_migrations[v], e) < 0 || store_exec(s, pragma, e) < 0) {
			store_rollback(s);
			return -1;
		}
		if (store_commit(s, e) < 0)
			return -1;
	}
	/* An older hotich's database, up to date: say whose it is from now on. */
	long long app = store_count(s, "PRAGMA application_id", e);
	if (app < 0)
		return -1;
	if (app == HOTICH_APPLICATION_ID)
		return 0;
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA application_id = %d", HOTICH_APPLICATION_ID);
	return store_exec(s, pragma, e);
}

/* The file must exist unless create; nothing is written before the checks. */
static struct store *open_db(const char *path, int create, struct err *e)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		if (!create) {
			err_set(e, "no database '%s' (run or ingest creates one; is --db right?)", path);
			return NULL;
		}
		if (create_private(path, e) < 0)
			return NULL;
	}
	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		store_fail(s, e, "cannot open");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	if (check_identity(s, e) < 0 || check_version(s, e) < 0) {
		store_close(s);
		return NULL;
	}
	tighten(path, "");
	tighten(path, "-wal");
	tighten(path, "-shm");
	if (store_exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
			  "PRAGMA synchronous = NORMAL;", e) < 0 ||
	    migrate(s, e) < 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *store_open(const char *path, struct err *e)
{
	return open_db(path, 1, e);
}

struct store *store_open_existing(const char *path, struct err *e)
{
	return open_db(path, 0, e);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

int store_schema_version(struct store *s, struct err *e)
{
	return (int)store_count(s, "PRAGMA user_version", e);
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, "database '%s': %s", s->path, msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Nesting: the outermost level is BEGIN IMMEDIATE ... COMMIT and each inner
 * level a SAVEPOINT, so an inner rollback undoes only its own part and the
 * outer commit saves exactly what is left.  When SQLite has rolled the
 * whole transaction back itself (a full disk, an I/O error) the store is
 * poisoned: every later commit of it fails rather than report work that
 * was never saved.  A failed inner commit leaves its level open for the
 * caller's store_rollback(); a failed outer one has rolled back already.
 */
static int rolled_back(struct store *s, struct err *e)
{
	return err_set(e, "database '%s': the transaction was rolled back by an earlier "
		       "failure, nothing of it was saved", s->path);
}

int store_begin(struct store *s, struct err *e)
{
	char sql[64];
	if (s->in_tx == 0) {
		s->poisoned = 0;
		if (store_exec(s, "BEGIN IMMEDIATE", e) < 0)
			return -1;
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT hotich_sp%d", s->in_tx);
		if (store_exec(s, sql, e) < 0)
			return -1;
	}
	s->in_tx++;
	return 0;
}

int store_commit(struct store *s, struct err *e)
{
	char sql[64];
	if (s->in_tx == 0)
		return 0;
	if (s->poisoned || sqlite3_get_autocommit(s->db)) {
		s->poisoned = 1;
		if (s->in_tx == 1)
			store_rollback(s);
		return rolled_back(s, e);
	}
	if (s->in_tx > 1) {
		snprintf(sql, sizeof(sql), "RELEASE hotich_sp%d", s->in_tx - 1);
		if (store_exec(s, sql, e) < 0) {
			s->poisoned = 1;
			return -1;
		}
		s->in_tx--;
		return 0;
	}
	s->in_tx = 0;
	if (store_exec(s, "COMMIT", e) < 0) {
		store_exec(s, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *s)
{
	char sql[96];
	if (s->in_tx == 0)
		return;
	if (--s->in_tx == 0) {
		s->poisoned = 0;
		if (!sqlite3_get_autocommit(s->db))
			store_exec(s, "ROLLBACK", NULL);
		return;
	}
	snprintf(sql, sizeof(sql), "ROLLBACK TO hotich_sp%d; RELEASE hotich_sp%d", s->in_tx,
		 s->in_tx);
	if (sqlite3_get_autocommit(s->db) || store_exec(s, sql, NULL) < 0)
		s->poisoned = 1;
}

long long store_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(s->db);
}

int store_changes(struct store *s)
{
	return sqlite3_changes(s->db);
}

struct store_stmt *store_prepare(struct store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, sql, e);
	if (!st)
		return NULL;
	struct store_stmt *w = xmalloc(sizeof(*w));
	w->s = s;
	w->st = st;
	return w;
}

void store_finalize(struct store_stmt *w)
{
	if (!w)
		return;
	sqlite3_finalize(w->st);
	free(w);
}

void store_reset(struct store_stmt *w)
{
	sqlite3_reset(w->st);
	sqlite3_clear_bindings(w->st);
}

void store_bind_int(struct store_stmt *w, int i, long long v) { sqlite3_bind_int64(w->st, i, v); }
void store_bind_double(struct store_stmt *w, int i, double v) { sqlite3_bind_double(w->st, i, v); }
void store_bind_text(struct store_stmt *w, int i, const char *v) { bind_text_or_null(w->st, i, v); }

int store_step(struct store_stmt *w, struct err *e)
{
	int rc = sqlite3_step(w->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(w->s, e, "statement failed");
}

long long store_col_int(struct store_stmt *w, int i) { return sqlite3_column_int64(w->st, i); }
double store_col_double(struct store_stmt *w, int i) { return sqlite3_column_double(w->st, i); }
int store_col_is_null(struct store_stmt *w, int i) { return sqlite3_column_type(w->st, i) == SQLITE_NULL; }

const char *store_col_text(struct store_stmt *w, int i)
{
	const unsigned char *t = sqlite3_column_text(w->st, i);
	return t ? (const char *)t : "";
}
