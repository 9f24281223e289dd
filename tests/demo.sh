#!/usr/bin/env bash
# make demo: generate a sample book and run every stage that exists on it.
set -u
cd "$(dirname "$0")/.." || exit 1
out=demo
rm -rf "$out"; mkdir -p "$out"
export HOTICH_DATA="$PWD/data"
step() { echo; echo "\$ $*"; "$@"; echo "(exit $?)"; }
step ./hotich fixtures --out "$out/books" --seed 1 --kind ks --pages 3
step ./hotich run --db "$out/hotich.db" "$out/books"
step ./hotich status --db "$out/hotich.db"
echo; echo "\$ ./hotich review --db $out/hotich.db --list | head -c 600"
./hotich review --db "$out/hotich.db" --list | head -c 600; echo " ..."
# A supervisor approves the first queued record (the curses tool does the
# same with 'a': ./hotich review --db demo/hotich.db --reviewer demo).
first=$(./hotich review --db "$out/hotich.db" --list | sed -n '1s/^{"id": "\([^"]*\)".*/\1/p')
[ -n "$first" ] && step ./hotich review --db "$out/hotich.db" --approve "$first" --reviewer demo
step ./hotich export --db "$out/hotich.db" --kind ks --format csv --out "$out/ks.csv"
echo; echo "\$ head -c 400 $out/ks.csv"; head -c 400 "$out/ks.csv"; echo
echo; echo "demo files are in $out/"
