#!/usr/bin/env bash
# Rebuilds the seed corpora of the fuzz harnesses (tests/fuzz/corpus/<harness>/)
# from the project's test fixtures, test sources and demo data. The seeds are
# committed; run this after a change of the fixtures or of a harness's input
# format, and commit what changes. Needs GDAL's command-line tools (gdal-bin)
# and python3. Every seed is small (the largest GeoPackage is about 40 KB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$here/corpus
fx=$root/tests/fixtures
geo=$root/geodata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# no side files, no dates in the GeoPackages: the same input gives the same seed
export GDAL_PAM_ENABLED=NO OGR_CURRENT_DATE=2024-01-01T00:00:00Z
rm -rf "$out"
mkdir -p "$out"/{maxspeed,study,profile,osm_tags,gtiff,gpkg,csv}

# ---- text seeds: maxspeed values, study files, profiles, OSM ways ----
python3 - "$root" "$out" <<'EOF'
import ast, glob, os, re, shutil, sys
root, out = sys.argv[1], sys.argv[2]

# maxspeed: the cases of tests/core/test_roadnet.c and a few more
src = open(f"{root}/tests/core/test_roadnet.c").read()
vals = [ast.literal_eval(m) for m in re.findall(r'\{("(?:[^"\\]|\\.)*"), -?[01], ', src)]
vals += ["DE:motorway", "60 kmh", "BE-BRU:urban;30 mph", "motorway", "nwb:R", "living_street",
         "line", "120;NL:rural;none"]
for i, v in enumerate(dict.fromkeys(vals)):
    open(f"{out}/maxspeed/value-{i:02d}", "w").write(v)

# study files: the demo studies, the fixtures, the literals of test_study_parse.c
for f in glob.glob(f"{root}/studies/*.yaml"):
    shutil.copy(f, f"{out}/study/studies-{os.path.basename(f)}")
for d in ("small", "hybrid"):
    shutil.copy(f"{root}/tests/fixtures/{d}/study.yaml", f"{out}/study/fixture-{d}.yaml")
src = open(f"{root}/tests/study/test_study_parse.c").read()
for m in re.finditer(r'static const char (\w+)\[\] =\s*((?:\s*"(?:[^"\\]|\\.)*"\s*)+);', src):
    text = "".join(ast.literal_eval(f'"{p}"') for p in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
    if "study" in text or "medium" in text:
        name = m.group(1).removesuffix("_yaml") or "regions"
        open(f"{out}/study/parse-{name}.yaml", "w").write(text)
open(f"{out}/study/anchors.yaml", "w").write("""\
# the same norms twice, through a YAML anchor and an alias
study: {name: anchors, cell_size_m: 100}
medium: {type: speed_model, offroad_kmh: 36}
facilities:
  - type: huisarts
    source: facilities.geojson
    id_column: ref
    norms: &norms {minutes: [5, 10], km: [2.5]}
  - type: apotheek
    source: apotheken.csv
    x_column: x
    y_column: y
    crs: EPSG:28992
    norms: *norms
regions:
  - {name: gemeente, source: regions.geojson, id_column: code, where: "code LIKE 'GM%'"}
""")

# profiles: the three of geodata/profiles and bike.yaml in flow style
for f in glob.glob(f"{root}/geodata/profiles/*.yaml"):
    shutil.copy(f, f"{out}/profile/")
text = "".join(l for l in open(f"{root}/geodata/profiles/bike.yaml") if not l.lstrip().startswith("#"))
head, _, cls = text.partition("classes:\n")
head = re.sub(r"description:.*?(?=\n\w)", "description: compact", head, flags=re.S)
head = re.sub(r"sources:\n(  - .*\n)+", "", head)
pairs = [l.strip() for l in cls.splitlines() if ":" in l]
open(f"{out}/profile/bike-flow.yaml", "w").write(head + "classes: {" + ", ".join(pairs) + "}\n")

# OSM ways with the tag combinations of tests/io/test_roads.c, as OSM XML and
# as CSV tables of ways (RD coordinates), one way per table too
cols = ["osm_id", "highway", "maxspeed", "oneway", "junction", "access", "vehicle",
        "motor_vehicle", "motorcar", "bicycle", "foot", "bridge", "tunnel", "oneway_bicycle"]
ways = [
    (200, "1 2", {"highway": "service", "access": "private", "foot": "yes"}),
    (201, "2 3", {"highway": "primary", "maxspeed": "50 mph"}),
    (202, "3 4", {"highway": "primary", "maxspeed": "signals"}),
    (203, "4 5", {"highway": "secondary", "maxspeed": "NL:urban", "motor_vehicle": "no"}),
    (204, "5 6", {"highway": "motorway"}),
    (205, "6 7", {"highway": "motorway", "oneway": "no", "bridge": "yes"}),
    (206, "7 8", {"highway": "proposed"}),
    (207, "1 8", {"waterway": "river"}),
    (100, "1 2 3", {"highway": "residential", "oneway": "yes", "oneway_bicycle": "no"}),
    (101, "3 9 1", {"highway": "tertiary", "junction": "roundabout", "maxspeed": "30;50"}),
    (102, "9 4", {"highway": "cycleway", "bicycle": "designated", "vehicle": "no", "tunnel": "yes"}),
    (103, "4 10", {"highway": "footway", "bicycle": "yes", "oneway": "-1", "maxspeed": "walk"}),
    (104, "10 5", {"highway": "living_street", "motorcar": "destination",
                   "maxspeed": "NL:living_street"}),
    (105, "5 11", {"highway": "track", "access": "agricultural", "bicycle": "permissive",
                   "maxspeed": "none"}),
]
nodes = {i: (0.001 * (i - 1), 0.0 if i <= 8 else 0.001 * (i - 8)) for i in range(1, 12)}
def osm_xml(sel):
    used = sorted({int(n) for _, nd, _ in sel for n in nd.split()})
    s = "<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n"
    for i in used:
        lon, lat = nodes[i]
        s += f'<node id="{i}" version="1" lat="{52 + lat:.7f}" lon="{4 + lon:.7f}"/>\n'
    for wid, nd, tags in sel:
        s += f'<way id="{wid}" version="1">\n'
        s += "".join(f'  <nd ref="{n}"/>\n' for n in nd.split())
        s += "".join(f'  <tag k="{k}" v="{v}"/>\n' for k, v in tags.items())
        s += "</way>\n"
    return s + "</osm>\n"
def ways_csv(sel):
    s = "WKT," + ",".join(cols) + "\n"
    for wid, nd, tags in sel:
        pts = ", ".join(f"{100000 + nodes[int(n)][0] * 1e5:.1f} {400000 + nodes[int(n)][1] * 1e5:.1f}"
                        for n in nd.split())
        # quoted: text columns, as the OSM driver gives every tag
        vals = [f'"{v}"' for v in [str(wid)] + [tags.get(c, "") for c in cols[1:]]]
        s += f'"LINESTRING ({pts})",' + ",".join(vals) + "\n"
    return s
open(f"{out}/osm_tags/tags.osm", "w").write(osm_xml(ways[:8]))
open(f"{out}/osm_tags/roundabout.osm", "w").write(osm_xml(ways[8:]))
open(f"{out}/osm_tags/tags.csv", "w").write(ways_csv(ways[:8]))
open(f"{out}/osm_tags/access.csv", "w").write(ways_csv(ways[8:]))
for w in ways:
    open(f"{out}/osm_tags/way-{w[0]}.csv", "w").write(ways_csv([w]))
EOF

# ---- GeoTIFF: 16 x 16 windows of the Rijnmond raster (91500 .. 93100 E,
# 437900 .. 439500 N, covered by the harness's grid) in several encodings ----
src=$geo/cbs-vierkant-2024-rijnmond/bevolking_100m_2024_rijnmond.tif
g=$out/gtiff
win=(-srcwin 308 120 16 16)
gdal_translate -q "${win[@]}" -co COMPRESS=DEFLATE "$src" "$g/int32-deflate.tif"
gdal_translate -q "${win[@]}" -ot Float32 -a_nodata nan "$src" "$g/float32-plain.tif"
gdal_translate -q "${win[@]}" -ot Byte -scale 0 2010 0 250 -a_nodata 255 -co COMPRESS=LZW \
  -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16 "$src" "$g/byte-lzw-tiled.tif"
gdal_translate -q "${win[@]}" -ot Int16 -co COMPRESS=PACKBITS "$src" "$g/int16-packbits.tif"
gdalwarp -q -tr 50 50 -r near -ot Float32 -co COMPRESS=DEFLATE -co PREDICTOR=3 \
  "$g/int32-deflate.tif" "$g/float32-50m.tif"
gdalwarp -q -t_srs EPSG:4326 -ot Float32 -co COMPRESS=DEFLATE "$g/int32-deflate.tif" \
  "$g/float32-wgs84.tif"
gdal_translate -q -a_ullr 91500 439500 93100 438700 "$g/int32-deflate.tif" "$g/int32-not-square.tif"
gdal_translate -q -of VRT "$g/int32-deflate.tif" "$tmp/n.vrt"
sed -i '/<SRS/d' "$tmp/n.vrt" # no CRS: the harness's assumed one applies
gdal_translate -q -co COMPRESS=DEFLATE -co PREDICTOR=2 "$tmp/n.vrt" "$g/int32-no-crs.tif"
gdalbuildvrt -q -separate "$tmp/t.vrt" "$g/int32-deflate.tif" "$g/int32-deflate.tif"
gdal_translate -q -co COMPRESS=DEFLATE "$tmp/t.vrt" "$g/two-bands.tif"

# ---- GeoPackages: 512-byte pages and no spatial index keep them small ----
gpkg() { # gpkg NAME SOURCE [ogr2ogr options...]
  local name=$1 src=$2
  shift 2
  ogr2ogr -f GPKG --config OGR_SQLITE_PRAGMA page_size=512 -lco SPATIAL_INDEX=NO \
    "$out/gpkg/$name.gpkg" "$src" "$@"
}
gpkg regions "$fx/small/regions.geojson" -nln regions -sql "SELECT code AS id, naam AS name FROM regions"
gpkg facilities-wgs84 "$fx/small/facilities.geojson" -nln facilities \
  -sql "SELECT ref AS id, naam AS name FROM facilities"
gpkg population "$fx/small/population.geojson" -nln population -t_srs EPSG:28992 \
  -sql "SELECT inwoners AS value FROM population"
gpkg roads "$fx/hybrid/roads.geojson" -nln roads
gpkg region-hybrid "$fx/hybrid/region.geojson" -nln region -sql "SELECT code AS id FROM region"
gpkg edges "$fx/network/edges.csv" -nln edges -oo AUTODETECT_TYPE=YES
gpkg wegvakken "$geo/nwb-samples/nwb_wageningen_2020.gpkg" -nln wegvakken \
  -spat 173800 443800 174200 444200 -select wvk_id,jte_id_beg,jte_id_end,wegbehsrt,rijrichtng
gpkg wegvakken-2011 "$geo/nwb-samples/nwb_amsterdam_noord_2011.gpkg" wegvakken -nln wegvakken \
  -spat 123500 491000 123900 491400 \
  -select WVK_ID,JTE_ID_BEG,JTE_ID_END,WEGBEHSRT,RIJRICHTNG,BAANSUBSRT
gpkg pc4 "$geo/cbs-pc4-2024-delft/pc4_delft_2024.gpkg" -nln pc4 -simplify 50 -limit 4 \
  -sql "SELECT geom, postcode AS id, aantal_inwoners AS value FROM pc4"
gpkg wijken "$geo/cbs-wijken-2022-wageningen/wijken_wageningen_2022.gpkg" -nln wijken \
  -simplify 100 -limit 3 -nlt PROMOTE_TO_MULTI -sql "SELECT geom, code AS id, name, population AS value FROM wijken"
gpkg hospitals "$geo/mapnl-ziekenhuizen-2016/ziekenhuizen_2016.gpkg" -nln hospitals -limit 12 \
  -sql "SELECT geom, CAST(ziekenhuisnummer AS INTEGER) AS id, naam_ziekenhuis AS name FROM ziekenhuizen"

# ---- CSV: the fixtures' and demo data's tables, and WKT layers ----
c=$out/csv
cp "$fx/network/edges.csv" "$c/edges.csv"
cp "$fx/network/sources.csv" "$c/sources-one-column.csv"
cp "$geo/illustrative-points/wageningen_nwb_junctions.csv" "$c/points-xy.csv"
cp "$geo/porto-alegre/poa_points_of_interest.csv" "$c/points-lonlat.csv"
head -n 12 "$geo/porto-alegre/poa_hexgrid.csv" >"$c/hexgrid-lonlat.csv"
printf 'source,target,length_m,speed_kmh,oneway\n1,2,100,36,yes\n2,3,250.5,50,no\n3,1,80,30,\n' \
  >"$c/edges-length-speed.csv"
printf 'from,to,time_s,reverse_cost\n7,8,12,-1\n8,9,3.5,4\n' >"$c/edges-reverse.csv"
csv() { # csv NAME SOURCE [ogr2ogr options...]
  local name=$1 src=$2
  shift 2
  ogr2ogr -f CSV -lco STRING_QUOTING=IF_NEEDED "$tmp/$name.csv" "$src" "$@"
  mv "$tmp/$name.csv" "$c/$name.csv"
}
csv population-xy "$fx/small/population.geojson" -lco GEOMETRY=AS_XY \
  -sql "SELECT inwoners AS value FROM population"
csv regions-wkt "$fx/small/regions.geojson" -lco GEOMETRY=AS_WKT \
  -sql "SELECT code AS id, naam AS name FROM regions"
csv roads-wkt "$fx/hybrid/roads.geojson" -lco GEOMETRY=AS_WKT
csv wegvakken-wkt "$geo/nwb-samples/nwb_wageningen_2020.gpkg" -lco GEOMETRY=AS_WKT \
  -spat 173900 443900 174100 444100 -select wvk_id,jte_id_beg,jte_id_end,wegbehsrt,rijrichtng

ls -l "$out"/* | awk '$5 > 65536 {print "build_seed_corpus: large seed: " $0; bad = 1} END {exit bad}'
for d in "$out"/*/; do
  echo "$(basename "$d"): $(find "$d" -type f | wc -l) seeds, $(du -sk "$d" | cut -f1) KB"
done
