#!/usr/bin/env bash
# Runs the shared road-network peer benchmark (SciPy csgraph, igraph,
# networkx, pgRouting) with reistijd added as an extra row, so every ratio is
# measured in the same run on the same machine.
#
#   bench/run_network_peers.sh [FACILITIES] [TOOLS] [REPS]
#     FACILITIES  gp (5000 GP practices, default) or hospitals (100)
#     TOOLS       comma list (default: every network peer and reistijd)
#     REPS        repetitions per tool (default 3)
#
# The harness is copied from ../shared/bench-peers to $BENCH_DIR (default
# /tmp/reistijd-bench-peers) and run there; results/network_<FAC>_rt/ holds
# table.md (times, memory) and agreement.md (node-by-node differences).
# Needs the peers' Debian packages (see its README) and a Release build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fac=${1:-gp}
tools=${2:-scipy_net,igraph_net,networkx_net,pgrouting_dd,reistijd_net_1t,reistijd_net_2t}
reps=${3:-3}
dir=${BENCH_DIR:-/tmp/reistijd-bench-peers}
src="$here/../shared/bench-peers"
[ -d "$src" ] || { echo "no peer harness at $src" >&2; exit 1; }

cmake -S "$here" -B "$here/build-release" -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF >/dev/null
cmake --build "$here/build-release" -j"$(nproc)" --target reistijd >/dev/null

if [ ! -d "$dir" ]; then
  cp -r "$src" "$dir"
  chmod -R u+w "$dir"
fi
exe="$here/build-release/src/cli/reistijd"
sed "s#RT_EXE#$exe#" "$here/bench/peers/reistijd_network.conf" > "$dir/reistijd_network.conf"
cd "$dir"
REPS=$reps EXTRA_TOOLS=reistijd_network.conf TOOLS=$tools RUN_TAG=rt ./run_network.sh "$fac"
echo
echo "reistijd graph memory:"
env OMP_NUM_THREADS=1 "$exe" nearest --network data/network_edges.csv \
  --sources "data/network_sources_${fac}.csv" -o /tmp/reistijd_network_check.csv -v 2>&1 | tail -1
rm -f /tmp/reistijd_network_check.csv
