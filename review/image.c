/*
 * Pictures of the page in text cells: the supervisor compares a field with
 * the paper without leaving the terminal.  Braille cells carry 2 x 4 dots,
 * half blocks 1 x 2; a dot is the mean of the pixels under it, inked when
 * darker than Otsu's threshold for the area shown (a printed word on a 300
 * dpi scan stays legible at 3-5 source pixels a dot).
 */
#include "review/review.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Gray of one pixel (RGB by luma). */
static int pixel_gray(const struct raster *img, int x, int y)
{
	const uint8_t *p = img->data + ((size_t)y * img->width + x) * img->channels;
	if (img->channels < 3)
		return p[0];
	return (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000;
}

/* Mean gray of the source rectangle under one dot (summed-area free: dots are few). */
static int dot_mean(const struct raster *img, double x0, double y0, double step)
{
	int xa = (int)x0, ya = (int)y0;
	int xb = (int)(x0 + step), yb = (int)(y0 + step);
	if (xb <= xa)
		xb = xa + 1;
	if (yb <= ya)
		yb = ya + 1;
	if (xb > img->width)
		xb = img->width;
	if (yb > img->height)
		yb = img->height;
	long sum = 0, n = 0;
	for (int y = ya; y < yb; y++)
		for (int x = xa; x < xb; x++, n++)
			sum += pixel_gray(img, x, y);
	return n ? (int)(sum / n) : 255;
}

/* Otsu's threshold over the dots; 0 (no ink) when the area is flat. */
static int otsu(const uint8_t *v, size_t n)
{
	long hist[256] = {0};
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		hist[v[i]]++;
		total += v[i];
	}
	double best = -1, sum_b = 0;
	long w_b = 0;
	int t_best = 0, lo = 255, hi = 0;
	for (int t = 0; t < 256; t++) {
		if (hist[t]) {
			lo = t < lo ? t : lo;
			hi = t;
		}
		w_b += hist[t];
		if (!w_b || (size_t)w_b == n)
			continue;
		sum_b += (double)t * hist[t];
		double m_b = sum_b / w_b, m_f = (total - sum_b) / (double)(n - w_b);
		double between = (double)w_b * (double)(n - w_b) * (m_b - m_f) * (m_b - m_f);
		if (between > best) {
			best = between;
			t_best = t;
		}
	}
	/* A blank area has no ink: do not let noise become text. */
	return hi - lo < 48 ? -1 : t_best;
}

struct dots {
	int w, h;
	uint8_t *ink;	/* w * h, 1 = dark */
};

static void clip_box(const struct raster *img, struct box *b)
{
	if (b->w <= 0 || b->h <= 0) {
		*b = (struct box){0, 0, img->width, img->height};
		return;
	}
	if (b->x < 0)
		b->w += b->x, b->x = 0;
	if (b->y < 0)
		b->h += b->y, b->y = 0;
	if (b->x + b->w > img->width)
		b->w = img->width - b->x;
	if (b->y + b->h > img->height)
		b->h = img->height - b->y;
	if (b->w < 1)
		b->w = 1;
	if (b->h < 1)
		b->h = 1;
}

static void mark_outline(struct dots *d, struct box b, struct box mark, double step)
{
	if (mark.w <= 0)
		return;
	int x0 = (int)floor((mark.x - b.x) / step), x1 = (int)floor((mark.x + mark.w - b.x) / step);
	int y0 = (int)floor((mark.y - b.y) / step), y1 = (int)floor((mark.y + mark.h - b.y) / step);
	for (int x = x0; x <= x1; x++)
		for (int k = 0; k < 2; k++) {
			int y = k ? y1 : y0;
			if (x >= 0 && x < d->w && y >= 0 && y < d->h)
				d->ink[y * d->w + x] = 1;
		}
	for (int y = y0; y <= y1; y++)
		for (int k = 0; k < 2; k++) {
			int x = k ? x1 : x0;
			if (x >= 0 && x < d->w && y >= 0 && y < d->h)
				d->ink[y * d->w + x] = 1;
		}
}

/* Sample b into at most max_w x max_h dots, square dots, never enlarged. */
static void dots_make(const struct raster *img, struct box b, struct box mark, int max_w,
		      int max_h, struct dots *d)
{
	double step = fmax((double)b.w / max_w, (double)b.h / max_h);
	if (step < 1)
		step = 1;
	d->w = (int)ceil(b.w / step);
	d->h = (int)ceil(b.h / step);
	if (d->w > max_w)
		d->w = max_w;
	if (d->h > max_h)
		d->h = max_h;
	size_t n = (size_t)d->w * d->h;
	uint8_t *gray = xmalloc(n);
	for (int y = 0; y < d->h; y++)
		for (int x = 0; x < d->w; x++)
			gray[y * d->w + x] = (uint8_t)dot_mean(img, b.x + x * step, b.y + y * step, step);
	int t = otsu(gray, n);
	d->ink = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		d->ink[i] = t >= 0 && gray[i] <= t;
	free(gray);
	mark_outline(d, b, mark, step);
}

static int ink_at(const struct dots *d, int x, int y)
{
	return x < d->w && y < d->h && d->ink[y * d->w + x];
}

/* Braille dot numbering: bits for (dx, dy) in a 2 x 4 cell. */
static const unsigned braille_bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

static unsigned cell_braille(const struct dots *d, int cx, int cy)
{
	unsigned bits = 0;
	for (int dy = 0; dy < 4; dy++)
		for (int dx = 0; dx < 2; dx++)
			if (ink_at(d, cx * 2 + dx, cy * 4 + dy))
				bits |= braille_bit[dy][dx];
	return bits ? 0x2800 + bits : ' ';
}

static unsigned cell_blocks(const struct dots *d, int cx, int cy)
{
	int top = ink_at(d, cx, cy * 2), bot = ink_at(d, cx, cy * 2 + 1);
	return top && bot ? 0x2588 : top ? 0x2580 : bot ? 0x2584 : ' ';
}

int review_image_text(const struct raster *img, struct box b, struct box mark, int cols, int rows,
		      enum review_pixels px, char ***lines, int *nlines)
{
	*lines = NULL;
	*nlines = 0;
	if (!img || !img->data || cols < 1 || rows < 1)
		return -1;
	clip_box(img, &b);
	int cw = px == PIXELS_BRAILLE ? 2 : 1, ch = px == PIXELS_BRAILLE ? 4 : 2;
	struct dots d;
	dots_make(img, b, mark, cols * cw, rows * ch, &d);
	int ncols = (d.w + cw - 1) / cw, nrows = (d.h + ch - 1) / ch;
	*lines = xcalloc((size_t)nrows, sizeof(char *));
	for (int y = 0; y < nrows; y++) {
		struct strbuf sb = STRBUF_INIT;
		for (int x = 0; x < ncols; x++)
			sb_add_cp(&sb, (int32_t)(px == PIXELS_BRAILLE ? cell_braille(&d, x, y)
								    : cell_blocks(&d, x, y)));
		(*lines)[y] = sb_detach(&sb);
	}
	*nlines = nrows;
	free(d.ink);
	return 0;
}

/* ---- the field cropped to its ink ---------------------------------------- */

/* The form's rulings (rows or columns dark over 90% of their length) are
 * not writing: cleared before the ink is measured. */
static void rulings_clear(uint8_t *dark, int w, int h, int by_rows)
{
	int n = by_rows ? h : w, len = by_rows ? w : h;
	for (int i = 0; i < n; i++) {
		int k = 0;
		for (int j = 0; j < len; j++)
			k += dark[by_rows ? (size_t)i * w + j : (size_t)j * w + i];
		if (k * 10 >= len * 9)
			for (int j = 0; j < len; j++)
				dark[by_rows ? (size_t)i * w + j : (size_t)j * w + i] = 0;
	}
}

/* The first and last row (or column) with at least 2 dark pixels (a speck
 * is not writing); -1 when none. */
static void ink_span(const uint8_t *dark, int w, int h, int by_rows, int *lo, int *hi)
{
	int n = by_rows ? h : w, len = by_rows ? w : h;
	*lo = *hi = -1;
	for (int i = 0; i < n; i++) {
		int k = 0;
		for (int j = 0; j < len; j++)
			k += dark[by_rows ? (size_t)i * w + j : (size_t)j * w + i];
		if (k >= 2) {
			if (*lo < 0)
				*lo = i;
			*hi = i;
		}
	}
}

struct box review_ink_box(const struct raster *img, struct box b, int margin)
{
	clip_box(img, &b);
	size_t n = (size_t)b.w * b.h;
	uint8_t *gray = xmalloc(n), *dark = xmalloc(n);
	for (int y = 0; y < b.h; y++)
		for (int x = 0; x < b.w; x++)
			gray[(size_t)y * b.w + x] = (uint8_t)pixel_gray(img, b.x + x, b.y + y);
	int t = otsu(gray, n);
	for (size_t i = 0; i < n; i++)
		dark[i] = t >= 0 && gray[i] <= t;
	rulings_clear(dark, b.w, b.h, 1);
	rulings_clear(dark, b.w, b.h, 0);
	int x0, x1, y0, y1;
	ink_span(dark, b.w, b.h, 1, &y0, &y1);
	ink_span(dark, b.w, b.h, 0, &x0, &x1);
	free(gray);
	free(dark);
	if (x0 < 0 || y0 < 0)
		return b;	/* no ink: show the box as it is */
	struct box r = {b.x + x0 - margin, b.y + y0 - margin, x1 - x0 + 1 + 2 * margin,
			y1 - y0 + 1 + 2 * margin};
	clip_box(img, &r);
	return r;
}

void review_image_gray(const struct raster *img, struct box b, int w, int h, uint8_t *out)
{
	clip_box(img, &b);
	double sx = (double)b.w / w, sy = (double)b.h / h;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int xa = b.x + (int)(x * sx), ya = b.y + (int)(y * sy);
			int xb = b.x + (int)((x + 1) * sx), yb = b.y + (int)((y + 1) * sy);
			long sum = 0, k = 0;
			for (int yy = ya; yy < (yb > ya ? yb : ya + 1); yy++)
				for (int xx = xa; xx < (xb > xa ? xb : xa + 1); xx++, k++)
					sum += pixel_gray(img, xx, yy);
			out[(size_t)y * w + x] = (uint8_t)(k ? sum / k : 255);
		}
}
