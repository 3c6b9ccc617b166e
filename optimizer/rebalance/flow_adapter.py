"""The rebalancing model as a min-cost network flow (OR-Tools ``SimpleMinCostFlow``).

Without the fixed-charge parts (a cost per shipment, a smallest shipment, a most number
of shipments) the model of :mod:`optimizer.rebalance.cpsat_adapter` is a pure network
flow, and this solves it exactly in milliseconds. Those three need a yes/no "link used"
decision that no flow can express: they stay with CP-SAT, or are enforced afterwards by
:mod:`optimizer.rebalance.fixed_charge`.

Network, per item (items never meet: one small flow each), costs in yuan × ``SCALE`` (as CP-SAT):

- ``P[i,b]`` supplies station i's units of bucket b that may leave
  (``spare_by_bucket``); ``C[i,b]`` supplies the rest (its freshest safety stock).
  ``P[i,b] -> C[i,b]`` keeps a unit at home; ``P[i,b] -> C[j,b]`` ships it over a usable
  link at ``unit_cost[i, j]``.
- ``C[j,b] -> C[j,b-1]``: a unit good until day ``t_b`` is also good until ``t_{b-1}``.
  ``C[j,k] -> Y[j]`` with capacity ``usable_u[k] - usable_u[k-1]``: used by demand before
  bucket k expires. What demand cannot reach in time expires: ``C[j,0] -> sink`` at the
  outdate penalty if it expires within the horizon, ``C[j,h] -> Y[j]`` at the outdate
  penalty if later (h = ``horizon_buckets``).
- ``Y[j] -> sink``: every unit that does not expire within the horizon counts towards the
  end stock E = (units through Y) - horizon demand. Three parallel arcs price it: the
  first ``safety + horizon demand`` units earn the shortage + safety penalties, the next
  ``target - safety`` the shortage penalty, the rest nothing: exactly the convex penalties
  on E of the CP-SAT model.

Why this equals the CP-SAT objective: for fixed stock, the cheapest routing expires at
least the FEFO outdating ``O_last`` overall and ``O_{h-1}`` within the horizon
(:mod:`optimizer.rebalance.fefo`; Hall's condition on the nested "usable before" sets), and
the FEFO issue reaches both at once. Proven on random instances in the tests.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from optimizer.rebalance.fefo import end_stock, outdated_cumulative
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["solve_flow", "worth_solving"]

SCALE = 100
"""Costs are yuan × SCALE (fen), rounded to integers: the same rounding as CP-SAT."""


def _fen(yuan: float | NDArray) -> NDArray[np.int64]:
    return np.rint(np.asarray(yuan, dtype=float) * SCALE).astype(np.int64)


def _arcs(k: int, parts: list[tuple]) -> NDArray[np.int64]:
    """Arcs ``(k, m, 4)``: (tail, head, capacity, cost) for every item, from parts given as
    (tail, head, capacity, cost) arrays with a leading item axis (of 1 or ``k``) or scalars."""
    out = []
    for part in parts:
        shape = np.broadcast_shapes(*(np.shape(x) for x in part))
        shape = (k, *shape[1:])
        cols = [np.broadcast_to(np.asarray(x, dtype=np.int64), shape) for x in part]
        out.append(np.stack([c.reshape(k, -1) for c in cols], axis=2))
    return np.concatenate(out, axis=1)


@lru_cache(maxsize=4)
def _station_arcs(p: RebalancingProblem) -> NDArray[np.int64]:
    """Every item's arcs but the ship arcs, ``(k, m, 4)``; node numbering per item:
    ``P[i,b] = i*b + b``, ``C[i,b] = n*b + P[i,b]``, ``Y[i] = 2*n*b + i``, sink last."""
    n, k, b = p.shape
    pn = np.arange(n * b).reshape(n, b)
    cn, yn, sink = n * b + pn, 2 * n * b + np.arange(n), 2 * n * b + n
    big = p.on_hand.sum(axis=(0, 2))[:, None, None]  # (k, 1, 1)
    safety, target, horizon = (x.T for x in (p.safety_u, p.target_u, p.horizon_u))  # (k, n)
    short, safe, outdate = (
        int(_fen(x)) for x in (p.shortage_penalty, p.safety_penalty, p.outdate_penalty)
    )
    slots = np.diff(p.usable_u, axis=2, prepend=0).transpose(1, 0, 2)  # (k, n, b)
    parts = [
        (pn[None], cn[None], big, 0),  # keep at home
        (cn[None], yn[None, :, None], slots, 0),  # used by demand in time
        (yn[None], sink, safety + horizon, -(short + safe)),
        (yn[None], sink, target - safety, -short),
        (yn[None], sink, big[:, :, 0], 0),
    ]
    if b > 1:
        parts.append((cn[None, :, 1:], cn[None, :, :-1], big, 0))  # good longer: good sooner
    h = p.horizon_buckets
    if h < b:
        parts.append((cn[None, :, h], yn[None], big[:, :, 0], outdate))  # expires later
    if h > 0:
        parts.append((cn[None, :, 0], sink, big[:, :, 0], outdate))  # expires in the horizon
    arcs = _arcs(k, parts)
    arcs.flags.writeable = False
    return arcs


def solve_flow(
    problem: RebalancingProblem,
    links: NDArray[np.bool_] | None = None,
    unit_cost: NDArray[np.float64] | None = None,
    items: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """Cheapest moves ``[from, to, item, bucket]`` (U) ignoring the fixed-charge parts.

    Items never meet, so each item is one small flow. An item is skipped (no moves) when
    nothing of it may leave, or when no station would end the horizon below target or see
    units expire: then any move only adds cost.

    Parameters
    ----------
    problem
        The rebalancing problem; ``ship_cost``, ``min_transfer_u`` are not seen here.
    links
        Links that may be used, shape ``(n, n)`` (default ``problem.links``); must be a
        subset of ``problem.links``.
    unit_cost
        Cost per unit moved (yuan/U), shape ``(n, n)``, instead of ``problem.unit_cost``
        (e.g. with a share of the shipment cost, :mod:`optimizer.rebalance.fixed_charge`).
    items
        Items to solve, shape ``(k,)`` (default all); the others get no moves.

    Raises
    ------
    RuntimeError
        If the solver does not report an optimum (cannot happen on a valid problem: every
        unit can stay at home).
    """
    n, k, b = problem.shape
    links = problem.links if links is None else links & problem.links
    unit_cost = problem.unit_cost if unit_cost is None else unit_cost
    moves = np.zeros((n, n, k, b), dtype=np.int64)
    i, q, bucket = np.nonzero(problem.spare_by_bucket)
    cell, j = np.nonzero(links[i])
    ships = np.stack([i[cell], j, q[cell], bucket[cell]], axis=1)  # (from, to, item, bucket)
    cost = _fen(unit_cost[ships[:, 0], ships[:, 1]])
    chosen = worth_solving(problem, links) & (True if items is None else items)
    for item in np.flatnonzero(chosen):
        mine = ships[:, 2] == item
        rows = ships[mine]
        moves[rows[:, 0], rows[:, 1], item, rows[:, 3]] = _solve_item(
            problem, int(item), rows, cost[mine]
        )
    return moves


def worth_solving(problem: RebalancingProblem, links: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Items, shape ``(k,)``, that some station could ship and whose moves could pay."""
    leaving = (problem.spare_by_bucket * links.any(axis=1)[:, None, None]).sum(axis=(0, 2)) > 0
    end = end_stock(problem, problem.on_hand)
    wasted = outdated_cumulative(problem, problem.on_hand)[:, :, -1] > 0
    return leaving & ((end < problem.target_u) | wasted).any(axis=0)


def _solve_item(
    p: RebalancingProblem, item: int, ships: NDArray[np.int64], cost: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Flows (U) on the ship arcs ``ships`` (from, to, item, bucket) of one item's optimum."""
    n, _, b = p.shape
    big = int(p.on_hand[:, item].sum())
    tails = ships[:, 0] * b + ships[:, 3]
    heads = n * b + ships[:, 1] * b + ships[:, 3]
    static = _station_arcs(p)[item]
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        static[:, 0], static[:, 1], static[:, 2], static[:, 3]
    )
    ids = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, np.full(len(ships), big), cost)
    spare = p.spare_by_bucket[:, item]
    supply = np.concatenate(
        [spare.ravel(), (p.on_hand[:, item] - spare).ravel(), np.zeros(n, np.int64), [-big]]
    )
    flow.set_nodes_supplies(np.arange(len(supply)), supply.astype(np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow status {status}")
    return flow.flows(ids)
