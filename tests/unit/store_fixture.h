/*
 * What the unit tests against a database share: a new database in a folder
 * of its own under $TMPDIR (so parallel runs and a crashed run's leftovers
 * never meet), removed with all it holds (-wal, -shm, exports), and SQL that
 * must run.  Included by test_store, test_review, test_merge, test_export;
 * after <cmocka.h>.
 */
#ifndef HOTICH_TEST_STORE_FIXTURE_H
#define HOTICH_TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

struct tdb {
	char dir[200];	/* $TMPDIR/hotich-TAG-XXXXXX */
	char path[220];	/* dir/t.db */
	struct store *s;
};

/* A new folder and database for one test; fails the test when either cannot be made. */
static inline void tdb_open(struct tdb *t, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof(t->dir), "%s/hotich-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	struct err e = ERR_INIT;
	t->s = store_open(t->path, &e);
	if (!t->s)
		fail_msg("%s: %s", t->path, e.msg);
}

/* Close the database (if open) and remove the folder with everything in it. */
static inline void tdb_remove(struct tdb *t)
{
	store_close(t->s);
	t->s = NULL;
	DIR *d = opendir(t->dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", t->dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(t->dir);
}

/* A test's fixture of size bytes, zeroed, whose first member is its struct
 * tdb, opened as tdb_open(tag) does; tdb_teardown is its cmocka teardown. */
static inline void *tdb_fixture(size_t size, const char *tag)
{
	struct tdb *t = calloc(1, size);
	assert_non_null(t);
	tdb_open(t, tag);
	return t;
}

static inline int tdb_teardown(void **state)
{
	struct tdb *t = *state;
	tdb_remove(t);
	free(t);
	return 0;
}

/* Run SQL that must succeed (the test's own set-up). */
static inline void exec_ok(struct store *s, const char *sql)
{
	struct err e = ERR_INIT;
	if (store_exec(s, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.msg);
}

#endif
