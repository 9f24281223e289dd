/*
 * Files that appear whole or not at all: a temporary file beside the
 * target (so rename() stays on one file system), created 0600 because the
 * rows are personal data, fsync'd before it is renamed into place.
 */
#include "export/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* PATH.tmp.XXXXXX, as mkstemp() fills it in. */
static int is_temp_of(const char *name, const char *base)
{
	size_t n = strlen(base);
	return !strncmp(name, base, n) && !strncmp(name + n, ".tmp.", 5) &&
	       strlen(name + n + 5) == 6;
}

/* Remove the file unless a live export holds its lock. */
static void remove_if_stale(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		unlink(path);
	close(fd);
}

/*
 * Temporary files of an export that was killed (they hold personal data)
 * are removed by the next export to the same path.  Each export holds a
 * lock on its own for as long as it lives, so a concurrent one's are kept.
 */
static void clean_leftovers(const char *path)
{
	char *d = xstrdup(path), *b = xstrdup(path);
	const char *dir = dirname(d), *base = basename(b);
	DIR *dh = opendir(dir);
	struct dirent *de;
	while (dh && (de = readdir(dh))) {
		if (!is_temp_of(de->d_name, base))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		remove_if_stale(p);
		free(p);
	}
	if (dh)
		closedir(dh);
	free(d);
	free(b);
}

int outfile_open(struct outfile *o, const char *path, struct err *e)
{
	memset(o, 0, sizeof(*o));
	clean_leftovers(path);
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
	/* Ours until renamed or removed (see clean_leftovers()): a second
	 * descriptor keeps the lock past outfile_finish()'s fclose. */
	flock(fd, LOCK_EX | LOCK_NB);
	o->lockfd = dup(fd);
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

static void unlock(struct outfile *o)
{
	if (o->lockfd > 0)
		close(o->lockfd);
	o->lockfd = -1;
}

int outfile_publish(struct outfile *o, struct err *e)
{
	if (rename(o->tmp, o->path) != 0)
		return err_set(e, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
			       strerror(errno));
	free(o->tmp);
	o->tmp = NULL;
	o->published = 1;
	unlock(o);
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
	unlock(o);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
