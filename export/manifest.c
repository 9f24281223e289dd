/*
 * The manifest beside each export file: what was exported, from which
 * selection, by which program and which OCR engine and model files, so the
 * receiving office can check the file and trace any row back.
 */
#include "export/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void set_add(char ***v, size_t *n, size_t *alloc, const char *s)
{
	if (!s || !*s)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = xstrdup(s);
}

static void add_models(struct provenance *p, json_t *models)
{
	const char *name;
	json_t *sha;
	json_object_foreach(models, name, sha) {
		/* An empty hash: the file was missing, so that model read nothing. */
		if (!json_is_string(sha) || !*json_string_value(sha))
			continue;
		char *pair = xasprintf("%s\t%s", name, json_string_value(sha));
		set_add(&p->models, &p->nmodels, &p->models_alloc, pair);
		free(pair);
	}
}

void provenance_add(struct provenance *p, const char *engine, const char *models_json)
{
	set_add(&p->engines, &p->nengines, &p->engines_alloc, engine);
	if (!models_json || !*models_json)
		return;
	json_t *m = json_loads(models_json, 0, NULL);
	if (json_is_object(m))
		add_models(p, m);
	json_decref(m);
}

void provenance_add_ocr(struct provenance *p, const char *ocr_json)
{
	if (!ocr_json || !*ocr_json)
		return;
	json_t *o = json_loads(ocr_json, 0, NULL);
	if (json_is_object(o)) {
		json_t *eng = json_object_get(o, "engine");
		if (json_is_string(eng))
			set_add(&p->engines, &p->nengines, &p->engines_alloc,
				json_string_value(eng));
		json_t *models = json_object_get(o, "models");
		if (json_is_object(models))
			add_models(p, models);
	}
	json_decref(o);
}

static void free_set(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void provenance_release(struct provenance *p)
{
	free_set(p->engines, p->nengines);
	free_set(p->models, p->nmodels);
	memset(p, 0, sizeof(*p));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void provenance_sort(struct provenance *p)
{
	/* qsort's base must not be NULL, even for zero elements (UBSan). */
	if (p->nengines)
		qsort(p->engines, p->nengines, sizeof(*p->engines), cmp_str);
	if (p->nmodels)
		qsort(p->models, p->nmodels, sizeof(*p->models), cmp_str);
}

static json_t *ocr_object(const struct provenance *p)
{
	json_t *engines = json_array(), *models = json_array();
	for (size_t i = 0; i < p->nengines; i++)
		json_array_append_new(engines, json_string(p->engines[i]));
	for (size_t i = 0; i < p->nmodels; i++) {
		const char *tab = strchr(p->models[i], '\t');
		char *name = xstrndup(p->models[i], (size_t)(tab - p->models[i]));
		json_t *m = json_object();
		json_object_set_new(m, "name", json_string(name));
		json_object_set_new(m, "sha256", json_string(tab + 1));
		json_array_append_new(models, m);
		free(name);
	}
	json_t *o = json_object();
	json_object_set_new(o, "engines", engines);
	json_object_set_new(o, "models", models);
	return o;
}

/* An id, or null when nothing was exported. */
static json_t *id_or_null(const struct manifest_info *m, long long id)
{
	return m->count ? json_integer(id) : json_null();
}

static json_t *selection_object(const struct manifest_info *m)
{
	json_t *ids = json_object();
	json_object_set_new(ids, "first", id_or_null(m, m->first_id));
	json_object_set_new(ids, "last", id_or_null(m, m->last_id));
	json_object_set_new(ids, "min", id_or_null(m, m->min_id));
	json_object_set_new(ids, "max", id_or_null(m, m->max_id));
	json_t *st = json_array();
	json_array_append_new(st, json_string("clean"));
	json_array_append_new(st, json_string("approved"));
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind_code(m->opt->kind)));
	json_object_set_new(o, "format", json_string(export_format_name(m->opt->format)));
	json_object_set_new(o, "since_last", json_boolean(m->opt->since_last));
	json_object_set_new(o, "bom", json_boolean(m->opt->bom));
	json_object_set_new(o, "statuses", st);
	json_object_set_new(o, "unresolved_duplicates", json_string("excluded"));
	json_object_set_new(o, "count", json_integer(m->count));
	json_object_set_new(o, "record_ids", ids);
	return o;
}

static char *dump(json_t *o, size_t flags)
{
	char *s = json_dumps(o, flags | JSON_PRESERVE_ORDER);
	json_decref(o);
	char *r = xstrdup(s ? s : "{}");
	free(s);
	return r;
}

char *manifest_selection_json(const struct manifest_info *m)
{
	return dump(selection_object(m), JSON_COMPACT);
}

/* The export file's name without its directory. */
static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

char *manifest_json(const struct manifest_info *m)
{
	json_t *prog = json_object();
	json_object_set_new(prog, "name", json_string("hotich"));
	json_object_set_new(prog, "version", json_string(hotich_version()));
	char *file = text_nfc(base_of(m->opt->out));
	json_t *o = json_object();
	json_object_set_new(o, "export_id", json_integer(m->export_id));
	json_object_set_new(o, "kind", json_string(kind_code(m->opt->kind)));
	json_object_set_new(o, "kind_title", json_string(kind_title(m->opt->kind)));
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "format", json_string(export_format_name(m->opt->format)));
	json_object_set_new(o, "records", json_integer(m->count));
	json_object_set_new(o, "sha256", json_string(m->sha256));
	json_object_set_new(o, "bytes", json_integer(m->bytes));
	json_object_set_new(o, "at", json_string(m->at));
	json_object_set_new(o, "selection", selection_object(m));
	json_object_set_new(o, "program", prog);
	json_object_set_new(o, "ocr", ocr_object(m->prov));
	/* Published, not claimed (validate/accept.c): 0 for keyed rows. */
	json_t *doubt = json_object();
	json_object_set_new(doubt, "fields", json_integer(m->scored_fields));
	json_object_set_new(doubt, "expected_wrong", json_real(m->expected_wrong));
	json_object_set_new(doubt, "of", json_string("fields of rows accepted unseen: sum of 1 - p"));
	json_object_set_new(o, "accepted_fields", doubt);
	free(file);
	char *s = dump(o, JSON_INDENT(2));
	char *r = xasprintf("%s\n", s);
	free(s);
	return r;
}
