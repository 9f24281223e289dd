/*
 * The OCR stage, parent side: the one writer of the database.
 *
 * Starts a worker process (ocrpipe_worker.c, by exec so that it begins with
 * no OpenMP, Tesseract or SQLite state of ours), hands it the pending pages,
 * and commits each page's result, as it arrives, in one transaction with the
 * page's status.  A page stays 'new' until then, so a kill -9 of the whole
 * run loses only the pages in flight, and the same command finishes them.
 *
 * Crash accounting: the worker says when it starts a page.  When the worker
 * dies of a signal, every page then in flight gets an attempt; a page in
 * flight during two crashes is failed.  Suspects (pages with an attempt) are
 * read next in a one-thread worker, alone, so an innocent neighbour is
 * cleared and the guilty page is caught.  A page that takes longer than the
 * time limit is failed at once and its worker killed.  Either way a new
 * worker goes on with the rest.
 */
#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline/ocrpipe.h"
#include "ocr/ocr.h"
#include "store/store.h"

extern char **environ;

#define POLL_TICK_MS 1000
#define CRASHES_TO_FAIL 2
/* A worker silent this long with no page on the clock (stopped before it
 * began one) is killed; at least the time an engine takes to load. */
#define SILENT_MIN_S 30

enum slot_state { SLOT_PENDING, SLOT_FLIGHT, SLOT_DONE };

struct slot {
	enum slot_state st;
	int timed_out;
	double started;
};

struct ocr_run {
	struct store *s;
	const struct stage_ocr_options *opt;
	struct stage_counts *c;
	struct store_job *jobs;
	size_t n;
	struct slot *slots;
	size_t *by_id;		/* job indices sorted by page_id */
	size_t *flight;		/* job indices in flight (a few: one a thread) */
	size_t nflight, flight_cap;
	size_t resolved;
	int threads;
	char *ocr_json;
	struct ocrpipe_progress pg;
};

struct worker_proc {
	pid_t pid;
	int to, from;		/* its stdin, its fd 3 */
	int resolved;		/* pages it finished */
	int killed;		/* by us, for a time limit */
	int silent;		/* killed for saying nothing with no page on the clock */
	int fatal;
	int status;		/* from waitpid */
};

void stage_ocr_options_init(struct stage_ocr_options *o)
{
	o->threads = 0;
	o->page_timeout = 120;
	o->kind = KIND_NONE;
	o->retry_failed = 0;
	o->cmd = "ocr";
}

/* ---- the job table -------------------------------------------------------- */

static const struct ocr_run *sort_run;

static int by_id_cmp(const void *a, const void *b)
{
	long long x = sort_run->jobs[*(const size_t *)a].page_id;
	long long y = sort_run->jobs[*(const size_t *)b].page_id;
	return (x > y) - (x < y);
}

static void jobs_index(struct ocr_run *run)
{
	run->by_id = xcalloc(run->n + 1, sizeof(*run->by_id));
	for (size_t i = 0; i < run->n; i++)
		run->by_id[i] = i;
	sort_run = run;
	qsort(run->by_id, run->n, sizeof(*run->by_id), by_id_cmp);
	sort_run = NULL;
}

/* The job of page_id, or -1 when the worker names a page we did not send. */
static long job_find(const struct ocr_run *run, long long page_id)
{
	size_t lo = 0, hi = run->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		long long id = run->jobs[run->by_id[mid]].page_id;
		if (id == page_id)
			return (long)run->by_id[mid];
		if (id < page_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const char *job_book(const struct store_job *j)
{
	const char *slash = strrchr(j->path, '/');
	return slash ? slash + 1 : j->path;
}

static enum book_kind job_hint(const struct ocr_run *run, const struct store_job *j)
{
	return run->opt->kind != KIND_NONE ? (enum book_kind)run->opt->kind : kind_parse(j->kind);
}

/* Engine, models and parameters, stored with every record. */
static char *ocr_json_build(const struct ocr_run *run)
{
	char *models = ocr_models_json();
	json_t *m = models ? json_loads(models, 0, NULL) : NULL;
	free(models);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:{s:i, s:i, s:s}}",
			      "program", hotich_version(), "engine", ocr_engine_version(),
			      "engine_settings", ocr_engine_settings(),
			      "models", m ? m : json_object(), "params", "threads", run->threads,
			      "page_timeout", run->opt->page_timeout, "kind",
			      run->opt->kind == KIND_NONE ? "auto" : kind_code(run->opt->kind));
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	char *out = xstrdup(s ? s : "{}");
	free(s);
	return out;
}

/* ---- outcomes of a page ---------------------------------------------------- */

static void flight_add(struct ocr_run *run, size_t i)
{
	if (run->slots[i].st == SLOT_FLIGHT)
		return;
	run->slots[i].st = SLOT_FLIGHT;
	run->slots[i].started = time_now();
	ALLOC_GROW(run->flight, run->nflight + 1, run->flight_cap);
	run->flight[run->nflight++] = i;
}

static void flight_remove(struct ocr_run *run, size_t i)
{
	for (size_t k = 0; k < run->nflight; k++)
		if (run->flight[k] == i) {
			run->flight[k] = run->flight[--run->nflight];
			return;
		}
}

static void slot_resolve(struct ocr_run *run, size_t i)
{
	flight_remove(run, i);
	run->slots[i].st = SLOT_DONE;
	run->resolved++;
	run->c->pages++;
	ocrpipe_progress_tick(&run->pg, (long long)run->resolved);
}

static void page_report(struct ocr_run *run, size_t i, const char *reason, const char *note)
{
	const struct store_job *j = &run->jobs[i];
	ocrpipe_progress_clear(&run->pg);
	stage_warnf(run->c->warn, run->c->warn_ctx, "page %d of '%s' failed: %s%s", j->page_no,
		    job_book(j), reason, note);
	run->c->failed++;
	slot_resolve(run, i);
}

/* Set by Ctrl-C (SIGINT) while pages are read: the loop stops; what is
 * committed stays, and the same command reads the rest. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

int stage_ocr_interrupted(void)
{
	return interrupted;
}

/* --verbose: one line a page, for the night's log. */
static void page_log(struct ocr_run *run, const struct store_job *j, const struct ocrpipe_page *p)
{
	if (log_level < LOG_DEBUG)
		return;
	ocrpipe_progress_clear(&run->pg);
	log_stamp();
	log_linef("", "%s: '%s' page %d: %zu records, %.2f s%s", run->opt->cmd, job_book(j),
		  j->page_no, p->nrecs, p->ms / 1000.0, p->blank ? " (blank)" : "");
}

/* A page that cannot be read: recorded, named, and the night goes on. */
static int page_failed(struct ocr_run *run, size_t i, const char *reason, struct err *e)
{
	if (store_page_fail(run->s, run->jobs[i].page_id, reason, e) < 0)
		return -1;
	page_report(run, i, reason, "");
	return 0;
}

/*
 * A page the engine lost (timed out, crashed) may read next time, on a
 * machine less busy or with a longer --page-timeout: the next run tries it
 * again, up to STAGE_OCR_TRIES runs.
 */
static int page_lost(struct ocr_run *run, size_t i, const char *reason, struct err *e)
{
	const struct store_job *j = &run->jobs[i];
	char note[128];
	if (store_page_lost(run->s, j->page_id, reason, e) < 0)
		return -1;
	if (j->tries + 1 < STAGE_OCR_TRIES)
		snprintf(note, sizeof(note), " (try %d of %d: the next run reads it again)",
			 j->tries + 1, STAGE_OCR_TRIES);
	else
		snprintf(note, sizeof(note), " (given up after %d tries: --retry-failed reads it "
			 "again)", j->tries + 1);
	page_report(run, i, reason, note);
	return 0;
}

/* Kinds: --kind wins; else the page's title; else the book's. */
static enum book_kind page_kind(const struct ocr_run *run, size_t i, const struct ocrpipe_page *p)
{
	if (run->opt->kind != KIND_NONE)
		return (enum book_kind)run->opt->kind;
	return p->kind != KIND_NONE ? p->kind : job_hint(run, &run->jobs[i]);
}

static int page_store(struct ocr_run *run, size_t i, struct ocrpipe_page *p, struct err *e)
{
	const struct store_job *j = &run->jobs[i];
	enum book_kind kind = page_kind(run, i, p);
	if (kind == KIND_NONE && p->nrecs)
		return page_failed(run, i, "cannot tell the book kind from the page (give --kind)", e);
	for (size_t k = 0; k < p->nrecs; k++)
		if (run->opt->kind != KIND_NONE || p->recs[k].kind == KIND_NONE)
			p->recs[k].kind = kind;
	char fmt[2] = {p->format, '\0'};
	struct page_result pr = {
		.page_id = j->page_id, .book_id = j->book_id,
		.status = p->blank ? PAGE_BLANK : PAGE_DONE,
		.printed_page = p->printed_page,
		.kind = p->blank || kind == KIND_NONE ? NULL : kind_code(kind),
		.format = p->format ? fmt : NULL, .book_no = p->book_no, .office = p->office,
		.ocr_ms = p->ms, .ms_pre = p->ms_pre, .ms_layout = p->ms_layout,
		.ms_values = p->ms_values, .ocr_json = run->ocr_json, .recs = p->recs, .nrecs = p->nrecs,
	};
	if (store_page_commit(run->s, &pr, e) < 0)
		return -1;
	run->c->records += (long long)p->nrecs;
	run->c->blank += p->blank != 0;
	page_log(run, j, p);
	slot_resolve(run, i);
	return 0;
}

static int page_done(struct ocr_run *run, size_t i, const char *json, struct err *e)
{
	struct ocrpipe_page p;
	struct err pe = ERR_INIT;
	if (ocrpipe_page_from_json(json, &p, &pe) < 0)
		return page_failed(run, i, pe.msg, e);
	int rc = page_store(run, i, &p, e);
	ocrpipe_page_release(&p);
	return rc;
}

/* ---- messages from the worker ------------------------------------------------ */

/* "<verb> <page_id> <rest>": the job and where rest begins, or -1. */
static long frame_job(const struct ocr_run *run, const char *payload, const char **rest)
{
	const char *sp = strchr(payload, ' ');
	char *end;
	long long id = sp ? strtoll(sp + 1, &end, 10) : 0;
	if (!sp || end == sp + 1 || (*end && *end != ' '))
		return -1;
	*rest = *end ? end + 1 : end;
	return job_find(run, id);
}

static int frame_handle(struct ocr_run *run, struct worker_proc *w, const char *payload,
			struct err *e)
{
	if (!strncmp(payload, "fatal ", 6)) {
		w->fatal = 1;
		return err_set(e, "%s", payload + 6);
	}
	const char *rest;
	long i = frame_job(run, payload, &rest);
	if (i < 0 || run->slots[i].st == SLOT_DONE)
		return err_set(e, "OCR worker sent an unexpected message: %.60s", payload);
	if (!strncmp(payload, "start ", 6)) {
		flight_add(run, (size_t)i);
		return 0;
	}
	w->resolved++;
	if (!strncmp(payload, "done ", 5))
		return page_done(run, (size_t)i, rest, e);
	if (!strncmp(payload, "fail ", 5))
		return page_failed(run, (size_t)i, rest, e);
	return err_set(e, "OCR worker sent an unexpected message: %.60s", payload);
}

static int frames_drain(struct ocr_run *run, struct worker_proc *w, struct ocrpipe_reader *rd,
			struct err *e)
{
	char *payload;
	size_t n;
	int got;
	while ((got = ocrpipe_reader_next(rd, &payload, &n)) == 1) {
		int rc = frame_handle(run, w, payload, e);
		free(payload);
		if (rc < 0)
			return -1;
	}
	return got < 0 ? err_set(e, "OCR worker sent a broken message") : 0;
}

/* ---- the worker process ---------------------------------------------------------- */

/* Our environment, with OpenMP told to stay within `threads` threads in
 * all (Tesseract's own parallel loops would otherwise fight ours) and to
 * sleep rather than spin when a thread waits: spinning burns the core the
 * other page needs. */
static char **worker_env(int threads)
{
	static const char *const ours[] = {"OMP_THREAD_LIMIT=", "OMP_MAX_ACTIVE_LEVELS=",
					   "OMP_WAIT_POLICY="};
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 4, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int mine = 0;
		for (size_t j = 0; j < sizeof(ours) / sizeof(*ours); j++)
			mine |= !strncmp(environ[i], ours[j], strlen(ours[j]));
		if (!mine)
			env[k++] = xstrdup(environ[i]);
	}
	env[k++] = xasprintf("OMP_THREAD_LIMIT=%d", threads);
	env[k++] = xstrdup("OMP_MAX_ACTIVE_LEVELS=1");
	env[k++] = xstrdup("OMP_WAIT_POLICY=PASSIVE");
	return env;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* In the child between fork and exec: only async-signal-safe calls. */
static void child_exec(pid_t parent, int jobs_fd, int res_fd, char **argv, char **env)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* Lift both ends clear of 0..3 first: either may sit where the other
	 * must go.  The copies are close-on-exec; dup2()'s targets are not. */
	int j = fcntl(jobs_fd, F_DUPFD_CLOEXEC, 10);
	int r = fcntl(res_fd, F_DUPFD_CLOEXEC, 10);
	if (j < 0 || r < 0 || dup2(j, 0) < 0 || dup2(r, OCRPIPE_RESULT_FD) < 0 ||
	    dup2(2, 1) < 0)
		_exit(127);
	execve("/proc/self/exe", argv, env);
	_exit(127);
}

/* A pipe whose ends do not leak into the worker (it gets copies). */
static int pipe_cloexec(int p[2])
{
	if (pipe(p) < 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static int worker_spawn(int threads, struct worker_proc *w, struct err *e)
{
	int jp[2], rp[2];
	memset(w, 0, sizeof(*w));
	w->to = w->from = -1;
	if (pipe_cloexec(jp) < 0)
		return err_set(e, "cannot start the OCR worker: %s", strerror(errno));
	if (pipe_cloexec(rp) < 0) {
		close(jp[0]);
		close(jp[1]);
		return err_set(e, "cannot start the OCR worker: %s", strerror(errno));
	}
	char nbuf[16];
	snprintf(nbuf, sizeof(nbuf), "%d", threads);
	char *argv[] = {"hotich", "ocr", "--worker", "--threads", nbuf, NULL};
	char **env = worker_env(threads);
	fflush(NULL);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		child_exec(parent, jp[0], rp[1], argv, env);
	int saved = errno;
	strv_free(env);
	close(jp[0]);
	close(rp[1]);
	if (pid < 0) {
		close(jp[1]);
		close(rp[0]);
		return err_set(e, "cannot start the OCR worker: %s", strerror(saved));
	}
	w->pid = pid;
	w->to = jp[1];
	w->from = rp[0];
	fcntl(w->from, F_SETFL, fcntl(w->from, F_GETFL) | O_NONBLOCK);
	return 0;
}

/* Hand over the jobs; the worker reads them all before it starts.  A worker
 * that dies meanwhile shows up as EOF on its results, so errors here are
 * not ours to report. */
static void worker_send_jobs(const struct ocr_run *run, struct worker_proc *w, int suspects)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct store_job *j = &run->jobs[i];
		if (run->slots[i].st != SLOT_PENDING || (suspects && j->attempts < 1))
			continue;
		enum book_kind hint = job_hint(run, j);
		char *msg = xasprintf("job %lld %d %s %s", j->page_id, j->page_no,
				      hint == KIND_NONE ? "-" : kind_code(hint), j->path);
		int rc = ocrpipe_frame_write(w->to, msg, strlen(msg));
		free(msg);
		if (rc < 0)
			break;
	}
	close(w->to);
	w->to = -1;
}

/* Milliseconds until the earliest page in flight runs out of time (marking
 * those that have), at most POLL_TICK_MS. */
static int deadline_ms(struct ocr_run *run, int *expired)
{
	int wait = POLL_TICK_MS;
	double now = time_now(), limit = run->opt->page_timeout;
	*expired = 0;
	if (limit <= 0)
		return wait;
	for (size_t k = 0; k < run->nflight; k++) {
		struct slot *sl = &run->slots[run->flight[k]];
		double left = sl->started + limit - now;
		if (left <= 0) {
			sl->timed_out = 1;
			*expired = 1;
		} else if (left * 1000 < wait) {
			wait = (int)(left * 1000) + 1;
		}
	}
	return wait;
}

/* Read the worker's messages until it closes its end (exits or is killed). */
static int silent_limit(int page_timeout)
{
	return page_timeout > SILENT_MIN_S ? page_timeout : SILENT_MIN_S;
}

static int silent_too_long(const struct ocr_run *run, double heard)
{
	if (run->opt->page_timeout <= 0 || run->nflight)
		return 0;
	return time_now() - heard > silent_limit(run->opt->page_timeout);
}

static int worker_watch(struct ocr_run *run, struct worker_proc *w, struct err *e)
{
	struct ocrpipe_reader rd;
	ocrpipe_reader_init(&rd);
	int rc = 0;
	double heard = time_now();
	for (;;) {
		int expired;
		struct pollfd pfd = {.fd = w->from, .events = POLLIN};
		int wait = deadline_ms(run, &expired);
		if (!expired && !w->killed && silent_too_long(run, heard)) {
			expired = 1;
			w->silent = 1;
		}
		if (expired && !w->killed) {
			kill(w->pid, SIGKILL);
			w->killed = 1;
		}
		if (poll(&pfd, 1, w->killed ? -1 : wait) < 0 && errno != EINTR) {
			rc = err_set(e, "cannot watch the OCR worker: %s", strerror(errno));
			break;
		}
		if (interrupted) { /* before blame: the worker got the Ctrl-C too */
			rc = err_set(e, "interrupted");
			break;
		}
		long got = pfd.revents ? ocrpipe_reader_fill(&rd, w->from) : -1;
		if (got == 0 || (got < 0 && pfd.revents && errno != EAGAIN))
			break;
		if (got > 0)
			heard = time_now();
		if (frames_drain(run, w, &rd, e) < 0) {
			rc = -1;
			break;
		}
		ocrpipe_progress_tick(&run->pg, (long long)run->resolved);
	}
	ocrpipe_reader_release(&rd);
	return rc;
}

static void worker_reap(struct worker_proc *w, int kill_it)
{
	if (kill_it && !w->killed)
		kill(w->pid, SIGKILL);
	while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
		;
	close(w->from);
	w->from = -1;
}

/* After a worker's end: blame the pages it left in flight. */
static int worker_blame(struct ocr_run *run, struct worker_proc *w, int *in_flight,
			struct err *e)
{
	int crashed = !w->killed && !(WIFEXITED(w->status) && WEXITSTATUS(w->status) == 0);
	char reason[64];
	if (WIFSIGNALED(w->status))
		snprintf(reason, sizeof(reason), "OCR crashed (signal %d)", WTERMSIG(w->status));
	else
		snprintf(reason, sizeof(reason), "OCR crashed (exit status %d)",
			 WEXITSTATUS(w->status));
	*in_flight = (int)run->nflight;
	/* Take the list: page_failed() below edits run->flight. */
	size_t *flight = run->flight, n = run->nflight;
	run->flight = NULL;
	run->nflight = run->flight_cap = 0;
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		size_t i = flight[k];
		struct slot *sl = &run->slots[i];
		struct store_job *j = &run->jobs[i];
		sl->st = SLOT_PENDING;
		if (sl->timed_out) {
			char msg[64];
			snprintf(msg, sizeof(msg), "OCR took longer than %d s", run->opt->page_timeout);
			rc = page_lost(run, i, msg, e);
			continue;
		}
		if (!crashed)
			continue;
		rc = store_page_attempt(run->s, j->page_id, e);
		if (rc == 0 && ++j->attempts >= CRASHES_TO_FAIL)
			rc = page_lost(run, i, reason, e);
	}
	free(flight);
	return rc;
}

/* One worker's life: spawn, feed, watch, reap, blame. */
static int worker_round(struct ocr_run *run, struct err *e)
{
	int suspects = 0;
	for (size_t i = 0; i < run->n && !suspects; i++)
		suspects = run->slots[i].st == SLOT_PENDING && run->jobs[i].attempts > 0;
	struct worker_proc w;
	if (worker_spawn(suspects ? 1 : run->threads, &w, e) < 0)
		return -1;
	worker_send_jobs(run, &w, suspects);
	int rc = worker_watch(run, &w, e);
	worker_reap(&w, rc < 0);
	if (rc < 0)
		return -1;
	int in_flight;
	if (worker_blame(run, &w, &in_flight, e) < 0)
		return -1;
	if (w.silent && !w.resolved)
		return err_set(e, "the OCR worker said nothing for %d s without a page on the "
			       "clock (stopped?): run the same command again",
			       silent_limit(run->opt->page_timeout));
	if (!w.resolved && !in_flight)
		return err_set(e, "the OCR worker stopped without reading a page (%s %d)",
			       WIFSIGNALED(w.status) ? "signal" : "exit status",
			       WIFSIGNALED(w.status) ? WTERMSIG(w.status) : WEXITSTATUS(w.status));
	return 0;
}

/* ---- the stage ------------------------------------------------------------------- */

static int threads_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static void interrupted_say(struct ocr_run *run, struct err *e)
{
	err_set(e, "interrupted");
	log_stamp();
	fprintf(stderr, "%s: interrupted: %lld pages saved, %zu still to read; the same command "
		"again goes on from there\n", run->opt->cmd, run->c->pages, run->n - run->resolved);
}

static void run_release(struct ocr_run *run)
{
	store_jobs_free(run->jobs, run->n);
	free(run->slots);
	free(run->by_id);
	free(run->flight);
	free(run->ocr_json);
}

int stage_ocr_run(struct store *s, const struct stage_ocr_options *o, struct stage_counts *c,
		  struct err *e)
{
	struct ocr_run run;
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.opt = o;
	run.c = c;
	run.threads = o->threads > 0 ? o->threads : threads_default();
	if (store_jobs_pending(s, o->retry_failed ? -1 : STAGE_OCR_TRIES, &run.jobs, &run.n, e) < 0)
		return -1;
	if (log_level != LOG_QUIET)
		log_stamp(), fprintf(stderr, "%s: %zu pages to read with %d threads\n", o->cmd, run.n,
			run.threads);
	if (!run.n) {
		run_release(&run);
		return 0;
	}
	run.slots = xcalloc(run.n, sizeof(*run.slots));
	jobs_index(&run);
	run.ocr_json = ocr_json_build(&run);
	struct sigaction ign = {.sa_handler = SIG_IGN}, old, intr = {.sa_handler = on_sigint},
			 old_int;
	sigaction(SIGPIPE, &ign, &old);
	sigaction(SIGINT, &intr, &old_int); /* no SA_RESTART: poll() returns at once */
	ocrpipe_progress_init(&run.pg, o->cmd, (long long)run.n);
	int rc = 0;
	while (rc == 0 && run.resolved < run.n && !interrupted)
		rc = worker_round(&run, e);
	ocrpipe_progress_clear(&run.pg);
	if (rc == 0)
		ocrpipe_progress_finish(&run.pg);
	if (interrupted)
		interrupted_say(&run, e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGPIPE, &old, NULL);
	run_release(&run);
	return rc;
}
