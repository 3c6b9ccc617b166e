"""OR-Tools engine: the only module that touches ``RoutingIndexManager`` / ``RoutingModel``.

Integer units come from :mod:`optimizer.routing.scaling` (metres, seconds,
milli-units, micro-yuan; rounding documented there). The model:

- nodes = locations (depots first); one OR-Tools vehicle per physical vehicle,
  with its type's start/end depot;
- arc cost per vehicle = metres × cost per metre of its type (one transit matrix per
  (profile, cost) pair) plus the type's fixed cost;
- ``time`` dimension: transit = service at the origin + travel time of the vehicle's
  profile, waiting as slack, client windows and depot opening hours on cumuls, route
  duration limits as span upper bounds; finalizers push departures late and returns
  early so routes do not wait needlessly;
- loads: without pickups one ``delivery`` dimension (cumul ≤ capacity). With pickups,
  ``delivery`` and ``pickup`` dimensions accumulate each, and an ``onboard`` dimension
  (transit = pickup - delivery) starts at the route's total delivery
  (``onboard.start == delivery.end``), so the load on board is checked at every stop;
- ``distance`` dimension per profile when some type has a distance limit;
- ride time: a ``ride`` dimension with the time transits, cumul fixed to 0 at the
  start and slacks tied to the time dimension's slacks, so ``ride(i) = time(i) -
  departure``; its cumul is capped by the client's ``max_ride_min``;
- every client is in a disjunction: optional ones with their drop penalty, required
  ones with a penalty larger than any plan, so that OR-Tools always returns a plan
  (a dropped required client then makes it infeasible for the validator).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from optimizer.routing.problem import RoutingProblem
from optimizer.routing.scaling import IntegerProblem, scale_problem

__all__ = ["solve_ortools"]

_REQUIRED_PENALTY = 10**17
"""Penalty (micro-yuan) for dropping a required client: beyond any feasible objective."""

_BRANCHES_PER_ITERATION = 2000
"""Deterministic safety net for iteration limits: on tiny instances guided local search can
run out of new solutions and would never reach a solution limit on its own."""

_STATUS = {
    0: "not_solved", 1: "limit", 2: "limit", 3: "no_solution", 4: "time_limit",
    5: "invalid_model", 6: "infeasible", 7: "optimal",
}


def _stop_reason(status: int, elapsed: float, time_limit_s: float | None) -> str:
    reason = _STATUS.get(status, "unknown")
    if reason != "limit":
        return reason
    timed_out = time_limit_s is not None and elapsed >= 0.98 * time_limit_s
    return "time_limit" if timed_out else "iteration_limit"


class _Model:
    """Builds the OR-Tools model for one problem (all indices live here)."""

    def __init__(self, problem: RoutingProblem, data: IntegerProblem) -> None:
        self.problem, self.data = problem, data
        self.vtype = [t for t, v in enumerate(problem.vehicle_types) for _ in range(v.count)]
        starts = [problem.vehicle_types[t].start_depot for t in self.vtype]
        ends = [problem.vehicle_types[t].end_depot for t in self.vtype]
        self.manager = pywrapcp.RoutingIndexManager(problem.num_locations, len(self.vtype),
                                                    starts, ends)
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.horizon = int(max(*data.depot_late, *data.tw_late, 1))

    # -- helpers -----------------------------------------------------------------
    def _client_index(self, client: int) -> int:
        return self.manager.NodeToIndex(self.problem.location(client))

    def _per_client(self, values: Sequence[int]) -> list[int]:
        return [0] * len(self.problem.depots) + [int(v) for v in values]

    def _matrix(self, arr: np.ndarray) -> int:
        return self.routing.RegisterTransitMatrix(arr.tolist())

    def _vehicle_profiles(self) -> list[int]:
        return [self.problem.vehicle_types[t].profile for t in self.vtype]

    # -- model parts -------------------------------------------------------------
    def add_costs(self) -> None:
        cache: dict[tuple[int, int], int] = {}
        for v, t in enumerate(self.vtype):
            key = (self.problem.vehicle_types[t].profile, self.data.unit_cost[t])
            if key not in cache:
                cache[key] = self._matrix(self.data.distance[key[0]] * key[1])
            self.routing.SetArcCostEvaluatorOfVehicle(cache[key], v)
            self.routing.SetFixedCostOfVehicle(self.data.fixed_cost[t], v)

    def _time_transits(self) -> list[int]:
        service = np.array(self._per_client(self.data.service), dtype=np.int64)
        per_profile = {p: self._matrix(self.data.duration[p] + service[:, None])
                       for p in set(self._vehicle_profiles())}
        return [per_profile[p] for p in self._vehicle_profiles()]

    def add_time(self) -> pywrapcp.RoutingDimension:
        self.time_transits = self._time_transits()
        self.routing.AddDimensionWithVehicleTransits(self.time_transits, self.horizon,
                                                     self.horizon, False, "time")
        dim = self.routing.GetDimensionOrDie("time")
        for c in range(len(self.problem.clients)):
            dim.CumulVar(self._client_index(c)).SetRange(self.data.tw_early[c],
                                                         self.data.tw_late[c])
        for v, t in enumerate(self.vtype):
            self._bound_depots(dim, v, t)
            self.routing.AddVariableMaximizedByFinalizer(dim.CumulVar(self.routing.Start(v)))
            self.routing.AddVariableMinimizedByFinalizer(dim.CumulVar(self.routing.End(v)))
        return dim

    def _bound_depots(self, dim: pywrapcp.RoutingDimension, v: int, t: int) -> None:
        vt = self.problem.vehicle_types[t]
        for index, depot in ((self.routing.Start(v), vt.start_depot),
                             (self.routing.End(v), vt.end_depot)):
            late = min(self.data.depot_late[depot], self.horizon)
            dim.CumulVar(index).SetRange(min(self.data.depot_early[depot], late), late)
        if self.data.max_duration[t] < self.horizon:
            dim.SetSpanUpperBoundForVehicle(self.data.max_duration[t], v)

    def add_loads(self) -> None:
        caps = [self.data.capacity[t] for t in self.vtype]
        delivery = self._add_unary("delivery", self.data.delivery, caps, True)
        if not any(self.data.pickup):
            return
        pickup = self._add_unary("pickup", self.data.pickup, caps, True)
        net = [p - d for p, d in zip(self.data.pickup, self.data.delivery, strict=True)]
        onboard = self._add_unary("onboard", net, caps, False)
        solver = self.routing.solver()
        for v in range(len(self.vtype)):
            start, end = self.routing.Start(v), self.routing.End(v)
            solver.Add(onboard.CumulVar(start) == delivery.CumulVar(end))
            solver.Add(pickup.CumulVar(end) <= caps[v])

    def _add_unary(self, name: str, values: Sequence[int], caps: list[int],
                   zero_start: bool) -> pywrapcp.RoutingDimension:
        callback = self.routing.RegisterUnaryTransitVector(self._per_client(values))
        self.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, zero_start, name)
        return self.routing.GetDimensionOrDie(name)

    def add_distance_limits(self) -> None:
        limits = [self.data.max_distance[t] for t in self.vtype]
        if all(lim >= 10**12 for lim in limits):
            return
        per_profile = {p: self._matrix(self.data.distance[p])
                       for p in set(self._vehicle_profiles())}
        transits = [per_profile[p] for p in self._vehicle_profiles()]
        self.routing.AddDimensionWithVehicleTransitAndCapacity(transits, 0, limits, True,
                                                               "distance")

    def add_ride_limits(self, time_dim: pywrapcp.RoutingDimension) -> None:
        limited = [c for c, r in enumerate(self.data.max_ride) if r is not None]
        if not limited:
            return
        self.routing.AddDimensionWithVehicleTransits(self.time_transits, self.horizon,
                                                     self.horizon, True, "ride")
        ride = self.routing.GetDimensionOrDie("ride")
        solver = self.routing.solver()
        for index in range(self.routing.Size()):
            if not self.routing.IsEnd(index):
                solver.Add(ride.SlackVar(index) == time_dim.SlackVar(index))
        for c in limited:
            ride.CumulVar(self._client_index(c)).SetMax(self.data.max_ride[c])

    def add_disjunctions(self) -> None:
        for c, client in enumerate(self.problem.clients):
            penalty = _REQUIRED_PENALTY if client.required else self.data.drop_penalty[c]
            self.routing.AddDisjunction([self._client_index(c)], penalty)

    def build(self) -> None:
        self.add_costs()
        time_dim = self.add_time()
        self.add_loads()
        self.add_distance_limits()
        self.add_ride_limits(time_dim)
        self.add_disjunctions()

    def sequences(self, assignment: pywrapcp.Assignment | None) -> list[tuple[int, list[int]]]:
        if assignment is None:
            return []
        n_depots, routes = len(self.problem.depots), []
        for v, t in enumerate(self.vtype):
            index, visits = assignment.Value(self.routing.NextVar(self.routing.Start(v))), []
            while not self.routing.IsEnd(index):
                visits.append(self.manager.IndexToNode(index) - n_depots)
                index = assignment.Value(self.routing.NextVar(index))
            routes.append((t, visits))
        return routes


def _search_parameters(time_limit_s: float | None, max_iterations: int | None):
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION)
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    if time_limit_s is not None:
        params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    if max_iterations is not None:
        params.solution_limit = max_iterations
    return params


def solve_ortools(problem: RoutingProblem, *, time_limit_s: float | None,
                  max_iterations: int | None, seed: int = 0
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
        Unused: the guided local search is deterministic.

    Returns
    -------
    tuple
        ``(sequences, stop_reason, solve_time_s)``; sequences are ``(vehicle type,
        clients in order)`` per vehicle (possibly empty).
    """
    del seed
    tic = time.perf_counter()
    model = _Model(problem, scale_problem(problem))
    model.build()
    params = _search_parameters(time_limit_s, max_iterations)
    if max_iterations is not None:
        solver = model.routing.solver()
        model.routing.AddSearchMonitor(
            solver.BranchesLimit(max_iterations * _BRANCHES_PER_ITERATION))
    assignment = model.routing.SolveWithParameters(params)
    elapsed = time.perf_counter() - tic
    reason = _stop_reason(model.routing.status(), elapsed, time_limit_s)
    return model.sequences(assignment), reason, elapsed
