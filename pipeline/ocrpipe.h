/*
 * ocrpipe: the OCR stage split across two processes, private to pipeline/.
 *
 * The parent (stage_ocr.c) owns the database and is its one writer.  It
 * starts a worker, a fresh exec of this program (`hotich ocr --worker`), so
 * that no OpenMP, Tesseract or SQLite state of the parent leaks into it; the
 * worker reads pages in parallel and streams results back.  A page that
 * crashes or hangs the worker costs that page, not the night: the parent
 * sees which pages were in flight, blames them, and starts a new worker for
 * the rest.
 *
 * Protocol: length-prefixed frames (4 bytes big-endian length, then the
 * payload; a frame holds no NUL).  Parent to worker on the worker's stdin,
 * one frame a page, then EOF:
 *     job <page_id> <page_no> <hint ks|kh|kt|-> <path>
 * Worker to parent on the worker's fd 3, each frame written whole under
 * one lock:
 *     start <page_id>           the page is now in flight
 *     done <page_id> <json>     its result (ocrpipe_page_to_json)
 *     fail <page_id> <message>  it cannot be read (bad image, OCR error)
 *     fatal <message>           the worker cannot go on (no engine)
 */
#ifndef HOTICH_PIPELINE_OCRPIPE_H
#define HOTICH_PIPELINE_OCRPIPE_H

#include <stddef.h>

#include "common/common.h"
#include "common/record.h"
#include "pipeline/pipeline.h"

struct ocr_page;

/* A frame larger than this is a broken worker, not a page. */
#define OCRPIPE_FRAME_MAX (64u << 20)
/* The worker's end of the result pipe. */
#define OCRPIPE_RESULT_FD 3

/* ---- frames ----------------------------------------------------------- */

/* Write one frame whole (retrying short writes); 0, or -1 with errno. */
int ocrpipe_frame_write(int fd, const char *payload, size_t n);

/*
 * Frames arriving on a non-blocking descriptor.  Fill with what read()
 * gives, then take whole frames out one by one.
 */
struct ocrpipe_reader {
	char *buf;
	size_t len, cap;
};
void ocrpipe_reader_init(struct ocrpipe_reader *r);
void ocrpipe_reader_release(struct ocrpipe_reader *r);
/* One read(): bytes read, 0 at EOF, -1 on error (errno; EAGAIN: nothing yet). */
long ocrpipe_reader_fill(struct ocrpipe_reader *r, int fd);
/*
 * Take the next whole frame: 1 with *payload (NUL-terminated, caller frees)
 * and *n set, 0 when none is complete yet, -1 when the stream is broken
 * (oversized frame).
 */
int ocrpipe_reader_next(struct ocrpipe_reader *r, char **payload, size_t *n);
/* Blocking: 1 with a frame, 0 at a clean EOF, -1 on error or a torn frame. */
int ocrpipe_frame_read(int fd, char **payload, size_t *n);

/* ---- page results -------------------------------------------------------- */

/* A page's result as the parent receives it (struct ocr_page's data). */
struct ocrpipe_page {
	int blank;
	enum book_kind kind;
	char format;		/* 'F', 'T' or 0 */
	char *book_no, *printed_page, *office;
	struct record *recs;
	size_t nrecs;
	int ms;
	int ms_pre, ms_layout, ms_values;	/* struct ocr_page's split of ms */
};
void ocrpipe_page_release(struct ocrpipe_page *p);

/*
 * Serialise every field of a page: header, and each record's fields with
 * name, raw, value, confidence, box, model and alternatives.  Caller frees.
 */
char *ocrpipe_page_to_json(const struct ocr_page *p);
int ocrpipe_page_from_json(const char *json, struct ocrpipe_page *p, struct err *e);

/* The worker's main, ocrpipe_worker_main(), is in pipeline.h for cmd_ocr.c. */

/* ---- progress on stderr ------------------------------------------------------ */

/*
 * A bar redrawn in place when stderr is a terminal, else a plain line every
 * ~10 s or 10 % of the pages.  Silent at LOG_QUIET.
 */
struct ocrpipe_progress {
	const char *label;
	long long total, done;
	double t0, last_line, last_draw;
	long long drawn_done;
	int last_decile;
	int tty, drawn;
};
void ocrpipe_progress_init(struct ocrpipe_progress *pg, const char *label, long long total);
void ocrpipe_progress_tick(struct ocrpipe_progress *pg, long long done);
/* Erase the bar so that a message can be printed. */
void ocrpipe_progress_clear(struct ocrpipe_progress *pg);
void ocrpipe_progress_finish(struct ocrpipe_progress *pg);
/* Pages per second since init. */
double ocrpipe_progress_rate(const struct ocrpipe_progress *pg);

#endif
