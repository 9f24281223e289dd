/*
 * Progress of a long stage on stderr: a bar redrawn in place on a terminal;
 * in a log (cron, nohup) a plain line every ~10 s or every 10 % instead, so
 * the log stays readable and still shows that the night is moving.
 */
#include "pipeline/ocrpipe.h"

#include <stdio.h>
#include <unistd.h>

#define LINE_EVERY_S 10.0
#define BAR_WIDTH 30

void ocrpipe_progress_init(struct ocrpipe_progress *pg, const char *label, long long total)
{
	pg->label = label;
	pg->total = total;
	pg->done = 0;
	pg->t0 = pg->last_line = time_now();
	pg->last_decile = 0;
	pg->tty = isatty(2);
	pg->drawn = 0;
	pg->last_draw = 0;
	pg->drawn_done = -1;
}

double ocrpipe_progress_rate(const struct ocrpipe_progress *pg)
{
	double dt = time_now() - pg->t0;
	return dt > 0 ? (double)pg->done / dt : 0;
}

/* "1:02:03 left", "4:05 left", or "" while there is nothing to go on. */
static void eta_format(const struct ocrpipe_progress *pg, char *out, size_t n)
{
	double rate = ocrpipe_progress_rate(pg);
	out[0] = '\0';
	if (rate <= 0 || pg->done >= pg->total)
		return;
	long s = (long)((double)(pg->total - pg->done) / rate + 0.5);
	if (s >= 3600)
		snprintf(out, n, ", %ld:%02ld:%02ld left", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, n, ", %ld:%02ld left", s / 60, s % 60);
}

static void bar_draw(struct ocrpipe_progress *pg)
{
	char eta[40], bar[BAR_WIDTH + 1];
	int fill = pg->total ? (int)(pg->done * BAR_WIDTH / pg->total) : BAR_WIDTH;
	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[BAR_WIDTH] = '\0';
	eta_format(pg, eta, sizeof(eta));
	fprintf(stderr, "\r\033[K%s [%s] %lld/%lld pages, %.2f pages/s%s", pg->label, bar,
		pg->done, pg->total, ocrpipe_progress_rate(pg), eta);
	fflush(stderr);
	pg->drawn = 1;
	pg->drawn_done = pg->done;
	pg->last_draw = time_now();
}

static void line_print(struct ocrpipe_progress *pg)
{
	char eta[40];
	eta_format(pg, eta, sizeof(eta));
	log_stamp();
	fprintf(stderr, "%s: %lld/%lld pages (%lld%%), %.2f pages/s%s\n", pg->label, pg->done,
		pg->total, pg->total ? pg->done * 100 / pg->total : 100,
		ocrpipe_progress_rate(pg), eta);
	pg->last_line = time_now();
}

void ocrpipe_progress_tick(struct ocrpipe_progress *pg, long long done)
{
	pg->done = done;
	if (log_level == LOG_QUIET)
		return;
	if (pg->tty) {
		/* Redraw on news, else once a second for the rate and time left. */
		double now = time_now();
		if (!pg->drawn || done != pg->drawn_done || now - pg->last_draw >= 1.0)
			bar_draw(pg);
		return;
	}
	int decile = pg->total ? (int)(done * 10 / pg->total) : 10;
	if (decile > pg->last_decile || time_now() - pg->last_line >= LINE_EVERY_S) {
		pg->last_decile = decile;
		line_print(pg);
	}
}

void ocrpipe_progress_clear(struct ocrpipe_progress *pg)
{
	if (pg->drawn) {
		fputs("\r\033[K", stderr);
		pg->drawn = 0;
	}
}

void ocrpipe_progress_finish(struct ocrpipe_progress *pg)
{
	if (log_level == LOG_QUIET)
		return;
	if (pg->tty) {
		bar_draw(pg);
		fputc('\n', stderr);
		pg->drawn = 0;
	} else if (pg->last_decile < 10) {
		line_print(pg);
	}
}
