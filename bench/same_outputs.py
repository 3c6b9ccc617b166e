"""Prove a refactor changes no output: record the shipped scenarios once, compare later.

Runs every ``scenarios/*.yaml`` for 30 days (or its full horizon where shorter) with two
seeds (the scenario seed and seed + 1) through ``sim.execution.runner.run`` and writes each run's
tables and ``kpis.json`` with the run-folder writer (no map, no report):

    python bench/same_outputs.py record [--dir /work/baseline_runs]
    python bench/same_outputs.py compare [--dir /work/baseline_runs]

``compare`` re-runs everything into a temporary folder and compares the ledger, orders,
legs, stockouts and stock Parquet files and ``kpis.json`` byte for byte, printing one
verdict per file; it exits 1 when any file differs or is missing. Run it from the checkout
whose code you want to test (the current directory comes first on ``sys.path``).

One difference is tolerated and reported: ``kpis.json``'s ``simulation.simpy_events``, the
number of SimPy events, which speed work lowers by leaving out events that do nothing (the
end of a process nobody waits for). Every other byte of ``kpis.json`` must be the same; the
verdict then reads ``identical except simulation.simpy_events: A -> B``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from sim.execution.output import TABLES, write_run  # noqa: E402
from sim.execution.runner import run  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

MAX_DAYS = 30
# qc and border tables too (border.parquet is written by runs with regions only)
FILES = (*(f"{name}.parquet" for name in TABLES), "qc.parquet", "border.parquet", "kpis.json")
SAME = ("identical", "absent")
EVENTS = re.compile(rb'"simpy_events": (\d+)')
"""The one tolerated difference: the SimPy event count in ``kpis.json``."""


def runs() -> list[tuple[str, Path, int, int]]:
    """``(folder name, scenario path, seed, days)`` of every recorded run."""
    out = []
    for path in sorted(Path("scenarios").glob("*.yaml")):
        scenario = load_scenario(path).scenario
        days = min(MAX_DAYS, scenario.days)
        for seed in (scenario.seed, scenario.seed + 1):
            out.append((f"{path.stem}-seed{seed}", path, seed, days))
    return out


def record(folder: Path) -> None:
    """Run every scenario and seed into ``folder/<scenario>-seed<S>``."""
    for name, path, seed, days in runs():
        start = time.perf_counter()
        result = run(path, seed=seed, days=days)
        write_run(folder / name, result)
        print(f"{name}: {days} days in {time.perf_counter() - start:.0f} s", flush=True)


def compare(baseline: Path) -> bool:
    """Re-run into a temporary folder and compare each file with ``baseline``; True if same."""
    same = True
    with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
        record(Path(tmp))
        for name, *_ in runs():
            for file in FILES:
                verdict = _verdict(baseline / name / file, Path(tmp) / name / file)
                same &= verdict in SAME or verdict.startswith(SAME[0])
                print(f"{verdict:>10}  {name}/{file}", flush=True)
    print("ALL IDENTICAL" if same else "DIFFERENCES FOUND", flush=True)
    return same


def _verdict(old: Path, new: Path) -> str:
    if not old.exists() and not new.exists():
        return "absent"
    if not old.exists():
        return "no-baseline"
    if not new.exists():
        return "missing"
    before, after = old.read_bytes(), new.read_bytes()
    if before == after:
        return "identical"
    return _events_only(before, after) or "DIFFERS"


def _events_only(before: bytes, after: bytes) -> str | None:
    """The verdict when two files differ only in the SimPy event count, else None."""
    counts = [EVENTS.findall(text) for text in (before, after)]
    if any(len(found) != 1 for found in counts):
        return None
    if EVENTS.sub(b"", before) != EVENTS.sub(b"", after):
        return None
    a, b = (int(found[0]) for found in counts)
    return f"identical except simulation.simpy_events: {a} -> {b}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("record", "compare"))
    parser.add_argument("--dir", type=Path, default=Path("/work/baseline_runs"))
    args = parser.parse_args()
    if args.command == "record":
        record(args.dir)
    elif not compare(args.dir):
        sys.exit(1)


if __name__ == "__main__":
    main()
