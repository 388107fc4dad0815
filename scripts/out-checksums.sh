#!/usr/bin/env bash
# Content checksums of the outputs of one or more runs, for checking that a
# change of the code changes no result:
#
#   bash scripts/out-checksums.sh out/rijnmond out/porto-alegre > before.txt
#   ... change, rebuild, run again ...
#   bash scripts/out-checksums.sh out/rijnmond out/porto-alegre | diff before.txt -
#
# With --root DIR first, the text DIR is taken out of report.html and
# run.json (they name the inputs by their absolute paths), so that runs of
# two checkouts in different folders compare equal.
#
# One line per output file: "<sha256>  <folder>/<file>" (files in the
# subfolders, such as scenarios/<name>/, by their path). What is hashed:
#  - GeoTIFF: the raw values of every band (gdal_translate to ENVI), and the
#    band's description, unit and nodata (gdalinfo), not the file bytes;
#  - GeoPackage: every layer as CSV with its geometry as WKT (ogr2ogr), and
#    the layer_styles table; not the file (SQLite pages hold timestamps);
#  - run.json: the whole document without what differs between two runs of
#    the same study (the clock, stage and total seconds, peak memory,
#    threads, the version of reistijd, the seconds of each type and
#    scenario);
#  - everything else (CSV, .csvt, .qml, report.html): the file bytes.
# Needs gdal-bin and python3.
set -euo pipefail

root=""
if [ "${1:-}" = "--root" ]; then
  root=$2
  shift 2
fi
if [ $# -eq 0 ]; then
  echo "usage: $0 [--root DIR] OUTDIR..." >&2
  exit 2
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

sum() { sha256sum | cut -d' ' -f1; }
# the text of a file with the checkout folder taken out
unrooted() { if [ -n "$root" ]; then sed "s#$root#ROOT#g" "$1"; else cat "$1"; fi; }

for dir in "$@"; do
  base=$(basename "$dir")
  # files in subfolders (scenarios/<name>/) too, by their path in the folder
  for f in $(cd "$dir" && find . -type f ! -name '.*' | sed 's#^\./##' | LC_ALL=C sort); do
    p="$dir/$f"
    case "$f" in
      *.tif)
        gdal_translate -q -of ENVI "$p" "$scratch/r.bin"
        h=$( (cat "$scratch/r.bin"; gdalinfo "$p" | grep -E '^  (Description|Unit Type|NoData Value)') | sum)
        rm -f "$scratch"/r.*
        ;;
      *.gpkg)
        h=$( (for layer in $(ogrinfo -q -ro "$p" | sed -n 's/^[0-9]*: \([^ ]*\).*/\1/p' | LC_ALL=C sort); do
                echo "== $layer"
                ogr2ogr -f CSV /vsistdout/ "$p" "$layer" -lco GEOMETRY=AS_WKT
              done
              echo "== layer_styles"
              ogr2ogr -f CSV /vsistdout/ "$p" -sql \
                "SELECT f_table_name, styleName, styleQML, useAsDefault FROM layer_styles ORDER BY f_table_name, styleName" 2>/dev/null || true) | sum)
        ;;
      run.json)
        h=$(python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in ("finished_utc", "stage_seconds", "total_seconds", "peak_rss_bytes", "threads"):
    d.pop(k, None)
d.get("versions", {}).pop("reistijd", None)
for f in d.get("facilities", []):
    f.pop("seconds", None)
for sc in d.get("scenarios", []):
    for f in sc.get("types", []):
        f.pop("seconds", None)
print(json.dumps(d, sort_keys=True))' < <(unrooted "$p") | sum)
        ;;
      report.html)
        h=$(unrooted "$p" | sum)
        ;;
      *)
        h=$(sum < "$p")
        ;;
    esac
    echo "$h  $base/$f"
  done
done
