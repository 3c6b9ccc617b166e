"""Ride-time limits as a route duration: the end-depot encoding PyVRP solves exactly.

A client's ride time is the time from the vehicle's departure to the start of service
there (``Client.max_ride_min``). PyVRP has no such constraint, but it limits route
*duration* (``shift_duration``) and lets routes end at a depot of their own. Route
``t``'s vehicles therefore end at an extra *end depot* that is as far, in distance,
as the real end depot (so driving costs and distance limits stay exact), and, in
time, ``to_end[k] = L - R[k] - s[k]`` away from client ``k`` (``R`` the ride limit,
``s`` the service time, ``L = max(R + s)``). With ``shift_duration = L``, a route's
duration ``start(last) - departure + s(last) + to_end(last)`` is within ``L`` exactly
when ``start(last) - departure <= R(last)``: the **last** client's ride limit.

The encoding is **exact** (PyVRP's feasible routes are exactly the problem's) when:

- Earlier clients are covered: ``R[j] - SP[k, j] <= R[k]`` for all clients ``k != j``,
  where ``SP[k, j]`` is the shortest time from the start of service at ``k`` to the
  start of service at ``j`` through any clients. Then a route's last ride limit implies
  the others (every client on a route starts at least ``SP`` before a later one). One
  shared limit satisfies this.
- The route's own duration limit ``D`` and the end depot's closing time ``close``
  only bind on the last client. They are folded in: ``R[k] <= D - G[k]`` with
  ``G[k] = s[k] + travel(k, end)``, and client ``k``'s latest start becomes
  ``close - G[k]``; both are exact when going straight back is never slower than
  going back through another client (checked as above, with ``SP``).
- Vehicle types that share clients agree on those latest starts (client windows are
  shared by all types in PyVRP).

Otherwise :func:`ride_encoding` still returns an encoding, marked ``exact=False``, in
two versions. ``types`` tightens the limits (``R'[j] = min_k R[k] + SP[k, j]``) so that
every route PyVRP accepts is feasible; it may miss better routes. ``relaxed`` keeps each
client's own limit, so only the last client of a route is held to it: PyVRP may then
return routes that break an earlier client's limit, which
:func:`optimizer.routing.repair.drop_ride_violations` removes. :func:`optimizer.routing.
solve.solve` uses both only to warm-start the OR-Tools engine, which models ride limits
directly (a ``ride`` dimension), and keeps the best plan.

All quantities here are integers from :mod:`optimizer.routing.scaling` (seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from optimizer.routing.problem import RoutingProblem
from optimizer.routing.scaling import UNBOUNDED, IntegerProblem, scale_problem

__all__ = ["RideEncoding", "TypeEncoding", "encode", "last_limit_binds", "ride_encoding"]


@dataclass(frozen=True, eq=False)
class TypeEncoding:
    """The end-depot encoding of one vehicle type (integer seconds).

    Parameters
    ----------
    shift
        PyVRP ``shift_duration`` of the type: ``L = max(R + s)``.
    to_end
        Travel time from each client to the type's extra end depot, ``L - R - s``.
    """

    shift: int
    to_end: NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class RideEncoding:
    """Ride limits of a problem in PyVRP's terms.

    Parameters
    ----------
    exact
        ``True`` if PyVRP's feasible routes are exactly the problem's.
    reason
        Why the encoding is not exact (empty when it is).
    tw_late
        Latest start at each client (seconds), closing times of end depots folded in.
    types
        Encoding per vehicle type index, for the types with a count > 0 and some limit
        (the others keep their real end depot): exact, or tightened when not exact.
    relaxed
        The same with each client's own limit, untightened: only the last client of a
        route is held to its limit, so plans may break an earlier client's (clients
        without a limit get twice the largest one; equal to ``types`` when exact).
    """

    exact: bool
    reason: str
    tw_late: tuple[int, ...]
    types: dict[int, TypeEncoding]
    relaxed: dict[int, TypeEncoding]


_NOT_IMPLIED = (
    "a later client's ride limit does not imply an earlier one's (limits that differ, "
    "or clients without one)"
)
_CLOSING = "a depot closing time binds on clients that are not last on every route"
_DISAGREE = "their end depots close at times that shift client windows differently"


def _service_paths(data: IntegerProblem, profile: int, n_depots: int) -> NDArray[np.float64]:
    """``SP[k, j]``: shortest service start to service start time from k to j (seconds)."""
    travel = data.duration[profile][n_depots:, n_depots:].astype(np.float64)
    sp = np.asarray(data.service, dtype=np.float64)[:, None] + travel
    np.fill_diagonal(sp, 0.0)
    for m in range(len(sp)):  # Floyd-Warshall, O(n^3): about 1 s for 1,000 clients
        np.minimum(sp, sp[:, m, None] + sp[None, m, :], out=sp)
    return sp


def _closed(limit: NDArray[np.float64], sp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Largest ``R' <= limit`` with ``R'[j] <= R'[k] + SP[k, j]``: ``min_k limit[k] + SP[k, j]``."""
    return np.min(limit[:, None] + sp, axis=0)


def _limits(problem: RoutingProblem, data: IntegerProblem, t: int) -> NDArray[np.float64]:
    """Ride limits of type ``t`` with its route duration limit folded in (inf: none)."""
    ride = np.array([np.inf if r is None else r for r in data.max_ride], dtype=np.float64)
    if data.max_duration[t] >= UNBOUNDED:
        return ride
    return np.minimum(ride, data.max_duration[t] - _to_depot(problem, data, t))


def _to_depot(problem: RoutingProblem, data: IntegerProblem, t: int) -> NDArray[np.float64]:
    """``G[k]``: service at k plus travel straight to type t's end depot (seconds)."""
    vt = problem.vehicle_types[t]
    n_depots = len(problem.depots)
    travel = data.duration[vt.profile][n_depots:, vt.end_depot].astype(np.float64)
    return np.asarray(data.service, dtype=np.float64) + travel


def _latest_starts(
    problem: RoutingProblem, data: IntegerProblem, t: int, sp: NDArray[np.float64]
) -> tuple[NDArray[np.float64], bool]:
    """Client latest starts with type t's end-depot closing folded in, and exactness."""
    window = np.asarray(data.tw_late, dtype=np.float64)
    close = data.depot_late[problem.vehicle_types[t].end_depot]
    if close >= UNBOUNDED:
        return window, True
    back = _to_depot(problem, data, t)
    latest = np.minimum(window, close - back)
    binding = latest < window
    # earlier clients must be implied: G[k] <= SP[k, j] + G[j] for every j
    implied = np.min(sp + back[None, :], axis=1) >= back
    return latest, bool(np.all(implied[binding]))


def _capped(limit: NDArray[np.float64], closed: NDArray[np.float64]) -> NDArray[np.float64]:
    """Own limits; a client without one gets twice the largest (tightened) limit."""
    return np.minimum(limit, 2 * np.max(closed))


def _type_encoding(limit: NDArray[np.float64], service: NDArray[np.float64]) -> TypeEncoding:
    shift = int(np.max(limit + service))
    to_end = (shift - limit - service).astype(np.int64)
    return TypeEncoding(shift=shift, to_end=to_end)


@lru_cache(maxsize=4)
def encode(problem: RoutingProblem) -> RideEncoding | None:
    """:func:`ride_encoding` of ``problem`` in its integer units, cached (by identity)."""
    return ride_encoding(problem, scale_problem(problem))


def ride_encoding(problem: RoutingProblem, data: IntegerProblem) -> RideEncoding | None:
    """Encode the problem's ride limits as PyVRP route durations.

    Parameters
    ----------
    problem
        The problem (float units).
    data
        The same problem in integer units (:func:`~optimizer.routing.scaling.scale_problem`).

    Returns
    -------
    RideEncoding or None
        ``None`` when no client has a ride limit (PyVRP models the problem as is).
    """
    if all(r is None for r in data.max_ride) or not problem.clients:
        return None
    active = [t for t, vt in enumerate(problem.vehicle_types) if vt.count > 0]
    service = np.asarray(data.service, dtype=np.float64)
    reasons: dict[str, list[int]] = {}
    types, relaxed, latest, paths = {}, {}, [], {}
    for t in active:
        profile = problem.vehicle_types[t].profile
        if profile not in paths:
            paths[profile] = _service_paths(data, profile, len(problem.depots))
        sp = paths[profile]
        limit = _limits(problem, data, t)
        closed = _closed(limit, sp)
        if not np.array_equal(closed, limit):
            reasons.setdefault(_NOT_IMPLIED, []).append(t)
        starts, implied = _latest_starts(problem, data, t, sp)
        if not implied:
            reasons.setdefault(_CLOSING, []).append(t)
        if np.all(np.isfinite(closed)):
            types[t] = _type_encoding(closed, service)
            relaxed[t] = _type_encoding(_capped(limit, closed), service)
        latest.append(starts)
    tw_late = np.min(latest, axis=0) if latest else np.asarray(data.tw_late, dtype=np.float64)
    if any(not np.array_equal(s, tw_late) for s in latest):
        reasons.setdefault(_DISAGREE, []).extend(active)
    return RideEncoding(
        exact=not reasons,
        reason="; ".join(f"vehicle types {ts}: {why}" for why, ts in reasons.items()),
        tw_late=tuple(int(v) for v in tw_late),
        types=types,
        relaxed=relaxed,
    )


def last_limit_binds(problem: RoutingProblem, data: IntegerProblem) -> bool:
    """Whether a route's last client's ride limit implies every earlier client's, with no
    end depot closing early enough to bind on a client (integer units, seconds).

    This is the exactness condition of the encoding above *without* folding route
    duration limits and closing times into the limits: the OR-Tools model keeps those
    in its ``time`` dimension and checks only the last client's limit in a dimension of
    its own (:mod:`~optimizer.routing.ortools_ride`). The two schedules then agree: a
    later departure never lengthens a ride nor the route's duration, so the only way
    they could not be one schedule is an end depot that closes before a van leaving
    late enough for its rides could get back, which is ruled out here.
    """
    limit = np.array([np.inf if r is None else r for r in data.max_ride], dtype=np.float64)
    n_depots, service = len(problem.depots), np.asarray(data.service, dtype=np.float64)
    late = np.asarray(data.tw_late, dtype=np.float64)
    paths: dict[int, NDArray[np.float64]] = {}
    for vt in problem.vehicle_types:
        if vt.count == 0:
            continue
        if vt.profile not in paths:
            paths[vt.profile] = _service_paths(data, vt.profile, n_depots)
        if not np.array_equal(_closed(limit, paths[vt.profile]), limit):
            return False
        back = late + service + data.duration[vt.profile][n_depots:, vt.end_depot]
        if data.depot_late[vt.end_depot] < np.max(back, initial=0):
            return False
    return True
