#!/usr/bin/env bash
# A short libFuzzer run of each fuzz target (TIFF ingest, CSV import) with
# ASan and UBSan.  A longer run: FUZZ_SECONDS=3600 bash tests/sh/fuzz.sh
. "$(dirname "$0")/lib.sh"
SECS=${FUZZ_SECONDS:-20}
if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
	skip "fuzzing: clang with libFuzzer is not installed (make deps installs it)"
	exit 0
fi
if ! make -C "$TOP" --no-print-directory fuzz >"$T/build.log" 2>&1; then
	notok "fuzz targets build ($(tail -3 "$T/build.log"))"
	exit 0
fi
ok "fuzz targets build"

# Seeds: small books of our own making, and the TIFF torture corpus when present.
mkdir -p "$T/tiff" "$T/csv" "$T/art"
"$HOTICH" fixtures --out "$T/fx" --seed 5 --pages 1 --dpi 72 --compression g4 --damage none >/dev/null 2>&1
"$HOTICH" fixtures --out "$T/fx2" --seed 6 --pages 2 --dpi 72 --compression lzw --damage none --existing >/dev/null 2>&1
cp "$T"/fx/*.tif "$T"/fx2/*.tif "$T/tiff/" 2>/dev/null
find "$SHARED/bench-data/tiff/checkit_tiff" -type f -size -64k 2>/dev/null | head -40 | while read -r f; do cp "$f" "$T/tiff/"; done
head -c 20000 "$T/fx2/existing.csv" >"$T/csv/existing.csv" 2>/dev/null
printf 'STT,so,nksHoTen,ghiChu\r\n1,"a,""b""",Nguyễn,"x\r\ny"\r\n' >"$T/csv/quoted.csv"

run_target() {
	local name=$1 corpus=$2; shift 2
	(cd "$T/art" && timeout $((SECS + 120)) "$TOP/build/fuzz/$name" -max_total_time="$SECS" \
		-rss_limit_mb=2048 -timeout=20 "$@" "$corpus" >"$T/$name.log" 2>&1)
	local rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$name: $(grep -o 'Done [0-9]* runs' "$T/$name.log") in ${SECS}s, no crash, leak or hang"
	else
		notok "$name (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY' "$T/$name.log"); input kept in $T/art"
		cp -r "$T/art" "$TOP/build/fuzz-artifacts-$name" 2>/dev/null
	fi
}
run_target fuzz_tiff "$T/tiff" -max_len=262144
run_target fuzz_csv "$T/csv" -max_len=65536
