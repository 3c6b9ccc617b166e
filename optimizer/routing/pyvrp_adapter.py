"""PyVRP engine: maps a :class:`RoutingProblem` onto ``pyvrp.ProblemData``.

Integer units come from :mod:`optimizer.routing.scaling`. Supported: multiple
depots, heterogeneous vehicle types (count, capacity, start/end depot, fixed cost,
cost per km, route duration and distance limits, travel profile), client time
windows and service times, simultaneous delivery and pickup, optional clients (drop
penalty = PyVRP prize), and ride-time limits (``Client.max_ride_min``) through the
end-depot encoding of :mod:`optimizer.routing.ride` where that encoding is exact
(for instance one ride limit shared by all clients). Other ride limits raise
:class:`~optimizer.errors.UnsupportedProblem`, or are tightened (``ride="restrict"``)
or relaxed (``ride="relax"``) to give OR-Tools a start.

PyVRP is an optional dependency (``pyvrp>=0.14``), imported on first use.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import replace

import numpy as np

from optimizer.errors import UnsupportedProblem
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.ride import RideEncoding, encode
from optimizer.routing.scaling import UNBOUNDED, IntegerProblem, scale_problem

__all__ = ["pyvrp_available", "solve_pyvrp", "unsupported_reason"]


def pyvrp_available() -> bool:
    """Whether the ``pyvrp`` package can be imported."""
    try:
        import pyvrp  # noqa: F401
    except ImportError:
        return False
    return True


def unsupported_reason(problem: RoutingProblem) -> str | None:
    """Why PyVRP cannot model ``problem`` exactly, or ``None`` if it can."""
    encoding = encode(problem)
    if encoding is None or encoding.exact:
        return None
    return (
        f"engine 'pyvrp' cannot model these ride-time limits exactly ({encoding.reason}); "
        "use engine='ortools' or 'default'"
    )


def _clients(
    pyvrp, problem: RoutingProblem, data: IntegerProblem, tw_late: tuple[int, ...]
) -> list:
    n_depots = len(problem.depots)
    return [
        pyvrp.Client(
            n_depots + c,
            delivery=[data.delivery[c]],
            pickup=[data.pickup[c]],
            service_duration=data.service[c],
            tw_early=data.tw_early[c],
            tw_late=tw_late[c],
            prize=0 if cl.required else data.drop_penalty[c],
            required=cl.required,
            name=cl.name,
        )
        for c, cl in enumerate(problem.clients)
    ]


def _bounded(value: int) -> int:
    return value if value < UNBOUNDED else 2**62


class _Layout:
    """PyVRP locations and profiles: extra end depots and profiles for ride-limited types.

    Locations are the problem's (depots, clients) followed by one extra end depot per
    encoded vehicle type; PyVRP profiles are the problem's followed by one per encoded
    type (its own travel times to its extra end depot, see :mod:`~.ride`).
    """

    def __init__(
        self,
        problem: RoutingProblem,
        data: IntegerProblem,
        encoding: RideEncoding | None,
        relax: bool = False,
    ) -> None:
        self.problem, self.data = problem, data
        self.types = (encoding.relaxed if relax else encoding.types) if encoding else {}
        self.encoded = sorted(self.types)
        self.n_base = problem.num_locations

    def end_depot(self, t: int) -> int:
        """PyVRP depot index where type ``t`` ends (extra depots follow the real ones)."""
        if t in self.types:
            return len(self.problem.depots) + self.encoded.index(t)
        return self.problem.vehicle_types[t].end_depot

    def profile(self, t: int) -> int:
        if t in self.types:
            return self.problem.num_profiles + self.encoded.index(t)
        return self.problem.vehicle_types[t].profile

    def _extend(self, base: np.ndarray, to_end: dict[int, np.ndarray]) -> np.ndarray:
        ends = [self.problem.vehicle_types[t].end_depot for t in self.encoded]
        out = np.zeros((self.n_base + len(ends),) * 2, dtype=np.int64)
        out[: self.n_base, : self.n_base] = base
        out[: self.n_base, self.n_base :] = base[:, ends]
        for e, t in enumerate(self.encoded):
            if t in to_end:
                out[len(self.problem.depots) : self.n_base, self.n_base + e] = to_end[t]
        return out

    def matrices(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Distance and duration matrices per PyVRP profile."""
        d, p = self.data, self.problem
        distance = [self._extend(d.distance[q], {}) for q in range(p.num_profiles)]
        duration = [self._extend(d.duration[q], {}) for q in range(p.num_profiles)]
        for t in self.encoded:
            q = p.vehicle_types[t].profile
            distance.append(self._extend(d.distance[q], {}))
            duration.append(self._extend(d.duration[q], {t: self.types[t].to_end}))
        return distance, duration

    def depots(self, pyvrp) -> list:
        d, p = self.data, self.problem
        real = [
            pyvrp.Depot(j, tw_early=d.depot_early[j], tw_late=d.depot_late[j], name=dp.name)
            for j, dp in enumerate(p.depots)
        ]
        extra = [
            pyvrp.Depot(self.n_base + e, name=f"ride-end-{t}") for e, t in enumerate(self.encoded)
        ]
        return real + extra

    def vehicle_types(self, pyvrp) -> list:
        d = self.data
        return [
            pyvrp.VehicleType(
                num_available=vt.count,
                capacity=[d.capacity[t]],
                start_depot=vt.start_depot,
                end_depot=self.end_depot(t),
                fixed_cost=d.fixed_cost[t],
                shift_duration=self.types[t].shift
                if t in self.types
                else _bounded(d.max_duration[t]),
                max_distance=_bounded(d.max_distance[t]),
                unit_distance_cost=d.unit_cost[t],
                profile=self.profile(t),
                name=vt.name,
            )
            for t, vt in enumerate(self.problem.vehicle_types)
            if vt.count > 0
        ]


def _reduce_costs(data: IntegerProblem) -> IntegerProblem:
    """Divide all money figures by their common divisor (same optimum, smaller numbers).

    PyVRP's penalty manager adapts best when costs and durations have similar magnitude.
    """
    g = math.gcd(*data.unit_cost, *data.fixed_cost, *data.drop_penalty) or 1
    return replace(
        data,
        unit_cost=tuple(c // g for c in data.unit_cost),
        fixed_cost=tuple(c // g for c in data.fixed_cost),
        drop_penalty=tuple(c // g for c in data.drop_penalty),
    )


RIDE_MODES = ("exact", "restrict", "relax")


def to_pyvrp(problem: RoutingProblem, *, ride: str = "exact"):
    """Build ``pyvrp.ProblemData``.

    Parameters
    ----------
    problem
        The problem.
    ride
        How ride limits PyVRP cannot model exactly are handled (see
        :mod:`~optimizer.routing.ride`): ``"exact"`` raises, ``"restrict"`` tightens them
        (every plan feasible, some good plans excluded), ``"relax"`` holds only each
        route's last client to its limit (plans may break earlier clients' limits).

    Raises
    ------
    UnsupportedProblem
        If the ride limits cannot be modelled exactly and ``ride`` is ``"exact"``.
    """
    import pyvrp

    if ride not in RIDE_MODES:
        raise ValueError(f"ride: expected one of {RIDE_MODES}, got {ride!r}")
    data = _reduce_costs(scale_problem(problem))
    encoding = encode(problem)  # costs play no part in it
    if encoding is not None and not encoding.exact and ride == "exact":
        raise UnsupportedProblem(unsupported_reason(problem))
    layout = _Layout(problem, data, encoding, relax=ride == "relax")
    distance, duration = layout.matrices()
    tw_late = encoding.tw_late if encoding else data.tw_late
    return pyvrp.ProblemData(
        locations=[pyvrp.Location(0.0, 0.0) for _ in range(len(distance[0]))],
        clients=_clients(pyvrp, problem, data, tw_late),
        depots=layout.depots(pyvrp),
        vehicle_types=layout.vehicle_types(pyvrp),
        distance_matrices=distance,
        duration_matrices=duration,
    )


def _stop(time_limit_s: float | None, max_iterations: int | None):
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    criteria = []
    if time_limit_s is not None:
        criteria.append(MaxRuntime(time_limit_s))
    if max_iterations is not None:
        criteria.append(MaxIterations(max_iterations))
    return criteria[0] if len(criteria) == 1 else MultipleCriteria(criteria)


def solve_pyvrp(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None,
    seed: int = 0,
    ride: str = "exact",
) -> tuple[list[tuple[int, list[int]]], str, float]:
    """Solve with PyVRP's iterated local search.

    Parameters
    ----------
    problem
        The problem; ride-time limits must be exactly expressible (see
        :mod:`~optimizer.routing.ride`) unless ``ride`` says otherwise.
    time_limit_s
        Wall-clock limit (seconds), or ``None``.
    max_iterations
        Number of search iterations, or ``None``. With this limit alone the search is
        deterministic for a given seed.
    seed
        Seed of PyVRP's random number stream.
    ride
        ``"exact"``, ``"restrict"`` or ``"relax"``: see :func:`to_pyvrp` (the last two
        only serve to warm-start OR-Tools).

    Returns
    -------
    tuple
        ``(sequences, stop_reason, solve_time_s)``.

    Raises
    ------
    UnsupportedProblem
        If the ride limits are not exactly expressible and ``ride`` is ``"exact"``.
    """
    import pyvrp

    tic = time.perf_counter()
    active = [t for t, vt in enumerate(problem.vehicle_types) if vt.count > 0]
    with warnings.catch_warnings():
        # Hard-to-satisfy instances saturate PyVRP's penalties; infeasibility is
        # reported by the validator instead of this warning.
        warnings.simplefilter("ignore", pyvrp.exceptions.PenaltyBoundWarning)
        result = pyvrp.solve(
            to_pyvrp(problem, ride=ride),
            _stop(time_limit_s, max_iterations),
            seed=seed,
            collect_stats=False,
            display=False,
        )
    hit_iters = max_iterations is not None and result.num_iterations >= max_iterations
    sequences = [
        (
            active[route.vehicle_type()],
            [a.idx for a in route.schedule() if a.type == pyvrp.ActivityType.CLIENT],
        )
        for route in result.best.routes()
    ]
    reason = "iteration_limit" if hit_iters else "time_limit"
    return sequences, reason, time.perf_counter() - tic
