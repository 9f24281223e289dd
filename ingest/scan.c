/*
 * Scanning a book: hash it, walk its directories (at most INGEST_MAX_PAGES,
 * libtiff refusing IFD loops) and plan each page without decoding it, so a
 * page the decoder would refuse is named here already.
 */
#include "ingest/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ingest_book_info_release(struct ingest_book_info *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->npages; i++)
		free(b->pages[i].error);
	free(b->pages);
	free(b->path);
	free(b->error);
	memset(b, 0, sizeof(*b));
}

static struct ingest_page_info *page_push(struct ingest_book_info *b, int *cap)
{
	ALLOC_GROW(b->pages, b->npages + 1, *cap);
	struct ingest_page_info *pg = &b->pages[b->npages++];
	memset(pg, 0, sizeof(*pg));
	pg->page_no = b->npages;
	return pg;
}

/* What the page table says, upright (orientations 5..8 swap the sides). */
static void page_fill(TIFF *tif, struct ingest_page_info *pg, long long filesize)
{
	struct page_plan p;
	char why[256];
	int rc = page_plan_make(tif, filesize, &p, why, sizeof(why));
	int swap = p.orientation >= 5;
	pg->width = (int)(swap ? p.h : p.w);
	pg->height = (int)(swap ? p.w : p.h);
	pg->bits = p.bps;
	pg->spp = p.spp;
	pg->xres = swap ? p.yres : p.xres;
	pg->yres = swap ? p.xres : p.yres;
	compression_name(p.compression, pg->compression, sizeof(pg->compression));
	if (rc < 0)
		pg->error = xstrdup(why);
}

static int book_fail(struct ingest_book_info *out, struct err *e, const char *why)
{
	out->error = xstrdup(why);
	return err_set(e, "cannot read '%s': %s", out->path, why);
}

static void scan_pages(TIFF *tif, struct tiff_capture *cap, struct ingest_book_info *out)
{
	int cap_pages = 0;
	for (;;) {
		page_fill(tif, page_push(out, &cap_pages), out->size);
		if (TIFFLastDirectory(tif))
			return;
		if (out->npages >= INGEST_MAX_PAGES) {
			out->error = xasprintf("more than %d pages", INGEST_MAX_PAGES);
			return;
		}
		tiff_capture_reset(cap);
		if (!TIFFReadDirectory(tif)) {
			/* The file promises another page but it cannot be read. */
			struct ingest_page_info *pg = page_push(out, &cap_pages);
			pg->error = xstrdup(tiff_capture_msg(cap, "cannot read its directory"));
			return;
		}
	}
}

int ingest_scan(const char *path, struct ingest_book_info *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	struct stat st;
	if (stat(path, &st) < 0)
		return book_fail(out, e, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return book_fail(out, e, "not a regular file");
	out->size = (long long)st.st_size;
	FILE *f = fopen(path, "rb");
	if (!f)
		return book_fail(out, e, strerror(errno));
	fclose(f);
	struct err he = ERR_INIT;
	if (sha256_file(path, out->sha256, &he) < 0) {
		out->sha256[0] = '\0';
		return book_fail(out, e, "read error");
	}
	struct tiff_capture cap;
	TIFF *tif = tiff_open(path, &cap);
	if (!tif)
		return book_fail(out, e, tiff_capture_msg(&cap, "not a TIFF file"));
	scan_pages(tif, &cap, out);
	TIFFClose(tif);
	if (out->error)
		return err_set(e, "cannot read '%s': %s", path, out->error);
	return 0;
}
