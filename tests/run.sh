#!/usr/bin/env bash
# Runs every unit test binary (cmocka) and every shell test, then prints
# one closing line "N passed, N failed[, N skipped]".  Exit 1 on any failure.
#   tests/run.sh [--unit] [PATTERN]   --unit: unit tests only; PATTERN: only
#                                     tests whose file name contains it
#   O=DIR   where the unit test binaries are (default build)
set -u
cd "$(dirname "$0")/.." || exit 1
unit_only=0
if [ "${1:-}" = --unit ]; then unit_only=1; shift; fi
pat=${1:-}
O=${O:-build}
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
passed=0 failed=0 skipped=0
failures=()
log=build/test-logs
mkdir -p "$log"

run_unit() {
	local bin=$1 name out p f
	name=$(basename "$bin")
	out="$log/$name.log"
	CMOCKA_MESSAGE_OUTPUT=stdout timeout 600 "$bin" >"$out" 2>&1
	local rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" -gt 0 ] && failures+=("$name (see $out)")
	printf '%-28s %3d passed %3d failed\n' "$name" "$p" "$f"
}

run_shell() {
	local sh=$1 name out p f s
	name=$(basename "$sh" .sh)
	out="$log/sh-$name.log"
	timeout 1800 bash "$sh" >"$out" 2>&1
	local rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	s=$(grep -c '^skip ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited $rc" >>"$out"; fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$f" -gt 0 ] && failures+=("$name: $(grep '^not ok ' "$out" | head -3 | tr '\n' ';') (see $out)")
	printf '%-28s %3d passed %3d failed %3d skipped\n' "sh/$name" "$p" "$f" "$s"
}

for bin in "$O"/tests/test_*; do
	[ -x "$bin" ] || continue
	case "$bin" in *"$pat"*) run_unit "$bin" ;; esac
done
for sh in tests/sh/*.sh; do
	[ -f "$sh" ] && [ "$unit_only" = 0 ] || continue
	case "$sh" in *lib.sh) continue ;; *"$pat"*) run_shell "$sh" ;; esac
done

for f in "${failures[@]}"; do echo "FAILED: $f"; done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
