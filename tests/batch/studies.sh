#!/bin/sh
# Writes three small studies for the batch tests into the folder $1, their
# sources named by absolute path so that the files may live anywhere:
#   a.yaml  tests/fixtures/small (a grid of 40 x 10 cells, 16 neighbours)
#   b.yaml  tests/fixtures/hybrid (land and roads)
#   c.yaml  a.yaml with 8 neighbours
set -eu
fixtures=$(cd "$(dirname "$0")/../fixtures" && pwd)
sed "s#: \([a-z_]*\.geojson\)#: $fixtures/small/\1#" "$fixtures/small/study.yaml" >"$1/a.yaml"
sed "s#: \([a-z_]*\.geojson\)#: $fixtures/hybrid/\1#" "$fixtures/hybrid/study.yaml" >"$1/b.yaml"
sed "s#neighbours: 16#neighbours: 8#" "$1/a.yaml" >"$1/c.yaml"
grep -q "neighbours: 8" "$1/c.yaml"
