/*
 * ingest internals: opening a TIFF with libtiff's messages captured, and
 * the plan for one page (its geometry, the decode path, the memory it
 * needs), shared by the scan (scan.c) and the decoder (decode.c) so both
 * refuse exactly the same pages.
 */
#ifndef HOTICH_INGEST_INTERNAL_H
#define HOTICH_INGEST_INTERNAL_H

#include <tiffio.h>

#include "ingest/ingest.h"

/* Decoded bytes of one strip or tile we are willing to hold. */
#define INGEST_MAX_CHUNK (256LL << 20)
/* Everything one page decode may allocate: raster, chunk, rotation copy. */
#define INGEST_MAX_MEM (1024LL << 20)
/* What libtiff itself may allocate in one go (strip arrays, codec state). */
#define INGEST_MAX_LIBTIFF_ALLOC (INGEST_MAX_CHUNK + (16LL << 20))

/*
 * libtiff's first error message since the last reset, per TIFF handle (its
 * handler gets this as user data), so threads never mix their messages.
 */
struct tiff_capture {
	char msg[256];
	char warning[256];	/* the last one: said when no error was */
	const char *name;	/* libtiff starts some messages with it; dropped */
};
void tiff_capture_reset(struct tiff_capture *cap);
/* The captured error, else the last warning, else fallback. */
const char *tiff_capture_msg(const struct tiff_capture *cap, const char *fallback);

/* Open path read-only with cap receiving errors; NULL when libtiff refuses. */
TIFF *tiff_open(const char *path, struct tiff_capture *cap);

/* How a page is turned into 8-bit samples. */
enum decode_path {
	DECODE_GRAY,	/* min-is-white / min-is-black, 1 to 16 bits */
	DECODE_PALETTE,	/* colour map, 1 to 8 bits */
	DECODE_RGB,	/* RGB (or JPEG YCbCr converted by libjpeg), 8 or 16 bits */
	DECODE_RGBA,	/* anything else TIFFRGBAImage handles, in bands */
};

struct page_plan {
	uint32_t w, h;		/* as stored, before orientation */
	uint16_t bps, spp, photometric, planar, compression, sampleformat;
	int orientation;	/* 1..8 */
	int tiled;
	uint32_t rows;		/* rows per strip (<= h), or tile height */
	uint32_t tw;		/* tile width (tiled only) */
	uint32_t band;		/* rows per TIFFRGBAImageGet call (DECODE_RGBA) */
	uint64_t chunk;		/* bytes of one decoded strip or tile */
	uint32_t nchunks;
	double xres, yres;	/* dpi as stored; 0 when unknown */
	enum decode_path path;
	int channels;		/* of the raster before colour collapse: 1 or 3 */
	uint64_t mem;		/* bytes the decode needs at most */
};

/*
 * Read and check the current directory of tif.  Returns 0, or -1 with why
 * (a short reason such as "width 0") filled.  May set libtiff's JPEG colour
 * mode so that YCbCr comes out as RGB.  filesize bounds strip extents
 * (0: not checked).
 */
int page_plan_make(TIFF *tif, long long filesize, struct page_plan *p,
		   char *why, size_t whylen);
/* Lower-case a message's first word unless it is an acronym ("TIFF"). */
void msg_tidy(char *msg);
/* "G4", "LZW", ... for a TIFF compression tag value. */
void compression_name(uint16_t c, char *out, size_t n);

/* Turn r (stored order) upright for TIFF orientation o (1..8). */
int raster_orient(struct raster *r, int o);
/* RGB whose every pixel is gray becomes 1 channel (in place). */
void raster_collapse_gray(struct raster *r);

#endif
