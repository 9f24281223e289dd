/*
 * hotich merge: bring shard databases (from `run --shard K/N`, or any
 * hotich database) into one.  Each shard is one transaction (store_merge);
 * a shard that fails is named and the rest go on (exit 3).
 */
#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich merge [--db MAIN] SHARD.db...\n"
	"\n"
	"Brings each shard's batches, books, pages (with their timings), records,\n"
	"fields and findings into MAIN (created when missing), ids renumbered, one\n"
	"transaction per shard.  Merging a shard again changes nothing, and after an\n"
	"interruption (even kill -9) the same command completes the merge.  Refused,\n"
	"and named: a shard of another schema version, a file that is not a hotich\n"
	"database, a shard holding a book MAIN already has (the same file or another\n"
	"version of it).\n"
	"\n"
	"When every share of a run is given (or merged with it before), its books,\n"
	"pages and records get the ids one run would have given them, so exports\n"
	"come out the same.  Each book is read whole in one shard,\n"
	"so its checks (entry numbers, gaps) are done; dedup is not, as it needs\n"
	"the whole batch: run `hotich dedup --db MAIN` after the last merge.\n"
	"\n"
	"Exit codes: 0 all merged (or merged before); 3 some shards refused, each\n"
	"named; 1 fatal; 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich merge --db province.db shards/*.db && hotich dedup --db province.db\n";

static void say(const char *path, const struct store_merge_stats *ms)
{
	if (ms->already)
		printf("%s: merged before, nothing to do\n", path);
	else
		printf("%s: merged %lld books, %lld pages, %lld records\n", path, ms->books,
		       ms->pages, ms->records);
}

int cmd_merge(int argc, char **argv)
{
	struct cli_common co;
	int rc = cli_common_only(argc, argv, "merge", &co);
	if (rc != EXIT_OK)
		return rc;
	if (co.help)
		return cli_help(help);
	if (optind >= argc)
		return cli_usage("merge", "no SHARD.db: give the shard databases to merge");
	struct err e = ERR_INIT;
	struct store *s = store_open(co.db, &e);
	if (!s)
		return cli_fatal("merge", "%s", e.msg);
	if (store_merge_plan(s, argv + optind, argc - optind, &e) < 0)
		cli_warn("merge", "%s (merging without one run's order)", e.msg);
	int failed = 0;
	for (int i = optind; i < argc; i++) {
		struct store_merge_stats ms;
		struct err me = ERR_INIT;
		if (store_merge(s, argv[i], &ms, &me) < 0) {
			cli_warn("merge", "%s", me.msg);
			failed++;
		} else {
			say(argv[i], &ms);
		}
	}
	store_close(s);
	return failed ? EXIT_PARTIAL : EXIT_OK;
}
