/* Shared option handling and messages for the subcommands. */
#include "cli/cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void cli_common_init(struct cli_common *co)
{
	co->db = "hotich.db";
	co->help = 0;
}

int cli_common_opt(int c, const char *arg, struct cli_common *co)
{
	switch (c) {
	case 0x100:
		co->db = arg;
		return 1;
	case 'h':
		co->help = 1;
		return 1;
	case 0x101:
		log_level = LOG_QUIET;
		return 1;
	case 0x102:
		log_level = LOG_DEBUG;
		return 1;
	}
	return 0;
}

static void vsay(const char *cmd, const char *fmt, va_list ap)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "hotich %s: ", cmd);
	log_vline(prefix, fmt, ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "try 'hotich %s --help'\n", cmd);
	return EXIT_USAGE;
}

int cli_fatal(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, fmt, ap);
	va_end(ap);
	return EXIT_FATAL;
}

void cli_warn(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, fmt, ap);
	va_end(ap);
}

void cli_stage_warn(void *cmd, const char *msg)
{
	cli_warn(cmd, "%s", msg);
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return EXIT_OK;
}

int cli_ocr_opt(const char *cmd, int c, const char *arg, struct stage_ocr_options *o)
{
	if (c == CLI_OPT_RETRY) {
		o->retry_failed = 1;
		return 1;
	}
	if (c != CLI_OPT_THREADS && c != CLI_OPT_TIMEOUT)
		return 0;
	int v = cli_parse_int(arg);
	if (c == CLI_OPT_THREADS ? v < 1 : v < 0) {
		cli_usage(cmd, "'%s' wants a whole number", arg);
		return -1;
	}
	*(c == CLI_OPT_THREADS ? &o->threads : &o->page_timeout) = v;
	return 1;
}

int cli_parse_int(const char *s)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

int cli_import_args(const char *cmd, const char *help, int argc, char **argv,
		    const char **db, enum book_kind *kind, const char **file)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS, {"kind", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
	struct cli_common co;
	cli_common_init(&co);
	opterr = 0;
	optind = 1;
	*kind = KIND_NONE;
	int c;
	while ((c = getopt_long(argc, argv, "hk:", opts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &co))
			continue;
		if (c == 'k' && (*kind = kind_parse(optarg)) == KIND_NONE)
			return cli_usage(cmd, "unknown kind '%s' (ks, kh or kt)", optarg);
		if (c != 'k')
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	if (co.help)
		return cli_help(help);
	if (*kind == KIND_NONE)
		return cli_usage(cmd, "--kind is required (ks, kh or kt)");
	if (optind != argc - 1)
		return cli_usage(cmd, optind >= argc ? "no CSV file given" : "one CSV file at a time");
	*db = co.db;
	*file = argv[optind];
	return -1;
}
