/*
 * layout_table: Format T, the ruled table of older typewritten books.
 *
 * The grid is found with morphology: opening the binary page with a long
 * horizontal (then vertical) line element keeps only ruling, whose
 * projection profile gives the line positions.  The first row holds the
 * column titles, named by matching (order varies between books, titles
 * wrap); each later row is one registration, each cell read from its own
 * clip, wrapped lines joined; empty rows are skipped.
 */
#include "ocr/ocr_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LINES 200

void ocr_grid_release(struct ocr_grid *g)
{
	free(g->xs);
	free(g->ys);
	memset(g, 0, sizeof(*g));
}

/*
 * Positions where the profile is at least half its maximum, runs of
 * neighbouring positions merged into their centre.
 */
static int profile_lines(NUMA *na, int **out)
{
	int n = numaGetCount(na);
	l_float32 maxv = 0;
	numaGetMax(na, &maxv, NULL);
	*out = NULL;
	if (maxv <= 0)
		return 0;
	int *v = xmalloc(MAX_LINES * sizeof(*v));
	int nv = 0, start = -1;
	for (int i = 0; i <= n; i++) {
		l_float32 x = 0;
		if (i < n)
			numaGetFValue(na, i, &x);
		int on = i < n && x >= maxv * 0.5f;
		if (on && start < 0)
			start = i;
		if (!on && start >= 0) {
			int c = (start + i - 1) / 2;
			/* Lines closer than a few pixels are one thick or doubled rule. */
			if (nv && c - v[nv - 1] < 4)
				v[nv - 1] = (v[nv - 1] + c) / 2;
			else if (nv < MAX_LINES)
				v[nv++] = c;
			start = -1;
		}
	}
	*out = v;
	return nv;
}

/* Vertical span of the image's ink rows holding at least min pixels. */
static void ink_span(PIX *pix, int min, int *top, int *bottom)
{
	NUMA *na = pixCountPixelsByRow(pix, NULL);
	int n = na ? numaGetCount(na) : 0;
	*top = 0;
	*bottom = pixGetHeight(pix);
	for (int y = 0; y < n; y++) {
		l_float32 v = 0;
		numaGetFValue(na, y, &v);
		if (v >= min) {
			if (*top == 0 || y < *top)
				*top = y;
			*bottom = y;
		}
	}
	numaDestroy(&na);
}

/*
 * Rule positions.  For horizontal rules, span (when not NULL) bounds the
 * rows to keep: a rule under the running header is no row of the table.
 */
static int find_rules(PIX *bin, int dpi, int horizontal, int **pos, int *span)
{
	int len = horizontal ? dpi / 2 : dpi / 4;
	PIX *o = horizontal ? pixOpenBrick(NULL, bin, len, 1) : pixOpenBrick(NULL, bin, 1, len);
	int n = 0;
	*pos = NULL;
	if (!o)
		return 0;
	/* Close small breaks in damaged rules before measuring them. */
	PIX *cl = horizontal ? pixCloseBrick(NULL, o, dpi / 10, 3) : pixCloseBrick(NULL, o, 3, dpi / 10);
	NUMA *na = horizontal ? pixCountPixelsByRow(cl ? cl : o, NULL)
			      : pixCountPixelsByColumn(cl ? cl : o);
	if (na) {
		n = profile_lines(na, pos);
		numaDestroy(&na);
	}
	/* Where at least two vertical rules run is where the table is. */
	if (!horizontal && span)
		ink_span(cl ? cl : o, 2, &span[0], &span[1]);
	pixDestroy(&cl);
	pixDestroy(&o);
	return n;
}

/* Drop horizontal rules more than tol outside [span[0], span[1]]. */
static int rules_within(int *ys, int n, const int *span, int tol)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		if (ys[i] >= span[0] - tol && ys[i] <= span[1] + tol)
			ys[k++] = ys[i];
	return k;
}

static void positions_scale(int *v, int n, int f)
{
	for (int i = 0; i < n; i++)
		v[i] = v[i] * f + f / 2;
}

/*
 * Rules are found at half resolution (a pixel is on when any of its four
 * was): ruling survives, and the morphology costs a quarter.
 */
int ocr_grid_find(const struct ocr_prep *p, struct ocr_grid *g)
{
	int span[2] = {0, 0};
	memset(g, 0, sizeof(*g));
	PIX *half = pixReduceRankBinary2(p->bin, 1, NULL);
	if (!half)
		return 0;
	int dpi = p->dpi / 2;
	g->nx = find_rules(half, dpi, 0, &g->xs, span);
	g->ny = find_rules(half, dpi, 1, &g->ys, NULL);
	pixDestroy(&half);
	if (g->nx >= 3)
		g->ny = rules_within(g->ys, g->ny, span, dpi / 20);
	positions_scale(g->xs, g->nx, 2);
	positions_scale(g->ys, g->ny, 2);
	if (g->nx >= 3 && g->ny >= 3)
		return 1;
	ocr_grid_release(g);
	return 0;
}

static struct box cell_box(const struct ocr_grid *g, int col, int row, int margin)
{
	struct box b = {g->xs[col] + margin, g->ys[row] + margin,
			g->xs[col + 1] - g->xs[col] - 2 * margin,
			g->ys[row + 1] - g->ys[row] - 2 * margin};
	if (b.w < 4 || b.h < 4)
		b.w = b.h = 0;
	return b;
}

/* Ink in a cell, away from its rules: below a few specks it is empty. */
static int cell_has_ink(const struct ocr_prep *p, struct box b)
{
	if (b.w <= 0)
		return 0;
	BOX *bx = boxCreate(b.x, b.y, b.w, b.h);
	int count = 0;
	pixCountPixelsInRect(p->bin, bx, &count, NULL);
	boxDestroy(&bx);
	return count > p->dpi / 6;
}

/*
 * The text lines inside a cell: bands of rows holding ink, a diacritic's
 * band merged with the letters it sits on.  Returns the number found.
 */
static int cell_bands(const struct ocr_prep *p, struct box b, int *y0, int *y1, int max)
{
	BOX *bx = boxCreate(b.x, b.y, b.w, b.h);
	PIX *clip = pixClipRectangle(p->bin, bx, NULL);
	boxDestroy(&bx);
	if (!clip)
		return 0;
	NUMA *na = pixCountPixelsByRow(clip, NULL);
	pixDestroy(&clip);
	if (!na)
		return 0;
	int n = 0, start = -1, gap = p->dpi / 30, minh = p->dpi / 25;
	for (int y = 0; y <= b.h; y++) {
		l_float32 v = 0;
		if (y < b.h)
			numaGetFValue(na, y, &v);
		if (v > 0 && start < 0)
			start = y;
		if ((v <= 0 || y == b.h) && start >= 0) {
			if (n && start - y1[n - 1] < gap)
				y1[n - 1] = y;	/* accent and letters: one line */
			else if (n < max) {
				y0[n] = start;
				y1[n] = y;
				n++;
			}
			start = -1;
		}
	}
	numaDestroy(&na);
	/* A band too thin to be a line is a diacritic: fold it into the next. */
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (y1[i] - y0[i] < minh && i + 1 < n) {
			y0[i + 1] = y0[i];
			continue;
		}
		y0[k] = y0[i];
		y1[k] = y1[i];
		k++;
	}
	return k;
}

/* The box around the ink inside b (b itself when it holds none). */
static struct box ink_box(PIX *bin, struct box b)
{
	BOX *bx = boxCreate(b.x, b.y, b.w, b.h), *fg = NULL;
	struct box r = b;
	if (bx && pixClipBoxToForeground(bin, bx, NULL, &fg) == 0 && fg) {
		l_int32 x, y, w, h;
		boxGetGeometry(fg, &x, &y, &w, &h);
		r = (struct box){x, y, w, h};
	}
	boxDestroy(&fg);
	boxDestroy(&bx);
	return r;
}

/* Join a wrapped cell's lines; "Na-" + "m" is one word broken by a hyphen. */
static void join_line(struct strbuf *sb, const char *t, enum value_type vt)
{
	if (!*t)
		return;
	if (sb->len && sb->buf[sb->len - 1] == '-' && vt == VT_TEXT) {
		sb->len--;
		sb->buf[sb->len] = '\0';
	} else if (sb->len && vt != VT_DATE && vt != VT_NUMBER) {
		sb_addc(sb, ' ');
	}
	/* Dates and numbers wrap without a space inside them. */
	sb_adds(sb, t);
}

static int read_cell(struct ocr_ctx *c, struct box b, enum ocr_model_id m, enum value_type vt,
		     struct ocr_value *v)
{
	int y0[16], y1[16];
	int n = cell_bands(c->prep, b, y0, y1, 16);
	struct strbuf sb = STRBUF_INIT;
	float conf = 100;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct box lb = ink_box(c->prep->bin, (struct box){b.x, b.y + y0[i], b.w, y1[i] - y0[i]});
		struct ocr_value lv = {NULL, 0};
		/* Lines set close together merge into one band: read it as a block. */
		int psm = lb.h > c->prep->dpi / 5 ? 6 : 7;
		rc = ocr_read_clip(c->eng, m, c->prep->gray, lb, 3, psm, &lv, c->e);
		join_line(&sb, lv.text ? lv.text : "", vt);
		if (lv.text && *lv.text && lv.conf < conf)
			conf = lv.conf;
		free(lv.text);
	}
	v->text = text_squeeze(sb_str(&sb));
	v->conf = n ? conf : 0;
	sb_release(&sb);
	return rc;
}

/* The text of each column's title cell (row 0); NULL where it has no ink. */
static int read_titles(struct ocr_ctx *c, const struct ocr_grid *g, int margin, char **texts)
{
	for (int col = 0; col + 1 < g->nx; col++) {
		texts[col] = NULL;
		struct box b = cell_box(g, col, 0, margin);
		if (!cell_has_ink(c->prep, b))
			continue;
		struct ocr_value v = {NULL, 0};
		if (read_cell(c, b, MODEL_VIE, VT_TEXT, &v) < 0)
			return -1;
		texts[col] = v.text;
	}
	return 0;
}

/* Name each column of a kind's book from its title; NULL where none matches. */
static int name_columns(enum book_kind kind, char *const *texts, int ncols, const char **names)
{
	int found = 0;
	for (int col = 0; col < ncols; col++) {
		names[col] = NULL;
		const char *name = texts[col] ? labels_table_column(kind, texts[col]) : NULL;
		for (int k = 0; name && k < col; k++)
			if (names[k] && !strcmp(names[k], name))
				name = NULL;
		if (name && column_index(kind, name) >= 0) {
			names[col] = name;
			found++;
		}
	}
	return found;
}

/*
 * A page whose header was not read (grain, a torn top) still says its kind
 * in its column titles: the kind whose titles name the most columns, when
 * it names at least three and more than any other kind does.
 */
static enum book_kind kind_from_titles(char *const *texts, int ncols, const char **names)
{
	static const enum book_kind kinds[] = {KIND_KS, KIND_KH, KIND_KT};
	enum book_kind best = KIND_NONE;
	int best_n = 2, tie = 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int n = name_columns(kinds[i], texts, ncols, names);
		if (n > best_n) {
			best = kinds[i];
			best_n = n;
			tie = 0;
		} else if (n == best_n) {
			tie = 1;
		}
	}
	return tie ? KIND_NONE : best;
}

static enum ocr_model_id cell_model(const char *column)
{
	return column_value_type(column) == VT_NAME ? MODEL_VIET : MODEL_VIE;
}

static int read_row(struct ocr_ctx *c, const struct ocr_grid *g, int row, int margin,
		    const char **names, struct record *rec)
{
	for (int col = 0; col + 1 < g->nx; col++) {
		if (!names[col])
			continue;
		struct box b = cell_box(g, col, row, margin);
		struct ocr_value v = {NULL, 0};
		enum ocr_model_id m = cell_model(names[col]);
		if (cell_has_ink(c->prep, b)) {
			if (read_cell(c, b, m, column_value_type(names[col]), &v) < 0)
				return -1;
		} else {
			v.text = xstrdup("");
			v.conf = 95;
		}
		ocr_field_put(c, rec, names[col], &v, b, m, NULL);
		free(v.text);
	}
	return 0;
}

static int row_empty(const struct ocr_ctx *c, const struct ocr_grid *g, int row, int margin,
		     const char **names)
{
	for (int col = 0; col + 1 < g->nx; col++)
		if (names[col] && cell_has_ink(c->prep, cell_box(g, col, row, margin)))
			return 0;
	return 1;
}

static int table_read(struct ocr_ctx *c, const struct ocr_grid *g)
{
	int ncols = g->nx - 1;
	const char **names = xcalloc((size_t)g->nx, sizeof(*names));
	char **titles = xcalloc((size_t)g->nx, sizeof(*titles));
	int margin = c->prep->dpi / 60 + 2;
	int rc = read_titles(c, g, margin, titles);
	if (rc == 0 && c->kind == KIND_NONE)
		c->kind = kind_from_titles(titles, ncols, names);
	if (rc == 0)
		rc = c->kind == KIND_NONE ? 0 : name_columns(c->kind, titles, ncols, names);
	for (int col = 0; col < ncols; col++)
		free(titles[col]);
	free(titles);
	struct record *recs = NULL;
	size_t n = 0, alloc = 0;
	double t0 = time_now();
	for (int row = 1; rc > 0 && row + 1 < g->ny; row++) {
		if (row_empty(c, g, row, margin, names))
			continue;
		ALLOC_GROW(recs, n + 1, alloc);
		record_init(&recs[n], c->kind);
		recs[n].index = (int)n;
		n++;
		if (read_row(c, g, row, margin, names, &recs[n - 1]) < 0)
			rc = -1;
	}
	c->out->ms_values += (int)((time_now() - t0) * 1000);
	free(names);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			record_release(&recs[i]);
		free(recs);
		return -1;
	}
	c->out->recs = recs;
	c->out->nrecs = n;
	return 0;
}

/*
 * The table's ink without its rules, for reading cells: ruling (long
 * runs, opened out of the binary page and widened by the rules' own blur)
 * is cleared on the binary, and the gray keeps only what lies next to the
 * ink left.  Tesseract reads a rule's stub as 'l', '|' or '-' ('Kinh + m',
 * 'Trần Đức Tuấn — Lề È .'), and a cell clipped inside its rules still
 * holds them where the grid is skewed or the text touches it.
 */
static void table_clean(const struct ocr_prep *p, struct ocr_prep *out)
{
	*out = *p;
	int len = p->dpi / 3;
	PIX *h = pixOpenBrick(NULL, p->bin, len, 1);
	PIX *v = pixOpenBrick(NULL, p->bin, 1, len);
	PIX *rules = h && v ? pixOr(NULL, h, v) : NULL;
	pixDestroy(&h);
	pixDestroy(&v);
	if (rules)
		pixDilateBrick(rules, rules, 5, 5);
	PIX *erase = rules;
	if (!erase)
		return;
	out->bin = pixSubtract(NULL, p->bin, erase);
	/*
	 * The gray keeps only what lies on or next to the kept ink: faint
	 * grain the binary missed, and the blur around what it erased, go too.
	 */
	PIX *keep = out->bin ? pixDilateBrick(NULL, out->bin, 5, 5) : NULL;
	if (keep)
		pixInvert(keep, keep);
	out->gray = keep ? pixCopy(NULL, p->gray) : NULL;
	if (!out->bin || !out->gray || pixPaintThroughMask(out->gray, keep, 0, 0, 255)) {
		pixDestroy(&out->bin);
		pixDestroy(&out->gray);
		*out = *p;
	}
	pixDestroy(&keep);
	pixDestroy(&erase);
}

static void table_clean_release(const struct ocr_prep *p, struct ocr_prep *clean)
{
	if (clean->bin != p->bin)
		pixDestroy(&clean->bin);
	if (clean->gray != p->gray)
		pixDestroy(&clean->gray);
}

int ocr_table_read(struct ocr_ctx *c, const struct ocr_grid *g)
{
	struct ocr_prep *page_prep = c->prep, clean;
	table_clean(page_prep, &clean);
	c->prep = &clean;
	int rc = table_read(c, g);
	c->prep = page_prep;
	table_clean_release(page_prep, &clean);
	return rc;
}
