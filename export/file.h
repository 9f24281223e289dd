/*
 * Private to export/: a file written under a temporary name and renamed
 * into place.  Lifecycle: outfile_open, outfile_write..., outfile_finish
 * (flush, fsync, close), outfile_publish (rename); outfile_discard removes
 * whatever exists (the temporary file, or the published file when a later
 * step failed) and outfile_release forgets a published file.  Opening
 * removes the temporary files a killed export left beside path.
 */
#ifndef HOTICH_EXPORT_FILE_H
#define HOTICH_EXPORT_FILE_H

#include <stdio.h>

#include "common/common.h"

struct outfile {
	char *path;	/* the target */
	char *tmp;	/* the temporary file beside it; NULL once renamed */
	FILE *f;
	long long bytes;
	int failed;	/* errno of the first failed write */
	int lockfd;	/* holds the temporary file's lock; -1 or 0 when none */
	int published;
};

int outfile_open(struct outfile *o, const char *path, struct err *e);
int outfile_write(struct outfile *o, const void *p, size_t n, struct err *e);
int outfile_finish(struct outfile *o, struct err *e);
int outfile_publish(struct outfile *o, struct err *e);
void outfile_discard(struct outfile *o);
void outfile_release(struct outfile *o);

#endif
