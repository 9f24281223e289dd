/*
 * The text of every screen of the review tool, as lines of exactly the
 * screen's width with one attribute each.  No curses here: review/tui.c
 * draws these lines, `hotich review --dump` prints them, tests read them.
 * Widths come from wcwidth (Vietnamese NFC letters are one column, CJK
 * two), never from byte counts.
 */
#include "review/review.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- widths ---------------------------------------------------------- */

int review_cp_width(int32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int review_text_width(const char *s)
{
	int w = 0;
	for (size_t i = 0, n = strlen(s); i < n;) {
		int32_t cp;
		int k = text_decode(s + i, n - i, &cp);
		if (k <= 0) {
			i++, w++;
			continue;
		}
		w += review_cp_width(cp);
		i += (size_t)k;
	}
	return w;
}

char *review_text_fit(const char *s, int cols)
{
	struct strbuf sb = STRBUF_INIT;
	int w = 0, total = review_text_width(s);
	int room = total > cols ? cols - 1 : cols;
	for (size_t i = 0, n = strlen(s); i < n;) {
		int32_t cp;
		int k = text_decode(s + i, n - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		int cw = review_cp_width(cp);
		if (w + cw > room)
			break;
		if (cw > 0 || (cp >= 0x300 && w > 0)) /* no control characters on screen */
			sb_add(&sb, s + i, (size_t)k);
		w += cw;
		i += (size_t)k;
	}
	if (total > cols && cols > 0) {
		sb_adds(&sb, "…");
		w++;
	}
	for (; w < cols; w++)
		sb_addc(&sb, ' ');
	return sb_detach(&sb);
}

/* ---- labels as the register prints them ------------------------------- */

static const struct { const char *suffix, *label; } labels[] = {
	{"so", "Số"}, {"quyenSo", "Quyển số"}, {"trangSo", "Trang số"},
	{"ngayDangKy", "Ngày đăng ký"}, {"loaiDangKy", "Loại đăng ký"},
	{"noiDangKy", "Nơi đăng ký"}, {"nguoiThucHien", "Người thực hiện"},
	{"nguoiKy", "Người ký"}, {"ghiChu", "Ghi chú"},
	{"HoTen", "Họ, chữ đệm, tên"}, {"NgaySinh", "Ngày sinh"},
	{"NgaySinhBangChu", "Ngày sinh bằng chữ"}, {"GioiTinh", "Giới tính"},
	{"DanToc", "Dân tộc"}, {"QuocTich", "Quốc tịch"}, {"NoiSinh", "Nơi sinh"},
	{"QueQuan", "Quê quán"}, {"NoiCuTru", "Nơi cư trú"},
	{"SoDinhDanh", "Số định danh"}, {"SoDinhDanhCaNhan", "Số định danh"},
	{"SoGiayToTuyThan", "Giấy tờ tùy thân"}, {"LoaiGiayToTuyThan", "Loại giấy tờ"},
	{"QuanHe", "Quan hệ"}, {"NgayChet", "Ngày chết"}, {"GioPhutChet", "Giờ chết"},
	{"NoiChet", "Nơi chết"}, {"NguyenNhanChet", "Nguyên nhân chết"},
};

static const struct { const char *prefix, *who; } persons[] = {
	{"nks", ""}, {"nkt", ""}, {"me", "mẹ"}, {"cha", "cha"}, {"nyc", "người khai"},
	{"chong", "chồng"}, {"vo", "vợ"}, {"gbt", "giấy báo tử"},
};

const char *review_column_label(const char *column)
{
	static char buf[96];
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++)
		if (!strcmp(column, labels[i].suffix))
			return labels[i].label;
	for (size_t p = 0; p < sizeof(persons) / sizeof(*persons); p++) {
		size_t n = strlen(persons[p].prefix);
		if (strncmp(column, persons[p].prefix, n))
			continue;
		for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++)
			if (!strcmp(column + n, labels[i].suffix)) {
				snprintf(buf, sizeof(buf), "%s%s%s", labels[i].label,
					 *persons[p].who ? " " : "", persons[p].who);
				return buf;
			}
	}
	return NULL;
}

/* ---- building lines --------------------------------------------------- */

static void put(struct review_screen *scr, int y, unsigned attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(struct review_screen *scr, int y, unsigned attr, const char *fmt, ...)
{
	if (y < 0 || y >= scr->rows)
		return;
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap2);
	va_end(ap2);
	free(scr->lines[y].text);
	scr->lines[y].text = review_text_fit(s, scr->cols);
	scr->lines[y].attr = attr;
	free(s);
}

/* Append text fitted to exactly w columns. */
static void cell(struct strbuf *sb, const char *text, int w)
{
	if (w <= 0)
		return;
	char *s = review_text_fit(text, w);
	sb_adds(sb, s);
	free(s);
}

static void put_sb(struct review_screen *scr, int y, unsigned attr, struct strbuf *sb)
{
	put(scr, y, attr, "%s", sb_str(sb));
	sb_reset(sb);
}

/* ---- bars ---------------------------------------------------------------- */

static void top_bar(struct review_app *a, struct review_screen *scr)
{
	struct strbuf sb = STRBUF_INIT;
	size_t total = 0;
	for (int g = 0; g < GROUP_COUNT; g++)
		total += a->q.count[g];
	static const char *const short_titles[GROUP_COUNT] = {
		"fields", "duplicates", "missing entries", "failed pages"};
	sb_addf(&sb, " hotich review · %s · queue %zu:", a->ctx.reviewer, total);
	for (int g = 0; g < GROUP_COUNT; g++)
		sb_addf(&sb, "%s %s %zu", g ? " ·" : "", short_titles[g], a->q.count[g]);
	if (a->filter.group >= 0 || a->filter.book)
		sb_addf(&sb, "  [filter:%s%s%s%s]",
			a->filter.group >= 0 ? " " : "",
			a->filter.group >= 0 ? review_group_name((enum review_group)a->filter.group) : "",
			a->filter.book ? " book " : "", a->filter.book ? a->filter.book : "");
	if (a->cur >= 0)
		sb_addf(&sb, "  item %ld/%zu", a->cur + 1, a->q.n);
	put_sb(scr, 0, SA_BAR, &sb);
	sb_release(&sb);
}

static void bottom_bar(struct review_app *a, struct review_screen *scr)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < review_nkeys; i++) {
		const struct review_key *k = &review_keys[i];
		if (k->hint && (k->modes & MODE_BIT(a->mode)))
			sb_addf(&sb, " %s %s ", k->name, k->hint);
	}
	put_sb(scr, scr->rows - 1, SA_BAR, &sb);
	sb_release(&sb);
}

static const char *prompt_title(enum review_prompt p)
{
	switch (p) {
	case PROMPT_EDIT: return "edit";
	case PROMPT_SEARCH: return "search";
	case PROMPT_BOOK: return "book";
	case PROMPT_GROUP_FIX: return "fix all to";
	default: return "";
	}
}

static void message_line(struct review_app *a, struct review_screen *scr)
{
	int y = scr->rows - 2;
	if (a->prompt == PROMPT_NONE || a->prompt == PROMPT_APPROVE) {
		put(scr, y, a->prompt ? SA_SELECTED : a->msg_error ? SA_ERROR : SA_NORMAL, " %s",
		    a->msg);
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	const char *col = a->prompt == PROMPT_EDIT && a->ncols ? a->cols[a->fsel] : "";
	if (a->prompt == PROMPT_GROUP_FIX)
		col = a->group_col;
	sb_addf(&sb, " %s%s%s: ", prompt_title(a->prompt), *col ? " " : "", col);
	int x = review_text_width(sb_str(&sb));
	for (size_t i = 0; i < a->plen; i++) {
		sb_add_cp(&sb, a->pbuf[i]);
		if (i < a->pcur)
			x += review_cp_width(a->pbuf[i]);
	}
	put_sb(scr, y, SA_SELECTED, &sb);
	sb_release(&sb);
	scr->cur_y = y;
	scr->cur_x = x < scr->cols ? x : scr->cols - 1;
}

/* ---- record ------------------------------------------------------------ */

static const char *sev_name(enum severity s)
{
	return s >= SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

static const char *value_of(const struct record *r, const char *col)
{
	const struct field *f = record_field(r, col);
	return !f ? "" : f->value ? f->value : f->raw;
}

static void item_title(struct review_app *a, const struct review_item *it,
		       struct review_screen *scr, int y)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, " %s · %s · %s", it->id, review_group_title(it->group),
		*it->book ? it->book : "(no book)");
	if (a->src.book_no)
		sb_addf(&sb, " · quyển %s", a->src.book_no);
	if (it->page)
		sb_addf(&sb, " · page %d", it->page);
	if (a->src.row)
		sb_addf(&sb, " · row %d", a->src.row);
	if (*it->entry)
		sb_addf(&sb, " · số %s", it->entry);
	if (it->record_id)
		sb_addf(&sb, " · %s record", kind_code(a->rec.kind));
	put_sb(scr, y, SA_TITLE, &sb);
	sb_release(&sb);
}

static int label_width(int cols)
{
	return cols >= 110 ? 34 : cols >= 80 ? 26 : 16;
}

static void field_label(struct strbuf *sb, const char *col, int w)
{
	const char *l = review_column_label(col);
	char *s = l ? xasprintf("%s (%s)", l, col) : xstrdup(col);
	cell(sb, s, w);
	free(s);
}

static void field_line(struct review_app *a, struct review_screen *scr, int y, size_t i)
{
	const char *col = a->cols[i];
	const struct finding *fs[8];
	size_t nf = review_app_findings(a, col, fs, 8);
	int lw = label_width(scr->cols), dup = a->other.nfields > 0;
	int vw = dup ? (scr->cols - lw - 7) / 2 : scr->cols - lw - 28;
	struct strbuf sb = STRBUF_INIT;
	int worst = -1;
	for (size_t k = 0; k < nf; k++)
		worst = (int)fs[k]->severity > worst ? (int)fs[k]->severity : worst;
	/* Info findings ("corrected") are news, not flags. */
	unsigned attr = worst >= SEV_WARNING ? SA_FLAGGED : SA_NORMAL;
	sb_adds(&sb, i == a->fsel ? "▸" : " ");
	sb_adds(&sb, worst >= SEV_WARNING ? "!" : worst == SEV_INFO ? "·" : " ");
	field_label(&sb, col, lw);
	sb_addc(&sb, ' ');
	cell(&sb, value_of(&a->rec, col), vw);
	if (dup) {
		const char *o = value_of(&a->other, col);
		int same = !strcmp(value_of(&a->rec, col), o);
		if (!same)
			attr |= SA_DIFF;
		sb_adds(&sb, same ? "  = " : "  ≠ ");
		cell(&sb, o, vw);
	} else {
		const struct field *f = record_field(&a->rec, col);
		char *extra = NULL;
		size_t w = 0;
		for (size_t k = 1; k < nf; k++)
			w = fs[k]->severity > fs[w]->severity ? k : w;
		if (nf)
			extra = xasprintf(" %s%s", fs[w]->code, nf > 1 ? " +" : "");
		else if (f && f->p >= 0)
			/* the model accepted it: no look needed */
			extra = xasprintf(" accepted p %.3f", f->p);
		else if (f && f->conf >= 0 && f->box.w)
			extra = xasprintf(" %3.0f%%", f->conf);
		cell(&sb, extra ? extra : "", 24);
		free(extra);
	}
	if (i == a->fsel)
		attr |= SA_SELECTED;
	put_sb(scr, y, attr, &sb);
	sb_release(&sb);
}

static void fields_list(struct review_app *a, struct review_screen *scr, int y0, int h)
{
	if (h <= 0)
		return;
	if (a->fsel < a->ftop)
		a->ftop = a->fsel;
	if (a->fsel >= a->ftop + (size_t)h)
		a->ftop = a->fsel - (size_t)h + 1;
	for (int k = 0; k < h && a->ftop + (size_t)k < a->ncols; k++)
		field_line(a, scr, y0 + k, a->ftop + (size_t)k);
}

/* The findings on the current field, then the record's own; returns rows used. */
static int findings_box(struct review_app *a, struct review_screen *scr, int y, int h)
{
	int used = 0;
	const char *col = a->ncols ? a->cols[a->fsel] : "";
	for (int pass = 0; pass < 2; pass++) {
		const char *which = pass ? "" : col;
		if (pass && !*col)
			break;
		for (size_t i = 0; i < a->rec.nfindings && used < h; i++) {
			const struct finding *f = &a->rec.findings[i];
			if (strcmp(f->field, which))
				continue;
			put(scr, y + used++, f->severity >= SEV_ERROR ? SA_ERROR : SA_FLAGGED,
			    "   %s %s%s%s: %s", sev_name(f->severity), *f->field ? f->field : "record",
			    " · ", f->code, f->message);
		}
	}
	return used;
}

static void picture(struct review_screen *scr, int y, int h, const struct raster *img,
		    struct box b, struct box mark, enum review_pixels px)
{
	char **lines;
	int n;
	if (review_image_text(img, b, mark, scr->cols - 4, h, px, &lines, &n) < 0)
		return;
	for (int i = 0; i < n; i++) {
		put(scr, y + i, SA_IMAGE, "  %s", lines[i]);
		free(lines[i]);
	}
	free(lines);
}

/* The scan of the current field: the reason this tool exists. */
static int field_picture(struct review_app *a, struct review_screen *scr, int y, int h)
{
	const char *col = a->ncols ? a->cols[a->fsel] : NULL;
	const struct field *f = col ? record_field(&a->rec, col) : NULL;
	const char *why = NULL;
	const struct raster *img = review_app_image(a, &why);
	if (img && (!f || !f->box.w))
		why = "no box on the page for this field";
	if (!img || !f || !f->box.w) {
		put(scr, y, SA_DIM, " ── scan: %s", why ? why : "none");
		return 1;
	}
	put(scr, y, SA_DIM, " ── scan of %s · page %d · box %d,%d %dx%d ──", col, a->src.page,
	    f->box.x, f->box.y, f->box.w, f->box.h);
	/* The ink alone fills the width: a name in a corner of a wide box
	 * keeps its tone marks. */
	struct box b = review_ink_box(img, (struct box){f->box.x - 8, f->box.y - 6, f->box.w + 16,
							  f->box.h + 12}, 4);
	if (a->pixels == PIXELS_SIXEL && h > 1) {
		for (int i = 1; i < h; i++)
			put(scr, y + i, SA_IMAGE, "%s", "");
		scr->image = (struct review_screen_image){img, b, y + 1, 2, h - 1, scr->cols - 4};
		return h;
	}
	picture(scr, y + 1, h - 1, img, b, (struct box){0, 0, 0, 0}, a->pixels);
	return h;
}

static void record_body(struct review_app *a, struct review_screen *scr, int y0, int y1)
{
	int h = y1 - y0;
	const char *why;
	int has_img = a->book_path && a->src.page > 0;
	(void)why;
	int ih = has_img ? (h >= 30 ? 11 : h >= 20 ? 7 : h >= 12 ? 4 : 0) : (h > 6 ? 1 : 0);
	int fh = h - ih - 5;
	if (fh < 3)
		fh = h - ih - 1;
	if (a->other.nfields || a->other_title) {
		int lw = label_width(scr->cols), vw = (scr->cols - lw - 7) / 2;
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "  ");
		cell(&sb, "duplicate?", lw);
		sb_addc(&sb, ' ');
		cell(&sb, "this record", vw);
		sb_adds(&sb, "    ");
		cell(&sb, a->other_title ? a->other_title : "", vw);
		put_sb(scr, y0++, SA_TITLE, &sb);
		sb_release(&sb);
		fh--;
	}
	fields_list(a, scr, y0, fh);
	int y = y0 + (fh > 0 ? fh : 0);
	y += findings_box(a, scr, y, y1 - y - ih);
	if (ih > 0)
		field_picture(a, scr, y1 - ih, ih);
}

static void book_item_body(struct review_app *a, const struct review_item *it,
			   struct review_screen *scr, int y)
{
	for (size_t i = 0; i < it->nreasons; i++)
		put(scr, y++, SA_FLAGGED, "   %s %s: %s", sev_name(it->reasons[i].severity),
		    it->reasons[i].code, it->reasons[i].message);
	y++;
	put(scr, y++, SA_NORMAL, "   a: acknowledge (the gap or failure is explained, e.g. the entry "
	    "was cancelled)");
	put(scr, y++, SA_NORMAL, "   x: reject (the book must be scanned or keyed again)");
	put(scr, y, SA_DIM, "   either way the decision is written to the audit log");
}

/* ---- queue -------------------------------------------------------------- */

static void queue_line(struct review_app *a, const struct review_item *it, long i,
		       struct review_screen *scr, int y)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, i == a->qsel ? "▸ " : "  ");
	cell(&sb, it->id, 8);
	cell(&sb, it->book, 22);
	sb_addc(&sb, ' ');
	cell(&sb, *it->entry ? it->entry : "", 6);
	size_t w = 0; /* the worst reason speaks for the item */
	for (size_t k = 1; k < it->nreasons; k++)
		w = it->reasons[k].severity > it->reasons[w].severity ? k : w;
	sb_addc(&sb, ' ');
	if (it->nreasons)
		sb_addf(&sb, "%s%s%s%s", it->reasons[w].field, *it->reasons[w].field ? ": " : "",
			it->reasons[w].message, it->nreasons > 1 ? " (+more)" : "");
	else
		sb_adds(&sb, "(decided; waiting for approval)");
	if (it->claimed_by)
		sb_addf(&sb, "  [open by %s]", it->claimed_by);
	put_sb(scr, y, (i == a->qsel ? SA_SELECTED : 0) | (it->claimed_by ? SA_DIM : 0), &sb);
	sb_release(&sb);
}

static void queue_body(struct review_app *a, struct review_screen *scr, int y0, int y1)
{
	/* Rows: a header before each group's first item, then the items. */
	long nrows = 0, selrow = 0;
	long *row_item = xcalloc(a->q.n * 2 + 1, sizeof(long));
	for (size_t i = 0; i < a->q.n; i++) {
		if (i == 0 || a->q.items[i].group != a->q.items[i - 1].group)
			row_item[nrows++] = -1 - (long)a->q.items[i].group;
		if ((long)i == a->qsel)
			selrow = nrows;
		row_item[nrows++] = (long)i;
	}
	long h = y1 - y0, top = selrow - h / 2;
	if (top + h > nrows)
		top = nrows - h;
	if (top < 0)
		top = 0;
	if (!a->q.n)
		put(scr, y0, SA_DIM, "   the queue is empty");
	for (long r = top; r < nrows && r - top < h; r++) {
		long v = row_item[r];
		int y = y0 + (int)(r - top);
		if (v < 0) {
			enum review_group g = (enum review_group)(-1 - v);
			put(scr, y, SA_TITLE, " ── %s (%zu) ──", review_group_title(g), a->q.count[g]);
		} else {
			queue_line(a, &a->q.items[v], v, scr, y);
		}
	}
	free(row_item);
}

/* ---- group ------------------------------------------------------------------- */

static void group_body(struct review_app *a, struct review_screen *scr, int y0, int y1)
{
	size_t flagged = 0;
	for (size_t i = 0; i < a->group_n; i++)
		flagged += a->group[i].flagged;
	put(scr, y0++, SA_TITLE, " group: %s = «%s» · %zu records in the queue, %zu flagged",
	    a->group_col, a->group_value, a->group_n, flagged);
	int per = 1 + (a->group_n && a->group[0].crop.data ? 3 : 0);
	int fit = (y1 - y0) / per;
	if (fit < 1)
		fit = 1;
	if (a->group_sel < a->group_top)
		a->group_top = a->group_sel;
	if (a->group_sel >= a->group_top + (size_t)fit)
		a->group_top = a->group_sel - (size_t)fit + 1;
	int y = y0;
	for (size_t i = a->group_top; i < a->group_n && y < y1; i++) {
		const struct review_group_entry *g = &a->group[i];
		unsigned attr = (i == a->group_sel ? SA_SELECTED : 0) | (g->flagged ? SA_FLAGGED : 0);
		put(scr, y++, attr, "%s r%-7lld %-22s số %-6s «%s»%s%s", i == a->group_sel ? "▸" : " ",
		    g->record_id, g->book, g->entry, g->value, g->flagged ? "  flagged" : "",
		    g->claimed_by ? "  [open by another reviewer]" : "");
		if (g->crop.data && y < y1) {
			int h = y1 - y < 3 ? y1 - y : 3;
			picture(scr, y, h, &g->crop, (struct box){0, 0, 0, 0}, (struct box){0, 0, 0, 0},
				a->pixels);
			y += h;
		}
	}
}

/* ---- page ------------------------------------------------------------------- */

static void page_body(struct review_app *a, struct review_screen *scr, int y0, int y1)
{
	const char *why;
	const struct raster *img = review_app_image(a, &why);
	if (!img) {
		put(scr, y0, SA_ERROR, " %s", why ? why : "no page image");
		return;
	}
	int w = img->width >> a->page_zoom, h = img->height >> a->page_zoom;
	int x = a->page_x - w / 2, y = a->page_y - h / 2;
	x = x < 0 ? 0 : x + w > img->width ? img->width - w : x;
	y = y < 0 ? 0 : y + h > img->height ? img->height - h : y;
	a->page_x = x + w / 2;
	a->page_y = y + h / 2;
	const char *col = a->ncols ? a->cols[a->fsel] : NULL;
	const struct field *f = col ? record_field(&a->rec, col) : NULL;
	struct box mark = f ? f->box : (struct box){0, 0, 0, 0};
	put(scr, y0, SA_DIM, " ── page %d of %s · zoom %d · %d,%d %dx%d%s%s ──", a->src.page,
	    a->src.file ? a->src.file : "", a->page_zoom, x, y, w, h, mark.w ? " · box: " : "",
	    mark.w ? col : "");
	picture(scr, y0 + 1, y1 - y0 - 1, img, (struct box){x, y, w, h}, mark, a->pixels);
}

/* ---- help -------------------------------------------------------------------- */

static void help_body(struct review_app *a, struct review_screen *scr, int y0, int y1)
{
	static const char *const mode_names[] = {"item", "list", "group", "page", "help"};
	put(scr, y0++, SA_TITLE, " keys (this screen is drawn from the key table)");
	int y = y0;
	for (size_t i = 0; i < review_nkeys && y < y1; i++) {
		const struct review_key *k = &review_keys[i];
		struct strbuf names = STRBUF_INIT, where = STRBUF_INIT;
		sb_adds(&names, k->name);
		/* Rows that differ only in the key are one line: "j, Down". */
		while (i + 1 < review_nkeys && review_keys[i + 1].fn == k->fn &&
		       !strcmp(review_keys[i + 1].help, k->help))
			sb_addf(&names, ", %s", review_keys[++i].name);
		for (int m = 0; m < MODE_COUNT; m++)
			if (k->modes & MODE_BIT(m) && k->modes != MODES_ALL)
				sb_addf(&where, "%s%s", where.len ? ", " : "", mode_names[m]);
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "   ");
		cell(&sb, sb_str(&names), 14);
		cell(&sb, k->help, 58);
		sb_addf(&sb, " %s", where.len ? sb_str(&where) : "everywhere");
		put_sb(scr, y++, SA_NORMAL, &sb);
		sb_release(&sb);
		sb_release(&names);
		sb_release(&where);
	}
}

/* ---- the screen ------------------------------------------------------------- */

void review_screen_render(struct review_app *a, int rows, int cols, struct review_screen *scr)
{
	scr->rows = rows < 6 ? 6 : rows;
	scr->cols = cols < 20 ? 20 : cols;
	scr->lines = xcalloc((size_t)scr->rows, sizeof(*scr->lines));
	scr->cur_y = scr->cur_x = -1;
	scr->image.img = NULL;
	a->scr_rows = scr->rows;
	a->scr_cols = scr->cols;
	top_bar(a, scr);
	int y0 = 2, y1 = scr->rows - 2;
	const struct review_item *it = review_app_item(a);
	if (a->mode == MODE_HELP) {
		help_body(a, scr, 1, y1);
	} else if (a->mode == MODE_QUEUE) {
		queue_body(a, scr, 1, y1);
	} else if (a->mode == MODE_GROUP) {
		group_body(a, scr, 1, y1);
	} else if (!it) {
		put(scr, 2, SA_TITLE, "   nothing to review%s", a->q.n ? ": every item left is open "
		    "by another reviewer" : ": the queue is empty");
	} else {
		item_title(a, it, scr, 1);
		if (a->mode == MODE_PAGE)
			page_body(a, scr, y0, y1);
		else if (it->record_id)
			record_body(a, scr, y0, y1);
		else
			book_item_body(a, it, scr, y0 + 1);
	}
	message_line(a, scr);
	bottom_bar(a, scr);
	for (int y = 0; y < scr->rows; y++)
		if (!scr->lines[y].text)
			scr->lines[y].text = review_text_fit("", scr->cols);
}

void review_screen_release(struct review_screen *scr)
{
	for (int y = 0; y < scr->rows; y++)
		free(scr->lines[y].text);
	free(scr->lines);
	memset(scr, 0, sizeof(*scr));
}

void review_screen_print(const struct review_screen *scr, FILE *out)
{
	for (int y = 0; y < scr->rows; y++) {
		/* Trailing padding is noise in a dump. */
		const char *t = scr->lines[y].text;
		size_t n = strlen(t);
		while (n && t[n - 1] == ' ')
			n--;
		fprintf(out, "%.*s\n", (int)n, t);
	}
}
