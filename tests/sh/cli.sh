#!/usr/bin/env bash
# The command-line contract: every command answers --help, bad usage exits 2.
. "$(dirname "$0")/lib.sh"
cd "$T"
for cmd in run ingest ocr validate dedup import-existing import-batch export review status fixtures; do
	if "$HOTICH" "$cmd" --help >"$T/h" 2>&1 && grep -q "usage: hotich $cmd" "$T/h"; then
		ok "$cmd --help"
	else
		notok "$cmd --help"
	fi
done
check_exit "unknown command exits 2" 2 "$HOTICH" frobnicate
check_exit "no command exits 2" 2 "$HOTICH"
check "top-level --help lists commands" bash -c "'$HOTICH' --help | grep -q import-existing"
new_db "$T/new.db"
check_exit "status on a new database" 0 "$HOTICH" status --db "$T/new.db"
check "database file is mode 0600" bash -c "[ \$(stat -c %a '$T/new.db') = 600 ]"
# Options may follow the inputs, as users type them.
mkdir -p "$T/empty"
"$HOTICH" ingest "$T/empty" --db "$T/late.db" >/dev/null 2>&1
check "options after the inputs are parsed (--db after INPUT)" test -f "$T/late.db"
check_exit "an unknown option exits 2" 2 "$HOTICH" status --frobnicate
