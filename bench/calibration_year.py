"""Benchmark: calibrate a scenario's year against its published figures, over several seeds.

Runs the scenario (default: the Zhejiang baseline year) once per seed into run folders, reads
each with ``sim.calibration.calibrate`` and prints one table: every calibrated figure with
its reference range, the measured value per seed and how many seeds fall within the range.
Runs go in parallel processes (one per core by default). Record the table in
docs/calibration.md with the date, machine and commit.

    python bench/calibration_year.py                          # 3 seeds, 365 days
    python bench/calibration_year.py --seeds 1 2 3 --days 120 --start 2025-04-01
    python bench/calibration_year.py --keep /tmp/cal-runs     # keep the run folders
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def _one_run(scenario: str, seed: int, days: int | None, start: str | None, out: Path) -> float:
    """Simulate one seed into ``out`` (no map or report); returns the wall time, s."""
    from sim.execution.runner import run
    from sim.scenario import load_scenario

    loaded = load_scenario(scenario)
    if start is not None:  # the same scenario from another start date, validated again
        raw = {**loaded.scenario.model_dump(), "start": dt.date.fromisoformat(start)}
        loaded = replace(loaded, scenario=type(loaded.scenario).model_validate(raw))
    began = time.perf_counter()
    run(loaded, seed=seed, days=days, out=out)
    return time.perf_counter() - began


def _table(folders: dict[int, Path]) -> pd.DataFrame:
    from sim.calibration import calibrate

    rows = None
    for seed, folder in folders.items():
        table = calibrate(folder).set_index("id")
        if rows is None:
            rows = table[["description", "low", "high", "unit"]].copy()
        rows[f"seed {seed}"] = table["measured"]
        rows[f"verdict {seed}"] = table["verdict"]
    verdicts = rows[[c for c in rows.columns if c.startswith("verdict")]]
    rows["within"] = (verdicts == "within").sum(axis=1).astype(str) + f"/{len(folders)}"
    return rows.drop(columns=verdicts.columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "zhejiang_baseline.yaml"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--days", type=int, default=None, help="horizon, days (default: scenario)")
    parser.add_argument("--start", default=None, help="start date YYYY-MM-DD (default: scenario)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the runs in")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="bloodflow-calibration-"))
    base.mkdir(parents=True, exist_ok=True)
    folders = {seed: base / f"seed{seed}" for seed in args.seeds}
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=min(args.workers, len(folders))) as pool:
        walls = dict(zip(folders, pool.map(
            _one_run,
            [args.scenario] * len(folders),
            folders,
            [args.days] * len(folders),
            [args.start] * len(folders),
            folders.values(),
        ), strict=True))  # fmt: skip
    table = _table(folders)
    _print_header(args, walls, time.perf_counter() - began)
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.to_string(float_format=lambda v: f"{v:.4g}"))
    print(f"run folders: {base}")


def _print_header(args: argparse.Namespace, walls: dict[int, float], total: float) -> None:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    print(f"date     : {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}")
    print(f"machine  : {platform.machine()} {os.cpu_count()} cores, python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"scenario : {args.scenario}, days {args.days or 'scenario'}, "
          f"start {args.start or 'scenario'}")  # fmt: skip
    runs = ", ".join(f"seed {s}: {w:.0f} s" for s, w in walls.items())
    print(f"runs     : {runs}; total {total:.0f} s")


if __name__ == "__main__":
    main()
