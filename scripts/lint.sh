#!/usr/bin/env bash
# Static checks: clang-format (the .clang-format style), cppcheck, and the
# size rules of src/.
# Exits non-zero on any finding. Used by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')
clang-format --dry-run -Werror "${files[@]}"
cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
  --inline-suppr -I include -I src -D__GNUC__ -DRT_VERSION_STRING=\"0\" --suppress=missingIncludeSystem src/
# The house rules of src/: no file over 800 lines, no folder with more
# than 15 .c files (docs/architecture.md).
long=$(find src -name '*.[ch]' -exec wc -l {} + | awk '$2 != "total" && $1 > 800 {print $2 " (" $1 " lines)"}')
if [ -n "$long" ]; then
  echo "lint: files over 800 lines: $long" >&2
  exit 1
fi
for d in $(find src -type d); do
  n=$(find "$d" -maxdepth 1 -name '*.c' | wc -l)
  if [ "$n" -gt 15 ]; then
    echo "lint: $d holds $n .c files (at most 15)" >&2
    exit 1
  fi
done
echo "lint: clang-format and cppcheck clean (${#files[@]} files)"
