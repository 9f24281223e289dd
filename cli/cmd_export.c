/* hotich export: clean and approved records to files for the national database. */
#include <signal.h>
#include <string.h>

#include "cli/cli.h"
#include "export/export.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich export [--db FILE] --kind ks|kh|kt --format csv|json|ndjson|xlsx\n"
	"                     --out PATH [--since-last] [--bom]\n"
	"\n"
	"Writes the records that passed every check or that a supervisor approved, in\n"
	"the Ministry of Justice's import columns, ordered by book then entry number,\n"
	"and PATH.manifest.json beside it.  Written to a temporary file and renamed.\n"
	"Flagged, rejected and unresolved-duplicate records are never exported.\n"
	"xlsx is the import template's own format: one sheet, every cell text (IDs keep\n"
	"their leading zero, book numbers like 03/2022 stay as written).\n"
	"  --since-last   only records no earlier export of the same kind and format\n"
	"                 has written (a trial json export does not use up the csv's)\n"
	"  --bom          start a CSV with a UTF-8 byte-order mark (for spreadsheets)\n"
	"\n"
	"Exit codes: 0 written; 1 fatal (cannot write, database error); 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich export --kind ks --format csv --out ks-2026-12-02.csv --since-last\n";

enum { OPT_KIND = 0x200, OPT_FORMAT, OPT_OUT, OPT_SINCE_LAST, OPT_BOM };

struct export_args {
	struct cli_common co;
	struct export_options opt;
	const char *kind, *format;
};

/* Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, struct export_args *a)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		{"kind", required_argument, NULL, OPT_KIND},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"out", required_argument, NULL, OPT_OUT},
		{"since-last", no_argument, NULL, OPT_SINCE_LAST},
		{"bom", no_argument, NULL, OPT_BOM},
		{NULL, 0, NULL, 0},
	};
	cli_opts_begin(&a->co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", opts, &a->co)) != -1) {
		switch (c) {
		case OPT_KIND: a->kind = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_OUT: a->opt.out = optarg; break;
		case OPT_SINCE_LAST: a->opt.since_last = 1; break;
		case OPT_BOM: a->opt.bom = 1; break;
		default: return cli_bad_option("export", argv, "h", opts);
		}
	}
	return cli_options_end("export", help, argc, argv, &a->co);
}

static int check_args(struct export_args *a)
{
	if (!a->kind || !a->format || !a->opt.out || !*a->opt.out)
		return cli_usage("export", "--kind, --format and --out are required");
	a->opt.kind = kind_parse(a->kind);
	if (a->opt.kind == KIND_NONE)
		return cli_usage("export", "unknown kind '%s' (ks, kh or kt)", a->kind);
	int f = export_format_parse(a->format);
	if (f < 0)
		return cli_usage("export", "unknown format '%s' (csv, json, ndjson or xlsx)", a->format);
	a->opt.format = (enum export_format)f;
	if (a->opt.bom && a->opt.format != EXPORT_CSV)
		return cli_usage("export", "--bom applies to csv only");
	return -1;
}

static void report(const struct export_args *a, const struct export_result *res)
{
	if (res->count == 0)
		printf("nothing to export: wrote an empty %s file '%s' (0 %s records)\n",
		       a->format, a->opt.out, a->kind);
	else
		printf("exported %lld %s records to '%s'\n", res->count, a->kind, a->opt.out);
	printf("manifest '%s', sha256 %s, export %lld\n", res->manifest_path, res->sha256,
	       res->export_id);
}

int cmd_export(int argc, char **argv)
{
	struct export_args a;
	memset(&a, 0, sizeof(a));
	int rc = parse_args(argc, argv, &a);
	if (rc < 0)
		rc = check_args(&a);
	if (rc >= 0)
		return rc;
	/* A file-size limit must fail the write, not kill us mid-file. */
	signal(SIGXFSZ, SIG_IGN);
	struct store *s = cli_store_existing("export", a.co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	struct export_result res;
	rc = export_run(s, &a.opt, &res, &e);
	store_close(s);
	if (rc < 0) {
		export_result_release(&res);
		return cli_fatal("export", "%s", e.msg);
	}
	report(&a, &res);
	for (size_t i = 0; i < res.nleft_out; i++)
		cli_warn("export", "%s", res.left_out[i]);
	rc = res.nleft_out ? EXIT_PARTIAL : EXIT_OK;
	export_result_release(&res);
	return rc;
}
