/*
 * Complete books: entry numbers run upward without gaps or repeats.  A
 * missing number is a missing record (a page not scanned, a block not
 * found) and is reported, one finding per number, never ignored.
 *
 * The numbers are taken in reading order; the non-decreasing run through
 * them that explains them best (longest_run) is the book's sequence, and a
 * number off that run is a misread (flagged on its record) rather than
 * evidence of hundreds of missing entries.
 */
#include "validate/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A gap wider than this is one finding naming the range, not one per number. */
#define GAP_EACH_MAX 1000

static long long entry_number(const char *so)
{
	long long v = 0;
	int any = 0;
	for (const char *p = so; p && isdigit((unsigned char)*p) && v < 1000000000LL; p++) {
		v = v * 10 + (*p - '0');
		any = 1;
	}
	return any ? v : -1;
}

/*
 * The book's sequence: the non-decreasing run through the numbers that
 * explains them best.  Each number kept scores 1; a jump of more than
 * BIG_JUMP between two kept numbers costs JUMP_COST, so one misread at
 * the start ("104, 405, 406, ...") or a tie ("403, 104, 405") does not buy
 * hundreds of missing entries, while a real gap with many entries after
 * it is kept.  Ties go to the run with the smaller total span.  O(n^2) on
 * one book's few hundred records.  Writes the kept indices (into nums) to
 * keep and returns how many.
 */
#define BIG_JUMP 20
#define JUMP_COST 1.5

static size_t longest_run(const long long *nums, size_t n, size_t *keep)
{
	if (n == 0)
		return 0;
	double *score = xmalloc(n * sizeof(*score));
	long long *span = xmalloc(n * sizeof(*span));
	size_t *prev = xmalloc(n * sizeof(*prev)), *len = xmalloc(n * sizeof(*len));
	size_t best = 0;
	for (size_t i = 0; i < n; i++) {
		score[i] = 1;
		span[i] = 0;
		prev[i] = (size_t)-1;
		len[i] = 1;
		for (size_t j = 0; j < i; j++) {
			if (nums[j] > nums[i])
				continue;
			long long gap = nums[i] - nums[j];
			double sc = score[j] + 1 - (gap > BIG_JUMP ? JUMP_COST : 0);
			long long sp = span[j] + gap;
			if (sc > score[i] || (sc == score[i] && sp < span[i])) {
				score[i] = sc;
				span[i] = sp;
				prev[i] = j;
				len[i] = len[j] + 1;
			}
		}
		if (score[i] > score[best] || (score[i] == score[best] && span[i] < span[best]))
			best = i;
	}
	size_t k = len[best];
	for (size_t j = k, i = best; j > 0; j--, i = prev[i])
		keep[j - 1] = i;
	free(score);
	free(span);
	free(prev);
	free(len);
	return k;
}

static void add_finding(struct validate_book_finding **out, size_t *n, size_t *cap,
			const char *code, long long number, char *message)
{
	ALLOC_GROW(*out, *n + 1, *cap);
	struct validate_book_finding *f = &(*out)[(*n)++];
	f->code = xstrdup(code);
	f->message = message;
	f->number = number;
	f->severity = SEV_WARNING;
}

/*
 * Records between two numbers that leave exactly as many numbers out as
 * there are records between them ('5, ?, ?, 8'; '1, 3, 3, 4' with a 2 read
 * as 3) hold those numbers: the entry numbers of a book run up by one, so
 * a blank, misread or repeated number among them is the one its place says
 * (VE_INFERRED, val[] set), not a missing record.  A stretch that does not
 * fit is left alone and its gaps reported.
 */
static void infer_between(enum validate_entry_flag *flags, long long *val, size_t n)
{
	size_t la = (size_t)-1;
	for (size_t ib = 0; ib < n; ib++) {
		if (flags[ib] != VE_OK)
			continue;
		size_t k = la == (size_t)-1 ? 0 : ib - la - 1;
		if (k > 0 && val[ib] - val[la] - 1 == (long long)k) {
			for (size_t t = 1; t <= k; t++) {
				long long want = val[la] + (long long)t;
				if (val[la + t] != want)
					flags[la + t] = VE_INFERRED;
				else
					flags[la + t] = VE_OK;
				val[la + t] = want;
			}
		}
		la = ib;
	}
}

/* Repeats and gaps among the numbers as they stand after inference. */
static void report_run(const char *book, const enum validate_entry_flag *flags,
		       const long long *val, size_t n, struct validate_book_finding **out,
		       size_t *nout)
{
	size_t cap = 0;
	long long prev = -1, dup_reported = -1;
	for (size_t i = 0; i < n; i++) {
		if (flags[i] == VE_OUT_OF_ORDER || flags[i] == VE_UNREADABLE)
			continue;
		long long v = val[i];
		if (v == prev && flags[i] == VE_DUPLICATE && dup_reported != v) {
			add_finding(out, nout, &cap, "entry_duplicate", v,
				    xasprintf("Số %lld lặp lại trong sổ %s", v, book));
			dup_reported = v;
		}
		if (prev >= 0 && v - prev - 1 > GAP_EACH_MAX) {
			add_finding(out, nout, &cap, "entry_gap", prev + 1,
				    xasprintf("Thiếu các số từ %lld đến %lld trong sổ %s (có thể đọc sai số)",
					      prev + 1, v - 1, book));
		} else {
			for (long long x = prev + 1; prev >= 0 && x < v; x++)
				add_finding(out, nout, &cap, "entry_missing", x,
					    xasprintf("Thiếu số %lld trong sổ %s", x, book));
		}
		if (v > prev)
			prev = v;
	}
}

void validate_book_entries(const char *book, const struct validate_entry *ents, size_t n,
			   enum validate_entry_flag *flags, long long *inferred,
			   struct validate_book_finding **out, size_t *nout)
{
	size_t m = 0;
	*out = NULL;
	*nout = 0;
	long long *nums = xmalloc((n + 1) * sizeof(*nums)), *val = xmalloc((n + 1) * sizeof(*val));
	size_t *pos = xmalloc((n + 1) * sizeof(*pos)), *keep = xmalloc((n + 1) * sizeof(*keep));
	for (size_t i = 0; i < n; i++) {
		val[i] = entry_number(ents[i].so);
		flags[i] = val[i] < 0 ? VE_UNREADABLE : VE_OUT_OF_ORDER;
		if (val[i] >= 0) {
			nums[m] = val[i];
			pos[m++] = i;
		}
	}
	size_t len = longest_run(nums, m, keep);
	for (size_t j = 0; j < len; j++) {
		size_t i = keep[j];
		flags[pos[i]] = VE_OK;
		/* The first of a repeated number is marked too: both need a look. */
		if (j > 0 && nums[keep[j - 1]] == nums[i])
			flags[pos[keep[j - 1]]] = flags[pos[i]] = VE_DUPLICATE;
	}
	infer_between(flags, val, n);
	for (size_t i = 0; inferred && i < n; i++)
		inferred[i] = flags[i] == VE_INFERRED ? val[i] : -1;
	report_run(book, flags, val, n, out, nout);
	free(nums);
	free(val);
	free(pos);
	free(keep);
}

void validate_book_findings_free(struct validate_book_finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].code);
		free(f[i].message);
	}
	free(f);
}

void validate_entry_flag_add(struct record *r, enum validate_entry_flag flag)
{
	const char *so = record_value(r, "so");
	if (!*so)
		so = record_raw(r, "so");
	if (flag == VE_INFERRED)
		return;		/* said by validate_entry_inferred_set() */
	if (flag == VE_DUPLICATE)
		record_add_finding(r, "so", "entry_duplicate", SEV_WARNING,
				   "Số đăng ký %s trùng với bản ghi khác trong cùng sổ", so);
	else if (flag == VE_OUT_OF_ORDER)
		record_add_finding(r, "so", "entry_order", SEV_WARNING,
				   "Số đăng ký %s không theo thứ tự trong sổ (có thể đọc sai)", so);
}

const char *validate_book_number(const struct validate_entry *ents, size_t n, int *differs)
{
	const char *best = NULL;
	size_t best_n = 0, read = 0;
	/* Books hold a few hundred records: counting each value is cheap enough. */
	for (size_t i = 0; i < n; i++) {
		differs[i] = 0;
		if (!*ents[i].book_no)
			continue;
		read++;
		size_t c = 0;
		for (size_t j = 0; j < n; j++)
			c += strcmp(ents[j].book_no, ents[i].book_no) == 0;
		if (c > best_n) {
			best_n = c;
			best = ents[i].book_no;
		}
	}
	if (best_n < 2 || best_n * 2 <= read)
		return NULL;
	for (size_t i = 0; i < n; i++)
		differs[i] = *ents[i].book_no && strcmp(ents[i].book_no, best) != 0;
	return best;
}

void validate_book_number_add(struct record *r, const char *book_no, int in_sequence)
{
	const char *v = record_value(r, "quyenSo");
	if (!*v)
		v = record_raw(r, "quyenSo");
	if (in_sequence > 0 && strlen(v) == strlen(book_no) && text_distance(v, book_no) == 1) {
		char *read = xstrdup(v);
		record_set_value(r, "quyenSo", book_no);
		record_field(r, "quyenSo")->corrected = 1;
		record_add_finding(r, "quyenSo", "book_no_inferred", SEV_INFO,
				   "Quyển số đọc là '%s'; theo các trang khác của sổ và số thứ tự là %s",
				   read, book_no);
		free(read);
		return;
	}
	record_add_finding(r, "quyenSo", "book_no_differs", SEV_WARNING,
			   "Quyển số %s khác với các trang khác của sổ (%s): đọc sai hoặc trang của sổ khác",
			   v, book_no);
}

static int missing_entry_no(const struct finding *f, const void *arg)
{
	(void)arg;
	return !strcmp(f->field, "so") && !strcmp(f->code, "field_missing");
}

void validate_entry_inferred_set(struct record *r, long long number)
{
	const char *so = record_value(r, "so");
	char *read = xstrdup(*so ? so : record_raw(r, "so"));
	char num[24];
	snprintf(num, sizeof(num), "%lld", number);
	record_set_value(r, "so", num);
	struct field *f = record_field(r, "so");
	if (f)
		f->corrected = 1;
	/* A number the book's order gives is not missing. */
	record_drop_findings(r, missing_entry_no, NULL);
	record_add_finding(r, "so", "entry_inferred", SEV_INFO,
			   "Số đăng ký đọc là '%s'; theo thứ tự trong sổ là %s", read, num);
	free(read);
}

/* +1 when the entry's number continues a neighbour's by one, -1 when both
 * neighbours are read and neither does. */
static int seq_fits(const struct validate_entry *ents, size_t n, size_t i)
{
	long long me = entry_number(ents[i].so);
	long long before = i > 0 ? entry_number(ents[i - 1].so) : -1;
	long long after = i + 1 < n ? entry_number(ents[i + 1].so) : -1;
	if (me < 0)
		return 0;
	if ((before >= 0 && before == me - 1) || (after >= 0 && after == me + 1))
		return 1;
	return before >= 0 && after >= 0 ? -1 : 0;
}

static int reg_date_of(const char *s, struct vdate *d)
{
	return s && vdate_parse(s, d) == 0 && d->m && vdate_exists(d) ? 0 : -1;
}

/* +1 between the neighbours' dates (both read), -1 before the one before
 * or after the next. */
static int date_fits(const char *const *dates, size_t n, size_t i)
{
	struct vdate me, b, a;
	if (reg_date_of(dates[i], &me) < 0)
		return 0;
	int has_b = i > 0 && reg_date_of(dates[i - 1], &b) == 0;
	int has_a = i + 1 < n && reg_date_of(dates[i + 1], &a) == 0;
	if ((has_b && vdate_cmp(&me, &b) < 0) || (has_a && vdate_cmp(&me, &a) > 0))
		return -1;
	return has_b && has_a ? 1 : 0;
}

void validate_book_evidence(const struct validate_entry *ents, const char *const *reg_dates,
			    size_t n, struct validate_book_ev *ev)
{
	int *differs = xcalloc(n + 1, sizeof(*differs));
	const char *book_no = validate_book_number(ents, n, differs);
	for (size_t i = 0; i < n; i++) {
		ev[i].seq = seq_fits(ents, n, i);
		ev[i].date = reg_dates ? date_fits(reg_dates, n, i) : 0;
		/* A book number read alike on every page is no proof: one face
		 * misread the same way on every page of a book (measured). */
		ev[i].book_no = book_no && *ents[i].book_no && differs[i] ? -1 : 0;
		ev[i].repeats = NULL;	/* the stage knows the book's values */
	}
	free(differs);
}
