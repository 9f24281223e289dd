/*
 * Entities: which columns of each kind say who a record is about, their
 * stored form, blocking keys, field-by-field comparison and its evidence.
 */
#include "dedup/dedup.h"

#include <stdlib.h>
#include <string.h>

#define SEP '\x1f'
#define NPARTS 8

/* Columns per kind: name, dob, pid, sex, name2, date2, name3, place. */
static const char *const profile[KIND_COUNT][NPARTS] = {
	[KIND_KS] = {"nksHoTen", "nksNgaySinh", "nksSoDinhDanh", "nksGioiTinh", "meHoTen",
		     "meNgaySinh", "chaHoTen", "nksNoiSinh"},
	[KIND_KH] = {"chongHoTen", "chongNgaySinh", "chongSoGiayToTuyThan", "", "voHoTen",
		     "voNgaySinh", "", "chongNoiCuTru"},
	[KIND_KT] = {"nktHoTen", "nktNgaySinh", "nktSoGiayToTuyThan", "nktGioiTinh", "",
		     "nktNgayChet", "", "nktNoiCuTru"},
};
enum { P_NAME, P_DOB, P_PID, P_SEX, P_NAME2, P_DATE2, P_NAME3, P_PLACE };

static const int field_part[DF_COUNT] = {
	[DF_SURNAME] = P_NAME, [DF_MIDDLE] = P_NAME, [DF_GIVEN] = P_NAME, [DF_DOB] = P_DOB,
	[DF_PID] = P_PID, [DF_SEX] = P_SEX, [DF_NAME2] = P_NAME2, [DF_DATE2] = P_DATE2,
	[DF_NAME3] = P_NAME3, [DF_PLACE] = P_PLACE,
};
static const int levels[DF_COUNT] = {3, 3, 4, 4, 3, 2, 3, 4, 3, 3};
static const char *const fnames[DF_COUNT] = {
	"surname", "middle", "given", "dob", "pid", "sex", "name2", "date2", "name3", "place",
};

int dedup_field_levels(enum dedup_field f) { return levels[f]; }
const char *dedup_field_name(enum dedup_field f) { return fnames[f]; }

const char *dedup_field_column(enum book_kind k, enum dedup_field f)
{
	if (k < 0 || k >= KIND_COUNT)
		return "";
	return profile[k][field_part[f]];
}

void dedup_entity_release(struct dedup_entity *x)
{
	free(x->mem);
	struct dedup_entity empty = DEDUP_ENTITY_INIT;
	*x = empty;
}

static const char *value_of(const struct record *r, const char *col)
{
	if (!*col)
		return "";
	const char *v = record_value(r, col);
	return *v ? v : record_raw(r, col);
}

/* Names and places are stored folded: every comparison is on the folded form. */
static void add_folded(struct strbuf *sb, const char *s)
{
	char *f = dedup_fold(s);
	for (char *p = f; *p; p++)
		if (*p == SEP)
			*p = ' ';
	sb_adds(sb, f);
	free(f);
}

static void add_digits(struct strbuf *sb, const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p >= '0' && *p <= '9';
	if (n < 6 || n > 20)
		return;
	for (const char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
			sb_addc(sb, *p);
}

static char sex_code(const char *s)
{
	char *f = dedup_fold(s);
	char c = 0;
	if (!strcmp(f, "1") || !strcmp(f, "nam") || !strcmp(f, "m"))
		c = '1';
	else if (!strcmp(f, "2") || !strcmp(f, "nu") || !strcmp(f, "f"))
		c = '2';
	free(f);
	return c;
}

/* Encode straight from a record: the stored form is also how we parse it. */
static char *encode_record(const struct record *r)
{
	const char *const *col = profile[r->kind >= 0 && r->kind < KIND_COUNT ? r->kind : 0];
	struct strbuf sb = STRBUF_INIT;
	char d[9];
	add_folded(&sb, value_of(r, col[P_NAME]));
	sb_addc(&sb, SEP);
	dedup_date_norm(value_of(r, col[P_DOB]), d);
	sb_adds(&sb, d);
	sb_addc(&sb, SEP);
	add_digits(&sb, value_of(r, col[P_PID]));
	sb_addc(&sb, SEP);
	char sx = sex_code(value_of(r, col[P_SEX]));
	if (sx)
		sb_addc(&sb, sx);
	sb_addc(&sb, SEP);
	add_folded(&sb, value_of(r, col[P_NAME2]));
	sb_addc(&sb, SEP);
	dedup_date_norm(value_of(r, col[P_DATE2]), d);
	sb_adds(&sb, d);
	sb_addc(&sb, SEP);
	add_folded(&sb, value_of(r, col[P_NAME3]));
	sb_addc(&sb, SEP);
	size_t at = sb.len;
	add_folded(&sb, value_of(r, col[P_PLACE]));
	for (size_t i = at; i < sb.len; i++)
		if (sb.buf[i] == ',')
			sb.buf[i] = ' ';
	return sb_detach(&sb);
}

void dedup_entity_from_record(const struct record *r, struct dedup_entity *x)
{
	char *enc = encode_record(r);
	dedup_entity_decode(enc, x);
	free(enc);
}

char *dedup_entity_encode(const struct dedup_entity *x)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s%c%s%c%s%c", x->name, SEP, x->dob, SEP, x->pid, SEP);
	if (x->sex)
		sb_addc(&sb, x->sex);
	sb_addf(&sb, "%c%s%c%s%c%s%c%s", SEP, x->name2, SEP, x->date2, SEP, x->name3, SEP,
		x->fplace);
	return sb_detach(&sb);
}

/* A bump allocator over x->mem. */
struct bump {
	char *p, *end;
};

static const char *bump_copy(struct bump *b, const char *s, size_t n)
{
	char *out = b->p;
	if ((size_t)(b->end - b->p) < n + 1)
		return "";
	memcpy(out, s, n);
	out[n] = 0;
	b->p += n + 1;
	return out;
}

/* Surname is the first word, given name the last, middle what is between. */
static void split_name(struct bump *b, struct dedup_entity *x)
{
	const char *f = x->fname;
	const char *first = strchr(f, ' '), *last = strrchr(f, ' ');
	if (!first) {
		x->fsurname = x->fmiddle = "";
		x->fgiven = f;
		return;
	}
	x->fsurname = bump_copy(b, f, (size_t)(first - f));
	x->fgiven = last + 1;
	x->fmiddle = last > first ? bump_copy(b, first + 1, (size_t)(last - first - 1)) : "";
}

static void copy_fixed(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

void dedup_entity_decode(const char *enc, struct dedup_entity *x)
{
	size_t need = strlen(enc) * 4 + 64;
	if (x->memcap < need) {
		free(x->mem);
		x->mem = xmalloc(need);
		x->memcap = need;
	}
	struct bump b = {x->mem, x->mem + x->memcap};
	const char *part[NPARTS];
	size_t plen[NPARTS];
	const char *p = enc;
	for (int i = 0; i < NPARTS; i++) {
		const char *q = p ? strchr(p, SEP) : NULL;
		part[i] = p ? p : "";
		plen[i] = p ? (q ? (size_t)(q - p) : strlen(p)) : 0;
		p = q ? q + 1 : NULL;
	}
	x->name = bump_copy(&b, part[P_NAME], plen[P_NAME]);
	x->fname = x->name;
	split_name(&b, x);
	copy_fixed(x->dob, sizeof(x->dob), part[P_DOB], plen[P_DOB]);
	copy_fixed(x->pid, sizeof(x->pid), part[P_PID], plen[P_PID]);
	x->sex = plen[P_SEX] ? part[P_SEX][0] : 0;
	x->name2 = bump_copy(&b, part[P_NAME2], plen[P_NAME2]);
	x->fname2 = x->name2;
	copy_fixed(x->date2, sizeof(x->date2), part[P_DATE2], plen[P_DATE2]);
	x->name3 = bump_copy(&b, part[P_NAME3], plen[P_NAME3]);
	x->fname3 = x->name3;
	x->fplace = bump_copy(&b, part[P_PLACE], plen[P_PLACE]);
}

/* ---- blocking ------------------------------------------------------------ */

static const char *const rule_names[DEDUP_NRULES] = {
	"name + year of birth", "date of birth", "personal ID", "second person + year",
	"name + day and month of birth",
};

const char *dedup_rule_name(int rule) { return rule_names[rule]; }

static int has_year(const char *d) { return *d && memcmp(d, "0000", 4) != 0; }
static int has_day(const char *d) { return *d && memcmp(d + 4, "00", 2) && memcmp(d + 6, "00", 2); }

void dedup_entity_keys(const struct dedup_entity *x, char key[DEDUP_NRULES][DEDUP_KEY_LEN])
{
	for (int i = 0; i < DEDUP_NRULES; i++)
		key[i][0] = 0;
	if (*x->fgiven && has_year(x->dob))
		snprintf(key[0], DEDUP_KEY_LEN, "%s|%.4s", x->fname, x->dob);
	if (has_year(x->dob) && has_day(x->dob))
		snprintf(key[1], DEDUP_KEY_LEN, "%s", x->dob);
	if (*x->pid)
		snprintf(key[2], DEDUP_KEY_LEN, "%s", x->pid);
	if (*x->fname2 && has_year(x->dob))
		snprintf(key[3], DEDUP_KEY_LEN, "%s|%.4s", x->fname2, x->dob);
	else if (!*x->fname2 && *x->fname && has_year(x->date2))
		snprintf(key[3], DEDUP_KEY_LEN, "%s|%.4s", x->fname, x->date2);
	if (*x->fgiven && has_day(x->dob))
		snprintf(key[4], DEDUP_KEY_LEN, "%s|%.4s", x->fname, x->dob + 4);
}

/* ---- comparison ------------------------------------------------------------ */

/* Near: Jaro-Winkler at least jw, or one cheap edit (lengths within one). */
static int near(const char *a, const char *b, double jw, double ocr)
{
	if (dedup_jaro_winkler(a, b) >= jw)
		return 1;
	size_t na = strlen(a), nb = strlen(b);
	return (na > nb ? na - nb : nb - na) <= 2 && dedup_ocr_distance_max(a, b, ocr) <= ocr;
}

static int text_level3(const char *a, const char *b, double jw_hi)
{
	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 2;
	return near(a, b, jw_hi, 1.0);
}

static int given_level(const char *a, const char *b)
{
	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 3;
	if (near(a, b, 0.92, 1.0))
		return 2;
	return dedup_jaro_winkler(a, b) >= 0.8 ? 1 : 0;
}

struct word {
	const char *p;
	size_t n;
};

static int words(const char *s, struct word *w, int max)
{
	int n = 0;
	while (*s && n < max) {
		size_t k = strcspn(s, " ");
		if (k)
			w[n++] = (struct word){s, k};
		s += k + (s[k] == ' ');
	}
	return n;
}

/* Two words one typo apart (only words of 4+ letters with the same first one). */
static int word_near(const struct word *a, const struct word *b)
{
	if (a->n < 4 || b->n < 4 || a->p[0] != b->p[0] || a->n >= 48 || b->n >= 48)
		return 0;
	char x[48], y[48];
	copy_fixed(x, sizeof(x), a->p, a->n);
	copy_fixed(y, sizeof(y), b->p, b->n);
	return dedup_jaro_winkler(x, y) >= 0.9;
}

/* Share of words of one matched in the other (a word matches a near twin). */
static int place_level(const char *a, const char *b)
{
	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 2;
	struct word wa[32], wb[32];
	int na = words(a, wa, 32), nb = words(b, wb, 32);
	if (!na || !nb)
		return -1;
	char used[32] = {0}, done[32] = {0};
	int hits = 0;
	for (int i = 0; i < na; i++) /* same words first, near twins after */
		for (int j = 0; j < nb; j++)
			if (!used[j] && wa[i].n == wb[j].n && !memcmp(wa[i].p, wb[j].p, wa[i].n)) {
				used[j] = done[i] = 1;
				hits++;
				break;
			}
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb && !done[i]; j++)
			if (!used[j] && word_near(&wa[i], &wb[j])) {
				used[j] = done[i] = 1;
				hits++;
			}
	double share = (double)hits / (na + nb - hits);
	return share >= 0.75 ? 2 : share >= 0.4 ? 1 : 0;
}

void dedup_compare(const struct dedup_entity *a, const struct dedup_entity *b,
		   signed char g[DF_COUNT])
{
	g[DF_SURNAME] = (signed char)text_level3(a->fsurname, b->fsurname, 0.9);
	g[DF_MIDDLE] = (signed char)text_level3(a->fmiddle, b->fmiddle, 0.85);
	g[DF_GIVEN] = (signed char)given_level(a->fgiven, b->fgiven);
	g[DF_DOB] = (signed char)dedup_date_level(a->dob, b->dob);
	g[DF_PID] = (signed char)dedup_id_level(a->pid, b->pid);
	g[DF_SEX] = (signed char)(a->sex && b->sex ? a->sex == b->sex : -1);
	g[DF_NAME2] = (signed char)text_level3(a->fname2, b->fname2, 0.9);
	g[DF_DATE2] = (signed char)dedup_date_level(a->date2, b->date2);
	g[DF_NAME3] = (signed char)text_level3(a->fname3, b->fname3, 0.9);
	g[DF_PLACE] = (signed char)place_level(a->fplace, b->fplace);
}

/* ---- evidence ---------------------------------------------------------------- */

/* Field names as supervisors read them (the evidence is shown in review). */
static const char *label(enum book_kind k, enum dedup_field f)
{
	static const char *const base[DF_COUNT] = {
		"họ", "chữ đệm", "tên", "ngày sinh", "số định danh", "giới tính",
		"họ tên mẹ", "năm sinh mẹ", "họ tên cha", "nơi sinh",
	};
	if (k == KIND_KH) {
		static const char *const kh[DF_COUNT] = {
			"họ chồng", "chữ đệm chồng", "tên chồng", "ngày sinh chồng",
			"số giấy tờ chồng", "giới tính", "họ tên vợ", "ngày sinh vợ", "",
			"nơi cư trú chồng",
		};
		return kh[f];
	}
	if (k == KIND_KT) {
		if (f == DF_DATE2)
			return "ngày chết";
		if (f == DF_PLACE)
			return "nơi cư trú cuối cùng";
	}
	return base[f];
}

char *dedup_evidence(enum book_kind k, const signed char g[DF_COUNT])
{
	struct strbuf agree = STRBUF_INIT, near = STRBUF_INIT, differ = STRBUF_INIT;
	for (int f = 0; f < DF_COUNT; f++) {
		if (g[f] < 0)
			continue;
		struct strbuf *sb = g[f] == levels[f] - 1 ? &agree : g[f] == 0 ? &differ : &near;
		if (sb->len)
			sb_adds(sb, ", ");
		sb_adds(sb, label(k, (enum dedup_field)f));
	}
	struct strbuf out = STRBUF_INIT;
	if (agree.len)
		sb_addf(&out, "giống %s", agree.buf);
	if (near.len)
		sb_addf(&out, "%sgần giống: %s", out.len ? "; " : "", near.buf);
	if (differ.len)
		sb_addf(&out, "%skhác %s", out.len ? "; " : "", differ.buf);
	sb_release(&agree);
	sb_release(&near);
	sb_release(&differ);
	return sb_detach(&out);
}
