/*
 * csvin: a streaming RFC 4180 reader over libcsv.
 *
 * Sits under the importers (import-existing, import-batch) and under every
 * reader of our own data files (csvin_data_load).  Reads a file of
 * any size in bounded memory: the file is fed to libcsv one physical line at
 * a time, so every row knows the line it started on, and a row that is bad
 * (invalid UTF-8, a cell over CSVIN_MAX_CELL bytes, broken quoting) is handed
 * back marked bad with a reason instead of stopping the read.  A byte-order
 * mark at the start is dropped.  Cells are returned as read (no NFC, no
 * trimming: spaces belong to the cell in RFC 4180).
 *
 * Thread-safety: a reader is used by one thread.
 */
#ifndef HOTICH_CSVIN_H
#define HOTICH_CSVIN_H

#include <stddef.h>

#include "common/common.h"

#define CSVIN_MAX_CELL 4096		/* bytes in one cell */
#define CSVIN_MAX_CELLS 512		/* cells in one row */
#define CSVIN_RESYNC (1 << 20)		/* a field this long is abandoned mid-read */

struct csvin;

struct csvin_row {
	char **cells;		/* NUL-terminated; owned by the reader, valid until next call */
	size_t ncells;
	long line;		/* 1-based physical line the row starts on */
	int bad;		/* 1: reason says why; cells may be incomplete */
	char reason[160];
};

struct csvin *csvin_open(const char *path, struct err *e);
void csvin_close(struct csvin *r);	/* NULL is fine */
/* The next row: 1 a row (maybe bad), 0 end of file, -1 read error (e set). */
int csvin_next(struct csvin *r, struct csvin_row **row, struct err *e);

/*
 * Read one of our data files (data_path(name)): fn gets each row after the
 * header, with its cells trimmed of spaces (borrowed for the call; fn may
 * change them in place).  Blank rows are skipped.  A bad row stops the read
 * with an error naming the file and line.  0, or -1 with e set.
 */
typedef void (*csvin_row_fn)(char **cells, int n, void *ctx);
int csvin_data_load(const char *name, csvin_row_fn fn, void *ctx, struct err *e);

/*
 * Undo the export's formula guard: a cell "'=..." (' before = + - @ TAB CR)
 * becomes "=...".  In place; returns s.
 */
char *csvin_unguard(char *s);

#endif
