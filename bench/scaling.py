"""Benchmark: does a run grow linearly with the size of the province?

Builds 1x, 2x, 4x ... Zhejiang as copies of the embedded region placed side by side: copy
``c`` is every site, rail line and no-fly zone of ``geodata/regions/zhejiang`` moved (c mod
4) x 6 degrees east (a shift in longitude keeps every distance inside a copy exactly) and,
from the fifth copy on, (c div 4) x 6 degrees north (a row further north: east-west
distances shrink a little with latitude, so 11x, the national scale, is close to but not
exactly 11 Zhejiangs), with ``__c<c>`` appended to its ids and its city and county names
(each copy's hospitals keep their own county blood bank; copy 0 keeps the real ids, so the
scenario's drone routes still apply there) and the outlines joined. Demand follows from
the hospitals' beds and donors from demand, so both grow with the copies; the province-wide
apheresis volume (``supply.apheresis.doses_per_day``) is multiplied by the number of copies.
Everything else (policies, rebalancing and routing over all stations) is the scenario's.

Each size runs in a fresh process, so its peak memory (RSS) is its own:

    python bench/scaling.py                      # 1x 2x 4x, 20 days
    python bench/scaling.py --sizes 1 2 --days 5 # a short check
    python bench/scaling.py --sizes 1 11 --days 5  # national scale (~2.2 GB)

The checkout this file lives in comes first on ``sys.path``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402

from geodata import load_region  # noqa: E402
from sim import run  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

REGION = ROOT / "geodata" / "regions" / "zhejiang"
SCENARIO = ROOT / "scenarios" / "zhejiang_baseline.yaml"
SHIFT_DEG = 6.0  # Zhejiang spans about 5 degrees of longitude and 4.5 of latitude
PER_ROW = 4  # copies side by side eastwards, then the next row northwards (11x fits in WGS84)
ID_COLUMNS = {
    # city and county too: a hospital's county blood bank is the bank of its (city, county)
    # (sim/state/sites.py), so shared names would send every copy's hospitals to one bank
    "sites": ("site_id", "station_id", "lab_id", "host_site_id", "name", "city", "county"),
    "rail_lines": ("line_id", "from_site", "to_site"),
    "no_fly": ("zone_id", "name"),
}


def copied_region(copies: int, folder: Path) -> Path:
    """Write ``copies`` side-by-side copies of Zhejiang into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for layer, columns in ID_COLUMNS.items():
        frame = gpd.read_file(REGION / f"{layer}.geojson")
        parts = [_copy(frame, c, columns) for c in range(copies)]
        joined = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=frame.crs)
        joined.to_file(folder / f"{layer}.geojson", driver="GeoJSON")
    outline = gpd.read_file(REGION / "outline.geojson")
    shapes = [outline.geometry.translate(*_offset(c)) for c in range(copies)]
    merged = gpd.GeoSeries(pd.concat(shapes), crs=outline.crs).union_all()
    name = f"zhejiang_x{copies}"
    gpd.GeoDataFrame({"name": [name]}, geometry=[merged], crs=outline.crs).to_file(
        folder / "outline.geojson", driver="GeoJSON"
    )
    shutil.copy(REGION / "road.json", folder / "road.json")
    return folder


def _copy(frame: gpd.GeoDataFrame, c: int, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Copy ``c`` of a layer: geometry moved east, ids suffixed (copy 0 unchanged)."""
    out = frame.copy()
    if c == 0:
        return out
    out["geometry"] = out.geometry.translate(*_offset(c))
    for column in columns:
        if column in out:
            out[column] = out[column].where(out[column].isna(), out[column] + f"__c{c}")
    return out


def _offset(c: int) -> tuple[float, float]:
    """(east, north) shift of copy ``c`` in degrees: rows of :data:`PER_ROW` copies."""
    return (c % PER_ROW) * SHIFT_DEG, (c // PER_ROW) * SHIFT_DEG


def one_size(copies: int, days: int, seed: int | None) -> dict:
    """Run ``copies`` x Zhejiang for ``days`` in this process; figures as a dict."""
    loaded = load_scenario(SCENARIO)
    with tempfile.TemporaryDirectory(prefix="scaling-") as tmp:
        region = load_region(copied_region(copies, Path(tmp) / "region"))
    apheresis = loaded.scenario.supply.apheresis
    supply = loaded.scenario.supply.model_copy(
        update={
            "apheresis": apheresis.model_copy(
                update={"doses_per_day": apheresis.doses_per_day * copies}
            )
        }
    )
    scenario = loaded.scenario.model_copy(update={"supply": supply})
    loaded = dataclasses.replace(loaded, scenario=scenario, region=region)
    start, cpu = time.perf_counter(), time.process_time()
    result = run(loaded, days=days, seed=seed)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    sim = result.kpis["simulation"]
    return {
        "copies": copies,
        "sites": len(region.sites),
        "days": days,
        "wall_s": wall,
        "cpu_s": cpu,
        "ledger_rows": sim["ledger_rows"],
        "events": sim["simpy_events"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: one size, JSON out
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.days, args.seed)))
        return
    rows = [_child(k, args.days, args.seed) for k in args.sizes]
    _print(rows)


def _child(copies: int, days: int, seed: int | None) -> dict:
    command = [sys.executable, __file__, "--one", str(copies), "--days", str(days)]
    if seed is not None:
        command += ["--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"size {copies}x failed:\n{done.stderr[-2000:]}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{copies}x: {row['wall_s']:.1f} s ({row['cpu_s']:.1f} s CPU), "
        f"{row['peak_rss_mb']:,.0f} MB, "
        f"{row['ledger_rows']:,} bags, {row['events']:,} events",
        flush=True,
    )
    return row


def _print(rows: list[dict]) -> None:
    base = rows[0]
    print(
        f"\n{rows[0]['days']} days; 'time/k', 'CPU/k' and 'bags/k' relative to "
        f"{base['copies']}x per copy (CPU: this process, less sensitive to other jobs)"
    )
    print("size  sites   wall s  time/k   CPU s   CPU/k  bags/k  peak MB   MB/k   bags/s  events/s")
    for r in rows:
        k = r["copies"] / base["copies"]
        print(
            f"{r['copies']:>3}x {r['sites']:>6} {r['wall_s']:>8.1f} "
            f"{r['wall_s'] / base['wall_s'] / k:>7.2f} "
            f"{r['cpu_s']:>7.1f} {r['cpu_s'] / base['cpu_s'] / k:>7.2f} "
            f"{r['ledger_rows'] / base['ledger_rows'] / k:>7.2f} "
            f"{r['peak_rss_mb']:>8,.0f} {r['peak_rss_mb'] / base['peak_rss_mb'] / k:>6.2f} "
            f"{r['ledger_rows'] / r['wall_s']:>8,.0f} {r['events'] / r['wall_s']:>9,.0f}"
        )


if __name__ == "__main__":
    main()
