/* hotich fixtures: synthetic register books with ground truth (fixtures/). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/record.h"
#include "fixtures/fixtures.h"

static const char help[] =
	"usage: hotich fixtures --out DIR [--seed N] [options]\n"
	"\n"
	"Renders synthetic register books (multi-page TIFF, one file per book) with\n"
	"their ground truth in DIR/truth.json (schema: fixtures/fixtures.h).  The same\n"
	"options and seed give byte-identical files.\n"
	"\n"
	"options:\n"
	"  --out DIR             where to write (created if missing)\n"
	"  --seed N              random seed (default 1)\n"
	"  --kind ks|kh|kt|all   birth, marriage, death register, or all three (default ks)\n"
	"  --format F|T|mixed    F labelled form, T ruled table (ks only; kh and kt are\n"
	"                        always F); mixed picks per ks book (default F)\n"
	"  --pages N             TIFF pages per book (default 3)\n"
	"  --books N             books per kind (default 1)\n"
	"  --damage none|light|heavy\n"
	"                        none: clean 8-bit gray LZW at 300 dpi; light: slight skew,\n"
	"                        grain, blur, seals, signatures, some blank backs;\n"
	"                        heavy: skew up to 3 degrees, noise, salt and pepper,\n"
	"                        uneven light, yellowed paper, upside-down pages, 150-400\n"
	"                        dpi, G4/LZW/Deflate/JPEG, BigTIFF (default light)\n"
	"  --font NAME           one font for every book (default: varied per book)\n"
	"  --dpi N               resolution, 72..600 (default 300, varied with heavy)\n"
	"  --compression g4|lzw|deflate|jpeg|none\n"
	"                        g4 1-bit, lzw/deflate 8-bit gray, jpeg RGB (default by damage)\n"
	"  --bigtiff             write BigTIFF files\n"
	"  --existing            also write existing.csv (export CSV format, STT first)\n"
	"                        with other records and planted duplicates of book records\n"
	"  --anomalies P         percent of records with a planted anomaly (default 5;\n"
	"                        0 gives clean records and no missing entry numbers)\n"
	"  --png                 also write every page as PNG (for looking at them)\n"
	"\n"
	"Exit codes: 0 written; 1 fatal (cannot write, no font); 2 bad usage.\n"
	"\n"
	"Examples:\n"
	"  hotich fixtures --out books --kind ks --pages 3\n"
	"  hotich fixtures --out t --seed 7 --kind all --books 2 --damage heavy --existing\n"
	"  hotich fixtures --out t --format T --compression g4 --dpi 200\n";

enum {
	OPT_OUT = 0x200, OPT_SEED, OPT_KIND, OPT_FORMAT, OPT_PAGES, OPT_BOOKS, OPT_DAMAGE,
	OPT_FONT, OPT_DPI, OPT_COMP, OPT_BIGTIFF, OPT_EXISTING, OPT_ANOM, OPT_PNG,
};

static int parse_kind(const char *s, unsigned *kinds)
{
	if (!strcmp(s, "all")) {
		*kinds = (1u << KIND_KS) | (1u << KIND_KH) | (1u << KIND_KT);
		return 0;
	}
	enum book_kind k = kind_parse(s);
	if (k == KIND_NONE)
		return -1;
	*kinds = 1u << k;
	return 0;
}

static int parse_format(const char *s, char *f)
{
	if (!strcmp(s, "F") || !strcmp(s, "f"))
		*f = 'F';
	else if (!strcmp(s, "T") || !strcmp(s, "t"))
		*f = 'T';
	else if (!strcmp(s, "mixed"))
		*f = 'M';
	else
		return -1;
	return 0;
}

static int parse_seed(const char *s, uint64_t *seed)
{
	char *end;
	if (!*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end)
		return -1;
	*seed = v;
	return 0;
}

/* One option into o; returns 0, or EXIT_USAGE after saying why. */
static int opt(int c, const char *arg, struct fixtures_opts *o)
{
	int n;
	switch (c) {
	case OPT_OUT: o->out_dir = arg; return 0;
	case OPT_SEED:
		return parse_seed(arg, &o->seed) ? cli_usage("fixtures", "bad seed '%s'", arg) : 0;
	case OPT_KIND:
		return parse_kind(arg, &o->kinds) ? cli_usage("fixtures", "unknown kind '%s'", arg) : 0;
	case OPT_FORMAT:
		return parse_format(arg, &o->format) ? cli_usage("fixtures", "unknown format '%s'", arg) : 0;
	case OPT_PAGES:
	case OPT_BOOKS:
		n = cli_parse_int(arg);
		if (n < 1 || n > 1000)
			return cli_usage("fixtures", "bad count '%s' (1..1000)", arg);
		*(c == OPT_PAGES ? &o->pages : &o->books) = n;
		return 0;
	case OPT_DAMAGE:
		n = fixtures_damage_parse(arg);
		if (n < 0)
			return cli_usage("fixtures", "unknown damage '%s'", arg);
		o->damage = (enum fixtures_damage)n;
		return 0;
	case OPT_FONT: o->font = arg; return 0;
	case OPT_DPI:
		n = cli_parse_int(arg);
		if (n < 72 || n > 600)
			return cli_usage("fixtures", "bad dpi '%s' (72..600)", arg);
		o->dpi = n;
		return 0;
	case OPT_COMP:
		n = fixtures_compression_parse(arg);
		if (n < 0)
			return cli_usage("fixtures", "unknown compression '%s'", arg);
		o->compression = (enum fixtures_compression)n;
		return 0;
	case OPT_BIGTIFF: o->bigtiff = 1; return 0;
	case OPT_EXISTING: o->existing = 1; return 0;
	case OPT_ANOM:
		n = cli_parse_int(arg);
		if (n < 0 || n > 100)
			return cli_usage("fixtures", "bad anomaly percent '%s' (0..100)", arg);
		o->anomaly_pct = n;
		return 0;
	case OPT_PNG: o->png = 1; return 0;
	default: return cli_usage("fixtures", "unknown option");
	}
}

int cmd_fixtures(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		{"out", required_argument, NULL, OPT_OUT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"kind", required_argument, NULL, OPT_KIND},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"pages", required_argument, NULL, OPT_PAGES},
		{"books", required_argument, NULL, OPT_BOOKS},
		{"damage", required_argument, NULL, OPT_DAMAGE},
		{"font", required_argument, NULL, OPT_FONT},
		{"dpi", required_argument, NULL, OPT_DPI},
		{"compression", required_argument, NULL, OPT_COMP},
		{"bigtiff", no_argument, NULL, OPT_BIGTIFF},
		{"existing", no_argument, NULL, OPT_EXISTING},
		{"anomalies", required_argument, NULL, OPT_ANOM},
		{"png", no_argument, NULL, OPT_PNG},
		{NULL, 0, NULL, 0}};
	struct cli_common co;
	struct fixtures_opts o;
	fixtures_opts_init(&o);
	cli_opts_begin(&co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", opts, &co)) != -1) {
		if (c == '?' || c == ':')
			return cli_bad_option("fixtures", argv, "h", opts);
		int rc = opt(c, optarg, &o);
		if (rc)
			return rc;
	}
	int done = cli_options_end("fixtures", help, argc, argv, &co);
	if (done >= 0)
		return done;
	if (!o.out_dir)
		return cli_usage("fixtures", "--out DIR is required");
	if (o.format == 'T' && !(o.kinds & (1u << KIND_KS)))
		return cli_usage("fixtures", "format T exists for ks books only");
	struct err e = ERR_INIT;
	struct fixtures_summary sum;
	if (fixtures_generate(&o, &sum, &e))
		return cli_fatal("fixtures", "%s", e.msg);
	printf("wrote %d books (%d pages, %d records) and truth.json to %s\n", sum.books, sum.pages,
	       sum.records, o.out_dir);
	return EXIT_OK;
}
