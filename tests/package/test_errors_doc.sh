#!/usr/bin/env bash
# docs/errors.md lists every row of the bad-input catalogue with its exact
# message: made again from the tests, it must be the same page.
# Usage: test_errors_doc.sh BUILD_DIR SOURCE_DIR [ROWS_DIR]
# With ROWS_DIR the rows are those the bad-input tests wrote there when
# they last ran (ctest runs them first); without it they are run again.
set -euo pipefail
build=$1
src=$2
rows=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$src/scripts/errors-catalogue.sh" ${rows:+--rows "$rows"} "$build" "$tmp/errors.md" >/dev/null
if ! diff -u "$src/docs/errors.md" "$tmp/errors.md" >"$tmp/diff"; then
  head -n 60 "$tmp/diff" >&2
  echo "test_errors_doc: docs/errors.md is out of date; run: bash scripts/errors-catalogue.sh $build" >&2
  exit 1
fi
echo "test_errors_doc: docs/errors.md lists $(grep -c '^| `' "$src/docs/errors.md") cases, all current"
