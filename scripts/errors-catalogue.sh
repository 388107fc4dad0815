#!/usr/bin/env bash
# Writes docs/errors.md, the catalogue of bad input, from the tables of the
# bad-input test programs (tests/cli/test_cli_bad_*.c): for every row its
# name, what it breaks, the exit status and the exact message on standard
# error. The test docs_errors checks that the page is current.
#
#   bash scripts/errors-catalogue.sh [--rows DIR] BUILD_DIR [OUT]   (OUT: docs/errors.md)
#
# --rows DIR: take the rows the test programs wrote to DIR/<program>.md when
# ctest ran them (RT_ERRORS_MD, tests/CMakeLists.txt) instead of running
# them again.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=''
if [ "${1:-}" = --rows ]; then
  rows=$(cd "${2:?--rows wants a folder}" && pwd)
  shift 2
fi
build=$(cd "${1:?usage: $0 [--rows DIR] BUILD_DIR [OUT]}" && pwd)
out=${2:-docs/errors.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

titles() {
  case "$1" in
    cli_test_cli_bad_input) echo "The study file, its inputs, writing the outputs, usage" ;;
    cli_test_cli_bad_study) echo "Hostile study files and speed profiles" ;;
    cli_test_cli_bad_io) echo "Input files, layers, rasters, tables and remote paths" ;;
    cli_test_cli_bad_outputs) echo "Outputs, signals, disks and the command line" ;;
    *) echo "$1" ;;
  esac
}

{
  echo "# Errors: the bad-input catalogue"
  echo
  echo "Every row is a broken study file, input, output folder or command line, the exit status"
  echo "reistijd gives (1 for an error in the data or the files, 2 for a usage error, 130 when"
  echo "interrupted; see [cli.md](cli.md)) and the message it prints on standard error, word for"
  echo "word. In every case nothing is printed on standard output, no temporary file is left in the"
  echo "output folder and the folder of the inputs is unchanged; a case that fails writes nothing to"
  echo "the output folder (the few cases with exit status 0 say what they leave). Case names are"
  echo "unique across the page. A study row changes one line of a template study (shown as *line*"
  echo "→ *line*); \`<in>\` is the folder of its inputs and \`<out>\` the folder given to \`-o\`."
  echo
  echo "Each row is a test of \`tests/cli/test_cli_bad_*.c\` (the template study is in"
  echo "\`tests/cli/bad_input.h\`); \`scripts/errors-catalogue.sh\` makes this page from them."
  total=0
  for prog in $(cd "$build/tests" && ls cli_test_cli_bad_* 2>/dev/null | sort); do
    if [ -n "$rows" ]; then
      [ -s "$rows/$prog.md" ] || {
        echo "errors-catalogue: no rows of $prog in $rows; run it under ctest first" >&2
        exit 1
      }
      cp "$rows/$prog.md" "$tmp/$prog.md"
    else
      RT_ERRORS_MD="$tmp/$prog.md" RT_EXE="$build/src/cli/reistijd" RT_SOURCE_DIR="$PWD" \
        "$build/tests/$prog" >/dev/null 2>&1 || {
        echo "errors-catalogue: $prog failed; run it under ctest to see why" >&2
        exit 1
      }
    fi
    n=$(wc -l <"$tmp/$prog.md")
    total=$((total + n))
    echo
    echo "## $(titles "$prog") ($n)"
    echo
    echo "| case | what is broken | exit | message |"
    echo "|---|---|---|---|"
    # the pid of a temporary name varies; a run of 30 or more equal
    # characters (the over-long names) is written as <N x c>
    sed -E 's/\.tmp-[0-9]+-/.tmp-<pid>-/g' "$tmp/$prog.md" |
      perl -pe 's/(.)\1{29,}/"<" . length($&) . " x $1>"/ge'
  done
  echo
  echo "$total cases in all."
} >"$tmp/errors.md"
dups=$(grep -o '^| `[^`]*`' "$tmp/errors.md" | sort | uniq -d | tr -d '|`' | xargs)
if [ -n "$dups" ]; then
  echo "errors-catalogue: case names used twice: $dups" >&2
  exit 1
fi
mv "$tmp/errors.md" "$out"
echo "errors-catalogue: $out"
