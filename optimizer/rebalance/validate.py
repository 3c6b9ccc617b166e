"""Independent plan checker: recomputes every hard constraint from the problem and transfers.

Nothing a solver reports is trusted. Each violation is a string starting with its kind,
one of :data:`KINDS`, then a colon and the details, e.g.
``"safety: S1 RBC O+ keeps 12 U after shipping 30, safety stock is 20 U"``.

Hard constraints:

- ``record``: known stations, items and buckets; from != to; units a positive integer.
- ``link``: the link exists and is within ``max_ship_minutes``.
- ``min_transfer``: every used (from, to) shipment carries at least ``min_transfer_u``.
- ``supply``: a station ships at most the units it holds in each bucket.
- ``negative``: no station × item × bucket stock is negative after the plan.
- ``safety``: a station that ships an item keeps at least its safety stock of it, not
  counting units it receives in the same plan (they may arrive after it ships); the units
  it keeps are its freshest (it ships only from ``spare_by_bucket``).
- ``max_transfers``: at most that many shipments, when a limit is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from optimizer.errors import InfeasiblePlan
from optimizer.rebalance.fefo import stock_after
from optimizer.rebalance.plan import RebalancingPlan, Transfer, move_array
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["KINDS", "check_plan", "find_violations"]

KINDS = ("record", "link", "min_transfer", "supply", "negative", "safety", "max_transfers")


def _check_record(problem: RebalancingProblem, t: Transfer) -> Iterator[str]:
    if t.from_station not in problem.stations:
        yield f"record: unknown station {t.from_station!r} in {t}"
    if t.to_station not in problem.stations:
        yield f"record: unknown station {t.to_station!r} in {t}"
    if t.item not in problem.items:
        yield f"record: unknown item {t.item!r} in {t}"
    if not isinstance(t.bucket, int | np.integer) or not 0 <= t.bucket < problem.shape[2]:
        yield f"record: bucket {t.bucket!r} not in 0..{problem.shape[2] - 1} in {t}"
    if t.from_station == t.to_station:
        yield f"record: transfer from a station to itself in {t}"
    units = t.units
    if isinstance(units, bool) or not isinstance(units, int | np.integer) or units <= 0:
        yield f"record: units must be a positive integer (U), got {units!r} in {t}"


def _check_links(problem: RebalancingProblem, per_link: np.ndarray) -> Iterator[str]:
    for i, j in zip(*np.nonzero(per_link), strict=True):
        a, b = problem.stations[i], problem.stations[j]
        minutes = problem.ship_minutes[i, j]
        if i != j and not problem.links[i, j]:
            yield f"link: {a}->{b} takes {minutes} min, limit {problem.max_ship_minutes} min"
        if per_link[i, j] < problem.min_transfer_u:
            yield (
                f"min_transfer: {a}->{b} carries {per_link[i, j]} U, "
                f"minimum {problem.min_transfer_u} U"
            )


def _check_supply(problem: RebalancingProblem, moves: np.ndarray) -> Iterator[str]:
    shipped = moves.sum(axis=1)
    for i, q, b in zip(*np.nonzero(shipped > problem.on_hand), strict=True):
        yield (
            f"supply: {problem.stations[i]} {problem.items[q]} bucket {b} ships "
            f"{shipped[i, q, b]} U, holds {problem.on_hand[i, q, b]} U"
        )
    stock = stock_after(problem, moves)
    for i, q, b in zip(*np.nonzero(stock < 0), strict=True):
        yield (
            f"negative: {problem.stations[i]} {problem.items[q]} bucket {b} ends "
            f"at {stock[i, q, b]} U"
        )


def _check_safety(problem: RebalancingProblem, moves: np.ndarray) -> Iterator[str]:
    shipped = moves.sum(axis=(1, 3))
    kept = problem.on_hand.sum(axis=2) - shipped
    bad = (shipped > 0) & (kept < problem.safety_u)
    for i, q in zip(*np.nonzero(bad), strict=True):
        yield (
            f"safety: {problem.stations[i]} {problem.items[q]} keeps {kept[i, q]} U "
            f"after shipping {shipped[i, q]}, safety stock is {problem.safety_u[i, q]} U"
        )
    per_bucket = moves.sum(axis=1)
    fresh = (per_bucket > problem.spare_by_bucket) & ~bad[:, :, None]
    for i, q, b in zip(*np.nonzero(fresh), strict=True):
        yield (
            f"safety: {problem.stations[i]} {problem.items[q]} ships {per_bucket[i, q, b]} U "
            f"of bucket {b}, only {problem.spare_by_bucket[i, q, b]} U there are older "
            f"than its safety stock (its freshest {problem.safety_u[i, q]} U stay)"
        )


def find_violations(
    problem: RebalancingProblem,
    plan: RebalancingPlan | Sequence[Transfer],
    *,
    max_transfers: int | None = None,
) -> list[str]:
    """Every hard constraint ``plan`` breaks (empty list when feasible).

    Parameters
    ----------
    problem
        The problem the plan answers.
    plan
        A plan or its transfers.
    max_transfers
        Most shipments (distinct from → to links) allowed, or ``None`` for no limit.
    """
    transfers = plan.transfers if isinstance(plan, RebalancingPlan) else tuple(plan)
    out = [v for t in transfers for v in _check_record(problem, t)]
    moves = move_array(problem, transfers)
    per_link = moves.sum(axis=(2, 3))
    out += [
        *_check_links(problem, per_link),
        *_check_supply(problem, moves),
        *_check_safety(problem, moves),
    ]
    used = int(np.count_nonzero(per_link))
    if max_transfers is not None and used > max_transfers:
        out.append(f"max_transfers: {used} shipments, limit {max_transfers}")
    return out


def check_plan(
    problem: RebalancingProblem,
    plan: RebalancingPlan | Sequence[Transfer],
    *,
    max_transfers: int | None = None,
) -> None:
    """Raise :class:`~optimizer.errors.InfeasiblePlan` if ``plan`` breaks a hard constraint.

    See :func:`find_violations` for the parameters.
    """
    violations = find_violations(problem, plan, max_transfers=max_transfers)
    if violations:
        raise InfeasiblePlan(violations)
