/* Unit tests: store/ (schema, page commits, records, findings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/store_fixture.h"

struct fx {
	struct tdb t;
};

static int setup(void **state)
{
	*state = tdb_fixture(sizeof(struct fx), "store");
	return 0;
}

static long long add_book(struct store *s, const char *sha)
{
	struct store_book b = {0};
	b.path = "books/a.tif";
	b.name = "a.tif";
	snprintf(b.sha256, sizeof(b.sha256), "%s", sha);
	b.pages = 2;
	struct err e = ERR_INIT;
	long long id = store_book_add(s, &b, &e);
	assert_true(id > 0);
	return id;
}

static void database_is_private_and_versioned(void **state)
{
	struct fx *f = *state;
	struct stat sb;
	assert_int_equal(stat(f->t.path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_true(store_schema_version(f->t.s, NULL) >= 1);
	assert_int_equal(store_count(f->t.s, "PRAGMA foreign_keys", NULL), 1);
}

static void book_sha_is_unique_and_versions_count(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	long long id = add_book(f->t.s, "aa");
	assert_int_equal(store_book_by_sha(f->t.s, "aa", &e), id);
	assert_int_equal(store_book_by_sha(f->t.s, "bb", &e), 0);
	add_book(f->t.s, "bb");
	assert_int_equal(store_book_versions(f->t.s, "books/a.tif", &e), 2);
	struct store_book b = {0};
	b.path = "x";
	b.name = "x";
	snprintf(b.sha256, sizeof(b.sha256), "aa");
	assert_true(store_book_add(f->t.s, &b, &e) < 0);
	assert_true(e.code != 0);
}

static void page_commit_is_atomic_with_records(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	long long book = add_book(f->t.s, "cc");
	struct store_page p = {0};
	p.book_id = book;
	p.page_no = 1;
	long long page = store_page_add(f->t.s, &p, &e);
	assert_true(page > 0);
	struct store_job *jobs;
	size_t n;
	assert_int_equal(store_jobs_pending(f->t.s, 3, &jobs, &n, &e), 0);
	assert_int_equal(n, 1);
	store_jobs_free(jobs, n);

	struct record r[2];
	record_init(&r[0], KIND_KS);
	record_init(&r[1], KIND_KS);
	record_set_raw(&r[0], "so", "12");
	struct field *fl = record_set_raw(&r[0], "nksHoTen", "LÊ VĂN AN");
	fl->conf = 91;
	fl->box = (struct box){10, 20, 300, 40};
	field_add_alt(fl, "LÊ VĂN ÂN");
	r[1].index = 1;
	record_set_raw(&r[1], "so", "13");
	struct page_result pr = {.page_id = page, .book_id = book, .status = PAGE_DONE,
				 .recs = r, .nrecs = 2, .book_no = "03/2009"};
	assert_int_equal(store_page_commit(f->t.s, &pr, &e), 0);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM records", NULL), 2);
	assert_int_equal(store_jobs_pending(f->t.s, 3, &jobs, &n, &e), 0);
	assert_int_equal(n, 0);
	free(jobs);

	struct record back;
	struct record_source src;
	enum record_status st;
	assert_int_equal(store_record_load(f->t.s, r[0].id, &back, &st, &src, &e), 0);
	assert_int_equal(st, REC_NEW);
	assert_string_equal(record_raw(&back, "nksHoTen"), "LÊ VĂN AN");
	struct field *bf = record_field(&back, "nksHoTen");
	assert_int_equal(bf->box.w, 300);
	assert_int_equal(bf->nalts, 1);
	assert_string_equal(bf->alts[0], "LÊ VĂN ÂN");
	assert_string_equal(src.file, "a.tif");
	assert_int_equal(src.page, 1);
	assert_string_equal(src.book_no, "03/2009");
	record_release(&back);
	record_source_release(&src);
	record_release(&r[0]);
	record_release(&r[1]);
}

static void failed_commit_leaves_page_pending(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	long long book = add_book(f->t.s, "dd");
	struct store_page p = {.book_id = book, .page_no = 1};
	long long page = store_page_add(f->t.s, &p, &e);
	struct record r;
	record_init(&r, KIND_KS);
	record_set_raw(&r, "so", "1");
	/* Two records at the same index violate records_page_idx: all rolls back. */
	struct record two[2];
	memcpy(&two[0], &r, sizeof(r));
	memcpy(&two[1], &r, sizeof(r));
	struct page_result pr = {.page_id = page, .book_id = book, .status = PAGE_DONE,
				 .recs = two, .nrecs = 2};
	assert_true(store_page_commit(f->t.s, &pr, &e) < 0);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM records", NULL), 0);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM pages WHERE status = 'new'",
				     NULL),
			 1);
	record_release(&r);
}

static int count_cb(struct record *r, enum record_status st,
		    const struct record_source *src, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

static void save_replaces_stage_findings(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct record r;
	record_init(&r, KIND_KH);
	record_set_raw(&r, "so", "5");
	assert_true(store_record_insert_keyed(f->t.s, &r, "keyed.csv", NULL, 3, &e) > 0);
	record_set_value(&r, "so", "5");
	record_add_finding(&r, "so", "x_code", SEV_ERROR, "one");
	assert_int_equal(store_record_save(f->t.s, &r, "validate", REC_REVIEW, &e), 0);
	record_clear_findings(&r);
	record_add_finding(&r, "so", "y_code", SEV_WARNING, "two");
	assert_int_equal(store_record_save(f->t.s, &r, "validate", REC_REVIEW, &e), 0);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM findings", NULL), 1);
	int n = 0;
	assert_int_equal(store_records_each(f->t.s, KIND_KH, REC_REVIEW, count_cb, &n, &e), 0);
	assert_int_equal(n, 1);
	n = 0;
	store_records_each(f->t.s, KIND_KS, -1, count_cb, &n, &e);
	assert_int_equal(n, 0);
	record_release(&r);
}

/* A database left at an older schema version is migrated on open, and
 * what it held survives. */
static void old_database_is_migrated(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	long long book = add_book(f->t.s, "ee");
	assert_int_equal(store_exec(f->t.s,
				    "ALTER TABLE pages DROP COLUMN ms_pre;"
				    "ALTER TABLE pages DROP COLUMN ms_layout;"
				    "ALTER TABLE pages DROP COLUMN ms_values;"
				    "ALTER TABLE pages DROP COLUMN tries;"
				    "DROP INDEX records_keyed;"
				    "ALTER TABLE records DROP COLUMN source_sha256;"
				    "ALTER TABLE fields DROP COLUMN p;"
				    "ALTER TABLE fields DROP COLUMN evidence;"
				    "DROP TABLE meta; DROP TABLE shard_order; DROP TABLE merges;"
				    "DROP TABLE merge_sets; DROP TABLE merge_plan;"
				    "PRAGMA user_version = 1",
				    &e),
			 0);
	store_close(f->t.s);
	f->t.s = store_open(f->t.path, &e);
	assert_non_null(f->t.s);
	assert_int_equal(store_schema_version(f->t.s, NULL), 5);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM books", NULL), 1);
	struct store_page p = {.book_id = book, .page_no = 1};
	long long page = store_page_add(f->t.s, &p, &e);
	struct page_result pr = {.page_id = page, .book_id = book, .status = PAGE_BLANK,
				 .ocr_ms = 30, .ms_pre = 10, .ms_layout = 15, .ms_values = 5};
	assert_int_equal(store_page_commit(f->t.s, &pr, &e), 0);
	assert_int_equal(store_count(f->t.s, "SELECT ms_pre + ms_layout + ms_values FROM pages",
				     NULL),
			 30);
}

/* Migration 2: each field's probability of being right, stored and read back. */
static void field_p_survives_migration(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(store_exec(f->t.s,
				    "ALTER TABLE pages DROP COLUMN tries;"
				    "DROP INDEX records_keyed;"
				    "ALTER TABLE records DROP COLUMN source_sha256;"
				    "ALTER TABLE fields DROP COLUMN p;"
				    "ALTER TABLE fields DROP COLUMN evidence;"
				    "DROP TABLE meta; DROP TABLE shard_order; DROP TABLE merges;"
				    "DROP TABLE merge_sets; DROP TABLE merge_plan;"
				    "PRAGMA user_version = 2",
				    &e),
			 0);
	store_close(f->t.s);
	f->t.s = store_open(f->t.path, &e);
	assert_non_null(f->t.s);
	assert_int_equal(store_schema_version(f->t.s, NULL), 5);
	struct record r;
	record_init(&r, KIND_KS);
	struct field *fd = record_set_raw(&r, "nksHoTen", "Lê Văn An");
	fd->p = 0.25;
	fd->evidence = strdup("conf=0.9");
	record_set_raw(&r, "so", "1");
	long long id = store_record_insert_keyed(f->t.s, &r, "x.csv", NULL, 1, &e);
	assert_true(id > 0);
	record_release(&r);
	assert_int_equal(store_record_load(f->t.s, id, &r, NULL, NULL, &e), 0);
	assert_true(record_field(&r, "nksHoTen")->p == 0.25);
	assert_string_equal(record_field(&r, "nksHoTen")->evidence, "conf=0.9");
	assert_true(record_field(&r, "so")->p == -1);
	record_release(&r);
}

static void newer_database_is_refused(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(store_exec(f->t.s, "PRAGMA user_version = 99", &e), 0);
	store_close(f->t.s);
	f->t.s = store_open(f->t.path, &e);
	assert_null(f->t.s);
	assert_non_null(strstr(e.msg, "newer"));
	/* tdb_teardown closes f->t.s; reopen at a known version for it */
	struct err e2 = ERR_INIT;
	unlink(f->t.path);
	f->t.s = store_open(f->t.path, &e2);
}

/* An inner rollback undoes its part only; the outer commit saves the rest. */
static void inner_rollback_keeps_outer_work(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(store_begin(f->t.s, &e), 0);
	add_book(f->t.s, "a1");
	assert_int_equal(store_begin(f->t.s, &e), 0);
	add_book(f->t.s, "a2");
	store_rollback(f->t.s);
	add_book(f->t.s, "a3");
	assert_int_equal(store_commit(f->t.s, &e), 0);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM books", NULL), 2);
	assert_int_equal(store_book_by_sha(f->t.s, "a2", &e), 0);
	assert_true(store_book_by_sha(f->t.s, "a3", &e) > 0);
}

/* Once SQLite has rolled the transaction back, no commit of it succeeds. */
static void lost_transaction_fails_every_commit(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(store_begin(f->t.s, &e), 0);
	add_book(f->t.s, "b1");
	assert_int_equal(store_begin(f->t.s, &e), 0);
	assert_int_equal(store_exec(f->t.s, "ROLLBACK", &e), 0); /* as SQLITE_FULL does */
	assert_int_equal(store_commit(f->t.s, &e), -1);
	store_rollback(f->t.s);
	assert_int_equal(store_commit(f->t.s, &e), -1);
	assert_non_null(strstr(e.msg, "rolled back"));
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM books", NULL), 0);
	err_clear(&e);
	assert_int_equal(store_begin(f->t.s, &e), 0); /* the next one is clean */
	add_book(f->t.s, "b2");
	assert_int_equal(store_commit(f->t.s, &e), 0);
}

/* A failed query is an error with a message, never -1 read as a count. */
static void failed_count_is_an_error(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM no_such_table", &e), -1);
	assert_non_null(strstr(e.msg, "no_such_table"));
	err_clear(&e);
	assert_int_equal(store_count(f->t.s, "SELECT 1 WHERE 0", &e), -1);
	assert_true(e.code != 0);
}

/*
 * A step that fails (a busy or broken database) is an error, not "no such
 * book", which would ingest the book again.  A temporary view that fails
 * when read stands in for the busy database.
 */
static void failed_lookup_is_not_not_found(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	add_book(f->t.s, "c1");
	assert_int_equal(store_exec(f->t.s,
				    "CREATE TEMP VIEW books AS SELECT"
				    " abs(-9223372036854775807 - 1) AS id, 'c1' AS sha256,"
				    " 'books/a.tif' AS path",
				    &e),
			 0);
	assert_int_equal(store_book_by_sha(f->t.s, "c1", &e), -1);
	assert_non_null(strstr(e.msg, "overflow"));
	err_clear(&e);
	assert_int_equal(store_book_versions(f->t.s, "books/a.tif", &e), -1);
	assert_int_equal(store_exec(f->t.s, "DROP VIEW temp.books", &e), 0);
}

/* Only a create may make a database; another program's file is refused untouched. */
static void open_refuses_missing_and_foreign(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	char path[300];
	snprintf(path, sizeof(path), "%s.missing", f->t.path);
	unlink(path);
	assert_null(store_open_existing(path, &e));
	assert_non_null(strstr(e.msg, "no database"));
	assert_int_equal(access(path, F_OK), -1);
	/* A foreign database: tables of its own, no hotich application id. */
	err_clear(&e);
	struct store *s = store_open(path, &e);
	assert_non_null(s);
	assert_int_equal(store_exec(s, "PRAGMA application_id = 7; CREATE TABLE t(x)", &e), 0);
	store_close(s);
	assert_null(store_open(path, &e));
	assert_non_null(strstr(e.msg, "not hotich's"));
	unlink(path);
}

/* An older version's 0644 database is narrowed to 0600 on open. */
static void wide_database_is_narrowed(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	store_close(f->t.s);
	assert_int_equal(chmod(f->t.path, 0644), 0);
	f->t.s = store_open_existing(f->t.path, &e);
	assert_non_null(f->t.s);
	struct stat sb;
	assert_int_equal(stat(f->t.path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(database_is_private_and_versioned, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(book_sha_is_unique_and_versions_count, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(page_commit_is_atomic_with_records, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(failed_commit_leaves_page_pending, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(save_replaces_stage_findings, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(old_database_is_migrated, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(field_p_survives_migration, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(newer_database_is_refused, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(inner_rollback_keeps_outer_work, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(lost_transaction_fails_every_commit, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(failed_count_is_an_error, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(failed_lookup_is_not_not_found, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(open_refuses_missing_and_foreign, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(wide_database_is_narrowed, setup, tdb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
