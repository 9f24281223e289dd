#!/usr/bin/env bash
# Dedup benchmarks.
#   bench/dedup_bench.sh febrl            FEBRL dataset4a (existing) vs 4b (batch):
#                                         precision, recall, F1 of "duplicate"
#   bench/dedup_bench.sh speed [N M]      N existing (default 1,000,000) vs M batch
#                                         (default 100,000) synthetic births, 5% planted
#                                         duplicates: CPU and wall time, peak memory
# Prints a Markdown block for bench/RESULTS.md.  FEBRL is read from
# ../shared/bench-data (skipped, saying so, when absent).  Records are put in
# status 'clean' with sqlite3 so dedup runs without the validate stage.
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
HOTICH=${HOTICH:-$TOP/hotich}
FEBRL=${FEBRL:-$TOP/../shared/bench-data/linkage/febrl}
W=$(mktemp -d "${TMPDIR:-/tmp}/hotich-dedup-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Entity number of a FEBRL rec_id (rec-12-org, rec-12-dup-0) or of our STT.
eval_sql() {
	cat <<'SQL'
WITH p AS (SELECT f.raw AS b, m.other_id AS a, m.score AS s FROM matches m
           JOIN fields f ON f.record_id = m.record_id AND f.name = 'STT'
           WHERE m.source = 'existing' AND m.score >= 0.9),
     q AS (SELECT (substr(b, 1, instr(b || '-dup', '-dup') - 1) = substr(a, 1, instr(a || '-org', '-org') - 1)) AS ok FROM p)
SELECT count(*), coalesce(sum(ok), 0) FROM q;
SQL
}

febrl() {
	if [ ! -f "$FEBRL/dataset4a.csv" ]; then
		echo "skip - FEBRL data not found in $FEBRL"
		return 0
	fi
	awk -f bench/febrl.awk "$FEBRL/dataset4a.csv" >"$W/a.csv"
	awk -f bench/febrl.awk "$FEBRL/dataset4b.csv" >"$W/b.csv"
	local db=$W/febrl.db
	"$HOTICH" import-existing --db "$db" --kind ks "$W/a.csv" >/dev/null || return 1
	"$HOTICH" import-batch --db "$db" --kind ks "$W/b.csv" >/dev/null || return 1
	sqlite3 "$db" "UPDATE records SET status = 'clean'"
	local t0 t1
	t0=$(date +%s.%N)
	"$HOTICH" dedup --db "$db" --kind ks >"$W/dedup.out" || return 1
	t1=$(date +%s.%N)
	local truth=5000 pred tp
	read -r pred tp < <(sqlite3 -separator ' ' "$db" "$(eval_sql)")
	awk -v p="$pred" -v tp="$tp" -v t="$truth" -v s="$(echo "$t1 - $t0" | bc)" 'BEGIN {
		pr = p ? tp / p : 0; rc = tp / t; f1 = pr + rc ? 2 * pr * rc / (pr + rc) : 0
		printf "### FEBRL dataset4a (existing) vs dataset4b (batch)\n\n"
		printf "| true links | flagged duplicate | correct | precision | recall | F1 | dedup time |\n"
		printf "|---|---|---|---|---|---|---|\n"
		printf "| %d | %d | %d | %.4f | %.4f | %.4f | %.1f s |\n\n", t, p, tp, pr, rc, f1, s
		printf "F1=%.4f\n", f1 }'
	sed -n 's/^/    /p' "$W/dedup.out"
}

speed() {
	local n=${1:-1000000} m=${2:-100000}
	local dups=$((m / 20)) db=$W/speed.db
	awk -v DATA=data -v OUT="$W" -v N="$n" -v M="$m" -v DUPS="$dups" -v SEED=1 \
		-f bench/dedup_gen.awk
	local t0=$SECONDS
	"$HOTICH" import-existing --db "$db" --kind ks "$W/existing.csv" >/dev/null || return 1
	local t_imp=$((SECONDS - t0))
	"$HOTICH" import-batch --db "$db" --kind ks "$W/batch.csv" >/dev/null || return 1
	sqlite3 "$db" "UPDATE records SET status = 'clean'; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	/usr/bin/time -f '%e %U %S %M' -o "$W/time" "$HOTICH" dedup --db "$db" --kind ks \
		>"$W/dedup.out" || return 1
	local wall user sys rss pred tp
	read -r wall user sys rss <"$W/time"
	read -r pred tp < <(sqlite3 -separator ' ' "$db" "$(eval_sql)")
	echo "### Speed: $m batch records vs $n existing ($dups planted duplicates)"
	echo
	echo "| import-existing | dedup wall | dedup CPU (user+sys) | peak RSS | flagged | correct | recall |"
	echo "|---|---|---|---|---|---|---|"
	awk -v i="$t_imp" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v p="$pred" \
		-v tp="$tp" -v d="$dups" 'BEGIN {
		printf "| %d s | %.1f s | %.1f s | %.0f MiB | %d | %d | %.4f |\n\n", i, w, u + s, r / 1024, p, tp, tp / d }'
	sed -n 's/^/    /p' "$W/dedup.out"
	echo "    machine load while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
}

case "${1:-all}" in
febrl) febrl ;;
speed) shift; speed "$@" ;;
all) febrl && speed ;;
*) echo "usage: bench/dedup_bench.sh [febrl | speed [N M] | all]" >&2; exit 2 ;;
esac
