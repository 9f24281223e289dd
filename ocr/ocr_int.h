/*
 * ocr internals: shared by the files of ocr/ only (never included outside).
 *
 * The page flows preprocess.c (raster -> clean gray + binary at ~300 dpi,
 * with the transform back to the original page) -> header.c (running
 * header) -> layout_form.c (Format F) or layout_table.c (Format T), which
 * find where values are and re-read each one through engine.c.
 * labels.c holds the printed label and column-title tables per kind.
 */
#ifndef HOTICH_OCR_INT_H
#define HOTICH_OCR_INT_H

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "ocr/ocr.h"

/* ---- engine.c: Tesseract handles ------------------------------------- */

enum ocr_model_id { MODEL_VIE = 0, MODEL_VIET = 1, MODEL_COUNT };

struct ocr_engine {
	TessBaseAPI *api[MODEL_COUNT];
	char *tessdata;
	int debug;
	char *debug_dir;
};

const char *ocr_model_name(enum ocr_model_id m);

/*
 * interpose.c: Tesseract's one-thread OpenMP teams run as plain calls, and
 * its PNG round trip of every line image skipped, while the engine reads
 * (see the file).  begin/end bracket a recognition on this thread; set(0)
 * turns both off for the process (tests); stats() counts the regions run
 * as plain calls and the line images kept unpacked so far.
 */
void ocr_interpose_begin(void);
void ocr_interpose_end(void);
void ocr_interpose_set(int on);
int ocr_interpose_on(void);
void ocr_interpose_stats(unsigned long *regions, unsigned long *images);

/* One word of a page pass, in the coordinates of the image read. */
struct ocr_word {
	char *text;	/* NFC; owned */
	char *fold;	/* text_fold(text); owned */
	struct box box;
	float conf;
};

struct ocr_line {
	struct ocr_word *words;
	size_t nwords, alloc;
	struct box box;
	float conf;
};

struct ocr_lines {
	struct ocr_line *v;
	size_t n, alloc;
};
void ocr_lines_release(struct ocr_lines *ls);

/*
 * Read a whole image (or the rectangle r of it when r->w > 0) as a block of
 * lines with word boxes.  psm: a tesseract page segmentation mode.
 */
int ocr_read_lines(struct ocr_engine *eng, enum ocr_model_id m, PIX *pix, const struct box *r,
		   int psm, struct ocr_lines *out, struct err *e);

/* A value read from a small clip. text is NFC, squeezed; caller frees. */
struct ocr_value {
	char *text;
	float conf;
};
/*
 * Read the rectangle r of pix as one line (psm 7) or a small block (psm 6),
 * from its own image: r expanded by pad pixels, copied out and framed with
 * a white border, so Tesseract sees the field alone.
 */
int ocr_read_clip(struct ocr_engine *eng, enum ocr_model_id m, PIX *pix, struct box r,
		  int pad, int psm, struct ocr_value *out, struct err *e);

/*
 * Read the rectangle r of pix (framed as ocr_read_clip does) as one line,
 * word by word with confidences, into out (its words' boxes are in the
 * clip's coordinates).  Release out with ocr_line_release.
 */
int ocr_read_clip_words(struct ocr_engine *eng, enum ocr_model_id m, PIX *pix, struct box r,
			int pad, struct ocr_line *out, struct err *e);
void ocr_line_release(struct ocr_line *l);

/* ---- preprocess.c ---------------------------------------------------- */

/* Maps work-image coordinates back to the original page. */
struct ocr_xform {
	double scale;		/* work = original * scale (before rotation) */
	double angle;		/* deskew, radians, applied about the centre */
	int flipped;		/* rotated 180 degrees after deskew */
	int w, h;		/* work image size */
	int ow, oh;		/* original page size */
};

struct ocr_prep {
	PIX *gray;		/* 8 bpp, background-normalised, deskewed, upright */
	PIX *bin;		/* 1 bpp of the same */
	int dpi;		/* of gray/bin */
	int blank;
	struct ocr_xform xf;
	float ink;		/* share of black pixels in bin */
	float stroke;		/* mean stroke width in pixels, before thickening */
};

int ocr_prep_make(const struct raster *page, struct ocr_prep *out, struct err *e);
/* The page as 8 bpp gray, red seal ink turned to paper; no other change. */
PIX *ocr_raster_gray(const struct raster *rs);
void ocr_prep_flip(struct ocr_prep *p);	/* turn 180 degrees (upside-down scan) */
void ocr_prep_release(struct ocr_prep *p);
/* A box on the work image to the original page's coordinates. */
struct box ocr_xform_box(const struct ocr_xform *xf, struct box b);
/* Page-level guess whether the work image is upside down (Leptonica's
 * ascender/descender statistics); >0 upright, <0 upside down, 0 unsure. */
int ocr_prep_updown(const struct ocr_prep *p);

/* ---- labels.c -------------------------------------------------------- */

/* What a printed label means; the column follows from kind and section. */
enum label_key {
	LB_NONE = 0,
	LB_QUYEN, LB_TRANG, LB_NOIDK,			/* running header */
	LB_SO, LB_NGAYDK, LB_LOAIDK,
	LB_HOTEN, LB_NGAYSINH, LB_NAMSINH, LB_BANGCHU, LB_GIOITINH,
	LB_DANTOC, LB_QUOCTICH, LB_NOISINH, LB_QUEQUAN, LB_DINHDANH,
	LB_NOICUTRU, LB_NOICUTRU_CUOI, LB_GIAYTO,
	LB_ME, LB_CHA, LB_NYC, LB_QUANHE,
	LB_CHONG, LB_VO,				/* section heads */
	LB_NKT, LB_NGAYCHET, LB_NOICHET, LB_NGUYENNHAN, LB_GBT,
	LB_NGUOITH, LB_GHICHU,
	LB_COUNT
};

enum section { SEC_SUBJ = 0, SEC_ME, SEC_CHA, SEC_NYC, SEC_CHONG, SEC_VO };

/* What kind of text a value holds: picks the model and the comparison. */
enum value_type { VT_TEXT = 0, VT_NAME, VT_DATE, VT_NUMBER };

struct label_hit {
	enum label_key key;
	size_t first, last;	/* words [first, last] of the line are the label */
	int colon;		/* the label ended with a colon */
	int wraps;		/* the line ends inside a long label: it goes on,
				 * with its colon, at the start of the next line */
};

/*
 * Find the labels on a line of folded words, left to right, longest match
 * first, tolerating OCR damage.  hits holds at most max entries.
 */
size_t labels_find(const struct ocr_line *line, struct label_hit *hits, size_t max);
/*
 * A label too damaged for labels_find() at the start of l (the words
 * before the first colon, within six words): the one label those words are
 * clearly nearest, or whose last words they are, among the labels a date
 * can follow when a date follows.  Sets *last to the colon's word and
 * *colon as label_hit does; LB_NONE when no label clearly wins.
 */
enum label_key labels_guess(const struct ocr_line *l, size_t *last, int *colon);
/* The section a label opens, or -1 when it opens none. */
int label_section(enum label_key k);
/* The export column for a label in a section of a kind's block, or NULL. */
const char *label_column(enum book_kind kind, enum section sec, enum label_key k);
enum value_type column_value_type(const char *column);
/* Kind from a title line's folded text, KIND_NONE when it is no title. */
enum book_kind labels_title_kind(const char *fold);
/* Column for a Format T title cell's folded text, or NULL. */
const char *labels_table_column(enum book_kind kind, const char *fold);

/* Fold a label-ish string for matching: text_fold without punctuation,
 * single spaces.  Caller frees. */
char *labels_key(const char *s);

/* ---- header.c -------------------------------------------------------- */

struct ocr_header {
	enum book_kind kind;
	char *book_no, *printed_page, *office;
	float book_no_conf, printed_page_conf, office_conf;	/* least word confidence */
	int title_line;		/* index of the title line, -1 when none */
	int last_line;		/* last line that belongs to the header */
};
void ocr_header_parse(const struct ocr_lines *ls, size_t upto, struct ocr_header *h);
void ocr_header_release(struct ocr_header *h);

/* ---- layouts ---------------------------------------------------------- */

struct ocr_ctx {
	struct ocr_engine *eng;
	struct ocr_prep *prep;
	enum book_kind kind;
	struct ocr_page *out;
	struct err *e;
};

/* Format T: the ruled grid, when the page has one. */
struct ocr_grid {
	int *xs, *ys;
	int nx, ny;
};
int ocr_grid_find(const struct ocr_prep *p, struct ocr_grid *g);	/* 1 when found */
void ocr_grid_release(struct ocr_grid *g);

int ocr_form_read(struct ocr_ctx *c, const struct ocr_lines *ls, size_t first_line);
/* Format T rows into records; with c->kind KIND_NONE (no header read), the
 * kind comes from the column titles when they tell it. */
int ocr_table_read(struct ocr_ctx *c, const struct ocr_grid *g);

/* Add a field to rec from a value read on the work image. */
void ocr_field_put(struct ocr_ctx *c, struct record *rec, const char *column,
		   const struct ocr_value *v, struct box work_box, enum ocr_model_id m,
		   const char *alt);

#endif
