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

static int migrate(struct store *s, struct err *e)
{
	int v = store_schema_version(s);
	if (v > store_nmigrations)
		return err_set(e, "database '%s' has schema version %d, newer than this "
			       "program knows (%d): upgrade hotich", s->path, v, store_nmigrations);
	for (; v < store_nmigrations; v++) {
		if (store_begin(s, e) < 0)
			return -1;
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (store_exec(s, store_migrations[v], e) < 0 || store_exec(s, pragma, e) < 0) {
			store_rollback(s);
			return -1;
		}
		if (store_commit(s, e) < 0)
			return -1;
	}
	return 0;
}

struct store *store_open(const char *path, struct err *e)
{
	struct stat sb;
	if (stat(path, &sb) < 0 && create_private(path, e) < 0)
		return NULL;
	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
	    != SQLITE_OK) {
		store_fail(s, e, "cannot open");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	if (store_exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
			  "PRAGMA synchronous = NORMAL;", e) < 0 ||
	    migrate(s, e) < 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

int store_schema_version(struct store *s)
{
	return (int)store_count(s, "PRAGMA user_version");
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

int store_begin(struct store *s, struct err *e)
{
	if (s->in_tx++)
		return 0;
	if (store_exec(s, "BEGIN IMMEDIATE", e) < 0) {
		s->in_tx = 0;
		return -1;
	}
	return 0;
}

int store_commit(struct store *s, struct err *e)
{
	if (s->in_tx == 0 || --s->in_tx > 0)
		return 0;
	if (store_exec(s, "COMMIT", e) < 0) {
		store_exec(s, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *s)
{
	if (s->in_tx == 0)
		return;
	s->in_tx = 0;
	store_exec(s, "ROLLBACK", NULL);
}

long long store_count(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_prep(s, sql, NULL);
	long long v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
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
