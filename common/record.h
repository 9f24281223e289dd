/*
 * record: the plain data the stages exchange.
 *
 * A record is one registration (one birth, marriage or death) as read from
 * a page or keyed in a CSV.  Its fields are named by the export columns of
 * the import template (common/columns.c: "nksHoTen", "meNgaySinh").  OCR fills raw;
 * validation fills value (the export form) and findings; review edits value.
 *
 * Ownership: a record owns every string and array in it; record_release()
 * frees them all.  Strings handed to the setters are copied.
 */
#ifndef HOTICH_RECORD_H
#define HOTICH_RECORD_H

#include <stddef.h>

enum book_kind { KIND_NONE = -1, KIND_KS = 0, KIND_KH = 1, KIND_KT = 2 };
#define KIND_COUNT 3

const char *kind_code(enum book_kind k);	/* "ks", "kh", "kt"; "" for none */
enum book_kind kind_parse(const char *s);	/* KIND_NONE when unknown */
const char *kind_title(enum book_kind k);	/* "SỔ ĐĂNG KÝ KHAI SINH" */

/* The export columns of a kind, in the template's order. Static storage. */
const char *const *columns_of(enum book_kind k, size_t *n);
int column_index(enum book_kind k, const char *name); /* -1 when absent */

struct box {
	int x, y, w, h;	/* pixels on the page image; w == 0: no box */
};

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

struct field {
	char *name;	/* export column */
	char *raw;	/* as read (OCR text or keyed cell), NFC; never NULL */
	char *value;	/* export form after validation; NULL until then */
	float conf;	/* OCR confidence 0..100; -1 when keyed */
	struct box box;
	char *model;	/* "vie", "Vietnamese", "keyed", ... ; may be NULL */
	char **alts;	/* engine's alternative readings; may be empty */
	size_t nalts;
	int corrected;	/* value differs from raw by an evidence-based fix */
	double p;	/* probability the value is right (validate/accept.c); -1 unscored */
	char *evidence;	/* the features p was computed from, "k=v ..."; may be NULL */
};

struct finding {
	char *field;	/* export column, "" for the record as a whole */
	char *code;	/* stable code: "date_invalid", "duplicate_existing" */
	char *message;
	enum severity severity;
	/* set for duplicate findings only */
	char *match_source;	/* "existing" | "batch" | NULL */
	char *match_id;
	double score;
};

struct record {
	long long id;		/* database id; 0 before it is stored */
	enum book_kind kind;
	int index;		/* position on the page, 0-based, top to bottom */
	struct field *fields;
	size_t nfields, fields_alloc;
	struct finding *findings;
	size_t nfindings, findings_alloc;
};

void record_init(struct record *r, enum book_kind kind);
void record_release(struct record *r);
/* Add or replace a field's raw text (value reset to NULL). Returns it. */
struct field *record_set_raw(struct record *r, const char *name, const char *raw);
/* Set a field's value, creating the field with raw "" when absent. */
struct field *record_set_value(struct record *r, const char *name, const char *value);
struct field *record_field(const struct record *r, const char *name); /* or NULL */
const char *record_raw(const struct record *r, const char *name);   /* "" when absent */
const char *record_value(const struct record *r, const char *name); /* value, else "" */
void field_add_alt(struct field *f, const char *alt);
struct finding *record_add_finding(struct record *r, const char *field,
				   const char *code, enum severity sev,
				   const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void record_clear_findings(struct record *r);
/*
 * Dedup's own findings: those with a match, or a duplicate_* code.  Other
 * stages (validation, an edit in review) replace theirs and leave these.
 */
int finding_is_dedup(const char *code, const char *match_source);
/*
 * Release and remove every finding that is not dedup's and for which
 * drop(f, arg) is true; the rest keep their order.
 */
void record_drop_findings(struct record *r, int (*drop)(const struct finding *, const void *),
			  const void *arg);
int record_has_errors(const struct record *r); /* any finding >= warning */

#endif
