/*
 * The validation stage as `validate` and `run` share it: first each book
 * touched (entry numbers, book-level findings), then each pending record
 * (validate_record, the book check's flag for it, clean or review), saved
 * in transactions of a few hundred records.
 */
#include "cli/cli.h"
#include "store/store.h"
#include "validate/validate.h"

#include <stdlib.h>
#include <string.h>

#define RECORDS_PER_TX 200

/* Entry flags of the records of touched books, sorted by record id. */
struct flag_map {
	struct {
		long long id;
		enum validate_entry_flag flag;
		char *book_no;	/* the book's number when this record reads another */
	} *v;
	size_t n, cap;
};

static int flag_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static enum validate_entry_flag flag_of(const struct flag_map *fm, long long id,
				       const char **book_no)
{
	*book_no = NULL;
	for (size_t lo = 0, hi = fm->n; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (fm->v[mid].id == id) {
			*book_no = fm->v[mid].book_no;
			return fm->v[mid].flag;
		}
		if (fm->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return VE_OK;
}

static const char *pending_books_sql(int all)
{
	return all ? "SELECT DISTINCT book_id FROM records WHERE book_id IS NOT NULL"
		     " AND status IN ('new','clean','review') ORDER BY book_id"
		   : "SELECT DISTINCT book_id FROM records WHERE book_id IS NOT NULL"
		     " AND status = 'new' ORDER BY book_id";
}

static int pending_books(struct store *s, int all, long long **ids, size_t *n, struct err *e)
{
	struct store_stmt *st = store_prepare(s, pending_books_sql(all), e);
	size_t cap = 0;
	int rc;
	*ids = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(*ids, *n + 1, cap);
		(*ids)[(*n)++] = store_col_int(st, 0);
	}
	store_finalize(st);
	return rc;
}

/* "ks-01.tif (quyển 03/2019)" */
static char *book_label(struct store *s, long long book_id, struct err *e)
{
	struct store_book b;
	if (store_book_load(s, book_id, &b, e) < 0)
		return xasprintf("#%lld", book_id);
	char *l = b.book_no && *b.book_no ? xasprintf("%s (quyển %s)", b.name, b.book_no)
					  : xstrdup(b.name);
	store_book_release(&b);
	return l;
}

static int book_check(struct store *s, long long book_id, struct flag_map *fm, struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT r.id, coalesce(r.entry_no, ''),"
		" coalesce((SELECT coalesce(nullif(f.value, ''), f.raw) FROM fields f"
		"           WHERE f.record_id = r.id AND f.name = 'quyenSo'), '')"
		" FROM records r"
		" LEFT JOIN pages p ON p.id = r.page_id WHERE r.book_id = ?"
		" AND r.status != 'rejected' ORDER BY p.page_no, r.idx, r.id", e);
	if (!st)
		return -1;
	store_bind_int(st, 1, book_id);
	struct validate_entry *ents = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(ents, n + 1, cap);
		ents[n].record_id = store_col_int(st, 0);
		ents[n].so = xstrdup(store_col_text(st, 1));
		ents[n++].book_no = xstrdup(store_col_text(st, 2));
	}
	store_finalize(st);
	enum validate_entry_flag *flags = xcalloc(n + 1, sizeof(*flags));
	int *differs = xcalloc(n + 1, sizeof(*differs));
	const char *book_no = validate_book_number(ents, n, differs);
	struct validate_book_finding *bf = NULL;
	size_t nbf = 0;
	if (rc == 0) {
		char *label = book_label(s, book_id, e);
		validate_book_entries(label, ents, n, flags, &bf, &nbf);
		free(label);
		struct book_finding *out = xcalloc(nbf + 1, sizeof(*out));
		for (size_t i = 0; i < nbf; i++)
			out[i] = (struct book_finding){book_id, bf[i].code, bf[i].message,
						       bf[i].severity};
		rc = store_book_findings_replace(s, book_id, "validate", out, nbf, e);
		free(out);
	}
	for (size_t i = 0; i < n; i++) {
		if (flags[i] != VE_OK || differs[i]) {
			ALLOC_GROW(fm->v, fm->n + 1, fm->cap);
			fm->v[fm->n].id = ents[i].record_id;
			fm->v[fm->n].book_no = differs[i] ? xstrdup(book_no) : NULL;
			fm->v[fm->n++].flag = flags[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		free((char *)ents[i].so);
		free((char *)ents[i].book_no);
	}
	free(differs);
	validate_book_findings_free(bf, nbf);
	free(flags);
	free(ents);
	return rc;
}

struct run_ctx {
	struct store *s;
	const struct validate_ctx *vc;
	const struct flag_map *fm;
	struct stage_counts *c;
	struct err *e;
	long long in_tx;
};

/*
 * trangSo is the page number printed on the page, else the page's position
 * in the book (export-and-cli.md).  Only this stage knows the position.
 */
static void fill_page_position(struct record *r, const struct record_source *src)
{
	if (src->page <= 0 || *record_value(r, "trangSo"))
		return;
	char pos[16];
	snprintf(pos, sizeof(pos), "%d", src->page);
	record_set_value(r, "trangSo", pos);
}

static int one_record(struct record *r, enum record_status st, const struct record_source *src,
		      void *data)
{
	struct run_ctx *rc = data;
	if (st == REC_APPROVED || st == REC_REJECTED)
		return 0;
	validate_record(rc->vc, r);
	fill_page_position(r, src);
	const char *book_no;
	validate_entry_flag_add(r, flag_of(rc->fm, r->id, &book_no));
	if (book_no)
		validate_book_number_add(r, book_no);
	enum record_status to = record_has_errors(r) ? REC_REVIEW : REC_CLEAN;
	if (rc->in_tx == 0 && store_begin(rc->s, rc->e) < 0)
		return -1;
	if (store_record_save(rc->s, r, "validate", to, rc->e) < 0)
		return -1;
	if (++rc->in_tx >= RECORDS_PER_TX) {
		rc->in_tx = 0;
		if (store_commit(rc->s, rc->e) < 0)
			return -1;
	}
	rc->c->records++;
	if (to == REC_CLEAN)
		rc->c->clean++;
	else
		rc->c->review++;
	return 0;
}

/* Book findings a supervisor already acknowledged stay acknowledged when
 * the check finds them again: remembered as "code<US>message". */
static char **acknowledged(struct store *s, long long book_id, size_t *n, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT code || char(31) || message FROM findings"
		" WHERE book_id = ? AND record_id IS NULL AND resolved = 1", e);
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (st)
		store_bind_int(st, 1, book_id);
	while (st && store_step(st, e) == 1) {
		ALLOC_GROW(v, *n + 1, cap);
		v[(*n)++] = xstrdup(store_col_text(st, 0));
	}
	store_finalize(st);
	return v;
}

static int acknowledge_again(struct store *s, long long book_id, char **v, size_t n,
			     struct err *e)
{
	struct store_stmt *st = store_prepare(s, "UPDATE findings SET resolved = 1 WHERE"
		" book_id = ? AND record_id IS NULL AND code || char(31) || message = ?", e);
	int rc = st ? 0 : -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		store_reset(st);
		store_bind_int(st, 1, book_id);
		store_bind_text(st, 2, v[i]);
		rc = store_step(st, e) < 0 ? -1 : 0;
	}
	store_finalize(st);
	return rc;
}

int stage_validate_book(struct store *s, long long book_id, struct err *e)
{
	struct flag_map fm = {NULL, 0, 0};
	size_t nack;
	char **ack = acknowledged(s, book_id, &nack, e);
	int rc = book_check(s, book_id, &fm, e);
	if (rc == 0)
		rc = acknowledge_again(s, book_id, ack, nack, e);
	for (size_t i = 0; i < fm.n; i++)
		free(fm.v[i].book_no);
	for (size_t i = 0; i < nack; i++)
		free(ack[i]);
	free(ack);
	free(fm.v);
	return rc < 0 ? -1 : 0;
}

int stage_validate(struct store *s, int all, struct stage_counts *c, struct err *e)
{
	struct validate_ctx *vc = validate_ctx_new(e);
	if (!vc)
		return -1;
	struct flag_map fm = {NULL, 0, 0};
	long long *books = NULL;
	size_t nbooks = 0;
	int rc = pending_books(s, all, &books, &nbooks, e);
	for (size_t i = 0; rc == 0 && i < nbooks; i++) {
		rc = book_check(s, books[i], &fm, e);
		c->books++;
	}
	if (fm.n)
		qsort(fm.v, fm.n, sizeof(*fm.v), flag_cmp);
	struct run_ctx run = {s, vc, &fm, c, e, 0};
	if (rc == 0)
		rc = store_records_each(s, KIND_NONE, all ? -1 : REC_NEW, one_record, &run, e);
	if (run.in_tx) {
		if (rc == 0)
			rc = store_commit(s, e);
		else
			store_rollback(s);
	}
	free(books);
	for (size_t i = 0; i < fm.n; i++)
		free(fm.v[i].book_no);
	free(fm.v);
	validate_ctx_free(vc);
	return rc < 0 ? -1 : 0;
}
