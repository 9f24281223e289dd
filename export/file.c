/*
 * Files that appear whole or not at all: a temporary file beside the
 * target (so rename() stays on one file system), created 0600 because the
 * rows are personal data, fsync'd before it is renamed into place.
 */
#include "export/file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path, struct err *e)
{
	memset(o, 0, sizeof(*o));
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int err = errno;
		free(o->tmp);
		o->tmp = NULL;
		return err_set(e, "cannot create '%s': %s", path, strerror(err));
	}
	fchmod(fd, 0600);
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		close(fd);
		return err_set(e, "cannot create '%s': %s", path, strerror(errno));
	}
	return 0;
}

int outfile_write(struct outfile *o, const void *p, size_t n, struct err *e)
{
	if (n && fwrite(p, 1, n, o->f) != n) {
		if (!o->failed)
			o->failed = errno ? errno : EIO;
		return err_set(e, "cannot write '%s': %s", o->path, strerror(o->failed));
	}
	o->bytes += (long long)n;
	return 0;
}

int outfile_finish(struct outfile *o, struct err *e)
{
	FILE *f = o->f;
	o->f = NULL;
	errno = 0;
	int bad = fflush(f) != 0 || ferror(f);
	int err = errno;
	if (!bad && fsync(fileno(f)) != 0) {
		bad = 1;
		err = errno;
	}
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (bad)
		return err_set(e, "cannot write '%s': %s", o->path,
			       strerror(err ? err : o->failed ? o->failed : EIO));
	return 0;
}

/* Make the rename itself durable. */
static void sync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int outfile_publish(struct outfile *o, struct err *e)
{
	if (rename(o->tmp, o->path) != 0)
		return err_set(e, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
			       strerror(errno));
	free(o->tmp);
	o->tmp = NULL;
	o->published = 1;
	sync_dir_of(o->path);
	return 0;
}

void outfile_discard(struct outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp)
		unlink(o->tmp);
	if (o->published)
		unlink(o->path);
	outfile_release(o);
}

void outfile_release(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
