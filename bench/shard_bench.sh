#!/usr/bin/env bash
# bench/shard_bench.sh BOOKS: the shard recipe on this machine, as markdown
# on stdout (bench/run.sh puts it in RESULTS.md).
#   1. BOOKS read by one `hotich run --threads 2`, and by 1, 2 and 4 shards
#      through GNU parallel (-j the shards, threads = cores / shards, at
#      least 1), each then merged and deduped: pages a second.
#   2. `hotich merge` of 4 shards holding 100,000 records in all, made by
#      bench/merge_gen.sh (SQL, no OCR): seconds and peak memory.
# BENCH_MERGE_RECORDS changes the 100,000.
set -u
cd "$(dirname "$0")/.." || exit 1
H=$PWD/hotich
books=$1
W=$PWD/bench/out/shards
rm -rf "$W"; mkdir -p "$W"
export HOTICH=$H
cores=$(nproc)
pages=$(find "$books" -name '*.tif' -exec tiffinfo {} \; 2>/dev/null | grep -c 'TIFF Directory')
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

one_run() {
	rm -f "$W"/one.db*
	local t0 t1
	t0=$(now)
	"$H" run --db "$W/one.db" --threads 2 "$books" >/dev/null 2>&1
	t1=$(now)
	secs "$t0" "$t1"
}

# sharded N: "OCR-SECONDS MERGE+DEDUP-SECONDS"
sharded() {
	local n=$1 threads t0 t1 t2
	threads=$((cores / n)); [ "$threads" -ge 1 ] || threads=1
	rm -rf "$W/s$n"; mkdir -p "$W/s$n/local" "$W/s$n/out"
	t0=$(now)
	# shellcheck disable=SC2016
	parallel -j "$n" "\"\$HOTICH\" run --db $W/s$n/local/{}.db --threads $threads --shard {}/$n $books >/dev/null 2>&1; mv $W/s$n/local/{}.db $W/s$n/out/{}.db" ::: $(seq "$n")
	t1=$(now)
	"$H" merge --db "$W/s$n/main.db" "$W/s$n"/out/*.db >/dev/null 2>&1
	"$H" dedup --db "$W/s$n/main.db" >/dev/null 2>&1
	t2=$(now)
	echo "$(secs "$t0" "$t1") $(secs "$t1" "$t2")"
}

echo "### Shards on this machine"
echo
if ! command -v parallel >/dev/null; then
	echo "(GNU parallel not installed: make deps installs it)"
else
	t1=$(one_run)
	echo "$pages pages ($(ls "$books"/*.tif | wc -l) books) on $cores cores. Shards: \`parallel -j N 'hotich run --db local/{}.db --threads T --shard {}/N BOOKS && mv local/{}.db out/'\`"
	echo "with T = cores / N (at least 1), then \`hotich merge\` and \`hotich dedup\` over the shards."
	echo
	echo "| how | OCR wall s | pages/s | merge + dedup s | pages/s with merge | vs one run |"
	echo "|---|---|---|---|---|---|"
	printf '| one `hotich run --threads 2` | %.1f | %.2f | - | %.2f | 1.00x |\n' "$t1" "$(echo "$pages / $t1" | bc -l)" "$(echo "$pages / $t1" | bc -l)"
	for n in 1 2 4; do
		read -r ocr mg <<<"$(sharded "$n")"
		all=$(echo "$ocr + $mg" | bc -l)
		printf '| %d shards, parallel -j %d | %.1f | %.2f | %.1f | %.2f | %.2fx |\n' "$n" "$n" "$ocr" \
			"$(echo "$pages / $ocr" | bc -l)" "$mg" "$(echo "$pages / $all" | bc -l)" "$(echo "$t1 / $all" | bc -l)"
	done
fi
echo
echo "### Merging ${BENCH_MERGE_RECORDS:-100000} records"
echo
n=${BENCH_MERGE_RECORDS:-100000}
got=$(bench/merge_gen.sh "$W/gen" 4 "$n")
rm -f "$W"/gen/main.db*
/usr/bin/time -f '%e %M' -o "$W/merge.time" "$H" merge --db "$W/gen/main.db" "$W"/gen/s[1-4].db >/dev/null 2>&1
read -r ms mk <"$W/merge.time"
fields=$(sqlite3 "$W/gen/main.db" "SELECT COUNT(*) FROM fields")
findings=$(sqlite3 "$W/gen/main.db" "SELECT COUNT(*) FROM findings")
echo "\`bench/merge_gen.sh DIR 4 $n\` (4 shares of one run, books dealt round-robin, made with SQL), then"
echo "\`hotich merge --db main.db DIR/s1.db ... DIR/s4.db\`: $got records, $fields fields, $findings findings"
echo "in $ms s, peak RSS $((mk / 1024)) MiB (/usr/bin/time)."
