"""A comparison folder: CSVs, a mapped run of replication 0 per policy, and the report."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

from sim.compare import Comparison, PolicySpec, compare, resolve_policies
from sim.compare.scenarios import Arm
from sim.execution.output_folder import staged_output
from sim.reports.compare_report import write_compare_report
from sim.reports.errors import ReportError
from sim.reports.maps import map_page
from sim.workflows.run import render_views, run

UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def replication_seed(comparison: Comparison, policy: str, replication: int = 0) -> int:
    """The seed a policy's replication ran on (the same for every policy).

    Raises
    ------
    ReportError
        If the comparison has no such policy or replication.
    """
    table = comparison.replications
    rows = table[(table["policy"] == policy) & (table["replication"] == replication)]
    if rows.empty:
        raise ReportError(f"policy {policy!r}: no replication {replication} in the comparison")
    return int(rows["seed"].iloc[0])


def run_with_map(
    scenario: str | Path, spec: PolicySpec | Arm, seed: int, folder: Path, days: int | None = None
) -> tuple[Path | None, str | None]:
    """Simulate one policy (or arm: its overrides) on one seed into the new run folder
    ``folder``, with its ``map.html``.

    Returns ``(map path, None)``, or ``(None, reason)`` when the run cannot be mapped.
    """
    run(scenario, seed=seed, days=days, policies=spec.as_dict(), out=folder)
    return map_page(folder)


def compare_report_with_maps(
    scenario: str | Path,
    policies: Sequence[PolicySpec | str],
    out: str | Path,
    *,
    reps: int,
    days: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    comparison: Comparison | None = None,
    sites: Sequence[str] | None = None,
    product: str = "RBC",
    overwrite: bool = False,
) -> Path:
    """Compare policies (replication 0 of each also writes its run folder and map), write
    the report.

    ``out`` receives the comparison CSVs, ``runs/<policy>/`` (a run folder and ``map.html`` per
    policy, on replication 0's seed) and ``report.html`` with the maps side by side, all at
    once: the folder appears complete or not at all (:mod:`sim.execution.output_folder`).

    Parameters
    ----------
    scenario : str or Path
        Scenario YAML file.
    policies : sequence of PolicySpec or str
        As :func:`sim.compare.compare`; the first is the baseline.
    out : str or Path
        Folder to write: new, empty, or an earlier comparison when ``overwrite`` is set.
    reps : int
        Replications per policy, >= 1.
    days : int, optional
        Horizon override, days.
    seed : int, optional
        Base seed overriding the scenario seed.
    workers : int, optional
        Local Dask worker processes for the comparison (serial when omitted).
    comparison : Comparison, optional
        An existing comparison of the same scenario, policies and days (not rerun).
    sites : sequence of str, optional
        Site ids whose stock the report charts (default the busiest stations).
    product : str
        Product of that stock chart.
    overwrite : bool
        Replace ``out`` if it holds an earlier bloodflow comparison.

    Returns
    -------
    Path
        ``out/report.html``.
    """
    specs = resolve_policies(policies)
    with staged_output(out, "compare", overwrite=overwrite) as folder:
        written: tuple[str, ...] = ()
        if comparison is None:  # replication 0 of each policy writes its run folder
            runs = arm_run_folders(folder, _arms(scenario, specs))
            comparison = compare(
                scenario, specs, reps=reps, seed=seed, days=days, workers=workers,
                first_runs=runs, render=render_views,
            )  # fmt: skip
            written = tuple(runs)
        write_comparison_folder(
            comparison, folder, scenario, specs, days=days, sites=sites, product=product,
            written=written,
        )  # fmt: skip
    return Path(out) / "report.html"


def write_comparison_folder(
    comparison: Comparison,
    folder: Path,
    scenario: str | Path,
    specs: Sequence[PolicySpec],
    *,
    days: int | None = None,
    sites: Sequence[str] | None = None,
    product: str = "RBC",
    written: Collection[str] = (),
) -> Path:
    """Write CSVs, a mapped run of replication 0 per policy and ``report.html`` into ``folder``.

    ``folder`` is an empty staging folder (see :func:`sim.execution.output_folder.staged_output`);
    ``written`` as in :func:`write_arms_folder`.
    """
    return write_arms_folder(
        comparison, folder, _arms(scenario, specs), days=days, sites=sites, product=product,
        title=scenario, written=written,
    )  # fmt: skip


def _arms(scenario: str | Path, specs: Sequence[PolicySpec]) -> list[Arm]:
    return [Arm(spec.label, str(scenario), spec.overrides) for spec in specs]


def write_arms_folder(
    comparison: Comparison,
    folder: Path,
    arms: Sequence[Arm],
    *,
    days: int | None = None,
    sites: Sequence[str] | None = None,
    product: str = "RBC",
    title: str | Path | None = None,
    written: Collection[str] = (),
) -> Path:
    """As :func:`write_comparison_folder` for arms that may each have their own scenario
    file (:func:`sim.compare.compare` of several files); ``title`` names the comparison.
    ``written``: labels of the arms whose run folder the comparison wrote already
    (:func:`arm_run_folders`); the others are rerun here."""
    comparison.write_tables(folder)
    runs = arm_run_folders(folder, arms)
    made = {
        arm.label: map_page(runs[arm.label]) if arm.label in written else run_with_map(
            arm.scenario, arm, replication_seed(comparison, arm.label), runs[arm.label], days
        )
        for arm in arms
    }  # fmt: skip
    return write_compare_report(
        comparison, folder, scenario=title, sites=sites, product=product,
        maps={policy: page for policy, (page, _) in made.items()},
        map_problems={policy: problem for policy, (_, problem) in made.items() if problem},
        runs=runs,
    )  # fmt: skip


def arm_run_folders(folder: Path, arms: Sequence[Arm]) -> dict[str, Path]:
    """The run folder of each arm's replication 0 in the comparison folder ``folder``:
    ``runs/<label>``. Give them to :func:`sim.compare.compare` as ``first_runs`` (with
    :func:`sim.workflows.run.render_views`) to have them written by the comparison's own
    replication 0 instead of a rerun after it."""
    return {arm.label: folder / "runs" / _slug(arm.label) for arm in arms}


def _slug(label: str) -> str:
    return UNSAFE.sub("_", label).strip("_") or "policy"
