/*
 * libFuzzer target: the CSV reader under import-existing and import-batch.
 * Every row must come back either whole or marked bad with a reason; the
 * reader must never crash, hang or grow without bound.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common.h"
#include "common/csvin.h"

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(path, sizeof(path), "/tmp/hotich-fuzz-csv-%d.csv", (int)getpid());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct err e = ERR_INIT;
	struct csvin *r = csvin_open(path, &e);
	if (!r)
		return 0;
	struct csvin_row *row;
	long last = 0;
	while (csvin_next(r, &row, &e) == 1) {
		/* Lines only move forward; a good row's cells are valid UTF-8. */
		if (row->line < last)
			abort();
		last = row->line;
		for (size_t i = 0; !row->bad && i < row->ncells; i++) {
			if (!text_valid_utf8(row->cells[i], strlen(row->cells[i])))
				abort();
			csvin_unguard(row->cells[i]);
		}
	}
	csvin_close(r);
	return 0;
}
