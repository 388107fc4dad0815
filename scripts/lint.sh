#!/usr/bin/env bash
# Static checks: clang-format (the .clang-format style) and cppcheck.
# Exits non-zero on any finding. Used by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')
clang-format --dry-run -Werror "${files[@]}"
cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
  --inline-suppr -I include -I src -D__GNUC__ -DRT_VERSION_STRING=\"0\" --suppress=missingIncludeSystem src/
echo "lint: clang-format and cppcheck clean (${#files[@]} files)"
