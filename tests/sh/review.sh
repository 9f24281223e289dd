#!/usr/bin/env bash
# hotich review: the --list contract, decisions with their audit rows, exit
# codes, claims, the screen dump, a scan drawn in the terminal, and the real
# curses tool driven through tmux.
. "$(dirname "$0")/lib.sh"
cd "$T"
DB=$T/r.db

q() { sqlite3 "$DB" "$1"; }

# A queue with one of each kind of item: a field finding (r1), an undecided
# duplicate (r2), a record with nothing left (r3), a missing entry number
# (f3) and a failed page (p5).
make_db() {
	rm -f "$DB" "$DB"-wal "$DB"-shm
	new_db "$DB" || return 1
	sqlite3 "$DB" <<'SQL'
INSERT INTO books(id, path, name, sha256, added_at, kind) VALUES(1, '/nonexistent.tif', 'so-03.tif', 'aa', 'now', 'ks');
INSERT INTO records(id, kind, book_id, idx, entry_no, entry_int, status, created_at) VALUES
 (1, 'ks', 1, 0, '12', 12, 'review', 'now'), (2, 'ks', 1, 1, '13', 13, 'review', 'now'),
 (3, 'ks', 1, 2, '14', 14, 'review', 'now');
INSERT INTO fields(record_id, name, raw, value) VALUES
 (1, 'so', '12', '12'), (1, 'nksHoTen', 'NGUYỄN VĂN AN', 'Nguyễn Văn An'), (1, 'nksDanToc', 'Kinb', 'Kinb'),
 (2, 'so', '13', '13'), (2, 'nksHoTen', 'TRẦN THỊ BÌNH', 'Trần Thị Bình'), (2, 'nksDanToc', 'Kinh', 'Kinh'),
 (3, 'so', '14', '14'), (3, 'nksHoTen', 'LÊ VĂN CƯỜNG', 'Lê Văn Cường');
INSERT INTO findings(id, record_id, book_id, stage, field, code, message, severity) VALUES
 (1, 1, 1, 'validate', 'nksDanToc', 'ethnic_unknown', 'Dân tộc ''Kinb'' không có trong danh mục', 2);
INSERT INTO findings(id, record_id, book_id, stage, field, code, message, severity, match_source, match_id, score) VALUES
 (2, 2, 1, 'dedup', '', 'duplicate_existing', 'Trùng với bản ghi đã có 501', 1, 'existing', '501', 0.93);
INSERT INTO findings(id, book_id, stage, code, message, severity) VALUES
 (3, 1, 'validate', 'entry_missing', 'Thiếu số 11', 2);
INSERT INTO existing(kind, stt, data) VALUES('ks', '501', '{"so": "13", "nksHoTen": "Trần Thị Bình", "nksDanToc": "Kinh"}');
INSERT INTO pages(id, book_id, page_no, status, error) VALUES(5, 1, 3, 'failed', 'bad strip offset');
SQL
}

if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
	skip "review tests need sqlite3 and python3"
	exit 0
fi
make_db || { notok "make the test database"; exit 0; }

# ---- --list ------------------------------------------------------------------
check_exit "--list exits 0" 0 "$HOTICH" review --db "$DB" --list
cp "$T/out" "$T/list"
check "--list is the contract's NDJSON" python3 - "$T/list" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
items = [json.loads(l) for l in lines]
assert [i["id"] for i in items] == ["r1", "r3", "r2", "f3", "p5"], [i["id"] for i in items]
for i in items:
    assert list(i) == ["id", "kind", "record", "_source", "reasons"], list(i)
    assert i["kind"] == "ks"
    for r in i["reasons"]:
        assert set(r) <= {"field", "code", "message", "match"} and {"field", "code", "message"} <= set(r)
r1 = items[0]
assert r1["record"]["nksDanToc"] == "Kinb" and r1["record"]["meHoTen"] == ""
assert len(r1["record"]) == 70
assert r1["reasons"] == [{"field": "nksDanToc", "code": "ethnic_unknown",
                          "message": "Dân tộc 'Kinb' không có trong danh mục"}]
assert r1["_source"]["file"] == "so-03.tif"
m = items[2]["reasons"][0]["match"]
assert m == {"source": "existing", "id": "501", "score": 0.93}, m
assert items[3]["record"] == {} and items[3]["reasons"][0]["code"] == "entry_missing"
assert items[4]["record"] == {} and items[4]["_source"]["page"] == 3
assert items[4]["reasons"][0]["code"] == "page_failed"
PY
check "--reason and --book filter the list" bash -c \
	"[ \$('$HOTICH' review --db '$DB' --list --reason duplicate | wc -l) = 1 ] &&
	 [ \$('$HOTICH' review --db '$DB' --list --book nothing | wc -l) = 0 ] &&
	 [ \$('$HOTICH' review --db '$DB' --list --book SO-03 | wc -l) = 5 ]"

# ---- usage and refusals ---------------------------------------------------------
check_exit "a decision without --reviewer exits 2" 2 "$HOTICH" review --db "$DB" --approve r1
check_exit "the tool without --reviewer, \$HOTICH_REVIEWER or \$USER exits 2" 2 \
	env -u USER -u HOTICH_REVIEWER "$HOTICH" review --db "$DB" --dump
check "and says which name it needs" grep -q "needs --reviewer NAME, \$HOTICH_REVIEWER or \$USER" "$T/err"
check_exit "the tool takes \$USER when it is set" 0 env -u HOTICH_REVIEWER USER=hoa "$HOTICH" review --db "$DB" --dump
check "and shows who reviews" grep -q "hotich review · hoa" "$T/out"
check_exit "--set without COLUMN=VALUE exits 2" 2 "$HOTICH" review --db "$DB" --set r1 --reviewer lan
check_exit "an unknown reason exits 2" 2 "$HOTICH" review --db "$DB" --list --reason nope
check_exit "an unknown item exits 1" 1 "$HOTICH" review --db "$DB" --approve r99 --reviewer lan
check_exit "approving an undecided duplicate exits 1" 1 "$HOTICH" review --db "$DB" --approve r2 --reviewer lan
check "the refusal names the duplicate" grep -q "duplicate" "$T/err"
check_exit "--set of an unknown column exits 1" 1 "$HOTICH" review --db "$DB" --set r1 nope=1 --reviewer lan
check "refusals leave no audit row" test "$(q 'SELECT COUNT(*) FROM reviews')" = 0
check_exit "a script decision takes \$HOTICH_REVIEWER" 0 env HOTICH_REVIEWER=minh "$HOTICH" review --db "$DB" --set r3 nksDanToc=Kinh
check "it is audited under that name" test "$(q "SELECT reviewer FROM reviews ORDER BY id DESC LIMIT 1")" = minh

# ---- decisions and their audit rows ------------------------------------------------
check_exit "--set re-runs the field's checks" 0 "$HOTICH" review --db "$DB" --set r1 nksDanToc=Kinh --reviewer lan
check "--set stored the value" test "$(q "SELECT value FROM fields WHERE record_id = 1 AND name = 'nksDanToc'")" = Kinh
check "--set cleared the field's finding" test \
	"$(q "SELECT COUNT(*) FROM findings WHERE record_id = 1 AND field = 'nksDanToc' AND resolved = 0")" = 0
check "--set is in the audit log" test \
	"$(q "SELECT reviewer || '|' || action || '|' || field || '|' || old || '|' || new FROM reviews ORDER BY id DESC LIMIT 1")" = \
	"lan|set|nksDanToc|Kinb|Kinh"
"$HOTICH" review --db "$DB" --set r1 nksDanToc=Kinbx --reviewer lan >/dev/null 2>&1
check "a wrong value set is flagged again by validation" test \
	"$(q "SELECT COUNT(*) FROM findings WHERE record_id = 1 AND field = 'nksDanToc' AND resolved = 0")" -ge 1
"$HOTICH" review --db "$DB" --set r1 nksDanToc=Kinh --reviewer lan >/dev/null 2>&1
check_exit "--approve r1" 0 "$HOTICH" review --db "$DB" --approve r1 --reviewer lan
check "approve sets the status and resolves findings" test \
	"$(q "SELECT status || (SELECT COUNT(*) FROM findings WHERE record_id = 1 AND resolved = 0) FROM records WHERE id = 1")" = approved0
check "approve is in the audit log" test "$(q "SELECT action FROM reviews ORDER BY id DESC LIMIT 1")" = approve
check_exit "--different r2" 0 "$HOTICH" review --db "$DB" --different r2 --reviewer minh
check "the match decision is recorded" test \
	"$(q "SELECT decision || '|' || decided_by || '|' || (decided_at IS NOT NULL) FROM matches WHERE record_id = 2")" = "different|minh|1"
check_exit "r2 is approvable once decided" 0 "$HOTICH" review --db "$DB" --approve r2 --reviewer minh
check_exit "--reject f3 (book finding)" 0 "$HOTICH" review --db "$DB" --reject f3 --reviewer lan
check_exit "--approve p5 (failed page)" 0 "$HOTICH" review --db "$DB" --approve p5 --reviewer lan
check "book items are audited with their item id" test \
	"$(q "SELECT group_concat(item || ':' || action) FROM reviews WHERE record_id IS NULL")" = "f3:reject,p5:approve"
q "INSERT INTO claims(item, reviewer, expires_at) VALUES('r3', 'minh', strftime('%s','now') + 600)"
check_exit "an item open by another reviewer is refused" 1 "$HOTICH" review --db "$DB" --reject r3 --reviewer lan
check "the refusal names who holds it" grep -q "open by 'minh'" "$T/err"
q "UPDATE claims SET expires_at = strftime('%s','now') - 1"
check_exit "an expired claim does not block" 0 "$HOTICH" review --db "$DB" --reject r3 --reviewer lan
check "the queue is empty after every decision" test "$("$HOTICH" review --db "$DB" --list | wc -l)" = 0

# ---- the screen, as text -------------------------------------------------------------
make_db
"$HOTICH" review --db "$DB" --dump --size 100x30 --reviewer lan >"$T/dump" 2>&1
check "--dump shows counts, the flagged field and its reason" bash -c \
	"grep -q 'queue 5: fields 2 · duplicates 1 · missing entries 1 · failed pages 1' '$T/dump' &&
	 grep -q '▸!Dân tộc (nksDanToc) *Kinb' '$T/dump' && grep -q 'ethnic_unknown' '$T/dump'"
"$HOTICH" review --db "$DB" --dump --size 100x30 --reviewer lan --keys 'nn' >"$T/dump" 2>&1
check "--dump: the duplicate side by side, differences marked" bash -c \
	"grep -q 'existing 501 (score 0.93)' '$T/dump' && grep -q '= Trần Thị Bình' '$T/dump'"
"$HOTICH" review --db "$DB" --dump --size 100x40 --reviewer lan --keys '?' >"$T/dump" 2>&1
check "--dump: ? draws the help from the key table" bash -c \
	"grep -q 'approve the item and go to the next' '$T/dump' && grep -q 'j, Down' '$T/dump'"

# ---- a scan drawn in the terminal -------------------------------------------------
if "$HOTICH" fixtures --out "$T/fx" --pages 1 --damage none >/dev/null 2>&1 &&
   "$HOTICH" ingest --db "$T/img.db" "$T/fx" >/dev/null 2>&1; then
	sqlite3 "$T/img.db" <<'SQL'
INSERT INTO records(id, kind, book_id, page_id, idx, status, created_at)
 SELECT 1, 'ks', book_id, id, 0, 'review', 'now' FROM pages WHERE page_no = 1;
INSERT INTO fields(record_id, name, raw, value, x, y, w, h)
 SELECT 1, 'ghiChu', 'title', 'title', 0, 0, width, height / 8 FROM pages WHERE page_no = 1;
INSERT INTO findings(record_id, stage, field, code, message, severity) VALUES(1, 'validate', 'ghiChu', 'x', 'look', 1);
SQL
	"$HOTICH" review --db "$T/img.db" --dump --size 120x40 --reviewer lan >"$T/dump" 2>&1
	check "--dump draws the field's scan in blocks" bash -c \
		"grep -q 'scan of ghiChu · page 1' '$T/dump' && [ \$(grep -c '[█▀▄]' '$T/dump') -ge 3 ]"
else
	notok "scan drawing: fixtures or ingest failed"
fi

# ---- a corrected entry number takes its "missing" item out of the queue ---------------
M=$T/m.db
new_db "$M"
sqlite3 "$M" "INSERT INTO books(id, path, name, sha256, added_at, kind) VALUES(1, '/x.tif', 'so-05.tif', 'b', 'now', 'ks');
INSERT INTO pages(id, book_id, page_no, status) VALUES (1, 1, 1, 'done');
INSERT INTO records(id, kind, book_id, page_id, idx, entry_no, entry_int, status, created_at) VALUES
 (1,'ks',1,1,0,'1',1,'new','x'),(2,'ks',1,1,1,'2',2,'new','x'),(3,'ks',1,1,2,'4',4,'new','x'),(4,'ks',1,1,3,'7',7,'new','x');
INSERT INTO fields(record_id, name, raw) VALUES (1,'so','1'),(2,'so','2'),(3,'so','4'),(4,'so','7');"
"$HOTICH" validate --db "$M" >/dev/null 2>&1
missing() { sqlite3 "$M" "SELECT group_concat(message || ':' || resolved, '|') FROM findings WHERE record_id IS NULL AND code = 'entry_missing' ORDER BY id"; }
check "validate finds 3, 5 and 6 missing" test "$(missing)" = \
	"Thiếu số 3 trong sổ so-05.tif:0|Thiếu số 5 trong sổ so-05.tif:0|Thiếu số 6 trong sổ so-05.tif:0"
f6=$(sqlite3 "$M" "SELECT 'f' || id FROM findings WHERE message LIKE 'Thiếu số 6 %'")
"$HOTICH" review --db "$M" --approve "$f6" --reviewer lan >/dev/null 2>&1
check_exit "correcting r3's entry number 4 to 3" 0 "$HOTICH" review --db "$M" --set r3 so=3 --reviewer lan
check "3 is no longer missing, 4 now is, and the acknowledged 6 stays acknowledged" test "$(missing)" = \
	"Thiếu số 4 trong sổ so-05.tif:0|Thiếu số 5 trong sổ so-05.tif:0|Thiếu số 6 trong sổ so-05.tif:1"
check "the queue's missing items follow" test "$("$HOTICH" review --db "$M" --list --reason missing | wc -l)" = 2

# ---- the real curses tool in tmux ---------------------------------------------------
if ! command -v tmux >/dev/null; then
	skip "tmux is not installed: the curses tool is not driven"
	exit 0
fi
make_db
sock="$T/tmux.sock"
tm() { tmux -S "$sock" "$@"; }
# Poll for a condition (not a timing assertion: up to ~20 s on a busy machine).
wait_for() { for _ in $(seq 100); do eval "$1" && return 0; sleep 0.2; done; return 1; }
# A second flag on r1, on a field the tool does not select first: a asks.
q "INSERT INTO findings(id, record_id, book_id, stage, field, code, message, severity) VALUES
 (4, 1, 1, 'validate', 'nksDanToc', 'ethnic_unknown', 'x', 1), (5, 1, 1, 'validate', 'nksHoTen', 'name_low_conf', 'Tên đọc chưa chắc', 1)"
tm -u new-session -d -x 120 -y 40 "LANG=C.UTF-8 '$HOTICH' review --db '$DB' --reviewer lan; echo \$? >'$T/tui.rc'"
if wait_for "tm capture-pane -p 2>/dev/null | grep -q 'hotich review · lan'"; then
	ok "the tool draws its screen in tmux"
else
	notok "the tool draws its screen in tmux"
fi
tm capture-pane -p >"$T/screen"
check "the screen shows the record's flagged field" grep -q "Dân tộc (nksDanToc)" "$T/screen"
check "the open item is claimed" test "$(q "SELECT reviewer FROM claims WHERE item = 'r1'")" = lan
tm send-keys a
if wait_for "tm capture-pane -p | grep -q 'approve r1 with 1 flagged field not looked at (nksDanToc)? y: approve'"; then
	ok "a on unseen flags asks first, in tmux"
else
	notok "a on unseen flags asks first, in tmux"
fi
check "nothing is approved before the answer" test "$(q 'SELECT status FROM records WHERE id = 1')" = review
tm send-keys y
if wait_for "[ \"\$(q 'SELECT status FROM records WHERE id = 1')\" = approved ]"; then
	ok "a in the tool approves the record"
else
	notok "a in the tool approves the record"
fi
check "the approval is audited as an override of the error" test \
	"$(q "SELECT reviewer || '|' || action FROM reviews WHERE record_id = 1")" = "lan|approve-override"
wait_for "tm capture-pane -p | grep -q 'r1 approved'"
tm send-keys '?'
if wait_for "tm capture-pane -p | grep -q 'keys (this screen is drawn from the key table)'"; then
	ok "? shows the keys in tmux"
else
	notok "? shows the keys in tmux"
fi
check "the help names the approval and the sixel pictures" bash -c \
	"tm() { tmux -S '$sock' \"\$@\"; }; tm capture-pane -p | grep -q 'approve the item' &&
	 tm capture-pane -p | grep -q 'braille dots / half blocks / real pixels'"
tm send-keys Escape
# A stray byte that is not UTF-8 costs itself alone (issue #18): q still quits.
tm send-keys -H ff
tm send-keys q
if wait_for "[ -s '$T/tui.rc' ]"; then
	check "q right after a stray 0xFF byte exits 0" test "$(cat "$T/tui.rc")" = 0
else
	notok "q right after a stray 0xFF byte exits 0 (the tool did not exit)"
fi
check "quitting releases the claim" test "$(q 'SELECT COUNT(*) FROM claims')" = 0
tm kill-server 2>/dev/null

# $HOTICH_SIXEL overrides the terminal's answer (tmux gives none): yes
# starts in real pixels, b cycles to braille, blocks and back; no never
# offers them.
pixels_after() {	# SIXEL KEYS: the last "pictures in ..." message
	tm -u new-session -d -x 120 -y 40 \
		"LANG=C.UTF-8 HOTICH_SIXEL=$1 '$HOTICH' review --db '$DB' --reviewer lan"
	wait_for "tm capture-pane -p | grep -q 'hotich review'" || return 1
	for k in $2; do tm send-keys "$k"; sleep 0.3; done
	tm capture-pane -p | grep -o 'pictures in [a-z ]*' | tail -1 | sed 's/ *$//'
	tm kill-server 2>/dev/null
}
check "HOTICH_SIXEL=yes: b b b comes back to real pixels" \
	test "$(pixels_after yes "b b b")" = "pictures in real pixels"
check "HOTICH_SIXEL=no: b b b is braille, never real pixels" \
	test "$(pixels_after no "b b b")" = "pictures in braille dots"
exit 0
