/*
 * layout_form: Format F, the labelled form printed by registration software.
 *
 * From the page pass's lines: find labels on each line (several per line),
 * cut the words between them into values, open a record at each "Số:",
 * follow person sections (mother, father, declarant; husband, wife) so the
 * same label lands in the right column.  The page pass's reading is kept;
 * only names (read again by the other model, merged word by word) and
 * doubtful digits are read again from their own clips: one recognition of
 * the page, not two.
 */
#include "ocr/ocr_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 16

/* A value found on the page pass, waiting for its re-read. */
struct pending {
	size_t rec;
	const char *column;
	struct box box;		/* union of the value's words, work image */
	struct box more[3];	/* continuation lines of a wrapped value */
	int nmore;
	char *first;		/* the page pass's reading, continuations joined */
	float conf;		/* its lowest word confidence */
	struct ocr_line words;	/* the page pass's words of a one-line value */
};

struct form_state {
	struct ocr_ctx *c;
	struct record *recs;
	size_t nrecs, recs_alloc;
	struct pending *pend;
	size_t npend, pend_alloc;
	enum section sec;
	struct pending *last;	/* the value a label-less line may continue */
	enum label_key wrap;	/* a label the last line ended inside of */
};

static struct box box_union(struct box a, struct box b)
{
	if (a.w <= 0)
		return b;
	if (b.w <= 0)
		return a;
	int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	struct box r = {x0, y0, x1 - x0, y1 - y0};
	return r;
}

static void record_open(struct form_state *st)
{
	ALLOC_GROW(st->recs, st->nrecs + 1, st->recs_alloc);
	record_init(&st->recs[st->nrecs], st->c->kind);
	st->recs[st->nrecs].index = (int)st->nrecs;
	st->nrecs++;
	st->sec = SEC_SUBJ;
	st->last = NULL;
}

/* Does the open record already hold this column (a missed "Số:" line)? */
static int column_taken(const struct form_state *st, const char *column)
{
	for (size_t i = st->npend; i-- > 0;) {
		if (st->pend[i].rec != st->nrecs - 1)
			break;
		if (!strcmp(st->pend[i].column, column))
			return 1;
	}
	return 0;
}

/* The part of a glued "label:value" word after the colon, by share of bytes. */
static struct box glued_box(const struct ocr_word *w)
{
	const char *p = strpbrk(w->text, ":;");
	size_t n = strlen(w->text), k = p ? (size_t)(p - w->text) + 1 : n;
	struct box b = w->box;
	int cut = n ? (int)((double)b.w * (double)k / (double)n) : b.w;
	b.x += cut;
	b.w -= cut;
	return b;
}

/* A word with no letter or digit: rule fragments, specks read as "_—_". */
static int junk_word(const struct ocr_word *w)
{
	/* Folded, every Vietnamese letter is ASCII; dashes and rules are not. */
	for (const unsigned char *p = (const unsigned char *)w->fold; *p; p++)
		if (isalnum(*p))
			return 0;
	return 1;
}

/* A short, doubtful word trailing a value: a seal's or signature's stroke. */
static int noise_word(const struct ocr_word *w)
{
	return w->conf < 35 && text_codepoints(w->text) <= 3;
}

static void word_copy(struct ocr_line *dst, const char *text, float conf, struct box b)
{
	ALLOC_GROW(dst->words, dst->nwords + 1, dst->alloc);
	struct ocr_word *w = &dst->words[dst->nwords++];
	w->text = xstrdup(text);
	w->fold = text_fold(text);
	w->conf = conf;
	w->box = b;
}

/* Case of a word: 0 no letter first or lower case, 1 title case, 2 capitals. */
static int word_case(const struct ocr_word *w)
{
	if (!isalpha((unsigned char)w->fold[0]))
		return 0;
	char *up = text_upper(w->text);
	size_t n = strlen(w->text), k = 1;
	while (k < n && ((unsigned char)w->text[k] & 0xC0) == 0x80)
		k++;	/* the first code point's bytes */
	int c = strncmp(up, w->text, k) ? 0 : strcmp(up, w->text) || text_codepoints(w->text) < 2 ? 1 : 2;
	free(up);
	return c;
}

/*
 * Where a name's words end.  Every word of a name is capitalised; when a
 * stroke breaks the label after it ("Quan hệ với ...: Mẹ"), the line's
 * label and value read as more of the name.  Cut at the first word that
 * does not start with a capital when a colon or two more words follow it,
 * then drop trailing words in the other case (TÊN after Nguyễn Gia Thảo).
 */
static size_t name_end(const struct ocr_line *l, size_t first, size_t end)
{
	size_t cut = end;
	for (size_t i = first + 1; i < end && cut == end; i++) {
		if (word_case(&l->words[i]))
			continue;
		int colon = 0;
		for (size_t k = i; k < end; k++)
			colon |= strchr(l->words[k].text, ':') != NULL;
		if (colon || end - i >= 2)
			cut = i;
	}
	if (cut == end)
		return end;
	int c0 = word_case(&l->words[first]);
	while (cut > first + 1 && word_case(&l->words[cut - 1]) != c0)
		cut--;
	return cut;
}

static void value_words(const struct ocr_line *l, const struct label_hit *h, size_t nh, size_t j,
			int name, struct box *box, struct strbuf *text, float *conf,
			struct ocr_line *words)
{
	size_t end = j + 1 < nh ? h[j + 1].first : l->nwords;
	if (name && h[j].colon != 2 && end > h[j].last + 1)
		end = name_end(l, h[j].last + 1, end);
	struct box b = {0, 0, 0, 0};
	float cmin = 100;
	if (h[j].colon == 2) {
		const struct ocr_word *w = &l->words[h[j].last];
		const char *p = strpbrk(w->text, ":;");
		if (p && p[1]) {
			b = glued_box(w);
			sb_adds(text, p + 1);
			cmin = w->conf;
			word_copy(words, p + 1, w->conf, b);
		}
	}
	/* Junk at the value's end (rule fragments, specks read as "_—_"). */
	while (end > h[j].last + 1 && (junk_word(&l->words[end - 1]) ||
				       (end > h[j].last + 2 && noise_word(&l->words[end - 1]))))
		end--;
	for (size_t i = h[j].last + 1; i < end; i++) {
		const struct ocr_word *w = &l->words[i];
		if (text->len)
			sb_addc(text, ' ');
		sb_adds(text, w->text);
		b = box_union(b, w->box);
		word_copy(words, w->text, w->conf, w->box);
		if (w->conf < cmin)
			cmin = w->conf;
	}
	/*
	 * The clip spans the whole line's height: digits alone give Tesseract no
	 * x-height to normalise by and come back misread (8 as 5 or 6).
	 */
	if (b.w > 0) {
		int y0 = b.y < l->box.y ? b.y : l->box.y;
		int y1 = b.y + b.h > l->box.y + l->box.h ? b.y + b.h : l->box.y + l->box.h;
		b.y = y0;
		b.h = y1 - y0;
	}
	*box = b;
	*conf = text->len ? cmin : 0;
}

static void add_pending(struct form_state *st, const char *column, struct box b,
			struct strbuf *text, float conf, struct ocr_line *words)
{
	ALLOC_GROW(st->pend, st->npend + 1, st->pend_alloc);
	struct pending *p = &st->pend[st->npend++];
	memset(p, 0, sizeof(*p));
	p->rec = st->nrecs - 1;
	p->column = column;
	p->box = b;
	p->first = text_squeeze(sb_str(text));
	p->conf = conf;
	p->words = *words;
	st->last = p;
}

static void take_hit(struct form_state *st, const struct ocr_line *l, const struct label_hit *h,
		     size_t nh, size_t j)
{
	enum label_key k = h[j].key;
	enum book_kind kind = st->c->kind;
	if (h[j].wraps) {
		st->last = NULL;
		return;
	}
	if (k == LB_QUYEN || k == LB_TRANG || k == LB_NOIDK)
		return;
	if (k == LB_SO || !st->nrecs || (k == LB_NGAYDK && column_taken(st, "ngayDangKy")))
		record_open(st);
	int sec = label_section(k);
	if (sec >= 0)
		st->sec = (enum section)sec;
	const char *col = label_column(kind, st->sec, k);
	st->last = NULL;
	if (!col || column_index(kind, col) < 0)
		return;
	struct strbuf text = STRBUF_INIT;
	struct box b;
	float conf;
	struct ocr_line words;
	memset(&words, 0, sizeof(words));
	value_words(l, h, nh, j, column_value_type(col) == VT_NAME, &b, &text, &conf, &words);
	add_pending(st, col, b, &text, conf, &words);
	sb_release(&text);
}

/* The first n words of l (box b) go on the value p: a wrapped value. */
static void pending_extend(struct pending *p, const struct ocr_line *l, size_t n, struct box b)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, p->first);
	for (size_t i = 0; i < n; i++) {
		if (junk_word(&l->words[i]))
			continue;
		sb_addc(&sb, ' ');
		sb_adds(&sb, l->words[i].text);
		if (l->words[i].conf < p->conf)
			p->conf = l->words[i].conf;
	}
	free(p->first);
	p->first = text_squeeze(sb_str(&sb));
	sb_release(&sb);
	p->more[p->nmore++] = b;
}

/* A line with no label continues the value before it, if it is text. */
static void continue_value(struct form_state *st, const struct ocr_line *l)
{
	struct pending *p = st->last;
	if (!p || p->nmore >= 3 || l->conf < 50)
		return;
	enum value_type vt = column_value_type(p->column);
	if (vt != VT_TEXT)
		return;
	pending_extend(p, l, l->nwords, l->box);
}

/* Does a word start with a capital letter ("Diễm", "ĐỨC")? */
static int capitalised(const char *w)
{
	char *low = text_lower(w);
	int32_t cp;
	int n = text_decode(w, strlen(w), &cp);
	int up = n > 0 && strncmp(w, low, (size_t)n) != 0;
	free(low);
	return up;
}

/*
 * "Họ, chữ đệm, tên ...: Dương Thị" / "Diễm   Quan hệ ...: Mẹ": a value
 * that ran to the right margin goes on at the start of the next line,
 * before that line's first label.  The first n words of l join the last
 * value when it is text, or a name and they are one or two capitalised
 * words.  right: where the page's longest lines end.
 */
static void continue_words(struct form_state *st, const struct ocr_line *l, size_t n, int right)
{
	struct pending *p = st->last;
	if (!p || p->nmore >= 3 || n == 0 || n > 3 || l->conf < 50)
		return;
	enum value_type vt = column_value_type(p->column);
	if ((vt != VT_TEXT && vt != VT_NAME) || (vt == VT_NAME && n > 2))
		return;
	struct box b = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		const char *w = l->words[i].text;
		if (strpbrk(w, ":;") || junk_word(&l->words[i]) || (vt == VT_NAME && !capitalised(w)))
			return;
		b = box_union(b, l->words[i].box);
	}
	/* Only words that would not have fit after the value (a space, some
	 * slack for the margin) were pushed down by the line's end. */
	if (p->box.x + p->box.w + b.w + 4 * p->box.h < right)
		return;
	pending_extend(p, l, n, b);
}

/* Where the page's text lines end on the right (the widest of them). */
static int lines_right(const struct ocr_lines *ls, size_t first)
{
	int right = 0;
	for (size_t i = first; i < ls->n; i++)
		if (ls->v[i].box.x + ls->v[i].box.w > right)
			right = ls->v[i].box.x + ls->v[i].box.w;
	return right;
}

#define WRAP_WORDS 8	/* a wrapped label's rest: at most this many words */

/*
 * The line after one that ended inside a long label starts with the rest of
 * it, up to its colon: make that a hit of the label and keep the line's
 * own hits after it.  0 when no colon comes soon enough (the label is lost).
 */
static size_t wrapped_rest(const struct ocr_line *l, enum label_key key, struct label_hit *hits,
			   size_t nh)
{
	size_t c = 0;
	while (c < l->nwords && c < WRAP_WORDS && !strpbrk(l->words[c].text, ":;"))
		c++;
	/* A line that opens with a label of its own is not the rest. */
	if (c >= l->nwords || c >= WRAP_WORDS || (nh && hits[0].first <= c))
		return nh;
	/* Hits run left to right, so all of them lie after the colon: shift them. */
	size_t k = nh < MAX_HITS ? nh : MAX_HITS - 1;
	memmove(&hits[1], &hits[0], k * sizeof(hits[0]));
	const char *colon = strpbrk(l->words[c].text, ":;");
	hits[0] = (struct label_hit){key, 0, c, colon[1] ? 2 : 1, 0};
	return 1 + k;
}

/*
 * "Số 241, tổ 6, ấp 2, xã ..." is an address (a house number), not the
 * entry-number label "Số:" opening a record: an entry number is one word,
 * an address runs on with commas.  Such hits are dropped; returns how many
 * hits are left.
 */
static size_t drop_address_entries(const struct ocr_line *l, struct label_hit *h, size_t nh)
{
	size_t k = 0;
	for (size_t j = 0; j < nh; j++) {
		size_t end = j + 1 < nh ? h[j + 1].first : l->nwords, commas = 0;
		for (size_t i = h[j].last + 1; i < end; i++)
			commas += strchr(l->words[i].text, ',') != NULL;
		if (h[j].key == LB_SO && end >= h[j].last + 4 && commas >= 2)
			continue;
		h[k++] = h[j];
	}
	return k;
}

#define MAX_PARTS 4

/* Does one of the first six words of w[0..n) hold a colon? */
static int colon_soon(const struct ocr_word *w, size_t n)
{
	for (size_t i = 0; i < n && i < 6; i++)
		if (strpbrk(w[i].text, ":;"))
			return 1;
	return 0;
}

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * A line that holds two fields ('Họ, chữ đệm, tên người mẹ: Bùi Thu Hương
 *    Năm sinh: 1992') is split where the second begins: a gap far wider than
 * the line's spaces between words, followed within six words by a colon.
 * The parts share l's words (no copy).  Without this, a second label too
 * damaged to match is swallowed into the first value.
 */
static size_t split_fields(const struct ocr_line *l, int dpi, struct ocr_line *parts)
{
	int gaps[64], ng = 0;
	for (size_t i = 1; i < l->nwords && ng < 64; i++)
		gaps[ng++] = l->words[i].box.x - (l->words[i - 1].box.x + l->words[i - 1].box.w);
	int wide = dpi / 6;
	if (ng) {
		qsort(gaps, (size_t)ng, sizeof(*gaps), int_cmp);
		if (3 * gaps[ng / 2] > wide)
			wide = 3 * gaps[ng / 2];
	}
	size_t n = 0, start = 0;
	for (size_t i = 1; i <= l->nwords; i++) {
		if (i < l->nwords) {
			const struct ocr_word *a = &l->words[i - 1], *b = &l->words[i];
			/* After a label's colon comes its value, however far. */
			size_t al = strlen(a->text);
			int label_end = al && strchr(":;", a->text[al - 1]);
			if (n + 1 == MAX_PARTS || label_end || b->box.x - (a->box.x + a->box.w) <= wide ||
			    !colon_soon(b, l->nwords - i))
				continue;
		}
		struct ocr_line *p = &parts[n++];
		*p = *l;
		p->words = l->words + start;
		p->nwords = i - start;
		p->alloc = 0;
		if (n > 1 || i < l->nwords) {
			const struct ocr_word *w0 = &p->words[0], *w1 = &p->words[p->nwords - 1];
			p->box.x = w0->box.x;
			p->box.w = w1->box.x + w1->box.w - w0->box.x;
		}
		start = i;
	}
	return n;
}

/*
 * A part of a line after a wide gap: its first words are a label, read or
 * guessed (labels_guess), or they are dropped; never joined to the value
 * before the gap.  Returns the hits, the guessed one first.
 */
static size_t part_hits(struct form_state *st, const struct ocr_line *l,
			struct label_hit *hits, size_t nh)
{
	if (nh && hits[0].first == 0)
		return nh;
	st->last = NULL;
	size_t last;
	int colon;
	enum label_key k = labels_guess(l, &last, &colon);
	if (k == LB_NONE || (nh && last >= hits[0].first) || nh + 1 > MAX_HITS)
		return nh;
	memmove(hits + 1, hits, nh * sizeof(*hits));
	hits[0] = (struct label_hit){k, 0, last, colon, 0};
	return nh + 1;
}

static void scan_line(struct form_state *st, const struct ocr_line *l, int right, int part);

static void scan_lines(struct form_state *st, const struct ocr_lines *ls, size_t first)
{
	int right = lines_right(ls, first);
	for (size_t i = first; i < ls->n; i++) {
		struct ocr_line parts[MAX_PARTS];
		size_t np = split_fields(&ls->v[i], st->c->prep->dpi, parts);
		for (size_t k = 0; k < np; k++)
			scan_line(st, &parts[k], right, (int)k);
	}
}

/*
 * One line, or the part of one that holds a field of its own (part > 0):
 * a part whose label labels_find() cannot read takes the one it is
 * clearly nearest (labels_guess), or is dropped, never joined to the
 * value before it.
 */
static void scan_line(struct form_state *st, const struct ocr_line *l, int right, int part)
{
	struct label_hit hits[MAX_HITS];
	size_t nh = labels_find(l, hits, MAX_HITS);
	if (part > 0) {
		nh = part_hits(st, l, hits, nh);
		if (!nh)
			return;
	}
	if (st->wrap != LB_NONE)
		nh = wrapped_rest(l, st->wrap, hits, nh);
	/* A label cut by the line's end: its value is on the next line. */
	st->wrap = nh && hits[nh - 1].wraps ? hits[nh - 1].key : LB_NONE;
	size_t found = nh;
	nh = drop_address_entries(l, hits, nh);
	if (!nh && found && hits[0].first > 0) {
		/* An address after a label we could not read: its field is lost. */
		st->last = NULL;
		return;
	}
	if (!nh) {
		continue_value(st, l);
		return;
	}
	if (hits[0].first > 0 && st->last) {
		continue_words(st, l, hits[0].first, right);
		st->last = NULL;
	}
	for (size_t j = 0; j < nh; j++)
		take_hit(st, l, hits, nh, j);
}

/* Which model reads a kind of value best (measured on fixture books). */
static enum ocr_model_id model_for(enum value_type vt)
{
	switch (vt) {
	case VT_NAME: return MODEL_VIET;
	case VT_DATE: return MODEL_VIE;
	case VT_NUMBER: return MODEL_VIE;
	default: return MODEL_VIE;
	}
}

/*
 * The clip's reading wins unless it came back empty or much less sure than
 * the page pass: a lone short number gives the line reader too little to
 * go on.  The loser stays as the field's alternative.
 */
static size_t count_digits(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s >= '0' && *s <= '9';
	return n;
}

static void keep_better(struct pending *p, struct ocr_value *v)
{
	if (!p->first || !*p->first || p->nmore)
		return;
	enum value_type vt = column_value_type(p->column);
	/* Numbers and dates are digits: "l" for "1" is the weaker reading. */
	int digits = (vt == VT_NUMBER || vt == VT_DATE) &&
		     count_digits(p->first) > count_digits(v->text);
	if (*v->text && v->conf + 15 >= p->conf && !digits)
		return;
	char *t = v->text;
	v->text = p->first;
	p->first = t;
	v->conf = p->conf;
}

/* The page pass's reading as the field's value. */
static void put_first(struct form_state *st, struct pending *p, struct box all)
{
	struct ocr_value v = {p->first ? p->first : "", p->conf};
	ocr_field_put(st->c, &st->recs[p->rec], p->column, &v, all, MODEL_VIE, NULL);
}

/*
 * Is the page pass's reading good enough to keep?  It read the value in
 * its line's context, which text needs; a clip of its own helps only a
 * doubtful run of digits (a lone "1" read as "l").  Names are read again
 * by the other model and the surer words kept (name_choose).
 */
#define SURE_CONF 80

static int needs_reread(const struct pending *p)
{
	enum value_type vt = column_value_type(p->column);
	if (p->box.w <= 0)
		return 0;
	if (vt == VT_NAME)
		return 1;
	if (vt == VT_TEXT)
		return !p->first || !*p->first;
	return !p->first || !*p->first || p->conf < SURE_CONF;
}

static float line_min_conf(const struct ocr_line *l)
{
	float m = 100;
	for (size_t i = 0; i < l->nwords; i++)
		if (l->words[i].conf < m)
			m = l->words[i].conf;
	return l->nwords ? m : 0;
}

static char *line_text(const struct ocr_line *l)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < l->nwords; i++) {
		if (junk_word(&l->words[i]))
			continue;
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_adds(&sb, l->words[i].text);
	}
	char *t = text_squeeze(sb_str(&sb));
	sb_release(&sb);
	return t;
}

/* Word by word the surer of two readings cut into the same words. */
static char *words_merge(const struct ocr_line *a, const struct ocr_line *b, float *conf,
			 size_t *from_b)
{
	struct strbuf sb = STRBUF_INIT;
	*conf = 100;
	*from_b = 0;
	for (size_t i = 0; i < a->nwords; i++) {
		const struct ocr_word *w = &a->words[i];
		int ca = word_case(w) != 0, cb = word_case(&b->words[i]) != 0;
		/* A name's word starts with a capital: that reading is the better. */
		if (cb > ca || (cb == ca && b->words[i].conf > w->conf)) {
			w = &b->words[i];
			(*from_b)++;
		}
		if (junk_word(w))
			continue;
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_adds(&sb, w->text);
		if (w->conf < *conf)
			*conf = w->conf;
	}
	char *t = text_squeeze(sb_str(&sb));
	sb_release(&sb);
	return t;
}

/*
 * Two readings of a name, the page pass's (vie: reads bold capitals with
 * stacked marks best) and the clip's (Vietnamese): word by word the surer
 * one when both cut the name into the same words, else the reading whose
 * worst word is surer.  *m is the model that gave most of the result;
 * *alt a whole reading that differs from it (for the surname lexicon), or
 * NULL.  Caller frees both strings.
 */
static char *name_choose(const struct ocr_line *a, const struct ocr_line *b, float *conf,
			 enum ocr_model_id *m, char **alt)
{
	char *ta = line_text(a), *tb = line_text(b), *t;
	if (a->nwords && a->nwords == b->nwords) {
		size_t nb;
		t = words_merge(a, b, conf, &nb);
		*m = 2 * nb > a->nwords ? MODEL_VIET : MODEL_VIE;
	} else if (*tb && (line_min_conf(b) > line_min_conf(a) || !*ta)) {
		t = xstrdup(tb);
		*conf = line_min_conf(b);
		*m = MODEL_VIET;
	} else {
		t = xstrdup(ta);
		*conf = line_min_conf(a);
		*m = MODEL_VIE;
	}
	/* The loser: the other model's reading, else the page pass's. */
	const char *lose = *m == MODEL_VIE ? tb : ta;
	if (!*lose || !strcmp(lose, t))
		lose = *m == MODEL_VIE ? ta : tb;
	*alt = *lose && strcmp(lose, t) ? xstrdup(lose) : NULL;
	free(ta);
	free(tb);
	return t;
}

static int reread_name(struct form_state *st, struct pending *p)
{
	struct ocr_ctx *c = st->c;
	struct ocr_line cw;
	if (ocr_read_clip_words(c->eng, MODEL_VIET, c->prep->gray, p->box, c->prep->dpi / 50, &cw,
				c->e) < 0)
		return -1;
	enum ocr_model_id m;
	struct ocr_value v;
	char *alt;
	v.text = name_choose(&p->words, &cw, &v.conf, &m, &alt);
	ocr_field_put(c, &st->recs[p->rec], p->column, &v, p->box, m, alt);
	free(v.text);
	free(alt);
	ocr_line_release(&cw);
	return 0;
}

static int reread(struct form_state *st, struct pending *p)
{
	struct ocr_ctx *c = st->c;
	enum value_type vt = column_value_type(p->column);
	enum ocr_model_id m = model_for(vt);
	struct ocr_value v = {NULL, 0};
	struct box all = p->box;
	for (int i = 0; i < p->nmore; i++)
		all = box_union(all, p->more[i]);
	if (!needs_reread(p)) {
		put_first(st, p, all);
		return 0;
	}
	if (vt == VT_NAME && !p->nmore && p->words.nwords)
		return reread_name(st, p);
	int pad = c->prep->dpi / 50;
	struct box rb = p->box;
	/* A short value gets room: a few digits alone misread. */
	if (rb.w < 3 * p->box.h)
		rb.w += p->box.h;	/* rightwards: the label's colon is on the left */
	if (ocr_read_clip(c->eng, m, c->prep->gray, rb, pad, 7, &v, c->e) < 0)
		return -1;
	for (int i = 0; i < p->nmore; i++) {
		struct ocr_value w = {NULL, 0};
		if (ocr_read_clip(c->eng, m, c->prep->gray, p->more[i], pad, 7, &w, c->e) < 0) {
			free(v.text);
			return -1;
		}
		char *j = xasprintf("%s %s", v.text, w.text);
		free(v.text);
		v.text = text_squeeze(j);
		free(j);
		v.conf = v.conf < w.conf ? v.conf : w.conf;
		free(w.text);
	}
	keep_better(p, &v);
	const char *alt = p->first && strcmp(p->first, v.text) ? p->first : NULL;
	ocr_field_put(c, &st->recs[p->rec], p->column, &v, all, m, alt);
	free(v.text);
	return 0;
}

int ocr_form_read(struct ocr_ctx *c, const struct ocr_lines *ls, size_t first_line)
{
	struct form_state st;
	memset(&st, 0, sizeof(st));
	st.c = c;
	scan_lines(&st, ls, first_line);
	int rc = 0;
	double t0 = time_now();
	for (size_t i = 0; i < st.npend && rc == 0; i++)
		rc = reread(&st, &st.pend[i]);
	c->out->ms_values += (int)((time_now() - t0) * 1000);
	for (size_t i = 0; i < st.npend; i++) {
		free(st.pend[i].first);
		ocr_line_release(&st.pend[i].words);
	}
	free(st.pend);
	if (rc < 0) {
		for (size_t i = 0; i < st.nrecs; i++)
			record_release(&st.recs[i]);
		free(st.recs);
		return rc;
	}
	c->out->recs = st.recs;
	c->out->nrecs = st.nrecs;
	return 0;
}
