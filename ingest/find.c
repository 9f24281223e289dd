/*
 * Finding books: command-line inputs (files or folders) to TIFF paths.
 * Folders are searched recursively for *.tif / *.tiff in any case; hidden
 * entries are skipped (editors' and macOS's "._x.tif" droppings), and so
 * are symbolic links to folders, which could loop.
 */
#include "ingest/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define FIND_MAX_DEPTH 64

struct path_list {
	char **v;
	int n, cap;
};

static void list_add(struct path_list *l, char *path)
{
	ALLOC_GROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = path;
}

static int is_tiff_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcasecmp(name + n - 4, ".tif") == 0) ||
	       (n > 5 && strcasecmp(name + n - 5, ".tiff") == 0);
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static int walk(const char *dir, int depth, struct path_list *l, struct err *e);

static int walk_entry(const char *dir, const char *name, int depth, struct path_list *l,
		      struct err *e)
{
	if (name[0] == '.')
		return 0;
	char *path = path_join(dir, name);
	struct stat st, lst;
	int rc = 0;
	if (stat(path, &st) < 0 || lstat(path, &lst) < 0) {
		free(path);
		return 0; /* a dangling link is not a book */
	}
	if (S_ISDIR(st.st_mode)) {
		if (!S_ISLNK(lst.st_mode))
			rc = walk(path, depth + 1, l, e);
		free(path);
	} else if (S_ISREG(st.st_mode) && is_tiff_name(name)) {
		list_add(l, path);
	} else {
		free(path);
	}
	return rc;
}

static int walk(const char *dir, int depth, struct path_list *l, struct err *e)
{
	if (depth > FIND_MAX_DEPTH)
		return err_set(e, "cannot search '%s': folders nested too deep", dir);
	DIR *d = opendir(dir);
	if (!d)
		return err_set(e, "cannot search '%s': %s", dir, strerror(errno));
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (walk_entry(dir, de->d_name, depth, l, e) < 0)
			rc = -1; /* go on: the other files are still books */
	closedir(d);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int find_one(const char *input, struct path_list *l, struct err *e)
{
	struct stat st;
	if (stat(input, &st) < 0)
		return err_set(e, "cannot find '%s': %s", input, strerror(errno));
	if (S_ISREG(st.st_mode)) {
		/* Named explicitly: taken whatever its extension. */
		list_add(l, xstrdup(input));
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(e, "'%s' is neither a file nor a folder", input);
	int first = l->n;
	int rc = walk(input, 0, l, e);
	qsort(l->v + first, (size_t)(l->n - first), sizeof(*l->v), cmp_path);
	return rc;
}

int ingest_find(char *const *inputs, int ninputs, char ***paths, int *npaths, struct err *e)
{
	struct path_list l = {NULL, 0, 0};
	int rc = 0;
	for (int i = 0; i < ninputs; i++)
		if (find_one(inputs[i], &l, e) < 0)
			rc = -1;
	*paths = l.v;
	*npaths = l.n;
	return rc;
}
