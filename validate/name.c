/*
 * Names: Vietnamese syllable structure (onset, rhyme, tone rules), letters
 * outside Vietnamese, the surname list.  Values are title case in NFC with
 * the register's tone placement (Thuỳ stays Thuỳ).  Huỳnh and Hoàng, Võ and
 * Vũ are different surnames: the comparison key keeps them apart and a
 * surname is only corrected when the OCR reading is not a syllable at all.
 */
#include "validate/internal.h"

#include <stdlib.h>
#include <string.h>

/* Rhymes without tone, in the spelling after an onset (or none). */
static const char *const rhymes[] = {
	"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"ai", "ao", "au", "âu", "ay", "ây", "eo", "êu", "ia", "iu", "oa", "oe", "oi", "ôi",
	"ơi", "ua", "uê", "ui", "uơ", "uy", "ưa", "ưi", "ưu", "oai", "oao", "oay", "oeo",
	"uây", "uôi", "uya", "uyu", "ươi", "ươu", "iêu", "yêu",
	"ac", "ach", "am", "an", "ang", "anh", "ap", "at",
	"ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "âc", "âm", "ân", "âng", "âp", "ât",
	"ec", "em", "en", "eng", "ep", "et", "êch", "êm", "ên", "ênh", "êp", "êt",
	"ich", "im", "in", "inh", "ip", "it",
	"oc", "om", "on", "ong", "op", "ot", "ooc", "oong",
	"ôc", "ôm", "ôn", "ông", "ôp", "ôt", "ơm", "ơn", "ơp", "ơt",
	"uc", "um", "un", "ung", "up", "ut", "ưc", "ưm", "ưn", "ưng", "ưt",
	"iêc", "iêm", "iên", "iêng", "iêp", "iêt", "yêm", "yên", "yêt",
	"uôc", "uôm", "uôn", "uông", "uôt", "ươc", "ươm", "ươn", "ương", "ươp", "ươt",
	"oac", "oach", "oam", "oan", "oang", "oanh", "oap", "oat",
	"oăc", "oăm", "oăn", "oăng", "oăt", "oem", "oen", "oet",
	"uân", "uâng", "uât", "uêch", "uênh", "uych", "uynh", "uyn", "uyp", "uyt",
	"uyên", "uyêt",
};

static const char *const onsets[] = {
	"ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
};

static int is_rhyme(const char *r)
{
	for (size_t i = 0; i < sizeof(rhymes) / sizeof(*rhymes); i++)
		if (!strcmp(rhymes[i], r))
			return 1;
	return 0;
}

static int starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* After qu the medial is spelled u: quan = q + uan, which is oan after other onsets. */
static int is_qu_rhyme(const char *r)
{
	if (is_rhyme(r) && r[0] == 'u')
		return 1;
	char *o = xasprintf("o%s", r + 1);
	int ok = r[0] == 'u' && is_rhyme(o);
	free(o);
	return ok;
}

/* Front vowels: c/g/ng are spelled k/gh/ngh before them. */
static int front(const char *r)
{
	return starts(r, "e") || starts(r, "ê") || starts(r, "i") || starts(r, "y");
}

static int stop_coda(const char *r)
{
	size_t n = strlen(r);
	return (n >= 1 && (r[n - 1] == 'c' || r[n - 1] == 'p' || r[n - 1] == 't')) ||
	       (n >= 2 && !strcmp(r + n - 2, "ch"));
}

static int onset_rhyme_ok(const char *on, const char *r)
{
	if (!*r)
		return 0;
	if (!strcmp(on, "qu"))
		return is_qu_rhyme(r - 1);
	if (!strcmp(on, "gi")) {
		char *ir = xasprintf("i%s", r);
		int ok = is_rhyme(r) || is_rhyme(ir);
		free(ir);
		return ok;
	}
	if (!is_rhyme(r))
		return 0;
	if ((!strcmp(on, "c") || !strcmp(on, "ng") || (!strcmp(on, "g") && !starts(r, "i"))) &&
	    front(r))
		return 0;
	if ((!strcmp(on, "k") || !strcmp(on, "gh") || !strcmp(on, "ngh")) && !front(r))
		return 0;
	return 1;
}

/* Lower-case, tone-less spelling of one syllable, and its tone (0..5). */
static char *syllable_base(const struct validate_ctx *vc, const char *s, int *tone, int *tones)
{
	char *low = text_lower(s);
	struct strbuf sb = STRBUF_INIT;
	*tone = *tones = 0;
	int32_t cp;
	for (size_t i = 0, len = strlen(low); text_next(low, len, &i, &cp);) {
		if (cp < TONE_CP_MAX && vc->tone[cp]) {
			*tone = vc->tone[cp];
			(*tones)++;
			cp = vc->tone_base[cp];
		}
		sb_add_cp(&sb, cp);
	}
	free(low);
	return sb_detach(&sb);
}

int validate_syllable_ok(const struct validate_ctx *vc, const char *s)
{
	int tone, tones;
	char *b = syllable_base(vc, s, &tone, &tones);
	int ok = 0;
	if (tones > 1 || !*b)
		goto out;
	/* gi before a vowel is the onset gi; "gì", "gìn" are g + i. */
	if (starts(b, "gi") && b[2] && strchr("ptcmnhg", b[2]) == NULL)
		ok = onset_rhyme_ok("gi", b + 2);
	if (!ok)
		ok = is_rhyme(b);
	for (size_t i = 0; !ok && i < sizeof(onsets) / sizeof(*onsets); i++)
		if (starts(b, onsets[i]) && strcmp(onsets[i], "gi"))
			ok = onset_rhyme_ok(onsets[i], b + strlen(onsets[i]));
	/* Stop codas take only the rising (sắc) or heavy (nặng) tone. */
	if (ok && stop_coda(b) && tone != 2 && tone != 5)
		ok = 0;
out:
	free(b);
	return ok;
}

/* ---- the name checker ------------------------------------------------------ */

/* Letters of Vietnamese (any case), plus the separators a name may hold. */
static int name_char_ok(const struct validate_ctx *vc, int32_t cp)
{
	return vletter(vc, cp) || cp == ' ' || cp == '-' || cp == '\'';
}

static int chars_ok(const struct validate_ctx *vc, const char *s)
{
	size_t len = strlen(s), i = 0;
	while (i < len) {
		int32_t cp;
		int k = text_decode(s + i, len - i, &cp);
		if (k <= 0 || !name_char_ok(vc, cp))
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* Is the person of a group whose names need not be Vietnamese syllables? */
static int minority_person(const struct vrun *vr)
{
	size_t n = strlen(vr->col);
	if (n < 5 || strcmp(vr->col + n - 5, "HoTen"))
		return 0;
	char *col = xasprintf("%.*sDanToc", (int)(n - 5), vr->col);
	const char *e = record_value(vr->rec, col);
	if (!*e)
		e = record_raw(vr->rec, col);
	char *f = text_fold(e);
	int minority = *f && strcmp(f, "kinh") && strcmp(f, "viet") && strcmp(f, "kinh (viet)");
	free(f);
	free(col);
	return minority;
}

static void check_syllables(struct vrun *vr, const char *name)
{
	char *copy = xstrdup(name);
	struct strbuf bad = STRBUF_INIT;
	for (char *p = copy; p && *p;) {
		char *sp = strchr(p, ' ');
		if (sp)
			*sp = '\0';
		if (!validate_syllable_ok(vr->vc, p)) {
			if (bad.len)
				sb_adds(&bad, ", ");
			sb_adds(&bad, p);
		}
		p = sp ? sp + 1 : NULL;
	}
	if (bad.len)
		vrun_find(vr, "name_syllable", minority_person(vr) ? SEV_INFO : SEV_WARNING,
			  "Họ tên có âm tiết không phải tiếng Việt: %s", sb_str(&bad));
	sb_release(&bad);
	free(copy);
}

/*
 * The surname against the list.  A surname that is not a syllable and is
 * one slip from exactly one listed surname is corrected; one that is a
 * syllable but close to a listed one is shown to a supervisor (Lã is real,
 * and is one mark from La); one far from all is merely rare.
 */
static char *check_surname(struct vrun *vr, const char *name)
{
	const char *sp = strchr(name, ' ');
	char *sur = sp ? xstrndup(name, (size_t)(sp - name)) : xstrdup(name);
	struct vmatch m;
	vocab_match(vr->vc, &vr->vc->surname, sur, &m);
	char *out = xstrdup(name);
	if (m.exact) {
		/* nothing to say */
	} else if (m.clear && !validate_syllable_ok(vr->vc, sur)) {
		const char *want = vr->vc->surname.v[m.idx].text;
		free(out);
		out = xasprintf("%s%s", want, sp ? sp : "");
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("họ '%s' không phải âm tiết tiếng Việt; danh sách họ: '%s'",
				     sur, want);
	} else if (m.clear) {
		vrun_find(vr, "name_surname_suspect", SEV_WARNING,
			  "Họ '%s' gần với họ '%s': kiểm tra lại", sur,
			  vr->vc->surname.v[m.idx].text);
	} else {
		vrun_find(vr, "name_surname_rare", SEV_INFO, "Họ ít gặp: %s", sur);
	}
	free(sur);
	return out;
}

/*
 * "Nguyễn Văn" is a surname and a middle word with the given name lost
 * (a stroke across the line, a value cut at a label): Văn and Thị mark
 * sex in the middle of a name and do not end one.
 */
static int ends_in_middle_word(const char *title)
{
	const char *last = strrchr(title, ' ');
	if (!last)
		return 0;
	/* Văn and Thị, or either with its mark lost; never Vân or Thi's
	 * other spellings, which are given names ('Hồ Bảo Vân'). */
	char *f = text_lower(last + 1);
	int middle = !strcmp(f, "văn") || !strcmp(f, "thị") || !strcmp(f, "van") ||
		     !strcmp(f, "thi");
	free(f);
	return middle;
}

/*
 * The listed word that word w, read with a mark lost, moved or misplaced,
 * most likely is: a listed word with the same letters (marks aside; maxd 1:
 * one letter off instead) whose share is at least three times that of any
 * other such word.  NULL when w is listed as read, or when no word clearly
 * wins.
 */
static const struct vocab_item *likely_word(const struct validate_ctx *vc,
					    const struct vocab *v, const char *w, int maxd)
{
	char *tk = validate_tone_key(vc, w), *fk = text_fold(w);
	const struct vocab_item *best = NULL;
	double second = 0;
	int listed = 0;
	for (size_t i = 0; i < v->n && !listed; i++) {
		const struct vocab_item *it = &v->v[i];
		listed = !strcmp(it->tkey, tk);
		/* One letter misread is a substitution: a length change is a word lost. */
		if (listed || (maxd ? strlen(it->fkey) != strlen(fk) ||
					      text_distance(it->fkey, fk) != maxd
				    : strcmp(it->fkey, fk) != 0))
			continue;
		if (best && !strcmp(best->tkey, it->tkey)) {
			if (it->share > best->share)
				best = it;
		} else if (!best || it->share > best->share) {
			second = best ? best->share : second;
			best = it;
		} else if (it->share > second) {
			second = it->share;
		}
	}
	free(tk);
	free(fk);
	/* One letter off: only a candidate that stands alone. */
	if (maxd && second > 0)
		return NULL;
	return listed || !best || best->share < 3 * second ? NULL : best;
}

/*
 * A word no name can be read from as it stands: no vowel at all ('Ktm'),
 * or a character that is no letter.  Only such a word is matched one
 * letter off; 'Hoàc' is a misread too, but of which of several names the
 * short lists cannot say.
 */
static int unreadable(const struct validate_ctx *vc, const char *w)
{
	char *f = text_fold(w);
	int vowel = strpbrk(f, "aeiouy") != NULL;
	free(f);
	return !vowel || !chars_ok(vc, w);
}

/* w with each digit an engine reads for a letter of the same shape turned
 * into that letter (0 O, 1 I, 5 S, 6 G, 8 B); caller frees. */
static char *digits_as_letters(const char *w)
{
	static const char from[] = "01568", to[] = "oisgb";
	char *out = xstrdup(w);
	for (char *p = out; *p; p++) {
		const char *k = strchr(from, *p);
		if (k && *p)
			*p = to[k - from];
	}
	return out;
}

/*
 * A surname only ever gets a common surname's spelling (one of at least 1%
 * of people: 'Nguyên' is rare where 'Nguyễn' is 38%), and a middle or given
 * word only when it is no Vietnamese syllable at all ('Quôc', 'Nguyêñ' with
 * its tilde on the n): a rare but real given name stays as read.
 */
static const char *word_fix(const struct validate_ctx *vc, const char *w, int pos)
{
	const struct vocab *v = pos == 0 ? &vc->surname : &vc->given;
	double floor = pos == 0 ? 1.0 : 0;
	int syllable = validate_syllable_ok(vc, w);
	if (pos > 0 && syllable)
		return NULL;
	/* The same letters first, digits read for the letters they look like
	 * ('0anh', '6ia'); one letter off only when w is no syllable ('Ktm'). */
	char *shaped = digits_as_letters(w);
	const char *out = NULL;
	struct vmatch m;
	if (strcmp(shaped, w)) {
		vocab_match(vc, v, shaped, &m);
		if (m.exact)
			out = v->v[m.idx].text;
	}
	for (int d = 0; d <= (syllable || !unreadable(vc, shaped) ? 0 : 1) && !out; d++) {
		const struct vocab_item *it = likely_word(vc, v, shaped, d);
		if (it && it->share >= floor && (d == 0 || it->share > 0))
			out = it->text;
	}
	free(shaped);
	return out;
}

/* title with its words fixed by word_fix(); NULL when none changed. */
static char *words_fixed(struct vrun *vr, const char *title)
{
	char *copy = xstrdup(title);
	struct strbuf sb = STRBUF_INIT;
	int changed = 0, pos = 0;
	for (char *p = copy; p && *p; pos++) {
		char *sp = strchr(p, ' ');
		if (sp)
			*sp = '\0';
		const char *fix = minority_person(vr) ? NULL : word_fix(vr->vc, p, pos);
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_adds(&sb, fix ? fix : p);
		changed |= fix != NULL;
		p = sp ? sp + 1 : NULL;
	}
	free(copy);
	char *out = changed ? xstrdup(sb_str(&sb)) : NULL;
	sb_release(&sb);
	return out;
}

char *vchk_name(struct vrun *vr, const char *in)
{
	if (!*in)
		return xstrdup("");
	char *title = text_title(in);
	char *fixed = words_fixed(vr, title);
	if (fixed) {
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("dấu thanh đọc sai; tên thường gặp: '%s'", fixed);
		free(title);
		title = fixed;
	}
	if (!chars_ok(vr->vc, title)) {
		vrun_find(vr, "name_chars", SEV_WARNING, "Họ tên có ký tự không phải chữ tiếng Việt: %s",
			  title);
		return title;
	}
	if (!strchr(title, ' '))
		vrun_find(vr, "name_short", SEV_WARNING, "Họ tên chỉ có một từ: %s", title);
	else if (ends_in_middle_word(title))
		vrun_find(vr, "name_truncated", SEV_WARNING,
			  "Họ tên kết thúc bằng chữ đệm, có thể thiếu tên: %s", title);
	char *out = check_surname(vr, title);
	free(title);
	check_syllables(vr, out);
	return out;
}
