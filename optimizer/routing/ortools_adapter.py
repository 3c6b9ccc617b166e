"""OR-Tools engine: search parameters, warm start and the solve call.

The model itself is built by :mod:`~optimizer.routing.ortools_model`; together they are
the only modules that touch OR-Tools' routing library.

Search (tuned on the Solomon set, see ``bench/RESULTS.md``): a named
:class:`SearchConfig` picks the first-solution strategy, the metaheuristic and the
local-search operators. Two kinds of search:

- **iterated local search** (``ils=True``, the default): OR-Tools' own ILS
  (``RoutingModel.SolveWithIteratedLocalSearch``; setting ``use_iterated_local_search``
  and calling ``SolveWithParameters`` silently runs a plain descent instead) with SISR
  ruin-and-recreate perturbations and simulated-annealing acceptance. Its descent uses
  the cheap operators only: the insertion-based LNS operators OR-Tools turns on by
  default cost about 0.25 s per local optimum on 100 clients, which the perturbations
  make unnecessary. Like GLS, ILS first runs with required clients mandatory (see
  :func:`_attempts`).
- **guided local search** (``ils=False``): ``SolveWithParameters``, also used for warm
  starts: ILS cannot start from a given assignment (in OR-Tools 9.15
  ``SolveWithIteratedLocalSearch`` ignores ``SetFirstSolutionHint``, and
  ``SolveFromAssignmentWithParameters`` with ILS parameters runs one descent). Clients
  that must be served are first modelled as mandatory (a faster search); only if
  OR-Tools finds no plan that way is the model rebuilt with every client optional, so
  that a plan (possibly infeasible, as the validator will say) always comes back.

Warm start: given the sequences of an earlier plan (e.g. PyVRP's), the model is closed
with the search parameters (``CloseModelWithParameters``: ``ReadAssignmentFromRoutes``
would otherwise close it with default ones), the routes are read in and the search
starts from them. OR-Tools may end on a plan worse than the one it was given, so the
caller keeps the incumbent (:func:`optimizer.routing.solve.solve` does).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2

from optimizer.routing.ortools_model import OrToolsModel
from optimizer.routing.problem import RoutingProblem

__all__ = ["BANDIT_CONFIG", "CONFIGS", "WARM_CONFIG", "SearchConfig", "solve_ortools"]

_BRANCHES_PER_ITERATION = 100
"""Deterministic safety net for iteration limits: on tiny instances guided local search can
run out of new solutions and would never reach a solution limit on its own."""

_STATUS = {
    0: "not_solved",
    1: "limit",
    2: "limit",
    3: "no_solution",
    4: "time_limit",
    5: "invalid_model",
    6: "infeasible",
    7: "optimal",
}
_FAILED = {"not_solved", "no_solution", "invalid_model", "infeasible"}


@dataclass(frozen=True)
class SearchConfig:
    """How OR-Tools searches.

    Parameters
    ----------
    first_solution
        Name of a ``FirstSolutionStrategy`` (e.g. ``"PARALLEL_CHEAPEST_INSERTION"``).
    metaheuristic
        Name of a ``LocalSearchMetaheuristic`` (e.g. ``"GUIDED_LOCAL_SEARCH"``).
    gls_lambda
        Guided local search penalty coefficient (dimensionless).
    operators
        ``(operator, on)`` overrides of OR-Tools' local search operators, e.g.
        ``("use_or_opt", True)``.
    ils
        Iterated local search (``SolveWithIteratedLocalSearch``) with SISR
        ruin-and-recreate perturbations and simulated-annealing acceptance at automatic
        temperatures; ``metaheuristic`` then applies to the descent after each
        perturbation (``"GREEDY_DESCENT"``).
    ruin_visits
        Average number of clients an SISR perturbation removes (clients).
    bypass
        SISR bypass factor (probability weight of keeping clients inside a removed
        string; dimensionless).
    sequence
        Longest string of consecutive clients SISR removes from one route (clients).
    ruins
        Other ruin strategies, each perturbation picking one of them or SISR at random:
        ``("random_walk", clients removed)`` or ``("spatially_close_routes", routes
        emptied)``.
    temperatures
        Initial and final simulated-annealing temperatures as multiples of the mean arc
        cost, or ``None`` for OR-Tools' automatic ones (0.1 and 0.001).
    extra
        ``(field, value)`` overrides of other ``RoutingSearchParameters`` fields.
    """

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.1
    operators: tuple[tuple[str, bool], ...] = ()
    ils: bool = False
    ruin_visits: int = 10
    bypass: float = 0.01
    sequence: int = 10
    ruins: tuple[tuple[str, int], ...] = ()
    temperatures: tuple[float, float] | None = None
    extra: tuple[tuple[str, float | int | bool], ...] = ()


CHEAP_OPERATORS: tuple[tuple[str, bool], ...] = tuple(
    (name, False)
    for name in (
        "use_global_cheapest_insertion_path_lns",
        "use_local_cheapest_insertion_path_lns",
        "use_relocate_path_global_cheapest_insertion_insert_unperformed",
        "use_global_cheapest_insertion_visit_types_lns",
        "use_local_cheapest_insertion_visit_types_lns",
    )
)
"""Operator overrides for ILS descents: the insertion-based LNS operators off."""

_ILS = SearchConfig(
    first_solution="PARALLEL_SAVINGS",
    metaheuristic="GREEDY_DESCENT",
    operators=CHEAP_OPERATORS,
    ils=True,
    ruin_visits=30,
    bypass=1.0,
    sequence=40,
)

CONFIGS: dict[str, SearchConfig] = {
    "ils": _ILS,
    "ils-split": replace(_ILS, bypass=0.01, sequence=10),
    "parallel-savings": SearchConfig(first_solution="PARALLEL_SAVINGS"),
    "ils-savings": replace(_ILS, first_solution="SAVINGS"),
    "savings": SearchConfig(first_solution="SAVINGS"),
    "insertion": SearchConfig(first_solution="PARALLEL_CHEAPEST_INSERTION"),
    "ils-bandit": replace(
        _ILS,
        bypass=0.01,
        sequence=10,
        extra=(("use_multi_armed_bandit_concatenate_operators", True),),
    ),
}
"""Named configurations. The first is the default; a portfolio of k workers runs the
first k: two ILS searches that complement each other, then guided local search (GLS),
then ILS from another first solution. When vans have fixed costs the fleet run
(:mod:`~optimizer.routing.fleet`) comes second; with ride limits that only the solver
checks (:mod:`~optimizer.routing.ortools_ride`: ILS may break one) GLS comes second
(``solve._runs``).

- ``"ils"``: SISR strings of up to 40 clients (capped by OR-Tools at the mean route
  length), rarely split (bypass factor 1: a split string keeps about two clients). On
  long routes (C2, R2, RC2) it can empty a route, which ILS with short strings cannot:
  C202 at 10 s 0.0 % against 4.9 %.
- ``"ils-split"``: the previous default, strings of up to 10 clients that are nearly
  always split around a long kept stretch (OR-Tools reads the bypass factor so that
  0.01 keeps up to the rest of the route); best on R1.

Paired on the 56 Solomon instances at 10 s, load 7 (``bench/RESULTS.md``, third pass):
the pair 1.81 % against 2.04 % for ILS-split + GLS (the engine before), mostly on C2
and RC2; GLS was the better search only on C2, where the long strings now reach it.
Earlier tuning (load 14-17): removing 30 clients on average (10, 15, 20, 45 worse);
the insertion-based LNS operators off; parallel savings first; neighbour-restricted
operators worse. Explicit annealing
temperatures (``temperatures``) of 0.03-1 times the mean arc cost helped on RC2 and hurt
on RC1; a ruin that empties spatially close routes as every other perturbation hurt
on RC1 and R1.

- ``"ils-bandit"``: ``"ils-split"`` whose descent picks its operators with OR-Tools'
  multi-armed bandit instead of trying them in a fixed order. Second worker when vans
  have fixed costs (``solve._runs``; not in the Solomon pair): on the 12 blood-like
  instances (10 s, single searches side by side, load 4-5) ILS + bandit ended 1.035x
  PyVRP's quiet-machine cost against 1.042x for ILS + the fleet run (bandit alone 1.041x,
  fleet run alone 1.045x, ILS alone 1.048x)."""

BANDIT_CONFIG = "ils-bandit"
"""Second search of a portfolio when vans have fixed costs (see :data:`CONFIGS`)."""
WARM_CONFIG = "parallel-savings"
"""Configuration used instead of an ILS one for warm starts (ILS cannot read a start)."""
ILS_CAP_S_PER_ITERATION = 0.5  # wall-clock cap of an iteration-limited ILS, s per iteration
ILS_CAP_MIN_S = 10.0


def _ils(params, config: SearchConfig, arc_cost: float) -> None:
    ils = params.iterated_local_search_parameters
    ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
    ils.improve_perturbed_solution = True
    rr = ils.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    composition = routing_ils_pb2.RuinCompositionStrategy
    rr.ruin_composition_strategy = (
        composition.RUN_ONE_RANDOMLY if config.ruins else composition.RUN_ALL_SEQUENTIALLY
    )
    sisr = rr.ruin_strategies.add().sisr
    sisr.max_removed_sequence_size = config.sequence
    sisr.avg_num_removed_visits = config.ruin_visits
    sisr.bypass_factor = config.bypass
    for kind, size in config.ruins:
        ruin = getattr(rr.ruin_strategies.add(), kind)
        if kind == "random_walk":
            ruin.num_removed_visits = size
        else:
            ruin.num_ruined_routes = size
    sa = ils.reference_solution_acceptance_strategy.simulated_annealing
    if config.temperatures is None or arc_cost <= 0:
        sa.automatic_temperatures = True
        return
    sa.automatic_temperatures = False
    sa.initial_temperature = max(1e-6, config.temperatures[0] * arc_cost)
    sa.final_temperature = max(1e-6, min(config.temperatures) * arc_cost)


def search_parameters(
    config: SearchConfig,
    time_limit_s: float | None,
    max_iterations: int | None,
    arc_cost: float = 0.0,
):
    """OR-Tools ``RoutingSearchParameters`` for a configuration and limits.

    ``arc_cost`` is the model's mean arc cost (objective units), the scale of explicit
    annealing temperatures.
    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, config.first_solution
    )
    params.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic, config.metaheuristic
    )
    params.guided_local_search_lambda_coefficient = config.gls_lambda
    # OR-Tools hands models under 20 nodes to CP-SAT, which ignores the solution limit
    # (about 10 s on 8 clients with mandatory visits): keep the routing search
    params.fallback_to_cp_sat_size_threshold = 0
    for name, on in config.operators:
        setattr(params.local_search_operators, name, "BOOL_TRUE" if on else "BOOL_FALSE")
    if config.ils:
        params.use_iterated_local_search = True
        _ils(params, config, arc_cost)
    for name, value in config.extra:
        setattr(params, name, value)
    if time_limit_s is not None:
        params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    if max_iterations is not None:
        params.solution_limit = max_iterations
    return params


def _stop_reason(status: int, found: bool, elapsed: float, time_limit_s: float | None) -> str:
    reason = _STATUS.get(status, "unknown")
    if found and reason == "not_solved":
        reason = "limit"  # ILS reports ROUTING_NOT_SOLVED even when it returns a plan
    if reason != "limit":
        return reason
    timed_out = time_limit_s is not None and elapsed >= 0.98 * time_limit_s
    return "time_limit" if timed_out else "iteration_limit"


def _run(
    model: OrToolsModel,
    params,
    max_iterations: int | None,
    initial: Sequence[tuple[int, Sequence[int]]] | None,
):
    routing = model.routing
    if max_iterations is not None:
        routing.AddSearchMonitor(
            routing.solver().BranchesLimit(max_iterations * _BRANCHES_PER_ITERATION)
        )
    if initial:
        routing.CloseModelWithParameters(params)
        start = routing.ReadAssignmentFromRoutes(model.index_routes(initial), True)
        if start is not None:
            return routing.SolveFromAssignmentWithParameters(start, params)
    if params.use_iterated_local_search:
        return routing.SolveWithIteratedLocalSearch(params)
    return routing.SolveWithParameters(params)


def _attempts(
    problem: RoutingProblem,
    initial: Sequence[tuple[int, Sequence[int]]] | None,
    config: SearchConfig,
) -> list[tuple[SearchConfig, bool]]:
    """``(configuration, soft_required)`` of the searches to try until one finds a plan.

    Every search tries mandatory clients first, unless there are none or the warm start
    leaves some out (then only optional ones can read it): on the optional-client model
    ILS's recreate step may leave a required client out for good (blood-shared-200-5 at
    load 6: a plan without one), while on the mandatory model a recreate that cannot
    place every client is simply a rejected perturbation (same plans on RC101 and C202).
    Should ILS find no first solution in time (parallel savings on 200 clients and 3
    depots took 2.4 s alone, more on a loaded machine), guided local search gets the time
    that is left.
    """
    if config.ils and initial:
        config = CONFIGS[WARM_CONFIG]
    required = {c for c, client in enumerate(problem.clients) if client.required}
    if not required or (initial and not required <= {c for _, v in initial for c in v}):
        tries = [(config, True)]
    else:
        tries = [(config, False), (config, True)]
    if config.ils:
        tries += _attempts(problem, None, CONFIGS[WARM_CONFIG])
    return tries


def _remaining(time_limit_s: float | None, tic: float) -> float | None:
    return None if time_limit_s is None else max(0.001, time_limit_s - (time.perf_counter() - tic))


def solve_ortools(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None,
    seed: int = 0,
    initial: Sequence[tuple[int, Sequence[int]]] | None = None,
    config: str | SearchConfig = "ils",
) -> tuple[list[tuple[int, list[int]]], str, float]:
    """Solve with OR-Tools' routing library.

    Parameters
    ----------
    problem
        The problem (all side constraints are supported).
    time_limit_s
        Wall-clock limit (seconds), or ``None``.
    max_iterations
        Limit on the number of solutions the search accepts (also capped at
        ``_BRANCHES_PER_ITERATION`` search branches each, so it always ends), or
        ``None``. With this limit alone the search is deterministic.
    seed
        Unused: OR-Tools' search is deterministic; portfolios vary ``config`` instead.
    initial
        Warm start: ``(vehicle type, clients in order)`` per route, e.g. another
        engine's plan. Ignored if OR-Tools rejects it (it breaks a constraint). An ILS
        configuration is then replaced by :data:`WARM_CONFIG` (guided local search).
    config
        Name in :data:`CONFIGS` (default: the first, ILS) or a :class:`SearchConfig`.

    Returns
    -------
    tuple
        ``(sequences, stop_reason, solve_time_s)``; sequences are ``(vehicle type,
        clients in order)`` per vehicle (possibly empty). The result may be worse than
        ``initial``: keep the better one.
    """
    del seed
    tic = time.perf_counter()
    config = CONFIGS[config] if isinstance(config, str) else config
    if config.ils and time_limit_s is None and max_iterations is not None:
        # ILS's outer loop is not always bounded by the solution and branch limits (a full
        # test run once spent minutes in it on a 6-client problem): an iteration-limited ILS
        # also gets a wall-clock cap far above what its iterations take (milliseconds each).
        time_limit_s = max(ILS_CAP_MIN_S, ILS_CAP_S_PER_ITERATION * max_iterations)
    for search, soft in _attempts(problem, initial, config):
        model = OrToolsModel(problem).build(soft_required=soft)
        params = search_parameters(
            search, _remaining(time_limit_s, tic), max_iterations, model.mean_arc_cost()
        )
        assignment = _run(model, params, max_iterations, initial)
        reason = _stop_reason(model.routing.status(), assignment is not None, 0.0, None)
        if assignment is not None and reason not in _FAILED:
            break
    elapsed = time.perf_counter() - tic
    reason = _stop_reason(model.routing.status(), assignment is not None, elapsed, time_limit_s)
    return model.sequences(assignment), reason, elapsed
