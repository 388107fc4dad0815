#!/bin/sh
# reistijd batch under mpirun -n 2 writes what the batch writes in one
# process (tests/batch/same_outputs.py), whole and in two shares of two
# ranks each, ranks given different arguments are refused, and a job that
# fails on one rank makes the batch exit 1.
#   test_mpi.sh REISTIJD MPIEXEC
# OpenMPI is told to stay on this machine without a network: shared memory
# between the ranks (btl self,vader), no remote launcher (plm isolated), and
# root may run it (containers).
set -eu
exe=$1
mpiexec=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "test_mpi: $*" >&2
    exit 1
}

mkdir "$tmp/in"
sh "$here/studies.sh" "$tmp/in"
studies="$tmp/in/a.yaml $tmp/in/b.yaml $tmp/in/c.yaml"
export OGR_CURRENT_DATE=2000-01-01T00:00:00Z OMP_NUM_THREADS=1
export OMPI_MCA_btl=self,vader OMPI_MCA_plm=isolated OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun() { "$mpiexec" -n 2 --oversubscribe "$@"; }

# shellcheck disable=SC2086
"$exe" batch -q -o "$tmp/one" $studies || fail "the batch in one process failed"
# shellcheck disable=SC2086
mpirun "$exe" batch -v -o "$tmp/two" $studies >"$tmp/out.txt" 2>"$tmp/err.txt" ||
    fail "mpirun -n 2 reistijd batch failed: $(cat "$tmp/err.txt")"
# the jobs went to both ranks: a and c (jobs 0, 2) to rank 0, b to rank 1
grep -q "job 2 of 3: b (.*), on rank 1 of 2" "$tmp/err.txt" || fail "job b did not run on rank 1"
grep -q "job 3 of 3: c (.*), on rank 0 of 2" "$tmp/err.txt" || fail "job c did not run on rank 0"
# rank 0 alone prints the summary
[ "$(grep -c '^batch: 3 jobs: 3 ok, 0 failed$' "$tmp/out.txt")" = 1 ] ||
    fail "the summary was not printed once: $(cat "$tmp/out.txt")"
python3 "$here/same_outputs.py" "$tmp/one" "$tmp/two" || fail "mpirun -n 2 differs from one process"

# two shares, each on two ranks, then the merge
for s in 0 1; do
    # shellcheck disable=SC2086
    mpirun "$exe" batch -q --shard $s/2 -o "$tmp/shares" $studies || fail "share $s failed"
done
"$exe" batch -q --merge "$tmp/shares" || fail "the merge failed"
python3 "$here/same_outputs.py" --shares "$tmp/one" "$tmp/shares" ||
    fail "two shares on two ranks each differ from one process"

# ranks given different shares (each would run jobs the other does not
# expect) are refused on every rank, before anything is written: exit 2
# shellcheck disable=SC2086
if "$mpiexec" -n 1 "$exe" batch -q --shard 0/2 -o "$tmp/mixed" $studies : \
    -n 1 "$exe" batch -q --shard 1/2 -o "$tmp/mixed" $studies 2>"$tmp/err.txt"; then
    fail "ranks with different --shard were not refused"
fi
[ "$(grep -c 'the 2 MPI ranks were started with different arguments' "$tmp/err.txt")" = 2 ] ||
    fail "not every rank names the different arguments: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/mixed" ] || fail "the refused batch left $tmp/mixed behind"

# more ranks than jobs: rank 0 says so, and the batch runs
"$mpiexec" -n 2 --oversubscribe "$exe" batch -o "$tmp/idle" "$tmp/in/a.yaml" >/dev/null \
    2>"$tmp/err.txt" || fail "a batch of one job on two ranks failed: $(cat "$tmp/err.txt")"
grep -q "batch: 2 MPI ranks for 1 job: 1 rank has no job and only waits; start at most 1" \
    "$tmp/err.txt" || fail "no warning of the idle rank: $(cat "$tmp/err.txt")"

# a failed job (b, on rank 1) stops no other, and the exit status says so
printf 'study: {cell_size_m: 100}\n' >"$tmp/in/b.yaml"
# shellcheck disable=SC2086
if mpirun "$exe" batch -q -o "$tmp/failing" $studies 2>"$tmp/err.txt"; then
    fail "a batch with a failed job exited 0"
fi
grep -q '"status":"failed"' "$tmp/failing/batch.json" || fail "batch.json does not list the failed job"
[ -f "$tmp/failing/c/run.json" ] || fail "job c did not run after b failed"
echo "test_mpi: ok"
