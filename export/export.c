/*
 * An export: select the exportable records in one read snapshot, stream
 * them to a temporary file, then in one write transaction record the
 * export, write the manifest and rename both files into place.  The write
 * lock is held only for that last short step, so a long export does not
 * stall a running batch or the supervisors.
 */
#include "export/internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "export/file.h"
#include "store/store.h"

static const char *const format_names[] = {"csv", "json", "ndjson", "xlsx"};
#define NFORMATS (sizeof(format_names) / sizeof(*format_names))

int export_format_parse(const char *s)
{
	for (int i = 0; i < (int)NFORMATS; i++)
		if (s && !strcmp(s, format_names[i]))
			return i;
	return -1;
}

const char *export_format_name(enum export_format f)
{
	return (unsigned)f < NFORMATS ? format_names[f] : "";
}

void export_result_release(struct export_result *res)
{
	for (size_t i = 0; i < res->nleft_out; i++)
		free(res->left_out[i]);
	free(res->left_out);
	free(res->manifest_path);
	memset(res, 0, sizeof(*res));
}

/*
 * Clean or approved, without an unresolved duplicate finding, optionally
 * never exported; in store_records_each's order (book, then entry number),
 * which a unit test holds us to.  A duplicate finding is settled when a
 * supervisor resolved it (review marks the survivor of a "same" decision
 * so) or when its match was ruled 'different' (which survives a re-run of
 * dedup that raises the finding again).
 */
#define SELECTABLE \
	" r.kind = ?1 AND r.status IN ('clean', 'approved')" \
	" AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.record_id = r.id AND f.resolved = 0" \
	"   AND (f.match_source IS NOT NULL OR f.code LIKE 'duplicate%')" \
	"   AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.record_id = r.id" \
	"     AND m.source = f.match_source AND m.other_id = f.match_id" \
	"     AND m.decision = 'different'))" \
	" AND (?2 = 0 OR NOT EXISTS (SELECT 1 FROM export_records x JOIN exports ex" \
	"   ON ex.id = x.export_id WHERE x.record_id = r.id AND ex.kind = ?1 AND ex.format = ?4))"
/* A value over RECORD_MAX_CELL (from before the limit, or put in by hand)
 * would write a file that import refuses: such a record stays out, named. */
#define CELL_BYTES " length(CAST(coalesce(v.value, v.raw) AS BLOB))"
#define OVERLONG " (SELECT 1 FROM fields v WHERE v.record_id = r.id AND" CELL_BYTES " > ?3)"

static const char select_sql[] =
	"SELECT r.id FROM records r WHERE" SELECTABLE " AND NOT EXISTS" OVERLONG
	" ORDER BY r.book_id IS NULL, r.book_id, r.source_file, r.entry_int, r.idx, r.id";

static const char overlong_sql[] =
	"SELECT r.id, v.name," CELL_BYTES " FROM records r JOIN fields v ON v.record_id = r.id"
	" WHERE" SELECTABLE " AND" CELL_BYTES " > ?3 ORDER BY r.id, v.name";

static const char info_sql[] =
	"SELECT p.printed_page, b.office, coalesce(b.batch_id, 0), r.ocr, r.status"
	" FROM records r LEFT JOIN pages p ON p.id = r.page_id"
	" LEFT JOIN books b ON b.id = r.book_id WHERE r.id = ?";

/* The last decision a supervisor recorded on the record. */
static const char review_sql[] =
	"SELECT reviewer, at FROM reviews WHERE record_id = ? ORDER BY id DESC LIMIT 1";

struct job {
	struct store *s;
	const struct export_options *opt;
	struct export_result *res;
	struct store_stmt *info, *review;
	long long *ids;
	size_t nids, ids_alloc;
	long long *batches;
	size_t nbatches, batches_alloc;
	struct provenance prov;
	struct outfile data, manifest;
	struct strbuf buf;
	size_t left_alloc;
	struct xlsx_out *xlsx;	/* the workbook while an xlsx export writes */
	int reading;	/* the read snapshot is open */
	long long scored_fields;	/* see struct manifest_info */
	double expected_wrong;
};

/* What a record's row needs from its page, book and review. */
struct row_info {
	char *printed_page, *office, *reviewer, *at;
	int approved;
};

static void row_info_release(struct row_info *ri)
{
	free(ri->printed_page);
	free(ri->office);
	free(ri->reviewer);
	free(ri->at);
	memset(ri, 0, sizeof(*ri));
}

static struct store_stmt *selection(struct job *j, const char *sql, struct err *e)
{
	struct store_stmt *st = store_prepare(j->s, sql, e);
	if (!st)
		return NULL;
	store_bind_text(st, 1, kind_code(j->opt->kind));
	store_bind_int(st, 2, j->opt->since_last);
	store_bind_int(st, 3, RECORD_MAX_CELL);
	store_bind_text(st, 4, export_format_name(j->opt->format));
	return st;
}

static int select_left_out(struct job *j, struct export_result *res, struct err *e)
{
	struct store_stmt *st = selection(j, overlong_sql, e);
	if (!st)
		return -1;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(res->left_out, res->nleft_out + 1, j->left_alloc);
		res->left_out[res->nleft_out++] = xasprintf(
			"record r%lld left out: its '%s' is %lld bytes, more than a cell holds "
			"(%d); shorten it with hotich review --set", store_col_int(st, 0),
			store_col_text(st, 1), store_col_int(st, 2), RECORD_MAX_CELL);
	}
	store_finalize(st);
	return rc;
}

static int select_ids(struct job *j, struct err *e)
{
	struct store_stmt *st = selection(j, select_sql, e);
	if (!st)
		return -1;
	int rc;
	while ((rc = store_step(st, e)) == 1) {
		ALLOC_GROW(j->ids, j->nids + 1, j->ids_alloc);
		j->ids[j->nids++] = store_col_int(st, 0);
	}
	store_finalize(st);
	return rc;
}

static void note_batch(struct job *j, long long batch_id)
{
	if (batch_id <= 0)
		return;
	for (size_t i = 0; i < j->nbatches; i++)
		if (j->batches[i] == batch_id)
			return;
	ALLOC_GROW(j->batches, j->nbatches + 1, j->batches_alloc);
	j->batches[j->nbatches++] = batch_id;
}

static int load_review(struct job *j, long long id, struct row_info *ri, struct err *e)
{
	store_reset(j->review);
	store_bind_int(j->review, 1, id);
	int rc = store_step(j->review, e);
	if (rc == 1) {
		ri->reviewer = xstrdup(store_col_text(j->review, 0));
		ri->at = xstrdup(store_col_text(j->review, 1));
	}
	store_reset(j->review);
	return rc < 0 ? -1 : 0;
}

static int load_info(struct job *j, long long id, struct row_info *ri, struct err *e)
{
	store_reset(j->info);
	store_bind_int(j->info, 1, id);
	int rc = store_step(j->info, e);
	if (rc == 1) {
		if (!store_col_is_null(j->info, 0))
			ri->printed_page = xstrdup(store_col_text(j->info, 0));
		if (!store_col_is_null(j->info, 1))
			ri->office = xstrdup(store_col_text(j->info, 1));
		note_batch(j, store_col_int(j->info, 2));
		provenance_add_ocr(&j->prov, store_col_text(j->info, 3));
		ri->approved = !strcmp(store_col_text(j->info, 4), "approved");
	}
	store_reset(j->info);
	if (rc < 0)
		return -1;
	return ri->approved ? load_review(j, id, ri, e) : 0;
}

/* Append the record's row (CSV) or object (JSON, NDJSON) to j->buf. */
static void format_row(struct job *j, const struct record *r, const struct record_source *src,
		       const struct row_info *ri, long long ordinal)
{
	struct export_extra x = {ri->printed_page, ri->office, ordinal};
	size_t n;
	char **cells = export_cells(r, src, &x, &n);
	if (j->opt->format == EXPORT_CSV) {
		export_csv_row(&j->buf, (const char *const *)cells, n);
	} else if (j->opt->format == EXPORT_XLSX) {
		export_xlsx_row(j->xlsx, (const char *const *)cells, n);
	} else {
		struct export_review rv = {ri->approved, ri->reviewer ? ri->reviewer : "",
					   ri->at ? ri->at : ""};
		char *line = export_json_line(r->kind, cells, n, src, &rv);
		if (j->opt->format == EXPORT_JSON && ordinal > 1)
			sb_adds(&j->buf, ",\n");
		sb_adds(&j->buf, line);
		if (j->opt->format == EXPORT_NDJSON)
			sb_addc(&j->buf, '\n');
		free(line);
	}
	export_cells_free(cells, n);
}

/* A row accepted unseen carries its fields' doubt into the manifest; an
 * approved row was looked at by a supervisor. */
static void doubt_add(struct job *j, const struct record *r, enum record_status st)
{
	if (st != REC_CLEAN)
		return;
	for (size_t i = 0; i < r->nfields; i++)
		if (r->fields[i].p >= 0) {
			j->scored_fields++;
			j->expected_wrong += 1 - r->fields[i].p;
		}
}

static int write_record(struct job *j, long long id, long long ordinal, struct err *e)
{
	struct record r;
	struct record_source src;
	struct row_info ri = {0};
	enum record_status st = REC_NEW;
	record_init(&r, KIND_NONE);
	memset(&src, 0, sizeof(src));
	int rc = store_record_load(j->s, id, &r, &st, &src, e);
	if (rc == 0)
		doubt_add(j, &r, st);
	if (rc == 0)
		rc = load_info(j, id, &ri, e);
	if (rc == 0) {
		sb_reset(&j->buf);
		format_row(j, &r, &src, &ri, ordinal);
		rc = outfile_write(&j->data, j->buf.buf, j->buf.len, e);
	}
	row_info_release(&ri);
	record_release(&r);
	record_source_release(&src);
	return rc;
}

static int write_head(struct job *j, struct err *e)
{
	sb_reset(&j->buf);
	if (j->opt->format == EXPORT_XLSX)
		return export_xlsx_open(&j->xlsx, j->data.tmp, j->opt->kind, e);
	if (j->opt->format == EXPORT_CSV) {
		size_t n;
		const char *const *cols = columns_of(j->opt->kind, &n);
		if (j->opt->bom)
			sb_adds(&j->buf, "\xEF\xBB\xBF");
		export_csv_row(&j->buf, cols, n);
	} else if (j->opt->format == EXPORT_JSON) {
		sb_adds(&j->buf, j->nids ? "[\n" : "[");
	}
	return outfile_write(&j->data, j->buf.buf, j->buf.len, e);
}

/* The workbook is written to the temporary file by libxlsxwriter itself. */
static int xlsx_finish(struct job *j, struct err *e)
{
	struct xlsx_out *x = j->xlsx;
	j->xlsx = NULL;
	if (export_xlsx_close(x, j->opt->out, e) < 0)
		return -1;
	struct stat st;
	if (stat(j->data.tmp, &st) == 0)
		j->data.bytes = (long long)st.st_size;
	return 0;
}

static int write_tail(struct job *j, struct err *e)
{
	if (j->opt->format == EXPORT_XLSX)
		return xlsx_finish(j, e);
	if (j->opt->format != EXPORT_JSON)
		return 0;
	const char *tail = j->nids ? "\n]\n" : "]\n";
	return outfile_write(&j->data, tail, strlen(tail), e);
}

static int write_data(struct job *j, struct err *e)
{
	j->info = store_prepare(j->s, info_sql, e);
	j->review = j->info ? store_prepare(j->s, review_sql, e) : NULL;
	if (!j->review)
		return -1;
	if (outfile_open(&j->data, j->opt->out, e) < 0 || write_head(j, e) < 0)
		return -1;
	for (size_t i = 0; i < j->nids; i++)
		if (write_record(j, j->ids[i], (long long)i + 1, e) < 0)
			return -1;
	if (write_tail(j, e) < 0)
		return -1;
	return outfile_finish(&j->data, e);
}

static int load_batches(struct job *j, struct err *e)
{
	struct store_stmt *st = store_prepare(j->s,
		"SELECT engine, models FROM batches WHERE id = ?", e);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < j->nbatches && rc == 0; i++) {
		store_reset(st);
		store_bind_int(st, 1, j->batches[i]);
		rc = store_step(st, e);
		if (rc == 1)
			provenance_add(&j->prov, store_col_text(st, 0), store_col_text(st, 1));
		rc = rc < 0 ? -1 : 0;
	}
	store_finalize(st);
	provenance_sort(&j->prov);
	return rc;
}

static void fill_info(const struct job *j, struct manifest_info *m, const char *at)
{
	memset(m, 0, sizeof(*m));
	m->opt = j->opt;
	m->count = (long long)j->nids;
	m->bytes = j->data.bytes;
	m->at = at;
	m->prov = &j->prov;
	m->scored_fields = j->scored_fields;
	m->expected_wrong = j->expected_wrong;
	if (!j->nids)
		return;
	m->first_id = m->min_id = m->max_id = j->ids[0];
	m->last_id = j->ids[j->nids - 1];
	for (size_t i = 0; i < j->nids; i++) {
		if (j->ids[i] < m->min_id)
			m->min_id = j->ids[i];
		if (j->ids[i] > m->max_id)
			m->max_id = j->ids[i];
	}
}

static long long insert_export(struct job *j, const struct manifest_info *m, struct err *e)
{
	struct store_stmt *st = store_prepare(j->s,
		"INSERT INTO exports(kind, format, path, sha256, count, at, selection)"
		" VALUES(?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	char *sel = manifest_selection_json(m);
	store_bind_text(st, 1, kind_code(j->opt->kind));
	store_bind_text(st, 2, export_format_name(j->opt->format));
	store_bind_text(st, 3, j->opt->out);
	store_bind_text(st, 4, m->sha256);
	store_bind_int(st, 5, m->count);
	store_bind_text(st, 6, m->at);
	store_bind_text(st, 7, sel);
	int rc = store_step(st, e);
	store_finalize(st);
	free(sel);
	return rc < 0 ? -1 : store_last_id(j->s);
}

static int insert_export_records(struct job *j, long long export_id, struct err *e)
{
	struct store_stmt *st = store_prepare(j->s,
		"INSERT INTO export_records(export_id, record_id) VALUES(?,?)", e);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < j->nids && rc == 0; i++) {
		store_reset(st);
		store_bind_int(st, 1, export_id);
		store_bind_int(st, 2, j->ids[i]);
		rc = store_step(st, e) < 0 ? -1 : 0;
	}
	store_finalize(st);
	return rc;
}

static int save_manifest(struct job *j, long long export_id, const char *text, struct err *e)
{
	struct store_stmt *st = store_prepare(j->s,
		"UPDATE exports SET manifest = ? WHERE id = ?", e);
	if (!st)
		return -1;
	store_bind_text(st, 1, text);
	store_bind_int(st, 2, export_id);
	int rc = store_step(st, e) < 0 ? -1 : 0;
	store_finalize(st);
	return rc;
}

static int write_manifest(struct job *j, const char *path, const char *text, struct err *e)
{
	if (outfile_open(&j->manifest, path, e) < 0 ||
	    outfile_write(&j->manifest, text, strlen(text), e) < 0)
		return -1;
	return outfile_finish(&j->manifest, e);
}

/* Record the export, write the manifest and rename both into place, atomically. */
static int publish(struct job *j, struct export_result *res, struct err *e)
{
	char at[32];
	struct manifest_info m;
	time_iso_now(at);
	fill_info(j, &m, at);
	m.sha256 = res->sha256;
	if (store_begin(j->s, e) < 0)
		return -1;
	char *text = NULL;
	m.export_id = insert_export(j, &m, e);
	int rc = m.export_id < 0 ? -1 : 0;
	if (rc == 0)
		rc = insert_export_records(j, m.export_id, e);
	if (rc == 0) {
		text = manifest_json(&m);
		rc = save_manifest(j, m.export_id, text, e);
	}
	if (rc == 0)
		rc = write_manifest(j, res->manifest_path, text, e);
	/* The old manifest goes first: killed between the renames, the new file
	 * stands without a manifest (unfinished), never beside the old one. */
	if (rc == 0 && unlink(res->manifest_path) < 0 && errno != ENOENT)
		rc = err_set(e, "cannot replace '%s': %s", res->manifest_path, strerror(errno));
	if (rc == 0)
		rc = outfile_publish(&j->data, e);
	if (rc == 0 && getenv("HOTICH_TEST_KILL_EXPORT")) /* the kill between the renames */
		raise(SIGKILL);
	if (rc == 0)
		rc = outfile_publish(&j->manifest, e);
	if (rc == 0)
		rc = store_commit(j->s, e);
	if (rc < 0)
		store_rollback(j->s);
	free(text);
	res->export_id = m.export_id;
	return rc;
}

static void job_release(struct job *j, int ok)
{
	if (j->reading)
		store_exec(j->s, "ROLLBACK", NULL);
	store_finalize(j->info);
	store_finalize(j->review);
	export_xlsx_close(j->xlsx, j->opt->out, NULL);
	if (ok) {
		outfile_release(&j->data);
		outfile_release(&j->manifest);
	} else {
		outfile_discard(&j->data);
		outfile_discard(&j->manifest);
	}
	provenance_release(&j->prov);
	sb_release(&j->buf);
	free(j->ids);
	free(j->batches);
}

/* Select and write in one read snapshot, so every row is from one moment. */
static int snapshot_write(struct job *j, struct err *e)
{
	if (store_exec(j->s, "BEGIN", e) < 0)
		return -1;
	j->reading = 1;
	if (select_ids(j, e) < 0 || select_left_out(j, j->res, e) < 0 || write_data(j, e) < 0 ||
	    load_batches(j, e) < 0)
		return -1;
	j->reading = 0;
	return store_exec(j->s, "COMMIT", e);
}

static int check_options(const struct export_options *opt, struct err *e)
{
	if (opt->kind != KIND_KS && opt->kind != KIND_KH && opt->kind != KIND_KT)
		return err_set(e, "export needs a book kind (ks, kh or kt)");
	if (export_format_parse(export_format_name(opt->format)) < 0)
		return err_set(e, "unknown export format");
	if (!opt->out || !*opt->out)
		return err_set(e, "export needs an output path");
	return 0;
}

int export_run(struct store *s, const struct export_options *opt,
	       struct export_result *res, struct err *e)
{
	struct job j;
	memset(&j, 0, sizeof(j));
	memset(res, 0, sizeof(*res));
	j.s = s;
	j.opt = opt;
	j.res = res;
	sb_init(&j.buf);
	int rc = check_options(opt, e);
	if (rc == 0)
		rc = snapshot_write(&j, e);
	if (rc == 0)
		rc = sha256_file(j.data.tmp, res->sha256, e);
	if (rc == 0) {
		res->manifest_path = xasprintf("%s.manifest.json", opt->out);
		rc = publish(&j, res, e);
	}
	if (rc == 0) {
		res->count = (long long)j.nids;
		res->first_id = j.nids ? j.ids[0] : 0;
		res->last_id = j.nids ? j.ids[j.nids - 1] : 0;
	}
	job_release(&j, rc == 0);
	return rc;
}
