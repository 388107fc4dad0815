#!/usr/bin/env bash
# `reistijd batch --resume` over a finished batch whose jobs share one
# large input: JOBS copies of a one-facility study on one population
# raster of MB megabytes (an uncompressed tiled GeoTIFF, of which a run
# reads only the blocks over its grid). The batch is run whole once, then
# resumed (every job found done, nothing run) REPS times; beside it, in
# the same run, sha256sum of the shared raster, once and JOBS times over:
# what checking each job's inputs on its own would read.
#
#   bench/resume.sh [JOBS] [MB] [REPS]
#     JOBS  studies in the batch (default 20)
#     MB    size of the shared population raster (default 400)
#     REPS  resumes timed; the table has the fastest (default 3)
#
# Writes a Markdown table to stdout; the work folder is $BENCH_DIR
# (default /tmp/reistijd-bench-resume). Uses build-release (made when
# missing) and gdal-bin.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=${1:-20}
mb=${2:-400}
reps=${3:-3}
dir=${BENCH_DIR:-/tmp/reistijd-bench-resume}
[ -d "$here/build-release" ] ||
    cmake -S "$here" -B "$here/build-release" -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF >/dev/null
cmake --build "$here/build-release" -j"$(nproc)" --target reistijd >/dev/null
rt=$here/build-release/src/cli/reistijd
mkdir -p "$dir"
cd "$dir"
# a square of Float32 pixels of 10 m: side = sqrt(MB * 2^20 / 4)
side=$(awk -v mb="$mb" 'BEGIN { printf "%d", sqrt(mb * 1048576 / 4) }')
x1=$((100000 + side * 10)) y0=$((460000 - side * 10))
[ -f pop.tif ] && [ "$(stat -c %s pop.tif)" -ge $((mb * 1048576)) ] ||
    gdal_create -q -of GTiff -outsize "$side" "$side" -bands 1 -ot Float32 -burn 1 \
        -a_srs EPSG:28992 -a_ullr 100000 460000 "$x1" "$y0" -co TILED=YES pop.tif
cat >fac.geojson <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
 "features": [{"type": "Feature", "properties": {"id": "F"},
   "geometry": {"type": "Point", "coordinates": [100500, 459500]}}]}
EOF
cat >reg.geojson <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
 "features": [{"type": "Feature", "properties": {"code": "R"},
   "geometry": {"type": "Polygon", "coordinates": [[[100000, 459000], [101000, 459000],
     [101000, 460000], [100000, 460000], [100000, 459000]]]}}]}
EOF
studies=()
for i in $(seq 1 "$jobs"); do
    cat >job$i.yaml <<EOF
study: {cell_size_m: 100, extent_buffer_m: 0}
medium: {type: speed_model, offroad_kmh: 5}
facilities:
  - {type: huisarts, source: fac.geojson, id_column: id}
population: {kind: raster, source: pop.tif}
regions:
  - {name: gebied, source: reg.geojson, id_column: code}
outputs: {report: false, geopackage: false}
EOF
    studies+=("job$i.yaml")
done
rm -rf out
"$rt" batch -q -o out "${studies[@]}"
best() { # the fastest of REPS runs of "$@", in seconds
    local b=''
    for _ in $(seq 1 "$reps"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null
        t1=$(date +%s.%N)
        b=$(awk -v b="$b" -v t="$(awk -v a="$t0" -v z="$t1" 'BEGIN { print z - a }')" \
            'BEGIN { print (b == "" || t < b) ? t : b }')
    done
    echo "$b"
}
resume=$(best "$rt" batch -q --resume -o out "${studies[@]}")
grep -Eq '"n_done": *'"$jobs"',' out/batch.json || { echo "resume: not every job was done" >&2; exit 1; }
once=$(best sha256sum pop.tif)
echo "| what | seconds |"
echo "|---|---|"
echo "| \`reistijd batch --resume\`, $jobs jobs on one ${mb} MB raster (all done) | $resume |"
echo "| sha256sum of the raster, once | $once |"
echo "| the same $jobs times over (one reading per job) | $(awk -v t="$once" -v n="$jobs" 'BEGIN { printf "%.3f", t * n }') |"
