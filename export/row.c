/*
 * One record as export cells and as a JSON object.  Validation has already
 * put each value in its export form; here we only choose value over raw,
 * fill the header columns OCR takes from the running header, and make sure
 * every cell is NFC.
 */
#include "export/export.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* NFC; ASCII (most cells, and every empty one) is NFC already. */
static char *nfc(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return text_nfc(s);
	return xstrdup(s);
}

/* NFC with leading and trailing white space removed; caller frees. */
static char *nfc_trimmed(const char *s)
{
	char *n = nfc(s ? s : "");
	size_t len = strlen(n), start = 0;
	while (start < len && is_space(n[start]))
		start++;
	while (len > start && is_space(n[len - 1]))
		len--;
	char *r = xstrndup(n + start, len - start);
	free(n);
	return r;
}

/* A field's export text: its value when validation set one, else raw trimmed. */
static char *field_cell(const struct record *r, const char *col)
{
	const struct field *f = record_field(r, col);
	if (!f)
		return xstrdup("");
	if (f->value)
		return nfc(f->value);
	return nfc_trimmed(f->raw);
}

/* Replace an empty cell with fallback (NULL or "": leave it empty). */
static void fill_empty(char **cell, const char *fallback)
{
	if (**cell || !fallback || !*fallback)
		return;
	free(*cell);
	*cell = nfc_trimmed(fallback);
}

static void fill_header_cells(char **cells, enum book_kind kind,
			      const struct record_source *src, const struct export_extra *x)
{
	char num[32];
	int i;
	if ((i = column_index(kind, "quyenSo")) >= 0)
		fill_empty(&cells[i], src ? src->book_no : NULL);
	if ((i = column_index(kind, "trangSo")) >= 0) {
		fill_empty(&cells[i], x ? x->printed_page : NULL);
		if (src && src->page > 0) {
			snprintf(num, sizeof(num), "%d", src->page);
			fill_empty(&cells[i], num);
		}
	}
	if ((i = column_index(kind, "noiDangKy")) >= 0)
		fill_empty(&cells[i], x ? x->office : NULL);
	if ((i = column_index(kind, "STT")) >= 0 && x && x->stt > 0) {
		snprintf(num, sizeof(num), "%lld", x->stt);
		free(cells[i]);
		cells[i] = xstrdup(num);
	}
}

char **export_cells(const struct record *r, const struct record_source *src,
		    const struct export_extra *x, size_t *n)
{
	const char *const *cols = columns_of(r->kind, n);
	char **cells = xcalloc(*n ? *n : 1, sizeof(*cells));
	for (size_t i = 0; i < *n; i++)
		cells[i] = field_cell(r, cols[i]);
	fill_header_cells(cells, r->kind, src, x);
	return cells;
}

void export_cells_free(char **cells, size_t n)
{
	if (!cells)
		return;
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

/* A JSON string of s made NFC (and so valid UTF-8, which jansson requires). */
static json_t *jstr(const char *s)
{
	char *n = nfc(s ? s : "");
	json_t *j = json_string(n);
	free(n);
	return j ? j : json_string("");
}

static json_t *source_object(const struct record_source *src)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", jstr(src ? src->file : ""));
	if (src && src->page > 0) {
		json_object_set_new(o, "sha256", jstr(src->sha256));
		json_object_set_new(o, "page", json_integer(src->page));
		json_object_set_new(o, "index", json_integer(src->index));
	} else {
		json_object_set_new(o, "row", json_integer(src ? src->row : 0));
	}
	return o;
}

static json_t *review_object(const struct export_review *rv)
{
	json_t *o = json_object();
	int reviewed = rv && rv->reviewed;
	json_object_set_new(o, "status", json_string(reviewed ? "reviewed" : "auto"));
	json_object_set_new(o, "reviewer", jstr(reviewed ? rv->reviewer : ""));
	json_object_set_new(o, "at", jstr(reviewed ? rv->at : ""));
	return o;
}

char *export_json_line(enum book_kind kind, char *const *cells, size_t n,
		       const struct record_source *src, const struct export_review *rv)
{
	size_t ncols;
	const char *const *cols = columns_of(kind, &ncols);
	json_t *o = json_object();
	/* Cells from export_cells() are NFC already; anything else is made so. */
	for (size_t i = 0; i < n && i < ncols; i++) {
		json_t *v = json_string(cells[i]);
		json_object_set_new(o, cols[i], v ? v : jstr(cells[i]));
	}
	json_object_set_new(o, "_source", source_object(src));
	json_object_set_new(o, "_review", review_object(rv));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return xstrdup("{}");
	char *r = xstrdup(s);
	free(s);
	return r;
}
