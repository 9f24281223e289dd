/*
 * Fellegi-Sunter: comparison patterns, EM, term frequencies and scores.
 *
 * EM runs on distinct patterns with their counts (a few thousand at most,
 * however many pairs), so fitting costs nothing next to comparing.
 * Blocking makes candidate pairs agree more often than random pairs do, so
 * u is fitted on the candidates themselves; rarity then scales that u by
 * how much rarer (or commoner) the shared value is than the average value
 * (its share over the expected share sum(share^2)), so the weights stay
 * calibrated on the run's own population.
 */
#include "dedup/dedup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- patterns ------------------------------------------------------------ */

struct pat_slot {
	uint32_t key;	/* encoded pattern + 1; 0 empty */
	double n;
};

struct dedup_patterns {
	struct pat_slot *slot;
	size_t cap, used;
	double total;
};

static uint32_t pat_encode(const signed char g[DF_COUNT])
{
	uint32_t k = 0;
	for (int f = DF_COUNT - 1; f >= 0; f--)
		k = k * (uint32_t)(dedup_field_levels(f) + 1) + (uint32_t)(g[f] + 1);
	return k + 1;
}

static void pat_decode(uint32_t k, signed char g[DF_COUNT])
{
	k--;
	for (int f = 0; f < DF_COUNT; f++) {
		uint32_t r = (uint32_t)dedup_field_levels(f) + 1;
		g[f] = (signed char)((int)(k % r) - 1);
		k /= r;
	}
}

struct dedup_patterns *dedup_patterns_new(void)
{
	struct dedup_patterns *p = xcalloc(1, sizeof(*p));
	p->cap = 1024;
	p->slot = xcalloc(p->cap, sizeof(*p->slot));
	return p;
}

void dedup_patterns_free(struct dedup_patterns *p)
{
	if (!p)
		return;
	free(p->slot);
	free(p);
}

static void pat_put(struct pat_slot *slot, size_t cap, uint32_t key, double n)
{
	size_t i = (key * 2654435761u) & (cap - 1);
	while (slot[i].key && slot[i].key != key)
		i = (i + 1) & (cap - 1);
	slot[i].key = key;
	slot[i].n += n;
}

void dedup_patterns_add(struct dedup_patterns *p, const signed char g[DF_COUNT], double n)
{
	if (p->used * 2 >= p->cap) {
		size_t cap = p->cap * 2;
		struct pat_slot *s = xcalloc(cap, sizeof(*s));
		for (size_t i = 0; i < p->cap; i++)
			if (p->slot[i].key)
				pat_put(s, cap, p->slot[i].key, p->slot[i].n);
		free(p->slot);
		p->slot = s;
		p->cap = cap;
	}
	uint32_t key = pat_encode(g);
	size_t i = (key * 2654435761u) & (p->cap - 1);
	while (p->slot[i].key && p->slot[i].key != key)
		i = (i + 1) & (p->cap - 1);
	if (!p->slot[i].key)
		p->used++;
	p->slot[i].key = key;
	p->slot[i].n += n;
	p->total += n;
}

double dedup_patterns_total(const struct dedup_patterns *p)
{
	return p->total;
}

/* ---- the model ------------------------------------------------------------ */

#define PRIOR 2.0	/* pseudo-pairs per field and class from the starting values */
#define PMIN 1e-6

void dedup_model_default(struct dedup_model *mo)
{
	static const double m4[] = {0.02, 0.05, 0.08, 0.85}, m3[] = {0.05, 0.10, 0.85},
			    m2[] = {0.05, 0.95};
	static const double u4[] = {0.85, 0.07, 0.05, 0.03}, u3[] = {0.88, 0.07, 0.05},
			    u2[] = {0.5, 0.5};
	memset(mo, 0, sizeof(*mo));
	mo->p = 0.05;
	for (int f = 0; f < DF_COUNT; f++) {
		int n = dedup_field_levels(f);
		const double *m = n == 4 ? m4 : n == 3 ? m3 : m2, *u = n == 4 ? u4 : n == 3 ? u3 : u2;
		for (int l = 0; l < n; l++) {
			mo->m[f][l] = m[l];
			mo->u[f][l] = u[l];
		}
	}
}

/* u starts from how often each level occurs over all candidates (mostly non-matches). */
static void start_u(struct dedup_model *mo, const struct dedup_patterns *pat)
{
	double cnt[DF_COUNT][DEDUP_MAX_LEVELS] = {{0}};
	for (size_t i = 0; i < pat->cap; i++) {
		if (!pat->slot[i].key)
			continue;
		signed char g[DF_COUNT];
		pat_decode(pat->slot[i].key, g);
		for (int f = 0; f < DF_COUNT; f++)
			if (g[f] >= 0)
				cnt[f][g[f]] += pat->slot[i].n;
	}
	for (int f = 0; f < DF_COUNT; f++) {
		int n = dedup_field_levels(f);
		double tot = 0;
		for (int l = 0; l < n; l++)
			tot += cnt[f][l];
		for (int l = 0; l < n; l++)
			mo->u[f][l] = (cnt[f][l] + PRIOR * mo->u[f][l]) / (tot + PRIOR);
	}
}

static double em_step(struct dedup_model *mo, const struct dedup_model *prior,
		      const struct dedup_patterns *pat)
{
	double sm[DF_COUNT][DEDUP_MAX_LEVELS] = {{0}}, su[DF_COUNT][DEDUP_MAX_LEVELS] = {{0}};
	double sp = 0;
	for (size_t i = 0; i < pat->cap; i++) {
		if (!pat->slot[i].key)
			continue;
		signed char g[DF_COUNT];
		pat_decode(pat->slot[i].key, g);
		double lm = log(mo->p), lu = log(1 - mo->p);
		for (int f = 0; f < DF_COUNT; f++)
			if (g[f] >= 0) {
				lm += log(mo->m[f][g[f]]);
				lu += log(mo->u[f][g[f]]);
			}
		double w = 1 / (1 + exp(lu - lm)), n = pat->slot[i].n;
		sp += n * w;
		for (int f = 0; f < DF_COUNT; f++)
			if (g[f] >= 0) {
				sm[f][g[f]] += n * w;
				su[f][g[f]] += n * (1 - w);
			}
	}
	double delta = 0;
	double p = (sp + 1) / (pat->total + 2);
	delta = fabs(p - mo->p);
	mo->p = p < PMIN ? PMIN : p > 1 - PMIN ? 1 - PMIN : p;
	for (int f = 0; f < DF_COUNT; f++) {
		int n = dedup_field_levels(f);
		double tm = 0, tu = 0;
		for (int l = 0; l < n; l++) {
			tm += sm[f][l] + PRIOR * prior->m[f][l];
			tu += su[f][l] + PRIOR * prior->u[f][l];
		}
		for (int l = 0; l < n; l++) {
			double m = (sm[f][l] + PRIOR * prior->m[f][l]) / tm;
			double u = (su[f][l] + PRIOR * prior->u[f][l]) / tu;
			m = m < PMIN ? PMIN : m;
			u = u < PMIN ? PMIN : u;
			delta = fmax(delta, fmax(fabs(m - mo->m[f][l]), fabs(u - mo->u[f][l])));
			mo->m[f][l] = m;
			mo->u[f][l] = u;
		}
	}
	return delta;
}

/* The class EM calls "match" must be the one that agrees more. */
static void fix_labels(struct dedup_model *mo)
{
	double s = 0;
	for (int f = 0; f < DF_COUNT; f++) {
		int top = dedup_field_levels(f) - 1;
		s += mo->m[f][top] - mo->u[f][top];
	}
	if (s >= 0)
		return;
	for (int f = 0; f < DF_COUNT; f++)
		for (int l = 0; l < DEDUP_MAX_LEVELS; l++) {
			double t = mo->m[f][l];
			mo->m[f][l] = mo->u[f][l];
			mo->u[f][l] = t;
		}
	mo->p = 1 - mo->p;
}

void dedup_em(struct dedup_model *mo, const struct dedup_patterns *pat, int max_iter, double tol)
{
	start_u(mo, pat);
	struct dedup_model prior = *mo;
	mo->iterations = 0;
	mo->converged = 0;
	mo->pairs = pat->total;
	while (mo->iterations < max_iter) {
		double d = em_step(mo, &prior, pat);
		mo->iterations++;
		if (d < tol) {
			mo->converged = 1;
			break;
		}
	}
	fix_labels(mo);
}

void dedup_u_from_sample(struct dedup_model *mo, const struct dedup_patterns *random)
{
	start_u(mo, random);
}

/* ---- term frequencies --------------------------------------------------- */

struct tf_slot {
	char *value;
	long long n;
};

struct tf_map {
	struct tf_slot *slot;
	size_t cap, used;
	long long total;
	double sumsq;	/* sum of n^2: total^2 * expected share */
};

struct dedup_tf {
	struct tf_map map[DEDUP_TF_FIELDS];
};

struct dedup_tf *dedup_tf_new(void)
{
	return xcalloc(1, sizeof(struct dedup_tf));
}

void dedup_tf_free(struct dedup_tf *t)
{
	if (!t)
		return;
	for (int s = 0; s < DEDUP_TF_FIELDS; s++) {
		for (size_t i = 0; i < t->map[s].cap; i++)
			free(t->map[s].slot[i].value);
		free(t->map[s].slot);
	}
	free(t);
}

int dedup_tf_slot(enum dedup_field f)
{
	return f == DF_SURNAME ? 0 : f == DF_GIVEN ? 1 : -1;
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct tf_slot *tf_find(const struct tf_map *m, const char *v)
{
	if (!m->cap)
		return NULL;
	size_t i = str_hash(v) & (m->cap - 1);
	while (m->slot[i].value && strcmp(m->slot[i].value, v))
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

static void tf_grow(struct tf_map *m)
{
	if (m->cap && m->used * 2 < m->cap)
		return;
	struct tf_map big = {xcalloc(m->cap ? m->cap * 2 : 256, sizeof(struct tf_slot)),
			     m->cap ? m->cap * 2 : 256, m->used, m->total, m->sumsq};
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].value)
			*tf_find(&big, m->slot[i].value) = m->slot[i];
	free(m->slot);
	*m = big;
}

void dedup_tf_add(struct dedup_tf *t, int slot, const char *value, long long n)
{
	if (slot < 0 || !*value)
		return;
	struct tf_map *m = &t->map[slot];
	tf_grow(m);
	struct tf_slot *s = tf_find(m, value);
	if (!s->value) {
		s->value = xstrdup(value);
		m->used++;
	}
	m->sumsq += (double)(s->n + n) * (double)(s->n + n) - (double)s->n * (double)s->n;
	s->n += n;
	m->total += n;
}

void dedup_tf_add_entity(struct dedup_tf *t, const struct dedup_entity *x)
{
	dedup_tf_add(t, 0, x->fsurname, 1);
	dedup_tf_add(t, 1, x->fgiven, 1);
}

double dedup_tf_share(const struct dedup_tf *t, int slot, const char *value)
{
	const struct tf_map *m = &t->map[slot];
	const struct tf_slot *s = tf_find(m, value);
	return s && s->value && m->total ? (double)s->n / (double)m->total : 0;
}

long long dedup_tf_total(const struct dedup_tf *t, int slot)
{
	return t->map[slot].total;
}

void dedup_tf_each(const struct dedup_tf *t,
		   void (*fn)(int slot, const char *value, long long n, void *ctx), void *ctx)
{
	for (int s = 0; s < DEDUP_TF_FIELDS; s++)
		for (size_t i = 0; i < t->map[s].cap; i++)
			if (t->map[s].slot[i].value)
				fn(s, t->map[s].slot[i].value, t->map[s].slot[i].n, ctx);
}

/* ---- scores --------------------------------------------------------------- */

#define TF_MIN_TOTAL 100	/* fewer values than this: frequencies mean little */
#define TF_MAX_BITS 8.0		/* a value's rarity moves a weight by at most this */

/* How much rarer (> 1) or commoner (< 1) than average the value is. */
static double tf_factor(const struct dedup_tf *tf, int slot, const char *v)
{
	const struct tf_map *m = &tf->map[slot];
	if (m->total < TF_MIN_TOTAL)
		return 1;
	double share = dedup_tf_share(tf, slot, v);
	if (share <= 0)
		share = 1.0 / (double)m->total;
	double expected = m->sumsq / ((double)m->total * (double)m->total);
	double f = expected / share, lim = pow(2, TF_MAX_BITS);
	return f > lim ? lim : f < 1 / lim ? 1 / lim : f;
}

double dedup_field_weight(const struct dedup_model *mo, enum dedup_field f, int level,
			  const struct dedup_entity *a, const struct dedup_tf *tf)
{
	if (level < 0)
		return 0;
	double w = log2(mo->m[f][level] / mo->u[f][level]);
	int slot = dedup_tf_slot(f);
	if (tf && a && slot >= 0 && level == dedup_field_levels(f) - 1)
		w += log2(tf_factor(tf, slot, f == DF_SURNAME ? a->fsurname : a->fgiven));
	return w;
}

double dedup_score(const struct dedup_model *mo, const signed char g[DF_COUNT],
		   const struct dedup_entity *a, const struct dedup_tf *tf)
{
	double w = log2(mo->p / (1 - mo->p));
	for (int f = 0; f < DF_COUNT; f++)
		w += dedup_field_weight(mo, (enum dedup_field)f, g[f], a, tf);
	return 1 / (1 + exp2(-w));
}

char *dedup_model_json(const struct dedup_model *mo)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "{\"p\": %.6g, \"pairs\": %.0f, \"iterations\": %d, \"converged\": %s, "
		"\"fields\": {", mo->p, mo->pairs, mo->iterations, mo->converged ? "true" : "false");
	for (int f = 0; f < DF_COUNT; f++) {
		sb_addf(&sb, "%s\"%s\": {\"m\": [", f ? ", " : "", dedup_field_name(f));
		int n = dedup_field_levels(f);
		for (int l = 0; l < n; l++)
			sb_addf(&sb, "%s%.6g", l ? ", " : "", mo->m[f][l]);
		sb_adds(&sb, "], \"u\": [");
		for (int l = 0; l < n; l++)
			sb_addf(&sb, "%s%.6g", l ? ", " : "", mo->u[f][l]);
		sb_adds(&sb, "]}");
	}
	sb_adds(&sb, "}}");
	return sb_detach(&sb);
}
