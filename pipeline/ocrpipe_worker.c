/*
 * The OCR worker process (`hotich ocr --worker`, started by stage_ocr.c).
 *
 * Reads every job on stdin first, then reads the pages with an OpenMP team:
 * each thread makes one engine and reuses it for every page it takes, and
 * reports on fd 3.  It never touches the database, so when a page kills it
 * the parent loses nothing but the pages in flight.  Messages go out whole
 * under one critical section; a page's memory is freed before the next.
 */
#include "pipeline/ocrpipe.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "ocr/ocr.h"

struct worker_job {
	long long page_id;
	int page_no;
	enum book_kind hint;
	char *path;
};

struct worker {
	struct worker_job *jobs;
	size_t n, cap;
	size_t next;		/* next job to hand out (atomic) */
	int stop;		/* the parent is gone or the worker is broken */
	const char *crash_at, *hang_at;	/* test hooks */
};

static void worker_send(struct worker *w, const char *payload)
{
	int failed;
#pragma omp critical(ocrpipe_send)
	failed = ocrpipe_frame_write(OCRPIPE_RESULT_FD, payload, strlen(payload)) < 0;
	if (failed) {
#pragma omp atomic write
		w->stop = 1;
	}
}

/* "job <page_id> <page_no> <hint> <path>" */
static int job_parse(const char *s, struct worker_job *j)
{
	long long id;
	int page_no, used = 0;
	char hint[4];
	if (sscanf(s, "job %lld %d %3s %n", &id, &page_no, hint, &used) != 3 || !used ||
	    !s[used])
		return -1;
	j->page_id = id;
	j->page_no = page_no;
	j->hint = kind_parse(hint);
	j->path = xstrdup(s + used);
	return 0;
}

static int jobs_read(struct worker *w)
{
	char *payload;
	size_t n;
	int rc;
	while ((rc = ocrpipe_frame_read(0, &payload, &n)) == 1) {
		ALLOC_GROW(w->jobs, w->n + 1, w->cap);
		rc = job_parse(payload, &w->jobs[w->n]);
		free(payload);
		if (rc < 0)
			return -1;
		w->n++;
	}
	return rc;
}

/* Does "<basename>:<page>" name this job? */
static int hook_matches(const char *hook, const struct worker_job *j)
{
	if (!hook || !*hook)
		return 0;
	const char *colon = strrchr(hook, ':');
	const char *base = strrchr(j->path, '/');
	base = base ? base + 1 : j->path;
	return colon && strlen(base) == (size_t)(colon - hook) &&
	       !strncmp(base, hook, (size_t)(colon - hook)) && atoi(colon + 1) == j->page_no;
}

static void hooks_run(const struct worker *w, const struct worker_job *j)
{
	if (hook_matches(w->crash_at, j)) {
		/* A plain crash, even under a sanitizer that would catch it. */
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	while (hook_matches(w->hang_at, j))
		pause();
}

static void page_fail(struct worker *w, const struct worker_job *j, const char *msg)
{
	char *s = xasprintf("fail %lld %s", j->page_id, *msg ? msg : "unknown error");
	worker_send(w, s);
	free(s);
}

static void page_read(struct worker *w, struct ocr_engine *eng, const struct worker_job *j)
{
	struct err e = ERR_INIT;
	struct raster r = {0};
	struct ocr_page pg;
	memset(&pg, 0, sizeof(pg));
	char *msg = xasprintf("start %lld", j->page_id);
	worker_send(w, msg);
	free(msg);
	hooks_run(w, j);
	if (ingest_page_load(j->path, j->page_no, &r, &e) < 0 ||
	    ocr_page_read(eng, &r, j->hint, &pg, &e) < 0) {
		page_fail(w, j, e.msg);
		goto out;
	}
	char *json = ocrpipe_page_to_json(&pg);
	if (!json) {
		page_fail(w, j, "cannot encode the page's result (invalid UTF-8)");
		goto out;
	}
	msg = xasprintf("done %lld %s", j->page_id, json);
	free(json);
	worker_send(w, msg);
	free(msg);
out:
	ocr_page_release(&pg);
	raster_release(&r);
}

/* One thread: one engine, reused for every page the thread takes. */
static void thread_run(struct worker *w)
{
	struct err e = ERR_INIT;
	struct ocr_options opt = {0};
	struct ocr_engine *eng = ocr_engine_new(&opt, &e);
	if (!eng) {
		char *msg = xasprintf("fatal cannot start the OCR engine: %s", e.msg);
		worker_send(w, msg);
		free(msg);
#pragma omp atomic write
		w->stop = 1;
		return;
	}
	for (;;) {
		size_t i;
		int stop;
#pragma omp atomic capture
		i = w->next++;
#pragma omp atomic read
		stop = w->stop;
		if (stop || i >= w->n)
			break;
		page_read(w, eng, &w->jobs[i]);
	}
	ocr_engine_free(eng);
}

int ocrpipe_worker_main(int threads)
{
	struct worker w;
	memset(&w, 0, sizeof(w));
	int rc = jobs_read(&w);
	if (rc < 0) {
		ocrpipe_frame_write(OCRPIPE_RESULT_FD, "fatal bad job list", 18);
		return EXIT_FATAL;
	}
	if (w.n == 0)
		return EXIT_OK;
	w.crash_at = getenv("HOTICH_TEST_CRASH_PAGE");
	w.hang_at = getenv("HOTICH_TEST_HANG_PAGE");
	ingest_init();
	if (threads < 1)
		threads = 1;
	if ((size_t)threads > w.n && w.n > 0)
		threads = (int)w.n;
#pragma omp parallel num_threads(threads)
	thread_run(&w);
	for (size_t i = 0; i < w.n; i++)
		free(w.jobs[i].path);
	free(w.jobs);
	return w.stop ? EXIT_FATAL : EXIT_OK;
}
