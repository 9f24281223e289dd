/*
 * ingest: TIFF books to pages.  The only module that reads TIFF (tiffio.h;
 * fixtures/ includes it too, to write its books).
 *
 * Finds TIFF files (folders searched recursively, in name order), hashes
 * them, lists their pages with size, resolution and compression, and decodes
 * one page at a time into a plain raster for OCR.  Everything read from a
 * file is bounded (dimensions, strip sizes, page count, memory) so a hostile
 * TIFF yields an error naming the file and page, never a crash or a hang.
 *
 * Thread-safety: ingest_page_load() may run in several threads at once on
 * different pages (each call opens its own TIFF handle); libtiff's global
 * warning and error handlers are silenced once by ingest_init().
 */
#ifndef HOTICH_INGEST_H
#define HOTICH_INGEST_H

#include <stdint.h>

#include "common/common.h"
#include "common/raster.h"

/* Limits on what a file may ask of us. */
#define INGEST_MAX_PAGES 10000
#define INGEST_MAX_DIM 20000		/* pixels per side */
#define INGEST_MAX_PIXELS (200LL * 1000 * 1000)

struct ingest_page_info {
	int page_no;		/* 1-based */
	int width, height, bits, spp;
	double xres, yres;
	char compression[24];	/* "G4", "LZW", "JPEG", ... */
	char *error;		/* NULL when the page looks readable; owned */
};

struct ingest_book_info {
	char *path;
	char sha256[SHA256_HEX_LEN + 1];
	long long size;
	int npages;
	struct ingest_page_info *pages;	/* npages entries; owned */
	char *error;		/* whole-file error (not a TIFF, truncated...) */
};

void ingest_init(void);	/* once, before threads */
void ingest_book_info_release(struct ingest_book_info *b);

/*
 * Expand inputs (files and folders) into TIFF paths, sorted; a folder is
 * searched recursively for *.tif / *.tiff (any case).  An input that does
 * not exist is an error naming it; the others are still listed.
 * *paths is caller-freed (each string and the array).
 */
int ingest_find(char *const *inputs, int ninputs, char ***paths, int *npaths,
		struct err *e);

/*
 * Hash and list the pages of one file without decoding them; each page is
 * checked as the decoder would (size, samples, compression, strip extents,
 * memory), so pages[i].error names what ingest_page_load() would refuse.
 * Returns 0, or -1 with e set ("cannot read 'PATH': REASON") exactly when
 * out->error is set: the file cannot be read as a TIFF at all, or has more
 * than INGEST_MAX_PAGES pages.  out is filled as far as it got (path, size,
 * sha256 when the file could be read, else "") and must be released with
 * ingest_book_info_release() either way.  Page sizes and resolutions are
 * upright (sides swapped for orientations 5..8); bits is per sample.
 */
int ingest_scan(const char *path, struct ingest_book_info *out, struct err *e);

/*
 * Decode page page_no (1-based) into out, upright (orientation tag
 * applied), 8-bit gray, or 8-bit RGB only when the page has colour (an RGB
 * page whose pixels are all gray comes back gray).  xres/yres are the
 * upright page's dpi (0 when unknown; they may differ, as in fax files).
 * Returns 0, or -1 with e set ("cannot read page N of 'PATH': REASON") and
 * out zeroed.  The caller frees with raster_release() (safe after failure).
 * A page needs at most about 1 GiB while decoding; it opens its own handle,
 * so several threads may decode pages (of one file or several) at once.
 */
int ingest_page_load(const char *path, int page_no, struct raster *out, struct err *e);

/* ---- shares of a run (shard.c) ------------------------------------------ */

/* Pages of the TIFF at path from its directory chain alone (no hash, no
 * decode), at most INGEST_MAX_PAGES + 1; 0 when it is not a readable TIFF. */
int ingest_page_count(const char *path);

/*
 * Split n books (paths, their page counts) into nshards shares balanced by
 * pages: most pages first, ties by path, each book to the share with the
 * fewest pages so far (the lowest on a tie).  The same books and nshards
 * give the same shares in whatever order they come.  share[i] gets 0 to
 * nshards - 1 for paths[i].
 */
void ingest_shard_split(char *const *paths, const int *pages, size_t n, int nshards,
			int *share);

#endif
