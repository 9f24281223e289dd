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
	'"$HOTICH" run --db local/{}.db --threads 1 --shard {}/3 books && mv local/{}.db shards/{}.db' \
	::: 1 2 3 >par.out 2>par.err
check "parallel ran the 3 shards ($(tail -1 par.err))" [ "$(ls shards/*.db 2>/dev/null | wc -l)" -eq 3 ]
check "each book in exactly one shard" [ "$(for d in shards/*.db; do sqlite3 "$d" "SELECT name FROM books"; done | sort | uniq -c | awk '$1 == 1' | wc -l)" -eq "$(ls books/*.tif | wc -l)" ]
check "shards leave dedup to the merge" [ "$(for d in shards/*.db; do sqlite3 "$d" "SELECT COUNT(*) FROM dedup_keys"; done | sort -u)" = 0 ]
merged shards/1.db shards/2.db shards/3.db
same one main "parallel -j 2"

# Merging again changes nothing.
before=$(dump main.db)
check_exit "merging again exits 0" 0 "$HOTICH" merge --db main.db shards/1.db shards/2.db shards/3.db
check "merging again says so" grep -q "merged before" "$T/out"
check "merging again changes nothing" [ "$(dump main.db)" = "$before" ]

# A shard holding a book main has is refused, named; the rest goes on.
"$HOTICH" run --db again.db --threads 1 --shard 1/2 books >/dev/null 2>&1
check_exit "a shard of books main has exits 3" 3 "$HOTICH" merge --db main.db again.db
check "the refusal names the shard and the book" grep -q "shard 'again.db' holds '.*books/.*\.tif', which 'main.db' has already" "$T/err"
check "nothing of it came in" [ "$(dump main.db)" = "$before" ]

# kill -9 in the middle of a merge: the same command then completes it.
rm -f k.db*
"$HOTICH" import-existing --db k.db --kind ks books/existing.csv >/dev/null 2>&1
"$HOTICH" merge --db k.db shards/1.db >/dev/null
"$HOTICH" merge --db k.db shards/2.db shards/3.db >/dev/null 2>&1 &
pid=$!
sleep 0.05
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "after kill -9 the links hold" [ "$(sqlite3 k.db "PRAGMA foreign_key_check" | wc -l)" -eq 0 ]
check_exit "the same merge again exits 0" 0 "$HOTICH" merge --db k.db shards/1.db shards/2.db shards/3.db
"$HOTICH" dedup --db k.db >/dev/null
dump k.db >k.dump # main.dump: main.db before the approvals, from same()
check "after kill -9 and again: the same records and findings as main ($(diff k.dump main.dump | head -3 | tr "\n" " "))" cmp -s k.dump main.dump
