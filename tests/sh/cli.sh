#!/usr/bin/env bash
# The command-line contract: every command answers --help, bad usage exits 2.
. "$(dirname "$0")/lib.sh"
cd "$T"
for cmd in run ingest ocr validate merge dedup import-existing import-batch export review status report fixtures; do
	if "$HOTICH" "$cmd" --help >"$T/h" 2>&1 && grep -q "usage: hotich $cmd" "$T/h"; then
		ok "$cmd --help"
	else
		notok "$cmd --help"
	fi
done
for cmd in run ingest ocr validate merge dedup import-existing import-batch export review status report fixtures; do
	"$HOTICH" "$cmd" --help >"$T/h" 2>&1
	check "$cmd --help lists its exit codes and an example" bash -c \
		"grep -q '^Exit codes: 0 ' '$T/h' && grep -qE '^Examples?:' '$T/h' && grep -qE '^  hotich $cmd ' '$T/h'"
	"$HOTICH" help "$cmd" >"$T/h2" 2>&1
	check "hotich help $cmd is $cmd --help" cmp -s "$T/h" "$T/h2"
done
check_exit "a mistyped command exits 2" 2 "$HOTICH" rnu
check "and names the nearest one" grep -q "'rnu' is not a command; did you mean 'run'?" "$T/err"
check_exit "hotich help of a mistyped command exits 2" 2 "$HOTICH" help revew
check "and names the nearest one" grep -q "did you mean 'review'?" "$T/err"
check_exit "-j2 exits 2" 2 "$HOTICH" run -j2 "$T"
check "and is refused as the unknown option '-j'" grep -q "^hotich run: unknown option '-j'\$" "$T/err"
check_exit "a mistyped option exits 2" 2 "$HOTICH" run --threds 2 "$T"
check "and names the nearest one" grep -q "unknown option '--threds'; did you mean '--threads'?" "$T/err"
check_exit "a missing value exits 2" 2 "$HOTICH" run --threads
check "and says the option needs one" grep -q "option '--threads' needs a value" "$T/err"
check_exit "--version exits 0" 0 "$HOTICH" --version
check "--version gives the release and the commit" grep -qE '^hotich [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]' "$T/out"
mkdir -p "$T/notiff"
touch "$T/notiff/readme.txt"
check_exit "a folder with no TIFF exits 0" 0 "$HOTICH" ingest --db "$T/nt.db" "$T/notiff"
check "but is a warning naming it" grep -q "warning: no TIFF file in folder '$T/notiff'" "$T/err"
# make install into a DESTDIR: the man page and the bash completion too
# (-o hotich: the binary the other tests use is not relinked).
if make -s -C "$TOP" -o hotich install DESTDIR="$T/dest" PREFIX=/usr >"$T/inst" 2>&1; then
	ok "make install DESTDIR=... exits 0"
else
	notok "make install DESTDIR=... exits 0 ($(tail -3 "$T/inst"))"
fi
check "the binary, man page and completion are installed" test -x "$T/dest/usr/bin/hotich" -a \
	-f "$T/dest/usr/share/man/man1/hotich.1" -a -f "$T/dest/usr/share/bash-completion/completions/hotich"
if command -v man >/dev/null; then
	check "the man page renders with the exit status" bash -c \
		"MANWIDTH=80 man -l '$T/dest/usr/share/man/man1/hotich.1' 2>/dev/null | grep -q 'EXIT STATUS'"
fi
check "the completion completes commands and a command's options" bash -c "
	. '$T/dest/usr/share/bash-completion/completions/hotich'
	COMP_WORDS=('$HOTICH' st); COMP_CWORD=1; _hotich; [ \"\${COMPREPLY[*]}\" = status ] || exit 1
	COMP_WORDS=('$HOTICH' run --thr); COMP_CWORD=2; _hotich; [ \"\${COMPREPLY[*]}\" = --threads ]"
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
