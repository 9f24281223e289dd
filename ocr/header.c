/*
 * header: the running header printed on every page, both formats.
 *
 * The title gives the book kind; "Quyển số: NN/YYYY", "Trang số: N" (or
 * "Trang: N") and "Nơi đăng ký: ..." give quyenSo, trangSo and noiDangKy,
 * which the page sets on each of its records.  Found by label, not by
 * position: the header is whatever precedes the first record block.
 */
#include "ocr/ocr_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HITS 16
#define TITLE_SEARCH 4	/* the title is among the first lines read */

static char *words_text(const struct ocr_line *l, size_t first, size_t end)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = first; i < end && i < l->nwords; i++) {
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_adds(&sb, l->words[i].text);
	}
	char *s = text_squeeze(sb_str(&sb));
	sb_release(&sb);
	return s;
}

/*
 * The value after hit j: its words up to the next label on the line; *conf
 * gets the least confidence of the words it came from, so that a misread
 * book number is checked like any other value.
 */
static char *hit_value(const struct ocr_line *l, const struct label_hit *h, size_t nh, size_t j,
		       float *conf)
{
	size_t end = j + 1 < nh ? h[j + 1].first : l->nwords;
	size_t first = h[j].last + 1;
	*conf = 100;
	for (size_t i = h[j].colon == 2 ? h[j].last : first; i < end; i++)
		if (l->words[i].conf < *conf)
			*conf = l->words[i].conf;
	if (h[j].colon == 2) {
		/* "số:05/2019": the value is glued to the label's colon. */
		const char *w = l->words[h[j].last].text;
		const char *p = strpbrk(w, ":;");
		char *rest = words_text(l, first, end);
		char *v = xasprintf("%s%s%s", p ? p + 1 : "", *rest ? " " : "", rest);
		free(rest);
		char *s = text_squeeze(v);
		free(v);
		return s;
	}
	return words_text(l, first, end);
}

/*
 * A book or page number is one number ("01/2016", "3"): what follows it on
 * the line is something else the line holds ("Trang số" read too damaged to
 * be a label, grain).  Kept whole when it starts with no digit at all, so
 * that the check names the bad reading.  v is taken.
 */
static char *number_only(char *v)
{
	size_t n = strspn(v, "0123456789/.- lIOo|");
	while (n && strchr("/.- ", v[n - 1]))
		n--;
	if (!n || !strpbrk(v, "0123456789") || strcspn(v, "0123456789") >= n)
		return v;
	char *out = xstrndup(v, n);
	free(v);
	return out;
}

static void set_once(char **dst, float *dconf, char *v, float conf)
{
	if (!*dst && v && *v) {
		*dst = v;
		*dconf = conf;
		return;
	}
	free(v);
}

static int line_is_title(const struct ocr_line *l)
{
	char *t = words_text(l, 0, l->nwords);
	enum book_kind k = labels_title_kind(t);
	free(t);
	return k;
}

/* "02/1996": one to three digits, a slash, four digits. */
static int book_no_shape(const char *w)
{
	size_t a = strspn(w, "0123456789");
	return a >= 1 && a <= 3 && w[a] == '/' && strspn(w + a + 1, "0123456789") == 4 &&
	       w[a + 5] == '\0';
}

/*
 * A label too damaged to match ('Quyêä sôí' for 'Quyển số') still leaves
 * its value: the header's one word shaped like a book number is it.
 */
static void book_no_by_shape(const struct ocr_lines *ls, struct ocr_header *h)
{
	for (int i = 0; !h->book_no && i <= h->last_line && i < (int)ls->n; i++) {
		const struct ocr_line *l = &ls->v[i];
		for (size_t j = 0; j < l->nwords; j++) {
			if (book_no_shape(l->words[j].text)) {
				h->book_no = xstrdup(l->words[j].text);
				h->book_no_conf = l->words[j].conf;
				break;
			}
		}
	}
}

void ocr_header_parse(const struct ocr_lines *ls, size_t upto, struct ocr_header *h)
{
	memset(h, 0, sizeof(*h));
	h->kind = KIND_NONE;
	h->title_line = -1;
	h->last_line = -1;
	for (size_t i = 0; i < upto && i < ls->n; i++) {
		const struct ocr_line *l = &ls->v[i];
		if (h->title_line < 0 && i < TITLE_SEARCH) {
			int k = line_is_title(l);
			if (k != KIND_NONE) {
				h->kind = (enum book_kind)k;
				h->title_line = (int)i;
				h->last_line = (int)i;
				continue;
			}
		}
		struct label_hit hits[MAX_HITS];
		size_t nh = labels_find(l, hits, MAX_HITS);
		for (size_t j = 0; j < nh; j++) {
			enum label_key k = hits[j].key;
			if (k != LB_QUYEN && k != LB_TRANG && (k != LB_NOIDK || j != 0))
				continue;
			float c = 0;
			char *v = hit_value(l, hits, nh, j, &c);
			if (k == LB_QUYEN)
				set_once(&h->book_no, &h->book_no_conf, number_only(v), c);
			else if (k == LB_TRANG)
				set_once(&h->printed_page, &h->printed_page_conf, number_only(v), c);
			else
				set_once(&h->office, &h->office_conf, v, c);
			h->last_line = (int)i;
		}
	}
	if (!h->book_no)
		book_no_by_shape(ls, h);
}

void ocr_header_release(struct ocr_header *h)
{
	free(h->book_no);
	free(h->printed_page);
	free(h->office);
	memset(h, 0, sizeof(*h));
}
