/*
 * dedup's tables through store_prepare(): existing rows with their keys,
 * name frequencies, matches and the "linked" mark.  Schema in
 * store/schema.c (existing, dedup_keys, dedup_tf, dedup_runs, matches).
 */
#include "dedup/dedup.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static const char *const tf_field[DEDUP_TF_FIELDS] = {"surname", "given"};

/* Bind keys k1..k5 at positions first.. (NULL for an empty key). */
static void bind_keys(struct store_stmt *st, int first, char key[DEDUP_NRULES][DEDUP_KEY_LEN])
{
	for (int i = 0; i < DEDUP_NRULES; i++)
		store_bind_text(st, first + i, key[i][0] ? key[i] : NULL);
}

/* One statement run to completion. */
static int run1(struct store_stmt *st, struct err *e)
{
	int rc = store_step(st, e);
	store_reset(st);
	return rc < 0 ? -1 : 0;
}

/* ---- importing existing records ------------------------------------------ */

struct dedup_importer {
	struct store *s;
	enum book_kind kind;
	struct store_stmt *put;
	struct dedup_tf *tf;
	struct dedup_entity x;
};

struct dedup_importer *dedup_importer_new(struct store *s, enum book_kind kind, struct err *e)
{
	dedup_init();
	struct store_stmt *put = store_prepare(s,
		"INSERT INTO existing(kind, stt, data, cmp, k1, k2, k3, k4, k5)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(kind, stt) DO UPDATE SET"
		" data = excluded.data, cmp = excluded.cmp, k1 = excluded.k1, k2 = excluded.k2,"
		" k3 = excluded.k3, k4 = excluded.k4, k5 = excluded.k5", e);
	if (!put)
		return NULL;
	/* Six indexes take random inserts: a larger page cache (SQLite's, fixed
	 * size, not growing with the file) saves rereading their pages. */
	store_exec(s, "PRAGMA cache_size = -131072", NULL);
	struct dedup_importer *im = xcalloc(1, sizeof(*im));
	struct dedup_entity empty = DEDUP_ENTITY_INIT;
	im->s = s;
	im->kind = kind;
	im->put = put;
	im->tf = dedup_tf_new();
	im->x = empty;
	return im;
}

static char *record_json(const struct record *r)
{
	json_t *o = json_object();
	for (size_t i = 0; i < r->nfields; i++)
		json_object_set_new(o, r->fields[i].name, json_string(r->fields[i].raw));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

int dedup_importer_put(struct dedup_importer *im, const char *stt, const struct record *r,
		       struct err *e)
{
	char key[DEDUP_NRULES][DEDUP_KEY_LEN];
	dedup_entity_from_record(r, &im->x);
	dedup_entity_keys(&im->x, key);
	char *cmp = dedup_entity_encode(&im->x);
	char *data = record_json(r);
	store_bind_text(im->put, 1, kind_code(im->kind));
	store_bind_text(im->put, 2, stt);
	store_bind_text(im->put, 3, data ? data : "{}");
	store_bind_text(im->put, 4, cmp);
	bind_keys(im->put, 5, key);
	int rc = run1(im->put, e);
	if (rc == 0)
		dedup_tf_add_entity(im->tf, &im->x);
	free(cmp);
	free(data);
	return rc;
}

int dedup_importer_finish(struct dedup_importer *im, struct err *e)
{
	return dedup_tf_save(im->s, im->kind, im->tf, e);
}

void dedup_importer_free(struct dedup_importer *im)
{
	if (!im)
		return;
	store_finalize(im->put);
	dedup_tf_free(im->tf);
	dedup_entity_release(&im->x);
	free(im);
}

/* ---- name frequencies ------------------------------------------------------- */

struct tf_save {
	struct store_stmt *st;
	const char *kind;
	struct err *e;
	int rc;
};

static void tf_save_one(int slot, const char *value, long long n, void *ctx)
{
	struct tf_save *ts = ctx;
	if (ts->rc)
		return;
	store_bind_text(ts->st, 1, ts->kind);
	store_bind_text(ts->st, 2, tf_field[slot]);
	store_bind_text(ts->st, 3, value);
	store_bind_int(ts->st, 4, n);
	ts->rc = run1(ts->st, ts->e);
}

int dedup_tf_save(struct store *s, enum book_kind kind, const struct dedup_tf *tf, struct err *e)
{
	struct tf_save ts = {NULL, kind_code(kind), e, 0};
	ts.st = store_prepare(s, "INSERT INTO dedup_tf(kind, field, value, n) VALUES(?,?,?,?)"
			      " ON CONFLICT(kind, field, value) DO UPDATE SET n = n + excluded.n", e);
	if (!ts.st || store_begin(s, e) < 0) {
		store_finalize(ts.st);
		return -1;
	}
	dedup_tf_each(tf, tf_save_one, &ts);
	store_finalize(ts.st);
	if (ts.rc == 0 && store_commit(s, e) == 0)
		return 0;
	store_rollback(s);
	return -1;
}

int dedup_tf_load(struct store *s, enum book_kind kind, struct dedup_tf *tf, struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT field, value, n FROM dedup_tf WHERE kind = ?", e);
	if (!st)
		return -1;
	store_bind_text(st, 1, kind_code(kind));
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		const char *f = store_col_text(st, 0);
		int slot = !strcmp(f, tf_field[0]) ? 0 : !strcmp(f, tf_field[1]) ? 1 : -1;
		dedup_tf_add(tf, slot, store_col_text(st, 1), store_col_int(st, 2));
	}
	store_finalize(st);
	return rc;
}

/* ---- matches and the linked mark ------------------------------------------- */

static int match_put(struct store *s, long long id, const struct dedup_match *m, size_t n,
		     struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO matches(record_id, source, other_id, score) VALUES(?,?,?,?)"
		" ON CONFLICT(record_id, source, other_id) DO UPDATE SET score = excluded.score", e);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, m[i].source);
		store_bind_text(st, 3, m[i].other);
		store_bind_double(st, 4, m[i].score);
		rc = run1(st, e);
	}
	store_finalize(st);
	return rc;
}

static int exec_id(struct store *s, const char *sql, long long id, struct err *e)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	int rc = run1(st, e);
	store_finalize(st);
	return rc;
}

int dedup_record_done(struct store *s, long long id, const struct dedup_match *m, size_t n,
		      struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	/* Undecided matches are this run's to redo; decided ones are kept. */
	int rc = exec_id(s, "DELETE FROM matches WHERE record_id = ?1 AND decision IS NULL", id, e);
	if (rc == 0)
		rc = match_put(s, id, m, n, e);
	if (rc == 0)
		rc = exec_id(s, "UPDATE dedup_keys SET seen = (SELECT coalesce(updated_at,"
			     " created_at) FROM records WHERE id = ?1) WHERE record_id = ?1", id, e);
	if (rc == 0)
		rc = store_commit(s, e);
	if (rc < 0)
		store_rollback(s);
	return rc;
}

int dedup_record_flagged(struct store *s, long long id, struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT EXISTS(SELECT 1 FROM findings WHERE record_id = ? AND stage = 'dedup')", e);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	int rc = store_step(st, e);
	if (rc == 1)
		rc = (int)store_col_int(st, 0);
	store_finalize(st);
	return rc;
}
