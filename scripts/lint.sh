#!/usr/bin/env bash
# Static checks: clang-format (the .clang-format style), cppcheck,
# clang-tidy on src/ (the .clang-tidy checks; it reads the compile commands
# of a configured build in build-lint) and the size rules of src/.
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
# clang-tidy needs the compile commands (and the layer views) of a build
# tree: configure one, build nothing. RT_WITH_MPI on so that every file of
# src/ is in it.
mkdir -p build-lint
cmake -S . -B build-lint -DCMAKE_C_COMPILER=clang -DRT_BUILD_BENCH=OFF -DRT_WITH_MPI=ON \
  >build-lint/configure.log 2>&1 || { cat build-lint/configure.log >&2; exit 1; }
# run-clang-tidy takes a regular expression of the files: src/ of this
# checkout, its path escaped.
src_re="^$(printf '%s' "$PWD/src/" | sed 's/[][\.*^$+?(){}|]/\\&/g')"
if ! run-clang-tidy -p build-lint -quiet -j "$(nproc)" "$src_re" >build-lint/tidy.log 2>&1; then
  grep -E -A3 '(warning|error):' build-lint/tidy.log >&2 || cat build-lint/tidy.log >&2
  echo "lint: clang-tidy found the above (build-lint/tidy.log)" >&2
  exit 1
fi
n_tidy=$(grep -c '^clang-tidy' build-lint/tidy.log || true)
if [ "$n_tidy" -lt 50 ]; then
  echo "lint: clang-tidy read only $n_tidy files of src/ (build-lint/tidy.log)" >&2
  exit 1
fi
echo "lint: clang-format, cppcheck and clang-tidy clean (${#files[@]} files; clang-tidy: $n_tidy)"
