"""The only module that talks to OR-Tools: the rebalancing model in CP-SAT.

Why CP-SAT: every decision is a whole number of units or a yes/no shipment, the FEFO
outdating model is a handful of integer max-constraints, and CP-SAT is deterministic
with ``num_workers=1`` and a fixed seed (and can stop on a deterministic work limit),
which a wall-clock-limited MIP run is not. It also takes a warm start (the greedy plan).

Integer scaling (the one place it happens): costs and penalties are in yuan and
multiplied by :data:`SCALE` (to fen) and rounded; units are already integers. The
reported objective is recomputed in yuan by :func:`~optimizer.rebalance.cost.plan_cost`.

Model, for usable links (i, j), items q and buckets b:

- ``x[i,j,q,b]`` integer units moved, only where i holds stock of (q, b) older than its
  safety stock (``spare_by_bucket``: the freshest ``safety_u`` units stay);
  ``y[i,j]`` binary "shipment used", with ``Σ_b x[i,j,q,b] <= spare[i,q]·y`` per item
  (tighter than one big-M per link) and ``Σ x[i,j] >= min_transfer_u·y``.
- supply and safety: ``Σ_j x[i,j,q,b] <= spare_by_bucket[i,q,b]``, hence
  ``Σ_{j,b} x[i,j,q,b] <= spare[i,q]`` (stock above safety, not counting units received).
- per touched (station, item): FEFO outdating ``O_b >= O_{b-1}``, ``O_b >= S_0..b -
  usable_b``, end stock ``E = S - horizon demand - O_H``, shortage ``>= target - E``,
  safety gap ``>= safety - E`` (see :mod:`optimizer.rebalance.fefo`).
- objective: shipment + unit costs + penalties on shortage, outdating (last O) and
  safety gap. Stations and items no move can touch add a constant and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from optimizer.rebalance.fefo import end_stock, outdated_cumulative, stock_after
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["SCALE", "SolverResult", "solve_cpsat"]

SCALE = 100
"""Objective coefficients are yuan × SCALE (fen), rounded to integers."""

_Key = tuple[int, int, int, int]


@dataclass(frozen=True)
class SolverResult:
    """What CP-SAT returned: status name, moves ``[from, to, item, bucket]`` (U) or ``None``."""

    status: str
    moves: NDArray[np.int64] | None
    wall_s: float


@dataclass
class _Model:
    """CP-SAT model under construction with the variables other steps need."""

    problem: RebalancingProblem
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[_Key, cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    outdated: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    gaps: dict[tuple[str, int, int], cp_model.IntVar] = field(default_factory=dict)
    terms: list[tuple[cp_model.LinearExprT, int]] = field(default_factory=list)

    def cost(self, expr: cp_model.LinearExprT, yuan: float) -> None:
        coef = round(yuan * SCALE)
        if coef:
            self.terms.append((expr, coef))


def _add_moves(m: _Model) -> None:
    p = m.problem
    cells = np.argwhere(p.spare_by_bucket > 0)
    for i, j in np.argwhere(p.links):
        for i2, q, b in cells[cells[:, 0] == i]:
            ub = int(p.spare_by_bucket[i2, q, b])
            m.x[int(i), int(j), int(q), int(b)] = m.cp.new_int_var(0, ub, f"x{i}_{j}_{q}_{b}")
            m.cost(m.x[int(i), int(j), int(q), int(b)], p.unit_cost[i, j])


def _add_shipments(m: _Model, max_transfers: int | None) -> None:
    per_item: dict[tuple[int, int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (i, j, q, _), var in m.x.items():
        per_item[i, j, q].append(var)
    per_link: dict[tuple[int, int], list] = defaultdict(list)
    for (i, j, q), xs in per_item.items():
        if (i, j) not in m.y:
            m.y[i, j] = m.cp.new_bool_var(f"y{i}_{j}")
            m.cost(m.y[i, j], m.problem.ship_cost[i, j])
        total = cp_model.LinearExpr.sum(xs)
        m.cp.add(total <= int(m.problem.spare_u[i, q]) * m.y[i, j])  # tight per item
        per_link[i, j] += xs
    for (i, j), xs in per_link.items():
        m.cp.add(cp_model.LinearExpr.sum(xs) >= m.problem.min_transfer_u * m.y[i, j])
    if max_transfers is not None:
        m.cp.add(cp_model.LinearExpr.sum(list(m.y.values())) <= max_transfers)


def _flows(m: _Model) -> tuple[dict, dict]:
    out: dict[tuple[int, int, int], list] = defaultdict(list)
    into: dict[tuple[int, int, int], list] = defaultdict(list)
    for (i, j, q, b), var in m.x.items():
        out[i, q, b].append(var)
        into[j, q, b].append(var)
    return out, into


def _add_supply(m: _Model, out: dict) -> None:
    p = m.problem
    per_item: dict[tuple[int, int], list] = defaultdict(list)
    for (i, q, b), xs in out.items():
        m.cp.add(cp_model.LinearExpr.sum(xs) <= int(p.spare_by_bucket[i, q, b]))
        per_item[i, q] += xs
    for (i, q), xs in per_item.items():
        m.cp.add(cp_model.LinearExpr.sum(xs) <= int(p.spare_u[i, q]))


def _stock_exprs(m: _Model, s: int, q: int, out: dict, into: dict) -> list:
    p = m.problem
    return [
        int(p.on_hand[s, q, b])
        - cp_model.LinearExpr.sum(out.get((s, q, b), []))
        + cp_model.LinearExpr.sum(into.get((s, q, b), []))
        for b in range(p.shape[2])
    ]


def _add_station(m: _Model, s: int, q: int, stock: list) -> None:
    """FEFO outdating, shortage and safety gap of station ``s``, item ``q``."""
    p, cp = m.problem, m.cp
    top = int(p.on_hand[s, q].sum() + p.spare_u[:, q].sum())
    prev, cum, outdated = None, 0, []
    for b, expr in enumerate(stock):
        cum = cum + expr
        o_b = m.outdated[s, q, b] = cp.new_int_var(0, top, f"o{s}_{q}_{b}")
        cp.add(o_b >= cum - int(p.usable_u[s, q, b]))
        if prev is not None:
            cp.add(o_b >= prev)
        outdated.append(o_b)
        prev = o_b
    m.cost(outdated[-1], p.outdate_penalty)
    expired = outdated[p.horizon_buckets - 1] if p.horizon_buckets else 0
    end = cum - int(p.horizon_u[s, q]) - expired
    for name, level, penalty in (
        ("short", p.target_u, p.shortage_penalty),
        ("unsafe", p.safety_u, p.safety_penalty),
    ):
        gap = m.gaps[name, s, q] = cp.new_int_var(
            0, int(level[s, q] + p.horizon_u[s, q]), f"{name}{s}_{q}"
        )
        cp.add(gap >= int(level[s, q]) - end)
        m.cost(gap, penalty)


def build_model(problem: RebalancingProblem, max_transfers: int | None) -> _Model:
    """The CP-SAT model of ``problem`` (see the module docstring)."""
    m = _Model(problem)
    _add_moves(m)
    _add_shipments(m, max_transfers)
    out, into = _flows(m)
    _add_supply(m, out)
    touched = sorted({(i, q) for i, q, _ in out} | {(j, q) for j, q, _ in into})
    for s, q in touched:
        _add_station(m, s, q, _stock_exprs(m, s, q, out, into))
    if m.terms:
        exprs, coefs = zip(*m.terms, strict=True)
        m.cp.minimize(cp_model.LinearExpr.weighted_sum(list(exprs), list(coefs)))
    return m


def _add_hint(m: _Model, hint: NDArray[np.int64]) -> None:
    """Hint every variable (a complete hint is used at once, not repaired by search)."""
    p = m.problem
    stock = stock_after(p, hint)
    outdated = outdated_cumulative(p, stock)
    end = end_stock(p, stock)
    levels = {"short": p.target_u, "unsafe": p.safety_u}
    for key, var in m.x.items():
        m.cp.add_hint(var, int(hint[key]))
    for (i, j), var in m.y.items():
        m.cp.add_hint(var, bool(hint[i, j].sum() > 0))
    for key, var in m.outdated.items():
        m.cp.add_hint(var, int(outdated[key]))
    for (name, s, q), var in m.gaps.items():
        m.cp.add_hint(var, int(max(0, levels[name][s, q] - end[s, q])))


def _read_moves(m: _Model, solver: cp_model.CpSolver) -> NDArray[np.int64]:
    n, k, b = m.problem.shape
    moves = np.zeros((n, n, k, b), dtype=np.int64)
    for key, var in m.x.items():
        moves[key] = solver.value(var)
    return moves


def solve_cpsat(
    problem: RebalancingProblem,
    *,
    time_limit_s: float,
    max_transfers: int | None,
    seed: int,
    work_limit: float | None = None,
    hint: NDArray[np.int64] | None = None,
) -> SolverResult:
    """Solve ``problem`` with CP-SAT on one worker.

    Parameters
    ----------
    time_limit_s
        Wall-clock limit (seconds).
    max_transfers
        Most shipments (distinct links) allowed, or ``None``.
    seed
        CP-SAT random seed.
    work_limit
        Optional deterministic-time limit (CP-SAT work units, about seconds); stopping on
        it instead of the wall clock makes a run reproducible.
    hint
        Warm start: moves ``[from, to, item, bucket]`` (U), e.g. the greedy plan.
    """
    m = build_model(problem, max_transfers)
    if hint is not None:
        _add_hint(m, hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    if work_limit is not None:
        solver.parameters.max_deterministic_time = work_limit
    status = solver.solve(m.cp)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    moves = _read_moves(m, solver) if found else None
    return SolverResult(solver.status_name(status), moves, solver.wall_time)
