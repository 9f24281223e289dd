/*
 * eval: compare what hotich read (the database) with a fixture run's truth.
 *
 *   build/bench/eval --db hotich.db --truth DIR/truth.json [--json|--diff|--thresholds]
 *
 * Beside the pipeline: used by make bench and by the accuracy tests.  Truth
 * records are matched to database records on the same file and page by
 * entry number, else by position on the page.  Reports records found, field
 * exact-match rates per field type for the raw reading (on a lenient key:
 * case and spacing) and for the validated value (exact), the automation
 * rate (records clean), the residual error rate among fields of clean
 * records, and how many planted anomalies were flagged on their own field.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "common/record.h"
#include "store/store.h"
#include "validate/validate.h"

enum ftype { FT_NAME, FT_DATE, FT_ID, FT_PLACE, FT_CODE, FT_NUMBER, FT_OTHER, FT_COUNT };
static const char *const ftype_names[] = {"name", "date", "id", "place", "code", "number", "other"};

static enum ftype field_type(const char *col)
{
	static const struct { const char *suffix; enum ftype t; } map[] = {
		{"HoTen", FT_NAME}, {"NgaySinh", FT_DATE}, {"ngayDangKy", FT_DATE},
		{"NgayChet", FT_DATE}, {"gbtNgay", FT_DATE}, {"GioPhutChet", FT_DATE},
		{"SoDinhDanh", FT_ID}, {"SoGiayToTuyThan", FT_ID}, {"SoDinhDanhCaNhan", FT_ID},
		{"NoiSinh", FT_PLACE}, {"QueQuan", FT_PLACE}, {"NoiCuTru", FT_PLACE},
		{"NoiChet", FT_PLACE}, {"noiDangKy", FT_PLACE}, {"gbtCoQuanCap", FT_PLACE},
		{"GioiTinh", FT_CODE}, {"loaiDangKy", FT_CODE}, {"DanToc", FT_CODE},
		{"QuocTich", FT_CODE}, {"QuanHe", FT_CODE}, {"LoaiGiayToTuyThan", FT_CODE},
		{"so", FT_NUMBER}, {"quyenSo", FT_NUMBER}, {"trangSo", FT_NUMBER}, {"gbtSo", FT_NUMBER},
	};
	size_t n = strlen(col);
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		size_t k = strlen(map[i].suffix);
		if (n >= k && !strcmp(col + n - k, map[i].suffix))
			return map[i].t;
	}
	return FT_OTHER;
}

struct tally {
	long long raw_ok, raw_n;	/* raw reading on a lenient key */
	long long val_ok, val_n;	/* validated value, exact */
	long long acc_bad, acc_n;	/* fields of clean records: wrong / all */
	long long pass_bad, pass_n;	/* fields with no warning of their own: wrong / all */
	long long flagged_bad;		/* wrong values that carried a finding */
	long long wrong;		/* wrong values overall */
	long long lost;			/* empty where the register holds a value */
};

struct db_rec {
	char *file;
	int page, index;
	char *so;
	long long id;
	int status;
	int used;
};

struct ctx {
	struct db_rec *recs;
	size_t n, alloc;
};

static int collect(struct record *r, enum record_status st, const struct record_source *src,
		   void *arg)
{
	struct ctx *c = arg;
	ALLOC_GROW(c->recs, c->n + 1, c->alloc);
	struct db_rec *d = &c->recs[c->n++];
	d->file = xstrdup(src->file ? src->file : "");
	d->page = src->page;
	d->index = src->index;
	const char *so = record_value(r, "so");
	d->so = xstrdup(*so ? so : record_raw(r, "so"));
	d->id = r->id;
	d->status = st;
	d->used = 0;
	return 0;
}

static struct db_rec *find(struct ctx *c, const char *file, int page, int index, const char *so)
{
	struct db_rec *by_index = NULL;
	for (size_t i = 0; i < c->n; i++) {
		struct db_rec *d = &c->recs[i];
		if (d->used || d->page != page || strcmp(d->file, file))
			continue;
		if (*so && !strcmp(d->so, so))
			return d;
		if (d->index == index && !by_index)
			by_index = d;
	}
	return by_index;
}

/* Lenient key for raw readings: lower case, single spaces. */
static int raw_matches(const char *raw, const char *truth)
{
	char *a = text_lower(raw), *b = text_lower(truth);
	char *sa = text_squeeze(a), *sb = text_squeeze(b);
	int ok = !strcmp(sa, sb);
	free(a);
	free(b);
	free(sa);
	free(sb);
	return ok;
}

/* A warning or error on the field itself: the review tool shows it to a supervisor. */
static int field_questioned(const struct record *r, const char *col)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].field, col) && r->findings[i].severity >= SEV_WARNING)
			return 1;
	return 0;
}

static int has_finding(const struct record *r, const char *col, const char *code)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].field, col) &&
		    (!code || !strcmp(r->findings[i].code, code)))
			return 1;
	return 0;
}

struct totals {
	struct tally t[FT_COUNT];
	long long truth_recs, found, clean, anomalies, anomalies_flagged;
	long long book_anomalies, book_anomalies_flagged;
};

static int show_diff;	/* --diff: print every wrong value */

/*
 * --thresholds: for each OCR'd field that passed every check but the
 * confidence one, its validation type, confidence and whether its value is
 * wrong.  From these, the lowest confidence per type above which at most
 * 1 in 1,000 accepted values is wrong.
 */
struct sample {
	float conf;
	int wrong;
};
static struct sample *samples[VT_COUNT];
static size_t nsamples[VT_COUNT], asamples[VT_COUNT];

static int only_conf_finding(const struct record *r, const char *col)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].field, col) && r->findings[i].severity >= SEV_WARNING &&
		    strcmp(r->findings[i].code, "low_confidence"))
			return 0;
	return 1;
}

static void sample_add(const struct record *r, const struct field *f, int wrong)
{
	if (!f || f->conf < 0 || !only_conf_finding(r, f->name))
		return;
	enum validate_ftype t = validate_column_type(f->name);
	ALLOC_GROW(samples[t], nsamples[t] + 1, asamples[t]);
	samples[t][nsamples[t]++] = (struct sample){f->conf, wrong};
}

static void score_field(struct totals *to, const struct record *r, int clean,
			const char *col, const char *want)
{
	struct tally *t = &to->t[field_type(col)];
	const struct field *f = record_field(r, col);
	const char *raw = f ? f->raw : "";
	const char *val = f && f->value ? f->value : "";
	if (*want || *raw) {
		t->raw_n++;
		t->raw_ok += raw_matches(raw, want);
	}
	if (!*want && !*val)
		return;
	t->val_n++;
	int ok = !strcmp(val, want);
	/* A value not found at all is not a misreading: confidence cannot
	 * speak for it, so it is counted apart from the threshold fit. */
	if (!*val && *want)
		t->lost++;
	else
		sample_add(r, f, !ok);
	t->val_ok += ok;
	if (!ok) {
		t->wrong++;
		t->flagged_bad += has_finding(r, col, NULL);
		if (show_diff)
			printf("%s record %lld %-22s want '%s' got '%s' (raw '%s', conf %.0f)%s\n",
			       clean ? "ACCEPTED" : "flagged ", r->id, col, want, val, raw,
			       f ? f->conf : -1, has_finding(r, col, NULL) ? " [finding]" : "");
	}
	if (clean) {
		t->acc_n++;
		t->acc_bad += !ok;
	}
	if (*val && !field_questioned(r, col)) {
		t->pass_n++;
		t->pass_bad += !ok;
	}
}

static void score_record(struct store *s, struct totals *to, json_t *tr, struct db_rec *d)
{
	struct record r;
	struct err e = ERR_INIT;
	if (store_record_load(s, d->id, &r, NULL, NULL, &e) < 0)
		return;
	int clean = d->status == REC_CLEAN || d->status == REC_APPROVED;
	to->clean += clean;
	const char *col;
	json_t *v;
	json_object_foreach(json_object_get(tr, "values"), col, v)
		score_field(to, &r, clean, col, json_string_value(v) ? json_string_value(v) : "");
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(tr, "anomalies"), i, a) {
		to->anomalies++;
		to->anomalies_flagged += has_finding(&r, json_string_value(json_object_get(a, "field")),
						     NULL);
	}
	record_release(&r);
}

static void book_anomalies(struct store *s, struct totals *to, json_t *truth)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(truth, "book_anomalies"), i, a) {
		to->book_anomalies++;
		struct err e = ERR_INIT;
		struct store_stmt *st = store_prepare(s,
			"SELECT COUNT(*) FROM findings f JOIN books b ON b.id = f.book_id"
			" WHERE f.record_id IS NULL AND b.name = ? AND f.code = ?"
			" AND instr(f.message, ?) > 0", &e);
		if (!st)
			continue;
		store_bind_text(st, 1, json_string_value(json_object_get(a, "file")));
		store_bind_text(st, 2, json_string_value(json_object_get(a, "code")));
		store_bind_text(st, 3, json_string_value(json_object_get(a, "so")));
		if (store_step(st, &e) == 1 && store_col_int(st, 0) > 0)
			to->book_anomalies_flagged++;
		store_finalize(st);
	}
}

static double pct(long long a, long long b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

static json_t *report_json(const struct totals *to)
{
	json_t *o = json_object();
	json_object_set_new(o, "truth_records", json_integer(to->truth_recs));
	json_object_set_new(o, "records_found", json_integer(to->found));
	json_object_set_new(o, "records_found_pct", json_real(pct(to->found, to->truth_recs)));
	json_object_set_new(o, "automation_pct", json_real(pct(to->clean, to->found)));
	json_object_set_new(o, "anomalies", json_integer(to->anomalies));
	json_object_set_new(o, "anomalies_flagged", json_integer(to->anomalies_flagged));
	json_object_set_new(o, "book_anomalies", json_integer(to->book_anomalies));
	json_object_set_new(o, "book_anomalies_flagged", json_integer(to->book_anomalies_flagged));
	long long acc_bad = 0, acc_n = 0, pass_bad = 0, pass_n = 0;
	json_t *types = json_object();
	for (int i = 0; i < FT_COUNT; i++) {
		const struct tally *t = &to->t[i];
		acc_bad += t->acc_bad;
		acc_n += t->acc_n;
		pass_bad += t->pass_bad;
		pass_n += t->pass_n;

		json_t *ft = json_object();
		json_object_set_new(ft, "raw_n", json_integer(t->raw_n));
		json_object_set_new(ft, "raw_exact_pct", json_real(pct(t->raw_ok, t->raw_n)));
		json_object_set_new(ft, "value_n", json_integer(t->val_n));
		json_object_set_new(ft, "value_exact_pct", json_real(pct(t->val_ok, t->val_n)));
		json_object_set_new(ft, "wrong_flagged_pct", json_real(pct(t->flagged_bad, t->wrong)));
		json_object_set_new(ft, "accepted_n", json_integer(t->acc_n));
		json_object_set_new(ft, "accepted_wrong", json_integer(t->acc_bad));
		json_object_set_new(ft, "lost", json_integer(t->lost));
		json_object_set_new(ft, "passed_n", json_integer(t->pass_n));
		json_object_set_new(ft, "passed_wrong", json_integer(t->pass_bad));
		json_object_set_new(types, ftype_names[i], ft);
	}
	json_object_set_new(o, "field_types", types);
	json_object_set_new(o, "accepted_fields", json_integer(acc_n));
	json_object_set_new(o, "accepted_wrong", json_integer(acc_bad));
	json_object_set_new(o, "residual_error_pct", json_real(pct(acc_bad, acc_n)));
	json_object_set_new(o, "passed_fields", json_integer(pass_n));
	json_object_set_new(o, "passed_wrong", json_integer(pass_bad));
	json_object_set_new(o, "passed_error_pct", json_real(pct(pass_bad, pass_n)));
	return o;
}

static void report_text(const struct totals *to)
{
	printf("records found      %lld of %lld (%.1f%%)\n", to->found, to->truth_recs,
	       pct(to->found, to->truth_recs));
	printf("automation         %.1f%% of found records clean\n", pct(to->clean, to->found));
	printf("anomalies flagged  %lld of %lld on their field; book-level %lld of %lld\n",
	       to->anomalies_flagged, to->anomalies, to->book_anomalies_flagged,
	       to->book_anomalies);
	printf("%-8s %8s %8s %8s %8s %10s %6s %8s %8s\n", "type", "raw%", "value%", "fields",
	       "accepted", "acc.wrong", "lost", "passed", "p.wrong");
	long long bad = 0, n = 0, pbad = 0, pn = 0;
	for (int i = 0; i < FT_COUNT; i++) {
		const struct tally *t = &to->t[i];
		printf("%-8s %8.1f %8.1f %8lld %8lld %10lld %6lld %8lld %8lld\n", ftype_names[i],
		       pct(t->raw_ok, t->raw_n), pct(t->val_ok, t->val_n), t->val_n, t->acc_n,
		       t->acc_bad, t->lost, t->pass_n, t->pass_bad);
		bad += t->acc_bad;
		n += t->acc_n;
		pbad += t->pass_bad;
		pn += t->pass_n;
	}
	printf("residual error     %.3f%% of %lld accepted fields\n", pct(bad, n), n);
	printf("passed fields      %.3f%% wrong of %lld fields without a warning of their own\n",
	       pct(pbad, pn), pn);
}

static int by_conf_desc(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	return (x->conf < y->conf) - (x->conf > y->conf);
}

/*
 * The lowest confidence t such that, among checked fields with conf >= t,
 * wrong / all <= 1/1000, and the count that rests on.  With 0 errors in n
 * fields the 95% upper bound on the error rate is about 3/n (rule of
 * three), so the claim "at most 0.1%" needs n >= 3000 to be proven.
 */
static void report_thresholds(void)
{
	printf("%-8s %8s %10s %8s %8s %12s\n", "type", "fields", "threshold", "accepted",
	       "wrong", "95% bound");
	for (int t = 0; t < VT_COUNT; t++) {
		size_t n = nsamples[t];
		qsort(samples[t], n, sizeof(*samples[t]), by_conf_desc);
		size_t best = 0, wrong = 0, best_wrong = 0;
		for (size_t i = 0; i < n; i++) {
			wrong += samples[t][i].wrong;
			/* cut only between distinct confidences */
			if (i + 1 < n && samples[t][i + 1].conf == samples[t][i].conf)
				continue;
			if (wrong * 1000 <= i + 1) {
				best = i + 1;
				best_wrong = wrong;
			}
		}
		float thr = best ? samples[t][best - 1].conf : 100;
		double bound = best ? (best_wrong ? (double)best_wrong / (double)best : 3.0 / (double)best) : 1;
		printf("%-8s %8zu %10.1f %8zu %8zu %11.2f%%\n", validate_ftype_name(t), n, thr, best,
		       best_wrong, 100 * bound);
		free(samples[t]);
	}
}

/* Score one run (database) against its truth file; adds to *to. */
static int eval_pair(const char *db, const char *truth_path, struct totals *to, size_t *db_recs)
{
	json_error_t je;
	json_t *truth = json_load_file(truth_path, 0, &je);
	if (!truth) {
		fprintf(stderr, "eval: cannot read '%s': %s\n", truth_path, je.text);
		return -1;
	}
	struct err e = ERR_INIT;
	struct store *s = store_open_existing(db, &e);
	if (!s) {
		fprintf(stderr, "eval: %s\n", e.msg);
		json_decref(truth);
		return -1;
	}
	struct ctx c = {0};
	store_records_each(s, KIND_NONE, -1, collect, &c, &e);
	size_t i;
	json_t *tr;
	json_array_foreach(json_object_get(truth, "records"), i, tr) {
		to->truth_recs++;
		const char *so = json_string_value(json_object_get(json_object_get(tr, "values"), "so"));
		struct db_rec *d = find(&c, json_string_value(json_object_get(tr, "file")),
					(int)json_integer_value(json_object_get(tr, "page")),
					(int)json_integer_value(json_object_get(tr, "index")),
					so ? so : "");
		if (!d)
			continue;
		d->used = 1;
		to->found++;
		score_record(s, to, tr, d);
	}
	book_anomalies(s, to, truth);
	*db_recs += c.n;
	for (size_t k = 0; k < c.n; k++) {
		free(c.recs[k].file);
		free(c.recs[k].so);
	}
	free(c.recs);
	store_close(s);
	json_decref(truth);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: eval (--db FILE --truth truth.json)... [--json|--diff|--thresholds]\n"
		"  several --db/--truth pairs are scored together\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *dbs[64], *truths[64];
	int ndb = 0, ntruth = 0, as_json = 0, show_thresholds = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc && ndb < 64)
			dbs[ndb++] = argv[++i];
		else if (!strcmp(argv[i], "--truth") && i + 1 < argc && ntruth < 64)
			truths[ntruth++] = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			as_json = 1;
		else if (!strcmp(argv[i], "--diff"))
			show_diff = 1;
		else if (!strcmp(argv[i], "--thresholds"))
			show_thresholds = 1;
		else
			return usage();
	}
	if (ntruth == 0 || ntruth != ndb)
		return usage();
	struct totals to = {0};
	size_t db_recs = 0;
	for (int k = 0; k < ndb; k++)
		if (eval_pair(dbs[k], truths[k], &to, &db_recs) < 0)
			return 1;
	if (show_thresholds) {
		report_thresholds();
	} else if (as_json) {
		json_t *o = report_json(&to);
		json_object_set_new(o, "db_records", json_integer((json_int_t)db_recs));
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(o);
	} else {
		report_text(&to);
		printf("database records   %zu (%zu not in truth)\n", db_recs,
		       db_recs - (size_t)to.found);
	}
	return 0;
}
