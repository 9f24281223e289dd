/*
 * Real pixels where the terminal can show them: the field's crop as a
 * DEC sixel image (libsixel, included here only), 256 grays.  Whether the
 * terminal can is read from its answer to DA1 (ESC [ c): attribute 4 is
 * sixel graphics (xterm -ti vt340, foot, WezTerm, mlterm, Windows Terminal).
 */
#include "review/review.h"

#include <sixel.h>
#include <stdlib.h>
#include <string.h>

int review_da1_sixel(const char *answer)
{
	const char *p = answer ? strstr(answer, "\033[?") : NULL;
	if (!p)
		return 0;
	for (p += 3; *p && *p != 'c';) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			return 0;
		if (v == 4)
			return 1;
		p = *end == ';' ? end + 1 : end;
	}
	return 0;
}

static int sb_write(char *data, int size, void *priv)
{
	sb_add(priv, data, (size_t)size);
	return size;
}

void review_sixel_fit(struct box b, int max_w, int max_h, int *w, int *h)
{
	double s = 1;
	if (b.w > max_w)
		s = (double)max_w / b.w;
	if (b.h * s > max_h)
		s = (double)max_h / b.h;
	*w = (int)(b.w * s) > 0 ? (int)(b.w * s) : 1;
	*h = (int)(b.h * s) > 0 ? (int)(b.h * s) : 1;
}

int review_sixel_encode(const struct raster *img, struct box b, int max_w, int max_h,
			char **out, size_t *len, struct err *e)
{
	int w, h;
	review_sixel_fit(b, max_w, max_h, &w, &h);
	uint8_t *gray = xmalloc((size_t)w * h);
	review_image_gray(img, b, w, h, gray);
	struct strbuf sb = STRBUF_INIT;
	sixel_output_t *o = NULL;
	sixel_dither_t *d = sixel_dither_get(SIXEL_BUILTIN_G8);
	SIXELSTATUS st = d ? sixel_output_new(&o, sb_write, &sb, NULL) : SIXEL_BAD_ALLOCATION;
	if (SIXEL_SUCCEEDED(st)) {
		sixel_dither_set_pixelformat(d, SIXEL_PIXELFORMAT_G8);
		st = sixel_encode(gray, w, h, 8, d, o);
	}
	if (o)
		sixel_output_unref(o);
	if (d)
		sixel_dither_unref(d);
	free(gray);
	if (SIXEL_FAILED(st)) {
		sb_release(&sb);
		return err_set(e, "cannot encode the scan as sixel: %s", sixel_helper_format_error(st));
	}
	*len = sb.len;
	*out = sb_detach(&sb);
	return 0;
}
