/*
 * The review tool's keyboard bytes to characters, with no curses: a stray
 * byte that is not UTF-8 is dropped alone and the next key works (see
 * review.h).  Completed sequences are checked by common/text.c's decoder,
 * so overlong forms and surrogates are dropped too.
 */
#include "review/review.h"

void review_keyin_init(struct review_keyin *k)
{
	k->n = k->need = 0;
}

/* Bytes that follow a lead byte, or -1 when b cannot start a sequence. */
static int follows(unsigned char b)
{
	if (b < 0x80)
		return 0;
	if (b >= 0xC2 && b <= 0xDF)
		return 1;
	if (b >= 0xE0 && b <= 0xEF)
		return 2;
	if (b >= 0xF0 && b <= 0xF4)
		return 3;
	return -1;
}

static int start(struct review_keyin *k, unsigned char b)
{
	int more = follows(b);
	if (more <= 0)
		return more == 0 ? b : -1;
	k->buf[0] = (char)b;
	k->n = 1;
	k->need = more + 1;
	return -1;
}

int review_keyin_byte(struct review_keyin *k, unsigned char b)
{
	if (k->n == 0)
		return start(k, b);
	if ((b & 0xC0) != 0x80) {
		review_keyin_init(k);
		return start(k, b);
	}
	k->buf[k->n++] = (char)b;
	if (k->n < k->need)
		return -1;
	int32_t cp = -1;
	int need = k->need, used = text_decode(k->buf, (size_t)k->n, &cp);
	review_keyin_init(k);
	return used == need ? (int)cp : -1;
}
