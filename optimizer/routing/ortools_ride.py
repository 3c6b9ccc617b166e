"""Ride-time limits in the OR-Tools model, in a form every search of OR-Tools checks.

A client's ride time is the time from the van's departure to the start of service
there (``Client.max_ride_min``). Two dimensions model it (integer seconds):

- ``ride_span`` (always): a copy of the ``time`` dimension (same transits, client
  windows and start-depot opening) whose arcs *into the end depot* take
  ``H - R[k]`` instead of service plus the way back (``R`` the limit of the route's
  last client ``k``, ``H`` the model horizon; ``0`` without a limit), with every
  vehicle's span capped at ``H``. Its span is then ``start(k) - departure + H - R[k]``,
  within ``H`` exactly when the last client is reached within its limit, waiting
  included. Spans and cumul windows are what OR-Tools' local-search filters check, so
  every search sees the limit: guided local search's moves, the first-solution
  heuristics and iterated local search's ruin-and-recreate steps alike.
- ``ride`` (only when the last client's limit does not imply the earlier ones',
  :func:`~optimizer.routing.ride.last_limit_binds`): cumul fixed to 0 at the start,
  slacks tied to the ``time`` dimension's (``ride(i) = time(i) - departure``), each
  client's cumul capped by its own limit. The tie is a constraint of the solver, which
  local-search filters do not see: OR-Tools checks it when it commits a move, but
  iterated local search (ILS) commits a ruin-and-recreate step built with the filters
  alone. That is how ILS once returned a plan 1.1 min over a ride limit (blood-5,
  OR-Tools 9.15; its ``RuinAndRecreateDecisionBuilder`` restores the recreated routes
  without running the finalizer that would assign, and so check, the slacks). The
  first-solution heuristics build with filters too: on a 40-hospital instance with a
  70-min limit parallel savings found no plan at all with the tie alone.

When ``ride_span`` is exact (one shared limit, or limits that cannot bind out of
order, and end depots that do not close on the clients), it is the only ride
dimension: the two ``time``-like dimensions may then schedule a route differently,
but a later departure never lengthens a ride nor a route, so both hold for the later
of their two departures.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from ortools.constraint_solver import pywrapcp

from optimizer.routing.problem import RoutingProblem
from optimizer.routing.ride import last_limit_binds
from optimizer.routing.scaling import scale_problem

if TYPE_CHECKING:  # the model calls this module while it builds itself
    from optimizer.routing.ortools_model import OrToolsModel

__all__ = ["add_ride_limits", "ride_checked_by_filters"]


def _span_matrix(model: OrToolsModel, profile: int) -> list[list[int]]:
    """Transit of ``ride_span`` (seconds): service + travel, ``H - R[k]`` into depots."""
    data, n_depots = model.data, len(model.problem.depots)
    service = np.array(model.per_client(data.service), dtype=np.int64)
    transit = data.duration[profile] + service[:, None]
    limit = np.array(
        [model.horizon] * n_depots + [model.horizon if r is None else r for r in data.max_ride],
        dtype=np.int64,
    )
    # a depot column is only ever an arc into an end depot (starts have no predecessor)
    transit[:, :n_depots] = np.maximum(0, model.horizon - limit)[:, None]
    return transit.tolist()


def _add_span_dimension(model: OrToolsModel) -> None:
    routing, horizon = model.routing, model.horizon
    per_profile = {
        p: routing.RegisterTransitMatrix(_span_matrix(model, p))
        for p in set(model.vehicle_profiles())
    }
    transits = [per_profile[p] for p in model.vehicle_profiles()]
    routing.AddDimensionWithVehicleTransits(transits, horizon, 2 * horizon, False, "ride_span")
    dim = routing.GetDimensionOrDie("ride_span")
    for c in range(len(model.problem.clients)):
        dim.CumulVar(model.client_index(c)).SetRange(model.data.tw_early[c], model.data.tw_late[c])
    for v, t in enumerate(model.vtype):
        depot = model.problem.vehicle_types[t].start_depot
        late = min(model.data.depot_late[depot], horizon)
        start = routing.Start(v)
        dim.CumulVar(start).SetRange(min(model.data.depot_early[depot], late), late)
        dim.SetSpanUpperBoundForVehicle(horizon, v)
        routing.AddVariableMaximizedByFinalizer(dim.CumulVar(start))
        routing.AddVariableMinimizedByFinalizer(dim.CumulVar(routing.End(v)))


def _add_tied_dimension(model: OrToolsModel, time_dim: pywrapcp.RoutingDimension) -> None:
    routing, horizon = model.routing, model.horizon
    routing.AddDimensionWithVehicleTransits(model.time_transits, horizon, horizon, True, "ride")
    ride = routing.GetDimensionOrDie("ride")
    solver = routing.solver()
    for index in range(routing.Size()):
        if not routing.IsEnd(index):
            solver.Add(ride.SlackVar(index) == time_dim.SlackVar(index))
    for c, limit in enumerate(model.data.max_ride):
        if limit is not None:
            ride.CumulVar(model.client_index(c)).SetMax(limit)


@lru_cache(maxsize=4)
def ride_checked_by_filters(problem: RoutingProblem) -> bool:
    """Whether every OR-Tools search of ``problem`` checks its ride limits exactly
    (``ride_span`` alone models them), also ``True`` without any ride limit. Cached by
    problem identity: the check costs a shortest-path pass (about 1 s for 1,000
    clients) and every model built for a solve asks it."""
    if all(c.max_ride_min is None for c in problem.clients):
        return True
    return last_limit_binds(problem, scale_problem(problem))


def add_ride_limits(model: OrToolsModel, time_dim: pywrapcp.RoutingDimension) -> bool:
    """Add the ride dimensions to ``model`` (after its ``time`` dimension).

    Returns
    -------
    bool
        ``True`` when every OR-Tools search checks the limits exactly (``ride_span``
        alone is exact), ``False`` when the tied ``ride`` dimension was needed too:
        iterated local search may then return a plan that breaks an earlier client's
        limit (the validator reports it). ``True`` also without any limit.
    """
    if all(r is None for r in model.data.max_ride):
        return True
    _add_span_dimension(model)
    if ride_checked_by_filters(model.problem):
        return True
    _add_tied_dimension(model, time_dim)
    return False
