/*
 * preprocess: a scanned page to the clean images the readers use.
 *
 * raster -> gray with red seal ink turned to paper -> ~300 dpi ->
 * background-normalised (uneven light, yellowed paper) -> Otsu binary ->
 * deskewed -> specks removed.  Keeps the transform from the work image back
 * to the original page so every box we report points into the stored scan.
 * Nothing here depends on where things are printed.
 */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_DPI 300
#define A4_WIDTH_IN 8.27

/* Red ink (seals, red stamps): clearly more red than green and blue. */
static int is_red(int r, int g, int b)
{
	int m = g > b ? g : b;
	return r > 90 && r - m > 45;
}

PIX *ocr_raster_gray(const struct raster *rs)
{
	PIX *p = pixCreate(rs->width, rs->height, 8);
	l_uint32 *data = pixGetData(p);
	int wpl = pixGetWpl(p);
	for (int y = 0; y < rs->height; y++) {
		const uint8_t *src = rs->data + (size_t)y * rs->width * rs->channels;
		l_uint32 *line = data + (size_t)y * wpl;
		for (int x = 0; x < rs->width; x++) {
			int v;
			if (rs->channels == 1) {
				v = src[x];
			} else {
				int r = src[3 * x], g = src[3 * x + 1], b = src[3 * x + 2];
				v = is_red(r, g, b) ? 255 : (r * 77 + g * 150 + b * 29) >> 8;
			}
			SET_DATA_BYTE(line, x, v);
		}
	}
	return p;
}

/* The page's resolution: the file's, else a guess from an A4 width. */
static double page_dpi(const struct raster *rs)
{
	double d = rs->xres > 0 ? rs->xres : rs->yres;
	if (d >= 50 && d <= 1200)
		return d;
	d = rs->width / A4_WIDTH_IN;
	return d < 72 ? 72 : d;
}

static PIX *scale_to_target(PIX *g, double dpi, double *scale)
{
	*scale = 1.0;
	/* 250-400 dpi is what Tesseract likes; leave those alone. */
	if (dpi >= 250 && dpi <= 400)
		return pixClone(g);
	*scale = TARGET_DPI / dpi;
	if (*scale > 1)
		return pixScaleGrayLI(g, (float)*scale, (float)*scale);
	return pixScaleAreaMap(g, (float)*scale, (float)*scale);
}

static PIX *binarise(PIX *norm)
{
	l_int32 t = 160;
	/*
	 * A global Otsu on the already flattened background, from every other
	 * pixel of every other row: the histogram is the same, four times as fast.
	 */
	NUMA *na = pixGetGrayHistogram(norm, 2);
	if (!na || numaSplitDistribution(na, 0.1f, &t, NULL, NULL, NULL, NULL, NULL) != 0)
		t = 160;
	numaDestroy(&na);
	/* On a page of paper alone Otsu splits the paper's grain: bound it. */
	if (t < 80)
		t = 80;
	if (t > 190)
		t = 190;
	return pixThresholdToBinary(norm, (int)t);
}

/* Specks smaller than a dot of a diacritic are dust or scan noise. */
static PIX *despeckle(PIX *bin)
{
	PIX *c = pixSelectBySize(bin, 3, 3, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	return c ? c : pixClone(bin);
}

/*
 * Grain: components no bigger than two pixels of the scan itself (scan
 * noise comes at the scanner's pixel size, whatever the type size; a dot
 * or a tone mark of a face read at 150 dpi or more is larger) that lie
 * away from every letter.  Marks belong to a letter within a few points
 * of them; specks fall anywhere, and in empty space are read as text.
 */
static PIX *grain(PIX *bin, int dpi, double scale)
{
	int small = (int)(2 * scale + 1), near = dpi / 30;
	PIX *tiny = pixSelectBySize(bin, small, small, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	PIX *letters = tiny ? pixSubtract(NULL, bin, tiny) : NULL;
	PIX *zone = letters ? pixDilateBrick(NULL, letters, 2 * near + 1, 2 * near + 1) : NULL;
	PIX *seed = zone ? pixAnd(NULL, tiny, zone) : NULL;
	PIX *marks = seed ? pixSeedfillBinary(NULL, seed, tiny, 8) : NULL;
	PIX *out = marks ? pixSubtract(NULL, tiny, marks) : NULL;
	pixDestroy(&tiny);
	pixDestroy(&letters);
	pixDestroy(&zone);
	pixDestroy(&seed);
	pixDestroy(&marks);
	return out;
}

/*
 * Grain off the page, before anything reads it: off the binary, and off
 * the gray, which Tesseract reads, as paper a pixel wider than the speck
 * for its blur.  Salt-and-pepper on a 150-200 dpi bilevel scan otherwise
 * joins lines into one (a value taken from the next record) and is read
 * as commas, tone marks and letters.
 */
static void degrain(struct ocr_prep *p)
{
	PIX *g = grain(p->bin, p->dpi, p->xf.scale);
	if (!g)
		return;
	pixSubtract(p->bin, p->bin, g);
	pixDilateBrick(g, g, 3, 3);
	pixPaintThroughMask(p->gray, g, 0, 0, 255);
	pixDestroy(&g);
}

/*
 * The page's gray becomes g (taken; NULL is fine), and its binary follows,
 * despeckled when clean.  -1 and nothing changed when either is missing.
 */
static int set_gray(struct ocr_prep *p, PIX *g, int clean)
{
	PIX *b = g ? binarise(g) : NULL;
	if (b && clean) {
		PIX *c = despeckle(b);
		pixDestroy(&b);
		b = c;
	}
	if (!b) {
		pixDestroy(&g);
		return -1;
	}
	pixDestroy(&p->gray);
	pixDestroy(&p->bin);
	p->gray = g;
	p->bin = b;
	return 0;
}

static void deskew(struct ocr_prep *p)
{
	l_float32 deg = 0, conf = 0;
	if (pixFindSkew(p->bin, &deg, &conf) != 0 || conf < 2.5f || fabsf(deg) < 0.08f)
		return;
	double rad = deg * M_PI / 180.0;
	PIX *g = pixRotate(p->gray, (float)rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
	if (set_gray(p, g, 0) == 0)
		p->xf.angle = rad;
}

/* Blank: almost no ink, or only a few blobs, away from the scan's edges. */
static int is_blank(PIX *bin, float *ink)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin);
	BOX *b = boxCreate(w / 20, h / 20, w - w / 10, h - h / 10);
	PIX *in = pixClipRectangle(bin, b, NULL);
	boxDestroy(&b);
	int count = 0, ncc = 0;
	pixCountPixels(in, &count, NULL);
	*ink = (float)count / ((float)pixGetWidth(in) * pixGetHeight(in));
	int blank = *ink < 0.0005f;
	if (!blank && *ink < 0.004f) {
		PIX *big = pixSelectBySize(in, 8, 8, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
		if (big)
			pixCountConnComp(big, 8, &ncc);
		blank = ncc < 25;
		pixDestroy(&big);
	}
	pixDestroy(&in);
	return blank;
}

/*
 * Mean stroke width of the ink, in pixels: a stroke of width w and length
 * L has w*L pixels of which about 2*L lie on its edge.
 */
static float stroke_width(PIX *bin)
{
	PIX *inner = pixErodeBrick(NULL, bin, 3, 3);
	int ink = 0, in = 0;
	pixCountPixels(bin, &ink, NULL);
	if (inner)
		pixCountPixels(inner, &in, NULL);
	pixDestroy(&inner);
	return ink > in ? 2.0f * (float)ink / (float)(ink - in) : 0;
}

/*
 * Thin strokes (a typewriter's, a light face) shrink below two pixels when
 * Tesseract scales a line to its network's height, and grain then breaks
 * them: "thị trấn" read "ti biên".  Such pages get their ink thickened (a
 * 3x3 minimum on the gray, two pixels more stroke) before anything reads
 * them.  Measured on 48 generated pages (Format T typewriter, FreeMono,
 * Nimbus Mono, and the F faces): thin pages measure 2.2-2.6 px, the others
 * 2.8-5.7; thickened, the thin ones went from 92% to 95% of names and 80%
 * to 86% of places exact, and thickening pages up to 3.2 px lost a record.
 */
#define THIN_STROKE 2.7f

static void thicken_thin(struct ocr_prep *p)
{
	p->stroke = stroke_width(p->bin);
	if (p->stroke <= 0 || p->stroke >= THIN_STROKE)
		return;
	set_gray(p, pixErodeGray(p->gray, 3, 3), 1);
}

int ocr_prep_make(const struct raster *page, struct ocr_prep *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (!page->data || page->width < 16 || page->height < 16 ||
	    (page->channels != 1 && page->channels != 3))
		return err_set(e, "page image is empty or not 8-bit gray or RGB");
	PIX *g0 = ocr_raster_gray(page);
	double scale;
	PIX *g1 = scale_to_target(g0, page_dpi(page), &scale);
	pixDestroy(&g0);
	out->gray = pixBackgroundNorm(g1, NULL, NULL, 10, 15, 100, 50, 240, 2, 1);
	if (!out->gray)
		out->gray = pixClone(g1);
	pixDestroy(&g1);
	out->dpi = TARGET_DPI;
	out->xf.scale = scale;
	out->xf.ow = page->width;
	out->xf.oh = page->height;
	out->bin = binarise(out->gray);
	if (!out->bin) {
		ocr_prep_release(out);
		return err_set(e, "cannot binarise the page");
	}
	deskew(out);
	degrain(out);
	PIX *clean = despeckle(out->bin);
	pixDestroy(&out->bin);
	out->bin = clean;
	out->xf.w = pixGetWidth(out->gray);
	out->xf.h = pixGetHeight(out->gray);
	out->blank = is_blank(out->bin, &out->ink);
	if (!out->blank)
		thicken_thin(out);	/* after: grown specks must not unblank a page */
	return 0;
}

void ocr_prep_flip(struct ocr_prep *p)
{
	PIX *g = pixRotate180(NULL, p->gray);
	PIX *b = pixRotate180(NULL, p->bin);
	pixDestroy(&p->gray);
	pixDestroy(&p->bin);
	p->gray = g;
	p->bin = b;
	p->xf.flipped = !p->xf.flipped;
}

void ocr_prep_release(struct ocr_prep *p)
{
	pixDestroy(&p->gray);
	pixDestroy(&p->bin);
}

int ocr_prep_updown(const struct ocr_prep *p)
{
	l_float32 conf = 0;
	if (pixUpDownDetect(p->bin, &conf, 0, 0, 0) != 0)
		return 0;
	if (conf > 4.0f)
		return 1;
	if (conf < -4.0f)
		return -1;
	return 0;
}

/* A work-image point back to the original page. */
static void xform_point(const struct ocr_xform *xf, double x, double y, double *ox, double *oy)
{
	if (xf->flipped) {
		x = xf->w - x;
		y = xf->h - y;
	}
	if (xf->angle != 0) {
		/* Undo the deskew rotation about the image centre. */
		double cx = xf->w / 2.0, cy = xf->h / 2.0;
		double c = cos(xf->angle), s = sin(xf->angle);
		double dx = x - cx, dy = y - cy;
		x = cx + dx * c + dy * s;
		y = cy - dx * s + dy * c;
	}
	*ox = x / xf->scale;
	*oy = y / xf->scale;
}

struct box ocr_xform_box(const struct ocr_xform *xf, struct box b)
{
	if (b.w <= 0)
		return b;
	double xs[4] = {b.x, b.x + b.w, b.x, b.x + b.w};
	double ys[4] = {b.y, b.y, b.y + b.h, b.y + b.h};
	double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
	for (int i = 0; i < 4; i++) {
		double ox, oy;
		xform_point(xf, xs[i], ys[i], &ox, &oy);
		x0 = fmin(x0, ox);
		y0 = fmin(y0, oy);
		x1 = fmax(x1, ox);
		y1 = fmax(y1, oy);
	}
	x0 = fmax(0, x0);
	y0 = fmax(0, y0);
	x1 = fmin(xf->ow, x1);
	y1 = fmin(xf->oh, y1);
	struct box r = {(int)lround(x0), (int)lround(y0), (int)lround(x1 - x0), (int)lround(y1 - y0)};
	if (r.w <= 0 || r.h <= 0)
		r.w = r.h = 0;
	return r;
}
