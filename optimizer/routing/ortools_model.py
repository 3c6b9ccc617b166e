"""OR-Tools model of a :class:`RoutingProblem` (with :mod:`~.ortools_adapter` and
:mod:`~.ortools_ride`, the only modules that touch ``RoutingIndexManager`` /
``RoutingModel``).

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
- ride time: a ``ride_span`` dimension whose span is the last client's ride time plus
  a constant, which every search checks, and where that is not exact a ``ride``
  dimension tied to the time dimension (:mod:`~optimizer.routing.ortools_ride`);
- optional clients are in a disjunction with their drop penalty. Required clients are
  either mandatory (``soft_required=False``: a faster search, but no plan at all when
  they cannot all be served) or in a disjunction with a penalty larger than any plan
  (``soft_required=True``: OR-Tools always returns a plan; a dropped required client
  then makes it infeasible for the validator).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.constraint_solver import pywrapcp

from optimizer.routing.ortools_ride import add_ride_limits
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.scaling import IntegerProblem, scale_problem

__all__ = ["OrToolsModel"]

_REQUIRED_PENALTY = 10**17
"""Penalty (micro-yuan) for dropping a required client: beyond any feasible objective."""


class OrToolsModel:
    """Builds the OR-Tools model for one problem (all indices live here)."""

    def __init__(self, problem: RoutingProblem, data: IntegerProblem | None = None) -> None:
        data = scale_problem(problem) if data is None else data
        self.problem, self.data = problem, data
        self.vtype = [t for t, v in enumerate(problem.vehicle_types) for _ in range(v.count)]
        starts = [problem.vehicle_types[t].start_depot for t in self.vtype]
        ends = [problem.vehicle_types[t].end_depot for t in self.vtype]
        self.manager = pywrapcp.RoutingIndexManager(
            problem.num_locations, len(self.vtype), starts, ends
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.horizon = int(max(*data.depot_late, *data.tw_late, 1))
        self.ride_exact = True
        """Whether every search checks the ride limits exactly (set by :meth:`build`)."""

    # -- helpers -----------------------------------------------------------------
    def client_index(self, client: int) -> int:
        """Routing index of a client (0-based client number)."""
        return self.manager.NodeToIndex(self.problem.location(client))

    def per_client(self, values: Sequence[int]) -> list[int]:
        """Per-client values extended to every location (0 at depots)."""
        return [0] * len(self.problem.depots) + [int(v) for v in values]

    def _matrix(self, arr: np.ndarray) -> int:
        return self.routing.RegisterTransitMatrix(arr.tolist())

    def vehicle_profiles(self) -> list[int]:
        """Travel profile of each OR-Tools vehicle."""
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
        service = np.array(self.per_client(self.data.service), dtype=np.int64)
        per_profile = {
            p: self._matrix(self.data.duration[p] + service[:, None])
            for p in set(self.vehicle_profiles())
        }
        return [per_profile[p] for p in self.vehicle_profiles()]

    def add_time(self) -> pywrapcp.RoutingDimension:
        self.time_transits = self._time_transits()
        self.routing.AddDimensionWithVehicleTransits(
            self.time_transits, self.horizon, self.horizon, False, "time"
        )
        dim = self.routing.GetDimensionOrDie("time")
        for c in range(len(self.problem.clients)):
            dim.CumulVar(self.client_index(c)).SetRange(self.data.tw_early[c], self.data.tw_late[c])
        for v, t in enumerate(self.vtype):
            self._bound_depots(dim, v, t)
            self.routing.AddVariableMaximizedByFinalizer(dim.CumulVar(self.routing.Start(v)))
            self.routing.AddVariableMinimizedByFinalizer(dim.CumulVar(self.routing.End(v)))
        return dim

    def _bound_depots(self, dim: pywrapcp.RoutingDimension, v: int, t: int) -> None:
        vt = self.problem.vehicle_types[t]
        for index, depot in (
            (self.routing.Start(v), vt.start_depot),
            (self.routing.End(v), vt.end_depot),
        ):
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

    def _add_unary(
        self, name: str, values: Sequence[int], caps: list[int], zero_start: bool
    ) -> pywrapcp.RoutingDimension:
        callback = self.routing.RegisterUnaryTransitVector(self.per_client(values))
        self.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, zero_start, name)
        return self.routing.GetDimensionOrDie(name)

    def add_distance_limits(self) -> None:
        limits = [self.data.max_distance[t] for t in self.vtype]
        if all(lim >= 10**12 for lim in limits):
            return
        per_profile = {p: self._matrix(self.data.distance[p]) for p in set(self.vehicle_profiles())}
        transits = [per_profile[p] for p in self.vehicle_profiles()]
        self.routing.AddDimensionWithVehicleTransitAndCapacity(
            transits, 0, limits, True, "distance"
        )

    def add_disjunctions(self, soft_required: bool) -> None:
        for c, client in enumerate(self.problem.clients):
            if client.required and not soft_required:
                continue
            penalty = _REQUIRED_PENALTY if client.required else self.data.drop_penalty[c]
            self.routing.AddDisjunction([self.client_index(c)], penalty)

    def build(self, soft_required: bool = True) -> OrToolsModel:
        """Add costs, dimensions and disjunctions; returns ``self``."""
        self.add_costs()
        time_dim = self.add_time()
        self.add_loads()
        self.add_distance_limits()
        self.ride_exact = add_ride_limits(self, time_dim)
        self.add_disjunctions(soft_required)
        return self

    def mean_arc_cost(self) -> float:
        """Mean cost of an arc between two locations over the vehicles (micro-yuan)."""
        costs = [
            self.data.distance[self.problem.vehicle_types[t].profile].mean()
            * self.data.unit_cost[t]
            for t in self.vtype
        ]
        return float(np.mean(costs)) if costs else 0.0

    def index_routes(self, sequences: Sequence[tuple[int, Sequence[int]]]) -> list[list[int]]:
        """Routing indices per vehicle for ``(vehicle type, clients)`` sequences.

        Sequences of a type fill that type's vehicles in order; extra sequences (more
        routes than vehicles) are left out, so their clients start unperformed.
        """
        free = {t: [v for v, vt in enumerate(self.vtype) if vt == t] for t in set(self.vtype)}
        routes: list[list[int]] = [[] for _ in self.vtype]
        for t, visits in sequences:
            if visits and free.get(t):
                routes[free[t].pop(0)] = [self.client_index(c) for c in visits]
        return routes

    def sequences(self, assignment: pywrapcp.Assignment | None) -> list[tuple[int, list[int]]]:
        """``(vehicle type, clients in order)`` per vehicle of an assignment (may be empty)."""
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
