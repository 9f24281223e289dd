/*
 * report: the night in one self-contained HTML page for the morning.
 *
 * Sits beside review and export, on top of the store: report_load() reads
 * what one batch did (its books, pages, records, the queue, failed pages,
 * pages per hour) into plain data; report_html_write() renders it with
 * inline CSS and an inline SVG chart, no external resource, so the file can
 * be mailed or opened from a USB stick.
 *
 * A batch's pages are those read (done, blank or failed) between its start
 * and its end; its records are those of its pages.
 *
 * Thread-safety: none needed; one report at a time.
 */
#ifndef HOTICH_REPORT_H
#define HOTICH_REPORT_H

#include <stdio.h>

#include "common/common.h"
#include "store/store.h"

struct report_book {
	char *name, *kind, *book_no;	/* kind/book_no "" when unknown */
	int pages;			/* in the file */
	long long done, blank, failed;	/* pages this batch read */
	long long records;
	long long first, last;		/* entry numbers, 0 when none */
	long long ngaps;		/* entry numbers missing between them */
	long long unnumbered;		/* records with no entry number read */
	char *gaps;			/* "11, 15-17" (the first 40), "" when none */
};

struct report_count {
	char *code;
	long long n;
};

struct report_failed {
	char *book;
	int page;		/* 0: the whole file */
	char *reason;
};

struct report {
	long long batch_id;
	char *started_at, *finished_at, *command;	/* finished_at "" while running */
	struct report_book *books;
	size_t nbooks;
	long long pages, records, clean, approved, review, rejected;
	struct report_count *reasons;	/* queued records by finding code, most first */
	size_t nreasons;
	struct report_failed *failed;
	size_t nfailed;
	/* Expected residual error of the accepted records: the sum over their
	 * fields of the chance the field is wrong (fields_checked of them). */
	double wrong_fields, wrong_records;
	long long fields_checked;
	const char *residual_basis;	/* static: where the chances came from */
	/* Pages per hour: nbins bins of bin_seconds from started_at. */
	int bin_seconds;
	long long *bins;
	size_t nbins;
};

/* batch_id 0: the last batch.  r is caller-released; -1 with e when there
 * is no such batch or the database fails. */
int report_load(struct store *s, long long batch_id, struct report *r, struct err *e);
void report_release(struct report *r);

/* The page, UTF-8.  -1 with e when out cannot be written. */
int report_html_write(const struct report *r, FILE *out, struct err *e);

/* "11, 15-17" for the missing numbers of sorted, distinct nums (n of them),
 * at most max listed; *missing set to how many are missing.  Caller frees. */
char *report_gaps(const long long *nums, size_t n, size_t max, long long *missing);

#endif
