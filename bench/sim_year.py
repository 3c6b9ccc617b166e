"""Benchmark: the whole province for a whole year, every unit on the ledger.

Prints wall time, bags simulated per second and SimPy events per second, and optionally a
profile of where the time goes. Record results in bench/RESULTS.md (date, machine).

    python bench/sim_year.py                 # the default scenario, 365 days
    python bench/sim_year.py --days 60 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import time
from pathlib import Path

from sim import run
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "zhejiang_baseline.yaml"))
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    args = parser.parse_args()

    t0 = time.perf_counter()
    loaded = load_scenario(args.scenario)
    t_load = time.perf_counter() - t0
    profiler = cProfile.Profile() if args.profile else None
    t1 = time.perf_counter()
    if profiler:
        profiler.enable()
    result = run(loaded, days=args.days)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - t1
    _report(result.kpis, t_load, wall)
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(25)
        print(stream.getvalue())


def _report(kpis: dict, t_load: float, wall: float) -> None:
    sim = kpis["simulation"]
    days = kpis["provenance"]["days"]
    print(
        f"machine        : {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}"
    )
    print(f"days simulated : {days}")
    print(f"load scenario  : {t_load:.2f} s")
    print(f"run wall time  : {wall:.2f} s ({wall / days * 365:.1f} s per simulated year)")
    print(f"ledger rows    : {sim['ledger_rows']:,} bags ({sim['ledger_rows'] / wall:,.0f}/s)")
    print(f"simpy events   : {sim['simpy_events']:,} ({sim['simpy_events'] / wall:,.0f}/s)")
    print(
        f"units collected: {kpis['units_collected']['total']:,.0f} "
        f"(whole blood {kpis['collection']['whole_blood_u']:,.0f} U)"
    )
    print(f"fill rate      : {kpis['fill_rate']}")


if __name__ == "__main__":
    main()
