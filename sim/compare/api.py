"""``compare``: run policies on the same replications (common random numbers) and tabulate."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from sim.compare.errors import CompareError
from sim.compare.execute import ProgressCallback, execute
from sim.compare.policies import PolicySpec, resolve_policies
from sim.compare.result import Comparison
from sim.compare.scenarios import Arm, scenario_arms
from sim.compare.seeds import replication_seeds
from sim.compare.tables import paired_frame, replications_frame, summary_frame
from sim.compare.tasks import Task, load_cached
from sim.execution.runner import RenderViews
from sim.scenario import LoadedScenario


def compare(
    scenario: str | Path | LoadedScenario | Sequence[str | Path],
    policies: Sequence[PolicySpec | str],
    *,
    reps: int,
    seed: int | None = None,
    days: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: ProgressCallback | None = None,
    first_runs: Mapping[str, str | Path] | None = None,
    render: RenderViews | None = None,
    _processes: bool = True,
) -> Comparison:
    """Simulate every policy on the same ``reps`` replications and compare their KPIs.

    Replication i runs every policy with the same seed (derived from the scenario seed, or
    ``seed``, and i), so all policies face the same demand, donors, weather and incidents and
    their differences are paired. Serial and distributed runs give identical tables.

    Given a list of scenario files instead, every FILE is an arm (labelled by file name, the
    first the baseline), all on the first file's replication seeds, with at most one policy
    applied to every file (:mod:`sim.compare.scenarios`: "what if hospital X had its own
    transfusion service?").

    Parameters
    ----------
    scenario : path, LoadedScenario or list of paths
        Scenario YAML file (or two or more). Tasks load it from its path (also on Dask
        workers, which must see the same file and have the same policies registered).
    policies : sequence of PolicySpec or str
        ``"ground_only"`` (a dispatch policy) or ``"dispatch=multimodal,rebalancing=optimized"``;
        the first is the baseline of the paired differences (none or one with several files).
    reps : int
        Replications per policy, >= 1.
    seed : int, optional
        Base seed overriding the scenario seed, >= 0.
    days : int, optional
        Horizon override, days.
    workers : int, optional
        Run on a local Dask cluster of this many single-threaded worker processes.
    scheduler : str, optional
        Run on an existing Dask cluster, e.g. ``"tcp://host:8786"``.
    progress : callable, optional
        Called as ``progress(done, total)`` as simulations finish.
    first_runs : mapping of str to path, optional
        Run folders to write, by arm label: replication 0 of each of these arms also writes
        its run folder there (new folders), with the views ``render`` draws, where it runs.
        Serial runs and local clusters share this machine's files; a remote cluster's
        workers must see the same paths. The tables are the same as without it.
    render : callable, optional
        Views of those run folders (e.g. :func:`sim.workflows.run.render_views`).

    Raises
    ------
    PolicySpecError
        A malformed policy or an unknown role or policy name.
    CompareError
        Bad ``reps``, ``seed``, ``days`` or ``workers``, both ``workers`` and ``scheduler``, or
        an unreachable scheduler.
    ScenarioError, RunError
        As :func:`sim.execution.runner.run`.
    """
    check_arguments(reps, seed, days, workers, scheduler)
    arms, loaded = comparison_arms(scenario, policies)
    for one in loaded:
        check_horizon(one, days)
    seeds = replication_seeds(loaded[0].scenario.seed if seed is None else seed, reps)
    tasks = [
        Task(arm.label, i, arm.scenario, arm.overrides, seeds[i], days)
        for arm in arms
        for i in range(reps)
    ]
    if first_runs:
        tasks = with_run_folders(tasks, _checked_folders(first_runs, arms), render)
    pool = None if workers is None else min(workers, len(tasks))  # no idle worker processes
    rows = execute(
        tasks, workers=pool, scheduler=scheduler, progress=progress, processes=_processes
    )
    return tabulate(rows, [arm.label for arm in arms], reps)


def with_run_folders(
    tasks: list[Task], folders: Mapping[str, Path], render: RenderViews | None
) -> list[Task]:
    """``tasks`` with replication 0 of the arms in ``folders`` writing its run folder there;
    those go first, as the longest tasks (a run folder and its views take more than the
    simulation alone), so that no worker is left with one of them at the end."""
    heavy, rest = [], []
    for task in tasks:
        folder = folders.get(task.policy) if task.replication == 0 else None
        if folder is None:
            rest.append(task)
        else:
            heavy.append(dataclasses.replace(task, out=str(folder), render=render))
    return heavy + rest


def _checked_folders(first_runs: Mapping[str, str | Path], arms: list[Arm]) -> dict[str, Path]:
    labels = {arm.label for arm in arms}
    unknown = sorted(set(first_runs) - labels)
    if unknown:
        raise CompareError(f"first_runs: {unknown} are not arms of the comparison {sorted(labels)}")
    return {label: Path(folder).resolve() for label, folder in first_runs.items()}


def comparison_arms(
    scenario: str | Path | LoadedScenario | Sequence[str | Path],
    policies: Sequence[PolicySpec | str],
) -> tuple[list[Arm], list[LoadedScenario]]:
    """The arms of a comparison (one per policy, or per file) and the loaded files.

    Raises
    ------
    PolicySpecError, CompareError, ScenarioError
        Bad policies, files given twice or too many policies for files, invalid files.
    """
    if isinstance(scenario, str | Path | LoadedScenario):
        specs = resolve_policies(policies)
        loaded = scenario if isinstance(scenario, LoadedScenario) else load_cached(scenario)
        path = str(Path(loaded.path).resolve())
        return [Arm(spec.label, path, spec.overrides) for spec in specs], [loaded]
    if len(policies) > 1:
        raise CompareError("--policy: given more than once with several files (one, or none)")
    specs = resolve_policies(policies) if policies else [None]
    arms = scenario_arms(scenario, specs[0])
    return arms, [load_cached(arm.scenario) for arm in arms]


def tabulate(rows: list[dict], labels: list[str], reps: int) -> Comparison:
    """The comparison tables of the task ``rows``, arms in the order of ``labels``."""
    replications = replications_frame(rows, labels)
    return Comparison(
        replications=replications,
        summary=summary_frame(replications),
        paired=paired_frame(replications),
        policies=tuple(labels),
        reps=reps,
    )


MAX_REPS = 10_000  # replications per policy; t-intervals are tight long before this
MAX_DAYS = 3660  # ten years, as `bloodflow run --days`


def check_arguments(
    reps: int, seed: int | None, days: int | None, workers: int | None, scheduler: str | None
) -> None:
    """Check the numeric arguments of :func:`compare`; raise :class:`CompareError` if bad.

    ``workers`` may not exceed the cores of this machine: local Dask workers are processes,
    each running one simulation at a time.
    """
    cores = os.cpu_count() or 1
    bounds = (("reps", reps, MAX_REPS), ("days", days, MAX_DAYS), ("workers", workers, cores))
    for name, value, most in bounds:
        if value is not None and (not _is_int(value) or not 1 <= value <= most):
            raise CompareError(
                f"--{name}: {value!r} is not allowed (a whole number from 1 to {most})"
            )
    if reps is None:
        raise CompareError("--reps: missing (a whole number >= 1)")
    if seed is not None and (not _is_int(seed) or not 0 <= seed < 2**63):
        raise CompareError(f"--seed: {seed!r} is not allowed (a whole number from 0 to 2**63-1)")
    if workers is not None and scheduler is not None:
        raise CompareError("--workers and --scheduler together (give one of them, or neither)")


def check_horizon(loaded: LoadedScenario, days: int | None) -> None:
    """Raise :class:`CompareError` if the horizon is not above the scenario's warm-up."""
    horizon = loaded.scenario.days if days is None else days
    warmup = loaded.scenario.warmup_days
    if warmup >= horizon:
        raise CompareError(
            f"--days: {horizon} is not above the scenario's warmup_days {warmup} (a longer horizon)"
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
