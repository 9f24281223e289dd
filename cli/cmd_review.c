/*
 * hotich review: the supervisors' review tool (curses) and its script
 * interface.  Wires the review module to the store, to validation (an edit
 * re-runs the field's checks) and to ingest (page images).
 */
#include "cli/cli.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "review/review.h"
#include "store/store.h"
#include "validate/validate.h"

static const char help[] =
	"usage: hotich review [--db FILE] [--reviewer NAME] [--book TEXT] [--reason R]\n"
	"       hotich review --list [--book TEXT] [--reason R]\n"
	"       hotich review --approve ID | --reject ID | --set ID COLUMN=VALUE  --reviewer NAME\n"
	"       hotich review --same ID | --different ID [--match SOURCE:OTHER]  --reviewer NAME\n"
	"       hotich review --dump [--keys KEYS] [--size COLSxROWS]\n"
	"\n"
	"Without options, opens the supervisors' review tool (curses; ? shows the keys).\n"
	"The script interface prints the queue as NDJSON (--list) or records one decision;\n"
	"every decision is written to the audit log (table reviews) with the reviewer's name.\n"
	"\n"
	"Item ids (stable):\n"
	"  r<record id>   a record in status 'review' (field findings or a duplicate)\n"
	"  f<finding id>  a book-level finding, e.g. a missing entry number\n"
	"  p<page id>     a page that could not be read;  bk<book id>  a book that could not\n"
	"\n"
	"  --reviewer NAME   who decides: required; $HOTICH_REVIEWER stands in for it, and\n"
	"                    in the tool $USER too (never a made-up name)\n"
	"  --list            the queue, one JSON object a line: id, kind, record, _source, reasons\n"
	"  --approve ID      approve a record (its findings resolved; over errors is allowed\n"
	"                    and logged as approve-override); acknowledge a book item\n"
	"  --reject ID       reject a record; a book item: to be scanned again\n"
	"  --set ID COL=VAL  set one field and re-run its checks (the record may become\n"
	"                    approvable)\n"
	"  --same ID         the duplicate is the same person: the record is rejected\n"
	"  --different ID    not the same person: the duplicate finding is resolved\n"
	"  --match S:OTHER   decide only the match with source S (existing|batch) and id OTHER\n"
	"  --book TEXT       only books whose name contains TEXT\n"
	"  --reason R        only field, duplicate, missing or page items\n"
	"  --sixel auto|yes|no  draw the scan's real pixels (default auto: kitty's protocol\n"
	"                    where the terminal is kitty, WezTerm, Ghostty or Konsole, else\n"
	"                    sixel if the terminal says it shows it; $HOTICH_SIXEL too);\n"
	"                    yes: sixel; no: half blocks\n"
	"  --dump            print the tool's screen as text (tests); --keys feeds keys first\n"
	"                    (<enter> <esc> <up> <down> <left> <right> <tab> for the others)\n"
	"\n"
	"Exit codes: 0 done, 1 the decision could not be made (no such item, open by\n"
	"another reviewer, database error), 2 bad usage.\n"
	"\n"
	"Examples:\n"
	"  hotich review --reviewer lan --book so-03\n"
	"  hotich review --list --reason missing | jq -r .id\n";

enum action { ACT_TUI, ACT_LIST, ACT_APPROVE, ACT_REJECT, ACT_SET, ACT_SAME, ACT_DIFFERENT,
	      ACT_DUMP };

struct opts {
	struct cli_common co;
	enum action act;
	int nacts;
	const char *item, *assign, *reviewer, *match, *keys, *size;
	const char *sixel;	/* --sixel auto|yes|no, else $HOTICH_SIXEL, else auto */
	struct review_filter filter;
};

/* The terminal library and wcwidth need a UTF-8 locale; "C" would garble Vietnamese. */
static void locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	if (!cs || strcmp(cs, "UTF-8"))
		setlocale(LC_CTYPE, "C.UTF-8");
}

static int revalidate(void *vc, struct record *r, const char *column, struct err *e)
{
	(void)e;
	validate_field(vc, r, column);
	return 0;
}

static void set_act(struct opts *o, enum action a, const char *item)
{
	o->act = a;
	o->item = item;
	o->nacts++;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {CLI_COMMON_LONGOPTS,
					   {"reviewer", required_argument, NULL, 'r'},
					   {"list", no_argument, NULL, 'l'},
					   {"approve", required_argument, NULL, 'a'},
					   {"reject", required_argument, NULL, 'x'},
					   {"set", required_argument, NULL, 's'},
					   {"same", required_argument, NULL, 'S'},
					   {"different", required_argument, NULL, 'D'},
					   {"match", required_argument, NULL, 'm'},
					   {"dump", no_argument, NULL, 'd'},
					   {"keys", required_argument, NULL, 'k'},
					   {"size", required_argument, NULL, 'z'},
					   {"book", required_argument, NULL, 'b'},
					   {"reason", required_argument, NULL, 'R'},
					   {"sixel", required_argument, NULL, 'X'},
					   {NULL, 0, NULL, 0}};
	o->filter.group = -1;
	cli_opts_begin(&o->co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", lo, &o->co)) != -1) {
		switch (c) {
		case 'r': o->reviewer = optarg; break;
		case 'l': set_act(o, ACT_LIST, NULL); break;
		case 'a': set_act(o, ACT_APPROVE, optarg); break;
		case 'x': set_act(o, ACT_REJECT, optarg); break;
		case 'S': set_act(o, ACT_SAME, optarg); break;
		case 'D': set_act(o, ACT_DIFFERENT, optarg); break;
		case 'd': set_act(o, ACT_DUMP, NULL); break;
		case 'm': o->match = optarg; break;
		case 'k': o->keys = optarg; break;
		case 'z': o->size = optarg; break;
		case 'b': o->filter.book = optarg; break;
		case 'X': o->sixel = optarg; break;
		case 's':
			set_act(o, ACT_SET, optarg);
			if (optind >= argc || !strchr(argv[optind], '='))
				return cli_usage("review", "--set ID needs COLUMN=VALUE after it");
			o->assign = argv[optind++];
			break;
		case 'R':
			o->filter.group = review_group_parse(optarg);
			if (o->filter.group < 0)
				return cli_usage("review", "unknown reason '%s' (field, duplicate, "
						 "missing, page)", optarg);
			break;
		default:
			return cli_bad_option("review", argv, "h", lo);
		}
	}
	if (optind < argc)
		return cli_usage("review", "unexpected argument '%s'", argv[optind]);
	if (o->nacts > 1)
		return cli_usage("review", "one action at a time");
	return 0;
}

static int do_list(struct store *s, const struct opts *o)
{
	struct review_queue q;
	struct err e = ERR_INIT;
	const char *who = o->reviewer ? o->reviewer : "";
	if (review_queue_load(s, &o->filter, who, review_now(&(struct review_ctx){0}), &q, &e) < 0)
		return cli_fatal("review", "%s", e.msg);
	int rc = review_list_write(s, &q, stdout, &e);
	review_queue_release(&q);
	return rc < 0 ? cli_fatal("review", "%s", e.msg) : EXIT_OK;
}

static int do_decision(struct review_ctx *ctx, const struct opts *o)
{
	struct err e = ERR_INIT;
	int rc = -1;
	char *col = NULL, *src = NULL;
	const char *other = NULL;
	if (o->match) {
		src = xstrdup(o->match);
		char *colon = strchr(src, ':');
		if (!colon) {
			free(src);
			return cli_usage("review", "--match wants SOURCE:ID, e.g. existing:123");
		}
		*colon = 0;
		other = colon + 1;
	}
	switch (o->act) {
	case ACT_APPROVE: rc = review_approve(ctx, o->item, &e); break;
	case ACT_REJECT: rc = review_reject(ctx, o->item, &e); break;
	case ACT_SAME: rc = review_decide(ctx, o->item, src, other, 1, &e); break;
	case ACT_DIFFERENT: rc = review_decide(ctx, o->item, src, other, 0, &e); break;
	case ACT_SET:
		col = xstrndup(o->assign, (size_t)(strchr(o->assign, '=') - o->assign));
		rc = review_set(ctx, o->item, col, strchr(o->assign, '=') + 1, &e);
		break;
	default:
		break;
	}
	free(col);
	free(src);
	return rc < 0 ? cli_fatal("review", "%s", e.msg) : EXIT_OK;
}

/* "<enter>", "<down>"... or one UTF-8 character; returns bytes used. */
static int next_key(const char *s, int *key)
{
	static const struct { const char *name; int key; } names[] = {
		{"<enter>", RK_ENTER}, {"<esc>", RK_ESC}, {"<up>", RK_UP}, {"<down>", RK_DOWN},
		{"<left>", RK_LEFT}, {"<right>", RK_RIGHT}, {"<tab>", RK_TAB}, {"<bs>", RK_BACKSPACE},
		{"<pgdn>", RK_PGDN}, {"<pgup>", RK_PGUP},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strncmp(s, names[i].name, strlen(names[i].name))) {
			*key = names[i].key;
			return (int)strlen(names[i].name);
		}
	int32_t cp;
	int n = text_decode(s, strlen(s), &cp);
	*key = n > 0 ? cp : '?';
	return n > 0 ? n : 1;
}

static int do_dump(struct review_app *a, const struct opts *o)
{
	int cols = 100, rows = 30;
	if (o->size && sscanf(o->size, "%dx%d", &cols, &rows) != 2)
		return cli_usage("review", "--size wants COLSxROWS, e.g. 120x40");
	for (const char *k = o->keys ? o->keys : ""; *k && !a->quit;) {
		int key;
		k += next_key(k, &key);
		struct review_screen scr; /* render between keys: paging depends on the size */
		review_screen_render(a, rows, cols, &scr);
		review_screen_release(&scr);
		review_app_key(a, key);
	}
	struct review_screen scr;
	review_screen_render(a, rows, cols, &scr);
	review_screen_print(&scr, stdout);
	review_screen_release(&scr);
	return EXIT_OK;
}

/* -1: ask the terminal; 0 or 1 as --sixel or $HOTICH_SIXEL say. */
static int sixel_wanted(const char *opt)
{
	const char *v = opt ? opt : getenv("HOTICH_SIXEL");
	if (!v || !*v || !strcmp(v, "auto"))
		return -1;
	return !strcmp(v, "yes") || !strcmp(v, "1");
}

static int run_tool(struct review_ctx *ctx, const struct opts *o)
{
	struct review_app app;
	struct err e = ERR_INIT;
	ingest_init();
	if (review_app_init(&app, ctx, ingest_page_load, &o->filter, &e) < 0)
		return cli_fatal("review", "%s", e.msg);
	if (o->act == ACT_TUI)
		app.sixel = sixel_wanted(o->sixel);
	int rc = o->act == ACT_DUMP ? do_dump(&app, o) : review_tui_run(&app, &e);
	review_app_release(&app);
	if (rc < 0)
		return cli_fatal("review", "%s", e.msg);
	return rc;
}

static int with_store(struct opts *o)
{
	struct store *s = cli_store_existing("review", o->co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	int rc;
	struct validate_ctx *vc = NULL;
	if (o->act == ACT_LIST) {
		rc = do_list(s, o);
		goto out;
	}
	int edits = o->act == ACT_SET || o->act == ACT_TUI || o->act == ACT_DUMP;
	if (edits && !(vc = validate_ctx_new(&e))) {
		rc = cli_fatal("review", "cannot load the checks an edit re-runs: %s", e.msg);
		goto out;
	}
	struct review_ctx ctx = {s, o->reviewer, revalidate, vc, 0, stage_validate_book};
	if (o->act == ACT_TUI || o->act == ACT_DUMP)
		rc = run_tool(&ctx, o);
	else
		rc = do_decision(&ctx, o);
out:
	validate_ctx_free(vc);
	store_close(s);
	return rc;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* Who decides: --reviewer, else $HOTICH_REVIEWER, else (the tool only, where a
 * person sits at the terminal) $USER; NULL when none is set. */
static const char *reviewer_name(const char *opt, int user_ok)
{
	const char *r = nonempty(opt);
	if (!r)
		r = nonempty(getenv("HOTICH_REVIEWER"));
	if (!r && user_ok)
		r = nonempty(getenv("USER"));
	return r;
}

int cmd_review(int argc, char **argv)
{
	struct opts o;
	memset(&o, 0, sizeof(o));
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	if (o.co.help)
		return cli_help(help);
	locale_utf8();
	int decision = o.act != ACT_TUI && o.act != ACT_LIST && o.act != ACT_DUMP;
	if (o.match && o.act != ACT_SAME && o.act != ACT_DIFFERENT)
		return cli_usage("review", "--match goes with --same or --different");
	if (o.act != ACT_LIST && !(o.reviewer = reviewer_name(o.reviewer, !decision)))
		return cli_usage("review", "%s", decision
				 ? "decisions need --reviewer NAME or $HOTICH_REVIEWER (the audit "
				   "log says who)"
				 : "the tool needs --reviewer NAME, $HOTICH_REVIEWER or $USER (the "
				   "audit log says who)");
	return with_store(&o);
}
