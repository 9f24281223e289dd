/*
 * Supervisors' decisions: approve, reject, set a field, decide a duplicate,
 * confirm a reading; and the claims that keep two supervisors apart.
 *
 * Each decision is one transaction: the check that nobody else holds the
 * item, the change, and its audit row commit together or not at all.
 */
#include "review/review.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long long review_now(const struct review_ctx *c)
{
	return c->now ? c->now : (long long)time(NULL);
}

/*
 * Run one statement; args are bound by position as types says: 't' text,
 * 'i' long long.  Returns the number of rows changed, or -1.
 */
static int sql_run(struct store *s, struct err *e, const char *sql, const char *types, ...)
{
	struct store_stmt *st = store_prepare(s, sql, e);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't')
			store_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			store_bind_int(st, i + 1, va_arg(ap, long long));
	}
	va_end(ap);
	int rc = store_step(st, e);
	store_finalize(st);
	return rc < 0 ? -1 : store_changes(s);
}

static int audit(struct review_ctx *c, long long record_id, const char *item,
		 const char *action, const char *field, const char *old, const char *new,
		 struct err *e)
{
	char now[32];
	time_iso_now(now);
	struct store_stmt *st = store_prepare(c->s,
		"INSERT INTO reviews(record_id, item, reviewer, at, action, field, old, new)"
		" VALUES(?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	if (record_id)
		store_bind_int(st, 1, record_id);
	store_bind_text(st, 2, item);
	store_bind_text(st, 3, c->reviewer);
	store_bind_text(st, 4, now);
	store_bind_text(st, 5, action);
	store_bind_text(st, 6, field);
	store_bind_text(st, 7, old);
	store_bind_text(st, 8, new);
	int rc = store_step(st, e);
	store_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* ---- items ----------------------------------------------------------- */

enum item_type { ITEM_BAD, ITEM_RECORD, ITEM_FINDING, ITEM_PAGE, ITEM_BOOK };

static enum item_type item_parse(const char *item, long long *id)
{
	static const struct { const char *prefix; enum item_type t; } pre[] = {
		{"bk", ITEM_BOOK}, {"r", ITEM_RECORD}, {"f", ITEM_FINDING}, {"p", ITEM_PAGE},
	};
	for (size_t i = 0; item && i < sizeof(pre) / sizeof(*pre); i++) {
		size_t n = strlen(pre[i].prefix);
		if (strncmp(item, pre[i].prefix, n) || !item[n])
			continue;
		char *end;
		long long v = strtoll(item + n, &end, 10);
		if (*end || v <= 0 || item[n] < '1' || item[n] > '9')
			return ITEM_BAD;
		*id = v;
		return pre[i].t;
	}
	return ITEM_BAD;
}

/* Another reviewer holding item now, or NULL; caller frees. */
static char *claim_holder(struct review_ctx *c, const char *item)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(c->s, "SELECT reviewer FROM claims WHERE item = ?"
					      " AND reviewer <> ? AND expires_at > ?", &e);
	if (!st)
		return NULL;
	store_bind_text(st, 1, item);
	store_bind_text(st, 2, c->reviewer);
	store_bind_int(st, 3, review_now(c));
	char *who = store_step(st, &e) == 1 ? xstrdup(store_col_text(st, 0)) : NULL;
	store_finalize(st);
	return who;
}

/* Begin a decision: refuse it when another reviewer holds the item. */
static int act_begin(struct review_ctx *c, const char *item, struct err *e)
{
	if (store_begin(c->s, e) < 0)
		return -1;
	char *holder = claim_holder(c, item);
	if (!holder)
		return 0;
	err_set(e, "item '%s' is open by '%s'", item, holder);
	free(holder);
	store_rollback(c->s);
	return -1;
}

static int act_end(struct review_ctx *c, int rc, struct err *e)
{
	if (rc == 0)
		rc = store_commit(c->s, e);
	if (rc < 0)
		store_rollback(c->s);
	return rc < 0 ? -1 : 0;
}

/* Load a record in the queue; -1 when it is not there. */
static int queued_record(struct review_ctx *c, const char *item, long long id,
			 struct record *r, struct err *e)
{
	enum record_status st;
	if (store_record_load(c->s, id, r, &st, NULL, e) < 0)
		return -1;
	if (st != REC_REVIEW) {
		record_release(r);
		return err_set(e, "item '%s' is not in the review queue (record is %s)", item,
			       record_status_name(st));
	}
	return 0;
}


/* "nksNgaySinh:date_invalid, :duplicate_existing" for the audit of an override. */
static char *unresolved_list(const struct record *r, int only_errors)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		if (only_errors && f->severity < SEV_ERROR)
			continue;
		sb_addf(&sb, "%s%s:%s", sb.len ? ", " : "", f->field, f->code);
	}
	return sb.len ? sb_detach(&sb) : NULL;
}

static int approve_record(struct review_ctx *c, const char *item, long long id, struct err *e)
{
	struct record r;
	if (queued_record(c, item, id, &r, e) < 0)
		return -1;
	for (size_t i = 0; i < r.nfindings; i++)
		if (finding_is_dedup(r.findings[i].code, r.findings[i].match_source)) {
			record_release(&r);
			return err_set(e, "item '%s' has an undecided duplicate: decide same or "
				       "different first", item);
		}
	char *errors = unresolved_list(&r, 1);
	record_release(&r);
	int rc = sql_run(c->s, e, "UPDATE findings SET resolved = 1 WHERE record_id = ?"
			 " AND resolved = 0", "i", id) < 0 ? -1 : 0;
	if (rc == 0)
		rc = store_record_set_status(c->s, id, REC_APPROVED, e);
	if (rc == 0)
		rc = audit(c, id, item, errors ? "approve-override" : "approve", NULL, errors,
			   "approved", e);
	free(errors);
	return rc;
}

static int reject_record(struct review_ctx *c, const char *item, long long id, struct err *e)
{
	struct record r;
	if (queued_record(c, item, id, &r, e) < 0)
		return -1;
	record_release(&r);
	int rc = store_record_set_status(c->s, id, REC_REJECTED, e);
	if (rc == 0)
		rc = audit(c, id, item, "reject", NULL, NULL, "rejected", e);
	return rc;
}

/* A book finding, failed page or failed book: acknowledged either way. */
static int settle_book_item(struct review_ctx *c, const char *item, enum item_type t,
			    long long id, const char *action, struct err *e)
{
	int n;
	if (t == ITEM_FINDING)
		n = sql_run(c->s, e, "UPDATE findings SET resolved = 1 WHERE id = ?"
			    " AND record_id IS NULL AND resolved = 0", "i", id);
	else if (t == ITEM_PAGE) /* a no-op update: counts the page when it is queued */
		n = sql_run(c->s, e, "UPDATE pages SET error = error WHERE id = ?"
			    " AND status = 'failed' AND NOT EXISTS (SELECT 1 FROM reviews"
			    " WHERE item = ?)", "it", id, item);
	else
		n = sql_run(c->s, e, "UPDATE books SET error = error WHERE id = ?"
			    " AND status = 'failed' AND NOT EXISTS (SELECT 1 FROM reviews"
			    " WHERE item = ?)", "it", id, item);
	if (n < 0)
		return -1;
	if (n == 0)
		return err_set(e, "item '%s' is not in the review queue", item);
	return audit(c, 0, item, action, NULL, NULL, NULL, e);
}

static int decide_item(struct review_ctx *c, const char *item, int approve, struct err *e)
{
	long long id = 0;
	enum item_type t = item_parse(item, &id);
	if (t == ITEM_BAD)
		return err_set(e, "'%s' is not an item id (r12, f3, p7, bk2)", item ? item : "");
	if (act_begin(c, item, e) < 0)
		return -1;
	int rc;
	if (t == ITEM_RECORD)
		rc = approve ? approve_record(c, item, id, e) : reject_record(c, item, id, e);
	else
		rc = settle_book_item(c, item, t, id, approve ? "approve" : "reject", e);
	if (rc == 0)
		rc = sql_run(c->s, e, "DELETE FROM claims WHERE item = ?", "t", item) < 0 ? -1 : 0;
	return act_end(c, rc, e);
}

int review_approve(struct review_ctx *c, const char *item, struct err *e)
{
	return decide_item(c, item, 1, e);
}

int review_reject(struct review_ctx *c, const char *item, struct err *e)
{
	return decide_item(c, item, 0, e);
}

/* ---- editing ------------------------------------------------------- */

static int in_column(const struct finding *f, const void *column)
{
	return !strcmp(f->field, column);
}

/* Without a validator an edit drops the column's checks (not dedup's). */
static void drop_column_findings(struct record *r, const char *column)
{
	record_drop_findings(r, in_column, column);
}

static int book_recheck(struct review_ctx *c, long long id, struct err *e)
{
	struct store_stmt *st = store_prepare(c->s, "SELECT book_id FROM records WHERE id = ?"
					      " AND book_id IS NOT NULL", e);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	int rc = store_step(st, e);
	long long book = rc == 1 ? store_col_int(st, 0) : 0;
	store_finalize(st);
	if (rc < 0)
		return -1;
	return book ? c->book_check(c->s, book, e) : 0;
}

static int set_field(struct review_ctx *c, const char *item, long long id, const char *column,
		     const char *value, struct err *e)
{
	struct record r;
	if (queued_record(c, item, id, &r, e) < 0)
		return -1;
	int rc = 0;
	char *nfc = text_nfc(value);
	if (column_index(r.kind, column) < 0) {
		rc = err_set(e, "no column '%s' in a %s record", column, kind_code(r.kind));
		goto out;
	}
	const struct field *f = record_field(&r, column);
	char *old = xstrdup(!f ? "" : f->value ? f->value : f->raw);
	record_set_value(&r, column, nfc);
	if (c->revalidate)
		rc = c->revalidate(c->vc, &r, column, e);
	else
		drop_column_findings(&r, column);
	if (rc == 0)
		rc = store_record_save(c->s, &r, "validate", REC_REVIEW, e);
	if (rc == 0 && c->book_check && !strcmp(column, "so"))
		rc = book_recheck(c, id, e);
	if (rc == 0)
		rc = audit(c, id, item, "set", column, old, nfc, e);
	free(old);
out:
	free(nfc);
	record_release(&r);
	return rc;
}

int review_set(struct review_ctx *c, const char *item, const char *column, const char *value,
	       struct err *e)
{
	long long id = 0;
	if (item_parse(item, &id) != ITEM_RECORD)
		return err_set(e, "'%s' is not a record item (r12): only records have fields",
			       item ? item : "");
	if (!text_valid_utf8(value, strlen(value)))
		return err_set(e, "the value for '%s' is not valid UTF-8", column);
	if (strlen(value) > RECORD_MAX_CELL)
		return err_set(e, "the value for '%s' is %zu bytes, more than a cell holds (%d)",
			       column, strlen(value), RECORD_MAX_CELL);
	if (act_begin(c, item, e) < 0)
		return -1;
	return act_end(c, set_field(c, item, id, column, value, e), e);
}

int review_confirm(struct review_ctx *c, const char *item, const char *column, struct err *e)
{
	long long id = 0;
	if (item_parse(item, &id) != ITEM_RECORD)
		return err_set(e, "'%s' is not a record item (r12)", item ? item : "");
	if (act_begin(c, item, e) < 0)
		return -1;
	struct record r;
	int rc = queued_record(c, item, id, &r, e);
	if (rc < 0)
		return act_end(c, rc, e);
	char *value = xstrdup(record_value(&r, column));
	record_release(&r);
	rc = sql_run(c->s, e, "UPDATE findings SET resolved = 1 WHERE record_id = ? AND field = ?"
		     " AND resolved = 0 AND match_source IS NULL AND code NOT LIKE 'duplicate%'",
		     "it", id, column) < 0 ? -1 : 0;
	if (rc == 0)
		rc = audit(c, id, item, "confirm", column, value, value, e);
	free(value);
	return act_end(c, rc, e);
}

/* ---- duplicates ------------------------------------------------------- */

/*
 * The matches table is dedup's; a duplicate finding without its row (an
 * older dedup) still gets one, so that the decision has somewhere to live.
 */
static int matches_from_findings(struct review_ctx *c, long long id, struct err *e)
{
	return sql_run(c->s, e,
		"INSERT OR IGNORE INTO matches(record_id, source, other_id, score)"
		" SELECT record_id, match_source, match_id, coalesce(score, 0) FROM findings"
		" WHERE record_id = ? AND resolved = 0 AND match_source IN ('existing', 'batch')"
		" AND match_id IS NOT NULL", "i", id) < 0 ? -1 : 0;
}

/* The decision applies to one match, or to every undecided one (source NULL). */
static const char match_where[] =
	" AND (?3 IS NULL OR (source = ?3 AND other_id = ?4))";

static int decide_matches(struct review_ctx *c, long long id, const char *source,
			  const char *other, int same, struct err *e)
{
	char now[32];
	time_iso_now(now);
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "UPDATE matches SET decision = ?5, decided_by = ?2, decided_at = ?6"
		" WHERE record_id = ?1 AND decision IS NULL%s", match_where);
	struct store_stmt *st = store_prepare(c->s, sql.buf, e);
	sb_release(&sql);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, c->reviewer);
	store_bind_text(st, 3, source);
	store_bind_text(st, 4, other);
	store_bind_text(st, 5, same ? "same" : "different");
	store_bind_text(st, 6, now);
	int rc = store_step(st, e);
	store_finalize(st);
	if (rc < 0)
		return -1;
	return store_changes(c->s);
}

static int resolve_dup_findings(struct review_ctx *c, long long id, const char *source,
				const char *other, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	sb_addf(&sql, "UPDATE findings SET resolved = 1 WHERE record_id = ?1 AND resolved = 0"
		" AND (match_source IS NOT NULL OR code LIKE 'duplicate%%')"
		" AND (?3 IS NULL OR (match_source = ?3 AND match_id = ?4))");
	struct store_stmt *st = store_prepare(c->s, sql.buf, e);
	sb_release(&sql);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	store_bind_text(st, 3, source);
	store_bind_text(st, 4, other);
	int rc = store_step(st, e);
	store_finalize(st);
	return rc < 0 ? -1 : 0;
}

/*
 * A decision between two batch records holds both ways: the other record's
 * finding about this one is settled too, so that "same" never rejects both.
 */
static int decide_mirror(struct review_ctx *c, long long id, const char *other, int same,
			 struct err *e)
{
	long long oid = 0;
	if (item_parse(other, &oid) != ITEM_RECORD && (oid = strtoll(other, NULL, 10)) <= 0)
		return 0;
	char mine[32], bare[32];
	snprintf(mine, sizeof(mine), "r%lld", id);
	snprintf(bare, sizeof(bare), "%lld", id);
	int rc = 0;
	for (int k = 0; k < 2 && rc == 0; k++) {
		const char *me = k ? bare : mine;
		if (decide_matches(c, oid, "batch", me, same, e) < 0 ||
		    resolve_dup_findings(c, oid, "batch", me, e) < 0)
			rc = -1;
	}
	return rc;
}

/* Mirror the decision onto every batch record this one is matched with. */
static int decide_mirrors(struct review_ctx *c, const struct record *r, const char *source,
			  const char *other, int same, struct err *e)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		if (!f->match_source || strcmp(f->match_source, "batch") || !f->match_id)
			continue;
		if (source && (strcmp(source, "batch") || !other || strcmp(other, f->match_id)))
			continue;
		if (decide_mirror(c, r->id, f->match_id, same, e) < 0)
			return -1;
	}
	return 0;
}

static int decide_dup(struct review_ctx *c, const char *item, long long id, const char *source,
		      const char *other, int same, struct err *e)
{
	struct record r;
	if (queued_record(c, item, id, &r, e) < 0)
		return -1;
	int n = matches_from_findings(c, id, e) < 0 ? -1
		: decide_matches(c, id, source, other, same, e);
	if (n == 0)
		err_set(e, "item '%s' has no undecided duplicate%s%s%s%s", item,
			source ? " " : "", source ? source : "", other ? ":" : "", other ? other : "");
	int rc = n > 0 ? 0 : -1;
	if (rc == 0)
		rc = resolve_dup_findings(c, id, source, other, e);
	if (rc == 0)
		rc = decide_mirrors(c, &r, source, other, same, e);
	record_release(&r);
	char *what = source ? xasprintf("%s:%s", source, other ? other : "") : NULL;
	if (rc == 0)
		rc = audit(c, id, item, same ? "same" : "different", NULL, what, NULL, e);
	free(what);
	if (rc == 0 && same)
		rc = store_record_set_status(c->s, id, REC_REJECTED, e);
	if (rc == 0 && same)
		rc = audit(c, id, item, "reject", NULL, "duplicate", "rejected", e);
	return rc;
}

int review_decide(struct review_ctx *c, const char *item, const char *source, const char *other,
		  int same, struct err *e)
{
	long long id = 0;
	if (item_parse(item, &id) != ITEM_RECORD)
		return err_set(e, "'%s' is not a record item (r12)", item ? item : "");
	if (act_begin(c, item, e) < 0)
		return -1;
	int rc = decide_dup(c, item, id, source, other, same, e);
	if (rc == 0 && same)
		rc = sql_run(c->s, e, "DELETE FROM claims WHERE item = ?", "t", item) < 0 ? -1 : 0;
	return act_end(c, rc, e);
}

/* ---- claims ------------------------------------------------------------ */

int review_claim(struct review_ctx *c, const char *item, char **holder, struct err *e)
{
	long long now = review_now(c);
	*holder = NULL;
	int n = sql_run(c->s, e,
		"INSERT INTO claims(item, reviewer, expires_at) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(item) DO UPDATE SET reviewer = excluded.reviewer,"
		" expires_at = excluded.expires_at"
		" WHERE claims.reviewer = excluded.reviewer OR claims.expires_at <= ?4",
		"ttii", item, c->reviewer, now + REVIEW_CLAIM_TTL, now);
	if (n < 0)
		return -1;
	if (n > 0)
		return 0;
	*holder = claim_holder(c, item);
	if (!*holder) /* released between the two statements: try once more */
		return review_claim(c, item, holder, e);
	return 1;
}

void review_claim_release(struct review_ctx *c, const char *item)
{
	struct err e = ERR_INIT;
	sql_run(c->s, &e, "DELETE FROM claims WHERE item = ? AND reviewer = ?", "tt", item,
		c->reviewer);
}
