/* Unit tests: review/ (queue, decisions, claims, audit, screens, keys, pictures). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <sixel.h>

#include "review/review.h"
#include "tests/unit/store_fixture.h"

struct fx {
	struct tdb t;
	struct review_ctx ctx;
	long long book, page;
	long long r_field, r_dup, r_clean;	/* record ids */
	char fitem[32];				/* the book finding's item id */
};

/* ---- fixtures ------------------------------------------------------------ */

static long long add_ocr_record(struct fx *f, int idx, const char *so, const char *dantoc)
{
	struct record r;
	record_init(&r, KIND_KS);
	r.index = idx;
	struct field *fl = record_set_raw(&r, "so", so);
	fl->box = (struct box){100, 200 + idx * 400, 120, 60};
	fl->conf = 95;
	fl = record_set_raw(&r, "nksHoTen", "NGUYỄN THỊ THUỲ DƯƠNG");
	fl->box = (struct box){300, 260 + idx * 400, 900, 60};
	fl->conf = 91;
	fl = record_set_raw(&r, "nksDanToc", dantoc);
	fl->box = (struct box){300, 340 + idx * 400, 300, 60};
	fl->conf = 63;
	struct page_result pr = {0};
	pr.page_id = f->page;
	pr.book_id = f->book;
	pr.status = PAGE_DONE;
	pr.recs = &r;
	pr.nrecs = 1;
	struct err e = ERR_INIT;
	/* store_page_commit replaces a page's records: add each with its own page. */
	struct store_page p = {0};
	p.book_id = f->book;
	p.page_no = idx + 1;
	pr.page_id = store_page_add(f->t.s, &p, &e);
	assert_true(pr.page_id > 0);
	assert_int_equal(store_page_commit(f->t.s, &pr, &e), 0);
	long long id = r.id;
	record_release(&r);
	return id;
}

/* Give record id the findings and status a validation would. */
static void flag(struct fx *f, long long id, const char *stage, const char *field,
		 const char *code, enum severity sev, const char *src, const char *other)
{
	struct record r;
	struct err e = ERR_INIT;
	assert_int_equal(store_record_load(f->t.s, id, &r, NULL, NULL, &e), 0);
	for (size_t i = 0; i < r.nfields; i++)
		if (!r.fields[i].value)
			r.fields[i].value = xstrdup(r.fields[i].raw);
	struct finding *fd = record_add_finding(&r, field, code, sev, "%s on '%s'", code, field);
	if (src) {
		fd->match_source = xstrdup(src);
		fd->match_id = xstrdup(other);
		fd->score = 0.93;
	}
	assert_int_equal(store_record_save(f->t.s, &r, stage, REC_REVIEW, &e), 0);
	record_release(&r);
}

static int setup(void **state)
{
	setlocale(LC_ALL, "C.UTF-8");
	struct fx *f = tdb_fixture(sizeof(*f), "review");
	struct err e = ERR_INIT;
	struct store_book b = {0};
	b.path = "/nonexistent/book-07.tif";
	b.name = "book-07.tif";
	snprintf(b.sha256, sizeof(b.sha256), "%064d", 7);
	b.pages = 3;
	f->book = store_book_add(f->t.s, &b, &e);
	assert_true(f->book > 0);
	f->r_field = add_ocr_record(f, 0, "12", "Kinb");
	flag(f, f->r_field, "validate", "nksDanToc", "ethnic_unknown", SEV_ERROR, NULL, NULL);
	f->r_dup = add_ocr_record(f, 1, "13", "Kinb");
	flag(f, f->r_dup, "dedup", "", "duplicate_existing", SEV_WARNING, "existing", "501");
	flag(f, f->r_dup, "validate", "nksHoTen", "corrected", SEV_INFO, NULL, NULL);
	f->r_clean = add_ocr_record(f, 2, "14", "Kinh");
	assert_int_equal(store_exec(f->t.s,
				    "INSERT INTO existing(kind, stt, data) VALUES('ks', '501',"
				    " '{\"so\": \"13\", \"nksHoTen\": \"Nguyễn Thị Thuỳ Dương\", "
				    "\"nksDanToc\": \"Kinh\"}');"
				    "INSERT INTO findings(book_id, stage, code, message, severity)"
				    " VALUES(1, 'validate', 'entry_missing', 'thiếu số 11', 2);"
				    "INSERT INTO pages(book_id, page_no, status, error) VALUES(1, "
				    "9, 'failed', 'bad strip');",
				    &e),
			 0);
	snprintf(f->fitem, sizeof(f->fitem), "f%lld",
		 store_count(f->t.s, "SELECT id FROM findings WHERE record_id IS NULL", NULL));
	f->ctx = (struct review_ctx){f->t.s, "lan", NULL, NULL, 1000000, NULL};
	*state = f;
	return 0;
}

static char *rid(long long id)
{
	static char buf[4][32];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "r%lld", id);
	return buf[k];
}

static long long count(struct fx *f, const char *sql)
{
	return store_count(f->t.s, sql, NULL);
}

/* The newest audit row as "action|field|old|new|reviewer". */
static char *last_audit(struct fx *f)
{
	struct err e = ERR_INIT;
	struct store_stmt *st = store_prepare(f->t.s,
					      "SELECT action || '|' || coalesce(field, '') ||"
					      " '|' || coalesce(old, '') || '|' || coalesce(new, "
					      "'') || '|' || reviewer"
					      " FROM reviews ORDER BY id DESC LIMIT 1",
					      &e);
	assert_non_null(st);
	char *v = store_step(st, &e) == 1 ? xstrdup(store_col_text(st, 0)) : xstrdup("");
	store_finalize(st);
	return v;
}

static const char *status_of(struct fx *f, long long id)
{
	static char buf[16];
	struct record r;
	enum record_status st;
	struct err e = ERR_INIT;
	assert_int_equal(store_record_load(f->t.s, id, &r, &st, NULL, &e), 0);
	record_release(&r);
	snprintf(buf, sizeof(buf), "%s", record_status_name(st));
	return buf;
}

/* ---- queue ----------------------------------------------------------------- */

static void queue_groups_items_in_order(void **state)
{
	struct fx *f = *state;
	struct review_queue q;
	struct err e = ERR_INIT;
	assert_int_equal(review_queue_load(f->t.s, NULL, "lan", 1000000, &q, &e), 0);
	assert_int_equal(q.n, 4);
	assert_string_equal(q.items[0].id, rid(f->r_field));
	assert_int_equal(q.items[0].group, GROUP_FIELD);
	assert_string_equal(q.items[0].reasons[0].field, "nksDanToc");
	assert_string_equal(q.items[1].id, rid(f->r_dup));
	assert_int_equal(q.items[1].group, GROUP_DUPLICATE);
	assert_string_equal(q.items[2].id, f->fitem);
	assert_int_equal(q.items[2].group, GROUP_MISSING);
	assert_int_equal(q.items[3].group, GROUP_PAGE);
	assert_int_equal(q.items[3].page, 9);
	assert_int_equal(q.count[GROUP_FIELD], 1);
	assert_int_equal(q.count[GROUP_PAGE], 1);
	review_queue_release(&q);
	/* A filter keeps the counts of the other groups on screen. */
	struct review_filter flt = {"BOOK-07", GROUP_DUPLICATE};
	assert_int_equal(review_queue_load(f->t.s, &flt, "lan", 1000000, &q, &e), 0);
	assert_int_equal(q.n, 1);
	assert_int_equal(q.count[GROUP_FIELD], 1);
	review_queue_release(&q);
	flt = (struct review_filter){"other-book", -1};
	assert_int_equal(review_queue_load(f->t.s, &flt, "lan", 1000000, &q, &e), 0);
	assert_int_equal(q.n, 0);
	review_queue_release(&q);
}

static void list_json_has_the_contract_keys(void **state)
{
	struct fx *f = *state;
	struct review_queue q;
	struct err e = ERR_INIT;
	assert_int_equal(review_queue_load(f->t.s, NULL, "", 1000000, &q, &e), 0);
	char *line = review_item_json(f->t.s, &q.items[1], &e);
	assert_non_null(line);
	json_t *o = json_loads(line, 0, NULL);
	assert_non_null(o);
	const char *keys[] = {"id", "kind", "record", "_source", "reasons"};
	size_t k = 0;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
		assert_string_equal(key, keys[k++]);
	assert_int_equal(k, 5);
	assert_string_equal(json_string_value(json_object_get(o, "kind")), "ks");
	json_t *rec = json_object_get(o, "record");
	assert_string_equal(json_string_value(json_object_get(rec, "nksDanToc")), "Kinb");
	assert_non_null(json_object_get(rec, "meHoTen")); /* every column, "" when empty */
	json_t *src = json_object_get(o, "_source");
	assert_int_equal(json_integer_value(json_object_get(src, "page")), 2);
	assert_int_equal(json_integer_value(json_object_get(src, "index")), 1);
	json_t *m = json_object_get(json_array_get(json_object_get(o, "reasons"), 0), "match");
	assert_string_equal(json_string_value(json_object_get(m, "source")), "existing");
	assert_string_equal(json_string_value(json_object_get(m, "id")), "501");
	assert_true(json_real_value(json_object_get(m, "score")) > 0.9);
	/* A note (an accepted correction) is no reason to look; the screen
	 * still has it. */
	assert_int_equal(json_array_size(json_object_get(o, "reasons")), 1);
	assert_int_equal(q.items[1].nreasons, 2);
	json_decref(o);
	free(line);
	/* A book-level item has an empty record. */
	line = review_item_json(f->t.s, &q.items[2], &e);
	o = json_loads(line, 0, NULL);
	assert_int_equal(json_object_size(json_object_get(o, "record")), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "_source"), "file")),
			    "book-07.tif");
	json_decref(o);
	free(line);
	review_queue_release(&q);
}

/* ---- decisions -------------------------------------------------------------- */

static void approve_over_errors_is_logged(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(review_approve(&f->ctx, rid(f->r_field), &e), 0);
	assert_string_equal(status_of(f, f->r_field), "approved");
	assert_int_equal(count(f, "SELECT COUNT(*) FROM findings WHERE record_id = 1 AND resolved = 0"), 0);
	char *a = last_audit(f);
	assert_string_equal(a, "approve-override||nksDanToc:ethnic_unknown|approved|lan");
	free(a);
	/* Twice is an error: it is not in the queue any more. */
	assert_int_equal(review_approve(&f->ctx, rid(f->r_field), &e), -1);
	assert_non_null(strstr(e.msg, "not in the review queue"));
	err_clear(&e);
	assert_int_equal(review_approve(&f->ctx, "zz9", &e), -1);
}

static void reject_sets_status_and_audits(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(review_reject(&f->ctx, rid(f->r_field), &e), 0);
	assert_string_equal(status_of(f, f->r_field), "rejected");
	char *a = last_audit(f);
	assert_string_equal(a, "reject|||rejected|lan");
	free(a);
}

/* A stand-in validator: "Kinh" is right, anything else is flagged. */
static int fake_validate(void *vc, struct record *r, const char *column, struct err *e)
{
	(void)vc;
	(void)e;
	size_t j = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].field, column) || r->findings[i].match_source)
			r->findings[j++] = r->findings[i];
		else {
			free(r->findings[i].field);
			free(r->findings[i].code);
			free(r->findings[i].message);
		}
	r->nfindings = j;
	if (strcmp(record_value(r, column), "Kinh"))
		record_add_finding(r, column, "ethnic_unknown", SEV_ERROR, "not a group");
	return 0;
}

static void set_reruns_checks_and_audits(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	f->ctx.revalidate = fake_validate;
	/* NFD input is stored as NFC. */
	assert_int_equal(review_set(&f->ctx, rid(f->r_field), "nksDanToc", "Kinh", &e), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM findings WHERE record_id = 1 AND resolved = 0"), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM fields WHERE record_id = 1"
			       " AND name = 'nksDanToc' AND value = 'Kinh'"), 1);
	assert_string_equal(status_of(f, f->r_field), "review");
	char *a = last_audit(f);
	assert_string_equal(a, "set|nksDanToc|Kinb|Kinh|lan");
	free(a);
	assert_int_equal(review_set(&f->ctx, rid(f->r_field), "nksHoTen", "Nguye\xcc\x82\xcc\x83n", &e), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM fields WHERE name = 'nksHoTen'"
			       " AND value = 'Nguyễn'"), 1);
	/* The dedup finding of another record, and its note on another column,
	 * survive an edit there (beside the edit's own finding). */
	assert_int_equal(review_set(&f->ctx, rid(f->r_dup), "nksDanToc", "Kinc", &e), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM findings WHERE record_id = 2 AND resolved = 0"), 3);
	assert_int_equal(review_set(&f->ctx, rid(f->r_field), "noSuchColumn", "x", &e), -1);
	assert_non_null(strstr(e.msg, "noSuchColumn"));
	err_clear(&e);
	assert_int_equal(review_set(&f->ctx, f->fitem, "so", "x", &e), -1);
}

static void claims_keep_reviewers_apart_until_expiry(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	char *holder = NULL;
	struct review_ctx lan = f->ctx, minh = f->ctx;
	minh.reviewer = "minh";
	assert_int_equal(review_claim(&lan, rid(f->r_field), &holder, &e), 0);
	minh.now = lan.now + 60;
	assert_int_equal(review_claim(&minh, rid(f->r_field), &holder, &e), 1);
	assert_string_equal(holder, "lan");
	free(holder);
	assert_int_equal(review_approve(&minh, rid(f->r_field), &e), -1);
	assert_non_null(strstr(e.msg, "open by 'lan'"));
	assert_string_equal(status_of(f, f->r_field), "review");
	/* The queue shows who holds it. */
	struct review_queue q;
	assert_int_equal(review_queue_load(f->t.s, NULL, "minh", minh.now, &q, &e), 0);
	assert_string_equal(q.items[0].claimed_by, "lan");
	review_queue_release(&q);
	/* Refreshed claims last; abandoned ones expire. */
	lan.now += REVIEW_CLAIM_TTL - 10;
	assert_int_equal(review_claim(&lan, rid(f->r_field), &holder, &e), 0);
	minh.now = lan.now + REVIEW_CLAIM_TTL - 1;
	assert_int_equal(review_claim(&minh, rid(f->r_field), &holder, &e), 1);
	free(holder);
	minh.now = lan.now + REVIEW_CLAIM_TTL;
	assert_int_equal(review_claim(&minh, rid(f->r_field), &holder, &e), 0);
	err_clear(&e);
	assert_int_equal(review_approve(&minh, rid(f->r_field), &e), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM claims"), 0);
	/* Released claims free the item at once. */
	assert_int_equal(review_claim(&lan, rid(f->r_dup), &holder, &e), 0);
	review_claim_release(&lan, rid(f->r_dup));
	assert_int_equal(review_claim(&minh, rid(f->r_dup), &holder, &e), 0);
}

static void duplicates_decide_same_or_different(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	/* Undecided: approving is refused. */
	assert_int_equal(review_approve(&f->ctx, rid(f->r_dup), &e), -1);
	assert_non_null(strstr(e.msg, "duplicate"));
	err_clear(&e);
	assert_int_equal(review_decide(&f->ctx, rid(f->r_dup), "existing", "501", 0, &e), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM matches WHERE record_id = 2"
			       " AND decision = 'different' AND decided_by = 'lan'"
			       " AND decided_at IS NOT NULL"), 1);
	assert_int_equal(count(f, "SELECT resolved FROM findings WHERE record_id = 2"), 1);
	char *a = last_audit(f);
	assert_string_equal(a, "different||existing:501||lan");
	free(a);
	assert_int_equal(review_approve(&f->ctx, rid(f->r_dup), &e), 0);
	assert_string_equal(status_of(f, f->r_dup), "approved");
	/* "Same" between two batch records rejects this one and settles the other. */
	flag(f, f->r_clean, "dedup", "", "duplicate_batch", SEV_WARNING, "batch", rid(f->r_field));
	flag(f, f->r_field, "dedup", "", "duplicate_batch", SEV_WARNING, "batch", rid(f->r_clean));
	assert_int_equal(review_decide(&f->ctx, rid(f->r_clean), NULL, NULL, 1, &e), 0);
	assert_string_equal(status_of(f, f->r_clean), "rejected");
	assert_int_equal(count(f, "SELECT COUNT(*) FROM findings WHERE record_id = 1 AND resolved = 0"
			       " AND match_source IS NOT NULL"), 0);
	a = last_audit(f);
	assert_string_equal(a, "reject||duplicate|rejected|lan");
	free(a);
	assert_int_equal(review_decide(&f->ctx, rid(f->r_field), NULL, NULL, 1, &e), -1);
}

static void book_items_are_acknowledged(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(review_approve(&f->ctx, f->fitem, &e), 0);
	assert_int_equal(count(f, "SELECT resolved FROM findings WHERE record_id IS NULL"), 1);
	long long page = count(f, "SELECT id FROM pages WHERE status = 'failed'");
	char item[32];
	snprintf(item, sizeof(item), "p%lld", page);
	assert_int_equal(review_reject(&f->ctx, item, &e), 0);
	char *a = last_audit(f);
	assert_string_equal(a, "reject||||lan");
	free(a);
	struct review_queue q;
	assert_int_equal(review_queue_load(f->t.s, NULL, "lan", 0, &q, &e), 0);
	assert_int_equal(q.n, 2);
	review_queue_release(&q);
	assert_int_equal(review_reject(&f->ctx, item, &e), -1);
}

/* ---- pictures ---------------------------------------------------------------- */

static void blank_raster(struct raster *r, int w, int h)
{
	r->width = w;
	r->height = h;
	r->channels = 1;
	r->data = malloc((size_t)w * h);
	memset(r->data, 255, (size_t)w * h);
}

static void ink_rect(struct raster *r, int x, int y, int w, int h)
{
	for (int j = y; j < y + h; j++)
		memset(r->data + (size_t)j * r->width + x, 0, (size_t)w);
}

static void picture_puts_ink_where_the_page_has_it(void **state)
{
	(void)state;
	struct raster r;
	blank_raster(&r, 400, 80);
	ink_rect(&r, 0, 0, 200, 80); /* left half black */
	char **lines;
	int n;
	assert_int_equal(review_image_text(&r, (struct box){0, 0, 400, 80}, (struct box){0},
					   40, 10, PIXELS_BRAILLE, &lines, &n), 0);
	assert_true(n >= 1 && n <= 10);
	/* 400 px into 80 dots: 5 px a dot, 40 cells; left 20 full, right 20 blank. */
	assert_int_equal(review_text_width(lines[0]), 40);
	assert_int_equal(strncmp(lines[0], "⣿", 3), 0);
	assert_int_equal(lines[0][strlen(lines[0]) - 1], ' ');
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	/* Half blocks; a blank page gives no ink at all. */
	memset(r.data, 250, (size_t)400 * 80);
	assert_int_equal(review_image_text(&r, (struct box){0, 0, 0, 0}, (struct box){0}, 40, 10,
					   PIXELS_BLOCKS, &lines, &n), 0);
	for (int i = 0; i < n; i++) {
		assert_null(strstr(lines[i], "█"));
		free(lines[i]);
	}
	free(lines);
	raster_release(&r);
}

/* A name written in a corner of a wide box, over a ruling of the form. */
static void name_in_a_wide_box(struct raster *r)
{
	blank_raster(r, 400, 100);
	ink_rect(r, 300, 40, 40, 30);
	ink_rect(r, 0, 90, 400, 2);	/* the ruling: not ink to crop to */
	r->data[10 * 400 + 20] = 0;	/* a speck */
}

static void ink_box_crops_to_the_writing(void **state)
{
	(void)state;
	struct raster r;
	name_in_a_wide_box(&r);
	struct box b = review_ink_box(&r, (struct box){0, 0, 400, 100}, 4);
	assert_int_equal(b.x, 296);
	assert_int_equal(b.y, 36);
	assert_int_equal(b.w, 48);
	assert_int_equal(b.h, 38);
	/* No ink at all: the box as given. */
	struct raster blank;
	blank_raster(&blank, 50, 50);
	b = review_ink_box(&blank, (struct box){5, 5, 20, 20}, 4);
	assert_int_equal(b.x, 5);
	assert_int_equal(b.w, 20);
	raster_release(&blank);
	raster_release(&r);
}

/* What the sixel path sends, decoded back, is the crop's pixels. */
static void sixel_decodes_back_to_the_crop(void **state)
{
	(void)state;
	struct raster r;
	name_in_a_wide_box(&r);
	for (int y = 0; y < 100; y++) /* a gradient, so every gray is tried */
		for (int x = 0; x < 200; x++)
			r.data[y * 400 + x] = (uint8_t)(x + y / 2);
	struct box b = {150, 30, 200, 50};
	char *six;
	size_t len;
	struct err e = ERR_INIT;
	assert_int_equal(review_sixel_encode(&r, b, 1000, 1000, &six, &len, &e), 0);
	assert_memory_equal(six, "\033P", 2); /* a DCS sequence */
	unsigned char *px = NULL, *pal = NULL;
	int w = 0, h = 0, ncolors = 0;
	assert_true(SIXEL_SUCCEEDED(sixel_decode_raw((unsigned char *)six, (int)len, &px, &w, &h,
						     &pal, &ncolors, NULL)));
	assert_int_equal(w, 200);
	assert_int_equal(h, 50); /* 1:1: never enlarged, not shrunk when it fits */
	uint8_t *want = malloc((size_t)w * h);
	review_image_gray(&r, b, w, h, want);
	int worst = 0;
	for (int i = 0; i < w * h; i++) {
		int got = pal[px[i] * 3], d = abs(got - want[i]);
		worst = d > worst ? d : worst;
	}
	assert_true(worst <= 4);
	/* Shrunk to fit, the aspect ratio kept. */
	int fw, fh;
	review_sixel_fit(b, 100, 100, &fw, &fh);
	assert_int_equal(fw, 100);
	assert_int_equal(fh, 25);
	free(want);
	free(px);
	free(pal);
	free(six);
	raster_release(&r);
}

/* base64 back to bytes (the test's own decoder); returns how many. */
static size_t unbase64(const char *in, size_t n, uint8_t *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t k = 0;
	uint32_t v = 0;
	int bits = 0;
	for (size_t i = 0; i < n && in[i] != '='; i++) {
		const char *c = strchr(tab, in[i]);
		assert_non_null(c);
		v = v << 6 | (uint32_t)(c - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (uint8_t)(v >> bits);
		}
	}
	return k;
}

/* The kitty image: its chunks joined and decoded are the crop's grays as
 * RGB; no chunk over the protocol's 4096 bytes; the last says m=0. */
static void kitty_image_decodes_back_to_the_crop(void **state)
{
	(void)state;
	struct raster r;
	name_in_a_wide_box(&r);
	for (int y = 0; y < 100; y++)
		for (int x = 0; x < 200; x++)
			r.data[y * 400 + x] = (uint8_t)(x + y / 2);
	struct box b = {150, 30, 200, 50};
	size_t len;
	char *k = review_kitty_encode(&r, b, 1000, 1000, &len);
	assert_memory_equal(k, "\033_Ga=T,f=24,s=200,v=50,", 23);
	struct strbuf data = STRBUF_INIT;
	int chunks = 0, last_more = -1;
	for (const char *p = k; (p = strstr(p, "\033_G"));) {
		const char *semi = strchr(p, ';'), *end = strstr(p, "\033\\");
		assert_non_null(semi);
		assert_non_null(end);
		assert_true(end - semi - 1 <= 4096);
		last_more = strstr(p, "m=1;") && strstr(p, "m=1;") < semi;
		sb_add(&data, semi + 1, (size_t)(end - semi - 1));
		chunks++;
		p = end + 2;
	}
	assert_true(chunks > 1);
	assert_int_equal(last_more, 0);
	uint8_t *rgb = malloc(data.len), *want = malloc(200 * 50);
	assert_int_equal(unbase64(data.buf, data.len, rgb), 3 * 200 * 50);
	review_image_gray(&r, b, 200, 50, want);
	for (int i = 0; i < 200 * 50; i++) {
		assert_int_equal(rgb[3 * i], want[i]);
		assert_int_equal(rgb[3 * i + 2], want[i]);
	}
	/* named by its environment */
	setenv("KITTY_WINDOW_ID", "1", 1);
	assert_true(review_kitty_terminal());
	unsetenv("KITTY_WINDOW_ID");
	free(rgb);
	free(want);
	sb_release(&data);
	free(k);
	raster_release(&r);
}

static void da1_answer_names_sixel(void **state)
{
	(void)state;
	assert_true(review_da1_sixel("\033[?62;4;6;22c"));		/* xterm -ti vt340 */
	assert_true(review_da1_sixel("\033[?65;4;1;2;6;21;22c"));	/* mlterm, WezTerm */
	assert_false(review_da1_sixel("\033[?1;2c"));			/* tmux, plain xterm */
	assert_false(review_da1_sixel("\033[?64;1;2;6;9;15;18;21;22c"));
	assert_false(review_da1_sixel(""));
	assert_false(review_da1_sixel(NULL));
}

/* ---- screens and keys --------------------------------------------------------- */

static int fake_load(const char *path, int page_no, struct raster *out, struct err *e)
{
	(void)path;
	(void)page_no;
	(void)e;
	blank_raster(out, 2480, 3508);
	ink_rect(out, 320, 350, 60, 40); /* something inside nksDanToc's box on page 1 */
	return 0;
}

static char *screen_text(struct review_app *a, int rows, int cols)
{
	struct review_screen scr;
	review_screen_render(a, rows, cols, &scr);
	struct strbuf sb = STRBUF_INIT;
	for (int y = 0; y < scr.rows; y++) {
		assert_int_equal(review_text_width(scr.lines[y].text), cols);
		sb_adds(&sb, scr.lines[y].text);
		sb_addc(&sb, '\n');
	}
	review_screen_release(&scr);
	return sb_detach(&sb);
}

static void keys(struct review_app *a, const char *s)
{
	for (; *s; s++)
		review_app_key(a, *s == '\n' ? RK_ENTER : *s);
}

/* The app on the fixture's queue, the first item open; load reads scans (NULL: none). */
static void app_open(struct fx *f, struct review_app *a, review_page_load_fn load)
{
	struct err e = ERR_INIT;
	if (review_app_init(a, &f->ctx, load, NULL, &e) < 0)
		fail_msg("review_app_init: %s", e.msg);
}

/* The screen of rows x cols shows each of the strings (up to a NULL). */
static void screen_shows(struct review_app *a, int rows, int cols, ...)
{
	char *t = screen_text(a, rows, cols);
	va_list ap;
	va_start(ap, cols);
	for (const char *want; (want = va_arg(ap, const char *));)
		if (!strstr(t, want))
			fail_msg("the screen does not show '%s':\n%s", want, t);
	va_end(ap);
	free(t);
}

static void record_screen_shows_fields_flags_and_scan(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	app_open(f, &a, fake_load);
	assert_string_equal(a.open_id, rid(f->r_field));
	screen_shows(&a, 40, 120, "queue 4: fields 1 · duplicates 1 · missing entries 1",
		     "▸!Dân tộc (nksDanToc)", "Kinb", "ethnic_unknown", "scan of nksDanToc", "█",
		     NULL);
	review_app_key(&a, 'b');	/* braille: finer dots */
	screen_shows(&a, 40, 120, "⣿", NULL);
	/* Sixel: the cells are left blank for the image, cropped to the ink
	 * (the 60x40 mark in the 300x60 box), with 4 pixels around it. */
	a.pixels = PIXELS_SIXEL;
	struct review_screen scr;
	review_screen_render(&a, 40, 120, &scr);
	assert_non_null(scr.image.img);
	assert_int_equal(scr.image.box.x, 316);
	assert_int_equal(scr.image.box.w, 68);
	assert_int_equal(scr.image.box.h, 48);
	assert_true(scr.image.rows > 0 && scr.image.cols == 116);
	assert_null(strstr(scr.lines[scr.image.y].text, "█"));
	review_screen_release(&scr);
	a.pixels = PIXELS_BLOCKS;
	/* Narrow terminals still get exact widths. */
	free(screen_text(&a, 12, 50));
	/* The claim is held while open, and released on quit. */
	assert_int_equal(count(f, "SELECT COUNT(*) FROM claims WHERE reviewer = 'lan'"), 1);
	review_app_release(&a);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM claims"), 0);
}

/* A code point above U+FFFF typed into the prompt is drawn as its 4 bytes. */
static void prompt_draws_code_points_above_the_bmp(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	app_open(f, &a, NULL);
	review_app_key(&a, 'e');
	assert_int_equal(a.prompt, PROMPT_EDIT);
	review_app_key(&a, 0x2070E);	/* 𠜎, a CJK extension B character */
	char *t = screen_text(&a, 40, 120);
	assert_non_null(strstr(t, "Kinb\xF0\xA0\x9C\x8E"));
	assert_true(text_valid_utf8(t, strlen(t)));
	free(t);
	review_app_key(&a, RK_ESC);
	review_app_release(&a);
}

static void keys_approve_edit_and_move(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	f->ctx.revalidate = fake_validate;
	app_open(f, &a, NULL);
	/* e, erase "Kinb", type "Kinh" in Vietnamese-capable input, Enter. */
	review_app_key(&a, 'e');
	assert_int_equal(a.prompt, PROMPT_EDIT);
	review_app_key(&a, RK_BACKSPACE);
	keys(&a, "h\n");
	assert_int_equal(a.prompt, PROMPT_NONE);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM fields WHERE record_id = 1"
			       " AND name = 'nksDanToc' AND value = 'Kinh'"), 1);
	assert_non_null(strstr(a.msg, "no findings left"));
	review_app_key(&a, 'a');
	assert_string_equal(status_of(f, f->r_field), "approved");
	char *au = last_audit(f);
	assert_string_equal(au, "approve|||approved|lan"); /* no errors were left */
	free(au);
	assert_string_equal(a.open_id, rid(f->r_dup)); /* moved to the next item */
	/* The duplicate shows side by side with the difference marked. */
	screen_shows(&a, 40, 120, "existing 501", "≠ Kinh", "= 13", NULL);
	review_app_key(&a, 'd');
	assert_int_equal(count(f, "SELECT COUNT(*) FROM matches WHERE decision = 'different'"), 1);
	keys(&a, "n");
	assert_string_equal(a.open_id, f->fitem);
	keys(&a, "pp");
	assert_string_equal(a.open_id, rid(f->r_dup));
	keys(&a, "q");
	assert_true(a.quit);
	review_app_release(&a);
}

/* r1 flagged on nksHoTen (selected first) and nksDanToc; a pressed at once. */
static void approve_with_a_flag_unseen(struct fx *f, struct review_app *a)
{
	flag(f, f->r_field, "validate", "nksHoTen", "name_low_conf", SEV_WARNING, NULL, NULL);
	app_open(f, a, NULL);
	assert_string_equal(a->cols[a->fsel], "nksHoTen");
	review_app_key(a, 'a');
	assert_int_equal(a->prompt, PROMPT_APPROVE);
}

/* A flagged field nobody selected is not approved with one key. */
static void approve_asks_about_flags_not_looked_at(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	approve_with_a_flag_unseen(f, &a);
	char *t = screen_text(&a, 30, 120);
	assert_non_null(strstr(t, "approve r1 with 1 flagged field not looked at (nksDanToc)? "
				  "y: approve, other key: no"));
	free(t);
	review_app_key(&a, 'n');
	assert_int_equal(a.prompt, PROMPT_NONE);
	assert_string_equal(status_of(f, f->r_field), "review");
	assert_non_null(strstr(a.msg, "not approved"));
	/* Once every flag has been selected, a approves at once. */
	for (int i = 0; i < 20 && strcmp(a.cols[a.fsel], "nksDanToc"); i++)
		review_app_key(&a, 'j');
	review_app_key(&a, 'a');
	assert_int_equal(a.prompt, PROMPT_NONE);
	assert_string_equal(status_of(f, f->r_field), "approved");
	review_app_release(&a);
}

/* y answers the question and approves, audited as usual. */
static void approve_asks_and_y_approves(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	approve_with_a_flag_unseen(f, &a);
	review_app_key(&a, 'y');
	assert_string_equal(status_of(f, f->r_field), "approved");
	char *au = last_audit(f);
	assert_string_equal(au, "approve-override||nksDanToc:ethnic_unknown|approved|lan");
	free(au);
	review_app_release(&a);
}

/* Ctrl-U erases the edit line back to its start, as in a shell. */
static void ctrl_u_clears_the_edit_line(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	f->ctx.revalidate = fake_validate;
	app_open(f, &a, NULL);
	review_app_key(&a, 'e');
	assert_int_equal(a.plen, 4); /* "Kinb" */
	review_app_key(&a, 0x15);
	assert_int_equal(a.plen, 0);
	keys(&a, "Kinh\n");
	assert_int_equal(count(f, "SELECT COUNT(*) FROM fields WHERE record_id = 1"
			       " AND name = 'nksDanToc' AND value = 'Kinh'"), 1);
	review_app_release(&a);
}

/* A duplicate with a record after it in the book is still a duplicate,
 * and the queue list shows it under its own header. */
static void a_duplicate_not_last_is_listed_as_one(void **state)
{
	struct fx *f = *state;
	flag(f, f->r_clean, "validate", "nksDanToc", "ethnic_unknown", SEV_ERROR, NULL, NULL);
	struct review_queue q;
	struct err e = ERR_INIT;
	assert_int_equal(review_queue_load(f->t.s, NULL, "lan", 1000000, &q, &e), 0);
	long i = review_queue_find(&q, rid(f->r_dup));
	assert_true(i >= 0);
	assert_int_equal(q.items[i].group, GROUP_DUPLICATE);
	assert_int_equal(q.items[review_queue_find(&q, rid(f->r_clean))].group, GROUP_FIELD);
	review_queue_release(&q);
	struct review_app a;
	app_open(f, &a, NULL);
	review_app_key(&a, 'l');
	char *t = screen_text(&a, 30, 100);
	char *dups = strstr(t, "── duplicates (1) ──"), *r2 = strstr(t, " r2 ");
	assert_non_null(dups);
	assert_non_null(r2);
	assert_true(r2 > dups);
	free(t);
	review_app_release(&a);
}

static void group_verification_fixes_all_at_once(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	f->ctx.revalidate = fake_validate;
	app_open(f, &a, fake_load);
	review_app_key(&a, 'g');
	assert_int_equal(a.mode, MODE_GROUP);
	assert_int_equal(a.group_n, 2); /* both queued records read "Kinb" */
	screen_shows(&a, 30, 100, "group: nksDanToc = «Kinb» · 2 records in the queue, 1 flagged",
		     NULL);
	review_app_key(&a, 'e');
	for (int i = 0; i < 4; i++)
		review_app_key(&a, RK_BACKSPACE);
	keys(&a, "Kinh\n");
	assert_int_equal(count(f, "SELECT COUNT(*) FROM fields WHERE name = 'nksDanToc'"
			       " AND coalesce(value, raw) = 'Kinh'"), 3);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM reviews WHERE action = 'set'"), 2);
	/* The group now shows the fixed reading, nothing flagged. */
	screen_shows(&a, 30, 100, "group: nksDanToc = «Kinh» · 2 records in the queue, 0 flagged",
		     "fixed 2 of 2", NULL);
	review_app_release(&a);
}

static void queue_list_groups_and_opens(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	app_open(f, &a, NULL);
	review_app_key(&a, 'l');
	assert_int_equal(a.mode, MODE_QUEUE);
	screen_shows(&a, 30, 100, "── field findings (1) ──", "── duplicates (1) ──",
		     "── failed pages (1) ──", "▸ r1", NULL);
	keys(&a, "jj");
	review_app_key(&a, RK_ENTER);
	assert_int_equal(a.mode, MODE_RECORD);
	assert_string_equal(a.open_id, f->fitem);
	screen_shows(&a, 30, 100, "entry_missing", NULL);
	review_app_release(&a);
}

static void help_is_drawn_from_the_key_table(void **state)
{
	struct fx *f = *state;
	struct review_app a;
	app_open(f, &a, NULL);
	review_app_key(&a, '?');
	assert_int_equal(a.mode, MODE_HELP);
	char *t = screen_text(&a, 60, 120);
	for (size_t i = 0; i < review_nkeys; i++)
		assert_non_null(strstr(t, review_keys[i].help));
	assert_non_null(strstr(t, "j, Down"));
	free(t);
	review_app_key(&a, RK_ESC);
	assert_int_equal(a.mode, MODE_RECORD);
	/* The bottom bar is the same table's hints. */
	t = screen_text(&a, 30, 200);
	for (size_t i = 0; i < review_nkeys; i++)
		if (review_keys[i].hint && (review_keys[i].modes & MODE_BIT(MODE_RECORD))) {
			char want[64];
			snprintf(want, sizeof(want), " %s %s ", review_keys[i].name, review_keys[i].hint);
			assert_non_null(strstr(t, want));
		}
	free(t);
	/* Every row has an action and help; no key is bound twice in one mode. */
	for (size_t i = 0; i < review_nkeys; i++) {
		assert_non_null(review_keys[i].fn);
		assert_true(strlen(review_keys[i].help) > 3);
		for (size_t j = i + 1; j < review_nkeys; j++)
			assert_false(review_keys[i].key == review_keys[j].key &&
				     (review_keys[i].modes & review_keys[j].modes));
	}
	review_app_release(&a);
}

static void widths_follow_wcwidth(void **state)
{
	(void)state;
	assert_int_equal(review_text_width("Nguyễn Thị Thuỳ Dương"), 21);
	assert_int_equal(review_text_width("漢字"), 4);
	char *s = review_text_fit("Nguyễn Thị Thuỳ Dương", 10);
	assert_string_equal(s, "Nguyễn Th…");
	free(s);
	s = review_text_fit("漢字漢字", 5);
	assert_int_equal(review_text_width(s), 5);
	free(s);
	assert_string_equal(review_column_label("meDanToc"), "Dân tộc mẹ");
}


/* Bytes as typed: a stray 0xFF is dropped alone and the next key works. */
static int feed(struct review_keyin *k, const char *bytes, int *out, int max)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)bytes; *p; p++) {
		int c = review_keyin_byte(k, *p);
		if (c >= 0 && n < max)
			out[n++] = c;
	}
	return n;
}

static void stray_byte_is_dropped_alone(void **state)
{
	(void)state;
	struct review_keyin k;
	int got[8];
	review_keyin_init(&k);
	assert_int_equal(feed(&k, "a\xff" "q", got, 8), 2);
	assert_int_equal(got[0], 'a');
	assert_int_equal(got[1], 'q');
	/* A sequence cut short: the byte that cut it counts. */
	assert_int_equal(feed(&k, "\xe1\xbb" "q", got, 8), 1);
	assert_int_equal(got[0], 'q');
	assert_int_equal(feed(&k, "\xe1\xff" "A\xc3", got, 8), 1);
	assert_int_equal(got[0], 'A');
	assert_int_equal(feed(&k, "x", got, 8), 1); /* a lone lead byte waits no longer */
	assert_int_equal(got[0], 'x');
	/* Whole characters come through; overlong forms do not. */
	assert_int_equal(feed(&k, "\xe1\xbb\x87\xc0\xaf" "n", got, 8), 2);
	assert_int_equal(got[0], 0x1EC7);
	assert_int_equal(got[1], 'n');
	assert_int_equal(feed(&k, "\xe0\x80\xaf" "q", got, 8), 1);
	assert_int_equal(got[0], 'q');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stray_byte_is_dropped_alone),
		cmocka_unit_test_setup_teardown(queue_groups_items_in_order, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(a_duplicate_not_last_is_listed_as_one, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(list_json_has_the_contract_keys, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(approve_over_errors_is_logged, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(reject_sets_status_and_audits, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(set_reruns_checks_and_audits, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(claims_keep_reviewers_apart_until_expiry, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(duplicates_decide_same_or_different, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(book_items_are_acknowledged, setup, tdb_teardown),
		cmocka_unit_test(picture_puts_ink_where_the_page_has_it),
		cmocka_unit_test(ink_box_crops_to_the_writing),
		cmocka_unit_test(sixel_decodes_back_to_the_crop),
		cmocka_unit_test(kitty_image_decodes_back_to_the_crop),
		cmocka_unit_test(da1_answer_names_sixel),
		cmocka_unit_test_setup_teardown(record_screen_shows_fields_flags_and_scan, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(prompt_draws_code_points_above_the_bmp, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(keys_approve_edit_and_move, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(approve_asks_about_flags_not_looked_at, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(approve_asks_and_y_approves, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(ctrl_u_clears_the_edit_line, setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(group_verification_fixes_all_at_once, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(help_is_drawn_from_the_key_table, setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(queue_list_groups_and_opens, setup, tdb_teardown),
		cmocka_unit_test(widths_follow_wcwidth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
