/*
 * A linkage run: pending records against existing ones and our own.
 *
 * Pending records (the batch) are held in memory; the existing set and our
 * earlier records are read through their key indexes only.  For each rule,
 * the batch is sorted by that rule's key and each distinct key is looked up
 * once, so a table row is read at most once per rule however many batch
 * records share its key.  A pair already met under an earlier rule (same
 * non-empty key) is skipped, so each pair is compared once per pass.
 *
 * Two passes: the first collects comparison patterns (on a sample of the
 * batch when it is large) for EM; the second scores every pair with the
 * fitted model and keeps each record's best matches.
 */
#include "dedup/dedup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

struct pend {
	long long id;
	struct dedup_entity x;
	char *key[DEDUP_NRULES];	/* NULL when missing */
	int sample;
	struct dedup_match *best;	/* DEDUP_MAX_MATCHES slots once any */
	size_t nbest;
};

struct decision {
	char *key;	/* "<record id>\t<source>\t<other>" */
	char same;
};

struct run {
	struct store *s;
	enum book_kind kind;
	struct pend *p;
	size_t n;
	struct decision *dec;
	size_t ndec;
	struct dedup_tf *tf;
	struct dedup_patterns *pat;			/* EM pass, every pair */
	struct dedup_patterns *pat_rule[DEDUP_NRULES];	/* same, own fields masked */
	struct dedup_model model;
	int scoring;
	struct dedup_stats *st;
	struct dedup_entity y;		/* the row being compared, reused */
	struct store_stmt *q[2][DEDUP_NRULES];	/* [existing|batch][rule] */
	struct brow *rows;			/* DEDUP_MAX_BLOCK + 1 */
	long long linked;			/* our records linked before this run */
	long long nexisting;			/* about how many existing rows (id span) */
	struct strbuf arena;
};

/* ---- loading the batch ---------------------------------------------------- */

static int load_fields(struct store_stmt *f, long long id, struct record *r, struct err *e)
{
	store_bind_int(f, 1, id);
	int rc;
	while ((rc = store_step(f, e)) == 1) {
		struct field *fd = record_set_raw(r, store_col_text(f, 0), store_col_text(f, 1));
		if (!store_col_is_null(f, 2))
			fd->value = xstrdup(store_col_text(f, 2));
	}
	store_reset(f);
	return rc;
}

static void pend_keys(struct pend *p)
{
	char key[DEDUP_NRULES][DEDUP_KEY_LEN];
	dedup_entity_keys(&p->x, key);
	for (int i = 0; i < DEDUP_NRULES; i++)
		p->key[i] = key[i][0] ? xstrdup(key[i]) : NULL;
}

static int load_pending(struct run *R, struct err *e)
{
	struct store_stmt *ids = store_prepare(R->s,
		"SELECT r.id FROM records r LEFT JOIN dedup_keys k ON k.record_id = r.id"
		" WHERE r.kind = ?1 AND r.status IN ('clean', 'review') AND (k.record_id IS NULL"
		"  OR k.seen IS NULL OR k.seen <> coalesce(r.updated_at, r.created_at))"
		" ORDER BY r.id", e);
	struct store_stmt *f = store_prepare(R->s,
		"SELECT name, raw, value FROM fields WHERE record_id = ?", e);
	int rc = ids && f ? 0 : -1;
	size_t cap = 0;
	if (ids)
		store_bind_text(ids, 1, kind_code(R->kind));
	while (rc == 0 && (rc = store_step(ids, e)) == 1) {
		ALLOC_GROW(R->p, R->n + 1, cap);
		struct pend *p = &R->p[R->n++];
		struct dedup_entity empty = DEDUP_ENTITY_INIT;
		memset(p, 0, sizeof(*p));
		p->id = store_col_int(ids, 0);
		p->x = empty;
		struct record r;
		record_init(&r, R->kind);
		rc = load_fields(f, p->id, &r, e) < 0 ? -1 : 0;
		dedup_entity_from_record(&r, &p->x);
		record_release(&r);
		pend_keys(p);
	}
	store_finalize(ids);
	store_finalize(f);
	return rc < 0 ? -1 : 0;
}

/* Store the batch's keys so that later batches (and this one) find them. */
static int save_keys(struct run *R, struct dedup_tf *delta, struct err *e)
{
	struct store_stmt *ins = store_prepare(R->s,
		"INSERT OR IGNORE INTO dedup_keys(record_id, kind, cmp) VALUES(?, ?, '')", e);
	struct store_stmt *up = store_prepare(R->s,
		"UPDATE dedup_keys SET cmp = ?2, k1 = ?3, k2 = ?4, k3 = ?5, k4 = ?6, k5 = ?7,"
		" seen = NULL"
		" WHERE record_id = ?1", e);
	int rc = ins && up ? store_begin(R->s, e) : -1;
	for (size_t i = 0; rc == 0 && i < R->n; i++) {
		struct pend *p = &R->p[i];
		store_bind_int(ins, 1, p->id);
		store_bind_text(ins, 2, kind_code(R->kind));
		rc = store_step(ins, e) < 0 ? -1 : 0;
		store_reset(ins);
		if (rc == 0 && store_changes(R->s) > 0) {
			dedup_tf_add_entity(delta, &p->x);
			dedup_tf_add_entity(R->tf, &p->x);
		}
		char *cmp = dedup_entity_encode(&p->x);
		store_bind_int(up, 1, p->id);
		store_bind_text(up, 2, cmp);
		for (int k = 0; k < DEDUP_NRULES; k++)
			store_bind_text(up, 3 + k, p->key[k]);
		if (rc == 0)
			rc = store_step(up, e) < 0 ? -1 : 0;
		store_reset(up);
		free(cmp);
	}
	if (rc == 0)
		rc = store_commit(R->s, e);
	else
		store_rollback(R->s);
	store_finalize(ins);
	store_finalize(up);
	return rc;
}

/* ---- supervisors' decisions ------------------------------------------------- */

static int dec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct decision *)a)->key, ((const struct decision *)b)->key);
}

static int load_decisions(struct run *R, struct err *e)
{
	struct store_stmt *st = store_prepare(R->s,
		"SELECT m.record_id, m.source, m.other_id, m.decision FROM matches m"
		" JOIN records r ON r.id = m.record_id"
		" WHERE m.decision IS NOT NULL AND r.kind = ?", e);
	if (!st)
		return -1;
	store_bind_text(st, 1, kind_code(R->kind));
	size_t cap = 0;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(R->dec, R->ndec + 1, cap);
		struct decision *d = &R->dec[R->ndec++];
		d->key = xasprintf("%lld\t%s\t%s", store_col_int(st, 0), store_col_text(st, 1),
				   store_col_text(st, 2));
		d->same = !strcmp(store_col_text(st, 3), "same");
	}
	store_finalize(st);
	if (R->ndec)
		qsort(R->dec, R->ndec, sizeof(*R->dec), dec_cmp);
	return rc;
}

/* 'd' different, 's' same, 0 undecided. */
static int decided(const struct run *R, long long id, const char *source, const char *other)
{
	if (!R->ndec)
		return 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%lld\t%s\t%s", id, source, other);
	struct decision k = {buf, 0};
	const struct decision *d = bsearch(&k, R->dec, R->ndec, sizeof(k), dec_cmp);
	return d ? (d->same ? 's' : 'd') : 0;
}

/* A batch pair may have been decided from either side. */
static int decided_pair(const struct run *R, long long id, const char *source,
			const char *other, long long other_rec)
{
	int d = decided(R, id, source, other);
	if (!d && other_rec) {
		char me[32];
		snprintf(me, sizeof(me), "r%lld", id);
		d = decided(R, other_rec, source, me);
	}
	return d;
}

/* Whether any record of ours was linked before (else no table lookup for them). */
static int count_linked(struct run *R, struct err *e)
{
	struct store_stmt *st = store_prepare(R->s,
		"SELECT EXISTS(SELECT 1 FROM dedup_keys WHERE kind = ? AND seen IS NOT NULL)", e);
	if (!st)
		return -1;
	store_bind_text(st, 1, kind_code(R->kind));
	int rc = store_step(st, e);
	R->linked = rc == 1 ? store_col_int(st, 0) : 0;
	store_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* ---- candidates -------------------------------------------------------------- */

static int prepare_queries(struct run *R, struct err *e)
{
	for (int r = 0; r < DEDUP_NRULES; r++) {
		char *ex = xasprintf("SELECT stt, cmp, k1, k2, k3, k4, k5, 0 FROM existing"
				     " WHERE kind = ?1 AND k%d = ?2", r + 1);
		char *ba = xasprintf("SELECT 'r' || k.record_id, k.cmp, k.k1, k.k2, k.k3, k.k4, k.k5,"
				     " k.record_id FROM dedup_keys k JOIN records r ON"
				     " r.id = k.record_id WHERE k.kind = ?1 AND k.k%d = ?2"
				     " AND k.seen IS NOT NULL AND r.status <> 'rejected'", r + 1);
		R->q[0][r] = store_prepare(R->s, ex, e);
		R->q[1][r] = store_prepare(R->s, ba, e);
		free(ex);
		free(ba);
		if (!R->q[0][r] || !R->q[1][r])
			return -1;
	}
	return 0;
}

/* Keep p's best DEDUP_MAX_MATCHES by score. */
static void best_add(struct pend *p, const struct dedup_match *m)
{
	if (!p->best)
		p->best = xcalloc(DEDUP_MAX_MATCHES, sizeof(*p->best));
	size_t i;
	if (p->nbest < DEDUP_MAX_MATCHES)
		i = p->nbest++;
	else if (m->score <= p->best[DEDUP_MAX_MATCHES - 1].score)
		return;
	else
		i = DEDUP_MAX_MATCHES - 1;
	p->best[i] = *m;
	for (; i > 0 && p->best[i].score > p->best[i - 1].score; i--) {
		struct dedup_match t = p->best[i];
		p->best[i] = p->best[i - 1];
		p->best[i - 1] = t;
	}
}

/* The other side's keys, from the row's columns 2 .. 1 + DEDUP_NRULES. */
struct other {
	const char *id;
	long long rec;
	const char *key[DEDUP_NRULES];
	const struct dedup_entity *x;
};

static int met_before(const struct pend *p, const struct other *o, int rule)
{
	for (int r = 0; r < rule; r++)
		if (p->key[r] && *o->key[r] && !strcmp(p->key[r], o->key[r]))
			return 1;
	return 0;
}

/* Whether rule's key is built from field f (its agreement there is no evidence). */
static int rule_masks(enum book_kind kind, int rule, int f)
{
	int name = f == DF_SURNAME || f == DF_MIDDLE || f == DF_GIVEN;
	switch (rule) {
	case 0:
	case 4:
		return name || f == DF_DOB;
	case 1:
		return f == DF_DOB;
	case 2:
		return f == DF_PID;
	default:
		return kind == KIND_KT ? name || f == DF_DATE2 : f == DF_NAME2 || f == DF_DOB;
	}
}

static void pair(struct run *R, struct pend *p, const struct other *o, int src, int rule)
{
	const char *source = src ? "batch" : "existing";
	int met = met_before(p, o, rule);
	if (met && R->scoring)
		return;
	signed char g[DF_COUNT];
	dedup_compare(&p->x, o->x, g);
	if (!R->scoring) {
		/* Each rule's EM sees every pair its blocks hold, even one an
		 * earlier rule found: else the matches all sit in rule 0. */
		signed char gm[DF_COUNT];
		for (int f = 0; f < DF_COUNT; f++)
			gm[f] = rule_masks(R->kind, rule, f) ? -1 : g[f];
		dedup_patterns_add(R->pat_rule[rule], gm, 1);
		if (!met)
			dedup_patterns_add(R->pat, g, 1);
		return;
	}
	R->st->pairs[rule]++;
	int d = decided_pair(R, p->id, source, o->id, o->rec);
	if (d == 'd') {
		R->st->decided_different++;
		return;
	}
	double score = dedup_score(&R->model, g, &p->x, R->tf);
	if (score < DEDUP_POSSIBLE && d != 's')
		return;
	struct dedup_match m = {source, "", o->rec, score, d == 's', {0}};
	snprintf(m.other, sizeof(m.other), "%s", o->id);
	memcpy(m.gamma, g, sizeof(g));
	best_add(p, &m);
}

/* A block's rows, buffered so an oversized block is dropped before any work. */
struct brow {
	size_t id, cmp, key[DEDUP_NRULES];	/* offsets into run.arena */
	long long rec;
};

static size_t arena_put(struct strbuf *a, const char *s)
{
	size_t at = a->len;
	sb_add(a, s, strlen(s) + 1);
	return at;
}

static int block_read(struct run *R, struct store_stmt *q, size_t *nrows, struct err *e)
{
	int rc;
	size_t n = 0;
	sb_reset(&R->arena);
	while ((rc = store_step(q, e)) == 1 && n <= DEDUP_MAX_BLOCK) {
		struct brow *b = &R->rows[n++];
		b->id = arena_put(&R->arena, store_col_text(q, 0));
		b->cmp = arena_put(&R->arena, store_col_text(q, 1));
		for (int k = 0; k < DEDUP_NRULES; k++)
			b->key[k] = arena_put(&R->arena, store_col_text(q, 2 + k));
		b->rec = store_col_int(q, 2 + DEDUP_NRULES);
	}
	store_reset(q);
	*nrows = n;
	return rc < 0 ? -1 : 0;
}

/* Rows of one table under one key against the batch records g[0..ng). */
static int block(struct run *R, int src, int rule, const char *key, size_t *g, size_t ng,
		 struct err *e)
{
	struct store_stmt *q = R->q[src][rule];
	store_bind_text(q, 1, kind_code(R->kind));
	store_bind_text(q, 2, key);
	size_t n;
	if (block_read(R, q, &n, e) < 0)
		return -1;
	if (n > DEDUP_MAX_BLOCK) {
		R->st->truncated += R->scoring;
		return 0;
	}
	const char *base = R->arena.buf;
	for (size_t r = 0; r < n; r++) {
		const struct brow *b = &R->rows[r];
		struct other o = {base + b->id, b->rec, {NULL}, &R->y};
		for (int k = 0; k < DEDUP_NRULES; k++)
			o.key[k] = base + b->key[k];
		dedup_entity_decode(base + b->cmp, &R->y);
		for (size_t i = 0; i < ng; i++)
			pair(R, &R->p[g[i]], &o, src, rule);
	}
	return 0;
}

/*
 * Pending records sharing a key are compared in memory; the finding goes
 * on the later record of each pair (the earlier one is the original).
 */
static void block_pending(struct run *R, int rule, const size_t *g, size_t ng)
{
	for (size_t i = 0; i < ng; i++)
		for (size_t j = 0; j < ng; j++) {
			const struct pend *y = &R->p[g[j]];
			if (y->id >= R->p[g[i]].id)
				continue;
			char id[32];
			snprintf(id, sizeof(id), "r%lld", y->id);
			struct other o = {id, y->id, {NULL}, &y->x};
			for (int k = 0; k < DEDUP_NRULES; k++)
				o.key[k] = y->key[k] ? y->key[k] : "";
			pair(R, &R->p[g[i]], &o, 1, rule);
		}
}

static int sort_rule;
static const struct pend *sort_base;

static int by_key(const void *a, const void *b)
{
	const struct pend *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
	return strcmp(x->key[sort_rule], y->key[sort_rule]);
}

static int pass_rules(struct run *R, struct err *e)
{
	size_t *ord = xmalloc((R->n + 1) * sizeof(*ord));
	int rc = 0;
	for (int rule = 0; rule < DEDUP_NRULES && rc == 0; rule++) {
		size_t n = 0;
		for (size_t i = 0; i < R->n; i++)
			if (R->p[i].key[rule] && (R->scoring || R->p[i].sample))
				ord[n++] = i;
		sort_rule = rule;
		sort_base = R->p;
		qsort(ord, n, sizeof(*ord), by_key);
		for (size_t i = 0; i < n && rc == 0;) {
			size_t j = i + 1;
			const char *key = R->p[ord[i]].key[rule];
			while (j < n && !strcmp(R->p[ord[j]].key[rule], key))
				j++;
			rc = block(R, 0, rule, key, ord + i, j - i, e);
			if (rc == 0 && R->linked)
				rc = block(R, 1, rule, key, ord + i, j - i, e);
			block_pending(R, rule, ord + i, j - i);
			i = j;
		}
	}
	free(ord);
	return rc;
}

/*
 * One pass over every rule: batch sorted by key, one lookup per distinct
 * key.  The pass only reads; it runs inside one read transaction so that
 * SQLite takes its file lock once, not once per lookup (a deferred BEGIN
 * never blocks the review tool's writes).
 */
static int pass(struct run *R, struct err *e)
{
	if (store_exec(R->s, "BEGIN", e) < 0)
		return -1;
	int rc = pass_rules(R, e);
	store_exec(R->s, "COMMIT", NULL);
	return rc;
}

/* ---- the run ------------------------------------------------------------------ */

static void mark_sample(struct run *R)
{
	size_t step = R->n > DEDUP_EM_SAMPLE ? (R->n + DEDUP_EM_SAMPLE - 1) / DEDUP_EM_SAMPLE : 1;
	for (size_t i = 0; i < R->n; i++)
		R->p[i].sample = i % step == 0;
}

static int record_run(struct run *R, struct err *e)
{
	char now[32];
	time_iso_now(now);
	char *json = dedup_model_json(&R->model);
	struct store_stmt *st = store_prepare(R->s,
		"INSERT INTO dedup_runs(kind, at, records, pairs, model) VALUES(?,?,?,?,?)", e);
	int rc = -1;
	if (st) {
		store_bind_text(st, 1, kind_code(R->kind));
		store_bind_text(st, 2, now);
		store_bind_int(st, 3, (long long)R->n);
		store_bind_int(st, 4, R->st->pairs_total);
		store_bind_text(st, 5, json);
		rc = store_step(st, e) < 0 ? -1 : 0;
	}
	store_finalize(st);
	free(json);
	return rc;
}

/* Hand each record's matches to fn and mark it linked, a few hundred per commit. */
static int deliver(struct run *R, dedup_result_fn fn, void *ctx, struct err *e)
{
	int rc = 0;
	for (size_t i = 0; i < R->n && rc == 0; i++) {
		if (i % 500 == 0 && (rc = store_begin(R->s, e)) < 0)
			break;
		struct pend *p = &R->p[i];
		rc = fn(p->id, p->best, p->nbest, ctx);
		if (rc == 0)
			rc = dedup_record_done(R->s, p->id, p->best, p->nbest, e);
		if (rc == 0 && (i % 500 == 499 || i + 1 == R->n))
			rc = store_commit(R->s, e);
	}
	if (rc)
		store_rollback(R->s);
	return rc;
}

static void run_release(struct run *R)
{
	for (size_t i = 0; i < R->n; i++) {
		dedup_entity_release(&R->p[i].x);
		for (int k = 0; k < DEDUP_NRULES; k++)
			free(R->p[i].key[k]);
		free(R->p[i].best);
	}
	free(R->p);
	for (size_t i = 0; i < R->ndec; i++)
		free(R->dec[i].key);
	free(R->dec);
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < DEDUP_NRULES; r++)
			store_finalize(R->q[s][r]);
	dedup_tf_free(R->tf);
	dedup_patterns_free(R->pat);
	for (int r = 0; r < DEDUP_NRULES; r++)
		dedup_patterns_free(R->pat_rule[r]);
	dedup_entity_release(&R->y);
	free(R->rows);
	sb_release(&R->arena);
}

/* A small deterministic generator: the same data gives the same sample. */
#define U_SAMPLE 20000
#define SMALL_SPACE 1e6	/* possible pairs below which random pairs say little */

/* Level frequencies over random pairs: batch x existing, else batch x batch. */
static int random_pairs(struct run *R, struct dedup_patterns *pat, struct err *e)
{
	struct store_stmt *mm = store_prepare(R->s,
		"SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM existing"
		" WHERE ?1 IS NOT NULL", e);
	struct store_stmt *one = store_prepare(R->s,
		"SELECT cmp, kind = ?2 FROM existing WHERE id >= ?1 ORDER BY id LIMIT 1", e);
	int rc = mm && one ? 0 : -1;
	long long lo = 0, hi = 0;
	if (rc == 0) {
		store_bind_text(mm, 1, kind_code(R->kind));
		if (store_step(mm, e) == 1) {
			lo = store_col_int(mm, 0);
			hi = store_col_int(mm, 1);
		}
	}
	R->nexisting = hi >= lo && hi > 0 ? hi - lo + 1 : 0;
	struct rng st;
	rng_seed(&st, 0x9E3779B97F4A7C15ull);	/* the same sample every run */
	signed char g[DF_COUNT];
	for (int i = 0; rc == 0 && i < U_SAMPLE; i++) {
		const struct pend *a = &R->p[rng_next(&st) % R->n];
		if (hi > 0) {
			store_bind_int(one, 1, lo + (long long)(rng_next(&st) % (uint64_t)(hi - lo + 1)));
			store_bind_text(one, 2, kind_code(R->kind));
			if (store_step(one, e) == 1 && store_col_int(one, 1)) {
				dedup_entity_decode(store_col_text(one, 0), &R->y);
				dedup_compare(&a->x, &R->y, g);
				dedup_patterns_add(pat, g, 1);
			}
			store_reset(one);
		} else if (R->n > 1) {
			const struct pend *b = &R->p[rng_next(&st) % R->n];
			if (a == b)
				continue;
			dedup_compare(&a->x, &b->x, g);
			dedup_patterns_add(pat, g, 1);
		}
	}
	store_finalize(mm);
	store_finalize(one);
	return rc;
}

/*
 * Fit the model: u from random pairs; m by EM on each rule's pairs with
 * that rule's own fields masked (pairs that share a name agree on it
 * because of how they were found, not because they are one person), the
 * rules' m averaged by the matches each found; then p over all candidates.
 */
static int fit(struct run *R, struct err *e)
{
	struct dedup_model *mo = &R->model;
	dedup_model_default(mo);
	struct dedup_patterns *rp = dedup_patterns_new();
	int rc = random_pairs(R, rp, e);
	R->st->em_pairs = (long long)dedup_patterns_total(R->pat);
	if ((double)R->n * (double)(R->n + (size_t)R->nexisting) < SMALL_SPACE) {
		/* Too few records for random pairs to say what chance agreement
		 * looks like: fit m and u together on the candidates. */
		dedup_patterns_free(rp);
		dedup_em(mo, R->pat, 500, 1e-7);
		R->st->model = *mo;
		return rc;
	}
	if (rc == 0 && dedup_patterns_total(rp) > 0)
		dedup_u_from_sample(mo, rp);
	dedup_patterns_free(rp);
	double m[DF_COUNT][DEDUP_MAX_LEVELS] = {{0}}, w[DF_COUNT] = {0}, expected = 0;
	int rounds = 0, converged = 1;
	for (int r = 0; r < DEDUP_NRULES && rc == 0; r++) {
		if (dedup_patterns_total(R->pat_rule[r]) <= 0)
			continue;
		struct dedup_model mr;
		dedup_model_default(&mr);
		dedup_em(&mr, R->pat_rule[r], 500, 1e-7);
		rounds += mr.iterations;
		converged &= mr.converged;
		double wr = mr.p * mr.pairs;
		/* a match sits in several rules' blocks: count it once */
		expected = wr > expected ? wr : expected;
		for (int f = 0; f < DF_COUNT; f++) {
			if (rule_masks(R->kind, r, f))
				continue;
			w[f] += wr;
			for (int l = 0; l < DEDUP_MAX_LEVELS; l++)
				m[f][l] += wr * mr.m[f][l];
		}
	}
	for (int f = 0; f < DF_COUNT; f++)
		for (int l = 0; l < DEDUP_MAX_LEVELS && w[f] > 0; l++)
			mo->m[f][l] = m[f][l] / w[f];
	/* u came from random pairs, so the prior is over random pairs too (as
	 * Splink's lambda): the matches the rules expect over all possible pairs. */
	double space = (double)R->n * (double)(R->n + (size_t)R->nexisting);
	mo->p = expected / (space > 1 ? space : 1);
	mo->p = mo->p < 1e-9 ? 1e-9 : mo->p > 0.5 ? 0.5 : mo->p;
	mo->iterations = rounds;
	mo->converged = converged;
	mo->pairs = dedup_patterns_total(R->pat);
	R->st->em_pairs = (long long)dedup_patterns_total(R->pat);
	R->st->model = *mo;
	return rc;
}

static int link_body(struct run *R, dedup_result_fn fn, void *ctx, struct err *e)
{
	double t0 = time_now();
	struct dedup_tf *delta = dedup_tf_new();
	int rc = dedup_tf_load(R->s, R->kind, R->tf, e) < 0 || load_pending(R, e) < 0 ||
		 save_keys(R, delta, e) < 0 || dedup_tf_save(R->s, R->kind, delta, e) < 0 ||
		 load_decisions(R, e) < 0 || prepare_queries(R, e) < 0 ? -1 : 0;
	dedup_tf_free(delta);
	if (rc == 0)
		rc = count_linked(R, e);
	R->st->pending = (long long)R->n;
	double t1 = time_now();
	R->st->secs_load = t1 - t0;
	if (rc < 0 || R->n == 0)
		return rc;
	mark_sample(R);
	if (pass(R, e) < 0 || fit(R, e) < 0)
		return -1;
	double t2 = time_now();
	R->st->secs_em = t2 - t1;
	R->scoring = 1;
	if (pass(R, e) < 0)
		return -1;
	for (int r = 0; r < DEDUP_NRULES; r++)
		R->st->pairs_total += R->st->pairs[r];
	double t3 = time_now();
	R->st->secs_score = t3 - t2;
	rc = record_run(R, e) < 0 ? -1 : deliver(R, fn, ctx, e);
	R->st->secs_save = time_now() - t3;
	return rc;
}

int dedup_link(struct store *s, enum book_kind kind, dedup_result_fn fn, void *ctx,
	       struct dedup_stats *st, struct err *e)
{
	dedup_init();
	struct run R;
	struct dedup_entity empty = DEDUP_ENTITY_INIT;
	memset(&R, 0, sizeof(R));
	memset(st, 0, sizeof(*st));
	R.s = s;
	R.kind = kind;
	R.st = st;
	R.y = empty;
	R.tf = dedup_tf_new();
	R.pat = dedup_patterns_new();
	for (int r = 0; r < DEDUP_NRULES; r++)
		R.pat_rule[r] = dedup_patterns_new();
	R.rows = xcalloc(DEDUP_MAX_BLOCK + 1, sizeof(*R.rows));
	sb_init(&R.arena);
	/* Candidate rows are read at random through the key indexes: let the
	 * file be mapped rather than copied page by page into SQLite's cache. */
	store_exec(s, "PRAGMA mmap_size = 4294967296", NULL);
	int rc = link_body(&R, fn, ctx, e);
	run_release(&R);
	return rc;
}
