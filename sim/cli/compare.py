"""``bloodflow compare``: policies, or scenario files, on common random numbers, serially or
on Dask."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich import progress as rp
from rich.table import Table

from sim.cli.console import err as err_console
from sim.cli.console import fail
from sim.cli.console import out as console
from sim.compare import CompareError, compare
from sim.compare.api import check_arguments, check_horizon, comparison_arms
from sim.compare.scenarios import crn_note
from sim.core.errors import RunError
from sim.execution.kpis import KEY_KPIS
from sim.execution.output_folder import OutputFolderError, default_target, staged_output
from sim.reports.errors import ReportError
from sim.scenario import ScenarioError
from sim.workflows.comparison import arm_run_folders, write_arms_folder
from sim.workflows.run import render_views


def compare_command(
    scenario: Annotated[
        list[Path],
        typer.Argument(help="scenario YAML file; two or more files are compared with each other"),
    ],
    policy: Annotated[
        list[str] | None,
        typer.Option(
            "--policy",
            help="a dispatch policy NAME or ROLE=NAME,ROLE=NAME (repeatable; first = baseline); "
            "with several files, at most one, applied to every file",
        ),
    ] = None,
    reps: Annotated[int, typer.Option(help="replications per policy")] = 10,
    workers: Annotated[
        int | None, typer.Option(help="run on a local Dask cluster of N worker processes")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="run on an existing Dask scheduler (tcp://host:port)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="folder for the CSVs (default runs/<name>-compare)")
    ] = None,
    days: Annotated[int | None, typer.Option(help="override the horizon, days")] = None,
    seed: Annotated[int | None, typer.Option(help="override the scenario seed")] = None,
    overwrite: Annotated[
        bool, typer.Option(help="replace OUT if it is an earlier bloodflow comparison")
    ] = False,
) -> None:
    """Compare policies, or scenario files, on the same random futures; write replications,
    summary, paired CSVs.

    One file: each --policy is an arm. Two or more files (e.g. the same scenario with one
    hospital's supplied_via line removed): each file is an arm, run on the first file's
    replication seeds. The folder (CSVs, a mapped run per arm, report.html) appears complete
    or not at all. It must be new or empty; --overwrite replaces an earlier comparison, and
    only that.
    """
    options = _Options(reps, workers, scheduler, out, days, seed, overwrite)
    current = scenario[0]
    try:
        comparison, target, note = _compare_and_write(scenario, policy or [], options)
        if note:
            err_console.print(note, markup=False, highlight=False, soft_wrap=True)
    except ScenarioError as exc:
        fail([p.line(str(exc.file)) for p in exc.problems])
    except (CompareError, RunError, OutputFolderError, ReportError) as exc:
        fail([f"{current}: {exc}"])
    _print_summary(comparison)
    console.print(f"CSVs written to {target}", markup=False, highlight=False, soft_wrap=True)
    console.print(
        "  replications.csv, summary.csv, paired.csv, report.html", markup=False, highlight=False
    )


@dataclass(frozen=True)
class _Options:
    reps: int
    workers: int | None
    scheduler: str | None
    out_dir: Path | None
    days: int | None
    seed: int | None
    overwrite: bool


def _compare_and_write(files: list[Path], policies: list[str], options: _Options):
    """Compare policies on one file, or the files; returns (comparison, folder, CRN note)."""
    if len(files) == 1 and not policies:
        raise CompareError("--policy: missing (a policy NAME, or a second scenario file)")
    check_arguments(options.reps, options.seed, options.days, options.workers, options.scheduler)
    source = files[0] if len(files) == 1 else files
    arms, loaded = comparison_arms(source, policies)
    for one in loaded:  # before the progress bar appears
        check_horizon(one, options.days)
    name = "-vs-".join(f.stem for f in files[:2]) + "-compare"
    target = options.out_dir or default_target(loaded[0].scenario.outputs.dir, name)
    title = files[0] if len(files) == 1 else " vs ".join(arm.label for arm in arms)
    # The folder is locked and checked before the first simulation; the CSVs, the run folder
    # of replication 0 of each arm and report.html are staged and moved in together. Those
    # replications write their run folders as they run: on this machine (serially or on a
    # local cluster); a remote cluster's workers may not see it, so they are rerun here.
    with staged_output(target, "compare", overwrite=options.overwrite) as staging:
        runs = arm_run_folders(staging, arms) if options.scheduler is None else {}
        with _progress_bar(len(arms) * options.reps) as progress:
            comparison = compare(
                loaded[0] if len(files) == 1 else files, policies, reps=options.reps,
                seed=options.seed, days=options.days, workers=options.workers,
                scheduler=options.scheduler, progress=progress, first_runs=runs,
                render=render_views,
            )  # fmt: skip
        write_arms_folder(
            comparison, staging, arms, days=options.days, title=title, written=tuple(runs)
        )
    return comparison, target, crn_note(loaded)


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int, int], None]]:
    columns = (
        rp.TextColumn("simulations"),
        rp.BarColumn(),
        rp.MofNCompleteColumn(),
        rp.TimeElapsedColumn(),
    )
    with rp.Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task("compare", total=total)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _print_summary(comparison) -> None:
    summary = comparison.summary.set_index(["policy", "kpi"])
    paired = comparison.paired.set_index(["policy", "kpi"])
    baseline = comparison.policies[0]
    table = Table(title=f"Key KPIs over {comparison.reps} replications per policy (95 % CI)")
    for name in ("KPI", "policy", "mean", "95 % CI", f"− {baseline}", "95 % CI"):
        text = name in ("KPI", "policy")
        table.add_column(
            name, justify="left" if text else "right", overflow="fold" if text else "ellipsis"
        )
    for kpi in [k for k in KEY_KPIS if (baseline, k) in summary.index]:
        for i, label in enumerate(comparison.policies):
            cells = [
                *_cells(summary, (label, kpi), "mean"),
                *_cells(paired, (label, kpi), "mean_diff"),
            ]
            last = i == len(comparison.policies) - 1
            table.add_row(kpi if i == 0 else "", label, *cells, end_section=last)
    console.print(table)


def _cells(frame: pd.DataFrame, key: tuple[str, str], column: str) -> tuple[str, str]:
    if key not in frame.index or math.isnan(frame.loc[key, column]):
        return ("-", "")
    row = frame.loc[key]
    if math.isnan(row["ci_low"]):
        return (_number(row[column]), "")
    return (_number(row[column]), f"{_number(row['ci_low'])} … {_number(row['ci_high'])}")


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"
