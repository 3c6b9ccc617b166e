"""One simulation of a comparison, as a picklable task (paths and plain values only)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sim.compare.errors import CompareError
from sim.compare.flatten import flatten_kpis
from sim.execution.runner import RenderViews, run, run_to_folder
from sim.scenario import LoadedScenario, ScenarioError, load_scenario


@dataclass(frozen=True)
class Task:
    """Run one policy on one replication's seed.

    Parameters
    ----------
    policy : str
        Policy label (for the tables).
    replication : int
        Replication index, from 0.
    scenario : str
        Absolute path of the scenario file (loaded inside the task, on the worker).
    overrides : tuple of (role, name) pairs
        Policy names by role.
    seed : int
        Seed of the replication (the same for every policy).
    days : int, optional
        Horizon override, days.
    out : str, optional
        Absolute path of a run folder to write as well (it must be new; the machine running
        the task must see it), with the views ``render`` draws (a module-level function, so
        the task stays picklable). Its KPIs are the ones the run returns without a folder.
    render : callable, optional
        As ``render`` of :func:`sim.execution.runner.run_to_folder`.
    """

    policy: str
    replication: int
    scenario: str
    overrides: tuple[tuple[str, str], ...]
    seed: int
    days: int | None
    out: str | None = None
    render: RenderViews | None = None


def run_task(task: Task) -> dict:
    """Simulate ``task`` and return ``{"policy", "replication", "seed", <flat KPIs>}``.

    Raises
    ------
    CompareError
        If the scenario file cannot be loaded where the task runs (a plain, picklable error,
        so it reaches the caller from a remote worker).
    """
    loaded = _load_or_explain(task.scenario)
    options = {"seed": task.seed, "days": task.days, "policies": dict(task.overrides)}
    if task.out is None:
        kpis = run(loaded, **options).kpis
    else:
        kpis = run_to_folder(loaded, out=task.out, render=task.render, **options).kpis
    flat = flatten_kpis(kpis)
    return {**flat, "policy": task.policy, "replication": task.replication, "seed": task.seed}


def load_cached(path: str | Path) -> LoadedScenario:
    """Load a scenario once per process (reloaded when the file changes).

    Raises
    ------
    ScenarioError
        As :func:`sim.scenario.load_scenario`.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return load_scenario(path)  # raises the loader's own clear error
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int) -> LoadedScenario:
    return load_scenario(path)


def _load_or_explain(path: str) -> LoadedScenario:
    try:
        return load_cached(path)
    except ScenarioError as exc:
        raise CompareError(str(exc)) from None
