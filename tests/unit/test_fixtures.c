/*
 * Unit tests: fixtures/ (dates in words, personal IDs, determinism, and
 * the truth's own consistency: dates, IDs, anomalies, entry numbers,
 * boxes, existing-record duplicates).  Books are rendered at low
 * resolution to keep the run short; the content does not depend on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "common/common.h"
#include "common/csvin.h"
#include "common/record.h"
#include "fixtures/fixtures.h"

/* ---- helpers ------------------------------------------------------------ */

static char *tmpdir(const char *tag)
{
	char *d = xasprintf("/tmp/hotich-fx-%s-%d", tag, (int)getpid());
	char *cmd = xasprintf("rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return d;
}

static void rmdir_all(char *d)
{
	char *cmd = xasprintf("rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(d);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = xmalloc((size_t)len + 1);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	buf[len] = '\0';
	fclose(fp);
	*n = (size_t)len;
	return buf;
}

static void generate(struct fixtures_opts *o)
{
	struct err e = ERR_INIT;
	struct fixtures_summary sum;
	int rc = fixtures_generate(o, &sum, &e);
	if (rc)
		fail_msg("fixtures_generate: %s", e.msg);
	assert_true(sum.records > 0);
}

static json_t *load_truth(const char *dir)
{
	char *p = xasprintf("%s/truth.json", dir);
	json_error_t je;
	json_t *t = json_load_file(p, 0, &je);
	free(p);
	if (!t)
		fail_msg("truth.json: %s", je.text);
	return t;
}

static const char *sval(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	assert_non_null(s);
	return s;
}

struct ymd {
	int d, m, y;
};

/* dd/mm/yyyy, or yyyy alone (day and month 0). 0 when the form is wrong. */
static int parse_date(const char *s, struct ymd *x)
{
	memset(x, 0, sizeof(*x));
	if (strlen(s) == 4)
		return sscanf(s, "%4d", &x->y) == 1;
	return strlen(s) == 10 && s[2] == '/' && s[5] == '/' &&
	       sscanf(s, "%2d/%2d/%4d", &x->d, &x->m, &x->y) == 3;
}

static int dim(int m, int y)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return m >= 1 && m <= 12 ? d[m - 1] : 0;
}

static int date_valid(struct ymd x)
{
	return x.m == 0 ? x.y > 0 : x.d >= 1 && x.d <= dim(x.m, x.y);
}

static long key(struct ymd x)
{
	return (long)x.y * 10000 + x.m * 100 + x.d;
}

/* ---- pure helpers ---------------------------------------------------- */

static void date_words_north_and_south(void **state)
{
	(void)state;
	char *w = fixtures_date_words(27, 8, 2008, 0);
	assert_string_equal(w, "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Tám");
	free(w);
	w = fixtures_date_words(5, 4, 2005, 1);
	assert_string_equal(w, "Ngày Năm Tháng Tư Năm Hai Ngàn Không Trăm Lẻ Năm");
	free(w);
	w = fixtures_date_words(21, 11, 1998, 0);
	assert_string_equal(w, "Ngày Hai Mươi Mốt Tháng Mười Một Năm Một Nghìn Chín Trăm Chín Mươi Tám");
	free(w);
	w = fixtures_date_words(15, 12, 2010, 0);
	assert_string_equal(w, "Ngày Mười Lăm Tháng Mười Hai Năm Hai Nghìn Không Trăm Mười");
	free(w);
	w = fixtures_date_words(24, 1, 2000, 0);
	assert_string_equal(w, "Ngày Hai Mươi Tư Tháng Một Năm Hai Nghìn");
	free(w);
}

static void id_digits_follow_sex_and_century(void **state)
{
	(void)state;
	char id[13];
	fixtures_id_make("074", 2008, 1, 1234, id);
	assert_string_equal(id, "074308001234");
	fixtures_id_make("001", 1985, 0, 5, id);
	assert_string_equal(id, "001085000005");
	fixtures_id_make("079", 1999, 1, 999999, id);
	assert_string_equal(id, "079199999999");
}

static void options_parse(void **state)
{
	(void)state;
	assert_int_equal(fixtures_damage_parse("heavy"), FX_DAMAGE_HEAVY);
	assert_int_equal(fixtures_damage_parse("medium"), -1);
	assert_int_equal(fixtures_compression_parse("g4"), FX_COMP_G4);
	assert_int_equal(fixtures_compression_parse("zip"), -1);
	assert_string_equal(fixtures_compression_name(FX_COMP_DEFLATE), "deflate");
}

/* ---- determinism --------------------------------------------------------- */

static void same_seed_same_bytes(void **state)
{
	(void)state;
	char *a = tmpdir("a"), *b = tmpdir("b"), *c = tmpdir("c");
	struct fixtures_opts o;
	fixtures_opts_init(&o);
	o.seed = 42;
	o.pages = 2;
	o.dpi = 100;
	o.kinds = (1u << KIND_KS) | (1u << KIND_KT);
	o.existing = 1;
	o.out_dir = a;
	generate(&o);
	o.out_dir = b;
	generate(&o);
	o.seed = 43;
	o.out_dir = c;
	generate(&o);
	static const char *const files[] = {"truth.json", "ks-01.tif", "kt-01.tif", "existing-ks.csv"};
	for (size_t i = 0; i < 4; i++) {
		char *pa = xasprintf("%s/%s", a, files[i]), *pb = xasprintf("%s/%s", b, files[i]);
		size_t na, nb;
		char *da = slurp(pa, &na), *db = slurp(pb, &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(da, db, na);
		free(da);
		free(db);
		free(pa);
		free(pb);
	}
	char *pa = xasprintf("%s/truth.json", a), *pc = xasprintf("%s/truth.json", c);
	size_t na, nc;
	char *da = slurp(pa, &na), *dc = slurp(pc, &nc);
	assert_false(na == nc && !memcmp(da, dc, na));
	free(da);
	free(dc);
	free(pa);
	free(pc);
	rmdir_all(a);
	rmdir_all(b);
	rmdir_all(c);
}

/* ---- truth consistency ------------------------------------------------ */

struct fx {
	char *dir;
	json_t *truth;
	char prefixes[80][4];
	int nprefixes;
};

static int setup_books(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = tmpdir("truth");
	struct fixtures_opts o;
	fixtures_opts_init(&o);
	o.out_dir = f->dir;
	o.seed = 7;
	o.kinds = (1u << KIND_KS) | (1u << KIND_KH) | (1u << KIND_KT);
	o.format = 'M';
	o.books = 3;
	o.pages = 4;
	o.dpi = 72;
	o.anomaly_pct = 25;
	o.damage = FX_DAMAGE_HEAVY;
	o.existing = 1;
	generate(&o);
	f->truth = load_truth(f->dir);
	struct err e = ERR_INIT;
	char *p = data_path("id_province_codes.csv", &e);
	assert_non_null(p);
	FILE *fp = fopen(p, "r");
	assert_non_null(fp);
	char line[256];
	while (fgets(line, sizeof(line), fp) && f->nprefixes < 80)
		if (line[0] >= '0' && line[0] <= '9')
			snprintf(f->prefixes[f->nprefixes++], 4, "%.3s", line);
	fclose(fp);
	free(p);
	*state = f;
	return 0;
}

static int teardown_books(void **state)
{
	struct fx *f = *state;
	json_decref(f->truth);
	rmdir_all(f->dir);
	free(f);
	return 0;
}

static int has_anom(json_t *rec, const char *field, const char *code)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(rec, "anomalies"), i, a)
		if ((!field || !strcmp(sval(a, "field"), field)) && (!code || !strcmp(sval(a, "code"), code)))
			return 1;
	return 0;
}

static void every_record_has_every_column(void **state)
{
	struct fx *f = *state;
	size_t i;
	json_t *r;
	int kinds_seen[3] = {0};
	json_array_foreach(json_object_get(f->truth, "records"), i, r) {
		enum book_kind k = kind_parse(sval(r, "kind"));
		assert_true(k != KIND_NONE);
		kinds_seen[k] = 1;
		size_t n;
		const char *const *cols = columns_of(k, &n);
		json_t *v = json_object_get(r, "values");
		assert_int_equal(json_object_size(v), n);
		for (size_t c = 0; c < n; c++)
			assert_non_null(json_string_value(json_object_get(v, cols[c])));
		assert_true(*sval(v, "so"));
		assert_true(*sval(v, "quyenSo"));
		assert_true(*sval(v, "trangSo"));
	}
	assert_true(kinds_seen[0] && kinds_seen[1] && kinds_seen[2]);
}

struct name_set {
	char names[160][24];
	int n;
};

static void name_row(char **c, int n, void *data)
{
	struct name_set *ns = data;
	if (n >= 1 && ns->n < 160)
		snprintf(ns->names[ns->n++], sizeof(ns->names[0]), "%s", c[0]);
}

static int in_set(const struct name_set *ns, const char *w)
{
	for (int i = 0; i < ns->n; i++)
		if (!strcmp(ns->names[i], w))
			return 1;
	return 0;
}

/* Real registers hold names the checker's lists lack, and so do ours: some
 * children's given names come from the list validate/ never loads. */
static void some_given_names_are_unlisted(void **state)
{
	struct fx *f = *state;
	struct name_set *common = xcalloc(1, sizeof(*common)), *rare = xcalloc(1, sizeof(*rare));
	struct err e = ERR_INIT;
	assert_int_equal(csvin_data_load("names_given.csv", name_row, common, &e), 0);
	assert_int_equal(csvin_data_load("names_given_rare.csv", name_row, rare, &e), 0);
	assert_true(rare->n > 40);
	size_t i;
	json_t *r;
	int listed = 0, unlisted = 0;
	json_array_foreach(json_object_get(f->truth, "records"), i, r) {
		/* the child of a birth record (other kinds have no nksHoTen) */
		const char *name = json_string_value(json_object_get(json_object_get(r, "values"), "nksHoTen"));
		const char *last = name ? strrchr(name, ' ') : NULL;
		if (!last)
			continue;
		/* (a name in the old tone placement, Hòa, counts in neither) */
		listed += in_set(common, last + 1);
		unlisted += in_set(rare, last + 1);
		assert_false(in_set(common, last + 1) && in_set(rare, last + 1));
	}
	assert_true(unlisted > 0);
	assert_true(unlisted * 10 < (listed + unlisted) * 5);	/* a share, not most */
	free(common);
	free(rare);
}

/* Every date field of a record: valid unless an anomaly says otherwise. */
static void dates_are_valid_or_flagged(void **state)
{
	struct fx *f = *state;
	static const char *const date_cols[] = {
		"ngayDangKy", "nksNgaySinh", "chongNgaySinh", "voNgaySinh", "nktNgaySinh",
		"nktNgayChet", "gbtNgay", "meNgaySinh", "chaNgaySinh"};
	size_t i;
	json_t *r;
	int flagged = 0;
	json_array_foreach(json_object_get(f->truth, "records"), i, r) {
		json_t *v = json_object_get(r, "values");
		for (size_t c = 0; c < sizeof(date_cols) / sizeof(date_cols[0]); c++) {
			json_t *jv = json_object_get(v, date_cols[c]);
			if (!jv || !*json_string_value(jv))
				continue;
			struct ymd x;
			assert_true(parse_date(json_string_value(jv), &x));
			int bad = !date_valid(x), odd = x.y > 2030 || x.y < 1880;
			if (bad)
				assert_true(has_anom(r, date_cols[c], "date_invalid"));
			else if (odd)
				assert_true(has_anom(r, date_cols[c], "date_implausible"));
			else
				assert_false(has_anom(r, date_cols[c], "date_invalid") ||
					     has_anom(r, date_cols[c], "date_implausible"));
			flagged += bad || odd;
		}
	}
	assert_true(flagged > 0);
}

static struct ymd getd(json_t *v, const char *col)
{
	struct ymd x;
	assert_true(parse_date(sval(v, col), &x));
	return x;
}

/* Order of life events, for records without planted anomalies. */
static void life_events_in_order(void **state)
{
	struct fx *f = *state;
	size_t i;
	json_t *r;
	int checked = 0, before = 0;
	json_array_foreach(json_object_get(f->truth, "records"), i, r) {
		json_t *v = json_object_get(r, "values");
		const char *kind = sval(r, "kind");
		if (json_array_size(json_object_get(r, "anomalies"))) {
			if (has_anom(r, "ngayDangKy", "registration_before_birth")) {
				assert_true(key(getd(v, "ngayDangKy")) < key(getd(v, "nksNgaySinh")));
				before++;
			}
			continue;
		}
		struct ymd reg = getd(v, "ngayDangKy");
		if (!strcmp(kind, "ks")) {
			struct ymd dob = getd(v, "nksNgaySinh");
			assert_true(key(reg) >= key(dob));
			const char *parents[] = {"meNgaySinh", "chaNgaySinh"};
			for (int p = 0; p < 2; p++) {
				if (!*sval(v, parents[p]))
					continue;
				int gap = dob.y - getd(v, parents[p]).y;
				assert_true(gap >= 18 && gap <= 45);
			}
			const char *lo = sval(v, "loaiDangKy");
			assert_true(!strcmp(lo, "1") || !strcmp(lo, "2") || !strcmp(lo, "4") ||
				    !strcmp(lo, "6"));
		} else if (!strcmp(kind, "kh")) {
			assert_true(reg.y - getd(v, "chongNgaySinh").y >= 20);
			assert_true(reg.y - getd(v, "voNgaySinh").y >= 18);
		} else {
			struct ymd death = getd(v, "nktNgayChet");
			assert_true(key(death) >= key(getd(v, "nktNgaySinh")));
			assert_true(key(reg) >= key(death));
			const char *t = sval(v, "nktGioPhutChet");
			assert_true(!*t || (strlen(t) == 5 && t[2] == ':'));
		}
		checked++;
	}
	assert_true(checked > 20);
	assert_true(before > 0);
}

static const char *sex_col(const char *id_col)
{
	if (!strcmp(id_col, "nksSoDinhDanh"))
		return "nksGioiTinh";
	if (!strcmp(id_col, "nktSoGiayToTuyThan"))
		return "nktGioiTinh";
	return NULL;
}

static const char *dob_col(const char *id_col)
{
	return !strcmp(id_col, "nksSoDinhDanh") ? "nksNgaySinh"
	     : !strcmp(id_col, "nktSoGiayToTuyThan") ? "nktNgaySinh"
	     : !strcmp(id_col, "chongSoGiayToTuyThan") ? "chongNgaySinh" : "voNgaySinh";
}

/* An ID agrees with province, sex and year, or carries the anomaly. */
static void ids_agree_or_are_flagged(void **state)
{
	struct fx *f = *state;
	static const char *const id_cols[] = {"nksSoDinhDanh", "nktSoGiayToTuyThan",
					      "chongSoGiayToTuyThan", "voSoGiayToTuyThan"};
	size_t i;
	json_t *r;
	int ids = 0, sex_flags = 0, year_flags = 0;
	json_array_foreach(json_object_get(f->truth, "records"), i, r) {
		json_t *v = json_object_get(r, "values");
		for (size_t c = 0; c < 4; c++) {
			json_t *jv = json_object_get(v, id_cols[c]);
			if (!jv || strlen(json_string_value(jv)) != 12)
				continue;
			const char *id = json_string_value(jv);
			ids++;
			int known = 0;
			for (int p = 0; p < f->nprefixes; p++)
				known |= !strncmp(id, f->prefixes[p], 3);
			assert_true(known);
			int female;
			if (sex_col(id_cols[c]))
				female = !strcmp(sval(v, sex_col(id_cols[c])), "2");
			else
				female = id_cols[c][0] == 'v';
			struct ymd dob = getd(v, dob_col(id_cols[c]));
			int g = id[3] - '0';
			int want_g = (dob.y / 100 - 19) * 2 + female;
			int yy = (id[4] - '0') * 10 + (id[5] - '0');
			int sex_ok = (g % 2) == female, year_ok = g / 2 == want_g / 2 && yy == dob.y % 100;
			assert_int_equal(!sex_ok, has_anom(r, id_cols[c], "id_sex_mismatch"));
			assert_int_equal(!year_ok, has_anom(r, id_cols[c], "id_year_mismatch"));
			sex_flags += !sex_ok;
			year_flags += !year_ok;
			/* the paper type goes with the number */
			if (id_cols[c][0] != 'n' || id_cols[c][2] == 't') {
				char lc[40];
				snprintf(lc, sizeof(lc), "%.*sLoaiGiayToTuyThan",
					 (int)(strlen(id_cols[c]) - strlen("SoGiayToTuyThan")), id_cols[c]);
				assert_string_equal(sval(v, lc), "4");
			}
		}
		/* births before 2016 carry no personal ID */
		const char *nid = json_string_value(json_object_get(v, "nksSoDinhDanh"));
		if (nid && *sval(v, "nksNgaySinh") && getd(v, "nksNgaySinh").y < 2016 &&
		    !has_anom(r, "nksNgaySinh", NULL))
			assert_string_equal(nid, "");
	}
	assert_true(ids > 20);
	assert_true(sex_flags + year_flags > 0);
}

/* Every planted anomaly has a known code and field; at 25 % there are some of each. */
static void anomaly_codes_are_known(void **state)
{
	struct fx *f = *state;
	static const char *const codes[] = {"date_invalid", "date_implausible", "id_sex_mismatch",
					    "id_year_mismatch", "registration_before_birth"};
	int seen[5] = {0};
	size_t i, j;
	json_t *r, *a;
	json_array_foreach(json_object_get(f->truth, "records"), i, r) {
		enum book_kind k = kind_parse(sval(r, "kind"));
		json_array_foreach(json_object_get(r, "anomalies"), j, a) {
			int known = 0;
			for (size_t c = 0; c < 5; c++)
				if (!strcmp(sval(a, "code"), codes[c]))
					known = ++seen[c];
			assert_true(known);
			assert_true(column_index(k, sval(a, "field")) >= 0);
		}
	}
	for (size_t c = 0; c < 5; c++)
		assert_true(seen[c] > 0);
}

/* Entry numbers rise through each book; every gap is a listed anomaly. */
static void entry_numbers_rise_and_gaps_are_listed(void **state)
{
	struct fx *f = *state;
	size_t bi, i;
	json_t *b, *r;
	int gaps = 0;
	json_array_foreach(json_object_get(f->truth, "books"), bi, b) {
		const char *file = sval(b, "file");
		int prev = -1, n = 0;
		json_array_foreach(json_object_get(f->truth, "records"), i, r) {
			if (strcmp(sval(r, "file"), file))
				continue;
			int so = atoi(sval(json_object_get(r, "values"), "so"));
			if (prev >= 0) {
				assert_true(so > prev);
				for (int miss = prev + 1; miss < so; miss++) {
					size_t k;
					json_t *a;
					int listed = 0;
					char want[16];
					snprintf(want, sizeof(want), "%d", miss);
					json_array_foreach(json_object_get(f->truth, "book_anomalies"), k, a)
						listed |= !strcmp(sval(a, "file"), file) &&
							  !strcmp(sval(a, "so"), want) &&
							  !strcmp(sval(a, "code"), "entry_missing");
					assert_true(listed);
					gaps++;
				}
			} else {
				assert_int_equal(so, json_integer_value(json_object_get(b, "first_so")));
			}
			prev = so;
			n++;
		}
		assert_int_equal(n, json_integer_value(json_object_get(b, "records")));
		assert_int_equal(prev, json_integer_value(json_object_get(b, "last_so")));
	}
	assert_int_equal(gaps, json_array_size(json_object_get(f->truth, "book_anomalies")));
	assert_true(gaps > 0);
}

/* Pages: record counts, indices in order, boxes inside the image, top to bottom. */
static void pages_and_boxes_agree(void **state)
{
	struct fx *f = *state;
	size_t pi, i;
	json_t *p, *r;
	int blank = 0, upside = 0;
	json_array_foreach(json_object_get(f->truth, "pages"), pi, p) {
		const char *file = sval(p, "file");
		int page = (int)json_integer_value(json_object_get(p, "page"));
		int w = (int)json_integer_value(json_object_get(p, "width"));
		int h = (int)json_integer_value(json_object_get(p, "height"));
		int up = json_is_true(json_object_get(p, "upside_down"));
		int n = 0, last_y = -1;
		json_array_foreach(json_object_get(f->truth, "records"), i, r) {
			if (strcmp(sval(r, "file"), file) ||
			    json_integer_value(json_object_get(r, "page")) != page)
				continue;
			assert_int_equal(json_integer_value(json_object_get(r, "index")), n);
			json_t *bx = json_object_get(r, "box");
			int x = (int)json_integer_value(json_object_get(bx, "x"));
			int y = (int)json_integer_value(json_object_get(bx, "y"));
			int bw = (int)json_integer_value(json_object_get(bx, "w"));
			int bh = (int)json_integer_value(json_object_get(bx, "h"));
			assert_true(x >= 0 && y >= 0 && bw > 0 && bh > 0 && x + bw <= w && y + bh <= h);
			/* upright: each block lower than the one before; upside down: higher */
			int cy = up ? h - (y + bh) : y;
			assert_true(cy > last_y);
			last_y = cy;
			assert_string_equal(sval(json_object_get(r, "values"), "trangSo"), sval(p, "trangSo"));
			n++;
		}
		assert_int_equal(n, json_integer_value(json_object_get(p, "records")));
		if (json_is_true(json_object_get(p, "blank"))) {
			assert_int_equal(n, 0);
			blank++;
		}
		upside += up;
	}
	assert_true(blank > 0);
	assert_true(upside > 0);
}

/* Field i (0-based) of one RFC 4180 row; caller frees. */
static char *csv_field(const char *row, int i)
{
	struct strbuf sb = STRBUF_INIT;
	int f = 0, q = 0;
	for (const char *p = row; *p; p++) {
		if (q) {
			if (*p == '"' && p[1] == '"')
				p++;
			else if (*p == '"') {
				q = 0;
				continue;
			}
		} else if (*p == '"') {
			q = 1;
			continue;
		} else if (*p == ',') {
			f++;
			continue;
		}
		if (f == i)
			sb_addc(&sb, *p);
	}
	return sb_detach(&sb);
}

/* existing-*.csv: header, CRLF, and each listed duplicate matches its book record. */
static void existing_duplicates_point_at_records(void **state)
{
	struct fx *f = *state;
	size_t i, j;
	json_t *d, *r;
	int exact = 0, near = 0;
	json_array_foreach(json_object_get(f->truth, "duplicates"), i, d) {
		char *path = xasprintf("%s/%s", f->dir, sval(d, "existing_file"));
		size_t n;
		char *csv = slurp(path, &n);
		free(path);
		assert_true(strstr(csv, "\r\n") != NULL);
		/* the row: STT first for ks, else the stt-th data row */
		char *row = csv;
		for (int line = 0; line < atoi(sval(d, "stt")); line++) {
			row = strstr(row + (line ? 2 : 0), "\r\n");
			assert_non_null(row);
		}
		json_t *rec = NULL;
		json_array_foreach(json_object_get(f->truth, "records"), j, r)
			if (!strcmp(sval(r, "file"), sval(d, "file")) &&
			    json_integer_value(json_object_get(r, "page")) ==
				    json_integer_value(json_object_get(d, "page")) &&
			    json_integer_value(json_object_get(r, "index")) ==
				    json_integer_value(json_object_get(d, "index")))
				rec = r;
		assert_non_null(rec);
		json_t *v = json_object_get(rec, "values");
		assert_string_equal(sval(v, "so"), sval(d, "so"));
		const char *type = sval(d, "type");
		const char *field = sval(d, "field");
		char *eol = strstr(row + 2, "\r\n");
		*eol = '\0';
		enum book_kind k = kind_parse(sval(rec, "kind"));
		size_t ncols;
		const char *const *cols = columns_of(k, &ncols);
		assert_true(!strncmp(csv, cols[0], strlen(cols[0])));
		int diffs = 0;
		for (size_t c = 0; c < ncols; c++) {
			char *cell = csv_field(row + 2, (int)c);
			if (!strcmp(cols[c], "STT")) {
				assert_string_equal(cell, sval(d, "stt"));
				free(cell);
				continue;
			}
			int same = !strcmp(cell, sval(v, cols[c]));
			if (!same)
				assert_string_equal(cols[c], field);
			diffs += !same;
			free(cell);
		}
		if (!strcmp(type, "exact")) {
			assert_string_equal(field, "");
			assert_int_equal(diffs, 0);
			exact++;
		} else {
			assert_int_equal(diffs, 1);
			near++;
		}
		free(csv);
	}
	assert_true(exact > 0 && near > 0);
}

int main(void)
{
	/* one set of books, rendered once, read by every truth test */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_words_north_and_south),
		cmocka_unit_test(id_digits_follow_sex_and_century),
		cmocka_unit_test(options_parse),
		cmocka_unit_test(same_seed_same_bytes),
		cmocka_unit_test(every_record_has_every_column),
		cmocka_unit_test(dates_are_valid_or_flagged),
		cmocka_unit_test(some_given_names_are_unlisted),
		cmocka_unit_test(life_events_in_order),
		cmocka_unit_test(ids_agree_or_are_flagged),
		cmocka_unit_test(anomaly_codes_are_known),
		cmocka_unit_test(entry_numbers_rise_and_gaps_are_listed),
		cmocka_unit_test(pages_and_boxes_agree),
		cmocka_unit_test(existing_duplicates_point_at_records),
	};
	return cmocka_run_group_tests_name("fixtures", tests, setup_books, teardown_books);
}
