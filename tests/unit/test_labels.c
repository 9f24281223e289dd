/*
 * test_labels: finding printed labels on lines of OCR words (ocr/labels.c),
 * on lines built by hand so each case says exactly what the engine read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ocr/ocr_int.h"

/* A line of the given words, 100 px apart, all read at confidence 90. */
static void line_make(struct ocr_line *l, const char *const *words, size_t n)
{
	memset(l, 0, sizeof(*l));
	l->words = xcalloc(n, sizeof(*l->words));
	l->nwords = l->alloc = n;
	for (size_t i = 0; i < n; i++) {
		l->words[i].text = xstrdup(words[i]);
		l->words[i].fold = text_fold(words[i]);
		l->words[i].box = (struct box){(int)i * 100, 0, 90, 40};
		l->words[i].conf = 90;
	}
	l->box = (struct box){0, 0, (int)n * 100, 40};
}

/* The declarant's name, then "Quan hệ với" cut by the line's end. */
static void test_label_wrapped_at_line_end(void **state)
{
	static const char *const w[] = {"Họ,",  "chữ",  "đệm,", "tên",  "người", "đi",
					"đăng", "ký",   "khai", "sinh:", "Phan", "Thị",
					"Ngọc", "Thoa", "Quan", "hệ",   "với"};
	struct ocr_line l;
	struct label_hit h[8];
	line_make(&l, w, sizeof(w) / sizeof(w[0]));
	size_t n = labels_find(&l, h, 8);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].wraps, 0);
	assert_int_equal(h[0].last, 9);
	/* The name ends before "Quan": the rest of the label is on the next line. */
	assert_int_equal(h[1].key, LB_QUANHE);
	assert_int_equal(h[1].first, 14);
	assert_int_equal(h[1].last, 16);
	assert_int_equal(h[1].wraps, 1);
	ocr_line_release(&l);
}

/* One word like a label's first is not a wrapped label: names end in "Quan". */
static void test_one_word_is_no_wrapped_label(void **state)
{
	static const char *const w[] = {"Họ", "và", "tên", "cha:", "Lê", "Văn", "Quan"};
	struct ocr_line l;
	struct label_hit h[8];
	line_make(&l, w, sizeof(w) / sizeof(w[0]));
	size_t n = labels_find(&l, h, 8);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].wraps, 0);
	assert_int_equal(h[0].key, LB_CHA);
	ocr_line_release(&l);
}

/* A whole label with its colon is found as ever, and does not wrap. */
static void test_whole_label_with_colon(void **state)
{
	static const char *const w[] = {"Ngô", "Xuân", "Thoa", "Quan", "hệ:", "Bà", "nội"};
	struct ocr_line l;
	struct label_hit h[8];
	line_make(&l, w, sizeof(w) / sizeof(w[0]));
	size_t n = labels_find(&l, h, 8);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].key, LB_QUANHE);
	assert_int_equal(h[0].first, 3);
	assert_int_equal(h[0].last, 4);
	assert_int_equal(h[0].wraps, 0);
	ocr_line_release(&l);
}

/* Table titles: fuzzy as read, or out of order with a word lost. */
static void test_table_titles(void **state)
{
	assert_string_equal(labels_table_column(KIND_KS, "Ngày đăng ký"), "ngayDangKy");
	assert_string_equal(labels_table_column(KIND_KS, "đăng Ngày ý"), "ngayDangKy");
	assert_string_equal(labels_table_column(KIND_KS, "Ngày tháng năm đăng"), "ngayDangKy");
	assert_string_equal(labels_table_column(KIND_KS, "Ngày sinh"), "nksNgaySinh");
	assert_string_equal(labels_table_column(KIND_KS, "tên Họ cha"), "chaHoTen");
	/* Cut at its start: a word only one column's titles use names it. */
	assert_string_equal(labels_table_column(KIND_KS, "ày đăng ý"), "ngayDangKy");
	assert_string_equal(labels_table_column(KIND_KS, "ân tộc"), "nksDanToc");
	/* Words of two columns, or only shared ones: no guess. */
	assert_null(labels_table_column(KIND_KS, "Nơi đăng ký"));
	assert_null(labels_table_column(KIND_KS, "ày tháng"));
	/* Two words of three fit two columns: no guess. */
	assert_null(labels_table_column(KIND_KS, "Họ tên"));
	/* A two-word title needs both words. */
	assert_null(labels_table_column(KIND_KS, "sinh xyz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_wrapped_at_line_end),
		cmocka_unit_test(test_one_word_is_no_wrapped_label),
		cmocka_unit_test(test_whole_label_with_colon),
		cmocka_unit_test(test_table_titles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
