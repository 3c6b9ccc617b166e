"""The ``bloodflow`` command line: validate, schema, region, run, demo, bench."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sim.scenario import Scenario, ScenarioError, load_scenario

app = typer.Typer(
    help="bloodflow: simulate and optimise emergency blood delivery.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DEFAULT_SCENARIO = Path("scenarios/zhejiang_baseline.yaml")


def fail(lines: list[str], code: int = 2) -> None:
    """Print user-facing error lines to stderr and exit with ``code``."""
    for line in lines:
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="scenario YAML files")]) -> None:
    """Check scenario files; print "ok" per good file, one line per problem otherwise."""
    failed: list[str] = []
    for file in files:
        try:
            load_scenario(file)
        except ScenarioError as exc:
            failed.extend(p.line(str(file)) for p in exc.problems)
            continue
        out.print(f"{file}: ok", markup=False, highlight=False)
    if failed:
        fail(failed)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    out.print_json(json.dumps(Scenario.model_json_schema()))


@app.command()
def region(name: Annotated[str, typer.Argument(help="embedded region or path")]) -> None:
    """Summarise a region: sites by kind and by city."""
    from geodata import GeodataError, load_region

    try:
        loaded = load_region(name)
    except GeodataError as exc:
        fail([str(exc)])
    out.print(_region_table(loaded))


def _region_table(loaded: object) -> Table:
    sites = loaded.sites
    counts = sites.groupby(["city", "kind"]).size().unstack(fill_value=0)
    table = Table(title=f"Region {loaded.name}: {len(sites)} sites")
    table.add_column("city")
    for kind in counts.columns:
        table.add_column(kind, justify="right")
    for city, row in counts.iterrows():
        table.add_row(str(city), *(str(int(v)) for v in row))
    table.add_row("[b]total[/b]", *(f"[b]{int(v)}[/b]" for v in counts.sum()))
    return table


def _mount_optional() -> None:
    try:
        from sim.cli_bench import bench_app
    except ImportError:  # the router benchmark is an optional part of the CLI
        return
    app.add_typer(bench_app, name="bench")


_mount_optional()
