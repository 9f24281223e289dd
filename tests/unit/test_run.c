/* Unit tests: the OCR pipe between worker and parent (frames, page JSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "pipeline/ocrpipe.h"
#include "store/store.h"
#include "ocr/ocr.h"

static void frames_survive_a_pipe_in_order(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	const char *msgs[] = {"start 7", "", "done 7 {\"x\":\"\xe1\xbb\x85\"}"};
	for (int i = 0; i < 3; i++)
		assert_int_equal(ocrpipe_frame_write(p[1], msgs[i], strlen(msgs[i])), 0);
	close(p[1]);
	for (int i = 0; i < 3; i++) {
		char *got;
		size_t n;
		assert_int_equal(ocrpipe_frame_read(p[0], &got, &n), 1);
		assert_int_equal(n, strlen(msgs[i]));
		assert_string_equal(got, msgs[i]);
		free(got);
	}
	char *got;
	size_t n;
	assert_int_equal(ocrpipe_frame_read(p[0], &got, &n), 0);
	close(p[0]);
}

static void torn_frame_is_an_error_not_eof(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	/* Header says 10 bytes, only 3 follow: a worker killed mid-write. */
	assert_int_equal(write(p[1], "\0\0\0\x0a" "abc", 7), 7);
	close(p[1]);
	char *got;
	size_t n;
	assert_int_equal(ocrpipe_frame_read(p[0], &got, &n), -1);
	close(p[0]);
}

/* The parent's reader gets bytes in arbitrary pieces. */
static void reader_reassembles_pieces(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	struct ocrpipe_reader rd;
	ocrpipe_reader_init(&rd);
	char *got;
	size_t n;
	assert_int_equal(ocrpipe_reader_fill(&rd, p[0]), -1); /* EAGAIN */
	assert_int_equal(write(p[1], "\0\0", 2), 2);
	assert_true(ocrpipe_reader_fill(&rd, p[0]) > 0);
	assert_int_equal(ocrpipe_reader_next(&rd, &got, &n), 0);
	assert_int_equal(write(p[1], "\0\x05start\0\0\0\x01x", 12), 12);
	assert_true(ocrpipe_reader_fill(&rd, p[0]) > 0);
	assert_int_equal(ocrpipe_reader_next(&rd, &got, &n), 1);
	assert_string_equal(got, "start");
	free(got);
	assert_int_equal(ocrpipe_reader_next(&rd, &got, &n), 1);
	assert_string_equal(got, "x");
	free(got);
	assert_int_equal(ocrpipe_reader_next(&rd, &got, &n), 0);
	close(p[1]);
	assert_int_equal(ocrpipe_reader_fill(&rd, p[0]), 0); /* EOF */
	ocrpipe_reader_release(&rd);
	close(p[0]);
}

static void oversized_frame_breaks_the_stream(void **state)
{
	struct ocrpipe_reader rd;
	ocrpipe_reader_init(&rd);
	rd.buf = malloc(8);
	rd.cap = 8;
	memcpy(rd.buf, "\x7f\xff\xff\xff", 4);
	rd.len = 4;
	char *got;
	size_t n;
	assert_int_equal(ocrpipe_reader_next(&rd, &got, &n), -1);
	ocrpipe_reader_release(&rd);
}

static void page_fixture(struct ocr_page *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = KIND_KH;
	p->format = 'T';
	p->book_no = strdup("03/2009");
	p->printed_page = strdup("12");
	p->office = NULL;
	p->ms = 4321;
	p->nrecs = 2;
	p->recs = calloc(2, sizeof(*p->recs));
	for (int i = 0; i < 2; i++) {
		record_init(&p->recs[i], KIND_KH);
		p->recs[i].index = i;
	}
	struct field *f = record_set_raw(&p->recs[0], "chongHoTen", "NGUYỄN VĂN \"Tú\"\n\t");
	f->conf = 87.25f;
	f->box = (struct box){10, 20, 300, 40};
	f->model = strdup("Vietnamese");
	field_add_alt(f, "NGUYÊN VĂN Tú");
	field_add_alt(f, "");
	record_set_value(&p->recs[0], "chongHoTen", "Nguyễn Văn Tú");
	f = record_set_raw(&p->recs[1], "so", "");
	f->corrected = 1;
}

/* Every field the store keeps survives the trip from worker to parent. */
static void page_json_round_trip_keeps_every_field(void **state)
{
	struct ocr_page in;
	page_fixture(&in);
	char *json = ocrpipe_page_to_json(&in);
	assert_non_null(json);
	assert_null(strchr(json, '\n'));
	struct ocrpipe_page out;
	struct err e = ERR_INIT;
	assert_int_equal(ocrpipe_page_from_json(json, &out, &e), 0);
	assert_int_equal(out.blank, 0);
	assert_int_equal(out.kind, KIND_KH);
	assert_int_equal(out.format, 'T');
	assert_string_equal(out.book_no, "03/2009");
	assert_string_equal(out.printed_page, "12");
	assert_null(out.office);
	assert_int_equal(out.ms, 4321);
	assert_int_equal(out.nrecs, 2);
	const struct field *f = record_field(&out.recs[0], "chongHoTen");
	assert_non_null(f);
	assert_string_equal(f->raw, "NGUYỄN VĂN \"Tú\"\n\t");
	assert_string_equal(f->value, "Nguyễn Văn Tú");
	assert_true(f->conf > 87.24f && f->conf < 87.26f);
	assert_int_equal(f->box.x, 10);
	assert_int_equal(f->box.y, 20);
	assert_int_equal(f->box.w, 300);
	assert_int_equal(f->box.h, 40);
	assert_string_equal(f->model, "Vietnamese");
	assert_int_equal(f->nalts, 2);
	assert_string_equal(f->alts[0], "NGUYÊN VĂN Tú");
	assert_string_equal(f->alts[1], "");
	assert_int_equal(out.recs[1].index, 1);
	assert_int_equal(out.recs[1].kind, KIND_KH);
	f = record_field(&out.recs[1], "so");
	assert_non_null(f);
	assert_null(f->value);
	assert_null(f->model);
	assert_int_equal(f->corrected, 1);
	ocrpipe_page_release(&out);
	free(json);
	ocr_page_release(&in);
}

static void blank_page_and_bad_json(void **state)
{
	struct ocr_page in;
	memset(&in, 0, sizeof(in));
	in.blank = 1;
	in.kind = KIND_NONE;
	char *json = ocrpipe_page_to_json(&in);
	struct ocrpipe_page out;
	struct err e = ERR_INIT;
	assert_int_equal(ocrpipe_page_from_json(json, &out, &e), 0);
	assert_int_equal(out.blank, 1);
	assert_int_equal(out.kind, KIND_NONE);
	assert_int_equal(out.format, 0);
	assert_int_equal(out.nrecs, 0);
	ocrpipe_page_release(&out);
	free(json);
	assert_int_equal(ocrpipe_page_from_json("{\"recs\": [{\"fields\": [{}]}]}", &out, &e), -1);
	assert_non_null(strstr(e.msg, "field"));
	err_clear(&e);
	assert_int_equal(ocrpipe_page_from_json("[1,", &out, &e), -1);
	assert_non_null(strstr(e.msg, "JSON"));
}

static void warn_collect(void *ctx, const char *msg)
{
	struct strbuf *sb = ctx;
	sb_addf(sb, "%s;", msg);
}

static void drop_suffix(const char *db, const char *suffix)
{
	char p[96];
	snprintf(p, sizeof(p), "%s%s", db, suffix);
	unlink(p);
}

/* A stage names what failed through the command's callback, never on stderr. */
static void stage_warnings_go_to_the_callback(void **state)
{
	char db[64], tif[64];
	snprintf(db, sizeof(db), "/tmp/hotich-warn-%d.db", (int)getpid());
	snprintf(tif, sizeof(tif), "/tmp/hotich-warn-%d.tif", (int)getpid());
	FILE *f = fopen(tif, "wb");
	assert_non_null(f);
	fputs("II*\0not a tiff", f);
	fclose(f);
	struct err e = ERR_INIT;
	struct store *s = store_open(db, &e);
	assert_non_null(s);
	struct strbuf got = STRBUF_INIT;
	struct stage_counts c = {.warn = warn_collect, .warn_ctx = &got};
	char *inputs[] = {"/nonexistent/nope.tif", tif};
	assert_int_equal(stage_ingest(s, inputs, 2, NULL, 0, &c, &e), 0);
	assert_int_equal(c.failed, 2);
	assert_non_null(strstr(sb_str(&got), "cannot find '/nonexistent/nope.tif'"));
	assert_non_null(strstr(sb_str(&got), "cannot read '"));
	/* Without a callback the failures are still counted. */
	struct stage_counts quiet = {0};
	assert_int_equal(stage_ingest(s, inputs, 1, NULL, 0, &quiet, &e), 0);
	assert_int_equal(quiet.failed, 1);
	sb_release(&got);
	store_close(s);
	unlink(tif);
	unlink(db);
	drop_suffix(db, "-wal");
	drop_suffix(db, "-shm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_survive_a_pipe_in_order),
		cmocka_unit_test(torn_frame_is_an_error_not_eof),
		cmocka_unit_test(reader_reassembles_pieces),
		cmocka_unit_test(oversized_frame_breaks_the_stream),
		cmocka_unit_test(page_json_round_trip_keeps_every_field),
		cmocka_unit_test(blank_page_and_bad_json),
		cmocka_unit_test(stage_warnings_go_to_the_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
