/*
 * ocr: page images to records.  The only module that includes Leptonica's
 * and Tesseract's headers.
 *
 * Preprocesses a page (gray, orientation, deskew, binarisation, red seal
 * removal, blank detection), reads the running header, recognises the book
 * kind and format, finds each record block (Format F: labelled form; Format
 * T: ruled table), binds values to export columns by position, and reads each
 * value from its own clipped image with the model that reads that field best.
 *
 * Thread-safety: one struct ocr_engine per thread, created once and reused;
 * never share one.  Tesseract's own OpenMP must be off (OMP_THREAD_LIMIT=1
 * in the environment before the first engine is made).
 */
#ifndef HOTICH_OCR_H
#define HOTICH_OCR_H

#include "common/common.h"
#include "common/record.h"
#include "common/raster.h"

struct ocr_engine;

struct ocr_options {
	const char *tessdata;	/* NULL: Tesseract's default */
	int debug;		/* write intermediate images to debug_dir */
	const char *debug_dir;
};

struct ocr_engine *ocr_engine_new(const struct ocr_options *opt, struct err *e);
void ocr_engine_free(struct ocr_engine *eng); /* NULL is fine */

/* What one page held. */
struct ocr_page {
	int blank;		/* a blank page: no records, no error */
	enum book_kind kind;	/* from the title, else the hint */
	char format;		/* 'F' or 'T'; 0 when unknown */
	char *book_no;		/* "03/2009" or NULL */
	char *printed_page;	/* "Trang số" as printed, or NULL */
	char *office;		/* "UBND xã ..." or NULL */
	struct record *recs;	/* top to bottom; recs[i].index == i */
	size_t nrecs;
	int ms;			/* time spent */
	int ms_pre;		/* of which preparing the image */
	int ms_layout;		/* finding lines, labels, grid and header */
	int ms_values;		/* reading the values */
};
void ocr_page_release(struct ocr_page *p);

/*
 * Read one page.  hint: the book's kind when known, else KIND_NONE.
 * Each field gets raw text, confidence, its box on the page, the model that
 * read it and, where the engine offers them, alternative readings.  The
 * running header's quyenSo / trangSo / noiDangKy are set on every record.
 */
int ocr_page_read(struct ocr_engine *eng, const struct raster *page, enum book_kind hint,
		  struct ocr_page *out, struct err *e);

/*
 * The floor under any OCR pipeline, for the benchmark: Tesseract alone
 * reading n value regions of a page (boxes on the page as stored), each
 * clipped with a white frame in single-line mode (a block when taller than
 * two lines) with the vie model, no preprocessing, layout or labels.
 * *seconds gets the time spent in the engine's recognition only; texts, when
 * not NULL, gets each region's reading (caller frees each).
 */
int ocr_read_regions(struct ocr_engine *eng, const struct raster *page, const struct box *boxes,
		     size_t n, char **texts, double *seconds, struct err *e);

/* "tesseract 5.3.0, leptonica-1.82.0" (static storage). */
const char *ocr_engine_version(void);
/* The engine's mode and variables, as "oem lstm, name=value, ...": constant. */
const char *ocr_engine_settings(void);
/* JSON object {"vie": "<sha256>", ...} of the model files used; caller frees. */
char *ocr_models_json(void);

#endif
