#!/usr/bin/env bash
# hotich run / hotich ocr end to end on a small generated book: exit code,
# records against truth.json, progress and summary, resumability.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# ---- the command line ---------------------------------------------------------
"$HOTICH" run --help >help.txt 2>&1
check "run --help names every option" bash -c \
	"grep -q 'usage: hotich run' help.txt && grep -q -- --threads help.txt &&
	 grep -q -- --kind help.txt && grep -q -- --page-timeout help.txt"
"$HOTICH" ocr --help >help.txt 2>&1
check "ocr --help names --page-timeout" grep -q -- --page-timeout help.txt
check "ocr --help hides the worker" bash -c "! grep -q -- --worker help.txt"
check_exit "run without INPUT exits 2" 2 "$HOTICH" run --db u.db
check_exit "run --kind xx exits 2" 2 "$HOTICH" run --db u.db --kind xx book.tif
check_exit "run --threads 0 exits 2" 2 "$HOTICH" run --db u.db --threads 0 book.tif
check_exit "ocr --page-timeout abc exits 2" 2 "$HOTICH" ocr --db u.db --page-timeout abc
check_exit "ocr on a missing database exits 1" 1 "$HOTICH" ocr --db u.db
new_db u.db
check_exit "ocr on an empty database exits 0" 0 "$HOTICH" ocr --db u.db
check "ocr on an empty database says 0 pages to read" grep -q "0 pages to read" "$T/err"

# ---- a small book ------------------------------------------------------------------
if ! "$HOTICH" fixtures --out fx --seed 7 --kind ks --pages 3 --damage none >/dev/null 2>fx.err; then
	notok "end to end: fixtures failed ($(head -c 100 fx.err))"
	exit 1
fi
want=$(jq '.records | length' fx/truth.json)
npages=$(jq '.pages | length' fx/truth.json)

"$HOTICH" run --db r.db --threads 2 fx >out1 2>err1
rc1=$?
if [ "$rc1" -eq 0 ]; then ok "run exits 0"; else notok "run exits $rc1, want 0: $(tail -3 err1)"; fi

q() { sqlite3 r.db "$1"; }
got=$(q "SELECT COUNT(*) FROM records")
check "records read = truth.json ($got, want $want)" [ "$got" -eq "$want" ]
# Each page holds as many records as the truth says, indexed from 0.
jq -r '.records[] | "\(.file) \(.page) \(.index)"' fx/truth.json | sort >want.set
q "SELECT b.name || ' ' || p.page_no || ' ' || r.idx FROM records r JOIN pages p ON p.id = r.page_id
   JOIN books b ON b.id = p.book_id" | sort >got.set
check "records by (file, page, index) match truth.json" cmp -s want.set got.set
check "no page left pending" [ "$(q "SELECT COUNT(*) FROM pages WHERE status = 'new'")" -eq 0 ]
check "engine, models and parameters stored with every record" [ "$(q "SELECT COUNT(*) FROM records
	WHERE json_extract(ocr, '$.engine') LIKE 'tesseract%'
	AND json_extract(ocr, '$.models') != '{}' AND json_extract(ocr, '$.params.threads') = 2
	AND json_extract(ocr, '$.engine_settings') LIKE 'oem lstm, %textord_disable_pitch_test=1, interpose on'")" -eq "$want" ]
check "book header stored" [ "$(q "SELECT kind FROM books")" = ks ]
check "progress lines on a non-terminal stderr" grep -qE "^$STAMP run: $npages/$npages pages \(100%\), [0-9.]+ pages/s" err1
check "no terminal escapes in a log" bash -c "! grep -q $'\033' err1"
check "summary printed" bash -c "grep -q '^summary' out1 && grep -qE 'pages read +$npages\$' out1 &&
	grep -qE 'records +$want\$' out1 && grep -q 'pages per second' out1"
check "summary stored with the batch" bash -c "sqlite3 r.db 'SELECT summary FROM batches' |
	jq -e '.pages == $npages and .records == $want' >/dev/null"
check "batch records engine and models" [ "$(q "SELECT COUNT(*) FROM batches
	WHERE engine LIKE 'tesseract%' AND models LIKE '{%'")" -eq 1 ]

# ---- resumable: the same command again reads nothing ------------------------------
"$HOTICH" run --db r.db --threads 2 fx >out2 2>err2
rc2=$?
check "second run exits 0 ($rc2)" [ "$rc2" -eq 0 ]
check "second run has 0 pages to read" grep -q "run: 0 pages to read" err2
check "second run reads no record twice" [ "$(q "SELECT COUNT(*) FROM records")" -eq "$want" ]
check "second run's summary says 0 pages" grep -qE 'pages read +0$' out2
check_exit "ocr after run exits 0" 0 "$HOTICH" ocr --db r.db
check "ocr after run has 0 pages to read" grep -q "ocr: 0 pages to read" "$T/err"

# ---- --kind given explicitly is the records' kind -----------------------------------
"$HOTICH" fixtures --out fx1 --seed 8 --kind ks --pages 1 --damage none >/dev/null 2>&1
"$HOTICH" run --db k.db --threads 2 --kind kh --quiet fx1 >/dev/null 2>errk
check "--kind kh: every record and the book are kh" bash -c \
	"[ \$(sqlite3 k.db \"SELECT COUNT(*) FROM records WHERE kind = 'kh'\") -eq \
	   \$(sqlite3 k.db 'SELECT COUNT(*) FROM records') ] &&
	 [ \$(sqlite3 k.db 'SELECT kind FROM books') = kh ] &&
	 [ \$(sqlite3 k.db 'SELECT COUNT(*) FROM records') -gt 0 ]"
check "--quiet: no progress lines" bash -c "! grep -q 'pages/s' errk"

# ---- for scripts: run --json and status --json ------------------------------------------
"$HOTICH" run --db j.db --threads 2 --quiet --json fx1 >j.out 2>j.err
check "run --json prints one JSON summary on stdout" bash -c \
	"[ \$(wc -l <j.out) -eq 1 ] && jq -e '.batch == 1 and .pages == 1 and .records > 0 and
	 (.review_reasons | type) == \"object\"' j.out >/dev/null"
"$HOTICH" status --db j.db --json >js.out 2>&1
jqe() { jq -e "$@" >/dev/null; }
check "status --json: counts, no run going on, the last batch and when it ended" jqe \
	'.pages.done + .pages.blank == 1 and .records.new + .records.clean + .records.review > 0 and
	 .run.in_progress == false and .last_batch.id == 1 and
	 (.last_batch.finished_at | test("^20[0-9-]+T[0-9:]+Z$")) and .last_batch.summary.pages == 1' js.out
"$HOTICH" status --db j.db >st.out 2>&1
check "status says no run is going on and when the last batch ended" bash -c \
	"grep -q '^no run in progress' st.out && grep -qE '^last batch 1 ended 20[0-9-]+T' st.out"

# A run that hangs on its page is in progress while it lives; a second run is
# refused; once killed (-9) it is not in progress any more.
rm -f h.db*
HOTICH_TEST_HANG_PAGE="$(jq -r '.books[0].file' fx1/truth.json):1" "$HOTICH" run --db h.db --threads 1 \
	--page-timeout 0 --quiet fx1 >/dev/null 2>h.err &
hpid=$!
for _ in $(seq 150); do
	"$HOTICH" status --db h.db --json 2>/dev/null | jq -e '.run.in_progress' >/dev/null && break
	sleep 0.2
done
check "status --json: a run in progress, with its batch" bash -c \
	"'$HOTICH' status --db h.db --json | jq -e '.run.in_progress and .run.batch == 1 and .last_batch == null' >/dev/null"
check_exit "a second run on the same database is refused" 1 "$HOTICH" run --db h.db --quiet fx1
check "and says another run is going on" grep -q "another run is going on with 'h.db'" "$T/err"
kill -9 "$hpid"
wait "$hpid" 2>/dev/null
check "status --json: a killed run is not in progress" bash -c \
	"'$HOTICH' status --db h.db --json | jq -e '.run.in_progress == false' >/dev/null"

# ---- the night's log: --verbose, one line a page; Ctrl-C says what was saved ------
rm -f v.db*
"$HOTICH" run --db v.db --threads 2 --verbose fx1 >/dev/null 2>v.err
book1=$(jq -r '.books[0].file' fx1/truth.json)
check "--verbose: a line for the page with its book, records and seconds, timestamped" \
	grep -qE "^$STAMP run: '$book1' page 1: [0-9]+ records, [0-9]+\.[0-9]{2} s" v.err
check "every line of the log begins with the time" bash -c "! grep -v '^$STAMP ' v.err | grep -q ."

rm -f i.db*
book0=$(jq -r '.books[0].file' fx/truth.json)
HOTICH_TEST_HANG_PAGE="$book0:$npages" "$HOTICH" run --db i.db --threads 1 --page-timeout 0 fx \
	>i.out 2>i.err &
ipid=$!
for _ in $(seq 300); do
	[ "$(sqlite3 i.db "SELECT COUNT(*) FROM pages WHERE status != 'new'" 2>/dev/null)" = $((npages - 1)) ] && break
	sleep 0.2
done
sleep 0.5
kill -INT "$ipid"
wait "$ipid"
check "Ctrl-C exits 130" [ $? -eq 130 ]
check "Ctrl-C says how many pages were saved and that the same command goes on" grep -qE \
	"^$STAMP run: interrupted: $((npages - 1)) pages saved, 1 still to read; the same command again goes on from there" i.err
check "the page in flight is not blamed for the interruption" [ "$(sqlite3 i.db \
	"SELECT status || ':' || attempts FROM pages WHERE page_no = $npages")" = "new:0" ]
"$HOTICH" run --db i.db --threads 1 --quiet fx >/dev/null 2>&1
check "the same command reads the rest" [ "$(sqlite3 i.db "SELECT COUNT(*) FROM records")" -eq "$want" ]
