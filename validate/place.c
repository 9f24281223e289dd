/*
 * Places: "Xã Tân Phú, Huyện Đức Hòa, Tỉnh Long An" matched from the right
 * against the official lists: the 2019 communes (province > district >
 * commune, what old books use) and the 2025 ones (province > commune, after
 * the reorganisation).  Each unit is compared on a key without its type
 * word, tolerant of tone placement; a damaged name is corrected only when
 * one unit of the enclosing scope clearly wins.  Parts the lists cannot
 * know (house numbers, hospitals, villages) are left alone.
 */
#include "validate/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum plevel { PL_NONE, PL_PROVINCE, PL_CITY, PL_DISTRICT, PL_COMMUNE };

/* Type words, folded, longest first; "thành phố" is a province or a district. */
static const struct {
	const char *fold;
	enum plevel level;
} types[] = {
	{"thanh pho", PL_CITY}, {"tp.", PL_CITY}, {"tp", PL_CITY}, {"tinh", PL_PROVINCE},
	{"thi xa", PL_DISTRICT}, {"tx.", PL_DISTRICT}, {"tx", PL_DISTRICT},
	{"huyen", PL_DISTRICT}, {"quan", PL_DISTRICT}, {"thi tran", PL_COMMUNE},
	{"tt.", PL_COMMUNE}, {"tt", PL_COMMUNE}, {"phuong", PL_COMMUNE}, {"xa", PL_COMMUNE},
	{"dac khu", PL_COMMUNE},
};

int vplace_type_last_word(const char *fold)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		const char *t = types[i].fold, *sp = strrchr(t, ' ');
		/* Abbreviations (tp., tx, tt) end in a stop of their own. */
		if (strlen(t) > 3 && !strchr(t, '.') && !strcmp(sp ? sp + 1 : t, fold))
			return 1;
	}
	return 0;
}

/* Level named by f's leading type word; *skip gets the words it takes. */
static enum plevel type_of(const char *f, size_t *skip)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		size_t n = strlen(types[i].fold);
		if (!strncmp(f, types[i].fold, n) && (f[n] == ' ' || (types[i].fold[n - 1] == '.' &&
								     f[n] != '\0'))) {
			size_t w = 1;
			for (size_t k = 0; k < n; k++)
				w += types[i].fold[k] == ' ';
			*skip = w;
			return types[i].level;
		}
	}
	*skip = 0;
	return PL_NONE;
}

/* The name without its type word, from the original text. */
static char *strip_type(const char *name, enum plevel *lvl)
{
	char *f = text_fold(name);
	size_t skip;
	*lvl = type_of(f, &skip);
	const char *p = f;
	for (size_t k = 0; k < skip && p; k++) {
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	char *r = vwords_slice(name, f, p ? p : f + strlen(f), NULL);
	if (skip == 0) {
		free(r);
		r = text_squeeze(name);
	} else if (!*r || *r == '.') {
		free(r);
		r = xstrdup("");
	}
	free(f);
	return r;
}

/* The type words of name as written ("huyện", "Thị xã"), "" when none. */
static char *type_prefix(const char *name)
{
	char *f = text_fold(name);
	size_t skip;
	type_of(f, &skip);
	const char *p = f;
	for (size_t k = 0; k < skip && p; k++) {
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	char *r = skip ? vwords_slice(name, f, f, p ? p : f + strlen(f)) : xstrdup("");
	free(f);
	return r;
}

/* Type words as spelled; a reading that folds to one of them but differs
 * in its marks ("huyên", "thỉ xã") is a damaged type word. */
static const char *const type_words[] = {"thành phố", "tỉnh", "thị xã", "huyện", "quận",
					 "thị trấn", "phường", "xã", "đặc khu"};

/* word, with a capital first letter when sample starts with one. */
static char *cased_like(const char *sample, const char *word)
{
	/* Upper case when lowering changes the first letter ("Ấ" is not "ấ"). */
	int32_t cp, lcp;
	text_decode(sample, strlen(sample), &cp);
	char *low = text_lower(sample);
	text_decode(low, strlen(low), &lcp);
	int upper = cp != lcp;
	free(low);
	char *out = upper ? text_title(word) : xstrdup(word);
	if (upper && strchr(word, ' ')) {
		/* "Thị xã", not "Thị Xã": only the first letter goes up. */
		char *t = out, *sp = strchr(t, ' ');
		char *rest = text_lower(sp);
		out = xasprintf("%.*s%s", (int)(sp - t), t, rest);
		free(t);
		free(rest);
	}
	return out;
}

static char *type_word_fixed(const struct validate_ctx *vc, const char *prefix)
{
	char *f = text_fold(prefix), *tk = validate_tone_key(vc, prefix), *out = NULL;
	for (size_t i = 0; i < sizeof(type_words) / sizeof(*type_words) && !out; i++) {
		char *wf = text_fold(type_words[i]), *wt = validate_tone_key(vc, type_words[i]);
		if (!strcmp(wf, f) && strcmp(wt, tk)) {
			out = cased_like(prefix, type_words[i]);
		}
		free(wf);
		free(wt);
	}
	free(f);
	free(tk);
	return out;
}

static void unit_add(const struct validate_ctx *vc, struct place_level *l, const char *name,
		     int parent)
{
	enum plevel lvl;
	ALLOC_GROW(l->u, l->n + 1, l->cap);
	struct place_unit *u = &l->u[l->n++];
	u->name = text_squeeze(name);
	char *bare = strip_type(u->name, &lvl);
	/* "Tp." may glue to the name: "Tp.Hồ Chí Minh". */
	u->tkey = validate_tone_key(vc, bare);
	u->fkey = text_fold(bare);
	u->parent = parent;
	free(bare);
}

/* Index of the last unit with this exact name and parent, or -1 (lists are sorted by code). */
static int unit_last(const struct place_level *l, const char *name, int parent)
{
	if (l->n && l->u[l->n - 1].parent == parent && !strcmp(l->u[l->n - 1].name, name))
		return (int)l->n - 1;
	for (size_t i = 0; i < l->n; i++)
		if (l->u[i].parent == parent && !strcmp(l->u[i].name, name))
			return (int)i;
	return -1;
}

struct place_arg {
	struct validate_ctx *vc;
};

/* commune_code,commune,district_code,district,province_code,province */
static void row2019(char **c, int n, void *data)
{
	struct validate_ctx *vc = ((struct place_arg *)data)->vc;
	struct place_db *p = &vc->places;
	if (n < 6)
		return;
	char *pn = text_squeeze(c[5]), *dn = text_squeeze(c[3]);
	int pi = unit_last(&p->prov, pn, -1);
	if (pi < 0) {
		unit_add(vc, &p->prov, pn, -1);
		pi = (int)p->prov.n - 1;
	}
	int di = unit_last(&p->dist, dn, pi);
	if (di < 0) {
		unit_add(vc, &p->dist, dn, pi);
		di = (int)p->dist.n - 1;
	}
	unit_add(vc, &p->comm, c[1], di);
	free(pn);
	free(dn);
}

/* commune_code,commune,province_code,province */
static void row2025(char **c, int n, void *data)
{
	struct validate_ctx *vc = ((struct place_arg *)data)->vc;
	struct place_db *p = &vc->places;
	if (n < 4)
		return;
	char *pn = text_squeeze(c[3]);
	int pi = unit_last(&p->prov25, pn, -1);
	if (pi < 0) {
		unit_add(vc, &p->prov25, pn, -1);
		pi = (int)p->prov25.n - 1;
	}
	unit_add(vc, &p->comm25, c[1], pi);
	free(pn);
}

int places_load(struct validate_ctx *vc, struct err *e)
{
	struct place_arg a = {vc};
	if (csvin_data_load("admin_units_2019.csv", row2019, &a, e) < 0 ||
	    csvin_data_load("admin_units_2025.csv", row2025, &a, e) < 0)
		return -1;
	return 0;
}

static void level_release(struct place_level *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->u[i].name);
		free(l->u[i].tkey);
		free(l->u[i].fkey);
	}
	free(l->u);
	memset(l, 0, sizeof(*l));
}

void places_release(struct place_db *p)
{
	level_release(&p->prov);
	level_release(&p->dist);
	level_release(&p->comm);
	level_release(&p->prov25);
	level_release(&p->comm25);
}

/* ---- matching --------------------------------------------------------------- */

/*
 * The unit of l under parent (-1: any) whose key matches: exact tone key,
 * or one clear winner (unique folded key, or one slip with every other unit
 * of the scope two slips further).  Returns its index; *clear says a
 * correction.  -1 when none.
 */
static int level_match(const struct place_level *l, int parent, const char *tk, const char *fk,
		       int *clear)
{
	int fold = -1, nfold = 0, best = -1, bestd = 1 << 20, second = 1 << 20;
	*clear = 0;
	int maxd = text_codepoints(fk) <= 7 ? 1 : 2;
	for (size_t i = 0; i < l->n; i++) {
		const struct place_unit *u = &l->u[i];
		if (parent >= 0 && u->parent != parent)
			continue;
		if (!strcmp(u->tkey, tk))
			return (int)i;
		if (!strcmp(u->fkey, fk)) {
			fold = (int)i;
			nfold++;
		}
		/* Cheap bound before the edit distance: lengths far apart cannot be close. */
		long dl = (long)strlen(u->fkey) - (long)strlen(fk);
		if (dl > maxd + 2 || dl < -(maxd + 2))
			continue;
		int d = text_distance(u->tkey, tk);
		if (d < bestd) {
			second = bestd;
			bestd = d;
			best = (int)i;
		} else if (d < second) {
			second = d;
		}
	}
	if (nfold == 1) {
		*clear = 1;
		return fold;
	}
	if (nfold == 0 && best >= 0 && bestd <= maxd && second >= bestd + 2) {
		*clear = 1;
		return best;
	}
	return -1;
}

struct place_state {
	struct vrun *vr;
	int prov, dist, prov25;	/* matched indices or -1 */
	int done;
	struct strbuf notes;
};

/* Try to match one part at the next level; returns 1 when it matched. */
static int part_match(struct place_state *ps, char **part)
{
	const struct validate_ctx *vc = ps->vr->vc;
	const struct place_db *db = &vc->places;
	enum plevel lvl;
	char *bare = strip_type(*part, &lvl);
	char *tk = validate_tone_key(vc, bare), *fk = text_fold(bare);
	const struct place_level *l = NULL;
	int idx = -1, clear = 0;
	if (!*fk) {
		/* nothing to match */
	} else if (ps->prov < 0 && ps->prov25 < 0) {
		if (lvl == PL_PROVINCE || lvl == PL_CITY || lvl == PL_NONE) {
			idx = level_match(&db->prov, -1, tk, fk, &clear);
			l = &db->prov;
			if (idx >= 0) {
				ps->prov = idx;
				int c2;
				ps->prov25 = level_match(&db->prov25, -1, tk, fk, &c2);
			} else {
				idx = level_match(&db->prov25, -1, tk, fk, &clear);
				l = &db->prov25;
				ps->prov25 = idx;
			}
		}
	} else if (ps->dist < 0 && ps->prov >= 0 && lvl != PL_COMMUNE) {
		idx = level_match(&db->dist, ps->prov, tk, fk, &clear);
		l = &db->dist;
		ps->dist = idx;
	} else if (lvl == PL_COMMUNE || lvl == PL_NONE) {
		if (ps->dist >= 0) {
			idx = level_match(&db->comm, ps->dist, tk, fk, &clear);
			l = &db->comm;
		}
		if (idx < 0 && ps->prov25 >= 0 && ps->dist < 0) {
			idx = level_match(&db->comm25, ps->prov25, tk, fk, &clear);
			l = &db->comm25;
		}
		ps->done = 1;
	}
	if (idx >= 0 && clear) {
		enum plevel cl;
		char *canon = strip_type(l->u[idx].name, &cl), *pre = type_prefix(*part);
		char *fixed = *pre ? xasprintf("%s %s", pre, canon) : xstrdup(canon);
		free(canon);
		free(pre);
		sb_addf(&ps->notes, "%s'%s' -> '%s'", ps->notes.len ? "; " : "", *part, fixed);
		free(*part);
		*part = fixed;
	}
	free(bare);
	free(tk);
	free(fk);
	return idx >= 0;
}

/* Districts named like key anywhere (same tone key); up to max indices. */
static int districts_named(const struct place_db *db, const char *tk, int *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < db->dist.n && n < max; i++)
		if (!strcmp(db->dist.u[i].tkey, tk))
			out[n++] = (int)i;
	return n;
}

static int commune_in(const struct validate_ctx *vc, const struct place_db *db, int dist,
		      const char *part)
{
	enum plevel lvl;
	char *bare = strip_type(part, &lvl);
	char *tk = validate_tone_key(vc, bare), *fk = text_fold(bare);
	int clear;
	int idx = level_match(&db->comm, dist, tk, fk, &clear);
	free(bare);
	free(tk);
	free(fk);
	return idx >= 0 && !clear;
}

/*
 * Old table books often stop at the district: "xã An Linh, huyện Phú Giáo".
 * The district is looked up in every province; a name several provinces
 * share is settled by the commune before it.  Returns 1 when the scope is
 * set, 0 when it cannot be told (no finding), -1 when no district has it.
 */
static int district_first(struct place_state *ps, char **parts, int i)
{
	const struct validate_ctx *vc = ps->vr->vc;
	const struct place_db *db = &vc->places;
	enum plevel lvl;
	char *bare = strip_type(parts[i], &lvl);
	char *tk = validate_tone_key(vc, bare);
	int cand[16], n = districts_named(db, tk, cand, 16), pick = -1, npick = 0;
	free(bare);
	free(tk);
	if (n == 0)
		return -1;
	for (int k = 0; k < n; k++)
		if (n == 1 || (i > 0 && commune_in(vc, db, cand[k], parts[i - 1]))) {
			pick = cand[k];
			npick++;
		}
	if (npick != 1)
		return 0;
	ps->dist = pick;
	ps->prov = db->dist.u[pick].parent;
	return 1;
}

static int is_province(const struct validate_ctx *vc, const char *part)
{
	enum plevel lvl;
	char *bare = strip_type(part, &lvl);
	char *tk = validate_tone_key(vc, bare), *fk = text_fold(bare);
	int clear;
	int yes = level_match(&vc->places.prov, -1, tk, fk, &clear) >= 0 ||
		  level_match(&vc->places.prov25, -1, tk, fk, &clear) >= 0;
	free(bare);
	free(tk);
	free(fk);
	return yes;
}

static int is_country(const char *part)
{
	char *f = text_fold(part);
	int yes = !strcmp(f, "viet nam") || !strcmp(f, "vn");
	free(f);
	return yes;
}

static char **split_parts(const char *in, int *n)
{
	char **parts = NULL;
	size_t cap = 0;
	*n = 0;
	for (const char *p = in; p;) {
		const char *comma = strchr(p, ',');
		char *one = comma ? xstrndup(p, (size_t)(comma - p)) : xstrdup(p);
		ALLOC_GROW(parts, (size_t)*n + 1, cap);
		parts[(*n)++] = text_squeeze(one);
		free(one);
		p = comma ? comma + 1 : NULL;
	}
	return parts;
}

/*
 * Walk from the right.  A part whose type word says it is an administrative
 * unit must be found in the scope of the units to its right; a part without
 * a type word is matched when it can be and otherwise ends the walk.
 */
/*
 * The last part of an address names the province.  Unmatched, it may be a
 * hospital ("Bệnh viện Từ Dũ") and pass; but a bare or cut unit word
 * ("tỉnh", "tỉ uảng Nam") means the name was lost or damaged.
 */
static int damaged_unit(const char *part)
{
	static const char *const units[] = {"tinh", "huyen", "quan", "phuong", "thanh", "thi", "xa"};
	char *f = text_fold(part);
	const char *sp = strchr(f, ' ');
	size_t w = sp ? (size_t)(sp - f) : strlen(f);
	int hit = 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		size_t n = strlen(units[i]);
		if (!sp && !strcmp(f, units[i]))
			hit = 1;	/* the unit word alone: its name is lost */
		else if (w >= 2 && w < n && !strncmp(f, units[i], w))
			hit = 1;	/* a unit word cut short */
	}
	/* A two-word unit with its second word misread: "thành phế Thủ Dầu Một". */
	static const char *const two[] = {"thanh pho ", "thi xa ", "thi tran ", "dac khu "};
	for (size_t i = 0; i < sizeof(two) / sizeof(*two) && !hit && sp; i++) {
		size_t a = strcspn(two[i], " ");
		const char *second = two[i] + a + 1;
		size_t bl = strlen(second) - 1, wl = strcspn(sp + 1, " ");
		if ((size_t)(sp - f) == a && !strncmp(f, two[i], a) &&
		    (wl != bl || strncmp(sp + 1, second, bl) != 0)) {
			char *got = xstrndup(sp + 1, wl), *want = xstrndup(second, bl);
			hit = text_distance(got, want) == 1;
			free(got);
			free(want);
		}
	}
	free(f);
	return hit;
}

/* Does folded text start with a unit word ("phuong ", "thi xa ")? */
static int starts_unit(const char *f)
{
	static const char *const units[] = {"phuong ", "xa ", "thi tran ", "thi xa ", "quan ",
					    "huyen ", "thanh pho ", "tinh ", "ap ", "khu pho ",
					    "to ", "thon ", "xom ", "ban "};
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strncmp(f, units[i], strlen(units[i])))
			return 1;
	return 0;
}

/* A hamlet, quarter or group: a part that sits below a commune. */
static int below_commune(const char *part)
{
	static const char *const units[] = {"ap ", "khu pho ", "to ", "thon ", "xom ", "ban ",
					    "khom ", "so "};
	char *f = text_fold(part);
	int hit = 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(*units) && !hit; i++)
		hit = !strncmp(f, units[i], strlen(units[i]));
	free(f);
	return hit;
}

/*
 * The words of the parts below a commune have one spelling each: "tổ 9",
 * "ấp 3", "khu phố 6", "Số 136".  A part that is such a word (by its
 * letters, any tone) and a number gets the word's spelling back: "tố 9"
 * is no unit of any address, so "tổ" is the clear reading.  NULL when the
 * part is not one or is already right.
 */
static char *sub_unit_fixed(const char *part)
{
	static const char *const units[] = {"tổ", "ấp", "khu phố", "thôn", "xóm", "khóm", "số"};
	char *f = text_fold(part);
	char *out = NULL;
	for (size_t i = 0; i < sizeof(units) / sizeof(*units) && !out; i++) {
		char *uf = text_fold(units[i]);
		size_t n = strlen(uf);
		const char *rest = f + n;
		/* The unit word, a space, then a house or group number. */
		if (!strncmp(f, uf, n) && rest[0] == ' ' && isdigit((unsigned char)rest[1])) {
			size_t words = 1 + (strchr(units[i], ' ') != NULL);
			const char *p = part;
			for (size_t w = 0; w < words; w++) {
				p += strcspn(p, " ");
				p += *p == ' ';
			}
			/* Keep a capital where the register wrote one ("Số 136"). */
			char *unit = cased_like(part, units[i]);
			size_t ul = (size_t)(p - part);
			if (ul - 1 != strlen(unit) || strncmp(part, unit, ul - 1) != 0)
				out = xasprintf("%s %s", unit, p);
			free(unit);
		}
		free(uf);
	}
	free(f);
	return out;
}

/*
 * OCR reads a comma as a full stop or semicolon now and then ("khu phố 6.
 * phường Tân Phước Khánh"); before a unit word it can only be the comma
 * that separates the address's parts.  *changed says whether any was.
 */
static char *unit_commas(const char *in, int *changed)
{
	char *out = xstrdup(in);
	*changed = 0;
	for (char *p = out; *p; p++) {
		if ((*p != '.' && *p != ';') || p[1] != ' ')
			continue;
		char *f = text_fold(p + 2);
		if (starts_unit(f)) {
			*p = ',';
			*changed = 1;
		}
		free(f);
	}
	return out;
}

char *vchk_place(struct vrun *vr, const char *in)
{
	if (!*in)
		return xstrdup("");
	int n, commas;
	char *fixed_in = unit_commas(in, &commas);
	char **parts = split_parts(fixed_in, &n);
	free(fixed_in);
	struct place_state ps = {vr, -1, -1, -1, 0, STRBUF_INIT};
	if (n > 1 && !*parts[n - 1]) {
		/* "xã X, huyện Y," : the line ended and the rest was not read. */
		vrun_find(vr, "place_incomplete", SEV_WARNING,
			  "Địa danh bị cắt sau dấu phẩy cuối: %s", in);
		free(parts[--n]);
	}
	if (commas)
		sb_adds(&ps.notes, "'.' -> ','");
	for (int k = 0; k < n; k++) {
		char *fixed = sub_unit_fixed(parts[k]);
		if (!fixed)
			continue;
		sb_addf(&ps.notes, "%s'%s' -> '%s'", ps.notes.len ? "; " : "", parts[k], fixed);
		free(parts[k]);
		parts[k] = fixed;
	}
	for (int k = 0; k < n; k++) {
		char *pre = type_prefix(parts[k]);
		char *fixed = *pre ? type_word_fixed(vr->vc, pre) : NULL;
		if (fixed) {
			enum plevel lvl;
			char *bare = strip_type(parts[k], &lvl);
			sb_addf(&ps.notes, "%s'%s' -> '%s'", ps.notes.len ? "; " : "", pre, fixed);
			free(parts[k]);
			parts[k] = xasprintf("%s %s", fixed, bare);
			free(bare);
		}
		free(fixed);
		free(pre);
	}
	int i = n - 1;
	if (i > 0 && is_country(parts[i]))
		i--;
	enum plevel last;
	free(strip_type(parts[i], &last));
	if (last == PL_DISTRICT || (last == PL_CITY && !is_province(vr->vc, parts[i]))) {
		int got = district_first(&ps, parts, i);
		if (got < 0)
			vrun_find(vr, "place_unknown", SEV_WARNING,
				  "Không tìm thấy đơn vị hành chính '%s' trong danh mục: %s", parts[i],
				  in);
		i = got > 0 ? i - 1 : -1;
	}
	int last_i = i;
	for (; i >= 0 && !ps.done; i--) {
		enum plevel lvl;
		char *bare = strip_type(parts[i], &lvl);
		free(bare);
		if (part_match(&ps, &parts[i]))
			continue;
		if (lvl != PL_NONE || (i == last_i && damaged_unit(parts[i])))
			vrun_find(vr, "place_unknown", SEV_WARNING,
				  "Không tìm thấy đơn vị hành chính '%s' trong danh mục: %s", parts[i],
				  in);
		else if (ps.dist >= 0 && below_commune(parts[i]))
			/* "ấp 3, xã X, huyện Y" read as "ấp X, huyện Y": words were lost. */
			vrun_find(vr, "place_incomplete", SEV_WARNING,
				  "Thiếu xã/phường giữa '%s' và huyện: %s", parts[i], in);
		break;
	}
	struct strbuf out = STRBUF_INIT;
	for (int k = 0; k < n; k++) {
		if (k)
			sb_adds(&out, ", ");
		sb_adds(&out, parts[k]);
		free(parts[k]);
	}
	free(parts);
	if (ps.notes.len) {
		vr->corrected = 1;
		free(vr->note);
		vr->note = xasprintf("địa danh theo danh mục: %s", sb_str(&ps.notes));
	}
	sb_release(&ps.notes);
	return sb_detach(&out);
}

/*
 * The registration office, "UBND xã X, huyện Y, tỉnh Z": the place after
 * the People's Committee, checked as any address.
 */
char *vchk_office(struct vrun *vr, const char *in)
{
	char *f = text_fold(in);
	int ubnd = !strncmp(f, "ubnd ", 5);
	free(f);
	if (!ubnd)
		return vchk_place(vr, in);
	const char *rest = strchr(in, ' ') + 1;
	char *place = vchk_place(vr, rest);
	char *out = xasprintf("%.*s%s", (int)(rest - in), in, place);
	free(place);
	return out;
}
