/*
 * Length-prefixed frames between the OCR worker and its parent (see
 * ocrpipe.h).  A frame is written with as few write() calls as it takes and
 * read back whole, so a message never arrives torn or interleaved.
 */
#include "pipeline/ocrpipe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int ocrpipe_frame_write(int fd, const char *payload, size_t n)
{
	if (n > OCRPIPE_FRAME_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	/* Header and payload in one buffer: one write() for small frames. */
	char *buf = xmalloc(n + 4);
	buf[0] = (char)(n >> 24);
	buf[1] = (char)(n >> 16);
	buf[2] = (char)(n >> 8);
	buf[3] = (char)n;
	memcpy(buf + 4, payload, n);
	int rc = write_all(fd, buf, n + 4);
	free(buf);
	return rc;
}

void ocrpipe_reader_init(struct ocrpipe_reader *r)
{
	memset(r, 0, sizeof(*r));
}

void ocrpipe_reader_release(struct ocrpipe_reader *r)
{
	free(r->buf);
	ocrpipe_reader_init(r);
}

long ocrpipe_reader_fill(struct ocrpipe_reader *r, int fd)
{
	ALLOC_GROW(r->buf, r->len + 65536, r->cap);
	ssize_t got;
	do
		got = read(fd, r->buf + r->len, r->cap - r->len);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		r->len += (size_t)got;
	return (long)got;
}

static size_t frame_len(const unsigned char *p)
{
	return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

int ocrpipe_reader_next(struct ocrpipe_reader *r, char **payload, size_t *n)
{
	if (r->len < 4)
		return 0;
	size_t len = frame_len((const unsigned char *)r->buf);
	if (len > OCRPIPE_FRAME_MAX)
		return -1;
	if (r->len < len + 4)
		return 0;
	*payload = xstrndup(r->buf + 4, len);
	*n = len;
	memmove(r->buf, r->buf + 4 + len, r->len - 4 - len);
	r->len -= 4 + len;
	return 1;
}

/* Read exactly n bytes: 1, 0 at EOF before the first byte, -1 otherwise. */
static int read_exact(int fd, char *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

int ocrpipe_frame_read(int fd, char **payload, size_t *n)
{
	unsigned char hdr[4];
	int rc = read_exact(fd, (char *)hdr, 4);
	if (rc <= 0)
		return rc;
	size_t len = frame_len(hdr);
	if (len > OCRPIPE_FRAME_MAX)
		return -1;
	char *buf = xmalloc(len + 1);
	if (len && read_exact(fd, buf, len) != 1) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*payload = buf;
	*n = len;
	return 1;
}
