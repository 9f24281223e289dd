/*
 * The dedup stage: link pending records (dedup_link) and turn each record's
 * matches into findings and a status.  A match at or above DEDUP_DUPLICATE
 * (or one a supervisor already called "same") is an error finding
 * duplicate_existing / duplicate_batch; one above DEDUP_POSSIBLE a warning
 * possible_duplicate.  Either sends the record to review: a probable
 * duplicate is never dropped and never exported as new.
 */
#include "pipeline/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

struct dctx {
	struct store *s;
	enum book_kind kind;
	struct stage_counts *c;
	long long possible;
	struct err *e;
};

static void add_finding(struct record *r, const struct dedup_match *m)
{
	int dup = m->decided_same || m->score >= DEDUP_DUPLICATE;
	int batch = !strcmp(m->source, "batch");
	const char *code = !dup ? "possible_duplicate"
			   : batch ? "duplicate_batch" : "duplicate_existing";
	char *ev = dedup_evidence(r->kind, m->gamma);
	const char *again = !strcmp(record_value(r, "loaiDangKy"), "2") ||
			    !strcmp(record_raw(r, "loaiDangKy"), "2")
		? "; đây là đăng ký lại (loaiDangKy 2): xác nhận nó thay cho bản đăng ký trước"
		: "";
	struct finding *f = record_add_finding(r, "", code, dup ? SEV_ERROR : SEV_WARNING,
		"%s trùng với hồ sơ %s %s%s (điểm %.2f): %s%s",
		dup ? "Rất có thể" : "Có thể", batch ? "trong lô" : "đã có",
		batch ? "" : "STT ", m->other, m->score, ev, again);
	f->match_source = xstrdup(m->source);
	f->match_id = xstrdup(m->other);
	f->score = m->score;
	free(ev);
}

/* Other stages' findings that keep a record in review. */
static int other_warnings(const struct record *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		if (!finding_is_dedup(f->code, f->match_source) && f->severity >= SEV_WARNING)
			return 1;
	}
	return 0;
}

static int on_result(long long id, const struct dedup_match *m, size_t n, void *vc)
{
	struct dctx *d = vc;
	int had = dedup_record_flagged(d->s, id, d->e);
	if (had < 0)
		return -1;
	if (!n && !had)
		return 0;
	struct record r;
	enum record_status st;
	if (store_record_load(d->s, id, &r, &st, NULL, d->e) < 0) {
		record_release(&r);
		return -1;
	}
	int others = other_warnings(&r);
	/* In memory we keep only our findings; store_record_save("dedup")
	 * replaces dedup's own rows and leaves every other stage's alone. */
	record_clear_findings(&r);
	int dups = 0;
	for (size_t i = 0; i < n; i++) {
		add_finding(&r, &m[i]);
		dups += m[i].decided_same || m[i].score >= DEDUP_DUPLICATE;
	}
	enum record_status nst = st;
	if (n)
		nst = REC_REVIEW;
	else if (st == REC_REVIEW && !others)
		nst = REC_CLEAN; /* only our old finding held it */
	d->c->duplicates += dups > 0;
	d->possible += n && !dups;
	d->c->review += nst == REC_REVIEW && st != REC_REVIEW;
	int rc = store_record_save(d->s, &r, "dedup", nst, d->e);
	record_release(&r);
	return rc;
}

int stage_dedup_kind(struct store *s, enum book_kind kind, struct stage_counts *c,
		     struct dedup_stats *st, long long *possible, struct err *e)
{
	struct dctx d = {s, kind, c, 0, e};
	int rc = dedup_link(s, kind, on_result, &d, st, e);
	c->records += st->pending;
	if (possible)
		*possible += d.possible;
	return rc;
}

int stage_dedup(struct store *s, struct stage_counts *c, struct err *e)
{
	for (int k = 0; k < KIND_COUNT; k++) {
		struct dedup_stats st;
		if (stage_dedup_kind(s, (enum book_kind)k, c, &st, NULL, e) < 0)
			return -1;
	}
	return 0;
}
