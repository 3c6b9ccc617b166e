"""Benchmark: the whole province for a whole year, every unit on the ledger.

Prints wall and CPU time, bags simulated per second, SimPy events per second and memory (RSS:
the peak, and the resident and peak memory after the last day, after the tables and KPIs and
after writing the run folder to a temporary folder, so what each phase adds shows),
and SimPy's bare floor measured in the same process just before the run (``--floor-events``
``timeout`` events of one process, 1 M by default): the ratio run time / floor keeps figures
from a busy machine comparable. Optionally a profile of where the time goes. Record results
in bench/RESULTS.md (date, machine, load, ratio).

    python bench/sim_year.py                 # the default scenario, 365 days
    python bench/sim_year.py --days 20 --profile [--profile-out prof.pstats]
    python bench/sim_year.py --days 120 --no-write   # tables and KPIs, no run folder
    python bench/sim_year.py --views   # as `bloodflow run`: the run folder with map and report

The checkout this file lives in comes first on ``sys.path``, so a worktree benchmarks its
own code, not the editable install's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import run  # noqa: E402
from sim.execution.output import write_run  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.state import ledger, stock  # noqa: E402
from sim.workflows.run import run_to_folder  # noqa: E402

FLOOR_EVENTS = 1_000_000


def simpy_floor(events: int = FLOOR_EVENTS) -> float:
    """Seconds SimPy needs for ``events`` bare ``timeout`` events of one process."""
    env = simpy.Environment()

    def ticker() -> simpy.events.ProcessGenerator:
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(ticker())
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb() -> float:
    """Resident memory of this process now, MB (NaN where ``/proc`` does not tell)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def memory_line(phase: str) -> str:
    """``phase: resident now, peak so far`` (MB)."""
    return f"  {phase:<22}: {rss_mb():,.0f} MB resident, peak so far {peak_rss_mb():,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "zhejiang_baseline.yaml"))
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    parser.add_argument("--profile-out", type=Path, help="also save the profile (pstats file)")
    parser.add_argument("--top", type=int, default=25, help="profile lines printed")
    parser.add_argument("--floor-events", type=int, default=FLOOR_EVENTS)
    parser.add_argument("--no-write", action="store_true", help="do not write the run folder")
    parser.add_argument(
        "--views",
        action="store_true",
        help="as bloodflow run: write the run folder with map.html and report.html (timed)",
    )
    args = parser.parse_args()

    floor = simpy_floor(args.floor_events) if args.floor_events > 0 else float("nan")
    t0 = time.perf_counter()
    loaded = load_scenario(args.scenario)
    t_load = time.perf_counter() - t0
    profiler = cProfile.Profile() if args.profile or args.profile_out else None
    t1, cpu1 = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    memory: list[str] = []  # memory lines of the phases
    with tempfile.TemporaryDirectory(prefix="sim-year-") as folder:
        on_day = _memory_on_last_day(memory)
        if args.views:  # what a planner meets: the tables let go, then the map and report
            out = Path(folder) / "run"
            result = run_to_folder(loaded, out=out, days=args.days, seed=args.seed, on_day=on_day)
        else:
            result = run(loaded, days=args.days, seed=args.seed, on_day=on_day)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - t1, time.process_time() - cpu1
    built = "run folder, map, report" if args.views else "tables and KPIs built"
    memory.append(memory_line(built))
    _report(result.kpis, t_load, wall, floor, args.floor_events)
    print(f"run CPU time   : {cpu:.2f} s (this process; less sensitive to other jobs than wall)")
    if args.views:
        print("               (--views: wall and CPU include the run folder, map and report)")
    if not args.no_write and not args.views:
        with tempfile.TemporaryDirectory(prefix="sim-year-") as folder:
            t2 = time.perf_counter()
            write_run(Path(folder) / "run", result)
            memory.append(memory_line(f"written ({time.perf_counter() - t2:.1f} s)"))
    print("memory (RSS)   :\n" + "\n".join(memory))
    if profiler and args.profile_out:
        profiler.dump_stats(args.profile_out)
    if profiler and args.profile:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(args.top)
        print(stream.getvalue())


def _memory_on_last_day(out: list[str]) -> Callable[[int, int], None]:
    """A day callback that appends the memory line of the last day to ``out``."""

    def on_day(day: int, days: int) -> None:
        if day == days:
            out.append(memory_line("last day simulated"))

    return on_day


def _report(kpis: dict, t_load: float, wall: float, floor: float, floor_events: int) -> None:
    sim = kpis["simulation"]
    days = kpis["provenance"]["days"]
    year = wall / days * 365
    print(
        f"machine        : {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}, simpy {simpy.__version__}"
    )
    kind = {True: "compiled", False: "pure Python"}  # BLOODFLOW_PURE_PYTHON=1: pure Python
    print(f"stock, ledger  : {kind[stock.COMPILED]}, {kind[ledger.COMPILED]}")
    print(f"days simulated : {days}")
    print(f"load scenario  : {t_load:.2f} s")
    print(f"run wall time  : {wall:.2f} s ({year:.1f} s per simulated year)")
    print(f"simpy floor    : {floor:.2f} s for {floor_events:,} bare timeout events")
    print(f"run / floor    : {wall / floor:.1f} (year / floor {year / floor:.1f})")
    print(f"ledger rows    : {sim['ledger_rows']:,} bags ({sim['ledger_rows'] / wall:,.0f}/s)")
    print(f"simpy events   : {sim['simpy_events']:,} ({sim['simpy_events'] / wall:,.0f}/s)")
    print(f"peak RSS       : {peak_rss_mb():,.0f} MB")
    print(
        f"units collected: {kpis['units_collected']['total']:,.0f} "
        f"(whole blood {kpis['collection']['whole_blood_u']:,.0f} U)"
    )
    print(f"fill rate      : {kpis['fill_rate']}")


if __name__ == "__main__":
    main()
