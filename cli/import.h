/*
 * cli/import: the CSV importers' shared reading (import-existing and
 * import-batch).  A header row of export column names (any subset, any
 * order; unknown or repeated names are fatal, naming them all), then one
 * record per row: cells NFC, the export's formula guard undone, empty cells
 * left out, fields keyed (conf -1, model "keyed").  A bad row is named on
 * stderr with its line and skipped; the rest is imported, committing every
 * IMPORT_CHUNK rows.
 */
#ifndef HOTICH_CLI_IMPORT_H
#define HOTICH_CLI_IMPORT_H

#include "common/common.h"
#include "common/record.h"

struct store;

#define IMPORT_CHUNK 5000

struct import_stats {
	long long rows, imported, bad;
};

/* Called for each good row (row: 1-based data row, line: where it starts). */
typedef int (*import_row_fn)(struct record *r, long long row, long line, void *ctx,
			     struct err *e);

/* 0 done (st->bad rows were skipped), -1 fatal with e set. */
int import_csv(const char *cmd, struct store *s, const char *path, enum book_kind kind,
	       import_row_fn fn, void *ctx, struct import_stats *st, struct err *e);

/* Options both importers take: --kind K and one FILE.csv. */
int import_parse_args(const char *cmd, const char *help, int argc, char **argv,
		      const char **db, enum book_kind *kind, const char **file);

#endif
