#!/usr/bin/env bash
# Keeps the study of docs/quickstart.md working: the YAML printed there is
# studies/example-minimal.yaml, byte for byte; `reistijd validate` accepts
# it; and `reistijd run` writes the files the page names.
# Usage: test_quickstart.sh REISTIJD_EXE SOURCE_DIR
set -euo pipefail
exe=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_quickstart: FAILED: $*" >&2; exit 1; }
study=$src/studies/example-minimal.yaml
page=$src/docs/quickstart.md

awk '/^```yaml( study)?$/ {n++; on = (n == 1); next} /^```$/ {on = 0} on' "$page" >"$tmp/doc.yaml"
[ -s "$tmp/doc.yaml" ] || fail "no yaml block in docs/quickstart.md"
diff -u "$study" "$tmp/doc.yaml" || fail "docs/quickstart.md (+) shows another study than $study (-)"

"$exe" validate "$study" >"$tmp/validate.out" 2>"$tmp/validate.err" ||
    { cat "$tmp/validate.err" >&2; fail "reistijd validate failed"; }
grep -q '^inputs are valid' "$tmp/validate.out" || fail "validate did not say the inputs are valid"

"$exe" run "$study" -o "$tmp/out" -q 2>"$tmp/run.err" || { cat "$tmp/run.err" >&2; fail "reistijd run failed"; }
for f in ziekenhuis_time_min.tif ziekenhuis_facility.tif ziekenhuis_second_time_min.tif \
    ziekenhuis_second_facility.tif ziekenhuis_length_m.tif wijk.csv reistijd.gpkg run.json; do
    [ -s "$tmp/out/$f" ] || fail "the run wrote no $f"
done
for f in ziekenhuis_time_min.tif wijk.csv reistijd.gpkg run.json; do
    grep -qF "\`$f\`" "$page" || fail "docs/quickstart.md does not name $f"
done
# The wijken of Rotterdam (GM0599): Rotterdam Centrum is one of them.
grep -q 'WK059901' "$tmp/out/wijk.csv" || fail "wijk.csv has no row for WK059901 (Rotterdam Centrum)"
echo "test_quickstart: the documented study validates and runs; all checks passed"
