/* Private to export/: what the OCR engine was, and the manifest. */
#ifndef HOTICH_EXPORT_INTERNAL_H
#define HOTICH_EXPORT_INTERNAL_H

#include "export/export.h"

/*
 * The OCR engines and model files behind a set of records, as distinct
 * sorted sets.  Fed from the batches table's engine and models columns
 * (models: {"vie": "<sha256>", ...}) and from each record's ocr text.
 */
struct provenance {
	char **engines;
	size_t nengines, engines_alloc;
	char **models;	/* "name\tsha256" */
	size_t nmodels, models_alloc;
};
void provenance_add(struct provenance *p, const char *engine, const char *models_json);
/* A record's ocr text: an object with "engine" and "models" when present. */
void provenance_add_ocr(struct provenance *p, const char *ocr_json);
/* Sort both sets, so the manifest does not depend on the order seen. */
void provenance_sort(struct provenance *p);
void provenance_release(struct provenance *p);

struct manifest_info {
	const struct export_options *opt;
	long long export_id, count, bytes;
	long long first_id, last_id, min_id, max_id;	/* 0 when count is 0 */
	const char *sha256, *at;
	const struct provenance *prov;
	/* Fields of rows accepted unseen (clean) that carry a probability, and
	 * the sum of 1 - p over them: the wrong values to expect. */
	long long scored_fields;
	double expected_wrong;
};
/* The selection alone (stored in exports.selection); caller frees. */
char *manifest_selection_json(const struct manifest_info *m);
/* The whole manifest, indented, ending in a newline; caller frees. */
char *manifest_json(const struct manifest_info *m);

/*
 * The xlsx writer (export/xlsx.c): open writes the header row of kind's
 * columns to a workbook at path (replacing the file); close writes the
 * file out and frees x (NULL does nothing).  Every cell is text.
 */
struct xlsx_out;
int export_xlsx_open(struct xlsx_out **x, const char *path, enum book_kind kind,
		     struct err *e);
void export_xlsx_row(struct xlsx_out *x, const char *const *cells, size_t n);
int export_xlsx_close(struct xlsx_out *x, const char *path, struct err *e);

#endif
