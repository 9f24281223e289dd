/*
 * Decoding one page into a raster.  The common scan formats (1-bit and
 * 8-bit gray, palette, RGB, JPEG YCbCr) are read strip by strip or tile by
 * tile straight into the raster; anything else libtiff understands goes
 * through TIFFRGBAImage in bands of whole strips, never a whole-image 32-bit
 * buffer.  Every size was bounded by page_plan_make() before we get here.
 */
#include "ingest/internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How stored samples become 8-bit output for one page. */
struct conv {
	const struct page_plan *p;
	int channels;		/* of the output: 1 or 3 */
	uint8_t lut[256];	/* gray level of each stored value (up to 8 bits) */
	uint8_t pal[256][3];	/* palette colours as 8-bit RGB */
	uint8_t bits1[256][8];	/* one byte of a 1-bit row, expanded */
};

static void conv_gray_init(struct conv *cv)
{
	const struct page_plan *p = cv->p;
	if (p->bps > 8)
		return;
	unsigned maxv = (1u << p->bps) - 1;
	int is_signed = p->sampleformat == SAMPLEFORMAT_INT && p->bps == 8;
	for (unsigned v = 0; v <= maxv; v++) {
		unsigned u = is_signed ? v ^ 0x80 : v; /* -128..127 -> 0..255 */
		unsigned g = u * 255 / maxv;
		cv->lut[v] = (uint8_t)(p->photometric == PHOTOMETRIC_MINISWHITE ? 255 - g : g);
	}
	if (p->bps == 1)
		for (int b = 0; b < 256; b++)
			for (int k = 0; k < 8; k++)
				cv->bits1[b][k] = cv->lut[(b >> (7 - k)) & 1];
}

static int conv_palette_init(TIFF *tif, struct conv *cv, char *why, size_t n)
{
	uint16_t *r, *g, *b;
	if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b)) {
		snprintf(why, n, "palette image without a colour map");
		return -1;
	}
	unsigned count = 1u << cv->p->bps;
	/* Some writers store 8-bit maps; libtiff's own test: all entries < 256. */
	int shift = 0;
	for (unsigned i = 0; i < count; i++)
		if (r[i] >= 256 || g[i] >= 256 || b[i] >= 256)
			shift = 8;
	int gray = 1;
	for (unsigned i = 0; i < count; i++) {
		cv->pal[i][0] = (uint8_t)(r[i] >> shift);
		cv->pal[i][1] = (uint8_t)(g[i] >> shift);
		cv->pal[i][2] = (uint8_t)(b[i] >> shift);
		gray &= cv->pal[i][0] == cv->pal[i][1] && cv->pal[i][1] == cv->pal[i][2];
	}
	cv->channels = gray ? 1 : 3;
	return 0;
}

static int conv_init(TIFF *tif, const struct page_plan *p, struct conv *cv, char *why, size_t n)
{
	memset(cv, 0, sizeof(*cv));
	cv->p = p;
	cv->channels = p->channels;
	if (p->path == DECODE_GRAY)
		conv_gray_init(cv);
	if (p->path == DECODE_PALETTE)
		return conv_palette_init(tif, cv, why, n);
	return 0;
}

static inline unsigned sample_at(const uint8_t *row, uint32_t i, unsigned bps)
{
	uint16_t v;
	switch (bps) {
	case 1:
		return (row[i >> 3] >> (7 - (i & 7))) & 1;
	case 2:
		return (row[i >> 2] >> (6 - 2 * (i & 3))) & 3;
	case 4:
		return (row[i >> 1] >> (4 - 4 * (i & 1))) & 15;
	case 8:
		return row[i];
	default:
		memcpy(&v, row + 2 * (size_t)i, 2); /* native order: libtiff swabbed it */
		return v;
	}
}

static void row_gray(const struct conv *cv, const uint8_t *src, uint32_t npix, uint8_t *dst)
{
	const struct page_plan *p = cv->p;
	uint32_t x = 0;
	if (p->bps == 1 && p->spp == 1) {
		for (; x + 8 <= npix; x += 8)
			memcpy(dst + x, cv->bits1[src[x >> 3]], 8);
		for (; x < npix; x++)
			dst[x] = cv->lut[sample_at(src, x, 1)];
	} else if (p->bps <= 8) {
		for (; x < npix; x++)
			dst[x] = cv->lut[sample_at(src, x * p->spp, p->bps)];
	} else {
		unsigned flip = p->sampleformat == SAMPLEFORMAT_INT ? 0x8000 : 0;
		for (; x < npix; x++) {
			unsigned g = (sample_at(src, x * p->spp, 16) ^ flip) >> 8;
			dst[x] = (uint8_t)(p->photometric == PHOTOMETRIC_MINISWHITE ? 255 - g : g);
		}
	}
}

static void row_palette(const struct conv *cv, const uint8_t *src, uint32_t npix, uint8_t *dst)
{
	for (uint32_t x = 0; x < npix; x++) {
		const uint8_t *c = cv->pal[sample_at(src, x, cv->p->bps)];
		if (cv->channels == 1)
			dst[x] = c[0];
		else
			memcpy(dst + 3 * (size_t)x, c, 3);
	}
}

static void row_rgb(const struct conv *cv, const uint8_t *src, uint32_t npix, uint8_t *dst)
{
	const struct page_plan *p = cv->p;
	if (p->bps == 8) {
		for (uint32_t x = 0; x < npix; x++)
			memcpy(dst + 3 * (size_t)x, src + (size_t)x * p->spp, 3);
		return;
	}
	unsigned maxv = (1u << p->bps) - 1;
	for (uint32_t x = 0; x < npix; x++)
		for (unsigned k = 0; k < 3; k++) {
			unsigned v = sample_at(src, x * p->spp + k, p->bps);
			dst[3 * (size_t)x + k] = (uint8_t)(p->bps == 16 ? v >> 8 : v * 255 / maxv);
		}
}

static void row_convert(const struct conv *cv, const uint8_t *src, uint32_t npix, uint8_t *dst)
{
	switch (cv->p->path) {
	case DECODE_GRAY:
		row_gray(cv, src, npix, dst);
		break;
	case DECODE_PALETTE:
		row_palette(cv, src, npix, dst);
		break;
	default:
		row_rgb(cv, src, npix, dst);
		break;
	}
}

static int decode_fail(char *why, size_t n, const char *what, uint32_t i,
		       const struct tiff_capture *cap)
{
	snprintf(why, n, "%s %u: %s", what, (unsigned)i, tiff_capture_msg(cap, "decode error"));
	return -1;
}

static int decode_strips(TIFF *tif, struct tiff_capture *cap, const struct conv *cv,
			 struct raster *r, uint8_t *buf, char *why, size_t n)
{
	const struct page_plan *p = cv->p;
	uint64_t scan = TIFFScanlineSize64(tif);
	size_t stride = (size_t)r->width * r->channels;
	uint32_t s = 0;
	for (uint32_t y = 0; y < p->h; y += p->rows, s++) {
		uint32_t rows = p->rows < p->h - y ? p->rows : p->h - y;
		uint64_t want = scan * rows;
		if (scan == 0 || want > p->chunk) {
			snprintf(why, n, "strip %u larger than its strip size", (unsigned)s);
			return -1;
		}
		tiff_capture_reset(cap);
		if (TIFFReadEncodedStrip(tif, s, buf, (tmsize_t)want) < (tmsize_t)want)
			return decode_fail(why, n, "strip", s, cap);
		for (uint32_t k = 0; k < rows; k++)
			row_convert(cv, buf + k * scan, p->w, r->data + (y + k) * stride);
	}
	return 0;
}

static int decode_tiles(TIFF *tif, struct tiff_capture *cap, const struct conv *cv,
			struct raster *r, uint8_t *buf, char *why, size_t n)
{
	const struct page_plan *p = cv->p;
	uint64_t trow = TIFFTileRowSize64(tif);
	size_t stride = (size_t)r->width * r->channels;
	if (trow == 0 || trow * p->rows > p->chunk) {
		snprintf(why, n, "bad tile row size");
		return -1;
	}
	for (uint32_t ty = 0; ty < p->h; ty += p->rows)
		for (uint32_t tx = 0; tx < p->w; tx += p->tw) {
			uint32_t t = TIFFComputeTile(tif, tx, ty, 0, 0);
			uint32_t rows = p->rows < p->h - ty ? p->rows : p->h - ty;
			uint32_t cols = p->tw < p->w - tx ? p->tw : p->w - tx;
			tiff_capture_reset(cap);
			if (TIFFReadEncodedTile(tif, t, buf, (tmsize_t)p->chunk) < (tmsize_t)(trow * rows))
				return decode_fail(why, n, "tile", t, cap);
			for (uint32_t k = 0; k < rows; k++)
				row_convert(cv, buf + k * trow, cols,
					    r->data + (ty + k) * stride + (size_t)tx * r->channels);
		}
	return 0;
}

/* Premultiplied RGBA over white paper. */
static void band_copy(const uint32_t *band, uint32_t npix, uint8_t *dst)
{
	for (uint32_t i = 0; i < npix; i++) {
		uint32_t px = band[i];
		unsigned paper = 255 - TIFFGetA(px);
		unsigned c[3] = {TIFFGetR(px), TIFFGetG(px), TIFFGetB(px)};
		for (int k = 0; k < 3; k++)
			dst[3 * (size_t)i + k] = (uint8_t)(c[k] + paper > 255 ? 255 : c[k] + paper);
	}
}

static int decode_rgba(TIFF *tif, struct tiff_capture *cap, const struct page_plan *p,
		       struct raster *r, char *why, size_t n)
{
	TIFFRGBAImage img;
	char emsg[1024] = "";
	if (!TIFFRGBAImageBegin(&img, tif, 1, emsg)) {
		msg_tidy(emsg);
		snprintf(why, n, "%s", emsg[0] ? emsg : "unsupported image layout");
		return -1;
	}
	/* Stored order, no flips: raster_orient() handles all eight cases. */
	img.req_orientation = img.orientation;
	uint32_t *band = malloc((size_t)p->w * p->band * 4);
	int rc = band ? 0 : -1;
	if (!band)
		snprintf(why, n, "out of memory");
	for (uint32_t y = 0; rc == 0 && y < p->h; y += p->band) {
		uint32_t rows = p->band < p->h - y ? p->band : p->h - y;
		img.row_offset = (int)y;
		img.col_offset = 0;
		tiff_capture_reset(cap);
		if (!TIFFRGBAImageGet(&img, band, p->w, rows))
			rc = decode_fail(why, n, "row", y, cap);
		else
			band_copy(band, p->w * rows, r->data + (size_t)y * p->w * 3);
	}
	free(band);
	TIFFRGBAImageEnd(&img);
	return rc;
}

static int page_decode(TIFF *tif, struct tiff_capture *cap, const struct page_plan *p,
		       struct raster *r, char *why, size_t n)
{
	struct conv *cv = xmalloc(sizeof(*cv));
	uint8_t *buf = NULL;
	int rc = conv_init(tif, p, cv, why, n);
	if (rc < 0)
		goto out;
	r->width = (int)p->w;
	r->height = (int)p->h;
	r->channels = cv->channels;
	/* Sizes come from the file: malloc, not xmalloc, so a refusal is a page error. */
	r->data = malloc((size_t)p->w * p->h * (size_t)r->channels);
	buf = p->path == DECODE_RGBA ? NULL : malloc(p->chunk);
	if (!r->data || (p->path != DECODE_RGBA && !buf)) {
		rc = -1;
		snprintf(why, n, "out of memory (%llu MiB)", (unsigned long long)(p->mem >> 20));
		goto out;
	}
	if (p->path == DECODE_RGBA)
		rc = decode_rgba(tif, cap, p, r, why, n);
	else if (p->tiled)
		rc = decode_tiles(tif, cap, cv, r, buf, why, n);
	else
		rc = decode_strips(tif, cap, cv, r, buf, why, n);
out:
	free(buf);
	free(cv);
	return rc;
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static int page_open_load(TIFF *tif, struct tiff_capture *cap, long long size, int page_no,
			  struct raster *out, char *why, size_t n)
{
	struct page_plan p;
	tiff_capture_reset(cap);
	if (!TIFFSetDirectory(tif, (tdir_t)(page_no - 1))) {
		snprintf(why, n, "%s", tiff_capture_msg(cap, "no such page"));
		return -1;
	}
	if (page_plan_make(tif, size, &p, why, n) < 0 || page_decode(tif, cap, &p, out, why, n) < 0)
		return -1;
	if (p.channels == 3)
		raster_collapse_gray(out);
	if (raster_orient(out, p.orientation) < 0) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	int swap = p.orientation >= 5;
	out->xres = swap ? p.yres : p.xres;
	out->yres = swap ? p.xres : p.yres;
	return 0;
}

int ingest_page_load(const char *path, int page_no, struct raster *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (page_no < 1 || page_no > INGEST_MAX_PAGES)
		return err_set(e, "cannot read page %d of '%s': no such page", page_no, path);
	struct tiff_capture cap;
	TIFF *tif = tiff_open(path, &cap);
	if (!tif)
		return err_set(e, "cannot read '%s': %s", path,
			       tiff_capture_msg(&cap, "not a TIFF file"));
	char why[256] = "";
	int rc = page_open_load(tif, &cap, file_size(path), page_no, out, why, sizeof(why));
	TIFFClose(tif);
	if (rc < 0) {
		raster_release(out);
		return err_set(e, "cannot read page %d of '%s': %s", page_no, path, why);
	}
	return 0;
}
