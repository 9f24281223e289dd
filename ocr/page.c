/*
 * page: ocr_page_read, the OCR stage for one page.
 *
 * prepare the image -> blank? -> upright? -> ruled grid (Format T) or
 * labelled form (Format F) -> running header -> records, each field with
 * raw text, confidence, model and its box on the ORIGINAL page.
 * Upside-down scans are caught twice: by Leptonica's ascender statistics,
 * then by the content (no title and no labels read: turn and read again).
 */
#include "ocr/ocr_int.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 16
#define HEADER_LINES 6	/* the running header is within the first lines */

void ocr_field_put(struct ocr_ctx *c, struct record *rec, const char *column,
		   const struct ocr_value *v, struct box work_box, enum ocr_model_id m,
		   const char *alt)
{
	struct field *f = record_set_raw(rec, column, v->text ? v->text : "");
	f->conf = v->conf;
	f->box = ocr_xform_box(&c->prep->xf, work_box);
	free(f->model);
	f->model = xstrdup(ocr_model_name(m));
	if (alt && *alt)
		field_add_alt(f, alt);
}

void ocr_page_release(struct ocr_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrecs; i++)
		record_release(&p->recs[i]);
	free(p->recs);
	free(p->book_no);
	free(p->printed_page);
	free(p->office);
	memset(p, 0, sizeof(*p));
}

/* How many labels the lines hold: a page read upside down holds none. */
static size_t count_labels(const struct ocr_lines *ls)
{
	size_t n = 0;
	for (size_t i = 0; i < ls->n; i++) {
		struct label_hit hits[MAX_HITS];
		n += labels_find(&ls->v[i], hits, MAX_HITS);
	}
	return n;
}

/* Without a readable title, the labels say which book this is. */
static enum book_kind kind_from_labels(const struct ocr_lines *ls)
{
	int votes[KIND_COUNT] = {0, 0, 0};
	for (size_t i = 0; i < ls->n; i++) {
		struct label_hit hits[MAX_HITS];
		size_t nh = labels_find(&ls->v[i], hits, MAX_HITS);
		for (size_t j = 0; j < nh; j++) {
			enum label_key k = hits[j].key;
			if (k == LB_CHONG || k == LB_VO || k == LB_GIAYTO)
				votes[KIND_KH]++;
			else if (k == LB_NKT || k == LB_NGAYCHET || k == LB_NOICHET || k == LB_GBT ||
				 k == LB_NGUYENNHAN || k == LB_NOICUTRU_CUOI)
				votes[KIND_KT]++;
			else if (k == LB_ME || k == LB_CHA || k == LB_NOISINH || k == LB_QUEQUAN)
				votes[KIND_KS]++;
		}
	}
	enum book_kind best = KIND_NONE;
	int bv = 0;
	for (int k = 0; k < KIND_COUNT; k++) {
		if (votes[k] > bv) {
			bv = votes[k];
			best = (enum book_kind)k;
		}
	}
	return best;
}

static void header_apply(struct ocr_page *out, struct ocr_header *h)
{
	out->book_no = h->book_no;
	out->printed_page = h->printed_page;
	out->office = h->office;
	h->book_no = h->printed_page = h->office = NULL;
	for (size_t i = 0; i < out->nrecs; i++) {
		struct record *r = &out->recs[i];
		if (out->book_no)
			record_set_raw(r, "quyenSo", out->book_no)->conf = h->book_no_conf;
		if (out->printed_page)
			record_set_raw(r, "trangSo", out->printed_page)->conf = h->printed_page_conf;
		if (out->office)
			record_set_raw(r, "noiDangKy", out->office)->conf = h->office_conf;
	}
}

static int page_pass(struct ocr_ctx *c, struct ocr_lines *ls)
{
	memset(ls, 0, sizeof(*ls));
	return ocr_read_lines(c->eng, MODEL_VIE, c->prep->gray, NULL, 6, ls, c->e);
}

static int read_form(struct ocr_ctx *c, enum book_kind hint)
{
	struct ocr_lines ls;
	struct ocr_header h;
	if (page_pass(c, &ls) < 0)
		return -1;
	ocr_header_parse(&ls, HEADER_LINES, &h);
	if (h.kind == KIND_NONE && count_labels(&ls) < 3) {
		/* Nothing readable: maybe upside down after all. */
		struct ocr_lines ls2;
		ocr_prep_flip(c->prep);
		if (page_pass(c, &ls2) < 0) {
			ocr_lines_release(&ls);
			return -1;
		}
		if (count_labels(&ls2) > count_labels(&ls)) {
			ocr_lines_release(&ls);
			ocr_header_release(&h);
			ls = ls2;
			ocr_header_parse(&ls, HEADER_LINES, &h);
		} else {
			ocr_lines_release(&ls2);
			ocr_prep_flip(c->prep);
		}
	}
	c->kind = h.kind != KIND_NONE ? h.kind : hint;
	if (c->kind == KIND_NONE)
		c->kind = kind_from_labels(&ls);
	int rc = 0;
	if (c->kind != KIND_NONE) {
		c->out->format = 'F';
		rc = ocr_form_read(c, &ls, (size_t)(h.last_line + 1));
	}
	c->out->kind = c->kind;
	if (rc == 0)
		header_apply(c->out, &h);
	ocr_header_release(&h);
	ocr_lines_release(&ls);
	return rc;
}

/* The header above a ruled grid: read that band only. */
static int table_header(struct ocr_ctx *c, const struct ocr_grid *g, struct ocr_header *h)
{
	struct ocr_lines ls = {NULL, 0, 0};
	memset(h, 0, sizeof(*h));
	h->kind = KIND_NONE;
	int top = g->ys[0] - 4;
	if (top < c->prep->dpi / 10)
		return 0;
	struct box r = {0, 0, pixGetWidth(c->prep->gray), top};
	if (ocr_read_lines(c->eng, MODEL_VIE, c->prep->gray, &r, 6, &ls, c->e) < 0)
		return -1;
	ocr_header_parse(&ls, ls.n, h);
	ocr_lines_release(&ls);
	return 0;
}

static int read_table(struct ocr_ctx *c, struct ocr_grid *g, enum book_kind hint)
{
	struct ocr_header h;
	if (table_header(c, g, &h) < 0)
		return -1;
	if (h.kind == KIND_NONE) {
		/* Turned over, the header sits below the grid: try it that way. */
		struct ocr_grid g2 = {NULL, NULL, 0, 0};
		struct ocr_header h2;
		ocr_prep_flip(c->prep);
		if (!ocr_grid_find(c->prep, &g2) || table_header(c, &g2, &h2) < 0 ||
		    h2.kind == KIND_NONE) {
			if (g2.nx)
				ocr_header_release(&h2);
			ocr_grid_release(&g2);
			ocr_prep_flip(c->prep);
		} else {
			ocr_header_release(&h);
			ocr_grid_release(g);
			*g = g2;
			h = h2;
		}
	}
	c->kind = h.kind != KIND_NONE ? h.kind : hint;
	c->out->format = 'T';
	int rc = ocr_table_read(c, g);	/* the kind may come from the titles */
	c->out->kind = c->kind;
	if (rc == 0)
		header_apply(c->out, &h);
	ocr_header_release(&h);
	return rc;
}

int ocr_page_read(struct ocr_engine *eng, const struct raster *page, enum book_kind hint,
		  struct ocr_page *out, struct err *e)
{
	double t0 = time_now();
	struct ocr_prep prep;
	/*
	 * Tesseract's own parallel sections (with num_threads clauses) would
	 * fight the caller's threads: make every region we meet inactive, in
	 * this task's data environment only, and restore it on the way out.
	 */
	int levels = omp_get_max_active_levels();
	omp_set_max_active_levels(0);
	struct ocr_grid g = {NULL, NULL, 0, 0};
	memset(out, 0, sizeof(*out));
	out->kind = hint;
	if (ocr_prep_make(page, &prep, e) < 0)
		return -1;
	out->ms_pre = (int)((time_now() - t0) * 1000);
	int rc = 0;
	if (prep.blank) {
		out->blank = 1;
		goto out;
	}
	if (ocr_prep_updown(&prep) < 0)
		ocr_prep_flip(&prep);
	struct ocr_ctx c = {eng, &prep, hint, out, e};
	if (ocr_grid_find(&prep, &g))
		rc = read_table(&c, &g, hint);
	else
		rc = read_form(&c, hint);
out:
	ocr_grid_release(&g);
	ocr_prep_release(&prep);
	out->ms = (int)((time_now() - t0) * 1000);
	out->ms_layout = out->ms - out->ms_pre - out->ms_values;
	omp_set_max_active_levels(levels);
	if (rc < 0)
		ocr_page_release(out);
	return rc;
}
