#!/usr/bin/env bash
# Robustness and personal data (issue #9): full disks, kill -9 during import
# and export, hostile values, file modes, nothing personal in the logs.
. "$(dirname "$0")/lib.sh"
cd "$T"
command -v sqlite3 >/dev/null || { skip "robustness: sqlite3 CLI missing"; exit 0; }

"$HOTICH" fixtures --out fx --seed 21 --kind ks --pages 2 --existing --damage none >/dev/null 2>&1
[ -s fx/existing.csv ] || { notok "fixtures with --existing"; exit 0; }
# A larger extract: the same rows under new STTs, 200 times over.
awk -F, 'NR == 1 {print; next} {for (k = 0; k < 200; k++) {sub(/^[^,]*/, "X" k "-" NR); print}}' \
	fx/existing.csv >big.csv
rows=$(($(wc -l <big.csv) - 1))

# ---- kill -9 during import-existing, then again: same as no kill ----------
"$HOTICH" import-existing --db clean.db --kind ks big.csv >/dev/null 2>&1
want=$(sqlite3 clean.db "SELECT COUNT(*), COUNT(DISTINCT stt) FROM existing")
"$HOTICH" import-existing --db killed.db --kind ks big.csv >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
mid=$(sqlite3 killed.db "SELECT COUNT(*) FROM existing" 2>/dev/null)
"$HOTICH" import-existing --db killed.db --kind ks big.csv >/dev/null 2>&1
got=$(sqlite3 killed.db "SELECT COUNT(*), COUNT(DISTINCT stt) FROM existing")
[ "$got" = "$want" ] && ok "kill -9 during import-existing (at ${mid:-0} rows), then again: $got rows as without the kill" \
	|| notok "kill -9 during import-existing: got '$got', want '$want'"
check "database intact after kill -9" bash -c "[ \"\$(sqlite3 killed.db 'PRAGMA integrity_check')\" = ok ]"

# ---- kill -9 during export, then again: as if never killed ----------------
"$HOTICH" import-batch --db ex.db --kind ks big.csv >/dev/null 2>&1
sqlite3 ex.db "UPDATE records SET status = 'clean'"
cp ex.db ex2.db
"$HOTICH" export --db ex2.db --kind ks --format json --out want.json >/dev/null 2>&1
"$HOTICH" export --db ex.db --kind ks --format json --out got.json >/dev/null 2>&1 &
pid=$!
sleep 0.2
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
# Killed before the rename: no file and no export recorded; after it: whole.
if [ -e got.json ]; then
	python3 -c "import json,sys; json.load(open('got.json'))" 2>/dev/null && ok "kill -9 during export: the file is whole" \
		|| notok "kill -9 during export left a half-written file"
else
	n=$(sqlite3 ex.db "SELECT COUNT(*) FROM exports")
	[ "$n" = 0 ] && ok "kill -9 during export: no file, no export recorded" \
		|| notok "kill -9 during export: $n exports recorded without a file"
fi
rm -f got.json got.json.manifest.json
"$HOTICH" export --db ex.db --kind ks --format json --out got.json >/dev/null 2>&1
check "export again after the kill: byte-identical to an export never killed" cmp -s got.json want.json

# ---- a full disk: the database on a tiny filesystem ----------------------
if mkdir -p mnt && mount -t tmpfs -o size=600k tmpfs mnt 2>/dev/null; then
	head -3 big.csv >small.csv
	"$HOTICH" import-existing --db mnt/h.db --kind ks small.csv >/dev/null 2>&1
	before=$(sqlite3 mnt/h.db "SELECT COUNT(*) FROM existing")
	"$HOTICH" import-existing --db mnt/h.db --kind ks big.csv >out 2>err
	rc=$?
	if [ "$rc" -eq 1 ] && grep -qiE 'full|space' err; then
		ok "import onto a full disk: exit 1, '$(head -1 err | cut -c1-80)'"
	else
		notok "import onto a full disk: exit $rc, $(head -c 200 err)"
	fi
	check "full disk: database passes integrity_check" \
		bash -c "[ \"\$(sqlite3 mnt/h.db 'PRAGMA integrity_check')\" = ok ]"
	after=$(sqlite3 mnt/h.db "SELECT COUNT(*) FROM existing WHERE stt IN (SELECT stt FROM existing LIMIT $before)")
	[ "$after" -ge "$before" ] && ok "full disk: rows loaded before are still there ($after)" \
		|| notok "full disk: lost rows ($before before, $after after)"
	# Export onto the full filesystem: a clean error and no half file.
	"$HOTICH" import-batch --db clean.db --kind ks small.csv >/dev/null 2>&1
	sqlite3 clean.db "UPDATE records SET status = 'clean'"
	dd if=/dev/zero of=mnt/filler bs=1k count=2000 2>/dev/null
	"$HOTICH" export --db clean.db --kind ks --format csv --out mnt/ks.csv >/dev/null 2>err
	rc=$?
	if [ "$rc" -ne 0 ] && [ ! -e mnt/ks.csv ] && [ -z "$(ls mnt | grep -v -e h.db -e filler)" ]; then
		ok "export onto a full disk: exit $rc, no file and no temporary left"
	else
		notok "export onto a full disk: exit $rc, left: $(ls mnt | tr '\n' ' ')"
	fi
	umount mnt
else
	skip "full disk: cannot mount a tmpfs here (not root)"
fi

# ---- a file-size limit (ulimit -f) on the database -----------------------
cp clean.db lim.db
( ulimit -f 64; "$HOTICH" import-existing --db lim.db --kind ks big.csv >/dev/null 2>err; echo $? >rc )
rc=$(cat rc)
if [ "$rc" -eq 1 ] && [ "$(sqlite3 lim.db 'PRAGMA integrity_check')" = ok ]; then
	ok "file-size limit: exit 1 with '$(head -1 err | cut -c1-70)', database intact"
else
	notok "file-size limit: exit $rc ($(head -c 200 err))"
fi

# ---- hostile values: stored and exported exactly, never executed ----------
sed 's/$/\r/' >hostile.csv <<'CSV'
so,ngayDangKy,nksHoTen,nksGioiTinh,nksNgaySinh,ghiChu
1,01/02/2020,Nguyễn Văn An,Nam,01/01/2020,"x'); DROP TABLE records; --"
2,01/02/2020,Lê Thị Bình,Nữ,01/01/2020,"=HYPERLINK(""http://x"")"
3,01/02/2020,Trần Văn Cường,Nam,01/01/2020,"a ""quoted"", comma
newline"
4,01/02/2020,Phạm Thị Dung,Nữ,01/01/2020,@SUM(A1)
CSV
"$HOTICH" import-batch --db h2.db --kind ks hostile.csv >/dev/null 2>&1
check "hostile values: the records table survives" \
	bash -c "[ \"\$(sqlite3 h2.db 'SELECT COUNT(*) FROM records')\" = 4 ]"
check "hostile values: stored exactly" bash -c \
	"sqlite3 h2.db \"SELECT raw FROM fields WHERE name = 'ghiChu'\" | grep -qF \"x'); DROP TABLE records; --\""
sqlite3 h2.db "UPDATE records SET status = 'clean'"
"$HOTICH" export --db h2.db --kind ks --format json --out h.json >/dev/null 2>&1
"$HOTICH" export --db h2.db --kind ks --format csv --out h.csv >/dev/null 2>&1
if python3 - h.json h.csv <<'PY'
import csv, json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
notes = sorted(r["ghiChu"] for r in j)
want = sorted(["x'); DROP TABLE records; --", '=HYPERLINK("http://x")', 'a "quoted", comma\r\nnewline', "@SUM(A1)"])
assert notes == want, notes
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline=""), strict=True))
guarded = sorted(r["ghiChu"] for r in rows)
assert "'=HYPERLINK(\"http://x\")" in guarded and "'@SUM(A1)" in guarded, guarded
PY
then ok "hostile values exported exactly in JSON, formula-guarded in CSV"; else notok "hostile values in exports"; fi

# ---- personal data ---------------------------------------------------------
check "database created 0600" bash -c "[ \$(stat -c %a h2.db) = 600 ]"
check "export created 0600" bash -c "[ \$(stat -c %a h.csv) = 600 ] && [ \$(stat -c %a h.csv.manifest.json) = 600 ]"
"$HOTICH" import-batch --db p.db --kind ks big.csv >/dev/null 2>log1
"$HOTICH" validate --db p.db >/dev/null 2>log2
"$HOTICH" dedup --db p.db >/dev/null 2>log3
names=$(python3 -c "
import csv,sys
r = csv.DictReader(open('fx/existing.csv', encoding='utf-8'))
print('\n'.join(sorted({x['nksHoTen'] for x in r if x.get('nksHoTen')})))")
leaked=$(cat log1 log2 log3 | grep -F -f <(echo "$names") | head -2)
[ -z "$leaked" ] && ok "no names in logs at the default level" || notok "names in logs: $leaked"
