"""``bloodflow run [SCENARIO]`` and ``bloodflow demo``: simulate and write a run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim.cli.console import err, fail, out
from sim.core.errors import RunError
from sim.run.output_folder import OutputFolderError, check_target, default_target
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.embedded import DEFAULT_SCENARIO, default_scenario
from sim.workflows import run


def run_command(
    scenario: Annotated[
        Path | None,
        typer.Argument(help=f"scenario YAML file (default the embedded {DEFAULT_SCENARIO})"),
    ] = None,
    days: Annotated[int | None, typer.Option(help="override the horizon, days")] = None,
    seed: Annotated[int | None, typer.Option(help="override the scenario seed")] = None,
    out: Annotated[
        Path | None, typer.Option(help="run folder (default runs/<name>-seed<S>)")
    ] = None,
    policy: Annotated[
        list[str] | None, typer.Option(help="override a policy: ROLE=NAME (repeatable)")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="replace OUT if it is an earlier bloodflow run folder")
    ] = False,
) -> None:
    """Simulate a scenario and write ledger, orders, legs, stockouts and KPIs to a run folder.

    The folder must be new or empty; --overwrite replaces an earlier run folder, and only that.
    """
    with default_scenario(scenario) as path:
        _run(path, days=days, seed=seed, out=out, policy=policy, overwrite=overwrite)


def demo_command() -> None:
    """Run the embedded default scenario (Zhejiang baseline year) and say where results are.

    Results go to runs/<name>-seed<S> in the current folder; an earlier demo run there is
    replaced.
    """
    with default_scenario(None) as path:
        _run(path, days=None, seed=None, out=None, policy=None, overwrite=True)


def _run(path: Path, *, days, seed, out, policy, overwrite: bool) -> None:
    try:
        overrides = _policy_overrides(policy or [])
        loaded = load_scenario(path)
        target = out or _default_out(loaded, seed)
        check_target(target, "run", overwrite=overwrite)  # before the progress bar appears
        result = _run_with_progress(loaded, seed, days, overrides, target, overwrite)
    except ScenarioError as exc:
        fail([p.line(str(path)) for p in exc.problems])
    except (RunError, OutputFolderError) as exc:
        fail([f"{path}: {exc}"])
    _print_summary(result)


def _policy_overrides(items: list[str]) -> dict[str, str]:
    overrides = {}
    for item in items:
        role, sep, name = item.partition("=")
        if not sep or not role or not name:
            raise RunError(f"--policy {item!r} is not ROLE=NAME (e.g. dispatch=ground_only)")
        overrides[role] = name
    return overrides


def _default_out(loaded: object, seed: int | None) -> Path:
    scenario = loaded.scenario
    name = f"{loaded.path.stem}-seed{scenario.seed if seed is None else seed}"
    return default_target(scenario.outputs.dir, name)


def _run_with_progress(loaded, seed, days, overrides, target, overwrite):
    columns = (
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("day {task.completed:.0f}/{task.total:.0f}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("days", total=days or loaded.scenario.days)

        def on_day(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return run(
            loaded, seed=seed, days=days, policies=overrides, out=target, on_day=on_day,
            overwrite=overwrite,
        )  # fmt: skip


def _print_summary(result) -> None:
    k = result.kpis
    table = Table(title="Key figures (all in kpis.json)")
    table.add_column("KPI")
    table.add_column("value", justify="right")
    lead = k["emergency_lead_time_min"]
    rows = [
        ("units collected", f"{k['units_collected']['total']:,.0f}"),
        ("units transfused", f"{k['units_transfused']['total']:,.0f}"),
        ("units expired", f"{k['units_expired']['total']:,.0f}"),
        ("units discarded", f"{k['units_discarded']['total']:,.0f}"),
        ("fill rate", f"{k['fill_rate']:.3f}" if k["fill_rate"] is not None else "-"),
        ("stockout events", f"{k['stockout_events']:,}"),
        ("emergency lead time p50 / p90, min", f"{lead['p50']} / {lead['p90']}"),
        ("van legs", f"{k['legs_by_mode'].get('van', {}).get('legs', 0):,}"),
        ("donor wait mean, min", f"{k['donor_wait_min']['mean']}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
    out.print(f"Results written to {result.path}", markup=False, highlight=False, soft_wrap=True)
    out.print(
        "  ledger, orders, legs, stockouts, stock (.parquet), kpis.json, map.html, report.html",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
