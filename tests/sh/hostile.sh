#!/usr/bin/env bash
# What hostile testing found (issue #18): work lost, data left behind, counts
# that mislead.  Each block runs the real binary against one of them.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v sqlite3 >/dev/null || { skip "hostile: sqlite3 CLI missing"; exit 0; }

keyed() {
	printf 'so,ngayDangKy,nksHoTen,nksGioiTinh,nksNgaySinh\r\n'
	for i in $(seq "$1"); do printf '%d,01/02/2020,Nguyễn Văn An,Nam,01/01/2020\r\n' "$i"; done
}
keyed 3 >three.csv

# ---- 9: STT is the row number, so the same records give the same bytes ------
"$HOTICH" import-batch --db a.db --kind ks three.csv >/dev/null 2>&1
sqlite3 a.db "UPDATE records SET status = 'clean'"
cp a.db b.db
sqlite3 b.db "UPDATE fields SET record_id = record_id + 100; UPDATE records SET id = id + 100"
"$HOTICH" export --db a.db --kind ks --format csv --out a.csv >/dev/null 2>&1
"$HOTICH" export --db b.db --kind ks --format csv --out b.csv >/dev/null 2>&1
check "9: the same records under other ids export the same bytes" cmp -s a.csv b.csv
stt=$(python3 -c "import csv; print(' '.join(r['STT'] for r in csv.DictReader(open('b.csv', encoding='utf-8'))))")
check "9: STT is 1..n in export order ($stt)" [ "$stt" = "1 2 3" ]

# ---- 7: opening a database changes nothing it should not --------------------
sqlite3 other.db "CREATE TABLE notes(x); INSERT INTO notes VALUES('theirs')"
cp other.db other.orig
check_exit "7: another program's SQLite file is refused (exit 1)" 1 "$HOTICH" status --db other.db
check "7: ... naming it as not hotich's" grep -q "not hotich's" "$T/err"
check "7: ... and left byte for byte untouched, no WAL" bash -c "cmp -s other.db other.orig && [ ! -e other.db-wal ]"
check_exit "7: an import into it is refused too" 1 "$HOTICH" import-batch --db other.db --kind ks three.csv
cp a.db new.db
sqlite3 new.db "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99" >/dev/null
cp new.db new.orig
check_exit "7: a database newer than hotich is refused" 1 "$HOTICH" status --db new.db
check "7: ... untouched and not switched to WAL" bash -c \
	"cmp -s new.db new.orig && [ \"\$(sqlite3 new.db 'PRAGMA journal_mode')\" = delete ]"
for cmd in "status" "review --list" "export --kind ks --format csv --out typo.csv" "validate" "dedup" "ocr"; do
	check_exit "7: $cmd with a mistyped --db fails (exit 1)" 1 "$HOTICH" $cmd --db typo.db
	check "7: ... saying so, and creates nothing" bash -c \
		"grep -q \"no database 'typo.db'\" '$T/err' && [ ! -e typo.db ] && [ ! -e typo.csv ]"
done

# ---- 10: a database an older version created 0644 is narrowed to 0600 -------
cp a.db wide.db
: >wide.db-wal
chmod 644 wide.db wide.db-wal
"$HOTICH" status --db wide.db >/dev/null 2>&1
check "10: a 0644 database is 0600 after open" [ "$(stat -c %a wide.db)" = 600 ]
check "10: ... and its WAL too" bash -c "[ ! -e wide.db-wal ] || [ \$(stat -c %a wide.db-wal) = 600 ]"
