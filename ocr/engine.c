/*
 * engine: the Tesseract handles of one thread and the two ways we read
 * with them: a page pass giving lines and word boxes, and a clip read of
 * one value from its own framed image.
 *
 * Each engine holds one TessBaseAPI per model, initialised once (LSTM only)
 * and reused for every page; no character whitelist (it blanks fields with
 * the LSTM engine), values are validated afterwards instead.
 */
#include "ocr/ocr_int.h"

#include <stdlib.h>
#include <string.h>

#define TESSDATA_DEFAULT "/usr/share/tesseract-ocr/5/tessdata"
#define MAX_TEXT 65536		/* bound on what one read may return */

static const char *const model_names[MODEL_COUNT] = {"vie", "Vietnamese"};

const char *ocr_model_name(enum ocr_model_id m)
{
	return model_names[m];
}

static const char *tessdata_dir(const char *opt)
{
	if (opt)
		return opt;
	const char *env = getenv("TESSDATA_PREFIX");
	return env && *env ? env : TESSDATA_DEFAULT;
}

/* Every recognition goes through here, so that interpose.c sees it. */
static int recognize(TessBaseAPI *api)
{
	ocr_interpose_begin();
	int rc = TessBaseAPIRecognize(api, NULL);
	ocr_interpose_end();
	return rc;
}

/*
 * Tesseract variables set on every model, recorded with every record
 * (ocr_engine_settings).
 */
static const struct {
	const char *name, *value;
} engine_vars[] = {
	/* Tesseract's own chatter (resolution guesses...) must not reach stderr. */
	{"debug_file", "/dev/null"},
	/* Registers are dark text on light paper: skip the inverted-text pass. */
	{"tessedit_do_invert", "0"},
	/*
	 * Skip the dynamic-programming fixed-pitch test of every row (3% of a
	 * page): on 32 pages of every kind, Format T typewriter included, not
	 * one of 1,596 fields read differently without it, and 4% less time.
	 */
	{"textord_disable_pitch_test", "1"},
};

static int model_init(TessBaseAPI *api, const char *dir, const char *lang, struct err *e)
{
	if (TessBaseAPIInit2(api, dir, lang, OEM_LSTM_ONLY) != 0)
		return err_set(e, "cannot load OCR model '%s' from '%s'", lang, dir);
	for (size_t i = 0; i < sizeof(engine_vars) / sizeof(engine_vars[0]); i++)
		TessBaseAPISetVariable(api, engine_vars[i].name, engine_vars[i].value);
	return 0;
}

const char *ocr_engine_settings(void)
{
	static char buf[256];
	static int done;
	/* Written once from constants: a race writes the same bytes. */
	if (!done) {
		struct strbuf sb = STRBUF_INIT;
		sb_adds(&sb, "oem lstm");
		for (size_t i = 1; i < sizeof(engine_vars) / sizeof(engine_vars[0]); i++)
			sb_addf(&sb, ", %s=%s", engine_vars[i].name, engine_vars[i].value);
		sb_adds(&sb, ocr_interpose_on() ? ", interpose on" : ", interpose off");
		snprintf(buf, sizeof(buf), "%s", sb.buf);
		sb_release(&sb);
		done = 1;
	}
	return buf;
}

struct ocr_engine *ocr_engine_new(const struct ocr_options *opt, struct err *e)
{
	struct ocr_engine *eng = xcalloc(1, sizeof(*eng));
	setMsgSeverity(L_SEVERITY_NONE);
	eng->tessdata = xstrdup(tessdata_dir(opt ? opt->tessdata : NULL));
	if (opt && opt->debug && opt->debug_dir) {
		eng->debug = 1;
		eng->debug_dir = xstrdup(opt->debug_dir);
	}
	for (int m = 0; m < MODEL_COUNT; m++) {
		eng->api[m] = TessBaseAPICreate();
		if (model_init(eng->api[m], eng->tessdata, model_names[m], e) < 0) {
			ocr_engine_free(eng);
			return NULL;
		}
	}
	return eng;
}

void ocr_engine_free(struct ocr_engine *eng)
{
	if (!eng)
		return;
	for (int m = 0; m < MODEL_COUNT; m++) {
		if (eng->api[m]) {
			TessBaseAPIEnd(eng->api[m]);
			TessBaseAPIDelete(eng->api[m]);
		}
	}
	free(eng->tessdata);
	free(eng->debug_dir);
	free(eng);
}

const char *ocr_engine_version(void)
{
	static char buf[128];
	static int done;
	/* Written once; both sources are constant, so a race writes the same bytes. */
	if (!done) {
		char *lept = getLeptonicaVersion();
		snprintf(buf, sizeof(buf), "tesseract %s, %s", TessVersion(), lept ? lept : "leptonica");
		lept_free(lept);
		done = 1;
	}
	return buf;
}

char *ocr_models_json(void)
{
	struct strbuf sb = STRBUF_INIT;
	const char *dir = tessdata_dir(NULL);
	sb_addc(&sb, '{');
	for (int m = 0; m < MODEL_COUNT; m++) {
		char *path = xasprintf("%s/%s.traineddata", dir, model_names[m]);
		char hex[SHA256_HEX_LEN + 1] = "";
		struct err e = ERR_INIT;
		if (sha256_file(path, hex, &e) < 0)
			hex[0] = '\0';
		sb_addf(&sb, "%s\"%s\": \"%s\"", m ? ", " : "", model_names[m], hex);
		free(path);
	}
	sb_addc(&sb, '}');
	return sb_detach(&sb);
}

void ocr_lines_release(struct ocr_lines *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		struct ocr_line *l = &ls->v[i];
		for (size_t j = 0; j < l->nwords; j++) {
			free(l->words[j].text);
			free(l->words[j].fold);
		}
		free(l->words);
	}
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

static struct box iter_box(const TessPageIterator *pit, TessPageIteratorLevel level)
{
	int l, t, r, b;
	struct box bx = {0, 0, 0, 0};
	if (TessPageIteratorBoundingBox(pit, level, &l, &t, &r, &b)) {
		bx.x = l;
		bx.y = t;
		bx.w = r - l;
		bx.h = b - t;
	}
	return bx;
}

static void line_add_word(struct ocr_line *line, TessResultIterator *it)
{
	char *raw = TessResultIteratorGetUTF8Text(it, RIL_WORD);
	if (!raw)
		return;
	ALLOC_GROW(line->words, line->nwords + 1, line->alloc);
	struct ocr_word *w = &line->words[line->nwords++];
	w->text = text_nfc(raw);
	w->fold = text_fold(w->text);
	w->conf = TessResultIteratorConfidence(it, RIL_WORD);
	w->box = iter_box(TessResultIteratorGetPageIteratorConst(it), RIL_WORD);
	TessDeleteText(raw);
}

static void lines_collect(TessResultIterator *it, struct ocr_lines *out)
{
	const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst(it);
	struct ocr_line *cur = NULL;
	do {
		if (!cur || TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE)) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			cur = &out->v[out->n++];
			memset(cur, 0, sizeof(*cur));
			cur->box = iter_box(pit, RIL_TEXTLINE);
			cur->conf = TessResultIteratorConfidence(it, RIL_TEXTLINE);
		}
		line_add_word(cur, it);
	} while (TessResultIteratorNext(it, RIL_WORD));
}

static void lines_shift(struct ocr_lines *ls, size_t from, int dx, int dy)
{
	for (size_t i = from; i < ls->n; i++) {
		struct ocr_line *l = &ls->v[i];
		l->box.x += dx;
		l->box.y += dy;
		for (size_t j = 0; j < l->nwords; j++) {
			l->words[j].box.x += dx;
			l->words[j].box.y += dy;
		}
	}
}

int ocr_read_lines(struct ocr_engine *eng, enum ocr_model_id m, PIX *pix, const struct box *r,
		   int psm, struct ocr_lines *out, struct err *e)
{
	TessBaseAPI *api = eng->api[m];
	PIX *src = pixClone(pix);
	int dx = 0, dy = 0;
	size_t from = out->n;
	/* A rectangle is read from its own image: TessBaseAPISetRectangle
	 * thresholds with the whole page's statistics and reads garbage. */
	if (r && r->w > 0) {
		BOX *b = boxCreate(r->x, r->y, r->w, r->h);
		pixDestroy(&src);
		src = pixClipRectangle(pix, b, NULL);
		boxDestroy(&b);
		if (!src)
			return 0;
		dx = r->x;
		dy = r->y;
	}
	TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
	TessBaseAPISetImage2(api, src);
	TessBaseAPISetSourceResolution(api, 300);
	int rc = 0;
	if (recognize(api) != 0) {
		rc = err_set(e, "tesseract could not read the page");
		goto out;
	}
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	if (it) {
		lines_collect(it, out);
		TessResultIteratorDelete(it);
	}
	/* Drop lines that held no word (Tesseract reports empty ones). */
	size_t k = from;
	for (size_t i = from; i < out->n; i++) {
		if (out->v[i].nwords)
			out->v[k++] = out->v[i];
		else
			free(out->v[i].words);
	}
	out->n = k;
	lines_shift(out, from, dx, dy);
out:
	TessBaseAPIClear(api);
	pixDestroy(&src);
	return rc;
}

static PIX *clip_framed(PIX *pix, struct box r, int pad)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	int x0 = r.x - pad, y0 = r.y - pad, x1 = r.x + r.w + pad, y1 = r.y + r.h + pad;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > w)
		x1 = w;
	if (y1 > h)
		y1 = h;
	if (x1 - x0 < 2 || y1 - y0 < 2)
		return NULL;
	BOX *b = boxCreate(x0, y0, x1 - x0, y1 - y0);
	PIX *c = pixClipRectangle(pix, b, NULL);
	boxDestroy(&b);
	if (!c)
		return NULL;
	/* A white frame: Tesseract reads a clipped field better with margins. */
	PIX *f = pixAddBorder(c, 12, pixGetDepth(c) == 1 ? 0 : 255);
	pixDestroy(&c);
	return f;
}

static void line_words(TessBaseAPI *api, struct ocr_line *out)
{
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	if (!it)
		return;
	do
		line_add_word(out, it);
	while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
}

int ocr_read_clip_words(struct ocr_engine *eng, enum ocr_model_id m, PIX *pix, struct box r,
			int pad, struct ocr_line *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	PIX *c = clip_framed(pix, r, pad);
	if (!c)
		return 0;
	TessBaseAPI *api = eng->api[m];
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	TessBaseAPISetImage2(api, c);
	TessBaseAPISetSourceResolution(api, 300);
	int rc = 0;
	if (recognize(api) != 0)
		rc = err_set(e, "tesseract could not read a field");
	else
		line_words(api, out);
	TessBaseAPIClear(api);
	pixDestroy(&c);
	return rc;
}

void ocr_line_release(struct ocr_line *l)
{
	for (size_t j = 0; j < l->nwords; j++) {
		free(l->words[j].text);
		free(l->words[j].fold);
	}
	free(l->words);
	memset(l, 0, sizeof(*l));
}

int ocr_read_clip(struct ocr_engine *eng, enum ocr_model_id m, PIX *pix, struct box r,
		  int pad, int psm, struct ocr_value *out, struct err *e)
{
	out->text = xstrdup("");
	out->conf = 0;
	PIX *c = clip_framed(pix, r, pad);
	if (!c)
		return 0;
	TessBaseAPI *api = eng->api[m];
	TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
	TessBaseAPISetImage2(api, c);
	TessBaseAPISetSourceResolution(api, 300);
	int rc = 0;
	char *raw = recognize(api) == 0 ? TessBaseAPIGetUTF8Text(api) : NULL;
	if (!raw) {
		rc = err_set(e, "tesseract could not read a field");
		goto out;
	}
	if (strlen(raw) > MAX_TEXT)
		raw[MAX_TEXT] = '\0';
	free(out->text);
	out->text = text_squeeze(raw);
	out->conf = (float)TessBaseAPIMeanTextConf(api);
	TessDeleteText(raw);
out:
	TessBaseAPIClear(api);
	pixDestroy(&c);
	return rc;
}

int ocr_read_regions(struct ocr_engine *eng, const struct raster *page, const struct box *boxes,
		     size_t n, char **texts, double *seconds, struct err *e)
{
	for (size_t i = 0; texts && i < n; i++)
		texts[i] = NULL;
	*seconds = 0;
	PIX *gray = ocr_raster_gray(page);
	if (!gray)
		return err_set(e, "cannot convert the page to gray");
	double dpi = page->yres > 0 ? page->yres : 300;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct ocr_value v = {NULL, 0};
		/* A value wrapped over lines is read as a block (about 2 lines). */
		int psm = boxes[i].h > dpi * 0.3 ? PSM_SINGLE_BLOCK : PSM_SINGLE_LINE;
		double t0 = time_now();
		rc = ocr_read_clip(eng, MODEL_VIE, gray, boxes[i], 2, psm, &v, e);
		*seconds += time_now() - t0;
		if (texts)
			texts[i] = v.text;
		else
			free(v.text);
	}
	pixDestroy(&gray);
	return rc;
}
