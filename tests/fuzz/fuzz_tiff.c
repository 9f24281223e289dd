/*
 * libFuzzer target: TIFF ingest.  Each input is written to a file and taken
 * through what `hotich run` does with a scanned book: scan it (hash, list
 * pages, bounds) and decode every page the scan accepted.  Must never crash,
 * hang, leak or read out of bounds, whatever the bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/common.h"
#include "ingest/ingest.h"

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ingest_init();
	snprintf(path, sizeof(path), "/tmp/hotich-fuzz-tiff-%d.tif", (int)getpid());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct ingest_book_info info;
	struct err e = ERR_INIT;
	/* ingest_scan fills info even when it fails: always release it. */
	if (ingest_scan(path, &info, &e) == 0) {
		for (int i = 0; i < info.npages && i < 4; i++) {
			if (info.pages[i].error)
				continue;
			struct raster r = {0};
			struct err pe = ERR_INIT;
			if (ingest_page_load(path, info.pages[i].page_no, &r, &pe) == 0)
				raster_release(&r);
		}
	}
	ingest_book_info_release(&info);
	return 0;
}
