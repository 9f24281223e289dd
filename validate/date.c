/*
 * Dates: printed shapes to dd/mm/yyyy, calendar validity, plausible
 * ranges, dates in words, and the time of death.  An impossible date is a
 * finding, never corrected: 30/02/2005 stays 30/02/2005 for a supervisor.
 */
#include "validate/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int vdate_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int vdate_exists(const struct vdate *d)
{
	if (d->y < 1 || d->y > 9999)
		return 0;
	if (d->m == 0 && d->d == 0)
		return 1;
	return d->d >= 1 && d->d <= vdate_days_in_month(d->y, d->m);
}

void vdate_format(const struct vdate *d, char out[16])
{
	if (d->m == 0 && d->d == 0)
		snprintf(out, 16, "%04d", d->y % 10000);
	else
		snprintf(out, 16, "%02d/%02d/%04d", d->d % 100, d->m % 100, d->y % 10000);
}

/* Days from civil (Howard Hinnant's algorithm), shifted to be positive. */
long vdate_serial(const struct vdate *d)
{
	long y = d->y - (d->m <= 2);
	long era = y / 400;
	long yoe = y - era * 400;
	long mp = (d->m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d->d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe;
}

int vdate_cmp(const struct vdate *a, const struct vdate *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if ((a->m == 0 && a->d == 0) || (b->m == 0 && b->d == 0))
		return 0;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return a->d < b->d ? -1 : a->d > b->d;
}

/*
 * Shapes: digit groups separated by / . - or spaces, optionally led by the
 * words ngày, tháng, năm.  Three groups d m yyyy, or one group yyyy.
 */
int vdate_parse(const char *s, struct vdate *d)
{
	char *f = text_fold(s);
	int g[3], len[3], n = 0, rc = -1;
	const char *p = f;
	memset(d, 0, sizeof(*d));
	while (*p) {
		if (isdigit((unsigned char)*p)) {
			if (n == 3)
				goto out;
			int v = 0, k = 0;
			while (isdigit((unsigned char)*p) && k < 5)
				v = v * 10 + (*p++ - '0'), k++;
			if (k > 4)
				goto out;
			g[n] = v;
			len[n++] = k;
		} else if (isalpha((unsigned char)*p)) {
			const char *w = p;
			while (isalpha((unsigned char)*p))
				p++;
			size_t wl = (size_t)(p - w);
			if (!((wl == 4 && !strncmp(w, "ngay", 4)) || (wl == 5 && !strncmp(w, "thang", 5)) ||
			      (wl == 3 && !strncmp(w, "nam", 3))))
				goto out;
		} else if (strchr("/.- ,", *p)) {
			p++;
		} else {
			goto out;
		}
	}
	if (n == 1 && len[0] == 4) {
		d->y = g[0];
		rc = 0;
	} else if (n == 3 && len[0] <= 2 && len[1] <= 2 && len[2] == 4) {
		d->d = g[0];
		d->m = g[1];
		d->y = g[2];
		rc = 0;
	}
out:
	free(f);
	return rc;
}

int vdate_of_value(const char *value, struct vdate *d)
{
	return value && *value && vdate_parse(value, d) == 0 && vdate_exists(d) ? 0 : -1;
}

/* ---- numbers and dates in words ------------------------------------------ */

static int digit_word(const char *w)
{
	static const struct {
		const char *w;
		int v;
	} words[] = {
		{"khong", 0}, {"mot", 1}, {"hai", 2}, {"ba", 3}, {"bon", 4}, {"tu", 4},
		{"nam", 5}, {"lam", 5}, {"nham", 5}, {"sau", 6}, {"bay", 7}, {"tam", 8},
		{"chin", 9},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(w, words[i].w))
			return words[i].v;
	return -1;
}

/*
 * Folded tokens to a number below 10,000.  "muoi" is both mười (ten, at the
 * head of a group) and mươi (times ten, after a digit): folding merges them
 * and the position tells them apart.
 */
static int vnum_tokens(char **tok, int n)
{
	int total = 0, seg = 0, pending = -1, any = 0;
	for (int i = 0; i < n; i++) {
		const char *w = tok[i];
		int dv = digit_word(w);
		if (dv >= 0) {
			if (pending >= 0)
				return -1;
			pending = dv;
		} else if (!strcmp(w, "muoi") || !strcmp(w, "chuc")) {
			seg += pending >= 0 ? pending * 10 : 10;
			pending = -1;
		} else if (!strcmp(w, "tram")) {
			if (pending < 0)
				return -1;
			seg += pending * 100;
			pending = -1;
		} else if (!strcmp(w, "nghin") || !strcmp(w, "ngan")) {
			total += (seg + (pending >= 0 ? pending : 0)) * 1000;
			seg = 0;
			pending = -1;
		} else if (strcmp(w, "linh") && strcmp(w, "le")) {
			return -1;
		}
		any = 1;
	}
	if (!any)
		return -1;
	return total + seg + (pending >= 0 ? pending : 0);
}

/* Split a folded string into words (punctuation dropped); caller frees. */
static int fold_words(const char *s, char ***out)
{
	char *f = text_fold(s);
	for (char *p = f; *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = ' ';
	char **tok = NULL;
	int n = 0;
	size_t cap = 0;
	for (char *p = f; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *w = p;
		while (*p && *p != ' ')
			p++;
		ALLOC_GROW(tok, (size_t)n + 1, cap);
		tok[n++] = xstrndup(w, (size_t)(p - w));
	}
	free(f);
	*out = tok;
	return n;
}

static void words_free(char **tok, int n)
{
	for (int i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
}

int vnum_from_words(const char *s)
{
	char **tok;
	int n = fold_words(s, &tok);
	int v = vnum_tokens(tok, n);
	words_free(tok, n);
	return v;
}

static int month_words(char **tok, int n)
{
	if (n == 1 && !strcmp(tok[0], "gieng"))
		return 1;
	if (n == 1 && !strcmp(tok[0], "chap"))
		return 12;
	return vnum_tokens(tok, n);
}

/*
 * "Ngày [mồng] D Tháng M Năm Y".  The month itself may be "Năm" (May), so
 * the keyword năm is the first one after at least one month word.
 */
int vdate_from_words(const char *s, struct vdate *d)
{
	char **tok;
	int n = fold_words(s, &tok), i = 0, rc = -1;
	memset(d, 0, sizeof(*d));
	if (i < n && !strcmp(tok[i], "ngay"))
		i++;
	if (i < n && (!strcmp(tok[i], "mong") || !strcmp(tok[i], "mung")))
		i++;
	int day0 = i;
	while (i < n && strcmp(tok[i], "thang"))
		i++;
	if (i >= n)
		goto out;
	int day1 = i++, mon0 = i;
	while (i < n && (i == mon0 || strcmp(tok[i], "nam")))
		i++;
	if (i >= n)
		goto out;
	int mon1 = i++;
	d->d = vnum_tokens(tok + day0, day1 - day0);
	d->m = month_words(tok + mon0, mon1 - mon0);
	d->y = vnum_tokens(tok + i, n - i);
	if (d->d > 0 && d->m > 0 && d->y > 0)
		rc = 0;
out:
	words_free(tok, n);
	return rc;
}

/* ---- checkers ------------------------------------------------------------- */

/* Earliest plausible year by column: registers of this kind did not exist
 * before; people born before 1880 are not in them. */
static int min_year(const char *col)
{
	if (!strcmp(col, "ngayDangKy") || strstr(col, "Chet"))
		return 1945;
	if (strstr(col, "NgaySinh"))
		return 1880;
	return 1900;
}

/* A year one digit away from a plausible one (5005 -> 2005), or 0. */
static int year_slip(int y, int lo, int hi)
{
	int found = 0, n = 0;
	for (int pos = 1; pos <= 1000; pos *= 10) {
		int digit = (y / pos) % 10;
		for (int dv = 0; dv <= 9; dv++) {
			int cand = y + (dv - digit) * pos;
			if (dv != digit && cand >= lo && cand <= hi) {
				found = cand;
				n++;
			}
		}
	}
	return n == 1 ? found : 0;
}

static void check_range(struct vrun *vr, const struct vdate *d, const char *shown)
{
	int lo = min_year(vr->col);
	const struct vdate *t = &vr->vc->today;
	if (d->y >= lo && vdate_cmp(d, t) <= 0)
		return;
	int slip = year_slip(d->y, lo, t->y);
	if (slip)
		vrun_find(vr, "date_implausible", SEV_ERROR,
			  "Năm không hợp lý: %s (có thể là năm %d?)", shown, slip);
	else if (d->y > t->y || vdate_cmp(d, t) > 0)
		vrun_find(vr, "date_implausible", SEV_ERROR, "Ngày ở tương lai: %s", shown);
	else
		vrun_find(vr, "date_implausible", SEV_WARNING, "Năm quá sớm: %s (trước %d)", shown, lo);
}

/*
 * Slips of shape an engine makes in a date, undone only where nothing else
 * would make it a date: a day or month led by 6, 8 or 9 where only 0 gives
 * one ('97/01/1996', '22/93/1996': a slashed or dotted zero), and a slash
 * read as 1 or 7 between month and year ('06/0172001').  NULL when the
 * reading has none of these or is no real date undone.
 */
static char *date_unslipped(const char *in)
{
	int g[3][8], len[3] = {0, 0, 0}, n = 0;
	for (const char *p = in; *p && n <= 3; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		if (n == 3)
			return NULL;
		while (isdigit((unsigned char)*p) && len[n] < 8)
			g[n][len[n]++] = *p++ - '0';
		if (isdigit((unsigned char)*p))
			return NULL;
		n++;
		if (!*p)
			break;
	}
	int d[2], m[2], y;
	if (n == 2 && len[0] <= 2 && len[1] == 7 && (g[1][2] == 1 || g[1][2] == 7)) {
		/* dd / mm?yyyy */
		for (int i = 0; i < 2; i++)
			d[i] = len[0] == 2 ? g[0][i] : (i ? g[0][0] : 0);
		m[0] = g[1][0], m[1] = g[1][1];
		y = g[1][3] * 1000 + g[1][4] * 100 + g[1][5] * 10 + g[1][6];
	} else if (n == 3 && len[0] == 2 && len[1] == 2 && len[2] == 4) {
		d[0] = g[0][0], d[1] = g[0][1], m[0] = g[1][0], m[1] = g[1][1];
		y = g[2][0] * 1000 + g[2][1] * 100 + g[2][2] * 10 + g[2][3];
		int day = d[0] * 10 + d[1], mon = m[0] * 10 + m[1];
		if (day > 31 && (d[0] == 6 || d[0] == 8 || d[0] == 9))
			d[0] = 0;
		if (mon > 12 && (m[0] == 6 || m[0] == 8 || m[0] == 9))
			m[0] = 0;
		if (d[0] * 10 + d[1] == day && m[0] * 10 + m[1] == mon)
			return NULL;
	} else {
		return NULL;
	}
	struct vdate v = {y, m[0] * 10 + m[1], d[0] * 10 + d[1]};
	if (!vdate_exists(&v))
		return NULL;
	char out[16];
	vdate_format(&v, out);
	return xstrdup(out);
}

static char *check_date(struct vrun *vr, const char *in, int year_only_ok)
{
	struct vdate d;
	if (!*in)
		return xstrdup("");
	char *fixed = date_unslipped(in);
	if (fixed) {
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("chữ số đọc nhầm hình dạng: '%s'", in);
		char *out = check_date(vr, fixed, year_only_ok);
		free(fixed);
		return out;
	}
	if (vdate_parse(in, &d) < 0 || (!year_only_ok && d.m == 0)) {
		vrun_find(vr, "date_format", SEV_WARNING, "Ngày không đúng định dạng: %s", in);
		return xstrdup(in);
	}
	char out[16];
	vdate_format(&d, out);
	if (!vdate_exists(&d)) {
		vrun_find(vr, "date_invalid", SEV_ERROR, "Ngày không tồn tại: %s", out);
		return xstrdup(out);
	}
	check_range(vr, &d, out);
	return xstrdup(out);
}

char *vchk_date(struct vrun *vr, const char *in)
{
	return check_date(vr, in, 0);
}

/* Dates of birth: a year alone is the rule for parents and allowed in old books. */
char *vchk_birth(struct vrun *vr, const char *in)
{
	return check_date(vr, in, 1);
}

char *vchk_date_words(struct vrun *vr, const char *in)
{
	struct vdate d;
	if (!*in)
		return xstrdup("");
	if (vdate_from_words(in, &d) < 0) {
		vrun_find(vr, "date_words_format", SEV_WARNING, "Không đọc được ngày ghi bằng chữ: %s",
			  in);
	} else if (!vdate_exists(&d)) {
		char out[16];
		vdate_format(&d, out);
		vrun_find(vr, "date_invalid", SEV_ERROR, "Ngày ghi bằng chữ không tồn tại: %s", out);
	}
	return xstrdup(in);
}

/* "14:30", "14h30", "14 giờ 30 phút", "14 giờ": hour and minute, or -1. */
static int parse_time(const char *in, int *h, int *m)
{
	char *f = text_fold(in);
	int n = 0, v[2] = {0, 0}, rc = -1;
	const char *p = f;
	while (*p) {
		if (isdigit((unsigned char)*p)) {
			if (n == 2)
				goto out;
			int k = 0;
			while (isdigit((unsigned char)*p) && k < 3)
				v[n] = v[n] * 10 + (*p++ - '0'), k++;
			if (k > 2)
				goto out;
			n++;
		} else if (!strncmp(p, "gio", 3) || !strncmp(p, "phut", 4)) {
			p += *p == 'g' ? 3 : 4;
		} else if (strchr(":h. ", *p)) {
			p++;
		} else {
			goto out;
		}
	}
	if (n >= 1) {
		*h = v[0];
		*m = v[1];
		rc = 0;
	}
out:
	free(f);
	return rc;
}

char *vchk_time(struct vrun *vr, const char *in)
{
	int h, m;
	if (!*in)
		return xstrdup("");
	if (parse_time(in, &h, &m) < 0) {
		vrun_find(vr, "time_format", SEV_WARNING, "Giờ không đúng định dạng: %s", in);
		return xstrdup(in);
	}
	if (h > 23 || m > 59)
		vrun_find(vr, "time_invalid", SEV_ERROR, "Giờ không tồn tại: %s", in);
	return xasprintf("%02d:%02d", h, m);
}

/*
 * "14 giờ 30 phút, ngày 05/03/2021" -> time "14 giờ 30 phút" and date
 * "05/03/2021".  The time ends at "phút" or at a leading "14h30"/"14:30".
 */
void vsplit_death_time(const char *in, struct vsplit *sp)
{
	memset(sp, 0, sizeof(*sp));
	char *f = text_fold(in);
	const char *cut = strstr(f, "phut");
	size_t tlen = 0;
	if (cut) {
		tlen = (size_t)(cut - f) + 4;
	} else {
		const char *p = f;
		while (isdigit((unsigned char)*p))
			p++;
		if (p > f && p - f <= 2 && (*p == 'h' || *p == ':') && isdigit((unsigned char)p[1]) &&
		    !strchr("/.-", p[3])) {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
			tlen = (size_t)(p - f);
		} else if (strstr(f, "gio")) {
			tlen = (size_t)(strstr(f, "gio") - f) + 3;
		}
	}
	if (tlen) {
		sp->part[1] = xstrndup(f, tlen);
		const char *rest = f + tlen;
		while (*rest == ',' || *rest == ' ')
			rest++;
		sp->part[0] = xstrdup(rest);
	}
	free(f);
}
