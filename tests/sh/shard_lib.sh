# Helpers for the shard tests (shard.sh, slurm.sh): a few small books, one
# run over them, the merge of shards, and the comparison.  Sourced after
# lib.sh; tests/run.sh does not run it by itself.

# shard_books DIR: three books of two pages and existing records with
# planted duplicates of theirs; 1 when fixtures cannot be made.
shard_books() {
	"$HOTICH" fixtures --out "$1" --seed 17 --kind ks --books 3 --pages 2 --damage none \
		--existing >/dev/null 2>&1
}

# approve_export NAME: a supervisor approves what can be approved, then the
# birth records go to NAME-out/ks.csv (the same file name for every NAME).
approve_export() {
	local id
	for id in $("$HOTICH" review --db "$1.db" --list | jq -r 'select(.id | startswith("r")) | .id'); do
		"$HOTICH" review --db "$1.db" --reviewer t --approve "$id" >/dev/null 2>&1
	done
	mkdir -p "$1-out"
	"$HOTICH" export --db "$1.db" --kind ks --format csv --out "$1-out/ks.csv" >/dev/null 2>&1
}

# single DIR NAME: the existing records, then one run over DIR into NAME.db.
single() {
	rm -f "$2".db*
	"$HOTICH" import-existing --db "$2.db" --kind ks "$1/existing.csv" >/dev/null 2>&1
	"$HOTICH" run --db "$2.db" --threads 1 "$1" >"$2.out" 2>"$2.err"
}

# merged SHARD.db...: the existing records, the merge, dedup into main.db.
merged() {
	rm -f main.db*
	"$HOTICH" import-existing --db main.db --kind ks books/existing.csv >/dev/null 2>&1
	"$HOTICH" merge --db main.db "$@" >merge.out 2>merge.err
	"$HOTICH" dedup --db main.db >dedup.out 2>&1
}

# dump DB: records, fields and findings as text, by id.
dump() {
	sqlite3 "$1" "SELECT 'r', r.id, b.name, p.page_no, r.idx, r.status, r.entry_no
		FROM records r JOIN books b ON b.id = r.book_id JOIN pages p ON p.id = r.page_id
		ORDER BY r.id;
	SELECT 'f', record_id, name, raw, value, conf, corrected FROM fields ORDER BY record_id, name;
	SELECT 'x', record_id, coalesce(b.name, ''), coalesce(p.page_no, ''), stage, field, code,
		message, severity, match_source, match_id, score, resolved
		FROM findings f LEFT JOIN books b ON b.id = f.book_id LEFT JOIN pages p ON p.id = f.page_id
		ORDER BY 2, 5, 6, 7, 8"
}

# manifest NAME: the export's manifest without its time.
manifest() { jq 'del(.at, .exported_at, .time)' "$1-out/ks.csv.manifest.json"; }

# same SINGLE MERGED LABEL: the merged database gives what the single run gave.
same() {
	dump "$1.db" >"$1.dump"
	dump "$2.db" >"$2.dump"
	check "$3: merged records, fields and findings = one run's ($(grep -c '^r' "$1.dump") records, $(grep -c '^x' "$1.dump") findings)" cmp -s "$1.dump" "$2.dump"
	check "$3: duplicates found across shards as in one run" [ "$(grep -c '|duplicate' "$2.dump")" -eq "$(grep -c '|duplicate' "$1.dump")" ]
	approve_export "$1"
	approve_export "$2"
	check "$3: export file = one run's ($(($(wc -l <"$1-out/ks.csv") - 1)) rows)" cmp -s "$1-out/ks.csv" "$2-out/ks.csv"
	check "$3: export has rows" [ "$(wc -l <"$2-out/ks.csv")" -gt 1 ]
	check "$3: manifest = one run's, time aside" [ "$(manifest "$1")" = "$(manifest "$2")" ]
}
