#!/bin/bash
# Labelled fields for the acceptance model (validate/accept.c): generated
# books read by hotich, cached under build/accept/ so a refit re-validates
# (cheap) instead of re-reading (OCR).  About 440 pages over every kind,
# format, damage level, resolution down to 150 dpi bilevel (where marks
# break first) and the generator's fonts.  Never the sample books.
#
#   bench/accept_data.sh [HOTICH]      -> build/accept/<set>/{truth.json,h.db}
set -u
H=${1:-./hotich}
OUT=build/accept
mkdir -p "$OUT"
# name|seed|fixtures options
SETS="all-light|601|--kind all --books 3 --pages 4 --damage light
all-heavy|602|--kind all --books 3 --pages 4 --damage heavy
ks-T-light|603|--kind ks --format T --books 3 --pages 4 --damage light
all-none|604|--kind all --books 2 --pages 4 --damage none
ks-mixed-heavy|605|--kind ks --format mixed --books 4 --pages 4 --damage heavy
all-light2|606|--kind all --books 2 --pages 4 --damage light
all-light3|607|--kind all --books 3 --pages 4 --damage light
all-heavy2|608|--kind all --books 3 --pages 4 --damage heavy
ks-T-heavy|609|--kind ks --format T --books 3 --pages 4 --damage heavy
kh-light|610|--kind kh --books 3 --pages 4 --damage light
kt-light|611|--kind kt --books 3 --pages 4 --damage light
ks-mixed-light|612|--kind ks --format mixed --books 4 --pages 4 --damage light
ks-T-200-g4|613|--kind ks --format T --books 3 --pages 4 --damage light --dpi 200 --compression g4
all-200-g4|614|--kind all --books 2 --pages 4 --damage light --dpi 200 --compression g4
all-150-g4|615|--kind all --books 2 --pages 4 --damage light --dpi 150 --compression g4
ks-mixed-240|616|--kind ks --format mixed --books 3 --pages 4 --damage light --dpi 240"
echo "$SETS" | while IFS='|' read -r name seed opts; do
	d="$OUT/$name"
	[ -f "$d/done" ] && continue
	rm -rf "$d"
	mkdir -p "$d"
	# shellcheck disable=SC2086
	"$H" fixtures --out "$d/books" --seed "$seed" $opts >/dev/null || { echo "fixtures failed: $name" >&2; continue; }
	mv "$d/books/truth.json" "$d/truth.json"
	nice "$H" run --db "$d/h.db" --threads 2 "$d/books" >"$d/run.out" 2>"$d/run.err"
	rc=$?
	[ $rc -le 3 ] && touch "$d/done"
	echo "$name: rc $rc, $(tail -1 "$d/run.err")"
done
