#!/usr/bin/env bash
# hotich fixtures: files, TIFF structure (tiffinfo), compression as asked,
# truth.json facts, determinism, and that the text is readable (tesseract).
. "$(dirname "$0")/lib.sh"
cd "$T"

check "fixtures --help lists options and examples" bash -c \
	"'$HOTICH' fixtures --help | grep -q -- '--compression' && '$HOTICH' fixtures --help | grep -q '^Examples'"
check_exit "fixtures without --out exits 2" 2 "$HOTICH" fixtures
check_exit "fixtures with an unknown kind exits 2" 2 "$HOTICH" fixtures --out x --kind kx
check_exit "format T for marriage books exits 2" 2 "$HOTICH" fixtures --out x --kind kh --format T
check_exit "fixtures with a bad dpi exits 2" 2 "$HOTICH" fixtures --out x --dpi 5

# jq-free JSON look-ups: python3 when present, else skip those checks.
have_py=0
command -v python3 >/dev/null && have_py=1
py() { python3 -c "import json,sys; t=json.load(open('$1')); $2"; }

check_exit "default book renders" 0 "$HOTICH" fixtures --out d --pages 3
check "default book: ks-01.tif and truth.json" test -s d/ks-01.tif -a -s d/truth.json
if command -v tiffinfo >/dev/null; then
	tiffinfo d/ks-01.tif >info 2>&1
	check "default book has 3 TIFF pages" [ "$(grep -c '^TIFF Directory' info)" -eq 3 ]
	check "default book is 8-bit gray at 300 dpi" bash -c \
		"grep -q 'Bits/Sample: 8' info && grep -q 'min-is-black' info && grep -q 'Resolution: 300, 300' info"
	for c in g4:'CCITT Group 4' lzw:'LZW' deflate:'Deflate' jpeg:'JPEG' none:'None'; do
		name=${c%%:*} want=${c#*:}
		"$HOTICH" fixtures --out "c-$name" --pages 1 --dpi 100 --compression "$name" >/dev/null 2>&1
		tiffinfo "c-$name/ks-01.tif" >"info-$name" 2>&1
		check "compression $name written as asked" grep -q "Compression Scheme: .*$want" "info-$name"
	done
	check "g4 pages are 1-bit" grep -q 'Bits/Sample: 1' info-g4
	check "jpeg pages are RGB" grep -q 'Samples/Pixel: 3' info-jpeg
else
	skip "tiffinfo not installed (libtiff-tools)"
fi

"$HOTICH" fixtures --out big --pages 2 --dpi 100 --bigtiff >/dev/null 2>&1
check "--bigtiff writes a BigTIFF header" bash -c "[ \"\$(head -c 4 big/ks-01.tif | od -An -tx1 | tr -d ' ')\" = 49492b00 ]"

# Determinism: the same arguments give the same bytes.
"$HOTICH" fixtures --out s1 --kind kt --pages 2 --dpi 100 --seed 9 >/dev/null 2>&1
"$HOTICH" fixtures --out s2 --kind kt --pages 2 --dpi 100 --seed 9 >/dev/null 2>&1
check "same seed, same book" cmp -s s1/kt-01.tif s2/kt-01.tif
check "same seed, same truth" cmp -s s1/truth.json s2/truth.json

# Heavy damage over several books: blank and upside-down pages reported,
# blank pages hold no records, all three kinds, existing CSVs.
check_exit "heavy books render" 0 "$HOTICH" fixtures --out h --kind all --books 2 --pages 4 \
	--damage heavy --dpi 72 --seed 2 --existing --png
if [ $have_py = 1 ]; then
	check "truth lists every book file" py h/truth.json \
		"import os; sys.exit(not all(os.path.exists('h/'+b['file']) for b in t['books']) or len(t['books']) != 6)"
	check "a blank page is reported and holds no records" py h/truth.json \
		"bl=[p for p in t['pages'] if p['blank']]; sys.exit(not bl or any(p['records'] for p in bl))"
	check "an upside-down page is reported" py h/truth.json \
		"sys.exit(not any(p['upside_down'] for p in t['pages']))"
	check "existing CSVs are CRLF; ks has an STT column" bash -c \
		"head -1 h/existing-kh.csv | grep -q \$'^so,quyenSo,.*\r\$' && head -1 h/existing-ks.csv | grep -q '^STT,so,'"
	for k in ks kh kt; do
		check_exit "import-existing takes existing-$k.csv" 0 "$HOTICH" import-existing --db h/db --kind $k h/existing-$k.csv
	done
	check "duplicates name their existing row" py h/truth.json \
		"sys.exit(not t['duplicates'] or not all(d['stt'] for d in t['duplicates']))"
	# a blank page's PNG is one colour of paper: tesseract finds no words
	blank=$(python3 -c "import json; t=json.load(open('h/truth.json')); p=[p for p in t['pages'] if p['blank']][0]; print('h/%s-p%02d.png' % (p['file'][:-4], p['page']))")
	if command -v tesseract >/dev/null; then
		check "a blank page has no text" bash -c "[ -s '$blank' ] && [ -z \"\$(tesseract '$blank' - 2>/dev/null | tr -d '[:space:]')\" ]"
	fi
else
	skip "python3 missing: truth checks"
fi

# Readable at light damage: tesseract finds the title and the first record's entry line.
if command -v tesseract >/dev/null && [ $have_py = 1 ]; then
	"$HOTICH" fixtures --out r --pages 1 --seed 3 --damage light --dpi 200 --png >/dev/null 2>&1
	OMP_THREAD_LIMIT=1 tesseract r/ks-01-p01.png r/ocr -l vie >/dev/null 2>&1
	name=$(py r/truth.json "print(t['records'][0]['values']['nksHoTen'].upper())")
	check "tesseract reads the book title" grep -q 'SỔ ĐĂNG KÝ KHAI SINH' r/ocr.txt
	check "tesseract reads the first subject's name" grep -qF "$name" r/ocr.txt
else
	skip "tesseract or python3 missing: readability"
fi
