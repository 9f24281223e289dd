/*
 * Streaming CSV over libcsv.  libcsv is push-driven (callbacks per cell and
 * per row); we feed it one physical line at a time so that each callback
 * knows which line it is on, and queue finished rows for csvin_next().
 */
#include "common/csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define BUFSZ 65536

struct csvin {
	FILE *f;
	char *path;
	struct csv_parser p;
	unsigned char buf[BUFSZ];
	size_t pos, len;
	int eof, started, finished;
	long line;		/* physical line being fed, 1-based */
	int row_pending;	/* next non-empty byte starts a row */
	int skip_line;		/* after a broken row: drop bytes up to the newline */
	struct csvin_row cur;	/* row being built */
	size_t cur_cap;
	struct csvin_row *q;	/* finished rows, q[qhead..qn) */
	size_t qhead, qn, qcap;
	int handed;		/* q[qhead - 1] was handed out and must be freed */
};

static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void parser_init(struct csvin *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_space_func(&r->p, never_space);
}

struct csvin *csvin_open(const char *path, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		err_set(e, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct csvin *r = xcalloc(1, sizeof(*r));
	r->f = f;
	r->path = xstrdup(path);
	r->line = 1;
	r->row_pending = 1;
	parser_init(r);
	return r;
}

static void row_free(struct csvin_row *row)
{
	for (size_t i = 0; i < row->ncells; i++)
		free(row->cells[i]);
	free(row->cells);
	memset(row, 0, sizeof(*row));
}

void csvin_close(struct csvin *r)
{
	if (!r)
		return;
	for (size_t i = r->qhead - (r->handed ? 1 : 0); i < r->qn; i++)
		row_free(&r->q[i]);
	free(r->q);
	row_free(&r->cur);
	csv_free(&r->p);
	fclose(r->f);
	free(r->path);
	free(r);
}

__attribute__((format(printf, 2, 3)))
static void row_mark_bad(struct csvin_row *row, const char *fmt, ...)
{
	if (row->bad)
		return;
	row->bad = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(row->reason, sizeof(row->reason), fmt, ap);
	va_end(ap);
}

static void on_cell(void *s, size_t n, void *data)
{
	struct csvin *r = data;
	struct csvin_row *row = &r->cur;
	size_t k = row->ncells + 1;
	if (row->ncells >= CSVIN_MAX_CELLS) {
		row_mark_bad(row, "more than %d cells", CSVIN_MAX_CELLS);
		return;
	}
	if (n > CSVIN_MAX_CELL)
		row_mark_bad(row, "cell %zu is longer than %d bytes", k, CSVIN_MAX_CELL);
	else if (s && memchr(s, '\0', n))
		row_mark_bad(row, "cell %zu holds a NUL byte", k);
	else if (s && !text_valid_utf8(s, n))
		row_mark_bad(row, "cell %zu is not valid UTF-8", k);
	ALLOC_GROW(row->cells, row->ncells + 1, r->cur_cap);
	row->cells[row->ncells++] = row->bad ? xstrdup("") : xstrndup(s ? s : "", n);
}

/* Move the row being built to the queue of finished rows. */
static void row_finish(struct csvin *r)
{
	ALLOC_GROW(r->q, r->qn + 1, r->qcap);
	r->q[r->qn++] = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
	r->cur_cap = 0;
	/* A bare CR ends a row mid-line: the next one starts on this line,
	 * unless only line ends follow (then feed() moves it on). */
	r->cur.line = r->line;
	r->row_pending = 1;
}

static void on_row(int c, void *data)
{
	(void)c;
	row_finish(data);
}

/* A row libcsv cannot finish: hand it back bad, start over on the next line. */
static void row_abandon(struct csvin *r, const char *why, int line_done)
{
	if (r->row_pending)
		r->cur.line = r->line;
	r->cur.bad = 1;
	snprintf(r->cur.reason, sizeof(r->cur.reason), "%s", why);
	row_finish(r);
	csv_free(&r->p);
	parser_init(r);
	r->skip_line = !line_done;
}

static int fill(struct csvin *r, struct err *e)
{
	if (r->pos < r->len || r->eof)
		return 0;
	r->len = fread(r->buf, 1, BUFSZ, r->f);
	r->pos = 0;
	if (r->len == 0) {
		if (ferror(r->f))
			return err_set(e, "cannot read '%s': %s", r->path, strerror(errno));
		r->eof = 1;
		return 0;
	}
	if (!r->started) {
		r->started = 1;
		if (r->len >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3))
			r->pos = 3;
	}
	return 0;
}

static int only_newline(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Feed one piece of a physical line (up to and including its '\n'). */
static void feed(struct csvin *r, const unsigned char *s, size_t n)
{
	int line_done = s[n - 1] == '\n';
	if (r->skip_line) {
		r->skip_line = !line_done;
	} else {
		if (r->row_pending && !only_newline(s, n)) {
			r->row_pending = 0;
			r->cur.line = r->line;
		}
		size_t used = csv_parse(&r->p, s, n, on_cell, on_row, r);
		if (used < n)
			row_abandon(r, "broken quoting (a quote inside an unquoted cell, or "
				    "text after a closing quote)", line_done);
		else if (r->p.entry_pos > CSVIN_RESYNC)
			row_abandon(r, "a cell runs past 1 MiB (unterminated quote?)",
				    line_done);
	}
	if (line_done)
		r->line++;
}

static void finish(struct csvin *r)
{
	r->finished = 1;
	if (csv_fini(&r->p, on_cell, on_row, r) != 0)
		row_abandon(r, "the file ends inside a quoted cell", 1);
}

int csvin_next(struct csvin *r, struct csvin_row **row, struct err *e)
{
	if (r->handed) {
		row_free(&r->q[r->qhead - 1]);
		r->handed = 0;
	}
	while (r->qhead >= r->qn && !r->finished) {
		r->qhead = r->qn = 0;
		if (fill(r, e) < 0)
			return -1;
		if (r->eof) {
			finish(r);
			break;
		}
		const unsigned char *s = r->buf + r->pos;
		size_t left = r->len - r->pos;
		if (left == 0)
			continue; /* a buffer that held only a byte-order mark */
		const unsigned char *nl = memchr(s, '\n', left);
		size_t n = nl ? (size_t)(nl - s) + 1 : left;
		r->pos += n;
		feed(r, s, n);
	}
	if (r->qhead >= r->qn)
		return 0;
	*row = &r->q[r->qhead++];
	r->handed = 1;
	return 1;
}

char *csvin_unguard(char *s)
{
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
		memmove(s, s + 1, strlen(s));
	return s;
}

/* Trim spaces and tabs at both ends, in place (the cell stays the reader's). */
static void trim(char *s)
{
	size_t a = strspn(s, " \t"), n = strlen(s);
	while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
}

static int data_rows(struct csvin *in, csvin_row_fn fn, void *ctx, struct err *e)
{
	struct csvin_row *row;
	int got, header = 1;
	while ((got = csvin_next(in, &row, e)) == 1) {
		if (row->bad)
			return err_set(e, "'%s' line %ld: %s", in->path, row->line, row->reason);
		for (size_t i = 0; i < row->ncells; i++)
			trim(row->cells[i]);
		if (!header && row->ncells && *row->cells[0])
			fn(row->cells, (int)row->ncells, ctx);
		header = 0;
	}
	return got < 0 ? -1 : 0;
}

int csvin_data_load(const char *name, csvin_row_fn fn, void *ctx, struct err *e)
{
	char *path = data_path(name, e);
	if (!path)
		return -1;
	struct csvin *in = csvin_open(path, e);
	free(path);
	if (!in)
		return -1;
	int rc = data_rows(in, fn, ctx, e);
	csvin_close(in);
	return rc;
}
