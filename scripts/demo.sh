#!/usr/bin/env bash
# The main job: installs what is missing, builds reistijd (Release) and runs
# the embedded demo studies on geodata/ (Porto Alegre also over the road
# network as a graph, by car and on foot). Outputs go to out/<study>/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF >/dev/null
cmake --build build-release -j"$jobs" --target reistijd >/dev/null
exe=build-release/src/cli/reistijd

for study in rijnmond porto-alegre porto-alegre-network porto-alegre-network-walk; do
  echo
  echo "== studies/$study.yaml"
  "$exe" run "studies/$study.yaml" -o "out/$study"
done
echo
echo "Outputs: $(pwd)/out/rijnmond, $(pwd)/out/porto-alegre and $(pwd)/out/porto-alegre-network{,-walk}"
echo "Open report.html in a browser for maps, charts and tables; the GeoTIFFs and reistijd.gpkg"
echo "open styled in QGIS; the tables per region are the CSV files."
