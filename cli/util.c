/* Shared option handling and messages for the subcommands. */
#include "cli/cli.h"

#include "store/store.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void cli_opts_begin(struct cli_common *co)
{
	co->db = "hotich.db";
	co->help = 0;
	opterr = 0;
	optind = 1;
}

static int common_opt(int c, const char *arg, struct cli_common *co)
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

int cli_next_opt(int argc, char **argv, const char *shortopts, const struct option *opts,
		 struct cli_common *co)
{
	int c;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1)
		if (!common_opt(c, optarg, co))
			return c;
	return -1;
}

int cli_options_end(const char *cmd, const char *help, int argc, char **argv,
		    const struct cli_common *co)
{
	if (co->help)
		return cli_help(help);
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

struct store *cli_store_existing(const char *cmd, const char *db)
{
	struct err e = ERR_INIT;
	struct store *s = store_open_existing(db, &e);
	if (!s)
		cli_fatal(cmd, "%s", e.msg);
	return s;
}

int cli_common_only(int argc, char **argv, const char *cmd, struct cli_common *co)
{
	static const struct option opts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	cli_opts_begin(co);
	int c;
	if ((c = cli_next_opt(argc, argv, "h", opts, co)) != -1)
		return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	return EXIT_OK;
}

static void vsay(const char *cmd, int stamp, const char *fmt, va_list ap)
{
	if (stamp)
		log_stamp();
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "hotich %s: ", cmd);
	log_vline(prefix, fmt, ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, 0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "try 'hotich %s --help'\n", cmd);
	return EXIT_USAGE;
}

int cli_fatal(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, 1, fmt, ap);
	va_end(ap);
	return EXIT_FATAL;
}

void cli_warn(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(cmd, 1, fmt, ap);
	va_end(ap);
}

const char *cli_nearest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	int bestd = 0;
	for (size_t i = 0; i < n; i++) {
		int d = text_distance(word, names[i]);
		if (!best || d < bestd)
			best = names[i], bestd = d;
	}
	/* As git: a suggestion only when it is close (two edits, or a third
	 * of a long word), else "did you mean" would be noise. */
	int limit = (int)strlen(word) / 3 > 2 ? (int)strlen(word) / 3 : 2;
	return best && bestd <= limit ? best : NULL;
}

/* The long option argv names (up to any '='), or NULL when it is none. */
static const struct option *long_named(const struct option *opts, const char *arg, size_t len)
{
	for (const struct option *o = opts; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, arg, len))
			return o;
	return NULL;
}

static int bad_long(const char *cmd, const char *arg, const struct option *opts)
{
	const char *name = arg + 2;
	size_t len = strcspn(name, "=");
	const struct option *o = long_named(opts, name, len);
	if (o && o->has_arg == required_argument && optopt == o->val)
		return cli_usage(cmd, "option '--%s' needs a value", o->name);
	if (o)
		return cli_usage(cmd, "option '--%s' takes no value", o->name);
	const char *names[64];
	size_t n = 0;
	for (const struct option *p = opts; p->name && n < 64; p++)
		names[n++] = p->name;
	char *word = xstrndup(name, len);
	const char *near = cli_nearest(word, names, n);
	free(word);
	if (near)
		return cli_usage(cmd, "unknown option '%.*s'; did you mean '--%s'?", (int)len + 2,
				 arg, near);
	return cli_usage(cmd, "unknown option '%.*s'", (int)len + 2, arg);
}

int cli_bad_option(const char *cmd, char *const *argv, const char *shortopts,
		   const struct option *opts)
{
	const char *arg = argv[optind - 1];
	if (!strncmp(arg, "--", 2) && arg[2])
		return bad_long(cmd, arg, opts);
	/* A short option: -j2 is "-j", not the word getopt stands on. */
	const char *in = optopt > 0 && optopt < 0x80 ? strchr(shortopts, optopt) : NULL;
	if (in && in[1] == ':')
		return cli_usage(cmd, "option '-%c' needs a value", optopt);
	if (optopt > 0x20 && optopt < 0x7f)
		return cli_usage(cmd, "unknown option '-%c'", optopt);
	return cli_usage(cmd, "unknown option '%s'", arg);
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
	cli_opts_begin(&co);
	*kind = KIND_NONE;
	int c;
	while ((c = cli_next_opt(argc, argv, "hk:", opts, &co)) != -1) {
		if (c == 'k' && (*kind = kind_parse(optarg)) == KIND_NONE)
			return cli_usage(cmd, "unknown kind '%s' (ks, kh or kt)", optarg);
		if (c != 'k')
			return cli_bad_option(cmd, argv, "hk:", opts);
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
