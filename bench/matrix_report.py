#!/usr/bin/python3
"""Tables and plots of a bench/matrix.sh run.

usage: matrix_report.py OUT

Reads OUT/<RES>m/{raw.tsv,header.txt} (the peer harness's records, one line per run) and
OUT/batch.tsv, and writes OUT/matrix.csv, OUT/matrix.md and OUT/scaling.png. Medians over
the repetitions of a tool; peak RSS is the largest. "core" is the compute step as each tool
reports it (reistijd: reading and writing excluded), "wall" the whole command.
"""
import csv
import os
import re
import statistics
import sys


def load(out):
    runs = {}  # res -> tool -> dict
    cells = {}
    for name in os.listdir(out):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)m", name)
        if not m or not os.path.exists(f"{out}/{name}/raw.tsv"):
            continue
        res = float(m.group(1))
        head = open(f"{out}/{name}/header.txt").read()
        c = re.search(r"= (\d+) cells \((\d+) passable\)", head)
        cells[res] = (int(c.group(1)), int(c.group(2)))
        tools = {}
        for r in csv.DictReader(open(f"{out}/{name}/raw.tsv"), delimiter="\t"):
            tools.setdefault(r["tool"], []).append(r)
        runs[res] = {}
        for tool, rs in tools.items():
            ok = [r for r in rs if r["rc"] == "0"]
            if not ok:
                runs[res][tool] = None
                continue
            core = [float(r["core_s"]) for r in ok if r["core_s"] != "-"]
            runs[res][tool] = {
                "runs": len(ok),
                "core": statistics.median(core) if core else None,
                "wall": statistics.median(float(r["wall_s"]) for r in ok),
                "rss_mb": max(int(r["rss_kb"]) for r in ok) / 1024.0,
            }
    return runs, cells


def threads_of(tool):
    m = re.fullmatch(r"reistijd_(\d+)_(\d+)t", tool)
    return (int(m.group(1)), int(m.group(2))) if m else None


def fastest_peer(tools, nb):
    """The fastest peer by core seconds; for 16 neighbours only r.cost -k
    computes the same thing, for 8 every other peer."""
    best = None
    for tool, v in tools.items():
        if v is None or threads_of(tool) or v["core"] is None:
            continue
        if (nb == 16) != tool.endswith("k16"):
            continue
        if best is None or v["core"] < best[1]["core"]:
            best = (tool, v)
    return best


def main():
    out = sys.argv[1]
    runs, cells = load(out)
    resolutions = sorted(runs, reverse=True)
    rows = []
    md = ["# Benchmark matrix", "", open(f"{out}/machine.md").read().split("\n", 2)[2].strip()
          if os.path.exists(f"{out}/machine.md") else "", ""]
    for res in resolutions:
        n, npass = cells[res]
        md += [f"## {res:g} m: {n:,} cells ({npass:,} passable)", "",
               "| tool | threads | runs | core s | wall s | peak RSS MB | B/cell | "
               "core: fastest peer / tool | wall: fastest peer / tool |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for tool, v in runs[res].items():
            tn = threads_of(tool)
            nb = tn[0] if tn else (16 if tool.endswith("k16") else 8)
            fp = fastest_peer(runs[res], nb)
            if v is None:
                md.append(f"| {tool} | | 0 | failed | | | | | |")
                continue
            rc = rw = ""
            if tn and fp and v["core"]:
                rc = f"{fp[1]['core'] / v['core']:.1f}x {fp[0]}"
                rw = f"{fp[1]['wall'] / v['wall']:.1f}x"
            bpc = v["rss_mb"] * 1048576 / n
            core = f"{v['core']:.2f}" if v["core"] is not None else "-"
            md.append(f"| {tool} | {tn[1] if tn else 1} | {v['runs']} | {core} | "
                      f"{v['wall']:.2f} | {v['rss_mb']:.0f} | {bpc:.1f} | {rc} | {rw} |")
            rows.append({"res_m": res, "tool": tool, "neighbours": nb,
                         "threads": tn[1] if tn else 1, "ranks": "", "runs": v["runs"],
                         "core_s": v["core"], "wall_s": v["wall"], "peak_rss_mb": v["rss_mb"],
                         "bytes_per_cell": bpc, "fastest_peer": fp[0] if fp else "",
                         "ratio_core": fp[1]["core"] / v["core"] if tn and fp and v["core"]
                         else ""})
        md.append("")
    # parallel efficiency and growth
    md += ["## Threads on one grid (reistijd, core seconds)", "",
           "| resolution | neighbours | threads | core s | speed-up | parallel efficiency |",
           "|---:|---:|---:|---:|---:|---:|"]
    for res in resolutions:
        for nb in (8, 16):
            one = runs[res].get(f"reistijd_{nb}_1t")
            for tool, v in sorted(runs[res].items(), key=lambda kv: str(threads_of(kv[0]))):
                tn = threads_of(tool)
                if not tn or tn[0] != nb or not v or not one or not v["core"]:
                    continue
                s = one["core"] / v["core"]
                md.append(f"| {res:g} m | {nb} | {tn[1]} | {v['core']:.2f} | {s:.2f}x | "
                          f"{s / tn[1]:.0%} |")
    md.append("")
    if len(resolutions) > 1:
        lo, hi = resolutions[0], resolutions[-1]
        f = cells[hi][0] / cells[lo][0]
        md += [f"## Growth from {lo:g} m to {hi:g} m ({f:.0f}x the cells; core seconds)", "",
               "| tool | core s at coarse | core s at fine | fine / coarse |",
               "|---|---:|---:|---:|"]
        for tool, v in runs[lo].items():
            w = runs[hi].get(tool)
            if v and w and v["core"] and w["core"]:
                md.append(f"| {tool} | {v['core']:.2f} | {w['core']:.2f} | "
                          f"{w['core'] / v['core']:.1f} |")
        md.append("")
    batch = []
    if os.path.exists(f"{out}/batch.tsv"):
        batch = [r for r in csv.DictReader(open(f"{out}/batch.tsv"), delimiter="\t")]
    if batch:
        w1 = float(batch[0]["wall_s"])
        md += ["## `reistijd batch` over MPI ranks (the demo studies, one thread per rank)", "",
               "| ranks | jobs | ok | wall s | speed-up | parallel efficiency |",
               "|---:|---:|---:|---:|---:|---:|"]
        for r in batch:
            w = float(r["wall_s"])
            s = w1 / w * int(batch[0]["ranks"])
            md.append(f"| {r['ranks']} | {r['jobs']} | {r['ok']} | {w:.2f} | {s:.2f}x | "
                      f"{s / int(r['ranks']):.0%} |")
            rows.append({"res_m": "", "tool": "reistijd_batch", "neighbours": "",
                         "threads": 1, "ranks": r["ranks"], "runs": 1, "core_s": "",
                         "wall_s": w, "peak_rss_mb": "", "bytes_per_cell": "",
                         "fastest_peer": "", "ratio_core": ""})
        md.append("")
    with open(f"{out}/matrix.csv", "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["tool"])
        wr.writeheader()
        wr.writerows(rows)
    open(f"{out}/matrix.md", "w").write("\n".join(md) + "\n")
    plot(out, runs, cells, resolutions, batch)


def plot(out, runs, cells, resolutions, batch):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 3, figsize=(15, 4.5))
    for res in resolutions:
        for nb, style in ((8, "-o"), (16, "--s")):
            pts = sorted((threads_of(t)[1], v["core"]) for t, v in runs[res].items()
                         if threads_of(t) and threads_of(t)[0] == nb and v and v["core"])
            if pts:
                ax[0].plot([p[0] for p in pts], [pts[0][1] / p[1] for p in pts], style,
                           label=f"{res:g} m, {nb} neighbours")
    if any(ax[0].get_lines()):
        tmax = max(max(line.get_xdata()) for line in ax[0].get_lines())
        ax[0].plot([1, tmax], [1, tmax], ":", color="grey", label="ideal")
    ax[0].set(xlabel="threads", ylabel="speed-up of one grid search",
              title="reistijd: threads on one grid")
    ax[0].legend(fontsize=8)
    tools = sorted({t for res in resolutions for t in runs[res]})
    for tool in tools:
        pts = [(cells[res][0], runs[res][tool]["core"]) for res in resolutions
               if runs[res].get(tool) and runs[res][tool]["core"]]
        if len(pts) > 1:
            ax[1].loglog([p[0] for p in pts], [p[1] for p in pts], "-o", label=tool)
    ax[1].set(xlabel="cells", ylabel="core seconds", title="growth with resolution")
    ax[1].legend(fontsize=7)
    if batch:
        r = [int(b["ranks"]) for b in batch]
        w = [float(b["wall_s"]) for b in batch]
        ax[2].plot(r, [w[0] / x * r[0] for x in w], "-o", label="reistijd batch")
        ax[2].plot(r, r, ":", color="grey", label="ideal")
        ax[2].legend(fontsize=8)
    ax[2].set(xlabel="MPI ranks", ylabel="speed-up", title="batch over ranks")
    fig.tight_layout()
    fig.savefig(f"{out}/scaling.png", dpi=110)


if __name__ == "__main__":
    main()
