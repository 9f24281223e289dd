/*
 * The review queue: what needs a human, as items with stable ids, and the
 * --list NDJSON form of each.  Reads only.
 */
#include "review/review.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static const char *const group_names[GROUP_COUNT] = {"field", "duplicate", "missing", "page"};
static const char *const group_titles[GROUP_COUNT] = {
	"field findings", "duplicates", "missing entries", "failed pages"};

const char *review_group_name(enum review_group g)
{
	return group_names[g];
}

const char *review_group_title(enum review_group g)
{
	return group_titles[g];
}

int review_group_parse(const char *s)
{
	for (int i = 0; i < GROUP_COUNT; i++)
		if (s && !strcmp(s, group_names[i]))
			return i;
	return -1;
}

static void item_release(struct review_item *it)
{
	for (size_t i = 0; i < it->nreasons; i++) {
		struct review_reason *r = &it->reasons[i];
		free(r->field);
		free(r->code);
		free(r->message);
		free(r->match_source);
		free(r->match_id);
	}
	free(it->reasons);
	free(it->book);
	free(it->entry);
	free(it->claimed_by);
	memset(it, 0, sizeof(*it));
}

void review_queue_release(struct review_queue *q)
{
	for (size_t i = 0; i < q->n; i++)
		item_release(&q->items[i]);
	free(q->items);
	memset(q, 0, sizeof(*q));
}

long review_queue_find(const struct review_queue *q, const char *id)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->items[i].id, id))
			return (long)i;
	return -1;
}

static struct review_reason *reason_add(struct review_item *it, const char *field,
					const char *code, const char *message, int sev)
{
	ALLOC_GROW(it->reasons, it->nreasons + 1, it->reasons_alloc);
	struct review_reason *r = &it->reasons[it->nreasons++];
	memset(r, 0, sizeof(*r));
	r->field = xstrdup(field);
	r->code = xstrdup(code);
	r->message = xstrdup(message);
	r->severity = (enum severity)sev;
	return r;
}

static char *col_dup_or_null(struct store_stmt *st, int i)
{
	return store_col_is_null(st, i) ? NULL : xstrdup(store_col_text(st, i));
}

/* A book filter matches on folded text: "so 03" finds "Sổ 03". */
static int book_matches(const struct review_filter *f, const char *book)
{
	if (!f || !f->book || !*f->book)
		return 1;
	char *a = text_fold(book), *b = text_fold(f->book);
	int hit = strstr(a, b) != NULL;
	free(a);
	free(b);
	return hit;
}

/* Items collect per group first, then join in group order. */
struct groups {
	struct review_queue g[GROUP_COUNT];
};

static struct review_item *group_push(struct groups *gs, enum review_group g)
{
	struct review_queue *q = &gs->g[g];
	ALLOC_GROW(q->items, q->n + 1, q->alloc);
	struct review_item *it = &q->items[q->n++];
	memset(it, 0, sizeof(*it));
	it->group = g;
	return it;
}

#define CLAIM_OF(expr) \
	"(SELECT c.reviewer FROM claims c WHERE c.item = " expr \
	" AND c.reviewer <> ?1 AND c.expires_at > ?2)"

static const char records_sql[] =
	"SELECT r.id, r.kind, coalesce(r.book_id, 0), coalesce(r.page_id, 0),"
	" coalesce(b.name, r.source_file, ''), coalesce(r.entry_no, ''), coalesce(p.page_no, 0),"
	" " CLAIM_OF("'r' || r.id") ","
	" f.id, f.field, f.code, f.message, f.severity, f.match_source, f.match_id, f.score"
	" FROM records r LEFT JOIN books b ON b.id = r.book_id"
	" LEFT JOIN pages p ON p.id = r.page_id"
	" LEFT JOIN findings f ON f.record_id = r.id AND f.resolved = 0"
	" WHERE r.status = 'review'"
	" ORDER BY r.book_id IS NULL, r.book_id, r.source_file, r.entry_int, r.idx, r.id, f.id";

static void record_reason_add(struct review_item *it, struct store_stmt *st)
{
	if (store_col_is_null(st, 8))
		return;
	struct review_reason *r = reason_add(it, store_col_text(st, 9), store_col_text(st, 10),
					     store_col_text(st, 11), (int)store_col_int(st, 12));
	r->finding_id = store_col_int(st, 8);
	r->match_source = col_dup_or_null(st, 13);
	r->match_id = col_dup_or_null(st, 14);
	r->score = store_col_double(st, 15);
}

static int item_is_duplicate(const struct review_item *it)
{
	for (size_t i = 0; i < it->nreasons; i++)
		if (finding_is_dedup(it->reasons[i].code, it->reasons[i].match_source))
			return 1;
	return 0;
}

/* The item takes its group before it is copied in (group_push's own
 * setting would be overwritten by the copy). */
static void record_push(struct groups *gs, struct review_item *cur)
{
	cur->group = item_is_duplicate(cur) ? GROUP_DUPLICATE : GROUP_FIELD;
	*group_push(gs, cur->group) = *cur;
}

/* Records in review arrive one row per finding; a record's rows are adjacent. */
static int load_records(struct store *s, struct groups *gs, const char *reviewer,
			long long now, struct err *e)
{
	struct store_stmt *st = store_prepare(s, records_sql, e);
	if (!st)
		return -1;
	store_bind_text(st, 1, reviewer);
	store_bind_int(st, 2, now);
	struct review_item cur = {0};
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		long long id = store_col_int(st, 0);
		if (cur.record_id != id) {
			if (cur.record_id)
				record_push(gs, &cur);
			memset(&cur, 0, sizeof(cur));
			cur.record_id = id;
			snprintf(cur.id, sizeof(cur.id), "r%lld", id);
			cur.kind = kind_parse(store_col_text(st, 1));
			cur.book_id = store_col_int(st, 2);
			cur.page_id = store_col_int(st, 3);
			cur.book = xstrdup(store_col_text(st, 4));
			cur.entry = xstrdup(store_col_text(st, 5));
			cur.page = (int)store_col_int(st, 6);
			cur.claimed_by = col_dup_or_null(st, 7);
		}
		record_reason_add(&cur, st);
	}
	if (cur.record_id)
		record_push(gs, &cur);
	store_finalize(st);
	return rc;
}

static int load_book_findings(struct store *s, struct groups *gs, const char *reviewer,
			      long long now, struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT f.id, f.book_id, coalesce(b.name, ''), coalesce(b.kind, ''), f.field, f.code,"
		" f.message, f.severity, " CLAIM_OF("'f' || f.id")
		" FROM findings f LEFT JOIN books b ON b.id = f.book_id"
		" WHERE f.record_id IS NULL AND f.resolved = 0 ORDER BY f.book_id, f.id", e);
	if (!st)
		return -1;
	store_bind_text(st, 1, reviewer);
	store_bind_int(st, 2, now);
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		struct review_item *it = group_push(gs, GROUP_MISSING);
		it->finding_id = store_col_int(st, 0);
		snprintf(it->id, sizeof(it->id), "f%lld", it->finding_id);
		it->book_id = store_col_int(st, 1);
		it->book = xstrdup(store_col_text(st, 2));
		it->kind = kind_parse(store_col_text(st, 3));
		it->entry = xstrdup("");
		it->claimed_by = col_dup_or_null(st, 8);
		struct review_reason *r = reason_add(it, store_col_text(st, 4), store_col_text(st, 5),
						     store_col_text(st, 6), (int)store_col_int(st, 7));
		r->finding_id = it->finding_id;
	}
	store_finalize(st);
	return rc;
}

/* A failed page or book leaves the queue once a supervisor has decided on it
 * (the decision is the audit row itself: there is no other state to keep). */
static const char failed_sql[] =
	"SELECT 'p' || p.id, p.id, p.book_id, b.name, coalesce(b.kind, ''), p.page_no,"
	"  coalesce(p.error, ''), " CLAIM_OF("'p' || p.id")
	" FROM pages p JOIN books b ON b.id = p.book_id WHERE p.status = 'failed'"
	"  AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.item = 'p' || p.id)"
	" UNION ALL "
	"SELECT 'bk' || b.id, 0, b.id, b.name, coalesce(b.kind, ''), 0, coalesce(b.error, ''),"
	"  " CLAIM_OF("'bk' || b.id")
	" FROM books b WHERE b.status = 'failed'"
	"  AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.item = 'bk' || b.id)"
	" ORDER BY 3, 6";

static int load_failed(struct store *s, struct groups *gs, const char *reviewer,
		       long long now, struct err *e)
{
	struct store_stmt *st = store_prepare(s, failed_sql, e);
	if (!st)
		return -1;
	store_bind_text(st, 1, reviewer);
	store_bind_int(st, 2, now);
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		struct review_item *it = group_push(gs, GROUP_PAGE);
		snprintf(it->id, sizeof(it->id), "%s", store_col_text(st, 0));
		it->page_id = store_col_int(st, 1);
		it->book_id = store_col_int(st, 2);
		it->book = xstrdup(store_col_text(st, 3));
		it->kind = kind_parse(store_col_text(st, 4));
		it->page = (int)store_col_int(st, 5);
		it->entry = xstrdup("");
		it->claimed_by = col_dup_or_null(st, 7);
		reason_add(it, "", it->page_id ? "page_failed" : "book_failed",
			   store_col_text(st, 6), SEV_ERROR);
	}
	store_finalize(st);
	return rc;
}

/* Join the groups in order, dropping what the filter does not want. */
static void groups_join(struct groups *gs, const struct review_filter *f, struct review_queue *q)
{
	for (int g = 0; g < GROUP_COUNT; g++) {
		struct review_queue *src = &gs->g[g];
		for (size_t i = 0; i < src->n; i++) {
			struct review_item *it = &src->items[i];
			int in_book = book_matches(f, it->book);
			if (in_book)
				q->count[g]++;
			if (!in_book || (f && f->group >= 0 && f->group != g)) {
				item_release(it);
				continue;
			}
			ALLOC_GROW(q->items, q->n + 1, q->alloc);
			q->items[q->n++] = *it;
		}
		free(src->items);
	}
}

int review_queue_load(struct store *s, const struct review_filter *f, const char *reviewer,
		      long long now, struct review_queue *q, struct err *e)
{
	struct groups gs;
	memset(&gs, 0, sizeof(gs));
	memset(q, 0, sizeof(*q));
	int rc = load_records(s, &gs, reviewer, now, e);
	if (rc == 0)
		rc = load_book_findings(s, &gs, reviewer, now, e);
	if (rc == 0)
		rc = load_failed(s, &gs, reviewer, now, e);
	groups_join(&gs, f, q);
	if (rc < 0)
		review_queue_release(q);
	return rc < 0 ? -1 : 0;
}

/* ---- --list ---------------------------------------------------------- */

/* jansson refuses invalid UTF-8; the database should hold none, but a
 * refused string would silently drop its key. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (!j) {
		char *fixed = text_nfc(s);
		j = json_string(fixed);
		free(fixed);
	}
	return j;
}

static json_t *record_json(const struct record *r)
{
	json_t *o = json_object();
	size_t n;
	const char *const *cols = columns_of(r->kind, &n);
	for (size_t i = 0; i < n; i++) {
		const struct field *f = record_field(r, cols[i]);
		const char *v = !f ? "" : f->value ? f->value : f->raw;
		json_object_set_new(o, cols[i], jstr(v));
	}
	return o;
}

static json_t *source_json(const struct record_source *src)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", jstr(src->file ? src->file : ""));
	if (src->row > 0 && !src->sha256) {
		json_object_set_new(o, "row", json_integer(src->row));
		return o;
	}
	json_object_set_new(o, "sha256", jstr(src->sha256 ? src->sha256 : ""));
	json_object_set_new(o, "page", json_integer(src->page));
	json_object_set_new(o, "index", json_integer(src->index));
	return o;
}

/*
 * Why the item waits: its warnings and errors.  A note (a correction the
 * model accepted, an entry number inferred) is no reason to look: it is
 * listed only when the item has nothing else, so no item lists none.
 */
static json_t *reasons_json(const struct review_item *it)
{
	json_t *a = json_array();
	int any = 0;
	for (size_t i = 0; i < it->nreasons; i++)
		any |= it->reasons[i].severity > SEV_INFO;
	for (size_t i = 0; i < it->nreasons; i++) {
		const struct review_reason *r = &it->reasons[i];
		if (any && r->severity == SEV_INFO)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "field", jstr(r->field));
		json_object_set_new(o, "code", jstr(r->code));
		json_object_set_new(o, "message", jstr(r->message));
		if (r->match_source) {
			json_t *m = json_object();
			json_object_set_new(m, "source", jstr(r->match_source));
			json_object_set_new(m, "id", jstr(r->match_id ? r->match_id : ""));
			json_object_set_new(m, "score", json_real(r->score));
			json_object_set_new(o, "match", m);
		}
		json_array_append_new(a, o);
	}
	return a;
}

/* _source of a book-level item: the book's file, and the page when there is one. */
static json_t *book_source_json(struct store *s, const struct review_item *it, struct err *e)
{
	struct store_book b;
	memset(&b, 0, sizeof(b));
	json_t *o = json_object();
	if (store_book_load(s, it->book_id, &b, e) < 0) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "file", jstr(b.name ? b.name : ""));
	json_object_set_new(o, "sha256", jstr(b.sha256));
	if (it->page)
		json_object_set_new(o, "page", json_integer(it->page));
	store_book_release(&b);
	return o;
}

char *review_item_json(struct store *s, const struct review_item *it, struct err *e)
{
	json_t *o = json_object(), *rec = NULL, *src = NULL;
	char *out = NULL;
	if (it->record_id) {
		struct record r;
		struct record_source rs;
		if (store_record_load(s, it->record_id, &r, NULL, &rs, e) < 0)
			goto out;
		rec = record_json(&r);
		src = source_json(&rs);
		record_release(&r);
		record_source_release(&rs);
	} else {
		rec = json_object();
		src = book_source_json(s, it, e);
		if (!src)
			goto out;
	}
	json_object_set_new(o, "id", jstr(it->id));
	json_object_set_new(o, "kind", jstr(kind_code(it->kind)));
	json_object_set_new(o, "record", rec);
	json_object_set_new(o, "_source", src);
	rec = src = NULL;
	json_object_set_new(o, "reasons", reasons_json(it));
	out = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
out:
	json_decref(rec);
	json_decref(src);
	json_decref(o);
	return out;
}

int review_list_write(struct store *s, const struct review_queue *q, FILE *out, struct err *e)
{
	for (size_t i = 0; i < q->n; i++) {
		char *line = review_item_json(s, &q->items[i], e);
		if (!line)
			return -1;
		fputs(line, out);
		fputc('\n', out);
		free(line);
	}
	if (fflush(out) != 0)
		return err_set(e, "cannot write the queue");
	return 0;
}

/* ---- group verification --------------------------------------------- */

static const char group_sql[] =
	"SELECT r.id, coalesce(b.name, r.source_file, ''), coalesce(r.entry_no, ''),"
	" coalesce(f.value, f.raw), b.path, coalesce(p.page_no, 0),"
	" coalesce(f.x, 0), coalesce(f.y, 0), coalesce(f.w, 0), coalesce(f.h, 0),"
	" EXISTS (SELECT 1 FROM findings g WHERE g.record_id = r.id AND g.field = f.name"
	"   AND g.resolved = 0),"
	" " CLAIM_OF("'r' || r.id")
	" FROM records r JOIN fields f ON f.record_id = r.id AND f.name = ?3"
	" LEFT JOIN books b ON b.id = r.book_id LEFT JOIN pages p ON p.id = r.page_id"
	" WHERE r.status = 'review' AND coalesce(f.value, f.raw) = ?4"
	" ORDER BY r.book_id IS NULL, r.book_id, r.source_file, r.page_id, r.entry_int, r.idx, r.id";

int review_group_load(struct store *s, const char *column, const char *value,
		      const char *reviewer, long long now, struct review_group_entry **out,
		      size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st = store_prepare(s, group_sql, e);
	if (!st)
		return -1;
	store_bind_text(st, 1, reviewer);
	store_bind_int(st, 2, now);
	store_bind_text(st, 3, column);
	store_bind_text(st, 4, value);
	size_t cap = 0;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(*out, *n + 1, cap);
		struct review_group_entry *g = &(*out)[(*n)++];
		memset(g, 0, sizeof(*g));
		g->record_id = store_col_int(st, 0);
		g->book = xstrdup(store_col_text(st, 1));
		g->entry = xstrdup(store_col_text(st, 2));
		g->value = xstrdup(store_col_text(st, 3));
		g->path = col_dup_or_null(st, 4);
		g->page = (int)store_col_int(st, 5);
		g->box = (struct box){(int)store_col_int(st, 6), (int)store_col_int(st, 7),
				      (int)store_col_int(st, 8), (int)store_col_int(st, 9)};
		g->flagged = (int)store_col_int(st, 10);
		g->claimed_by = col_dup_or_null(st, 11);
	}
	store_finalize(st);
	return rc < 0 ? -1 : 0;
}

void review_group_free(struct review_group_entry *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].book);
		free(g[i].entry);
		free(g[i].value);
		free(g[i].path);
		free(g[i].claimed_by);
		raster_release(&g[i].crop);
	}
	free(g);
}

/* ---- the other side of a duplicate ------------------------------------ */

/* existing.data: a JSON object of columns (import-existing's own form). */
static int other_from_existing(struct store *s, enum book_kind kind, const char *stt,
			       struct record *out, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT data FROM existing WHERE kind = ?"
					      " AND stt = ?", e);
	if (!st)
		return -1;
	store_bind_text(st, 1, kind_code(kind));
	store_bind_text(st, 2, stt);
	int rc = store_step(st, e);
	if (rc == 0)
		rc = err_set(e, "existing record '%s' is not in the database", stt);
	if (rc == 1) {
		json_t *o = json_loads(store_col_text(st, 0), 0, NULL);
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v) {
			if (json_is_string(v))
				record_set_value(out, k, json_string_value(v));
			else if (json_is_integer(v) || json_is_real(v)) {
				char *num = json_dumps(v, JSON_ENCODE_ANY);
				record_set_value(out, k, num);
				free(num);
			}
		}
		json_decref(o);
		rc = 0;
	}
	store_finalize(st);
	return rc;
}

int review_other_load(struct store *s, enum book_kind kind, const char *source, const char *id,
		      struct record *out, struct err *e)
{
	record_init(out, kind);
	if (!source || !id)
		return err_set(e, "duplicate finding without a match");
	if (!strcmp(source, "existing"))
		return other_from_existing(s, kind, id, out, e);
	long long rid = strtoll(id + (*id == 'r'), NULL, 10);
	if (rid <= 0)
		return err_set(e, "batch match '%s' is not a record id", id);
	return store_record_load(s, rid, out, NULL, NULL, e);
}
