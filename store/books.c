/* Batches, books, pages and the OCR work queue. */
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const page_names[] = {"new", "done", "blank", "failed"};

const char *page_status_name(enum page_status st)
{
	return page_names[st];
}

long long store_batch_begin(struct store *s, const char *command, const char *engine,
			    const char *models_json, struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *st = store_prep(s, "INSERT INTO batches(started_at, command, engine, models)"
				      " VALUES(?,?,?,?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 2, command);
	bind_text_or_null(st, 3, engine);
	bind_text_or_null(st, 4, models_json);
	long long id = sqlite3_step(st) == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db)
						       : store_fail(s, e, "cannot start batch");
	sqlite3_finalize(st);
	return id;
}

int store_batch_finish(struct store *s, long long batch_id, const char *summary_json,
		       struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *st = store_prep(s, "UPDATE batches SET finished_at = ?, summary = ?"
				      " WHERE id = ?", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 2, summary_json);
	sqlite3_bind_int64(st, 3, batch_id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot finish batch");
	sqlite3_finalize(st);
	return rc;
}

void store_book_release(struct store_book *b)
{
	free(b->path);
	free(b->name);
	free(b->kind);
	free(b->format);
	free(b->book_no);
	free(b->office);
	free(b->status);
	free(b->error);
	memset(b, 0, sizeof(*b));
}

/*
 * The first column of the first row of sql with arg bound, 0 when there is
 * no row; -1 with e filled when the step fails (a busy database is not
 * "not found").
 */
static long long query_int(struct store *s, const char *sql, const char *arg, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, sql, e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	long long v = 0;
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		v = store_fail(s, e, "cannot look up books");
	sqlite3_finalize(st);
	return v;
}

long long store_book_by_sha(struct store *s, const char *sha256, struct err *e)
{
	return query_int(s, "SELECT id FROM books WHERE sha256 = ?", sha256, e);
}

int store_book_versions(struct store *s, const char *path, struct err *e)
{
	return (int)query_int(s, "SELECT COUNT(*) FROM books WHERE path = ?", path, e);
}

long long store_book_add(struct store *s, const struct store_book *b, struct err *e)
{
	char now[32];
	time_iso_now(now);
	int version = store_book_versions(s, b->path, e) + 1;
	if (version <= 0)
		return -1;
	sqlite3_stmt *st = store_prep(s,
		"INSERT INTO books(batch_id, path, name, sha256, size, version, kind, format,"
		" book_no, office, pages, status, error, added_at)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	if (b->batch_id)
		sqlite3_bind_int64(st, 1, b->batch_id);
	bind_text_or_null(st, 2, b->path);
	bind_text_or_null(st, 3, b->name);
	bind_text_or_null(st, 4, b->sha256);
	sqlite3_bind_int64(st, 5, b->size);
	sqlite3_bind_int(st, 6, version);
	bind_text_or_null(st, 7, b->kind);
	bind_text_or_null(st, 8, b->format);
	bind_text_or_null(st, 9, b->book_no);
	bind_text_or_null(st, 10, b->office);
	sqlite3_bind_int(st, 11, b->pages);
	bind_text_or_null(st, 12, b->status ? b->status : "ingested");
	bind_text_or_null(st, 13, b->error);
	sqlite3_bind_text(st, 14, now, -1, SQLITE_TRANSIENT);
	long long id = sqlite3_step(st) == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db)
						       : store_fail(s, e, "cannot add book");
	sqlite3_finalize(st);
	return id;
}

int store_book_load(struct store *s, long long id, struct store_book *b, struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"SELECT id, batch_id, path, name, sha256, size, kind, format, book_no, office,"
		" pages, status, error FROM books WHERE id = ?", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = 0;
	memset(b, 0, sizeof(*b));
	if (sqlite3_step(st) == SQLITE_ROW) {
		b->id = sqlite3_column_int64(st, 0);
		b->batch_id = sqlite3_column_int64(st, 1);
		b->path = col_strdup(st, 2);
		b->name = col_strdup(st, 3);
		snprintf(b->sha256, sizeof(b->sha256), "%s",
			 (const char *)sqlite3_column_text(st, 4));
		b->size = sqlite3_column_int64(st, 5);
		b->kind = col_strdup(st, 6);
		b->format = col_strdup(st, 7);
		b->book_no = col_strdup(st, 8);
		b->office = col_strdup(st, 9);
		b->pages = sqlite3_column_int(st, 10);
		b->status = col_strdup(st, 11);
		b->error = col_strdup(st, 12);
	} else {
		rc = err_set(e, "no book %lld in the database", id);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_book_set_header(struct store *s, long long book_id, const char *kind,
			  const char *format, const char *book_no, const char *office,
			  struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"UPDATE books SET kind = coalesce(?, kind), format = coalesce(?, format),"
		" book_no = coalesce(?, book_no), office = coalesce(?, office) WHERE id = ?", e);
	if (!st)
		return -1;
	bind_text_or_null(st, 1, kind);
	bind_text_or_null(st, 2, format);
	bind_text_or_null(st, 3, book_no);
	bind_text_or_null(st, 4, office);
	sqlite3_bind_int64(st, 5, book_id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot update book");
	sqlite3_finalize(st);
	return rc;
}

void store_page_release(struct store_page *p)
{
	free(p->compression);
	free(p->error);
	memset(p, 0, sizeof(*p));
}

long long store_page_add(struct store *s, const struct store_page *p, struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"INSERT INTO pages(book_id, page_no, status, width, height, bits, xres, yres,"
		" compression, error) VALUES(?,?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, p->book_id);
	sqlite3_bind_int(st, 2, p->page_no);
	sqlite3_bind_text(st, 3, page_status_name(p->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, p->width);
	sqlite3_bind_int(st, 5, p->height);
	sqlite3_bind_int(st, 6, p->bits);
	sqlite3_bind_double(st, 7, p->xres);
	sqlite3_bind_double(st, 8, p->yres);
	bind_text_or_null(st, 9, p->compression);
	bind_text_or_null(st, 10, p->error);
	long long id = sqlite3_step(st) == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db)
						       : store_fail(s, e, "cannot add page");
	sqlite3_finalize(st);
	return id;
}

void store_jobs_free(struct store_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(jobs[i].path);
		free(jobs[i].kind);
	}
	free(jobs);
}

int store_jobs_pending(struct store *s, int max_tries, struct store_job **jobs, size_t *n,
		       struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"SELECT p.id, p.book_id, p.page_no, p.attempts, b.path, b.kind, p.tries"
		" FROM pages p JOIN books b ON b.id = p.book_id"
		" WHERE p.status = 'new' OR (p.status = 'failed' AND p.tries > 0"
		" AND (?1 < 0 OR p.tries < ?1)) ORDER BY p.book_id, p.page_no", e);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, max_tries);
	size_t cap = 0;
	int rc;
	*jobs = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*jobs, *n + 1, cap);
		struct store_job *j = &(*jobs)[(*n)++];
		j->page_id = sqlite3_column_int64(st, 0);
		j->book_id = sqlite3_column_int64(st, 1);
		j->page_no = sqlite3_column_int(st, 2);
		j->attempts = sqlite3_column_int(st, 3);
		j->path = col_strdup(st, 4);
		j->kind = col_strdup(st, 5);
		j->tries = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, e, "cannot list the pages to read");
}

static int page_update(struct store *s, const char *sql, long long id, const char *text,
		       struct err *e)
{
	sqlite3_stmt *st = store_prep(s, sql, e);
	if (!st)
		return -1;
	bind_text_or_null(st, 1, text);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot update page");
	sqlite3_finalize(st);
	return rc;
}

int store_page_attempt(struct store *s, long long page_id, struct err *e)
{
	return page_update(s, "UPDATE pages SET attempts = attempts + 1 WHERE id = ?2 AND ?1 IS NULL",
			   page_id, NULL, e);
}

int store_page_fail(struct store *s, long long page_id, const char *error, struct err *e)
{
	return page_update(s, "UPDATE pages SET status = 'failed', error = ? WHERE id = ?",
			   page_id, error, e);
}

int store_page_lost(struct store *s, long long page_id, const char *error, struct err *e)
{
	return page_update(s, "UPDATE pages SET status = 'failed', error = ?, tries = tries + 1,"
			   " attempts = 0 WHERE id = ?", page_id, error, e);
}
