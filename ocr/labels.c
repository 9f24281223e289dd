/*
 * labels: what the registers print before each value and above each table
 * column, and which export column that means in which section.
 *
 * Everything is matched on a folded key (lower case, no diacritics, no
 * punctuation, single spaces) with an edit-distance tolerance, because OCR
 * damages labels as much as values.  Variants follow the register-formats
 * spec (F labelled forms, T ruled tables).
 */
#include "ocr/ocr_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct label_variant {
	enum label_key key;
	const char *fold;	/* folded key of the printed label */
};

/* Longer variants first is not needed: matching prefers the longest. */
static const struct label_variant form_labels[] = {
	{LB_QUYEN, "quyen so"},
	{LB_TRANG, "trang so"},
	{LB_TRANG, "trang"},
	{LB_NOIDK, "noi dang ky"},
	{LB_SO, "so"},
	{LB_NGAYDK, "ngay dang ky"},
	{LB_NGAYDK, "ngay thang nam dang ky"},
	{LB_LOAIDK, "loai dang ky"},
	{LB_HOTEN, "ho chu dem ten"},
	{LB_HOTEN, "ho va ten"},
	{LB_NGAYSINH, "ngay thang nam sinh"},
	{LB_NGAYSINH, "ngay sinh"},
	{LB_NAMSINH, "nam sinh"},
	{LB_BANGCHU, "ghi bang chu"},
	{LB_GIOITINH, "gioi tinh"},
	{LB_DANTOC, "dan toc"},
	{LB_QUOCTICH, "quoc tich"},
	{LB_NOISINH, "noi sinh"},
	{LB_QUEQUAN, "que quan"},
	{LB_DINHDANH, "so dinh danh ca nhan"},
	{LB_NOICUTRU, "noi cu tru"},
	{LB_NOICUTRU_CUOI, "noi cu tru cuoi cung"},
	{LB_GIAYTO, "giay to tuy than"},
	{LB_ME, "ho chu dem ten nguoi me"},
	{LB_ME, "ho va ten me"},
	{LB_ME, "ho va ten nguoi me"},
	{LB_CHA, "ho chu dem ten nguoi cha"},
	{LB_CHA, "ho va ten cha"},
	{LB_CHA, "ho va ten nguoi cha"},
	{LB_NYC, "nguoi di khai"},
	{LB_NYC, "ho chu dem ten nguoi di dang ky khai sinh"},
	{LB_QUANHE, "quan he"},
	{LB_QUANHE, "quan he voi nguoi duoc khai sinh"},
	{LB_QUANHE, "quan he voi nguoi chet"},
	{LB_CHONG, "ben chong"},
	{LB_VO, "ben vo"},
	{LB_NKT, "ho chu dem ten nguoi chet"},
	{LB_NKT, "ho va ten nguoi chet"},
	{LB_NGAYCHET, "ngay gio chet"},
	{LB_NGAYCHET, "gio phut ngay thang nam chet"},
	{LB_NOICHET, "noi chet"},
	{LB_NGUYENNHAN, "nguyen nhan chet"},
	{LB_GBT, "giay bao tu so"},
	{LB_NGUOITH, "nguoi thuc hien"},
	{LB_GHICHU, "ghi chu"},
};
#define NFORM (sizeof(form_labels) / sizeof(form_labels[0]))

/* ---- keys and distance -------------------------------------------------- */

char *labels_key(const char *s)
{
	char *f = text_fold(s ? s : "");
	struct strbuf sb = STRBUF_INIT;
	int space = 0;
	for (const char *p = f; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* Folded, a letter is ASCII: what is not is a mark read apart
		 * from its letter ('Sô“', 'sô´' for 'Số'), and goes. */
		if (c >= 0x80)
			continue;
		if (isalnum(c)) {
			if (space && sb.len)
				sb_addc(&sb, ' ');
			space = 0;
			sb_addc(&sb, (char)c);
		} else {
			space = 1;
		}
	}
	free(f);
	return sb_detach(&sb);
}

/* Edits tolerated in a label of n bytes. */
static int tolerance(size_t n)
{
	if (n <= 3)
		return 0;
	if (n <= 9)
		return 1;
	return (int)(n / 6);
}

static size_t count_tokens(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* Folded word without punctuation, into buf. */
static size_t word_key(const struct ocr_word *w, char *buf, size_t cap)
{
	size_t n = 0;
	/* "tộc:Kinh": only what precedes a colon can be label. */
	for (const char *p = w->fold; *p && *p != ':' && n + 1 < cap; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) || c >= 0x80)
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return n;
}

static int has_colon(const char *s)
{
	return strchr(s, ':') != NULL || strchr(s, ';') != NULL;
}

static int ends_colon(const char *s)
{
	size_t n = strlen(s);
	return n && (s[n - 1] == ':' || s[n - 1] == ';');
}

/* Words first..first+k-1 joined as a key; 0 when they run off the line. */
static size_t window_key(const struct ocr_line *l, size_t first, size_t k, char *buf, size_t cap)
{
	size_t n = 0;
	if (first + k > l->nwords)
		return 0;
	for (size_t i = first; i < first + k; i++) {
		char w[96];
		size_t m = word_key(&l->words[i], w, sizeof(w));
		if (!m)
			return 0;
		if (n && n + 1 < cap)
			buf[n++] = ' ';
		for (size_t j = 0; j < m && n + 1 < cap; j++)
			buf[n++] = w[j];
	}
	buf[n] = '\0';
	return n;
}

struct cand {
	enum label_key key;
	size_t k;	/* words covered */
	size_t len;	/* label length */
	int d;
};

/* A colon where the label ends: on its last word or as the next word. */
static int colon_after(const struct ocr_line *l, size_t last, size_t *colon_word)
{
	*colon_word = last;
	if (ends_colon(l->words[last].text))
		return 1;
	if (last + 1 < l->nwords) {
		const char *nx = l->words[last + 1].text;
		if (nx[0] == ':' || nx[0] == ';') {
			if (!nx[1])
				*colon_word = last + 1;
			return 1;
		}
	}
	/* OCR may glue the colon and the value: "tên:NGUYỄN". */
	return has_colon(l->words[last].text) ? 2 : 0;
}

/* Longer labels explain more of the line, but each edit counts against it. */
static int better(const struct cand *a, const struct cand *b)
{
	if (!b->k)
		return 1;
	int sa = (int)a->len - 3 * a->d, sb = (int)b->len - 3 * b->d;
	if (sa != sb)
		return sa > sb;
	return a->d < b->d;
}

/*
 * The window must start like the label: otherwise a long label swallows
 * the word before it ("Số:1 Ngày, tháng, năm đăng ký" is two labels).
 */
static int first_token_ok(const char *win, const char *label)
{
	size_t a = strcspn(win, " "), b = strcspn(label, " ");
	int d = text_distance_n(win, a, label, b);
	return d <= (b <= 3 ? 0 : 1) || (a > b && d <= (int)(a - b));
}

static void try_variant(const struct ocr_line *l, size_t i, const struct label_variant *v,
			struct cand *best)
{
	size_t vlen = strlen(v->fold), ntok = count_tokens(v->fold);
	for (size_t k = ntok > 1 ? ntok - 1 : 1; k <= ntok + 1; k++) {
		char buf[160];
		size_t n = window_key(l, i, k, buf, sizeof(buf));
		if (!n)
			continue;
		int d = text_distance_n(buf, n, v->fold, vlen);
		if (d > tolerance(vlen) || !first_token_ok(buf, v->fold))
			continue;
		struct cand c = {v->key, k, vlen, d};
		if (better(&c, best))
			*best = c;
	}
}

/* Bytes of the first k space-separated tokens of s. */
static size_t tokens_prefix(const char *s, size_t k)
{
	size_t n = 0;
	for (size_t t = 0; t < k && s[n]; t++) {
		if (t)
			n++;
		n += strcspn(s + n, " ");
	}
	return n;
}

/*
 * Does the line end, from word i, with the first words of a long label?
 * A long label ("Quan hệ với người được khai sinh:") is wrapped by the
 * typist when the value before it on the line is long; its first words
 * then close the line and must not be read as the end of that value.
 */
static enum label_key wrapped_label(const struct ocr_line *l, size_t i)
{
	size_t k = l->nwords - i;
	char buf[160];
	if (k < 2 || !window_key(l, i, k, buf, sizeof(buf)))
		return LB_NONE;
	size_t n = strlen(buf);
	for (size_t v = 0; v < NFORM; v++) {
		const char *f = form_labels[v].fold;
		if (count_tokens(f) <= k || count_tokens(f) < 3)
			continue;
		size_t pl = tokens_prefix(f, k);
		if (pl < 7 || text_distance_n(buf, n, f, pl) > tolerance(pl) || !first_token_ok(buf, f))
			continue;
		return form_labels[v].key;
	}
	return LB_NONE;
}

/* Short labels need a colon after them, or must open the line. */
static int accept(const struct ocr_line *l, size_t i, const struct cand *c, int colon)
{
	if (c->key == LB_CHONG || c->key == LB_VO)
		return i == 0;
	if (colon)
		return 1;
	if (c->len <= 3)
		return 0;
	return i == 0 || c->len >= 12;
}

size_t labels_find(const struct ocr_line *l, struct label_hit *hits, size_t max)
{
	size_t n = 0, i = 0;
	while (i < l->nwords && n < max) {
		struct cand best = {LB_NONE, 0, 0, 0};
		for (size_t v = 0; v < NFORM; v++)
			try_variant(l, i, &form_labels[v], &best);
		size_t cw = 0;
		int colon = best.k ? colon_after(l, i + best.k - 1, &cw) : 0;
		if (best.k && accept(l, i, &best, colon)) {
			hits[n].key = best.key;
			hits[n].first = i;
			hits[n].last = colon == 2 ? i + best.k - 1 : cw;
			hits[n].colon = colon;
			hits[n].wraps = 0;
			n++;
			i = hits[n - 1].last + 1;
			continue;
		}
		enum label_key wk = n < max ? wrapped_label(l, i) : LB_NONE;
		if (wk != LB_NONE) {
			hits[n++] = (struct label_hit){wk, i, l->nwords - 1, 0, 1};
			break;
		}
		i++;
	}
	return n;
}

/* "20/02/2017", "2/3/2017": the shape of a date, whatever its digits say. */
static int date_shaped(const char *s)
{
	int groups = 0, digits = 0;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			digits += !digits;
			continue;
		}
		if (!strchr("/.-", *s))
			return 0;
		groups += digits;
		digits = 0;
	}
	return groups + digits == 3;
}

static int key_is_date(enum label_key k)
{
	return k == LB_NGAYDK || k == LB_NGAYSINH || k == LB_NGAYCHET;
}

/*
 * How far the read words key (of a damaged label) are from variant f: its
 * edit distance, or 0 when they are f's last words, at least two of them
 * ("đăng ký" for "Ngày đăng ký" with its first word lost).
 */
static int guess_distance(const char *key, const char *f)
{
	size_t n = strlen(key), fl = strlen(f);
	if (count_tokens(key) >= 2 && n >= 6 && fl > n && !strcmp(f + fl - n, key) &&
	    f[fl - n - 1] == ' ')
		return 0;
	return text_distance_n(key, n, f, fl);
}

enum label_key labels_guess(const struct ocr_line *l, size_t *last, int *colon)
{
	size_t k = 0;
	while (k < l->nwords && k < 6 && !has_colon(l->words[k].text))
		k++;
	if (k == l->nwords || k == 6)
		return LB_NONE;
	char buf[160];
	size_t n = window_key(l, 0, k + 1, buf, sizeof(buf));
	const char *after = strpbrk(l->words[k].text, ":;");
	int glued = after && after[1];
	const char *val = glued ? after + 1 : k + 1 < l->nwords ? l->words[k + 1].text : "";
	int want_date = date_shaped(val);
	enum label_key best = LB_NONE;
	int bd = 1 << 20, second = 1 << 20;
	for (size_t v = 0; n && v < NFORM; v++) {
		const struct label_variant *lv = &form_labels[v];
		if (want_date && !key_is_date(lv->key))
			continue;
		int d = guess_distance(buf, lv->fold);
		if (d < bd) {
			if (lv->key != best)
				second = bd;
			bd = d;
			best = lv->key;
		} else if (lv->key != best && d < second) {
			second = d;
		}
	}
	int tol = (int)n / 3 > 2 ? (int)n / 3 : 2;
	if (best == LB_NONE || bd > tol || second < bd + 2)
		return LB_NONE;
	*last = k;
	*colon = glued ? 2 : 1;
	return best;
}

/* ---- sections and columns ------------------------------------------------ */

int label_section(enum label_key k)
{
	switch (k) {
	case LB_ME: return SEC_ME;
	case LB_CHA: return SEC_CHA;
	case LB_NYC: return SEC_NYC;
	case LB_CHONG: return SEC_CHONG;
	case LB_VO: return SEC_VO;
	default: return -1;
	}
}

/* The person's own details take the section's prefix. */
enum { PS_HOTEN, PS_NGAYSINH, PS_DANTOC, PS_QUOCTICH, PS_NOICUTRU, PS_GIAYTO, PS_DINHDANH, PS_COUNT };

static const char *const person_cols[][PS_COUNT] = {
	[SEC_ME] = {"meHoTen", "meNgaySinh", "meDanToc", "meQuocTich", "meNoiCuTru",
		    "meSoGiayToTuyThan", "meSoDinhDanhCaNhan"},
	[SEC_CHA] = {"chaHoTen", "chaNgaySinh", "chaDanToc", "chaQuocTich", "chaNoiCuTru",
		     "chaSoGiayToTuyThan", "chaSoDinhDanhCaNhan"},
	[SEC_NYC] = {"nycHoTen", NULL, NULL, NULL, NULL, "nycSoGiayToTuyThan", NULL},
	[SEC_CHONG] = {"chongHoTen", "chongNgaySinh", "chongDanToc", "chongQuocTich",
		       "chongNoiCuTru", "chongSoGiayToTuyThan", NULL},
	[SEC_VO] = {"voHoTen", "voNgaySinh", "voDanToc", "voQuocTich", "voNoiCuTru",
		    "voSoGiayToTuyThan", NULL},
};

static int person_slot(enum label_key k)
{
	switch (k) {
	case LB_HOTEN: return PS_HOTEN;
	case LB_NGAYSINH: return PS_NGAYSINH;
	case LB_NAMSINH: return PS_NGAYSINH;
	case LB_DANTOC: return PS_DANTOC;
	case LB_QUOCTICH: return PS_QUOCTICH;
	case LB_NOICUTRU: return PS_NOICUTRU;
	case LB_GIAYTO: return PS_GIAYTO;
	case LB_DINHDANH: return PS_DINHDANH;
	default: return -1;
	}
}

static const char *record_column(enum label_key k)
{
	switch (k) {
	case LB_SO: return "so";
	case LB_NGAYDK: return "ngayDangKy";
	case LB_LOAIDK: return "loaiDangKy";
	case LB_NGUOITH: return "nguoiThucHien";
	case LB_GHICHU: return "ghiChu";
	case LB_QUANHE: return "nycQuanHe";
	case LB_ME: return "meHoTen";
	case LB_CHA: return "chaHoTen";
	case LB_NYC: return "nycHoTen";
	default: return NULL;
	}
}

static const char *subject_column(enum book_kind kind, enum label_key k)
{
	static const char *const ks[LB_COUNT] = {
		[LB_HOTEN] = "nksHoTen", [LB_NGAYSINH] = "nksNgaySinh",
		[LB_BANGCHU] = "nksNgaySinhBangChu", [LB_GIOITINH] = "nksGioiTinh",
		[LB_DANTOC] = "nksDanToc", [LB_QUOCTICH] = "nksQuocTich",
		[LB_NOISINH] = "nksNoiSinh", [LB_QUEQUAN] = "nksQueQuan",
		[LB_DINHDANH] = "nksSoDinhDanh",
	};
	static const char *const kt[LB_COUNT] = {
		[LB_HOTEN] = "nktHoTen", [LB_NKT] = "nktHoTen", [LB_NGAYSINH] = "nktNgaySinh",
		[LB_GIOITINH] = "nktGioiTinh", [LB_DANTOC] = "nktDanToc",
		[LB_QUOCTICH] = "nktQuocTich", [LB_DINHDANH] = "nktSoGiayToTuyThan",
		[LB_NOICUTRU] = "nktNoiCuTru", [LB_NOICUTRU_CUOI] = "nktNoiCuTru",
		[LB_NGAYCHET] = "nktNgayChet", [LB_NOICHET] = "nktNoiChet",
		[LB_NGUYENNHAN] = "nktNguyenNhanChet", [LB_GBT] = "gbtSo",
	};
	if (kind == KIND_KS)
		return ks[k];
	if (kind == KIND_KT)
		return kt[k];
	return NULL;
}

const char *label_column(enum book_kind kind, enum section sec, enum label_key k)
{
	const char *c = record_column(k);
	if (c)
		return c;
	int slot = person_slot(k);
	if (sec != SEC_SUBJ && slot >= 0)
		return person_cols[sec][slot];
	return subject_column(kind, k);
}

enum value_type column_value_type(const char *col)
{
	size_t n = strlen(col);
	if (n >= 5 && !strcmp(col + n - 5, "HoTen"))
		return VT_NAME;
	if (strstr(col, "NgaySinh") && !strstr(col, "BangChu"))
		return VT_DATE;
	if (!strcmp(col, "ngayDangKy"))
		return VT_DATE;
	if (!strcmp(col, "so") || strstr(col, "SoDinhDanh") || strstr(col, "SoGiayTo"))
		return VT_NUMBER;
	return VT_TEXT;
}

/* ---- titles ------------------------------------------------------------- */

enum book_kind labels_title_kind(const char *fold)
{
	static const char *const titles[KIND_COUNT] = {
		"so dang ky khai sinh", "so dang ky ket hon", "so dang ky khai tu",
	};
	char *k = labels_key(fold);
	size_t n = strlen(k);
	enum book_kind best = KIND_NONE;
	int bestd = 1000;
	for (int i = 0; i < KIND_COUNT; i++) {
		size_t tl = strlen(titles[i]);
		/* The title may be followed by "- Năm 1998": compare its prefix. */
		int d = text_distance_n(k, n < tl ? n : tl, titles[i], tl);
		if (d < bestd) {
			bestd = d;
			best = (enum book_kind)i;
		}
	}
	free(k);
	return bestd <= 4 ? best : KIND_NONE;
}

struct title_variant {
	enum book_kind kind;
	const char *fold;
	const char *column;
};

static const struct title_variant table_titles[] = {
	{KIND_NONE, "so", "so"},
	{KIND_NONE, "so tt", "so"},
	{KIND_NONE, "ngay dang ky", "ngayDangKy"},
	{KIND_NONE, "ngay thang nam dang ky", "ngayDangKy"},
	{KIND_NONE, "ghi chu", "ghiChu"},
	{KIND_NONE, "nguoi di khai", "nycHoTen"},
	{KIND_KS, "ho va ten", "nksHoTen"},
	{KIND_KS, "ho ten nguoi duoc khai sinh", "nksHoTen"},
	{KIND_KS, "ngay sinh", "nksNgaySinh"},
	{KIND_KS, "ngay thang nam sinh", "nksNgaySinh"},
	{KIND_KS, "nam sanh", "nksNgaySinh"},
	{KIND_KS, "gioi tinh", "nksGioiTinh"},
	{KIND_KS, "nam nu", "nksGioiTinh"},
	{KIND_KS, "dan toc", "nksDanToc"},
	{KIND_KS, "noi sinh", "nksNoiSinh"},
	{KIND_KS, "ho ten cha", "chaHoTen"},
	{KIND_KS, "cha", "chaHoTen"},
	{KIND_KS, "ho ten me", "meHoTen"},
	{KIND_KS, "me", "meHoTen"},
	{KIND_KH, "ho ten chong", "chongHoTen"},
	{KIND_KH, "chong", "chongHoTen"},
	{KIND_KH, "ho ten vo", "voHoTen"},
	{KIND_KH, "vo", "voHoTen"},
	{KIND_KT, "ho va ten", "nktHoTen"},
	{KIND_KT, "ho ten nguoi chet", "nktHoTen"},
	{KIND_KT, "ngay sinh", "nktNgaySinh"},
	{KIND_KT, "nam sinh", "nktNgaySinh"},
	{KIND_KT, "gioi tinh", "nktGioiTinh"},
	{KIND_KT, "nam nu", "nktGioiTinh"},
	{KIND_KT, "ngay chet", "nktNgayChet"},
	{KIND_KT, "noi chet", "nktNoiChet"},
	{KIND_KT, "nguyen nhan chet", "nktNguyenNhanChet"},
};

#define MAX_TOKENS 12

/* Split a labels_key() string in place into its words; returns how many. */
static size_t split_tokens(char *k, char **tok)
{
	size_t n = 0;
	for (char *p = k; *p && n < MAX_TOKENS;) {
		tok[n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return n;
}

/*
 * How many of a title's words the read words hold, in any order.  *near:
 * the title's words not held number at most one, and that one was lost
 * ("ngay thang nam dang") or misread by a letter ("y" for "ky").
 */
static size_t tokens_found(char **read, size_t nr, const char *title, size_t *nt, int *near)
{
	char *t = xstrdup(title), *tt[MAX_TOKENS];
	int used[MAX_TOKENS] = {0};
	const char *missing = NULL;
	size_t nmissing = 0;
	*nt = split_tokens(t, tt);
	size_t found = 0;
	for (size_t i = 0; i < *nt; i++) {
		size_t j = 0;
		while (j < nr && (used[j] || strcmp(tt[i], read[j])))
			j++;
		if (j < nr) {
			used[j] = 1;
			found++;
		} else {
			missing = tt[i];
			nmissing++;
		}
	}
	*near = nmissing == 0;
	if (nmissing == 1) {
		size_t left = 0;
		for (size_t j = 0; j < nr; j++) {
			if (used[j])
				continue;
			left++;
			if (text_distance(read[j], missing) <= 1)
				*near = 1;
		}
		if (!left)
			*near = 1;
	}
	free(t);
	return found;
}

/*
 * A title read out of order with one word lost ("đăng Ngày ý" for "Ngày
 * đăng ký", lines of a wrapped title set close together): a title of three
 * words or more whose words all but one are there, in any order, and not
 * many other words; the surest such title, and none when two columns tie.
 */
static const char *title_by_words(enum book_kind kind, const char *key)
{
	char *k = xstrdup(key), *read[MAX_TOKENS];
	size_t nr = split_tokens(k, read);
	const char *best = NULL;
	double bests = 0;
	int tie = 0;
	for (size_t i = 0; i < sizeof(table_titles) / sizeof(table_titles[0]); i++) {
		const struct title_variant *t = &table_titles[i];
		if (t->kind != KIND_NONE && t->kind != kind)
			continue;
		size_t nt;
		int near;
		size_t found = tokens_found(read, nr, t->fold, &nt, &near);
		if (nt < 3 || !near || nr > nt + 1)
			continue;
		double score = (double)found / (double)nt;
		if (score > bests) {
			best = t->column;
			bests = score;
			tie = 0;
		} else if (score == bests && strcmp(best, t->column)) {
			tie = 1;
		}
	}
	free(k);
	return tie ? NULL : best;
}

/* The one column of a kind whose titles hold this word, or NULL. */
static const char *column_of_word(enum book_kind kind, const char *word)
{
	const char *col = NULL;
	for (size_t i = 0; i < sizeof(table_titles) / sizeof(table_titles[0]); i++) {
		const struct title_variant *t = &table_titles[i];
		if (t->kind != KIND_NONE && t->kind != kind)
			continue;
		char *f = xstrdup(t->fold), *tok[MAX_TOKENS];
		size_t n = split_tokens(f, tok), j = 0;
		while (j < n && strcmp(tok[j], word))
			j++;
		free(f);
		if (j == n)
			continue;
		if (col && strcmp(col, t->column))
			return NULL;
		col = t->column;
	}
	return col;
}

/*
 * A title cut at its start ("ày đăng ý"): a word of three letters or more
 * that only one column's titles use ("dang", "toc", "chu") names it, when
 * no other word read points elsewhere.
 */
static const char *title_by_unique_word(enum book_kind kind, const char *key)
{
	char *k = xstrdup(key), *read[MAX_TOKENS];
	size_t nr = split_tokens(k, read);
	const char *best = NULL;
	for (size_t i = 0; i < nr; i++) {
		if (strlen(read[i]) < 3)
			continue;
		const char *col = column_of_word(kind, read[i]);
		if (!col)
			continue;
		if (best && strcmp(best, col)) {
			best = NULL;
			break;
		}
		best = col;
	}
	free(k);
	return best;
}

const char *labels_table_column(enum book_kind kind, const char *text)
{
	char *k = labels_key(text);
	size_t n = strlen(k);
	const char *best = NULL;
	double bestr = 1e9;
	for (size_t i = 0; i < sizeof(table_titles) / sizeof(table_titles[0]); i++) {
		const struct title_variant *t = &table_titles[i];
		if (t->kind != KIND_NONE && t->kind != kind)
			continue;
		size_t tl = strlen(t->fold);
		int d = text_distance_n(k, n, t->fold, tl);
		double r = (double)d / (double)(tl > n ? tl : n);
		if (d <= tolerance(tl) + (tl > 12) && r < bestr) {
			bestr = r;
			best = t->column;
		}
	}
	if (!best)
		best = title_by_words(kind, k);
	if (!best)
		best = title_by_unique_word(kind, k);
	free(k);
	return best;
}
