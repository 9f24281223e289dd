/*
 * validate: decide, field by field, what is certainly right, what can be
 * corrected with evidence, and what a supervisor must see.
 *
 * Sits between ocr/ (or import-batch) and dedup/.  Works on a struct record
 * in memory and on reference data (communes, provinces, ID prefixes, ethnic
 * groups, surnames) loaded once into a struct validate_ctx.  No store, no
 * printing: the caller (pipeline/stage_validate.c) loads and saves records.
 *
 * For each field the value (the export form of the import template's
 * columns, as common/columns.c lists them) is derived
 * from raw: text in NFC with single spaces, names in title case with the
 * register's own tone-mark placement, dates dd/mm/yyyy, codes for sex,
 * registration type and ID paper type, composite printed values split into
 * their columns.  Every mapping is idempotent, so keyed records whose raw is
 * already in export form pass through unchanged.
 *
 * Invariants:
 * - a wrong value never passes silently: each check that fails adds a
 *   finding (stable code, Vietnamese message) of severity warning or error
 *   on its own column; a record is clean only when it has no finding of
 *   severity >= warning;
 * - a value is corrected only when one candidate clearly wins (an OCR
 *   alternative reading, a closed vocabulary, the surname list); the raw
 *   reading is kept, field->corrected is set and an info finding
 *   "corrected" records what changed;
 * - impossible values (30/02, year 5005, an ID that disagrees with sex) are
 *   flagged, never corrected.
 *
 * Thread-safety: a validate_ctx is read-only after validate_ctx_new() (and
 * the setters, which are for set-up and tests); any number of threads may
 * validate different records with one context.
 */
#ifndef HOTICH_VALIDATE_H
#define HOTICH_VALIDATE_H

#include <stddef.h>

#include "common/common.h"
#include "common/record.h"

struct validate_ctx;

/* Load the reference lists from the data directory.  NULL with e set. */
struct validate_ctx *validate_ctx_new(struct err *e);
void validate_ctx_free(struct validate_ctx *vc); /* NULL is fine */
/* "Today" for plausibility (dates in the future); default the real date. */
void validate_ctx_set_today(struct validate_ctx *vc, int y, int m, int d);

/*
 * Validate a whole record: every field's value is recomputed from raw, the
 * record's earlier validation findings are dropped (dedup's are kept), and
 * per-field, cross-field and confidence findings are added.
 * Returns the number of findings of severity >= warning (0: clean).
 */
int validate_record(const struct validate_ctx *vc, struct record *r);

/*
 * Re-check one field after an edit (the review tool): maps the field's
 * current value (raw when it has none), re-runs its own checks and every
 * cross-field check, and replaces the findings they own.  No confidence
 * check: an edited value was typed by a person.  Creates the field when
 * absent.  Returns the record's number of findings >= warning.
 */
int validate_field(const struct validate_ctx *vc, struct record *r, const char *column);

/* ---- acceptance thresholds (OCR confidence) ----------------------------- */

/*
 * Field types share one threshold each.  A field read by OCR (conf >= 0)
 * below its type's threshold gets a "low_confidence" warning; keyed fields
 * (conf < 0) have none.  See validate/thresholds.c for the table and how
 * its numbers were set.
 */
enum validate_ftype {
	VT_TEXT, VT_NUMBER, VT_DATE, VT_NAME, VT_ID, VT_PLACE, VT_CLOSED, VT_COUNT
};
const char *validate_ftype_name(enum validate_ftype t);	/* "date", "name", ... */
enum validate_ftype validate_column_type(const char *column);
/* Is the column one a register prints only when it has a value? */
int validate_column_optional(const char *column);
float validate_threshold(const struct validate_ctx *vc, enum validate_ftype t);
/* Override thresholds ("date=90,name=95"), e.g. from a benchmark's
 * measurement or $HOTICH_THRESHOLDS (read by validate_ctx_new). */
int validate_thresholds_parse(struct validate_ctx *vc, const char *spec, struct err *e);

/* ---- books: entry numbers --------------------------------------------- */

/* One record of a book, in reading order (page, then position). */
struct validate_entry {
	long long record_id;
	const char *so;		/* entry number as printed */
	const char *book_no;	/* quyenSo as read on the record's page, or "" */
};
struct validate_book_finding {
	char *code;		/* "entry_missing", "entry_duplicate" */
	char *message;		/* Vietnamese, names the number */
	long long number;
	enum severity severity;
};
/* Per-record outcome of the book check (parallel to the entries). */
enum validate_entry_flag { VE_OK, VE_DUPLICATE, VE_OUT_OF_ORDER, VE_UNREADABLE, VE_INFERRED };

/*
 * Check that entry numbers run without gaps or repeats.  A number below
 * its neighbours' run (a misread) is flagged VE_OUT_OF_ORDER and left out
 * of the gap count, so one bad digit does not report hundreds of missing
 * entries.  Each missing number is a finding of its own (a gap wider than
 * 1,000 numbers is one "entry_gap").  A blank, misread or repeated number
 * whose place between its neighbours leaves exactly its number out is
 * VE_INFERRED, with that number in inferred[i] (-1 elsewhere; inferred may
 * be NULL), and no gap is reported for it.  book names the book in
 * messages.  Fills *out (caller frees with validate_book_findings_free)
 * and flags[n].
 */
void validate_book_entries(const char *book, const struct validate_entry *ents, size_t n,
			   enum validate_entry_flag *flags, long long *inferred,
			   struct validate_book_finding **out, size_t *nout);
void validate_book_findings_free(struct validate_book_finding *f, size_t n);
/* Add the record-level finding for a flag (nothing for VE_OK or VE_INFERRED). */
void validate_entry_flag_add(struct record *r, enum validate_entry_flag flag);
/* Set a VE_INFERRED record's entry number, raw kept, with an info finding. */
void validate_entry_inferred_set(struct record *r, long long number);

/*
 * The book number (quyển số) is printed on every page of a book and must
 * read the same on all of them.  Returns the reading most records carry
 * when at least two agree and they are more than half of those read (else
 * NULL); differs[i] is set for each entry read otherwise.  Never corrects:
 * a page that disagrees may be a page of another book.
 */
const char *validate_book_number(const struct validate_entry *ents, size_t n, int *differs);
/*
 * The finding on a record whose book number differs from its book's.  A
 * page of another book would not continue this book's entry numbers: when
 * the record's entry does (in_sequence > 0, validate_book_ev.seq) and its
 * book number is one character from the book's ('62/1996' for 02/1996),
 * the number is a misread and becomes the book's (raw kept, said as info);
 * otherwise a warning.
 */
void validate_book_number_add(struct record *r, const char *book_no, int in_sequence);

/*
 * What a record's place in its book says for it: +1 fits, -1 breaks, 0
 * nothing to say.  seq: its entry number is one more than the one before
 * or one less than the next; date: its registration date lies between its
 * neighbours' (entries are registered in date order); book_no: -1 when
 * its page's book number is not the book's (never +1: pages of one book
 * misread alike agree).
 */
struct validate_book_ev {
	int seq, date, book_no;
	/* The columns whose value another record of the book holds too, read
	 * apart (another page or place), ' ' around each (" nktNguyenNhanChet ");
	 * NULL: none.  Two misreads rarely agree; borrowed. */
	const char *repeats;
};
/* Fills ev[n], one per entry in the entries' order; reg_dates[i] is entry
 * i's ngayDangKy as read ("" or NULL: unknown). */
void validate_book_evidence(const struct validate_entry *ents, const char *const *reg_dates,
			    size_t n, struct validate_book_ev *ev);

/* ---- calibrated acceptance (validate/accept.c) ------------------------ */

/*
 * The model is data/accept_model.tsv ($HOTICH_ACCEPT_MODEL overrides the
 * path), loaded by validate_ctx_new(): a missing or malformed file is an
 * error naming the file and line.  It holds, per field type and for empty
 * fields, a logistic regression over the features below and the level of
 * p at which a field is accepted (chosen on generated books so accepted
 * fields are wrong at most 1 in 1,000; bench/accept_fit.py writes it).
 *
 * validate_accept() runs after validate_record() and the book checks: for
 * a record read by OCR (some field has conf >= 0) it replaces the
 * confidence findings (low_confidence, reading_disagrees) by the model's,
 * adds every column of the kind that is missing as an empty field, sets
 * each field's p and evidence ("feature=value ..."), and adds a
 * "low_probability" warning on each field below its level that has no
 * warning of its own.  A keyed record is left as it is (p -1).  bk may be
 * NULL.  Returns 1 when the record has a finding >= warning, else 0.
 */
int validate_accept(const struct validate_ctx *vc, struct record *r,
		    const struct validate_book_ev *bk);
/* An OCR'd record (a field with an engine's confidence), not a keyed one. */
int validate_record_is_read(const struct record *r);
/* Every column of the kind made a field of an OCR'd record: a value the
 * reader lost is a field that is empty, and it is checked and scored like
 * any other.  A keyed record is left as keyed. */
void validate_columns_fill(struct record *r);
/* The features of one field (validate_accept_nfeatures() of them, the
 * first the constant 1), and p from them. */
int validate_accept_nfeatures(void);
const char *validate_accept_feature_name(int i);	/* "" out of range */
void validate_accept_features(const struct validate_ctx *vc, const struct record *r,
			      const struct field *f, const struct validate_book_ev *bk, double *x);
double validate_accept_p(const struct validate_ctx *vc, const struct field *f, const double *x);
/* The acceptance level of a field type (empty: of an empty field). */
double validate_accept_level(const struct validate_ctx *vc, enum validate_ftype t, int empty);
/* Expected number of wrong values among a record's scored fields: the sum
 * of 1 - p (0 for a keyed record). */
double validate_accept_doubt(const struct record *r);

/* ---- pure helpers, exposed for tests and for other stages ------------- */

struct vdate {
	int y, m, d;		/* m == 0 and d == 0: year only */
};
/*
 * Parse a printed date: d/m/yyyy, dd.mm.yyyy, dd-mm-yyyy, "ngày 5 tháng 3
 * năm 2021", or yyyy alone.  Returns 0 when the shape is right (the date
 * may still not exist: see vdate_exists), -1 otherwise.
 */
int vdate_parse(const char *s, struct vdate *d);
int vdate_exists(const struct vdate *d);	/* calendar validity; year-only is 1 */
int vdate_days_in_month(int y, int m);
/* Export form: "dd/mm/yyyy" or "yyyy"; out holds 11 bytes. */
void vdate_format(const struct vdate *d, char out[16]);
/* Days since 0000-03-01 for full dates (comparisons, 60-day rule). */
long vdate_serial(const struct vdate *d);
/* "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Tám" (and
 * southern ngàn / lẻ, mồng / mùng).  0 or -1. */
int vdate_from_words(const char *s, struct vdate *d);
/* Vietnamese number words to an integer ("hai mươi mốt" -> 21); -1 bad. */
int vnum_from_words(const char *s);

/* Century/sex digit of a 12-digit personal ID: 0 male 1900s, 1 female
 * 1900s, 2 male 2000s, 3 female 2000s, ... ; -1 for a year out of range. */
int vid_century_digit(int year, int female);

/* Tone-placement-insensitive key: "Thuỳ" and "Thùy" give the same key,
 * "Thuy" another.  Lower case; tone as a digit after each syllable. */
char *validate_tone_key(const struct validate_ctx *vc, const char *s);
/* 1 when s is one well-formed Vietnamese syllable (onset, rhyme, tone). */
int validate_syllable_ok(const struct validate_ctx *vc, const char *s);

#endif
