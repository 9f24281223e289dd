#!/usr/bin/env bash
# make bench: measure hotich on generated books and write bench/RESULTS.md.
#
# Every number in RESULTS.md is read from this run; nothing is typed in.
#   BENCH_PAGES   pages per book in the accuracy sets (default 4)
#   BENCH_REPEAT  runs per timing, the median is reported (default 3)
#   BENCH_LONG    pages in the memory run (default 200; thousands overnight)
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
H=$TOP/hotich
EVAL=$TOP/build/bench/eval
OUT=$TOP/bench/out
RES=$TOP/bench/RESULTS.md
PAGES=${BENCH_PAGES:-4}
REPEAT=${BENCH_REPEAT:-3}
LONG=${BENCH_LONG:-200}
export HOTICH_DATA=$TOP/data
rm -rf "$OUT"; mkdir -p "$OUT"
log() { echo "bench: $*" >&2; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print a[int((NR + 1) / 2)]}'; }
# seconds CMD...: wall time of one run, to stderr-free stdout
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
# measure CMD...: "WALL CPU" of one run; CPU is user + sys of every process it ran.
measure() {
	local TIMEFORMAT='%R %U %S' out
	out=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	echo "$out" | awk '{printf "%s %.2f\n", $1, $2 + $3}'
}

# ---- 1. accuracy sets: kinds, formats, fonts, damage -------------------
# name|fixtures options (split on spaces: a font name must be one word)
SETS="ks-F-light|--kind ks --format F --damage light --books 2
ks-T-light|--kind ks --format T --damage light --books 2
kh-F-light|--kind kh --damage light --books 2
kt-F-light|--kind kt --damage light --books 2
ks-F-none-serif|--kind ks --format F --damage none --font FreeSerif
ks-F-none-sans|--kind ks --format F --damage none --font FreeSans
ks-F-heavy|--kind ks --format F --damage heavy --books 2
kh-F-heavy|--kind kh --damage heavy --books 2"

echo "| set | fixtures options | pages | records (truth) | found | automation | anomalies flagged | missing entries flagged | residual error (accepted fields) |" >"$OUT/acc.md"
echo "|---|---|---|---|---|---|---|---|---|" >>"$OUT/acc.md"
echo "| set | name | date | id | place | code | number | other |" >"$OUT/types.md"
echo "|---|---|---|---|---|---|---|---|" >>"$OUT/types.md"
seed=100
pairs=()
while IFS='|' read -r name opts; do
	seed=$((seed + 1))
	d=$OUT/$name
	log "accuracy set $name"
	# shellcheck disable=SC2086
	"$H" fixtures --out "$d" --seed $seed --pages "$PAGES" $opts >/dev/null 2>&1 || { log "fixtures failed for $name"; continue; }
	"$H" run --db "$d/hotich.db" --threads 2 "$d" >"$d/run.out" 2>&1
	"$EVAL" --db "$d/hotich.db" --truth "$d/truth.json" --json >"$d/eval.json" || continue
	pairs+=(--db "$d/hotich.db" --truth "$d/truth.json")
	python3 - "$d/eval.json" "$name" "$opts" "$PAGES" >>"$OUT/acc.md" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); name, opts, pages = sys.argv[2:5]
print(f"| {name} | `{opts}` | {pages}/book | {e['truth_records']} | {e['records_found_pct']:.1f}% | "
      f"{e['automation_pct']:.1f}% | {e['anomalies_flagged']}/{e['anomalies']} | "
      f"{e['book_anomalies_flagged']}/{e['book_anomalies']} | "
      f"{e['residual_error_pct']:.2f}% of {e['accepted_fields']} |")
PY
	python3 - "$d/eval.json" "$name" >>"$OUT/types.md" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); t = e["field_types"]
cells = [f"{t[k]['raw_exact_pct']:.1f} / {t[k]['value_exact_pct']:.1f}" if t[k]["value_n"] else "-"
         for k in ["name", "date", "id", "place", "code", "number", "other"]]
print(f"| {sys.argv[2]} | " + " | ".join(cells) + " |")
PY
done <<<"$SETS"

# Acceptance thresholds as measured on all the sets together.
"$EVAL" "${pairs[@]}" --thresholds >"$OUT/thresholds.txt" 2>&1
"$EVAL" "${pairs[@]}" --json >"$OUT/all.json" 2>&1

# ---- 2. throughput: hotich run against the tesseract CLI ---------------
log "throughput"
TP=$OUT/throughput
# Six books of equal length, so that the CLI two at a time keeps both cores busy.
"$H" fixtures --out "$TP" --seed 7 --kind all --books 2 --pages "$PAGES" --damage light >/dev/null 2>&1
npages=$(find "$TP" -name '*.tif' -exec tiffinfo {} \; 2>/dev/null | grep -c 'TIFF Directory')
run_hotich() { rm -f "$TP"/t.db*; "$H" run --db "$TP/t.db" --threads "$1" "$TP"; }
cli_default() { for f in "$TP"/*.tif; do tesseract "$f" "$TP/cli-$(basename "$f")" -l vie; done; }
cli_two() { ls "$TP"/*.tif | OMP_THREAD_LIMIT=1 xargs -P 2 -I{} sh -c 'tesseract "$1" "$1.cli" -l vie' _ {}; }
declare -A T C
for what in hotich1 hotich2 clidef cli2; do
	: >"$OUT/t-$what"
	for _ in $(seq "$REPEAT"); do
		case $what in
		hotich1) measure run_hotich 1 ;;
		hotich2) measure run_hotich 2 ;;
		clidef) measure cli_default ;;
		cli2) measure cli_two ;;
		esac >>"$OUT/t-$what"
	done
	T[$what]=$(cut -d' ' -f1 "$OUT/t-$what" | median)
	C[$what]=$(cut -d' ' -f2 "$OUT/t-$what" | median)
	log "$what: ${T[$what]} s wall, ${C[$what]} s CPU (medians of $REPEAT)"
done
# Time per stage: the stages one by one on the same pages, 2 threads, and
# inside OCR where each page's time went (pages.ms_*, from the worker).
rm -f "$TP"/s.db*
for st in ingest ocr validate dedup; do
	args=(--db "$TP/s.db"); [ "$st" = ingest ] && args+=("$TP"); [ "$st" = ocr ] && args+=(--threads 2)
	T[st_$st]=$(seconds "$H" "$st" "${args[@]}")
done
split=$(sqlite3 "$TP/s.db" "SELECT printf('%.0f|%.0f|%.0f|%.0f', avg(ocr_ms), avg(ms_pre), avg(ms_layout), avg(ms_values)) FROM pages WHERE status = 'done'")
IFS='|' read -r ms_all ms_pre ms_layout ms_values <<<"$split"

# ---- 3. memory over a long run -----------------------------------------
log "memory run over $LONG pages"
LR=$OUT/long
"$H" fixtures --out "$LR" --seed 11 --kind ks --books "$(( (LONG + 19) / 20 ))" --pages 20 --damage light >/dev/null 2>&1
rm -f "$LR"/l.db*
/usr/bin/time -f '%M' -o "$OUT/long.maxrss" "$H" run --db "$LR/l.db" --threads 2 "$LR" >"$OUT/long.out" 2>&1 &
tpid=$!
t0=$(date +%s)
echo "seconds,pages_done,rss_kib" >"$OUT/rss.csv"
# Every process below the timer: hotich run and its OCR worker.
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
while kill -0 "$tpid" 2>/dev/null; do
	sleep 5
	rss=0
	for p in $(descendants "$tpid"); do
		r=$(awk '/VmRSS/ {print $2}' /proc/"$p"/status 2>/dev/null)
		rss=$((rss + ${r:-0}))
	done
	[ "$rss" -gt 0 ] || continue	# the run has just ended
	done_pages=$(sqlite3 "$LR/l.db" "SELECT COUNT(*) FROM pages WHERE status != 'new'" 2>/dev/null || echo 0)
	echo "$(( $(date +%s) - t0 )),$done_pages,$rss" >>"$OUT/rss.csv"
done
wait "$tpid"
maxrss=$(cat "$OUT/long.maxrss" 2>/dev/null || echo 0)
long_pages=$(sqlite3 "$LR/l.db" "SELECT COUNT(*) FROM pages" 2>/dev/null || echo 0)
if command -v gnuplot >/dev/null; then
	gnuplot <<GP 2>/dev/null
set terminal pngcairo size 900,500
set output "$TOP/bench/rss.png"
set datafile separator ","
set xlabel "pages read"
set ylabel "RSS of hotich run + OCR worker (MiB)"
set title "Memory along a run of $long_pages pages (flat means no leak)"
set key off
set yrange [0:*]
plot "$OUT/rss.csv" every ::1 using 2:(\$3/1024) with linespoints
GP
fi
rss_first=$(awk -F, 'NR > 1 && $2 > 0 {print $3; exit}' "$OUT/rss.csv")
rss_last=$(awk -F, 'NR > 1 {r = $3} END {print r}' "$OUT/rss.csv")

# ---- 4. dedup ------------------------------------------------------------
dedup_md="(bench/dedup_bench.sh not present)"
if [ -x bench/dedup_bench.sh ]; then
	log "dedup"
	dedup_md=$(bench/dedup_bench.sh 2>"$OUT/dedup.err")
fi

# ---- 5. write RESULTS.md ---------------------------------------------------
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
r1() { printf '%.1f' "$1"; }
{
	echo "# Benchmark results"
	echo
	echo "Produced by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d); every number below is read from that run."
	echo "Re-run: \`make bench\` (knobs: BENCH_PAGES=$PAGES, BENCH_REPEAT=$REPEAT, BENCH_LONG=$LONG)."
	echo
	echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(tesseract --version 2>&1 | head -1), hotich $("$H" --version | cut -d' ' -f2)."
	echo
	echo "## Accuracy on generated books"
	echo
	echo "Each set: \`hotich fixtures --out DIR --seed N --pages $PAGES OPTIONS\`, then \`hotich run --threads 2 DIR\`, then"
	echo "\`build/bench/eval --db DIR/hotich.db --truth DIR/truth.json\`. Automation = records accepted without review;"
	echo "residual error = accepted (clean) fields whose value differs from the truth."
	echo
	cat "$OUT/acc.md"
	echo
	echo "Field exact-match rate per field type, raw OCR reading (lenient: case and spacing) / validated value (exact):"
	echo
	cat "$OUT/types.md"
	echo
	python3 - "$OUT/all.json" <<'PY2'
import json, sys
e = json.load(open(sys.argv[1]))
print(f"All sets together: {e['records_found']} of {e['truth_records']} records found, "
      f"automation {e['automation_pct']:.1f}%, residual error {e['residual_error_pct']:.3f}% "
      f"of {e['accepted_fields']} accepted fields, {e['anomalies_flagged']} of {e['anomalies']} "
      f"planted anomalies flagged on their field, {e['book_anomalies_flagged']} of "
      f"{e['book_anomalies']} missing entry numbers reported.")
PY2
	echo
	echo "### Acceptance thresholds"
	echo
	echo "\`build/bench/eval --db ... --truth ... --thresholds\` over every set above: per validation field type, the lowest"
	echo "OCR confidence above which at most 1 in 1,000 checked fields is wrong, how many fields that rests on, and the 95%"
	echo "upper bound on their error rate (rule of three when none is wrong: proving 0.1% needs 3,000 fields)."
	echo
	echo '```'
	cat "$OUT/thresholds.txt"
	echo '```'
	echo
	echo "## Throughput against the tesseract CLI"
	echo
	echo "Same $npages pages in 6 books (\`hotich fixtures --seed 7 --kind all --books 2 --pages $PAGES --damage light\`), back to back,"
	echo "medians of $REPEAT runs; CPU = user + sys of every process. hotich does ingest, OCR with per-field re-reads,"
	echo "validation and dedup; the CLI only recognises text."
	echo
	echo "| command | wall s | CPU s | pages/s | wall / hotich --threads 2 | CPU / hotich --threads 2 |"
	echo "|---|---|---|---|---|---|"
	for what in hotich1 hotich2 clidef cli2; do
		case $what in
		hotich1) label='`hotich run --threads 1`' ;;
		hotich2) label='`hotich run --threads 2`' ;;
		clidef) label='`tesseract BOOK out -l vie` per book, defaults' ;;
		cli2) label='`OMP_THREAD_LIMIT=1 tesseract` per book, two at a time' ;;
		esac
		echo "| $label | $(r1 "${T[$what]}") | $(r1 "${C[$what]}") | $(ratio "$npages" "${T[$what]}") | $(ratio "${T[$what]}" "${T[hotich2]}")x | $(ratio "${C[$what]}" "${C[hotich2]}")x |"
	done
	echo
	echo "Scaling efficiency 1 -> 2 threads: $(ratio "${T[hotich1]}" "$(echo "2 * ${T[hotich2]}" | bc -l)")."
	echo
	echo "Time per stage, the same pages run stage by stage (\`hotich ingest\`, \`ocr --threads 2\`, \`validate\`, \`dedup\`), one run:"
	echo
	echo "| stage | seconds |"
	echo "|---|---|"
	for st in ingest ocr validate dedup; do echo "| $st | $(printf '%.2f' "${T[st_$st]}") |"; done
	echo
	echo "Inside OCR, mean per page on one thread of the worker (pages.ocr_ms and its split): ${ms_all} ms in all;"
	echo "${ms_pre} ms preparing the image (gray, seal removal, deskew, binarisation), ${ms_layout} ms in the page pass"
	echo "(Tesseract reading every line once, labels and layout), ${ms_values} ms re-reading values (names with the"
	echo "second model, doubtful digits). The page pass is Tesseract recognising text, as the CLI does: that is the floor."
	echo
	echo "## Memory"
	echo
	echo "\`hotich run --threads 2\` over $long_pages pages: peak RSS $((maxrss / 1024)) MiB (/usr/bin/time %M);"
	echo "RSS of run + OCR worker sampled every 5 s: $((${rss_first:-0} / 1024)) MiB after the first pages, $((${rss_last:-0} / 1024)) MiB at the last sample (bench/rss.png)."
	echo
	echo "![RSS along the run](rss.png)"
	echo
	echo "## Dedup"
	echo
	echo "$dedup_md"
} >"$RES"
log "wrote $RES"
