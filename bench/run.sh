#!/usr/bin/env bash
# make bench: measure hotich on generated books and write bench/RESULTS.md.
#
# Every number in RESULTS.md is read from this run; nothing is typed in.
#   BENCH_PAGES   pages per book in the accuracy sets (default 5)
#   BENCH_REPEAT  runs per timing, the median is reported (default 3)
#   BENCH_LONG    pages in the memory run (default 2000)
#   BENCH_DEDUP=0 skips the dedup benchmarks (for a quick try of the script)
#   BENCH_TP_PAGES pages per book in the throughput set of six books (default 25)
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
H=$TOP/hotich
EVAL=$TOP/build/bench/eval
LIMIT=$TOP/build/bench/limit
OUT=$TOP/bench/out
RES=$TOP/bench/RESULTS.md
PAGES=${BENCH_PAGES:-5}
REPEAT=${BENCH_REPEAT:-3}
LONG=${BENCH_LONG:-2000}
TP_PAGES=${BENCH_TP_PAGES:-25}
export HOTICH_DATA=$TOP/data
rm -rf "$OUT"; mkdir -p "$OUT"
log() { echo "bench: $*" >&2; }

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
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

echo "| set | fixtures options | pages | records (truth) | found | automation | anomalies flagged | missing entries flagged | residual error (accepted fields) | fields passed, wrong among them |" >"$OUT/acc.md"
echo "|---|---|---|---|---|---|---|---|---|---|" >>"$OUT/acc.md"
echo "| set | name | date | id | place | code | number | other |" >"$OUT/types.md"
echo "|---|---|---|---|---|---|---|---|" >>"$OUT/types.md"
seed=100
pairs=()
calib=()
while IFS='|' read -r name opts; do
	seed=$((seed + 1))
	d=$OUT/$name
	log "accuracy set $name"
	# shellcheck disable=SC2086
	"$H" fixtures --out "$d" --seed $seed --pages "$PAGES" $opts >/dev/null 2>&1 || { log "fixtures failed for $name"; continue; }
	"$H" run --db "$d/hotich.db" --threads 2 "$d" >"$d/run.out" 2>&1
	"$EVAL" --db "$d/hotich.db" --truth "$d/truth.json" --json >"$d/eval.json" || continue
	pairs+=(--db "$d/hotich.db" --truth "$d/truth.json")
	calib+=("$d/hotich.db" "$d/truth.json")
	python3 - "$d/eval.json" "$name" "$opts" "$PAGES" >>"$OUT/acc.md" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); name, opts, pages = sys.argv[2:5]
print(f"| {name} | `{opts}` | {pages}/book | {e['truth_records']} | {e['records_found_pct']:.1f}% | "
      f"{e['automation_pct']:.1f}% | {e['anomalies_flagged']}/{e['anomalies']} | "
      f"{e['book_anomalies_flagged']}/{e['book_anomalies']} | "
      f"{e['residual_error_pct']:.2f}% of {e['accepted_fields']} | "
      f"{e['passed_wrong']} of {e['passed_fields']} |")
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
# Calibration of p (validate/accept.c): our sets, and the sample books from
# another hand when they are here (never fitted on).
python3 "$TOP/bench/calibration.py" --md "${calib[@]}" >"$OUT/calibration.md" 2>&1
SAMPLE=$TOP/../shared/bench-data/registers
if [ -f "$SAMPLE/truth.json" ]; then
	log "calibration on the sample books"
	mkdir -p "$OUT/sample"
	"$H" run --db "$OUT/sample/hotich.db" --threads 2 "$SAMPLE"/*.tif >"$OUT/sample/run.out" 2>&1
	python3 "$TOP/bench/calibration.py" --md "$OUT/sample/hotich.db" "$SAMPLE/truth.json" \
		>"$OUT/calibration-sample.md" 2>&1
fi

# The acceptance model refit from its training books (bench/accept_data.sh,
# cached in build/accept/, re-validated by this binary): leave-one-font-out,
# and whether the refit is the model the program ships.
log "acceptance model: leave-one-font-out refit"
bash "$TOP/bench/accept_data.sh" "$H" >"$OUT/accept_data.log" 2>&1
for d in "$TOP"/build/accept/*/; do
	"$H" validate --db "$d/h.db" --all >/dev/null 2>&1
done
python3 "$TOP/bench/accept_fit.py" --out "$OUT/accept_model.tsv" "$TOP"/build/accept/*/ \
	>"$OUT/accept_fit.txt" 2>&1
if diff -q <(grep -v '^#' "$OUT/accept_model.tsv") <(grep -v '^#' "$TOP/data/accept_model.tsv") >/dev/null; then
	echo "The refit is data/accept_model.tsv, coefficient for coefficient." >"$OUT/accept_same.txt"
else
	echo "The refit differs from data/accept_model.tsv (the shipped model was fitted from other data or code)." \
		>"$OUT/accept_same.txt"
fi

# Reading across faces, resolutions and storage modes of our own books.
log "reading grid"
bash "$TOP/bench/grid.sh" "$H" "$EVAL" "$OUT/grid" "$PAGES" >"$OUT/grid.md" 2>&1

# The sample books scored per book and in total, and timed against the CLI.
log "sample books from another hand"
bash "$TOP/bench/sample.sh" "$H" "$OUT/sample-score" "$REPEAT" >"$OUT/sample.md" 2>&1

# ---- 2. throughput: hotich run against the tesseract CLI ---------------
log "throughput"
# Six books of TP_PAGES pages, one per format, font and damage level, so
# that the CLI two at a time keeps both cores busy to the end.
TP=$OUT/throughput
mkdir -p "$TP"
TPSETS="ks-F-light|--kind ks --format F --damage light
ks-T-light|--kind ks --format T --damage light
kh-F-heavy|--kind kh --damage heavy
kt-F-serif|--kind kt --damage light --font FreeSerif
ks-F-sans|--kind ks --format F --damage none --font FreeSans
kh-F-light|--kind kh --damage light"
seed=700
while IFS='|' read -r name opts; do
	seed=$((seed + 1))
	# shellcheck disable=SC2086
	"$H" fixtures --out "$OUT/tp-$name" --seed $seed --books 1 --pages "$TP_PAGES" $opts >/dev/null 2>&1
	for f in "$OUT/tp-$name"/*.tif; do mv "$f" "$TP/$name-$(basename "$f")"; done
done <<<"$TPSETS"
# The CLI with its defaults is ~7x slower: it runs on a smaller set of 24
# pages, against hotich on the same 24.
SM=$OUT/small
"$H" fixtures --out "$SM" --seed 7 --kind all --books 2 --pages 4 --damage light >/dev/null 2>&1
count_pages() { find "$1" -name '*.tif' -exec tiffinfo {} \; 2>/dev/null | grep -c 'TIFF Directory'; }
npages=$(count_pages "$TP")
smpages=$(count_pages "$SM")
run_hotich() { rm -f "$1"/t.db*; "$H" run --db "$1/t.db" --threads "$2" "$1"; }
# The same without ocr/interpose.c (Tesseract's one-thread OpenMP teams and
# PNG round trips paid in full, as the CLI pays them).
run_hotich_plain() { HOTICH_INTERPOSE=0 run_hotich "$@"; }
cli_default() { for f in "$1"/*.tif; do tesseract "$f" "$f.cli" -l vie; done; }
# Each book's CPU time is kept beside it (FILE.time) for the per-format table.
cli_two() { ls "$1"/*.tif | OMP_THREAD_LIMIT=1 xargs -P 2 -I{} sh -c '/usr/bin/time -o "$1.time" -f "%U %S" tesseract "$1" "$1.cli" -l vie' _ {}; }
# Interleaved rounds, so that the machine's mood falls on every command alike.
for what in hotich1 hotich2 cli2 smhotich2 smplain2 smclidef; do : >"$OUT/t-$what"; done
for r in $(seq "$REPEAT"); do
	log "throughput round $r of $REPEAT"
	measure run_hotich "$TP" 2 >>"$OUT/t-hotich2"
	measure cli_two "$TP" >>"$OUT/t-cli2"
	measure run_hotich "$TP" 1 >>"$OUT/t-hotich1"
	measure run_hotich "$SM" 2 >>"$OUT/t-smhotich2"
	measure run_hotich_plain "$SM" 2 >>"$OUT/t-smplain2"
	measure cli_default "$SM" >>"$OUT/t-smclidef"
done
declare -A T C
for what in hotich1 hotich2 cli2 smhotich2 smplain2 smclidef; do
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
# Per book (one format, font and damage level each): the CLI's CPU seconds
# (last round) against hotich's OCR seconds on one thread of the worker.
: >"$OUT/perbook.md"
for f in "$TP"/*.tif; do
	b=$(basename "$f")
	cli_cpu=$(awk '{printf "%.1f", $1 + $2}' "$f.time" 2>/dev/null)
	hot=$(sqlite3 "$TP/s.db" "SELECT printf('%.1f|%d', SUM(p.ocr_ms) / 1000.0, COUNT(*)) FROM pages p JOIN books k ON k.id = p.book_id WHERE k.name = '$b' AND p.status IN ('done', 'blank')")
	IFS='|' read -r hot_s hot_pages <<<"$hot"
	echo "| ${b%%-k[hst]-01.tif} | $hot_pages | ${cli_cpu:-?} | $hot_s | $(ratio "${cli_cpu:-0}" "${hot_s:-1}")x |" >>"$OUT/perbook.md"
done
# The limit: Tesseract alone reading the value regions hotich found, one
# thread, no preprocessing, layout or labels.
log "limit: tesseract on the values alone"
read -r _ lim_pages _ lim_fields _ lim_s <<<"$("$LIMIT" --db "$TP/s.db")"

# ---- 3. memory over a long run -----------------------------------------
log "memory run over $LONG pages"
LR=$OUT/long
# Two generators at once (one per core): books of 20 pages, light damage.
lbooks=$(( (LONG + 39) / 40 ))
"$H" fixtures --out "$LR/a" --seed 11 --kind ks --books "$lbooks" --pages 20 --damage light >/dev/null 2>&1 &
"$H" fixtures --out "$LR/b" --seed 12 --kind kh --books "$lbooks" --pages 20 --damage light >/dev/null 2>&1
wait
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
long_s=$(( $(date +%s) - t0 ))
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
# Samples taken after the last page (the worker gone, the run writing its
# summary) say nothing of the reading: the last one and the slope skip them.
rss_last=$(awk -F, -v n="$LONG" 'NR > 1 && $2 < n {r = $3} END {print r}' "$OUT/rss.csv")
# Least-squares slope of RSS against pages read, after the first tenth of
# the run (engines loading): MiB per 1000 pages.  Near 0 means flat.
rss_slope=$(awk -F, -v n="$LONG" 'NR > 1 && $2 > n / 10 && $2 < n {k++; sx += $2; sy += $3; sxx += $2 * $2; sxy += $2 * $3}
	END {d = k * sxx - sx * sx; if (k < 3 || d == 0) print "n/a"; else printf "%.1f", (k * sxy - sx * sy) / d * 1000 / 1024}' "$OUT/rss.csv")

# ---- 4. dedup ------------------------------------------------------------
dedup_md="(bench/dedup_bench.sh not present)"
if [ "${BENCH_DEDUP:-1}" = 0 ]; then
	dedup_md="(skipped: BENCH_DEDUP=0)"
elif [ -x bench/dedup_bench.sh ]; then
	log "dedup"
	dedup_md=$(bench/dedup_bench.sh 2>"$OUT/dedup.err")
fi

# ---- 4b. shards and merge -------------------------------------------------
log "shards through GNU parallel, and the merge of 100,000 records"
shard_md=$(bench/shard_bench.sh "$TP" 2>"$OUT/shard.err")

# ---- 5. write RESULTS.md ---------------------------------------------------
r1() { printf '%.1f' "$1"; }
{
	echo "# Benchmark results"
	echo
	echo "Produced by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d); every number below is read from that run."
	echo "Re-run: \`make bench\` (knobs: BENCH_PAGES=$PAGES, BENCH_TP_PAGES=$TP_PAGES, BENCH_REPEAT=$REPEAT, BENCH_LONG=$LONG)."
	echo
	echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(tesseract --version 2>&1 | head -1), hotich $("$H" --version | cut -d' ' -f2)."
	echo
	echo "## Accuracy on generated books"
	echo
	echo "Each set: \`hotich fixtures --out DIR --seed N --pages $PAGES OPTIONS\`, then \`hotich run --threads 2 DIR\`, then"
	echo "\`build/bench/eval --db DIR/hotich.db --truth DIR/truth.json\`. Automation = records accepted without review;"
	echo "residual error = accepted (clean) fields whose value differs from the truth; fields passed = fields, in any"
	echo "record, that carry no warning of their own (a record goes to review when any field does)."
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
print()
n, w = e['passed_fields'], e['passed_wrong']
bound = 300.0 / n if w == 0 and n else 0
print(f"Fields that passed (no warning of their own, shown to the supervisor as read): {n}, of which "
      f"{w} wrong ({e['passed_error_pct']:.3f}%" + (f"; 95% upper bound {bound:.2f}% by the rule of three)." if w == 0 and n else ")."))
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
	echo "### Calibration of p"
	echo
	echo "\`bench/calibration.py\`: each field's probability of being right (validate/accept.c, data/accept_model.tsv,"
	echo "fitted by bench/accept_fit.py on other generated books) against what was found, per decile of p."
	echo
	cat "$OUT/calibration.md"
	if [ -f "$OUT/calibration-sample.md" ]; then
		echo "On the sample books (\`../shared/bench-data/registers\`, never used for fitting):"
		echo
		cat "$OUT/calibration-sample.md"
	fi
	echo
	echo "### The acceptance model, fitted without each face in turn"
	echo
	echo "\`bench/accept_data.sh\` (generated books over every kind, format, damage level, resolution down to"
	echo "150 dpi bilevel and the generator's faces; never the sample), \`hotich validate --all\` on each, then"
	echo "\`bench/accept_fit.py --out bench/out/accept_model.tsv build/accept/*/\`: per face, the fields of that face"
	echo "accepted by a model fitted on the others, the wrong among them and the wrong the model expected."
	cat "$OUT/accept_same.txt"
	echo
	echo '```'
	grep -v '^wrote ' "$OUT/accept_fit.txt"
	echo '```'
	echo
	echo "### Reading across faces, resolutions and storage modes"
	echo
	echo "\`bench/grid.sh\`: one ks book of $PAGES pages per row (\`hotich fixtures --kind ks --damage light\` with the"
	echo "row's options), \`hotich run\`, \`build/bench/eval\`; validated values equal to the truth. Faces marked unseen are"
	echo "not among the generator's defaults; nothing in the reading is fitted to a face, so every row is held out."
	echo
	cat "$OUT/grid.md"
	echo
	echo "## The sample books from another hand"
	echo
	echo "\`bench/sample.sh\` on \`../shared/bench-data/registers\` (8 books, 35 pages, 122 records; never fitted on)."
	echo
	cat "$OUT/sample.md"
	echo
	echo "## Throughput against the tesseract CLI"
	echo
	echo "Same $npages pages in 6 books of $TP_PAGES pages (\`hotich fixtures --books 1 --pages $TP_PAGES\` with, one book each:"
	echo "$(echo "$TPSETS" | sed 's/^\([^|]*\)|\(.*\)$/`\2`/' | paste -sd';' | sed 's/;/; /g')), back to back in"
	echo "$REPEAT interleaved rounds, medians; CPU = user + sys of every process. hotich does ingest, OCR with per-field"
	echo "re-reads, validation and dedup; the CLI only recognises text."
	echo
	echo "| command | pages | wall s | CPU s | pages/s | wall / hotich --threads 2 | CPU / hotich --threads 2 |"
	echo "|---|---|---|---|---|---|---|"
	for what in hotich2 hotich1 cli2; do
		case $what in
		hotich1) label='`hotich run --threads 1`' ;;
		hotich2) label='`hotich run --threads 2`' ;;
		cli2) label='`OMP_THREAD_LIMIT=1 tesseract BOOK out -l vie` per book, two at a time' ;;
		esac
		echo "| $label | $npages | $(r1 "${T[$what]}") | $(r1 "${C[$what]}") | $(ratio "$npages" "${T[$what]}") | $(ratio "${T[$what]}" "${T[hotich2]}")x | $(ratio "${C[$what]}" "${C[hotich2]}")x |"
	done
	echo "| \`hotich run --threads 2\` | $smpages | $(r1 "${T[smhotich2]}") | $(r1 "${C[smhotich2]}") | $(ratio "$smpages" "${T[smhotich2]}") | 1.00x | 1.00x |"
	echo "| \`HOTICH_INTERPOSE=0 hotich run --threads 2\` (ocr/interpose.c off) | $smpages | $(r1 "${T[smplain2]}") | $(r1 "${C[smplain2]}") | $(ratio "$smpages" "${T[smplain2]}") | $(ratio "${T[smplain2]}" "${T[smhotich2]}")x | $(ratio "${C[smplain2]}" "${C[smhotich2]}")x |"
	echo "| \`tesseract BOOK out -l vie\` per book, defaults | $smpages | $(r1 "${T[smclidef]}") | $(r1 "${C[smclidef]}") | $(ratio "$smpages" "${T[smclidef]}") | $(ratio "${T[smclidef]}" "${T[smhotich2]}")x | $(ratio "${C[smclidef]}" "${C[smhotich2]}")x |"
	echo
	echo "The last three rows: 24 pages (\`hotich fixtures --seed 7 --kind all --books 2 --pages 4 --damage light\`), since the"
	echo "CLI with its defaults (four OpenMP threads a page on two cores) is too slow for the large set."
	echo
	echo "Per book, CPU seconds of the CLI (last round, \`/usr/bin/time\` of each \`tesseract\`) against hotich's OCR on"
	echo "one thread of the worker (sum of pages.ocr_ms, from the stage-by-stage run below; ingest, validation and dedup"
	echo "come on top, see the stage table):"
	echo
	echo "| book | pages | CLI CPU s | hotich OCR s | CLI / hotich |"
	echo "|---|---|---|---|---|"
	cat "$OUT/perbook.md"
	echo
	echo "The CLI two at a time against hotich --threads 2: $(ratio "${T[cli2]}" "${T[hotich2]}") of hotich's wall time (above 1.00 means hotich is faster)."
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
	echo "second model, doubtful digits)."
	echo
	echo "### What the limit is"
	echo
	echo "\`build/bench/limit --db DB\` on the same pages: Tesseract alone (one thread, vie model) reading only the value"
	echo "regions hotich found ($lim_fields regions on $lim_pages pages), each clipped from the stored scan with a white frame,"
	echo "no preprocessing, no layout, no labels (ocr/interpose.c on, as in hotich). Recognition time only: $(r1 "$lim_s") s, $(printf '%.0f' "$(echo "1000 * $lim_s / $lim_pages" | bc -l)") ms a page."
	echo "The whole pipeline on one thread (\`hotich run --threads 1\`, CPU): $(printf '%.0f' "$(echo "1000 * ${C[hotich1]} / $npages" | bc -l)") ms a page,"
	echo "so recognising the values themselves is $(printf '%.0f' "$(echo "100 * $lim_s / ${C[hotich1]}" | bc -l)")% of hotich's time; the rest is finding"
	echo "the lines and reading the labels that say which value is which (the page pass), preparing the image, second"
	echo "readings, and checking."
	echo
	echo "## Memory"
	echo
	echo "\`hotich run --threads 2\` over $long_pages pages ($(r1 "$long_s") s, $(ratio "$long_pages" "$long_s") pages/s): peak RSS of \`hotich run\` $((maxrss / 1024)) MiB (/usr/bin/time %M);"
	echo "RSS of run + OCR worker sampled every 5 s: $((${rss_first:-0} / 1024)) MiB after the first pages, $((${rss_last:-0} / 1024)) MiB at the last sample;"
	echo "slope after the first tenth of the run: $rss_slope MiB per 1000 pages (bench/rss.png)."
	echo
	echo "![RSS along the run](rss.png)"
	echo
	echo "## Dedup"
	echo
	echo "$dedup_md"
	echo
	echo "## Beyond one machine: shards and merge"
	echo
	echo "$shard_md"
} >"$RES"
log "wrote $RES"
