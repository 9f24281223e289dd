/* hotich dedup: link validated records to existing ones and to each other. */
#include <stdlib.h>

#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
	"usage: hotich dedup [--db FILE] [--kind ks|kh|kt] [--verbose]\n"
	"\n"
	"Links validated records (status clean or review, not linked since they last\n"
	"changed) to the existing records (see import-existing) and to each other:\n"
	"the same book scanned twice, overlapping books, a re-registration.\n"
	"\n"
	"Candidates come from five blocking rules, so a typo in one field does not\n"
	"hide a pair: folded full name + year of birth; date of birth; personal ID;\n"
	"mother's (wife's) folded name + year of birth (deaths: name + year of\n"
	"death); folded full name + day and month of birth.  A key shared by more\n"
	"than 64 existing records (a common name in a common year) is skipped for\n"
	"that rule and counted; the other rules still see those pairs.\n"
	"\n"
	"Pairs are compared field by field (Vietnamese folding, OCR-aware edit\n"
	"distance, Jaro-Winkler, dates tolerant of a day/month swap or one wrong\n"
	"digit, IDs one digit off) and scored Fellegi-Sunter: u (chance agreement)\n"
	"from random pairs, m by EM on each rule's candidate pairs with that rule's\n"
	"own fields masked, a name's agreement weighted by its rarity.  (With under\n"
	"a million possible pairs, m and u are fitted together on the candidates.)\n"
	"\n"
	"A score >= 0.90 is a duplicate (finding duplicate_existing or\n"
	"duplicate_batch, an error); >= 0.50 a possible duplicate (warning).  Both\n"
	"send the record to review with the evidence; nothing is dropped.  A pair a\n"
	"supervisor decided \"different\" is never flagged again.\n"
	"\n"
	"Options:\n"
	"  --kind K      only this book kind (default: all)\n"
	"  --verbose     also print each fitted model (m and u per field and level)\n"
	"\n"
	"Exit codes: 0 done; 1 fatal; 2 bad usage.\n"
	"\n"
	"Example:\n"
	"  hotich dedup --kind ks     # after hotich import-existing --kind ks extract.csv\n";

static void report(enum book_kind k, const struct dedup_stats *st, long long dups,
		   long long possible)
{
	printf("dedup %s: %lld records, %lld candidate pairs (", kind_code(k), st->pending,
	       st->pairs_total);
	for (int r = 0; r < DEDUP_NRULES; r++)
		printf("%s%s %lld", r ? ", " : "", dedup_rule_name(r), st->pairs[r]);
	printf(")\n");
	if (!st->pending)
		return;
	printf("  model: EM %s after %d rounds on %lld pairs, prior match odds %.3g\n",
	       st->model.converged ? "converged" : "stopped", st->model.iterations,
	       st->em_pairs, st->model.p);
	printf("  %lld duplicates, %lld possible duplicates", dups, possible);
	if (st->decided_different)
		printf(", %lld pairs skipped (decided different)", st->decided_different);
	if (st->truncated)
		printf(", %lld blocks cut at %d rows", st->truncated, DEDUP_MAX_BLOCK);
	printf("\n");
	printf("  time: load %.1f s, EM pass %.1f s, scoring %.1f s, saving %.1f s\n",
	       st->secs_load, st->secs_em, st->secs_score, st->secs_save);
	if (log_level >= LOG_DEBUG) {
		char *json = dedup_model_json(&st->model);
		printf("  %s\n", json);
		free(json);
	}
}

int cmd_dedup(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS, {"kind", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
	struct cli_common co;
	cli_opts_begin(&co);
	int c, only = KIND_NONE;
	while ((c = cli_next_opt(argc, argv, "hk:", opts, &co)) != -1) {
		if (c == 'k' && (only = kind_parse(optarg)) != KIND_NONE)
			continue;
		if (c == 'k')
			return cli_usage("dedup", "unknown kind '%s' (ks, kh or kt)", optarg);
		return cli_bad_option("dedup", argv, "hk:", opts);
	}
	int done = cli_options_end("dedup", help, argc, argv, &co);
	if (done >= 0)
		return done;
	struct store *s = cli_store_existing("dedup", co.db);
	if (!s)
		return EXIT_FATAL;
	struct err e = ERR_INIT;
	int rc = EXIT_OK;
	for (int k = 0; k < KIND_COUNT && rc == EXIT_OK; k++) {
		if (only != KIND_NONE && k != only)
			continue;
		struct stage_counts cnt = {0};
		struct dedup_stats st;
		long long possible = 0;
		if (stage_dedup_kind(s, (enum book_kind)k, &cnt, &st, &possible, &e) < 0)
			rc = cli_fatal("dedup", "%s", e.msg);
		else
			report((enum book_kind)k, &st, cnt.duplicates, possible);
	}
	store_close(s);
	return rc;
}
