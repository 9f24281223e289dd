/*
 * The validation stage as `validate` and `run` share it: first each book
 * touched (entry numbers, book-level findings), then each pending record
 * (validate_record, the book check's flag for it, clean or review), saved
 * in transactions of a few hundred records.
 */
#include "pipeline/pipeline.h"
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
		long long inferred;	/* VE_INFERRED: the number its place says */
		char *book_no;	/* the book's number when this record reads another */
		char *lacks;	/* columns its book's records carry and it lacks, ' ' around each */
		char *repeats;	/* validate_book_ev.repeats, owned here */
		struct validate_book_ev ev;	/* its place in the book, for acceptance */
	} *v;
	size_t n, cap;
};

static int flag_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static enum validate_entry_flag flag_of(const struct flag_map *fm, long long id,
				       const char **book_no, long long *inferred,
				       const char **lacks, const struct validate_book_ev **ev)
{
	*book_no = *lacks = NULL;
	*inferred = -1;
	*ev = NULL;
	for (size_t lo = 0, hi = fm->n; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (fm->v[mid].id == id) {
			*book_no = fm->v[mid].book_no;
			*inferred = fm->v[mid].inferred;
			*lacks = fm->v[mid].lacks;
			fm->v[mid].ev.repeats = fm->v[mid].repeats;
			*ev = &fm->v[mid].ev;
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

/* The entry for record id among fm->v[from..], added (VE_OK) when missing. */
static size_t flag_entry(struct flag_map *fm, size_t from, long long id)
{
	for (size_t i = from; i < fm->n; i++)
		if (fm->v[i].id == id)
			return i;
	ALLOC_GROW(fm->v, fm->n + 1, fm->cap);
	memset(&fm->v[fm->n], 0, sizeof(fm->v[fm->n]));
	fm->v[fm->n].id = id;
	fm->v[fm->n].inferred = -1;
	return fm->n++;
}

/*
 * Nothing silently empty: a column that at least half of a book's records
 * hold a reading for, and that a record has no reading of at all (no label
 * found, no cell), is named on that record, unless the register prints it
 * only when it has it (validate_column_optional).  A value the register left
 * blank after its printed label is a reading (the field exists, empty),
 * and is exported blank with no finding.
 */
static const char lacking_sql[] =
	"WITH recs AS (SELECT id FROM records WHERE book_id = ?1 AND status != 'rejected'),"
	" carried AS (SELECT f.name FROM fields f JOIN recs ON recs.id = f.record_id"
	"   WHERE f.raw != '' AND f.conf >= 0 GROUP BY f.name"
	"   HAVING 2 * count(*) >= (SELECT count(*) FROM recs) AND count(*) >= 2)"
	" SELECT recs.id, carried.name FROM recs, carried WHERE NOT EXISTS"
	"  (SELECT 1 FROM fields f WHERE f.record_id = recs.id AND f.name = carried.name"
	"   AND (f.raw != '' OR f.conf >= 0)) ORDER BY recs.id, carried.name";

/*
 * Values another record of the book holds in the same column, read apart:
 * a page's header is copied to each of its records from one reading, so
 * readings count by their place (page and box), not by record.
 */
static const char repeats_sql[] =
	"WITH vals AS (SELECT f.record_id AS rid, f.name AS name,"
	"   coalesce(nullif(f.value, ''), f.raw) AS v,"
	"   r.page_id || ':' || coalesce(f.x, '') || ':' || coalesce(f.y, '') AS place"
	"   FROM fields f JOIN records r ON r.id = f.record_id"
	"   WHERE r.book_id = ?1 AND r.status != 'rejected'),"
	" twice AS (SELECT name, v FROM vals WHERE v != '' GROUP BY name, v"
	"   HAVING count(DISTINCT place) >= 2)"
	" SELECT vals.rid, vals.name FROM vals JOIN twice"
	"  ON twice.name = vals.name AND twice.v = vals.v ORDER BY vals.rid, vals.name";

enum column_list { LIST_LACKS, LIST_REPEATS };

/* Each row (record, column) of the list's query for a book adds the column
 * to that record's lacks or repeats, ' ' around each. */
static int book_columns(struct store *s, enum column_list which, long long book_id,
			struct flag_map *fm, size_t from, struct err *e)
{
	int lacks = which == LIST_LACKS;
	struct store_stmt *st = store_prepare(s, lacks ? lacking_sql : repeats_sql, e);
	if (!st)
		return -1;
	store_bind_int(st, 1, book_id);
	int rc;
	size_t i = from;
	while ((rc = store_step(st, e)) == 1) {
		const char *col = store_col_text(st, 1);
		if (lacks && validate_column_optional(col))
			continue;
		/* rows come by record: look the entry up once a record */
		long long id = store_col_int(st, 0);
		if (i >= fm->n || fm->v[i].id != id)
			i = flag_entry(fm, from, id);
		char **list = lacks ? &fm->v[i].lacks : &fm->v[i].repeats;
		char *had = *list;
		*list = xasprintf("%s%s ", had ? had : " ", col);
		free(had);
	}
	store_finalize(st);
	return rc;
}

/* The finding on each column the record lacks, when it lacks it still. */
static void lacking_add(struct record *r, const char *lacks)
{
	char *cols = xstrdup(lacks ? lacks : "");
	for (char *c = cols, *sp; c && *c; c = sp ? sp + 1 : NULL) {
		sp = strchr(c, ' ');
		if (sp)
			*sp = '\0';
		if (*c && !*record_value(r, c) && !*record_raw(r, c))
			record_add_finding(r, c, "field_not_read", SEV_WARNING,
					   "Không đọc được %s, các bản ghi khác của sổ đều có", c);
	}
	free(cols);
}

static int book_check(struct store *s, long long book_id, struct flag_map *fm, struct err *e)
{
	size_t from = fm->n;
	/* An inferred number (entry, book) is inferred again from what was
	 * read, each time. */
	struct store_stmt *st = store_prepare(s,
		"SELECT r.id, coalesce((SELECT f.raw FROM fields f WHERE f.record_id = r.id"
		"  AND f.name = 'so' AND EXISTS (SELECT 1 FROM findings x WHERE x.record_id = r.id"
		"  AND x.code = 'entry_inferred')), r.entry_no, ''),"
		" coalesce((SELECT CASE WHEN EXISTS (SELECT 1 FROM findings x"
		"  WHERE x.record_id = r.id AND x.code = 'book_no_inferred') THEN f.raw"
		"  ELSE coalesce(nullif(f.value, ''), f.raw) END FROM fields f"
		"           WHERE f.record_id = r.id AND f.name = 'quyenSo'), ''),"
		" coalesce((SELECT coalesce(nullif(f.value, ''), f.raw) FROM fields f"
		"           WHERE f.record_id = r.id AND f.name = 'ngayDangKy'), '')"
		" FROM records r"
		" LEFT JOIN pages p ON p.id = r.page_id WHERE r.book_id = ?"
		" AND r.status != 'rejected' ORDER BY p.page_no, r.idx, r.id", e);
	if (!st)
		return -1;
	store_bind_int(st, 1, book_id);
	struct validate_entry *ents = NULL;
	char **dates = NULL;
	size_t n = 0, cap = 0, dcap = 0;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(ents, n + 1, cap);
		ALLOC_GROW(dates, n + 1, dcap);
		ents[n].record_id = store_col_int(st, 0);
		ents[n].so = xstrdup(store_col_text(st, 1));
		dates[n] = xstrdup(store_col_text(st, 3));
		ents[n++].book_no = xstrdup(store_col_text(st, 2));
	}
	store_finalize(st);
	enum validate_entry_flag *flags = xcalloc(n + 1, sizeof(*flags));
	long long *inferred = xcalloc(n + 1, sizeof(*inferred));
	int *differs = xcalloc(n + 1, sizeof(*differs));
	const char *book_no = validate_book_number(ents, n, differs);
	struct validate_book_finding *bf = NULL;
	size_t nbf = 0;
	if (rc == 0) {
		char *label = book_label(s, book_id, e);
		validate_book_entries(label, ents, n, flags, inferred, &bf, &nbf);
		free(label);
		struct book_finding *out = xcalloc(nbf + 1, sizeof(*out));
		for (size_t i = 0; i < nbf; i++)
			out[i] = (struct book_finding){book_id, bf[i].code, bf[i].message,
						       bf[i].severity};
		rc = store_book_findings_replace(s, book_id, "validate", out, nbf, e);
		free(out);
	}
	struct validate_book_ev *ev = xcalloc(n + 1, sizeof(*ev));
	validate_book_evidence(ents, (const char *const *)dates, n, ev);
	for (size_t i = 0; i < n; i++) {
		size_t k = flag_entry(fm, fm->n, ents[i].record_id);
		fm->v[k].book_no = differs[i] ? xstrdup(book_no) : NULL;
		fm->v[k].inferred = inferred[i];
		fm->v[k].flag = flags[i];
		fm->v[k].ev = ev[i];
	}
	for (size_t i = 0; i < n; i++) {
		free((char *)ents[i].so);
		free((char *)ents[i].book_no);
		free(dates[i]);
	}
	free(dates);
	free(ev);
	if (rc == 0)
		rc = book_columns(s, LIST_LACKS, book_id, fm, from, e);
	if (rc == 0)
		rc = book_columns(s, LIST_REPEATS, book_id, fm, from, e);
	free(differs);
	free(inferred);
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

/* Saves r as to, in transactions of RECORDS_PER_TX records. */
static int save_in_tx(struct run_ctx *rc, const struct record *r, enum record_status to)
{
	if (rc->in_tx == 0 && store_begin(rc->s, rc->e) < 0)
		return -1;
	if (store_record_save(rc->s, r, "validate", to, rc->e) < 0)
		return -1;
	if (++rc->in_tx >= RECORDS_PER_TX) {
		rc->in_tx = 0;
		if (store_commit(rc->s, rc->e) < 0)
			return -1;
	}
	return 0;
}

static int end_tx(struct run_ctx *rc, int ok)
{
	if (!rc->in_tx)
		return ok;
	rc->in_tx = 0;
	if (ok == 0)
		return store_commit(rc->s, rc->e);
	store_rollback(rc->s);
	return ok;
}

/*
 * A new OCR'd record's values, checked and saved, every column a field, before
 * its book is: the book's evidence (dates in order, values read twice) is
 * then of checked values and an unread column an empty field, as when the
 * book is validated again, and as the acceptance model was fitted
 * (bench/accept_data.sh re-validates); raw readings would say less.
 */
static int values_first(struct record *r, enum record_status st,
			const struct record_source *src, void *data)
{
	struct run_ctx *rc = data;
	/* A keyed record is not scored: checking it twice would buy nothing
	 * (and an import of a million rows would pay for it). */
	if (st != REC_NEW || !validate_record_is_read(r))
		return 0;
	validate_record(rc->vc, r);
	validate_columns_fill(r);
	fill_page_position(r, src);
	return save_in_tx(rc, r, REC_NEW);
}

static int one_record(struct record *r, enum record_status st, const struct record_source *src,
		      void *data)
{
	struct run_ctx *rc = data;
	if (st == REC_APPROVED || st == REC_REJECTED)
		return 0;
	validate_record(rc->vc, r);
	fill_page_position(r, src);
	const char *book_no, *lacks;
	const struct validate_book_ev *ev;
	long long inferred;
	validate_entry_flag_add(r, flag_of(rc->fm, r->id, &book_no, &inferred, &lacks, &ev));
	if (inferred >= 0)
		validate_entry_inferred_set(r, inferred);
	lacking_add(r, lacks);
	if (book_no)
		validate_book_number_add(r, book_no, ev ? ev->seq : 0);
	validate_accept(rc->vc, r, ev);
	enum record_status to = record_has_errors(r) ? REC_REVIEW : REC_CLEAN;
	if (save_in_tx(rc, r, to) < 0)
		return -1;
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
	for (size_t i = 0; i < fm.n; i++) {
		free(fm.v[i].book_no);
		free(fm.v[i].lacks);
		free(fm.v[i].repeats);
	}
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
	struct run_ctx run = {s, vc, &fm, c, e, 0};
	if (rc == 0 && !all)
		rc = end_tx(&run, store_records_each(s, KIND_NONE, REC_NEW, values_first, &run, e));
	for (size_t i = 0; rc == 0 && i < nbooks; i++) {
		rc = book_check(s, books[i], &fm, e);
		c->books++;
	}
	if (fm.n)
		qsort(fm.v, fm.n, sizeof(*fm.v), flag_cmp);
	if (rc == 0)
		rc = end_tx(&run, store_records_each(s, KIND_NONE, all ? -1 : REC_NEW, one_record,
						     &run, e));
	free(books);
	for (size_t i = 0; i < fm.n; i++) {
		free(fm.v[i].book_no);
		free(fm.v[i].lacks);
		free(fm.v[i].repeats);
	}
	free(fm.v);
	validate_ctx_free(vc);
	return rc < 0 ? -1 : 0;
}
