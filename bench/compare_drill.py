"""Benchmark: a drill comparison, serial and on a local Dask cluster.

Times what ``bloodflow compare scenarios/zhejiang_mci_wenzhou.yaml --policy ground_only
--policy drone_first --policy multimodal --reps 10 --workers 2`` does (through
``sim.compare.compare``, the command's engine), once serially and once with ``--workers``
Dask worker processes, checks that both give the same replication table, and prints the
parallel efficiency: serial time / (workers x parallel time). The parallel time includes
starting and closing the local cluster, as the command's does.

    python bench/compare_drill.py                     # the drill above
    python bench/compare_drill.py --reps 2 --days 3   # a short check (warm-up is 2 days)

The checkout this file lives in comes first on ``sys.path`` (and on the workers').
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.compare import CompareError, compare  # noqa: E402

POLICIES = ("ground_only", "drone_first", "multimodal")


def timed(scenario: Path, policies: list[str], reps: int, days: int | None, workers: int | None):
    """``(seconds, Comparison)`` of one comparison; ``workers=None`` runs serially."""
    start = time.perf_counter()
    result = compare(scenario, policies, reps=reps, days=days, workers=workers)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario", type=Path, default=ROOT / "scenarios" / "zhejiang_mci_wenzhou.yaml"
    )
    parser.add_argument("--policy", action="append", help="repeatable; default: the drill's 3")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--days", type=int, default=None, help="horizon override (short runs)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-serial", action="store_true", help="only the Dask run")
    args = parser.parse_args()
    policies = args.policy or list(POLICIES)
    runs = len(policies) * args.reps
    print(f"{args.scenario.name}: {', '.join(policies)}; {args.reps} reps; {runs} simulations")
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f} at the start", flush=True)

    try:
        parallel, dask = timed(args.scenario, policies, args.reps, args.days, args.workers)
    except CompareError as exc:
        sys.exit(f"compare_drill: {exc}")
    print(f"{args.workers} workers: {parallel:7.1f} s ({parallel / runs:.1f} s per simulation)")
    if args.skip_serial:
        return
    serial, alone = timed(args.scenario, policies, args.reps, args.days, None)
    print(f"serial   : {serial:7.1f} s ({serial / runs:.1f} s per simulation)")
    same = alone.replications.equals(dask.replications)
    print(f"speed-up : {serial / parallel:.2f}x")
    print(f"parallel efficiency: {serial / (args.workers * parallel):.2f} (target >= 0.8)")
    print(f"same replication table serial and distributed: {same}")
    print(f"load {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
