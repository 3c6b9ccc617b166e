"""Parallel portfolios: several engine runs at once, one per core, in separate processes.

Neither routing library uses more than one thread, so a second core is used by running
a second, differently seeded (PyVRP) or differently configured (OR-Tools) search on the
same problem and keeping the best plan. The first run stays in the calling process; the
others run in worker processes started by a ``forkserver`` (safe when the caller has
threads, and the server imports the engines once). A worker's time limit is what is
left of the portfolio's when it starts (about 0.2 s is lost to starting it; the first
portfolio of a process also starts the server, about 2 s).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from optimizer.routing.chain import solve_chain
from optimizer.routing.fleet import solve_fleet
from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.pyvrp_adapter import solve_pyvrp
from optimizer.routing.repack import solve_repacked

__all__ = ["MAX_WORKERS", "Run", "run_all"]

MAX_WORKERS = 8
"""Upper bound on parallel runs (processes) per solve."""

_RUNNERS: dict[str, Callable[..., Any]] = {
    "ortools": solve_ortools,
    "pyvrp": solve_pyvrp,
    "chain": solve_chain,
    "fleet": solve_fleet,
    "repack": solve_repacked,
}


@dataclass(frozen=True)
class Run:
    """One engine run: engine name and keyword arguments besides the problem.

    Parameters
    ----------
    engine
        ``"ortools"``, ``"pyvrp"``, ``"chain"`` (PyVRP then OR-Tools), ``"fleet"``
        (OR-Tools with costlier vans, then with the real costs) or ``"repack"`` (an
        OR-Tools search, then repacking of neighbouring routes).
    options
        Keyword arguments of the engine function (limits, seed, config, initial...).
    """

    engine: str
    options: dict[str, Any] = field(default_factory=dict)


def _execute(run: Run, problem: RoutingProblem, deadline: float | None = None):
    options = dict(run.options)
    if deadline is not None and options.get("time_limit_s") is not None:
        # a worker starts late: it gets what is left of the portfolio's wall-clock budget
        options["time_limit_s"] = max(0.05, deadline - time.time())
    return _RUNNERS[run.engine](problem, **options)


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["optimizer.routing.portfolio"])
    return ctx


def run_all(problem: RoutingProblem, runs: Sequence[Run]) -> list[tuple[Run, Any]]:
    """Execute ``runs`` on ``problem``: the first here, the others in worker processes.

    Returns
    -------
    list
        ``(run, engine result)`` in the order of ``runs``.
    """
    if len(runs) == 1:
        return [(runs[0], _execute(runs[0], problem))]
    limits = [r.options.get("time_limit_s") for r in runs]
    deadline = None if None in limits else time.time() + max(limits)
    with ProcessPoolExecutor(max_workers=len(runs) - 1, mp_context=_context()) as pool:
        futures = [pool.submit(_execute, run, problem, deadline) for run in runs[1:]]
        here = _execute(runs[0], problem, deadline)  # starting the workers took time too
        return [(runs[0], here), *((r, f.result()) for r, f in zip(runs[1:], futures, strict=True))]
