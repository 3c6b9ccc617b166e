"""One entry point for every routing engine: ``solve(problem, ...) -> RoutePlan``.

Engines are plain functions registered by name in :data:`ENGINES`; each returns
visit sequences, which :func:`~optimizer.routing.schedule.assemble_plan` times and
validates the same way for all engines.

Which engine handles what (``engine="default"``; figures in ``bench/RESULTS.md``):

- **PyVRP** whenever it models the problem exactly: every problem without ride-time
  limits, and ride-limited problems whose limits the end-depot encoding of
  :mod:`~optimizer.routing.ride` expresses exactly (a cold-chain limit shared by the
  clients, route duration limits and depot closing times folded in). PyVRP was measured
  the stronger engine on VRPTW.
- **PyVRP, then OR-Tools** (``"pyvrp+ortools"``, :mod:`~optimizer.routing.chain`) for
  ride limits PyVRP cannot express exactly (limits that differ so much between clients
  that a later drop's limit no longer implies an earlier one's, some clients without a
  limit, vehicle types that disagree): PyVRP solves a tightened (or, on a second worker,
  relaxed and then repaired) version for a third of the time, OR-Tools, which models
  ride limits as a dimension, continues from that plan, and the better plan is kept.
  When vans have fixed costs (:data:`FLEET_HYBRID_PORTFOLIO`) the chain ends by
  repacking neighbouring routes, and the second worker is the OR-Tools engine's
  repacked ILS run: each empties vans the other keeps.
- **OR-Tools** alone when PyVRP is not installed.

``workers > 1`` runs that many searches at once in separate processes (differently
seeded PyVRP runs, differently configured OR-Tools searches and, when vans have fixed
costs, ILS searches followed by repacking of neighbouring routes
(:mod:`~optimizer.routing.repack`) and the OR-Tools fleet run of
:mod:`~optimizer.routing.fleet`, or the chains above with the portfolio of
:data:`HYBRID_PORTFOLIO`) and keeps the best.

Infeasibility is reported, not raised: if no engine plan serves every required
client within every hard constraint, the plan comes back with ``feasible=False``
and ``violations`` listed. Call :func:`~optimizer.routing.validate.check_plan` to
turn that into :class:`~optimizer.errors.InfeasiblePlan`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from optimizer.routing.chain import CHAIN_REPACK_SHARE
from optimizer.routing.ortools_adapter import BANDIT_CONFIG, CONFIGS, WARM_CONFIG, solve_ortools
from optimizer.routing.ortools_ride import ride_checked_by_filters
from optimizer.routing.plan import RoutePlan
from optimizer.routing.portfolio import MAX_WORKERS, Run, run_all
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.pyvrp_adapter import pyvrp_available, solve_pyvrp, unsupported_reason
from optimizer.routing.schedule import assemble_plan, best_plan

__all__ = ["ENGINES", "ENGINE_NAMES", "Engine", "best_plan", "resolve_engine", "solve"]

HYBRID = "pyvrp+ortools"
FLEET = "fleet"
"""Name of the fleet run in an OR-Tools portfolio (its first stage runs ``CONFIGS["ils"]``)."""
REPACK = "repack"
"""Name of the repacked runs (an ILS search, then :mod:`~optimizer.routing.repack`) that
replace the two ILS searches of an OR-Tools portfolio when vans have fixed costs."""
HYBRID_PORTFOLIO = (
    ("chain", {"ride": "restrict"}),
    ("chain", {"ride": "relax"}),
    ("ortools", {}),
)
"""Runs for ride limits PyVRP cannot model exactly, worker ``w`` taking entry ``w % 3``
(the kind of run and its options):
a PyVRP-then-OR-Tools chain from PyVRP's tightened or relaxed version of the limits
(:mod:`~optimizer.routing.chain`), or OR-Tools alone. Order from 6 mixed-limit blood
instances at 10 s, one worker: the tightened chain was best on 4 (mean 0.5 % below the
relaxed one), OR-Tools alone worst on 5."""
FLEET_HYBRID_PORTFOLIO = (
    ("chain", {"ride": "restrict", "repack_share": CHAIN_REPACK_SHARE}),
    (REPACK, {"config": "ils"}),
    ("chain", {"ride": "relax"}),
)
""":data:`HYBRID_PORTFOLIO` when vans have fixed costs: the tightened chain ends with
repacking (:data:`~optimizer.routing.chain.CHAIN_REPACK_SHARE`), then the repacked ILS
run of the OR-Tools engine, then the relaxed chain. From the 12 mixed-limit blood
instances at 60 s, one run each (``bench/RESULTS.md``): the repacking chain was the
better of the first two on 7, the repacked ILS run on 5, each up to 2.2 % below the
other; the plain tightened chain was 0.05-6.6 % above the better (often a van more)."""


_LABELS = {"chain": HYBRID, FLEET: "ortools", REPACK: "ortools"}
"""Engine named in a plan for each kind of portfolio run (the fleet and repacked runs are
OR-Tools alone)."""


class Engine(Protocol):
    """A routing engine: returns ``(sequences, stop_reason, solve_time_s)``."""

    def __call__(
        self,
        problem: RoutingProblem,
        *,
        time_limit_s: float | None,
        max_iterations: int | None,
        seed: int,
    ) -> tuple[Sequence[tuple[int, Sequence[int]]], str, float]: ...


ENGINES: dict[str, Engine] = {"ortools": solve_ortools, "pyvrp": solve_pyvrp}
ENGINE_NAMES = ("default", "pyvrp", "ortools", HYBRID)
"""Names ``solve`` accepts: the registered engines, ``"default"`` and the hybrid."""


def resolve_engine(problem: RoutingProblem, engine: str) -> str:
    """Name of the engine ``solve`` will use for ``engine`` on ``problem``.

    Returns ``"pyvrp"``, ``"ortools"`` or ``"pyvrp+ortools"`` (PyVRP's plan, for tightened
    ride limits if need be, warm-starts OR-Tools; also available by name).

    Raises
    ------
    ValueError
        If ``engine`` is not one of :data:`ENGINE_NAMES`.
    """
    if engine not in ENGINE_NAMES:
        raise ValueError(f"engine: expected one of {list(ENGINE_NAMES)}, got {engine!r}")
    if engine in ("default", HYBRID) and not pyvrp_available():
        return "ortools"
    if engine == "default":
        return "pyvrp" if unsupported_reason(problem) is None else HYBRID
    return engine


def _check_limits(time_limit_s: float | None, max_iterations: int | None, workers: int) -> None:
    if time_limit_s is None and max_iterations is None:
        raise ValueError("solve: give time_limit_s (seconds) or max_iterations (or both)")
    if time_limit_s is not None and not time_limit_s > 0:
        raise ValueError(f"time_limit_s: expected > 0 seconds, got {time_limit_s}")
    if max_iterations is not None and max_iterations < 1:
        raise ValueError(f"max_iterations: expected >= 1, got {max_iterations}")
    if not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"workers: expected 1 to {MAX_WORKERS} processes, got {workers}")


def _sequences(plan: RoutePlan) -> list[tuple[int, tuple[int, ...]]]:
    return [(r.vehicle_type, r.visits) for r in plan.routes]


def _check_initial(problem: RoutingProblem, initial: RoutePlan) -> None:
    n, k = len(problem.clients), len(problem.vehicle_types)
    for r in initial.routes:
        if not 0 <= r.vehicle_type < k or any(not 0 <= c < n for c in r.visits):
            raise ValueError(
                "initial: expected a plan of this problem (vehicle type and "
                f"client indices), got a route of type {r.vehicle_type} "
                f"visiting {list(r.visits)}"
            )


def _runs(
    engine: str,
    workers: int,
    seed: int,
    unfiltered_ride: bool = False,
    fleet: bool = False,
    **options,
) -> list[Run]:
    """Runs of a portfolio: PyVRP seeds, or OR-Tools searches in :data:`CONFIGS` order,
    with guided local search second for ride limits that only the solver checks
    (``unfiltered_ride``: ILS may break one; then, when vans have fixed costs, the fleet
    run of :mod:`~optimizer.routing.fleet`) and otherwise, when vans have fixed costs
    (``fleet``), the bandit ILS (:data:`~optimizer.routing.ortools_adapter.BANDIT_CONFIG`)
    second and the fleet run third. When vans have fixed costs, the ILS searches are each
    followed by repacking (:data:`REPACK`; a plan that breaks a limit is left as it is)."""
    if engine == "pyvrp":
        return [Run("pyvrp", {**options, "seed": seed + w}) for w in range(workers)]
    # ILS cannot read a start: a warm-started portfolio runs the GLS configurations only
    warm = bool(options.get("initial"))
    names = [n for n, c in CONFIGS.items() if not (warm and c.ils)]
    if unfiltered_ride and not warm:
        names.insert(1, names.pop(names.index(WARM_CONFIG)))
        if fleet:
            names.insert(2, FLEET)
    elif fleet and not warm:
        names.insert(1, names.pop(names.index(BANDIT_CONFIG)))
        names.insert(2, FLEET)
    runs = [names[w % len(names)] for w in range(workers)]
    repack = fleet and not warm
    return [
        Run(FLEET, {**options, "seed": seed})
        if name == FLEET
        else Run(REPACK, {**options, "seed": seed + w, "config": name})
        if repack and name in ("ils", BANDIT_CONFIG)
        else Run("ortools", {**options, "seed": seed, "config": name})
        for w, name in enumerate(runs)
    ]


def _portfolio(problem: RoutingProblem, runs: list[Run], seed: int) -> list[RoutePlan]:
    tic = time.perf_counter()
    results = run_all(problem, runs)
    elapsed = time.perf_counter() - tic
    return [
        assemble_plan(
            problem,
            sequences,
            engine=_LABELS.get(run.engine, run.engine),
            solve_time_s=elapsed,
            stop_reason=reason,
            seed=seed,
        )
        for run, (sequences, reason, _) in results
    ]


def _hybrid_runs(
    problem: RoutingProblem, workers: int, seed: int, fleet: bool, **options
) -> list[Run]:
    """PyVRP-then-OR-Tools chains (and OR-Tools alone for inexact ride limits), one per
    worker: :data:`HYBRID_PORTFOLIO`, or :data:`FLEET_HYBRID_PORTFOLIO` when vans have
    fixed costs (``fleet``)."""
    names = list(CONFIGS)
    if unsupported_reason(problem) is None:
        plan = [("chain", {"ride": "exact"})]
    else:
        plan = list(FLEET_HYBRID_PORTFOLIO if fleet else HYBRID_PORTFOLIO)
    runs = []
    for w in range(workers):
        kind, extra = plan[w % len(plan)]
        if kind == "ortools":
            config = names[(w // len(plan)) % len(names)]
            runs.append(Run("ortools", {**options, "seed": seed, "config": config}))
        else:
            runs.append(Run(kind, {**options, "seed": seed + w, **extra}))
    return runs


def solve(
    problem: RoutingProblem,
    *,
    engine: str = "default",
    time_limit_s: float | None = None,
    max_iterations: int | None = None,
    seed: int = 0,
    workers: int = 1,
    initial: RoutePlan | None = None,
) -> RoutePlan:
    """Plan routes for ``problem``.

    Parameters
    ----------
    problem
        The routing problem (km, minutes, units, yuan).
    engine
        ``"default"``, ``"ortools"``, ``"pyvrp"`` or ``"pyvrp+ortools"`` (see the module
        docstring).
    time_limit_s
        Wall-clock limit (seconds). Results under a time limit may vary run to run.
    max_iterations
        Iteration limit: PyVRP search iterations, or OR-Tools accepted solutions.
        With only this limit the solve is deterministic.
    seed
        Engine seed (PyVRP; OR-Tools' search is deterministic and ignores it). Parallel
        PyVRP runs use ``seed``, ``seed + 1``, ...
    workers
        Searches run at once in separate processes (1 to :data:`MAX_WORKERS`); the best
        plan is kept. Use at most the number of free cores.
    initial
        A plan of this problem to start from (OR-Tools warm start) and to beat: the
        result is never worse than it.

    Returns
    -------
    RoutePlan
        Validated plan; ``feasible`` is ``False`` when a hard constraint is broken.
        ``engine`` names the engine whose routes were kept.

    Raises
    ------
    ValueError
        If no limit is given, ``workers`` is out of range, ``initial`` does not fit the
        problem or the engine name is unknown.
    UnsupportedProblem
        If ``engine="pyvrp"`` is asked for ride limits it cannot model exactly.
    """
    _check_limits(time_limit_s, max_iterations, workers)
    tic = time.perf_counter()
    incumbent = []
    if initial is not None:
        _check_initial(problem, initial)
        incumbent = [
            assemble_plan(
                problem,
                _sequences(initial),
                engine=initial.engine,
                solve_time_s=0.0,
                stop_reason="initial",
                seed=initial.seed,
            )
        ]
    name = resolve_engine(problem, engine)
    limits = {"time_limit_s": time_limit_s, "max_iterations": max_iterations}
    fleet = any(v.fixed_cost > 0 and v.count > 1 for v in problem.vehicle_types)
    if name == HYBRID:
        runs = _hybrid_runs(problem, workers, seed, fleet, **limits)
    else:
        warm = {"initial": _sequences(incumbent[0])} if incumbent and name == "ortools" else {}
        unfiltered = name == "ortools" and not ride_checked_by_filters(problem)
        runs = _runs(name, workers, seed, unfiltered, fleet, **limits, **warm)
    plans = _portfolio(problem, runs, seed)
    best = best_plan([*plans, *incumbent])
    return replace(best, solve_time_s=time.perf_counter() - tic)
