#!/usr/bin/env python3
"""Compares two batch folders (or two run folders) file by file.

    same_outputs.py [--shares] A B

Every file of A must be in B and the other way round (hidden files are
ignored, as are the share summaries batch-share-<I>-of-<N>.json of either
side with --shares), with the same bytes, but for the fields that measure
the clock or the process rather than the study, which are left out before
the comparison and nothing else:
  - run.json: finished_utc, stage_seconds, total_seconds, peak_rss_bytes,
    and "seconds" of each entry of facilities and of each type of each
    entry of scenarios;
  - batch.json and batch-share-*.json: "seconds" of each job;
  - batch.txt: the seconds column of each job's line ("ok  0.2 s  a").
The rest of those files is compared as text once these are taken out.
GeoPackages are compared byte for byte: their gpkg_contents.last_change is
the clock, so the runs to compare must set GDAL's OGR_CURRENT_DATE to one
value. Exits 0 when the folders are the same, 1 (listing what differs)
when not.
"""
import json
import os
import re
import sys

SHARE = re.compile(r"(^|/)batch-share-\d+-of-\d+\.json$")


def files(root, shares):
    out = set()
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root)
            if n.startswith(".") or (shares and SHARE.search(rel)):
                continue
            out.add(rel)
    return out


def untimed(rel, data):
    name = os.path.basename(rel)
    if name == "run.json":
        doc = json.loads(data)
        for key in ("finished_utc", "stage_seconds", "total_seconds", "peak_rss_bytes"):
            doc.pop(key, None)
        for f in doc.get("facilities", []):
            f.pop("seconds", None)
        for sc in doc.get("scenarios", []):
            for f in sc.get("types", []):
                f.pop("seconds", None)
        return json.dumps(doc, indent=1).encode()
    if name == "batch.json" or SHARE.search(rel):
        doc = json.loads(data)
        for job in doc.get("jobs", []):
            job.pop("seconds", None)
        return json.dumps(doc, indent=1).encode()
    if name == "batch.txt":
        return re.sub(rb"(?m)^(  \S+ +)[0-9.]+ s  ", rb"\1", data)
    return data


def main(argv):
    shares = "--shares" in argv
    a, b = [x for x in argv if x != "--shares"]
    fa, fb = files(a, shares), files(b, shares)
    bad = ["only in %s: %s" % (a, f) for f in sorted(fa - fb)]
    bad += ["only in %s: %s" % (b, f) for f in sorted(fb - fa)]
    for f in sorted(fa & fb):
        with open(os.path.join(a, f), "rb") as x, open(os.path.join(b, f), "rb") as y:
            if untimed(f, x.read()) != untimed(f, y.read()):
                bad.append("differs: %s" % f)
    for line in bad:
        print(line)
    if not fa:
        print("no files in %s" % a)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
