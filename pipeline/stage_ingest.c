/*
 * The ingest stage, shared by `hotich ingest` and `hotich run`: find the
 * TIFF books, scan each, and register book and pages in one transaction per
 * book.  A file already registered (same SHA-256) is a no-op; a changed file
 * at the same path becomes a new version.  Unreadable files and pages are
 * recorded with their reason, named through the caller's warn and counted
 * as failed.
 */
#include "pipeline/pipeline.h"
#include "ingest/ingest.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A file we could not even hash still needs a unique key for its record. */
static void unreadable_key(const char *path, char sha[SHA256_HEX_LEN + 1])
{
	char *key = xasprintf("unreadable:%s", path);
	sha256_buf(key, strlen(key), sha);
	free(key);
}

static int book_insert(struct store *s, const struct ingest_book_info *bi, const char *kind,
		       long long batch_id, int good, struct err *e)
{
	struct store_book b = {0};
	b.batch_id = batch_id;
	/* Stored absolute: OCR and review may run later from another folder. */
	char *abs = realpath(bi->path, NULL);
	b.path = abs ? abs : bi->path;
	b.name = (char *)base_name(bi->path);
	memcpy(b.sha256, bi->sha256, sizeof(b.sha256));
	b.size = bi->size;
	b.kind = (char *)kind;
	b.pages = bi->error ? 0 : bi->npages;
	b.status = bi->error || !good ? "failed" : "ingested";
	b.error = bi->error ? bi->error : good ? NULL : "no readable page";
	long long book_id = store_book_add(s, &b, e);
	free(abs);
	if (book_id < 0)
		return -1;
	/* A book failed as a whole gets no pages: nothing of it goes to OCR. */
	for (int i = 0; i < (bi->error ? 0 : bi->npages); i++) {
		const struct ingest_page_info *pg = &bi->pages[i];
		struct store_page p = {0};
		p.book_id = book_id;
		p.page_no = pg->page_no;
		p.status = pg->error ? PAGE_FAILED : PAGE_NEW;
		p.width = pg->width;
		p.height = pg->height;
		p.bits = pg->bits * pg->spp; /* bits per pixel: 1, 8, 24 */
		p.xres = pg->xres;
		p.yres = pg->yres;
		p.compression = (char *)pg->compression;
		p.error = pg->error;
		if (store_page_add(s, &p, e) < 0)
			return -1;
	}
	return 0;
}

static int book_register(struct store *s, const struct ingest_book_info *bi, const char *kind,
			 long long batch_id, int good, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (book_insert(s, bi, kind, batch_id, good, e) < 0 || store_commit(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

static int report_pages(const struct ingest_book_info *bi, struct stage_counts *c)
{
	int good = 0;
	for (int i = 0; i < bi->npages; i++) {
		const struct ingest_page_info *pg = &bi->pages[i];
		if (!pg->error) {
			good++;
			continue;
		}
		stage_warnf(c->warn, c->warn_ctx, "cannot read page %d of '%s': %s", pg->page_no,
			    bi->path, pg->error);
		c->failed++;
	}
	return good;
}

/* Known already: a no-op, but a file that failed before still fails. */
static int book_known(struct store *s, long long id, const char *path, struct stage_counts *c,
		      struct err *e)
{
	struct store_book b;
	if (store_book_load(s, id, &b, e) < 0)
		return -1;
	if (b.status && strcmp(b.status, "failed") == 0) {
		stage_warnf(c->warn, c->warn_ctx, "cannot read '%s': %s (as before)", path,
			    b.error ? b.error : "failed");
		c->failed++;
	} else {
		log_info("'%s' is already ingested as '%s'", path, b.path);
		c->skipped++;
	}
	store_book_release(&b);
	return 0;
}

static int ingest_one(struct store *s, const char *path, const char *kind, long long batch_id,
		      struct stage_counts *c, struct err *e)
{
	struct ingest_book_info bi;
	struct err fe = ERR_INIT;
	int rc = 0;
	ingest_scan(path, &bi, &fe);
	if (!bi.sha256[0])
		unreadable_key(path, bi.sha256);
	long long known = store_book_by_sha(s, bi.sha256, e);
	if (known != 0) {
		rc = known < 0 ? -1 : book_known(s, known, path, c, e);
		goto out;
	}
	if (bi.error) {
		stage_warnf(c->warn, c->warn_ctx, "%s", fe.msg);
		c->failed++;
	}
	/* Its pages are named and counted; the book record says why it failed. */
	int good = bi.error ? 0 : report_pages(&bi, c);
	rc = book_register(s, &bi, kind, batch_id, good, e);
	if (rc == 0 && !bi.error && good > 0) { /* a failed book is counted as failed only */
		c->books++;
		c->pages += good;
	}
out:
	ingest_book_info_release(&bi);
	return rc;
}

int stage_ingest(struct store *s, char *const *inputs, int n, const char *kind,
		 long long batch_id, struct stage_counts *c, struct err *e)
{
	ingest_init();
	if (kind && strcmp(kind, "auto") == 0)
		kind = NULL;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char **paths = NULL;
		int np = 0;
		struct err fe = ERR_INIT;
		/* One input at a time so that every missing one is named. */
		if (ingest_find(&inputs[i], 1, &paths, &np, &fe) < 0) {
			stage_warnf(c->warn, c->warn_ctx, "%s", fe.msg);
			c->failed++;
		} else if (np == 0) { /* a wrong folder, likely: say so, but it is no failure */
			stage_warnf(c->warn, c->warn_ctx, "warning: no TIFF file in folder '%s'", inputs[i]);
		}
		for (int k = 0; k < np; k++) {
			if (rc == 0)
				rc = ingest_one(s, paths[k], kind, batch_id, c, e);
			free(paths[k]);
		}
		free(paths);
	}
	return rc;
}

/* ---- --decode-check ------------------------------------------------- */

struct check_page {
	long long id;
	int page_no;
	char *path;
};

static int check_pages_list(struct store *s, long long batch_id, struct check_page **out,
			    size_t *n, struct err *e)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT p.id, p.page_no, b.path FROM pages p JOIN books b ON b.id = p.book_id"
		" WHERE b.batch_id = ? AND p.status = 'new' ORDER BY p.book_id, p.page_no", e);
	if (!st)
		return -1;
	store_bind_int(st, 1, batch_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(*out, *n + 1, cap);
		struct check_page *cp = &(*out)[(*n)++];
		cp->id = store_col_int(st, 0);
		cp->page_no = (int)store_col_int(st, 1);
		cp->path = xstrdup(store_col_text(st, 2));
	}
	store_finalize(st);
	return rc;
}

int stage_ingest_check(struct store *s, long long batch_id, struct stage_counts *c,
		       struct err *e)
{
	struct check_page *pages = NULL;
	size_t n = 0;
	int rc = check_pages_list(s, batch_id, &pages, &n, e);
	for (size_t i = 0; i < n; i++) {
		struct raster r = {0};
		struct err pe = ERR_INIT;
		if (rc == 0 && ingest_page_load(pages[i].path, pages[i].page_no, &r, &pe) < 0) {
			stage_warnf(c->warn, c->warn_ctx, "%s", pe.msg);
			c->failed++;
			c->pages--;
			rc = store_page_fail(s, pages[i].id, pe.msg, e);
		}
		raster_release(&r);
		free(pages[i].path);
	}
	free(pages);
	return rc;
}
