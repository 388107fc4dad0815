#!/usr/bin/env bash
# Installs what is missing, builds reistijd (Release) and runs the embedded
# demo studies on geodata/ (Rijnmond; Porto Alegre also over the road
# network as a graph, by car and on foot, and by car on the roads with walking
# over land between them (hybrid); the Dutch road extracts, NWB
# Wageningen by bicycle and OSM Amsterdam-Oost and Delft station on foot,
# each about 1 km² or less). Outputs go to out/<study>/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF >/dev/null
cmake --build build-release -j"$jobs" --target reistijd >/dev/null
exe=build-release/src/cli/reistijd

for study in rijnmond porto-alegre porto-alegre-network porto-alegre-network-walk \
  porto-alegre-hybrid nl-wageningen-nwb nl-amsterdam-osm nl-delft-osm; do
  echo
  echo "== studies/$study.yaml"
  "$exe" run "studies/$study.yaml" -o "out/$study"
done
echo
echo "Outputs: $(pwd)/out/rijnmond, $(pwd)/out/porto-alegre and $(pwd)/out/porto-alegre-network{,-walk}, $(pwd)/out/porto-alegre-hybrid"
echo "On the Dutch road extracts: $(pwd)/out/nl-{wageningen-nwb,amsterdam-osm,delft-osm}"
echo "(real roads and regions, far too small for real answers: the header of each study file says"
echo "what is real and what is illustrative)."
echo "Open report.html in a browser for maps, charts and tables; the GeoTIFFs and reistijd.gpkg"
echo "open styled in QGIS; the tables per region are the CSV files."
