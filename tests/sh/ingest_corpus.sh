#!/usr/bin/env bash
# hotich ingest on a corpus of hostile and odd TIFFs (libtiff's tests,
# image-tiff's fuzz cases, checkit_tiff's should-pass/should-fail): it must
# finish (exit 3), never crash or hang, stay within bounded memory, name
# every failed file on stderr, and decode every page its scan accepted.
. "$(dirname "$0")/lib.sh"
CORPUS="$SHARED/bench-data/tiff"
if [ ! -d "$CORPUS" ]; then
	skip "hostile TIFF corpus: $CORPUS is absent"
	exit 0
fi
# A private copy: a rebuild of ./hotich during this long test must not bite.
install -m 755 "$HOTICH" "$T/hotich" && HOTICH="$T/hotich"
# AddressSanitizer reserves terabytes of address space: no ulimit -v then.
limit_mem=1
if ldd "$HOTICH" 2>/dev/null | grep -q libasan; then limit_mem=0; fi

# run_bounded SECONDS CMD...: under timeout, with ~2 GiB of address space.
run_bounded() {
	local secs=$1; shift
	if [ "$limit_mem" = 1 ]; then
		(ulimit -v 2097152; timeout "$secs" "$@")
	else
		timeout "$secs" "$@"
	fi
}

# The whole corpus in one run, every accepted page decoded: the folder (the
# walk finds *.tif, *.tiff) and, named one by one, the fuzzers' files that
# have no such extension.
DB="$T/corpus.db"
mapfile -d '' others < <(find "$CORPUS" -type f ! -iname '*.tif' ! -iname '*.tiff' -print0 | sort -z)
run_bounded 600 "$HOTICH" ingest --db "$DB" --decode-check "$CORPUS" "${others[@]}" \
	>"$T/out" 2>"$T/err"
rc=$?
check "whole corpus: exit 3 (got $rc)" test "$rc" -eq 3
check "whole corpus: summary line" grep -q "^ingested [0-9]* books" "$T/out"
check "whole corpus: no libtiff chatter on stderr" \
	bash -c "! grep -v '^$STAMP hotich' '$T/err' | grep -q ."

if command -v sqlite3 >/dev/null; then
	sqlite3 "$DB" "SELECT path FROM books WHERE status = 'failed'
		UNION SELECT b.path FROM pages p JOIN books b ON b.id = p.book_id
		WHERE p.status = 'failed'" >"$T/failed"
	unnamed=0
	# Paths are stored absolute; stderr names them as given.
	while IFS= read -r f; do
		grep -qF "/$(basename "$f")'" "$T/err" || { echo "# not named: $f"; unnamed=$((unnamed + 1)); }
	done <"$T/failed"
	check "every failed file is named on stderr ($(wc -l <"$T/failed") failed)" test "$unnamed" -eq 0
	check "failures are recorded with a reason" test "$(sqlite3 "$DB" \
		"SELECT COUNT(*) FROM pages WHERE status = 'failed' AND coalesce(error, '') = ''")" = 0
	check "some pages decode" test "$(sqlite3 "$DB" "SELECT COUNT(*) FROM pages WHERE status = 'new'")" -gt 50
	check "failed count matches the messages" test \
		"$(sed -n 's/.*, \([0-9]*\) failed$/\1/p' "$T/out")" = "$(grep -c "^$STAMP hotich ingest: cannot " "$T/err")"
else
	skip "failed files named (needs sqlite3)"
fi

# The fuzzers' files and the should-fail set one by one, so one bad file
# cannot hide behind another: exit 0 or 3 only.  One database for all: a
# file seen before is a no-op, or named again if it failed.
bad=0 n=0
while IFS= read -r -d '' f; do
	n=$((n + 1))
	run_bounded 60 "$HOTICH" ingest --db "$T/one.db" --decode-check "$f" >/dev/null 2>"$T/one.err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
		echo "# exit $rc on $f: $(head -c 200 "$T/one.err")"
		bad=$((bad + 1))
	elif [ "$rc" -eq 3 ] && ! grep -qF "'$f'" "$T/one.err"; then
		echo "# failed but not named: $f"
		bad=$((bad + 1))
	fi
done < <(find "$CORPUS" -type f \( -path '*fuzz*' -o -path '*should_fail*' \) -print0 | sort -z)
check "each of $n files alone: exit 0 or 3, no crash, no hang, failures named" test "$bad" -eq 0
