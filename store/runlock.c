/*
 * The run lock: `hotich run` holds flock() on "DB.run-lock" while it goes
 * on, so `hotich status` can tell a run in progress from one that was
 * killed (the kernel drops the lock with the process, even on kill -9).
 * A file beside the database, not a lock on the database itself: closing
 * any descriptor of the database would drop SQLite's own POSIX locks.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int lock_open(const char *db, int flags)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s.run-lock", db) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, flags | O_CLOEXEC, 0600);
}

int store_run_lock(const char *db, struct err *e)
{
	int fd = lock_open(db, O_RDWR | O_CREAT);
	if (fd < 0)
		return err_set(e, "cannot create '%s.run-lock': %s", db, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int busy = errno == EWOULDBLOCK;
		close(fd);
		if (busy)
			return err_set(e, "another run is going on with '%s'", db);
		return err_set(e, "cannot lock '%s.run-lock': %s", db, strerror(errno));
	}
	return fd;
}

void store_run_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

int store_run_in_progress(const char *db)
{
	int fd = lock_open(db, O_RDONLY);
	if (fd < 0)
		return 0;
	int held = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}
