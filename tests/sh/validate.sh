#!/usr/bin/env bash
# hotich validate on records put straight into a database (keyed, conf -1):
# statuses, finding codes, book-level entry findings, --all, decisions kept.
# Then on the fixture generator's truth: every planted anomaly flagged on its
# own field, and no finding on the records planted clean (false positives).
. "$(dirname "$0")/lib.sh"
cd "$T"
DB="$T/v.db"

sql() { sqlite3 -batch "$DB" "$@"; }

new_db "$DB" || { notok "create database"; exit 0; }

# Three ks records of one book: 1 clean, 2 with 30/02, 4 clean (3 is missing).
sql <<'EOF'
INSERT INTO books(path, name, sha256, kind, book_no, pages, added_at)
  VALUES('b/ks.tif', 'ks.tif', 'x1', 'ks', '01/2019', 1, 'now');
INSERT INTO pages(book_id, page_no, status) VALUES(1, 1, 'done');
INSERT INTO records(kind, book_id, page_id, idx, entry_no, entry_int, created_at) VALUES
  ('ks', 1, 1, 0, '1', 1, 'now'), ('ks', 1, 1, 1, '2', 2, 'now'), ('ks', 1, 1, 2, '4', 4, 'now');
CREATE TEMP TABLE base(name, raw);
INSERT INTO base VALUES ('ngayDangKy', '10/09/2008'), ('loaiDangKy', 'Đúng hạn'),
  ('nksHoTen', 'NGUYỄN THỊ THUỲ DƯƠNG'), ('nksNgaySinh', '27/08/2008'), ('nksGioiTinh', 'Nữ'),
  ('nksDanToc', 'Kinh'), ('nksQuocTich', 'Việt Nam'), ('meHoTen', 'Trần Thị Hoà'),
  ('meNgaySinh', '1980'), ('chaHoTen', 'Nguyễn Văn Hùng'), ('chaNgaySinh', '1978');
INSERT INTO fields(record_id, name, raw, conf) SELECT r.id, b.name, b.raw, -1 FROM records r, base b;
INSERT INTO fields(record_id, name, raw, conf) SELECT id, 'so', entry_no, -1 FROM records;
UPDATE fields SET raw = '30/02/2008' WHERE record_id = 2 AND name = 'nksNgaySinh';
EOF

check_exit "validate exits 0" 0 "$HOTICH" validate --db "$DB"
check "summary names the counts" grep -q "validated 3 records in 1 books: 2 clean, 1 for review" "$T/out"
check "clean records are clean" [ "$(sql "SELECT group_concat(status) FROM (SELECT status FROM records ORDER BY id)")" = "clean,review,clean" ]
check "30/02 is date_invalid on nksNgaySinh" [ "$(sql "SELECT count(*) FROM findings WHERE record_id = 2 AND field = 'nksNgaySinh' AND code = 'date_invalid' AND message = 'Ngày không tồn tại: 30/02/2008'")" = 1 ]
check "30/02 is not corrected" [ "$(sql "SELECT value || corrected FROM fields WHERE record_id = 2 AND name = 'nksNgaySinh'")" = "30/02/20080" ]
check "values in export form" [ "$(sql "SELECT group_concat(value, '|') FROM (SELECT value FROM fields WHERE record_id = 1 AND name IN ('nksHoTen', 'nksGioiTinh', 'loaiDangKy') ORDER BY name)")" = "1|2|Nguyễn Thị Thuỳ Dương" ]
check "missing entry 3 is a book finding" [ "$(sql "SELECT count(*) FROM findings WHERE record_id IS NULL AND book_id = 1 AND stage = 'validate' AND code = 'entry_missing' AND message LIKE 'Thiếu số 3 trong sổ ks.tif%'")" = 1 ]
check_exit "second run exits 0" 0 "$HOTICH" validate --db "$DB"
check "second run has nothing new" grep -q "validated 0 records" "$T/out"

# --all re-validates undecided records, keeps decisions, replaces findings.
sql "UPDATE records SET status = 'approved' WHERE id = 2; UPDATE fields SET raw = '31/04/2008' WHERE record_id = 3 AND name = 'nksNgaySinh';"
check_exit "validate --all exits 0" 0 "$HOTICH" validate --db "$DB" --all
check "approved record untouched" [ "$(sql "SELECT status FROM records WHERE id = 2")" = approved ]
check "--all re-checks a clean record" [ "$(sql "SELECT status FROM records WHERE id = 3")" = review ]
check "book findings replaced, not doubled" [ "$(sql "SELECT count(*) FROM findings WHERE record_id IS NULL AND code = 'entry_missing'")" = 1 ]
check "record findings replaced, not doubled" [ "$(sql "SELECT count(*) FROM findings WHERE record_id = 3 AND code = 'date_invalid'")" = 1 ]
check_exit "bad option exits 2" 2 "$HOTICH" validate --db "$DB" --frobnicate

# ---- on the fixture generator's truth --------------------------------------
FX="$T/fx"
if ! "$HOTICH" fixtures --out "$FX" --seed "${VALIDATE_SEED:-11}" --kind all --pages "${VALIDATE_PAGES:-3}" --books "${VALIDATE_BOOKS:-2}" --damage none --format "${VALIDATE_FORMAT:-F}" \
	--anomalies "${VALIDATE_ANOMALIES:-15}" >"$T/fx.log" 2>&1 || [ ! -s "$FX/truth.json" ]; then
	notok "fixtures failed: $(head -c 200 "$T/fx.log")"
	exit 1
fi
DB="$T/fx.db"
new_db "$DB"
sql <<EOF
CREATE TEMP TABLE t AS SELECT readfile('$FX/truth.json') AS j;
INSERT INTO books(path, name, sha256, kind, book_no, pages, added_at)
  SELECT json_extract(b.value, '\$.file'), json_extract(b.value, '\$.file'),
         'sha-' || json_extract(b.value, '\$.file'), json_extract(b.value, '\$.kind'),
         json_extract(b.value, '\$.quyenSo'), json_extract(b.value, '\$.pages'), 'now'
  FROM t, json_each(t.j, '\$.books') b;
INSERT INTO pages(book_id, page_no, status)
  SELECT bk.id, json_extract(p.value, '\$.page'), 'done'
  FROM t, json_each(t.j, '\$.pages') p JOIN books bk ON bk.name = json_extract(p.value, '\$.file');
CREATE TABLE truth AS SELECT json_extract(r.value, '\$.file') AS file,
  json_extract(r.value, '\$.page') AS page, json_extract(r.value, '\$.index') AS idx,
  json_extract(r.value, '\$.kind') AS kind, json_extract(r.value, '\$.values') AS vals,
  json_extract(r.value, '\$.anomalies') AS anomalies
  FROM t, json_each(t.j, '\$.records') r;
INSERT INTO records(kind, book_id, page_id, idx, source_file, entry_no, entry_int, created_at)
  SELECT tr.kind, bk.id, pg.id, tr.idx, tr.file, json_extract(tr.vals, '\$.so'),
         CAST(json_extract(tr.vals, '\$.so') AS INTEGER), 'now'
  FROM truth tr JOIN books bk ON bk.name = tr.file
  JOIN pages pg ON pg.book_id = bk.id AND pg.page_no = tr.page;
CREATE TABLE truth_rec AS SELECT r.id AS record_id, tr.* FROM truth tr
  JOIN pages pg ON pg.page_no = tr.page JOIN books bk ON bk.id = pg.book_id AND bk.name = tr.file
  JOIN records r ON r.page_id = pg.id AND r.idx = tr.idx;
INSERT INTO fields(record_id, name, raw, conf)
  SELECT tr.record_id, v.key, v.value, -1 FROM truth_rec tr, json_each(tr.vals) v WHERE v.value != '';
CREATE TABLE expect AS SELECT tr.record_id, json_extract(a.value, '\$.field') AS field,
  json_extract(a.value, '\$.code') AS code FROM truth_rec tr, json_each(tr.anomalies) a;
CREATE TABLE expect_book AS SELECT bk.id AS book_id, json_extract(a.value, '\$.so') AS so
  FROM t, json_each(t.j, '\$.book_anomalies') a JOIN books bk ON bk.name = json_extract(a.value, '\$.file')
  WHERE json_extract(a.value, '\$.code') = 'entry_missing';
EOF
check_exit "validate the truth records" 0 "$HOTICH" validate --db "$DB"
n=$(sql "SELECT count(*) FROM records")
planted=$(sql "SELECT count(*) FROM expect")
missed=$(sql "SELECT count(*) FROM expect e WHERE NOT EXISTS (SELECT 1 FROM findings f
  WHERE f.record_id = e.record_id AND f.field = e.field AND f.code = e.code AND f.severity >= 1)")
clean_truth=$(sql "SELECT count(*) FROM truth_rec WHERE json_array_length(anomalies) = 0")
fp=$(sql "SELECT count(*) FROM truth_rec tr JOIN records r ON r.id = tr.record_id
  WHERE json_array_length(tr.anomalies) = 0 AND r.status != 'clean'")
book_planted=$(sql "SELECT count(*) FROM expect_book")
book_missed=$(sql "SELECT count(*) FROM expect_book e WHERE NOT EXISTS (SELECT 1 FROM findings f
  WHERE f.record_id IS NULL AND f.book_id = e.book_id AND f.code = 'entry_missing'
  AND f.message LIKE 'Thiếu số ' || e.so || ' trong sổ %')")
book_extra=$(sql "SELECT (SELECT count(*) FROM findings WHERE record_id IS NULL AND stage = 'validate') - (SELECT count(*) FROM expect_book)")
echo "# truth: $n records, $planted planted anomalies ($missed missed), $clean_truth clean ($fp flagged), $book_planted missing entries ($book_missed missed, $book_extra extra)"
sql "SELECT '#   missed ' || e.field || ' ' || e.code FROM expect e WHERE NOT EXISTS (SELECT 1 FROM findings f
  WHERE f.record_id = e.record_id AND f.field = e.field AND f.code = e.code)" | head -5
sql "SELECT '#   false positive ' || f.field || ' ' || f.code || ': ' || f.message FROM findings f
  JOIN truth_rec tr ON tr.record_id = f.record_id WHERE json_array_length(tr.anomalies) = 0
  AND f.severity >= 1" | head -5
changed=$(sql "SELECT count(*) FROM fields f JOIN truth_rec tr ON tr.record_id = f.record_id
  WHERE f.value IS NOT json_extract(tr.vals, '\$.' || f.name)")
sql "SELECT '#   changed ' || f.name || ': ' || f.raw || ' -> ' || coalesce(f.value, 'NULL') FROM fields f
  JOIN truth_rec tr ON tr.record_id = f.record_id WHERE f.value IS NOT json_extract(tr.vals, '\$.' || f.name)" | head -5
check "truth values map to themselves (idempotent, never corrected)" [ "$changed" -eq 0 ]
check "fixtures planted anomalies" [ "$planted" -gt 0 ]
check "every planted anomaly flagged on its own field" [ "$missed" -eq 0 ]
check "no finding on clean truth records" [ "$fp" -eq 0 ]
check "every missing entry number found" [ "$book_missed" -eq 0 ]
check "no extra book findings" [ "$book_extra" -eq 0 ]

# Nothing silently empty (#14): a column the book's OCR'd records carry that
# one record has no reading of is named on it; a value read blank after its
# label (a field, empty) is the register's own blank and is not.
# one_page_book NAME N: a new database DB holding ks book NAME.tif, one page,
# records 1..N on it (fields are the caller's).
one_page_book() {
	new_db "$DB" || return 1
	sql "INSERT INTO books(path, name, sha256, kind, book_no, pages, added_at)
	       VALUES('b/$1.tif', '$1.tif', 'x$1', 'ks', '01/2019', 1, 'now');
	     INSERT INTO pages(book_id, page_no, status) VALUES(1, 1, 'done');
	     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
	     INSERT INTO records(kind, book_id, page_id, idx, entry_no, entry_int, created_at)
	       SELECT 'ks', 1, 1, i - 1, i, i, 'now' FROM n;"
}

DB="$T/lack.db"
one_page_book l 4 || { notok "create database"; exit 0; }
sql <<'SQL'
INSERT INTO fields(record_id, name, raw, conf) SELECT id, 'so', entry_no, 95 FROM records;
INSERT INTO fields(record_id, name, raw, conf) SELECT id, 'nksHoTen', 'LÊ VĂN AN', 95 FROM records;
INSERT INTO fields(record_id, name, raw, conf) SELECT id, 'nksNoiSinh',
  'xã Tân Phú, huyện Đức Hòa, tỉnh Long An', 95 FROM records WHERE id <= 2;
INSERT INTO fields(record_id, name, raw, conf) VALUES (4, 'nksNoiSinh', '', 95);
SQL
"$HOTICH" validate --db "$DB" >/dev/null 2>&1
check "a column the book carries and a record lacks is named on it (field_not_read)" \
	[ "$(sql "SELECT group_concat(record_id) FROM findings WHERE code = 'field_not_read' AND field = 'nksNoiSinh'")" = 3 ]

# A first validation scores a field as validating again does (the model was
# fitted on books validated again): the book's evidence is of checked
# values, so a place read alike on two records is a repeat the first time.
DB="$T/first.db"
one_page_book f 3 || { notok "create database"; exit 0; }
sql <<'SQL'
INSERT INTO fields(record_id, name, raw, conf, x, y, w, h) SELECT id, 'so', entry_no, 95, 10, 100 * id, 20, 20 FROM records;
INSERT INTO fields(record_id, name, raw, conf, x, y, w, h) SELECT id, 'nksHoTen', 'LÊ VĂN AN', 95, 50, 100 * id, 200, 20 FROM records;
INSERT INTO fields(record_id, name, raw, conf, x, y, w, h) SELECT id, 'nksNoiSinh',
  'xã Tân Phú, huyện Đức Hòa, tỉnh Long An .', 95, 50, 100 * id + 30, 400, 20 FROM records WHERE id <= 2;
INSERT INTO fields(record_id, name, raw, conf, x, y, w, h) VALUES
  (3, 'nksNoiSinh', 'xã Tân Phú, huyện Đức Hòa, tỉnh Long An', 95, 50, 330, 400, 20);
SQL
"$HOTICH" validate --db "$DB" >/dev/null 2>&1
first=$(sql "SELECT group_concat(name || '=' || round(p, 6) || ' ' || evidence, ';') FROM (SELECT * FROM fields ORDER BY record_id, name)")
"$HOTICH" validate --db "$DB" --all >/dev/null 2>&1
again=$(sql "SELECT group_concat(name || '=' || round(p, 6) || ' ' || evidence, ';') FROM (SELECT * FROM fields ORDER BY record_id, name)")
check "a place read alike elsewhere in the book (noise aside) is a repeat on the first validation" \
	[ "$(sql "SELECT count(*) FROM fields WHERE name = 'nksNoiSinh' AND evidence LIKE '%repeat=1%'")" = 3 ]
check "a first validation scores fields as validating again does" test -n "$first" -a "$first" = "$again"
