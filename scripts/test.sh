#!/usr/bin/env bash
# The whole test suite (docs/architecture.md, "Running them"): the static
# checks, then five builds:
#  1. asan      Debug, warnings as errors, AddressSanitizer + UBSan: every test
#               but those labelled slow, fuzz or valgrind (the package tests
#               included: install, consumer builds, .deb, man page; the
#               replay of the fuzz seed corpora; allocation failures).
#  2. release   Release, as users build it, with MPI (RT_WITH_MPI): the unit,
#               io, oracle, study and cli tests, on which the bit-identical
#               claims rest, and reistijd batch under mpirun (mpi) and on a
#               Slurm the test starts (slurm; the asan step runs it without
#               MPI). Not the allocation failures (alloc): the same paths
#               as in asan, which also finds their leaks.
#  3. tsan      clang, ThreadSanitizer, LLVM's OpenMP runtime with its archer
#               tool: the thread-determinism tests.
#  4. valgrind  Debug without sanitizers: the CLI end to end under valgrind.
#  5. fuzz      clang, libFuzzer, ASan + UBSan: each harness for
#               RT_FUZZ_SECONDS (30 s) from its seeds.
# Every build runs even when one before it failed; the time and result of
# each step are printed at the end, and the exit status is 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
# ctest runs $jobs tests at once, each with $jobs OpenMP threads: a thread
# that spins at a barrier takes a core from the other test (on two cores
# the oracle searches took 16.7 s with the default policy, 9.0 s with this
# one). The policy changes when a waiting thread sleeps, not a result.
export OMP_WAIT_POLICY=passive
summary=()
failed=0
# step NAME: runs the function run_NAME in a subshell that stops at its first
# failing command; the next step runs either way, and the summary at the
# end gives each step's time and result.
step() {
    local t0=$SECONDS rc
    set +e
    (
        set -e
        "run_$1"
    )
    rc=$?
    set -e
    summary+=("$(printf '%-9s %4d s  %s' "$1" $((SECONDS - t0)) "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
    [ $rc -eq 0 ] || failed=1
}

run_lint() {
    bash scripts/install-deps.sh
    bash scripts/lint.sh
}

run_asan() {
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRT_WERROR=ON -DRT_SANITIZE=ON \
      -DRT_BUILD_BENCH=OFF
    cmake --build build-asan -j"$jobs"
    ctest --test-dir build-asan -LE 'slow|fuzz|valgrind' --output-on-failure -j"$jobs" --timeout 600
}

run_release() {
    cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DRT_WERROR=ON -DRT_BUILD_BENCH=OFF \
      -DRT_WITH_MPI=ON
    cmake --build build-release -j"$jobs"
    ctest --test-dir build-release -L 'unit|io|oracle|study|cli|mpi|slurm' -LE 'slow|fuzz|valgrind|alloc' \
      --output-on-failure -j"$jobs" --timeout 600
}

# ThreadSanitizer on the OpenMP code. LLVM's OpenMP runtime (libomp, not
# instrumented) tells TSan about its barriers and tasks through the archer
# tool (OMP_TOOL_LIBRARIES); what happens inside libomp, GDAL, PROJ and GEOS
# is not reported (ignore_noninstrumented_modules). The runtime is linked
# into the programs; libreistijd.so is allowed to leave its __tsan_* symbols
# to them (-z undefs, after the library's own --no-undefined).
run_tsan() {
    local tests=(cli_test_cli_threads core_test_stats) f
    for f in tests/core/test_oracle_*.c; do
        tests+=("core_$(basename "$f" .c)")
    done
    cmake -S . -B build-tsan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DRT_BUILD_BENCH=OFF -DCMAKE_C_FLAGS=-fsanitize=thread \
      -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -DCMAKE_SHARED_LINKER_FLAGS=-Wl,-z,undefs
    cmake --build build-tsan -j"$jobs" --target reistijd "${tests[@]}"
    OMP_TOOL_LIBRARIES="$(clang -print-resource-dir)/../../libarcher.so" \
      TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1" \
      ctest --test-dir build-tsan -R "^($(IFS='|'; echo "${tests[*]}"))\$" \
      --output-on-failure -j"$jobs" --timeout 900
}

run_valgrind() {
    cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=Debug -DRT_WERROR=ON -DRT_BUILD_BENCH=OFF
    cmake --build build-valgrind -j"$jobs" --target reistijd # all the valgrind tests run
    ctest --test-dir build-valgrind -L valgrind --output-on-failure --timeout 900
}

run_fuzz() {
    cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DRT_FUZZ=ON -DRT_BUILD_BENCH=OFF
    cmake --build build-fuzz -j"$jobs" --target rt_fuzzers
    ctest --test-dir build-fuzz -L fuzz --output-on-failure -j"$jobs"
}

step lint
[ $failed -eq 0 ] || { printf 'test.sh: %s\n' "${summary[@]}" >&2; exit 1; }
for s in asan release tsan valgrind fuzz; do
    step "$s"
done
printf 'test.sh: %s\n' "${summary[@]}" "$(printf '%-9s %4d s' total $SECONDS)" >&2
exit $failed
