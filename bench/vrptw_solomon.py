"""Solomon VRPTW benchmark (DIMACS convention): gap to the distance-only BKS per engine.

Usage::

    python bench/vrptw_solomon.py [--engine pyvrp --engine ortools] [--time-limit 10]
                                  [--instances R101 C101 ...] [--out results.jsonl]

Prints one row per instance and, per engine, the mean and worst gap to the
distance-only best-known solutions of ``bks.csv`` and how many instances were solved
(a plan was returned) and feasible (checked by the independent validator).

The checkout this file lives in comes first on ``sys.path`` and ``PYTHONPATH`` (worker
processes included), not the editable install's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
from pathlib import Path

# the checkout this file lives in comes first, so a worktree benchmarks its own code; also
# in the portfolio's worker processes (a forkserver imports the engines before it reads
# the parent's sys.path, so it needs PYTHONPATH)
_CHECKOUT = str(Path(__file__).resolve().parents[1])
sys.path.insert(0, _CHECKOUT)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [_CHECKOUT, os.environ.get("PYTHONPATH")]))

from optimizer.routing.solomon import bench_instance  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT.parent / "shared" / "benchmarks" / "vrp"
CONVENTION = "distance-only (vehicles"


def load_bks(path: Path) -> dict[str, float]:
    """Distance-only BKS (1-decimal truncated distances) per instance name."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            row["instance"]: float(row["bks_distance"])
            for row in csv.DictReader(fh)
            if row["objective_convention"].startswith(CONVENTION)
        }


def run_engine(
    engine: str, files: list[Path], bks: dict[str, float], time_limit: float, out: Path | None
) -> list[dict]:
    """Solve every file with one engine, printing a row per instance."""
    records = []
    for path in files:
        rec = bench_instance(path, engine=engine, time_limit_s=time_limit)
        rec["requested_engine"] = engine
        rec["gap_pct"] = round(100 * (rec["cost"] / bks[path.stem] - 1), 3)
        records.append(rec)
        print(
            f"{engine:8s} {rec['instance']:6s} cost {rec['cost']:8.1f}  bks "
            f"{bks[path.stem]:8.1f}  gap {rec['gap_pct']:6.2f}%  veh {rec['vehicles']:2d}  "
            f"feasible {rec['feasible']}  {rec['time_s']:.1f}s",
            flush=True,
        )
        if out is not None:
            with out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(rec) + "\n")
    return records


def summarise(engine: str, records: list[dict], total: int) -> None:
    """Print mean / worst gap and solved / feasible counts."""
    feasible = [r for r in records if r["feasible"]]
    solved = [r for r in records if r["routes"]]
    gaps = [r["gap_pct"] for r in feasible]
    mean = statistics.fmean(gaps) if gaps else float("nan")
    worst = max(gaps) if gaps else float("nan")
    print(
        f"== {engine}: mean gap {mean:.2f}%  worst {worst:.2f}%  solved {len(solved)}/{total}"
        f"  feasible {len(feasible)}/{total}",
        flush=True,
    )


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="append", choices=["pyvrp", "ortools", "default"])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--instances", nargs="*", help="instance names (default: all 56)")
    parser.add_argument("--data", type=Path, default=BENCH_DIR, help="benchmarks/vrp folder")
    parser.add_argument("--out", type=Path, help="append JSON records to this file")
    args = parser.parse_args()
    bks = load_bks(args.data / "bks.csv")
    files = sorted((args.data / "solomon").glob("*.txt"))
    if args.instances:
        files = [f for f in files if f.stem in set(args.instances)]
    for engine in args.engine or ["pyvrp", "ortools"]:
        summarise(engine, run_engine(engine, files, bks, args.time_limit, args.out), len(files))


if __name__ == "__main__":
    main()
