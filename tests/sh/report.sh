#!/usr/bin/env bash
# hotich report: the page's content read back (books, gaps, queue, failed
# pages, residual error, the chart), nothing external, batches kept apart.
. "$(dirname "$0")/lib.sh"
cd "$T"
DB=$T/r.db
if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
	skip "report tests need sqlite3 and python3"
	exit 0
fi
new_db "$DB" || { notok "make the test database"; exit 0; }
# Batch 1, a night: so-01 (ks) with entries 1 2 4 7 and a page that crashed,
# so-02 (kh) with a page that failed at ingest, so-03 not a TIFF at all.
# Batch 2, the next night: so-04, which batch 1's report must not show.
sqlite3 "$DB" <<'SQL'
INSERT INTO batches(id, started_at, finished_at, command) VALUES
 (1, '2026-12-01T20:00:00Z', '2026-12-02T02:00:00Z', 'hotich run --threads 2 scans/'),
 (2, '2026-12-02T20:00:00Z', '2026-12-02T21:00:00Z', 'hotich run scans2/');
INSERT INTO books(id, batch_id, path, name, sha256, added_at, kind, book_no, pages, status, error) VALUES
 (1, 1, '/s/so-01.tif', 'so-01.tif', 'a1', 'x', 'ks', '01/2009', 3, 'ingested', NULL),
 (2, 1, '/s/so-02.tif', 'so-02.tif', 'a2', 'x', 'kh', '', 2, 'ingested', NULL),
 (3, 1, '/s/so-03.tif', 'so-03.tif', 'a3', 'x', NULL, NULL, 0, 'failed', 'not a TIFF file'),
 (4, 2, '/s/so-04.tif', 'so-04.tif', 'a4', 'x', 'ks', '', 1, 'ingested', NULL);
INSERT INTO pages(id, book_id, page_no, status, error, done_at) VALUES
 (1, 1, 1, 'done', NULL, '2026-12-01T20:30:00Z'), (2, 1, 2, 'done', NULL, '2026-12-01T21:40:00Z'),
 (3, 1, 3, 'failed', 'OCR crashed (signal 11)', '2026-12-01T22:10:00Z'),
 (4, 2, 1, 'done', NULL, '2026-12-01T23:05:00Z'), (5, 2, 2, 'failed', 'bad strip offset <&>', NULL),
 (6, 4, 1, 'done', NULL, '2026-12-02T20:10:00Z');
INSERT INTO records(id, kind, book_id, page_id, idx, entry_no, entry_int, status, created_at) VALUES
 (1, 'ks', 1, 1, 0, '1', 1, 'clean', 'x'), (2, 'ks', 1, 1, 1, '2', 2, 'approved', 'x'),
 (3, 'ks', 1, 2, 0, '4', 4, 'review', 'x'), (4, 'ks', 1, 2, 1, '7', 7, 'review', 'x'),
 (5, 'kh', 2, 4, 0, '1', 1, 'clean', 'x'), (6, 'kh', 2, 4, 1, '2', 2, 'rejected', 'x'),
 (7, 'ks', 4, 6, 0, '1', 1, 'clean', 'x'), (8, 'kh', 2, 4, 2, NULL, NULL, 'rejected', 'x');
INSERT INTO fields(record_id, name, raw, value, conf) VALUES
 (1, 'so', '1', '1', 99), (1, 'nksHoTen', 'A', 'A', 90), (2, 'so', '2', '2', 100),
 (2, 'nksHoTen', 'B', 'B', 80), (5, 'so', '1', '1', 95), (5, 'chongHoTen', '', '', 10),
 (7, 'so', '1', '1', 50);
-- The acceptance model's probability where it set one (0.97: 0.03 wrong).
UPDATE fields SET p = 0.97 WHERE record_id = 1 AND name = 'nksHoTen';
INSERT INTO reviews(record_id, item, reviewer, at, action, field, old, new) VALUES
 (2, 'r2', 'lan', 'x', 'set', 'nksHoTen', 'R', 'B');
INSERT INTO findings(record_id, book_id, stage, field, code, message, severity) VALUES
 (3, 1, 'validate', 'nksNgaySinh', 'date_invalid', 'm', 2), (3, 1, 'validate', 'nksHoTen', 'low_confidence', 'm', 1),
 (4, 1, 'validate', 'nksHoTen', 'low_confidence', 'm', 1);
SQL

check_exit "report --batch 1 exits 0" 0 "$HOTICH" report --db "$DB" --batch 1 --out "$T/n1.html"
check "the page is read back as batch 1's night" python3 - "$T/n1.html" <<'PY'
import sys
from html.parser import HTMLParser
src = open(sys.argv[1], encoding="utf-8").read()
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.rows, self.row, self.cell, self.attrs, self.text = [], [], None, None, {}, []
        self.tags = set()
    def handle_starttag(self, tag, a):
        a = dict(a)
        self.tags.add(tag)
        for k in ("src", "href"):
            assert k not in a, (tag, a)
        if "id" in a:
            self.attrs[a["id"]] = a
        if tag == "tr":
            self.row = (a.get("class"), [])
        if tag == "td":
            self.cell = []
            self.row[1].append((a, self.cell))
        if tag == "rect":
            self.attrs.setdefault("rects", []).append(a)
    def handle_endtag(self, tag):
        if tag == "tr" and self.row:
            self.rows.append((self.row[0], [(a, "".join(c)) for a, c in self.row[1]]))
            self.row = None
        if tag == "td":
            self.cell = None
    def handle_data(self, d):
        self.text.append(d)
        if self.cell is not None:
            self.cell.append(d)
p = P()
p.feed(src)
text = "".join(p.text)
# Self-contained: no script, no link, no url() or @import, no address at all.
assert not {"script", "link", "img", "iframe"} & p.tags, p.tags
assert "url(" not in src and "@import" not in src and "http" not in src
assert "The night of batch 1" in text and "ended 2026-12-02T02:00:00Z" in text
tiles = {k: int(p.attrs[k]["data-n"]) for k in ("pages", "records", "accepted", "review", "failed-pages")}
assert tiles == {"pages": 5, "records": 7, "accepted": 3, "review": 2, "failed-pages": 3}, tiles
books = [[c for _, c in cells] for cls, cells in p.rows if cls == "book"]
assert [b[0] for b in books] == ["so-01.tif", "so-02.tif", "so-03.tif"], books
assert books[0][1:7] == ["ks", "01/2009", "3 of 3", "0", "1", "4"], books[0]
assert books[0][7] == "1\u20137, 3 missing: 3, 5-6", books[0][7]
assert books[1][7] == "1\u20132 complete (1 without a number read)" and books[1][3] == "2 of 2", books[1]
assert books[2][7] == "no entry numbers", books[2]
reasons = [[c for _, c in cells] for cls, cells in p.rows if cls == "reason"]
assert reasons == [["low_confidence", "2"], ["date_invalid", "1"]], reasons
failed = [[c for _, c in cells] for cls, cells in p.rows if cls == "failed"]
assert failed == [["so-01.tif", "3", "OCR crashed (signal 11)"],
                  ["so-02.tif", "2", "bad strip offset <&>"],
                  ["so-03.tif", "whole file", "not a TIFF file"]], failed
# Accepted fields: r1 so 99, nksHoTen p 0.97 (its conf 90 ignored); r2 so
# 100 (its name a supervisor set); r5 so 95 (the empty field does not count).
res = p.attrs["residual"]
assert res["data-fields"] == "4", res
assert abs(float(res["data-wrong-fields"]) - 0.09) < 1e-3, res
assert abs(float(res["data-wrong-records"]) - (1 - 0.99 * 0.97 + 0.05)) < 1e-3, res
assert "fields.p, the acceptance model" in text   # where the chances came from
# The chart: hour bins from 20:00, the four pages read in them.
svg = p.attrs["rate"]
rects = p.attrs["rects"]
assert [int(r["data-pages"]) for r in rects] == [1, 1, 1, 1, 0, 0, 0], [r["data-pages"] for r in rects]
assert "20:00" in text and "23:00" in text
PY
check_exit "report without --batch is the last batch" 0 "$HOTICH" report --db "$DB" --out "$T/n2.html"
check "which holds so-04 and not batch 1's books" bash -c \
	"grep -q 'The night of batch 2' '$T/n2.html' && grep -q 'so-04.tif' '$T/n2.html' &&
	 ! grep -q 'so-01.tif' '$T/n2.html'"
check_exit "an unknown batch exits 1" 1 "$HOTICH" report --db "$DB" --batch 9 --out "$T/n9.html"
check "and says so, writing nothing" bash -c "grep -q 'no batch 9' '$T/err' && [ ! -e '$T/n9.html' ]"
check_exit "report without --out exits 2" 2 "$HOTICH" report --db "$DB"
