/*
 * Raster plumbing: release, turning a page upright by its TIFF orientation
 * tag, and dropping colour a page does not have.
 */
#include "ingest/internal.h"

#include <stdlib.h>
#include <string.h>

void raster_release(struct raster *r)
{
	if (!r)
		return;
	free(r->data);
	memset(r, 0, sizeof(*r));
}

static void flip_rows(struct raster *r)
{
	size_t stride = (size_t)r->width * r->channels;
	uint8_t *tmp = xmalloc(stride);
	for (int y = 0; y < r->height / 2; y++) {
		uint8_t *a = r->data + y * stride, *b = r->data + (r->height - 1 - y) * stride;
		memcpy(tmp, a, stride);
		memcpy(a, b, stride);
		memcpy(b, tmp, stride);
	}
	free(tmp);
}

static void flip_columns(struct raster *r)
{
	int ch = r->channels;
	for (int y = 0; y < r->height; y++) {
		uint8_t *row = r->data + (size_t)y * r->width * ch;
		for (int x = 0; x < r->width / 2; x++) {
			uint8_t *a = row + (size_t)x * ch, *b = row + (size_t)(r->width - 1 - x) * ch;
			for (int k = 0; k < ch; k++) {
				uint8_t t = a[k];
				a[k] = b[k];
				b[k] = t;
			}
		}
	}
}

/*
 * Orientations 5..8 store the page sideways: stored row r, column c lands
 * on displayed row c (or W-1-c) and column r (or H-1-r).
 */
static int transpose(struct raster *r, int o)
{
	int w = r->width, h = r->height, ch = r->channels;
	uint8_t *dst = malloc((size_t)w * h * ch);
	if (!dst)
		return -1;
	int rev_rows = o == ORIENTATION_RIGHTBOT || o == ORIENTATION_LEFTBOT;
	int rev_cols = o == ORIENTATION_RIGHTTOP || o == ORIENTATION_RIGHTBOT;
	for (int y = 0; y < h; y++) {
		const uint8_t *src = r->data + (size_t)y * w * ch;
		int dc = rev_cols ? h - 1 - y : y;
		for (int x = 0; x < w; x++) {
			int dr = rev_rows ? w - 1 - x : x;
			memcpy(dst + ((size_t)dr * h + dc) * ch, src + (size_t)x * ch, ch);
		}
	}
	free(r->data);
	r->data = dst;
	r->width = h;
	r->height = w;
	return 0;
}

int raster_orient(struct raster *r, int o)
{
	switch (o) {
	case ORIENTATION_TOPRIGHT:
		flip_columns(r);
		return 0;
	case ORIENTATION_BOTRIGHT:
		flip_rows(r);
		flip_columns(r);
		return 0;
	case ORIENTATION_BOTLEFT:
		flip_rows(r);
		return 0;
	case ORIENTATION_LEFTTOP:
	case ORIENTATION_RIGHTTOP:
	case ORIENTATION_RIGHTBOT:
	case ORIENTATION_LEFTBOT:
		return transpose(r, o);
	}
	return 0;
}

void raster_collapse_gray(struct raster *r)
{
	if (r->channels != 3)
		return;
	size_t n = (size_t)r->width * r->height;
	const uint8_t *p = r->data;
	for (size_t i = 0; i < n; i++, p += 3)
		if (p[0] != p[1] || p[1] != p[2])
			return;
	for (size_t i = 0; i < n; i++)
		r->data[i] = r->data[3 * i];
	r->channels = 1;
	uint8_t *smaller = realloc(r->data, n);
	if (smaller)
		r->data = smaller;
}
