"""``bloodflow bench``: benchmark commands (mounted by the main CLI as ``bench``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from optimizer.errors import InvalidProblem, UnsupportedProblem
from optimizer.routing.solomon import bench_instance
from optimizer.routing.solve import ENGINES

bench_app = typer.Typer(
    help="Benchmarks of the optimizer on published instances.", no_args_is_help=True
)

_ENGINE_NAMES = ["default", *ENGINES]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _check_inputs(files: list[Path], engine: str, time_limit: float) -> None:
    if engine not in _ENGINE_NAMES:
        _fail(f"--engine: expected one of {', '.join(_ENGINE_NAMES)}, got {engine!r}")
    if not time_limit > 0:
        _fail(f"--time-limit: expected seconds > 0, got {time_limit}")
    for path in files:
        if not path.is_file():
            _fail(f"{path}: no such file")


def _solve_all(files: list[Path], engine: str, time_limit: float, seed: int) -> Iterator[dict]:
    for path in files:
        try:
            record = bench_instance(path, engine=engine, time_limit_s=time_limit, seed=seed)
        except (InvalidProblem, UnsupportedProblem, OSError) as exc:
            _fail(str(exc))
        yield record


def _table(records: list[dict]) -> Table:
    table = Table(title="Solomon VRPTW (DIMACS: distances truncated to 0.1)")
    for col in ("instance", "engine", "cost", "vehicles", "feasible", "time (s)"):
        table.add_column(col, justify="left" if col in ("instance", "engine") else "right")
    for r in records:
        table.add_row(
            r["instance"],
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
    engine: Annotated[str, typer.Option(help="default, ortools or pyvrp.")] = "default",
    seed: Annotated[int, typer.Option(help="Engine seed.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per file.")] = False,
) -> None:
    """Solve Solomon VRPTW files and report total distance, vehicles and feasibility."""
    _check_inputs(files, engine, time_limit)
    records = []
    for record in _solve_all(files, engine, time_limit, seed):
        if as_json:
            typer.echo(json.dumps(record))
        records.append(record)
    if not as_json:
        Console().print(_table(records))
