/* Unit tests: shares of a run (ingest/shard.c) and merging them (store/merge.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ingest/ingest.h"
#include "tests/unit/store_fixture.h"

/* ---- the split ------------------------------------------------------------- */

static void split_is_balanced_and_order_free(void **state)
{
	char *paths[7] = {"/b/g", "/b/a", "/b/c", "/b/f", "/b/b", "/b/e", "/b/d"};
	int pages[7] = {50, 10, 30, 10, 40, 20, 30};
	int share[7], again[7];
	ingest_shard_split(paths, pages, 7, 3, share);
	long long load[3] = {0};
	for (int i = 0; i < 7; i++) {
		assert_in_range(share[i], 0, 2);
		load[share[i]] += pages[i];
	}
	/* 190 pages: longest first gives 60, 60, 70 */
	for (int k = 0; k < 3; k++)
		assert_in_range(load[k], 60, 70);
	/* The same books in another order: each keeps its share. */
	char *rpaths[7];
	int rpages[7];
	for (int i = 0; i < 7; i++) {
		rpaths[i] = paths[6 - i];
		rpages[i] = pages[6 - i];
	}
	ingest_shard_split(rpaths, rpages, 7, 3, again);
	for (int i = 0; i < 7; i++)
		assert_int_equal(again[6 - i], share[i]);
}

static void split_in_one_share_takes_all(void **state)
{
	char *paths[2] = {"/x", "/y"};
	int pages[2] = {0, 3}, share[2] = {9, 9};
	ingest_shard_split(paths, pages, 2, 1, share);
	assert_int_equal(share[0], 0);
	assert_int_equal(share[1], 0);
}

/* ---- merging ------------------------------------------------------------------ */

#define NRUN 4
static char *const run_books[NRUN] = {"/run/a.tif", "/run/b.tif", "/run/c.tif", "/run/d.tif"};

struct fx {
	struct tdb t; /* main: the database shares merge into */
	char s1[240], s2[240];
};

static void rm_db(const char *path)
{
	char p[300];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

/* Book i of the run with 2 pages of one record each; the record's hoTen
 * says where it is ("c.tif p2"), so order and links can be checked. */
static void add_run_book(struct store *s, int i, const char *sha)
{
	const char *path = run_books[i];
	const char *name = strrchr(path, '/') + 1;
	char *sql = xasprintf(
		"INSERT INTO batches(started_at) VALUES('t');"
		"INSERT INTO books(batch_id, path, name, sha256, pages, added_at)"
		" VALUES(last_insert_rowid(), '%s', '%s', '%s', 2, 't');", path, name, sha);
	exec_ok(s, sql);
	free(sql);
	for (int p = 1; p <= 2; p++) {
		sql = xasprintf(
			"INSERT INTO pages(book_id, page_no, status, ms_pre)"
			" VALUES((SELECT id FROM books WHERE sha256 = '%1$s'), %2$d, 'done', %2$d);"
			"INSERT INTO records(kind, book_id, page_id, idx, created_at)"
			" VALUES('ks', (SELECT id FROM books WHERE sha256 = '%1$s'),"
			"  last_insert_rowid(), 0, 't');"
			"INSERT INTO fields(record_id, name, raw)"
			" VALUES(last_insert_rowid(), 'hoTen', '%3$s p%2$d');"
			"INSERT INTO findings(record_id, stage, code, message, severity)"
			" VALUES((SELECT max(id) FROM records), 'validate', 'c', '%3$s p%2$d', 1);",
			sha, p, name);
		exec_ok(s, sql);
		free(sql);
	}
}

/* A share of the run holding books first and second (0-based). */
static void make_share(const char *path, const char *label, int first, int second)
{
	struct err e = ERR_INIT;
	rm_db(path);
	struct store *s = store_open(path, &e);
	assert_non_null(s);
	assert_int_equal(store_shard_mark(s, label, "run-set", run_books, NRUN, &e), 0);
	char sha[2][8];
	snprintf(sha[0], sizeof(sha[0]), "sha%d", first);
	snprintf(sha[1], sizeof(sha[1]), "sha%d", second);
	add_run_book(s, first, sha[0]);
	add_run_book(s, second, sha[1]);
	store_close(s);
}

static int setup(void **state)
{
	struct fx *f = tdb_fixture(sizeof(*f), "merge");
	snprintf(f->s1, sizeof(f->s1), "%s/s1.db", f->t.dir);
	snprintf(f->s2, sizeof(f->s2), "%s/s2.db", f->t.dir);
	make_share(f->s1, "1/2", 0, 2);	/* a, c */
	make_share(f->s2, "2/2", 1, 3); /* b, d */
	*state = f;
	return 0;
}

static void merge_ok(struct fx *f, const char *path, int already)
{
	struct store_merge_stats ms;
	struct err e = ERR_INIT;
	if (store_merge(f->t.s, path, &ms, &e) < 0)
		fail_msg("merge '%s': %s", path, e.msg);
	assert_int_equal(ms.already, already);
	if (!already) {
		assert_int_equal(ms.books, 2);
		assert_int_equal(ms.pages, 4);
		assert_int_equal(ms.records, 4);
	}
}

/* Text of one row from sql. */
static char *one_text(struct store *s, const char *sql)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(s, sql, &e);
	assert_non_null(st);
	char *v = store_step(st, &e) == 1 ? xstrdup(store_col_text(st, 0)) : xstrdup("");
	store_finalize(st);
	return v;
}

static void assert_sql(struct store *s, const char *sql, const char *want)
{
	char *got = one_text(s, sql);
	if (strcmp(got, want))
		fail_msg("%s\n got '%s'\nwant '%s'", sql, got, want);
	free(got);
}

/* Without every share at hand: right, in the shards' order. */
static void shares_merged_without_plan(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	char *one[1] = {f->s2};
	assert_int_equal(store_merge_plan(f->t.s, one, 1, &e), 0);
	merge_ok(f, f->s2, 0);
	merge_ok(f, f->s1, 0);
	assert_sql(f->t.s,
		   "SELECT group_concat(id || name, ' ') FROM (SELECT * FROM books ORDER BY id)",
		   "1b.tif 2d.tif 3a.tif 4c.tif");
	assert_sql(f->t.s,
		   "SELECT COUNT(*) FROM records r JOIN fields d ON d.record_id = r.id"
		   " JOIN pages p ON p.id = r.page_id AND p.book_id = r.book_id"
		   " WHERE d.raw = (SELECT name FROM books WHERE id = r.book_id) || ' p' || "
		   "p.page_no",
		   "8");
}

static void shares_merge_into_one_runs_ids(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	char *both[2] = {f->s2, f->s1};
	assert_int_equal(store_merge_plan(f->t.s, both, 2, &e), 0);
	merge_ok(f, f->s2, 0);
	/* a plan is made once: given again, the merged share is not planned twice */
	assert_int_equal(store_merge_plan(f->t.s, both, 2, &e), 0);
	merge_ok(f, f->s1, 0);
	/* Books, pages and records have the ids one run over a..d gives. */
	assert_sql(f->t.s,
		   "SELECT group_concat(id || name, ' ') FROM (SELECT * FROM books ORDER BY id)",
		   "1a.tif 2b.tif 3c.tif 4d.tif");
	assert_sql(f->t.s,
		   "SELECT group_concat(r.id || '=' || f.raw, ',') FROM (SELECT * FROM records"
		   " ORDER BY id) r JOIN fields f ON f.record_id = r.id",
		   "1=a.tif p1,2=a.tif p2,3=b.tif p1,4=b.tif p2,5=c.tif p1,6=c.tif p2,"
		   "7=d.tif p1,8=d.tif p2");
	assert_sql(f->t.s,
		   "SELECT group_concat(p.id || ':' || b.name || p.page_no || ':' || p.ms_pre,"
		   " ' ') FROM (SELECT * FROM pages ORDER BY id) p JOIN books b ON b.id = "
		   "p.book_id",
		   "1:a.tif1:1 2:a.tif2:2 3:b.tif1:1 4:b.tif2:2 5:c.tif1:1 6:c.tif2:2 "
		   "7:d.tif1:1 8:d.tif2:2");
	/* Every link survives the renumbering. */
	assert_sql(f->t.s,
		   "SELECT COUNT(*) FROM records r JOIN pages p ON p.id = r.page_id"
		   " JOIN findings x ON x.record_id = r.id JOIN fields d ON d.record_id = r.id"
		   " WHERE p.book_id = r.book_id AND x.message = d.raw"
		   " AND d.raw = (SELECT name FROM books WHERE id = r.book_id) || ' p' || "
		   "p.page_no",
		   "8");
	assert_sql(f->t.s, "SELECT COUNT(*) FROM pragma_foreign_key_check", "0");
	assert_sql(f->t.s, "SELECT COUNT(*) FROM batches", "4");
}

static void merging_again_changes_nothing(void **state)
{
	struct fx *f = *state;
	merge_ok(f, f->s1, 0);
	merge_ok(f, f->s1, 1);
	merge_ok(f, f->s2, 0);
	merge_ok(f, f->s2, 1);
	merge_ok(f, f->s1, 1);
	assert_sql(f->t.s, "SELECT COUNT(*) || ' ' || (SELECT COUNT(*) FROM fields) FROM records",
		   "8 8");
	assert_sql(f->t.s, "SELECT COUNT(*) FROM merges", "2");
}

static void merge_refuse(struct fx *f, const char *path, const char *says)
{
	struct store_merge_stats ms;
	struct err e = ERR_INIT;
	assert_int_equal(store_merge(f->t.s, path, &ms, &e), -1);
	if (!strstr(e.msg, path) || !strstr(e.msg, says))
		fail_msg("merge '%s': '%s' does not say '%s'", path, e.msg, says);
}

static void foreign_shards_are_refused(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	char other[240];
	snprintf(other, sizeof(other), "%s/other.db", f->t.dir);
	/* another schema version */
	struct store *s = store_open(f->s1, &e);
	exec_ok(s, "PRAGMA user_version = 2");
	store_close(s);
	merge_refuse(f, f->s1, "schema version 2");
	/* another version of a book main has: same path, another SHA-256 */
	merge_ok(f, f->s2, 0);
	rm_db(other);
	s = store_open(other, &e);
	add_run_book(s, 1, "changed");
	store_close(s);
	merge_refuse(f, other, "another version of '/run/b.tif'");
	/* the same book again, from a database that is not the share */
	rm_db(other);
	s = store_open(other, &e);
	add_run_book(s, 3, "sha3");
	store_close(s);
	merge_refuse(f, other, "holds '/run/d.tif'");
	/* main itself, and what is not a database */
	merge_refuse(f, f->t.path, "itself");
	rm_db(other);
	FILE *fp = fopen(other, "w");
	fputs("not sqlite at all, just text long enough to be a header........\n", fp);
	fclose(fp);
	merge_refuse(f, other, "not a database");
	unlink(other);
	/* nothing of the refused ones came in */
	assert_sql(f->t.s, "SELECT COUNT(*) FROM books", "2");
}

static void a_share_is_not_reused_for_another(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct store *s = store_open(f->s1, &e);
	assert_int_equal(store_shard_mark(s, "1/2", "run-set", run_books, NRUN, &e), 0);
	assert_int_equal(store_shard_mark(s, "2/2", "run-set", run_books, NRUN, &e), -1);
	assert_non_null(strstr(e.msg, "share 1/2"));
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_is_balanced_and_order_free),
		cmocka_unit_test(split_in_one_share_takes_all),
		cmocka_unit_test_setup_teardown(shares_merge_into_one_runs_ids, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(shares_merged_without_plan, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(merging_again_changes_nothing, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(foreign_shards_are_refused, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(a_share_is_not_reused_for_another, setup,
						tdb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
