/*
 * A decoded page image as the stages pass it on: ingest/ decodes into it,
 * ocr/ reads it, review/ draws it in the terminal, fixtures/ renders it.
 * Plain memory, no library's type, so no module needs another's library.
 */
#ifndef HOTICH_RASTER_H
#define HOTICH_RASTER_H

#include <stdint.h>

/* 8-bit gray (channels 1) or 8-bit RGB (channels 3). */
struct raster {
	int width, height, channels;
	uint8_t *data;		/* row-major, width * channels bytes a row; owned */
	double xres, yres;	/* dpi; 0 when the file does not say */
};
/* Free the pixels and zero r; NULL and a zeroed raster are fine. */
void raster_release(struct raster *r);

#endif
