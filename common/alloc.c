/* Allocation that dies on failure, errors with first-wins semantics, log. */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

enum log_level log_level = LOG_INFO;

static void die_oom(size_t n)
{
	fprintf(stderr, "hotich: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *p = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(p, n > 0 ? (size_t)n + 1 : 1, fmt, again);
	va_end(again);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int err_set(struct err *e, const char *fmt, ...)
{
	if (!e || e->code)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = -1;
	return -1;
}

void err_clear(struct err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

/* C0, DEL, or a C1 control (U+0080..U+009F, C2 80..C2 9F in UTF-8). */
static int control_len(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7F)
		return 1;
	return p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F ? 2 : 0;
}

void log_vline(const char *prefix, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, prefix);
	for (const unsigned char *p = (const unsigned char *)msg; *p;) {
		int n = control_len(p);
		if (!n) {
			sb_addc(&sb, (char)*p++);
			continue;
		}
		for (int k = 0; k < n; k++)
			sb_addf(&sb, "\\x%02X", *p++);
	}
	sb_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stderr);
	sb_release(&sb);
	free(msg);
}

static void log_v(enum log_level lvl, const char *fmt, va_list ap)
{
	if (log_level < lvl)
		return;
	log_stamp();
	log_vline("hotich: ", fmt, ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void log_linef(const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vline(prefix, fmt, ap);
	va_end(ap);
}

void log_stamp(void)
{
	char now[32];
	time_iso_now(now);
	fputs(now, stderr);
	fputc(' ', stderr);
}
