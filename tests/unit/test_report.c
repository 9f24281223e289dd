/* Unit tests: report/ (the gaps in a book's entry numbers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "report/report.h"

static void gaps_are_listed_as_ranges(void **state)
{
	(void)state;
	const long long nums[] = {1, 2, 4, 7, 8, 20};
	long long missing;
	char *g = report_gaps(nums, 6, 40, &missing);
	assert_string_equal(g, "3, 5-6, 9-19");
	assert_int_equal(missing, 1 + 2 + 11);
	free(g);
	g = report_gaps(nums, 6, 2, &missing); /* only the first two listed */
	assert_string_equal(g, "3, 5-6, ...");
	assert_int_equal(missing, 14);
	free(g);
	g = report_gaps(nums, 2, 40, &missing);
	assert_string_equal(g, "");
	assert_int_equal(missing, 0);
	free(g);
	g = report_gaps(NULL, 0, 40, &missing);
	assert_string_equal(g, "");
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gaps_are_listed_as_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
