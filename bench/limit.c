/*
 * limit: what Tesseract alone spends recognising the value text of pages a
 * hotich database holds, with no preprocessing, layout or labels: the floor
 * under any pipeline that reads these values with this engine.
 *
 *   build/bench/limit --db DB
 *
 * For every page read ('done'), every field box hotich stored (values only:
 * the running header's fields carry no box) is read from the stored scan on
 * one thread.  Prints "pages N fields M seconds S" (S: recognition only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "ingest/ingest.h"
#include "ocr/ocr.h"
#include "store/store.h"

struct page_job {
	char *path;
	int page_no;
	long long id;
};

static int page_boxes(struct store *s, long long page_id, struct box **out, size_t *n,
		      struct err *e)
{
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	struct store_stmt *st = store_prepare(
		s,
		"SELECT DISTINCT f.x, f.y, f.w, f.h FROM fields f JOIN records r ON r.id = f.record_id"
		" WHERE r.page_id = ?1 AND f.w > 0 AND f.h > 0 ORDER BY f.y, f.x",
		e);
	if (!st)
		return -1;
	store_bind_int(st, 1, page_id);
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[(*n)++] = (struct box){(int)store_col_int(st, 0), (int)store_col_int(st, 1),
					      (int)store_col_int(st, 2), (int)store_col_int(st, 3)};
	}
	store_finalize(st);
	return rc;
}

static int pages_done(struct store *s, struct page_job **out, size_t *n, struct err *e)
{
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	struct store_stmt *st = store_prepare(
		s,
		"SELECT b.path, p.page_no, p.id FROM pages p JOIN books b ON b.id = p.book_id"
		" WHERE p.status = 'done' ORDER BY p.id",
		e);
	if (!st)
		return -1;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[(*n)++] = (struct page_job){xstrdup(store_col_text(st, 0)),
						   (int)store_col_int(st, 1), store_col_int(st, 2)};
	}
	store_finalize(st);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--db") != 0) {
		fprintf(stderr, "usage: limit --db DB\n");
		return 2;
	}
	/* Tesseract's own threads would spin beside ours: libgomp reads the
	 * limit when it loads, so set it and start again. */
	if (!getenv("OMP_THREAD_LIMIT")) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		perror("limit: cannot restart itself");
		return 1;
	}
	struct err e = ERR_INIT;
	struct store *s = store_open_existing(argv[2], &e);
	struct page_job *pages = NULL;
	size_t npages = 0;
	if (!s || pages_done(s, &pages, &npages, &e) < 0) {
		fprintf(stderr, "limit: %s\n", e.msg);
		return 1;
	}
	ingest_init();
	struct ocr_engine *eng = ocr_engine_new(NULL, &e);
	if (!eng) {
		fprintf(stderr, "limit: %s\n", e.msg);
		return 1;
	}
	double total = 0;
	size_t nfields = 0;
	int rc = 0;
	for (size_t i = 0; i < npages && rc == 0; i++) {
		struct box *boxes = NULL;
		size_t nb = 0;
		struct raster r = {0};
		double sec = 0;
		rc = page_boxes(s, pages[i].id, &boxes, &nb, &e);
		if (rc == 0)
			rc = ingest_page_load(pages[i].path, pages[i].page_no, &r, &e);
		if (rc == 0)
			rc = ocr_read_regions(eng, &r, boxes, nb, NULL, &sec, &e);
		total += sec;
		nfields += nb;
		raster_release(&r);
		free(boxes);
		free(pages[i].path);
	}
	free(pages);
	ocr_engine_free(eng);
	store_close(s);
	if (rc < 0) {
		fprintf(stderr, "limit: %s\n", e.msg);
		return 1;
	}
	printf("pages %zu fields %zu seconds %.2f\n", npages, nfields, total);
	return 0;
}
