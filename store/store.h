/*
 * store: the SQLite database, the only module that includes sqlite3.h.
 *
 * One file holds the whole state of a project: batches, books, pages,
 * records and their fields, findings, dedup matches, review decisions (the
 * audit log), claims, and exports.  WAL mode, foreign keys on, schema
 * versioned with PRAGMA user_version and migrated on open.  Created 0600:
 * civil-status records are personal data.
 *
 * Invariant: a stage's work for a page (or a record) commits in one
 * transaction with that page's (record's) status, so a kill -9 at any moment
 * loses at most the unit in flight and never leaves half of it.
 *
 * Thread-safety: a struct store is used by one thread (the writer).
 * Errors: functions return 0 (or an id > 0) on success and a negative value
 * with e filled on failure.
 */
#ifndef HOTICH_STORE_H
#define HOTICH_STORE_H

#include "common/common.h"
#include "common/record.h"

struct store;

/*
 * store_open() creates the database when there is none (run, ingest, the
 * imports); store_open_existing() fails when there is none, so a mistyped
 * --db is an error rather than an empty database.  Either refuses,
 * untouched, a SQLite file that is not hotich's or whose schema is newer
 * than this program: nothing is written before those checks pass.  A file
 * (or its WAL) wider than 0600 is narrowed to 0600.
 */
struct store *store_open(const char *path, struct err *e);
struct store *store_open_existing(const char *path, struct err *e);
void store_close(struct store *s); /* NULL is fine */
int store_schema_version(struct store *s, struct err *e); /* -1 on error */

/*
 * Transactions nest: the outer level is BEGIN IMMEDIATE, inner levels are
 * SAVEPOINTs, so an inner rollback undoes only its part.  After a failed
 * store_commit() call store_rollback(); once SQLite itself has rolled back
 * (full disk, I/O error) every commit of that transaction fails.
 */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);
int store_exec(struct store *s, const char *sql, struct err *e);
/* One integer from a one-row query with no parameters; -1 with e filled. */
long long store_count(struct store *s, const char *sql, struct err *e);

/* ---- batches ---------------------------------------------------------- */

long long store_batch_begin(struct store *s, const char *command,
			    const char *engine, const char *models_json,
			    struct err *e);
int store_batch_finish(struct store *s, long long batch_id, const char *summary_json,
		       struct err *e);

/*
 * The run lock (store/runlock.c): a run takes it for as long as it goes on;
 * the kernel drops it with the process, kill -9 too.  store_run_lock
 * returns a descriptor (close-on-exec) or -1 with e set (another run holds
 * it: "another run is going on"); store_run_in_progress: 1 when a run
 * holds it now, 0 otherwise.
 */
int store_run_lock(const char *db_path, struct err *e);
void store_run_unlock(int fd);
int store_run_in_progress(const char *db_path);

/* ---- books and pages (ingest) ----------------------------------------- */

struct store_book {
	long long id;
	long long batch_id;
	char *path;	/* as given on the command line */
	char *name;	/* basename */
	char sha256[SHA256_HEX_LEN + 1];
	long long size;
	char *kind;	/* "ks" "kh" "kt", or NULL until known */
	char *format;	/* "F" "T", or NULL until known */
	char *book_no;	/* "03/2009" from the running header */
	char *office;	/* noiDangKy from the running header */
	int pages;
	char *status;	/* "ingested" | "failed" */
	char *error;
};
void store_book_release(struct store_book *b);

/* 0 when no book has this SHA-256, else its id. */
long long store_book_by_sha(struct store *s, const char *sha256, struct err *e);
/* Number of earlier books under the same path (for versioning). */
int store_book_versions(struct store *s, const char *path, struct err *e);
long long store_book_add(struct store *s, const struct store_book *b, struct err *e);
int store_book_load(struct store *s, long long id, struct store_book *b, struct err *e);
int store_book_set_header(struct store *s, long long book_id, const char *kind,
			  const char *format, const char *book_no, const char *office,
			  struct err *e); /* NULL arguments leave the column as it is */

enum page_status { PAGE_NEW, PAGE_DONE, PAGE_BLANK, PAGE_FAILED };
const char *page_status_name(enum page_status st);

struct store_page {
	long long id, book_id;
	int page_no;		/* 1-based position in the file */
	enum page_status status;
	int width, height, bits;
	double xres, yres;	/* dpi; 0 when the file does not say */
	char *compression;
	char *error;
	int attempts;
};
void store_page_release(struct store_page *p);
long long store_page_add(struct store *s, const struct store_page *p, struct err *e);

/* A page waiting for OCR, with what a worker needs to load it. */
struct store_job {
	long long page_id, book_id;
	int page_no;
	int attempts;	/* crashes with the page in flight, this run */
	int tries;	/* earlier runs that lost the page (timeout, crash) */
	char *path;
	char *kind;	/* book's kind or NULL (auto) */
};
void store_jobs_free(struct store_job *jobs, size_t n);
/*
 * Pages to read: those never read, and those an earlier run lost (timed
 * out, crashed) fewer than max_tries times, or any number when max_tries
 * is negative (--retry-failed).
 */
int store_jobs_pending(struct store *s, int max_tries, struct store_job **jobs, size_t *n,
		       struct err *e);
/* Count an attempt before handing the page to a worker (crash accounting). */
int store_page_attempt(struct store *s, long long page_id, struct err *e);
int store_page_fail(struct store *s, long long page_id, const char *error, struct err *e);
/* Fail a page the engine lost (timeout, crash): one more try counted, its
 * crash attempts cleared for the run that reads it again. */
int store_page_lost(struct store *s, long long page_id, const char *error, struct err *e);

/*
 * The OCR result of one page: its records (inserted with their fields,
 * status 'new', ids written back into recs[i].id), the page's status and
 * timing, in one transaction.  ocr_json: engine version, model SHA-256s,
 * parameters, stored with every record.
 */
struct page_result {
	long long page_id, book_id;
	enum page_status status;
	const char *error;	/* for PAGE_FAILED */
	const char *printed_page; /* "Trang số" as printed, or NULL */
	const char *kind, *format, *book_no, *office; /* header, NULL when unread */
	int ocr_ms;
	int ms_pre, ms_layout, ms_values;	/* of ocr_ms: image, layout, values */
	const char *ocr_json;
	struct record *recs;
	size_t nrecs;
};
int store_page_commit(struct store *s, const struct page_result *pr, struct err *e);

/* ---- records ------------------------------------------------------------ */

enum record_status { REC_NEW, REC_CLEAN, REC_REVIEW, REC_APPROVED, REC_REJECTED };
const char *record_status_name(enum record_status st);
enum record_status record_status_parse(const char *s); /* REC_NEW when unknown */

/* Where a record came from (for _source in exports and review). */
struct record_source {
	char *file;	/* basename of the TIFF or CSV */
	char *sha256;	/* of the TIFF; NULL for keyed */
	int page;	/* 1-based page, 0 for keyed */
	int index;	/* 0-based on the page */
	int row;	/* 1-based CSV data row, 0 for OCR */
	long long book_id, page_id;
	char *book_no;
};
void record_source_release(struct record_source *src);

/* Insert a keyed record (import-batch) with its fields; sets r->id.
 * file_sha: the CSV's SHA-256 (NULL: unknown), which resuming reads. */
long long store_record_insert_keyed(struct store *s, struct record *r, const char *file,
				    const char *file_sha, int row, struct err *e);
/* The last data row keyed from the CSV with this SHA-256; 0 when none. */
long long store_keyed_last_row(struct store *s, const char *file_sha, struct err *e);
/* Load a record with its fields and stored findings. */
int store_record_load(struct store *s, long long id, struct record *r,
		      enum record_status *st, struct record_source *src, struct err *e);

/*
 * Call fn for each record of kind (KIND_NONE: all) with status st (-1: all),
 * in book then entry-number order.  fn returns 0 to go on, nonzero to stop
 * (returned).  Records are loaded one at a time: memory stays flat.
 */
typedef int (*store_record_fn)(struct record *r, enum record_status st,
			       const struct record_source *src, void *ctx);
int store_records_each(struct store *s, enum book_kind kind, int st,
		       store_record_fn fn, void *ctx, struct err *e);

/*
 * Save a stage's verdict on a record: every field's value and corrected
 * flag, the stage's findings (replacing that stage's earlier ones), and the
 * new status, in one transaction unless the caller holds one.
 * stage: "validate" or "dedup".
 */
int store_record_save(struct store *s, const struct record *r, const char *stage,
		      enum record_status st, struct err *e);
int store_record_set_status(struct store *s, long long id, enum record_status st,
			    struct err *e);

/* Book-level findings (missing entry numbers), replacing the stage's earlier ones. */
struct book_finding {
	long long book_id;
	const char *code, *message;
	enum severity severity;
};
int store_book_findings_replace(struct store *s, long long book_id, const char *stage,
				const struct book_finding *f, size_t n, struct err *e);

/* ---- shards and merges (merge.c) --------------------------------------- */

/* This database's identity, made with it and kept by copies; caller frees. */
char *store_uuid(struct store *s, struct err *e);
/*
 * Mark this database as share shard ("K/N") of the run set (a digest of
 * that run's books and N), with paths[0..n-1] the whole run's books in the
 * order one run would ingest them (as store_book_add stores their paths).
 * Refuses a database that holds another share, or books of an unsharded run.
 */
int store_shard_mark(struct store *s, const char *shard, const char *set, char *const *paths,
		     size_t n, struct err *e);

/*
 * Before merging shards: for each run of which every share is among paths
 * (and none merged yet), reserve in s the ids one run over its books would
 * have given their books, pages and records, so store_merge puts each
 * share's rows there.  A path that cannot be read is left to store_merge
 * to name.  One transaction.
 */
int store_merge_plan(struct store *s, char *const *paths, int n, struct err *e);

struct store_merge_stats {
	long long books, pages, records;
	int already;	/* merged before: nothing changed */
};
/*
 * Merge the database at path (a shard) into s: its batches, books, pages,
 * records, fields and findings (not dedup's: run dedup on the result), ids
 * where the plan put them or else past s's own, in one transaction with the shard's uuid in table
 * merges, so merging it again changes nothing.  Refused, with e naming it:
 * a file that is not a hotich database of this schema version, s itself,
 * a book s already has in this or another version.
 */
int store_merge(struct store *s, const char *path, struct store_merge_stats *ms,
		struct err *e);

/* ---- raw access for modules that own a table (dedup, review, export) --- */
/*
 * A thin prepared-statement wrapper so modules can run their own SQL without
 * including sqlite3.h.  Parameters are bound by position (1-based) and never
 * spliced into SQL text.
 */
struct store_stmt;
struct store_stmt *store_prepare(struct store *s, const char *sql, struct err *e);
void store_finalize(struct store_stmt *st);
void store_reset(struct store_stmt *st);
void store_bind_int(struct store_stmt *st, int i, long long v);
void store_bind_double(struct store_stmt *st, int i, double v);
void store_bind_text(struct store_stmt *st, int i, const char *v); /* NULL binds NULL */
/* 1 row, 0 done, -1 error (e filled). */
int store_step(struct store_stmt *st, struct err *e);
long long store_col_int(struct store_stmt *st, int i);
double store_col_double(struct store_stmt *st, int i);
const char *store_col_text(struct store_stmt *st, int i); /* "" for NULL; valid until next step */
int store_col_is_null(struct store_stmt *st, int i);
long long store_last_id(struct store *s);
int store_changes(struct store *s);

#endif
