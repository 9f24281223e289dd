#!/usr/bin/env bash
# import-existing, import-batch and dedup through the real binary: bad rows
# named by line, unknown columns, exit codes, the formula guard undone, a
# planted duplicate found (against existing and within the batch), a
# supervisor's "different" respected, and FEBRL F1 when the data is there.
# Records are put in status 'clean' with sqlite3: dedup runs after validate.
. "$(dirname "$0")/lib.sh"
cd "$T"
DB=$T/d.db
q() { sqlite3 "$DB" "$1"; }

# ---- importers --------------------------------------------------------------
printf 'STT,nksHoTen,nksNgaySinh,meHoTen,meNgaySinh,ghiChu\r\n' >bad.csv
printf '10,Trần Văn Bình,12/07/1990,Phạm Thị Mai,1968,\r\n' >>bad.csv		# line 2
printf '11,L\xffe Thi,01/01/1991,Võ Thị Lan,1970,\r\n' >>bad.csv		# 3: bad UTF-8
printf '12,Only three,01/01/1991\r\n' >>bad.csv					# 4: 3 cells
printf '13,"Hai\r\nDòng",02/02/1992,Võ Thị Lan,1970,"'"'"'=SUM(A1)"\r\n' >>bad.csv	# 5-6
printf '14,Long,03/03/1993,X,1970,%s\r\n' "$(head -c 5000 /dev/zero | tr '\0' a)" >>bad.csv # 7
printf '15,"broken"quote,04/04/1994,X,1970,\r\n' >>bad.csv			# 8
printf '16,Nguyễn Thị Thuỳ Dương,05/03/1995,Lê Thị Hoa,1970,\r\n' >>bad.csv	# 9
check_exit "import-existing with bad rows exits 3" 3 "$HOTICH" import-existing --db "$DB" --kind ks bad.csv
for l in 3 4 7 8; do
	check "bad row on line $l is named" grep -q "line $l:" "$T/err"
done
check "good rows named by no error" bash -c "! grep -qE 'line (2|5|6|9):' '$T/err'"
check "good rows loaded (3 of 7)" [ "$(q 'SELECT COUNT(*) FROM existing')" = 3 ]
check "STT is the existing record's id" [ "$(q "SELECT COUNT(*) FROM existing WHERE stt IN ('10','13','16')")" = 3 ]
check "embedded newline kept" [ "$(q "SELECT json_extract(data, '\$.nksHoTen') FROM existing WHERE stt = '13'")" = "$(printf 'Hai\r\nDòng')" ]
check "export formula guard undone" [ "$(q "SELECT json_extract(data, '\$.ghiChu') FROM existing WHERE stt = '13'")" = "=SUM(A1)" ]
check_exit "re-import replaces, never doubles" 3 "$HOTICH" import-existing --db "$DB" --kind ks bad.csv
check "still 3 existing records" [ "$(q 'SELECT COUNT(*) FROM existing')" = 3 ]

printf 'nksHoTen,frobnicate,nksNgaySinh,wibble\n' >unknown.csv
check_exit "unknown columns are fatal" 1 "$HOTICH" import-existing --db "$DB" --kind ks unknown.csv
check "unknown columns are named" grep -q "'frobnicate', 'wibble'" "$T/err"
check_exit "missing --kind is bad usage" 2 "$HOTICH" import-batch --db "$DB" bad.csv
check_exit "unknown kind is bad usage" 2 "$HOTICH" import-batch --db "$DB" --kind xx bad.csv
check_exit "missing file is fatal" 1 "$HOTICH" import-batch --db "$DB" --kind ks nosuch.csv
: >empty.csv
check_exit "empty file is fatal" 1 "$HOTICH" import-batch --db "$DB" --kind ks empty.csv

# ---- a planted duplicate, end to end -------------------------------------------
{
	printf 'nksHoTen,nksGioiTinh,nksNgaySinh,meHoTen,meNgaySinh,loaiDangKy\n'
	printf 'NGUYEN THI THUY DUONG,2,03/05/1995,Le Thi Hoa,1970,2\n'	# row 1: dup of STT 16
	printf 'Hoàng Văn Toàn,1,09/09/2001,Đỗ Thị Yến,1975,1\n'		# row 2: new
	printf 'Hoàng Văn Toàn,1,09/09/2001,Đỗ Thị Yến,1975,1\n'		# row 3: same as row 2
} >batch.csv
check_exit "import-batch exits 0" 0 "$HOTICH" import-batch --db "$DB" --kind ks batch.csv
check "keyed fields stored raw, conf -1, model keyed" [ "$(q "SELECT COUNT(*) FROM fields WHERE conf = -1 AND model = 'keyed' AND raw = 'Hoàng Văn Toàn'")" = 2 ]
check "source is file and row" [ "$(q "SELECT source_file || ':' || source_row FROM records ORDER BY id LIMIT 1")" = "batch.csv:1" ]
q "UPDATE records SET status = 'clean'"
check_exit "dedup exits 0" 0 "$HOTICH" dedup --db "$DB"
check "candidate pairs are reported" grep -q "candidate pairs (name + year of birth" "$T/out"
dup=$(q "SELECT r.id FROM records r WHERE r.source_row = 1")
check "duplicate of an existing record found" [ "$(q "SELECT code || ' ' || match_source || ' ' || match_id || ' ' || (score >= 0.9) FROM findings WHERE record_id = $dup")" = "duplicate_existing existing 16 1" ]
check "its status is review" [ "$(q "SELECT status FROM records WHERE id = $dup")" = review ]
check "the finding says it is a re-registration" bash -c "sqlite3 '$DB' \"SELECT message FROM findings WHERE record_id = $dup\" | grep -q 'loaiDangKy 2'"
first=$(q "SELECT id FROM records WHERE source_row = 2")
second=$(q "SELECT id FROM records WHERE source_row = 3")
check "within-batch duplicate flagged on the later record" [ "$(q "SELECT code || ' ' || match_id FROM findings WHERE record_id = $second")" = "duplicate_batch r$first" ]
check "the earlier record stays clean" [ "$(q "SELECT status FROM records WHERE id = $first")" = clean ]
check "matches stored" [ "$(q 'SELECT COUNT(*) FROM matches')" = 2 ]
check_exit "dedup again" 0 "$HOTICH" dedup --db "$DB"
check "nothing is linked twice" grep -q "dedup ks: 0 records" "$T/out"

# A supervisor decides the pair is two people; the record changes later.
q "UPDATE matches SET decision = 'different', decided_by = 'lan' WHERE record_id = $dup"
q "UPDATE records SET updated_at = '2099-01-01T00:00:00Z' WHERE id = $dup"
check_exit "dedup after a decision" 0 "$HOTICH" dedup --db "$DB"
check "a pair decided different is not flagged again" [ "$(q "SELECT COUNT(*) FROM findings WHERE record_id = $dup")" = 0 ]
check "the record is clean again" [ "$(q "SELECT status FROM records WHERE id = $dup")" = clean ]
check "the decision is kept" [ "$(q "SELECT decision FROM matches WHERE record_id = $dup")" = different ]

# ---- FEBRL: dataset4a as existing, 4b as the batch ----------------------------------
FEBRL=$SHARED/bench-data/linkage/febrl
if [ -f "$FEBRL/dataset4a.csv" ]; then
	out=$(HOTICH=$HOTICH bash "$TOP/bench/dedup_bench.sh" febrl)
	f1=$(echo "$out" | sed -n 's/^F1=//p')
	echo "$out" | head -5
	check "FEBRL dataset4a vs 4b: F1 $f1 >= 0.95" awk -v f="${f1:-0}" 'BEGIN { exit !(f >= 0.95) }'
else
	skip "FEBRL F1 (no $FEBRL)"
fi
