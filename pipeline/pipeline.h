/*
 * pipeline: the stages as the commands and `run` share them.  Each works
 * through what is pending in the database and fills counts for the
 * summary; the OCR stage runs its pages in a worker process (ocrpipe.h,
 * private to this module).  Sits on ingest/ ocr/ validate/ dedup/ and
 * store/; cli/ sits on it and is the only caller.
 */
#ifndef HOTICH_PIPELINE_H
#define HOTICH_PIPELINE_H

#include "common/common.h"
#include "common/record.h"
#include "dedup/dedup.h"

struct store;

/*
 * How a stage names an input that failed while it went on (a book or page
 * that does not decode, a page that crashed the OCR worker, a bad CSV row).
 * The command supplies it and prints; no stage writes a warning itself.
 * msg is borrowed for the call.
 */
typedef void stage_warn_fn(void *ctx, const char *msg);

/*
 * What a stage reports back: counts for the command's summary, and warn
 * (set by the caller before the call; NULL: failures are only counted).
 */
struct stage_counts {
	long long books, pages, records;	/* handled */
	long long failed;			/* inputs that failed (exit 3) */
	long long clean, review, blank, duplicates;
	long long skipped;			/* books already ingested (same SHA-256) */
	stage_warn_fn *warn;
	void *warn_ctx;
};
/* For the stages: format a message and hand it to warn, if not NULL. */
void stage_warnf(stage_warn_fn *warn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int stage_ingest(struct store *s, char *const *inputs, int n, const char *kind,
		 long long batch_id, struct stage_counts *c, struct err *e);
/*
 * Decode every page that batch batch_id registered as 'new'; a page that
 * does not decode becomes 'failed' with the reason, named through c->warn
 * and counted in c->failed (hotich ingest --decode-check).
 */
int stage_ingest_check(struct store *s, long long batch_id, struct stage_counts *c,
		       struct err *e);
/*
 * The OCR stage.  Reads every pending page in a worker process, commits
 * each page's records with its status; a page that crashes or hangs the
 * worker is failed alone (counted in c->failed, named through c->warn) and
 * the rest goes on.  o->cmd labels the progress lines on stderr.
 */
struct stage_ocr_options {
	int threads;		/* 0: one per core */
	int page_timeout;	/* seconds a page may take; 0: no limit */
	int kind;		/* enum book_kind from --kind, or -1 (KIND_NONE): auto */
	int retry_failed;	/* --retry-failed: lost pages whatever their tries */
	const char *cmd;	/* "run" or "ocr", for the progress lines */
};
/* Runs that may lose a page (timeout, crash) before it waits for --retry-failed. */
#define STAGE_OCR_TRIES 3
void stage_ocr_options_init(struct stage_ocr_options *o); /* 120 s, auto */
int stage_ocr_run(struct store *s, const struct stage_ocr_options *o,
		  struct stage_counts *c, struct err *e);
/* 1 after Ctrl-C stopped stage_ocr_run (which said so, and returned -1):
 * the command exits 130 with what was saved kept. */
int stage_ocr_interrupted(void);
/*
 * The OCR worker's whole life (`hotich ocr --worker`): read the jobs on
 * stdin, read the pages with `threads` OpenMP threads and one engine each,
 * report on fd 3.  Returns the process exit code.  Honours the test hooks
 * HOTICH_TEST_CRASH_PAGE and HOTICH_TEST_HANG_PAGE (<book basename>:<page>),
 * which make that page raise SIGSEGV or never finish.
 */
int ocrpipe_worker_main(int threads);
int stage_validate(struct store *s, int all, struct stage_counts *c, struct err *e);
/* One book's entry-number check again (its book-level findings replaced,
 * those a supervisor acknowledged kept so), after a supervisor corrected an
 * entry number. */
int stage_validate_book(struct store *s, long long book_id, struct err *e);
int stage_dedup(struct store *s, struct stage_counts *c, struct err *e);
/* Link one kind's pending records; counts added to c, the run's stats in st. */
int stage_dedup_kind(struct store *s, enum book_kind kind, struct stage_counts *c,
		     struct dedup_stats *st, long long *possible, struct err *e);

/*
 * The CSV importers' shared reading (import-existing and import-batch).
 * A header row of export column names (any subset, any order; unknown or
 * repeated names are fatal, naming them all), then one record per row:
 * cells NFC, the export's formula guard undone, empty cells left out,
 * fields keyed (conf -1, model "keyed").  A bad row is named with its line
 * and skipped; the rest is imported, committing every IMPORT_CHUNK
 * rows.
 */
#define IMPORT_CHUNK 5000

/* Set warn and warn_ctx before the call (as in stage_counts); it zeroes the counts. */
struct import_stats {
	long long rows, imported, bad;
	stage_warn_fn *warn;
	void *warn_ctx;
};

/* Called for each good row (row: 1-based data row, line: where it starts). */
typedef int (*import_row_fn)(struct record *r, long long row, long line, void *ctx,
			     struct err *e);

/* 0 done (st->bad rows were skipped, each named through st->warn), -1 fatal with e set. */
int import_csv(struct store *s, const char *path, enum book_kind kind, import_row_fn fn,
	       void *ctx, struct import_stats *st, struct err *e);

#endif
