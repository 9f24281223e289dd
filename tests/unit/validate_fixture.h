/*
 * What the validate/ unit tests share: one validation context for a test
 * group (the repository's data files, a fixed today) and the test of a
 * finding on a record.  Included by test_validate.c and test_accept.c only.
 */
#ifndef HOTICH_TEST_VALIDATE_FIXTURE_H
#define HOTICH_TEST_VALIDATE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/validate.h"

static struct validate_ctx *vc;

/* Group set-up: the data in ./data, today 2025-11-22, and no override in
 * $env_off (a knob the tests must not inherit from the shell). */
static inline int vc_setup(const char *env_off)
{
	struct err e = ERR_INIT;
	setenv("HOTICH_DATA", "data", 0);
	unsetenv(env_off);
	vc = validate_ctx_new(&e);
	if (!vc) {
		fprintf(stderr, "validate_ctx_new: %s\n", e.msg);
		return -1;
	}
	validate_ctx_set_today(vc, 2025, 11, 22);
	return 0;
}

static inline int vc_teardown(void **state)
{
	validate_ctx_free(vc);
	return 0;
}

/* Does r carry a finding code on field (NULL: on any field)? */
static inline int has(const struct record *r, const char *field, const char *code)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].code, code) && (!field || !strcmp(r->findings[i].field, field)))
			return 1;
	return 0;
}

#endif
