/*
 * A page's OCR result as JSON, for the trip from the worker to the parent.
 * Everything the store keeps of a field travels: name, raw, value,
 * confidence, box, model, alternatives, corrected.
 */
#include "pipeline/ocrpipe.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/ocr.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *field_to_json(const struct field *f)
{
	json_t *alts = json_array();
	for (size_t i = 0; i < f->nalts; i++)
		json_array_append_new(alts, json_string(f->alts[i] ? f->alts[i] : ""));
	return json_pack("{s:s, s:s, s:o, s:f, s:[i,i,i,i], s:o, s:o, s:i}",
			 "name", f->name ? f->name : "", "raw", f->raw ? f->raw : "",
			 "value", str_or_null(f->value), "conf", (double)f->conf,
			 "box", f->box.x, f->box.y, f->box.w, f->box.h,
			 "model", str_or_null(f->model), "alts", alts,
			 "corrected", f->corrected);
}

static json_t *record_to_json(const struct record *r)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < r->nfields; i++)
		json_array_append_new(fields, field_to_json(&r->fields[i]));
	return json_pack("{s:s, s:i, s:o}", "kind", kind_code(r->kind), "index", r->index,
			 "fields", fields);
}

char *ocrpipe_page_to_json(const struct ocr_page *p)
{
	char fmt[2] = {p->format, '\0'};
	json_t *recs = json_array();
	for (size_t i = 0; i < p->nrecs; i++)
		json_array_append_new(recs, record_to_json(&p->recs[i]));
	json_t *o = json_pack("{s:b, s:s, s:s, s:o, s:o, s:o, s:i, s:[i,i,i], s:o}",
			      "blank", p->blank, "kind", kind_code(p->kind), "format", fmt,
			      "book_no", str_or_null(p->book_no),
			      "printed_page", str_or_null(p->printed_page),
			      "office", str_or_null(p->office), "ms", p->ms,
			      "ms_split", p->ms_pre, p->ms_layout, p->ms_values, "recs", recs);
	/* Compact and without NUL: a frame is one line of text. */
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(o);
	char *out = xstrdup(s);
	free(s);
	return out;
}

void ocrpipe_page_release(struct ocrpipe_page *p)
{
	free(p->book_no);
	free(p->printed_page);
	free(p->office);
	for (size_t i = 0; i < p->nrecs; i++)
		record_release(&p->recs[i]);
	free(p->recs);
	memset(p, 0, sizeof(*p));
}

/* A string member, copied; NULL when absent or null. */
static char *member_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

static int field_from_json(json_t *jf, struct record *r, struct err *e)
{
	const char *name = json_string_value(json_object_get(jf, "name"));
	const char *raw = json_string_value(json_object_get(jf, "raw"));
	if (!name || !*name || !raw)
		return err_set(e, "OCR worker sent a field without name or raw text");
	struct field *f = record_set_raw(r, name, raw);
	const char *value = json_string_value(json_object_get(jf, "value"));
	if (value)
		record_set_value(r, name, value);
	f->conf = (float)json_number_value(json_object_get(jf, "conf"));
	json_t *box = json_object_get(jf, "box");
	if (json_array_size(box) == 4) {
		f->box.x = (int)json_integer_value(json_array_get(box, 0));
		f->box.y = (int)json_integer_value(json_array_get(box, 1));
		f->box.w = (int)json_integer_value(json_array_get(box, 2));
		f->box.h = (int)json_integer_value(json_array_get(box, 3));
	}
	f->model = member_str(jf, "model");
	size_t i;
	json_t *alt;
	json_array_foreach(json_object_get(jf, "alts"), i, alt)
		if (json_is_string(alt))
			field_add_alt(f, json_string_value(alt));
	f->corrected = (int)json_integer_value(json_object_get(jf, "corrected"));
	return 0;
}

static int record_from_json(json_t *jr, struct record *r, struct err *e)
{
	record_init(r, kind_parse(json_string_value(json_object_get(jr, "kind"))));
	r->index = (int)json_integer_value(json_object_get(jr, "index"));
	size_t i;
	json_t *jf;
	json_array_foreach(json_object_get(jr, "fields"), i, jf)
		if (field_from_json(jf, r, e) < 0)
			return -1;
	return 0;
}

static int page_from_object(json_t *o, struct ocrpipe_page *p, struct err *e)
{
	p->blank = json_is_true(json_object_get(o, "blank"));
	p->kind = kind_parse(json_string_value(json_object_get(o, "kind")));
	const char *fmt = json_string_value(json_object_get(o, "format"));
	p->format = fmt && (fmt[0] == 'F' || fmt[0] == 'T') ? fmt[0] : 0;
	p->book_no = member_str(o, "book_no");
	p->printed_page = member_str(o, "printed_page");
	p->office = member_str(o, "office");
	p->ms = (int)json_integer_value(json_object_get(o, "ms"));
	json_t *split = json_object_get(o, "ms_split");
	p->ms_pre = (int)json_integer_value(json_array_get(split, 0));
	p->ms_layout = (int)json_integer_value(json_array_get(split, 1));
	p->ms_values = (int)json_integer_value(json_array_get(split, 2));
	json_t *recs = json_object_get(o, "recs");
	if (!json_is_array(recs))
		return err_set(e, "OCR worker sent a page without records");
	p->recs = xcalloc(json_array_size(recs) + 1, sizeof(*p->recs));
	size_t i;
	json_t *jr;
	json_array_foreach(recs, i, jr) {
		p->nrecs = i + 1;
		if (record_from_json(jr, &p->recs[i], e) < 0)
			return -1;
	}
	return 0;
}

int ocrpipe_page_from_json(const char *json, struct ocrpipe_page *p, struct err *e)
{
	memset(p, 0, sizeof(*p));
	p->kind = KIND_NONE;
	json_error_t je;
	json_t *o = json_loads(json, 0, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return err_set(e, "OCR worker sent bad JSON: %s", je.text);
	}
	int rc = page_from_object(o, p, e);
	json_decref(o);
	if (rc < 0)
		ocrpipe_page_release(p);
	return rc;
}
