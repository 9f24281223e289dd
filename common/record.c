/* The record: fields by export column, and findings. */
#include "common/record.h"
#include "common/common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void record_init(struct record *r, enum book_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
}

static void field_release(struct field *f)
{
	free(f->name);
	free(f->raw);
	free(f->value);
	free(f->model);
	free(f->evidence);
	for (size_t i = 0; i < f->nalts; i++)
		free(f->alts[i]);
	free(f->alts);
}

static void finding_release(struct finding *f)
{
	free(f->field);
	free(f->code);
	free(f->message);
	free(f->match_source);
	free(f->match_id);
}

void record_release(struct record *r)
{
	for (size_t i = 0; i < r->nfields; i++)
		field_release(&r->fields[i]);
	free(r->fields);
	record_clear_findings(r);
	free(r->findings);
	memset(r, 0, sizeof(*r));
	r->kind = KIND_NONE;
}

struct field *record_field(const struct record *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].name, name))
			return &r->fields[i];
	return NULL;
}

static struct field *field_get_or_add(struct record *r, const char *name)
{
	struct field *f = record_field(r, name);
	if (f)
		return f;
	ALLOC_GROW(r->fields, r->nfields + 1, r->fields_alloc);
	f = &r->fields[r->nfields++];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->raw = xstrdup("");
	f->conf = -1;
	f->p = -1;
	return f;
}

struct field *record_set_raw(struct record *r, const char *name, const char *raw)
{
	struct field *f = field_get_or_add(r, name);
	free(f->raw);
	f->raw = text_nfc(raw ? raw : "");
	free(f->value);
	f->value = NULL;
	return f;
}

struct field *record_set_value(struct record *r, const char *name, const char *value)
{
	struct field *f = field_get_or_add(r, name);
	free(f->value);
	f->value = value ? text_nfc(value) : NULL;
	return f;
}

const char *record_raw(const struct record *r, const char *name)
{
	struct field *f = record_field(r, name);
	return f && f->raw ? f->raw : "";
}

const char *record_value(const struct record *r, const char *name)
{
	struct field *f = record_field(r, name);
	return f && f->value ? f->value : "";
}

void field_add_alt(struct field *f, const char *alt)
{
	f->alts = xrealloc(f->alts, (f->nalts + 1) * sizeof(*f->alts));
	f->alts[f->nalts++] = text_nfc(alt);
}

struct finding *record_add_finding(struct record *r, const char *field,
				   const char *code, enum severity sev,
				   const char *fmt, ...)
{
	ALLOC_GROW(r->findings, r->nfindings + 1, r->findings_alloc);
	struct finding *f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	f->field = xstrdup(field ? field : "");
	f->code = xstrdup(code);
	f->severity = sev;
	va_list ap;
	va_start(ap, fmt);
	f->message = xvasprintf(fmt, ap);
	va_end(ap);
	return f;
}

void record_clear_findings(struct record *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		finding_release(&r->findings[i]);
	r->nfindings = 0;
}

int finding_is_dedup(const char *code, const char *match_source)
{
	return match_source != NULL || (code && !strncmp(code, "duplicate", 9));
}

void record_drop_findings(struct record *r, int (*drop)(const struct finding *, const void *),
			  const void *arg)
{
	size_t k = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		struct finding *f = &r->findings[i];
		if (!finding_is_dedup(f->code, f->match_source) && drop(f, arg))
			finding_release(f);
		else
			r->findings[k++] = *f;
	}
	r->nfindings = k;
}

int record_has_errors(const struct record *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity >= SEV_WARNING)
			return 1;
	return 0;
}
