/*
 * validate/ internals: the context's reference data and the helpers the
 * checker files share.  Not for use outside validate/.
 */
#ifndef HOTICH_VALIDATE_INTERNAL_H
#define HOTICH_VALIDATE_INTERNAL_H

#include <stdint.h>

#include "common/csvin.h"
#include "validate/validate.h"

/* Code points below this may carry a Vietnamese tone mark. */
#define TONE_CP_MAX 0x2000

/* One entry of a closed list: items of one group are spellings of one thing. */
struct vocab_item {
	char *text;	/* as in the list */
	char *tkey;	/* validate_tone_key(text) */
	char *fkey;	/* text_fold(text) */
	int group;
	double share;	/* of the list's people, for lists that say (names) */
};
struct vocab {
	struct vocab_item *v;
	size_t n, cap;
};

/* An administrative unit: key is the folded name without its type word. */
struct place_unit {
	char *name;	/* "Huyện Đức Hòa" */
	char *tkey;	/* tone key of the name without its type word */
	char *fkey;
	int parent;	/* index in the level above, -1 for provinces */
};
struct place_level {
	struct place_unit *u;
	size_t n, cap;
};
struct place_db {
	struct place_level prov, dist, comm;	/* 2019: province > district > commune */
	struct place_level prov25, comm25;	/* 2025: province > commune */
};

struct validate_ctx {
	int32_t tone_base[TONE_CP_MAX];	/* letter without its tone mark */
	uint8_t tone[TONE_CP_MAX];	/* 0 none, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng */
	struct vocab ethnic, nationality, relation, surname;
	struct vocab given;		/* middle and given words, shares by position */
	char id_prefix[1000];		/* 1 province, 2 country abroad */
	struct place_db places;
	struct vdate today;
	float threshold[VT_COUNT];
	struct accept_model *accept;	/* accept.c */
};

/* The acceptance model and its name tables (accept.c). */
int vaccept_load(struct validate_ctx *vc, struct err *e);
void vaccept_free(struct accept_model *am);

/* Closed-list matching.  exact: same tone key; otherwise a candidate wins
 * only clearly (see vocab_match in ctx.c). */
struct vmatch {
	int idx;	/* item, -1 when none */
	int exact;
	int clear;	/* not exact, but one candidate clearly wins */
};
void vocab_add(const struct validate_ctx *vc, struct vocab *v, const char *text, int group);
void vocab_match(const struct validate_ctx *vc, const struct vocab *v, const char *s,
		 struct vmatch *m);
void vocab_release(struct vocab *v);

/* Places (place.c). */
/* Is the folded word the last of a unit's type word (tỉnh, xã, phố of thành phố)? */
int vplace_type_last_word(const char *fold);
int places_load(struct validate_ctx *vc, struct err *e);
void places_release(struct place_db *p);

/*
 * A check run: where findings go.  Checkers write findings for column col
 * into sink (a scratch record), so a candidate reading can be tried without
 * touching the real record, then moved.
 */
struct vrun {
	const struct validate_ctx *vc;
	const struct record *rec;	/* read-only context: other fields */
	struct record *sink;
	const char *col;
	int corrected;			/* the checker chose a vocabulary entry */
	char *note;			/* why, for the "corrected" finding */
};
void vrun_find(struct vrun *vr, const char *code, enum severity sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int vrun_bad(const struct vrun *vr);	/* sink holds a finding >= warning */

/* Checkers: map input to the export form (returned, caller frees) and add
 * findings.  Input is NFC with single spaces, never NULL. */
typedef char *(*vcheck_fn)(struct vrun *vr, const char *in);

/* in without the OCR noise at its edges (each word's, for names); caller frees. */
/* ă â ê ô ơ ư, either case: a vowel with a mark of its own (b toneless). */
int vmarked_vowel(int32_t b);
/* A letter of Vietnamese, any case and tone (đ too). */
int vletter(const struct validate_ctx *vc, int32_t cp);

char *vnoise_trim(const char *in, enum validate_ftype type);
/* s with each tone mark read beside its syllable's marked vowel moved onto
 * it ('Dâù' -> 'Dầu'); caller frees. */
char *vnoise_seat_tones(const struct validate_ctx *vc, const char *s);
/* What the checks see of a reading: vnoise_trim, then (but for free text)
 * vnoise_seat_tones; caller frees. */
char *vnoise_clean(const struct validate_ctx *vc, const char *in, enum validate_ftype type);

char *vchk_pass(struct vrun *vr, const char *in);
char *vchk_entry(struct vrun *vr, const char *in);
char *vchk_page_no(struct vrun *vr, const char *in);
char *vchk_office(struct vrun *vr, const char *in);
char *vchk_book_no(struct vrun *vr, const char *in);
char *vchk_date(struct vrun *vr, const char *in);
char *vchk_birth(struct vrun *vr, const char *in);
char *vchk_date_words(struct vrun *vr, const char *in);
char *vchk_time(struct vrun *vr, const char *in);
char *vchk_sex(struct vrun *vr, const char *in);
char *vchk_reg_type(struct vrun *vr, const char *in);
char *vchk_ethnic(struct vrun *vr, const char *in);
char *vchk_nationality(struct vrun *vr, const char *in);
char *vchk_relation(struct vrun *vr, const char *in);
char *vchk_name(struct vrun *vr, const char *in);
char *vchk_pid(struct vrun *vr, const char *in);
char *vchk_id_number(struct vrun *vr, const char *in);
char *vchk_id_type(struct vrun *vr, const char *in);
char *vchk_place(struct vrun *vr, const char *in);

/*
 * Composite printed values split into their columns' inputs, no findings;
 * all parts NULL when the input is not composite (already one column's
 * value, as keyed records are).  Caller frees the parts.
 *   death time: [0] date, [1] time of day
 *   ID paper:   [0] number, [1] type code "1".."8", [2] other paper's name
 *   gbt:        [0] number, [1] date, [2] issuing body
 */
struct vsplit {
	char *part[3];
};
void vsplit_death_time(const char *in, struct vsplit *sp);
void vsplit_id_paper(const char *in, struct vsplit *sp);
void vsplit_gbt(const char *in, struct vsplit *sp);
void vsplit_release(struct vsplit *sp);

/* Cross-field rules (cross.c): add findings to r directly. */
void vcross_run(const struct validate_ctx *vc, struct record *r);
int vcross_owns(const char *code);	/* a code the cross rules add */

/* Helpers shared by checkers. */
char *vwords_slice(const char *in, const char *f, const char *from, const char *to);
int vdate_of_value(const char *value, struct vdate *d);	/* parse an export value */
int vsex_of_value(const char *value);	/* 1, 2, or 0 */
char *vdigits_only(const char *s);	/* drop spaces and dots; NULL if other chars */
int vdate_cmp(const struct vdate *a, const struct vdate *b); /* year-only compares by year */

#endif
