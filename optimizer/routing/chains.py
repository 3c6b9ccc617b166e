"""Ejection chains: place a client where it fits only after one client moves on.

Plain ejection (:mod:`~optimizer.routing.eject`) empties a route only when every client
has a feasible insertion elsewhere. On tight windows a client often fits into a route
only in place of another client (Nagata & Bräysy's route minimisation; Lim & Zhang's
ejection chains): a depth-2 chain puts the client into route ``j`` without one of its
clients ``b``, and ``b`` into a third route ``k`` by a plain insertion.

Finding chains is kept fast by a necessary-conditions filter in O(1) per insertion
position (:class:`Slack`): earliest and latest service starts per visit (forward and
backward over the route) give the time-window feasibility of an insertion, and travel
without waiting a lower bound on the inserted client's ride. Only positions that pass
the filter are timed and checked exactly (the validator's route checks).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from optimizer.routing.problem import RoutingProblem
from optimizer.routing.schedule import time_route
from optimizer.routing.validate import route_violations

__all__ = ["ChainSearch", "Slack", "route_ok"]

CHAIN_TRIES = 40
"""Most exact checks of chains (first moves that passed) per client placed by a chain."""
SLACK_MIN = 0.01
"""Margin of the filters (minutes): wider than the validator's tolerance (1e-6 relative)
on any time below 10,000 minutes, so a filter never rejects what the exact check accepts."""
Sequences = list[tuple[int, list[int]]]


def route_ok(problem: RoutingProblem, vt: int, visits: Sequence[int]) -> bool:
    """Whether ``visits`` driven by vehicle type ``vt`` passes the validator's route checks
    (loads, windows, ride, duration and distance limits, depot hours)."""
    return not any(route_violations(problem, 0, time_route(problem, vt, visits)))


@dataclass(frozen=True)
class Slack:
    """Forward and backward times of a route (minutes), for O(1) insertion filters.

    ``ready[p]`` is the earliest time the vehicle can leave the visit before position
    ``p`` (the start depot's opening for ``p = 0``), ``latest[p]`` the latest start of
    the visit at position ``p`` that keeps the rest of the route within its windows
    (the end depot's closing for ``p = n``), ``early[p]`` that visit's window opening
    (0 at the end), ``path[p]`` travel and service time from the depot to leaving the
    visit before ``p`` without waiting (a lower bound on the ride there); ``load`` in
    units, ``km`` the route's length.
    """

    prev: np.ndarray
    nxt: np.ndarray
    ready: np.ndarray
    latest: np.ndarray
    early: np.ndarray
    path: np.ndarray
    load: float
    km: float


class ChainSearch:
    """Insertions and depth-2 ejection chains on one problem's routes.

    Route times and exact checks are remembered by route, so later passes over a plan
    that changed in a few routes cost little; :meth:`of` shares one search per problem.
    """

    _shared: weakref.WeakKeyDictionary[RoutingProblem, ChainSearch] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, problem: RoutingProblem) -> ChainSearch:
        """The search shared by every caller on ``problem`` (kept while it lives)."""
        if problem not in cls._shared:
            cls._shared[problem] = cls(problem)
        return cls._shared[problem]

    def __init__(self, problem: RoutingProblem) -> None:
        self.problem = problem
        cl = problem.clients
        self.e = np.array([c.tw_early for c in cl] or [0.0])
        self.l = np.array([c.tw_late for c in cl] or [0.0])
        self.s = np.array([c.service_min for c in cl] or [0.0])
        self.q = np.array([c.delivery for c in cl] or [0.0])
        self.ride = np.array([np.inf if c.max_ride_min is None else c.max_ride_min for c in cl])
        self._slacks: dict[tuple[int, tuple[int, ...]], Slack] = {}
        self._checked: dict[tuple[int, tuple[int, ...]], bool] = {}
        self._moves: dict[tuple[int, int, int, tuple[int, ...]], list] = {}
        self._plain: dict[tuple[int, int, tuple[int, ...]], list] = {}

    def feasible(self, vt: int, visits: Sequence[int]) -> bool:
        """:func:`route_ok`, remembered by route."""
        key = (vt, tuple(visits))
        if key not in self._checked:
            self._checked[key] = route_ok(self.problem, vt, visits)
        return self._checked[key]

    def slack(self, vt: int, visits: Sequence[int]) -> Slack:
        """The route's :class:`Slack` (cached by route)."""
        key = (vt, tuple(visits))
        if key not in self._slacks:
            self._slacks[key] = self._compute(vt, list(visits))
        return self._slacks[key]

    def _compute(self, vt: int, visits: list[int]) -> Slack:
        p = self.problem
        v = p.vehicle_types[vt]
        tt = p.duration[v.profile]
        locs = [p.location(c) for c in visits]
        t, free = p.depots[v.start_depot].tw_early, 0.0
        ready, path = [t], [free]
        before, after = [v.start_depot, *locs][: len(locs)], [*locs, v.end_depot][1:]
        for c, a, b in zip(visits, before, locs, strict=True):
            t = max(self.e[c], t + tt[a, b]) + self.s[c]
            free = free + tt[a, b] + self.s[c]
            ready.append(t)
            path.append(free)
        latest = [p.depots[v.end_depot].tw_late]
        for c, a, b in zip(visits[::-1], locs[::-1], after[::-1], strict=True):
            latest.append(min(self.l[c], latest[-1] - self.s[c] - tt[a, b]))
        return Slack(
            prev=np.array([v.start_depot, *locs]),
            nxt=np.array([*locs, v.end_depot]),
            ready=np.array(ready),
            latest=np.array(latest[::-1]),
            early=np.array([*self.e[visits], 0.0]) if visits else np.zeros(1),
            path=np.array(path),
            load=float(self.q[visits].sum()) if visits else 0.0,
            km=float(p.distance[v.profile][[v.start_depot, *locs], [*locs, v.end_depot]].sum()),
        )

    def positions(self, vt: int, visits: Sequence[int], client: int) -> tuple[np.ndarray, ...]:
        """``(positions, added km)`` of the insertions of ``client`` into the route that
        pass the O(1) filters (load, windows, the client's ride), cheapest first."""
        p = self.problem
        v = p.vehicle_types[vt]
        sl = self.slack(vt, visits)
        if sl.load + self.q[client] > v.capacity + 1e-9:
            return np.empty(0, dtype=int), np.empty(0)
        at = p.location(client)
        tt, dist = p.duration[v.profile], p.distance[v.profile]
        start = np.maximum(sl.ready + tt[sl.prev, at], self.e[client])
        leave = start + self.s[client]
        ok = (start <= self.l[client] + SLACK_MIN) & (
            np.maximum(leave + tt[at, sl.nxt], sl.early) <= sl.latest + SLACK_MIN
        )
        ok &= sl.path + tt[sl.prev, at] <= self.ride[client] + SLACK_MIN
        km = dist[sl.prev, at] + dist[at, sl.nxt] - dist[sl.prev, sl.nxt]
        where = np.flatnonzero(ok)
        order = np.argsort(km[where], kind="stable")
        return where[order], km[where][order]

    def insertion(
        self, routes: Sequences, client: int, targets: Sequence[int]
    ) -> tuple[float, int, list[int]] | None:
        """Cheapest feasible plain insertion of ``client`` into a route of ``targets``:
        ``(added cost, route index, new visits)``, or ``None``."""
        options = []
        for j in targets:
            vt, visits = routes[j]
            options += [(cost, j, q) for cost, q in self._inserts(vt, visits, client)]
        for cost, j, q in sorted(options):
            vt, visits = routes[j]
            new = [*visits[:q], client, *visits[q:]]
            if self.feasible(vt, new):
                return cost, j, new
        return None

    def chain(
        self,
        routes: Sequences,
        client: int,
        targets: Sequence[int],
        onward: dict[int, list[int]],
    ) -> tuple[float, list[tuple[int, list[int]]]] | None:
        """Cheapest depth-2 chain found for ``client``: into route ``j`` of ``targets``
        without one of its clients ``b``, and ``b`` into a route of ``onward[j]`` (a
        plain insertion). ``(added cost, [(j, new visits), (k, new visits)])`` or
        ``None``; at most :data:`CHAIN_TRIES` first moves are followed."""
        first = self._first_moves(routes, client, targets)
        best = None
        for cost, j, (b,), rest, q in first[:CHAIN_TRIES]:
            if best is not None and cost >= best[0]:
                break
            vt = routes[j][0]
            seq = [*rest[:q], client, *rest[q:]]
            if not self.feasible(vt, seq):
                continue
            found = self.insertion(routes, b, [k for k in onward[j] if k != j])
            if found is not None and (best is None or cost + found[0] < best[0]):
                best = (cost + found[0], [(j, seq), (found[1], found[2])])
        return best

    def bump(
        self, routes: Sequences, client: int, targets: Sequence[int], counts: dict[int, int]
    ) -> tuple[int, list[int], tuple[int, ...]] | None:
        """Put ``client`` into a route of ``targets`` in place of one of its clients, else
        of two consecutive ones (the route feasible without them): the least often bumped
        (``counts``), then the cheapest. ``(route index, new visits, bumped)`` or ``None``."""
        for width in (1, 2):
            first = self._first_moves(routes, client, targets, width)
            first.sort(key=lambda f: sum(counts.get(b, 0) for b in f[2]))
            for _, j, bumped, rest, q in first[:CHAIN_TRIES]:
                seq = [*rest[:q], client, *rest[q:]]
                if self.feasible(routes[j][0], seq):
                    return j, seq, bumped
        return None

    def _first_moves(
        self, routes: Sequences, client: int, targets: Sequence[int], width: int = 1
    ) -> list[tuple[float, int, tuple[int, ...], list[int], int]]:
        """Every ``(added cost, route j, removed clients, j without them, position)`` where
        ``client`` passes the filters in route ``j`` without ``width`` consecutive
        clients, cheapest first."""
        first = [
            (cost, j, *move)
            for j in targets
            for cost, *move in self._swaps(routes[j], client, width)
        ]
        first.sort(key=lambda f: f[0])
        return first

    def _inserts(self, vt: int, visits: list[int], client: int) -> list[tuple[float, int]]:
        """``(added cost, position)`` of the insertions that pass the filters (remembered)."""
        key = (client, vt, tuple(visits))
        if key not in self._plain:
            pos, km = self.positions(vt, visits, client)
            rate = self.problem.vehicle_types[vt].cost_per_km
            self._plain[key] = [(float(rate * k), int(q)) for q, k in zip(pos, km, strict=True)]
        return self._plain[key]

    def _swaps(
        self, route: tuple[int, list[int]], client: int, width: int
    ) -> list[tuple[float, tuple[int, ...], list[int], int]]:
        """``(added cost, removed, route without them, position)`` of ``client`` into the
        route in place of each run of ``width`` consecutive clients (filters passed;
        remembered by route)."""
        vt, visits = route
        key = (client, width, vt, tuple(visits))
        if key not in self._moves:
            rate = self.problem.vehicle_types[vt].cost_per_km
            out = []
            for i in range(len(visits) - width + 1):
                rest = visits[:i] + visits[i + width :]
                saved = self.slack(vt, visits).km - self.slack(vt, rest).km
                pos, km = self.positions(vt, rest, client)
                gone = tuple(visits[i : i + width])
                out += [
                    (rate * (k - saved), gone, rest, int(q)) for q, k in zip(pos, km, strict=True)
                ]
            self._moves[key] = out
        return self._moves[key]

    def km(self, vt: int, visits: Sequence[int]) -> float:
        """Length of the route (km)."""
        return self.slack(vt, visits).km
