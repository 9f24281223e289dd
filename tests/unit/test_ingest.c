/*
 * Unit tests: ingest/ (finding books, scanning pages, decoding them).
 * Every TIFF is written here with libtiff (or by hand, for the hostile
 * ones) so the expected pixels are known exactly.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <tiffio.h>

#include "ingest/ingest.h"

static char dir[64];

static const char *tmp_path(const char *name)
{
	static char buf[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* ---- writing test TIFFs ---------------------------------------------- */

/* One page to write; px holds 8-bit samples (spp per pixel), stored order. */
struct spec {
	uint32_t w, h;
	uint16_t bps, spp, photometric, compression, orientation;
	uint32_t rows;		/* rows per strip; 0: whole image */
	uint32_t tile;		/* square tile side; 0: strips */
	float xres, yres;
	uint16_t unit;
	const uint8_t *px;
};

/* Pack one row of 8-bit samples into the file's bit depth. */
static void pack_row(const struct spec *s, const uint8_t *src, uint32_t n, uint8_t *dst)
{
	if (s->bps == 1) {
		memset(dst, 0, (n + 7) / 8);
		for (uint32_t x = 0; x < n; x++) {
			int black = src[x] < 128;
			int bit = s->photometric == PHOTOMETRIC_MINISWHITE ? black : !black;
			if (bit)
				dst[x / 8] |= (uint8_t)(0x80 >> (x % 8));
		}
	} else if (s->bps == 16) {
		for (uint32_t i = 0; i < n * s->spp; i++) {
			uint16_t v = (uint16_t)(src[i] * 257);
			memcpy(dst + 2 * i, &v, 2);
		}
	} else {
		memcpy(dst, src, (size_t)n * s->spp);
	}
}

static void set_tags(TIFF *t, const struct spec *s)
{
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, s->w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, s->h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, s->bps);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, s->spp);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_COMPRESSION, s->compression);
	TIFFSetField(t, TIFFTAG_ORIENTATION, s->orientation ? s->orientation : 1);
	if (s->compression == COMPRESSION_JPEG) {
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
		TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
		TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
	} else {
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, s->photometric);
	}
	if (s->xres > 0) {
		TIFFSetField(t, TIFFTAG_XRESOLUTION, s->xres);
		TIFFSetField(t, TIFFTAG_YRESOLUTION, s->yres);
		TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, s->unit ? s->unit : RESUNIT_INCH);
	}
	if (s->tile) {
		TIFFSetField(t, TIFFTAG_TILEWIDTH, s->tile);
		TIFFSetField(t, TIFFTAG_TILELENGTH, s->tile);
	} else {
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, s->rows ? s->rows : s->h);
	}
}

static void write_tiles(TIFF *t, const struct spec *s)
{
	tmsize_t tsize = TIFFTileSize(t);
	uint8_t *buf = calloc(1, (size_t)tsize);
	uint8_t *src = calloc(s->tile, s->spp);
	size_t trow = (size_t)tsize / s->tile;
	for (uint32_t ty = 0; ty < s->h; ty += s->tile)
		for (uint32_t tx = 0; tx < s->w; tx += s->tile) {
			memset(buf, 0, (size_t)tsize);
			for (uint32_t r = 0; r < s->tile && ty + r < s->h; r++) {
				uint32_t n = s->w - tx < s->tile ? s->w - tx : s->tile;
				memcpy(src, s->px + ((size_t)(ty + r) * s->w + tx) * s->spp,
				       (size_t)n * s->spp);
				pack_row(s, src, n, buf + r * trow);
			}
			assert_true(TIFFWriteTile(t, buf, tx, ty, 0, 0) > 0);
		}
	free(src);
	free(buf);
}

static void write_page(TIFF *t, const struct spec *s)
{
	set_tags(t, s);
	if (s->tile) {
		write_tiles(t, s);
	} else {
		uint8_t *row = calloc(1, (size_t)TIFFScanlineSize(t) + 16);
		for (uint32_t y = 0; y < s->h; y++) {
			pack_row(s, s->px + (size_t)y * s->w * s->spp, s->w, row);
			assert_int_equal(TIFFWriteScanline(t, row, y, 0), 1);
		}
		free(row);
	}
	assert_true(TIFFWriteDirectory(t));
}

static void write_tiff(const char *path, const char *mode, const struct spec *pages, int n)
{
	TIFF *t = TIFFOpen(path, mode);
	assert_non_null(t);
	for (int i = 0; i < n; i++)
		write_page(t, &pages[i]);
	TIFFClose(t);
}

/* A gradient that differs at every pixel of a small page. */
static uint8_t *gradient(uint32_t w, uint32_t h, int spp)
{
	uint8_t *px = malloc((size_t)w * h * spp);
	for (uint32_t i = 0; i < w * h * (uint32_t)spp; i++)
		px[i] = (uint8_t)(i * 7 + i / 251);
	return px;
}

/*
 * A classic little-endian TIFF written byte by byte: n 8-bit gray pages
 * w x h sharing one strip at strip_off (0: right after the directories),
 * each directory chained to the next; the last one's next is last_next
 * (8 points back at the first: a loop).
 */
static void write_raw_chain(const char *path, int n, uint32_t w, uint32_t h,
			    uint32_t strip_off, uint32_t last_next)
{
	static const uint16_t tags[] = {256, 257, 258, 259, 262, 273, 277, 278, 279};
	enum { IFD = 2 + 9 * 12 + 4 };
	uint32_t data_at = 8 + (uint32_t)n * IFD;
	uint32_t vals[] = {w, h, 8, 1, 1, strip_off ? strip_off : data_at, 1, h, w * h};
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("II*\0\x08\0\0\0", 1, 8, f);
	for (int k = 0; k < n; k++) {
		uint8_t ifd[IFD];
		memset(ifd, 0, sizeof(ifd));
		ifd[0] = 9;
		for (int i = 0; i < 9; i++) {
			uint8_t *en = ifd + 2 + 12 * i;
			uint16_t type = (tags[i] == 256 || tags[i] == 257 || tags[i] >= 273) &&
						tags[i] != 277 ? 4 : 3;
			uint32_t one = 1;
			memcpy(en, &tags[i], 2);
			memcpy(en + 2, &type, 2);
			memcpy(en + 4, &one, 4);
			memcpy(en + 8, &vals[i], 4);
		}
		uint32_t next = k + 1 < n ? 8 + (uint32_t)(k + 1) * IFD : last_next;
		memcpy(ifd + 2 + 9 * 12, &next, 4);
		fwrite(ifd, 1, sizeof(ifd), f);
	}
	for (uint32_t i = 0; i < 64; i++)
		fputc(0x80, f);
	fclose(f);
}

static void write_raw(const char *path, uint32_t w, uint32_t h, uint32_t strip_off,
		      uint32_t next)
{
	write_raw_chain(path, 1, w, h, strip_off, next);
}

/* ---- helpers for checking --------------------------------------------- */

static void scan_ok(const char *path, struct ingest_book_info *b, int npages)
{
	struct err e = ERR_INIT;
	assert_int_equal(ingest_scan(path, b, &e), 0);
	assert_null(b->error);
	assert_int_equal(b->npages, npages);
	assert_int_equal((int)strlen(b->sha256), SHA256_HEX_LEN);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(b->size, (long long)st.st_size);
}

static void load_ok(const char *path, int page, struct raster *r)
{
	struct err e = ERR_INIT;
	int rc = ingest_page_load(path, page, r, &e);
	if (rc != 0)
		fail_msg("%s", e.msg);
	assert_non_null(r->data);
}

/* ---- the tests --------------------------------------------------------- */

static void g4_bilevel_page(void **state)
{
	enum { W = 203, H = 61 };
	uint8_t *px = malloc(W * H);
	memset(px, 255, W * H);
	for (int y = 10; y < 20; y++)
		for (int x = 100; x < 150; x++)
			px[y * W + x] = 0;
	px[0] = 0; /* a lone black pixel in the corner */
	struct spec s = {W, H, 1, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_CCITTFAX4, 1, 0, 0,
			 300, 300, RESUNIT_INCH, px};
	const char *path = tmp_path("g4.tif");
	write_tiff(path, "w", &s, 1);

	struct ingest_book_info b;
	scan_ok(path, &b, 1);
	struct ingest_page_info *pg = &b.pages[0];
	assert_int_equal(pg->page_no, 1);
	assert_int_equal(pg->width, W);
	assert_int_equal(pg->height, H);
	assert_int_equal(pg->bits, 1);
	assert_int_equal(pg->spp, 1);
	assert_string_equal(pg->compression, "G4");
	assert_true(fabs(pg->xres - 300) < 1e-6 && fabs(pg->yres - 300) < 1e-6);
	assert_null(pg->error);
	ingest_book_info_release(&b);

	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.width, W);
	assert_int_equal(r.height, H);
	assert_int_equal(r.channels, 1);
	assert_memory_equal(r.data, px, W * H);
	assert_true(fabs(r.xres - 300) < 1e-6);
	raster_release(&r);
	free(px);
}

static void gray_lzw_multi_strip(void **state)
{
	enum { W = 37, H = 29 };
	uint8_t *px = gradient(W, H, 1);
	struct spec s = {W, H, 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_LZW, 1, 4, 0, 0, 0, 0, px};
	const char *path = tmp_path("lzw.tif");
	write_tiff(path, "w", &s, 1);
	struct ingest_book_info b;
	scan_ok(path, &b, 1);
	assert_string_equal(b.pages[0].compression, "LZW");
	assert_int_equal(b.pages[0].bits, 8);
	assert_true(b.pages[0].xres == 0 && b.pages[0].yres == 0); /* not stated */
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.channels, 1);
	assert_memory_equal(r.data, px, W * H);
	raster_release(&r);
	free(px);
}

static void miniswhite_8bit_is_inverted(void **state)
{
	enum { W = 9, H = 4 };
	uint8_t *px = gradient(W, H, 1);
	struct spec s = {W, H, 8, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_PACKBITS, 1, 0, 0, 0, 0, 0,
			 px};
	const char *path = tmp_path("mw8.tif");
	write_tiff(path, "w", &s, 1);
	struct raster r;
	load_ok(path, 1, &r);
	for (int i = 0; i < W * H; i++)
		assert_int_equal(r.data[i], 255 - px[i]);
	raster_release(&r);
	free(px);
}

static void gray16_keeps_high_byte(void **state)
{
	enum { W = 11, H = 5 };
	uint8_t *px = gradient(W, H, 1);
	struct spec s = {W, H, 16, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_ADOBE_DEFLATE, 1, 2, 0,
			 0, 0, 0, px};
	const char *path = tmp_path("g16.tif");
	write_tiff(path, "w", &s, 1);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.channels, 1);
	assert_memory_equal(r.data, px, W * H);
	raster_release(&r);
	free(px);
}

static void rgb_jpeg_keeps_colour(void **state)
{
	enum { W = 64, H = 48 };
	uint8_t *px = malloc(W * H * 3);
	memset(px, 255, W * H * 3);
	for (int y = 16; y < 32; y++)
		for (int x = 16; x < 48; x++) {
			px[(y * W + x) * 3 + 1] = 0;
			px[(y * W + x) * 3 + 2] = 0; /* a red seal */
		}
	struct spec s = {W, H, 8, 3, PHOTOMETRIC_RGB, COMPRESSION_JPEG, 1, 16, 0, 200, 200, 0, px};
	const char *path = tmp_path("jpeg.tif");
	write_tiff(path, "w", &s, 1);
	struct ingest_book_info b;
	scan_ok(path, &b, 1);
	assert_string_equal(b.pages[0].compression, "JPEG");
	assert_int_equal(b.pages[0].spp, 3);
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.channels, 3);
	assert_int_equal(r.width, W);
	const uint8_t *red = r.data + (24 * W + 32) * 3;
	assert_true(red[0] > 200 && red[1] < 60 && red[2] < 60);
	const uint8_t *white = r.data + (4 * W + 4) * 3;
	assert_true(white[0] > 235 && white[1] > 235 && white[2] > 235);
	raster_release(&r);
	free(px);
}

static void rgb_without_colour_becomes_gray(void **state)
{
	enum { W = 10, H = 6 };
	uint8_t *gray = gradient(W, H, 1);
	uint8_t *px = malloc(W * H * 3);
	for (int i = 0; i < W * H; i++)
		memset(px + 3 * i, gray[i], 3);
	struct spec s = {W, H, 8, 3, PHOTOMETRIC_RGB, COMPRESSION_LZW, 1, 0, 0, 0, 0, 0, px};
	const char *path = tmp_path("rgbgray.tif");
	write_tiff(path, "w", &s, 1);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.channels, 1);
	assert_memory_equal(r.data, gray, W * H);
	raster_release(&r);
	free(px);
	free(gray);
}

static void tiled_with_partial_tiles(void **state)
{
	enum { W = 40, H = 35 };
	uint8_t *px = gradient(W, H, 1);
	struct spec s = {W, H, 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_ADOBE_DEFLATE, 1, 0, 16,
			 0, 0, 0, px};
	const char *path = tmp_path("tiled.tif");
	write_tiff(path, "w", &s, 1);
	struct ingest_book_info b;
	scan_ok(path, &b, 1);
	assert_string_equal(b.pages[0].compression, "Deflate");
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.width, W);
	assert_int_equal(r.height, H);
	assert_memory_equal(r.data, px, W * H);
	raster_release(&r);
	free(px);
}

static void bigtiff_multi_page(void **state)
{
	enum { W = 21, H = 13 };
	uint8_t *a = gradient(W, H, 1), *c = gradient(W, H, 3);
	uint8_t *bw = malloc(W * H);
	for (int i = 0; i < W * H; i++)
		bw[i] = i % 3 ? 255 : 0;
	struct spec pages[] = {
		{W, H, 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_PACKBITS, 1, 0, 0, 0, 0, 0, a},
		{W, H, 1, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_CCITTFAX3, 1, 0, 0, 0, 0, 0, bw},
		{W, H, 8, 3, PHOTOMETRIC_RGB, COMPRESSION_NONE, 1, 0, 0, 0, 0, 0, c},
	};
	const char *path = tmp_path("big.tif");
	write_tiff(path, "w8", pages, 3);
	struct ingest_book_info b;
	scan_ok(path, &b, 3);
	assert_string_equal(b.pages[0].compression, "PackBits");
	assert_string_equal(b.pages[1].compression, "G3");
	assert_string_equal(b.pages[2].compression, "None");
	for (int i = 0; i < 3; i++)
		assert_int_equal(b.pages[i].page_no, i + 1);
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, 2, &r);
	assert_int_equal(r.channels, 1);
	assert_memory_equal(r.data, bw, W * H);
	raster_release(&r);
	load_ok(path, 3, &r);
	assert_int_equal(r.channels, 3);
	assert_memory_equal(r.data, c, W * H * 3);
	raster_release(&r);
	struct err e = ERR_INIT;
	assert_int_equal(ingest_page_load(path, 4, &r, &e), -1);
	assert_non_null(strstr(e.msg, "page 4"));
	assert_null(r.data);
	free(a);
	free(c);
	free(bw);
}

/*
 * Where the TIFF spec puts stored row 0 and column 0 on the page, for each
 * orientation; the loaded raster must show the page upright.
 */
static void every_orientation_comes_out_upright(void **state)
{
	enum { W = 5, H = 3 };
	static const struct {
		int rows_vertical, row0_first, col0_first;
	} where[9] = {
		{0, 0, 0}, {0, 1, 1}, {0, 1, 0}, {0, 0, 0}, {0, 0, 1},
		{1, 1, 1}, {1, 0, 1}, {1, 0, 0}, {1, 1, 0},
	};
	uint8_t px[W * H];
	for (int i = 0; i < W * H; i++)
		px[i] = (uint8_t)(i + 1);
	for (int o = 1; o <= 8; o++) {
		struct spec s = {W, H, 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE, (uint16_t)o,
				 0, 0, 100, 200, 0, px};
		const char *path = tmp_path("orient.tif");
		write_tiff(path, "w", &s, 1);
		struct raster r;
		load_ok(path, 1, &r);
		int vert = where[o].rows_vertical;
		assert_int_equal(r.width, vert ? H : W);
		assert_int_equal(r.height, vert ? W : H);
		assert_true(fabs(r.xres - (vert ? 200 : 100)) < 1e-6);
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++) {
				int dx, dy;
				if (!vert) {
					dy = where[o].row0_first ? y : H - 1 - y;
					dx = where[o].col0_first ? x : W - 1 - x;
				} else {
					dx = where[o].row0_first ? y : H - 1 - y;
					dy = where[o].col0_first ? x : W - 1 - x;
				}
				if (r.data[dy * r.width + dx] != px[y * W + x])
					fail_msg("orientation %d: stored (%d,%d) not at (%d,%d)", o, x, y,
						 dx, dy);
			}
		raster_release(&r);
	}
}

/* The same for colour: three distinct channels must travel together. */
static void colour_page_turned_right(void **state)
{
	enum { W = 7, H = 4 };
	uint8_t px[W * H * 3];
	for (int i = 0; i < W * H; i++) {
		px[3 * i] = (uint8_t)(i * 9);
		px[3 * i + 1] = (uint8_t)(i * 9 + 100);
		px[3 * i + 2] = (uint8_t)(255 - i * 9);
	}
	struct spec s = {W, H, 8, 3, PHOTOMETRIC_RGB, COMPRESSION_LZW, ORIENTATION_RIGHTTOP, 0, 0,
			 0, 0, 0, px};
	const char *path = tmp_path("rgb6.tif");
	write_tiff(path, "w", &s, 1);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.channels, 3);
	assert_int_equal(r.width, H);
	assert_int_equal(r.height, W);
	/* Row 0 is the right side, column 0 the top: (x, y) shows at (H-1-y, x). */
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			assert_memory_equal(r.data + ((size_t)x * H + (H - 1 - y)) * 3,
					    px + ((size_t)y * W + x) * 3, 3);
	raster_release(&r);
}

static void rotated_180_page_is_upright(void **state)
{
	enum { W = 64, H = 40 };
	/* Upright: a black bar along the top.  Stored rotated: along the bottom. */
	uint8_t *stored = malloc(W * H);
	memset(stored, 255, W * H);
	memset(stored + (H - 4) * W, 0, 4 * W);
	struct spec s = {W, H, 1, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_CCITTFAX4, 3, 0, 0, 300,
			 300, 0, stored};
	const char *path = tmp_path("rot180.tif");
	write_tiff(path, "w", &s, 1);
	struct raster r;
	load_ok(path, 1, &r);
	for (int x = 0; x < W; x++) {
		assert_int_equal(r.data[x], 0);
		assert_int_equal(r.data[(H - 1) * W + x], 255);
	}
	raster_release(&r);
	free(stored);
}

static void resolution_in_cm_is_converted(void **state)
{
	uint8_t px[16];
	memset(px, 200, sizeof(px));
	struct spec s = {4, 4, 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE, 1, 0, 0,
			 118.11f, 78.74f, RESUNIT_CENTIMETER, px};
	const char *path = tmp_path("cm.tif");
	write_tiff(path, "w", &s, 1);
	struct ingest_book_info b;
	scan_ok(path, &b, 1);
	assert_true(fabs(b.pages[0].xres - 300) < 0.01);
	assert_true(fabs(b.pages[0].yres - 200) < 0.01);
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, 1, &r);
	assert_true(fabs(r.xres - 300) < 0.01 && fabs(r.yres - 200) < 0.01);
	raster_release(&r);
}

static void palette_colour_is_kept(void **state)
{
	enum { W = 8, H = 2 };
	uint8_t idx[W * H];
	for (int i = 0; i < W * H; i++)
		idx[i] = (uint8_t)(i % 4);
	uint16_t red[16] = {0, 65535, 0, 0}, green[16] = {0, 0, 65535, 0}, blue[16] = {0, 0, 0, 65535};
	const char *path = tmp_path("pal.tif");
	TIFF *t = TIFFOpen(path, "w");
	struct spec s = {W, H, 8, 1, PHOTOMETRIC_PALETTE, COMPRESSION_NONE, 1, 0, 0, 0, 0, 0, idx};
	set_tags(t, &s);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 4);
	TIFFSetField(t, TIFFTAG_COLORMAP, red, green, blue);
	uint8_t row[4];
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x += 2)
			row[x / 2] = (uint8_t)(idx[y * W + x] << 4 | idx[y * W + x + 1]);
		TIFFWriteScanline(t, row, (uint32_t)y, 0);
	}
	TIFFClose(t);
	struct raster r;
	load_ok(path, 1, &r);
	assert_int_equal(r.channels, 3);
	static const uint8_t want[4][3] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
	for (int i = 0; i < W * H; i++)
		assert_memory_equal(r.data + 3 * i, want[i % 4], 3);
	raster_release(&r);
}

static void truncated_files(void **state)
{
	enum { W = 64, H = 64 };
	uint8_t *px = gradient(W, H, 1);
	struct spec s = {W, H, 8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE, 1, 0, 0, 0, 0, 0, px};
	struct spec pages[2] = {s, s};
	const char *path = tmp_path("trunc.tif");
	write_tiff(path, "w", pages, 2);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);

	/* The second page's directory cut off: page 1 stands, page 2 fails. */
	assert_int_equal(truncate(path, st.st_size - 20), 0);
	struct ingest_book_info b;
	scan_ok(path, &b, 2);
	assert_null(b.pages[0].error);
	assert_non_null(b.pages[1].error);
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, 1, &r);
	assert_memory_equal(r.data, px, W * H);
	raster_release(&r);
	struct err e = ERR_INIT;
	assert_int_equal(ingest_page_load(path, 2, &r, &e), -1);
	assert_non_null(strstr(e.msg, "cannot read page 2 of '"));

	/* Cut inside the first page's pixels: no directory at all. */
	assert_int_equal(truncate(path, 2000), 0);
	err_clear(&e);
	assert_int_equal(ingest_scan(path, &b, &e), -1);
	assert_non_null(b.error);
	assert_int_equal(b.size, 2000);
	assert_int_equal((int)strlen(b.sha256), SHA256_HEX_LEN);
	assert_non_null(strstr(e.msg, "cannot read '"));
	ingest_book_info_release(&b);
	free(px);
}

static void not_a_tiff_and_missing(void **state)
{
	const char *path = tmp_path("text.tif");
	FILE *f = fopen(path, "w");
	fputs("hello, this is not an image\n", f);
	fclose(f);
	struct ingest_book_info b;
	struct err e = ERR_INIT;
	assert_int_equal(ingest_scan(path, &b, &e), -1);
	assert_non_null(b.error);
	assert_non_null(strstr(e.msg, "text.tif"));
	ingest_book_info_release(&b);
	err_clear(&e);
	assert_int_equal(ingest_scan(tmp_path("absent.tif"), &b, &e), -1);
	assert_non_null(b.error);
	assert_int_equal(b.sha256[0], '\0');
	ingest_book_info_release(&b);
}

static void absurd_dimensions_are_refused(void **state)
{
	const char *wide = tmp_path("wide.tif");
	write_raw(wide, 30000, 1, 0, 0);
	struct ingest_book_info b;
	scan_ok(wide, &b, 1);
	assert_int_equal(b.pages[0].width, 30000);
	assert_non_null(b.pages[0].error);
	assert_non_null(strstr(b.pages[0].error, "absurd size 30000x1"));
	ingest_book_info_release(&b);
	struct raster r;
	struct err e = ERR_INIT;
	assert_int_equal(ingest_page_load(wide, 1, &r, &e), -1);
	assert_non_null(strstr(e.msg, "absurd size"));

	/* Each side within bounds, but 400 megapixels in all. */
	const char *huge = tmp_path("huge.tif");
	write_raw(huge, 20000, 20000, 0, 0);
	scan_ok(huge, &b, 1);
	assert_non_null(b.pages[0].error);
	assert_non_null(strstr(b.pages[0].error, "too many pixels"));
	ingest_book_info_release(&b);
	err_clear(&e);
	assert_int_equal(ingest_page_load(huge, 1, &r, &e), -1);
}

static void hostile_structure(void **state)
{
	/* Strip past the end of the file. */
	const char *far = tmp_path("far.tif");
	write_raw(far, 8, 8, 1u << 30, 0);
	struct ingest_book_info b;
	scan_ok(far, &b, 1);
	assert_non_null(b.pages[0].error);
	assert_non_null(strstr(b.pages[0].error, "past the end"));
	ingest_book_info_release(&b);

	/* A directory chain that loops back on itself. */
	const char *loop = tmp_path("loop.tif");
	write_raw(loop, 8, 8, 0, 8);
	scan_ok(loop, &b, 2);
	assert_null(b.pages[0].error);
	assert_non_null(b.pages[1].error);
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(loop, 1, &r);
	assert_int_equal(r.data[0], 0x80);
	raster_release(&r);
	struct err e = ERR_INIT;
	assert_int_equal(ingest_page_load(loop, 2, &r, &e), -1);
}

static void page_count_is_capped(void **state)
{
	const char *path = tmp_path("many.tif");
	write_raw_chain(path, INGEST_MAX_PAGES + 1, 8, 8, 0, 0);
	struct ingest_book_info b;
	struct err e = ERR_INIT;
	assert_int_equal(ingest_scan(path, &b, &e), -1);
	assert_non_null(b.error);
	assert_non_null(strstr(b.error, "more than 10000 pages"));
	ingest_book_info_release(&b);
	/* Exactly at the cap is fine, and the last page loads. */
	write_raw_chain(path, INGEST_MAX_PAGES, 8, 8, 0, 0);
	scan_ok(path, &b, INGEST_MAX_PAGES);
	assert_null(b.pages[INGEST_MAX_PAGES - 1].error);
	ingest_book_info_release(&b);
	struct raster r;
	load_ok(path, INGEST_MAX_PAGES, &r);
	raster_release(&r);
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void find_walks_folders_in_order(void **state)
{
	char root[128], sub[160];
	snprintf(root, sizeof(root), "%s/find", dir);
	snprintf(sub, sizeof(sub), "%s/sub", root);
	mkdir(root, 0700);
	mkdir(sub, 0700);
	touch(tmp_path("find/b.TIF"));
	touch(tmp_path("find/a.tiff"));
	touch(tmp_path("find/notes.txt"));
	touch(tmp_path("find/.hidden.tif"));
	touch(tmp_path("find/sub/c.Tif"));
	char *inputs[] = {root, (char *)"/nonexistent/book.tif"};
	char **paths;
	int n;
	struct err e = ERR_INIT;
	assert_int_equal(ingest_find(inputs, 2, &paths, &n, &e), -1);
	assert_non_null(strstr(e.msg, "'/nonexistent/book.tif'"));
	assert_int_equal(n, 3);
	char want[160];
	snprintf(want, sizeof(want), "%s/a.tiff", root);
	assert_string_equal(paths[0], want);
	snprintf(want, sizeof(want), "%s/b.TIF", root);
	assert_string_equal(paths[1], want);
	snprintf(want, sizeof(want), "%s/sub/c.Tif", root);
	assert_string_equal(paths[2], want);
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int group_setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/hotich-ingest-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	ingest_init();
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(g4_bilevel_page),
		cmocka_unit_test(gray_lzw_multi_strip),
		cmocka_unit_test(miniswhite_8bit_is_inverted),
		cmocka_unit_test(gray16_keeps_high_byte),
		cmocka_unit_test(rgb_jpeg_keeps_colour),
		cmocka_unit_test(rgb_without_colour_becomes_gray),
		cmocka_unit_test(tiled_with_partial_tiles),
		cmocka_unit_test(bigtiff_multi_page),
		cmocka_unit_test(every_orientation_comes_out_upright),
		cmocka_unit_test(colour_page_turned_right),
		cmocka_unit_test(rotated_180_page_is_upright),
		cmocka_unit_test(resolution_in_cm_is_converted),
		cmocka_unit_test(palette_colour_is_kept),
		cmocka_unit_test(truncated_files),
		cmocka_unit_test(not_a_tiff_and_missing),
		cmocka_unit_test(absurd_dimensions_are_refused),
		cmocka_unit_test(hostile_structure),
		cmocka_unit_test(page_count_is_capped),
		cmocka_unit_test(find_walks_folders_in_order),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
