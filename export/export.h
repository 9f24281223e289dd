/*
 * export: the last stage.  Clean and supervisor-approved records go to the
 * national database's import as CSV, JSON, NDJSON or XLSX (every cell text) in the Ministry of
 * Justice's template columns (common/columns.c), with PATH.manifest.json
 * beside each file, and every export is recorded in the exports tables.
 *
 * Invariants:
 * - only records with status clean or approved and no unresolved duplicate
 *   finding (one not marked resolved whose match has no 'different'
 *   decision) are written;
 * - order: book, then entry number (as store_records_each gives them);
 * - the same selection gives byte-identical files (the manifest's time and
 *   export id aside);
 * - a file appears whole or not at all: written to a temporary file in the
 *   same directory, fsync'd, renamed; files are created 0600;
 * - every cell is NFC; no raw control character is written except inside a
 *   quoted CSV cell (JSON escapes them).
 *
 * Errors: 0 on success, negative with e filled; nothing printed.
 * Thread-safety: one export at a time per struct store (it is the writer).
 */
#ifndef HOTICH_EXPORT_H
#define HOTICH_EXPORT_H

#include "common/common.h"
#include "common/record.h"

struct store;
struct record_source;	/* store/store.h */

enum export_format { EXPORT_CSV = 0, EXPORT_JSON = 1, EXPORT_NDJSON = 2, EXPORT_XLSX = 3 };

/* "csv" "json" "ndjson" "xlsx" -> format; -1 when unknown. */
int export_format_parse(const char *s);
const char *export_format_name(enum export_format f);

struct export_options {
	enum book_kind kind;	/* KIND_KS, KIND_KH or KIND_KT */
	enum export_format format;
	const char *out;	/* the file to write; PATH.manifest.json beside it */
	int since_last;		/* only records no earlier export of this kind and
				 * format wrote (a trial JSON does not use up CSV's) */
	int bom;		/* CSV only: start with a UTF-8 byte-order mark */
};

struct export_result {
	long long export_id;	/* row in the exports table */
	long long count;	/* records written */
	long long first_id, last_id;	/* record ids of the first and last row; 0 if none */
	char sha256[SHA256_HEX_LEN + 1];	/* of the export file */
	char *manifest_path;	/* caller frees via export_result_release() */
	char **left_out;	/* one message per record left out (a cell too long) */
	size_t nleft_out;
};
void export_result_release(struct export_result *res);

/*
 * Select, write, rename into place and record one export.  On failure no
 * file is left behind under opt->out or its temporary name, and nothing is
 * recorded.  A selection of zero records still writes a valid file (a
 * header row, "[]" or an empty NDJSON file).  Release res in every case.
 * Not inside a transaction of the caller's: it takes a read snapshot, then
 * a short write transaction.
 */
int export_run(struct store *s, const struct export_options *opt,
	       struct export_result *res, struct err *e);

/* ---- the CSV writer (RFC 4180), also the contract import-existing reads ---- */

/*
 * Append one cell.  Quoted when it holds '"', ',' or any control character
 * (C0, DEL, C1), or begins or ends with a space; '"' doubled inside.
 * Formula guard (the spec's rule, which common/csvin.c's csvin_unguard()
 * undoes): a cell beginning with '=', '+', '-', '@', TAB or CR gets a
 * leading "'".  A value that itself begins with "'" and one of those six
 * cannot be told from a guarded one; registers do not hold such values.
 */
void export_csv_cell(struct strbuf *sb, const char *cell);
/* Append cells joined by ',' and ended by CRLF. */
void export_csv_row(struct strbuf *sb, const char *const *cells, size_t n);
/* 1 when export_csv_cell() prefixes cell with "'". */
int export_csv_guarded(const char *cell);

/* ---- one record as export cells ---------------------------------------- */

/* What a record's row needs beyond the record and its source. */
struct export_extra {
	const char *printed_page;	/* page number printed on the page, or NULL */
	const char *office;		/* book's noiDangKy header, or NULL */
	/*
	 * STT: the row's number in its file, 1..n in export order (0: keep
	 * the record's own).  Never a database id, so the same records give
	 * the same bytes from any database (spec: export-and-cli.md).
	 */
	long long stt;
};

/*
 * The cells of r in the columns of r->kind (n set to their number): a
 * field's value when validation set one, else its raw text trimmed; NFC.
 * Empty quyenSo, trangSo and noiDangKy fall back to the book number,
 * the printed page number (else the page's position) and the book's
 * office; STT is x->stt when that is set.  Caller frees with export_cells_free().
 */
char **export_cells(const struct record *r, const struct record_source *src,
		    const struct export_extra *x, size_t *n);
void export_cells_free(char **cells, size_t n);

/* How a record came to be exported, for "_review". */
struct export_review {
	int reviewed;		/* a supervisor approved it */
	const char *reviewer;	/* "" when none */
	const char *at;		/* ISO 8601, "" when none */
};

/*
 * One record as a compact JSON object on one line (no newline): every
 * column as a string key in column order, then "_source" and "_review".
 * Caller frees.
 */
char *export_json_line(enum book_kind kind, char *const *cells, size_t n,
		       const struct record_source *src, const struct export_review *rv);

#endif
