#!/usr/bin/env bash
# A long fuzz campaign that can stop and resume: runs the libFuzzer harnesses
# of a RT_FUZZ=ON build (scripts/test.sh builds one in build-fuzz) in slices,
# round robin, until each has run TARGET executions in all or the time is up.
# Every slice appends one line to the log (--log; tests/fuzz/campaign.log
# in the source tree, kept with the sources so that the record outlives
# the build folder):
#   <UTC time> <harness> <executions> <seconds> <ok|crash ARTIFACT>
# and a harness counts the executions of every earlier line, so a campaign
# resumes where the last one stopped. Campaigns can share the log, also two
# of one harness (one per core: they share its corpus folder, and each
# writes its libFuzzer output to campaign-<harness>-<pid>.out). A harness
# with a crash is not run again until the crash is fixed and its line
# removed (the input is in BUILD/tests/fuzz/artifacts/<harness>/; see
# tests/fuzz/crashes/README.md).
#
#   tests/fuzz/campaign.sh [--build DIR] [--log FILE] [--target N]
#                          [--slice SECONDS] [--hours H] [--report] [HARNESS...]
#
# --hours may be a fraction (0.5). --report prints the executions per
# harness so far and runs nothing.
set -euo pipefail

build=build-fuzz log='' target=10000000 slice=600 hours=24 report=0
harnesses=()
while (($#)); do
    case $1 in
    --build) build=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --slice) slice=$2; shift 2 ;;
    --hours) hours=$2; shift 2 ;;
    --report) report=1; shift ;;
    -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "campaign.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
    esac
done
src=$(cd "$(dirname "$0")" && pwd)
dir=$build/tests/fuzz
log=${log:-$src/campaign.log}
if ! [[ $hours =~ ^[0-9]+([.][0-9]+)?$ && $slice =~ ^[1-9][0-9]*$ && $target =~ ^[0-9]+$ ]]; then
    echo "campaign.sh: --hours takes a number of hours (0.5, 8), --slice and --target whole numbers" >&2
    exit 2
fi
if ((${#harnesses[@]} == 0)); then
    for f in "$src"/fuzz_*.c; do
        h=${f##*/fuzz_}
        harnesses+=("${h%.c}")
    done
fi
for h in "${harnesses[@]}"; do
    if [[ ! -x $dir/fuzz_$h ]]; then
        echo "campaign.sh: $dir/fuzz_$h is missing: build the target rt_fuzzers of a RT_FUZZ=ON build" >&2
        exit 2
    fi
done
touch "$log"

done_execs() { awk -v h="$1" '$2 == h { n += $3 } END { print n + 0 }' "$log"; }
crashed() { awk -v h="$1" '$2 == h && $5 == "crash" { c = 1 } END { exit !c }' "$log"; }

if ((report)); then
    for h in "${harnesses[@]}"; do
        state=running
        crashed "$h" && state=crash
        (($(done_execs "$h") >= target)) && ! crashed "$h" && state='done'
        printf '%-10s %12d executions  %s\n' "$h" "$(done_execs "$h")" "$state"
    done
    exit 0
fi

# ASan's quarantine at 16 MB (as tests/fuzz/CMakeLists.txt), before any
# options of the caller's: a use after free is caught while less than 16 MB
# has been freed since. With the default 256 MB, fuzz_gtiff cycled some
# 700 MB of fresh pages and spent a third of its time in page faults
# (measured with -seed=1 -runs=5000 from the seeds: +40 % executions per
# second at 16 MB; fuzz_osm_tags, -runs=3000: +7 %)
export LSAN_OPTIONS=suppressions=$dir/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 OMP_NUM_THREADS=1
export ASAN_OPTIONS=quarantine_size_mb=16${ASAN_OPTIONS:+:$ASAN_OPTIONS}
end=$(($(date +%s) + $(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')))
while (($(date +%s) < end)); do
    ran=0
    for h in "${harnesses[@]}"; do
        left=$((target - $(done_execs "$h")))
        if ((left <= 0)) || crashed "$h" || (($(date +%s) >= end)); then
            continue
        fi
        ran=1
        work=$dir/corpus/$h art=$dir/artifacts/$h
        mkdir -p "$work" "$art"
        t0=$(date +%s)
        rc=0
        "$dir/fuzz_$h" -runs="$left" -max_total_time="$slice" -timeout=25 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$art/" "$work" "$src/corpus/$h" \
            >"$dir/campaign-$h-$$.out" 2>&1 || rc=$?
        n=$(awk '/stat::number_of_executed_units/ { print $2 }' "$dir/campaign-$h-$$.out" | tail -1)
        result=ok
        if ((rc != 0)); then
            found=$(ls -t "$art" 2>/dev/null | head -1)
            result="crash ${found:-exit-$rc}"
        fi
        echo "$(date -u +%FT%TZ) $h ${n:-0} $(($(date +%s) - t0)) $result" | tee -a "$log"
    done
    ((ran)) || break
done
"$0" --build "$build" --log "$log" --target "$target" --report "${harnesses[@]}"
