"""Properties on random small problems: plans are valid; the solver optimum is the true one."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.rebalance import (
    RebalancingProblem,
    find_violations,
    greedy_transfers,
    move_array,
    plan_cost,
    solve_rebalancing,
)


@st.composite
def problems(draw, max_stations: int = 4, max_items: int = 2, max_units: int = 30):
    n = draw(st.integers(2, max_stations))
    k = draw(st.integers(1, max_items))
    nb = draw(st.integers(1, 3))
    gaps = draw(st.lists(st.integers(1, 10), min_size=nb, max_size=nb))
    arr = lambda shape, elems: np.array(  # noqa: E731
        draw(st.lists(elems, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    ).reshape(shape)
    safety = arr((k,), st.integers(0, 2))
    minutes = arr((n, n), st.sampled_from([10.0, 100.0, 300.0, np.inf]))
    return RebalancingProblem(
        stations=tuple(f"S{i}" for i in range(n)), items=tuple(f"I{q}" for q in range(k)),
        bucket_days=np.cumsum(gaps), on_hand=arr((n, k, nb), st.integers(0, max_units)),
        daily_demand=arr((n, k), st.integers(0, 12)), safety_days=safety,
        target_days=safety + arr((k,), st.integers(0, 3)),
        ship_cost=arr((n, n), st.sampled_from([0, 50, 500])),
        unit_cost=arr((n, n), st.sampled_from([0, 1, 5])), ship_minutes=minutes,
        horizon_days=draw(st.sampled_from([1.0, 3.0, 7.0])),
        min_transfer_u=draw(st.integers(1, 6)), max_ship_minutes=240.0,
        shortage_penalty=draw(st.sampled_from([0, 10, 200])),
        outdate_penalty=draw(st.sampled_from([0, 50, 300])),
        safety_penalty=draw(st.sampled_from([0, 100])),
    )


@settings(max_examples=40, deadline=None)
@given(problems(), st.sampled_from([None, 1, 2]))
def test_plans_pass_validator(problem: RebalancingProblem, max_transfers: int | None) -> None:
    plan = solve_rebalancing(problem, time_limit_s=10.0, max_transfers=max_transfers)
    assert find_violations(problem, plan, max_transfers=max_transfers) == []
    assert find_violations(problem, greedy_transfers(problem, max_transfers),
                           max_transfers=max_transfers) == []
    moves = move_array(problem, plan.transfers)
    assert plan.objective == plan_cost(problem, moves).total
    assert plan.units_moved == sum(t.units for t in plan.transfers)
    if plan.status == "optimal":
        nothing = plan_cost(problem, np.zeros_like(moves)).total
        greedy = plan_cost(problem, move_array(problem, greedy_transfers(
            problem, max_transfers))).total
        assert plan.objective <= min(nothing, greedy) + 1e-6


def brute_force_best(problem: RebalancingProblem) -> float:
    """Cheapest valid plan by enumeration (two stations, one item)."""
    nb = problem.shape[2]
    ranges = [range(int(problem.on_hand[i, 0, b]) + 1) for i in (0, 1) for b in range(nb)]
    best = np.inf
    for qty in itertools.product(*ranges):
        moves = np.zeros((2, 2, 1, nb), dtype=np.int64)
        moves[0, 1, 0], moves[1, 0, 0] = qty[:nb], qty[nb:]
        transfers = [t for t in _as_transfers(problem, moves)]
        if not find_violations(problem, transfers):
            best = min(best, plan_cost(problem, moves).total)
    return best


def _as_transfers(problem, moves):
    from optimizer.rebalance import transfers_from_moves
    return transfers_from_moves(problem, moves)


@settings(max_examples=25, deadline=None)
@given(problems(max_stations=2, max_items=1, max_units=6))
def test_solver_optimum_matches_enumeration(problem: RebalancingProblem) -> None:
    plan = solve_rebalancing(problem, time_limit_s=10.0)
    assert plan.status == "optimal"
    assert plan.objective == brute_force_best(problem)
