/*
 * The export as an Excel workbook (libxlsxwriter, included here only): the
 * Ministry's import template is a spreadsheet.  Every cell is written as a
 * string in a text-formatted ("@") column, so personal IDs keep their
 * leading zero and book numbers like 03/2022 never become dates or sums,
 * even after a clerk edits a cell.  constant_memory streams rows (inline
 * strings) so a large export stays in bounded memory.  The workbook's
 * creation time is fixed: the same selection gives the same bytes, and the
 * manifest holds the export's real time.
 */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct xlsx_out {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *text;
	lxw_row_t row;
};

int export_xlsx_open(struct xlsx_out **out, const char *path, enum book_kind kind,
		     struct err *e)
{
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
	struct xlsx_out *x = xcalloc(1, sizeof(*x));
	x->wb = workbook_new_opt(path, &wo);
	if (!x->wb) {
		free(x);
		return err_set(e, "cannot create the workbook '%s'", path);
	}
	lxw_doc_properties props = {.title = "hotich export", .created = 946684800};
	workbook_set_properties(x->wb, &props);
	x->ws = workbook_add_worksheet(x->wb, kind_code(kind));
	x->text = workbook_add_format(x->wb);
	format_set_num_format_index(x->text, 49); /* Excel's built-in "@", text */
	size_t n;
	const char *const *cols = columns_of(kind, &n);
	worksheet_set_column(x->ws, 0, (lxw_col_t)(n ? n - 1 : 0), 16, x->text);
	*out = x;
	export_xlsx_row(x, cols, n);
	return 0;
}

void export_xlsx_row(struct xlsx_out *x, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i] && *cells[i])
			worksheet_write_string(x->ws, x->row, (lxw_col_t)i, cells[i], x->text);
	x->row++;
}

int export_xlsx_close(struct xlsx_out *x, const char *path, struct err *e)
{
	if (!x)
		return 0;
	lxw_error rc = workbook_close(x->wb);
	free(x);
	if (rc != LXW_NO_ERROR)
		return err_set(e, "cannot write '%s': %s", path, lxw_strerror(rc));
	return 0;
}
