/*
 * Unit tests: export/ (CSV quoting and formula guard byte-exact, JSON shape,
 * NFC and fallbacks, selection and order, determinism, since-last, failure
 * leaving nothing behind).  The CSV is read back with libcsv in strict mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <csv.h>
#include <dirent.h>
#include <jansson.h>

#include "export/export.h"
#include "tests/unit/store_fixture.h"

/* ---- helpers --------------------------------------------------------- */

static char *cell(const char *in)
{
	struct strbuf sb = STRBUF_INIT;
	export_csv_cell(&sb, in);
	return sb_detach(&sb);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t k;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, k);
	fclose(f);
	if (n)
		*n = sb.len;
	return sb.buf ? sb_detach(&sb) : xstrdup("");
}

/* Rows of cells parsed by libcsv in strict mode. */
struct parsed {
	char **cells;	/* all cells, row after row */
	size_t n, alloc;
	size_t rows, *row_len;
	size_t cur;	/* cells in the row being read */
};

static void on_cell(void *s, size_t len, void *data)
{
	struct parsed *p = data;
	ALLOC_GROW(p->cells, p->n + 1, p->alloc);
	p->cells[p->n++] = xstrndup(s ? s : "", len);
	p->cur++;
}

static void on_row(int c, void *data)
{
	struct parsed *p = data;
	p->row_len = xrealloc(p->row_len, (p->rows + 1) * sizeof(*p->row_len));
	p->row_len[p->rows++] = p->cur;
	p->cur = 0;
}

static int parse_strict(const char *buf, size_t n, struct parsed *out)
{
	struct csv_parser cp;
	memset(out, 0, sizeof(*out));
	csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI);
	int ok = csv_parse(&cp, buf, n, on_cell, on_row, out) == n &&
		 csv_fini(&cp, on_cell, on_row, out) == 0;
	csv_free(&cp);
	return ok;
}

static void parsed_free(struct parsed *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->cells[i]);
	free(p->cells);
	free(p->row_len);
}

/* ---- the CSV writer --------------------------------------------------- */

static void csv_cells_are_quoted_and_guarded_byte_exact(void **state)
{
	static const char *const cases[][2] = {
		{"", ""},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
		{"a,b", "\"a,b\""},
		{"say \"hi\"", "\"say \"\"hi\"\"\""},
		{"line1\nline2", "\"line1\nline2\""},
		{"cr\rhere", "\"cr\rhere\""},
		{"=1+2", "'=1+2"},
		{"+84", "'+84"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "\"'\tx\""},
		{"\rx", "\"'\rx\""},
		{"=A1,B1", "\"'=A1,B1\""},
		{"=\"x\"", "\"'=\"\"x\"\"\""},
		{"a=b", "a=b"},
		{"'=x", "'=x"},
		{"bell\x07", "\"bell\x07\""},
		{"del\x7f", "\"del\x7f\""},
		{"c1\xc2\x85", "\"c1\xc2\x85\""},
		{" lead", "\" lead\""},
		{"trail ", "\"trail \""},
		{"in side", "in side"},
		{"03/2009", "03/2009"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = cell(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
	assert_true(export_csv_guarded("=x"));
	assert_false(export_csv_guarded("x="));
	assert_false(export_csv_guarded(""));
}

static void csv_row_joins_with_commas_and_ends_crlf(void **state)
{
	const char *cells[] = {"1", "", "a,b", "=x"};
	struct strbuf sb = STRBUF_INIT;
	export_csv_row(&sb, cells, 4);
	assert_string_equal(sb.buf, "1,,\"a,b\",'=x\r\n");
	sb_reset(&sb);
	export_csv_row(&sb, cells, 0);
	assert_string_equal(sb.buf, "\r\n");
	sb_release(&sb);
}

/* ---- one record ------------------------------------------------------ */

static void cells_prefer_value_trim_raw_and_compose(void **state)
{
	struct record r;
	record_init(&r, KIND_KS);
	record_set_raw(&r, "nksHoTen", "  Nguye\xcc\x82\xcc\x83n Văn An \n");	/* NFD ễ */
	record_set_raw(&r, "meHoTen", "raw text");
	record_set_value(&r, "meHoTen", "Tra\xcc\x82\xcc\x80n Thị B");	/* NFD ầ */
	record_set_raw(&r, "chaHoTen", "raw only if no value");
	record_set_value(&r, "chaHoTen", "");
	record_set_value(&r, "so", "12");
	struct record_source src = {.file = "b.tif", .sha256 = "ab", .page = 4, .book_no = "03/2009"};
	struct export_extra x = {.printed_page = " 15 ", .office = "UBND xã Tân Lập", .stt = 7};
	size_t n;
	char **c = export_cells(&r, &src, &x, &n);
	assert_int_equal(n, 70);
	assert_string_equal(c[column_index(KIND_KS, "nksHoTen")], "Nguyễn Văn An");
	assert_string_equal(c[column_index(KIND_KS, "meHoTen")], "Trần Thị B");
	assert_string_equal(c[column_index(KIND_KS, "chaHoTen")], "");
	assert_string_equal(c[column_index(KIND_KS, "so")], "12");
	assert_string_equal(c[column_index(KIND_KS, "quyenSo")], "03/2009");
	assert_string_equal(c[column_index(KIND_KS, "trangSo")], "15");
	assert_string_equal(c[column_index(KIND_KS, "noiDangKy")], "UBND xã Tân Lập");
	assert_string_equal(c[column_index(KIND_KS, "STT")], "7");
	assert_string_equal(c[column_index(KIND_KS, "nksNoiSinh")], "");
	export_cells_free(c, n);

	/* Fields OCR read win over the header; no printed page: its position. */
	record_set_value(&r, "quyenSo", "04/2010");
	x.printed_page = NULL;
	c = export_cells(&r, &src, &x, &n);
	assert_string_equal(c[column_index(KIND_KS, "quyenSo")], "04/2010");
	assert_string_equal(c[column_index(KIND_KS, "trangSo")], "4");
	export_cells_free(c, n);

	/* Keyed: no page, so trangSo stays empty. */
	struct record_source keyed = {.file = "k.csv", .row = 3};
	c = export_cells(&r, &keyed, NULL, &n);
	assert_string_equal(c[column_index(KIND_KS, "trangSo")], "");
	assert_string_equal(c[column_index(KIND_KS, "STT")], "");
	export_cells_free(c, n);
	record_release(&r);
}

static void kh_and_kt_have_their_own_columns(void **state)
{
	struct record r;
	record_init(&r, KIND_KH);
	record_set_value(&r, "chongHoTen", "Lê Văn C");
	record_set_value(&r, "nksHoTen", "not a kh column");
	size_t n;
	char **c = export_cells(&r, NULL, NULL, &n);
	assert_int_equal(n, 44);
	assert_string_equal(c[column_index(KIND_KH, "chongHoTen")], "Lê Văn C");
	for (size_t i = 0; i < n; i++)
		assert_null(strstr(c[i], "not a kh"));
	export_cells_free(c, n);
	record_release(&r);
	record_init(&r, KIND_KT);
	c = export_cells(&r, NULL, NULL, &n);
	assert_int_equal(n, 48);
	export_cells_free(c, n);
	record_release(&r);
}

static void json_line_has_every_column_in_order_then_source_and_review(void **state)
{
	struct record r;
	record_init(&r, KIND_KT);
	record_set_value(&r, "nktHoTen", "Phạm Văn D");
	struct record_source src = {.file = "book.tif", .sha256 = "ff00", .page = 2, .index = 1};
	size_t n;
	char **c = export_cells(&r, &src, NULL, &n);
	struct export_review rv = {1, "lan", "2026-01-02T03:04:05Z"};
	char *line = export_json_line(KIND_KT, c, n, &src, &rv);
	assert_null(strchr(line, '\n'));
	json_error_t je;
	json_t *o = json_loads(line, 0, &je);
	assert_non_null(o);
	size_t ncols;
	const char *const *cols = columns_of(KIND_KT, &ncols);
	void *it = json_object_iter(o);
	for (size_t i = 0; i < ncols; i++, it = json_object_iter_next(o, it)) {
		assert_non_null(it);
		assert_string_equal(json_object_iter_key(it), cols[i]);
		assert_true(json_is_string(json_object_iter_value(it)));
	}
	assert_string_equal(json_object_iter_key(it), "_source");
	it = json_object_iter_next(o, it);
	assert_string_equal(json_object_iter_key(it), "_review");
	assert_null(json_object_iter_next(o, it));
	assert_string_equal(json_string_value(json_object_get(o, "nktHoTen")), "Phạm Văn D");
	assert_string_equal(json_string_value(json_object_get(o, "nktNgayChet")), "");
	json_t *s = json_object_get(o, "_source");
	assert_int_equal(json_object_size(s), 4);
	assert_string_equal(json_string_value(json_object_get(s, "file")), "book.tif");
	assert_string_equal(json_string_value(json_object_get(s, "sha256")), "ff00");
	assert_int_equal(json_integer_value(json_object_get(s, "page")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "index")), 1);
	json_t *v = json_object_get(o, "_review");
	assert_string_equal(json_string_value(json_object_get(v, "status")), "reviewed");
	assert_string_equal(json_string_value(json_object_get(v, "reviewer")), "lan");
	assert_string_equal(json_string_value(json_object_get(v, "at")), "2026-01-02T03:04:05Z");
	json_decref(o);
	free(line);

	struct record_source keyed = {.file = "keyed.csv", .row = 9};
	rv.reviewed = 0;
	line = export_json_line(KIND_KT, c, n, &keyed, &rv);
	o = json_loads(line, 0, &je);
	s = json_object_get(o, "_source");
	assert_int_equal(json_object_size(s), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "row")), 9);
	v = json_object_get(o, "_review");
	assert_string_equal(json_string_value(json_object_get(v, "status")), "auto");
	assert_string_equal(json_string_value(json_object_get(v, "reviewer")), "");
	json_decref(o);
	free(line);
	export_cells_free(c, n);
	record_release(&r);
}

/* Hostile values: the strict CSV reading equals the JSON value (guard aside). */
static void hostile_values_parse_strictly_to_the_json_values(void **state)
{
	struct strbuf longv = STRBUF_INIT;
	for (int i = 0; i < 20000; i++)
		sb_adds(&longv, i % 7 ? "ắ" : ", \"");
	const char *hostile[] = {
		"\"quoted\"", "a,b,c", "two\nlines", "crlf\r\ninside", "=cmd|' /C calc'!A0",
		"+1", "-1", "@x", "\tlead tab", "\rlead cr", "ctl\x01\x02\x1f", " spaced ",
		"Nguye\xcc\x82\xcc\x83n", "'quote first", longv.buf, "",
	};
	size_t nh = sizeof(hostile) / sizeof(*hostile);
	struct record r;
	record_init(&r, KIND_KS);
	size_t ncols;
	const char *const *cols = columns_of(KIND_KS, &ncols);
	for (size_t i = 0; i < nh; i++)
		record_set_value(&r, cols[11 + i], hostile[i]);
	size_t n;
	char **c = export_cells(&r, NULL, NULL, &n);
	struct strbuf csv = STRBUF_INIT;
	export_csv_row(&csv, cols, ncols);
	export_csv_row(&csv, (const char *const *)c, n);
	char *line = export_json_line(KIND_KS, c, n, NULL, NULL);
	json_t *o = json_loads(line, 0, NULL);
	assert_non_null(o);
	for (const char *p = line; *p; p++)
		assert_true((unsigned char)*p >= 0x20);	/* JSON escapes every control */

	struct parsed pr;
	assert_true(parse_strict(csv.buf, csv.len, &pr));
	assert_int_equal(pr.rows, 2);
	assert_int_equal(pr.row_len[0], ncols);
	assert_int_equal(pr.row_len[1], ncols);
	for (size_t i = 0; i < ncols; i++) {
		assert_string_equal(pr.cells[i], cols[i]);
		const char *jv = json_string_value(json_object_get(o, cols[i]));
		const char *cv = pr.cells[ncols + i];
		if (export_csv_guarded(jv)) {
			assert_int_equal(cv[0], '\'');
			cv++;
		}
		assert_string_equal(cv, jv);
	}
	/* NFD went in, NFC came out. */
	assert_string_equal(json_string_value(json_object_get(o, cols[11 + 12])), "Nguyễn");
	parsed_free(&pr);
	json_decref(o);
	free(line);
	sb_release(&csv);
	sb_release(&longv);
	export_cells_free(c, n);
	record_release(&r);
}

/* ---- whole exports against a database ---------------------------------- */

struct fx {
	struct tdb t;
	long long book, page1, page2;
};

static int setup(void **state)
{
	*state = tdb_fixture(sizeof(struct fx), "export");
	return 0;
}

/* A book of two pages with OCR'd records, entry numbers out of page order. */
static void add_book(struct fx *f)
{
	struct err e = ERR_INIT;
	exec_ok(f->t.s, "INSERT INTO batches(id, started_at, command, engine, models)"
			" VALUES(7, 'x', 'ingest', NULL, NULL), (8, 'x', 'run', 'tesseract 5.3.0',"
			" '{\"vie\": \"a1\"}')");
	struct store_book b = {.batch_id = 8, .path = "scans/so-03.tif", .name = "so-03.tif",
			       .pages = 2};
	snprintf(b.sha256, sizeof(b.sha256), "%s", "5ca1ab1e");
	f->book = store_book_add(f->t.s, &b, &e);
	assert_true(f->book > 0);
	struct store_page p = {.book_id = f->book, .page_no = 1};
	f->page1 = store_page_add(f->t.s, &p, &e);
	p.page_no = 2;
	f->page2 = store_page_add(f->t.s, &p, &e);
}

/* One page's OCR result (store_page_commit replaces a page's records), then
 * each record's validation verdict. */
struct ocr_rec {
	const char *so, *name;
	enum record_status st;
	long long id;
};

static void add_page(struct fx *f, long long page, struct ocr_rec *recs, size_t n)
{
	struct err e = ERR_INIT;
	struct record *r = calloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		record_init(&r[i], KIND_KS);
		r[i].index = (int)i;
		record_set_raw(&r[i], "so", recs[i].so);
		record_set_raw(&r[i], "nksHoTen", recs[i].name);
	}
	struct page_result pr = {.page_id = page, .book_id = f->book, .status = PAGE_DONE,
				 .book_no = "03/2009", .office = "UBND xã An Bình",
				 .printed_page = page == f->page2 ? "12" : NULL,
				 .ocr_json = "{\"program\": \"x\", \"engine\": \"tesseract 5.3.0\","
					     " \"models\": {\"Vietnamese\": \"b2\", \"script\": \"\"}}",
				 .recs = r, .nrecs = n};
	assert_int_equal(store_page_commit(f->t.s, &pr, &e), 0);
	for (size_t i = 0; i < n; i++) {
		record_set_value(&r[i], "so", recs[i].so);
		assert_int_equal(store_record_save(f->t.s, &r[i], "validate", recs[i].st, &e), 0);
		recs[i].id = r[i].id;
		record_release(&r[i]);
	}
	free(r);
}

static long long add_keyed(struct fx *f, const char *file, int row, const char *so,
			   enum record_status st)
{
	struct err e = ERR_INIT;
	struct record r;
	record_init(&r, KIND_KS);
	record_set_raw(&r, "so", so);
	record_set_raw(&r, "nksHoTen", "Đỗ Thị Keyed");
	long long id = store_record_insert_keyed(f->t.s, &r, file, NULL, row, &e);
	assert_true(id > 0);
	assert_int_equal(store_record_set_status(f->t.s, id, st, &e), 0);
	record_release(&r);
	return id;
}

static int run_export(struct fx *f, const char *name, enum export_format fmt, int since,
		      struct export_result *res, struct err *e)
{
	char out[300];
	snprintf(out, sizeof(out), "%s/%s", f->t.dir, name);
	struct export_options o = {.kind = KIND_KS, .format = fmt, .out = out, .since_last = since};
	return export_run(f->t.s, &o, res, e);
}

static char *read_out(struct fx *f, const char *name, size_t *n)
{
	char p[300];
	snprintf(p, sizeof(p), "%s/%s", f->t.dir, name);
	return slurp(p, n);
}

/* Record ids in the NDJSON export, via their entry number "so". */
static size_t ndjson_sos(const char *buf, char sos[][8], size_t max)
{
	size_t n = 0;
	const char *p = buf;
	while (*p && n < max) {
		const char *end = strchr(p, '\n');
		assert_non_null(end);
		json_t *o = json_loadb(p, (size_t)(end - p), 0, NULL);
		assert_non_null(o);
		snprintf(sos[n++], 8, "%s", json_string_value(json_object_get(o, "so")));
		json_decref(o);
		p = end + 1;
	}
	return n;
}

static int collect_so(struct record *r, enum record_status st,
		      const struct record_source *src, void *ctx)
{
	char (*sos)[8] = ((char (**)[8])ctx)[0];
	size_t *n = ((size_t **)ctx)[1];
	if (st == REC_CLEAN || st == REC_APPROVED)
		snprintf(sos[(*n)++], 8, "%s", record_raw(r, "so"));
	return 0;
}

/*
 * Two OCR'd pages, keyed rows, and every status: only clean and approved go
 * out, a duplicate only once ruled 'different', in store_records_each's order.
 */
static void selection_follows_status_duplicates_and_store_order(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	add_book(f);
	add_keyed(f, "keyed.csv", 2, "40", REC_CLEAN);
	struct ocr_rec p2[] = {
		{"3", "Trần Văn Ba", REC_CLEAN, 0}, {"4", "flagged", REC_REVIEW, 0},
		{"5", "rejected", REC_REJECTED, 0}, {"6", "duplicate", REC_CLEAN, 0},
		{"7", "ruled different", REC_CLEAN, 0}, {"8", "never validated", REC_NEW, 0},
		{"9", "survivor of a same", REC_CLEAN, 0},
	};
	add_page(f, f->page2, p2, 7);
	struct ocr_rec p1[] = {{"2", "Lê Thị Hai", REC_APPROVED, 0},
			       {"1", "Lê Văn Một", REC_CLEAN, 0}};
	add_page(f, f->page1, p1, 2);
	add_keyed(f, "keyed.csv", 1, "39", REC_APPROVED);
	long long dup = p2[3].id, dif = p2[4].id;
	/* The survivor: its finding resolved by review, its match mirrored 'same'. */
	char sv[512];
	snprintf(sv, sizeof(sv),
		 "INSERT INTO findings(record_id, stage, code, message, severity, match_source,"
		 " match_id, score, resolved) VALUES(%lld, 'dedup', 'duplicate_batch', 'm', 1,"
		 " 'batch', 'r%lld', 0.99, 1);"
		 "INSERT INTO matches(record_id, source, other_id, score, decision)"
		 " VALUES(%lld, 'batch', 'r%lld', 0.99, 'same')", p2[6].id, dup, p2[6].id, dup);
	exec_ok(f->t.s, sv);
	char sql[512];
	for (int i = 0; i < 2; i++) {
		long long id = i ? dif : dup;
		snprintf(sql, sizeof(sql),
			 "INSERT INTO findings(record_id, stage, code, message, severity,"
			 " match_source, match_id, score) VALUES(%lld, 'dedup', 'duplicate_existing',"
			 " 'm', 1, 'existing', 'E%d', 0.97);"
			 "INSERT INTO matches(record_id, source, other_id, score, decision)"
			 " VALUES(%lld, 'existing', 'E%d', 0.97, %s)",
			 id, i, id, i, i ? "'different'" : "NULL");
		exec_ok(f->t.s, sql);
	}
	struct export_result res;
	assert_int_equal(run_export(f, "ks.ndjson", EXPORT_NDJSON, 0, &res, &e), 0);
	assert_int_equal(res.count, 7);
	char *buf = read_out(f, "ks.ndjson", NULL);
	char got[16][8];
	size_t n = ndjson_sos(buf, got, 16);
	assert_int_equal(n, 7);
	const char *want[] = {"1", "2", "3", "7", "9", "39", "40"};
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(got[i], want[i]);

	/* The same order as store_records_each, minus what is not exportable. */
	char each[16][8];
	size_t ne = 0;
	void *ctx[2] = {each, &ne};
	assert_int_equal(store_records_each(f->t.s, KIND_KS, -1, collect_so, ctx, &e), 0);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (strcmp(each[i], "6"))
			assert_string_equal(each[i], got[k++]);
	assert_int_equal(k, 7);

	/* Header fields and provenance of an OCR'd record on page 2. */
	const char *line = strstr(buf, "\"so\":\"3\"");
	assert_non_null(line);
	assert_non_null(strstr(buf, "\"trangSo\":\"12\""));
	assert_non_null(strstr(buf, "\"quyenSo\":\"03/2009\""));
	assert_non_null(strstr(buf, "\"noiDangKy\":\"UBND xã An Bình\""));
	assert_non_null(strstr(buf, "\"_source\":{\"file\":\"so-03.tif\",\"sha256\":\"5ca1ab1e\","
				    "\"page\":2,\"index\":0}"));
	assert_non_null(strstr(buf, "\"_source\":{\"file\":\"keyed.csv\",\"row\":1}"));
	char *man = slurp(res.manifest_path, NULL);
	json_t *m = json_loads(man, 0, NULL);
	assert_non_null(m);
	assert_int_equal(json_integer_value(json_object_get(m, "records")), 7);
	assert_string_equal(json_string_value(json_object_get(m, "sha256")), res.sha256);
	json_t *ocr = json_object_get(m, "ocr");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ocr, "engines"), 0)),
			    "tesseract 5.3.0");
	/* vie from the book's batch, Vietnamese from the records' own OCR text;
	 * script's empty hash (model file missing) left out. */
	assert_int_equal(json_array_size(json_object_get(ocr, "engines")), 1);
	json_t *models = json_object_get(ocr, "models");
	assert_int_equal(json_array_size(models), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(models, 0), "name")),
			    "Vietnamese");
	assert_string_equal(json_string_value(json_object_get(json_array_get(models, 1), "sha256")),
			    "a1");
	json_t *ids = json_object_get(json_object_get(m, "selection"), "record_ids");
	assert_int_equal(json_integer_value(json_object_get(ids, "min")), 1);
	json_decref(m);
	free(man);
	free(buf);
	export_result_release(&res);
}

static void same_selection_gives_identical_private_files(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	add_book(f);
	struct ocr_rec p1[] = {{"1", "=HYPERLINK(\"http://x\")", REC_CLEAN, 0},
			       {"2", "Nguye\xcc\x82\xcc\x83n, \"An\"\nB", REC_CLEAN, 0}};
	add_page(f, f->page1, p1, 2);
	add_keyed(f, "k.csv", 1, "3", REC_CLEAN);
	static const enum export_format fmts[] = {EXPORT_CSV, EXPORT_JSON, EXPORT_NDJSON};
	for (int i = 0; i < 3; i++) {
		struct export_result a, b;
		assert_int_equal(run_export(f, "a.out", fmts[i], 0, &a, &e), 0);
		assert_int_equal(run_export(f, "b.out", fmts[i], 0, &b, &e), 0);
		size_t na, nb;
		char *x = read_out(f, "a.out", &na), *y = read_out(f, "b.out", &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(x, y, na);
		assert_string_equal(a.sha256, b.sha256);
		char hex[SHA256_HEX_LEN + 1];
		sha256_buf(x, na, hex);
		assert_string_equal(hex, a.sha256);
		struct stat sb;
		assert_int_equal(stat(a.manifest_path, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		char p[300];
		snprintf(p, sizeof(p), "%s/a.out", f->t.dir);
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		free(x);
		free(y);
		export_result_release(&a);
		export_result_release(&b);
	}
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM exports", NULL), 6);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM export_records", NULL), 18);
}

static void since_last_skips_what_was_exported_and_empty_is_valid(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	add_keyed(f, "k.csv", 1, "1", REC_CLEAN);
	add_keyed(f, "k.csv", 2, "2", REC_APPROVED);
	struct export_result res;
	assert_int_equal(run_export(f, "one.csv", EXPORT_CSV, 1, &res, &e), 0);
	assert_int_equal(res.count, 2);
	export_result_release(&res);
	assert_int_equal(run_export(f, "two.csv", EXPORT_CSV, 1, &res, &e), 0);
	assert_int_equal(res.count, 0);
	export_result_release(&res);
	size_t n;
	char *two = read_out(f, "two.csv", &n);
	assert_int_equal(strncmp(two, "STT,so,quyenSo,trangSo,", 23), 0);
	assert_int_equal(strchr(two, '\n') - two, (long)n - 1);	/* header only */
	free(two);
	/* The mark is per format: csv's exports leave json's and ndjson's whole. */
	assert_int_equal(run_export(f, "first.json", EXPORT_JSON, 1, &res, &e), 0);
	assert_int_equal(res.count, 2);
	export_result_release(&res);
	assert_int_equal(run_export(f, "first.ndjson", EXPORT_NDJSON, 1, &res, &e), 0);
	assert_int_equal(res.count, 2);
	export_result_release(&res);
	assert_int_equal(run_export(f, "e.json", EXPORT_JSON, 1, &res, &e), 0);
	export_result_release(&res);
	char *j = read_out(f, "e.json", NULL);
	assert_string_equal(j, "[]\n");
	free(j);
	assert_int_equal(run_export(f, "e.ndjson", EXPORT_NDJSON, 1, &res, &e), 0);
	export_result_release(&res);
	j = read_out(f, "e.ndjson", &n);
	assert_int_equal(n, 0);
	free(j);
	add_keyed(f, "k.csv", 3, "3", REC_CLEAN);
	assert_int_equal(run_export(f, "three.json", EXPORT_JSON, 1, &res, &e), 0);
	assert_int_equal(res.count, 1);
	export_result_release(&res);
	j = read_out(f, "three.json", NULL);
	json_t *a = json_loads(j, 0, NULL);
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "so")), "3");
	json_decref(a);
	free(j);
	/* Without --since-last everything exportable goes again. */
	assert_int_equal(run_export(f, "all.csv", EXPORT_CSV, 0, &res, &e), 0);
	assert_int_equal(res.count, 3);
	export_result_release(&res);
}

static int count_entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void failure_leaves_no_file_and_records_nothing(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	add_keyed(f, "k.csv", 1, "1", REC_CLEAN);
	int before = count_entries(f->t.dir);
	struct export_result res;
	assert_true(run_export(f, "missing/x.csv", EXPORT_CSV, 0, &res, &e) < 0);
	assert_non_null(strstr(e.msg, "missing/x.csv"));
	export_result_release(&res);
	/* A directory in the way of the rename: the temporary file goes too. */
	char d[300];
	snprintf(d, sizeof(d), "%s/adir", f->t.dir);
	assert_int_equal(mkdir(d, 0700), 0);
	err_clear(&e);
	assert_true(run_export(f, "adir", EXPORT_CSV, 0, &res, &e) < 0);
	export_result_release(&res);
	assert_int_equal(count_entries(f->t.dir), before + 1);
	rmdir(d);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM exports", NULL), 0);
	assert_int_equal(store_count(f->t.s, "SELECT COUNT(*) FROM export_records", NULL), 0);
}

static void options_are_checked(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct export_result res;
	struct export_options o = {.kind = KIND_NONE, .format = EXPORT_CSV, .out = "x"};
	assert_true(export_run(f->t.s, &o, &res, &e) < 0);
	export_result_release(&res);
	assert_int_equal(export_format_parse("ndjson"), EXPORT_NDJSON);
	assert_int_equal(export_format_parse("xml"), -1);
	assert_string_equal(export_format_name(EXPORT_JSON), "json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_cells_are_quoted_and_guarded_byte_exact),
		cmocka_unit_test(csv_row_joins_with_commas_and_ends_crlf),
		cmocka_unit_test(cells_prefer_value_trim_raw_and_compose),
		cmocka_unit_test(kh_and_kt_have_their_own_columns),
		cmocka_unit_test(json_line_has_every_column_in_order_then_source_and_review),
		cmocka_unit_test(hostile_values_parse_strictly_to_the_json_values),
		cmocka_unit_test_setup_teardown(selection_follows_status_duplicates_and_store_order,
						setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(same_selection_gives_identical_private_files, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(since_last_skips_what_was_exported_and_empty_is_valid,
						setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(failure_leaves_no_file_and_records_nothing, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(options_are_checked, setup, tdb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
