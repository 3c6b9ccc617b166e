"""The rebalancing model as a min-cost flow: the same optimum as CP-SAT, valid plans."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.rebalance import (
    RebalancingBuilder,
    RebalancingProblem,
    find_violations,
    greedy_moves,
    is_network_flow,
    move_array,
    plan_cost,
    solve_rebalancing,
    transfers_from_moves,
)
from optimizer.rebalance.cpsat_adapter import solve_cpsat
from optimizer.rebalance.flow_adapter import solve_flow


@st.composite
def problems(draw, fixed_charge: bool = False) -> RebalancingProblem:
    """Small random problems; without ``fixed_charge`` a pure network flow."""
    n, k, nb = draw(st.integers(2, 4)), draw(st.integers(1, 2)), draw(st.integers(1, 4))

    def arr(shape, elems):
        size = int(np.prod(shape))
        return np.array(draw(st.lists(elems, min_size=size, max_size=size))).reshape(shape)

    safety = arr((k,), st.integers(0, 3))
    return RebalancingProblem(
        stations=tuple(f"S{i}" for i in range(n)),
        items=tuple(f"I{q}" for q in range(k)),
        bucket_days=np.cumsum(arr((nb,), st.integers(1, 6))),
        on_hand=arr((n, k, nb), st.integers(0, 25)),
        daily_demand=arr((n, k), st.integers(0, 9)),
        safety_days=safety,
        target_days=safety + arr((k,), st.integers(0, 3)),
        ship_cost=arr((n, n), st.sampled_from([0, 60, 400])) * fixed_charge,
        unit_cost=arr((n, n), st.sampled_from([0, 1, 7])),
        ship_minutes=arr((n, n), st.sampled_from([10.0, 100.0, 300.0, np.inf])),
        horizon_days=draw(st.sampled_from([1.0, 2.0, 3.0, 7.0])),
        min_transfer_u=draw(st.integers(1, 5)) if fixed_charge else 1,
        shortage_penalty=draw(st.sampled_from([0, 10, 200])),
        outdate_penalty=draw(st.sampled_from([0, 50, 300])),
        safety_penalty=draw(st.sampled_from([0, 100])),
    )


def _valid(problem: RebalancingProblem, moves, max_transfers=None) -> bool:
    transfers = transfers_from_moves(problem, moves)
    return find_violations(problem, transfers, max_transfers=max_transfers) == []


@settings(max_examples=60, deadline=None)
@given(problems())
def test_flow_optimum_equals_cpsat_optimum(problem: RebalancingProblem) -> None:
    assert is_network_flow(problem, None)
    flow = solve_flow(problem)
    exact = solve_cpsat(problem, time_limit_s=30.0, max_transfers=None, seed=0)
    assert exact.status == "OPTIMAL"
    assert _valid(problem, flow) and _valid(problem, exact.moves)
    assert plan_cost(problem, flow).total == pytest.approx(plan_cost(problem, exact.moves).total)


@settings(max_examples=40, deadline=None)
@given(problems(fixed_charge=True), st.sampled_from([None, 1, 2]))
def test_flow_with_fixed_charges_gives_valid_plans(problem, max_transfers) -> None:
    plan = solve_rebalancing(problem, method="flow", max_transfers=max_transfers)
    assert plan.status in ("optimal", "feasible")
    assert find_violations(problem, plan, max_transfers=max_transfers) == []
    moves = move_array(problem, plan.transfers)
    assert plan.objective == plan_cost(problem, moves).total
    assert plan.objective <= plan_cost(problem, greedy_moves(problem, max_transfers)).total


def _two_stations(**options) -> RebalancingProblem:
    b = RebalancingBuilder(bucket_days=[2, 10, 30], horizon_days=3, **options)
    b.add_item("RBC O+", target_days=3, safety_days=1)
    b.add_station("A")
    b.add_station("B")
    b.set_stock("A", "RBC O+", [20, 10, 10])  # uses 1 U/day: 18 U of bucket 0 would expire
    b.set_demand("A", "RBC O+", 1)
    b.set_demand("B", "RBC O+", 10)  # empty, uses 10 U/day
    b.add_link("A", "B", minutes=60, ship_cost=0, unit_cost=1)
    return b.build()


def test_ships_the_units_that_would_expire_and_keeps_the_freshest() -> None:
    problem = _two_stations()
    plan = solve_rebalancing(problem)  # auto: a pure flow
    assert plan.status == "optimal" and plan.solver_status == "FLOW_OPTIMAL"
    moves = move_array(problem, plan.transfers)
    assert moves[0, 1, 0, 0] >= 18  # B uses bucket 0 before it expires; A would waste it
    assert problem.spare_by_bucket[0, 0].tolist() == [20, 10, 9]  # A's freshest 1 U stays
    assert plan_cost(problem, moves).outdated_u == 0


def test_freshest_safety_units_never_leave() -> None:
    problem = _two_stations()
    moves = np.zeros((2, 2, 1, 3), dtype=np.int64)
    moves[0, 1, 0, 2] = 10  # all of A's freshest bucket: 1 U of it is its safety stock
    violations = find_violations(problem, transfers_from_moves(problem, moves))
    assert violations and violations[0].startswith("safety: A RBC O+ ships 10 U of bucket 2")


def test_auto_keeps_cpsat_for_fixed_charges() -> None:
    problem = dataclasses.replace(_two_stations(), ship_cost=np.array([[0, 500], [500, 0]]))
    assert not is_network_flow(problem, None)
    assert solve_rebalancing(problem).solver_status == "OPTIMAL"  # CP-SAT
    assert solve_rebalancing(problem, method="flow").solver_status == "FLOW"


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="method: expected one of"):
        solve_rebalancing(_two_stations(), method="simplex")
