#!/usr/bin/env bash
# Every complete study printed in the documentation still validates. A
# study meant to run as it is sits in a fenced block whose info string is
# `yaml study` (docs/*.md, README.md); its paths are as seen from a file in
# studies/ (`../geodata/...`). Each block is saved in a folder beside a link
# to geodata/ and checked with `reistijd validate`.
# Usage: test_doc_snippets.sh REISTIJD_EXE SOURCE_DIR
set -euo pipefail
exe=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/studies"
ln -s "$src/geodata" "$tmp/geodata"

n=0 failed=0
for page in "$src"/docs/*.md "$src/README.md"; do
    name=$(basename "$page" .md)
    # one file per block: <page>-<line of the opening fence>.yaml
    awk -v dir="$tmp/studies" -v name="$name" '
        /^```yaml study$/ { out = sprintf("%s/%s-%d.yaml", dir, name, NR); printf "" >out; next }
        out && /^```$/    { close(out); out = ""; next }
        out               { print >>out }
        END               { if (out) { print name ": unterminated yaml study block" >"/dev/stderr"; exit 1 } }
    ' "$page"
done
for study in "$tmp"/studies/*.yaml; do
    [ -e "$study" ] || break
    n=$((n + 1))
    label="$(basename "$study" .yaml | sed 's/-\([0-9]*\)$/.md, block at line \1/')"
    if (cd "$tmp/studies" && "$exe" validate -q "$(basename "$study")") >"$tmp/out" 2>&1; then
        echo "test_doc_snippets: ok: $label"
    else
        echo "test_doc_snippets: FAILED: $label" >&2
        sed 's/^/    /' "$tmp/out" >&2
        failed=$((failed + 1))
    fi
done
if [ "$n" -eq 0 ]; then
    echo "test_doc_snippets: FAILED: no block marked 'yaml study' in docs/*.md or README.md" >&2
    exit 1
fi
if [ "$failed" -gt 0 ]; then
    echo "test_doc_snippets: $failed of $n documented studies do not validate" >&2
    exit 1
fi
echo "test_doc_snippets: all $n documented studies validate"
