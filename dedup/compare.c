/*
 * Comparators: folding, Jaro-Winkler, OCR-aware edit distance, dates and
 * IDs.  Strings are compared as arrays of code points, cut at MAXCP (names
 * and places are short; a longer tail adds nothing to a match decision).
 */
#include "dedup/dedup.h"

#include <stdlib.h>
#include <string.h>

#define MAXCP 96
#define FOLD_MAX 0x2000	/* Latin, Greek, Cyrillic, Latin Extended Additional */

static int32_t fold_tab[FOLD_MAX];
static int fold_ready;

/* One code point folded by text_fold (utf8proc): its first code point, or 0. */
static int32_t fold_one(int32_t cp)
{
	char in[5];
	in[text_encode(cp, in)] = 0;
	char *f = text_fold(in);
	int32_t out = 0;
	if (f && *f && text_decode(f, strlen(f), &out) <= 0)
		out = 0;
	free(f);
	return out;
}

void dedup_init(void)
{
	if (fold_ready)
		return;
	for (int32_t cp = 0; cp < FOLD_MAX; cp++) {
		if (cp < 0x80)
			fold_tab[cp] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
		else if (cp >= 0xD800 || (cp >= 0x300 && cp < 0x370))
			fold_tab[cp] = 0; /* combining marks: dropped */
		else
			fold_tab[cp] = fold_one(cp);
	}
	fold_ready = 1;
}

static int32_t fold_cp(int32_t cp)
{
	return cp >= 0 && cp < FOLD_MAX ? fold_tab[cp] : cp;
}

/* Decode s into cp (at most MAXCP); returns the count. */
static int decode(const char *s, int32_t *cp)
{
	size_t len = strlen(s), i = 0;
	int n = 0;
	while (i < len && n < MAXCP) {
		if (!((unsigned char)s[i] & 0x80)) { /* folded text is mostly ASCII */
			cp[n++] = (unsigned char)s[i++];
			continue;
		}
		int k = text_decode(s + i, len - i, &cp[n]);
		if (k <= 0) {
			i++;
			continue;
		}
		i += (size_t)k;
		n++;
	}
	return n;
}

char *dedup_fold(const char *s)
{
	dedup_init();
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s), i = 0;
	int space = 0;
	while (i < len) {
		int32_t cp;
		int k = text_decode(s + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		i += (size_t)k;
		int32_t f = fold_cp(cp);
		if (f == ' ' || f == '\t' || f == '\n' || f == '\r') {
			space = sb.len > 0;
			continue;
		}
		if (!f)
			continue;
		if (space)
			sb_addc(&sb, ' ');
		space = 0;
		sb_add_cp(&sb, f);
	}
	return sb_detach(&sb);
}

double dedup_jaro_winkler(const char *a, const char *b)
{
	int32_t x[MAXCP], y[MAXCP];
	int n = decode(a, x), m = decode(b, y);
	if (!n && !m)
		return 1;
	if (!n || !m)
		return 0;
	int win = (n > m ? n : m) / 2 - 1;
	if (win < 0)
		win = 0;
	char mx[MAXCP] = {0}, my[MAXCP] = {0};
	int matches = 0;
	for (int i = 0; i < n; i++) {
		int lo = i - win > 0 ? i - win : 0, hi = i + win + 1 < m ? i + win + 1 : m;
		for (int j = lo; j < hi; j++)
			if (!my[j] && x[i] == y[j]) {
				mx[i] = my[j] = 1;
				matches++;
				break;
			}
	}
	if (!matches)
		return 0;
	int t = 0;
	for (int i = 0, j = 0; i < n; i++) {
		if (!mx[i])
			continue;
		while (!my[j])
			j++;
		if (x[i] != y[j])
			t++;
		j++;
	}
	double md = matches;
	double jaro = (md / n + md / m + (md - t / 2.0) / md) / 3.0;
	int prefix = 0;
	while (prefix < 4 && prefix < n && prefix < m && x[prefix] == y[prefix])
		prefix++;
	return jaro + prefix * 0.1 * (1 - jaro);
}

static int lookalike(int32_t a, int32_t b)
{
	static const char pairs[][2] = {
		{'0', 'o'}, {'1', 'l'}, {'1', 'i'}, {'l', 'i'}, {'5', 's'}, {'8', 'b'},
		{'2', 'z'}, {'6', 'b'}, {'0', 'd'}, {'u', 'v'},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++)
		if ((a == pairs[i][0] && b == pairs[i][1]) || (a == pairs[i][1] && b == pairs[i][0]))
			return 1;
	return 0;
}

static double sub_cost(int32_t a, int32_t b)
{
	if (a == b)
		return 0;
	int32_t fa = fold_cp(a), fb = fold_cp(b);
	if (fa == fb)
		return 0.25;
	return lookalike(fa, fb) ? 0.5 : 1;
}

double dedup_ocr_distance_max(const char *a, const char *b, double max)
{
	dedup_init();
	int32_t x[MAXCP], y[MAXCP];
	int n = decode(a, x), m = decode(b, y);
	if (abs(n - m) > max)
		return max + 1;
	double row[MAXCP + 1], prev[MAXCP + 1];
	for (int j = 0; j <= m; j++)
		prev[j] = j;
	for (int i = 1; i <= n; i++) {
		row[0] = i;
		double low = row[0];
		for (int j = 1; j <= m; j++) {
			double best = prev[j - 1] + sub_cost(x[i - 1], y[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			low = best < low ? best : low;
		}
		if (low > max) /* every path is already too long */
			return max + 1;
		memcpy(prev, row, sizeof(double) * (size_t)(m + 1));
	}
	return prev[m];
}

double dedup_ocr_distance(const char *a, const char *b)
{
	return dedup_ocr_distance_max(a, b, 1e9);
}

/* ---- dates -------------------------------------------------------------- */

/* Digits of s with OCR's letter-for-digit slips undone, split on anything else. */
static int date_parts(const char *s, char part[3][9])
{
	int np = 0, len = 0;
	memset(part, 0, 3 * 9);
	for (const char *p = s;; p++) {
		char c = *p;
		if (c == 'o' || c == 'O')
			c = '0';
		else if (c == 'l' || c == 'I')
			c = '1';
		if (c >= '0' && c <= '9') {
			if (np >= 3 || len >= 8)
				return -1;
			part[np][len++] = c;
			continue;
		}
		if (len) {
			np++;
			len = 0;
		}
		if (!c)
			break;
	}
	return np;
}

static int all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void two(char out[2], const char *s)
{
	size_t n = strlen(s);
	out[0] = n >= 2 ? s[n - 2] : '0';
	out[1] = s[n - 1];
}

void dedup_date_norm(const char *s, char out[9])
{
	char part[3][9];
	out[0] = 0;
	int np = date_parts(s ? s : "", part);
	if (np == 3 && strlen(part[2]) == 4 && strlen(part[0]) <= 2 && strlen(part[1]) <= 2) {
		memcpy(out, part[2], 4);
		two(out + 4, part[1]);
		two(out + 6, part[0]);
		out[8] = 0;
	} else if (np == 3 && strlen(part[0]) == 4 && strlen(part[1]) <= 2 && strlen(part[2]) <= 2) {
		memcpy(out, part[0], 4); /* yyyy-mm-dd */
		two(out + 4, part[1]);
		two(out + 6, part[2]);
		out[8] = 0;
	} else if (np == 1 && strlen(part[0]) == 4) {
		memcpy(out, part[0], 4);
		memcpy(out + 4, "0000", 5);
	} else if (np == 1 && strlen(part[0]) == 8 && all_digits(part[0], 8)) {
		const char *d = part[0];
		if ((d[0] == '1' && d[1] >= '7') || (d[0] == '2' && d[1] == '0'))
			memcpy(out, d, 9); /* yyyymmdd */
		else {
			memcpy(out, d + 4, 4); /* ddmmyyyy */
			memcpy(out + 4, d + 2, 2);
			memcpy(out + 6, d, 2);
			out[8] = 0;
		}
	}
}

static int hamming(const char *a, const char *b, int n)
{
	int d = 0;
	for (int i = 0; i < n; i++)
		d += a[i] != b[i];
	return d;
}

/* a and b differ by one swap of neighbours. */
static int transposed(const char *a, const char *b, int n)
{
	for (int i = 0; i + 1 < n; i++)
		if (a[i] != b[i])
			return a[i] == b[i + 1] && a[i + 1] == b[i] &&
			       !memcmp(a + i + 2, b + i + 2, (size_t)(n - i - 2));
	return 0;
}

int dedup_date_level(const char *a, const char *b)
{
	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 3;
	int fa = strcmp(a + 4, "0000") != 0, fb = strcmp(b + 4, "0000") != 0;
	if (fa && fb) {
		if (!memcmp(a, b, 4) && !memcmp(a + 4, b + 6, 2) && !memcmp(a + 6, b + 4, 2))
			return 2; /* day and month swapped */
		if (hamming(a, b, 8) == 1 || transposed(a, b, 8))
			return 2;
	} else if (!fa && !fb && (hamming(a, b, 4) == 1 || transposed(a, b, 4))) {
		return 2;
	}
	return memcmp(a, b, 4) ? 0 : 1;
}

/* a is b with one character more. */
static int one_extra(const char *a, size_t na, const char *b)
{
	size_t i = 0;
	while (i < na - 1 && a[i] == b[i])
		i++;
	return !strcmp(a + i + 1, b + i);
}

int dedup_id_level(const char *a, const char *b)
{
	if (!*a || !*b)
		return -1;
	if (!strcmp(a, b))
		return 2;
	size_t na = strlen(a), nb = strlen(b);
	if (na == nb)
		return hamming(a, b, (int)na) == 1 || transposed(a, b, (int)na) ? 1 : 0;
	if (na == nb + 1)
		return one_extra(a, na, b);
	if (nb == na + 1)
		return one_extra(b, nb, a);
	return 0;
}
