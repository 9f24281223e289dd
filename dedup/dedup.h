/*
 * dedup: record linkage against the existing records and within the batch.
 *
 * Sits after validate and before review.  A record is reduced to an
 * "entity": the person it registers (name, date of birth, personal ID, sex,
 * a second person: mother for births, wife for marriages, a second date:
 * mother's year, wife's birth date, date of death; father's name; place).
 * Entities are stored encoded (dedup_entity_encode) beside five blocking
 * keys, in table existing for imported records and dedup_keys for ours, so
 * candidate pairs come from SQLite indexes and memory does not grow with the
 * existing set.
 *
 * Pairs are compared field by field into agreement levels (gamma), and
 * scored Fellegi-Sunter.  u (chance agreement) comes from random pairs; m
 * from EM on each blocking rule's pairs with the fields that rule's key is
 * made of masked (pairs found by a shared name agree on it because of how
 * they were found: left in, EM takes "shares a name" for "same person"),
 * averaged over the rules by the matches each expects; the prior is those
 * matches over all possible pairs.  Small runs (under a million possible
 * pairs) fit m and u jointly on the candidates instead.  Agreement on a
 * name is weighted by how rare the name is (term frequency).  The score is
 * the posterior probability that the two records register the same person.
 *
 * Comparison and scoring (compare.c, entity.c, model.c) are pure; link.c
 * runs a linkage through store_prepare() and never includes sqlite3.h.
 * Thread-safety: the pure functions are safe to call from several threads
 * once dedup_init() has run; link.c uses one store from one thread.
 */
#ifndef HOTICH_DEDUP_H
#define HOTICH_DEDUP_H

#include <stddef.h>

#include "common/common.h"
#include "common/record.h"

struct store;

/* Fold tables (from utf8proc via text_fold); called by every entry point. */
void dedup_init(void);

/* ---- comparators ---------------------------------------------------- */

/* Jaro-Winkler similarity 0..1 of two UTF-8 strings (compared as given). */
double dedup_jaro_winkler(const char *a, const char *b);
/*
 * Edit distance over code points where OCR's and the keyboard's usual
 * confusions are cheap: a letter that differs only in its marks (đ/d, ư/u,
 * ơ/o, ấ/ẩ: 0.25), look-alike glyphs (0/o, 1/l/i, 5/s, 8/b, 2/z: 0.5);
 * anything else costs 1.
 */
double dedup_ocr_distance(const char *a, const char *b);
/* The same, but any distance over max comes back as max + 1 (faster). */
double dedup_ocr_distance_max(const char *a, const char *b, double max);
/* Lower case, no marks, đ -> d (as text_fold), through the fold table. */
char *dedup_fold(const char *s); /* caller frees */

/*
 * A date as "yyyymmdd", "00" for an unknown month or day ("19850000" for a
 * year alone), from dd/mm/yyyy, d/m/yyyy, dd.mm.yyyy, dd-mm-yyyy, yyyy or
 * yyyymmdd; out holds 9 bytes; "" when none.
 */
void dedup_date_norm(const char *s, char out[9]);

/* Agreement levels; -1 when either side is missing. */
int dedup_date_level(const char *a, const char *b);	/* 3 same, 2 swap/1 digit, 1 year, 0 */
int dedup_id_level(const char *a, const char *b);	/* 2 same, 1 one digit off, 0 */

/* ---- entities ------------------------------------------------------- */

enum dedup_field {
	DF_SURNAME, DF_MIDDLE, DF_GIVEN, DF_DOB, DF_PID, DF_SEX,
	DF_NAME2, DF_DATE2, DF_NAME3, DF_PLACE,
	DF_COUNT
};
#define DEDUP_MAX_LEVELS 4
/* Number of agreement levels of a field (levels 0 .. n-1; top = n-1). */
int dedup_field_levels(enum dedup_field f);
const char *dedup_field_name(enum dedup_field f);	/* "surname", ... */
/* The export column feeding f for a kind, "" when the kind has none. */
const char *dedup_field_column(enum book_kind k, enum dedup_field f);

/*
 * One record as compared.  Strings point into mem (owned), all folded
 * (name == fname, name2 == fname2, name3 == fname3): comparisons work on
 * folded text, the tone-placement and diacritic variants of a name are one
 * name, and OCR's mark errors cost nothing.  "" when missing.
 */
struct dedup_entity {
	const char *name, *fname, *fsurname, *fmiddle, *fgiven;
	const char *name2, *fname2, *name3, *fname3, *fplace;
	char dob[9], date2[9], pid[24], sex; /* sex '1' '2' or 0 */
	char *mem;
	size_t memcap;
};
#define DEDUP_ENTITY_INIT {"", "", "", "", "", "", "", "", "", "", "", "", "", 0, NULL, 0}
void dedup_entity_release(struct dedup_entity *x);

/* From a record's values (raw where no value yet). */
void dedup_entity_from_record(const struct record *r, struct dedup_entity *x);
/* The stored form (caller frees) and back; decode reuses x's memory. */
char *dedup_entity_encode(const struct dedup_entity *x);
void dedup_entity_decode(const char *enc, struct dedup_entity *x);

/*
 * Blocking keys.  A pair is a candidate when any key agrees:
 *   0 folded full name + year of birth   1 full date of birth
 *   2 personal ID                         3 second person's folded name + year of
 *                                           birth (kt: own name + year of death)
 *   4 folded full name + day and month of birth
 * so a typo in one field leaves the others to find the pair.  Vietnamese
 * given names are few (a few dozen cover most people): a given name + year
 * key holds hundreds of people per key at a million records, so every key
 * here carries a whole name or a whole date.  key[i] is "" when missing.
 */
#define DEDUP_NRULES 5
#define DEDUP_KEY_LEN 128
void dedup_entity_keys(const struct dedup_entity *x, char key[DEDUP_NRULES][DEDUP_KEY_LEN]);
const char *dedup_rule_name(int rule);

/* Compare field by field: gamma[f] is a level of f, or -1 when missing. */
void dedup_compare(const struct dedup_entity *a, const struct dedup_entity *b,
		   signed char gamma[DF_COUNT]);

/* ---- term frequencies ------------------------------------------------- */

/* Counts of folded values for the fields weighted by rarity. */
#define DEDUP_TF_FIELDS 2	/* DF_SURNAME, DF_GIVEN */
struct dedup_tf;
struct dedup_tf *dedup_tf_new(void);
void dedup_tf_free(struct dedup_tf *t);
int dedup_tf_slot(enum dedup_field f);	/* 0..DEDUP_TF_FIELDS-1, or -1 */
void dedup_tf_add(struct dedup_tf *t, int slot, const char *value, long long n);
void dedup_tf_add_entity(struct dedup_tf *t, const struct dedup_entity *x);
/* Share of value among the field's values; 0 when unseen or no data. */
double dedup_tf_share(const struct dedup_tf *t, int slot, const char *value);
long long dedup_tf_total(const struct dedup_tf *t, int slot);
/* Call fn on every (slot, value, count); for saving. */
void dedup_tf_each(const struct dedup_tf *t,
		   void (*fn)(int slot, const char *value, long long n, void *ctx), void *ctx);

/* ---- the Fellegi-Sunter model ----------------------------------------- */

struct dedup_model {
	double p;					/* share of matches among candidates */
	double m[DF_COUNT][DEDUP_MAX_LEVELS];		/* P(level | match) */
	double u[DF_COUNT][DEDUP_MAX_LEVELS];		/* P(level | non-match) */
	int iterations, converged;
	double pairs;					/* candidate pairs it was fitted on */
};

/* Comparison patterns with their counts (EM works on these, not on pairs). */
struct dedup_patterns;
struct dedup_patterns *dedup_patterns_new(void);
void dedup_patterns_free(struct dedup_patterns *p);
void dedup_patterns_add(struct dedup_patterns *p, const signed char gamma[DF_COUNT], double n);
double dedup_patterns_total(const struct dedup_patterns *p);

/* Starting values (and weak prior) EM begins from. */
void dedup_model_default(struct dedup_model *mo);
/*
 * Fit m, u and p by EM, starting from *mo (which also serves as a weak
 * Dirichlet prior, so a field never seen agreeing keeps a sane value).
 * Stops when no parameter moves more than tol or after max_iter rounds.
 */
void dedup_em(struct dedup_model *mo, const struct dedup_patterns *pat, int max_iter,
	      double tol);
/*
 * u from the level frequencies of random pairs (blocking makes candidate
 * pairs agree more often than random ones on the fields keys are built of).
 */
void dedup_u_from_sample(struct dedup_model *mo, const struct dedup_patterns *random);
/*
 * Match weight in bits of one field's level; with tf (may be NULL) and a at
 * the top level of a name field, u is the value's own frequency.
 */
double dedup_field_weight(const struct dedup_model *mo, enum dedup_field f, int level,
			  const struct dedup_entity *a, const struct dedup_tf *tf);
/* Posterior probability 0..1 that the pair is one person. */
double dedup_score(const struct dedup_model *mo, const signed char gamma[DF_COUNT],
		   const struct dedup_entity *a, const struct dedup_tf *tf);
/* The model as JSON text (caller frees), for the record of a run. */
char *dedup_model_json(const struct dedup_model *mo);

/* Thresholds on the score. */
#define DEDUP_DUPLICATE 0.90	/* finding duplicate_*, severity error */
#define DEDUP_POSSIBLE 0.50	/* finding possible_duplicate, warning */

/* The evidence of a pair, for the finding's message (caller frees). */
char *dedup_evidence(enum book_kind k, const signed char gamma[DF_COUNT]);

/* ---- a linkage run (link.c) ------------------------------------------- */

struct dedup_match {
	const char *source;	/* "existing" | "batch" (static) */
	char other[48];		/* STT of the existing record, or "r<record id>" */
	long long other_rec;	/* batch: the other record's id */
	double score;
	int decided_same;	/* a supervisor said "same" before */
	signed char gamma[DF_COUNT];
};

struct dedup_stats {
	long long pending;			/* records linked */
	long long pairs[DEDUP_NRULES];		/* new candidate pairs per rule */
	long long pairs_total;
	long long truncated;			/* blocks over DEDUP_MAX_BLOCK, skipped */
	long long decided_different;		/* pairs skipped: supervisor said so */
	long long em_pairs;			/* pairs EM was fitted on */
	double secs_load, secs_em, secs_score, secs_save;	/* wall time per phase */
	struct dedup_model model;
};
/*
 * A key shared by more than DEDUP_MAX_BLOCK rows of one table says little
 * (a common name in a common year): that block is skipped for that rule,
 * counted in truncated, and the pairs in it are left to the other rules.
 */
#define DEDUP_MAX_BLOCK 64
#define DEDUP_EM_SAMPLE 20000	/* pending records EM looks at (a sample) */
#define DEDUP_MAX_MATCHES 5	/* per record, best first */

/*
 * Called once per pending record with its matches at or above
 * DEDUP_POSSIBLE (best first, at most DEDUP_MAX_MATCHES).  Return 0 to go
 * on, else the run stops with that value.
 */
typedef int (*dedup_result_fn)(long long record_id, const struct dedup_match *m, size_t n,
			       void *ctx);

/*
 * Link every pending record of kind (status clean or review, validated, not
 * yet linked since it last changed): key it, find candidates by each rule
 * in existing and in our own records, fit the model, score, and hand each
 * record's matches to fn (which saves the record's findings and status);
 * then dedup_record_done() stores the matches and marks the record linked,
 * in the same transaction.  Records are delivered in id order.  Call it
 * outside any transaction: its read passes open their own.
 */
int dedup_link(struct store *s, enum book_kind kind, dedup_result_fn fn, void *ctx,
	       struct dedup_stats *st, struct err *e);
/* Store a record's matches (keeping supervisors' decisions) and mark it linked. */
int dedup_record_done(struct store *s, long long record_id, const struct dedup_match *m,
		      size_t n, struct err *e);

/* Whether the record holds findings of an earlier dedup run. */
int dedup_record_flagged(struct store *s, long long record_id, struct err *e);

/*
 * Importing existing records: each row's entity, keys and data (JSON of its
 * columns) go into table existing, replacing a row with the same STT; name
 * frequencies are counted and saved by dedup_importer_finish().
 */
struct dedup_importer;
struct dedup_importer *dedup_importer_new(struct store *s, enum book_kind kind,
					  struct err *e);
int dedup_importer_put(struct dedup_importer *im, const char *stt, const struct record *r,
		       struct err *e);
int dedup_importer_finish(struct dedup_importer *im, struct err *e);
void dedup_importer_free(struct dedup_importer *im);	/* NULL is fine */

/* Name frequencies of a kind: add n to the stored counts; load them. */
int dedup_tf_save(struct store *s, enum book_kind kind, const struct dedup_tf *tf,
		  struct err *e);
int dedup_tf_load(struct store *s, enum book_kind kind, struct dedup_tf *tf, struct err *e);

#endif
