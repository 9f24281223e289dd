/*
 * What one batch did, read from the store into struct report.  Every query
 * takes the batch's window as ?1 (started_at) and ?2 (finished_at, or the
 * far future while it runs) and, where it needs it, the batch id as ?3.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

/* A page belongs to the batch when it was read in the window, or failed at
 * ingest (no done_at) in a book the batch registered. */
#define IN_BATCH(p, b) \
	" ((" p ".done_at >= ?1 AND " p ".done_at <= ?2) OR (" p ".done_at IS NULL AND " \
	p ".status = 'failed' AND " b ".batch_id = ?3))"

struct q {
	struct store_stmt *st;
	const struct report *r;
	struct err *e;
};

static int q_open(struct q *q, struct store *s, const struct report *r, const char *sql,
		  struct err *e)
{
	q->r = r;
	q->e = e;
	q->st = store_prepare(s, sql, e);
	if (!q->st)
		return -1;
	store_bind_text(q->st, 1, r->started_at);
	store_bind_text(q->st, 2, *r->finished_at ? r->finished_at : "9999");
	store_bind_int(q->st, 3, r->batch_id);
	return 0;
}

static int q_row(struct q *q)
{
	return q->st ? store_step(q->st, q->e) : -1;
}

static long long q_int(struct store *s, const struct report *r, const char *sql,
		       struct err *e)
{
	struct q q;
	long long n = 0;
	if (q_open(&q, s, r, sql, e) == 0 && q_row(&q) == 1)
		n = store_col_int(q.st, 0);
	store_finalize(q.st);
	return n;
}

static int batch_load(struct store *s, long long id, struct report *r, struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT id, started_at, IFNULL(finished_at, ''), IFNULL(command, '') FROM batches"
		" WHERE id = ?1 OR (?1 = 0 AND id = (SELECT MAX(id) FROM batches))", e);
	if (!st)
		return -1;
	store_bind_int(st, 1, id);
	int rc = store_step(st, e);
	if (rc == 1) {
		r->batch_id = store_col_int(st, 0);
		r->started_at = xstrdup(store_col_text(st, 1));
		r->finished_at = xstrdup(store_col_text(st, 2));
		r->command = xstrdup(store_col_text(st, 3));
	} else if (rc == 0) {
		err_set(e, id ? "no batch %lld in the database" : "no batch in the database yet", id);
	}
	store_finalize(st);
	return rc == 1 ? 0 : -1;
}

/* ---- books ------------------------------------------------------------------- */

static long long numbered_count(struct store *s, long long book_id, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT COUNT(*) FROM records WHERE book_id = ?1"
					      " AND entry_int IS NOT NULL", e);
	long long n = 0;
	if (st) {
		store_bind_int(st, 1, book_id);
		if (store_step(st, e) == 1)
			n = store_col_int(st, 0);
	}
	store_finalize(st);
	return n;
}

static void book_entries(struct store *s, long long book_id, struct report_book *b,
			 struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT DISTINCT entry_int FROM records"
		" WHERE book_id = ?1 AND entry_int IS NOT NULL"
		" ORDER BY 1", e);
	long long *nums = NULL;
	size_t n = 0, alloc = 0;
	if (st)
		store_bind_int(st, 1, book_id);
	while (st && store_step(st, e) == 1) {
		ALLOC_GROW(nums, n + 1, alloc);
		nums[n++] = store_col_int(st, 0);
	}
	store_finalize(st);
	b->unnumbered = b->records - numbered_count(s, book_id, e);
	b->first = n ? nums[0] : 0;
	b->last = n ? nums[n - 1] : 0;
	b->gaps = report_gaps(nums, n, 40, &b->ngaps);
	free(nums);
}

#define BOOK_PAGES(status) \
	" (SELECT COUNT(*) FROM pages p WHERE p.book_id = b.id AND p.status = '" status "'" \
	" AND" IN_BATCH("p", "b") ")"

static int books_load(struct store *s, struct report *r, struct err *e)
{
	struct q q;
	if (q_open(&q, s, r, "SELECT b.id, b.name, IFNULL(b.kind, ''), IFNULL(b.book_no, ''),"
		   " b.pages," BOOK_PAGES("done") "," BOOK_PAGES("blank") "," BOOK_PAGES("failed")
		   ", (SELECT COUNT(*) FROM records WHERE book_id = b.id) FROM books b"
		   " WHERE b.batch_id = ?3 OR EXISTS (SELECT 1 FROM pages p WHERE p.book_id = b.id"
		   " AND" IN_BATCH("p", "b") ") ORDER BY b.name, b.id", e) < 0)
		return -1;
	size_t alloc = 0;
	int rc;
	while ((rc = q_row(&q)) == 1) {
		ALLOC_GROW(r->books, r->nbooks + 1, alloc);
		struct report_book *b = &r->books[r->nbooks++];
		memset(b, 0, sizeof(*b));
		b->name = xstrdup(store_col_text(q.st, 1));
		b->kind = xstrdup(store_col_text(q.st, 2));
		b->book_no = xstrdup(store_col_text(q.st, 3));
		b->pages = (int)store_col_int(q.st, 4);
		b->done = store_col_int(q.st, 5);
		b->blank = store_col_int(q.st, 6);
		b->failed = store_col_int(q.st, 7);
		b->records = store_col_int(q.st, 8);
		book_entries(s, store_col_int(q.st, 0), b, e);
	}
	store_finalize(q.st);
	return rc < 0 ? -1 : 0;
}

/* ---- records, the queue, failures ------------------------------------------------ */

#define BATCH_FROM " FROM records r JOIN pages p ON p.id = r.page_id JOIN books b ON b.id = p.book_id"
#define BATCH_RECORDS BATCH_FROM " WHERE" IN_BATCH("p", "b")

static void records_load(struct store *s, struct report *r, struct err *e)
{
	r->pages = q_int(s, r, "SELECT COUNT(*) FROM pages p JOIN books b ON b.id = p.book_id"
			 " WHERE p.status != 'new' AND" IN_BATCH("p", "b"), e);
	r->records = q_int(s, r, "SELECT COUNT(*)" BATCH_RECORDS, e);
	r->clean = q_int(s, r, "SELECT COUNT(*)" BATCH_RECORDS " AND r.status = 'clean'", e);
	r->approved = q_int(s, r, "SELECT COUNT(*)" BATCH_RECORDS " AND r.status = 'approved'", e);
	r->review = q_int(s, r, "SELECT COUNT(*)" BATCH_RECORDS " AND r.status = 'review'", e);
	r->rejected = q_int(s, r, "SELECT COUNT(*)" BATCH_RECORDS " AND r.status = 'rejected'", e);
}

static int reasons_load(struct store *s, struct report *r, struct err *e)
{
	struct q q;
	if (q_open(&q, s, r, "SELECT f.code, COUNT(DISTINCT f.record_id) FROM findings f"
		   " WHERE f.resolved = 0 AND f.severity >= 1 AND f.record_id IN"
		   " (SELECT r.id" BATCH_RECORDS " AND r.status = 'review')"
		   " GROUP BY f.code ORDER BY 2 DESC, 1", e) < 0)
		return -1;
	size_t alloc = 0;
	int rc;
	while ((rc = q_row(&q)) == 1) {
		ALLOC_GROW(r->reasons, r->nreasons + 1, alloc);
		r->reasons[r->nreasons].code = xstrdup(store_col_text(q.st, 0));
		r->reasons[r->nreasons++].n = store_col_int(q.st, 1);
	}
	store_finalize(q.st);
	return rc < 0 ? -1 : 0;
}

static int failed_load(struct store *s, struct report *r, struct err *e)
{
	struct q q;
	if (q_open(&q, s, r, "SELECT b.name, p.page_no, IFNULL(p.error, '') FROM pages p"
		   " JOIN books b ON b.id = p.book_id WHERE p.status = 'failed' AND"
		   IN_BATCH("p", "b") " UNION ALL SELECT name, 0, IFNULL(error, '') FROM books"
		   " WHERE status = 'failed' AND batch_id = ?3 ORDER BY 1, 2", e) < 0)
		return -1;
	size_t alloc = 0;
	int rc;
	while ((rc = q_row(&q)) == 1) {
		ALLOC_GROW(r->failed, r->nfailed + 1, alloc);
		struct report_failed *f = &r->failed[r->nfailed++];
		f->book = xstrdup(store_col_text(q.st, 0));
		f->page = (int)store_col_int(q.st, 1);
		f->reason = xstrdup(store_col_text(q.st, 2));
	}
	store_finalize(q.st);
	return rc < 0 ? -1 : 0;
}

/* ---- expected residual error ------------------------------------------------------ */

/*
 * The chance that an accepted field is wrong: 1 - p, where the acceptance
 * model (validate/accept.c) set fields.p, its calibrated probability that
 * the field is right.  Fields read before that model have no p: for them
 * OCR confidence stands in, 1 - conf/100, which Tesseract does not
 * calibrate and which overstates the error of fields that passed their
 * checks.  Hand-keyed fields (no confidence) and fields a supervisor set
 * count as right.  A database from before fields.p has only the second.
 */
#define P_FROM_CONF \
	"CASE WHEN f.conf IS NULL OR f.conf < 0 OR f.corrected THEN 0.0" \
	" ELSE MAX(0.0, MIN(1.0, 1.0 - f.conf / 100.0)) END"

static const char *p_wrong_sql(struct store *s, const char **basis)
{
	if (store_count(s, "SELECT COUNT(*) FROM pragma_table_info('fields')"
			" WHERE name = 'p'", NULL) > 0) {
		*basis = "each field's calibrated probability of being right (fields.p, the "
			 "acceptance model) where it has one, else OCR confidence, 1 - conf/100 "
			 "(uncalibrated: an upper bound)";
		return "CASE WHEN f.p IS NOT NULL THEN MAX(0.0, MIN(1.0, 1.0 - f.p)) ELSE "
		       P_FROM_CONF " END";
	}
	*basis = "OCR confidence, 1 - conf/100 (uncalibrated: an upper bound)";
	return P_FROM_CONF;
}

/* Per accepted record: the expected wrong fields (sum of the chances) and
 * the chance that at least one is wrong (1 - the product of the rights). */
static int residual_load(struct store *s, struct report *r, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	const char *pw = p_wrong_sql(s, &r->residual_basis);
	sb_addf(&sql, "SELECT r.id, %s" BATCH_FROM " JOIN fields f ON f.record_id = r.id"
		" WHERE" IN_BATCH("p", "b") " AND r.status IN ('clean', 'approved')"
		" AND IFNULL(f.value, f.raw) != '' AND f.name NOT IN (SELECT field FROM reviews"
		" WHERE record_id = r.id AND field IS NOT NULL) ORDER BY r.id", pw);
	struct q q;
	int rc = q_open(&q, s, r, sb_str(&sql), e);
	sb_release(&sql);
	long long cur = 0;
	double right = 1;
	while (rc == 0 && (rc = q_row(&q)) == 1) {
		double w = store_col_double(q.st, 1);
		if (store_col_int(q.st, 0) != cur) {
			r->wrong_records += cur ? 1 - right : 0;
			cur = store_col_int(q.st, 0);
			right = 1;
		}
		right *= 1 - w;
		r->wrong_fields += w;
		r->fields_checked++;
		rc = 0;
	}
	r->wrong_records += cur ? 1 - right : 0;
	store_finalize(q.st);
	return rc < 0 ? -1 : 0;
}

/* ---- pages per hour ------------------------------------------------------------------ */

/* Bins an hour wide over a night, narrower for a short batch, so the chart
 * always has a shape; each bin's count is drawn as a rate per hour. */
static int bin_width(long long span)
{
	return span > 3 * 3600 ? 3600 : span > 30 * 60 ? 600 : 60;
}

static int rate_load(struct store *s, struct report *r, struct err *e)
{
	long long span = q_int(s, r, "SELECT MAX(1, CAST(strftime('%s', IFNULL(NULLIF(?2, '9999'),"
			       " (SELECT MAX(done_at) FROM pages))) AS INTEGER)"
			       " - CAST(strftime('%s', ?1) AS INTEGER))", e);
	r->bin_seconds = bin_width(span);
	r->nbins = (size_t)(span / r->bin_seconds + 1);
	if (r->nbins > 1000)
		r->nbins = 1000;
	r->bins = xcalloc(r->nbins, sizeof(*r->bins));
	struct q q;
	if (q_open(&q, s, r, "SELECT CAST(strftime('%s', p.done_at) AS INTEGER)"
		   " - CAST(strftime('%s', ?1) AS INTEGER) FROM pages p JOIN books b"
		   " ON b.id = p.book_id WHERE p.done_at IS NOT NULL AND" IN_BATCH("p", "b"), e) < 0)
		return -1;
	int rc;
	while ((rc = q_row(&q)) == 1) {
		long long t = store_col_int(q.st, 0) / r->bin_seconds;
		r->bins[t < 0 ? 0 : (size_t)t >= r->nbins ? r->nbins - 1 : (size_t)t]++;
	}
	store_finalize(q.st);
	return rc < 0 ? -1 : 0;
}

int report_load(struct store *s, long long batch_id, struct report *r, struct err *e)
{
	memset(r, 0, sizeof(*r));
	if (batch_load(s, batch_id, r, e) < 0 || books_load(s, r, e) < 0)
		return -1;
	records_load(s, r, e);
	if (reasons_load(s, r, e) < 0 || failed_load(s, r, e) < 0 || residual_load(s, r, e) < 0 ||
	    rate_load(s, r, e) < 0)
		return -1;
	return e->code || e->msg[0] ? -1 : 0;
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nbooks; i++) {
		free(r->books[i].name);
		free(r->books[i].kind);
		free(r->books[i].book_no);
		free(r->books[i].gaps);
	}
	for (size_t i = 0; i < r->nreasons; i++)
		free(r->reasons[i].code);
	for (size_t i = 0; i < r->nfailed; i++) {
		free(r->failed[i].book);
		free(r->failed[i].reason);
	}
	free(r->books);
	free(r->reasons);
	free(r->failed);
	free(r->bins);
	free(r->started_at);
	free(r->finished_at);
	free(r->command);
	memset(r, 0, sizeof(*r));
}

char *report_gaps(const long long *nums, size_t n, size_t max, long long *missing)
{
	struct strbuf sb = STRBUF_INIT;
	size_t listed = 0;
	*missing = 0;
	for (size_t i = 1; i < n; i++) {
		long long a = nums[i - 1] + 1, b = nums[i] - 1;
		if (b < a)
			continue;
		*missing += b - a + 1;
		if (listed++ == max)
			sb_adds(&sb, ", ...");
		else if (listed <= max && a == b)
			sb_addf(&sb, "%s%lld", listed > 1 ? ", " : "", a);
		else if (listed <= max)
			sb_addf(&sb, "%s%lld-%lld", listed > 1 ? ", " : "", a, b);
	}
	return sb_detach(&sb);
}
