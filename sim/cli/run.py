"""``bloodflow run [SCENARIO]`` and ``bloodflow demo``: simulate and write a run folder."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim.cli.console import err, fail, out
from sim.core.errors import RunError
from sim.execution.output_folder import OutputFolderError, check_target, default_target
from sim.execution.runner import DayCallback, check_options
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.embedded import DEFAULT_SCENARIO, default_scenario
from sim.workflows.plain_beside import PlainRunBeside, room_for_beside
from sim.workflows.policy_value import PolicyValue, plain_differs, policy_value
from sim.workflows.run import run_to_folder


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
        _run(path, days=None, seed=None, out=None, policy=None, overwrite=True, value=True)


def _run(path: Path, *, days, seed, out, policy, overwrite: bool, value: bool = False) -> None:
    """Simulate ``path`` into a run folder; with ``value``, also say what its policies bought."""
    try:
        overrides = _policy_overrides(policy or [])
        loaded = load_scenario(path)
        target = out or _default_out(loaded, seed)
        check_options(loaded, seed=seed, days=days, policies=overrides)  # before the bar
        check_target(target, "run", overwrite=overwrite)  # before the progress bar appears
        valued = value and plain_differs(loaded)
        with _plain_beside(loaded, seed, days, valued and room_for_beside()) as plain:
            result = _run_with_progress(loaded, seed, days, overrides, target, overwrite, plain)
            _print_summary(result)
            if valued:
                _print_policy_value(loaded, result, plain, seed=seed, days=days)
    except ScenarioError as exc:
        fail([p.line(str(path)) for p in exc.problems])
    except (RunError, OutputFolderError) as exc:
        fail([f"{path}: {exc}"])


@contextmanager
def _plain_beside(loaded, seed, days, wanted: bool) -> Iterator[PlainRunBeside | None]:
    """The plain counterfactual in a second process, when wanted."""
    if not wanted:
        yield None
        return
    with PlainRunBeside(loaded, seed=seed, days=days) as plain:
        yield plain


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


def _run_with_progress(loaded, seed, days, overrides, target, overwrite, plain):
    with _progress(loaded, days, "simulating", plain) as on_day:
        return run_to_folder(
            loaded, seed=seed, days=days, policies=overrides, out=target, on_day=on_day,
            overwrite=overwrite,
        )  # fmt: skip


@contextmanager
def _progress(
    loaded, days: int | None, label: str, plain: PlainRunBeside | None = None
) -> Iterator[DayCallback]:
    """A progress bar over simulated days; yields the runner's ``on_day`` callback.

    With ``plain``, a second bar follows the plain counterfactual running beside.
    """
    with _bars() as progress:
        task = progress.add_task(label, total=days or loaded.scenario.days)
        beside = None if plain is None else progress.add_task(_PLAIN, total=plain.progress()[1])

        def on_day(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)
            if beside is not None:
                _follow(progress, beside, plain)

        yield on_day


_PLAIN = "plain run, side by side"


def _bars() -> Progress:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("day {task.completed:.0f}/{task.total:.0f}"),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err, transient=False)


def _follow(progress: Progress, task, plain: PlainRunBeside) -> None:
    done, total = plain.progress()
    progress.update(task, completed=done, total=total)


def _print_policy_value(loaded, result, plain: PlainRunBeside | None, *, seed, days) -> None:
    """Print what the policies bought against the plain counterfactual (same seed): the one
    running beside, or (``None``: no room for two) one run here now."""
    policies = loaded.scenario.policies
    out.print(
        f"What the scenario's policies (dispatch {policies.dispatch}, routing "
        f"{policies.routing}, rebalancing {policies.rebalancing}) bought against plain "
        "ones (vans only, direct trips, no rebalancing), same seed:",
        markup=False, highlight=False, soft_wrap=True,
    )  # fmt: skip
    if plain is None:
        values = _plain_after(loaded, result, seed=seed, days=days)
    else:
        values = _plain_ended(result, plain)
    table = Table(title="What the policies bought (same random future)")
    for name, justify in (("KPI", "left"), ("with policies", "right"), ("plain", "right"),
                          ("difference", "right")):  # fmt: skip
        table.add_column(name, justify=justify)
    for value in values:
        figures = (value.with_policies, value.plain, value.difference)
        table.add_row(value.kpi, *map(_number, figures))
    out.print(table)


def _plain_after(loaded, result, *, seed, days) -> list[PolicyValue]:
    """The plain counterfactual run now, in this process (same seed and horizon)."""
    with _progress(loaded, days, "plain run") as on_day:
        return policy_value(loaded, result.kpis, seed=seed, days=days, on_day=on_day)


def _plain_ended(result, plain: PlainRunBeside) -> list[PolicyValue]:
    """Wait for the plain run beside to end, with its progress bar, and pair its KPIs."""
    if not plain.wait(0):
        with _bars() as progress:
            task = progress.add_task(_PLAIN, total=plain.progress()[1])
            while not plain.wait():
                _follow(progress, task, plain)
            _follow(progress, task, plain)
    return plain.values(result.kpis)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _number(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"


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
        ("red-cell fill rate on time", _share(k["fill_rate"])),
        ("stockout events", f"{k['stockout_events']:,}"),
        ("emergency lead time p50 / p90, min", f"{lead['p50']} / {lead['p90']}"),
        ("van legs", f"{k['legs_by_mode'].get('van', {}).get('legs', 0):,}"),
        ("donor wait mean, min", f"{k['donor_wait_min']['mean']}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
    out.print(f"Results written to {result.path}", markup=False, highlight=False, soft_wrap=True)
    written = ", ".join(sorted(p.name for p in Path(result.path).iterdir()))
    out.print(
        f"  {written}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
