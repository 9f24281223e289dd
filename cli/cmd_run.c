/*
 * hotich run: the overnight batch.  Records a batch (command line, engine,
 * models), then ingest, OCR, validate and dedup, each working through what
 * is pending, so the same command after an interruption finishes the rest.
 * Ends with a summary on stdout, also stored as the batch's summary.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ocr/ocr.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich run [--db FILE] [--threads N] [--kind ks|kh|kt|auto]\n"
	"                  [--page-timeout S] [--retry-failed] [--shard K/N] INPUT...\n"
	"\n"
	"The overnight batch.  Ingests every TIFF book in INPUT (files or folders,\n"
	"searched recursively), reads every page with Tesseract in parallel, checks\n"
	"every field, compares records with the existing ones, and queues for review\n"
	"what a supervisor must see.  Resumable: run the same command again after an\n"
	"interruption (even kill -9) and it finishes the rest; no record is read twice.\n"
	"A page that crashes the OCR engine or takes too long is failed alone and\n"
	"named on stderr; the rest of the batch goes on.\n"
	"\n"
	"Options:\n"
	"  --threads N        OCR threads (default: number of cores)\n"
	"  --kind K           book kind: ks (birth), kh (marriage), kt (death), or\n"
	"                     auto to recognise it from the page title (default auto)\n"
	"  --page-timeout S   seconds one page may take before it is failed\n"
	"                     (default 120; 0: no limit).  A page that timed out or\n"
	"                     crashed the engine is read again by the next run, up\n"
	"                     to 3 runs\n"
	"  --retry-failed     read such pages again whatever their number of tries\n"
	"  --shard K/N        read only the K-th of N shares of the books (K from 1\n"
	"                     to N): every share of the same INPUT and N is the same,\n"
	"                     each book in one, balanced by pages.  Give each share\n"
	"                     its own --db; dedup is left to the merged database\n"
	"                     (hotich merge, then hotich dedup)\n"
	"  --db FILE          database (default ./hotich.db)\n"
	"  --json             the summary as one JSON object on stdout (for scripts)\n"
	"  --quiet, --verbose less or more on stderr\n"
	"\n"
	"Progress goes to stderr (a bar on a terminal, a line every 10 s or 10 %\n"
	"otherwise, each line with its time; --verbose adds a line a page: book, page,\n"
	"records, seconds); the summary to stdout.  Ctrl-C stops at once, keeps every\n"
	"page read, says how many, and exits 130: the same command goes on.\n"
	"\n"
	"Exit codes: 0 all read; 3 finished but some files or pages failed (each named\n"
	"on stderr and recorded in the database); 1 fatal; 2 bad usage; 130 Ctrl-C.\n"
	"\n"
	"Example:\n"
	"  hotich run --threads 2 /srv/scans/2026-12/   # again after a stop: the rest\n";

enum { OPT_KIND = 0x200, OPT_JSON, OPT_SHARD };

struct run_args {
	struct cli_common co;
	struct stage_ocr_options o;
	const char *kind;	/* for stage_ingest: "ks" "kh" "kt", NULL for auto */
	char **inputs;
	int ninputs;
	int json;		/* --json: the summary as JSON on stdout */
	int shard_k, shard_n;	/* --shard K/N; 0/0 without */
};

/* "K/N" with 1 <= K <= N. */
static int shard_opt(struct run_args *a, const char *arg)
{
	int k, n, used = 0;
	if (sscanf(arg, "%d/%d%n", &k, &n, &used) != 2 || arg[used] || k < 1 || k > n)
		return -1;
	a->shard_k = k;
	a->shard_n = n;
	return 0;
}

static int kind_opt(struct run_args *a, const char *arg)
{
	if (!strcmp(arg, "auto")) {
		a->kind = NULL;
		a->o.kind = KIND_NONE;
		return 0;
	}
	a->o.kind = kind_parse(arg);
	a->kind = kind_code(a->o.kind);
	return a->o.kind == KIND_NONE ? -1 : 0;
}

static int args_parse(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		CLI_OCR_LONGOPTS,
		{"kind", required_argument, NULL, OPT_KIND},
		{"json", no_argument, NULL, OPT_JSON},
		{"shard", required_argument, NULL, OPT_SHARD},
		{NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof(*a));
	stage_ocr_options_init(&a->o);
	a->o.cmd = "run";
	cli_opts_begin(&a->co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", opts, &a->co)) != -1) {
		if (c == OPT_JSON && (a->json = 1))
			continue;
		int got = cli_ocr_opt("run", c, optarg, &a->o);
		if (got < 0)
			return EXIT_USAGE;
		if (got || (c == OPT_KIND && kind_opt(a, optarg) == 0))
			continue;
		if (c == OPT_SHARD && shard_opt(a, optarg) == 0)
			continue;
		if (c == OPT_SHARD)
			return cli_usage("run", "--shard wants K/N with 1 <= K <= N, not '%s'",
					 optarg);
		if (c == OPT_KIND)
			return cli_usage("run", "--kind wants ks, kh, kt or auto, not '%s'", optarg);
		return cli_bad_option("run", argv, "h", opts);
	}
	a->inputs = argv + optind;
	a->ninputs = argc - optind;
	if (!a->co.help && a->ninputs < 1)
		return cli_usage("run", "no INPUT: give TIFF files or folders");
	return EXIT_OK;
}

/* ---- the batch -------------------------------------------------------------- */

/* Each stage counts in its own terms (ingest's pages are pages found,
 * OCR's are pages read), so each gets its own counts. */
struct run_state {
	struct store *s;
	struct stage_counts ingest, ocr, validate, dedup;
	long long batch_id;
	long long records_before;	/* MAX(records.id) when the run began */
	double ocr_seconds;
	char **share;	/* --shard: this share's books, else NULL (all of INPUT) */
	int nshare;
};

static char *command_line(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "hotich");
	for (int i = 0; i < argc; i++) {
		sb_addc(&sb, ' ');
		sb_adds(&sb, argv[i]);
	}
	return sb_detach(&sb);
}

static int batch_begin(struct run_state *rs, int argc, char **argv, struct err *e)
{
	char *cmd = command_line(argc, argv);
	char *models = ocr_models_json();
	rs->records_before = store_count(rs->s, "SELECT COALESCE(MAX(id), 0) FROM records", e);
	rs->batch_id = rs->records_before < 0 ? -1 :
		store_batch_begin(rs->s, cmd, ocr_engine_version(), models, e);
	free(models);
	free(cmd);
	return rs->batch_id < 0 ? -1 : 0;
}

/* ---- --shard K/N -------------------------------------------------------------- */

struct book_list {
	char **paths;	/* absolute, as ingest stores them */
	int n, cap;
};

static int listed(const struct book_list *l, const char *path)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->paths[i], path))
			return 1;
	return 0;
}

/* Every book of INPUT, in the order one run would ingest them, each once;
 * an input that is missing is named (each share says so: exit 3). */
static void books_list(struct run_state *rs, const struct run_args *a, struct book_list *l)
{
	for (int i = 0; i < a->ninputs; i++) {
		char **paths = NULL;
		int np = 0;
		struct err fe = ERR_INIT;
		if (ingest_find(&a->inputs[i], 1, &paths, &np, &fe) < 0) {
			cli_warn("run", "%s", fe.msg);
			rs->ingest.failed++;
		}
		for (int k = 0; k < np; k++) {
			char *abs = realpath(paths[k], NULL);
			if (!abs)
				abs = xstrdup(paths[k]);
			if (listed(l, abs)) {
				free(abs);
			} else {
				ALLOC_GROW(l->paths, l->n + 1, l->cap);
				l->paths[l->n++] = abs;
			}
			free(paths[k]);
		}
		free(paths);
	}
}

/* The run the shares belong to: N and its books in order. */
static void shard_set_digest(const struct book_list *l, int nshards,
			     char hex[SHA256_HEX_LEN + 1])
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%d\n", nshards);
	for (int i = 0; i < l->n; i++)
		sb_addf(&sb, "%s\n", l->paths[i]);
	sha256_buf(sb_str(&sb), sb.len, hex);
	sb_release(&sb);
}

/* Find this share's books, mark the database as that share; rs->share
 * then replaces INPUT for ingest. */
static int shard_pick(struct run_state *rs, const struct run_args *a, struct err *e)
{
	struct book_list l = {NULL, 0, 0};
	books_list(rs, a, &l);
	int *pages = xcalloc((size_t)l.n + 1, sizeof(*pages));
	int *share = xcalloc((size_t)l.n + 1, sizeof(*share));
	for (int i = 0; i < l.n; i++)
		pages[i] = ingest_page_count(l.paths[i]);
	ingest_shard_split(l.paths, pages, (size_t)l.n, a->shard_n, share);
	char set[SHA256_HEX_LEN + 1], label[32];
	shard_set_digest(&l, a->shard_n, set);
	snprintf(label, sizeof(label), "%d/%d", a->shard_k, a->shard_n);
	int rc = store_shard_mark(rs->s, label, set, l.paths, (size_t)l.n, e);
	rs->share = xcalloc((size_t)l.n + 1, sizeof(*rs->share));
	for (int i = 0; i < l.n; i++) {
		if (share[i] == a->shard_k - 1)
			rs->share[rs->nshare++] = l.paths[i];
		else
			free(l.paths[i]);
	}
	log_info("share %s: %d of %d books", label, rs->nshare, l.n);
	free(l.paths);
	free(share);
	free(pages);
	return rc;
}

static void shard_release(struct run_state *rs)
{
	for (int i = 0; i < rs->nshare; i++)
		free(rs->share[i]);
	free(rs->share);
}

/* Every stage in order; stops at the first fatal error.  A share skips
 * dedup: it needs the whole batch, so it runs on the merged database. */
static int stages_run(struct run_state *rs, const struct run_args *a, struct err *e)
{
	if (a->shard_n && shard_pick(rs, a, e) < 0)
		return -1;
	char *const *inputs = a->shard_n ? rs->share : a->inputs;
	int ninputs = a->shard_n ? rs->nshare : a->ninputs;
	if (stage_ingest(rs->s, inputs, ninputs, a->kind, rs->batch_id, &rs->ingest, e) < 0)
		return -1;
	double t0 = time_now();
	int rc = stage_ocr_run(rs->s, &a->o, &rs->ocr, e);
	rs->ocr_seconds = time_now() - t0; /* an interrupted night has a rate too */
	if (rc < 0)
		return -1;
	if (stage_validate(rs->s, 0, &rs->validate, e) < 0)
		return -1;
	if (a->shard_n)
		return 0;
	return stage_dedup(rs->s, &rs->dedup, e);
}

static long long failed_total(const struct run_state *rs)
{
	return rs->ingest.failed + rs->ocr.failed + rs->validate.failed + rs->dedup.failed;
}

/* ---- the summary ---------------------------------------------------------------- */

/*
 * Where the records this run read stand now, after every stage: those OCR
 * inserted after the run began (ids only grow), not those of pages done in
 * the same second by an earlier run.
 */
#define RUN_RECORDS " FROM records r WHERE r.page_id IS NOT NULL AND r.id > ?1"

/* A number that fails is an error (e filled, -1), never 0. */
static double run_number(const struct run_state *rs, const char *sql, struct err *e)
{
	struct store_stmt *st = store_prepare(rs->s, sql, e);
	double n = -1;
	if (st) {
		store_bind_int(st, 1, rs->records_before);
		if (store_step(st, e) == 1)
			n = store_col_double(st, 0);
	}
	store_finalize(st);
	return n;
}

static long long run_count(const struct run_state *rs, const char *sql, struct err *e)
{
	return (long long)run_number(rs, sql, e);
}

/* Why the run's records wait for review, most frequent first: {"code": records}. */
static json_t *review_reasons(const struct run_state *rs, struct err *e)
{
	json_t *o = json_object();
	struct store_stmt *st = store_prepare(rs->s,
		"SELECT f.code, COUNT(DISTINCT f.record_id) FROM findings f"
		" JOIN records r ON r.id = f.record_id"
		" WHERE r.page_id IS NOT NULL AND r.id > ?1"
		" AND r.status = 'review' AND f.resolved = 0"
		" GROUP BY f.code ORDER BY 2 DESC, 1 LIMIT 10", e);
	int rc = -1;
	if (st)
		store_bind_int(st, 1, rs->records_before);
	while (st && (rc = store_step(st, e)) == 1)
		json_object_set_new(o, store_col_text(st, 0), json_integer(store_col_int(st, 1)));
	store_finalize(st);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static double pages_per_s(const struct run_state *rs)
{
	return rs->ocr_seconds > 0 ? (double)rs->ocr.pages / rs->ocr_seconds : 0;
}

/* NULL with e filled when a count fails: no summary rather than a false one. */
static json_t *summary_json(const struct run_state *rs, const char *error, struct err *e)
{
	json_int_t clean = run_count(rs, "SELECT COUNT(*)" RUN_RECORDS " AND r.status = 'clean'", e);
	json_int_t review = run_count(rs, "SELECT COUNT(*)" RUN_RECORDS " AND r.status = 'review'", e);
	json_int_t dups = run_count(rs, "SELECT COUNT(DISTINCT r.id)" RUN_RECORDS
		" AND r.id IN (SELECT record_id FROM findings"
		" WHERE code LIKE 'duplicate%' AND resolved = 0)", e);
	/* Published, not claimed: what the model expects to be wrong among
	 * the fields it let through (validate/accept.c). */
	double doubt = run_number(rs, "SELECT coalesce(sum(1 - f.p), 0) FROM fields f"
		" WHERE f.p IS NOT NULL AND f.record_id IN (SELECT r.id" RUN_RECORDS
		" AND r.status = 'clean')", e);
	json_int_t accepted = run_count(rs, "SELECT COUNT(*) FROM fields f"
		" WHERE f.p IS NOT NULL AND f.record_id IN (SELECT r.id" RUN_RECORDS
		" AND r.status = 'clean')", e);
	json_t *reasons = e->code ? NULL : review_reasons(rs, e);
	if (!reasons)
		return NULL;
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:f}",
			      "batch", (json_int_t)rs->batch_id, "books", (json_int_t)rs->ingest.books,
			      "pages", (json_int_t)rs->ocr.pages,
			      "records", (json_int_t)rs->ocr.records, "clean", clean,
			      "review", review, "review_reasons", reasons,
			      "failed", (json_int_t)failed_total(rs),
			      "blank", (json_int_t)rs->ocr.blank, "duplicates", dups,
			      "pages_per_second", pages_per_s(rs));
	if (o) {
		json_object_set_new(o, "accepted_fields", json_integer(accepted));
		json_object_set_new(o, "expected_wrong", json_real(doubt));
	}
	if (o && error)
		json_object_set_new(o, "error", json_string(error));
	return o;
}

static void summary_print(const json_t *sum)
{
	const char *const rows[][2] = {
		{"books", "books ingested"}, {"pages", "pages read"},
		{"blank", "blank pages"}, {"failed", "failed (pages, files)"},
		{"records", "records"}, {"clean", "accepted (clean)"},
		{"review", "queued for review"}, {"duplicates", "duplicates"},
	};
	printf("summary\n");
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		printf("  %-24s %lld\n", rows[i][1],
		       (long long)json_integer_value(json_object_get(sum, rows[i][0])));
	const char *code;
	json_t *v;
	json_object_foreach(json_object_get(sum, "review_reasons"), code, v)
		printf("    %-22s %lld\n", code, (long long)json_integer_value(v));
	printf("  %-24s %lld, expected wrong %.2f (sum of 1 - p)\n", "accepted fields",
	       (long long)json_integer_value(json_object_get(sum, "accepted_fields")),
	       json_real_value(json_object_get(sum, "expected_wrong")));
	printf("  %-24s %.2f\n", "pages per second",
	       json_real_value(json_object_get(sum, "pages_per_second")));
}

static int batch_finish(struct run_state *rs, const char *error, int as_json, struct err *e)
{
	json_t *sum = summary_json(rs, error, e);
	if (!sum)
		return -1;
	char *text = json_dumps(sum, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (as_json)
		printf("%s\n", text);
	else
		summary_print(sum);
	int rc = store_batch_finish(rs->s, rs->batch_id, text, e);
	free(text);
	json_decref(sum);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	int rc = args_parse(argc, argv, &a);
	if (rc != EXIT_OK || a.co.help)
		return rc != EXIT_OK ? rc : cli_help(help);
	struct err e = ERR_INIT, fe = ERR_INIT;
	struct run_state rs;
	memset(&rs, 0, sizeof(rs));
	/* Ingest's warnings have always been named "ingest", also in run. */
	rs.ingest.warn = rs.ocr.warn = cli_stage_warn;
	rs.ingest.warn_ctx = "ingest";
	rs.ocr.warn_ctx = "run";
	int lock = store_run_lock(a.co.db, &e);
	if (lock < 0)
		return cli_fatal("run", "%s", e.msg);
	rs.s = store_open(a.co.db, &e);
	if (!rs.s || batch_begin(&rs, argc, argv, &e) < 0) {
		store_close(rs.s);
		store_run_unlock(lock);
		return cli_fatal("run", "%s", e.msg);
	}
	int failed = stages_run(&rs, &a, &e) < 0;
	int unsummed = batch_finish(&rs, failed ? e.msg : NULL, a.json, &fe) < 0;
	store_close(rs.s);
	shard_release(&rs);
	store_run_unlock(lock);
	if (failed && stage_ocr_interrupted())
		return 128 + SIGINT;
	if (failed)
		return cli_fatal("run", "%s", e.msg);
	if (unsummed)
		return cli_fatal("run", "cannot sum the run up: %s", fe.msg);
	return failed_total(&rs) ? EXIT_PARTIAL : EXIT_OK;
}
