/* Records, their fields and findings. */
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const rec_names[] = {"new", "clean", "review", "approved", "rejected"};

const char *record_status_name(enum record_status st)
{
	return rec_names[st];
}

enum record_status record_status_parse(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (s && !strcmp(s, rec_names[i]))
			return (enum record_status)i;
	return REC_NEW;
}

void record_source_release(struct record_source *src)
{
	free(src->file);
	free(src->sha256);
	free(src->book_no);
	memset(src, 0, sizeof(*src));
}

/* Entry number as an integer for ordering: its leading digits, else NULL. */
static void bind_entry(sqlite3_stmt *st, int i, const char *so)
{
	long long v = 0;
	int any = 0;
	for (const char *p = so; p && *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (v < 1000000000000LL)
				v = v * 10 + (*p - '0');
			any = 1;
		} else if (any) {
			break;
		}
	}
	if (any)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Alternatives travel as one text joined by U+001F (unit separator). */
static char *alts_join(const struct field *f)
{
	if (!f->nalts)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < f->nalts; i++) {
		if (i)
			sb_addc(&sb, '\x1f');
		sb_adds(&sb, f->alts[i]);
	}
	return sb_detach(&sb);
}

static void alts_split(struct field *f, const char *s)
{
	while (s && *s) {
		const char *end = strchr(s, '\x1f');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char *a = xstrndup(s, n);
		field_add_alt(f, a);
		free(a);
		s = end ? end + 1 : NULL;
	}
}

/* p is NULL in the table until a field is scored. */
static void bind_p(sqlite3_stmt *st, int i, const struct field *f)
{
	if (f->p >= 0)
		sqlite3_bind_double(st, i, f->p);
	else
		sqlite3_bind_null(st, i);
}

static int fields_insert(struct store *s, const struct record *r, struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"INSERT INTO fields(record_id, name, raw, value, conf, x, y, w, h, model, alts,"
		" corrected, p, evidence) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < r->nfields && rc == 0; i++) {
		const struct field *f = &r->fields[i];
		char *alts = alts_join(f);
		sqlite3_bind_int64(st, 1, r->id);
		bind_text_or_null(st, 2, f->name);
		bind_text_or_null(st, 3, f->raw ? f->raw : "");
		bind_text_or_null(st, 4, f->value);
		sqlite3_bind_double(st, 5, f->conf);
		sqlite3_bind_int(st, 6, f->box.x);
		sqlite3_bind_int(st, 7, f->box.y);
		sqlite3_bind_int(st, 8, f->box.w);
		sqlite3_bind_int(st, 9, f->box.h);
		bind_text_or_null(st, 10, f->model);
		bind_text_or_null(st, 11, alts);
		sqlite3_bind_int(st, 12, f->corrected);
		bind_p(st, 13, f);
		bind_text_or_null(st, 14, f->evidence);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot insert field");
		sqlite3_reset(st);
		free(alts);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Insert r and its fields; r->id is set. */
static long long record_insert(struct store *s, struct record *r, long long book_id,
			       long long page_id, const char *file, const char *file_sha,
			       int row, const char *ocr_json, struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *st = store_prep(s,
		"INSERT INTO records(kind, book_id, page_id, idx, source_file, source_row,"
		" entry_no, entry_int, ocr, created_at, source_sha256)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	const char *so = record_value(r, "so");
	if (!*so)
		so = record_raw(r, "so");
	sqlite3_bind_text(st, 1, kind_code(r->kind), -1, SQLITE_STATIC);
	if (book_id)
		sqlite3_bind_int64(st, 2, book_id);
	if (page_id)
		sqlite3_bind_int64(st, 3, page_id);
	sqlite3_bind_int(st, 4, r->index);
	bind_text_or_null(st, 5, file);
	sqlite3_bind_int(st, 6, row);
	bind_text_or_null(st, 7, so);
	bind_entry(st, 8, so);
	bind_text_or_null(st, 9, ocr_json);
	sqlite3_bind_text(st, 10, now, -1, SQLITE_TRANSIENT);
	bind_text_or_null(st, 11, file_sha);
	int ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (!ok)
		return store_fail(s, e, "cannot insert record");
	r->id = sqlite3_last_insert_rowid(s->db);
	return fields_insert(s, r, e) < 0 ? -1 : r->id;
}

long long store_record_insert_keyed(struct store *s, struct record *r, const char *file,
				    const char *file_sha, int row, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	long long id = record_insert(s, r, 0, 0, file, file_sha, row, NULL, e);
	if (id < 0 || store_commit(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return id;
}

long long store_keyed_last_row(struct store *s, const char *file_sha, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, "SELECT COALESCE(MAX(source_row), 0) FROM records"
				      " WHERE source_sha256 = ?", e);
	if (!st)
		return -1;
	bind_text_or_null(st, 1, file_sha);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
		: store_fail(s, e, "cannot look up keyed rows");
	sqlite3_finalize(st);
	return v;
}

static int page_finish(struct store *s, const struct page_result *pr, struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *st = store_prep(s,
		"UPDATE pages SET status = ?, error = ?, printed_page = ?, ocr_ms = ?,"
		" done_at = ?, ms_pre = ?, ms_layout = ?, ms_values = ? WHERE id = ?", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, page_status_name(pr->status), -1, SQLITE_STATIC);
	bind_text_or_null(st, 2, pr->error);
	bind_text_or_null(st, 3, pr->printed_page);
	sqlite3_bind_int(st, 4, pr->ocr_ms);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, pr->ms_pre);
	sqlite3_bind_int(st, 7, pr->ms_layout);
	sqlite3_bind_int(st, 8, pr->ms_values);
	sqlite3_bind_int64(st, 9, pr->page_id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot update page");
	sqlite3_finalize(st);
	return rc;
}

int store_page_commit(struct store *s, const struct page_result *pr, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	/* A page read again (after a crash mid-commit cannot happen, but a
	 * re-run of a failed page can) replaces its earlier records. */
	sqlite3_stmt *del = store_prep(s, "DELETE FROM records WHERE page_id = ?"
				       " AND status IN ('new','clean','review')", e);
	int rc = del ? 0 : -1;
	if (del) {
		sqlite3_bind_int64(del, 1, pr->page_id);
		if (sqlite3_step(del) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot clear page records");
		sqlite3_finalize(del);
	}
	for (size_t i = 0; rc == 0 && i < pr->nrecs; i++)
		if (record_insert(s, &pr->recs[i], pr->book_id, pr->page_id, NULL, NULL, 0,
				  pr->ocr_json, e) < 0)
			rc = -1;
	if (rc == 0 && (pr->kind || pr->format || pr->book_no || pr->office))
		rc = store_book_set_header(s, pr->book_id, pr->kind, pr->format, pr->book_no,
					   pr->office, e);
	if (rc == 0)
		rc = page_finish(s, pr, e);
	if (rc == 0)
		rc = store_commit(s, e);
	if (rc < 0)
		store_rollback(s);
	return rc;
}

static int load_fields(struct store *s, struct record *r, struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"SELECT name, raw, value, conf, x, y, w, h, model, alts, corrected,"
		" coalesce(p, -1), evidence FROM fields WHERE record_id = ? ORDER BY id", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct field *f = record_set_raw(r, (const char *)sqlite3_column_text(st, 0),
						 (const char *)sqlite3_column_text(st, 1));
		f->value = col_strdup(st, 2);
		f->conf = (float)sqlite3_column_double(st, 3);
		f->box.x = sqlite3_column_int(st, 4);
		f->box.y = sqlite3_column_int(st, 5);
		f->box.w = sqlite3_column_int(st, 6);
		f->box.h = sqlite3_column_int(st, 7);
		f->model = col_strdup(st, 8);
		alts_split(f, (const char *)sqlite3_column_text(st, 9));
		f->corrected = sqlite3_column_int(st, 10);
		f->p = sqlite3_column_double(st, 11);
		f->evidence = col_strdup(st, 12);
	}
	sqlite3_finalize(st);
	return 0;
}

static int load_findings(struct store *s, struct record *r, struct err *e)
{
	sqlite3_stmt *st = store_prep(s,
		"SELECT field, code, message, severity, match_source, match_id, score"
		" FROM findings WHERE record_id = ? AND resolved = 0 ORDER BY id", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct finding *f = record_add_finding(r, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1), sqlite3_column_int(st, 3), "%s",
			(const char *)sqlite3_column_text(st, 2));
		f->match_source = col_strdup(st, 4);
		f->match_id = col_strdup(st, 5);
		f->score = sqlite3_column_double(st, 6);
	}
	sqlite3_finalize(st);
	return 0;
}

#define RECORD_COLS \
	"SELECT r.id, r.kind, r.idx, r.status, coalesce(r.source_file, b.name), b.sha256," \
	" coalesce(p.page_no, 0), r.source_row, r.book_id, r.page_id, b.book_no" \
	" FROM records r LEFT JOIN pages p ON p.id = r.page_id" \
	" LEFT JOIN books b ON b.id = r.book_id"

static int load_row(struct store *s, sqlite3_stmt *st, struct record *r,
		    enum record_status *status, struct record_source *src, struct err *e)
{
	record_init(r, kind_parse((const char *)sqlite3_column_text(st, 1)));
	r->id = sqlite3_column_int64(st, 0);
	r->index = sqlite3_column_int(st, 2);
	if (status)
		*status = record_status_parse((const char *)sqlite3_column_text(st, 3));
	if (src) {
		memset(src, 0, sizeof(*src));
		src->file = col_strdup(st, 4);
		src->sha256 = col_strdup(st, 5);
		src->page = sqlite3_column_int(st, 6);
		src->index = r->index;
		src->row = sqlite3_column_int(st, 7);
		src->book_id = sqlite3_column_int64(st, 8);
		src->page_id = sqlite3_column_int64(st, 9);
		src->book_no = col_strdup(st, 10);
	}
	if (load_fields(s, r, e) < 0 || load_findings(s, r, e) < 0)
		return -1;
	return 0;
}

int store_record_load(struct store *s, long long id, struct record *r,
		      enum record_status *status, struct record_source *src, struct err *e)
{
	sqlite3_stmt *st = store_prep(s, RECORD_COLS " WHERE r.id = ?", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = load_row(s, st, r, status, src, e);
	else
		rc = err_set(e, "no record %lld in the database", id);
	sqlite3_finalize(st);
	return rc;
}

int store_records_each(struct store *s, enum book_kind kind, int status,
		       store_record_fn fn, void *ctx, struct err *e)
{
	/* Collect ids first: fn may write to the tables we would be reading. */
	sqlite3_stmt *st = store_prep(s,
		"SELECT r.id FROM records r WHERE (?1 = '' OR r.kind = ?1)"
		" AND (?2 = '' OR r.status = ?2)"
		" ORDER BY r.book_id IS NULL, r.book_id, r.source_file, r.entry_int, r.idx, r.id", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, kind_code(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status >= 0 ? record_status_name(status) : "", -1,
			  SQLITE_STATIC);
	long long *ids = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ids, n + 1, cap);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct record r;
		struct record_source src;
		enum record_status rs;
		if (store_record_load(s, ids[i], &r, &rs, &src, e) < 0) {
			rc = -1;
		} else {
			rc = fn(&r, rs, &src, ctx);
		}
		record_release(&r);
		record_source_release(&src);
	}
	free(ids);
	return rc;
}

static int save_fields(struct store *s, const struct record *r, struct err *e)
{
	sqlite3_stmt *up = store_prep(s,
		"INSERT INTO fields(record_id, name, raw, value, corrected, conf, model, p,"
		" evidence) VALUES(?,?,?,?,?,?,?,?,?)"
		" ON CONFLICT(record_id, name) DO UPDATE SET value = excluded.value,"
		" corrected = excluded.corrected, conf = excluded.conf, p = excluded.p,"
		" evidence = excluded.evidence", e);
	if (!up)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < r->nfields && rc == 0; i++) {
		const struct field *f = &r->fields[i];
		sqlite3_bind_int64(up, 1, r->id);
		bind_text_or_null(up, 2, f->name);
		bind_text_or_null(up, 3, f->raw ? f->raw : "");
		bind_text_or_null(up, 4, f->value);
		sqlite3_bind_int(up, 5, f->corrected);
		/* A field a stage adds (no OCR reading) keeps conf -1: not read. */
		sqlite3_bind_double(up, 6, f->conf);
		bind_text_or_null(up, 7, f->model);
		bind_p(up, 8, f);
		bind_text_or_null(up, 9, f->evidence);
		if (sqlite3_step(up) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot save field");
		sqlite3_reset(up);
	}
	sqlite3_finalize(up);
	return rc;
}

static int save_findings(struct store *s, const struct record *r, const char *stage,
			 struct err *e)
{
	sqlite3_stmt *del = store_prep(s, "DELETE FROM findings WHERE record_id = ? AND stage = ?", e);
	if (!del)
		return -1;
	sqlite3_bind_int64(del, 1, r->id);
	sqlite3_bind_text(del, 2, stage, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(del) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot clear findings");
	sqlite3_finalize(del);
	sqlite3_stmt *ins = store_prep(s,
		"INSERT INTO findings(record_id, book_id, page_id, stage, field, code, message,"
		" severity, match_source, match_id, score)"
		" SELECT id, book_id, page_id, ?, ?, ?, ?, ?, ?, ?, ? FROM records WHERE id = ?", e);
	if (!ins)
		return -1;
	for (size_t i = 0; i < r->nfindings && rc == 0; i++) {
		const struct finding *f = &r->findings[i];
		/* A record carries every stage's findings when loaded; save only ours. */
		int is_dedup = finding_is_dedup(f->code, f->match_source);
		if (is_dedup != !strcmp(stage, "dedup"))
			continue;
		sqlite3_bind_text(ins, 1, stage, -1, SQLITE_TRANSIENT);
		bind_text_or_null(ins, 2, f->field ? f->field : "");
		bind_text_or_null(ins, 3, f->code);
		bind_text_or_null(ins, 4, f->message ? f->message : "");
		sqlite3_bind_int(ins, 5, f->severity);
		bind_text_or_null(ins, 6, f->match_source);
		bind_text_or_null(ins, 7, f->match_id);
		if (f->match_source)
			sqlite3_bind_double(ins, 8, f->score);
		else
			sqlite3_bind_null(ins, 8);
		sqlite3_bind_int64(ins, 9, r->id);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot insert finding");
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return rc;
}

int store_record_set_status(struct store *s, long long id, enum record_status st, struct err *e)
{
	char now[32];
	time_iso_now(now);
	sqlite3_stmt *u = store_prep(s, "UPDATE records SET status = ?, updated_at = ? WHERE id = ?", e);
	if (!u)
		return -1;
	sqlite3_bind_text(u, 1, record_status_name(st), -1, SQLITE_STATIC);
	sqlite3_bind_text(u, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(u, 3, id);
	int rc = sqlite3_step(u) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot set status");
	sqlite3_finalize(u);
	return rc;
}

/* The entry number the book check reads follows the "so" field, so that an
 * edit in the review tool moves the record in its book. */
static int entry_sync(struct store *s, const struct record *r, struct err *e)
{
	const char *so = record_value(r, "so");
	if (!*so)
		so = record_raw(r, "so");
	sqlite3_stmt *st = store_prep(s, "UPDATE records SET entry_no = ?, entry_int = ?"
				      " WHERE id = ? AND entry_no IS NOT ?1", e);
	if (!st)
		return -1;
	bind_text_or_null(st, 1, *so ? so : NULL);
	bind_entry(st, 2, so);
	sqlite3_bind_int64(st, 3, r->id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_fail(s, e, "cannot update entry number");
	sqlite3_finalize(st);
	return rc;
}

int store_record_save(struct store *s, const struct record *r, const char *stage,
		      enum record_status st, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	int rc = save_fields(s, r, e);
	if (rc == 0)
		rc = entry_sync(s, r, e);
	if (rc == 0)
		rc = save_findings(s, r, stage, e);
	if (rc == 0)
		rc = store_record_set_status(s, r->id, st, e);
	if (rc == 0)
		rc = store_commit(s, e);
	if (rc < 0)
		store_rollback(s);
	return rc;
}

int store_book_findings_replace(struct store *s, long long book_id, const char *stage,
				const struct book_finding *f, size_t n, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	sqlite3_stmt *del = store_prep(s, "DELETE FROM findings WHERE record_id IS NULL"
				       " AND book_id = ? AND stage = ?", e);
	int rc = del ? 0 : -1;
	if (del) {
		sqlite3_bind_int64(del, 1, book_id);
		sqlite3_bind_text(del, 2, stage, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(del) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot clear book findings");
		sqlite3_finalize(del);
	}
	sqlite3_stmt *ins = rc ? NULL : store_prep(s,
		"INSERT INTO findings(book_id, stage, code, message, severity) VALUES(?,?,?,?,?)", e);
	if (rc == 0 && !ins)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_bind_int64(ins, 1, book_id);
		sqlite3_bind_text(ins, 2, stage, -1, SQLITE_TRANSIENT);
		bind_text_or_null(ins, 3, f[i].code);
		bind_text_or_null(ins, 4, f[i].message);
		sqlite3_bind_int(ins, 5, f[i].severity);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = store_fail(s, e, "cannot insert book finding");
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	if (rc == 0)
		rc = store_commit(s, e);
	if (rc < 0)
		store_rollback(s);
	return rc;
}
