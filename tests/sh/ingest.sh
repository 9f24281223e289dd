#!/usr/bin/env bash
# hotich ingest: folders, SHA-256 no-ops, versions, failures named and recorded.
. "$(dirname "$0")/lib.sh"
for tool in raw2tiff tiffcp tiffset sqlite3; do
	if ! command -v "$tool" >/dev/null; then
		skip "ingest tests need $tool (libtiff-tools, sqlite3)"
		exit 0
	fi
done
cd "$T" || exit 1
DB="$T/h.db"
q() { sqlite3 "$DB" "$1"; }

# A folder of books: one 1-page LZW, one 2-page (PackBits + LZW) in a
# sub-folder with an upper-case extension, and a note that is no book.
mkdir -p books/sub
head -c 20000 /dev/urandom >gray.raw
raw2tiff -w 200 -l 100 -d byte -p minisblack -c lzw gray.raw books/a.tif
raw2tiff -w 200 -l 100 -d byte -p minisblack -c packbits gray.raw p.tif
tiffcp -c lzw p.tif books/a.tif books/sub/B.TIFF
echo "not a book" >books/notes.txt

check_exit "ingest a folder exits 0" 0 "$HOTICH" ingest --db "$DB" books
check "summary counts books and pages" grep -q "^ingested 2 books (3 pages), 0 already ingested, 0 failed$" "$T/out"
check "books in name order, recursively" \
	test "$(q "SELECT name FROM books ORDER BY id" | tr '\n' ' ')" = "a.tif B.TIFF "
check "pages registered as new with size and compression" \
	test "$(q "SELECT COUNT(*) FROM pages WHERE status = 'new' AND width = 200 AND height = 100 AND bits = 8")" = 3
check "compression per page" \
	test "$(q "SELECT group_concat(compression, ',') FROM (SELECT compression FROM pages ORDER BY book_id, page_no)")" = "LZW,LZW,LZW"
check "SHA-256 of the file is stored" \
	test "$(q "SELECT sha256 FROM books WHERE name = 'a.tif'")" = "$(sha256sum books/a.tif | cut -d' ' -f1)"

check_exit "ingesting again exits 0" 0 "$HOTICH" ingest --db "$DB" books
check "ingesting again is a no-op" grep -q "^ingested 0 books (0 pages), 2 already ingested, 0 failed$" "$T/out"
check "no book added twice" test "$(q "SELECT COUNT(*) FROM books")" = 2

tiffset -s 305 "rescanned" books/a.tif
check_exit "a changed file is ingested" 0 "$HOTICH" ingest --db "$DB" books/a.tif
check "a changed file becomes version 2" \
	test "$(q "SELECT group_concat(version, ',') FROM books WHERE path = '$PWD/books/a.tif'")" = "1,2"

# Failures: a truncated file, a page with absurd dimensions, a missing input.
head -c 3000 books/sub/B.TIFF >broken.tif
cp p.tif wide.tif
tiffset -s 256 30000 wide.tif
check_exit "failures exit 3" 3 "$HOTICH" ingest --db "$DB" --kind ks broken.tif wide.tif nope.tif
check "truncated file named" grep -q "^$STAMP hotich ingest: cannot read 'broken.tif': " "$T/err"
check "bad page named with its number" \
	grep -q "^$STAMP hotich ingest: cannot read page 1 of 'wide.tif': absurd size 30000x100" "$T/err"
check "missing input named" grep -q "^$STAMP hotich ingest: cannot find 'nope.tif'" "$T/err"
check "summary counts the failures, and no failed book as ingested" grep -q "^ingested 0 books (0 pages), 0 already ingested, 3 failed$" "$T/out"
check "truncated file recorded as failed with its reason" \
	test "$(q "SELECT status, error <> '' FROM books WHERE name = 'broken.tif'")" = "failed|1"
check "bad page recorded as failed with its reason" \
	test "$(q "SELECT p.status, p.error FROM pages p JOIN books b ON b.id = p.book_id WHERE b.name = 'wide.tif'")" = \
	"failed|absurd size 30000x100 (limit 20000 per side)"
check "--kind is stored" test "$(q "SELECT kind FROM books WHERE name = 'wide.tif'")" = ks
check_exit "a failed file again still fails" 3 "$HOTICH" ingest --db "$DB" broken.tif
check "nothing is added for it" test "$(q "SELECT COUNT(*) FROM books WHERE name = 'broken.tif'")" = 1

check_exit "--decode-check decodes the pages" 0 "$HOTICH" ingest --db "$T/dc.db" --decode-check books
check_exit "no input is bad usage" 2 "$HOTICH" ingest --db "$DB"
check_exit "unknown kind is bad usage" 2 "$HOTICH" ingest --db "$DB" --kind xx books
check_exit "unknown option is bad usage" 2 "$HOTICH" ingest --db "$DB" --frobnicate books
