/*
 * UTF-8 text through utf8proc: NFC, folding for comparison, title case.
 * Values keep their tone-mark placement (Thuỳ / Thùy); only the folded key
 * used for comparison loses it.
 */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static char *map(const char *s, utf8proc_option_t opt)
{
	if (!s)
		return NULL;
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  opt | UTF8PROC_NULLTERM);
	if (n < 0) {
		/* Invalid UTF-8: replace bad bytes, then try once more. */
		struct strbuf sb = STRBUF_INIT;
		size_t len = strlen(s), i = 0;
		while (i < len) {
			int32_t cp;
			int k = text_decode(s + i, len - i, &cp);
			if (k <= 0) {
				sb_adds(&sb, "\xEF\xBF\xBD");
				i++;
			} else {
				sb_add(&sb, s + i, (size_t)k);
				i += (size_t)k;
			}
		}
		char *fixed = sb_detach(&sb);
		n = utf8proc_map((const utf8proc_uint8_t *)fixed, 0, &out,
				 opt | UTF8PROC_NULLTERM);
		free(fixed);
		if (n < 0)
			return xstrdup("");
	}
	char *r = xstrdup((char *)out);
	free(out);
	return r;
}

char *text_nfc(const char *s)
{
	return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

char *text_squeeze(const char *s)
{
	if (!s)
		return NULL;
	char *n = text_nfc(s);
	struct strbuf sb = STRBUF_INIT;
	int space = 0;
	for (const char *p = n; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = 1;
			continue;
		}
		if (space && sb.len)
			sb_addc(&sb, ' ');
		space = 0;
		sb_addc(&sb, (char)c);
	}
	free(n);
	return sb_detach(&sb);
}

int text_encode(int32_t cp, char out[4])
{
	if (!utf8proc_codepoint_valid(cp))
		cp = 0xFFFD;
	return (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
}

void sb_add_cp(struct strbuf *sb, int32_t cp)
{
	char buf[4];
	sb_add(sb, buf, (size_t)text_encode(cp, buf));
}

/* Map each code point through fn, appending the UTF-8 result. */
static char *map_cases(const char *s, int32_t (*fn)(int32_t))
{
	if (!s)
		return NULL;
	char *n = text_nfc(s);
	struct strbuf sb = STRBUF_INIT;
	int32_t cp;
	for (size_t i = 0, len = strlen(n); text_next(n, len, &i, &cp);)
		sb_add_cp(&sb, fn(cp));
	free(n);
	return sb_detach(&sb);
}

static int32_t lower_cp(int32_t c) { return utf8proc_tolower(c); }
static int32_t upper_cp(int32_t c) { return utf8proc_toupper(c); }

char *text_lower(const char *s) { return map_cases(s, lower_cp); }
char *text_upper(const char *s) { return map_cases(s, upper_cp); }

char *text_fold(const char *s)
{
	if (!s)
		return NULL;
	/* Decompose, drop marks, lower-case; đ has no decomposition. */
	char *d = map(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
			     UTF8PROC_CASEFOLD);
	struct strbuf sb = STRBUF_INIT;
	int32_t cp;
	for (size_t i = 0, len = strlen(d); text_next(d, len, &i, &cp);)
		sb_add_cp(&sb, cp == 0x0111 || cp == 0x0110 ? 'd' : cp);
	free(d);
	char *r = text_squeeze(sb_str(&sb));
	sb_release(&sb);
	return r;
}

char *text_title(const char *s)
{
	if (!s)
		return NULL;
	char *n = text_squeeze(s);
	struct strbuf sb = STRBUF_INIT;
	int start = 1;
	int32_t cp;
	for (size_t i = 0, len = strlen(n); text_next(n, len, &i, &cp);) {
		sb_add_cp(&sb, start ? utf8proc_toupper(cp) : utf8proc_tolower(cp));
		start = (cp == ' ' || cp == '-');
	}
	free(n);
	return sb_detach(&sb);
}

int text_decode(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)n, &c);
	if (k <= 0)
		return -1;
	*cp = c;
	return (int)k;
}

int text_next(const char *s, size_t len, size_t *i, int32_t *cp)
{
	if (*i >= len)
		return 0;
	int k = text_decode(s + *i, len - *i, cp);
	if (k <= 0)
		return 0;
	*i += (size_t)k;
	return 1;
}

int text_valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		int32_t cp;
		int k = text_decode(s + i, n - i, &cp);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

size_t text_codepoints(const char *s)
{
	size_t n = 0, len = strlen(s), i = 0;
	while (i < len) {
		int32_t cp;
		int k = text_decode(s + i, len - i, &cp);
		i += k > 0 ? (size_t)k : 1;
		n++;
	}
	return n;
}

/* Code points of s[0..len) into v (cap entries, or a new array when short). */
static int32_t *to_cps(const char *s, size_t len, int32_t *v, size_t cap, size_t *n)
{
	size_t i = 0, m = 0;
	if (len > cap)
		v = xmalloc(len * sizeof(*v));
	while (i < len) {
		int k = text_decode(s + i, len - i, &v[m]);
		if (k <= 0) {
			v[m] = 0xFFFD;
			k = 1;
		}
		i += (size_t)k;
		m++;
	}
	*n = m;
	return v;
}

static int levenshtein(const int32_t *x, size_t na, const int32_t *y, size_t nb, int *row)
{
	for (size_t j = 0; j <= nb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= nb; j++) {
			int up = row[j];
			int best = diag + (x[i - 1] != y[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

/* Short keys (the OCR's labels, names) stay on the stack: no allocation per call. */
#define DIST_STACK 128

int text_distance_n(const char *a, size_t na, const char *b, size_t nb)
{
	int32_t xs[DIST_STACK], ys[DIST_STACK];
	int rows[DIST_STACK + 1];
	size_t nx, ny;
	int32_t *x = to_cps(a, na, xs, DIST_STACK, &nx), *y = to_cps(b, nb, ys, DIST_STACK, &ny);
	int *row = ny <= DIST_STACK ? rows : xmalloc((ny + 1) * sizeof(*row));
	int d = levenshtein(x, nx, y, ny, row);
	if (row != rows)
		free(row);
	if (x != xs)
		free(x);
	if (y != ys)
		free(y);
	return d;
}

int text_distance(const char *a, const char *b)
{
	return text_distance_n(a, strlen(a), b, strlen(b));
}
