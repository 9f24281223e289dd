#!/usr/bin/env bash
# Reading accuracy of our own generator's books across the variation the
# spec allows: per font family (the generator's and faces it never uses by
# default), per resolution and per storage mode.  Nothing in the reading is
# fitted to a face, so each row is held out by construction; the
# acceptance model's own leave-one-font-out is bench/accept_fit.py's.
# Writes a Markdown table to stdout.
#   bench/grid.sh HOTICH EVAL OUTDIR [PAGES]
set -u
H=$1
EVAL=$2
OUT=$3
PAGES=${4:-2}
mkdir -p "$OUT"
# name|fixtures options
CELLS="DejaVu Serif|--font DejaVu_Serif
DejaVu Sans|--font DejaVu_Sans
Liberation Serif|--font Liberation_Serif
Liberation Sans|--font Liberation_Sans
FreeSerif|--font FreeSerif
FreeSans|--font FreeSans
Noto Serif|--font Noto_Serif
Noto Sans|--font Noto_Sans
Nimbus Roman (unseen)|--font Nimbus_Roman
Nimbus Sans (unseen)|--font Nimbus_Sans
DejaVu Serif Condensed (unseen)|--font DejaVu_Serif_Condensed
table: FreeMono|--format T --font FreeMono
table: Liberation Mono|--format T --font Liberation_Mono
table: DejaVu Sans Mono|--format T --font DejaVu_Sans_Mono
table: Nimbus Mono PS (unseen)|--format T --font Nimbus_Mono_PS
150 dpi bilevel G4|--dpi 150 --compression g4
200 dpi bilevel G4|--dpi 200 --compression g4
300 dpi bilevel G4|--dpi 300 --compression g4
400 dpi bilevel G4|--dpi 400 --compression g4
150 dpi gray|--dpi 150 --compression lzw
200 dpi gray|--dpi 200 --compression lzw
400 dpi gray|--dpi 400 --compression lzw
300 dpi JPEG|--dpi 300 --compression jpeg
table: 200 dpi bilevel G4|--format T --dpi 200 --compression g4"
echo "| books | records found | names | dates | places | codes | numbers | all fields |"
echo "|---|---|---|---|---|---|---|---|"
seed=700
while IFS='|' read -r name opts; do
	seed=$((seed + 1))
	d=$OUT/$seed
	rm -rf "$d"
	# Font names travel with _ for spaces through the option list.
	# shellcheck disable=SC2086
	set -- $opts
	args=()
	for a in "$@"; do args+=("${a//_/ }"); done
	"$H" fixtures --out "$d" --seed "$seed" --kind ks --pages "$PAGES" --damage light "${args[@]}" \
		>/dev/null 2>&1 || { echo "| $name | fixtures failed | | | | | | |"; continue; }
	"$H" run --db "$d/h.db" --threads 2 "$d" >/dev/null 2>&1
	"$EVAL" --db "$d/h.db" --truth "$d/truth.json" --json >"$d/eval.json" 2>/dev/null || continue
	python3 - "$d/eval.json" "$name" "$opts" <<'PY'
import json, sys
e = json.load(open(sys.argv[1])); t = e["field_types"]
def cell(k):
    return f"{t[k]['value_exact_pct']:.1f}%" if t.get(k, {}).get("value_n") else "-"
n = sum(t[k]["value_n"] for k in t)
right = sum(t[k]["value_n"] * t[k]["value_exact_pct"] / 100 for k in t)
print(f"| {sys.argv[2]} (`{sys.argv[3].replace('_', ' ')}`) | {e['records_found_pct']:.1f}% | {cell('name')} | "
      f"{cell('date')} | {cell('place')} | {cell('code')} | {cell('number')} | {100 * right / max(n, 1):.1f}% |")
PY
done <<<"$CELLS"
