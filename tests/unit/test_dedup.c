/* Unit tests: dedup/ (comparators, keys, EM, term frequencies, decisions) and
 * common/csvin (the streaming CSV reader the importers use). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/csvin.h"
#include "dedup/dedup.h"
#include "store/store.h"

static void fold_and_jaro_winkler(void **state)
{
	char *a = dedup_fold("NGUYỄN Thị Thuỳ"), *b = dedup_fold("nguyen  thi thùy");
	assert_string_equal(a, "nguyen thi thuy");
	assert_string_equal(a, b);
	free(a);
	free(b);
	char *d = dedup_fold("Đặng Đức");
	assert_string_equal(d, "dang duc");
	free(d);
	assert_true(fabs(dedup_jaro_winkler("martha", "marhta") - 0.9611) < 0.001);
	assert_true(fabs(dedup_jaro_winkler("dwayne", "duane") - 0.84) < 0.001);
	assert_true(dedup_jaro_winkler("abc", "abc") == 1.0);
	assert_true(dedup_jaro_winkler("abc", "xyz") == 0.0);
}

static void ocr_distance_makes_confusions_cheap(void **state)
{
	/* marks only: đ/d, ư/u, ơ/o, ấ/ẩ cost a quarter each */
	assert_true(fabs(dedup_ocr_distance("đức", "duc") - 0.5) < 1e-9);
	assert_true(fabs(dedup_ocr_distance("ư", "u") - 0.25) < 1e-9);
	assert_true(fabs(dedup_ocr_distance("ơ", "o") - 0.25) < 1e-9);
	assert_true(fabs(dedup_ocr_distance("ấ", "ẩ") - 0.25) < 1e-9);
	/* look-alike glyphs half */
	assert_true(fabs(dedup_ocr_distance("1O", "l0") - 1.0) < 1e-9);
	/* anything else a whole edit */
	assert_true(fabs(dedup_ocr_distance("lan", "lam") - 1.0) < 1e-9);
	assert_true(fabs(dedup_ocr_distance("abc", "") - 3.0) < 1e-9);
	assert_true(dedup_ocr_distance_max("nguyen", "tran", 1.0) > 1.0);
}

static void dates_tolerate_swaps_and_one_digit(void **state)
{
	char d[9];
	dedup_date_norm("5/3/2021", d);
	assert_string_equal(d, "20210305");
	dedup_date_norm("05.03.2021", d);
	assert_string_equal(d, "20210305");
	dedup_date_norm("1985", d);
	assert_string_equal(d, "19850000");
	dedup_date_norm("19151111", d);
	assert_string_equal(d, "19151111");
	dedup_date_norm("O5/O3/2O21", d); /* OCR read zeros as O */
	assert_string_equal(d, "20210305");
	dedup_date_norm("không rõ", d);
	assert_string_equal(d, "");
	assert_int_equal(dedup_date_level("20210305", "20210305"), 3);
	assert_int_equal(dedup_date_level("20210305", "20210503"), 2); /* swap */
	assert_int_equal(dedup_date_level("20210305", "20210306"), 2); /* one digit */
	assert_int_equal(dedup_date_level("20210305", "20211231"), 1); /* same year */
	assert_int_equal(dedup_date_level("20210305", "19990101"), 0);
	assert_int_equal(dedup_date_level("20210305", ""), -1);
	assert_int_equal(dedup_id_level("079201001234", "079201001234"), 2);
	assert_int_equal(dedup_id_level("079201001234", "079201001284"), 1);
	assert_int_equal(dedup_id_level("079201001234", "07920101234"), 1);
	assert_int_equal(dedup_id_level("079201001234", "079201009934"), 0);
}

static void record_of(struct record *r, const char *name, const char *dob, const char *mother,
		      const char *id)
{
	record_init(r, KIND_KS);
	record_set_raw(r, "nksHoTen", name);
	record_set_raw(r, "nksNgaySinh", dob);
	record_set_raw(r, "meHoTen", mother);
	record_set_raw(r, "meNgaySinh", "1970");
	record_set_raw(r, "nksSoDinhDanh", id);
	record_set_raw(r, "nksGioiTinh", "Nữ");
}

static void keys_survive_one_typo(void **state)
{
	struct record r1, r2;
	struct dedup_entity a = DEDUP_ENTITY_INIT, b = DEDUP_ENTITY_INIT;
	record_of(&r1, "Nguyễn Thị Thuỳ Dương", "05/03/1995", "Lê Thị Hoa", "");
	record_of(&r2, "NGUYEN THI THUY DUONG", "03/05/1995", "Le Thi Hoa", ""); /* swap */
	dedup_entity_from_record(&r1, &a);
	dedup_entity_from_record(&r2, &b);
	char ka[DEDUP_NRULES][DEDUP_KEY_LEN], kb[DEDUP_NRULES][DEDUP_KEY_LEN];
	dedup_entity_keys(&a, ka);
	dedup_entity_keys(&b, kb);
	assert_string_equal(ka[0], kb[0]);		/* name + year */
	assert_string_not_equal(ka[1], kb[1]);		/* the date itself differs */
	assert_string_equal(ka[3], kb[3]);		/* mother + year */
	signed char g[DF_COUNT];
	dedup_compare(&a, &b, g);
	assert_int_equal(g[DF_GIVEN], 3);
	assert_int_equal(g[DF_SURNAME], 2);
	assert_int_equal(g[DF_DOB], 2);
	assert_int_equal(g[DF_PID], -1);
	assert_int_equal(g[DF_SEX], 1);
	/* the stored form decodes to the same entity */
	char *enc = dedup_entity_encode(&a);
	struct dedup_entity c = DEDUP_ENTITY_INIT;
	dedup_entity_decode(enc, &c);
	assert_string_equal(c.fgiven, "duong");
	assert_string_equal(c.fmiddle, "thi thuy");
	assert_string_equal(c.dob, "19950305");
	free(enc);
	dedup_entity_release(&a);
	dedup_entity_release(&b);
	dedup_entity_release(&c);
	record_release(&r1);
	record_release(&r2);
}

/* Expected counts of every pattern of three fields under a known model. */
static void toy_patterns(struct dedup_patterns *pat, double p, const double m[3][4],
			 const double u[3][4])
{
	static const enum dedup_field f[3] = {DF_GIVEN, DF_DOB, DF_PID};
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			for (int c = 0; c < 3; c++) {
				signed char g[DF_COUNT];
				memset(g, -1, sizeof(g));
				g[f[0]] = (signed char)a;
				g[f[1]] = (signed char)b;
				g[f[2]] = (signed char)c;
				double n = 100000 * (p * m[0][a] * m[1][b] * m[2][c] +
						     (1 - p) * u[0][a] * u[1][b] * u[2][c]);
				dedup_patterns_add(pat, g, n);
			}
}

static void em_recovers_a_known_model(void **state)
{
	const double m[3][4] = {{0.05, 0.05, 0.1, 0.8}, {0.02, 0.08, 0.1, 0.8}, {0.1, 0.1, 0.8}};
	const double u[3][4] = {{0.7, 0.1, 0.1, 0.1}, {0.8, 0.05, 0.1, 0.05}, {0.97, 0.02, 0.01}};
	struct dedup_patterns *pat = dedup_patterns_new();
	toy_patterns(pat, 0.15, m, u);
	struct dedup_model mo;
	dedup_model_default(&mo);
	dedup_em(&mo, pat, 2000, 1e-9);
	assert_true(mo.converged);
	assert_true(fabs(mo.p - 0.15) < 0.01);
	assert_true(fabs(mo.m[DF_GIVEN][3] - 0.8) < 0.02);
	assert_true(fabs(mo.u[DF_GIVEN][3] - 0.1) < 0.02);
	assert_true(fabs(mo.m[DF_DOB][3] - 0.8) < 0.02);
	assert_true(fabs(mo.u[DF_PID][2] - 0.01) < 0.01);
	/* a pair agreeing everywhere scores high, one agreeing nowhere low */
	signed char all[DF_COUNT], none[DF_COUNT];
	memset(all, -1, sizeof(all));
	memset(none, -1, sizeof(none));
	all[DF_GIVEN] = 3, all[DF_DOB] = 3, all[DF_PID] = 2;
	none[DF_GIVEN] = 0, none[DF_DOB] = 0, none[DF_PID] = 0;
	assert_true(dedup_score(&mo, all, NULL, NULL) > 0.95);
	assert_true(dedup_score(&mo, none, NULL, NULL) < 0.01);
	dedup_patterns_free(pat);
}

static void rare_names_weigh_more(void **state)
{
	struct dedup_tf *tf = dedup_tf_new();
	dedup_tf_add(tf, dedup_tf_slot(DF_SURNAME), "nguyen", 384);
	dedup_tf_add(tf, dedup_tf_slot(DF_SURNAME), "tran", 110);
	dedup_tf_add(tf, dedup_tf_slot(DF_SURNAME), "le", 95);
	for (int i = 0; i < 40; i++) {
		char v[16];
		snprintf(v, sizeof(v), "rare%d", i);
		dedup_tf_add(tf, dedup_tf_slot(DF_SURNAME), v, 2);
	}
	assert_true(fabs(dedup_tf_share(tf, 0, "nguyen") - 384.0 / 669) < 1e-9);
	struct dedup_model mo;
	dedup_model_default(&mo);
	struct dedup_entity common = DEDUP_ENTITY_INIT, rare = DEDUP_ENTITY_INIT;
	common.fsurname = "nguyen";
	rare.fsurname = "rare7";
	double w_plain = dedup_field_weight(&mo, DF_SURNAME, 2, &common, NULL);
	double w_common = dedup_field_weight(&mo, DF_SURNAME, 2, &common, tf);
	double w_rare = dedup_field_weight(&mo, DF_SURNAME, 2, &rare, tf);
	assert_true(w_common < w_plain);
	assert_true(w_rare > w_plain);
	assert_true(w_rare - w_common > 5); /* bits */
	/* disagreement is not adjusted */
	assert_true(dedup_field_weight(&mo, DF_SURNAME, 0, &rare, tf) ==
		    dedup_field_weight(&mo, DF_SURNAME, 0, &rare, NULL));
	dedup_tf_free(tf);
}

/* ---- a run against a real database --------------------------------------- */

struct seen {
	int calls;
	size_t n;
	struct dedup_match m[DEDUP_MAX_MATCHES];
};

static int collect(long long id, const struct dedup_match *m, size_t n, void *ctx)
{
	struct seen *s = ctx;
	s->calls++;
	if (n) {
		s->n = n;
		memcpy(s->m, m, n * sizeof(*m));
	}
	return 0;
}

static void decision_different_is_respected(void **state)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/hotich-dedup-%d.db", (int)getpid());
	unlink(path);
	struct err e = ERR_INIT;
	struct store *s = store_open(path, &e);
	assert_non_null(s);
	struct dedup_importer *im = dedup_importer_new(s, KIND_KS, &e);
	assert_non_null(im);
	const char *people[][3] = {
		{"Trần Văn Bình", "12/07/1990", "Phạm Thị Mai"},
		{"Lê Thị Hồng Nhung", "01/01/1991", "Võ Thị Lan"},
		{"Nguyễn Thị Thuỳ Dương", "05/03/1995", "Lê Thị Hoa"},
	};
	for (int i = 0; i < 3; i++) {
		struct record r;
		record_of(&r, people[i][0], people[i][1], people[i][2], "");
		char stt[8];
		snprintf(stt, sizeof(stt), "%d", 10 + i);
		assert_int_equal(dedup_importer_put(im, stt, &r, &e), 0);
		record_release(&r);
	}
	assert_int_equal(dedup_importer_finish(im, &e), 0);
	dedup_importer_free(im);
	struct record b;
	record_of(&b, "NGUYEN THI THUY DUONG", "03/05/1995", "Lê Thị Hoa", "");
	assert_true(store_record_insert_keyed(s, &b, "keyed.csv", 1, &e) > 0);
	assert_int_equal(store_record_set_status(s, b.id, REC_CLEAN, &e), 0);

	struct seen got = {0};
	struct dedup_stats st;
	assert_int_equal(dedup_link(s, KIND_KS, collect, &got, &st, &e), 0);
	assert_int_equal(st.pending, 1);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.m[0].source, "existing");
	assert_string_equal(got.m[0].other, "12");
	assert_true(got.m[0].score >= DEDUP_DUPLICATE);
	assert_int_equal(store_count(s, "SELECT COUNT(*) FROM matches"), 1);

	/* Linked: nothing pending on a second run. */
	memset(&got, 0, sizeof(got));
	assert_int_equal(dedup_link(s, KIND_KS, collect, &got, &st, &e), 0);
	assert_int_equal(st.pending, 0);

	/* A supervisor says "different"; the record changes and is linked again. */
	assert_int_equal(store_exec(s, "UPDATE matches SET decision = 'different',"
				    " decided_by = 'lan'; UPDATE dedup_keys SET seen = NULL", &e), 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(dedup_link(s, KIND_KS, collect, &got, &st, &e), 0);
	assert_int_equal(st.pending, 1);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.n, 0);
	assert_int_equal(st.decided_different, 1);
	assert_int_equal(store_count(s, "SELECT COUNT(*) FROM matches WHERE decision = 'different'"), 1);
	record_release(&b);
	store_close(s);
	unlink(path);
	char aux[80];
	snprintf(aux, sizeof(aux), "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof(aux), "%s-shm", path);
	unlink(aux);
}

/* ---- the CSV reader ---------------------------------------------------------- */

static void csv_rows_know_their_lines(void **state)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/hotich-csvin-%d.csv", (int)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("\xEF\xBB\xBF" "a,b\r\n"		/* 1: header after a BOM */
	      "1,\"x\r\ny\"\r\n"		/* 2-3: a newline inside quotes */
	      "2,bad\xFF\r\n"			/* 4: invalid UTF-8 */
	      "3,\"a\"b\r\n"			/* 5: text after a closing quote */
	      "'=4, sp \r\n", f);		/* 6: guarded formula, spaces kept */
	fclose(f);
	struct err e = ERR_INIT;
	struct csvin *in = csvin_open(path, &e);
	assert_non_null(in);
	struct csvin_row *r;
	assert_int_equal(csvin_next(in, &r, &e), 1);
	assert_int_equal(r->line, 1);
	assert_string_equal(r->cells[0], "a");
	assert_int_equal(csvin_next(in, &r, &e), 1);
	assert_int_equal(r->line, 2);
	assert_false(r->bad);
	assert_string_equal(r->cells[1], "x\r\ny");
	assert_int_equal(csvin_next(in, &r, &e), 1);
	assert_int_equal(r->line, 4);
	assert_true(r->bad);
	assert_non_null(strstr(r->reason, "UTF-8"));
	assert_int_equal(csvin_next(in, &r, &e), 1);
	assert_int_equal(r->line, 5);
	assert_true(r->bad);
	assert_int_equal(csvin_next(in, &r, &e), 1);
	assert_int_equal(r->line, 6);
	assert_false(r->bad);
	assert_string_equal(csvin_unguard(r->cells[0]), "=4");
	assert_string_equal(r->cells[1], " sp ");
	assert_int_equal(csvin_next(in, &r, &e), 0);
	csvin_close(in);
	unlink(path);
}

struct data_rows {
	struct strbuf sb;
	int rows;
};

static void data_row(char **cells, int n, void *ctx)
{
	struct data_rows *d = ctx;
	d->rows++;
	for (int i = 0; i < n; i++)
		sb_addf(&d->sb, "%s%s", i ? "|" : "", cells[i]);
	sb_addc(&d->sb, ';');
}

/* Data files: header skipped, cells trimmed, quotes honoured, a bad row named. */
static void data_files_read_through_csvin(void **state)
{
	char dir[64], path[96];
	snprintf(dir, sizeof(dir), "/tmp/hotich-data-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/list.csv", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("code,name\r\n10690,Xã Phú Thành \r\n\r\n244,\"Romania (Ru-ma-ni, Lỗ Ma Ni)\"\r\n", f);
	fclose(f);
	setenv("HOTICH_DATA", dir, 1);
	struct data_rows d = {STRBUF_INIT, 0};
	struct err e = ERR_INIT;
	assert_int_equal(csvin_data_load("list.csv", data_row, &d, &e), 0);
	assert_int_equal(d.rows, 2);
	assert_string_equal(sb_str(&d.sb), "10690|Xã Phú Thành;244|Romania (Ru-ma-ni, Lỗ Ma Ni);");
	f = fopen(path, "ab");
	assert_non_null(f);
	fputs("7,bad\xFF\n", f);
	fclose(f);
	assert_int_equal(csvin_data_load("list.csv", data_row, &d, &e), -1);
	assert_non_null(strstr(e.msg, "list.csv' line 5: "));
	struct err e2 = ERR_INIT;
	assert_int_equal(csvin_data_load("absent.csv", data_row, &d, &e2), -1);
	assert_non_null(strstr(e2.msg, "absent.csv"));
	sb_release(&d.sb);
	unsetenv("HOTICH_DATA");
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	dedup_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_and_jaro_winkler),
		cmocka_unit_test(ocr_distance_makes_confusions_cheap),
		cmocka_unit_test(dates_tolerate_swaps_and_one_digit),
		cmocka_unit_test(keys_survive_one_typo),
		cmocka_unit_test(em_recovers_a_known_model),
		cmocka_unit_test(rare_names_weigh_more),
		cmocka_unit_test(decision_different_is_respected),
		cmocka_unit_test(csv_rows_know_their_lines),
		cmocka_unit_test(data_files_read_through_csvin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
