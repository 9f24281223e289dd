/*
 * Shares of a run (`hotich run --shard K/N`): every shard lists the same
 * books and splits them the same way, so no two read the same book and
 * none is left out, without any shard talking to another.  Books are
 * weighed by their page count, read from the directory chain only (no
 * hashing, no decoding), which is cheap enough for every shard to do.
 */
#include "ingest/internal.h"

#include <stdlib.h>
#include <string.h>

int ingest_page_count(const char *path)
{
	struct tiff_capture cap;
	TIFF *tif = tiff_open(path, &cap);
	if (!tif)
		return 0;
	int n = 1;
	while (n <= INGEST_MAX_PAGES && !TIFFLastDirectory(tif) && TIFFReadDirectory(tif))
		n++;
	TIFFClose(tif);
	return n;
}

struct weighed {
	const char *path;
	int pages;
	size_t i;
};

/* Most pages first; ties by path, so the input order does not matter. */
static int heaviest_first(const void *a, const void *b)
{
	const struct weighed *x = a, *y = b;
	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	return strcmp(x->path, y->path);
}

void ingest_shard_split(char *const *paths, const int *pages, size_t n, int nshards,
			int *share)
{
	struct weighed *w = xcalloc(n + 1, sizeof(*w));
	long long *load = xcalloc((size_t)nshards, sizeof(*load));
	for (size_t i = 0; i < n; i++)
		w[i] = (struct weighed){paths[i], pages[i], i};
	qsort(w, n, sizeof(*w), heaviest_first);
	/* Longest processing time first: each book to the lightest share. */
	for (size_t i = 0; i < n; i++) {
		int best = 0;
		for (int k = 1; k < nshards; k++)
			if (load[k] < load[best])
				best = k;
		share[w[i].i] = best;
		load[best] += w[i].pages > 0 ? w[i].pages : 1;
	}
	free(load);
	free(w);
}
