#!/usr/bin/env bash
# Checks the man page made from docs/cli.md: it renders at 80 columns
# without warnings, whatis can read its NAME line, it has the usual
# sections, and every command documented in docs/cli.md
# ("## reistijd <command>") has its own section and a line in the SYNOPSIS.
# Usage: test_manpage.sh MAN_PAGE CLI_MD
set -euo pipefail
page=$1 cli_md=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_manpage: FAILED: $*" >&2; exit 1; }

[ -s "$page" ] || fail "$page is missing or empty"
# As man renders it for an 80-column terminal, with all warnings on.
groff -t -man -Tutf8 -ww -P-cbou "$page" >"$tmp/out" 2>"$tmp/err" || fail "groff failed: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "warnings while rendering"; }
if command -v man >/dev/null; then
    man -l "$page" >/dev/null 2>"$tmp/err" || fail "man -l failed: $(cat "$tmp/err")"
fi
if command -v lexgrog >/dev/null; then
    lexgrog "$page" | grep -q 'reistijd - .' || fail "whatis cannot read the NAME section: $(lexgrog "$page")"
fi
grep -q '^REISTIJD(1)' "$tmp/out" || fail "no REISTIJD(1) header"
for section in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' 'SEE ALSO'; do
    grep -qx "$section" "$tmp/out" || fail "no section $section"
done

mapfile -t commands < <(sed -n 's/^## `\{0,1\}reistijd \([a-z][a-z-]*\).*$/\1/p' "$cli_md")
[ "${#commands[@]}" -ge 3 ] || fail "found only ${#commands[@]} commands in $cli_md"
synopsis=$(sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' "$tmp/out")
for c in "${commands[@]}"; do
    grep -qx "REISTIJD ${c^^}" "$tmp/out" || fail "no section for 'reistijd $c'"
    grep -qE "^ +reistijd +$c( |$)" <<<"$synopsis" || fail "'reistijd $c' is not in the SYNOPSIS"
done
# every form of the "Usage:" blocks of docs/cli.md whole in the SYNOPSIS
# (their indented lines too): its words in order, wherever lines break
mapfile -t forms < <(awk '/^Usage: / { if (f != "") print f; f = substr($0, 8); next }
    f != "" && /^ +[^ ]/ { sub(/^ +/, ""); if ($0 ~ /^reistijd /) { print f; f = $0 } else f = f " " $0; next }
    f != "" { print f; f = "" } END { if (f != "") print f }' "$cli_md" | sort -u)
# lines joined (without a blank after a break at a hyphen: --allow-|remote)
flat=$(awk '{ sub(/^ +/, ""); out = out (out == "" || out ~ /-$/ ? "" : " ") $0 }
    END { print out }' <<<"$synopsis" | tr -s ' ')
for f in "${forms[@]}"; do
    grep -qF -- "$f" <<<"$flat" || fail "the SYNOPSIS lacks the form '$f'"
done
echo "test_manpage: ${#commands[@]} commands (${commands[*]}); all checks passed"
