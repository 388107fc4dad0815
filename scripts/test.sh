#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors and AddressSanitizer + UBSan (Debug), runs every test but the ones
# labelled slow or fuzz (the package tests included: install, consumer
# builds, .deb, man page); then builds without sanitizers and runs the CLI
# end-to-end test under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/lint.sh
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRT_WERROR=ON -DRT_SANITIZE=ON -DRT_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan -LE 'slow|fuzz|valgrind' --output-on-failure -j"$jobs" --timeout 600

cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=Debug -DRT_WERROR=ON -DRT_BUILD_BENCH=OFF
cmake --build build-valgrind -j"$jobs"
ctest --test-dir build-valgrind -L valgrind --output-on-failure --timeout 900
