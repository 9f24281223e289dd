/* The CSV importers' shared reading: header, rows, bad-row reports. */
#include "pipeline/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "common/csvin.h"
#include "store/store.h"

/* Header names to column names of kind; fatal naming every unknown one. */
static int header_map(const struct csvin_row *h, enum book_kind kind, const char *path,
		      char ***cols, struct err *e)
{
	struct strbuf bad = STRBUF_INIT, twice = STRBUF_INIT;
	char **c = xcalloc(h->ncells + 1, sizeof(*c));
	for (size_t i = 0; i < h->ncells; i++) {
		const char *name = h->cells[i];
		if (column_index(kind, name) < 0) {
			sb_addf(&bad, "%s'%s'", bad.len ? ", " : "", name);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (c[j] && !strcmp(c[j], name))
				sb_addf(&twice, "%s'%s'", twice.len ? ", " : "", name);
		c[i] = xstrdup(name);
	}
	int rc = 0;
	if (bad.len)
		rc = err_set(e, "'%s': unknown column%s %s (not in the %s columns)", path,
			     strchr(bad.buf, ',') ? "s" : "", bad.buf, kind_code(kind));
	else if (twice.len)
		rc = err_set(e, "'%s': column %s given twice", path, twice.buf);
	sb_release(&bad);
	sb_release(&twice);
	*cols = c;
	return rc;
}

static void cols_free(char **c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		free(c[i]);
	free(c);
}

static void row_record(const struct csvin_row *row, char **cols, enum book_kind kind,
		       struct record *r)
{
	record_init(r, kind);
	for (size_t i = 0; i < row->ncells; i++) {
		char *cell = csvin_unguard(row->cells[i]);
		if (!*cell)
			continue;
		char *v = text_nfc(cell);
		struct field *f = record_set_raw(r, cols[i], v);
		f->conf = -1;
		free(f->model);
		f->model = xstrdup("keyed");
		free(v);
	}
}

struct reading {
	const char *path;
	struct store *s;
	enum book_kind kind;
	char **cols;
	size_t ncols;
	import_row_fn fn;
	void *ctx;
	struct import_stats *st;
};

static int one_row(struct reading *rd, struct csvin_row *row, struct err *e)
{
	long long n = ++rd->st->rows;
	if (!row->bad && row->ncells != rd->ncols) {
		snprintf(row->reason, sizeof(row->reason), "%zu cells, the header has %zu",
			 row->ncells, rd->ncols);
		row->bad = 1;
	}
	if (row->bad) {
		stage_warnf(rd->st->warn, rd->st->warn_ctx, "'%s' line %ld: %s; row skipped",
			    rd->path, row->line, row->reason);
		rd->st->bad++;
		return 0;
	}
	struct record r;
	row_record(row, rd->cols, rd->kind, &r);
	int rc = rd->fn(&r, n, row->line, rd->ctx, e);
	record_release(&r);
	if (rc == 0)
		rd->st->imported++;
	return rc;
}

static int rows(struct reading *rd, struct csvin *in, struct err *e)
{
	struct csvin_row *row;
	int rc = 0, got;
	while (rc == 0 && (got = csvin_next(in, &row, e)) == 1) {
		if (rd->st->rows % IMPORT_CHUNK == 0 && store_begin(rd->s, e) < 0)
			return -1;
		rc = one_row(rd, row, e);
		if (rc == 0 && rd->st->rows % IMPORT_CHUNK == 0)
			rc = store_commit(rd->s, e);
	}
	if (rc == 0 && got < 0)
		rc = -1;
	if (rc == 0)
		rc = store_commit(rd->s, e);
	if (rc < 0)
		store_rollback(rd->s);
	return rc;
}

int import_csv(struct store *s, const char *path, enum book_kind kind, import_row_fn fn,
	       void *ctx, struct import_stats *st, struct err *e)
{
	st->rows = st->imported = st->bad = 0;
	struct csvin *in = csvin_open(path, e);
	if (!in)
		return -1;
	struct reading rd = {path, s, kind, NULL, 0, fn, ctx, st};
	struct csvin_row *h;
	int rc = csvin_next(in, &h, e);
	if (rc == 0)
		rc = err_set(e, "'%s' is empty: no header row", path);
	else if (rc == 1 && h->bad)
		rc = err_set(e, "'%s' line %ld: bad header row: %s", path, h->line, h->reason);
	else if (rc == 1) {
		rd.ncols = h->ncells;
		rc = header_map(h, kind, path, &rd.cols, e);
	}
	if (rc == 0)
		rc = rows(&rd, in, e);
	cols_free(rd.cols, rd.ncols);
	csvin_close(in);
	return rc < 0 ? -1 : 0;
}
