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

int cli_common_only(int argc, char **argv, const char *cmd, struct cli_common *co)
{
	static const struct option opts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	cli_common_init(co);
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, co))
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	return EXIT_OK;
}

static void vsay(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "hotich %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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

int cli_help(const char *text)
{
	fputs(text, stdout);
	return EXIT_OK;
}

int cli_not_built(const char *cmd, const char *what)
{
	fprintf(stderr, "hotich %s: not built yet: %s\n", cmd, what);
	return EXIT_FATAL;
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
