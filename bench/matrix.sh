#!/usr/bin/env bash
# The benchmark matrix: reistijd against its peers on the synthetic Netherlands of the shared
# peer harness (../shared/bench-peers), at several resolutions and thread counts, all in one
# run on one machine, and `reistijd batch` over the demo studies on 1..M MPI ranks. Writes
# under OUT (default bench/results/<date>-<host>):
#   matrix.csv    one row per (resolution, tool, threads or ranks): median core and wall
#                 seconds, peak RSS, bytes per cell, ratio to the fastest peer
#   matrix.md     the tables: ratios to the fastest peer, bytes per cell, growth from the
#                 coarsest to the finest resolution, parallel efficiency, batch scaling
#   scaling.png   the scaling curves (threads, ranks, resolution)
#   machine.md    the machine, the library versions and the commit
#   <RES>m/       the harness's raw.tsv, table.md and agreement.md (every cell compared)
#
#   bench/matrix.sh [--res 100,50,25] [--threads 1,2] [--ranks 1,2]
#                   [--peers grass_rcost_8,grass_rcost_k16,skimage_mcp] [--reps 3]
#                   [--reps-large 1] [--studies "studies/a.yaml ..."] [--out DIR]
#                   [--no-install]
#
# --reps repetitions per tool at resolutions of 50 m and coarser, --reps-large at finer ones.
# Runs as root install the peers' Debian packages first (apt-get) unless --no-install.
# The machine should do nothing else meanwhile: the ratios come from one run.
# bench/matrix.sbatch runs the same on a cluster node.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
res_list=100,50,25
nproc=$(nproc)
threads_list=$(seq -s, 1 "$nproc")
ranks_list=$(seq -s, 1 "$nproc")
peers=grass_rcost_8,grass_rcost_k16,skimage_mcp
reps=3 reps_large=1 install=1 studies="" out=""
while (($#)); do
    case $1 in
    --res) res_list=$2; shift 2 ;;
    --threads) threads_list=$2; shift 2 ;;
    --ranks) ranks_list=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --reps-large) reps_large=$2; shift 2 ;;
    --studies) studies=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-install) install=0; shift ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "matrix.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
out=${out:-$here/bench/results/$(date -u +%Y-%m-%d)-$(hostname -s)}
dir=${BENCH_DIR:-/tmp/reistijd-bench-matrix}
src="$here/../shared/bench-peers"
[ -d "$src" ] || { echo "matrix.sh: no peer harness at $src" >&2; exit 1; }
py=/usr/bin/python3

if ((install)) && [ "$(id -u)" = 0 ]; then
    pkgs=(gdal-bin python3-gdal grass-core python3-skimage python3-scipy python3-numpy
          python3-matplotlib time openmpi-bin)
    missing=()
    for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if ((${#missing[@]})); then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
fi

mpi=OFF
command -v mpicc >/dev/null && mpi=ON
cmake -S "$here" -B "$here/build-release" -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF \
    -DRT_BUILD_BENCH=OFF -DRT_WITH_MPI=$mpi >/dev/null
cmake --build "$here/build-release" -j"$nproc" --target reistijd >/dev/null
exe=$here/build-release/src/cli/reistijd

if [ ! -d "$dir" ]; then
    cp -r "$src" "$dir"
    chmod -R u+w "$dir"
fi
mkdir -p "$out"
conf=$dir/reistijd-matrix.conf
tools=$peers
IFS=, read -ra threads <<<"$threads_list"
: >"$conf"
for t in "${threads[@]}"; do
    for nb in 8 16; do
        echo "reistijd_${nb}_${t}t | s | env OMP_NUM_THREADS=$t $exe nearest --friction {friction}" \
            "--facilities {facilities} -o {out} --neighbours $nb --timings -q" >>"$conf"
        tools+=",reistijd_${nb}_${t}t"
    done
done

IFS=, read -ra resolutions <<<"$res_list"
for res in "${resolutions[@]}"; do
    r=$reps
    awk -v x="$res" 'BEGIN { exit !(x < 50) }' && r=$reps_large
    (cd "$dir" && REPS=$r EXTRA_TOOLS=$conf TOOLS=$tools RUN_TAG=matrix ./run.sh "$res")
    mkdir -p "$out/${res}m"
    for f in raw.tsv table.md agreement.md header.txt commands.txt; do
        cp "$dir/results/${res}m_gp_matrix/$f" "$out/${res}m/" 2>/dev/null || true
    done
done

# the batch over MPI ranks: every demo study, one thread per rank
if [ -z "$studies" ]; then
    studies=$(ls "$here"/studies/*.yaml | tr '\n' ' ')
fi
printf 'ranks\tthreads_per_rank\tjobs\tok\twall_s\n' >"$out/batch.tsv"
if [ "$mpi" = ON ]; then
    IFS=, read -ra ranks <<<"$ranks_list"
    for m in "${ranks[@]}"; do
        bo=$dir/batch-$m
        rm -rf "$bo"
        t0=$(date +%s.%N)
        # shellcheck disable=SC2086 # the study list is split on purpose
        OMP_NUM_THREADS=1 mpirun --allow-run-as-root --oversubscribe -n "$m" --bind-to none \
            "$exe" batch -q -o "$bo" $studies >"$dir/batch-$m.log" 2>&1 || true
        t1=$(date +%s.%N)
        n=$($py -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['n_jobs'], d['n_ok'])" \
            "$bo/batch.json" 2>/dev/null || echo "0 0")
        printf '%s\t1\t%s\t%s\t%s\n' "$m" "${n% *}" "${n#* }" \
            "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" >>"$out/batch.tsv"
    done
fi

{
    echo "# The machine of this run"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- commit: $(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "- kernel: $(uname -srm)"
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) processors"
    echo "- memory: $(free -g | awk '/Mem:/{print $2}') GiB"
    echo "- GDAL $(gdal-config --version 2>/dev/null || gdalinfo --version | cut -d, -f1 | cut -d' ' -f2)," \
        "GRASS $(dpkg-query -W -f='${Version}' grass-core 2>/dev/null || echo -)," \
        "scikit-image $(dpkg-query -W -f='${Version}' python3-skimage 2>/dev/null || echo -)," \
        "SciPy $(dpkg-query -W -f='${Version}' python3-scipy 2>/dev/null || echo -)," \
        "Open MPI $(dpkg-query -W -f='${Version}' openmpi-bin 2>/dev/null || echo -)"
    echo
    echo '```'
    lscpu | grep -E '^(Model name|Thread|Core|Socket|L1d|L2|L3|NUMA node\(s\))'
    echo '```'
} >"$out/machine.md"

$py "$here/bench/matrix_report.py" "$out"
echo "matrix.sh: results in $out"
