#!/usr/bin/env bash
# Calibrated acceptance end to end (validate/accept.c): every field of a run
# on a generated book gets p and its evidence, the summary and the export
# manifest publish the expected wrong values among what was accepted, a
# record whose every field is accepted is clean and exported without a
# supervisor, and a missing or broken model file is a clear error.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

if ! "$HOTICH" fixtures --out fx --seed 7 --kind ks --pages 2 --damage none >/dev/null 2>fx.err; then
	skip "acceptance: fixtures not built ($(head -c 100 fx.err))"
	exit 0
fi
"$HOTICH" run --db r.db --threads 2 fx >out1 2>err1
check "run exits 0" [ $? -eq 0 ]
q() { sqlite3 r.db "$1"; }

unscored=$(q "SELECT COUNT(*) FROM fields WHERE p IS NULL")
check "every field of the OCR'd records has p ($unscored without)" [ "$unscored" -eq 0 ]
noev=$(q "SELECT COUNT(*) FROM fields WHERE evidence IS NULL")
check "every field carries its evidence ($noev without)" [ "$noev" -eq 0 ]
ncols=$(q "SELECT COUNT(*) FROM fields WHERE record_id = (SELECT min(id) FROM records)")
want_cols=$(grep -c . "$TOP/tests/contract/columns-ks.txt")
check "a lost value is an empty field, scored ($ncols fields, $want_cols columns)" \
	[ "$want_cols" -gt 0 -a "$ncols" -ge "$want_cols" ]
bad_flag=$(q "SELECT COUNT(*) FROM findings f JOIN fields x ON x.record_id = f.record_id
	AND x.name = f.field WHERE f.code = 'low_probability' AND x.p >= 0.9999")
check "low_probability only on doubtful fields" [ "$bad_flag" -eq 0 ]
check "no confidence-threshold finding is left" \
	[ "$(q "SELECT COUNT(*) FROM findings WHERE code IN ('low_confidence','reading_disagrees')")" -eq 0 ]
check "the summary states the expected wrong among accepted fields" \
	grep -q "accepted fields .*expected wrong .*(sum of 1 - p)" out1
check "the batch's stored summary carries it" \
	bash -c "sqlite3 r.db \"SELECT summary FROM batches\" | grep -q '\"expected_wrong\"'"

# As if the engine had read every value for sure: the model's decision
# alone makes records clean, and they export without an approval.
q "UPDATE fields SET conf = 99.5 WHERE conf >= 0"
"$HOTICH" validate --all --db r.db >val.out 2>&1
clean=$(q "SELECT COUNT(*) FROM records WHERE status = 'clean'")
check "records whose fields are all accepted are clean ($clean)" [ "$clean" -gt 0 ]
open_bad=$(q "SELECT COUNT(*) FROM findings f JOIN records r ON r.id = f.record_id
	WHERE r.status = 'clean' AND f.severity >= 1")
check "a clean record has no open finding" [ "$open_bad" -eq 0 ]
"$HOTICH" export --db r.db --kind ks --format ndjson --out ks.ndjson >exp.out 2>&1
check "export writes the clean records" [ "$(grep -c . ks.ndjson)" -eq "$clean" ]
man=$(ls ks.ndjson*manifest* 2>/dev/null | head -1)
if [ -n "$man" ]; then
	got=$(jq '.accepted_fields.expected_wrong' "$man")
	want=$(q "SELECT sum(1 - p) FROM fields f JOIN records r ON r.id = f.record_id
		WHERE r.status = 'clean' AND f.p IS NOT NULL")
	check "the manifest's expected wrong is the sum of 1 - p of its rows ($got, $want)" \
		python3 -c "import sys; sys.exit(abs($got - $want) > 1e-6)"
else
	notok "export wrote a manifest"
fi

# ---- the model file ------------------------------------------------------------
HOTICH_ACCEPT_MODEL=$T/none.tsv "$HOTICH" validate --all --db r.db >out2 2>err2
rc=$?
check "a missing model file is fatal (exit $rc)" [ "$rc" -eq 1 ]
check "and names the file" grep -q "cannot open acceptance model '.*none.tsv'" err2
printf 'features\tbias\nname\t0.9\t1\n' >bad.tsv
HOTICH_ACCEPT_MODEL=$T/bad.tsv "$HOTICH" validate --all --db r.db >out3 2>err3
check "a malformed model file is fatal and names its line" \
	bash -c "grep -q \"bad.tsv' line 1\" err3"
