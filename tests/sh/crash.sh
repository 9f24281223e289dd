#!/usr/bin/env bash
# A page that crashes or hangs the OCR costs that page, not the batch; a
# kill -9 of the whole run loses nothing: the same command finishes the rest.
# Every check compares with a clean run's set of (page, index).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

if ! "$HOTICH" fixtures --out fx --seed 11 --kind ks --pages 3 --damage none >/dev/null 2>fx.err; then
	notok "crash tests: fixtures failed ($(head -c 100 fx.err))"
	exit 1
fi
book=$(jq -r '.books[0].file' fx/truth.json)

# records DB: "page idx" lines, sorted
records() {
	sqlite3 "$1" "SELECT p.page_no || ' ' || r.idx FROM records r JOIN pages p ON p.id = r.page_id" | sort
}
# no (page, index) twice
once() {
	[ "$(sqlite3 "$1" "SELECT COUNT(*) FROM records")" -eq \
	  "$(sqlite3 "$1" "SELECT COUNT(DISTINCT page_id || ':' || idx) FROM records")" ]
}

"$HOTICH" run --db clean.db --threads 2 --quiet fx >/dev/null 2>clean.err
records clean.db >clean.set
if [ ! -s clean.set ]; then
	notok "clean run read no records: $(tail -3 clean.err)"
	exit 0
fi
ok "clean run read $(wc -l <clean.set) records"

# ---- a page that crashes the OCR (SIGSEGV) ------------------------------------
HOTICH_TEST_CRASH_PAGE="$book:2" "$HOTICH" run --db crash.db --threads 2 --quiet fx >/dev/null 2>crash.err
rc=$?
check "crash: exit 3" [ "$rc" -eq 3 ]
check "crash: the page is named on stderr" \
	grep -q "page 2 of '$book' failed: OCR crashed (signal 11)" crash.err
check "crash: that page alone is failed, with its reason" [ "$(sqlite3 crash.db \
	"SELECT group_concat(page_no || ':' || error) FROM pages WHERE status != 'done'")" = \
	"2:OCR crashed (signal 11)" ]
grep -v '^2 ' clean.set >want.set
records crash.db >got.set
check "crash: every other record present" cmp -s want.set got.set
check "crash: no record twice" once crash.db
check "crash: counted as a failed page in the summary" bash -c \
	"sqlite3 crash.db 'SELECT summary FROM batches' | jq -e '.failed == 1' >/dev/null"

# ---- a page that never finishes ------------------------------------------------
# Page 3 of the clean run is put back alone, so no innocent page races the
# time limit on a busy machine; `hotich ocr` reads what is pending.
sqlite3 clean.db ".backup hang.db"
sqlite3 hang.db "PRAGMA foreign_keys = ON;
	DELETE FROM records WHERE page_id = (SELECT id FROM pages WHERE page_no = 3);
	UPDATE pages SET status = 'new' WHERE page_no = 3"
HOTICH_TEST_HANG_PAGE="$book:3" "$HOTICH" ocr --db hang.db --threads 2 --page-timeout 3 \
	--quiet >/dev/null 2>hang.err
check "hang: ocr exits 3" [ $? -eq 3 ]
check "hang: the page is named on stderr" \
	grep -q "page 3 of '$book' failed: OCR took longer than 3 s" hang.err
check "hang: that page alone is failed" [ "$(sqlite3 hang.db \
	"SELECT group_concat(page_no || ':' || status) FROM pages WHERE status != 'done'")" = 3:failed ]
grep -v '^3 ' clean.set >want.set
records hang.db >got.set
check "hang: every other record present" cmp -s want.set got.set

# ---- kill -9 of the whole run, then the same command again ------------------------
"$HOTICH" run --db kill.db --threads 2 --quiet fx >/dev/null 2>kill.err &
pid=$!
committed=0
for _ in $(seq 1200); do
	committed=$(sqlite3 kill.db "SELECT COUNT(*) FROM pages WHERE status != 'new'" 2>/dev/null || echo 0)
	[ "${committed:-0}" -ge 1 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
worker=$(pgrep -P "$pid")
# bash reports the killed job on the shell's own stderr: keep it out of the log.
exec 3>&2 2>/dev/null
kill -9 "$pid"
wait "$pid"
exec 2>&3 3>&-
left=$(sqlite3 kill.db "SELECT COUNT(*) FROM pages WHERE status = 'new'")
check "kill -9: killed after $committed page(s), with $left still to read" [ "$left" -ge 1 ]
gone=1
for w in $worker; do
	for _ in $(seq 50); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$w" 2>/dev/null && gone=0
done
check "kill -9: the orphaned worker dies too" [ -n "$worker" -a "$gone" -eq 1 ]
# The re-run, on a terminal this time: the progress bar is drawn in place.
script -qec "'$HOTICH' run --db kill.db --threads 2 fx" /dev/null >rerun.tty 2>&1
check "kill -9: the re-run reads the rest" [ "$(sqlite3 kill.db \
	"SELECT COUNT(*) FROM pages WHERE status = 'new'")" -eq 0 ]
records kill.db >got.set
check "kill -9: every record exactly once, as in a clean run" cmp -s clean.set got.set
check "kill -9: no record twice" once kill.db
check "progress bar on a terminal" bash -c "grep -q $'\r' rerun.tty && grep -q 'pages/s' rerun.tty"
