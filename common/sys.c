/* Time stamps and the data directory. */
#include "common/common.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *exe_dir;

void time_iso_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void data_set_argv0(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	(void)argv0;
	if (n <= 0)
		return;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	free(exe_dir);
	exe_dir = xstrdup(buf);
}

static char *try_dir(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *data_path(const char *name, struct err *e)
{
	char *p = NULL;
	const char *env = getenv("HOTICH_DATA");
	if (env && *env)
		p = try_dir(env, name);
	if (!p && exe_dir) {
		char *d = xasprintf("%s/data", exe_dir);
		p = try_dir(d, name);
		free(d);
	}
	if (!p)
		p = try_dir("data", name);
	if (!p)
		p = try_dir(HOTICH_DATADIR, name);
	if (!p)
		err_set(e, "cannot find data file '%s' (set HOTICH_DATA)", name);
	return p;
}
