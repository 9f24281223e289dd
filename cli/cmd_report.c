/* hotich report: the night in one HTML page for the morning. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich report [--db FILE] [--batch ID] --out FILE.html\n"
	"\n"
	"Writes one self-contained HTML page (inline style and chart, nothing fetched)\n"
	"about one batch, for a supervisor or a manager to open in a browser: pages,\n"
	"records and entry numbers (complete, or the gaps) per book; records accepted;\n"
	"what waits for review and why; failed pages with their reason; the expected\n"
	"residual error of what was accepted; pages per hour over the night.\n"
	"\n"
	"  --batch ID    the batch (default: the last one; hotich status --json names it)\n"
	"  --out FILE    where to write (replaced whole: written aside, then renamed)\n"
	"\n"
	"Exit codes: 0 written; 1 fatal (no such batch, cannot write, database error);\n"
	"2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich report --out /srv/reports/night.html && chromium /srv/reports/night.html\n";

static int write_report(const struct report *r, const char *path, struct err *e)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int rc = -1;
	if (!f) {
		err_set(e, "cannot write '%s'", tmp);
		goto out;
	}
	rc = report_html_write(r, f, e);
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(e, "cannot write '%s'", tmp);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = err_set(e, "cannot rename '%s' to '%s'", tmp, path);
	if (rc < 0)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS, {"batch", required_argument, NULL, 'b'},
		{"out", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	struct cli_common co;
	const char *out = NULL;
	long long batch = 0;
	cli_opts_begin(&co);
	int c;
	while ((c = cli_next_opt(argc, argv, "h", opts, &co)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'b' && (batch = cli_parse_int(optarg)) <= 0)
			return cli_usage("report", "--batch wants a batch id, not '%s'", optarg);
		else if (c != 'b')
			return cli_bad_option("report", argv, "h", opts);
	}
	int done = cli_options_end("report", help, argc, argv, &co);
	if (done >= 0)
		return done;
	if (!out)
		return cli_usage("report", "--out FILE.html is required");
	/* A report reads a night's database; a mistyped --db creates none. */
	struct store *s = cli_store_existing("report", co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	struct report r;
	int rc = report_load(s, batch, &r, &e);
	if (rc == 0)
		rc = write_report(&r, out, &e);
	report_release(&r);
	store_close(s);
	return rc < 0 ? cli_fatal("report", "%s", e.msg) : EXIT_OK;
}
