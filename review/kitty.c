/*
 * Real pixels in terminals that speak kitty's graphics protocol (kitty,
 * WezTerm, Ghostty, Konsole), where sixel is not offered: the field's crop
 * as 24-bit RGB, base64 in APC chunks of at most 4096 bytes
 * (ESC _ G a=T,f=24,s=W,v=H,m=1 ; DATA ESC \, then m=1 ... m=0).  Such a
 * terminal is named by its environment; no query is needed.
 */
#include "review/review.h"

#include <stdlib.h>
#include <string.h>

#define KITTY_CHUNK 4096	/* the protocol's limit for one chunk's data */

const char review_kitty_clear[] = "\033_Ga=d,q=2\033\\";

int review_kitty_terminal(void)
{
	const char *term = getenv("TERM"), *prog = getenv("TERM_PROGRAM");
	if (getenv("KITTY_WINDOW_ID") || (term && strstr(term, "kitty")))
		return 1;
	if (term && strstr(term, "ghostty"))
		return 1;
	if (prog && (!strcmp(prog, "WezTerm") || !strcmp(prog, "ghostty")))
		return 1;
	return getenv("KONSOLE_VERSION") != NULL;
}

static void base64_add(struct strbuf *sb, const uint8_t *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		sb_addc(sb, tab[v >> 18 & 63]);
		sb_addc(sb, tab[v >> 12 & 63]);
		sb_addc(sb, i + 1 < n ? tab[v >> 6 & 63] : '=');
		sb_addc(sb, i + 2 < n ? tab[v & 63] : '=');
	}
}

char *review_kitty_encode(const struct raster *img, struct box b, int max_w, int max_h,
			  size_t *len)
{
	int w, h;
	review_sixel_fit(b, max_w, max_h, &w, &h);
	size_t n = (size_t)w * h;
	uint8_t *gray = xmalloc(n), *rgb = xmalloc(3 * n);
	review_image_gray(img, b, w, h, gray);
	for (size_t i = 0; i < n; i++)
		rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
	free(gray);
	struct strbuf data = STRBUF_INIT, sb = STRBUF_INIT;
	base64_add(&data, rgb, 3 * n);
	free(rgb);
	for (size_t off = 0; off < data.len || off == 0; off += KITTY_CHUNK) {
		size_t k = data.len - off < KITTY_CHUNK ? data.len - off : KITTY_CHUNK;
		int more = off + k < data.len;
		if (off == 0)
			sb_addf(&sb, "\033_Ga=T,f=24,s=%d,v=%d,q=2,m=%d;", w, h, more);
		else
			sb_addf(&sb, "\033_Gm=%d;", more);
		sb_add(&sb, data.buf + off, k);
		sb_adds(&sb, "\033\\");
		if (!more)
			break;
	}
	sb_release(&data);
	*len = sb.len;
	return sb_detach(&sb);
}
