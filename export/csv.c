/*
 * The CSV writer: RFC 4180 cells and rows, with the spreadsheet formula
 * guard.  Byte-exact rules are in export.h; common/csvin.c reads them back.
 */
#include "export/export.h"

#include <string.h>

static int is_formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int export_csv_guarded(const char *cell)
{
	return is_formula_start(*cell);
}

/* C0 controls, DEL, and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F). */
static int control_at(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f)
		return 1;
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

/* Edge spaces are quoted too: RFC 4180 keeps them, but many readers
 * (libcsv's default among them) trim them from a bare cell. */
static int needs_quotes(const char *cell)
{
	size_t n = strlen(cell);
	if (n && (cell[0] == ' ' || cell[n - 1] == ' '))
		return 1;
	for (const unsigned char *p = (const unsigned char *)cell; *p; p++)
		if (*p == '"' || *p == ',' || control_at(p))
			return 1;
	return 0;
}

void export_csv_cell(struct strbuf *sb, const char *cell)
{
	int quote = needs_quotes(cell);
	if (quote)
		sb_addc(sb, '"');
	if (export_csv_guarded(cell))
		sb_addc(sb, '\'');
	for (const char *p = cell; *p; p++) {
		if (*p == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *p);
	}
	if (quote)
		sb_addc(sb, '"');
}

void export_csv_row(struct strbuf *sb, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ',');
		export_csv_cell(sb, cells[i]);
	}
	sb_add(sb, "\r\n", 2);
}
