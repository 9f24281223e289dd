#!/usr/bin/env bash
# Style checks from ../shared/STYLE.md that a compiler does not make.
set -u
cd "$(dirname "$0")/.." || exit 1
bad=0
src=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')
# Banned: shared static state (unsafe under OpenMP) or unbounded writes.
if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime)\s*\(' $src; then
	echo "lint: banned function (see STYLE.md)"; bad=1
fi
# Each third-party library is included by one module only.
check_owner() {
	local header=$1 owner=$2
	local hits
	hits=$(grep -lE "#include <$header" $src | grep -vE "^($owner)" || true)
	if [ -n "$hits" ]; then echo "lint: <$header> outside $owner: $hits"; bad=1; fi
}
check_owner 'sqlite3.h' 'store/'
check_owner 'tiffio.h' 'ingest/|tests/unit/test_ingest|fixtures/'
check_owner 'tesseract/' 'ocr/'
check_owner 'leptonica/|allheaders.h' 'ocr/'
check_owner 'curses.h|ncurses' 'review/tui'
check_owner 'cairo|pango' 'fixtures/'
check_owner 'utf8proc.h' 'common/text'
check_owner 'openssl/' 'common/sha256'
check_owner 'xlsxwriter' 'export/xlsx'
check_owner 'sixel.h' 'review/sixel|tests/unit/test_review'
# Layers: cli/ is on top and holds main, its helpers and one file per command.
if grep -lE '#include "cli/' $(echo "$src" | grep -v '^cli/'); then
	echo "lint: only cli/ includes cli/ headers"; bad=1
fi
stray=$(echo "$src" | grep '^cli/' | grep -vE '^cli/(main\.c|util\.c|cli\.h|cmd_[a-z_]+\.c)$' || true)
if [ -n "$stray" ]; then echo "lint: cli/ holds main.c, util.c and cmd_*.c only: $stray"; bad=1; fi
exit $bad
