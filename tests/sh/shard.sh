#!/usr/bin/env bash
# run --shard K/N and merge: the GNU parallel recipe of the README on this
# machine (-j), against one run over the same books: the same records,
# findings and export files.  Also: merging twice, a kill -9 during a
# merge, a shard refused for holding a book main has.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/shard_lib.sh"
cd "$T" || exit 1

check_exit "--shard 0/2 exits 2" 2 "$HOTICH" run --db u.db --shard 0/2 x.tif
check_exit "--shard 3/2 exits 2" 2 "$HOTICH" run --db u.db --shard 3/2 x.tif
check_exit "merge without SHARD exits 2" 2 "$HOTICH" merge --db u.db
shard_books books || { skip "shards: fixtures not built"; exit 0; }
single books one

# ---- the README's recipe, on one machine -------------------------------------
if ! command -v parallel >/dev/null; then
	skip "GNU parallel: not installed (make deps installs it)"
	exit 0
fi
export HOTICH
mkdir -p local shards
# shellcheck disable=SC2016
parallel -j 2 --halt now,fail=1 \
	'"$HOTICH" run --db local/{}.db --threads 1 --shard {}/4 books && mv local/{}.db shards/{}.db' \
	::: 1 2 3 4 >par.out 2>par.err
check "parallel ran the 4 shards, the README's line (one has no book)" [ "$(ls shards/*.db 2>/dev/null | wc -l)" -eq 4 ]
check "each book in exactly one shard" [ "$(for d in shards/*.db; do sqlite3 "$d" "SELECT name FROM books"; done | sort | uniq -c | awk '$1 == 1' | wc -l)" -eq "$(ls books/*.tif | wc -l)" ]
check "shards leave dedup to the merge" [ "$(for d in shards/*.db; do sqlite3 "$d" "SELECT COUNT(*) FROM dedup_keys"; done | sort -u)" = 0 ]
merged shards/1.db shards/2.db shards/3.db shards/4.db
same one main "parallel -j 2"

# Merging again changes nothing.
before=$(dump main.db)
check_exit "merging again exits 0" 0 "$HOTICH" merge --db main.db shards/1.db shards/2.db shards/3.db shards/4.db
check "merging again says so" grep -q "merged before" "$T/out"
check "merging again changes nothing" [ "$(dump main.db)" = "$before" ]

# A shard holding a book main has is refused, named; the rest goes on.
"$HOTICH" run --db again.db --threads 1 --shard 1/2 books >/dev/null 2>&1
check_exit "a shard of books main has exits 3" 3 "$HOTICH" merge --db main.db again.db
check "the refusal names the shard and the book" grep -q "shard 'again.db' holds '.*books/.*\.tif', which 'main.db' has already" "$T/err"
check "nothing of it came in" [ "$(dump main.db)" = "$before" ]

# kill -9 in the middle of a merge: the same command then completes it, to
# the same database as a merge that was not interrupted.  Shards big enough
# to be caught at it: 4 x 5,000 records made with SQL (bench/merge_gen.sh).
"$TOP/bench/merge_gen.sh" gen 4 20000 >/dev/null
"$HOTICH" merge --db whole.db gen/s1.db gen/s2.db gen/s3.db gen/s4.db >/dev/null
"$HOTICH" merge --db k.db gen/s1.db gen/s2.db gen/s3.db gen/s4.db >/dev/null 2>&1 &
pid=$!
# Killed once the first shard is in, while the next one is on its way.
for _ in $(seq 600); do
	[ "$(sqlite3 k.db "SELECT COUNT(*) FROM merges" 2>/dev/null)" -ge 1 ] 2>/dev/null && break
	sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
done_before=$(sqlite3 k.db "SELECT COUNT(*) FROM merges")
check "killed during the merge ($done_before of 4 shards in)" [ "$done_before" -lt 4 ]
check "after kill -9 the links hold" [ "$(sqlite3 k.db "PRAGMA foreign_key_check" | wc -l)" -eq 0 ]
check "after kill -9 whole shards only" [ "$(sqlite3 k.db "SELECT COUNT(*) FROM records")" -eq "$(sqlite3 k.db "SELECT coalesce(sum(records), 0) FROM merges")" ]
check_exit "the same merge again exits 0" 0 "$HOTICH" merge --db k.db gen/s1.db gen/s2.db gen/s3.db gen/s4.db
rows() {
	sqlite3 "$1" "SELECT id, book_id, page_id, idx FROM records ORDER BY id;
		SELECT record_id, name, raw FROM fields ORDER BY record_id, name;
		SELECT id, page_no, ms_pre FROM pages ORDER BY id;
		SELECT record_id, code, message FROM findings ORDER BY record_id, id" | md5sum
}
check "after kill -9 and again: the database an uninterrupted merge gives" [ "$(rows k.db)" = "$(rows whole.db)" ]
check "and one run's order" [ "$(sqlite3 k.db "SELECT COUNT(*) FROM (SELECT r.id, row_number() OVER (ORDER BY r.book_id, p.page_no, r.idx) AS n FROM records r JOIN pages p ON p.id = r.page_id) WHERE id <> n")" -eq 0 ]
