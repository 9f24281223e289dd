/*
 * Opening TIFFs with libtiff's voice captured, and the per-page plan: every
 * number a file gives us is checked here before anything is allocated.
 */
#include "ingest/internal.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

/* Errors libtiff raises with no handle (rare) land here, per thread. */
static _Thread_local struct tiff_capture orphan;

void msg_tidy(char *msg)
{
	if (isupper((unsigned char)msg[0]) && islower((unsigned char)msg[1]))
		msg[0] = (char)tolower((unsigned char)msg[0]);
}

static void capture_format(char *out, size_t n, const char *name, const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	const char *p = buf;
	size_t len = name ? strlen(name) : 0;
	/* "path: Can not read TIFF directory count": our message names the file. */
	if (len && strncmp(p, name, len) == 0 && p[len] == ':' && p[len + 1] == ' ')
		p += len + 2;
	size_t m = strlen(p) < n ? strlen(p) : n - 1; /* cut long messages */
	memcpy(out, p, m);
	out[m] = '\0';
	msg_tidy(out);
}

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	struct tiff_capture *cap = user ? user : &orphan;
	/* First error wins: later ones are consequences. */
	if (!cap->msg[0])
		capture_format(cap->msg, sizeof(cap->msg), cap->name, fmt, ap);
	return 1; /* handled: libtiff must not print */
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	struct tiff_capture *cap = user;
	if (cap)
		capture_format(cap->warning, sizeof(cap->warning), cap->name, fmt, ap);
	return 1;
}

static void on_orphan_error(thandle_t h, const char *module, const char *fmt, va_list ap)
{
	if (!orphan.msg[0])
		capture_format(orphan.msg, sizeof(orphan.msg), NULL, fmt, ap);
}

static void silence_libtiff(void)
{
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
	TIFFSetErrorHandlerExt(on_orphan_error);
	TIFFSetWarningHandlerExt(NULL);
}

void ingest_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, silence_libtiff);
}

void tiff_capture_reset(struct tiff_capture *cap)
{
	cap->msg[0] = '\0';
	cap->warning[0] = '\0';
	orphan.msg[0] = '\0';
}

const char *tiff_capture_msg(const struct tiff_capture *cap, const char *fallback)
{
	if (cap->msg[0])
		return cap->msg;
	if (orphan.msg[0])
		return orphan.msg;
	return cap->warning[0] ? cap->warning : fallback;
}

TIFF *tiff_open(const char *path, struct tiff_capture *cap)
{
	ingest_init();
	tiff_capture_reset(cap);
	cap->name = path;
	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
	TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, cap);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, cap);
	TIFFOpenOptionsSetMaxSingleMemAlloc(opts, INGEST_MAX_LIBTIFF_ALLOC);
	/* "m": read(), not mmap(): a file shrinking under us must not SIGBUS. */
	TIFF *tif = TIFFOpenExt(path, "rm", opts);
	TIFFOpenOptionsFree(opts);
	return tif;
}

void compression_name(uint16_t c, char *out, size_t n)
{
	static const struct {
		uint16_t tag;
		const char *name;
	} names[] = {
		{COMPRESSION_NONE, "None"}, {COMPRESSION_CCITTRLE, "CCITT-RLE"},
		{COMPRESSION_CCITTFAX3, "G3"}, {COMPRESSION_CCITTFAX4, "G4"},
		{COMPRESSION_LZW, "LZW"}, {COMPRESSION_OJPEG, "OJPEG"},
		{COMPRESSION_JPEG, "JPEG"}, {COMPRESSION_ADOBE_DEFLATE, "Deflate"},
		{COMPRESSION_DEFLATE, "Deflate"}, {COMPRESSION_PACKBITS, "PackBits"},
		{COMPRESSION_JBIG, "JBIG"}, {COMPRESSION_LZMA, "LZMA"},
		{COMPRESSION_ZSTD, "ZSTD"}, {COMPRESSION_WEBP, "WebP"},
		{COMPRESSION_LERC, "LERC"}, {COMPRESSION_JXL, "JXL"},
		{COMPRESSION_NEXT, "NeXT"}, {COMPRESSION_THUNDERSCAN, "ThunderScan"},
		{COMPRESSION_SGILOG, "SGILog"}, {COMPRESSION_SGILOG24, "SGILog24"},
		{COMPRESSION_PIXARLOG, "PixarLog"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].tag == c) {
			snprintf(out, n, "%s", names[i].name);
			return;
		}
	snprintf(out, n, "C%u", (unsigned)c);
}

/* ---- the plan ------------------------------------------------------- */

static int why_set(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int why_set(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

static double dpi_of(float v, uint16_t unit)
{
	double d = v;
	if (!(d > 0 && d < 1e6) || unit == RESUNIT_NONE)
		return 0; /* absent, absurd, or an aspect ratio only */
	if (unit == RESUNIT_CENTIMETER)
		d *= 2.54;
	return d;
}

static void plan_resolution(TIFF *tif, struct page_plan *p)
{
	float xr = 0, yr = 0;
	uint16_t unit = RESUNIT_INCH;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xr))
		xr = 0;
	if (!TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yr))
		yr = xr;
	p->xres = dpi_of(xr, unit);
	p->yres = dpi_of(yr, unit);
}

/* Every tag the plan needs, read before any is judged (the page table
 * shows them even for a page we refuse). */
static int plan_tags(TIFF *tif, struct page_plan *p)
{
	uint16_t orient = ORIENTATION_TOPLEFT;
	int sized = TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &p->w) &&
		    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &p->h);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &p->bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &p->spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &p->planar);
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &p->compression);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &p->sampleformat);
	TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orient);
	/* An orientation outside 1..8 means nothing: read the page as stored. */
	p->orientation = orient >= 1 && orient <= 8 ? orient : 1;
	plan_resolution(tif, p);
	return sized;
}

static int plan_geometry(struct page_plan *p, char *why, size_t n)
{
	if (p->w == 0 || p->h == 0 || p->w > INGEST_MAX_DIM || p->h > INGEST_MAX_DIM)
		return why_set(why, n, "absurd size %ux%u (limit %d per side)",
			       (unsigned)p->w, (unsigned)p->h, INGEST_MAX_DIM);
	if ((long long)p->w * p->h > INGEST_MAX_PIXELS)
		return why_set(why, n, "too many pixels %ux%u (limit %lld)",
			       (unsigned)p->w, (unsigned)p->h, (long long)INGEST_MAX_PIXELS);
	return 0;
}

static int plan_samples(TIFF *tif, struct page_plan *p, char *why, size_t n)
{
	if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &p->photometric))
		return why_set(why, n, "no photometric interpretation");
	if (p->bps != 1 && p->bps != 2 && p->bps != 4 && p->bps != 8 && p->bps != 16)
		return why_set(why, n, "unsupported %u bits per sample", (unsigned)p->bps);
	if (p->spp < 1 || p->spp > 16)
		return why_set(why, n, "unsupported %u samples per pixel", (unsigned)p->spp);
	if (p->sampleformat == SAMPLEFORMAT_IEEEFP || p->sampleformat > SAMPLEFORMAT_VOID)
		return why_set(why, n, "unsupported sample format %u", (unsigned)p->sampleformat);
	if (!TIFFIsCODECConfigured(p->compression)) {
		char name[24];
		compression_name(p->compression, name, sizeof(name));
		return why_set(why, n, "unsupported compression %s", name);
	}
	return 0;
}

/* Paths we decode ourselves: the common scan formats, fast and lean. */
static int plan_direct(TIFF *tif, struct page_plan *p)
{
	int contig = p->planar == PLANARCONFIG_CONTIG || p->spp == 1;
	if (!contig || p->compression == COMPRESSION_OJPEG)
		return 0;
	switch (p->photometric) {
	case PHOTOMETRIC_MINISWHITE:
	case PHOTOMETRIC_MINISBLACK:
		p->path = DECODE_GRAY; /* extra samples (alpha) are skipped */
		p->channels = 1;
		return 1;
	case PHOTOMETRIC_PALETTE:
		if (p->spp != 1 || p->bps > 8)
			return 0;
		p->path = DECODE_PALETTE;
		p->channels = 3;
		return 1;
	case PHOTOMETRIC_RGB:
		if (p->spp < 3)
			return 0;
		p->path = DECODE_RGB;
		p->channels = 3;
		return 1;
	case PHOTOMETRIC_YCBCR:
		if (p->compression != COMPRESSION_JPEG || p->spp != 3 || p->bps != 8)
			return 0;
		/* libjpeg upsamples and converts; strip sizes follow the mode. */
		if (!TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB))
			return 0;
		p->path = DECODE_RGB;
		p->channels = 3;
		return 1;
	}
	return 0;
}

/*
 * TIFFRGBAImageOK() accepts layouts TIFFRGBAImageBegin() then refuses (no
 * "put" routine for 16-bit CMYK, say): only a real begin tells.
 */
static int plan_rgba(TIFF *tif, char *why, size_t n)
{
	TIFFRGBAImage img;
	char emsg[1024] = "";
	if (!TIFFRGBAImageOK(tif, emsg) || !TIFFRGBAImageBegin(&img, tif, 1, emsg)) {
		msg_tidy(emsg);
		return why_set(why, n, "%s", emsg[0] ? emsg : "unsupported image layout");
	}
	TIFFRGBAImageEnd(&img);
	return 0;
}

static int plan_path(TIFF *tif, struct page_plan *p, char *why, size_t n)
{
	if (plan_direct(tif, p))
		return 0;
	if (plan_rgba(tif, why, n) < 0)
		return -1;
	p->path = DECODE_RGBA;
	p->channels = 3;
	return 0;
}

static int plan_chunks(TIFF *tif, struct page_plan *p, char *why, size_t n)
{
	p->tiled = TIFFIsTiled(tif);
	uint64_t expect;
	if (p->tiled) {
		uint32_t th = 0;
		if (!TIFFGetField(tif, TIFFTAG_TILEWIDTH, &p->tw) ||
		    !TIFFGetField(tif, TIFFTAG_TILELENGTH, &th) || p->tw == 0 || th == 0 ||
		    p->tw > INGEST_MAX_DIM * 2 || th > INGEST_MAX_DIM * 2)
			return why_set(why, n, "bad tile size");
		p->rows = th;
		p->chunk = TIFFTileSize64(tif);
		p->nchunks = TIFFNumberOfTiles(tif);
		expect = (uint64_t)((p->w + p->tw - 1) / p->tw) * ((p->h + th - 1) / th);
	} else {
		uint32_t rps = p->h;
		TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
		p->rows = rps == 0 || rps > p->h ? p->h : rps;
		p->chunk = TIFFStripSize64(tif);
		p->nchunks = TIFFNumberOfStrips(tif);
		expect = (p->h + p->rows - 1) / p->rows;
	}
	if (p->planar == PLANARCONFIG_SEPARATE)
		expect *= p->spp;
	if (p->chunk == 0 || p->chunk > (uint64_t)INGEST_MAX_CHUNK)
		return why_set(why, n, "bad %s size %llu bytes", p->tiled ? "tile" : "strip",
			       (unsigned long long)p->chunk);
	if (p->nchunks < expect)
		return why_set(why, n, "%u %s where %llu are needed", (unsigned)p->nchunks,
			       p->tiled ? "tiles" : "strips", (unsigned long long)expect);
	return 0;
}

/* Strips or tiles pointing past the end of the file: a truncated file. */
static int plan_extents(TIFF *tif, struct page_plan *p, long long filesize, char *why,
			size_t n)
{
	if (filesize <= 0)
		return 0;
	uint64_t size = (uint64_t)filesize;
	for (uint32_t i = 0; i < p->nchunks; i++) {
		int err = 0;
		uint64_t off = TIFFGetStrileOffsetWithErr(tif, i, &err);
		uint64_t cnt = err ? 0 : TIFFGetStrileByteCountWithErr(tif, i, &err);
		if (err)
			return why_set(why, n, "bad %s table", p->tiled ? "tile" : "strip");
		if (cnt && (off > size || cnt > size - off))
			return why_set(why, n, "%s %u lies past the end of the file (truncated?)",
				       p->tiled ? "tile" : "strip", (unsigned)i);
	}
	return 0;
}

static int plan_memory(struct page_plan *p, char *why, size_t n)
{
	uint64_t raster = (uint64_t)p->w * p->h * (uint64_t)p->channels;
	uint64_t work = p->chunk;
	if (p->path == DECODE_RGBA) {
		/* Whole strips (tile rows) per call, at least 64 rows: each is read once. */
		uint32_t k = p->rows >= 64 ? 1 : (64 + p->rows - 1) / p->rows;
		p->band = (uint64_t)p->rows * k > p->h ? p->h : p->rows * k;
		work += (uint64_t)p->w * p->band * 4; /* 32-bit pixels beside libtiff's strip */
	}
	p->mem = raster + work + (p->orientation >= 5 ? raster : 0);
	if (p->mem > (uint64_t)INGEST_MAX_MEM)
		return why_set(why, n, "page needs %llu MiB to decode (limit %lld MiB)",
			       (unsigned long long)(p->mem >> 20), INGEST_MAX_MEM >> 20);
	return 0;
}

int page_plan_make(TIFF *tif, long long filesize, struct page_plan *p, char *why,
		   size_t whylen)
{
	memset(p, 0, sizeof(*p));
	why[0] = '\0';
	if (!plan_tags(tif, p))
		return why_set(why, whylen, "no image size");
	if (plan_geometry(p, why, whylen) < 0 || plan_samples(tif, p, why, whylen) < 0 ||
	    plan_path(tif, p, why, whylen) < 0 || plan_chunks(tif, p, why, whylen) < 0 ||
	    plan_extents(tif, p, filesize, why, whylen) < 0 || plan_memory(p, why, whylen) < 0)
		return -1;
	return 0;
}
