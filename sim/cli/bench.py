"""``bloodflow bench``: benchmark commands (mounted by the main CLI as ``bench``)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from optimizer.errors import InvalidProblem, UnsupportedProblem
from optimizer.routing.portfolio import MAX_WORKERS
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.solomon import bench_problem, read_solomon
from optimizer.routing.solve import ENGINE_NAMES

bench_app = typer.Typer(
    help="Benchmarks of the optimizer on published instances.", no_args_is_help=True
)

_ENGINE_NAMES = list(ENGINE_NAMES)
MAX_TIME_LIMIT_S = 3600.0
"""Longest time limit per instance (seconds)."""
MAX_SEED = 2**31 - 1


def _max_workers() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _check_inputs(
    files: list[Path], engine: str, time_limit: float, seed: int, workers: int
) -> None:
    if engine not in _ENGINE_NAMES:
        _fail(f"--engine: expected one of {', '.join(_ENGINE_NAMES)}, got {engine!r}")
    if not 0 < time_limit <= MAX_TIME_LIMIT_S:
        _fail(f"--time-limit: expected seconds in (0, {MAX_TIME_LIMIT_S:g}], got {time_limit}")
    if not 0 <= seed <= MAX_SEED:
        _fail(f"--seed: expected an integer in [0, {MAX_SEED}], got {seed}")
    if not 1 <= workers <= _max_workers():
        _fail(f"--workers: expected 1 to {_max_workers()} processes (cores), got {workers}")
    for path in files:
        try:
            found = path.is_file()
        except OSError as exc:  # e.g. a name longer than the file system allows
            _fail(f"{path}: cannot be read ({exc.strerror or exc})")
        if not found:
            _fail(f"{path}: no such file")


def _read_all(files: list[Path]) -> list[RoutingProblem]:
    """Every file parsed before any is solved, so a bad file fails at once."""
    problems = []
    for path in files:
        try:
            problems.append(read_solomon(path))
        except (InvalidProblem, OSError) as exc:
            _fail(str(exc))
    return problems


def _solve_all(
    problems: list[RoutingProblem], engine: str, time_limit: float, seed: int, workers: int
) -> Iterator[dict]:
    for problem in problems:
        try:
            record = bench_problem(
                problem, engine=engine, time_limit_s=time_limit, seed=seed, workers=workers
            )
        except UnsupportedProblem as exc:
            _fail(str(exc))
        yield record


def _table(records: list[dict]) -> Table:
    table = Table(title="Solomon VRPTW (DIMACS: distances truncated to 0.1)")
    for col in ("instance", "engine", "cost", "vehicles", "feasible", "time (s)"):
        table.add_column(col, justify="left" if col in ("instance", "engine") else "right")
    for r in records:
        table.add_row(
            escape(r["instance"]),
            r["engine"],
            f"{r['cost']:.1f}",
            str(r["vehicles"]),
            "yes" if r["feasible"] else "NO",
            f"{r['time_s']:.1f}",
        )
    return table


@bench_app.command("vrptw")
def vrptw(
    files: Annotated[list[Path], typer.Argument(help="Solomon-format instance files.")],
    time_limit: Annotated[float, typer.Option(help="Seconds per instance.")] = 10.0,
    engine: Annotated[
        str, typer.Option(help="default, pyvrp, ortools or pyvrp+ortools.")
    ] = "default",
    seed: Annotated[int, typer.Option(help="Engine seed.")] = 0,
    workers: Annotated[
        int, typer.Option(help="Searches run at once per instance (processes, one per core).")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per file.")] = False,
) -> None:
    """Solve Solomon VRPTW files and report total distance, vehicles and feasibility."""
    _check_inputs(files, engine, time_limit, seed, workers)
    records = []
    for record in _solve_all(_read_all(files), engine, time_limit, seed, workers):
        if as_json:
            typer.echo(json.dumps(record))
        records.append(record)
    if not as_json:
        Console().print(_table(records))
