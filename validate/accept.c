/*
 * Calibrated acceptance: for every field of an OCR'd record, the
 * probability that its value is right, from all the evidence there is, and
 * the decision that follows from it.
 *
 * Runs after validate_record() and the book checks (pipeline/stage_validate.c).
 * The evidence is a fixed vector of features (the engine's confidence and
 * second reading, Vietnamese syllables and name frequencies, agreement with
 * the record's other fields, the book's order, the same value read
 * elsewhere in the book, the field's own findings);
 * a logistic regression per field type, fitted on generated books by
 * bench/accept_fit.py, turns it into p.  The coefficients and each type's
 * acceptance level (the lowest p at which accepted fields were wrong at
 * most 1 in 1,000 on the training books) are data: data/accept_model.tsv.
 *
 * Invariants: keyed records are not scored (p stays -1); a field below its
 * level carries a "low_probability" warning unless it already has a
 * warning of its own; the confidence findings of validate_record()
 * (low_confidence, reading_disagrees) are replaced by the model's.
 */
#include "validate/internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the features --------------------------------------------------------- */

enum feat {
	F_BIAS, F_CONF, F_CONF_LOW, F_UNREAD, F_ALT, F_ALT_AGREES, F_CORRECTED, F_SYLL_BAD,
	F_SURNAME_RARE, F_NAME_UNKNOWN, F_OWN_WARN, F_OWN_INFO, F_AGREE,
	F_DISAGREE, F_BOOK_FITS, F_BOOK_BREAKS, F_SIBLINGS, F_LENGTH, F_DIGITS, F_COLUMN, F_CONF_HIGH,
	F_ECHO, F_MARKS_OFF, F_REPEAT, F_COUNT
};
static const char *const feat_names[F_COUNT] = {
	"bias", "conf", "conf_low", "unread", "alt", "alt_agrees", "corrected", "syll_bad",
	"surname_rare", "name_unknown", "own_warn", "own_info", "agree",
	"disagree", "book_fits", "book_breaks", "siblings", "length", "digits", "column",
	"conf_high", "echo", "marks_off", "repeat",
};

/* One model per field type, and one for every empty field whatever its type:
 * an empty value is right or lost for reasons of its own. */
#define M_EMPTY VT_COUNT
#define M_COUNT (VT_COUNT + 1)

struct name_freq {
	char *key;	/* validate_tone_key */
	double w;
};
struct name_table {
	struct name_freq *v;
	size_t n, cap;
};

/* How often a column's values (and its empties) were right on the training
 * books, as log-odds: some columns are hard to read, some are nearly always
 * empty.  The "column" feature. */
struct column_prior {
	char *name;
	double logit[2];	/* [0] a value, [1] empty */
};

struct accept_model {
	double coef[M_COUNT][F_COUNT];
	double level[M_COUNT];
	struct column_prior *cols;	/* sorted by name */
	size_t ncols, acols;
	struct name_table surnames, words;	/* share %; middle and given names */
};

int validate_accept_nfeatures(void)
{
	return F_COUNT;
}

const char *validate_accept_feature_name(int i)
{
	return i >= 0 && i < F_COUNT ? feat_names[i] : "";
}

static const char *model_name(int m)
{
	return m == M_EMPTY ? "empty" : validate_ftype_name((enum validate_ftype)m);
}

/* ---- loading ---------------------------------------------------------------- */

static int freq_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name_freq *)a)->key, ((const struct name_freq *)b)->key);
}

struct table_arg {
	const struct validate_ctx *vc;
	struct name_table *t;
	int col;	/* the column of the share or weight */
};

static void freq_row(char **c, int n, void *data)
{
	struct table_arg *ta = data;
	if (n <= ta->col || !*c[0])
		return;
	ALLOC_GROW(ta->t->v, ta->t->n + 1, ta->t->cap);
	ta->t->v[ta->t->n].key = validate_tone_key(ta->vc, c[0]);
	ta->t->v[ta->t->n++].w = atof(c[ta->col]);
}

static double freq_of(const struct name_table *t, const char *key)
{
	struct name_freq k = {(char *)key, 0};
	const struct name_freq *f = t->n ? bsearch(&k, t->v, t->n, sizeof(*t->v), freq_cmp) : NULL;
	return f ? f->w : -1;
}

static void table_release(struct name_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
}

static int names_load(struct validate_ctx *vc, struct accept_model *am, struct err *e)
{
	struct table_arg sa = {vc, &am->surnames, 1}, wa = {vc, &am->words, 2};
	if (csvin_data_load("surnames.csv", freq_row, &sa, e) < 0 ||
	    csvin_data_load("names_middle.csv", freq_row, &wa, e) < 0 ||
	    csvin_data_load("names_given.csv", freq_row, &wa, e) < 0)
		return -1;
	qsort(am->surnames.v, am->surnames.n, sizeof(*am->surnames.v), freq_cmp);
	qsort(am->words.v, am->words.n, sizeof(*am->words.v), freq_cmp);
	return 0;
}

/* Split a line on tabs in place; returns the number of cells (at most max). */
static int split_tabs(char *line, char **cells, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; p && n < max;) {
		cells[n++] = p;
		char *t = strchr(p, '\t');
		if (t)
			*t++ = '\0';
		p = t;
	}
	return n;
}

static int parse_num(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return end == s || *end || errno || !isfinite(*v) ? -1 : 0;
}

/* The header must name the program's features in its order: a model fitted
 * on other features would be applied to the wrong numbers. */
static int header_check(char **cells, int n, const char *path, int lineno, struct err *e)
{
	if (n != F_COUNT + 1)
		return err_set(e, "'%s' line %d: %d features, want %d", path, lineno, n - 1, F_COUNT);
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(cells[i + 1], feat_names[i]))
			return err_set(e, "'%s' line %d: feature %d is '%s', want '%s'", path, lineno,
				       i + 1, cells[i + 1], feat_names[i]);
	return 0;
}

static int model_row(struct accept_model *am, char **cells, int n, const char *path, int lineno,
		     unsigned *seen, struct err *e)
{
	int m = -1;
	for (int i = 0; i < M_COUNT; i++)
		if (!strcmp(cells[0], model_name(i)))
			m = i;
	if (m < 0)
		return err_set(e, "'%s' line %d: unknown field type '%s'", path, lineno, cells[0]);
	if (n != F_COUNT + 2)
		return err_set(e, "'%s' line %d: %d numbers for '%s', want %d", path, lineno, n - 1,
			       cells[0], F_COUNT + 1);
	if (parse_num(cells[1], &am->level[m]) < 0 || am->level[m] < 0 || am->level[m] > 1)
		return err_set(e, "'%s' line %d: level '%s' is not a probability", path, lineno,
			       cells[1]);
	for (int i = 0; i < F_COUNT; i++)
		if (parse_num(cells[i + 2], &am->coef[m][i]) < 0)
			return err_set(e, "'%s' line %d: coefficient '%s' (%s) is not a number", path,
				       lineno, cells[i + 2], feat_names[i]);
	*seen |= 1u << m;
	return 0;
}

static int column_row(struct accept_model *am, char **cells, int n, const char *path,
		      int lineno, struct err *e)
{
	struct column_prior c = {NULL, {0, 0}};
	if (n != 4 || parse_num(cells[2], &c.logit[0]) < 0 || parse_num(cells[3], &c.logit[1]) < 0)
		return err_set(e, "'%s' line %d: want 'column NAME VALUE-LOGIT EMPTY-LOGIT'", path,
			       lineno);
	c.name = xstrdup(cells[1]);
	ALLOC_GROW(am->cols, am->ncols + 1, am->acols);
	am->cols[am->ncols++] = c;
	return 0;
}

static int column_cmp(const void *a, const void *b)
{
	return strcmp(((const struct column_prior *)a)->name,
		      ((const struct column_prior *)b)->name);
}

static double column_logit(const struct accept_model *am, const char *col, int empty)
{
	struct column_prior k = {(char *)col, {0, 0}};
	const struct column_prior *c =
		am->ncols ? bsearch(&k, am->cols, am->ncols, sizeof(*am->cols), column_cmp) : NULL;
	return c ? c->logit[empty] : 0;
}

static int model_parse(struct accept_model *am, FILE *f, const char *path, struct err *e)
{
	char line[4096];
	char *cells[F_COUNT + 4];
	int lineno = 0, header = 0, rc = 0;
	unsigned seen = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		int n = split_tabs(line, cells, F_COUNT + 4);
		if (!strcmp(cells[0], "features")) {
			rc = header_check(cells, n, path, lineno, e);
			header = 1;
		} else if (!strcmp(cells[0], "column")) {
			rc = column_row(am, cells, n, path, lineno, e);
		} else if (!header) {
			rc = err_set(e, "'%s' line %d: no 'features' line before the models", path,
				     lineno);
		} else {
			rc = model_row(am, cells, n, path, lineno, &seen, e);
		}
	}
	for (int m = 0; rc == 0 && m < M_COUNT; m++)
		if (!(seen & (1u << m)))
			rc = err_set(e, "'%s': no model for field type '%s'", path, model_name(m));
	if (am->ncols)
		qsort(am->cols, am->ncols, sizeof(*am->cols), column_cmp);
	return rc;
}

int vaccept_load(struct validate_ctx *vc, struct err *e)
{
	const char *env = getenv("HOTICH_ACCEPT_MODEL");
	char *path = env && *env ? xstrdup(env) : data_path("accept_model.tsv", e);
	if (!path)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f) {
		err_set(e, "cannot open acceptance model '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	struct accept_model *am = xcalloc(1, sizeof(*am));
	int rc = model_parse(am, f, path, e);
	fclose(f);
	free(path);
	vc->accept = am;
	if (rc == 0)
		rc = names_load(vc, am, e);
	return rc;
}

void vaccept_free(struct accept_model *am)
{
	if (!am)
		return;
	table_release(&am->surnames);
	table_release(&am->words);
	for (size_t i = 0; i < am->ncols; i++)
		free(am->cols[i].name);
	free(am->cols);
	free(am);
}

double validate_accept_level(const struct validate_ctx *vc, enum validate_ftype t, int empty)
{
	return vc->accept->level[empty ? M_EMPTY : t];
}

/* ---- the record's own consistency --------------------------------------- */

/* +1: the fields agree, -1: they contradict, 0: nothing to say. */
typedef int (*relation_fn)(const struct validate_ctx *vc, const struct record *r,
			   const char *const *cols);

struct relation {
	enum book_kind kind;
	const char *cols[3];	/* the fields the relation speaks for; cols[0..] */
	relation_fn fn;
};

static int same_text(const char *a, const char *b)
{
	char *x = text_lower(a), *y = text_lower(b);
	int same = !strcmp(x, y);
	free(x);
	free(y);
	return same;
}

static int first_word_of(const char *s, char *out, size_t n)
{
	size_t k = strcspn(s, " ");
	if (!k || k >= n)
		return -1;
	memcpy(out, s, k);
	out[k] = '\0';
	return 0;
}

/* The declarant is the father (Cha, Bố, Ba, Tía) or the mother (Mẹ, Má). */
static int rel_declarant(const struct validate_ctx *vc, const struct record *r,
			 const char *const *cols)
{
	static const char *const father[] = {"cha", "bố", "ba", "tía", NULL};
	static const char *const mother[] = {"mẹ", "má", "mạ", NULL};
	const char *const *which = !strcmp(cols[2], "chaHoTen") ? father : mother;
	char *rel = text_lower(record_value(r, cols[1]));
	int is = 0;
	for (size_t i = 0; which[i]; i++)
		is |= !strcmp(rel, which[i]);
	free(rel);
	const char *a = record_value(r, cols[0]), *b = record_value(r, cols[2]);
	if (!is || !*a || !*b)
		return 0;
	return same_text(a, b) ? 1 : -1;
}

static int rel_surname(const struct validate_ctx *vc, const struct record *r,
		       const char *const *cols)
{
	char a[64], b[64];
	if (first_word_of(record_value(r, cols[0]), a, sizeof(a)) < 0 ||
	    first_word_of(record_value(r, cols[1]), b, sizeof(b)) < 0)
		return 0;
	return same_text(a, b) ? 1 : -1;
}

/* 2 for 'Thị' among the middle words, 1 for 'Văn', 0 neither. */
static int middle_sex(const struct validate_ctx *vc, const char *name)
{
	char *key = validate_tone_key(vc, name);
	const char *first = strchr(key, ' '), *last = strrchr(key, ' ');
	int sex = 0;
	for (const char *p = first; p && p < last; p = strchr(p + 1, ' '))
		if (!strncmp(p, " thi5 ", 6))
			sex = 2;
		else if (!strncmp(p, " văn ", strlen(" văn ")))
			sex = 1;
	free(key);
	return sex;
}

/* cols[1] is the sex column, or "F"/"M" for a person whose sex is fixed. */
static int sex_of(const struct record *r, const char *col)
{
	return !strcmp(col, "F") ? 2 : !strcmp(col, "M") ? 1 : vsex_of_value(record_value(r, col));
}

static int rel_middle_sex(const struct validate_ctx *vc, const struct record *r,
			  const char *const *cols)
{
	int want = middle_sex(vc, record_value(r, cols[0])), sex = sex_of(r, cols[1]);
	if (!want || !sex)
		return 0;
	return want == sex ? 1 : -1;
}

/* A personal ID's fourth digit is century and sex, the next two the year. */
static int rel_id(const struct validate_ctx *vc, const struct record *r, const char *const *cols)
{
	const char *id = record_value(r, cols[0]);
	struct vdate b;
	int sex = sex_of(r, cols[1]);
	if (strlen(id) != 12 || strspn(id, "0123456789") != 12 ||
	    vdate_of_value(record_value(r, cols[2]), &b) < 0 || !sex)
		return 0;
	int cd = vid_century_digit(b.y, sex == 2);
	int yy = (id[4] - '0') * 10 + (id[5] - '0');
	return cd == id[3] - '0' && yy == b.y % 100 ? 1 : -1;
}

static int rel_date_words(const struct validate_ctx *vc, const struct record *r,
			  const char *const *cols)
{
	struct vdate w, d;
	if (vdate_from_words(record_value(r, cols[0]), &w) < 0 ||
	    vdate_of_value(record_value(r, cols[1]), &d) < 0 || !d.m)
		return 0;
	return w.d == d.d && w.m == d.m && w.y == d.y ? 1 : -1;
}

static int full_dates(const struct record *r, const char *a, const char *b, struct vdate *x,
		      struct vdate *y)
{
	return vdate_of_value(record_value(r, a), x) == 0 && x->m &&
	       vdate_of_value(record_value(r, b), y) == 0 && y->m;
}

/* Registration type 1 (on time) within 60 days of birth, 4 (late) after. */
static int rel_reg_type(const struct validate_ctx *vc, const struct record *r,
			const char *const *cols)
{
	struct vdate reg, birth;
	const char *t = record_value(r, cols[0]);
	if ((strcmp(t, "1") && strcmp(t, "4")) || !full_dates(r, cols[1], cols[2], &reg, &birth))
		return 0;
	long days = vdate_serial(&reg) - vdate_serial(&birth);
	return (days >= 0 && days <= 60) == !strcmp(t, "1") ? 1 : -1;
}

/* cols[0] (registration) on or after cols[1] (the event). */
static int rel_after(const struct validate_ctx *vc, const struct record *r,
		     const char *const *cols)
{
	struct vdate a, b;
	if (!full_dates(r, cols[0], cols[1], &a, &b))
		return 0;
	return vdate_cmp(&a, &b) >= 0 ? 1 : -1;
}

/* A parent born cols[0] was 15 to 60 at the child's birth cols[1]. */
static int rel_parent_age(const struct validate_ctx *vc, const struct record *r,
			  const char *const *cols)
{
	struct vdate p, c;
	if (vdate_of_value(record_value(r, cols[0]), &p) < 0 ||
	    vdate_of_value(record_value(r, cols[1]), &c) < 0)
		return 0;
	int age = c.y - p.y;
	return age >= 15 && age <= 60 ? 1 : -1;
}

/* A book number "01/2019" names the year its entries were registered. */
static int rel_book_year(const struct validate_ctx *vc, const struct record *r,
			 const char *const *cols)
{
	const char *b = strrchr(record_value(r, cols[0]), '/');
	struct vdate reg;
	if (!b || strlen(b + 1) != 4 || strspn(b + 1, "0123456789") != 4 ||
	    vdate_of_value(record_value(r, cols[1]), &reg) < 0)
		return 0;
	return atoi(b + 1) == reg.y ? 1 : -1;
}

static const struct relation relations[] = {
	{KIND_KS, {"quyenSo", "ngayDangKy", NULL}, rel_book_year},
	{KIND_KH, {"quyenSo", "ngayDangKy", NULL}, rel_book_year},
	{KIND_KT, {"quyenSo", "ngayDangKy", NULL}, rel_book_year},
	{KIND_KS, {"nycHoTen", "nycQuanHe", "chaHoTen"}, rel_declarant},
	{KIND_KS, {"nycHoTen", "nycQuanHe", "meHoTen"}, rel_declarant},
	{KIND_KS, {"nksHoTen", "chaHoTen", NULL}, rel_surname},
	{KIND_KS, {"nksHoTen", "nksGioiTinh", NULL}, rel_middle_sex},
	{KIND_KS, {"meHoTen", "F", NULL}, rel_middle_sex},
	{KIND_KS, {"chaHoTen", "M", NULL}, rel_middle_sex},
	{KIND_KT, {"nktHoTen", "nktGioiTinh", NULL}, rel_middle_sex},
	{KIND_KH, {"voHoTen", "F", NULL}, rel_middle_sex},
	{KIND_KH, {"chongHoTen", "M", NULL}, rel_middle_sex},
	{KIND_KS, {"nksSoDinhDanh", "nksGioiTinh", "nksNgaySinh"}, rel_id},
	{KIND_KS, {"meSoDinhDanhCaNhan", "F", "meNgaySinh"}, rel_id},
	{KIND_KS, {"chaSoDinhDanhCaNhan", "M", "chaNgaySinh"}, rel_id},
	{KIND_KT, {"nktSoGiayToTuyThan", "nktGioiTinh", "nktNgaySinh"}, rel_id},
	{KIND_KH, {"chongSoGiayToTuyThan", "M", "chongNgaySinh"}, rel_id},
	{KIND_KH, {"voSoGiayToTuyThan", "F", "voNgaySinh"}, rel_id},
	{KIND_KS, {"nksNgaySinhBangChu", "nksNgaySinh", NULL}, rel_date_words},
	{KIND_KS, {"loaiDangKy", "ngayDangKy", "nksNgaySinh"}, rel_reg_type},
	{KIND_KS, {"ngayDangKy", "nksNgaySinh", NULL}, rel_after},
	{KIND_KT, {"ngayDangKy", "nktNgayChet", NULL}, rel_after},
	{KIND_KT, {"nktNgayChet", "nktNgaySinh", NULL}, rel_after},
	{KIND_KS, {"meNgaySinh", "nksNgaySinh", NULL}, rel_parent_age},
	{KIND_KS, {"chaNgaySinh", "nksNgaySinh", NULL}, rel_parent_age},
};

static void relations_count(const struct validate_ctx *vc, const struct record *r,
			    const char *col, double *x)
{
	int agree = 0, disagree = 0;
	for (size_t i = 0; i < sizeof(relations) / sizeof(*relations); i++) {
		const struct relation *rl = &relations[i];
		int speaks = 0;
		for (int k = 0; k < 3; k++)
			speaks |= rl->cols[k] && !strcmp(rl->cols[k], col);
		if (rl->kind != r->kind || !speaks)
			continue;
		int v = rl->fn(vc, r, rl->cols);
		agree += v > 0;
		disagree += v < 0;
	}
	x[F_AGREE] = agree > 3 ? 3 : agree;
	x[F_DISAGREE] = disagree > 3 ? 3 : disagree;
}

/*
 * Another name of the record, read from another line of the page, says the
 * same: the declarant is usually a parent, and two readings of one name
 * from two places agree only when both are right (or misread alike).
 */
static int name_echoed(const struct record *r, const struct field *self)
{
	const char *v = self->value ? self->value : "";
	if (!*v || validate_column_type(self->name) != VT_NAME)
		return 0;
	for (size_t i = 0; i < r->nfields; i++) {
		const struct field *f = &r->fields[i];
		if (f != self && f->value && validate_column_type(f->name) == VT_NAME &&
		    same_text(f->value, v))
			return 1;
	}
	return 0;
}

/* ---- the language ------------------------------------------------------- */

/* Words with a letter that are not one Vietnamese syllable, as a share. */
static double syllables_bad(const struct validate_ctx *vc, const char *v)
{
	int words = 0, bad = 0;
	char *copy = xstrdup(v);
	for (char *w = copy, *next; w && *w; w = next) {
		next = strchr(w, ' ');
		if (next)
			*next++ = '\0';
		w[strcspn(w, ",.;:()")] = '\0';
		int letters = 0;
		for (const char *p = w; *p; p++)
			letters |= (unsigned char)*p >= 0x80 || isalpha((unsigned char)*p);
		if (!letters)
			continue;
		words++;
		bad += !validate_syllable_ok(vc, w);
	}
	free(copy);
	return words ? (double)bad / words : 0;
}

/* Does a listed middle or given word have w's letters, marks aside ('Nhũng'
 * and Nhung)?  An unlisted word that does is a mark misread as often as a
 * rare name. */
static int marks_off_listed(const struct validate_ctx *vc, const char *w)
{
	char *fk = text_fold(w);
	/* w is a tone key's word: its tone is a digit at its end ("chi3"). */
	size_t n = strlen(fk);
	if (n && isdigit((unsigned char)fk[n - 1]))
		fk[n - 1] = '\0';
	int found = 0;
	for (size_t i = 0; i < vc->given.n && !found; i++)
		found = !strcmp(vc->given.v[i].fkey, fk);
	free(fk);
	return found;
}

/* A name's surname by its share of the population (-log10, 0 for the
 * commonest, 5 unknown), its other words not in the name lists, and those
 * of them a listed word's marks away. */
static void name_frequency(const struct validate_ctx *vc, const char *v, double *x)
{
	char *key = validate_tone_key(vc, v);
	int words = 0, unknown = 0, marks_off = 0;
	char *save = key;
	for (char *w = key, *next; w && *w; w = next) {
		next = strchr(w, ' ');
		if (next)
			*next++ = '\0';
		if (w == save) {
			double share = freq_of(&vc->accept->surnames, w);
			x[F_SURNAME_RARE] = share > 0 ? -log10(share / 100) / 5 : 1;
			continue;
		}
		words++;
		if (freq_of(&vc->accept->words, w) < 0) {
			unknown++;
			marks_off += marks_off_listed(vc, w);
		}
	}
	x[F_NAME_UNKNOWN] = words ? (double)unknown / words : 1;
	x[F_MARKS_OFF] = words ? (double)marks_off / words : 0;
	free(save);
}

/* ---- the field ------------------------------------------------------------ */

/* The field's own findings only: the record's other doubts are its other
 * fields' (they do not make every field of a hard record doubtful). */
static void findings_of(const struct record *r, const char *col, double *x)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		if (strcmp(f->field, col))
			continue;
		if (f->severity >= SEV_WARNING)
			x[F_OWN_WARN] = 1;
		else if (strcmp(f->code, "corrected"))
			x[F_OWN_INFO] = 1;
	}
}

/* "nksHoTen" -> 3: the person a column speaks of. */
static size_t prefix_len(const char *col)
{
	size_t n = 0;
	while (col[n] && !isupper((unsigned char)col[n]))
		n++;
	return n;
}

/* Share of the same person's other fields that hold a value. */
static double siblings_filled(const struct record *r, const struct field *self)
{
	size_t k = prefix_len(self->name);
	int all = 0, filled = 0;
	for (size_t i = 0; i < r->nfields; i++) {
		const struct field *f = &r->fields[i];
		if (f == self || prefix_len(f->name) != k || strncmp(f->name, self->name, k))
			continue;
		all++;
		filled += f->value && *f->value;
	}
	return all ? (double)filled / all : 0;
}

static void engine_features(const struct validate_ctx *vc, const struct field *f, const char *v,
			    double *x)
{
	x[F_UNREAD] = f->conf < 0;
	double conf = f->conf < 0 ? 0 : f->conf;
	x[F_CONF] = conf / 100;
	/* Hinges at both ends: Tesseract's confidence says most near its top. */
	x[F_CONF_LOW] = conf < 90 ? (90 - conf) / 30 : 0;
	x[F_CONF_HIGH] = conf > 93 ? (conf - 93) / 4 : 0;
	x[F_ALT] = f->nalts > 0;
	for (size_t i = 0; i < f->nalts && *v; i++) {
		/* The other reading as the checks would see it (noise off). */
		char *a = vnoise_clean(vc, f->alts[i], validate_column_type(f->name));
		x[F_ALT_AGREES] = same_text(a, v);
		free(a);
		if (x[F_ALT_AGREES] == 0)
			break;
	}
	x[F_CORRECTED] = f->corrected;
}

static void book_features(const char *col, const struct validate_book_ev *bk, double *x)
{
	int v = 0;
	if (!bk)
		return;
	if (!strcmp(col, "so"))
		v = bk->seq;
	else if (!strcmp(col, "ngayDangKy"))
		v = bk->date;
	else if (!strcmp(col, "quyenSo"))
		v = bk->book_no;
	x[F_BOOK_FITS] = v > 0;
	x[F_BOOK_BREAKS] = v < 0;
	if (bk->repeats) {
		char key[80];
		snprintf(key, sizeof(key), " %s ", col);
		x[F_REPEAT] = strstr(bk->repeats, key) != NULL;
	}
}

static void value_shape(const char *v, double *x)
{
	size_t n = strlen(v), digits = 0;
	for (const char *p = v; *p; p++)
		digits += isdigit((unsigned char)*p) != 0;
	x[F_LENGTH] = log1p((double)n) / 4;
	x[F_DIGITS] = n ? (double)digits / (double)n : 0;
}

void validate_accept_features(const struct validate_ctx *vc, const struct record *r,
			      const struct field *f, const struct validate_book_ev *bk, double *x)
{
	const char *v = f->value ? f->value : "";
	memset(x, 0, F_COUNT * sizeof(*x));
	x[F_BIAS] = 1;
	engine_features(vc, f, v, x);
	enum validate_ftype t = validate_column_type(f->name);
	if (t == VT_NAME || t == VT_PLACE || t == VT_TEXT)
		x[F_SYLL_BAD] = syllables_bad(vc, v);
	if (t == VT_NAME && *v)
		name_frequency(vc, v, x);
	findings_of(r, f->name, x);
	relations_count(vc, r, f->name, x);
	book_features(f->name, bk, x);
	if (!*v)
		x[F_SIBLINGS] = siblings_filled(r, f);
	value_shape(v, x);
	x[F_ECHO] = name_echoed(r, f);
	x[F_COLUMN] = column_logit(vc->accept, f->name, !*v);
}

double validate_accept_p(const struct validate_ctx *vc, const struct field *f, const double *x)
{
	int m = f->value && *f->value ? (int)validate_column_type(f->name) : M_EMPTY;
	double z = 0;
	for (int i = 0; i < F_COUNT; i++)
		z += vc->accept->coef[m][i] * x[i];
	return 1 / (1 + exp(-z));
}

/* ---- decisions ------------------------------------------------------------ */

/* Findings of the confidence threshold that the model's p replaces. */
static int superseded(const struct finding *f, const void *arg)
{
	return !strcmp(f->code, "low_confidence") || !strcmp(f->code, "reading_disagrees");
}

int validate_record_is_read(const struct record *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (r->fields[i].conf >= 0)
			return 1;
	return 0;
}

static char *evidence_string(const double *x)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 1; i < F_COUNT; i++)
		if (x[i] != 0)
			sb_addf(&sb, "%s%s=%.4g", sb.len ? " " : "", feat_names[i], x[i]);
	return sb_detach(&sb);
}

static int has_own_warning(const struct record *r, const char *col)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity >= SEV_WARNING && !strcmp(r->findings[i].field, col))
			return 1;
	return 0;
}

void validate_columns_fill(struct record *r)
{
	if (!validate_record_is_read(r))
		return;	/* a keyed record holds the columns it was keyed with */
	size_t n;
	const char *const *cols = columns_of(r->kind, &n);
	for (size_t i = 0; cols && i < n; i++)
		if (!record_field(r, cols[i]))
			record_set_value(r, cols[i], "");
}

static void field_score(const struct validate_ctx *vc, const struct record *r, struct field *f,
			const struct validate_book_ev *bk)
{
	double x[F_COUNT];
	validate_accept_features(vc, r, f, bk, x);
	f->p = validate_accept_p(vc, f, x);
	free(f->evidence);
	f->evidence = evidence_string(x);
}

static void field_decide(const struct validate_ctx *vc, struct record *r, const struct field *f)
{
	int empty = !f->value || !*f->value;
	double level = validate_accept_level(vc, validate_column_type(f->name), empty);
	if (f->p < level && !has_own_warning(r, f->name))
		record_add_finding(r, f->name, "low_probability", SEV_WARNING,
				   "Xác suất đúng thấp (%.3f < %.3f): '%s'", f->p, level,
				   empty ? "" : f->value);
}

int validate_accept(const struct validate_ctx *vc, struct record *r,
		    const struct validate_book_ev *bk)
{
	if (!validate_record_is_read(r))
		return record_has_errors(r);
	record_drop_findings(r, superseded, NULL);
	validate_columns_fill(r);
	/* Every field is scored before any finding is added here: one field's
	 * doubt is not evidence against its neighbours. */
	for (size_t i = 0; i < r->nfields; i++)
		field_score(vc, r, &r->fields[i], bk);
	for (size_t i = 0; i < r->nfields; i++)
		field_decide(vc, r, &r->fields[i]);
	return record_has_errors(r);
}

double validate_accept_doubt(const struct record *r)
{
	double s = 0;
	for (size_t i = 0; i < r->nfields; i++)
		if (r->fields[i].p >= 0)
			s += 1 - r->fields[i].p;
	return s;
}
