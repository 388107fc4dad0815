#!/bin/bash
# The Slurm scripts of docs/hpc.md on a real single-node Slurm that this test
# starts on localhost (munged, slurmctld and slurmd with their files in a
# temporary folder, on free ports) and stops again:
#  - batch-array.sbatch as a two-task job array, then the merge as a job
#    that depends on it, equal to the batch in one process
#    (tests/batch/same_outputs.py);
#  - memory.sh, whose --mem is then asked for;
#  - with MPIEXEC (an RT_WITH_MPI build) batch-mpi.sbatch on one node with
#    two tasks, equal to the batch in one process.
# The scripts run as the page prints them; the resources they ask for are
# scaled down to this machine on the sbatch command line (which overrides
# their #SBATCH lines). Exits 77 (skipped) with the reason where Slurm
# cannot start: not root, slurm-wlm or munge not installed, a daemon that
# does not come up.
#   test_slurm.sh REISTIJD DOCS_HPC_MD [MPIEXEC]
set -euo pipefail
exe=$1
hpc_md=$2
mpiexec=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
skip() {
    echo "test_slurm: skipped: $*"
    exit 77
}
fail() {
    echo "test_slurm: $*" >&2
    for f in "$tmp"/log/*.log "$tmp"/jobs/*.txt; do
        [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
    done
    exit 1
}

[ "$(id -u)" = 0 ] || skip "the test Slurm runs its daemons as root"
for tool in munged slurmctld slurmd sbatch scontrol sinfo python3 jq; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (Debian: slurm-wlm, munge, jq)"
done

tmp=$(mktemp -d /tmp/rt-slurm-XXXXXX)
chmod 755 "$tmp"
# stops the daemons this test started (by their pid files) and removes its
# folder
stop() {
    [ -f "$tmp/slurm.conf" ] && SLURM_CONF=$tmp/slurm.conf scontrol shutdown >/dev/null 2>&1 || true
    local pidf pid
    for pidf in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munge/pid"; do
        pid=$(cat "$pidf" 2>/dev/null || true)
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
            kill "$pid" 2>/dev/null || true
            sleep 0.5
        done
    done
    rm -rf "$tmp"
}
trap stop EXIT INT TERM
# and when this script is killed (ctest's TIMEOUT), a watcher does it
test_pid=$$
(
    while kill -0 "$test_pid" 2>/dev/null; do sleep 1; done
    stop
) </dev/null >/dev/null 2>&1 &

# munge: its own key and socket
mkdir -m 700 "$tmp/munge"
head -c 1024 /dev/urandom >"$tmp/munge/key"
chmod 600 "$tmp/munge/key"
munged -f --key-file="$tmp/munge/key" --socket="$tmp/munge/sock" --pid-file="$tmp/munge/pid" \
    --log-file="$tmp/munge/log" --seed-file="$tmp/munge/seed" ||
    skip "munged does not start: $(tail -3 "$tmp/munge/log" 2>/dev/null)"
chmod 755 "$tmp/munge" # the clients reach the socket

# slurm: one node, this machine, on two free ports
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 - 512))
mkdir "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/jobs"
cat >"$tmp/slurm.conf" <<CONF
ClusterName=rtbatch
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=rt Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -c -f "$SLURM_CONF" 2>"$tmp/log/slurmctld.err" ||
    skip "slurmctld does not start: $(tail -3 "$tmp/log/slurmctld.err" "$tmp/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" 2>"$tmp/log/slurmd.err" ||
    skip "slurmd does not start: $(tail -3 "$tmp/log/slurmd.err" "$tmp/log/slurmd.log" 2>/dev/null)"
up=0
for _ in $(seq 1 40); do
    if sinfo -h -o %t 2>/dev/null | grep -qx idle; then
        up=1
        break
    fi
    sleep 0.5
done
[ $up = 1 ] || skip "the Slurm node did not come up within 20 s: $(tail -3 "$tmp/log/slurmd.log" 2>/dev/null)"

# the scripts of docs/hpc.md, as printed there
script() {
    awk -v name="$1" '$0 == "```bash " name { on = 1; next } on && /^```$/ { exit } on { print }' \
        "$hpc_md" >"$tmp/$1"
    [ -s "$tmp/$1" ] || fail "no \`\`\`bash $1 block in $hpc_md"
}
script batch-array.sbatch
script batch-mpi.sbatch
script memory.sh

mkdir "$tmp/in" "$tmp/bin"
ln -s "$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")" "$tmp/bin/reistijd"
export PATH=$tmp/bin:$PATH OGR_CURRENT_DATE=2000-01-01T00:00:00Z
bash "$here/studies.sh" "$tmp/in"
studies=("$tmp/in/a.yaml" "$tmp/in/b.yaml" "$tmp/in/c.yaml")
OMP_NUM_THREADS=1 reistijd batch -q -o "$tmp/one" "${studies[@]}" || fail "the batch in one process failed"

mem=$(bash "$tmp/memory.sh" 1 "${studies[@]}") || fail "memory.sh failed"
[[ $mem =~ ^--mem=[0-9]+M$ ]] || fail "memory.sh printed '$mem'"

# job ARGS...: submits with sbatch ARGS and waits (about 60 s at most) until
# every task of the job has ended; fails unless each one COMPLETED (exit 0),
# as sbatch --wait does. Not sbatch --wait, which polls every 2 to 10 s:
# each job of a second took 10 s there. Call it as `job ... || fail ...`
# (set -e does not stop inside it then).
job() {
    local id states
    id=$(timeout 20 sbatch --parsable "$@") || return 1
    id=${id%%;*}
    for _ in $(seq 1 300); do
        states=$(timeout 5 scontrol -o show job "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' |
            sort -u || true)
        if [ -n "$states" ] &&
            ! grep -qE '=(PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|RESIZING)$' <<<"$states"; then
            [ "$states" = JobState=COMPLETED ]
            return
        fi
        sleep 0.2
    done
    return 1
}

# the array and the merge, as docs/hpc.md submits them (resources scaled down)
small=(--cpus-per-task=1 "$mem" --time=5 -o "$tmp/jobs/%x-%A-%a.txt")
array=$(timeout 20 sbatch --parsable --array=0-1 "${small[@]}" "$tmp/batch-array.sbatch" \
    "$tmp/shares" "${studies[@]}") || fail "sbatch of the array failed"
job --dependency=afterany:"$array" --job-name=reistijd-merge --ntasks=1 \
    -o "$tmp/jobs/merge.txt" --wrap "reistijd batch --merge $tmp/shares" ||
    fail "the merge job failed: $(cat "$tmp/jobs/merge.txt" 2>/dev/null)"
for s in 0 1; do
    jq -e ".share == $s and .shares == 2" "$tmp/shares/batch-share-$s-of-2.json" >/dev/null ||
        fail "task $s of the array wrote no share $s of 2"
done
python3 "$here/same_outputs.py" --shares "$tmp/one" "$tmp/shares" ||
    fail "the array's shares and merge differ from the batch in one process"
# one share run again on its own, as docs/hpc.md says, and merged again
rm -rf "$tmp/shares/b" "$tmp/shares/batch-share-1-of-2.json" "$tmp/shares/batch.json"
job --array=1 --export=ALL,SHARES=2 "${small[@]}" "$tmp/batch-array.sbatch" \
    "$tmp/shares" "${studies[@]}" || fail "share 1 run again failed"
reistijd batch -q --merge "$tmp/shares" || fail "the merge after share 1 ran again failed"
python3 "$here/same_outputs.py" --shares "$tmp/one" "$tmp/shares" ||
    fail "share 1 run again and the merge differ from the batch in one process"
echo "test_slurm: a two-task array and the merge equal the batch in one process"

# in a job of two tasks, the batch script is one process and runs; srun of
# two tasks without PMI (MpiDefault=none) is refused in each task, which
# would each run every job into the same folders
job --ntasks=2 --cpus-per-task=1 "$mem" --time=5 -o "$tmp/jobs/steps.txt" --wrap \
    "reistijd batch -q -o $tmp/plain ${studies[0]} && ! srun -n 2 reistijd batch -q -o $tmp/srun ${studies[0]}" ||
    fail "a batch in a job of two tasks failed, or srun -n 2 was not refused: $(cat "$tmp/jobs/steps.txt")"
[ "$(grep -c 'each would run every job' "$tmp/jobs/steps.txt")" = 2 ] ||
    fail "srun -n 2 was not refused in both tasks: $(cat "$tmp/jobs/steps.txt")"
[ ! -e "$tmp/srun" ] || fail "srun -n 2 made its output folder"
jq -e '.n_ok == 1' "$tmp/plain/batch.json" >/dev/null || fail "the batch in a job of two tasks did not run"
echo "test_slurm: srun of two tasks without PMI is refused; the batch script itself runs"

if [ -n "$mpiexec" ]; then
    export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    PATH=$(dirname "$mpiexec"):$PATH job --nodes=1 --ntasks-per-node=2 \
        --cpus-per-task=1 --mem=0 --time=5 -o "$tmp/jobs/mpi.txt" "$tmp/batch-mpi.sbatch" \
        "$tmp/mpi" "${studies[@]}" || fail "the MPI job failed"
    grep -q "^batch: 3 jobs: 3 ok, 0 failed$" "$tmp/jobs/mpi.txt" || fail "the MPI job printed no summary"
    python3 "$here/same_outputs.py" "$tmp/one" "$tmp/mpi" ||
        fail "the MPI job differs from the batch in one process"
    echo "test_slurm: batch-mpi.sbatch with two ranks equals the batch in one process"
fi
