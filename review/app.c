/*
 * The review tool's state and what each key does: plain C, no curses, so
 * the whole tool can be driven by a list of keys in tests.  The key table
 * at the bottom is the only place a key is bound; the help screen is drawn
 * from it.
 */
#include "review/review.h"

#include <stdlib.h>
#include <string.h>

static void say(struct review_app *a, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct review_app *a, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_error = error;
}

const struct review_item *review_app_item(const struct review_app *a)
{
	if (!a->open_id[0])
		return NULL;
	long i = review_queue_find(&a->q, a->open_id);
	return i < 0 ? NULL : &a->q.items[i];
}

size_t review_app_findings(const struct review_app *a, const char *column,
			   const struct finding **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < a->rec.nfindings && n < max; i++)
		if (!strcmp(a->rec.findings[i].field, column))
			out[n++] = &a->rec.findings[i];
	return n;
}

/* ---- opening and closing items -------------------------------------- */

static void page_cache_release(struct review_page_cache *pc)
{
	free(pc->path);
	free(pc->error);
	raster_release(&pc->img);
	memset(pc, 0, sizeof(*pc));
}

static void item_close(struct review_app *a)
{
	if (a->open_id[0])
		review_claim_release(&a->ctx, a->open_id);
	a->open_id[0] = 0;
	record_release(&a->rec);
	record_release(&a->other);
	record_source_release(&a->src);
	free(a->book_path);
	free(a->other_title);
	free(a->cols);
	a->book_path = a->other_title = NULL;
	a->cols = NULL;
	a->ncols = a->fsel = a->ftop = 0;
	a->match_sel = 0;
}

/* min_sev: SEV_INFO for any finding, SEV_WARNING for a real flag. */
static int column_flagged(const struct record *r, const char *col, enum severity min_sev)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].field, col) && r->findings[i].severity >= min_sev)
			return 1;
	return 0;
}

/* A scored field's rank: flagged ones first, the most doubtful (lowest p)
 * first among them; accepted ones after, in the template's order. */
static double col_rank(const struct review_app *a, const char *col)
{
	const struct field *f = record_field(&a->rec, col);
	if (!f || f->p < 0 || !column_flagged(&a->rec, col, SEV_WARNING))
		return 2;
	return f->p;
}

static void cols_by_doubt(struct review_app *a)
{
	int scored = 0;
	for (size_t i = 0; i < a->rec.nfields; i++)
		scored |= a->rec.fields[i].p >= 0;
	if (!scored)
		return;
	/* Insertion sort: stable, and a record has a few dozen columns. */
	for (size_t i = 1; i < a->ncols; i++) {
		const char *c = a->cols[i];
		double r = col_rank(a, c);
		size_t k = i;
		for (; k > 0 && col_rank(a, a->cols[k - 1]) > r; k--)
			a->cols[k] = a->cols[k - 1];
		a->cols[k] = c;
	}
}

/* Columns shown: those with text or a finding, or every one with show_all;
 * in a scored record the flagged ones first, most doubtful first. */
static void cols_build(struct review_app *a)
{
	size_t n;
	const char *const *all = columns_of(a->rec.kind, &n);
	free(a->cols);
	a->cols = xcalloc(n ? n : 1, sizeof(*a->cols));
	a->ncols = 0;
	for (size_t i = 0; i < n; i++) {
		const struct field *f = record_field(&a->rec, all[i]);
		int text = f && ((f->value && *f->value) || *f->raw);
		if (a->show_all || text || column_flagged(&a->rec, all[i], SEV_INFO) ||
		    (a->other.nfields && *record_value(&a->other, all[i])))
			a->cols[a->ncols++] = all[i];
	}
	cols_by_doubt(a);
	if (a->fsel >= a->ncols)
		a->fsel = a->ncols ? a->ncols - 1 : 0;
}

static const struct finding *dup_finding(const struct review_app *a, int k)
{
	for (size_t i = 0; i < a->rec.nfindings; i++)
		if (a->rec.findings[i].match_source && k-- == 0)
			return &a->rec.findings[i];
	return NULL;
}

static void other_load(struct review_app *a)
{
	record_release(&a->other);
	free(a->other_title);
	a->other_title = NULL;
	const struct finding *f = dup_finding(a, a->match_sel);
	if (!f)
		return;
	struct err e = ERR_INIT;
	if (review_other_load(a->ctx.s, a->rec.kind, f->match_source, f->match_id, &a->other,
			      &e) < 0) {
		record_release(&a->other);
		a->other_title = xasprintf("%s %s: %s", f->match_source, f->match_id, e.msg);
		return;
	}
	a->other_title = xasprintf("%s %s (score %.2f)", f->match_source, f->match_id, f->score);
}

static void record_open(struct review_app *a, const struct review_item *it)
{
	struct err e = ERR_INIT;
	enum record_status st;
	if (store_record_load(a->ctx.s, it->record_id, &a->rec, &st, &a->src, &e) < 0) {
		say(a, 1, "%s", e.msg);
		return;
	}
	a->rec_status = st;
	if (a->src.book_id) {
		struct store_book b;
		if (store_book_load(a->ctx.s, a->src.book_id, &b, &e) == 0)
			a->book_path = xstrdup(b.path);
		store_book_release(&b);
	}
	other_load(a);
	cols_build(a);
	for (size_t i = 0; i < a->ncols; i++)
		if (column_flagged(&a->rec, a->cols[i], SEV_WARNING)) {
			a->fsel = i;
			break;
		}
}

/* ---- which flagged fields were looked at ------------------------------- */

static void visited_reset(struct review_app *a, const char *id)
{
	for (size_t i = 0; i < a->nvisited; i++)
		free(a->visited[i]);
	a->nvisited = 0;
	snprintf(a->visited_id, sizeof(a->visited_id), "%s", id);
}

static int visited_has(const struct review_app *a, const char *col)
{
	for (size_t i = 0; i < a->nvisited; i++)
		if (!strcmp(a->visited[i], col))
			return 1;
	return 0;
}

/* The column selected on the record screen when a key is pressed was seen. */
static void visited_mark(struct review_app *a)
{
	if (a->mode != MODE_RECORD || !a->ncols || !a->open_id[0] ||
	    visited_has(a, a->cols[a->fsel]))
		return;
	ALLOC_GROW(a->visited, a->nvisited + 1, a->visited_alloc);
	a->visited[a->nvisited++] = xstrdup(a->cols[a->fsel]);
}

/* The open record's flagged columns nobody has selected yet, in a list for
 * the prompt ("a, b and 2 more"); returns how many. */
static int unvisited_flags(const struct review_app *a, struct strbuf *names)
{
	int n = 0;
	for (size_t i = 0; i < a->ncols; i++) {
		if (!column_flagged(&a->rec, a->cols[i], SEV_WARNING) || visited_has(a, a->cols[i]))
			continue;
		if (n < 3)
			sb_addf(names, "%s%s", n ? ", " : "", a->cols[i]);
		n++;
	}
	if (n > 3)
		sb_addf(names, " and %d more", n - 3);
	return n;
}

/* Open item i: 0, or 1 when another reviewer holds it (not opened). */
static int item_open(struct review_app *a, long i)
{
	item_close(a);
	const struct review_item *it = &a->q.items[i];
	char *holder = NULL;
	struct err e = ERR_INIT;
	int rc = review_claim(&a->ctx, it->id, &holder, &e);
	if (rc != 0) {
		say(a, 1, "%s is open by %s", it->id, holder ? holder : e.msg);
		free(holder);
		return 1;
	}
	a->claim_at = review_now(&a->ctx);
	if (strcmp(a->visited_id, it->id))
		visited_reset(a, it->id);
	snprintf(a->open_id, sizeof(a->open_id), "%s", it->id);
	a->cur = i;
	a->qsel = i;
	if (it->record_id)
		record_open(a, it);
	return 0;
}

/* Open the first free item from i going dir (+1 or -1); none: cur = -1. */
static void item_seek(struct review_app *a, long i, int dir)
{
	for (; i >= 0 && (size_t)i < a->q.n; i += dir)
		if (!a->q.items[i].claimed_by && item_open(a, i) == 0)
			return;
	item_close(a);
	a->cur = -1;
}

static void queue_reload(struct review_app *a)
{
	struct err e = ERR_INIT;
	struct review_queue q;
	if (review_queue_load(a->ctx.s, &a->filter, a->ctx.reviewer, review_now(&a->ctx), &q,
			      &e) < 0) {
		a->fatal = e;
		a->quit = 1;
		return;
	}
	review_queue_release(&a->q);
	a->q = q;
	if (a->qsel >= (long)a->q.n)
		a->qsel = a->q.n ? (long)a->q.n - 1 : 0;
}

/* After a decision the item leaves the queue: open what took its place. */
static void advance(struct review_app *a)
{
	long at = a->cur < 0 ? 0 : a->cur;
	item_close(a);
	queue_reload(a);
	item_seek(a, at, +1);
	if (a->cur < 0)
		item_seek(a, at - 1, -1);
}

int review_app_open(struct review_app *a, const char *id)
{
	long i = review_queue_find(&a->q, id);
	if (i < 0)
		return -1;
	return item_open(a, i) == 0 ? 0 : -1;
}

int review_app_init(struct review_app *a, const struct review_ctx *ctx,
		    review_page_load_fn page_load, const struct review_filter *f, struct err *e)
{
	memset(a, 0, sizeof(*a));
	a->ctx = *ctx;
	a->page_load = page_load;
	a->filter.group = f ? f->group : -1;
	a->filter_book = f && f->book ? xstrdup(f->book) : NULL;
	a->filter.book = a->filter_book;
	a->rec.kind = a->other.kind = KIND_NONE;
	a->cur = -1;
	a->pixels = PIXELS_BLOCKS; /* solid blocks read best in most terminal fonts */
	a->scr_rows = 24;
	a->scr_cols = 80;
	if (review_queue_load(ctx->s, &a->filter, ctx->reviewer, review_now(ctx), &a->q, e) < 0)
		return -1;
	item_seek(a, 0, +1);
	return 0;
}

void review_app_release(struct review_app *a)
{
	item_close(a);
	review_queue_release(&a->q);
	review_group_free(a->group, a->group_n);
	page_cache_release(&a->page);
	free(a->group_col);
	free(a->group_value);
	free(a->filter_book);
	free(a->pbuf);
	visited_reset(a, "");
	free(a->visited);
	memset(a, 0, sizeof(*a));
}

/* ---- images -------------------------------------------------------------- */

/* Decode a page into the cache unless it is there already. */
static const struct raster *page_get(struct review_app *a, const char *path, int page_no,
				     const char **why)
{
	struct review_page_cache *pc = &a->page;
	if (pc->path && !strcmp(pc->path, path) && pc->page_no == page_no) {
		*why = pc->error;
		return pc->error ? NULL : &pc->img;
	}
	page_cache_release(pc);
	pc->path = xstrdup(path);
	pc->page_no = page_no;
	struct err e = ERR_INIT;
	if (!a->page_load)
		pc->error = xstrdup("no page images in this mode");
	else if (a->page_load(path, page_no, &pc->img, &e) < 0)
		pc->error = xstrdup(e.msg);
	*why = pc->error;
	return pc->error ? NULL : &pc->img;
}

const struct raster *review_app_image(struct review_app *a, const char **why)
{
	*why = "no scanned page for this record (keyed, or no page)";
	if (!a->book_path || a->src.page <= 0)
		return NULL;
	return page_get(a, a->book_path, a->src.page, why);
}

/* Copy the field's pixels (with a margin) so the page can leave the cache. */
static void crop_copy(const struct raster *img, struct box b, struct raster *out)
{
	int m = 6;
	int x0 = b.x - m < 0 ? 0 : b.x - m, y0 = b.y - m < 0 ? 0 : b.y - m;
	int x1 = b.x + b.w + m > img->width ? img->width : b.x + b.w + m;
	int y1 = b.y + b.h + m > img->height ? img->height : b.y + b.h + m;
	if (x1 <= x0 || y1 <= y0)
		return;
	out->width = x1 - x0;
	out->height = y1 - y0;
	out->channels = img->channels;
	out->data = xmalloc((size_t)out->width * out->height * img->channels);
	for (int y = y0; y < y1; y++)
		memcpy(out->data + (size_t)(y - y0) * out->width * img->channels,
		       img->data + ((size_t)y * img->width + x0) * img->channels,
		       (size_t)out->width * img->channels);
}

static void group_crops(struct review_app *a)
{
	for (size_t i = 0; i < a->group_n && i < 200; i++) {
		struct review_group_entry *g = &a->group[i];
		const char *why;
		if (!g->path || g->page <= 0 || g->box.w <= 0)
			continue;
		const struct raster *img = page_get(a, g->path, g->page, &why);
		if (img)
			crop_copy(img, g->box, &g->crop);
	}
}

/* ---- prompt ---------------------------------------------------------------- */

static void prompt_start(struct review_app *a, enum review_prompt p, const char *init)
{
	a->prompt = p;
	a->plen = a->pcur = 0;
	int32_t cp;
	for (size_t i = 0, n = strlen(init); text_next(init, n, &i, &cp);) {
		ALLOC_GROW(a->pbuf, a->plen + 1, a->pcap);
		a->pbuf[a->plen++] = cp;
	}
	a->pcur = a->plen;
}

static char *prompt_text(const struct review_app *a)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < a->plen; i++)
		sb_add_cp(&sb, a->pbuf[i]);
	return sb_detach(&sb);
}

static const char *cur_column(const struct review_app *a)
{
	return a->ncols ? a->cols[a->fsel] : NULL;
}

static const char *field_text(const struct record *r, const char *col)
{
	const struct field *f = record_field(r, col);
	return !f ? "" : f->value ? f->value : f->raw;
}

static void after_edit(struct review_app *a, const char *col)
{
	long at = a->cur;
	char id[32];
	snprintf(id, sizeof(id), "%s", a->open_id);
	size_t fsel = a->fsel;
	queue_reload(a);
	if (review_app_open(a, id) < 0) {
		item_seek(a, at, +1);
		return;
	}
	a->fsel = fsel < a->ncols ? fsel : a->fsel;
	const struct finding *fs[4];
	size_t n = review_app_findings(a, col, fs, 4);
	if (n)
		say(a, 1, "%s saved; still flagged: %s", col, fs[0]->message);
	else
		say(a, 0, "%s saved; no findings left on it", col);
}

static void commit_edit(struct review_app *a, const char *text)
{
	const char *col = cur_column(a);
	if (!col || !a->open_id[0] || !a->rec.nfields)
		return;
	struct err e = ERR_INIT;
	char *column = xstrdup(col);
	if (review_set(&a->ctx, a->open_id, column, text, &e) < 0)
		say(a, 1, "%s", e.msg);
	else
		after_edit(a, column);
	free(column);
}

static void search_run(struct review_app *a, const char *text);
static void group_fix(struct review_app *a, const char *text);
static void approve_answer(struct review_app *a, int key);

static void prompt_commit(struct review_app *a)
{
	char *text = prompt_text(a);
	enum review_prompt p = a->prompt;
	a->prompt = PROMPT_NONE;
	if (p == PROMPT_EDIT)
		commit_edit(a, text);
	else if (p == PROMPT_SEARCH)
		search_run(a, text);
	else if (p == PROMPT_GROUP_FIX)
		group_fix(a, text);
	else if (p == PROMPT_BOOK) {
		free(a->filter_book);
		a->filter_book = *text ? xstrdup(text) : NULL;
		a->filter.book = a->filter_book;
		item_close(a);
		queue_reload(a);
		item_seek(a, 0, +1);
		say(a, 0, "book filter: %s", *text ? text : "(all books)");
	}
	free(text);
}

static void prompt_key(struct review_app *a, int key)
{
	if (a->prompt == PROMPT_APPROVE) {
		approve_answer(a, key);
		return;
	}
	switch (key) {
	case 0x15: /* Ctrl-U, as in a shell: erase to the start of the line */
		memmove(a->pbuf, a->pbuf + a->pcur, (a->plen - a->pcur) * sizeof(*a->pbuf));
		a->plen -= a->pcur;
		a->pcur = 0;
		return;
	case RK_ENTER:
		prompt_commit(a);
		return;
	case RK_ESC:
		a->prompt = PROMPT_NONE;
		say(a, 0, "cancelled");
		return;
	case RK_BACKSPACE:
		if (a->pcur == 0)
			return;
		a->pcur--;
		/* fall through */
	case RK_DELETE:
		if (a->pcur < a->plen) {
			memmove(a->pbuf + a->pcur, a->pbuf + a->pcur + 1,
				(a->plen - a->pcur - 1) * sizeof(*a->pbuf));
			a->plen--;
		}
		return;
	case RK_LEFT:
		a->pcur -= a->pcur > 0;
		return;
	case RK_RIGHT:
		a->pcur += a->pcur < a->plen;
		return;
	case RK_HOME:
		a->pcur = 0;
		return;
	case RK_END:
		a->pcur = a->plen;
		return;
	}
	if (key < 0x20 || key >= 0x110000 || (key >= 0x7f && key < 0xa0))
		return;
	ALLOC_GROW(a->pbuf, a->plen + 1, a->pcap);
	memmove(a->pbuf + a->pcur + 1, a->pbuf + a->pcur, (a->plen - a->pcur) * sizeof(*a->pbuf));
	a->pbuf[a->pcur++] = key;
	a->plen++;
}

/* ---- search --------------------------------------------------------------- */

static int item_mentions(struct review_app *a, const struct review_item *it, const char *needle)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s %s %s", it->id, it->book, it->entry);
	for (size_t i = 0; i < it->nreasons; i++)
		sb_addf(&sb, " %s %s %s", it->reasons[i].field, it->reasons[i].code,
			it->reasons[i].message);
	if (it->record_id) {
		struct record r;
		struct err e = ERR_INIT;
		if (store_record_load(a->ctx.s, it->record_id, &r, NULL, NULL, &e) == 0)
			for (size_t i = 0; i < r.nfields; i++)
				sb_addf(&sb, " %s", field_text(&r, r.fields[i].name));
		record_release(&r);
	}
	char *hay = text_fold(sb_str(&sb));
	int hit = strstr(hay, needle) != NULL;
	free(hay);
	sb_release(&sb);
	return hit;
}

/* Next item after the current one (wrapping) that mentions text, folded. */
static void search_run(struct review_app *a, const char *text)
{
	if (!*text || !a->q.n)
		return;
	char *needle = text_fold(text);
	size_t n = a->q.n, start = a->mode == MODE_QUEUE ? (size_t)a->qsel : (size_t)(a->cur + 1);
	long found = -1;
	for (size_t k = 0; k < n && found < 0; k++) {
		size_t i = (start + k + (a->mode == MODE_QUEUE)) % n;
		if (item_mentions(a, &a->q.items[i], needle))
			found = (long)i;
	}
	free(needle);
	if (found < 0) {
		say(a, 1, "not found: %s", text);
		return;
	}
	a->qsel = found;
	if (a->mode != MODE_QUEUE && item_open(a, found) == 0)
		say(a, 0, "found %s", a->open_id);
}

/* ---- key actions ------------------------------------------------------ */

static int need_item(struct review_app *a)
{
	if (a->mode == MODE_QUEUE && a->q.n && (a->cur != a->qsel || !a->open_id[0])) {
		if (item_open(a, a->qsel) != 0)
			return 0;
	}
	if (!a->open_id[0]) {
		say(a, 1, "no item open");
		return 0;
	}
	return 1;
}

static void decide_now(struct review_app *a, int approve)
{
	struct err e = ERR_INIT;
	char id[32];
	snprintf(id, sizeof(id), "%s", a->open_id);
	int errors = 0;
	for (size_t i = 0; i < a->rec.nfindings; i++)
		errors += a->rec.findings[i].severity >= SEV_ERROR;
	int rc = approve ? review_approve(&a->ctx, id, &e) : review_reject(&a->ctx, id, &e);
	if (rc < 0) {
		say(a, 1, "%s", e.msg);
		return;
	}
	advance(a);
	if (approve && errors)
		say(a, 0, "%s approved over %d error%s (recorded)", id, errors, errors > 1 ? "s" : "");
	else
		say(a, 0, "%s %s", id, approve ? "approved" : "rejected");
}

/* One key must not approve flags nobody looked at: ask first (y/n). */
static void decide(struct review_app *a, int approve)
{
	if (!need_item(a))
		return;
	struct strbuf names = STRBUF_INIT;
	int n = approve ? unvisited_flags(a, &names) : 0;
	if (n) {
		say(a, 0, "approve %s with %d flagged field%s not looked at (%s)? y: approve, "
		    "other key: no", a->open_id, n, n > 1 ? "s" : "", sb_str(&names));
		a->prompt = PROMPT_APPROVE;
	} else {
		decide_now(a, approve);
	}
	sb_release(&names);
}

static void approve_answer(struct review_app *a, int key)
{
	a->prompt = PROMPT_NONE;
	if (key == 'y' || key == 'Y')
		decide_now(a, 1);
	else
		say(a, 0, "not approved; j/k goes through the flagged fields");
}

static void k_approve(struct review_app *a) { decide(a, 1); }
static void k_reject(struct review_app *a) { decide(a, 0); }

static void k_edit(struct review_app *a)
{
	if (!need_item(a))
		return;
	if (!a->ncols || !a->rec.nfields) {
		say(a, 1, "this item has no fields to edit");
		return;
	}
	a->mode = MODE_RECORD;
	prompt_start(a, PROMPT_EDIT, field_text(&a->rec, cur_column(a)));
}

static void k_next(struct review_app *a)
{
	long from = a->cur;
	item_seek(a, from + 1, +1);
	if (a->cur < 0) {
		item_seek(a, from, -1);
		say(a, 0, "end of the queue");
	}
}

static void k_prev(struct review_app *a)
{
	long from = a->cur;
	item_seek(a, from - 1, -1);
	if (a->cur < 0) {
		item_seek(a, from < 0 ? 0 : from, +1);
		say(a, 0, "start of the queue");
	}
}

static void move_sel(struct review_app *a, long d)
{
	if (a->mode == MODE_QUEUE) {
		long n = (long)a->q.n, v = a->qsel + d;
		a->qsel = v < 0 ? 0 : v >= n ? (n ? n - 1 : 0) : v;
	} else if (a->mode == MODE_GROUP) {
		long n = (long)a->group_n, v = (long)a->group_sel + d;
		a->group_sel = (size_t)(v < 0 ? 0 : v >= n ? (n ? n - 1 : 0) : v);
	} else if (a->mode == MODE_PAGE) {
		a->page_y += (int)d * 200;
	} else {
		long n = (long)a->ncols, v = (long)a->fsel + d;
		a->fsel = (size_t)(v < 0 ? 0 : v >= n ? (n ? n - 1 : 0) : v);
	}
}

static int page_rows(const struct review_app *a)
{
	return a->scr_rows > 12 ? a->scr_rows / 2 : 5;
}

static void k_down(struct review_app *a) { move_sel(a, 1); }
static void k_up(struct review_app *a) { move_sel(a, -1); }
static void k_pgdn(struct review_app *a) { move_sel(a, page_rows(a)); }
static void k_pgup(struct review_app *a) { move_sel(a, -page_rows(a)); }
static void k_left(struct review_app *a) { a->page_x -= 200; }
static void k_right(struct review_app *a) { a->page_x += 200; }

static void k_search(struct review_app *a)
{
	prompt_start(a, PROMPT_SEARCH, "");
}

static void k_book(struct review_app *a)
{
	prompt_start(a, PROMPT_BOOK, a->filter_book ? a->filter_book : "");
}

static void k_reason(struct review_app *a)
{
	a->filter.group = a->filter.group + 1 >= GROUP_COUNT ? -1 : a->filter.group + 1;
	item_close(a);
	queue_reload(a);
	item_seek(a, 0, +1);
	say(a, 0, "showing %s", a->filter.group < 0 ? "every reason" :
	    review_group_title((enum review_group)a->filter.group));
}

static void k_quit(struct review_app *a) { a->quit = 1; }

static void k_help(struct review_app *a)
{
	if (a->mode == MODE_HELP) {
		a->mode = a->back;
		return;
	}
	a->back = a->mode;
	a->mode = MODE_HELP;
}

static void k_back(struct review_app *a)
{
	if (a->mode == MODE_HELP || a->mode == MODE_PAGE)
		a->mode = a->back == MODE_HELP || a->back == MODE_PAGE ? MODE_RECORD : a->back;
	else
		a->mode = MODE_RECORD;
}

static void k_queue(struct review_app *a)
{
	if (a->mode == MODE_QUEUE) {
		a->mode = MODE_RECORD;
		return;
	}
	a->qsel = a->cur < 0 ? 0 : a->cur;
	a->mode = MODE_QUEUE;
}

static void k_open(struct review_app *a)
{
	if (a->mode == MODE_GROUP) {
		char id[32];
		if (!a->group_n)
			return;
		snprintf(id, sizeof(id), "r%lld", a->group[a->group_sel].record_id);
		if (review_app_open(a, id) == 0)
			a->mode = MODE_RECORD;
		else
			say(a, 1, "%s is not free to open", id);
		return;
	}
	if (a->q.n && item_open(a, a->qsel) == 0)
		a->mode = MODE_RECORD;
}

static void k_enter(struct review_app *a)
{
	if (a->mode == MODE_RECORD)
		k_edit(a);
	else
		k_open(a);
}

static void k_page(struct review_app *a)
{
	if (a->mode == MODE_PAGE) {
		a->mode = a->back;
		return;
	}
	const char *why;
	if (!review_app_image(a, &why)) {
		say(a, 1, "%s", why ? why : "no page image");
		return;
	}
	a->back = a->mode;
	a->mode = MODE_PAGE;
	a->page_zoom = 0;
	a->page_x = a->page.img.width / 2;
	a->page_y = a->page.img.height / 2;
	const struct field *f = cur_column(a) ? record_field(&a->rec, cur_column(a)) : NULL;
	if (f && f->box.w) {
		a->page_x = f->box.x + f->box.w / 2;
		a->page_y = f->box.y + f->box.h / 2;
	}
}

static void k_zoom_in(struct review_app *a) { a->page_zoom += a->page_zoom < 5; }
static void k_zoom_out(struct review_app *a) { a->page_zoom -= a->page_zoom > 0; }

static void k_pixels(struct review_app *a)
{
	static const char *const names[] = {"braille dots", "half blocks", "real pixels"};
	/* braille -> blocks -> sixel (when the terminal shows it) -> braille */
	a->pixels = a->pixels == PIXELS_BRAILLE ? PIXELS_BLOCKS
		  : a->pixels == PIXELS_BLOCKS && a->sixel ? PIXELS_SIXEL : PIXELS_BRAILLE;
	say(a, 0, "pictures in %s", names[a->pixels]);
}

static void k_all_cols(struct review_app *a)
{
	const char *col = cur_column(a);
	a->show_all = !a->show_all;
	cols_build(a);
	for (size_t i = 0; col && i < a->ncols; i++)
		if (!strcmp(a->cols[i], col))
			a->fsel = i;
}

static void dup_decide(struct review_app *a, int same)
{
	if (!need_item(a))
		return;
	const struct finding *f = dup_finding(a, a->match_sel);
	if (!f) {
		say(a, 1, "%s has no undecided duplicate", a->open_id);
		return;
	}
	char id[32];
	snprintf(id, sizeof(id), "%s", a->open_id);
	char *src = xstrdup(f->match_source), *other = xstrdup(f->match_id);
	struct err e = ERR_INIT;
	if (review_decide(&a->ctx, id, src, other, same, &e) < 0) {
		say(a, 1, "%s", e.msg);
	} else if (same) {
		advance(a);
		say(a, 0, "%s is the same person as %s %s: rejected as a duplicate", id, src, other);
	} else {
		after_edit(a, "");
		say(a, 0, "%s is not %s %s: duplicate resolved", id, src, other);
	}
	free(src);
	free(other);
}

static void k_same(struct review_app *a) { dup_decide(a, 1); }
static void k_different(struct review_app *a) { dup_decide(a, 0); }

static void k_match(struct review_app *a)
{
	a->match_sel = dup_finding(a, a->match_sel + 1) ? a->match_sel + 1 : 0;
	other_load(a);
	cols_build(a);
}

static void k_confirm(struct review_app *a)
{
	const char *col = cur_column(a);
	if (!need_item(a) || !col)
		return;
	char *column = xstrdup(col);
	struct err e = ERR_INIT;
	if (review_confirm(&a->ctx, a->open_id, column, &e) < 0)
		say(a, 1, "%s", e.msg);
	else {
		after_edit(a, column);
		say(a, 0, "%s confirmed as read", column);
	}
	free(column);
}

/* ---- group verification --------------------------------------------- */

static void group_load(struct review_app *a)
{
	review_group_free(a->group, a->group_n);
	a->group = NULL;
	a->group_n = a->group_sel = a->group_top = 0;
	struct err e = ERR_INIT;
	if (review_group_load(a->ctx.s, a->group_col, a->group_value, a->ctx.reviewer,
			      review_now(&a->ctx), &a->group, &a->group_n, &e) < 0) {
		say(a, 1, "%s", e.msg);
		return;
	}
	group_crops(a);
}

static void k_group(struct review_app *a)
{
	const char *col = cur_column(a);
	if (!col || !a->rec.nfields) {
		say(a, 1, "open a record and pick a field first");
		return;
	}
	free(a->group_col);
	free(a->group_value);
	a->group_col = xstrdup(col);
	a->group_value = xstrdup(field_text(&a->rec, col));
	group_load(a);
	a->mode = MODE_GROUP;
}

/* Apply fn to every free record of the group; say how it went. */
static void group_apply(struct review_app *a, const char *value)
{
	size_t done = 0, held = 0, failed = 0;
	struct err e = ERR_INIT;
	for (size_t i = 0; i < a->group_n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "r%lld", a->group[i].record_id);
		if (a->group[i].claimed_by && strcmp(id, a->open_id)) {
			held++;
			continue;
		}
		err_clear(&e);
		int rc = value ? review_set(&a->ctx, id, a->group_col, value, &e)
			       : review_confirm(&a->ctx, id, a->group_col, &e);
		if (rc < 0)
			failed++;
		else
			done++;
	}
	say(a, failed > 0, "%s %zu of %zu%s%s", value ? "fixed" : "confirmed", done, a->group_n,
	    held ? " (others are open by another reviewer)" : "", failed ? e.msg : "");
}

static void k_group_confirm(struct review_app *a)
{
	if (a->mode != MODE_GROUP) {
		k_confirm(a);
		return;
	}
	group_apply(a, NULL);
	char msg[sizeof(a->msg)];
	memcpy(msg, a->msg, sizeof(msg));
	group_load(a);
	after_edit(a, a->group_col);
	memcpy(a->msg, msg, sizeof(msg));
}

static void k_group_fix(struct review_app *a)
{
	prompt_start(a, PROMPT_GROUP_FIX, a->group_value ? a->group_value : "");
}

static void group_fix(struct review_app *a, const char *text)
{
	group_apply(a, text);
	char msg[sizeof(a->msg)];
	memcpy(msg, a->msg, sizeof(msg));
	free(a->group_value);
	a->group_value = xstrdup(text);
	group_load(a);
	after_edit(a, a->group_col);
	memcpy(a->msg, msg, sizeof(msg));
}

static void k_reload(struct review_app *a)
{
	char id[32];
	snprintf(id, sizeof(id), "%s", a->open_id);
	queue_reload(a);
	if (!id[0] || review_app_open(a, id) < 0)
		item_seek(a, 0, +1);
	say(a, 0, "queue reloaded: %zu items", a->q.n);
}

/* ---- the key table ----------------------------------------------------- */

#define M(x) MODE_BIT(MODE_##x)
#define REC M(RECORD)
#define NAV (M(RECORD) | M(QUEUE) | M(GROUP))

const struct review_key review_keys[] = {
	{'a', REC | M(QUEUE), k_approve, "a", "approve the item and go to the next", "approve"},
	{'x', REC | M(QUEUE), k_reject, "x", "reject the item and go to the next", "reject"},
	{'e', REC, k_edit, "e", "edit the current field (re-runs its checks)", "edit"},
	{RK_ENTER, REC, k_enter, "Enter", "edit the current field (re-runs its checks)", NULL},
	{RK_ENTER, M(QUEUE) | M(GROUP), k_enter, "Enter", "open the selected item", NULL},
	{'c', REC, k_confirm, "c", "confirm the current field as read (resolves its findings)", "confirm"},
	{'n', REC | M(QUEUE), k_next, "n", "next item", "next"},
	{'p', REC | M(QUEUE), k_prev, "p", "previous item", "prev"},
	{'j', NAV | M(PAGE), k_down, "j", "next field or line (page: scroll down)", NULL},
	{RK_DOWN, NAV | M(PAGE), k_down, "Down", "next field or line (page: scroll down)", NULL},
	{'k', NAV | M(PAGE), k_up, "k", "previous field or line (page: scroll up)", NULL},
	{RK_UP, NAV | M(PAGE), k_up, "Up", "previous field or line (page: scroll up)", NULL},
	{RK_PGDN, NAV | M(PAGE), k_pgdn, "PgDn", "a screen down", NULL},
	{RK_PGUP, NAV | M(PAGE), k_pgup, "PgUp", "a screen up", NULL},
	{'s', REC, k_same, "s", "duplicate: the same person (rejects this record)", "same"},
	{'d', REC, k_different, "d", "duplicate: a different person (resolves it)", "different"},
	{'m', REC, k_match, "m", "duplicate: show the next match", NULL},
	{'g', REC, k_group, "g", "group: every queued record with this field's reading", "group"},
	{'c', M(GROUP), k_group_confirm, "c", "group: confirm every reading as right", "confirm all"},
	{'e', M(GROUP), k_group_fix, "e", "group: fix every reading at once", "fix all"},
	{'i', REC | M(PAGE), k_page, "i", "the whole page (again: back)", "page"},
	{'+', M(PAGE), k_zoom_in, "+", "page: zoom in", "zoom"},
	{'-', M(PAGE), k_zoom_out, "-", "page: zoom out", NULL},
	{RK_LEFT, M(PAGE), k_left, "Left", "page: scroll left", NULL},
	{RK_RIGHT, M(PAGE), k_right, "Right", "page: scroll right", NULL},
	{'b', REC | M(PAGE) | M(GROUP), k_pixels, "b", "pictures in braille dots / half blocks / real pixels", NULL},
	{'w', REC, k_all_cols, "w", "show / hide empty columns", NULL},
	{'/', REC | M(QUEUE), k_search, "/", "search the queue (names, values, books, reasons)", "search"},
	{'f', REC | M(QUEUE), k_book, "f", "filter by book (empty: all books)", NULL},
	{'r', REC | M(QUEUE), k_reason, "r", "filter by reason (cycles)", NULL},
	{'l', REC | M(QUEUE), k_queue, "l", "the queue list / back to the item", "list"},
	{RK_TAB, REC | M(QUEUE), k_queue, "Tab", "the queue list / back to the item", NULL},
	{'R', MODES_ALL, k_reload, "R", "reload the queue", NULL},
	{RK_ESC, M(QUEUE) | M(GROUP) | M(PAGE) | M(HELP), k_back, "Esc", "back", "back"},
	{'?', MODES_ALL, k_help, "?", "this help (again: back)", "help"},
	{'q', MODES_ALL, k_quit, "q", "quit (every decision is already saved)", "quit"},
};
const size_t review_nkeys = sizeof(review_keys) / sizeof(*review_keys);

static void tick(struct review_app *a)
{
	long long now = review_now(&a->ctx);
	if (!a->open_id[0] || now - a->claim_at < REVIEW_CLAIM_REFRESH)
		return;
	char *holder = NULL;
	struct err e = ERR_INIT;
	if (review_claim(&a->ctx, a->open_id, &holder, &e) == 0)
		a->claim_at = now;
	else
		say(a, 1, "%s was taken by %s while idle", a->open_id, holder ? holder : e.msg);
	free(holder);
}

void review_app_key(struct review_app *a, int key)
{
	if (key == RK_TICK || key == RK_RESIZE) {
		tick(a);
		return;
	}
	tick(a);
	if (a->prompt != PROMPT_NONE) {
		prompt_key(a, key);
		return;
	}
	visited_mark(a);
	a->msg[0] = 0;
	for (size_t i = 0; i < review_nkeys; i++)
		if (review_keys[i].key == key && (review_keys[i].modes & MODE_BIT(a->mode))) {
			review_keys[i].fn(a);
			return;
		}
	if (a->mode == MODE_HELP) {
		a->mode = a->back;
		return;
	}
	say(a, 1, "no key bound here; ? shows the keys");
}
