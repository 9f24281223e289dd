/*
 * Closed lists and plain columns: sex, registration type, ethnic group,
 * nationality, relation words, entry numbers, pass-through text, and the
 * death-notice composite (gbtSo).
 */
#include "validate/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *vchk_pass(struct vrun *vr, const char *in)
{
	return xstrdup(in);
}

/*
 * The original words of in between two positions of its folded form f
 * (text_fold keeps the word count, so word k of f is word k of in).
 * to == NULL: to the end.
 */
char *vwords_slice(const char *in, const char *f, const char *from, const char *to)
{
	size_t w0 = 0, w1 = (size_t)-1;
	for (const char *q = f; q < from; q++)
		w0 += *q == ' ';
	if (to) {
		w1 = 0;
		for (const char *q = f; q < to; q++)
			w1 += *q == ' ';
	}
	char *orig = text_squeeze(in);
	struct strbuf sb = STRBUF_INIT;
	size_t w = 0;
	for (const char *p = orig; *p; p++) {
		if (*p == ' ') {
			w++;
			if (w > w0 && w < w1 && sb.len)
				sb_addc(&sb, ' ');
			continue;
		}
		if (w >= w0 && w < w1)
			sb_addc(&sb, *p);
	}
	free(orig);
	char *r = text_squeeze(sb_str(&sb));
	sb_release(&sb);
	return r;
}

/* ---- small closed maps ---------------------------------------------------- */

struct code_word {
	const char *fold;
	const char *code;
};

/*
 * Folded words to a code.  A fold that matches exactly is the value; one
 * slip from exactly one entry (and two from every other) is a correction.
 */
static const char *code_map(struct vrun *vr, const char *in, const struct code_word *t,
			    size_t n)
{
	char *f = text_fold(in);
	const char *code = NULL;
	int best = 1 << 20, second = 1 << 20;
	const char *best_code = NULL;
	for (size_t i = 0; i < n && !code; i++) {
		if (!strcmp(f, t[i].fold)) {
			code = t[i].code;
			break;
		}
		int d = text_distance(f, t[i].fold);
		if (d < best) {
			if (!best_code || strcmp(best_code, t[i].code))
				second = best;
			best = d;
			best_code = t[i].code;
		} else if (d < second && strcmp(best_code, t[i].code)) {
			second = d;
		}
	}
	if (!code && best_code && best <= 1 && second >= best + 2 && strlen(f) >= 3) {
		code = best_code;
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("'%s' đọc thành '%s' (danh mục đóng)", in, code);
	}
	free(f);
	return code;
}

char *vchk_sex(struct vrun *vr, const char *in)
{
	static const struct code_word sexes[] = {
		{"nam", "1"}, {"nu", "2"}, {"1", "1"}, {"2", "2"}, {"3", "3"},
		{"khong ro", "3"}, {"chua xac dinh", "3"},
	};
	if (!*in)
		return xstrdup("3");
	const char *c = code_map(vr, in, sexes, sizeof(sexes) / sizeof(*sexes));
	if (c)
		return xstrdup(c);
	vrun_find(vr, "sex_unknown", SEV_WARNING, "Giới tính không rõ: %s", in);
	return xstrdup("3");
}

int vsex_of_value(const char *value)
{
	if (!value)
		return 0;
	if (!strcmp(value, "1"))
		return 1;
	if (!strcmp(value, "2"))
		return 2;
	return 0;
}

char *vchk_reg_type(struct vrun *vr, const char *in)
{
	static const struct code_word types[] = {
		{"dung han", "1"}, {"dang ky lai", "2"}, {"ghi vao so", "3"},
		{"ghi vao so ho tich", "3"}, {"qua han", "4"}, {"cap ban chinh", "5"},
		{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5"}, {"6", "6"},
	};
	if (!*in)
		return xstrdup("6");
	const char *c = code_map(vr, in, types, sizeof(types) / sizeof(*types));
	if (c)
		return xstrdup(c);
	vrun_find(vr, "registration_type_unknown", SEV_WARNING, "Loại đăng ký không rõ: %s", in);
	return xstrdup(in);
}

/* ---- vocabularies --------------------------------------------------------- */

/* s with its first letter in upper case (to_upper) or lower case; caller frees. */
static char *first_cased(const char *s, int to_upper)
{
	size_t k = 0;
	int32_t cp;
	text_next(s, strlen(s), &k, &cp);
	char *f = xstrndup(s, k), *c = to_upper ? text_upper(f) : text_lower(f);
	char *out = xasprintf("%s%s", c, s + k);
	free(f);
	free(c);
	return out;
}

static char *first_upper(const char *s)
{
	return first_cased(s, 1);
}

/* The listed spelling in the case of the reading: "cha" as printed stays "cha". */
static char *in_case_of(const char *listed, const char *in)
{
	char *lo = first_cased(in, 0), *up = first_cased(in, 1);
	int lower = !strcmp(lo, in) && strcmp(up, in);
	free(lo);
	free(up);
	return lower ? first_cased(listed, 0) : xstrdup(listed);
}

/*
 * A listed spelling followed by the remains of the next field, its label
 * lost ('Khơ-me Quốc+t£hzViệt Nam'): the longest run of first words that
 * is listed exactly is the value.  NULL when none is.
 */
static char *listed_head(struct vrun *vr, const char *in, const struct vocab *v)
{
	char *s = xstrdup(in);
	char *out = NULL;
	for (char *sp = strrchr(s, ' '); sp && !out; sp = strrchr(s, ' ')) {
		*sp = '\0';
		struct vmatch m;
		vocab_match(vr->vc, v, s, &m);
		if (m.exact) {
			out = v == &vr->vc->relation ? xstrdup(s) : first_upper(s);
			vr->corrected = 1;
			free(vr->note);
			vr->note = xasprintf("'%s': phần sau '%s' là của trường khác", in, s);
		}
	}
	free(s);
	return out;
}

/*
 * As printed when it is a listed spelling (the spec keeps the register's
 * own case and spelling: "cha" in one book, "Cha" in another); the listed
 * spelling, in the reading's case, when one clearly wins; else a finding.
 */
static char *vocab_check(struct vrun *vr, const char *in, const struct vocab *v,
			 const char *code, const char *what)
{
	if (!*in)
		return xstrdup("");
	struct vmatch m;
	vocab_match(vr->vc, v, in, &m);
	/* Names of peoples and countries are capitalised in every register:
	 * a lower-case 'kinh' is the engine's k for K, not the book's. */
	if (m.exact && v != &vr->vc->relation)
		return first_upper(in);
	if (m.exact)
		return xstrdup(in);
	if (m.clear) {
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("'%s' không có trong danh mục %s; gần nhất: '%s'", in, what,
				     v->v[m.idx].text);
		/* a people or country as listed; only relation words keep the
		 * register's case ('&inh' is Kinh, never 'kinh') */
		return v == &vr->vc->relation ? in_case_of(v->v[m.idx].text, in)
					      : xstrdup(v->v[m.idx].text);
	}
	char *head = listed_head(vr, in, v);
	if (head)
		return head;
	vrun_find(vr, code, SEV_WARNING, "Không có trong danh mục %s: %s", what, in);
	return xstrdup(in);
}

char *vchk_ethnic(struct vrun *vr, const char *in)
{
	return vocab_check(vr, in, &vr->vc->ethnic, "ethnicity_unknown", "dân tộc");
}

char *vchk_nationality(struct vrun *vr, const char *in)
{
	return vocab_check(vr, in, &vr->vc->nationality, "nationality_unknown", "quốc tịch");
}

/*
 * "Ông", "Bà", "Cụ" alone say less than the register does ("Ông ngoại"):
 * usually the second word was lost at the line's end, under a seal or a
 * signature.  The value is kept and shown to a supervisor.  ("Cháu" alone
 * is common for a grandchild declaring a death, and is complete.)
 */
char *vchk_relation(struct vrun *vr, const char *in)
{
	/* With their tones: "Ba" alone is a father, and complete. */
	static const char *const bare[] = {"ông", "bà", "cụ"};
	char *out = vocab_check(vr, in, &vr->vc->relation, "relation_unknown", "quan hệ");
	char *f = text_lower(out);
	for (size_t i = 0; i < sizeof(bare) / sizeof(*bare); i++)
		if (!strcmp(f, bare[i]))
			vrun_find(vr, "relation_incomplete", SEV_WARNING,
				  "Quan hệ '%s' thiếu nội/ngoại (có thể mất chữ khi đọc)", out);
	free(f);
	return out;
}

/* ---- entry number and death notice ---------------------------------------- */

/*
 * A number field holds digits (and '/' in a book number) by definition, so a
 * letter the engine confuses with a digit (l I | -> 1, O o -> 0) is
 * corrected with that evidence, but only when every other character is a
 * digit or an allowed separator: "l2" is 12, "Nam" stays a finding.
 */
static char *digits_fixed(struct vrun *vr, const char *in, const char *seps)
{
	static const char from[] = "lI|Oo", to[] = "11100";
	size_t n = strlen(in);
	char *out = xstrndup(in, n);
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = strchr(from, in[i]);
		if (k && in[i]) {
			out[i] = to[k - from];
			changed = 1;
		} else if (!isdigit((unsigned char)in[i]) && !strchr(seps, in[i])) {
			free(out);
			return NULL;
		}
	}
	if (changed) {
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("chữ cái đọc thành chữ số: '%s'", in);
	}
	return out;
}

static char *number_check(struct vrun *vr, const char *in, const char *seps, const char *code,
			  const char *what)
{
	if (!*in)
		return xstrdup("");
	char *fixed = digits_fixed(vr, in, seps);
	if (fixed && isdigit((unsigned char)fixed[0]))
		return fixed;
	free(fixed);
	vrun_find(vr, code, SEV_WARNING, "%s không phải là số: %s", what, in);
	return xstrdup(in);
}

char *vchk_entry(struct vrun *vr, const char *in)
{
	return number_check(vr, in, "/", "entry_format", "Số đăng ký");
}

char *vchk_page_no(struct vrun *vr, const char *in)
{
	return number_check(vr, in, "", "page_format", "Trang số");
}

char *vchk_book_no(struct vrun *vr, const char *in)
{
	return number_check(vr, in, "/", "book_format", "Quyển số");
}

/* "123 ngày 01/02/2021 của Bệnh viện X" -> "123", "01/02/2021", "Bệnh viện X". */
void vsplit_gbt(const char *in, struct vsplit *sp)
{
	memset(sp, 0, sizeof(*sp));
	char *f = text_fold(in);
	const char *ngay = strstr(f, " ngay "), *cua = strstr(f, " cua ");
	if (!ngay && !cua)
		goto out;
	const char *num_end = ngay ? ngay : cua;
	sp->part[0] = vwords_slice(in, f, f, num_end + 1);
	if (ngay)
		sp->part[1] = vwords_slice(in, f, ngay + 6, cua ? cua + 1 : NULL);
	if (cua)
		sp->part[2] = vwords_slice(in, f, cua + 5, NULL);
out:
	free(f);
}
