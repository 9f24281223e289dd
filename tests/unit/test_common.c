/* Unit tests: common/ (text, hashing, strbuf, record model, columns). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/common.h"
#include "common/record.h"

static void nfc_composes_decomposed_input(void **state)
{
	/* "Nguyễn" with e + circumflex + tilde as combining marks (NFD). */
	char *s = text_nfc("Nguye\xCC\x82\xCC\x83n");
	assert_string_equal(s, "Nguyễn");
	free(s);
}

static void fold_drops_marks_and_d_stroke(void **state)
{
	char *s = text_fold("  ĐẶNG   Thị Thuỳ ");
	assert_string_equal(s, "dang thi thuy");
	free(s);
	char *a = text_fold("Thùy"), *b = text_fold("Thuỳ");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void fold_keeps_huynh_and_hoang_apart(void **state)
{
	char *a = text_fold("Huỳnh"), *b = text_fold("Hoàng");
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void title_case_vietnamese(void **state)
{
	char *s = text_title("NGUYỄN THỊ THUỲ DƯƠNG");
	assert_string_equal(s, "Nguyễn Thị Thuỳ Dương");
	free(s);
}

static void invalid_utf8_is_replaced_not_lost(void **state)
{
	char *s = text_nfc("ab\xff" "cd");
	assert_string_equal(s, "ab\xEF\xBF\xBD" "cd");
	free(s);
	assert_false(text_valid_utf8("ab\xff", 3));
	assert_true(text_valid_utf8("Việt", strlen("Việt")));
}

static void distance_counts_code_points(void **state)
{
	assert_int_equal(text_distance("Nguyễn", "Nguyên"), 1);
	assert_int_equal(text_distance("", "abc"), 3);
	assert_int_equal(text_distance("Võ", "Vũ"), 1);
}

/* Lengths need not end at a NUL; long keys leave the stack buffers. */
static void distance_over_lengths_and_long_keys(void **state)
{
	assert_int_equal(text_distance_n("ngay sinh", 4, "ngan", 4), 1);
	assert_int_equal(text_distance_n("Nguyễn", strlen("Nguyễn"), "Nguyen", 6), 1);
	char a[301], b[301];
	memset(a, 'a', 300);
	memset(b, 'a', 300);
	a[300] = b[300] = 0;
	b[7] = 'b';
	b[299] = 'c';
	assert_int_equal(text_distance(a, b), 2);
	assert_int_equal(text_distance(a, "aaa"), 297);
}

/* Every length of UTF-8, U+10FFFF included, encodes and decodes back. */
static void utf8_encode_round_trips(void **state)
{
	static const int32_t cps[] = {0x41, 0xE9, 0x1EC5, 0x20AC, 0x1F600, 0x2070E, 0x10FFFF};
	static const int lens[] = {1, 2, 3, 3, 4, 4, 4};
	for (size_t i = 0; i < sizeof(cps) / sizeof(*cps); i++) {
		char buf[4];
		int32_t back = 0;
		assert_int_equal(text_encode(cps[i], buf), lens[i]);
		assert_int_equal(text_decode(buf, (size_t)lens[i], &back), lens[i]);
		assert_int_equal(back, cps[i]);
	}
	struct strbuf sb = STRBUF_INIT;
	sb_add_cp(&sb, 0x1F600);
	assert_string_equal(sb_str(&sb), "\xF0\x9F\x98\x80");
	assert_true(text_valid_utf8(sb.buf, sb.len));
	sb_release(&sb);
}

/* text_next walks code points of every length and stops at a bad byte. */
static void text_next_steps_and_stops(void **state)
{
	const char *s = "aễ\xF0\x9F\x98\x80\xFFz";
	size_t i = 0, len = strlen(s);
	int32_t cp, got[4];
	int n = 0;
	while (n < 4 && text_next(s, len, &i, &cp))
		got[n++] = cp;
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 'a');
	assert_int_equal(got[1], 0x1EC5);
	assert_int_equal(got[2], 0x1F600);
	assert_int_equal(i, 8);	/* at the bad byte */
	i = len;
	assert_int_equal(text_next(s, len, &i, &cp), 0);
}

/* A surrogate or a value past U+10FFFF is never written as bad UTF-8. */
static void utf8_encode_replaces_non_scalars(void **state)
{
	static const int32_t bad[] = {0xD800, 0xDFFF, 0x110000, -1};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char buf[4];
		assert_int_equal(text_encode(bad[i], buf), 3);
		assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
	}
}

/* The fixtures promise the same bytes for a seed: the stream must not drift. */
static void rng_stream_is_fixed(void **state)
{
	static const uint64_t want[] = {0xb3f2af6d0fc710c5ull, 0x853b559647364ceaull,
					0x92f89756082a4514ull};
	struct rng r, q;
	rng_seed(&r, 1);
	for (size_t i = 0; i < 3; i++)
		assert_true(rng_next(&r) == want[i]);
	rng_seed(&q, rng_mix(1, 2));
	rng_seed(&r, rng_mix(1, 3));
	assert_true(rng_next(&q) != rng_next(&r));
	for (int i = 0; i < 1000; i++) {
		double u = rng_unit(&r);
		assert_true(u >= 0 && u < 1);
	}
}

static void sha256_of_abc(void **state)
{
	char hex[SHA256_HEX_LEN + 1];
	sha256_buf("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void strbuf_grows(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	assert_true(sb.len > 3000);
	assert_int_equal(strncmp(sb.buf, "0,1,2,", 6), 0);
	sb_release(&sb);
}

static void columns_match_spec_counts(void **state)
{
	size_t n;
	columns_of(KIND_KS, &n);
	assert_int_equal(n, 70);
	columns_of(KIND_KH, &n);
	assert_int_equal(n, 44);
	columns_of(KIND_KT, &n);
	assert_int_equal(n, 48);
	assert_int_equal(column_index(KIND_KS, "STT"), 0);
	assert_int_equal(column_index(KIND_KS, "so"), 1);
	assert_int_equal(column_index(KIND_KH, "so"), 0);
	assert_int_equal(column_index(KIND_KH, "nksHoTen"), -1);
	assert_int_equal(kind_parse("kt"), KIND_KT);
	assert_int_equal(kind_parse("xx"), KIND_NONE);
}

static void record_fields_and_findings(void **state)
{
	struct record r;
	record_init(&r, KIND_KS);
	record_set_raw(&r, "nksHoTen", "NGUYỄN VĂN AN");
	record_set_value(&r, "nksHoTen", "Nguyễn Văn An");
	record_set_raw(&r, "nksGioiTinh", "Nam");
	assert_string_equal(record_raw(&r, "nksHoTen"), "NGUYỄN VĂN AN");
	assert_string_equal(record_value(&r, "nksHoTen"), "Nguyễn Văn An");
	assert_string_equal(record_value(&r, "nksGioiTinh"), "");
	assert_string_equal(record_raw(&r, "absent"), "");
	assert_false(record_has_errors(&r));
	record_add_finding(&r, "nksNgaySinh", "date_invalid", SEV_ERROR, "ngày %d không có", 30);
	assert_true(record_has_errors(&r));
	assert_string_equal(r.findings[0].message, "ngày 30 không có");
	record_release(&r);
}

static int drop_in_column(const struct finding *f, const void *col)
{
	return !strcmp(f->field, col);
}

/* Dropping a column's findings keeps dedup's and the order of the rest. */
static void drop_findings_keeps_dedups(void **state)
{
	assert_true(finding_is_dedup("duplicate_existing", NULL));
	assert_true(finding_is_dedup("possible_duplicate", "batch"));
	assert_false(finding_is_dedup("possible_duplicate", NULL));
	assert_false(finding_is_dedup("date_invalid", NULL));
	struct record r;
	record_init(&r, KIND_KS);
	record_add_finding(&r, "nksNgaySinh", "date_invalid", SEV_ERROR, "a");
	record_add_finding(&r, "nksHoTen", "name_suspect", SEV_WARNING, "b");
	struct finding *d = record_add_finding(&r, "nksNgaySinh", "possible_duplicate",
					       SEV_WARNING, "c");
	d->match_source = xstrdup("existing");
	record_add_finding(&r, "nksNgaySinh", "date_implausible", SEV_WARNING, "d");
	record_add_finding(&r, "", "duplicate_batch", SEV_ERROR, "e");
	record_drop_findings(&r, drop_in_column, "nksNgaySinh");
	assert_int_equal(r.nfindings, 3);
	assert_string_equal(r.findings[0].code, "name_suspect");
	assert_string_equal(r.findings[1].code, "possible_duplicate");
	assert_string_equal(r.findings[2].code, "duplicate_batch");
	record_release(&r);
}

static void err_first_wins(void **state)
{
	struct err e = ERR_INIT;
	assert_int_equal(err_set(&e, "first %d", 1), -1);
	err_set(&e, "second");
	assert_string_equal(e.msg, "first 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nfc_composes_decomposed_input),
		cmocka_unit_test(fold_drops_marks_and_d_stroke),
		cmocka_unit_test(fold_keeps_huynh_and_hoang_apart),
		cmocka_unit_test(title_case_vietnamese),
		cmocka_unit_test(invalid_utf8_is_replaced_not_lost),
		cmocka_unit_test(distance_counts_code_points),
		cmocka_unit_test(distance_over_lengths_and_long_keys),
		cmocka_unit_test(utf8_encode_round_trips),
		cmocka_unit_test(utf8_encode_replaces_non_scalars),
		cmocka_unit_test(text_next_steps_and_stops),
		cmocka_unit_test(rng_stream_is_fixed),
		cmocka_unit_test(sha256_of_abc),
		cmocka_unit_test(strbuf_grows),
		cmocka_unit_test(columns_match_spec_counts),
		cmocka_unit_test(record_fields_and_findings),
		cmocka_unit_test(drop_findings_keeps_dedups),
		cmocka_unit_test(err_first_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
