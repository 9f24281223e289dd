#!/usr/bin/env bash
# make demo: a night in small.  Renders a few register books of each kind
# (birth, marriage, death), runs the overnight batch on them, shows what was
# accepted and why the rest waits, lets a supervisor decide a few records
# through the script interface, and exports them; then names the commands
# for the morning (the review tool, the report).
set -u
cd "$(dirname "$0")/.." || exit 1
out=demo
db=$out/hotich.db
rm -rf "$out"; mkdir -p "$out"
export HOTICH_DATA="$PWD/data"
say() { echo; echo "## $*"; }
step() { echo "\$ $*"; "$@"; local rc=$?; [ "$rc" -eq 0 ] || echo "(exit $rc)"; }

say "Six register books: two of each kind, two pages each, scanned with some damage"
step ./hotich fixtures --out "$out/books" --seed 1 --kind all --books 2 --pages 2 --damage light
ls "$out/books"/*.tif | sed 's|^|  |'

say "The night: ingest, OCR, validate, dedup (Ctrl-C and the same command goes on)"
step ./hotich run --db "$db" --threads 2 "$out/books"

say "Where it stands (hotich status --json for scripts)"
step ./hotich status --db "$db"

say "Why the rest waits: the reasons of the queued records, most frequent first"
./hotich review --db "$db" --list --reason field | python3 -c '
import collections, json, sys
items = [json.loads(l) for l in sys.stdin]
why = collections.Counter(c for i in items for c in {r["code"] for r in i["reasons"]})
print(f"  {len(items)} records wait for a supervisor; records with each finding:")
for code, n in why.most_common(8):
    print(f"    {code:24} {n}")
for i in items[:1]:
    print("  e.g. %s (%s, entry %s):" % (i["id"], i["_source"].get("file", ""), i["record"].get("so", "")))
    for r in i["reasons"][:4]:
        print("    %s: %s" % (r["field"] or "record", r["message"]))
'
echo "  A record passes unseen only when every field's probability of being right clears"
echo "  the acceptance model's bar (validate/accept.c); the others wait, for the reasons above."

say "A supervisor decides two records of each kind (the tool does this with a; here the script interface)"
ids=$(./hotich review --db "$db" --list --reason field | python3 -c '
import collections, json, sys
seen = collections.Counter()
for l in sys.stdin:
    i = json.loads(l)
    seen[i["kind"]] += 1
    if seen[i["kind"]] <= 2:
        print(i["id"])')
for id in $ids; do
	step ./hotich review --db "$db" --approve "$id" --reviewer demo
done

say "The export: what was accepted, in the Ministry's columns (csv; xlsx for the template)"
for k in ks kh kt; do
	step ./hotich export --db "$db" --kind "$k" --format csv --out "$out/$k.csv"
	step ./hotich export --db "$db" --kind "$k" --format xlsx --out "$out/$k.xlsx"
	python3 - "$out/$k.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
name = next((c for c in (rows[0] if rows else {}) if c.endswith("HoTen")), None)
cols = [c for c in ("so", "quyenSo", "ngayDangKy", name) if c]
print("  " + " | ".join(cols))
for r in rows:
    print("  " + " | ".join(r[c] for c in cols))
PY
done

say "The morning report"
step ./hotich report --db "$db" --out "$out/night.html"
echo "  open $out/night.html in a browser: books and their entry gaps, accepted, queued by"
echo "  reason, failed pages, expected residual error, pages per hour"

say "Next"
echo "  ./hotich review --db $db                 # the supervisors' tool (curses, ? for keys)"
echo "  ./hotich report --db $db --out night.html"
echo "  ./hotich export --db $db --kind kh --format xlsx --out kh.xlsx --since-last"
echo
echo "demo files are in $out/"
