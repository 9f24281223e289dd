/*
 * noise: marks an OCR engine reads out of grain, rule stubs and the gaps
 * between cells ("Kinh, .", "Trần Đức Tuấn .", "06/01/2001:", "Võ -Kim"),
 * taken off a value before it is checked.  The raw reading is kept as it
 * was read; only what the checks see, and so the value, loses them.
 * No value but free text ends with punctuation; a name's words, and a
 * place's but for the commas between its parts, are letters and digits
 * with at most an apostrophe or hyphen inside them (K'Ho, Khơ-me).
 */
#include "validate/internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * Punctuation and symbols that no value starts or ends with, and the
 * spacing modifier letters (U+02B0-U+02FF: ˆ ˜ ˋ ˊ), which are a tone or
 * vowel mark read apart from its letter: no Vietnamese word holds one.
 */
static int noise_cp(int32_t cp)
{
	if (cp < 0x80)
		return cp > ' ' && cp != '(' && cp != ')' && !(cp >= '0' && cp <= '9') &&
		       !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	return (cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x02B0 && cp <= 0x02FF) || (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x2190 && cp <= 0x25FF);
}

/* Bytes [*b, *e) of s without noise at either end. */
static void trim_span(const char *s, size_t *b, size_t *e)
{
	int32_t cp;
	int k;
	while (*b < *e && (k = text_decode(s + *b, *e - *b, &cp)) > 0 &&
	       (noise_cp(cp) || cp == ' '))
		*b += (size_t)k;
	while (*e > *b) {
		size_t j = *e - 1;
		while (j > *b && ((unsigned char)s[j] & 0xC0) == 0x80)
			j--;
		if (text_decode(s + j, *e - j, &cp) <= 0 || !(noise_cp(cp) || cp == ' '))
			break;
		*e = j;
	}
}

/* A word that may name a unit's type: a stop after it is noise ('tỉnh. Ninh
 * Thuận'); a comma may be real, the word ending a name ('Tung Chung Phố,'). */
static int unit_word(const char *w, size_t n)
{
	char *cut = xstrndup(w, n), *f = text_fold(cut);
	int yes = vplace_type_last_word(f);
	free(cut);
	free(f);
	return yes;
}

/*
 * Where in the word [w, w+n) a stroke read between a unit's type and its
 * name ('thành phố-Hà Nội', 'huyện–Chương Mỹ') joins them: the byte of the
 * hyphen or dash after a type word, or n.  A hyphen inside a name stays
 * ('Phan Rang-Tháp Chàm' has no type word before it).
 */
static size_t type_joint(const char *w, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		size_t dash = w[i] == '-' ? 1 : !strncmp(w + i, "\u2013", 3) ? 3 : 0;
		if (dash && i + dash < n && unit_word(w, i))
			return i;
	}
	return n;
}

/* The word [s+b, s+e) into sb, split where a stroke joins a type to a name. */
static void add_word(struct strbuf *sb, const char *s, size_t b, size_t e, int place)
{
	size_t j = place ? type_joint(s + b, e - b) : e - b;
	if (sb->len)
		sb_addc(sb, ' ');
	sb_add(sb, s + b, j);
	if (j == e - b)
		return;
	size_t nb = b + j, ne = e;
	trim_span(s, &nb, &ne);
	if (ne > nb) {
		sb_addc(sb, ' ');
		sb_add(sb, s + nb, ne - nb);
	}
}

/*
 * Each word trimmed, words of nothing but noise dropped.  comma: a comma
 * (or a stop) in what a word loses is kept after it (a place's parts are separated
 * by commas, and one at the end says the rest was cut at the line's end).
 */
static char *trim_words(const char *s, int comma)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		size_t b = i, e = j;
		trim_span(s, &b, &e);
		if (e > b) {
			add_word(&sb, s, b, e, comma);
			/* First separator in the tail; place.c reads a stop or
			 * semicolon before a unit word as the comma it was. */
			size_t k = comma ? e + strcspn(s + e, ",.;") : j;
			if (k < j && (s[k] == ',' || !unit_word(s + b, e - b)))
				sb_addc(&sb, s[k]);
		}
		i = j + 1;
	}
	char *out = xstrdup(sb_str(&sb));
	sb_release(&sb);
	return out;
}

/* Does s hold a letter (any byte of a multi-byte letter counts)? */
static int has_letter(const char *s)
{
	for (; *s; s++)
		if (((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') || (unsigned char)*s >= 0xC0)
			return 1;
	return 0;
}

/* How many digits the word [w, w+n) holds. */
static int digits_in(const char *w, size_t n)
{
	int d = 0;
	for (size_t i = 0; i < n; i++)
		d += w[i] >= '0' && w[i] <= '9';
	return d;
}

static int has_digit(const char *w, size_t n)
{
	return digits_in(w, n) > 0;
}

/*
 * A date or a number is one word; a name has no digit.  What follows a
 * value of that shape on its line is the remains of another field whose
 * label was lost ('27/08/2017 Giới', '16 Ngày đã#gký...', 'Trần Ngọc Nhung
 * Năm-Sinbzt977'): the value is its first word when letters follow it,
 * or a name the words before the first word with two digits or more (one
 * may be a letter misread: '0anh').  Returns
 * the bytes to keep.
 */
static size_t shape_end(const char *s, enum validate_ftype type)
{
	size_t first = strcspn(s, " ");
	if (!s[first])
		return first;
	/* A date's first word is a whole date or year ('14 giờ 30 phút' is not). */
	int whole = type == VT_NUMBER || first == 4 || memchr(s, '/', first) ||
		    memchr(s, '.', first) || memchr(s, '-', first);
	if (type == VT_DATE || type == VT_NUMBER)
		return whole && has_digit(s, first) && has_letter(s + first) ? first : strlen(s);
	if (type != VT_NAME)
		return strlen(s);
	for (size_t i = 0, words = 0; s[i]; words++) {
		size_t n = strcspn(s + i, " ");
		if (words >= 2 && digits_in(s + i, n) >= 2)
			return i - 1;
		i += n + (s[i + n] == ' ');
	}
	return strlen(s);
}

char *vnoise_trim(const char *in, enum validate_ftype type)
{
	char *sq = text_squeeze(in);
	sq[shape_end(sq, type)] = '\0';
	/* Free text (remarks) may end in a full stop of its own. */
	if (type == VT_TEXT)
		return sq;
	if (type == VT_NAME || type == VT_PLACE) {
		char *out = trim_words(sq, type == VT_PLACE);
		free(sq);
		return out;
	}
	size_t b = 0, e = strlen(sq);
	trim_span(sq, &b, &e);
	char *out = xstrndup(sq + b, e - b);
	free(sq);
	return out;
}

/* ---- a tone mark on the wrong vowel --------------------------------------- */

/* s as code points, *n of them; caller frees. */
static int32_t *code_points(const char *s, size_t *n)
{
	size_t len = strlen(s), cap = 0;
	int32_t *cps = NULL, cp;
	*n = 0;
	for (size_t i = 0; text_next(s, len, &i, &cp);) {
		ALLOC_GROW(cps, *n + 1, cap);
		cps[(*n)++] = cp;
	}
	return cps;
}

/* The letter that is base with tone t (1..5); base itself when none is. */
static int32_t with_tone(const struct validate_ctx *vc, int32_t base, int t)
{
	for (int32_t c = 0; c < TONE_CP_MAX; c++)
		if (vc->tone_base[c] == base && vc->tone[c] == t)
			return c;
	return base;
}

/*
 * Both tone placements (Hoà and Hòa) seat the tone on a syllable's marked
 * vowel when it has one (Dầu, Tiếng, Được: on ơ of ươ); a tone read beside
 * it ('Dâù', 'Tiêńg' after the n is gone) is the same syllable with the
 * mark slipped a letter.  One syllable of cps[0..n): moves the tone there.
 */
static int seat_syllable(const struct validate_ctx *vc, int32_t *cps, size_t n)
{
	size_t toned = n, hat = n;
	int tones = 0;
	for (size_t i = 0; i < n; i++) {
		if (cps[i] >= TONE_CP_MAX)
			return 0;
		if (vc->tone[cps[i]]) {
			toned = i;
			tones++;
		}
		if (vmarked_vowel(vc->tone_base[cps[i]]))
			hat = i;	/* the last: ơ of ươ */
	}
	if (tones != 1 || hat == n || hat == toned || vmarked_vowel(vc->tone_base[cps[toned]]))
		return 0;
	int t = vc->tone[cps[toned]];
	cps[toned] = vc->tone_base[cps[toned]];
	cps[hat] = with_tone(vc, cps[hat], t);
	return 1;
}

char *vnoise_seat_tones(const struct validate_ctx *vc, const char *s)
{
	size_t n;
	int32_t *cps = code_points(s, &n);
	int moved = 0;
	for (size_t b = 0; b < n;) {
		size_t e = b;
		while (e < n && vletter(vc, cps[e]))
			e++;
		moved += e > b && seat_syllable(vc, cps + b, e - b);
		b = e + (e == b);
	}
	if (!moved) {
		free(cps);
		return xstrdup(s);
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sb_add_cp(&sb, cps[i]);
	free(cps);
	return sb_detach(&sb);
}

/* ---- a mark read apart from its letter, inside a name ------------------- */

/* The tone a spacing mark stands for: ` ˋ huyền, ´ ˊ sắc, ˜ ~ ngã; 0 for a
 * quote (” “) that may be any of them; -1 for anything else. */
static int apart_tone(int32_t cp)
{
	switch (cp) {
	case '`': case 0x2CB:
		return 1;
	case 0xB4: case 0x2CA:
		return 2;
	case '~': case 0x2DC:
		return 4;
	case 0x201C: case 0x201D:
		return 0;
	default:
		return -1;
	}
}

/* cps[0..n), a syllable without a tone, with tone t on its marked vowel,
 * else on its only vowel; unchanged when neither is clear. */
static void tone_onto(const struct validate_ctx *vc, int32_t *cps, size_t n, int t)
{
	size_t vowel = n, vowels = 0, hat = n;
	for (size_t i = 0; i < n; i++) {
		if (cps[i] >= TONE_CP_MAX || vc->tone[cps[i]])
			return;
		if (vmarked_vowel(vc->tone_base[cps[i]]))
			hat = i;
		if (strchr("aeiouyAEIOUY", (int)cps[i]) && cps[i] < 0x80) {
			vowel = i;
			vowels++;
		}
	}
	size_t at = hat < n ? hat : vowels == 1 ? vowel : n;
	if (t > 0 && at < n)
		cps[at] = with_tone(vc, cps[at], t);
}

/*
 * A typewriter face draws marks apart from their letters, and the engine
 * reads one as a character of its own, joining two words: 'Hô`thanh' is
 * Hồ Thanh.  The word splits at the mark and the mark, when it names a
 * tone, goes back onto the syllable before it.
 */
static char *names_marks_apart(const struct validate_ctx *vc, const char *s)
{
	size_t n;
	int32_t *cps = code_points(s, &n);
	struct strbuf sb = STRBUF_INIT;
	size_t word = 0;	/* where the current word began */
	for (size_t i = 0; i < n; i++) {
		int t = apart_tone(cps[i]);
		if (t >= 0 && i > word && i + 1 < n && vletter(vc, cps[i - 1]) &&
		    vletter(vc, cps[i + 1])) {
			tone_onto(vc, cps + word, i - word, t);
			for (size_t k = word; k < i; k++)
				sb_add_cp(&sb, cps[k]);
			sb_addc(&sb, ' ');
			word = i + 1;
			continue;
		}
		if (cps[i] == ' ') {
			for (size_t k = word; k <= i; k++)
				sb_add_cp(&sb, cps[k]);
			word = i + 1;
		}
	}
	for (size_t k = word; k < n; k++)
		sb_add_cp(&sb, cps[k]);
	free(cps);
	return sb_detach(&sb);
}

/* A place's word cased by a slip ('xã THanh Tuyền'): its first letter as
 * read, the rest lower.  Words all in capitals (II, UBND) stay. */
static void place_word_cased(const struct validate_ctx *vc, struct strbuf *sb, const char *w)
{
	size_t n = strlen(w), k = 0, i = 0;
	int32_t cp;
	int letters = 1;
	while (text_next(w, n, &i, &cp)) {
		letters &= vletter(vc, cp);
		if (!k)
			k = i;	/* past the first letter */
	}
	const char *rest = w + k;
	char *lo = text_lower(rest), *up = text_upper(rest);
	if (letters && *rest && strcmp(rest, lo) && strcmp(rest, up))
		sb_addf(sb, "%.*s%s", (int)k, w, lo);
	else
		sb_adds(sb, w);
	free(lo);
	free(up);
}

static char *places_cased(const struct validate_ctx *vc, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0, len = strlen(s); i < len;) {
		size_t n = strcspn(s + i, " ,");
		if (!n) {
			sb_addc(&sb, s[i++]);
			continue;
		}
		char *w = xstrndup(s + i, n);
		place_word_cased(vc, &sb, w);
		free(w);
		i += n;
	}
	return sb_detach(&sb);
}

char *vnoise_clean(const struct validate_ctx *vc, const char *in, enum validate_ftype type)
{
	char *split = type == VT_NAME ? names_marks_apart(vc, in) : xstrdup(in);
	char *trimmed = vnoise_trim(split, type);
	free(split);
	if (type == VT_TEXT)
		return trimmed;
	char *out = vnoise_seat_tones(vc, trimmed);
	free(trimmed);
	if (type == VT_PLACE) {
		char *cased = places_cased(vc, out);
		free(out);
		out = cased;
	}
	return out;
}
