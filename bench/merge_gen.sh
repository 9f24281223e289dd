#!/usr/bin/env bash
# bench/merge_gen.sh DIR SHARDS RECORDS: write DIR/s1.db .. DIR/sSHARDS.db,
# the shares of one synthetic run holding RECORDS records in all, as
# `hotich run --shard K/SHARDS` would leave them (books of 40 pages, two and
# a half records a page, 27 fields and 3 findings a record, as the
# generated books have), made with SQL: no OCR, so it takes seconds.
# The books are dealt round-robin, so every share interleaves with the
# others and the merge has to renumber them all.
set -eu
dir=$1 shards=$2 records=$3
H=${HOTICH:-$(cd "$(dirname "$0")/.." && pwd)/hotich}
pages=$(( (records * 2 + 4) / 5 ))
books=$(( (pages + 39) / 40 ))
mkdir -p "$dir"
for k in $(seq "$shards"); do
	db=$dir/s$k.db
	rm -f "$db" "$db-wal" "$db-shm"
	# hotich's own schema: ingest creates the database (nothing to ingest).
	mkdir -p "$dir/empty"
	"$H" ingest --db "$db" "$dir/empty" >/dev/null 2>&1 || true
	[ -s "$db" ] || { echo "merge_gen: cannot create '$db'" >&2; exit 1; }
	sqlite3 "$db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
DELETE FROM batches; -- the empty ingest that made the schema
INSERT INTO meta VALUES('shard', '$k/$shards'), ('shard_set', 'bench-$shards-$records');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $books)
INSERT INTO shard_order SELECT printf('/bench/book-%05d.tif', i), i FROM n;
INSERT INTO batches(id, started_at, command) VALUES(1, '2026-01-01T00:00:00Z', 'hotich run --shard $k/$shards');
INSERT INTO books(batch_id, path, name, sha256, pages, kind, format, book_no, added_at)
  SELECT 1, path, substr(path, 8), printf('%064d', ordinal), 40, 'ks', 'F', '01/2020', '2026-01-01T00:00:00Z'
  FROM shard_order WHERE (ordinal - 1) % $shards = $k - 1;
WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 40)
INSERT INTO pages(book_id, page_no, status, width, height, bits, ocr_ms, ms_pre, ms_layout, ms_values, done_at)
  SELECT b.id, p.i, 'done', 2480, 3508, 8, 800, 100, 500, 200, '2026-01-01T00:00:00Z'
  FROM books b, p ORDER BY b.id, p.i;
DELETE FROM pages WHERE id IN (SELECT p.id FROM pages p JOIN shard_order o ON o.path = (SELECT path FROM books WHERE id = p.book_id)
  WHERE (o.ordinal - 1) * 40 + p.page_no > $pages);
-- two records a page, three on every second page
WITH RECURSIVE x(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM x WHERE i < 2)
INSERT INTO records(kind, book_id, page_id, idx, entry_no, entry_int, status, ocr, created_at)
  SELECT 'ks', p.book_id, p.id, x.i, p.page_no * 3 + x.i, p.page_no * 3 + x.i, 'review',
         '{"engine":"bench"}', '2026-01-01T00:00:00Z'
  FROM pages p, x WHERE x.i < 2 + (p.page_no % 2) ORDER BY p.id, x.i;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 27)
INSERT INTO fields(record_id, name, raw, value, conf, x, y, w, h)
  SELECT r.id, 'f' || c.i, 'Nguyễn Văn ' || r.id, 'Nguyễn Văn ' || r.id, 91.5, 100, 200 + c.i * 40, 600, 36
  FROM records r, c ORDER BY r.id, c.i;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3)
INSERT INTO findings(record_id, book_id, page_id, stage, field, code, message, severity)
  SELECT r.id, r.book_id, r.page_id, 'validate', 'f' || c.i, 'low_confidence', 'Độ tin cậy thấp', 1
  FROM records r, c ORDER BY r.id, c.i;
COMMIT;
SQL
done
# Records in all (the last page of each share may hold one more or less).
for k in $(seq "$shards"); do sqlite3 "$dir/s$k.db" "SELECT COUNT(*) FROM records"; done | awk '{n += $1} END {print n}'
