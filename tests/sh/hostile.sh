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
