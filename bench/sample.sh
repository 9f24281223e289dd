#!/usr/bin/env bash
# The sample books from another hand (../shared/bench-data/registers): read
# and scored exactly as the README there says, per book and in total, and
# timed against what a user would otherwise script (the tesseract CLI on
# the same pages split one page a file, OMP_THREAD_LIMIT=1, two at a time).
# Never used to fit anything.  Writes Markdown to stdout; skips, saying so,
# when the sample is absent.
#   bench/sample.sh HOTICH OUTDIR [ROUNDS]
set -u
H=$1
OUT=$2
ROUNDS=${3:-3}
TOP=$(cd "$(dirname "$0")/.." && pwd)
S=$TOP/../shared/bench-data/registers
T=$TOP/../shared/tools
if [ ! -f "$S/truth.json" ] || [ ! -x "$T/score_registers.py" ] && [ ! -f "$T/score_registers.py" ]; then
	echo "(skipped: the sample books are not in ../shared/bench-data/registers)"
	exit 0
fi
mkdir -p "$OUT"
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print a[int((NR + 1) / 2)]}'; }
now() { date +%s.%N; }

# One scored run: import the existing records, run, export, list the queue.
scored_run() {
	local d=$1
	rm -rf "$d"
	mkdir -p "$d"
	"$H" import-existing --db "$d/h.db" --kind ks "$S/existing.csv" >/dev/null 2>&1
	"$H" run --db "$d/h.db" --threads 2 "$S"/*.tif >"$d/run.out" 2>"$d/run.err"
	for k in ks kh kt; do
		"$H" export --db "$d/h.db" --kind "$k" --format ndjson --out "$d/export-$k.ndjson" >/dev/null 2>&1
	done
	"$H" review --db "$d/h.db" --list >"$d/review.ndjson" 2>/dev/null
}
scored_run "$OUT/run"

# Per book: the truth cut to that book, both scripts on it.
python3 - "$S/truth.json" "$OUT" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
for b in t["books"]:
    json.dump({"books": [b]}, open(f"{sys.argv[2]}/truth-{b['file']}.json", "w"), ensure_ascii=False)
PY
score() {	# TRUTH -> "records lost phantoms automation residual right touch silent false-alarms gaps"
	local reg fld
	reg=$(python3 "$T/score_registers.py" "$1" "$OUT/run/review.ndjson" "$OUT"/run/export-*.ndjson 2>/dev/null)
	fld=$(python3 "$T/score_fields.py" "$1" "$OUT/run/review.ndjson" "$OUT"/run/export-*.ndjson 2>/dev/null | tail -1)
	get() { echo "$reg" | sed -n "s/^$1: //p" | head -1; }
	fget() { echo "$fld" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$(get records)" "$(get lost)" \
		"$(( $(get phantom_exported) + $(get phantom_queued) ))" "$(get automation_rate)" \
		"$(get residual_field_error_rate)" "$(fget right)" "$(fget touch_rate)" \
		"$(fget silent_error_rate)" "$(fget false_alarm_share)" \
		"$(get missing_entries_reported)/$(get missing_entries)" "$(get false_gap_reports)"
}
pct() { case "$1" in ''|None) echo "-" ;; *) awk -v v="$1" 'BEGIN {printf "%.1f%%", 100 * v}' ;; esac; }
row() {
	IFS='|' read -r rec lost ph auto res right touch silent fa miss gaps <<<"$2"
	# Against one book's truth every other book's record is a phantom: only the total says.
	[ "${3:-}" = all ] || ph=-
	echo "| $1 | $rec | $lost | $ph | $(pct "$right") | $(pct "$auto") | $(pct "$res") | $(pct "$touch") | $(pct "$silent") | $(pct "$fa") | $miss | $gaps |"
}
echo "Scored with \`../shared/tools/score_registers.py\` and \`score_fields.py\` after"
echo "\`hotich import-existing --kind ks existing.csv; hotich run --threads 2 *.tif; hotich export --format ndjson\` (each kind) and"
echo "\`hotich review --list\`, as the sample's README says. Right = fields whose value equals the truth; touch = fields flagged;"
echo "silent = wrong among passed fields; false alarms = right among flagged."
echo
echo "| book | records | lost | phantoms | fields right | automation | residual error | touch rate | silent errors | false alarms | missing entries reported | false gap reports |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for f in "$S"/*.tif; do
	b=$(basename "$f")
	row "$b" "$(score "$OUT/truth-$b.json")"
done
row "**all**" "$(score "$S/truth.json")" all
echo
python3 "$T/score_fields.py" "$S/truth.json" "$OUT/run/review.ndjson" "$OUT"/run/export-*.ndjson 2>/dev/null |
	sed -n '/^type/,/^all/p' | sed 's/^/    /'
echo

# Speed: the CLI on single pages, two at a time, against hotich run.
pages=$OUT/pages
rm -rf "$pages"
mkdir -p "$pages"
for f in "$S"/*.tif; do tiffsplit "$f" "$pages/$(basename "$f" .tif)-" >/dev/null 2>&1; done
np=$(ls "$pages" | wc -l)
cli() { ls "$pages"/*.tif | OMP_THREAD_LIMIT=1 xargs -P 2 -I{} tesseract {} {}.out -l vie >/dev/null 2>&1; }
hot() { rm -f "$OUT"/t.db*; "$H" run --db "$OUT/t.db" --threads 2 "$S"/*.tif >/dev/null 2>&1; }
for r in $(seq "$ROUNDS"); do
	t0=$(now); cli; t1=$(now); hot; t2=$(now)
	echo "$t1 - $t0" | bc -l >>"$OUT/cli.t"
	echo "$t2 - $t1" | bc -l >>"$OUT/hot.t"
done
tc=$(median <"$OUT/cli.t"); th=$(median <"$OUT/hot.t")
echo "Speed on the same $np pages, $ROUNDS interleaved rounds, median wall seconds:"
echo "\`tiffsplit\` then \`tesseract PAGE out -l vie\` with \`OMP_THREAD_LIMIT=1\` two at a time (\`xargs -P 2\`): $(printf '%.1f' "$tc") s;"
echo "\`hotich run --threads 2\` (ingest, OCR, validation, dedup): $(printf '%.1f' "$th") s,"
echo "$(printf '%.2f' "$(echo "$th / $tc" | bc -l)")x the CLI's wall time."
