#!/usr/bin/env bash
# Resampling a friction raster onto the analysis grid: `reistijd run` on a
# one-facility study against gdalwarp with the same method, for a Float32
# raster whose nodata is a number (-9999, read through reistijd's virtual
# band that turns NaN into that nodata) and one whose nodata is NaN (read
# as it is), so the cost of that band is measured in the same run; and the
# same raster read as a population raster too, by sum (reistijd's own sum
# on the raster's axes against gdalwarp -r sum).
#
#   bench/raster_warp.sh [PIXELS] [REPS]
#     PIXELS  side of the square raster of 10 m pixels (default 6000: 36 M)
#     REPS    repetitions per row (default 3); the table has the fastest
#
# Writes a Markdown table to stdout; the work folder is $BENCH_DIR
# (default /tmp/reistijd-bench-warp). Needs a Release build (it makes one)
# and gdal-bin.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
px=${1:-6000}
reps=${2:-3}
dir=${BENCH_DIR:-/tmp/reistijd-bench-warp}
cmake -S "$here" -B "$here/build-release" -DCMAKE_BUILD_TYPE=Release -DRT_BUILD_TESTS=OFF >/dev/null
cmake --build "$here/build-release" -j"$(nproc)" --target reistijd >/dev/null
rt=$here/build-release/src/cli/reistijd
mkdir -p "$dir"
cd "$dir"
x1=$((100000 + px * 10)) y0=$((460000 - px * 10))
for nd in num nan; do
    value=$([ $nd = num ] && echo -9999 || echo nan)
    [ -f fr_$nd.tif ] || gdal_create -q -of GTiff -outsize "$px" "$px" -bands 1 -ot Float32 \
        -burn 0.1 -a_srs EPSG:28992 -a_ullr 100000 460000 "$x1" "$y0" -a_nodata "$value" \
        -co TILED=YES fr_$nd.tif
    cat >study_$nd.yaml <<EOF
study: {cell_size_m: 100, extent_buffer_m: 0}
medium: {type: friction, raster: fr_$nd.tif, resampling: average}
facilities:
  - {type: huisarts, source: fac.geojson, id_column: id}
regions:
  - {name: gebied, source: reg.geojson, id_column: code}
outputs: {report: false, geopackage: false}
EOF
done
sed 's|^medium:.*|&\npopulation: {kind: raster, source: fr_num.tif}|' study_nan.yaml >study_pop.yaml
crs='"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}'
echo "{\"type\": \"FeatureCollection\", $crs, \"features\": [{\"type\": \"Feature\", \
\"properties\": {\"code\": \"A\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": \
[[[100000, $y0], [$x1, $y0], [$x1, 460000], [100000, 460000], [100000, $y0]]]}}]}" >reg.geojson
echo "{\"type\": \"FeatureCollection\", $crs, \"features\": [{\"type\": \"Feature\", \
\"properties\": {\"id\": \"F\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": \
[$(((100000 + x1) / 2)), $(((y0 + 460000) / 2))]}}]}" >fac.geojson

# best wall seconds and peak RSS (MB) of REPS runs of a command
best() {
    local t m bt=999999 bm=0
    for _ in $(seq "$reps"); do
        /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>&1
        read -r t m <time.txt
        if awk -v a="$t" -v b="$bt" 'BEGIN { exit !(a < b) }'; then bt=$t bm=$m; fi
    done
    echo "$bt $((bm / 1024))"
}

echo "| raster ($px x $px Float32, 10 m) onto 100 m cells | reistijd run: s | MB | gdalwarp: s | MB |"
echo "|---|---|---|---|---|"
for nd in num nan; do
    rm -rf out_$nd
    read -r rs rm_ < <(best "$rt" run study_$nd.yaml -o out_$nd -q --overwrite)
    read -r gs gm < <(best gdalwarp -q -overwrite -r average -tr 100 100 -dstnodata nan fr_$nd.tif w_$nd.tif)
    echo "| friction, nodata $([ $nd = num ] && echo -9999 || echo NaN), average | $rs | $rm_ | $gs | $gm |"
done
rm -rf out_pop
read -r rs rm_ < <(best "$rt" run study_pop.yaml -o out_pop -q --overwrite)
read -r gs gm < <(best gdalwarp -q -overwrite -r sum -tr 100 100 -dstnodata nan fr_num.tif w_pop.tif)
echo "| the friction (NaN) and a population raster by sum; gdalwarp: sum alone | $rs | $rm_ | $gs | $gm |"
