/*
 * The validation context: reference lists loaded once (ethnic groups,
 * nationalities, relation words, surnames, ID prefixes, places), the tone
 * table behind the comparison keys, today's date and the thresholds.
 */
#include "validate/internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- tone table and keys ------------------------------------------------ */

/*
 * The table is derived from Unicode itself: each base vowel plus each
 * combining tone mark, composed by text_nfc(), gives the precomposed letter
 * whose base and tone we record.  No hand-typed list of 134 letters.
 */
static void tone_table_build(struct validate_ctx *vc)
{
	static const char *const bases[] = {
		"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
		"A", "Ă", "Â", "E", "Ê", "I", "O", "Ô", "Ơ", "U", "Ư", "Y",
	};
	static const char *const marks[] = {"\xCC\x80", "\xCC\x81", "\xCC\x89", "\xCC\x83",
					    "\xCC\xA3"}; /* U+0300 0301 0309 0303 0323 */
	for (int32_t c = 0; c < TONE_CP_MAX; c++)
		vc->tone_base[c] = c;
	for (size_t b = 0; b < sizeof(bases) / sizeof(*bases); b++) {
		int32_t base;
		text_decode(bases[b], strlen(bases[b]), &base);
		for (int t = 0; t < 5; t++) {
			char buf[16];
			snprintf(buf, sizeof(buf), "%s%s", bases[b], marks[t]);
			char *s = text_nfc(buf);
			int32_t cp;
			int k = text_decode(s, strlen(s), &cp);
			if (k > 0 && s[k] == '\0' && cp < TONE_CP_MAX) {
				vc->tone_base[cp] = base;
				vc->tone[cp] = (uint8_t)(t + 1);
			}
			free(s);
		}
	}
}

int vmarked_vowel(int32_t b)
{
	static const int32_t marked[] = {0x103, 0xE2, 0xEA, 0xF4, 0x1A1, 0x1B0,
					 0x102, 0xC2, 0xCA, 0xD4, 0x1A0, 0x1AF};
	for (size_t i = 0; i < sizeof(marked) / sizeof(*marked); i++)
		if (b == marked[i])
			return 1;
	return 0;
}

int vletter(const struct validate_ctx *vc, int32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return 1;
	return cp < TONE_CP_MAX &&
	       (vc->tone[cp] || vmarked_vowel(vc->tone_base[cp]) || cp == 0x111 || cp == 0x110);
}

char *validate_tone_key(const struct validate_ctx *vc, const char *s)
{
	char *low = text_lower(s);
	char *sq = text_squeeze(low);
	free(low);
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(sq), i = 0;
	int tone = 0;
	while (i <= len) {
		int32_t cp = 0;
		int k = 1;
		if (i < len) {
			k = text_decode(sq + i, len - i, &cp);
			if (k <= 0) {
				cp = 0xFFFD;
				k = 1;
			}
		}
		if (i == len || cp == ' ' || cp == '-') {
			/* The tone belongs to the syllable, wherever its mark sat. */
			if (tone)
				sb_addc(&sb, (char)('0' + tone));
			tone = 0;
			if (i < len)
				sb_addc(&sb, ' ');
		} else if (cp < TONE_CP_MAX) {
			if (vc->tone[cp])
				tone = vc->tone[cp];
			sb_add_cp(&sb, vc->tone_base[cp]);
		} else if (cp != 0x0300 && cp != 0x0301 && cp != 0x0303 && cp != 0x0309 &&
			   cp != 0x0323) {
			sb_add_cp(&sb, cp);
		}
		i += (size_t)k;
	}
	free(sq);
	return sb_detach(&sb);
}

/* ---- closed lists --------------------------------------------------------- */

void vocab_add(const struct validate_ctx *vc, struct vocab *v, const char *text, int group)
{
	char *t = text_squeeze(text);
	if (!*t) {
		free(t);
		return;
	}
	ALLOC_GROW(v->v, v->n + 1, v->cap);
	struct vocab_item *it = &v->v[v->n++];
	it->text = t;
	it->tkey = validate_tone_key(vc, t);
	it->fkey = text_fold(t);
	it->group = group;
}

void vocab_release(struct vocab *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].text);
		free(v->v[i].tkey);
		free(v->v[i].fkey);
	}
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* Edit distance allowed for a correction, by length: one slip per word. */
static int max_slip(const char *key)
{
	size_t n = text_codepoints(key);
	return n <= 7 ? 1 : 2;
}

/*
 * Exact: the same tone key (tone placement may differ).  Otherwise one
 * candidate wins clearly when it is the only group sharing the folded key
 * (damage to diacritics only), or when it is within max_slip edits and every
 * other group is at least two edits further.  Ties never win: Bá against Ba
 * and Bà, Vo against Võ and Vũ stay unresolved.
 */
void vocab_match(const struct validate_ctx *vc, const struct vocab *v, const char *s,
		 struct vmatch *m)
{
	m->idx = -1;
	m->exact = m->clear = 0;
	char *tk = validate_tone_key(vc, s), *fk = text_fold(s);
	int *dist = xmalloc((v->n + 1) * sizeof(*dist));
	int fold_idx = -1, fold_groups = 0, best_idx = -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct vocab_item *it = &v->v[i];
		if (!strcmp(it->tkey, tk)) {
			m->idx = (int)i;
			m->exact = 1;
			goto out;
		}
		if (!strcmp(it->fkey, fk) && (fold_idx < 0 || v->v[fold_idx].group != it->group)) {
			fold_groups++;
			fold_idx = (int)i;
		}
		dist[i] = text_distance(it->tkey, tk);
		if (best_idx < 0 || dist[i] < dist[best_idx])
			best_idx = (int)i;
	}
	if (fold_groups == 1) {
		/* Marks alone differ from one entry ("Co" for "Cô"), but a letter
		 * lost or gained would make another ("Con"): not clear. */
		int near_other = 0;
		for (size_t i = 0; i < v->n && !near_other; i++)
			near_other = v->v[i].group != v->v[fold_idx].group &&
				     text_distance(v->v[i].fkey, fk) <= 1;
		m->idx = fold_idx;
		m->clear = !near_other;
	} else if (fold_groups == 0 && best_idx >= 0 && dist[best_idx] <= max_slip(tk)) {
		int second = 1 << 20;
		for (size_t i = 0; i < v->n; i++)
			if (v->v[i].group != v->v[best_idx].group && dist[i] < second)
				second = dist[i];
		if (second >= dist[best_idx] + 2) {
			m->idx = best_idx;
			m->clear = 1;
		}
	}
out:
	free(dist);
	free(tk);
	free(fk);
}

/* ---- the lists ------------------------------------------------------------ */

struct load_arg {
	struct validate_ctx *vc;
	int group;
};

/* code,name,aliases with aliases joined by '|' */
static void ethnic_row(char **c, int n, void *data)
{
	struct load_arg *la = data;
	if (n < 2)
		return;
	int g = atoi(c[0]);
	vocab_add(la->vc, &la->vc->ethnic, c[1], g);
	for (char *p = n > 2 ? c[2] : NULL; p && *p;) {
		char *bar = strchr(p, '|');
		char *one = bar ? xstrndup(p, (size_t)(bar - p)) : xstrdup(p);
		vocab_add(la->vc, &la->vc->ethnic, one, g);
		free(one);
		p = bar ? bar + 1 : NULL;
	}
}

/* "Algérie (An-giê-ri)",104: the name, its part before "(" and the gloss. */
static void country_row(char **c, int n, void *data)
{
	struct load_arg *la = data;
	if (n < 2)
		return;
	int g = ++la->group;
	vocab_add(la->vc, &la->vc->nationality, c[0], g);
	char *open = strchr(c[0], '(');
	if (open) {
		char *head = xstrndup(c[0], (size_t)(open - c[0]));
		vocab_add(la->vc, &la->vc->nationality, head, g);
		free(head);
		char *close = strchr(open, ')');
		char *gloss = xstrndup(open + 1, close ? (size_t)(close - open - 1) : strlen(open + 1));
		vocab_add(la->vc, &la->vc->nationality, gloss, g);
		free(gloss);
	}
	int code = atoi(c[1]);
	if (code > 0 && code < 1000)
		la->vc->id_prefix[code] = 2;
}

static void province_code_row(char **c, int n, void *data)
{
	struct load_arg *la = data;
	int code = atoi(c[0]);
	if (n >= 1 && code > 0 && code < 1000)
		la->vc->id_prefix[code] = 1;
}

/* The last item added to v gets its share (a percentage or a weight). */
static void vocab_share(struct vocab *v, const char *s)
{
	if (v->n && s)
		v->v[v->n - 1].share = atof(s);
}

static void surname_row(char **c, int n, void *data)
{
	struct load_arg *la = data;
	if (n >= 1)
		vocab_add(la->vc, &la->vc->surname, c[0], ++la->group);
	vocab_share(&la->vc->surname, n >= 2 ? c[1] : NULL);
}

/* Middle and given words in one list: a middle word may be a given name. */
static void given_row(char **c, int n, void *data)
{
	struct load_arg *la = data;
	if (n >= 1)
		vocab_add(la->vc, &la->vc->given, c[0], ++la->group);
	vocab_share(&la->vc->given, n >= 3 ? c[2] : NULL);
}

/*
 * Relation of the declarant to the person registered: kinship words and
 * the roles the law names.  Each line is one group of spellings.
 */
static const char *const relations[] = {
	"Cha|Bố|Ba|Tía", "Mẹ|Má|Mạ|U|Bầm", "Ông|Ông nội|Ông ngoại", "Bà|Bà nội|Bà ngoại",
	"Anh|Anh trai|Anh ruột", "Chị|Chị gái|Chị ruột", "Em|Em trai|Em gái|Em ruột",
	"Cô|Cô ruột", "Dì|Dì ruột", "Chú|Chú ruột", "Bác|Bác ruột", "Cậu|Cậu ruột",
	"Mợ", "Thím", "Dượng", "Con|Con đẻ|Con ruột|Con nuôi|Con trai|Con gái", "Cháu|Cháu nội|Cháu ngoại",
	"Vợ", "Chồng", "Cụ|Cụ nội|Cụ ngoại", "Người giám hộ|Giám hộ",
	"Người được ủy quyền|Người được uỷ quyền|Được ủy quyền|Được uỷ quyền",
	"Người thân|Họ hàng", "Người nuôi dưỡng|Cha nuôi|Mẹ nuôi", "Bản thân|Người yêu cầu",
	"Hàng xóm|Người quen", "Đại diện cơ sở|Đại diện cơ sở nuôi dưỡng|Đại diện bệnh viện",
	"Cán bộ|Cán bộ tư pháp|Công an",
};

static void relations_load(struct validate_ctx *vc)
{
	for (size_t g = 0; g < sizeof(relations) / sizeof(*relations); g++) {
		for (const char *p = relations[g]; p && *p;) {
			const char *bar = strchr(p, '|');
			char *one = bar ? xstrndup(p, (size_t)(bar - p)) : xstrdup(p);
			vocab_add(vc, &vc->relation, one, (int)g + 1);
			free(one);
			p = bar ? bar + 1 : NULL;
		}
	}
}

static void today_init(struct validate_ctx *vc)
{
	char now[32];
	time_iso_now(now);
	vc->today.y = atoi(now);
	vc->today.m = atoi(now + 5);
	vc->today.d = atoi(now + 8);
}

void validate_ctx_set_today(struct validate_ctx *vc, int y, int m, int d)
{
	vc->today.y = y;
	vc->today.m = m;
	vc->today.d = d;
}

void vthresholds_default(struct validate_ctx *vc);

struct validate_ctx *validate_ctx_new(struct err *e)
{
	struct validate_ctx *vc = xcalloc(1, sizeof(*vc));
	tone_table_build(vc);
	today_init(vc);
	vthresholds_default(vc);
	struct load_arg la = {vc, 0};
	relations_load(vc);
	vocab_add(vc, &vc->nationality, "Việt Nam", 0);
	vocab_add(vc, &vc->nationality, "Không quốc tịch", 1000);
	if (csvin_data_load("ethnic_groups_1979.csv", ethnic_row, &la, e) < 0 ||
	    csvin_data_load("id_country_codes_abroad.csv", country_row, &la, e) < 0 ||
	    csvin_data_load("id_province_codes.csv", province_code_row, &la, e) < 0 ||
	    csvin_data_load("surnames.csv", surname_row, &la, e) < 0 ||
	    csvin_data_load("names_middle.csv", given_row, &la, e) < 0 ||
	    csvin_data_load("names_given.csv", given_row, &la, e) < 0 || places_load(vc, e) < 0 ||
	    vaccept_load(vc, e) < 0)
		goto fail;
	const char *env = getenv("HOTICH_THRESHOLDS");
	if (env && *env && validate_thresholds_parse(vc, env, e) < 0)
		goto fail;
	return vc;
fail:
	validate_ctx_free(vc);
	return NULL;
}

void validate_ctx_free(struct validate_ctx *vc)
{
	if (!vc)
		return;
	vocab_release(&vc->ethnic);
	vocab_release(&vc->nationality);
	vocab_release(&vc->relation);
	vocab_release(&vc->surname);
	vocab_release(&vc->given);
	places_release(&vc->places);
	vaccept_free(vc->accept);
	free(vc);
}
