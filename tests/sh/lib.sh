# Shell test helpers.  Each check prints "ok - NAME", "not ok - NAME" or
# "skip - NAME"; tests/run.sh counts those lines.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HOTICH="$TOP/hotich"
SHARED="$TOP/../shared"
export HOTICH_DATA="$TOP/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/hotich-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

# The time every log line on stderr begins with (common.h: log_stamp).
STAMP='20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z'

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
skip() { echo "skip - $*"; }

# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}

# check_exit NAME CODE CMD...: ok when CMD exits with CODE.
check_exit() {
	local name=$1 want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else notok "$name (exit $rc, want $want: $(head -c 300 "$T/err"))"; fi
}

# new_db PATH: an empty hotich database (only run, ingest and the imports
# create one; status and the rest refuse a missing --db).
new_db() {
	printf 'STT\r\n' >"$T/.empty.csv"
	"$HOTICH" import-existing --quiet --db "$1" --kind ks "$T/.empty.csv" >/dev/null
}
