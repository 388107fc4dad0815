#!/usr/bin/env bash
# Runs the shared peer benchmark (GRASS r.cost, scikit-image MCP, SciPy ...)
# with reistijd added as extra rows, so every ratio is measured in the same
# run on the same machine.
#
#   bench/run_peers.sh RES [TOOLS] [REPS]
#     RES    cell size of the synthetic Netherlands surface: 100, 50 or 25
#     TOOLS  comma list (default: the 8/16-neighbour peers and reistijd)
#     REPS   repetitions per tool (default 3)
#
# The harness is copied from ../shared/bench-peers to $BENCH_DIR (default
# /tmp/reistijd-bench-peers) and run there; its results/<RES>m_gp_rt/ hold
# table.md (times, memory) and agreement.md (cell-by-cell differences).
# Needs the peers' Debian packages (see its README) and a Release build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
res=${1:?usage: bench/run_peers.sh RES [TOOLS] [REPS]}
tools=${2:-grass_rcost_8,grass_rcost_k16,skimage_mcp,scipy_dijkstra,reistijd_8_1t,reistijd_16_1t}
reps=${3:-3}
dir=${BENCH_DIR:-/tmp/reistijd-bench-peers}
src="$here/../shared/bench-peers"
[ -d "$src" ] || { echo "no peer harness at $src" >&2; exit 1; }

cmake -S "$here" -B "$here/build-release" -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF >/dev/null
cmake --build "$here/build-release" -j"$(nproc)" --target reistijd bench_grid_search >/dev/null

if [ ! -d "$dir" ]; then
  cp -r "$src" "$dir"
  chmod -R u+w "$dir"
fi
sed "s#RT_EXE#$here/build-release/src/cli/reistijd#" "$here/bench/peers/reistijd.conf" > "$dir/reistijd.conf"
cd "$dir"
REPS=$reps EXTRA_TOOLS=reistijd.conf TOOLS=$tools RUN_TAG=rt ./run.sh "$res"
if [[ ",$tools," == *",grass_rcost_k16,"* ]]; then
  echo; echo "16-neighbour rows against r.cost -k:"
  FRICTION="data/friction_${res}m.tif" /usr/bin/python3 compare.py "results/${res}m_gp_rt/manifest" grass_rcost_k16 | grep -E 'tool vs|reistijd'
fi
