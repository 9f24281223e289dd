/*
 * review: the supervisors' queue, their decisions, and the review tool.
 *
 * Sits after dedup and before export.  What needs a human is an "item":
 *
 *   id          group       what it is
 *   r<rec id>   field       a record in status 'review' with field findings
 *   r<rec id>   duplicate   ... with an undecided duplicate finding
 *   f<find id>  missing     a book-level finding (record_id NULL), e.g. a
 *                           missing entry number
 *   p<page id>  page        a page that failed to read (status 'failed')
 *   bk<book id> page        a book whose file could not be read at all
 *
 * Ids are stable for as long as the thing exists: a record keeps its id for
 * ever; a book finding keeps its id until validation replaces the book's
 * findings (a new run of validate gives new ids to the same gaps).
 *
 * Every decision runs in one transaction with its audit row (table reviews:
 * reviewer, time, action, field, old, new), so a decision is either wholly
 * recorded or not at all.  Items are claimed while open (table claims,
 * REVIEW_CLAIM_TTL seconds, refreshed while open) so two supervisors never
 * work the same item; a decision on an item another reviewer holds is
 * refused.
 *
 * The queue, the actions, the key table and the text of every screen are
 * plain C with no curses (unit-tested); review/tui.c alone draws them.
 *
 * Thread-safety: none; one struct review_app per process.
 */
#ifndef HOTICH_REVIEW_H
#define HOTICH_REVIEW_H

#include <stdio.h>

#include "common/common.h"
#include "common/record.h"
#include "common/raster.h"
#include "store/store.h"

#define REVIEW_CLAIM_TTL 900	/* seconds a claim lasts without refresh */
#define REVIEW_CLAIM_REFRESH 60	/* refresh an open item's claim this often */

/* ---- the queue -------------------------------------------------------- */

enum review_group { GROUP_FIELD, GROUP_DUPLICATE, GROUP_MISSING, GROUP_PAGE, GROUP_COUNT };
const char *review_group_name(enum review_group g);	/* "field", "duplicate", ... */
const char *review_group_title(enum review_group g);	/* "field findings", ... */
int review_group_parse(const char *s);			/* -1 when unknown */

struct review_reason {
	long long finding_id;	/* 0 for a failed page or book */
	char *field;		/* export column, "" for the record or book */
	char *code, *message;
	enum severity severity;
	char *match_source;	/* "existing" | "batch" for duplicates, else NULL */
	char *match_id;
	double score;
};

struct review_item {
	char id[32];
	enum review_group group;
	enum book_kind kind;
	long long record_id, book_id, page_id, finding_id;
	char *book;		/* book file (or keyed CSV) name; never NULL */
	char *entry;		/* entry number as printed, "" when none */
	int page;		/* 1-based page, 0 when none */
	char *claimed_by;	/* another reviewer holding the item now, or NULL */
	struct review_reason *reasons;
	size_t nreasons, reasons_alloc;
};

struct review_filter {
	const char *book;	/* substring of the book name (folded), NULL: all */
	int group;		/* enum review_group, -1: all */
};

struct review_queue {
	struct review_item *items;
	size_t n, alloc;
	size_t count[GROUP_COUNT];	/* per group, after the book filter */
};

/*
 * Load what needs a human, in group then book then entry order.  reviewer
 * and now (seconds since the epoch) decide which items show as claimed by
 * someone else.  q is caller-released.
 */
int review_queue_load(struct store *s, const struct review_filter *f, const char *reviewer,
		      long long now, struct review_queue *q, struct err *e);
void review_queue_release(struct review_queue *q);
long review_queue_find(const struct review_queue *q, const char *id); /* -1 when absent */

/* One item as the --list NDJSON line (no newline); caller frees. */
char *review_item_json(struct store *s, const struct review_item *it, struct err *e);
/* Every item of q, one line each. */
int review_list_write(struct store *s, const struct review_queue *q, FILE *out,
		      struct err *e);

/* ---- decisions -------------------------------------------------------- */

/*
 * Re-run one field's checks on r after an edit (wired in cli/ to validate's
 * validate_field): replaces r's findings on that column.  May be NULL, in
 * which case an edit simply drops the column's validation findings.
 */
typedef int (*review_revalidate_fn)(void *vc, struct record *r, const char *column,
				    struct err *e);

/* Loads a page image (wired in cli/ to ingest_page_load). */
typedef int (*review_page_load_fn)(const char *path, int page_no, struct raster *out,
				   struct err *e);

/* Re-run a book's entry-number check after an entry number was edited
 * (wired in cli/ to stage_validate_book): replaces the book's findings, so
 * a corrected number takes its "missing" item out of the queue. */
typedef int (*review_book_check_fn)(struct store *s, long long book_id, struct err *e);

struct review_ctx {
	struct store *s;		/* borrowed */
	const char *reviewer;		/* borrowed; never empty */
	review_revalidate_fn revalidate;
	void *vc;
	long long now;			/* seconds since the epoch; 0: the clock */
	review_book_check_fn book_check;	/* NULL: book findings stay as they are */
};
long long review_now(const struct review_ctx *c);

/*
 * Each decision: 0 on success; -1 with e set when it cannot be done (no such
 * item, item not in the queue, held by another reviewer, bad column).
 */

/* Record: status 'approved', its findings resolved.  Unresolved errors are
 * allowed (the supervisor overrides) and logged as "approve-override".  A
 * record with an undecided duplicate is refused: decide it first.
 * Book finding or failed page: acknowledged, leaves the queue. */
int review_approve(struct review_ctx *c, const char *item, struct err *e);
/* Record: status 'rejected'.  Book finding or failed page: as approve, logged
 * as "reject" (the book is to be scanned again). */
int review_reject(struct review_ctx *c, const char *item, struct err *e);
/* Set a record's column to value (NFC), re-run that field's checks. */
int review_set(struct review_ctx *c, const char *item, const char *column,
	       const char *value, struct err *e);
/*
 * Decide a duplicate: same person or not.  source/other NULL: every
 * undecided match of the record.  "different" resolves the matching
 * duplicate findings; "same" rejects the record as a duplicate.
 */
int review_decide(struct review_ctx *c, const char *item, const char *source,
		  const char *other, int same, struct err *e);
/* Confirm a field's reading as right: resolves that column's findings. */
int review_confirm(struct review_ctx *c, const char *item, const char *column,
		   struct err *e);

/* Claims.  review_claim: 0 taken or refreshed, 1 held by another (*holder
 * set, caller frees), -1 error. */
int review_claim(struct review_ctx *c, const char *item, char **holder, struct err *e);
void review_claim_release(struct review_ctx *c, const char *item);

/*
 * Group verification: the records in the queue (status 'review') whose
 * column reads exactly value, in book and entry order.  *out: caller frees
 * with review_group_free().
 */
struct review_group_entry {
	long long record_id;
	char *book, *entry, *value;
	char *path;		/* the book's TIFF, or NULL for keyed records */
	int page;
	struct box box;
	int flagged;		/* has an unresolved finding on the column */
	char *claimed_by;	/* another reviewer holding it, or NULL */
	struct raster crop;	/* the field's pixels, filled by the tool */
};
int review_group_load(struct store *s, const char *column, const char *value,
		      const char *reviewer, long long now, struct review_group_entry **out,
		      size_t *n, struct err *e);
void review_group_free(struct review_group_entry *g, size_t n);

/* The other side of a duplicate: an existing record (by STT) or a batch
 * record ("r12" or "12"), its columns as values in *out (caller-released). */
int review_other_load(struct store *s, enum book_kind kind, const char *source, const char *id,
		      struct record *out, struct err *e);

/* ---- pictures of the page ------------------------------------------- */

/* PIXELS_SIXEL: the real pixels, where the terminal shows images (sixel,
 * or kitty's protocol). */
enum review_pixels { PIXELS_BRAILLE, PIXELS_BLOCKS, PIXELS_SIXEL };

/*
 * Draw the part b of a gray page (channels 1 or 3) in at most cols x rows
 * character cells: braille (2 x 4 dots a cell) or half blocks (1 x 2).
 * Keeps the aspect ratio, never enlarges past one dot a pixel; ink is
 * decided by Otsu's threshold over the area.  mark: a box drawn as an
 * outline (w == 0: none).  *lines: caller frees (each and the array).
 */
int review_image_text(const struct raster *img, struct box b, struct box mark, int cols,
		      int rows, enum review_pixels px, char ***lines, int *nlines);

/*
 * The part of b that holds ink, with margin pixels around it: names are
 * written in a corner of a wide box, and only the ink should be scaled to
 * the screen.  Rows or columns dark over 90% of their length (the form's
 * rulings) and single specks do not count.  b itself when it has no ink.
 */
struct box review_ink_box(const struct raster *img, struct box b, int margin);
/* b scaled (box mean) to w x h gray bytes in out. */
void review_image_gray(const struct raster *img, struct box b, int w, int h, uint8_t *out);

/* Sixel (review/sixel.c).  1 when a DA1 answer ("ESC[?62;4;6c") lists
 * sixel graphics (attribute 4). */
int review_da1_sixel(const char *answer);
/* The size b is drawn at within max_w x max_h pixels (never enlarged). */
void review_sixel_fit(struct box b, int max_w, int max_h, int *w, int *h);
/* b as a sixel image (DCS ... ST) of at most max_w x max_h pixels, 256
 * grays; *out caller frees. */
int review_sixel_encode(const struct raster *img, struct box b, int max_w, int max_h,
			char **out, size_t *len, struct err *e);

/* Kitty's graphics protocol (review/kitty.c).  1 when the environment
 * names a terminal that speaks it (kitty, WezTerm, Ghostty, Konsole). */
int review_kitty_terminal(void);
/* b as one kitty image (RGB, base64 in chunks), at most max_w x max_h
 * pixels, placed at the cursor; caller frees. */
char *review_kitty_encode(const struct raster *img, struct box b, int max_w, int max_h,
			  size_t *len);
/* Takes every image kitty shows off the screen. */
extern const char review_kitty_clear[];

/* ---- the tool ----------------------------------------------------------- */

/* Keys: Unicode code points, and these for the keys that are not text. */
enum {
	RK_UP = 0x110000, RK_DOWN, RK_LEFT, RK_RIGHT, RK_PGUP, RK_PGDN, RK_HOME, RK_END,
	RK_BACKSPACE, RK_DELETE, RK_RESIZE, RK_TICK, /* RK_TICK: no key, time passed */
	RK_ENTER = '\n', RK_ESC = 27, RK_TAB = '\t',
};

enum review_mode {
	MODE_RECORD, MODE_QUEUE, MODE_GROUP, MODE_PAGE, MODE_HELP, MODE_COUNT
};
#define MODE_BIT(m) (1u << (m))
#define MODES_ALL 0xffu

/* PROMPT_APPROVE: y/n before approving a record whose flagged fields were
 * not all looked at (the question is in msg). */
enum review_prompt { PROMPT_NONE, PROMPT_EDIT, PROMPT_SEARCH, PROMPT_BOOK, PROMPT_GROUP_FIX,
		     PROMPT_APPROVE };

struct review_app;

/* One row of the key table: the keys, the screen and the help are all this. */
struct review_key {
	int key;
	unsigned modes;		/* MODE_BIT()s where it works */
	void (*fn)(struct review_app *a);
	const char *name;	/* as the help shows it: "a", "Enter", "Up" */
	const char *help;
	const char *hint;	/* one word for the bottom bar, or NULL */
};
extern const struct review_key review_keys[];
extern const size_t review_nkeys;

/*
 * Terminal bytes to characters (review/keyin.c), so that one bad byte costs
 * that byte alone: curses' own decoder swallows the keys after a stray
 * 0xFF.  Feed each byte; the result is a code point when one is complete,
 * -1 while a sequence is open or when the byte was dropped.  A byte that
 * cannot start or go on with a UTF-8 sequence is dropped; a sequence cut
 * short is dropped and the byte that cut it is read afresh.
 */
struct review_keyin {
	char buf[4];
	int n, need;
};
void review_keyin_init(struct review_keyin *k);
int review_keyin_byte(struct review_keyin *k, unsigned char b);

/* A page image kept while its item is open (decoding a page is slow). */
struct review_page_cache {
	char *path;
	int page_no;
	struct raster img;
	char *error;		/* why there is no image, or NULL */
};

struct review_app {
	struct review_ctx ctx;
	review_page_load_fn page_load;	/* NULL: no images */
	struct review_filter filter;
	char *filter_book;		/* owned copy behind filter.book */
	struct review_queue q;
	long cur;			/* current item in q, -1 when the queue is empty */
	long qsel;			/* selection in the queue list */
	enum review_mode mode, back;	/* back: where Esc returns from help/page */
	/* the open item */
	char open_id[32];
	struct record rec;		/* loaded record (kind KIND_NONE when none) */
	struct record other;		/* the duplicate's other side, when shown */
	int rec_status;
	struct record_source src;
	char *book_path;		/* TIFF path of the record's book, or NULL */
	const char **cols;		/* columns shown, in template order (static) */
	size_t ncols;
	size_t fsel, ftop;		/* selected column, first shown */
	int show_all;			/* show empty columns too */
	int match_sel;			/* which duplicate match is shown */
	char *other_title;		/* "existing 123 (0.93)" or NULL */
	long long claim_at;		/* when our claim was last refreshed */
	/* Columns the supervisor has had selected on the record screen, for
	 * the item visited_id (kept across the reload after an edit). */
	char visited_id[32];
	char **visited;
	size_t nvisited, visited_alloc;
	struct review_page_cache page;
	enum review_pixels pixels;
	int sixel;			/* the terminal shows sixel images (b offers them);
					 * before review_tui_run: -1 ask the terminal, 0 no, 1 yes */
	int page_zoom, page_x, page_y;	/* page view: zoom 0 = whole page */
	/* group verification */
	char *group_col, *group_value;
	struct review_group_entry *group;
	size_t group_n, group_sel, group_top;
	/* prompt */
	enum review_prompt prompt;
	int32_t *pbuf;			/* code points being typed */
	size_t plen, pcap, pcur;
	char msg[256];			/* one line of news for the status bar */
	int msg_error;
	int quit;
	int scr_rows, scr_cols;		/* screen size, for paging */
	struct err fatal;		/* set when the database failed: the loop ends */
};

/* Opens the first item.  ctx and page_load are copied. */
int review_app_init(struct review_app *a, const struct review_ctx *ctx,
		    review_page_load_fn page_load, const struct review_filter *f,
		    struct err *e);
void review_app_release(struct review_app *a); /* releases the open claim */
/* Feed one key (or RK_TICK).  Sets a->quit; a->fatal on a database failure. */
void review_app_key(struct review_app *a, int key);
/* Open an item by id; -1 when it is not in the queue. */
int review_app_open(struct review_app *a, const char *id);
/* The open record's page image (decoded once), or NULL with *why set. */
const struct raster *review_app_image(struct review_app *a, const char **why);
/* The item open now, or NULL. */
const struct review_item *review_app_item(const struct review_app *a);
/* The open record's findings on column (field "" for the record), in order. */
size_t review_app_findings(const struct review_app *a, const char *column,
			   const struct finding **out, size_t max);

/* ---- screen text (no curses) ----------------------------------------- */

enum {
	SA_NORMAL = 0, SA_TITLE = 1, SA_SELECTED = 2, SA_FLAGGED = 4, SA_DIM = 8,
	SA_DIFF = 16, SA_ERROR = 32, SA_BAR = 64, SA_IMAGE = 128,
};

struct review_screen_line {
	char *text;		/* UTF-8, exactly cols columns wide */
	unsigned attr;
};

/* Where the terminal draws real pixels (PIXELS_SIXEL): the text there is
 * blank, and review/tui.c sends the image over it. */
struct review_screen_image {
	const struct raster *img;	/* borrowed from the page cache; NULL: none */
	struct box box;			/* of the page */
	int y, x, rows, cols;		/* cells it may take */
};

struct review_screen {
	int rows, cols;
	struct review_screen_line *lines;	/* rows of them */
	int cur_y, cur_x;	/* the prompt's cursor, -1 when hidden */
	struct review_screen_image image;
};

/* The screen for a's state at rows x cols; scr is caller-released. */
void review_screen_render(struct review_app *a, int rows, int cols, struct review_screen *scr);
void review_screen_release(struct review_screen *scr);
void review_screen_print(const struct review_screen *scr, FILE *out); /* --dump */

/* Columns a code point takes (wcwidth, 1 for the unknown), and a string. */
int review_cp_width(int32_t cp);
int review_text_width(const char *s);
/* s cut or padded to exactly cols columns ("…" marks a cut); caller frees. */
char *review_text_fit(const char *s, int cols);

/* A column's label as the register prints it ("Dân tộc"), or NULL. */
const char *review_column_label(const char *column);

/* ---- the terminal (review/tui.c, the only curses file) ----------------- */

/* Runs the tool until q; restores the terminal on every way out. */
int review_tui_run(struct review_app *a, struct err *e);

#endif
